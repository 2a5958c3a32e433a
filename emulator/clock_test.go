package emulator_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/faasport/faasport/emulator"
	"github.com/faasport/faasport/emulator/clock"
	"github.com/faasport/faasport/emulator/emulatortest"
	"github.com/faasport/faasport/emulator/localdynamo"
	"github.com/faasport/faasport/emulator/localgateway"
	"github.com/faasport/faasport/emulator/locallambda"
	"github.com/faasport/faasport/faas"
	"github.com/faasport/faasport/verify/verifytest"
)

var clockEpoch = time.Date(2026, 5, 6, 7, 8, 9, 0, time.UTC)

// waitFor polls cond until it holds, failing the test after 5 s: for
// work the emulator does on goroutines of its own once the fake clock
// has moved.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); !cond(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// getLater sends GET url and returns where its answer (status and body)
// or its error will arrive.
func getLater(url string) <-chan string {
	answered := make(chan string, 1)
	go func() {
		resp, err := http.Get(url)
		if err != nil {
			answered <- err.Error()
			return
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		answered <- resp.Status + " " + string(b)
	}()
	return answered
}

// The emulator's clock times the gateway's integration timeout and the
// function's own: a test moves it instead of waiting 30 s.
func TestFakeClockTimesOut(t *testing.T) {
	clk := clock.NewFake(clockEpoch)
	e := emulatortest.New(t, &emulator.Options{Clock: clk})
	var inits atomic.Int32
	started := make(chan struct{}, 1)
	err := e.Lambda.RegisterInit(faas.Config{Name: "slow", Timeout: 40 * time.Second}, func(context.Context) (faas.Function, error) {
		inits.Add(1)
		return faas.FunctionFunc(func(ctx context.Context, p []byte) ([]byte, error) {
			if string(p) != "{}" { // the gateway's event: hang until the function times out
				started <- struct{}{}
				<-ctx.Done()
			}
			return []byte(`{"statusCode":200,"body":"done"}`), nil
		}), nil
	})
	if err != nil {
		t.Fatal(err)
	}
	api, err := e.NewAPI(localgateway.Config{Routes: []localgateway.Route{
		{Key: "GET /slow", Integration: localgateway.Lambda{Function: "slow"}}, // the default 30 s
	}})
	if err != nil {
		t.Fatal(err)
	}
	answered := getLater(api.URL + "/slow")
	<-started
	clk.BlockUntilTimer(30 * time.Second) // the integration timeout's timer is set
	clk.Advance(30 * time.Second)
	if got, want := <-answered, `503 Service Unavailable {"message":"Service Unavailable"}`; got != want {
		t.Errorf("after the integration timeout: %s, want %s", got, want)
	}

	// The function runs on until its own timeout, 10 s later; then its
	// environment is discarded, and the next invocation starts cold.
	clk.Advance(10 * time.Second)
	res, err := e.Lambda.Invoke(context.Background(), locallambda.InvokeRequest{FunctionName: "slow", Payload: []byte("{}")})
	if err != nil || res.FunctionError != "" {
		t.Fatalf("Invoke after the timeout = %+v, %v", res, err)
	}
	if n := inits.Load(); n != 2 {
		t.Errorf("environments initialised: %d, want 2 (a cold start after the timeout)", n)
	}
}

// A REST API's default integration timeout is 29 s, answered 504.
func TestFakeClockTimesOutREST(t *testing.T) {
	clk := clock.NewFake(clockEpoch)
	e := emulatortest.New(t, &emulator.Options{Clock: clk})
	started := make(chan struct{}, 1)
	if err := e.Register(faas.Config{Name: "hang", Timeout: time.Minute}, faas.FunctionFunc(func(ctx context.Context, _ []byte) ([]byte, error) {
		started <- struct{}{}
		<-ctx.Done()
		return nil, ctx.Err()
	})); err != nil {
		t.Fatal(err)
	}
	api, err := e.NewAPI(localgateway.Config{Kind: localgateway.RESTAPI, Stages: []localgateway.Stage{{Name: "prod"}},
		Routes: []localgateway.Route{{Key: "GET /hang", Integration: localgateway.Lambda{Function: "hang"}}}})
	if err != nil {
		t.Fatal(err)
	}
	answered := getLater(api.URL + "/prod/hang")
	<-started
	clk.BlockUntilTimer(29 * time.Second)
	clk.Advance(29*time.Second - time.Millisecond)
	select {
	case got := <-answered:
		t.Fatalf("answered before 29 s: %s", got)
	default:
	}
	clk.Advance(time.Millisecond)
	if got, want := <-answered, `504 Gateway Timeout {"message": "Endpoint request timed out"}`; got != want {
		t.Errorf("after 29 s: %s, want %s", got, want)
	}
	clk.Advance(time.Minute) // let the function time out too
}

// Tokens expire by the emulator's clock.
func TestFakeClockExpiresTokens(t *testing.T) {
	clk := clock.NewFake(clockEpoch)
	e := emulatortest.New(t, &emulator.Options{Clock: clk})
	is := verifytest.NewIssuer()
	t.Cleanup(is.Close)
	if err := e.Register(faas.Config{Name: "ok"}, faas.FunctionFunc(func(context.Context, []byte) ([]byte, error) {
		return []byte(`{"statusCode":200,"body":"ok"}`), nil
	})); err != nil {
		t.Fatal(err)
	}
	api, err := e.NewAPI(localgateway.Config{
		Authorizers: map[string]localgateway.Authorizer{"jwt": localgateway.JWTAuthorizer{Issuer: is.URL, Audiences: []string{"app"}}},
		Routes:      []localgateway.Route{{Key: "GET /me", Integration: localgateway.Lambda{Function: "ok"}, Authorizer: "jwt"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	token := is.Sign(is.Claims("alice", "app", clockEpoch)) // valid for an hour from clockEpoch
	get := func() int {
		req, _ := http.NewRequest(http.MethodGet, api.URL+"/me", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if got := get(); got != http.StatusOK {
		t.Fatalf("with a fresh token: %d, want 200", got)
	}
	clk.Advance(61 * time.Minute)
	if got := get(); got != http.StatusUnauthorized {
		t.Errorf("an hour and a minute later: %d, want 401", got)
	}
}

// An Event invocation sent to the endpoint is retried twice, a minute and
// then two minutes after a failure, by the emulator's clock.
func TestFakeClockRetriesEvents(t *testing.T) {
	clk := clock.NewFake(clockEpoch)
	// The store's TTL sweep runs every minute by the same clock: off, so
	// that the only one-minute timer is the retry's.
	e := emulatortest.New(t, &emulator.Options{Clock: clk, Store: localdynamo.Options{TTLSweepInterval: -1}})
	var attempts atomic.Int32
	if err := e.Register(faas.Config{Name: "fails"}, faas.FunctionFunc(func(context.Context, []byte) ([]byte, error) {
		attempts.Add(1)
		return nil, errors.New("the printer is on fire")
	})); err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodPost, e.URL+"/2015-03-31/functions/fails/invocations", strings.NewReader(`{}`))
	req.Header.Set("X-Amz-Invocation-Type", "Event")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted {
		t.Fatalf("Event invocation: %d, want 202", resp.StatusCode)
	}
	waitFor(t, "the first attempt", func() bool { return attempts.Load() == 1 })
	for i, d := range []time.Duration{time.Minute, 2 * time.Minute} {
		clk.BlockUntilTimer(d)
		clk.Advance(d - time.Millisecond)
		if n := attempts.Load(); n != int32(i+1) {
			t.Fatalf("attempts before retry %d is due: %d, want %d", i+1, n, i+1)
		}
		clk.Advance(time.Millisecond)
		waitFor(t, "retry", func() bool { return attempts.Load() == int32(i+2) })
	}
	clk.Advance(time.Hour)
	if n := attempts.Load(); n != 3 {
		t.Errorf("attempts: %d, want 3 (no retry after the second)", n)
	}
}
