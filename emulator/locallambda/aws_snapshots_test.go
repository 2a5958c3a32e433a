package locallambda_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/faasport/faasport/emulator/locallambda"
	"github.com/faasport/faasport/faas"
	"github.com/google/go-cmp/cmp"
)

// The cases of TestInvokeAPIMatchesAWS come from the snapshots of AWS's
// answers recorded by LocalStack's test suite (repository
// localstack/localstack). Each names its snapshot as
// file::test[parameter] > entry, where file is one of:
const (
	snapLambda = "tests/aws/services/lambda_/test_lambda.snapshot.json"
	snapAPI    = "tests/aws/services/lambda_/test_lambda_api.snapshot.json"
)

// awsServer serves the Invoke API of a Service with the functions the
// snapshot cases invoke.
func awsServer(t *testing.T, opts *locallambda.Options) *httptest.Server {
	t.Helper()
	s := newService(t, opts)
	mustRegister(t, s, faas.Config{Name: "echo"}, echo)
	mustRegister(t, s, faas.Config{Name: "cold"}, echo) // invoked once
	mustRegister(t, s, faas.Config{Name: "fails"}, faas.FunctionFunc(func(context.Context, []byte) ([]byte, error) {
		return nil, errors.New("Handler fails")
	}))
	mustRegister(t, s, faas.Config{Name: "zero", ReservedConcurrency: ptr(0)}, echo)
	mustRegister(t, s, faas.Config{Name: "sleeps", Timeout: time.Second}, faas.FunctionFunc(func(ctx context.Context, _ []byte) ([]byte, error) {
		<-ctx.Done()
		return nil, ctx.Err()
	}))
	mustRegister(t, s, faas.Config{Name: "huge"}, faas.FunctionFunc(func(context.Context, []byte) ([]byte, error) {
		return jsonString(locallambda.MaxResponseSize + 1), nil
	}))
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	return srv
}

