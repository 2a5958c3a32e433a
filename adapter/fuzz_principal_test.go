package adapter_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/faasport/faasport/adapter"
	"github.com/faasport/faasport/faas"
)

// callerFormats are the event formats FuzzPrincipal builds, from the
// base events of adapter_test.go. ALBs and VPC Lattice pass no authorizer
// output, so their events get none.
var callerFormats = []struct {
	format     adapter.Format
	base       string
	authorizer bool
}{
	{adapter.FormatRESTAPI, restBase, true},
	{adapter.FormatHTTPAPIV1, httpV1Base, true},
	{adapter.FormatHTTPAPIV2, httpV2Base, true},
	{adapter.FormatFunctionURL, urlBase, true},
	{adapter.FormatALB, albBase, false},
	{adapter.FormatVPCLatticeV2, latticeBase, false},
}

// clientParts are the parts of a request its client controls, which
// callerEvent puts in an event in the shape of its format.
type clientParts struct {
	headerName, headerValue string // headerValue also goes in every spoofHeaders name, and a cookie
	query                   string // a value of the parameters "sub", "principalId" and "claims"
	body                    string
}

// callerEvent returns an event of callerFormats[fi] whose
// requestContext.authorizer is the JSON text authz ("" for none) and, for
// the REST API and HTTP API 1.0 formats, whose requestContext.identity is
// the JSON text identity ("" for the base event's), carrying the client's
// parts c.
func callerEvent(t testing.TB, fi int, authz, identity string, c clientParts) []byte {
	t.Helper()
	cf := callerFormats[fi]
	var ev map[string]any
	if err := json.Unmarshal([]byte(cf.base), &ev); err != nil {
		t.Fatal(err)
	}
	rc := ev["requestContext"].(map[string]any)
	if authz != "" {
		rc["authorizer"] = json.RawMessage(authz)
	}
	v1 := cf.format == adapter.FormatRESTAPI || cf.format == adapter.FormatHTTPAPIV1
	if identity != "" && v1 {
		rc["identity"] = json.RawMessage(identity)
	}

	single, multi := map[string]any{}, map[string]any{}
	if h, ok := ev["headers"].(map[string]any); ok {
		single = h
	}
	if h, ok := ev["multiValueHeaders"].(map[string]any); ok {
		multi = h
	}
	setHeader := func(name string) {
		if cf.format == adapter.FormatHTTPAPIV2 || cf.format == adapter.FormatFunctionURL || cf.format == adapter.FormatALB {
			name = strings.ToLower(name) // as these sources send names
		}
		switch cf.format {
		case adapter.FormatVPCLatticeV2:
			single[name] = []string{c.headerValue}
		default:
			single[name] = c.headerValue
			multi[name] = []string{c.headerValue}
		}
	}
	if c.headerValue != "" {
		for name := range spoofHeaders {
			setHeader(name)
		}
		if c.headerName != "" {
			setHeader(c.headerName)
		}
	}
	ev["headers"] = single
	if v1 {
		ev["multiValueHeaders"] = multi
	}

	if c.query != "" {
		names := []string{"sub", "principalId", "claims"}
		q, mq, raw := map[string]any{}, map[string]any{}, url.Values{}
		for _, n := range names {
			v := c.query
			if cf.format == adapter.FormatALB {
				v = url.QueryEscape(v) // ALBs pass parameters as sent
			}
			q[n], mq[n] = v, []string{v}
			raw.Set(n, c.query)
		}
		switch cf.format {
		case adapter.FormatHTTPAPIV2, adapter.FormatFunctionURL:
			ev["rawQueryString"] = raw.Encode()
			ev["queryStringParameters"] = q
		case adapter.FormatVPCLatticeV2:
			ev["queryStringParameters"] = mq
		case adapter.FormatALB:
			ev["queryStringParameters"] = q
		default:
			ev["queryStringParameters"] = q
			ev["multiValueQueryStringParameters"] = mq
		}
	}
	if c.headerValue != "" && (cf.format == adapter.FormatHTTPAPIV2 || cf.format == adapter.FormatFunctionURL) {
		ev["cookies"] = []string{"session=" + c.headerValue}
	}
	if c.body != "" {
		ev["body"] = c.body
	}
	b, err := json.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// callerSeen is what a handler saw of its caller and invocation.
type callerSeen struct {
	ran   bool
	p     *faas.Principal
	inv   *faas.Invocation
	invOK bool
}

// callerHandler records in *got the caller and invocation of its
// request, after reading the request whole, as a handler would.
func callerHandler(got *callerSeen) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.ReadAll(r.Body)
		_ = r.ParseForm()
		_ = r.Cookies()
		got.ran = true
		got.p, _ = faas.PrincipalFromContext(r.Context())
		got.inv, got.invOK = faas.FromContext(r.Context())
		io.WriteString(w, "ok")
	})
}

