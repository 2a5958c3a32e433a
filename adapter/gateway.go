package adapter

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/faasport/faasport/internal/jsonx"
)

// GatewayRequest is what a gateway knows of a request besides the request
// itself, for [NewEvent]. Its zero value, with a Format, is usable.
type GatewayRequest struct {
	Format Format

	// Stage is the API's stage. Empty means "$default" for HTTP APIs and
	// function URLs, and "prod" for REST APIs.
	Stage string

	// RouteKey is the matched route, such as "GET /pets/{id}". Empty means
	// "$default".
	RouteKey string

	// Resource is the REST API resource, such as "/pets/{id}". Empty means
	// the path of RouteKey, or the request path.
	Resource string

	PathParameters map[string]string
	StageVariables map[string]string

	// RequestID is the gateway's request id. Empty means a fresh one.
	RequestID string

	AccountID  string // empty means "123456789012"
	APIID      string // empty means "local"
	DomainName string // empty means the request's Host
	Region     string // empty means "us-east-1"

	// Time is when the gateway received the request. Zero means now.
	Time time.Time

	// SourceIP is the client's address. Empty means the host of
	// r.RemoteAddr.
	SourceIP string

	// Authorizer is the authorizer's output as the format carries it in
	// requestContext.authorizer: for HTTP API 2.0, {"jwt": {"claims": ...,
	// "scopes": ...}} or {"lambda": ...}; for REST, {"claims": ...} or a
	// Lambda authorizer's principalId and context. Nil means none.
	Authorizer map[string]any

	// Body is the request body when the gateway has already read it (to
	// enforce its size limit). Nil means read r.Body.
	Body []byte
}

// NewEvent builds the event of g.Format that a gateway of that kind would
// send a Lambda function for r:
//
//   - HTTP API 2.0 and function URLs: lower-case headers with repeated
//     values comma-joined, cookies apart, the raw query string, and the
//     path as API Gateway delivers it (decoded);
//   - REST API and HTTP API 1.0: headers and multiValueHeaders, query
//     parameters decoded in both forms, the stage out of path but in
//     requestContext.path;
//   - ALB: the path and query parameters as sent (not decoded), in the
//     header mode of the format;
//   - VPC Lattice 2.0: headers and query parameters as arrays.
//
// Bodies that are not textual (by Content-Type, or not valid UTF-8) are
// base64-encoded and flagged.
func NewEvent(r *http.Request, g *GatewayRequest) ([]byte, error) {
	body := g.Body
	if body == nil && r.Body != nil {
		b, err := io.ReadAll(r.Body)
		if err != nil {
			return nil, fmt.Errorf("adapter: reading request body: %w", err)
		}
		body = b
	}
	e := eventBuilder{r: r, g: g, body: body}
	switch g.Format {
	case FormatHTTPAPIV2, FormatFunctionURL:
		return e.v2(), nil
	case FormatRESTAPI, FormatHTTPAPIV1:
		return e.v1(), nil
	case FormatALB, FormatALBMultiValue:
		return e.alb(), nil
	case FormatVPCLatticeV2:
		return e.lattice(), nil
	}
	return nil, fmt.Errorf("adapter: NewEvent: unsupported format %v", g.Format)
}

type eventBuilder struct {
	r    *http.Request
	g    *GatewayRequest
	body []byte
	out  []byte
}

func (e *eventBuilder) key(k string) { e.out = jsonx.AppendKey(e.out, k) }

func (e *eventBuilder) str(k, v string) {
	e.key(k)
	e.out = jsonx.AppendString(e.out, v)
}

func (e *eventBuilder) strMap(k string, m map[string]string) {
	e.key(k)
	if m == nil {
		e.out = append(e.out, "null"...)
		return
	}
	e.out = append(e.out, '{')
	for _, mk := range sortedMapKeys(m) {
		e.str(mk, m[mk])
	}
	e.out = append(e.out, '}')
}

