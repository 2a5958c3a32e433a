package localgateway_test

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/faasport/faasport/adapter"
	"github.com/faasport/faasport/emulator/clock"
	"github.com/faasport/faasport/emulator/localgateway"
	"github.com/faasport/faasport/faas"
)

// monolith answers with what it received.
func monolith(t *testing.T) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Access-Control-Allow-Origin", "*")
		w.Header().Set("X-Served-By", "monolith")
		w.WriteHeader(http.StatusAccepted)
		_ = json.NewEncoder(w).Encode(map[string]string{
			"method": r.Method, "path": r.URL.Path, "rawpath": r.URL.EscapedPath(), "query": r.URL.RawQuery, "body": string(body),
			"xff": r.Header.Get("X-Forwarded-For"), "forwarded": r.Header.Get("Forwarded"), "host": r.Host, "custom": r.Header.Get("X-Custom"),
			"trace": strings.Join(r.Header.Values("X-Amzn-Trace-Id"), " | "),
		})
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestStranglerFig(t *testing.T) {
	mono := monolith(t)
	lam := newLambda(t, nil)
	register(t, lam, "search", adapter.Wrap(echoHandler))
	srv := serve(t, localgateway.Config{
		Invoker: lam,
		Routes: []localgateway.Route{
			{Key: "GET /search", Integration: localgateway.Lambda{Function: "search"}},
			{Key: "ANY /legacy/{proxy+}", Integration: localgateway.HTTPProxy{URL: mono.URL + "/old/{proxy}"}},
			{Key: "GET /exact", Integration: localgateway.HTTPProxy{URL: mono.URL + "/fixed"}},
			{Key: "$default", Integration: localgateway.HTTPProxy{URL: mono.URL}},
		},
		Stages: []localgateway.Stage{{Name: "$default"}, {Name: "beta"}},
	})
	if e := do(t, srv, "GET", "/search?q=cat", "").echoed(t); e.RouteKey != "GET /search" || e.Query != "q=cat" {
		t.Errorf("function route: %+v", e)
	}
	tests := []struct {
		method, path, body string
		want               map[string]string
	}{
		{"POST", "/cart/items?x=1&y=a%20b", "sku=7", map[string]string{"method": "POST", "path": "/cart/items", "query": "x=1&y=a%20b", "body": "sku=7"}},
		{"GET", "/beta/cart", "", map[string]string{"method": "GET", "path": "/cart", "query": ""}},
		{"DELETE", "/legacy/a/b", "", map[string]string{"method": "DELETE", "path": "/old/a/b"}},
		{"GET", "/exact?z=9", "", map[string]string{"method": "GET", "path": "/fixed", "query": "z=9"}},
		{"GET", "/search/more", "", map[string]string{"path": "/search/more"}},
	}
	for _, tc := range tests {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			r := do(t, srv, tc.method, tc.path, tc.body, "X-Custom", "kept")
			if r.status != http.StatusAccepted {
				t.Fatalf("%d %s", r.status, r.body)
			}
			var got map[string]string
			if err := json.Unmarshal([]byte(r.body), &got); err != nil {
				t.Fatal(err)
			}
			for k, v := range tc.want {
				if got[k] != v {
					t.Errorf("monolith saw %s=%q, want %q", k, got[k], v)
				}
			}
			if !regexp.MustCompile(`^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$`).MatchString(got["trace"]) {
				t.Errorf("monolith saw X-Amzn-Trace-Id %q, want one fresh trace", got["trace"])
			}
			if got["custom"] != "kept" || !strings.HasPrefix(got["forwarded"], "for=127.0.0.1;") || got["host"] != strings.TrimPrefix(mono.URL, "http://") {
				t.Errorf("headers: custom=%q forwarded=%q host=%q", got["custom"], got["forwarded"], got["host"])
			}
			if r.header.Get("Apigw-Requestid") == "" || r.header.Get("X-Served-By") != "monolith" {
				t.Errorf("response headers %v", r.header)
			}
		})
	}
}

