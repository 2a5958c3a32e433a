package adapter_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-lambda-go/events"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/faasport/faasport/adapter"
	"github.com/faasport/faasport/faas"
)

// gatewayTime is when the gateway of these tests received its requests.
var gatewayTime = time.Date(2025, time.March, 1, 12, 30, 45, 0, time.UTC)

const (
	gatewayTimeV1 = "01/Mar/2025:12:30:45 +0000"
	gatewayTimeMS = 1740832245000
)

// newGatewayRequest returns the request of the NewEvent tests as a server
// receives it.
func newGatewayRequest(t *testing.T) *http.Request {
	t.Helper()
	r := httptest.NewRequest(http.MethodPost, "http://api.example.com/prod/pets/7?tag=a&tag=b%20c&limit=10", strings.NewReader(`{"name":"Rex"}`))
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("User-Agent", "test/1.0")
	r.Header["X-Multi"] = []string{"a", "b, c"}
	r.Header.Set("Cookie", "session=abc; lang=en")
	r.RemoteAddr = "198.51.100.4:5555"
	return r
}

// latticeRequest is a VPC Lattice event of version 2.0, which aws-lambda-go
// has no type for.
type latticeRequest struct {
	Version               string              `json:"version"`
	Path                  string              `json:"path"`
	Method                string              `json:"method"`
	Headers               map[string][]string `json:"headers"`
	QueryStringParameters map[string][]string `json:"queryStringParameters"`
	Body                  string              `json:"body"`
	IsBase64Encoded       bool                `json:"isBase64Encoded"`
	RequestContext        struct {
		ServiceNetworkARN string `json:"serviceNetworkArn"`
		ServiceARN        string `json:"serviceArn"`
		TargetGroupARN    string `json:"targetGroupArn"`
		Identity          struct {
			SourceVPCARN string `json:"sourceVpcArn"`
		} `json:"identity"`
		Region    string `json:"region"`
		TimeEpoch string `json:"timeEpoch"`
	} `json:"requestContext"`
}

func TestNewEvent(t *testing.T) {
	// The request's headers as every format but VPC Lattice's carries them,
	// canonical names.
	const traceID = "Root=1-67c2fdf5-0123456789abcdef01234567"
	headers := map[string][]string{
		"Content-Type":      {"application/json"},
		"Cookie":            {"session=abc; lang=en"},
		"Host":              {"api.example.com"},
		"User-Agent":        {"test/1.0"},
		"X-Amzn-Trace-Id":   {traceID},
		"X-Forwarded-For":   {"198.51.100.4"},
		"X-Forwarded-Port":  {"80"},
		"X-Forwarded-Proto": {"http"},
		"X-Multi":           {"a", "b, c"},
	}
	last := func(lower bool) map[string]string {
		m := map[string]string{}
		for k, vs := range headers {
			if lower {
				k = strings.ToLower(k)
			}
			m[k] = vs[len(vs)-1]
		}
		return m
	}
	lowerMulti := map[string][]string{}
	for k, vs := range headers {
		lowerMulti[strings.ToLower(k)] = vs
	}
	// VPC Lattice adds neither a port nor a trace.
	latticeHeaders := maps.Clone(lowerMulti)
	delete(latticeHeaders, "x-forwarded-port")
	delete(latticeHeaders, "x-amzn-trace-id")
	v2Headers := map[string]string{}
	for k, vs := range headers {
		if k != "Cookie" {
			v2Headers[strings.ToLower(k)] = strings.Join(vs, ",")
		}
	}
	// An HTTP API also tells the body's length, which the request's
	// headers here leave out.
	httpAPIHeaders := maps.Clone(v2Headers)
	httpAPIHeaders["content-length"] = "14"

	tests := []struct {
		name    string
		gateway adapter.GatewayRequest
		decode  func([]byte) (any, error) // the payload as aws-lambda-go reads it
		want    any
	}{
		{
			name: "rest-api",
			gateway: adapter.GatewayRequest{
				Format: adapter.FormatRESTAPI, Resource: "/pets/{id}",
				PathParameters: map[string]string{"id": "7"}, StageVariables: map[string]string{"env": "test"},
			},
			decode: decodeAs[events.APIGatewayProxyRequest],
			want: events.APIGatewayProxyRequest{
				Resource:          "/pets/{id}",
				Path:              "/pets/7", // the default stage, prod, is not part of it
				HTTPMethod:        http.MethodPost,
				Headers:           last(false),
				MultiValueHeaders: headers,
				QueryStringParameters: map[string]string{
					"tag": "b c", "limit": "10",
				},
				MultiValueQueryStringParameters: map[string][]string{
					"tag": {"a", "b c"}, "limit": {"10"},
				},
				PathParameters: map[string]string{"id": "7"},
				StageVariables: map[string]string{"env": "test"},
				RequestContext: events.APIGatewayProxyRequestContext{
					AccountID: "123456789012", ResourceID: "local", Stage: "prod",
					DomainName: "api.example.com", DomainPrefix: "api",
					RequestID: "req-1", ExtendedRequestID: "req-1", Protocol: "HTTP/1.1",
					Identity:     events.APIGatewayRequestIdentity{SourceIP: "198.51.100.4", UserAgent: "test/1.0"},
					ResourcePath: "/pets/{id}", Path: "/prod/pets/7", HTTPMethod: http.MethodPost,
					RequestTime: gatewayTimeV1, RequestTimeEpoch: gatewayTimeMS, APIID: "local",
				},
				Body: `{"name":"Rex"}`,
			},
		},
		{
			name: "http-api-v1",
			gateway: adapter.GatewayRequest{
				Format: adapter.FormatHTTPAPIV1, RouteKey: "POST /prod/pets/{id}",
			},
			decode: decodeAs[events.APIGatewayProxyRequest],
			want: events.APIGatewayProxyRequest{
				Resource:          "/prod/pets/{id}", // the path of the route key
				Path:              "/prod/pets/7",    // on stage $default, prod is part of the path
				HTTPMethod:        http.MethodPost,
				Headers:           last(false),
				MultiValueHeaders: headers,
				QueryStringParameters: map[string]string{
					"tag": "b c", "limit": "10",
				},
				MultiValueQueryStringParameters: map[string][]string{
					"tag": {"a", "b c"}, "limit": {"10"},
				},
				RequestContext: events.APIGatewayProxyRequestContext{
					AccountID: "123456789012", ResourceID: "local", Stage: "$default",
					DomainName: "api.example.com", DomainPrefix: "api",
					RequestID: "req-1", ExtendedRequestID: "req-1", Protocol: "HTTP/1.1",
					Identity:     events.APIGatewayRequestIdentity{SourceIP: "198.51.100.4", UserAgent: "test/1.0"},
					ResourcePath: "/prod/pets/{id}", Path: "/prod/pets/7", HTTPMethod: http.MethodPost,
					RequestTime: gatewayTimeV1, RequestTimeEpoch: gatewayTimeMS, APIID: "local",
				},
				Body: `{"name":"Rex"}`,
			},
		},
		{
			name: "http-api-v2",
			gateway: adapter.GatewayRequest{
				Format: adapter.FormatHTTPAPIV2, Stage: "prod", RouteKey: "POST /pets/{id}",
				PathParameters: map[string]string{"id": "7"},
				APIID:          "a1b2c3", AccountID: "210987654321",
			},
			decode: decodeAs[events.APIGatewayV2HTTPRequest],
			want: events.APIGatewayV2HTTPRequest{
				Version:               "2.0",
				RouteKey:              "POST /pets/{id}",
				RawPath:               "/prod/pets/7", // a named stage is part of rawPath
				RawQueryString:        "tag=a&tag=b%20c&limit=10",
				Cookies:               []string{"session=abc", "lang=en"},
				Headers:               httpAPIHeaders,
				QueryStringParameters: map[string]string{"tag": "a,b c", "limit": "10"},
				PathParameters:        map[string]string{"id": "7"},
				RequestContext: events.APIGatewayV2HTTPRequestContext{
					RouteKey: "POST /pets/{id}", AccountID: "210987654321", Stage: "prod",
					RequestID: "req-1", APIID: "a1b2c3",
					DomainName: "api.example.com", DomainPrefix: "api",
					Time: gatewayTimeV1, TimeEpoch: gatewayTimeMS,
					HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{
						Method: http.MethodPost, Path: "/prod/pets/7", Protocol: "HTTP/1.1",
						SourceIP: "198.51.100.4", UserAgent: "test/1.0",
					},
				},
				Body: `{"name":"Rex"}`,
			},
		},
		{
			name: "function-url",
			gateway: adapter.GatewayRequest{
				Format: adapter.FormatFunctionURL, DomainName: "abcdef.lambda-url.eu-west-1.on.aws",
			},
			decode: decodeAs[events.LambdaFunctionURLRequest],
			want: events.LambdaFunctionURLRequest{
				Version:               "2.0",
				RawPath:               "/prod/pets/7",
				RawQueryString:        "tag=a&tag=b%20c&limit=10",
				Cookies:               []string{"session=abc", "lang=en"},
				Headers:               v2Headers,
				QueryStringParameters: map[string]string{"tag": "a,b c", "limit": "10"},
				RequestContext: events.LambdaFunctionURLRequestContext{
					AccountID: "123456789012", RequestID: "req-1", APIID: "local",
					DomainName: "abcdef.lambda-url.eu-west-1.on.aws", DomainPrefix: "abcdef",
					Time: gatewayTimeV1, TimeEpoch: gatewayTimeMS,
					HTTP: events.LambdaFunctionURLRequestContextHTTPDescription{
						Method: http.MethodPost, Path: "/prod/pets/7", Protocol: "HTTP/1.1",
						SourceIP: "198.51.100.4", UserAgent: "test/1.0",
					},
				},
				Body: `{"name":"Rex"}`,
			},
		},
		{
			name:    "alb",
			gateway: adapter.GatewayRequest{Format: adapter.FormatALB, Region: "eu-west-1"},
			decode:  decodeAs[events.ALBTargetGroupRequest],
			want: events.ALBTargetGroupRequest{
				HTTPMethod: http.MethodPost,
				Path:       "/prod/pets/7",
				// Last values only, and as sent: ALB decodes nothing.
				QueryStringParameters: map[string]string{"tag": "b%20c", "limit": "10"},
				Headers:               last(true),
				RequestContext: events.ALBTargetGroupRequestContext{ELB: events.ELBContext{
					TargetGroupArn: "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/local/0000000000000000",
				}},
				Body: `{"name":"Rex"}`,
			},
		},
		{
			name:    "alb-multi-value",
			gateway: adapter.GatewayRequest{Format: adapter.FormatALBMultiValue},
			decode:  decodeAs[events.ALBTargetGroupRequest],
			want: events.ALBTargetGroupRequest{
				HTTPMethod:                      http.MethodPost,
				Path:                            "/prod/pets/7",
				MultiValueQueryStringParameters: map[string][]string{"tag": {"a", "b%20c"}, "limit": {"10"}},
				MultiValueHeaders:               lowerMulti,
				RequestContext: events.ALBTargetGroupRequestContext{ELB: events.ELBContext{
					TargetGroupArn: "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/local/0000000000000000",
				}},
				Body: `{"name":"Rex"}`,
			},
		},
		{
			name:    "vpc-lattice-v2",
			gateway: adapter.GatewayRequest{Format: adapter.FormatVPCLatticeV2},
			decode:  decodeAs[latticeRequest],
			want: func() latticeRequest {
				e := latticeRequest{
					Version:               "2.0",
					Path:                  "/prod/pets/7",
					Method:                http.MethodPost,
					Headers:               latticeHeaders,
					QueryStringParameters: map[string][]string{"tag": {"a", "b c"}, "limit": {"10"}},
					Body:                  `{"name":"Rex"}`,
				}
				rc := &e.RequestContext
				rc.ServiceNetworkARN = "arn:aws:vpc-lattice:us-east-1:123456789012:servicenetwork/sn-local"
				rc.ServiceARN = "arn:aws:vpc-lattice:us-east-1:123456789012:service/svc-local"
				rc.TargetGroupARN = "arn:aws:vpc-lattice:us-east-1:123456789012:targetgroup/tg-local"
				rc.Identity.SourceVPCARN = "arn:aws:ec2:us-east-1:123456789012:vpc/vpc-local"
				rc.Region = "us-east-1"
				rc.TimeEpoch = "1740832245000000" // microseconds, as a string
				return e
			}(),
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			g := tc.gateway
			g.RequestID = "req-1"
			g.Time = gatewayTime
			g.TraceID = traceID
			payload, err := adapter.NewEvent(newGatewayRequest(t), &g)
			if err != nil {
				t.Fatalf("NewEvent: %v", err)
			}
			got, err := tc.decode(payload)
			if err != nil {
				t.Fatalf("decoding %s: %v", payload, err)
			}
			if diff := cmp.Diff(tc.want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("NewEvent(%v) mismatch (-want +got):\n%s", g.Format, diff)
			}
		})
	}
}

