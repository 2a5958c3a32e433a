package inproc_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/faasport/faasport/internal/inproc"
)

func TestTransport(t *testing.T) {
	type seen struct{ Method, RequestURI, Host, RemoteAddr, Body string }
	var got seen
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got = seen{r.Method, r.RequestURI, r.Host, r.RemoteAddr, string(b)}
		w.Header().Set("X-Answer", "42")
		if r.URL.Path == "/missing" {
			w.WriteHeader(http.StatusNotFound)
			w.WriteHeader(http.StatusInternalServerError) // ignored, as net/http does
		}
		io.WriteString(w, "body of "+r.URL.Path)
	})
	c := &http.Client{Transport: inproc.Transport{Handler: h}}
	tests := []struct {
		name, method, url, body string
		wantSeen                seen
		wantStatus              int
	}{
		{"GET with a query", "GET", "http://svc.invalid/a?b=c", "", seen{"GET", "/a?b=c", "svc.invalid", "127.0.0.1:0", ""}, 200},
		{"POST with a body", "POST", "http://svc.invalid/post", "payload", seen{"POST", "/post", "svc.invalid", "127.0.0.1:0", "payload"}, 200},
		{"first status wins", "GET", "http://svc.invalid/missing", "", seen{"GET", "/missing", "svc.invalid", "127.0.0.1:0", ""}, 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequest(tt.method, tt.url, strings.NewReader(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			resp, err := c.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if diff := cmp.Diff(tt.wantSeen, got); diff != "" {
				t.Errorf("request the handler saw (-want +got):\n%s", diff)
			}
			path := strings.SplitN(strings.TrimPrefix(tt.url, "http://svc.invalid"), "?", 2)[0]
			wantResp := []string{http.StatusText(tt.wantStatus), "42", "body of " + path}
			if diff := cmp.Diff(wantResp, []string{http.StatusText(resp.StatusCode), resp.Header.Get("X-Answer"), string(b)}); diff != "" {
				t.Errorf("[status, X-Answer, body] (-want +got):\n%s", diff)
			}
			if resp.ContentLength != int64(len(b)) {
				t.Errorf("ContentLength = %d, want %d", resp.ContentLength, len(b))
			}
		})
	}
}
