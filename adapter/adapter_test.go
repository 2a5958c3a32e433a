package adapter_test

import (
	"bytes"
	"context"
	"embed"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/faasport/faasport/adapter"
	"github.com/faasport/faasport/faas"
)

// samples are real events, copied from aws-lambda-go's events/testdata
// (v1.55.1): HTTP requests (see TestInvokeSamples), and events that look
// like them but are none (notRequestSamples). All seed the fuzz targets
// that decode events (FuzzInvoke, FuzzEventJSON, FuzzTypedEntryPoints).
//
//go:embed testdata/*.json
var samples embed.FS

func sampleEvent(t testing.TB, name string) []byte {
	t.Helper()
	b, err := samples.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// sampleEvents returns every sample event in testdata.
func sampleEvents(t testing.TB) [][]byte {
	t.Helper()
	files, err := samples.ReadDir("testdata")
	if err != nil {
		t.Fatal(err)
	}
	out := make([][]byte, 0, len(files))
	for _, fi := range files {
		out = append(out, sampleEvent(t, fi.Name()))
	}
	return out
}

// seen is what a handler saw of its request.
type seen struct {
	Format        string
	Method        string
	Path          string
	RawPath       string
	RawQuery      string
	Host          string
	RemoteAddr    string
	Proto         string
	ContentLength int64
	Header        http.Header
	Body          string
	Principal     *faas.Principal
}

// recordSeen returns a handler that stores what it sees in *got and answers
// with respond, or "ok" when respond is nil.
func recordSeen(t testing.TB, got *seen, respond http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, err := io.ReadAll(r.Body)
		if err != nil {
			t.Errorf("reading the request body: %v", err)
		}
		*got = seen{
			Method:        r.Method,
			Path:          r.URL.Path,
			RawPath:       r.URL.RawPath,
			RawQuery:      r.URL.RawQuery,
			Host:          r.Host,
			RemoteAddr:    r.RemoteAddr,
			Proto:         r.Proto,
			ContentLength: r.ContentLength,
			Header:        r.Header.Clone(),
			Body:          string(b),
		}
		if ev, ok := adapter.EventFromContext(r.Context()); ok {
			got.Format = ev.Format.String()
		}
		if p, ok := faas.PrincipalFromContext(r.Context()); ok {
			got.Principal = p
		}
		if respond != nil {
			respond(w, r)
			return
		}
		io.WriteString(w, "ok")
	})
}

// testLogger sends the adapter's logs to the test.
func testLogger(t testing.TB) adapter.Option {
	return adapter.WithLogger(slog.New(slog.NewTextHandler(t.Output(), nil)))
}

// invokeSeen invokes a handler wrapped with opts on payload and returns what the
// handler saw and the response.
func invokeSeen(t testing.TB, payload []byte, opts ...adapter.Option) (seen, []byte) {
	t.Helper()
	var got seen
	h := adapter.Wrap(recordSeen(t, &got, nil), append([]adapter.Option{testLogger(t)}, opts...)...)
	out, err := h.Invoke(context.Background(), payload)
	if err != nil {
		t.Fatalf("Invoke(%s) error: %v", payload, err)
	}
	return got, out
}

// Events built by hand, starting from a minimal event of each format and
// overlaying the fields a case is about (see buildEvent).
const (
	restBase = `{
		"resource": "/{proxy+}", "path": "/", "httpMethod": "GET",
		"headers": null, "multiValueHeaders": null,
		"queryStringParameters": null, "multiValueQueryStringParameters": null,
		"pathParameters": null, "stageVariables": null,
		"requestContext": {
			"accountId": "123456789012", "resourceId": "abc123", "stage": "prod",
			"domainName": "abc123.execute-api.us-east-1.amazonaws.com", "domainPrefix": "abc123",
			"requestId": "c6af9ac6-7b61-11e6-9a41-93e8deadbeef", "protocol": "HTTP/1.1",
			"identity": {"sourceIp": "203.0.113.7", "userAgent": "test-agent", "user": null, "userArn": null},
			"resourcePath": "/{proxy+}", "httpMethod": "GET", "apiId": "abc123"
		},
		"body": null, "isBase64Encoded": false
	}`
	httpV1Base = `{
		"version": "1.0", "resource": "$default", "path": "/", "httpMethod": "GET",
		"headers": {}, "multiValueHeaders": {},
		"queryStringParameters": null, "multiValueQueryStringParameters": null,
		"requestContext": {
			"accountId": "123456789012", "apiId": "abc123", "domainName": "abc123.execute-api.us-east-1.amazonaws.com",
			"domainPrefix": "abc123", "extendedRequestId": "JTHd9j2EoAMESXw=", "httpMethod": "GET",
			"identity": {"sourceIp": "203.0.113.7", "userAgent": "test-agent"},
			"path": "/", "protocol": "HTTP/1.1", "requestId": "JTHd9j2EoAMESXw=", "resourcePath": "$default",
			"stage": "$default"
		},
		"pathParameters": null, "stageVariables": null, "body": null, "isBase64Encoded": false
	}`
	httpV2Base = `{
		"version": "2.0", "routeKey": "$default", "rawPath": "/", "rawQueryString": "",
		"headers": {},
		"requestContext": {
			"accountId": "123456789012", "apiId": "abc123", "domainName": "abc123.execute-api.us-east-1.amazonaws.com",
			"domainPrefix": "abc123",
			"http": {"method": "GET", "path": "/", "protocol": "HTTP/1.1", "sourceIp": "203.0.113.7", "userAgent": "test-agent"},
			"requestId": "JTHd9j2EoAMESXw=", "routeKey": "$default", "stage": "$default",
			"time": "21/Apr/2020:15:08:21 +0000", "timeEpoch": 1587481701067
		},
		"isBase64Encoded": false
	}`
	albBase = `{
		"requestContext": {"elb": {"targetGroupArn": "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/lambda-target/abcdefg"}},
		"httpMethod": "GET", "path": "/", "queryStringParameters": {},
		"headers": {"host": "alb.example.com", "x-forwarded-for": "203.0.113.7"},
		"body": "", "isBase64Encoded": false
	}`
	albMultiBase = `{
		"requestContext": {"elb": {"targetGroupArn": "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/lambda-target/abcdefg"}},
		"httpMethod": "GET", "path": "/", "multiValueQueryStringParameters": {},
		"multiValueHeaders": {"host": ["alb.example.com"], "x-forwarded-for": ["203.0.113.7"]},
		"body": "", "isBase64Encoded": false
	}`
	urlBase = `{
		"version": "2.0", "rawPath": "/", "rawQueryString": "", "headers": {},
		"requestContext": {
			"accountId": "anonymous", "apiId": "abcdefghijklmnop", "domainName": "abcdefghijklmnop.lambda-url.us-east-1.on.aws",
			"domainPrefix": "abcdefghijklmnop",
			"http": {"method": "GET", "path": "/", "protocol": "HTTP/1.1", "sourceIp": "203.0.113.7", "userAgent": "test-agent"},
			"requestId": "id", "time": "12/Mar/2020:19:03:58 +0000", "timeEpoch": 1583348638390
		},
		"isBase64Encoded": false
	}`
	latticeBase = `{
		"version": "2.0", "path": "/", "method": "GET",
		"headers": {"host": ["svc.example.vpc-lattice-svcs.us-east-2.on.aws"], "x-forwarded-for": ["10.0.0.7"]},
		"queryStringParameters": {}, "body": "", "isBase64Encoded": false,
		"requestContext": {
			"serviceNetworkArn": "arn:aws:vpc-lattice:us-east-2:123456789012:servicenetwork/sn-0bf3f2882e9cc805a",
			"serviceArn": "arn:aws:vpc-lattice:us-east-2:123456789012:service/svc-0a40eebed65f8d69c",
			"targetGroupArn": "arn:aws:vpc-lattice:us-east-2:123456789012:targetgroup/tg-6d0ecf831eec9f09",
			"identity": {"sourceVpcArn": "arn:aws:ec2:us-east-2:123456789012:vpc/vpc-0b8276c84697e7339"},
			"region": "us-east-2", "timeEpoch": "1690497599177430"
		}
	}`
)

// buildEvent returns base with the JSON object over merged into it, member by
// member: objects merge, anything else replaces. Member order is not kept;
// cases about the order of keys write their events out in full.
func buildEvent(t testing.TB, base, over string) []byte {
	t.Helper()
	var b, o map[string]any
	if err := json.Unmarshal([]byte(base), &b); err != nil {
		t.Fatalf("base event: %v", err)
	}
	if over != "" {
		if err := json.Unmarshal([]byte(over), &o); err != nil {
			t.Fatalf("event overlay %s: %v", over, err)
		}
	}
	out, err := json.Marshal(mergeJSON(b, o))
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func mergeJSON(base, over map[string]any) map[string]any {
	for k, v := range over {
		if vm, ok := v.(map[string]any); ok {
			if bm, ok := base[k].(map[string]any); ok {
				base[k] = mergeJSON(bm, vm)
				continue
			}
		}
		base[k] = v
	}
	return base
}

// TestInvokeSamples checks what a handler sees of each real sample event.
func TestInvokeSamples(t *testing.T) {
	restHeader := http.Header{
		"Accept":                       {"*/*"},
		"Accept-Encoding":              {"gzip, deflate"},
		"Cache-Control":                {"no-cache"},
		"Cloudfront-Forwarded-Proto":   {"https"},
		"Cloudfront-Is-Desktop-Viewer": {"true"},
		"Cloudfront-Is-Mobile-Viewer":  {"false"},
		"Cloudfront-Is-Smarttv-Viewer": {"false"},
		"Cloudfront-Is-Tablet-Viewer":  {"false"},
		"Cloudfront-Viewer-Country":    {"US"},
		"Content-Length":               {"13"},
		"Content-Type":                 {"application/json"},
		"Headername":                   {"headerValue"},
		"Postman-Token":                {"9f583ef0-ed83-4a38-aef3-eb9ce3f7a57f"},
		"User-Agent":                   {"PostmanRuntime/2.4.5"},
		"Via":                          {"1.1 d98420743a69852491bbdea73f7680bd.cloudfront.net (CloudFront)"},
		"X-Amz-Cf-Id":                  {"pn-PWIJc6thYnZm5P0NMgOUglL1DYtl0gdeJky8tqsg8iS_sgsKD1A=="},
		"X-Forwarded-For":              {"54.240.196.186, 54.182.214.83"},
		"X-Forwarded-Port":             {"443"},
		"X-Forwarded-Proto":            {"https"},
	}
	restPrincipal := &faas.Principal{
		Subject: "admin", // principalId of the Lambda authorizer
		Claims:  map[string]any{"principalId": "admin", "clientId": 1.0, "clientName": "Exata"},
	}
	const crlfBody = "{\r\n\t\"a\": 1\r\n}"
	v2 := func(p *faas.Principal) seen {
		return seen{
			Format:        "http-api-v2",
			Method:        "GET",
			Path:          "/my/path",
			RawQuery:      "parameter1=value1&parameter1=value2&parameter2=value",
			Host:          "id.execute-api.us-east-1.amazonaws.com", // no Host header: the domain name
			RemoteAddr:    "IP:0",
			Proto:         "HTTP/1.1",
			ContentLength: 13,
			Header: http.Header{
				"Header1":        {"value1"},
				"Header2":        {"value2"},
				"Cookie":         {"cookie1; cookie2"},
				"Content-Length": {"13"},
			},
			Body:      crlfBody,
			Principal: p,
		}
	}
	alb := func(format, host, trace, ip string) seen {
		return seen{
			Format:     format,
			Method:     "GET",
			Path:       "/",
			RawQuery:   "key=hello",
			Host:       host,
			RemoteAddr: ip + ":0", // from X-Forwarded-For
			Proto:      "HTTP/1.1",
			Header: http.Header{
				"Accept":            {"*/*"},
				"Connection":        {"keep-alive"},
				"User-Agent":        {"curl/7.54.0"},
				"X-Amzn-Trace-Id":   {trace},
				"X-Forwarded-For":   {ip},
				"X-Forwarded-Port":  {"80"},
				"X-Forwarded-Proto": {"http"},
				"X-Imforwards":      {"20"},
				"X-Myheader":        {"123"},
			},
		}
	}

	tests := []struct {
		file string
		want seen
	}{
		{
			file: "apigw-request.json",
			want: seen{
				Format:        "rest-api",
				Method:        "POST",
				Path:          "/hello/world",
				RawQuery:      "name=me",
				Host:          "gy415nuibc.execute-api.us-east-1.amazonaws.com", // the Host header, not domainName
				RemoteAddr:    "192.168.196.186:0",
				Proto:         "HTTP/1.1",
				ContentLength: 13,
				Header:        restHeader,
				Body:          crlfBody,
				Principal:     restPrincipal,
			},
		},
		{
			file: "apigw-restapi-openapi-request.json",
			want: seen{
				Format:        "rest-api",
				Method:        "POST",
				Path:          "/hello/world",
				RawQuery:      "name=me",
				Host:          "gy415nuibc.execute-api.us-east-1.amazonaws.com",
				RemoteAddr:    "192.168.196.186:0",
				Proto:         "HTTP/1.1",
				ContentLength: 13,
				Header:        restHeader,
				Body:          crlfBody,
				Principal:     restPrincipal,
			},
		},
		{
			file: "apigw-v2-request-iam.json",
			want: v2(&faas.Principal{
				// The Cognito identity, when there is one, else userId.
				Subject: "us-east-1:3f291106-8703-466b-8f2b-3ecee1ca56ce",
				Claims: map[string]any{
					"accessKey": "ARIA2ZJZYVUEREEIHAKY",
					"accountId": "1234567890",
					"callerId":  "AROA7ZJZYVRE7C3DUXHH6:CognitoIdentityCredentials",
					"cognitoIdentity": map[string]any{
						"amr":            []any{"foo"},
						"identityId":     "us-east-1:3f291106-8703-466b-8f2b-3ecee1ca56ce",
						"identityPoolId": "us-east-1:4f291106-8703-466b-8f2b-3ecee1ca56ce",
					},
					"principalOrgId": "AwsOrgId",
					"userArn":        "arn:aws:iam::1234567890:user/Admin",
					"userId":         "AROA2ZJZYVRE7Y3TUXHH6",
				},
			}),
		},
		{
			file: "apigw-v2-request-jwt-authorizer.json",
			want: v2(&faas.Principal{
				Claims: map[string]any{"claim1": "value1", "claim2": "value2", "scopes": []any{"scope1", "scope2"}},
			}),
		},
		{
			file: "apigw-v2-request-lambda-authorizer.json",
			want: v2(&faas.Principal{Claims: map[string]any{"key": "value"}}),
		},
		{
			file: "apigw-v2-request-no-authorizer.json",
			want: seen{
				Format:     "http-api-v2",
				Method:     "GET",
				Path:       "/",
				Host:       "aaaaaaaaaa.execute-api.us-west-2.amazonaws.com",
				RemoteAddr: "1.2.3.4:0",
				Proto:      "HTTP/1.1",
				Header: http.Header{
					"Accept":            {"*/*"},
					"Content-Length":    {"0"},
					"User-Agent":        {"curl/7.58.0"},
					"X-Amzn-Trace-Id":   {"Root=1-5e9f0c65-1de4d666d4dd26aced652b6c"},
					"X-Forwarded-For":   {"1.2.3.4"},
					"X-Forwarded-Port":  {"443"},
					"X-Forwarded-Proto": {"https"},
				},
			},
		},
		{
			file: "lambda-urls-request.json",
			want: seen{
				Format:        "function-url",
				Method:        "POST",
				Path:          "/my/path",
				RawQuery:      "parameter1=value1&parameter1=value2&parameter2=value",
				Host:          "<url-id>.lambda-url.us-west-2.on.aws",
				RemoteAddr:    "123.123.123.123:0",
				Proto:         "HTTP/1.1",
				ContentLength: 18,
				Header: http.Header{
					"Header1":        {"value1"},
					"Header2":        {"value1,value2"}, // never split
					"Cookie":         {"cookie1; cookie2"},
					"Content-Length": {"18"},
				},
				Body: "Hello from client!",
				Principal: &faas.Principal{
					Subject: "AIDA...",
					Claims: map[string]any{
						"accessKey": "AKIA...",
						"accountId": "111122223333",
						"callerId":  "AIDA...",
						"userArn":   "arn:aws:iam::111122223333:user/example-user",
						"userId":    "AIDA...",
					},
				},
			},
		},
		{
			file: "alb-lambda-target-request-headers-only.json",
			want: alb("alb", "lambda-test-alb-1334523864.us-east-1.elb.amazonaws.com",
				"Root=1-5c34e93e-4dea0086f9763ac0667b115a", "25.12.198.67"),
		},
		{
			file: "alb-lambda-target-request-multivalue-headers.json",
			want: alb("alb-multi-value", "lambda-test-alb-1234567.us-east-1.elb.amazonaws.com",
				"Root=1-5c34e7d4-00ca239424b68028d4c56d68", "72.21.198.67"),
		},
	}
	files, err := samples.ReadDir("testdata")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != len(tests)+len(notRequestSamples) {
		t.Errorf("testdata has %d files, the tables %d: add a case for each here or in notRequestSamples",
			len(files), len(tests)+len(notRequestSamples))
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			got, _ := invokeSeen(t, sampleEvent(t, tc.file))
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("request seen for %s (-want +got):\n%s", tc.file, diff)
			}
		})
	}
}

