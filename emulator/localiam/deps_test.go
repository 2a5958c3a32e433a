package localiam_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestDeps keeps the package on the standard library, so that any service
// of the emulator, or a test, can evaluate policies without new imports.
func TestDeps(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}", ".").Output()
	if err != nil {
		t.Skipf("go list: %v", err)
	}
	for _, dep := range strings.Fields(string(out)) {
		if dep != "github.com/faasport/faasport/emulator/localiam" {
			t.Errorf("imports %s: localiam uses the standard library only", dep)
		}
	}
	out, err = exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}}", ".").Output()
	if err != nil {
		t.Skipf("go list: %v", err)
	}
	for _, dep := range strings.Fields(string(out)) {
		if dep == "testing" {
			t.Errorf("imports testing: test support stays out of production code")
		}
	}
}
