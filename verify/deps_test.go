package verify_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestDeps keeps verify low in the module: functions, the gateway, the
// auth service and the product store all import it, so it imports nothing
// of the emulator (which sits above it) and no test support.
func TestDeps(t *testing.T) {
	const pkg = "github.com/faasport/faasport/verify"
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
		case strings.HasPrefix(dep, "github.com/faasport/faasport/emulator"),
			strings.HasPrefix(dep, "github.com/faasport/faasport/petstore"):
			t.Errorf("%s imports %s: the emulator and the app build on verify, not the reverse", pkg, dep)
		case dep == "testing" || dep == "net/http/httptest":
			t.Errorf("%s imports %s: test support belongs in verifytest", pkg, dep)
		}
	}
}
