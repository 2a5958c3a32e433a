package localgateway

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httputil"
	"net/url"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/faasport/faasport/adapter"
	"github.com/faasport/faasport/emulator/clock"
	"github.com/faasport/faasport/emulator/locallambda"
	"github.com/faasport/faasport/verify"
)

// Gateway is an API gateway: an http.Handler that routes requests to
// Lambda functions and HTTP backends as API Gateway does. Create it with
// [New]. It is safe for concurrent use.
type Gateway struct {
	rest      bool
	binary    []string // a REST API's binary media types, lower-cased
	stages    map[string]*stage
	defStage  *stage // an HTTP API's $default stage, or nil
	routes    []*route
	defRoute  *route
	account   *bucket
	cors      *corsPolicy
	invoker   Invoker
	lambda    *locallambda.Service // invoker, when it times by clock too
	clock     clock.Clock
	realClock bool // clock is clock.Real()
	logger    *slog.Logger
	apiID     string
	region    string
	accountID string
	transport *http.Transport
	proxy     *httputil.ReverseProxy
}

type stage struct {
	name    string
	vars    map[string]string
	buckets map[*route]*bucket
}

type route struct {
	key     *routeKey
	cfg     Route
	lambda  *Lambda
	format  adapter.Format
	target  *url.URL // for an HTTPProxy
	timeout time.Duration
	auth    authorizer // nil: none
}

// New returns a Gateway configured by cfg, or an error naming the first
// setting that API Gateway would refuse or that the gateway does not
// implement.
func New(cfg Config) (*Gateway, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	g := &Gateway{
		rest:      cfg.Kind == RESTAPI,
		binary:    lowerAll(cfg.BinaryMediaTypes),
		stages:    map[string]*stage{},
		cors:      newCORSPolicy(cfg.CORS),
		invoker:   cfg.Invoker,
		clock:     cfg.Clock,
		logger:    cfg.Logger,
		apiID:     or(cfg.APIID, "local"),
		region:    or(cfg.Region, locallambda.DefaultRegion),
		accountID: or(cfg.AccountID, locallambda.DefaultAccountID),
	}
	if g.clock == nil {
		g.clock = clock.Real()
	}
	g.realClock = g.clock == clock.Real()
	if lam, ok := g.invoker.(*locallambda.Service); ok && sameClock(lam.Clock(), g.clock) {
		g.lambda = lam
	}
	if g.logger == nil {
		g.logger = slog.Default()
	}
	acct := cfg.AccountThrottle
	if acct.isZero() {
		acct = Throttle{Rate: DefaultAccountRate, Burst: DefaultAccountBurst}
	}
	g.account = newBucket(acct, g.clock)
	keys := cfg.Keys
	if keys == nil {
		keys = verify.NewJWKSCache(verify.JWKSOptions{Clock: g.clock})
	}
	// Tokens come again and again; their signatures are checked once
	// (while their key stays in the JWKS) and their claims every time.
	sigs := verify.NewSignatureCache(0)
	auths := map[string]authorizer{}
	for name, a := range cfg.Authorizers {
		auths[name] = newAuthorizer(g, name, a, keys, sigs)
	}
	for _, rc := range cfg.Routes {
		k, _ := parseRouteKey(rc.Key) // validated
		rt := &route{key: k, cfg: rc, auth: auths[rc.Authorizer], timeout: cfg.maxTimeout()}
		switch in := rc.Integration.(type) {
		case Lambda:
			rt.lambda = &in
			rt.format = adapter.FormatHTTPAPIV2
			switch {
			case g.rest:
				rt.format = adapter.FormatRESTAPI
			case in.PayloadFormat == "1.0":
				rt.format = adapter.FormatHTTPAPIV1
			}
			if in.Timeout > 0 {
				rt.timeout = in.Timeout
			}
		case HTTPProxy:
			rt.target, _ = url.Parse(in.URL) // validated
			if in.Timeout > 0 {
				rt.timeout = in.Timeout
			}
		}
		if k.def {
			g.defRoute = rt
			continue
		}
		g.routes = append(g.routes, rt)
	}
	// Sorted by priority, the first route that matches a request is the
	// best one.
	more := moreSpecific
	if g.rest {
		more = moreSpecificREST
	}
	sort.SliceStable(g.routes, func(i, j int) bool { return more(g.routes[i].key, g.routes[j].key) })

	stages := cfg.Stages
	if stages == nil {
		stages = []Stage{{Name: "$default"}}
		if g.rest {
			stages = []Stage{{Name: "prod"}}
		}
	}
	all := append(append([]*route(nil), g.routes...), g.defRoute)
	for _, sc := range stages {
		st := &stage{name: sc.Name, vars: sc.Variables, buckets: map[*route]*bucket{}}
		for _, rt := range all {
			if rt == nil {
				continue
			}
			t := sc.Throttle
			if rtt, ok := sc.RouteThrottle[rt.cfg.Key]; ok {
				t = rtt
			}
			if b := newBucket(t, g.clock); b != nil {
				st.buckets[rt] = b
			}
		}
		if sc.Name == "$default" {
			g.defStage = st
		} else {
			g.stages[sc.Name] = st
		}
	}

	g.transport = http.DefaultTransport.(*http.Transport).Clone()
	g.transport.Proxy = nil
	g.transport.MaxIdleConnsPerHost = 64
	g.proxy = &httputil.ReverseProxy{
		Rewrite:        rewriteProxyRequest,
		Transport:      g.transport,
		ModifyResponse: modifyProxyResponse,
		ErrorHandler:   proxyError,
		ErrorLog:       slog.NewLogLogger(g.logger.Handler(), slog.LevelDebug),
	}
	return g, nil
}

