package verify_test

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"math/big"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/faasport/faasport/emulator/clock"
	"github.com/faasport/faasport/verify"
)

// jwkKey decodes k's modulus and exponent as ParseJWKS reads them
// (base64url, padding allowed) and reports whether they make an RSA
// public key crypto/rsa can verify with, of 2048 bits or more.
func jwkKey(k verify.JWK) (*rsa.PublicKey, bool) {
	n, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(k.N, "="))
	if err != nil || len(n) == 0 {
		return nil, false
	}
	e, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(k.E, "="))
	if err != nil || len(e) == 0 || len(e) > 4 {
		return nil, false
	}
	exp := new(big.Int).SetBytes(e).Int64()
	pub := &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(exp)}
	return pub, pub.N.BitLen() >= 2048 && usable(pub)
}

// usable reports whether crypto/rsa takes pub: verifying a wrong
// signature fails with rsa.ErrVerification rather than a key error.
func usable(pub *rsa.PublicKey) bool {
	if pub.E < 3 {
		return false // crypto/rsa takes 2, which is not an RSA exponent
	}
	sum := sha256.Sum256([]byte("x"))
	err := rsa.VerifyPKCS1v15(pub, crypto.SHA256, sum[:], make([]byte, pub.Size()))
	return errors.Is(err, rsa.ErrVerification)
}

// rsaSigningKey reports whether ParseJWKS is to keep k, if well formed: an
// RSA key with a kid, for signatures, for RS256.
func rsaSigningKey(k verify.JWK) bool {
	return k.Kty == "RSA" && (k.Use == "" || k.Use == "sig") && (k.Alg == "" || k.Alg == "RS256") && k.Kid != ""
}

var rsaKeyComparer = cmp.Comparer(func(a, b *rsa.PublicKey) bool { return a.Equal(b) })

// jwksSeeds are key sets for FuzzParseJWKS and FuzzJWKSCacheFetch to start
// from.
func jwksSeeds(t testing.TB) [][]byte {
	is := testIssuer(t)
	good := verify.NewJWK("good", &is.Key(is.KeyID).PublicKey)
	bare := good
	bare.Kid, bare.Use, bare.Alg = "bare", "", ""
	enc := good
	enc.Kid, enc.Use = "enc", "enc"
	rs512 := good
	rs512.Kid, rs512.Alg = "rs512", "RS512"
	badN := good
	badN.Kid, badN.N = "bad-n", "!!!"
	seeds := [][]byte{
		mustJSON(t, verify.JWKS{Keys: []verify.JWK{good}}),
		mustJSON(t, verify.JWKS{Keys: []verify.JWK{good, bare, enc, rs512, {Kty: "EC", Kid: "ec", Use: "sig"}}}),
		mustJSON(t, verify.JWKS{Keys: []verify.JWK{good, badN}}),
		mustJSON(t, verify.JWKS{Keys: []verify.JWK{good, good}}),
		[]byte(`{"keys":[]}`), []byte(`{"keys":null}`), []byte(`{}`), []byte(`null`), []byte(`[]`), []byte(`{"keys":[1]}`),
	}
	for _, tc := range parseJWKSCases {
		seeds = append(seeds, tc.doc(t))
	}
	return seeds
}

// FuzzParseJWKS: ParseJWKS never panics; it keeps exactly the well-formed
// RSA signing keys of a document, by kid, each one crypto/rsa can verify
// with and of 2048 bits or more; a malformed one among them makes the
// whole document an error; and the keys it keeps, written out with NewJWK,
// parse back the same.
func FuzzParseJWKS(f *testing.F) {
	for _, s := range jwksSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		keys, err := verify.ParseJWKS(data)

		var doc verify.JWKS
		if json.Unmarshal(data, &doc) != nil {
			if err == nil {
				t.Fatalf("ParseJWKS(%q) accepted a document that is not a JWKS", data)
			}
			return
		}
		want := map[string]*rsa.PublicKey{}
		malformed := ""
		for _, k := range doc.Keys {
			if !rsaSigningKey(k) {
				continue
			}
			pub, ok := jwkKey(k)
			if !ok && malformed == "" {
				malformed = k.Kid
			}
			want[k.Kid] = pub
		}
		if malformed != "" {
			if err == nil {
				t.Fatalf("ParseJWKS(%q) accepted the malformed key %q", data, malformed)
			}
			return
		}
		if err != nil {
			t.Fatalf("ParseJWKS(%q) = %v, want its RSA signing keys", data, err)
		}
		if diff := cmp.Diff(want, keys, rsaKeyComparer); diff != "" {
			t.Fatalf("ParseJWKS(%q) keys (-want +got):\n%s", data, diff)
		}

		var again verify.JWKS
		for kid, k := range keys {
			again.Keys = append(again.Keys, verify.NewJWK(kid, k))
		}
		b, err := json.Marshal(again)
		if err != nil {
			t.Fatal(err)
		}
		reparsed, err := verify.ParseJWKS(b)
		if err != nil {
			t.Fatalf("ParseJWKS(NewJWK of its keys %s) = %v", b, err)
		}
		if diff := cmp.Diff(keys, reparsed, rsaKeyComparer); diff != "" {
			t.Fatalf("ParseJWKS round trip (-first +second):\n%s", diff)
		}
	})
}

