package localgateway

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/faasport/faasport/adapter"
	"github.com/faasport/faasport/emulator/locallambda"
	"github.com/faasport/faasport/internal/jsonx"
	"github.com/faasport/faasport/verify"
)

// authorizer decides whether a request may go on. On success it returns
// what the integration's event carries in requestContext.authorizer; on
// failure it has answered the request and returns false.
type authorizer interface {
	authorize(x *exchange) (map[string]any, bool)
}

func newAuthorizer(g *Gateway, name string, a Authorizer, keys verify.KeySource, sigs *verify.SignatureCache) authorizer {
	switch a := a.(type) {
	case JWTAuthorizer:
		src := a.IdentitySource
		if src == "" {
			src = "$request.header.Authorization"
		}
		kind, field, _ := parseIdentitySource(src, false, false) // validated
		return &jwtAuth{
			v:     &verify.Verifier{Issuer: a.Issuer, Audiences: a.Audiences, Keys: keys, Clock: g.clock, Signatures: sigs},
			kind:  kind,
			field: field,
		}
	case IAMAuthorizer:
		return &iamAuth{name: name, check: a.Authorize}
	case CognitoAuthorizer:
		src := a.IdentitySource
		if src == "" {
			src = "method.request.header.Authorization"
		}
		_, field, _ := parseIdentitySource(src, false, true) // validated
		ca := &cognitoAuth{header: field, verifiers: map[string]*cognitoVerifiers{}}
		for _, iss := range a.Issuers {
			mk := func(use string) *verify.Verifier {
				return &verify.Verifier{Issuer: iss, AnyAudience: true, TokenUse: use, Keys: keys, Clock: g.clock, Signatures: sigs}
			}
			ca.verifiers[iss] = &cognitoVerifiers{id: mk(verify.TokenUseID), access: mk(verify.TokenUseAccess)}
		}
		return ca
	case LambdaAuthorizer:
		la := &lambdaAuth{name: name, cfg: a, rest: g.rest, token: a.Type == "TOKEN", cache: map[string]*authCacheEntry{}}
		srcs := a.IdentitySources
		if la.token {
			if len(srcs) == 0 {
				srcs = []string{"method.request.header.Authorization"}
			}
			la.valid = regexp.MustCompile(`^(?:` + a.IdentityValidationExpression + `)$`) // validated
		}
		for _, s := range srcs {
			kind, field, _ := parseIdentitySource(s, true, g.rest) // validated
			la.sources = append(la.sources, idSource{kind, field})
		}
		if la.cfg.Timeout == 0 {
			la.cfg.Timeout = DefaultAuthorizerTimeout
		}
		return la
	}
	return nil
}

type idSource struct {
	kind  int
	field string
}

// value returns the identity source's value for the request, "" when the
// request lacks it.
func (s idSource) value(x *exchange) string {
	switch s.kind {
	case srcHeader:
		return strings.Join(x.r.Header.Values(s.field), ",")
	case srcQuery:
		return x.r.URL.Query().Get(s.field)
	case srcRouteKey:
		return x.route.key.text
	case srcStageVar:
		return x.stage.vars[s.field]
	}
	return ""
}

// jwtAuth is a JWT authorizer.
type jwtAuth struct {
	v     *verify.Verifier
	kind  int
	field string

	// outs remembers what authorize returned for a token, by payload
	// format: a function of the token's claims alone, which do not change
	// when the token comes back (it is verified again every time). The
	// maps are shared, and only read (by adapter.NewEvent).
	mu   sync.Mutex
	outs map[jwtOutKey]map[string]any
}

type jwtOutKey struct {
	token string
	v2    bool
}

// maxJWTOuts bounds jwtAuth.outs, which is emptied when full.
const maxJWTOuts = 1024

