package emulator_test

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/lambda"

	"github.com/faasport/faasport/emulator"
	"github.com/faasport/faasport/faas"
)

// An unmodified AWS SDK client reaches the emulator in process, through
// Emulator.HTTPClient: the same endpoint as at e.URL, without a network.
func ExampleEmulator_HTTPClient() {
	e, err := emulator.New(nil)
	if err != nil {
		panic(err)
	}
	defer e.Close()
	upper := faas.FunctionFunc(func(ctx context.Context, payload []byte) ([]byte, error) {
		return []byte(`"` + faas.Getenv(ctx, "GREETING") + `"`), nil
	})
	if err := e.Register(faas.Config{Name: "greet", Environment: map[string]string{"GREETING": "hello"}}, upper); err != nil {
		panic(err)
	}

	client := lambda.New(lambda.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String("http://emulator.invalid"), // any URL: the client does not dial it
		Credentials:  credentials.NewStaticCredentialsProvider("AKIDLOCAL", "local", ""),
		HTTPClient:   e.HTTPClient(),
	})
	out, err := client.Invoke(context.Background(), &lambda.InvokeInput{FunctionName: aws.String("greet")})
	if err != nil {
		panic(err)
	}
	fmt.Println(out.StatusCode, string(out.Payload))
	// Output: 200 "hello"
}
