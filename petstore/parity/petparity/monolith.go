package petparity

import (
	"context"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/faasport/faasport/faas"
	"github.com/faasport/faasport/petstore"
	"github.com/faasport/faasport/petstore/httpapi"
)

// MonolithDriver drives the monolith over HTTP, as a browser and its
// scripts would: accounts through the sign-up and sign-in forms (with
// the page's CSRF token), everything else through the JSON API under
// /api with the session cookie, unsafe requests carrying the session's
// X-CSRF-Token. Each session has its own cookie jar; a guest has none.
type MonolithDriver struct {
	base      string
	transport http.RoundTripper
}

var _ Driver = (*MonolithDriver)(nil)

// NewMonolithDriver returns a driver for the monolith served at baseURL
// (such as an httptest.Server's URL). transport makes its requests; nil
// means http.DefaultTransport.
func NewMonolithDriver(baseURL string, transport http.RoundTripper) *MonolithDriver {
	if transport == nil {
		transport = http.DefaultTransport
	}
	return &MonolithDriver{base: strings.TrimRight(baseURL, "/"), transport: transport}
}

type monolithSession struct {
	user   string
	client *http.Client // with the session's cookie
	csrf   string
}

func (s *monolithSession) Username() string { return s.user }

// browser returns a new client with an empty cookie jar.
func (d *MonolithDriver) browser() *http.Client {
	jar, _ := cookiejar.New(nil) // never fails without options
	return &http.Client{Jar: jar, Transport: d.transport}
}

// The page's CSRF token, and the form's error message.
var (
	csrfMeta  = regexp.MustCompile(`<meta name="csrf-token" content="([^"]*)"`)
	formError = regexp.MustCompile(`(?s)class="[^"]*\berror\b[^"]*"[^>]*>(.*?)</`)
)

// readPage reads a page and returns its final URL path, status, CSRF
// token and body.
func readPage(resp *http.Response, err error) (path string, status int, csrf string, body string, _ error) {
	if err != nil {
		return "", 0, "", "", &faas.Error{Kind: faas.Internal, Message: "petparity: " + err.Error(), Err: err}
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return "", 0, "", "", &faas.Error{Kind: faas.Internal, Message: "petparity: " + err.Error(), Err: err}
	}
	if m := csrfMeta.FindSubmatch(b); m != nil {
		csrf = html.UnescapeString(string(m[1]))
	}
	return resp.Request.URL.Path, resp.StatusCode, csrf, string(b), nil
}

// account submits the sign-up or sign-in form (form is "/signup" or
// "/signin") in a new browser, and returns the signed-in session.
func (d *MonolithDriver) account(ctx context.Context, form, user, password string) (*monolithSession, error) {
	b := d.browser()
	get, err := http.NewRequestWithContext(ctx, http.MethodGet, d.base+form, nil)
	if err != nil {
		return nil, err
	}
	_, status, csrf, _, err := readPage(b.Do(get))
	if err != nil {
		return nil, err
	}
	if status != http.StatusOK || csrf == "" {
		return nil, faas.Errorf(faas.Internal, "petparity: GET %s = %d, without a CSRF token", form, status)
	}
	vals := url.Values{"csrf": {csrf}, "username": {user}, "password": {password}}
	post, err := http.NewRequestWithContext(ctx, http.MethodPost, d.base+form, strings.NewReader(vals.Encode()))
	if err != nil {
		return nil, err
	}
	post.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	path, status, csrf, body, err := readPage(b.Do(post))
	if err != nil {
		return nil, err
	}
	if status/100 != 2 {
		msg := http.StatusText(status)
		if m := formError.FindStringSubmatch(body); m != nil {
			msg = html.UnescapeString(strings.TrimSpace(m[1]))
		}
		return nil, &faas.Error{Kind: faas.KindForStatus(status), Message: fmt.Sprintf("POST %s: %d %s", form, status, msg)}
	}
	if path == form {
		return nil, faas.Errorf(faas.Internal, "petparity: POST %s answered %d but stayed on the form", form, status)
	}
	return &monolithSession{user: user, client: b, csrf: csrf}, nil
}

