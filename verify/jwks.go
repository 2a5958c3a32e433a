package verify

import (
	"context"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/big"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Clock tells the time. Any value with a Now method will do, such as the
// emulator's clock.Clock; nil means the time package's clock.
type Clock interface {
	Now() time.Time
}

func now(c Clock) time.Time {
	if c == nil {
		return time.Now()
	}
	return c.Now()
}

// KeySource finds an issuer's RSA public key by key id.
type KeySource interface {
	// Key returns the key named kid of issuer. It returns an [*Error] of
	// kind [ErrUnknownKey] when the issuer has no such key and of kind
	// [ErrKeyFetch] when the keys cannot be had.
	Key(ctx context.Context, issuer, kid string) (*rsa.PublicKey, error)
}

// KeySet is a fixed set of keys by key id, for any issuer. It is a
// [KeySource] for tests and for programs that hold their keys.
type KeySet map[string]*rsa.PublicKey

var _ KeySource = KeySet(nil)

// Key returns s[kid].
func (s KeySet) Key(_ context.Context, _, kid string) (*rsa.PublicKey, error) {
	if k := s[kid]; k != nil {
		return k, nil
	}
	return nil, newError(ErrUnknownKey, "the token's key id is not in the JWKS", nil)
}

// Defaults and limits of [JWKSOptions], as API Gateway documents them.
const (
	MaxJWKSTTL            = 2 * time.Hour
	DefaultFetchTimeout   = 1500 * time.Millisecond
	DefaultRefetchBackoff = 30 * time.Second
	maxDocumentSize       = 1 << 20
)

// JWKSOptions configure a [JWKSCache]. The zero value is ready for use.
type JWKSOptions struct {
	// Client fetches discovery documents and key sets. Nil means a client
	// of its own over http.DefaultTransport.
	Client *http.Client

	// TTL is how long fetched keys are used before they are fetched again.
	// Zero, or more than MaxJWKSTTL, means MaxJWKSTTL (2 h), API
	// Gateway's figure.
	TTL time.Duration

	// RefetchBackoff is the least time between two fetches for one issuer
	// caused by an unknown key id or a failed fetch, so that tokens with
	// made-up key ids cannot make the cache hammer the issuer. Zero means
	// DefaultRefetchBackoff (30 s).
	RefetchBackoff time.Duration

	// FetchTimeout bounds one fetch, discovery and key set together. Zero
	// means DefaultFetchTimeout (1.5 s), API Gateway's JWKS timeout.
	FetchTimeout time.Duration

	// Clock times the TTL and the backoff. Nil means the real clock.
	Clock Clock
}

// JWKSCache is a [KeySource] that fetches each issuer's JSON Web Key Set
// through OpenID Connect discovery and keeps it. It is safe for concurrent
// use; concurrent requests for one issuer share a single fetch.
type JWKSCache struct {
	client  *http.Client
	ttl     time.Duration
	backoff time.Duration
	timeout time.Duration
	clock   Clock

	mu      sync.Mutex
	issuers map[string]*issuerKeys
}

var _ KeySource = (*JWKSCache)(nil)

// issuerKeys is the cache entry of one issuer.
type issuerKeys struct {
	set     atomic.Pointer[fetched] // nil until the first successful fetch
	fetchMu sync.Mutex              // held while fetching
	last    atomic.Int64            // unix nanoseconds of the last fetch attempt
	lastErr atomic.Pointer[Error]   // the last attempt's error, nil if it succeeded
}

type fetched struct {
	keys map[string]*rsa.PublicKey
	at   time.Time
}

// NewJWKSCache returns a cache configured by opts.
func NewJWKSCache(opts JWKSOptions) *JWKSCache {
	c := &JWKSCache{
		client:  opts.Client,
		ttl:     opts.TTL,
		backoff: opts.RefetchBackoff,
		timeout: opts.FetchTimeout,
		clock:   opts.Clock,
		issuers: map[string]*issuerKeys{},
	}
	if c.client == nil {
		c.client = &http.Client{}
	}
	if c.ttl <= 0 || c.ttl > MaxJWKSTTL {
		c.ttl = MaxJWKSTTL
	}
	if c.backoff <= 0 {
		c.backoff = DefaultRefetchBackoff
	}
	if c.timeout <= 0 {
		c.timeout = DefaultFetchTimeout
	}
	return c
}

func (c *JWKSCache) entry(issuer string) *issuerKeys {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.issuers[issuer]
	if e == nil {
		e = &issuerKeys{}
		c.issuers[issuer] = e
	}
	return e
}

// Key returns issuer's key named kid. Keys younger than the TTL are served
// from memory. An unknown kid causes a new fetch, at most once per
// RefetchBackoff, in case the issuer rotated its keys.
func (c *JWKSCache) Key(ctx context.Context, issuer, kid string) (*rsa.PublicKey, error) {
	e := c.entry(issuer)
	t := now(c.clock)
	if f := e.set.Load(); f != nil && t.Sub(f.at) < c.ttl {
		if k := f.keys[kid]; k != nil {
			return k, nil
		}
	}

	e.fetchMu.Lock()
	defer e.fetchMu.Unlock()
	// Another caller may have fetched while this one waited.
	t = now(c.clock)
	f := e.set.Load()
	fresh := f != nil && t.Sub(f.at) < c.ttl
	if fresh {
		if k := f.keys[kid]; k != nil {
			return k, nil
		}
	}
	if last := e.last.Load(); last != 0 && t.Sub(time.Unix(0, last)) < c.backoff && (fresh || e.lastErr.Load() != nil) {
		// Fetched recently: an unknown kid stays unknown, a failure stays
		// a failure, until the backoff passes.
		if err := e.lastErr.Load(); err != nil {
			return nil, err
		}
		return nil, newError(ErrUnknownKey, "the token's key id is not in the JWKS", nil)
	}
	e.last.Store(t.UnixNano())
	keys, err := c.fetch(ctx, issuer)
	if err != nil {
		ferr := newError(ErrKeyFetch, "unable to fetch the issuer's JWKS", err)
		e.lastErr.Store(ferr)
		return nil, ferr
	}
	e.lastErr.Store(nil)
	e.set.Store(&fetched{keys: keys, at: t})
	if k := keys[kid]; k != nil {
		return k, nil
	}
	return nil, newError(ErrUnknownKey, "the token's key id is not in the JWKS", nil)
}

// fetch reads issuer's discovery document and then its key set.
func (c *JWKSCache) fetch(ctx context.Context, issuer string) (map[string]*rsa.PublicKey, error) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	var disc struct {
		JWKSURI string `json:"jwks_uri"`
	}
	if err := c.getJSON(ctx, strings.TrimSuffix(issuer, "/")+"/.well-known/openid-configuration", &disc); err != nil {
		return nil, err
	}
	u, err := url.Parse(disc.JWKSURI)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Hostname() == "" {
		return nil, fmt.Errorf("discovery document has no usable jwks_uri (%q)", disc.JWKSURI)
	}
	var raw json.RawMessage
	if err := c.getJSON(ctx, disc.JWKSURI, &raw); err != nil {
		return nil, err
	}
	return ParseJWKS(raw)
}

