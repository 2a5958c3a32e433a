package localgateway_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/go-cmp/cmp"

	"github.com/faasport/faasport/adapter"
	"github.com/faasport/faasport/emulator/clock"
	"github.com/faasport/faasport/emulator/localgateway"
	"github.com/faasport/faasport/faas"
	"github.com/faasport/faasport/verify/verifytest"
)

func jwtGateway(t *testing.T, clk *clock.Fake, format string) (srvURL func(method, path string, header ...string) response) {
	is := testIssuer()
	lam := newLambda(t, clk)
	register(t, lam, "echo", adapter.Wrap(echoHandler))
	echo := localgateway.Lambda{Function: "echo", PayloadFormat: format}
	srv := serve(t, localgateway.Config{
		Clock:   clk,
		Invoker: lam,
		Authorizers: map[string]localgateway.Authorizer{
			"cognito": localgateway.JWTAuthorizer{Issuer: is.URL, Audiences: []string{"app"}},
			"query":   localgateway.JWTAuthorizer{Issuer: is.URL, Audiences: []string{"app"}, IdentitySource: "$request.querystring.token"},
		},
		Routes: []localgateway.Route{
			{Key: "GET /me", Integration: echo, Authorizer: "cognito"},
			{Key: "GET /admin", Integration: echo, Authorizer: "cognito", Scopes: []string{"pets/admin", "root"}},
			{Key: "GET /q", Integration: echo, Authorizer: "query"},
			{Key: "GET /public", Integration: echo},
		},
	})
	return func(method, path string, header ...string) response { return do(t, srv, method, path, "", header...) }
}

