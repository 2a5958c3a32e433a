package browsertest_test

import (
	"testing"

	"github.com/faasport/faasport/internal/depcheck"
)

// TestDeps keeps the package itself empty of imports: the browser tests,
// chromedp and what they start live in its test files only, so nothing
// built from this module can come to depend on a browser.
func TestDeps(t *testing.T) {
	const pkg = "github.com/faasport/faasport/petstore/browsertest"
	for _, dep := range depcheck.Deps(t, pkg) {
		if dep != pkg {
			t.Errorf("%s imports %s: the package holds tests only", pkg, dep)
		}
	}
}
