package split_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"

	"golang.org/x/crypto/bcrypt"

	"github.com/faasport/faasport/emulator"
	"github.com/faasport/faasport/petstore"
	"github.com/faasport/faasport/petstore/split"
)

// Run the pet store's serverless split on the emulator and search it
// through the API gateway, as the single-page app at s.SPAURL does.
func Example() {
	opts, admin := split.Options("") // "" keeps the data in memory
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

	resp, err := http.Get(s.APIURL + "/api/search?q=kitten")
	if err != nil {
		panic(err)
	}
	defer resp.Body.Close()
	var page petstore.Page
	if err := json.NewDecoder(resp.Body).Decode(&page); err != nil {
		panic(err)
	}
	for _, p := range page.Products {
		fmt.Printf("%s %s\n", p.Name, p.Price)
	}
	// Output:
	// Maine Coon Kitten $1299.00
	// Siamese Kitten $699.00
}
