// Package faas is faasport's portable function model: what a function is,
// how it is configured, what it knows about the invocation it serves, and
// the kinds of error it may answer with.
//
// A function is any value with the method
//
//	Invoke(ctx context.Context, payload []byte) ([]byte, error)
//
// which is the method set of aws-lambda-go's lambda.Handler. The same value
// can therefore be started on AWS Lambda with lambda.Start and registered in
// faasport's emulator, without this package importing anything from AWS.
//
// Package faas uses the standard library only. Packages that speak a
// particular platform's protocol (package adapter for HTTP events, the
// emulator for the Lambda runtime) build on it.
package faas

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Function is a unit of code invoked with a payload. Its method set matches
// aws-lambda-go's lambda.Handler.
//
// Invoke must be safe for concurrent use when the function is configured
// with more than one concurrent execution environment.
type Function interface {
	Invoke(ctx context.Context, payload []byte) ([]byte, error)
}

// The FunctionFunc type is an adapter to allow the use of ordinary functions
// as faas functions. If f is a function with the appropriate signature,
// FunctionFunc(f) is a [Function] that calls f.
type FunctionFunc func(ctx context.Context, payload []byte) ([]byte, error)

// Invoke calls f(ctx, payload).
func (f FunctionFunc) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	return f(ctx, payload)
}

var _ Function = FunctionFunc(nil)

// JSON returns a [Function] that decodes its payload as JSON into an In,
// calls fn, and encodes the Out it returns as JSON.
//
// A payload that does not decode is an error of kind [Invalid]; an error
// returned by fn is passed through unchanged.
func JSON[In, Out any](fn func(ctx context.Context, in In) (Out, error)) Function {
	return FunctionFunc(func(ctx context.Context, payload []byte) ([]byte, error) {
		var in In
		if err := json.Unmarshal(payload, &in); err != nil {
			return nil, &Error{Kind: Invalid, Message: "faas: cannot decode payload", Err: err}
		}
		out, err := fn(ctx, in)
		if err != nil {
			return nil, err
		}
		b, err := json.Marshal(out)
		if err != nil {
			return nil, &Error{Kind: Internal, Message: "faas: cannot encode result", Err: err}
		}
		return b, nil
	})
}

// Defaults and limits of [Config], as AWS Lambda documents them.
const (
	DefaultTimeout    = 3 * time.Second
	MaxTimeout        = 900 * time.Second
	DefaultMemoryMB   = 128
	MinMemoryMB       = 128
	MaxMemoryMB       = 10240
	MaxEnvironmentLen = 4096 // total bytes of environment keys and values
)

// Config is a function's configuration. Its zero value, given a Name, is
// valid and means Lambda's defaults.
type Config struct {
	// Name is the function's name: 1 to 64 letters, digits, hyphens or
	// underscores.
	Name string

	// Timeout bounds each invocation. Zero means DefaultTimeout (3 s).
	Timeout time.Duration

	// MemoryMB is the memory size in MB. Zero means DefaultMemoryMB.
	MemoryMB int

	// ReservedConcurrency, when non-nil, caps the function's concurrent
	// executions and reserves them from the account's pool. A reservation
	// of 0 stops every invocation (throttled), as on AWS.
	ReservedConcurrency *int

	// Environment holds the function's environment variables.
	Environment map[string]string
}

// Effective returns c with defaults filled in.
func (c Config) Effective() Config {
	if c.Timeout == 0 {
		c.Timeout = DefaultTimeout
	}
	if c.MemoryMB == 0 {
		c.MemoryMB = DefaultMemoryMB
	}
	return c
}

