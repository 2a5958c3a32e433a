package adapter_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"log"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/faasport/faasport/adapter"
)

// TestConformance checks the adapter against net/http's own server, the
// fidelity the package doc promises: each case's request is sent by a real
// http.Client to a real server on 127.0.0.1, and the request that server
// received is then turned into the event of every format by NewEvent, served
// by Wrap(handler).Invoke and decoded by DecodeResponse. The handler must see
// the same request both ways, and the client must get the same response,
// save for the differences conformanceFormats documents for each format.
func TestConformance(t *testing.T) {
	for _, tc := range conformanceCases {
		t.Run(tc.name, func(t *testing.T) {
			real := serveReal(t, tc)
			for _, cf := range conformanceFormats {
				t.Run(cf.format.String(), func(t *testing.T) {
					gotReq, gotResp := serveAdapter(t, tc.handle, real.request, real.body, cf.format, cf.gateway)

					wantReq := cf.expectRequest(real.view, cf.format)
					if cf.queryMap {
						// Only the parameters survive a JSON object; their
						// order and encoding do not.
						wantReq.RawQuery, gotReq.RawQuery = "", ""
					}
					if diff := cmp.Diff(wantReq, gotReq, cmpopts.EquateEmpty()); diff != "" {
						t.Errorf("the handler's request through %v differs from net/http's (-want +got):\n%s", cf.format, diff)
					}
					wantResp := cf.expectResponse(real.response)
					if diff := cmp.Diff(wantResp, gotResp, cmpopts.EquateEmpty()); diff != "" {
						t.Errorf("the response through %v differs from net/http's (-want +got):\n%s", cf.format, diff)
					}
					if cf.format != adapter.FormatFunctionURL && cf.format != adapter.FormatRESTAPI {
						return
					}
					// The same through the streaming entry point.
					if gotResp := streamAdapter(t, tc.handle, real.request, real.body, cf.format, cf.gateway); !cmp.Equal(wantResp, gotResp, cmpopts.EquateEmpty()) {
						t.Errorf("the streamed response through %v differs from net/http's (-want +got):\n%s", cf.format, cmp.Diff(wantResp, gotResp, cmpopts.EquateEmpty()))
					}
				})
			}
		})
	}
}