// TestInvokeAPIMatchesAWS checks the HTTP Invoke API's answers against
// AWS's, as recorded in LocalStack's snapshots: status, the headers that
// matter and the body. Identifiers the snapshots replace by placeholders
// are those of the Service: region us-east-1, account 123456789012.
func TestInvokeAPIMatchesAWS(t *testing.T) {
	const arn = "arn:aws:lambda:us-east-1:123456789012:function:"
	tests := []struct {
		name     string
		snapshot string
		function string // escaped into the path
		query    string
		header   map[string]string
		body     string

		wantStatus int
		// wantHeader maps header names to values; "" means absent.
		wantHeader map[string]string
		// wantBody is the body, with <request-id> standing for the
		// answer's X-Amzn-Requestid. A JSON body is compared as JSON.
		wantBody string
		// messagePrefix means that the error message need only begin
		// with wantBody's: AWS's continues with its JSON parser's words.
		messagePrefix bool
		// wantLog, when set, matches the decoded X-Amz-Log-Result, with
		// <request-id> as above.
		wantLog string
		// wantMessage, when set, replaces wantBody for an error whose
		// snapshot shows only its message (an error type outside
		// Lambda's API model): the body's message must be it.
		wantMessage string
	}{
		{
			name:     "function not found",
			snapshot: snapLambda + "::TestLambdaFeatures::test_invoke_exceptions > invoke_function_doesnotexist",
			function: "doesnotexist",
			body:     `{}`, wantStatus: 404,
			wantHeader: map[string]string{"X-Amzn-Errortype": "ResourceNotFoundException"},
			wantBody:   `{"Type":"User","Message":"Function not found: ` + arn + `doesnotexist"}`,
		},
		{
			name:     "function ARN of another region",
			snapshot: snapAPI + "::TestLambdaFunction::test_get_function_wrong_region[invoke] > wrong_region_exception",
			function: "arn:aws:lambda:eu-central-1:123456789012:function:echo",
			body:     `{}`, wantStatus: 404,
			wantHeader: map[string]string{"X-Amzn-Errortype": "ResourceNotFoundException"},
			wantBody:   `{"Type":"User","Message":"Functions from 'eu-central-1' are not reachable in this region ('us-east-1')"}`,
		},
		{
			name:     "qualifier in the ARN differs from Qualifier",
			snapshot: snapAPI + "::TestLambdaFunction::test_ops_with_arn_qualifier_mismatch[get_function] > not_match_exception",
			function: arn + "some-function:1", query: "Qualifier=$LATEST",
			body: `{}`, wantStatus: 400,
			wantHeader: map[string]string{"X-Amzn-Errortype": "InvalidParameterValueException"},
			wantBody:   `{"Type":"User","message":"The derived qualifier from the function name does not match the specified qualifier."}`,
		},
		{
			name:     "missing function, qualifier in the ARN and Qualifier agree",
			snapshot: snapAPI + "::TestLambdaFunction::test_ops_with_arn_qualifier_mismatch[get_function] > match_exception",
			function: arn + "some-function:$LATEST", query: "Qualifier=$LATEST",
			body: `{}`, wantStatus: 404,
			wantHeader: map[string]string{"X-Amzn-Errortype": "ResourceNotFoundException"},
			wantBody:   `{"Type":"User","Message":"Function not found: ` + arn + `some-function:$LATEST"}`,
		},
		{
			name:     "function name outside the pattern",
			snapshot: snapAPI + "::TestLambdaFunction::test_invalid_invoke > invoke_function_name_pattern_exc",
			function: "arn:aws:lambda:us-east-1:123400000000@function:myfn",
			body:     `{}`, wantStatus: 400,
			wantHeader: map[string]string{"X-Amzn-Errortype": "ValidationException"},
			wantMessage: "1 validation error detected: Value 'arn:aws:lambda:us-east-1:123400000000@function:myfn' at 'functionName' failed to satisfy constraint: " +
				`Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d{1}:)?(\d{12}:)?(function:)?([a-zA-Z0-9-_\.]+)(:(\$LATEST|[a-zA-Z0-9-_]+))?`,
		},
		{
			name:     "version that does not exist",
			snapshot: snapAPI + "::TestLambdaFunction::test_ops_on_nonexisting_version[get_function] > version_not_found_exception",
			function: "echo", query: "Qualifier=1221",
			body: `{}`, wantStatus: 404,
			wantHeader: map[string]string{"X-Amzn-Errortype": "ResourceNotFoundException"},
			wantBody:   `{"Type":"User","Message":"Function not found: ` + arn + `echo:1221"}`,
		},
		{
			name:     "reserved concurrency 0",
			snapshot: snapLambda + "::TestLambdaConcurrency::test_reserved_concurrency > exc_no_cap_requestresponse",
			function: "zero",
			body:     `{}`, wantStatus: 429,
			wantHeader: map[string]string{"X-Amzn-Errortype": "TooManyRequestsException"},
			wantBody:   `{"Reason":"ReservedFunctionConcurrentInvocationLimitExceeded","Type":"User","message":"Rate Exceeded."}`,
		},
		{
			name:     "reserved concurrency 0, Event",
			snapshot: snapLambda + "::TestLambdaConcurrency::test_reserved_concurrency > invoke_result",
			function: "zero", header: map[string]string{"X-Amz-Invocation-Type": "Event"},
			body: `{}`, wantStatus: 202,
			wantHeader: map[string]string{"X-Amz-Executed-Version": "", "X-Amzn-Errortype": ""},
		},
		{
			name:     "payload not JSON",
			snapshot: snapLambda + "::TestLambdaErrors::test_lambda_invoke_payload_encoding_error[message-…] > invoke_function_invalid_payload_message",
			function: "echo",
			body:     "\x99\xeb,j\x07\xa1zYh", wantStatus: 400,
			wantHeader:    map[string]string{"X-Amzn-Errortype": "InvalidRequestContentException"},
			wantBody:      `{"Type":"User","message":"Could not parse request body into json: Could not parse payload into json: "}`,
			messagePrefix: true,
		},
		{
			name:     "RequestResponse",
			snapshot: snapLambda + "::TestLambdaFeatures::test_invocation_type_request_response[python3.10] > invoke-result",
			function: "echo", header: map[string]string{"X-Amz-Invocation-Type": "RequestResponse"},
			body: `{}`, wantStatus: 200,
			wantHeader: map[string]string{"X-Amz-Executed-Version": "$LATEST", "X-Amz-Function-Error": "", "Content-Type": "application/json"},
			wantBody:   `{}`,
		},
		{
			name:     "Event",
			snapshot: snapLambda + "::TestLambdaFeatures::test_invocation_type_event[python3.10] > invoke-result",
			function: "echo", header: map[string]string{"X-Amz-Invocation-Type": "Event"},
			body: `{}`, wantStatus: 202,
			wantHeader: map[string]string{"X-Amz-Executed-Version": "", "X-Amz-Function-Error": ""},
		},
		{
			name:     "DryRun",
			snapshot: snapLambda + "::TestLambdaFeatures::test_invocation_type_dry_run[python3.10] > invoke-result",
			function: "echo", header: map[string]string{"X-Amz-Invocation-Type": "DryRun"},
			body: `{}`, wantStatus: 204,
			wantHeader: map[string]string{"X-Amz-Executed-Version": "", "X-Amz-Function-Error": ""},
		},
		{
			name:     "function error",
			snapshot: snapLambda + "::TestLambdaErrors::test_lambda_handler_error > invocation_error",
			function: "fails",
			body:     `{}`, wantStatus: 200,
			wantHeader: map[string]string{"X-Amz-Executed-Version": "$LATEST", "X-Amz-Function-Error": "Unhandled"},
			// aws-lambda-go's shape for a returned error: no stack trace
			// (the Python runtime's requestId and stackTrace are its own).
			wantBody: `{"errorMessage":"Handler fails","errorType":"errorString"}`,
		},
		{
			name:     "timeout",
			snapshot: snapLambda + "::TestLambdaBehavior::test_lambda_invoke_with_timeout > invoke-result",
			function: "sleeps",
			body:     `{}`, wantStatus: 200,
			wantHeader: map[string]string{"X-Amz-Executed-Version": "$LATEST", "X-Amz-Function-Error": "Unhandled"},
			wantBody:   `{"errorType":"Sandbox.Timedout","errorMessage":"RequestId: <request-id> Error: Task timed out after 1.00 seconds"}`,
		},
		{
			name:     "response too large",
			snapshot: snapLambda + "::TestLambdaBaseFeatures::test_lambda_too_large_response > invoke_result",
			function: "huge",
			body:     `{}`, wantStatus: 200,
			wantHeader: map[string]string{"X-Amz-Executed-Version": "$LATEST", "X-Amz-Function-Error": "Unhandled"},
			wantBody:   `{"errorMessage":"Response payload size exceeded maximum allowed payload size (6291556 bytes).","errorType":"Function.ResponseSizeTooLarge"}`,
		},
		{
			name:     "log tail of a cold start",
			snapshot: snapLambda + "::TestLambdaFeatures::test_invocation_with_logs[python3.10] > logs",
			function: "cold", header: map[string]string{"X-Amz-Log-Type": "Tail"},
			body: `{}`, wantStatus: 200,
			wantHeader: map[string]string{"X-Amz-Executed-Version": "$LATEST"},
			wantBody:   `{}`,
			wantLog: `^START RequestId: <request-id> Version: \$LATEST\n` +
				`END RequestId: <request-id>\n` +
				`REPORT RequestId: <request-id>\tDuration: \d+\.\d\d ms\tBilled Duration: \d+ ms\tMemory Size: 128 MB\tMax Memory Used: \d+ MB\tInit Duration: \d+\.\d\d ms\t\n$`,
		},
	}
	srv := awsServer(t, nil)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Logf("snapshot: %s", tc.snapshot)
			u := srv.URL + "/2015-03-31/functions/" + strings.ReplaceAll(tc.function, ":", "%3A") + "/invocations"
			if tc.query != "" {
				u += "?" + tc.query
			}
			req, err := http.NewRequest("POST", u, strings.NewReader(tc.body))
			if err != nil {
				t.Fatal(err)
			}
			for k, v := range tc.header {
				req.Header.Set(k, v)
			}
			resp, err := srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body, err := io.ReadAll(resp.Body)
			if err != nil {
				t.Fatal(err)
			}
			id := resp.Header.Get("X-Amzn-Requestid")
			if id == "" {
				t.Errorf("no X-Amzn-Requestid header")
			}
			if resp.StatusCode != tc.wantStatus {
				t.Errorf("status = %d, want %d", resp.StatusCode, tc.wantStatus)
			}
			gotHeader := map[string]string{}
			for k := range tc.wantHeader {
				gotHeader[k] = resp.Header.Get(k)
			}
			if diff := cmp.Diff(tc.wantHeader, gotHeader); diff != "" {
				t.Errorf("headers (-want +got):\n%s", diff)
			}
			wantBody := strings.ReplaceAll(tc.wantBody, "<request-id>", id)
			var want, got map[string]any
			if tc.wantMessage != "" {
				var e struct{ Message string }
				if err := json.Unmarshal(body, &e); err != nil {
					t.Errorf("body %q: %v", body, err)
				}
				if diff := cmp.Diff(tc.wantMessage, e.Message); diff != "" {
					t.Errorf("message (-want +got):\n%s", diff)
				}
			} else if json.Unmarshal([]byte(wantBody), &want) == nil && json.Unmarshal(body, &got) == nil {
				if tc.messagePrefix {
					w, _ := want["message"].(string)
					if g, _ := got["message"].(string); strings.HasPrefix(g, w) {
						got["message"] = w
					}
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("body (-want +got):\n%s", diff)
				}
			} else if string(body) != wantBody {
				t.Errorf("body = %q, want %q", body, wantBody)
			}
			if tc.wantLog != "" {
				log, err := base64.StdEncoding.DecodeString(resp.Header.Get("X-Amz-Log-Result"))
				if err != nil {
					t.Fatalf("X-Amz-Log-Result: %v", err)
				}
				re := regexp.MustCompile(strings.ReplaceAll(tc.wantLog, "<request-id>", regexp.QuoteMeta(id)))
				if !re.Match(log) {
					t.Errorf("log tail =\n%q\nwant a match for\n%q", log, re)
				}
			}
		})
	}
}

