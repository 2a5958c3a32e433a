package monolith_test

import (
	"testing"

	"github.com/faasport/faasport/internal/depcheck"
)

// TestDeps keeps the monolith one deployment among others: it serves the
// shared handlers and must not depend on the serverless machinery or on
// the emulator, so that it runs against real DynamoDB unchanged.
func TestDeps(t *testing.T) {
	depcheck.Check(t, "github.com/faasport/faasport/petstore/monolith", depcheck.Rules{
		Forbidden: map[string]string{
			"testing":                               "test support stays out of production code",
			"github.com/faasport/faasport/adapter":  "the monolith is the classic deployment, not a function",
			"github.com/faasport/faasport/emulator": "the monolith must run against real DynamoDB unchanged",
			"github.com/aws/aws-lambda-go":          "the monolith is the classic deployment, not a function",
		},
	})
}
