package locallambda_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/lambda/messages"
	"github.com/faasport/faasport/adapter"
	"github.com/faasport/faasport/emulator/locallambda"
	"github.com/faasport/faasport/faas"
	"github.com/google/go-cmp/cmp"
)

func TestRegisterErrors(t *testing.T) {
	tests := []struct {
		name     string
		account  int
		existing []faas.Config
		cfg      faas.Config
		fn       faas.Function
		wantKind faas.Kind // -1: no error
	}{
		{name: "ok", cfg: faas.Config{Name: "f"}, fn: echo, wantKind: -1},
		{name: "invalid name", cfg: faas.Config{Name: "f f"}, fn: echo, wantKind: faas.Invalid},
		{name: "nil function", cfg: faas.Config{Name: "f"}, fn: nil, wantKind: faas.Invalid},
		{name: "duplicate", existing: []faas.Config{{Name: "f"}}, cfg: faas.Config{Name: "f"}, fn: echo, wantKind: faas.Conflict},
		{name: "reserve up to 100 unreserved", cfg: faas.Config{Name: "f", ReservedConcurrency: ptr(900)}, fn: echo, wantKind: -1},
		{name: "reserve beyond 100 unreserved", cfg: faas.Config{Name: "f", ReservedConcurrency: ptr(901)}, fn: echo, wantKind: faas.Invalid},
		{
			name:     "reservations add up",
			existing: []faas.Config{{Name: "g", ReservedConcurrency: ptr(500)}},
			cfg:      faas.Config{Name: "f", ReservedConcurrency: ptr(401)}, fn: echo, wantKind: faas.Invalid,
		},
		{name: "zero reservation", cfg: faas.Config{Name: "f", ReservedConcurrency: ptr(0)}, fn: echo, wantKind: -1},
		{name: "small account keeps all unreserved", account: 50, cfg: faas.Config{Name: "f", ReservedConcurrency: ptr(1)}, fn: echo, wantKind: faas.Invalid},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newService(t, &locallambda.Options{AccountConcurrency: tc.account})
			for _, cfg := range tc.existing {
				mustRegister(t, s, cfg, echo)
			}
			err := s.Register(tc.cfg, tc.fn)
			if got := faas.KindOf(err); got != tc.wantKind {
				t.Errorf("Register(%v) = %v (kind %v), want kind %v", tc.cfg, err, got, tc.wantKind)
			}
		})
	}
}

func TestReservationErrorMessage(t *testing.T) {
	s := newService(t, nil)
	err := s.Register(faas.Config{Name: "f", ReservedConcurrency: ptr(1000)}, echo)
	const want = "Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [100]."
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("Register(reserved 1000) = %v, want an error containing %q", err, want)
	}
}

func TestWarmAndColdStarts(t *testing.T) {
	var inits atomic.Int32
	g := newGate()
	s := newService(t, nil)
	// Each environment answers with its number, so we see which one ran.
	err := s.RegisterInit(faas.Config{Name: "f"}, counted(&inits, func(env int32) faas.Function {
		return faas.FunctionFunc(func(ctx context.Context, p []byte) ([]byte, error) {
			if string(p) == `"block"` {
				if _, err := g.Invoke(ctx, p); err != nil {
					return nil, err
				}
			}
			return []byte(fmt.Sprint(env)), nil
		})
	}))
	if err != nil {
		t.Fatal(err)
	}
	invoke := func(payload string) string {
		t.Helper()
		res, err := s.Invoke(context.Background(), locallambda.InvokeRequest{FunctionName: "f", Payload: []byte(payload)})
		if err != nil || res.FunctionError != "" {
			t.Fatalf("Invoke(%s) = %+v, %v", payload, res, err)
		}
		return string(res.Payload)
	}

	// Sequential invocations share one environment.
	var got []string
	for range 3 {
		got = append(got, invoke(`"x"`))
	}
	if diff := cmp.Diff([]string{"1", "1", "1"}, got); diff != "" {
		t.Errorf("environments of sequential invocations (-want +got):\n%s", diff)
	}

	// A second concurrent invocation needs a second environment.
	first := invokeAsync(s, locallambda.InvokeRequest{FunctionName: "f", Payload: []byte(`"block"`)})
	<-g.started
	if got := invoke(`"x"`); got != "2" {
		t.Errorf("invocation beside a busy environment ran in environment %s, want a new one, 2", got)
	}
	close(g.release)
	if o := <-first; o.err != nil || string(o.res.Payload) != "1" {
		t.Fatalf("blocked invocation = %+v, %v, want environment 1", o.res, o.err)
	}
	// Environment 1 went idle last, so it is reused first (LIFO).
	if got := invoke(`"x"`); got != "1" {
		t.Errorf("next invocation ran in environment %s, want the most recently idle, 1", got)
	}
	if got := inits.Load(); got != 2 {
		t.Errorf("init ran %d times, want 2", got)
	}
}

