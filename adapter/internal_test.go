package adapter

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/textproto"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
	"unsafe"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/google/go-cmp/cmp"

	"github.com/faasport/faasport/faas"
)

// TestParseRequestURI holds parseRequestURI, with its allocation-free
// path, to url.ParseRequestURI.
func TestParseRequestURI(t *testing.T) {
	for _, target := range parseTargets {
		t.Run(target, func(t *testing.T) { checkParseRequestURI(t, target) })
	}
}

var parseTargets = []string{
	"/", "/pets/42", "/pets/42?name=me", "/a/b?x=1&y=2&x=3", "/p?", "/p??", "/p?a?b", "/p?a#b",
	"/a%2Fb", "/a%2fb?q=%20", "/a%zz", "/a b", "/a!b", "/a*b", "/a'b", "/(x)", "/[x]", "/a;b=c,d:e@f$g&h+i~j_k.l-m",
	"//host/path", "///x", "/ü", "*", "", "x", "/p?\x01", "/p?\x7f", "/p?é", "/p?a b", "/\x01", "/p%",
	"A://@", "http://u:p@h/x",
}

func checkParseRequestURI(t *testing.T, target string) {
	want, wantErr := url.ParseRequestURI(target)
	var got url.URL
	gotErr := parseRequestURI(&got, target)
	if (wantErr != nil) != (gotErr != nil) {
		t.Fatalf("parseRequestURI(%q) error = %v, want %v", target, gotErr, wantErr)
	}
	if wantErr != nil {
		return
	}
	// Userinfo hides its fields: compare what it says.
	userinfo := cmp.Comparer(func(a, b *url.Userinfo) bool {
		if a == nil || b == nil {
			return a == b
		}
		return a.String() == b.String()
	})
	if diff := cmp.Diff(*want, got, cmp.AllowUnexported(url.URL{}), userinfo); diff != "" {
		t.Errorf("parseRequestURI(%q) (-want +got):\n%s", target, diff)
	}
}

func FuzzParseRequestURI(f *testing.F) {
	for _, target := range parseTargets {
		f.Add(target)
	}
	f.Fuzz(checkParseRequestURI)
}

// TestRequestContextKeys checks that faasKeys found faas's keys, and that
// the request context answers faas.FromContext and
// faas.PrincipalFromContext as the context.WithValue layers it replaces
// would, the caller worked out when asked for.
func TestRequestContextKeys(t *testing.T) {
	if invocationKey == nil || principalKey == nil {
		t.Fatal("faasKeys did not find faas's context keys: requestContext falls back to context.WithValue")
	}
	parentInv := &faas.Invocation{RequestID: "parent"}
	parentP := &faas.Principal{Subject: "parent"}
	p := faas.PrincipalFromClaims(map[string]any{"sub": "event"})
	type want struct {
		inv *faas.Invocation
		p   *faas.Principal
	}
	for _, tc := range []struct {
		name   string
		parent context.Context
		caller *faas.Principal // the event's, if any
		want   want
	}{
		{"nothing", context.Background(), nil, want{}},
		{"parent's", faas.NewPrincipalContext(faas.WithInvocation(context.Background(), parentInv), parentP),
			nil, want{parentInv, parentP}},
		{"caller only", faas.NewPrincipalContext(context.Background(), parentP),
			p, want{nil, p}},
		{"parent's invocation, event's caller", faas.WithInvocation(context.Background(), parentInv),
			p, want{&faas.Invocation{RequestID: "parent", Principal: p}, p}},
		{"lambdacontext", lambdacontext.NewContext(faas.NewPrincipalContext(context.Background(), parentP), &lambdacontext.LambdaContext{AwsRequestID: "lc"}),
			nil, want{&faas.Invocation{RequestID: "lc", FunctionName: lambdacontext.FunctionName}, parentP}},
		{"lambdacontext, event's caller", lambdacontext.NewContext(context.Background(), &lambdacontext.LambdaContext{AwsRequestID: "lc"}),
			p, want{&faas.Invocation{RequestID: "lc", FunctionName: lambdacontext.FunctionName, Principal: p}, p}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var c requestCtx
			ev := &event{}
			if tc.caller != nil {
				ev.authorizer = map[string]any{"claims": tc.caller.Claims}
			}
			h := Wrap(http.NotFoundHandler())
			ctx := h.requestContext(tc.parent, ev, &c)
			gotInv, _ := faas.FromContext(ctx)
			gotP, _ := faas.PrincipalFromContext(ctx)
			if diff := cmp.Diff(tc.want, want{gotInv, gotP}, cmp.AllowUnexported(want{})); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			if tc.want.inv == parentInv && gotInv != parentInv {
				t.Errorf("faas.FromContext = %p, want the parent's %p", gotInv, parentInv)
			}
			if ev, ok := EventFromContext(ctx); !ok || ev != &c.source {
				t.Errorf("EventFromContext = %p, %v; want %p, true", ev, ok, &c.source)
			}
			if got := ctx.Value(http.ServerContextKey); got != nil {
				t.Errorf("Value(ServerContextKey) = %v, want nil from the parent", got)
			}
		})
	}
}

