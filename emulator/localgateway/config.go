package localgateway

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/faasport/faasport/adapter"
	"github.com/faasport/faasport/emulator/clock"
	"github.com/faasport/faasport/emulator/locallambda"
	"github.com/faasport/faasport/verify"
)

// Kind is the kind of API: an HTTP API or a REST API.
type Kind int

// The kinds of API. The zero Kind is an HTTP API.
const (
	HTTPAPI Kind = iota
	RESTAPI
)

func (k Kind) String() string {
	switch k {
	case HTTPAPI:
		return "HTTP API"
	case RESTAPI:
		return "REST API"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Limits and defaults, as API Gateway documents them.
const (
	MaxPayloadSize            = 10 << 20 // request body, both kinds
	MaxHTTPIntegrationTimeout = 30 * time.Second
	MaxRESTIntegrationTimeout = 29 * time.Second
	MinIntegrationTimeout     = 50 * time.Millisecond
	MaxRoutes                 = 300
	MaxAuthorizers            = 10
	MaxAudiences              = 50
	MaxUserPools              = 1000 // of a Cognito authorizer
	MaxScopes                 = 10
	MaxAuthorizerTTL          = time.Hour
	DefaultAuthorizerTimeout  = 10 * time.Second

	// DefaultAccountRate and DefaultAccountBurst are the account-level
	// throttle: 10,000 requests per second with a burst of 5,000.
	DefaultAccountRate  = 10000
	DefaultAccountBurst = 5000
)

// Invoker invokes Lambda functions. *locallambda.Service implements it.
type Invoker interface {
	Invoke(ctx context.Context, req locallambda.InvokeRequest) (*locallambda.InvokeResult, error)
}

var _ Invoker = (*locallambda.Service)(nil)

// Config configures a [Gateway]. Given routes and, for Lambda
// integrations, an Invoker, its zero value is an HTTP API with a $default
// stage.
type Config struct {
	// Kind is HTTPAPI (the zero value) or RESTAPI.
	Kind Kind

	// Stages are the API's stages. Nil means one stage: "$default" for an
	// HTTP API, "prod" for a REST API.
	Stages []Stage

	// Routes are the API's routes. At least one is required.
	Routes []Route

	// Authorizers are the API's authorizers by name, for Route.Authorizer.
	// Values are JWTAuthorizer or LambdaAuthorizer.
	Authorizers map[string]Authorizer

	// CORS, when set, makes the gateway answer the CORS preflight
	// requests no route takes and set the CORS headers of every response
	// (HTTP APIs only). As on AWS, a preflight that an OPTIONS route, an
	// ANY route or $default takes goes through that route's authorizer
	// and integration: give such an API an OPTIONS /{proxy+} route
	// without an authorizer.
	CORS *CORS

	// BinaryMediaTypes are a REST API's binary media types: media types
	// such as "image/png", "type/*" or "*/*". As on AWS, a request body
	// whose Content-Type matches one reaches the function base64-encoded,
	// and any other as text, its bytes that are not UTF-8 replaced: a
	// REST API that takes binary uploads needs them. Nil means none. HTTP
	// APIs have no such setting: they choose by Content-Type (see
	// adapter.NewEvent).
	BinaryMediaTypes []string

	// AccountThrottle is the account-level throttle, applied to every
	// request before the stage's and route's. Zero means 10,000 requests
	// per second with a burst of 5,000.
	AccountThrottle Throttle

	// Invoker invokes the functions of Lambda integrations and
	// authorizers; typically a *locallambda.Service. Required when any
	// route or authorizer names a function.
	Invoker Invoker

	// Keys finds JWT authorizers' signing keys. Nil means a
	// verify.JWKSCache of the gateway's own, timed by Clock.
	Keys verify.KeySource

	// Clock times integrations, throttling, token expiry and caches. Nil
	// means clock.Real().
	Clock clock.Clock

	// Logger receives one access log line per request. Nil means
	// slog.Default().
	Logger *slog.Logger

	// APIID, Region and AccountID appear in events. Empty means "local",
	// "us-east-1" and "123456789012".
	APIID, Region, AccountID string
}

// Stage is a stage of the API.
type Stage struct {
	// Name is the stage's name, the first path segment of its requests.
	// An HTTP API's "$default" stage is served at the root instead.
	Name string

	// Throttle is the stage's default route throttle: each route of the
	// stage gets a token bucket of this rate and burst, unless
	// RouteThrottle names it. Zero means no limit besides the account's.
	Throttle Throttle

	// RouteThrottle overrides Throttle for the routes it names by route
	// key ("GET /pets/{id}").
	RouteThrottle map[string]Throttle

	// Variables are the stage variables, passed to functions in events.
	Variables map[string]string
}

// Throttle is a token bucket: Burst tokens at most, refilled at Rate per
// second. The zero Throttle is no limit.
type Throttle struct {
	Rate  float64 // requests per second
	Burst int
}

func (t Throttle) isZero() bool { return t.Rate == 0 && t.Burst == 0 }

// Route is a route of the API.
type Route struct {
	// Key is "METHOD /path" (method ANY, GET, HEAD, POST, PUT, PATCH,
	// DELETE or OPTIONS; path segments literal, {name}, or a final greedy
	// {name+}), or "$default" (HTTP APIs only).
	Key string

	// Integration is a Lambda or an HTTPProxy.
	Integration Integration

	// Authorizer names an entry of Config.Authorizers. Empty means none.
	Authorizer string

	// Scopes are the route's authorization scopes, for a JWT authorizer:
	// a token's scope (or scp) claim must hold one of them.
	Scopes []string
}

// Integration is where a route sends its requests: a [Lambda] or an
// [HTTPProxy].
type Integration interface{ integration() }

// Lambda is a Lambda proxy integration.
type Lambda struct {
	// Function is the function's name or ARN.
	Function string

	// PayloadFormat is "2.0" or "1.0" for HTTP APIs; empty means "2.0".
	// REST APIs have a single format: it must be empty.
	PayloadFormat string

	// Timeout is the integration timeout, from 50 ms up to 30 s (HTTP
	// API) or 29 s (REST API). Zero means the maximum.
	Timeout time.Duration
}

// HTTPProxy is an HTTP proxy integration: requests are forwarded to URL,
// such as the monolith still serving the routes not yet moved.
type HTTPProxy struct {
	// URL is the target, "http://host:port[/path]". {name} in its path
	// is replaced by the route's path variable of that name. Without
	// variables, a $default route or a route with a greedy variable
	// appends the request's whole path (after the stage) to URL's path;
	// any other route sends to URL as it is.
	URL string

	// Timeout is as for Lambda.
	Timeout time.Duration
}

func (Lambda) integration()    {}
func (HTTPProxy) integration() {}

// Authorizer is a [JWTAuthorizer], a [LambdaAuthorizer], a
// [CognitoAuthorizer] or an [IAMAuthorizer].
type Authorizer interface{ authorizer() }

// JWTAuthorizer is an HTTP API JWT authorizer.
type JWTAuthorizer struct {
	Issuer    string   // the exact iss of tokens; keys come from its discovery document
	Audiences []string // 1 to 50 accepted audiences (aud, or client_id without aud)

	// IdentitySource is where the token is: "$request.header.Name" or
	// "$request.querystring.name". Empty means
	// "$request.header.Authorization". A "Bearer " prefix is removed.
	IdentitySource string
}

// LambdaAuthorizer is a Lambda authorizer: for HTTP APIs of the REQUEST
// type, for REST APIs of the REQUEST or TOKEN type.
type LambdaAuthorizer struct {
	// Function is the authorizer function's name or ARN.
	Function string

	// PayloadFormat is "1.0" or "2.0", required for HTTP APIs. REST API
	// authorizers have events of their own and leave it empty.
	PayloadFormat string

	// Type is "REQUEST" (the default) or, for REST APIs, "TOKEN": the
	// function gets {"type":"TOKEN","authorizationToken","methodArn"}
	// with the value of the one header IdentitySources names.
	Type string

	// IdentityValidationExpression, for a TOKEN authorizer, is a regular
	// expression the whole token must match; a token that does not is
	// refused with 401 without calling the function.
	IdentityValidationExpression string

	// SimpleResponses lets a 2.0 authorizer answer
	// {"isAuthorized": bool, "context": {...}} instead of an IAM policy.
	SimpleResponses bool

	// IdentitySources are "$request.header.Name",
	// "$request.querystring.name", "$context.routeKey" or
	// "$stageVariables.name"; REST APIs also take API Gateway's
	// "method.request.header.Name", "method.request.querystring.name"
	// and "stageVariables.name". A request missing any of them is refused
	// with 401 without calling the function. A TOKEN authorizer has one
	// header, by default Authorization.
	IdentitySources []string

	// TTL caches results by the values of the identity sources, up to
	// an hour. Zero means no caching.
	TTL time.Duration

	// Timeout bounds the function's run. Zero means 10 s.
	Timeout time.Duration
}

// CognitoAuthorizer is a REST API authorizer of the COGNITO_USER_POOLS
// type: it accepts the tokens its user pools issued, for any of their app
// clients. A route without Scopes takes ID tokens; a route with Scopes
// takes access tokens holding one of them.
type CognitoAuthorizer struct {
	// Issuers are the user pools' issuer URLs, such as
	// "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_abc", or
	// the emulator's Auth.Issuer(poolID): 1 to 1,000. Each one's keys
	// come from its discovery document.
	Issuers []string

	// IdentitySource is the header that holds the token:
	// "method.request.header.Name" or "$request.header.Name". Empty means
	// Authorization.
	IdentitySource string
}

// IAMAuthorizer authorizes requests by their AWS Signature Version 4
// signature, as a route with AWS_IAM authorization does: the caller must
// sign the request for the execute-api service, and its IAM policies must
// allow execute-api:Invoke on the method's ARN
// ("arn:aws:execute-api:<region>:<account>:<api>/<stage>/<METHOD>/<path>").
// The function gets the caller's identity in requestContext.identity (REST
// API, payload 1.0) or requestContext.authorizer.iam (payload 2.0).
type IAMAuthorizer struct {
	// Authorize checks r's signature (r's body can be read) and whether
	// its caller may call methodARN, and returns the caller. A refusal is
	// an *IAMDenial. Required: the emulator's NewAPI sets it, when nil, to
	// one that trusts the credentials the emulator issued and decides by
	// the role policies of emulator.Options.Roles.
	Authorize func(r *http.Request, methodARN string) (*adapter.IAMIdentity, error)
}

// An IAMDenial is an [IAMAuthorizer]'s refusal of a request. A REST API
// answers it 403 with its Code in x-amzn-ErrorType; an HTTP API answers
// 403 {"message":"Forbidden"}.
type IAMDenial struct {
	// Code is AWS's error type: MissingAuthenticationTokenException for
	// an unsigned request, a signature failure's type (such as
	// InvalidSignatureException or UnrecognizedClientException), or
	// AccessDeniedException when the caller's policies do not allow the
	// call.
	Code string

	// Message is AWS's message, such as "User: arn:aws:sts::...:
	// assumed-role/guest/CognitoIdentityCredentials is not authorized to
	// perform: execute-api:Invoke on resource: arn:aws:execute-api:...".
	Message string
}

func (d *IAMDenial) Error() string { return d.Code + ": " + d.Message }

func (JWTAuthorizer) authorizer()     {}
func (LambdaAuthorizer) authorizer()  {}
func (CognitoAuthorizer) authorizer() {}
func (IAMAuthorizer) authorizer()     {}

var stageName = regexp.MustCompile(`^[A-Za-z0-9_-]{1,128}$`)

// mediaRange matches a media type or range: RFC 9110 tokens either side
// of the slash, "*" only as "type/*" or "*/*".
var mediaRange = regexp.MustCompile("^(\\*/\\*|[!#$%&'+.^_`|~0-9A-Za-z-]+/(\\*|[!#$%&'+.^_`|~0-9A-Za-z-]+))$")

// validate checks cfg strictly: every setting the gateway does not
// implement, or that API Gateway would refuse, is an error naming it.
func (cfg *Config) validate() error {
	if cfg.Kind != HTTPAPI && cfg.Kind != RESTAPI {
		return fmt.Errorf("localgateway: unknown Kind %d", int(cfg.Kind))
	}
	rest := cfg.Kind == RESTAPI
	if len(cfg.Routes) == 0 {
		return fmt.Errorf("localgateway: no routes")
	}
	if len(cfg.Routes) > MaxRoutes {
		return fmt.Errorf("localgateway: %d routes, over the limit of %d", len(cfg.Routes), MaxRoutes)
	}
	if len(cfg.Authorizers) > MaxAuthorizers {
		return fmt.Errorf("localgateway: %d authorizers, over the limit of %d", len(cfg.Authorizers), MaxAuthorizers)
	}
	if err := cfg.AccountThrottle.validate("AccountThrottle"); err != nil {
		return err
	}
	needInvoker := ""
	keys := map[string]bool{}
	shapes := map[string]string{}
	for i, r := range cfg.Routes {
		k, err := parseRouteKey(r.Key)
		if err != nil {
			return fmt.Errorf("localgateway: route %d: %v", i, err)
		}
		if rest && k.def {
			return fmt.Errorf("localgateway: route %q: REST APIs have no $default route; use \"ANY /{proxy+}\"", r.Key)
		}
		if prev, ok := shapes[k.shape()]; ok {
			return fmt.Errorf("localgateway: route %q duplicates route %q", r.Key, prev)
		}
		shapes[k.shape()] = r.Key
		keys[r.Key] = true
		switch in := r.Integration.(type) {
		case nil:
			return fmt.Errorf("localgateway: route %q has no integration", r.Key)
		case Lambda:
			if in.Function == "" {
				return fmt.Errorf("localgateway: route %q: Lambda integration without a Function", r.Key)
			}
			needInvoker = r.Key
			if rest && in.PayloadFormat != "" {
				return fmt.Errorf("localgateway: route %q: PayloadFormat %q: REST API Lambda proxy integrations have no payload format setting", r.Key, in.PayloadFormat)
			}
			if !rest && in.PayloadFormat != "" && in.PayloadFormat != "1.0" && in.PayloadFormat != "2.0" {
				return fmt.Errorf("localgateway: route %q: PayloadFormat %q: want \"1.0\" or \"2.0\"", r.Key, in.PayloadFormat)
			}
			if err := cfg.checkTimeout(r.Key, in.Timeout); err != nil {
				return err
			}
		case HTTPProxy:
			u, err := url.Parse(in.URL)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
				return fmt.Errorf("localgateway: route %q: HTTPProxy URL %q: want http(s)://host[:port][/path]", r.Key, in.URL)
			}
			for _, name := range urlVariables(u.Path) {
				if !slices.ContainsFunc(k.segs, func(s segment) bool { return s.param == name }) {
					return fmt.Errorf("localgateway: route %q: HTTPProxy URL %q names {%s}, which the route has not", r.Key, in.URL, name)
				}
			}
			if err := cfg.checkTimeout(r.Key, in.Timeout); err != nil {
				return err
			}
		default:
			return fmt.Errorf("localgateway: route %q: unsupported integration %T", r.Key, r.Integration)
		}
		if len(r.Scopes) > MaxScopes {
			return fmt.Errorf("localgateway: route %q: %d scopes, over the limit of %d", r.Key, len(r.Scopes), MaxScopes)
		}
		if r.Authorizer == "" {
			if len(r.Scopes) > 0 {
				return fmt.Errorf("localgateway: route %q: Scopes without an Authorizer", r.Key)
			}
			continue
		}
		a, ok := cfg.Authorizers[r.Authorizer]
		if !ok {
			return fmt.Errorf("localgateway: route %q: unknown authorizer %q", r.Key, r.Authorizer)
		}
		switch a.(type) {
		case LambdaAuthorizer, IAMAuthorizer:
			if len(r.Scopes) > 0 {
				return fmt.Errorf("localgateway: route %q: Scopes need a JWT or Cognito authorizer; %q is not one", r.Key, r.Authorizer)
			}
		}
	}
	for name, a := range cfg.Authorizers {
		if name == "" {
			return fmt.Errorf("localgateway: an authorizer has an empty name")
		}
		switch a := a.(type) {
		case JWTAuthorizer:
			if rest {
				return fmt.Errorf("localgateway: authorizer %q: JWT authorizers are for HTTP APIs; REST APIs take a CognitoAuthorizer or a LambdaAuthorizer", name)
			}
			u, err := url.Parse(a.Issuer)
			if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
				return fmt.Errorf("localgateway: authorizer %q: Issuer %q is not an http(s) URL", name, a.Issuer)
			}
			if n := len(a.Audiences); n == 0 || n > MaxAudiences {
				return fmt.Errorf("localgateway: authorizer %q: %d audiences, want 1 to %d", name, n, MaxAudiences)
			}
			if a.IdentitySource != "" {
				if _, _, err := parseIdentitySource(a.IdentitySource, false, false); err != nil {
					return fmt.Errorf("localgateway: authorizer %q: %v", name, err)
				}
			}
		case LambdaAuthorizer:
			if a.Function == "" {
				return fmt.Errorf("localgateway: authorizer %q: no Function", name)
			}
			needInvoker = "authorizer " + name
			switch {
			case a.Type != "" && a.Type != "REQUEST" && a.Type != "TOKEN":
				return fmt.Errorf("localgateway: authorizer %q: Type %q: want \"REQUEST\" or \"TOKEN\"", name, a.Type)
			case a.Type == "TOKEN" && !rest:
				return fmt.Errorf("localgateway: authorizer %q: TOKEN authorizers are for REST APIs", name)
			case a.IdentityValidationExpression != "" && a.Type != "TOKEN":
				return fmt.Errorf("localgateway: authorizer %q: IdentityValidationExpression needs Type TOKEN", name)
			case rest && a.PayloadFormat != "":
				return fmt.Errorf("localgateway: authorizer %q: REST API authorizers have no PayloadFormat", name)
			case !rest && a.PayloadFormat != "1.0" && a.PayloadFormat != "2.0":
				return fmt.Errorf("localgateway: authorizer %q: PayloadFormat %q: want \"1.0\" or \"2.0\"", name, a.PayloadFormat)
			}
			if a.Type == "TOKEN" {
				if len(a.IdentitySources) > 1 {
					return fmt.Errorf("localgateway: authorizer %q: a TOKEN authorizer has one identity source", name)
				}
				if len(a.IdentitySources) == 1 {
					if kind, _, err := parseIdentitySource(a.IdentitySources[0], true, true); err == nil && kind != srcHeader {
						return fmt.Errorf("localgateway: authorizer %q: a TOKEN authorizer's identity source is a header", name)
					}
				}
				if _, err := regexp.Compile(a.IdentityValidationExpression); err != nil {
					return fmt.Errorf("localgateway: authorizer %q: IdentityValidationExpression: %v", name, err)
				}
			}
			if a.SimpleResponses && a.PayloadFormat != "2.0" {
				return fmt.Errorf("localgateway: authorizer %q: SimpleResponses need payload format 2.0", name)
			}
			if a.TTL < 0 || a.TTL > MaxAuthorizerTTL {
				return fmt.Errorf("localgateway: authorizer %q: TTL %v outside 0 to 1h", name, a.TTL)
			}
			if a.TTL > 0 && len(a.IdentitySources) == 0 && a.Type != "TOKEN" {
				return fmt.Errorf("localgateway: authorizer %q: caching (TTL) needs IdentitySources", name)
			}
			if a.Timeout < 0 || a.Timeout > DefaultAuthorizerTimeout {
				return fmt.Errorf("localgateway: authorizer %q: Timeout %v outside 0 to 10s", name, a.Timeout)
			}
			for _, s := range a.IdentitySources {
				if _, _, err := parseIdentitySource(s, true, rest); err != nil {
					return fmt.Errorf("localgateway: authorizer %q: %v", name, err)
				}
			}
		case IAMAuthorizer:
			if a.Authorize == nil {
				return fmt.Errorf("localgateway: authorizer %q: IAMAuthorizer has no Authorize function", name)
			}
		case CognitoAuthorizer:
			if !rest {
				return fmt.Errorf("localgateway: authorizer %q: Cognito user pool authorizers are for REST APIs; HTTP APIs take a JWTAuthorizer", name)
			}
			if n := len(a.Issuers); n == 0 || n > MaxUserPools {
				return fmt.Errorf("localgateway: authorizer %q: %d user pools, want 1 to %d", name, n, MaxUserPools)
			}
			for _, iss := range a.Issuers {
				u, err := url.Parse(iss)
				if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
					return fmt.Errorf("localgateway: authorizer %q: issuer %q is not an http(s) URL", name, iss)
				}
			}
			if a.IdentitySource != "" {
				if kind, _, err := parseIdentitySource(a.IdentitySource, false, true); err != nil || kind != srcHeader {
					return fmt.Errorf("localgateway: authorizer %q: identity source %q is not a header", name, a.IdentitySource)
				}
			}
		case nil:
			return fmt.Errorf("localgateway: authorizer %q is nil", name)
		default:
			return fmt.Errorf("localgateway: authorizer %q: unsupported type %T", name, a)
		}
	}
	if needInvoker != "" && cfg.Invoker == nil {
		return fmt.Errorf("localgateway: %s calls a Lambda function but Config.Invoker is nil", needInvoker)
	}
	if cfg.CORS != nil {
		if rest {
			return fmt.Errorf("localgateway: CORS: REST API CORS (OPTIONS methods) is not implemented; CORS is for HTTP APIs")
		}
		if err := cfg.CORS.validate(); err != nil {
			return err
		}
	}
	if len(cfg.BinaryMediaTypes) > 0 && !rest {
		return fmt.Errorf("localgateway: BinaryMediaTypes: HTTP APIs have none (they choose by Content-Type); binary media types are for REST APIs")
	}
	for _, t := range cfg.BinaryMediaTypes {
		if !mediaRange.MatchString(t) {
			return fmt.Errorf("localgateway: binary media type %q: want type/subtype, type/* or */*", t)
		}
	}
	names := map[string]bool{}
	for _, s := range cfg.Stages {
		switch {
		case s.Name == "$default" && rest:
			return fmt.Errorf("localgateway: stage $default: REST APIs have no $default stage")
		case s.Name != "$default" && !stageName.MatchString(s.Name):
			return fmt.Errorf("localgateway: stage name %q: want 1 to 128 letters, digits, hyphens or underscores", s.Name)
		case names[s.Name]:
			return fmt.Errorf("localgateway: stage %q appears twice", s.Name)
		}
		names[s.Name] = true
		if err := s.Throttle.validate("stage " + s.Name + " Throttle"); err != nil {
			return err
		}
		for k, t := range s.RouteThrottle {
			if !keys[k] {
				return fmt.Errorf("localgateway: stage %q: RouteThrottle names route %q, which is not configured", s.Name, k)
			}
			if err := t.validate("stage " + s.Name + " RouteThrottle " + k); err != nil {
				return err
			}
		}
	}
	return nil
}

