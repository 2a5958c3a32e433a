package adapter

import (
	"context"
	"encoding/base64"
	"errors"
	"net/http"
	"net/textproto"
	"net/url"
	"strconv"
	"strings"
)

// badRequest is an event that names an HTTP request the adapter cannot
// build; the function answers it with 400, as a server would.
type badRequest struct{ reason string }

func (e *badRequest) Error() string { return "adapter: bad request: " + e.reason }

// body is a request body read from the event.
type body struct{ strings.Reader }

func (*body) Close() error { return nil }

// requestPath returns the path the handler should see: the event's path
// with the stage (where the gateway includes it) and any configured base
// path removed, on segment boundaries only.
func (h *Handler) requestPath(ev *event) string {
	p := ev.path
	if p == "" || p[0] != '/' {
		p = "/" + p
	}
	if !h.opts.keepStage && ev.stage != "" && ev.stage != "$default" &&
		(ev.format == FormatHTTPAPIV2 || ev.format == FormatHTTPAPIV1) {
		p = stripPrefix(p, "/"+ev.stage)
	}
	for _, bp := range h.opts.basePaths {
		if q := stripPrefix(p, bp); len(q) != len(p) {
			p = q
			break
		}
	}
	return p
}

// stripPrefix removes prefix from p when it ends on a segment boundary:
// "/api" is stripped from "/api" and "/api/x", never from "/apiary".
func stripPrefix(p, prefix string) string {
	if !strings.HasPrefix(p, prefix) {
		return p
	}
	rest := p[len(prefix):]
	switch {
	case rest == "":
		return "/"
	case rest[0] == '/':
		return rest
	}
	return p
}

// requestTarget returns the request-target as a client would have sent it:
// path and query.
func (h *Handler) requestTarget(ev *event) string {
	p := h.requestPath(ev)
	// HTTP APIs deliver the path decoded; other sources may keep it as
	// sent, and the event does not say which. A path that cannot be a
	// percent-encoded one (it holds '?', '#', a space, a control or
	// non-ASCII byte, or a '%' that starts no escape) was decoded: escape
	// it whole, so that the handler sees the path the client sent rather
	// than a 400 or a malformed RawPath. Any other path is read as encoded.
	if !validEncodedPath(p) {
		p = (&url.URL{Path: p}).EscapedPath()
	}
	q := ev.rawQuery
	if !ev.useRaw && len(ev.query) > 0 {
		var b strings.Builder
		for i, f := range ev.query {
			if i > 0 {
				b.WriteByte('&')
			}
			if ev.queryRaw {
				b.WriteString(f.k)
				b.WriteByte('=')
				b.WriteString(f.v)
			} else {
				b.WriteString(url.QueryEscape(f.k))
				b.WriteByte('=')
				b.WriteString(url.QueryEscape(f.v))
			}
		}
		q = b.String()
	}
	if q == "" {
		return p
	}
	return p + "?" + q
}

