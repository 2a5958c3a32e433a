package localcognito_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentity"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"golang.org/x/crypto/bcrypt"

	"github.com/faasport/faasport/emulator/localcognito"
	"github.com/faasport/faasport/verify"
)

// This example signs a user up and in with the AWS SDK's own Cognito
// client, and verifies the ID token with package verify.
func ExampleOpen() {
	svc, err := localcognito.Open("", &localcognito.Options{ // "" keeps the database in memory
		Pools: []localcognito.PoolConfig{{
			ID: "us-east-1_Example", Name: "shop", AutoConfirm: true,
			Clients: []localcognito.ClientConfig{{ID: "webclient", Name: "web"}},
		}},
		BcryptCost: bcrypt.MinCost,
	})
	if err != nil {
		panic(err)
	}
	defer svc.Close()
	srv := httptest.NewServer(svc.Handler())
	defer srv.Close()

	ctx := context.Background()
	idp := cip.New(cip.Options{Region: "us-east-1", BaseEndpoint: aws.String(srv.URL), Credentials: aws.AnonymousCredentials{}})
	if _, err := idp.SignUp(ctx, &cip.SignUpInput{
		ClientId: aws.String("webclient"), Username: aws.String("alice"), Password: aws.String("Corr3ct-Horse!"),
	}); err != nil {
		panic(err)
	}
	out, err := idp.InitiateAuth(ctx, &cip.InitiateAuthInput{
		AuthFlow: types.AuthFlowTypeUserPasswordAuth, ClientId: aws.String("webclient"),
		AuthParameters: map[string]string{"USERNAME": "alice", "PASSWORD": "Corr3ct-Horse!"},
	})
	if err != nil {
		panic(err)
	}
	claims, err := svc.Verifier("us-east-1_Example", []string{"webclient"}, verify.TokenUseID).Verify(ctx, *out.AuthenticationResult.IdToken)
	if err != nil {
		panic(err)
	}
	fmt.Println(claims.Issuer)
	fmt.Println(claims.Raw["cognito:username"], claims.TokenUse)

	_, err = idp.InitiateAuth(ctx, &cip.InitiateAuthInput{
		AuthFlow: types.AuthFlowTypeUserPasswordAuth, ClientId: aws.String("webclient"),
		AuthParameters: map[string]string{"USERNAME": "alice", "PASSWORD": "guess"},
	})
	fmt.Println(err != nil && strings.Contains(err.Error(), "NotAuthorizedException: Incorrect username or password."))
	// Output:
	// https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Example
	// alice id
	// true
}

// This example gets guest credentials from an identity pool and checks a
// request signed with them, as a product store would: the principal
// names the role and the identity.
func ExampleService_Lookup() {
	svc, err := localcognito.Open("", &localcognito.Options{
		IdentityPools: []localcognito.IdentityPoolConfig{{
			Name: "shop", AllowUnauthenticated: true,
			UnauthenticatedRole: "arn:aws:iam::000000000000:role/guest",
		}},
	})
	if err != nil {
		panic(err)
	}
	defer svc.Close()
	srv := httptest.NewServer(svc.Handler())
	defer srv.Close()

	ctx := context.Background()
	ident := cognitoidentity.New(cognitoidentity.Options{Region: "us-east-1", BaseEndpoint: aws.String(srv.URL), Credentials: aws.AnonymousCredentials{}})
	id, err := ident.GetId(ctx, &cognitoidentity.GetIdInput{IdentityPoolId: aws.String(svc.IdentityPoolIDs()[0])})
	if err != nil {
		panic(err)
	}
	creds, err := ident.GetCredentialsForIdentity(ctx, &cognitoidentity.GetCredentialsForIdentityInput{IdentityId: id.IdentityId})
	if err != nil {
		panic(err)
	}

	// A request signed with the credentials, as the SDK signs it.
	body := `{"TableName":"products"}`
	r := httptest.NewRequest(http.MethodPost, "http://store.local/", strings.NewReader(body))
	c := creds.Credentials
	if err := v4.NewSigner().SignHTTP(ctx, aws.Credentials{AccessKeyID: *c.AccessKeyId, SecretAccessKey: *c.SecretKey, SessionToken: *c.SessionToken},
		r, sha256Hex(body), "dynamodb", "us-east-1", time.Now()); err != nil {
		panic(err)
	}
	caller, err := (&verify.SigV4Verifier{Credentials: svc}).Verify(r)
	if err != nil {
		panic(err)
	}
	p := caller.Principal.(*localcognito.Principal)
	fmt.Println(p.RoleARN)
	fmt.Println(p.IdentityID == *id.IdentityId, p.PolicyVariables()["cognito-identity.amazonaws.com:amr"])
	// Output:
	// arn:aws:iam::000000000000:role/guest
	// true unauthenticated
}

// This example adds a user pool to a running service, with an app client
// and a group whose members get a role, and lists what the service holds.
func ExampleService_CreatePool() {
	svc, err := localcognito.Open("", &localcognito.Options{BcryptCost: bcrypt.MinCost})
	if err != nil {
		panic(err)
	}
	defer svc.Close()
	ctx := context.Background()
	id, err := svc.CreatePool(ctx, localcognito.PoolConfig{
		ID: "us-east-1_Shelter", Name: "shelter",
		Clients: []localcognito.ClientConfig{{ID: "shelterweb", Name: "web"}},
		Groups:  []localcognito.GroupConfig{{Name: "volunteers", RoleARN: "arn:aws:iam::000000000000:role/volunteers"}},
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(id, svc.ClientIDs(id))
	fmt.Println(svc.Issuer(id))

	// A group Cognito would refuse is refused, and nothing is created.
	_, err = svc.CreatePool(ctx, localcognito.PoolConfig{Name: "kennel", Groups: []localcognito.GroupConfig{{Name: "night shift"}}})
	fmt.Println(err != nil, len(svc.PoolIDs()))
	// Output:
	// us-east-1_Shelter [shelterweb]
	// https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Shelter
	// true 1
}
