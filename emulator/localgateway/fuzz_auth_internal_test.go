package localgateway

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/faasport/faasport/emulator/clock"
	"github.com/faasport/faasport/emulator/locallambda"
)

// Lambda authorizer answers as the API Gateway developer guide shows
// them: the simple response of payload format 2.0, and IAM policies
// (both formats), with context.
var authorizerAnswerSeeds = []string{
	`{"isAuthorized": true, "context": {"exampleKey": "exampleValue"}}`,
	`{"isAuthorized": false, "context": {"exampleKey": "exampleValue"}}`,
	`{"isAuthorized": true}`,
	`{
  "principalId": "abcdef",
  "policyDocument": {
    "Version": "2012-10-17",
    "Statement": [
      {
        "Action": "execute-api:Invoke",
        "Effect": "Allow",
        "Resource": "arn:aws:execute-api:us-east-1:123456789012:local/$default/GET/pets/7"
      }
    ]
  },
  "context": {
    "exampleKey": "exampleValue"
  }
}`,
	`{
  "principalId": "user",
  "policyDocument": {
    "Version": "2012-10-17",
    "Statement": [
      {
        "Action": "execute-api:Invoke",
        "Effect": "Deny",
        "Resource": "arn:aws:execute-api:us-east-1:123456789012:local/prod/GET/"
      }
    ]
  },
  "context": {
    "stringKey": "value",
    "numberKey": 1,
    "booleanKey": true
  }
}`,
	`{"principalId": "u", "policyDocument": {"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Action": ["execute-api:Invoke"], "Resource": ["arn:aws:execute-api:*:*:*/*/GET/*"]},
  {"Effect": "Deny", "Action": "execute-api:*", "Resource": "arn:aws:execute-api:*:*:*/*/GET/admin*"}]}}`,
	`{"principalId": "u", "policyDocument": {"Version": "2012-10-17", "Statement":
  {"Effect": "Allow", "Action": "execute-api:Invoke", "Resource": "arn:aws:execute-api:us-east-1:123456789012:local/$default/$default"}}}`,
	`{"principalId": "u", "policyDocument": {"Version": "2012-10-17", "Statement": []}}`,
}

// fuzzARNs are route ARNs an answer is evaluated for, besides the ones
// made from the answer's own resources.
var fuzzARNs = []string{
	"arn:aws:execute-api:us-east-1:123456789012:local/$default/GET/pets/7",
	"arn:aws:execute-api:us-east-1:123456789012:local/prod/GET/admin/users",
	"arn:aws:execute-api:us-east-1:123456789012:local/prod/POST/",
	"arn:aws:execute-api:us-east-1:123456789012:local/$default/$default",
}

