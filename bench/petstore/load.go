package main

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"syscall"
	"time"

	"github.com/faasport/faasport/faas"
	"github.com/faasport/faasport/petstore"
	"github.com/faasport/faasport/petstore/parity/petparity"
)

// queries is the search mix: words of the generated catalog's names,
// categories and descriptions, one and two words, broad ("cat" matches a
// fifth of the catalog) and narrow, and one that matches nothing. Every
// worker goes through all of them, starting at its own place.
var queries = []string{
	"dog bed", "leash", "collar", "chew toy", "cat tree",
	"scratching post", "litter box", "catnip", "cat", "aquarium",
	"filter", "heater", "flake food", "bird cage", "seed mix",
	"perch", "hay", "exercise wheel", "hutch", "cozy",
	"waterproof raincoat", "unicorn",
}

// stats are what a load phase measured on one deployment.
type stats struct {
	lat     []time.Duration // of the searches that succeeded, of the purchases answered (placed or 409)
	elapsed time.Duration   // wall-clock time of the rounds
	cpu     time.Duration   // process CPU time during the rounds (client and server)
	ok      int             // successful requests (searches, or purchases placed)
	errs    []error         // searches: every failure; purchases: failures other than 409
	// purchases only
	soldOut   int // answered 409 Conflict: not enough stock
	ambiguous int // gave up without an answer: the order may or may not exist
	retries   int // re-sent with the same idempotency key
	acked     map[string]int
}

func (s *stats) add(o *stats) {
	s.lat = append(s.lat, o.lat...)
	s.elapsed += o.elapsed
	s.cpu += o.cpu
	s.ok += o.ok
	s.errs = append(s.errs, o.errs...)
	s.soldOut += o.soldOut
	s.ambiguous += o.ambiguous
	s.retries += o.retries
	for id, q := range o.acked {
		if s.acked == nil {
			s.acked = map[string]int{}
		}
		s.acked[id] += q
	}
}

func (s *stats) quantile(q float64) time.Duration {
	if len(s.lat) == 0 {
		return 0
	}
	l := slices.Clone(s.lat)
	slices.Sort(l)
	return l[min(int(float64(len(l))*q), len(l)-1)]
}

func (s *stats) rate() float64 { return float64(s.ok) / s.elapsed.Seconds() }

// answered is the rate of purchases answered for good: an order placed,
// or 409 for want of stock. Both cost a full purchase (the replay
// check, the quote and the transaction), and the mix of the two depends
// on when the scarce products sold out, which happens sooner for the
// faster deployment; so this, not rate, is the throughput compared.
func (s *stats) answered() float64 { return float64(s.ok+s.soldOut) / s.elapsed.Seconds() }

func (s *stats) cpuPerOp() time.Duration { return s.cpu / time.Duration(max(s.ok, 1)) }

// round runs n workers until d has passed (each finishing the request it
// is in), or until each has made max requests when max > 0. work makes
// one request; worker i's results go to its own stats.
func round(ctx context.Context, n int, d time.Duration, maxOps int, work func(ctx context.Context, worker, seq int, s *stats)) *stats {
	var (
		mu  sync.Mutex
		all stats
		wg  sync.WaitGroup
	)
	cpu0 := cpuTime()
	start := time.Now()
	end := start.Add(d)
	for w := range n {
		wg.Go(func() {
			var mine stats
			for seq := 0; maxOps <= 0 || seq < maxOps; seq++ {
				if time.Now().After(end) || ctx.Err() != nil {
					break
				}
				work(ctx, w, seq, &mine)
			}
			mu.Lock()
			all.add(&mine)
			mu.Unlock()
		})
	}
	wg.Wait()
	all.elapsed = time.Since(start)
	all.cpu = cpuTime() - cpu0
	return &all
}

// searcher returns the work of a search worker on d: a guest searching
// for the queries in turn, starting at its own place in the list.
func searcher(d *deployment, workers int, timeout time.Duration) func(ctx context.Context, w, seq int, s *stats) {
	drivers := make([]petparity.Driver, workers)
	for i := range drivers {
		drivers[i] = d.driver()
	}
	return func(ctx context.Context, w, seq int, s *stats) {
		q := queries[(w*len(queries)/max(workers, 1)+seq)%len(queries)]
		ctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		t0 := time.Now()
		p, err := drivers[w].Search(ctx, nil, q, 1)
		el := time.Since(t0)
		if err == nil && p.Page != 1 {
			err = fmt.Errorf("page %d, want 1", p.Page)
		}
		if err != nil {
			s.errs = append(s.errs, fmt.Errorf("%s: search %q: %w", d.name, q, err))
			return
		}
		s.ok++
		s.lat = append(s.lat, el)
	}
}

