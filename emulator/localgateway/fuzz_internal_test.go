package localgateway

import (
	"strings"
	"testing"
)

// FuzzRouteKey checks that route key parsing never panics, that what it
// accepts is well formed, and that a parsed route matches the paths it
// describes.
func FuzzRouteKey(f *testing.F) {
	for _, s := range []string{
		"$default", "GET /", "GET /pets", "ANY /{proxy+}", "GET /pets/{id}/toys/{toy}", "POST /a/{b+}",
		"GET pets", "get /x", "GET /a//b", "GET /{a}/{a}", "GET /{+}", "GET /{a+}/b", "GET /a{b}", "GET  /x", "",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, key string) {
		k, err := parseRouteKey(key)
		if err != nil {
			return
		}
		if k.def {
			return
		}
		if !strings.HasPrefix(k.path, "/") || !routeMethods[k.method] {
			t.Fatalf("accepted %q as method %q path %q", key, k.method, k.path)
		}
		// A path built from the route's own shape matches it.
		var segs []string
		for _, s := range k.segs {
			switch {
			case s.greedy:
				segs = append(segs, "g1", "g2")
			case s.param != "":
				segs = append(segs, "v")
			default:
				segs = append(segs, s.lit)
			}
		}
		params, ok := k.match(segs)
		if !ok {
			t.Fatalf("%q does not match its own path %v", key, segs)
		}
		for _, s := range k.segs {
			if s.param != "" && params[s.param] == "" {
				t.Fatalf("%q: no value for {%s} in %v", key, s.param, params)
			}
		}
		if k2, err := parseRouteKey(key); err != nil || k2.shape() != k.shape() {
			t.Fatalf("%q parses differently the second time", key)
		}
	})
}
