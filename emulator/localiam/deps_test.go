package localiam_test

import (
	"testing"

	"github.com/faasport/faasport/internal/depcheck"
)

// TestDeps keeps the package on the standard library, so that any service
// of the emulator, or a test, can evaluate policies without new imports.
func TestDeps(t *testing.T) {
	depcheck.Check(t, "github.com/faasport/faasport/emulator/localiam", depcheck.Rules{
		StdlibOnly: true,
		Forbidden: map[string]string{
			"testing": "test support stays out of production code",
		},
	})
}
