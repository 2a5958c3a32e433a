package split_test

import (
	"testing"

	"github.com/faasport/faasport/internal/depcheck"
)

// TestDeps keeps the split one of two peers over the shared handlers: it
// must not reach into the monolith, and test support stays out of it.
func TestDeps(t *testing.T) {
	depcheck.Check(t, "github.com/faasport/faasport/petstore/split", depcheck.Rules{
		Forbidden: map[string]string{
			"testing": "test support belongs in _test files",
			"github.com/faasport/faasport/petstore/monolith": "the split and the monolith are peers over httpapi",
			"github.com/faasport/faasport/petstore/parity":   "imports point down: parity drives the split",
		},
	})
}