func TestInvocationContext(t *testing.T) {
	clk := fakeClock()
	s := newService(t, &locallambda.Options{Clock: clk, Region: "eu-west-1", AccountID: "111122223333"})
	var (
		inv      faas.Invocation
		deadline time.Time
		fnCtx    context.Context
	)
	mustRegister(t, s, faas.Config{Name: "f", Timeout: 10 * time.Second}, faas.FunctionFunc(func(ctx context.Context, p []byte) ([]byte, error) {
		i, ok := faas.FromContext(ctx)
		if !ok {
			return nil, errors.New("no invocation on the context")
		}
		inv = *i
		deadline, _ = ctx.Deadline()
		fnCtx = ctx
		return p, nil
	}))
	res, err := s.Invoke(context.Background(), locallambda.InvokeRequest{FunctionName: "f", Qualifier: "$LATEST", Payload: []byte(`{}`)})
	if err != nil || res.FunctionError != "" {
		t.Fatalf("Invoke = %+v, %v", res, err)
	}
	uuid := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	if !uuid.MatchString(res.RequestID) {
		t.Errorf("RequestID = %q, want a version 4 UUID", res.RequestID)
	}
	want := faas.Invocation{
		RequestID:    res.RequestID,
		Deadline:     epoch.Add(10 * time.Second),
		FunctionName: "f",
		FunctionARN:  "arn:aws:lambda:eu-west-1:111122223333:function:f:$LATEST",
		Environment: map[string]string{
			"AWS_DEFAULT_REGION":              "eu-west-1",
			"AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "128",
			"AWS_LAMBDA_FUNCTION_NAME":        "f",
			"AWS_LAMBDA_FUNCTION_VERSION":     "$LATEST",
			"AWS_LAMBDA_INITIALIZATION_TYPE":  "on-demand",
			"AWS_LAMBDA_LOG_GROUP_NAME":       "/aws/lambda/f",
			"AWS_REGION":                      "eu-west-1",
		},
	}
	inv.Logger = nil
	if diff := cmp.Diff(want, inv); diff != "" {
		t.Errorf("Invocation (-want +got):\n%s", diff)
	}
	if !deadline.Equal(want.Deadline) {
		t.Errorf("ctx.Deadline() = %v, want %v", deadline, want.Deadline)
	}
	if err := fnCtx.Err(); err != context.Canceled {
		t.Errorf("after the invocation, its ctx.Err() = %v, want %v", err, context.Canceled)
	}
	if res.ExecutedVersion != "$LATEST" || res.StatusCode != 200 {
		t.Errorf("ExecutedVersion, StatusCode = %q, %d, want $LATEST, 200", res.ExecutedVersion, res.StatusCode)
	}
}

func TestFunctionNames(t *testing.T) {
	const notFound = "Function not found: arn:aws:lambda:us-east-1:123456789012:function:"
	tests := []struct {
		name, fn, qualifier string
		want                *locallambda.InvokeError // nil: the invocation runs
	}{
		{name: "name", fn: "f"},
		{name: "name with qualifier", fn: "f:$LATEST"},
		{name: "qualifier parameter", fn: "f", qualifier: "$LATEST"},
		{name: "same qualifier twice", fn: "f:$LATEST", qualifier: "$LATEST"},
		{name: "ARN", fn: "arn:aws:lambda:us-east-1:123456789012:function:f"},
		{name: "qualified ARN", fn: "arn:aws:lambda:us-east-1:123456789012:function:f:$LATEST"},
		{name: "partial ARN", fn: "123456789012:function:f"},
		{name: "unknown", fn: "nope", want: &locallambda.InvokeError{StatusCode: 404, Type: "ResourceNotFoundException", Message: notFound + "nope"}},
		{name: "version", fn: "f", qualifier: "1", want: &locallambda.InvokeError{StatusCode: 404, Type: "ResourceNotFoundException", Message: notFound + "f:1"}},
		{name: "alias in name", fn: "f:live", want: &locallambda.InvokeError{StatusCode: 404, Type: "ResourceNotFoundException", Message: notFound + "f:live"}},
		{
			name: "other region", fn: "arn:aws:lambda:eu-west-1:123456789012:function:f",
			want: &locallambda.InvokeError{StatusCode: 404, Type: "ResourceNotFoundException", Message: "Functions from 'eu-west-1' are not reachable in this region ('us-east-1')"},
		},
		{
			name: "other account", fn: "999999999999:function:f",
			want: &locallambda.InvokeError{StatusCode: 404, Type: "ResourceNotFoundException", Message: "Function not found: 999999999999:function:f"},
		},
		{
			name: "name outside the pattern", fn: "my function",
			want: &locallambda.InvokeError{StatusCode: 400, Type: "ValidationException", Message: "1 validation error detected: Value 'my function' at 'functionName' failed to satisfy constraint: " +
				`Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d{1}:)?(\d{12}:)?(function:)?([a-zA-Z0-9-_\.]+)(:(\$LATEST|[a-zA-Z0-9-_]+))?`},
		},
		{
			name: "empty name",
			want: &locallambda.InvokeError{StatusCode: 400, Type: "ValidationException", Message: "1 validation error detected: Value '' at 'functionName' failed to satisfy constraint: Member must have length greater than or equal to 1"},
		},
		{
			name: "name too long", fn: strings.Repeat("f", 171),
			want: &locallambda.InvokeError{StatusCode: 400, Type: "ValidationException", Message: "1 validation error detected: Value '" + strings.Repeat("f", 171) + "' at 'functionName' failed to satisfy constraint: Member must have length less than or equal to 170"},
		},
		{
			name: "long name of no function", fn: strings.Repeat("f", 170),
			want: &locallambda.InvokeError{StatusCode: 404, Type: "ResourceNotFoundException", Message: notFound + strings.Repeat("f", 170)},
		},
		{
			name: "qualifier outside the pattern", fn: "f", qualifier: "v 1",
			want: &locallambda.InvokeError{StatusCode: 400, Type: "ValidationException", Message: "1 validation error detected: Value 'v 1' at 'qualifier' failed to satisfy constraint: Member must satisfy regular expression pattern: (|[a-zA-Z0-9$_-]+)"},
		},
		{
			name: "name and qualifier outside the patterns", fn: "f!", qualifier: strings.Repeat("v", 129),
			want: &locallambda.InvokeError{StatusCode: 400, Type: "ValidationException", Message: "2 validation errors detected: Value 'f!' at 'functionName' failed to satisfy constraint: " +
				`Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d{1}:)?(\d{12}:)?(function:)?([a-zA-Z0-9-_\.]+)(:(\$LATEST|[a-zA-Z0-9-_]+))?` +
				"; Value '" + strings.Repeat("v", 129) + "' at 'qualifier' failed to satisfy constraint: Member must have length less than or equal to 128"},
		},
		{
			name: "conflicting qualifiers", fn: "f:$LATEST", qualifier: "1",
			want: &locallambda.InvokeError{StatusCode: 400, Type: "InvalidParameterValueException", Message: "The derived qualifier from the function name does not match the specified qualifier."},
		},
	}
	s := newService(t, nil)
	mustRegister(t, s, faas.Config{Name: "f"}, echo)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, typ := range []locallambda.InvocationType{locallambda.RequestResponse, locallambda.DryRun} {
				res, err := s.Invoke(context.Background(), locallambda.InvokeRequest{
					FunctionName: tc.fn, Qualifier: tc.qualifier, InvocationType: typ, Payload: []byte(`1`),
				})
				if tc.want == nil {
					if err != nil {
						t.Errorf("Invoke(%s, %q, %s) = %v, want success", tc.fn, tc.qualifier, typ, err)
					}
					continue
				}
				if diff := cmp.Diff(tc.want, invokeErr(t, err)); diff != "" || res != nil {
					t.Errorf("Invoke(%s, %q, %s) error (-want +got):\n%s", tc.fn, tc.qualifier, typ, diff)
				}
			}
		})
	}
}

