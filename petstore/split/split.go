// Package split runs the pet store's serverless split on faasport's
// emulator: the same domain and the same gorilla/mux handlers as the
// monolith, carved into two functions behind an API gateway, with the
// auth service in front of the product store and the single-page app as
// the client.
//
// [Options] configures an emulator for the pet store (roles and their
// policies, the user pool, the identity pool, where the data lives), and
// [Start] deploys the pet store onto it: the tables and their seed data,
// the "search" and "purchase" functions, the HTTP API, and the
// single-page app on a listener of its own.
//
//	opts, admin := split.Options(dataDir)
//	e, err := emulator.New(opts)
//	...
//	s, err := split.Start(ctx, e, &split.Config{Admin: admin})
//	...
//	defer s.Close()
//	fmt.Println("open", s.SPAURL)
//
// # Who may do what
//
// Every request to the product store is signed, and allowed only as the
// signer's role's policies allow ([Policies]):
//
//   - Guests (the identity pool's unauthenticated role, [GuestRole]) may
//     read the Products table and its indexes, and nothing else.
//   - Signed-in customers ([ShopperRole]) may also GetItem and Query the
//     Orders table, but only their own partition: the condition
//     ForAllValues:StringEquals dynamodb:LeadingKeys
//     ${aws:PrincipalTag/username} holds the user pool sub, which is the
//     principal Subject the purchase function keys orders on. They cannot
//     write anything.
//   - The search function ([SearchRole]) reads Products.
//   - The purchase function ([PurchaseRole]) may do what a purchase does
//     and no more: GetItem and BatchGetItem on Products to quote, UpdateItem
//     and ConditionCheckItem on Products touching only id, stock and price
//     (dynamodb:Attributes), PutItem and GetItem on Orders (never listing
//     them), PutItem and GetItem on Idempotency. IAM cannot limit the
//     values it writes: that is the function's code, which only the
//     gateway may invoke.
//
// Tables are created and seeded with the emulator's administrator key,
// which [Options] makes at random on every call.
//
// # Passwords
//
// The user pool's password policy is relaxed from Cognito's default to
// the monolith's: at least 8 characters with a lower-case letter and a
// digit. Two limits still differ: the monolith takes passwords of up to
// 72 bytes (bcrypt's), the pool of up to 256 characters; and usernames,
// which the monolith limits to 3 to 32 lower-case letters, digits, _ and
// -, while the pool takes any without white space (Cognito has no
// setting for them; a pre-sign-up trigger would be needed).
//
// # Differences from AWS
//
// The split runs on the emulator, whose packages list their own
// differences. The split itself differs from a deployment on AWS in that
// the single-page app is served by a local listener rather than a CDN or
// S3 bucket, and the functions' credentials are the emulator's
// long-lived role keys rather than temporary credentials from STS.
package split

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/faasport/faasport/adapter"
	"github.com/faasport/faasport/emulator"
	"github.com/faasport/faasport/emulator/localcognito"
	"github.com/faasport/faasport/emulator/localgateway"
	"github.com/faasport/faasport/faas"
	"github.com/faasport/faasport/petstore"
	"github.com/faasport/faasport/petstore/httpapi"
	"github.com/faasport/faasport/petstore/spa"
	"github.com/faasport/faasport/verify"
)

// The split's account, region and resource names. They are fixed so that
// a split restarted on the same data directory finds its pools again,
// and so that the policies can name their resources.
const (
	Region    = "us-east-1"
	AccountID = "123456789012"

	UserPoolID     = Region + "_PetStore"
	ClientID       = "petstorewebclient"
	IdentityPoolID = Region + ":0a7b3c5d-1e2f-4a6b-8c9d-0e1f2a3b4c5d"

	GuestRole    = "arn:aws:iam::" + AccountID + ":role/petstore-guest"
	ShopperRole  = "arn:aws:iam::" + AccountID + ":role/petstore-shopper"
	SearchRole   = "arn:aws:iam::" + AccountID + ":role/petstore-search"
	PurchaseRole = "arn:aws:iam::" + AccountID + ":role/petstore-purchase"

	// SearchFunction serves the catalog's reads: search, listings,
	// product detail and images. PurchaseFunction serves purchases.
	SearchFunction   = "search"
	PurchaseFunction = "purchase"

	// FunctionTimeout is both functions' timeout.
	FunctionTimeout = 10 * time.Second
)

// PasswordPolicy is the user pool's password policy (see the package
// documentation).
var PasswordPolicy = localcognito.PasswordPolicy{MinimumLength: 8, RequireLowercase: true, RequireNumbers: true}

// Files in the data directory.
const (
	StoreFile = "store.db"
	AuthFile  = "auth.db"
)

