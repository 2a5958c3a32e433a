package locallambda_test

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/faasport/faasport/emulator/locallambda"
	"github.com/faasport/faasport/faas"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestEventRetries(t *testing.T) {
	tests := []struct {
		name         string
		failures     int // how many attempts fail before one succeeds
		retryDelays  []time.Duration
		wantAttempts int
		wantFailed   bool
		wantWaits    []time.Duration // the delays the test must advance through
	}{
		{name: "succeeds at once", failures: 0, wantAttempts: 1},
		{name: "succeeds on first retry", failures: 1, wantAttempts: 2, wantWaits: []time.Duration{time.Minute}},
		{name: "succeeds on last retry", failures: 2, wantAttempts: 3, wantWaits: []time.Duration{time.Minute, 2 * time.Minute}},
		{name: "fails every attempt", failures: 5, wantAttempts: 3, wantFailed: true, wantWaits: []time.Duration{time.Minute, 2 * time.Minute}},
		{name: "no retries configured", failures: 5, retryDelays: []time.Duration{}, wantAttempts: 1, wantFailed: true},
		{name: "custom delays", failures: 1, retryDelays: []time.Duration{time.Second}, wantAttempts: 2, wantWaits: []time.Duration{time.Second}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			clk := fakeClock()
			results := make(chan locallambda.EventResult, 1)
			s := newService(t, &locallambda.Options{
				Clock:       clk,
				RetryDelays: tc.retryDelays,
				OnEventDone: func(r locallambda.EventResult) { results <- r },
			})
			var attempts atomic.Int32
			ids := make(chan string, 10)
			mustRegister(t, s, faas.Config{Name: "f"}, faas.FunctionFunc(func(ctx context.Context, p []byte) ([]byte, error) {
				inv, _ := faas.FromContext(ctx)
				ids <- inv.RequestID
				if int(attempts.Add(1)) <= tc.failures {
					return nil, errors.New("try again")
				}
				return p, nil
			}))
			res, err := s.Invoke(context.Background(), locallambda.InvokeRequest{
				FunctionName: "f", InvocationType: locallambda.Event, Payload: []byte(`{"n":1}`),
			})
			if err != nil || res.StatusCode != 202 || res.Payload != nil {
				t.Fatalf("Invoke(Event) = %+v, %v, want status 202", res, err)
			}
			for _, d := range tc.wantWaits {
				clk.BlockUntilTimer(d)
				clk.Advance(d)
			}
			got := <-results
			want := locallambda.EventResult{FunctionName: "f", RequestID: res.RequestID, Attempts: tc.wantAttempts}
			if diff := cmp.Diff(want, got, cmpopts.IgnoreFields(locallambda.EventResult{}, "Result")); diff != "" {
				t.Errorf("EventResult (-want +got):\n%s", diff)
			}
			if failed := got.Result.FunctionError != ""; failed != tc.wantFailed {
				t.Errorf("last attempt failed = %v, want %v (%s)", failed, tc.wantFailed, got.Result.Payload)
			}
			close(ids)
			for id := range ids {
				if id != res.RequestID {
					t.Errorf("attempt ran with request id %s, want the event's, %s", id, res.RequestID)
				}
			}
		})
	}
}

func TestEventWaitsForConcurrency(t *testing.T) {
	results := make(chan locallambda.EventResult, 10)
	s := newService(t, &locallambda.Options{OnEventDone: func(r locallambda.EventResult) { results <- r }})
	g := newGate()
	mustRegister(t, s, faas.Config{Name: "f", ReservedConcurrency: ptr(1)}, g)
	for range 3 {
		res, err := s.Invoke(context.Background(), locallambda.InvokeRequest{FunctionName: "f", InvocationType: locallambda.Event})
		if err != nil || res.StatusCode != 202 {
			t.Fatalf("Invoke(Event) = %+v, %v", res, err)
		}
	}
	// The three run one at a time, none throttled away.
	for range 3 {
		<-g.started
		g.release <- struct{}{}
		if r := <-results; r.Err != nil || r.Attempts != 1 || r.Result.FunctionError != "" {
			t.Errorf("EventResult = %+v", r)
		}
	}
	if p := g.peak.Load(); p != 1 {
		t.Errorf("peak concurrency %d, want 1", p)
	}
}

