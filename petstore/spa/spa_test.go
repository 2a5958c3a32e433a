package spa_test

import (
	"encoding/json"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/faasport/faasport/petstore/spa"
)

var testConfig = spa.Config{
	Region:         "eu-west-1",
	AWSEndpoint:    "http://127.0.0.1:4566",
	APIURL:         "http://127.0.0.1:3000",
	UserPoolID:     "eu-west-1_AbCdEf123",
	ClientID:       "5rbhkm5k4nq1q3qf2pbk0example",
	IdentityPoolID: "eu-west-1:0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b",
	ProductsTable:  "Products",
	OrdersTable:    "Orders",
}

func get(t *testing.T, h http.Handler, method, path string, hdr map[string]string) (*http.Response, string) {
	t.Helper()
	req := httptest.NewRequest(method, path, nil)
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	res := rec.Result()
	body, _ := io.ReadAll(res.Body)
	return res, string(body)
}

func TestHandler(t *testing.T) {
	h := spa.Handler(testConfig)
	index, err := fs.ReadFile(spa.FS, "index.html")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name         string
		method, path string
		wantStatus   int
		wantType     string
		wantCache    string
		wantBody     string // the whole body, when set
		wantContains string
	}{
		{"root", "GET", "/", 200, "text/html; charset=utf-8", "no-cache", string(index), ""},
		{"index", "GET", "/index.html", 200, "text/html; charset=utf-8", "no-cache", string(index), ""},
		{"app", "GET", "/app.js", 200, "text/javascript; charset=utf-8", "no-cache", "", "import { AWS, AWSError, unmarshalItem } from './aws.js';"},
		{"signer", "GET", "/sigv4.js", 200, "text/javascript; charset=utf-8", "no-cache", "", "export async function sign("},
		{"aws", "GET", "/aws.js", 200, "text/javascript; charset=utf-8", "no-cache", "", "AWSCognitoIdentityService"},
		{"style", "GET", "/style.css", 200, "text/css; charset=utf-8", "no-cache", "", ".product-card"},
		{"logo", "GET", "/logo.svg", 200, "image/svg+xml", "no-cache", "", "<svg"},
		{"config", "GET", "/config.json", 200, "application/json", "no-store", "", `"awsEndpoint": "http://127.0.0.1:4566"`},
		{"fallback cart", "GET", "/cart", 200, "text/html; charset=utf-8", "no-cache", string(index), ""},
		{"fallback nested", "GET", "/product/dog-beagle-puppy", 200, "text/html; charset=utf-8", "no-cache", string(index), ""},
		{"fallback query", "GET", "/orders?x=1", 200, "text/html; charset=utf-8", "no-cache", string(index), ""},
		{"missing asset", "GET", "/missing.js", 404, "text/plain; charset=utf-8", "no-store", "", "404"},
		{"missing nested asset", "GET", "/static/img/dog.svg", 404, "text/plain; charset=utf-8", "no-store", "", "404"},
		{"dot in a directory only", "GET", "/v1.2/cart", 200, "text/html; charset=utf-8", "no-cache", string(index), ""},
		{"head", "HEAD", "/app.js", 200, "text/javascript; charset=utf-8", "no-cache", "", ""},
		{"post", "POST", "/", 405, "text/plain; charset=utf-8", "", "", "405"},
		{"traversal", "GET", "/../spa.go", 404, "text/plain; charset=utf-8", "no-store", "", "404"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, body := get(t, h, tc.method, tc.path, nil)
			if res.StatusCode != tc.wantStatus {
				t.Fatalf("%s %s: status = %d, want %d", tc.method, tc.path, res.StatusCode, tc.wantStatus)
			}
			if got := res.Header.Get("Content-Type"); got != tc.wantType {
				t.Errorf("%s %s: Content-Type = %q, want %q", tc.method, tc.path, got, tc.wantType)
			}
			if got := res.Header.Get("Cache-Control"); got != tc.wantCache {
				t.Errorf("%s %s: Cache-Control = %q, want %q", tc.method, tc.path, got, tc.wantCache)
			}
			if got := res.Header.Get("X-Content-Type-Options"); tc.method != "POST" && got != "nosniff" {
				t.Errorf("%s %s: X-Content-Type-Options = %q, want nosniff", tc.method, tc.path, got)
			}
			if tc.wantBody != "" && body != tc.wantBody {
				t.Errorf("%s %s: body is not index.html:\n%.200s", tc.method, tc.path, body)
			}
			if !strings.Contains(body, tc.wantContains) {
				t.Errorf("%s %s: body does not contain %q:\n%.300s", tc.method, tc.path, tc.wantContains, body)
			}
			if tc.method == "HEAD" && body != "" {
				t.Errorf("HEAD %s: body = %.100q, want none", tc.path, body)
			}
		})
	}
}

