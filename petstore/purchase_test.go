package petstore_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/faasport/faasport/faas"
	"github.com/faasport/faasport/petstore"
	"github.com/faasport/faasport/petstore/petstoretest"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

var purchaseProducts = []petstore.Product{
	{ID: "bowl", Category: petstore.Dogs, Name: "Steel Bowl", Price: 1250, Stock: 10},
	{ID: "leash", Category: petstore.Dogs, Name: "Leather Leash", Price: 3499, Stock: 3},
	{ID: "sold-out", Category: petstore.Cats, Name: "Sold Out Toy", Price: 500, Stock: 0},
	{ID: "hot", Category: petstore.Fish, Name: "Popular Tank", Price: 10000, Stock: 20},
	{ID: "plenty", Category: petstore.Birds, Name: "Seed Mix", Price: 300, Stock: 100000},
}

// clock is a settable time source safe for concurrent use.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(time.Millisecond) // order ids sort by time
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func newPurchaseCatalog(t *testing.T) (*petstore.Catalog, *clock) {
	clk := &clock{t: time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)}
	cat, _ := petstoretest.New(t, &petstoretest.Options{Products: purchaseProducts, Now: clk.Now})
	return cat, clk
}

func stock(t *testing.T, cat *petstore.Catalog, id string) int {
	t.Helper()
	p, err := cat.Get(context.Background(), id)
	if err != nil {
		t.Fatalf("Get(%s): %v", id, err)
	}
	return p.Stock
}

func TestPurchase(t *testing.T) {
	ctx := context.Background()
	cat, _ := newPurchaseCatalog(t)
	items := []petstore.LineItem{{ProductID: "bowl", Quantity: 2}, {ProductID: "leash", Quantity: 1}, {ProductID: "bowl", Quantity: 1}}
	o, err := cat.Purchase(ctx, "user-1", items, "key-1")
	if err != nil {
		t.Fatalf("Purchase: %v", err)
	}
	want := petstore.Order{
		UserID: "user-1",
		Lines: []petstore.OrderLine{
			{ProductID: "bowl", Name: "Steel Bowl", Quantity: 3, UnitPrice: 1250},
			{ProductID: "leash", Name: "Leather Leash", Quantity: 1, UnitPrice: 3499},
		},
		Total: 3*1250 + 3499,
	}
	if diff := cmp.Diff(want, o, cmpopts.IgnoreFields(petstore.Order{}, "ID", "CreatedAt")); diff != "" {
		t.Errorf("Purchase (-want +got):\n%s", diff)
	}
	if o.ID == "" || o.CreatedAt.IsZero() {
		t.Errorf("order has ID %q, CreatedAt %v", o.ID, o.CreatedAt)
	}
	if got := stock(t, cat, "bowl"); got != 7 {
		t.Errorf("bowl stock = %d, want 7", got)
	}
	if got := stock(t, cat, "leash"); got != 2 {
		t.Errorf("leash stock = %d, want 2", got)
	}
	orders, err := cat.Orders(ctx, "user-1")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]petstore.Order{o}, orders); diff != "" {
		t.Errorf("Orders (-want +got):\n%s", diff)
	}
	if o.Lines[0].Subtotal() != 3750 {
		t.Errorf("Subtotal = %v", o.Lines[0].Subtotal())
	}

	// A second order comes first in the history; other users see none.
	o2, err := cat.Purchase(ctx, "user-1", []petstore.LineItem{{ProductID: "plenty", Quantity: 1}}, "")
	if err != nil {
		t.Fatal(err)
	}
	orders, _ = cat.Orders(ctx, "user-1")
	if len(orders) != 2 || orders[0].ID != o2.ID || orders[1].ID != o.ID {
		t.Errorf("Orders = %v, want [%s %s]", orders, o2.ID, o.ID)
	}
	if orders, err := cat.Orders(ctx, "user-2"); err != nil || len(orders) != 0 {
		t.Errorf("Orders(user-2) = %v, %v; want none", orders, err)
	}
	_, err = cat.Orders(ctx, "")
	wantKind(t, "Orders without a user", err, faas.Unauthenticated)

	// Quote prices without buying.
	q, err := cat.Quote(ctx, []petstore.LineItem{{ProductID: "leash", Quantity: 2}})
	if err != nil || q.Total != 6998 || q.ID != "" {
		t.Errorf("Quote = %+v, %v", q, err)
	}
	if got := stock(t, cat, "leash"); got != 2 {
		t.Errorf("leash stock after Quote = %d, want 2", got)
	}
}

