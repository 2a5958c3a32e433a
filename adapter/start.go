package adapter

import (
	"net/http"

	"github.com/aws/aws-lambda-go/lambda"
)

// Start runs h as the handler of an AWS Lambda function, serving whichever
// HTTP event source invokes it. Call it from main; it does not return.
//
//	func main() {
//		adapter.Start(router)
//	}
//
// Build the program for the provided.al2023 runtime as an executable named
// bootstrap: GOOS=linux GOARCH=arm64 go build -tags lambda.norpc -o bootstrap.
func Start(h http.Handler, opts ...Option) {
	lambda.Start(Wrap(h, opts...))
}
