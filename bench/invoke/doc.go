// Package invoke benchmarks faasport's adapter against the cost of the
// handler alone and against aws-lambda-go-api-proxy's httpadapter, on API
// Gateway REST (v1) and HTTP API payload 2.0 (v2) events.
//
// It holds no code of its own: everything is in the tests. Run
//
//	go test ./invoke -run '^$' -bench . -benchmem -count 6
//
// and see docs/benchmarks.md for the figures and how to read them.
package invoke
