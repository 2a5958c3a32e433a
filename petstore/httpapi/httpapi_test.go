package httpapi_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/faasport/faasport/faas"
	"github.com/faasport/faasport/petstore"
	"github.com/faasport/faasport/petstore/httpapi"
	"github.com/faasport/faasport/petstore/petstoretest"
	"github.com/google/go-cmp/cmp"
	"github.com/gorilla/mux"
)

var alice = &faas.Principal{Subject: "user-alice", Username: "alice"}

type call struct {
	method, path string
	body         string
	header       map[string]string
	principal    *faas.Principal
}

func do(t *testing.T, h http.Handler, c call) *httptest.ResponseRecorder {
	t.Helper()
	var body io.Reader
	if c.body != "" {
		body = strings.NewReader(c.body)
	}
	req := httptest.NewRequest(c.method, c.path, body)
	for k, v := range c.header {
		req.Header.Set(k, v)
	}
	if c.principal != nil {
		req = req.WithContext(faas.NewPrincipalContext(req.Context(), c.principal))
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w
}

func decode[T any](t *testing.T, w *httptest.ResponseRecorder) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(w.Body.Bytes(), &v); err != nil {
		t.Fatalf("response %d %q is not JSON: %v", w.Code, w.Body, err)
	}
	return v
}

func TestRouteNames(t *testing.T) {
	cat, _ := petstoretest.New(t, &petstoretest.Options{Products: []petstore.Product{}})
	r := httpapi.NewRouter(cat)
	for _, tc := range []struct{ name, method, path string }{
		{httpapi.RouteProducts, "GET", "/api/products"},
		{httpapi.RouteProduct, "GET", "/api/products/dog-beagle-puppy"},
		{httpapi.RouteSearch, "GET", "/api/search?q=x"},
		{httpapi.RoutePurchase, "POST", "/api/purchase"},
		{httpapi.RouteOrders, "GET", "/api/orders"},
		{httpapi.RouteImage, "GET", "/static/img/dog-beagle-puppy.svg"},
	} {
		var m mux.RouteMatch
		if !r.Match(httptest.NewRequest(tc.method, tc.path, nil), &m) || m.Route == nil || m.Route.GetName() != tc.name {
			t.Errorf("%s %s does not match the route named %q", tc.method, tc.path, tc.name)
		}
	}
}

