package localgateway_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/faasport/faasport/emulator/localgateway"
	"github.com/faasport/faasport/faas"
)

// The cases below come from LocalStack's snapshots of real AWS answers,
// tests/aws/services/apigateway/test_apigateway_lambda.snapshot.json, and
// from the status codes its AWS-validated tests assert
// (test_apigateway_lambda.py). A case's name is the snapshot key.

// recorder is a Lambda function that keeps the last event it got and
// answers a fixed payload.
type recorder struct {
	mu    sync.Mutex
	event []byte
	out   string
}

func (f *recorder) Invoke(_ context.Context, p []byte) ([]byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.event = append([]byte(nil), p...)
	return []byte(f.out), nil
}

func (f *recorder) last(t *testing.T) map[string]any {
	t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	var ev map[string]any
	if err := json.Unmarshal(f.event, &ev); err != nil {
		t.Fatalf("event %q: %v", f.event, err)
	}
	return ev
}

// normalizeEvent replaces what AWS's snapshots hide behind placeholders:
// ids, times, addresses and the host.
func normalizeEvent(ev map[string]any) {
	for _, h := range []string{"headers", "multiValueHeaders"} {
		m, _ := ev[h].(map[string]any)
		for k, ph := range map[string]string{"Host": "<host>", "X-Amzn-Trace-Id": "<trace-id>", "X-Forwarded-For": "<X-Forwarded-For>"} {
			if _, ok := m[k]; ok {
				if h == "headers" {
					m[k] = ph
				} else {
					m[k] = []any{ph}
				}
			}
		}
	}
	rc, _ := ev["requestContext"].(map[string]any)
	for k, ph := range map[string]string{
		"accountId": "<account-id>", "apiId": "<api-id>", "deploymentId": "<deployment-id>",
		"domainName": "<host>", "domainPrefix": "<api-id>", "extendedRequestId": "<extended-request-id>",
		"requestId": "<uuid>", "requestTime": "<request-time>", "requestTimeEpoch": "<request-time-epoch>",
		"resourceId": "<resource-id>",
	} {
		if _, ok := rc[k]; ok {
			rc[k] = ph
		}
	}
	if id, ok := rc["identity"].(map[string]any); ok {
		id["sourceIp"] = "<source-ip>"
	}
}

// awsRESTEvent is the event of the snapshots' test_lambda_aws_proxy_integration
// for a GET with its headers (less CloudFront's, see doc.go), normalized;
// the case changes what differs.
func awsRESTEvent(path, ctxPath, resource string, params map[string]any) map[string]any {
	hs := map[string]string{
		"Accept": "*/*", "Accept-Encoding": "gzip, deflate", "Authorization": "random-value",
		"Host": "<host>", "User-Agent": "python-requests/testing", "X-Amzn-Trace-Id": "<trace-id>",
		"X-Forwarded-For": "<X-Forwarded-For>", "X-Forwarded-Port": "<port>", "X-Forwarded-Proto": "http",
	}
	headers, multi := map[string]any{}, map[string]any{}
	for k, v := range hs {
		headers[k], multi[k] = v, []any{v}
	}
	var pp any
	if params != nil {
		pp = params
	}
	return map[string]any{
		"body":                            nil,
		"headers":                         headers,
		"httpMethod":                      "GET",
		"isBase64Encoded":                 false,
		"multiValueHeaders":               multi,
		"multiValueQueryStringParameters": nil,
		"path":                            path,
		"pathParameters":                  pp,
		"queryStringParameters":           nil,
		"requestContext": map[string]any{
			"accountId":         "<account-id>",
			"apiId":             "<api-id>",
			"deploymentId":      "<deployment-id>",
			"domainName":        "<host>",
			"domainPrefix":      "<api-id>",
			"extendedRequestId": "<extended-request-id>",
			"httpMethod":        "GET",
			"identity": map[string]any{
				"accessKey":                     nil,
				"accountId":                     nil,
				"caller":                        nil,
				"cognitoAuthenticationProvider": nil,
				"cognitoAuthenticationType":     nil,
				"cognitoIdentityId":             nil,
				"cognitoIdentityPoolId":         nil,
				"principalOrgId":                nil,
				"sourceIp":                      "<source-ip>",
				"user":                          nil,
				"userAgent":                     "python-requests/testing",
				"userArn":                       nil,
			},
			"path":             ctxPath,
			"protocol":         "HTTP/1.1",
			"requestId":        "<uuid>",
			"requestTime":      "<request-time>",
			"requestTimeEpoch": "<request-time-epoch>",
			"resourceId":       "<resource-id>",
			"resourcePath":     resource,
			"stage":            "stage",
		},
		"resource":       resource,
		"stageVariables": nil,
	}
}

// snapshotHeaders are the client headers of test_lambda_aws_proxy_integration.
var snapshotHeaders = []string{
	"Accept", "*/*", "Accept-Encoding", "gzip, deflate",
	"User-Agent", "python-requests/testing", "authorization", "random-value",
}

