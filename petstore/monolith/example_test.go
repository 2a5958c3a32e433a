package monolith_test

import (
	"context"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/faasport/faasport/emulator/localdynamo"
	"github.com/faasport/faasport/petstore"
	"github.com/faasport/faasport/petstore/monolith"
)

func ExampleNew() {
	store, err := localdynamo.Open(":memory:", nil)
	if err != nil {
		log.Fatal(err)
	}
	defer store.Close()
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

	site, err := monolith.New(monolith.Config{Catalog: cat, Secure: false})
	if err != nil {
		log.Fatal(err)
	}
	srv := httptest.NewServer(site)
	defer srv.Close()

	// A browser: cookies, and forms that carry the page's CSRF token.
	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar}
	csrf := regexp.MustCompile(`name="csrf-token" content="([^"]+)"`)
	h1 := regexp.MustCompile(`<h1>([^<]*)</h1>`)
	show := func(resp *http.Response, err error) string {
		if err != nil {
			log.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		fmt.Println(resp.StatusCode, resp.Request.URL.Path, h1.FindStringSubmatch(string(body))[1])
		return csrf.FindStringSubmatch(string(body))[1]
	}

	token := show(browser.Get(srv.URL + "/signup"))
	token = show(browser.PostForm(srv.URL+"/signup", url.Values{"csrf": {token}, "username": {"alice"}, "password": {"correct horse 1"}}))
	token = show(browser.PostForm(srv.URL+"/cart/add", url.Values{"csrf": {token}, "productId": {"fish-betta"}, "quantity": {"1"}}))
	show(browser.PostForm(srv.URL+"/checkout", url.Values{"csrf": {token}}))
	show(browser.PostForm(srv.URL+"/cart/add", url.Values{"csrf": {"forged"}, "productId": {"fish-betta"}, "quantity": {"1"}}))

	// The JSON API sees the same signed-in user.
	resp, _ := browser.Get(srv.URL + "/api/orders")
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	fmt.Println(resp.StatusCode, strings.Count(string(body), `"productId":"fish-betta"`), "order of fish-betta")
	// Output:
	// 200 /signup Create an account
	// 200 / All pets
	// 200 /cart Your cart
	// 200 /orders Your orders
	// 403 /cart/add Form expired
	// 200 1 order of fish-betta
}