func decodeAs[T any](payload []byte) (any, error) {
	var v T
	err := json.Unmarshal(payload, &v)
	return v, err
}

func TestNewEventVersion(t *testing.T) {
	// aws-lambda-go's APIGatewayProxyRequest does not carry the version
	// that tells HTTP API payload 1.0 from a REST API event.
	tests := []struct {
		format adapter.Format
		want   any
	}{
		{adapter.FormatRESTAPI, nil},
		{adapter.FormatHTTPAPIV1, "1.0"},
		{adapter.FormatHTTPAPIV2, "2.0"},
		{adapter.FormatFunctionURL, "2.0"},
		{adapter.FormatALB, nil},
		{adapter.FormatALBMultiValue, nil},
		{adapter.FormatVPCLatticeV2, "2.0"},
	}
	for _, tc := range tests {
		t.Run(tc.format.String(), func(t *testing.T) {
			payload, err := adapter.NewEvent(newGatewayRequest(t), &adapter.GatewayRequest{Format: tc.format})
			if err != nil {
				t.Fatal(err)
			}
			var m map[string]any
			if err := json.Unmarshal(payload, &m); err != nil {
				t.Fatal(err)
			}
			if got := m["version"]; got != tc.want {
				t.Errorf("version = %v, want %v", got, tc.want)
			}
		})
	}
}

// TestNewEventEncodedPath checks the path of an encoded request in the
// event of each format, and as the handler then sees it: a function URL
// keeps the path as sent in rawPath, as REST, ALB and VPC Lattice do,
// where an HTTP API decodes it.
func TestNewEventEncodedPath(t *testing.T) {
	type paths struct {
		Event   map[string]string // the event's path members
		Path    string            // the handler's r.URL.Path
		RawPath string            // and r.URL.RawPath
	}
	const sent = "/files/a%2Fb/c%20d"
	tests := []struct {
		format adapter.Format
		want   paths
	}{
		{adapter.FormatFunctionURL, paths{
			Event: map[string]string{"rawPath": sent, "requestContext.http.path": "/files/a/b/c d"},
			Path:  "/files/a/b/c d", RawPath: sent,
		}},
		{adapter.FormatHTTPAPIV2, paths{
			Event: map[string]string{"rawPath": "/files/a/b/c d", "requestContext.http.path": "/files/a/b/c d"},
			Path:  "/files/a/b/c d", RawPath: "",
		}},
		{adapter.FormatRESTAPI, paths{
			Event: map[string]string{"path": sent, "requestContext.path": "/prod" + sent},
			Path:  "/files/a/b/c d", RawPath: sent,
		}},
		{adapter.FormatALB, paths{
			Event: map[string]string{"path": sent},
			Path:  "/files/a/b/c d", RawPath: sent,
		}},
	}
	for _, tc := range tests {
		t.Run(tc.format.String(), func(t *testing.T) {
			r := httptest.NewRequestWithContext(t.Context(), http.MethodGet, "http://api.example.com"+sent, nil)
			g := &adapter.GatewayRequest{Format: tc.format}
			if tc.format == adapter.FormatFunctionURL {
				// How the adapter tells a function URL's event from an
				// HTTP API's.
				g.DomainName = "abcdef.lambda-url.us-east-1.on.aws"
			}
			payload, err := adapter.NewEvent(r, g)
			if err != nil {
				t.Fatal(err)
			}
			var ev struct {
				Path, RawPath  string
				RequestContext struct {
					Path string
					HTTP struct{ Path string }
				}
			}
			if err := json.Unmarshal(payload, &ev); err != nil {
				t.Fatal(err)
			}
			got := paths{Event: map[string]string{}}
			for k, v := range map[string]string{
				"path": ev.Path, "rawPath": ev.RawPath,
				"requestContext.path": ev.RequestContext.Path, "requestContext.http.path": ev.RequestContext.HTTP.Path,
			} {
				if v != "" {
					got.Event[k] = v
				}
			}
			h := adapter.Wrap(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
				got.Path, got.RawPath = r.URL.Path, r.URL.RawPath
			}))
			if _, err := h.Invoke(t.Context(), payload); err != nil {
				t.Fatalf("Invoke(%s): %v", payload, err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("NewEvent(%s, %v) paths (-want +got):\n%s", sent, tc.format, diff)
			}
		})
	}
}

func TestNewEventUnknownFormat(t *testing.T) {
	for _, f := range []adapter.Format{adapter.FormatUnknown, adapter.Format(99)} {
		if _, err := adapter.NewEvent(newGatewayRequest(t), &adapter.GatewayRequest{Format: f}); err == nil {
			t.Errorf("NewEvent(%v) = nil error, want one", f)
		}
	}
}

func TestNewEventStage(t *testing.T) {
	tests := []struct {
		name       string
		format     adapter.Format
		stage      string
		target     string
		wantPath   string // the event's path (rawPath for 2.0)
		wantCtx    string // requestContext.path (payload 1.0 only)
		wantServed string // the path the handler sees
	}{
		{
			name: "REST default stage", format: adapter.FormatRESTAPI,
			target: "/prod/pets", wantPath: "/pets", wantCtx: "/prod/pets", wantServed: "/pets",
		},
		{
			name: "REST named stage", format: adapter.FormatRESTAPI, stage: "v1",
			target: "/v1/pets/7", wantPath: "/pets/7", wantCtx: "/v1/pets/7", wantServed: "/pets/7",
		},
		{
			name: "REST stage alone", format: adapter.FormatRESTAPI, stage: "v1",
			target: "/v1", wantPath: "/", wantCtx: "/v1/", wantServed: "/",
		},
		{
			// A custom domain maps the stage: it is not in the request path.
			name: "REST custom domain", format: adapter.FormatRESTAPI, stage: "prod",
			target: "/pets", wantPath: "/pets", wantCtx: "/prod/pets", wantServed: "/pets",
		},
		{
			name: "REST stage prefix off a segment boundary", format: adapter.FormatRESTAPI, stage: "prod",
			target: "/production/pets", wantPath: "/production/pets", wantCtx: "/prod/production/pets",
			wantServed: "/production/pets",
		},
		{
			// HTTP APIs keep a named stage in the path; the adapter strips it.
			name: "HTTP API 1.0 named stage", format: adapter.FormatHTTPAPIV1, stage: "v1",
			target: "/v1/pets", wantPath: "/v1/pets", wantCtx: "/v1/pets", wantServed: "/pets",
		},
		{
			name: "HTTP API 2.0 named stage", format: adapter.FormatHTTPAPIV2, stage: "v1",
			target: "/v1/pets", wantPath: "/v1/pets", wantServed: "/pets",
		},
		{
			name: "HTTP API 2.0 default stage", format: adapter.FormatHTTPAPIV2,
			target: "/v1/pets", wantPath: "/v1/pets", wantServed: "/v1/pets",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, "http://api.example.com"+tc.target, nil)
			payload, err := adapter.NewEvent(r, &adapter.GatewayRequest{Format: tc.format, Stage: tc.stage})
			if err != nil {
				t.Fatal(err)
			}
			var e struct {
				Path           string `json:"path"`
				RawPath        string `json:"rawPath"`
				RequestContext struct {
					Path string `json:"path"`
				} `json:"requestContext"`
			}
			if err := json.Unmarshal(payload, &e); err != nil {
				t.Fatal(err)
			}
			got := struct{ Path, CtxPath string }{e.Path + e.RawPath, e.RequestContext.Path}
			want := struct{ Path, CtxPath string }{tc.wantPath, tc.wantCtx}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("NewEvent(%s) paths mismatch (-want +got):\n%s", tc.target, diff)
			}

			var served string
			h := adapter.Wrap(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) { served = r.URL.Path }))
			if _, err := h.Invoke(t.Context(), payload); err != nil {
				t.Fatal(err)
			}
			if served != tc.wantServed {
				t.Errorf("the handler saw path %q, want %q", served, tc.wantServed)
			}
		})
	}
}