// The parents FuzzPrincipal serves requests under: none, aws-lambda-go's
// lambdacontext, and a runtime's faas.Invocation (as the emulator's).
const (
	parentNone = iota
	parentLambdaContext
	parentInvocation
	numParents
)

// callerParent returns a context of kind k, and the faas.Invocation it
// carries, if any.
func callerParent(k int) (context.Context, *faas.Invocation) {
	switch k {
	case parentLambdaContext:
		return lambdacontext.NewContext(context.Background(), &lambdacontext.LambdaContext{AwsRequestID: "lc-request"}), nil
	case parentInvocation:
		inv := &faas.Invocation{RequestID: "runtime-request", FunctionName: "fn"}
		return faas.WithInvocation(context.Background(), inv), inv
	}
	return context.Background(), nil
}

// checkInvocation checks that faas.FromContext agrees with
// faas.PrincipalFromContext under a parent of kind k.
func checkInvocation(t *testing.T, entry string, k int, parent *faas.Invocation, got callerSeen) {
	t.Helper()
	switch k {
	case parentNone:
		if got.invOK {
			t.Errorf("%s: faas.FromContext = %+v, want none without a runtime", entry, got.inv)
		}
	case parentLambdaContext:
		if !got.invOK || got.inv.RequestID != "lc-request" || got.inv.Principal != got.p {
			t.Errorf("%s: faas.FromContext = %+v, %v; want request lc-request and Principal %p (PrincipalFromContext's)", entry, got.inv, got.invOK, got.p)
		}
	case parentInvocation:
		switch {
		case !got.invOK:
			t.Errorf("%s: faas.FromContext found no invocation under the runtime's", entry)
		case got.p == nil && got.inv != parent:
			t.Errorf("%s: faas.FromContext = %+v, want the runtime's own %+v for an anonymous request", entry, got.inv, parent)
		case got.p != nil && (got.inv.Principal != got.p || got.inv.RequestID != parent.RequestID || got.inv.FunctionName != parent.FunctionName):
			t.Errorf("%s: faas.FromContext = %+v, want the runtime's with Principal %p (PrincipalFromContext's)", entry, got.inv, got.p)
		}
		if parent.Principal != nil {
			t.Errorf("%s: the runtime's Invocation was changed: Principal = %+v", entry, parent.Principal)
		}
	}
}

// wantCaller is the caller of an event of format f as AWS documents each
// source's authorizer output, read here apart from the adapter: authz is
// requestContext.authorizer and identity requestContext.identity, as
// encoding/json decodes them (nil when absent). documented is false for
// an authorizer output no AWS source sends, of which the adapter's
// reading is its own choice and not compared.
//
//   - No authorizer output (absent, null or {}): REST requests signed with
//     IAM credentials name the caller in identity: its Cognito identity
//     (cognitoIdentityId), else its IAM user (user, with userArn).
//   - HTTP API payload 2.0 and function URLs: the output sits under the
//     authorizer's kind, exactly one of {"jwt": {"claims", "scopes"}},
//     {"lambda": context} or {"iam": {... "userId", "cognitoIdentity"}}.
//     A JWT's scopes are offered as the claim "scopes" when the token
//     carries no "scope" claim of its own.
//   - REST APIs and HTTP API payload 1.0: {"claims": {...}} from a Cognito
//     user pool (or JWT) authorizer; otherwise a Lambda authorizer's
//     context, flattened beside its principalId. A Lambda authorizer's
//     context holds only strings, numbers and booleans, so a "claims"
//     member that is not an object (a JSON string of claims) is one more
//     context value, not claims.
//
// The subject is the claim "sub", else the IAM caller's Cognito identity
// or user id, else the authorizer's principalId. The username is
// "cognito:username", else "username". The groups are "cognito:groups"
// (see wantGroups).
func wantCaller(f adapter.Format, authz any, identity map[string]any) (want *faas.Principal, documented bool) {
	a, isObject := authz.(map[string]any)
	switch {
	case authz == nil || isObject && len(a) == 0:
		return identityCaller(identity)
	case !isObject:
		return nil, false
	}
	principalID, _ := a["principalId"].(string)
	var kinds []string
	for _, k := range []string{"jwt", "lambda", "iam"} {
		if _, ok := a[k].(map[string]any); ok {
			kinds = append(kinds, k)
		}
	}
	if f != adapter.FormatHTTPAPIV2 && f != adapter.FormatFunctionURL {
		if len(kinds) > 0 {
			return nil, false // payload 2.0's shapes in a 1.0 event
		}
		if claims, ok := a["claims"].(map[string]any); ok {
			return claimsCaller(claims, principalID), true
		}
		return claimsCaller(a, principalID), true
	}
	if len(kinds) != 1 {
		return nil, false
	}
	switch out := a[kinds[0]].(map[string]any); kinds[0] {
	case "jwt":
		claims := map[string]any{}
		if c := out["claims"]; c != nil {
			m, ok := c.(map[string]any)
			if !ok {
				return nil, false
			}
			claims = m
		}
		if sc := out["scopes"]; sc != nil {
			list, ok := sc.([]any)
			if !ok || !allStrings(list) {
				return nil, false
			}
			if _, ok := claims["scope"]; !ok {
				claims = maps.Clone(claims)
				claims["scopes"] = sc
			}
		}
		return claimsCaller(claims, principalID), true
	case "iam":
		sub, _ := out["userId"].(string)
		if ci, ok := out["cognitoIdentity"].(map[string]any); ok {
			if id, _ := ci["identityId"].(string); id != "" {
				sub = id
			}
		}
		if sub == "" {
			sub = principalID
		}
		return claimsCaller(out, sub), true
	default:
		return claimsCaller(out, principalID), true
	}
}

