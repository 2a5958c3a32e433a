package verify_test

import (
	"context"
	"encoding/json"
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/faasport/faasport/emulator/clock"
	"github.com/faasport/faasport/verify"
)

func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// FuzzVerify feeds arbitrary strings to the token parser: Verify must never
// panic, and must accept only the token the issuer signed (or one equal to
// it).
func FuzzVerify(f *testing.F) {
	is := testIssuer(f)
	good := is.Sign(is.Claims("alice", "app", epoch.Add(-time.Minute)))
	parts := strings.Split(good, ".")
	for _, s := range []string{
		good, "", ".", "..", "...", "a.b.c", parts[0] + ".." + parts[2], parts[0] + "." + parts[1] + ".",
		good[:len(good)/2], "eyJhbGciOiJub25lIn0.e30.", "eyJhbGciOiJSUzI1NiJ9.bnVsbA.AA",
		"eyJhbGciOiJSUzI1NiIsImtpZCI6WzFdfQ.e30.AA",
	} {
		f.Add(s)
	}
	v := &verify.Verifier{
		Issuer: is.URL, Audiences: []string{"app"}, Clock: clock.NewFake(epoch),
		Keys: verify.KeySet{is.KeyID: &is.Key(is.KeyID).PublicKey},
	}
	f.Fuzz(func(t *testing.T, token string) {
		c, err := v.Verify(context.Background(), token)
		if err == nil {
			if c == nil || c.Subject != "alice" {
				t.Fatalf("Verify(%q) accepted with claims %+v", token, c)
			}
			return
		}
		if _, ok := err.(*verify.Error); !ok {
			t.Fatalf("Verify(%q) = %T %v, want a *verify.Error", token, err, err)
		}
	})
}

func BenchmarkVerify(b *testing.B) {
	is := testIssuer(b)
	tok := is.Sign(is.Claims("alice", "app", time.Now().Add(-time.Minute)))
	v := &verify.Verifier{Issuer: is.URL, Audiences: []string{"app"}, Keys: verify.NewJWKSCache(verify.JWKSOptions{})}
	ctx := context.Background()
	if _, err := v.Verify(ctx, tok); err != nil { // warm the cache
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := v.Verify(ctx, tok); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkVerifyCachedSignature is BenchmarkVerify for a token whose
// signature a SignatureCache remembers: the claims are still checked.
func BenchmarkVerifyCachedSignature(b *testing.B) {
	is := testIssuer(b)
	tok := is.Sign(is.Claims("alice", "app", time.Now().Add(-time.Minute)))
	v := &verify.Verifier{Issuer: is.URL, Audiences: []string{"app"}, Keys: verify.NewJWKSCache(verify.JWKSOptions{}), Signatures: verify.NewSignatureCache(0)}
	ctx := context.Background()
	if _, err := v.Verify(ctx, tok); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := v.Verify(ctx, tok); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// FuzzVerifyClaims signs arbitrary claims with the issuer's key. Verify
// without a signature cache, Verify through one (a miss, then a hit) and
// VerifyShared (a hit, then a miss on a cache of its own) must give the
// same answer, never panic, and accept only claims that pass every check.
func FuzzVerifyClaims(f *testing.F) {
	is := testIssuer(f)
	good := is.Claims("alice", "app", epoch.Add(-time.Minute))
	with := func(k string, v any) string {
		c := maps.Clone(good)
		if v == nil {
			delete(c, k)
		} else {
			c[k] = v
		}
		return string(mustJSON(f, c))
	}
	for _, s := range []string{
		string(mustJSON(f, good)), `{}`, `{"iss":null}`,
		with("aud", []string{"other", "app"}), with("aud", 7), with("aud", []any{"app", 1}), with("aud", nil),
		with("client_id", "app"), with("exp", "tomorrow"), with("exp", 1e300), with("exp", epoch.Unix()),
		with("exp", float64(epoch.Unix())+0.5), with("nbf", epoch.Add(time.Second).Unix()), with("iat", true),
		with("token_use", "access"), with("scope", "openid pets/read"), with("scp", []string{"a", "b"}),
		with("iss", is.URL+"/"),
	} {
		f.Add(s, uint8(0))
		f.Add(s, uint8(1))
	}
	keys := verify.KeySet{is.KeyID: &is.Key(is.KeyID).PublicKey}
	uses := []string{"", verify.TokenUseID, verify.TokenUseAccess}
	kind := func(err error) error {
		var ve *verify.Error
		if errors.As(err, &ve) {
			return ve.Kind
		}
		return err
	}
	f.Fuzz(func(t *testing.T, claimsJSON string, use uint8) {
		var claims map[string]any
		d := json.NewDecoder(strings.NewReader(claimsJSON))
		d.UseNumber()
		if d.Decode(&claims) != nil || claims == nil {
			return
		}
		token := is.Sign(claims)
		ctx := context.Background()
		v := verify.Verifier{Issuer: is.URL, Audiences: []string{"app"}, TokenUse: uses[int(use)%len(uses)], Clock: clock.NewFake(epoch), Keys: keys}
		want, wantErr := v.Verify(ctx, token)
		cached, own := v, v
		cached.Signatures, own.Signatures = verify.NewSignatureCache(0), verify.NewSignatureCache(0)
		for i, fn := range []func(context.Context, string) (*verify.Claims, error){cached.Verify, cached.Verify, cached.VerifyShared, own.VerifyShared} {
			got, err := fn(ctx, token)
			if kind(err) != kind(wantErr) {
				t.Fatalf("call %d: error %v, Verify without a cache: %v", i, err, wantErr)
			}
			if err != nil {
				if err.Error() != wantErr.Error() {
					t.Errorf("call %d: error %q, Verify without a cache: %q", i, err, wantErr)
				}
				continue
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("call %d: claims differ from Verify's without a cache (-want +got):\n%s", i, diff)
			}
		}
		if wantErr != nil {
			return
		}
		now := epoch
		switch {
		case want.Issuer != is.URL:
			t.Errorf("accepted iss %q", want.Issuer)
		case !now.Before(want.ExpiresAt):
			t.Errorf("accepted exp %v at %v", want.ExpiresAt, now)
		case want.NotBefore.After(now) || want.IssuedAt.After(now):
			t.Errorf("accepted nbf %v, iat %v at %v", want.NotBefore, want.IssuedAt, now)
		case v.TokenUse != "" && want.TokenUse != v.TokenUse:
			t.Errorf("accepted token_use %q for %q", want.TokenUse, v.TokenUse)
		case !slices.Contains(want.Audience, "app") && (len(want.Audience) > 0 || want.ClientID != "app"):
			t.Errorf("accepted aud %q, client_id %q", want.Audience, want.ClientID)
		}
	})
}