func TestNewEventBody(t *testing.T) {
	binary := []byte{0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff}
	// What each kind of source does with a body: base64 (true) or text.
	type encoding struct{ httpAPI, rest, restBinary, other bool }
	tests := []struct {
		name        string
		contentType string
		body        []byte
		want        encoding
	}{
		{name: "JSON", contentType: "application/json", body: []byte(`{"a":"ü"}`)},
		{name: "text with parameters", contentType: "Text/Plain; charset=utf-8", body: []byte("hello\n")},
		{name: "XML", contentType: "application/xml", body: []byte("<a/>")},
		{name: "JavaScript", contentType: "application/javascript", body: []byte("f()")},
		// HTTP APIs pass only the four kinds above as text (ministack#766,
		// measured on AWS).
		{name: "form", contentType: "application/x-www-form-urlencoded", body: []byte("a=1&b=2"), want: encoding{httpAPI: true}},
		{name: "JSON:API", contentType: "application/vnd.api+json", body: []byte(`{}`), want: encoding{httpAPI: true}},
		{name: "no Content-Type, UTF-8", body: []byte("plain"), want: encoding{httpAPI: true}},
		{name: "image", contentType: "image/png", body: binary, want: encoding{httpAPI: true, restBinary: true, other: true}},
		{name: "octet-stream of ASCII", contentType: "application/octet-stream", body: []byte("abc"), want: encoding{httpAPI: true, restBinary: true, other: true}},
		// A REST API passes a body whose type is not binary to it as
		// text, whatever its bytes.
		{name: "text that is not UTF-8", contentType: "text/plain", body: []byte("caf\xe9"), want: encoding{httpAPI: true, other: true}},
		{name: "no Content-Type, not UTF-8", body: binary, want: encoding{httpAPI: true, other: true}},
	}
	for _, tc := range tests {
		for _, f := range append(eventFormats, restBinary) {
			g := adapter.GatewayRequest{Format: f}
			want := tc.want.other
			switch f {
			case adapter.FormatHTTPAPIV1, adapter.FormatHTTPAPIV2:
				want = tc.want.httpAPI
			case adapter.FormatRESTAPI:
				want = tc.want.rest
			case restBinary:
				g = adapter.GatewayRequest{Format: adapter.FormatRESTAPI, BinaryMediaTypes: []string{"image/*", "application/octet-stream"}}
				want = tc.want.restBinary
			}
			name := f.String()
			if f == restBinary {
				name = "rest-api-with-binary-media-types"
			}
			t.Run(tc.name+"/"+name, func(t *testing.T) {
				r := httptest.NewRequest(http.MethodPut, "http://api.example.com/blob", bytes.NewReader(tc.body))
				if tc.contentType != "" {
					r.Header.Set("Content-Type", tc.contentType)
				}
				payload, err := adapter.NewEvent(r, &g)
				if err != nil {
					t.Fatal(err)
				}
				var e struct {
					Body            string `json:"body"`
					IsBase64Encoded bool   `json:"isBase64Encoded"`
				}
				if err := json.Unmarshal(payload, &e); err != nil {
					t.Fatal(err)
				}
				if e.IsBase64Encoded != want {
					t.Errorf("isBase64Encoded = %v, want %v", e.IsBase64Encoded, want)
				}
				got := []byte(e.Body)
				if e.IsBase64Encoded {
					if got, err = base64.StdEncoding.DecodeString(e.Body); err != nil {
						t.Fatalf("body %q: %v", e.Body, err)
					}
				}
				// Sent as text, a body loses the bytes that are not UTF-8.
				wantBody := tc.body
				if !want {
					wantBody = replaceInvalidUTF8(tc.body)
				}
				if !bytes.Equal(got, wantBody) {
					t.Errorf("body = %q, want %q", got, wantBody)
				}

				// And the handler gets those bytes.
				var served []byte
				h := adapter.Wrap(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) { served, _ = io.ReadAll(r.Body) }))
				if _, err := h.Invoke(t.Context(), payload); err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(served, wantBody) {
					t.Errorf("the handler read %q, want %q", served, wantBody)
				}
			})
		}
	}
}

// restBinary stands, in TestNewEventBody, for a REST API with binary media
// types.
const restBinary = adapter.Format(100)

// replaceInvalidUTF8 replaces each byte of b that is not part of valid
// UTF-8 by U+FFFD, as encoding a string into JSON does.
func replaceInvalidUTF8(b []byte) []byte {
	var out []byte
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		if r == utf8.RuneError && n == 1 {
			out = append(out, "\uFFFD"...)
		} else {
			out = append(out, b[:n]...)
		}
		b = b[n:]
	}
	return out
}

// eventFormats lists every format NewEvent builds.
var eventFormats = []adapter.Format{
	adapter.FormatRESTAPI, adapter.FormatHTTPAPIV1, adapter.FormatHTTPAPIV2, adapter.FormatFunctionURL,
	adapter.FormatALB, adapter.FormatALBMultiValue, adapter.FormatVPCLatticeV2,
}

func TestNewEventAuthorizer(t *testing.T) {
	tests := []struct {
		name        string
		format      adapter.Format
		authorizer  map[string]any
		decode      func([]byte) (any, error) // requestContext.authorizer as aws-lambda-go reads it
		want        any
		wantSubject string // of the faas.Principal the handler gets
	}{
		{
			name:       "REST Cognito user pool",
			format:     adapter.FormatRESTAPI,
			authorizer: map[string]any{"claims": map[string]any{"sub": "user-1", "cognito:username": "ann"}},
			decode: func(b []byte) (any, error) {
				var e events.APIGatewayProxyRequest
				err := json.Unmarshal(b, &e)
				return e.RequestContext.Authorizer, err
			},
			want:        map[string]any{"claims": map[string]any{"sub": "user-1", "cognito:username": "ann"}},
			wantSubject: "user-1",
		},
		{
			name:       "HTTP API 1.0 Lambda authorizer",
			format:     adapter.FormatHTTPAPIV1,
			authorizer: map[string]any{"principalId": "user-2", "tenant": "t1"},
			decode: func(b []byte) (any, error) {
				var e events.APIGatewayProxyRequest
				err := json.Unmarshal(b, &e)
				return e.RequestContext.Authorizer, err
			},
			want:        map[string]any{"principalId": "user-2", "tenant": "t1"},
			wantSubject: "user-2",
		},
		{
			name:   "HTTP API 2.0 JWT",
			format: adapter.FormatHTTPAPIV2,
			authorizer: map[string]any{"jwt": map[string]any{
				"claims": map[string]any{"sub": "user-3", "iss": "https://issuer.example"},
				"scopes": []any{"pets.read"},
			}},
			decode: func(b []byte) (any, error) {
				var e events.APIGatewayV2HTTPRequest
				err := json.Unmarshal(b, &e)
				return e.RequestContext.Authorizer, err
			},
			want: &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{
				JWT: &events.APIGatewayV2HTTPRequestContextAuthorizerJWTDescription{
					Claims: map[string]string{"sub": "user-3", "iss": "https://issuer.example"},
					Scopes: []string{"pets.read"},
				},
			},
			wantSubject: "user-3",
		},
		{
			name:       "HTTP API 2.0 Lambda authorizer",
			format:     adapter.FormatHTTPAPIV2,
			authorizer: map[string]any{"lambda": map[string]any{"sub": "user-4", "admin": true}},
			decode: func(b []byte) (any, error) {
				var e events.APIGatewayV2HTTPRequest
				err := json.Unmarshal(b, &e)
				return e.RequestContext.Authorizer, err
			},
			want: &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{
				Lambda: map[string]any{"sub": "user-4", "admin": true},
			},
			wantSubject: "user-4",
		},
		{
			name:   "none",
			format: adapter.FormatHTTPAPIV2,
			decode: func(b []byte) (any, error) {
				var e events.APIGatewayV2HTTPRequest
				err := json.Unmarshal(b, &e)
				return e.RequestContext.Authorizer, err
			},
			want: (*events.APIGatewayV2HTTPRequestContextAuthorizerDescription)(nil),
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, "http://api.example.com/me", nil)
			// A header must never establish the caller.
			r.Header.Set("Authorization", "Bearer forged")
			payload, err := adapter.NewEvent(r, &adapter.GatewayRequest{Format: tc.format, Authorizer: tc.authorizer})
			if err != nil {
				t.Fatal(err)
			}
			got, err := tc.decode(payload)
			if err != nil {
				t.Fatalf("decoding %s: %v", payload, err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("requestContext.authorizer mismatch (-want +got):\n%s", diff)
			}

			if got := handlerSubject(t, payload); got != tc.wantSubject {
				t.Errorf("the handler's principal is %q, want %q", got, tc.wantSubject)
			}
		})
	}
}

// handlerSubject invokes a wrapped handler with payload and returns the
// subject of the caller it sees, or "".
func handlerSubject(t *testing.T, payload []byte) string {
	t.Helper()
	var subject string
	h := adapter.Wrap(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		if p, ok := faas.PrincipalFromContext(r.Context()); ok && p != nil {
			subject = p.Subject
		}
	}))
	if _, err := h.Invoke(t.Context(), payload); err != nil {
		t.Fatal(err)
	}
	return subject
}

