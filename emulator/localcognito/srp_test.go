package localcognito_test

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/faasport/faasport/emulator/clock"
	"github.com/faasport/faasport/emulator/localcognito"
	"github.com/faasport/faasport/verify"
)

// srpClient is a Cognito SRP client written from amazon-cognito-identity-js
// (src/AuthenticationHelper.js and CognitoUser.authenticateUserDefaultAuth),
// independently of the server's code.
type srpClient struct {
	poolName string
	a, A     *big.Int
}

var (
	jsN = mustHex("FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD" +
		"EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED" +
		"EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F" +
		"83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B" +
		"E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510" +
		"15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7" +
		"ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C" +
		"BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF")
	jsG = big.NewInt(2)
)

func mustHex(s string) *big.Int {
	n, ok := new(big.Int).SetString(s, 16)
	if !ok {
		panic("bad hex " + s)
	}
	return n
}

// jsPadHex is AuthenticationHelper.padHex for non-negative numbers.
func jsPadHex(n *big.Int) string {
	h := n.Text(16)
	if len(h)%2 != 0 {
		h = "0" + h
	}
	if strings.ContainsAny(h[:1], "89abcdefABCDEF") {
		h = "00" + h
	}
	return h
}

func jsHash(b []byte) string { s := sha256.Sum256(b); return hex.EncodeToString(s[:]) }

func jsHexHash(h string) string {
	b, err := hex.DecodeString(h)
	if err != nil {
		panic(err)
	}
	return jsHash(b)
}

func newSRPClient(poolID string) *srpClient {
	_, name, _ := strings.Cut(poolID, "_")
	a := make([]byte, 128)
	rand.Read(a)
	c := &srpClient{poolName: name, a: new(big.Int).SetBytes(a)}
	c.A = new(big.Int).Exp(jsG, c.a, jsN)
	return c
}

// claim answers a PASSWORD_VERIFIER challenge.
func (c *srpClient) claim(params map[string]string, password string, now time.Time) map[string]string {
	k := mustHex(jsHexHash(jsPadHex(jsN) + jsPadHex(jsG)))
	B := mustHex(params["SRP_B"])
	salt := mustHex(params["SALT"])
	user := params["USER_ID_FOR_SRP"]
	u := mustHex(jsHexHash(jsPadHex(c.A) + jsPadHex(B)))
	x := mustHex(jsHexHash(jsPadHex(salt) + jsHash([]byte(c.poolName+user+":"+password))))
	// S = (B - k * g^x) ^ (a + u * x) mod N
	base := new(big.Int).Sub(B, new(big.Int).Mul(k, new(big.Int).Exp(jsG, x, jsN)))
	base.Mod(base, jsN)
	S := new(big.Int).Exp(base, new(big.Int).Add(c.a, new(big.Int).Mul(u, x)), jsN)
	ikm, _ := hex.DecodeString(jsPadHex(S))
	hsalt, _ := hex.DecodeString(jsPadHex(u))
	prk := hmac.New(sha256.New, hsalt)
	prk.Write(ikm)
	info := hmac.New(sha256.New, prk.Sum(nil))
	info.Write(append([]byte("Caldera Derived Key"), 1))
	hkdf := info.Sum(nil)[:16]

	ts := now.UTC().Format("Mon Jan 2 15:04:05 UTC 2006")
	block, _ := base64.StdEncoding.DecodeString(params["SECRET_BLOCK"])
	m := hmac.New(sha256.New, hkdf)
	m.Write([]byte(c.poolName))
	m.Write([]byte(user))
	m.Write(block)
	m.Write([]byte(ts))
	return map[string]string{
		"USERNAME":                    user,
		"PASSWORD_CLAIM_SECRET_BLOCK": params["SECRET_BLOCK"],
		"TIMESTAMP":                   ts,
		"PASSWORD_CLAIM_SIGNATURE":    base64.StdEncoding.EncodeToString(m.Sum(nil)),
	}
}

