package locallambda

import (
	"context"
	"errors"
	"log/slog"
	"maps"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/faasport/faasport/emulator/clock"
	"github.com/faasport/faasport/faas"
)

// Defaults of [Options].
const (
	DefaultRegion             = "us-east-1"
	DefaultAccountID          = "123456789012"
	DefaultAccountConcurrency = 1000
	DefaultMaxQueuedEvents    = 10000
	DefaultMaxQueuedEventSize = 256 << 20

	// MinUnreservedConcurrency is how many concurrent executions AWS keeps
	// unreserved in an account (or the whole account's concurrency, when
	// that is smaller).
	MinUnreservedConcurrency = 100
)

// DefaultRetryDelays are Lambda's waits before the second and third
// attempts of an asynchronous invocation that failed.
var DefaultRetryDelays = []time.Duration{time.Minute, 2 * time.Minute}

// Options configure a [Service]. The zero value is ready for use.
type Options struct {
	// Region appears in function ARNs. Empty means DefaultRegion
	// ("us-east-1").
	Region string

	// AccountID appears in function ARNs. Empty means DefaultAccountID
	// ("123456789012").
	AccountID string

	// AccountConcurrency is the account's concurrent execution limit,
	// shared by all functions. Zero or less means DefaultAccountConcurrency
	// (1000).
	AccountConcurrency int

	// Clock times invocations, timeouts and retry delays. Nil means
	// clock.Real().
	Clock clock.Clock

	// Logger receives Lambda's log lines and the functions' own logs. Nil
	// means slog.Default().
	Logger *slog.Logger

	// RetryDelays are the waits before each retry of an asynchronous
	// invocation that ended in a function error; their number is the
	// number of retries. Nil means DefaultRetryDelays (1 min, then 2 min:
	// two retries, as Lambda does); an empty non-nil slice means no retry.
	RetryDelays []time.Duration

	// MaxQueuedEvents bounds the asynchronous invocations accepted and not
	// yet finished; beyond it, Event invocations are throttled. Zero or
	// less means DefaultMaxQueuedEvents (10,000).
	MaxQueuedEvents int

	// MaxQueuedEventSize bounds the bytes of the payloads of those
	// invocations, which the Service holds in memory; beyond it, Event
	// invocations are throttled too. Zero or less means DefaultMaxQueuedEventSize
	// (256 MiB): 10,000 events of Lambda's 1 MB each would otherwise hold
	// 10 GB.
	MaxQueuedEventSize int

	// OnEventDone, when set, is called once for every asynchronous
	// invocation when it is finished with: succeeded, failed its last
	// attempt, or dropped (by Close, or at once for a function whose reserved
	// concurrency is 0). It is called from the Service's own
	// goroutines and must not block for long.
	OnEventDone func(EventResult)

	// Authorize, when set, decides each request to the Invoke API served
	// by [Service.Handler] before its body is read: resource is the ARN of
	// the function the request names (with its qualifier, if any), as
	// IAM policies name it for lambda:InvokeFunction. A non-nil result is
	// the answer, such as a 403 AccessDeniedException. Calls of
	// [Service.Invoke] from Go are not asked.
	Authorize func(r *http.Request, resource string) *InvokeError
}

// EventResult reports the end of an asynchronous (Event) invocation to
// [Options.OnEventDone].
type EventResult struct {
	FunctionName string
	RequestID    string // the same for every attempt, as on Lambda

	// Attempts is the number of times the function ran: 1 plus retries.
	Attempts int

	// Result is the result of the last attempt, nil when the function
	// never ran. Result.FunctionError is non-empty when the last attempt
	// failed.
	Result *InvokeResult

	// Err is non-nil when the event was dropped before it could run or be
	// retried: ErrClosed when the Service was closed, or
	// ErrZeroReservedConcurrency when the function's reserved concurrency
	// is 0.
	Err error
}