// shapeHandler writes a response with a status, repeated headers and
// cookies, for checking how each format carries them.
func shapeHandler(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Add("X-Multi", "a")
	w.Header().Add("X-Multi", "b, c")
	w.Header().Add("Set-Cookie", "a=1; Path=/")
	w.Header().Add("Set-Cookie", "b=2")
	w.WriteHeader(http.StatusCreated)
	io.WriteString(w, `{"ok":true}`)
}

// latticeResponse is VPC Lattice's response shape, which aws-lambda-go
// does not define.
type latticeResponse struct {
	StatusCode        int               `json:"statusCode"`
	StatusDescription string            `json:"statusDescription"`
	Headers           map[string]string `json:"headers"`
	Body              string            `json:"body"`
	IsBase64Encoded   bool              `json:"isBase64Encoded"`
}

func TestResponseShape(t *testing.T) {
	singleHeaders := map[string]string{"Content-Type": "application/json", "X-Multi": "a,b, c"}
	multiHeaders := map[string][]string{
		"Content-Type": {"application/json"},
		"X-Multi":      {"a", "b, c"},
		"Set-Cookie":   {"a=1; Path=/", "b=2"},
	}
	cookies := []string{"a=1; Path=/", "b=2"}
	const body = `{"ok":true}`

	tests := []struct {
		name     string
		payload  []byte
		got      any // a pointer to the response type to decode into
		want     any
		wantKeys []string // the response's members, as sent
	}{
		{
			name:     "rest api",
			payload:  sampleEvent(t, "apigw-request.json"),
			got:      &events.APIGatewayProxyResponse{},
			want:     &events.APIGatewayProxyResponse{StatusCode: 201, MultiValueHeaders: multiHeaders, Body: body},
			wantKeys: []string{"body", "isBase64Encoded", "multiValueHeaders", "statusCode"},
		},
		{
			name:     "http api v1",
			payload:  buildEvent(t, httpV1Base, ""),
			got:      &events.APIGatewayProxyResponse{},
			want:     &events.APIGatewayProxyResponse{StatusCode: 201, MultiValueHeaders: multiHeaders, Body: body},
			wantKeys: []string{"body", "isBase64Encoded", "multiValueHeaders", "statusCode"},
		},
		{
			name:     "http api v2",
			payload:  sampleEvent(t, "apigw-v2-request-no-authorizer.json"),
			got:      &events.APIGatewayV2HTTPResponse{},
			want:     &events.APIGatewayV2HTTPResponse{StatusCode: 201, Headers: singleHeaders, Cookies: cookies, Body: body},
			wantKeys: []string{"body", "cookies", "headers", "isBase64Encoded", "statusCode"},
		},
		{
			name:     "function url",
			payload:  sampleEvent(t, "lambda-urls-request.json"),
			got:      &events.LambdaFunctionURLResponse{},
			want:     &events.LambdaFunctionURLResponse{StatusCode: 201, Headers: singleHeaders, Cookies: cookies, Body: body},
			wantKeys: []string{"body", "cookies", "headers", "isBase64Encoded", "statusCode"},
		},
		{
			name:    "alb",
			payload: sampleEvent(t, "alb-lambda-target-request-headers-only.json"),
			got:     &events.ALBTargetGroupResponse{},
			want: &events.ALBTargetGroupResponse{
				StatusCode:        201,
				StatusDescription: "201 Created",
				// One value per name: the last cookie, as ALB itself keeps.
				Headers: map[string]string{"Content-Type": "application/json", "X-Multi": "a,b, c", "Set-Cookie": "b=2"},
				Body:    body,
			},
			wantKeys: []string{"body", "headers", "isBase64Encoded", "statusCode", "statusDescription"},
		},
		{
			name:    "alb multi-value",
			payload: sampleEvent(t, "alb-lambda-target-request-multivalue-headers.json"),
			got:     &events.ALBTargetGroupResponse{},
			want: &events.ALBTargetGroupResponse{
				StatusCode:        201,
				StatusDescription: "201 Created",
				MultiValueHeaders: multiHeaders,
				Body:              body,
			},
			wantKeys: []string{"body", "isBase64Encoded", "multiValueHeaders", "statusCode", "statusDescription"},
		},
		{
			name:    "vpc lattice",
			payload: buildEvent(t, latticeBase, ""),
			got:     &latticeResponse{},
			want: &latticeResponse{
				StatusCode:        201,
				StatusDescription: "201 Created",
				Headers:           map[string]string{"Content-Type": "application/json", "X-Multi": "a,b, c", "Set-Cookie": "b=2"},
				Body:              body,
			},
			wantKeys: []string{"body", "headers", "isBase64Encoded", "statusCode", "statusDescription"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var s seen
			h := adapter.Wrap(recordSeen(t, &s, shapeHandler), testLogger(t))
			out, err := h.Invoke(context.Background(), tc.payload)
			if err != nil {
				t.Fatalf("Invoke: %v", err)
			}
			if err := json.Unmarshal(out, tc.got); err != nil {
				t.Fatalf("Invoke = %s, does not decode into %T: %v", out, tc.got, err)
			}
			if diff := cmp.Diff(tc.want, tc.got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("Invoke = %s\nresponse (-want +got):\n%s", out, diff)
			}
			var members map[string]json.RawMessage
			if err := json.Unmarshal(out, &members); err != nil {
				t.Fatal(err)
			}
			var keys []string
			for k := range members {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			if diff := cmp.Diff(tc.wantKeys, keys); diff != "" {
				t.Errorf("Invoke = %s\nresponse members (-want +got):\n%s", out, diff)
			}
		})
	}
}

var pngBytes = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89")

func fakeGzip(s string) []byte {
	// A fixed gzip stream of s is not needed: any bytes with
	// Content-Encoding set must travel base64-encoded.
	return append([]byte("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"), s...)
}

// TestResponseWriter checks that the response follows net/http's server
// semantics, through an HTTP API 2.0 event.
func TestResponseWriter(t *testing.T) {
	b64 := base64.StdEncoding.EncodeToString
	tests := []struct {
		name    string
		method  string
		opts    []adapter.Option
		handler func(w http.ResponseWriter, r *http.Request) error // returns the first unexpected or wanted write error
		wantErr error                                              // what handler must return
		want    events.APIGatewayV2HTTPResponse
	}{
		{
			name: "json is text",
			handler: func(w http.ResponseWriter, r *http.Request) error {
				w.Header().Set("Content-Type", "application/json; charset=utf-8")
				_, err := io.WriteString(w, `{"a":"é"}`)
				return err
			},
			want: events.APIGatewayV2HTTPResponse{StatusCode: 200, Headers: map[string]string{"Content-Type": "application/json; charset=utf-8"}, Body: `{"a":"é"}`},
		},
		{
			name: "text is text",
			handler: func(w http.ResponseWriter, r *http.Request) error {
				w.Header().Set("Content-Type", "text/plain")
				_, err := io.WriteString(w, "hello\n")
				return err
			},
			want: events.APIGatewayV2HTTPResponse{StatusCode: 200, Headers: map[string]string{"Content-Type": "text/plain"}, Body: "hello\n"},
		},
		{
			name: "svg is text",
			handler: func(w http.ResponseWriter, r *http.Request) error {
				w.Header().Set("Content-Type", "image/svg+xml")
				_, err := io.WriteString(w, "<svg/>")
				return err
			},
			want: events.APIGatewayV2HTTPResponse{StatusCode: 200, Headers: map[string]string{"Content-Type": "image/svg+xml"}, Body: "<svg/>"},
		},
		{
			name: "png is base64",
			handler: func(w http.ResponseWriter, r *http.Request) error {
				w.Header().Set("Content-Type", "image/png")
				_, err := w.Write(pngBytes)
				return err
			},
			want: events.APIGatewayV2HTTPResponse{StatusCode: 200, Headers: map[string]string{"Content-Type": "image/png"}, Body: b64(pngBytes), IsBase64Encoded: true},
		},
		{
			name: "sniffed png is base64",
			handler: func(w http.ResponseWriter, r *http.Request) error {
				_, err := w.Write(pngBytes)
				return err
			},
			want: events.APIGatewayV2HTTPResponse{StatusCode: 200, Headers: map[string]string{"Content-Type": "image/png"}, Body: b64(pngBytes), IsBase64Encoded: true},
		},
		{
			name: "gzip is base64",
			handler: func(w http.ResponseWriter, r *http.Request) error {
				w.Header().Set("Content-Type", "application/json")
				w.Header().Set("Content-Encoding", "gzip")
				_, err := w.Write(fakeGzip(`{}`))
				return err
			},
			want: events.APIGatewayV2HTTPResponse{
				StatusCode: 200,
				Headers:    map[string]string{"Content-Type": "application/json", "Content-Encoding": "gzip"},
				Body:       b64(fakeGzip(`{}`)), IsBase64Encoded: true,
			},
		},
		{
			name: "text that is not UTF-8 is base64",
			handler: func(w http.ResponseWriter, r *http.Request) error {
				w.Header().Set("Content-Type", "text/plain; charset=latin1")
				_, err := w.Write([]byte("caf\xe9"))
				return err
			},
			want: events.APIGatewayV2HTTPResponse{StatusCode: 200, Headers: map[string]string{"Content-Type": "text/plain; charset=latin1"}, Body: b64([]byte("caf\xe9")), IsBase64Encoded: true},
		},
		{
			name: "WithBinaryContentTypes",
			opts: []adapter.Option{adapter.WithBinaryContentTypes("text/csv")},
			handler: func(w http.ResponseWriter, r *http.Request) error {
				w.Header().Set("Content-Type", "text/csv; charset=utf-8")
				_, err := io.WriteString(w, "a,b\n")
				return err
			},
			want: events.APIGatewayV2HTTPResponse{StatusCode: 200, Headers: map[string]string{"Content-Type": "text/csv; charset=utf-8"}, Body: b64([]byte("a,b\n")), IsBase64Encoded: true},
		},
		{
			name: "WithTextContentTypes",
			opts: []adapter.Option{adapter.WithTextContentTypes("application/vnd.example.v1")},
			handler: func(w http.ResponseWriter, r *http.Request) error {
				w.Header().Set("Content-Type", "application/vnd.example.v1")
				_, err := io.WriteString(w, "plain")
				return err
			},
			want: events.APIGatewayV2HTTPResponse{StatusCode: 200, Headers: map[string]string{"Content-Type": "application/vnd.example.v1"}, Body: "plain"},
		},
		{
			name:    "handler that writes nothing answers 200",
			handler: func(w http.ResponseWriter, r *http.Request) error { return nil },
			want:    events.APIGatewayV2HTTPResponse{StatusCode: 200},
		},
		{
			name: "first WriteHeader wins",
			handler: func(w http.ResponseWriter, r *http.Request) error {
				w.WriteHeader(http.StatusAccepted)
				w.WriteHeader(http.StatusInternalServerError)
				_, err := io.WriteString(w, "accepted")
				w.WriteHeader(http.StatusNotFound)
				return err
			},
			want: events.APIGatewayV2HTTPResponse{StatusCode: 202, Headers: map[string]string{"Content-Type": "text/plain; charset=utf-8"}, Body: "accepted"},
		},
		{
			name: "headers set after WriteHeader are not sent",
			handler: func(w http.ResponseWriter, r *http.Request) error {
				w.Header().Set("X-Before", "1")
				w.WriteHeader(http.StatusOK)
				w.Header().Set("X-After", "1")
				w.Header().Set("X-Before", "changed")
				return nil
			},
			want: events.APIGatewayV2HTTPResponse{StatusCode: 200, Headers: map[string]string{"X-Before": "1"}},
		},
		{
			name: "headers set after Write are not sent",
			handler: func(w http.ResponseWriter, r *http.Request) error {
				w.Header().Set("Content-Type", "text/plain")
				_, err := io.WriteString(w, "x")
				w.Header().Set("X-After", "1")
				w.Header().Add("Set-Cookie", "late=1")
				return err
			},
			want: events.APIGatewayV2HTTPResponse{StatusCode: 200, Headers: map[string]string{"Content-Type": "text/plain"}, Body: "x"},
		},
		{
			name: "informational status is not final",
			handler: func(w http.ResponseWriter, r *http.Request) error {
				w.WriteHeader(http.StatusEarlyHints)
				w.WriteHeader(http.StatusCreated)
				return nil
			},
			want: events.APIGatewayV2HTTPResponse{StatusCode: 201},
		},
		{
			name: "html is sniffed when Content-Type is unset",
			handler: func(w http.ResponseWriter, r *http.Request) error {
				_, err := io.WriteString(w, "<!DOCTYPE html><html><body>hi</body></html>")
				return err
			},
			want: events.APIGatewayV2HTTPResponse{StatusCode: 200, Headers: map[string]string{"Content-Type": "text/html; charset=utf-8"}, Body: "<!DOCTYPE html><html><body>hi</body></html>"},
		},
		{
			name: "sniffing looks at the whole first 512 bytes written",
			handler: func(w http.ResponseWriter, r *http.Request) error {
				io.WriteString(w, "  ")
				_, err := io.WriteString(w, "<html>")
				return err
			},
			want: events.APIGatewayV2HTTPResponse{StatusCode: 200, Headers: map[string]string{"Content-Type": "text/html; charset=utf-8"}, Body: "  <html>"},
		},
		{
			name: "no sniffing with Content-Encoding",
			handler: func(w http.ResponseWriter, r *http.Request) error {
				w.Header().Set("Content-Encoding", "br")
				_, err := io.WriteString(w, "<html>")
				return err
			},
			want: events.APIGatewayV2HTTPResponse{StatusCode: 200, Headers: map[string]string{"Content-Encoding": "br"}, Body: b64([]byte("<html>")), IsBase64Encoded: true},
		},
		{
			name: "Flush before writing commits the headers without a Content-Type",
			handler: func(w http.ResponseWriter, r *http.Request) error {
				w.Header().Set("X-Early", "1")
				w.(http.Flusher).Flush()
				w.Header().Set("X-Late", "1")
				_, err := io.WriteString(w, "<html>")
				return err
			},
			// net/http sends the headers at the Flush, before any byte to
			// sniff; a body without a Content-Type is binary here.
			want: events.APIGatewayV2HTTPResponse{StatusCode: 200, Headers: map[string]string{"X-Early": "1"}, Body: b64([]byte("<html>")), IsBase64Encoded: true},
		},
		{
			name: "204 refuses a body",
			handler: func(w http.ResponseWriter, r *http.Request) error {
				w.WriteHeader(http.StatusNoContent)
				_, err := io.WriteString(w, "x")
				return err
			},
			wantErr: http.ErrBodyNotAllowed,
			want:    events.APIGatewayV2HTTPResponse{StatusCode: 204},
		},
		{
			name: "204 refuses a body through Write",
			handler: func(w http.ResponseWriter, r *http.Request) error {
				w.WriteHeader(http.StatusNoContent)
				_, err := w.Write([]byte("x"))
				return err
			},
			wantErr: http.ErrBodyNotAllowed,
			want:    events.APIGatewayV2HTTPResponse{StatusCode: 204},
		},
		{
			name: "304 refuses a body and drops Content-Type",
			handler: func(w http.ResponseWriter, r *http.Request) error {
				w.Header().Set("Content-Type", "text/plain")
				w.Header().Set("Etag", `"v1"`)
				w.WriteHeader(http.StatusNotModified)
				_, err := w.Write([]byte("x"))
				return err
			},
			wantErr: http.ErrBodyNotAllowed,
			want:    events.APIGatewayV2HTTPResponse{StatusCode: 304, Headers: map[string]string{"Etag": `"v1"`}},
		},
		{
			name:   "HEAD discards the body",
			method: "HEAD",
			handler: func(w http.ResponseWriter, r *http.Request) error {
				w.Header().Set("Content-Type", "text/plain")
				n, err := io.WriteString(w, "hello")
				if err == nil && n != 5 {
					return fmt.Errorf("Write returned %d, want 5", n)
				}
				return err
			},
			// The length of the body it would have had, as net/http sends.
			want: events.APIGatewayV2HTTPResponse{StatusCode: 200, Headers: map[string]string{"Content-Type": "text/plain", "Content-Length": "5"}},
		},
		{
			name:   "HEAD sniffs the Content-Type of the body it discards",
			method: "HEAD",
			handler: func(w http.ResponseWriter, r *http.Request) error {
				_, err := io.WriteString(w, "<html><body>")
				return err
			},
			want: events.APIGatewayV2HTTPResponse{StatusCode: 200, Headers: map[string]string{"Content-Type": "text/html; charset=utf-8", "Content-Length": "12"}},
		},
		{
			name: "invalid status code is a handler panic",
			handler: func(w http.ResponseWriter, r *http.Request) error {
				w.WriteHeader(42)
				return nil
			},
			want: events.APIGatewayV2HTTPResponse{StatusCode: 500, Headers: map[string]string{"Content-Type": "application/json"}, Body: `{"message":"Internal Server Error"}`},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			method := tc.method
			if method == "" {
				method = "GET"
			}
			payload := buildEvent(t, httpV2Base, `{"requestContext":{"http":{"method":"`+method+`"}}}`)
			var handlerErr error
			h := adapter.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				handlerErr = tc.handler(w, r)
			}), append([]adapter.Option{testLogger(t)}, tc.opts...)...)
			out, err := h.Invoke(context.Background(), payload)
			if err != nil {
				t.Fatalf("Invoke: %v", err)
			}
			if !errors.Is(handlerErr, tc.wantErr) || (tc.wantErr == nil) != (handlerErr == nil) {
				t.Errorf("write error = %v, want %v", handlerErr, tc.wantErr)
			}
			var got events.APIGatewayV2HTTPResponse
			if err := json.Unmarshal(out, &got); err != nil {
				t.Fatalf("Invoke = %s: %v", out, err)
			}
			if diff := cmp.Diff(tc.want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("Invoke = %s\nresponse (-want +got):\n%s", out, diff)
			}
		})
	}
}

