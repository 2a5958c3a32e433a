// Command store measures faasport's DynamoDB stand-in,
// emulator/localdynamo, against dynalite, the DynamoDB implementation on
// npm, through the same aws-sdk-go-v2 client.
//
// Both servers are reached over HTTP on 127.0.0.1 with the same client
// configuration (static credentials, no retries, kept-alive connections)
// and hold the same tables and items: 10,000 products keyed by id, and
// 10,000 orders in 500 partitions of 20 (hash key customer, range key
// seq). Each server runs in a process of its own beside the client's:
// faasport's store is this program started again with -serve, a SQLite
// file in a temporary directory (WAL, synchronous=NORMAL) served by
// net/http with one P (-server-procs), as dynalite runs its JavaScript
// on one thread; dynalite is node running dynalite's cli.js with its
// LevelDB store in the same temporary directory (-peer-memory for its
// in-memory store). On its first run the command installs dynalite with
// npm into store/.dynalite; node and npm must be on PATH.
//
// Each operation (GetItem, PutItem, a Query returning 20 items, a
// two-item TransactWriteItems) is driven from 8 concurrent clients: a
// warm-up, then short rounds in which the targets take turns, so that a
// change in the machine's load weighs on all alike. Run
//
//	cd bench && go run ./store
//
// It prints, for each operation,
//
//	RESULT store-<op> ours=<ops/s> peer=<ops/s> ratio=<ours/peer>
//
// with peer=unsupported where dynalite does not implement the operation,
// and, as extra information, faasport's store reached in process (its own
// file, Store.HTTPClient, no network) and opened on ":memory:". See
// docs/benchmarks.md.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"maps"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/faasport/faasport/bench/internal/harness"
	"github.com/faasport/faasport/emulator/localdynamo"
)