// policy is an IAM policy document.
type policy struct {
	Version   string      `json:"Version"`
	Statement []statement `json:"Statement"`
}

type statement struct {
	Sid       string         `json:"Sid"`
	Effect    string         `json:"Effect"`
	Action    []string       `json:"Action"`
	Resource  []string       `json:"Resource"`
	Condition map[string]any `json:"Condition,omitempty"`
}

func table(name string) string {
	return "arn:aws:dynamodb:" + Region + ":" + AccountID + ":table/" + name
}

func actions(names ...string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = "dynamodb:" + n
	}
	return out
}

func (p policy) json() string {
	b, err := json.Marshal(p)
	if err != nil {
		panic("split: " + err.Error()) // a struct of strings always marshals
	}
	return string(b)
}

var (
	readProducts = statement{
		Sid: "ReadProducts", Effect: "Allow",
		Action:   actions("GetItem", "BatchGetItem", "Query", "Scan"),
		Resource: []string{table(petstore.ProductsTable), table(petstore.ProductsTable) + "/index/*"},
	}
	ownOrders = statement{
		Sid: "ReadOwnOrders", Effect: "Allow",
		Action:   actions("GetItem", "Query"),
		Resource: []string{table(petstore.OrdersTable)},
		Condition: map[string]any{"ForAllValues:StringEquals": map[string]any{
			"dynamodb:LeadingKeys": []string{"${aws:PrincipalTag/username}"},
		}},
	}
	quoteProducts = statement{
		Sid: "QuoteProducts", Effect: "Allow",
		Action:   actions("GetItem", "BatchGetItem"),
		Resource: []string{table(petstore.ProductsTable)},
	}
	// A purchase takes stock, on the condition that the product exists
	// and its price is the quoted one: it touches those attributes alone.
	purchaseProducts = statement{
		Sid: "UpdateStock", Effect: "Allow",
		Action:   actions("UpdateItem", "ConditionCheckItem"),
		Resource: []string{table(petstore.ProductsTable)},
		Condition: map[string]any{"ForAllValues:StringEquals": map[string]any{
			"dynamodb:Attributes": []string{"id", "stock", "price"},
		}},
	}
	// Orders are written for whoever the gateway's authorizer vouched
	// for, and read back by key on a retried purchase; never listed.
	purchaseOrders = statement{
		Sid: "WriteOrders", Effect: "Allow",
		Action:   actions("PutItem", "GetItem"),
		Resource: []string{table(petstore.OrdersTable)},
	}
	purchaseIdempotency = statement{
		Sid: "RecordIdempotencyKeys", Effect: "Allow",
		Action:   actions("PutItem", "GetItem"),
		Resource: []string{table(petstore.IdempotencyTable)},
	}
)

// Policies returns the split's roles, by ARN, each with its
// identity-based policy documents, as [emulator.Options.Roles] takes
// them. Each call returns a new map.
func Policies() map[string][]string {
	doc := func(s ...statement) []string {
		return []string{policy{Version: "2012-10-17", Statement: s}.json()}
	}
	return map[string][]string{
		GuestRole:    doc(readProducts),
		ShopperRole:  doc(readProducts, ownOrders),
		SearchRole:   doc(readProducts),
		PurchaseRole: doc(quoteProducts, purchaseProducts, purchaseOrders, purchaseIdempotency),
	}
}