func (a *jwtAuth) authorize(x *exchange) (map[string]any, bool) {
	token := strings.TrimSpace(idSource{a.kind, a.field}.value(x))
	if len(token) > 7 && strings.EqualFold(token[:7], "bearer ") {
		token = strings.TrimSpace(token[7:])
	}
	if token == "" {
		x.authz = "unauthorized"
		x.fail(http.StatusUnauthorized, "Unauthorized", errors.New("no token in the identity source"))
		return nil, false
	}
	claims, err := a.v.VerifyShared(x.r.Context(), token) // read only
	if err != nil {
		x.authz = "unauthorized"
		var ve *verify.Error
		if errors.As(err, &ve) {
			x.w.Header().Set("Www-Authenticate", ve.Challenge())
		}
		x.fail(http.StatusUnauthorized, "Unauthorized", err)
		return nil, false
	}
	if !claims.HasAnyScope(x.route.cfg.Scopes) {
		x.authz = "forbidden"
		x.fail(http.StatusForbidden, "Forbidden", fmt.Errorf("token scopes %v hold none of the route's %v", claims.Scopes, x.route.cfg.Scopes))
		return nil, false
	}
	x.authz = "allow"
	key := jwtOutKey{token, x.route.format == adapter.FormatHTTPAPIV2}
	a.mu.Lock()
	out := a.outs[key]
	a.mu.Unlock()
	if out != nil {
		return out, true
	}
	// Encoded here once for all the requests bearing the token, as
	// adapter.NewEvent would encode the maps (TestJWTOutputJSON).
	c, sc := encodeJWTOutput(StringifyClaims(claims.Raw), claims.Scopes)
	if key.v2 {
		jwt := append(append(append(append([]byte(`{"claims":`), c...), `,"scopes":`...), sc...), '}')
		out = map[string]any{"jwt": json.RawMessage(jwt)}
	} else {
		out = map[string]any{"claims": json.RawMessage(c), "scopes": json.RawMessage(sc)}
	}
	a.mu.Lock()
	if a.outs == nil || len(a.outs) >= maxJWTOuts {
		a.outs = make(map[jwtOutKey]map[string]any)
	}
	a.outs[key] = out
	a.mu.Unlock()
	return out, true
}

// cognitoAuth is a REST API's Cognito user pool authorizer.
type cognitoAuth struct {
	header    string
	verifiers map[string]*cognitoVerifiers // by issuer
}

// cognitoVerifiers verify one user pool's ID and access tokens.
type cognitoVerifiers struct{ id, access *verify.Verifier }

func (a *cognitoAuth) authorize(x *exchange) (map[string]any, bool) {
	unauthorized := func(message string, cause error) (map[string]any, bool) {
		x.authz = "unauthorized"
		x.fail(http.StatusUnauthorized, message, cause)
		return nil, false
	}
	token := strings.TrimSpace(strings.Join(x.r.Header.Values(a.header), ","))
	if len(token) > 7 && strings.EqualFold(token[:7], "bearer ") {
		token = strings.TrimSpace(token[7:])
	}
	if token == "" {
		return unauthorized("Unauthorized", errors.New("no token in the identity source"))
	}
	// The token names its pool; its signature and claims are then checked
	// against that pool's keys.
	vs := a.verifiers[unverifiedIssuer(token)]
	if vs == nil {
		return unauthorized("Unauthorized", errors.New("the token's issuer is none of the authorizer's user pools"))
	}
	// A route with scopes takes access tokens, one without ID tokens.
	v := vs.id
	if len(x.route.cfg.Scopes) > 0 {
		v = vs.access
	}
	claims, err := v.VerifyShared(x.r.Context(), token) // read only
	switch {
	case errors.Is(err, verify.ErrExpired):
		return unauthorized("The incoming token has expired", err)
	case err != nil:
		return unauthorized("Unauthorized", err)
	case !claims.HasAnyScope(x.route.cfg.Scopes):
		return unauthorized("Unauthorized", fmt.Errorf("token scopes %v hold none of the route's %v", claims.Scopes, x.route.cfg.Scopes))
	}
	x.authz = "allow"
	c, _ := encodeJWTOutput(StringifyClaims(claims.Raw), nil)
	return map[string]any{"claims": json.RawMessage(c)}, true
}

