package verify_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/faasport/faasport/emulator/clock"
	"github.com/faasport/faasport/verify"
	"github.com/faasport/faasport/verify/verifytest"
)

func TestJWKSCacheTTL(t *testing.T) {
	is := verifytest.NewIssuer()
	defer is.Close()
	clk := clock.NewFake(epoch)
	cache := verify.NewJWKSCache(verify.JWKSOptions{Clock: clk, TTL: 5 * time.Hour})
	ctx := context.Background()
	for i := range 3 {
		if _, err := cache.Key(ctx, is.URL, is.KeyID); err != nil {
			t.Fatalf("Key #%d: %v", i, err)
		}
	}
	if got := is.Fetches(); got != 1 {
		t.Fatalf("after three lookups: %d fetches, want 1", got)
	}
	clk.Advance(verify.MaxJWKSTTL - time.Second)
	if _, err := cache.Key(ctx, is.URL, is.KeyID); err != nil || is.Fetches() != 1 {
		t.Fatalf("before 2 h: err %v, %d fetches, want nil and 1", err, is.Fetches())
	}
	clk.Advance(time.Second) // a TTL over 2 h is cut to 2 h
	if _, err := cache.Key(ctx, is.URL, is.KeyID); err != nil || is.Fetches() != 2 {
		t.Fatalf("at 2 h: err %v, %d fetches, want nil and 2", err, is.Fetches())
	}
}

func TestJWKSCacheUnknownKid(t *testing.T) {
	is := verifytest.NewIssuer()
	defer is.Close()
	clk := clock.NewFake(epoch)
	cache := verify.NewJWKSCache(verify.JWKSOptions{Clock: clk, RefetchBackoff: 10 * time.Second})
	ctx := context.Background()
	if _, err := cache.Key(ctx, is.URL, is.KeyID); err != nil {
		t.Fatal(err)
	}
	// Made-up key ids cause at most one fetch per backoff.
	for range 5 {
		if _, err := cache.Key(ctx, is.URL, "made-up"); !errors.Is(err, verify.ErrUnknownKey) {
			t.Fatalf("Key(made-up) = %v, want ErrUnknownKey", err)
		}
	}
	if got := is.Fetches(); got != 1 {
		t.Fatalf("fetches = %d within the backoff of the first fetch, want 1", got)
	}
	// The issuer rotates: the new kid is fetched once the backoff passed.
	kid := is.Rotate()
	if _, err := cache.Key(ctx, is.URL, kid); !errors.Is(err, verify.ErrUnknownKey) {
		t.Fatalf("Key(new kid) within backoff = %v, want ErrUnknownKey", err)
	}
	clk.Advance(10 * time.Second)
	if _, err := cache.Key(ctx, is.URL, kid); err != nil {
		t.Fatalf("Key(new kid) after backoff = %v", err)
	}
	if got := is.Fetches(); got != 2 {
		t.Fatalf("fetches = %d, want 2", got)
	}
}

func TestJWKSCacheConcurrentSingleFetch(t *testing.T) {
	is := verifytest.NewIssuer()
	defer is.Close()
	cache := verify.NewJWKSCache(verify.JWKSOptions{})
	var wg sync.WaitGroup
	for range 50 {
		wg.Go(func() {
			if _, err := cache.Key(context.Background(), is.URL, is.KeyID); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if got := is.Fetches(); got != 1 {
		t.Errorf("50 concurrent lookups made %d fetches, want 1", got)
	}
}

func TestJWKSFetchTimeout(t *testing.T) {
	is := verifytest.NewIssuer()
	release := make(chan struct{})
	is.Hold = func() { <-release }
	defer is.Close()
	defer close(release)
	cache := verify.NewJWKSCache(verify.JWKSOptions{FetchTimeout: 50 * time.Millisecond})
	start := time.Now()
	_, err := cache.Key(context.Background(), is.URL, is.KeyID)
	if !errors.Is(err, verify.ErrKeyFetch) {
		t.Fatalf("Key from a stalled issuer = %v, want ErrKeyFetch", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("Key took %v, want about the 50 ms fetch timeout", d)
	}
}

func TestJWKSFetchFailures(t *testing.T) {
	tests := []struct {
		name    string
		handler http.HandlerFunc
	}{
		{"discovery 404", func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) }},
		{"discovery not JSON", func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("<html>")) }},
		{"no jwks_uri", func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte(`{}`)) }},
		{"jwks_uri not http", func(w http.ResponseWriter, r *http.Request) {
			_, _ = w.Write([]byte(`{"jwks_uri":"file:///etc/passwd"}`))
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(tc.handler)
			defer srv.Close()
			cache := verify.NewJWKSCache(verify.JWKSOptions{})
			if _, err := cache.Key(context.Background(), srv.URL, "k"); !errors.Is(err, verify.ErrKeyFetch) {
				t.Errorf("Key = %v, want ErrKeyFetch", err)
			}
		})
	}
}

func TestParseJWKS(t *testing.T) {
	is := testIssuer(t)
	good := verify.NewJWK("good", &is.Key(is.KeyID).PublicKey)
	enc := good
	enc.Kid, enc.Use = "enc", "enc"
	ec := verify.JWK{Kty: "EC", Kid: "ec"}
	rs512 := good
	rs512.Kid, rs512.Alg = "rs512", "RS512"
	keys, err := verify.ParseJWKS(mustJSON(t, verify.JWKS{Keys: []verify.JWK{good, enc, ec, rs512}}))
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) != 1 || keys["good"] == nil || keys["good"].N.Cmp(is.Key(is.KeyID).N) != 0 {
		t.Errorf("ParseJWKS kept %v, want only the RS256 signing key", keys)
	}
	bad := good
	bad.N = "!!!"
	if _, err := verify.ParseJWKS(mustJSON(t, verify.JWKS{Keys: []verify.JWK{bad}})); err == nil {
		t.Error("ParseJWKS accepted a bad modulus")
	}
}
