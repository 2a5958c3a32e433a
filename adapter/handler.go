package adapter

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"unsafe"

	"github.com/faasport/faasport/faas"
)

// An Option configures a [Handler].
type Option func(*options)

type options struct {
	basePaths   []string
	keepStage   bool
	binaryTypes []string
	textTypes   []string
	logger      *slog.Logger
}

// WithBasePath strips the given custom-domain base path mappings (such as
// "/api") from request paths before the handler sees them. A base path is
// stripped only on a segment boundary: "/api" turns "/api/pets" into
// "/pets" and leaves "/apiary" alone. The first matching base path wins.
func WithBasePath(paths ...string) Option {
	return func(o *options) {
		for _, p := range paths {
			p = "/" + strings.Trim(p, "/")
			if p != "/" {
				o.basePaths = append(o.basePaths, p)
			}
		}
	}
}

// WithStageInPath keeps a named stage at the front of HTTP API request
// paths. By default the adapter removes it ("/prod/pets" on stage "prod"
// becomes "/pets"), so that one router serves every stage.
func WithStageInPath() Option {
	return func(o *options) { o.keepStage = true }
}

// WithBinaryContentTypes names media types ("image/png", "font/*") whose
// response bodies are base64-encoded even where the adapter would send
// them as text.
func WithBinaryContentTypes(types ...string) Option {
	return func(o *options) { o.binaryTypes = append(o.binaryTypes, lower(types)...) }
}

// WithTextContentTypes names media types whose response bodies are sent as
// text. By default text/*, JSON, XML, JavaScript, YAML, form and SVG bodies
// are text, and all others are base64-encoded; a body with a
// Content-Encoding (gzip, br, ...) is always base64-encoded.
func WithTextContentTypes(types ...string) Option {
	return func(o *options) { o.textTypes = append(o.textTypes, lower(types)...) }
}

// WithLogger sets the logger that records handler panics (at Error) and
// the reason for each 400 answer to an event that names an impossible
// request (at Warn). The default is slog.Default().
func WithLogger(l *slog.Logger) Option {
	return func(o *options) { o.logger = l }
}

func lower(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = strings.ToLower(strings.TrimSpace(s))
	}
	return out
}

// Handler runs an http.Handler as a Lambda function. It accepts API
// Gateway REST API events, HTTP API events (payload formats 1.0 and 2.0),
// ALB target events (single- and multi-value headers), Lambda function URL
// events and VPC Lattice 2.0 events, detecting the format from the payload,
// and answers each in the response shape its source expects.
//
// A Handler is safe for concurrent use.
type Handler struct {
	h    http.Handler
	opts options
}

var _ faas.Function = (*Handler)(nil)

// Wrap returns a Handler serving h.
func Wrap(h http.Handler, opts ...Option) *Handler {
	w := &Handler{h: h}
	for _, o := range opts {
		o(&w.opts)
	}
	if w.opts.logger == nil {
		w.opts.logger = slog.Default()
	}
	return w
}

// Invoke serves one invocation: payload is the event's JSON, and the
// result is the JSON response for the event's source. It implements
// [faas.Function] and aws-lambda-go's lambda.Handler.
//
// A payload that is not an HTTP event is an error of kind faas.Invalid,
// which the platform reports as a function error (and API Gateway answers
// 502 or 500); so is the event of an API Gateway Lambda authorizer or of a
// WebSocket API, though it carries a method, path and headers. A
// recognised event that names an impossible request (a body flagged
// base64 that does not decode, an invalid method or path) gets a 400
// response, and the reason is logged at Warn. A handler panic gets a 500
// response, and is logged with its stack. A response over
// [MaxResponseSize] is an error.
func (h *Handler) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	ev := getEvent()
	defer putEvent(ev)
	// Every unescaped string of the request is a substring of text: one
	// copy of the payload, or none when the runtime says the payload stays
	// as it is (see WithStablePayload).
	var text string
	if stable, _ := ctx.Value(stablePayloadKey{}).(bool); stable {
		text = unsafe.String(unsafe.SliceData(payload), len(payload))
	} else {
		text = string(payload)
	}
	if err := decodeEvent(text, ev); err != nil {
		return nil, err
	}
	c := &requestCtx{source: Event{Format: ev.format, payload: text}}
	var out []byte
	err := h.serve(ctx, ev, c, func(r *response) (err error) {
		out, err = r.encode(ev.format)
		return err
	})
	return out, err
}

type stablePayloadKey struct{}

// WithStablePayload returns a copy of ctx telling [Handler.Invoke] that
// the payload it is given is never written to again, by anyone, so that
// the request it builds may share the payload's memory rather than copy
// it. Only a runtime that hands each invocation a buffer of its own, and
// keeps off it afterwards, may say so: aws-lambda-go reuses its buffers.
// The emulator's Lambda (emulator/locallambda) says so of the payloads it
// owns or its callers hand over.
func WithStablePayload(ctx context.Context) context.Context {
	return context.WithValue(ctx, stablePayloadKey{}, true)
}

