package faas_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"testing"

	"github.com/faasport/faasport/faas"
)

func TestKind(t *testing.T) {
	tests := []struct {
		name       string
		kind       faas.Kind
		wantString string
		wantStatus int
	}{
		{name: "Internal", kind: faas.Internal, wantString: "internal", wantStatus: http.StatusInternalServerError},
		{name: "Invalid", kind: faas.Invalid, wantString: "invalid", wantStatus: http.StatusBadRequest},
		{name: "Unauthenticated", kind: faas.Unauthenticated, wantString: "unauthenticated", wantStatus: http.StatusUnauthorized},
		{name: "Forbidden", kind: faas.Forbidden, wantString: "forbidden", wantStatus: http.StatusForbidden},
		{name: "NotFound", kind: faas.NotFound, wantString: "not_found", wantStatus: http.StatusNotFound},
		{name: "Conflict", kind: faas.Conflict, wantString: "conflict", wantStatus: http.StatusConflict},
		{name: "TooManyRequests", kind: faas.TooManyRequests, wantString: "too_many_requests", wantStatus: http.StatusTooManyRequests},
		{name: "Timeout", kind: faas.Timeout, wantString: "timeout", wantStatus: http.StatusGatewayTimeout},
		{name: "zero is Internal", kind: 0, wantString: "internal", wantStatus: http.StatusInternalServerError},
		{name: "negative", kind: -1, wantString: "Kind(-1)", wantStatus: http.StatusInternalServerError},
		{name: "past the last", kind: faas.Timeout + 1, wantString: "Kind(8)", wantStatus: http.StatusInternalServerError},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.kind.String(); got != tc.wantString {
				t.Errorf("Kind(%d).String() = %q, want %q", int(tc.kind), got, tc.wantString)
			}
			if got := tc.kind.HTTPStatus(); got != tc.wantStatus {
				t.Errorf("Kind(%d).HTTPStatus() = %d, want %d", int(tc.kind), got, tc.wantStatus)
			}
		})
	}
}

func TestKindForStatus(t *testing.T) {
	// Every kind survives the round trip through its status.
	for k := faas.Internal; k <= faas.Timeout; k++ {
		t.Run("round trip "+k.String(), func(t *testing.T) {
			if got := faas.KindForStatus(k.HTTPStatus()); got != k {
				t.Errorf("KindForStatus(%d) = %v, want %v", k.HTTPStatus(), got, k)
			}
		})
	}

	tests := []struct {
		name   string
		status int
		want   faas.Kind
	}{
		{name: "teapot", status: http.StatusTeapot, want: faas.Invalid},
		{name: "method not allowed", status: http.StatusMethodNotAllowed, want: faas.Invalid},
		{name: "unprocessable", status: http.StatusUnprocessableEntity, want: faas.Invalid},
		{name: "highest 4xx", status: 499, want: faas.Invalid},
		{name: "bad gateway", status: http.StatusBadGateway, want: faas.Internal},
		{name: "service unavailable", status: http.StatusServiceUnavailable, want: faas.Internal},
		{name: "ok", status: http.StatusOK, want: faas.Internal},
		{name: "redirect", status: http.StatusFound, want: faas.Internal},
		{name: "just under 4xx", status: 399, want: faas.Internal},
		{name: "zero", status: 0, want: faas.Internal},
		{name: "out of range", status: 600, want: faas.Internal},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := faas.KindForStatus(tc.status); got != tc.want {
				t.Errorf("KindForStatus(%d) = %v, want %v", tc.status, got, tc.want)
			}
		})
	}
}

