package emulator_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/faasport/faasport/adapter"
	"github.com/faasport/faasport/emulator"
	"github.com/faasport/faasport/emulator/emulatortest"
	"github.com/faasport/faasport/emulator/localgateway"
	"github.com/faasport/faasport/faas"
	"github.com/faasport/faasport/verify"
)

// TestIAMAuthorizationEndToEnd puts a function behind routes with IAM
// authorization, on a REST API and an HTTP API, and calls them with
// requests signed by the AWS SDK's signer: as the purchase function's
// role, as an identity pool guest, as an administrator, and unsigned.
func TestIAMAuthorizationEndToEnd(t *testing.T) {
	const (
		guestInvoke = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"execute-api:Invoke",
			"Resource":"arn:aws:execute-api:us-east-1:123456789012:*/*/GET/products"}]}`
		purchaseInvoke = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"execute-api:Invoke",
			"Resource":"arn:aws:execute-api:us-east-1:123456789012:*/*/POST/orders"}]}`
	)
	e := emulatortest.New(t, &emulator.Options{
		Admin: verify.StaticCredentials{"AKIAADMIN": {SecretAccessKey: "admin-secret"}},
		Roles: map[string][]string{guestRole: {guestInvoke}, purchaseRole: {purchaseInvoke}},
		Auth:  shopAuth(),
	})
	// The function answers with the caller its handler sees and the
	// identity API Gateway described.
	who := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		out := map[string]string{}
		if p, ok := faas.PrincipalFromContext(r.Context()); ok && p != nil {
			out["subject"] = p.Subject
		}
		if ev, ok := adapter.EventFromContext(r.Context()); ok {
			switch ev.Format {
			case adapter.FormatHTTPAPIV2:
				var v events.APIGatewayV2HTTPRequest
				_ = ev.Decode(&v)
				if a := v.RequestContext.Authorizer; a != nil && a.IAM != nil {
					out["userArn"] = a.IAM.UserARN
				}
			default:
				var v events.APIGatewayProxyRequest
				_ = ev.Decode(&v)
				out["userArn"] = v.RequestContext.Identity.UserArn
				out["identityId"] = v.RequestContext.Identity.CognitoIdentityID
			}
		}
		_ = json.NewEncoder(w).Encode(out)
	})
	if err := e.Register(faas.Config{Name: "who"}, adapter.Wrap(who)); err != nil {
		t.Fatal(err)
	}
	auth := map[string]localgateway.Authorizer{"iam": localgateway.IAMAuthorizer{}}
	routes := []localgateway.Route{
		{Key: "GET /products", Integration: localgateway.Lambda{Function: "who"}, Authorizer: "iam"},
		{Key: "POST /orders", Integration: localgateway.Lambda{Function: "who"}, Authorizer: "iam"},
	}
	rest, err := e.NewAPI(localgateway.Config{Kind: localgateway.RESTAPI, Authorizers: auth, Routes: routes})
	if err != nil {
		t.Fatal(err)
	}
	httpAPI, err := e.NewAPI(localgateway.Config{Authorizers: auth, Routes: routes})
	if err != nil {
		t.Fatal(err)
	}

	purchase, err := e.RoleCredentials(purchaseRole)
	if err != nil {
		t.Fatal(err)
	}
	guest, _ := identityCredentials(t, e, "")
	admin := aws.Credentials{AccessKeyID: "AKIAADMIN", SecretAccessKey: "admin-secret"}
	forged := aws.Credentials{AccessKeyID: "AKIAADMIN", SecretAccessKey: "guessed"}

	call := func(t *testing.T, creds *aws.Credentials, method, url, body string) (int, string, http.Header) {
		t.Helper()
		req, err := http.NewRequest(method, url, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		if creds != nil {
			sum := sha256.Sum256([]byte(body))
			if err := v4.NewSigner().SignHTTP(context.Background(), *creds, req, hex.EncodeToString(sum[:]), "execute-api", "us-east-1", time.Now()); err != nil {
				t.Fatal(err)
			}
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b), resp.Header
	}

	const denied = " is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:123456789012:local/prod/"
	tests := []struct {
		name      string
		creds     *aws.Credentials
		method    string
		url       string
		status    int
		body      string // a substring
		errorType string
	}{
		{"REST, the purchase role orders", &purchase, "POST", rest.URL + "/prod/orders", 200,
			`"userArn":"arn:aws:sts::123456789012:assumed-role/purchase/faasport"`, ""},
		{"REST, a guest reads products", &guest, "GET", rest.URL + "/prod/products", 200, `"identityId":"us-east-1:`, ""},
		{"REST, a guest may not order", &guest, "POST", rest.URL + "/prod/orders", 403,
			`{"Message":"User: arn:aws:sts::123456789012:assumed-role/guest/CognitoIdentityCredentials` + denied + `POST/orders"}`, "AccessDeniedException"},
		{"REST, the purchase role may not read products", &purchase, "GET", rest.URL + "/prod/products", 403,
			`assumed-role/purchase/faasport` + denied + `GET/products"}`, "AccessDeniedException"},
		{"REST, an administrator", &admin, "GET", rest.URL + "/prod/products", 200, `"userArn":"arn:aws:iam::123456789012:root"`, ""},
		{"REST, unsigned", nil, "GET", rest.URL + "/prod/products", 403, `{"message":"Missing Authentication Token"}`, "MissingAuthenticationTokenException"},
		{"REST, a wrong secret", &forged, "GET", rest.URL + "/prod/products", 403,
			`{"message":"The request signature we calculated does not match`, "InvalidSignatureException"},
		{"HTTP API, the purchase role orders", &purchase, "POST", httpAPI.URL + "/orders", 200,
			`"userArn":"arn:aws:sts::123456789012:assumed-role/purchase/faasport"`, ""},
		{"HTTP API, a guest may not order", &guest, "POST", httpAPI.URL + "/orders", 403, `{"message":"Forbidden"}`, ""},
		{"HTTP API, unsigned", nil, "GET", httpAPI.URL + "/products", 403, `{"message":"Forbidden"}`, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			status, body, h := call(t, tc.creds, tc.method, tc.url, `{"petId":"p1"}`)
			if status != tc.status || !strings.Contains(body, tc.body) {
				t.Fatalf("%s %s = %d %s, want %d and a body containing %s", tc.method, tc.url, status, body, tc.status, tc.body)
			}
			if got := h.Get("X-Amzn-Errortype"); got != tc.errorType {
				t.Errorf("x-amzn-ErrorType %q, want %q", got, tc.errorType)
			}
		})
	}
}
