package locallambda_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"
	"unsafe"

	"github.com/faasport/faasport/adapter"
	"github.com/faasport/faasport/emulator/locallambda"
	"github.com/faasport/faasport/faas"
)

// TestPayloadIsJSON checks that PayloadIsJSON skips the payload check,
// and only that.
func TestPayloadIsJSON(t *testing.T) {
	s := newService(t, nil)
	mustRegister(t, s, faas.Config{Name: "f"}, echo)
	for _, p := range []string{`{"a":1}`, `not JSON, trusted anyway`} {
		res, err := s.Invoke(context.Background(), locallambda.InvokeRequest{FunctionName: "f", Payload: []byte(p), PayloadIsJSON: true})
		if err != nil || string(res.Payload) != p {
			t.Errorf("Invoke(%s, PayloadIsJSON) = %+v, %v; want the payload back", p, res, err)
		}
	}
	res, err := s.Invoke(context.Background(), locallambda.InvokeRequest{FunctionName: "f", PayloadIsJSON: true})
	if err != nil || string(res.Payload) != "{}" {
		t.Errorf("Invoke(empty, PayloadIsJSON) = %+v, %v; want {}", res, err)
	}
	if _, err := s.Invoke(context.Background(), locallambda.InvokeRequest{FunctionName: "f", Payload: []byte(`{`)}); invokeErr(t, err).StatusCode != 400 {
		t.Errorf("Invoke({) without PayloadIsJSON = %v, want 400", err)
	}
}

// TestTimerReuse checks that a warm invocation, which reuses its
// environment's timer, gets a timeout of its own: the earlier invocation's
// timer, stopped, does not fire into it.
func TestTimerReuse(t *testing.T) {
	clk := fakeClock()
	s := newService(t, &locallambda.Options{Clock: clk})
	var inits atomic.Int32
	s.RegisterInit(faas.Config{Name: "f", Timeout: time.Second}, counted(&inits, func(int32) faas.Function {
		return faas.FunctionFunc(func(ctx context.Context, p []byte) ([]byte, error) {
			if string(p) == `"hang"` {
				<-ctx.Done()
				return nil, ctx.Err()
			}
			return p, nil
		})
	}))
	for range 3 {
		if res, err := s.Invoke(context.Background(), locallambda.InvokeRequest{FunctionName: "f", Payload: []byte(`1`)}); err != nil || res.FunctionError != "" {
			t.Fatalf("Invoke = %+v, %v", res, err)
		}
		if n := clk.Pending(); n != 0 {
			t.Fatalf("%d timers armed after the invocation, want 0", n)
		}
		clk.Advance(2 * time.Second)
	}
	done := invokeAsync(s, locallambda.InvokeRequest{FunctionName: "f", Payload: []byte(`"hang"`)})
	clk.BlockUntil(1)
	clk.Advance(time.Second - time.Nanosecond)
	select {
	case o := <-done:
		t.Fatalf("warm invocation ended before its timeout: %+v, %v", o.res, o.err)
	default:
	}
	clk.Advance(time.Nanosecond)
	if o := <-done; o.err != nil || o.res.FunctionError != "Unhandled" {
		t.Fatalf("Invoke = %+v, %v; want a timeout", o.res, o.err)
	}
	if got := inits.Load(); got != 1 {
		t.Errorf("init ran %d times, want 1 (warm invocations)", got)
	}
}

// TestGoexit checks that a function calling runtime.Goexit ends its
// invocation with an empty result and leaves the environment usable: the
// next invocation is warm and runs.
func TestGoexit(t *testing.T) {
	s := newService(t, nil)
	var inits atomic.Int32
	s.RegisterInit(faas.Config{Name: "f"}, counted(&inits, func(int32) faas.Function {
		return faas.FunctionFunc(func(_ context.Context, p []byte) ([]byte, error) {
			if string(p) == `"exit"` {
				runtime.Goexit()
			}
			return p, nil
		})
	}))
	for i, p := range []string{`"exit"`, `"a"`, `"exit"`, `"exit"`, `"b"`} {
		res, err := s.Invoke(context.Background(), locallambda.InvokeRequest{FunctionName: "f", Payload: []byte(p)})
		if err != nil || res.FunctionError != "" {
			t.Fatalf("invocation %d (%s) = %+v, %v", i, p, res, err)
		}
		want := p
		if p == `"exit"` {
			want = ""
		}
		if string(res.Payload) != want {
			t.Errorf("invocation %d (%s) returned %q, want %q", i, p, res.Payload, want)
		}
	}
	if got := inits.Load(); got != 1 {
		t.Errorf("init ran %d times, want 1: Goexit does not discard the environment", got)
	}
}