// restIdentityMembers are the string members AWS documents for a REST
// API request's requestContext.identity.
var restIdentityMembers = []string{
	"cognitoIdentityPoolId", "accountId", "cognitoIdentityId", "caller", "sourceIp", "principalOrgId",
	"accessKey", "cognitoAuthenticationType", "cognitoAuthenticationProvider", "userArn", "userAgent",
	"user", "apiKey", "apiKeyId", "vpcId", "vpceId",
}

// identityCaller is the caller an IAM-signed REST request names in its
// identity, or none; its claims are the identity's non-empty strings but
// the client's address. (VPC Lattice's identity is not read here: the
// events built carry none that names a caller.)
func identityCaller(identity map[string]any) (*faas.Principal, bool) {
	claims := map[string]any{}
	for k, v := range identity {
		s, ok := v.(string)
		if !ok || s == "" {
			continue
		}
		if !containsString(restIdentityMembers, k) && k != "sourceVpcArn" {
			return nil, false
		}
		if k != "sourceIp" {
			claims[k] = s
		}
	}
	switch {
	case claims["cognitoIdentityId"] != nil:
		return claimsCaller(claims, claims["cognitoIdentityId"].(string)), true
	case claims["userArn"] != nil:
		user, _ := claims["user"].(string)
		return claimsCaller(claims, user), true
	}
	return nil, true
}

// claimsCaller is the caller claims describe, with fallback as its
// subject when they carry no "sub".
func claimsCaller(claims map[string]any, fallback string) *faas.Principal {
	p := &faas.Principal{Subject: fallback, Claims: claims}
	if sub, ok := claims["sub"].(string); ok && sub != "" {
		p.Subject = sub
	}
	if u, ok := claims["cognito:username"].(string); ok {
		p.Username = u
	} else if u, ok := claims["username"].(string); ok {
		p.Username = u
	}
	p.Groups = wantGroups(claims["cognito:groups"])
	return p
}

// wantGroups reads Cognito's cognito:groups claim, a list of group names
// (which hold no white space), as it reaches a function: the list itself
// (a Lambda authorizer's context, a test), its non-empty strings; or a
// string: a JSON array of strings (a list a Lambda authorizer
// stringified); HTTP APIs' rendering of a list, "[admin user]"; or, as
// REST APIs pass it, the names comma-separated. A bracketed string that is
// a JSON array of anything but strings is HTTP APIs' rendering: "[2024]"
// is the group "2024", "[null]" the group "null".
func wantGroups(v any) []string {
	var out []string
	switch v := v.(type) {
	case []any:
		for _, g := range v {
			if s, ok := g.(string); ok && s != "" {
				out = append(out, s)
			}
		}
	case string:
		s := strings.TrimSpace(v)
		if len(s) >= 2 && s[0] == '[' && s[len(s)-1] == ']' {
			var list []any
			if json.Unmarshal([]byte(s), &list) == nil && allStrings(list) {
				return wantGroups(list)
			}
			return strings.Fields(s[1 : len(s)-1])
		}
		for _, g := range strings.Split(s, ",") {
			if g = strings.TrimSpace(g); g != "" {
				out = append(out, g)
			}
		}
	}
	return out
}

func allStrings(list []any) bool {
	for _, v := range list {
		if _, ok := v.(string); !ok {
			return false
		}
	}
	return true
}