// unverifiedIssuer returns the iss claim of token, unverified, or "".
func unverifiedIssuer(token string) string {
	parts := strings.SplitN(token, ".", 3)
	if len(parts) != 3 {
		return ""
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return ""
	}
	var c struct {
		Iss string `json:"iss"`
	}
	if json.Unmarshal(payload, &c) != nil {
		return ""
	}
	return c.Iss
}

// encodeJWTOutput encodes a JWT authorizer's claims and scopes as
// adapter.NewEvent encodes a map[string]string (members in key order) and
// a []string, or nil as null.
func encodeJWTOutput(claims map[string]string, scopes []string) (claimsJSON, scopesJSON []byte) {
	keys := make([]string, 0, len(claims))
	for k := range claims {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	claimsJSON = append(claimsJSON, '{')
	for _, k := range keys {
		claimsJSON = jsonx.AppendKey(claimsJSON, k)
		claimsJSON = jsonx.AppendString(claimsJSON, claims[k])
	}
	claimsJSON = append(claimsJSON, '}')
	if scopes == nil {
		return claimsJSON, []byte("null")
	}
	scopesJSON = append(scopesJSON, '[')
	for i, sc := range scopes {
		if i > 0 {
			scopesJSON = append(scopesJSON, ',')
		}
		scopesJSON = jsonx.AppendString(scopesJSON, sc)
	}
	return claimsJSON, append(scopesJSON, ']')
}

// StringifyClaims renders token claims as HTTP API JWT authorizers pass
// them to functions: every value a string; numbers as their JSON text,
// arrays as "[a b]" (their elements rendered the same way, space
// separated), objects as "map[k1:v1 k2:v2]" (keys sorted, values rendered
// the same way), as functions behind HTTP APIs receive them.
func StringifyClaims(claims map[string]any) map[string]string {
	out := make(map[string]string, len(claims))
	for k, v := range claims {
		out[k] = stringifyClaim(v)
	}
	return out
}

func stringifyClaim(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case json.Number:
		return v.String()
	case nil:
		return ""
	case bool:
		if v {
			return "true"
		}
		return "false"
	case []any:
		parts := make([]string, len(v))
		for i, e := range v {
			parts[i] = stringifyClaim(e)
		}
		return "[" + strings.Join(parts, " ") + "]"
	case map[string]any:
		parts := make([]string, 0, len(v))
		for _, k := range slices.Sorted(maps.Keys(v)) {
			parts = append(parts, k+":"+stringifyClaim(v[k]))
		}
		return "map[" + strings.Join(parts, " ") + "]"
	}
	return fmt.Sprint(v)
}

// lambdaAuth is a Lambda authorizer of the REQUEST type, or for a REST
// API of the TOKEN type.
type lambdaAuth struct {
	name    string
	cfg     LambdaAuthorizer
	sources []idSource
	rest    bool           // a REST API's: its events, errors and output
	token   bool           // of the TOKEN type
	valid   *regexp.Regexp // a TOKEN authorizer's IdentityValidationExpression, anchored

	mu    sync.Mutex
	cache map[string]*authCacheEntry
}

type authCacheEntry struct {
	resp    *authResponse
	expires time.Time
}

// authResponse is a Lambda authorizer's answer.
type authResponse struct {
	simple     bool
	authorized bool // simple responses
	principal  string
	statements []statement
	context    map[string]any
}

type statement struct {
	effect    string
	actions   []string
	resources []string
}