func TestErrorf(t *testing.T) {
	tests := []struct {
		name     string
		err      error
		wantMsg  string
		wantKind faas.Kind
		wantErr  error   // the *Error's Err field
		wantIs   []error // errors.Is(err, target) for each
		wantNot  []error // !errors.Is(err, target) for each
	}{
		{
			name:     "no verb",
			err:      faas.Errorf(faas.NotFound, "pet %d not found", 7),
			wantMsg:  "pet 7 not found",
			wantKind: faas.NotFound,
		},
		{
			name:     "wrap",
			err:      faas.Errorf(faas.Conflict, "reserve pet: %w", fs.ErrExist),
			wantMsg:  "reserve pet: file already exists",
			wantKind: faas.Conflict,
			wantErr:  fs.ErrExist,
			wantIs:   []error{fs.ErrExist},
		},
		{
			name:     "v does not wrap",
			err:      faas.Errorf(faas.Invalid, "read body: %v", io.ErrUnexpectedEOF),
			wantMsg:  "read body: unexpected EOF",
			wantKind: faas.Invalid,
			wantNot:  []error{io.ErrUnexpectedEOF},
		},
		{
			name:     "wrap twice",
			err:      faas.Errorf(faas.Timeout, "query: %w (%w)", context.DeadlineExceeded, io.EOF),
			wantMsg:  "query: context deadline exceeded (EOF)",
			wantKind: faas.Timeout,
			wantIs:   []error{context.DeadlineExceeded, io.EOF},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var e *faas.Error
			if !errors.As(tc.err, &e) {
				t.Fatalf("Errorf = %T, want *faas.Error", tc.err)
			}
			if e.Message != tc.wantMsg || tc.err.Error() != tc.wantMsg {
				t.Errorf("Message = %q, Error() = %q, want %q", e.Message, tc.err.Error(), tc.wantMsg)
			}
			if e.Kind != tc.wantKind {
				t.Errorf("Kind = %v, want %v", e.Kind, tc.wantKind)
			}
			if tc.wantErr != nil && e.Err != tc.wantErr {
				t.Errorf("Err = %v, want %v", e.Err, tc.wantErr)
			}
			for _, target := range tc.wantIs {
				if !errors.Is(tc.err, target) {
					t.Errorf("errors.Is(%v, %v) = false, want true", tc.err, target)
				}
			}
			for _, target := range tc.wantNot {
				if errors.Is(tc.err, target) {
					t.Errorf("errors.Is(%v, %v) = true, want false", tc.err, target)
				}
			}
			if len(tc.wantIs) == 0 && e.Err != nil {
				t.Errorf("Err = %v, want nil", e.Err)
			}
		})
	}
}

func TestKindOf(t *testing.T) {
	notFound := &faas.Error{Kind: faas.NotFound, Message: "no such pet"}
	tests := []struct {
		name string
		err  error
		want faas.Kind
	}{
		{name: "nil", err: nil, want: -1},
		{name: "plain", err: errors.New("disk on fire"), want: faas.Internal},
		{name: "context deadline", err: context.DeadlineExceeded, want: faas.Internal},
		{name: "Error", err: notFound, want: faas.NotFound},
		{name: "zero Error", err: &faas.Error{}, want: faas.Internal},
		{name: "wrapped by fmt", err: fmt.Errorf("get pet: %w", notFound), want: faas.NotFound},
		{name: "wrapped twice", err: fmt.Errorf("handler: %w", fmt.Errorf("get pet: %w", notFound)), want: faas.NotFound},
		{name: "first in chain wins", err: faas.Errorf(faas.Forbidden, "guard: %w", notFound), want: faas.Forbidden},
		{name: "joined", err: errors.Join(io.EOF, notFound), want: faas.NotFound},
		{name: "Errorf", err: faas.Errorf(faas.TooManyRequests, "slow down"), want: faas.TooManyRequests},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := faas.KindOf(tc.err); got != tc.want {
				t.Errorf("KindOf(%v) = %v, want %v", tc.err, got, tc.want)
			}
		})
	}
}

func TestMessage(t *testing.T) {
	secret := errors.New("pq: password authentication failed for user admin")
	tests := []struct {
		name string
		err  error
		want string
	}{
		{name: "plain error hidden", err: secret, want: "Internal Server Error"},
		{name: "wrapped plain error hidden", err: fmt.Errorf("open db: %w", secret), want: "Internal Server Error"},
		{name: "Error message", err: &faas.Error{Kind: faas.NotFound, Message: "no such pet", Err: secret}, want: "no such pet"},
		{name: "Error without message", err: &faas.Error{Kind: faas.NotFound, Err: secret}, want: "Not Found"},
		{name: "internal Error without message", err: &faas.Error{Err: secret}, want: "Internal Server Error"},
		{
			name: "outer detail hidden",
			err:  fmt.Errorf("db %v: %w", secret, &faas.Error{Kind: faas.Conflict, Message: "pet already sold"}),
			want: "pet already sold",
		},
		{name: "Errorf", err: faas.Errorf(faas.Invalid, "name is required"), want: "name is required"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := faas.Message(tc.err); got != tc.want {
				t.Errorf("Message(%v) = %q, want %q", tc.err, got, tc.want)
			}
		})
	}
}

func TestErrorError(t *testing.T) {
	cause := errors.New("cause")
	tests := []struct {
		name string
		err  *faas.Error
		want string
	}{
		{name: "message", err: &faas.Error{Message: "msg", Err: cause}, want: "msg"},
		{name: "falls back to cause", err: &faas.Error{Err: cause}, want: "cause"},
		{name: "empty", err: &faas.Error{}, want: ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.err.Error(); got != tc.want {
				t.Errorf("Error() = %q, want %q", got, tc.want)
			}
			if got := tc.err.Unwrap(); got != tc.err.Err {
				t.Errorf("Unwrap() = %v, want %v", got, tc.err.Err)
			}
		})
	}
}
