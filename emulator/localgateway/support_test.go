package localgateway_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"

	"github.com/faasport/faasport/emulator/locallambda"
)

type (
	locallambdaInvokeRequest = locallambda.InvokeRequest
	locallambdaInvokeResult  = locallambda.InvokeResult
)

func jsonNumber(s string) json.Number { return json.Number(s) }

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func slogTo(w io.Writer) *slog.Logger { return slog.New(slog.NewTextHandler(w, nil)) }

func discardLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }

func newLambdaForExample() *locallambda.Service {
	return locallambda.New(&locallambda.Options{Logger: discardLogger()})
}

func newServerForExample(h http.Handler) *httptest.Server { return httptest.NewServer(h) }

func readAll(r io.Reader) string {
	b, _ := io.ReadAll(r)
	return string(b)
}