func TestInvalidRequests(t *testing.T) {
	tests := []struct {
		name     string
		req      locallambda.InvokeRequest
		wantCode int
		wantType string
	}{
		{"payload not JSON", locallambda.InvokeRequest{Payload: []byte(`hello`)}, 400, "InvalidRequestContentException"},
		{"truncated JSON", locallambda.InvokeRequest{Payload: []byte(`{"a":`)}, 400, "InvalidRequestContentException"},
		{"event payload not JSON", locallambda.InvokeRequest{InvocationType: locallambda.Event, Payload: []byte(`{`)}, 400, "InvalidRequestContentException"},
		{"unknown invocation type", locallambda.InvokeRequest{InvocationType: "Later"}, 400, "ValidationException"},
		{"unknown log type", locallambda.InvokeRequest{LogType: "All"}, 400, "ValidationException"},
		{"client context not base64", locallambda.InvokeRequest{ClientContext: "%%%"}, 400, "InvalidRequestContentException"},
		{"client context not JSON", locallambda.InvokeRequest{ClientContext: base64.StdEncoding.EncodeToString([]byte("hi"))}, 400, "InvalidRequestContentException"},
		{"client context null", locallambda.InvokeRequest{ClientContext: base64.StdEncoding.EncodeToString([]byte("null"))}, 400, "InvalidRequestContentException"},
		{"client context an array", locallambda.InvokeRequest{ClientContext: base64.StdEncoding.EncodeToString([]byte("[]"))}, 400, "InvalidRequestContentException"},
		{"client context too long", locallambda.InvokeRequest{ClientContext: strings.Repeat("e30=", 1000)}, 400, "InvalidRequestContentException"},
		{"request too large", locallambda.InvokeRequest{Payload: jsonString(locallambda.MaxRequestSize + 1)}, 413, "RequestTooLargeException"},
		{"event too large", locallambda.InvokeRequest{InvocationType: locallambda.Event, Payload: jsonString(locallambda.MaxEventSize + 1)}, 413, "RequestEntityTooLargeException"},
	}
	s := newService(t, nil)
	mustRegister(t, s, faas.Config{Name: "f"}, echo)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.req.FunctionName = "f"
			_, err := s.Invoke(context.Background(), tc.req)
			ie := invokeErr(t, err)
			if ie.StatusCode != tc.wantCode || ie.Type != tc.wantType {
				t.Errorf("Invoke = %v, want %d %s", err, tc.wantCode, tc.wantType)
			}
		})
	}
}

// jsonString returns a JSON string n bytes long.
func jsonString(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = 'a'
	}
	b[0], b[n-1] = '"', '"'
	return b
}

