package parity_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestDeps keeps the harness generic: other migrations use it with
// drivers of their own, so it must know nothing of the pet store or of
// how any deployment is reached.
func TestDeps(t *testing.T) {
	const pkg = "github.com/faasport/faasport/petstore/parity"
	forbidden := map[string]string{
		"github.com/faasport/faasport/petstore":          "the pet store's scenarios and drivers belong in petparity",
		"github.com/faasport/faasport/petstore/httpapi":  "drivers, not the harness, know the transports",
		"github.com/faasport/faasport/petstore/split":    "drivers, not the harness, know the deployments",
		"github.com/faasport/faasport/petstore/monolith": "drivers, not the harness, know the deployments",
		"github.com/faasport/faasport/emulator":          "drivers, not the harness, know the deployments",
		"github.com/faasport/faasport/adapter":           "drivers, not the harness, know the transports",
		"github.com/aws/aws-sdk-go-v2":                   "drivers, not the harness, know the services",
	}
	out, err := exec.Command("go", "list", "-deps", pkg).Output()
	if err != nil {
		t.Skipf("go list -deps: %v", err)
	}
	for _, dep := range strings.Fields(string(out)) {
		for bad, why := range forbidden {
			if dep == bad || (bad != "github.com/faasport/faasport/petstore" && strings.HasPrefix(dep, bad+"/")) {
				t.Errorf("%s imports %s: %s", pkg, dep, why)
			}
		}
	}
}
