// Package emulator is faasport's local cloud: the Lambda runtime, API
// gateways, the auth service and the product store, in one process, with no Docker, speaking AWS's own protocols so that unmodified
// AWS clients work against it.
//
// An Emulator is started and stopped like an httptest.Server: [New]
// starts it on 127.0.0.1, its URL is the AWS endpoint of every emulated
// service (point an SDK client's BaseEndpoint, or the AWS CLI's
// --endpoint-url, at it), [Emulator.NewAPI] starts an API gateway on a URL
// of its own, and [Emulator.Close] stops everything. Tests use
// emulatortest.New, which closes it when the test ends.
//
// The services themselves are the packages below: locallambda,
// localgateway, localcognito and localdynamo; each documents where it differs from AWS.
// The emulator adds only the wiring.
//
// # Differences from AWS
//
//   - One endpoint serves every service: requests are told apart by path
//     (the Lambda API's /2015-03-31/) and by X-Amz-Target (Cognito,
//     DynamoDB), as
//     each AWS service has a host of its own.
//   - The endpoint answers CORS preflight requests for any origin, so that
//     a single-page app on another local port can call it, and lets any
//     origin read its answers, errors included.
//   - Gateways verify tokens of the emulator's own user pools with their
//     keys in process, whatever issuer the pool is configured with; other
//     issuers are fetched over HTTP as API Gateway does.
//   - IAM (when Options.Roles is set) decides the product store's
//     requests, the Lambda Invoke API's (lambda:InvokeFunction on the
//     function's ARN, with the qualifier the request names; there is no
//     resource policy, so API gateways invoke functions in process, not
//     as a principal) and the gateways' routes with an IAMAuthorizer.
//     Roles carry identity-based policies only: no resource policies,
//     permission boundaries or session policies. An IAM-authorised
//     request's identity gives a role's unique id as "AROA" and 17
//     characters derived from its ARN, and no
//     cognitoAuthenticationProvider. Policies see the global condition
//     keys aws:CurrentTime, aws:EpochTime, aws:SecureTransport,
//     aws:SourceIp, aws:PrincipalArn (the role), aws:PrincipalType
//     (AssumedRole), aws:PrincipalAccount and aws:userid (the role's id
//     and the session's name); not aws:RequestedRegion, aws:SourceVpc,
//     tags or MFA keys.
package emulator

import (
	"context"
	"crypto/rsa"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/faasport/faasport/emulator/clock"
	"github.com/faasport/faasport/emulator/localcognito"
	"github.com/faasport/faasport/emulator/localdynamo"
	"github.com/faasport/faasport/emulator/localgateway"
	"github.com/faasport/faasport/emulator/localiam"
	"github.com/faasport/faasport/emulator/locallambda"
	"github.com/faasport/faasport/faas"
	"github.com/faasport/faasport/internal/inproc"
	"github.com/faasport/faasport/verify"
)

// Options configure an [Emulator]. The zero value is ready for use, and
// New accepts nil for it.
type Options struct {
	// Region and AccountID appear in ARNs, pool ids and events. Empty
	// means "us-east-1" and "123456789012".
	Region, AccountID string

	// Clock tells the time to every service, so that tests can drive
	// timeouts, throttles and token expiry. Nil means clock.Real().
	Clock clock.Clock

	// Logger receives every service's logs. Nil means slog.Default().
	Logger *slog.Logger

	// AccountConcurrency is Lambda's account-wide concurrency limit. Zero
	// means 1000.
	AccountConcurrency int

	// Addr is the address of the AWS endpoint. Empty means 127.0.0.1 on
	// a port the system picks.
	Addr string

	// AuthDB is the auth service's SQLite database file. Empty means an
	// in-memory database, lost at Close.
	AuthDB string

	// Auth configures the auth service: user pools, app clients, groups,
	// identity pools, administrator keys. Its Region, AccountID, Clock
	// and Logger default to the Emulator's.
	Auth localcognito.Options

	// StoreDB is the product store's SQLite database file. Empty means an
	// in-memory database, lost at Close.
	StoreDB string

	// Store configures the product store. Its Region, AccountID, Clock and
	// Logger default to the Emulator's; its Authorizer is the emulator's
	// when Roles is set.
	Store localdynamo.Options

	// Roles are the account's IAM roles, by ARN
	// ("arn:aws:iam::123456789012:role/shopper"), each with its
	// identity-based policies as JSON documents. Identity pools hand out
	// their credentials; [Emulator.RoleCredentials] hands out a role's
	// credentials to functions.
	//
	// When Roles is non-nil, the product store enforces IAM: every request
	// must be SigV4-signed with credentials the emulator issued (or an
	// Admin key), and each operation — each item of batches and
	// transactions too — is allowed only as the caller's role's policies
	// allow, with dynamodb:LeadingKeys, dynamodb:Attributes,
	// dynamodb:Select, dynamodb:ReturnValues and the Cognito policy
	// variables. Nil means the store allows every request, as DynamoDB
	// Local does.
	Roles map[string][]string

	// Admin holds administrator keys: requests signed with them may do
	// anything, in the product store and in the auth service's Admin*
	// operations.
	Admin verify.StaticCredentials
}