func TestPayloadLimits(t *testing.T) {
	const tooLarge = `{"errorMessage":"Response payload size exceeded maximum allowed payload size (6291556 bytes).","errorType":"Function.ResponseSizeTooLarge"}`
	tests := []struct {
		name          string
		respSize      int
		wantFnError   string
		wantPayload   string // when non-empty
		wantEnvKept   bool
		wantRespBytes int
	}{
		{name: "largest response", respSize: locallambda.MaxResponseSize, wantRespBytes: locallambda.MaxResponseSize},
		{name: "response one byte over", respSize: locallambda.MaxResponseSize + 1, wantFnError: "Unhandled", wantPayload: tooLarge},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newService(t, nil)
			var inits atomic.Int32
			resp := jsonString(tc.respSize)
			s.RegisterInit(faas.Config{Name: "f"}, counted(&inits, func(int32) faas.Function {
				return faas.FunctionFunc(func(context.Context, []byte) ([]byte, error) { return resp, nil })
			}))
			for range 2 {
				res, err := s.Invoke(context.Background(), locallambda.InvokeRequest{FunctionName: "f"})
				if err != nil {
					t.Fatal(err)
				}
				if res.FunctionError != tc.wantFnError {
					t.Errorf("FunctionError = %q, want %q", res.FunctionError, tc.wantFnError)
				}
				if tc.wantPayload != "" && string(res.Payload) != tc.wantPayload {
					t.Errorf("Payload = %s, want %s", res.Payload, tc.wantPayload)
				}
				if tc.wantRespBytes != 0 && len(res.Payload) != tc.wantRespBytes {
					t.Errorf("len(Payload) = %d, want %d", len(res.Payload), tc.wantRespBytes)
				}
			}
			if got := inits.Load(); got != 1 {
				t.Errorf("init ran %d times, want 1 (the environment is kept)", got)
			}
		})
	}

	t.Run("largest request", func(t *testing.T) {
		s := newService(t, nil)
		mustRegister(t, s, faas.Config{Name: "f"}, faas.FunctionFunc(func(_ context.Context, p []byte) ([]byte, error) {
			return []byte(fmt.Sprint(len(p))), nil
		}))
		res, err := s.Invoke(context.Background(), locallambda.InvokeRequest{FunctionName: "f", Payload: jsonString(locallambda.MaxRequestSize)})
		if err != nil || string(res.Payload) != fmt.Sprint(locallambda.MaxRequestSize) {
			t.Fatalf("Invoke(6291456 bytes) = %+v, %v", res, err)
		}
	})
	t.Run("request too large message", func(t *testing.T) {
		s := newService(t, nil)
		mustRegister(t, s, faas.Config{Name: "f"}, echo)
		_, err := s.Invoke(context.Background(), locallambda.InvokeRequest{FunctionName: "f", Payload: jsonString(locallambda.MaxRequestSize + 1)})
		want := &locallambda.InvokeError{StatusCode: 413, Type: "RequestTooLargeException",
			Message: "Request must be smaller than 6291456 bytes for the InvokeFunction operation"}
		if diff := cmp.Diff(want, invokeErr(t, err)); diff != "" {
			t.Errorf("error (-want +got):\n%s", diff)
		}
	})
}

func TestEmptyPayloadIsEmptyObject(t *testing.T) {
	s := newService(t, nil)
	mustRegister(t, s, faas.Config{Name: "f"}, echo)
	res, err := s.Invoke(context.Background(), locallambda.InvokeRequest{FunctionName: "f"})
	if err != nil || string(res.Payload) != "{}" {
		t.Fatalf("Invoke(no payload) = %+v, %v, want payload {}", res, err)
	}
}

type valueError struct{ code int }

func (e valueError) Error() string { return fmt.Sprintf("code %d", e.code) }

type pointerError struct{}

func (*pointerError) Error() string { return "pointer error" }

