package localgateway_test

import (
	"testing"

	"github.com/faasport/faasport/internal/depcheck"
)

// TestDeps keeps the gateway generic: app specifics (routes, functions)
// are handed to it, so it never imports petstore, and test support stays
// out of production code.
func TestDeps(t *testing.T) {
	depcheck.Check(t, "github.com/faasport/faasport/emulator/localgateway", depcheck.Rules{
		Forbidden: map[string]string{
			"github.com/faasport/faasport/petstore": "the emulator never imports the app",
			"testing":                               "test support does not belong in production code",
			"github.com/faasport/faasport/verify/verifytest": "test support does not belong in production code",
		},
	})
}
