package localcognito_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/faasport/faasport/emulator/localcognito"
	"github.com/faasport/faasport/verify"
)

func TestSignUpConfirmSignIn(t *testing.T) {
	e := newEnv(t, "")
	ctx := context.Background()

	out, err := e.idp.SignUp(ctx, &cip.SignUpInput{
		ClientId: aws.String(testClient), Username: aws.String("alice"), Password: aws.String(goodPassword),
		UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String("alice@example.com")}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if out.UserConfirmed || out.UserSub == nil || out.CodeDeliveryDetails == nil {
		t.Fatalf("SignUp = %+v, want unconfirmed with a sub and a code delivery", out)
	}
	if diff := cmp.Diff(&types.CodeDeliveryDetailsType{
		AttributeName: aws.String("email"), DeliveryMedium: types.DeliveryMediumTypeEmail, Destination: aws.String("a***@e***"),
	}, out.CodeDeliveryDetails, cmpopts.IgnoreUnexported(types.CodeDeliveryDetailsType{})); diff != "" {
		t.Errorf("CodeDeliveryDetails (-want +got):\n%s", diff)
	}

	// Before confirmation, the right password is refused.
	_, err = e.idp.InitiateAuth(ctx, &cip.InitiateAuthInput{
		AuthFlow: types.AuthFlowTypeUserPasswordAuth, ClientId: aws.String(testClient),
		AuthParameters: map[string]string{"USERNAME": "alice", "PASSWORD": goodPassword},
	})
	if got, want := apiErr(err), "UserNotConfirmedException: User is not confirmed."; got != want {
		t.Errorf("InitiateAuth(unconfirmed) = %q, want %q", got, want)
	}

	code := e.codes.get("SignUp", "alice")
	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}
	_, err = e.idp.ConfirmSignUp(ctx, &cip.ConfirmSignUpInput{ClientId: aws.String(testClient), Username: aws.String("alice"), ConfirmationCode: aws.String(wrong)})
	if got, want := apiErr(err), "CodeMismatchException: Invalid verification code provided, please try again."; got != want {
		t.Errorf("ConfirmSignUp(wrong code) = %q, want %q", got, want)
	}
	if _, err := e.idp.ConfirmSignUp(ctx, &cip.ConfirmSignUpInput{ClientId: aws.String(testClient), Username: aws.String("alice"), ConfirmationCode: aws.String(code)}); err != nil {
		t.Fatal(err)
	}
	_, err = e.idp.ConfirmSignUp(ctx, &cip.ConfirmSignUpInput{ClientId: aws.String(testClient), Username: aws.String("alice"), ConfirmationCode: aws.String(code)})
	if got, want := apiErr(err), "NotAuthorizedException: User cannot be confirmed. Current status is CONFIRMED"; got != want {
		t.Errorf("ConfirmSignUp(again) = %q, want %q", got, want)
	}

	res := e.signIn(t, "ALICE", goodPassword) // usernames are case-insensitive
	if res.ExpiresIn != 3600 || aws.ToString(res.TokenType) != "Bearer" || aws.ToString(res.RefreshToken) == "" {
		t.Errorf("AuthenticationResult = %+v", res)
	}

	// The ID token verifies with the verify package and carries
	// Cognito's claims.
	idc, err := e.svc.Verifier(testPool, []string{testClient}, verify.TokenUseID).Verify(ctx, *res.IdToken)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]any{}
	for _, k := range []string{"sub", "aud", "iss", "cognito:username", "email", "email_verified", "token_use"} {
		got[k] = idc.Raw[k]
	}
	want := map[string]any{
		"sub": *out.UserSub, "aud": testClient, "iss": "https://cognito-idp.us-east-1.amazonaws.com/" + testPool,
		"cognito:username": "alice", "email": "alice@example.com", "email_verified": true, "token_use": "id",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ID token claims (-want +got):\n%s", diff)
	}
	for _, k := range []string{"auth_time", "iat", "exp", "jti", "origin_jti", "event_id"} {
		if idc.Raw[k] == nil {
			t.Errorf("ID token lacks %s", k)
		}
	}

	ac, err := e.svc.Verifier(testPool, []string{testClient}, verify.TokenUseAccess).Verify(ctx, *res.AccessToken)
	if err != nil {
		t.Fatal(err)
	}
	if _, hasAud := ac.Raw["aud"]; hasAud {
		t.Error("access token has aud; Cognito's have client_id instead")
	}
	gotA := map[string]any{}
	for _, k := range []string{"sub", "client_id", "scope", "token_use", "username", "version"} {
		gotA[k] = ac.Raw[k]
	}
	wantA := map[string]any{"sub": *out.UserSub, "client_id": testClient, "scope": "aws.cognito.signin.user.admin",
		"token_use": "access", "username": "alice", "version": json.Number("2")}
	if diff := cmp.Diff(wantA, gotA); diff != "" {
		t.Errorf("access token claims (-want +got):\n%s", diff)
	}
	if idc.Raw["origin_jti"] != ac.Raw["origin_jti"] || idc.Raw["event_id"] != ac.Raw["event_id"] {
		t.Error("ID and access tokens of one sign-in have different origin_jti or event_id")
	}

	// ID and access tokens are signed by different keys.
	if kid(t, *res.IdToken) == kid(t, *res.AccessToken) {
		t.Error("ID and access tokens share a kid")
	}
	// Their headers hold kid and alg only, as the developer guide shows
	// Cognito's.
	for _, tok := range []string{*res.IdToken, *res.AccessToken} {
		h, _, _ := strings.Cut(tok, ".")
		b, err := decodeSegment(h)
		if err != nil {
			t.Fatal(err)
		}
		var hdr map[string]any
		if err := json.Unmarshal(b, &hdr); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(map[string]any{"alg": "RS256", "kid": kid(t, tok)}, hdr); diff != "" {
			t.Errorf("token header (-want +got):\n%s", diff)
		}
	}

	user, err := e.idp.GetUser(ctx, &cip.GetUserInput{AccessToken: res.AccessToken})
	if err != nil {
		t.Fatal(err)
	}
	gotAttrs := map[string]string{}
	for _, a := range user.UserAttributes {
		gotAttrs[*a.Name] = *a.Value
	}
	if diff := cmp.Diff(map[string]string{"sub": *out.UserSub, "email": "alice@example.com", "email_verified": "true"}, gotAttrs); diff != "" {
		t.Errorf("GetUser attributes (-want +got):\n%s", diff)
	}
	if *user.Username != "alice" {
		t.Errorf("GetUser username = %q", *user.Username)
	}
}

