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

// Validate reports the first setting of c that AWS Lambda would refuse.
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
	size := 0
	for k, v := range c.Environment {
		if k == "" {
			return Errorf(Invalid, "faas: function %s: empty environment variable name", c.Name)
		}
		size += len(k) + len(v)
	}
	if size > MaxEnvironmentLen {
		return Errorf(Invalid, "faas: function %s: environment is %d bytes, over the %d byte limit", c.Name, size, MaxEnvironmentLen)
	}
	return nil
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
