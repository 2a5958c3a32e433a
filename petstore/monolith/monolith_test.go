package monolith_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/faasport/faasport/petstore"
	"github.com/faasport/faasport/petstore/httpapi"
	"github.com/faasport/faasport/petstore/monolith"
	"github.com/faasport/faasport/petstore/petstoretest"
	"golang.org/x/crypto/bcrypt"
)

type site struct {
	t   *testing.T
	srv *httptest.Server
	cat *petstore.Catalog
}

func newSite(t *testing.T, secure bool) *site {
	t.Helper()
	cat, client := petstoretest.New(t, nil)
	h, err := monolith.New(monolith.Config{
		Catalog:    cat,
		Dynamo:     client,
		Secure:     secure,
		Logger:     slog.New(slog.NewTextHandler(t.Output(), nil)),
		BcryptCost: bcrypt.MinCost,
	})
	if err != nil {
		t.Fatalf("monolith.New: %v", err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return &site{t: t, srv: srv, cat: cat}
}

// browser is a client with a cookie jar that remembers the last CSRF
// token it saw, as a browser's forms would.
type browser struct {
	s    *site
	c    *http.Client
	csrf string
	last *http.Response
}

func (s *site) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{s: s, c: &http.Client{Jar: jar}}
}

var csrfRE = regexp.MustCompile(`<meta name="csrf-token" content="([^"]*)">`)

func (b *browser) finish(resp *http.Response, err error) (int, string) {
	b.s.t.Helper()
	if err != nil {
		b.s.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		b.s.t.Fatal(err)
	}
	b.last = resp
	if m := csrfRE.FindSubmatch(body); m != nil {
		b.csrf = string(m[1])
	}
	return resp.StatusCode, string(body)
}

func (b *browser) get(path string) (int, string) {
	b.s.t.Helper()
	return b.finish(b.c.Get(b.s.srv.URL + path))
}

// post sends a form with the browser's CSRF token.
func (b *browser) post(path string, form url.Values) (int, string) {
	b.s.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if _, ok := form["csrf"]; !ok {
		form.Set("csrf", b.csrf)
	}
	return b.finish(b.c.PostForm(b.s.srv.URL+path, form))
}

func (b *browser) api(method, path, body string, header map[string]string) (int, string) {
	b.s.t.Helper()
	req, _ := http.NewRequest(method, b.s.srv.URL+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	return b.finish(b.c.Do(req))
}

func wantPage(t *testing.T, what string, status int, body string, wantStatus int, wantText ...string) {
	t.Helper()
	if status != wantStatus {
		t.Errorf("%s: status %d, want %d\n%s", what, status, wantStatus, body)
		return
	}
	for _, s := range wantText {
		if !strings.Contains(body, s) {
			t.Errorf("%s: page lacks %q", what, s)
		}
	}
}

func (b *browser) signUp(name, password string) {
	b.s.t.Helper()
	b.get("/signup")
	status, body := b.post("/signup", url.Values{"username": {name}, "password": {password}})
	wantPage(b.s.t, "sign up "+name, status, body, 200, "Signed in as "+name)
}

func TestPages(t *testing.T) {
	s := newSite(t, false)
	b := s.browser()
	for _, tc := range []struct {
		path   string
		status int
		text   []string
	}{
		{"/", 200, []string{"All pets", "Pet<span>Store</span>", "products", "Page 1 of", "/static/img/", "Sign in"}},
		{"/?page=2", 200, []string{"Page 2 of", "← Previous"}},
		{"/?category=cats", 200, []string{"<h1>Cats</h1>", "Siamese Kitten", `class="active">Cats`}},
		{"/?category=small-pets", 200, []string{"Small pets", "Syrian Hamster"}},
		{"/?category=reptiles", 400, []string{"no category"}},
		{"/?page=x", 400, []string{"not a number"}},
		{"/?page=999", 200, []string{"All pets"}},
		{"/products/dog-beagle-puppy", 200, []string{"Beagle Puppy", "$899.00", "Add to cart", `name="csrf"`}},
		{"/products/dog-puzzle-feeder", 200, []string{"Puzzle Feeder", "Out of stock", "disabled"}},
		{"/products/no-such-pet", 404, []string{"Not found", "no product"}},
		{"/search?q=kitten", 200, []string{"2 results for", "Siamese Kitten", "Maine Coon Kitten"}},
		{"/search?q=%25", 200, []string{"0 results", "Nothing matches"}},
		{"/search?q=%3Cscript%3E", 200, []string{"&lt;script&gt;"}},
		{"/search?q=", 200, []string{"Type what you are looking for"}},
		{"/search?q=" + strings.Repeat("a", 1000), 400, []string{"at most 200 characters"}},
		{"/cart", 200, []string{"Your cart is empty"}},
		{"/signup", 200, []string{"Create an account", `name="password"`}},
		{"/signin", 200, []string{"Sign in", `name="username"`}},
		{"/orders", 200, []string{"<h1>Sign in</h1>"}}, // redirected
		{"/checkout", 200, []string{"<h1>Sign in</h1>"}},
		{"/nowhere", 404, []string{"There is no page at /nowhere"}},
	} {
		status, body := b.get(tc.path)
		wantPage(t, "GET "+tc.path, status, body, tc.status, tc.text...)
		if strings.Contains(body, "<script>") {
			t.Errorf("GET %s: page holds <script>", tc.path)
		}
		if tc.path == "/checkout" {
			if got := b.last.Request.URL.RequestURI(); got != "/signin?next=%2Fcheckout" {
				t.Errorf("/checkout redirected to %s", got)
			}
		}
	}
	status, body := b.get("/static/style.css")
	if status != 200 || !strings.HasPrefix(b.last.Header.Get("Content-Type"), "text/css") || !strings.Contains(body, ".card") {
		t.Errorf("style.css = %d %s", status, b.last.Header.Get("Content-Type"))
	}
	status, body = b.get("/static/img/fish-betta.svg")
	if status != 200 || !strings.Contains(body, "Betta Splendens") {
		t.Errorf("image = %d %.60s", status, body)
	}
	status, body = b.get("/api/nothing")
	if status != 404 || !strings.Contains(body, `"kind":"not_found"`) {
		t.Errorf("API 404 = %d %s", status, body)
	}
	b.get("/")
	if csp := b.last.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") {
		t.Errorf("Content-Security-Policy = %q", csp)
	}
}

func TestSessionCookie(t *testing.T) {
	for _, secure := range []bool{false, true} {
		s := newSite(t, secure)
		resp, err := http.Get(s.srv.URL + "/")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		cs := resp.Cookies()
		if len(cs) != 1 {
			t.Fatalf("cookies = %v", cs)
		}
		c := cs[0]
		if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Secure != secure || c.Path != "/" {
			t.Errorf("Secure %v: cookie = %+v", secure, c)
		}
		// 32 random bytes, base64url without padding.
		if len(c.Value) != 43 {
			t.Errorf("session id %q has %d characters, want 43", c.Value, len(c.Value))
		}
		// The API hands out no sessions.
		resp, _ = http.Get(s.srv.URL + "/api/products")
		resp.Body.Close()
		if len(resp.Cookies()) != 0 {
			t.Errorf("GET /api/products set cookies %v", resp.Cookies())
		}
	}
}

func TestAccounts(t *testing.T) {
	s := newSite(t, false)
	b := s.browser()
	b.get("/")
	before := b.csrf
	b.signUp("alice", "correct horse 1")
	if b.csrf == before {
		t.Errorf("the session (and its CSRF token) did not change on sign-up")
	}
	_, body := b.get("/")
	wantPage(t, "home signed in", 200, body, 200, "Signed in as alice", "Orders", "Sign out")

	status, body := b.post("/signout", nil)
	wantPage(t, "sign out", status, body, 200, "You are signed out.", "Sign in")
	if strings.Contains(body, "Signed in as") {
		t.Errorf("still signed in after signing out")
	}

	for _, tc := range []struct {
		name, path, user, password string
		status                     int
		text                       string
	}{
		{"wrong password", "/signin", "alice", "wrong horse 1", 401, "Wrong username or password."},
		{"unknown user", "/signin", "mallory", "whatever 12", 401, "Wrong username or password."},
		{"empty", "/signin", "", "", 401, "Wrong username or password."},
		{"taken", "/signup", "alice", "another pass 2", 409, "The username alice is taken"},
		{"taken, other case", "/signup", " ALICE ", "another pass 2", 409, "is taken"},
		{"short username", "/signup", "al", "password 12", 400, "3 to 32 characters"},
		{"long username", "/signup", strings.Repeat("a", 33), "password 12", 400, "3 to 32 characters"},
		{"bad characters", "/signup", "al ice!", "password 12", 400, "only lowercase letters, digits, _ and -"},
		{"short password", "/signup", "bobby", "abc123", 400, "at least 8 characters"},
		{"no digit", "/signup", "bobby", "nodigitsatall", 400, "a lower-case letter and a digit"},
		{"no letter", "/signup", "bobby", "12345678", 400, "a lower-case letter and a digit"},
		{"no lower-case letter", "/signup", "bobby", "PASSWORD1", 400, "a lower-case letter and a digit"},
		{"too long password", "/signup", "bobby", strings.Repeat("a1", 40), 400, "at most 72 bytes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b.get(tc.path)
			status, body := b.post(tc.path, url.Values{"username": {tc.user}, "password": {tc.password}})
			wantPage(t, tc.name, status, body, tc.status, tc.text)
			if strings.Contains(body, "Signed in as") {
				t.Errorf("%s: signed in", tc.name)
			}
			if tc.password != "" && strings.Contains(body, tc.password) {
				t.Errorf("%s: the page shows the password", tc.name)
			}
		})
	}

	b.get("/signin")
	status, body = b.post("/signin", url.Values{"username": {"Alice"}, "password": {"correct horse 1"}})
	wantPage(t, "sign in", status, body, 200, "Welcome back, alice.", "Signed in as alice")

	// Sign-in returns to where the visitor was going, but only on this site.
	c := s.browser()
	c.signUp("carol", "password 12")
	c.post("/signout", nil)
	c.get("/signin?next=/orders")
	status, body = c.post("/signin", url.Values{"username": {"carol"}, "password": {"password 12"}, "next": {"/orders"}})
	wantPage(t, "sign in to orders", status, body, 200, "Your orders")
	c.post("/signout", nil)
	c.get("/signin")
	status, _ = c.post("/signin", url.Values{"username": {"carol"}, "password": {"password 12"}, "next": {"//evil.example/"}})
	if status != 200 || c.last.Request.URL.Host != strings.TrimPrefix(s.srv.URL, "http://") {
		t.Errorf("next=//evil.example/ led to %v", c.last.Request.URL)
	}
}