func containsString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// typedCarries reports whether the aws-lambda-go event type of format f
// carries the authorizer output authz and the identity as the payload
// does, so that a Serve method given the decoded event can name the same
// caller as Invoke given the payload; why not, if not.
func typedCarries(f adapter.Format, authz any, identity map[string]any) (ok bool, why string) {
	a, _ := authz.(map[string]any)
	switch f {
	case adapter.FormatRESTAPI, adapter.FormatHTTPAPIV1:
		// The authorizer is a map[string]any; the identity a struct of
		// some of the members AWS documents.
		if len(a) > 0 {
			return true, ""
		}
		for k, v := range identity {
			if s, ok := v.(string); ok && s != "" && !containsString(proxyIdentityMembers, k) {
				return false, fmt.Sprintf("events.APIGatewayRequestIdentity has no member %q", k)
			}
		}
		return true, ""
	case adapter.FormatHTTPAPIV2:
		for k, v := range a {
			out, isObject := v.(map[string]any)
			switch {
			case !isObject:
				return false, fmt.Sprintf("authorizer member %q is not an object", k)
			case k == "jwt":
				for k, v := range out {
					if k != "claims" && k != "scopes" {
						return false, fmt.Sprintf("jwt member %q", k)
					}
					if !stringsOrNull(v, k == "claims") {
						return false, fmt.Sprintf("jwt %s holds more than strings", k)
					}
				}
			case k == "iam":
				var iam events.APIGatewayV2HTTPRequestContextAuthorizerIAMDescription
				b, _ := json.Marshal(out)
				if json.Unmarshal(b, &iam) != nil || !cmp.Equal(out, v2IAMAsSent(&iam)) {
					return false, "iam is not in the shape AWS sends"
				}
			case k != "lambda":
				return false, fmt.Sprintf("authorizer member %q", k)
			}
		}
		return true, ""
	case adapter.FormatFunctionURL:
		if len(a) == 0 {
			return true, ""
		}
		iam, _ := a["iam"].(map[string]any)
		if len(a) != 1 || len(iam) != 5 {
			return false, "a function URL's authorizer holds only iam's five members"
		}
		for _, k := range []string{"accessKey", "accountId", "callerId", "userArn", "userId"} {
			if _, ok := iam[k].(string); !ok {
				return false, fmt.Sprintf("iam member %q is not a string", k)
			}
		}
		return true, ""
	}
	return false, "no authorizer"
}

// proxyIdentityMembers are the string members of
// events.APIGatewayRequestIdentity.
var proxyIdentityMembers = []string{
	"cognitoIdentityPoolId", "accountId", "cognitoIdentityId", "caller", "apiKey", "apiKeyId", "accessKey",
	"sourceIp", "cognitoAuthenticationType", "cognitoAuthenticationProvider", "userArn", "userAgent", "user",
}

// stringsOrNull reports whether v is null, or an object (object) or array
// of strings.
func stringsOrNull(v any, object bool) bool {
	switch v := v.(type) {
	case nil:
		return true
	case map[string]any:
		if !object {
			return false
		}
		for _, e := range v {
			if _, ok := e.(string); !ok {
				return false
			}
		}
		return true
	case []any:
		return !object && allStrings(v)
	}
	return false
}

// v2IAMAsSent is an HTTP API IAM caller as payload 2.0 carries it: every
// member present, null for an absent principalOrgId or cognitoIdentity.
func v2IAMAsSent(iam *events.APIGatewayV2HTTPRequestContextAuthorizerIAMDescription) map[string]any {
	m := map[string]any{
		"accessKey": iam.AccessKey, "accountId": iam.AccountID, "callerId": iam.CallerID,
		"principalOrgId": nil, "userArn": iam.UserARN, "userId": iam.UserID, "cognitoIdentity": nil,
	}
	if iam.PrincipalOrgID != "" {
		m["principalOrgId"] = iam.PrincipalOrgID
	}
	if ci := iam.CognitoIdentity; ci.IdentityID != "" || ci.IdentityPoolID != "" || len(ci.AMR) > 0 {
		amr := []any{}
		for _, s := range ci.AMR {
			amr = append(amr, s)
		}
		m["cognitoIdentity"] = map[string]any{"amr": amr, "identityId": ci.IdentityID, "identityPoolId": ci.IdentityPoolID}
	}
	return m
}