func (cfg *Config) maxTimeout() time.Duration {
	if cfg.Kind == RESTAPI {
		return MaxRESTIntegrationTimeout
	}
	return MaxHTTPIntegrationTimeout
}

func (cfg *Config) checkTimeout(route string, d time.Duration) error {
	if d != 0 && (d < MinIntegrationTimeout || d > cfg.maxTimeout()) {
		return fmt.Errorf("localgateway: route %q: integration Timeout %v outside %v to %v", route, d, MinIntegrationTimeout, cfg.maxTimeout())
	}
	return nil
}

func (t Throttle) validate(what string) error {
	if t.isZero() {
		return nil
	}
	// !(Rate > 0) also refuses NaN, which no comparison satisfies.
	if !(t.Rate > 0) || math.IsInf(t.Rate, 0) || t.Burst <= 0 {
		return fmt.Errorf("localgateway: %s: Rate %v and Burst %d must both be positive and finite, or both zero for no limit", what, t.Rate, t.Burst)
	}
	return nil
}

// urlVariables returns the {names} in an HTTP proxy URL path.
func urlVariables(p string) []string {
	var out []string
	for {
		i := strings.IndexByte(p, '{')
		if i < 0 {
			return out
		}
		j := strings.IndexByte(p[i:], '}')
		if j < 0 {
			return out
		}
		out = append(out, p[i+1:i+j])
		p = p[i+j+1:]
	}
}

