package faas_test

import (
	"testing"

	"github.com/faasport/faasport/internal/depcheck"
)

// TestDeps keeps faas at the floor of the module: it is the portable
// function model every other package builds on, so it imports the standard
// library only — no AWS, no router, no database, and nothing else from this
// module.
func TestDeps(t *testing.T) {
	depcheck.Check(t, "github.com/faasport/faasport/faas", depcheck.Rules{
		StdlibOnly: true,
		Forbidden: map[string]string{
			"testing": "test support belongs in a footest package, not in production code",
		},
	})
}
