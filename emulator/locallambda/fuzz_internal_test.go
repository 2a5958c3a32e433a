package locallambda

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/faasport/faasport/faas"
)

// The invocations FuzzRuntimeAPI hands to the runtime.
const (
	fuzzRequestID  = "8476a536-e9f4-11e8-9739-2dfe598c3fcd"
	fuzzRequestID2 = "f4b1c6e2-1d3a-4e5b-9c7d-2a3b4c5d6e7f"
	fuzzARN        = "arn:aws:lambda:us-east-1:123456789012:function:f"
)

// The points of a runtime's life at which FuzzRuntimeAPI sends its stray
// request.
const (
	beforeInit         = iota // before the runtime's first /next
	duringInvocation          // the runtime has the invocation and has not answered
	afterResponse             // it answered and has not asked for the next
	betweenInvocations        // it waits for the next invocation
	numPhases
)

// runtimeRequest is a request to the Runtime API.
type runtimeRequest struct {
	method, target string
	header         string // one "Name: value" line, or ""
	body           []byte
	chunked        bool // body is sent as is with Transfer-Encoding: chunked
}

// raw returns the request as a runtime sends it, or false when a field
// would break the request's lines.
func (r runtimeRequest) raw() ([]byte, bool) {
	if strings.ContainsAny(r.method+r.target+r.header, "\r\n") {
		return nil, false
	}
	var b bytes.Buffer
	b.WriteString(r.method + " " + r.target + " HTTP/1.1\r\nHost: 127.0.0.1:9001\r\n")
	if r.header != "" {
		b.WriteString(r.header + "\r\n")
	}
	if r.chunked {
		b.WriteString("Transfer-Encoding: chunked\r\n\r\n")
	} else {
		b.WriteString("Content-Length: " + strconv.Itoa(len(r.body)) + "\r\n\r\n")
	}
	b.Write(r.body)
	return b.Bytes(), true
}

// readRequest reads raw as a server reads a request.
func readRequest(raw []byte) (*http.Request, error) {
	return http.ReadRequest(bufio.NewReader(bytes.NewReader(raw)))
}

// runtimeSeeds are requests a runtime might send, well formed or not.
var runtimeSeeds = []struct {
	name string
	r    runtimeRequest
}{
	{"response", runtimeRequest{method: "POST", target: invocationPrefix + fuzzRequestID + "/response", body: []byte(`{"ok":true}`)}},
	{"empty response", runtimeRequest{method: "POST", target: invocationPrefix + fuzzRequestID + "/response"}},
	{"error", runtimeRequest{method: "POST", target: invocationPrefix + fuzzRequestID + "/error",
		header: "Lambda-Runtime-Function-Error-Type: Oops", body: []byte(`{"errorMessage":"boom","errorType":"Oops"}`)}},
	{"error without body", runtimeRequest{method: "POST", target: invocationPrefix + fuzzRequestID + "/error",
		header: "Lambda-Runtime-Function-Error-Type: Runtime.Unknown"}},
	{"chunked response", runtimeRequest{method: "POST", target: invocationPrefix + fuzzRequestID + "/response",
		body: []byte("4\r\n\"ok\"\r\n0\r\n\r\n"), chunked: true}},
	{"streamed error", runtimeRequest{method: "POST", target: invocationPrefix + fuzzRequestID + "/response",
		header: "Trailer: Lambda-Runtime-Function-Error-Type, Lambda-Runtime-Function-Error-Body", chunked: true,
		body: []byte("3\r\nabc\r\n0\r\nLambda-Runtime-Function-Error-Type: Runtime.StreamError\r\n" +
			"Lambda-Runtime-Function-Error-Body: eyJlcnJvck1lc3NhZ2UiOiJyZWFkIGZhaWxlZCJ9\r\n\r\n")}},
	{"streamed error, body not base64", runtimeRequest{method: "POST", target: invocationPrefix + fuzzRequestID + "/response", chunked: true,
		body: []byte("0\r\nLambda-Runtime-Function-Error-Type: Runtime.StreamError\r\nLambda-Runtime-Function-Error-Body: %%\r\n\r\n")}},
	{"malformed chunked response", runtimeRequest{method: "POST", target: invocationPrefix + fuzzRequestID + "/response",
		body: []byte("5\r\nab"), chunked: true}},
	{"malformed chunk size", runtimeRequest{method: "POST", target: invocationPrefix + fuzzRequestID + "/error",
		body: []byte("zz\r\n"), chunked: true}},
	{"other id", runtimeRequest{method: "POST", target: invocationPrefix + "nope/response", body: []byte(`{}`)}},
	{"empty id", runtimeRequest{method: "POST", target: invocationPrefix + "/error", body: []byte(`{}`)}},
	{"escaped id", runtimeRequest{method: "POST", target: invocationPrefix + "%38476a536-e9f4-11e8-9739-2dfe598c3fcd/response", body: []byte(`1`)}},
	{"escaped slash", runtimeRequest{method: "POST", target: invocationPrefix + fuzzRequestID + "%2Fresponse", body: []byte(`1`)}},
	{"extra segment", runtimeRequest{method: "POST", target: invocationPrefix + fuzzRequestID + "/response/x"}},
	{"unknown kind", runtimeRequest{method: "POST", target: invocationPrefix + fuzzRequestID + "/other"}},
	{"no kind", runtimeRequest{method: "POST", target: invocationPrefix + fuzzRequestID}},
	{"absolute target", runtimeRequest{method: "POST", target: "http://127.0.0.1:9001" + invocationPrefix + fuzzRequestID + "/response", body: []byte(`2`)}},
	{"init error", runtimeRequest{method: "POST", target: runtimeInitError,
		header: "Lambda-Runtime-Function-Error-Type: Runtime.InitError", body: []byte(`{"errorMessage":"no config","errorType":"InitError"}`)}},
	{"malformed init error", runtimeRequest{method: "POST", target: runtimeInitError, body: []byte("9\r\n{"), chunked: true}},
	{"next", runtimeRequest{method: "GET", target: invocationNext}},
	{"post next", runtimeRequest{method: "POST", target: invocationNext}},
	{"get response", runtimeRequest{method: "GET", target: invocationPrefix + fuzzRequestID + "/response"}},
	{"put error", runtimeRequest{method: "PUT", target: invocationPrefix + fuzzRequestID + "/error", body: []byte(`{}`)}},
	{"extensions API", runtimeRequest{method: "POST", target: "/2020-01-01/extension/register", header: "Lambda-Extension-Name: x"}},
	{"other API version", runtimeRequest{method: "POST", target: "/2017-01-01/runtime/invocation/" + fuzzRequestID + "/response"}},
}