func TestJWTAuthorizer(t *testing.T) {
	is := testIssuer()
	clk := clock.NewFake(epoch)
	call := jwtGateway(t, clk, "")
	claims := func(edit func(map[string]any)) string {
		c := is.Claims("alice", "app", epoch.Add(-time.Minute))
		c["cognito:groups"] = []string{"admin", "user"}
		c["scope"] = "openid pets/admin"
		if edit != nil {
			edit(c)
		}
		return is.Sign(c)
	}
	good := claims(nil)

	t.Run("valid token reaches the handler as the principal", func(t *testing.T) {
		for _, h := range []string{"Bearer " + good, good, "bearer " + good} {
			r := call("GET", "/me", "Authorization", h)
			if r.status != 200 {
				t.Fatalf("status %d %s", r.status, r.body)
			}
			e := r.echoed(t)
			if e.Subject != "alice" || e.Username != "alice" || !cmp.Equal(e.Groups, []string{"admin", "user"}) {
				t.Errorf("principal sub=%q user=%q groups=%v", e.Subject, e.Username, e.Groups)
			}
			var authz struct {
				JWT struct {
					Claims map[string]string `json:"claims"`
					Scopes []string          `json:"scopes"`
				} `json:"jwt"`
			}
			if err := json.Unmarshal(e.Authorizer, &authz); err != nil {
				t.Fatalf("authorizer %s: %v", e.Authorizer, err)
			}
			if authz.JWT.Claims["cognito:groups"] != "[admin user]" || authz.JWT.Claims["exp"] != jsonText(epoch.Add(59*time.Minute).Unix()) {
				t.Errorf("claims not stringified as AWS does: %v", authz.JWT.Claims)
			}
			if !cmp.Equal(authz.JWT.Scopes, []string{"openid", "pets/admin"}) {
				t.Errorf("scopes = %v", authz.JWT.Scopes)
			}
		}
	})
	t.Run("query identity source", func(t *testing.T) {
		if r := call("GET", "/q?token="+good); r.status != 200 {
			t.Errorf("token in the query: %d %s", r.status, r.body)
		}
		if r := call("GET", "/q", "Authorization", "Bearer "+good); r.status != 401 {
			t.Errorf("token in the wrong place: %d, want 401", r.status)
		}
	})
	t.Run("public route needs no token", func(t *testing.T) {
		if r := call("GET", "/public"); r.status != 200 {
			t.Errorf("%d", r.status)
		}
	})

	noneToken := func() string {
		tok := jwt.NewWithClaims(jwt.SigningMethodNone, jwt.MapClaims(is.Claims("alice", "app", epoch)))
		tok.Header["kid"] = is.KeyID
		s, _ := tok.SignedString(jwt.UnsafeAllowNoneSignatureType)
		return s
	}
	parts := strings.Split(good, ".")
	rejections := []struct {
		name   string
		header []string
		reason string
	}{
		{"no token", nil, ""},
		{"empty bearer", []string{"Authorization", "Bearer "}, ""},
		{"alg none", []string{"Authorization", noneToken()}, "signing method none is invalid"},
		{"expired", []string{"Authorization", claims(func(c map[string]any) { c["exp"] = epoch.Add(-time.Second).Unix() })}, "the token has expired"},
		{"not yet valid", []string{"Authorization", claims(func(c map[string]any) { c["nbf"] = epoch.Add(time.Minute).Unix() })}, ""},
		{"wrong audience", []string{"Authorization", claims(func(c map[string]any) { c["aud"] = "other" })}, "the token does not have a valid audience"},
		{"wrong issuer", []string{"Authorization", claims(func(c map[string]any) { c["iss"] = "https://evil.example" })}, "the token does not have a valid issuer"},
		{"tampered", []string{"Authorization", parts[0] + "." + strings.Split(claims(func(c map[string]any) { c["sub"] = "mallory" }), ".")[1] + "." + parts[2]}, ""},
		{"truncated", []string{"Authorization", good[:len(good)/2]}, ""},
		{"garbage", []string{"Authorization", "Bearer abc"}, ""},
	}
	for _, tc := range rejections {
		t.Run("rejects "+tc.name, func(t *testing.T) {
			r := call("GET", "/me", tc.header...)
			if r.status != 401 || r.body != `{"message":"Unauthorized"}` {
				t.Fatalf("%d %s, want 401 Unauthorized", r.status, r.body)
			}
			if r.header.Get("Apigw-Requestid") == "" {
				t.Error("no apigw-requestid")
			}
			if tc.reason != "" {
				want := `Bearer scope="" error="invalid_token" error_description="` + tc.reason + `"`
				if got := r.header.Get("Www-Authenticate"); got != want {
					t.Errorf("www-authenticate = %s, want %s", got, want)
				}
			}
		})
	}
	t.Run("client_id when aud is absent", func(t *testing.T) {
		tok := claims(func(c map[string]any) {
			delete(c, "aud")
			c["client_id"] = "app"
			c["token_use"] = "access"
		})
		if r := call("GET", "/me", "Authorization", tok); r.status != 200 {
			t.Errorf("%d %s", r.status, r.body)
		}
	})
	t.Run("token expires on the gateway's clock", func(t *testing.T) {
		clk := clock.NewFake(epoch)
		call := jwtGateway(t, clk, "")
		tok := claims(nil) // exp is epoch+59m
		if r := call("GET", "/me", "Authorization", tok); r.status != 200 {
			t.Fatalf("%d", r.status)
		}
		clk.Advance(59 * time.Minute)
		if r := call("GET", "/me", "Authorization", tok); r.status != 401 {
			t.Errorf("after expiry: %d, want 401", r.status)
		}
	})
	t.Run("scopes", func(t *testing.T) {
		if r := call("GET", "/admin", "Authorization", good); r.status != 200 {
			t.Errorf("with pets/admin: %d %s", r.status, r.body)
		}
		if r := call("GET", "/admin", "Authorization", claims(func(c map[string]any) { delete(c, "scope"); c["scp"] = []string{"root"} })); r.status != 200 {
			t.Errorf("with scp root: %d %s", r.status, r.body)
		}
		for _, tok := range []string{
			claims(func(c map[string]any) { c["scope"] = "openid pets/read" }),
			claims(func(c map[string]any) { delete(c, "scope") }),
		} {
			if r := call("GET", "/admin", "Authorization", tok); r.status != 403 || r.body != `{"message":"Forbidden"}` {
				t.Errorf("without the scope: %d %s, want 403 Forbidden", r.status, r.body)
			}
		}
	})
	t.Run("payload format 1.0", func(t *testing.T) {
		call := jwtGateway(t, clock.NewFake(epoch), "1.0")
		r := call("GET", "/me", "Authorization", good)
		if r.status != 200 {
			t.Fatalf("%d %s", r.status, r.body)
		}
		if e := r.echoed(t); e.Subject != "alice" {
			t.Errorf("principal with payload 1.0: %+v", e)
		}
	})
}

func jsonText(n int64) string {
	b, _ := json.Marshal(n)
	return string(b)
}

