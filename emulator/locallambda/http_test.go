package locallambda_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/aws/smithy-go"
	"github.com/faasport/faasport/emulator/locallambda"
	"github.com/faasport/faasport/faas"
	"github.com/faasport/faasport/internal/awstest"
	"github.com/google/go-cmp/cmp"
)

// newServer starts the Invoke API of a Service with the test functions:
// "echo", "fails" (returns an error), "logs" (logs a line) and
// "throttled" (reserved concurrency 0).
func newServer(t testing.TB) *httptest.Server {
	t.Helper()
	s := newService(t, nil)
	mustRegister(t, s, faas.Config{Name: "echo"}, echo)
	mustRegister(t, s, faas.Config{Name: "fails"}, faas.FunctionFunc(func(context.Context, []byte) ([]byte, error) {
		return nil, errors.New("it failed")
	}))
	mustRegister(t, s, faas.Config{Name: "logs"}, logging)
	mustRegister(t, s, faas.Config{Name: "throttled", ReservedConcurrency: ptr(0)}, echo)
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	return srv
}

// newClient returns an SDK client for srv, without retries so that a
// throttle is seen at once.
func newClient(srv *httptest.Server) *lambda.Client {
	cfg := aws.Config{
		Region:      "us-east-1",
		Credentials: credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", ""),
		HTTPClient:  srv.Client(),
	}
	return lambda.NewFromConfig(cfg, func(o *lambda.Options) {
		o.BaseEndpoint = aws.String(srv.URL)
		o.Retryer = awstest.Retryer()
	})
}

