package verify

import (
	"context"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Values of [Verifier.TokenUse], as Cognito sets the token_use claim.
const (
	TokenUseID     = "id"
	TokenUseAccess = "access"
)

// Verifier checks JSON Web Tokens of one issuer. Its fields must not be
// changed while Verify may run; a Verifier is otherwise safe for
// concurrent use.
type Verifier struct {
	// Issuer is the exact iss a token must carry, such as
	// "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_abc". It is
	// also where a JWKSCache finds the keys. Required.
	Issuer string

	// Audiences are the accepted audiences: a token's aud must hold one of
	// them or, only when it has no aud, its client_id must be one of them
	// (so that Cognito access tokens pass with the app client id).
	// Required: at least one, unless AnyAudience.
	Audiences []string

	// AnyAudience accepts a token whatever its aud and client_id, as API
	// Gateway's Cognito user pool authorizers for REST APIs accept the
	// tokens of every app client of their pools: the issuer alone
	// decides. Audiences must then be empty.
	AnyAudience bool

	// TokenUse, when set to "id" or "access", is the token_use claim a
	// token must carry. Empty accepts any token, with or without one.
	TokenUse string

	// Keys finds the issuer's signing keys. Nil means a JWKSCache with
	// default options, shared by every Verifier without Keys.
	Keys KeySource

	// Clock tells the time for exp, nbf and iat. Nil means the real clock.
	Clock Clock

	// Leeway is the clock skew allowed on exp, nbf and iat. Zero, the
	// default, allows none.
	Leeway time.Duration

	// Signatures, when set, remembers the tokens whose signature held, so
	// that a token presented again skips the RSA check. Nil means every
	// token's signature is checked every time.
	Signatures *SignatureCache
}

// Claims are a verified token's claims.
type Claims struct {
	Issuer   string
	Subject  string
	Audience []string // aud, as a list whether the token had a string or an array
	ClientID string   // client_id (Cognito access tokens)
	TokenUse string   // token_use (Cognito): "id" or "access"

	// Scopes are the token's scopes: the space-separated scope claim, or
	// else the scp claim (a list or a space-separated string).
	Scopes []string

	ExpiresAt time.Time
	NotBefore time.Time // zero when the token has no nbf
	IssuedAt  time.Time // zero when the token has no iat

	// Raw holds every claim by name, as JSON decodes it into any, except
	// that numbers are json.Number so that they keep their text.
	Raw map[string]any
}

// parser checks the token's form and signature only; Verify checks the
// claims itself, to tell API Gateway's reasons apart. The algorithm is
// checked in the key function so that the error says which one it was.
var parser = jwt.NewParser(jwt.WithJSONNumber(), jwt.WithoutClaimsValidation())

// Verify checks token and returns its claims. It fails with an [*Error]
// whose Kind says which check failed.
func (v *Verifier) Verify(ctx context.Context, token string) (*Claims, error) {
	cs, err := v.verify(ctx, token)
	if err != nil {
		return nil, err
	}
	c := cs.c
	c.Audience = slices.Clone(c.Audience)
	c.Scopes = slices.Clone(c.Scopes)
	c.Raw = maps.Clone(c.Raw)
	return &c, nil
}

// VerifyShared is [Verifier.Verify] for callers that only read the claims:
// with [Verifier.Signatures] set, the Claims of a remembered token, their
// Raw map and slices included, are shared by every caller of that token
// and must not be modified. It saves copying them on every use.
func (v *Verifier) VerifyShared(ctx context.Context, token string) (*Claims, error) {
	cs, err := v.verify(ctx, token)
	if err != nil {
		return nil, err
	}
	return &cs.c, nil
}

func (v *Verifier) verify(ctx context.Context, token string) (*claimSet, error) {
	if v.Issuer == "" || (len(v.Audiences) == 0) != v.AnyAudience {
		return nil, newError(ErrConfig, "the verifier needs an issuer and either audiences or AnyAudience", nil)
	}
	if v.TokenUse != "" && v.TokenUse != TokenUseID && v.TokenUse != TokenUseAccess {
		return nil, newError(ErrConfig, "the verifier's token_use must be id, access or empty", nil)
	}
	keys := v.Keys
	if keys == nil {
		keys = sharedCache()
	}
	if cs := v.Signatures.lookup(ctx, token, keys, v.Issuer); cs != nil {
		return cs, v.check(cs)
	}
	mc := jwt.MapClaims{}
	var (
		kid string
		key *rsa.PublicKey
	)
	_, err := parser.ParseWithClaims(token, mc, func(t *jwt.Token) (any, error) {
		if alg := t.Method.Alg(); alg != jwt.SigningMethodRS256.Alg() {
			return nil, newError(ErrAlgorithm, fmt.Sprintf("signing method %.20s is invalid", alg), nil)
		}
		var ok bool
		kid, ok = t.Header["kid"].(string)
		if !ok || kid == "" {
			return nil, newError(ErrUnknownKey, "the token has no key id", nil)
		}
		var err error
		key, err = keys.Key(ctx, v.Issuer, kid)
		return key, err
	})
	if err != nil {
		return nil, parseError(err)
	}
	cs := readClaims(mc)
	v.Signatures.store(token, kid, key, cs)
	return cs, v.check(cs)
}

// SignatureCache remembers tokens whose RS256 signature verified, and
// with which key, for [Verifier.Signatures]. A remembered token still has
// every claim checked on each use, against the Verifier that uses it, and
// counts as signed only while its issuer's key source returns the very
// key that verified it: a key rotated out of the JWKS ends it. It is
// safe for concurrent use, and may be shared by Verifiers.
type SignatureCache struct {
	max int
	mu  sync.RWMutex
	m   map[string]*signedToken
}

type signedToken struct {
	kid    string
	key    *rsa.PublicKey
	claims *claimSet // never modified once stored
}

// NewSignatureCache returns a cache of at most size tokens; size <= 0
// means 10,000.
func NewSignatureCache(size int) *SignatureCache {
	if size <= 0 {
		size = 10000
	}
	return &SignatureCache{max: size, m: map[string]*signedToken{}}
}

// lookup returns the claims of token when it is remembered and its key is
// still the issuer's.
func (c *SignatureCache) lookup(ctx context.Context, token string, keys KeySource, issuer string) *claimSet {
	if c == nil {
		return nil
	}
	c.mu.RLock()
	e := c.m[token]
	c.mu.RUnlock()
	if e == nil {
		return nil
	}
	if k, err := keys.Key(ctx, issuer, e.kid); err != nil || k != e.key {
		return nil
	}
	return e.claims
}

func (c *SignatureCache) store(token, kid string, key *rsa.PublicKey, cs *claimSet) {
	if c == nil || key == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) >= c.max {
		for k := range c.m { // evict an arbitrary token
			delete(c.m, k)
			break
		}
	}
	c.m[token] = &signedToken{kid: kid, key: key, claims: cs}
}

