// Command petstore runs the pet store demo on one machine, both ways, on
// the same domain code and the same handlers:
//
//   - the classic monolith, serving the shop's pages and JSON API over its
//     own product store (DynamoDB over SQLite, in process);
//   - the serverless split on faasport's emulator: the single-page app,
//     the auth service and the product store at the AWS endpoint, and the
//     search and purchase functions behind the API gateway.
//
// Usage:
//
//	petstore [--addr 127.0.0.1:8080] [--spa-addr 127.0.0.1:8081] [--aws-addr 127.0.0.1:4566]
//	         [--data ./petstore-data] [--catalog N] [--split=false]
//
// The monolith's store lives in <data>/store.db, the split's in
// <data>/split/. On the first start tables are created and the catalog
// seeded: the store's own sixty-odd products, or with --catalog N, N
// generated ones. Later starts keep what is there (to start afresh, delete
// the data directory). Ctrl-C stops everything cleanly.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"sync"
	"syscall"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/faasport/faasport/emulator"
	"github.com/faasport/faasport/emulator/localdynamo"
	"github.com/faasport/faasport/petstore"
	"github.com/faasport/faasport/petstore/monolith"
	"github.com/faasport/faasport/petstore/split"
)

// config is what the command line decides.
type config struct {
	Addr    string // the monolith's listen address
	Data    string // the data directory
	Catalog int    // 0: the seed products; N > 0: N generated products

	// Split starts the serverless split beside the monolith.
	Split bool
	// SPAAddr and AWSAddr are the listen addresses of the split's
	// single-page app and AWS endpoint. Empty means 127.0.0.1 on a port
	// the system picks.
	SPAAddr, AWSAddr string

	// Listener, if set, is used instead of listening on Addr (tests).
	Listener net.Listener
	// Out receives the lines meant for the user, such as the URL.
	// Nil means os.Stdout.
	Out io.Writer
	// Logger receives the log. Nil means a text logger on os.Stderr.
	Logger *slog.Logger
	// Ready, if set, is called with the monolith's URL once it serves.
	Ready func(url string)
}

func parseFlags(args []string, stderr io.Writer) (config, error) {
	fs := flag.NewFlagSet("petstore", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cfg config
	fs.StringVar(&cfg.Addr, "addr", "127.0.0.1:8080", "listen address of the monolith")
	fs.StringVar(&cfg.Data, "data", "./petstore-data", "data directory; the store is <data>/store.db")
	fs.IntVar(&cfg.Catalog, "catalog", 0, "products to seed on first start: 0 for the store's own, N > 0 for N generated ones")
	fs.BoolVar(&cfg.Split, "split", true, "also run the serverless split on the emulator")
	fs.StringVar(&cfg.SPAAddr, "spa-addr", "127.0.0.1:8081", "listen address of the split's single-page app")
	fs.StringVar(&cfg.AWSAddr, "aws-addr", "127.0.0.1:4566", "listen address of the emulator's AWS endpoint (Cognito, DynamoDB, Lambda)")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: petstore [flags]\n\n"+
			"Runs the pet store monolith and its serverless split on faasport's emulator.\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return config{}, err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return config{}, fmt.Errorf("petstore: unexpected arguments %q", fs.Args())
	}
	if cfg.Catalog < 0 {
		return config{}, fmt.Errorf("petstore: --catalog must be 0 or more, not %d", cfg.Catalog)
	}
	return cfg, nil
}