func TestEventQueueFull(t *testing.T) {
	payload := []byte(`"` + strings.Repeat("x", 38) + `"`) // 40 bytes
	tests := []struct {
		name string
		opts locallambda.Options
	}{
		{"by count", locallambda.Options{MaxQueuedEvents: 2}},
		{"by size", locallambda.Options{MaxQueuedEventSize: 2*len(payload) + len(payload)/2}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			done := make(chan locallambda.EventResult, 3)
			tc.opts.OnEventDone = func(r locallambda.EventResult) { done <- r }
			s := newService(t, &tc.opts)
			g := newGate()
			mustRegister(t, s, faas.Config{Name: "f", ReservedConcurrency: ptr(1)}, g)
			req := locallambda.InvokeRequest{FunctionName: "f", InvocationType: locallambda.Event, Payload: payload}
			for range 2 {
				if _, err := s.Invoke(context.Background(), req); err != nil {
					t.Fatal(err)
				}
			}
			_, err := s.Invoke(context.Background(), req)
			if ie := invokeErr(t, err); ie.StatusCode != 429 || ie.Type != "TooManyRequestsException" {
				t.Errorf("Invoke(Event) with a full queue = %v, want 429 TooManyRequestsException", err)
			}
			// Finished events make room again.
			close(g.release)
			<-done
			<-done
			if _, err := s.Invoke(context.Background(), req); err != nil {
				t.Errorf("Invoke(Event) once the queue emptied = %v", err)
			}
		})
	}
}

func TestCloseDropsWaitingEvents(t *testing.T) {
	clk := fakeClock()
	results := make(chan locallambda.EventResult, 10)
	s := locallambda.New(&locallambda.Options{Clock: clk, Logger: discard, OnEventDone: func(r locallambda.EventResult) { results <- r }})
	mustRegister(t, s, faas.Config{Name: "fails"}, faas.FunctionFunc(func(context.Context, []byte) ([]byte, error) {
		return nil, errors.New("no")
	}))
	g := newGate()
	mustRegister(t, s, faas.Config{Name: "busy", ReservedConcurrency: ptr(1)}, g)
	if _, err := s.Invoke(context.Background(), locallambda.InvokeRequest{FunctionName: "busy", InvocationType: locallambda.Event, Payload: []byte(`1`)}); err != nil {
		t.Fatal(err)
	}
	<-g.started // "busy" now has no free concurrency
	for _, name := range []string{"fails", "busy"} {
		if _, err := s.Invoke(context.Background(), locallambda.InvokeRequest{FunctionName: name, InvocationType: locallambda.Event, Payload: []byte(`2`)}); err != nil {
			t.Fatal(err)
		}
	}
	clk.BlockUntilTimer(time.Minute) // "fails" waits to retry; the second "busy" waits for concurrency
	// Close waits for the first "busy" event, which runs: it is let go
	// once the other two have been dropped.
	dropped := make(chan locallambda.EventResult, 2)
	go func() {
		for range 2 {
			dropped <- <-results
		}
		close(g.release)
	}()
	s.Close()
	got := map[string]int{}
	for range 2 {
		r := <-dropped
		if !errors.Is(r.Err, locallambda.ErrClosed) {
			t.Errorf("EventResult(%s).Err = %v, want ErrClosed", r.FunctionName, r.Err)
		}
		got[r.FunctionName] = r.Attempts
	}
	if r := <-results; r.FunctionName != "busy" || r.Err != nil || r.Attempts != 1 {
		t.Errorf("EventResult of the running event = %+v, want one attempt of busy", r)
	}
	if diff := cmp.Diff(map[string]int{"fails": 1, "busy": 0}, got); diff != "" {
		t.Errorf("attempts before Close (-want +got):\n%s", diff)
	}
	_, err := s.Invoke(context.Background(), locallambda.InvokeRequest{FunctionName: "fails"})
	if ie := invokeErr(t, err); ie.StatusCode != 500 || ie.Type != "ServiceException" {
		t.Errorf("Invoke after Close = %v, want 500 ServiceException", err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close = %v", err)
	}
}