// malformedJWK is a key set whose second RSA signing key is malformed,
// which ParseJWKS refuses whole.
type malformedJWK struct {
	name string
	edit func(k *verify.JWK, n *big.Int) // edits the test issuer's key, of modulus n
}

// doc is the key set: the test issuer's key as "good", and as "bad" edited.
func (tc malformedJWK) doc(t testing.TB) []byte {
	is := testIssuer(t)
	pub := &is.Key(is.KeyID).PublicKey
	bad := verify.NewJWK("bad", pub)
	tc.edit(&bad, pub.N)
	return mustJSON(t, verify.JWKS{Keys: []verify.JWK{verify.NewJWK("good", pub), bad}})
}

// parseJWKSCases are malformed RSA signing keys: ones crypto/rsa refuses
// and ones under 2048 bits. They seed FuzzParseJWKS too.
var parseJWKSCases = []malformedJWK{
	{name: "modulus not base64url", edit: func(k *verify.JWK, _ *big.Int) { k.N = "!!!" }},
	{name: "empty modulus", edit: func(k *verify.JWK, _ *big.Int) { k.N = "" }},
	{name: "1024-bit modulus", edit: func(k *verify.JWK, n *big.Int) {
		k.N = base64.RawURLEncoding.EncodeToString(new(big.Int).Rsh(n, 1024).Bytes())
	}},
	{name: "even modulus", edit: func(k *verify.JWK, n *big.Int) {
		k.N = base64.RawURLEncoding.EncodeToString(new(big.Int).Add(n, big.NewInt(1)).Bytes())
	}},
	{name: "exponent 1", edit: func(k *verify.JWK, _ *big.Int) { k.E = "AQ" }},
	{name: "even exponent", edit: func(k *verify.JWK, _ *big.Int) { k.E = "AQAA" }},
	{name: "exponent over 2^31-1", edit: func(k *verify.JWK, _ *big.Int) { k.E = "gAAAAQ" }},
	{name: "5-byte exponent", edit: func(k *verify.JWK, _ *big.Int) { k.E = "AQAAAAE" }},
}

func TestParseJWKSMalformed(t *testing.T) {
	for _, tc := range parseJWKSCases {
		t.Run(tc.name, func(t *testing.T) {
			keys, err := verify.ParseJWKS(tc.doc(t))
			if err == nil || !strings.Contains(err.Error(), `key "bad"`) {
				t.Errorf("ParseJWKS = %v, %v; want an error about key \"bad\"", keys, err)
			}
		})
	}
}

// roundTripperFunc is an adapter to allow the use of ordinary functions as
// HTTP transports.
type roundTripperFunc func(*http.Request) (*http.Response, error)