// srpSignIn runs USER_SRP_AUTH through the SDK.
func (e *env) srpSignIn(t testing.TB, client, username, password string) (*cip.RespondToAuthChallengeOutput, error) {
	t.Helper()
	ctx := context.Background()
	c := newSRPClient(testPool)
	out, err := e.idp.InitiateAuth(ctx, &cip.InitiateAuthInput{
		AuthFlow: types.AuthFlowTypeUserSrpAuth, ClientId: aws.String(client),
		AuthParameters: map[string]string{"USERNAME": username, "SRP_A": c.A.Text(16)},
	})
	if err != nil {
		return nil, err
	}
	if out.ChallengeName != types.ChallengeNameTypePasswordVerifier {
		t.Fatalf("InitiateAuth(USER_SRP_AUTH) challenge = %q", out.ChallengeName)
	}
	return e.idp.RespondToAuthChallenge(ctx, &cip.RespondToAuthChallengeInput{
		ChallengeName: types.ChallengeNameTypePasswordVerifier, ClientId: aws.String(client),
		ChallengeResponses: c.claim(out.ChallengeParameters, password, e.clock.Now()), Session: out.Session,
	})
}

func TestSRP(t *testing.T) {
	e := newEnv(t, "")
	e.signUp(t, "Jane", "jane@example.com")
	ctx := context.Background()

	// The client that allows only SRP (and refresh) signs in with it.
	out, err := e.srpSignIn(t, otherClient, "jane", goodPassword)
	if err != nil {
		t.Fatal(err)
	}
	if out.AuthenticationResult == nil {
		t.Fatalf("RespondToAuthChallenge = %+v, want tokens", out)
	}
	claims, err := e.svc.Verifier(testPool, []string{otherClient}, verify.TokenUseID).Verify(ctx, *out.AuthenticationResult.IdToken)
	if err != nil {
		t.Fatal(err)
	}
	if claims.Raw["cognito:username"] != "Jane" {
		t.Errorf("cognito:username = %v", claims.Raw["cognito:username"])
	}

	_, err = e.srpSignIn(t, otherClient, "jane", "Wrong-Passw0rd")
	if got, want := apiErr(err), "NotAuthorizedException: Incorrect username or password."; got != want {
		t.Errorf("SRP with a wrong password = %q, want %q", got, want)
	}

	// A secret block answers one challenge only.
	c := newSRPClient(testPool)
	init, err := e.idp.InitiateAuth(ctx, &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeUserSrpAuth,
		ClientId: aws.String(testClient), AuthParameters: map[string]string{"USERNAME": "jane", "SRP_A": c.A.Text(16)}})
	if err != nil {
		t.Fatal(err)
	}
	resp := c.claim(init.ChallengeParameters, goodPassword, e.clock.Now())
	respond := func() error {
		_, err := e.idp.RespondToAuthChallenge(ctx, &cip.RespondToAuthChallengeInput{ChallengeName: types.ChallengeNameTypePasswordVerifier,
			ClientId: aws.String(testClient), ChallengeResponses: resp})
		return err
	}
	if err := respond(); err != nil {
		t.Fatal(err)
	}
	if got, want := apiErr(respond()), "NotAuthorizedException: Invalid session for the user, session is expired."; got != want {
		t.Errorf("replayed claim = %q, want %q", got, want)
	}

	// A bad timestamp format is Cognito's InvalidParameterException.
	init, err = e.idp.InitiateAuth(ctx, &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeUserSrpAuth,
		ClientId: aws.String(testClient), AuthParameters: map[string]string{"USERNAME": "jane", "SRP_A": c.A.Text(16)}})
	if err != nil {
		t.Fatal(err)
	}
	resp = c.claim(init.ChallengeParameters, goodPassword, e.clock.Now())
	resp["TIMESTAMP"] = "2025-06-01T12:00:00Z"
	if got, want := apiErr(respond()), "InvalidParameterException: TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english."; got != want {
		t.Errorf("bad TIMESTAMP = %q, want %q", got, want)
	}

	// After a password change, SRP uses the new password.
	pw := e.signIn(t, "jane", goodPassword)
	if _, err := e.idp.ChangePassword(ctx, &cip.ChangePasswordInput{AccessToken: pw.AccessToken,
		PreviousPassword: aws.String(goodPassword), ProposedPassword: aws.String("Changed-Passw0rd")}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.srpSignIn(t, otherClient, "jane", "Changed-Passw0rd"); err != nil {
		t.Errorf("SRP after ChangePassword: %v", err)
	}
}