func TestSDKInvoke(t *testing.T) {
	type result struct {
		StatusCode      int32
		Payload         string
		FunctionError   string
		ExecutedVersion string
	}
	tests := []struct {
		name string
		in   lambda.InvokeInput
		want result
	}{
		{
			name: "request response",
			in:   lambda.InvokeInput{FunctionName: aws.String("echo"), Payload: []byte(`{"hello":"sdk"}`)},
			want: result{200, `{"hello":"sdk"}`, "", "$LATEST"},
		},
		{
			name: "ARN and qualifier",
			in: lambda.InvokeInput{FunctionName: aws.String("arn:aws:lambda:us-east-1:123456789012:function:echo"),
				Qualifier: aws.String("$LATEST"), Payload: []byte(`[1,2]`)},
			want: result{200, `[1,2]`, "", "$LATEST"},
		},
		{
			name: "client context",
			in: lambda.InvokeInput{FunctionName: aws.String("echo"), Payload: []byte(`1`),
				ClientContext: aws.String(base64.StdEncoding.EncodeToString([]byte(`{"custom":{"a":"b"}}`)))},
			want: result{200, `1`, "", "$LATEST"},
		},
		{
			name: "function error",
			in:   lambda.InvokeInput{FunctionName: aws.String("fails")},
			want: result{200, `{"errorMessage":"it failed","errorType":"errorString"}`, "Unhandled", "$LATEST"},
		},
		{
			name: "event",
			in:   lambda.InvokeInput{FunctionName: aws.String("echo"), InvocationType: types.InvocationTypeEvent, Payload: []byte(`{}`)},
			want: result{StatusCode: 202},
		},
		{
			name: "dry run",
			in:   lambda.InvokeInput{FunctionName: aws.String("echo"), InvocationType: types.InvocationTypeDryRun},
			want: result{StatusCode: 204},
		},
	}
	client := newClient(newServer(t))
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, err := client.Invoke(context.Background(), &tc.in)
			if err != nil {
				t.Fatalf("Invoke = %v", err)
			}
			got := result{out.StatusCode, string(out.Payload), aws.ToString(out.FunctionError), aws.ToString(out.ExecutedVersion)}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Invoke (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSDKLogTail(t *testing.T) {
	client := newClient(newServer(t))
	out, err := client.Invoke(context.Background(), &lambda.InvokeInput{FunctionName: aws.String("logs"), LogType: types.LogTypeTail})
	if err != nil {
		t.Fatal(err)
	}
	log, err := base64.StdEncoding.DecodeString(aws.ToString(out.LogResult))
	if err != nil {
		t.Fatalf("LogResult %q: %v", aws.ToString(out.LogResult), err)
	}
	re := regexp.MustCompile(`(?s)^START RequestId: \S+ Version: \$LATEST\n.*msg=hello.*\nEND RequestId: \S+\nREPORT RequestId: .*\n$`)
	if !re.Match(log) {
		t.Errorf("LogResult =\n%s\nwant a match for %v", log, re)
	}
}

func TestSDKInvocationErrors(t *testing.T) {
	tests := []struct {
		name  string
		in    lambda.InvokeInput
		check func(t *testing.T, err error)
	}{
		{"not found", lambda.InvokeInput{FunctionName: aws.String("nope")}, func(t *testing.T, err error) {
			var e *types.ResourceNotFoundException
			if !errors.As(err, &e) {
				t.Fatalf("error %v is not a ResourceNotFoundException", err)
			}
			if diff := cmp.Diff([]string{"Function not found: arn:aws:lambda:us-east-1:123456789012:function:nope", "User"},
				[]string{e.ErrorMessage(), aws.ToString(e.Type)}); diff != "" {
				t.Errorf("message, type (-want +got):\n%s", diff)
			}
		}},
		{"throttled", lambda.InvokeInput{FunctionName: aws.String("throttled")}, func(t *testing.T, err error) {
			var e *types.TooManyRequestsException
			if !errors.As(err, &e) {
				t.Fatalf("error %v is not a TooManyRequestsException", err)
			}
			if e.Reason != types.ThrottleReasonReservedFunctionConcurrentInvocationLimitExceeded {
				t.Errorf("Reason = %q, want %q", e.Reason, types.ThrottleReasonReservedFunctionConcurrentInvocationLimitExceeded)
			}
		}},
		{"too large", lambda.InvokeInput{FunctionName: aws.String("echo"), Payload: jsonString(locallambda.MaxRequestSize + 1)}, func(t *testing.T, err error) {
			var e *types.RequestTooLargeException
			if !errors.As(err, &e) {
				t.Fatalf("error %v is not a RequestTooLargeException", err)
			}
		}},
		{"empty qualifier", lambda.InvokeInput{FunctionName: aws.String("echo"), Qualifier: aws.String("")}, func(t *testing.T, err error) {
			var e smithy.APIError
			if !errors.As(err, &e) {
				t.Fatalf("error %v is not an API error", err)
			}
			want := []string{"ValidationException", "1 validation error detected: Value '' at 'qualifier' failed to satisfy constraint: Member must have length greater than or equal to 1"}
			if diff := cmp.Diff(want, []string{e.ErrorCode(), e.ErrorMessage()}); diff != "" {
				t.Errorf("code, message (-want +got):\n%s", diff)
			}
		}},
		{"not JSON", lambda.InvokeInput{FunctionName: aws.String("echo"), Payload: []byte("hello")}, func(t *testing.T, err error) {
			var e *types.InvalidRequestContentException
			if !errors.As(err, &e) {
				t.Fatalf("error %v is not an InvalidRequestContentException", err)
			}
		}},
	}
	client := newClient(newServer(t))
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := client.Invoke(context.Background(), &tc.in)
			tc.check(t, err)
		})
	}
}

