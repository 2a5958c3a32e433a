// Package depcheck keeps a package's production imports within its layer.
// Each package's TestDeps states what the package may and may not depend
// on, directly or not, and [Check] holds it to that with `go list -deps`.
package depcheck

import (
	"errors"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// Rules says what a package may depend on.
type Rules struct {
	// StdlibOnly allows the standard library alone, besides the
	// package itself and Allowed.
	StdlibOnly bool

	// Allowed lists the import paths outside the standard library the
	// package may depend on, each with the packages below it. It is
	// consulted only when StdlibOnly is set.
	Allowed []string

	// Forbidden maps an import path to why the package must not depend
	// on it, nor on any package below it. The checked package and the
	// packages below it are never forbidden.
	Forbidden map[string]string
}

// Check fails t for every dependency of pkg (an import path) that r does
// not allow. It fails t at once if the go tool cannot list them.
func Check(t testing.TB, pkg string, r Rules) {
	t.Helper()
	for _, dep := range Deps(t, pkg) {
		if under(dep, pkg) {
			continue
		}
		for bad, why := range r.Forbidden {
			if under(dep, bad) {
				t.Errorf("%s imports %s: %s", pkg, dep, why)
			}
		}
		if r.StdlibOnly && !standard(dep) && !slices.ContainsFunc(r.Allowed, func(a string) bool { return under(dep, a) }) {
			if len(r.Allowed) == 0 {
				t.Errorf("%s imports %s, outside the standard library", pkg, dep)
			} else {
				t.Errorf("%s imports %s, outside the standard library and %v", pkg, dep, r.Allowed)
			}
		}
	}
}

// Deps returns the import paths of pkg's production dependencies, direct
// or not, pkg itself included, as `go list -deps` lists them.
func Deps(t testing.TB, pkg string) []string {
	t.Helper()
	out, err := exec.Command("go", "list", "-deps", pkg).Output()
	if err != nil {
		if ee := (*exec.ExitError)(nil); errors.As(err, &ee) {
			t.Fatalf("go list -deps %s: %v\n%s", pkg, err, ee.Stderr)
		}
		t.Fatalf("go list -deps %s: %v", pkg, err)
	}
	deps := strings.Fields(string(out))
	// go list -deps lists the package itself; without it the output is
	// not what the check expects, and would prove nothing.
	if !slices.Contains(deps, pkg) {
		t.Fatalf("go list -deps %s did not list %s itself; output:\n%s", pkg, pkg, out)
	}
	return deps
}

// under reports whether path is base or a package below it.
func under(path, base string) bool {
	return path == base || strings.HasPrefix(path, base+"/")
}

// standard reports whether path is in the standard library, whose import
// paths have no dot in their first element.
func standard(path string) bool {
	first, _, _ := strings.Cut(path, "/")
	return !strings.Contains(first, ".")
}