// methodARN is the execute-api ARN of the request's method, which
// authorizers' and callers' policies name.
func (x *exchange) methodARN() string {
	if x.route.key.def {
		return fmt.Sprintf("arn:aws:execute-api:%s:%s:%s/%s/$default", x.g.region, x.g.accountID, x.g.apiID, x.stage.name)
	}
	return fmt.Sprintf("arn:aws:execute-api:%s:%s:%s/%s/%s%s", x.g.region, x.g.accountID, x.g.apiID,
		x.stage.name, x.r.Method, x.subpath)
}

// iamAuth authorizes requests by their SigV4 signature.
type iamAuth struct {
	name  string
	check func(r *http.Request, methodARN string) (*adapter.IAMIdentity, error)
}

func (a *iamAuth) authorize(x *exchange) (map[string]any, bool) {
	// The authorizer reads the body to check its hash; the gateway has
	// read it already.
	x.r.Body = io.NopCloser(bytes.NewReader(x.body))
	id, err := a.check(x.r, x.methodARN())
	if err == nil && id == nil {
		err = errors.New("the authorizer returned no identity")
	}
	if err == nil {
		x.authz = "allow"
		x.identity = id
		return nil, true
	}
	cause := fmt.Errorf("IAM authorizer %s: %w", a.name, err)
	var d *IAMDenial
	switch {
	case !errors.As(err, &d):
		x.authz = "error"
		x.integrationFailed(cause)
	case !x.g.rest:
		x.authz = "forbidden"
		x.fail(http.StatusForbidden, "Forbidden", cause)
	case d.Code == "MissingAuthenticationTokenException":
		x.authz = "unauthorized"
		x.fail(http.StatusForbidden, "Missing Authentication Token", cause)
	default:
		x.authz = "forbidden"
		member := "message"
		if d.Code == "AccessDeniedException" {
			member = "Message" // as API Gateway spells it for policy denials
		}
		body, _ := json.Marshal(map[string]string{member: d.Message})
		x.failREST(http.StatusForbidden, string(body), d.Code, cause)
	}
	return nil, false
}

// unauthorized answers 401.
func (a *lambdaAuth) unauthorized(x *exchange, cause error) {
	x.authz = "unauthorized"
	x.fail(http.StatusUnauthorized, "Unauthorized", cause)
}

func (a *lambdaAuth) authorize(x *exchange) (map[string]any, bool) {
	values := make([]string, len(a.sources))
	for i, s := range a.sources {
		values[i] = s.value(x)
		if values[i] == "" {
			a.unauthorized(x, fmt.Errorf("authorizer %s: identity source missing", a.name))
			return nil, false
		}
	}
	if a.token && a.cfg.IdentityValidationExpression != "" && !a.valid.MatchString(values[0]) {
		a.unauthorized(x, fmt.Errorf("authorizer %s: token does not match IdentityValidationExpression", a.name))
		return nil, false
	}
	arn := x.methodARN()
	key := cacheKey(values)
	now := x.g.clock.Now()
	var resp *authResponse
	if a.cfg.TTL > 0 {
		a.mu.Lock()
		if e := a.cache[key]; e != nil && now.Before(e.expires) {
			resp = e.resp
		}
		a.mu.Unlock()
	}
	latency := time.Duration(0)
	if resp == nil {
		var err error
		began := time.Now()
		resp, err = a.invoke(x, arn, values)
		latency = time.Since(began)
		if err != nil {
			x.authz = "error"
			cause := fmt.Errorf("authorizer %s: %w", a.name, err)
			switch {
			case a.rest && errors.Is(err, errUnauthorized):
				// A REST authorizer refuses a caller by failing with
				// the message "Unauthorized".
				a.unauthorized(x, cause)
			case a.rest:
				x.failREST(http.StatusInternalServerError, `{"message":null}`, "AuthorizerConfigurationException", cause)
			default:
				x.fail(http.StatusInternalServerError, "Internal Server Error", cause)
			}
			return nil, false
		}
		if a.cfg.TTL > 0 {
			a.remember(key, resp, now)
		}
	}
	allowed, denied := resp.decide(arn)
	if !allowed {
		x.authz = "deny"
		cause := fmt.Errorf("authorizer %s denied", a.name)
		switch {
		case a.rest && denied:
			x.failREST(http.StatusForbidden, `{"Message":"User is not authorized to access this resource with an explicit deny"}`, "AccessDeniedException", cause)
		case a.rest:
			x.failREST(http.StatusForbidden, `{"Message":"User is not authorized to access this resource"}`, "AccessDeniedException", cause)
		default:
			x.fail(http.StatusForbidden, "Forbidden", cause)
		}
		return nil, false
	}
	x.authz = "allow"
	if a.rest {
		// REST APIs put the context's members beside principalId, as
		// strings.
		out := make(map[string]any, len(resp.context)+2)
		for k, v := range resp.context {
			out[k] = restContextValue(v)
		}
		out["principalId"] = resp.principal
		out["integrationLatency"] = latency.Milliseconds()
		return out, true
	}
	ctx := resp.context
	if ctx == nil {
		ctx = map[string]any{}
	}
	out := map[string]any{"lambda": ctx}
	if !resp.simple && resp.principal != "" {
		out["principalId"] = resp.principal
	}
	return out, true
}

