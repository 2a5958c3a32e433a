package browsertest_test

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"regexp"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/chromedp/chromedp"
	"github.com/google/go-cmp/cmp"
	"golang.org/x/crypto/bcrypt"

	"github.com/faasport/faasport/petstore"
	"github.com/faasport/faasport/petstore/monolith"
	"github.com/faasport/faasport/petstore/petstoretest"
)

// The customer of both journeys. The password suits both deployments'
// policy: a lower-case letter and a digit.
const (
	username = "alice"
	password = "corr3ct-horse"
)

// What the customer buys: two of the seed catalog's goldfish.
const (
	productID   = "fish-goldfish"
	productName = "Fancy Goldfish"
	unitPrice   = "$5.99"
	quantity    = 2
	total       = "$11.98"
)

// TestMonolithInBrowser drives the monolith's server-rendered pages in
// headless Chromium: sign up and sign in through the forms (with their
// CSRF tokens and the session cookie), search, a product, the cart,
// checkout, and the order on the orders page and in the store.
func TestMonolithInBrowser(t *testing.T) {
	b := newBrowser(t)
	cat, db := petstoretest.New(t, nil)
	site, err := monolith.New(monolith.Config{
		Catalog:    cat,
		Dynamo:     db,
		Secure:     false, // http://127.0.0.1
		Logger:     slog.New(slog.NewTextHandler(t.Output(), nil)),
		BcryptCost: bcrypt.MinCost,
	})
	if err != nil {
		t.Fatalf("monolith.New: %v", err)
	}
	srv := httptest.NewServer(site)
	t.Cleanup(srv.Close)

	// Home: the whole catalog, a page at a time.
	b.load("opening the shop", "/", chromedp.Navigate(srv.URL+"/"))
	b.wantText("main h1", "All pets")
	if n := b.count("main .grid a.card"); n != petstore.DefaultPageSize {
		t.Errorf("home shows %d product cards, want %d", n, petstore.DefaultPageSize)
	}
	b.wantText(`nav.account a[href="/cart"]`, "Cart (0)")
	b.screenshot("monolith-home")

	// Sign up: the form signs the new customer in.
	b.load("to sign-up", "/signup", click(`nav.account a[href="/signup"]`))
	b.do("filling in the sign-up form", fill("#username", username), fill("#password", password))
	b.load("signing up", "/", click(`main form[action="/signup"] button[type="submit"]`))
	b.wantText("main .flash", "Welcome to the Pet Store, "+username+"!")
	b.wantText("nav.account .who", "Signed in as "+username)

	// Sign out, and in again.
	b.load("signing out", "/", click(`nav.account form[action="/signout"] button[type="submit"]`))
	b.wantText("main .flash", "You are signed out.")
	if n := b.count("nav.account .who"); n != 0 {
		t.Errorf("after signing out, the header still shows %q", b.text("nav.account .who"))
	}
	b.load("to sign-in", "/signin", click(`nav.account a[href="/signin"]`))
	b.do("filling in the sign-in form", fill("#username", username), fill("#password", password))
	b.load("signing in", "/", click(`main form[action="/signin"] button[type="submit"]`))
	b.wantText("main .flash", "Welcome back, "+username+".")
	b.wantText("nav.account .who", "Signed in as "+username)

	// Browse a category, then search.
	b.load("the fish", "/", click(`nav.categories a[href="/?category=fish"]`))
	b.wantText("main h1", "Fish")
	b.do("searching", fill(`header form.search input[name="q"]`, "goldfish"))
	b.load("searching", "/search", click(`header form.search button[type="submit"]`))
	b.wantContains("main p.muted", "for “goldfish”")
	card := `main .grid a.card[href="/products/` + productID + `"]`
	if n := b.count(card); n != 1 {
		t.Fatalf("the search for goldfish shows %d cards of %s, want 1; it shows %q", n, productID, b.texts("main .grid .card .name"))
	}
	b.wantText(card+" .name", productName)

	// The product.
	b.load("a product", "/products/"+productID, click(card))
	b.wantText("main .product h1", productName)
	b.wantText("main .product .price", unitPrice)
	b.screenshot("monolith-product")

	// The cart.
	b.do("choosing a quantity", fill("#quantity", "2"))
	b.load("adding to the cart", "/cart", click(`main form[action="/cart/add"] button[type="submit"]`))
	b.wantText("main .flash", "Added 2 × "+productName+" to your cart.")
	b.wantText(`nav.account a[href="/cart"]`, "Cart (2)")
	b.wantText("main table.lines tbody td a", productName)
	b.wantText("main table.lines tfoot td.num", total)
	b.screenshot("monolith-cart")

	// Checkout, and the order.
	b.load("checking out", "/checkout", click(`main a.button[href="/checkout"]`))
	b.wantText("main table.lines tfoot td.num", total)
	b.load("placing the order", "/orders", click(`main form[action="/checkout"] button[type="submit"]`))
	b.wantText("main h1", "Your orders")
	if n := b.count("main section.order"); n != 1 {
		t.Fatalf("the orders page shows %d orders, want 1", n)
	}
	heading := b.text("main section.order.placed h2")
	m := regexp.MustCompile(`^Thank you! Order (\S+) `).FindStringSubmatch(heading)
	if m == nil {
		t.Fatalf("the order's heading is %q, want Thank you! Order <id> · <date>", heading)
	}
	orderID := m[1]
	rows := eval[[][]string](b, `[...document.querySelectorAll('main section.order table.lines tbody tr')].map((r) => [...r.cells].map((c) => c.textContent.trim()))`)
	if diff := cmp.Diff([][]string{{productName, unitPrice, "2", total}}, rows); diff != "" {
		t.Errorf("order lines (-want +got):\n%s", diff)
	}
	b.wantText("main section.order table.lines tfoot td.num", total)
	b.wantText(`nav.account a[href="/cart"]`, "Cart (0)")
	b.screenshot("monolith-orders")

	// The store holds the order the page shows.
	ctx := context.Background()
	out, err := db.GetItem(ctx, &dynamodb.GetItemInput{
		TableName: aws.String(monolith.UsersTable),
		Key:       map[string]types.AttributeValue{"username": &types.AttributeValueMemberS{Value: username}},
	})
	if err != nil {
		t.Fatalf("reading the user: %v", err)
	}
	userID, _ := out.Item["userId"].(*types.AttributeValueMemberS)
	if userID == nil {
		t.Fatalf("the Users table has no userId for %s: %v", username, out.Item)
	}
	orders, err := cat.Orders(ctx, userID.Value)
	if err != nil {
		t.Fatalf("Orders: %v", err)
	}
	want := []petstore.OrderLine{{ProductID: productID, Name: productName, Quantity: quantity, UnitPrice: 599}}
	if len(orders) != 1 || orders[0].ID != orderID || orders[0].Total != 1198 {
		t.Fatalf("the store holds orders %+v, want one: %s for %s", orders, orderID, total)
	}
	if diff := cmp.Diff(want, orders[0].Lines); diff != "" {
		t.Errorf("the order's lines in the store (-want +got):\n%s", diff)
	}

	b.checkClean()
}