func TestNewEventIAMIdentity(t *testing.T) {
	guest := &adapter.IAMIdentity{
		AccessKey: "ASIAGUEST", AccountID: "123456789012",
		UserID:                    "AROAGUEST:CognitoIdentityCredentials",
		UserARN:                   "arn:aws:sts::123456789012:assumed-role/guest/CognitoIdentityCredentials",
		CognitoIdentityID:         "us-east-1:11111111-2222-3333-4444-555555555555",
		CognitoIdentityPoolID:     "us-east-1:00000000-0000-4000-8000-000000000001",
		CognitoAuthenticationType: "unauthenticated",
		CognitoAMR:                []string{"unauthenticated"},
	}
	role := &adapter.IAMIdentity{
		AccessKey: "ASIAROLE", AccountID: "123456789012", UserID: "AROAPURCHASE:faasport",
		UserARN: "arn:aws:sts::123456789012:assumed-role/purchase/faasport",
	}
	restIdentity := func(b []byte) (any, error) {
		var e events.APIGatewayProxyRequest
		err := json.Unmarshal(b, &e)
		id := e.RequestContext.Identity
		id.SourceIP, id.UserAgent = "", ""
		return id, err
	}
	v2IAM := func(b []byte) (any, error) {
		var e events.APIGatewayV2HTTPRequest
		err := json.Unmarshal(b, &e)
		if e.RequestContext.Authorizer == nil {
			return nil, err
		}
		return e.RequestContext.Authorizer.IAM, err
	}
	tests := []struct {
		name        string
		format      adapter.Format
		identity    *adapter.IAMIdentity
		decode      func([]byte) (any, error)
		want        any
		wantSubject string
	}{
		{name: "REST, a Cognito identity", format: adapter.FormatRESTAPI, identity: guest, decode: restIdentity,
			want: events.APIGatewayRequestIdentity{
				AccessKey: "ASIAGUEST", AccountID: "123456789012",
				Caller: "AROAGUEST:CognitoIdentityCredentials", User: "AROAGUEST:CognitoIdentityCredentials",
				UserArn:               "arn:aws:sts::123456789012:assumed-role/guest/CognitoIdentityCredentials",
				CognitoIdentityID:     "us-east-1:11111111-2222-3333-4444-555555555555",
				CognitoIdentityPoolID: "us-east-1:00000000-0000-4000-8000-000000000001", CognitoAuthenticationType: "unauthenticated",
			},
			wantSubject: "us-east-1:11111111-2222-3333-4444-555555555555"},
		{name: "HTTP API 1.0, a role", format: adapter.FormatHTTPAPIV1, identity: role, decode: restIdentity,
			want: events.APIGatewayRequestIdentity{
				AccessKey: "ASIAROLE", AccountID: "123456789012", Caller: "AROAPURCHASE:faasport", User: "AROAPURCHASE:faasport",
				UserArn: "arn:aws:sts::123456789012:assumed-role/purchase/faasport",
			},
			wantSubject: "AROAPURCHASE:faasport"},
		{name: "HTTP API 2.0, a Cognito identity", format: adapter.FormatHTTPAPIV2, identity: guest, decode: v2IAM,
			want: &events.APIGatewayV2HTTPRequestContextAuthorizerIAMDescription{
				AccessKey: "ASIAGUEST", AccountID: "123456789012", CallerID: "AROAGUEST:CognitoIdentityCredentials",
				CognitoIdentity: events.APIGatewayV2HTTPRequestContextAuthorizerCognitoIdentity{
					AMR: []string{"unauthenticated"}, IdentityID: "us-east-1:11111111-2222-3333-4444-555555555555",
					IdentityPoolID: "us-east-1:00000000-0000-4000-8000-000000000001"},
				UserARN: "arn:aws:sts::123456789012:assumed-role/guest/CognitoIdentityCredentials",
				UserID:  "AROAGUEST:CognitoIdentityCredentials",
			},
			wantSubject: "us-east-1:11111111-2222-3333-4444-555555555555"},
		{name: "HTTP API 2.0, a role", format: adapter.FormatHTTPAPIV2, identity: role, decode: v2IAM,
			want: &events.APIGatewayV2HTTPRequestContextAuthorizerIAMDescription{
				AccessKey: "ASIAROLE", AccountID: "123456789012", CallerID: "AROAPURCHASE:faasport",
				UserARN: "arn:aws:sts::123456789012:assumed-role/purchase/faasport", UserID: "AROAPURCHASE:faasport",
			},
			wantSubject: "AROAPURCHASE:faasport"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, "http://api.example.com/me", nil)
			payload, err := adapter.NewEvent(r, &adapter.GatewayRequest{Format: tc.format, Identity: tc.identity})
			if err != nil {
				t.Fatal(err)
			}
			if !json.Valid(payload) {
				t.Fatalf("not JSON: %s", payload)
			}
			got, err := tc.decode(payload)
			if err != nil {
				t.Fatalf("decoding %s: %v", payload, err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("identity (-want +got):\n%s", diff)
			}
			if got := handlerSubject(t, payload); got != tc.wantSubject {
				t.Errorf("the handler's principal is %q, want %q", got, tc.wantSubject)
			}
		})
	}
}

type decodeResponseCase struct {
	name    string
	format  adapter.Format
	payload string
	want    *adapter.Response // nil: an error wrapping ErrMalformedResponse
}

