package petstore_test

import (
	"os/exec"
	"strings"
	"testing"
)

// checkDeps fails t if pkg imports, directly or not, a package outside
// allowed (import path prefixes; the standard library is always allowed)
// or any of forbidden, each with the reason why.
func checkDeps(t *testing.T, pkg string, allowed []string, forbidden map[string]string) {
	t.Helper()
	out, err := exec.Command("go", "list", "-deps", pkg).Output()
	if err != nil {
		t.Skipf("go list -deps %s: %v", pkg, err)
	}
	for _, dep := range strings.Fields(string(out)) {
		for bad, why := range forbidden {
			if dep == bad || strings.HasPrefix(dep, bad+"/") {
				t.Errorf("%s imports %s: %s", pkg, dep, why)
			}
		}
		first, _, _ := strings.Cut(dep, "/")
		if !strings.Contains(first, ".") || dep == pkg {
			continue // standard library, or the package itself
		}
		ok := false
		for _, a := range allowed {
			if dep == a || strings.HasPrefix(dep, a+"/") {
				ok = true
			}
		}
		if !ok {
			t.Errorf("%s imports %s, which is not among %v", pkg, dep, allowed)
		}
	}
}

// TestDeps keeps the domain free of transports and of the emulator: it is
// written once for every deployment, and talks to DynamoDB through the
// SDK client only.
func TestDeps(t *testing.T) {
	checkDeps(t, "github.com/faasport/faasport/petstore",
		[]string{
			"github.com/aws/aws-sdk-go-v2", // the DynamoDB client
			"github.com/aws/smithy-go",     // the SDK's error and transport types
			"github.com/faasport/faasport/faas",
		},
		map[string]string{
			"testing":                               "test support belongs in petstoretest",
			"github.com/gorilla/mux":                "routing is httpapi's business",
			"html/template":                         "pages belong to the monolith",
			"github.com/faasport/faasport/emulator": "the domain must run against real DynamoDB unchanged",
		})
}