func kid(t testing.TB, token string) string {
	t.Helper()
	h, _, _ := strings.Cut(token, ".")
	b, err := decodeSegment(h)
	if err != nil {
		t.Fatal(err)
	}
	var hdr struct{ Kid string }
	json.Unmarshal(b, &hdr)
	return hdr.Kid
}

func TestAutoConfirm(t *testing.T) {
	e := newEnv(t, "", func(o *localcognito.Options) {
		o.Pools = append(o.Pools, localcognito.PoolConfig{ID: "us-east-1_Auto", AutoConfirm: true,
			Clients: []localcognito.ClientConfig{{ID: "autoclient", Name: "auto"}}})
	})
	out, err := e.idp.SignUp(context.Background(), &cip.SignUpInput{
		ClientId: aws.String("autoclient"), Username: aws.String("bob"), Password: aws.String(goodPassword),
	})
	if err != nil {
		t.Fatal(err)
	}
	if !out.UserConfirmed || out.CodeDeliveryDetails != nil {
		t.Errorf("SignUp with AutoConfirm = %+v, want confirmed without code", out)
	}
}

// TestLengthsInCharacters checks that length limits count characters as
// Cognito does, not UTF-8 bytes: names and values at the limit in
// two-byte letters are accepted, and sign-in works with them.
func TestLengthsInCharacters(t *testing.T) {
	e := newEnv(t, "")
	ctx := context.Background()
	username := strings.Repeat("é", 128) // 256 bytes
	name := strings.Repeat("ü", 2048)    // 4,096 bytes
	password := "Päss-wörd-1" + strings.Repeat("ß", 245)
	if _, err := e.idp.SignUp(ctx, &cip.SignUpInput{
		ClientId: aws.String(testClient), Username: aws.String(username), Password: aws.String(password),
		UserAttributes: []types.AttributeType{{Name: aws.String("name"), Value: aws.String(name)}},
	}); err != nil {
		t.Fatalf("SignUp at the limits: %v", err)
	}
	if _, err := e.idp.ConfirmSignUp(ctx, &cip.ConfirmSignUpInput{
		ClientId: aws.String(testClient), Username: aws.String(username), ConfirmationCode: aws.String(e.codes.get("SignUp", username)),
	}); err != nil {
		t.Fatal(err)
	}
	res := e.signIn(t, username, password)
	out, err := e.idp.GetUser(ctx, &cip.GetUserInput{AccessToken: res.AccessToken})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{"username": aws.ToString(out.Username)}
	for _, a := range out.UserAttributes {
		if aws.ToString(a.Name) == "name" {
			got["name"] = aws.ToString(a.Value)
		}
	}
	if diff := cmp.Diff(map[string]string{"username": username, "name": name}, got); diff != "" {
		t.Errorf("GetUser (-want +got):\n%s", diff)
	}
}