// decodeResponseCases are the function responses of TestDecodeResponse,
// and the seeds of FuzzDecodeResponse.
var decodeResponseCases = []decodeResponseCase{
	// Valid responses of each format.
	{
		name: "rest multi-value headers", format: adapter.FormatRESTAPI,
		payload: `{"statusCode":201,"multiValueHeaders":{"content-type":["application/json"],"Set-Cookie":["a=1","b=2"]},"body":"{\"id\":7}","isBase64Encoded":false}`,
		want: &adapter.Response{
			StatusCode: 201,
			Header:     http.Header{"Content-Type": {"application/json"}, "Set-Cookie": {"a=1", "b=2"}},
			Body:       []byte(`{"id":7}`),
		},
	},
	{
		// A null Content-Type stays, present and empty, so that the
		// gateway adds none (aws/aws-sam-cli#1218); other nulls go.
		name: "rest null Content-Type", format: adapter.FormatRESTAPI,
		payload: `{"statusCode":200,"headers":{"content-type":null,"X-Gone":null},"body":"plain"}`,
		want: &adapter.Response{
			StatusCode: 200,
			Header:     http.Header{"Content-Type": nil},
			Body:       []byte("plain"),
		},
	},
	{
		name: "rest null Content-Type beside a multi-value one", format: adapter.FormatRESTAPI,
		payload: `{"statusCode":200,"headers":{"Content-Type":null},"multiValueHeaders":{"Content-Type":["text/csv"]},"body":"a"}`,
		want: &adapter.Response{
			StatusCode: 200,
			Header:     http.Header{"Content-Type": {"text/csv"}},
			Body:       []byte("a"),
		},
	},
	{
		name: "rest headers and multiValueHeaders merge, multi-value wins", format: adapter.FormatRESTAPI,
		payload: `{"statusCode":200,"headers":{"X-A":"single","X-B":"only"},"multiValueHeaders":{"X-A":["m1","m2"]},"body":"ok"}`,
		want: &adapter.Response{
			StatusCode: 200,
			Header:     http.Header{"X-A": {"m1", "m2"}, "X-B": {"only"}},
			Body:       []byte("ok"),
		},
	},
	{
		name: "rest base64 body", format: adapter.FormatRESTAPI,
		payload: `{"statusCode":200,"headers":{"Content-Type":"image/png"},"body":"iVBORw0KGgo=","isBase64Encoded":true}`,
		want: &adapter.Response{
			StatusCode: 200,
			Header:     http.Header{"Content-Type": {"image/png"}},
			Body:       []byte("\x89PNG\r\n\x1a\n"),
		},
	},
	{
		name: "rest null body and headers", format: adapter.FormatRESTAPI,
		payload: `{"statusCode":204,"headers":null,"multiValueHeaders":null,"body":null}`,
		want:    &adapter.Response{StatusCode: 204, Header: http.Header{}},
	},
	{
		name: "http-api-v1", format: adapter.FormatHTTPAPIV1,
		payload: `{"statusCode":404,"headers":{"content-type":"text/plain"},"body":"no such pet"}`,
		want: &adapter.Response{
			StatusCode: 404,
			Header:     http.Header{"Content-Type": {"text/plain"}},
			Body:       []byte("no such pet"),
		},
	},
	{
		name: "http-api-v2 with cookies", format: adapter.FormatHTTPAPIV2,
		payload: `{"statusCode":200,"headers":{"content-type":"text/html","x-multi":"a,b"},"cookies":["a=1; Path=/","b=2"],"body":"<p>hi</p>"}`,
		want: &adapter.Response{
			StatusCode: 200,
			Header: http.Header{
				"Content-Type": {"text/html"}, "X-Multi": {"a,b"},
				"Set-Cookie": {"a=1; Path=/", "b=2"},
			},
			Body: []byte("<p>hi</p>"),
		},
	},
	{
		name: "function-url", format: adapter.FormatFunctionURL,
		payload: `{"statusCode":302,"headers":{"location":"/elsewhere"}}`,
		want:    &adapter.Response{StatusCode: 302, Header: http.Header{"Location": {"/elsewhere"}}},
	},
	{
		name: "alb", format: adapter.FormatALB,
		payload: `{"statusCode":200,"statusDescription":"200 OK","headers":{"content-type":"text/plain"},"body":"hello","isBase64Encoded":false}`,
		want: &adapter.Response{
			StatusCode: 200,
			Header:     http.Header{"Content-Type": {"text/plain"}},
			Body:       []byte("hello"),
		},
	},
	{
		name: "alb-multi-value", format: adapter.FormatALBMultiValue,
		payload: `{"statusCode":503,"statusDescription":"503 Service Unavailable","multiValueHeaders":{"retry-after":["120"],"set-cookie":["a=1","b=2"]},"body":""}`,
		want: &adapter.Response{
			StatusCode: 503,
			Header:     http.Header{"Retry-After": {"120"}, "Set-Cookie": {"a=1", "b=2"}},
			Body:       []byte{},
		},
	},
	{
		name: "vpc-lattice-v2", format: adapter.FormatVPCLatticeV2,
		payload: `{"statusCode":200,"statusDescription":"200 OK","headers":{"content-type":"application/json"},"body":"e30=","isBase64Encoded":true}`,
		want: &adapter.Response{
			StatusCode: 200,
			Header:     http.Header{"Content-Type": {"application/json"}},
			Body:       []byte("{}"),
		},
	},

	// HTTP API 2.0 and function URLs infer a response from valid JSON
	// without a statusCode: the JSON is the body of a 200.
	{
		name: "v2 infers from an object", format: adapter.FormatHTTPAPIV2,
		payload: `{"message":"hello","body":"not a body field"}`,
		want:    inferredResponse(`{"message":"hello","body":"not a body field"}`),
	},
	{
		// A string is the body, not its JSON (API Gateway's developer
		// guide: "Hello from Lambda!" becomes the body Hello from Lambda!;
		// a function answering "null" gets the body null, per LocalStack's
		// AWS-validated test_apigateway_http.py).
		name: "v2 infers from a string", format: adapter.FormatHTTPAPIV2,
		payload: `"hello \"world\"\u00e9"`,
		want:    inferredResponse(`hello "world"é`),
	},
	{
		name: "v2 infers from the string null", format: adapter.FormatHTTPAPIV2,
		payload: `"null"`,
		want:    inferredResponse(`null`),
	},
	{
		name: "v2 infers from an empty string", format: adapter.FormatHTTPAPIV2,
		payload: `""`,
		want:    inferredResponse(``),
	},
	{
		name: "function-url infers from a string", format: adapter.FormatFunctionURL,
		payload: `"hi"`,
		want:    inferredResponse(`hi`),
	},
	{
		// Only HTTP API 2.0 is known to take an errorMessage for a failure.
		name: "function-url infers from an errorMessage", format: adapter.FormatFunctionURL,
		payload: `{"errorMessage":"x"}`,
		want:    inferredResponse(`{"errorMessage":"x"}`),
	},
	{
		name: "v2 errorMessage with a statusCode", format: adapter.FormatHTTPAPIV2,
		payload: `{"statusCode":200,"errorMessage":"x","body":"ok"}`,
		want:    &adapter.Response{StatusCode: 200, Header: http.Header{}, Body: []byte("ok")},
	},

	// REST and HTTP APIs take a statusCode given as a numeric string and
	// header values of any scalar (LocalStack's AWS-validated
	// test_apigateway_lambda.py and test_apigateway_http.py).
	{
		name: "http-api-v1 statusCode a string", format: adapter.FormatHTTPAPIV1,
		payload: `{"statusCode":"201"}`,
		want:    &adapter.Response{StatusCode: 201, Header: http.Header{}},
	},
	{
		name: "v2 statusCode a string", format: adapter.FormatHTTPAPIV2,
		payload: `{"statusCode":"201","body":"x"}`,
		want:    &adapter.Response{StatusCode: 201, Header: http.Header{}, Body: []byte("x")},
	},
	{
		name: "v2 header values scalars", format: adapter.FormatHTTPAPIV2,
		payload: `{"statusCode":200,"headers":{"test-header":"value","header-bool":true,"x-n":1.5,"x-null":null}}`,
		want: &adapter.Response{StatusCode: 200, Header: http.Header{
			"Test-Header": {"value"}, "Header-Bool": {"true"}, "X-N": {"1.5"},
		}},
	},
	{
		name: "http-api-v1 header value a number", format: adapter.FormatHTTPAPIV1,
		payload: `{"statusCode":200,"headers":{"X-N":1}}`,
		want:    &adapter.Response{StatusCode: 200, Header: http.Header{"X-N": {"1"}}},
	},
	{
		// Cookies are a member of the 2.0 formats only: HTTP API 1.0, like
		// ALB, ignores it.
		name: "http-api-v1 ignores cookies", format: adapter.FormatHTTPAPIV1,
		payload: `{"statusCode":200,"cookies":["a=1"],"body":"x"}`,
		want:    &adapter.Response{StatusCode: 200, Header: http.Header{}, Body: []byte("x")},
	},
	{
		name: "v2 infers from a number", format: adapter.FormatHTTPAPIV2,
		payload: `42`,
		want:    inferredResponse(`42`),
	},
	{
		name: "v2 infers from an array", format: adapter.FormatHTTPAPIV2,
		payload: `[1,{"statusCode":500}]`,
		want:    inferredResponse(`[1,{"statusCode":500}]`),
	},
	{
		name: "v2 infers from a null statusCode", format: adapter.FormatHTTPAPIV2,
		payload: `{"statusCode":null,"data":1}`,
		want:    inferredResponse(`{"statusCode":null,"data":1}`),
	},
	{
		name: "function-url infers too", format: adapter.FormatFunctionURL,
		payload: `{"ok":true}`,
		want:    inferredResponse(`{"ok":true}`),
	},

	// Malformed responses.
	{name: "rest not JSON", format: adapter.FormatRESTAPI, payload: `hello`},
	{name: "v2 not JSON", format: adapter.FormatHTTPAPIV2, payload: `{"statusCode":200,`},
	{name: "v2 empty", format: adapter.FormatHTTPAPIV2, payload: ``},
	{name: "rest trailing data", format: adapter.FormatRESTAPI, payload: `{"statusCode":200} {}`},
	{name: "rest unexpected member", format: adapter.FormatRESTAPI, payload: `{"statusCode":200,"wrongValue":"value"}`},
	{name: "rest statusCode not a number", format: adapter.FormatRESTAPI, payload: `{"statusCode":"test"}`},
	{name: "rest multi-value header not an array", format: adapter.FormatRESTAPI, payload: `{"statusCode":200,"multiValueHeaders":{"X-N":"1"}}`},
	{name: "http-api-v1 missing statusCode", format: adapter.FormatHTTPAPIV1, payload: `{"body":"x"}`},
	{name: "alb missing statusCode", format: adapter.FormatALB, payload: `{"body":"x"}`},
	{name: "vpc-lattice-v2 missing statusCode", format: adapter.FormatVPCLatticeV2, payload: `{}`},
	{name: "rest a JSON string", format: adapter.FormatRESTAPI, payload: `"hello"`},
	{name: "statusCode below 100", format: adapter.FormatRESTAPI, payload: `{"statusCode":99}`},
	{name: "statusCode above 599", format: adapter.FormatHTTPAPIV2, payload: `{"statusCode":600}`},
	{name: "statusCode negative", format: adapter.FormatALB, payload: `{"statusCode":-200}`},
	{name: "statusCode fractional", format: adapter.FormatRESTAPI, payload: `{"statusCode":200.5}`},
	{name: "bad base64", format: adapter.FormatRESTAPI, payload: `{"statusCode":200,"body":"not base64!","isBase64Encoded":true}`},
	{name: "v2 bad base64", format: adapter.FormatHTTPAPIV2, payload: `{"statusCode":200,"body":"%%%","isBase64Encoded":true}`},
	{name: "alb header value a number", format: adapter.FormatALB, payload: `{"statusCode":200,"headers":{"X-N":1}}`},
	{name: "http-api-v1 statusCode not a number", format: adapter.FormatHTTPAPIV1, payload: `{"statusCode":"test"}`},
	{name: "v2 statusCode not a number", format: adapter.FormatHTTPAPIV2, payload: `{"statusCode":"test"}`},
	{name: "http-api-v1 multi-value header not an array", format: adapter.FormatHTTPAPIV1, payload: `{"statusCode":200,"multiValueHeaders":{"x":"v"}}`},
	// What a failed function answers (LocalStack's AWS-validated
	// test_apigateway_http.py: a 500).
	{name: "v2 errorMessage without statusCode", format: adapter.FormatHTTPAPIV2, payload: `{"errorMessage":"test fake error message"}`},
	{name: "v2 errorMessage after a bad member", format: adapter.FormatHTTPAPIV2, payload: `{"headers":{"a":{}},"errorMessage":"x"}`},
	// A REST API accepts only its format's members.
	{name: "rest cookies", format: adapter.FormatRESTAPI, payload: `{"statusCode":200,"body":"x","cookies":["a=1"]}`},
	{name: "rest header value an object", format: adapter.FormatRESTAPI, payload: `{"statusCode":200,"headers":{"X-N":{}}}`},
	{name: "multi-value header value a number", format: adapter.FormatALBMultiValue, payload: `{"statusCode":200,"multiValueHeaders":{"X-N":[1]}}`},
	{name: "v2 header value an object", format: adapter.FormatHTTPAPIV2, payload: `{"statusCode":200,"headers":{"X-N":{"a":"b"}}}`},
	{
		// The statusCode makes it a response, whatever the order of its
		// members: a bad header is an error, not an inferred body.
		name: "v2 header value an object before statusCode", format: adapter.FormatHTTPAPIV2,
		payload: `{"headers":{"X-N":{}},"statusCode":200}`,
	},
	{name: "v2 cookies not strings", format: adapter.FormatHTTPAPIV2, payload: `{"statusCode":200,"cookies":[1]}`},
	{name: "isBase64Encoded not a bool", format: adapter.FormatRESTAPI, payload: `{"statusCode":200,"isBase64Encoded":"yes"}`},
}

func inferredResponse(body string) *adapter.Response {
	return &adapter.Response{
		StatusCode: http.StatusOK,
		Header:     http.Header{"Content-Type": {"application/json"}},
		Body:       []byte(body),
	}
}

func TestDecodeResponse(t *testing.T) {
	for _, tc := range decodeResponseCases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := adapter.DecodeResponse(tc.format, []byte(tc.payload))
			if tc.want == nil {
				if !errors.Is(err, adapter.ErrMalformedResponse) {
					t.Fatalf("DecodeResponse(%v, %s) = %+v, %v; want an error wrapping ErrMalformedResponse", tc.format, tc.payload, got, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("DecodeResponse(%v, %s) error: %v", tc.format, tc.payload, err)
			}
			if diff := cmp.Diff(tc.want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("DecodeResponse(%v, %s) mismatch (-want +got):\n%s", tc.format, tc.payload, diff)
			}
		})
	}
}

