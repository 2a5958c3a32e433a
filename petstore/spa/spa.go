// Package spa is the pet store's single-page app, the browser half of the
// serverless split: static HTML, CSS and plain JavaScript modules (no
// build step, no npm dependencies, no framework), embedded in the binary.
//
// Serve it with [Handler], which adds /config.json telling the app where
// the auth service, the product store and the API gateway are. [FS] is
// the site itself, for hosts that serve static files their own way (they
// must then serve a config.json beside index.html).
//
// # What the app does
//
// The app talks to the cloud with fetch only, as the design of the split
// requires:
//
//   - Sign-up, sign-in and sign-out go straight to the user pool, in
//     Cognito's JSON 1.1 protocol (SignUp, InitiateAuth with
//     USER_PASSWORD_AUTH and REFRESH_TOKEN_AUTH, GlobalSignOut). Tokens
//     live in sessionStorage; session and navigation (hash routes) live in
//     the client.
//   - AWS credentials come from the identity pool (Cognito Identity's
//     GetId and GetCredentialsForIdentity): guests get the
//     unauthenticated role, signed-in users the authenticated one.
//   - Product listings and the user's own orders are read straight from
//     the product store, in DynamoDB's JSON 1.0 protocol (Scan, Query,
//     GetItem), each request signed in the browser with AWS Signature
//     Version 4 (sigv4.js, on WebCrypto).
//   - Search and purchase go through the API gateway: GET /api/search and
//     POST /api/purchase with the ID token as a bearer token. The client
//     never sends a price; the cart lives in localStorage with the
//     purchase's idempotency key, so that a retry after a network error
//     cannot buy twice.
//
// The element ids and classes that browser tests may rely on are listed
// at the top of app.js.
//
// # Endpoints
//
// With [Config.AWSEndpoint] set (the emulator's URL), every AWS call goes
// there, told apart by X-Amz-Target. Left empty, the app calls AWS's own
// regional endpoints (cognito-idp.<region>.amazonaws.com and so on), so
// that the same files run against the emulator and against AWS with
// nothing but the configuration changed.
package spa

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"
)

//go:embed site
var site embed.FS

// FS is the site root: index.html, app.js, sigv4.js, style.css and the
// rest of the app's files. It has no config.json; [Handler] renders one.
var FS fs.FS = mustSub(site, "site")

func mustSub(fsys fs.FS, dir string) fs.FS {
	sub, err := fs.Sub(fsys, dir)
	if err != nil {
		panic("spa: " + err.Error())
	}
	return sub
}

// Config tells the app where its services are. It is served as
// /config.json, with the field names of its JSON tags. The zero value
// works against AWS's own endpoints in us-east-1 once the pool ids are
// filled in.
type Config struct {
	// Region is the AWS region of the pools and tables, used in the
	// identity pool's login key and in request signatures. Empty means
	// "us-east-1".
	Region string `json:"region"`

	// AWSEndpoint is the base URL every AWS call goes to, such as the
	// emulator's "http://127.0.0.1:4566". Empty means AWS's own regional
	// endpoint for each service.
	AWSEndpoint string `json:"awsEndpoint"`

	// APIURL is the base URL of the API gateway serving /api/search,
	// /api/purchase and the product images, including any stage path.
	// Empty means the origin serving the app.
	APIURL string `json:"apiURL"`

	// UserPoolID and ClientID name the user pool and its app client (one
	// without a secret, as a browser cannot keep one).
	UserPoolID string `json:"userPoolId"`
	ClientID   string `json:"clientId"`

	// IdentityPoolID names the identity pool that hands out credentials
	// for reading the product store.
	IdentityPoolID string `json:"identityPoolId"`

	// ProductsTable and OrdersTable name the tables. Empty means
	// "Products" and "Orders".
	ProductsTable string `json:"productsTable"`
	OrdersTable   string `json:"ordersTable"`
}

