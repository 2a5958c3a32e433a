package localgateway_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/x509"
	_ "embed"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/golang-jwt/jwt/v5"

	"github.com/faasport/faasport/adapter"
	"github.com/faasport/faasport/emulator/localgateway"
	"github.com/faasport/faasport/faas"
	"github.com/faasport/faasport/verify"
)

// jwtTestKey signs the tokens of FuzzServeHTTP. The fuzzing engine hands
// inputs from one process to others, so the tokens in them must verify in
// every process: the key is fixed, not generated (as verifytest's are),
// and so are the issuer and the claims.
//
//go:embed testdata/jwt_test_key.pem
var jwtTestKey []byte

const (
	fuzzIssuer = "https://issuer.fuzz.example"
	fuzzKeyID  = "fuzz-key"
)

// fuzzTokens are the tokens of FuzzServeHTTP's issuer by name.
var fuzzTokens = map[string]jwt.MapClaims{
	"admin":     {"iss": fuzzIssuer, "sub": "alice", "aud": "app", "iat": 1700000000, "exp": 4102444800, "scope": "openid pets/admin"},
	"reader":    {"iss": fuzzIssuer, "sub": "bob", "aud": "app", "iat": 1700000000, "exp": 4102444800, "scope": "openid pets/read"},
	"expired":   {"iss": fuzzIssuer, "sub": "carol", "aud": "app", "iat": 1700000000, "exp": 1700003600},
	"other-aud": {"iss": fuzzIssuer, "sub": "dan", "aud": "other", "iat": 1700000000, "exp": 4102444800},
	"future":    {"iss": fuzzIssuer, "sub": "erin", "aud": "app", "iat": 1700000000, "nbf": 4102000000, "exp": 4102444800},
	// Cognito's kinds, for the REST API's user pool authorizer.
	"id":     {"iss": fuzzIssuer, "sub": "frank", "aud": "web", "token_use": "id", "iat": 1700000000, "exp": 4102444800},
	"access": {"iss": fuzzIssuer, "sub": "frank", "client_id": "web", "token_use": "access", "scope": "pets/admin", "iat": 1700000000, "exp": 4102444800},
}

// serveEnv is FuzzServeHTTP's world: an HTTP API and a REST API in front
// of the same functions and HTTP backend.
type serveEnv struct {
	http, rest *localgateway.Gateway
	log        *lastRequestLog
	tokens     map[string]string // signed tokens by name
	signatures map[string][]byte // signature by signing input ("header.payload")
}

// Routes of the HTTP API, and the authorizer functions' rules: a simple
// authorizer that allows identities starting with "allow", and a policy
// authorizer that gives them GET on /pol/* except /pol/secret*.
const (
	routeJWT       = "GET /me"
	routeJWTScoped = "GET /admin/{id}"
	routeLambda    = "ANY /lam/{proxy+}"
	routePolicy    = "GET /pol/{proxy+}"
	routeIAM       = "POST /iam/{id}"
	allowPrefix    = "allow"
	deniedProxy    = "secret"
	allowedOrigin  = "https://app.example"
)

