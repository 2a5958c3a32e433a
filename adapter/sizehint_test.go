package adapter

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// TestSizeHint checks that NewEvent's first allocation holds the whole
// event, in every format, and is not much larger: an event that outgrows
// it is copied into a buffer twice the size.
func TestSizeHint(t *testing.T) {
	formats := []Format{FormatHTTPAPIV2, FormatFunctionURL, FormatRESTAPI, FormatHTTPAPIV1,
		FormatALB, FormatALBMultiValue, FormatVPCLatticeV2}
	identity := &IAMIdentity{
		AccessKey: "ASIAGUEST", AccountID: "123456789012", UserID: "AROAGUEST:CognitoIdentityCredentials",
		UserARN:                       "arn:aws:sts::123456789012:assumed-role/guest/CognitoIdentityCredentials",
		CognitoIdentityID:             "us-east-1:11111111-2222-3333-4444-555555555555",
		CognitoIdentityPoolID:         "us-east-1:00000000-0000-4000-8000-000000000001",
		CognitoAuthenticationType:     "authenticated",
		CognitoAuthenticationProvider: "cognito-idp.us-east-1.amazonaws.com/us-east-1_abc,cognito-idp.us-east-1.amazonaws.com/us-east-1_abc:CognitoSignIn:sub",
		CognitoAMR:                    []string{"authenticated", "cognito-idp.us-east-1.amazonaws.com/us-east-1_abc"},
	}
	tests := []struct {
		name string
		req  func() *http.Request
		g    GatewayRequest
	}{
		{name: "a bare GET", req: func() *http.Request { return httptest.NewRequest("GET", "http://h/", nil) }},
		{name: "a browser's GET with a query and cookies", req: func() *http.Request {
			r := httptest.NewRequest("GET", "https://api.example.com/pets/7/photos?size=large&size=small&sort=desc&q=%C3%A9t%C3%A9", nil)
			r.Header.Set("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36")
			r.Header.Set("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
			r.Header.Set("Accept-Language", "en-GB,en;q=0.9")
			r.Header.Add("Cookie", "session=abc; theme=dark")
			r.Header.Add("Cookie", "tracking=no")
			r.Header.Set("Authorization", "Bearer "+strings.Repeat("x", 800))
			return r
		}, g: GatewayRequest{
			Stage: "prod", RouteKey: "GET /pets/{id}/{proxy+}", Resource: "/pets/{id}/{proxy+}",
			RequestID: "Ab3dEfGhIjKlMnO=", AccountID: "123456789012", APIID: "a1b2c3d4e5", Region: "eu-west-1",
			TraceID:        "Root=1-5e1b4151-5ac6c58f3e9f5b0a1b2c3d4e",
			PathParameters: map[string]string{"id": "7", "proxy": "photos"},
			StageVariables: map[string]string{"backend": "http://127.0.0.1:8080", "mode": "split"},
			Authorizer:     map[string]any{"jwt": json.RawMessage(`{"claims":{"sub":"bench-user","aud":"bench","exp":"1764177363"},"scopes":["read","write"]}`)},
		}},
		{name: "a JSON POST with a Lambda authorizer's context", req: func() *http.Request {
			r := httptest.NewRequest("POST", "http://127.0.0.1:4566/orders", strings.NewReader(`{"product":"p-1","quantity":2,"note":"`+strings.Repeat("é", 300)+`"}`))
			r.Header.Set("Content-Type", "application/json")
			return r
		}, g: GatewayRequest{Authorizer: map[string]any{"lambda": map[string]any{"user": "alice", "tier": 3.0, "admin": false, "groups": []any{"a", "b"}}}}},
		{name: "a binary PUT from a signed caller", req: func() *http.Request {
			r := httptest.NewRequest("PUT", "http://127.0.0.1:4566/photos/7", strings.NewReader(strings.Repeat("\x89PNG\x00\xff", 500)))
			r.Header.Set("Content-Type", "image/png")
			return r
		}, g: GatewayRequest{Identity: identity, BinaryMediaTypes: []string{"image/*"}}},
	}
	for _, tc := range tests {
		for _, f := range formats {
			if tc.g.Identity != nil && f != FormatRESTAPI && f != FormatHTTPAPIV1 && f != FormatHTTPAPIV2 {
				continue
			}
			t.Run(tc.name+"/"+f.String(), func(t *testing.T) {
				r := tc.req()
				g := tc.g
				g.Format = f
				g.Time = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
				out, err := NewEvent(r, &g)
				if err != nil {
					t.Fatal(err)
				}
				r = tc.req()
				body, _ := io.ReadAll(r.Body)
				hint := (&eventBuilder{r: r, g: &g, body: body}).sizeHint()
				if len(out) > hint {
					t.Errorf("event of %d bytes, over the hint of %d: allocated twice", len(out), hint)
				}
				if slack := hint - len(out); slack > 1024 && slack > len(out)/2 {
					t.Errorf("hint of %d bytes for an event of %d", hint, len(out))
				}
			})
		}
	}
}
