// Command petstore measures the pet store's serverless split against its
// monolith, on the same catalog and the same load, and checks that
// neither sells more than it has.
//
// Both deployments run in this process, with everything in memory, and
// are reached over the loopback interface only:
//
//   - the split on faasport's emulator (package petstore/split): search is
//     an HTTP GET to the API gateway, which invokes the search function,
//     whose catalog scans the product store over HTTP with SigV4-signed
//     requests checked against the function's IAM role; purchase is a
//     POST to the gateway with the user pool's ID token;
//   - the monolith (package petstore/monolith) on a net/http server, its
//     store in process as cmd/petstore wires it: search is GET
//     /api/search, purchase POST /api/purchase with the session cookie
//     and X-CSRF-Token.
//
// Customers are the parity suite's drivers (package
// petstore/parity/petparity), so both are called as their clients call
// them. Run
//
//	cd bench && go run ./petstore
//
// It loads a generated catalog of 10,000 products into both, then
//
//  1. checks that both answer every query of the mix alike;
//  2. searches with 8 workers, each a guest cycling through the mix, in
//     alternating rounds, and prints
//     RESULT search-p50 ours=<split ms> peer=<monolith ms> ratio=<split/monolith>
//     and the same for search-p99;
//  3. has 16 signed-in buyers per deployment buy 1 to 3 units of a few hot
//     products, some with little stock, in alternating rounds, and prints
//     RESULT purchase-throughput ours=<split purchases/s> peer=<monolith purchases/s> ratio=<ours/peer>
//     where purchases/s counts purchases answered for good: an order
//     placed, or 409 Conflict for want of stock (see stats.answered);
//  4. checks the stock of every hot product against the Orders table and
//     the orders the buyers got, and prints
//     RESULT oversell split=<violations> monolith=<violations>,
//     exiting with status 1 if either is not 0 (or a search failed).
//
// See docs/benchmarks.md.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"runtime/pprof"
	"strconv"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/faasport/faasport/petstore"
	"github.com/faasport/faasport/petstore/parity/petparity"
)

// config is what a run does. The command's flags set it; the test runs a
// small one.
type config struct {
	Products int // size of the generated catalog (seed 1)

	SearchWorkers int
	SearchWarmup  time.Duration // unmeasured, per deployment
	SearchRounds  int           // measured rounds per deployment
	SearchRound   time.Duration

	Buyers         int
	PurchaseRounds int // measured rounds per deployment
	PurchaseRound  time.Duration
	// Scarce are the stocks of the hot products meant to sell out;
	// Plenty hot products more have PlentyStock units each.
	Scarce      []int
	Plenty      int
	PlentyStock int

	// MaxOps, when positive, caps each worker's requests per round.
	MaxOps int
	// Timeout bounds each request.
	Timeout time.Duration
	// Only, if "split" or "monolith", measures that deployment alone
	// (for profiling).
	Only string
	// SearchProfile and PurchaseProfile, if set, receive a CPU profile
	// of the measured search rounds and purchase rounds.
	SearchProfile, PurchaseProfile io.Writer

	Out io.Writer
	Log *slog.Logger
}

// report is what a run measured and found.
type report struct {
	search, purchase map[string]*stats // by deployment name
	stock            map[string][]stockLine
}

// hotProducts sets the stock of the catalog's first products as cfg
// asks, and returns their ids and stocks.
func hotProducts(cfg config, products []petstore.Product) ([]string, map[string]int) {
	var ids []string
	stock := map[string]int{}
	n := len(cfg.Scarce) + cfg.Plenty
	for i := range min(n, len(products)) {
		p := &products[i]
		if i < len(cfg.Scarce) {
			p.Stock = cfg.Scarce[i]
		} else {
			p.Stock = cfg.PlentyStock
		}
		ids = append(ids, p.ID)
		stock[p.ID] = p.Stock
	}
	return ids, stock
}

