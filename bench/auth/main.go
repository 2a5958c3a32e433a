// Command auth measures faasport's Cognito stand-in,
// emulator/localcognito, against cognito-local, the Cognito emulator on
// npm, through the same aws-sdk-go-v2 cognitoidentityprovider client.
//
// Both are reached over HTTP on 127.0.0.1 with the same client
// configuration (no AWS credentials, no retries, kept-alive connections),
// and both start from an empty user pool with one app client. cognito-local
// runs as a child process in a temporary working directory, keeping its
// pools in JSON files there; its pool and app client are made with
// CreateUserPool and CreateUserPoolClient through the SDK. faasport's pool
// is a SQLite file in the same temporary directory, configured in Go with
// AutoConfirm, and served by net/http in this process. On its first run
// the command installs cognito-local with npm into auth/.cognito-local;
// node and npm must be on PATH.
//
// A sequence is a new user's first session: SignUp with a unique
// username, InitiateAuth with USER_PASSWORD_AUTH, and GetUser with the
// access token. cognito-local has no way to confirm users at SignUp
// other than a PreSignUp Lambda trigger, so its sequences also call
// ConfirmSignUp (with the code fixed by its CODE environment variable).
// Sequences are run by 8 concurrent workers: a warm-up, then short rounds
// in which the targets take turns, so that a change in the machine's load
// weighs on all alike. Run
//
//	cd bench && go run ./auth
//
// It prints
//
//	RESULT auth-sequence ours=<seq/s> peer=<seq/s> ratio=<ours/peer>
//
// for faasport's pool hashing passwords with bcrypt at its default cost
// (10), and, as extra information, the same line named
// auth-sequence-bcrypt4 for a pool hashing at cost 4. See
// docs/benchmarks.md.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"syscall"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"golang.org/x/crypto/bcrypt"

	"github.com/faasport/faasport/bench/internal/harness"
	"github.com/faasport/faasport/emulator/localcognito"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// bench is one target with what it measured.
type bench struct {
	*target
	desc   string
	cpu    func() time.Duration // CPU time of whatever serves and drives the target
	total  sample
	rounds []sample // each round's
}

