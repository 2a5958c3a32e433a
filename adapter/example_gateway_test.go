package adapter_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/gorilla/mux"

	"github.com/faasport/faasport/adapter"
)

// A gateway builds the event for a request, invokes the function, and
// writes its answer back.
func ExampleNewEvent() {
	fn := adapter.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "%s %s q=%s", r.Method, r.URL.Path, r.URL.Query().Get("q"))
	}))

	req := httptest.NewRequest("GET", "http://api.example.com/pets?q=cat", nil)
	payload, err := adapter.NewEvent(req, &adapter.GatewayRequest{
		Format:   adapter.FormatHTTPAPIV2,
		RouteKey: "GET /pets",
		Time:     time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC),
	})
	if err != nil {
		panic(err)
	}
	out, err := fn.Invoke(context.Background(), payload)
	if err != nil {
		panic(err)
	}
	w := httptest.NewRecorder()
	if err := adapter.WriteResponse(w, adapter.FormatHTTPAPIV2, out); err != nil {
		panic(err)
	}
	fmt.Println(w.Code, w.Header().Get("Content-Type"))
	fmt.Println(w.Body)
	// Output:
	// 200 text/plain; charset=utf-8
	// GET /pets q=cat
}

// An HTTP API infers a 200 JSON response from a function that returns
// JSON without a statusCode; a REST API calls the same answer malformed.
func ExampleDecodeResponse() {
	resp, err := adapter.DecodeResponse(adapter.FormatHTTPAPIV2, []byte(`{"pets":2}`))
	fmt.Println(resp.StatusCode, resp.Header.Get("Content-Type"), string(resp.Body), err)

	_, err = adapter.DecodeResponse(adapter.FormatRESTAPI, []byte(`{"pets":2}`))
	fmt.Println(err)
	// Output:
	// 200 application/json {"pets":2} <nil>
	// adapter: malformed Lambda proxy response: unexpected member "pets"
}

// A gateway that adds headers of its own decodes a function's answer
// straight into its response's header, without a map of the answer's.
func ExampleResponse_Decode() {
	w := httptest.NewRecorder()
	resp := adapter.Response{Header: w.Header()}
	err := resp.Decode(adapter.FormatHTTPAPIV2, []byte(`{"statusCode":201,"headers":{"content-type":"text/plain"},"body":"made"}`))
	if err != nil {
		panic(err)
	}
	w.Header().Set("Apigw-Requestid", "JTHoQgr2oAMEPMg=")
	w.WriteHeader(resp.StatusCode)
	w.Write(resp.Body)
	fmt.Println(w.Code, w.Header().Get("Content-Type"), w.Header().Get("Apigw-Requestid"), w.Body)
	// Output:
	// 201 text/plain JTHoQgr2oAMEPMg= made
}

// A REST API with the binary media type image/png decodes a function's
// base64 answer for a client that asks for image/png first, and passes the
// base64 text to one that accepts anything.
func ExampleDecodeRESTResponse() {
	payload := []byte(`{"statusCode":200,"headers":{"Content-Type":"image/png"},"body":"iVBORw0KGgo=","isBase64Encoded":true}`)
	types := []string{"image/png"}
	for _, accept := range []string{"image/png", "*/*"} {
		resp, err := adapter.DecodeRESTResponse(payload, accept, types)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("Accept %s: %q\n", accept, resp.Body)
	}
	// Output:
	// Accept image/png: "\x89PNG\r\n\x1a\n"
	// Accept */*: "iVBORw0KGgo="
}

// One monolith router becomes several functions: each serves only its
// named routes.
func ExampleRoutes() {
	r := mux.NewRouter()
	r.HandleFunc("/search", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, "results") }).Name("search")
	r.HandleFunc("/purchase", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, "bought") }).Name("purchase")

	search, err := adapter.Routes(r, "search")
	if err != nil {
		panic(err)
	}
	for _, path := range []string{"/search", "/purchase"} {
		w := httptest.NewRecorder()
		search.ServeHTTP(w, httptest.NewRequest("GET", path, nil))
		fmt.Println(path, w.Code, w.Body)
	}

	_, err = adapter.Routes(r, "checkout")
	fmt.Println(err)
	// Output:
	// /search 200 results
	// /purchase 404 {"message":"Not Found"}
	// adapter: the router has no route named "checkout" (it has "purchase", "search")
}

func ExampleRouteNames() {
	r := mux.NewRouter()
	r.HandleFunc("/b", nil).Name("beta")
	r.HandleFunc("/a", nil).Name("alpha")
	r.HandleFunc("/anonymous", nil)
	fmt.Println(adapter.RouteNames(r))
	// Output: [alpha beta]
}

func ExampleParseFormat() {
	f, err := adapter.ParseFormat("alb-multi-value")
	fmt.Println(f == adapter.FormatALBMultiValue, err)
	_, err = adapter.ParseFormat("soap")
	fmt.Println(err)
	// Output:
	// true <nil>
	// adapter: unknown event format "soap"
}