// withDefaults returns c with its empty fields that have defaults filled
// in, so that config.json says exactly what the app will use.
func (c Config) withDefaults() Config {
	if c.Region == "" {
		c.Region = "us-east-1"
	}
	if c.ProductsTable == "" {
		c.ProductsTable = "Products"
	}
	if c.OrdersTable == "" {
		c.OrdersTable = "Orders"
	}
	return c
}

// contentTypes are the types the site's files are served with. They are
// fixed here rather than left to package mime, whose table the system's
// mime.types files can change (some still say application/javascript,
// or nothing at all for .svg or .webmanifest).
var contentTypes = map[string]string{
	".html":        "text/html; charset=utf-8",
	".js":          "text/javascript; charset=utf-8",
	".mjs":         "text/javascript; charset=utf-8",
	".css":         "text/css; charset=utf-8",
	".json":        "application/json",
	".svg":         "image/svg+xml",
	".png":         "image/png",
	".ico":         "image/x-icon",
	".txt":         "text/plain; charset=utf-8",
	".webmanifest": "application/manifest+json",
}

// file is one file of the site, read once.
type file struct {
	name        string
	data        []byte
	contentType string
	etag        string
}

// Handler returns an http.Handler serving [FS] at the root of its
// origin, plus /config.json rendered from cfg. It answers GET and HEAD:
//
//   - /config.json is cfg as JSON (with defaults filled in), never cached
//     (Cache-Control: no-store), so that a restarted emulator's new pool
//     ids reach a reloaded page.
//   - The site's files come with their content type, an ETag and
//     Cache-Control: no-cache: browsers revalidate, and get 304 Not
//     Modified while the binary is the same.
//   - Any other path without a dot in its last element is a route of the
//     app (a deep link such as /cart), and gets index.html; the app turns
//     it into its hash route. Paths with a dot that name no file are 404,
//     so that a missing script fails loudly instead of parsing HTML.
//
// The app refers to its files by absolute paths (/app.js), so Handler
// must be mounted at the root of an origin, not under a prefix.
func Handler(cfg Config) http.Handler {
	files := make(map[string]*file)
	err := fs.WalkDir(FS, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(FS, name)
		if err != nil {
			return err
		}
		files["/"+name] = newFile(name, data)
		return nil
	})
	if err != nil {
		panic("spa: reading the embedded site: " + err.Error()) // the files are compiled in
	}
	conf, err := json.MarshalIndent(cfg.withDefaults(), "", "  ")
	if err != nil {
		panic("spa: " + err.Error()) // a struct of strings always marshals
	}
	return &handler{files: files, index: files["/index.html"], config: append(conf, '\n')}
}

func newFile(name string, data []byte) *file {
	sum := sha256.Sum256(data)
	ct, ok := contentTypes[path.Ext(name)]
	if !ok {
		ct = http.DetectContentType(data)
	}
	return &file{name: name, data: data, contentType: ct, etag: `"` + hex.EncodeToString(sum[:12]) + `"`}
}

type handler struct {
	files  map[string]*file
	index  *file
	config []byte
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "405 method not allowed", http.StatusMethodNotAllowed)
		return
	}
	p := path.Clean("/" + r.URL.Path)
	hdr := w.Header()
	hdr.Set("X-Content-Type-Options", "nosniff")
	if p == "/config.json" {
		hdr.Set("Content-Type", "application/json")
		hdr.Set("Cache-Control", "no-store")
		http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(h.config))
		return
	}
	f, ok := h.files[p]
	switch {
	case p == "/" || p == "/index.html":
		f = h.index
	case !ok && strings.Contains(path.Base(p), "."):
		hdr.Set("Cache-Control", "no-store")
		http.NotFound(w, r)
		return
	case !ok:
		f = h.index // a route of the app
	}
	hdr.Set("Content-Type", f.contentType)
	hdr.Set("Cache-Control", "no-cache")
	hdr.Set("ETag", f.etag)
	if f == h.index {
		// The page loads scripts from its own origin only; connect-src is
		// left open because the AWS endpoint and the API gateway are
		// wherever the configuration says.
		hdr.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: http: https:; connect-src 'self' http: https:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'")
		hdr.Set("Referrer-Policy", "no-referrer")
	}
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(f.data))
}