// TestRESTProxyPathAsSent checks that a REST API forwards the path to an
// HTTP proxy integration as the client sent it: a REST API does not decode
// the path (its events carry it as sent), so %40 and %2F reach the backend
// unchanged, where an HTTP API decodes them.
func TestRESTProxyPathAsSent(t *testing.T) {
	mono := monolith(t)
	lam := newLambda(t, nil)
	for _, tc := range []struct {
		name, path, wantPath, wantRaw string
	}{
		{"greedy variable", "/prod/legacy/a%40b%2Fc", "/old/a@b/c", "/old/a%40b%2Fc"},
		{"plain", "/prod/legacy/x/y", "/old/x/y", "/old/x/y"},
		{"exact route", "/prod/exact", "/fixed", "/fixed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := serve(t, localgateway.Config{
				Kind:    localgateway.RESTAPI,
				Invoker: lam,
				Routes: []localgateway.Route{
					{Key: "ANY /legacy/{proxy+}", Integration: localgateway.HTTPProxy{URL: mono.URL + "/old/{proxy}"}},
					{Key: "GET /exact", Integration: localgateway.HTTPProxy{URL: mono.URL + "/fixed"}},
				},
				Stages: []localgateway.Stage{{Name: "prod"}},
			})
			r := do(t, srv, "GET", tc.path, "")
			if r.status != http.StatusAccepted {
				t.Fatalf("GET %s = %d %s", tc.path, r.status, r.body)
			}
			var got map[string]string
			if err := json.Unmarshal([]byte(r.body), &got); err != nil {
				t.Fatal(err)
			}
			if got["path"] != tc.wantPath || got["rawpath"] != tc.wantRaw {
				t.Errorf("backend saw path %q (sent as %q), want %q (%q)", got["path"], got["rawpath"], tc.wantPath, tc.wantRaw)
			}
		})
	}
}

func TestHTTPProxyErrors(t *testing.T) {
	down := httptest.NewServer(http.NotFoundHandler())
	downURL := down.URL
	down.Close()
	block := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-block:
		case <-r.Context().Done():
		}
	}))
	defer slow.Close()
	huge := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write(make([]byte, localgateway.MaxPayloadSize+1))
	}))
	defer huge.Close()
	defer close(block)
	for _, kind := range []localgateway.Kind{localgateway.HTTPAPI, localgateway.RESTAPI} {
		t.Run(kind.String(), func(t *testing.T) {
			clk := clock.NewFake(epoch)
			var log syncBuffer
			srv := serve(t, localgateway.Config{
				Kind: kind, Clock: clk, Logger: slogTo(&log),
				Routes: []localgateway.Route{
					{Key: "GET /down", Integration: localgateway.HTTPProxy{URL: downURL}},
					{Key: "GET /slow", Integration: localgateway.HTTPProxy{URL: slow.URL, Timeout: time.Second}},
					{Key: "GET /huge", Integration: localgateway.HTTPProxy{URL: huge.URL}},
				},
			})
			prefix, failStatus, failBody, toStatus, toBody := "", 500, `{"message":"Internal Server Error"}`, 503, `{"message":"Service Unavailable"}`
			if kind == localgateway.RESTAPI {
				prefix, failStatus, failBody, toStatus, toBody = "/prod", 502, `{"message": "Internal server error"}`, 504, `{"message": "Endpoint request timed out"}`
			}
			if r := do(t, srv, "GET", prefix+"/down", ""); r.status != failStatus || r.body != failBody {
				t.Errorf("backend down: %d %s, want %d %s", r.status, r.body, failStatus, failBody)
			}
			done := make(chan response)
			go func() { done <- do(t, srv, "GET", prefix+"/slow", "") }()
			clk.BlockUntil(1)
			clk.Advance(time.Second)
			if r := <-done; r.status != toStatus || r.body != toBody {
				t.Errorf("backend timeout: %d %s, want %d %s", r.status, r.body, toStatus, toBody)
			}
			if r := do(t, srv, "GET", prefix+"/huge", ""); r.status != failStatus || r.body != failBody {
				t.Errorf("backend answer over 10 MB: %d %.100s, want %d %s", r.status, r.body, failStatus, failBody)
			}
			// Each request has its access log line.
			for _, route := range []string{"GET /down", "GET /slow", "GET /huge"} {
				if !strings.Contains(log.String(), `route_key="`+route+`"`) {
					t.Errorf("no access log line for %s in %s", route, log.String())
				}
			}
		})
	}
}