func TestHeaderFidelity(t *testing.T) {
	tests := []struct {
		name    string
		payload []byte
		want    http.Header
	}{
		{
			name: "rest commas are never split",
			payload: buildEvent(t, restBase, `{"multiValueHeaders":{
				"Accept":["text/html, application/json;q=0.9"],
				"X-Multi":["a","b, c"],
				"If-None-Match":["\"a,b\", \"c\""]}}`),
			want: http.Header{
				"Accept":        {"text/html, application/json;q=0.9"},
				"X-Multi":       {"a", "b, c"},
				"If-None-Match": {`"a,b", "c"`},
			},
		},
		{
			name:    "v2 commas are never split",
			payload: buildEvent(t, httpV2Base, `{"headers":{"accept":"a, b","x-multi":"1,2"}}`),
			want:    http.Header{"Accept": {"a, b"}, "X-Multi": {"1,2"}},
		},
		{
			name:    "rest multi-value order is kept",
			payload: buildEvent(t, restBase, `{"multiValueHeaders":{"X-Order":["3","1","2"]}}`),
			want:    http.Header{"X-Order": {"3", "1", "2"}},
		},
		{
			name:    "rest multiValueHeaders win over headers",
			payload: buildEvent(t, restBase, `{"headers":{"X-Order":"2"},"multiValueHeaders":{"X-Order":["1","2"]}}`),
			want:    http.Header{"X-Order": {"1", "2"}},
		},
		{
			name:    "rest headers alone",
			payload: buildEvent(t, restBase, `{"headers":{"x-one":"1","content-type":"text/plain"}}`),
			want:    http.Header{"X-One": {"1"}, "Content-Type": {"text/plain"}},
		},
		{
			name: "names differing in case are one header, in document order",
			payload: []byte(`{"httpMethod":"GET","path":"/","requestContext":{},
				"multiValueHeaders":{"x-a":["1"],"X-A":["2","3"],"x-A":["4"]}}`),
			want: http.Header{"X-A": {"1", "2", "3", "4"}},
		},
		{
			name:    "alb multi-value order is kept",
			payload: buildEvent(t, albMultiBase, `{"multiValueHeaders":{"x-order":["b","a"]}}`),
			want:    http.Header{"X-Forwarded-For": {"203.0.113.7"}, "X-Order": {"b", "a"}},
		},
		{
			name:    "lattice header arrays",
			payload: buildEvent(t, latticeBase, `{"headers":{"x-order":["b","a"]}}`),
			want:    http.Header{"X-Forwarded-For": {"10.0.0.7"}, "X-Order": {"b", "a"}},
		},
		{
			name:    "v2 cookies become one Cookie header",
			payload: buildEvent(t, httpV2Base, `{"cookies":["a=1","b=2"]}`),
			want:    http.Header{"Cookie": {"a=1; b=2"}},
		},
		{
			name:    "Transfer-Encoding is dropped: the body is whole",
			payload: buildEvent(t, httpV2Base, `{"headers":{"transfer-encoding":"chunked"},"body":"x"}`),
			want:    http.Header{"Content-Length": {"1"}},
		},
		{
			name:    "Content-Length is set for a body",
			payload: buildEvent(t, restBase, `{"body":"hello"}`),
			want:    http.Header{"Content-Length": {"5"}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, _ := invokeSeen(t, tc.payload)
			if diff := cmp.Diff(tc.want, got.Header); diff != "" {
				t.Errorf("Header (-want +got):\n%s", diff)
			}
		})
	}
}