// A Service is an in-process Lambda: a set of registered functions, their
// execution environments, and the account's concurrency. It is safe for
// concurrent use. Create it with [New] and stop it with [Service.Close].
type Service struct {
	region      string
	account     string
	clock       clock.Clock
	logger      *slog.Logger
	accountConc int64
	retryDelays []time.Duration
	maxQueued   int
	maxBytes    int
	onEventDone func(EventResult)
	authorize   func(*http.Request, string) *InvokeError

	// funcs is copied on write: Register is rare, lookups are per call.
	funcs atomic.Pointer[map[string]*function]

	reservedTotal   atomic.Int64 // concurrency reserved by functions
	unreservedInUse atomic.Int64 // executions of functions without a reservation
	unreservedFreed signal       // wakes Event invocations waiting for the shared pool

	closed atomic.Bool
	quit   chan struct{} // closed by Close
	// closing is cancelled by Close: it stops the goroutines completing
	// calls whose callers stopped waiting, which background counts.
	closing    context.Context
	stopAll    context.CancelFunc
	background sync.WaitGroup

	mu          sync.Mutex // guards Register's updates, queued, queuedBytes and closing
	queued      int        // Event invocations accepted and not finished
	queuedBytes int        // the size of their payloads
	events      sync.WaitGroup
}

// New returns a Service configured by opts; nil opts is the same as
// &Options{}. The caller must call [Service.Close].
func New(opts *Options) *Service {
	if opts == nil {
		opts = &Options{}
	}
	s := &Service{
		region:      opts.Region,
		account:     opts.AccountID,
		clock:       opts.Clock,
		logger:      opts.Logger,
		accountConc: int64(opts.AccountConcurrency),
		retryDelays: opts.RetryDelays,
		maxQueued:   opts.MaxQueuedEvents,
		maxBytes:    opts.MaxQueuedEventSize,
		onEventDone: opts.OnEventDone,
		authorize:   opts.Authorize,
		quit:        make(chan struct{}),
	}
	if s.region == "" {
		s.region = DefaultRegion
	}
	if s.account == "" {
		s.account = DefaultAccountID
	}
	if s.clock == nil {
		s.clock = clock.Real()
	}
	if s.logger == nil {
		s.logger = slog.Default()
	}
	if s.accountConc <= 0 {
		s.accountConc = DefaultAccountConcurrency
	}
	if s.retryDelays == nil {
		s.retryDelays = DefaultRetryDelays
	}
	s.retryDelays = append([]time.Duration(nil), s.retryDelays...)
	if s.maxQueued <= 0 {
		s.maxQueued = DefaultMaxQueuedEvents
	}
	if s.maxBytes <= 0 {
		s.maxBytes = DefaultMaxQueuedEventSize
	}
	s.closing, s.stopAll = context.WithCancel(context.Background())
	s.funcs.Store(&map[string]*function{})
	return s
}

// ErrClosed is returned by methods of a closed [Service].
var ErrClosed = errors.New("locallambda: service closed")

// A function is a registered function and its pool of environments.
type function struct {
	name     string
	arn      string // unqualified
	cfg      faas.Config
	init     func(ctx context.Context) (faas.Function, error)
	reserved int64 // -1 when the function has no reservation
	logger   *slog.Logger
	timeout  time.Duration
	environ  map[string]string // the Invocation's Environment: never modified

	inUse atomic.Int64 // executions; counted against reserved when reserved >= 0
	freed signal       // wakes Event invocations waiting for the reservation

	mu   sync.Mutex
	idle []*env // LIFO: the most recently used environment is reused first
}

// An env is an execution environment: the function value an init call
// returned, and a context that lives as long as the environment.
type env struct {
	fn     faas.Function
	ctx    context.Context
	cancel context.CancelFunc

	// done is fn's Done channel when fn has one (see ender): once it is
	// closed, the environment is not reused.
	done <-chan struct{}

	// work hands the environment's invocations, one after another, to its
	// goroutine, which runs them until the environment is discarded (its
	// ctx cancelled): a goroutine whose stack has grown to what the
	// function needs, rather than a new one per invocation.
	work chan *call

	// timer times the environment's invocations, one after another: an
	// invocation stops it and empties its channel before giving the
	// environment back, and one that times out discards the environment.
	// waitTimer, likewise, times their callers' InvokeRequest.Timeout.
	timer, waitTimer clock.Timer
}

