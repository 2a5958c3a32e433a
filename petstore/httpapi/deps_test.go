package httpapi_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestDeps keeps httpapi a transport over the domain that both
// deployments share: it must not know which one serves it.
func TestDeps(t *testing.T) {
	const pkg = "github.com/faasport/faasport/petstore/httpapi"
	forbidden := map[string]string{
		"testing": "test support belongs in petstoretest",
		"github.com/faasport/faasport/petstore/monolith": "imports point down: the monolith serves httpapi",
		"github.com/faasport/faasport/adapter":           "handlers must not know they run as functions",
		"github.com/faasport/faasport/emulator":          "handlers must run on AWS unchanged",
		"github.com/aws/aws-lambda-go":                   "handlers must not know they run as functions",
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
