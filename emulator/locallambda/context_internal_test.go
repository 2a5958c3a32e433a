package locallambda

import (
	"context"
	"reflect"
	"testing"

	"github.com/aws/aws-lambda-go/lambdacontext"

	"github.com/faasport/faasport/faas"
)

// TestLambdaContextKey checks that the invocation's context answers
// lambdacontext's key itself, without a context value of its own, and
// gives what lambdacontext.FromContext expects.
func TestLambdaContextKey(t *testing.T) {
	if lambdaContextKey == nil {
		t.Fatal("lambdacontext.FromContext asked for no key; invocations fall back to lambdacontext.NewContext")
	}
	c := &invContext{Context: context.Background(), inv: &faas.Invocation{RequestID: "id-1", FunctionARN: "arn:aws:lambda:us-east-1:123456789012:function:f"}}
	got, ok := lambdacontext.FromContext(c)
	want := &lambdacontext.LambdaContext{AwsRequestID: "id-1", InvokedFunctionArn: "arn:aws:lambda:us-east-1:123456789012:function:f"}
	if !ok || !reflect.DeepEqual(got, want) {
		t.Errorf("lambdacontext.FromContext = %+v, %v; want %+v", got, ok, want)
	}
	if again, _ := lambdacontext.FromContext(c); again != got {
		t.Error("lambdacontext.FromContext gave another LambdaContext the second time")
	}
	if v := c.Value(struct{}{}); v != nil {
		t.Errorf("Value(another key) = %v, want nil", v)
	}
}
