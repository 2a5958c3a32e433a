package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"golang.org/x/crypto/bcrypt"

	"github.com/faasport/faasport/emulator"
	"github.com/faasport/faasport/emulator/localdynamo"
	"github.com/faasport/faasport/petstore"
	"github.com/faasport/faasport/petstore/monolith"
	"github.com/faasport/faasport/petstore/parity/petparity"
	"github.com/faasport/faasport/petstore/split"
)

// A deployment is one of the two pet stores under test.
type deployment struct {
	name string // "split" or "monolith"

	// driver returns a new customer's driver: every request it makes
	// goes over the loopback interface, through tr.
	driver func() petparity.Driver

	// store reads the deployment's tables with full access, in process
	// or with the administrator key, for the checks after the run. It is
	// not used while measuring.
	store *dynamodb.Client

	close func()
}

// startSplit starts the serverless split on an emulator with everything
// in memory: the product store and the auth service on SQLite
// ":memory:", the functions in process. products are seeded through
// the store's DynamoDB API.
//
// Customers reach it as the single-page app does: search is a GET to the
// API gateway, which invokes the search function, whose catalog reads
// the product store over HTTP, signed with the function's role (SigV4),
// each request allowed by the role's IAM policy; purchase is a POST to
// the gateway with the user pool's ID token, checked by its JWT
// authorizer.
func startSplit(ctx context.Context, products []petstore.Product, tr http.RoundTripper, log *slog.Logger) (*deployment, error) {
	opts, admin := split.Options("") // "": in memory
	opts.Logger = log
	// Passwords are hashed at sign-up and sign-in only, never while
	// measuring; the cheapest cost keeps the setup short.
	opts.Auth.BcryptCost = bcrypt.MinCost
	e, err := emulator.New(opts)
	if err != nil {
		return nil, fmt.Errorf("starting the emulator: %w", err)
	}
	s, err := split.Start(ctx, e, &split.Config{Admin: admin, Products: products, Logger: log})
	if err != nil {
		e.Close()
		return nil, fmt.Errorf("starting the split: %w", err)
	}
	client := &http.Client{Transport: tr}
	cfg := s.SPAConfig()
	store := dynamodb.New(dynamodb.Options{
		Region:       split.Region,
		BaseEndpoint: aws.String(e.URL),
		Credentials:  credentials.StaticCredentialsProvider{Value: admin},
		HTTPClient:   client,
	})
	return &deployment{
		name:   "split",
		driver: func() petparity.Driver { return petparity.NewSplitDriver(cfg, client) },
		store:  store,
		close: func() {
			s.Close()
			e.Close()
		},
	}, nil
}

// startMonolith serves the monolith on 127.0.0.1, wired as
// cmd/petstore wires it but with its store in memory: localdynamo on
// SQLite ":memory:", reached in process through Store.HTTPClient (no
// port, no signature checks), with the SDK's default retryer.
func startMonolith(ctx context.Context, products []petstore.Product, tr http.RoundTripper, log *slog.Logger) (*deployment, error) {
	st, err := localdynamo.Open(":memory:", &localdynamo.Options{Logger: log, TTLSweepInterval: -1})
	if err != nil {
		return nil, fmt.Errorf("opening the monolith's store: %w", err)
	}
	client := dynamodb.NewFromConfig(aws.Config{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("AKIDPETSTORE", "local", ""),
		BaseEndpoint: aws.String("http://localdynamo.invalid"),
		HTTPClient:   st.HTTPClient(),
	})
	cat := petstore.New(client, &petstore.Options{Logger: log})
	if err := cat.CreateTables(ctx); err != nil {
		st.Close()
		return nil, err
	}
	if err := cat.Seed(ctx, products); err != nil {
		st.Close()
		return nil, fmt.Errorf("seeding the monolith: %w", err)
	}
	site, err := monolith.New(monolith.Config{
		Catalog:    cat,
		Dynamo:     client,
		Secure:     false, // plain HTTP on 127.0.0.1
		Logger:     log,
		BcryptCost: bcrypt.MinCost, // as for the split: setup only
	})
	if err != nil {
		st.Close()
		return nil, err
	}
	srv := httptest.NewServer(site) // 127.0.0.1
	return &deployment{
		name:   "monolith",
		driver: func() petparity.Driver { return petparity.NewMonolithDriver(srv.URL, tr) },
		store:  client,
		close: func() {
			srv.Close()
			st.Close()
		},
	}, nil
}