// FuzzRuntimeAPI plays a runtime against the Runtime API of one
// environment, driving its handler directly, and sends one stray request
// at a point of the runtime's life the fuzzer chooses: before its first
// /next, during an invocation, after the response, or between
// invocations. It checks the stray's answer (the Runtime API's statuses
// and error shapes, by the runtime's state), what the invocation in
// progress returns, and that the environment then serves another
// invocation.
func FuzzRuntimeAPI(f *testing.F) {
	for phase := range uint8(numPhases) {
		for _, s := range runtimeSeeds {
			f.Add(phase, s.r.method, s.r.target, s.r.header, s.r.body, s.r.chunked)
		}
	}
	f.Fuzz(func(t *testing.T, phase uint8, method, target, header string, body []byte, chunked bool) {
		raw, ok := runtimeRequest{method, target, header, body, chunked}.raw()
		if !ok {
			return
		}
		req, err := readRequest(raw)
		if err != nil {
			return // a server answers 400 before any handler runs
		}
		runtimeScenario(t, int(phase%numPhases), raw, req)
	})
}

// runtimeScenario plays a runtime through two invocations, sending req
// (read from raw) at phase, and checks every answer and both invocations'
// results. It returns the answer to req, or nil when req is a /next, which
// waits for an invocation.
func runtimeScenario(t *testing.T, phase int, raw []byte, req *http.Request) *httptest.ResponseRecorder {
	t.Helper()
	// The request as the handler sees it, body and trailers read.
	model, _ := readRequest(raw)
	payload, readErr := io.ReadAll(model.Body)
	route, id, isError := runtimeRoute(model)

	h := newRuntimeHarness(t)
	var strayAnswer *httptest.ResponseRecorder
	var strayResult *runtimeOutcome // what the stray answered for the invocation
	initFailed := false
	stray := func() {
		t.Helper()
		done := h.serve(req)
		if route == routeNext {
			return // it waits for an invocation, as the runtime's own /next does
		}
		w := recv(h, done, "the stray request")
		strayAnswer = w
		what := func() string { return fmt.Sprintf("phase %d: %q", phase, raw) }
		switch {
		case route == routeNotFound:
			if got := strconv.Itoa(w.Code) + " " + w.Body.String(); got != "404 404 page not found\n" {
				t.Fatalf("%s = %q, want 404 page not found", what(), got)
			}
		case route == routeInitError && phase != beforeInit,
			route == routeAnswer && phase != duringInvocation:
			checkRuntimeError(t, what(), w, http.StatusForbidden, "InvalidStateTransition")
		case route == routeAnswer && id != fuzzRequestID:
			checkRuntimeError(t, what(), w, http.StatusBadRequest, "InvalidRequestID")
		case readErr != nil:
			checkRuntimeError(t, what(), w, http.StatusBadRequest, "TruncatedHTTPRequest")
		case route == routeInitError:
			checkAccepted(t, what(), w)
			select {
			case got := <-h.rt.initErr:
				if diff := cmp.Diff(string(payload), string(got)); diff != "" {
					t.Fatalf("%s: init error payload (-want +got):\n%s", what(), diff)
				}
			default:
				t.Fatalf("%s accepted, but no init error was reported", what())
			}
			initFailed = true
		default: // the answer to the invocation in progress
			checkAccepted(t, what(), w)
			o := wantOutcome(isError, payload, model.Trailer)
			strayResult = &o
		}
	}

	if phase == beforeInit {
		stray()
		if initFailed {
			return strayAnswer // Init fails, and the environment is discarded
		}
	}
	h.serve(nextRequest())
	select {
	case <-h.rt.ready: // Init returns
	case <-time.After(hangTimeout):
		t.Fatalf("phase %d: %q: the runtime's first /next did not end the init", phase, raw)
	}

	inv := h.invoke(fuzzRequestID, `{"n":1}`)
	h.checkEvent(recv(h, h.nexts, "the first event"), fuzzRequestID, `{"n":1}`)
	if phase == duringInvocation {
		stray()
	}
	want := runtimeOutcome{Out: `{"answer":1}`}
	w := recv(h, h.serve(postRequest(fuzzRequestID, "response", want.Out)), "the runtime's response")
	if strayResult != nil {
		checkRuntimeError(t, "the response after the stray's", w, http.StatusForbidden, "InvalidStateTransition")
		want = *strayResult
	} else {
		checkAccepted(t, "the runtime's response", w)
	}
	if phase == afterResponse {
		stray()
	}
	h.serve(nextRequest())
	if diff := cmp.Diff(want, outcomeOf(recv(h, inv, "the first invocation"))); diff != "" {
		t.Fatalf("phase %d: %q: first invocation (-want +got):\n%s", phase, raw, diff)
	}
	if phase == betweenInvocations {
		stray()
	}

	// The environment serves on.
	inv = h.invoke(fuzzRequestID2, `{"n":2}`)
	h.checkEvent(recv(h, h.nexts, "the second event"), fuzzRequestID2, `{"n":2}`)
	checkAccepted(t, "the second response", recv(h, h.serve(postRequest(fuzzRequestID2, "response", `"second"`)), "the second response"))
	h.serve(nextRequest())
	if diff := cmp.Diff(runtimeOutcome{Out: `"second"`}, outcomeOf(recv(h, inv, "the second invocation"))); diff != "" {
		t.Fatalf("phase %d: %q: second invocation (-want +got):\n%s", phase, raw, diff)
	}
	return strayAnswer
}

