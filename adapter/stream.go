package adapter

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"runtime/debug"
	"sync"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
)

// StreamFunctionURL serves a function URL event whose function is
// configured with invoke mode RESPONSE_STREAM. The status and headers are
// sent when the handler first flushes, writes more than 512 bytes or
// returns, the headers as they were when it called WriteHeader or first
// wrote, as with net/http; what it writes after that streams to the
// client as it is written, so Server-Sent Events and large downloads work. Use it with
// aws-lambda-go's lambda.Start, or through [StartStreaming].
func (h *Handler) StreamFunctionURL(ctx context.Context, e *events.LambdaFunctionURLRequest) (*events.LambdaFunctionURLStreamingResponse, error) {
	ev := getEvent()
	defer putEvent(ev)
	functionURLEvent(ev, e)
	head, body, err := h.stream(ctx, ev, &requestCtx{source: Event{Format: ev.format, typed: e}})
	if err != nil {
		return nil, err
	}
	out := &events.LambdaFunctionURLStreamingResponse{StatusCode: head.status, Body: body}
	out.Headers, out.Cookies = singleValue(head.header, true)
	return out, nil
}

// StreamAPIGatewayProxy serves an API Gateway REST API event through
// response streaming (an integration with response transfer mode STREAM),
// with the same rules as [Handler.StreamFunctionURL].
func (h *Handler) StreamAPIGatewayProxy(ctx context.Context, e *events.APIGatewayProxyRequest) (*events.APIGatewayProxyStreamingResponse, error) {
	ev := getEvent()
	defer putEvent(ev)
	proxyEvent(ev, e)
	head, body, err := h.stream(ctx, ev, &requestCtx{source: Event{Format: ev.format, typed: e}})
	if err != nil {
		return nil, err
	}
	return &events.APIGatewayProxyStreamingResponse{
		StatusCode:        head.status,
		MultiValueHeaders: head.header,
		Body:              body,
	}, nil
}

// StartStreaming runs h on AWS Lambda behind a function URL with invoke
// mode RESPONSE_STREAM. Like [Start], it does not return.
func StartStreaming(h http.Handler, opts ...Option) {
	lambda.Start(Wrap(h, opts...).StreamFunctionURL)
}

type streamHead struct {
	status int
	header http.Header
}

// stream runs the handler in its own goroutine, with c as its request's
// context, and returns once the response head is known; the body follows
// through the returned reader. The goroutine does not use ev.
func (h *Handler) stream(ctx context.Context, ev *event, c *requestCtx) (streamHead, io.ReadCloser, error) {
	ctx = h.requestContext(ctx, ev, c)
	req, err := h.newRequest(ctx, ev, c)
	if err != nil {
		var bad *badRequest
		if errors.As(err, &bad) {
			h.logBadRequest(ctx, ev, bad)
			r := badRequestResponse(ev.format)
			return streamHead{r.status, r.header}, io.NopCloser(bytesReader(r.body)), nil
		}
		return streamHead{}, nil, err
	}
	pr, pw := io.Pipe()
	w := &streamWriter{header: http.Header{}, pipe: pw, ready: make(chan streamHead, 1), head: req.Method == http.MethodHead}
	go func() {
		defer func() {
			if v := recover(); v != nil {
				if v != http.ErrAbortHandler {
					h.opts.logger.ErrorContext(ctx, "adapter: handler panic",
						"method", req.Method, "path", req.URL.Path,
						"panic", fmt.Sprint(v), "stack", string(debug.Stack()))
				}
				if w.abort() {
					return
				}
				_ = pw.CloseWithError(fmt.Errorf("adapter: handler panic: %v", v))
				return
			}
			w.commit(true)
			_ = pw.Close()
		}()
		h.h.ServeHTTP(w, req)
	}()
	head := <-w.ready
	return head, pr, nil
}

// streamWriter is the ResponseWriter of a streamed response. It holds the
// first bytes back, as net/http's server does, to sniff a Content-Type.
type streamWriter struct {
	mu     sync.Mutex
	header http.Header
	fixed  http.Header // the header as of WriteHeader, which commit sends
	status int
	wrote  bool // WriteHeader called
	sent   bool // head sent on ready
	head   bool
	headN  int  // bytes written to a HEAD response
	flush  bool // Flush called
	buf    []byte
	pipe   *io.PipeWriter
	ready  chan streamHead
}

func (w *streamWriter) Header() http.Header { return w.header }

// WriteHeader records the status and, as net/http's server does, the
// header as it is now: what the handler sets after is not sent.
func (w *streamWriter) WriteHeader(code int) {
	if code < 100 || code > 999 {
		panic(fmt.Sprintf("invalid WriteHeader code %v", code))
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.writeHeaderLocked(code)
}

func (w *streamWriter) writeHeaderLocked(code int) {
	if w.wrote || code >= 100 && code <= 199 && code != http.StatusSwitchingProtocols {
		return
	}
	w.wrote, w.status = true, code
	w.fixed = w.header.Clone()
	if w.fixed == nil {
		w.fixed = http.Header{}
	}
}

func (w *streamWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	w.writeHeaderLocked(http.StatusOK)
	if !bodyAllowed(w.status) {
		w.mu.Unlock()
		return 0, http.ErrBodyNotAllowed
	}
	if w.head {
		// Not sent, but sniffed for the Content-Type, as net/http does.
		w.headN += len(p)
		if !w.sent && len(w.buf) < sniffLen {
			w.buf = append(w.buf, p[:min(len(p), sniffLen-len(w.buf))]...)
		}
		w.mu.Unlock()
		return len(p), nil
	}
	if !w.sent {
		w.buf = append(w.buf, p...)
		full := len(w.buf) >= sniffLen
		w.mu.Unlock()
		if full {
			w.commit(false)
		}
		return len(p), nil
	}
	w.mu.Unlock()
	return w.pipe.Write(p)
}

// Flush sends the head and anything held back.
func (w *streamWriter) Flush() {
	w.mu.Lock()
	w.writeHeaderLocked(http.StatusOK)
	w.flush = true
	w.mu.Unlock()
	w.commit(false)
}

// commit sends the head, if not yet sent, then the held-back bytes. done
// says the handler has returned.
func (w *streamWriter) commit(done bool) {
	w.mu.Lock()
	if w.sent {
		w.mu.Unlock()
		return
	}
	w.writeHeaderLocked(http.StatusOK)
	rw := responseWriter{final: w.fixed, status: w.status, wrote: true, flushed: -1}
	rw.body.Write(w.buf)
	status, h := rw.finish()
	if w.head && done {
		setHeadLength(h, status, w.headN, w.flush)
	}
	w.sent = true
	buf := w.buf
	w.buf = nil
	w.mu.Unlock()
	w.ready <- streamHead{status, h}
	if len(buf) > 0 && !w.head {
		_, _ = w.pipe.Write(buf)
	}
}

// abort sends a 500 head if nothing was sent yet, and reports whether it
// did.
func (w *streamWriter) abort() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.sent {
		return false
	}
	w.sent = true
	r := errorResponse(http.StatusInternalServerError, "Internal Server Error")
	w.ready <- streamHead{r.status, r.header}
	go func() {
		_, _ = w.pipe.Write(r.body)
		_ = w.pipe.Close()
	}()
	return true
}

type byteReader struct {
	b []byte
	i int
}

func bytesReader(b []byte) io.Reader { return &byteReader{b: b} }

func (r *byteReader) Read(p []byte) (int, error) {
	if r.i >= len(r.b) {
		return 0, io.EOF
	}
	n := copy(p, r.b[r.i:])
	r.i += n
	return n, nil
}
