package localgateway_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestDeps keeps the gateway generic: app specifics (routes, functions)
// are handed to it, so it never imports petstore, and test support stays
// out of production code.
func TestDeps(t *testing.T) {
	const pkg = "github.com/faasport/faasport/emulator/localgateway"
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("go tool not found: %v", err)
	}
	out, err := exec.Command(goTool, "list", "-deps", pkg).Output()
	if err != nil {
		t.Fatalf("go list -deps %s: %v", pkg, err)
	}
	for _, dep := range strings.Fields(string(out)) {
		switch {
		case strings.HasPrefix(dep, "github.com/faasport/faasport/petstore"):
			t.Errorf("%s imports %s: the emulator never imports the app", pkg, dep)
		case dep == "testing", strings.HasSuffix(dep, "/verifytest"):
			t.Errorf("%s imports %s: test support does not belong in production code", pkg, dep)
		}
	}
}