// TestConformanceHEADContentLength checks the Content-Length of answers to
// HEAD requests, which TestConformance leaves to the gateway: net/http's
// server sends the length of the body the handler wrote, or the one it
// set, though it sends no body. The same must arrive through the adapter
// alone (Invoke, then DecodeResponse), and through a gateway on loopback
// built on NewEvent, Invoke and WriteResponse, for every format.
func TestConformanceHEADContentLength(t *testing.T) {
	file := []byte(strings.Repeat("0123456789", 5)) // 50 bytes
	modified := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		handle http.HandlerFunc
		want   []string // what net/http's server sends, checked too
	}{
		{
			name: "handler writes 100 bytes",
			handle: func(w http.ResponseWriter, _ *http.Request) {
				_, _ = io.WriteString(w, strings.Repeat("x", 100))
			},
			want: []string{"100"},
		},
		{
			name: "http.ServeContent of a 50-byte file",
			handle: func(w http.ResponseWriter, r *http.Request) {
				http.ServeContent(w, r, "pets.txt", modified, bytes.NewReader(file))
			},
			want: []string{"50"},
		},
		{
			name: "handler sets Content-Length itself",
			handle: func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", "application/octet-stream")
				w.Header().Set("Content-Length", "123456")
			},
			want: []string{"123456"},
		},
		{
			name: "handler sets Content-Length and writes",
			handle: func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Length", "5")
				_, _ = io.WriteString(w, "hello")
			},
			want: []string{"5"},
		},
		{
			name:   "handler writes nothing",
			handle: func(http.ResponseWriter, *http.Request) {},
			want:   nil,
		},
		{
			name: "handler writes all the server buffers",
			handle: func(w http.ResponseWriter, _ *http.Request) {
				_, _ = io.WriteString(w, strings.Repeat("x", 1000))
				_, _ = io.WriteString(w, strings.Repeat("y", 1048))
			},
			want: []string{"2048"},
		},
		{
			name: "handler writes past what the server buffers",
			handle: func(w http.ResponseWriter, _ *http.Request) {
				_, _ = io.WriteString(w, strings.Repeat("x", 2000))
				_, _ = io.WriteString(w, strings.Repeat("y", 1000))
			},
			want: nil,
		},
		{
			name: "handler writes then flushes",
			handle: func(w http.ResponseWriter, _ *http.Request) {
				_, _ = io.WriteString(w, "flushed")
				w.(http.Flusher).Flush()
			},
			want: nil,
		},
		{
			name: "handler sets Transfer-Encoding",
			handle: func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Transfer-Encoding", "chunked")
				_, _ = io.WriteString(w, "chunked")
			},
			want: nil,
		},
		{
			name: "handler answers 204",
			handle: func(w http.ResponseWriter, _ *http.Request) {
				w.WriteHeader(http.StatusNoContent)
			},
			want: nil,
		},
	}
	head := func(t *testing.T, url string) []string {
		t.Helper()
		req, err := http.NewRequestWithContext(t.Context(), http.MethodHead, url, nil)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.Header["Content-Length"]
	}
	logger := func(t *testing.T) *log.Logger { return log.New(t.Output(), "net/http: ", 0) }
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			real := httptest.NewUnstartedServer(tc.handle)
			real.Config.ErrorLog = logger(t)
			real.Start()
			defer real.Close()
			want := head(t, real.URL+"/pets.txt")
			if diff := cmp.Diff(tc.want, want); diff != "" {
				t.Fatalf("net/http's server sent another Content-Length than the test expects (-want +got):\n%s", diff)
			}

			for _, cf := range conformanceFormats {
				t.Run(cf.format.String(), func(t *testing.T) {
					fn := adapter.Wrap(tc.handle, adapter.WithLogger(slog.New(slog.NewTextHandler(t.Output(), nil))))
					invoke := func(r *http.Request) []byte {
						t.Helper()
						gw := cf.gateway
						gw.Format = cf.format
						payload, err := adapter.NewEvent(r, &gw)
						if err != nil {
							t.Fatalf("NewEvent: %v", err)
						}
						out, err := fn.Invoke(r.Context(), payload)
						if err != nil {
							t.Fatalf("Invoke(%s): %v", payload, err)
						}
						return out
					}

					// The adapter alone.
					out := invoke(httptest.NewRequestWithContext(t.Context(), http.MethodHead, "http://api.example.com/pets.txt", nil))
					resp, err := adapter.DecodeResponse(cf.format, out)
					if err != nil {
						t.Fatalf("DecodeResponse(%s): %v", out, err)
					}
					if diff := cmp.Diff(want, resp.Header["Content-Length"]); diff != "" {
						t.Errorf("Content-Length in %s differs from net/http's (-want +got):\n%s", out, diff)
					}

					// The streaming entry points.
					if cf.format == adapter.FormatFunctionURL || cf.format == adapter.FormatRESTAPI {
						r := httptest.NewRequestWithContext(t.Context(), http.MethodHead, "http://api.example.com/pets.txt", nil)
						if diff := cmp.Diff(want, streamedContentLength(t, fn, r, cf.format, cf.gateway)); diff != "" {
							t.Errorf("Content-Length streamed differs from net/http's (-want +got):\n%s", diff)
						}
					}

					// A gateway on loopback.
					gateway := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
						if err := adapter.WriteResponse(w, cf.format, invoke(r)); err != nil {
							t.Errorf("WriteResponse: %v", err)
						}
					}))
					gateway.Config.ErrorLog = logger(t)
					gateway.Start()
					defer gateway.Close()
					if diff := cmp.Diff(want, head(t, gateway.URL+"/pets.txt")); diff != "" {
						t.Errorf("Content-Length through the gateway differs from net/http's (-want +got):\n%s", diff)
					}
				})
			}
		})
	}
}