func TestCORS(t *testing.T) {
	is := testIssuer()
	clk := clock.NewFake(epoch)
	lam := newLambda(t, clk)
	register(t, lam, "echo", adapter.Wrap(echoHandler))
	srv := serve(t, localgateway.Config{
		Clock: clk, Invoker: lam,
		Authorizers: map[string]localgateway.Authorizer{"jwt": localgateway.JWTAuthorizer{Issuer: is.URL, Audiences: []string{"app"}}},
		Routes:      []localgateway.Route{{Key: "$default", Integration: localgateway.Lambda{Function: "echo"}, Authorizer: "jwt"}},
		CORS: &localgateway.CORS{
			AllowOrigins: []string{"https://app.example"}, AllowMethods: []string{"GET", "POST"},
			AllowHeaders: []string{"Authorization", "Content-Type"}, ExposeHeaders: []string{"X-Total"},
			AllowCredentials: true, MaxAge: 600,
		},
	})
	pick := func(h map[string][]string) map[string]string {
		out := map[string]string{}
		for k, v := range h {
			if strings.HasPrefix(k, "Access-Control-") {
				out[k] = strings.Join(v, ",")
			}
		}
		return out
	}
	// An API whose routes name their methods: no route takes OPTIONS but
	// OPTIONS /open/{proxy+}, which has no authorizer.
	named := serve(t, localgateway.Config{
		Clock: clk, Invoker: lam,
		Authorizers: map[string]localgateway.Authorizer{"jwt": localgateway.JWTAuthorizer{Issuer: is.URL, Audiences: []string{"app"}}},
		Routes: []localgateway.Route{
			{Key: "GET /pets", Integration: localgateway.Lambda{Function: "echo"}, Authorizer: "jwt"},
			{Key: "ANY /admin/{proxy+}", Integration: localgateway.Lambda{Function: "echo"}, Authorizer: "jwt"},
			{Key: "OPTIONS /open/{proxy+}", Integration: localgateway.Lambda{Function: "echo"}},
		},
		CORS: &localgateway.CORS{
			AllowOrigins: []string{"https://app.example"}, AllowMethods: []string{"GET", "POST"},
			AllowHeaders: []string{"Authorization", "Content-Type"}, AllowCredentials: true, MaxAge: 600,
		},
	})
	preflightHeaders := map[string]string{
		"Access-Control-Allow-Origin":      "https://app.example",
		"Access-Control-Allow-Methods":     "GET,POST",
		"Access-Control-Allow-Headers":     "authorization,content-type",
		"Access-Control-Allow-Credentials": "true",
		"Access-Control-Max-Age":           "600",
	}
	// A preflight is the gateway's to answer only when no route takes
	// OPTIONS; an OPTIONS route, an ANY route or $default gets it, behind
	// its authorizer, as API Gateway's CORS guide says of $default.
	preflights := []struct {
		name       string
		srv        *httptest.Server
		path       string
		origin     string
		wantStatus int
		want       map[string]string
	}{
		{"no route takes OPTIONS", named, "/pets", "https://app.example", 204, preflightHeaders},
		{"no route takes OPTIONS, other origin", named, "/pets", "https://evil.example", 204, map[string]string{}},
		{"no route at all", named, "/nowhere", "https://app.example", 204, preflightHeaders},
		{"ANY route behind an authorizer", named, "/admin/users", "https://app.example", 401, preflightHeaders},
		{"$default behind an authorizer", srv, "/pets", "https://app.example", 401, preflightHeaders},
		{"OPTIONS route without authorizer", named, "/open/pets", "https://app.example", 200, preflightHeaders}, // the integration's own "*" is dropped
		{"OPTIONS route, other origin", named, "/open/pets", "https://evil.example", 200, map[string]string{}},
	}
	for _, tc := range preflights {
		t.Run("preflight/"+tc.name, func(t *testing.T) {
			r := do(t, tc.srv, "OPTIONS", tc.path, "", "Origin", tc.origin, "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "authorization")
			if r.status != tc.wantStatus {
				t.Fatalf("preflight %d %s, want %d", r.status, r.body, tc.wantStatus)
			}
			if diff := cmp.Diff(tc.want, pick(r.header)); diff != "" {
				t.Errorf("preflight headers (-want +got):\n%s", diff)
			}
		})
	}
	t.Run("plain OPTIONS goes to the route", func(t *testing.T) {
		if r := do(t, srv, "OPTIONS", "/pets", ""); r.status != 401 {
			t.Errorf("%d, want the authorizer's 401", r.status)
		}
	})
	t.Run("simple request", func(t *testing.T) {
		tok := is.Sign(is.Claims("alice", "app", epoch))
		r := do(t, srv, "GET", "/pets", "", "Origin", "https://app.example", "Authorization", tok)
		if r.status != 200 {
			t.Fatalf("%d %s", r.status, r.body)
		}
		want := map[string]string{
			"Access-Control-Allow-Origin":      "https://app.example", // the integration's "*" is dropped
			"Access-Control-Allow-Credentials": "true",
			"Access-Control-Expose-Headers":    "x-total",
		}
		if diff := cmp.Diff(want, pick(r.header)); diff != "" {
			t.Errorf("headers (-want +got):\n%s", diff)
		}
	})
	t.Run("gateway errors carry CORS headers", func(t *testing.T) {
		r := do(t, srv, "GET", "/pets", "", "Origin", "https://app.example")
		if r.status != 401 || r.header.Get("Access-Control-Allow-Origin") != "https://app.example" {
			t.Errorf("%d %v", r.status, pick(r.header))
		}
	})
	t.Run("other origin gets no CORS headers", func(t *testing.T) {
		tok := is.Sign(is.Claims("alice", "app", epoch))
		r := do(t, srv, "GET", "/pets", "", "Origin", "https://evil.example", "Authorization", tok)
		if r.status != 200 || len(pick(r.header)) != 0 {
			t.Errorf("%d %v", r.status, pick(r.header))
		}
	})
}

func TestLambdaAuthorizer(t *testing.T) {
	clk := clock.NewFake(epoch)
	lam := newLambda(t, clk)
	register(t, lam, "echo", adapter.Wrap(echoHandler))
	var calls atomic.Int32
	var lastEvent atomic.Value
	register(t, lam, "simple", faas.FunctionFunc(func(_ context.Context, p []byte) ([]byte, error) {
		calls.Add(1)
		lastEvent.Store(string(p))
		var ev struct {
			Headers map[string]string `json:"headers"`
		}
		_ = json.Unmarshal(p, &ev)
		switch ev.Headers["x-key"] {
		case "crash":
			return nil, errors.New("authorizer crashed")
		case "garbage":
			return []byte(`{"isAuthorized":"yes"}`), nil
		}
		return json.Marshal(map[string]any{"isAuthorized": ev.Headers["x-key"] == "good", "context": map[string]any{"sub": "u-1", "tier": "gold"}})
	}))
	register(t, lam, "policy", faas.FunctionFunc(func(_ context.Context, p []byte) ([]byte, error) {
		var ev struct {
			MethodArn string            `json:"methodArn"`
			Headers   map[string]string `json:"headers"`
		}
		_ = json.Unmarshal(p, &ev)
		effect := "Deny"
		if ev.Headers["X-Key"] == "good" {
			effect = "Allow"
		}
		return json.Marshal(map[string]any{
			"principalId": "user-9",
			"policyDocument": map[string]any{"Version": "2012-10-17", "Statement": []any{
				map[string]any{"Effect": effect, "Action": "execute-api:Invoke", "Resource": []string{"arn:aws:execute-api:*:*:*/*/GET/*"}},
			}},
			"context": map[string]any{"plan": "basic"},
		})
	}))
	echo := localgateway.Lambda{Function: "echo"}
	srv := serve(t, localgateway.Config{
		Clock: clk, Invoker: lam,
		Authorizers: map[string]localgateway.Authorizer{
			"simple": localgateway.LambdaAuthorizer{Function: "simple", PayloadFormat: "2.0", SimpleResponses: true,
				IdentitySources: []string{"$request.header.X-Key"}, TTL: time.Minute},
			"policy": localgateway.LambdaAuthorizer{Function: "policy", PayloadFormat: "1.0", IdentitySources: []string{"$request.header.X-Key"}},
		},
		Routes: []localgateway.Route{
			{Key: "GET /s", Integration: echo, Authorizer: "simple"},
			{Key: "GET /p/{id}", Integration: echo, Authorizer: "policy"},
			{Key: "POST /p/{id}", Integration: echo, Authorizer: "policy"},
		},
	})

	r := do(t, srv, "GET", "/s", "", "X-Key", "good")
	if r.status != 200 {
		t.Fatalf("allowed: %d %s", r.status, r.body)
	}
	e := r.echoed(t)
	if e.Subject != "u-1" || !strings.Contains(string(e.Authorizer), `"lambda":{"sub":"u-1","tier":"gold"}`) {
		t.Errorf("authorizer context: sub=%q %s", e.Subject, e.Authorizer)
	}
	var ev map[string]any
	_ = json.Unmarshal([]byte(lastEvent.Load().(string)), &ev)
	if ev["type"] != "REQUEST" || ev["routeArn"] != "arn:aws:execute-api:us-east-1:123456789012:local/$default/GET/s" ||
		!cmp.Equal(ev["identitySource"], []any{"good"}) || ev["version"] != "2.0" {
		t.Errorf("authorizer event: type=%v routeArn=%v identitySource=%v version=%v", ev["type"], ev["routeArn"], ev["identitySource"], ev["version"])
	}
	if r := do(t, srv, "GET", "/s", "", "X-Key", "good"); r.status != 200 || calls.Load() != 1 {
		t.Errorf("cached: %d after %d calls, want 200 after 1", r.status, calls.Load())
	}
	clk.Advance(time.Minute)
	if r := do(t, srv, "GET", "/s", "", "X-Key", "good"); r.status != 200 || calls.Load() != 2 {
		t.Errorf("after the TTL: %d after %d calls, want 200 after 2", r.status, calls.Load())
	}
	before := calls.Load()
	if r := do(t, srv, "GET", "/s", ""); r.status != 401 || r.body != `{"message":"Unauthorized"}` || calls.Load() != before {
		t.Errorf("missing identity source: %d %s after %d calls, want 401 without a call", r.status, r.body, calls.Load()-before)
	}
	if r := do(t, srv, "GET", "/s", "", "X-Key", "bad"); r.status != 403 || r.body != `{"message":"Forbidden"}` {
		t.Errorf("denied: %d %s, want 403", r.status, r.body)
	}
	for _, k := range []string{"crash", "garbage"} {
		if r := do(t, srv, "GET", "/s", "", "X-Key", k); r.status != 500 || r.body != `{"message":"Internal Server Error"}` {
			t.Errorf("%s: %d %s, want 500", k, r.status, r.body)
		}
	}

	if r := do(t, srv, "GET", "/p/1", "", "X-Key", "good"); r.status != 200 {
		t.Errorf("policy allow: %d %s", r.status, r.body)
	} else if e := r.echoed(t); e.Subject != "user-9" {
		t.Errorf("policy principal: %q (%s)", e.Subject, e.Authorizer)
	}
	if r := do(t, srv, "GET", "/p/1", "", "X-Key", "bad"); r.status != 403 {
		t.Errorf("policy deny: %d", r.status)
	}
	if r := do(t, srv, "POST", "/p/1", "", "X-Key", "good"); r.status != 403 {
		t.Errorf("policy allowing GET only, on POST: %d, want 403", r.status)
	}
}

func TestLambdaAuthorizerTimeout(t *testing.T) {
	clk := clock.NewFake(epoch)
	lam := newLambda(t, clk)
	register(t, lam, "echo", adapter.Wrap(echoHandler))
	b := newBlocker()
	if err := lam.Register(faas.Config{Name: "slowauth", Timeout: 30 * time.Second}, b); err != nil {
		t.Fatal(err)
	}
	defer close(b.release)
	srv := serve(t, localgateway.Config{
		Clock: clk, Invoker: lam,
		Authorizers: map[string]localgateway.Authorizer{"a": localgateway.LambdaAuthorizer{Function: "slowauth", PayloadFormat: "2.0", SimpleResponses: true, IdentitySources: []string{"$request.header.X-Key"}}},
		Routes:      []localgateway.Route{{Key: "GET /x", Integration: localgateway.Lambda{Function: "echo"}, Authorizer: "a"}},
	})
	done := make(chan response)
	go func() { done <- do(t, srv, "GET", "/x", "", "X-Key", "k") }()
	<-b.started
	clk.BlockUntil(2)
	clk.Advance(localgateway.DefaultAuthorizerTimeout)
	if r := <-done; r.status != 500 {
		t.Errorf("authorizer timeout: %d %s, want 500", r.status, r.body)
	}
}

func TestRESTLambdaAuthorizer(t *testing.T) {
	clk := clock.NewFake(epoch)
	lam := newLambda(t, clk)
	register(t, lam, "echo", adapter.Wrap(echoHandler))
	var calls atomic.Int32
	var lastEvent atomic.Value
	policy := func(effect, resource string, context map[string]any) ([]byte, error) {
		return json.Marshal(map[string]any{
			"principalId": "user-1",
			"policyDocument": map[string]any{"Version": "2012-10-17", "Statement": []any{
				map[string]any{"Effect": effect, "Action": "execute-api:Invoke", "Resource": resource}}},
			"context": context,
		})
	}
	register(t, lam, "token", faas.FunctionFunc(func(_ context.Context, p []byte) ([]byte, error) {
		calls.Add(1)
		lastEvent.Store(string(p))
		var ev struct{ AuthorizationToken, MethodArn string }
		_ = json.Unmarshal(p, &ev)
		switch ev.AuthorizationToken {
		case "deny":
			return policy("Deny", ev.MethodArn, nil)
		case "other":
			return policy("Allow", "arn:aws:execute-api:us-east-1:123456789012:local/prod/POST/*", nil)
		case "unauthorized":
			return nil, errors.New("Unauthorized")
		case "crash":
			return nil, errors.New("boom")
		case "nested":
			return policy("Allow", ev.MethodArn, map[string]any{"n": map[string]any{"a": 1}})
		}
		return policy("Allow", "arn:aws:execute-api:*:*:*/prod/GET/t/*", map[string]any{"user": "u-1", "count": 3, "admin": true})
	}))
	var requestCalls atomic.Int32
	register(t, lam, "request", faas.FunctionFunc(func(_ context.Context, p []byte) ([]byte, error) {
		requestCalls.Add(1)
		lastEvent.Store(string(p))
		var ev struct {
			MethodArn string            `json:"methodArn"`
			Headers   map[string]string `json:"headers"`
		}
		_ = json.Unmarshal(p, &ev)
		if ev.Headers["X-Key"] != "good" {
			return policy("Deny", ev.MethodArn, nil)
		}
		// A cached answer is checked against each request's methodArn,
		// as API Gateway does: it allows every id.
		return policy("Allow", "arn:aws:execute-api:us-east-1:123456789012:local/prod/GET/r/*", map[string]any{"key": "good"})
	}))
	echo := localgateway.Lambda{Function: "echo"}
	srv := serve(t, localgateway.Config{
		Kind: localgateway.RESTAPI, Clock: clk, Invoker: lam,
		Authorizers: map[string]localgateway.Authorizer{
			"token": localgateway.LambdaAuthorizer{Function: "token", Type: "TOKEN", IdentityValidationExpression: "[a-z]+(-[0-9]+)?"},
			"request": localgateway.LambdaAuthorizer{Function: "request", IdentitySources: []string{"method.request.header.X-Key"},
				TTL: time.Minute},
		},
		Routes: []localgateway.Route{
			{Key: "GET /t/{id}", Integration: echo, Authorizer: "token"},
			{Key: "GET /r/{id}", Integration: echo, Authorizer: "request"},
		},
	})

	const explicitDeny = `{"Message":"User is not authorized to access this resource with an explicit deny"}`
	tests := []struct {
		name      string
		path      string
		header    []string
		status    int
		body      string // the whole body, unless the request reaches the function
		errorType string
		calls     int32 // calls of the token authorizer
	}{
		{name: "allowed", path: "/prod/t/1", header: []string{"Authorization", "allow-7"}, status: 200, calls: 1},
		{name: "no token", path: "/prod/t/1", status: 401, body: `{"message":"Unauthorized"}`, errorType: "UnauthorizedException"},
		{name: "token not matching the expression", path: "/prod/t/1", header: []string{"Authorization", "Bearer x"}, status: 401, body: `{"message":"Unauthorized"}`, errorType: "UnauthorizedException"},
		{name: "explicit deny", path: "/prod/t/1", header: []string{"Authorization", "deny"}, status: 403, body: explicitDeny, errorType: "AccessDeniedException", calls: 1},
		{name: "allowed elsewhere only", path: "/prod/t/1", header: []string{"Authorization", "other"}, status: 403,
			body: `{"Message":"User is not authorized to access this resource"}`, errorType: "AccessDeniedException", calls: 1},
		{name: "the function says Unauthorized", path: "/prod/t/1", header: []string{"Authorization", "unauthorized"}, status: 401, body: `{"message":"Unauthorized"}`, errorType: "UnauthorizedException", calls: 1},
		{name: "the function fails", path: "/prod/t/1", header: []string{"Authorization", "crash"}, status: 500, body: `{"message":null}`, errorType: "AuthorizerConfigurationException", calls: 1},
		{name: "a context value that is an object", path: "/prod/t/1", header: []string{"Authorization", "nested"}, status: 500, body: `{"message":null}`, errorType: "AuthorizerConfigurationException", calls: 1},
		{name: "request authorizer allows", path: "/prod/r/2", header: []string{"X-Key", "good"}, status: 200},
		{name: "request authorizer denies", path: "/prod/r/2", header: []string{"X-Key", "bad"}, status: 403, body: explicitDeny, errorType: "AccessDeniedException"},
		{name: "request authorizer without its source", path: "/prod/r/2", status: 401, body: `{"message":"Unauthorized"}`, errorType: "UnauthorizedException"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := calls.Load()
			r := do(t, srv, "GET", tc.path, "", tc.header...)
			if r.status != tc.status || (tc.status != 200 && r.body != tc.body) {
				t.Fatalf("status %d, body %s; want %d %s", r.status, r.body, tc.status, tc.body)
			}
			if got := r.header.Get("X-Amzn-Errortype"); got != tc.errorType {
				t.Errorf("x-amzn-ErrorType %q, want %q", got, tc.errorType)
			}
			if got := calls.Load() - before; got != tc.calls {
				t.Errorf("the token authorizer ran %d times, want %d", got, tc.calls)
			}
		})
	}

	// What the function and the integration see.
	r := do(t, srv, "GET", "/prod/t/42", "", "Authorization", "allow-1")
	var tokenEvent map[string]string
	if err := json.Unmarshal([]byte(lastEvent.Load().(string)), &tokenEvent); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]string{"type": "TOKEN", "authorizationToken": "allow-1",
		"methodArn": "arn:aws:execute-api:us-east-1:123456789012:local/prod/GET/t/42"}, tokenEvent); diff != "" {
		t.Errorf("TOKEN event (-want +got):\n%s", diff)
	}
	e := r.echoed(t)
	var authz map[string]any
	if err := json.Unmarshal(e.Authorizer, &authz); err != nil {
		t.Fatalf("requestContext.authorizer %s: %v", e.Authorizer, err)
	}
	if _, ok := authz["integrationLatency"].(float64); !ok {
		t.Errorf("requestContext.authorizer has no numeric integrationLatency: %s", e.Authorizer)
	}
	delete(authz, "integrationLatency")
	if diff := cmp.Diff(map[string]any{"principalId": "user-1", "user": "u-1", "count": "3", "admin": "true"}, authz); diff != "" {
		t.Errorf("requestContext.authorizer (-want +got):\n%s", diff)
	}
	if e.Subject != "user-1" {
		t.Errorf("the caller's subject is %q, want the principalId user-1", e.Subject)
	}

	// The REQUEST authorizer's answers are cached by X-Key for a minute.
	before := requestCalls.Load()
	if r := do(t, srv, "GET", "/prod/r/7", "", "X-Key", "good"); r.status != 200 || requestCalls.Load() != before {
		t.Errorf("cached answer: %d after %d calls, want 200 without a call", r.status, requestCalls.Load()-before)
	}
	clk.Advance(time.Minute)
	if r := do(t, srv, "GET", "/prod/r/7", "", "X-Key", "good"); r.status != 200 || requestCalls.Load() != before+1 {
		t.Errorf("after the TTL: %d after %d calls, want 200 after 1", r.status, requestCalls.Load()-before)
	}
	var reqEvent map[string]any
	if err := json.Unmarshal([]byte(lastEvent.Load().(string)), &reqEvent); err != nil {
		t.Fatal(err)
	}
	for k, want := range map[string]any{"type": "REQUEST", "methodArn": "arn:aws:execute-api:us-east-1:123456789012:local/prod/GET/r/7",
		"resource": "/r/{id}", "httpMethod": "GET"} {
		if reqEvent[k] != want {
			t.Errorf("REQUEST event %s = %v, want %v", k, reqEvent[k], want)
		}
	}
	for _, k := range []string{"body", "isBase64Encoded", "version", "routeArn", "identitySource"} {
		if _, ok := reqEvent[k]; ok {
			t.Errorf("REQUEST event has %s", k)
		}
	}
	if !cmp.Equal(reqEvent["pathParameters"], map[string]any{"id": "7"}) {
		t.Errorf("REQUEST event pathParameters = %v", reqEvent["pathParameters"])
	}
}

