// Package httpapi is the pet store's JSON API and product images: the
// gorilla/mux handlers that every deployment serves unchanged. The
// monolith mounts the router beside its pages; the serverless split wraps
// named routes of the very same router as functions (see
// adapter.Routes), so each route has a name:
//
//	products  GET  /api/products?category=&page=&pageSize=
//	product   GET  /api/products/{id}
//	search    GET  /api/search?q=&page=&pageSize=
//	purchase  POST /api/purchase      (signed in)
//	orders    GET  /api/orders        (signed in)
//	image     GET  /static/img/{id}.svg
//
// # Identity
//
// Handlers learn who calls only from [faas.PrincipalFromContext]: the
// monolith's session middleware puts the signed-in user there, and the
// adapter puts the caller a gateway's authorizer established. The
// principal's Subject is the user id orders are kept under. Routes that
// need a caller answer 401 without one.
//
// # Errors
//
// Failures are JSON, with the HTTP status of their [faas.Kind]:
//
//	{"error":{"kind":"conflict","message":"only 3 of Leather Leash left in stock, not 4"}}
//
// Messages are for the user. Internal errors say only "Internal Server
// Error"; their cause goes to the log ([faas.Logger]).
package httpapi

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/faasport/faasport/faas"
	"github.com/faasport/faasport/petstore"
	"github.com/gorilla/mux"
)

// Route names, for adapter.Routes and mux's Router.Get.
const (
	RouteProducts = "products"
	RouteProduct  = "product"
	RouteSearch   = "search"
	RoutePurchase = "purchase"
	RouteOrders   = "orders"
	RouteImage    = "image"
)

// MaxBodyBytes is the largest request body the API reads.
const MaxBodyBytes = 64 << 10

// NewRouter returns a router serving the API over cat, its routes named
// as the package documentation lists. Requests that match no route, or
// a route with another method, get a JSON 404 or 405. Callers may add
// routes and middleware of their own, and replace the NotFoundHandler.
func NewRouter(cat *petstore.Catalog) *mux.Router {
	a := &api{cat: cat}
	r := mux.NewRouter()
	r.HandleFunc("/api/products", a.products).Methods(http.MethodGet, http.MethodHead).Name(RouteProducts)
	r.HandleFunc("/api/products/{id}", a.product).Methods(http.MethodGet, http.MethodHead).Name(RouteProduct)
	r.HandleFunc("/api/search", a.search).Methods(http.MethodGet, http.MethodHead).Name(RouteSearch)
	r.HandleFunc("/api/purchase", a.purchase).Methods(http.MethodPost).Name(RoutePurchase)
	r.HandleFunc("/api/orders", a.orders).Methods(http.MethodGet, http.MethodHead).Name(RouteOrders)
	r.HandleFunc("/static/img/{id}.svg", a.image).Methods(http.MethodGet, http.MethodHead).Name(RouteImage)
	r.NotFoundHandler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		WriteError(w, r, faas.Errorf(faas.NotFound, "there is nothing at %s", r.URL.Path))
	})
	r.MethodNotAllowedHandler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// No kind has status 405; the body says invalid, as for any
		// request the API cannot serve as sent.
		writeError(w, r, faas.Errorf(faas.Invalid, "%s is not allowed on %s", r.Method, r.URL.Path), http.StatusMethodNotAllowed)
	})
	return r
}

type api struct {
	cat *petstore.Catalog
}

func (a *api) products(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	category, err := petstore.ParseCategory(q.Get("category"))
	if err != nil {
		WriteError(w, r, err)
		return
	}
	page, size, err := pageParams(r)
	if err != nil {
		WriteError(w, r, err)
		return
	}
	pg, err := a.cat.List(r.Context(), category, page, size)
	if err != nil {
		WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, pg)
}

func (a *api) product(w http.ResponseWriter, r *http.Request) {
	p, err := a.cat.Get(r.Context(), mux.Vars(r)["id"])
	if err != nil {
		WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, p)
}

func (a *api) search(w http.ResponseWriter, r *http.Request) {
	page, size, err := pageParams(r)
	if err != nil {
		WriteError(w, r, err)
		return
	}
	pg, err := a.cat.Search(r.Context(), r.URL.Query().Get("q"), page, size)
	if err != nil {
		WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, pg)
}

// PurchaseRequest is the body of POST /api/purchase.
type PurchaseRequest struct {
	Items []petstore.LineItem `json:"items"`
	// IdempotencyKey makes retries safe (see [petstore.Catalog.Purchase]).
	// The Idempotency-Key header may carry it instead.
	IdempotencyKey string `json:"idempotencyKey,omitempty"`
}