// Validate reports the first setting of c that AWS Lambda would refuse:
// a name that is not 1 to 64 letters, digits, hyphens or underscores; a
// timeout or memory size out of range; a negative reserved concurrency;
// an environment variable whose name is reserved by Lambda or does not
// match [a-zA-Z]([a-zA-Z0-9_])+ (a letter, then at least one letter,
// digit or underscore); or an environment over MaxEnvironmentLen bytes.
func (c Config) Validate() error {
	if n := len(c.Name); n == 0 || n > 64 {
		return Errorf(Invalid, "faas: function name %q must be 1 to 64 characters", c.Name)
	}
	for _, r := range c.Name {
		if !(r == '-' || r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return Errorf(Invalid, "faas: function name %q may hold only letters, digits, hyphens and underscores", c.Name)
		}
	}
	e := c.Effective()
	if e.Timeout < time.Second || e.Timeout > MaxTimeout {
		return Errorf(Invalid, "faas: function %s: timeout %v outside 1s to %v", c.Name, e.Timeout, MaxTimeout)
	}
	if e.MemoryMB < MinMemoryMB || e.MemoryMB > MaxMemoryMB {
		return Errorf(Invalid, "faas: function %s: memory %d MB outside %d to %d MB", c.Name, e.MemoryMB, MinMemoryMB, MaxMemoryMB)
	}
	if c.ReservedConcurrency != nil && *c.ReservedConcurrency < 0 {
		return Errorf(Invalid, "faas: function %s: reserved concurrency %d is negative", c.Name, *c.ReservedConcurrency)
	}
	keys := make([]string, 0, len(c.Environment))
	size := 0
	for k, v := range c.Environment {
		keys = append(keys, k)
		size += len(k) + len(v)
	}
	// As Lambda does, check the names' form before what they mean: _HANDLER
	// is refused for its leading underscore. Sorted, so that the first
	// error is the same every time.
	slices.Sort(keys)
	for _, k := range keys {
		if k == "" {
			return Errorf(Invalid, "faas: function %s: empty environment variable name", c.Name)
		}
		if !validEnvironmentKey(k) {
			return Errorf(Invalid, "faas: function %s: environment variable name %q must satisfy regular expression pattern: [a-zA-Z]([a-zA-Z0-9_])+", c.Name, k)
		}
	}
	var reserved []string
	for _, k := range keys {
		if reservedEnvironment[k] {
			reserved = append(reserved, k)
		}
	}
	if len(reserved) > 0 {
		return Errorf(Invalid, "faas: function %s: environment variables hold keys Lambda reserves; reserved keys used in this request: %s",
			c.Name, strings.Join(reserved, ","))
	}
	if size > MaxEnvironmentLen {
		return Errorf(Invalid, "faas: function %s: environment is %d bytes, over the %d byte limit", c.Name, size, MaxEnvironmentLen)
	}
	return nil
}

// validEnvironmentKey reports whether k matches Lambda's pattern for
// environment variable names, [a-zA-Z]([a-zA-Z0-9_])+: a letter, then at
// least one letter, digit or underscore.
func validEnvironmentKey(k string) bool {
	if len(k) < 2 {
		return false
	}
	for i := 0; i < len(k); i++ {
		c := k[i]
		letter := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
		if !letter && (i == 0 || !(c >= '0' && c <= '9' || c == '_')) {
			return false
		}
	}
	return true
}

// reservedEnvironment holds the environment variables Lambda sets itself
// and refuses in a function's configuration ("Defined runtime environment
// variables" in the Lambda developer guide). Those it lets a function set
// (LANG, PATH, TZ, AWS_XRAY_CONTEXT_MISSING, AWS_XRAY_DAEMON_ADDRESS, ...)
// are not here. The names with a leading underscore fail the pattern
// first, as on Lambda; they are listed for completeness.
var reservedEnvironment = map[string]bool{
	"_HANDLER":                        true,
	"_X_AMZN_TRACE_ID":                true,
	"AWS_DEFAULT_REGION":              true,
	"AWS_REGION":                      true,
	"AWS_EXECUTION_ENV":               true,
	"AWS_LAMBDA_FUNCTION_NAME":        true,
	"AWS_LAMBDA_FUNCTION_MEMORY_SIZE": true,
	"AWS_LAMBDA_FUNCTION_VERSION":     true,
	"AWS_LAMBDA_INITIALIZATION_TYPE":  true,
	"AWS_LAMBDA_LOG_GROUP_NAME":       true,
	"AWS_LAMBDA_LOG_STREAM_NAME":      true,
	"AWS_ACCESS_KEY":                  true,
	"AWS_ACCESS_KEY_ID":               true,
	"AWS_SECRET_ACCESS_KEY":           true,
	"AWS_SESSION_TOKEN":               true,
	"AWS_LAMBDA_RUNTIME_API":          true,
	"LAMBDA_TASK_ROOT":                true,
	"LAMBDA_RUNTIME_DIR":              true,
}

// String returns the configuration in a short form for logs.
func (c Config) String() string {
	e := c.Effective()
	s := fmt.Sprintf("%s timeout=%v memory=%dMB", e.Name, e.Timeout, e.MemoryMB)
	if e.ReservedConcurrency != nil {
		s += fmt.Sprintf(" reserved=%d", *e.ReservedConcurrency)
	}
	return s
}
