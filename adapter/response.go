package adapter

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/textproto"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
	"unsafe"

	"github.com/faasport/faasport/internal/jsonx"
)

// MaxResponseSize is Lambda's limit on a synchronous invocation's response
// payload, in the figure Lambda's error message gives.
const MaxResponseSize = 6291556

// sniffLen is how many bytes http.DetectContentType looks at.
const sniffLen = 512

// responseWriter records a handler's response with net/http's server
// semantics: the first WriteHeader wins, headers are fixed when it is
// called, Content-Type is sniffed when unset, and statuses that forbid a
// body refuse one.
//
// Headers are fixed without copying them: WriteHeader notes the header
// map's contents in pooled buffers, and finish uses the map itself when
// the handler left it as it was then (as nearly all do), or a copy rebuilt
// from the notes when it changed it afterwards.
type responseWriter struct {
	header  http.Header
	final   http.Header // the header as of WriteHeader
	status  int
	wrote   bool
	head    bool // a HEAD request: the body is not sent, only sniffed
	headN   int  // bytes written to a HEAD response
	flushed int  // bytes written before the first Flush, or -1
	body    bytes.Buffer
	over    bool // the body passed MaxResponseSize

	noted    bool         // final is header, as noted in notes
	notes    []headerNote // header's names at WriteHeader
	noteVals []string     // and their values, one note after another
	resp     response     // what serve hands to emit
}

// headerNote is one header name and its number of values, as of
// WriteHeader; nil values (which http.Header.Clone keeps nil) have n -1.
type headerNote struct {
	k string
	n int
}

func (n headerNote) len() int { return max(n.n, 0) }

var writerPool = sync.Pool{New: func() any { return new(responseWriter) }}

func newResponseWriter(method string) *responseWriter {
	w := writerPool.Get().(*responseWriter)
	w.header = make(http.Header, 4)
	w.final = nil
	w.status = 0
	w.wrote = false
	w.head = method == http.MethodHead
	w.headN = 0
	w.flushed = -1
	w.over = false
	w.noted = false
	w.body.Reset()
	return w
}

func (w *responseWriter) release() {
	if w.body.Cap() > 64<<10 {
		w.body = bytes.Buffer{}
	}
	w.header, w.final = nil, nil
	if cap(w.notes) > 64 || cap(w.noteVals) > 256 {
		w.notes, w.noteVals = nil, nil
	}
	clear(w.notes[:cap(w.notes)])
	clear(w.noteVals[:cap(w.noteVals)])
	w.notes, w.noteVals = w.notes[:0], w.noteVals[:0]
	w.resp = response{}
	writerPool.Put(w)
}

func (w *responseWriter) Header() http.Header { return w.header }

func (w *responseWriter) WriteHeader(code int) {
	// net/http panics on codes outside 100-999; so do we, and the adapter
	// turns the panic into a 500 as it does any other.
	if code < 100 || code > 999 {
		panic(fmt.Sprintf("invalid WriteHeader code %v", code))
	}
	if w.wrote {
		return // superfluous, as net/http logs and ignores
	}
	if code >= 100 && code <= 199 && code != http.StatusSwitchingProtocols {
		return // informational responses are not the final response
	}
	w.wrote = true
	w.status = code
	// Where net/http's server would clone the header, note it instead
	// (see fixedHeader).
	w.final = w.header
	w.noted = true
	w.notes, w.noteVals = w.notes[:0], w.noteVals[:0]
	for k, vs := range w.header {
		n := len(vs)
		if vs == nil {
			n = -1
		}
		w.notes = append(w.notes, headerNote{k, n})
		w.noteVals = append(w.noteVals, vs...)
	}
}

// fixedHeader returns the header as it was when WriteHeader was called:
// the handler's map when it still holds exactly the noted names and
// values, else a copy rebuilt from the notes.
func (w *responseWriter) fixedHeader() http.Header {
	w.noted = false
	if len(w.header) == len(w.notes) {
		same, i := true, 0
		for _, n := range w.notes {
			vs, ok := w.header[n.k]
			if !ok || (vs == nil) != (n.n < 0) || !slices.Equal(vs, w.noteVals[i:i+n.len()]) {
				same = false
				break
			}
			i += n.len()
		}
		if same {
			return w.header
		}
	}
	// As http.Header.Clone does: one array for the values, each header's
	// slice capped.
	h := make(http.Header, len(w.notes))
	vals := slices.Clone(w.noteVals)
	i := 0
	for _, n := range w.notes {
		if n.n < 0 {
			h[n.k] = nil
			continue
		}
		h[n.k] = vals[i : i+n.n : i+n.n]
		i += n.n
	}
	return h
}

