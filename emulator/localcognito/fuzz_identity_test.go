package localcognito_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/faasport/faasport/emulator/clock"
	"github.com/faasport/faasport/emulator/localcognito"
)

// The identity API's operations with the error types the Cognito
// Identity API reference lists for each.
var identityErrors = map[string][]string{
	"GetId": {"ExternalServiceException", "InvalidParameterException", "LimitExceededException", "NotAuthorizedException",
		"ResourceConflictException", "ResourceNotFoundException", "TooManyRequestsException"},
	"GetCredentialsForIdentity": {"ExternalServiceException", "InvalidIdentityPoolConfigurationException",
		"InvalidParameterException", "NotAuthorizedException", "ResourceConflictException", "ResourceNotFoundException",
		"TooManyRequestsException"},
}

const (
	otherPool          = "us-east-1_OtherPool"
	otherPoolClient    = "otherpoolclient"
	strictIdentityPool = "us-east-1:22222222-2222-3333-4444-555555555555"
	strictAuthRole     = "arn:aws:iam::000000000000:role/strict-authenticated"
	opsRole            = "arn:aws:iam::000000000000:role/petstore-ops"
)

// fixtureToken is a token of the identity fixture, and what it is.
type fixtureToken struct {
	token    string
	user     string // username, in pool
	pool     string // the user pool that issued it
	client   string
	use      string // "id" or "access"
	expired  bool
	revoked  bool
	exp      int64
	segments [3]string // decoded header, payload and signature
}

// identity is an identity the fixture knows of.
type identity struct {
	pool string // identity pool
	user string // "" for a guest
}

// identityFixture is a service for FuzzIdentityRequest: two identity
// pools over two user pools, signed-in users, and their tokens and
// identities.
type identityFixture struct {
	svc        *localcognito.Service
	c          *apiCaller
	clock      *clock.Fake
	tokens     []fixtureToken
	ids        []string // the identities named in seeds, by placeholder
	identities map[string]identity
	subs       map[string]string // sub by pool|username
}

// identityPoolConfig returns the user pools an identity pool of the
// fixture trusts, with the app client of each.
func identityPoolConfig(pool string) map[string]string {
	if pool == testIdentityPool {
		return map[string]string{testPool: testClient}
	}
	return map[string]string{testPool: testClient, otherPool: otherPoolClient}
}

// expectedRole returns the role of user's credentials in an identity
// pool, or "" when the pool refuses them.
func expectedRole(idPool string, id identity, custom string) string {
	user := id.user
	switch {
	case idPool == testIdentityPool && user == "":
		return unauthRole
	case idPool == testIdentityPool && user == testPool+"|ivy":
		return staffRole // the rule on cognito:groups
	case idPool == testIdentityPool:
		return authRole
	case user == otherPool+"|lee":
		return strictAuthRole // no role mapping for the other pool
	case user == testPool+"|ivy":
		// Token mapping: the requested role among cognito:roles, or the
		// preferred one.
		if custom == staffRole || custom == opsRole {
			return custom
		}
		return staffRole
	}
	return "" // Token mapping with no role, and Deny
}

