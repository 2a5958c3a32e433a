// Command gateway measures the throughput of faasport's emulated API
// gateway against net/http serving the same handler directly.
//
// Both are driven the same way, on the loopback interface only: a fixed
// number of workers, each sending GET requests over kept-alive
// connections for a fixed time. The gateway is an HTTP API with a JWT
// authorizer (the token is minted here and its JWKS served locally), a
// Lambda proxy integration (payload format 2.0) and an in-process function
// wrapping the handler with adapter.Wrap, run by locallambda. Run
//
//	cd bench && go run ./gateway
//
// It prints
//
//	RESULT gateway-throughput ours=<req/s> peer=<req/s> ratio=<ours/peer>
//
// and p50/p99 latencies for both. See docs/benchmarks.md.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime/pprof"
	"slices"
	"sync"
	"syscall"
	"time"

	"github.com/faasport/faasport/adapter"
	"github.com/faasport/faasport/emulator/localgateway"
	"github.com/faasport/faasport/emulator/locallambda"
	"github.com/faasport/faasport/faas"
	"github.com/faasport/faasport/verify/verifytest"
)

func main() {
	workers := flag.Int("workers", 32, "concurrent clients")
	dur := flag.Duration("d", 5*time.Second, "measured time per target")
	warm := flag.Duration("warmup", 500*time.Millisecond, "unmeasured time before each run")
	invoker := flag.String("invoker", "locallambda", "what runs the function: \"locallambda\" (the emulator's Lambda) or \"direct\" (the gateway calls the adapter itself)")
	only := flag.String("only", "", "profile one target alone: \"ours\" or \"peer\"")
	rounds := flag.Int("rounds", 5, "alternating rounds the measured time is split into")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the measured runs to `file`")
	memprofile := flag.String("memprofile", "", "write an allocation profile of the whole run to `file`")
	flag.Parse()
	if *dur > time.Minute || *workers > 512 {
		log.Fatal("gateway: keep -d within a minute and -workers within 512")
	}

	hello := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		_, _ = io.WriteString(w, "hello")
	})

	// The peer: net/http serving the handler.
	direct := httptest.NewServer(hello)
	defer direct.Close()

	// Ours: gateway → JWT authorizer → locallambda → adapter → handler.
	is := verifytest.NewIssuer()
	defer is.Close()
	quiet := slog.New(slog.DiscardHandler)
	lam := locallambda.New(&locallambda.Options{Logger: quiet})
	defer lam.Close()
	if err := lam.Register(faas.Config{Name: "hello"}, adapter.Wrap(hello)); err != nil {
		log.Fatal(err)
	}
	var inv localgateway.Invoker = lam
	switch *invoker {
	case "locallambda":
	case "direct":
		inv = directInvoker{adapter.Wrap(hello)}
	default:
		log.Fatalf("gateway: unknown -invoker %q", *invoker)
	}
	gw, err := localgateway.New(localgateway.Config{
		Invoker: inv,
		Logger:  quiet,
		// Above the account's default 10,000 rps, so that the benchmark
		// measures the gateway rather than its throttle.
		AccountThrottle: localgateway.Throttle{Rate: 1e7, Burst: 1e7},
		Authorizers: map[string]localgateway.Authorizer{
			"jwt": localgateway.JWTAuthorizer{Issuer: is.URL, Audiences: []string{"bench"}},
		},
		Routes: []localgateway.Route{{
			Key:         "GET /hello",
			Integration: localgateway.Lambda{Function: "hello"},
			Authorizer:  "jwt",
		}},
	})
	if err != nil {
		log.Fatal(err)
	}
	gwSrv := httptest.NewServer(gw)
	defer gwSrv.Close()
	token := "Bearer " + is.Sign(is.Claims("bench-user", "bench", time.Now()))

	// Check both answer alike before measuring.
	for _, u := range []string{direct.URL + "/hello", gwSrv.URL + "/hello"} {
		if st, body := get(http.DefaultClient, u, token); st != 200 || body != "hello" {
			log.Fatalf("gateway: %s answered %d %q", u, st, body)
		}
	}

	// The machine may be shared: alternate the two targets in short
	// rounds, so that a change of load weighs on both alike.
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			log.Fatal(err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			log.Fatal(err)
		}
	}
	stopProfiles := func() {
		pprof.StopCPUProfile() // a no-op when none was started
		if *memprofile != "" {
			writeHeapProfile(*memprofile)
		}
	}
	var peer, ours result
	switch *only {
	case "ours":
		ours.add(run(gwSrv.URL+"/hello", token, *workers, *dur))
		ours.finish()
		stopProfiles()
		fmt.Printf("ours alone: %.0f req/s, cpu/req=%v\n", ours.rps, ours.cpu/time.Duration(max(ours.ok, 1)))
		return
	case "peer":
		peer.add(run(direct.URL+"/hello", token, *workers, *dur))
		peer.finish()
		stopProfiles()
		fmt.Printf("peer alone: %.0f req/s, cpu/req=%v\n", peer.rps, peer.cpu/time.Duration(max(peer.ok, 1)))
		return
	}
	run(direct.URL+"/hello", token, *workers, *warm) // warm-up, unmeasured
	run(gwSrv.URL+"/hello", token, *workers, *warm)
	slice := *dur / time.Duration(*rounds)
	runPeer := func() { peer.add(run(direct.URL+"/hello", token, *workers, slice)) }
	runOurs := func() { ours.add(run(gwSrv.URL+"/hello", token, *workers, slice)) }
	for i := range *rounds {
		// Each goes first in every other round, so that neither always
		// inherits the other's garbage and connections being torn down.
		first, second := runPeer, runOurs
		if i%2 == 1 {
			first, second = runOurs, runPeer
		}
		first()
		second()
	}
	stopProfiles()
	peer.finish()
	ours.finish()
	for _, x := range []struct {
		name string
		r    result
	}{{"peer (net/http direct)", peer}, {"ours (gateway+JWT+λ)  ", ours}} {
		fmt.Printf("%s %8.0f req/s  p50=%-10v p99=%-10v cpu/req=%-8v (client and server, one process) cores used=%.2f errors=%d\n",
			x.name, x.r.rps, x.r.p50.Round(time.Microsecond), x.r.p99.Round(time.Microsecond),
			(x.r.cpu / time.Duration(max(x.r.ok, 1))).Round(time.Microsecond), x.r.cpu.Seconds()/x.r.elapsed.Seconds(), x.r.errors)
	}
	fmt.Printf("RESULT gateway-throughput ours=%.0f peer=%.0f ratio=%.2f\n", ours.rps, peer.rps, ours.rps/peer.rps)
	if ours.errors > 0 || peer.errors > 0 {
		os.Exit(1)
	}
}

