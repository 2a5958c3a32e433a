package localcognito_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentity"
	itypes "github.com/aws/aws-sdk-go-v2/service/cognitoidentity/types"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/google/go-cmp/cmp"

	"github.com/faasport/faasport/emulator/localcognito"
	"github.com/faasport/faasport/verify"
)

const providerName = "cognito-idp.us-east-1.amazonaws.com/" + testPool

// productStore stands in for the product store: it checks SigV4 with
// the service as credential store and answers with the principal.
func productStore(t testing.TB, e *env) *httptest.Server {
	v := &verify.SigV4Verifier{Credentials: e.svc, Clock: e.clock, Service: "dynamodb"}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := v.Verify(r)
		if err != nil {
			http.Error(w, err.Error(), http.StatusForbidden)
			return
		}
		p := c.Principal.(*localcognito.Principal)
		fmt.Fprintf(w, "%s %s %s %v", p.RoleARN, p.IdentityID, p.PolicyVariables()["cognito-identity.amazonaws.com:sub"], p.Authenticated)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// callStore signs a DynamoDB-shaped request with creds, as the SDK
// would, and returns the store's answer.
func callStore(t testing.TB, store *httptest.Server, creds *itypes.Credentials, at time.Time) (int, string) {
	t.Helper()
	body := `{"TableName":"products"}`
	r, _ := http.NewRequest(http.MethodPost, store.URL+"/", strings.NewReader(body))
	r.Header.Set("Content-Type", "application/x-amz-json-1.0")
	r.Header.Set("X-Amz-Target", "DynamoDB_20120810.Scan")
	err := v4.NewSigner().SignHTTP(context.Background(), aws.Credentials{
		AccessKeyID: *creds.AccessKeyId, SecretAccessKey: *creds.SecretKey, SessionToken: *creds.SessionToken,
	}, r, sha256Hex(body), "dynamodb", "us-east-1", at)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := store.Client().Do(r)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, strings.TrimSpace(string(b))
}

func TestIdentityPool(t *testing.T) {
	e := newEnv(t, "")
	ctx := context.Background()
	store := productStore(t, e)
	sub := e.signUp(t, "nina", "nina@example.com")
	res := e.signIn(t, "nina", goodPassword)
	logins := map[string]string{providerName: *res.IdToken}

	// A guest.
	guest, err := e.ident.GetId(ctx, &cognitoidentity.GetIdInput{IdentityPoolId: aws.String(testIdentityPool)})
	if err != nil {
		t.Fatal(err)
	}
	gc, err := e.ident.GetCredentialsForIdentity(ctx, &cognitoidentity.GetCredentialsForIdentityInput{IdentityId: guest.IdentityId})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(*gc.Credentials.AccessKeyId, "ASIA") || gc.Credentials.Expiration.Sub(e.clock.Now()) > time.Hour {
		t.Errorf("guest credentials = %+v", gc.Credentials)
	}
	_, got := callStore(t, store, gc.Credentials, e.clock.Now())
	if want := unauthRole + " " + *guest.IdentityId + " " + *guest.IdentityId + " false"; got != want {
		t.Errorf("store saw guest as %q, want %q", got, want)
	}

	// A signed-in user: one identity id, however often asked.
	id1, err := e.ident.GetId(ctx, &cognitoidentity.GetIdInput{IdentityPoolId: aws.String(testIdentityPool), Logins: logins})
	if err != nil {
		t.Fatal(err)
	}
	again := e.signIn(t, "nina", goodPassword)
	id2, err := e.ident.GetId(ctx, &cognitoidentity.GetIdInput{IdentityPoolId: aws.String(testIdentityPool),
		Logins: map[string]string{providerName: *again.IdToken}})
	if err != nil {
		t.Fatal(err)
	}
	if *id1.IdentityId != *id2.IdentityId || *id1.IdentityId == *guest.IdentityId || !strings.HasPrefix(*id1.IdentityId, "us-east-1:") {
		t.Errorf("identity ids: %s, %s (guest %s), want one stable id", *id1.IdentityId, *id2.IdentityId, *guest.IdentityId)
	}
	ac, err := e.ident.GetCredentialsForIdentity(ctx, &cognitoidentity.GetCredentialsForIdentityInput{IdentityId: id1.IdentityId, Logins: logins})
	if err != nil {
		t.Fatal(err)
	}
	status, got := callStore(t, store, ac.Credentials, e.clock.Now())
	if want := authRole + " " + *id1.IdentityId + " " + *id1.IdentityId + " true"; status != 200 || got != want {
		t.Errorf("store saw user as %d %q, want %q", status, got, want)
	}
	p, err := e.svc.Lookup(ctx, *ac.Credentials.AccessKeyId)
	if err != nil {
		t.Fatal(err)
	}
	if pr := p.Principal.(*localcognito.Principal); pr.Subject != sub || pr.IdentityPoolID != testIdentityPool {
		t.Errorf("principal = %+v, want subject %s", pr, sub)
	}

	// Credentials without the identity's login are refused.
	_, err = e.ident.GetCredentialsForIdentity(ctx, &cognitoidentity.GetCredentialsForIdentityInput{IdentityId: id1.IdentityId})
	if got, want := apiErr(err), "NotAuthorizedException: Logins don't match. Please include at least one valid login for this identity or identity pool."; got != want {
		t.Errorf("GetCredentialsForIdentity without logins = %q, want %q", got, want)
	}
	other := e.signUp(t, "oscar", "oscar@example.com")
	_ = other
	ores := e.signIn(t, "oscar", goodPassword)
	_, err = e.ident.GetCredentialsForIdentity(ctx, &cognitoidentity.GetCredentialsForIdentityInput{IdentityId: id1.IdentityId,
		Logins: map[string]string{providerName: *ores.IdToken}})
	if got, want := apiErr(err), "NotAuthorizedException: Logins don't match. Please include at least one valid login for this identity or identity pool."; got != want {
		t.Errorf("GetCredentialsForIdentity with another user's login = %q, want %q", got, want)
	}
	// An access token is not a login.
	_, err = e.ident.GetId(ctx, &cognitoidentity.GetIdInput{IdentityPoolId: aws.String(testIdentityPool),
		Logins: map[string]string{providerName: *res.AccessToken}})
	if got, want := apiErr(err), "NotAuthorizedException: Invalid login token. Missing a required claim: aud"; got != want {
		t.Errorf("GetId with an access token = %q, want %q", got, want)
	}

	// Role mapping: staff members get the staff role.
	if _, err := e.idp.AdminAddUserToGroup(ctx, &cip.AdminAddUserToGroupInput{UserPoolId: aws.String(testPool),
		Username: aws.String("nina"), GroupName: aws.String("staff")}); err != nil {
		t.Fatal(err)
	}
	staff := e.signIn(t, "nina", goodPassword)
	sc, err := e.ident.GetCredentialsForIdentity(ctx, &cognitoidentity.GetCredentialsForIdentityInput{IdentityId: id1.IdentityId,
		Logins: map[string]string{providerName: *staff.IdToken}})
	if err != nil {
		t.Fatal(err)
	}
	if _, got := callStore(t, store, sc.Credentials, e.clock.Now()); !strings.HasPrefix(got, staffRole+" ") {
		t.Errorf("store saw staff member as %q, want role %s", got, staffRole)
	}

	// Credentials expire after an hour; the store refuses them then.
	e.clock.Advance(time.Hour)
	status, got = callStore(t, store, ac.Credentials, e.clock.Now())
	if status != http.StatusForbidden || !strings.Contains(got, "security token expired") {
		t.Errorf("store with expired credentials: %d %q", status, got)
	}
	// And the ID token has expired too.
	_, err = e.ident.GetId(ctx, &cognitoidentity.GetIdInput{IdentityPoolId: aws.String(testIdentityPool), Logins: logins})
	if got := apiErr(err); !strings.HasPrefix(got, "NotAuthorizedException: Invalid login token. Token expired: ") {
		t.Errorf("GetId with an expired token = %q", got)
	}
}

func TestIdentityPoolWithoutGuests(t *testing.T) {
	e := newEnv(t, "", func(o *localcognito.Options) {
		o.IdentityPools[0].AllowUnauthenticated = false
	})
	_, err := e.ident.GetId(context.Background(), &cognitoidentity.GetIdInput{IdentityPoolId: aws.String(testIdentityPool)})
	if got, want := apiErr(err), "NotAuthorizedException: Unauthenticated access is not supported for this identity pool."; got != want {
		t.Errorf("GetId without logins = %q, want %q", got, want)
	}
	// The signed-out user's ID token is refused.
	e.signUp(t, "pia", "pia@example.com")
	res := e.signIn(t, "pia", goodPassword)
	if _, err := e.idp.GlobalSignOut(context.Background(), &cip.GlobalSignOutInput{AccessToken: res.AccessToken}); err != nil {
		t.Fatal(err)
	}
	_, err = e.ident.GetId(context.Background(), &cognitoidentity.GetIdInput{IdentityPoolId: aws.String(testIdentityPool),
		Logins: map[string]string{providerName: *res.IdToken}})
	if got, want := apiErr(err), "NotAuthorizedException: Invalid login token. Token has been revoked."; got != want {
		t.Errorf("GetId after sign-out = %q, want %q", got, want)
	}
}

func TestPolicyVariables(t *testing.T) {
	p := &localcognito.Principal{AccessKeyID: "ASIAEXAMPLE", IdentityID: "us-east-1:abc", IdentityPoolID: testIdentityPool, Authenticated: true}
	want := map[string]string{
		"cognito-identity.amazonaws.com:sub": "us-east-1:abc",
		"cognito-identity.amazonaws.com:aud": testIdentityPool,
		"cognito-identity.amazonaws.com:amr": "authenticated",
		"aws:userid":                         "ASIAEXAMPLE:CognitoIdentityCredentials",
	}
	if diff := cmp.Diff(want, p.PolicyVariables()); diff != "" {
		t.Errorf("PolicyVariables (-want +got):\n%s", diff)
	}
}

func TestTokenRoleMapping(t *testing.T) {
	e := newEnv(t, "", func(o *localcognito.Options) {
		o.IdentityPools[0].RoleMappings = map[string]localcognito.RoleMapping{
			providerName: {Type: "Token", AmbiguousRoleResolution: "Deny"},
		}
	})
	ctx := context.Background()
	e.signUp(t, "tara", "tara@example.com")
	creds := func() (string, error) {
		res := e.signIn(t, "tara", goodPassword)
		logins := map[string]string{providerName: *res.IdToken}
		id, err := e.ident.GetId(ctx, &cognitoidentity.GetIdInput{IdentityPoolId: aws.String(testIdentityPool), Logins: logins})
		if err != nil {
			return "", err
		}
		out, err := e.ident.GetCredentialsForIdentity(ctx, &cognitoidentity.GetCredentialsForIdentityInput{IdentityId: id.IdentityId, Logins: logins})
		if err != nil {
			return "", err
		}
		c, err := e.svc.Lookup(ctx, *out.Credentials.AccessKeyId)
		if err != nil {
			return "", err
		}
		return c.Principal.(*localcognito.Principal).RoleARN, nil
	}
	_, err := creds()
	if got, want := apiErr(err), "NotAuthorizedException: Unable to determine a role for this identity: the role mapping denies ambiguous roles."; got != want {
		t.Errorf("no group, Deny = %q, want %q", got, want)
	}
	if _, err := e.idp.AdminAddUserToGroup(ctx, &cip.AdminAddUserToGroupInput{UserPoolId: aws.String(testPool),
		Username: aws.String("tara"), GroupName: aws.String("staff")}); err != nil {
		t.Fatal(err)
	}
	role, err := creds()
	if err != nil || role != staffRole {
		t.Errorf("staff member's role = %q, %v; want %s", role, err, staffRole)
	}
}