// TestEnvironmentGoroutines checks that invocations leave no goroutine
// behind but the one of the idle environment, whether they panic
// (discarding the environment) or not, and that Close ends what remains.
func TestEnvironmentGoroutines(t *testing.T) {
	base := runtime.NumGoroutine()
	s := locallambda.New(&locallambda.Options{Logger: slog.New(slog.DiscardHandler)})
	var inits atomic.Int32
	s.RegisterInit(faas.Config{Name: "f"}, counted(&inits, func(int32) faas.Function {
		return faas.FunctionFunc(func(_ context.Context, p []byte) ([]byte, error) {
			if string(p) == `"panic"` {
				panic("boom")
			}
			return p, nil
		})
	}))
	invoke := func(p string) {
		t.Helper()
		if _, err := s.Invoke(context.Background(), locallambda.InvokeRequest{FunctionName: "f", Payload: []byte(p)}); err != nil {
			t.Fatal(err)
		}
	}
	for range 20 {
		invoke(`"panic"`)
		invoke(`1`)
	}
	waitGoroutines(t, base+1) // the environment kept for reuse runs one
	n := inits.Load()
	invoke(`2`)
	if got := inits.Load(); got != n {
		t.Errorf("init ran again: the environment was not kept")
	}
	s.Close()
	waitGoroutines(t, base)
}

// TestPayloadOwned checks that functions are told, through
// adapter.WithStablePayload, that they may keep parts of a payload
// without copying them only when nobody writes to it again: the caller
// handed it over, or it is an Event invocation's own copy.
func TestPayloadOwned(t *testing.T) {
	stable := make(chan bool, 1)
	s := newService(t, nil)
	mustRegister(t, s, faas.Config{Name: "f"}, faas.FunctionFunc(func(ctx context.Context, p []byte) ([]byte, error) {
		stable <- sharesPayload(ctx)
		return nil, nil
	}))
	for _, tc := range []struct {
		name string
		req  locallambda.InvokeRequest
		want bool
	}{
		{"not owned", locallambda.InvokeRequest{FunctionName: "f", Payload: []byte(`{}`)}, false},
		{"owned", locallambda.InvokeRequest{FunctionName: "f", Payload: []byte(`{}`), PayloadOwned: true}, true},
		{"event", locallambda.InvokeRequest{FunctionName: "f", Payload: []byte(`{}`), InvocationType: locallambda.Event}, true},
	} {
		if _, err := s.Invoke(context.Background(), tc.req); err != nil {
			t.Fatal(err)
		}
		if got := <-stable; got != tc.want {
			t.Errorf("%s: the adapter shares the payload's memory: %v, want %v", tc.name, got, tc.want)
		}
	}
}

// sharesPayload reports whether, under ctx, an adapter.Handler shares its
// payload's memory with the request it builds (see
// adapter.WithStablePayload).
func sharesPayload(ctx context.Context) bool {
	payload := []byte(`{"version":"2.0","rawPath":"/","headers":{"x-kept":"kept"},"requestContext":{"http":{"method":"GET","path":"/"}}}`)
	var kept string
	h := adapter.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { kept = r.Header.Get("X-Kept") }))
	if _, err := h.Invoke(ctx, payload); err != nil || kept != "kept" {
		return false
	}
	return unsafe.StringData(kept) == &payload[bytes.Index(payload, []byte(`"kept"`))+1]
}