func TestTarget(t *testing.T) {
	type target struct {
		Path, RawPath, RawQuery string
		Query                   url.Values
	}
	tests := []struct {
		name    string
		payload []byte
		opts    []adapter.Option
		want    target
	}{
		{
			name:    "v2 encoded slash keeps RawPath",
			payload: buildEvent(t, httpV2Base, `{"rawPath":"/files/a%2Fb"}`),
			want:    target{Path: "/files/a/b", RawPath: "/files/a%2Fb"},
		},
		{
			name:    "alb encoded slash keeps RawPath",
			payload: buildEvent(t, albBase, `{"path":"/files/a%2Fb"}`),
			want:    target{Path: "/files/a/b", RawPath: "/files/a%2Fb"},
		},
		{
			name:    "function url encoded slash keeps RawPath",
			payload: buildEvent(t, urlBase, `{"rawPath":"/files/a%2Fb"}`),
			want:    target{Path: "/files/a/b", RawPath: "/files/a%2Fb"},
		},
		{
			name:    "v2 path from requestContext when rawPath is missing",
			payload: buildEvent(t, httpV2Base, `{"rawPath":null,"requestContext":{"http":{"path":"/pets"}}}`),
			want:    target{Path: "/pets"},
		},
		{
			name:    "v2 decoded path with a question mark",
			payload: buildEvent(t, httpV2Base, `{"rawPath":"/what?.txt","rawQueryString":"a=1"}`),
			want:    target{Path: "/what?.txt", RawQuery: "a=1", Query: url.Values{"a": {"1"}}},
		},
		{
			// Real HTTP APIs deliver rawPath decoded: a path that cannot
			// be an encoded one is taken as decoded.
			name:    "v2 decoded path with a space",
			payload: buildEvent(t, httpV2Base, `{"rawPath":"/my file"}`),
			want:    target{Path: "/my file"},
		},
		{
			name:    "v2 decoded path with a bare percent",
			payload: buildEvent(t, httpV2Base, `{"rawPath":"/100%"}`),
			want:    target{Path: "/100%"},
		},
		{
			name:    "v2 decoded path with non-ASCII",
			payload: buildEvent(t, httpV2Base, `{"rawPath":"/café"}`),
			want:    target{Path: "/café"},
		},
		{
			name:    "v2 decoded path with a NUL",
			payload: buildEvent(t, httpV2Base, `{"rawPath":"/a\u0000b"}`),
			want:    target{Path: "/a\x00b"},
		},
		{
			name:    "v2 raw query string is kept as sent",
			payload: buildEvent(t, httpV2Base, `{"rawQueryString":"q=a%20b&q=c+d&flag","queryStringParameters":{"q":"a b,c d","flag":""}}`),
			want:    target{Path: "/", RawQuery: "q=a%20b&q=c+d&flag", Query: url.Values{"q": {"a b", "c d"}, "flag": {""}}},
		},
		{
			name:    "http api named stage is stripped",
			payload: buildEvent(t, httpV2Base, `{"rawPath":"/prod/pets","requestContext":{"stage":"prod"}}`),
			want:    target{Path: "/pets"},
		},
		{
			name:    "http api named stage alone is the root",
			payload: buildEvent(t, httpV2Base, `{"rawPath":"/prod","requestContext":{"stage":"prod"}}`),
			want:    target{Path: "/"},
		},
		{
			name:    "http api stage on a segment boundary only",
			payload: buildEvent(t, httpV2Base, `{"rawPath":"/production/x","requestContext":{"stage":"prod"}}`),
			want:    target{Path: "/production/x"},
		},
		{
			name:    "http api stage not at the front",
			payload: buildEvent(t, httpV2Base, `{"rawPath":"/x/prod/y","requestContext":{"stage":"prod"}}`),
			want:    target{Path: "/x/prod/y"},
		},
		{
			name:    "$default stage is never stripped",
			payload: buildEvent(t, httpV2Base, `{"rawPath":"/$default/pets","requestContext":{"stage":"$default"}}`),
			want:    target{Path: "/$default/pets"},
		},
		{
			name:    "http api v1 named stage is stripped",
			payload: buildEvent(t, httpV1Base, `{"path":"/prod/pets","requestContext":{"stage":"prod"}}`),
			want:    target{Path: "/pets"},
		},
		{
			name:    "rest api path has no stage to strip",
			payload: buildEvent(t, restBase, `{"path":"/prod/pets","requestContext":{"stage":"prod"}}`),
			want:    target{Path: "/prod/pets"},
		},
		{
			name:    "WithStageInPath keeps the stage",
			payload: buildEvent(t, httpV2Base, `{"rawPath":"/prod/pets","requestContext":{"stage":"prod"}}`),
			opts:    []adapter.Option{adapter.WithStageInPath()},
			want:    target{Path: "/prod/pets"},
		},
		{
			name:    "WithBasePath strips the base path",
			payload: buildEvent(t, httpV2Base, `{"rawPath":"/api/pets"}`),
			opts:    []adapter.Option{adapter.WithBasePath("/api")},
			want:    target{Path: "/pets"},
		},
		{
			name:    "WithBasePath alone is the root",
			payload: buildEvent(t, restBase, `{"path":"/api"}`),
			opts:    []adapter.Option{adapter.WithBasePath("api/")},
			want:    target{Path: "/"},
		},
		{
			name:    "WithBasePath on a segment boundary only",
			payload: buildEvent(t, httpV2Base, `{"rawPath":"/apiary/x"}`),
			opts:    []adapter.Option{adapter.WithBasePath("/api")},
			want:    target{Path: "/apiary/x"},
		},
		{
			name:    "WithBasePath first match wins",
			payload: buildEvent(t, albBase, `{"path":"/v1/api/x"}`),
			opts:    []adapter.Option{adapter.WithBasePath("/v2", "/v1", "/v1/api")},
			want:    target{Path: "/api/x"},
		},
		{
			name:    "WithBasePath after the stage",
			payload: buildEvent(t, httpV2Base, `{"rawPath":"/prod/api/pets","requestContext":{"stage":"prod"}}`),
			opts:    []adapter.Option{adapter.WithBasePath("/api")},
			want:    target{Path: "/pets"},
		},
		{
			name:    "WithBasePath keeps an encoded remainder",
			payload: buildEvent(t, httpV2Base, `{"rawPath":"/api/files/a%2Fb"}`),
			opts:    []adapter.Option{adapter.WithBasePath("/api")},
			want:    target{Path: "/files/a/b", RawPath: "/files/a%2Fb"},
		},
		{
			name:    "rest query values are re-encoded",
			payload: buildEvent(t, restBase, `{"queryStringParameters":{"q":"a b&c=d"},"multiValueQueryStringParameters":{"q":["a b&c=d"]}}`),
			want:    target{Path: "/", RawQuery: "q=a+b%26c%3Dd", Query: url.Values{"q": {"a b&c=d"}}},
		},
		{
			name:    "rest single-value query alone",
			payload: buildEvent(t, restBase, `{"queryStringParameters":{"é":"ü"}}`),
			want:    target{Path: "/", RawQuery: "%C3%A9=%C3%BC", Query: url.Values{"é": {"ü"}}},
		},
		{
			name: "rest multi-value query order is kept",
			payload: []byte(`{"httpMethod":"GET","path":"/","requestContext":{"stage":"prod"},
				"multiValueQueryStringParameters":{"b":["2","1"],"a":["x"],"c":["3"]}}`),
			want: target{Path: "/", RawQuery: "b=2&b=1&a=x&c=3", Query: url.Values{"a": {"x"}, "b": {"2", "1"}, "c": {"3"}}},
		},
		{
			name:    "alb query values pass through encoded",
			payload: buildEvent(t, albBase, `{"queryStringParameters":{"q":"caf%C3%A9","p":"a%2Bb+c"}}`),
			want:    target{Path: "/", RawQuery: "p=a%2Bb+c&q=caf%C3%A9", Query: url.Values{"q": {"café"}, "p": {"a+b c"}}},
		},
		{
			name: "alb multi-value query order is kept, encoded",
			payload: []byte(`{"requestContext":{"elb":{"targetGroupArn":"arn"}},"httpMethod":"GET","path":"/",
				"multiValueQueryStringParameters":{"z":["%2F","b"],"a":["1"]},"multiValueHeaders":{},"body":""}`),
			want: target{Path: "/", RawQuery: "z=%2F&z=b&a=1", Query: url.Values{"z": {"/", "b"}, "a": {"1"}}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got target
			h := adapter.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				got = target{r.URL.Path, r.URL.RawPath, r.URL.RawQuery, r.URL.Query()}
			}), append([]adapter.Option{testLogger(t)}, tc.opts...)...)
			if _, err := h.Invoke(context.Background(), tc.payload); err != nil {
				t.Fatalf("Invoke(%s): %v", tc.payload, err)
			}
			if diff := cmp.Diff(tc.want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("URL (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRequestFields(t *testing.T) {
	type fields struct {
		Method        string
		Host          string
		RemoteAddr    string
		Proto         string
		ProtoMajor    int
		ProtoMinor    int
		ContentLength int64
		Body          string
		Close         bool
	}
	tests := []struct {
		name    string
		payload []byte
		want    fields
	}{
		{
			name:    "v2 base64 body is decoded",
			payload: buildEvent(t, httpV2Base, `{"requestContext":{"http":{"method":"POST"}},"body":"aGVsbG8sIHdvcmxk","isBase64Encoded":true}`),
			want:    fields{Method: "POST", Host: "abc123.execute-api.us-east-1.amazonaws.com", RemoteAddr: "203.0.113.7:0", Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1, ContentLength: 12, Body: "hello, world"},
		},
		{
			name:    "rest base64 binary body is decoded",
			payload: buildEvent(t, restBase, `{"httpMethod":"PUT","body":"/wD+","isBase64Encoded":true}`),
			want:    fields{Method: "PUT", Host: "abc123.execute-api.us-east-1.amazonaws.com", RemoteAddr: "203.0.113.7:0", Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1, ContentLength: 3, Body: "\xff\x00\xfe"},
		},
		{
			name:    "alb base64 body is decoded",
			payload: buildEvent(t, albBase, `{"httpMethod":"POST","body":"eA==","isBase64Encoded":true}`),
			want:    fields{Method: "POST", Host: "alb.example.com", RemoteAddr: "203.0.113.7:0", Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1, ContentLength: 1, Body: "x"},
		},
		{
			name:    "Host header wins over domainName",
			payload: buildEvent(t, httpV2Base, `{"headers":{"host":"api.example.com"}}`),
			want:    fields{Method: "GET", Host: "api.example.com", RemoteAddr: "203.0.113.7:0", Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1},
		},
		{
			name:    "HTTP/2 protocol",
			payload: buildEvent(t, httpV2Base, `{"requestContext":{"http":{"protocol":"HTTP/2.0"}}}`),
			want:    fields{Method: "GET", Host: "abc123.execute-api.us-east-1.amazonaws.com", RemoteAddr: "203.0.113.7:0", Proto: "HTTP/2.0", ProtoMajor: 2},
		},
		{
			name:    "IPv6 source address",
			payload: buildEvent(t, httpV2Base, `{"requestContext":{"http":{"sourceIp":"2001:db8::1"}}}`),
			want:    fields{Method: "GET", Host: "abc123.execute-api.us-east-1.amazonaws.com", RemoteAddr: "[2001:db8::1]:0", Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1},
		},
		{
			name:    "alb client is the last X-Forwarded-For address",
			payload: buildEvent(t, albBase, `{"headers":{"x-forwarded-for":"198.51.100.1, 203.0.113.9"}}`),
			want:    fields{Method: "GET", Host: "alb.example.com", RemoteAddr: "203.0.113.9:0", Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1},
		},
		{
			name:    "Connection: close",
			payload: buildEvent(t, albBase, `{"headers":{"connection":"close"}}`),
			want:    fields{Method: "GET", Host: "alb.example.com", RemoteAddr: "203.0.113.7:0", Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1, Close: true},
		},
		{
			name:    "lattice",
			payload: buildEvent(t, latticeBase, `{"method":"DELETE","path":"/pets/1"}`),
			want:    fields{Method: "DELETE", Host: "svc.example.vpc-lattice-svcs.us-east-2.on.aws", RemoteAddr: "10.0.0.7:0", Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got fields
			h := adapter.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				b, _ := io.ReadAll(r.Body)
				got = fields{r.Method, r.Host, r.RemoteAddr, r.Proto, r.ProtoMajor, r.ProtoMinor, r.ContentLength, string(b), r.Close}
			}), testLogger(t))
			if _, err := h.Invoke(context.Background(), tc.payload); err != nil {
				t.Fatalf("Invoke(%s): %v", tc.payload, err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("request (-want +got):\n%s", diff)
			}
		})
	}
}

// TestInvokeFormats checks format detection, including events no sample
// covers.
func TestInvokeFormats(t *testing.T) {
	tests := []struct {
		name    string
		payload []byte
		want    adapter.Format
	}{
		{"rest", buildEvent(t, restBase, ""), adapter.FormatRESTAPI},
		{"http api v1", buildEvent(t, httpV1Base, ""), adapter.FormatHTTPAPIV1},
		{"http api v2", buildEvent(t, httpV2Base, ""), adapter.FormatHTTPAPIV2},
		{"alb", buildEvent(t, albBase, ""), adapter.FormatALB},
		{"alb multi-value", buildEvent(t, albMultiBase, ""), adapter.FormatALBMultiValue},
		{"function url", buildEvent(t, urlBase, ""), adapter.FormatFunctionURL},
		{"vpc lattice", buildEvent(t, latticeBase, ""), adapter.FormatVPCLatticeV2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got adapter.Format
			var payload []byte
			h := adapter.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				ev, ok := adapter.EventFromContext(r.Context())
				if !ok {
					t.Error("EventFromContext: no event")
					return
				}
				got = ev.Format
				var err error
				if payload, err = ev.JSON(); err != nil {
					t.Errorf("Event.JSON: %v", err)
				}
			}), testLogger(t))
			if _, err := h.Invoke(context.Background(), tc.payload); err != nil {
				t.Fatalf("Invoke: %v", err)
			}
			if got != tc.want {
				t.Errorf("Format = %v, want %v", got, tc.want)
			}
			if !bytes.Equal(payload, tc.payload) {
				t.Errorf("Event.JSON() = %s, want the payload %s", payload, tc.payload)
			}
			if f, err := adapter.ParseFormat(tc.want.String()); f != tc.want || err != nil {
				t.Errorf("ParseFormat(%q) = %v, %v; want %v", tc.want.String(), f, err, tc.want)
			}
		})
	}
}