func (e *eventBuilder) listMap(k string, keys []string, m map[string][]string, join bool) {
	e.key(k)
	if len(keys) == 0 {
		e.out = append(e.out, "null"...)
		return
	}
	e.out = append(e.out, '{')
	for _, mk := range keys {
		e.key(mk)
		if join {
			e.out = jsonx.AppendString(e.out, strings.Join(m[mk], ","))
			continue
		}
		e.out = append(e.out, '[')
		for i, v := range m[mk] {
			if i > 0 {
				e.out = append(e.out, ',')
			}
			e.out = jsonx.AppendString(e.out, v)
		}
		e.out = append(e.out, ']')
	}
	e.out = append(e.out, '}')
}

func (e *eventBuilder) lastMap(k string, keys []string, m map[string][]string) {
	e.key(k)
	if len(keys) == 0 {
		e.out = append(e.out, "null"...)
		return
	}
	e.out = append(e.out, '{')
	for _, mk := range keys {
		vs := m[mk]
		e.str(mk, vs[len(vs)-1])
	}
	e.out = append(e.out, '}')
}

func (e *eventBuilder) value(k string, v any) {
	e.key(k)
	e.out = appendAny(e.out, v)
}

func (e *eventBuilder) bodyFields(nullWhenEmpty bool) {
	e.key("body")
	binary := isBinaryBody(e.r.Header.Get("Content-Type"), e.body)
	switch {
	case len(e.body) == 0 && nullWhenEmpty:
		e.out = append(e.out, "null"...)
	case binary:
		e.out = append(e.out, '"')
		e.out = base64.StdEncoding.AppendEncode(e.out, e.body)
		e.out = append(e.out, '"')
	default:
		e.out = jsonx.AppendBytesString(e.out, e.body)
	}
	e.key("isBase64Encoded")
	e.out = strconv.AppendBool(e.out, binary)
}

// isBinaryBody reports whether a gateway would base64-encode a request
// body: when its media type is not textual, or it is not valid UTF-8.
func isBinaryBody(contentType string, body []byte) bool {
	if len(body) == 0 {
		return false
	}
	mt := strings.ToLower(strings.TrimSpace(strings.SplitN(contentType, ";", 2)[0]))
	if mt != "" && !isTextMediaType(mt) {
		return true
	}
	return !utf8.Valid(body)
}

func (e *eventBuilder) stage(def string) string {
	if e.g.Stage != "" {
		return e.g.Stage
	}
	return def
}

func (e *eventBuilder) routeKey() string {
	if e.g.RouteKey != "" {
		return e.g.RouteKey
	}
	return "$default"
}

func (e *eventBuilder) requestID() string {
	if e.g.RequestID != "" {
		return e.g.RequestID
	}
	return NewRequestID()
}

func (e *eventBuilder) when() time.Time {
	if !e.g.Time.IsZero() {
		return e.g.Time
	}
	return time.Now()
}

func (e *eventBuilder) domain() string {
	if e.g.DomainName != "" {
		return e.g.DomainName
	}
	return e.r.Host
}

func (e *eventBuilder) sourceIP() string {
	if e.g.SourceIP != "" {
		return e.g.SourceIP
	}
	if host, _, err := net.SplitHostPort(e.r.RemoteAddr); err == nil {
		return host
	}
	return e.r.RemoteAddr
}

func (e *eventBuilder) accountID() string { return or(e.g.AccountID, "123456789012") }
func (e *eventBuilder) apiID() string     { return or(e.g.APIID, "local") }
func (e *eventBuilder) region() string    { return or(e.g.Region, "us-east-1") }

func or(s, def string) string {
	if s != "" {
		return s
	}
	return def
}

