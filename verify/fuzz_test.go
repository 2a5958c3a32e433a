package verify_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

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
