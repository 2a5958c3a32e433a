// Package inproc serves HTTP requests by calling a handler in the same
// process: an http.RoundTripper for SDK clients that talk to an emulated
// service without a network.
package inproc

import (
	"bytes"
	"io"
	"net/http"
	"strconv"
)

// Transport is an http.RoundTripper that answers each request by calling
// Handler, as net/http's server would, and returns what it wrote.
type Transport struct {
	Handler http.Handler
}

var _ http.RoundTripper = Transport{}

// RoundTrip serves r with t.Handler.
func (t Transport) RoundTrip(r *http.Request) (*http.Response, error) {
	rec := &recorder{header: http.Header{}, status: http.StatusOK}
	if r.Body == nil {
		r.Body = http.NoBody
	}
	// The handler must see a server-side request, as net/http would give it.
	sr := r.Clone(r.Context())
	sr.RequestURI = r.URL.RequestURI()
	if sr.Host == "" {
		sr.Host = r.URL.Host
	}
	// From this process: the loopback address, as a client on this
	// machine has (policies may test aws:SourceIp).
	sr.RemoteAddr = "127.0.0.1:0"
	t.Handler.ServeHTTP(rec, sr)
	r.Body.Close()
	return &http.Response{
		Status:        strconv.Itoa(rec.status) + " " + http.StatusText(rec.status),
		StatusCode:    rec.status,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        rec.header,
		Body:          io.NopCloser(bytes.NewReader(rec.body.Bytes())),
		ContentLength: int64(rec.body.Len()),
		Request:       r,
	}, nil
}

type recorder struct {
	header http.Header
	body   bytes.Buffer
	status int
	wrote  bool
}

func (r *recorder) Header() http.Header { return r.header }

func (r *recorder) WriteHeader(code int) {
	if !r.wrote {
		r.status, r.wrote = code, true
	}
}

func (r *recorder) Write(b []byte) (int, error) {
	r.wrote = true
	return r.body.Write(b)
}