// streamedContentLength serves r through an event of format f
// (FormatFunctionURL or FormatRESTAPI) and fn's streaming entry point for
// it, and returns the Content-Length of the response.
func streamedContentLength(t *testing.T, fn *adapter.Handler, r *http.Request, f adapter.Format, gw adapter.GatewayRequest) []string {
	t.Helper()
	gw.Format = f
	payload, err := adapter.NewEvent(r, &gw)
	if err != nil {
		t.Fatalf("NewEvent: %v", err)
	}
	var header http.Header
	switch f {
	case adapter.FormatFunctionURL:
		var e events.LambdaFunctionURLRequest
		if err := json.Unmarshal(payload, &e); err != nil {
			t.Fatal(err)
		}
		resp, err := fn.StreamFunctionURL(r.Context(), &e)
		if err != nil {
			t.Fatalf("StreamFunctionURL(%s): %v", payload, err)
		}
		defer resp.Close()
		_, _ = io.ReadAll(resp.Body)
		header = http.Header{}
		for k, v := range resp.Headers {
			header[http.CanonicalHeaderKey(k)] = []string{v}
		}
	case adapter.FormatRESTAPI:
		var e events.APIGatewayProxyRequest
		if err := json.Unmarshal(payload, &e); err != nil {
			t.Fatal(err)
		}
		resp, err := fn.StreamAPIGatewayProxy(r.Context(), &e)
		if err != nil {
			t.Fatalf("StreamAPIGatewayProxy(%s): %v", payload, err)
		}
		defer resp.Close()
		_, _ = io.ReadAll(resp.Body)
		header = resp.MultiValueHeaders
	default:
		t.Fatalf("no streaming entry point for %v", f)
	}
	return header["Content-Length"]
}

// A conformanceCase is a request as a client sends it and what the handler
// does with it.
type conformanceCase struct {
	name    string
	method  string
	target  string      // path and query, as sent
	header  http.Header // sent a line per value, in order
	cookies []*http.Cookie
	body    string
	chunked bool // send the body with Transfer-Encoding: chunked

	// handle is the handler's behaviour, run after its request is recorded.
	handle http.HandlerFunc
}

