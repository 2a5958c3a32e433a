// Package petstoretest is test support for code built on package petstore:
// it opens a [petstore.Catalog] on an in-memory localdynamo store in the
// same process, its tables created and seeded, closed when the test ends.
package petstoretest

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/faasport/faasport/emulator/localdynamo"
	"github.com/faasport/faasport/emulator/localdynamo/localdynamotest"
	"github.com/faasport/faasport/petstore"
)

// Options configure [New]. The zero value (and nil) is ready for use.
type Options struct {
	// Products are seeded into the catalog. Nil means
	// [petstore.SeedProducts]; an empty non-nil slice seeds nothing.
	Products []petstore.Product
	// Now is the catalog's clock. Nil means time.Now.
	Now func() time.Time
}

// New returns a catalog on a fresh in-memory store, with its tables
// created and products seeded, and the DynamoDB client that reaches the
// store (for tables of the caller's own). opts may be nil. The store is
// closed when the test ends.
func New(t testing.TB, opts *Options) (*petstore.Catalog, *dynamodb.Client) {
	t.Helper()
	var o Options
	if opts != nil {
		o = *opts
	}
	_, cfg := localdynamotest.Open(t, &localdynamo.Options{TTLSweepInterval: -1})
	client := dynamodb.NewFromConfig(cfg)
	cat := petstore.New(client, &petstore.Options{Now: o.Now, Logger: slog.New(slog.NewTextHandler(t.Output(), nil))})
	ctx := context.Background()
	if err := cat.CreateTables(ctx); err != nil {
		t.Fatalf("CreateTables: %v", err)
	}
	products := o.Products
	if products == nil {
		products = petstore.SeedProducts()
	}
	if err := cat.Seed(ctx, products); err != nil {
		t.Fatalf("Seed: %v", err)
	}
	return cat, client
}
