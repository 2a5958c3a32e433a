// Package parity runs one table of scenarios against several deployments
// of an application — a monolith and its serverless split, say — and
// reports every step at which they differ, with go-cmp. It is how a
// migration shows that the ported system does what the original did.
//
// A deployment is reached through a driver: a value of a type D of the
// caller's choosing, usually an interface of domain operations ("sign
// in", "list page 2", "buy these") with one implementation per
// deployment. A [Scenario] is a list of [Step]s; each step calls the
// driver and returns a domain value, normalised so that it compares
// across deployments (no generated ids, timestamps or user ids of one
// deployment), or an error. Errors are compared by their faas.Kind
// only: [ResultOf] turns both into a [Result].
//
// [Play] runs every scenario on every driver and returns what happened;
// [Run] does so in a test, failing it where deployments disagree with
// each other or with a step's expectation ([Want]).
//
//	parity.Run(t, map[string]Driver{"monolith": m, "split": s}, scenarios, nil)
//
// Scenarios run in order, each on all drivers at once (one goroutine per
// driver, steps in order), and share each deployment's state: a scenario
// that buys something leaves the stock lower for the next. Give each
// scenario its own users ([State.Name]) and, where it matters, its own
// products.
//
// The pet store's scenario table and drivers are in package petparity.
package parity

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/faasport/faasport/faas"
)

// Result is the outcome of a step, in terms every deployment shares: a
// domain value on success, or the kind of error.
type Result struct {
	// Kind is "" on success, or the name of the error's [faas.Kind],
	// such as "not_found".
	Kind string
	// Value is the step's value on success: a normalised domain value
	// (structs of exported fields, slices, maps, basic types) that go-cmp
	// can compare. Nil on failure.
	Value any
	// Detail is the error's message, for the log. It is not compared:
	// deployments word their errors differently.
	Detail string
}

// OK returns the Result of a step that succeeded with v.
func OK(v any) Result { return Result{Value: v} }

// Failed returns the Result of a step that failed with an error of kind k.
func Failed(k faas.Kind) Result { return Result{Kind: k.String()} }

// ResultOf returns the Result of a step that returned v and err: OK(v)
// when err is nil, else the kind of err (Internal for errors without
// one) and its message.
func ResultOf(v any, err error) Result {
	if err == nil {
		return OK(v)
	}
	return Result{Kind: faas.KindOf(err).String(), Detail: err.Error()}
}

// Err reports whether the step failed.
func (r Result) Err() bool { return r.Kind != "" }

// String formats r for a log line: "ok <value>" or "<kind>: <detail>".
func (r Result) String() string {
	if r.Err() {
		if r.Detail == "" {
			return r.Kind
		}
		return r.Kind + ": " + r.Detail
	}
	if r.Value == nil {
		return "ok"
	}
	s := fmt.Sprintf("ok %+v", r.Value)
	if len(s) > 160 {
		s = s[:157] + "..."
	}
	return s
}

// A Want checks a step's result against what the scenario expects. It
// returns "" when got is as expected, else a description of the
// difference. opts are the comparison options of the run.
type Want func(got Result, opts ...cmp.Option) string

// Equals wants exactly r, compared with go-cmp (its Detail ignored).
func Equals(r Result) Want {
	r.Detail = ""
	return func(got Result, opts ...cmp.Option) string {
		got.Detail = ""
		if d := cmp.Diff(r, got, opts...); d != "" {
			return "(-want +got):\n" + d
		}
		return ""
	}
}

// Is wants success with the value v: Equals(OK(v)).
func Is(v any) Want { return Equals(OK(v)) }

// Succeeds wants success, with any value.
func Succeeds() Want {
	return func(got Result, _ ...cmp.Option) string {
		if got.Err() {
			return "got " + got.String() + ", want success"
		}
		return ""
	}
}

// Fails wants an error of kind k.
func Fails(k faas.Kind) Want {
	return func(got Result, _ ...cmp.Option) string {
		if got.Kind != k.String() {
			return "got " + got.String() + ", want an error of kind " + k.String()
		}
		return ""
	}
}

// Satisfies wants success with a value for which ok is true; what
// describes the requirement.
func Satisfies[V any](what string, ok func(V) bool) Want {
	return func(got Result, _ ...cmp.Option) string {
		if got.Err() {
			return "got " + got.String() + ", want " + what
		}
		v, isV := got.Value.(V)
		if !isV {
			return fmt.Sprintf("got a %T, want %s", got.Value, what)
		}
		if !ok(v) {
			return fmt.Sprintf("got %+v, want %s", v, what)
		}
		return ""
	}
}

// Step is one action of a scenario.
type Step[D any] struct {
	// Name says what the step does, for reports.
	Name string
	// Do performs the step on a deployment through its driver d. st
	// holds what earlier steps of the scenario on the same driver kept
	// (sessions, order ids). It returns a normalised domain value or an
	// error, as [ResultOf] takes them.
	Do func(ctx context.Context, d D, st *State) (any, error)
	// Want, when not nil, is what every deployment must come to. Nil
	// means only that the deployments must agree.
	Want Want
}

// Scenario is a named sequence of steps, run in order on each driver.
type Scenario[D any] struct {
	Name  string
	Steps []Step[D]
}

// State is what the steps of one scenario on one driver share. It is
// made afresh for each scenario and driver.
type State struct {
	// Deployment is the name of the driver the scenario runs on.
	Deployment string
	// Scenario is the scenario's position in the table, from 0.
	Scenario int

	vals map[string]any
}

