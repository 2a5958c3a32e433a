package adapter

import (
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"
	"unsafe"

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

	// ExtendedRequestID is the REST API's (and payload 1.0's)
	// requestContext.extendedRequestId, which API Gateway returns in
	// x-amz-apigw-id. Empty means the request id.
	ExtendedRequestID string

	AccountID  string // empty means "123456789012"
	APIID      string // empty means "local"
	DomainName string // empty means the request's Host
	Region     string // empty means "us-east-1"

	// Time is when the gateway received the request. Zero means now.
	Time time.Time

	// SourceIP is the client's address. Empty means the host of
	// r.RemoteAddr.
	SourceIP string

	// TraceID is the X-Amzn-Trace-Id header the front end adds when the
	// client sent none, as API Gateway, ALB and function URLs do. Empty
	// means a fresh one, "Root=1-<time>-<random>".
	TraceID string

	// Authorizer is the authorizer's output as the format carries it in
	// requestContext.authorizer: for HTTP API 2.0, {"jwt": {"claims": ...,
	// "scopes": ...}} or {"lambda": ...}; for REST, {"claims": ...} or a
	// Lambda authorizer's principalId and context. Nil means none. Its
	// values are as encoding/json decodes into any, map[string]string,
	// []string, or json.RawMessage (valid JSON), which is copied into the
	// event as is: a gateway that sends one authorizer output with many
	// requests can encode its parts once.
	Authorizer map[string]any

	// Identity is the caller of a request the gateway authorized by its
	// SigV4 signature (a route with AWS_IAM authorization): REST and
	// payload 1.0 events carry it in requestContext.identity, payload 2.0
	// events in requestContext.authorizer.iam (Authorizer must then be
	// nil). Nil means an unsigned request, whose identity is null.
	Identity *IAMIdentity

	// Body is the request body when the gateway has already read it (to
	// enforce its size limit). Nil means read r.Body.
	Body []byte

	// BinaryMediaTypes are a REST API's binary media types (media types,
	// "type/*" or "*/*"): a request body whose Content-Type matches one
	// is base64-encoded in the event, any other is passed as text, as API
	// Gateway does. Other formats ignore it.
	BinaryMediaTypes []string
}

// IAMIdentity is the AWS caller of a request signed with SigV4, as API
// Gateway describes it to the integration.
type IAMIdentity struct {
	AccessKey string // the access key the request was signed with
	AccountID string

	// UserID is the caller's unique id: "AIDA..." for a user,
	// "AROA...:session" for a role session. REST events carry it as
	// caller and user, payload 2.0 events as callerId and userId.
	UserID  string
	UserARN string

	PrincipalOrgID string // empty means null

	// The Cognito identity of identity pool credentials, empty for other
	// callers. AuthenticationType is "authenticated" or
	// "unauthenticated"; AMR, for payload 2.0, lists it and the
	// identity's login providers.
	CognitoIdentityID             string
	CognitoIdentityPoolID         string
	CognitoAuthenticationType     string
	CognitoAuthenticationProvider string
	CognitoAMR                    []string
}

// NewEvent builds the event of g.Format that a gateway of that kind would
// send a Lambda function for r:
//
//   - HTTP API 2.0 and function URLs: lower-case headers with repeated
//     values comma-joined, cookies apart, the raw query string, and a
//     rawPath as each delivers it: decoded by an HTTP API, as sent by a
//     function URL (requestContext.http.path is decoded by both);
//   - REST API and HTTP API 1.0: headers and multiValueHeaders, query
//     parameters decoded in both forms, the stage out of path but in
//     requestContext.path; for REST APIs, the path as sent (not decoded)
//     with its leading slashes made one, and no Content-Length header;
//   - ALB: the path and query parameters as sent (not decoded), in the
//     header mode of the format;
//   - VPC Lattice 2.0: headers and query parameters as arrays.
//
// A body is base64-encoded and flagged as its source does it:
//
//   - HTTP APIs pass as text only bodies of type text/*,
//     application/json, application/xml and application/javascript;
//     others, also form posts and bodies with no Content-Type, are
//     base64-encoded, as measured on AWS (ministack#766);
//   - REST APIs encode those whose Content-Type matches one of
//     g.BinaryMediaTypes and pass every other as text;
//   - other sources encode those that are not textual by Content-Type.
//
// A body that is not valid UTF-8 is base64-encoded where it would be
// text, except for REST APIs, which send it as text, its invalid bytes
// replaced by U+FFFD.
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
	e.out = make([]byte, 0, e.sizeHint())
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

