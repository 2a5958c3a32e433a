package localgateway

import (
	"encoding/json"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/faasport/faasport/adapter"
)

// TestJWTOutputJSON checks that the JWT authorizer's output, encoded once
// per token by encodeJWTOutput, puts the same bytes into events as
// adapter.NewEvent writes for the maps it stands for.
func TestJWTOutputJSON(t *testing.T) {
	for _, tc := range []struct {
		name   string
		claims map[string]string
		scopes []string
	}{
		{"none", map[string]string{}, nil},
		{"plain", map[string]string{"sub": "u-1", "aud": "bench", "exp": "1700000000", "cognito:groups": "[admin user]"}, []string{"read", "write"}},
		{"escapes", map[string]string{"name": "<a \"b\"> & \\c\b\f\n\x01\u2028 é \xff", "zz": "", "a\x00b": "x"}, []string{}},
		{"scopes only", nil, []string{"\"q\""}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, sc := encodeJWTOutput(tc.claims, tc.scopes)
			var scopes any
			if tc.scopes != nil {
				scopes = tc.scopes
			}
			claims := tc.claims
			if claims == nil {
				claims = map[string]string{}
				c, _ = encodeJWTOutput(claims, tc.scopes)
			}
			for _, f := range []adapter.Format{adapter.FormatHTTPAPIV2, adapter.FormatHTTPAPIV1, adapter.FormatRESTAPI} {
				plain := map[string]any{"claims": claims, "scopes": scopes}
				raw := map[string]any{"claims": json.RawMessage(c), "scopes": json.RawMessage(sc)}
				if f == adapter.FormatHTTPAPIV2 {
					plain = map[string]any{"jwt": plain}
					jwt := append(append(append(append([]byte(`{"claims":`), c...), `,"scopes":`...), sc...), '}')
					raw = map[string]any{"jwt": json.RawMessage(jwt)}
				}
				want := newEvent(t, f, plain)
				got := newEvent(t, f, raw)
				if string(got) != string(want) {
					t.Errorf("%v: event with encoded output\n%s\nwant\n%s", f, got, want)
				}
				if !json.Valid(got) {
					t.Errorf("%v: event is not JSON: %s", f, got)
				}
			}
		})
	}
}

func newEvent(t *testing.T, f adapter.Format, authz map[string]any) []byte {
	t.Helper()
	r := httptest.NewRequest("GET", "/hello", nil)
	b, err := adapter.NewEvent(r, &adapter.GatewayRequest{Format: f, RequestID: "id", TraceID: "Root=1-00000001-000000000000000000000000", Time: time.Unix(1, 0), Authorizer: authz})
	if err != nil {
		t.Fatal(err)
	}
	return b
}
