package emulator_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	ciptypes "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	dbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/gorilla/mux"
	"golang.org/x/crypto/bcrypt"

	"github.com/faasport/faasport/adapter"
	"github.com/faasport/faasport/emulator"
	"github.com/faasport/faasport/emulator/emulatortest"
	"github.com/faasport/faasport/emulator/localcognito"
	"github.com/faasport/faasport/emulator/localgateway"
	"github.com/faasport/faasport/faas"
)

const (
	poolID   = "us-east-1_Shop"
	clientID = "webclient"
)

// app is a small monolith router: the routes that move to a function and
// one that stays behind.
func app() *mux.Router {
	r := mux.NewRouter()
	r.HandleFunc("/me", func(w http.ResponseWriter, r *http.Request) {
		p, ok := faas.PrincipalFromContext(r.Context())
		if !ok {
			http.Error(w, "anonymous", http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]string{"subject": p.Subject, "username": p.Username})
	}).Methods("GET").Name("me")
	r.HandleFunc("/public", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprint(w, "public")
	}).Methods("GET").Name("public")
	return r
}

func newSplit(t *testing.T) (*emulator.Emulator, *emulator.API) {
	t.Helper()
	e := emulatortest.New(t, &emulator.Options{Auth: localcognito.Options{
		Pools: []localcognito.PoolConfig{{
			ID: poolID, Name: "shop", AutoConfirm: true,
			Clients: []localcognito.ClientConfig{{ID: clientID, Name: "web"}},
		}},
		BcryptCost: bcrypt.MinCost,
	}})
	fn, err := adapter.Routes(app(), "me", "public")
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Register(faas.Config{Name: "api"}, adapter.Wrap(fn)); err != nil {
		t.Fatal(err)
	}
	legacy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "monolith %s", r.URL.Path)
	}))
	t.Cleanup(legacy.Close)
	api, err := e.NewAPI(localgateway.Config{
		Authorizers: map[string]localgateway.Authorizer{
			"cognito": localgateway.JWTAuthorizer{Issuer: e.Auth.Issuer(poolID), Audiences: []string{clientID}},
		},
		Routes: []localgateway.Route{
			{Key: "GET /me", Integration: localgateway.Lambda{Function: "api"}, Authorizer: "cognito"},
			{Key: "GET /public", Integration: localgateway.Lambda{Function: "api"}},
			{Key: "$default", Integration: localgateway.HTTPProxy{URL: legacy.URL}},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	return e, api
}

// signIn signs a user up and in through the Cognito API at the emulator's
// endpoint, with the real SDK client, and returns the access token.
func signIn(t *testing.T, e *emulator.Emulator, user, password string) string {
	t.Helper()
	ctx := context.Background()
	idp := cip.New(cip.Options{Region: "us-east-1", BaseEndpoint: aws.String(e.URL), Credentials: aws.AnonymousCredentials{}})
	if _, err := idp.SignUp(ctx, &cip.SignUpInput{ClientId: aws.String(clientID), Username: aws.String(user), Password: aws.String(password)}); err != nil {
		t.Fatalf("SignUp: %v", err)
	}
	out, err := idp.InitiateAuth(ctx, &cip.InitiateAuthInput{
		AuthFlow: ciptypes.AuthFlowTypeUserPasswordAuth, ClientId: aws.String(clientID),
		AuthParameters: map[string]string{"USERNAME": user, "PASSWORD": password},
	})
	if err != nil {
		t.Fatalf("InitiateAuth: %v", err)
	}
	return *out.AuthenticationResult.AccessToken
}

func TestSplitEndToEnd(t *testing.T) {
	e, api := newSplit(t)
	token := signIn(t, e, "alice", "Corr3ct-Horse!")

	type answer struct {
		Status int
		Body   string
	}
	tests := []struct {
		name   string
		method string
		path   string
		token  string
		want   answer
	}{
		{"function behind the JWT authorizer", "GET", "/me", token, answer{200, `"username":"alice"`}},
		{"no token", "GET", "/me", "", answer{401, `{"message":"Unauthorized"}`}},
		{"forged token", "GET", "/me", token[:len(token)-4] + "AAAA", answer{401, `{"message":"Unauthorized"}`}},
		{"public function", "GET", "/public", "", answer{200, "public"}},
		{"route not moved yet goes to the monolith", "GET", "/cart/items", "", answer{200, "monolith /cart/items"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest(tc.method, api.URL+tc.path, nil)
			if tc.token != "" {
				req.Header.Set("Authorization", "Bearer "+tc.token)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			got := answer{resp.StatusCode, string(b)}
			if got.Status != tc.want.Status || !strings.Contains(got.Body, tc.want.Body) {
				t.Errorf("%s %s = %+v, want status %d and a body containing %q", tc.method, tc.path, got, tc.want.Status, tc.want.Body)
			}
		})
	}
}

func TestEndpointServesLambdaAPI(t *testing.T) {
	e := emulatortest.New(t, nil)
	echo := faas.FunctionFunc(func(_ context.Context, p []byte) ([]byte, error) { return p, nil })
	if err := e.Register(faas.Config{Name: "echo"}, echo); err != nil {
		t.Fatal(err)
	}
	client := lambda.New(lambda.Options{Region: "us-east-1", BaseEndpoint: aws.String(e.URL), Credentials: aws.AnonymousCredentials{}})
	out, err := client.Invoke(context.Background(), &lambda.InvokeInput{FunctionName: aws.String("echo"), Payload: []byte(`{"hello":"world"}`)})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(`{"hello":"world"}`, string(out.Payload)); diff != "" {
		t.Errorf("Invoke payload (-want +got):\n%s", diff)
	}
}

func TestEndpointServesDynamoDB(t *testing.T) {
	e := emulatortest.New(t, nil)
	ctx := context.Background()
	db := dynamodb.New(dynamodb.Options{Region: "us-east-1", BaseEndpoint: aws.String(e.URL),
		Credentials: credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", "")})
	if _, err := db.CreateTable(ctx, &dynamodb.CreateTableInput{
		TableName:            aws.String("Products"),
		AttributeDefinitions: []dbtypes.AttributeDefinition{{AttributeName: aws.String("id"), AttributeType: dbtypes.ScalarAttributeTypeS}},
		KeySchema:            []dbtypes.KeySchemaElement{{AttributeName: aws.String("id"), KeyType: dbtypes.KeyTypeHash}},
		BillingMode:          dbtypes.BillingModePayPerRequest,
	}); err != nil {
		t.Fatal(err)
	}
	item := map[string]dbtypes.AttributeValue{
		"id":   &dbtypes.AttributeValueMemberS{Value: "p1"},
		"name": &dbtypes.AttributeValueMemberS{Value: "Goldfish"},
	}
	if _, err := db.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("Products"), Item: item}); err != nil {
		t.Fatal(err)
	}
	out, err := db.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String("Products"),
		Key: map[string]dbtypes.AttributeValue{"id": &dbtypes.AttributeValueMemberS{Value: "p1"}}})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(item, out.Item, cmpopts.IgnoreUnexported(dbtypes.AttributeValueMemberS{})); diff != "" {
		t.Errorf("GetItem (-want +got):\n%s", diff)
	}
}

func TestEndpointRouting(t *testing.T) {
	e := emulatortest.New(t, nil)
	tests := []struct {
		name       string
		method     string
		path       string
		header     map[string]string
		wantStatus int
		wantBody   string
	}{
		{"unknown target", "POST", "/", map[string]string{"X-Amz-Target": "Kinesis_20131202.PutRecord"}, 400, "UnknownOperationException"},
		{"no target", "POST", "/", nil, 400, "UnknownOperationException"},
		{"cognito", "POST", "/", map[string]string{"X-Amz-Target": "AWSCognitoIdentityProviderService.GetUser", "Content-Type": "application/x-amz-json-1.1"}, 400, "InvalidParameterException"},
		{"lambda", "POST", "/2015-03-31/functions/nope/invocations", nil, 404, "Function not found"},
		{"preflight", "OPTIONS", "/", map[string]string{"Origin": "http://127.0.0.1:3000", "Access-Control-Request-Method": "POST"}, 204, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			body := strings.NewReader("{}")
			req, _ := http.NewRequest(tc.method, e.URL+tc.path, body)
			for k, v := range tc.header {
				req.Header.Set(k, v)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tc.wantStatus || !strings.Contains(string(b), tc.wantBody) {
				t.Errorf("%s %s = %d %s, want %d and %q", tc.method, tc.path, resp.StatusCode, b, tc.wantStatus, tc.wantBody)
			}
		})
	}
}

func TestCloseStopsServing(t *testing.T) {
	e, err := emulator.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	api, err := e.NewAPI(localgateway.Config{Routes: []localgateway.Route{
		{Key: "$default", Integration: localgateway.HTTPProxy{URL: "http://127.0.0.1:1"}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	for _, u := range []string{e.URL, api.URL} {
		if resp, err := http.Get(u); err == nil {
			resp.Body.Close()
			t.Errorf("GET %s after Close succeeded", u)
		}
	}
}

func TestNewAPIRefusesBadConfig(t *testing.T) {
	e := emulatortest.New(t, nil)
	_, err := e.NewAPI(localgateway.Config{Routes: []localgateway.Route{{Key: "FETCH /x", Integration: localgateway.Lambda{Function: "f"}}}})
	if err == nil || !strings.Contains(err.Error(), "FETCH") {
		t.Errorf("NewAPI with method FETCH: err = %v, want an error naming it", err)
	}
}

// TestRESTCognitoEndToEnd puts a function behind a REST API's Cognito user
// pool authorizer, with tokens from the emulator's own user pool.
func TestRESTCognitoEndToEnd(t *testing.T) {
	e, _ := newSplit(t)
	ctx := context.Background()
	idp := cip.New(cip.Options{Region: "us-east-1", BaseEndpoint: aws.String(e.URL), Credentials: aws.AnonymousCredentials{}})
	if _, err := idp.SignUp(ctx, &cip.SignUpInput{ClientId: aws.String(clientID), Username: aws.String("carol"), Password: aws.String("Corr3ct-Horse!")}); err != nil {
		t.Fatal(err)
	}
	out, err := idp.InitiateAuth(ctx, &cip.InitiateAuthInput{
		AuthFlow: ciptypes.AuthFlowTypeUserPasswordAuth, ClientId: aws.String(clientID),
		AuthParameters: map[string]string{"USERNAME": "carol", "PASSWORD": "Corr3ct-Horse!"},
	})
	if err != nil {
		t.Fatal(err)
	}
	idToken, accessToken := *out.AuthenticationResult.IdToken, *out.AuthenticationResult.AccessToken
	api, err := e.NewAPI(localgateway.Config{
		Kind: localgateway.RESTAPI,
		Authorizers: map[string]localgateway.Authorizer{
			"pool": localgateway.CognitoAuthorizer{Issuers: []string{e.Auth.Issuer(poolID)}},
		},
		Routes: []localgateway.Route{{Key: "GET /me", Integration: localgateway.Lambda{Function: "api"}, Authorizer: "pool"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		token  string
		status int
		body   string
	}{
		{"ID token", idToken, 200, `"username":"carol"`},
		{"access token on a route without scopes", accessToken, 401, `{"message":"Unauthorized"}`},
		{"no token", "", 401, `{"message":"Unauthorized"}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest("GET", api.URL+"/prod/me", nil)
			if tc.token != "" {
				req.Header.Set("Authorization", tc.token)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tc.status || !strings.Contains(string(b), tc.body) {
				t.Errorf("GET /prod/me = %d %s, want %d and a body containing %q", resp.StatusCode, b, tc.status, tc.body)
			}
		})
	}
}
