package locallambda_test

import (
	"testing"

	"github.com/faasport/faasport/internal/depcheck"
)

// TestDeps keeps the package's production imports within its layer.
func TestDeps(t *testing.T) {
	depcheck.Check(t, "github.com/faasport/faasport/emulator/locallambda", depcheck.Rules{
		Forbidden: map[string]string{
			"testing":                               "test support stays out of production code",
			"github.com/faasport/faasport/petstore": "the emulator knows nothing of the app it runs",
			"github.com/aws/aws-sdk-go-v2":          "the emulator serves AWS's wire protocol; it needs no AWS client",
		},
	})
}