func newServeEnv(t testing.TB) *serveEnv {
	t.Helper()
	block, _ := pem.Decode(jwtTestKey)
	if block == nil {
		t.Fatal("testdata/jwt_test_key.pem holds no PEM block")
	}
	key, err := x509.ParsePKCS1PrivateKey(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	env := &serveEnv{log: &lastRequestLog{}, tokens: map[string]string{}, signatures: map[string][]byte{}}
	for name, claims := range fuzzTokens {
		tok := jwt.NewWithClaims(jwt.SigningMethodRS256, claims)
		tok.Header["kid"] = fuzzKeyID
		s, err := tok.SignedString(key)
		if err != nil {
			t.Fatal(err)
		}
		env.tokens[name] = s
		i := strings.LastIndexByte(s, '.')
		env.signatures[s[:i]], _ = base64.RawURLEncoding.DecodeString(s[i+1:])
	}

	lam := newLambda(t, nil)
	register(t, lam, "echo", adapter.Wrap(fuzzEcho))
	register(t, lam, "simple-auth", faas.FunctionFunc(simpleAuthorizer))
	register(t, lam, "policy-auth", faas.FunctionFunc(policyAuthorizer))
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Backend", "1")
		w.Header().Set("Access-Control-Allow-Origin", "*") // a gateway with CORS drops it
		_, _ = io.Copy(io.Discard, r.Body)
		_, _ = io.WriteString(w, r.URL.Path)
	}))
	t.Cleanup(backend.Close)

	echo := localgateway.Lambda{Function: "echo"}
	logger := slog.New(env.log)
	unlimited := localgateway.Throttle{Rate: 1e9, Burst: 1e9}
	env.http, err = localgateway.New(localgateway.Config{
		Invoker: lam, Logger: logger, AccountThrottle: unlimited,
		Keys: verify.KeySet{fuzzKeyID: &key.PublicKey},
		Stages: []localgateway.Stage{
			{Name: "$default"},
			{Name: "v1", Variables: map[string]string{"db": "test"},
				RouteThrottle: map[string]localgateway.Throttle{"GET /limited": {Rate: 1, Burst: 1}}},
		},
		Authorizers: map[string]localgateway.Authorizer{
			"jwt": localgateway.JWTAuthorizer{Issuer: fuzzIssuer, Audiences: []string{"app"}},
			"simple": localgateway.LambdaAuthorizer{Function: "simple-auth", PayloadFormat: "2.0", SimpleResponses: true,
				IdentitySources: []string{"$request.header.Authorization"}, TTL: 5 * time.Minute},
			"policy": localgateway.LambdaAuthorizer{Function: "policy-auth", PayloadFormat: "1.0",
				IdentitySources: []string{"$request.header.Authorization"}, TTL: 5 * time.Minute},
			"iam": localgateway.IAMAuthorizer{Authorize: fuzzIAM},
		},
		Routes: []localgateway.Route{
			{Key: "GET /pets/{id}", Integration: echo},
			{Key: "POST /pets", Integration: echo},
			{Key: "ANY /pets/{id}/{rest+}", Integration: localgateway.Lambda{Function: "echo", PayloadFormat: "1.0"}},
			{Key: routeJWT, Integration: echo, Authorizer: "jwt"},
			{Key: routeJWTScoped, Integration: echo, Authorizer: "jwt", Scopes: []string{"pets/admin"}},
			{Key: routeLambda, Integration: echo, Authorizer: "simple"},
			{Key: routePolicy, Integration: echo, Authorizer: "policy"},
			{Key: routeIAM, Integration: echo, Authorizer: "iam"},
			{Key: "GET /limited", Integration: echo},
			{Key: "ANY /proxy/{proxy+}", Integration: localgateway.HTTPProxy{URL: backend.URL + "/up"}},
			{Key: "GET /item/{id}", Integration: localgateway.HTTPProxy{URL: backend.URL + "/items/{id}"}},
			{Key: "$default", Integration: echo},
		},
		CORS: &localgateway.CORS{
			AllowOrigins: []string{allowedOrigin}, AllowMethods: []string{"GET", "POST"},
			AllowHeaders: []string{"authorization", "content-type"}, ExposeHeaders: []string{"x-total"},
			AllowCredentials: true, MaxAge: 600,
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	env.rest, err = localgateway.New(localgateway.Config{
		Kind: localgateway.RESTAPI, Invoker: lam, Logger: logger, AccountThrottle: unlimited,
		Keys: verify.KeySet{fuzzKeyID: &key.PublicKey},
		Stages: []localgateway.Stage{
			{Name: "prod", Variables: map[string]string{"db": "prod"}},
			{Name: "dev", Throttle: localgateway.Throttle{Rate: 1, Burst: 1}},
		},
		Routes: []localgateway.Route{
			{Key: "GET /pets/{id}", Integration: echo},
			{Key: "POST /pets", Integration: echo},
			{Key: "ANY /pets/{id}/{rest+}", Integration: echo},
			{Key: "GET /item/{id}", Integration: localgateway.HTTPProxy{URL: backend.URL + "/items/{id}"}},
			{Key: "ANY /up/{proxy+}", Integration: localgateway.HTTPProxy{URL: backend.URL + "/up"}},
			{Key: routePolicy, Integration: echo, Authorizer: "token"},
			{Key: routeIAM, Integration: echo, Authorizer: "iam"},
			{Key: routeJWT, Integration: echo, Authorizer: "pool"},
			{Key: routeJWTScoped, Integration: echo, Authorizer: "pool", Scopes: []string{"pets/admin"}},
			{Key: "ANY /{proxy+}", Integration: echo},
		},
		Authorizers: map[string]localgateway.Authorizer{
			"token": localgateway.LambdaAuthorizer{Function: "policy-auth", Type: "TOKEN", TTL: 5 * time.Minute},
			"pool":  localgateway.CognitoAuthorizer{Issuers: []string{fuzzIssuer}},
			"iam":   localgateway.IAMAuthorizer{Authorize: fuzzIAM},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		env.http.CloseIdleConnections()
		env.rest.CloseIdleConnections()
	})
	return env
}

// signed reports whether the Authorization value carries a token the
// issuer signed: its header and payload, and the signature bytes.
func (env *serveEnv) signed(authorization string) bool {
	tok := strings.TrimSpace(authorization)
	if len(tok) > 7 && strings.EqualFold(tok[:7], "bearer ") {
		tok = strings.TrimSpace(tok[7:])
	}
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		return false
	}
	want, ok := env.signatures[parts[0]+"."+parts[1]]
	if !ok {
		return false
	}
	got, err := base64.RawURLEncoding.DecodeString(parts[2])
	return err == nil && bytes.Equal(got, want)
}

// fuzzEchoed is what fuzzEcho answers.
type fuzzEchoed struct {
	Route  string            `json:"route"`
	Params map[string]string `json:"params"`
	Body   []byte            `json:"body"`
}

// fuzzEcho answers with its route, path parameters and the request body.
var fuzzEcho = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	var out fuzzEchoed
	out.Body, _ = io.ReadAll(r.Body)
	if ev, ok := adapter.EventFromContext(r.Context()); ok {
		var e struct {
			RouteKey       string            `json:"routeKey"`
			Resource       string            `json:"resource"`
			PathParameters map[string]string `json:"pathParameters"`
		}
		_ = ev.Decode(&e)
		out.Route, out.Params = e.RouteKey, e.PathParameters
		if out.Route == "" {
			out.Route = e.Resource
		}
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Access-Control-Allow-Origin", "*") // a gateway with CORS drops it
	_ = json.NewEncoder(w).Encode(out)
})

// simpleAuthorizer is a simple-response authorizer: identities starting
// with allowPrefix are allowed; "crash..." fails and "garbage..." answers
// what API Gateway cannot read.
func simpleAuthorizer(_ context.Context, p []byte) ([]byte, error) {
	var ev struct {
		IdentitySource []string `json:"identitySource"`
	}
	if err := json.Unmarshal(p, &ev); err != nil || len(ev.IdentitySource) != 1 {
		return nil, errors.New("bad event")
	}
	id := ev.IdentitySource[0]
	switch {
	case strings.HasPrefix(id, allowPrefix):
		return json.Marshal(map[string]any{"isAuthorized": true, "context": map[string]any{"token": id, "n": 1}})
	case strings.HasPrefix(id, "crash"):
		return nil, errors.New("authorizer crashed")
	case strings.HasPrefix(id, "garbage"):
		return []byte(`{"isAuthorized":"yes"}`), nil
	}
	return []byte(`{"isAuthorized":false,"context":{"why":"no"}}`), nil
}

// policyAuthorizer is an IAM policy authorizer (payload format 1.0): it
// gives identities starting with allowPrefix GET on /pol/* but for
// /pol/secret*, and denies everything to the others.
func policyAuthorizer(_ context.Context, p []byte) ([]byte, error) {
	var ev struct {
		AuthorizationToken string `json:"authorizationToken"`
		MethodArn          string `json:"methodArn"`
	}
	if err := json.Unmarshal(p, &ev); err != nil || ev.MethodArn == "" {
		return nil, errors.New("bad event")
	}
	if !strings.HasPrefix(ev.AuthorizationToken, allowPrefix) {
		return []byte(`{"principalId":"nobody","policyDocument":{"Version":"2012-10-17","Statement":
			{"Effect":"Deny","Action":"execute-api:Invoke","Resource":"*"}}}`), nil
	}
	return []byte(`{"principalId":"user-9","policyDocument":{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":"execute-api:Invoke","Resource":"arn:aws:execute-api:*:*:*/*/GET/pol/*"},
		{"Effect":"Deny","Action":["execute-api:Invoke"],"Resource":["arn:aws:execute-api:*:*:*/*/GET/pol/` + deniedProxy + `*"]}]},
		"context":{"plan":"basic"}}`), nil
}

// fuzzIAM stands for SigV4 and IAM: it reads the body, as a verifier
// does, and allows the callers whose Authorization starts with
// allowPrefix.
func fuzzIAM(r *http.Request, methodARN string) (*adapter.IAMIdentity, error) {
	if _, err := io.ReadAll(r.Body); err != nil {
		return nil, err
	}
	auth := r.Header.Get("Authorization")
	switch {
	case auth == "":
		return nil, &localgateway.IAMDenial{Code: "MissingAuthenticationTokenException", Message: "Missing Authentication Token"}
	case !strings.HasPrefix(auth, allowPrefix):
		return nil, &localgateway.IAMDenial{Code: "AccessDeniedException",
			Message: "User: arn:aws:iam::123456789012:user/fuzz is not authorized to perform: execute-api:Invoke on resource: " + methodARN}
	}
	return &adapter.IAMIdentity{AccessKey: "AKIAFUZZ", AccountID: "123456789012", UserID: "AIDAFUZZ", UserARN: "arn:aws:iam::123456789012:user/" + auth}, nil
}

// lastRequestLog is a slog.Handler that keeps the attributes of the
// gateway's last access log line. A fuzz process runs one input at a
// time, so after ServeHTTP returns the line is the input's.
type lastRequestLog struct {
	mu    sync.Mutex
	attrs map[string]string
}

func (h *lastRequestLog) Enabled(context.Context, slog.Level) bool { return true }

func (h *lastRequestLog) Handle(_ context.Context, r slog.Record) error {
	if r.Message != "localgateway: request" {
		return nil
	}
	m := make(map[string]string, r.NumAttrs())
	r.Attrs(func(a slog.Attr) bool {
		m[a.Key] = a.Value.String()
		return true
	})
	h.mu.Lock()
	h.attrs = m
	h.mu.Unlock()
	return nil
}

func (h *lastRequestLog) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h *lastRequestLog) WithGroup(string) slog.Handler      { return h }

