package localcognito_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"golang.org/x/crypto/bcrypt"

	"github.com/faasport/faasport/emulator/localcognito"
)

// BenchmarkSignUpSignInGetUser measures a new user's first session
// through the SDK: SignUp (auto-confirmed), InitiateAuth with
// USER_PASSWORD_AUTH, and GetUser, over HTTP on 127.0.0.1.
func BenchmarkSignUpSignInGetUser(b *testing.B) {
	for _, cost := range []int{bcrypt.MinCost, bcrypt.DefaultCost} {
		b.Run(fmt.Sprintf("bcrypt=%d", cost), func(b *testing.B) {
			e := newEnv(b, "", func(o *localcognito.Options) {
				o.BcryptCost = cost
				o.Pools[0].AutoConfirm = true
			})
			ctx := context.Background()
			i := 0
			for b.Loop() {
				i++
				name := fmt.Sprintf("user%d", i)
				if _, err := e.idp.SignUp(ctx, &cip.SignUpInput{ClientId: aws.String(testClient), Username: aws.String(name),
					Password: aws.String(goodPassword)}); err != nil {
					b.Fatal(err)
				}
				out, err := e.idp.InitiateAuth(ctx, &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeUserPasswordAuth,
					ClientId: aws.String(testClient), AuthParameters: map[string]string{"USERNAME": name, "PASSWORD": goodPassword}})
				if err != nil {
					b.Fatal(err)
				}
				if _, err := e.idp.GetUser(ctx, &cip.GetUserInput{AccessToken: out.AuthenticationResult.AccessToken}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "ops/s")
		})
	}
}