var conformanceCases = []conformanceCase{
	{
		name:   "writes nothing",
		method: http.MethodGet, target: "/",
		handle: func(http.ResponseWriter, *http.Request) {},
	},
	{
		name:   "WriteHeader twice",
		method: http.MethodPost, target: "/items", body: `{"name":"x"}`,
		header: http.Header{"Content-Type": {"application/json"}},
		handle: func(w http.ResponseWriter, _ *http.Request) {
			w.WriteHeader(http.StatusCreated)
			w.WriteHeader(http.StatusInternalServerError) // superfluous: ignored
		},
	},
	{
		name:   "header set after WriteHeader",
		method: http.MethodGet, target: "/late",
		handle: func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("X-Before", "kept")
			w.WriteHeader(http.StatusAccepted)
			w.Header().Set("X-After", "dropped")
			_, _ = io.WriteString(w, "accepted")
		},
	},
	{
		// net/http's server turns CR and LF in values into spaces, trims
		// the white space around values, and drops names that are not
		// tokens (Header.writeSubset).
		name:   "header values with CR, LF and padding; invalid names",
		method: http.MethodGet, target: "/dirty",
		handle: func(w http.ResponseWriter, _ *http.Request) {
			h := w.Header()
			h["X-Crlf"] = []string{"a\r\nX-Injected: yes", "b\nc\rd"}
			h["X-Padded"] = []string{" \tpadded value\t ", "\r\n"}
			h["Bad Name"] = []string{"dropped"}
			h["Bad:Colon"] = []string{"dropped"}
			h["X-\u00dcnicode"] = []string{"dropped"}
			h["X-Crlf\r\nName"] = []string{"dropped"}
			h[""] = []string{"dropped"}
			h["X-Clean"] = []string{"kept as it is"}
			_, _ = io.WriteString(w, "dirty")
		},
	},
	{
		name:   "HTML without Content-Type is sniffed",
		method: http.MethodGet, target: "/page",
		handle: func(w http.ResponseWriter, _ *http.Request) {
			_, _ = io.WriteString(w, "<!DOCTYPE html><html><body>hi</body></html>")
		},
	},
	{
		name:   "JSON with Content-Type",
		method: http.MethodGet, target: "/pets/7",
		header: http.Header{"Accept": {"application/json, text/plain;q=0.5"}},
		handle: func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusOK)
			_, _ = io.WriteString(w, `{"id":7,"name":"Rex"}`)
		},
	},
	{
		name:   "several Set-Cookie and a repeated header",
		method: http.MethodPost, target: "/login",
		header: http.Header{"Content-Type": {"application/x-www-form-urlencoded"}},
		body:   "user=ann&pass=s3cret",
		handle: func(w http.ResponseWriter, _ *http.Request) {
			http.SetCookie(w, &http.Cookie{Name: "session", Value: "abc", Path: "/", HttpOnly: true})
			http.SetCookie(w, &http.Cookie{Name: "theme", Value: "dark", Path: "/"})
			w.Header().Add("Cache-Control", "no-store")
			w.Header().Add("Cache-Control", "private, max-age=0")
			w.WriteHeader(http.StatusSeeOther)
		},
	},
	{
		name:   "204 then Write",
		method: http.MethodDelete, target: "/pets/7",
		handle: func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("X-Deleted", "7")
			w.WriteHeader(http.StatusNoContent)
			_, _ = io.WriteString(w, "refused: a 204 has no body")
		},
	},
	{
		name:   "304 drops Content-Type",
		method: http.MethodGet, target: "/pets/7",
		header: http.Header{"If-None-Match": {`"v1"`}},
		handle: func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Etag", `"v1"`)
			w.WriteHeader(http.StatusNotModified)
		},
	},
	{
		name:   "HEAD",
		method: http.MethodHead, target: "/pets/7",
		handle: func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("X-Head", "yes")
			_, _ = io.WriteString(w, "a body the client never gets, but whose type it does")
		},
	},
	{
		name:   "Flush then Write",
		method: http.MethodGet, target: "/events",
		handle: func(w http.ResponseWriter, _ *http.Request) {
			w.(http.Flusher).Flush() // commits the head before any body: nothing to sniff
			_, _ = io.WriteString(w, "<html>late</html>")
		},
	},
	{
		name:   "Write, Flush, Write",
		method: http.MethodGet, target: "/events",
		handle: func(w http.ResponseWriter, _ *http.Request) {
			_, _ = io.WriteString(w, "<html><body>")
			w.(http.Flusher).Flush()
			_, _ = io.WriteString(w, "more</body></html>")
		},
	},
	{
		name:   "1xx then final status",
		method: http.MethodGet, target: "/hints",
		handle: func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Link", "</style.css>; rel=preload; as=style")
			w.WriteHeader(http.StatusEarlyHints)
			w.WriteHeader(http.StatusOK)
			_, _ = io.WriteString(w, "final")
		},
	},
	{
		name:   "reads the body and echoes it",
		method: http.MethodPut, target: "/echo?format=text",
		header: http.Header{"Content-Type": {"text/plain; charset=utf-8"}},
		body:   "line one\nline two, with a comma\n",
		handle: echoBody,
	},
	{
		name:   "chunked request body",
		method: http.MethodPost, target: "/echo",
		header:  http.Header{"Content-Type": {"application/json"}},
		body:    `{"streamed":true}`,
		chunked: true,
		handle:  echoBody,
	},
	{
		name:   "gzip request body",
		method: http.MethodPost, target: "/upload",
		header: http.Header{"Content-Type": {"text/plain"}, "Content-Encoding": {"gzip"}},
		body:   string(conformanceGzip("compressed request body, compressed request body")),
		handle: func(w http.ResponseWriter, r *http.Request) {
			zr, err := gzip.NewReader(r.Body)
			if err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
			b, _ := io.ReadAll(zr)
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			_, _ = w.Write(b)
		},
	},
	{
		name:   "gzip Content-Encoding response",
		method: http.MethodGet, target: "/big",
		header: http.Header{"Accept-Encoding": {"gzip, deflate"}},
		handle: func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.Header().Set("Content-Encoding", "gzip")
			w.Header().Set("Vary", "Accept-Encoding")
			_, _ = w.Write(conformanceGzip(strings.Repeat("all work and no play ", 40)))
		},
	},
	{
		name:   "repeated and comma-containing headers, cookies",
		method: http.MethodGet, target: "/whoami",
		header: http.Header{
			"Accept":          {"text/html, application/xhtml+xml;q=0.9"},
			"X-Multi":         {"a, b", "c"},
			"X-Forwarded-For": {"203.0.113.7"},
			"x-lower-case":    {"sent lower-case"},
		},
		cookies: []*http.Cookie{{Name: "session", Value: "abc"}, {Name: "lang", Value: "en-GB"}},
		handle: func(w http.ResponseWriter, r *http.Request) {
			c, err := r.Cookie("session")
			if err != nil {
				http.Error(w, err.Error(), http.StatusUnauthorized)
				return
			}
			_, _ = io.WriteString(w, "hello "+c.Value)
		},
	},
	{
		name:   "encoded path and query",
		method: http.MethodGet, target: "/files/a%2Fb/caf%c3%a9%20x?q=a+b&q=c%20d&lang=en&empty=&flag",
		handle: func(w http.ResponseWriter, _ *http.Request) {
			// The request view compares the path and query; a body made
			// of them would only repeat each difference the table allows.
			_, _ = io.WriteString(w, "found")
		},
	},
	{
		name:   "percent sign in path",
		method: http.MethodGet, target: "/discount/100%25/now%3F",
		handle: func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.WriteString(w, r.URL.Path)
		},
	},
	{
		name:   "double-encoded path",
		method: http.MethodGet, target: "/x/a%2520b",
		handle: func(w http.ResponseWriter, _ *http.Request) {
			_, _ = io.WriteString(w, "found")
		},
	},
	{
		name:   "http.Error",
		method: http.MethodPatch, target: "/teapot",
		handle: func(w http.ResponseWriter, _ *http.Request) {
			http.Error(w, "short and stout", http.StatusTeapot)
		},
	},
}

