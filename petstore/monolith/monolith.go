// Package monolith serves the pet store the classic way: one server with
// server-rendered pages, server-side sessions and its own user accounts,
// in front of the same catalog and the same JSON API ([httpapi]) that the
// serverless split serves as functions.
//
// [New] returns the whole site as one http.Handler:
//
//   - the JSON API and product images of package httpapi, under /api and
//     /static/img, unchanged;
//   - pages rendered with html/template: the listing with a category
//     filter (/), product pages (/products/{id}), search (/search), the
//     cart (/cart), checkout (/checkout), the order history (/orders),
//     and sign-up, sign-in and sign-out.
//
// # Sessions and identity
//
// Every visitor gets a server-side session: a random 32-byte id in an
// HttpOnly, SameSite=Lax cookie (Secure when [Config.Secure] is set),
// mapping to state kept in memory — the cart, the signed-in user and a
// CSRF token. Sessions die with the process. For a signed-in session the
// middleware puts a [faas.Principal] (Subject the user id, Username the
// user name) on the request context with [faas.NewPrincipalContext], which
// is all the shared handlers look at: /api/purchase and /api/orders work
// with the session cookie exactly as they do behind a gateway with a JWT.
//
// # CSRF
//
// Every form carries the session's CSRF token, and every POST outside
// /api must present it (compared in constant time); one without it, or
// with another, gets a 403 page. JSON requests with unsafe methods that
// carry the session cookie must present the token in the X-CSRF-Token
// header — pages publish it in <meta name="csrf-token">. Requests without
// the cookie need no token: they carry no ambient authority.
//
// # Accounts
//
// Users are kept in the monolith's own DynamoDB table, [UsersTable], with
// bcrypt password hashes. Usernames are 3 to 32 lowercase letters,
// digits, _ and -; passwords at least 8 characters with a lower-case
// letter and a digit, as the split's user pool asks.
package monolith

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/faasport/faasport/faas"
	"github.com/faasport/faasport/petstore"
	"github.com/faasport/faasport/petstore/httpapi"
	"github.com/gorilla/mux"
	"golang.org/x/crypto/bcrypt"
)

// Config configures the monolith. Catalog is required; the zero value of
// every other field is ready for use.
type Config struct {
	// Catalog is the pet store the site sells from.
	Catalog *petstore.Catalog
	// Dynamo reaches the Users table. Nil means the catalog's client.
	Dynamo *dynamodb.Client
	// Secure sets the Secure flag of the session cookie: true when the
	// site is served over HTTPS, false for http://127.0.0.1.
	Secure bool
	// Logger receives internal errors. Nil means slog.Default().
	Logger *slog.Logger
	// SessionTTL is how long a session lives without requests. Zero
	// means 24 hours.
	SessionTTL time.Duration
	// MaxSessions caps the sessions kept in memory; past it the session
	// nearest to expiry is dropped. Zero means 100,000.
	MaxSessions int
	// BcryptCost is the cost of password hashes. Zero means
	// bcrypt.DefaultCost; tests use bcrypt.MinCost.
	BcryptCost int
}