func (w *responseWriter) Write(p []byte) (int, error) {
	if !w.wrote {
		w.WriteHeader(http.StatusOK)
	}
	if !bodyAllowed(w.status) {
		return 0, http.ErrBodyNotAllowed
	}
	if w.head {
		w.headN += len(p)
		w.keepForSniffing(p)
		return len(p), nil
	}
	if w.over || w.body.Len()+len(p) > MaxResponseSize {
		w.over = true
		return 0, errResponseTooLarge
	}
	return w.body.Write(p)
}

func (w *responseWriter) WriteString(s string) (int, error) {
	if !w.wrote {
		w.WriteHeader(http.StatusOK)
	}
	if !bodyAllowed(w.status) {
		return 0, http.ErrBodyNotAllowed
	}
	if w.head {
		w.headN += len(s)
		if w.flushed < 0 && w.body.Len() < sniffLen {
			w.keepForSniffing([]byte(s[:min(len(s), sniffLen)]))
		}
		return len(s), nil
	}
	if w.over || w.body.Len()+len(s) > MaxResponseSize {
		w.over = true
		return 0, errResponseTooLarge
	}
	return w.body.WriteString(s)
}

// keepForSniffing keeps the first bytes written before any Flush to a HEAD
// response, whose body is not sent, for finish to sniff its Content-Type
// as net/http's server does; serve drops them from the response.
func (w *responseWriter) keepForSniffing(p []byte) {
	if w.flushed < 0 && w.body.Len() < sniffLen {
		w.body.Write(p[:min(len(p), sniffLen-w.body.Len())])
	}
}

// Flush commits the status and headers, as net/http's Flush does. The
// buffered event formats have no way to send the body early.
func (w *responseWriter) Flush() {
	if !w.wrote {
		w.WriteHeader(http.StatusOK)
	}
	if w.flushed < 0 {
		w.flushed = w.body.Len()
	}
}

// finish completes the response as net/http's server does when the
// handler returns, and returns the status and headers to send.
func (w *responseWriter) finish() (int, http.Header) {
	if !w.wrote {
		w.WriteHeader(http.StatusOK)
	}
	if w.noted {
		w.final = w.fixedHeader()
	}
	h := w.final
	cleanHeader(h)
	if !bodyAllowed(w.status) {
		if w.status == http.StatusNotModified {
			delete(h, "Content-Type")
		}
		delete(h, "Content-Length")
		delete(h, "Transfer-Encoding")
		return w.status, h
	}
	_, haveType := h["Content-Type"]
	if !haveType && first(h["Content-Encoding"]) == "" && w.body.Len() > 0 {
		p := w.body.Bytes()
		if w.flushed > 0 {
			p = p[:w.flushed]
		}
		if w.flushed != 0 {
			h["Content-Type"] = []string{http.DetectContentType(p[:min(len(p), sniffLen)])}
		}
	}
	return w.status, h
}

// headBuffer is the size of the buffer of net/http's server in front of
// the connection (bufferBeforeChunkingSize): a response that fits in it
// when the handler returns is sent with its length known.
const headBuffer = 2048

// setHeadLength sets the Content-Length of the answer to a HEAD request
// as net/http's server does, from n, the bytes the handler wrote. The
// server sends the length of the body the handler wrote, though it sends
// no body, when the handler returned before anything committed the head:
// it set no Content-Length, Transfer-Encoding or Trailer of its own, did
// not Flush, and wrote between 1 byte (none could mean it just skipped
// the body of a HEAD) and what the server's buffer holds.
func setHeadLength(h http.Header, status, n int, flushed bool) {
	if n == 0 || n > headBuffer || flushed || !bodyAllowed(status) {
		return
	}
	for _, k := range [...]string{"Content-Length", "Transfer-Encoding", "Trailer"} {
		if _, ok := h[k]; ok {
			return
		}
	}
	h["Content-Length"] = []string{strconv.Itoa(n)}
}