// sizeHint is a little over the length of the event, so that out is
// allocated once and not much larger than needed: the format's fixed
// members (eventBase), the gateway's strings (counted twice: the route
// key, stage and path appear twice in some formats), the headers (twice
// for the formats that list them in two maps), the query string
// (likewise), the body (a third more if base64), the maps and the
// authorizer's output. TestSizeHint checks it against the events of
// every format.
func (e *eventBuilder) sizeHint() int {
	h := 0
	for k, vs := range e.r.Header {
		for _, v := range vs {
			h += len(k) + len(v) + 6
		}
	}
	q := len(e.r.URL.RawQuery)
	if f := e.g.Format; f == FormatRESTAPI || f == FormatHTTPAPIV1 {
		h, q = 2*h, 2*q
	}
	g := e.g
	strs := len(g.Stage) + len(g.RouteKey) + len(g.Resource) + len(g.RequestID) + len(g.ExtendedRequestID) +
		len(g.AccountID) + len(g.APIID) + len(g.DomainName) + len(g.Region) + len(g.SourceIP) + len(g.TraceID) +
		len(e.r.Host) + len(e.r.URL.Path) + len(e.r.URL.RawPath) + len(e.r.UserAgent())
	n := eventBase(g.Format) + 2*strs + h + q + len(e.body) + len(e.body)/3 + anySize(g.Authorizer) +
		anySize(g.PathParameters) + anySize(g.StageVariables)
	if id := g.Identity; id != nil {
		n += 640 + 2*(len(id.AccessKey)+len(id.AccountID)+len(id.UserID)+len(id.UserARN)+len(id.PrincipalOrgID)+
			len(id.CognitoIdentityID)+len(id.CognitoIdentityPoolID)+len(id.CognitoAuthenticationType)+
			len(id.CognitoAuthenticationProvider)) + anySize(id.CognitoAMR)
	}
	return n
}

// eventBase is a little over the length of format's event for a GET of
// "/" with no headers and an empty GatewayRequest: its fixed members and
// the defaults of the empty fields.
func eventBase(f Format) int {
	switch f {
	case FormatRESTAPI, FormatHTTPAPIV1:
		return 1300
	case FormatALB, FormatALBMultiValue:
		return 480
	}
	return 700
}

// anySize is about the length of v as appendAny writes it.
func anySize(v any) int {
	switch v := v.(type) {
	case json.RawMessage:
		return len(v)
	case string:
		return len(v) + 2
	case map[string]string:
		n := 2
		for k, s := range v {
			n += len(k) + len(s) + 6
		}
		return n
	case map[string]any:
		n := 2
		for k, x := range v {
			n += len(k) + 4 + anySize(x)
		}
		return n
	case []any:
		n := 2
		for _, x := range v {
			n += anySize(x) + 1
		}
		return n
	case []string:
		n := 2
		for _, s := range v {
			n += len(s) + 3
		}
		return n
	}
	return 8
}

// kvs is one name of a header or query map and its values.
type kvs struct {
	k  string
	vs []string
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
	var buf [16]string
	for _, mk := range sortedMapKeys(m, buf[:0]) {
		e.str(mk, m[mk])
	}
	e.out = append(e.out, '}')
}

func (e *eventBuilder) listMap(k string, m []kvs, join bool) {
	e.key(k)
	if len(m) == 0 {
		e.out = append(e.out, "null"...)
		return
	}
	e.out = append(e.out, '{')
	for _, f := range m {
		e.key(f.k)
		if join {
			e.out = jsonx.AppendString(e.out, strings.Join(f.vs, ","))
			continue
		}
		e.out = append(e.out, '[')
		for i, v := range f.vs {
			if i > 0 {
				e.out = append(e.out, ',')
			}
			e.out = jsonx.AppendString(e.out, v)
		}
		e.out = append(e.out, ']')
	}
	e.out = append(e.out, '}')
}

func (e *eventBuilder) lastMap(k string, m []kvs) {
	e.key(k)
	if len(m) == 0 {
		e.out = append(e.out, "null"...)
		return
	}
	e.out = append(e.out, '{')
	for _, f := range m {
		e.str(f.k, f.vs[len(f.vs)-1])
	}
	e.out = append(e.out, '}')
}

func (e *eventBuilder) value(k string, v any) {
	e.key(k)
	e.out = appendAny(e.out, v)
}

func (e *eventBuilder) bodyFields(nullWhenEmpty bool) {
	e.key("body")
	binary := e.binaryBody()
	switch {
	case len(e.body) == 0 && nullWhenEmpty:
		e.out = append(e.out, "null"...)
	case binary:
		e.out = append(e.out, '"')
		e.out = jsonx.AppendBase64(e.out, e.body)
		e.out = append(e.out, '"')
	default:
		e.out = jsonx.AppendBytesString(e.out, e.body)
	}
	e.key("isBase64Encoded")
	e.out = strconv.AppendBool(e.out, binary)
}

// binaryBody reports whether the event carries the request body
// base64-encoded (see NewEvent).
func (e *eventBuilder) binaryBody() bool {
	if len(e.body) == 0 {
		return false
	}
	mt := mediaType(e.r.Header.Get("Content-Type"))
	switch e.g.Format {
	case FormatRESTAPI:
		return matchMediaType(e.g.BinaryMediaTypes, mt)
	case FormatHTTPAPIV1, FormatHTTPAPIV2:
		switch {
		case strings.HasPrefix(mt, "text/"),
			mt == "application/json", mt == "application/xml", mt == "application/javascript":
		default:
			return true
		}
	default:
		if mt != "" && !isTextMediaType(mt) {
			return true
		}
	}
	return !utf8.Valid(e.body)
}