func main() {
	if err := run(); err != nil {
		if errors.Is(err, context.Canceled) {
			err = errors.New("store: interrupted; no results")
		}
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// target is one server under test and the client driving it.
type target struct {
	name   string
	desc   string
	client *dynamodb.Client
	seq    *atomic.Int64   // order numbers for TransactWriteItems
	extra  bool            // information only, not in the RESULT lines
	unsup  map[string]bool // operations it does not run: those it lacks, and skip
	skip   map[string]bool // operations it is not meant for
	total  map[string]*sample
}

func run() error {
	clients := flag.Int("clients", 8, "concurrent clients")
	rounds := flag.Int("rounds", 5, "measured rounds per target and operation")
	round := flag.Duration("round", 600*time.Millisecond, "length of one measured round")
	// dynalite runs on V8, whose compiler keeps speeding it up for the
	// first seconds of an operation: 2 s of warm-up bring it to its steady
	// rate (300 ms left it 10-40% below it, and the ratios that high).
	warm := flag.Duration("warmup", 2*time.Second, "unmeasured run of each target before each operation's rounds")
	maxOps := flag.Int("max-ops", 1_000_000, "at most this many calls in one round")
	extras := flag.Bool("extras", true, "also measure faasport's store in process and on :memory:")
	peerMemory := flag.Bool("peer-memory", false, "run dynalite on its in-memory store instead of LevelDB on disk")
	only := flag.String("ops", "", "comma-separated operations to run (default all)")
	cacheDir := flag.String("dynalite-dir", harness.CacheDir(".dynalite", "store"), "where dynalite is installed")
	inProcess := flag.Bool("server-in-process", false, "serve faasport's store from this process instead of a child process")
	serveOnly := flag.String("serve", "", "internal: serve a store on `path` on 127.0.0.1, print its URL, and wait")
	serveMemo := flag.Bool("serve-memo", false, "internal, with -serve: answer repeated GetItems from memory")
	floor := flag.Bool("floor", false, "also measure GetItem against a server that answers repeated GetItems from memory, with no store work (information only)")
	cpuProfile := flag.String("server-cpuprofile", "", "write a CPU profile of the child serving faasport's store on a file to `file`")
	dbDir := flag.String("db-dir", "", "directory for faasport's store file and dynalite's LevelDB (default a new temporary directory)")
	// One P for faasport's server process, as dynalite runs its
	// JavaScript on one thread: on this VM, where a system call or a thread
	// wake-up costs microseconds, a Go server with an idle second P spends
	// a third of its CPU waking and parking threads (docs/benchmarks.md,
	// "One P for the server"). The client keeps one P per core: it needs
	// more than one core's worth against either server.
	procs := flag.Int("server-procs", 1, "GOMAXPROCS of faasport's server process (0: Go's default, one per core)")
	flag.Parse()
	if *procs < 0 {
		return fmt.Errorf("store: -server-procs %d: want 0 or more", *procs)
	}
	if *serveOnly != "" {
		if *procs > 0 {
			runtime.GOMAXPROCS(*procs)
		}
		return serveStore(*serveOnly, *cpuProfile, *serveMemo)
	}
	// Every loop below is bounded in count and time; the whole run too.
	deadline := time.Now().Add(120 * time.Second)
	nt := 2
	if *extras {
		nt = 4
	}
	runs := len(ops) * nt
	if *floor {
		runs++ // GetItem only
	}
	if budget := time.Duration(runs) * (time.Duration(*rounds)**round + *warm); budget > 90*time.Second || *clients < 1 || *clients > 256 {
		return fmt.Errorf("store: keep the measured time within 90s (these flags ask for %v) and -clients within 1..256", budget)
	}
	selected := ops
	if *only != "" {
		selected = nil
		for _, name := range strings.Split(*only, ",") {
			i := indexOp(name)
			if i < 0 {
				return fmt.Errorf("store: unknown operation %q", name)
			}
			selected = append(selected, ops[i])
		}
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// Servers, stores and the temporary directory to close or remove at
	// the end, last opened first.
	var closers []func() error
	defer func() {
		for _, c := range slices.Backward(closers) {
			c()
		}
	}()

	cli, err := dynalitePackage.Install(ctx, *cacheDir)
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	tmp, err := os.MkdirTemp(*dbDir, "faasport-store-bench-")
	if err != nil {
		return err
	}
	closers = append(closers, func() error { return os.RemoveAll(tmp) })

	// The peer.
	peerDB := filepath.Join(tmp, "dynalite")
	peerKind := "LevelDB in " + peerDB
	if *peerMemory {
		peerDB, peerKind = "", "in-memory store"
	}
	dyn, err := startDynalite(ctx, cli, peerDB)
	if err != nil {
		return err
	}
	closers = append(closers, func() error { dyn.Close(); return nil })

	// Ours, on a file, and on :memory: for information, each in a process
	// of its own like dynalite (or in this one, with -server-in-process).
	dbFile := filepath.Join(tmp, "store.db")
	var children []*harness.Process
	srvCPU := func() time.Duration {
		t := dyn.CPUTime()
		for _, c := range children {
			t += c.CPUTime()
		}
		return t
	}
	serve := func(path string, memo bool) (string, error) {
		if *inProcess {
			o, err := startOurs(path, memo)
			if err != nil {
				return "", err
			}
			closers = append(closers, o.Close)
			return o.URL, nil
		}
		profile := ""
		if path == dbFile {
			profile = *cpuProfile
		}
		cmd, err := storeCommand(path, profile, *procs, memo)
		if err != nil {
			return "", err
		}
		c, err := startStoreChild(ctx, cmd)
		if err != nil {
			return "", err
		}
		children = append(children, c)
		closers = append(closers, func() error { c.Close(); return nil })
		return c.URL, nil
	}
	where := "its own process"
	if *inProcess {
		where = "this process"
	}
	fileURL, err := serve(dbFile, false)
	if err != nil {
		return err
	}
	targets := []*target{
		{name: "ours", desc: fmt.Sprintf("localdynamo, SQLite file %s (WAL, synchronous=NORMAL), net/http in %s on %s", dbFile, where, fileURL),
			client: newClient(fileURL, loopbackHTTP(*clients))},
		{name: "peer", desc: fmt.Sprintf("dynalite %s, %s, node %s on %s", dynaliteVersion, peerKind, harness.NodeVersion(), dyn.URL),
			client: newClient(dyn.URL, loopbackHTTP(*clients))},
	}
	if *extras {
		inprocFile := filepath.Join(tmp, "inproc.db")
		inproc, err := localdynamo.Open(inprocFile, &localdynamo.Options{TTLSweepInterval: -1})
		if err != nil {
			return err
		}
		closers = append(closers, inproc.Close)
		memURL, err := serve(":memory:", false)
		if err != nil {
			return err
		}
		targets = append(targets,
			&target{name: "ours-inproc", desc: "localdynamo, SQLite file " + inprocFile + " (as ours), in this process through Store.HTTPClient (no network)",
				client: newClient("http://localdynamo.invalid", inproc.HTTPClient()), extra: true},
			&target{name: "ours-mem", desc: fmt.Sprintf("localdynamo on :memory:, net/http in %s on %s", where, memURL),
				client: newClient(memURL, loopbackHTTP(*clients)), extra: true})
	}
	if *floor && slices.ContainsFunc(selected, func(o op) bool { return o.name == "GetItem" }) {
		floorFile := filepath.Join(tmp, "floor.db")
		floorURL, err := serve(floorFile, true)
		if err != nil {
			return err
		}
		// Every operation but GetItem is skipped for it.
		skip := map[string]bool{}
		for _, o := range ops {
			skip[o.name] = o.name != "GetItem"
		}
		targets = append(targets, &target{name: "floor",
			desc:   fmt.Sprintf("localdynamo on SQLite file %s, net/http in %s on %s, answering each GetItem body it has seen before from memory (GetItem only)", floorFile, where, floorURL),
			client: newClient(floorURL, loopbackHTTP(*clients)), extra: true, skip: skip})
	}
	fmt.Printf("store: %d clients; per operation a %v warm-up, then %d alternating rounds of %v per target; GOMAXPROCS=%d in the client and %s in faasport's server, %s; load average %s\n",
		*clients, *warm, *rounds, *round, runtime.GOMAXPROCS(0), serverProcs(*procs, *inProcess), runtime.Version(), harness.LoadAvg())
	fmt.Println("  (cpu/op: user+system CPU time per call of the client process, this one, and of the server's process;" +
		" ours-inproc's server runs in the client process)")
	for _, t := range targets {
		t.unsup, t.total, t.seq = map[string]bool{}, map[string]*sample{}, new(atomic.Int64)
		maps.Copy(t.unsup, t.skip)
		fmt.Printf("  %-12s %s\n", t.name, t.desc)
	}

	// Same tables and items everywhere.
	for _, t := range targets {
		t0 := time.Now()
		if err := createTables(ctx, t.client); err != nil {
			return fmt.Errorf("store: %s: %w", t.name, err)
		}
		if err := seed(ctx, t.client, full); err != nil {
			return fmt.Errorf("store: %s: %w", t.name, err)
		}
		fmt.Printf("seeded %-12s %d products, %d orders in %v\n", t.name, full.products, full.customers*ordersPerCustomer, time.Since(t0).Round(time.Millisecond))
	}

	// Check that every target answers every operation as expected, and
	// find the operations the peer lacks. A Scan with a filter shows that
	// both hold the same data.
	for _, t := range targets {
		for _, o := range selected {
			if t.skip[o.name] {
				continue
			}
			s := drive(ctx, t.client, o, full, t.seq, 1, time.Minute, 1, nil)
			switch {
			case s.err == nil:
			case t.name == "peer" && isUnsupported(s.err):
				t.unsup[o.name] = true
				fmt.Printf("check: %s does not support %s (%v)\n", t.name, o.name, errors.Unwrap(s.err))
			default:
				return fmt.Errorf("store: check %s: %w", t.name, s.err)
			}
		}
		t0 := time.Now()
		n, err := scanAll(ctx, t.client)
		if err != nil {
			return fmt.Errorf("store: check %s: scan: %w", t.name, err)
		}
		if want := full.scanMatches(); n != want {
			return fmt.Errorf("store: check %s: scan matched %d items, want %d", t.name, n, want)
		}
		fmt.Printf("check: %-12s Scan of %d products with a filter matched %d (one sample: %v)\n", t.name, full.products, n, time.Since(t0).Round(100*time.Microsecond))
	}

	var results []string
	for _, o := range selected {
		fmt.Printf("\n%s\n", o.name)
		var active []*target
		for _, t := range targets {
			if !t.unsup[o.name] {
				active = append(active, t)
			}
		}
		for _, t := range active {
			if s := drive(ctx, t.client, o, full, t.seq, *clients, *warm, *maxOps, nil); s.err != nil {
				return fmt.Errorf("store: warm-up %s: %w", t.name, s.err)
			}
		}
		for r := range *rounds {
			if time.Now().After(deadline) {
				return errors.New("store: over the time bound; stopping")
			}
			line := fmt.Sprintf("  round %d:", r+1)
			// Rotate who goes first, so that no target always follows the
			// same one.
			for k := range active {
				t := active[(k+r)%len(active)]
				s := drive(ctx, t.client, o, full, t.seq, *clients, *round, *maxOps, srvCPU)
				if s.err != nil {
					return fmt.Errorf("store: %s: %w", t.name, s.err)
				}
				if t.total[o.name] == nil {
					t.total[o.name] = &sample{}
				}
				t.total[o.name].add(s)
				line += fmt.Sprintf("  %s %.0f/s", t.name, s.rate())
			}
			fmt.Println(line)
		}
		fmt.Printf("  %-12s %9s %9s %9s %9s %9s %9s %7s\n", "target", "ops/s", "p50", "p99", "cpu/op", "client", "server", "calls")
		for _, t := range targets {
			s := t.total[o.name]
			if s == nil {
				if !t.skip[o.name] {
					fmt.Printf("  %-12s %9s\n", t.name, "unsupported")
				}
				continue
			}
			per := func(d time.Duration) time.Duration { return (d / time.Duration(max(s.ops, 1))).Round(time.Microsecond) }
			fmt.Printf("  %-12s %9.0f %9v %9v %9v %9v %9v %7d\n", t.name, s.rate(), s.percentile(0.5).Round(time.Microsecond),
				s.percentile(0.99).Round(time.Microsecond), per(s.cpu+s.srvCPU), per(s.cpu), per(s.srvCPU), s.ops)
		}
		ours, peer := targets[0].total[o.name], targets[1].total[o.name]
		res := fmt.Sprintf("RESULT store-%s ours=%.0f peer=unsupported ratio=n/a", o.name, ours.rate())
		if peer != nil {
			res = fmt.Sprintf("RESULT store-%s ours=%.0f peer=%.0f ratio=%.2f", o.name, ours.rate(), peer.rate(), ours.rate()/peer.rate())
			// Client and servers share the machine's cores, so the rates
			// follow the CPU per call of client and server together; the
			// servers' share alone, for comparison.
			perCall := func(s *sample) float64 { return float64(s.srvCPU) / float64(max(s.ops, 1)) }
			fmt.Printf("  server CPU per call, ours ÷ peer: %.2f; client CPU per call, ours ÷ peer: %.2f\n",
				perCall(ours)/perCall(peer), float64(ours.cpu)/float64(max(ours.ops, 1))/(float64(peer.cpu)/float64(max(peer.ops, 1))))
		}
		for _, t := range targets[2:] {
			if s := t.total[o.name]; s != nil && peer != nil {
				fmt.Printf("  %s ÷ peer: %.2f (information only)\n", t.name, s.rate()/peer.rate())
			}
		}
		fmt.Println(res)
		results = append(results, res)
	}
	fmt.Printf("\nload average %s\n", harness.LoadAvg())
	for _, r := range results {
		fmt.Println(r)
	}
	return nil
}

func indexOp(name string) int {
	for i, o := range ops {
		if strings.EqualFold(o.name, name) {
			return i
		}
	}
	return -1
}

// serverProcs describes the GOMAXPROCS of faasport's server process, set
// to procs unless 0 or the server runs in this process.
func serverProcs(procs int, inProcess bool) string {
	switch {
	case inProcess:
		return "the same (it runs in this process)"
	case procs == 0:
		return "Go's default"
	}
	return strconv.Itoa(procs)
}