func (a *api) purchase(w http.ResponseWriter, r *http.Request) {
	p, ok := faas.PrincipalFromContext(r.Context())
	if !ok || p.Subject == "" {
		WriteError(w, r, faas.Errorf(faas.Unauthenticated, "sign in to buy"))
		return
	}
	var req PurchaseRequest
	if err := DecodeJSON(w, r, &req); err != nil {
		WriteError(w, r, err)
		return
	}
	key := req.IdempotencyKey
	if h := r.Header.Get("Idempotency-Key"); h != "" {
		if key != "" && key != h {
			WriteError(w, r, faas.Errorf(faas.Invalid, "the Idempotency-Key header and the idempotencyKey field differ"))
			return
		}
		key = h
	}
	o, err := a.cat.Purchase(r.Context(), p.Subject, req.Items, key)
	if err != nil {
		WriteError(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	WriteJSON(w, http.StatusOK, o)
}

// OrdersResponse is the body of GET /api/orders.
type OrdersResponse struct {
	Orders []petstore.Order `json:"orders"` // newest first
}

func (a *api) orders(w http.ResponseWriter, r *http.Request) {
	p, ok := faas.PrincipalFromContext(r.Context())
	if !ok || p.Subject == "" {
		WriteError(w, r, faas.Errorf(faas.Unauthenticated, "sign in to see your orders"))
		return
	}
	os, err := a.cat.Orders(r.Context(), p.Subject)
	if err != nil {
		WriteError(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	WriteJSON(w, http.StatusOK, OrdersResponse{Orders: os})
}

func (a *api) image(w http.ResponseWriter, r *http.Request) {
	p, err := a.cat.Get(r.Context(), mux.Vars(r)["id"])
	if err != nil {
		WriteError(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "image/svg+xml")
	h.Set("Cache-Control", "public, max-age=3600")
	// An SVG opened on its own is a document: let it run nothing.
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write(petstore.ProductImage(p))
	}
}

// pageParams reads the page and pageSize query parameters; absent ones
// are 0, which the catalog takes as its defaults.
func pageParams(r *http.Request) (page, size int, err error) {
	q := r.URL.Query()
	parse := func(name string) (int, error) {
		s := q.Get(name)
		if s == "" {
			return 0, nil
		}
		n, err := strconv.Atoi(s)
		if err != nil {
			return 0, faas.Errorf(faas.Invalid, "%s must be a whole number, not %q", name, truncate(s, 20))
		}
		return n, nil
	}
	if page, err = parse("page"); err != nil {
		return 0, 0, err
	}
	size, err = parse("pageSize")
	return page, size, err
}

// DecodeJSON decodes the JSON body of r, of at most [MaxBodyBytes], into
// v. Malformed JSON, trailing data or an oversized body is a
// [faas.Invalid] error saying what is wrong.
func DecodeJSON(w http.ResponseWriter, r *http.Request, v any) error {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
	if err := dec.Decode(v); err != nil {
		var tooBig *http.MaxBytesError
		var typeErr *json.UnmarshalTypeError
		switch {
		case errors.As(err, &tooBig):
			return faas.Errorf(faas.Invalid, "the request body is larger than %d bytes", MaxBodyBytes)
		case errors.As(err, &typeErr):
			return faas.Errorf(faas.Invalid, "the request body is not valid: %s must be a %s", typeErr.Field, typeErr.Type)
		default:
			return faas.Errorf(faas.Invalid, "the request body is not valid JSON: %s", strings.TrimPrefix(err.Error(), "json: "))
		}
	}
	if dec.More() {
		return faas.Errorf(faas.Invalid, "the request body holds more than one JSON value")
	}
	return nil
}

// ErrorBody is the JSON body of a failed request.
type ErrorBody struct {
	Error ErrorDetail `json:"error"`
}

// ErrorDetail says what went wrong: the [faas.Kind] by its name, and a
// message for the user.
type ErrorDetail struct {
	Kind    string `json:"kind"`
	Message string `json:"message"`
}

// Message returns the message of err for the user: [faas.Message]
// without the "petstore: " prefix the domain's errors carry.
func Message(err error) string {
	return strings.TrimPrefix(faas.Message(err), "petstore: ")
}

// WriteError answers r with err as an [ErrorBody], with the HTTP status
// of err's kind. Internal errors are logged with their cause through
// [faas.Logger] and answered with the status text only.
func WriteError(w http.ResponseWriter, r *http.Request, err error) {
	writeError(w, r, err, faas.KindOf(err).HTTPStatus())
}

func writeError(w http.ResponseWriter, r *http.Request, err error, code int) {
	kind := faas.KindOf(err)
	if code >= 500 {
		faas.Logger(r.Context()).ErrorContext(r.Context(), "petstore request failed",
			"method", r.Method, "path", r.URL.Path, "kind", kind.String(), "err", err)
	}
	w.Header().Set("Cache-Control", "no-store")
	WriteJSON(w, code, ErrorBody{Error: ErrorDetail{Kind: kind.String(), Message: Message(err)}})
}

// WriteJSON answers with status and v in JSON.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		b = []byte(`{"error":{"kind":"internal","message":"Internal Server Error"}}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n'))
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
