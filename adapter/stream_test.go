package adapter_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/faasport/faasport/adapter"
)

// streamEvent returns a function URL event for method and path.
func streamEvent(method, path string) *events.LambdaFunctionURLRequest {
	return &events.LambdaFunctionURLRequest{
		Version: "2.0",
		RawPath: path,
		Headers: map[string]string{"host": "abcdef.lambda-url.us-east-1.on.aws", "accept": "text/event-stream"},
		RequestContext: events.LambdaFunctionURLRequestContext{
			DomainName: "abcdef.lambda-url.us-east-1.on.aws",
			HTTP: events.LambdaFunctionURLRequestContextHTTPDescription{
				Method: method, Path: path, Protocol: "HTTP/1.1", SourceIP: "198.51.100.4",
			},
		},
	}
}

func wrapForTest(t *testing.T, h http.HandlerFunc) *adapter.Handler {
	return adapter.Wrap(h, adapter.WithLogger(slog.New(slog.NewTextHandler(t.Output(), nil))))
}

// readWithin reads len(p) bytes from r, failing the test if they do not
// arrive within a while.
func readWithin(t *testing.T, r io.Reader, p []byte) {
	t.Helper()
	done := make(chan error, 1)
	go func() {
		_, err := io.ReadFull(r, p)
		done <- err
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("reading the first %d bytes: %v", len(p), err)
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("the first %d bytes did not arrive while the handler was still running: the body is not streamed", len(p))
	}
}

func TestStreamFunctionURLStreams(t *testing.T) {
	release := make(chan struct{})
	handlerDone := make(chan struct{})
	h := wrapForTest(t, func(w http.ResponseWriter, _ *http.Request) {
		defer close(handlerDone)
		w.Header().Set("Content-Type", "text/event-stream")
		w.Header().Set("Cache-Control", "no-cache")
		_, _ = io.WriteString(w, "data: 1\n\n")
		w.(http.Flusher).Flush()
		<-release
		_, _ = io.WriteString(w, "data: 2\n\n")
	})
	released := false
	t.Cleanup(func() {
		if !released {
			close(release)
		}
	})

	// The head must come while the handler is still running, too.
	type result struct {
		resp *events.LambdaFunctionURLStreamingResponse
		err  error
	}
	headDone := make(chan result, 1)
	go func() {
		resp, err := h.StreamFunctionURL(t.Context(), streamEvent(http.MethodGet, "/events"))
		headDone <- result{resp, err}
	}()
	var resp *events.LambdaFunctionURLStreamingResponse
	select {
	case r := <-headDone:
		if r.err != nil {
			t.Fatalf("StreamFunctionURL: %v", r.err)
		}
		resp = r.resp
	case <-time.After(10 * time.Second):
		t.Fatal("StreamFunctionURL did not return while the handler was still running: the head is not streamed")
	}
	defer resp.Close()
	wantHead := streamHead{
		Status:  http.StatusOK,
		Headers: map[string]string{"Content-Type": "text/event-stream", "Cache-Control": "no-cache"},
	}
	if diff := cmp.Diff(wantHead, streamHead{resp.StatusCode, resp.Headers, resp.Cookies}, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("head mismatch (-want +got):\n%s", diff)
	}

	first := make([]byte, len("data: 1\n\n"))
	readWithin(t, resp.Body, first)
	if string(first) != "data: 1\n\n" {
		t.Errorf("first chunk = %q, want %q", first, "data: 1\n\n")
	}
	select {
	case <-handlerDone:
		t.Fatal("the handler returned before it was released")
	default:
	}

	close(release)
	released = true
	rest, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("reading the rest: %v", err)
	}
	if string(rest) != "data: 2\n\n" {
		t.Errorf("rest = %q, want %q", rest, "data: 2\n\n")
	}
	<-handlerDone
}

// streamHead is the head of a streamed function URL response.
type streamHead struct {
	Status  int
	Headers map[string]string
	Cookies []string
}