// Options returns the options of an emulator for the split, and the
// administrator key they hold: random on every call, for [Config.Admin]
// and for operators (the AWS CLI with --endpoint-url). The product store
// and the auth service keep their data in dataDir ([StoreFile],
// [AuthFile]), or in memory when dataDir is "".
//
// The options set the region, account, roles, user pool (auto-confirming
// sign-ups, with the public app client [ClientID], which has no secret
// and answers an unknown user as a wrong password) and identity pool
// (guests allowed). Callers may set other fields, such as Logger, Clock
// or Auth.BcryptCost, before starting the emulator; changing those the
// split relies on (Region, AccountID, Roles, Auth.Pools,
// Auth.IdentityPools) breaks it.
func Options(dataDir string) (*emulator.Options, aws.Credentials) {
	passwords := PasswordPolicy
	admin := aws.Credentials{
		AccessKeyID:     "AKIA" + strings.ToUpper(randomHex(8)),
		SecretAccessKey: randomHex(20),
		Source:          "faasport pet store administrator",
	}
	opts := &emulator.Options{
		Region:    Region,
		AccountID: AccountID,
		Admin:     verify.StaticCredentials{admin.AccessKeyID: {SecretAccessKey: admin.SecretAccessKey}},
		Roles:     Policies(),
		Auth: localcognito.Options{
			Pools: []localcognito.PoolConfig{{
				ID:             UserPoolID,
				Name:           "petstore",
				AutoConfirm:    true,
				PasswordPolicy: &passwords,
				Clients: []localcognito.ClientConfig{{
					ID:        ClientID,
					Name:      "petstore-web",
					AuthFlows: []string{localcognito.AllowUserPasswordAuth, localcognito.AllowUserSRPAuth, localcognito.AllowRefreshTokenAuth},
					// As Cognito's console sets for new clients, and as
					// the monolith answers: an unknown user fails to
					// sign in as a wrong password does.
					PreventUserExistenceErrors: true,
				}},
			}},
			IdentityPools: []localcognito.IdentityPoolConfig{{
				ID:                   IdentityPoolID,
				Name:                 "petstore",
				AllowUnauthenticated: true,
				Providers:            []localcognito.IdentityProvider{{UserPoolID: UserPoolID, ClientID: ClientID}},
				AuthenticatedRole:    ShopperRole,
				UnauthenticatedRole:  GuestRole,
			}},
		},
	}
	if dataDir != "" {
		opts.StoreDB = filepath.Join(dataDir, StoreFile)
		opts.AuthDB = filepath.Join(dataDir, AuthFile)
	}
	return opts, admin
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // never fails
	return hex.EncodeToString(b)
}

// Config configures [Start]. Admin is required; the zero value of every
// other field is ready for use.
type Config struct {
	// Admin is an administrator key of the emulator, such as the one
	// [Options] returns. It creates and seeds the tables.
	Admin aws.Credentials

	// Products are seeded into the Products table when it is empty. Nil
	// means petstore.SeedProducts(); an empty non-nil slice seeds
	// nothing.
	Products []petstore.Product

	// SPAAddr is the address the single-page app is served on. Empty
	// means 127.0.0.1 on a port the system picks.
	SPAAddr string

	// Logger receives the functions' logs of internal errors. Nil means
	// slog.Default().
	Logger *slog.Logger
}

// Split is the pet store's serverless split, running on an emulator. Its
// fields are set by [Start] and must not be changed.
type Split struct {
	// SPAURL is the single-page app's origin, "http://127.0.0.1:port".
	SPAURL string
	// APIURL is the HTTP API's base URL.
	APIURL string
	// AWSURL is the AWS endpoint of the user pool, the identity pool and
	// the product store: the emulator's URL.
	AWSURL string
	// Region is the region of the pools and tables.
	Region string
	// UserPoolID, ClientID and IdentityPoolID name the auth service's
	// pools and the app client the SPA signs in with.
	UserPoolID, ClientID, IdentityPoolID string

	// API is the HTTP API; it stops when the emulator does.
	API *emulator.API

	spa *http.Server
}