func run() error {
	workers := flag.Int("workers", 8, "concurrent clients")
	dur := flag.Duration("d", 20*time.Second, "measured time per target, split into -rounds rounds")
	rounds := flag.Int("rounds", 5, "alternating rounds")
	warm := flag.Duration("warmup", time.Second, "unmeasured run of each target before the rounds")
	extraCost := flag.Int("extra-cost", bcrypt.MinCost, "also measure faasport's pool with this bcrypt cost (0: don't)")
	cacheDir := flag.String("cognito-local-dir", harness.CacheDir(".cognito-local", "auth"), "where cognito-local is installed")
	flag.Parse()
	ntargets := 2
	if *extraCost > 0 {
		ntargets = 3
	}
	// Bound the whole run (the first npm install aside) to under two minutes.
	if time.Duration(ntargets)*(*dur+*warm) > 90*time.Second || *workers < 1 || *workers > 64 || *rounds < 1 {
		return errors.New("auth: keep targets × (-d + -warmup) within 90s, -workers within 1..64 and -rounds ≥ 1")
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	script, err := cognitoLocalPackage.Install(ctx, *cacheDir)
	if err != nil {
		return fmt.Errorf("auth: %w\nauth: cannot run without cognito-local; no figures", err)
	}
	tmp, err := os.MkdirTemp("", "faasport-auth-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)

	// The peer: cognito-local, its pool and client made through the SDK
	// (it does not check signatures; the SDK signs these with any key).
	peer, err := startCognitoLocal(ctx, script, filepath.Join(tmp, "cognito-local"))
	if err != nil {
		return fmt.Errorf("%w\nauth: cognito-local did not start; no figures", err)
	}
	defer peer.Close()
	admin := newClient(peer.URL, 1, credentials.NewStaticCredentialsProvider("local", "local", ""))
	pool, err := admin.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("bench")})
	if err != nil {
		return fmt.Errorf("auth: cognito-local CreateUserPool: %w\n%s", err, peer.Output())
	}
	app, err := admin.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{
		UserPoolId: pool.UserPool.Id, ClientName: aws.String("bench"),
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserPasswordAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth},
	})
	if err != nil {
		return fmt.Errorf("auth: cognito-local CreateUserPoolClient: %w\n%s", err, peer.Output())
	}
	benches := []*bench{{
		target: &target{name: "peer", client: newClient(peer.URL, *workers, nil),
			clientID: aws.ToString(app.UserPoolClient.ClientId), confirmCode: confirmationCode, prefix: "peer"},
		desc: "cognito-local " + cognitoLocalVersion,
		cpu:  func() time.Duration { return harness.CPUTime() + peer.CPUTime() },
	}}

	// Ours: localcognito on SQLite files, one per bcrypt cost.
	costs := []int{bcrypt.DefaultCost}
	if *extraCost > 0 {
		costs = append(costs, *extraCost)
	}
	for _, cost := range costs {
		svc, srv, err := startOurs(filepath.Join(tmp, fmt.Sprintf("cognito-bcrypt%d.db", cost)), cost)
		if err != nil {
			return err
		}
		defer svc.Close()
		defer srv.Close()
		benches = append(benches, &bench{
			target: &target{name: fmt.Sprintf("ours-bcrypt%d", cost), client: newClient(srv.URL, *workers, nil),
				clientID: benchClient, prefix: "ours"},
			desc: fmt.Sprintf("faasport localcognito, bcrypt cost %d", cost),
			cpu:  harness.CPUTime,
		})
	}

	fmt.Printf("auth: %d workers, %v per target in %d alternating rounds, after %v of warm-up; GOMAXPROCS=%d, %s, node %s, load average %s\n",
		*workers, *dur, *rounds, *warm, runtime.GOMAXPROCS(0), runtime.Version(), harness.NodeVersion(), harness.LoadAvg())
	const maxPerRound = 1_000_000
	for _, b := range benches {
		if s := drive(ctx, b.target, *workers, *warm, maxPerRound, nil); s.err != nil {
			return fmt.Errorf("auth: warm-up: %w", s.err)
		}
	}
	slice := *dur / time.Duration(*rounds)
	for range *rounds {
		for _, b := range benches {
			s := drive(ctx, b.target, *workers, slice, maxPerRound, b.cpu)
			if err := ctx.Err(); err != nil {
				return fmt.Errorf("auth: interrupted: %w", err)
			}
			if s.err != nil {
				return fmt.Errorf("auth: %w", s.err)
			}
			b.total.add(s)
			b.rounds = append(b.rounds, s)
		}
	}

	for _, b := range benches {
		s := &b.total
		fmt.Printf("%-13s %-40s %7.1f seq/s  p50=%-8v p99=%-8v cpu/seq=%v\n", b.name, b.desc, s.rate(),
			s.percentile(-1, 0.5).Round(100*time.Microsecond), s.percentile(-1, 0.99).Round(100*time.Microsecond),
			s.cpuPerSeq().Round(100*time.Microsecond))
		fmt.Print("              rounds (seq/s, cpu/seq):")
		for _, r := range b.rounds {
			fmt.Printf(" %.1f, %v;", r.rate(), r.cpuPerSeq().Round(100*time.Microsecond))
		}
		fmt.Print("\n              p50 per call:")
		for op := range nOps {
			if p := s.percentile(op, 0.5); p > 0 {
				fmt.Printf(" %s=%v", opNames[op], p.Round(10*time.Microsecond))
			}
		}
		fmt.Printf(" (users at the end: %d)\n", b.next.Load())
	}
	if fi, err := os.Stat(filepath.Join(tmp, "cognito-local", ".cognito", "db", aws.ToString(pool.UserPool.Id)+".json")); err == nil {
		fmt.Printf("cognito-local's pool file: %.1f MB, rewritten whole at every SignUp, ConfirmSignUp and InitiateAuth\n", float64(fi.Size())/1e6)
	}
	p := benches[0].total.rate()
	for i, b := range benches[1:] {
		name := "auth-sequence"
		if i > 0 {
			name = fmt.Sprintf("auth-sequence-bcrypt%d", costs[i])
		}
		fmt.Printf("RESULT %s ours=%.1f peer=%.1f ratio=%.3f\n", name, b.total.rate(), p, b.total.rate()/p)
	}
	return nil
}

// benchPool and benchClient name faasport's pool and app client.
const (
	benchPool   = "us-east-1_BenchPool"
	benchClient = "benchclient000000000000001"
)

// startOurs opens localcognito on a database file with one auto-confirming
// pool and serves it on 127.0.0.1. Callers close both.
func startOurs(path string, cost int) (*localcognito.Service, *httptest.Server, error) {
	svc, err := localcognito.Open(path, &localcognito.Options{
		Pools: []localcognito.PoolConfig{{
			ID: benchPool, Name: "bench", AutoConfirm: true,
			Clients: []localcognito.ClientConfig{{ID: benchClient, Name: "bench"}},
		}},
		BcryptCost: cost,
		Logger:     slog.New(slog.DiscardHandler),
	})
	if err != nil {
		return nil, nil, err
	}
	return svc, httptest.NewServer(svc.Handler()), nil
}
