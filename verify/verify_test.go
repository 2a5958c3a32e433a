package verify_test

import (
	"context"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/go-cmp/cmp"

	"github.com/faasport/faasport/emulator/clock"
	"github.com/faasport/faasport/verify"
	"github.com/faasport/faasport/verify/verifytest"
)

var (
	issuerOnce sync.Once
	issuer     *verifytest.Issuer
)

// testIssuer is one issuer for the package's tests: key generation is
// slow. Tests that rotate keys start their own.
func testIssuer(t testing.TB) *verifytest.Issuer {
	issuerOnce.Do(func() { issuer = verifytest.NewIssuer() })
	return issuer
}

func TestMain(m *testing.M) {
	m.Run()
	if issuer != nil {
		issuer.Close()
	}
}

var epoch = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

func TestVerify(t *testing.T) {
	is := testIssuer(t)
	const aud = "client-1"
	base := func() map[string]any { return is.Claims("alice", aud, epoch.Add(-time.Minute)) }
	with := func(edit func(c map[string]any)) string {
		c := base()
		edit(c)
		return is.Sign(c)
	}
	good := is.Sign(base())
	parts := strings.Split(good, ".")

	signHS256WithPublicKey := func() string {
		der, err := x509.MarshalPKIXPublicKey(&is.Key(is.KeyID).PublicKey)
		if err != nil {
			t.Fatal(err)
		}
		secret := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
		tok := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims(base()))
		tok.Header["kid"] = is.KeyID
		s, err := tok.SignedString(secret)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	algNone := func() string {
		tok := jwt.NewWithClaims(jwt.SigningMethodNone, jwt.MapClaims(base()))
		tok.Header["kid"] = is.KeyID
		s, err := tok.SignedString(jwt.UnsafeAllowNoneSignatureType)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	tampered := func() string {
		c := base()
		c["sub"] = "mallory"
		forged := strings.Split(is.Sign(c), ".")[1]
		return parts[0] + "." + forged + "." + parts[2]
	}
	unknownKid := func() string {
		tok := jwt.NewWithClaims(jwt.SigningMethodRS256, jwt.MapClaims(base()))
		tok.Header["kid"] = "no-such-key"
		s, err := tok.SignedString(is.Key(is.KeyID))
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	noKid := func() string {
		tok := jwt.NewWithClaims(jwt.SigningMethodRS256, jwt.MapClaims(base()))
		s, err := tok.SignedString(is.Key(is.KeyID))
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	headerAlg := func(alg string) string {
		h := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"` + alg + `","kid":"` + is.KeyID + `","typ":"JWT"}`))
		return h + "." + parts[1] + "." + parts[2]
	}

	tests := []struct {
		name     string
		token    string
		tokenUse string
		want     error  // nil: accepted
		reason   string // when want is set and reason is not empty
	}{
		{name: "valid", token: good},
		{name: "valid id token when id required", token: good, tokenUse: "id"},
		{name: "aud list with one match", token: with(func(c map[string]any) { c["aud"] = []string{"other", aud} })},
		{name: "client_id when aud absent", token: with(func(c map[string]any) {
			delete(c, "aud")
			c["client_id"] = aud
			c["token_use"] = "access"
		}), tokenUse: "access"},
		{name: "nbf in the past", token: with(func(c map[string]any) { c["nbf"] = epoch.Add(-time.Second).Unix() })},
		{name: "nbf now", token: with(func(c map[string]any) { c["nbf"] = epoch.Unix() })},

		{name: "alg none", token: algNone(), want: verify.ErrAlgorithm, reason: "signing method none is invalid"},
		{name: "HS256 keyed with the RSA public key", token: signHS256WithPublicKey(), want: verify.ErrAlgorithm, reason: "signing method HS256 is invalid"},
		{name: "RS512 header", token: headerAlg("RS512"), want: verify.ErrAlgorithm},
		{name: "PS256 header", token: headerAlg("PS256"), want: verify.ErrAlgorithm},
		{name: "unknown alg", token: headerAlg("XX999"), want: verify.ErrAlgorithm},
		{name: "unknown kid", token: unknownKid(), want: verify.ErrUnknownKey},
		{name: "no kid", token: noKid(), want: verify.ErrUnknownKey},
		{name: "expired", token: with(func(c map[string]any) { c["exp"] = epoch.Add(-time.Second).Unix() }), want: verify.ErrExpired, reason: "the token has expired"},
		{name: "expires now", token: with(func(c map[string]any) { c["exp"] = epoch.Unix() }), want: verify.ErrExpired},
		{name: "no exp", token: with(func(c map[string]any) { delete(c, "exp") }), want: verify.ErrExpired},
		{name: "exp not a number", token: with(func(c map[string]any) { c["exp"] = "tomorrow" }), want: verify.ErrMalformed},
		{name: "nbf in the future", token: with(func(c map[string]any) { c["nbf"] = epoch.Add(time.Second).Unix() }), want: verify.ErrNotYetValid},
		{name: "iat in the future", token: with(func(c map[string]any) { c["iat"] = epoch.Add(time.Minute).Unix() }), want: verify.ErrNotYetValid},
		{name: "wrong iss", token: with(func(c map[string]any) { c["iss"] = is.URL + "/other" }), want: verify.ErrIssuer, reason: "the token does not have a valid issuer"},
		{name: "iss with trailing slash", token: with(func(c map[string]any) { c["iss"] = is.URL + "/" }), want: verify.ErrIssuer},
		{name: "no iss", token: with(func(c map[string]any) { delete(c, "iss") }), want: verify.ErrIssuer},
		{name: "wrong aud", token: with(func(c map[string]any) { c["aud"] = "client-2" }), want: verify.ErrAudience, reason: "the token does not have a valid audience"},
		{name: "aud wins over a matching client_id", token: with(func(c map[string]any) {
			c["aud"] = "client-2"
			c["client_id"] = aud
		}), want: verify.ErrAudience},
		{name: "wrong client_id when aud absent", token: with(func(c map[string]any) {
			delete(c, "aud")
			c["client_id"] = "client-2"
		}), want: verify.ErrAudience},
		{name: "neither aud nor client_id", token: with(func(c map[string]any) { delete(c, "aud") }), want: verify.ErrAudience},
		{name: "empty aud list", token: with(func(c map[string]any) { c["aud"] = []string{} }), want: verify.ErrAudience},
		{name: "aud a number", token: with(func(c map[string]any) { c["aud"] = 7 }), want: verify.ErrMalformed},
		{name: "tampered payload", token: tampered(), want: verify.ErrSignature},
		{name: "tampered signature", token: parts[0] + "." + parts[1] + "." + strings.Repeat("A", len(parts[2])), want: verify.ErrSignature},
		{name: "truncated signature", token: good[:len(good)-10], want: verify.ErrSignature},
		{name: "no signature", token: parts[0] + "." + parts[1] + ".", want: verify.ErrSignature},
		{name: "two segments", token: parts[0] + "." + parts[1], want: verify.ErrMalformed},
		{name: "truncated header", token: good[:10], want: verify.ErrMalformed},
		{name: "empty", token: "", want: verify.ErrMalformed},
		{name: "garbage", token: "not.a.token", want: verify.ErrMalformed},
		{name: "access token when id required", token: with(func(c map[string]any) { c["token_use"] = "access" }), tokenUse: "id", want: verify.ErrTokenUse},
		{name: "id token when access required", token: good, tokenUse: "access", want: verify.ErrTokenUse},
		{name: "no token_use when required", token: with(func(c map[string]any) { delete(c, "token_use") }), tokenUse: "id", want: verify.ErrTokenUse},
	}
	keys := verify.NewJWKSCache(verify.JWKSOptions{Clock: clock.NewFake(epoch)})
	// Each token is checked three times: without a signature cache, then
	// twice with one (a miss, then a hit), for the same answer each time;
	// by Verify, and by VerifyShared with a cache of its own.
	for _, method := range []string{"Verify", "VerifyShared"} {
		sigs := verify.NewSignatureCache(0)
		for _, tc := range tests {
			for i, cache := range []*verify.SignatureCache{nil, sigs, sigs} {
				t.Run(fmt.Sprintf("%s/%s/%d", method, tc.name, i), func(t *testing.T) {
					v := &verify.Verifier{
						Issuer:     is.URL,
						Audiences:  []string{aud, "client-3"},
						TokenUse:   tc.tokenUse,
						Keys:       keys,
						Clock:      clock.NewFake(epoch),
						Signatures: cache,
					}
					verifyFn := v.Verify
					if method == "VerifyShared" {
						verifyFn = v.VerifyShared
					}
					c, err := verifyFn(context.Background(), tc.token)
					if tc.want == nil {
						if err != nil {
							t.Fatalf("Verify = %v, want success", err)
						}
						if c.Subject != "alice" || c.Issuer != is.URL {
							t.Errorf("Verify claims sub=%q iss=%q, want alice and %q", c.Subject, c.Issuer, is.URL)
						}
						return
					}
					if !errors.Is(err, tc.want) {
						t.Fatalf("Verify = %v, want %v", err, tc.want)
					}
					var ve *verify.Error
					if !errors.As(err, &ve) {
						t.Fatalf("Verify error %T is not a *verify.Error", err)
					}
					if tc.reason != "" && ve.Reason != tc.reason {
						t.Errorf("Verify reason = %q, want %q", ve.Reason, tc.reason)
					}
					if strings.ContainsAny(ve.Reason, "\"\\") {
						t.Errorf("reason %q cannot go in a quoted-string", ve.Reason)
					}
				})
			}
		}
	}
}

func TestSignatureCache(t *testing.T) {
	is := testIssuer(t)
	clk := clock.NewFake(epoch)
	keys := verify.KeySet{is.KeyID: &is.Key(is.KeyID).PublicKey}
	v := &verify.Verifier{Issuer: is.URL, Audiences: []string{"app"}, Clock: clk, Keys: keys, Signatures: verify.NewSignatureCache(2)}
	tok := is.Sign(is.Claims("alice", "app", epoch))
	for range 3 {
		c, err := v.Verify(context.Background(), tok)
		if err != nil {
			t.Fatal(err)
		}
		c.Raw["sub"] = "mallory" // callers' changes do not reach the cache
	}
	if c, err := v.Verify(context.Background(), tok); err != nil || c.Subject != "alice" || c.Raw["sub"] != "alice" {
		t.Fatalf("cached token: %v %+v", err, c)
	}
	// VerifyShared hands every caller the remembered claims themselves.
	s1, err1 := v.VerifyShared(context.Background(), tok)
	s2, err2 := v.VerifyShared(context.Background(), tok)
	if err1 != nil || err2 != nil || s1 != s2 || s1.Subject != "alice" {
		t.Fatalf("VerifyShared twice: %p %v, %p %v; want the same claims of alice", s1, err1, s2, err2)
	}
	// Claims are checked on every use, and against each Verifier.
	other := *v
	other.Audiences = []string{"else"}
	for name, fn := range map[string]func(context.Context, string) (*verify.Claims, error){"Verify": other.Verify, "VerifyShared": other.VerifyShared} {
		if _, err := fn(context.Background(), tok); !errors.Is(err, verify.ErrAudience) {
			t.Errorf("%s of a cached token, other audience: %v, want ErrAudience", name, err)
		}
	}
	clk.Advance(time.Hour)
	for name, fn := range map[string]func(context.Context, string) (*verify.Claims, error){"Verify": v.Verify, "VerifyShared": v.VerifyShared} {
		if _, err := fn(context.Background(), tok); !errors.Is(err, verify.ErrExpired) {
			t.Errorf("%s of a cached token after exp: %v, want ErrExpired", name, err)
		}
	}
	// A key replaced under the same kid ends the token's standing.
	tok2 := is.Sign(is.Claims("bob", "app", clk.Now()))
	if _, err := v.Verify(context.Background(), tok2); err != nil {
		t.Fatal(err)
	}
	other2 := verifytest.NewIssuer()
	defer other2.Close()
	keys[is.KeyID] = &other2.Key(other2.KeyID).PublicKey
	if _, err := v.Verify(context.Background(), tok2); !errors.Is(err, verify.ErrSignature) {
		t.Errorf("cached token after its key changed: %v, want ErrSignature", err)
	}
}

func TestClaims(t *testing.T) {
	is := testIssuer(t)
	c := is.Claims("bob", "app", epoch.Add(-time.Minute))
	c["scope"] = "openid pets/read"
	c["cognito:groups"] = []string{"admin", "user"}
	c["nbf"] = epoch.Add(-time.Minute).Unix()
	v := &verify.Verifier{Issuer: is.URL, Audiences: []string{"app"}, Clock: clock.NewFake(epoch), Keys: verify.KeySet{is.KeyID: &is.Key(is.KeyID).PublicKey}}
	got, err := v.Verify(context.Background(), is.Sign(c))
	if err != nil {
		t.Fatal(err)
	}
	got.Raw = nil
	want := &verify.Claims{
		Issuer: is.URL, Subject: "bob", Audience: []string{"app"}, TokenUse: "id",
		Scopes:    []string{"openid", "pets/read"},
		ExpiresAt: epoch.Add(59 * time.Minute), NotBefore: epoch.Add(-time.Minute), IssuedAt: epoch.Add(-time.Minute),
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("claims (-want +got):\n%s", diff)
	}
	if !got.HasAnyScope([]string{"pets/write", "pets/read"}) || got.HasAnyScope([]string{"pets/write"}) || !got.HasAnyScope(nil) {
		t.Errorf("HasAnyScope wrong for scopes %v", got.Scopes)
	}
}

func TestScpClaim(t *testing.T) {
	is := testIssuer(t)
	c := is.Claims("bob", "app", epoch.Add(-time.Minute))
	c["scp"] = []string{"a", "b"}
	v := &verify.Verifier{Issuer: is.URL, Audiences: []string{"app"}, Clock: clock.NewFake(epoch), Keys: verify.KeySet{is.KeyID: &is.Key(is.KeyID).PublicKey}}
	got, err := v.Verify(context.Background(), is.Sign(c))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"a", "b"}, got.Scopes); diff != "" {
		t.Errorf("scopes (-want +got):\n%s", diff)
	}
}

func TestLeeway(t *testing.T) {
	is := testIssuer(t)
	c := is.Claims("bob", "app", epoch)
	c["exp"] = epoch.Add(-30 * time.Second).Unix()
	tok := is.Sign(c)
	v := &verify.Verifier{Issuer: is.URL, Audiences: []string{"app"}, Clock: clock.NewFake(epoch), Keys: verify.KeySet{is.KeyID: &is.Key(is.KeyID).PublicKey}}
	if _, err := v.Verify(context.Background(), tok); !errors.Is(err, verify.ErrExpired) {
		t.Fatalf("without leeway: Verify = %v, want ErrExpired", err)
	}
	v.Leeway = time.Minute
	if _, err := v.Verify(context.Background(), tok); err != nil {
		t.Fatalf("with a minute's leeway: Verify = %v, want success", err)
	}
}

func TestAnyAudience(t *testing.T) {
	is := testIssuer(t)
	keys := verify.KeySet{is.KeyID: &is.Key(is.KeyID).PublicKey}
	idToken := is.Sign(is.Claims("carol", "some-other-client", epoch))
	access := is.Claims("carol", "", epoch)
	delete(access, "aud")
	access["client_id"] = "another-client"
	accessToken := is.Sign(access)
	foreignClaims := is.Claims("carol", "some-other-client", epoch)
	foreignClaims["iss"] = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_other"
	foreign := is.Sign(foreignClaims)
	tests := []struct {
		name  string
		v     verify.Verifier
		token string
		want  error
	}{
		{"any aud", verify.Verifier{Issuer: is.URL, AnyAudience: true}, idToken, nil},
		{"any client_id", verify.Verifier{Issuer: is.URL, AnyAudience: true}, accessToken, nil},
		{"the issuer still decides", verify.Verifier{Issuer: is.URL, AnyAudience: true}, foreign, verify.ErrIssuer},
		{"listed audiences still decide", verify.Verifier{Issuer: is.URL, Audiences: []string{"app"}}, idToken, verify.ErrAudience},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.v.Clock, tc.v.Keys = clock.NewFake(epoch), keys
			_, err := tc.v.Verify(context.Background(), tc.token)
			if !errors.Is(err, tc.want) || (tc.want == nil) != (err == nil) {
				t.Errorf("Verify = %v, want %v", err, tc.want)
			}
		})
	}
}

func TestBadConfig(t *testing.T) {
	for _, v := range []*verify.Verifier{
		{Audiences: []string{"a"}},
		{Issuer: "https://x"},
		{Issuer: "https://x", Audiences: []string{"a"}, TokenUse: "refresh"},
		{Issuer: "https://x", Audiences: []string{"a"}, AnyAudience: true},
	} {
		if _, err := v.Verify(context.Background(), "x.y.z"); !errors.Is(err, verify.ErrConfig) {
			t.Errorf("Verify with %+v = %v, want ErrConfig", v, err)
		}
	}
}

func TestChallenge(t *testing.T) {
	e := &verify.Error{Kind: verify.ErrAudience, Reason: "the token does not have a valid audience"}
	want := `Bearer scope="" error="invalid_token" error_description="the token does not have a valid audience"`
	if got := e.Challenge(); got != want {
		t.Errorf("Challenge() = %s, want %s", got, want)
	}
	e = &verify.Error{Kind: verify.ErrMalformed, Reason: `a "quoted" \ reason`}
	if got := e.Challenge(); strings.Count(got, `"`) != 6 || strings.Contains(got, `\`) {
		t.Errorf("Challenge() = %s: reason not kept inside its quotes", got)
	}
}
