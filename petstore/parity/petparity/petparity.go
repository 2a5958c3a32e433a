// Package petparity is the pet store's parity suite: the [Driver]
// interface of what a customer does, its two implementations — the
// monolith over HTTP ([MonolithDriver]) and the serverless split through
// the auth service, the product store and the API gateway, as the
// single-page app does ([SplitDriver]) — and the table of [Scenarios]
// both must pass alike, for package parity to run:
//
//	parity.Run(t, map[string]petparity.Driver{
//		"monolith": petparity.NewMonolithDriver(monolithURL, nil),
//		"split":    petparity.NewSplitDriver(s.SPAConfig(), nil),
//	}, petparity.Scenarios(), nil)
//
// # Normalised results
//
// Deployments keep their own users, so results leave out what only one
// deployment could know: order ids, user ids and times ([OrderView]).
// Errors compare by their faas.Kind. Both drivers map their transport's
// failures onto kinds the same way the shared handlers do (400 Invalid,
// 401 Unauthenticated, 403 Forbidden, 404 NotFound, 409 Conflict), and
// the split driver maps Cognito's and DynamoDB's errors onto them: a
// taken username is Conflict, a password the pool refuses Invalid, a
// failed sign-in Unauthenticated, DynamoDB's AccessDeniedException
// Forbidden.
//
// # Another user's orders
//
// In the split a customer reads orders straight from the product store,
// so asking for another user's orders is a real request, which the
// store refuses (AccessDeniedException, so Forbidden). The monolith's
// JSON API has no way to name another user: GET /api/orders answers
// with the caller's own orders whatever it is asked. Its driver asks
// anyway (?userId=) and, when the answer is the caller's own orders, reports
// Forbidden: the domain result of both is "not visible to you". Were
// the monolith to answer with other orders, the driver would return them
// and the suite would show the leak as a difference.
//
// A guest asking for orders is Unauthenticated in both: the monolith's
// API answers 401, and the split's driver, like the single-page app,
// asks the customer to sign in without calling the store.
package petparity

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/faasport/faasport/faas"
	"github.com/faasport/faasport/petstore"
	"github.com/faasport/faasport/petstore/parity"
)

// Session is a signed-in customer of one deployment. A nil Session is a
// guest.
type Session interface {
	// Username is the name the customer signed in with.
	Username() string
}

// Driver is what a customer does with the pet store, on one deployment.
// Every error is a *faas.Error whose kind says what happened (see the
// package documentation). A Driver is used by one goroutine at a time.
type Driver interface {
	// SignUp creates an account; it does not sign in.
	SignUp(ctx context.Context, user, password string) error
	// SignIn signs a customer in.
	SignIn(ctx context.Context, user, password string) (Session, error)
	// List returns a page of the listing of a category ("" for all).
	List(ctx context.Context, s Session, category string, page int) (petstore.Page, error)
	// Get returns a product.
	Get(ctx context.Context, s Session, id string) (petstore.Product, error)
	// Search returns a page of search results.
	Search(ctx context.Context, s Session, query string, page int) (petstore.Page, error)
	// Purchase buys items, with an idempotency key ("" for none).
	Purchase(ctx context.Context, s Session, items []petstore.LineItem, key string) (petstore.Order, error)
	// Orders returns the orders of the user ofUser, newest first, as the
	// session's customer may see them; "" means the customer's own.
	Orders(ctx context.Context, s Session, ofUser string) ([]petstore.Order, error)
}

// Page is a page of products, as the results compare it; it prints as
// its page numbers and product ids.
type Page petstore.Page

func (p Page) String() string {
	return fmt.Sprintf("page %d of %d (%d products): %s", p.Page, p.Pages, p.Total, strings.Join(p.IDs(), " "))
}

// IDs returns the ids of the page's products, in order.
func (p Page) IDs() []string {
	ids := make([]string, len(p.Products))
	for i, pr := range p.Products {
		ids[i] = pr.ID
	}
	return ids
}

// Product is a product, as the results compare it.
type Product petstore.Product

func (p Product) String() string {
	return fmt.Sprintf("%s (%s, %s, %d in stock)", p.ID, p.Name, p.Price, p.Stock)
}