func TestStreamFunctionURLResponse(t *testing.T) {
	tests := []struct {
		name     string
		method   string // GET when empty
		handler  http.HandlerFunc
		want     streamHead
		wantBody string
	}{
		{
			name: "status, headers and cookies",
			handler: func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.Header()["X-Multi"] = []string{"a", "b"}
				http.SetCookie(w, &http.Cookie{Name: "session", Value: "abc", HttpOnly: true})
				http.SetCookie(w, &http.Cookie{Name: "theme", Value: "dark"})
				w.WriteHeader(http.StatusCreated)
				_, _ = io.WriteString(w, `{"id":7}`)
			},
			want: streamHead{
				Status:  http.StatusCreated,
				Headers: map[string]string{"Content-Type": "application/json", "X-Multi": "a,b"},
				Cookies: []string{"session=abc; HttpOnly", "theme=dark"},
			},
			wantBody: `{"id":7}`,
		},
		{
			name: "Content-Type sniffed from what precedes a Flush",
			handler: func(w http.ResponseWriter, _ *http.Request) {
				_, _ = io.WriteString(w, "<!DOCTYPE html><p>")
				w.(http.Flusher).Flush()
				_, _ = io.WriteString(w, "hi</p>")
			},
			want: streamHead{
				Status:  http.StatusOK,
				Headers: map[string]string{"Content-Type": "text/html; charset=utf-8"},
			},
			wantBody: "<!DOCTYPE html><p>hi</p>",
		},
		{
			name: "Content-Type sniffed from the first 512 bytes",
			handler: func(w http.ResponseWriter, _ *http.Request) {
				_, _ = io.WriteString(w, strings.Repeat("plain text ", 60))
			},
			want: streamHead{
				Status:  http.StatusOK,
				Headers: map[string]string{"Content-Type": "text/plain; charset=utf-8"},
			},
			wantBody: strings.Repeat("plain text ", 60),
		},
		{
			name:    "nothing written",
			handler: func(http.ResponseWriter, *http.Request) {},
			want:    streamHead{Status: http.StatusOK},
		},
		{
			name: "Flush before writing: nothing to sniff",
			handler: func(w http.ResponseWriter, _ *http.Request) {
				w.(http.Flusher).Flush()
				_, _ = io.WriteString(w, "<html>")
			},
			want:     streamHead{Status: http.StatusOK},
			wantBody: "<html>",
		},
		{
			name: "304 drops Content-Type",
			handler: func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", "text/plain")
				w.Header().Set("Etag", `"v1"`)
				w.WriteHeader(http.StatusNotModified)
			},
			want: streamHead{Status: http.StatusNotModified, Headers: map[string]string{"Etag": `"v1"`}},
		},
		{
			name:   "HEAD: sniffed, not sent",
			method: http.MethodHead,
			handler: func(w http.ResponseWriter, _ *http.Request) {
				_, _ = io.WriteString(w, "hello")
			},
			want: streamHead{
				Status:  http.StatusOK,
				Headers: map[string]string{"Content-Type": "text/plain; charset=utf-8", "Content-Length": "5"},
			},
		},
		{
			name:   "an impossible request",
			method: "BAD METHOD",
			handler: func(http.ResponseWriter, *http.Request) {
				panic("the handler must not run")
			},
			want: streamHead{
				Status:  http.StatusBadRequest,
				Headers: map[string]string{"Content-Type": "application/json"},
			},
			wantBody: `{"message":"Bad Request"}`,
		},
		{
			name: "panic before writing",
			handler: func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("X-Lost", "yes")
				panic("boom")
			},
			want: streamHead{
				Status:  http.StatusInternalServerError,
				Headers: map[string]string{"Content-Type": "application/json"},
			},
			wantBody: `{"message":"Internal Server Error"}`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			method := tc.method
			if method == "" {
				method = http.MethodGet
			}
			resp, err := wrapForTest(t, tc.handler).StreamFunctionURL(t.Context(), streamEvent(method, "/x"))
			if err != nil {
				t.Fatalf("StreamFunctionURL: %v", err)
			}
			defer resp.Close()
			body, err := io.ReadAll(resp.Body)
			if err != nil {
				t.Fatalf("reading the body: %v", err)
			}
			got := streamHead{resp.StatusCode, resp.Headers, resp.Cookies}
			if diff := cmp.Diff(tc.want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("head mismatch (-want +got):\n%s", diff)
			}
			if string(body) != tc.wantBody {
				t.Errorf("body = %q, want %q", body, tc.wantBody)
			}
		})
	}
}