func TestAuthorizerResponseDecode(t *testing.T) {
	const arn = "arn:aws:execute-api:us-east-1:123456789012:local/$default/GET/pets/7"
	allowPets := statement{effect: "Allow", actions: []string{"execute-api:Invoke"}, resources: []string{arn}}
	for _, tc := range []struct {
		name    string
		simple  bool
		payload string
		want    *authResponse // nil: refused
		allows  bool          // for arn
	}{
		{
			name: "simple, documented", simple: true,
			payload: `{"isAuthorized": true, "context": {"exampleKey": "exampleValue"}}`,
			want:    &authResponse{simple: true, authorized: true, context: map[string]any{"exampleKey": "exampleValue"}},
			allows:  true,
		},
		{
			name: "simple, denied", simple: true,
			payload: `{"isAuthorized": false}`,
			want:    &authResponse{simple: true},
		},
		{name: "simple, isAuthorized a string", simple: true, payload: `{"isAuthorized": "true"}`},
		{name: "simple, isAuthorized null", simple: true, payload: `{"isAuthorized": null}`},
		{name: "simple, an IAM policy", simple: true, payload: `{"policyDocument": {"Statement": []}}`},
		{name: "simple, context not an object", simple: true, payload: `{"isAuthorized": true, "context": []}`},
		{name: "simple, member names are case-sensitive", simple: true, payload: `{"IsAuthorized": true}`},
		{
			name: "simple, a differently cased member does not override isAuthorized", simple: true,
			payload: `{"isAuthorized": false, "ISAUTHORIZED": true}`,
			want:    &authResponse{simple: true},
		},
		{
			name:    "IAM, documented",
			payload: `{"principalId": "abcdef", "policyDocument": {"Version": "2012-10-17", "Statement": [{"Action": "execute-api:Invoke", "Effect": "Allow", "Resource": "` + arn + `"}]}, "context": {"exampleKey": "exampleValue"}}`,
			want:    &authResponse{principal: "abcdef", statements: []statement{allowPets}, context: map[string]any{"exampleKey": "exampleValue"}},
			allows:  true,
		},
		{
			name:    "IAM, a single statement object",
			payload: `{"principalId": "u", "policyDocument": {"Statement": {"Action": "execute-api:Invoke", "Effect": "Allow", "Resource": "` + arn + `"}}}`,
			want:    &authResponse{principal: "u", statements: []statement{allowPets}},
			allows:  true,
		},
		{
			name:    "IAM, lists",
			payload: `{"policyDocument": {"Statement": [{"Action": ["s3:*", "execute-api:*"], "Effect": "Allow", "Resource": ["arn:aws:execute-api:*:*:*/*/GET/*"]}]}}`,
			want:    &authResponse{statements: []statement{{effect: "Allow", actions: []string{"s3:*", "execute-api:*"}, resources: []string{"arn:aws:execute-api:*:*:*/*/GET/*"}}}},
			allows:  true,
		},
		{
			name: "IAM, Deny wins",
			payload: `{"policyDocument": {"Statement": [{"Action": "execute-api:Invoke", "Effect": "Allow", "Resource": "*"},
				{"Action": "execute-api:Invoke", "Effect": "Deny", "Resource": "*/pets/*"}]}}`,
			want: &authResponse{statements: []statement{
				{effect: "Allow", actions: []string{"execute-api:Invoke"}, resources: []string{"*"}},
				{effect: "Deny", actions: []string{"execute-api:Invoke"}, resources: []string{"*/pets/*"}},
			}},
		},
		{
			name:    "IAM, no statements",
			payload: `{"policyDocument": {"Statement": []}}`,
			want:    &authResponse{},
		},
		{name: "IAM, member names are case-sensitive", payload: `{"poliCYDoCument":{}}`},
		{name: "IAM, Effect is case-sensitive", payload: `{"policyDocument": {"Statement": [{"Action": "execute-api:Invoke", "Effect": "allow", "Resource": "*"}]}}`},
		{name: "IAM, statement member names are case-sensitive", payload: `{"policyDocument": {"Statement": [{"action": "execute-api:Invoke", "effect": "Allow", "resource": "*"}]}}`},
		{name: "IAM, no Statement", payload: `{"policyDocument": {}}`},
		{name: "IAM, null Statement", payload: `{"policyDocument": {"Statement": null}}`},
		{name: "IAM, null statement", payload: `{"policyDocument": {"Statement": [null]}}`},
		{name: "IAM, null Action", payload: `{"policyDocument": {"Statement": [{"Action": null, "Effect": "Allow", "Resource": "*"}]}}`},
		{name: "IAM, null in Resource", payload: `{"policyDocument": {"Statement": [{"Action": "execute-api:Invoke", "Effect": "Allow", "Resource": [null]}]}}`},
		{name: "IAM, no Resource", payload: `{"policyDocument": {"Statement": [{"Action": "execute-api:Invoke", "Effect": "Allow"}]}}`},
		{name: "IAM, principalId a number", payload: `{"principalId": 1, "policyDocument": {"Statement": []}}`},
		{name: "IAM, a simple answer", payload: `{"isAuthorized": true}`},
		{name: "IAM, not an object", payload: `null`},
		{name: "IAM, trailing data", payload: `{"policyDocument": {"Statement": []}} x`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := &lambdaAuth{cfg: LambdaAuthorizer{SimpleResponses: tc.simple}}
			got, err := a.decode([]byte(tc.payload))
			if (err == nil) != (tc.want != nil) {
				t.Fatalf("decode(%s) error = %v, want accepted %v", tc.payload, err, tc.want != nil)
			}
			if diff := cmp.Diff(tc.want, got, cmp.AllowUnexported(authResponse{}, statement{})); diff != "" {
				t.Errorf("decode(%s) (-want +got):\n%s", tc.payload, diff)
			}
			if got != nil {
				if allowed, _ := got.decide(arn); allowed != tc.allows {
					t.Errorf("decide(%s) allowed = %v, want %v", arn, allowed, tc.allows)
				}
			}
		})
	}
}

