package locallambda_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/faasport/faasport/emulator/clock"
	"github.com/faasport/faasport/emulator/locallambda"
	"github.com/faasport/faasport/faas"
)

var epoch = time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)

// newService returns a Service closed at the end of the test.
func newService(t testing.TB, opts *locallambda.Options) *locallambda.Service {
	t.Helper()
	if opts == nil {
		opts = &locallambda.Options{}
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	s := locallambda.New(opts)
	t.Cleanup(func() { s.Close() })
	return s
}

func mustRegister(t testing.TB, s *locallambda.Service, cfg faas.Config, fn faas.Function) {
	t.Helper()
	if err := s.Register(cfg, fn); err != nil {
		t.Fatalf("Register(%v) = %v", cfg, err)
	}
}

func ptr[T any](v T) *T { return &v }

// echo returns its payload.
var echo = faas.FunctionFunc(func(_ context.Context, p []byte) ([]byte, error) { return p, nil })

// counted returns an init function that counts its calls and gives each
// environment the function made by mk with the environment's number
// (1, 2, …).
func counted(n *atomic.Int32, mk func(env int32) faas.Function) func(context.Context) (faas.Function, error) {
	return func(context.Context) (faas.Function, error) {
		return mk(n.Add(1)), nil
	}
}

// gate is a function that reports each invocation on started and blocks
// until released (or its context ends).
type gate struct {
	started chan string // the payload of each invocation that started
	release chan struct{}
	running atomic.Int32
	peak    atomic.Int32
}

func newGate() *gate {
	return &gate{started: make(chan string, 1000), release: make(chan struct{})}
}

func (g *gate) Invoke(ctx context.Context, p []byte) ([]byte, error) {
	n := g.running.Add(1)
	defer g.running.Add(-1)
	for {
		old := g.peak.Load()
		if n <= old || g.peak.CompareAndSwap(old, n) {
			break
		}
	}
	g.started <- string(p)
	select {
	case <-g.release:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	return p, nil
}

// invokeAsync runs Invoke in a goroutine and returns where its outcome
// will be sent.
type outcome struct {
	res *locallambda.InvokeResult
	err error
}

func invokeAsync(s *locallambda.Service, req locallambda.InvokeRequest) <-chan outcome {
	ch := make(chan outcome, 1)
	go func() {
		res, err := s.Invoke(context.Background(), req)
		ch <- outcome{res, err}
	}()
	return ch
}

// invokeErr returns the *InvokeError of err, failing the test if it has
// none.
func invokeErr(t testing.TB, err error) *locallambda.InvokeError {
	t.Helper()
	var ie *locallambda.InvokeError
	if !errors.As(err, &ie) {
		t.Fatalf("error %v (%T) is not an *InvokeError", err, err)
	}
	return ie
}

// logBuffer collects JSON log lines.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// records returns the logged records, decoded.
func (b *logBuffer) records(t testing.TB) []map[string]any {
	t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(b.buf.String()), "\n") {
		if line == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		out = append(out, m)
	}
	return out
}

func jsonLogger(b *logBuffer) *slog.Logger {
	return slog.New(slog.NewJSONHandler(b, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// fakeClock returns a fake clock for opts.
func fakeClock() *clock.Fake { return clock.NewFake(epoch) }

// waitGoroutines waits, a bounded time, for the number of goroutines to
// fall back to at most base.
func waitGoroutines(t testing.TB, base int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		n := runtime.NumGoroutine()
		if n <= base {
			return
		}
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			buf = buf[:runtime.Stack(buf, true)]
			t.Fatalf("%d goroutines remain, want at most %d:\n%s", n, base, buf)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// invoke invokes name with payload, failing the test on an invocation error.
func invoke(t testing.TB, s *locallambda.Service, name, payload string) *locallambda.InvokeResult {
	t.Helper()
	res, err := s.Invoke(context.Background(), locallambda.InvokeRequest{FunctionName: name, Payload: []byte(payload)})
	if err != nil {
		t.Fatalf("Invoke(%s, %s) = %v", name, payload, err)
	}
	return res
}
