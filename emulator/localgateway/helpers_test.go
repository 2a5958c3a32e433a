package localgateway_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/faasport/faasport/adapter"
	"github.com/faasport/faasport/emulator/clock"
	"github.com/faasport/faasport/emulator/localgateway"
	"github.com/faasport/faasport/emulator/locallambda"
	"github.com/faasport/faasport/faas"
	"github.com/faasport/faasport/verify/verifytest"
)

var epoch = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

var (
	issuerOnce sync.Once
	issuer     *verifytest.Issuer
)

func testIssuer() *verifytest.Issuer {
	issuerOnce.Do(func() { issuer = verifytest.NewIssuer() })
	return issuer
}

func TestMain(m *testing.M) {
	code := m.Run()
	if issuer != nil {
		issuer.Close()
	}
	os.Exit(code)
}

func newLambda(t testing.TB, clk clock.Clock) *locallambda.Service {
	t.Helper()
	s := locallambda.New(&locallambda.Options{Clock: clk, Logger: slog.New(slog.DiscardHandler)})
	t.Cleanup(func() { s.Close() })
	return s
}

func register(t testing.TB, s *locallambda.Service, name string, fn faas.Function) {
	t.Helper()
	if err := s.Register(faas.Config{Name: name}, fn); err != nil {
		t.Fatalf("Register(%s) = %v", name, err)
	}
}

// echoed is what the echo handler answers: what the function saw.
type echoed struct {
	Method     string            `json:"method"`
	Path       string            `json:"path"`
	Query      string            `json:"query"`
	Body       string            `json:"body"`
	RouteKey   string            `json:"routeKey"`
	Params     map[string]string `json:"params"`
	Stage      string            `json:"stage"`
	RawPath    string            `json:"rawPath"`
	StageVars  map[string]string `json:"stageVars"`
	Subject    string            `json:"subject"`
	Username   string            `json:"username"`
	Groups     []string          `json:"groups"`
	Authorizer json.RawMessage   `json:"authorizer"`
	Port       string            `json:"port"`       // X-Forwarded-Port
	Trace      []string          `json:"trace"`      // X-Amzn-Trace-Id
	Invocation string            `json:"invocation"` // the invocation's trace, "x-amzn-trace-id" on the context
	ExtID      string            `json:"extId"`      // REST: requestContext.extendedRequestId
}

// echoHandler answers with what it saw of the request and its event.
var echoHandler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	out := echoed{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery, Body: string(body),
		Port: r.Header.Get("X-Forwarded-Port"), Trace: r.Header.Values("X-Amzn-Trace-Id")}
	out.Invocation, _ = r.Context().Value("x-amzn-trace-id").(string)
	if ev, ok := adapter.EventFromContext(r.Context()); ok {
		switch ev.Format {
		case adapter.FormatHTTPAPIV2:
			var e events.APIGatewayV2HTTPRequest
			_ = ev.Decode(&e)
			out.RouteKey, out.Params, out.Stage, out.RawPath, out.StageVars = e.RouteKey, e.PathParameters, e.RequestContext.Stage, e.RawPath, e.StageVariables
			var raw struct {
				RequestContext struct {
					Authorizer json.RawMessage `json:"authorizer"`
				} `json:"requestContext"`
			}
			b, _ := ev.JSON()
			_ = json.Unmarshal(b, &raw)
			out.Authorizer = raw.RequestContext.Authorizer
		default:
			var e events.APIGatewayProxyRequest
			_ = ev.Decode(&e)
			out.RouteKey, out.Params, out.Stage, out.RawPath, out.StageVars = e.Resource, e.PathParameters, e.RequestContext.Stage, e.Path, e.StageVariables
			out.ExtID = e.RequestContext.ExtendedRequestID
			out.Authorizer, _ = json.Marshal(e.RequestContext.Authorizer)
		}
	}
	if p, ok := faas.PrincipalFromContext(r.Context()); ok {
		out.Subject, out.Username, out.Groups = p.Subject, p.Username, p.Groups
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Access-Control-Allow-Origin", "*") // a gateway with CORS drops it
	_ = json.NewEncoder(w).Encode(out)
})

// serve starts the gateway of cfg on 127.0.0.1.
func serve(t testing.TB, cfg localgateway.Config) *httptest.Server {
	t.Helper()
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	g, err := localgateway.New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	srv := httptest.NewServer(g)
	t.Cleanup(func() {
		srv.Close()
		g.CloseIdleConnections()
	})
	return srv
}

type response struct {
	status int
	header http.Header
	body   string
}

func (r response) echoed(t testing.TB) echoed {
	t.Helper()
	var e echoed
	if err := json.Unmarshal([]byte(r.body), &e); err != nil {
		t.Fatalf("response %d %q is not the echo: %v", r.status, r.body, err)
	}
	return e
}

func do(t testing.TB, srv *httptest.Server, method, path string, body string, header ...string) response {
	t.Helper()
	return doCtx(context.Background(), t, srv, method, path, body, header...)
}

func doCtx(ctx context.Context, t testing.TB, srv *httptest.Server, method, path string, body string, header ...string) response {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, srv.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Add(header[i], header[i+1])
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{resp.StatusCode, resp.Header, string(b)}
}