func TestEventFromContextOutsideAdapter(t *testing.T) {
	if ev, ok := adapter.EventFromContext(context.Background()); ok || ev != nil {
		t.Errorf("EventFromContext(Background) = %v, %v; want nil, false", ev, ok)
	}
}

func TestEventDecode(t *testing.T) {
	payload := sampleEvent(t, "apigw-v2-request-jwt-authorizer.json")
	var want events.APIGatewayV2HTTPRequest
	if err := json.Unmarshal(payload, &want); err != nil {
		t.Fatal(err)
	}
	var fromInvoke, fromServe events.APIGatewayV2HTTPRequest
	var target *events.APIGatewayV2HTTPRequest
	h := adapter.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ev, _ := adapter.EventFromContext(r.Context())
		if err := ev.Decode(target); err != nil {
			t.Errorf("Decode: %v", err)
		}
	}), testLogger(t))
	target = &fromInvoke
	if _, err := h.Invoke(context.Background(), payload); err != nil {
		t.Fatal(err)
	}
	target = &fromServe
	if _, err := h.ServeAPIGatewayV2HTTP(context.Background(), want); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, fromInvoke); diff != "" {
		t.Errorf("Decode after Invoke (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want, fromServe); diff != "" {
		t.Errorf("Decode after ServeAPIGatewayV2HTTP (-want +got):\n%s", diff)
	}
}

// TestInvalidPayloads checks that a payload that is not an HTTP event is
// an error of kind Invalid, never a panic or a response.
func TestInvalidPayloads(t *testing.T) {
	tests := []struct {
		name    string
		payload string
	}{
		{"empty", ""},
		{"white space", " \n\t"},
		{"not json", "GET / HTTP/1.1\r\n\r\n"},
		{"json array", `[{"httpMethod":"GET","path":"/"}]`},
		{"empty array", `[]`},
		{"json string", `"GET /"`},
		{"json number", `200`},
		{"json null", `null`},
		{"json true", `true`},
		{"empty object", `{}`},
		{"truncated event", `{"httpMethod":"GET","path":"/"`},
		{"trailing data", `{"httpMethod":"GET","path":"/","requestContext":{}} {}`},
		{"two events", `{"httpMethod":"GET"}{"httpMethod":"GET"}`},
		{"sqs event", `{"Records":[{"messageId":"19dd0b57-b21e-4ac1-bd88-01bbb068cb78","receiptHandle":"MessageReceiptHandle","body":"Hello from SQS!","attributes":{"ApproximateReceiveCount":"1","SentTimestamp":"1523232000000","SenderId":"123456789012","ApproximateFirstReceiveTimestamp":"1523232000001"},"messageAttributes":{},"md5OfBody":"7b270e59b47ff90a553787216d55d91d","eventSource":"aws:sqs","eventSourceARN":"arn:aws:sqs:us-east-1:123456789012:MyQueue","awsRegion":"us-east-1"}]}`},
		{"scheduled event", `{"version":"0","id":"cdc73f9d-aea9-11e3-9d5a-835b769c0d9c","detail-type":"Scheduled Event","source":"aws.events","account":"123456789012","time":"1970-01-01T00:00:00Z","region":"us-east-1","resources":["arn:aws:events:us-east-1:123456789012:rule/ExampleRule"],"detail":{}}`},
		{"websocket-ish event without a method", `{"requestContext":{"routeKey":"$connect","eventType":"CONNECT","connectionId":"abc"},"isBase64Encoded":false}`},
		{"version 2.0 without http context", `{"version":"2.0","rawPath":"/","requestContext":{}}`},
		{"httpMethod of the wrong type", `{"httpMethod":1,"path":"/"}`},
		{"headers of the wrong type", `{"httpMethod":"GET","path":"/","headers":["a"]}`},
		{"header value of the wrong type", `{"httpMethod":"GET","path":"/","headers":{"a":1}}`},
		{"body of the wrong type", `{"httpMethod":"GET","path":"/","body":{}}`},
		{"isBase64Encoded of the wrong type", `{"httpMethod":"GET","path":"/","isBase64Encoded":"true"}`},
		{"cookies of the wrong type", `{"version":"2.0","cookies":"a=1","requestContext":{"http":{"method":"GET"}}}`},
		{"requestContext of the wrong type", `{"httpMethod":"GET","requestContext":[]}`},
		{"authorizer nested too deep", `{"httpMethod":"GET","path":"/","requestContext":{"authorizer":{"a":` + strings.Repeat("[", 10000) + strings.Repeat("]", 10000) + `}}}`},
		{"unknown member nested too deep", `{"httpMethod":"GET","path":"/","x":` + strings.Repeat("[", 10000) + strings.Repeat("]", 10000) + `}`},
		{"invalid escape", `{"httpMethod":"G\ET","path":"/"}`},
		{"control character in a string", "{\"httpMethod\":\"GET\",\"path\":\"/\x01\"}"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			called := false
			h := adapter.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { called = true }), testLogger(t))
			out, err := h.Invoke(context.Background(), []byte(tc.payload))
			if err == nil {
				t.Fatalf("Invoke(%.80q) = %s, want an error", tc.payload, out)
			}
			if k := faas.KindOf(err); k != faas.Invalid {
				t.Errorf("Invoke(%.80q) error %q has kind %v, want %v", tc.payload, err, k, faas.Invalid)
			}
			if out != nil {
				t.Errorf("Invoke(%.80q) = %s with an error, want no output", tc.payload, out)
			}
			if called {
				t.Errorf("Invoke(%.80q) called the handler", tc.payload)
			}
		})
	}
}

// notRequestSamples are the real sample events in testdata that look like
// HTTP requests but are none, with the error Invoke must answer each
// with (see TestNotRequestSamples).
var notRequestSamples = []struct {
	file string
	want string
}{
	{"apigw-custom-auth-request-type-request.json", "adapter: payload is not an HTTP event: it is an API Gateway Lambda authorizer event, not a request"},
	{"apigw-v2-custom-authorizer-v1-request.json", "adapter: payload is not an HTTP event: it is an API Gateway Lambda authorizer event, not a request"},
	{"apigw-v2-custom-authorizer-v2-request.json", "adapter: payload is not an HTTP event: it is an API Gateway Lambda authorizer event, not a request"},
	{"apigw-websocket-request.json", "adapter: payload is not an HTTP event: it is an API Gateway WebSocket event, not an HTTP request"},
}

// TestNotRequestSamples checks that the events of a Lambda authorizer and
// of a WebSocket API, which carry a method, path and headers, are refused
// as payloads that are not HTTP events, saying what they are, rather than
// served as requests.
func TestNotRequestSamples(t *testing.T) {
	type result struct {
		Kind    faas.Kind
		Error   string
		Called  bool
		HasBody bool
	}
	for _, tc := range notRequestSamples {
		t.Run(tc.file, func(t *testing.T) {
			called := false
			h := adapter.Wrap(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { called = true }), testLogger(t))
			out, err := h.Invoke(context.Background(), sampleEvent(t, tc.file))
			got := result{Kind: faas.KindOf(err), Called: called, HasBody: out != nil}
			if err != nil {
				got.Error = err.Error()
			}
			want := result{Kind: faas.Invalid, Error: tc.want}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("Invoke(%s) = %s (-want +got):\n%s", tc.file, out, diff)
			}
		})
	}
}

// TestNotRequestShapes checks the detection of authorizer and WebSocket
// events on hand-made payloads: the members that mark them, whatever
// else the payload carries, and look-alikes that are still requests.
func TestNotRequestShapes(t *testing.T) {
	const (
		authorizer = "adapter: payload is not an HTTP event: it is an API Gateway Lambda authorizer event, not a request"
		websocket  = "adapter: payload is not an HTTP event: it is an API Gateway WebSocket event, not an HTTP request"
	)
	tests := []struct {
		name    string
		payload []byte
		want    string // the error; "" means served
	}{
		{"REST TOKEN authorizer", []byte(`{"type":"TOKEN","authorizationToken":"allow","methodArn":"arn:aws:execute-api:us-east-1:123456789012:abc/test/GET/pets"}`), authorizer},
		{"REST REQUEST authorizer by type", buildEvent(t, restBase, `{"type":"REQUEST"}`), authorizer},
		{"REST authorizer by methodArn", buildEvent(t, restBase, `{"methodArn":"arn:aws:execute-api:us-east-1:123456789012:abc/test/GET/pets"}`), authorizer},
		{"HTTP API authorizer by routeArn", buildEvent(t, httpV2Base, `{"routeArn":"arn:aws:execute-api:us-east-1:123456789012:abc/$default/GET/pets"}`), authorizer},
		{"WebSocket by connectionId", buildEvent(t, restBase, `{"requestContext":{"connectionId":"TWegAcC4EowCHnA="}}`), websocket},
		{"WebSocket by eventType", buildEvent(t, restBase, `{"requestContext":{"eventType":"MESSAGE"}}`), websocket},
		{"v2 request with a null routeArn", buildEvent(t, httpV2Base, `{"routeArn":null}`), ""},
		{"REST request with an unknown type", buildEvent(t, restBase, `{"type":"PROXY"}`), ""},
		{"REST request with a null connectionId", buildEvent(t, restBase, `{"requestContext":{"connectionId":null}}`), ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := adapter.Wrap(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "ok") }), testLogger(t))
			_, err := h.Invoke(context.Background(), tc.payload)
			got := ""
			if err != nil {
				got = err.Error()
				if k := faas.KindOf(err); k != faas.Invalid {
					t.Errorf("Invoke error %q has kind %v, want %v", err, k, faas.Invalid)
				}
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Invoke(%s) error (-want +got):\n%s", tc.payload, diff)
			}
		})
	}
}

// TestBadRequest checks that an event naming an impossible request gets a
// 400 response in the event's own shape, not an error.
func TestBadRequest(t *testing.T) {
	tests := []struct {
		name    string
		payload []byte
		got     any
		want    any
	}{
		{
			name:    "v2 malformed base64 body",
			payload: buildEvent(t, httpV2Base, `{"body":"not base64!","isBase64Encoded":true}`),
			got:     &events.APIGatewayV2HTTPResponse{},
			want: &events.APIGatewayV2HTTPResponse{
				StatusCode: 400, Headers: map[string]string{"Content-Type": "application/json"}, Body: `{"message":"Bad Request"}`,
			},
		},
		{
			name:    "rest malformed base64 body",
			payload: buildEvent(t, restBase, `{"body":"%%%","isBase64Encoded":true}`),
			got:     &events.APIGatewayProxyResponse{},
			want: &events.APIGatewayProxyResponse{
				StatusCode: 400, MultiValueHeaders: map[string][]string{"Content-Type": {"application/json"}}, Body: `{"message":"Invalid request body"}`,
			},
		},
		{
			name:    "alb malformed base64 body",
			payload: buildEvent(t, albBase, `{"body":"abc","isBase64Encoded":true}`),
			got:     &events.ALBTargetGroupResponse{},
			want: &events.ALBTargetGroupResponse{
				StatusCode: 400, StatusDescription: "400 Bad Request", Headers: map[string]string{"Content-Type": "application/json"}, Body: `{"message":"Bad Request"}`,
			},
		},
		{
			name:    "function url invalid method",
			payload: buildEvent(t, urlBase, `{"requestContext":{"http":{"method":"GE T"}}}`),
			got:     &events.LambdaFunctionURLResponse{},
			want: &events.LambdaFunctionURLResponse{
				StatusCode: 400, Headers: map[string]string{"Content-Type": "application/json"}, Body: `{"message":"Bad Request"}`,
			},
		},
		{
			name:    "v2 missing method",
			payload: buildEvent(t, httpV2Base, `{"requestContext":{"http":{"method":null}}}`),
			got:     &events.APIGatewayV2HTTPResponse{},
			want: &events.APIGatewayV2HTTPResponse{
				StatusCode: 400, Headers: map[string]string{"Content-Type": "application/json"}, Body: `{"message":"Bad Request"}`,
			},
		},
		{
			name:    "rest invalid method",
			payload: buildEvent(t, restBase, `{"httpMethod":"G(ET"}`),
			got:     &events.APIGatewayProxyResponse{},
			want: &events.APIGatewayProxyResponse{
				StatusCode: 400, MultiValueHeaders: map[string][]string{"Content-Type": {"application/json"}}, Body: `{"message":"Invalid request body"}`,
			},
		},
		{
			name:    "v2 method with a space",
			payload: buildEvent(t, httpV2Base, `{"requestContext":{"http":{"method":"GET /x"}}}`),
			got:     &events.APIGatewayV2HTTPResponse{},
			want: &events.APIGatewayV2HTTPResponse{
				StatusCode: 400, Headers: map[string]string{"Content-Type": "application/json"}, Body: `{"message":"Bad Request"}`,
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := adapter.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				t.Errorf("handler called for %s %q", r.Method, r.URL)
			}), testLogger(t))
			out, err := h.Invoke(context.Background(), tc.payload)
			if err != nil {
				t.Fatalf("Invoke: %v, want a 400 response", err)
			}
			if err := json.Unmarshal(out, tc.got); err != nil {
				t.Fatalf("Invoke = %s: %v", out, err)
			}
			if diff := cmp.Diff(tc.want, tc.got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("Invoke = %s\nresponse (-want +got):\n%s", out, diff)
			}
		})
	}
}

