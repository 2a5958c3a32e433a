package monolith

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/faasport/faasport/faas"
	"github.com/faasport/faasport/petstore"
	"github.com/faasport/faasport/petstore/httpapi"
	"github.com/gorilla/mux"
)

//go:embed templates
var templateFS embed.FS

// templates holds one template set per page, each with the layout.
type templates map[string]*template.Template

var pageNames = []string{"home", "product", "search", "cart", "checkout", "orders", "signup", "signin", "error"}

func parseTemplates() (templates, error) {
	funcs := template.FuncMap{
		"date": func(t time.Time) string { return t.UTC().Format("2 Jan 2006, 15:04 UTC") },
	}
	ts := make(templates, len(pageNames))
	for _, name := range pageNames {
		t, err := template.New(name).Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("monolith: parsing template %s: %w", name, err)
		}
		ts[name] = t
	}
	return ts, nil
}

// page is what every template gets. Fields past the first group are set
// by the pages that use them.
type page struct {
	Title      string
	User       *user
	CSRF       string
	CartCount  int
	Flash      string
	Error      string
	Query      string
	Category   petstore.Category
	Categories []petstore.Category
	Home       bool

	Page           petstore.Page
	PrevURL        string
	NextURL        string
	Product        petstore.Product
	MaxQuantity    int
	Cart           []cartLine
	Total          petstore.Cents
	Quote          *petstore.Order
	IdempotencyKey string
	Orders         []petstore.Order
	Placed         string
	Username, Next string
	Message        string
}

// cartLine is a line of the cart page: what the customer asked for, at
// the current price, and the stock that can cover it.
type cartLine struct {
	petstore.OrderLine
	Stock int
}

// newPage returns the page data common to every page of r's session.
func (m *monolith) newPage(r *http.Request, title string) *page {
	p := &page{Title: title, Categories: petstore.Categories(), MaxQuantity: petstore.MaxQuantity}
	if s := sessionFrom(r.Context()); s != nil {
		p.CSRF = s.csrf
		p.CartCount = s.cartCount()
		p.Flash = s.takeFlash()
		if u, ok := s.signedIn(); ok {
			p.User = &u
		}
	}
	return p
}

// render writes the named page with status.
func (m *monolith) render(w http.ResponseWriter, r *http.Request, status int, name string, p *page) {
	var buf bytes.Buffer
	if err := m.tmpl[name].ExecuteTemplate(&buf, "layout", p); err != nil {
		m.log.ErrorContext(r.Context(), "monolith: rendering page", "page", name, "err", err)
		http.Error(w, "Internal Server Error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(buf.Bytes())
	}
}

// errorPage renders err as a page with the status of its kind, logging
// internal errors.
func (m *monolith) errorPage(w http.ResponseWriter, r *http.Request, err error) {
	kind := faas.KindOf(err)
	status := kind.HTTPStatus()
	if status >= 500 {
		m.log.ErrorContext(r.Context(), "monolith: request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	title := http.StatusText(status)
	switch kind {
	case faas.NotFound:
		title = "Not found"
	case faas.Internal:
		title = "Something went wrong"
	}
	m.renderError(w, r, status, title, httpapi.Message(err))
}

func (m *monolith) renderError(w http.ResponseWriter, r *http.Request, status int, title, msg string) {
	p := m.newPage(r, title)
	p.Message = msg
	m.render(w, r, status, "error", p)
}

// redirect answers a form with 303 See Other, so the browser follows
// with a GET.
func redirect(w http.ResponseWriter, r *http.Request, to string) {
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// localPath returns next if it is a path on this site, else "/": sign-in
// must not become an open redirect.
func localPath(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	if u, err := url.Parse(next); err != nil || u.Host != "" || u.Scheme != "" {
		return "/"
	}
	return next
}

// requireUser returns the signed-in user, or redirects to the sign-in
// page and returns false.
func (m *monolith) requireUser(w http.ResponseWriter, r *http.Request) (user, bool) {
	if s := sessionFrom(r.Context()); s != nil {
		if u, ok := s.signedIn(); ok {
			return u, true
		}
	}
	redirect(w, r, "/signin?next="+url.QueryEscape(r.URL.RequestURI()))
	return user{}, false
}

func atoiDefault(s string, def int) (int, error) {
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, faas.Errorf(faas.Invalid, "%q is not a number.", s)
	}
	return n, nil
}

// pageURL returns path with the query q and page n.
func pageURL(path string, q url.Values, n int) string {
	v := url.Values{}
	for k, vs := range q {
		v[k] = vs
	}
	v.Set("page", strconv.Itoa(n))
	return path + "?" + v.Encode()
}

func (m *monolith) home(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	category, err := petstore.ParseCategory(q.Get("category"))
	if err != nil {
		m.errorPage(w, r, err)
		return
	}
	n, err := atoiDefault(q.Get("page"), 1)
	if err != nil {
		m.errorPage(w, r, err)
		return
	}
	pg, err := m.cat.List(r.Context(), category, n, petstore.DefaultPageSize)
	if err != nil {
		m.errorPage(w, r, err)
		return
	}
	p := m.newPage(r, category.Title())
	p.Home, p.Category, p.Page = true, category, pg
	keep := url.Values{}
	if category != "" {
		keep.Set("category", string(category))
	}
	p.PrevURL, p.NextURL = pageURL("/", keep, pg.Page-1), pageURL("/", keep, pg.Page+1)
	m.render(w, r, http.StatusOK, "home", p)
}

func (m *monolith) productPage(w http.ResponseWriter, r *http.Request) {
	prod, err := m.cat.Get(r.Context(), mux.Vars(r)["id"])
	if err != nil {
		m.errorPage(w, r, err)
		return
	}
	p := m.newPage(r, prod.Name)
	p.Product, p.Category = prod, prod.Category
	m.render(w, r, http.StatusOK, "product", p)
}

func (m *monolith) searchPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	query := q.Get("q")
	p := m.newPage(r, "Search")
	p.Query = query
	if strings.TrimSpace(query) == "" {
		p.Query = ""
		m.render(w, r, http.StatusOK, "search", p)
		return
	}
	n, err := atoiDefault(q.Get("page"), 1)
	if err != nil {
		m.errorPage(w, r, err)
		return
	}
	pg, err := m.cat.Search(r.Context(), query, n, petstore.DefaultPageSize)
	if err != nil {
		if faas.KindOf(err) != faas.Invalid {
			m.errorPage(w, r, err)
			return
		}
		p.Error = httpapi.Message(err)
		m.render(w, r, http.StatusBadRequest, "search", p)
		return
	}
	p.Title = "Search: " + query
	p.Page = pg
	p.PrevURL, p.NextURL = pageURL("/search", url.Values{"q": {query}}, pg.Page-1), pageURL("/search", url.Values{"q": {query}}, pg.Page+1)
	m.render(w, r, http.StatusOK, "search", p)
}
