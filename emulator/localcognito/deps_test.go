package localcognito_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestDeps keeps the package's production imports within its layer.
func TestDeps(t *testing.T) {
	forbidden := map[string]string{
		"testing":                                            "test support stays out of production code",
		"github.com/faasport/faasport/petstore":              "the emulator knows nothing of the app it runs",
		"github.com/faasport/faasport/adapter":               "the auth service has no Lambda events",
		"github.com/aws/aws-sdk-go-v2/service":               "the emulator serves AWS's wire protocols; it needs no AWS service client",
		"github.com/faasport/faasport/emulator/localgateway": "services do not import each other",
		"github.com/faasport/faasport/emulator/localdynamo":  "services do not import each other",
	}
	out, err := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}}", ".").Output()
	if err != nil {
		t.Skipf("go list: %v", err)
	}
	for _, dep := range strings.Fields(string(out)) {
		for bad, why := range forbidden {
			if dep == bad || strings.HasPrefix(dep, bad+"/") {
				t.Errorf("imports %s: %s", dep, why)
			}
		}
	}
}
