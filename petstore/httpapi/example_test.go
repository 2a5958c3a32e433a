package httpapi_test

import (
	"context"
	"fmt"
	"log"
	"net/http/httptest"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/faasport/faasport/emulator/localdynamo"
	"github.com/faasport/faasport/faas"
	"github.com/faasport/faasport/petstore"
	"github.com/faasport/faasport/petstore/httpapi"
)

func openCatalog() (*petstore.Catalog, func()) {
	store, err := localdynamo.Open(":memory:", nil)
	if err != nil {
		log.Fatal(err)
	}
	cat := petstore.New(dynamodb.NewFromConfig(aws.Config{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", ""),
		BaseEndpoint: aws.String("http://localdynamo.invalid"),
		HTTPClient:   store.HTTPClient(),
	}), nil)
	ctx := context.Background()
	if err := cat.CreateTables(ctx); err != nil {
		log.Fatal(err)
	}
	if err := cat.Seed(ctx, petstore.SeedProducts()); err != nil {
		log.Fatal(err)
	}
	return cat, func() { store.Close() }
}

func ExampleNewRouter() {
	cat, done := openCatalog()
	defer done()
	router := httpapi.NewRouter(cat)

	serve := func(method, target, body string, p *faas.Principal) {
		req := httptest.NewRequest(method, target, strings.NewReader(body))
		if p != nil {
			// What the monolith's session middleware, or the adapter
			// behind a gateway's JWT authorizer, does for a signed-in
			// caller.
			req = req.WithContext(faas.NewPrincipalContext(req.Context(), p))
		}
		w := httptest.NewRecorder()
		router.ServeHTTP(w, req)
		out := strings.TrimSpace(w.Body.String())
		if len(out) > 80 {
			out = out[:80] + "..."
		}
		fmt.Println(w.Code, out)
	}
	serve("GET", "/api/products/fish-goldfish", "", nil)
	serve("GET", "/api/search?q=", "", nil)
	order := `{"items":[{"productId":"fish-goldfish","quantity":3}],"idempotencyKey":"k1"}`
	serve("POST", "/api/purchase", order, nil)
	serve("POST", "/api/purchase", `{"items":[{"productId":"cat-maine-coon-kitten","quantity":5}]}`, &faas.Principal{Subject: "user-1"})
	// Output:
	// 200 {"id":"fish-goldfish","category":"fish","name":"Fancy Goldfish","description":"A...
	// 400 {"error":{"kind":"invalid","message":"enter something to search for"}}
	// 401 {"error":{"kind":"unauthenticated","message":"sign in to buy"}}
	// 409 {"error":{"kind":"conflict","message":"only 1 of Maine Coon Kitten left in stock...
}

// Every route has a name, so that the serverless split can carve
// functions out of the same router with adapter.Routes.
func ExampleNewRouter_routeNames() {
	cat, done := openCatalog()
	defer done()
	router := httpapi.NewRouter(cat)
	for _, name := range []string{httpapi.RouteProducts, httpapi.RouteProduct, httpapi.RouteSearch, httpapi.RoutePurchase, httpapi.RouteOrders, httpapi.RouteImage} {
		tmpl, _ := router.Get(name).GetPathTemplate()
		methods, _ := router.Get(name).GetMethods()
		fmt.Println(name, methods[0], tmpl)
	}
	// Output:
	// products GET /api/products
	// product GET /api/products/{id}
	// search GET /api/search
	// purchase POST /api/purchase
	// orders GET /api/orders
	// image GET /static/img/{id}.svg
}
