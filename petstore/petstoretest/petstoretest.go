// Package petstoretest is test support for code built on package petstore:
// it opens a [petstore.Catalog] on an in-memory localdynamo store in the
// same process, its tables created and seeded, closed when the test ends.
package petstoretest

import (
	"context"
	"github.com/faasport/faasport/emulator/clock"
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
	// Now is the catalog's clock, and the store's for TTL expiry, so that
	// items the catalog stamps with an expiry by its clock expire by the
	// same clock. Nil means time.Now.
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
	storeOpts := &localdynamo.Options{TTLSweepInterval: -1}
	if o.Now != nil {
		storeOpts.Clock = nowClock{Clock: clock.Real(), now: o.Now}
	}
	_, cfg := localdynamotest.Open(t, storeOpts)
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

// nowClock is the real clock but for the time it tells, which is now's.
type nowClock struct {
	clock.Clock
	now func() time.Time
}

func (c nowClock) Now() time.Time                  { return c.now() }
func (c nowClock) Since(t time.Time) time.Duration { return c.now().Sub(t) }