func (h *lastRequestLog) take() map[string]string {
	h.mu.Lock()
	defer h.mu.Unlock()
	m := h.attrs
	h.attrs = nil
	return m
}

// restAuthorizerAnswers are the bodies of a REST API's Lambda authorizer
// answers that do not follow the {"message":"..."} form.
var restAuthorizerAnswers = map[int][]string{
	403: {`{"Message":"User is not authorized to access this resource with an explicit deny"}`, `{"Message":"User is not authorized to access this resource"}`},
	500: {`{"message":null}`},
}

// gatewayMessages are the messages of the gateway's own error answers,
// by kind of API and status.
var gatewayMessages = map[bool]map[int][]string{
	false: { // HTTP API
		400: {"Bad Request"},
		401: {"Unauthorized"},
		403: {"Forbidden"},
		404: {"Not Found"},
		413: {"Request Entity Too Large"},
		429: {"Too Many Requests"},
		500: {"Internal Server Error"},
		503: {"Service Unavailable"},
	},
	true: { // REST API
		400: {"Bad Request"},
		401: {"Unauthorized", "The incoming token has expired"},
		403: {"Forbidden", "Missing Authentication Token"},
		413: {"Request Entity Too Large"},
		429: {"Too Many Requests"},
		500: {"Internal server error"},
		502: {"Internal server error"},
		504: {"Endpoint request timed out"},
	},
}

