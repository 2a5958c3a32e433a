package browsertest_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/chromedp/chromedp"
	"github.com/google/go-cmp/cmp"
	"golang.org/x/crypto/bcrypt"

	"github.com/faasport/faasport/emulator/emulatortest"
	"github.com/faasport/faasport/petstore"
	"github.com/faasport/faasport/petstore/split"
)

// act runs actions that lead the single-page app to route (a hash such as
// "#/cart"), and waits until the app has drawn it.
func (b *browser) act(what, route string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	eval[bool](b, `delete document.documentElement.dataset.route`)
	b.do(what, actions...)
	b.waitFor(what+" → "+route, fmt.Sprintf(`document.documentElement.dataset.route === %q && document.getElementById('view').getAttribute('aria-busy') === 'false'`, route))
}

// TestSplitInBrowser drives the single-page app of the real serverless
// split in headless Chromium: sign-up and sign-in against the auth
// service, browsing and the product page read straight from the product
// store with identity-pool credentials, search through the API gateway
// and the search function, purchase through the gateway's JWT authorizer
// and the purchase function, and the order read back from the store with
// the customer's own credentials — all under the split's IAM policies.
func TestSplitInBrowser(t *testing.T) {
	b := newBrowser(t)
	opts, admin := split.Options("")
	opts.Auth.BcryptCost = bcrypt.MinCost
	e := emulatortest.New(t, opts)
	s, err := split.Start(context.Background(), e, &split.Config{Admin: admin})
	if err != nil {
		t.Fatalf("split.Start: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("closing the split: %v", err)
		}
	})

	// Home: a guest's Scan of the Products table.
	b.act("opening the shop", "#/", chromedp.Navigate(s.SPAURL+"/"))
	b.waitFor("the app to start", `document.documentElement.dataset.ready === 'true'`)
	if n := b.count("#product-grid .product-card"); n != petstore.DefaultPageSize {
		t.Errorf("home shows %d product cards, want %d", n, petstore.DefaultPageSize)
	}
	b.wantText("#cart-count", "0")
	b.screenshot("spa-home")

	// Sign up: the app signs the new customer in.
	b.act("to sign-up", "#/signup", click("#signup-link"))
	b.act("signing up", "#/",
		fill("#signup-username", username), fill("#signup-password", password), click("#signup-submit"))
	b.wantText("#message", "Welcome to the store, "+username+"!")
	b.wantText("#user-name", "Hi, "+username)

	// Sign out, and in again.
	b.act("signing out", "#/", click("#signout-button"))
	b.wantText("#message", "You are signed out.")
	b.act("to sign-in", "#/signin", click("#signin-link"))
	b.act("signing in", "#/",
		fill("#signin-username", username), fill("#signin-password", password), click("#signin-submit"))
	b.wantText("#message", "Welcome back, "+username+".")
	b.wantText("#user-name", "Hi, "+username)

	// Browse a category (a Query of category-index), then search.
	card := `.product-card[data-product-id="` + productID + `"]`
	b.act("the fish", "#/category/fish", click(`#category-nav a[data-category="fish"]`))
	if n := b.count("#product-grid " + card); n != 1 {
		t.Errorf("the fish show %d cards of %s, want 1", n, productID)
	}
	b.act("searching", "#/search?q=goldfish", fill("#search-input", "goldfish"), click("#search-button"))
	if n := b.count("#product-grid " + card); n != 1 {
		t.Fatalf("the search for goldfish shows %d cards of %s, want 1; it shows %q", n, productID, b.texts(".product-card .product-name"))
	}
	b.wantText(card+" .product-name", productName)

	// The product: a GetItem.
	b.act("a product", "#/product/"+productID, click(card+" a.product-link"))
	b.wantText("#product-detail .product-name", productName)
	b.wantText("#product-detail .product-price", unitPrice)
	b.screenshot("spa-product")

	// The cart.
	b.do("adding to the cart", fill("#quantity", "2"), click("#add-to-cart"))
	b.waitFor("the cart count", `document.getElementById('cart-count').textContent === '2'`)
	b.act("to the cart", "#/cart", click("#cart-link"))
	b.wantText(`.cart-item[data-product-id="`+productID+`"] .cart-item-name`, productName)
	b.wantText("#cart-total", total)
	b.wantText("#checkout-button", "Place order")
	b.screenshot("spa-cart")

	// Purchase, through the gateway, and the order.
	b.act("placing the order", "#/orders", click("#checkout-button"))
	if kind := eval[string](b, `document.getElementById('message').dataset.kind`); kind != "success" {
		t.Errorf("#message after the order = %q (%s), want success", b.text("#message"), kind)
	}
	b.wantText("#cart-count", "0")
	if n := b.count("#order-list .order"); n != 1 {
		t.Fatalf("#order-list has %d orders, want 1", n)
	}
	orderID := eval[string](b, `document.querySelector('#order-list .order').dataset.orderId`)
	b.wantText("#order-list .order .order-id", "Order "+orderID)
	b.wantText("#order-list .order .order-total", total)
	if got, want := b.text("#message"), "Thank you! Your order "+orderID+" is placed: "+total+"."; got != want {
		t.Errorf("#message after the purchase = %q, want %q", got, want)
	}
	if got, want := strings.Join(b.texts("#order-list .order .order-line"), "\n"), "2 × "+productName+unitPrice; got != want {
		t.Errorf("the order's line = %q, want %q", got, want)
	}
	b.screenshot("spa-orders")

	// The store holds the order the page shows, under the customer's sub.
	sub := eval[string](b, `(() => {
		const s = JSON.parse(sessionStorage.getItem('petstore.session'));
		const b64 = s.idToken.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
		return JSON.parse(atob(b64)).sub;
	})()`)
	store := petstore.New(dynamodb.New(dynamodb.Options{
		Region:       s.Region,
		BaseEndpoint: aws.String(s.AWSURL),
		Credentials:  credentials.StaticCredentialsProvider{Value: admin},
	}), nil)
	orders, err := store.Orders(context.Background(), sub)
	if err != nil {
		t.Fatalf("Orders: %v", err)
	}
	want := []petstore.OrderLine{{ProductID: productID, Name: productName, Quantity: quantity, UnitPrice: 599}}
	if len(orders) != 1 || orders[0].ID != orderID || orders[0].Total != 1198 {
		t.Fatalf("the store holds orders %+v for %s, want one: %s for %s", orders, sub, orderID, total)
	}
	if diff := cmp.Diff(want, orders[0].Lines); diff != "" {
		t.Errorf("the order's lines in the store (-want +got):\n%s", diff)
	}

	// The traffic went where the split says: search and purchase through
	// the gateway, the orders straight from the store, signed with the
	// customer's identity-pool credentials.
	shopperKey := eval[string](b, `JSON.parse(sessionStorage.getItem('petstore.credentials')).accessKeyId`)
	if shopperKey == "" || shopperKey == admin.AccessKeyID {
		t.Errorf("the app's credentials have access key %q, want one the identity pool issued", shopperKey)
	}
	var searches, purchases, orderReads, storeCalls int
	for _, x := range b.exchanges() {
		target := header(x.Headers, "X-Amz-Target")
		switch {
		case x.Method == "GET" && strings.HasPrefix(x.URL, s.APIURL+"/api/search?"):
			searches++
		case x.Method == "POST" && x.URL == s.APIURL+"/api/purchase":
			purchases++
			if x.Status != 200 {
				t.Errorf("the purchase was answered %d, want 200", x.Status)
			}
		case strings.HasPrefix(target, "DynamoDB_20120810."):
			storeCalls++
			if !strings.HasPrefix(x.URL, s.AWSURL) {
				t.Errorf("a store request went to %s, want the emulator at %s", x.URL, s.AWSURL)
			}
			if x.Status != 200 {
				t.Errorf("the store refused %s: %d", x.String(), x.Status)
			}
			if target == "DynamoDB_20120810.Query" && strings.Contains(x.Body, `"TableName":"Orders"`) {
				orderReads++
				if key := accessKey(header(x.Headers, "Authorization")); key != shopperKey {
					t.Errorf("the orders were read with access key %q, want the customer's %q", key, shopperKey)
				}
			}
		}
	}
	if searches == 0 || purchases != 1 || orderReads == 0 || storeCalls == 0 {
		t.Errorf("the page made %d searches through the gateway, %d purchases, %d reads of the Orders table and %d store calls; want some, 1, some and some",
			searches, purchases, orderReads, storeCalls)
	}
	b.checkClean()
}

var credentialRE = regexp.MustCompile(`Credential=([^/,\s]+)/`)

// accessKey returns the access key id of a SigV4 Authorization header.
func accessKey(authorization string) string {
	if m := credentialRE.FindStringSubmatch(authorization); m != nil {
		return m[1]
	}
	return ""
}
