package localdynamo_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestDeps keeps the package's production imports within its layer.
func TestDeps(t *testing.T) {
	forbidden := map[string]string{
		"testing":                               "test support stays out of production code",
		"github.com/faasport/faasport/petstore": "the emulator knows nothing of the app it runs",
		"github.com/aws/aws-sdk-go-v2":          "the store serves DynamoDB's wire protocol; it needs no AWS client",
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
