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