// sameClock reports whether a and b are one clock. (Clocks of a type
// that cannot be compared count as different.)
func sameClock(a, b clock.Clock) bool {
	t := reflect.TypeOf(a)
	return t == reflect.TypeOf(b) && t.Comparable() && a == b
}

func or(s, def string) string {
	if s != "" {
		return s
	}
	return def
}

// CloseIdleConnections closes the idle connections of HTTP proxy
// integrations.
func (g *Gateway) CloseIdleConnections() { g.transport.CloseIdleConnections() }

// exchange is one request going through the gateway.
type exchange struct {
	g      *Gateway
	w      http.ResponseWriter
	r      *http.Request
	id     string
	start  time.Time
	origin string

	preflight bool // a CORS preflight that a route took

	stage    *stage
	route    *route
	params   map[string]string
	subpath  string // the path after the stage
	status   int
	authz    string // the authorizer's decision, for the log
	lambdaID string
	cause    error // what went wrong, for the log

	proxyCtx context.Context // an HTTP proxy integration's context

	body     []byte               // the request's body, read whole
	identity *adapter.IAMIdentity // the caller, on a route with IAM authorization

	gr adapter.GatewayRequest // for gatewayRequest: one allocation with x

	trace string // the request's X-Ray trace header, once traceID has made it
	extID string // a REST API request's extended request id, once extendedID has made it
}

// traceID is the request's trace header: the client's X-Amzn-Trace-Id, or
// a fresh one, which the gateway adds to what it sends on and continues in
// the Lambda invocations it makes.
func (x *exchange) traceID() string {
	if x.trace == "" {
		if x.trace = x.r.Header.Get("X-Amzn-Trace-Id"); x.trace == "" {
			x.trace = adapter.NewTraceID(x.start)
		}
	}
	return x.trace
}

// exchanges recycles exchanges: the gateway's own record of a request,
// which nothing outside ServeHTTP keeps, but for an HTTP proxy
// integration's (see done).
var exchanges = sync.Pool{New: func() any { return new(exchange) }}

// ServeHTTP serves one request as API Gateway would.
func (g *Gateway) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	x := exchanges.Get().(*exchange)
	*x = exchange{g: g, w: w, r: r, start: g.clock.Now(), authz: "none"}
	if g.rest {
		x.id = adapter.NewRequestID()
	} else {
		x.id = shortID() // HTTP APIs' request ids are in the short form
	}
	if g.cors != nil {
		x.origin = r.Header.Get("Origin")
	}
	// Deferred: the log line is written even when the reverse proxy
	// aborts the response (a client gone while its body is copied).
	defer x.done()
	x.serve()
}

// done writes the access log line and recycles x, unless x went to an
// HTTP proxy integration: the outgoing request's context holds x, and
// the transport may hold that request a while after ServeHTTP returns.
func (x *exchange) done() {
	x.log()
	if x.proxyCtx != nil {
		return
	}
	*x = exchange{}
	exchanges.Put(x)
}