func TestHTTPErrorShape(t *testing.T) {
	tests := []struct {
		name       string
		method     string
		path       string
		header     map[string]string
		body       string
		chunked    bool // body is read as a chunked body, as a server reads one
		wantStatus int
		wantType   string
		wantBody   string
	}{
		{
			name: "throttled", method: "POST", path: "/2015-03-31/functions/throttled/invocations",
			wantStatus: 429, wantType: "TooManyRequestsException",
			wantBody: `{"Reason":"ReservedFunctionConcurrentInvocationLimitExceeded","Type":"User","message":"Rate Exceeded."}`,
		},
		{
			name: "not found", method: "POST", path: "/2015-03-31/functions/nope/invocations",
			wantStatus: 404, wantType: "ResourceNotFoundException",
			wantBody: `{"Type":"User","Message":"Function not found: arn:aws:lambda:us-east-1:123456789012:function:nope"}`,
		},
		{
			name: "escaped ARN", method: "POST", path: "/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Anope/invocations",
			wantStatus: 404, wantType: "ResourceNotFoundException",
			wantBody: `{"Type":"User","Message":"Function not found: arn:aws:lambda:us-east-1:123456789012:function:nope"}`,
		},
		{
			name: "unknown path", method: "GET", path: "/2015-03-31/functions",
			wantStatus: 404, wantType: "UnknownOperationException",
			wantBody: `{"Type":"User","message":"Unknown operation GET /2015-03-31/functions"}`,
		},
		{
			name: "wrong method", method: "GET", path: "/2015-03-31/functions/echo/invocations",
			wantStatus: 404, wantType: "UnknownOperationException",
			wantBody: `{"Type":"User","message":"Unknown operation GET /2015-03-31/functions/echo/invocations"}`,
		},
		{
			name: "bad invocation type", method: "POST", path: "/2015-03-31/functions/echo/invocations",
			header:     map[string]string{"X-Amz-Invocation-Type": "Soon"},
			wantStatus: 400, wantType: "ValidationException",
			wantBody: `{"Type":"User","message":"1 validation error detected: Value 'Soon' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [Event, RequestResponse, DryRun]"}`,
		},
		{
			name: "empty qualifier", method: "POST", path: "/2015-03-31/functions/echo/invocations?Qualifier=",
			wantStatus: 400, wantType: "ValidationException",
			wantBody: `{"Type":"User","message":"1 validation error detected: Value '' at 'qualifier' failed to satisfy constraint: Member must have length greater than or equal to 1"}`,
		},
		{
			name: "too large", method: "POST", path: "/2015-03-31/functions/echo/invocations",
			body:       string(jsonString(locallambda.MaxRequestSize + 1)),
			wantStatus: 413, wantType: "RequestTooLargeException",
			wantBody: `{"Type":"User","message":"Request must be smaller than 6291456 bytes for the InvokeFunction operation"}`,
		},
		{
			name: "malformed chunked body", method: "POST", path: "/2015-03-31/functions/echo/invocations",
			body: "7\r\n{}", chunked: true,
			wantStatus: 400, wantType: "InvalidRequestContentException",
			wantBody: `{"Type":"User","message":"Could not read request body"}`,
		},
	}
	h := newServer(t).Config.Handler
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest(tc.method, tc.path, strings.NewReader(tc.body))
			if tc.chunked {
				req.Body = io.NopCloser(httputil.NewChunkedReader(strings.NewReader(tc.body)))
			}
			for k, v := range tc.header {
				req.Header.Set(k, v)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			//lint:ignore SA1008 the server writes the header in AWS's spelling, bypassing canonicalisation
			got := []any{rec.Code, rec.Header()["x-amzn-ErrorType"], rec.Header().Get("Content-Type"), rec.Body.String()}
			want := []any{tc.wantStatus, []string{tc.wantType}, "application/json", tc.wantBody}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%s %s (-want +got):\n%s", tc.method, tc.path, diff)
			}
			if rec.Header().Get("X-Amzn-Requestid") == "" {
				t.Errorf("no X-Amzn-Requestid header")
			}
		})
	}
}

// countingBody is a request body of n bytes that counts what was read.
type countingBody struct{ n, read int }

func (b *countingBody) Read(p []byte) (int, error) {
	if b.read >= b.n {
		return 0, io.EOF
	}
	k := min(len(p), b.n-b.read)
	for i := range p[:k] {
		p[i] = ' ' // JSON whitespace inside the test's "{" and "}"
	}
	b.read += k
	return k, nil
}

func (b *countingBody) Close() error { return nil }

// countingReader counts what is read from r.
type countingReader struct {
	r    io.Reader
	read int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.read += n
	return n, err
}

