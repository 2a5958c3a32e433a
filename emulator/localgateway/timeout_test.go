package localgateway_test

import (
	"context"
	"testing"
	"time"

	"github.com/faasport/faasport/emulator/clock"
	"github.com/faasport/faasport/emulator/localgateway"
	"github.com/faasport/faasport/emulator/locallambda"
	"github.com/faasport/faasport/faas"
)

// otherInvoker hides a locallambda.Service behind an Invoker of another
// type, which the gateway times with a context.
type otherInvoker struct{ lam *locallambda.Service }

func (o otherInvoker) Invoke(ctx context.Context, req locallambda.InvokeRequest) (*locallambda.InvokeResult, error) {
	return o.lam.Invoke(ctx, req)
}

// TestIntegrationTimeoutInvokers checks the integration timeout whichever
// way the gateway times it: through locallambda (InvokeRequest.Timeout,
// when both go by one clock) or with a context (any other Invoker).
func TestIntegrationTimeoutInvokers(t *testing.T) {
	for _, tc := range []struct {
		name  string
		other bool
	}{{"locallambda", false}, {"other invoker", true}} {
		t.Run(tc.name, func(t *testing.T) {
			clk := clock.NewFake(epoch)
			lam := newLambda(t, clk)
			b := newBlocker()
			if err := lam.Register(faas.Config{Name: "slow", Timeout: 5 * time.Second}, b); err != nil {
				t.Fatal(err)
			}
			var inv localgateway.Invoker = lam
			if tc.other {
				inv = otherInvoker{lam}
			}
			srv := serve(t, localgateway.Config{
				Clock:   clk,
				Invoker: inv,
				Routes:  []localgateway.Route{{Key: "GET /slow", Integration: localgateway.Lambda{Function: "slow", Timeout: 100 * time.Millisecond}}},
			})
			done := make(chan response)
			go func() { done <- do(t, srv, "GET", "/slow", "") }()
			<-b.started
			clk.BlockUntil(2) // the function's timeout and the integration's
			clk.Advance(100*time.Millisecond - time.Nanosecond)
			select {
			case r := <-done:
				t.Fatalf("answered before the integration timeout: %d %s", r.status, r.body)
			case <-time.After(20 * time.Millisecond):
			}
			clk.Advance(time.Nanosecond)
			if r := <-done; r.status != 503 || r.body != `{"message":"Service Unavailable"}` {
				t.Errorf("timed-out integration: %d %s, want 503", r.status, r.body)
			}
			if b.ended.Load() != 0 {
				t.Error("the function ended with the integration")
			}
			close(b.release)
		})
	}
}