func (x *exchange) serve() {
	g, r := x.g, x.r
	if !x.selectStage() {
		return
	}
	if !g.account.take() {
		x.tooManyRequests()
		return
	}
	if g.cors != nil && isPreflight(r) {
		// The gateway answers a preflight itself only when no route
		// takes it: an OPTIONS route, an ANY route or $default gets it,
		// with its authorizer, as on AWS.
		if !x.findRoute() {
			h := x.w.Header()
			g.cors.preflight(h, r)
			x.gatewayHeaders(h)
			x.status = http.StatusNoContent
			x.w.WriteHeader(http.StatusNoContent)
			return
		}
		x.preflight = true
	}
	if r.ContentLength > MaxPayloadSize {
		x.fail(http.StatusRequestEntityTooLarge, "Request Entity Too Large", nil)
		return
	}
	if x.route == nil && !x.selectRoute() {
		return
	}
	// Throttled before its body is read: a flood of large bodies costs
	// the gateway no memory.
	if b := x.stage.buckets[x.route]; b != nil && !b.take() {
		x.tooManyRequests()
		return
	}
	body := []byte{}
	var err error
	// A server's requests always have a body, http.NoBody when empty;
	// direct callers' may have none.
	if r.Body != nil && r.Body != http.NoBody {
		body, err = io.ReadAll(io.LimitReader(r.Body, MaxPayloadSize+1))
	}
	if err != nil {
		x.fail(http.StatusBadRequest, "Bad Request", err)
		return
	}
	if len(body) > MaxPayloadSize {
		x.fail(http.StatusRequestEntityTooLarge, "Request Entity Too Large", nil)
		return
	}
	x.body = body
	var authz map[string]any
	if a := x.route.auth; a != nil {
		var ok bool
		if authz, ok = a.authorize(x); !ok {
			return
		}
	}
	if x.route.lambda != nil {
		x.invokeLambda(body, authz)
		return
	}
	x.forward(body)
}

// selectStage finds the stage from the first path segment.
func (x *exchange) selectStage() bool {
	p := x.r.URL.Path
	if x.g.rest {
		// A REST API routes the path as sent, not decoded, and makes the
		// leading slashes before and after the stage one.
		p = strings.TrimLeft(x.r.URL.EscapedPath(), "/")
	}
	if p == "" {
		p = "/"
	}
	first, rest, _ := strings.Cut(strings.TrimPrefix(p, "/"), "/")
	if st := x.g.stages[first]; st != nil {
		if x.g.rest {
			rest = strings.TrimLeft(rest, "/")
		}
		x.stage, x.subpath = st, "/"+rest
		return true
	}
	if x.g.defStage != nil {
		x.stage, x.subpath = x.g.defStage, p
		return true
	}
	if x.g.rest {
		x.fail(http.StatusForbidden, "Forbidden", nil)
	} else {
		x.fail(http.StatusNotFound, "Not Found", nil)
	}
	return false
}

// selectRoute finds the best route for the request, or answers that
// there is none.
func (x *exchange) selectRoute() bool {
	if x.findRoute() {
		return true
	}
	if x.g.rest {
		x.fail(http.StatusForbidden, "Missing Authentication Token", nil)
	} else {
		x.fail(http.StatusNotFound, "Not Found", nil)
	}
	return false
}

// findRoute finds the best route for the request, reporting whether there
// is one.
func (x *exchange) findRoute() bool {
	var buf [8]string // most paths have fewer segments
	segs := splitPath(x.subpath, buf[:0])
	if n := len(segs); x.g.rest && n > 0 && segs[n-1] == "" {
		segs = segs[:n-1] // a REST API ignores a trailing slash
	}
	for _, rt := range x.g.routes {
		if rt.key.method != "ANY" && rt.key.method != x.r.Method {
			continue
		}
		if params, ok := rt.key.match(segs); ok {
			x.route, x.params = rt, params
			return true
		}
	}
	if x.g.defRoute != nil {
		x.route = x.g.defRoute
		return true
	}
	return false
}