// cacheKey is the authorizer cache's key for identity source values:
// each value preceded by its length, so that no two lists of values share
// a key whatever bytes the values hold.
func cacheKey(values []string) string {
	var b []byte
	for _, v := range values {
		b = strconv.AppendInt(b, int64(len(v)), 10)
		b = append(b, ':')
		b = append(b, v...)
	}
	return string(b)
}

// maxAuthCache bounds a Lambda authorizer's cache, which a client can
// fill with identities of its own making.
const maxAuthCache = 4096

// remember caches resp for the identity key. A full cache loses its
// expired entries, or all of them when fewer than half had expired: each
// sweep is paid for by the half a cache of answers cached before the
// next, rather than by every answer.
func (a *lambdaAuth) remember(key string, resp *authResponse, now time.Time) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(a.cache) >= maxAuthCache {
		for k, e := range a.cache {
			if !now.Before(e.expires) {
				delete(a.cache, k)
			}
		}
		if len(a.cache) > maxAuthCache/2 {
			clear(a.cache)
		}
	}
	a.cache[key] = &authCacheEntry{resp: resp, expires: now.Add(a.cfg.TTL)}
}

// errUnauthorized is a REST authorizer function's failing with the
// message "Unauthorized", its way of refusing a caller with 401.
var errUnauthorized = errors.New("the function failed with Unauthorized")

// restContextValue is a REST authorizer's context value as the
// integration sees it: a string (decode has checked that it is a string,
// number or boolean).
func restContextValue(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case bool:
		return strconv.FormatBool(v)
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return fmt.Sprint(v)
}

// event is the authorizer function's event.
func (a *lambdaAuth) event(x *exchange, arn string, values []string) ([]byte, error) {
	if a.token {
		return json.Marshal(map[string]string{"type": "TOKEN", "authorizationToken": values[0], "methodArn": arn})
	}
	format := adapter.FormatHTTPAPIV2
	switch {
	case a.rest:
		format = adapter.FormatRESTAPI
	case a.cfg.PayloadFormat == "1.0":
		format = adapter.FormatHTTPAPIV1
	}
	gr := x.gatewayRequest(format, nil, nil)
	raw, err := adapter.NewEvent(x.r, gr)
	if err != nil {
		return nil, err
	}
	var ev map[string]any
	if err := json.Unmarshal(raw, &ev); err != nil {
		return nil, err
	}
	delete(ev, "body")
	delete(ev, "isBase64Encoded")
	ev["type"] = "REQUEST"
	switch format {
	case adapter.FormatHTTPAPIV2:
		ev["routeArn"] = arn
		ev["identitySource"] = values
	case adapter.FormatHTTPAPIV1:
		ev["methodArn"] = arn
		ev["identitySource"] = strings.Join(values, ",")
		ev["authorizationToken"] = values[0]
	default:
		ev["methodArn"] = arn
	}
	return json.Marshal(ev)
}