// runOn runs c on e's goroutine, starting it for e's first invocation.
// Only the caller holding e calls it.
func (e *env) runOn(c *call) {
	if e.work == nil {
		e.work = make(chan *call, 1)
		go e.serve()
	}
	e.work <- c
}

// serve runs e's invocations until e is discarded. Calls are handed to
// it only by the one holding e, before e can be discarded.
func (e *env) serve() {
	for {
		select {
		case c := <-e.work:
			c.run()
		case <-e.ctx.Done():
			// A call handed over before the environment was discarded
			// (its timeout can fire before this goroutine first runs)
			// still runs, as it would have on a goroutine of its own.
			select {
			case c := <-e.work:
				c.run()
			default:
			}
			return
		}
	}
}

// An ender is a function whose execution environment can end on its own,
// as a [Process] ends when its process exits: Done returns a channel that
// is closed once the function cannot serve another invocation.
type ender interface {
	Done() <-chan struct{}
}

// ended reports whether e's function has ended on its own.
func (e *env) ended() bool {
	if e.done == nil {
		return false
	}
	select {
	case <-e.done:
		return true
	default:
		return false
	}
}

// startTimer starts *t, one of an env's timers, to fire after d, making it
// on first use.
func startTimer(t *clock.Timer, clk clock.Clock, d time.Duration) clock.Timer {
	if *t == nil {
		*t = clk.NewTimer(d)
	} else {
		(*t).Reset(d)
	}
	return *t
}

// Register adds fn as the function named cfg.Name. It is
// [Service.RegisterInit] with an init that returns fn.
func (s *Service) Register(cfg faas.Config, fn faas.Function) error {
	if fn == nil {
		return faas.Errorf(faas.Invalid, "locallambda: function %s is nil", cfg.Name)
	}
	return s.RegisterInit(cfg, func(context.Context) (faas.Function, error) { return fn, nil })
}