// cleanHeader makes h what net/http's server would send of it
// (Header.writeSubset): it drops names that are not HTTP tokens, and
// in values turns CR and LF into spaces and trims the white space around
// them. A value is changed in a copy of its slice, which the handler may
// share.
func cleanHeader(h http.Header) {
	for k, vs := range h {
		if !validHeaderName(k) {
			delete(h, k)
			continue
		}
		for i, v := range vs {
			if cleanValue(v) == v {
				continue
			}
			c := slices.Clone(vs)
			for j := i; j < len(c); j++ {
				c[j] = cleanValue(c[j])
			}
			h[k] = c
			break
		}
	}
}

// cleanValue is v as net/http's server writes it: CR and LF replaced by
// spaces, then leading and trailing spaces, tabs, CRs and LFs removed. A
// value that needs neither is returned as it is.
func cleanValue(v string) string {
	if v == "" || !isHeaderSpace(v[0]) && !isHeaderSpace(v[len(v)-1]) &&
		strings.IndexByte(v, '\n') < 0 && strings.IndexByte(v, '\r') < 0 {
		return v
	}
	return textproto.TrimString(newlineToSpace.Replace(v))
}

// newlineToSpace is net/http's headerNewlineToSpace.
var newlineToSpace = strings.NewReplacer("\n", " ", "\r", " ")

func isHeaderSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// validHeaderName reports whether k is an HTTP token, which net/http's
// server requires of a header name it sends (httpguts.ValidHeaderFieldName).
func validHeaderName(k string) bool {
	if k == "" {
		return false
	}
	for i := 0; i < len(k); i++ {
		if c := k[i]; c >= utf8.RuneSelf || !isTokenByte[c] {
			return false
		}
	}
	return true
}

// isTokenByte reports the ASCII bytes RFC 9110 allows in a token.
var isTokenByte = func() (t [utf8.RuneSelf]bool) {
	for c := '0'; c <= '9'; c++ {
		t[c] = true
	}
	for c := 'a'; c <= 'z'; c++ {
		t[c], t[c-'a'+'A'] = true, true
	}
	for _, c := range "!#$%&'*+-.^_`|~" {
		t[c] = true
	}
	return t
}()

func bodyAllowed(status int) bool {
	switch {
	case status >= 100 && status <= 199, status == http.StatusNoContent, status == http.StatusNotModified:
		return false
	}
	return true
}

// response is a handler's finished response, ready for encoding.
type response struct {
	status int
	header http.Header
	body   []byte
	binary bool
}

// isBinary decides whether a body must be base64-encoded: from its
// Content-Type and Content-Encoding only, never from its bytes, save that
// a "text" body that is not valid UTF-8 cannot travel in a JSON string.
func (o *options) isBinary(h http.Header, body []byte) bool {
	if len(body) == 0 {
		return false
	}
	if ce := first(h["Content-Encoding"]); ce != "" && !strings.EqualFold(ce, "identity") {
		return true
	}
	// The media type as mime.ParseMediaType gives it, valid or not,
	// without parsing the parameters into a map.
	base, _, _ := strings.Cut(first(h["Content-Type"]), ";")
	mt := strings.ToLower(strings.TrimSpace(base))
	if matchMediaType(o.binaryTypes, mt) {
		return true
	}
	if !matchMediaType(o.textTypes, mt) && !isTextMediaType(mt) {
		return true
	}
	return !utf8.Valid(body)
}

// first is http.Header.Get for a name known to be canonical: the first
// value, or "".
func first(vs []string) string {
	if len(vs) == 0 {
		return ""
	}
	return vs[0]
}

// isTextMediaType reports whether mt is a textual media type.
func isTextMediaType(mt string) bool {
	switch {
	case strings.HasPrefix(mt, "text/"),
		strings.HasSuffix(mt, "+json"), strings.HasSuffix(mt, "+xml"), strings.HasSuffix(mt, "+yaml"):
		return true
	}
	switch mt {
	case "application/json", "application/xml", "application/javascript", "application/ecmascript",
		"application/x-www-form-urlencoded", "application/yaml", "application/x-yaml",
		"application/graphql", "application/x-ndjson", "application/jsonl", "application/csv",
		"application/x-javascript", "application/sql", "image/svg+xml":
		return true
	}
	return false
}

// matchMediaType reports whether mt, a lower-case media type, matches one
// of patterns, API Gateway's binary media types: a media type, "type/*" or
// "*/*", in any case. As on AWS, a pattern with a wildcard type, such as
// "*/png", matches nothing, and "*/*" everything.
func matchMediaType(patterns []string, mt string) bool {
	for _, p := range patterns {
		switch {
		case p == "*/*":
			return true
		case strings.HasPrefix(p, "*/"):
		case strings.EqualFold(p, mt),
			strings.HasSuffix(p, "/*") && len(mt) >= len(p)-1 && strings.EqualFold(mt[:len(p)-1], p[:len(p)-1]):
			return true
		}
	}
	return false
}

