package localgateway

import (
	"net"
	"net/http"
	"net/http/httputil"
	"strconv"
	"strings"
)

// remapped lists the headers of an integration's response that a REST API
// does not pass to the client as they are but renames
// "x-amzn-Remapped-<name>" (the spelling is API Gateway's), so that the
// gateway's own Date, Content-Length and request id stand, and a
// WWW-Authenticate does not make browsers prompt for a password. AWS's
// recorded answers show each of them: LocalStack's AWS-validated snapshot
// of an HTTP_PROXY integration (Content-Length, Date, Connection,
// x-amzn-RequestId); responses of HTTP backends and Lambda functions
// through REST APIs quoted by their users (Server; Authorization and
// WWW-Authenticate, the two shown for functions too). HTTP APIs pass them
// on.
var remapped = [...]struct {
	key, name string
	function  bool // remapped in a function's response too
}{
	{"Authorization", "Authorization", true},
	{"Connection", "Connection", false},
	{"Content-Length", "Content-Length", false},
	{"Date", "Date", false},
	{"Server", "Server", false},
	{"Www-Authenticate", "WWW-Authenticate", true},
	{"X-Amzn-Requestid", "x-amzn-RequestId", false},
}

// remapHeaders renames in h, an integration's response headers, those a
// REST API remaps: in an HTTP backend's response, or in a function's when
// function is set.
func remapHeaders(h http.Header, function bool) {
	for _, r := range remapped {
		if function && !r.function {
			continue
		}
		if vs, ok := h[r.key]; ok {
			delete(h, r.key)
			h["x-amzn-Remapped-"+r.name] = vs
		}
	}
}

// setForwardedREST sets the headers a REST API adds to a request it
// forwards to an HTTP integration, as LocalStack's AWS-validated snapshot
// records them: the client appended to X-Forwarded-For, X-Forwarded-Proto,
// X-Forwarded-Port and x-amzn-apigateway-api-id (no X-Forwarded-Host).
func (x *exchange) setForwardedREST(pr *httputil.ProxyRequest) {
	h := pr.Out.Header
	// ReverseProxy drops the client's X-Forwarded-* from the outbound
	// request; SetXForwarded appends the client to the one set here.
	if xff := pr.In.Header["X-Forwarded-For"]; len(xff) > 0 {
		h["X-Forwarded-For"] = xff
	}
	pr.SetXForwarded()
	delete(h, "X-Forwarded-Host")
	h.Set("X-Forwarded-Port", localPort(pr.In))
	h.Set("X-Amzn-Apigateway-Api-Id", x.g.apiID)
}

// setForwardedHTTP sets the header an HTTP API adds to a request it
// forwards to an HTTP integration. AWS's notes for HTTP APIs: they
// "translate incoming X-Forwarded-* headers into a standard Forwarded
// header and will append the egress IP, host, and protocol". So the
// backend gets Forwarded (RFC 7239): any Forwarded the client sent, an
// element for each address of its X-Forwarded-For, then one for the
// client with the host it asked for and its scheme; and no X-Forwarded-*.
func setForwardedHTTP(pr *httputil.ProxyRequest) {
	in, h := pr.In, pr.Out.Header
	elems := in.Header.Values("Forwarded")
	for _, list := range in.Header.Values("X-Forwarded-For") {
		for a := range strings.SplitSeq(list, ",") {
			if a = strings.TrimSpace(a); a != "" {
				elems = append(elems, "for="+forwardedValue(a))
			}
		}
	}
	for _, k := range [...]string{"X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto", "X-Forwarded-Port"} {
		delete(h, k)
	}
	client := in.RemoteAddr
	if host, _, err := net.SplitHostPort(client); err == nil {
		client = host
	}
	proto := "http"
	if in.TLS != nil {
		proto = "https"
	}
	elems = append(elems, "for="+forwardedValue(client)+";host="+forwardedValue(in.Host)+";proto="+proto)
	h["Forwarded"] = []string{strings.Join(elems, ", ")}
}

// forwardedValue renders v as a Forwarded parameter value: a token as it
// is, anything else (an IPv6 address, a host with a port) quoted, IPv6
// addresses in brackets.
func forwardedValue(v string) string {
	if ip := net.ParseIP(v); ip != nil && ip.To4() == nil {
		v = "[" + v + "]"
	}
	for i := 0; i < len(v); i++ {
		if !isTokenChar(v[i]) {
			return strconv.Quote(v)
		}
	}
	if v == "" {
		return `""`
	}
	return v
}

// isTokenChar reports whether c may appear in an RFC 7230 token.
func isTokenChar(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0
}

// localPort is the port r reached the gateway on: its listener's, else
// the one in Host, else the scheme's.
func localPort(r *http.Request) string {
	if a, ok := r.Context().Value(http.LocalAddrContextKey).(net.Addr); ok {
		if _, p, err := net.SplitHostPort(a.String()); err == nil && p != "" {
			return p
		}
	}
	if _, p, err := net.SplitHostPort(r.Host); err == nil && p != "" {
		return p
	}
	if r.TLS != nil {
		return "443"
	}
	return "80"
}