func TestRefreshSignOutRevoke(t *testing.T) {
	e := newEnv(t, "")
	ctx := context.Background()
	e.signUp(t, "carol", "carol@example.com")
	first := e.signIn(t, "carol", goodPassword)
	second := e.signIn(t, "carol", goodPassword)

	refresh := func(client, token string) (*types.AuthenticationResultType, error) {
		out, err := e.idp.InitiateAuth(ctx, &cip.InitiateAuthInput{
			AuthFlow: types.AuthFlowTypeRefreshTokenAuth, ClientId: aws.String(client),
			AuthParameters: map[string]string{"REFRESH_TOKEN": token},
		})
		if err != nil {
			return nil, err
		}
		return out.AuthenticationResult, nil
	}
	r, err := refresh(testClient, *first.RefreshToken)
	if err != nil {
		t.Fatal(err)
	}
	if r.RefreshToken != nil || r.IdToken == nil || r.AccessToken == nil {
		t.Errorf("refresh result = %+v, want new ID and access tokens and no refresh token", r)
	}
	if _, err := e.idp.GetUser(ctx, &cip.GetUserInput{AccessToken: r.AccessToken}); err != nil {
		t.Errorf("GetUser with refreshed token: %v", err)
	}

	// A refresh token works only for its own client.
	_, err = refresh(otherClient, *first.RefreshToken)
	if got, want := apiErr(err), "NotAuthorizedException: Invalid Refresh Token."; got != want {
		t.Errorf("refresh with another client = %q, want %q", got, want)
	}
	_, err = refresh(testClient, "not-a-token")
	if got, want := apiErr(err), "NotAuthorizedException: Invalid Refresh Token."; got != want {
		t.Errorf("refresh with made-up token = %q, want %q", got, want)
	}

	// RevokeToken revokes one sign-in: its refresh token and the access
	// tokens minted from it.
	if _, err := e.idp.RevokeToken(ctx, &cip.RevokeTokenInput{ClientId: aws.String(testClient), Token: first.RefreshToken}); err != nil {
		t.Fatal(err)
	}
	_, err = refresh(testClient, *first.RefreshToken)
	if got, want := apiErr(err), "NotAuthorizedException: Refresh Token has been revoked"; got != want {
		t.Errorf("refresh after RevokeToken = %q, want %q", got, want)
	}
	_, err = e.idp.GetUser(ctx, &cip.GetUserInput{AccessToken: r.AccessToken})
	if got, want := apiErr(err), "NotAuthorizedException: Access Token has been revoked"; got != want {
		t.Errorf("GetUser after RevokeToken = %q, want %q", got, want)
	}
	if _, err := e.idp.GetUser(ctx, &cip.GetUserInput{AccessToken: second.AccessToken}); err != nil {
		t.Errorf("GetUser of the other sign-in after RevokeToken: %v", err)
	}
	_, err = e.idp.RevokeToken(ctx, &cip.RevokeTokenInput{ClientId: aws.String(otherClient), Token: second.RefreshToken})
	if got, want := apiErr(err), "UnauthorizedException: The refresh token was not issued to this client."; got != want {
		t.Errorf("RevokeToken by another client = %q, want %q", got, want)
	}

	// GlobalSignOut ends every sign-in.
	if _, err := e.idp.GlobalSignOut(ctx, &cip.GlobalSignOutInput{AccessToken: second.AccessToken}); err != nil {
		t.Fatal(err)
	}
	_, err = refresh(testClient, *second.RefreshToken)
	if got, want := apiErr(err), "NotAuthorizedException: Refresh Token has been revoked"; got != want {
		t.Errorf("refresh after GlobalSignOut = %q, want %q", got, want)
	}
	_, err = e.idp.GetUser(ctx, &cip.GetUserInput{AccessToken: second.AccessToken})
	if got, want := apiErr(err), "NotAuthorizedException: Access Token has been revoked"; got != want {
		t.Errorf("GetUser after GlobalSignOut = %q, want %q", got, want)
	}
	// A new sign-in works again.
	third := e.signIn(t, "carol", goodPassword)
	if _, err := e.idp.GetUser(ctx, &cip.GetUserInput{AccessToken: third.AccessToken}); err != nil {
		t.Errorf("GetUser after signing in again: %v", err)
	}

	// Expired tokens and refresh tokens.
	e.clock.Advance(time.Hour + time.Second)
	_, err = e.idp.GetUser(ctx, &cip.GetUserInput{AccessToken: third.AccessToken})
	if got, want := apiErr(err), "NotAuthorizedException: Access Token has expired"; got != want {
		t.Errorf("GetUser after an hour = %q, want %q", got, want)
	}
	if _, err := refresh(testClient, *third.RefreshToken); err != nil {
		t.Errorf("refresh after an hour: %v", err)
	}
	e.clock.Advance(30 * 24 * time.Hour)
	_, err = refresh(testClient, *third.RefreshToken)
	if got, want := apiErr(err), "NotAuthorizedException: Refresh Token has expired"; got != want {
		t.Errorf("refresh after 30 days = %q, want %q", got, want)
	}
}