// fidelity says how an exchange through a gateway of one format and the
// adapter may differ from the same exchange with net/http's server.
// TestConformance allows exactly these differences, plus those common to
// every format, which expectRequest and expectResponse describe.
type fidelity struct {
	// The request, as the handler sees it.

	// decodedPath: the event carries the path decoded, so URL.RawPath is
	// lost ("%2F" reads as "/"). The adapter re-escapes a path that cannot
	// be an encoded one (it holds a space, '?', '#', non-ASCII or a stray
	// '%'); one that can is read as encoded, because an event does not say
	// which it carries — so a path that still holds %XX escapes after
	// decoding (it was sent double-encoded) is decoded once more.
	decodedPath bool
	// joinHeaders: repeated request headers arrive as one value, joined
	// with "," (the Cookie header with "; ").
	joinHeaders bool
	// lastHeader: of repeated request headers only the last value arrives.
	lastHeader bool
	// queryMap: the query travels as a JSON object, so only the parameters
	// (url.ParseQuery of RawQuery) survive, not their order or encoding.
	queryMap bool
	// lastQuery: of repeated query parameters only the last value arrives.
	lastQuery bool
	// noContentLength: the event carries no Content-Length header; the
	// adapter sets one for a body, so only an empty body's is lost.
	noContentLength bool
	// contentLength: the event always carries a Content-Length header,
	// "0" for no body.
	contentLength bool

	// The response, as the client gets it.

	// joinResponseHeaders: a response header with several values arrives
	// as one value, joined with ",".
	joinResponseHeaders bool
	// lastSetCookie: of several Set-Cookie headers only the last arrives.
	lastSetCookie bool
}

// conformanceFormats is every format with the gateway settings the test
// uses for it and the differences from net/http it allows.
var conformanceFormats = []struct {
	format  adapter.Format
	gateway adapter.GatewayRequest
	fidelity
}{
	{
		// REST API proxy integration: headers and query in single- and
		// multi-value maps, so repetition survives; query parameters are
		// decoded, the path is as sent; no Content-Length header. The API
		// has the binary media type */*, so that bodies of every kind
		// pass unchanged both ways, as they do on AWS only so.
		format:   adapter.FormatRESTAPI,
		gateway:  adapter.GatewayRequest{BinaryMediaTypes: []string{"*/*"}},
		fidelity: fidelity{queryMap: true, noContentLength: true},
	},
	{
		// HTTP API payload 1.0: the REST shape, with the same limits.
		format:   adapter.FormatHTTPAPIV1,
		fidelity: fidelity{decodedPath: true, queryMap: true},
	},
	{
		// HTTP API payload 2.0: single-value headers (repeats comma-joined,
		// cookies apart), the raw query string kept as sent, a decoded
		// rawPath, a Content-Length header always; the response's
		// repeated headers are comma-joined, its cookies travel apart and
		// all arrive.
		format:   adapter.FormatHTTPAPIV2,
		fidelity: fidelity{decodedPath: true, joinHeaders: true, joinResponseHeaders: true, contentLength: true},
	},
	{
		// Function URLs: the payload 2.0 shape, but a rawPath as sent, so
		// that an encoded path keeps its RawPath. The domain is a function
		// URL's, as on AWS, where the adapter tells the two apart by it.
		format:   adapter.FormatFunctionURL,
		gateway:  adapter.GatewayRequest{DomainName: "abcdefghij.lambda-url.us-east-1.on.aws"},
		fidelity: fidelity{joinHeaders: true, joinResponseHeaders: true},
	},
	{
		// ALB, multi-value headers off: one value per header and query
		// parameter, the last, both ways; the path and query as sent.
		format: adapter.FormatALB,
		fidelity: fidelity{
			lastHeader: true, queryMap: true, lastQuery: true,
			joinResponseHeaders: true, lastSetCookie: true,
		},
	},
	{
		// ALB, multi-value headers on: everything repeats, both ways.
		format:   adapter.FormatALBMultiValue,
		fidelity: fidelity{queryMap: true},
	},
	{
		// VPC Lattice 2.0: request headers and query parameters as arrays,
		// but a single-value response: repeated headers comma-joined, one
		// Set-Cookie.
		format:   adapter.FormatVPCLatticeV2,
		fidelity: fidelity{queryMap: true, joinResponseHeaders: true, lastSetCookie: true},
	},
}