// Identity source kinds.
const (
	srcHeader = iota
	srcQuery
	srcRouteKey
	srcStageVar
)

// parseIdentitySource parses "$request.header.Name" and
// "$request.querystring.name"; with lambda set, also "$context.routeKey"
// and "$stageVariables.name".
func parseIdentitySource(s string, lambda, rest bool) (kind int, name string, err error) {
	if rest {
		// API Gateway's own notation for REST APIs.
		switch {
		case strings.HasPrefix(s, "method.request.header.") && len(s) > len("method.request.header."):
			return srcHeader, s[len("method.request.header."):], nil
		case strings.HasPrefix(s, "method.request.querystring.") && len(s) > len("method.request.querystring."):
			return srcQuery, s[len("method.request.querystring."):], nil
		case strings.HasPrefix(s, "stageVariables.") && len(s) > len("stageVariables."):
			return srcStageVar, s[len("stageVariables."):], nil
		}
	}
	switch {
	case strings.HasPrefix(s, "$request.header.") && len(s) > len("$request.header."):
		return srcHeader, s[len("$request.header."):], nil
	case strings.HasPrefix(s, "$request.querystring.") && len(s) > len("$request.querystring."):
		return srcQuery, s[len("$request.querystring."):], nil
	case lambda && s == "$context.routeKey":
		return srcRouteKey, "", nil
	case lambda && strings.HasPrefix(s, "$stageVariables.") && len(s) > len("$stageVariables."):
		return srcStageVar, s[len("$stageVariables."):], nil
	}
	return 0, "", fmt.Errorf("identity source %q is not supported", s)
}
