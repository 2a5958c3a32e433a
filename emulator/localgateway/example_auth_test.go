package localgateway_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/faasport/faasport/adapter"
	"github.com/faasport/faasport/emulator/localgateway"
	"github.com/faasport/faasport/faas"
	"github.com/faasport/faasport/verify/verifytest"
)

// A REST API route behind a Cognito user pool authorizer: an ID token of
// the pool gets through, and the handler sees its user.
func ExampleCognitoAuthorizer() {
	pool := verifytest.NewIssuer() // stands for a user pool: discovery document, JWKS, signed tokens
	defer pool.Close()
	lam := newLambdaForExample()
	defer lam.Close()
	me := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, _ := faas.PrincipalFromContext(r.Context())
		fmt.Fprintf(w, "hello, %s", p.Username)
	})
	_ = lam.Register(faas.Config{Name: "me"}, adapter.Wrap(me))
	g, err := localgateway.New(localgateway.Config{
		Kind:    localgateway.RESTAPI,
		Invoker: lam,
		Logger:  discardLogger(),
		Authorizers: map[string]localgateway.Authorizer{
			"pool": localgateway.CognitoAuthorizer{Issuers: []string{pool.URL}},
		},
		Routes: []localgateway.Route{{Key: "GET /me", Integration: localgateway.Lambda{Function: "me"}, Authorizer: "pool"}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	srv := newServerForExample(g)
	defer srv.Close()

	idToken := pool.Sign(pool.Claims("gopher", "web-client", time.Now()))
	for _, token := range []string{idToken, "not-a-token"} {
		printGet(srv.URL+"/prod/me", token)
	}
	// Output:
	// 200 hello, gopher
	// 401 {"message":"Unauthorized"}
}

// A REST API route behind a TOKEN Lambda authorizer: the function gets
// the Authorization header's value and answers with an IAM policy.
func ExampleLambdaAuthorizer_token() {
	lam := newLambdaForExample()
	defer lam.Close()
	_ = lam.Register(faas.Config{Name: "authorize"}, faas.FunctionFunc(func(_ context.Context, p []byte) ([]byte, error) {
		var ev struct{ AuthorizationToken, MethodArn string }
		if err := json.Unmarshal(p, &ev); err != nil {
			return nil, err
		}
		if ev.AuthorizationToken != "Bearer let-me-in" {
			return nil, errors.New("Unauthorized") // API Gateway answers 401
		}
		return json.Marshal(map[string]any{
			"principalId": "user-7",
			"policyDocument": map[string]any{"Version": "2012-10-17", "Statement": []any{
				map[string]any{"Effect": "Allow", "Action": "execute-api:Invoke", "Resource": ev.MethodArn}}},
			"context": map[string]any{"plan": "gold"},
		})
	}))
	orders := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, _ := faas.PrincipalFromContext(r.Context())
		fmt.Fprintf(w, "orders of %s", p.Subject)
	})
	_ = lam.Register(faas.Config{Name: "orders"}, adapter.Wrap(orders))
	g, err := localgateway.New(localgateway.Config{
		Kind:    localgateway.RESTAPI,
		Invoker: lam,
		Logger:  discardLogger(),
		Authorizers: map[string]localgateway.Authorizer{
			"token": localgateway.LambdaAuthorizer{Function: "authorize", Type: "TOKEN"},
		},
		Routes: []localgateway.Route{{Key: "GET /orders", Integration: localgateway.Lambda{Function: "orders"}, Authorizer: "token"}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	srv := newServerForExample(g)
	defer srv.Close()
	for _, auth := range []string{"Bearer let-me-in", "Bearer guess"} {
		printGet(srv.URL+"/prod/orders", auth)
	}
	// Output:
	// 200 orders of user-7
	// 401 {"message":"Unauthorized"}
}

// printGet sends GET url with the Authorization header and prints the
// answer's status and body.
func printGet(url, authorization string) {
	req, _ := http.NewRequest("GET", url, nil)
	req.Header.Set("Authorization", authorization)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer resp.Body.Close()
	fmt.Println(resp.StatusCode, readAll(resp.Body))
}