// TestStreamHeaderFixedAtWriteHeader checks that a streamed response sends
// the header as it was when the status was written, explicitly or by the
// first Write, as net/http's server does, though the head goes out later
// (at a Flush, past 512 bytes, or when the handler returns).
func TestStreamHeaderFixedAtWriteHeader(t *testing.T) {
	tests := []struct {
		name       string
		handler    http.HandlerFunc
		wantStatus int
		want       http.Header
	}{
		{
			name: "set after WriteHeader",
			handler: func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("X-Before", "kept")
				w.WriteHeader(http.StatusAccepted)
				w.Header().Set("X-After", "dropped")
				_, _ = io.WriteString(w, "accepted")
			},
			wantStatus: http.StatusAccepted,
			want:       http.Header{"X-Before": {"kept"}, "Content-Type": {"text/plain; charset=utf-8"}},
		},
		{
			name: "set after the first Write",
			handler: func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("X-Before", "kept")
				_, _ = io.WriteString(w, "short")
				w.Header().Set("X-After", "dropped")
				w.Header().Set("X-Before", "changed")
			},
			wantStatus: http.StatusOK,
			want:       http.Header{"X-Before": {"kept"}, "Content-Type": {"text/plain; charset=utf-8"}},
		},
		{
			name: "deleted after WriteHeader",
			handler: func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.Header().Set("X-Before", "kept")
				w.WriteHeader(http.StatusCreated)
				w.Header().Del("X-Before")
				_, _ = io.WriteString(w, `{}`)
			},
			wantStatus: http.StatusCreated,
			want:       http.Header{"X-Before": {"kept"}, "Content-Type": {"application/json"}},
		},
		{
			name: "set after WriteHeader, then Flush",
			handler: func(w http.ResponseWriter, _ *http.Request) {
				w.WriteHeader(http.StatusAccepted)
				w.Header().Set("X-After", "dropped")
				w.(http.Flusher).Flush()
			},
			wantStatus: http.StatusAccepted,
			want:       http.Header{},
		},
		{
			name: "set before WriteHeader: sent",
			handler: func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("X-Before", "kept")
				w.WriteHeader(http.StatusAccepted)
			},
			wantStatus: http.StatusAccepted,
			want:       http.Header{"X-Before": {"kept"}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			type head struct {
				Status int
				Header http.Header
			}
			want := head{tc.wantStatus, tc.want}

			t.Run("StreamFunctionURL", func(t *testing.T) {
				resp, err := wrapForTest(t, tc.handler).StreamFunctionURL(t.Context(), streamEvent(http.MethodGet, "/x"))
				if err != nil {
					t.Fatalf("StreamFunctionURL: %v", err)
				}
				defer resp.Close()
				_, _ = io.ReadAll(resp.Body)
				got := head{resp.StatusCode, http.Header{}}
				for k, v := range resp.Headers {
					got.Header[k] = []string{v}
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("head (-want +got):\n%s", diff)
				}
			})
			t.Run("StreamAPIGatewayProxy", func(t *testing.T) {
				resp, err := wrapForTest(t, tc.handler).StreamAPIGatewayProxy(t.Context(), &events.APIGatewayProxyRequest{HTTPMethod: http.MethodGet, Path: "/x"})
				if err != nil {
					t.Fatalf("StreamAPIGatewayProxy: %v", err)
				}
				defer resp.Close()
				_, _ = io.ReadAll(resp.Body)
				got := head{resp.StatusCode, resp.MultiValueHeaders}
				if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
					t.Errorf("head (-want +got):\n%s", diff)
				}
			})
		})
	}
}

func TestStreamFunctionURLPanicAfterFlush(t *testing.T) {
	h := wrapForTest(t, func(w http.ResponseWriter, _ *http.Request) {
		_, _ = io.WriteString(w, "partial")
		w.(http.Flusher).Flush()
		panic("boom")
	})
	resp, err := h.StreamFunctionURL(t.Context(), streamEvent(http.MethodGet, "/x"))
	if err != nil {
		t.Fatalf("StreamFunctionURL: %v", err)
	}
	defer resp.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("status = %d, want %d: the head was sent before the panic", resp.StatusCode, http.StatusOK)
	}
	body, err := io.ReadAll(resp.Body)
	if err == nil || !strings.Contains(err.Error(), "boom") {
		t.Errorf("reading the body: err = %v, want the handler's panic", err)
	}
	if string(body) != "partial" {
		t.Errorf("body = %q, want %q", body, "partial")
	}
}

