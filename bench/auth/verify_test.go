package main

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/faasport/faasport/verify"
	"github.com/faasport/faasport/verify/verifytest"
)

// BenchmarkVerifyLatency times single calls, one at a time, and reports
// their median and 99th percentile beside the mean (ns/op):
//
//   - rs256: verify.Verifier.Verify of a Cognito-shaped ID token with a warm
//     JWKS cache, so a full RS256 check (header, claims, signature) each
//     time — package verify's BenchmarkVerify, run serially, since its
//     RunParallel figure is a throughput per core count, not a latency;
//   - cached-signature: the same with a verify.SignatureCache that
//     remembers the token's signature (claims still checked);
//   - rsa-floor: rsa.VerifyPKCS1v15 alone, with a 2048-bit key and a
//     precomputed SHA-256 digest: the least any RS256 check can cost here;
//   - sigv4: verify.SigV4Verifier.Verify of a request signed by the AWS
//     SDK's signer with a temporary key (package verify's
//     BenchmarkSigV4Verify, which also times building the request; here
//     the request is built outside the timed call).
//
// Each call is timed with time.Now, which adds some 50–100 ns.
func BenchmarkVerifyLatency(b *testing.B) {
	ctx := context.Background()
	is := verifytest.NewIssuer()
	defer is.Close()
	tok := is.Sign(is.Claims("alice", "app", time.Now().Add(-time.Minute)))
	full := &verify.Verifier{Issuer: is.URL, Audiences: []string{"app"}, Keys: verify.NewJWKSCache(verify.JWKSOptions{})}
	cached := &verify.Verifier{Issuer: is.URL, Audiences: []string{"app"}, Keys: verify.NewJWKSCache(verify.JWKSOptions{}),
		Signatures: verify.NewSignatureCache(0)}

	// The floor: the issuer's own key and the token's own signature.
	i := strings.LastIndexByte(tok, '.')
	sig, err := base64.RawURLEncoding.DecodeString(tok[i+1:])
	if err != nil {
		b.Fatal(err)
	}
	digest := sha256.Sum256([]byte(tok[:i])) // header.payload
	pub := &is.Key(is.KeyID).PublicKey
	if pub.N.BitLen() != 2048 {
		b.Fatalf("issuer key has %d bits, want 2048", pub.N.BitLen())
	}

	// SigV4: a request as package verify's benchmark makes it.
	sv := &verify.SigV4Verifier{Credentials: verify.StaticCredentials{
		"ASIATEMPORARY": {SecretAccessKey: "temporary-secret", SessionToken: "session-token-1", Expires: time.Now().Add(time.Hour)},
	}}
	body := `{"UserPoolId":"us-east-1_abc"}`
	signedReq := httptest.NewRequest(http.MethodPost, "http://127.0.0.1/", strings.NewReader(body))
	signedReq.Header.Set("Content-Type", "application/x-amz-json-1.1")
	signedReq.Header.Set("X-Amz-Target", "AWSCognitoIdentityProviderService.ListUsers")
	bodySum := sha256.Sum256([]byte(body))
	creds := aws.Credentials{AccessKeyID: "ASIATEMPORARY", SecretAccessKey: "temporary-secret", SessionToken: "session-token-1"}
	if err := v4.NewSigner().SignHTTP(ctx, creds, signedReq, hex.EncodeToString(bodySum[:]), "cognito-idp", "us-east-1", time.Now()); err != nil {
		b.Fatal(err)
	}
	var req *http.Request
	newReq := func() {
		req = httptest.NewRequest(http.MethodPost, "http://127.0.0.1/", strings.NewReader(body))
		req.Header = signedReq.Header.Clone()
	}

	cases := []struct {
		name string
		prep func() // untimed, before each call; nil for none
		call func() error
	}{
		{"rs256", nil, func() error { _, err := full.Verify(ctx, tok); return err }},
		{"cached-signature", nil, func() error { _, err := cached.Verify(ctx, tok); return err }},
		{"rsa-floor", nil, func() error { return rsa.VerifyPKCS1v15(pub, crypto.SHA256, digest[:], sig) }},
		{"sigv4", newReq, func() error { _, err := sv.Verify(req); return err }},
	}
	for _, c := range cases {
		if c.prep != nil {
			c.prep()
		}
		if err := c.call(); err != nil { // warms the JWKS and signature caches
			b.Fatalf("%s: %v", c.name, err)
		}
		b.Run(c.name, func(b *testing.B) {
			lat := make([]time.Duration, 0, 1<<16)
			for b.Loop() {
				if c.prep != nil {
					b.StopTimer()
					c.prep()
					b.StartTimer()
				}
				t0 := time.Now()
				err := c.call()
				lat = append(lat, time.Since(t0))
				if err != nil {
					b.Fatal(err)
				}
			}
			slices.Sort(lat)
			b.ReportMetric(float64(lat[len(lat)/2]), "p50-ns")
			b.ReportMetric(float64(lat[len(lat)*99/100]), "p99-ns")
		})
	}
}

// BenchmarkRSAVerify2048 is rsa.VerifyPKCS1v15 alone for a fresh 2048-bit
// key, as a plain benchmark (mean ns/op).
func BenchmarkRSAVerify2048(b *testing.B) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		b.Fatal(err)
	}
	digest := sha256.Sum256([]byte("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9"))
	sig, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, digest[:])
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := rsa.VerifyPKCS1v15(&key.PublicKey, crypto.SHA256, digest[:], sig); err != nil {
			b.Fatal(err)
		}
	}
}