func (f roundTripperFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// FuzzJWKSCacheFetch serves arbitrary discovery documents and key sets to
// a JWKSCache through an in-memory transport. Key never panics; it fetches
// the discovery document at the issuer and then the jwks_uri it names, if
// that is an http or https URL with a host, and nothing else; it returns
// the key ParseJWKS finds under kid, or an *Error of kind ErrKeyFetch or
// ErrUnknownKey; and a second Key within the backoff answers the same
// without fetching.
func FuzzJWKSCacheFetch(f *testing.F) {
	const issuer = "http://127.0.0.1:9/pool"
	for _, s := range jwksSeeds(f) {
		for _, disc := range []string{
			`{"issuer":"http://127.0.0.1:9/pool","jwks_uri":"http://127.0.0.1:9/pool/jwks.json"}`,
			`{"jwks_uri":"https://127.0.0.1:9/keys?x=1"}`,
			`{"jwks_uri":"file:///etc/passwd"}`, `{"jwks_uri":"http:///x"}`, `{"jwks_uri":"//127.0.0.1/x"}`, `{}`, `null`, `[`,
		} {
			f.Add([]byte(disc), s, "good")
		}
	}
	f.Fuzz(func(t *testing.T, disc, jwks []byte, kid string) {
		var got []string
		rt := roundTripperFunc(func(r *http.Request) (*http.Response, error) {
			got = append(got, r.Method+" "+r.URL.String()+" "+r.Header.Get("Accept"))
			body := disc
			if len(got) > 1 {
				body = jwks
			}
			return &http.Response{StatusCode: http.StatusOK, Status: "200 OK", Header: http.Header{},
				Body: io.NopCloser(bytes.NewReader(body)), Request: r}, nil
		})
		cache := verify.NewJWKSCache(verify.JWKSOptions{Client: &http.Client{Transport: rt}, Clock: clock.NewFake(epoch)})
		key, err := cache.Key(context.Background(), issuer, kid)

		// What Key must do, step by step.
		wantGot := []string{"GET " + issuer + "/.well-known/openid-configuration application/json"}
		var wantKey *rsa.PublicKey
		wantKind := verify.ErrKeyFetch
		var d struct {
			JWKSURI string `json:"jwks_uri"`
		}
		if json.Unmarshal(disc, &d) == nil {
			if u, err := url.Parse(d.JWKSURI); err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Hostname() != "" {
				r, err := http.NewRequest(http.MethodGet, d.JWKSURI, nil)
				if err != nil {
					t.Fatal(err)
				}
				wantGot = append(wantGot, "GET "+r.URL.String()+" application/json")
				if keys, err := verify.ParseJWKS(jwks); err == nil {
					wantKind, wantKey = verify.ErrUnknownKey, keys[kid]
				}
			}
		}
		if diff := cmp.Diff(wantGot, got); diff != "" {
			t.Fatalf("Key fetched (-want +got):\n%s", diff)
		}
		check := func(key *rsa.PublicKey, err error) {
			t.Helper()
			if wantKey != nil {
				if err != nil || !wantKey.Equal(key) {
					t.Fatalf("Key(%q) = %v, %v; want the key ParseJWKS finds", kid, key, err)
				}
				return
			}
			var e *verify.Error
			if key != nil || !errors.As(err, &e) || e.Kind != wantKind {
				t.Fatalf("Key(%q) = %v, %v; want an *Error of kind %v", kid, key, err, wantKind)
			}
		}
		check(key, err)
		check(cache.Key(context.Background(), issuer, kid))
		if len(got) != len(wantGot) {
			t.Fatalf("a second Key fetched %q", got[len(wantGot):])
		}
	})
}

// TestJWKSCacheJWKSURI checks which jwks_uri values a JWKSCache fetches.
func TestJWKSCacheJWKSURI(t *testing.T) {
	tests := []struct {
		name    string
		jwksURI string
		want    []string // the requests after the discovery document's
	}{
		{name: "http", jwksURI: "http://127.0.0.1:9/keys", want: []string{"http://127.0.0.1:9/keys"}},
		{name: "https with query", jwksURI: "https://127.0.0.1/keys?v=2", want: []string{"https://127.0.0.1/keys?v=2"}},
		{name: "empty port", jwksURI: "http://127.0.0.1:/keys", want: []string{"http://127.0.0.1/keys"}},
		{name: "port without host name", jwksURI: "http://:8080/keys"},
		{name: "colon without host name", jwksURI: "http://:#"},
		{name: "no scheme", jwksURI: "//127.0.0.1/keys"},
		{name: "file", jwksURI: "file:///etc/passwd"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			rt := roundTripperFunc(func(r *http.Request) (*http.Response, error) {
				body := []byte(`{"keys":[]}`)
				if len(got) == 0 && r.URL.Path == "/.well-known/openid-configuration" {
					body = mustJSON(t, map[string]string{"jwks_uri": tc.jwksURI})
				} else {
					got = append(got, r.URL.String())
				}
				return &http.Response{StatusCode: http.StatusOK, Status: "200 OK", Header: http.Header{},
					Body: io.NopCloser(bytes.NewReader(body)), Request: r}, nil
			})
			cache := verify.NewJWKSCache(verify.JWKSOptions{Client: &http.Client{Transport: rt}})
			_, err := cache.Key(context.Background(), "http://127.0.0.1:9", "k")
			wantKind := verify.ErrKeyFetch
			if tc.want != nil {
				wantKind = verify.ErrUnknownKey
			}
			if !errors.Is(err, wantKind) {
				t.Errorf("Key = %v, want %v", err, wantKind)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("fetches after discovery (-want +got):\n%s", diff)
			}
		})
	}
}
