package petparity_test

import (
	"context"
	"encoding/json"
	"flag"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/crypto/bcrypt"

	"github.com/faasport/faasport/emulator/emulatortest"
	"github.com/faasport/faasport/petstore"
	"github.com/faasport/faasport/petstore/monolith"
	"github.com/faasport/faasport/petstore/parity"
	"github.com/faasport/faasport/petstore/parity/petparity"
	"github.com/faasport/faasport/petstore/petstoretest"
	"github.com/faasport/faasport/petstore/spa"
	"github.com/faasport/faasport/petstore/split"
)

// The kind=cloud run is opt-in: it needs a split deployed to AWS whose
// user pool confirms sign-ups by itself (a pre-sign-up trigger setting
// autoConfirmUser), whose password policy is the split's, and whose
// tables hold petstore.SeedProducts never bought from.
var cloud = flag.String("cloud", "", "URL of the config.json of a split deployed to AWS, to run the scenarios on it too")

// startSplit starts the serverless split on an emulator, seeded with the
// pet store's own catalog.
func startSplit(t *testing.T) *petparity.SplitDriver {
	t.Helper()
	opts, admin := split.Options("")
	opts.Auth.BcryptCost = bcrypt.MinCost
	e := emulatortest.New(t, opts)
	s, err := split.Start(context.Background(), e, &split.Config{
		Admin:  admin,
		Logger: slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn})),
	})
	if err != nil {
		t.Fatalf("split.Start: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return petparity.NewSplitDriver(s.SPAConfig(), nil)
}

// startMonolith serves the monolith on a catalog in memory, seeded with
// the pet store's own catalog.
func startMonolith(t *testing.T) *petparity.MonolithDriver {
	t.Helper()
	cat, _ := petstoretest.New(t, &petstoretest.Options{Products: petstore.SeedProducts()})
	site, err := monolith.New(monolith.Config{
		Catalog:    cat,
		BcryptCost: bcrypt.MinCost,
		Logger:     slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn})),
	})
	if err != nil {
		t.Fatalf("monolith.New: %v", err)
	}
	srv := httptest.NewServer(site)
	t.Cleanup(srv.Close)
	return petparity.NewMonolithDriver(srv.URL, nil)
}

// TestParity runs the pet store's scenarios on the monolith and on the
// serverless split, and fails on any difference between them or from
// what a scenario expects.
func TestParity(t *testing.T) {
	drivers := map[string]petparity.Driver{
		"monolith": startMonolith(t),
		"split":    startSplit(t),
	}
	if *cloud != "" {
		drivers["cloud"] = cloudDriver(t, *cloud)
	}
	parity.Run(t, drivers, petparity.Scenarios(), nil)
}

// cloudDriver drives the split whose app configuration is at configURL.
func cloudDriver(t *testing.T, configURL string) *petparity.SplitDriver {
	t.Helper()
	resp, err := http.Get(configURL)
	if err != nil {
		t.Fatalf("-cloud: %v", err)
	}
	defer resp.Body.Close()
	var cfg spa.Config
	if err := json.NewDecoder(resp.Body).Decode(&cfg); resp.StatusCode != http.StatusOK || err != nil {
		t.Fatalf("-cloud: GET %s = %d, %v; want the app's config.json", configURL, resp.StatusCode, err)
	}
	if cfg.APIURL == "" {
		// The app's own origin serves the API.
		cfg.APIURL = configURL[:len(configURL)-len("/config.json")]
	}
	return petparity.NewSplitDriver(cfg, nil)
}

// buggy is a port with two bugs parity must catch: product pages show
// one unit more than there is, and asking for another user's orders
// shows an empty list instead of refusing.
type buggy struct{ petparity.Driver }

func (b buggy) Get(ctx context.Context, s petparity.Session, id string) (petstore.Product, error) {
	p, err := b.Driver.Get(ctx, s, id)
	p.Stock++
	return p, err
}

func (b buggy) Orders(ctx context.Context, s petparity.Session, ofUser string) ([]petstore.Order, error) {
	if s != nil && ofUser != "" && ofUser != s.Username() {
		return nil, nil
	}
	return b.Driver.Orders(ctx, s, ofUser)
}

// TestParityCatchesDifferences plays the scenarios on a monolith and on
// a buggy port of it, and checks that exactly the steps the bugs touch
// are reported.
func TestParityCatchesDifferences(t *testing.T) {
	var scenarios []parity.Scenario[petparity.Driver]
	for _, sc := range petparity.Scenarios() {
		if sc.Name == "product detail" || sc.Name == "another user's orders" {
			scenarios = append(scenarios, sc)
		}
	}
	outcomes, err := parity.Play(context.Background(), map[string]petparity.Driver{
		"monolith": startMonolith(t),
		"port":     buggy{startMonolith(t)},
	}, scenarios, nil)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, o := range outcomes {
		if len(o.Diffs) > 0 {
			got = append(got, o.StepName)
		}
	}
	want := []string{
		`a guest views product "dog-leather-leash"`,
		`a guest views product "dog-puzzle-feeder"`,
		`kim asks for jo's orders`,
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("steps with differences (-want +got):\n%s", d)
	}
}
