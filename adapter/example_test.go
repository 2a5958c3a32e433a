package adapter_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strings"

	"github.com/aws/aws-lambda-go/events"

	"github.com/faasport/faasport/adapter"
	"github.com/faasport/faasport/faas"
)

// exampleEvent returns a small HTTP API (payload format 2.0) event for
// method and rawPath on stage, as API Gateway sends it.
func exampleEvent(method, rawPath, stage string) []byte {
	return []byte(`{
		"version": "2.0",
		"routeKey": "$default",
		"rawPath": "` + rawPath + `",
		"rawQueryString": "",
		"headers": {"host": "api.example.com", "user-agent": "curl/8.5.0"},
		"requestContext": {
			"domainName": "api.example.com",
			"http": {"method": "` + method + `", "path": "` + rawPath + `", "protocol": "HTTP/1.1", "sourceIp": "203.0.113.7"},
			"requestId": "JTHd9j2EoAMESXw=",
			"stage": "` + stage + `"
		},
		"isBase64Encoded": false
	}`)
}

func ExampleWrap() {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /pets/{id}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"id":%q,"host":%q}`, r.PathValue("id"), r.Host)
	})
	h := adapter.Wrap(mux)

	out, err := h.Invoke(context.Background(), exampleEvent("GET", "/pets/7", "$default"))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(string(out))
	// Output:
	// {"statusCode":200,"headers":{"Content-Type":"application/json"},"body":"{\"id\":\"7\",\"host\":\"api.example.com\"}","isBase64Encoded":false}
}

func ExampleHandler_Invoke_notAnHTTPEvent() {
	h := adapter.Wrap(http.NotFoundHandler())
	_, err := h.Invoke(context.Background(), []byte(`{"Records":[{"eventSource":"aws:sqs","body":"hi"}]}`))
	fmt.Println(faas.KindOf(err))
	// Output: invalid
}

func ExampleWithBasePath() {
	h := adapter.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, r.URL.Path)
	}), adapter.WithBasePath("/api"))

	for _, p := range []string{"/api/pets", "/api", "/apiary/bees"} {
		out, _ := h.Invoke(context.Background(), exampleEvent("GET", p, "$default"))
		var resp events.APIGatewayV2HTTPResponse
		json.Unmarshal(out, &resp)
		fmt.Printf("%s -> %s\n", p, resp.Body)
	}
	// Output:
	// /api/pets -> /pets
	// /api -> /
	// /apiary/bees -> /apiary/bees
}

func ExampleWithStageInPath() {
	path := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, r.URL.Path)
	})
	ev := exampleEvent("GET", "/prod/pets", "prod")

	for _, h := range []*adapter.Handler{
		adapter.Wrap(path), // the stage is removed
		adapter.Wrap(path, adapter.WithStageInPath()), // the stage is kept
	} {
		out, _ := h.Invoke(context.Background(), ev)
		var resp events.APIGatewayV2HTTPResponse
		json.Unmarshal(out, &resp)
		fmt.Println(resp.Body)
	}
	// Output:
	// /pets
	// /prod/pets
}

func ExampleWithBinaryContentTypes() {
	csv := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/csv")
		io.WriteString(w, "id,name\n7,Rex\n")
	})
	for _, h := range []*adapter.Handler{
		adapter.Wrap(csv),
		adapter.Wrap(csv, adapter.WithBinaryContentTypes("text/csv")),
	} {
		out, _ := h.Invoke(context.Background(), exampleEvent("GET", "/pets.csv", "$default"))
		var resp events.APIGatewayV2HTTPResponse
		json.Unmarshal(out, &resp)
		fmt.Printf("base64=%t body=%q\n", resp.IsBase64Encoded, resp.Body)
	}
	// Output:
	// base64=false body="id,name\n7,Rex\n"
	// base64=true body="aWQsbmFtZQo3LFJleAo="
}

func ExampleWithTextContentTypes() {
	h := adapter.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/vnd.pets+text")
		io.WriteString(w, "Rex")
	}), adapter.WithTextContentTypes("application/vnd.pets+text"))

	out, _ := h.Invoke(context.Background(), exampleEvent("GET", "/pets/7", "$default"))
	var resp events.APIGatewayV2HTTPResponse
	json.Unmarshal(out, &resp)
	fmt.Printf("base64=%t body=%q\n", resp.IsBase64Encoded, resp.Body)
	// Output: base64=false body="Rex"
}

func ExampleEventFromContext() {
	h := adapter.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ev, ok := adapter.EventFromContext(r.Context())
		if !ok {
			http.Error(w, "not invoked through the adapter", http.StatusInternalServerError)
			return
		}
		fmt.Println("format:", ev.Format)

		// The whole event, as aws-lambda-go types it.
		var req events.APIGatewayV2HTTPRequest
		if err := ev.Decode(&req); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		fmt.Println("request id:", req.RequestContext.RequestID)
		fmt.Println("source ip:", req.RequestContext.HTTP.SourceIP)
	}))

	h.Invoke(context.Background(), exampleEvent("GET", "/pets", "$default"))
	// Output:
	// format: http-api-v2
	// request id: JTHd9j2EoAMESXw=
	// source ip: 203.0.113.7
}

func ExampleHandler_ServeAPIGatewayV2HTTP() {
	h := adapter.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.SetCookie(w, &http.Cookie{Name: "session", Value: "abc"})
		fmt.Fprintf(w, "%s %s?%s from %s", r.Method, r.URL.Path, r.URL.RawQuery, r.RemoteAddr)
	}))

	resp, err := h.ServeAPIGatewayV2HTTP(context.Background(), events.APIGatewayV2HTTPRequest{
		Version:        "2.0",
		RawPath:        "/pets",
		RawQueryString: "limit=2",
		RequestContext: events.APIGatewayV2HTTPRequestContext{
			Stage:      "$default",
			DomainName: "api.example.com",
			HTTP:       events.APIGatewayV2HTTPRequestContextHTTPDescription{Method: "GET", SourceIP: "203.0.113.7"},
		},
	})
	fmt.Println(resp.StatusCode, resp.Headers["Content-Type"], resp.Cookies, err)
	fmt.Println(resp.Body)
	// Output:
	// 200 text/plain; charset=utf-8 [session=abc] <nil>
	// GET /pets?limit=2 from 203.0.113.7:0
}

func ExampleHandler_ServeAPIGatewayProxy() {
	h := adapter.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "%s %s %v", r.Method, r.URL.Path, r.URL.Query()["tag"])
	}))

	resp, err := h.ServeAPIGatewayProxy(context.Background(), events.APIGatewayProxyRequest{
		HTTPMethod:                      "GET",
		Path:                            "/pets",
		MultiValueQueryStringParameters: map[string][]string{"tag": {"dog", "small"}},
	})
	fmt.Println(resp.StatusCode, resp.MultiValueHeaders["Content-Type"], err)
	fmt.Println(resp.Body)
	// Output:
	// 200 [text/plain; charset=utf-8] <nil>
	// GET /pets [dog small]
}

func ExampleHandler_ServeALB() {
	h := adapter.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusTeapot)
		fmt.Fprintf(w, "%s from %s", r.URL.Query().Get("q"), r.RemoteAddr)
	}))

	resp, err := h.ServeALB(context.Background(), events.ALBTargetGroupRequest{
		HTTPMethod: "GET",
		Path:       "/search",
		// ALB passes query values on as the client encoded them.
		QueryStringParameters: map[string]string{"q": "caf%C3%A9"},
		Headers:               map[string]string{"x-forwarded-for": "198.51.100.1, 203.0.113.7"},
	})
	fmt.Println(resp.StatusCode, resp.StatusDescription, err)
	fmt.Println(resp.Body)
	// Output:
	// 418 418 I'm a teapot <nil>
	// café from 203.0.113.7:0
}

func ExampleHandler_ServeFunctionURL() {
	h := adapter.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/png")
		w.Write([]byte("\x89PNG\r\n\x1a\n"))
	}))

	resp, err := h.ServeFunctionURL(context.Background(), events.LambdaFunctionURLRequest{
		RawPath: "/logo.png",
		RequestContext: events.LambdaFunctionURLRequestContext{
			HTTP: events.LambdaFunctionURLRequestContextHTTPDescription{Method: "GET"},
		},
	})
	fmt.Println(resp.StatusCode, resp.IsBase64Encoded, resp.Body, err)
	// Output: 200 true iVBORw0KGgo= <nil>
}

// A handler reads the caller with faas.PrincipalFromContext, whichever
// deployment it runs in: here, behind an HTTP API JWT authorizer, which
// passes the token's claims in the event (and renders the Cognito groups
// array as "[admin user]").
func Example_principal() {
	h := adapter.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, ok := faas.PrincipalFromContext(r.Context())
		if !ok {
			http.Error(w, "sign in first", http.StatusUnauthorized)
			return
		}
		email, _ := p.Claim("email")
		fmt.Fprintf(w, "subject=%s username=%s groups=%v admin=%t email=%s",
			p.Subject, p.Username, p.Groups, p.InGroup("admin"), email)
	}))

	ev := strings.Replace(string(exampleEvent("GET", "/me", "$default")), `"requestId"`, `"authorizer": {
		"jwt": {
			"claims": {
				"sub": "3f1b4c2e-5d6a-4e7b-8c9d-0a1b2c3d4e5f",
				"cognito:username": "alice",
				"cognito:groups": "[admin user]",
				"email": "alice@example.com",
				"token_use": "id"
			},
			"scopes": null
		}
	},
	"requestId"`, 1)
	out, _ := h.Invoke(context.Background(), []byte(ev))
	var resp events.APIGatewayV2HTTPResponse
	json.Unmarshal(out, &resp)
	fmt.Println(resp.Body)

	// A client header cannot stand in for the authorizer.
	anon := strings.Replace(string(exampleEvent("GET", "/me", "$default")), `"headers": {`,
		`"headers": {"x-faasport-principal": "{\"Subject\":\"alice\"}", "authorization": "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJhbGljZSJ9.", `, 1)
	out, _ = h.Invoke(context.Background(), []byte(anon))
	resp = events.APIGatewayV2HTTPResponse{}
	json.Unmarshal(out, &resp)
	fmt.Println(resp.StatusCode, strings.TrimSpace(resp.Body))
	// Output:
	// subject=3f1b4c2e-5d6a-4e7b-8c9d-0a1b2c3d4e5f username=alice groups=[admin user] admin=true email=alice@example.com
	// 401 sign in first
}

// A runtime that hands each invocation a payload of its own, and never
// writes to it again, lets the adapter share the payload's memory instead
// of copying it.
func ExampleWithStablePayload() {
	h := adapter.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, r.UserAgent())
	}))
	payload := exampleEvent("GET", "/", "$default") // this invocation's alone
	out, err := h.Invoke(adapter.WithStablePayload(context.Background()), payload)
	if err != nil {
		fmt.Println(err)
		return
	}
	var resp events.APIGatewayV2HTTPResponse
	if err := json.Unmarshal(out, &resp); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(resp.Body)
	// Output: curl/8.5.0
}

// The logger given to WithLogger records handler panics and why an event
// got a 400: here a body flagged base64 that does not decode.
func ExampleWithLogger() {
	// Drop the time so that the output is stable.
	noTime := func(groups []string, a slog.Attr) slog.Attr {
		if a.Key == slog.TimeKey && len(groups) == 0 {
			return slog.Attr{}
		}
		return a
	}
	logger := slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{ReplaceAttr: noTime}))
	h := adapter.Wrap(http.NotFoundHandler(), adapter.WithLogger(logger))

	ev := exampleEvent("POST", "/pets", "$default")
	ev = bytes.Replace(ev, []byte(`"isBase64Encoded": false`), []byte(`"body": "not base64!", "isBase64Encoded": true`), 1)
	out, _ := h.Invoke(context.Background(), ev)
	fmt.Println(string(out))
	// Output:
	// level=WARN msg="adapter: bad request" reason="body is flagged base64 but does not decode: illegal base64 data at input byte 3" request_id="JTHd9j2EoAMESXw=" format=http-api-v2
	// {"statusCode":400,"headers":{"Content-Type":"application/json"},"body":"{\"message\":\"Bad Request\"}","isBase64Encoded":false}
}
