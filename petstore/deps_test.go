package petstore_test

import (
	"testing"

	"github.com/faasport/faasport/internal/depcheck"
)

// TestDeps keeps the domain free of transports and of the emulator: it is
// written once for every deployment, and talks to DynamoDB through the
// SDK client only.
func TestDeps(t *testing.T) {
	depcheck.Check(t, "github.com/faasport/faasport/petstore", depcheck.Rules{
		StdlibOnly: true,
		Allowed: []string{
			"github.com/aws/aws-sdk-go-v2", // the DynamoDB client
			"github.com/aws/smithy-go",     // the SDK's error and transport types
			"github.com/faasport/faasport/faas",
		},
		Forbidden: map[string]string{
			"testing":                               "test support belongs in petstoretest",
			"github.com/gorilla/mux":                "routing is httpapi's business",
			"html/template":                         "pages belong to the monolith",
			"github.com/faasport/faasport/emulator": "the domain must run against real DynamoDB unchanged",
		},
	})
}