// logLine is a log record as a test compares it.
type logLine struct {
	Level slog.Level
	Msg   string
	Attrs map[string]string
}

// logRecorder is a slog.Handler that keeps what it is given.
type logRecorder struct {
	mu    sync.Mutex
	lines []logLine
}

func (*logRecorder) Enabled(context.Context, slog.Level) bool { return true }
func (h *logRecorder) WithAttrs([]slog.Attr) slog.Handler     { return h }
func (h *logRecorder) WithGroup(string) slog.Handler          { return h }

func (h *logRecorder) Handle(_ context.Context, r slog.Record) error {
	l := logLine{Level: r.Level, Msg: r.Message, Attrs: map[string]string{}}
	r.Attrs(func(a slog.Attr) bool {
		l.Attrs[a.Key] = a.Value.String()
		return true
	})
	h.mu.Lock()
	defer h.mu.Unlock()
	h.lines = append(h.lines, l)
	return nil
}

func (h *logRecorder) Lines() []logLine {
	h.mu.Lock()
	defer h.mu.Unlock()
	return slices.Clone(h.lines)
}

// TestBadRequestLogged checks that the reason for a 400, which its body
// does not give, is logged at Warn through the handler's logger, with the
// event's request id, by every entry point.
func TestBadRequestLogged(t *testing.T) {
	badBase64 := "body is flagged base64 but does not decode: illegal base64 data at input byte 3"
	tests := []struct {
		name  string
		serve func(h *adapter.Handler) (status int, err error)
		want  []logLine
	}{
		{
			name: "Invoke, v2 malformed base64 body",
			serve: func(h *adapter.Handler) (int, error) {
				out, err := h.Invoke(context.Background(), buildEvent(t, httpV2Base, `{"body":"not base64!","isBase64Encoded":true}`))
				var resp events.APIGatewayV2HTTPResponse
				json.Unmarshal(out, &resp)
				return resp.StatusCode, err
			},
			want: []logLine{{Level: slog.LevelWarn, Msg: "adapter: bad request", Attrs: map[string]string{
				"reason": badBase64, "request_id": "JTHd9j2EoAMESXw=", "format": "http-api-v2",
			}}},
		},
		{
			name: "Invoke, rest invalid method",
			serve: func(h *adapter.Handler) (int, error) {
				out, err := h.Invoke(context.Background(), buildEvent(t, restBase, `{"httpMethod":"G(ET"}`))
				var resp events.APIGatewayProxyResponse
				json.Unmarshal(out, &resp)
				return resp.StatusCode, err
			},
			want: []logLine{{Level: slog.LevelWarn, Msg: "adapter: bad request", Attrs: map[string]string{
				"reason": `invalid method "G(ET"`, "request_id": "c6af9ac6-7b61-11e6-9a41-93e8deadbeef", "format": "rest-api",
			}}},
		},
		{
			name: "ServeALB, malformed base64 body",
			serve: func(h *adapter.Handler) (int, error) {
				resp, err := h.ServeALB(context.Background(), events.ALBTargetGroupRequest{HTTPMethod: "POST", Path: "/", Body: "abc", IsBase64Encoded: true})
				return resp.StatusCode, err
			},
			want: []logLine{{Level: slog.LevelWarn, Msg: "adapter: bad request", Attrs: map[string]string{
				"reason": "body is flagged base64 but does not decode: illegal base64 data at input byte 0", "request_id": "", "format": "alb",
			}}},
		},
		{
			name: "StreamFunctionURL, malformed base64 body",
			serve: func(h *adapter.Handler) (int, error) {
				e := streamEvent(http.MethodPost, "/upload")
				e.RequestContext.RequestID = "url-request-1"
				e.Body, e.IsBase64Encoded = "not base64!", true
				resp, err := h.StreamFunctionURL(context.Background(), e)
				if err != nil {
					return 0, err
				}
				defer resp.Close()
				io.ReadAll(resp.Body)
				return resp.StatusCode, nil
			},
			want: []logLine{{Level: slog.LevelWarn, Msg: "adapter: bad request", Attrs: map[string]string{
				"reason": badBase64, "request_id": "url-request-1", "format": "function-url",
			}}},
		},
		{
			name: "StreamAPIGatewayProxy, invalid method",
			serve: func(h *adapter.Handler) (int, error) {
				resp, err := h.StreamAPIGatewayProxy(context.Background(), &events.APIGatewayProxyRequest{
					HTTPMethod: "G ET", Path: "/", RequestContext: events.APIGatewayProxyRequestContext{RequestID: "rest-request-2"},
				})
				if err != nil {
					return 0, err
				}
				defer resp.Close()
				io.ReadAll(resp.Body)
				return resp.StatusCode, nil
			},
			want: []logLine{{Level: slog.LevelWarn, Msg: "adapter: bad request", Attrs: map[string]string{
				"reason": `invalid method "G ET"`, "request_id": "rest-request-2", "format": "rest-api",
			}}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := &logRecorder{}
			h := adapter.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				t.Errorf("handler called for %s %q", r.Method, r.URL)
			}), adapter.WithLogger(slog.New(rec)))
			status, err := tc.serve(h)
			if err != nil || status != http.StatusBadRequest {
				t.Fatalf("status %d, error %v; want a 400 response", status, err)
			}
			if diff := cmp.Diff(tc.want, rec.Lines()); diff != "" {
				t.Errorf("log (-want +got):\n%s", diff)
			}
		})
	}
}

func TestHandlerPanic(t *testing.T) {
	tests := []struct {
		name  string
		panic any
	}{
		{"string", "boom"},
		{"error", errors.New("boom")},
		{"abort", http.ErrAbortHandler},
		{"nil map write", nil}, // a runtime error
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fail := true
			h := adapter.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if !fail {
					io.WriteString(w, "fine")
					return
				}
				w.Header().Set("X-Partial", "1")
				io.WriteString(w, "partial output")
				if tc.panic == nil {
					var m map[string]int
					//lint:ignore SA5000 the runtime's own panic is the case
					m["x"]++
				}
				panic(tc.panic)
			}), testLogger(t))
			payload := sampleEvent(t, "apigw-v2-request-no-authorizer.json")
			out, err := h.Invoke(context.Background(), payload)
			if err != nil {
				t.Fatalf("Invoke: %v, want a 500 response", err)
			}
			var got events.APIGatewayV2HTTPResponse
			if err := json.Unmarshal(out, &got); err != nil {
				t.Fatalf("Invoke = %s: %v", out, err)
			}
			want := events.APIGatewayV2HTTPResponse{
				StatusCode: 500,
				Headers:    map[string]string{"Content-Type": "application/json"},
				Body:       `{"message":"Internal Server Error"}`,
			}
			if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("Invoke = %s\nresponse (-want +got):\n%s", out, diff)
			}

			// The Handler keeps serving.
			fail = false
			out, err = h.Invoke(context.Background(), payload)
			if err != nil {
				t.Fatalf("second Invoke: %v", err)
			}
			got = events.APIGatewayV2HTTPResponse{}
			if err := json.Unmarshal(out, &got); err != nil {
				t.Fatal(err)
			}
			if got.StatusCode != 200 || got.Body != "fine" {
				t.Errorf("second Invoke = %s, want 200 fine", out)
			}
		})
	}
}

func TestPanicInRESTShape(t *testing.T) {
	h := adapter.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { panic("boom") }), testLogger(t))
	out, err := h.Invoke(context.Background(), sampleEvent(t, "apigw-request.json"))
	if err != nil {
		t.Fatal(err)
	}
	var got events.APIGatewayProxyResponse
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatal(err)
	}
	want := events.APIGatewayProxyResponse{
		StatusCode:        500,
		MultiValueHeaders: map[string][]string{"Content-Type": {"application/json"}},
		Body:              `{"message":"Internal Server Error"}`,
	}
	if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("Invoke = %s\nresponse (-want +got):\n%s", out, diff)
	}
}

func TestResponseTooLarge(t *testing.T) {
	tests := []struct {
		name        string
		contentType string
		size        int
		wantErr     bool
	}{
		{"small text", "text/plain", 1 << 20, false},
		{"text over the limit", "text/plain", adapter.MaxResponseSize + 1, true},
		{"text far over the limit", "text/plain", 3 * adapter.MaxResponseSize, true},
		// 5 MB of binary is 6.7 MB once base64-encoded.
		{"binary over the limit once encoded", "application/octet-stream", 5 << 20, true},
		// Escaping makes the JSON longer than the body.
		{"text over the limit once escaped", "text/plain", adapter.MaxResponseSize / 2, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := adapter.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", tc.contentType)
				c := "a"
				if strings.Contains(tc.name, "escaped") {
					c = "\""
				}
				chunk := []byte(strings.Repeat(c, 64<<10))
				for n := 0; n < tc.size; n += len(chunk) {
					if _, err := w.Write(chunk[:min(len(chunk), tc.size-n)]); err != nil {
						return
					}
				}
			}), testLogger(t))
			out, err := h.Invoke(context.Background(), sampleEvent(t, "apigw-v2-request-no-authorizer.json"))
			if (err != nil) != tc.wantErr {
				t.Fatalf("Invoke: %d-byte output, error %v; want error %v", len(out), err, tc.wantErr)
			}
			if err != nil && out != nil {
				t.Errorf("Invoke returned %d bytes with error %v, want none", len(out), err)
			}
			if len(out) > adapter.MaxResponseSize {
				t.Errorf("Invoke returned %d bytes, over %d", len(out), adapter.MaxResponseSize)
			}
		})
	}
}

func TestRequestContextDeadline(t *testing.T) {
	deadline := time.Now().Add(42 * time.Second).Truncate(time.Millisecond)
	ctx, cancel := context.WithDeadline(context.Background(), deadline)
	defer cancel()
	var got time.Time
	var ok bool
	h := adapter.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got, ok = r.Context().Deadline()
	}), testLogger(t))
	if _, err := h.Invoke(ctx, sampleEvent(t, "lambda-urls-request.json")); err != nil {
		t.Fatal(err)
	}
	if !ok || !got.Equal(deadline) {
		t.Errorf("request context deadline = %v, %v; want %v, true", got, ok, deadline)
	}
}

func TestRequestContextCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var err error
	h := adapter.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		err = r.Context().Err()
	}), testLogger(t))
	if _, ierr := h.Invoke(ctx, sampleEvent(t, "lambda-urls-request.json")); ierr != nil {
		t.Fatal(ierr)
	}
	if !errors.Is(err, context.Canceled) {
		t.Errorf("request context error = %v, want %v", err, context.Canceled)
	}
}

// TestInvocationContext checks the faas.Invocation a handler sees, under
// aws-lambda-go (lambdacontext) and under a faas runtime.
func TestInvocationContext(t *testing.T) {
	deadline := time.Now().Add(time.Minute).Truncate(time.Millisecond)
	jwt := buildEvent(t, httpV2Base, `{"requestContext":{"authorizer":{"jwt":{"claims":{"sub":"u-1"}}}}}`)
	anon := buildEvent(t, httpV2Base, "")

	lambdaCtx := func() (context.Context, context.CancelFunc) {
		ctx, cancel := context.WithDeadline(context.Background(), deadline)
		return lambdacontext.NewContext(ctx, &lambdacontext.LambdaContext{
			AwsRequestID:       "req-1",
			InvokedFunctionArn: "arn:aws:lambda:us-east-1:123456789012:function:pets",
		}), cancel
	}
	inv := &faas.Invocation{RequestID: "req-2", FunctionName: "pets", Deadline: deadline}
	faasCtx := func() (context.Context, context.CancelFunc) { return faas.NewContext(context.Background(), inv) }

	tests := []struct {
		name    string
		ctx     func() (context.Context, context.CancelFunc)
		payload []byte
		want    *faas.Invocation
	}{
		{
			name: "lambdacontext with an authorizer", ctx: lambdaCtx, payload: jwt,
			want: &faas.Invocation{
				RequestID: "req-1", FunctionARN: "arn:aws:lambda:us-east-1:123456789012:function:pets",
				FunctionName: lambdacontext.FunctionName, Deadline: deadline,
				Principal: &faas.Principal{Subject: "u-1", Claims: map[string]any{"sub": "u-1"}},
			},
		},
		{
			name: "lambdacontext anonymous", ctx: lambdaCtx, payload: anon,
			want: &faas.Invocation{
				RequestID: "req-1", FunctionARN: "arn:aws:lambda:us-east-1:123456789012:function:pets",
				FunctionName: lambdacontext.FunctionName, Deadline: deadline,
			},
		},
		{
			name: "faas runtime with an authorizer", ctx: faasCtx, payload: jwt,
			want: &faas.Invocation{
				RequestID: "req-2", FunctionName: "pets", Deadline: deadline,
				Principal: &faas.Principal{Subject: "u-1", Claims: map[string]any{"sub": "u-1"}},
			},
		},
		{
			name: "faas runtime anonymous", ctx: faasCtx, payload: anon,
			want: &faas.Invocation{RequestID: "req-2", FunctionName: "pets", Deadline: deadline},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := tc.ctx()
			defer cancel()
			var got *faas.Invocation
			var p *faas.Principal
			h := adapter.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				got, _ = faas.FromContext(r.Context())
				p, _ = faas.PrincipalFromContext(r.Context())
			}), testLogger(t))
			if _, err := h.Invoke(ctx, tc.payload); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("faas.FromContext (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.want.Principal, p); diff != "" {
				t.Errorf("faas.PrincipalFromContext (-want +got):\n%s", diff)
			}
		})
	}
	if inv.Principal != nil {
		t.Errorf("the runtime's Invocation was changed: Principal = %+v", inv.Principal)
	}
}