func TestChangeAndForgotPassword(t *testing.T) {
	e := newEnv(t, "")
	ctx := context.Background()
	e.signUp(t, "dave", "dave@example.com")
	res := e.signIn(t, "dave", goodPassword)

	_, err := e.idp.ChangePassword(ctx, &cip.ChangePasswordInput{AccessToken: res.AccessToken,
		PreviousPassword: aws.String("Wrong-Passw0rd"), ProposedPassword: aws.String("N3w-Password!")})
	if got, want := apiErr(err), "NotAuthorizedException: Incorrect username or password."; got != want {
		t.Errorf("ChangePassword(wrong previous) = %q, want %q", got, want)
	}
	_, err = e.idp.ChangePassword(ctx, &cip.ChangePasswordInput{AccessToken: res.AccessToken,
		PreviousPassword: aws.String(goodPassword), ProposedPassword: aws.String("weakpassword")})
	if got, want := apiErr(err), "InvalidPasswordException: Password did not conform with policy: Password must have uppercase characters"; got != want {
		t.Errorf("ChangePassword(weak) = %q, want %q", got, want)
	}
	if _, err := e.idp.ChangePassword(ctx, &cip.ChangePasswordInput{AccessToken: res.AccessToken,
		PreviousPassword: aws.String(goodPassword), ProposedPassword: aws.String("N3w-Password!")}); err != nil {
		t.Fatal(err)
	}
	e.signIn(t, "dave", "N3w-Password!")

	fp, err := e.idp.ForgotPassword(ctx, &cip.ForgotPasswordInput{ClientId: aws.String(testClient), Username: aws.String("dave")})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(fp.CodeDeliveryDetails.Destination) != "d***@e***" {
		t.Errorf("ForgotPassword delivery = %+v", fp.CodeDeliveryDetails)
	}
	code := e.codes.get("ForgotPassword", "dave")
	_, err = e.idp.ConfirmForgotPassword(ctx, &cip.ConfirmForgotPasswordInput{ClientId: aws.String(testClient),
		Username: aws.String("dave"), ConfirmationCode: aws.String(code), Password: aws.String("short")})
	if got, want := apiErr(err), "InvalidParameterException: 1 validation error detected: Value at 'password' failed to satisfy constraint: Member must have length greater than or equal to 6"; got != want {
		t.Errorf("ConfirmForgotPassword(short) = %q, want %q", got, want)
	}
	if _, err := e.idp.ConfirmForgotPassword(ctx, &cip.ConfirmForgotPasswordInput{ClientId: aws.String(testClient),
		Username: aws.String("dave"), ConfirmationCode: aws.String(code), Password: aws.String("Th1rd-Password")}); err != nil {
		t.Fatal(err)
	}
	e.signIn(t, "dave", "Th1rd-Password")
	_, err = e.idp.ConfirmForgotPassword(ctx, &cip.ConfirmForgotPasswordInput{ClientId: aws.String(testClient),
		Username: aws.String("dave"), ConfirmationCode: aws.String(code), Password: aws.String("F0urth-Password")})
	if got, want := apiErr(err), "CodeMismatchException: Invalid verification code provided, please try again."; got != want {
		t.Errorf("ConfirmForgotPassword(used code) = %q, want %q", got, want)
	}

	// A code sent before an administrator disabled the user resets
	// nothing.
	if _, err := e.idp.ForgotPassword(ctx, &cip.ForgotPasswordInput{ClientId: aws.String(testClient), Username: aws.String("dave")}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.idp.AdminDisableUser(ctx, &cip.AdminDisableUserInput{UserPoolId: aws.String(testPool), Username: aws.String("dave")}); err != nil {
		t.Fatal(err)
	}
	_, err = e.idp.ConfirmForgotPassword(ctx, &cip.ConfirmForgotPasswordInput{ClientId: aws.String(testClient),
		Username: aws.String("dave"), ConfirmationCode: aws.String(e.codes.get("ForgotPassword", "dave")), Password: aws.String("F1fth-Password")})
	if got, want := apiErr(err), "NotAuthorizedException: User is disabled."; got != want {
		t.Errorf("ConfirmForgotPassword(disabled) = %q, want %q", got, want)
	}
	if _, err := e.idp.AdminEnableUser(ctx, &cip.AdminEnableUserInput{UserPoolId: aws.String(testPool), Username: aws.String("dave")}); err != nil {
		t.Fatal(err)
	}
	e.signIn(t, "dave", "Th1rd-Password") // unchanged

	// Reset codes last an hour.
	if _, err := e.idp.ForgotPassword(ctx, &cip.ForgotPasswordInput{ClientId: aws.String(testClient), Username: aws.String("dave")}); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(time.Hour + time.Minute)
	_, err = e.idp.ConfirmForgotPassword(ctx, &cip.ConfirmForgotPasswordInput{ClientId: aws.String(testClient),
		Username: aws.String("dave"), ConfirmationCode: aws.String(e.codes.get("ForgotPassword", "dave")), Password: aws.String("F0urth-Password")})
	if got, want := apiErr(err), "ExpiredCodeException: Invalid code provided, please request a code again."; got != want {
		t.Errorf("ConfirmForgotPassword(expired) = %q, want %q", got, want)
	}
	_, err = e.idp.ForgotPassword(ctx, &cip.ForgotPasswordInput{ClientId: aws.String(testClient), Username: aws.String("nobody")})
	if got, want := apiErr(err), "UserNotFoundException: Username/client id combination not found."; got != want {
		t.Errorf("ForgotPassword(unknown) = %q, want %q", got, want)
	}
}

// TestForgotPasswordRules checks who gets a reset code: only a user with
// a verified email or phone (aws-amplify/aws-sdk-android#142), not one who
// never set a password (aws-amplify/amplify-js#11270); and, on a client
// that prevents user existence errors, a simulated delivery for whoever
// would not get one, and a code mismatch for an unknown user (the
// developer guide's "Managing user existence error responses").
func TestForgotPasswordRules(t *testing.T) {
	const preventClient = "testclient000000000000000d"
	e := newEnv(t, "", func(o *localcognito.Options) {
		o.Pools[0].Clients = append(o.Pools[0].Clients, localcognito.ClientConfig{ID: preventClient, Name: "prevent", PreventUserExistenceErrors: true})
	})
	ctx := context.Background()
	e.signUp(t, "vera", "vera@example.com")
	if _, err := e.idp.SignUp(ctx, &cip.SignUpInput{ClientId: aws.String(testClient), Username: aws.String("una"), Password: aws.String(goodPassword),
		UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String("una@example.com")}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.idp.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: aws.String(testPool), Username: aws.String("fred"),
		UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String("fred@example.com")}}}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		client, user string
		want         string // the error, or the delivery's destination
	}{
		{testClient, "vera", "v***@e***"},
		{testClient, "una", "InvalidParameterException: Cannot reset password for the user as there is no registered/verified email or phone_number"},
		{testClient, "fred", "NotAuthorizedException: User password cannot be reset in the current state."},
		{testClient, "nobody", "UserNotFoundException: Username/client id combination not found."},
		{preventClient, "vera", "v***@e***"},
		{preventClient, "una", "***@***"},
		{preventClient, "nobody", "***@***"},
	}
	for _, tc := range tests {
		out, err := e.idp.ForgotPassword(ctx, &cip.ForgotPasswordInput{ClientId: aws.String(tc.client), Username: aws.String(tc.user)})
		got := apiErr(err)
		if err == nil {
			got = aws.ToString(out.CodeDeliveryDetails.Destination)
		}
		if got != tc.want {
			t.Errorf("ForgotPassword(%s, %s) = %q, want %q", tc.client, tc.user, got, tc.want)
		}
	}
	_, err := e.idp.ConfirmForgotPassword(ctx, &cip.ConfirmForgotPasswordInput{ClientId: aws.String(preventClient),
		Username: aws.String("nobody"), ConfirmationCode: aws.String("123456"), Password: aws.String("N3w-Password!")})
	if got, want := apiErr(err), "CodeMismatchException: Invalid verification code provided, please try again."; got != want {
		t.Errorf("ConfirmForgotPassword(unknown user, preventing client) = %q, want %q", got, want)
	}
}

