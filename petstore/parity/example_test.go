package parity_test

import (
	"context"
	"fmt"

	"github.com/faasport/faasport/petstore/parity"
)

// Play one scenario on the original store and on a port of it, and show
// where they differ. In a test, parity.Run reports the same as failures.
func ExamplePlay() {
	drivers := map[string]store{"original": &memStore{}, "port": &portedStore{}}
	outcomes, err := parity.Play(context.Background(), drivers, []parity.Scenario[store]{{
		Name:  "round trip",
		Steps: []parity.Step[store]{put("a", "apple"), get("a", parity.Is("apple"))},
	}}, nil)
	if err != nil {
		panic(err)
	}
	for _, o := range outcomes {
		fmt.Printf("%s: original %s, port %s, %d differences\n", o.StepName, o.Results["original"], o.Results["port"], len(o.Diffs))
	}
	// Output:
	// put a: original ok, port ok, 0 differences
	// get a: original ok apple, port ok APPLE, 2 differences
}
