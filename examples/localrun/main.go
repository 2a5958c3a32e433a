// Localrun serves a function executable behind a local HTTP API: the
// emulator runs it through the Lambda Runtime API, one process per
// execution environment, and the API's $default route sends every request
// to it.
//
//	go build -tags lambda.norpc -o bin/bootstrap ./examples/muxapp
//	go run ./examples/localrun -bootstrap bin/bootstrap
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"time"

	"github.com/faasport/faasport/emulator"
	"github.com/faasport/faasport/emulator/localgateway"
	"github.com/faasport/faasport/emulator/locallambda"
	"github.com/faasport/faasport/faas"
)

func main() {
	bootstrap := flag.String("bootstrap", "./bootstrap", "the function executable")
	flag.Parse()

	e, err := emulator.New(nil)
	if err != nil {
		log.Fatal(err)
	}
	defer e.Close() // kills the function's processes

	cfg := faas.Config{Name: "muxapp", Timeout: 10 * time.Second}
	if err := e.Lambda.RegisterInit(cfg, locallambda.Process{Path: *bootstrap}.Init); err != nil {
		log.Fatal(err)
	}
	api, err := e.NewAPI(localgateway.Config{Routes: []localgateway.Route{
		{Key: "$default", Integration: localgateway.Lambda{Function: "muxapp"}},
	}})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("API gateway:     ", api.URL)
	fmt.Println("Lambda endpoint: ", e.URL)

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	<-ctx.Done()
}
