package locallambda

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-lambda-go/lambdacontext"

	"github.com/faasport/faasport/adapter"
	"github.com/faasport/faasport/emulator/clock"
	"github.com/faasport/faasport/faas"
	"github.com/faasport/faasport/internal/ctxkey"
)

// The states of a call. The goroutine running the function and the
// waiter racing it to the timeout both try to leave stateRunning; the one
// that does decides the outcome and cancels the invocation's context.
const (
	stateRunning int32 = iota
	stateFinished
	stateTimedOut
)

// A call is one invocation in progress: the function runs in a goroutine
// of its own, so that its timeout can end the invocation without it.
type call struct {
	s        *Service
	f        *function
	env      *env
	cold     bool
	id       string
	payload  []byte
	start    time.Time // when the invocation began, init included
	invStart time.Time // when the handler was called; written by run
	timer    clock.Timer

	inv    faas.Invocation
	ccErr  error // why aws-lambda-go could not read the client context
	ctx    invContext
	h      invHandler
	logger slog.Logger // inv.Logger, through h
	tail   *tailBuffer // nil unless the caller asked for the log tail

	state    atomic.Int32
	initDur  atomic.Int64 // nanoseconds; set on a cold start once init returns
	initDone atomic.Bool  // set after initDur

	// Written by run before it finishes the call.
	out        []byte
	err        error
	errPayload []byte // the payload of a panic or an init failure
	panicked   bool
	initFailed bool
	goexited   bool // the function called runtime.Goexit
}

// stablePayload is the parent context of the invocations whose payload
// nobody writes to again: one for all.
var stablePayload = adapter.WithStablePayload(context.Background())

// start begins an invocation of f in an environment from f's pool. The
// caller has acquired an execution slot, which the call releases.
//
// owned reports that nobody writes to payload again (see
// InvokeRequest.PayloadOwned). clientCtx is the caller's client context,
// a JSON object, or nil; trace is the caller's trace header, or "".
func (s *Service) start(f *function, arn, id string, payload []byte, owned, tail bool, clientCtx []byte, trace string) *call {
	e, cold := f.getEnv()
	if cold {
		// The init function logs through the function's logger.
		e.ctx = faas.WithInvocation(e.ctx, &faas.Invocation{RequestID: id, FunctionName: f.name, FunctionARN: f.arn, Logger: f.logger, Environment: f.environ})
		e.ctx = context.WithValue(e.ctx, settingsKey{}, &settings{cfg: f.cfg, region: s.region, clock: s.clock})
	}
	c := &call{s: s, f: f, env: e, cold: cold, id: id, payload: payload}
	c.ctx.done = make(chan struct{})
	c.h = invHandler{inner: f.logger.Handler(), id: id}
	if tail {
		c.tail = &tailBuffer{}
		c.h.tail = slog.NewTextHandler(c.tail, nil)
		c.h.raw = c.tail
	}
	c.logger = *slog.New(&c.h) // held in c: one allocation fewer per call
	c.inv = faas.Invocation{RequestID: id, FunctionName: f.name, FunctionARN: arn, Logger: &c.logger, Environment: f.environ}
	// The Invocation goes on the context as a value only: invContext
	// enforces the deadline by the Service's clock, and cancels, itself.
	// (faas.NewContext would add a timer of the real clock, or a
	// cancelCtx that nothing cancels.)
	parent := context.Background()
	if owned {
		parent = stablePayload
	}
	parent = faas.WithInvocation(parent, &c.inv)
	// Functions written against aws-lambda-go read the invocation from
	// lambdacontext, as its runtime sets it on Lambda.
	c.ctx.inv = &c.inv
	if clientCtx != nil {
		parent = context.WithValue(parent, clientContextKey{}, clientCtx)
		lc := &lambdacontext.LambdaContext{AwsRequestID: id, InvokedFunctionArn: arn}
		if err := json.Unmarshal(clientCtx, &lc.ClientContext); err != nil {
			c.ccErr = fmt.Errorf("failed to unmarshal client context json: %v", err)
		}
		c.ctx.lc = lc
	}
	if lambdaContextKey == nil {
		parent = lambdacontext.NewContext(parent, c.ctx.lambdaContext())
	}
	c.start = s.clock.Now()
	c.invStart = c.start
	c.ctx.callerTrace, c.ctx.started = trace, c.start
	c.inv.Deadline = c.start.Add(f.timeout)
	c.ctx.Context = parent
	c.ctx.deadline = c.inv.Deadline

	if c.logging(slog.LevelInfo) {
		c.platform(slog.LevelInfo, "START RequestId: "+id+" Version: $LATEST")
	}
	c.timer = startTimer(&e.timer, s.clock, f.timeout)
	e.runOn(c)
	return c
}

// run runs the call on the environment's goroutine and finishes it,
// however the function ends: by returning, panicking or calling
// runtime.Goexit.
func (c *call) run() {
	returned := false
	defer func() {
		if v := recover(); v != nil {
			c.errPayload = panicResponse(v, panicStack())
			c.panicked = true
		} else if !returned {
			// runtime.Goexit: the environment's goroutine is gone.
			c.goexited = true
		}
		c.finish()
	}()
	c.invoke()
	returned = true
}

