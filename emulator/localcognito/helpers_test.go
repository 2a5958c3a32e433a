package localcognito_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentity"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/smithy-go"
	"golang.org/x/crypto/bcrypt"

	"github.com/faasport/faasport/emulator/clock"
	"github.com/faasport/faasport/emulator/localcognito"
	"github.com/faasport/faasport/internal/awstest"
	"github.com/faasport/faasport/verify"
)

const (
	testPool         = "us-east-1_TestPool1"
	testClient       = "testclient000000000000000a"
	otherClient      = "testclient000000000000000b"
	secretClient     = "testclient000000000000000c"
	testSecret       = "s3cretForTheConfidentialClient0001"
	testIdentityPool = "us-east-1:11111111-2222-3333-4444-555555555555"
	adminKeyID       = "AKIDLOCALADMIN"
	adminSecret      = "local-admin-secret"
	authRole         = "arn:aws:iam::000000000000:role/petstore-authenticated"
	unauthRole       = "arn:aws:iam::000000000000:role/petstore-guest"
	staffRole        = "arn:aws:iam::000000000000:role/petstore-staff"
	goodPassword     = "Corr3ct-Horse!"
)

// env is a running service with SDK clients.
type env struct {
	svc   *localcognito.Service
	srv   *httptest.Server
	clock *clock.Fake
	idp   *cip.Client // signed with the admin key
	ident *cognitoidentity.Client
	codes *codeBox
	path  string
}

// codeBox collects delivered codes.
type codeBox struct {
	mu sync.Mutex
	m  map[string]string // purpose|username -> code
}

func (b *codeBox) deliver(_ context.Context, d localcognito.CodeDelivery) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.m[d.Purpose+"|"+d.Username] = d.Code
}

func (b *codeBox) get(purpose, username string) string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.m[purpose+"|"+username]
}

func testOptions(t testing.TB, fc *clock.Fake, codes *codeBox) *localcognito.Options {
	prec0, prec1 := int32(0), int32(1)
	return &localcognito.Options{
		Clock:      fc,
		Logger:     slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn})),
		BcryptCost: bcrypt.MinCost,
		Admin:      verify.StaticCredentials{adminKeyID: {SecretAccessKey: adminSecret}},
		Pools: []localcognito.PoolConfig{{
			ID:   testPool,
			Name: "petstore",
			Clients: []localcognito.ClientConfig{
				{ID: testClient, Name: "web"},
				{ID: otherClient, Name: "other", AuthFlows: []string{localcognito.AllowUserSRPAuth, localcognito.AllowRefreshTokenAuth}},
				{ID: secretClient, Name: "server", Secret: testSecret},
			},
			Groups: []localcognito.GroupConfig{
				{Name: "staff", Precedence: &prec0, RoleARN: staffRole},
				{Name: "customers", Precedence: &prec1},
			},
		}},
		IdentityPools: []localcognito.IdentityPoolConfig{{
			ID:                   testIdentityPool,
			Name:                 "petstore",
			AllowUnauthenticated: true,
			Providers:            []localcognito.IdentityProvider{{UserPoolID: testPool, ClientID: testClient}},
			AuthenticatedRole:    authRole,
			UnauthenticatedRole:  unauthRole,
			RoleMappings: map[string]localcognito.RoleMapping{
				"cognito-idp.us-east-1.amazonaws.com/" + testPool: {
					Type:                    "Rules",
					AmbiguousRoleResolution: "AuthenticatedRole",
					Rules:                   []localcognito.MappingRule{{Claim: "cognito:groups", MatchType: "Contains", Value: "staff", RoleARN: staffRole}},
				},
			},
		}},
		DeliverCode: codes.deliver,
	}
}

// newEnv opens a service at path ("" for memory) and serves it.
func newEnv(t testing.TB, path string, edit ...func(*localcognito.Options)) *env {
	t.Helper()
	return newEnvAt(t, path, nil, edit...)
}

// newEnvWithServer serves an in-memory service on the unstarted srv.
func newEnvWithServer(t testing.TB, srv *httptest.Server, edit ...func(*localcognito.Options)) *env {
	t.Helper()
	return newEnvAt(t, "", srv, edit...)
}