// TestResponseDecode holds Response.Decode to DecodeResponse: the same
// answer decoded into a Response whose header already holds a value, which
// it keeps, and on error the Response left as it was.
func TestResponseDecode(t *testing.T) {
	cases := append(slices.Clone(decodeResponseCases), decodeResponseCase{
		name: "an undecodable base64 body", format: adapter.FormatHTTPAPIV2,
		payload: `{"statusCode":200,"headers":{"X-A":"1"},"body":"not base64!","isBase64Encoded":true}`,
	})
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := adapter.Response{StatusCode: 599, Header: http.Header{"X-Gateway": {"kept"}}, Body: []byte("before")}
			got := before
			got.Header = before.Header.Clone()
			err := got.Decode(tc.format, []byte(tc.payload))
			if tc.want == nil {
				if !errors.Is(err, adapter.ErrMalformedResponse) {
					t.Fatalf("Decode(%v, %s) = %v; want an error wrapping ErrMalformedResponse", tc.format, tc.payload, err)
				}
				if diff := cmp.Diff(before, got); diff != "" {
					t.Errorf("Decode(%v, %s) failed but changed the response (-want +got):\n%s", tc.format, tc.payload, diff)
				}
				return
			}
			if err != nil {
				t.Fatalf("Decode(%v, %s) error: %v", tc.format, tc.payload, err)
			}
			want := *tc.want
			want.Header = want.Header.Clone()
			if want.Header == nil {
				want.Header = http.Header{}
			}
			want.Header["X-Gateway"] = []string{"kept"}
			if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("Decode(%v, %s) mismatch (-want +got):\n%s", tc.format, tc.payload, diff)
			}
		})
	}
	t.Run("into a nil header", func(t *testing.T) {
		var got adapter.Response
		if err := got.Decode(adapter.FormatHTTPAPIV2, []byte(`{"statusCode":204,"headers":{"x-a":"1"}}`)); err != nil {
			t.Fatal(err)
		}
		want := adapter.Response{StatusCode: 204, Header: http.Header{"X-A": {"1"}}, Body: []byte{}}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("mismatch (-want +got):\n%s", diff)
		}
	})
}

// TestDecodeRESTResponse holds DecodeRESTResponse to what API Gateway's
// REST APIs answered in LocalStack's test_aws_proxy_binary_response, run
// against AWS (localstack/localstack#12199), and to AWS's "Binary media
// types for REST APIs": the first media type of the request's Accept
// header decides, matched as written against the API's binary media
// types; the response's Content-Type plays no part.
func TestDecodeRESTResponse(t *testing.T) {
	const png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mP8/wIAAgkBAyMAlYwAAAAASUVORK5CYII="
	raw, err := base64.StdEncoding.DecodeString(png)
	if err != nil {
		t.Fatal(err)
	}
	flagged := `{"statusCode":200,"headers":{"Content-Type":"image/png"},"body":"` + png + `","isBase64Encoded":true}`
	plain := `{"statusCode":200,"headers":{"Content-Type":"image/png"},"body":"` + png + `"}`
	noType := `{"statusCode":200,"body":"` + png + `","isBase64Encoded":true}`
	first := []string{"image/png", "*/test"}                      // the test's second deployment
	second := []string{"image/png", "application/*", "image/jpg"} // its third
	tests := []struct {
		name    string
		payload string
		accept  string
		types   []string
		want    []byte // nil: the base64 text
	}{
		{name: "no binary media types", payload: flagged, accept: "image/png"},
		{name: "accept matches", payload: flagged, accept: "image/png", types: first, want: raw},
		{name: "accept another type", payload: flagged, accept: "image/jpg", types: first},
		{name: "accept a wildcard subtype", payload: flagged, accept: "image/*", types: first},
		{name: "accept matching a left wildcard", payload: flagged, accept: "random/test", types: first},
		{name: "a left wildcard as written", payload: flagged, accept: "*/test", types: first},
		{name: "accept anything", payload: flagged, accept: "*/*", types: first},
		{name: "only the first type counts", payload: flagged, accept: "image/webp,image/png,*/*;q=0.8", types: first},
		{name: "first type matches", payload: flagged, accept: "image/png,image/*,*/*;q=0.8", types: first, want: raw},
		{name: "parameters and case", payload: flagged, accept: " Image/PNG;q=0.9", types: first, want: raw},
		{name: "not flagged", payload: plain, accept: "image/png", types: first},
		{name: "type/* matches a subtype", payload: flagged, accept: "application/whatever", types: second, want: raw},
		{name: "type/* matches itself", payload: flagged, accept: "application/*", types: second, want: raw},
		{name: "the response's type does not count", payload: flagged, accept: "image/jpg", types: second, want: raw},
		{name: "no Content-Type", payload: noType, accept: "image/png", types: second, want: raw},
		{name: "accept not a media type", payload: flagged, accept: "application", types: second},
		{name: "no accept", payload: flagged, types: second},
		{name: "no accept and */*", payload: flagged, types: []string{"*/*"}},
		// AWS's advice for browsers, whose Accept headers it cannot order.
		{name: "binary type */*", payload: flagged, accept: "text/html,application/xhtml+xml,*/*;q=0.8", types: []string{"*/*"}, want: raw},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := adapter.DecodeRESTResponse([]byte(tc.payload), tc.accept, tc.types)
			if err != nil {
				t.Fatalf("DecodeRESTResponse(%q, %q) error: %v", tc.accept, tc.types, err)
			}
			want := tc.want
			if want == nil {
				want = []byte(png)
			}
			if diff := cmp.Diff(want, got.Body); diff != "" {
				t.Errorf("DecodeRESTResponse(%q, %q) body (-want +got):\n%s", tc.accept, tc.types, diff)
			}
			if got.StatusCode != http.StatusOK {
				t.Errorf("status %d, want 200", got.StatusCode)
			}
		})
	}

	bad := `{"statusCode":200,"body":"\u00e8\u00e9+\u00e0)(","isBase64Encoded":true}`
	t.Run("undecodable body to decode", func(t *testing.T) {
		got, err := adapter.DecodeRESTResponse([]byte(bad), "image/png", first)
		if !errors.Is(err, adapter.ErrUndecodableBody) || errors.Is(err, adapter.ErrMalformedResponse) {
			t.Fatalf("DecodeRESTResponse = %+v, %v; want an error wrapping ErrUndecodableBody alone (AWS answers 500, not 502)", got, err)
		}
	})
	t.Run("undecodable body passed on", func(t *testing.T) {
		got, err := adapter.DecodeRESTResponse([]byte(bad), "text/plain", first)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff("èé+à)(", string(got.Body)); diff != "" {
			t.Errorf("body (-want +got):\n%s", diff)
		}
	})
	t.Run("DecodeResponse decodes", func(t *testing.T) {
		_, err := adapter.DecodeResponse(adapter.FormatRESTAPI, []byte(bad))
		if !errors.Is(err, adapter.ErrUndecodableBody) || !errors.Is(err, adapter.ErrMalformedResponse) {
			t.Fatalf("DecodeResponse error %v; want one wrapping ErrMalformedResponse and ErrUndecodableBody", err)
		}
	})
	t.Run("malformed", func(t *testing.T) {
		_, err := adapter.DecodeRESTResponse([]byte(`{"statusCode":200,"cookies":[]}`), "image/png", first)
		if !errors.Is(err, adapter.ErrMalformedResponse) {
			t.Fatalf("error %v; want one wrapping ErrMalformedResponse", err)
		}
	})
}

func TestWriteResponse(t *testing.T) {
	tests := []struct {
		name       string
		format     adapter.Format
		payload    string
		wantStatus int
		wantHeader http.Header
		wantBody   string
	}{
		{
			name:       "rest",
			format:     adapter.FormatRESTAPI,
			payload:    `{"statusCode":201,"multiValueHeaders":{"Content-Type":["application/json"],"Set-Cookie":["a=1","b=2"]},"body":"{}"}`,
			wantStatus: 201,
			wantHeader: http.Header{
				"Content-Type": {"application/json"}, "Set-Cookie": {"a=1", "b=2"}, "Content-Length": {"2"},
			},
			wantBody: "{}",
		},
		{
			name:       "v2 base64 with cookies",
			format:     adapter.FormatHTTPAPIV2,
			payload:    `{"statusCode":200,"headers":{"content-type":"application/octet-stream"},"cookies":["s=1"],"body":"AAEC","isBase64Encoded":true}`,
			wantStatus: 200,
			wantHeader: http.Header{
				"Content-Type": {"application/octet-stream"}, "Set-Cookie": {"s=1"}, "Content-Length": {"3"},
			},
			wantBody: "\x00\x01\x02",
		},
		{
			name:       "v2 inferred",
			format:     adapter.FormatHTTPAPIV2,
			payload:    `{"pets":[]}`,
			wantStatus: 200,
			wantHeader: http.Header{"Content-Type": {"application/json"}, "Content-Length": {"11"}},
			wantBody:   `{"pets":[]}`,
		},
		{
			// HTTP forbids a body with a 204: any the function sent is dropped.
			name:       "204 with a body",
			format:     adapter.FormatRESTAPI,
			payload:    `{"statusCode":204,"headers":{"X-Id":"7"},"body":"dropped"}`,
			wantStatus: 204,
			wantHeader: http.Header{"X-Id": {"7"}},
		},
		{
			// The function's Content-Length is the gateway's to set.
			name:       "alb wrong Content-Length",
			format:     adapter.FormatALB,
			payload:    `{"statusCode":200,"headers":{"Content-Length":"99"},"body":"abc"}`,
			wantStatus: 200,
			wantHeader: http.Header{"Content-Length": {"3"}},
			wantBody:   "abc",
		},
		{
			// The answer to a HEAD request: no body, but the length it
			// would have had.
			name:       "no body keeps the function's Content-Length",
			format:     adapter.FormatHTTPAPIV2,
			payload:    `{"statusCode":200,"headers":{"Content-Type":"text/plain","Content-Length":"100"},"body":""}`,
			wantStatus: 200,
			wantHeader: http.Header{"Content-Type": {"text/plain"}, "Content-Length": {"100"}},
		},
		{
			name:       "no body and a Content-Length of 0",
			format:     adapter.FormatRESTAPI,
			payload:    `{"statusCode":200,"multiValueHeaders":{"Content-Length":["0"]}}`,
			wantStatus: 200,
			wantHeader: http.Header{"Content-Length": {"0"}},
		},
		{
			// The server adds its own: 0, or none for a HEAD request.
			name:       "no body and no Content-Length",
			format:     adapter.FormatALB,
			payload:    `{"statusCode":200,"headers":{"X-Id":"7"},"body":""}`,
			wantStatus: 200,
			wantHeader: http.Header{"X-Id": {"7"}},
		},
		{
			name:       "no body and an invalid Content-Length",
			format:     adapter.FormatHTTPAPIV2,
			payload:    `{"statusCode":200,"headers":{"Content-Length":"-1"}}`,
			wantStatus: 200,
			wantHeader: http.Header{},
		},
		{
			name:       "no body and two Content-Lengths",
			format:     adapter.FormatRESTAPI,
			payload:    `{"statusCode":200,"multiValueHeaders":{"Content-Length":["5","5"]}}`,
			wantStatus: 200,
			wantHeader: http.Header{},
		},
		{
			name:       "a body overrides the function's Content-Length, larger or smaller",
			format:     adapter.FormatRESTAPI,
			payload:    `{"statusCode":200,"multiValueHeaders":{"Content-Length":["1"]},"body":"hello"}`,
			wantStatus: 200,
			wantHeader: http.Header{"Content-Length": {"5"}},
			wantBody:   "hello",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			if err := adapter.WriteResponse(rec, tc.format, []byte(tc.payload)); err != nil {
				t.Fatalf("WriteResponse: %v", err)
			}
			got := struct {
				Status int
				Header http.Header
				Body   string
			}{rec.Code, rec.Header(), rec.Body.String()}
			want := struct {
				Status int
				Header http.Header
				Body   string
			}{tc.wantStatus, tc.wantHeader, tc.wantBody}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("WriteResponse(%v, %s) mismatch (-want +got):\n%s", tc.format, tc.payload, diff)
			}
		})
	}
}