// directInvoker invokes a function in the caller's goroutine, without
// locallambda's execution environments, timeouts and payload checks: it
// shows what the gateway itself costs.
type directInvoker struct{ fn faas.Function }

func (d directInvoker) Invoke(ctx context.Context, req locallambda.InvokeRequest) (*locallambda.InvokeResult, error) {
	out, err := d.fn.Invoke(ctx, req.Payload)
	if err != nil {
		return &locallambda.InvokeResult{StatusCode: 200, FunctionError: locallambda.FunctionErrorUnhandled}, nil
	}
	return &locallambda.InvokeResult{StatusCode: 200, Payload: out}, nil
}

type result struct {
	cpu      time.Duration // process CPU time (user+system) during the runs
	ok       int
	elapsed  time.Duration
	lat      []time.Duration
	rps      float64
	p50, p99 time.Duration
	errors   int
}

func (r *result) add(o result) {
	r.cpu += o.cpu
	r.ok += o.ok
	r.elapsed += o.elapsed
	r.lat = append(r.lat, o.lat...)
	r.errors += o.errors
}

func (r *result) finish() {
	slices.Sort(r.lat)
	r.rps = float64(r.ok) / r.elapsed.Seconds()
	if len(r.lat) > 0 {
		r.p50 = r.lat[len(r.lat)/2]
		r.p99 = r.lat[len(r.lat)*99/100]
	}
}

func get(c *http.Client, url, token string) (int, string) {
	req, _ := http.NewRequestWithContext(context.Background(), http.MethodGet, url, nil)
	req.Header.Set("Authorization", token)
	resp, err := c.Do(req)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// run drives url with n workers for d.
func run(url, token string, n int, d time.Duration) result {
	tr := &http.Transport{MaxIdleConnsPerHost: n, MaxConnsPerHost: n}
	defer tr.CloseIdleConnections()
	c := &http.Client{Transport: tr, Timeout: 10 * time.Second}
	cpu0 := cpuTime()
	start := time.Now()
	end := start.Add(d)
	var (
		mu sync.Mutex
		r  result
		wg sync.WaitGroup
	)
	for range n {
		wg.Go(func() {
			var mine []time.Duration
			bad := 0
			for {
				t0 := time.Now()
				if t0.After(end) {
					break
				}
				st, body := get(c, url, token)
				if st != 200 || body != "hello" {
					bad++
					continue
				}
				mine = append(mine, time.Since(t0))
			}
			mu.Lock()
			r.lat = append(r.lat, mine...)
			r.errors += bad
			mu.Unlock()
		})
	}
	wg.Wait()
	r.elapsed = time.Since(start)
	r.cpu = cpuTime() - cpu0
	r.ok = len(r.lat)
	return r
}

// cpuTime returns the CPU time the process has used, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// writeHeapProfile writes the allocations made so far to path.
func writeHeapProfile(path string) {
	f, err := os.Create(path)
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
		log.Fatal(err)
	}
}
