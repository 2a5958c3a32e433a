package locallambda

import (
	"encoding/base64"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// Handler returns an http.Handler serving the Lambda Invoke API for s:
//
//	POST /2015-03-31/functions/{FunctionName}/invocations?Qualifier=…
//
// with the headers X-Amz-Invocation-Type, X-Amz-Log-Type and
// X-Amz-Client-Context, answering as Lambda does: the function's payload
// with X-Amz-Executed-Version, X-Amz-Function-Error and X-Amz-Log-Result
// (base64), or an invocation error with x-amzn-ErrorType and a JSON body.
// Point an AWS SDK's or the AWS CLI's Lambda endpoint at a server running
// it. The Service checks no signatures: requests need not be signed
// unless Options.Authorize asks for it. Any other request is answered 404
// UnknownOperationException.
func (s *Service) Handler() http.Handler { return handler{s} }

type handler struct{ s *Service }

const (
	invokePrefix = "/2015-03-31/functions/"
	invokeSuffix = "/invocations"
)

func (h handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rest, ok1 := strings.CutPrefix(r.URL.EscapedPath(), invokePrefix)
	name, ok2 := strings.CutSuffix(rest, invokeSuffix)
	if !ok1 || !ok2 || name == "" || strings.Contains(name, "/") || r.Method != http.MethodPost {
		writeError(w, &InvokeError{StatusCode: http.StatusNotFound, Type: UnknownOperationException,
			Message: "Unknown operation " + r.Method + " " + r.URL.Path})
		return
	}
	name, err := url.PathUnescape(name)
	if err != nil {
		writeError(w, &InvokeError{StatusCode: http.StatusNotFound, Type: ResourceNotFoundException,
			Message: "Function not found: " + name})
		return
	}
	tooLarge := &InvokeError{StatusCode: http.StatusRequestEntityTooLarge, Type: RequestTooLargeException,
		Message: "Request must be smaller than 6291456 bytes for the InvokeFunction operation"}
	if r.ContentLength > MaxRequestSize {
		writeError(w, tooLarge)
		return
	}
	query := r.URL.Query()
	qualifier := query.Get("Qualifier")
	if h.s.authorize != nil {
		if ierr := h.s.authorize(r, h.s.resourceARN(name, qualifier)); ierr != nil {
			writeError(w, ierr)
			return
		}
	}
	if _, ok := query["Qualifier"]; ok && qualifier == "" {
		// An empty Qualifier is not an absent one: Lambda checks the
		// member's length (1 to 128) as for any other value.
		writeError(w, validationErrors([]string{violation(qualifier, "qualifier", "Member must have length greater than or equal to 1")}))
		return
	}
	if ierr := h.s.wouldThrottle(name, qualifier, InvocationType(r.Header.Get("X-Amz-Invocation-Type"))); ierr != nil {
		// Answered before the body is read: a flood of large requests to
		// a function at its concurrency limit costs no memory.
		writeError(w, ierr)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, MaxRequestSize+1))
	if err != nil {
		// The body ends early or its chunked framing is malformed. A
		// client that went away does not read this answer; one that
		// sent a broken body gets an error instead of an empty 200.
		writeError(w, &InvokeError{StatusCode: http.StatusBadRequest, Type: InvalidRequestContentException,
			Message: "Could not read request body"})
		return
	}
	if len(body) > MaxRequestSize {
		writeError(w, tooLarge)
		return
	}

	res, err := h.s.Invoke(r.Context(), InvokeRequest{
		FunctionName:   name,
		Qualifier:      qualifier,
		InvocationType: InvocationType(r.Header.Get("X-Amz-Invocation-Type")),
		LogType:        LogType(r.Header.Get("X-Amz-Log-Type")),
		ClientContext:  r.Header.Get("X-Amz-Client-Context"),
		TraceID:        r.Header.Get("X-Amzn-Trace-Id"),
		Payload:        body,
		PayloadOwned:   true, // read for this call alone
	})
	if err != nil {
		var ie *InvokeError
		if !errors.As(err, &ie) {
			if r.Context().Err() != nil {
				return // the client went away
			}
			ie = &InvokeError{StatusCode: http.StatusInternalServerError, Type: ServiceException, Message: err.Error()}
		}
		writeError(w, ie)
		return
	}

	hd := w.Header()
	hd.Set("X-Amzn-Requestid", res.RequestID)
	if res.StatusCode != http.StatusOK {
		w.WriteHeader(res.StatusCode) // 202 Event, 204 DryRun: no body
		return
	}
	hd.Set("Content-Type", "application/json")
	hd.Set("Content-Length", strconv.Itoa(len(res.Payload)))
	hd.Set("X-Amz-Executed-Version", res.ExecutedVersion)
	if res.FunctionError != "" {
		hd.Set("X-Amz-Function-Error", res.FunctionError)
	}
	if res.LogResult != "" {
		hd.Set("X-Amz-Log-Result", base64.StdEncoding.EncodeToString([]byte(res.LogResult)))
	}
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(res.Payload)
}

// writeError writes an invocation error as Lambda does.
func writeError(w http.ResponseWriter, e *InvokeError) {
	typ := "User"
	if e.StatusCode >= 500 {
		typ = "Service"
	}
	var body []byte
	if capitalMessage(e.Type) {
		body = mustJSON(struct {
			Type    string `json:"Type"`
			Message string `json:"Message"`
		}{typ, e.Message})
	} else {
		body = mustJSON(struct {
			Reason  string `json:"Reason,omitempty"`
			Type    string `json:"Type"`
			Message string `json:"message"`
		}{e.Reason, typ, e.Message})
	}
	hd := w.Header()
	// Set directly to keep AWS's spelling; Header.Set would canonicalise
	// it to X-Amzn-Errortype. Clients read header names either way.
	hd["x-amzn-ErrorType"] = []string{e.Type}
	hd.Set("X-Amzn-Requestid", newRequestID())
	hd.Set("Content-Type", "application/json")
	hd.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(e.StatusCode)
	_, _ = w.Write(body)
}

// capitalMessage reports whether Lambda names the message of error type
// typ "Message" in its JSON body, as its API model does for
// ResourceNotFoundException and ServiceException, and as users' logs show
// Lambda's AccessDeniedException; the other errors of Invoke name it
// "message".
func capitalMessage(typ string) bool {
	return typ == ResourceNotFoundException || typ == ServiceException || typ == AccessDeniedException
}