// RegisterInit adds a function configured by cfg, whose execution
// environments are initialised by init: init runs once per environment, on
// a cold start, and the function it returns serves that environment's
// invocations. Its context lives as long as the environment and is
// cancelled when the environment is discarded or the Service closed; it
// carries a [faas.Invocation] with the function's name, ARN and logger,
// and the request id of the invocation that started the environment.
//
// When the function init returns has a method Done() <-chan struct{}, as
// those of [Process.Init] do, its environment can end on its own: once
// that channel is closed, the invocation in progress is the environment's
// last, and an idle environment is discarded instead of reused, so that
// the next invocation is a cold start.
//
// RegisterInit fails with a [faas.Error] of kind Invalid when cfg is not
// valid or its reserved concurrency would leave the account fewer than
// [MinUnreservedConcurrency] unreserved executions, and of kind Conflict
// when a function of that name exists.
func (s *Service) RegisterInit(cfg faas.Config, init func(ctx context.Context) (faas.Function, error)) error {
	if err := cfg.Validate(); err != nil {
		return err
	}
	if init == nil {
		return faas.Errorf(faas.Invalid, "locallambda: function %s has a nil init", cfg.Name)
	}
	cfg = cfg.Effective()
	f := &function{
		name:     cfg.Name,
		arn:      s.arn(cfg.Name, ""),
		cfg:      cfg,
		init:     init,
		reserved: -1,
		logger:   s.logger.With(slog.String("function", cfg.Name)),
		timeout:  cfg.Timeout,
		environ:  s.environ(cfg),
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	old := *s.funcs.Load()
	if _, ok := old[cfg.Name]; ok {
		// AWS's CreateFunction says "Function already exist: <name>".
		return faas.Errorf(faas.Conflict, "locallambda: Function already exist: %s", cfg.Name)
	}
	if cfg.ReservedConcurrency != nil {
		r := int64(*cfg.ReservedConcurrency)
		minUnreserved := min(int64(MinUnreservedConcurrency), s.accountConc)
		if s.accountConc-(s.reservedTotal.Load()+r) < minUnreserved {
			// AWS's PutFunctionConcurrency answers InvalidParameterValueException.
			return faas.Errorf(faas.Invalid,
				"locallambda: function %s: Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [%d].",
				cfg.Name, minUnreserved)
		}
		f.reserved = r
		s.reservedTotal.Add(r)
	}
	m := make(map[string]*function, len(old)+1)
	for k, v := range old {
		m[k] = v
	}
	m[cfg.Name] = f
	s.funcs.Store(&m)
	return nil
}

// Clock returns the clock the Service times invocations by:
// Options.Clock, or clock.Real().
func (s *Service) Clock() clock.Clock { return s.clock }

func (s *Service) arn(name, qualifier string) string {
	a := "arn:aws:lambda:" + s.region + ":" + s.account + ":function:" + name
	if qualifier != "" {
		a += ":" + qualifier
	}
	return a
}

// Close stops the Service. It stops accepting invocations, drops the
// asynchronous invocations waiting for capacity or for a retry, waits for
// those running to end (at most their timeout, as measured by the
// Service's clock), and discards every idle execution environment,
// cancelling its context. Synchronous invocations in progress are not
// waited for. Close returns nil; calling it again does nothing.
func (s *Service) Close() error {
	s.mu.Lock()
	if s.closed.Load() {
		s.mu.Unlock()
		return nil
	}
	s.closed.Store(true)
	close(s.quit)
	s.stopAll()
	s.mu.Unlock()

	s.events.Wait()
	// No call's bookkeeping logs after Close returns: a logger may be a
	// test's, which must not be written after the test.
	s.background.Wait()
	for _, f := range *s.funcs.Load() {
		f.mu.Lock()
		idle := f.idle
		f.idle = nil
		f.mu.Unlock()
		for _, e := range idle {
			e.cancel()
		}
	}
	return nil
}

// acquire takes one execution slot for f, or returns the throttling error.
func (s *Service) acquire(f *function) *InvokeError {
	if f.reserved >= 0 {
		for {
			n := f.inUse.Load()
			if n >= f.reserved {
				return throttled(ReasonReservedFunctionConcurrency)
			}
			if f.inUse.CompareAndSwap(n, n+1) {
				return nil
			}
		}
	}
	for {
		limit := s.accountConc - s.reservedTotal.Load()
		n := s.unreservedInUse.Load()
		if n >= limit {
			return throttled(ReasonConcurrentInvocationLimit)
		}
		if s.unreservedInUse.CompareAndSwap(n, n+1) {
			f.inUse.Add(1)
			return nil
		}
	}
}

// environ returns the environment an in-process function reads with
// faas.Getenv: cfg.Environment, and the variables Lambda sets for each
// function which do not depend on the execution environment.
func (s *Service) environ(cfg faas.Config) map[string]string {
	env := maps.Clone(cfg.Environment)
	if env == nil {
		env = make(map[string]string)
	}
	maps.Copy(env, map[string]string{
		"AWS_LAMBDA_FUNCTION_NAME":        cfg.Name,
		"AWS_LAMBDA_FUNCTION_MEMORY_SIZE": strconv.Itoa(cfg.MemoryMB),
		"AWS_LAMBDA_FUNCTION_VERSION":     "$LATEST",
		"AWS_LAMBDA_INITIALIZATION_TYPE":  "on-demand",
		"AWS_LAMBDA_LOG_GROUP_NAME":       "/aws/lambda/" + cfg.Name,
		"AWS_REGION":                      s.region,
		"AWS_DEFAULT_REGION":              s.region,
	})
	return env
}

// resourceARN is the ARN by which IAM names the function name (in any of
// its forms) with qualifier, for the Authorize hook: the function's ARN,
// qualified when a qualifier is given or carried by the name. A name that
// does not parse is put in an ARN of the Service's as it is.
func (s *Service) resourceARN(name, qualifier string) string {
	if fname, derived, ok := s.parseName(name); ok {
		if qualifier == "" {
			qualifier = derived
		}
		return s.arn(fname, qualifier)
	}
	if strings.HasPrefix(name, "arn:") {
		return name
	}
	return s.arn(name, qualifier)
}

// wouldThrottle reports the error acquire would give now to a synchronous
// invocation of the function name (with qualifier), without taking a slot;
// nil when it would not be throttled, or when the invocation is not a
// valid synchronous one (Invoke then answers it).
func (s *Service) wouldThrottle(name, qualifier string, typ InvocationType) *InvokeError {
	if typ != "" && typ != RequestResponse {
		return nil
	}
	f, _, ierr := s.lookup(name, qualifier)
	if ierr != nil {
		return nil
	}
	if f.reserved >= 0 {
		if f.inUse.Load() >= f.reserved {
			return throttled(ReasonReservedFunctionConcurrency)
		}
		return nil
	}
	if s.unreservedInUse.Load() >= s.accountConc-s.reservedTotal.Load() {
		return throttled(ReasonConcurrentInvocationLimit)
	}
	return nil
}

// release returns the slot acquire took.
func (s *Service) release(f *function) {
	f.inUse.Add(-1)
	if f.reserved >= 0 {
		f.freed.broadcast()
		return
	}
	s.unreservedInUse.Add(-1)
	s.unreservedFreed.broadcast()
}

// acquireWait is acquire for Event invocations: it waits for a free slot
// instead of failing, until the Service is closed.
func (s *Service) acquireWait(f *function) error {
	sig := &s.unreservedFreed
	if f.reserved >= 0 {
		sig = &f.freed
	}
	for {
		if s.acquire(f) == nil {
			return nil
		}
		// Register as a waiter before trying again, so that a release
		// between the failed try and the wait is not missed.
		ch := sig.wait()
		if s.acquire(f) == nil {
			sig.done()
			return nil
		}
		select {
		case <-ch:
			sig.done()
		case <-s.quit:
			sig.done()
			return ErrClosed
		}
	}
}

// getEnv returns an idle environment of f, or a new one to initialise.
// Idle environments that ended on their own are discarded on the way.
func (f *function) getEnv() (e *env, cold bool) {
	f.mu.Lock()
	for n := len(f.idle); n > 0; n-- {
		e = f.idle[n-1]
		f.idle[n-1] = nil
		f.idle = f.idle[:n-1]
		if e.ended() {
			e.cancel()
			continue
		}
		f.mu.Unlock()
		return e, false
	}
	f.mu.Unlock()
	ctx, cancel := context.WithCancel(context.Background())
	return &env{ctx: ctx, cancel: cancel}, true
}

// putEnv returns e to f's idle pool.
func (s *Service) putEnv(f *function, e *env) {
	f.mu.Lock()
	if !s.closed.Load() {
		f.idle = append(f.idle, e)
		f.mu.Unlock()
		return
	}
	f.mu.Unlock()
	e.cancel()
}

// A signal wakes goroutines waiting for an execution slot. It costs
// nothing to broadcast while nobody waits.
type signal struct {
	waiters atomic.Int32
	mu      sync.Mutex
	ch      chan struct{}
}

// wait registers a waiter and returns the channel to wait on. The waiter
// must call done when it stops waiting.
func (s *signal) wait() <-chan struct{} {
	s.waiters.Add(1)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ch == nil {
		s.ch = make(chan struct{})
	}
	return s.ch
}

func (s *signal) done() { s.waiters.Add(-1) }

func (s *signal) broadcast() {
	if s.waiters.Load() == 0 {
		return
	}
	s.mu.Lock()
	if s.ch != nil {
		close(s.ch)
		s.ch = nil
	}
	s.mu.Unlock()
}
