package locallambda_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	awslambda "github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/google/go-cmp/cmp"

	"github.com/faasport/faasport/emulator/locallambda"
	"github.com/faasport/faasport/faas"
)

// mobileClientContext is a client context as the AWS Mobile SDKs send it.
const mobileClientContext = `{"client":{"installation_id":"i-42","app_title":"Pets","app_version_code":"7","app_package_name":"com.example.pets"},` +
	`"env":{"platform":"iOS"},"custom":{"cart":"3 items"}}`

// unreadableClientContext is a JSON object aws-lambda-go cannot decode into
// its ClientContext: env values must be strings.
const unreadableClientContext = `{"env":{"build":7}}`

// unreadableClientContextError is the error payload aws-lambda-go's
// runtime answers an invocation with when it cannot decode the client
// context.
const unreadableClientContextError = `{"errorMessage":"failed to unmarshal client context json: json: cannot unmarshal number into Go struct field .env of type string","errorType":"errorString"}`

// TestLambdaContext checks that an unmodified aws-lambda-go handler
// registered in process reads its invocation from lambdacontext as it
// does on Lambda: the request id the caller was given, the ARN it invoked,
// and the client context of a synchronous invocation.
func TestLambdaContext(t *testing.T) {
	type seen struct {
		OK            bool
		RequestID     string
		ARN           string
		ClientContext lambdacontext.ClientContext
	}
	calls := make(chan seen, 1)
	handler := awslambda.NewHandler(func(ctx context.Context) (string, error) {
		lc, ok := lambdacontext.FromContext(ctx)
		if !ok {
			calls <- seen{}
			return "", nil
		}
		calls <- seen{true, lc.AwsRequestID, lc.InvokedFunctionArn, lc.ClientContext}
		return "", nil
	})
	s := newService(t, &locallambda.Options{AccountID: "111122223333"})
	mustRegister(t, s, faas.Config{Name: "mobile"}, handler)
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	client := newClient(srv)

	const arn = "arn:aws:lambda:us-east-1:111122223333:function:mobile"
	b64 := func(s string) *string { return aws.String(base64.StdEncoding.EncodeToString([]byte(s))) }
	var mobile lambdacontext.ClientContext
	if err := json.Unmarshal([]byte(mobileClientContext), &mobile); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name        string
		in          lambda.InvokeInput
		want        seen   // RequestID is the one the caller got, where it got one
		wantPayload string // the function's answer
		wantCalled  bool
	}{
		{"by name", lambda.InvokeInput{FunctionName: aws.String("mobile")},
			seen{OK: true, ARN: arn}, `""`, true},
		{"by qualified ARN", lambda.InvokeInput{FunctionName: aws.String(arn), Qualifier: aws.String("$LATEST")},
			seen{OK: true, ARN: arn + ":$LATEST"}, `""`, true},
		{"with a client context", lambda.InvokeInput{FunctionName: aws.String("mobile"), ClientContext: b64(mobileClientContext)},
			seen{OK: true, ARN: arn, ClientContext: mobile}, `""`, true},
		{"event: no client context", lambda.InvokeInput{FunctionName: aws.String("mobile"), InvocationType: types.InvocationTypeEvent,
			ClientContext: b64(mobileClientContext)}, seen{OK: true, ARN: arn}, "", true},
		{"a client context aws-lambda-go cannot read", lambda.InvokeInput{FunctionName: aws.String("mobile"), ClientContext: b64(unreadableClientContext)},
			seen{}, unreadableClientContextError, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, err := client.Invoke(context.Background(), &tc.in)
			if err != nil {
				t.Fatalf("Invoke = %v", err)
			}
			if got := string(out.Payload); got != tc.wantPayload {
				t.Errorf("payload = %s, want %s", got, tc.wantPayload)
			}
			if !tc.wantCalled {
				select { // the invocation is over: the function ran, or will not
				case got := <-calls:
					t.Fatalf("the function was called with %+v", got)
				default:
					return
				}
			}
			var got seen
			select {
			case got = <-calls:
			case <-time.After(10 * time.Second):
				t.Fatal("the function was not called")
			}
			want := tc.want
			if id, ok := awsmiddleware.GetRequestIDMetadata(out.ResultMetadata); ok {
				want.RequestID = id
			} else {
				want.RequestID = got.RequestID // an Event invocation's id is not the caller's
				if got.RequestID == "" {
					t.Error("lambdacontext has no request id")
				}
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("lambdacontext (-want +got):\n%s", diff)
			}
		})
	}
}

