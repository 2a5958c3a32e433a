package petstore_test

import (
	"context"
	"testing"

	"github.com/faasport/faasport/petstore"
	"github.com/faasport/faasport/petstore/petstoretest"
)

// benchCatalog is a generated catalog of 10,000 products, as
// cmd/petstore --catalog 10000 serves.
func benchCatalog(b *testing.B) *petstore.Catalog {
	cat, _ := petstoretest.New(b, &petstoretest.Options{Products: petstore.GenerateCatalog(10000, 1)})
	return cat
}

func BenchmarkList(b *testing.B) {
	cat := benchCatalog(b)
	ctx := context.Background()
	for _, c := range []petstore.Category{"", petstore.Dogs} {
		name := string(c)
		if name == "" {
			name = "all"
		}
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				if _, err := cat.List(ctx, c, 3, 12); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkSearch(b *testing.B) {
	cat := benchCatalog(b)
	ctx := context.Background()
	for b.Loop() {
		if _, err := cat.Search(ctx, "cozy bed", 1, 12); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPurchase(b *testing.B) {
	cat, _ := petstoretest.New(b, &petstoretest.Options{Products: []petstore.Product{
		{ID: "a", Category: petstore.Dogs, Name: "A", Price: 100, Stock: 1 << 30},
		{ID: "b", Category: petstore.Dogs, Name: "B", Price: 200, Stock: 1 << 30},
	}})
	ctx := context.Background()
	items := []petstore.LineItem{{ProductID: "a", Quantity: 1}, {ProductID: "b", Quantity: 2}}
	for b.Loop() {
		if _, err := cat.Purchase(ctx, "bench", items, ""); err != nil {
			b.Fatal(err)
		}
	}
}
