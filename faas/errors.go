package faas

import (
	"errors"
	"fmt"
	"net/http"
)

// Kind classifies an error by what the caller should do about it. Kinds map
// one-to-one to HTTP statuses, so that a monolith and its functions answer
// the same failure alike. Programs should act on an error's Kind, not on
// its message.
type Kind int

// The kinds of error. The zero Kind is Internal.
const (
	Internal        Kind = iota // 500: a fault of the service
	Invalid                     // 400: the request is malformed or its values are unacceptable
	Unauthenticated             // 401: the caller must sign in
	Forbidden                   // 403: the caller may not do this
	NotFound                    // 404: no such resource
	Conflict                    // 409: the state of the resource forbids it (out of stock, already exists)
	TooManyRequests             // 429: throttled; retry later
	Timeout                     // 504: the work did not finish in time
)

var kindInfo = [...]struct {
	name   string
	status int
}{
	Internal:        {"internal", http.StatusInternalServerError},
	Invalid:         {"invalid", http.StatusBadRequest},
	Unauthenticated: {"unauthenticated", http.StatusUnauthorized},
	Forbidden:       {"forbidden", http.StatusForbidden},
	NotFound:        {"not_found", http.StatusNotFound},
	Conflict:        {"conflict", http.StatusConflict},
	TooManyRequests: {"too_many_requests", http.StatusTooManyRequests},
	Timeout:         {"timeout", http.StatusGatewayTimeout},
}

// String returns the kind's stable name, such as "not_found".
func (k Kind) String() string {
	if k < 0 || int(k) >= len(kindInfo) {
		return fmt.Sprintf("Kind(%d)", int(k))
	}
	return kindInfo[k].name
}

// HTTPStatus returns the HTTP status code of k. Unknown kinds are 500.
func (k Kind) HTTPStatus() int {
	if k < 0 || int(k) >= len(kindInfo) {
		return http.StatusInternalServerError
	}
	return kindInfo[k].status
}

// KindForStatus returns the Kind whose HTTPStatus is status. Other 4xx
// statuses are Invalid; everything else is Internal.
func KindForStatus(status int) Kind {
	for k := range kindInfo {
		if kindInfo[k].status == status {
			return Kind(k)
		}
	}
	if status >= 400 && status < 500 {
		return Invalid
	}
	return Internal
}

// Error is an error with a Kind. Message is meant for the caller; Err, the
// cause, is meant for the log and is not shown to clients.
type Error struct {
	Kind    Kind
	Message string
	Err     error
}

func (e *Error) Error() string {
	if e.Message == "" && e.Err != nil {
		return e.Err.Error()
	}
	return e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error of the given kind whose Message is formatted
// from format and args, as fmt.Errorf formats it; a %w verb also sets Err,
// so that errors.Is and errors.As see the wrapped error.
func Errorf(kind Kind, format string, args ...any) error {
	err := fmt.Errorf(format, args...)
	e := &Error{Kind: kind, Message: err.Error()}
	if u := errors.Unwrap(err); u != nil {
		e.Err = u
	} else if _, ok := err.(interface{ Unwrap() []error }); ok {
		// Several %w verbs: errors.Unwrap sees none of them, so keep the
		// formatted error, whose Unwrap() []error reaches them all.
		e.Err = err
	}
	return e
}

// KindOf returns the Kind of the first *Error in err's chain. A nil error
// has no kind and yields -1; any other error is Internal.
func KindOf(err error) Kind {
	if err == nil {
		return -1
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return Internal
}

// Message returns the caller-facing message of err: the Message of the
// first *Error in its chain, or the status text of Internal for any other
// error, so that internal detail never reaches a client.
func Message(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Message != "" {
		return e.Message
	}
	return http.StatusText(KindOf(err).HTTPStatus())
}
