package monolith_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestDeps keeps the monolith one deployment among others: it serves the
// shared handlers and must not depend on the serverless machinery or on
// the emulator, so that it runs against real DynamoDB unchanged.
func TestDeps(t *testing.T) {
	const pkg = "github.com/faasport/faasport/petstore/monolith"
	forbidden := map[string]string{
		"testing":                               "test support stays out of production code",
		"github.com/faasport/faasport/adapter":  "the monolith is the classic deployment, not a function",
		"github.com/faasport/faasport/emulator": "the monolith must run against real DynamoDB unchanged",
		"github.com/aws/aws-lambda-go":          "the monolith is the classic deployment, not a function",
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