// validEncodedPath reports whether p could be a path as a client sends it:
// RFC 3986 path characters (and '[', ']', which net/url leaves alone) and
// well-formed %XX escapes only.
func validEncodedPath(p string) bool {
	for i := 0; i < len(p); i++ {
		switch c := p[i]; {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case strings.IndexByte("-._~!$&'()*+,;=:@/[]", c) >= 0:
		case c == '%':
			if i+2 >= len(p) || !isHex(p[i+1]) || !isHex(p[i+2]) {
				return false
			}
			i += 2
		default:
			return false
		}
	}
	return true
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// newRequest builds the *http.Request a net/http server would have handed
// the handler for the request the event describes.
func (h *Handler) newRequest(ctx context.Context, ev *event) (*http.Request, error) {
	if !validMethod(ev.method) {
		return nil, &badRequest{"invalid method " + strconv.Quote(ev.method)}
	}
	target := h.requestTarget(ev)
	u, err := url.ParseRequestURI(target)
	if err != nil {
		return nil, &badRequest{"invalid request path: " + err.Error()}
	}

	req := &http.Request{
		Method:     ev.method,
		URL:        u,
		RequestURI: target,
		Proto:      "HTTP/1.1",
		ProtoMajor: 1,
		ProtoMinor: 1,
		Header:     make(http.Header, len(ev.headers)+2),
		Host:       ev.domain,
	}
	if ev.protocol != "" {
		if major, minor, ok := http.ParseHTTPVersion(ev.protocol); ok {
			req.Proto, req.ProtoMajor, req.ProtoMinor = ev.protocol, major, minor
		}
	}

	// One backing array holds every header value; each header's slice is
	// capped so that a later append copies rather than overwrites.
	vals := make([]string, 0, len(ev.headers)+2)
	hostSet := false
	for _, f := range ev.headers {
		k := canonicalKey(f.k)
		switch k {
		case "Host":
			if !hostSet {
				req.Host, hostSet = f.v, true
			}
			continue
		case "Transfer-Encoding":
			continue // the gateway delivered the whole body
		}
		if old, ok := req.Header[k]; ok {
			req.Header[k] = append(old, f.v)
			continue
		}
		vals = append(vals, f.v)
		req.Header[k] = vals[len(vals)-1 : len(vals) : len(vals)]
	}
	if len(ev.cookies) > 0 {
		req.Header["Cookie"] = []string{strings.Join(ev.cookies, "; ")}
	}

	var data string
	if ev.base64 {
		b, err := base64.StdEncoding.DecodeString(ev.body)
		if err != nil {
			return nil, &badRequest{"body is flagged base64 but does not decode: " + err.Error()}
		}
		data = string(b)
	} else {
		data = ev.body
	}
	req.ContentLength = int64(len(data))
	if len(data) == 0 {
		req.Body = http.NoBody
	} else {
		b := &body{}
		b.Reset(data)
		req.Body = b
		if _, ok := req.Header["Content-Length"]; !ok {
			req.Header["Content-Length"] = []string{strconv.Itoa(len(data))}
		}
	}
	if v := req.Header["Connection"]; len(v) > 0 && strings.EqualFold(strings.TrimSpace(v[0]), "close") {
		req.Close = true
	}
	if ev.sourceIP != "" {
		if strings.IndexByte(ev.sourceIP, ':') >= 0 {
			req.RemoteAddr = "[" + ev.sourceIP + "]:0"
		} else {
			req.RemoteAddr = ev.sourceIP + ":0"
		}
	}
	return req.WithContext(ctx), nil
}

// canonicalKey canonicalises a header name as net/http's server does,
// without allocating for the names gateways send most, in any case:
// API Gateway passes on CloudFront's "CloudFront-Is-Mobile-Viewer", whose
// canonical form is "Cloudfront-Is-Mobile-Viewer".
func canonicalKey(k string) string {
	if c, ok := commonKeys[k]; ok {
		return c
	}
	// For a name of letters, digits and hyphens, the canonical form is
	// that of its lower-case spelling, which commonKeys holds. (Other
	// bytes change textproto's rules, so those names take the slow path.)
	if len(k) <= maxCommonKeyLen {
		var buf [maxCommonKeyLen]byte
		token := true
		for i := 0; i < len(k) && token; i++ {
			switch c := k[i]; {
			case 'A' <= c && c <= 'Z':
				buf[i] = c + ('a' - 'A')
			case 'a' <= c && c <= 'z', '0' <= c && c <= '9', c == '-':
				buf[i] = c
			default:
				token = false
			}
		}
		if token {
			if c, ok := commonKeys[string(buf[:len(k)])]; ok {
				return c
			}
		}
	}
	return textproto.CanonicalMIMEHeaderKey(k)
}

// maxCommonKeyLen is the longest name canonicalKey looks up in any case;
// it covers every name in commonKeys.
const maxCommonKeyLen = 32

var commonKeys = func() map[string]string {
	m := map[string]string{}
	for _, k := range []string{
		"Accept", "Accept-Charset", "Accept-Encoding", "Accept-Language", "Authorization",
		"Cache-Control", "Cloudfront-Forwarded-Proto", "Cloudfront-Is-Desktop-Viewer",
		"Cloudfront-Is-Mobile-Viewer", "Cloudfront-Is-Smarttv-Viewer", "Cloudfront-Is-Tablet-Viewer",
		"Cloudfront-Viewer-Country", "Connection", "Content-Encoding", "Content-Length",
		"Content-Type", "Cookie", "Host", "If-Match", "If-Modified-Since", "If-None-Match",
		"Origin", "Pragma", "Referer", "Upgrade-Insecure-Requests", "User-Agent", "Via",
		"X-Amz-Cf-Id", "X-Amz-Date", "X-Amz-Security-Token", "X-Amzn-Trace-Id", "X-Api-Key",
		"X-Forwarded-For", "X-Forwarded-Port", "X-Forwarded-Proto", "X-Requested-With",
		"Sec-Fetch-Dest", "Sec-Fetch-Mode", "Sec-Fetch-Site", "Sec-Fetch-User",
		"Sec-Ch-Ua", "Sec-Ch-Ua-Mobile", "Sec-Ch-Ua-Platform", "Idempotency-Key", "Transfer-Encoding",
	} {
		m[k] = k
		m[strings.ToLower(k)] = k
	}
	return m
}()

// validMethod reports whether m is an HTTP token, as net/http requires.
func validMethod(m string) bool {
	if m == "" {
		return false
	}
	for i := 0; i < len(m); i++ {
		c := m[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte(`()<>@,;:\"/[]?={}`, c) >= 0 {
			return false
		}
	}
	return true
}

var errResponseTooLarge = errors.New("adapter: response too large")
