package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/faasport/faasport/adapter"
	"github.com/faasport/faasport/emulator/localgateway"
	"github.com/faasport/faasport/emulator/locallambda"
	"github.com/faasport/faasport/faas"
	"github.com/faasport/faasport/verify/verifytest"
)

// BenchmarkServeHTTP measures what the gateway of the throughput test
// costs per request without the network, client and server: its
// ServeHTTP called directly, with the function run by locallambda or, for
// "direct", by the gateway's goroutine (see directInvoker). It reports
// cpu-ns/op, the process's CPU time per request, GC included.
func BenchmarkServeHTTP(b *testing.B) {
	hello := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		_, _ = io.WriteString(w, "hello")
	})
	is := verifytest.NewIssuer()
	defer is.Close()
	quiet := slog.New(slog.DiscardHandler)
	lam := locallambda.New(&locallambda.Options{Logger: quiet})
	defer lam.Close()
	if err := lam.Register(faas.Config{Name: "hello"}, adapter.Wrap(hello)); err != nil {
		b.Fatal(err)
	}
	token := "Bearer " + is.Sign(is.Claims("bench-user", "bench", time.Now()))
	for _, inv := range []struct {
		name string
		inv  localgateway.Invoker
	}{{"locallambda", lam}, {"direct", directInvoker{adapter.Wrap(hello)}}} {
		gw, err := localgateway.New(localgateway.Config{
			Invoker:         inv.inv,
			Logger:          quiet,
			AccountThrottle: localgateway.Throttle{Rate: 1e7, Burst: 1e7},
			Authorizers: map[string]localgateway.Authorizer{
				"jwt": localgateway.JWTAuthorizer{Issuer: is.URL, Audiences: []string{"bench"}},
			},
			Routes: []localgateway.Route{{Key: "GET /hello", Integration: localgateway.Lambda{Function: "hello"}, Authorizer: "jwt"}},
		})
		if err != nil {
			b.Fatal(err)
		}
		// The request as the server hands it over: the client's headers.
		req := httptest.NewRequestWithContext(context.Background(), http.MethodGet, "http://127.0.0.1:1234/hello", nil)
		req.Header = http.Header{"Authorization": {token}, "User-Agent": {"Go-http-client/1.1"}, "Accept-Encoding": {"gzip"}}
		req.RemoteAddr = "127.0.0.1:5555"
		w := &discardWriter{h: http.Header{}}
		b.Run(inv.name, func(b *testing.B) {
			gw.ServeHTTP(w, req)
			if w.status != http.StatusOK {
				b.Fatalf("status %d", w.status)
			}
			b.ReportAllocs()
			cpu0 := cpuTime()
			for b.Loop() {
				clear(w.h)
				req.Body = http.NoBody
				gw.ServeHTTP(w, req)
			}
			b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N), "cpu-ns/op")
		})
	}
}

// discardWriter is a ResponseWriter that keeps the status only.
type discardWriter struct {
	h      http.Header
	status int
}

func (w *discardWriter) Header() http.Header         { return w.h }
func (w *discardWriter) WriteHeader(code int)        { w.status = code }
func (w *discardWriter) Write(p []byte) (int, error) { return len(p), nil }