func TestPrincipal(t *testing.T) {
	tests := []struct {
		name    string
		payload []byte
		want    *faas.Principal
	}{
		{
			name: "v2 jwt authorizer, cognito id token",
			payload: buildEvent(t, httpV2Base, `{"requestContext":{"authorizer":{"jwt":{"claims":{
				"sub":"aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee","cognito:username":"alice",
				"cognito:groups":"[admin user]","email":"alice@example.com","token_use":"id",
				"iss":"https://cognito-idp.us-east-1.amazonaws.com/us-east-1_example","aud":"client123",
				"exp":"1700000000"}}}}}`),
			want: &faas.Principal{
				Subject:  "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
				Username: "alice",
				Groups:   []string{"admin", "user"},
				Claims: map[string]any{
					"sub": "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee", "cognito:username": "alice",
					"cognito:groups": "[admin user]", "email": "alice@example.com", "token_use": "id",
					"iss": "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_example", "aud": "client123",
					"exp": "1700000000",
				},
			},
		},
		{
			name: "v2 jwt authorizer, cognito access token",
			payload: buildEvent(t, httpV2Base, `{"requestContext":{"authorizer":{"jwt":{
				"claims":{"sub":"s-1","username":"bob","client_id":"client123","scope":"pets/read pets/write","token_use":"access"},
				"scopes":["pets/read","pets/write"]}}}}`),
			want: &faas.Principal{
				Subject:  "s-1",
				Username: "bob",
				Claims:   map[string]any{"sub": "s-1", "username": "bob", "client_id": "client123", "scope": "pets/read pets/write", "token_use": "access"},
			},
		},
		{
			name: "v2 jwt scopes without a scope claim",
			payload: buildEvent(t, httpV2Base, `{"requestContext":{"authorizer":{"jwt":{
				"claims":{"sub":"s-2"},"scopes":["pets/read"]}}}}`),
			want: &faas.Principal{Subject: "s-2", Claims: map[string]any{"sub": "s-2", "scopes": []any{"pets/read"}}},
		},
		{
			name:    "v2 jwt without claims",
			payload: buildEvent(t, httpV2Base, `{"requestContext":{"authorizer":{"jwt":{"scopes":null}}}}`),
			want:    &faas.Principal{Claims: map[string]any{}},
		},
		{
			name: "v2 lambda authorizer context",
			payload: buildEvent(t, httpV2Base, `{"requestContext":{"authorizer":{"lambda":{
				"sub":"u-7","cognito:username":"carol","cognito:groups":"ops, dev","tenant":"t1","tier":3,"beta":true}}}}`),
			want: &faas.Principal{
				Subject: "u-7", Username: "carol", Groups: []string{"ops", "dev"},
				Claims: map[string]any{"sub": "u-7", "cognito:username": "carol", "cognito:groups": "ops, dev", "tenant": "t1", "tier": 3.0, "beta": true},
			},
		},
		{
			name: "v2 iam without cognito identity",
			payload: buildEvent(t, httpV2Base, `{"requestContext":{"authorizer":{"iam":{
				"accessKey":"AKIAEXAMPLE","accountId":"123456789012","callerId":"AIDAEXAMPLE",
				"principalOrgId":null,"userArn":"arn:aws:iam::123456789012:user/dave","userId":"AIDAEXAMPLE"}}}}`),
			want: &faas.Principal{
				Subject: "AIDAEXAMPLE",
				Claims: map[string]any{
					"accessKey": "AKIAEXAMPLE", "accountId": "123456789012", "callerId": "AIDAEXAMPLE",
					"principalOrgId": nil, "userArn": "arn:aws:iam::123456789012:user/dave", "userId": "AIDAEXAMPLE",
				},
			},
		},
		{
			name: "http api v1 jwt authorizer",
			payload: buildEvent(t, httpV1Base, `{"requestContext":{"authorizer":{"jwt":{
				"claims":{"sub":"s-3","cognito:username":"erin","cognito:groups":"[readers]"},"scopes":null}}}}`),
			want: &faas.Principal{
				Subject: "s-3", Username: "erin", Groups: []string{"readers"},
				Claims: map[string]any{"sub": "s-3", "cognito:username": "erin", "cognito:groups": "[readers]"},
			},
		},
		{
			name: "rest cognito user pool authorizer",
			payload: buildEvent(t, restBase, `{"requestContext":{"authorizer":{"claims":{
				"sub":"s-4","cognito:username":"frank","cognito:groups":"admin,ops","email_verified":"true"}}}}`),
			want: &faas.Principal{
				Subject: "s-4", Username: "frank", Groups: []string{"admin", "ops"},
				Claims: map[string]any{"sub": "s-4", "cognito:username": "frank", "cognito:groups": "admin,ops", "email_verified": "true"},
			},
		},
		{
			name: "rest lambda authorizer principalId",
			payload: buildEvent(t, restBase, `{"requestContext":{"authorizer":{
				"principalId":"user|42","integrationLatency":15,"plan":"gold"}}}`),
			want: &faas.Principal{
				Subject: "user|42",
				Claims:  map[string]any{"principalId": "user|42", "integrationLatency": 15.0, "plan": "gold"},
			},
		},
		{
			name: "rest iam caller",
			payload: buildEvent(t, restBase, `{"requestContext":{"identity":{
				"accountId":"123456789012","caller":"AIDAEXAMPLE","user":"AIDAEXAMPLE",
				"userArn":"arn:aws:iam::123456789012:user/dave","accessKey":"AKIAEXAMPLE",
				"cognitoIdentityId":null,"sourceIp":"203.0.113.7","userAgent":"aws-cli"}}}`),
			want: &faas.Principal{
				Subject: "AIDAEXAMPLE",
				Claims: map[string]any{
					"accountId": "123456789012", "caller": "AIDAEXAMPLE", "user": "AIDAEXAMPLE",
					"userArn": "arn:aws:iam::123456789012:user/dave", "accessKey": "AKIAEXAMPLE", "userAgent": "aws-cli",
				},
			},
		},
		{
			name: "rest iam with a cognito identity",
			payload: buildEvent(t, restBase, `{"requestContext":{"identity":{
				"cognitoIdentityId":"us-east-1:1234","cognitoIdentityPoolId":"us-east-1:pool",
				"cognitoAuthenticationType":"authenticated","userArn":"arn:aws:sts::123456789012:assumed-role/r/CognitoIdentityCredentials",
				"user":"AROAEXAMPLE:CognitoIdentityCredentials","sourceIp":"203.0.113.7"}}}`),
			want: &faas.Principal{
				Subject: "us-east-1:1234",
				Claims: map[string]any{
					"cognitoIdentityId": "us-east-1:1234", "cognitoIdentityPoolId": "us-east-1:pool",
					"cognitoAuthenticationType": "authenticated", "userArn": "arn:aws:sts::123456789012:assumed-role/r/CognitoIdentityCredentials",
					"user": "AROAEXAMPLE:CognitoIdentityCredentials", "userAgent": "test-agent",
				},
			},
		},
		{
			name: "lattice iam principal",
			payload: buildEvent(t, latticeBase, `{"requestContext":{"identity":{
				"type":"AWS_IAM","principal":"arn:aws:sts::123456789012:assumed-role/example-role/057d00f8b51257ba3c853a0f248943cf",
				"sessionName":"057d00f8b51257ba3c853a0f248943cf"}}}`),
			want: &faas.Principal{
				Subject: "arn:aws:sts::123456789012:assumed-role/example-role/057d00f8b51257ba3c853a0f248943cf",
				Claims: map[string]any{
					"sourceVpcArn": "arn:aws:ec2:us-east-2:123456789012:vpc/vpc-0b8276c84697e7339",
					"type":         "AWS_IAM",
					"principal":    "arn:aws:sts::123456789012:assumed-role/example-role/057d00f8b51257ba3c853a0f248943cf",
					"sessionName":  "057d00f8b51257ba3c853a0f248943cf",
				},
			},
		},
		{name: "v2 no authorizer", payload: buildEvent(t, httpV2Base, ""), want: nil},
		{name: "v2 null authorizer", payload: buildEvent(t, httpV2Base, `{"requestContext":{"authorizer":null}}`), want: nil},
		{name: "v2 empty authorizer", payload: buildEvent(t, httpV2Base, `{"requestContext":{"authorizer":{}}}`), want: nil},
		{name: "http api v1 no authorizer", payload: buildEvent(t, httpV1Base, ""), want: nil},
		{name: "rest no authorizer", payload: buildEvent(t, restBase, ""), want: nil},
		{name: "rest api key only", payload: buildEvent(t, restBase, `{"requestContext":{"identity":{"apiKey":"k","apiKeyId":"kid"}}}`), want: nil},
		{name: "alb", payload: buildEvent(t, albBase, ""), want: nil},
		{name: "alb multi-value", payload: buildEvent(t, albMultiBase, ""), want: nil},
		{name: "function url without auth", payload: buildEvent(t, urlBase, ""), want: nil},
		{name: "lattice without auth", payload: buildEvent(t, latticeBase, ""), want: nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, _ := invokeSeen(t, tc.payload)
			if diff := cmp.Diff(tc.want, got.Principal); diff != "" {
				t.Errorf("principal (-want +got):\n%s", diff)
			}
		})
	}
}

// spoofHeaders are client headers that tools or proxies have used to carry
// identity. None may set the principal.
var spoofHeaders = map[string]string{
	"X-GoLambdaProxy-ApiGateway-Context": `{"authorizer":{"principalId":"admin","claims":{"sub":"admin","cognito:groups":"[admin]"}}}`,
	"X-GoLambdaProxy-Lambda-Context":     `{"identity":{"cognitoIdentityId":"admin"}}`,
	"X-Amzn-Oidc-Data":                   "eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZG1pbiJ9.",
	"X-Amzn-Oidc-Identity":               "admin",
	"X-Amzn-Oidc-Accesstoken":            "eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZG1pbiJ9.",
	"X-Faasport-Principal":               `{"Subject":"admin","Groups":["admin"]}`,
	"Authorization":                      "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZG1pbiIsImNvZ25pdG86Z3JvdXBzIjpbImFkbWluIl19.",
	"X-Forwarded-User":                   "admin",
	"X-Remote-User":                      "admin",
	"Remote-User":                        "admin",
	"X-Amzn-Remote-User":                 "admin",
	"Principal":                          "admin",
}

// withSpoofHeaders adds spoofHeaders to an event, in the header shape of
// its format: single values, or arrays of one value when multi is set.
func withSpoofHeaders(t testing.TB, base, over string, field string, multi bool) []byte {
	t.Helper()
	hs := map[string]any{}
	for k, v := range spoofHeaders {
		if multi {
			hs[k] = []string{v}
		} else {
			hs[k] = v
		}
	}
	o := map[string]any{field: hs}
	if over != "" {
		if err := json.Unmarshal([]byte(over), &o); err != nil {
			t.Fatal(err)
		}
		o[field] = hs
	}
	b, err := json.Marshal(o)
	if err != nil {
		t.Fatal(err)
	}
	return buildEvent(t, base, string(b))
}