// FuzzAuthorizerResponse feeds arbitrary answers to the Lambda authorizer
// decoder and evaluates those it accepts: the decoder accepts exactly the
// documented shapes, read as refDecode reads them, and a policy allows an
// ARN only when an Allow statement matches it and no Deny does.
func FuzzAuthorizerResponse(f *testing.F) {
	for _, s := range authorizerAnswerSeeds {
		f.Add([]byte(s), true)
		f.Add([]byte(s), false)
	}
	simpleAuth := &lambdaAuth{cfg: LambdaAuthorizer{SimpleResponses: true}}
	policyAuth := &lambdaAuth{cfg: LambdaAuthorizer{}}
	f.Fuzz(func(t *testing.T, payload []byte, simple bool) {
		if len(payload) > 1024 {
			// Matching is quadratic in the lengths of pattern and ARN;
			// longer answers only slow the search down.
			t.Skip()
		}
		a := policyAuth
		if simple {
			a = simpleAuth
		}
		got, err := a.decode(payload)
		want, ok := refDecode(payload, simple)
		if ok != (err == nil) {
			t.Fatalf("decode(%q, simple=%v) error = %v, want accepted %v", payload, simple, err, ok)
		}
		if !ok {
			return
		}
		if diff := cmp.Diff(want, got, cmp.AllowUnexported(authResponse{}, statement{}), cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("decode(%q, simple=%v) (-want +got):\n%s", payload, simple, diff)
		}
		// Besides the fixed ARNs, a few that the answer's own resources
		// match, so that statements apply.
		arns := append([]string(nil), fuzzARNs...)
		for _, st := range got.statements {
			for _, r := range st.resources {
				if len(arns) < len(fuzzARNs)+8 {
					arns = append(arns, strings.NewReplacer("*", "x", "?", "y").Replace(r))
				}
			}
		}
		for _, arn := range arns {
			allowed, denied := got.decide(arn)
			if simple {
				if allowed != got.authorized || denied {
					t.Fatalf("simple answer %q: decide(%q) = %v, %v, want isAuthorized %v and no denial", payload, arn, allowed, denied, got.authorized)
				}
				continue
			}
			var allow, deny bool
			for _, st := range got.statements {
				if !refMatches(st, arn) {
					continue
				}
				if st.effect == "Deny" {
					deny = true
				} else {
					allow = true
				}
			}
			if denied != deny {
				t.Fatalf("policy %q: decide(%q) denied = %v, want %v (a matching Deny)", payload, arn, denied, deny)
			}
			switch {
			case deny && allowed:
				t.Fatalf("policy %q: allows(%q) despite a matching Deny", payload, arn)
			case !allow && allowed:
				t.Fatalf("policy %q: allows(%q) without a matching Allow", payload, arn)
			case allow && !deny && !allowed:
				t.Fatalf("policy %q: denies %q despite a matching Allow and no Deny", payload, arn)
			}
		}
	})
}

// refMatches reports whether st is about execute-api:Invoke on arn.
// (globMatch is checked against regular expressions by FuzzGlobMatch.)
func refMatches(st statement, arn string) bool {
	action, resource := false, false
	for _, a := range st.actions {
		action = action || globMatch(a, "execute-api:Invoke", true)
	}
	for _, r := range st.resources {
		resource = resource || globMatch(r, arn, false)
	}
	return action && resource
}

// refDecode reads payload as the API Gateway developer guide documents a
// Lambda authorizer's answer, with exact (case-sensitive) member names. A
// simple answer is an object whose isAuthorized is a boolean. An IAM
// answer is an object whose policyDocument is an object with a Statement,
// a statement object or a list of them, each with an Effect of Allow or
// Deny and an Action and a Resource that are a string or a list of
// strings; its principalId, when present, is a string. Either may have a
// context object. It reports false for anything else.
func refDecode(payload []byte, simple bool) (*authResponse, bool) {
	var v any
	if json.Unmarshal(payload, &v) != nil {
		return nil, false
	}
	top, ok := v.(map[string]any)
	if !ok {
		return nil, false
	}
	r := &authResponse{simple: simple}
	if c := top["context"]; c != nil {
		if r.context, ok = c.(map[string]any); !ok {
			return nil, false
		}
	}
	if simple {
		r.authorized, ok = top["isAuthorized"].(bool)
		return r, ok
	}
	if p := top["principalId"]; p != nil {
		if r.principal, ok = p.(string); !ok {
			return nil, false
		}
	}
	doc, ok := top["policyDocument"].(map[string]any)
	if !ok {
		return nil, false
	}
	var list []any
	switch s := doc["Statement"].(type) {
	case map[string]any:
		list = []any{s}
	case []any:
		list = s
	default:
		return nil, false
	}
	for _, s := range list {
		st, ok := s.(map[string]any)
		if !ok {
			return nil, false
		}
		effect, _ := st["Effect"].(string)
		actions, ok1 := refStrings(st["Action"])
		resources, ok2 := refStrings(st["Resource"])
		if effect != "Allow" && effect != "Deny" || !ok1 || !ok2 {
			return nil, false
		}
		r.statements = append(r.statements, statement{effect: effect, actions: actions, resources: resources})
	}
	return r, true
}

