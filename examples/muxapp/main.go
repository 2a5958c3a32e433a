// Muxapp is a small gorilla/mux application that runs unchanged either as
// an ordinary net/http server or as an AWS Lambda function.
//
// Run it locally:
//
//	go run ./examples/muxapp -addr 127.0.0.1:8080
//	curl http://127.0.0.1:8080/hello/ann
//
// On AWS Lambda the runtime sets AWS_LAMBDA_RUNTIME_API, and muxapp hands
// its router to [adapter.Start], which serves the events of whatever
// invokes the function: API Gateway (REST or HTTP API), an Application Load
// Balancer, a function URL or VPC Lattice. Build the deployment package for
// the provided.al2023 runtime on arm64 (Graviton) from the module root:
//
//	GOOS=linux GOARCH=arm64 CGO_ENABLED=0 go build -tags lambda.norpc -o bootstrap ./examples/muxapp && zip function.zip bootstrap
//
// The runtime runs the executable named bootstrap at the root of the zip;
// the function's handler setting is ignored. CGO_ENABLED=0 makes a static
// binary that needs nothing from the image, and the lambda.norpc tag leaves
// out the RPC mode that only the retired go1.x runtime used.
package main

import (
	"encoding/json"
	"flag"
	"log/slog"
	"net/http"
	"os"
	"time"

	"github.com/gorilla/mux"

	"github.com/faasport/faasport/adapter"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "address to serve HTTP on when not running on AWS Lambda")
	flag.Parse()

	router := newRouter(time.Now)
	if os.Getenv("AWS_LAMBDA_RUNTIME_API") != "" {
		adapter.Start(router) // does not return
		return
	}
	srv := &http.Server{Addr: *addr, Handler: router, ReadHeaderTimeout: 10 * time.Second}
	slog.Info("muxapp: serving", "url", "http://"+*addr, "routes", adapter.RouteNames(router))
	if err := srv.ListenAndServe(); err != nil {
		slog.Error("muxapp: serving", "err", err)
		os.Exit(1)
	}
}

// newRouter returns the application: named routes, so that a deployment
// can also split them into one function each with [adapter.Routes]. now
// tells the time.
func newRouter(now func() time.Time) *mux.Router {
	r := mux.NewRouter()
	r.HandleFunc("/hello/{name}", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, map[string]string{"message": "Hello, " + mux.Vars(r)["name"] + "!"})
	}).Methods(http.MethodGet).Name("hello")
	r.HandleFunc("/time", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, map[string]string{"time": now().UTC().Format(time.RFC3339)})
	}).Methods(http.MethodGet).Name("time")
	// Answer unknown paths as API Gateway does, locally too.
	r.NotFoundHandler = http.HandlerFunc(adapter.NotFound)
	return r
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}
