package emulator_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"time"

	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/faasport/faasport/adapter"
	"github.com/faasport/faasport/emulator"
	"github.com/faasport/faasport/emulator/localgateway"
	"github.com/faasport/faasport/faas"
)

// Put a function behind a REST API route with IAM authorization, and call
// it signed with a role's credentials, as an AWS SDK would.
func ExampleEmulator_NewAPI_iamAuthorization() {
	const reports = "arn:aws:iam::123456789012:role/reports"
	e, err := emulator.New(&emulator.Options{Roles: map[string][]string{
		reports: {`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"execute-api:Invoke",
			"Resource":"arn:aws:execute-api:us-east-1:123456789012:*/*/GET/reports/*"}]}`},
	}})
	if err != nil {
		panic(err)
	}
	defer e.Close()
	whoami := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, _ := faas.PrincipalFromContext(r.Context())
		fmt.Fprintf(w, "report %s for a role session: %t", r.URL.Path, p != nil && p.Subject != "")
	})
	if err := e.Register(faas.Config{Name: "reports"}, adapter.Wrap(whoami)); err != nil {
		panic(err)
	}
	api, err := e.NewAPI(localgateway.Config{
		Kind:        localgateway.RESTAPI,
		Authorizers: map[string]localgateway.Authorizer{"iam": localgateway.IAMAuthorizer{}},
		Routes: []localgateway.Route{
			{Key: "GET /reports/{id}", Integration: localgateway.Lambda{Function: "reports"}, Authorizer: "iam"},
		},
	})
	if err != nil {
		panic(err)
	}
	creds, err := e.RoleCredentials(reports)
	if err != nil {
		panic(err)
	}

	for _, signed := range []bool{true, false} {
		req, _ := http.NewRequest("GET", api.URL+"/prod/reports/7", nil)
		if signed {
			empty := sha256.Sum256(nil)
			if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, hex.EncodeToString(empty[:]), "execute-api", "us-east-1", time.Now()); err != nil {
				panic(err)
			}
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			panic(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		fmt.Println(resp.StatusCode, string(b))
	}
	// Output:
	// 200 report /reports/7 for a role session: true
	// 403 {"message":"Missing Authentication Token"}
}