func TestSecretHashClient(t *testing.T) {
	e := newEnv(t, "")
	ctx := context.Background()
	e.signUp(t, "erin", "erin@example.com")
	auth := func(params map[string]string) error {
		_, err := e.idp.InitiateAuth(ctx, &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeUserPasswordAuth,
			ClientId: aws.String(secretClient), AuthParameters: params})
		return err
	}
	err := auth(map[string]string{"USERNAME": "erin", "PASSWORD": goodPassword})
	if got, want := apiErr(err), "NotAuthorizedException: Client "+secretClient+" is configured for secret but secret was not received"; got != want {
		t.Errorf("without SECRET_HASH = %q, want %q", got, want)
	}
	err = auth(map[string]string{"USERNAME": "erin", "PASSWORD": goodPassword, "SECRET_HASH": localcognito.SecretHash(secretClient, "wrong", "erin")})
	if got, want := apiErr(err), "NotAuthorizedException: Unable to verify secret hash for client "+secretClient; got != want {
		t.Errorf("wrong SECRET_HASH = %q, want %q", got, want)
	}
	if err := auth(map[string]string{"USERNAME": "erin", "PASSWORD": goodPassword, "SECRET_HASH": localcognito.SecretHash(secretClient, testSecret, "erin")}); err != nil {
		t.Errorf("right SECRET_HASH: %v", err)
	}
}