func TestRESTMatchesAWS(t *testing.T) {
	const prefix = "test_apigateway_lambda.py::test_lambda_aws_proxy_integration/"
	lam := newLambda(t, nil)
	fn := &recorder{out: `{"statusCode":200,"body":"ok"}`}
	register(t, lam, "proxy", fn)
	srv := serve(t, localgateway.Config{
		Kind:    localgateway.RESTAPI,
		Stages:  []localgateway.Stage{{Name: "stage"}},
		Invoker: lam,
		Routes: []localgateway.Route{
			{Key: "ANY /{proxy+}", Integration: localgateway.Lambda{Function: "proxy"}},
			{Key: "ANY /hardcoded", Integration: localgateway.Lambda{Function: "proxy"}},
		},
	})
	port := srv.URL[strings.LastIndex(srv.URL, ":")+1:]

	events := []struct {
		name   string
		path   string // after the server's address
		header []string
		want   func(ev map[string]any)
		base   map[string]any
	}{{
		name: "invocation-payload-without-trailing-slash",
		path: "/stage/proxy-value",
		base: awsRESTEvent("/proxy-value", "/stage/proxy-value", "/{proxy+}", map[string]any{"proxy": "proxy-value"}),
	}, {
		name: "invocation-payload-with-trailing-slash",
		path: "/stage/proxy-value/",
		base: awsRESTEvent("/proxy-value/", "/stage/proxy-value/", "/{proxy+}", map[string]any{"proxy": "proxy-value"}),
	}, {
		name: "invocation-payload-with-double-slash",
		path: "/stage/proxy-value//double-slash",
		base: awsRESTEvent("/proxy-value//double-slash", "/stage/proxy-value//double-slash", "/{proxy+}", map[string]any{"proxy": "proxy-value//double-slash"}),
	}, {
		name: "invocation-payload-with-prepended-slash-to-stage",
		path: "//stage/proxy-value",
		base: awsRESTEvent("/proxy-value", "/stage/proxy-value", "/{proxy+}", map[string]any{"proxy": "proxy-value"}),
	}, {
		name: "invocation-payload-with-prepended-slash",
		path: "/stage//proxy-value",
		base: awsRESTEvent("/proxy-value", "/stage//proxy-value", "/{proxy+}", map[string]any{"proxy": "proxy-value"}),
	}, {
		name: "invocation-payload-with-path-encoded-email",
		path: "/stage/proxy-value/api/user/test%2Balias@gmail.com/plus/test+alias@gmail.com",
		base: awsRESTEvent("/proxy-value/api/user/test%2Balias@gmail.com/plus/test+alias@gmail.com",
			"/stage/proxy-value/api/user/test%2Balias@gmail.com/plus/test+alias@gmail.com", "/{proxy+}",
			map[string]any{"proxy": "proxy-value/api/user/test%2Balias@gmail.com/plus/test+alias@gmail.com"}),
	}, {
		name: "invocation-payload-with-params-encoding",
		path: "/stage/proxy-value/api?dateTimeOffset=2023-06-12T18:05:10.123456+00:00&email=test%2Balias@gmail.com" +
			"&plus=test+alias@gmail.com&url=https://www.google.com/&whitespace=foo%20bar&zhash=abort/",
		base: awsRESTEvent("/proxy-value/api", "/stage/proxy-value/api", "/{proxy+}", map[string]any{"proxy": "proxy-value/api"}),
		want: func(ev map[string]any) {
			q := map[string]string{
				"dateTimeOffset": "2023-06-12T18:05:10.123456 00:00", "email": "test+alias@gmail.com",
				"plus": "test alias@gmail.com", "url": "https://www.google.com/", "whitespace": "foo bar", "zhash": "abort/",
			}
			single, multi := map[string]any{}, map[string]any{}
			for k, v := range q {
				single[k], multi[k] = v, []any{v}
			}
			ev["queryStringParameters"], ev["multiValueQueryStringParameters"] = single, multi
		},
	}, {
		name:   "invocation-payload-with-params-encoding-multi",
		path:   "/stage/proxy-value?category=electronics&category=books&price=10&price=20&price=30",
		header: []string{"Content-Type", "application/json;charset=utf-8", "aUThorization", "Bearer token123;API key456"},
		base:   awsRESTEvent("/proxy-value", "/stage/proxy-value", "/{proxy+}", map[string]any{"proxy": "proxy-value"}),
		want: func(ev map[string]any) {
			ev["httpMethod"] = "POST"
			ev["requestContext"].(map[string]any)["httpMethod"] = "POST"
			ev["body"] = `{"message": "hello world"}`
			h, mh := ev["headers"].(map[string]any), ev["multiValueHeaders"].(map[string]any)
			for k, v := range map[string]string{"Authorization": "Bearer token123;API key456", "Content-Type": "application/json;charset=utf-8"} {
				h[k], mh[k] = v, []any{v}
			}
			ev["queryStringParameters"] = map[string]any{"category": "books", "price": "30"}
			ev["multiValueQueryStringParameters"] = map[string]any{
				"category": []any{"electronics", "books"}, "price": []any{"10", "20", "30"},
			}
		},
	}, {
		name: "invocation-hardcoded",
		path: "/stage//hardcoded",
		base: awsRESTEvent("/hardcoded", "/stage//hardcoded", "/hardcoded", nil),
	}}
	for _, c := range events {
		t.Run(prefix+c.name, func(t *testing.T) {
			method, body := "GET", ""
			hdr := append(append([]string(nil), snapshotHeaders...), c.header...)
			if strings.HasSuffix(c.name, "-multi") {
				method, body = "POST", `{"message": "hello world"}`
				hdr = []string{"Accept", "*/*", "Accept-Encoding", "gzip, deflate", "User-Agent", "python-requests/testing"}
				hdr = append(hdr, c.header...)
			}
			r := do(t, srv, method, c.path, body, hdr...)
			if r.status != http.StatusOK {
				t.Fatalf("status %d %s, want 200", r.status, r.body)
			}
			got := fn.last(t)
			normalizeEvent(got)
			want := c.base
			want["headers"].(map[string]any)["X-Forwarded-Port"] = port
			want["multiValueHeaders"].(map[string]any)["X-Forwarded-Port"] = []any{port}
			if c.want != nil {
				c.want(want)
			}
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("event (-want +got):\n%s", d)
			}
		})
	}

	// The client's answers to a function's responses, from the status
	// codes test_aws_proxy_response_payload_format_validation asserts.
	type answer struct {
		Status int
		Body   string
		Header http.Header // only the names given in the case
	}
	const internal = `{"message": "Internal server error"}`
	answers := []struct {
		name   string
		out    string // the function's response
		header []string
		want   answer
	}{
		{"test_aws_proxy_response_payload_format_validation/invoke-api-no-body", `{"statusCode": 200}`, nil, answer{200, "", nil}},
		{"test_aws_proxy_response_payload_format_validation/invoke-api-with-headers", `{"statusCode": 200, "headers": {"test-header": "value", "header-bool": true}}`,
			[]string{"Test-Header"}, answer{200, "", http.Header{"Test-Header": {"value"}}}},
		{"test_aws_proxy_response_payload_format_validation/invoke-api-with-headers-null", `{"statusCode": 200, "headers": null}`, nil, answer{200, "", nil}},
		{"test_aws_proxy_response_payload_format_validation/invoke-api-wrong-format", `{"statusCode": 200, "wrongValue": "value"}`, nil, answer{502, internal, nil}},
		// No binary media types: the base64 text, not decoded (AWS-validated
		// in test_aws_proxy_binary_response, localstack/localstack#12199).
		{"test_aws_proxy_response_payload_format_validation/invoke-api-b64-encoded-true", `{"statusCode": 200, "body": "dGVzdC1kYXRh", "isBase64Encoded": true}`, nil, answer{200, "dGVzdC1kYXRh", nil}},
		{"test_aws_proxy_response_payload_format_validation/invoke-api-b64-encoded-false", `{"statusCode": 200, "body": "dGVzdC1kYXRh"}`, nil, answer{200, "dGVzdC1kYXRh", nil}},
		{"test_aws_proxy_response_payload_format_validation/invoke-api-multi-headers-valid", `{"statusCode": 200, "multiValueHeaders": {"test-multi": ["value1", "value2"]}}`,
			[]string{"Test-Multi"}, answer{200, "", http.Header{"Test-Multi": {"value1", "value2"}}}},
		{"test_aws_proxy_response_payload_format_validation/invoke-api-multi-headers-invalid", `{"statusCode": 200, "multiValueHeaders": {"test-multi-invalid": "value1"}}`, nil, answer{502, internal, nil}},
		{"test_aws_proxy_response_payload_format_validation/invoke-api-invalid-status-code", `{"statusCode": "test"}`, nil, answer{502, internal, nil}},
		{"test_aws_proxy_response_payload_format_validation/invoke-api-status-code-str", `{"statusCode": "201"}`, nil, answer{201, "", nil}},
		{"test_aws_proxy_response_payload_format_validation/invoke-api-just-string", `"justAString"`, nil, answer{502, internal, nil}},
		{"test_aws_proxy_response_payload_format_validation/invoke-api-only-headers", `{"headers": {"test-header": "value"}}`,
			[]string{"Test-Header"}, answer{200, "", http.Header{"Test-Header": {"value"}}}},
	}
	for _, c := range answers {
		t.Run("test_apigateway_lambda.py::"+c.name, func(t *testing.T) {
			fn.mu.Lock()
			fn.out = c.out
			fn.mu.Unlock()
			r := do(t, srv, "POST", "/stage/test", `{"x":1}`)
			got := answer{Status: r.status, Body: r.body}
			for _, k := range c.header {
				if vs := r.header.Values(k); len(vs) > 0 {
					if got.Header == nil {
						got.Header = http.Header{}
					}
					got.Header[k] = vs
				}
			}
			if d := cmp.Diff(c.want, got); d != "" {
				t.Errorf("answer (-want +got):\n%s", d)
			}
			if r.header.Get("X-Amzn-Requestid") == "" || r.header.Get("X-Amz-Apigw-Id") == "" {
				t.Errorf("headers %v lack x-amzn-RequestId or x-amz-apigw-id", r.header)
			}
		})
	}
}

var _ faas.Function = (*recorder)(nil)
