package browsertest_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestDeps keeps the package itself empty of imports: the browser tests,
// chromedp and what they start live in its test files only, so nothing
// built from this module can come to depend on a browser.
func TestDeps(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Skipf("go list: %v", err)
	}
	for _, dep := range strings.Fields(string(out)) {
		if dep != "github.com/faasport/faasport/petstore/browsertest" {
			t.Errorf("imports %s: the package holds tests only", dep)
		}
	}
}
