// Package awstest holds what the project's tests share to drive the
// emulators over the network with aws-sdk-go-v2 clients.
package awstest

import (
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
)

// Retryer returns a retryer for clients whose tests want every answer
// as it came, throttles and service errors included: one attempt, and a
// second, at once, only when the connection broke under the client.
//
// The exception is a race in the SDK's own transport, which a busy machine
// (or -race) makes visible: once the response arrives, the SDK closes the
// request's body, whose WriteTo then fails with io.EOF; net/http's writer,
// still draining the body, takes that for a failed write and closes the
// connection the response is being read from, and the call fails with "use
// of closed network connection" (aws/aws-sdk-go-v2#1825, #2737). The SDK's
// standard retryer retries that error; so does this one, and nothing else.
func Retryer() aws.Retryer {
	return retry.NewStandard(func(o *retry.StandardOptions) {
		o.MaxAttempts = 2
		o.Retryables = []retry.IsErrorRetryable{retry.RetryableConnectionError{}}
		o.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return 0, nil })
		o.RateLimiter = ratelimit.None
	})
}
