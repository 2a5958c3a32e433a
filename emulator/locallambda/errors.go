package locallambda

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"runtime"
	"strings"

	"github.com/aws/aws-lambda-go/lambda/messages"
)

// InvokeError is an invocation error: the request failed before or
// instead of running the function. It corresponds to the Invoke API's
// error responses, with the same status codes and error types.
type InvokeError struct {
	StatusCode int    // HTTP status, such as 429
	Type       string // AWS's error type, such as "TooManyRequestsException"
	Message    string // AWS's message
	Reason     string // for TooManyRequestsException, why it was throttled
}

func (e *InvokeError) Error() string {
	s := "locallambda: " + e.Type + ": " + e.Message
	if e.Reason != "" {
		s += " (" + e.Reason + ")"
	}
	return s
}

// Values of [InvokeError.Type].
const (
	ResourceNotFoundException      = "ResourceNotFoundException"      // 404: no such function or qualifier
	RequestTooLargeException       = "RequestTooLargeException"       // 413: payload over MaxRequestSize
	RequestEntityTooLargeException = "RequestEntityTooLargeException" // 413: Event payload over MaxEventSize
	TooManyRequestsException       = "TooManyRequestsException"       // 429: throttled
	InvalidRequestContentException = "InvalidRequestContentException" // 400: payload or client context not JSON
	InvalidParameterValueException = "InvalidParameterValueException" // 400: conflicting qualifiers
	ValidationException            = "ValidationException"            // 400: unknown invocation or log type, malformed name or qualifier
	ServiceException               = "ServiceException"               // 500: the service failed or is closed
	UnknownOperationException      = "UnknownOperationException"      // 404: the HTTP API has no such operation
	AccessDeniedException          = "AccessDeniedException"          // 403: Options.Authorize refused the caller
)

// Values of [InvokeError.Reason] for TooManyRequestsException.
const (
	ReasonReservedFunctionConcurrency = "ReservedFunctionConcurrentInvocationLimitExceeded"
	ReasonConcurrentInvocationLimit   = "ConcurrentInvocationLimitExceeded"
)

// throttled returns the TooManyRequestsException for reason. "Rate
// Exceeded." is the message Lambda sends with concurrency throttles.
func throttled(reason string) *InvokeError {
	return &InvokeError{StatusCode: 429, Type: TooManyRequestsException, Message: "Rate Exceeded.", Reason: reason}
}

// errorPayload is the body of a function error, as aws-lambda-go writes it
// (lambda/messages.InvokeResponse_Error).
type errorPayload struct {
	Message    string       `json:"errorMessage"`
	Type       string       `json:"errorType"`
	StackTrace []stackFrame `json:"stackTrace,omitempty"`
}

type stackFrame struct {
	Path  string `json:"path"`
	Line  int32  `json:"line"`
	Label string `json:"label"`
}

// platformError is the body of an error Lambda itself reports (timeouts),
// whose fields come in this order.
type platformError struct {
	Type    string `json:"errorType"`
	Message string `json:"errorMessage"`
}

// responseTooLarge is Lambda's payload for a response over MaxResponseSize.
var responseTooLarge = []byte(`{"errorMessage":"Response payload size exceeded maximum allowed payload size (6291556 bytes).","errorType":"Function.ResponseSizeTooLarge"}`)

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // only strings and numbers: cannot fail
	}
	return b
}

// typeName is the error type aws-lambda-go reports for v: the name of its
// type, without package or pointer (lambda/errors.go getErrorType).
func typeName(v any) string {
	t := reflect.TypeOf(v)
	if t == nil {
		return ""
	}
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t.Name()
}

// A PayloadError is an error whose payload is already formatted: a
// function (or an init function) that returns one fails with Payload as
// its error payload, byte for byte, instead of the
// {"errorMessage","errorType"} Invoke makes of other errors. Functions
// that relay another runtime's errors, such as those of [Process], return
// it.
type PayloadError struct {
	Payload []byte // the error payload, as the caller receives it
}

func (e *PayloadError) Error() string {
	var p errorPayload
	if json.Unmarshal(e.Payload, &p) == nil && p.Type != "" {
		return "locallambda: " + p.Type + ": " + p.Message
	}
	return "locallambda: function error: " + string(e.Payload)
}

// errorResponse is the payload of a returned error. An aws-lambda-go
// messages.InvokeResponse_Error, the way a Go function sets its own
// errorType, is its own payload, as aws-lambda-go sends it
// (lambda/errors.go lambdaErrorResponse).
func errorResponse(err error) []byte {
	var pe *PayloadError
	if errors.As(err, &pe) {
		return pe.Payload
	}
	if ive, ok := err.(messages.InvokeResponse_Error); ok {
		return mustJSON(ive)
	}
	return mustJSON(errorPayload{Message: err.Error(), Type: typeName(err)})
}

// panicResponse is the payload of a panic with value v, stack being the
// frames of the panicking goroutine (lambda/panic.go); a panic with a
// messages.InvokeResponse_Error sends it as it is, without a stack.
func panicResponse(v any, stack []stackFrame) []byte {
	if ive, ok := v.(messages.InvokeResponse_Error); ok {
		return mustJSON(ive)
	}
	return mustJSON(errorPayload{Message: fmt.Sprintf("%v", v), Type: typeName(v), StackTrace: stack})
}

const pkgPath = "github.com/faasport/faasport/emulator/locallambda."

// panicStack returns the stack of a panicking goroutine, from runtime's
// gopanic down to the function the emulator called, as aws-lambda-go
// formats it. It must be called directly by the deferred function that
// recovered.
func panicStack() []stackFrame {
	var pcs [32]uintptr
	n := runtime.Callers(3, pcs[:]) // runtime.Callers, panicStack, the deferred function
	frames := runtime.CallersFrames(pcs[:n])
	var out []stackFrame
	for {
		fr, more := frames.Next()
		if strings.HasPrefix(fr.Function, pkgPath) {
			break // the emulator's own frames: not the function's business
		}
		out = append(out, formatFrame(fr))
		if !more {
			break
		}
	}
	if out == nil {
		out = []stackFrame{}
	}
	return out
}

// formatFrame shortens a frame as aws-lambda-go does: the path keeps as
// many trailing elements as the package path has, plus the file; the
// label drops the package.
func formatFrame(fr runtime.Frame) stackFrame {
	path, label := fr.File, fr.Function
	i := len(path)
	for n, g := 0, strings.Count(label, "/")+2; n < g; n++ {
		i = strings.LastIndex(path[:i], "/")
		if i == -1 {
			break
		}
	}
	path = path[i+1:]
	label = label[strings.LastIndex(label, "/")+1:]
	label = label[strings.Index(label, ".")+1:]
	return stackFrame{Path: path, Line: int32(fr.Line), Label: label}
}