// Get returns the value kept under key, or nil.
func (s *State) Get(key string) any { return s.vals[key] }

// Set keeps v under key for later steps.
func (s *State) Set(key string, v any) {
	if s.vals == nil {
		s.vals = map[string]any{}
	}
	s.vals[key] = v
}

// Name returns base made unique to the scenario, the same on every
// driver: "alice" in scenario 3 is "alice-s3". Scenarios share each
// deployment, so users signed up by one must not collide with another's.
func (s *State) Name(base string) string { return fmt.Sprintf("%s-s%d", base, s.Scenario) }

// Options configure [Play] and [Run]. The zero value (and nil) is ready
// for use.
type Options struct {
	// CmpOptions are passed to go-cmp for every comparison, after
	// cmpopts.EquateEmpty (nil and empty slices and maps are the same
	// domain value) and the one ignoring Result.Detail.
	CmpOptions []cmp.Option
	// StepTimeout bounds each step. Zero means 30 seconds.
	StepTimeout time.Duration
}

func (o *Options) cmpOptions() []cmp.Option {
	opts := []cmp.Option{cmpopts.EquateEmpty(), cmpopts.IgnoreFields(Result{}, "Detail")}
	if o != nil {
		opts = append(opts, o.CmpOptions...)
	}
	return opts
}

// Outcome is what one step came to on every deployment.
type Outcome struct {
	Scenario string
	Step     int // from 0
	StepName string
	// Results holds each deployment's result, by driver name.
	Results map[string]Result
	// Diffs holds a description of each disagreement: between the first
	// deployment (in name order) and each other, and between each
	// deployment and the step's Want. Empty when all is well.
	Diffs []string
}

// Play runs every scenario on every driver and returns the outcome of
// every step, in order. It fails only when ctx ends.
func Play[D any](ctx context.Context, drivers map[string]D, scenarios []Scenario[D], opts *Options) ([]Outcome, error) {
	var out []Outcome
	for i := range scenarios {
		o, err := playScenario(ctx, drivers, &scenarios[i], i, opts)
		out = append(out, o...)
		if err != nil {
			return out, err
		}
	}
	return out, nil
}

func playScenario[D any](ctx context.Context, drivers map[string]D, sc *Scenario[D], index int, opts *Options) ([]Outcome, error) {
	names := slices.Sorted(maps.Keys(drivers))
	timeout := 30 * time.Second
	if opts != nil && opts.StepTimeout > 0 {
		timeout = opts.StepTimeout
	}
	results := make(map[string][]Result, len(names))
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, name := range names {
		d := drivers[name]
		wg.Go(func() {
			st := &State{Deployment: name, Scenario: index}
			rs := make([]Result, len(sc.Steps))
			for i, step := range sc.Steps {
				sctx, cancel := context.WithTimeout(ctx, timeout)
				v, err := step.Do(sctx, d, st)
				cancel()
				rs[i] = ResultOf(v, err)
			}
			mu.Lock()
			results[name] = rs
			mu.Unlock()
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	cmpOpts := opts.cmpOptions()
	out := make([]Outcome, len(sc.Steps))
	for i, step := range sc.Steps {
		o := Outcome{Scenario: sc.Name, Step: i, StepName: step.Name, Results: make(map[string]Result, len(names))}
		for _, name := range names {
			o.Results[name] = results[name][i]
		}
		if len(names) > 0 {
			ref := names[0]
			for _, name := range names[1:] {
				if d := cmp.Diff(o.Results[ref], o.Results[name], cmpOpts...); d != "" {
					o.Diffs = append(o.Diffs, fmt.Sprintf("%s and %s differ (-%s +%s):\n%s", ref, name, ref, name, d))
				}
			}
		}
		if step.Want != nil {
			for _, name := range names {
				if d := step.Want(o.Results[name], cmpOpts...); d != "" {
					o.Diffs = append(o.Diffs, fmt.Sprintf("%s: %s", name, d))
				}
			}
		}
		out[i] = o
	}
	return out, nil
}

// Run runs every scenario on every driver, each scenario as a subtest of
// t, and fails the subtest at every step where the deployments disagree
// or one misses the step's Want. Each subtest logs a table of the
// results (shown with -v or on failure). opts may be nil.
func Run[D any](t *testing.T, drivers map[string]D, scenarios []Scenario[D], opts *Options) {
	t.Helper()
	if len(drivers) == 0 {
		t.Fatal("parity: no drivers")
	}
	names := slices.Sorted(maps.Keys(drivers))
	for i := range scenarios {
		sc := &scenarios[i]
		t.Run(sc.Name, func(t *testing.T) {
			outcomes, err := playScenario(t.Context(), drivers, sc, i, opts)
			if err != nil {
				t.Fatalf("parity: %v", err)
			}
			var log strings.Builder
			for _, o := range outcomes {
				fmt.Fprintf(&log, "\n%d. %s", o.Step+1, o.StepName)
				for _, name := range names {
					fmt.Fprintf(&log, "\n    %-10s %s", name+":", o.Results[name])
				}
			}
			t.Logf("results:%s", log.String())
			for _, o := range outcomes {
				for _, d := range o.Diffs {
					t.Errorf("step %d (%s): %s", o.Step+1, o.StepName, d)
				}
			}
		})
	}
}