// OrderView is an order as the results compare it: its lines and total,
// without the id, user and time that only one deployment knows.
type OrderView struct {
	Lines []petstore.OrderLine
	Total petstore.Cents
}

func viewOf(o petstore.Order) OrderView { return OrderView{Lines: o.Lines, Total: o.Total} }

func (o OrderView) String() string {
	lines := make([]string, len(o.Lines))
	for i, l := range o.Lines {
		lines[i] = fmt.Sprintf("%d×%s", l.Quantity, l.ProductID)
	}
	return fmt.Sprintf("{%s = %s}", strings.Join(lines, " + "), o.Total)
}

// Purchase is the result of a purchase step: the order, and whether it
// is the order an earlier step placed with the same idempotency key.
type Purchase struct {
	Order  OrderView
	Replay bool
}

func (p Purchase) String() string {
	if p.Replay {
		return p.Order.String() + " (the earlier order)"
	}
	return p.Order.String()
}

// Passwords the scenarios use: one every deployment accepts, and ones
// every deployment refuses.
const (
	Password      = "kibble4ever"
	WrongPassword = "kibble5ever"
)

// The steps. Users are named as in the scenario (made unique with
// State.Name); "" is a guest.

type step = parity.Step[Driver]

func sessionKey(st *parity.State, user string) string { return "session/" + st.Name(user) }

// session returns the session the user signed in with in an earlier
// step, nil for a guest.
func session(st *parity.State, user string) (Session, error) {
	if user == "" {
		return nil, nil
	}
	s, ok := st.Get(sessionKey(st, user)).(Session)
	if !ok {
		return nil, faas.Errorf(faas.Unauthenticated, "petparity: %s has not signed in", user)
	}
	return s, nil
}

func who(user string) string {
	if user == "" {
		return "a guest"
	}
	return user
}

func signUp(user, password string, want parity.Want) step {
	return step{
		Name: fmt.Sprintf("%s signs up with password %q", user, password),
		Do: func(ctx context.Context, d Driver, st *parity.State) (any, error) {
			return nil, d.SignUp(ctx, st.Name(user), password)
		},
		Want: want,
	}
}

func signIn(user, password string, want parity.Want) step {
	return step{
		Name: fmt.Sprintf("%s signs in with password %q", user, password),
		Do: func(ctx context.Context, d Driver, st *parity.State) (any, error) {
			s, err := d.SignIn(ctx, st.Name(user), password)
			if err == nil {
				st.Set(sessionKey(st, user), s)
			}
			return nil, err
		},
		Want: want,
	}
}

// customer signs user up and in.
func customer(user string) []step {
	return []step{signUp(user, Password, parity.Succeeds()), signIn(user, Password, parity.Succeeds())}
}

func list(user, category string, page int, want parity.Want) step {
	return step{
		Name: fmt.Sprintf("%s lists %q page %d", who(user), category, page),
		Do: func(ctx context.Context, d Driver, st *parity.State) (any, error) {
			s, err := session(st, user)
			if err != nil {
				return nil, err
			}
			p, err := d.List(ctx, s, category, page)
			return Page(p), err
		},
		Want: want,
	}
}

func get(user, id string, want parity.Want) step {
	return step{
		Name: fmt.Sprintf("%s views product %q", who(user), id),
		Do: func(ctx context.Context, d Driver, st *parity.State) (any, error) {
			s, err := session(st, user)
			if err != nil {
				return nil, err
			}
			p, err := d.Get(ctx, s, id)
			return Product(p), err
		},
		Want: want,
	}
}

func search(user, query string, page int, want parity.Want) step {
	q := query
	if len(q) > 40 {
		q = q[:37] + "..."
	}
	return step{
		Name: fmt.Sprintf("%s searches for %q page %d", who(user), q, page),
		Do: func(ctx context.Context, d Driver, st *parity.State) (any, error) {
			s, err := session(st, user)
			if err != nil {
				return nil, err
			}
			p, err := d.Search(ctx, s, query, page)
			return Page(p), err
		},
		Want: want,
	}
}