func TestAPI(t *testing.T) {
	cat, _ := petstoretest.New(t, nil)
	h := httpapi.NewRouter(cat)
	seed := petstore.SeedProducts()
	dogs := 0
	for _, p := range seed {
		if p.Category == petstore.Dogs {
			dogs++
		}
	}

	type errBody = httpapi.ErrorBody
	for _, tc := range []struct {
		name       string
		call       call
		wantStatus int
		wantKind   string // the error kind, for failures
		check      func(t *testing.T, w *httptest.ResponseRecorder)
	}{
		{name: "list all", call: call{method: "GET", path: "/api/products"}, wantStatus: 200, check: func(t *testing.T, w *httptest.ResponseRecorder) {
			pg := decode[petstore.Page](t, w)
			if pg.Total != len(seed) || len(pg.Products) != petstore.DefaultPageSize || pg.Page != 1 {
				t.Errorf("page = total %d, %d products, page %d", pg.Total, len(pg.Products), pg.Page)
			}
			if ct := w.Header().Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type = %q", ct)
			}
		}},
		{name: "list category page", call: call{method: "GET", path: "/api/products?category=dogs&page=2&pageSize=5"}, wantStatus: 200, check: func(t *testing.T, w *httptest.ResponseRecorder) {
			pg := decode[petstore.Page](t, w)
			if pg.Total != dogs || pg.Page != 2 || len(pg.Products) != 5 || pg.Products[0].Category != petstore.Dogs {
				t.Errorf("page = %+v", pg)
			}
		}},
		{name: "unknown category", call: call{method: "GET", path: "/api/products?category=reptiles"}, wantStatus: 400, wantKind: "invalid"},
		{name: "bad page", call: call{method: "GET", path: "/api/products?page=two"}, wantStatus: 400, wantKind: "invalid"},
		{name: "huge page size", call: call{method: "GET", path: "/api/products?pageSize=1000"}, wantStatus: 400, wantKind: "invalid"},
		{name: "product", call: call{method: "GET", path: "/api/products/" + seed[0].ID}, wantStatus: 200, check: func(t *testing.T, w *httptest.ResponseRecorder) {
			if diff := cmp.Diff(seed[0], decode[petstore.Product](t, w)); diff != "" {
				t.Errorf("product (-want +got):\n%s", diff)
			}
		}},
		{name: "unknown product", call: call{method: "GET", path: "/api/products/no-such-pet"}, wantStatus: 404, wantKind: "not_found"},
		{name: "search", call: call{method: "GET", path: "/api/search?q=kitten"}, wantStatus: 200, check: func(t *testing.T, w *httptest.ResponseRecorder) {
			pg := decode[petstore.Page](t, w)
			if pg.Total != 2 || !strings.Contains(pg.Products[0].Name, "Kitten") {
				t.Errorf("search kitten = %+v", pg)
			}
		}},
		{name: "search percent", call: call{method: "GET", path: "/api/search?q=%25"}, wantStatus: 200, check: func(t *testing.T, w *httptest.ResponseRecorder) {
			if pg := decode[petstore.Page](t, w); pg.Total != 0 || pg.Products == nil {
				t.Errorf("search %% = %+v", pg)
			}
		}},
		{name: "search empty", call: call{method: "GET", path: "/api/search?q="}, wantStatus: 400, wantKind: "invalid"},
		{name: "search blank", call: call{method: "GET", path: "/api/search?q=+++"}, wantStatus: 400, wantKind: "invalid"},
		{name: "search long", call: call{method: "GET", path: "/api/search?q=" + strings.Repeat("a", 1000)}, wantStatus: 400, wantKind: "invalid"},
		{name: "purchase anonymous", call: call{method: "POST", path: "/api/purchase", body: `{"items":[{"productId":"dog-chew-rope","quantity":1}]}`}, wantStatus: 401, wantKind: "unauthenticated"},
		{name: "purchase malformed", call: call{method: "POST", path: "/api/purchase", body: `{"items":[`, principal: alice}, wantStatus: 400, wantKind: "invalid"},
		{name: "purchase empty body", call: call{method: "POST", path: "/api/purchase", principal: alice}, wantStatus: 400, wantKind: "invalid"},
		{name: "purchase wrong type", call: call{method: "POST", path: "/api/purchase", body: `{"items":[{"productId":"dog-chew-rope","quantity":"1"}]}`, principal: alice}, wantStatus: 400, wantKind: "invalid"},
		{name: "purchase trailing data", call: call{method: "POST", path: "/api/purchase", body: `{"items":[]} {}`, principal: alice}, wantStatus: 400, wantKind: "invalid"},
		{name: "purchase huge body", call: call{method: "POST", path: "/api/purchase", body: `{"idempotencyKey":"` + strings.Repeat("k", 70000) + `"}`, principal: alice}, wantStatus: 400, wantKind: "invalid"},
		{name: "purchase empty cart", call: call{method: "POST", path: "/api/purchase", body: `{"items":[]}`, principal: alice}, wantStatus: 400, wantKind: "invalid"},
		{name: "purchase over quantity", call: call{method: "POST", path: "/api/purchase", body: `{"items":[{"productId":"dog-chew-rope","quantity":100}]}`, principal: alice}, wantStatus: 400, wantKind: "invalid"},
		{name: "purchase unknown product", call: call{method: "POST", path: "/api/purchase", body: `{"items":[{"productId":"unicorn","quantity":1}]}`, principal: alice}, wantStatus: 404, wantKind: "not_found"},
		{name: "purchase out of stock", call: call{method: "POST", path: "/api/purchase", body: `{"items":[{"productId":"dog-puzzle-feeder","quantity":1}]}`, principal: alice}, wantStatus: 409, wantKind: "conflict", check: func(t *testing.T, w *httptest.ResponseRecorder) {
			if m := decode[errBody](t, w).Error.Message; m != "Puzzle Feeder is out of stock" {
				t.Errorf("message = %q", m)
			}
		}},
		{name: "purchase keys differ", call: call{method: "POST", path: "/api/purchase", body: `{"items":[{"productId":"dog-chew-rope","quantity":1}],"idempotencyKey":"a"}`, header: map[string]string{"Idempotency-Key": "b"}, principal: alice}, wantStatus: 400, wantKind: "invalid"},
		{name: "orders anonymous", call: call{method: "GET", path: "/api/orders"}, wantStatus: 401, wantKind: "unauthenticated"},
		{name: "orders none", call: call{method: "GET", path: "/api/orders", principal: &faas.Principal{Subject: "nobody"}}, wantStatus: 200, check: func(t *testing.T, w *httptest.ResponseRecorder) {
			if got := strings.TrimSpace(w.Body.String()); got != `{"orders":[]}` {
				t.Errorf("body = %s", got)
			}
		}},
		{name: "principal without subject", call: call{method: "GET", path: "/api/orders", principal: &faas.Principal{Username: "ghost"}}, wantStatus: 401, wantKind: "unauthenticated"},
		{name: "image", call: call{method: "GET", path: "/static/img/cat-siamese-kitten.svg"}, wantStatus: 200, check: func(t *testing.T, w *httptest.ResponseRecorder) {
			if ct := w.Header().Get("Content-Type"); ct != "image/svg+xml" {
				t.Errorf("Content-Type = %q", ct)
			}
			if !strings.HasPrefix(w.Body.String(), "<svg") || !strings.Contains(w.Body.String(), "Siamese Kitten") {
				t.Errorf("body = %.80s", w.Body)
			}
		}},
		{name: "image head", call: call{method: "HEAD", path: "/static/img/cat-siamese-kitten.svg"}, wantStatus: 200, check: func(t *testing.T, w *httptest.ResponseRecorder) {
			if w.Body.Len() != 0 {
				t.Errorf("HEAD body = %.80s", w.Body)
			}
		}},
		{name: "image unknown", call: call{method: "GET", path: "/static/img/nothing.svg"}, wantStatus: 404, wantKind: "not_found"},
		{name: "no route", call: call{method: "GET", path: "/api/nothing"}, wantStatus: 404, wantKind: "not_found"},
		{name: "wrong method", call: call{method: "DELETE", path: "/api/products"}, wantStatus: 405, wantKind: "invalid"},
		{name: "purchase by GET", call: call{method: "GET", path: "/api/purchase"}, wantStatus: 405, wantKind: "invalid"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := do(t, h, tc.call)
			if w.Code != tc.wantStatus {
				t.Fatalf("%s %s = %d %s, want %d", tc.call.method, tc.call.path, w.Code, w.Body, tc.wantStatus)
			}
			if tc.wantKind != "" {
				e := decode[errBody](t, w)
				if e.Error.Kind != tc.wantKind || e.Error.Message == "" || strings.HasPrefix(e.Error.Message, "petstore:") {
					t.Errorf("error body = %+v, want kind %q and a message", e, tc.wantKind)
				}
			}
			if tc.check != nil {
				tc.check(t, w)
			}
		})
	}
}

