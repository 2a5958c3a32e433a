package petparity_test

import (
	"context"
	"fmt"
	"log/slog"

	"golang.org/x/crypto/bcrypt"

	"github.com/faasport/faasport/emulator"
	"github.com/faasport/faasport/petstore/parity"
	"github.com/faasport/faasport/petstore/parity/petparity"
	"github.com/faasport/faasport/petstore/split"
)

// Play a scenario of the pet store's table on the serverless split, as
// its single-page app would. TestParity runs the whole table on the
// split and on the monolith, and fails on any difference.
func ExampleScenarios() {
	opts, admin := split.Options("")
	opts.Logger = slog.New(slog.DiscardHandler)
	opts.Auth.BcryptCost = bcrypt.MinCost // fast, weak password hashes: for examples and tests only
	e, err := emulator.New(opts)
	if err != nil {
		panic(err)
	}
	defer e.Close()
	s, err := split.Start(context.Background(), e, &split.Config{Admin: admin})
	if err != nil {
		panic(err)
	}
	defer s.Close()

	var scenarios []parity.Scenario[petparity.Driver]
	for _, sc := range petparity.Scenarios() {
		if sc.Name == "product detail" {
			scenarios = append(scenarios, sc)
		}
	}
	outcomes, err := parity.Play(context.Background(), map[string]petparity.Driver{
		"split": petparity.NewSplitDriver(s.SPAConfig(), nil),
	}, scenarios, nil)
	if err != nil {
		panic(err)
	}
	for _, o := range outcomes {
		r := o.Results["split"]
		if r.Err() {
			fmt.Printf("%s: %s\n", o.StepName, r.Kind)
		} else {
			fmt.Printf("%s: %v\n", o.StepName, r.Value)
		}
	}
	// Output:
	// a guest views product "dog-leather-leash": dog-leather-leash (Leather Leash, $34.99, 25 in stock)
	// a guest views product "dog-puzzle-feeder": dog-puzzle-feeder (Puzzle Feeder, $24.99, 0 in stock)
	// a guest views product "no-such-product": not_found
	// a guest views product "Not An ID!": not_found
}