// invoke initialises the environment on a cold start, then invokes the
// function.
func (c *call) invoke() {
	if c.cold {
		t0 := c.s.clock.Now()
		fn, err := c.f.init(c.env.ctx)
		c.initDur.Store(int64(c.s.clock.Since(t0)))
		c.initDone.Store(true)
		if err == nil && fn == nil {
			err = errors.New("locallambda: init returned a nil function")
		}
		if err != nil {
			c.errPayload = errorResponse(err)
			c.initFailed = true
			return
		}
		c.env.fn = fn
		if d, ok := fn.(ender); ok {
			c.env.done = d.Done()
		}
		c.invStart = c.s.clock.Now()
	}
	if _, ok := c.env.fn.(*runtimeProcess); c.ccErr != nil && !ok {
		// aws-lambda-go's runtime fails the invocation so; an executable's
		// runtime reads the client context itself.
		c.err = c.ccErr
		return
	}
	c.out, c.err = c.env.fn.Invoke(&c.ctx, c.payload)
}

// clientContextKey is the context key of an invocation's client context,
// as the JSON an executable's runtime gets in Lambda-Runtime-Client-Context.
type clientContextKey struct{}

// finish ends the call on the function's side, unless it timed out.
func (c *call) finish() {
	if c.state.CompareAndSwap(stateRunning, stateFinished) {
		c.ctx.err = context.Canceled
		close(c.ctx.done)
	}
}

// wait waits for the call to end and returns its result. If ctx is done
// first, wait returns ctx.Err(), and if limit (when positive) passes
// first, context.DeadlineExceeded, each with a result holding only the
// request id; the call is then completed in the background.
func (c *call) wait(ctx context.Context, limit time.Duration) (*InvokeResult, error) {
	if limit >= c.f.timeout {
		// The function's own timer, started before this wait by the same
		// clock, fires no later: no second timer is needed (a gateway's
		// integration timeout above the function's, the common case).
		limit = 0
	}
	var limitC <-chan time.Time
	if limit > 0 {
		limitC = startTimer(&c.env.waitTimer, c.s.clock, limit).C()
	}
	select {
	case <-c.ctx.done:
		stop(c.timer)
		if limit > 0 {
			stop(c.env.waitTimer)
		}
		return c.finished(), nil
	case <-c.timer.C():
		if limit > 0 {
			stop(c.env.waitTimer)
		}
		if c.state.CompareAndSwap(stateRunning, stateTimedOut) {
			c.ctx.err = context.DeadlineExceeded
			close(c.ctx.done)
			return c.timedOut(), nil
		}
		<-c.ctx.done // the function finished as the timer fired
		return c.finished(), nil
	case <-ctx.Done():
		if limit > 0 {
			stop(c.env.waitTimer)
		}
		if ctx != c.s.closing {
			c.completeLater()
		}
		return &InvokeResult{RequestID: c.id}, ctx.Err()
	case <-limitC:
		c.completeLater()
		return &InvokeResult{RequestID: c.id}, context.DeadlineExceeded
	}
}

// completeLater completes the call's bookkeeping (its END and REPORT
// lines, its environment, its concurrency slot) in the background, once
// its function ends or times out, or until the Service closes.
func (c *call) completeLater() {
	s := c.s
	s.mu.Lock() // not after Close has begun waiting
	if s.closed.Load() {
		s.mu.Unlock()
		return
	}
	s.background.Add(1)
	s.mu.Unlock()
	go func() {
		defer s.background.Done()
		c.wait(s.closing, 0)
	}()
}

// stop stops t and empties its channel (which a fake clock's timer
// buffers) should it have fired meanwhile, so that the environment's next
// invocation can reuse it.
func stop(t clock.Timer) {
	if !t.Stop() {
		select {
		case <-t.C():
		default:
		}
	}
}

// finished completes a call whose function returned or panicked.
func (c *call) finished() *InvokeResult {
	r := &InvokeResult{StatusCode: 200, ExecutedVersion: "$LATEST", RequestID: c.id}
	discard := false
	switch {
	case c.errPayload != nil: // a panic or an init failure
		r.Payload, r.FunctionError = c.errPayload, FunctionErrorUnhandled
		discard = true
		if c.logging(slog.LevelError) {
			what := "function panicked"
			if c.initFailed {
				what = "function init failed"
			}
			c.f.logger.LogAttrs(context.Background(), slog.LevelError, what,
				slog.String("request_id", c.id), slog.String("error", string(c.errPayload)))
			if c.panicked {
				// aws-lambda-go logs the payload, gives up on the
				// process, and Lambda reports its exit.
				c.runtimeLog(string(c.errPayload))
				c.runtimeLog("calling the handler function resulted in a panic, the process should exit")
				c.platform(slog.LevelError, "RequestId: "+c.id+" Error: Runtime exited with error: exit status 1")
				c.platform(slog.LevelError, "Runtime.ExitError")
			}
		}
	case c.err != nil:
		r.Payload, r.FunctionError = errorResponse(c.err), FunctionErrorUnhandled
		// As aws-lambda-go's runtime logs it; a runtime relaying its
		// errors (a Process) logs its own.
		var pe *PayloadError
		if !errors.As(c.err, &pe) && c.logging(slog.LevelError) {
			c.runtimeLog(string(r.Payload))
		}
	case len(c.out) > MaxResponseSize:
		r.Payload, r.FunctionError = bytes.Clone(responseTooLarge), FunctionErrorUnhandled
	default:
		r.Payload = c.out
	}
	if c.goexited {
		// The function ended the environment's goroutine, not the
		// environment: its next invocation starts another.
		c.env.work = nil
	}
	end := c.s.clock.Now()
	if discard || c.env.ended() {
		c.env.cancel()
	} else {
		c.s.putEnv(c.f, c.env)
	}
	c.s.release(c.f)
	c.logEnd(end.Sub(c.invStart), r, false)
	return r
}