// A streamed response: the head is known as soon as the handler flushes,
// and the body follows as it is written.
func ExampleHandler_StreamFunctionURL() {
	h := adapter.Wrap(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		for i := 1; i <= 3; i++ {
			fmt.Fprintf(w, "data: %d\n\n", i)
			w.(http.Flusher).Flush()
		}
	}))
	resp, err := h.StreamFunctionURL(context.Background(), &events.LambdaFunctionURLRequest{
		RawPath:        "/events",
		RequestContext: events.LambdaFunctionURLRequestContext{HTTP: events.LambdaFunctionURLRequestContextHTTPDescription{Method: "GET"}},
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(resp.StatusCode, resp.Headers["Content-Type"])
	_, _ = io.Copy(os.Stdout, resp.Body)
	// Output:
	// 200 text/event-stream
	// data: 1
	//
	// data: 2
	//
	// data: 3
}

// Start is called from main; it runs the handler on AWS Lambda and does
// not return.
func ExampleStart() {
	r := mux.NewRouter()
	r.HandleFunc("/hello/{name}", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "hello, %s", mux.Vars(r)["name"])
	})
	if os.Getenv("AWS_LAMBDA_RUNTIME_API") != "" {
		adapter.Start(r)
	}
}

func ExampleNotFound() {
	w := httptest.NewRecorder()
	adapter.NotFound(w, httptest.NewRequest("GET", "/nowhere", nil))
	fmt.Println(w.Code, w.Body)
	// Output: 404 {"message":"Not Found"}
}

// A gateway that wants one trace for a request, in the event it builds and
// in what it sends on, makes it with NewTraceID and passes it in
// GatewayRequest.TraceID; the function sees it as X-Amzn-Trace-Id, beside
// X-Forwarded-Port.
func ExampleNewTraceID() {
	received := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	trace := adapter.NewTraceID(received)
	fn := adapter.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, r.Header.Get("X-Amzn-Trace-Id") == trace, r.Header.Get("X-Forwarded-Port"))
	}))
	req := httptest.NewRequest("GET", "http://127.0.0.1:8080/pets", nil)
	payload, err := adapter.NewEvent(req, &adapter.GatewayRequest{Format: adapter.FormatHTTPAPIV2, Time: received, TraceID: trace})
	if err != nil {
		panic(err)
	}
	out, err := fn.Invoke(context.Background(), payload)
	if err != nil {
		panic(err)
	}
	resp, err := adapter.DecodeResponse(adapter.FormatHTTPAPIV2, out)
	if err != nil {
		panic(err)
	}
	fmt.Print(string(resp.Body))
	fmt.Println(trace[:16]) // Root=1-, then the time in hex seconds
	// Output:
	// true 8080
	// Root=1-6b081f40-
}

// A gateway writes a function's answer to its client: here a REST API
// proxy integration's, with two cookies.
func ExampleWriteResponse() {
	payload := []byte(`{
		"statusCode": 201,
		"multiValueHeaders": {"Content-Type": ["application/json"], "Set-Cookie": ["a=1", "b=2"]},
		"body": "{\"id\":7}",
		"isBase64Encoded": false
	}`)
	w := httptest.NewRecorder()
	if err := adapter.WriteResponse(w, adapter.FormatRESTAPI, payload); err != nil {
		panic(err)
	}
	fmt.Println(w.Code, w.Header().Get("Content-Type"), w.Header().Get("Content-Length"), w.Header().Values("Set-Cookie"))
	fmt.Println(w.Body)

	// A response the gateway would reject writes nothing.
	err := adapter.WriteResponse(httptest.NewRecorder(), adapter.FormatRESTAPI, []byte(`{"statusCode":"oops"}`))
	fmt.Println(errors.Is(err, adapter.ErrMalformedResponse))
	// Output:
	// 201 application/json 8 [a=1 b=2]
	// {"id":7}
	// true
}

// StartStreaming is called from main, for a function behind a function URL
// with invoke mode RESPONSE_STREAM; it does not return.
func ExampleStartStreaming() {
	events := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		for i := 1; i <= 3; i++ {
			fmt.Fprintf(w, "data: %d\n\n", i)
			w.(http.Flusher).Flush()
		}
	})
	if os.Getenv("AWS_LAMBDA_RUNTIME_API") != "" {
		adapter.StartStreaming(events)
	}
}

// A REST API integration with response transfer mode STREAM.
func ExampleHandler_StreamAPIGatewayProxy() {
	h := adapter.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(http.StatusAccepted)
		fmt.Fprintf(w, "export of %s started\n", r.URL.Query().Get("table"))
		w.(http.Flusher).Flush() // the head and this line go now
		fmt.Fprintln(w, "done")
	}))
	resp, err := h.StreamAPIGatewayProxy(context.Background(), &events.APIGatewayProxyRequest{
		HTTPMethod:            "POST",
		Path:                  "/exports",
		QueryStringParameters: map[string]string{"table": "pets"},
	})
	if err != nil {
		panic(err)
	}
	defer resp.Close()
	fmt.Println(resp.StatusCode, resp.MultiValueHeaders)
	_, _ = io.Copy(os.Stdout, resp.Body)
	// Output:
	// 202 map[Content-Type:[text/plain]]
	// export of pets started
	// done
}

// A gateway gives each request an id in the form AWS uses, which it sends
// in the event and its answer's headers.
func ExampleNewRequestID() {
	id := adapter.NewRequestID()
	uuid := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	fmt.Println(len(id), uuid.MatchString(id), id != adapter.NewRequestID())
	// Output: 36 true true
}
