package localcognito_test

import (
	"testing"

	"github.com/faasport/faasport/internal/depcheck"
)

// TestDeps keeps the package's production imports within its layer.
func TestDeps(t *testing.T) {
	depcheck.Check(t, "github.com/faasport/faasport/emulator/localcognito", depcheck.Rules{
		Forbidden: map[string]string{
			"testing":                                            "test support stays out of production code",
			"github.com/faasport/faasport/petstore":              "the emulator knows nothing of the app it runs",
			"github.com/faasport/faasport/adapter":               "the auth service has no Lambda events",
			"github.com/aws/aws-sdk-go-v2/service":               "the emulator serves AWS's wire protocols; it needs no AWS service client",
			"github.com/faasport/faasport/emulator/localgateway": "services do not import each other",
			"github.com/faasport/faasport/emulator/localdynamo":  "services do not import each other",
		},
	})
}
