// Package verifytest provides a token issuer for tests of code that
// verifies JSON Web Tokens with package verify: an OpenID Connect
// discovery document and a JSON Web Key Set served by an httptest.Server,
// and RS256 tokens signed with its keys.
package verifytest

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/faasport/faasport/verify"
)

// Issuer is a token issuer listening on a system-chosen port on the local
// loopback interface. Its URL is the issuer (the iss of its tokens), and
// it serves <URL>/.well-known/openid-configuration and <URL>/jwks.json.
// Whoever calls [NewIssuer] must call [Issuer.Close].
type Issuer struct {
	// URL is the issuer identifier: http://127.0.0.1:port.
	URL string

	// KeyID is the kid of the current signing key.
	KeyID string

	// Hold, when set, is called at the start of each JWKS request, before
	// it is answered: tests block in it to simulate a slow issuer.
	Hold func()

	srv     *httptest.Server
	fetches atomic.Int64

	mu   sync.Mutex
	keys map[string]*rsa.PrivateKey // published keys by kid
	n    int
}

// NewIssuer starts an Issuer with one 2048-bit RSA key.
func NewIssuer() *Issuer {
	is := &Issuer{keys: map[string]*rsa.PrivateKey{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{
			"issuer":   is.URL,
			"jwks_uri": is.URL + "/jwks.json",
		})
	})
	mux.HandleFunc("GET /jwks.json", func(w http.ResponseWriter, r *http.Request) {
		if is.Hold != nil {
			is.Hold()
		}
		is.fetches.Add(1)
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(is.JWKS())
	})
	is.srv = httptest.NewServer(mux)
	is.URL = is.srv.URL
	is.Rotate()
	return is
}

// Close stops the Issuer's server.
func (is *Issuer) Close() { is.srv.Close() }

// Fetches returns how many times the JWKS was fetched.
func (is *Issuer) Fetches() int { return int(is.fetches.Load()) }

// Rotate adds a new signing key, published beside the old ones, and
// makes it the current one. It returns the new key's kid.
func (is *Issuer) Rotate() string {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic("verifytest: " + err.Error())
	}
	is.mu.Lock()
	defer is.mu.Unlock()
	is.n++
	kid := fmt.Sprintf("key-%d", is.n)
	is.keys[kid] = k
	is.KeyID = kid
	return kid
}

// Key returns the private key named kid, or nil.
func (is *Issuer) Key(kid string) *rsa.PrivateKey {
	is.mu.Lock()
	defer is.mu.Unlock()
	return is.keys[kid]
}

// JWKS returns the published key set.
func (is *Issuer) JWKS() verify.JWKS {
	is.mu.Lock()
	defer is.mu.Unlock()
	set := verify.JWKS{Keys: []verify.JWK{}}
	for kid, k := range is.keys {
		set.Keys = append(set.Keys, verify.NewJWK(kid, &k.PublicKey))
	}
	return set
}

// Sign returns an RS256 token of claims signed with the current key.
func (is *Issuer) Sign(claims map[string]any) string {
	is.mu.Lock()
	kid, k := is.KeyID, is.keys[is.KeyID]
	is.mu.Unlock()
	t := jwt.NewWithClaims(jwt.SigningMethodRS256, jwt.MapClaims(claims))
	t.Header["kid"] = kid
	s, err := t.SignedString(k)
	if err != nil {
		panic("verifytest: " + err.Error())
	}
	return s
}

// Claims returns the claims of a Cognito-shaped ID token of this issuer
// for subject sub and audience aud, issued at now and valid for an hour.
// Tests change or add claims before signing them.
func (is *Issuer) Claims(sub, aud string, now time.Time) map[string]any {
	return map[string]any{
		"iss":              is.URL,
		"sub":              sub,
		"aud":              aud,
		"token_use":        "id",
		"cognito:username": sub,
		"iat":              now.Unix(),
		"auth_time":        now.Unix(),
		"exp":              now.Add(time.Hour).Unix(),
	}
}