// callerCases are events whose caller is known, from AWS's documentation
// and samples. They seed FuzzPrincipal, which holds wantCaller to the
// adapter on events like them.
var callerCases = []struct {
	name     string
	format   adapter.Format
	authz    string // requestContext.authorizer; "" for none
	identity string // requestContext.identity (REST, HTTP API 1.0); "" for the base event's
	want     *faas.Principal
}{
	{
		name:   "rest cognito user pool",
		format: adapter.FormatRESTAPI,
		authz:  `{"claims":{"sub":"s-1","cognito:username":"alice","cognito:groups":"admin,staff","email_verified":"true"}}`,
		want: &faas.Principal{Subject: "s-1", Username: "alice", Groups: []string{"admin", "staff"},
			Claims: map[string]any{"sub": "s-1", "cognito:username": "alice", "cognito:groups": "admin,staff", "email_verified": "true"}},
	},
	{
		name:   "rest cognito groups as list",
		format: adapter.FormatRESTAPI,
		authz:  `{"claims":{"sub":"s-1","cognito:groups":["admin","staff"]}}`,
		want: &faas.Principal{Subject: "s-1", Groups: []string{"admin", "staff"},
			Claims: map[string]any{"sub": "s-1", "cognito:groups": []any{"admin", "staff"}}},
	},
	{
		name:   "rest cognito groups bracketed",
		format: adapter.FormatRESTAPI,
		authz:  `{"claims":{"sub":"s-1","cognito:groups":"[admin staff]"}}`,
		want: &faas.Principal{Subject: "s-1", Groups: []string{"admin", "staff"},
			Claims: map[string]any{"sub": "s-1", "cognito:groups": "[admin staff]"}},
	},
	{
		name:   "rest claims as a JSON string",
		format: adapter.FormatRESTAPI,
		authz:  `{"principalId":"u-9","claims":"{\"sub\":\"s-1\",\"cognito:groups\":[\"admin\"]}","integrationLatency":12}`,
		want: &faas.Principal{Subject: "u-9",
			Claims: map[string]any{"principalId": "u-9", "claims": `{"sub":"s-1","cognito:groups":["admin"]}`, "integrationLatency": 12.0}},
	},
	{
		name:   "rest lambda authorizer context",
		format: adapter.FormatRESTAPI,
		authz:  `{"principalId":"user|42","cognito:groups":"[\"pet owners\",\"staff\"]","tier":3,"beta":true}`,
		want: &faas.Principal{Subject: "user|42", Groups: []string{"pet owners", "staff"},
			Claims: map[string]any{"principalId": "user|42", "cognito:groups": `["pet owners","staff"]`, "tier": 3.0, "beta": true}},
	},
	{
		name:     "rest iam caller",
		format:   adapter.FormatRESTAPI,
		identity: `{"sourceIp":"203.0.113.7","userArn":"arn:aws:iam::123456789012:user/dave","user":"AIDAEXAMPLE","accountId":"123456789012"}`,
		want: &faas.Principal{Subject: "AIDAEXAMPLE",
			Claims: map[string]any{"userArn": "arn:aws:iam::123456789012:user/dave", "user": "AIDAEXAMPLE", "accountId": "123456789012"}},
	},
	{
		name:     "rest authorizer wins over identity",
		format:   adapter.FormatRESTAPI,
		authz:    `{"claims":{"sub":"s-1"}}`,
		identity: `{"sourceIp":"203.0.113.7","cognitoIdentityId":"us-east-1:id"}`,
		want:     &faas.Principal{Subject: "s-1", Claims: map[string]any{"sub": "s-1"}},
	},
	{
		name:   "http api 1.0 jwt claims",
		format: adapter.FormatHTTPAPIV1,
		authz:  `{"claims":{"sub":"s-2","username":"bob","cognito:groups":"[readers]"},"scopes":null}`,
		want: &faas.Principal{Subject: "s-2", Username: "bob", Groups: []string{"readers"},
			Claims: map[string]any{"sub": "s-2", "username": "bob", "cognito:groups": "[readers]"}},
	},
	{
		name:   "http api 2.0 jwt",
		format: adapter.FormatHTTPAPIV2,
		authz:  `{"jwt":{"claims":{"sub":"s-3","cognito:username":"carol","cognito:groups":"[admin user]","exp":"1700000000"},"scopes":null}}`,
		want: &faas.Principal{Subject: "s-3", Username: "carol", Groups: []string{"admin", "user"},
			Claims: map[string]any{"sub": "s-3", "cognito:username": "carol", "cognito:groups": "[admin user]", "exp": "1700000000"}},
	},
	{
		name:   "http api 2.0 jwt scopes",
		format: adapter.FormatHTTPAPIV2,
		authz:  `{"jwt":{"claims":{"sub":"s-4","client_id":"c"},"scopes":["pets/read","pets/write"]}}`,
		want: &faas.Principal{Subject: "s-4",
			Claims: map[string]any{"sub": "s-4", "client_id": "c", "scopes": []any{"pets/read", "pets/write"}}},
	},
	{
		name:   "http api 2.0 jwt scope claim",
		format: adapter.FormatHTTPAPIV2,
		authz:  `{"jwt":{"claims":{"sub":"s-4","scope":"pets/read"},"scopes":["pets/read"]}}`,
		want:   &faas.Principal{Subject: "s-4", Claims: map[string]any{"sub": "s-4", "scope": "pets/read"}},
	},
	{
		name:   "http api 2.0 lambda authorizer",
		format: adapter.FormatHTTPAPIV2,
		authz:  `{"lambda":{"sub":"u-7","username":"dan","cognito:groups":["ops"],"tier":3}}`,
		want: &faas.Principal{Subject: "u-7", Username: "dan", Groups: []string{"ops"},
			Claims: map[string]any{"sub": "u-7", "username": "dan", "cognito:groups": []any{"ops"}, "tier": 3.0}},
	},
	{
		name:   "http api 2.0 lambda authorizer with principalId",
		format: adapter.FormatHTTPAPIV2,
		authz:  `{"lambda":{"tenant":"t1"},"principalId":"u-8"}`,
		want:   &faas.Principal{Subject: "u-8", Claims: map[string]any{"tenant": "t1"}},
	},
	{
		name:   "http api 2.0 iam",
		format: adapter.FormatHTTPAPIV2,
		authz: `{"iam":{"accessKey":"AKIA","accountId":"1","callerId":"AIDA","cognitoIdentity":null,` +
			`"principalOrgId":null,"userArn":"arn:aws:iam::1:user/u","userId":"AIDA"}}`,
		want: &faas.Principal{Subject: "AIDA", Claims: map[string]any{
			"accessKey": "AKIA", "accountId": "1", "callerId": "AIDA", "cognitoIdentity": nil,
			"principalOrgId": nil, "userArn": "arn:aws:iam::1:user/u", "userId": "AIDA"}},
	},
	{
		name:   "function url iam",
		format: adapter.FormatFunctionURL,
		authz:  `{"iam":{"accessKey":"AKIA","accountId":"1","callerId":"AIDA","userArn":"arn:aws:iam::1:user/u","userId":"AIDA"}}`,
		want: &faas.Principal{Subject: "AIDA", Claims: map[string]any{
			"accessKey": "AKIA", "accountId": "1", "callerId": "AIDA", "userArn": "arn:aws:iam::1:user/u", "userId": "AIDA"}},
	},
	{name: "rest none", format: adapter.FormatRESTAPI},
	{name: "rest empty authorizer", format: adapter.FormatRESTAPI, authz: `{}`},
	{name: "http api 2.0 null authorizer", format: adapter.FormatHTTPAPIV2, authz: `null`},
	{name: "alb", format: adapter.FormatALB},
	{name: "vpc lattice", format: adapter.FormatVPCLatticeV2},
}

