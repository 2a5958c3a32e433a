package invoke

import (
	"encoding/base64"
	"net/http"
	"net/textproto"
	"net/url"
	"strings"

	"github.com/aws/aws-lambda-go/events"
)

// minimal is a reference point for BenchmarkAdapt, not an adapter anyone
// should use: the least any adapter must do to serve a decoded event with
// an http.Handler and hand back a response struct. It builds a new
// request (its URL, its header map, its context) and a new response
// header map for the handler, and copies the handler's headers and body
// into the response struct. It does nothing else an adapter owes its
// handler: no cookies, stage or base-path stripping, Host or RemoteAddr
// rules, query order, event or caller in the context, panic recovery,
// first-WriteHeader-wins or Content-Type sniffing, nor any check of the
// event. The recorder and its body buffer are reused, as a pool would.
type minimal struct {
	h http.Handler
	w recorder
}

// request builds the request of path, query and headers, which each name
// one value or, in multi, several.
func (m *minimal) request(method, path, query, host, body string, single map[string]string, multi map[string][]string) *http.Request {
	r := http.Request{
		Method: method, URL: &url.URL{Path: path, RawQuery: query},
		Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Host: host, Body: http.NoBody, ContentLength: int64(len(body)),
	}
	if body != "" {
		r.Body = &bodyReader{strings.NewReader(body)}
	}
	n := len(single) + len(multi)
	r.Header = make(http.Header, n)
	vals := make([]string, 0, n)
	for k, v := range single {
		vals = append(vals, v)
		r.Header[textproto.CanonicalMIMEHeaderKey(k)] = vals[len(vals)-1:]
	}
	for k, vs := range multi {
		r.Header[textproto.CanonicalMIMEHeaderKey(k)] = vs
	}
	return r.WithContext(ctx)
}

// serve runs the handler on r, leaving the response in m.w.
func (m *minimal) serve(r *http.Request) {
	m.w.header = make(http.Header, 4)
	m.w.status = 0
	m.w.body.Reset()
	m.h.ServeHTTP(&m.w, r)
	if m.w.status == 0 {
		m.w.status = http.StatusOK
	}
}

// body returns the response body as the response struct carries it.
func (m *minimal) body() (string, bool) {
	if strings.HasPrefix(m.w.header.Get("Content-Type"), "image/") {
		return base64.StdEncoding.EncodeToString(m.w.body.Bytes()), true
	}
	return m.w.body.String(), false
}

func (m *minimal) v2(e *events.APIGatewayV2HTTPRequest) events.APIGatewayV2HTTPResponse {
	m.serve(m.request(e.RequestContext.HTTP.Method, e.RawPath, e.RawQueryString, e.RequestContext.DomainName, e.Body, e.Headers, nil))
	out := events.APIGatewayV2HTTPResponse{StatusCode: m.w.status, Headers: make(map[string]string, len(m.w.header))}
	for k, vs := range m.w.header {
		out.Headers[k] = strings.Join(vs, ",")
	}
	out.Body, out.IsBase64Encoded = m.body()
	return out
}

func (m *minimal) v1(e *events.APIGatewayProxyRequest) events.APIGatewayProxyResponse {
	m.serve(m.request(e.HTTPMethod, e.Path, url.Values(e.MultiValueQueryStringParameters).Encode(),
		e.RequestContext.DomainName, e.Body, nil, e.MultiValueHeaders))
	out := events.APIGatewayProxyResponse{StatusCode: m.w.status, MultiValueHeaders: m.w.header}
	out.Body, out.IsBase64Encoded = m.body()
	return out
}

// bodyReader is a request body.
type bodyReader struct{ *strings.Reader }

func (bodyReader) Close() error { return nil }

func minimalAdapt(router http.Handler, c *Case) adapt {
	m := &minimal{h: router}
	if c.V2 {
		e := decodeV2(c)
		var out events.APIGatewayV2HTTPResponse
		return adapt{
			run: func() error { out = m.v2(&e); return nil },
			result: func() (Result, error) {
				return resultOf(out.StatusCode, single(out.Headers), out.Body, out.IsBase64Encoded)
			},
		}
	}
	e := decodeV1(c)
	var out events.APIGatewayProxyResponse
	return adapt{
		run: func() error { out = m.v1(&e); return nil },
		result: func() (Result, error) {
			return resultOf(out.StatusCode, out.MultiValueHeaders, out.Body, out.IsBase64Encoded)
		},
	}
}
