package spa_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestDeps keeps the app's Go side to the standard library: it serves
// embedded files and knows nothing of the domain, the emulator or AWS
// (the browser speaks to those itself).
func TestDeps(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}", ".").Output()
	if err != nil {
		t.Skipf("go list: %v", err)
	}
	for _, dep := range strings.Fields(string(out)) {
		if dep != "github.com/faasport/faasport/petstore/spa" {
			t.Errorf("imports %s: the app's server side uses the standard library only", dep)
		}
	}
	std, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Skipf("go list: %v", err)
	}
	for _, dep := range strings.Fields(string(std)) {
		if dep == "testing" {
			t.Errorf("imports testing: test support stays out of production code")
		}
	}
}