// The Runtime API's routes.
const (
	routeNotFound = iota
	routeNext
	routeInitError
	routeAnswer // /invocation/{id}/response or /error
)

// runtimeRoute returns the route of r, as the Runtime API documents its
// paths, and for routeAnswer the request id and whether it posts an
// error.
func runtimeRoute(r *http.Request) (route int, id string, isError bool) {
	rest, ok := strings.CutPrefix(r.URL.Path, "/2018-06-01/runtime/")
	switch {
	case !ok:
		return routeNotFound, "", false
	case rest == "invocation/next" && r.Method == "GET":
		return routeNext, "", false
	case rest == "init/error" && r.Method == "POST":
		return routeInitError, "", false
	}
	m := answerPath.FindStringSubmatch(rest)
	if m == nil || r.Method != "POST" {
		return routeNotFound, "", false
	}
	return routeAnswer, m[1], m[2] == "error"
}

var answerPath = regexp.MustCompile(`^invocation/([^/]*)/(response|error)$`)

// runtimeOutcome is what an invocation of a runtimeProcess returned.
type runtimeOutcome struct {
	Out        string // the response
	ErrPayload string // the error payload of a failed invocation
	Err        string // any other error
}

func outcomeOf(r result) runtimeOutcome {
	var pe *PayloadError
	switch {
	case errors.As(r.err, &pe):
		return runtimeOutcome{ErrPayload: string(pe.Payload)}
	case r.err != nil:
		return runtimeOutcome{Err: r.err.Error()}
	}
	return runtimeOutcome{Out: string(r.out)}
}

