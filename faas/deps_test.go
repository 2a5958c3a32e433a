package faas_test

import (
	"errors"
	"os/exec"
	"strings"
	"testing"
)

// TestDeps keeps faas at the floor of the module: it is the portable
// function model every other package builds on, so it imports the standard
// library only — no AWS, no router, no database, and nothing else from this
// module.
func TestDeps(t *testing.T) {
	const pkg = "github.com/faasport/faasport/faas"

	// Standard library packages that faas must not import all the same.
	bad := map[string]string{
		"testing": "test support belongs in a footest package, not in production code",
	}

	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("go tool not found: %v", err)
	}
	out, err := exec.Command(goTool, "list", "-deps", pkg).Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			t.Fatalf("go list -deps %s: %v\n%s", pkg, err, ee.Stderr)
		}
		t.Fatalf("go list -deps %s: %v", pkg, err)
	}

	deps := strings.Fields(string(out))
	found := false
	for _, dep := range deps {
		if dep == pkg {
			found = true
			continue
		}
		// Standard library import paths have no dot in their first
		// element; everything else does (github.com/..., golang.org/x/...).
		first, _, _ := strings.Cut(dep, "/")
		if strings.Contains(first, ".") {
			t.Errorf("%s imports %s, outside the standard library", pkg, dep)
		}
		if why, ok := bad[dep]; ok {
			t.Errorf("%s imports %s: %s", pkg, dep, why)
		}
	}
	// go list -deps lists the package itself last; without it the output
	// was not what this test expects and proves nothing.
	if !found {
		t.Fatalf("go list -deps %s did not list %s itself; output:\n%s", pkg, pkg, out)
	}
}