// serveInput is one FuzzServeHTTP input.
type serveInput struct {
	rest                                  bool
	method, target                        string
	auth, origin, acrm, contentType, host string
	body                                  string
}

func (in serveInput) raw() string {
	var b strings.Builder
	b.WriteString(in.method + " " + in.target + " HTTP/1.1\r\nHost: " + in.host + "\r\n")
	for _, h := range [...][2]string{
		{"Authorization", in.auth}, {"Origin", in.origin},
		{"Access-Control-Request-Method", in.acrm}, {"Content-Type", in.contentType},
	} {
		if h[1] != "" {
			b.WriteString(h[0] + ": " + h[1] + "\r\n")
		}
	}
	if in.body != "" {
		b.WriteString("Content-Length: " + strconv.Itoa(len(in.body)) + "\r\n")
	}
	b.WriteString("\r\n" + in.body)
	return b.String()
}

// FuzzServeHTTP sends arbitrary requests, as an HTTP/1.1 server reads
// them, to an HTTP API and a REST API. The gateway never panics; answers
// only with API Gateway's statuses; gives its own errors API Gateway's
// bodies; answers CORS as configured; lets through its JWT and user pool
// routes only tokens the issuer signed, and its Lambda authorizer and IAM
// routes only what the authorizers allow; and hands functions the request
// body intact.
func FuzzServeHTTP(f *testing.F) {
	env := newServeEnv(f)
	tok := env.tokens
	for _, in := range []serveInput{
		{method: "GET", target: "/pets/7"},
		{method: "POST", target: "/pets", contentType: "application/json", body: `{"name":"rex"}`},
		{method: "PUT", target: "/pets/7/toys/ball", contentType: "application/octet-stream", body: "\x00\xff\xfe"},
		{method: "GET", target: "/v1/pets/7?x=1&x=2"},
		{method: "HEAD", target: "/pets/7"},
		{method: "GET", target: "/me", auth: "Bearer " + tok["admin"], origin: allowedOrigin},
		{method: "GET", target: "/me", auth: tok["reader"]},
		{method: "GET", target: "/me", auth: "bearer " + tok["expired"]},
		{method: "GET", target: "/me", auth: tok["other-aud"]},
		{method: "GET", target: "/me", auth: tok["future"]},
		{method: "GET", target: "/me", auth: "Bearer " + tok["admin"][:len(tok["admin"])-2] + "AA"},
		{method: "GET", target: "/me"},
		{method: "GET", target: "/admin/1", auth: "Bearer " + tok["admin"]},
		{method: "GET", target: "/v1/admin/1", auth: "Bearer " + tok["reader"]},
		{method: "GET", target: "/lam/a/b", auth: "allow-1", origin: "https://evil.example"},
		{method: "DELETE", target: "/lam/a", auth: "deny"},
		{method: "GET", target: "/lam/a", auth: "crash"},
		{method: "GET", target: "/lam/a", auth: "garbage"},
		{method: "GET", target: "/lam/a"},
		{method: "GET", target: "/pol/a", auth: "allow-2"},
		{method: "GET", target: "/pol/secret/x", auth: "allow-2"},
		{method: "GET", target: "/pol/%73ecret", auth: "allow-2"},
		{method: "GET", target: "/v1/pol/a", auth: "deny"},
		{method: "OPTIONS", target: "/me", origin: allowedOrigin, acrm: "GET"},
		{method: "OPTIONS", target: "/pets/7", origin: "https://evil.example", acrm: "POST"},
		{method: "OPTIONS", target: "/pets/7"},
		{method: "GET", target: "/v1/limited"},
		{method: "GET", target: "/proxy/a/b%20c?q=1", body: "hello"},
		{method: "GET", target: "/item/5%2F6"},
		{method: "GET", target: "/%2F"},
		{method: "FOO", target: "http://gw.local/pets/1"},
		{method: "GET", target: "*"},
		{rest: true, method: "GET", target: "/prod/pets/7"},
		{rest: true, method: "POST", target: "/prod/pets", body: "x"},
		{rest: true, method: "GET", target: "/dev/pets/7"},
		{rest: true, method: "GET", target: "/pets/7"},
		{rest: true, method: "GET", target: "/prod/"},
		{rest: true, method: "GET", target: "/prod"},
		{rest: true, method: "GET", target: "/prod/item/5"},
		{rest: true, method: "PATCH", target: "/prod/up/a/b", body: "y"},
		{rest: true, method: "OPTIONS", target: "/prod/x", origin: allowedOrigin, acrm: "GET"},
		{rest: true, method: "GET", target: "/prod/pol/a", auth: allowPrefix + "1"},
		{rest: true, method: "GET", target: "/prod/pol/" + deniedProxy + "x", auth: allowPrefix + "1"},
		{rest: true, method: "GET", target: "/prod/pol/a", auth: "nope"},
		{rest: true, method: "GET", target: "/prod/pol/a"},
		{rest: true, method: "POST", target: "/prod/iam/1", auth: allowPrefix + "-alice", body: "x"},
		{rest: true, method: "POST", target: "/prod/iam/1", auth: "mallory", body: "x"},
		{rest: true, method: "POST", target: "/prod/iam/1"},
		{method: "POST", target: "/iam/1", auth: allowPrefix + "-alice", body: "x"},
		{method: "POST", target: "/iam/1", auth: "mallory"},
		{rest: true, method: "GET", target: "/prod/me", auth: tok["id"]},
		{rest: true, method: "GET", target: "/prod/me", auth: tok["access"]},
		{rest: true, method: "GET", target: "/prod/me", auth: "Bearer " + tok["expired"]},
		{rest: true, method: "GET", target: "/prod/admin/1", auth: tok["access"]},
		{rest: true, method: "GET", target: "/prod/admin/1", auth: tok["id"]},
	} {
		if in.host == "" {
			in.host = "gw.local"
		}
		f.Add(in.rest, in.method, in.target, in.auth, in.origin, in.acrm, in.contentType, in.host, []byte(in.body))
	}
	f.Fuzz(func(t *testing.T, rest bool, method, target, auth, origin, acrm, contentType, host string, body []byte) {
		in := serveInput{rest, method, target, auth, origin, acrm, contentType, host, string(body)}
		if len(in.raw()) > 8<<10 {
			t.Skip() // longer requests only slow the search down
		}
		for _, s := range []string{method, target, auth, origin, acrm, contentType, host} {
			if strings.ContainsAny(s, "\r\n") {
				return // more or other headers than the input says
			}
		}
		req, err := http.ReadRequest(bufio.NewReader(strings.NewReader(in.raw())))
		if err != nil || (req.Method == "OPTIONS" && req.RequestURI == "*") || !validHost(req.Host) {
			return // a server answers these itself
		}
		delete(req.Header, "Host") // as a server does
		g := env.http
		if rest {
			g = env.rest
		}
		w := httptest.NewRecorder()
		g.ServeHTTP(w, req)
		checkServed(t, env, req, in, w)
	})
}