func main() {
	cfg, err := parseFlags(os.Args[1:], os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, cfg); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// run starts the demo's components and returns when ctx ends, after
// stopping them, or as soon as one fails.
//
// Components share the environment that run builds first (the store and
// the catalog); each then serves until ctx ends. The serverless split, when
// asked for, runs beside them on an emulator of its own.
func run(ctx context.Context, cfg config) error {
	if cfg.Out == nil {
		cfg.Out = os.Stdout
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	env, err := openEnv(ctx, cfg)
	if err != nil {
		return err
	}
	defer env.Close()

	ln := cfg.Listener
	if ln == nil {
		ln, err = net.Listen("tcp", cfg.Addr)
		if err != nil {
			return fmt.Errorf("petstore: %w", err)
		}
	}
	site, err := monolith.New(monolith.Config{
		Catalog: env.catalog,
		Dynamo:  env.dynamo,
		Secure:  false, // served over plain HTTP on this machine
		Logger:  cfg.Logger,
	})
	if err != nil {
		ln.Close()
		return err
	}
	components := []component{
		{name: "monolith", listener: ln, handler: site},
	}
	if cfg.Split {
		stop, err := startSplit(ctx, cfg)
		if err != nil {
			ln.Close()
			return err
		}
		defer stop()
	}
	return runComponents(ctx, cfg, components)
}

// startSplit starts the emulator and deploys the split onto it, and
// returns the function that stops both.
func startSplit(ctx context.Context, cfg config) (stop func(), err error) {
	dir := filepath.Join(cfg.Data, "split")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("petstore: %w", err)
	}
	opts, admin := split.Options(dir)
	opts.Addr = cfg.AWSAddr
	// The emulator logs every invocation and request at Info; the demo
	// shows warnings and errors only.
	opts.Logger = slog.New(levelHandler{cfg.Logger.Handler(), slog.LevelWarn})
	e, err := emulator.New(opts)
	if err != nil {
		return nil, fmt.Errorf("petstore: starting the emulator: %w", err)
	}
	var products []petstore.Product
	if cfg.Catalog > 0 {
		products = petstore.GenerateCatalog(cfg.Catalog, 1)
	}
	s, err := split.Start(ctx, e, &split.Config{Admin: admin, Products: products, SPAAddr: cfg.SPAAddr, Logger: cfg.Logger})
	if err != nil {
		e.Close()
		return nil, fmt.Errorf("petstore: starting the split: %w", err)
	}
	fmt.Fprintf(cfg.Out, "Pet store single-page app: %s/\n", s.SPAURL)
	fmt.Fprintf(cfg.Out, "Pet store API gateway: %s/api/search?q=cat\n", s.APIURL)
	fmt.Fprintf(cfg.Out, "AWS endpoint (Cognito, DynamoDB, Lambda): %s\n", s.AWSURL)
	// The administrator key changes on every start: operators using the
	// AWS CLI source it from a file only they can read.
	keyFile := filepath.Join(dir, "admin.env")
	key := fmt.Sprintf("export AWS_ACCESS_KEY_ID=%s AWS_SECRET_ACCESS_KEY=%s AWS_DEFAULT_REGION=%s\n",
		admin.AccessKeyID, admin.SecretAccessKey, opts.Region)
	if err := os.WriteFile(keyFile, []byte(key), 0o600); err != nil {
		s.Close()
		e.Close()
		return nil, fmt.Errorf("petstore: %w", err)
	}
	fmt.Fprintf(cfg.Out, "Administrator key for the AWS CLI: . %s\n", keyFile)
	return func() {
		s.Close()
		e.Close()
	}, nil
}

// levelHandler drops records below a level.
type levelHandler struct {
	slog.Handler
	min slog.Level
}

func (h levelHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= h.min && h.Handler.Enabled(ctx, l)
}

func (h levelHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return levelHandler{h.Handler.WithAttrs(as), h.min}
}

func (h levelHandler) WithGroup(name string) slog.Handler {
	return levelHandler{h.Handler.WithGroup(name), h.min}
}

// env is what the components share.
type env struct {
	store   *localdynamo.Store
	dynamo  *dynamodb.Client
	catalog *petstore.Catalog
}

func (e *env) Close() error { return e.store.Close() }

// openEnv opens the store in cfg.Data, creating the tables and seeding
// the catalog on first start.
func openEnv(ctx context.Context, cfg config) (*env, error) {
	if err := os.MkdirAll(cfg.Data, 0o755); err != nil {
		return nil, fmt.Errorf("petstore: %w", err)
	}
	path := filepath.Join(cfg.Data, "store.db")
	store, err := localdynamo.Open(path, &localdynamo.Options{Logger: cfg.Logger})
	if err != nil {
		return nil, fmt.Errorf("petstore: opening %s: %w", path, err)
	}
	// An SDK client that reaches the store in process: no port, no
	// credentials to find. The components that need the store over the
	// network (a browser, the AWS CLI) get store.Handler on a listener.
	client := dynamodb.NewFromConfig(aws.Config{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("AKIDPETSTORE", "local", ""),
		BaseEndpoint: aws.String("http://localdynamo.invalid"),
		HTTPClient:   store.HTTPClient(),
	})
	e := &env{store: store, dynamo: client, catalog: petstore.New(client, &petstore.Options{Logger: cfg.Logger})}
	if err := e.catalog.CreateTables(ctx); err != nil {
		store.Close()
		return nil, err
	}
	if err := seedOnce(ctx, cfg, e); err != nil {
		store.Close()
		return nil, err
	}
	return e, nil
}

// seedOnce seeds the catalog when the Products table is empty.
func seedOnce(ctx context.Context, cfg config, e *env) error {
	out, err := e.dynamo.Scan(ctx, &dynamodb.ScanInput{TableName: aws.String(petstore.ProductsTable), Limit: aws.Int32(1)})
	if err != nil {
		return fmt.Errorf("petstore: reading the catalog: %w", err)
	}
	if len(out.Items) > 0 {
		if cfg.Catalog > 0 {
			fmt.Fprintf(cfg.Out, "--catalog %d ignored: %s already holds a catalog (start with a new --data directory to seed another)\n", cfg.Catalog, cfg.Data)
		}
		return nil
	}
	products := petstore.SeedProducts()
	if cfg.Catalog > 0 {
		products = petstore.GenerateCatalog(cfg.Catalog, 1)
	}
	start := time.Now()
	fmt.Fprintf(cfg.Out, "Seeding %d products...\n", len(products))
	if err := e.catalog.Seed(ctx, products); err != nil {
		return fmt.Errorf("petstore: seeding: %w", err)
	}
	cfg.Logger.Info("seeded the catalog", "products", len(products), "took", time.Since(start).Round(time.Millisecond))
	return nil
}

// A component is an HTTP server of the demo.
type component struct {
	name     string
	listener net.Listener
	handler  http.Handler
}

// runComponents serves every component until ctx ends or one fails, then
// shuts them all down, giving requests in flight a few seconds to finish.
func runComponents(ctx context.Context, cfg config, cs []component) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errs := make(chan error, len(cs))
	var wg sync.WaitGroup
	for _, c := range cs {
		srv := &http.Server{
			Handler:           c.handler,
			ReadHeaderTimeout: 10 * time.Second,
			ErrorLog:          slog.NewLogLogger(cfg.Logger.Handler(), slog.LevelWarn),
			BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
		}
		url := "http://" + c.listener.Addr().String() + "/"
		wg.Go(func() {
			err := srv.Serve(c.listener)
			if !errors.Is(err, http.ErrServerClosed) {
				errs <- fmt.Errorf("petstore: %s: %w", c.name, err)
				cancel()
			}
		})
		wg.Go(func() {
			<-ctx.Done()
			sctx, scancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer scancel()
			if err := srv.Shutdown(sctx); err != nil {
				srv.Close()
			}
		})
		fmt.Fprintf(cfg.Out, "Pet store %s: %s\n", c.name, url)
		if cfg.Ready != nil {
			cfg.Ready(url)
		}
	}
	wg.Wait()
	close(errs)
	return errors.Join(collect(errs)...)
}

func collect(ch <-chan error) []error {
	var out []error
	for err := range ch {
		out = append(out, err)
	}
	return out
}
