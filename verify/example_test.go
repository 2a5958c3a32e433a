package verify_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/faasport/faasport/verify"
	"github.com/faasport/faasport/verify/verifytest"
)

func ExampleVerifier_Verify() {
	is := verifytest.NewIssuer() // serves its JWKS on 127.0.0.1
	defer is.Close()

	v := &verify.Verifier{
		Issuer:    is.URL,
		Audiences: []string{"my-app-client"},
		TokenUse:  verify.TokenUseID,
		Keys:      verify.NewJWKSCache(verify.JWKSOptions{}),
	}
	token := is.Sign(is.Claims("alice", "my-app-client", time.Now()))
	claims, err := v.Verify(context.Background(), token)
	fmt.Println(claims.Subject, err)

	other := is.Sign(is.Claims("bob", "someone-else", time.Now()))
	_, err = v.Verify(context.Background(), other)
	var ve *verify.Error
	if errors.As(err, &ve) {
		fmt.Println(errors.Is(err, verify.ErrAudience))
		fmt.Println(ve.Challenge())
	}
	// Output:
	// alice <nil>
	// true
	// Bearer scope="" error="invalid_token" error_description="the token does not have a valid audience"
}

// A gateway checks the same bearer token on every request. With a
// SignatureCache the RSA signature is checked once, and VerifyShared
// hands out the remembered claims instead of a copy of them: read them,
// never change them. The claims themselves (exp, aud, ...) are still
// checked on every call.
func ExampleVerifier_VerifyShared() {
	is := verifytest.NewIssuer()
	defer is.Close()

	v := &verify.Verifier{
		Issuer:     is.URL,
		Audiences:  []string{"my-app-client"},
		Keys:       verify.NewJWKSCache(verify.JWKSOptions{}),
		Signatures: verify.NewSignatureCache(0),
	}
	token := is.Sign(is.Claims("alice", "my-app-client", time.Now()))
	first, _ := v.VerifyShared(context.Background(), token)
	again, err := v.VerifyShared(context.Background(), token)
	fmt.Println(again.Subject, again.HasAnyScope(nil), first == again, err)
	// Output:
	// alice true true <nil>
}