// TestCallerTimeout checks InvokeRequest.Timeout: the caller gets
// context.DeadlineExceeded when it passes first, and the function runs on
// and gives its environment back; an invocation that ends in time leaves
// no timer armed.
func TestCallerTimeout(t *testing.T) {
	clk := fakeClock()
	s := newService(t, &locallambda.Options{Clock: clk})
	release := make(chan struct{})
	var inits, ended atomic.Int32
	// Reserved concurrency 1: the next invocation waits for the one the
	// caller left to end and give its environment back.
	s.RegisterInit(faas.Config{Name: "f", Timeout: 10 * time.Second, ReservedConcurrency: ptr(1)}, counted(&inits, func(int32) faas.Function {
		return faas.FunctionFunc(func(ctx context.Context, p []byte) ([]byte, error) {
			if string(p) == `"wait"` {
				<-release
				ended.Add(1)
			}
			return p, nil
		})
	}))
	req := locallambda.InvokeRequest{FunctionName: "f", Payload: []byte(`1`), Timeout: time.Second}
	if res, err := s.Invoke(context.Background(), req); err != nil || string(res.Payload) != "1" {
		t.Fatalf("Invoke in time = %+v, %v", res, err)
	}
	if n := clk.Pending(); n != 0 {
		t.Fatalf("%d timers armed after the invocation, want 0", n)
	}

	req.Payload = []byte(`"wait"`)
	done := invokeAsync(s, req)
	clk.BlockUntil(2) // the function's timeout and the caller's
	clk.Advance(time.Second)
	if o := <-done; o.err != context.DeadlineExceeded || o.res == nil || o.res.RequestID == "" || o.res.Payload != nil {
		t.Fatalf("Invoke past its Timeout = %+v, %v; want context.DeadlineExceeded beside a result with only a request id", o.res, o.err)
	}
	if ended.Load() != 0 {
		t.Fatal("the function ended with its caller's wait")
	}
	close(release)
	// The function ends, and its environment is reused.
	deadline := time.Now().Add(10 * time.Second)
	for {
		req.Payload = []byte(`2`)
		res, err := s.Invoke(context.Background(), req)
		if err == nil && string(res.Payload) == "2" && ended.Load() == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("Invoke after the function ended = %+v, %v", res, err)
		}
		time.Sleep(time.Millisecond)
	}
	if got := inits.Load(); got != 1 {
		t.Errorf("init ran %d times, want 1", got)
	}
}

// TestCallerTimeoutAboveFunctions checks that a caller's Timeout no
// shorter than the function's leaves the function's timeout to end the
// call: one timer is armed, and once the clock passes both, the caller
// gets Lambda's timeout error rather than context.DeadlineExceeded.
func TestCallerTimeoutAboveFunctions(t *testing.T) {
	for _, tc := range []struct {
		name   string
		caller time.Duration
	}{
		{"equal", 3 * time.Second},
		{"longer", 30 * time.Second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clk := fakeClock()
			s := newService(t, &locallambda.Options{Clock: clk})
			release := make(chan struct{})
			t.Cleanup(func() { close(release) })
			mustRegister(t, s, faas.Config{Name: "f", Timeout: 3 * time.Second}, faas.FunctionFunc(func(ctx context.Context, p []byte) ([]byte, error) {
				<-release
				return p, nil
			}))
			done := invokeAsync(s, locallambda.InvokeRequest{FunctionName: "f", Payload: []byte(`1`), Timeout: tc.caller})
			clk.BlockUntil(1)
			if n := clk.Pending(); n != 1 {
				t.Fatalf("%d timers armed, want the function's alone", n)
			}
			clk.Advance(tc.caller) // past both
			o := <-done
			if o.err != nil {
				t.Fatalf("Invoke = %v, want the function's timeout as a function error", o.err)
			}
			want := "Task timed out after 3.00 seconds"
			if o.res.FunctionError != locallambda.FunctionErrorUnhandled || !strings.Contains(string(o.res.Payload), want) {
				t.Errorf("Invoke = %q (function error %q), want an Unhandled error saying %q", o.res.Payload, o.res.FunctionError, want)
			}
		})
	}
}