// cors sets the gateway's CORS headers on a response, in place of the
// integration's: those of a preflight for a preflight that a route took,
// otherwise those of a CORS request.
func (x *exchange) cors(h http.Header) {
	switch {
	case x.g.cors == nil:
	case x.preflight:
		x.g.cors.preflight(h, x.r)
	default:
		x.g.cors.apply(h, x.origin)
	}
}

func (x *exchange) routeKey() string {
	if x.route == nil {
		return ""
	}
	return x.route.key.text
}

// gatewayHeaders sets the headers the gateway adds to every response:
// the request id, and for REST APIs the extended request id.
func (x *exchange) gatewayHeaders(h http.Header) {
	if x.g.rest {
		vals := []string{x.id, x.extendedID()}
		h["X-Amzn-Requestid"] = vals[0:1:1]
		h["X-Amz-Apigw-Id"] = vals[1:2:2]
		return
	}
	h["Apigw-Requestid"] = []string{x.id}
}

// gatewayHeadersLength sets the headers the gateway adds to every
// response and Content-Length n, with one allocation for their values.
func (x *exchange) gatewayHeadersLength(h http.Header, n int) {
	if x.g.rest {
		vals := []string{x.id, x.extendedID(), strconv.Itoa(n)}
		h["X-Amzn-Requestid"] = vals[0:1:1]
		h["X-Amz-Apigw-Id"] = vals[1:2:2]
		h["Content-Length"] = vals[2:3:3]
		return
	}
	vals := []string{x.id, strconv.Itoa(n)}
	h["Apigw-Requestid"] = vals[0:1:1]
	h["Content-Length"] = vals[1:2:2]
}

// extendedID is a REST API request's extended request id.
func (x *exchange) extendedID() string {
	if x.extID == "" {
		x.extID = shortID()
	}
	return x.extID
}

// shortID returns a fresh id in the short form API Gateway uses for HTTP
// APIs' request ids and REST APIs' extended request ids: 11 random bytes
// in base64, such as "JTHoQgr2oAMEPMg=".
func shortID() string {
	var b [11]byte
	binary.LittleEndian.PutUint64(b[:8], rand.Uint64())
	binary.LittleEndian.PutUint16(b[8:], uint16(rand.Uint32()))
	b[10] = byte(rand.Uint32())
	return base64.StdEncoding.EncodeToString(b[:])
}

// fail answers with one of API Gateway's own error responses:
// {"message":"..."}, in the spacing of the API's kind.
func (x *exchange) fail(status int, message string, cause error) {
	x.status = status
	if cause != nil {
		x.cause = cause
	}
	body := `{"message":"` + message + `"}`
	h := x.w.Header()
	if x.g.rest {
		if status >= 500 {
			// A REST API's integration failures have a body of their
			// own, spaced unlike its gateway responses.
			body = `{"message": "` + message + `"}`
		}
		if t := restErrorTypes[message]; t != "" {
			h.Set("X-Amzn-Errortype", t)
		}
	}
	h.Set("Content-Type", "application/json")
	x.cors(h)
	x.gatewayHeadersLength(h, len(body))
	x.w.WriteHeader(status)
	_, _ = io.WriteString(x.w, body)
}

// restErrorTypes are the x-amzn-ErrorType headers of a REST API's
// gateway responses, by message, where AWS's answers show them.
var restErrorTypes = map[string]string{
	"Missing Authentication Token":   "MissingAuthenticationTokenException",
	"Unauthorized":                   "UnauthorizedException",
	"The incoming token has expired": "UnauthorizedException",
	"Too Many Requests":              "TooManyRequestsException",
}

// failREST answers a REST API request with one of API Gateway's own
// error bodies, as is, and the error's type in x-amzn-ErrorType.
func (x *exchange) failREST(status int, body, errorType string, cause error) {
	x.status = status
	if cause != nil {
		x.cause = cause
	}
	h := x.w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("X-Amzn-Errortype", errorType)
	x.gatewayHeadersLength(h, len(body))
	x.w.WriteHeader(status)
	_, _ = io.WriteString(x.w, body)
}

func (x *exchange) tooManyRequests() {
	x.fail(http.StatusTooManyRequests, "Too Many Requests", nil)
}