// New returns the monolith's handler. It creates the Users table when it
// does not exist yet, and fails when it cannot.
func New(cfg Config) (http.Handler, error) {
	if cfg.Catalog == nil {
		return nil, errors.New("monolith: Config.Catalog is nil")
	}
	if cfg.Dynamo == nil {
		cfg.Dynamo = cfg.Catalog.Client()
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.SessionTTL <= 0 {
		cfg.SessionTTL = 24 * time.Hour
	}
	if cfg.MaxSessions <= 0 {
		cfg.MaxSessions = 100_000
	}
	if cfg.BcryptCost == 0 {
		cfg.BcryptCost = bcrypt.DefaultCost
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := petstore.EnsureTables(ctx, cfg.Dynamo, Schema()...); err != nil {
		return nil, fmt.Errorf("monolith: creating the users table: %w", err)
	}
	us, err := newUsers(cfg.Dynamo, cfg.BcryptCost)
	if err != nil {
		return nil, fmt.Errorf("monolith: %w", err)
	}
	tmpl, err := parseTemplates()
	if err != nil {
		return nil, err
	}
	m := &monolith{
		cfg:      cfg,
		cat:      cfg.Catalog,
		users:    us,
		sessions: newSessions(cfg.SessionTTL, cfg.MaxSessions, time.Now),
		tmpl:     tmpl,
		log:      cfg.Logger,
	}
	m.router = httpapi.NewRouter(cfg.Catalog)
	m.routes(m.router)
	return m, nil
}

var _ http.Handler = (*monolith)(nil)

type monolith struct {
	cfg      Config
	cat      *petstore.Catalog
	users    *users
	sessions *sessions
	tmpl     templates
	log      *slog.Logger
	router   *mux.Router
}

//go:embed static
var staticFS embed.FS

func (m *monolith) routes(r *mux.Router) {
	get := func(path, name string, h http.HandlerFunc) {
		r.HandleFunc(path, h).Methods(http.MethodGet, http.MethodHead).Name(name)
	}
	post := func(path, name string, h http.HandlerFunc) {
		r.HandleFunc(path, h).Methods(http.MethodPost).Name(name)
	}
	get("/", "home", m.home)
	get("/products/{id}", "product-page", m.productPage)
	get("/search", "search-page", m.searchPage)
	get("/cart", "cart", m.cartPage)
	post("/cart/add", "cart-add", m.cartAdd)
	post("/cart/update", "cart-update", m.cartUpdate)
	get("/checkout", "checkout", m.checkoutPage)
	post("/checkout", "checkout-place", m.checkoutPlace)
	get("/orders", "orders-page", m.ordersPage)
	get("/signup", "signup", m.signupPage)
	post("/signup", "signup-post", m.signup)
	get("/signin", "signin", m.signinPage)
	post("/signin", "signin-post", m.signin)
	post("/signout", "signout", m.signout)
	get("/static/style.css", "style", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=300")
		http.ServeFileFS(w, r, staticFS, "static/style.css")
	})

	apiNotFound, apiNotAllowed := r.NotFoundHandler, r.MethodNotAllowedHandler
	r.NotFoundHandler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if isAPI(r) {
			apiNotFound.ServeHTTP(w, r)
			return
		}
		m.errorPage(w, r, faas.Errorf(faas.NotFound, "There is no page at %s.", r.URL.Path))
	})
	r.MethodNotAllowedHandler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if isAPI(r) {
			apiNotAllowed.ServeHTTP(w, r)
			return
		}
		m.renderError(w, r, http.StatusMethodNotAllowed, "Not allowed", fmt.Sprintf("%s is not allowed here.", r.Method))
	})
}

func isAPI(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/api/") }

func isStatic(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/static/") }

func safeMethod(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace:
		return true
	}
	return false
}

// ServeHTTP is the session middleware: it finds or starts the visitor's
// session, puts the signed-in user on the context as the principal,
// checks the CSRF token of unsafe requests, and hands over to the router.
func (m *monolith) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s := m.sessions.get(r)
	if s == nil && !isAPI(r) && !isStatic(r) {
		// Pages get a session, so that their forms have a CSRF token.
		// The API and images do not: they need none to be read.
		s = m.sessions.create(nil)
		m.setCookie(w, s)
	}
	ctx := r.Context()
	if s != nil {
		ctx = withSession(ctx, s)
		if u, ok := s.signedIn(); ok {
			ctx = faas.NewPrincipalContext(ctx, &faas.Principal{Subject: u.ID, Username: u.Username})
		}
	}
	r = r.WithContext(ctx)

	if !isAPI(r) && !isStatic(r) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self'; style-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
	}
	if !safeMethod(r.Method) {
		if isAPI(r) {
			if s != nil && !s.checkCSRF(r.Header.Get("X-CSRF-Token")) {
				httpapi.WriteError(w, r, faas.Errorf(faas.Forbidden, "requests with the session cookie need the X-CSRF-Token header of the session"))
				return
			}
		} else {
			r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
			if s == nil || !s.checkCSRF(r.PostFormValue("csrf")) {
				m.renderError(w, r, http.StatusForbidden, "Form expired",
					"This form was missing its security token, or it has expired. Go back, reload the page and try again.")
				return
			}
		}
	}
	m.router.ServeHTTP(w, r)
}

func (m *monolith) setCookie(w http.ResponseWriter, s *session) {
	http.SetCookie(w, &http.Cookie{
		Name:     sessionCookie,
		Value:    s.id,
		Path:     "/",
		HttpOnly: true,
		Secure:   m.cfg.Secure,
		SameSite: http.SameSiteLaxMode,
	})
}