// headers returns the request's headers with Host restored, as a gateway
// receives them, with lower-case names when lower is set.
func (e *eventBuilder) headers(lower bool) ([]string, map[string][]string) {
	m := make(map[string][]string, len(e.r.Header)+1)
	add := func(k string, vs ...string) {
		if lower {
			k = strings.ToLower(k)
		}
		m[k] = append(m[k], vs...)
	}
	if e.r.Host != "" {
		add("Host", e.r.Host)
	}
	for k, vs := range e.r.Header {
		if len(vs) > 0 && k != "X-Forwarded-For" && k != "X-Forwarded-Proto" {
			add(k, vs...)
		}
	}
	// Like every AWS front end, append the client to X-Forwarded-For and
	// say which scheme it used.
	xff := e.sourceIP()
	if prev := e.r.Header.Values("X-Forwarded-For"); len(prev) > 0 {
		xff = strings.Join(prev, ", ") + ", " + xff
	}
	add("X-Forwarded-For", xff)
	if e.r.TLS != nil {
		add("X-Forwarded-Proto", "https")
	} else {
		add("X-Forwarded-Proto", "http")
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys, m
}

// query returns the query parameters in order of first appearance,
// decoded unless raw is set.
func (e *eventBuilder) query(raw bool) ([]string, map[string][]string) {
	var keys []string
	m := map[string][]string{}
	for _, part := range strings.Split(e.r.URL.RawQuery, "&") {
		if part == "" {
			continue
		}
		k, v, _ := strings.Cut(part, "=")
		if !raw {
			var err error
			if k, err = queryUnescape(k); err != nil {
				continue
			}
			if v, err = queryUnescape(v); err != nil {
				continue
			}
		}
		if _, ok := m[k]; !ok {
			keys = append(keys, k)
		}
		m[k] = append(m[k], v)
	}
	return keys, m
}

func queryUnescape(s string) (string, error) {
	if strings.ContainsAny(s, "%+") {
		return url.QueryUnescape(s)
	}
	return s, nil
}

func (e *eventBuilder) cookies() []string {
	var out []string
	for _, line := range e.r.Header.Values("Cookie") {
		for _, c := range strings.Split(line, ";") {
			if c = strings.TrimSpace(c); c != "" {
				out = append(out, c)
			}
		}
	}
	return out
}

func (e *eventBuilder) v2() []byte {
	e.out = append(e.out, '{')
	e.str("version", "2.0")
	e.str("routeKey", e.routeKey())
	e.str("rawPath", e.r.URL.Path)
	e.str("rawQueryString", e.r.URL.RawQuery)
	if c := e.cookies(); len(c) > 0 {
		e.value("cookies", c)
	}
	keys, hm := e.headers(true)
	keys = slices.DeleteFunc(keys, func(k string) bool { return k == "cookie" })
	e.listMap("headers", keys, hm, true)
	if qk, qm := e.query(false); len(qk) > 0 {
		e.listMap("queryStringParameters", qk, qm, true)
	}
	if len(e.g.PathParameters) > 0 {
		e.strMap("pathParameters", e.g.PathParameters)
	}
	if len(e.g.StageVariables) > 0 {
		e.strMap("stageVariables", e.g.StageVariables)
	}
	t := e.when()
	e.key("requestContext")
	e.out = append(e.out, '{')
	e.str("accountId", e.accountID())
	e.str("apiId", e.apiID())
	if e.g.Authorizer != nil {
		e.value("authorizer", e.g.Authorizer)
	}
	domain := e.domain()
	e.str("domainName", domain)
	e.str("domainPrefix", strings.SplitN(domain, ".", 2)[0])
	e.key("http")
	e.out = append(e.out, '{')
	e.str("method", e.r.Method)
	e.str("path", e.r.URL.Path)
	e.str("protocol", e.r.Proto)
	e.str("sourceIp", e.sourceIP())
	e.str("userAgent", e.r.UserAgent())
	e.out = append(e.out, '}')
	e.str("requestId", e.requestID())
	e.str("routeKey", e.routeKey())
	e.str("stage", e.stage("$default"))
	e.str("time", t.UTC().Format("02/Jan/2006:15:04:05 -0700"))
	e.key("timeEpoch")
	e.out = strconv.AppendInt(e.out, t.UnixMilli(), 10)
	e.out = append(e.out, '}')
	if len(e.body) > 0 {
		e.bodyFields(false)
	} else {
		e.key("isBase64Encoded")
		e.out = append(e.out, "false"...)
	}
	return append(e.out, '}')
}

func (e *eventBuilder) v1() []byte {
	stage := e.stage("prod")
	if e.g.Format == FormatHTTPAPIV1 {
		stage = e.stage("$default")
	}
	path := e.r.URL.Path
	if e.g.Format == FormatRESTAPI {
		path = stripPrefix(path, "/"+stage)
	}
	resource := e.g.Resource
	if resource == "" {
		resource = path
		if rk := e.g.RouteKey; rk != "" && rk != "$default" {
			if _, p, ok := strings.Cut(rk, " "); ok {
				resource = p
			}
		}
	}
	t := e.when()
	e.out = append(e.out, '{')
	if e.g.Format == FormatHTTPAPIV1 {
		e.str("version", "1.0")
	}
	e.str("resource", resource)
	e.str("path", path)
	e.str("httpMethod", e.r.Method)
	keys, hm := e.headers(false)
	e.lastMap("headers", keys, hm)
	e.listMap("multiValueHeaders", keys, hm, false)
	qk, qm := e.query(false)
	e.lastMap("queryStringParameters", qk, qm)
	e.listMap("multiValueQueryStringParameters", qk, qm, false)
	if len(e.g.PathParameters) > 0 {
		e.strMap("pathParameters", e.g.PathParameters)
	} else {
		e.strMap("pathParameters", nil)
	}
	e.strMap("stageVariables", e.g.StageVariables)
	e.key("requestContext")
	e.out = append(e.out, '{')
	e.str("accountId", e.accountID())
	e.str("apiId", e.apiID())
	if e.g.Authorizer != nil {
		e.value("authorizer", e.g.Authorizer)
	}
	domain := e.domain()
	e.str("domainName", domain)
	e.str("domainPrefix", strings.SplitN(domain, ".", 2)[0])
	e.str("extendedRequestId", e.requestID())
	e.str("httpMethod", e.r.Method)
	e.key("identity")
	e.out = append(e.out, '{')
	e.str("sourceIp", e.sourceIP())
	e.str("userAgent", e.r.UserAgent())
	e.out = append(e.out, '}')
	if e.g.Format == FormatRESTAPI {
		e.str("path", "/"+stage+path)
	} else {
		e.str("path", e.r.URL.Path)
	}
	e.str("protocol", e.r.Proto)
	e.str("requestId", e.requestID())
	e.str("requestTime", t.UTC().Format("02/Jan/2006:15:04:05 -0700"))
	e.key("requestTimeEpoch")
	e.out = strconv.AppendInt(e.out, t.UnixMilli(), 10)
	e.str("resourceId", "local")
	e.str("resourcePath", resource)
	e.str("stage", stage)
	e.out = append(e.out, '}')
	e.bodyFields(true)
	return append(e.out, '}')
}

func (e *eventBuilder) alb() []byte {
	e.out = append(e.out, `{"requestContext":{"elb":{"targetGroupArn":`...)
	e.out = jsonx.AppendString(e.out, "arn:aws:elasticloadbalancing:"+e.region()+":"+e.accountID()+":targetgroup/local/0000000000000000")
	e.out = append(e.out, "}}"...)
	e.str("httpMethod", e.r.Method)
	e.str("path", e.r.URL.EscapedPath())
	qk, qm := e.query(true)
	keys, hm := e.headers(true)
	if e.g.Format == FormatALBMultiValue {
		e.listMapOrEmpty("multiValueQueryStringParameters", qk, qm)
		e.listMapOrEmpty("multiValueHeaders", keys, hm)
	} else {
		e.lastMapOrEmpty("queryStringParameters", qk, qm)
		e.lastMapOrEmpty("headers", keys, hm)
	}
	e.bodyFields(false)
	return append(e.out, '}')
}

func (e *eventBuilder) listMapOrEmpty(k string, keys []string, m map[string][]string) {
	if len(keys) == 0 {
		e.key(k)
		e.out = append(e.out, "{}"...)
		return
	}
	e.listMap(k, keys, m, false)
}

func (e *eventBuilder) lastMapOrEmpty(k string, keys []string, m map[string][]string) {
	if len(keys) == 0 {
		e.key(k)
		e.out = append(e.out, "{}"...)
		return
	}
	e.lastMap(k, keys, m)
}

func (e *eventBuilder) lattice() []byte {
	e.out = append(e.out, '{')
	e.str("version", "2.0")
	e.str("path", e.r.URL.EscapedPath())
	e.str("method", e.r.Method)
	keys, hm := e.headers(true)
	e.listMapOrEmpty("headers", keys, hm)
	qk, qm := e.query(false)
	e.listMapOrEmpty("queryStringParameters", qk, qm)
	e.bodyFields(false)
	e.key("requestContext")
	e.out = append(e.out, '{')
	prefix := "arn:aws:vpc-lattice:" + e.region() + ":" + e.accountID() + ":"
	e.str("serviceNetworkArn", prefix+"servicenetwork/sn-local")
	e.str("serviceArn", prefix+"service/svc-local")
	e.str("targetGroupArn", prefix+"targetgroup/tg-local")
	e.key("identity")
	e.out = append(e.out, '{')
	e.str("sourceVpcArn", "arn:aws:ec2:"+e.region()+":"+e.accountID()+":vpc/vpc-local")
	e.out = append(e.out, '}')
	e.str("region", e.region())
	e.str("timeEpoch", strconv.FormatInt(e.when().UnixMicro(), 10))
	e.out = append(e.out, '}')
	return append(e.out, '}')
}

// appendAny appends v, a value as encoding/json decodes into any (or a
// map[string]string or []string), as JSON.
func appendAny(out []byte, v any) []byte {
	switch v := v.(type) {
	case nil:
		return append(out, "null"...)
	case string:
		return jsonx.AppendString(out, v)
	case bool:
		return strconv.AppendBool(out, v)
	case float64:
		return strconv.AppendFloat(out, v, 'g', -1, 64)
	case int:
		return strconv.AppendInt(out, int64(v), 10)
	case int64:
		return strconv.AppendInt(out, v, 10)
	case []string:
		out = append(out, '[')
		for i, s := range v {
			if i > 0 {
				out = append(out, ',')
			}
			out = jsonx.AppendString(out, s)
		}
		return append(out, ']')
	case []any:
		out = append(out, '[')
		for i, s := range v {
			if i > 0 {
				out = append(out, ',')
			}
			out = appendAny(out, s)
		}
		return append(out, ']')
	case map[string]string:
		out = append(out, '{')
		for _, k := range sortedMapKeys(v) {
			out = jsonx.AppendKey(out, k)
			out = jsonx.AppendString(out, v[k])
		}
		return append(out, '}')
	case map[string]any:
		out = append(out, '{')
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			out = jsonx.AppendKey(out, k)
			out = appendAny(out, v[k])
		}
		return append(out, '}')
	}
	return jsonx.AppendString(out, fmt.Sprint(v))
}

func sortedMapKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// NewRequestID returns a fresh request id in the UUID form AWS uses.
func NewRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	var s [36]byte
	hex.Encode(s[0:8], b[0:4])
	s[8] = '-'
	hex.Encode(s[9:13], b[4:6])
	s[13] = '-'
	hex.Encode(s[14:18], b[6:8])
	s[18] = '-'
	hex.Encode(s[19:23], b[8:10])
	s[23] = '-'
	hex.Encode(s[24:], b[10:])
	return string(s[:])
}

// ErrMalformedResponse reports a function response that its gateway
// cannot turn into an HTTP response; API Gateway answers 502 (REST) or
// 500 (HTTP API).
var ErrMalformedResponse = errors.New("adapter: malformed Lambda proxy response")

// Response is an HTTP response decoded from a function's event-format
// response.
type Response struct {
	StatusCode int
	Header     http.Header
	Body       []byte
}

// DecodeResponse decodes a function's response to an event of format f as
// the gateway would. For HTTP API 2.0 and function URLs, a valid JSON
// response without a statusCode is the body of a 200 application/json
// response, as API Gateway infers. Anything the gateway would reject is
// an error wrapping [ErrMalformedResponse].
func DecodeResponse(f Format, payload []byte) (*Response, error) {
	text := string(payload)
	infer := f == FormatHTTPAPIV2 || f == FormatFunctionURL
	inferred := func() (*Response, error) {
		if !jsonValid(text) {
			return nil, fmt.Errorf("%w: not JSON", ErrMalformedResponse)
		}
		return &Response{StatusCode: http.StatusOK, Header: http.Header{"Content-Type": {"application/json"}}, Body: []byte(text)}, nil
	}
	r := jsonx.NewReader(text)
	if r.Kind() != '{' {
		if infer {
			return inferred()
		}
		return nil, fmt.Errorf("%w: expected a JSON object", ErrMalformedResponse)
	}
	r.Object()
	resp := &Response{Header: http.Header{}}
	var (
		body       string
		b64        bool
		haveStatus bool
		single     []field
		multi      []field
		cookies    []string
	)
	for k, ok := r.Next(); ok; k, ok = r.Next() {
		switch k {
		case "statusCode":
			if r.Null() {
				continue
			}
			resp.StatusCode = r.Int()
			haveStatus = true
		case "headers":
			r.StringMap(func(k, v string) { single = append(single, field{k, v}) })
		case "multiValueHeaders":
			r.StringOrArrayMap(func(k, v string) { multi = append(multi, field{k, v}) })
		case "cookies":
			if r.Array() {
				for r.More() {
					cookies = append(cookies, r.String())
				}
			}
		case "body":
			body = nullableString(r)
		case "isBase64Encoded":
			if !r.Null() {
				b64 = r.Bool()
			}
		default:
			r.Skip()
		}
	}
	r.End()
	if err := r.Err(); err != nil {
		// The reader stops at the first error, perhaps before statusCode:
		// whether to infer depends on the whole object, not member order.
		if infer && jsonValid(text) && !hasStatusCode(text) {
			return inferred()
		}
		return nil, fmt.Errorf("%w: %v", ErrMalformedResponse, err)
	}
	if !haveStatus {
		if infer {
			return inferred()
		}
		return nil, fmt.Errorf("%w: no statusCode", ErrMalformedResponse)
	}
	if resp.StatusCode < 100 || resp.StatusCode > 599 {
		return nil, fmt.Errorf("%w: statusCode %d", ErrMalformedResponse, resp.StatusCode)
	}
	// multiValueHeaders win over headers for the same name, as API Gateway
	// merges them.
	inMulti := map[string]bool{}
	for _, f := range multi {
		k := http.CanonicalHeaderKey(f.k)
		inMulti[k] = true
		resp.Header[k] = append(resp.Header[k], f.v)
	}
	for _, f := range single {
		if k := http.CanonicalHeaderKey(f.k); !inMulti[k] {
			resp.Header[k] = append(resp.Header[k], f.v)
		}
	}
	for _, c := range cookies {
		resp.Header.Add("Set-Cookie", c)
	}
	if b64 {
		b, err := base64.StdEncoding.DecodeString(body)
		if err != nil {
			return nil, fmt.Errorf("%w: body is flagged base64 but does not decode", ErrMalformedResponse)
		}
		resp.Body = b
	} else {
		resp.Body = []byte(body)
	}
	return resp, nil
}

