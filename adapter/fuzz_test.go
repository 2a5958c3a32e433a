package adapter_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/faasport/faasport/adapter"
	"github.com/faasport/faasport/faas"
)

// FuzzInvoke feeds arbitrary payloads to Invoke, with a handler that reads
// all of its request. Invoke must never panic, nor hand the handler a
// request that makes net/http code panic; it returns either an error of
// kind faas.Invalid or a JSON response with a numeric statusCode.
func FuzzInvoke(f *testing.F) {
	for _, b := range sampleEvents(f) {
		f.Add(b)
		// Some mutations of each: base64 bodies, bad types, truncation.
		f.Add(bytes.Replace(b, []byte(`"isBase64Encoded": false`), []byte(`"isBase64Encoded": true`), 1))
		f.Add(bytes.Replace(b, []byte(`"body": "`), []byte(`"body": "eyJ`), 1))
		f.Add(bytes.Replace(b, []byte(`"GET"`), []byte(`"G T"`), 1))
		f.Add(bytes.Replace(b, []byte(`"/`), []byte(`"/%zz/../`), 1))
		f.Add(bytes.Replace(b, []byte(`"headers": {`), []byte(`"headers": {"content-type": "multipart/form-data; boundary=x", `), 1))
		f.Add(bytes.Replace(b, []byte(`"stage": "`), []byte(`"stage": "my`), 1))
		f.Add(b[:len(b)/2])
	}
	for _, base := range []string{restBase, httpV1Base, httpV2Base, albBase, albMultiBase, urlBase, latticeBase} {
		f.Add([]byte(base))
	}
	f.Add([]byte(`{"httpMethod":"POST","path":"/","headers":{"Content-Type":"application/x-www-form-urlencoded"},"body":"a=1&b=%zz&a=2","requestContext":{}}`))
	f.Add([]byte(`{"httpMethod":"POST","path":"/","headers":{"Content-Type":"multipart/form-data; boundary=B"},"body":"--B\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x\"\r\n\r\nhi\r\n--B--\r\n","requestContext":{}}`))
	f.Add([]byte(`{"version":"2.0","rawPath":"/\u0000?#","rawQueryString":"%","cookies":["a=\"b","c"],"headers":{"host":"","cookie":"x=1"},"requestContext":{"http":{"method":"OPTIONS","sourceIp":"::1","protocol":"HTTP/9.9"},"stage":"\u0000"},"body":"\ud800","isBase64Encoded":false}`))
	f.Add([]byte(`{"version":"2.0","method":"GET","path":"","headers":{"x":[null,"1"]},"queryStringParameters":{"q":["1",null]},"requestContext":{"identity":{"principal":"p"}}}`))
	f.Add([]byte(`{"httpMethod":"GET","path":"/","requestContext":{"authorizer":{"jwt":{"claims":{"cognito:groups":["a",1,null]},"scopes":"x"}}}}`))
	f.Add([]byte(`{"httpMethod":"GET","path":"/","requestContext":{"authorizer":{"iam":{"cognitoIdentity":{"identityId":7}}}}}`))
	f.Add([]byte(`{"Records":[]}`))
	f.Add([]byte(`[]`))
	f.Add([]byte(``))

	f.Fuzz(func(t *testing.T, payload []byte) {
		h := adapter.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			defer func() {
				// A panic here is the adapter's fault: a request net/http
				// code cannot handle. The adapter would turn it into a 500.
				if v := recover(); v != nil {
					t.Errorf("handler panicked on the request the adapter built: %v\n%s", v, debug.Stack())
				}
			}()
			checkRequest(t, r)
			body, err := io.ReadAll(r.Body)
			if err != nil {
				t.Errorf("reading the body: %v", err)
			}
			if int64(len(body)) != r.ContentLength {
				t.Errorf("read %d body bytes, ContentLength = %d", len(body), r.ContentLength)
			}
			r.Body = io.NopCloser(bytes.NewReader(body))
			r.ParseMultipartForm(1 << 20) // errors are the client's
			_ = r.FormValue("a")
			_ = r.Cookies()
			_, _, _ = r.BasicAuth()
			_ = r.UserAgent()
			_ = r.Referer()
			for k, vs := range r.Header {
				w.Header()["X-Echo-"+k] = vs
			}
			w.Header().Set("Content-Type", r.Header.Get("Content-Type"))
			w.Header().Set("Content-Encoding", r.Header.Get("Content-Encoding"))
			w.Header()["Set-Cookie"] = r.Header["Cookie"]
			w.Write(body)
		}), testLogger(t))

		out, err := h.Invoke(context.Background(), payload)
		if err != nil {
			if k := faas.KindOf(err); k != faas.Invalid {
				t.Fatalf("Invoke(%q) error %v of kind %v, want %v", payload, err, k, faas.Invalid)
			}
			if out != nil {
				t.Fatalf("Invoke(%q) returned output %q with error %v", payload, out, err)
			}
			return
		}
		var resp map[string]any
		if err := json.Unmarshal(out, &resp); err != nil {
			t.Fatalf("Invoke(%q) = %q, not a JSON object: %v", payload, out, err)
		}
		code, ok := resp["statusCode"].(float64)
		if !ok || code < 100 || code > 999 || code != float64(int(code)) {
			t.Fatalf("Invoke(%q) = %s, want a numeric statusCode", payload, out)
		}
		if len(out) > adapter.MaxResponseSize {
			t.Fatalf("Invoke(%q) returned %d bytes, over the maximum", payload, len(out))
		}
	})
}

// checkRequest checks the invariants of a request as a net/http server
// gives it to a handler.
func checkRequest(t *testing.T, r *http.Request) {
	t.Helper()
	switch {
	case r.URL == nil:
		t.Fatal("request URL is nil")
	case r.Header == nil:
		t.Error("request Header is nil")
	case r.Body == nil:
		t.Error("request Body is nil")
	case r.Method == "" || strings.ContainsAny(r.Method, " \t\r\n/"):
		t.Errorf("request Method = %q, not a token", r.Method)
	case !strings.HasPrefix(r.URL.Path, "/"):
		t.Errorf("request URL.Path = %q, does not start with /", r.URL.Path)
	case r.RequestURI == "":
		t.Error("request RequestURI is empty")
	case r.Context() == nil:
		t.Error("request has no context")
	}
	if _, ok := adapter.EventFromContext(r.Context()); !ok {
		t.Error("EventFromContext: no event")
	}
	if r.URL.RawPath != "" && r.URL.EscapedPath() != r.URL.RawPath {
		t.Errorf("URL.RawPath = %q is not a valid encoding of Path %q", r.URL.RawPath, r.URL.Path)
	}
}
