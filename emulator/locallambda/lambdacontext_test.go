package locallambda_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http/httptest"
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