// TestCanonicalKey holds canonicalKey to textproto.CanonicalMIMEHeaderKey.
func TestCanonicalKey(t *testing.T) {
	for _, k := range canonicalKeys {
		checkCanonicalKey(t, k)
	}
}

var canonicalKeys = []string{
	"", "a", "A", "-", "accept", "Accept", "ACCEPT", "x-forwarded-for", "X-Forwarded-For", "X-FORWARDED-FOR",
	"CloudFront-Is-SmartTV-Viewer", "cloudfront-is-smarttv-viewer", "headerName", "x-custom-thing", "X-Custom-Thing",
	"x_custom", "x custom", "x-ü", "content-md5", "WWW-Authenticate", "www-authenticate", "1a-b2", "a--b", "-a",
	"x-a-very-long-header-name-beyond-thirty-two-bytes", "X-A-Very-Long-Header-Name-Beyond-Thirty-Two-Bytes",
}

func checkCanonicalKey(t *testing.T, k string) {
	var a byteArena
	if got, want := canonicalKey(k, &a), textproto.CanonicalMIMEHeaderKey(k); got != want {
		t.Errorf("canonicalKey(%q) = %q, want %q", k, got, want)
	}
}

func FuzzCanonicalKey(f *testing.F) {
	for _, k := range canonicalKeys {
		f.Add(k)
	}
	f.Fuzz(checkCanonicalKey)
}

// TestMixedCaseHeaders checks that the Serve methods, which read header
// names from Go maps in random order, give the handler the same request
// every time when two names differ only in case.
func TestMixedCaseHeaders(t *testing.T) {
	var got []http.Header
	var hosts []string
	h := Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = append(got, r.Header.Clone())
		hosts = append(hosts, r.Host)
	}))
	multi := map[string][]string{
		"Host": {"one.example"}, "host": {"two.example"},
		"X-A": {"1", "2"}, "x-a": {"3"}, "X-a": {"4"},
		"Accept": {"*/*"}, "b": {"5"}, "B": {"6"},
	}
	for range 20 {
		if _, err := h.ServeAPIGatewayProxy(context.Background(), events.APIGatewayProxyRequest{
			HTTPMethod: "GET", Path: "/", MultiValueHeaders: multi,
		}); err != nil {
			t.Fatal(err)
		}
	}
	want := http.Header{"X-A": {"1", "2", "4", "3"}, "Accept": {"*/*"}, "B": {"6", "5"}}
	for i := range got {
		if diff := cmp.Diff(want, got[i]); diff != "" || hosts[i] != "one.example" {
			t.Fatalf("invocation %d: Host %q (want one.example), header (-want +got):\n%s", i, hosts[i], diff)
		}
	}
}