func buy(user, key string, items []petstore.LineItem, want parity.Want) step {
	var cart []string
	for _, it := range items {
		cart = append(cart, fmt.Sprintf("%d×%s", it.Quantity, it.ProductID))
	}
	name := fmt.Sprintf("%s buys [%s]", who(user), strings.Join(cart, ", "))
	if key != "" {
		name += " with key " + key
	}
	return step{
		Name: name,
		Do: func(ctx context.Context, d Driver, st *parity.State) (any, error) {
			s, err := session(st, user)
			if err != nil {
				return nil, err
			}
			o, err := d.Purchase(ctx, s, items, key)
			if err != nil {
				return nil, err
			}
			p := Purchase{Order: viewOf(o)}
			if key != "" {
				k := "order/" + user + "/" + key
				if first, ok := st.Get(k).(string); ok {
					p.Replay = first == o.ID
				} else {
					st.Set(k, o.ID)
				}
			}
			return p, nil
		},
		Want: want,
	}
}

func orders(user, ofUser string, want parity.Want) step {
	name := fmt.Sprintf("%s asks for their orders", who(user))
	if ofUser != "" {
		name = fmt.Sprintf("%s asks for %s's orders", who(user), ofUser)
	}
	return step{
		Name: name,
		Do: func(ctx context.Context, d Driver, st *parity.State) (any, error) {
			s, err := session(st, user)
			if err != nil {
				return nil, err
			}
			of := ""
			if ofUser != "" {
				of = st.Name(ofUser)
			}
			os, err := d.Orders(ctx, s, of)
			if err != nil {
				return nil, err
			}
			views := make([]OrderView, len(os))
			for i, o := range os {
				views[i] = viewOf(o)
			}
			return views, nil
		},
		Want: want,
	}
}

// items returns line items from pairs of product id and quantity.
func items(pairs ...any) []petstore.LineItem {
	var out []petstore.LineItem
	for i := 0; i+1 < len(pairs); i += 2 {
		out = append(out, petstore.LineItem{ProductID: pairs[i].(string), Quantity: pairs[i+1].(int)})
	}
	return out
}

// seed returns the seed product with the given id, its stock changed by
// delta; it panics for an unknown id, which is a bug in the table.
func seed(id string, delta int) Product {
	for _, p := range petstore.SeedProducts() {
		if p.ID == id {
			p.Stock += delta
			return Product(p)
		}
	}
	panic("petparity: no seed product " + id)
}

// bought is the order of items at seed prices.
func bought(pairs ...any) OrderView {
	var o OrderView
	for _, it := range items(pairs...) {
		p := seed(it.ProductID, 0)
		l := petstore.OrderLine{ProductID: p.ID, Name: p.Name, Quantity: it.Quantity, UnitPrice: p.Price}
		o.Lines = append(o.Lines, l)
		o.Total += l.Subtotal()
	}
	return o
}

func pageOf(page, pages, total, n int) parity.Want {
	return parity.Satisfies(fmt.Sprintf("page %d of %d with %d of %d products", page, pages, n, total), func(p Page) bool {
		return p.Page == page && p.Pages == pages && p.Total == total && len(p.Products) == n
	})
}

func ids(want ...string) parity.Want {
	return parity.Satisfies(fmt.Sprintf("the products %q", want), func(p Page) bool {
		return slices.Equal(p.IDs(), want)
	})
}

