//go:build unix

package locallambda_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/faasport/faasport/emulator/locallambda"
	"github.com/faasport/faasport/faas"
)

// More of LocalStack's snapshot files (see TestInvokeAPIMatchesAWS), for
// functions on the provided runtimes, which [locallambda.Process] runs.
const (
	snapCommon   = "tests/aws/services/lambda_/test_lambda_common.snapshot.json"
	snapRuntimes = "tests/aws/services/lambda_/test_lambda_runtimes.snapshot.json"
)

// TestProvidedRuntimeMatchesAWS checks a function executable (the
// aws-lambda-go bootstrap of testdata), invoked through the HTTP Invoke
// API, against AWS's answers for provided.al2023 functions: the payload
// and headers of a returned error, and the invoked ARN, context and
// environment variables the function sees. The snapshots' function has
// 1024 MB and the environment variable TEST_KEY.
func TestProvidedRuntimeMatchesAWS(t *testing.T) {
	const arn = "arn:aws:lambda:us-east-1:123456789012:function:f"
	s := newService(t, nil)
	registerProcess(t, s, faas.Config{Name: "f", MemoryMB: 1024, Timeout: 30 * time.Second,
		Environment: map[string]string{"TEST_KEY": "TEST_VAL"}}, locallambda.Process{})
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	post := func(t *testing.T, query, payload string) (*http.Response, []byte) {
		t.Helper()
		resp, err := srv.Client().Post(srv.URL+"/2015-03-31/functions/f/invocations"+query, "application/json", strings.NewReader(payload))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return resp, body
	}

	t.Run("returned error", func(t *testing.T) {
		t.Logf("snapshot: %s", snapRuntimes+"::TestGoProvidedRuntimes::test_uncaught_exception_invoke[provided.al2023] > error_result")
		resp, body := post(t, "", `{"op":"error","msg":"Error: some_error_msg"}`)
		if resp.StatusCode != 200 {
			t.Errorf("status = %d, want 200", resp.StatusCode)
		}
		wantHeader := map[string]string{"X-Amz-Executed-Version": "$LATEST", "X-Amz-Function-Error": "Unhandled"}
		gotHeader := map[string]string{}
		for k := range wantHeader {
			gotHeader[k] = resp.Header.Get(k)
		}
		if diff := cmp.Diff(wantHeader, gotHeader); diff != "" {
			t.Errorf("headers (-want +got):\n%s", diff)
		}
		want := map[string]any{"errorMessage": "Error: some_error_msg", "errorType": "errorString"}
		var got map[string]any
		if err := json.Unmarshal(body, &got); err != nil {
			t.Fatalf("body %q: %v", body, err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("body (-want +got):\n%s", diff)
		}
	})

	// What the function saw, as the snapshots show it: its context and
	// the environment variables Lambda sets, of which AWS_EXECUTION_ENV
	// is absent on provided runtimes (the other runtimes' snapshots name
	// theirs, such as AWS_Lambda_python3.12).
	type seen struct {
		InvokedARN, FunctionName, FunctionVersion, LogGroupName string
		MemoryLimitInMB                                         int
		Env                                                     map[string]string
	}
	envNames := []string{
		"AWS_DEFAULT_REGION", "AWS_EXECUTION_ENV", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_NAME",
		"AWS_LAMBDA_FUNCTION_VERSION", "AWS_LAMBDA_INITIALIZATION_TYPE", "AWS_LAMBDA_LOG_GROUP_NAME",
		"AWS_REGION", "LANG", "TEST_KEY", "TZ",
	}
	wantEnv := map[string]string{
		"AWS_DEFAULT_REGION":              "us-east-1",
		"AWS_EXECUTION_ENV":               "",
		"AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "1024",
		"AWS_LAMBDA_FUNCTION_NAME":        "f",
		"AWS_LAMBDA_FUNCTION_VERSION":     "$LATEST",
		"AWS_LAMBDA_INITIALIZATION_TYPE":  "on-demand",
		"AWS_LAMBDA_LOG_GROUP_NAME":       "/aws/lambda/f",
		"AWS_REGION":                      "us-east-1",
		"LANG":                            "en_US.UTF-8",
		"TEST_KEY":                        "TEST_VAL",
		"TZ":                              ":UTC",
	}
	tests := []struct {
		name, snapshot, query, wantARN string
	}{
		{
			name:     "unqualified",
			snapshot: snapCommon + "::TestLambdaRuntimesCommon::test_introspection_invoke[provided.al2023] > invocation_result_payload",
			wantARN:  arn,
		},
		{
			name:     "Qualifier $LATEST",
			snapshot: snapCommon + "::TestLambdaRuntimesCommon::test_introspection_invoke[provided.al2023] > invocation_result_payload_qualified",
			query:    "?Qualifier=%24LATEST",
			wantARN:  arn + ":$LATEST",
		},
	}
	var streams, traces []string
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Logf("snapshot: %s", tc.snapshot)
			resp, body := post(t, tc.query, `{"op":"info"}`)
			var info procInfo
			if resp.StatusCode != 200 || json.Unmarshal(body, &info) != nil {
				t.Fatalf("info = %d %s", resp.StatusCode, body)
			}
			got := seen{
				InvokedARN: info.FunctionARN, FunctionName: info.FunctionName, FunctionVersion: info.FunctionVersion,
				LogGroupName: info.LogGroupName, MemoryLimitInMB: info.MemoryLimitInMB, Env: map[string]string{},
			}
			for _, k := range envNames {
				got.Env[k] = info.Env[k]
			}
			want := seen{
				InvokedARN: tc.wantARN, FunctionName: "f", FunctionVersion: "$LATEST",
				LogGroupName: "/aws/lambda/f", MemoryLimitInMB: 1024, Env: wantEnv,
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("what the function saw (-want +got):\n%s", diff)
			}
			if s := info.Env["AWS_LAMBDA_LOG_STREAM_NAME"]; s != info.LogStreamName {
				t.Errorf("AWS_LAMBDA_LOG_STREAM_NAME = %q, but the context's log stream is %q", s, info.LogStreamName)
			}
			streams, traces = append(streams, info.LogStreamName), append(traces, info.TraceID)
		})
	}
	// Both invocations ran in the same environment (<log-stream-name:1>
	// twice), each with a trace id of its own (<x-amzn-trace-id:1>, :2).
	if len(streams) == 2 && (streams[0] != streams[1] || traces[0] == traces[1]) {
		t.Errorf("log streams %q and trace ids %q: want the same stream and different trace ids", streams, traces)
	}
}
