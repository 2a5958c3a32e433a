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
	"unsafe"
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

// requestTarget returns the request-target as a client would have sent it
// (path and query) and RemoteAddr as a server would set it, carved from a.
func (h *Handler) requestTarget(ev *event, a *byteArena) (target, remoteAddr string) {
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
	fromFields := !ev.useRaw && len(ev.query) > 0
	if !fromFields && q == "" && ev.sourceIP == "" {
		return p, ""
	}
	n := len(p) + 1 + len(q) + len(ev.sourceIP) + 4
	if fromFields {
		for _, f := range ev.query {
			n += len(f.k) + len(f.v) + 2 // most need no escaping
		}
	}
	if !fromFields && q == "" {
		n = len(ev.sourceIP) + 4 // the target is p itself
	}
	a.reserve(n)
	start := len(a.buf)
	if fromFields || q != "" {
		a.buf = append(a.buf, p...)
		a.buf = append(a.buf, '?')
		if fromFields {
			for i, f := range ev.query {
				if i > 0 {
					a.buf = append(a.buf, '&')
				}
				if ev.queryRaw {
					a.buf = append(a.buf, f.k...)
					a.buf = append(a.buf, '=')
					a.buf = append(a.buf, f.v...)
				} else {
					a.buf = append(a.buf, url.QueryEscape(f.k)...)
					a.buf = append(a.buf, '=')
					a.buf = append(a.buf, url.QueryEscape(f.v)...)
				}
			}
		} else {
			a.buf = append(a.buf, q...)
		}
		if len(a.buf)-start == len(p)+1 {
			a.buf = a.buf[:start+len(p)] // an empty query: no '?'
		}
	}
	end := len(a.buf)
	if ev.sourceIP != "" {
		if strings.IndexByte(ev.sourceIP, ':') >= 0 {
			a.buf = append(a.buf, '[')
			a.buf = append(a.buf, ev.sourceIP...)
			a.buf = append(a.buf, "]:0"...)
		} else {
			a.buf = append(a.buf, ev.sourceIP...)
			a.buf = append(a.buf, ":0"...)
		}
	}
	// (Had escaping outgrown the room reserved, append moved the bytes
	// written since start to a new array; those handed out before stay.)
	all := a.since(start)
	if end == start {
		return p, all
	}
	return all[:end-start], all[end-start:]
}

