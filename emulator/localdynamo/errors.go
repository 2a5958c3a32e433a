package localdynamo

import (
	"errors"
	"fmt"
	"net/http"
)

// Error codes the store answers with, as DynamoDB names them.
const (
	codeValidation          = "ValidationException"
	codeConditionalCheck    = "ConditionalCheckFailedException"
	codeResourceNotFound    = "ResourceNotFoundException"
	codeResourceInUse       = "ResourceInUseException"
	codeLimitExceeded       = "LimitExceededException"
	codeTransactionCanceled = "TransactionCanceledException"
	codeTransactionConflict = "TransactionConflictException"
	codeIdempotentMismatch  = "IdempotentParameterMismatchException"
	codeAccessDenied        = "AccessDeniedException"
	codeUnknownOperation    = "UnknownOperationException"
	codeSerialization       = "SerializationException"
	codeInternal            = "InternalServerError"
)

// apiError is an error in DynamoDB's wire shape. The message is the one the
// client sees; internal causes are logged, never sent.
type apiError struct {
	code    string
	message string
	status  int
	item    attrMap              // ConditionalCheckFailedException with ALL_OLD
	reasons []cancellationReason // TransactionCanceledException
	// action marks a ValidationException about one member of a
	// transaction that DynamoDB reports as that member's cancellation
	// reason (ValidationError) rather than refusing the request.
	action bool
}

type cancellationReason struct {
	Code    string  `json:"Code"`
	Message string  `json:"Message,omitempty"`
	Item    attrMap `json:"Item,omitempty"`
}

func (e *apiError) Error() string { return e.code + ": " + e.message }

// typeName is the __type DynamoDB puts on the wire: validation and service
// framework errors come from the Coral namespaces, the rest from the
// DynamoDB service namespace.
func (e *apiError) typeName() string {
	switch e.code {
	case codeValidation:
		return "com.amazon.coral.validate#" + e.code
	case codeAccessDenied, codeUnknownOperation, codeSerialization, "MissingAuthenticationTokenException":
		return "com.amazon.coral.service#" + e.code
	}
	return "com.amazonaws.dynamodb.v20120810#" + e.code
}

// messageKey is the member name of the message: most DynamoDB errors model
// it as "message", a few as "Message" (see the SDK's error schemas), and
// the Coral framework's SerializationException has "Message" too
// (rusoto/rusoto#658, scylladb/scylladb#6487 and boto/boto#744 quote it).
func (e *apiError) messageKey() string {
	switch e.code {
	case codeTransactionCanceled, codeIdempotentMismatch, "TransactionInProgressException", codeSerialization:
		return "Message"
	}
	return "message"
}

func newError(code string, status int, format string, args ...any) *apiError {
	msg := format
	if len(args) > 0 {
		msg = fmt.Sprintf(format, args...)
	}
	return &apiError{code: code, message: msg, status: status}
}

func validationf(format string, args ...any) *apiError {
	return newError(codeValidation, http.StatusBadRequest, format, args...)
}

// actionError marks e as an action error (see apiError.action).
func actionError(e *apiError) *apiError {
	e.action = true
	return e
}

// isActionError reports whether err is an action error, and its message.
func isActionError(err error) (string, bool) {
	var ae *apiError
	if errors.As(err, &ae) && ae.action {
		return ae.message, true
	}
	return "", false
}

func notFound(format string, args ...any) *apiError {
	return newError(codeResourceNotFound, http.StatusBadRequest, format, args...)
}

var errNoTable = func() *apiError { return notFound("Requested resource not found") }

func conditionFailed(item attrMap) *apiError {
	e := newError(codeConditionalCheck, http.StatusBadRequest, "The conditional request failed")
	e.item = item
	return e
}

func internalError(err error) *apiError {
	e := newError(codeInternal, http.StatusInternalServerError, "Internal server error")
	e.reasons = nil
	_ = err
	return e
}

// asAPIError turns any error into the shape sent to clients.
func asAPIError(err error) *apiError {
	var ae *apiError
	if errors.As(err, &ae) {
		return ae
	}
	return internalError(err)
}