func TestRESTCognitoAuthorizer(t *testing.T) {
	is := testIssuer()
	other := verifytest.NewIssuer() // a second pool, with keys of its own
	t.Cleanup(other.Close)
	clk := clock.NewFake(epoch)
	lam := newLambda(t, clk)
	register(t, lam, "echo", adapter.Wrap(echoHandler))
	echo := localgateway.Lambda{Function: "echo"}
	srv := serve(t, localgateway.Config{
		Kind: localgateway.RESTAPI, Clock: clk, Invoker: lam,
		Authorizers: map[string]localgateway.Authorizer{
			"pool": localgateway.CognitoAuthorizer{Issuers: []string{other.URL, is.URL}},
		},
		Routes: []localgateway.Route{
			{Key: "GET /me", Integration: echo, Authorizer: "pool"},
			{Key: "GET /admin", Integration: echo, Authorizer: "pool", Scopes: []string{"pets/admin"}},
		},
	})
	sign := func(edit func(map[string]any)) string {
		c := is.Claims("alice", "any-app-client", epoch.Add(-time.Minute))
		c["cognito:groups"] = []string{"admin", "user"}
		c["email_verified"] = true
		if edit != nil {
			edit(c)
		}
		return is.Sign(c)
	}
	access := func(scope string) func(map[string]any) {
		return func(c map[string]any) {
			delete(c, "aud")
			c["token_use"], c["client_id"], c["scope"] = "access", "any-app-client", scope
		}
	}
	idToken := sign(nil)
	const unauthorized = `{"message":"Unauthorized"}`
	tests := []struct {
		name   string
		path   string
		header []string
		status int
		body   string // unless 200
	}{
		{name: "ID token of any app client", path: "/prod/me", header: []string{"Authorization", idToken}, status: 200},
		{name: "the other pool's ID token", path: "/prod/me", header: []string{"Authorization", other.Sign(other.Claims("bob", "web", epoch))}, status: 200},
		{name: "ID token after Bearer", path: "/prod/me", header: []string{"Authorization", "Bearer " + idToken}, status: 200},
		{name: "no token", path: "/prod/me", status: 401, body: unauthorized},
		{name: "access token where an ID token is due", path: "/prod/me", header: []string{"Authorization", sign(access("pets/admin"))}, status: 401, body: unauthorized},
		{name: "expired", path: "/prod/me", header: []string{"Authorization", sign(func(c map[string]any) { c["exp"] = epoch.Add(-time.Second).Unix() })},
			status: 401, body: `{"message":"The incoming token has expired"}`},
		{name: "another pool's token", path: "/prod/me", header: []string{"Authorization", sign(func(c map[string]any) { c["iss"] = "http://127.0.0.1:1/us-east-1_third" })},
			status: 401, body: unauthorized},
		{name: "a configured pool's name on a token its keys did not sign", path: "/prod/me",
			header: []string{"Authorization", sign(func(c map[string]any) { c["iss"] = other.URL })},
			status: 401, body: unauthorized},
		{name: "tampered", path: "/prod/me", header: []string{"Authorization", idToken[:len(idToken)-4] + "AAAA"}, status: 401, body: unauthorized},
		{name: "access token with the route's scope", path: "/prod/admin", header: []string{"Authorization", sign(access("openid pets/admin"))}, status: 200},
		{name: "access token without the route's scope", path: "/prod/admin", header: []string{"Authorization", sign(access("openid"))}, status: 401, body: unauthorized},
		{name: "ID token where scopes are due", path: "/prod/admin", header: []string{"Authorization", idToken}, status: 401, body: unauthorized},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := do(t, srv, "GET", tc.path, "", tc.header...)
			if r.status != tc.status || (tc.status != 200 && r.body != tc.body) {
				t.Fatalf("status %d, body %s; want %d %s", r.status, r.body, tc.status, tc.body)
			}
			if tc.status == 401 && r.header.Get("X-Amzn-Errortype") != "UnauthorizedException" {
				t.Errorf("x-amzn-ErrorType %q, want UnauthorizedException", r.header.Get("X-Amzn-Errortype"))
			}
		})
	}

	e := do(t, srv, "GET", "/prod/me", "", "Authorization", idToken).echoed(t)
	var authz struct {
		Claims map[string]string `json:"claims"`
	}
	if err := json.Unmarshal(e.Authorizer, &authz); err != nil {
		t.Fatalf("requestContext.authorizer %s: %v", e.Authorizer, err)
	}
	want := map[string]string{"iss": is.URL, "sub": "alice", "aud": "any-app-client", "token_use": "id", "cognito:username": "alice",
		"iat": jsonText(epoch.Add(-time.Minute).Unix()), "auth_time": jsonText(epoch.Add(-time.Minute).Unix()),
		"exp": jsonText(epoch.Add(59 * time.Minute).Unix()), "cognito:groups": "[admin user]", "email_verified": "true"}
	if diff := cmp.Diff(want, authz.Claims); diff != "" {
		t.Errorf("requestContext.authorizer.claims (-want +got):\n%s", diff)
	}
	if e.Subject != "alice" || e.Username != "alice" || !cmp.Equal(e.Groups, []string{"admin", "user"}) {
		t.Errorf("the handler's caller: sub=%q user=%q groups=%v", e.Subject, e.Username, e.Groups)
	}
}