func newEnvAt(t testing.TB, path string, srv *httptest.Server, edit ...func(*localcognito.Options)) *env {
	t.Helper()
	fc := clock.NewFake(time.Now())
	e := &env{clock: fc, codes: &codeBox{m: map[string]string{}}, path: path}
	opts := testOptions(t, fc, e.codes)
	for _, f := range edit {
		f(opts)
	}
	svc, err := localcognito.Open(path, opts)
	if err != nil {
		t.Fatal(err)
	}
	e.svc = svc
	if srv == nil {
		e.srv = httptest.NewServer(svc.Handler())
	} else {
		srv.Config.Handler = svc.Handler()
		srv.Start()
		e.srv = srv
	}
	t.Cleanup(func() {
		e.srv.Close()
		e.svc.Close()
	})
	e.idp = newIDPClient(e.srv, adminKeyID, adminSecret)
	e.ident = cognitoidentity.New(cognitoidentity.Options{
		Region: "us-east-1", BaseEndpoint: aws.String(e.srv.URL), HTTPClient: e.srv.Client(), Retryer: awstest.Retryer(),
		Credentials: aws.AnonymousCredentials{},
	})
	return e
}

func newIDPClient(srv *httptest.Server, akid, secret string) *cip.Client {
	return cip.New(cip.Options{
		Region: "us-east-1", BaseEndpoint: aws.String(srv.URL), HTTPClient: srv.Client(), Retryer: awstest.Retryer(),
		Credentials: credentials.NewStaticCredentialsProvider(akid, secret, ""),
	})
}

// signUp signs a user up and confirms them with the delivered code.
func (e *env) signUp(t testing.TB, username, email string) string {
	t.Helper()
	ctx := context.Background()
	out, err := e.idp.SignUp(ctx, &cip.SignUpInput{
		ClientId: aws.String(testClient), Username: aws.String(username), Password: aws.String(goodPassword),
		UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String(email)}},
	})
	if err != nil {
		t.Fatalf("SignUp(%s): %v", username, err)
	}
	if _, err := e.idp.ConfirmSignUp(ctx, &cip.ConfirmSignUpInput{
		ClientId: aws.String(testClient), Username: aws.String(username), ConfirmationCode: aws.String(e.codes.get("SignUp", username)),
	}); err != nil {
		t.Fatalf("ConfirmSignUp(%s): %v", username, err)
	}
	return *out.UserSub
}

// signIn signs a user in with USER_PASSWORD_AUTH.
func (e *env) signIn(t testing.TB, username, password string) *types.AuthenticationResultType {
	t.Helper()
	out, err := e.idp.InitiateAuth(context.Background(), &cip.InitiateAuthInput{
		AuthFlow: types.AuthFlowTypeUserPasswordAuth, ClientId: aws.String(testClient),
		AuthParameters: map[string]string{"USERNAME": username, "PASSWORD": password},
	})
	if err != nil {
		t.Fatalf("InitiateAuth(%s): %v", username, err)
	}
	if out.AuthenticationResult == nil {
		t.Fatalf("InitiateAuth(%s): challenge %s, want tokens", username, out.ChallengeName)
	}
	return out.AuthenticationResult
}

// apiErr returns "Type: message" of an SDK error, or "" for nil.
func apiErr(err error) string {
	if err == nil {
		return ""
	}
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode() + ": " + ae.ErrorMessage()
	}
	return "not an API error: " + err.Error()
}

// post sends a raw JSON 1.1 request and returns the status and body.
func (e *env) post(t testing.TB, target string, body any) (int, map[string]any) {
	t.Helper()
	var b []byte
	switch v := body.(type) {
	case string:
		b = []byte(v)
	default:
		b, _ = json.Marshal(v)
	}
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/", bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	if target != "" {
		req.Header.Set("X-Amz-Target", target)
	}
	resp, err := e.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("%s: response %q is not JSON: %v", target, raw, err)
	}
	return resp.StatusCode, m
}

func decodeSegment(s string) ([]byte, error) { return base64.RawURLEncoding.DecodeString(s) }

func sha256Hex(s string) string { sum := sha256.Sum256([]byte(s)); return hex.EncodeToString(sum[:]) }