// serve runs the handler on the request the event describes, with c as
// the request's context (see requestContext), and passes the response to
// emit, which must not keep r or its body after returning.
func (h *Handler) serve(ctx context.Context, ev *event, c *requestCtx, emit func(r *response) error) error {
	req, err := h.newRequest(h.requestContext(ctx, ev, c), ev, c)
	if err != nil {
		var bad *badRequest
		if errors.As(err, &bad) {
			h.logBadRequest(ctx, ev, bad)
			return emit(badRequestResponse(ev.format))
		}
		return err
	}
	w := newResponseWriter(req.Method)
	defer w.release()
	if p := h.run(w, req); p != nil {
		return emit(p)
	}
	if w.over {
		return fmt.Errorf("%w: the handler wrote more than Lambda's maximum of %d bytes", errResponseTooLarge, MaxResponseSize)
	}
	status, header := w.finish()
	r := &w.resp
	*r = response{status: status, header: header, body: w.body.Bytes()}
	if w.head {
		r.body = nil // kept only to sniff the Content-Type
		setHeadLength(header, status, w.headN, w.flushed >= 0)
	}
	r.binary = h.opts.isBinary(header, r.body)
	if n := encodedBodyLen(r); n > MaxResponseSize {
		return fmt.Errorf("%w: the response body is %d bytes as sent, over Lambda's maximum of %d bytes", errResponseTooLarge, n, MaxResponseSize)
	}
	return emit(r)
}

// run calls the handler, turning a panic into a 500 response.
func (h *Handler) run(w http.ResponseWriter, req *http.Request) (panicked *response) {
	defer func() {
		if v := recover(); v != nil {
			if v != http.ErrAbortHandler {
				h.opts.logger.ErrorContext(req.Context(), "adapter: handler panic",
					"method", req.Method, "path", req.URL.Path,
					"panic", fmt.Sprint(v), "stack", string(debug.Stack()))
			}
			panicked = errorResponse(http.StatusInternalServerError, "Internal Server Error")
		}
	}()
	h.h.ServeHTTP(w, req)
	return nil
}

// requestContext returns ctx with the event (c.source), the invocation and
// the caller on it, held in c: the invocation of ctx with the event's
// caller as its Principal, or one made from aws-lambda-go's
// lambdacontext, or the caller alone. The invocation and the caller are
// worked out when first asked for (see requestCtx.invocation and
// requestCtx.principal), save the caller from an identity.
func (h *Handler) requestContext(ctx context.Context, ev *event, c *requestCtx) context.Context {
	c.Context = ctx
	switch {
	case ev.authzJSON != "":
		c.authzJSON = ev.authzJSON
	case ev.authzV2 != nil:
		c.authzV2 = ev.authzV2
	case ev.authorizer != nil:
		c.authzMap = ev.authorizer
	default:
		// The identity is in ev, which is reused once the request is
		// served: work the caller out now. (Nearly always there is none.)
		c.setPrincipal(principalOf(nil, ev.identity))
	}
	if invocationKey == nil {
		// faas's keys are unknown (see faasKeys): layer the values.
		p := c.principal()
		inv := c.invocation()
		ctx = context.WithValue(ctx, eventKey{}, &c.source)
		switch {
		case inv != nil:
			return faas.WithInvocation(ctx, inv)
		case p != nil:
			return faas.NewPrincipalContext(ctx, p)
		}
		return ctx
	}
	return c
}

// errorResponse is a small JSON error response in API Gateway's shape.
func errorResponse(status int, message string) *response {
	return &response{
		status: status,
		header: http.Header{"Content-Type": {"application/json"}},
		body:   []byte(`{"message":"` + message + `"}`),
	}
}

// logBadRequest logs why the adapter answers an event with 400, which the
// client is not told: the 400's body is API Gateway's, and the reason may
// quote the event.
func (h *Handler) logBadRequest(ctx context.Context, ev *event, bad *badRequest) {
	h.opts.logger.WarnContext(ctx, "adapter: bad request",
		"reason", bad.reason, "request_id", ev.requestID, "format", ev.format.String())
}

func badRequestResponse(f Format) *response {
	if f == FormatRESTAPI {
		return errorResponse(http.StatusBadRequest, "Invalid request body")
	}
	return errorResponse(http.StatusBadRequest, "Bad Request")
}

// encodedBodyLen is the length of r's body as the response payload
// carries it, so that every entry point refuses what Lambda would.
func encodedBodyLen(r *response) int {
	if r.binary {
		return base64.StdEncoding.EncodedLen(len(r.body))
	}
	return len(r.body)
}
