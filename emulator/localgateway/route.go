package localgateway

import (
	"fmt"
	"strings"
)

// methods a route key may name. ANY matches every method that no route of
// the same path names.
var routeMethods = map[string]bool{
	"ANY": true, "GET": true, "HEAD": true, "POST": true, "PUT": true,
	"PATCH": true, "DELETE": true, "OPTIONS": true,
}

// segment is one segment of a route path: a literal, a {param} or a
// greedy {param+}.
type segment struct {
	lit    string
	param  string // without braces or plus
	greedy bool
}

// routeKey is a parsed route key.
type routeKey struct {
	text   string // as configured
	def    bool   // $default
	method string // "ANY" or a method
	path   string // "/pets/{id}"
	segs   []segment
}

// parseRouteKey parses "METHOD /path" or "$default" as API Gateway
// accepts them: a method of routeMethods (or ANY), a single space, and a
// path of segments that are literal, {name} or, last, {name+}.
func parseRouteKey(key string) (*routeKey, error) {
	if key == "$default" {
		return &routeKey{text: key, def: true, method: "ANY"}, nil
	}
	method, path, ok := strings.Cut(key, " ")
	if !ok {
		return nil, fmt.Errorf("route key %q: want \"METHOD /path\" or \"$default\"", key)
	}
	if !routeMethods[method] {
		return nil, fmt.Errorf("route key %q: unknown method %q", key, method)
	}
	segs, err := parseRoutePath(path)
	if err != nil {
		return nil, fmt.Errorf("route key %q: %v", key, err)
	}
	return &routeKey{text: key, method: method, path: path, segs: segs}, nil
}

func parseRoutePath(path string) ([]segment, error) {
	if path == "" || path[0] != '/' {
		return nil, fmt.Errorf("path %q must start with /", path)
	}
	if path == "/" {
		return nil, nil
	}
	parts := strings.Split(path[1:], "/")
	segs := make([]segment, 0, len(parts))
	seen := map[string]bool{}
	for i, p := range parts {
		switch {
		case p == "":
			return nil, fmt.Errorf("path %q has an empty segment", path)
		case strings.HasPrefix(p, "{") && strings.HasSuffix(p, "}"):
			name := p[1 : len(p)-1]
			greedy := strings.HasSuffix(name, "+")
			name = strings.TrimSuffix(name, "+")
			if !validParamName(name) {
				return nil, fmt.Errorf("path %q: bad path variable %q", path, p)
			}
			if greedy && i != len(parts)-1 {
				return nil, fmt.Errorf("path %q: the greedy variable %q must be the last segment", path, p)
			}
			if seen[name] {
				return nil, fmt.Errorf("path %q: path variable %q appears twice", path, name)
			}
			seen[name] = true
			segs = append(segs, segment{param: name, greedy: greedy})
		case strings.ContainsAny(p, "{}+ \t?#"):
			return nil, fmt.Errorf("path %q: bad segment %q", path, p)
		default:
			segs = append(segs, segment{lit: p})
		}
	}
	return segs, nil
}

func validParamName(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r == '_' || r == '-' || r == '.' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return true
}

// shape is the route's method and path with variable names erased, so
// that "GET /pets/{id}" and "GET /pets/{name}" are seen as the same route.
func (k *routeKey) shape() string {
	if k.def {
		return "$default"
	}
	var b strings.Builder
	b.WriteString(k.method)
	b.WriteByte(' ')
	for _, s := range k.segs {
		b.WriteByte('/')
		switch {
		case s.greedy:
			b.WriteString("{+}")
		case s.param != "":
			b.WriteString("{}")
		default:
			b.WriteString(s.lit)
		}
	}
	return b.String()
}

// match reports whether path (its segments after the stage, decoded)
// matches k's path, and returns the path variables.
func (k *routeKey) match(segs []string) (map[string]string, bool) {
	var params map[string]string
	for i, s := range k.segs {
		if s.greedy {
			rest := strings.Join(segs[i:], "/")
			if rest == "" {
				return nil, false
			}
			if params == nil {
				params = make(map[string]string, 1)
			}
			params[s.param] = rest
			return params, true
		}
		if i >= len(segs) {
			return nil, false
		}
		if s.param != "" {
			if segs[i] == "" {
				return nil, false
			}
			if params == nil {
				params = make(map[string]string, 2)
			}
			params[s.param] = segs[i]
			continue
		}
		if segs[i] != s.lit {
			return nil, false
		}
	}
	if len(segs) != len(k.segs) {
		return nil, false
	}
	return params, true
}

// class orders routes by the priority classes of the package doc: exact
// method before ANY, and, within each, routes without a greedy variable
// first.
func (k *routeKey) class() int {
	c := 0
	if k.method == "ANY" {
		c += 2
	}
	if n := len(k.segs); n > 0 && k.segs[n-1].greedy {
		c++
	}
	return c
}

// moreSpecific reports whether a's path beats b's for the same request:
// at the first segment where they differ, a literal beats a variable, and
// a variable beats a greedy variable; a longer path beats a shorter one.
func moreSpecific(a, b *routeKey) bool {
	if ca, cb := a.class(), b.class(); ca != cb {
		return ca < cb
	}
	for i := 0; i < len(a.segs) && i < len(b.segs); i++ {
		ra, rb := a.segs[i].rank(), b.segs[i].rank()
		if ra != rb {
			return ra < rb
		}
	}
	return len(a.segs) > len(b.segs)
}

// moreSpecificREST is moreSpecific for a REST API, which resolves a
// request on the pair of resource and method: among the routes whose path
// matches and whose method is the request's or ANY, the most specific
// path wins (per segment, a literal beats a variable and a variable a
// greedy one), and on the same path the method beats ANY. So a literal
// resource without the request's method yields to a variable sibling
// that has it, as measured on API Gateway (floci-io/floci#3399,
// ministackorg/ministack#1423).
func moreSpecificREST(a, b *routeKey) bool {
	for i := 0; i < len(a.segs) && i < len(b.segs); i++ {
		if ra, rb := a.segs[i].rank(), b.segs[i].rank(); ra != rb {
			return ra < rb
		}
	}
	if len(a.segs) != len(b.segs) {
		return len(a.segs) > len(b.segs)
	}
	return a.method != "ANY" && b.method == "ANY"
}

func (s segment) rank() int {
	switch {
	case s.greedy:
		return 2
	case s.param != "":
		return 1
	}
	return 0
}

// splitPath splits a request path (after the stage) into segments,
// appended to segs. "/" has none.
func splitPath(p string, segs []string) []string {
	p = strings.TrimPrefix(p, "/")
	if p == "" {
		return segs
	}
	for {
		seg, rest, ok := strings.Cut(p, "/")
		segs = append(segs, seg)
		if !ok {
			return segs
		}
		p = rest
	}
}