// encode writes r as the JSON response the format's source expects.
func (r *response) encode(f Format) ([]byte, error) {
	n := 96 + len(r.body) + len(r.body)/3
	for k, vs := range r.header {
		n += len(k) + 8
		for _, v := range vs {
			n += len(v) + 4
		}
	}
	out := make([]byte, 0, n)
	out = append(out, `{"statusCode":`...)
	out = strconv.AppendInt(out, int64(r.status), 10)
	if f.hasStatusDescription() {
		out = append(out, `,"statusDescription":`...)
		out = jsonx.AppendString(out, statusDescription(r.status))
	}
	keys := sortedKeys(r.header)
	switch {
	case f.multiValue():
		out = append(out, `,"multiValueHeaders":{`...)
		for _, k := range keys {
			out = jsonx.AppendKey(out, k)
			out = append(out, '[')
			for i, v := range r.header[k] {
				if i > 0 {
					out = append(out, ',')
				}
				out = jsonx.AppendString(out, v)
			}
			out = append(out, ']')
		}
		out = append(out, '}')
	default:
		out = append(out, `,"headers":{`...)
		var cookies []string
		for _, k := range keys {
			vs := r.header[k]
			if len(vs) == 0 {
				continue // no value, no header, as net/http sends it
			}
			if k == "Set-Cookie" {
				if f.hasCookies() {
					cookies = vs
					continue
				}
				// One value per header name: only the last cookie survives,
				// as on the single-value sources themselves.
				vs = vs[len(vs)-1:]
			}
			out = jsonx.AppendKey(out, k)
			out = appendJoined(out, vs)
		}
		out = append(out, '}')
		if f.hasCookies() && len(cookies) > 0 {
			out = append(out, `,"cookies":[`...)
			for i, c := range cookies {
				if i > 0 {
					out = append(out, ',')
				}
				out = jsonx.AppendString(out, c)
			}
			out = append(out, ']')
		}
	}
	out = append(out, `,"body":`...)
	if r.binary {
		out = append(out, '"')
		out = jsonx.AppendBase64(out, r.body)
		out = append(out, `","isBase64Encoded":true}`...)
	} else {
		out = jsonx.AppendBytesString(out, r.body)
		out = append(out, `,"isBase64Encoded":false}`...)
	}
	if len(out) > MaxResponseSize {
		return nil, fmt.Errorf("%w: the response payload is %d bytes, over Lambda's maximum of %d bytes", errResponseTooLarge, len(out), MaxResponseSize)
	}
	return out, nil
}

// appendJoined appends the values of one header as one JSON string,
// comma-separated as HTTP allows.
func appendJoined(out []byte, vs []string) []byte {
	if len(vs) == 1 {
		return jsonx.AppendString(out, vs[0])
	}
	return jsonx.AppendString(out, strings.Join(vs, ","))
}

func sortedKeys(h http.Header) []string {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// statusDescription is the ALB and VPC Lattice "200 OK" form.
func statusDescription(code int) string {
	if t := http.StatusText(code); t != "" {
		return strconv.Itoa(code) + " " + t
	}
	return strconv.Itoa(code)
}

// singleValue flattens h for the single-value response types.
func singleValue(h http.Header, cookiesApart bool) (map[string]string, []string) {
	if len(h) == 0 {
		return nil, nil
	}
	m := make(map[string]string, len(h))
	var cookies []string
	for k, vs := range h {
		switch {
		case len(vs) == 0:
			// no value, no header, as net/http sends it
		case k == "Set-Cookie" && cookiesApart:
			cookies = vs
		case k == "Set-Cookie":
			m[k] = vs[len(vs)-1]
		case len(vs) == 1:
			m[k] = vs[0]
		default:
			m[k] = strings.Join(vs, ",")
		}
	}
	return m, cookies
}

// bodyString returns the body as the response types carry it.
func (r *response) bodyString() string {
	if r.binary {
		// EncodeToString would encode into a buffer and copy it into the
		// string; b is never written again, so the string can share it.
		b := jsonx.AppendBase64(make([]byte, 0, base64.StdEncoding.EncodedLen(len(r.body))), r.body)
		return unsafe.String(unsafe.SliceData(b), len(b))
	}
	return string(r.body)
}