func TestStreamAPIGatewayProxy(t *testing.T) {
	h := wrapForTest(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Path", r.URL.Path)
		http.SetCookie(w, &http.Cookie{Name: "a", Value: "1"})
		http.SetCookie(w, &http.Cookie{Name: "b", Value: "2"})
		_, _ = io.WriteString(w, "hello "+r.URL.Query().Get("name"))
	})
	resp, err := h.StreamAPIGatewayProxy(t.Context(), &events.APIGatewayProxyRequest{
		HTTPMethod:            http.MethodGet,
		Path:                  "/greet",
		Headers:               map[string]string{"Host": "api.example.com"},
		QueryStringParameters: map[string]string{"name": "ann lee"},
		RequestContext: events.APIGatewayProxyRequestContext{
			Stage:    "prod",
			Identity: events.APIGatewayRequestIdentity{SourceIP: "198.51.100.4"},
		},
	})
	if err != nil {
		t.Fatalf("StreamAPIGatewayProxy: %v", err)
	}
	defer resp.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	type result struct {
		Status            int
		MultiValueHeaders map[string][]string
		Body              string
	}
	want := result{
		Status: http.StatusOK,
		MultiValueHeaders: map[string][]string{
			"Content-Type": {"text/plain; charset=utf-8"},
			"Set-Cookie":   {"a=1", "b=2"},
			"X-Path":       {"/greet"},
		},
		Body: "hello ann lee",
	}
	if diff := cmp.Diff(want, result{resp.StatusCode, resp.MultiValueHeaders, string(body)}); diff != "" {
		t.Errorf("StreamAPIGatewayProxy mismatch (-want +got):\n%s", diff)
	}
}

// TestStreamFraming reads streamed responses as the Lambda runtime sends
// them: a JSON prelude, eight NUL bytes, then the body.
func TestStreamFraming(t *testing.T) {
	handler := func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		http.SetCookie(w, &http.Cookie{Name: "a", Value: "1"})
		_, _ = io.WriteString(w, "hello, ")
		w.(http.Flusher).Flush()
		_, _ = io.WriteString(w, "world")
	}
	type prelude struct {
		StatusCode        int                 `json:"statusCode"`
		Headers           map[string]string   `json:"headers"`
		MultiValueHeaders map[string][]string `json:"multiValueHeaders"`
		Cookies           []string            `json:"cookies"`
	}
	// streamed is what both streaming response types offer the runtime.
	type streamed interface {
		io.ReadCloser
		ContentType() string
	}
	tests := []struct {
		name        string
		stream      func(*adapter.Handler) (streamed, error)
		wantPrelude prelude
	}{
		{
			name: "function URL",
			stream: func(h *adapter.Handler) (streamed, error) {
				return h.StreamFunctionURL(t.Context(), streamEvent(http.MethodGet, "/x"))
			},
			wantPrelude: prelude{
				StatusCode: http.StatusOK,
				Headers:    map[string]string{"Content-Type": "text/plain"},
				Cookies:    []string{"a=1"},
			},
		},
		{
			name: "API Gateway",
			stream: func(h *adapter.Handler) (streamed, error) {
				return h.StreamAPIGatewayProxy(t.Context(), &events.APIGatewayProxyRequest{HTTPMethod: http.MethodGet, Path: "/x"})
			},
			wantPrelude: prelude{
				StatusCode:        http.StatusOK,
				MultiValueHeaders: map[string][]string{"Content-Type": {"text/plain"}, "Set-Cookie": {"a=1"}},
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, err := tc.stream(wrapForTest(t, handler))
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Close()
			if got, want := resp.ContentType(), "application/vnd.awslambda.http-integration-response"; got != want {
				t.Errorf("ContentType() = %q, want %q", got, want)
			}
			all, err := io.ReadAll(resp)
			if err != nil {
				t.Fatalf("reading the stream: %v", err)
			}
			sep := make([]byte, 8)
			i := bytes.Index(all, sep)
			if i < 0 {
				t.Fatalf("no 8 NUL bytes after the prelude in %q", all)
			}
			var got prelude
			dec := json.NewDecoder(bytes.NewReader(all[:i]))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&got); err != nil {
				t.Fatalf("prelude %q: %v", all[:i], err)
			}
			if diff := cmp.Diff(tc.wantPrelude, got); diff != "" {
				t.Errorf("prelude mismatch (-want +got):\n%s", diff)
			}
			if body := string(all[i+len(sep):]); body != "hello, world" {
				t.Errorf("body = %q, want %q", body, "hello, world")
			}
		})
	}
}