func TestConfigJSON(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  spa.Config
		want spa.Config
	}{
		{"full", testConfig, testConfig},
		{"defaults", spa.Config{UserPoolID: "us-east-1_X", ClientID: "c", IdentityPoolID: "us-east-1:i"},
			spa.Config{Region: "us-east-1", UserPoolID: "us-east-1_X", ClientID: "c", IdentityPoolID: "us-east-1:i", ProductsTable: "Products", OrdersTable: "Orders"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, body := get(t, spa.Handler(tc.cfg), "GET", "/config.json", nil)
			if res.StatusCode != 200 || res.Header.Get("Cache-Control") != "no-store" {
				t.Fatalf("GET /config.json = %d, Cache-Control %q; want 200, no-store", res.StatusCode, res.Header.Get("Cache-Control"))
			}
			var got spa.Config
			if err := json.Unmarshal([]byte(body), &got); err != nil {
				t.Fatalf("config.json is not JSON: %v\n%s", err, body)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("config.json (-want +got):\n%s", diff)
			}
			// The app reads these names; renaming a JSON tag breaks it.
			var raw map[string]string
			if err := json.Unmarshal([]byte(body), &raw); err != nil {
				t.Fatal(err)
			}
			for _, k := range []string{"region", "awsEndpoint", "apiURL", "userPoolId", "clientId", "identityPoolId", "productsTable", "ordersTable"} {
				if _, ok := raw[k]; !ok {
					t.Errorf("config.json has no %q: %s", k, body)
				}
			}
		})
	}
}

func TestConditionalGet(t *testing.T) {
	h := spa.Handler(testConfig)
	res, _ := get(t, h, "GET", "/app.js", nil)
	etag := res.Header.Get("ETag")
	if etag == "" {
		t.Fatal("GET /app.js: no ETag")
	}
	res, body := get(t, h, "GET", "/app.js", map[string]string{"If-None-Match": etag})
	if res.StatusCode != http.StatusNotModified || body != "" {
		t.Errorf("GET /app.js If-None-Match: %s = %d with %d bytes, want 304 and none", etag, res.StatusCode, len(body))
	}
	res, _ = get(t, h, "GET", "/config.json", nil)
	if res.Header.Get("ETag") != "" {
		t.Errorf("GET /config.json: ETag %q, want none (it is never cached)", res.Header.Get("ETag"))
	}
}

// TestSiteFiles checks that every file index.html and the modules load
// is in FS, so that the SPA fallback cannot hide a typo.
func TestSiteFiles(t *testing.T) {
	for _, name := range []string{"index.html", "app.js", "aws.js", "sigv4.js", "style.css", "logo.svg"} {
		if _, err := fs.Stat(spa.FS, name); err != nil {
			t.Errorf("FS: %v", err)
		}
	}
	if _, err := fs.Stat(spa.FS, "config.json"); err == nil {
		t.Error("FS has a config.json; the Handler renders it")
	}
	index, _ := fs.ReadFile(spa.FS, "index.html")
	for _, ref := range []string{`src="/app.js"`, `href="/style.css"`, `src="/logo.svg"`} {
		if !strings.Contains(string(index), ref) {
			t.Errorf("index.html does not load %s", ref)
		}
	}
	// The element ids the app looks up in index.html must be there.
	for _, id := range []string{"view", "message", "search-form", "search-input", "search-button", "cart-count",
		"signin-link", "signup-link", "signout-button", "orders-link", "user-name", "category-nav"} {
		if !strings.Contains(string(index), `id="`+id+`"`) {
			t.Errorf("index.html has no #%s", id)
		}
	}
}