// callerFormatIndex is the index in callerFormats of f.
func callerFormatIndex(t testing.TB, f adapter.Format) int {
	for i, cf := range callerFormats {
		if cf.format == f {
			return i
		}
	}
	t.Fatalf("no caller format %v", f)
	return -1
}

// TestCallerCases checks wantCaller, and the adapter through Invoke and
// each Serve and Stream method, on callerCases.
func TestCallerCases(t *testing.T) {
	for _, tc := range callerCases {
		t.Run(tc.name, func(t *testing.T) {
			fi := callerFormatIndex(t, tc.format)
			authz, identity := decodeCallerParts(t, fi, tc.authz, tc.identity)
			ref, documented := wantCaller(tc.format, authz, identity)
			if !documented {
				t.Fatalf("wantCaller: %s is not a documented authorizer output", tc.authz)
			}
			if diff := cmp.Diff(tc.want, ref, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("wantCaller (-want +got):\n%s", diff)
			}
			payload := callerEvent(t, fi, tc.authz, tc.identity, clientParts{})
			entries := append([]typedCallerEntry{{"Invoke", func(h *adapter.Handler, ctx context.Context, payload []byte) error {
				_, err := h.Invoke(ctx, payload)
				return err
			}}}, typedCallerEntries[tc.format]...)
			if ok, why := typedCarries(tc.format, authz, identity); !ok && len(entries) > 1 {
				t.Logf("Invoke only: the aws-lambda-go type does not carry the event's authorizer output: %s", why)
				entries = entries[:1]
			}
			for _, entry := range entries {
				var got callerSeen
				h := adapter.Wrap(callerHandler(&got), testLogger(t))
				if err := entry.call(h, context.Background(), payload); err != nil || !got.ran {
					t.Fatalf("%s: %v; the handler ran: %v", entry.name, err, got.ran)
				}
				if diff := cmp.Diff(tc.want, got.p, cmpopts.EquateEmpty()); diff != "" {
					t.Errorf("%s: caller (-want +got):\n%s", entry.name, diff)
				}
			}
		})
	}
}

// decodeCallerParts decodes the authorizer output and identity an event
// of callerFormats[fi] built with them carries.
func decodeCallerParts(t testing.TB, fi int, authz, identity string) (a any, id map[string]any) {
	t.Helper()
	// Read member by member, so that an absent authorizer reads as nil
	// and a member spelt otherwise is no match.
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(callerEvent(t, fi, authz, identity, clientParts{}), &raw); err != nil {
		t.Fatal(err)
	}
	var rc map[string]json.RawMessage
	if err := json.Unmarshal(raw["requestContext"], &rc); err != nil {
		t.Fatal(err)
	}
	if b, ok := rc["authorizer"]; ok {
		if err := json.Unmarshal(b, &a); err != nil {
			t.Fatal(err)
		}
	}
	if b, ok := rc["identity"]; ok {
		// An identity that is not an object names no caller.
		_ = json.Unmarshal(b, &id)
	}
	return a, id
}