// TestErrors sends malformed and refused requests over raw HTTP and
// checks Cognito's error type and message, status 400.
func TestErrors(t *testing.T) {
	e := newEnv(t, "")
	e.signUp(t, "frank", "frank@example.com")
	const idp = "AWSCognitoIdentityProviderService."
	signUp := func(username, password string) map[string]any {
		return map[string]any{"ClientId": testClient, "Username": username, "Password": password}
	}
	pw := func(u, p string) map[string]any {
		return map[string]any{"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": testClient,
			"AuthParameters": map[string]string{"USERNAME": u, "PASSWORD": p}}
	}
	tests := []struct {
		name, target string
		body         any
		wantType     string
		wantMessage  string
	}{
		{"unknown operation", idp + "CreateUserPool", `{}`, "UnknownOperationException", ""},
		{"no target", "", `{}`, "UnknownOperationException", ""},
		{"not json", idp + "SignUp", `{"ClientId":`, "SerializationException", ""},
		{"wrong type", idp + "SignUp", `{"ClientId": 5}`, "SerializationException", "Unexpected value type for field ClientId: expected string"},
		{"array body", idp + "SignUp", `[]`, "SerializationException", ""},
		{"missing client", idp + "SignUp", `{}`, "InvalidParameterException",
			"1 validation error detected: Value null at 'clientId' failed to satisfy constraint: Member must not be null"},
		{"unknown client", idp + "SignUp", map[string]any{"ClientId": "nosuchclient"}, "ResourceNotFoundException", "User pool client nosuchclient does not exist."},
		{"missing username", idp + "SignUp", map[string]any{"ClientId": testClient, "Password": goodPassword}, "InvalidParameterException",
			"1 validation error detected: Value null at 'username' failed to satisfy constraint: Member must not be null"},
		{"username with space", idp + "SignUp", signUp("a b", goodPassword), "InvalidParameterException", ""},
		{"username of 129 characters", idp + "SignUp", signUp(strings.Repeat("a", 129), goodPassword), "InvalidParameterException",
			"1 validation error detected: Value at 'username' failed to satisfy constraint: Member must have length less than or equal to 128"},
		{"username of 65 emoji", idp + "SignUp", signUp(strings.Repeat("🐈", 65), goodPassword), "InvalidParameterException",
			"1 validation error detected: Value at 'username' failed to satisfy constraint: Member must have length less than or equal to 128"},
		{"attribute value of 2049 characters", idp + "SignUp", map[string]any{"ClientId": testClient, "Username": "g8", "Password": goodPassword,
			"UserAttributes": []map[string]string{{"Name": "name", "Value": strings.Repeat("é", 2049)}}}, "InvalidParameterException",
			"1 validation error detected: Value at 'userAttributes.member.value' failed to satisfy constraint: Member must have length less than or equal to 2048"},
		{"password too short", idp + "SignUp", signUp("g1", "Ab1!"), "InvalidParameterException",
			"1 validation error detected: Value at 'password' failed to satisfy constraint: Member must have length greater than or equal to 6"},
		{"password under policy length", idp + "SignUp", signUp("g2", "Ab1!xy"), "InvalidPasswordException", "Password did not conform with policy: Password not long enough"},
		{"no uppercase", idp + "SignUp", signUp("g3", "lower-case-1"), "InvalidPasswordException", "Password did not conform with policy: Password must have uppercase characters"},
		{"no lowercase", idp + "SignUp", signUp("g4", "UPPER-CASE-1"), "InvalidPasswordException", "Password did not conform with policy: Password must have lowercase characters"},
		{"no number", idp + "SignUp", signUp("g5", "Mixed-Case-x"), "InvalidPasswordException", "Password did not conform with policy: Password must have numeric characters"},
		{"no symbol", idp + "SignUp", signUp("g6", "MixedCase123"), "InvalidPasswordException", "Password did not conform with policy: Password must have symbol characters"},
		{"username exists", idp + "SignUp", signUp("FRANK", goodPassword), "UsernameExistsException", "User already exists"},
		{"sub attribute", idp + "SignUp", map[string]any{"ClientId": testClient, "Username": "g7", "Password": goodPassword,
			"UserAttributes": []map[string]string{{"Name": "sub", "Value": "x"}}}, "InvalidParameterException", "Cannot modify the non-mutable attribute sub"},
		{"confirm unknown user", idp + "ConfirmSignUp", map[string]any{"ClientId": testClient, "Username": "nobody", "ConfirmationCode": "123456"},
			"UserNotFoundException", "Username/client id combination not found."},
		{"missing auth flow", idp + "InitiateAuth", map[string]any{"ClientId": testClient}, "InvalidParameterException",
			"1 validation error detected: Value null at 'authFlow' failed to satisfy constraint: Member must not be null"},
		{"bad auth flow", idp + "InitiateAuth", map[string]any{"ClientId": testClient, "AuthFlow": "MAGIC"}, "InvalidParameterException", ""},
		{"missing password param", idp + "InitiateAuth", map[string]any{"ClientId": testClient, "AuthFlow": "USER_PASSWORD_AUTH",
			"AuthParameters": map[string]string{"USERNAME": "frank"}}, "InvalidParameterException", "Missing required parameter PASSWORD"},
		{"flow not enabled", idp + "InitiateAuth", map[string]any{"ClientId": otherClient, "AuthFlow": "USER_PASSWORD_AUTH",
			"AuthParameters": map[string]string{"USERNAME": "frank", "PASSWORD": goodPassword}}, "InvalidParameterException", "USER_PASSWORD_AUTH flow not enabled for this client"},
		{"wrong password", idp + "InitiateAuth", pw("frank", "Wrong-Passw0rd"), "NotAuthorizedException", "Incorrect username or password."},
		{"unknown user", idp + "InitiateAuth", pw("nobody", goodPassword), "UserNotFoundException", "User does not exist."},
		{"admin flow on public API", idp + "InitiateAuth", map[string]any{"ClientId": testClient, "AuthFlow": "ADMIN_NO_SRP_AUTH"},
			"InvalidParameterException", "Initiate Auth method not supported."},
		{"bad SRP_A", idp + "InitiateAuth", map[string]any{"ClientId": testClient, "AuthFlow": "USER_SRP_AUTH",
			"AuthParameters": map[string]string{"USERNAME": "frank", "SRP_A": "0"}}, "InvalidParameterException", ""},
		{"unknown secret block", idp + "RespondToAuthChallenge", map[string]any{"ClientId": testClient, "ChallengeName": "PASSWORD_VERIFIER",
			"ChallengeResponses": map[string]string{"USERNAME": "frank", "PASSWORD_CLAIM_SECRET_BLOCK": "AAAA", "PASSWORD_CLAIM_SIGNATURE": "AAAA",
				"TIMESTAMP": "Mon Jan 2 15:04:05 UTC 2006"}}, "NotAuthorizedException", "Invalid session for the user, session is expired."},
		{"get user without token", idp + "GetUser", `{}`, "InvalidParameterException",
			"1 validation error detected: Value null at 'accessToken' failed to satisfy constraint: Member must not be null"},
		{"get user with garbage", idp + "GetUser", map[string]any{"AccessToken": "garbage"}, "NotAuthorizedException", "Invalid Access Token"},
		{"revoke an access token", idp + "RevokeToken", map[string]any{"ClientId": testClient, "Token": "a.b.c"}, "UnsupportedTokenTypeException", "Only refresh tokens can be revoked."},
		{"admin unsigned", idp + "AdminGetUser", map[string]any{"UserPoolId": testPool, "Username": "frank"}, "MissingAuthenticationTokenException", ""},
		{"list users unsigned", idp + "ListUsers", map[string]any{"UserPoolId": testPool}, "MissingAuthenticationTokenException", ""},
		{"identity pool unknown", "AWSCognitoIdentityService.GetId", map[string]any{"IdentityPoolId": "us-east-1:00000000-0000-0000-0000-000000000000"},
			"ResourceNotFoundException", "IdentityPool 'us-east-1:00000000-0000-0000-0000-000000000000' not found."},
		{"identity unknown", "AWSCognitoIdentityService.GetCredentialsForIdentity", map[string]any{"IdentityId": "us-east-1:00000000-0000-0000-0000-000000000000"},
			"ResourceNotFoundException", "Identity 'us-east-1:00000000-0000-0000-0000-000000000000' not found."},
		{"bad login provider", "AWSCognitoIdentityService.GetId", map[string]any{"IdentityPoolId": testIdentityPool,
			"Logins": map[string]string{"accounts.google.com": "x.y.z"}}, "NotAuthorizedException", "Token is not from a supported provider of this identity pool."},
		{"bad login token", "AWSCognitoIdentityService.GetId", map[string]any{"IdentityPoolId": testIdentityPool,
			"Logins": map[string]string{"cognito-idp.us-east-1.amazonaws.com/" + testPool: "x.y.z"}}, "NotAuthorizedException", "Invalid login token. Couldn't verify signed token."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			status, body := e.post(t, tc.target, tc.body)
			if status != http.StatusBadRequest {
				t.Errorf("status = %d, want 400", status)
			}
			if got := body["__type"]; got != tc.wantType {
				t.Errorf("__type = %v, want %s (message %q)", got, tc.wantType, body["message"])
			}
			if msg, _ := body["message"].(string); msg == "" || (tc.wantMessage != "" && msg != tc.wantMessage) {
				t.Errorf("message = %q, want %q", msg, tc.wantMessage)
			}
		})
	}
}