// pathAfterStage returns the path of a request after its stage, for the
// stages of FuzzServeHTTP's APIs.
func pathAfterStage(p string, rest bool) string {
	stages := []string{"v1"}
	if rest {
		stages = []string{"prod", "dev"}
	}
	if p == "" {
		p = "/"
	}
	trim := strings.TrimPrefix
	if rest {
		// A REST API makes the leading slashes before and after the
		// stage one.
		trim = strings.TrimLeft
	}
	first, after, _ := strings.Cut(trim(p, "/"), "/")
	if slices.Contains(stages, first) {
		return "/" + trim(after, "/")
	}
	return p
}

// validHost reports whether a server would accept host as a Host header
// (a stricter test than the server's).
func validHost(host string) bool {
	for i := 0; i < len(host); i++ {
		if c := host[i]; c <= ' ' || c >= 0x7f || strings.IndexByte("\"#/<>?@\\^`{|}", c) >= 0 {
			return false
		}
	}
	return true
}

func checkServed(t *testing.T, env *serveEnv, req *http.Request, in serveInput, w *httptest.ResponseRecorder) {
	t.Helper()
	status, h, body := w.Code, w.Header(), w.Body.String()
	desc := func() string {
		return strconv.Quote(in.raw()) + " = " + strconv.Itoa(status) + " " + strconv.Quote(body)
	}
	log := env.log.take()
	route, authz := log["route_key"], log["authorizer"]

	switch status {
	case 200, 204, 400, 401, 403, 404, 413, 429, 500, 502, 503, 504:
	default:
		t.Fatalf("%s: not a status of API Gateway", desc())
	}
	if log["status"] != strconv.Itoa(status) {
		t.Fatalf("%s: logged as status %s", desc(), log["status"])
	}
	idHeader := "Apigw-Requestid"
	if in.rest {
		idHeader = "X-Amzn-Requestid"
	}
	if h.Get(idHeader) == "" {
		t.Fatalf("%s: no %s header", desc(), idHeader)
	}

	// Error answers are the gateway's own, unless the backend gave them.
	if status >= 400 && h.Get("X-Backend") == "" {
		sep := `{"message":"`
		if in.rest && status >= 500 {
			sep = `{"message": "` // a REST API's integration failures
		}
		msg, ok := strings.CutPrefix(body, sep)
		msg, ok2 := strings.CutSuffix(msg, `"}`)
		authorizerAnswer := in.rest && route == routePolicy && slices.Contains(restAuthorizerAnswers[status], body) ||
			in.rest && route == routeIAM && status == 403 && strings.HasPrefix(body, `{"Message":"User: arn:aws:iam::123456789012:user/fuzz is not authorized`)
		if !authorizerAnswer && (!ok || !ok2 || !slices.Contains(gatewayMessages[in.rest][status], msg)) {
			t.Fatalf("%s: not API Gateway's %d answer", desc(), status)
		}
		if h.Get("Content-Type") != "application/json" || h.Get("Content-Length") != strconv.Itoa(len(body)) {
			t.Fatalf("%s: error headers %v", desc(), h)
		}
	}

	// The HTTP API's $default route takes every preflight (with CORS
	// set, the gateway answers one itself only when no route takes it),
	// and the gateway's preflight headers replace the integration's.
	preflight := !in.rest && req.Method == "OPTIONS" && req.Header.Get("Origin") != "" && req.Header.Get("Access-Control-Request-Method") != ""
	if preflight && route == "" {
		t.Fatalf("%s: a preflight no route took, beside $default", desc())
	}
	if preflight && req.Header.Get("Origin") == allowedOrigin && h.Get("Access-Control-Allow-Methods") != "GET,POST" {
		t.Fatalf("%s: a preflight without the gateway's preflight headers: %v", desc(), h)
	}
	if !in.rest {
		if status == 404 {
			t.Fatalf("%s: the HTTP API has a $default route", desc())
		}
		var cors []string
		for k := range h {
			if strings.HasPrefix(k, "Access-Control-") {
				cors = append(cors, k)
			}
		}
		if req.Header.Get("Origin") == allowedOrigin {
			if h.Get("Access-Control-Allow-Origin") != allowedOrigin {
				t.Fatalf("%s: allowed origin without its CORS headers: %v", desc(), h)
			}
		} else if len(cors) > 0 {
			t.Fatalf("%s: CORS headers %v for origin %q", desc(), cors, req.Header.Get("Origin"))
		}
	}

	identity := strings.Join(req.Header.Values("Authorization"), ",")
	switch route {
	case routeJWT, routeJWTScoped:
		if (authz == "allow" || authz == "forbidden") && !env.signed(identity) {
			t.Fatalf("%s: JWT authorizer decided %s on a token the issuer did not sign", desc(), authz)
		}
		if status == 200 && authz != "allow" {
			t.Fatalf("%s: authorizer %s", desc(), authz)
		}
	case routeLambda, routePolicy, routeIAM:
		if authz == "allow" && !strings.HasPrefix(identity, allowPrefix) {
			t.Fatalf("%s: Lambda authorizer allowed %q", desc(), identity)
		}
		if status == 200 && authz != "allow" {
			t.Fatalf("%s: authorizer %s", desc(), authz)
		}
	}

	if status != 200 || req.Method == "HEAD" {
		return
	}
	if h.Get("X-Backend") != "" {
		// The backend answers with the path it was sent.
		sub := pathAfterStage(req.URL.Path, in.rest)
		want := "/up" + sub
		if route == "GET /item/{id}" {
			want = "/items/" + strings.TrimPrefix(sub, "/item/")
		}
		if body != want {
			t.Fatalf("%s: route %s sent the backend %q, want %q", desc(), route, body, want)
		}
		return
	}
	var e fuzzEchoed
	if err := json.Unmarshal([]byte(body), &e); err != nil {
		t.Fatalf("%s: not the echo: %v", desc(), err)
	}
	if want := strings.TrimPrefix(route, "ANY "); !in.rest && e.Route != route && e.Route != want {
		t.Fatalf("%s: function saw route %q, the gateway logged %q", desc(), e.Route, route)
	}
	wantBody := []byte(in.body)
	if in.rest {
		// A REST API without binary media types sends every body as
		// text: its bytes that are not UTF-8 become U+FFFD.
		wantBody = replaceInvalid(in.body)
	}
	if !bytes.Equal(e.Body, wantBody) {
		t.Fatalf("%s: function saw body %q", desc(), e.Body)
	}
	if route == routePolicy && strings.HasPrefix(e.Params["proxy"], deniedProxy) {
		t.Fatalf("%s: the policy denies GET /pol/%s*", desc(), deniedProxy)
	}
}

// replaceInvalid replaces each byte of s that is not part of valid UTF-8
// by U+FFFD, as encoding a string into JSON does.
func replaceInvalid(s string) []byte {
	var out []byte
	for len(s) > 0 {
		r, n := utf8.DecodeRuneInString(s)
		if r == utf8.RuneError && n == 1 {
			out = append(out, "\uFFFD"...)
		} else {
			out = append(out, s[:n]...)
		}
		s = s[n:]
	}
	return out
}