func TestWriteResponseMalformed(t *testing.T) {
	rec := httptest.NewRecorder()
	err := adapter.WriteResponse(rec, adapter.FormatHTTPAPIV1, []byte(`{"body":"no status"}`))
	if !errors.Is(err, adapter.ErrMalformedResponse) {
		t.Fatalf("WriteResponse = %v, want an error wrapping ErrMalformedResponse", err)
	}
	if rec.Flushed || len(rec.Header()) > 0 || rec.Body.Len() > 0 || rec.Result().StatusCode != http.StatusOK {
		t.Errorf("WriteResponse wrote %d %v %q on error, want nothing", rec.Code, rec.Header(), rec.Body)
	}
}

// roundTripMethods are the methods FuzzRoundTrip picks from.
var roundTripMethods = []string{
	http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut,
	http.MethodPatch, http.MethodDelete, http.MethodOptions, "PROPFIND",
}

// roundTripSeeds seed FuzzRoundTrip.
var roundTripSeeds = []struct {
	method   uint8 // index into roundTripMethods
	path     string
	rawQuery string
	header   string
	body     []byte
}{
	{0, "/", "", "", nil},
	{2, "/pets", "tag=a&tag=b&limit=10", "v1", []byte(`{"name":"Rex"}`)},
	{3, "/files/a%2Fb/caf%C3%A9", "q=a+b&x=%20&flag", "a, b", []byte{0x89, 'P', 'N', 'G', 0, 0xff}},
	{5, "/prod/pets/7", "", "", nil},
	{0, "/discount/100%25/now%3F", "empty=&=novalue", "", nil},
	{1, "/x/a%2520b", "a=1;b=2", "", nil},
	{4, "//double/slash/", "q=%E2%82%AC", "\u00e9t\u00e9", []byte("caf\xe9")},
	{7, "/prod", "x=1&x=2&x=3", "tab\tinside", []byte("line\r\nline")},
}

// FuzzRoundTrip checks that a request survives NewEvent and Invoke: the
// handler sees the original's method, path, query parameters, header and
// body, within the limits of each format that conformanceFormats documents.
func FuzzRoundTrip(f *testing.F) {
	for _, s := range roundTripSeeds {
		f.Add(s.method, s.path, s.rawQuery, s.header, s.body)
	}
	f.Fuzz(func(t *testing.T, method uint8, path, rawQuery, header string, body []byte) {
		target := "http://example.com" + path
		if rawQuery != "" {
			target += "?" + rawQuery
		}
		orig, err := http.NewRequest(roundTripMethods[int(method)%len(roundTripMethods)], target, nil)
		if err != nil || orig.URL.Host != "example.com" || orig.URL.User != nil || !strings.HasPrefix(orig.URL.Path, "/") {
			t.Skip("not a request to example.com with a path")
		}
		// A server trims a header value's surrounding white space and
		// refuses control bytes; JSON strings hold UTF-8 only.
		if header != strings.Trim(header, " \t") || !validHeaderValue(header) || !utf8.ValidString(header) {
			t.Skip("not a header value a server would pass on")
		}
		if header != "" {
			orig.Header.Set("X-Fuzz", header)
		}
		origQuery, queryErr := url.ParseQuery(orig.URL.RawQuery)

		for _, cf := range conformanceFormats {
			fid := cf.fidelity
			wantPath := orig.URL.Path
			if cf.format == adapter.FormatRESTAPI {
				// The path as sent, its leading slashes made one before
				// and after the default stage, read by the adapter as
				// encoded.
				raw := stripStage(oneLeadingSlash(orig.URL.EscapedPath()), "/prod")
				if p, err := url.PathUnescape(oneLeadingSlash(raw)); err == nil {
					wantPath = p
				}
			}
			if fid.decodedPath {
				if !utf8.ValidString(wantPath) {
					continue // the decoded path cannot travel in a JSON string
				}
				if p, err := url.PathUnescape(wantPath); err == nil && looksEncoded(wantPath) {
					wantPath = p
				}
			}
			if !utf8.ValidString(orig.URL.RawQuery) || fid.queryMap && !validUTF8Values(origQuery) {
				continue // nor can a decoded query parameter
			}

			r := orig.Clone(t.Context())
			r.Body = io.NopCloser(bytes.NewReader(body))
			r.RemoteAddr = "192.0.2.1:1234"
			gw := cf.gateway
			gw.Format = cf.format
			payload, err := adapter.NewEvent(r, &gw)
			if err != nil {
				t.Fatalf("NewEvent(%v): %v", cf.format, err)
			}
			var got *http.Request
			var gotBody []byte
			h := adapter.Wrap(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
				got = r
				gotBody, _ = io.ReadAll(r.Body)
			}))
			out, err := h.Invoke(t.Context(), payload)
			if err != nil {
				t.Fatalf("%v: Invoke(%s): %v", cf.format, payload, err)
			}
			if got == nil {
				t.Fatalf("%v: Invoke(%s) did not reach the handler; it answered %s", cf.format, payload, out)
			}
			if resp, err := adapter.DecodeResponse(cf.format, out); err != nil || resp.StatusCode != http.StatusOK {
				t.Errorf("%v: DecodeResponse(%s) = %+v, %v; want a 200", cf.format, out, resp, err)
			}

			if got.Method != orig.Method {
				t.Errorf("%v: method = %q, want %q", cf.format, got.Method, orig.Method)
			}
			if got.URL.Path != wantPath {
				t.Errorf("%v: path = %q, want %q (sent %q)", cf.format, got.URL.Path, wantPath, orig.URL.EscapedPath())
			}
			switch {
			case !fid.queryMap:
				if got.URL.RawQuery != orig.URL.RawQuery {
					t.Errorf("%v: raw query = %q, want %q", cf.format, got.URL.RawQuery, orig.URL.RawQuery)
				}
			case queryErr == nil:
				want := origQuery
				if fid.lastQuery {
					want = lastRawValues(orig.URL.RawQuery)
				}
				gotQuery, err := url.ParseQuery(got.URL.RawQuery)
				if err != nil {
					t.Errorf("%v: the handler's query %q does not parse: %v", cf.format, got.URL.RawQuery, err)
				}
				if diff := cmp.Diff(want, gotQuery, cmpopts.EquateEmpty(), cmpopts.SortSlices(func(a, b string) bool { return a < b })); diff != "" {
					t.Errorf("%v: query parameters of %q mismatch (-want +got):\n%s", cf.format, orig.URL.RawQuery, diff)
				}
			}
			if v := got.Header.Get("X-Fuzz"); v != header {
				t.Errorf("%v: X-Fuzz = %q, want %q", cf.format, v, header)
			}
			if !bytes.Equal(gotBody, body) {
				t.Errorf("%v: body = %q, want %q", cf.format, gotBody, body)
			}
		}
	})
}

// lastRawValues is the query a single-value ALB passes on for raw, a
// query that url.ParseQuery accepts: the last value of each parameter as
// sent, so that names spelt differently ("%30" and "0") stay apart until
// the handler decodes them.
func lastRawValues(raw string) url.Values {
	last := map[string]string{}
	var order []string
	for part := range strings.SplitSeq(raw, "&") {
		if part == "" {
			continue
		}
		k, v, _ := strings.Cut(part, "=")
		if _, ok := last[k]; !ok {
			order = append(order, k)
		}
		last[k] = v
	}
	q := url.Values{}
	for _, k := range order {
		dk, _ := url.QueryUnescape(k)
		dv, _ := url.QueryUnescape(last[k])
		q[dk] = append(q[dk], dv)
	}
	return q
}

// stripStage removes a stage from the front of p on a segment boundary, as
// a REST API does.
func stripStage(p, stage string) string {
	switch {
	case p == stage:
		return "/"
	case strings.HasPrefix(p, stage+"/"):
		return p[len(stage):]
	}
	return p
}

func validHeaderValue(v string) bool {
	for i := 0; i < len(v); i++ {
		if c := v[i]; c < ' ' && c != '\t' || c == 0x7f {
			return false
		}
	}
	return true
}

func validUTF8Values(q url.Values) bool {
	for k, vs := range q {
		if !utf8.ValidString(k) {
			return false
		}
		for _, v := range vs {
			if !utf8.ValidString(v) {
				return false
			}
		}
	}
	return true
}