func run(ctx context.Context, cfg config) (*report, error) {
	out := cfg.Out
	products := petstore.GenerateCatalog(cfg.Products, 1)
	hot, initial := hotProducts(cfg, products)

	// One transport for every client, keeping a connection per worker
	// alive to each server.
	tr := &http.Transport{MaxIdleConns: 256, MaxIdleConnsPerHost: 64, IdleConnTimeout: time.Minute}
	defer tr.CloseIdleConnections()

	t0 := time.Now()
	sp, err := startSplit(ctx, products, tr, cfg.Log)
	if err != nil {
		return nil, err
	}
	defer sp.close()
	tSplit := time.Since(t0)
	t0 = time.Now()
	mono, err := startMonolith(ctx, products, tr, cfg.Log)
	if err != nil {
		return nil, err
	}
	defer mono.close()
	fmt.Fprintf(out, "setup: %d products loaded into the split in %v, into the monolith in %v\n",
		len(products), tSplit.Round(time.Millisecond), time.Since(t0).Round(time.Millisecond))

	deps := []*deployment{sp, mono}
	switch cfg.Only {
	case "":
	case "split":
		deps = deps[:1]
	case "monolith":
		deps = deps[1:]
	default:
		return nil, fmt.Errorf("-only %q: want split or monolith", cfg.Only)
	}

	// Both must answer alike before their speed means anything.
	if cfg.Only == "" {
		if err := sameResults(ctx, sp, mono); err != nil {
			return nil, err
		}
	}

	rep := &report{search: map[string]*stats{}, purchase: map[string]*stats{}, stock: map[string][]stockLine{}}

	// Search. The machine may be shared: alternate the deployments in
	// short rounds, each going first in every other round, so that a
	// change in load weighs on both alike.
	work := map[string]func(context.Context, int, int, *stats){}
	for _, d := range deps {
		work[d.name] = searcher(d, cfg.SearchWorkers, cfg.Timeout)
		round(ctx, cfg.SearchWorkers, cfg.SearchWarmup, cfg.MaxOps, work[d.name])
		rep.search[d.name] = &stats{}
	}
	if cfg.SearchProfile != nil {
		if err := pprof.StartCPUProfile(cfg.SearchProfile); err != nil {
			return nil, err
		}
	}
	for r := range cfg.SearchRounds {
		for i := range deps {
			d := deps[(i+r)%len(deps)]
			rep.search[d.name].add(round(ctx, cfg.SearchWorkers, cfg.SearchRound, cfg.MaxOps, work[d.name]))
		}
	}
	if cfg.SearchProfile != nil {
		pprof.StopCPUProfile()
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	for _, d := range deps {
		s := rep.search[d.name]
		fmt.Fprintf(out, "search   %-8s %6d ok in %5.1fs: %7.1f/s  p50=%-9v p99=%-9v cpu/search=%-9v errors=%d\n",
			d.name, s.ok, s.elapsed.Seconds(), s.rate(), ms(s.quantile(0.5)), ms(s.quantile(0.99)),
			s.cpuPerOp().Round(time.Microsecond), len(s.errs))
		for i, err := range s.errs {
			if i == 5 {
				fmt.Fprintf(out, "  ... and %d more\n", len(s.errs)-i)
				break
			}
			fmt.Fprintf(out, "  %v\n", err)
		}
	}

	// Purchases: each deployment gets its own buyers, signed up and in
	// before the clock starts.
	runID := strconv.FormatInt(time.Now().UnixNano()%1e6, 36)
	for _, d := range deps {
		buyers, err := signUpBuyers(ctx, d, cfg.Buyers, runID)
		if err != nil {
			return nil, err
		}
		work[d.name] = purchaser(d, buyers, hot, runID, cfg.Timeout)
		rep.purchase[d.name] = &stats{}
	}
	if cfg.PurchaseProfile != nil {
		if err := pprof.StartCPUProfile(cfg.PurchaseProfile); err != nil {
			return nil, err
		}
	}
	for r := range cfg.PurchaseRounds {
		for i := range deps {
			d := deps[(i+r)%len(deps)]
			rep.purchase[d.name].add(round(ctx, cfg.Buyers, cfg.PurchaseRound, cfg.MaxOps, work[d.name]))
		}
	}
	if cfg.PurchaseProfile != nil {
		pprof.StopCPUProfile()
	}
	// Check the stock even if the run was cut short: no oversell, ever.
	cut := ctx.Err()
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	for _, d := range deps {
		s := rep.purchase[d.name]
		fmt.Fprintf(out, "purchase %-8s %6d placed, %d sold out (409), %d other errors, %d without answer, %d re-sent, in %5.1fs: %6.1f answered/s, %6.1f placed/s  p50=%-9v p99=%-9v cpu/attempt=%v\n",
			d.name, s.ok, s.soldOut, len(s.errs)-s.ambiguous, s.ambiguous, s.retries, s.elapsed.Seconds(), s.answered(), s.rate(),
			ms(s.quantile(0.5)), ms(s.quantile(0.99)),
			(s.cpu / time.Duration(max(s.ok+s.soldOut+len(s.errs), 1))).Round(time.Microsecond))
		for i, err := range s.errs {
			if i == 5 {
				fmt.Fprintf(out, "  ... and %d more\n", len(s.errs)-i)
				break
			}
			fmt.Fprintf(out, "  %v\n", err)
		}
		lines, err := checkStock(cctx, d, initial, hot, s.acked, s.ambiguous)
		if err != nil {
			return nil, err
		}
		rep.stock[d.name] = lines
		for _, l := range lines {
			verdict := "ok"
			if l.violation != "" {
				verdict = "VIOLATION: " + l.violation
			}
			fmt.Fprintf(out, "  stock %-8s %s: %d → %d, %d units in orders, %d in answers: %s\n",
				d.name, l.id, l.initial, l.final, l.stored, l.acked, verdict)
		}
	}
	if cut != nil {
		return nil, fmt.Errorf("purchases: %w", cut)
	}
	return rep, nil
}

// sameResults checks that both deployments give the same first page for
// every query of the mix.
func sameResults(ctx context.Context, a, b *deployment) error {
	da, db := a.driver(), b.driver()
	for _, q := range queries {
		pa, err := da.Search(ctx, nil, q, 1)
		if err != nil {
			return fmt.Errorf("%s: search %q: %w", a.name, q, err)
		}
		pb, err := db.Search(ctx, nil, q, 1)
		if err != nil {
			return fmt.Errorf("%s: search %q: %w", b.name, q, err)
		}
		if d := cmp.Diff(petparity.Page(pa).String(), petparity.Page(pb).String()); d != "" {
			return fmt.Errorf("search %q: %s and %s differ (-%s +%s):\n%s", q, a.name, b.name, a.name, b.name, d)
		}
	}
	return nil
}

// ms returns d in milliseconds, rounded for printing.
func ms(d time.Duration) string { return strconv.FormatFloat(float64(d)/1e6, 'f', 2, 64) + "ms" }

func msf(d time.Duration) float64 { return float64(d) / 1e6 }

func main() {
	cfg := config{Out: os.Stdout}
	flag.IntVar(&cfg.Products, "products", 10000, "products in the generated catalog")
	flag.IntVar(&cfg.SearchWorkers, "workers", 8, "concurrent search workers")
	flag.DurationVar(&cfg.SearchWarmup, "search-warmup", time.Second, "unmeasured search time per deployment")
	flag.IntVar(&cfg.SearchRounds, "search-rounds", 8, "measured search rounds per deployment")
	flag.DurationVar(&cfg.SearchRound, "search-round", 2*time.Second, "length of a search round")
	flag.IntVar(&cfg.Buyers, "buyers", 16, "concurrent buyers per deployment")
	flag.IntVar(&cfg.PurchaseRounds, "purchase-rounds", 4, "measured purchase rounds per deployment")
	flag.DurationVar(&cfg.PurchaseRound, "purchase-round", 2*time.Second, "length of a purchase round")
	flag.DurationVar(&cfg.Timeout, "timeout", 10*time.Second, "timeout of each request")
	flag.StringVar(&cfg.Only, "only", "", "measure \"split\" or \"monolith\" alone (for profiling); no RESULT lines")
	searchProfile := flag.String("search-cpuprofile", "", "write a CPU profile of the measured search rounds to `file`")
	purchaseProfile := flag.String("purchase-cpuprofile", "", "write a CPU profile of the measured purchase rounds to `file`")
	limit := flag.Duration("limit", 170*time.Second, "stop and fail if the run takes longer")
	verbose := flag.Bool("v", false, "log the deployments' Info messages (every request)")
	flag.Parse()
	cfg.Scarce = []int{60, 150, 300}
	cfg.Plenty, cfg.PlentyStock = 3, 100_000
	level := slog.LevelWarn
	if *verbose {
		level = slog.LevelInfo
	}
	cfg.Log = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
	if cfg.SearchRound*time.Duration(cfg.SearchRounds) > time.Minute || cfg.PurchaseRound*time.Duration(cfg.PurchaseRounds) > time.Minute {
		fmt.Fprintln(os.Stderr, "petstore: keep each phase within a minute per deployment")
		os.Exit(2)
	}

	for _, p := range []struct {
		file string
		w    *io.Writer
	}{{*searchProfile, &cfg.SearchProfile}, {*purchaseProfile, &cfg.PurchaseProfile}} {
		if p.file == "" {
			continue
		}
		f, err := os.Create(p.file)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		defer f.Close()
		*p.w = f
	}
	start := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), *limit)
	rep, err := run(ctx, cfg)
	cancel()
	if err != nil {
		fmt.Fprintln(os.Stderr, "petstore:", err)
		os.Exit(1)
	}
	fmt.Printf("whole run: %v\n", time.Since(start).Round(100*time.Millisecond))
	if cfg.Only != "" {
		return
	}
	fail := false
	ours, peer := rep.search["split"], rep.search["monolith"]
	for _, q := range []struct {
		name string
		q    float64
	}{{"search-p50", 0.5}, {"search-p99", 0.99}} {
		o, p := msf(ours.quantile(q.q)), msf(peer.quantile(q.q))
		fmt.Printf("RESULT %s ours=%.2f peer=%.2f ratio=%.2f\n", q.name, o, p, o/p)
	}
	fail = fail || len(ours.errs) > 0 || len(peer.errs) > 0
	po, pp := rep.purchase["split"], rep.purchase["monolith"]
	fmt.Printf("RESULT purchase-throughput ours=%.1f peer=%.1f ratio=%.2f\n", po.answered(), pp.answered(), po.answered()/pp.answered())
	vs, vm := violations(rep.stock["split"]), violations(rep.stock["monolith"])
	fmt.Printf("RESULT oversell split=%d monolith=%d\n", vs, vm)
	if fail || vs > 0 || vm > 0 {
		os.Exit(1)
	}
}
