package localgateway

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// CORS is an HTTP API's CORS configuration (CorsConfiguration).
type CORS struct {
	AllowOrigins     []string // exact origins ("https://app.example.com") or "*"
	AllowMethods     []string // methods or "*"
	AllowHeaders     []string // request headers, case-insensitive, or "*"
	ExposeHeaders    []string
	AllowCredentials bool
	MaxAge           int // seconds a preflight may be cached, 0 to 86400; 0 sends none
}

func (c *CORS) validate() error {
	if c.AllowCredentials && slices.Contains(c.AllowOrigins, "*") {
		return fmt.Errorf("localgateway: CORS: AllowCredentials cannot be used with the origin \"*\"")
	}
	if c.MaxAge < 0 || c.MaxAge > 86400 {
		return fmt.Errorf("localgateway: CORS: MaxAge %d outside 0 to 86400", c.MaxAge)
	}
	for _, o := range c.AllowOrigins {
		if o != "*" && (!strings.Contains(o, "://") || strings.HasSuffix(o, "/")) {
			return fmt.Errorf("localgateway: CORS: origin %q: want scheme://host[:port] or \"*\"", o)
		}
	}
	return nil
}

// corsPolicy is a CORS configuration ready for requests.
type corsPolicy struct {
	anyOrigin  bool
	origins    map[string]bool
	methods    string
	headers    string
	anyHeader  bool
	expose     string
	creds      bool
	maxAge     string
	configured bool
}

func newCORSPolicy(c *CORS) *corsPolicy {
	if c == nil {
		return nil
	}
	p := &corsPolicy{origins: map[string]bool{}, creds: c.AllowCredentials, configured: true}
	for _, o := range c.AllowOrigins {
		if o == "*" {
			p.anyOrigin = true
		}
		p.origins[o] = true
	}
	p.methods = strings.Join(c.AllowMethods, ",")
	p.anyHeader = slices.Contains(c.AllowHeaders, "*")
	p.headers = strings.ToLower(strings.Join(c.AllowHeaders, ","))
	p.expose = strings.ToLower(strings.Join(c.ExposeHeaders, ","))
	if c.MaxAge > 0 {
		p.maxAge = strconv.Itoa(c.MaxAge)
	}
	return p
}

// allowOrigin returns the Access-Control-Allow-Origin value for origin,
// or "" when origin is not allowed.
func (p *corsPolicy) allowOrigin(origin string) string {
	switch {
	case origin == "":
		return ""
	case p.origins[origin]:
		return origin
	case p.anyOrigin:
		return "*"
	}
	return ""
}

// isPreflight reports whether r is a CORS preflight request.
func isPreflight(r *http.Request) bool {
	return r.Method == http.MethodOptions && r.Header.Get("Origin") != "" &&
		r.Header.Get("Access-Control-Request-Method") != ""
}

// preflight answers a preflight request: 204, with the CORS headers when
// the origin is allowed.
func (p *corsPolicy) preflight(h http.Header, r *http.Request) {
	dropCORS(h)
	ao := p.allowOrigin(r.Header.Get("Origin"))
	if ao == "" {
		return
	}
	h.Set("Access-Control-Allow-Origin", ao)
	if p.methods != "" {
		h.Set("Access-Control-Allow-Methods", p.methods)
	}
	switch {
	case p.anyHeader:
		if req := r.Header.Get("Access-Control-Request-Headers"); req != "" {
			h.Set("Access-Control-Allow-Headers", strings.ToLower(req))
		}
	case p.headers != "":
		h.Set("Access-Control-Allow-Headers", p.headers)
	}
	if p.creds {
		h.Set("Access-Control-Allow-Credentials", "true")
	}
	if p.maxAge != "" {
		h.Set("Access-Control-Max-Age", p.maxAge)
	}
	if ao != "*" {
		h.Add("Vary", "Origin")
	}
}

// apply removes the integration's CORS headers from h and sets the
// gateway's for a request from origin.
func (p *corsPolicy) apply(h http.Header, origin string) {
	dropCORS(h)
	ao := p.allowOrigin(origin)
	if ao == "" {
		return
	}
	h.Set("Access-Control-Allow-Origin", ao)
	if p.creds {
		h.Set("Access-Control-Allow-Credentials", "true")
	}
	if p.expose != "" {
		h.Set("Access-Control-Expose-Headers", p.expose)
	}
	if ao != "*" {
		h.Add("Vary", "Origin")
	}
}

// dropCORS removes the CORS headers from h: with CORS configured, the
// gateway ignores those of its integrations.
func dropCORS(h http.Header) {
	for k := range h {
		if strings.HasPrefix(k, "Access-Control-") {
			delete(h, k)
		}
	}
}