// conformanceTraceID is the trace header the gateway adds in the
// conformance tests.
const conformanceTraceID = "Root=1-67c2fdf5-0123456789abcdef01234567"

// expectRequest returns the request the handler should see through the
// format's gateway and the adapter, given v, what it saw from net/http's
// server. Besides the format's fidelity, for every format:
//
//   - the gateway appends the client's address to X-Forwarded-For and sets
//     X-Forwarded-Proto, and but for VPC Lattice X-Forwarded-Port and (the
//     client sending none) X-Amzn-Trace-Id, as AWS front ends do;
//   - the gateway buffers the body, so a chunked request arrives with its
//     length known and a Content-Length header;
//   - RemoteAddr names the client's address with port 0 (only the host is
//     compared);
//   - header names are canonical: the formats that lower-case them lose
//     nothing the server had kept.
func (f fidelity) expectRequest(v requestView, format adapter.Format) requestView {
	h := v.Header.Clone()
	xff := v.RemoteHost
	if prev := h["X-Forwarded-For"]; len(prev) > 0 {
		xff = strings.Join(prev, ", ") + ", " + xff
	}
	h["X-Forwarded-For"] = []string{xff}
	h["X-Forwarded-Proto"] = []string{"http"}
	if format != adapter.FormatVPCLatticeV2 {
		_, port, _ := net.SplitHostPort(v.Host)
		h["X-Forwarded-Port"] = []string{port}
		if len(h["X-Amzn-Trace-Id"]) == 0 {
			h["X-Amzn-Trace-Id"] = []string{conformanceTraceID}
		}
	}
	if v.ContentLength < 0 {
		v.ContentLength = int64(len(v.Body))
		h["Content-Length"] = []string{strconv.Itoa(len(v.Body))}
	}
	if f.noContentLength && v.Body == "" {
		delete(h, "Content-Length")
	}
	if f.contentLength {
		h["Content-Length"] = []string{strconv.Itoa(len(v.Body))}
	}
	for k, vs := range h {
		switch {
		case len(vs) < 2:
		case f.lastHeader:
			h[k] = vs[len(vs)-1:]
		case f.joinHeaders && k == "Cookie":
			h[k] = []string{strings.Join(vs, "; ")}
		case f.joinHeaders:
			h[k] = []string{strings.Join(vs, ",")}
		}
	}
	v.Header = h
	if f.lastHeader && len(v.Cookies) > 0 {
		v.Cookies = cookieStrings(parseCookieHeader(h.Get("Cookie")))
	}
	if f.decodedPath {
		v.RawPath = ""
		if p, err := url.PathUnescape(v.Path); err == nil && looksEncoded(v.Path) {
			v.Path = p
		}
	}
	q := make(url.Values, len(v.Query))
	for k, vs := range v.Query {
		if f.lastQuery {
			vs = vs[len(vs)-1:]
		}
		q[k] = slices.Clone(vs)
	}
	v.Query = q
	return v
}

// expectResponse returns the response the client should get through the
// format's gateway and the adapter, given r, the one net/http's server
// sent. Date and Content-Length, which the server or gateway adds, are not
// compared for any format.
func (f fidelity) expectResponse(r responseView) responseView {
	h := r.Header.Clone()
	for k, vs := range h {
		switch {
		case len(vs) < 2:
		case k == "Set-Cookie" && f.lastSetCookie:
			h[k] = vs[len(vs)-1:]
		case k == "Set-Cookie":
			// Cookies travel apart (HTTP API 2.0, function URLs) or in
			// multi-value headers: all arrive.
		case f.joinResponseHeaders:
			h[k] = []string{strings.Join(vs, ",")}
		}
	}
	r.Header = h
	return r
}