func TestIAMAuthorizer(t *testing.T) {
	lam := newLambda(t, nil)
	register(t, lam, "echo", adapter.Wrap(echoHandler))
	role := &adapter.IAMIdentity{AccessKey: "ASIAROLE", AccountID: "123456789012", UserID: "AROAROLE:faasport",
		UserARN: "arn:aws:sts::123456789012:assumed-role/reader/faasport"}
	var gotARN, gotBody atomic.Value
	// authorize stands for SigV4 and IAM: the Authorization header names
	// the outcome.
	authorize := func(r *http.Request, methodARN string) (*adapter.IAMIdentity, error) {
		gotARN.Store(methodARN)
		b, _ := io.ReadAll(r.Body)
		gotBody.Store(string(b))
		switch r.Header.Get("Authorization") {
		case "":
			return nil, &localgateway.IAMDenial{Code: "MissingAuthenticationTokenException", Message: "Missing Authentication Token"}
		case "bad-signature":
			return nil, &localgateway.IAMDenial{Code: "InvalidSignatureException", Message: "The request signature we calculated does not match the signature you provided."}
		case "denied":
			return nil, &localgateway.IAMDenial{Code: "AccessDeniedException",
				Message: "User: " + role.UserARN + " is not authorized to perform: execute-api:Invoke on resource: " + methodARN}
		case "broken":
			return nil, errors.New("credential store down")
		}
		return role, nil
	}
	iam := map[string]localgateway.Authorizer{"iam": localgateway.IAMAuthorizer{Authorize: authorize}}
	routes := []localgateway.Route{{Key: "POST /orders/{id}", Integration: localgateway.Lambda{Function: "echo"}, Authorizer: "iam"}}
	rest := serve(t, localgateway.Config{Kind: localgateway.RESTAPI, Invoker: lam, Authorizers: iam, Routes: routes})
	httpAPI := serve(t, localgateway.Config{Invoker: lam, Authorizers: iam, Routes: routes})

	tests := []struct {
		name      string
		srv       *httptest.Server
		path      string
		auth      string
		status    int
		body      string
		errorType string
	}{
		{"REST, allowed", rest, "/prod/orders/7", "ok", 200, "", ""},
		{"REST, unsigned", rest, "/prod/orders/7", "", 403, `{"message":"Missing Authentication Token"}`, "MissingAuthenticationTokenException"},
		{"REST, bad signature", rest, "/prod/orders/7", "bad-signature", 403,
			`{"message":"The request signature we calculated does not match the signature you provided."}`, "InvalidSignatureException"},
		{"REST, denied", rest, "/prod/orders/7", "denied", 403,
			`{"Message":"User: arn:aws:sts::123456789012:assumed-role/reader/faasport is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:123456789012:local/prod/POST/orders/7"}`,
			"AccessDeniedException"},
		{"REST, authorizer failure", rest, "/prod/orders/7", "broken", 502, `{"message": "Internal server error"}`, ""},
		{"HTTP API, allowed", httpAPI, "/orders/7", "ok", 200, "", ""},
		{"HTTP API, unsigned", httpAPI, "/orders/7", "", 403, `{"message":"Forbidden"}`, ""},
		{"HTTP API, denied", httpAPI, "/orders/7", "denied", 403, `{"message":"Forbidden"}`, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var header []string
			if tc.auth != "" {
				header = []string{"Authorization", tc.auth}
			}
			r := do(t, tc.srv, "POST", tc.path, `{"qty":2}`, header...)
			if r.status != tc.status || (tc.status != 200 && r.body != tc.body) {
				t.Fatalf("status %d, body %s; want %d %s", r.status, r.body, tc.status, tc.body)
			}
			if got := r.header.Get("X-Amzn-Errortype"); got != tc.errorType {
				t.Errorf("x-amzn-ErrorType %q, want %q", got, tc.errorType)
			}
			if got := gotBody.Load(); got != `{"qty":2}` {
				t.Errorf("the authorizer read the body %q", got)
			}
			if tc.status != 200 {
				return
			}
			e := r.echoed(t)
			if e.Body != `{"qty":2}` {
				t.Errorf("the function got the body %q", e.Body)
			}
			if e.Subject != "AROAROLE:faasport" {
				t.Errorf("the handler's caller is %q, want the role session", e.Subject)
			}
		})
	}
	if got := gotARN.Load(); got != "arn:aws:execute-api:us-east-1:123456789012:local/$default/POST/orders/7" {
		t.Errorf("the last method ARN is %v", got)
	}
}