func TestCSRF(t *testing.T) {
	s := newSite(t, false)
	b := s.browser()
	b.signUp("dave", "password 12")

	for _, tc := range []struct {
		name string
		form url.Values
	}{
		{"missing", url.Values{"csrf": nil, "productId": {"dog-chew-rope"}, "quantity": {"1"}}},
		{"empty", url.Values{"csrf": {""}, "productId": {"dog-chew-rope"}, "quantity": {"1"}}},
		{"wrong", url.Values{"csrf": {strings.Repeat("A", 43)}, "productId": {"dog-chew-rope"}, "quantity": {"1"}}},
	} {
		form := tc.form
		if form["csrf"] == nil {
			form = url.Values{"productId": form["productId"], "quantity": form["quantity"]}
			status, body := b.finish(b.c.PostForm(s.srv.URL+"/cart/add", form))
			wantPage(t, "CSRF "+tc.name, status, body, 403, "Form expired")
			continue
		}
		status, body := b.post("/cart/add", form)
		wantPage(t, "CSRF "+tc.name, status, body, 403, "Form expired")
	}
	// A stranger's POST, without a session at all.
	resp, err := http.PostForm(s.srv.URL+"/signout", url.Values{"csrf": {b.csrf}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 403 {
		t.Errorf("POST without a session = %d, want 403", resp.StatusCode)
	}
	// Still signed in, cart still empty.
	_, body := b.get("/cart")
	wantPage(t, "cart after refused posts", 200, body, 200, "Signed in as dave", "Your cart is empty")

	// JSON with the session cookie needs X-CSRF-Token.
	order := `{"items":[{"productId":"dog-chew-rope","quantity":1}]}`
	status, body := b.api("POST", "/api/purchase", order, nil)
	if status != 403 || !strings.Contains(body, `"kind":"forbidden"`) {
		t.Errorf("API POST without the token = %d %s", status, body)
	}
	status, body = b.api("POST", "/api/purchase", order, map[string]string{"X-CSRF-Token": "nope"})
	if status != 403 {
		t.Errorf("API POST with a wrong token = %d %s", status, body)
	}
	b.get("/")
	status, body = b.api("POST", "/api/purchase", order, map[string]string{"X-CSRF-Token": b.csrf})
	if status != 200 {
		t.Fatalf("API POST with the token = %d %s", status, body)
	}
	var o petstore.Order
	if err := json.Unmarshal([]byte(body), &o); err != nil || o.Total != 1299 || !strings.HasPrefix(o.UserID, "u-") {
		t.Errorf("API order = %+v, %v", o, err)
	}
	// The API sees the session's user: the order is in the history.
	status, body = b.api("GET", "/api/orders", "", nil)
	var got httpapi.OrdersResponse
	if err := json.Unmarshal([]byte(body), &got); status != 200 || err != nil || len(got.Orders) != 1 || got.Orders[0].ID != o.ID {
		t.Errorf("API orders = %d %s", status, body)
	}
	// Without the cookie the API needs no token, and knows no user.
	resp, err = http.Post(s.srv.URL+"/api/purchase", "application/json", strings.NewReader(order))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 401 {
		t.Errorf("API POST without a cookie = %d, want 401", resp.StatusCode)
	}
}

func TestPurchaseFlow(t *testing.T) {
	s := newSite(t, false)
	ctx := context.Background()
	b := s.browser()

	// Shop anonymously; the cart survives signing up.
	b.get("/products/dog-chew-rope")
	status, body := b.post("/cart/add", url.Values{"productId": {"dog-chew-rope"}, "quantity": {"2"}})
	wantPage(t, "add rope", status, body, 200, "Added 2 × Braided Cotton Rope Toy to your cart.", "Cart (2)")
	b.get("/products/cat-catnip-mice")
	b.post("/cart/add", url.Values{"productId": {"cat-catnip-mice"}, "quantity": {"1"}})
	b.post("/cart/add", url.Values{"productId": {"cat-catnip-mice"}, "quantity": {"2"}})
	status, body = b.get("/cart")
	wantPage(t, "cart", status, body, 200, "Braided Cotton Rope Toy", "Catnip Mice, 6 Pack", "$49.95", "Cart (5)")

	status, body = b.get("/checkout")
	wantPage(t, "checkout anonymous", status, body, 200, "<h1>Sign in</h1>")
	b.signUp("erin", "password 12")
	status, body = b.get("/checkout")
	wantPage(t, "checkout", status, body, 200, "Place order · $49.95", "Braided Cotton Rope Toy")
	key := regexp.MustCompile(`name="idempotencyKey" value="([0-9a-f]+)"`).FindStringSubmatch(body)
	if key == nil {
		t.Fatalf("checkout page has no idempotency key")
	}

	status, body = b.post("/checkout", url.Values{"idempotencyKey": {key[1]}})
	wantPage(t, "place order", status, body, 200, "Thank you!", "Braided Cotton Rope Toy", "$49.95", "Cart (0)")
	if !strings.HasPrefix(b.last.Request.URL.RequestURI(), "/orders?placed=") {
		t.Errorf("after checkout the browser is at %s", b.last.Request.URL)
	}
	if p, _ := s.cat.Get(ctx, "dog-chew-rope"); p.Stock != 38 {
		t.Errorf("rope stock = %d, want 38", p.Stock)
	}
	// The form sent again places nothing more.
	status, body = b.post("/checkout", url.Values{"idempotencyKey": {key[1]}})
	wantPage(t, "place order again", status, body, 200, "Thank you!")
	if p, _ := s.cat.Get(ctx, "dog-chew-rope"); p.Stock != 38 {
		t.Errorf("rope stock after a resent form = %d, want 38", p.Stock)
	}
	status, body = b.get("/orders")
	wantPage(t, "orders", status, body, 200, "Your orders", "Catnip Mice, 6 Pack")
	if n := strings.Count(body, `<section class="order`); n != 1 {
		t.Errorf("orders page shows %d orders, want 1", n)
	}

	// Out of stock: the checkout says so, and nothing is bought.
	b.get("/products/dog-puzzle-feeder")
	b.post("/cart/add", url.Values{"productId": {"dog-puzzle-feeder"}, "quantity": {"1"}})
	b.get("/checkout")
	status, body = b.post("/checkout", url.Values{"idempotencyKey": {"k2"}})
	wantPage(t, "checkout out of stock", status, body, 409, "Puzzle Feeder is out of stock")
	// Remove it; the cart empties.
	b.get("/cart")
	status, body = b.post("/cart/update", url.Values{"productId": {"dog-puzzle-feeder"}, "quantity": {"0"}})
	wantPage(t, "remove", status, body, 200, "Your cart is empty")

	// Bad cart input.
	b.get("/products/dog-chew-rope")
	status, body = b.post("/cart/add", url.Values{"productId": {"dog-chew-rope"}, "quantity": {"100"}})
	wantPage(t, "add 100", status, body, 200, "Choose a quantity from 1 to 99.")
	status, body = b.post("/cart/add", url.Values{"productId": {"dog-chew-rope"}, "quantity": {"lots"}})
	wantPage(t, "add lots", status, body, 400, "must be a number")
	status, body = b.post("/cart/add", url.Values{"productId": {"unicorn"}, "quantity": {"1"}})
	wantPage(t, "add unicorn", status, body, 404, "no product")
	// Another user sees none of erin's orders.
	f := s.browser()
	f.signUp("frank", "password 12")
	_, body = f.get("/orders")
	wantPage(t, "frank's orders", 200, body, 200, "You have no orders yet.")
}
