package spa_test

import (
	"testing"

	"github.com/faasport/faasport/internal/depcheck"
)

// TestDeps keeps the app's Go side to the standard library: it serves
// embedded files and knows nothing of the domain, the emulator or AWS
// (the browser speaks to those itself).
func TestDeps(t *testing.T) {
	depcheck.Check(t, "github.com/faasport/faasport/petstore/spa", depcheck.Rules{
		StdlibOnly: true,
		Forbidden: map[string]string{
			"testing": "test support stays out of production code",
		},
	})
}