func TestPurchaseFailures(t *testing.T) {
	ctx := context.Background()
	cat, _ := newPurchaseCatalog(t)
	for _, tc := range []struct {
		name  string
		user  string
		items []petstore.LineItem
		key   string
		want  faas.Kind
	}{
		{"out of stock", "u", []petstore.LineItem{{"bowl", 1}, {"leash", 4}}, "", faas.Conflict},
		{"sold out", "u", []petstore.LineItem{{"sold-out", 1}}, "", faas.Conflict},
		{"quantity 100", "u", []petstore.LineItem{{"plenty", 100}}, "", faas.Invalid},
		{"quantity 0", "u", []petstore.LineItem{{"plenty", 0}}, "", faas.Invalid},
		{"negative quantity", "u", []petstore.LineItem{{"plenty", -1}}, "", faas.Invalid},
		{"merged lines over 99", "u", []petstore.LineItem{{"plenty", 60}, {"plenty", 40}}, "", faas.Invalid},
		{"unknown product", "u", []petstore.LineItem{{"bowl", 1}, {"no-such-thing", 1}}, "", faas.NotFound},
		{"malformed product id", "u", []petstore.LineItem{{"Bowl!", 1}}, "", faas.NotFound},
		{"empty cart", "u", nil, "", faas.Invalid},
		{"no user", "", []petstore.LineItem{{"bowl", 1}}, "", faas.Unauthenticated},
		{"long key", "u", []petstore.LineItem{{"bowl", 1}}, strings.Repeat("k", 129), faas.Invalid},
		{"key with newline", "u", []petstore.LineItem{{"bowl", 1}}, "a\nb", faas.Invalid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := cat.Purchase(ctx, tc.user, tc.items, tc.key)
			wantKind(t, "Purchase", err, tc.want)
			if faas.Message(err) == "" || strings.Contains(faas.Message(err), "Exception") {
				t.Errorf("Purchase message %q", faas.Message(err))
			}
		})
	}
	// Nothing changed.
	for _, p := range purchaseProducts {
		if got := stock(t, cat, p.ID); got != p.Stock {
			t.Errorf("%s stock = %d, want %d", p.ID, got, p.Stock)
		}
	}
	if orders, err := cat.Orders(ctx, "u"); err != nil || len(orders) != 0 {
		t.Errorf("Orders = %v, %v; want none", orders, err)
	}
	_, err := cat.Purchase(ctx, "u", []petstore.LineItem{{"leash", 4}}, "")
	if want := "only 3 of Leather Leash left"; !strings.Contains(faas.Message(err), want) {
		t.Errorf("out of stock message = %q, want it to say %q", faas.Message(err), want)
	}
}

// TestPurchaseConcurrent has 16 buyers race for one product's stock.
func TestPurchaseConcurrent(t *testing.T) {
	ctx := context.Background()
	cat, _ := newPurchaseCatalog(t)
	const buyers = 16
	initial := stock(t, cat, "hot")
	var wg sync.WaitGroup
	errs := make(chan error, buyers*10)
	for b := range buyers {
		wg.Go(func() {
			user := fmt.Sprintf("buyer-%d", b)
			for i := range 5 {
				items := []petstore.LineItem{{"plenty", 1}, {"hot", 1 + (b+i)%3}}
				_, err := cat.Purchase(ctx, user, items, fmt.Sprintf("k-%d", i))
				if err != nil && faas.KindOf(err) != faas.Conflict {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("Purchase: %v", err)
	}
	final := stock(t, cat, "hot")
	if final < 0 {
		t.Fatalf("final stock %d < 0: oversold", final)
	}
	ordered, orders := 0, 0
	for b := range buyers {
		os, err := cat.Orders(ctx, fmt.Sprintf("buyer-%d", b))
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range os {
			orders++
			for _, l := range o.Lines {
				if l.ProductID == "hot" {
					ordered += l.Quantity
				}
			}
		}
	}
	if ordered != initial-final {
		t.Errorf("orders hold %d units, but stock went from %d to %d", ordered, initial, final)
	}
	if got := 100000 - stock(t, cat, "plenty"); got != orders {
		t.Errorf("%d orders, but %d units of the second line were taken", orders, got)
	}
	if final > 2 {
		t.Errorf("final stock %d: buyers gave up with units left", final)
	}
}

func TestPurchaseIdempotent(t *testing.T) {
	ctx := context.Background()
	cat, clk := newPurchaseCatalog(t)
	items := []petstore.LineItem{{"bowl", 2}, {"leash", 1}}
	first, err := cat.Purchase(ctx, "alice", items, "checkout-42")
	if err != nil {
		t.Fatal(err)
	}
	// A retry, with the lines in another order, returns the same order.
	again, err := cat.Purchase(ctx, "alice", []petstore.LineItem{{"leash", 1}, {"bowl", 1}, {"bowl", 1}}, "checkout-42")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(first, again); diff != "" {
		t.Errorf("retry returned another order (-first +retry):\n%s", diff)
	}
	if got := stock(t, cat, "bowl"); got != 8 {
		t.Errorf("bowl stock after a retry = %d, want 8 (charged once)", got)
	}
	// The same key for another cart is a conflict.
	_, err = cat.Purchase(ctx, "alice", []petstore.LineItem{{"bowl", 3}}, "checkout-42")
	wantKind(t, "same key, other cart", err, faas.Conflict)
	// Keys are per user.
	bob, err := cat.Purchase(ctx, "bob", items, "checkout-42")
	if err != nil || bob.ID == first.ID {
		t.Errorf("bob with alice's key = %v, %v; want a new order", bob.ID, err)
	}

	// Concurrent retries of one purchase place one order.
	var wg sync.WaitGroup
	ids := make([]string, 8)
	for i := range ids {
		wg.Go(func() {
			o, err := cat.Purchase(ctx, "carol", []petstore.LineItem{{"hot", 1}}, "double-click")
			if err != nil {
				t.Errorf("concurrent retry: %v", err)
			}
			ids[i] = o.ID
		})
	}
	wg.Wait()
	for _, id := range ids {
		if id != ids[0] {
			t.Errorf("concurrent retries returned orders %v", ids)
			break
		}
	}
	if got := stock(t, cat, "hot"); got != 19 {
		t.Errorf("hot stock after concurrent retries = %d, want 19", got)
	}
	if os, _ := cat.Orders(ctx, "carol"); len(os) != 1 {
		t.Errorf("carol has %d orders, want 1", len(os))
	}

	// After the idempotency window the key is forgotten.
	clk.Advance(petstore.IdempotencyWindow + time.Minute)
	later, err := cat.Purchase(ctx, "alice", items, "checkout-42")
	if err != nil || later.ID == first.ID {
		t.Errorf("after the window: %v, %v; want a new order", later.ID, err)
	}
	if os, _ := cat.Orders(ctx, "alice"); len(os) != 2 {
		t.Errorf("alice has %d orders, want 2", len(os))
	}
}