// invoke calls the authorizer function and decodes its answer.
func (a *lambdaAuth) invoke(x *exchange, arn string, values []string) (*authResponse, error) {
	payload, err := a.event(x, arn, values)
	if err != nil {
		return nil, err
	}
	ctx, stop := x.withTimeout(a.cfg.Timeout)
	res, err := x.g.invoker.Invoke(ctx, locallambda.InvokeRequest{
		FunctionName:  a.cfg.Function,
		Payload:       payload,
		PayloadIsJSON: true, // json.Marshal's, and not used again
		PayloadOwned:  true,
		TraceID:       x.traceID(),
	})
	expired := timedOut(ctx)
	stop()
	switch {
	case expired:
		return nil, fmt.Errorf("timed out after %v", a.cfg.Timeout)
	case err != nil:
		return nil, err
	case res.FunctionError != "":
		var fe struct {
			ErrorMessage string `json:"errorMessage"`
		}
		if a.rest && json.Unmarshal(res.Payload, &fe) == nil && fe.ErrorMessage == "Unauthorized" {
			return nil, errUnauthorized
		}
		return nil, fmt.Errorf("function error: %s", truncate(res.Payload, 512))
	}
	return a.decode(res.Payload)
}

// decode reads an authorizer's answer in the shapes API Gateway
// documents, with member names matched exactly (encoding/json alone
// would match "IsAuthorized" or "effect" too, and let a later
// "ISAUTHORIZED" override "isAuthorized"). A simple answer needs a
// boolean isAuthorized. An IAM answer needs a policyDocument whose
// Statement is a statement or a list of them, each with an Effect of
// Allow or Deny and an Action and a Resource that are a string or a list
// of strings. Either may carry a context object.
func (a *lambdaAuth) decode(payload []byte) (*authResponse, error) {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(payload, &top); err != nil || top == nil {
		return nil, fmt.Errorf("malformed authorizer response: %s", truncate(payload, 256))
	}
	r := &authResponse{simple: a.cfg.SimpleResponses}
	if raw, ok := top["context"]; ok {
		if err := json.Unmarshal(raw, &r.context); err != nil {
			return nil, fmt.Errorf("malformed authorizer response context: %s", truncate(payload, 256))
		}
		if a.rest {
			for k, v := range r.context {
				switch v.(type) {
				case string, float64, bool:
				default:
					return nil, fmt.Errorf("authorizer response context %q is not a string, number or boolean", k)
				}
			}
		}
	}
	if r.simple {
		var ok *bool
		if err := json.Unmarshal(top["isAuthorized"], &ok); err != nil || ok == nil {
			return nil, fmt.Errorf("malformed simple response: %s", truncate(payload, 256))
		}
		r.authorized = *ok
		return r, nil
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(top["policyDocument"], &doc); err != nil || doc == nil {
		return nil, fmt.Errorf("malformed IAM policy response: %s", truncate(payload, 256))
	}
	if raw, ok := top["principalId"]; ok {
		if err := json.Unmarshal(raw, &r.principal); err != nil {
			return nil, fmt.Errorf("malformed IAM policy response principalId: %s", truncate(payload, 256))
		}
	}
	var list []json.RawMessage
	raw := bytes.TrimLeft(doc["Statement"], " \t\r\n")
	if len(raw) > 0 && raw[0] == '{' { // a single statement
		list = []json.RawMessage{raw}
	} else if err := json.Unmarshal(raw, &list); err != nil || list == nil {
		return nil, fmt.Errorf("malformed IAM policy Statement: %s", truncate(payload, 256))
	}
	for _, rawSt := range list {
		var st map[string]json.RawMessage
		var effect string
		if err := json.Unmarshal(rawSt, &st); err != nil || st == nil || json.Unmarshal(st["Effect"], &effect) != nil {
			return nil, fmt.Errorf("malformed policy statement: %s", truncate(payload, 256))
		}
		actions, err1 := stringOrList(st["Action"])
		resources, err2 := stringOrList(st["Resource"])
		if err1 != nil || err2 != nil || (effect != "Allow" && effect != "Deny") {
			return nil, fmt.Errorf("malformed policy statement: %s", truncate(payload, 256))
		}
		r.statements = append(r.statements, statement{effect: effect, actions: actions, resources: resources})
	}
	return r, nil
}

// stringOrList reads a policy element that is a string or a list of
// strings; null, and lists holding anything else, are refused.
func stringOrList(raw json.RawMessage) ([]string, error) {
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil, err
	}
	switch v := v.(type) {
	case string:
		return []string{v}, nil
	case []any:
		l := make([]string, len(v))
		for i, e := range v {
			s, ok := e.(string)
			if !ok {
				return nil, fmt.Errorf("a list holding a %T", e)
			}
			l[i] = s
		}
		return l, nil
	}
	return nil, fmt.Errorf("a %T, not a string or a list", v)
}

