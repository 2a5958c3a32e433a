package split_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestDeps keeps the split one of two peers over the shared handlers: it
// must not reach into the monolith, and test support stays out of it.
func TestDeps(t *testing.T) {
	const pkg = "github.com/faasport/faasport/petstore/split"
	forbidden := map[string]string{
		"testing": "test support belongs in _test files",
		"github.com/faasport/faasport/petstore/monolith": "the split and the monolith are peers over httpapi",
		"github.com/faasport/faasport/petstore/parity":   "imports point down: parity drives the split",
	}
	out, err := exec.Command("go", "list", "-deps", pkg).Output()
	if err != nil {
		t.Skipf("go list -deps: %v", err)
	}
	for _, dep := range strings.Fields(string(out)) {
		for bad, why := range forbidden {
			if dep == bad || strings.HasPrefix(dep, bad+"/") {
				t.Errorf("%s imports %s: %s", pkg, dep, why)
			}
		}
	}
}
