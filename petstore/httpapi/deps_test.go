package httpapi_test

import (
	"testing"

	"github.com/faasport/faasport/internal/depcheck"
)

// TestDeps keeps httpapi a transport over the domain that both
// deployments share: it must not know which one serves it.
func TestDeps(t *testing.T) {
	depcheck.Check(t, "github.com/faasport/faasport/petstore/httpapi", depcheck.Rules{
		Forbidden: map[string]string{
			"testing": "test support belongs in petstoretest",
			"github.com/faasport/faasport/petstore/monolith": "imports point down: the monolith serves httpapi",
			"github.com/faasport/faasport/adapter":           "handlers must not know they run as functions",
			"github.com/faasport/faasport/emulator":          "handlers must run on AWS unchanged",
			"github.com/aws/aws-lambda-go":                   "handlers must not know they run as functions",
		},
	})
}