// hasStatusCode reports whether the JSON object s has a statusCode member.
func hasStatusCode(s string) bool {
	r := jsonx.NewReader(s)
	if !r.Object() {
		return false
	}
	for k, ok := r.Next(); ok; k, ok = r.Next() {
		if k == "statusCode" {
			return true
		}
		r.Skip()
	}
	return false
}

func jsonValid(s string) bool {
	r := jsonx.NewReader(s)
	r.Skip()
	r.End()
	return r.Err() == nil
}

// WriteResponse decodes a function's response to an event of format f, as
// [DecodeResponse] does, and writes it to w. On error it writes nothing.
func WriteResponse(w http.ResponseWriter, f Format, payload []byte) error {
	resp, err := DecodeResponse(f, payload)
	if err != nil {
		return err
	}
	h := w.Header()
	for k, vs := range resp.Header {
		h[k] = vs
	}
	if !bodyAllowed(resp.StatusCode) {
		// HTTP forbids a body here (1xx, 204, 304), and an
		// http.ResponseWriter refuses any write, even of nothing.
		w.WriteHeader(resp.StatusCode)
		return nil
	}
	h.Set("Content-Length", strconv.Itoa(len(resp.Body)))
	w.WriteHeader(resp.StatusCode)
	_, err = w.Write(resp.Body)
	return err
}