func TestJWKSAndDiscovery(t *testing.T) {
	e := newEnv(t, "")
	resp, err := e.srv.Client().Get(e.srv.URL + "/" + testPool + "/.well-known/openid-configuration")
	if err != nil {
		t.Fatal(err)
	}
	var disc map[string]any
	json.NewDecoder(resp.Body).Decode(&disc)
	resp.Body.Close()
	want := map[string]any{
		"issuer":   "https://cognito-idp.us-east-1.amazonaws.com/" + testPool,
		"jwks_uri": e.srv.URL + "/" + testPool + "/.well-known/jwks.json",
	}
	if diff := cmp.Diff(want, map[string]any{"issuer": disc["issuer"], "jwks_uri": disc["jwks_uri"]}); diff != "" {
		t.Errorf("discovery (-want +got):\n%s", diff)
	}
	resp, err = e.srv.Client().Get(e.srv.URL + "/" + testPool + "/.well-known/jwks.json")
	if err != nil {
		t.Fatal(err)
	}
	var set verify.JWKS
	json.NewDecoder(resp.Body).Decode(&set)
	resp.Body.Close()
	if len(set.Keys) != 2 || set.Keys[0].Alg != "RS256" || set.Keys[0].Kid == set.Keys[1].Kid {
		t.Errorf("JWKS = %+v, want two RS256 keys", set)
	}
	if got := resp.Header.Get("Access-Control-Allow-Origin"); got != "*" {
		t.Errorf("JWKS Access-Control-Allow-Origin = %q", got)
	}
	resp, err = e.srv.Client().Get(e.srv.URL + "/us-east-1_Nope/.well-known/jwks.json")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("JWKS of unknown pool: status %d", resp.StatusCode)
	}
}

// TestLocalIssuer mints tokens whose issuer is the emulator's own URL,
// and verifies them the way API Gateway does: discovery, then JWKS, over
// HTTP.
func TestLocalIssuer(t *testing.T) {
	srv := httptest.NewUnstartedServer(nil)
	base := "http://" + srv.Listener.Addr().String()
	e := newEnvWithServer(t, srv, func(o *localcognito.Options) { o.IssuerBase = base })
	e.signUp(t, "gina", "gina@example.com")
	res := e.signIn(t, "gina", goodPassword)
	v := &verify.Verifier{Issuer: base + "/" + testPool, Audiences: []string{testClient}, TokenUse: verify.TokenUseID,
		Keys: verify.NewJWKSCache(verify.JWKSOptions{}), Clock: e.clock}
	claims, err := v.Verify(context.Background(), *res.IdToken)
	if err != nil {
		t.Fatal(err)
	}
	if claims.Raw["cognito:username"] != "gina" {
		t.Errorf("claims = %v", claims.Raw)
	}

	// Key rotation: old tokens still verify (their key stays in the
	// JWKS), new tokens use the new key.
	if err := e.svc.RotateKeys(context.Background()); err != nil {
		t.Fatal(err)
	}
	res2 := e.signIn(t, "gina", goodPassword)
	if kid(t, *res2.IdToken) == kid(t, *res.IdToken) {
		t.Error("RotateKeys kept the ID token key")
	}
	fresh := &verify.Verifier{Issuer: base + "/" + testPool, Audiences: []string{testClient}, Keys: verify.NewJWKSCache(verify.JWKSOptions{}), Clock: e.clock}
	for i, tok := range []string{*res.IdToken, *res.AccessToken, *res2.IdToken, *res2.AccessToken} {
		if _, err := fresh.Verify(context.Background(), tok); err != nil {
			t.Errorf("token %d after rotation: %v", i, err)
		}
	}
	if n := len(e.svc.JWKS(testPool).Keys); n != 4 {
		t.Errorf("JWKS after rotation has %d keys, want 4", n)
	}
	e.clock.Advance(time.Hour + time.Minute)
	if n := len(e.svc.JWKS(testPool).Keys); n != 2 {
		t.Errorf("JWKS an hour after rotation has %d keys, want 2", n)
	}
}