// A buyer is a signed-in customer of one deployment.
type buyer struct {
	drv  petparity.Driver
	sess petparity.Session
	rnd  *rand.Rand
}

// signUpBuyers signs n customers up and in on d, one after another.
func signUpBuyers(ctx context.Context, d *deployment, n int, run string) ([]*buyer, error) {
	const password = "bench-pw-4-pets" // a letter and a digit: both deployments accept it
	bs := make([]*buyer, n)
	for i := range bs {
		user := fmt.Sprintf("buyer-%s-%02d", run, i)
		drv := d.driver()
		if err := drv.SignUp(ctx, user, password); err != nil {
			return nil, fmt.Errorf("%s: signing up %s: %w", d.name, user, err)
		}
		sess, err := drv.SignIn(ctx, user, password)
		if err != nil {
			return nil, fmt.Errorf("%s: signing in %s: %w", d.name, user, err)
		}
		bs[i] = &buyer{drv: drv, sess: sess, rnd: rand.New(rand.NewPCG(uint64(i), 42))}
	}
	return bs, nil
}

// purchaser returns the work of buyers on d: each purchase is one hot
// product, or two different ones (one purchase in four), 1 to 3 units
// each, with an idempotency key of its own. A purchase that gets no
// answer (a timeout, a 429 or a 5xx) is sent again with the same key,
// up to 3 times, as a careful client would; if none answers, its
// outcome is ambiguous and the checks rely on the store alone.
func purchaser(d *deployment, buyers []*buyer, hot []string, run string, timeout time.Duration) func(ctx context.Context, w, seq int, s *stats) {
	return func(ctx context.Context, w, seq int, s *stats) {
		b := buyers[w]
		i := b.rnd.IntN(len(hot))
		items := []petstore.LineItem{{ProductID: hot[i], Quantity: 1 + b.rnd.IntN(3)}}
		if b.rnd.IntN(4) == 0 {
			j := (i + 1 + b.rnd.IntN(len(hot)-1)) % len(hot)
			items = append(items, petstore.LineItem{ProductID: hot[j], Quantity: 1 + b.rnd.IntN(3)})
		}
		key := fmt.Sprintf("bench-%s-%s-%02d-%06d-%08x", run, d.name, w, seq, b.rnd.Uint32())
		t0 := time.Now()
		for attempt := 1; ; attempt++ {
			actx, cancel := context.WithTimeout(ctx, timeout)
			o, err := b.drv.Purchase(actx, b.sess, items, key)
			cancel()
			var fe *faas.Error
			errors.As(err, &fe)
			switch {
			case err == nil:
				s.ok++
				s.lat = append(s.lat, time.Since(t0))
				if s.acked == nil {
					s.acked = map[string]int{}
				}
				for _, l := range o.Lines {
					s.acked[l.ProductID] += l.Quantity
				}
				return
			case fe != nil && fe.Kind == faas.Conflict:
				s.soldOut++
				s.lat = append(s.lat, time.Since(t0))
				return
			case fe != nil && (fe.Kind == faas.Invalid || fe.Kind == faas.NotFound ||
				fe.Kind == faas.Unauthenticated || fe.Kind == faas.Forbidden):
				// Definite refusals: nothing was bought.
				s.errs = append(s.errs, fmt.Errorf("%s: purchase %v: %w", d.name, items, err))
				return
			case attempt == 3 || ctx.Err() != nil:
				s.ambiguous++
				s.errs = append(s.errs, fmt.Errorf("%s: purchase %v (key %s), no answer after %d attempts: %w", d.name, items, key, attempt, err))
				return
			}
			s.retries++
			time.Sleep(time.Duration(attempt*attempt) * 20 * time.Millisecond)
		}
	}
}

// cpuTime returns the CPU time the process has used, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
