package depcheck_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/faasport/faasport/internal/depcheck"
	"github.com/google/go-cmp/cmp"
)

// recorder is a testing.TB that keeps the errors reported to it.
type recorder struct {
	testing.TB
	errors []string
}

func (r *recorder) Helper() {}

func (r *recorder) Errorf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

// TestCheck runs the check on this module's faas package, whose
// dependencies are the standard library's.
func TestCheck(t *testing.T) {
	const faas = "github.com/faasport/faasport/faas"
	for _, tc := range []struct {
		name  string
		pkg   string
		rules depcheck.Rules
		want  []string
	}{
		{
			name:  "allowed",
			pkg:   faas,
			rules: depcheck.Rules{StdlibOnly: true, Forbidden: map[string]string{"testing": "no test support"}},
		},
		{
			name:  "forbidden with the packages below it",
			pkg:   faas,
			rules: depcheck.Rules{Forbidden: map[string]string{"log": "no logging"}},
			want: []string{
				faas + " imports log: no logging",
				faas + " imports log/internal: no logging",
				faas + " imports log/slog: no logging",
				faas + " imports log/slog/internal: no logging",
				faas + " imports log/slog/internal/buffer: no logging",
			},
		},
		{
			name:  "the package itself is never forbidden",
			pkg:   faas,
			rules: depcheck.Rules{Forbidden: map[string]string{"github.com/faasport/faasport": "no module"}},
		},
		{
			name:  "the standard library only",
			pkg:   "github.com/faasport/faasport/internal/depcheck",
			rules: depcheck.Rules{StdlibOnly: true},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := &recorder{TB: t}
			depcheck.Check(r, tc.pkg, tc.rules)
			slices.Sort(tc.want) // got comes in go list's order
			slices.Sort(r.errors)
			if diff := cmp.Diff(tc.want, r.errors); diff != "" {
				t.Errorf("Check reported (-want +got):\n%s", diff)
			}
		})
	}
}

// TestCheckOutside checks a package with a dependency outside the standard
// library against a standard-library-only rule.
func TestCheckOutside(t *testing.T) {
	const pkg = "github.com/faasport/faasport/verify"
	r := &recorder{TB: t}
	depcheck.Check(r, pkg, depcheck.Rules{StdlibOnly: true, Allowed: []string{"github.com/faasport/faasport/faas"}})
	want := pkg + " imports github.com/golang-jwt/jwt/v5, outside the standard library and [github.com/faasport/faasport/faas]"
	found := false
	for _, e := range r.errors {
		found = found || e == want
	}
	if !found {
		t.Errorf("Check reported %q, want among them %q", r.errors, want)
	}
}