// wantOutcome is the outcome of an invocation the runtime answered with
// body, to /error when isError, with trailer as the request's trailers.
func wantOutcome(isError bool, body []byte, trailer http.Header) runtimeOutcome {
	switch {
	case isError:
		return runtimeOutcome{ErrPayload: string(body)}
	case trailer.Get("Lambda-Runtime-Function-Error-Type") != "":
		// An error reported in the trailers of a streamed response: the
		// base64 error body, or else an error of the type reported.
		b, err := base64.StdEncoding.DecodeString(trailer.Get("Lambda-Runtime-Function-Error-Body"))
		if err != nil || len(b) == 0 {
			b = mustJSON(platformError{Type: trailer.Get("Lambda-Runtime-Function-Error-Type")})
		}
		return runtimeOutcome{ErrPayload: string(b)}
	}
	return runtimeOutcome{Out: string(body)}
}

// checkRuntimeError checks that w is the Runtime API's error answer:
// status, and a JSON body of an errorMessage and the errorType typ.
func checkRuntimeError(t *testing.T, what string, w *httptest.ResponseRecorder, status int, typ string) {
	t.Helper()
	var body map[string]string
	err := json.Unmarshal(w.Body.Bytes(), &body)
	if w.Code != status || w.Header().Get("Content-Type") != "application/json" || err != nil ||
		len(body) != 2 || body["errorType"] != typ || body["errorMessage"] == "" {
		t.Fatalf("%s = %d %v %q, want %d with a JSON body of an errorMessage and errorType %q",
			what, w.Code, w.Header(), w.Body, status, typ)
	}
}

// checkAccepted checks that w accepts a post as the Runtime API does.
func checkAccepted(t *testing.T, what string, w *httptest.ResponseRecorder) {
	t.Helper()
	if w.Code != http.StatusAccepted || w.Header().Get("Content-Type") != "application/json" || w.Body.String() != `{"status":"OK"}` {
		t.Fatalf("%s = %d %v %q, want 202 {\"status\":\"OK\"}", what, w.Code, w.Header(), w.Body)
	}
}

// hangTimeout is how long a runtimeHarness waits for an answer before
// failing the test.
const hangTimeout = 10 * time.Second

// A runtimeHarness drives the Runtime API of one environment, without a
// process, and its invocations. The environment ends when the test does.
type runtimeHarness struct {
	t        *testing.T
	rt       *runtimeProcess
	ctx      context.Context // of the invocations; cancelled by close
	cancel   context.CancelFunc
	deadline time.Time // of the invocations
	wg       sync.WaitGroup
	nexts    chan *httptest.ResponseRecorder // answers of /next that delivered an event
}

func newRuntimeHarness(t *testing.T) *runtimeHarness {
	ctx, cancel := context.WithCancel(context.Background())
	h := &runtimeHarness{
		t:        t,
		rt:       newRuntimeProcess(slog.New(slog.DiscardHandler)),
		ctx:      ctx,
		cancel:   cancel,
		deadline: time.Now().Add(time.Hour).Truncate(time.Millisecond),
		nexts:    make(chan *httptest.ResponseRecorder, 4),
	}
	t.Cleanup(h.close)
	return h
}

// close ends the environment, as the exit of its process does, and waits
// for its requests and invocations to return.
func (h *runtimeHarness) close() {
	h.cancel()
	close(h.rt.exited)
	done := make(chan struct{})
	go func() {
		h.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(hangTimeout):
		h.t.Errorf("requests or invocations still run %v after the environment ended", hangTimeout)
	}
}

// serve serves r in a goroutine and returns where its answer is sent; an
// answer to /next that delivers an event goes to h.nexts instead.
func (h *runtimeHarness) serve(r *http.Request) <-chan *httptest.ResponseRecorder {
	// r keeps its own context: a copy made by WithContext would miss the
	// trailers, which reading the body adds to the original request when
	// it declared none. close ends a pending /next.
	done := make(chan *httptest.ResponseRecorder, 1)
	h.wg.Go(func() {
		w := httptest.NewRecorder()
		h.rt.ServeHTTP(w, r)
		if w.Header().Get(headerRequestID) != "" {
			h.nexts <- w
		} else {
			done <- w
		}
	})
	return done
}