func newIdentityFixture(t testing.TB) *identityFixture {
	fc := clock.NewFake(time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC))
	opts := testOptions(t, fc, &codeBox{m: map[string]string{}})
	opts.Pools = append(opts.Pools, localcognito.PoolConfig{ID: otherPool, Name: "other",
		Clients: []localcognito.ClientConfig{{ID: otherPoolClient, Name: "other"}}})
	opts.IdentityPools = append(opts.IdentityPools, localcognito.IdentityPoolConfig{
		ID:   strictIdentityPool,
		Name: "strict",
		Providers: []localcognito.IdentityProvider{
			{UserPoolID: testPool, ClientID: testClient}, {UserPoolID: otherPool, ClientID: otherPoolClient},
		},
		AuthenticatedRole: strictAuthRole,
		RoleMappings: map[string]localcognito.RoleMapping{
			"cognito-idp.us-east-1.amazonaws.com/" + testPool: {Type: "Token", AmbiguousRoleResolution: "Deny"},
		},
	})
	svc, err := localcognito.Open("", opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { svc.Close() })
	fx := &identityFixture{svc: svc, c: &apiCaller{h: svc.Handler(), clock: fc}, clock: fc,
		identities: map[string]identity{}, subs: map[string]string{}}
	prec := 5
	fx.c.callJSON(t, "CreateGroup", map[string]any{"UserPoolId": testPool, "GroupName": "ops", "Precedence": prec, "RoleArn": opsRole}, nil)
	for _, u := range []struct {
		pool, name string
		groups     []string
	}{
		{testPool, "ivy", []string{"staff", "ops"}},
		{testPool, "jay", nil},
		{testPool, "max", nil},
		{otherPool, "lee", nil},
	} {
		var created struct{ User wireUser }
		fx.c.callJSON(t, "AdminCreateUser", map[string]any{"UserPoolId": u.pool, "Username": u.name, "MessageAction": "SUPPRESS"}, &created)
		fx.subs[u.pool+"|"+u.name] = created.User.attrs()["sub"]
		fx.c.callJSON(t, "AdminSetUserPassword", map[string]any{"UserPoolId": u.pool, "Username": u.name,
			"Password": fixturePassword, "Permanent": true}, nil)
		for _, g := range u.groups {
			fx.c.callJSON(t, "AdminAddUserToGroup", map[string]any{"UserPoolId": u.pool, "Username": u.name, "GroupName": g}, nil)
		}
	}
	type result struct{ IdToken, AccessToken string }
	signIn := func(pool, client, name string, params map[string]string) result {
		p := map[string]string{"USERNAME": name, "PASSWORD": fixturePassword}
		for k, v := range params {
			p[k] = v
		}
		var out struct{ AuthenticationResult result }
		fx.c.callJSON(t, "InitiateAuth", map[string]any{"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": client, "AuthParameters": p}, &out)
		return out.AuthenticationResult
	}
	add := func(tok, user, pool, client, use string) {
		ft := fixtureToken{token: tok, user: user, pool: pool, client: client, use: use}
		ft.segments, _ = jwtSegments(tok)
		var claims struct{ Exp int64 }
		json.Unmarshal([]byte(ft.segments[1]), &claims)
		ft.exp = claims.Exp
		fx.tokens = append(fx.tokens, ft)
	}

	// Tokens that will have expired, then current ones.
	oldIvy, oldJay := signIn(testPool, testClient, "ivy", nil), signIn(testPool, testClient, "jay", nil)
	fc.Advance(2 * time.Hour)
	ivy, jay := signIn(testPool, testClient, "ivy", nil), signIn(testPool, testClient, "jay", nil)
	add(ivy.IdToken, "ivy", testPool, testClient, "id")    // $T0
	add(jay.IdToken, "jay", testPool, testClient, "id")    // $T1
	add(oldIvy.IdToken, "ivy", testPool, testClient, "id") // $T2
	add(oldJay.IdToken, "jay", testPool, testClient, "id") // $T3
	fx.tokens[2].expired, fx.tokens[3].expired = true, true
	secret := signIn(testPool, secretClient, "ivy", map[string]string{"SECRET_HASH": localcognito.SecretHash(secretClient, testSecret, "ivy")})
	add(secret.IdToken, "ivy", testPool, secretClient, "id") // $T4: an audience no identity pool trusts
	lee := signIn(otherPool, otherPoolClient, "lee", nil)
	add(lee.IdToken, "lee", otherPool, otherPoolClient, "id")   // $T5
	add(ivy.AccessToken, "ivy", testPool, testClient, "access") // $T6
	maxTok := signIn(testPool, testClient, "max", nil)
	fx.c.callJSON(t, "GlobalSignOut", map[string]string{"AccessToken": maxTok.AccessToken}, nil)
	add(maxTok.IdToken, "max", testPool, testClient, "id") // $T7: signed out
	fx.tokens[7].revoked = true

	getID := func(pool string, logins map[string]string) string {
		b, _ := json.Marshal(map[string]any{"IdentityPoolId": pool, "Logins": logins})
		rep := fx.c.callTarget(t, "AWSCognitoIdentityService.GetId", b)
		var out struct{ IdentityId string }
		if rep.status != 200 || json.Unmarshal(rep.body, &out) != nil {
			t.Fatalf("GetId %s: %d %s", b, rep.status, rep.body)
		}
		return out.IdentityId
	}
	provider := fx.svc.ProviderName
	for _, x := range []struct {
		pool, user string
		logins     map[string]string
	}{
		{testIdentityPool, testPool + "|ivy", map[string]string{provider(testPool): ivy.IdToken}}, // $I0
		{testIdentityPool, testPool + "|jay", map[string]string{provider(testPool): jay.IdToken}}, // $I1
		{testIdentityPool, "", nil}, // $I2
		{strictIdentityPool, testPool + "|ivy", map[string]string{provider(testPool): ivy.IdToken}},   // $I3
		{strictIdentityPool, otherPool + "|lee", map[string]string{provider(otherPool): lee.IdToken}}, // $I4
		{strictIdentityPool, testPool + "|jay", map[string]string{provider(testPool): jay.IdToken}},   // $I5
	} {
		id := getID(x.pool, x.logins)
		fx.ids = append(fx.ids, id)
		fx.identities[id] = identity{pool: x.pool, user: x.user}
	}
	return fx
}