// SignUp implements [Driver]: the sign-up form. The monolith signs the
// new user in; the session is dropped.
func (d *MonolithDriver) SignUp(ctx context.Context, user, password string) error {
	_, err := d.account(ctx, "/signup", user, password)
	return err
}

// SignIn implements [Driver]: the sign-in form.
func (d *MonolithDriver) SignIn(ctx context.Context, user, password string) (Session, error) {
	s, err := d.account(ctx, "/signin", user, password)
	if err != nil {
		return nil, err
	}
	return s, nil
}

// client returns the HTTP client and headers of s (a guest's when s is
// nil).
func (d *MonolithDriver) client(s Session) (*http.Client, http.Header) {
	if ms, ok := s.(*monolithSession); ok && ms != nil {
		return ms.client, http.Header{"X-Csrf-Token": {ms.csrf}}
	}
	return &http.Client{Transport: d.transport}, http.Header{}
}

func (d *MonolithDriver) getJSON(ctx context.Context, s Session, path string, out any) error {
	c, h := d.client(s)
	return callJSON(ctx, c, http.MethodGet, d.base+path, h, nil, out)
}

// List implements [Driver]: GET /api/products.
func (d *MonolithDriver) List(ctx context.Context, s Session, category string, page int) (petstore.Page, error) {
	q := url.Values{"category": {category}, "page": {strconv.Itoa(page)}}
	var p petstore.Page
	err := d.getJSON(ctx, s, "/api/products?"+q.Encode(), &p)
	return p, err
}

// Get implements [Driver]: GET /api/products/{id}.
func (d *MonolithDriver) Get(ctx context.Context, s Session, id string) (petstore.Product, error) {
	var p petstore.Product
	err := d.getJSON(ctx, s, "/api/products/"+url.PathEscape(id), &p)
	return p, err
}

// Search implements [Driver]: GET /api/search.
func (d *MonolithDriver) Search(ctx context.Context, s Session, query string, page int) (petstore.Page, error) {
	q := url.Values{"q": {query}, "page": {strconv.Itoa(page)}}
	var p petstore.Page
	err := d.getJSON(ctx, s, "/api/search?"+q.Encode(), &p)
	return p, err
}

// Purchase implements [Driver]: POST /api/purchase with the session's
// cookie and CSRF token.
func (d *MonolithDriver) Purchase(ctx context.Context, s Session, items []petstore.LineItem, key string) (petstore.Order, error) {
	c, h := d.client(s)
	if key != "" {
		h.Set("Idempotency-Key", key)
	}
	var o petstore.Order
	err := callJSON(ctx, c, http.MethodPost, d.base+"/api/purchase", h, httpapi.PurchaseRequest{Items: items}, &o)
	return o, err
}

// Orders implements [Driver]: GET /api/orders. The API has no way to
// name another user; for ofUser other than the session's user the
// driver asks anyway (?userId=ofUser) and, when the answer is the
// session's own orders, reports Forbidden: not visible (see the package
// documentation).
func (d *MonolithDriver) Orders(ctx context.Context, s Session, ofUser string) ([]petstore.Order, error) {
	var own httpapi.OrdersResponse
	if err := d.getJSON(ctx, s, "/api/orders", &own); err != nil {
		return nil, err
	}
	if ofUser == "" || ofUser == s.Username() {
		return own.Orders, nil
	}
	var asked httpapi.OrdersResponse
	if err := d.getJSON(ctx, s, "/api/orders?"+url.Values{"userId": {ofUser}, "user": {ofUser}}.Encode(), &asked); err != nil {
		return nil, err
	}
	if slices.EqualFunc(own.Orders, asked.Orders, func(a, b petstore.Order) bool { return a.ID == b.ID && a.UserID == b.UserID }) {
		return nil, faas.Errorf(faas.Forbidden, "petparity: the monolith shows %s only their own orders", s.Username())
	}
	return asked.Orders, nil
}
