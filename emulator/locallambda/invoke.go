package locallambda

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// InvocationType is how a function is invoked, as in the Invoke API's
// X-Amz-Invocation-Type header.
type InvocationType string

// The invocation types.
const (
	RequestResponse InvocationType = "RequestResponse" // synchronous: wait for the result (200)
	Event           InvocationType = "Event"           // asynchronous: queue and return at once (202)
	DryRun          InvocationType = "DryRun"          // check the request and return (204)
)

// LogType says whether to return the invocation's log, as in the Invoke
// API's X-Amz-Log-Type header.
type LogType string

// The log types.
const (
	LogNone LogType = "None"
	LogTail LogType = "Tail" // return the last 4 KB of the log in InvokeResult.LogResult
)

// Limits of the Invoke API.
const (
	// MaxRequestSize is the largest synchronous request payload, in bytes.
	MaxRequestSize = 6291456
	// MaxResponseSize is the largest response payload, in bytes. Lambda's
	// error message names this number, 100 bytes more than MaxRequestSize.
	MaxResponseSize = 6291556
	// MaxEventSize is the largest asynchronous (Event) payload, in bytes.
	MaxEventSize = 1 << 20
	// MaxClientContextSize is the largest base64 ClientContext, in bytes.
	MaxClientContextSize = 3583
	// LogTailSize is how many bytes of log LogTail returns.
	LogTailSize = 4096
)

// InvokeRequest is a request to invoke a function: the parameters of the
// Invoke API.
type InvokeRequest struct {
	// FunctionName is the function's name ("my-function"), name with a
	// qualifier ("my-function:$LATEST"), full ARN
	// ("arn:aws:lambda:us-east-1:123456789012:function:my-function") or
	// partial ARN ("123456789012:function:my-function").
	FunctionName string

	// Qualifier is "" or "$LATEST", the only version the emulator has.
	Qualifier string

	// InvocationType is RequestResponse when empty.
	InvocationType InvocationType

	// LogType is LogNone when empty.
	LogType LogType

	// ClientContext is base64-encoded JSON, as the Invoke API takes it.
	ClientContext string

	// TraceID is the caller's X-Ray trace header (X-Amzn-Trace-Id), such
	// as a gateway's: the invocation's trace continues its Root. Empty, or
	// without a Root, means a fresh trace.
	TraceID string

	// Payload is the event, which must be JSON. Invoke does not modify it
	// and, except for Event invocations (whose payload it copies), passes
	// it to the function as is.
	Payload []byte

	// PayloadIsJSON is for callers in the same process that built Payload
	// as JSON themselves, such as the API gateway emulator with
	// adapter.NewEvent: it tells Invoke not to check Payload again, which
	// costs a pass over it on every call. Invoke trusts it: a payload that
	// is not JSON reaches the function. Callers passing on payloads they
	// did not build (the HTTP API) leave it false.
	PayloadIsJSON bool

	// Timeout, when positive, bounds how long a synchronous invocation's
	// caller waits, by the Service's clock (see [Service.Clock]): when it
	// passes before the invocation ends, Invoke returns
	// context.DeadlineExceeded and the function, as on Lambda, runs on. It
	// is what a deadline on ctx does, at a fraction of the cost of a
	// context with a timer for callers that invoke on every request, such
	// as the API gateway emulator with its integration timeout. A Timeout
	// no shorter than the function's never passes first: the function's
	// timeout ends the call, with Lambda's timeout error.
	Timeout time.Duration

	// PayloadOwned tells Invoke that the caller hands Payload over: nobody
	// writes to it again. The function may then keep parts of it without
	// copying them: Invoke tells it so with adapter.WithStablePayload, and
	// an adapter.Handler shares the payload's memory instead of copying
	// it. Callers that reuse their buffer leave it false. (Event
	// invocations copy their payload, which is then owned anyway.)
	PayloadOwned bool
}

// InvokeResult is the result of an invocation. Function errors are
// results, not errors: FunctionError is set and Payload holds the error.
type InvokeResult struct {
	// StatusCode is 200 for RequestResponse, 202 for Event and 204 for
	// DryRun.
	StatusCode int

	// Payload is what the function returned, or the error payload
	// ({"errorMessage","errorType"[,"stackTrace"]}) when FunctionError is
	// set. Empty for Event and DryRun.
	Payload []byte

	// FunctionError is "Unhandled" when the function failed: it returned
	// an error, panicked, timed out, failed to initialise or returned a
	// payload over MaxResponseSize. Empty otherwise.
	FunctionError string

	// LogResult is the last LogTailSize bytes of the invocation's log when
	// LogType was LogTail. It is plain text; the HTTP API base64-encodes it.
	LogResult string

	// ExecutedVersion is "$LATEST" for RequestResponse invocations.
	ExecutedVersion string

	// RequestID is the invocation's request id.
	RequestID string
}