// jwtSegments decodes a JWT's three segments as the jwt package does
// (unpadded base64url, not strict), so that tokens that differ only in
// how they are encoded compare equal.
func jwtSegments(tok string) ([3]string, bool) {
	var out [3]string
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		return out, false
	}
	for i, p := range parts {
		b, err := base64.RawURLEncoding.DecodeString(p)
		if err != nil {
			return out, false
		}
		out[i] = string(b)
	}
	return out, true
}

// expand replaces the placeholders $T0… and $I0… with the fixture's
// tokens and identity ids.
func (fx *identityFixture) expand(body string) string {
	var pairs []string
	for i, tk := range fx.tokens {
		pairs = append(pairs, fmt.Sprintf("$T%d", i), tk.token)
	}
	for i, id := range fx.ids {
		pairs = append(pairs, fmt.Sprintf("$I%d", i), id)
	}
	return strings.NewReplacer(pairs...).Replace(body)
}

// login judges a Logins map for an identity pool: the user it signs in
// ("pool|username"), or why it cannot.
func (fx *identityFixture) login(idPool string, logins map[string]string) (user string, tk *fixtureToken, ok bool) {
	if len(logins) != 1 {
		return "", nil, false
	}
	for name, token := range logins {
		segs, ok := jwtSegments(token)
		if !ok {
			return "", nil, false
		}
		i := slices.IndexFunc(fx.tokens, func(tk fixtureToken) bool { return tk.segments == segs })
		if i < 0 {
			return "", nil, false
		}
		tk := &fx.tokens[i]
		client, trusted := identityPoolConfig(idPool)[tk.pool]
		if !trusted || name != fx.svc.ProviderName(tk.pool) {
			return "", tk, false
		}
		return tk.pool + "|" + tk.user, tk, tk.use == "id" && client == tk.client && !tk.expired && !tk.revoked
	}
	return "", nil, false
}