// TestHTTPProxyBodyTimeout checks that the integration timeout covers an
// HTTP backend's whole answer, as API Gateway buffers it: a backend that
// sends its headers and the start of its body at once but not the rest
// gets the timeout's answer, not a truncated body, and a log line. It runs
// on the real clock, as the transport's reads do.
func TestHTTPProxyBodyTimeout(t *testing.T) {
	release := make(chan struct{})
	slowBody := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "part1 ")
		w.(http.Flusher).Flush()
		select {
		case <-release:
		case <-r.Context().Done():
		}
		io.WriteString(w, "part2")
	}))
	defer slowBody.Close()
	defer close(release)
	for _, kind := range []localgateway.Kind{localgateway.HTTPAPI, localgateway.RESTAPI} {
		t.Run(kind.String(), func(t *testing.T) {
			var log syncBuffer
			srv := serve(t, localgateway.Config{
				Kind: kind, Logger: slogTo(&log),
				Routes: []localgateway.Route{{Key: "GET /slowbody", Integration: localgateway.HTTPProxy{URL: slowBody.URL, Timeout: 100 * time.Millisecond}}},
			})
			path, want, wantBody := "/slowbody", 503, `{"message":"Service Unavailable"}`
			if kind == localgateway.RESTAPI {
				path, want, wantBody = "/prod/slowbody", 504, `{"message": "Endpoint request timed out"}`
			}
			if r := do(t, srv, "GET", path, ""); r.status != want || r.body != wantBody {
				t.Errorf("backend timeout after its headers: %d %q, want %d %s", r.status, r.body, want, wantBody)
			}
			if !strings.Contains(log.String(), "status="+strconv.Itoa(want)) {
				t.Errorf("access log %q lacks status=%d", log.String(), want)
			}
		})
	}
}

