package verify_test

import (
	"testing"

	"github.com/faasport/faasport/internal/depcheck"
)

// TestDeps keeps verify low in the module: functions, the gateway, the
// auth service and the product store all import it, so it imports nothing
// of the emulator (which sits above it) and no test support.
func TestDeps(t *testing.T) {
	depcheck.Check(t, "github.com/faasport/faasport/verify", depcheck.Rules{
		Forbidden: map[string]string{
			"github.com/faasport/faasport/emulator": "the emulator and the app build on verify, not the reverse",
			"github.com/faasport/faasport/petstore": "the emulator and the app build on verify, not the reverse",
			"testing":                               "test support belongs in verifytest",
			"net/http/httptest":                     "test support belongs in verifytest",
		},
	})
}