// integrationFailed answers a failed integration: 500 for HTTP APIs, 502
// for REST APIs.
func (x *exchange) integrationFailed(cause error) {
	if x.g.rest {
		x.fail(http.StatusBadGateway, "Internal server error", cause)
		return
	}
	x.fail(http.StatusInternalServerError, "Internal Server Error", cause)
}

// integrationTimedOut answers an integration that outran its timeout.
func (x *exchange) integrationTimedOut() {
	cause := fmt.Errorf("integration timed out after %v", x.route.timeout)
	if x.g.rest {
		x.fail(http.StatusGatewayTimeout, "Endpoint request timed out", cause)
		return
	}
	x.fail(http.StatusServiceUnavailable, "Service Unavailable", cause)
}

// errTimedOut is the cause of an integration context's cancellation when
// the integration timeout passed.
var errTimedOut = errors.New("localgateway: integration timeout")

// withTimeout returns a context for an integration call that is cancelled
// when d passes on the gateway's clock, and a stop function to call when
// the call returns. [timedOut] tells whether the timeout cancelled it.
func (x *exchange) withTimeout(d time.Duration) (context.Context, func()) {
	if x.g.realClock {
		// The runtime's timers cost no goroutine.
		return context.WithTimeoutCause(x.r.Context(), d, errTimedOut)
	}
	ctx, cancel := context.WithCancelCause(x.r.Context())
	timer := x.g.clock.NewTimer(d)
	done := make(chan struct{})
	go func() {
		select {
		case <-timer.C():
			cancel(errTimedOut)
		case <-done:
		}
	}()
	return ctx, func() {
		close(done)
		timer.Stop()
		cancel(context.Canceled)
	}
}

// timedOut reports whether ctx, from withTimeout, ended by its timeout.
func timedOut(ctx context.Context) bool { return context.Cause(ctx) == errTimedOut }

func (x *exchange) gatewayRequest(format adapter.Format, body []byte, authz map[string]any) *adapter.GatewayRequest {
	gr := &x.gr
	*gr = adapter.GatewayRequest{
		Format:         format,
		Stage:          x.stage.name,
		RouteKey:       x.route.key.text,
		PathParameters: x.params,
		StageVariables: x.stage.vars,
		RequestID:      x.id,
		AccountID:      x.g.accountID,
		APIID:          x.g.apiID,
		Region:         x.g.region,
		Time:           x.start,
		TraceID:        x.traceID(),
		Authorizer:     authz,
		Identity:       x.identity,
		Body:           body,

		BinaryMediaTypes: x.g.binary,
	}
	if x.g.rest {
		gr.ExtendedRequestID = x.extendedID()
	}
	if x.route.key.def {
		gr.Resource = x.subpath
	} else {
		gr.Resource = x.route.key.path
	}
	if gr.Body == nil {
		gr.Body = []byte{}
	}
	return gr
}