// FuzzDecodeResponse checks that DecodeResponse never panics, and answers
// any payload with a valid response or an error wrapping
// ErrMalformedResponse; that Response.Decode agrees, adding to a header
// that holds a value already, and changes nothing when it fails; and that
// WriteResponse writes what DecodeResponse decodes.
func FuzzDecodeResponse(f *testing.F) {
	for _, tc := range decodeResponseCases {
		f.Add(uint8(slices.Index(eventFormats, tc.format)), []byte(tc.payload))
	}
	f.Fuzz(func(t *testing.T, format uint8, payload []byte) {
		fm := eventFormats[int(format)%len(eventFormats)]
		resp, err := adapter.DecodeResponse(fm, payload)
		into := adapter.Response{StatusCode: 1, Header: http.Header{"X-Gateway": {"kept"}}, Body: []byte("before")}
		intoErr := into.Decode(fm, payload)
		if (err == nil) != (intoErr == nil) {
			t.Fatalf("DecodeResponse(%v, %q) = %v, but Decode = %v", fm, payload, err, intoErr)
		}
		if err != nil {
			if !errors.Is(err, adapter.ErrMalformedResponse) {
				t.Fatalf("DecodeResponse(%v, %q) error %v does not wrap ErrMalformedResponse", fm, payload, err)
			}
			want := adapter.Response{StatusCode: 1, Header: http.Header{"X-Gateway": {"kept"}}, Body: []byte("before")}
			if diff := cmp.Diff(want, into); diff != "" {
				t.Fatalf("Decode(%v, %q) failed but changed the response (-want +got):\n%s", fm, payload, diff)
			}
			return
		}
		want := adapter.Response{StatusCode: resp.StatusCode, Header: resp.Header.Clone(), Body: resp.Body}
		want.Header["X-Gateway"] = append([]string{"kept"}, want.Header["X-Gateway"]...)
		if diff := cmp.Diff(want, into, cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("Decode(%v, %q) differs from DecodeResponse (-want +got):\n%s", fm, payload, diff)
		}
		if resp == nil || resp.StatusCode < 100 || resp.StatusCode > 599 || resp.Header == nil {
			t.Fatalf("DecodeResponse(%v, %q) = %+v, want a response with a valid status", fm, payload, resp)
		}
		// What decodes writes.
		rec := httptest.NewRecorder()
		if err := adapter.WriteResponse(rec, fm, payload); err != nil {
			t.Fatalf("WriteResponse(%v, %q) = %v after DecodeResponse succeeded", fm, payload, err)
		}
		wantBody := resp.Body
		if resp.StatusCode < 200 || resp.StatusCode == http.StatusNoContent || resp.StatusCode == http.StatusNotModified {
			wantBody = nil // a status that allows no body
		}
		if rec.Code != resp.StatusCode || !bytes.Equal(rec.Body.Bytes(), wantBody) {
			t.Errorf("WriteResponse wrote %d %q, DecodeResponse gave %d %q", rec.Code, rec.Body, resp.StatusCode, resp.Body)
		}
	})
}

// FuzzDecodeRESTResponse checks DecodeRESTResponse against DecodeResponse
// for any payload and Accept header: the same response, but for a base64
// body, which it either decodes as DecodeResponse does or leaves as text.
func FuzzDecodeRESTResponse(f *testing.F) {
	for _, tc := range decodeResponseCases {
		if tc.format == adapter.FormatRESTAPI {
			f.Add([]byte(tc.payload), "image/png", "image/png")
		}
	}
	f.Add([]byte(`{"statusCode":200,"body":"aGk=","isBase64Encoded":true}`), "image/png,*/*", "image/*")
	f.Add([]byte(`{"body":"%%%","isBase64Encoded":true}`), "*/*", "*/*")
	f.Add([]byte(`{"body":"aGk=","isBase64Encoded":true}`), "", "*/test")
	f.Fuzz(func(t *testing.T, payload []byte, accept, binaryType string) {
		types := []string{binaryType}
		got, err := adapter.DecodeRESTResponse(payload, accept, types)
		all, allErr := adapter.DecodeResponse(adapter.FormatRESTAPI, payload)
		if err != nil {
			switch {
			case errors.Is(err, adapter.ErrUndecodableBody):
				if !errors.Is(allErr, adapter.ErrUndecodableBody) {
					t.Fatalf("DecodeRESTResponse(%q, %q, %q) = %v, but DecodeResponse = %v", payload, accept, types, err, allErr)
				}
			case errors.Is(err, adapter.ErrMalformedResponse):
				if allErr == nil {
					t.Fatalf("DecodeRESTResponse(%q) = %v, but DecodeResponse succeeded", payload, err)
				}
			default:
				t.Fatalf("DecodeRESTResponse(%q) error %v wraps neither sentinel", payload, err)
			}
			return
		}
		if allErr != nil {
			if !errors.Is(allErr, adapter.ErrUndecodableBody) {
				t.Fatalf("DecodeResponse(%q) = %v, but DecodeRESTResponse succeeded", payload, allErr)
			}
			return // a base64 body left as text
		}
		if got.StatusCode != all.StatusCode || !cmp.Equal(got.Header, all.Header, cmpopts.EquateEmpty()) {
			t.Fatalf("DecodeRESTResponse = %d %v, DecodeResponse = %d %v", got.StatusCode, got.Header, all.StatusCode, all.Header)
		}
		if !bytes.Equal(got.Body, all.Body) {
			// Left as text: its decoding is DecodeResponse's body.
			b, err := base64.StdEncoding.DecodeString(string(got.Body))
			if err != nil || !bytes.Equal(b, all.Body) {
				t.Fatalf("DecodeRESTResponse body %q, DecodeResponse %q", got.Body, all.Body)
			}
		}
	})
}

// TestNewEventFrontEndHeaders checks the headers a front end adds besides
// X-Forwarded-For and X-Forwarded-Proto: X-Forwarded-Port, the port the
// client connected to, never the client's own; and X-Amzn-Trace-Id, a
// fresh trace unless the client sent one. VPC Lattice adds neither.
func TestNewEventFrontEndHeaders(t *testing.T) {
	at := time.Date(2026, 11, 26, 4, 0, 0, 0, time.UTC)
	fresh := regexp.MustCompile(`^Root=1-` + fmt.Sprintf("%08x", at.Unix()) + `-[0-9a-f]{24}$`)
	listener := &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 4510}
	tests := []struct {
		name      string
		format    adapter.Format
		url       string
		edit      func(r *http.Request)
		wantPort  string // "" for none
		wantTrace string // "fresh" for a new one, "" for none
	}{
		{"port from Host", adapter.FormatHTTPAPIV2, "http://127.0.0.1:8080/x", nil, "8080", "fresh"},
		{"http without a port", adapter.FormatRESTAPI, "http://api.example.com/x", nil, "80", "fresh"},
		{"https without a port", adapter.FormatALB, "https://api.example.com/x", nil, "443", "fresh"},
		{"port of the listener", adapter.FormatFunctionURL, "http://localhost/x", func(r *http.Request) {
			*r = *r.WithContext(context.WithValue(r.Context(), http.LocalAddrContextKey, net.Addr(listener)))
		}, "4510", "fresh"},
		{"the client's port is replaced", adapter.FormatHTTPAPIV1, "http://127.0.0.1:8080/x", func(r *http.Request) {
			r.Header.Set("X-Forwarded-Port", "443")
		}, "8080", "fresh"},
		{"the client's trace is kept", adapter.FormatHTTPAPIV2, "http://127.0.0.1:8080/x", func(r *http.Request) {
			r.Header.Set("X-Amzn-Trace-Id", "Root=1-5759e988-bd862e3fe1be46a994272793")
		}, "8080", "Root=1-5759e988-bd862e3fe1be46a994272793"},
		{"VPC Lattice adds neither", adapter.FormatVPCLatticeV2, "http://127.0.0.1:8080/x", nil, "", ""},
		{"VPC Lattice passes the client's port on", adapter.FormatVPCLatticeV2, "http://127.0.0.1:8080/x", func(r *http.Request) {
			r.Header.Set("X-Forwarded-Port", "443")
		}, "443", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, tc.url, nil)
			if tc.edit != nil {
				tc.edit(r)
			}
			payload, err := adapter.NewEvent(r, &adapter.GatewayRequest{Format: tc.format, Time: at})
			if err != nil {
				t.Fatal(err)
			}
			h := eventHeaders(t, payload)
			if got := h.Values("X-Forwarded-Port"); (tc.wantPort == "" && len(got) != 0) || (tc.wantPort != "" && !slices.Equal(got, []string{tc.wantPort})) {
				t.Errorf("X-Forwarded-Port = %q, want %q", got, tc.wantPort)
			}
			got := h.Values("X-Amzn-Trace-Id")
			switch {
			case tc.wantTrace == "":
				if len(got) != 0 {
					t.Errorf("X-Amzn-Trace-Id = %q, want none", got)
				}
			case tc.wantTrace == "fresh":
				if len(got) != 1 || !fresh.MatchString(got[0]) {
					t.Errorf("X-Amzn-Trace-Id = %q, want one matching %s", got, fresh)
				}
			case !slices.Equal(got, []string{tc.wantTrace}):
				t.Errorf("X-Amzn-Trace-Id = %q, want %q", got, tc.wantTrace)
			}
		})
	}
	a, b := adapter.NewTraceID(at), adapter.NewTraceID(at)
	if a == b || !fresh.MatchString(a) {
		t.Errorf("NewTraceID gave %q and %q, want two different ones matching %s", a, b, fresh)
	}
}

// eventHeaders returns the headers of an event of any format, from
// "headers" (single values, or lists in VPC Lattice's) and
// "multiValueHeaders".
func eventHeaders(t *testing.T, payload []byte) http.Header {
	t.Helper()
	var ev struct {
		Headers           map[string]json.RawMessage
		MultiValueHeaders map[string][]string
	}
	if err := json.Unmarshal(payload, &ev); err != nil {
		t.Fatalf("decoding %s: %v", payload, err)
	}
	h := http.Header{}
	for k, raw := range ev.Headers {
		var one string
		if json.Unmarshal(raw, &one) == nil {
			h[http.CanonicalHeaderKey(k)] = []string{one}
			continue
		}
		var list []string
		if err := json.Unmarshal(raw, &list); err != nil {
			t.Fatalf("header %s: %s", k, raw)
		}
		h[http.CanonicalHeaderKey(k)] = list
	}
	for k, vs := range ev.MultiValueHeaders {
		h[http.CanonicalHeaderKey(k)] = vs
	}
	return h
}

// oneLeadingSlash returns p with its leading slashes made one, as a REST
// API delivers the path.
func oneLeadingSlash(p string) string {
	if strings.HasPrefix(p, "//") {
		return "/" + strings.TrimLeft(p, "/")
	}
	return p
}