func TestReturnedErrors(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"errors.New", errors.New("boom"), `{"errorMessage":"boom","errorType":"errorString"}`},
		{"fmt.Errorf wrapping", fmt.Errorf("outer: %w", errors.New("inner")), `{"errorMessage":"outer: inner","errorType":"wrapError"}`},
		{"faas.Error", faas.Errorf(faas.NotFound, "no pet 7"), `{"errorMessage":"no pet 7","errorType":"Error"}`},
		{"value type", valueError{7}, `{"errorMessage":"code 7","errorType":"valueError"}`},
		{"pointer type", &pointerError{}, `{"errorMessage":"pointer error","errorType":"pointerError"}`},
		{"special characters", errors.New("a \"quoted\"\nline"), `{"errorMessage":"a \"quoted\"\nline","errorType":"errorString"}`},
		{"PayloadError", &locallambda.PayloadError{Payload: []byte(`{"errorType":"Upstream","errorMessage":"down"}`)}, `{"errorType":"Upstream","errorMessage":"down"}`},
		{"wrapped PayloadError", fmt.Errorf("relay: %w", &locallambda.PayloadError{Payload: []byte(`"raw"`)}), `"raw"`},
		// How a Go function sets its own errorType: aws-lambda-go sends
		// the value as it is (lambda/errors.go).
		{"aws-lambda-go InvokeResponse_Error", messages.InvokeResponse_Error{Message: "custom message", Type: "MyCustomType"}, `{"errorMessage":"custom message","errorType":"MyCustomType"}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newService(t, nil)
			var inits atomic.Int32
			s.RegisterInit(faas.Config{Name: "f"}, counted(&inits, func(int32) faas.Function {
				return faas.FunctionFunc(func(context.Context, []byte) ([]byte, error) { return nil, tc.err })
			}))
			for range 2 {
				res, err := s.Invoke(context.Background(), locallambda.InvokeRequest{FunctionName: "f"})
				if err != nil {
					t.Fatal(err)
				}
				got := struct {
					Code           int
					FnErr, Payload string
				}{res.StatusCode, res.FunctionError, string(res.Payload)}
				want := struct {
					Code           int
					FnErr, Payload string
				}{200, "Unhandled", tc.want}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("result (-want +got):\n%s", diff)
				}
			}
			if got := inits.Load(); got != 1 {
				t.Errorf("init ran %d times, want 1: a returned error keeps the environment", got)
			}
		})
	}
}

func TestPanics(t *testing.T) {
	tests := []struct {
		name        string
		fn          func()
		wantType    string
		wantMessage string
	}{
		{"string", func() { panic("boom") }, "string", "boom"},
		{"error value", func() { panic(errors.New("bad")) }, "errorString", "bad"},
		{"custom error", func() { panic(valueError{3}) }, "valueError", "code 3"},
		{"nil map write", func() {
			var m map[string]int
			//lint:ignore SA5000 the runtime's own panic is the case
			m["x"] = 1
		}, "plainError", "assignment to entry in nil map"},
		{"nil pointer", func() {
			var p *pointerError
			_ = *p
		}, "errorString", "runtime error: invalid memory address or nil pointer dereference"},
		{"index out of range", func() {
			var s []int
			i := 3
			_ = s[i]
		}, "boundsError", "runtime error: index out of range [3] with length 0"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newService(t, nil)
			var inits atomic.Int32
			s.RegisterInit(faas.Config{Name: "f"}, counted(&inits, func(int32) faas.Function {
				return faas.FunctionFunc(func(_ context.Context, p []byte) ([]byte, error) {
					if string(p) == `"panic"` {
						tc.fn()
					}
					return p, nil
				})
			}))
			res, err := s.Invoke(context.Background(), locallambda.InvokeRequest{FunctionName: "f", Payload: []byte(`"panic"`)})
			if err != nil {
				t.Fatal(err)
			}
			if res.FunctionError != "Unhandled" {
				t.Errorf("FunctionError = %q, want Unhandled", res.FunctionError)
			}
			var body struct {
				Message    string `json:"errorMessage"`
				Type       string `json:"errorType"`
				StackTrace []struct {
					Path  string `json:"path"`
					Line  int    `json:"line"`
					Label string `json:"label"`
				} `json:"stackTrace"`
			}
			if err := json.Unmarshal(res.Payload, &body); err != nil {
				t.Fatal(err)
			}
			if body.Type != tc.wantType || body.Message != tc.wantMessage {
				t.Errorf("panic payload type, message = %q, %q; want %q, %q", body.Type, body.Message, tc.wantType, tc.wantMessage)
			}
			found := false
			for _, fr := range body.StackTrace {
				if strings.HasPrefix(fr.Label, "TestPanics.") && strings.HasSuffix(fr.Path, "locallambda_test.go") && fr.Line > 0 {
					found = true
				}
				if strings.Contains(fr.Label, "call.run") {
					t.Errorf("stack trace shows the emulator's frame %+v", fr)
				}
			}
			if !found {
				t.Errorf("stack trace %+v lacks the panicking test function", body.StackTrace)
			}

			// The service keeps serving, from a new environment.
			res, err = s.Invoke(context.Background(), locallambda.InvokeRequest{FunctionName: "f", Payload: []byte(`"ok"`)})
			if err != nil || res.FunctionError != "" || string(res.Payload) != `"ok"` {
				t.Fatalf("Invoke after panic = %+v, %v", res, err)
			}
			if got := inits.Load(); got != 2 {
				t.Errorf("init ran %d times, want 2: a panic discards the environment", got)
			}
		})
	}
}

// TestPanicInvokeResponseError checks that a panic with aws-lambda-go's
// messages.InvokeResponse_Error is its own payload, without a stack, as
// aws-lambda-go sends it (lambda/errors.go lambdaPanicResponse).
func TestPanicInvokeResponseError(t *testing.T) {
	s := newService(t, nil)
	mustRegister(t, s, faas.Config{Name: "f"}, faas.FunctionFunc(func(context.Context, []byte) ([]byte, error) {
		panic(messages.InvokeResponse_Error{Message: "custom message", Type: "MyCustomType"})
	}))
	res, err := s.Invoke(context.Background(), locallambda.InvokeRequest{FunctionName: "f"})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"errorMessage":"custom message","errorType":"MyCustomType"}`
	if res.FunctionError != "Unhandled" || string(res.Payload) != want {
		t.Errorf("Invoke = %q %s, want Unhandled %s", res.FunctionError, res.Payload, want)
	}
}