// invokeLambda runs a Lambda proxy integration.
func (x *exchange) invokeLambda(body []byte, authz map[string]any) {
	rt := x.route
	payload, err := adapter.NewEvent(x.r, x.gatewayRequest(rt.format, body, authz))
	if err != nil {
		x.integrationFailed(err)
		return
	}
	req := locallambda.InvokeRequest{
		FunctionName:  rt.lambda.Function,
		Payload:       payload,
		PayloadIsJSON: true, // NewEvent's, and not used again
		PayloadOwned:  true,
		TraceID:       x.traceID(),
	}
	var (
		res     *locallambda.InvokeResult
		expired bool
	)
	if lam := x.g.lambda; lam != nil {
		// locallambda times the integration itself, by the same clock:
		// the same timeout as withTimeout's context, without its timer
		// and cancellation bookkeeping on every request.
		req.Timeout = rt.timeout
		res, err = lam.Invoke(x.r.Context(), req)
		expired = errors.Is(err, context.DeadlineExceeded) && x.r.Context().Err() == nil
	} else {
		ctx, stop := x.withTimeout(rt.timeout)
		res, err = x.g.invoker.Invoke(ctx, req)
		expired = timedOut(ctx)
		stop()
	}
	if res != nil {
		// Also when the gateway gave up waiting: the invocation runs on,
		// and the log names it.
		x.lambdaID = res.RequestID
	}
	if err != nil {
		var ie *locallambda.InvokeError
		switch {
		case expired:
			x.integrationTimedOut()
		case x.r.Context().Err() != nil:
			x.status, x.cause = 499, fmt.Errorf("client went away: %w", err) // nginx's "client closed request"
		case errors.As(err, &ie) && ie.StatusCode == http.StatusTooManyRequests && !x.g.rest:
			x.fail(http.StatusTooManyRequests, "Too Many Requests", err)
		case x.g.rest:
			x.fail(http.StatusInternalServerError, "Internal server error", err)
		default:
			x.fail(http.StatusInternalServerError, "Internal Server Error", err)
		}
		return
	}
	if res.FunctionError != "" {
		x.integrationFailed(fmt.Errorf("function error: %s", truncate(res.Payload, 512)))
		return
	}
	h := x.w.Header()
	into := !x.g.rest && len(h) == 0
	var resp *adapter.Response
	switch {
	case x.g.rest:
		// A body flagged base64 is decoded for clients that accept one
		// of the API's binary media types, and passed on as text to
		// others; one that does not decode fails with a 500.
		resp, err = adapter.DecodeRESTResponse(res.Payload, x.r.Header.Get("Accept"), x.g.binary)
	case into:
		// Straight into the response's header: no map of the answer's.
		resp = &adapter.Response{Header: h}
		err = resp.Decode(rt.format, res.Payload)
	default:
		resp, err = adapter.DecodeResponse(rt.format, res.Payload)
	}
	if x.g.rest && errors.Is(err, adapter.ErrUndecodableBody) {
		x.fail(http.StatusInternalServerError, "Internal server error", err)
		return
	}
	if err != nil {
		x.integrationFailed(err)
		return
	}
	if x.g.rest {
		remapHeaders(resp.Header, true)
		if _, ok := resp.Header["Content-Type"]; !ok {
			// A REST API's Lambda proxy answer is JSON unless the
			// function says otherwise, or gives its type as null.
			resp.Header["Content-Type"] = []string{"application/json"}
		}
	}
	if !into {
		for k, vs := range resp.Header {
			h[k] = vs
		}
	}
	x.cors(h)
	if x.r.Method == http.MethodHead && len(resp.Body) == 0 && validLength(h["Content-Length"]) {
		// The length of the body a GET would get, as the function's
		// handler (and net/http) gives it for HEAD.
		x.gatewayHeaders(h)
	} else {
		x.gatewayHeadersLength(h, len(resp.Body))
	}
	x.status = resp.StatusCode
	x.w.WriteHeader(resp.StatusCode)
	if x.r.Method != http.MethodHead {
		_, _ = x.w.Write(resp.Body)
	}
}

// validLength reports whether vs is a single valid Content-Length value.
func validLength(vs []string) bool {
	if len(vs) != 1 {
		return false
	}
	n, err := strconv.ParseUint(vs[0], 10, 63)
	return err == nil && strconv.FormatUint(n, 10) == vs[0]
}

func truncate(b []byte, n int) string {
	if len(b) > n {
		return string(b[:n]) + "..."
	}
	return string(b)
}

type exchangeKey struct{}

// forward runs an HTTP proxy integration.
func (x *exchange) forward(body []byte) {
	ctx, stop := x.withTimeout(x.route.timeout)
	defer stop()
	x.proxyCtx = ctx
	out := x.r.Clone(context.WithValue(ctx, exchangeKey{}, x))
	out.Body = io.NopCloser(bytes.NewReader(body))
	out.ContentLength = int64(len(body))
	if len(body) == 0 {
		out.Body = http.NoBody
	}
	rec := &statusWriter{ResponseWriter: x.w}
	x.g.proxy.ServeHTTP(rec, out)
	if x.status == 0 {
		x.status = rec.status
	}
}

// proxyTarget returns the URL the request goes to.
func (x *exchange) proxyTarget() *url.URL {
	t := *x.route.target
	vars := urlVariables(t.Path)
	switch {
	case len(vars) > 0:
		p := t.Path
		for _, v := range vars {
			val := x.params[v]
			if !x.g.rest { // a REST API's are as sent
				segs := strings.Split(val, "/")
				for i, s := range segs {
					segs[i] = url.PathEscape(s)
				}
				val = strings.Join(segs, "/")
			}
			p = strings.ReplaceAll(p, "{"+v+"}", val)
		}
		u, err := url.Parse(t.Scheme + "://" + t.Host + p)
		if err == nil {
			return u
		}
	case x.route.key.def || x.route.key.class()%2 == 1:
		if x.g.rest { // the subpath is as sent
			raw := strings.TrimSuffix(t.EscapedPath(), "/") + x.subpath
			if dec, err := url.PathUnescape(raw); err == nil {
				t.Path, t.RawPath = dec, raw
				break
			}
		}
		t.Path = strings.TrimSuffix(t.Path, "/") + x.subpath
		t.RawPath = ""
	}
	return &t
}