// TestTrace checks the trace header a function gets under
// "x-amzn-trace-id", as aws-lambda-go gives it on Lambda: the caller's
// Root with a fresh Parent and the caller's sampling decision, or a fresh
// trace when the caller sent none it can continue; through the Go API and
// the Invoke API's X-Amzn-Trace-Id, and to executables in
// Lambda-Runtime-Trace-Id.
func TestTrace(t *testing.T) {
	const root = "1-5759e988-bd862e3fe1be46a994272793"
	traces := make(chan string, 1)
	s := newService(t, nil)
	mustRegister(t, s, faas.Config{Name: "traced"}, faas.FunctionFunc(func(ctx context.Context, _ []byte) ([]byte, error) {
		tr, _ := ctx.Value("x-amzn-trace-id").(string)
		traces <- tr
		return []byte(`{}`), nil
	}))
	registerProcess(t, s, faas.Config{Name: "proc"}, locallambda.Process{})
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)

	continued := regexp.MustCompile(`^Root=` + root + `;Parent=[0-9a-f]{16};Sampled=(\d)$`)
	fresh := regexp.MustCompile(`^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0$`)
	viaGo := func(fn, trace string) string {
		res, err := s.Invoke(context.Background(), locallambda.InvokeRequest{FunctionName: fn, Payload: []byte(`{"op":"info"}`), TraceID: trace})
		if err != nil {
			t.Fatal(err)
		}
		if fn == "proc" {
			var info procInfo
			if err := json.Unmarshal(res.Payload, &info); err != nil {
				t.Fatalf("info = %s", res.Payload)
			}
			return info.TraceID
		}
		return <-traces
	}
	viaHTTP := func(fn, trace string) string {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/2015-03-31/functions/"+fn+"/invocations", strings.NewReader(`{}`))
		if trace != "" {
			req.Header.Set("X-Amzn-Trace-Id", trace)
		}
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return <-traces
	}
	for _, tc := range []struct {
		name, trace string
		get         func(fn, trace string) string
		fn          string
		wantSampled string // "" for a fresh trace
	}{
		{"caller's trace", "Root=" + root, viaGo, "traced", "0"},
		{"caller's sampled trace", "Root=" + root + ";Parent=53995c3f42cd8ad8;Sampled=1", viaGo, "traced", "1"},
		{"no trace", "", viaGo, "traced", ""},
		{"a Root that is not one", "Root=1-xyz", viaGo, "traced", ""},
		{"Invoke API header", "Root=" + root + ";Sampled=1", viaHTTP, "traced", "1"},
		{"Invoke API without one", "", viaHTTP, "traced", ""},
		{"executable", "Root=" + root + ";Sampled=1", viaGo, "proc", "1"},
		{"executable, no trace", "", viaGo, "proc", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.get(tc.fn, tc.trace)
			if tc.wantSampled == "" {
				if !fresh.MatchString(got) {
					t.Errorf("trace = %q, want a fresh one matching %s", got, fresh)
				}
				return
			}
			if m := continued.FindStringSubmatch(got); m == nil || m[1] != tc.wantSampled {
				t.Errorf("trace = %q, want Root=%s with a fresh Parent and Sampled=%s", got, root, tc.wantSampled)
			}
		})
	}
}
