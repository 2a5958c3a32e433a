package locallambda_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/faasport/faasport/emulator/locallambda"
	"github.com/faasport/faasport/faas"
)

func Example() {
	svc := locallambda.New(&locallambda.Options{Logger: slog.New(slog.DiscardHandler)})
	defer svc.Close()

	type greeting struct {
		Name string `json:"name"`
	}
	hello := faas.JSON(func(ctx context.Context, in greeting) (string, error) {
		if in.Name == "" {
			return "", errors.New("no name")
		}
		return "Hello, " + in.Name, nil
	})
	if err := svc.Register(faas.Config{Name: "hello"}, hello); err != nil {
		panic(err)
	}

	for _, payload := range []string{`{"name":"Gopher"}`, `{}`} {
		res, err := svc.Invoke(context.Background(), locallambda.InvokeRequest{
			FunctionName: "hello",
			Payload:      []byte(payload),
		})
		if err != nil {
			panic(err)
		}
		fmt.Println(res.StatusCode, res.FunctionError, string(res.Payload))
	}
	// Output:
	// 200  "Hello, Gopher"
	// 200 Unhandled {"errorMessage":"no name","errorType":"errorString"}
}

func ExampleService_RegisterInit() {
	svc := locallambda.New(&locallambda.Options{Logger: slog.New(slog.DiscardHandler)})
	defer svc.Close()

	// Init runs once per execution environment, as the code outside the
	// handler does on Lambda: open connections, load configuration.
	inits := 0
	err := svc.RegisterInit(faas.Config{Name: "counter"}, func(ctx context.Context) (faas.Function, error) {
		inits++
		calls := 0
		return faas.FunctionFunc(func(ctx context.Context, payload []byte) ([]byte, error) {
			calls++
			return fmt.Appendf(nil, `{"init":%d,"call":%d}`, inits, calls), nil
		}), nil
	})
	if err != nil {
		panic(err)
	}
	for range 3 {
		res, _ := svc.Invoke(context.Background(), locallambda.InvokeRequest{FunctionName: "counter"})
		fmt.Println(string(res.Payload))
	}
	// Output:
	// {"init":1,"call":1}
	// {"init":1,"call":2}
	// {"init":1,"call":3}
}

func ExampleService_Invoke_throttled() {
	svc := locallambda.New(&locallambda.Options{Logger: slog.New(slog.DiscardHandler)})
	defer svc.Close()
	zero := 0
	svc.Register(faas.Config{Name: "off", ReservedConcurrency: &zero}, echo)

	_, err := svc.Invoke(context.Background(), locallambda.InvokeRequest{FunctionName: "off"})
	var ie *locallambda.InvokeError
	if errors.As(err, &ie) {
		fmt.Println(ie.StatusCode, ie.Type, ie.Reason)
	}
	// Output:
	// 429 TooManyRequestsException ReservedFunctionConcurrentInvocationLimitExceeded
}

func ExampleService_Handler() {
	svc := locallambda.New(&locallambda.Options{Logger: slog.New(slog.DiscardHandler)})
	defer svc.Close()
	svc.Register(faas.Config{Name: "echo"}, echo)

	// Point an AWS SDK or the AWS CLI at srv.URL as the Lambda endpoint.
	srv := httptest.NewServer(svc.Handler())
	defer srv.Close()

	resp, err := http.Post(srv.URL+"/2015-03-31/functions/echo/invocations",
		"application/octet-stream", strings.NewReader(`{"ping":true}`))
	if err != nil {
		panic(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	fmt.Println(resp.StatusCode, resp.Header.Get("X-Amz-Executed-Version"), string(body))

	resp, err = http.Post(srv.URL+"/2015-03-31/functions/nope/invocations", "", nil)
	if err != nil {
		panic(err)
	}
	defer resp.Body.Close()
	body, _ = io.ReadAll(resp.Body)
	fmt.Println(resp.StatusCode, resp.Header.Get("X-Amzn-ErrorType"), string(body))
	// Output:
	// 200 $LATEST {"ping":true}
	// 404 ResourceNotFoundException {"Type":"User","Message":"Function not found: arn:aws:lambda:us-east-1:123456789012:function:nope"}
}

func ExamplePayloadError() {
	svc := locallambda.New(&locallambda.Options{Logger: slog.New(slog.DiscardHandler)})
	defer svc.Close()

	// A function that relays the error payload of a call it made.
	relay := faas.FunctionFunc(func(ctx context.Context, payload []byte) ([]byte, error) {
		return nil, &locallambda.PayloadError{Payload: []byte(`{"errorMessage":"stock service down","errorType":"Upstream.Unavailable"}`)}
	})
	svc.Register(faas.Config{Name: "relay"}, relay)

	res, err := svc.Invoke(context.Background(), locallambda.InvokeRequest{FunctionName: "relay"})
	if err != nil {
		panic(err)
	}
	fmt.Println(res.FunctionError, string(res.Payload))
	// Output:
	// Unhandled {"errorMessage":"stock service down","errorType":"Upstream.Unavailable"}
}