// Emulator is a running local cloud. Its fields are set by [New] and must
// not be changed.
type Emulator struct {
	// URL is the AWS endpoint, "http://127.0.0.1:port", of the Lambda
	// Invoke API, the Cognito user pool and identity APIs, and the
	// DynamoDB API.
	URL string

	// Lambda is the Lambda runtime: register functions with it (or with
	// [Emulator.Register]) and invoke them from Go.
	Lambda *locallambda.Service

	// Auth is the auth service.
	Auth *localcognito.Service

	// Store is the product store, the DynamoDB API.
	Store *localdynamo.Store

	opts        Options
	handler     http.Handler // the endpoint's, served at URL
	server      *http.Server
	ln          net.Listener
	keys        verify.KeySource
	policies    map[string][]*localiam.Policy
	roles       roleKeys
	sigv4       *verify.SigV4Verifier
	invokeSigV4 *verify.SigV4Verifier // for IAM authorization on the API gateways
	lambdaSigV4 *verify.SigV4Verifier // for the Lambda Invoke API

	mu   sync.Mutex
	apis []*API
}

// New starts an Emulator. The caller must call Close when done with it.
func New(opts *Options) (*Emulator, error) {
	o := Options{}
	if opts != nil {
		o = *opts
	}
	if o.Region == "" {
		o.Region = "us-east-1"
	}
	if o.AccountID == "" {
		o.AccountID = "123456789012"
	}
	if o.Clock == nil {
		o.Clock = clock.Real()
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	e := &Emulator{opts: o}
	policies, err := parseRoles(o.Roles)
	if err != nil {
		return nil, err
	}
	e.policies = policies
	lambdaOpts := &locallambda.Options{
		Region:             o.Region,
		AccountID:          o.AccountID,
		AccountConcurrency: o.AccountConcurrency,
		Clock:              o.Clock,
		Logger:             o.Logger,
	}
	if e.enforceIAM() {
		lambdaOpts.Authorize = e.authorizeLambda
	}
	e.Lambda = locallambda.New(lambdaOpts)

	auth := o.Auth
	if auth.Admin == nil {
		auth.Admin = o.Admin
	}
	auth.Region = or(auth.Region, o.Region)
	auth.AccountID = or(auth.AccountID, o.AccountID)
	if auth.Clock == nil {
		auth.Clock = o.Clock
	}
	if auth.Logger == nil {
		auth.Logger = o.Logger
	}
	path := o.AuthDB
	if path == "" {
		path = ":memory:"
	}
	if e.Auth, err = localcognito.Open(path, &auth); err != nil {
		e.Lambda.Close()
		return nil, fmt.Errorf("emulator: starting the auth service: %w", err)
	}
	store := o.Store
	store.Region = or(store.Region, o.Region)
	store.AccountID = or(store.AccountID, o.AccountID)
	if store.Clock == nil {
		store.Clock = o.Clock
	}
	if store.Logger == nil {
		store.Logger = o.Logger
	}
	if e.enforceIAM() && store.Authorizer == nil {
		store.Authorizer = e.authorizeStore
	}
	if e.Store, err = localdynamo.Open(or(o.StoreDB, ":memory:"), &store); err != nil {
		e.Auth.Close()
		e.Lambda.Close()
		return nil, fmt.Errorf("emulator: starting the product store: %w", err)
	}
	e.sigv4 = &verify.SigV4Verifier{
		Credentials: credentialStores{&e.roles, e.Auth}, // role keys first: a map, not a query
		Service:     "dynamodb",
		Region:      o.Region,
		Clock:       o.Clock,
	}
	e.invokeSigV4 = &verify.SigV4Verifier{
		Credentials: e.sigv4.Credentials,
		Service:     "execute-api",
		Region:      o.Region,
		Clock:       o.Clock,
	}
	e.lambdaSigV4 = &verify.SigV4Verifier{
		Credentials: e.sigv4.Credentials,
		Service:     "lambda",
		Region:      o.Region,
		Clock:       o.Clock,
		MaxBody:     locallambda.MaxRequestSize,
	}
	e.keys = keySources{e.Auth.KeySource(), verify.NewJWKSCache(verify.JWKSOptions{Clock: o.Clock})}

	addr := o.Addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	if e.ln, err = net.Listen("tcp", addr); err != nil {
		e.Store.Close()
		e.Auth.Close()
		e.Lambda.Close()
		return nil, fmt.Errorf("emulator: %w", err)
	}
	e.URL = "http://" + e.ln.Addr().String()
	e.handler = e.endpoint()
	e.server = &http.Server{Handler: e.handler, ReadHeaderTimeout: 10 * time.Second}
	go e.server.Serve(e.ln)
	return e, nil
}

func or(s, def string) string {
	if s != "" {
		return s
	}
	return def
}

// Register registers an in-process function with the Lambda runtime.
func (e *Emulator) Register(cfg faas.Config, fn faas.Function) error {
	return e.Lambda.Register(cfg, fn)
}

// HTTPClient returns an http.Client whose transport calls the emulator's
// AWS endpoint (the one at URL) in process, without a network: give it
// to an SDK client with any endpoint URL (for example
// http://emulator.invalid) and the client reaches the Lambda API, Cognito
// and the product store as it would over HTTP, signature checks and
// policies included, only faster.
func (e *Emulator) HTTPClient() *http.Client {
	return &http.Client{Transport: inproc.Transport{Handler: e.handler}}
}

// endpoint routes a request to the service it is addressed to.
func (e *Emulator) endpoint() http.Handler {
	lambda := e.Lambda.Handler()
	auth := e.Auth.Handler()
	store := e.Store.Handler()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		target := r.Header.Get("X-Amz-Target")
		switch {
		case strings.HasPrefix(r.URL.Path, "/2015-03-31/"):
			lambda.ServeHTTP(w, r)
		case strings.HasPrefix(target, "AWSCognitoIdentityProviderService."),
			strings.HasPrefix(target, "AWSCognitoIdentityService."),
			strings.Contains(r.URL.Path, "/.well-known/"):
			auth.ServeHTTP(w, r)
		case strings.HasPrefix(target, "DynamoDB_20120810."):
			if e.enforceIAM() {
				if r = e.verifyStoreRequest(w, r); r == nil {
					return
				}
			}
			store.ServeHTTP(w, r)
		case r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "":
			preflight(w, r)
		default:
			allowOrigin(w, r)
			w.Header().Set("Content-Type", "application/x-amz-json-1.1")
			w.Header().Set("x-amzn-ErrorType", "UnknownOperationException")
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprintf(w, `{"__type":"UnknownOperationException","message":"faasport emulator: no service answers %s %s (X-Amz-Target %q)"}`,
				r.Method, r.URL.Path, target)
		}
	})
}