// timedOut completes a call whose function outran its timeout.
func (c *call) timedOut() *InvokeResult {
	end := c.s.clock.Now()
	secs := strconv.FormatFloat(c.f.timeout.Seconds(), 'f', 2, 64)
	r := &InvokeResult{
		StatusCode:      200,
		FunctionError:   FunctionErrorUnhandled,
		ExecutedVersion: "$LATEST",
		RequestID:       c.id,
		Payload: mustJSON(platformError{
			Type:    "Sandbox.Timedout",
			Message: "RequestId: " + c.id + " Error: Task timed out after " + secs + " seconds",
		}),
	}
	c.env.cancel()
	c.s.release(c.f)
	if c.logging(slog.LevelError) {
		c.platform(slog.LevelError, end.UTC().Format("2006-01-02T15:04:05.000Z07:00")+" "+c.id+" Task timed out after "+secs+" seconds")
	}
	// Its Duration is the timeout, as Lambda reports it.
	c.logEnd(c.f.timeout, r, true)
	return r
}

// settings are what the Service tells an environment's init function
// besides the Invocation: the function's configuration and the Service's
// region and clock. They ride on the init context under settingsKey.
type settings struct {
	cfg    faas.Config // effective
	region string
	clock  clock.Clock
}

type settingsKey struct{}

// newRequestID returns a random (version 4) UUID, as Lambda's request
// ids are.
func newRequestID() string { return adapter.NewRequestID() }

// invContext is an invocation's context: the Invocation's values, the
// invocation's deadline by the Service's clock, and cancellation when the
// invocation ends or times out. Cancellation of the caller's context does
// not reach it: on Lambda, a function runs on when its caller goes away.
type invContext struct {
	context.Context // values only
	deadline        time.Time
	done            chan struct{}
	err             error // set before done is closed

	// What aws-lambda-go's lambdacontext gives the function, made the
	// first time it is asked for (at once if there is a client context).
	inv    *faas.Invocation // request id and ARN
	lcOnce sync.Once
	lc     *lambdacontext.LambdaContext

	callerTrace string    // the caller's trace header, or ""
	started     time.Time // when the invocation began, for a fresh trace
	traceOnce   sync.Once // makes trace from callerTrace
	trace       string    // the invocation's trace header
}

// Value answers aws-lambda-go's keys as its runtime does on Lambda: its
// lambdacontext key with the invocation's LambdaContext, and
// "x-amzn-trace-id" with the invocation's trace header (worked out the
// first time it is asked for). Other keys are the invocation's values.
func (c *invContext) Value(key any) any {
	if k, ok := key.(string); ok && k == traceKey {
		return c.traceID()
	}
	if key == lambdaContextKey && key != nil {
		return c.lambdaContext()
	}
	return c.Context.Value(key)
}

// lambdaContext returns the invocation's LambdaContext.
func (c *invContext) lambdaContext() *lambdacontext.LambdaContext {
	c.lcOnce.Do(func() {
		if c.lc == nil {
			c.lc = &lambdacontext.LambdaContext{AwsRequestID: c.inv.RequestID, InvokedFunctionArn: c.inv.FunctionARN}
		}
	})
	return c.lc
}

// traceID returns the invocation's trace header: the caller's continued,
// or a fresh one.
func (c *invContext) traceID() string {
	c.traceOnce.Do(func() { c.trace = continueTrace(c.callerTrace, c.started) })
	return c.trace
}

// traceKey is the context key under which aws-lambda-go gives functions
// their trace header.
const traceKey = "x-amzn-trace-id"

// lambdaContextKey is lambdacontext's unexported context key, as
// lambdacontext.FromContext asks for it, so that invContext can answer it
// without a context.WithValue per invocation. Nil if FromContext did not
// ask (then the LambdaContext goes on the context with NewContext).
var lambdaContextKey = ctxkey.Of(func(ctx context.Context) { lambdacontext.FromContext(ctx) })

func (c *invContext) Deadline() (time.Time, bool) { return c.deadline, true }
func (c *invContext) Done() <-chan struct{}       { return c.done }
func (c *invContext) String() string              { return "locallambda.invocationContext" }

func (c *invContext) Err() error {
	select {
	case <-c.done:
		return c.err
	default:
		return nil
	}
}
