package localcognito_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/golang-jwt/jwt/v5"

	"github.com/faasport/faasport/emulator/clock"
	"github.com/faasport/faasport/emulator/localcognito"
	"github.com/faasport/faasport/verify"
)

// TestTokenSecurity checks that the service's tokens are verified for
// real: each forgery or misuse is refused by the verify package, and
// access tokens among them by GetUser.
func TestTokenSecurity(t *testing.T) {
	e := newEnv(t, "", func(o *localcognito.Options) {
		o.Pools = append(o.Pools, localcognito.PoolConfig{ID: "us-east-1_OtherPool",
			Clients: []localcognito.ClientConfig{{ID: "otherpoolclient", Name: "x"}}})
	})
	ctx := context.Background()
	e.signUp(t, "quinn", "quinn@example.com")
	res := e.signIn(t, "quinn", goodPassword)
	idTok, accessTok := *res.IdToken, *res.AccessToken
	e.signUp(t, "quinn2", "quinn2@example.com")

	// The other pool's token, for a user of the same name.
	if _, err := e.idp.SignUp(ctx, &cip.SignUpInput{ClientId: aws.String("otherpoolclient"), Username: aws.String("quinn"),
		Password: aws.String(goodPassword)}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.idp.ConfirmSignUp(ctx, &cip.ConfirmSignUpInput{ClientId: aws.String("otherpoolclient"), Username: aws.String("quinn"),
		ConfirmationCode: aws.String(e.codes.get("SignUp", "quinn"))}); err != nil {
		t.Fatal(err)
	}
	other, err := e.idp.InitiateAuth(ctx, &cip.InitiateAuthInput{AuthFlow: "USER_PASSWORD_AUTH", ClientId: aws.String("otherpoolclient"),
		AuthParameters: map[string]string{"USERNAME": "quinn", "PASSWORD": goodPassword}})
	if err != nil {
		t.Fatal(err)
	}
	otherPoolAccess := *other.AuthenticationResult.AccessToken

	parts := strings.Split(accessTok, ".")
	header, payload := decodeJSON(t, parts[0]), decodeJSON(t, parts[1])
	enc := func(v any) string { b, _ := json.Marshal(v); return base64.RawURLEncoding.EncodeToString(b) }
	with := func(m map[string]any, k string, v any) map[string]any {
		c := map[string]any{}
		for kk, vv := range m {
			c[kk] = vv
		}
		c[k] = v
		return c
	}

	// alg none.
	none := enc(with(header, "alg", "none")) + "." + parts[1] + "."
	// HS256 keyed with the RSA public key of the pool's JWKS (the
	// algorithm-confusion attack).
	pub := e.svc.JWKS(testPool)
	keys, err := verify.ParseJWKS(mustJSON(t, pub))
	if err != nil {
		t.Fatal(err)
	}
	der, _ := x509.MarshalPKIXPublicKey(keys[header["kid"].(string)])
	pemKey := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
	hs := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims(payload))
	hs.Header["kid"] = header["kid"]
	hsTok, err := hs.SignedString(pemKey)
	if err != nil {
		t.Fatal(err)
	}
	// A key of our own, under a kid the pool does not have and under the
	// pool's own kid.
	mine, _ := rsa.GenerateKey(rand.Reader, 2048)
	signMine := func(kid string) string {
		tk := jwt.NewWithClaims(jwt.SigningMethodRS256, jwt.MapClaims(payload))
		tk.Header["kid"] = kid
		s, err := tk.SignedString(mine)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	// Tampered: another user's sub with the original signature.
	tampered := parts[0] + "." + enc(with(payload, "username", "quinn2")) + "." + parts[2]

	past := clock.NewFake(e.clock.Now().Add(-time.Hour))
	future := clock.NewFake(e.clock.Now().Add(time.Hour + time.Minute))
	access := func(c verify.Clock, iss string, aud ...string) *verify.Verifier {
		return &verify.Verifier{Issuer: iss, Audiences: aud, TokenUse: verify.TokenUseAccess, Keys: e.svc.KeySource(), Clock: c}
	}
	idv := func(aud ...string) *verify.Verifier {
		return &verify.Verifier{Issuer: e.svc.Issuer(testPool), Audiences: aud, TokenUse: verify.TokenUseID, Keys: e.svc.KeySource(), Clock: e.clock}
	}
	iss := e.svc.Issuer(testPool)

	tests := []struct {
		name     string
		token    string
		v        *verify.Verifier
		wantKind error
		getUser  string // GetUser's error for an access-token case, "" to skip
	}{
		{"valid access token", accessTok, access(e.clock, iss, testClient), nil, "ok"},
		{"valid ID token", idTok, idv(testClient), nil, ""},
		{"alg none", none, access(e.clock, iss, testClient), verify.ErrAlgorithm, "NotAuthorizedException: Invalid Access Token"},
		{"HS256 with the RSA public key", hsTok, access(e.clock, iss, testClient), verify.ErrAlgorithm, "NotAuthorizedException: Invalid Access Token"},
		{"unknown kid", signMine("no-such-kid"), access(e.clock, iss, testClient), verify.ErrUnknownKey, "NotAuthorizedException: Invalid Access Token"},
		{"foreign key under the pool's kid", signMine(header["kid"].(string)), access(e.clock, iss, testClient), verify.ErrSignature, "NotAuthorizedException: Invalid Access Token"},
		{"expired", accessTok, access(future, iss, testClient), verify.ErrExpired, ""},
		{"not yet valid", accessTok, access(past, iss, testClient), verify.ErrNotYetValid, ""},
		// A verifier for another issuer looks in that issuer's JWKS.
		{"verifier of another pool", accessTok, access(e.clock, e.svc.Issuer("us-east-1_OtherPool"), testClient), verify.ErrUnknownKey, ""},
		{"other pool's token", otherPoolAccess, access(e.clock, iss, testClient), verify.ErrUnknownKey, "ok"},
		// With both pools' keys at hand, the issuer check still refuses.
		{"wrong issuer, known key", accessTok, &verify.Verifier{Issuer: e.svc.Issuer("us-east-1_OtherPool"), Audiences: []string{testClient},
			Keys: verify.KeySet(keys), Clock: e.clock}, verify.ErrIssuer, ""},
		{"wrong client", accessTok, access(e.clock, iss, otherClient), verify.ErrAudience, ""},
		{"wrong audience", idTok, idv(otherClient), verify.ErrAudience, ""},
		{"access token where an ID token is required", accessTok, idv(testClient), verify.ErrTokenUse, ""},
		{"ID token where an access token is required", idTok, access(e.clock, iss, testClient), verify.ErrTokenUse, "NotAuthorizedException: Invalid Access Token"},
		{"tampered payload", tampered, access(e.clock, iss, testClient), verify.ErrSignature, "NotAuthorizedException: Invalid Access Token"},
		{"truncated", accessTok[:len(accessTok)-10], access(e.clock, iss, testClient), verify.ErrSignature, "NotAuthorizedException: Invalid Access Token"},
		{"two segments", parts[0] + "." + parts[1], access(e.clock, iss, testClient), verify.ErrMalformed, "NotAuthorizedException: Invalid Access Token"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.v.Verify(ctx, tc.token)
			if tc.wantKind == nil {
				if err != nil {
					t.Fatalf("Verify = %v, want success", err)
				}
			} else if !errors.Is(err, tc.wantKind) {
				t.Errorf("Verify = %v, want kind %v", err, tc.wantKind)
			}
			if tc.getUser == "" {
				return
			}
			_, err = e.idp.GetUser(ctx, &cip.GetUserInput{AccessToken: aws.String(tc.token)})
			got := apiErr(err)
			if got == "" {
				got = "ok"
			}
			if got != tc.getUser {
				t.Errorf("GetUser = %q, want %q", got, tc.getUser)
			}
		})
	}
}

