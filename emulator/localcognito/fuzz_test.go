package localcognito_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/faasport/faasport/emulator/localcognito"
)

var fuzzTargets = []string{
	"AWSCognitoIdentityProviderService.SignUp",
	"AWSCognitoIdentityProviderService.ConfirmSignUp",
	"AWSCognitoIdentityProviderService.InitiateAuth",
	"AWSCognitoIdentityProviderService.RespondToAuthChallenge",
	"AWSCognitoIdentityProviderService.GetUser",
	"AWSCognitoIdentityProviderService.GlobalSignOut",
	"AWSCognitoIdentityProviderService.RevokeToken",
	"AWSCognitoIdentityProviderService.ChangePassword",
	"AWSCognitoIdentityProviderService.ForgotPassword",
	"AWSCognitoIdentityProviderService.ConfirmForgotPassword",
	"AWSCognitoIdentityProviderService.AdminCreateUser",
	"AWSCognitoIdentityService.GetId",
	"AWSCognitoIdentityService.GetCredentialsForIdentity",
	"AWSCognitoIdentityProviderService.Nope",
}

// FuzzRequest feeds arbitrary bodies to every operation: the service
// never panics, never answers 500, and always answers JSON; errors carry
// a __type and a message.
func FuzzRequest(f *testing.F) {
	seeds := []string{
		`{}`, ``, `null`, `[]`, `"x"`, `{"ClientId":5}`,
		`{"ClientId":"testclient000000000000000a","Username":"u","Password":"Corr3ct-Horse!"}`,
		`{"ClientId":"testclient000000000000000a","AuthFlow":"USER_SRP_AUTH","AuthParameters":{"USERNAME":"u","SRP_A":"ff"}}`,
		`{"ClientId":"testclient000000000000000a","AuthFlow":"USER_PASSWORD_AUTH","AuthParameters":{"USERNAME":"u","PASSWORD":"p"}}`,
		`{"ClientId":"testclient000000000000000a","ChallengeName":"PASSWORD_VERIFIER","ChallengeResponses":{"USERNAME":"u","PASSWORD_CLAIM_SECRET_BLOCK":"x","PASSWORD_CLAIM_SIGNATURE":"%%","TIMESTAMP":"t"}}`,
		`{"AccessToken":"a.b.c"}`, `{"AccessToken":"eyJhbGciOiJub25lIn0.e30."}`,
		`{"IdentityPoolId":"us-east-1:11111111-2222-3333-4444-555555555555","Logins":{"cognito-idp.us-east-1.amazonaws.com/us-east-1_TestPool1":"x"}}`,
		`{"IdentityId":"us-east-1:x"}`, `{"Token":"abc","ClientId":"testclient000000000000000a"}`,
	}
	for i, s := range seeds {
		f.Add(uint8(i), s)
	}
	e := &env{codes: &codeBox{m: map[string]string{}}}
	opts := testOptions(f, nil, e.codes)
	opts.Clock = nil
	svc, err := localcognito.Open("", opts)
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { svc.Close() })
	h := svc.Handler()
	f.Fuzz(func(t *testing.T, op uint8, body string) {
		target := fuzzTargets[int(op)%len(fuzzTargets)]
		r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
		r.Header.Set("X-Amz-Target", target)
		r.Header.Set("Content-Type", "application/x-amz-json-1.1")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != http.StatusOK && w.Code != http.StatusBadRequest {
			t.Fatalf("%s %q: status %d: %s", target, body, w.Code, w.Body)
		}
		var m map[string]any
		if err := json.Unmarshal(w.Body.Bytes(), &m); err != nil {
			t.Fatalf("%s %q: response %q is not a JSON object", target, body, w.Body)
		}
		if w.Code == http.StatusBadRequest && (m["__type"] == "" || m["__type"] == nil || m["message"] == "") {
			t.Fatalf("%s %q: error without __type or message: %s", target, body, w.Body)
		}
	})
}