// parseError turns an error of the jwt package into an *Error.
func parseError(err error) error {
	var e *Error
	switch {
	case errors.As(err, &e):
		return e
	case errors.Is(err, jwt.ErrTokenMalformed):
		return newError(ErrMalformed, "the token is malformed", err)
	case errors.Is(err, jwt.ErrTokenSignatureInvalid):
		return newError(ErrSignature, "the token has an invalid signature", err)
	case errors.Is(err, jwt.ErrTokenUnverifiable):
		// The header names an algorithm the jwt package does not know.
		return newError(ErrAlgorithm, "the token's signing method is invalid", err)
	}
	return newError(ErrMalformed, "the token is malformed", err)
}

// claimSet is a token's claims read once, when its signature has held:
// its Claims, and what reading each checked claim found, for check to
// judge against a Verifier and the time in its own order.
type claimSet struct {
	c      Claims
	issOK  bool // iss is a string
	hasAud bool
	audErr error // aud is malformed
	hasExp bool
	expErr error
	times  [2]timeRead // nbf, iat
}

type timeRead struct {
	at  time.Time
	has bool
	err error
}

var timeClaims = [2]string{"nbf", "iat"}

// readClaims reads the claims that Verify checks and returns.
func readClaims(mc jwt.MapClaims) *claimSet {
	cs := &claimSet{c: Claims{Raw: mc}}
	c := &cs.c
	c.Issuer, cs.issOK = stringClaim(mc, "iss")
	c.Audience, cs.hasAud, cs.audErr = audience(mc["aud"])
	c.ClientID, _ = stringClaim(mc, "client_id")
	c.ExpiresAt, cs.hasExp, cs.expErr = timeClaim(mc, "exp")
	for i, name := range timeClaims {
		t := &cs.times[i]
		t.at, t.has, t.err = timeClaim(mc, name)
	}
	c.NotBefore, c.IssuedAt = cs.times[0].at, cs.times[1].at
	c.TokenUse, _ = stringClaim(mc, "token_use")
	c.Subject, _ = stringClaim(mc, "sub")
	c.Scopes = scopes(mc)
	return cs
}

