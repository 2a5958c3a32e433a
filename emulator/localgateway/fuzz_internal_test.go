package localgateway

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
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

func TestGlobMatch(t *testing.T) {
	const arn = "arn:aws:execute-api:us-east-1:123456789012:api1/prod/GET/pets/7"
	for _, tc := range []struct {
		name, pattern, s string
		fold, want       bool
	}{
		{"exact", arn, arn, false, true},
		{"all", "*", arn, false, true},
		{"empty pattern, empty string", "", "", false, true},
		{"empty pattern", "", "a", false, false},
		{"star matches empty", "a*", "a", false, true},
		{"stage wildcards", "arn:aws:execute-api:*:*:*/*/GET/*", arn, false, true},
		{"other method", "arn:aws:execute-api:*:*:*/*/POST/*", arn, false, false},
		{"question mark", "arn:aws:execute-api:us-east-1:123456789012:api1/prod/GET/pets/?", arn, false, true},
		{"question mark needs a character", "a?", "a", false, false},
		{"question mark is one character, not one byte", "pet?", "pet€", false, true},
		{"stars in a row", "a**b", "ab", false, true},
		{"backtracking", "*pets*7", arn, false, true},
		{"suffix", "*/8", arn, false, false},
		{"case matters for resources", "ARN:*", arn, false, false},
		{"case folds for actions", "Execute-API:invoke", "execute-api:Invoke", true, true},
		{"folded wildcard", "execute-api:*", "EXECUTE-API:Invoke", true, true},
		{"invalid UTF-8 matches itself", "a\xffb", "a\xffb", false, true},
		{"invalid UTF-8 is not U+FFFD", "a\uFFFDb", "a\xffb", false, false},
		// Exponential for a backtracking matcher; quick for this one.
		{"many stars, no match", strings.Repeat("*a", 25) + "b", strings.Repeat("a", 60), false, false},
		{"many stars, match", strings.Repeat("*a", 25) + "*", strings.Repeat("a", 60), false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := globMatch(tc.pattern, tc.s, tc.fold); got != tc.want {
				t.Errorf("globMatch(%q, %q, %v) = %v, want %v", tc.pattern, tc.s, tc.fold, got, tc.want)
			}
		})
	}
}

// FuzzGlobMatch checks globMatch against a regular expression built from
// the same pattern (Go's regexp runs in linear time and matches runes).
func FuzzGlobMatch(f *testing.F) {
	f.Add("arn:aws:execute-api:*:*:*/*/GET/*", "arn:aws:execute-api:us-east-1:1:a/prod/GET/x", false)
	f.Add("execute-api:?nvoke", "EXECUTE-API:Invoke", true)
	f.Add("*a*a*a*b", "aaaaaaaaaaaa", false)
	f.Add("k*", "\u212a", true) // KELVIN SIGN folds to k
	f.Fuzz(func(t *testing.T, pattern, s string, fold bool) {
		if len(pattern) > 512 || len(s) > 512 {
			// Both matchers take time in proportion to the product of the
			// lengths; longer inputs only slow the search down.
			t.Skip()
		}
		got := globMatch(pattern, s, fold)
		if !utf8.ValidString(pattern) || !utf8.ValidString(s) {
			return
		}
		var re strings.Builder
		re.WriteString("(?s)")
		if fold {
			re.WriteString("(?i)")
		}
		re.WriteString("^")
		for _, r := range pattern {
			switch r {
			case '*':
				re.WriteString(".*")
			case '?':
				re.WriteString(".")
			default:
				re.WriteString(regexp.QuoteMeta(string(r)))
			}
		}
		re.WriteString("$")
		if want := regexp.MustCompile(re.String()).MatchString(s); got != want {
			t.Fatalf("globMatch(%q, %q, %v) = %v, regexp %s says %v", pattern, s, fold, got, re.String(), want)
		}
	})
}