func TestPrincipalSpoofing(t *testing.T) {
	const (
		v2JWT    = `{"requestContext":{"authorizer":{"jwt":{"claims":{"sub":"real-user","cognito:groups":"[readers]"}}}}}`
		restPool = `{"requestContext":{"authorizer":{"claims":{"sub":"real-user","cognito:groups":"readers"}}}}`
	)
	realUser := func(claims map[string]any) *faas.Principal {
		return &faas.Principal{Subject: "real-user", Groups: []string{"readers"}, Claims: claims}
	}
	tests := []struct {
		name    string
		payload []byte
		want    *faas.Principal
	}{
		{name: "v2 without authorizer", payload: withSpoofHeaders(t, httpV2Base, "", "headers", false)},
		{name: "http api v1 without authorizer", payload: withSpoofHeaders(t, httpV1Base, "", "multiValueHeaders", true)},
		{name: "rest without authorizer", payload: withSpoofHeaders(t, restBase, "", "multiValueHeaders", true)},
		{name: "rest single-value headers without authorizer", payload: withSpoofHeaders(t, restBase, "", "headers", false)},
		{name: "alb", payload: withSpoofHeaders(t, albBase, "", "headers", false)},
		{name: "alb multi-value", payload: withSpoofHeaders(t, albMultiBase, "", "multiValueHeaders", true)},
		{name: "function url", payload: withSpoofHeaders(t, urlBase, "", "headers", false)},
		{name: "lattice", payload: withSpoofHeaders(t, latticeBase, "", "headers", true)},
		{
			name:    "v2 with authorizer",
			payload: withSpoofHeaders(t, httpV2Base, v2JWT, "headers", false),
			want:    realUser(map[string]any{"sub": "real-user", "cognito:groups": "[readers]"}),
		},
		{
			name:    "rest with authorizer",
			payload: withSpoofHeaders(t, restBase, restPool, "multiValueHeaders", true),
			want:    realUser(map[string]any{"sub": "real-user", "cognito:groups": "readers"}),
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, _ := invokeSeen(t, tc.payload)
			if got.Header.Get("X-Faasport-Principal") == "" || got.Header.Get("Authorization") == "" {
				t.Fatalf("the spoofing headers did not reach the handler: %v", got.Header)
			}
			if diff := cmp.Diff(tc.want, got.Principal); diff != "" {
				t.Errorf("principal (-want +got):\n%s", diff)
			}

			// Under aws-lambda-go, the principal goes through the
			// faas.Invocation as well.
			ctx := lambdacontext.NewContext(context.Background(), &lambdacontext.LambdaContext{AwsRequestID: "r"})
			var inv *faas.Invocation
			var p *faas.Principal
			h := adapter.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				inv, _ = faas.FromContext(r.Context())
				p, _ = faas.PrincipalFromContext(r.Context())
			}), testLogger(t))
			if _, err := h.Invoke(ctx, tc.payload); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, p); diff != "" {
				t.Errorf("under lambdacontext: principal (-want +got):\n%s", diff)
			}
			if inv == nil {
				t.Fatal("under lambdacontext: no faas.Invocation")
			}
			if diff := cmp.Diff(tc.want, inv.Principal); diff != "" {
				t.Errorf("under lambdacontext: Invocation.Principal (-want +got):\n%s", diff)
			}
		})
	}
}

// TestTypedEntryPoints checks that the Serve methods give the handler the
// same view, and the same response, as Invoke on the same event's JSON.
func TestTypedEntryPoints(t *testing.T) {
	type serveFunc func(h *adapter.Handler, payload []byte) (resp, fromInvoke any, err error)
	decodeInto := func(v any, b []byte) {
		if err := json.Unmarshal(b, v); err != nil {
			t.Fatalf("decoding %s into %T: %v", b, v, err)
		}
	}
	proxy := func(h *adapter.Handler, payload []byte) (any, any, error) {
		var e events.APIGatewayProxyRequest
		decodeInto(&e, payload)
		resp, err := h.ServeAPIGatewayProxy(context.Background(), e)
		return &resp, &events.APIGatewayProxyResponse{}, err
	}
	v2 := func(h *adapter.Handler, payload []byte) (any, any, error) {
		var e events.APIGatewayV2HTTPRequest
		decodeInto(&e, payload)
		resp, err := h.ServeAPIGatewayV2HTTP(context.Background(), e)
		return &resp, &events.APIGatewayV2HTTPResponse{}, err
	}
	alb := func(h *adapter.Handler, payload []byte) (any, any, error) {
		var e events.ALBTargetGroupRequest
		decodeInto(&e, payload)
		resp, err := h.ServeALB(context.Background(), e)
		return &resp, &events.ALBTargetGroupResponse{}, err
	}
	furl := func(h *adapter.Handler, payload []byte) (any, any, error) {
		var e events.LambdaFunctionURLRequest
		decodeInto(&e, payload)
		resp, err := h.ServeFunctionURL(context.Background(), e)
		return &resp, &events.LambdaFunctionURLResponse{}, err
	}
	tests := []struct {
		name    string
		payload []byte
		serve   serveFunc
	}{
		{"apigw-request.json", sampleEvent(t, "apigw-request.json"), proxy},
		{"apigw-restapi-openapi-request.json", sampleEvent(t, "apigw-restapi-openapi-request.json"), proxy},
		{"apigw-v2-request-iam.json", sampleEvent(t, "apigw-v2-request-iam.json"), v2},
		{"apigw-v2-request-jwt-authorizer.json", sampleEvent(t, "apigw-v2-request-jwt-authorizer.json"), v2},
		{"apigw-v2-request-lambda-authorizer.json", sampleEvent(t, "apigw-v2-request-lambda-authorizer.json"), v2},
		{"apigw-v2-request-no-authorizer.json", sampleEvent(t, "apigw-v2-request-no-authorizer.json"), v2},
		{"lambda-urls-request.json", sampleEvent(t, "lambda-urls-request.json"), furl},
		{"alb-lambda-target-request-headers-only.json", sampleEvent(t, "alb-lambda-target-request-headers-only.json"), alb},
		{"alb-lambda-target-request-multivalue-headers.json", sampleEvent(t, "alb-lambda-target-request-multivalue-headers.json"), alb},
		{"rest iam caller", buildEvent(t, restBase, `{"requestContext":{"identity":{
			"accountId":"123456789012","caller":"AIDAEXAMPLE","user":"AIDAEXAMPLE","apiKey":"k","apiKeyId":"kid",
			"userArn":"arn:aws:iam::123456789012:user/dave","accessKey":"AKIAEXAMPLE",
			"cognitoAuthenticationType":"authenticated","cognitoAuthenticationProvider":"cognito-idp.us-east-1.amazonaws.com/us-east-1_x"}}}`), proxy},
		{"rest base64 body", buildEvent(t, restBase, `{"httpMethod":"POST","body":"aGk=","isBase64Encoded":true,"multiValueHeaders":{"Content-Type":["text/plain"]}}`), proxy},
		{"rest bad base64", buildEvent(t, restBase, `{"body":"%","isBase64Encoded":true}`), proxy},
		{"v2 jwt cognito", buildEvent(t, httpV2Base, `{"cookies":["a=1"],"requestContext":{"authorizer":{"jwt":{"claims":{"sub":"s","cognito:groups":"[a b]"},"scopes":["x"]}}}}`), v2},
		{"v2 iam without cognito", buildEvent(t, httpV2Base, `{"requestContext":{"authorizer":{"iam":{
			"accessKey":"AKIAIOSFODNN7EXAMPLE","accountId":"123456789012","callerId":"AIDACKCEVSQ6C2EXAMPLE",
			"cognitoIdentity":null,"principalOrgId":null,"userArn":"arn:aws:iam::123456789012:user/Alice",
			"userId":"AIDACOSFODNN7EXAMPLE2"}}}}`), v2},
		{"v2 named stage", buildEvent(t, httpV2Base, `{"rawPath":"/prod/pets/a%2Fb","requestContext":{"stage":"prod"}}`), v2},
		{"v2 base64 body", buildEvent(t, httpV2Base, `{"body":"aGk=","isBase64Encoded":true}`), v2},
		{"alb encoded query", buildEvent(t, albBase, `{"path":"/x%2Fy","queryStringParameters":{"q":"a%20b"}}`), alb},
		{"function url iam", buildEvent(t, urlBase, `{"requestContext":{"authorizer":{"iam":{"accessKey":"AKIA","accountId":"1","callerId":"AIDA","userArn":"arn:aws:iam::1:user/u","userId":"AIDA"}}}}`), furl},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var viaInvoke, viaServe seen
			invokeH := adapter.Wrap(recordSeen(t, &viaInvoke, shapeHandler), testLogger(t))
			out, err := invokeH.Invoke(context.Background(), tc.payload)
			if err != nil {
				t.Fatalf("Invoke: %v", err)
			}
			serveH := adapter.Wrap(recordSeen(t, &viaServe, shapeHandler), testLogger(t))
			got, want, err := tc.serve(serveH, tc.payload)
			if err != nil {
				t.Fatalf("Serve: %v", err)
			}
			if diff := cmp.Diff(viaInvoke, viaServe); diff != "" {
				t.Errorf("request seen through Serve (-Invoke +Serve):\n%s", diff)
			}
			if err := json.Unmarshal(out, want); err != nil {
				t.Fatalf("Invoke = %s: %v", out, err)
			}
			if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("response of Serve (-Invoke +Serve):\n%s", diff)
			}
		})
	}
}

// TestConcurrentInvoke runs invocations in parallel, for the race
// detector: a Handler is safe for concurrent use.
func TestConcurrentInvoke(t *testing.T) {
	h := adapter.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		w.Header().Set("X-Path", r.URL.Path)
		w.Write(b)
	}), testLogger(t))
	for i := range 8 {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			t.Parallel()
			for j := range 50 {
				body := fmt.Sprintf("body-%d-%d", i, j)
				payload := buildEvent(t, httpV2Base, fmt.Sprintf(`{"rawPath":"/p/%d","body":%q}`, j, body))
				out, err := h.Invoke(context.Background(), payload)
				if err != nil {
					t.Fatal(err)
				}
				var got events.APIGatewayV2HTTPResponse
				if err := json.Unmarshal(out, &got); err != nil {
					t.Fatal(err)
				}
				if got.Body != body || got.Headers["X-Path"] != fmt.Sprintf("/p/%d", j) {
					t.Fatalf("Invoke = %s, want body %q and X-Path /p/%d", out, body, j)
				}
			}
		})
	}
}

// TestEmptyHeaderValues checks that a response header with no values, as
// a handler copying headers may leave, is not sent, in every format and
// through every entry point. It used to panic in the single-value formats
// when the header was Set-Cookie.
func TestEmptyHeaderValues(t *testing.T) {
	handler := func(w http.ResponseWriter, r *http.Request) {
		w.Header()["Set-Cookie"] = nil
		w.Header()["X-Empty"] = []string{}
		w.Header().Set("Content-Type", "text/plain")
		io.WriteString(w, "ok")
	}
	tests := []struct {
		name    string
		payload []byte
		serve   func(h *adapter.Handler, payload []byte) (map[string]string, error) // a Serve method's single-value headers, or nil
	}{
		{"rest", buildEvent(t, restBase, ""), nil},
		{"http api v2", buildEvent(t, httpV2Base, ""), func(h *adapter.Handler, payload []byte) (map[string]string, error) {
			var e events.APIGatewayV2HTTPRequest
			json.Unmarshal(payload, &e)
			resp, err := h.ServeAPIGatewayV2HTTP(context.Background(), e)
			return resp.Headers, err
		}},
		{"alb", buildEvent(t, albBase, ""), func(h *adapter.Handler, payload []byte) (map[string]string, error) {
			var e events.ALBTargetGroupRequest
			json.Unmarshal(payload, &e)
			resp, err := h.ServeALB(context.Background(), e)
			return resp.Headers, err
		}},
		{"alb multi-value", buildEvent(t, albMultiBase, ""), nil},
		{"function url", buildEvent(t, urlBase, ""), func(h *adapter.Handler, payload []byte) (map[string]string, error) {
			var e events.LambdaFunctionURLRequest
			json.Unmarshal(payload, &e)
			resp, err := h.ServeFunctionURL(context.Background(), e)
			return resp.Headers, err
		}},
		{"vpc lattice", buildEvent(t, latticeBase, ""), nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := adapter.Wrap(http.HandlerFunc(handler), testLogger(t))
			out, err := h.Invoke(context.Background(), tc.payload)
			if err != nil {
				t.Fatalf("Invoke: %v", err)
			}
			var resp struct {
				StatusCode int               `json:"statusCode"`
				Headers    map[string]string `json:"headers"`
				Cookies    []string          `json:"cookies"`
			}
			if err := json.Unmarshal(out, &resp); err != nil {
				t.Fatalf("Invoke = %s: %v", out, err)
			}
			if resp.StatusCode != 200 || resp.Cookies != nil {
				t.Errorf("Invoke = %s, want 200 and no cookies", out)
			}
			if resp.Headers != nil {
				if diff := cmp.Diff(map[string]string{"Content-Type": "text/plain"}, resp.Headers); diff != "" {
					t.Errorf("Invoke = %s\nheaders (-want +got):\n%s", out, diff)
				}
			}
			if tc.serve == nil {
				return
			}
			got, err := tc.serve(h, tc.payload)
			if err != nil {
				t.Fatalf("Serve: %v", err)
			}
			if diff := cmp.Diff(map[string]string{"Content-Type": "text/plain"}, got); diff != "" {
				t.Errorf("Serve headers (-want +got):\n%s", diff)
			}
		})
	}
}

func TestALBStatusDescription(t *testing.T) {
	tests := []struct {
		status int // 0: the handler writes nothing
		want   string
	}{
		{0, "200 OK"},
		{200, "200 OK"},
		{302, "302 Found"},
		{404, "404 Not Found"},
		{599, "599"}, // no status text
	}
	for _, tc := range tests {
		for _, base := range []string{albBase, albMultiBase} {
			t.Run(fmt.Sprint(tc.status), func(t *testing.T) {
				h := adapter.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					if tc.status != 0 {
						w.WriteHeader(tc.status)
					}
				}), testLogger(t))
				out, err := h.Invoke(context.Background(), buildEvent(t, base, ""))
				if err != nil {
					t.Fatal(err)
				}
				var got events.ALBTargetGroupResponse
				if err := json.Unmarshal(out, &got); err != nil {
					t.Fatal(err)
				}
				if got.StatusDescription != tc.want {
					t.Errorf("Invoke = %s, statusDescription %q, want %q", out, got.StatusDescription, tc.want)
				}
			})
		}
	}
}