// TestLazyPrincipal checks the caller worked out on demand: the same from
// every goroutine asking at once and after the invocation, and an event
// whose authorizer output could not be decoded refused up front, as when
// it was decoded at once.
func TestLazyPrincipal(t *testing.T) {
	payload := []byte(`{"version":"2.0","rawPath":"/","requestContext":{"http":{"method":"GET","path":"/"},
		"authorizer":{"jwt":{"claims":{"sub":"ann","cognito:groups":"[admin]"},"scopes":["read"]}}}}`)
	var kept context.Context
	var seen [8]*faas.Principal
	h := Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		kept = r.Context()
		var wg sync.WaitGroup
		for i := range seen {
			wg.Go(func() { seen[i], _ = faas.PrincipalFromContext(r.Context()) })
		}
		wg.Wait()
	}))
	if _, err := h.Invoke(context.Background(), payload); err != nil {
		t.Fatal(err)
	}
	want := &faas.Principal{Subject: "ann", Groups: []string{"admin"},
		Claims: map[string]any{"sub": "ann", "cognito:groups": "[admin]", "scopes": []any{"read"}}}
	for i, p := range seen {
		if diff := cmp.Diff(want, p); diff != "" || p != seen[0] {
			t.Errorf("goroutine %d: principal %p (first %p) (-want +got):\n%s", i, p, seen[0], diff)
		}
	}
	if p, ok := faas.PrincipalFromContext(kept); !ok || p != seen[0] {
		t.Errorf("after the invocation: PrincipalFromContext = %p, %v; want %p", p, ok, seen[0])
	}

	for _, bad := range []string{`{"lambda":{"n":1e999}}`, `{"jwt":{"claims":{"exp":-1e400}}}`} {
		p := []byte(`{"version":"2.0","requestContext":{"http":{"method":"GET","path":"/"},"authorizer":` + bad + `}}`)
		_, err := h.Invoke(context.Background(), p)
		if fe, ok := err.(*faas.Error); !ok || fe.Kind != faas.Invalid {
			t.Errorf("Invoke(authorizer %s) = %v, want a faas.Invalid error", bad, err)
		}
	}
}

// TestStablePayload checks that Invoke shares a stable payload's memory,
// and copies any other, so that a caller reusing its buffer cannot change
// what a handler kept.
func TestStablePayload(t *testing.T) {
	var kept string
	h := Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		kept = r.Header.Get("X-Kept")
	}))
	for _, stable := range []bool{false, true} {
		payload := []byte(`{"version":"2.0","rawPath":"/","headers":{"x-kept":"before"},"requestContext":{"http":{"method":"GET","path":"/"}}}`)
		ctx := context.Background()
		if stable {
			ctx = WithStablePayload(ctx)
		}
		if _, err := h.Invoke(ctx, payload); err != nil {
			t.Fatal(err)
		}
		i := strings.Index(string(payload), "before")
		shared := unsafe.StringData(kept) == &payload[i]
		if shared != stable {
			t.Errorf("stable %v: the kept header shares the payload's memory: %v", stable, shared)
		}
		if !stable {
			copy(payload[i:], "ruined")
			if kept != "before" {
				t.Errorf("the kept header changed with the caller's buffer: %q", kept)
			}
		}
	}
}

// TestResponseHeadersIsolated checks that the pooled response writers
// keep responses apart: no response's headers reach a later one, through
// any entry point, whether the handler left its header as it was at
// WriteHeader or changed it afterwards, and a response that hands its
// header map over (the MultiValueHeaders of ServeAPIGatewayProxy and
// ServeALB) keeps it as it was.
func TestResponseHeadersIsolated(t *testing.T) {
	n := 0
	h := Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n++
		w.Header().Set(fmt.Sprintf("X-Call-%d", n), "yes")
		if r.URL.Query().Has("late") {
			w.WriteHeader(http.StatusAccepted)
			w.Header().Set("X-Late", "not sent") // after WriteHeader
		}
		io.WriteString(w, "ok")
	}))
	ctx := context.Background()
	want := func() http.Header {
		return http.Header{fmt.Sprintf("X-Call-%d", n): {"yes"}, "Content-Type": {"text/plain; charset=utf-8"}}
	}
	single := func(m map[string]string) http.Header {
		out := http.Header{}
		for k, v := range m {
			out[k] = []string{v}
		}
		return out
	}
	type taken struct {
		got, want http.Header
	}
	var kept []taken
	for i := range 6 {
		query, late := map[string]string(nil), ""
		if i%2 == 1 {
			query, late = map[string]string{"late": "1"}, "?late=1"
		}
		check := func(entry string, got http.Header) {
			t.Helper()
			if diff := cmp.Diff(want(), got); diff != "" {
				t.Errorf("round %d, %s: header (-want +got):\n%s", i, entry, diff)
			}
		}

		v1, err := h.ServeAPIGatewayProxy(ctx, events.APIGatewayProxyRequest{HTTPMethod: "GET", Path: "/", QueryStringParameters: query})
		if err != nil {
			t.Fatal(err)
		}
		check("ServeAPIGatewayProxy", v1.MultiValueHeaders)
		kept = append(kept, taken{v1.MultiValueHeaders, want()})

		v2, err := h.ServeAPIGatewayV2HTTP(ctx, events.APIGatewayV2HTTPRequest{RawPath: "/", RawQueryString: strings.TrimPrefix(late, "?"),
			RequestContext: events.APIGatewayV2HTTPRequestContext{HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{Method: "GET"}}})
		if err != nil {
			t.Fatal(err)
		}
		check("ServeAPIGatewayV2HTTP", single(v2.Headers))

		alb, err := h.ServeALB(ctx, events.ALBTargetGroupRequest{HTTPMethod: "GET", Path: "/", MultiValueHeaders: map[string][]string{}, QueryStringParameters: query})
		if err != nil {
			t.Fatal(err)
		}
		check("ServeALB", alb.MultiValueHeaders)
		kept = append(kept, taken{alb.MultiValueHeaders, want()})

		out, err := h.Invoke(ctx, []byte(`{"version":"2.0","rawPath":"/","rawQueryString":"`+strings.TrimPrefix(late, "?")+`","requestContext":{"http":{"method":"GET","path":"/"}}}`))
		if err != nil {
			t.Fatal(err)
		}
		resp, err := DecodeResponse(FormatHTTPAPIV2, out)
		if err != nil {
			t.Fatal(err)
		}
		check("Invoke", resp.Header)
	}
	for i, k := range kept {
		if diff := cmp.Diff(k.want, k.got); diff != "" {
			t.Errorf("response %d: MultiValueHeaders changed since (-then +now):\n%s", i, diff)
		}
	}
}