// parseRequestURI sets *u to url.ParseRequestURI(target), without
// allocating for the targets requestTarget builds most: a path of
// characters that need no escaping, and a query without control
// characters. (TestParseRequestURI holds it to url.ParseRequestURI.)
func parseRequestURI(u *url.URL, target string) error {
	p, q, hasQuery := strings.Cut(target, "?")
	fast := len(p) > 0 && p[0] == '/' && !(hasQuery && q == "")
	for i := 0; i < len(p) && fast; i++ {
		c := p[i]
		fast = 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
			strings.IndexByte("-_.~$&+,/:;=@", c) >= 0
	}
	for i := 0; i < len(q) && fast; i++ {
		fast = q[i] >= ' ' && q[i] != 0x7f
	}
	if fast {
		*u = url.URL{Path: p, RawQuery: q}
		return nil
	}
	v, err := url.ParseRequestURI(target)
	if err != nil {
		return err
	}
	*u = *v
	return nil
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
//
// The request's URL and some of its strings live in c (see requestCtx),
// whose context ctx must be, or wrap.
func (h *Handler) newRequest(ctx context.Context, ev *event, c *requestCtx) (*http.Request, error) {
	if !validMethod(ev.method) {
		return nil, &badRequest{"invalid method " + strconv.Quote(ev.method)}
	}
	arena := byteArena{buf: c.bytes[:0]}
	target, remoteAddr := h.requestTarget(ev, &arena)
	if err := parseRequestURI(&c.url, target); err != nil {
		return nil, &badRequest{"invalid request path: " + err.Error()}
	}
	u := &c.url

	var data string
	if ev.base64 {
		b, err := base64.StdEncoding.DecodeString(ev.body)
		if err != nil {
			return nil, &badRequest{"body is flagged base64 but does not decode: " + err.Error()}
		}
		data = unsafe.String(unsafe.SliceData(b), len(b)) // b is not written again
	} else {
		data = ev.body
	}

	// Built on the stack and copied once by WithContext, which is the
	// only way to set a request's context: new(Request) followed by
	// WithContext would allocate it twice.
	r := http.Request{
		Method:        ev.method,
		URL:           u,
		RequestURI:    target,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Host:          ev.domain,
		RemoteAddr:    remoteAddr,
		ContentLength: int64(len(data)),
		Body:          http.NoBody,
	}
	if ev.protocol != "" {
		if major, minor, ok := http.ParseHTTPVersion(ev.protocol); ok {
			r.Proto, r.ProtoMajor, r.ProtoMinor = ev.protocol, major, minor
		}
	}

	// Room for every name (a bound: repeated names take less), the Cookie
	// header and Content-Length, so that the map never grows; but for
	// Host and Transfer-Encoding, which it does not hold, so that a
	// request of eight headers and a Host gets a map of eight (Go makes a
	// larger kind of map for a hint over eight).
	n := len(ev.headers)
	if ev.hmulti != nil {
		n = len(ev.hmulti)
	} else if ev.hsingle != nil {
		n = len(ev.hsingle)
	} else {
		for _, f := range ev.headers {
			if (len(f.k) == 4 && strings.EqualFold(f.k, "Host")) || (len(f.k) == 17 && strings.EqualFold(f.k, "Transfer-Encoding")) {
				n--
			}
		}
	}
	if len(ev.cookies) > 0 {
		n++
	}
	if len(data) > 0 {
		n++
	}
	r.Header = make(http.Header, n)
	// The header values share backing arrays, c.vals first; each header's
	// slice is capped so that a later append copies rather than
	// overwrites.
	vals := valueArena{buf: c.vals[:0], want: n}
	var (
		host    string
		hasHost bool
		mixed   bool
	)
	if ev.hmulti != nil || ev.hsingle != nil {
		host, hasHost, mixed = fillHeaderMaps(r.Header, &vals, ev.hsingle, ev.hmulti, &arena)
		if mixed {
			// Two names differ only in case, and came from a Go map in
			// random order: sort them, so that which Host wins, and the
			// order of the values merged under one name, are the same
			// every time.
			ev.setHeaders(ev.hsingle, ev.hmulti)
			clear(r.Header)
			host, hasHost, _ = fillHeader(r.Header, &vals, ev.headers, &arena)
		}
	} else {
		host, hasHost, _ = fillHeader(r.Header, &vals, ev.headers, &arena)
	}
	if hasHost {
		r.Host = host
	}
	if len(ev.cookies) > 0 {
		r.Header["Cookie"] = vals.add(strings.Join(ev.cookies, "; "))
	}
	if len(data) > 0 {
		b := &body{}
		b.Reset(data)
		r.Body = b
		if _, ok := r.Header["Content-Length"]; !ok {
			r.Header["Content-Length"] = vals.add(strconv.Itoa(len(data)))
		}
	}
	if v := r.Header["Connection"]; len(v) > 0 && strings.EqualFold(strings.TrimSpace(v[0]), "close") {
		r.Close = true
	}
	return r.WithContext(ctx), nil
}

// A valueArena hands out the backing arrays of header values: from buf
// while it has room, then from an allocation sized for the want values
// still expected.
type valueArena struct {
	buf  []string
	want int
}

// add returns a slice holding vs, capped.
func (a *valueArena) add(vs ...string) []string {
	if cap(a.buf)-len(a.buf) < len(vs) {
		a.buf = make([]string, 0, max(a.want, len(vs)))
	}
	start := len(a.buf)
	a.buf = append(a.buf, vs...)
	a.want -= len(vs)
	return a.buf[start:len(a.buf):len(a.buf)]
}

// fillHeader adds fs to hdr as a server would: names canonicalised
// (those canonicalKey must build, carved from a), each name's values in
// order (from vals), Host (its first value, returned) and
// Transfer-Encoding left out. mixed reports two spellings of one name
// (such as "Accept" and "accept"), whose merged order depends on the
// order of fs.
func fillHeader(hdr http.Header, vals *valueArena, fs []field, a *byteArena) (host string, hasHost, mixed bool) {
	prev := ""
	for _, f := range fs {
		k := canonicalKey(f.k, a)
		switch k {
		case "Host":
			if !hasHost {
				host, hasHost = f.v, true
			} else if f.k != prev {
				mixed = true
			}
			prev = f.k
			continue
		case "Transfer-Encoding":
			prev = f.k
			continue // the gateway delivered the whole body
		}
		if old, ok := hdr[k]; ok {
			if f.k != prev {
				mixed = true
			}
			hdr[k] = append(old, f.v)
			prev = f.k
			continue
		}
		prev = f.k
		hdr[k] = vals.add(f.v)
	}
	return host, hasHost, mixed
}

// fillHeaderMaps is fillHeader for the members of a single-value and a
// multi-value header map (preferring the multi-value one when present),
// as aws-lambda-go's event types carry them, without listing them first.
// It stops at the first name spelt two ways, reporting mixed: the maps'
// order is random, so the caller must then sort their members (see
// setHeaders) and use fillHeader.
func fillHeaderMaps(hdr http.Header, vals *valueArena, single map[string]string, multi map[string][]string, a *byteArena) (host string, hasHost, mixed bool) {
	add := func(rk string, vs []string) bool {
		switch k := canonicalKey(rk, a); k {
		case "Host":
			if hasHost {
				return false
			}
			host, hasHost = vs[0], true
		case "Transfer-Encoding":
			// the gateway delivered the whole body
		default:
			// A name met before leaves the map's length unchanged: the
			// caller then starts over, so overwriting its values is fine,
			// and saves a lookup.
			n := len(hdr)
			hdr[k] = vals.add(vs...)
			if len(hdr) == n {
				return false
			}
		}
		return true
	}
	if multi != nil {
		for k, vs := range multi {
			if len(vs) > 0 && !add(k, vs) {
				return "", false, true
			}
		}
		return host, hasHost, false
	}
	var one [1]string
	for k, v := range single {
		one[0] = v
		if !add(k, one[:]) {
			return "", false, true
		}
	}
	return host, hasHost, false
}

// canonicalKey canonicalises a header name as net/http's server does
// (textproto.CanonicalMIMEHeaderKey), without allocating for names that
// are canonical already or spellings of the names gateways send most: API
// Gateway passes on CloudFront's "CloudFront-Is-Mobile-Viewer", whose
// canonical form is "Cloudfront-Is-Mobile-Viewer", and HTTP APIs send
// every name in lower case. Other canonical forms are carved from a.
func canonicalKey(k string, a *byteArena) string {
	upper := true
	for i := 0; i < len(k); i++ {
		switch c := k[i]; {
		case 'a' <= c && c <= 'z':
			if upper {
				return recase(k, a)
			}
		case 'A' <= c && c <= 'Z':
			if !upper {
				return recase(k, a)
			}
		case '0' <= c && c <= '9', c == '-':
		default:
			// Other bytes change textproto's rules.
			return textproto.CanonicalMIMEHeaderKey(k)
		}
		upper = k[i] == '-'
	}
	return k
}

// recase returns the canonical form of k, which is not canonical.
func recase(k string, a *byteArena) string {
	if c, ok := commonKeys[k]; ok {
		return c
	}
	if len(k) > maxCommonKeyLen {
		return textproto.CanonicalMIMEHeaderKey(k)
	}
	var buf [maxCommonKeyLen]byte
	upper := true
	for i := 0; i < len(k); i++ {
		switch c := k[i]; {
		case 'a' <= c && c <= 'z':
			if upper {
				c -= 'a' - 'A'
			}
			buf[i] = c
		case 'A' <= c && c <= 'Z':
			if !upper {
				c += 'a' - 'A'
			}
			buf[i] = c
		case '0' <= c && c <= '9', c == '-':
			buf[i] = c
		default:
			return textproto.CanonicalMIMEHeaderKey(k)
		}
		upper = buf[i] == '-'
	}
	if c, ok := commonKeys[string(buf[:len(k)])]; ok {
		return c
	}
	return a.string(buf[:len(k)])
}

// A byteArena hands out strings carved from one buffer, so that a
// request's short strings cost one allocation together, or none when the
// buffer is the request's own (requestCtx.bytes). Bytes handed out are
// never written again.
type byteArena struct{ buf []byte }

// string returns a string holding p.
func (a *byteArena) string(p []byte) string {
	if len(p) == 0 {
		return ""
	}
	a.reserve(len(p))
	start := len(a.buf)
	a.buf = append(a.buf, p...)
	return a.since(start)
}

// reserve makes room for n more bytes without moving those handed out.
func (a *byteArena) reserve(n int) {
	if cap(a.buf)-len(a.buf) < n {
		a.buf = make([]byte, 0, max(n, 128))
	}
}

// since returns the bytes appended to a.buf from offset start as a
// string.
func (a *byteArena) since(start int) string {
	b := a.buf[start:]
	return unsafe.String(unsafe.SliceData(b), len(b))
}

// lowerKeys maps the canonical form of the names of commonKeys to their
// lower case, for NewEvent.
var lowerKeys = func() map[string]string {
	m := map[string]string{}
	for _, c := range commonKeys {
		m[c] = strings.ToLower(c)
	}
	return m
}()

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
	// How CloudFront spells the names it adds, which API Gateway REST
	// APIs pass on.
	for _, k := range []string{
		"CloudFront-Forwarded-Proto", "CloudFront-Is-Desktop-Viewer", "CloudFront-Is-Mobile-Viewer",
		"CloudFront-Is-SmartTV-Viewer", "CloudFront-Is-Tablet-Viewer", "CloudFront-Viewer-Country",
	} {
		m[k] = textproto.CanonicalMIMEHeaderKey(k)
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