func TestCORS(t *testing.T) {
	e := newEnv(t, "")
	req, _ := http.NewRequest(http.MethodOptions, e.srv.URL+"/", nil)
	req.Header.Set("Origin", "http://localhost:5173")
	req.Header.Set("Access-Control-Request-Method", "POST")
	req.Header.Set("Access-Control-Request-Headers", "content-type,x-amz-target,x-amz-user-agent")
	resp, err := e.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	got := map[string]string{}
	for _, h := range []string{"Access-Control-Allow-Origin", "Access-Control-Allow-Methods", "Access-Control-Allow-Headers"} {
		got[h] = resp.Header.Get(h)
	}
	want := map[string]string{
		"Access-Control-Allow-Origin":  "*",
		"Access-Control-Allow-Methods": "GET, POST, OPTIONS",
		"Access-Control-Allow-Headers": "content-type,x-amz-target,x-amz-user-agent",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("preflight (-want +got):\n%s", diff)
	}
	if resp.StatusCode != http.StatusOK {
		t.Errorf("preflight status %d", resp.StatusCode)
	}
}

func TestThrottle(t *testing.T) {
	e := newEnv(t, "", func(o *localcognito.Options) { o.MaxAddressFailures = 12 })
	ctx := context.Background()
	e.signUp(t, "hank", "hank@example.com")
	try := func(user, password string) string {
		_, err := e.idp.InitiateAuth(ctx, &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeUserPasswordAuth,
			ClientId: aws.String(testClient), AuthParameters: map[string]string{"USERNAME": user, "PASSWORD": password}})
		return apiErr(err)
	}
	var got []string
	for range 5 {
		got = append(got, try("hank", "Wrong-Passw0rd"))
	}
	got = append(got, try("hank", goodPassword)) // locked out even with the right password
	incorrect, exceeded := "NotAuthorizedException: Incorrect username or password.", "NotAuthorizedException: Password attempts exceeded"
	want := []string{incorrect, incorrect, incorrect, incorrect, incorrect, exceeded}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("sign-in attempts (-want +got):\n%s", diff)
	}
	// The lockout lasts 1 s after the 5th failure, and doubles with each
	// further one.
	e.clock.Advance(1100 * time.Millisecond)
	if got := try("hank", "Wrong-Passw0rd"); got != incorrect {
		t.Errorf("6th wrong password after 1.1 s: %q, want %q", got, incorrect)
	}
	e.clock.Advance(1500 * time.Millisecond)
	if got := try("hank", goodPassword); got != exceeded {
		t.Errorf("1.5 s after the 6th failure: %q, want %q", got, exceeded)
	}
	e.clock.Advance(time.Second)
	if got := try("hank", goodPassword); got != "" {
		t.Errorf("2.5 s after the 6th failure: %q, want success", got)
	}

	// One address failing for many users is refused as a whole.
	for i := range 6 {
		try("nobody"+string(rune('a'+i)), goodPassword)
	}
	if got, want := try("hank", goodPassword), "TooManyRequestsException: Rate exceeded"; got != want {
		t.Errorf("after many failures from one address: %q, want %q", got, want)
	}
	e.clock.Advance(time.Minute)
	if got := try("hank", goodPassword); got != "" {
		t.Errorf("a minute later: %q, want success", got)
	}
}

func TestPersistence(t *testing.T) {
	path := t.TempDir() + "/cognito.db"
	e := newEnv(t, path)
	ctx := context.Background()
	sub := e.signUp(t, "ivy", "ivy@example.com")
	if _, err := e.idp.AdminAddUserToGroup(ctx, &cip.AdminAddUserToGroupInput{UserPoolId: aws.String(testPool),
		Username: aws.String("ivy"), GroupName: aws.String("customers")}); err != nil {
		t.Fatal(err)
	}
	res := e.signIn(t, "ivy", goodPassword)
	keys := e.svc.JWKS(testPool)
	e.srv.Close()
	if err := e.svc.Close(); err != nil {
		t.Fatal(err)
	}

	e2 := newEnv(t, path)
	if diff := cmp.Diff(keys, e2.svc.JWKS(testPool)); diff != "" {
		t.Errorf("JWKS after reopening (-want +got):\n%s", diff)
	}
	// The old access token and refresh token still work.
	u, err := e2.idp.GetUser(ctx, &cip.GetUserInput{AccessToken: res.AccessToken})
	if err != nil {
		t.Fatal(err)
	}
	if *u.Username != "ivy" {
		t.Errorf("GetUser = %q", *u.Username)
	}
	out, err := e2.idp.InitiateAuth(ctx, &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeRefreshTokenAuth,
		ClientId: aws.String(testClient), AuthParameters: map[string]string{"REFRESH_TOKEN": *res.RefreshToken}})
	if err != nil {
		t.Fatal(err)
	}
	claims, err := e2.svc.Verifier(testPool, []string{testClient}, verify.TokenUseID).Verify(ctx, *out.AuthenticationResult.IdToken)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]any{"customers"}, claims.Raw["cognito:groups"]); diff != "" || claims.Subject != sub {
		t.Errorf("groups after reopening (-want +got):\n%s (sub %s, want %s)", diff, claims.Subject, sub)
	}
	e2.signIn(t, "ivy", goodPassword)
	if ids := e2.svc.PoolIDs(); !slices.Equal(ids, []string{testPool}) {
		t.Errorf("pools after reopening = %v (Options.Pools must not duplicate)", ids)
	}
}