func rewriteProxyRequest(pr *httputil.ProxyRequest) {
	x := pr.In.Context().Value(exchangeKey{}).(*exchange)
	t := x.proxyTarget()
	pr.Out.URL.Scheme = t.Scheme
	pr.Out.URL.Host = t.Host
	pr.Out.URL.Path = t.Path
	pr.Out.URL.RawPath = t.RawPath
	pr.Out.URL.RawQuery = pr.In.URL.RawQuery
	pr.Out.Host = ""
	if x.g.rest {
		x.setForwardedREST(pr)
	} else {
		setForwardedHTTP(pr)
	}
	if len(pr.Out.Header["X-Amzn-Trace-Id"]) == 0 {
		pr.Out.Header.Set("X-Amzn-Trace-Id", x.traceID())
	}
}

// errIntegrationTooLarge is the cause of the failure of an HTTP
// integration whose response body is over MaxPayloadSize.
var errIntegrationTooLarge = errors.New("localgateway: the integration's response is over 10 MB")

// modifyProxyResponse reads an HTTP integration's response whole, within
// the integration timeout, as API Gateway buffers it: a backend that
// sends its headers in time but not its body gets the timeout's answer,
// not a truncated body; one over 10 MB is an integration failure.
func modifyProxyResponse(resp *http.Response) error {
	x := resp.Request.Context().Value(exchangeKey{}).(*exchange)
	body, err := io.ReadAll(io.LimitReader(resp.Body, MaxPayloadSize+1))
	resp.Body.Close()
	if err != nil {
		return err
	}
	if len(body) > MaxPayloadSize {
		return errIntegrationTooLarge
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	if x.g.rest {
		remapHeaders(resp.Header, false)
	}
	if x.r.Method != http.MethodHead {
		resp.ContentLength = int64(len(body))
		resp.Header["Content-Length"] = []string{strconv.Itoa(len(body))}
		delete(resp.Header, "Transfer-Encoding")
	}
	x.cors(resp.Header)
	x.gatewayHeaders(resp.Header)
	x.status = resp.StatusCode
	return nil
}

func proxyError(w http.ResponseWriter, r *http.Request, err error) {
	x := r.Context().Value(exchangeKey{}).(*exchange)
	switch {
	case timedOut(x.proxyCtx):
		x.integrationTimedOut()
	case x.r.Context().Err() != nil:
		x.status, x.cause = 499, fmt.Errorf("client went away: %w", err)
	default:
		x.integrationFailed(err)
	}
}

// statusWriter records the status a handler writes.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(p)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// log writes the access log line.
func (x *exchange) log() {
	l := x.g.logger
	ctx := x.r.Context()
	if !l.Enabled(ctx, slog.LevelInfo) {
		return
	}
	stageName := ""
	if x.stage != nil {
		stageName = x.stage.name
	}
	attrs := []slog.Attr{
		slog.String("request_id", x.id),
		slog.String("stage", stageName),
		slog.String("method", x.r.Method),
		slog.String("path", x.r.URL.Path),
		slog.String("route_key", x.routeKey()),
		slog.String("authorizer", x.authz),
		slog.String("lambda_request_id", x.lambdaID),
		slog.Int("status", x.status),
		slog.Duration("latency", x.g.clock.Since(x.start)),
	}
	if x.cause != nil {
		attrs = append(attrs, slog.String("error", x.cause.Error()))
	}
	l.LogAttrs(ctx, slog.LevelInfo, "localgateway: request", attrs...)
}

// lowerAll returns ss lower-cased, nil for none.
func lowerAll(ss []string) []string {
	if len(ss) == 0 {
		return nil
	}
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = strings.ToLower(s)
	}
	return out
}