// looksEncoded reports whether p could be a percent-encoded path as a
// client sends it, and so whether the adapter reads it as one.
func looksEncoded(p string) bool {
	for i := 0; i < len(p); i++ {
		switch c := p[i]; {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9',
			strings.IndexByte("-._~!$&'()*+,;=:@/[]", c) >= 0:
		case c == '%':
			if i+2 >= len(p) || !isHexDigit(p[i+1]) || !isHexDigit(p[i+2]) {
				return false
			}
		default:
			return false
		}
	}
	return true
}

func isHexDigit(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// requestView is what a handler sees of its request: the fields compared
// between net/http's server and the adapter.
type requestView struct {
	Method        string
	Path          string
	RawPath       string
	RawQuery      string
	Query         url.Values
	Host          string
	Header        http.Header
	ContentLength int64
	Proto         string
	Body          string
	RemoteHost    string   // the host part of RemoteAddr
	Cookies       []string // r.Cookies(), as name=value
}

// viewRequest records what a handler sees of r. It reads the body and
// puts it back for the handler.
func viewRequest(r *http.Request) requestView {
	b, err := io.ReadAll(r.Body)
	if err != nil {
		b = append(b, "<read error: "+err.Error()+">"...)
	}
	r.Body = io.NopCloser(bytes.NewReader(b))
	q, _ := url.ParseQuery(r.URL.RawQuery)
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	return requestView{
		Method:        r.Method,
		Path:          r.URL.Path,
		RawPath:       r.URL.RawPath,
		RawQuery:      r.URL.RawQuery,
		Query:         q,
		Host:          r.Host,
		Header:        r.Header.Clone(),
		ContentLength: r.ContentLength,
		Proto:         r.Proto,
		Body:          string(b),
		RemoteHost:    host,
		Cookies:       cookieStrings(r.Cookies()),
	}
}

func cookieStrings(cs []*http.Cookie) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Name+"="+c.Value)
	}
	return out
}

func parseCookieHeader(line string) []*http.Cookie {
	cs, _ := http.ParseCookie(line)
	return cs
}

// responseView is what a client gets of a response.
type responseView struct {
	StatusCode int
	Header     http.Header // without Date and Content-Length
	Body       string
}

func viewResponse(status int, h http.Header, body []byte) responseView {
	h = h.Clone()
	delete(h, "Date")
	delete(h, "Content-Length")
	return responseView{StatusCode: status, Header: h, Body: string(body)}
}

// realExchange is a case served by net/http's server.
type realExchange struct {
	view     requestView   // the request as the handler saw it
	request  *http.Request // the request as the server received it
	body     []byte        // its body
	response responseView  // the response as the client got it
}

// serveReal sends tc's request with an http.Client to a net/http server on
// 127.0.0.1 running tc's handler.
func serveReal(t *testing.T, tc conformanceCase) realExchange {
	t.Helper()
	type received struct {
		req  *http.Request
		body []byte
		view requestView
	}
	got := make(chan received, 1)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		captured := r.Clone(context.Background())
		view := viewRequest(r)
		got <- received{captured, body, view}
		tc.handle(w, r)
	}))
	srv.Config.ErrorLog = log.New(t.Output(), "net/http: ", 0)
	srv.Start()
	t.Cleanup(srv.Close)

	var body io.Reader
	if tc.body != "" {
		body = strings.NewReader(tc.body)
		if tc.chunked {
			body = io.NopCloser(body) // hides the length from the client
		}
	}
	req, err := http.NewRequest(tc.method, srv.URL+tc.target, body)
	if err != nil {
		t.Fatal(err)
	}
	for k, vs := range tc.header {
		req.Header[k] = vs
	}
	for _, c := range tc.cookies {
		req.AddCookie(c)
	}
	client := srv.Client()
	// Neither ask for gzip nor decompress it: the client must see the bytes
	// the server sent.
	client.Transport.(*http.Transport).DisableCompression = true
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	respBody, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	r := <-got
	if tc.chunked && r.req.ContentLength != -1 {
		t.Fatalf("the client did not send a chunked body: ContentLength = %d", r.req.ContentLength)
	}
	return realExchange{
		view:     r.view,
		request:  r.req,
		body:     r.body,
		response: viewResponse(resp.StatusCode, resp.Header, respBody),
	}
}