// mediaType returns the media type of a Content-Type or Accept value
// (its first), lower-cased and without parameters: "text/html" for
// "Text/HTML; charset=utf-8".
func mediaType(v string) string {
	v, _, _ = strings.Cut(v, ",")
	v, _, _ = strings.Cut(v, ";")
	return strings.ToLower(strings.TrimSpace(v))
}

// appendTime appends t as API Gateway's requestContext gives it, a JSON
// string that needs no escaping.
func (e *eventBuilder) appendTime(t time.Time) []byte {
	b := append(e.out, '"')
	sec := t.Unix()
	if c := lastTime.Load(); c != nil && c.sec == sec {
		b = append(b, c.text...) // the same second as the last event's
	} else {
		start := len(b)
		b = t.UTC().AppendFormat(b, requestTimeLayout)
		lastTime.Store(&formattedTime{sec, string(b[start:])})
	}
	return append(b, '"')
}

// requestTimeLayout is the form of requestContext's time and requestTime.
const requestTimeLayout = "02/Jan/2006:15:04:05 -0700"

// lastTime is the last second appendTime formatted: requests come many a
// second, and formatting is most of the cost of writing a time.
var lastTime atomic.Pointer[formattedTime]

type formattedTime struct {
	sec  int64 // Unix seconds
	text string
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

// port is the port the client connected to: the server's listening port
// when r came through a net/http server, else the port in Host, else the
// scheme's.
func (e *eventBuilder) port() string {
	switch a := e.r.Context().Value(http.LocalAddrContextKey).(type) {
	case *net.TCPAddr:
		return portString(a.Port)
	case net.Addr:
		if _, p, err := net.SplitHostPort(a.String()); err == nil && p != "" {
			return p
		}
	}
	if _, p, err := net.SplitHostPort(e.r.Host); err == nil && p != "" {
		return p
	}
	if e.r.TLS != nil {
		return "443"
	}
	return "80"
}

// lastPort holds the last port portString formatted: a gateway listens on
// one or a few, and need not format it for every request.
var lastPort atomic.Pointer[struct {
	n int
	s string
}]

// portString is strconv.Itoa(n), remembered.
func portString(n int) string {
	if p := lastPort.Load(); p != nil && p.n == n {
		return p.s
	}
	s := strconv.Itoa(n)
	lastPort.Store(&struct {
		n int
		s string
	}{n, s})
	return s
}

func (e *eventBuilder) traceID() string {
	if e.g.TraceID != "" {
		return e.g.TraceID
	}
	return NewTraceID(e.when())
}

// NewTraceID returns a fresh X-Ray trace header for a request received at
// t, in the form AWS front ends add: Root=1-<t in hex seconds>-<96 random
// bits in hex>.
func NewTraceID(t time.Time) string {
	var b [12]byte
	binary.LittleEndian.PutUint64(b[:8], rand.Uint64())
	binary.LittleEndian.PutUint32(b[8:], rand.Uint32())
	var s [len("Root=1-") + 8 + 1 + 24]byte
	copy(s[:], "Root=1-")
	var sec [4]byte
	binary.BigEndian.PutUint32(sec[:], uint32(t.Unix()))
	hex.Encode(s[7:15], sec[:])
	s[15] = '-'
	hex.Encode(s[16:], b[:])
	return string(s[:])
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
// receives them, sorted by name, with lower-case names when lower is set
// (names that differ only in case are then merged).
//
// hs is where to put them: a caller's array, when they fit.
func (e *eventBuilder) headers(lower bool, hs []kvs) []kvs {
	// One-value slices of Host and the added headers, in one array.
	one := make([]string, 6)
	if e.r.Host != "" {
		one[0] = e.r.Host
		hs = append(hs, kvs{"Host", one[0:1:1]})
	}
	lattice := e.g.Format == FormatVPCLatticeV2
	for k, vs := range e.r.Header {
		if len(vs) > 0 && k != "X-Forwarded-For" && k != "X-Forwarded-Proto" && (k != "X-Forwarded-Port" || lattice) &&
			(k != "Content-Length" || e.g.Format != FormatRESTAPI) { // a REST API's events have none
			hs = append(hs, kvs{k, vs})
		}
	}
	// Like every AWS front end, append the client to X-Forwarded-For and
	// say which scheme and port it used; API Gateway, ALB and function
	// URLs also start a trace unless the client sent one.
	xff := e.sourceIP()
	if prev := e.r.Header.Values("X-Forwarded-For"); len(prev) > 0 {
		xff = strings.Join(prev, ", ") + ", " + xff
	}
	proto := "http"
	if e.r.TLS != nil {
		proto = "https"
	}
	one[1], one[2] = xff, proto
	hs = append(hs, kvs{"X-Forwarded-For", one[1:2:2]}, kvs{"X-Forwarded-Proto", one[2:3:3]})
	if !lattice {
		one[3] = e.port()
		hs = append(hs, kvs{"X-Forwarded-Port", one[3:4:4]})
		if len(e.r.Header["X-Amzn-Trace-Id"]) == 0 {
			one[4] = e.traceID()
			hs = append(hs, kvs{"X-Amzn-Trace-Id", one[4:5:5]})
		}
	}
	if e.g.Format == FormatHTTPAPIV2 && len(e.r.Header["Content-Length"]) == 0 {
		// An HTTP API tells the length of every body it forwards, an
		// empty one too (aws-lambda-go's events/testdata, a GET by curl).
		one[5] = strconv.Itoa(len(e.body))
		hs = append(hs, kvs{"Content-Length", one[5:6:6]})
	}
	if lower {
		lowerNames(hs)
	}
	// Stable, so that the values merged under one name keep the order
	// above: Host first, the client's X-Forwarded-For last.
	slices.SortStableFunc(hs, func(a, b kvs) int { return strings.Compare(a.k, b.k) })
	return mergeNames(hs)
}

// lowerNames lower-cases the names of hs: those of lowerKeys as they are
// there, others carved from one allocation.
func lowerNames(hs []kvs) {
	n := 0
	for i, h := range hs {
		if l, ok := lowerKeys[h.k]; ok {
			hs[i].k = l
			continue
		}
		if strings.ContainsFunc(h.k, func(r rune) bool { return 'A' <= r && r <= 'Z' }) {
			n += len(h.k)
		}
	}
	if n == 0 {
		return
	}
	buf := make([]byte, 0, n)
	for i, h := range hs {
		ascii, upper := true, false
		for j := 0; j < len(h.k); j++ {
			c := h.k[j]
			ascii = ascii && c < utf8.RuneSelf
			upper = upper || 'A' <= c && c <= 'Z'
		}
		switch {
		case !upper && ascii:
			// already lower case
		case !ascii:
			hs[i].k = strings.ToLower(h.k)
		default:
			start := len(buf)
			for j := 0; j < len(h.k); j++ {
				c := h.k[j]
				if 'A' <= c && c <= 'Z' {
					c += 'a' - 'A'
				}
				buf = append(buf, c)
			}
			// buf has room for every name: it never moves, and the bytes
			// handed out are not written again.
			hs[i].k = unsafe.String(&buf[start], len(buf)-start)
		}
	}
}

// mergeNames merges the values of adjacent entries of one name.
func mergeNames(hs []kvs) []kvs {
	out := hs[:0]
	for _, h := range hs {
		if n := len(out); n > 0 && out[n-1].k == h.k {
			out[n-1].vs = append(out[n-1].vs[:len(out[n-1].vs):len(out[n-1].vs)], h.vs...)
			continue
		}
		out = append(out, h)
	}
	return out
}

// query returns the query parameters in order of first appearance,
// decoded unless raw is set.
func (e *eventBuilder) query(raw bool) []kvs {
	if e.r.URL.RawQuery == "" {
		return nil
	}
	var (
		out   []kvs
		index map[string]int // of out, once it is long
	)
	for part := range strings.SplitSeq(e.r.URL.RawQuery, "&") {
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
		i := -1
		if index != nil {
			if j, ok := index[k]; ok {
				i = j
			}
		} else {
			for j := range out {
				if out[j].k == k {
					i = j
					break
				}
			}
		}
		if i >= 0 {
			out[i].vs = append(out[i].vs, v)
			continue
		}
		out = append(out, kvs{k, []string{v}})
		switch {
		case index != nil:
			index[k] = len(out) - 1
		case len(out) > 16:
			index = make(map[string]int, len(out))
			for j, f := range out {
				index[f.k] = j
			}
		}
	}
	return out
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

// iamAuthorizer writes a payload 2.0 event's authorizer member for a
// request signed by id.
func (e *eventBuilder) iamAuthorizer(id *IAMIdentity) {
	e.key("authorizer")
	e.out = append(e.out, `{"iam":{`...)
	e.strOrNull("accessKey", id.AccessKey)
	e.strOrNull("accountId", id.AccountID)
	e.strOrNull("callerId", id.UserID)
	e.key("cognitoIdentity")
	if id.CognitoIdentityID == "" {
		e.out = append(e.out, "null"...)
	} else {
		e.out = append(e.out, '{')
		amr := id.CognitoAMR
		if amr == nil {
			amr = []string{}
		}
		e.value("amr", amr)
		e.str("identityId", id.CognitoIdentityID)
		e.str("identityPoolId", id.CognitoIdentityPoolID)
		e.out = append(e.out, '}')
	}
	e.strOrNull("principalOrgId", id.PrincipalOrgID)
	e.strOrNull("userArn", id.UserARN)
	e.strOrNull("userId", id.UserID)
	e.out = append(e.out, "}}"...)
}

// strOrNull writes the member k: v, or null when v is empty.
func (e *eventBuilder) strOrNull(k, v string) {
	if v == "" {
		e.key(k)
		e.out = append(e.out, "null"...)
		return
	}
	e.str(k, v)
}

func (e *eventBuilder) v2() []byte {
	e.out = append(e.out, '{')
	e.str("version", "2.0")
	e.str("routeKey", e.routeKey())
	if e.g.Format == FormatFunctionURL {
		// A function URL keeps the path as sent (%2F stays %2F); an HTTP
		// API decodes it. Both decode requestContext.http.path.
		e.str("rawPath", e.r.URL.EscapedPath())
	} else {
		e.str("rawPath", e.r.URL.Path)
	}
	e.str("rawQueryString", e.r.URL.RawQuery)
	if c := e.cookies(); len(c) > 0 {
		e.value("cookies", c)
	}
	var buf [16]kvs
	hs := slices.DeleteFunc(e.headers(true, buf[:0]), func(h kvs) bool { return h.k == "cookie" })
	e.listMap("headers", hs, true)
	if q := e.query(false); len(q) > 0 {
		e.listMap("queryStringParameters", q, true)
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
	switch {
	case e.g.Authorizer != nil:
		e.value("authorizer", e.g.Authorizer)
	case e.g.Identity != nil:
		e.iamAuthorizer(e.g.Identity)
	}
	domain := e.domain()
	e.str("domainName", domain)
	prefix, _, _ := strings.Cut(domain, ".")
	e.str("domainPrefix", prefix)
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
	e.key("time")
	e.out = e.appendTime(t)
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
	path, ctxPath := e.r.URL.Path, e.r.URL.Path
	if e.g.Format == FormatRESTAPI {
		// A REST API delivers the path as sent, not decoded, with its
		// leading slashes made one, before the stage and after it.
		rest := stripPrefix(oneLeadingSlash(e.r.URL.EscapedPath()), "/"+stage)
		ctxPath, path = "/"+stage+rest, oneLeadingSlash(rest)
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
	var buf [16]kvs
	hs := e.headers(false, buf[:0])
	e.lastMap("headers", hs)
	e.listMap("multiValueHeaders", hs, false)
	q := e.query(false)
	e.lastMap("queryStringParameters", q)
	e.listMap("multiValueQueryStringParameters", q, false)
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
	if e.g.Format == FormatRESTAPI {
		e.str("deploymentId", "local")
	}
	domain := e.domain()
	e.str("domainName", domain)
	prefix, _, _ := strings.Cut(domain, ".")
	e.str("domainPrefix", prefix)
	id := e.requestID()
	e.str("extendedRequestId", or(e.g.ExtendedRequestID, id))
	e.str("httpMethod", e.r.Method)
	e.key("identity")
	if id := e.g.Identity; id != nil {
		// A signed request's caller; members it lacks are null.
		e.out = append(e.out, '{')
		e.strOrNull("accessKey", id.AccessKey)
		e.strOrNull("accountId", id.AccountID)
		e.strOrNull("caller", id.UserID)
		e.strOrNull("cognitoAuthenticationProvider", id.CognitoAuthenticationProvider)
		e.strOrNull("cognitoAuthenticationType", id.CognitoAuthenticationType)
		e.strOrNull("cognitoIdentityId", id.CognitoIdentityID)
		e.strOrNull("cognitoIdentityPoolId", id.CognitoIdentityPoolID)
		e.strOrNull("principalOrgId", id.PrincipalOrgID)
		e.str("sourceIp", e.sourceIP())
		e.strOrNull("user", id.UserID)
		e.str("userAgent", e.r.UserAgent())
		e.strOrNull("userArn", id.UserARN)
		e.out = append(e.out, '}')
	} else {
		// The identity of an unsigned request: its caller's members are null.
		e.out = append(e.out, `{"accessKey":null,"accountId":null,"caller":null,"cognitoAuthenticationProvider":null,"cognitoAuthenticationType":null,"cognitoIdentityId":null,"cognitoIdentityPoolId":null,"principalOrgId":null`...)
		e.str("sourceIp", e.sourceIP())
		e.key("user")
		e.out = append(e.out, "null"...)
		e.str("userAgent", e.r.UserAgent())
		e.key("userArn")
		e.out = append(e.out, "null}"...)
	}
	e.str("path", ctxPath)
	e.str("protocol", e.r.Proto)
	e.str("requestId", id)
	e.key("requestTime")
	e.out = e.appendTime(t)
	e.key("requestTimeEpoch")
	e.out = strconv.AppendInt(e.out, t.UnixMilli(), 10)
	e.str("resourceId", "local")
	e.str("resourcePath", resource)
	e.str("stage", stage)
	e.out = append(e.out, '}')
	e.bodyFields(true)
	return append(e.out, '}')
}

// oneLeadingSlash returns p with its leading slashes made one.
func oneLeadingSlash(p string) string {
	if len(p) > 1 && p[1] == '/' {
		return "/" + strings.TrimLeft(p, "/")
	}
	return p
}

func (e *eventBuilder) alb() []byte {
	e.out = append(e.out, `{"requestContext":{"elb":{"targetGroupArn":`...)
	e.out = jsonx.AppendString(e.out, "arn:aws:elasticloadbalancing:"+e.region()+":"+e.accountID()+":targetgroup/local/0000000000000000")
	e.out = append(e.out, "}}"...)
	e.str("httpMethod", e.r.Method)
	e.str("path", e.r.URL.EscapedPath())
	q := e.query(true)
	var buf [16]kvs
	hs := e.headers(true, buf[:0])
	if e.g.Format == FormatALBMultiValue {
		e.listMapOrEmpty("multiValueQueryStringParameters", q)
		e.listMapOrEmpty("multiValueHeaders", hs)
	} else {
		e.lastMapOrEmpty("queryStringParameters", q)
		e.lastMapOrEmpty("headers", hs)
	}
	e.bodyFields(false)
	return append(e.out, '}')
}

func (e *eventBuilder) listMapOrEmpty(k string, m []kvs) {
	if len(m) == 0 {
		e.key(k)
		e.out = append(e.out, "{}"...)
		return
	}
	e.listMap(k, m, false)
}

func (e *eventBuilder) lastMapOrEmpty(k string, m []kvs) {
	if len(m) == 0 {
		e.key(k)
		e.out = append(e.out, "{}"...)
		return
	}
	e.lastMap(k, m)
}

func (e *eventBuilder) lattice() []byte {
	e.out = append(e.out, '{')
	e.str("version", "2.0")
	e.str("path", e.r.URL.EscapedPath())
	e.str("method", e.r.Method)
	var buf [16]kvs
	e.listMapOrEmpty("headers", e.headers(true, buf[:0]))
	e.listMapOrEmpty("queryStringParameters", e.query(false))
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
// map[string]string, []string or json.RawMessage), as JSON.
func appendAny(out []byte, v any) []byte {
	switch v := v.(type) {
	case nil:
		return append(out, "null"...)
	case json.RawMessage:
		if len(v) == 0 {
			return append(out, "null"...) // as encoding/json writes it
		}
		return append(out, v...)
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
		var buf [16]string
		for _, k := range sortedMapKeys(v, buf[:0]) {
			out = jsonx.AppendKey(out, k)
			out = jsonx.AppendString(out, v[k])
		}
		return append(out, '}')
	case map[string]any:
		out = append(out, '{')
		var buf [16]string
		keys := buf[:0]
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

// sortedMapKeys appends the keys of m to keys, sorted.
func sortedMapKeys(m map[string]string, keys []string) []string {
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// NewRequestID returns a fresh request id in the UUID form AWS uses.
func NewRequestID() string {
	// Ids must be unique, not secret: the runtime's generator (ChaCha8,
	// seeded from the system) does, without crypto/rand's system call
	// per id, which a gateway would make on every request.
	var b [16]byte
	binary.LittleEndian.PutUint64(b[:8], rand.Uint64())
	binary.LittleEndian.PutUint64(b[8:], rand.Uint64())
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

// ErrUndecodableBody reports a response body flagged isBase64Encoded that
// is not base64, met where the gateway decodes it. A REST API answers 500
// rather than the 502 of a response it cannot read at all (see
// [DecodeRESTResponse]).
var ErrUndecodableBody = errors.New("adapter: body is flagged base64 but does not decode")

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
// response, as API Gateway infers: a JSON string gives its value, any
// other JSON its text; for HTTP API 2.0, an object with an errorMessage
// member, as a failed function's answer has, is malformed. REST and HTTP
// APIs take a statusCode given as a numeric string and header values that
// are any scalar. For REST APIs, statusCode defaults to 200 and a member
// besides statusCode, headers, multiValueHeaders, body and isBase64Encoded
// is malformed; for REST and HTTP API 1.0, multiValueHeaders' values must
// be arrays. Only the 2.0 formats (HTTP API 2.0, function URLs) have
// cookies. Anything the gateway would reject is an error wrapping
// [ErrMalformedResponse]; a body flagged isBase64Encoded is decoded, and one
// that does not decode is an error wrapping it and [ErrUndecodableBody].
// A REST API decodes such a body only for some requests: see
// [DecodeRESTResponse].
func DecodeResponse(f Format, payload []byte) (*Response, error) {
	resp := &Response{}
	if err := resp.Decode(f, payload); err != nil {
		return nil, err
	}
	return resp, nil
}

// Decode is [DecodeResponse] into r: it sets r's status and body and adds
// the response's headers to r.Header, as [http.Header.Add] would, making
// it if nil. A gateway can so decode straight into its ResponseWriter's
// header. On error r is left as it was.
func (r *Response) Decode(f Format, payload []byte) error {
	err := decodeResponse(f, payload, r, nil)
	if errors.Is(err, ErrUndecodableBody) {
		return fmt.Errorf("%w: %w", ErrMalformedResponse, err)
	}
	return err
}

// DecodeRESTResponse decodes a function's response to a REST API event as
// API Gateway answers the request whose Accept header is accept, for an API
// whose binary media types are binaryTypes (media types, "type/*" or
// "*/*"). It is [DecodeResponse] of [FormatRESTAPI] but for a body flagged
// isBase64Encoded: API Gateway decodes it only when the first media type
// of accept matches one of binaryTypes, and otherwise passes on the base64
// text as the function gave it. The media type is matched as written: an
// accept of "*/*" or "image/*" does not match "image/png", and an empty
// accept matches none. A body to decode that does not decode is an error
// wrapping [ErrUndecodableBody], for which API Gateway answers 500.
func DecodeRESTResponse(payload []byte, accept string, binaryTypes []string) (*Response, error) {
	resp := &Response{}
	binary := func() bool {
		mt := mediaType(accept)
		return mt != "" && matchMediaType(binaryTypes, mt)
	}
	if err := decodeResponse(FormatRESTAPI, payload, resp, binary); err != nil {
		return nil, err
	}
	return resp, nil
}

// responseBody is a response's body: body, decoded from base64 if b64.
func responseBody(body string, b64 bool) ([]byte, error) {
	if !b64 {
		return []byte(body), nil
	}
	b, err := base64.StdEncoding.DecodeString(body)
	if err != nil {
		return nil, ErrUndecodableBody
	}
	return b, nil
}

// decodeResponse decodes payload as DecodeResponse does into resp, adding
// its headers to resp.Header, and leaves resp as it was on error. A body
// flagged base64 is decoded when binary is nil or reports true; one that
// does not decode is ErrUndecodableBody, unwrapped.
func decodeResponse(f Format, payload []byte, resp *Response, binary func() bool) error {
	text := string(payload)
	infer := f == FormatHTTPAPIV2 || f == FormatFunctionURL
	// A REST API accepts only the members of its response format, with
	// a statusCode that defaults to 200, and multiValueHeaders' as arrays.
	strict := f == FormatRESTAPI
	// API Gateway, REST or HTTP, takes a statusCode that is a numeric
	// string and header values that are any scalar (LocalStack's tests
	// validated against AWS: test_apigateway_lambda.py,
	// test_apigateway_http.py).
	gateway := strict || f == FormatHTTPAPIV1 || f == FormatHTTPAPIV2
	inferred := func() error {
		if !jsonValid(text) {
			return fmt.Errorf("%w: not JSON", ErrMalformedResponse)
		}
		if f == FormatHTTPAPIV2 && hasMember(text, "errorMessage") {
			// What a failed function answers: HTTP APIs take it for one.
			return fmt.Errorf("%w: an errorMessage and no statusCode", ErrMalformedResponse)
		}
		body := text
		if r := jsonx.NewReader(text); r.Kind() == '"' {
			body = r.String()
		}
		if resp.Header == nil {
			resp.Header = make(http.Header, 1)
		}
		resp.Header.Add("Content-Type", "application/json")
		resp.StatusCode, resp.Body = http.StatusOK, []byte(body)
		return nil
	}
	r := jsonx.NewReader(text)
	if r.Kind() != '{' {
		if infer {
			return inferred()
		}
		return fmt.Errorf("%w: expected a JSON object", ErrMalformedResponse)
	}
	r.Object()
	var (
		status     int
		body       string
		b64        bool
		haveStatus bool
		buf        [8]field // for single, as most responses have few headers
		single     = buf[:0]
		multi      []field
		cookies    []string
		nullType   bool // headers gave Content-Type as null
	)
	for k, ok := r.Next(); ok; k, ok = r.Next() {
		switch k {
		case "statusCode":
			if r.Null() {
				continue
			}
			if gateway && r.Kind() == '"' {
				n, err := strconv.Atoi(r.String())
				if err != nil {
					r.Fail(errors.New("statusCode is not a number"))
				}
				status = n
			} else {
				status = r.Int()
			}
			haveStatus = true
		case "headers":
			if gateway {
				single = scalarMap(r, single, &nullType)
				continue
			}
			r.StringMap(func(k, v string) { single = append(single, field{k, v}) })
		case "multiValueHeaders":
			if strict || f == FormatHTTPAPIV1 {
				multi = arrayMap(r, multi)
				continue
			}
			r.StringOrArrayMap(func(k, v string) { multi = append(multi, field{k, v}) })
		case "cookies":
			if !f.hasCookies() {
				if strict {
					r.Fail(fmt.Errorf("unexpected member %q", k))
				}
				r.Skip()
				continue
			}
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
			if strict {
				r.Fail(fmt.Errorf("unexpected member %q", k))
			}
			r.Skip()
		}
	}
	r.End()
	if err := r.Err(); err != nil {
		// The reader stops at the first error, perhaps before statusCode:
		// whether to infer depends on the whole object, not member order.
		if infer && jsonValid(text) && !hasMember(text, "statusCode") {
			return inferred()
		}
		return fmt.Errorf("%w: %v", ErrMalformedResponse, err)
	}
	switch {
	case haveStatus:
	case infer:
		return inferred()
	case strict:
		status = http.StatusOK
	default:
		return fmt.Errorf("%w: no statusCode", ErrMalformedResponse)
	}
	if status < 100 || status > 599 {
		return fmt.Errorf("%w: statusCode %d", ErrMalformedResponse, status)
	}
	if b64 && binary != nil {
		b64 = binary()
	}
	decoded, err := responseBody(body, b64)
	if err != nil {
		return err
	}
	resp.StatusCode, resp.Body = status, decoded
	if resp.Header == nil {
		resp.Header = make(http.Header, len(single)+len(multi)+min(len(cookies), 1))
	}
	// multiValueHeaders win over headers for the same name, as API Gateway
	// merges them.
	var inMulti map[string]bool
	if len(multi) > 0 {
		inMulti = make(map[string]bool, len(multi))
	}
	for _, f := range multi {
		k := http.CanonicalHeaderKey(f.k)
		inMulti[k] = true
		resp.Header[k] = append(resp.Header[k], f.v)
	}
	// Names in headers are distinct (a JSON object's members), but for
	// their case: one backing array holds a value each, in slices capped so
	// that a name met again appends to a copy.
	vals := make([]string, len(single))
	for i, f := range single {
		if k := http.CanonicalHeaderKey(f.k); !inMulti[k] {
			if vs, ok := resp.Header[k]; ok {
				resp.Header[k] = append(vs, f.v)
			} else {
				vals[i] = f.v
				resp.Header[k] = vals[i : i+1 : i+1]
			}
		}
	}
	for _, c := range cookies {
		resp.Header.Add("Set-Cookie", c)
	}
	if _, ok := resp.Header["Content-Type"]; strict && nullType && !ok {
		// A REST API adds no Content-Type of its own to a response
		// that gives it as null (aws/aws-sam-cli#1218): present and
		// empty, it also keeps net/http from sniffing one.
		resp.Header["Content-Type"] = nil
	}
	return nil
}

// scalarMap reads an object of scalars (null: none) into fs, numbers and
// booleans as their JSON text.
func scalarMap(r *jsonx.Reader, fs []field, nullType *bool) []field {
	if !r.Object() {
		return fs
	}
	for k, ok := r.Next(); ok; k, ok = r.Next() {
		if r.Kind() == 'n' && strings.EqualFold(k, "Content-Type") {
			*nullType = true
		}
		fs = appendScalar(r, fs, k, "header %q is not a scalar")
	}
	return fs
}

// appendScalar reads a scalar (null: none) as header k's value into fs,
// numbers and booleans as their JSON text; anything else fails r with
// the message format notScalar, which names k.
func appendScalar(r *jsonx.Reader, fs []field, k, notScalar string) []field {
	switch r.Kind() {
	case 'n':
		r.Null()
	case '"':
		fs = append(fs, field{k, r.String()})
	case 't', 'f':
		fs = append(fs, field{k, strconv.FormatBool(r.Bool())})
	case '0':
		fs = append(fs, field{k, r.NumberText()})
	default:
		r.Fail(fmt.Errorf(notScalar, k))
	}
	return fs
}

// arrayMap reads an object of arrays of scalars (null: none) into fs.
func arrayMap(r *jsonx.Reader, fs []field) []field {
	if !r.Object() {
		return fs
	}
	for k, ok := r.Next(); ok; k, ok = r.Next() {
		switch r.Kind() {
		case 'n':
			r.Null()
		case '[':
			r.Array()
			for r.More() {
				fs = appendScalar(r, fs, k, "a value of header %q is not a scalar")
			}
		default:
			r.Fail(fmt.Errorf("header %q is not an array", k))
		}
	}
	return fs
}

// hasMember reports whether s is a JSON object with a member named name.
func hasMember(s, name string) bool {
	r := jsonx.NewReader(s)
	if r.Kind() != '{' || !r.Object() {
		return false
	}
	for k, ok := r.Next(); ok; k, ok = r.Next() {
		if k == name {
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
//
// The Content-Length sent is the body's length. A response without a body
// keeps the Content-Length the function set, as the answer to a HEAD
// request does (the length of the body it would have had); with none set,
// w's server adds its own (net/http's: 0, but none for HEAD).
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
	switch {
	case len(resp.Body) > 0:
		h.Set("Content-Length", strconv.Itoa(len(resp.Body)))
	case !validContentLength(h["Content-Length"]):
		// As net/http's server would drop it (and log why).
		delete(h, "Content-Length")
	}
	w.WriteHeader(resp.StatusCode)
	if len(resp.Body) == 0 {
		return nil
	}
	_, err = w.Write(resp.Body)
	return err
}

// validContentLength reports whether vs, the values of a Content-Length
// header, are one non-negative decimal number, or none.
func validContentLength(vs []string) bool {
	if len(vs) == 0 {
		return true
	}
	if len(vs) > 1 || vs[0] == "" {
		return false
	}
	for i := 0; i < len(vs[0]); i++ {
		if c := vs[0][i]; c < '0' || c > '9' {
			return false
		}
	}
	_, err := strconv.ParseInt(vs[0], 10, 64)
	return err == nil
}
