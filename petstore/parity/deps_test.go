package parity_test

import (
	"testing"

	"github.com/faasport/faasport/internal/depcheck"
)

// TestDeps keeps the harness generic: other migrations use it with
// drivers of their own, so it must know nothing of the pet store or of
// how any deployment is reached.
func TestDeps(t *testing.T) {
	depcheck.Check(t, "github.com/faasport/faasport/petstore/parity", depcheck.Rules{
		Forbidden: map[string]string{
			"github.com/faasport/faasport/petstore":          "the pet store's scenarios and drivers belong in petparity",
			"github.com/faasport/faasport/petstore/httpapi":  "drivers, not the harness, know the transports",
			"github.com/faasport/faasport/petstore/split":    "drivers, not the harness, know the deployments",
			"github.com/faasport/faasport/petstore/monolith": "drivers, not the harness, know the deployments",
			"github.com/faasport/faasport/emulator":          "drivers, not the harness, know the deployments",
			"github.com/faasport/faasport/adapter":           "drivers, not the harness, know the transports",
			"github.com/aws/aws-sdk-go-v2":                   "drivers, not the harness, know the services",
		},
	})
}