// A synchronous invocation of a function at its concurrency limit is
// throttled before its body is read, so that a flood of large requests
// costs no memory; invocations that are not throttled read theirs.
func TestHTTPThrottledBodiesAreNotRead(t *testing.T) {
	s := newService(t, nil)
	g := newGate()
	mustRegister(t, s, faas.Config{Name: "busy", ReservedConcurrency: ptr(1)}, g)
	mustRegister(t, s, faas.Config{Name: "free"}, echo)
	running := invokeAsync(s, locallambda.InvokeRequest{FunctionName: "busy"})
	<-g.started
	defer func() { close(g.release); <-running }()

	const size = 512 << 10 // within the Event invocation type's 1 MB
	tests := []struct {
		name, function, invocationType string
		wantStatus, wantRead           int
	}{
		{"throttled", "busy", "", http.StatusTooManyRequests, 0},
		{"throttled, RequestResponse", "busy", "RequestResponse", http.StatusTooManyRequests, 0},
		{"Event, queued instead", "busy", "Event", http.StatusAccepted, size},
		{"not throttled", "free", "", http.StatusOK, size},
	}
	for _, tt := range tests {
		body := &countingBody{n: size}
		r := httptest.NewRequest(http.MethodPost, "/2015-03-31/functions/"+tt.function+"/invocations", io.MultiReader(strings.NewReader("{"), body, strings.NewReader("}")))
		r.ContentLength = -1
		if tt.invocationType != "" {
			r.Header.Set("X-Amz-Invocation-Type", tt.invocationType)
		}
		w := httptest.NewRecorder()
		s.Handler().ServeHTTP(w, r)
		if diff := cmp.Diff([2]int{tt.wantStatus, tt.wantRead}, [2]int{w.Code, body.read}); diff != "" {
			t.Errorf("%s: [status, bytes read] mismatch (-want +got):\n%s\n%s", tt.name, diff, w.Body)
		}
	}
}

// Options.Authorize sees each Invoke API request with the ARN IAM would
// name for it, before the body is read, and its refusal is the answer.
func TestHTTPAuthorize(t *testing.T) {
	var seen []string
	s := newService(t, &locallambda.Options{Authorize: func(r *http.Request, resource string) *locallambda.InvokeError {
		seen = append(seen, resource)
		if r.Header.Get("X-Test-Deny") != "" {
			return &locallambda.InvokeError{StatusCode: 403, Type: locallambda.AccessDeniedException,
				Message: "User: anonymous is not authorized to perform: lambda:InvokeFunction on resource: " + resource}
		}
		return nil
	}})
	mustRegister(t, s, faas.Config{Name: "f"}, echo)
	const arn = "arn:aws:lambda:us-east-1:123456789012:function:f"
	tests := []struct {
		name, path   string
		deny         bool
		wantResource string
		wantStatus   int
		wantBody     string
		wantRead     bool
	}{
		{"by name", "/2015-03-31/functions/f/invocations", false, arn, 200, `{}`, true},
		{"with a qualifier", "/2015-03-31/functions/f/invocations?Qualifier=%24LATEST", false, arn + ":$LATEST", 200, `{}`, true},
		{"by ARN", "/2015-03-31/functions/" + url.PathEscape(arn+":$LATEST") + "/invocations", false, arn + ":$LATEST", 200, `{}`, true},
		{"by partial ARN", "/2015-03-31/functions/123456789012%3Afunction%3Af/invocations", false, arn, 200, `{}`, true},
		{"an unknown function", "/2015-03-31/functions/g/invocations", false, "arn:aws:lambda:us-east-1:123456789012:function:g", 404, "", true},
		{"refused", "/2015-03-31/functions/f/invocations", true, arn, 403,
			`{"Type":"User","Message":"User: anonymous is not authorized to perform: lambda:InvokeFunction on resource: ` + arn + `"}`, false},
	}
	for _, tt := range tests {
		seen = nil
		body := &countingReader{r: strings.NewReader("{}")}
		r := httptest.NewRequest(http.MethodPost, tt.path, body)
		if tt.deny {
			r.Header.Set("X-Test-Deny", "1")
		}
		w := httptest.NewRecorder()
		s.Handler().ServeHTTP(w, r)
		got := []any{seen, w.Code, body.read > 0}
		want := []any{[]string{tt.wantResource}, tt.wantStatus, tt.wantRead}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s: [resources seen, status, body read] mismatch (-want +got):\n%s", tt.name, diff)
		}
		if tt.wantBody != "" && w.Body.String() != tt.wantBody {
			t.Errorf("%s: body %s, want %s", tt.name, w.Body, tt.wantBody)
		}
		// The handler writes the header in AWS's spelling, as a raw key.
		var errType string
		for k, v := range w.Header() {
			if strings.EqualFold(k, "x-amzn-ErrorType") {
				errType = strings.Join(v, ",")
			}
		}
		if got := errType; tt.deny && got != "AccessDeniedException" {
			t.Errorf("%s: x-amzn-ErrorType %q", tt.name, got)
		}
	}
}