func TestPurchaseFlow(t *testing.T) {
	cat, _ := petstoretest.New(t, nil)
	h := httpapi.NewRouter(cat)
	body := `{"items":[{"productId":"dog-chew-rope","quantity":2},{"productId":"cat-catnip-mice","quantity":1}]}`
	buy := call{method: "POST", path: "/api/purchase", body: body, principal: alice, header: map[string]string{"Idempotency-Key": "k1"}}
	w := do(t, h, buy)
	if w.Code != 200 {
		t.Fatalf("purchase = %d %s", w.Code, w.Body)
	}
	o := decode[petstore.Order](t, w)
	if o.UserID != alice.Subject || o.Total != 2*1299+799 || len(o.Lines) != 2 {
		t.Errorf("order = %+v", o)
	}
	// A retry with the header returns the same order, charged once.
	if again := decode[petstore.Order](t, do(t, h, buy)); again.ID != o.ID {
		t.Errorf("retry placed order %s, want %s", again.ID, o.ID)
	}
	p, _ := cat.Get(context.Background(), "dog-chew-rope")
	if p.Stock != 38 {
		t.Errorf("stock = %d, want 38", p.Stock)
	}
	// The same key in the body is the same purchase.
	buy.header = nil
	buy.body = strings.TrimSuffix(body, "}") + `,"idempotencyKey":"k1"}`
	if again := decode[petstore.Order](t, do(t, h, buy)); again.ID != o.ID {
		t.Errorf("retry with the key in the body placed order %s, want %s", again.ID, o.ID)
	}
	// Prices sent by the client are ignored.
	cheat := call{method: "POST", path: "/api/purchase", principal: alice,
		body: `{"items":[{"productId":"dog-chew-rope","quantity":1,"price":1,"unitPrice":1}]}`}
	if o := decode[petstore.Order](t, do(t, h, cheat)); o.Total != 1299 {
		t.Errorf("order with a client price = %v, want the store's $12.99", o.Total)
	}
	// The orders are alice's alone.
	got := decode[httpapi.OrdersResponse](t, do(t, h, call{method: "GET", path: "/api/orders", principal: alice}))
	if len(got.Orders) != 2 || got.Orders[1].ID != o.ID {
		t.Errorf("orders = %+v", got)
	}
	bob := decode[httpapi.OrdersResponse](t, do(t, h, call{method: "GET", path: "/api/orders", principal: &faas.Principal{Subject: "user-bob"}}))
	if len(bob.Orders) != 0 {
		t.Errorf("bob sees %d orders", len(bob.Orders))
	}
}