// TestFlood sends 2,000 concurrent requests through a low throttle: each
// is answered 200 or 429, and the gateway's goroutines are gone after.
func TestFlood(t *testing.T) {
	if testing.Short() {
		t.Skip("flood test in -short mode")
	}
	lam := newLambda(t, nil)
	// A starved CPU has held the trivial function past Lambda's default
	// 3 s timeout; the test is about the throttle and the goroutines.
	if err := lam.Register(faas.Config{Name: "ok", Timeout: 30 * time.Second}, rawFunc(`{"statusCode":200,"body":"ok"}`, nil)); err != nil {
		t.Fatal(err)
	}
	g, err := localgateway.New(localgateway.Config{
		Invoker: lam,
		Logger:  discardLogger(),
		Routes:  []localgateway.Route{{Key: "GET /ok", Integration: localgateway.Lambda{Function: "ok"}}},
		Stages:  []localgateway.Stage{{Name: "$default", Throttle: localgateway.Throttle{Rate: 50, Burst: 20}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	base := runtime.NumGoroutine()
	srv := httptest.NewServer(g)
	client := &http.Client{Transport: &http.Transport{MaxConnsPerHost: 200, MaxIdleConnsPerHost: 200}, Timeout: 30 * time.Second}
	const n = 2000
	var (
		wg     sync.WaitGroup
		mu     sync.Mutex
		counts = map[int]int{}
		errs   []error
	)
	for range n {
		wg.Go(func() {
			resp, err := client.Get(srv.URL + "/ok")
			if err != nil {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
				return
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			mu.Lock()
			counts[resp.StatusCode]++
			mu.Unlock()
		})
	}
	wg.Wait()
	client.CloseIdleConnections()
	srv.Close()
	if len(errs) > 0 {
		t.Fatalf("%d requests failed, first: %v", len(errs), errs[0])
	}
	if counts[200]+counts[429] != n || counts[200] < 20 || counts[429] == 0 {
		t.Errorf("statuses %v: want only 200 and 429, at least the burst of 20 OK and some throttled", counts)
	}
	t.Logf("statuses: %v", counts)
	// What remains is the function's idle execution environments, one
	// goroutine each, no more of them than the burst let run at once;
	// closing the Lambda service ends them.
	settle := func(limit int, when string) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for runtime.NumGoroutine() > limit && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
		}
		if got := runtime.NumGoroutine(); got > limit {
			buf := make([]byte, 1<<16)
			t.Errorf("goroutines %s: %d, %d before the flood\n%s", when, got, base, buf[:runtime.Stack(buf, true)])
		}
	}
	settle(base+2+20, "after the flood")
	lam.Close()
	settle(base+2, "after the Lambda service closed")
}

func TestNewRefuses(t *testing.T) {
	lam := newLambda(t, nil)
	fn := localgateway.Lambda{Function: "f"}
	jwtA := map[string]localgateway.Authorizer{"jwt": localgateway.JWTAuthorizer{Issuer: "https://issuer.example", Audiences: []string{"a"}}}
	tests := []struct {
		name string
		cfg  localgateway.Config
		want string
	}{
		{"no routes", localgateway.Config{Invoker: lam}, "no routes"},
		{"bad kind", localgateway.Config{Kind: 7, Routes: []localgateway.Route{{Key: "$default", Integration: fn}}, Invoker: lam}, "Kind"},
		{"malformed key", localgateway.Config{Routes: []localgateway.Route{{Key: "GET pets", Integration: fn}}, Invoker: lam}, "GET pets"},
		{"lowercase method", localgateway.Config{Routes: []localgateway.Route{{Key: "get /pets", Integration: fn}}, Invoker: lam}, "unknown method"},
		{"greedy not last", localgateway.Config{Routes: []localgateway.Route{{Key: "GET /{p+}/x", Integration: fn}}, Invoker: lam}, "last segment"},
		{"partial braces", localgateway.Config{Routes: []localgateway.Route{{Key: "GET /a{b}", Integration: fn}}, Invoker: lam}, "bad segment"},
		{"empty segment", localgateway.Config{Routes: []localgateway.Route{{Key: "GET /a//b", Integration: fn}}, Invoker: lam}, "empty segment"},
		{"duplicate route", localgateway.Config{Routes: []localgateway.Route{{Key: "GET /p/{id}", Integration: fn}, {Key: "GET /p/{name}", Integration: fn}}, Invoker: lam}, "duplicates"},
		{"no integration", localgateway.Config{Routes: []localgateway.Route{{Key: "GET /p"}}, Invoker: lam}, "no integration"},
		{"no invoker", localgateway.Config{Routes: []localgateway.Route{{Key: "GET /p", Integration: fn}}}, "Invoker is nil"},
		{"unknown authorizer", localgateway.Config{Routes: []localgateway.Route{{Key: "GET /p", Integration: fn, Authorizer: "nope"}}, Invoker: lam}, "unknown authorizer"},
		{"scopes without authorizer", localgateway.Config{Routes: []localgateway.Route{{Key: "GET /p", Integration: fn, Scopes: []string{"s"}}}, Invoker: lam}, "Scopes without"},
		{"payload 1.0 on REST", localgateway.Config{Kind: localgateway.RESTAPI, Routes: []localgateway.Route{{Key: "GET /p", Integration: localgateway.Lambda{Function: "f", PayloadFormat: "1.0"}}}, Invoker: lam}, "no payload format"},
		{"payload 3.0", localgateway.Config{Routes: []localgateway.Route{{Key: "GET /p", Integration: localgateway.Lambda{Function: "f", PayloadFormat: "3.0"}}}, Invoker: lam}, "PayloadFormat"},
		{"$default route on REST", localgateway.Config{Kind: localgateway.RESTAPI, Routes: []localgateway.Route{{Key: "$default", Integration: fn}}, Invoker: lam}, "no $default route"},
		{"$default stage on REST", localgateway.Config{Kind: localgateway.RESTAPI, Routes: []localgateway.Route{{Key: "GET /p", Integration: fn}}, Invoker: lam, Stages: []localgateway.Stage{{Name: "$default"}}}, "no $default stage"},
		{"JWT on REST", localgateway.Config{Kind: localgateway.RESTAPI, Routes: []localgateway.Route{{Key: "GET /p", Integration: fn, Authorizer: "jwt"}}, Invoker: lam, Authorizers: jwtA}, "JWT authorizers are for HTTP APIs"},
		{"Cognito on an HTTP API", localgateway.Config{Routes: []localgateway.Route{{Key: "GET /p", Integration: fn}}, Invoker: lam, Authorizers: map[string]localgateway.Authorizer{"c": localgateway.CognitoAuthorizer{Issuers: []string{"https://i.example"}}}}, "for REST APIs"},
		{"Cognito without pools", localgateway.Config{Kind: localgateway.RESTAPI, Routes: []localgateway.Route{{Key: "GET /p", Integration: fn}}, Invoker: lam, Authorizers: map[string]localgateway.Authorizer{"c": localgateway.CognitoAuthorizer{}}}, "0 user pools"},
		{"Cognito issuer not a URL", localgateway.Config{Kind: localgateway.RESTAPI, Routes: []localgateway.Route{{Key: "GET /p", Integration: fn}}, Invoker: lam, Authorizers: map[string]localgateway.Authorizer{"c": localgateway.CognitoAuthorizer{Issuers: []string{"us-east-1_abc"}}}}, "not an http(s) URL"},
		{"Cognito token from the query", localgateway.Config{Kind: localgateway.RESTAPI, Routes: []localgateway.Route{{Key: "GET /p", Integration: fn}}, Invoker: lam, Authorizers: map[string]localgateway.Authorizer{"c": localgateway.CognitoAuthorizer{Issuers: []string{"https://i.example"}, IdentitySource: "method.request.querystring.t"}}}, "not a header"},
		{"CORS on REST", localgateway.Config{Kind: localgateway.RESTAPI, Routes: []localgateway.Route{{Key: "GET /p", Integration: fn}}, Invoker: lam, CORS: &localgateway.CORS{}}, "CORS"},
		{"CORS credentials with *", localgateway.Config{Routes: []localgateway.Route{{Key: "GET /p", Integration: fn}}, Invoker: lam, CORS: &localgateway.CORS{AllowOrigins: []string{"*"}, AllowCredentials: true}}, "AllowCredentials"},
		{"timeout over 30s", localgateway.Config{Routes: []localgateway.Route{{Key: "GET /p", Integration: localgateway.Lambda{Function: "f", Timeout: 31 * time.Second}}}, Invoker: lam}, "Timeout"},
		{"timeout over 29s on REST", localgateway.Config{Kind: localgateway.RESTAPI, Routes: []localgateway.Route{{Key: "GET /p", Integration: localgateway.Lambda{Function: "f", Timeout: 30 * time.Second}}}, Invoker: lam}, "Timeout"},
		{"timeout under 50ms", localgateway.Config{Routes: []localgateway.Route{{Key: "GET /p", Integration: localgateway.Lambda{Function: "f", Timeout: time.Millisecond}}}, Invoker: lam}, "Timeout"},
		{"proxy URL", localgateway.Config{Routes: []localgateway.Route{{Key: "GET /p", Integration: localgateway.HTTPProxy{URL: "ftp://x"}}}}, "HTTPProxy URL"},
		{"proxy URL variable", localgateway.Config{Routes: []localgateway.Route{{Key: "GET /p", Integration: localgateway.HTTPProxy{URL: "http://x/{id}"}}}}, "names {id}"},
		{"JWT without audience", localgateway.Config{Routes: []localgateway.Route{{Key: "GET /p", Integration: fn, Authorizer: "j"}}, Invoker: lam, Authorizers: map[string]localgateway.Authorizer{"j": localgateway.JWTAuthorizer{Issuer: "https://i.example"}}}, "audiences"},
		{"JWT identity source", localgateway.Config{Routes: []localgateway.Route{{Key: "GET /p", Integration: fn}}, Invoker: lam, Authorizers: map[string]localgateway.Authorizer{"j": localgateway.JWTAuthorizer{Issuer: "https://i.example", Audiences: []string{"a"}, IdentitySource: "$request.body.token"}}}, "identity source"},
		{"scopes on a Lambda authorizer", localgateway.Config{Routes: []localgateway.Route{{Key: "GET /p", Integration: fn, Authorizer: "l", Scopes: []string{"s"}}}, Invoker: lam, Authorizers: map[string]localgateway.Authorizer{"l": localgateway.LambdaAuthorizer{Function: "a", PayloadFormat: "2.0"}}}, "need a JWT"},
		{"simple responses on 1.0", localgateway.Config{Routes: []localgateway.Route{{Key: "GET /p", Integration: fn}}, Invoker: lam, Authorizers: map[string]localgateway.Authorizer{"l": localgateway.LambdaAuthorizer{Function: "a", PayloadFormat: "1.0", SimpleResponses: true}}}, "SimpleResponses"},
		{"cache without sources", localgateway.Config{Routes: []localgateway.Route{{Key: "GET /p", Integration: fn}}, Invoker: lam, Authorizers: map[string]localgateway.Authorizer{"l": localgateway.LambdaAuthorizer{Function: "a", PayloadFormat: "2.0", TTL: time.Minute}}}, "IdentitySources"},
		{"TOKEN on an HTTP API", localgateway.Config{Routes: []localgateway.Route{{Key: "GET /p", Integration: fn}}, Invoker: lam, Authorizers: map[string]localgateway.Authorizer{"l": localgateway.LambdaAuthorizer{Function: "a", PayloadFormat: "2.0", Type: "TOKEN"}}}, "for REST APIs"},
		{"unknown authorizer type", localgateway.Config{Kind: localgateway.RESTAPI, Routes: []localgateway.Route{{Key: "GET /p", Integration: fn}}, Invoker: lam, Authorizers: map[string]localgateway.Authorizer{"l": localgateway.LambdaAuthorizer{Function: "a", Type: "COGNITO_USER_POOLS"}}}, "Type"},
		{"payload format on a REST authorizer", localgateway.Config{Kind: localgateway.RESTAPI, Routes: []localgateway.Route{{Key: "GET /p", Integration: fn}}, Invoker: lam, Authorizers: map[string]localgateway.Authorizer{"l": localgateway.LambdaAuthorizer{Function: "a", PayloadFormat: "1.0"}}}, "no PayloadFormat"},
		{"simple responses on REST", localgateway.Config{Kind: localgateway.RESTAPI, Routes: []localgateway.Route{{Key: "GET /p", Integration: fn}}, Invoker: lam, Authorizers: map[string]localgateway.Authorizer{"l": localgateway.LambdaAuthorizer{Function: "a", SimpleResponses: true}}}, "SimpleResponses"},
		{"TOKEN with two sources", localgateway.Config{Kind: localgateway.RESTAPI, Routes: []localgateway.Route{{Key: "GET /p", Integration: fn}}, Invoker: lam, Authorizers: map[string]localgateway.Authorizer{"l": localgateway.LambdaAuthorizer{Function: "a", Type: "TOKEN", IdentitySources: []string{"method.request.header.A", "method.request.header.B"}}}}, "one identity source"},
		{"TOKEN from the query", localgateway.Config{Kind: localgateway.RESTAPI, Routes: []localgateway.Route{{Key: "GET /p", Integration: fn}}, Invoker: lam, Authorizers: map[string]localgateway.Authorizer{"l": localgateway.LambdaAuthorizer{Function: "a", Type: "TOKEN", IdentitySources: []string{"method.request.querystring.t"}}}}, "is a header"},
		{"bad validation expression", localgateway.Config{Kind: localgateway.RESTAPI, Routes: []localgateway.Route{{Key: "GET /p", Integration: fn}}, Invoker: lam, Authorizers: map[string]localgateway.Authorizer{"l": localgateway.LambdaAuthorizer{Function: "a", Type: "TOKEN", IdentityValidationExpression: "(["}}}, "IdentityValidationExpression"},
		{"validation expression on REQUEST", localgateway.Config{Kind: localgateway.RESTAPI, Routes: []localgateway.Route{{Key: "GET /p", Integration: fn}}, Invoker: lam, Authorizers: map[string]localgateway.Authorizer{"l": localgateway.LambdaAuthorizer{Function: "a", IdentityValidationExpression: ".*"}}}, "needs Type TOKEN"},
		{"REST notation on an HTTP API", localgateway.Config{Routes: []localgateway.Route{{Key: "GET /p", Integration: fn}}, Invoker: lam, Authorizers: map[string]localgateway.Authorizer{"l": localgateway.LambdaAuthorizer{Function: "a", PayloadFormat: "2.0", IdentitySources: []string{"method.request.header.A"}}}}, "identity source"},
		{"route throttle for unknown route", localgateway.Config{Routes: []localgateway.Route{{Key: "GET /p", Integration: fn}}, Invoker: lam, Stages: []localgateway.Stage{{Name: "$default", RouteThrottle: map[string]localgateway.Throttle{"GET /q": {Rate: 1, Burst: 1}}}}}, "not configured"},
		{"half a throttle", localgateway.Config{Routes: []localgateway.Route{{Key: "GET /p", Integration: fn}}, Invoker: lam, Stages: []localgateway.Stage{{Name: "$default", Throttle: localgateway.Throttle{Rate: 1}}}}, "both"},
		{"NaN rate", localgateway.Config{Routes: []localgateway.Route{{Key: "GET /p", Integration: fn}}, Invoker: lam, Stages: []localgateway.Stage{{Name: "$default", Throttle: localgateway.Throttle{Rate: math.NaN(), Burst: 1}}}}, "finite"},
		{"infinite rate", localgateway.Config{Routes: []localgateway.Route{{Key: "GET /p", Integration: fn}}, Invoker: lam, AccountThrottle: localgateway.Throttle{Rate: math.Inf(1), Burst: 1}}, "finite"},
		{"bad stage name", localgateway.Config{Routes: []localgateway.Route{{Key: "GET /p", Integration: fn}}, Invoker: lam, Stages: []localgateway.Stage{{Name: "a/b"}}}, "stage name"},
		{"duplicate stage", localgateway.Config{Routes: []localgateway.Route{{Key: "GET /p", Integration: fn}}, Invoker: lam, Stages: []localgateway.Stage{{Name: "a"}, {Name: "a"}}}, "twice"},
		{"binary media types on an HTTP API", localgateway.Config{Routes: []localgateway.Route{{Key: "GET /p", Integration: fn}}, Invoker: lam, BinaryMediaTypes: []string{"image/png"}}, "BinaryMediaTypes"},
		{"binary media type without a subtype", localgateway.Config{Kind: localgateway.RESTAPI, Routes: []localgateway.Route{{Key: "GET /p", Integration: fn}}, Invoker: lam, BinaryMediaTypes: []string{"image"}}, `"image"`},
		{"binary media type */png", localgateway.Config{Kind: localgateway.RESTAPI, Routes: []localgateway.Route{{Key: "GET /p", Integration: fn}}, Invoker: lam, BinaryMediaTypes: []string{"*/png"}}, `"*/png"`},
		{"binary media type with parameters", localgateway.Config{Kind: localgateway.RESTAPI, Routes: []localgateway.Route{{Key: "GET /p", Integration: fn}}, Invoker: lam, BinaryMediaTypes: []string{"text/plain; charset=utf-8"}}, "binary media type"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := localgateway.New(tc.cfg)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("New = %v, want an error containing %q", err, tc.want)
			}
		})
	}
	many := make([]localgateway.Route, localgateway.MaxRoutes+1)
	for i := range many {
		many[i] = localgateway.Route{Key: fmt.Sprintf("GET /r%d", i), Integration: fn}
	}
	if _, err := localgateway.New(localgateway.Config{Routes: many, Invoker: lam}); err == nil {
		t.Error("New accepted 301 routes")
	}
}

// TestProxyHeaders checks the headers each kind of API adds to a request
// it forwards to an HTTP integration, and what it does with the
// integration's response headers: an HTTP API translates X-Forwarded-* into
// Forwarded (AWS's notes for HTTP APIs) and passes response headers on; a
// REST API appends to X-Forwarded-For, adds X-Forwarded-Port and
// x-amzn-apigateway-api-id (LocalStack's AWS-validated snapshot of an
// HTTP_PROXY integration), and remaps the response headers that would
// clash with its own.
func TestProxyHeaders(t *testing.T) {
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen := map[string]string{}
		for _, k := range []string{"Forwarded", "X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto", "X-Forwarded-Port", "X-Amzn-Apigateway-Api-Id"} {
			seen[k] = strings.Join(r.Header.Values(k), " | ")
		}
		w.Header().Set("WWW-Authenticate", `Basic realm="legacy"`)
		w.Header().Set("Server", "monolith/1.0")
		w.Header().Set("Date", "Mon, 02 Jan 2006 15:04:05 GMT")
		w.Header().Set("X-Kept", "yes")
		w.WriteHeader(http.StatusUnauthorized)
		_ = json.NewEncoder(w).Encode(seen)
	}))
	t.Cleanup(backend.Close)
	lam := newLambda(t, nil)
	register(t, lam, "basic", adapter.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("WWW-Authenticate", `Basic realm="fn"`)
		w.Header().Set("Authorization", "Bearer issued")
		w.WriteHeader(http.StatusUnauthorized)
	})))
	routes := []localgateway.Route{
		{Key: "GET /fn", Integration: localgateway.Lambda{Function: "basic"}},
		{Key: "ANY /{proxy+}", Integration: localgateway.HTTPProxy{URL: backend.URL + "/{proxy}"}},
	}
	http1 := serve(t, localgateway.Config{Invoker: lam, Routes: routes, Stages: []localgateway.Stage{{Name: "$default"}}})
	rest := serve(t, localgateway.Config{Kind: localgateway.RESTAPI, APIID: "a1b2c3", Invoker: lam, Routes: routes, Stages: []localgateway.Stage{{Name: "prod"}}})
	hostOf := func(srv *httptest.Server) string { return strings.TrimPrefix(srv.URL, "http://") }
	_, restPort, _ := strings.Cut(hostOf(rest), ":")

	tests := []struct {
		name       string
		srv        *httptest.Server
		path       string
		wantSeen   map[string]string // headers the backend saw; nil for the function route
		wantHeader map[string]string // response headers; "" means absent
	}{
		{"HTTP API proxy", http1, "/legacy", map[string]string{
			"Forwarded":       `for=203.0.113.7, for=127.0.0.1;host="` + hostOf(http1) + `";proto=http`,
			"X-Forwarded-For": "", "X-Forwarded-Host": "", "X-Forwarded-Proto": "", "X-Forwarded-Port": "", "X-Amzn-Apigateway-Api-Id": "",
		}, map[string]string{
			"Www-Authenticate": `Basic realm="legacy"`, "Server": "monolith/1.0", "X-Kept": "yes",
			"X-Amzn-Remapped-Www-Authenticate": "",
		}},
		{"REST API proxy", rest, "/prod/legacy", map[string]string{
			"Forwarded":       "",
			"X-Forwarded-For": "203.0.113.7, 127.0.0.1", "X-Forwarded-Host": "", "X-Forwarded-Proto": "http", "X-Forwarded-Port": restPort,
			"X-Amzn-Apigateway-Api-Id": "a1b2c3",
		}, map[string]string{
			"Www-Authenticate": "", "Server": "", "X-Kept": "yes",
			"X-Amzn-Remapped-Www-Authenticate": `Basic realm="legacy"`, "X-Amzn-Remapped-Server": "monolith/1.0",
			"X-Amzn-Remapped-Date": "Mon, 02 Jan 2006 15:04:05 GMT",
		}},
		{"HTTP API function", http1, "/fn", nil, map[string]string{
			"Www-Authenticate": `Basic realm="fn"`, "Authorization": "Bearer issued", "X-Amzn-Remapped-Www-Authenticate": "",
		}},
		{"REST API function", rest, "/prod/fn", nil, map[string]string{
			"Www-Authenticate": "", "Authorization": "",
			"X-Amzn-Remapped-Www-Authenticate": `Basic realm="fn"`, "X-Amzn-Remapped-Authorization": "Bearer issued",
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := do(t, tc.srv, "GET", tc.path, "", "X-Forwarded-For", "203.0.113.7")
			if r.status != http.StatusUnauthorized {
				t.Fatalf("status %d %s", r.status, r.body)
			}
			if tc.wantSeen != nil {
				var seen map[string]string
				if err := json.Unmarshal([]byte(r.body), &seen); err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(tc.wantSeen, seen); diff != "" {
					t.Errorf("backend saw (-want +got):\n%s", diff)
				}
			}
			got := map[string]string{}
			for k := range tc.wantHeader {
				got[k] = r.header.Get(k)
			}
			if diff := cmp.Diff(tc.wantHeader, got); diff != "" {
				t.Errorf("response headers (-want +got):\n%s", diff)
			}
			if r.header.Get("Date") == "Mon, 02 Jan 2006 15:04:05 GMT" && tc.srv == rest {
				t.Errorf("REST API passed the backend's Date on")
			}
		})
	}
}