func TestInitFailure(t *testing.T) {
	tests := []struct {
		name     string
		init     func(context.Context) (faas.Function, error)
		wantBody string
	}{
		{"error", func(context.Context) (faas.Function, error) { return nil, errors.New("no database") },
			`{"errorMessage":"no database","errorType":"errorString"}`},
		{"nil function", func(context.Context) (faas.Function, error) { return nil, nil },
			`{"errorMessage":"locallambda: init returned a nil function","errorType":"errorString"}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newService(t, nil)
			var inits atomic.Int32
			s.RegisterInit(faas.Config{Name: "f"}, func(ctx context.Context) (faas.Function, error) {
				inits.Add(1)
				return tc.init(ctx)
			})
			for range 2 {
				res, err := s.Invoke(context.Background(), locallambda.InvokeRequest{FunctionName: "f"})
				if err != nil {
					t.Fatal(err)
				}
				if res.FunctionError != "Unhandled" || string(res.Payload) != tc.wantBody {
					t.Errorf("Invoke = %q %s, want Unhandled %s", res.FunctionError, res.Payload, tc.wantBody)
				}
			}
			if got := inits.Load(); got != 2 {
				t.Errorf("init ran %d times, want 2: a failed init discards the environment", got)
			}
		})
	}
}

// ending is a function whose environment can end on its own, when done
// is closed.
type ending struct {
	faas.Function
	done chan struct{}
}

func (e ending) Done() <-chan struct{} { return e.done }

func TestEnvironmentEndsOnItsOwn(t *testing.T) {
	s := newService(t, nil)
	var inits atomic.Int32
	envs := make(chan ending, 10)
	s.RegisterInit(faas.Config{Name: "f"}, func(context.Context) (faas.Function, error) {
		n := inits.Add(1)
		e := ending{done: make(chan struct{})}
		e.Function = faas.FunctionFunc(func(_ context.Context, p []byte) ([]byte, error) {
			if string(p) == `"end"` {
				close(e.done) // the environment ends during the invocation
			}
			return []byte(fmt.Sprint(n)), nil
		})
		envs <- e
		return e, nil
	})
	var got []string
	for _, p := range []string{`"a"`, `"b"`, `"end"`, `"c"`, `"ended while idle"`, `"d"`} {
		if p == `"ended while idle"` {
			close((<-envs).done)
			continue
		}
		res := invoke(t, s, "f", p)
		if res.FunctionError != "" {
			t.Fatalf("Invoke(%s) = %s %s", p, res.FunctionError, res.Payload)
		}
		got = append(got, string(res.Payload))
		if p == `"end"` {
			<-envs // the first environment, which ended itself
		}
	}
	// Environment 1 serves until it ends itself; environment 2 until it
	// ends while idle.
	if diff := cmp.Diff([]string{"1", "1", "1", "2", "3"}, got); diff != "" {
		t.Errorf("environments of the invocations (-want +got):\n%s", diff)
	}
}

func TestInitContextLivesWithEnvironment(t *testing.T) {
	clk := fakeClock()
	s := newService(t, &locallambda.Options{Clock: clk})
	envCtx := make(chan context.Context, 2)
	s.RegisterInit(faas.Config{Name: "f"}, func(ctx context.Context) (faas.Function, error) {
		envCtx <- ctx
		return faas.FunctionFunc(func(ctx context.Context, p []byte) ([]byte, error) {
			if string(p) == `"hang"` {
				<-ctx.Done()
			}
			return p, nil
		}), nil
	})
	if _, err := s.Invoke(context.Background(), locallambda.InvokeRequest{FunctionName: "f"}); err != nil {
		t.Fatal(err)
	}
	ctx := <-envCtx
	if inv, ok := faas.FromContext(ctx); !ok || inv.FunctionName != "f" || inv.Logger == nil {
		t.Errorf("init context Invocation = %+v, %v; want one naming f, with a Logger", inv, ok)
	}
	if ctx.Err() != nil {
		t.Fatalf("init context done while its environment is idle: %v", ctx.Err())
	}
	done := invokeAsync(s, locallambda.InvokeRequest{FunctionName: "f", Payload: []byte(`"hang"`)})
	clk.BlockUntil(1)
	clk.Advance(3 * time.Second)
	<-done
	<-ctx.Done() // the timeout discarded the environment
}

func TestTimeout(t *testing.T) {
	tests := []struct {
		name    string
		timeout time.Duration
		secs    string
	}{
		{"default", 0, "3.00"},
		{"fractional", 1500 * time.Millisecond, "1.50"},
		{"long", 15 * time.Minute, "900.00"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			clk := fakeClock()
			var logs logBuffer
			s := newService(t, &locallambda.Options{Clock: clk, Logger: jsonLogger(&logs)})
			var inits atomic.Int32
			fnErr := make(chan error, 1)
			s.RegisterInit(faas.Config{Name: "f", Timeout: tc.timeout}, counted(&inits, func(int32) faas.Function {
				return faas.FunctionFunc(func(ctx context.Context, p []byte) ([]byte, error) {
					if string(p) == `"hang"` {
						<-ctx.Done()
						fnErr <- ctx.Err()
						return nil, ctx.Err()
					}
					return p, nil
				})
			}))
			done := invokeAsync(s, locallambda.InvokeRequest{FunctionName: "f", Payload: []byte(`"hang"`)})
			clk.BlockUntil(1)
			effective := faas.Config{Timeout: tc.timeout}.Effective().Timeout
			clk.Advance(effective - time.Nanosecond)
			select {
			case o := <-done:
				t.Fatalf("invocation ended before its timeout: %+v, %v", o.res, o.err)
			default:
			}
			clk.Advance(time.Nanosecond)
			o := <-done
			if o.err != nil {
				t.Fatal(o.err)
			}
			want := `{"errorType":"Sandbox.Timedout","errorMessage":"RequestId: ` + o.res.RequestID +
				` Error: Task timed out after ` + tc.secs + ` seconds"}`
			if o.res.FunctionError != "Unhandled" || string(o.res.Payload) != want {
				t.Errorf("Invoke = %q %s, want Unhandled %s", o.res.FunctionError, o.res.Payload, want)
			}
			if err := <-fnErr; err != context.DeadlineExceeded {
				t.Errorf("function's ctx.Err() = %v, want %v", err, context.DeadlineExceeded)
			}

			// The environment was discarded: the next invocation is a cold start.
			if res, err := s.Invoke(context.Background(), locallambda.InvokeRequest{FunctionName: "f"}); err != nil || res.FunctionError != "" {
				t.Fatalf("Invoke after timeout = %+v, %v", res, err)
			}
			if got := inits.Load(); got != 2 {
				t.Errorf("init ran %d times, want 2", got)
			}

			line := regexp.MustCompile(`^2024-05-06T\d\d:\d\d:\d\d\.\d{3}Z ` + o.res.RequestID + ` Task timed out after ` + regexp.QuoteMeta(tc.secs) + ` seconds$`)
			found := false
			for _, r := range logs.records(t) {
				if line.MatchString(r["msg"].(string)) {
					found = true
				}
			}
			if !found {
				t.Errorf("no log line matching %v in %v", line, logs.records(t))
			}

			// Its REPORT line gives the timeout as its Duration and ends
			// with its status, as Lambda's do. (The fake clock may move
			// before the environment's goroutine has run init, or even
			// finished it: then init seems to have taken that long, or is
			// not reported. Neither is checked.)
			ms := strconv.FormatInt(effective.Milliseconds(), 10)
			report := regexp.MustCompile(`^REPORT RequestId: ` + o.res.RequestID + `\tDuration: ` + ms + `\.00 ms\tBilled Duration: \d+` +
				` ms\tMemory Size: 128 MB\tMax Memory Used: \d+ MB\t(Init Duration: \d+\.\d\d ms\t)?Status: timeout$`)
			found = false
			for _, r := range logs.records(t) {
				found = found || report.MatchString(r["msg"].(string))
			}
			if !found {
				t.Errorf("no REPORT line matching %v in %v", report, logs.records(t))
			}
		})
	}
}

