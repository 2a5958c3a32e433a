package verify

import (
	"errors"
	"strings"
)

// Kinds of verification failure. An [*Error] matches its kind with
// errors.Is. Programs act on the kind; the Reason is for people.
var (
	ErrMalformed   = errors.New("verify: malformed token")
	ErrAlgorithm   = errors.New("verify: signing algorithm not allowed")
	ErrUnknownKey  = errors.New("verify: unknown signing key")
	ErrSignature   = errors.New("verify: invalid signature")
	ErrExpired     = errors.New("verify: token expired")
	ErrNotYetValid = errors.New("verify: token not valid yet")
	ErrIssuer      = errors.New("verify: invalid issuer")
	ErrAudience    = errors.New("verify: invalid audience")
	ErrTokenUse    = errors.New("verify: invalid token_use")
	ErrKeyFetch    = errors.New("verify: cannot fetch signing keys")
	ErrConfig      = errors.New("verify: invalid verifier configuration")
)

// Error is a token that failed verification.
type Error struct {
	// Kind is one of the Err* sentinels of this package.
	Kind error

	// Reason says why, in the style of API Gateway's error_description
	// ("the token does not have a valid audience"). It never holds
	// secrets, so it may be shown to the client.
	Reason string

	// Err is the underlying cause, if any, for the log.
	Err error
}

func (e *Error) Error() string {
	s := "verify: " + e.Reason
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the kind and the cause, so that errors.Is(err, ErrExpired)
// holds for an expired token.
func (e *Error) Unwrap() []error {
	if e.Err == nil {
		return []error{e.Kind}
	}
	return []error{e.Kind, e.Err}
}

// Challenge returns the value of the WWW-Authenticate header API Gateway
// sends with a 401 for this error, such as
//
//	Bearer scope="" error="invalid_token" error_description="the token has expired"
func (e *Error) Challenge() string {
	return `Bearer scope="" error="invalid_token" error_description="` + quoteSafe(e.Reason) + `"`
}

// quoteSafe keeps s within an RFC 7235 quoted-string: no quotes,
// backslashes or control characters.
func quoteSafe(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '"' || r == '\\' || r < 0x20 || r == 0x7f {
			return '\''
		}
		return r
	}, s)
}

func newError(kind error, reason string, cause error) *Error {
	return &Error{Kind: kind, Reason: reason, Err: cause}
}