// Start deploys the pet store onto e, an emulator started with
// [Options]: it creates the tables and seeds an empty Products table,
// registers the [SearchFunction] and [PurchaseFunction] functions,
// starts the HTTP API and serves the single-page app.
//
// The functions wrap the shared handlers of package httpapi unchanged,
// each with a catalog whose DynamoDB client signs with its role's
// credentials, so the store's access rules apply to them as to the
// browser. The API routes
//
//	GET  /api/search, /api/products, /api/products/{id}, /static/img/{file}  → search
//	POST /api/purchase (JWT authorizer: the user pool's ID tokens)          → purchase
//
// and allows the SPA's origin by CORS.
//
// The caller must call [Split.Close] to stop serving the app; the API
// and the functions stay until the emulator is closed. A second Start on
// the same emulator fails, as the functions exist; so does a Start that
// failed part way, which may leave tables and functions behind: close
// the emulator and start afresh.
func Start(ctx context.Context, e *emulator.Emulator, cfg *Config) (*Split, error) {
	if cfg == nil || cfg.Admin.AccessKeyID == "" {
		return nil, errors.New("split: Config.Admin is required: the emulator's administrator key creates the tables")
	}
	log := cfg.Logger
	if log == nil {
		log = slog.Default()
	}
	region := e.Auth.Region()
	client := func(c aws.Credentials) *dynamodb.Client {
		return dynamodb.New(dynamodb.Options{
			Region:       region,
			BaseEndpoint: aws.String(e.URL),
			Credentials:  credentials.StaticCredentialsProvider{Value: c},
		})
	}

	admin := petstore.New(client(cfg.Admin), &petstore.Options{Logger: log})
	if err := admin.CreateTables(ctx); err != nil {
		return nil, fmt.Errorf("split: creating the tables: %w", err)
	}
	products := cfg.Products
	if products == nil {
		products = petstore.SeedProducts()
	}
	empty, err := isEmpty(ctx, admin.Client(), petstore.ProductsTable)
	if err != nil {
		return nil, fmt.Errorf("split: %w", err)
	}
	if empty && len(products) > 0 {
		if err := admin.Seed(ctx, products); err != nil {
			return nil, fmt.Errorf("split: seeding the products: %w", err)
		}
	}

	functions := []struct {
		name, role string
		routes     []string
	}{
		{SearchFunction, SearchRole, []string{httpapi.RouteSearch, httpapi.RouteImage, httpapi.RouteProducts, httpapi.RouteProduct}},
		{PurchaseFunction, PurchaseRole, []string{httpapi.RoutePurchase}},
	}
	for _, f := range functions {
		creds, err := e.RoleCredentials(f.role)
		if err != nil {
			return nil, fmt.Errorf("split: was the emulator started with split.Options? %w", err)
		}
		cat := petstore.New(client(creds), &petstore.Options{Logger: log})
		h, err := adapter.Routes(httpapi.NewRouter(cat), f.routes...)
		if err != nil {
			return nil, fmt.Errorf("split: %w", err)
		}
		if err := e.Register(faas.Config{Name: f.name, Timeout: FunctionTimeout}, adapter.Wrap(h, adapter.WithLogger(log))); err != nil {
			return nil, fmt.Errorf("split: registering function %s: %w", f.name, err)
		}
	}

	// The app's origin must be known before the API is made, for CORS.
	addr := cfg.SPAAddr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("split: serving the app: %w", err)
	}
	origin := "http://" + ln.Addr().String()
	search := localgateway.Lambda{Function: SearchFunction}
	api, err := e.NewAPI(localgateway.Config{
		Routes: []localgateway.Route{
			{Key: "GET /api/search", Integration: search},
			{Key: "GET /api/products", Integration: search},
			{Key: "GET /api/products/{id}", Integration: search},
			// A route's path variable is a whole segment: API Gateway
			// has no "{id}.svg", so the function's router parses the
			// file name.
			{Key: "GET /static/img/{file}", Integration: search},
			{Key: "POST /api/purchase", Integration: localgateway.Lambda{Function: PurchaseFunction}, Authorizer: "cognito"},
		},
		Authorizers: map[string]localgateway.Authorizer{
			// The SPA sends the ID token, whose aud is the client id and
			// whose sub is the principal the orders are keyed on.
			"cognito": localgateway.JWTAuthorizer{Issuer: e.Auth.Issuer(UserPoolID), Audiences: []string{ClientID}},
		},
		CORS: &localgateway.CORS{
			AllowOrigins: []string{origin},
			AllowMethods: []string{http.MethodGet, http.MethodPost, http.MethodOptions},
			AllowHeaders: []string{"authorization", "content-type", "idempotency-key"},
			MaxAge:       600,
		},
	})
	if err != nil {
		ln.Close()
		return nil, fmt.Errorf("split: starting the API: %w", err)
	}
	s := &Split{
		SPAURL:         origin,
		APIURL:         api.URL,
		AWSURL:         e.URL,
		Region:         region,
		UserPoolID:     UserPoolID,
		ClientID:       ClientID,
		IdentityPoolID: IdentityPoolID,
		API:            api,
	}
	s.spa = &http.Server{Handler: spa.Handler(s.SPAConfig()), ReadHeaderTimeout: 10 * time.Second}
	go s.spa.Serve(ln)
	return s, nil
}

// SPAConfig returns the configuration the single-page app is served
// with.
func (s *Split) SPAConfig() spa.Config {
	return spa.Config{
		Region:         s.Region,
		AWSEndpoint:    s.AWSURL,
		APIURL:         s.APIURL,
		UserPoolID:     s.UserPoolID,
		ClientID:       s.ClientID,
		IdentityPoolID: s.IdentityPoolID,
		ProductsTable:  petstore.ProductsTable,
		OrdersTable:    petstore.OrdersTable,
	}
}

// Close stops serving the single-page app, waiting up to five seconds for
// requests in flight. The API and the functions stop with the emulator.
func (s *Split) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return s.spa.Shutdown(ctx)
}

// isEmpty reports whether the table holds no items.
func isEmpty(ctx context.Context, db *dynamodb.Client, name string) (bool, error) {
	out, err := db.Scan(ctx, &dynamodb.ScanInput{
		TableName: aws.String(name),
		Limit:     aws.Int32(1),
		Select:    types.SelectCount,
	})
	if err != nil {
		return false, fmt.Errorf("reading table %s: %w", name, err)
	}
	return out.Count == 0, nil
}