func TestCallerGivesUp(t *testing.T) {
	s := newService(t, nil)
	g := newGate()
	mustRegister(t, s, faas.Config{Name: "f", ReservedConcurrency: ptr(1)}, g)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan outcome, 1)
	go func() {
		res, err := s.Invoke(ctx, locallambda.InvokeRequest{FunctionName: "f"})
		done <- outcome{res, err}
	}()
	<-g.started
	cancel()
	o := <-done
	if o.err != context.Canceled {
		t.Fatalf("Invoke with its context cancelled = %v, want %v", o.err, context.Canceled)
	}
	// The result names the invocation that runs on, for the caller's log.
	if o.res == nil || !regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-`).MatchString(o.res.RequestID) || o.res.Payload != nil || o.res.StatusCode != 0 {
		t.Errorf("result beside the error = %+v, want one holding only a request id", o.res)
	}
	// As on Lambda, the function runs on and holds its concurrency.
	if _, err := s.Invoke(context.Background(), locallambda.InvokeRequest{FunctionName: "f"}); invokeErr(t, err).Type != "TooManyRequestsException" {
		t.Fatalf("Invoke while the abandoned invocation runs = %v, want throttled", err)
	}
	close(g.release)
	// The slot is released in the background once the function returns.
	deadline := time.Now().Add(10 * time.Second)
	for {
		_, err := s.Invoke(context.Background(), locallambda.InvokeRequest{FunctionName: "f"})
		if err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("Invoke after the abandoned invocation ended = %v", err)
		}
		time.Sleep(time.Millisecond)
	}
}

func TestReservedConcurrency(t *testing.T) {
	s := newService(t, nil)
	g := newGate()
	mustRegister(t, s, faas.Config{Name: "f", ReservedConcurrency: ptr(2)}, g)
	mustRegister(t, s, faas.Config{Name: "zero", ReservedConcurrency: ptr(0)}, echo)
	mustRegister(t, s, faas.Config{Name: "other"}, echo)

	var running []<-chan outcome
	for range 2 {
		running = append(running, invokeAsync(s, locallambda.InvokeRequest{FunctionName: "f"}))
		<-g.started
	}
	want := &locallambda.InvokeError{StatusCode: 429, Type: "TooManyRequestsException", Message: "Rate Exceeded.",
		Reason: "ReservedFunctionConcurrentInvocationLimitExceeded"}
	for _, name := range []string{"f", "zero"} {
		_, err := s.Invoke(context.Background(), locallambda.InvokeRequest{FunctionName: name})
		if diff := cmp.Diff(want, invokeErr(t, err)); diff != "" {
			t.Errorf("Invoke(%s) error (-want +got):\n%s", name, diff)
		}
	}
	// Other functions are not affected.
	if _, err := s.Invoke(context.Background(), locallambda.InvokeRequest{FunctionName: "other"}); err != nil {
		t.Errorf("Invoke(other) = %v", err)
	}
	close(g.release)
	for _, ch := range running {
		if o := <-ch; o.err != nil {
			t.Errorf("running invocation = %v", o.err)
		}
	}
	if _, err := s.Invoke(context.Background(), locallambda.InvokeRequest{FunctionName: "f"}); err != nil {
		t.Errorf("Invoke(f) after the others ended = %v", err)
	}
}

func TestAccountConcurrency(t *testing.T) {
	// 102 executions, 2 reserved by r: the others share 100.
	s := newService(t, &locallambda.Options{AccountConcurrency: 102})
	g := newGate()
	mustRegister(t, s, faas.Config{Name: "r", ReservedConcurrency: ptr(2)}, echo)
	mustRegister(t, s, faas.Config{Name: "a"}, g)
	mustRegister(t, s, faas.Config{Name: "b"}, echo)

	var running []<-chan outcome
	for range 100 {
		running = append(running, invokeAsync(s, locallambda.InvokeRequest{FunctionName: "a"}))
		<-g.started
	}
	want := &locallambda.InvokeError{StatusCode: 429, Type: "TooManyRequestsException", Message: "Rate Exceeded.",
		Reason: "ConcurrentInvocationLimitExceeded"}
	for _, name := range []string{"a", "b"} {
		_, err := s.Invoke(context.Background(), locallambda.InvokeRequest{FunctionName: name})
		if diff := cmp.Diff(want, invokeErr(t, err)); diff != "" {
			t.Errorf("Invoke(%s) error (-want +got):\n%s", name, diff)
		}
	}
	// The reservation is kept for its function.
	if _, err := s.Invoke(context.Background(), locallambda.InvokeRequest{FunctionName: "r"}); err != nil {
		t.Errorf("Invoke(r) = %v, want success from its reservation", err)
	}
	close(g.release)
	for _, ch := range running {
		<-ch
	}
	if _, err := s.Invoke(context.Background(), locallambda.InvokeRequest{FunctionName: "b"}); err != nil {
		t.Errorf("Invoke(b) after the others ended = %v", err)
	}
}

func TestFlood(t *testing.T) {
	if testing.Short() {
		t.Skip("flood test skipped in short mode")
	}
	base := runtime.NumGoroutine()
	s := locallambda.New(&locallambda.Options{Logger: slog.New(slog.DiscardHandler)})
	var running, peak atomic.Int32
	mustRegister(t, s, faas.Config{Name: "f", ReservedConcurrency: ptr(5)}, faas.FunctionFunc(func(_ context.Context, p []byte) ([]byte, error) {
		n := running.Add(1)
		defer running.Add(-1)
		for {
			old := peak.Load()
			if n <= old || peak.CompareAndSwap(old, n) {
				break
			}
		}
		for range 10 {
			runtime.Gosched()
		}
		return p, nil
	}))
	const n = 2000
	var ok, throttled, other atomic.Int32
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			res, err := s.Invoke(context.Background(), locallambda.InvokeRequest{FunctionName: "f", Payload: []byte(fmt.Sprint(i))})
			var ie *locallambda.InvokeError
			switch {
			case err == nil && res.FunctionError == "" && string(res.Payload) == fmt.Sprint(i):
				ok.Add(1)
			case errors.As(err, &ie) && ie.StatusCode == 429 && ie.Reason == locallambda.ReasonReservedFunctionConcurrency:
				throttled.Add(1)
			default:
				other.Add(1)
				t.Errorf("Invoke = %+v, %v", res, err)
			}
		}()
	}
	close(start)
	wg.Wait()
	if ok.Load()+throttled.Load() != n || ok.Load() == 0 || other.Load() != 0 {
		t.Errorf("of %d invocations %d succeeded, %d were throttled, %d failed otherwise", n, ok.Load(), throttled.Load(), other.Load())
	}
	if p := peak.Load(); p > 5 {
		t.Errorf("peak concurrency %d, over the reservation of 5", p)
	}
	t.Logf("%d succeeded, %d throttled, peak concurrency %d", ok.Load(), throttled.Load(), peak.Load())
	s.Close()
	waitGoroutines(t, base)
}

func TestDryRun(t *testing.T) {
	var calls atomic.Int32
	s := newService(t, nil)
	mustRegister(t, s, faas.Config{Name: "f"}, faas.FunctionFunc(func(context.Context, []byte) ([]byte, error) {
		calls.Add(1)
		return nil, nil
	}))
	res, err := s.Invoke(context.Background(), locallambda.InvokeRequest{FunctionName: "f", InvocationType: locallambda.DryRun})
	if err != nil || res.StatusCode != 204 || res.Payload != nil {
		t.Fatalf("Invoke(DryRun) = %+v, %v, want status 204 and no payload", res, err)
	}
	if calls.Load() != 0 {
		t.Errorf("DryRun ran the function")
	}
	_, err = s.Invoke(context.Background(), locallambda.InvokeRequest{FunctionName: "g", InvocationType: locallambda.DryRun})
	if ie := invokeErr(t, err); ie.StatusCode != 404 {
		t.Errorf("Invoke(DryRun, unknown) = %v, want 404", err)
	}
}

// In-process functions share the emulator's process, so their configured
// environment reaches them on the invocation, where faas.Getenv reads it:
// in the init, in the function, and in a handler behind the adapter.
func TestFunctionEnvironment(t *testing.T) {
	s := newService(t, &locallambda.Options{Region: "eu-west-1"})
	keys := []string{"TABLE", "AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_REGION", "AWS_LAMBDA_FUNCTION_VERSION"}
	read := func(ctx context.Context) string {
		var out []string
		for _, k := range keys {
			out = append(out, faas.Getenv(ctx, k))
		}
		return strings.Join(out, ",")
	}
	cfg := faas.Config{Name: "env", MemoryMB: 256, Environment: map[string]string{"TABLE": "orders"}}
	var atInit string
	err := s.RegisterInit(cfg, func(ctx context.Context) (faas.Function, error) {
		atInit = read(ctx)
		return faas.FunctionFunc(func(ctx context.Context, _ []byte) ([]byte, error) {
			return []byte(strconv.Quote(read(ctx))), nil
		}), nil
	})
	if err != nil {
		t.Fatal(err)
	}
	cfg.Environment["TABLE"] = "changed after Register" // the function keeps its own copy
	h := adapter.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, read(r.Context()))
	}))
	mustRegister(t, s, faas.Config{Name: "web", Environment: map[string]string{"TABLE": "pets"}}, h)

	want := "orders,env,256,eu-west-1,$LATEST"
	res, err := s.Invoke(context.Background(), locallambda.InvokeRequest{FunctionName: "env"})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(strconv.Quote(want), string(res.Payload)); diff != "" {
		t.Errorf("function's environment (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want, atInit); diff != "" {
		t.Errorf("init's environment (-want +got):\n%s", diff)
	}

	ev, err := os.ReadFile("../../adapter/testdata/apigw-v2-request-no-authorizer.json")
	if err != nil {
		t.Fatal(err)
	}
	res, err = s.Invoke(context.Background(), locallambda.InvokeRequest{FunctionName: "web", Payload: ev})
	if err != nil {
		t.Fatal(err)
	}
	var out struct{ Body string }
	if err := json.Unmarshal(res.Payload, &out); err != nil {
		t.Fatalf("%s: %v", res.Payload, err)
	}
	if diff := cmp.Diff("pets,web,128,eu-west-1,$LATEST", out.Body); diff != "" {
		t.Errorf("handler's environment (-want +got):\n%s", diff)
	}
}