// TestZeroReservedConcurrencyEventMatchesAWS checks what becomes of an
// Event invocation of a function with reserved concurrency 0: Lambda
// accepts it (202) and discards it without running the function, with
// the condition ZeroReservedConcurrency and no attempt.
//
// Snapshot: tests/aws/services/lambda_/test_lambda.snapshot.json::
// TestLambdaConcurrency::test_reserved_concurrency > invoke_result, msg
// (requestContext.condition "ZeroReservedConcurrency",
// approximateInvokeCount 0).
func TestZeroReservedConcurrencyEventMatchesAWS(t *testing.T) {
	done := make(chan locallambda.EventResult, 1)
	s := newService(t, &locallambda.Options{OnEventDone: func(r locallambda.EventResult) { done <- r }})
	mustRegister(t, s, faas.Config{Name: "zero", ReservedConcurrency: ptr(0)}, echo)
	res, err := s.Invoke(context.Background(), locallambda.InvokeRequest{FunctionName: "zero", InvocationType: locallambda.Event})
	if err != nil {
		t.Fatalf("Invoke(Event) = %v", err)
	}
	if res.StatusCode != 202 {
		t.Errorf("StatusCode = %d, want 202", res.StatusCode)
	}
	select {
	case r := <-done: // before Close: the event is not held
		if !errors.Is(r.Err, locallambda.ErrZeroReservedConcurrency) || r.Attempts != 0 || r.Result != nil || r.RequestID != res.RequestID {
			t.Errorf("EventResult = %+v, want no attempt, request id %s and ErrZeroReservedConcurrency", r, res.RequestID)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the event was not dropped")
	}
}
