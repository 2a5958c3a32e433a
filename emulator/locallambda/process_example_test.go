//go:build unix

package locallambda_test

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/faasport/faasport/emulator/locallambda"
	"github.com/faasport/faasport/faas"
)

func ExampleProcess() {
	// An aws-lambda-go function, built as for the provided.al2023 runtime
	// but for this machine:
	//
	//	go build -tags lambda.norpc -o bootstrap ./testdata/bootstrap
	bootstrap, err := build("./testdata/bootstrap")
	if err != nil {
		panic(err)
	}

	svc := locallambda.New(&locallambda.Options{Logger: slog.New(slog.DiscardHandler)})
	defer svc.Close() // kills the function's processes

	err = svc.RegisterInit(faas.Config{Name: "echo"}, locallambda.Process{Path: bootstrap}.Init)
	if err != nil {
		panic(err)
	}
	for _, payload := range []string{`{"op":"echo","msg":"hi"}`, `{"op":"error","msg":"no pet 7"}`} {
		res, err := svc.Invoke(context.Background(), locallambda.InvokeRequest{
			FunctionName: "echo",
			Payload:      []byte(payload),
		})
		if err != nil {
			panic(err)
		}
		fmt.Println(res.StatusCode, res.FunctionError, string(res.Payload))
	}
	// Output:
	// 200  {"op":"echo","msg":"hi"}
	// 200 Unhandled {"errorMessage":"no pet 7","errorType":"errorString"}
}
