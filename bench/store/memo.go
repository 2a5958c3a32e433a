package main

import (
	"bytes"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"sync"
)

// memoGetItem is the -floor target's handler: it answers a GetItem whose
// request body it has seen before with the store's first answer to it
// (status, headers and body, request id included), and passes every other
// request, and each GetItem's first, to next. Once the keys have been
// asked for, a GetItem costs what net/http, the kernel and the client
// cost without any store work: the most a Go HTTP server could reach on
// this machine with this client (docs/benchmarks.md, "The HTTP floor").
type memoGetItem struct {
	next http.Handler

	mu      sync.Mutex
	answers map[string]*memoAnswer // by request body
}

type memoAnswer struct {
	status int
	header http.Header
	body   []byte
}

const getItemTarget = "DynamoDB_20120810.GetItem"

func newMemoGetItem(next http.Handler) *memoGetItem {
	return &memoGetItem{next: next, answers: map[string]*memoAnswer{}}
}

func (m *memoGetItem) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.Header.Get("X-Amz-Target") != getItemTarget {
		m.next.ServeHTTP(w, r)
		return
	}
	req, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	m.mu.Lock()
	a := m.answers[string(req)]
	m.mu.Unlock()
	if a == nil {
		rec := httptest.NewRecorder()
		r.Body = io.NopCloser(bytes.NewReader(req))
		m.next.ServeHTTP(rec, r)
		a = &memoAnswer{status: rec.Code, header: rec.Header().Clone(), body: rec.Body.Bytes()}
		if a.status == http.StatusOK {
			m.mu.Lock()
			m.answers[string(req)] = a
			m.mu.Unlock()
		}
	}
	maps.Copy(w.Header(), a.header)
	w.WriteHeader(a.status)
	w.Write(a.body)
}