// FunctionErrorUnhandled is the value of InvokeResult.FunctionError for a
// failed invocation.
const FunctionErrorUnhandled = "Unhandled"

// Invoke runs a function as Lambda's Invoke API does. Function errors are
// reported in the result; Invoke returns an error only for invocation
// errors (an [*InvokeError]: unknown function, throttling, oversize or
// malformed request) or when ctx is done (or req.Timeout passes) before a
// synchronous invocation ends, in which case it returns ctx.Err() (or
// context.DeadlineExceeded) and the function, as on Lambda, runs on to its
// end. It then returns beside the error a result holding only the
// invocation's RequestID, so that the caller's log can name the
// invocation whose START and REPORT lines are still to come.
func (s *Service) Invoke(ctx context.Context, req InvokeRequest) (*InvokeResult, error) {
	if s.closed.Load() {
		return nil, &InvokeError{StatusCode: 500, Type: ServiceException, Message: ErrClosed.Error()}
	}
	typ := req.InvocationType
	switch typ {
	case "":
		typ = RequestResponse
	case RequestResponse, Event, DryRun:
	default:
		return nil, validationError(string(typ), "invocationType", "[Event, RequestResponse, DryRun]")
	}
	tail := false
	switch req.LogType {
	case "", LogNone:
	case LogTail:
		tail = true
	default:
		return nil, validationError(string(req.LogType), "logType", "[None, Tail]")
	}
	if len(req.Payload) > MaxRequestSize {
		return nil, &InvokeError{StatusCode: 413, Type: RequestTooLargeException,
			Message: "Request must be smaller than 6291456 bytes for the InvokeFunction operation"}
	}
	f, qualifier, ierr := s.lookup(req.FunctionName, req.Qualifier)
	if ierr != nil {
		return nil, ierr
	}
	if typ == DryRun {
		return &InvokeResult{StatusCode: 204, RequestID: newRequestID()}, nil
	}
	payload := req.Payload
	if len(payload) == 0 {
		payload = []byte("{}")
	} else if !req.PayloadIsJSON && !json.Valid(payload) {
		// AWS's message continues with its JSON parser's complaint, which
		// differs from Go's.
		return nil, &InvokeError{StatusCode: 400, Type: InvalidRequestContentException,
			Message: "Could not parse request body into json: Could not parse payload into json: invalid JSON"}
	}
	var clientCtx []byte
	if req.ClientContext != "" {
		cc, ierr := decodeClientContext(req.ClientContext)
		if ierr != nil {
			return nil, ierr
		}
		clientCtx = cc
	}
	arn := f.arn
	if qualifier != "" {
		arn = s.arn(f.name, qualifier)
	}
	if typ == Event {
		// Lambda passes a client context to synchronous invocations only.
		return s.invokeEvent(f, arn, payload, req.TraceID)
	}
	if ierr := s.acquire(f); ierr != nil {
		return nil, ierr
	}
	c := s.start(f, arn, newRequestID(), payload, req.PayloadOwned, tail, clientCtx, req.TraceID)
	return c.wait(ctx, req.Timeout)
}

// lookup resolves a function name in any of its forms, and its qualifier.
func (s *Service) lookup(name, qualifier string) (*function, string, *InvokeError) {
	if r := s.otherRegion(name); r != "" {
		return nil, "", &InvokeError{StatusCode: 404, Type: ResourceNotFoundException,
			Message: "Functions from '" + r + "' are not reachable in this region ('" + s.region + "')"}
	}
	explicit := qualifier
	fname, derived, ok := s.parseName(name)
	if derived != "" {
		if qualifier != "" && qualifier != derived {
			return nil, "", &InvokeError{StatusCode: 400, Type: InvalidParameterValueException,
				Message: "The derived qualifier from the function name does not match the specified qualifier."}
		}
		qualifier = derived
	}
	notFound := func() (*function, string, *InvokeError) {
		if ierr := checkNames(name, explicit); ierr != nil {
			return nil, "", ierr
		}
		what := name // a malformed name, or an ARN of another region or account
		if ok {
			what = s.arn(fname, qualifier)
		}
		return nil, "", &InvokeError{StatusCode: 404, Type: ResourceNotFoundException,
			Message: "Function not found: " + what}
	}
	if !ok || (qualifier != "" && qualifier != "$LATEST") {
		return notFound()
	}
	f := (*s.funcs.Load())[fname]
	if f == nil {
		return notFound()
	}
	return f, qualifier, nil
}

// otherRegion returns the region of name when it is a function ARN of
// another region than the Service's, which Lambda refuses before looking
// further, or "".
func (s *Service) otherRegion(name string) string {
	if !strings.HasPrefix(name, "arn:") {
		return ""
	}
	parts := strings.Split(name, ":")
	if len(parts) < 7 || len(parts) > 8 || parts[2] != "lambda" || parts[5] != "function" ||
		parts[3] == "" || parts[3] == s.region {
		return ""
	}
	return parts[3]
}