// check validates the claims of a token whose signature holds.
func (v *Verifier) check(cs *claimSet) error {
	c := &cs.c
	if !cs.issOK || c.Issuer != v.Issuer {
		return newError(ErrIssuer, "the token does not have a valid issuer", nil)
	}
	if cs.audErr != nil {
		return newError(ErrMalformed, "the token has a malformed aud claim", cs.audErr)
	}
	switch {
	case v.AnyAudience:
	case cs.hasAud:
		// aud wins when both are present, as API Gateway evaluates it.
		if !slices.ContainsFunc(c.Audience, func(a string) bool { return slices.Contains(v.Audiences, a) }) {
			return newError(ErrAudience, "the token does not have a valid audience", nil)
		}
	case c.ClientID == "" || !slices.Contains(v.Audiences, c.ClientID):
		return newError(ErrAudience, "the token does not have a valid audience", nil)
	}

	t := now(v.Clock)
	switch {
	case cs.expErr != nil:
		return newError(ErrMalformed, "the token has a malformed exp claim", cs.expErr)
	case !cs.hasExp:
		return newError(ErrExpired, "the token has no expiration time", nil)
	case !t.Before(c.ExpiresAt.Add(v.Leeway)):
		return newError(ErrExpired, "the token has expired", nil)
	}
	for i, r := range cs.times {
		if r.err != nil {
			return newError(ErrMalformed, "the token has a malformed "+timeClaims[i]+" claim", r.err)
		}
		if r.has && r.at.After(t.Add(v.Leeway)) {
			return newError(ErrNotYetValid, "the token is not valid yet ("+timeClaims[i]+" is in the future)", nil)
		}
	}

	if v.TokenUse != "" && c.TokenUse != v.TokenUse {
		return newError(ErrTokenUse, "the token is not an "+v.TokenUse+" token", nil)
	}
	return nil
}

func stringClaim(mc jwt.MapClaims, name string) (string, bool) {
	s, ok := mc[name].(string)
	return s, ok
}

// audience returns aud as a list. A missing or null aud is absent; an
// empty list or a list holding non-strings is malformed.
func audience(v any) ([]string, bool, error) {
	switch v := v.(type) {
	case nil:
		return nil, false, nil
	case string:
		return []string{v}, true, nil
	case []any:
		out := make([]string, 0, len(v))
		for _, a := range v {
			s, ok := a.(string)
			if !ok {
				return nil, true, errors.New("aud holds a non-string")
			}
			out = append(out, s)
		}
		return out, true, nil
	}
	return nil, true, fmt.Errorf("aud is a %T", v)
}

// timeClaim reads a NumericDate claim: seconds since the epoch, possibly
// fractional.
func timeClaim(mc jwt.MapClaims, name string) (time.Time, bool, error) {
	v, ok := mc[name]
	if !ok || v == nil {
		return time.Time{}, false, nil
	}
	n, ok := v.(json.Number)
	if !ok {
		return time.Time{}, true, fmt.Errorf("%s is a %T, not a number", name, v)
	}
	f, err := n.Float64()
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || math.Abs(f) > 1e15 {
		return time.Time{}, true, fmt.Errorf("%s is not a usable number", name)
	}
	sec, frac := math.Modf(f)
	return time.Unix(int64(sec), int64(frac*1e9)), true, nil
}

func scopes(mc jwt.MapClaims) []string {
	if s, ok := mc["scope"].(string); ok {
		return strings.Fields(s)
	}
	switch s := mc["scp"].(type) {
	case string:
		return strings.Fields(s)
	case []any:
		var out []string
		for _, e := range s {
			if e, ok := e.(string); ok {
				out = append(out, e)
			}
		}
		return out
	}
	return nil
}

// HasAnyScope reports whether the claims carry at least one of want, as
// API Gateway checks a route's authorization scopes. It is true when want
// is empty.
func (c *Claims) HasAnyScope(want []string) bool {
	if len(want) == 0 {
		return true
	}
	return slices.ContainsFunc(c.Scopes, func(s string) bool { return slices.Contains(want, s) })
}

// sharedCache is the key source of Verifiers without Keys. A JWKSCache
// keeps each issuer apart, so one serves them all.
var sharedCache = sync.OnceValue(func() *JWKSCache { return NewJWKSCache(JWKSOptions{}) })
