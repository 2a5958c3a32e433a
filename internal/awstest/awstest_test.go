package awstest_test

import (
	"errors"
	"fmt"
	"net"
	"testing"

	"github.com/aws/smithy-go"

	"github.com/faasport/faasport/internal/awstest"
)

func TestRetryer(t *testing.T) {
	closed := &net.OpError{Op: "read", Net: "tcp", Err: net.ErrClosed}
	tests := []struct {
		name  string
		err   error
		retry bool
	}{
		{"the transport closed the connection", fmt.Errorf("deserialization failed, failed to decode response body, %w", closed), true},
		{"throttled", &smithy.GenericAPIError{Code: "ThrottlingException", Message: "Rate exceeded"}, false},
		{"too many requests", &smithy.GenericAPIError{Code: "TooManyRequestsException"}, false},
		{"a service error", &smithy.GenericAPIError{Code: "ConditionalCheckFailedException"}, false},
		{"some other error", errors.New("boom"), false},
	}
	r := awstest.Retryer()
	if got := r.MaxAttempts(); got != 2 {
		t.Errorf("MaxAttempts() = %d, want 2", got)
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := r.IsErrorRetryable(tc.err); got != tc.retry {
				t.Errorf("IsErrorRetryable(%v) = %v, want %v", tc.err, got, tc.retry)
			}
			if tc.retry {
				if d, err := r.RetryDelay(1, tc.err); d != 0 || err != nil {
					t.Errorf("RetryDelay = %v, %v; want no delay", d, err)
				}
			}
		})
	}
}