func decodeJSON(t testing.TB, seg string) map[string]any {
	t.Helper()
	b, err := base64.RawURLEncoding.DecodeString(seg)
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]any{}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestReservedAttributes checks that no user attribute can take the name
// of a token claim: otherwise a user signing up with cognito:groups
// "staff" would get an ID token with that group, and from an identity
// pool whose rules map staff to a role, that role.
func TestReservedAttributes(t *testing.T) {
	e := newEnv(t, "")
	ctx := context.Background()
	caller := &apiCaller{h: e.svc.Handler(), clock: e.clock}
	refused := func(name string) string {
		return "InvalidParameterException: Attributes did not conform to the schema: " + name + ": Attribute does not exist in the schema.\n"
	}
	signUp := func(user, attr string) any {
		return map[string]any{"ClientId": testClient, "Username": user, "Password": goodPassword,
			"UserAttributes": []map[string]string{{"Name": attr, "Value": "staff"}}}
	}
	adminCreate := func(user, attr string) any {
		return map[string]any{"UserPoolId": testPool, "Username": user, "MessageAction": "SUPPRESS",
			"UserAttributes": []map[string]string{{"Name": attr, "Value": "staff"}}}
	}
	newPassword := func(user, attr string) any {
		if _, err := e.idp.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: aws.String(testPool), Username: aws.String(user),
			TemporaryPassword: aws.String(goodPassword), MessageAction: "SUPPRESS"}); err != nil {
			t.Fatal(err)
		}
		init, err := e.idp.InitiateAuth(ctx, &cip.InitiateAuthInput{AuthFlow: "USER_PASSWORD_AUTH", ClientId: aws.String(testClient),
			AuthParameters: map[string]string{"USERNAME": user, "PASSWORD": goodPassword}})
		if err != nil {
			t.Fatal(err)
		}
		return map[string]any{"ClientId": testClient, "ChallengeName": "NEW_PASSWORD_REQUIRED", "Session": *init.Session,
			"ChallengeResponses": map[string]string{"USERNAME": user, "NEW_PASSWORD": "New-" + goodPassword, "userAttributes." + attr: "staff"}}
	}
	for _, tc := range []struct {
		name, op string
		body     func(user, attr string) any
		attr     string
		want     string
	}{
		{name: "cognito:groups at SignUp", op: "SignUp", body: signUp, attr: "cognito:groups", want: refused("cognito:groups")},
		{name: "cognito:preferred_role at SignUp", op: "SignUp", body: signUp, attr: "cognito:preferred_role", want: refused("cognito:preferred_role")},
		{name: "cognito:roles at AdminCreateUser", op: "AdminCreateUser", body: adminCreate, attr: "cognito:roles", want: refused("cognito:roles")},
		{name: "aud at AdminCreateUser", op: "AdminCreateUser", body: adminCreate, attr: "aud", want: refused("aud")},
		{name: "nbf at SignUp", op: "SignUp", body: signUp, attr: "nbf", want: refused("nbf")},
		{name: "cognito:groups with a new password", op: "RespondToAuthChallenge", body: newPassword, attr: "cognito:groups", want: refused("cognito:groups")},
		{name: "an attribute of the pool's own", op: "SignUp", body: signUp, attr: "custom:team", want: ""},
		{name: "a standard attribute", op: "SignUp", body: signUp, attr: "nickname", want: ""},
		// Claims verifiers read: a user setting scope would pass a gateway
		// route's scope check with their ID token.
		{name: "scope at SignUp", op: "SignUp", body: signUp, attr: "scope", want: refused("scope")},
		{name: "client_id at SignUp", op: "SignUp", body: signUp, attr: "client_id", want: refused("client_id")},
		{name: "username at AdminCreateUser", op: "AdminCreateUser", body: adminCreate, attr: "username", want: refused("username")},
		{name: "scope with a new password", op: "RespondToAuthChallenge", body: newPassword, attr: "scope", want: refused("scope")},
		{name: "custom: without a name", op: "SignUp", body: signUp, attr: "custom:", want: refused("custom:")},
		// Only an administrator may vouch for an address.
		{name: "email_verified at SignUp", op: "SignUp", body: signUp, attr: "email_verified",
			want: "NotAuthorizedException: A client attempted to write unauthorized attribute"},
		{name: "phone_number_verified with a new password", op: "RespondToAuthChallenge", body: newPassword, attr: "phone_number_verified",
			want: "NotAuthorizedException: A client attempted to write unauthorized attribute"},
		{name: "email_verified at AdminCreateUser", op: "AdminCreateUser", body: adminCreate, attr: "email_verified", want: ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			user := strings.NewReplacer(" ", "-", ":", "-").Replace(tc.name)
			b := mustJSON(t, tc.body(user, tc.attr))
			rep := caller.call(t, tc.op, b)
			var ae struct {
				Type    string `json:"__type"`
				Message string `json:"message"`
			}
			json.Unmarshal(rep.body, &ae)
			got := ""
			if rep.status != http.StatusOK {
				got = ae.Type + ": " + ae.Message
			}
			if got != tc.want {
				t.Errorf("%s with attribute %s = %q, want %q", tc.op, tc.attr, got, tc.want)
			}
		})
	}
}