// allows evaluates the answer for the route's ARN as IAM does: an
// explicit Deny wins, then an Allow; otherwise it is denied.
// decide says whether r allows a call of arn, and if not, whether a
// statement denied it explicitly.
func (r *authResponse) decide(arn string) (allowed, denied bool) {
	if r.simple {
		return r.authorized, false
	}
	for _, st := range r.statements {
		if !slices.ContainsFunc(st.actions, func(a string) bool { return globMatch(a, "execute-api:Invoke", true) }) {
			continue
		}
		if !slices.ContainsFunc(st.resources, func(p string) bool { return globMatch(p, arn, false) }) {
			continue
		}
		if st.effect == "Deny" {
			return false, true
		}
		allowed = true
	}
	return allowed, false
}

// globMatch matches s against an IAM pattern, where * matches any run of
// characters and ? any one character; fold makes the match
// case-insensitive, as IAM matches action names. It runs in time
// proportional to len(pattern)*len(s) at worst: a policy from an
// authorizer function cannot make it backtrack exponentially.
func globMatch(pattern, s string, fold bool) bool {
	p, i := 0, 0        // next byte of pattern and of s
	star, from := -1, 0 // after the last * seen, and where in s it resumes
	for i < len(s) {
		if p < len(pattern) {
			switch pattern[p] {
			case '*':
				p++
				star, from = p, i
				continue
			case '?':
				_, n := utf8.DecodeRuneInString(s[i:])
				p, i = p+1, i+n
				continue
			default:
				pr, pn := utf8.DecodeRuneInString(pattern[p:])
				sr, sn := utf8.DecodeRuneInString(s[i:])
				if sameChar(pr, pn, sr, sn, pattern[p:p+pn], s[i:i+sn], fold) {
					p, i = p+pn, i+sn
					continue
				}
			}
		}
		if star < 0 {
			return false
		}
		// Let the last * take one more character of s and try again.
		_, n := utf8.DecodeRuneInString(s[from:])
		from += n
		p, i = star, from
	}
	return strings.Trim(pattern[p:], "*") == ""
}

// sameChar reports whether pattern character a (encoded as ab, n bytes)
// matches character b of s (bb, m bytes). Bytes that are not UTF-8 match
// only themselves.
func sameChar(a rune, n int, b rune, m int, ab, bb string, fold bool) bool {
	if a == utf8.RuneError && n == 1 || b == utf8.RuneError && m == 1 {
		return ab == bb
	}
	if a == b {
		return true
	}
	if !fold {
		return false
	}
	for r := unicode.SimpleFold(a); r != a; r = unicode.SimpleFold(r) {
		if r == b {
			return true
		}
	}
	return false
}