// allowOrigin lets a browser page of any origin read the endpoint's own
// error answer to r, as the services' answers let it.
func allowOrigin(w http.ResponseWriter, r *http.Request) {
	if origin := r.Header.Get("Origin"); origin != "" {
		h := w.Header()
		h.Set("Access-Control-Allow-Origin", origin)
		h.Add("Vary", "Origin")
		h.Set("Access-Control-Expose-Headers", "x-amzn-RequestId, x-amzn-ErrorType, Date")
	}
}

// preflight answers a CORS preflight request for any origin.
func preflight(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Access-Control-Allow-Origin", or(r.Header.Get("Origin"), "*"))
	h.Set("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
	if req := r.Header.Get("Access-Control-Request-Headers"); req != "" {
		h.Set("Access-Control-Allow-Headers", req)
	}
	h.Set("Access-Control-Max-Age", "600")
	h.Add("Vary", "Origin")
	w.WriteHeader(http.StatusNoContent)
}

// keySources finds a JWT signing key in the first source that has it.
type keySources []verify.KeySource

func (ks keySources) Key(ctx context.Context, issuer, kid string) (*rsa.PublicKey, error) {
	var first error
	for _, s := range ks {
		k, err := s.Key(ctx, issuer, kid)
		if err == nil {
			return k, nil
		}
		if first == nil {
			first = err
		}
	}
	return nil, first
}

// API is an API gateway started by [Emulator.NewAPI].
type API struct {
	// URL is the gateway's base URL, "http://127.0.0.1:port". HTTP APIs
	// serve their $default stage at its root and named stages under
	// "/<stage>".
	URL string

	// Gateway is the gateway itself.
	Gateway *localgateway.Gateway

	server *http.Server
}

// NewAPI starts an API gateway on 127.0.0.1. Lambda integrations and
// authorizers invoke the emulator's functions; JWT and Cognito authorizers
// trust the emulator's user pools; IAM authorizers without an Authorize
// function trust the credentials the emulator issued (identity pools,
// RoleCredentials, Admin keys) and decide by the role policies of
// Options.Roles; the clock and logger are the emulator's, unless cfg sets
// its own.
func (e *Emulator) NewAPI(cfg localgateway.Config) (*API, error) {
	if cfg.Invoker == nil {
		cfg.Invoker = e.Lambda
	}
	if cfg.Keys == nil {
		cfg.Keys = e.keys
	}
	auths := make(map[string]localgateway.Authorizer, len(cfg.Authorizers))
	for name, a := range cfg.Authorizers {
		if iam, ok := a.(localgateway.IAMAuthorizer); ok && iam.Authorize == nil {
			iam.Authorize = e.authorizeInvoke
			a = iam
		}
		auths[name] = a
	}
	cfg.Authorizers = auths
	if cfg.Clock == nil {
		cfg.Clock = e.opts.Clock
	}
	if cfg.Logger == nil {
		cfg.Logger = e.opts.Logger
	}
	cfg.Region = or(cfg.Region, e.opts.Region)
	cfg.AccountID = or(cfg.AccountID, e.opts.AccountID)
	g, err := localgateway.New(cfg)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("emulator: %w", err)
	}
	api := &API{
		URL:     "http://" + ln.Addr().String(),
		Gateway: g,
		server:  &http.Server{Handler: g, ReadHeaderTimeout: 10 * time.Second},
	}
	go api.server.Serve(ln)
	e.mu.Lock()
	e.apis = append(e.apis, api)
	e.mu.Unlock()
	return api, nil
}

// Close stops the gateways and the endpoint, waiting for requests in
// flight, then the services.
func (e *Emulator) Close() error {
	// net/http's Shutdown waits up to 5 s for a connection that was
	// opened but has sent no request (a browser's preconnect) before it
	// takes it for idle: wait longer than that.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	e.mu.Lock()
	apis := e.apis
	e.apis = nil
	e.mu.Unlock()
	var errs []error
	for _, a := range apis {
		errs = append(errs, a.server.Shutdown(ctx))
		a.Gateway.CloseIdleConnections()
	}
	errs = append(errs, e.server.Shutdown(ctx))
	errs = append(errs, e.Lambda.Close(), e.Auth.Close(), e.Store.Close())
	return errors.Join(errs...)
}