// serveAdapter serves the request the server received through an event of
// format f and the adapter, and returns what the handler saw of it and
// what a client would get.
func serveAdapter(t *testing.T, handle http.HandlerFunc, received *http.Request, body []byte, f adapter.Format, gw adapter.GatewayRequest) (requestView, responseView) {
	t.Helper()
	ctx := t.Context()
	r := received.Clone(ctx)
	r.Body = io.NopCloser(bytes.NewReader(body))
	gw.Format = f
	gw.TraceID = conformanceTraceID
	payload, err := adapter.NewEvent(r, &gw)
	if err != nil {
		t.Fatalf("NewEvent: %v", err)
	}

	var (
		view      requestView
		served    bool
		eventKind adapter.Format
	)
	h := adapter.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		served = true
		if ev, ok := adapter.EventFromContext(r.Context()); ok {
			eventKind = ev.Format
		}
		view = viewRequest(r)
		handle(w, r)
	}), adapter.WithLogger(slog.New(slog.NewTextHandler(t.Output(), nil))))
	out, err := h.Invoke(ctx, payload)
	if err != nil {
		t.Fatalf("Invoke(%s) error: %v", payload, err)
	}
	if !served {
		t.Fatalf("Invoke(%s) did not call the handler; it answered %s", payload, out)
	}
	if eventKind != f {
		t.Errorf("the adapter read the %v event as %v", f, eventKind)
	}
	resp, err := adapter.DecodeResponse(f, out)
	if err != nil {
		t.Fatalf("DecodeResponse(%v, %s) error: %v", f, out, err)
	}
	return view, viewResponse(resp.StatusCode, resp.Header, resp.Body)
}

// streamAdapter serves the request the server received through an event
// of format f (FormatFunctionURL or FormatRESTAPI) and the adapter's
// streaming entry point for it, and returns what a client would get.
func streamAdapter(t *testing.T, handle http.HandlerFunc, received *http.Request, body []byte, f adapter.Format, gw adapter.GatewayRequest) responseView {
	t.Helper()
	ctx := t.Context()
	r := received.Clone(ctx)
	r.Body = io.NopCloser(bytes.NewReader(body))
	gw.Format = f
	gw.TraceID = conformanceTraceID
	payload, err := adapter.NewEvent(r, &gw)
	if err != nil {
		t.Fatalf("NewEvent: %v", err)
	}
	h := adapter.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		viewRequest(r) // reads the body, as the handler's twin on the server did
		handle(w, r)
	}), adapter.WithLogger(slog.New(slog.NewTextHandler(t.Output(), nil))))
	var (
		status int
		header = http.Header{}
		out    io.Reader // the body, without the streaming prelude
	)
	switch f {
	case adapter.FormatFunctionURL:
		var e events.LambdaFunctionURLRequest
		if err := json.Unmarshal(payload, &e); err != nil {
			t.Fatal(err)
		}
		resp, err := h.StreamFunctionURL(ctx, &e)
		if err != nil {
			t.Fatalf("StreamFunctionURL(%s): %v", payload, err)
		}
		defer resp.Close()
		status, out = resp.StatusCode, resp.Body
		for k, v := range resp.Headers {
			header[http.CanonicalHeaderKey(k)] = []string{v}
		}
		for _, c := range resp.Cookies {
			header.Add("Set-Cookie", c)
		}
	case adapter.FormatRESTAPI:
		var e events.APIGatewayProxyRequest
		if err := json.Unmarshal(payload, &e); err != nil {
			t.Fatal(err)
		}
		resp, err := h.StreamAPIGatewayProxy(ctx, &e)
		if err != nil {
			t.Fatalf("StreamAPIGatewayProxy(%s): %v", payload, err)
		}
		defer resp.Close()
		status, out = resp.StatusCode, resp.Body
		for k, vs := range resp.MultiValueHeaders {
			header[http.CanonicalHeaderKey(k)] = vs
		}
	default:
		t.Fatalf("no streaming entry point for %v", f)
	}
	b, err := io.ReadAll(out)
	if err != nil {
		t.Fatalf("reading the streamed body: %v", err)
	}
	return viewResponse(status, header, b)
}

func echoBody(w http.ResponseWriter, r *http.Request) {
	b, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	w.Header().Set("Content-Type", r.Header.Get("Content-Type"))
	_, _ = w.Write(b)
}

func conformanceGzip(s string) []byte {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	_, _ = io.WriteString(zw, s)
	_ = zw.Close()
	return b.Bytes()
}
