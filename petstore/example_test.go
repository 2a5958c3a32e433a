package petstore_test

import (
	"context"
	"fmt"
	"log"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/faasport/faasport/emulator/localdynamo"
	"github.com/faasport/faasport/faas"
	"github.com/faasport/faasport/petstore"
)

// openCatalog returns a catalog on an in-memory localdynamo store, with
// its tables created and the seed products loaded. On AWS, the client
// would come from config.LoadDefaultConfig instead.
func openCatalog() (*petstore.Catalog, func()) {
	store, err := localdynamo.Open(":memory:", nil)
	if err != nil {
		log.Fatal(err)
	}
	client := dynamodb.NewFromConfig(aws.Config{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", ""),
		BaseEndpoint: aws.String("http://localdynamo.invalid"),
		HTTPClient:   store.HTTPClient(),
	})
	cat := petstore.New(client, nil)
	ctx := context.Background()
	if err := cat.CreateTables(ctx); err != nil {
		log.Fatal(err)
	}
	if err := cat.Seed(ctx, petstore.SeedProducts()); err != nil {
		log.Fatal(err)
	}
	return cat, func() { store.Close() }
}

func ExampleCatalog_Search() {
	cat, done := openCatalog()
	defer done()
	page, err := cat.Search(context.Background(), "Kitten", 1, 10)
	if err != nil {
		log.Fatal(err)
	}
	for _, p := range page.Products {
		fmt.Println(p.Name, p.Price)
	}
	// Output:
	// Maine Coon Kitten $1299.00
	// Siamese Kitten $699.00
}

// Name matches rank above category matches, which rank above matches in
// the description.
func ExampleCatalog_Search_ranking() {
	cat, done := openCatalog()
	defer done()
	ctx := context.Background()
	first, err := cat.Search(ctx, "bird", 1, 3)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(first.Total, "results, page", first.Page, "of", first.Pages)
	last, _ := cat.Search(ctx, "bird", first.Pages, 3)
	for _, p := range append(first.Products, last.Products...) {
		fmt.Printf("%s (%s)\n", p.Name, p.Category)
	}
	_, err = cat.Search(ctx, "   ", 1, 3)
	fmt.Println(faas.KindOf(err), err)
	// Output:
	// 14 results, page 1 of 5
	// Bird Travel Carrier (birds)
	// Clip-On Bird Bath (birds)
	// Budgerigar (birds)
	// Feather Wand Teaser (cats)
	// Window Perch (cats)
	// invalid petstore: enter something to search for
}

func ExampleCatalog_Purchase() {
	cat, done := openCatalog()
	defer done()
	ctx := context.Background()
	cart := []petstore.LineItem{{ProductID: "dog-chew-rope", Quantity: 2}, {ProductID: "cat-catnip-mice", Quantity: 1}}
	order, err := cat.Purchase(ctx, "user-1", cart, "checkout-1")
	if err != nil {
		log.Fatal(err)
	}
	for _, l := range order.Lines {
		fmt.Println(l.Quantity, l.Name, l.Subtotal())
	}
	fmt.Println("total", order.Total)

	// A retry with the same idempotency key returns the same order and
	// charges once.
	again, _ := cat.Purchase(ctx, "user-1", cart, "checkout-1")
	rope, _ := cat.Get(ctx, "dog-chew-rope")
	fmt.Println("same order:", again.ID == order.ID, "rope stock:", rope.Stock)

	// More than the stock is a conflict, and changes nothing.
	_, err = cat.Purchase(ctx, "user-1", []petstore.LineItem{{ProductID: "cat-maine-coon-kitten", Quantity: 2}}, "")
	fmt.Println(faas.KindOf(err), err)
	// Output:
	// 2 Braided Cotton Rope Toy $25.98
	// 1 Catnip Mice, 6 Pack $7.99
	// total $33.97
	// same order: true rope stock: 38
	// conflict petstore: only 1 of Maine Coon Kitten left in stock, not 2
}

func ExampleGenerateCatalog() {
	products := petstore.GenerateCatalog(10000, 1)
	fmt.Println(len(products), products[0].ID, products[0].Category, products[0].Image)
	// Output: 10000 gen-1-000000 dogs /static/img/gen-1-000000.svg
}