// TestSRPWithAmazonCognitoIdentityJS cross-checks the server's SRP with
// amazon-cognito-identity-js itself, when node and the package are there
// (set FAASPORT_COGNITO_JS to a directory whose node_modules holds it).
// TestSRPUnknownUserPrevented checks that a client preventing user
// existence errors answers an unknown user's USER_SRP_AUTH with a
// challenge, as for a known user and with the same salt each time, and
// refuses the answer as a wrong password (the developer guide's
// "Managing user existence error responses").
func TestSRPUnknownUserPrevented(t *testing.T) {
	const preventClient = "testclient000000000000000d"
	e := newEnv(t, "", func(o *localcognito.Options) {
		o.Pools[0].Clients = append(o.Pools[0].Clients, localcognito.ClientConfig{ID: preventClient, Name: "prevent", PreventUserExistenceErrors: true})
	})
	ctx := context.Background()
	c := newSRPClient(testPool)
	start := func(client string) (*cip.InitiateAuthOutput, error) {
		return e.idp.InitiateAuth(ctx, &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeUserSrpAuth,
			ClientId: aws.String(client), AuthParameters: map[string]string{"USERNAME": "ghost", "SRP_A": c.A.Text(16)}})
	}
	if _, err := start(testClient); apiErr(err) != "UserNotFoundException: User does not exist." {
		t.Errorf("USER_SRP_AUTH of an unknown user = %q, want UserNotFoundException", apiErr(err))
	}
	first, err := start(preventClient)
	if err != nil {
		t.Fatal(err)
	}
	again, err := start(preventClient)
	if err != nil {
		t.Fatal(err)
	}
	p := first.ChallengeParameters
	if first.ChallengeName != types.ChallengeNameTypePasswordVerifier || p["SALT"] == "" || p["SRP_B"] == "" || p["USER_ID_FOR_SRP"] != "ghost" {
		t.Fatalf("challenge = %s %v, want PASSWORD_VERIFIER with SALT, SRP_B and USER_ID_FOR_SRP", first.ChallengeName, p)
	}
	if again.ChallengeParameters["SALT"] != p["SALT"] {
		t.Errorf("salts %q and %q differ for one unknown user", p["SALT"], again.ChallengeParameters["SALT"])
	}
	_, err = e.idp.RespondToAuthChallenge(ctx, &cip.RespondToAuthChallengeInput{ChallengeName: types.ChallengeNameTypePasswordVerifier,
		ClientId: aws.String(preventClient), ChallengeResponses: c.claim(p, goodPassword, e.clock.Now())})
	if got, want := apiErr(err), "NotAuthorizedException: Incorrect username or password."; got != want {
		t.Errorf("answer to the simulated challenge = %q, want %q", got, want)
	}
}

func TestSRPWithAmazonCognitoIdentityJS(t *testing.T) {
	dir := os.Getenv("FAASPORT_COGNITO_JS")
	node, err := exec.LookPath("node")
	if dir == "" || err != nil {
		t.Skip("set FAASPORT_COGNITO_JS to a directory with node_modules/amazon-cognito-identity-js, and have node, to run")
	}
	e := newEnv(t, "", func(o *localcognito.Options) { o.Clock = clock.Real() })
	e.signUp(t, "kim", "kim@example.com")
	script, _ := filepath.Abs("testdata/srp_signin.js")
	for _, tc := range []struct{ password, want string }{
		{goodPassword, `{"ok":true,"username":"kim"}`},
		{"Wrong-Passw0rd", `{"ok":false,"code":"NotAuthorizedException","message":"Incorrect username or password."}`},
	} {
		cmd := exec.Command(node, script)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "NODE_PATH="+filepath.Join(dir, "node_modules"), "ENDPOINT="+e.srv.URL+"/",
			"POOL="+testPool, "CLIENT="+testClient, "USERNAME=kim", "PASSWORD="+tc.password)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("node: %v\n%s", err, out)
		}
		if got := strings.TrimSpace(string(out)); got != tc.want {
			t.Errorf("amazon-cognito-identity-js with password %q: %s, want %s", tc.password, got, tc.want)
		}
	}
}