func (c *JWKSCache) getJSON(ctx context.Context, u string, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", "application/json")
	resp, err := c.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxDocumentSize))
		return fmt.Errorf("GET %s: %s", u, resp.Status)
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxDocumentSize+1))
	if err != nil {
		return fmt.Errorf("GET %s: %w", u, err)
	}
	if len(b) > maxDocumentSize {
		return fmt.Errorf("GET %s: document over %d bytes", u, maxDocumentSize)
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("GET %s: %w", u, err)
	}
	return nil
}

// JWK is one key of a JSON Web Key Set (RFC 7517), RSA members only.
type JWK struct {
	Kty string `json:"kty"`
	Kid string `json:"kid"`
	Use string `json:"use,omitempty"`
	Alg string `json:"alg,omitempty"`
	N   string `json:"n"`
	E   string `json:"e"`
}

// JWKS is a JSON Web Key Set.
type JWKS struct {
	Keys []JWK `json:"keys"`
}

// NewJWK returns the JWK of an RSA public key, for RS256 signatures.
func NewJWK(kid string, k *rsa.PublicKey) JWK {
	return JWK{
		Kty: "RSA", Kid: kid, Use: "sig", Alg: "RS256",
		N: base64.RawURLEncoding.EncodeToString(k.N.Bytes()),
		E: base64.RawURLEncoding.EncodeToString(big.NewInt(int64(k.E)).Bytes()),
	}
}

// ParseJWKS returns the RSA signing keys of a JSON Web Key Set by key id.
// Keys of other types, keys without a kid, keys for encryption
// ("use":"enc") and keys for other algorithms are left out. An RSA signing
// key that crypto/rsa cannot verify with, or of under 2048 bits, makes the
// whole set an error. Of two keys with one kid, the later is kept.
func ParseJWKS(data []byte) (map[string]*rsa.PublicKey, error) {
	var set JWKS
	if err := json.Unmarshal(data, &set); err != nil {
		return nil, fmt.Errorf("JWKS: %w", err)
	}
	keys := make(map[string]*rsa.PublicKey, len(set.Keys))
	for _, k := range set.Keys {
		if k.Kty != "RSA" || (k.Use != "" && k.Use != "sig") || (k.Alg != "" && k.Alg != "RS256") || k.Kid == "" {
			continue
		}
		n, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(k.N, "="))
		if err != nil || len(n) == 0 {
			return nil, fmt.Errorf("JWKS: key %q: bad modulus", k.Kid)
		}
		e, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(k.E, "="))
		if err != nil || len(e) == 0 || len(e) > 4 {
			return nil, fmt.Errorf("JWKS: key %q: bad exponent", k.Kid)
		}
		exp := new(big.Int).SetBytes(e).Int64()
		// crypto/rsa refuses exponents over 2^31-1 and even moduli.
		if exp < 3 || exp%2 == 0 || exp > math.MaxInt32 {
			return nil, fmt.Errorf("JWKS: key %q: bad exponent", k.Kid)
		}
		pub := &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(exp)}
		if pub.N.BitLen() < 2048 {
			return nil, fmt.Errorf("JWKS: key %q: %d-bit modulus, under 2048 bits", k.Kid, pub.N.BitLen())
		}
		if pub.N.Bit(0) == 0 {
			return nil, fmt.Errorf("JWKS: key %q: even modulus", k.Kid)
		}
		keys[k.Kid] = pub
	}
	return keys, nil
}