// refStrings reads a policy element that is a string or a list of strings.
func refStrings(v any) ([]string, bool) {
	switch v := v.(type) {
	case string:
		return []string{v}, true
	case []any:
		out := make([]string, len(v))
		for i, e := range v {
			s, ok := e.(string)
			if !ok {
				return nil, false
			}
			out[i] = s
		}
		return out, true
	}
	return nil, false
}

// countingInvoker allows every request (function "auth") and answers 200
// (any other function), counting the authorizer's calls.
type countingInvoker struct{ authCalls atomic.Int64 }

func (c *countingInvoker) Invoke(_ context.Context, req locallambda.InvokeRequest) (*locallambda.InvokeResult, error) {
	if req.FunctionName == "auth" {
		c.authCalls.Add(1)
		return &locallambda.InvokeResult{StatusCode: 200, Payload: []byte(`{"isAuthorized":true}`)}, nil
	}
	return &locallambda.InvokeResult{StatusCode: 200, Payload: []byte(`{"statusCode":200}`)}, nil
}

// TestLambdaAuthorizerCacheBound checks that clients sending identities
// of their own making cannot grow a Lambda authorizer's cache without
// bound (nor the time each new identity takes to be cached with it).
func TestLambdaAuthorizerCacheBound(t *testing.T) {
	const ttl = time.Minute
	for _, tc := range []struct {
		name        string
		identities  int  // distinct identities, one request each
		expireFirst bool // the TTL passes before the last request
		wantLen     int  // cache entries after the requests; 0: any up to the bound
	}{
		{name: "under the bound, every answer is cached", identities: 100, wantLen: 100},
		{name: "distinct identities past the bound", identities: maxAuthCache + 1},
		{name: "expired answers make room", identities: maxAuthCache + 1, expireFirst: true, wantLen: 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// The real clock is the quicker one, with no timer goroutine per
			// integration; a fake one only where time must pass.
			clk, fake := clock.Real(), clock.NewFake(time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC))
			if tc.expireFirst {
				clk = fake
			}
			inv := &countingInvoker{}
			g, err := New(Config{
				Clock: clk, Invoker: inv, Logger: slog.New(slog.DiscardHandler),
				AccountThrottle: Throttle{Rate: 1e9, Burst: 1e9},
				Authorizers: map[string]Authorizer{"a": LambdaAuthorizer{Function: "auth", PayloadFormat: "2.0",
					SimpleResponses: true, IdentitySources: []string{"$request.header.X-Id"}, TTL: ttl}},
				Routes: []Route{{Key: "GET /x", Integration: Lambda{Function: "f"}, Authorizer: "a"}},
			})
			if err != nil {
				t.Fatal(err)
			}
			get := func(id string) {
				t.Helper()
				r := httptest.NewRequest("GET", "/x", nil)
				r.Header.Set("X-Id", id)
				w := httptest.NewRecorder()
				g.ServeHTTP(w, r)
				if w.Code != 200 {
					t.Fatalf("GET /x as %s = %d %s", id, w.Code, w.Body)
				}
			}
			for i := range tc.identities {
				if tc.expireFirst && i == tc.identities-1 {
					fake.Advance(ttl)
				}
				get("id-" + strconv.Itoa(i))
			}
			la := g.routes[0].auth.(*lambdaAuth)
			la.mu.Lock()
			n := len(la.cache)
			la.mu.Unlock()
			if n > maxAuthCache || (tc.wantLen != 0 && n != tc.wantLen) {
				t.Errorf("after %d identities the cache holds %d answers, want %d (at most %d)", tc.identities, n, tc.wantLen, maxAuthCache)
			}
			calls := inv.authCalls.Load()
			get("id-" + strconv.Itoa(tc.identities-1))
			if got := inv.authCalls.Load(); got != calls {
				t.Errorf("the last identity's answer was not cached: %d calls, then %d", calls, got)
			}
		})
	}
}

func TestCacheKey(t *testing.T) {
	// Lists of identity values that a separator-joined key would confuse.
	for _, tc := range []struct {
		name string
		a, b []string
	}{
		{"separator inside a value", []string{"x\x00y", "z"}, []string{"x", "y\x00z"}},
		{"empty values", []string{"", "ab"}, []string{"ab", ""}},
		{"length-like prefix", []string{"1:a"}, []string{"a", "a"}},
		{"one value or two", []string{"3:abc"}, []string{"abc"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if ka, kb := cacheKey(tc.a), cacheKey(tc.b); ka == kb {
				t.Errorf("cacheKey(%q) = cacheKey(%q) = %q", tc.a, tc.b, ka)
			}
		})
	}
}