// invoke invokes the environment in a goroutine, as invocation id, and
// returns where its result is sent.
func (h *runtimeHarness) invoke(id, payload string) <-chan result {
	inv := &faas.Invocation{RequestID: id, FunctionName: "f", FunctionARN: fuzzARN, Logger: slog.New(slog.DiscardHandler)}
	ch := make(chan result, 1)
	h.wg.Go(func() {
		ctx, cancel := context.WithDeadline(faas.WithInvocation(h.ctx, inv), h.deadline)
		defer cancel()
		out, err := h.rt.Invoke(ctx, []byte(payload))
		ch <- result{out, err}
	})
	return ch
}

// recv receives from ch, failing the test if nothing comes.
func recv[T any](h *runtimeHarness, ch <-chan T, what string) T {
	h.t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(hangTimeout):
		h.t.Fatalf("no %s after %v", what, hangTimeout)
		panic("unreachable")
	}
}

// checkEvent checks the answer of /next that handed the runtime
// invocation id with payload.
func (h *runtimeHarness) checkEvent(w *httptest.ResponseRecorder, id, payload string) {
	h.t.Helper()
	got := map[string]string{"status": strconv.Itoa(w.Code), "body": w.Body.String()}
	for _, k := range []string{headerRequestID, headerDeadline, headerFunctionARN, "Content-Type"} {
		got[k] = w.Header().Get(k)
	}
	want := map[string]string{
		"status":          "200",
		"body":            payload,
		headerRequestID:   id,
		headerDeadline:    strconv.FormatInt(h.deadline.UnixMilli(), 10),
		headerFunctionARN: fuzzARN,
		"Content-Type":    "application/json",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		h.t.Fatalf("event of invocation %s (-want +got):\n%s", id, diff)
	}
	if tr := w.Header().Get(headerTraceID); !traceIDPattern.MatchString(tr) {
		h.t.Fatalf("%s = %q, want a match for %v", headerTraceID, tr, traceIDPattern)
	}
}

var traceIDPattern = regexp.MustCompile(`^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0$`)

func nextRequest() *http.Request { return httptest.NewRequest("GET", invocationNext, nil) }

func postRequest(id, kind, body string) *http.Request {
	return httptest.NewRequest("POST", invocationPrefix+id+"/"+kind, strings.NewReader(body))
}

// TestRuntimeAPIUnreadableBody checks the answer to a post whose body
// cannot be read, and that the runtime may then answer the invocation.
func TestRuntimeAPIUnreadableBody(t *testing.T) {
	const truncated = `400 {"errorMessage":"HTTP request detected as truncated","errorType":"TruncatedHTTPRequest"}`
	tests := []struct {
		name  string
		phase int
		r     runtimeRequest
		want  string // status and body
	}{
		{
			name: "response ends in a chunk", phase: duringInvocation,
			r:    runtimeRequest{method: "POST", target: invocationPrefix + fuzzRequestID + "/response", body: []byte("5\r\nab"), chunked: true},
			want: truncated,
		},
		{
			name: "error with a malformed chunk size", phase: duringInvocation,
			r:    runtimeRequest{method: "POST", target: invocationPrefix + fuzzRequestID + "/error", body: []byte("zz\r\n"), chunked: true},
			want: truncated,
		},
		{
			name: "init error ends in a chunk", phase: beforeInit,
			r:    runtimeRequest{method: "POST", target: runtimeInitError, body: []byte("9\r\n{"), chunked: true},
			want: truncated,
		},
		{
			name: "response for another id", phase: duringInvocation,
			r:    runtimeRequest{method: "POST", target: invocationPrefix + "nope/response", body: []byte("5\r\nab"), chunked: true},
			want: `400 {"errorMessage":"Invalid request ID","errorType":"InvalidRequestID"}`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			raw, _ := tc.r.raw()
			req, err := readRequest(raw)
			if err != nil {
				t.Fatalf("ReadRequest(%q) = %v", raw, err)
			}
			// runtimeScenario checks the rest: the invocation is still the
			// runtime's to answer, or the init goes on.
			w := runtimeScenario(t, tc.phase, raw, req)
			if diff := cmp.Diff(tc.want, strconv.Itoa(w.Code)+" "+w.Body.String()); diff != "" {
				t.Errorf("POST %s (-want +got):\n%s", tc.r.target, diff)
			}
		})
	}
}