// parseName splits a function name, partial ARN or ARN into the name and
// the qualifier it carries. ok is false for an ARN of another region or
// account, or a malformed name.
func (s *Service) parseName(name string) (fname, qualifier string, ok bool) {
	if !strings.Contains(name, ":") {
		return name, "", name != "" // the common case, without splitting
	}
	parts := strings.Split(name, ":")
	switch {
	case len(parts) == 1:
		return parts[0], "", parts[0] != ""
	case len(parts) == 2 && parts[0] != "arn":
		return parts[0], parts[1], parts[0] != "" && parts[1] != ""
	case parts[0] == "arn":
		// arn:aws:lambda:region:account:function:name[:qualifier]
		if len(parts) < 7 || len(parts) > 8 || parts[2] != "lambda" || parts[5] != "function" {
			return "", "", false
		}
		if len(parts) == 8 {
			qualifier = parts[7]
		}
		return parts[6], qualifier, parts[3] == s.region && parts[4] == s.account && parts[6] != ""
	case parts[1] == "function":
		// account:function:name[:qualifier]
		if len(parts) > 4 {
			return "", "", false
		}
		if len(parts) == 4 {
			qualifier = parts[3]
		}
		return parts[2], qualifier, parts[0] == s.account && parts[2] != ""
	}
	return "", "", false
}

// decodeClientContext returns the JSON object the base64 client context
// cc holds, or the error Lambda answers when it holds none.
func decodeClientContext(cc string) ([]byte, *InvokeError) {
	if len(cc) > MaxClientContextSize {
		return nil, &InvokeError{StatusCode: 400, Type: InvalidRequestContentException,
			Message: "Client context must be at most " + strconv.Itoa(MaxClientContextSize) + " bytes of base64-encoded data."}
	}
	b, err := base64.StdEncoding.DecodeString(cc)
	var obj map[string]any
	if err != nil || json.Unmarshal(b, &obj) != nil || obj == nil { // null is not an object
		return nil, &InvokeError{StatusCode: 400, Type: InvalidRequestContentException,
			Message: "Client context must be a valid Base64-encoded JSON object."}
	}
	var compact bytes.Buffer
	_ = json.Compact(&compact, b) // valid: it decoded
	return compact.Bytes(), nil
}

// validationError is the error AWS's request validation returns for a
// value outside an enum.
func validationError(value, member, set string) *InvokeError {
	return validationErrors([]string{violation(value, member, "Member must satisfy enum value set: "+set)})
}

// The Invoke API's constraints on FunctionName and Qualifier. The name's
// pattern is the one AWS's ValidationException quotes, which admits the
// ISO partitions' regions (us-iso-east-1), unlike the API reference's.
const (
	functionNamePattern = `(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d{1}:)?(\d{12}:)?(function:)?([a-zA-Z0-9-_\.]+)(:(\$LATEST|[a-zA-Z0-9-_]+))?`
	functionNameMax     = 170
	qualifierPattern    = `(|[a-zA-Z0-9$_-]+)`
	qualifierMax        = 128
)

var (
	functionNameRE = regexp.MustCompile(`^(?:` + functionNamePattern + `)$`)
	qualifierRE    = regexp.MustCompile(`^(?:` + qualifierPattern + `)$`)
)

// checkNames returns the ValidationException AWS answers for a function
// name or qualifier outside the API's constraints, or nil. It runs only
// for names that found no function: a registered function's name always
// satisfies them.
func checkNames(name, qualifier string) *InvokeError {
	var v []string
	switch {
	case name == "":
		v = append(v, violation(name, "functionName", "Member must have length greater than or equal to 1"))
	case len(name) > functionNameMax:
		v = append(v, violation(name, "functionName", "Member must have length less than or equal to "+strconv.Itoa(functionNameMax)))
	case !functionNameRE.MatchString(name):
		v = append(v, violation(name, "functionName", "Member must satisfy regular expression pattern: "+functionNamePattern))
	}
	switch {
	case len(qualifier) > qualifierMax:
		v = append(v, violation(qualifier, "qualifier", "Member must have length less than or equal to "+strconv.Itoa(qualifierMax)))
	case !qualifierRE.MatchString(qualifier):
		v = append(v, violation(qualifier, "qualifier", "Member must satisfy regular expression pattern: "+qualifierPattern))
	}
	if v == nil {
		return nil
	}
	return validationErrors(v)
}

// violation is one constraint violation in a validation error's message.
func violation(value, member, constraint string) string {
	return "Value '" + value + "' at '" + member + "' failed to satisfy constraint: " + constraint
}

// validationErrors is AWS's ValidationException listing violations.
func validationErrors(v []string) *InvokeError {
	n := "1 validation error"
	if len(v) > 1 {
		n = strconv.Itoa(len(v)) + " validation errors"
	}
	return &InvokeError{StatusCode: 400, Type: ValidationException,
		Message: n + " detected: " + strings.Join(v, "; ")}
}