// Scenarios returns the pet store's parity scenarios, to run on
// deployments seeded with [petstore.SeedProducts] and never bought from
// before. Each call returns a new table.
func Scenarios() []parity.Scenario[Driver] {
	all := petstore.SeedProducts()
	count := func(c petstore.Category) int {
		n := 0
		for _, p := range all {
			if c == "" || p.Category == c {
				n++
			}
		}
		return n
	}
	pages := func(n int) int { return (n + petstore.DefaultPageSize - 1) / petstore.DefaultPageSize }
	size := petstore.DefaultPageSize
	nAll, nCats := count(""), count(petstore.Cats)

	concat := func(parts ...[]step) []step { return slices.Concat(parts...) }
	return []parity.Scenario[Driver]{
		{Name: "sign up and sign in", Steps: concat(customer("ann"), []step{
			signUp("ann", Password, parity.Fails(faas.Conflict)),
			signIn("ann", Password, parity.Succeeds()),
		})},
		{Name: "wrong password", Steps: []step{
			signUp("ben", Password, parity.Succeeds()),
			signIn("ben", WrongPassword, parity.Fails(faas.Unauthenticated)),
			signIn("nobody", Password, parity.Fails(faas.Unauthenticated)),
			signIn("ben", Password, parity.Succeeds()),
		}},
		{Name: "weak passwords", Steps: []step{
			signUp("cy", "short1", parity.Fails(faas.Invalid)),
			signUp("cy", "nodigitshere", parity.Fails(faas.Invalid)),
			signUp("cy", "PASSWORD1", parity.Fails(faas.Invalid)), // no lower-case letter
			signUp("cy", "ÄÖÜÄÖÜÄ1", parity.Fails(faas.Invalid)),  // nor here
			signUp("cy", "äöüäöüä1", parity.Succeeds()),
			signIn("cy", "short1", parity.Fails(faas.Unauthenticated)),
		}},
		{Name: "browse pages", Steps: concat([]step{
			list("", "", 1, pageOf(1, pages(nAll), nAll, size)),
			list("", "", 2, pageOf(2, pages(nAll), nAll, size)),
			list("", "", pages(nAll), pageOf(pages(nAll), pages(nAll), nAll, nAll-(pages(nAll)-1)*size)),
			list("", "", 99, pageOf(99, pages(nAll), nAll, 0)),
			list("", "cats", 1, pageOf(1, pages(nCats), nCats, min(nCats, size))),
			list("", "cats", 2, pageOf(2, pages(nCats), nCats, max(0, nCats-size))),
			list("", "unicorns", 1, parity.Fails(faas.Invalid)),
			list("", "", -1, parity.Fails(faas.Invalid)),
		}, customer("dee"), []step{
			list("dee", "fish", 1, pageOf(1, pages(count(petstore.Fish)), count(petstore.Fish), min(size, count(petstore.Fish)))),
		})},
		{Name: "product detail", Steps: []step{
			get("", "dog-leather-leash", parity.Is(seed("dog-leather-leash", 0))),
			get("", "dog-puzzle-feeder", parity.Is(seed("dog-puzzle-feeder", 0))),
			get("", "no-such-product", parity.Fails(faas.NotFound)),
			get("", "Not An ID!", parity.Fails(faas.NotFound)),
		}},
		{Name: "search", Steps: []step{
			search("", "kitten", 1, ids("cat-maine-coon-kitten", "cat-siamese-kitten")),
			search("", "KITTEN", 1, ids("cat-maine-coon-kitten", "cat-siamese-kitten")),
			search("", "pâté", 1, ids("cat-tuna-pate")),
			search("", "dog", 2, parity.Succeeds()),
			search("", "zebra", 1, pageOf(1, 0, 0, 0)),
			search("", "%", 1, pageOf(1, 0, 0, 0)),
			search("", "<script>alert(1)</script>", 1, pageOf(1, 0, 0, 0)),
			search("", "cat' OR '1'='1", 1, parity.Succeeds()),
			search("", "   ", 1, parity.Fails(faas.Invalid)),
			search("", strings.Repeat("a", petstore.MaxQueryLen+1), 1, parity.Fails(faas.Invalid)),
			search("", "kitten", 0, ids("cat-maine-coon-kitten", "cat-siamese-kitten")),
			search("", "kitten", -2, parity.Fails(faas.Invalid)),
		}},
		{Name: "purchase", Steps: concat(customer("eli"), []step{
			buy("eli", "", items("fish-neon-tetra", 2), parity.Is(Purchase{Order: bought("fish-neon-tetra", 2)})),
			get("eli", "fish-neon-tetra", parity.Is(seed("fish-neon-tetra", -2))),
			buy("eli", "", items("bird-seed-mix", 1, "fish-goldfish", 3, "bird-seed-mix", 1), parity.Is(Purchase{Order: bought("bird-seed-mix", 2, "fish-goldfish", 3)})),
			orders("eli", "", parity.Is([]OrderView{bought("bird-seed-mix", 2, "fish-goldfish", 3), bought("fish-neon-tetra", 2)})),
		})},
		{Name: "purchase without signing in", Steps: []step{
			buy("", "", items("fish-betta", 1), parity.Fails(faas.Unauthenticated)),
			get("", "fish-betta", parity.Is(seed("fish-betta", 0))),
			orders("", "", parity.Fails(faas.Unauthenticated)),
		}},
		{Name: "out of stock", Steps: concat(customer("flo"), []step{
			buy("flo", "", items("dog-puzzle-feeder", 1), parity.Fails(faas.Conflict)),
			buy("flo", "", items("cat-maine-coon-kitten", 2), parity.Fails(faas.Conflict)),
			buy("flo", "", items("cat-laser-toy", 1, "cat-maine-coon-kitten", 2), parity.Fails(faas.Conflict)),
			get("flo", "cat-laser-toy", parity.Is(seed("cat-laser-toy", 0))),
			buy("flo", "", items("cat-maine-coon-kitten", 1), parity.Is(Purchase{Order: bought("cat-maine-coon-kitten", 1)})),
			buy("flo", "", items("cat-maine-coon-kitten", 1), parity.Fails(faas.Conflict)),
			get("", "cat-maine-coon-kitten", parity.Is(seed("cat-maine-coon-kitten", -1))),
		})},
		{Name: "over quantity", Steps: concat(customer("gus"), []step{
			buy("gus", "", items("bird-cuttlebone", petstore.MaxQuantity+1), parity.Fails(faas.Invalid)),
			buy("gus", "", items("bird-cuttlebone", 0), parity.Fails(faas.Invalid)),
			buy("gus", "", items("bird-cuttlebone", -1), parity.Fails(faas.Invalid)),
			buy("gus", "", items("bird-cuttlebone", 60, "bird-cuttlebone", 40), parity.Fails(faas.Invalid)),
			buy("gus", "", nil, parity.Fails(faas.Invalid)),
			buy("gus", "", items("no-such-product", 1), parity.Fails(faas.NotFound)),
			buy("gus", "", items("bird-cuttlebone", 61), parity.Fails(faas.Conflict)),
			get("gus", "bird-cuttlebone", parity.Is(seed("bird-cuttlebone", 0))),
			orders("gus", "", parity.Is([]OrderView{})),
		})},
		{Name: "idempotent retry", Steps: concat(customer("hal"), []step{
			buy("hal", "cart-1", items("bird-millet-spray", 3), parity.Is(Purchase{Order: bought("bird-millet-spray", 3)})),
			buy("hal", "cart-1", items("bird-millet-spray", 3), parity.Is(Purchase{Order: bought("bird-millet-spray", 3), Replay: true})),
			get("hal", "bird-millet-spray", parity.Is(seed("bird-millet-spray", -3))),
			buy("hal", "cart-1", items("bird-millet-spray", 4), parity.Fails(faas.Conflict)),
			buy("hal", "cart-2", items("bird-millet-spray", 4), parity.Is(Purchase{Order: bought("bird-millet-spray", 4)})),
			orders("hal", "", parity.Is([]OrderView{bought("bird-millet-spray", 4), bought("bird-millet-spray", 3)})),
		})},
		{Name: "order history", Steps: concat(customer("ivy"), []step{
			orders("ivy", "", parity.Is([]OrderView{})),
			buy("ivy", "h1", items("fish-flake-food", 1), parity.Succeeds()),
			buy("ivy", "h2", items("fish-java-fern", 2, "fish-water-conditioner", 1), parity.Succeeds()),
			orders("ivy", "", parity.Is([]OrderView{bought("fish-java-fern", 2, "fish-water-conditioner", 1), bought("fish-flake-food", 1)})),
		})},
		{Name: "another user's orders", Steps: concat(customer("jo"), customer("kim"), []step{
			buy("jo", "", items("cat-catnip-mice", 1), parity.Succeeds()),
			orders("kim", "jo", parity.Fails(faas.Forbidden)),
			orders("kim", "", parity.Is([]OrderView{})),
			orders("jo", "", parity.Is([]OrderView{bought("cat-catnip-mice", 1)})),
			orders("", "jo", parity.Fails(faas.Unauthenticated)),
		})},
	}
}