// FuzzPrincipal feeds events whose authorizer output (and, for REST
// APIs, identity) is fuzzed, with fuzzed client headers (every name of
// spoofHeaders, such as X-Amzn-Oidc-Data, and one more), query parameters
// and body, to a handler that asks faas for its caller. Invariants:
//
//   - nothing panics, and a payload Invoke refuses is faas.Invalid;
//   - the client's parts never change the caller: it is the same as for
//     the event without them, and none without an authorizer output or a
//     signed identity;
//   - for an authorizer output AWS documents, the caller is wantCaller's;
//   - faas.FromContext carries the same caller as
//     faas.PrincipalFromContext, under each kind of parent;
//   - each Serve and Stream method given the aws-lambda-go event decoded
//     from the same payload names the same caller, where that type carries
//     the authorizer output as the payload does (see typedCarries).
func FuzzPrincipal(f *testing.F) {
	for _, tc := range callerCases {
		fi := callerFormatIndex(f, tc.format)
		f.Add(uint8(fi), tc.authz, tc.identity, "X-Amzn-Oidc-Data", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZG1pbiJ9.", "admin", `{"sub":"admin"}`)
	}
	// The authorizer outputs of the real samples.
	for _, name := range []string{
		"apigw-request.json", "apigw-v2-request-iam.json", "apigw-v2-request-jwt-authorizer.json",
		"apigw-v2-request-lambda-authorizer.json", "lambda-urls-request.json",
	} {
		var ev struct {
			Version        string `json:"version"`
			RequestContext struct {
				Authorizer json.RawMessage `json:"authorizer"`
				Identity   json.RawMessage `json:"identity"`
				DomainName string          `json:"domainName"`
			} `json:"requestContext"`
		}
		if err := json.Unmarshal(sampleEvent(f, name), &ev); err != nil {
			f.Fatal(err)
		}
		format := adapter.FormatRESTAPI
		switch {
		case strings.Contains(ev.RequestContext.DomainName, ".lambda-url."):
			format = adapter.FormatFunctionURL
		case ev.Version == "2.0":
			format = adapter.FormatHTTPAPIV2
		}
		f.Add(uint8(callerFormatIndex(f, format)), string(ev.RequestContext.Authorizer), string(ev.RequestContext.Identity), "x-amzn-oidc-identity", "admin", "", "")
	}
	f.Add(uint8(0), `{"claims":{"sub":"s","cognito:groups":"[\"\",null]"}}`, "", "", "", "", "")
	f.Add(uint8(2), `{"jwt":{"claims":{"sub":"s"},"scopes":["a"]},"lambda":{"sub":"t"}}`, "", "Authorization", "Bearer x", "", "")
	f.Add(uint8(1), `{"jwt":{"claims":{"cognito:groups":"[2024 null]"}},"principalId":"p"}`, `{"userArn":"a","user":"u","USERARN":"b"}`, "", "", "", "")
	f.Add(uint8(4), "", "", "x-amzn-oidc-data", "eyJzdWIiOiJhZG1pbiJ9", "admin", "")

	f.Fuzz(func(t *testing.T, format uint8, authz, identity, headerName, headerValue, query, body string) {
		fi := int(format) % len(callerFormats)
		parentKind := int(format) / len(callerFormats) % numParents
		cf := callerFormats[fi]
		if !cf.authorizer {
			authz = ""
		}
		if authz != "" && !json.Valid([]byte(authz)) || identity != "" && !json.Valid([]byte(identity)) {
			t.Skip("not JSON")
		}
		client := clientParts{headerName: headerName, headerValue: headerValue, query: query, body: body}
		withClient := callerEvent(t, fi, authz, identity, client)
		without := callerEvent(t, fi, authz, identity, clientParts{})

		serve := func(entry string, payload []byte, call func(h *adapter.Handler, ctx context.Context) error) (callerSeen, bool) {
			t.Helper()
			var got callerSeen
			h := adapter.Wrap(callerHandler(&got), testLogger(t))
			ctx, parent := callerParent(parentKind)
			if err := call(h, ctx); err != nil {
				if k := faas.KindOf(err); k != faas.Invalid {
					t.Fatalf("%s(%s): error %v of kind %v, want %v", entry, payload, err, k, faas.Invalid)
				}
				return got, false
			}
			if got.ran {
				checkInvocation(t, entry, parentKind, parent, got)
			}
			return got, got.ran
		}
		invoke := func(payload []byte) func(h *adapter.Handler, ctx context.Context) error {
			return func(h *adapter.Handler, ctx context.Context) error {
				_, err := h.Invoke(ctx, payload)
				return err
			}
		}

		base, ok := serve("Invoke", without, invoke(without))
		if !ok {
			return // not an event Invoke serves: too deep, or a bad request
		}
		if got, ok := serve("Invoke", withClient, invoke(withClient)); ok {
			if diff := cmp.Diff(base.p, got.p); diff != "" {
				t.Errorf("the client's parts changed the caller of %s (-without +with):\n%s", withClient, diff)
			}
		}

		// JSON leaves the meaning of a repeated member open, and AWS
		// repeats none: the adapter's reading of one is not compared.
		// (Invoke reads the last non-empty string of a REST identity's
		// repeated member, where encoding/json reads the last value.)
		_, dupAuthz := duplicateMember([]byte(authz))
		_, dupIdentity := duplicateMember([]byte(identity))
		if dupAuthz || dupIdentity {
			return
		}
		a, id := decodeCallerParts(t, fi, authz, identity)
		if want, documented := wantCaller(cf.format, a, id); documented {
			if diff := cmp.Diff(want, base.p, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("caller of %s (-want +got):\n%s", without, diff)
			}
		}

		if ok, _ := typedCarries(cf.format, a, id); !ok {
			return
		}
		for _, entry := range typedCallerEntries[cf.format] {
			got, ok := serve(entry.name, without, func(h *adapter.Handler, ctx context.Context) error {
				return entry.call(h, ctx, without)
			})
			if !ok {
				continue // the payload does not decode into the type
			}
			if diff := cmp.Diff(base.p, got.p); diff != "" {
				t.Errorf("%s names another caller than Invoke for %s (-Invoke +%s):\n%s", entry.name, without, entry.name, diff)
			}
		}
	})
}

// errNoDecode is what a typedCallerEntries call returns for a payload
// that does not decode into its type; it is of kind faas.Invalid.
var errNoDecode = faas.Errorf(faas.Invalid, "does not decode")

// A typedCallerEntry calls an entry point of a Handler with a payload.
type typedCallerEntry struct {
	name string
	call func(h *adapter.Handler, ctx context.Context, payload []byte) error
}

// typedCallerEntries are the Serve and Stream methods of each format,
// called with the aws-lambda-go event decoded from a payload.
var typedCallerEntries = map[adapter.Format][]typedCallerEntry{
	adapter.FormatRESTAPI:     proxyCallerEntries,
	adapter.FormatHTTPAPIV1:   proxyCallerEntries,
	adapter.FormatHTTPAPIV2:   {{"ServeAPIGatewayV2HTTP", serveCallerV2}},
	adapter.FormatFunctionURL: {{"ServeFunctionURL", serveCallerURL}, {"StreamFunctionURL", streamCallerURL}},
}

var proxyCallerEntries = []typedCallerEntry{{"ServeAPIGatewayProxy", serveCallerProxy}, {"StreamAPIGatewayProxy", streamCallerProxy}}

func serveCallerProxy(h *adapter.Handler, ctx context.Context, payload []byte) error {
	var e events.APIGatewayProxyRequest
	if json.Unmarshal(payload, &e) != nil {
		return errNoDecode
	}
	_, err := h.ServeAPIGatewayProxy(ctx, e)
	return err
}

func streamCallerProxy(h *adapter.Handler, ctx context.Context, payload []byte) error {
	var e events.APIGatewayProxyRequest
	if json.Unmarshal(payload, &e) != nil {
		return errNoDecode
	}
	resp, err := h.StreamAPIGatewayProxy(ctx, &e)
	if err != nil {
		return err
	}
	defer resp.Close()
	_, err = io.ReadAll(resp.Body) // the handler has run once the body ends
	return err
}

func serveCallerV2(h *adapter.Handler, ctx context.Context, payload []byte) error {
	var e events.APIGatewayV2HTTPRequest
	if json.Unmarshal(payload, &e) != nil {
		return errNoDecode
	}
	_, err := h.ServeAPIGatewayV2HTTP(ctx, e)
	return err
}

func serveCallerURL(h *adapter.Handler, ctx context.Context, payload []byte) error {
	var e events.LambdaFunctionURLRequest
	if json.Unmarshal(payload, &e) != nil {
		return errNoDecode
	}
	_, err := h.ServeFunctionURL(ctx, e)
	return err
}

func streamCallerURL(h *adapter.Handler, ctx context.Context, payload []byte) error {
	var e events.LambdaFunctionURLRequest
	if json.Unmarshal(payload, &e) != nil {
		return errNoDecode
	}
	resp, err := h.StreamFunctionURL(ctx, &e)
	if err != nil {
		return err
	}
	defer resp.Close()
	_, err = io.ReadAll(resp.Body)
	return err
}