// TestLazyInvocation checks the invocation worked out on demand: the same
// from every goroutine asking at once and from one that outlives the
// handler, which also still gets the event.
func TestLazyInvocation(t *testing.T) {
	deadline := time.Now().Add(time.Minute)
	parent, cancel := context.WithDeadline(context.Background(), deadline)
	defer cancel()
	parent = lambdacontext.NewContext(parent, &lambdacontext.LambdaContext{AwsRequestID: "req-1", InvokedFunctionArn: "arn:fn"})
	e := events.APIGatewayV2HTTPRequest{RawPath: "/pets", RequestContext: events.APIGatewayV2HTTPRequestContext{
		HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{Method: "GET"},
		Authorizer: &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{
			JWT: &events.APIGatewayV2HTTPRequestContextAuthorizerJWTDescription{Claims: map[string]string{"sub": "ann"}},
		},
	}}

	var seen [8]*faas.Invocation
	release := make(chan struct{})
	type later struct {
		inv   *faas.Invocation
		event events.APIGatewayV2HTTPRequest
		err   error
	}
	after := make(chan later, 1)
	h := Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/pets" {
			return
		}
		var wg sync.WaitGroup
		for i := range seen {
			wg.Go(func() { seen[i], _ = faas.FromContext(r.Context()) })
		}
		wg.Wait()
		go func() {
			<-release
			var l later
			l.inv, _ = faas.FromContext(r.Context())
			if ev, ok := EventFromContext(r.Context()); ok {
				l.err = ev.Decode(&l.event)
			} else {
				l.err = errors.New("EventFromContext: no event")
			}
			after <- l
		}()
	}))
	if _, err := h.ServeAPIGatewayV2HTTP(parent, e); err != nil {
		t.Fatal(err)
	}
	// Serve another event, so that anything reused has been.
	other := events.APIGatewayV2HTTPRequest{RawPath: "/other", RequestContext: events.APIGatewayV2HTTPRequestContext{
		HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{Method: "GET"},
	}}
	if resp, err := h.ServeAPIGatewayV2HTTP(parent, other); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("serving another event: status %d, %v", resp.StatusCode, err)
	}

	want := &faas.Invocation{RequestID: "req-1", FunctionName: lambdacontext.FunctionName, FunctionARN: "arn:fn",
		Deadline: deadline, Principal: &faas.Principal{Subject: "ann", Claims: map[string]any{"sub": "ann"}}}
	for i, inv := range seen {
		if diff := cmp.Diff(want, inv); diff != "" || inv != seen[0] {
			t.Errorf("goroutine %d: invocation %p (first %p) (-want +got):\n%s", i, inv, seen[0], diff)
		}
	}
	close(release)
	l := <-after
	if l.err != nil {
		t.Fatal(l.err)
	}
	if l.inv != seen[0] {
		t.Errorf("after the invocation: FromContext = %p, want %p", l.inv, seen[0])
	}
	if diff := cmp.Diff(e, l.event); diff != "" {
		t.Errorf("after the invocation: the event (-want +got):\n%s", diff)
	}
}