// FuzzIdentityRequest sends GetId and GetCredentialsForIdentity requests
// with arbitrary bodies, in which $T0… and $I0… stand for the fixture's
// tokens (valid, expired, for another audience or user pool, access,
// signed out) and identity ids. Every answer is 200 or a documented
// error in Cognito's form. A login succeeds only with a current ID token
// of a trusted app client, and yields the same identity for the same
// user each time; an expired one is refused with its exp in the message;
// credentials are those of the identity, with the role its pool's
// mapping gives.
func FuzzIdentityRequest(f *testing.F) {
	p1 := `"cognito-idp.us-east-1.amazonaws.com/us-east-1_TestPool1"`
	p2 := `"cognito-idp.us-east-1.amazonaws.com/us-east-1_OtherPool"`
	for _, s := range []struct {
		op   uint8 // 0: GetId, 1: GetCredentialsForIdentity
		body string
	}{
		{0, `{"IdentityPoolId":"` + testIdentityPool + `","Logins":{` + p1 + `:"$T0"}}`},
		{0, `{"IdentityPoolId":"` + testIdentityPool + `","Logins":{` + p1 + `:"$T1"}}`},
		{0, `{"IdentityPoolId":"` + testIdentityPool + `","Logins":{` + p1 + `:"$T2"}}`},
		{0, `{"IdentityPoolId":"` + testIdentityPool + `","Logins":{` + p1 + `:"$T4"}}`},
		{0, `{"IdentityPoolId":"` + testIdentityPool + `","Logins":{` + p1 + `:"$T5"}}`},
		{0, `{"IdentityPoolId":"` + testIdentityPool + `","Logins":{` + p1 + `:"$T6"}}`},
		{0, `{"IdentityPoolId":"` + testIdentityPool + `","Logins":{` + p1 + `:"$T7"}}`},
		{0, `{"IdentityPoolId":"` + testIdentityPool + `","Logins":{` + p2 + `:"$T5"}}`},
		{0, `{"IdentityPoolId":"` + testIdentityPool + `"}`},
		{0, `{"IdentityPoolId":"` + strictIdentityPool + `"}`},
		{0, `{"IdentityPoolId":"` + strictIdentityPool + `","Logins":{` + p2 + `:"$T5"}}`},
		{0, `{"IdentityPoolId":"` + strictIdentityPool + `","Logins":{` + p1 + `:"$T3"}}`},
		{0, `{"IdentityPoolId":"` + strictIdentityPool + `","Logins":{` + p1 + `:"$T0",` + p2 + `:"$T5"}}`},
		{0, `{"IdentityPoolId":"us-east-1:00000000-0000-0000-0000-000000000000"}`},
		{1, `{"IdentityId":"$I0","Logins":{` + p1 + `:"$T0"}}`},
		{1, `{"IdentityId":"$I1","Logins":{` + p1 + `:"$T1"}}`},
		{1, `{"IdentityId":"$I1","Logins":{` + p1 + `:"$T0"}}`},
		{1, `{"IdentityId":"$I0","Logins":{` + p1 + `:"$T2"}}`},
		{1, `{"IdentityId":"$I2"}`},
		{1, `{"IdentityId":"$I2","Logins":{` + p1 + `:"$T0"}}`},
		{1, `{"IdentityId":"$I0"}`},
		{1, `{"IdentityId":"$I3","Logins":{` + p1 + `:"$T0"},"CustomRoleArn":"` + opsRole + `"}`},
		{1, `{"IdentityId":"$I3","Logins":{` + p1 + `:"$T0"},"CustomRoleArn":"` + authRole + `"}`},
		{1, `{"IdentityId":"$I4","Logins":{` + p2 + `:"$T5"}}`},
		{1, `{"IdentityId":"$I5","Logins":{` + p1 + `:"$T1"}}`},
		{1, `{"IdentityId":"us-east-1:nope"}`},
		{1, `{"IdentityId":5}`},
	} {
		f.Add(s.op, s.body)
	}
	fx := newIdentityFixture(f)
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, opIndex uint8, raw string) {
		body := fx.expand(raw)
		op := []string{"GetId", "GetCredentialsForIdentity"}[opIndex%2]
		rep := fx.c.callTarget(t, "AWSCognitoIdentityService."+op, []byte(body))
		what := fmt.Sprintf("%s %q", op, raw)
		typ := checkReply(t, what, rep, identityErrors[op])
		var msg struct{ Message string }
		json.Unmarshal(rep.body, &msg)

		var in struct {
			IdentityPoolId, AccountId, IdentityId, CustomRoleArn string
			Logins                                               map[string]string
		}
		var err error
		if op == "GetId" {
			var x struct {
				IdentityPoolId, AccountId string
				Logins                    map[string]string
			}
			err = decodeLikeService(body, &x)
			in.IdentityPoolId, in.Logins = x.IdentityPoolId, x.Logins
		} else {
			var x struct {
				IdentityId, CustomRoleArn string
				Logins                    map[string]string
			}
			err = decodeLikeService(body, &x)
			in.IdentityId, in.CustomRoleArn, in.Logins = x.IdentityId, x.CustomRoleArn, x.Logins
		}
		if err != nil {
			if typ != "SerializationException" {
				t.Fatalf("%s: %s, want SerializationException", what, rep.body)
			}
			return
		}

		idPool := in.IdentityPoolId
		var id identity
		if op == "GetCredentialsForIdentity" {
			var known bool
			id, known = fx.identities[in.IdentityId]
			if !known {
				if typ != "ResourceNotFoundException" && typ != "InvalidParameterException" {
					t.Fatalf("%s: %s for an identity that does not exist", what, rep.body)
				}
				return
			}
			idPool = id.pool
		}
		if idPool != testIdentityPool && idPool != strictIdentityPool {
			if typ == "" {
				t.Fatalf("%s: succeeds for identity pool %q", what, idPool)
			}
			return
		}
		user, tk, ok := fx.login(idPool, in.Logins)
		if len(in.Logins) > 0 && !ok {
			if typ == "" {
				t.Fatalf("%s: succeeds with logins that do not sign %q in: %s", what, user, rep.body)
			}
			if tk != nil && tk.expired && !tk.revoked && tk.use == "id" && user != "" && identityPoolConfig(idPool)[tk.pool] == tk.client {
				want := fmt.Sprintf("Invalid login token. Token expired: %d >= %d", fx.clock.Now().Unix(), tk.exp)
				if msg.Message != want || typ != "NotAuthorizedException" {
					t.Fatalf("%s: %s, want NotAuthorizedException: %s", what, rep.body, want)
				}
			}
			return
		}

		if op == "GetId" {
			if user == "" && idPool == strictIdentityPool {
				if typ != "NotAuthorizedException" {
					t.Fatalf("%s: %s, want NotAuthorizedException for a guest", what, rep.body)
				}
				return
			}
			if typ != "" {
				t.Fatalf("%s: %s, want an identity for %q", what, rep.body, user)
			}
			var out struct{ IdentityId string }
			json.Unmarshal(rep.body, &out)
			if user != "" {
				for known, kid := range fx.identities {
					if kid == (identity{pool: idPool, user: user}) && known != out.IdentityId {
						t.Fatalf("%s: identity %s for %q, which has %s", what, out.IdentityId, user, known)
					}
				}
			}
			if prev, ok := fx.identities[out.IdentityId]; ok && prev != (identity{pool: idPool, user: user}) {
				t.Fatalf("%s: identity %s for %q is %+v's", what, out.IdentityId, user, prev)
			}
			fx.identities[out.IdentityId] = identity{pool: idPool, user: user}
			return
		}

		// GetCredentialsForIdentity.
		role := expectedRole(idPool, id, in.CustomRoleArn)
		if user != id.user || role == "" {
			if typ != "NotAuthorizedException" {
				t.Fatalf("%s: %s, want NotAuthorizedException (identity of %q, login of %q)", what, rep.body, id.user, user)
			}
			return
		}
		if typ != "" {
			t.Fatalf("%s: %s, want credentials for %q", what, rep.body, user)
		}
		var out struct {
			IdentityId  string
			Credentials struct {
				AccessKeyId, SecretKey, SessionToken string
				Expiration                           float64
			}
		}
		if err := json.Unmarshal(rep.body, &out); err != nil {
			t.Fatal(err)
		}
		creds, err := fx.svc.Lookup(ctx, out.Credentials.AccessKeyId)
		if err != nil {
			t.Fatalf("%s: Lookup(%s): %v", what, out.Credentials.AccessKeyId, err)
		}
		sub := ""
		if user != "" {
			sub = fx.subs[user]
		}
		want := &localcognito.Principal{AccessKeyID: out.Credentials.AccessKeyId, RoleARN: role, IdentityID: in.IdentityId,
			IdentityPoolID: idPool, Authenticated: user != "", Subject: sub}
		if diff := cmp.Diff(want, creds.Principal); diff != "" {
			t.Fatalf("%s: credentials' principal (-want +got):\n%s", what, diff)
		}
		if out.IdentityId != in.IdentityId || creds.SecretAccessKey != out.Credentials.SecretKey ||
			creds.SessionToken != out.Credentials.SessionToken || !creds.Expires.Equal(fx.clock.Now().Add(time.Hour)) {
			t.Fatalf("%s: answer %s does not match Lookup's %+v", what, rep.body, creds)
		}
	})
}

// decodeLikeService decodes a request body as the service does: an
// empty body is {}.
func decodeLikeService(body string, v any) error {
	b := bytes.TrimSpace([]byte(body))
	if len(b) == 0 {
		b = []byte("{}")
	}
	return json.Unmarshal(b, v)
}