func TestHTTPFunctionResponse(t *testing.T) {
	srv := newServer(t)
	req, _ := http.NewRequest("POST", srv.URL+"/2015-03-31/functions/fails/invocations", strings.NewReader(`{}`))
	req.Header.Set("Content-Type", "application/octet-stream")
	req.Header.Set("X-Amz-Log-Type", "Tail")
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body bytes.Buffer
	body.ReadFrom(resp.Body)
	got := []any{resp.StatusCode, resp.Header.Get("X-Amz-Function-Error"), resp.Header.Get("X-Amz-Executed-Version"), body.String()}
	want := []any{200, "Unhandled", "$LATEST", `{"errorMessage":"it failed","errorType":"errorString"}`}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("response (-want +got):\n%s", diff)
	}
	log, err := base64.StdEncoding.DecodeString(resp.Header.Get("X-Amz-Log-Result"))
	if err != nil || !strings.Contains(string(log), "END RequestId: "+resp.Header.Get("X-Amzn-Requestid")) {
		t.Errorf("X-Amz-Log-Result = %q (%v), want the log tail of request %s", log, err, resp.Header.Get("X-Amzn-Requestid"))
	}
}

// TestAWSCLI invokes functions with the AWS CLI, the way a developer
// would from a shell.
func TestAWSCLI(t *testing.T) {
	aws, err := exec.LookPath("aws")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("the AWS CLI (aws) is not on PATH: .ci/run must `apt-get install -y awscli`")
		}
		t.Skip("the AWS CLI (aws) is not on PATH; install it (Debian: apt-get install -y awscli) to run this test")
	}
	srv := newServer(t)
	dir := t.TempDir()

	// A clean environment: static credentials, no profile or config file.
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "AWS_") {
			env = append(env, kv)
		}
	}
	env = append(env,
		"AWS_ACCESS_KEY_ID=AKIDEXAMPLE",
		"AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
		"AWS_DEFAULT_REGION=us-east-1",
		"AWS_CONFIG_FILE="+filepath.Join(dir, "config"),
		"AWS_SHARED_CREDENTIALS_FILE="+filepath.Join(dir, "credentials"),
		"AWS_EC2_METADATA_DISABLED=true",
		"AWS_PAGER=",
		"AWS_MAX_ATTEMPTS=1", // no retries: a throttle fails at once
	)
	run := func(args ...string) (stdout, stderr string, err error) {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, aws, args...)
		cmd.Env = env
		var o, e bytes.Buffer
		cmd.Stdout, cmd.Stderr = &o, &e
		err = cmd.Run()
		return o.String(), e.String(), err
	}

	version, _, err := run("--version")
	if err != nil {
		t.Fatalf("aws --version: %v", err)
	}
	t.Logf("%s: %s", aws, strings.TrimSpace(version))
	var binaryFormat []string
	if !strings.HasPrefix(version, "aws-cli/1.") {
		// Version 2 reads --payload as base64 unless told otherwise.
		binaryFormat = []string{"--cli-binary-format", "raw-in-base64-out"}
	}

	tests := []struct {
		name       string
		function   string
		args       []string // more arguments
		wantOut    string   // the response file
		wantStdout string   // a regexp
		wantStderr string   // a regexp; set when the command must fail
		wantTail   string   // a regexp the decoded LogResult must match; "" when there is none
	}{
		{
			name: "echo", function: "echo", wantOut: `{"hello":"cli"}`,
			wantStdout: `(?s)"StatusCode": 200,.*"ExecutedVersion": "\$LATEST"`,
			wantTail:   `(?s)^START RequestId: \S+ Version: \$LATEST\n.*END RequestId: .*REPORT RequestId: .*Billed Duration: `,
		},
		{
			name: "log tail", function: "logs", wantOut: `{"hello":"cli"}`,
			wantStdout: `"StatusCode": 200`,
			wantTail:   `(?s)START RequestId: .*msg=hello n=1.*msg=grouped .*g\.k=v.*END RequestId: .*REPORT RequestId: `,
		},
		{
			name: "qualifier $LATEST", function: "echo", args: []string{"--qualifier", "$LATEST"}, wantOut: `{"hello":"cli"}`,
			wantStdout: `(?s)"StatusCode": 200,.*"ExecutedVersion": "\$LATEST"`, wantTail: `START RequestId: `,
		},
		{
			name: "unknown qualifier", function: "echo", args: []string{"--qualifier", "7"},
			wantStderr: `ResourceNotFoundException.*Function not found: arn:aws:lambda:us-east-1:123456789012:function:echo:7`,
		},
		{
			name: "Event", function: "echo", args: []string{"--invocation-type", "Event"},
			wantStdout: `"StatusCode": 202`,
		},
		{
			name: "DryRun", function: "echo", args: []string{"--invocation-type", "DryRun"},
			wantStdout: `"StatusCode": 204`,
		},
		{
			name: "function error", function: "fails", wantOut: `{"errorMessage":"it failed","errorType":"errorString"}`,
			wantStdout: `(?s)"StatusCode": 200,.*"FunctionError": "Unhandled"`,
			wantTail:   `(?s)it failed.*REPORT RequestId: `,
		},
		{
			name: "not found", function: "nope",
			wantStderr: `ResourceNotFoundException.*Function not found: arn:aws:lambda:us-east-1:123456789012:function:nope`,
		},
		{
			name: "throttled", function: "throttled",
			wantStderr: `TooManyRequestsException.*Rate Exceeded\.`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel() // each run starts a Python interpreter: seconds
			out := filepath.Join(t.TempDir(), "out.json")
			args := []string{"lambda", "invoke", "--endpoint-url", srv.URL, "--function-name", tc.function,
				"--payload", `{"hello":"cli"}`, "--log-type", "Tail", "--cli-read-timeout", "30"}
			args = append(args, tc.args...)
			args = append(args, binaryFormat...)
			args = append(args, out)
			stdout, stderr, err := run(args...)
			if tc.wantStderr != "" {
				if err == nil {
					t.Fatalf("aws lambda invoke succeeded, want failure; stdout:\n%s", stdout)
				}
				if !regexp.MustCompile(tc.wantStderr).MatchString(stderr) {
					t.Errorf("stderr = %q, want a match for %q", stderr, tc.wantStderr)
				}
				return
			}
			if err != nil {
				t.Fatalf("aws lambda invoke: %v\nstderr:\n%s", err, stderr)
			}
			if !regexp.MustCompile(tc.wantStdout).MatchString(stdout) {
				t.Errorf("stdout = %s, want a match for %q", stdout, tc.wantStdout)
			}
			var res struct{ LogResult string }
			if err := json.Unmarshal([]byte(stdout), &res); err != nil {
				t.Fatalf("stdout = %s: %v", stdout, err)
			}
			tail, err := base64.StdEncoding.DecodeString(res.LogResult)
			if err != nil {
				t.Fatalf("LogResult %q: %v", res.LogResult, err)
			}
			switch {
			case tc.wantTail == "" && len(tail) > 0:
				t.Errorf("LogResult = %q, want none", tail)
			case tc.wantTail != "" && !regexp.MustCompile(tc.wantTail).Match(tail):
				t.Errorf("LogResult = %q, want a match for %q", tail, tc.wantTail)
			}
			got, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tc.wantOut {
				t.Errorf("response file = %s, want %s", got, tc.wantOut)
			}
		})
	}
}
