package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"

	"github.com/faasport/faasport/internal/awstest"
)

func TestParseFlags(t *testing.T) {
	cfg, err := parseFlags(nil, io.Discard)
	if err != nil || cfg.Addr != "127.0.0.1:8080" || cfg.Data != "./petstore-data" || cfg.Catalog != 0 {
		t.Errorf("defaults = %+v, %v", cfg, err)
	}
	cfg, err = parseFlags([]string{"--addr", ":0", "--data", "/tmp/x", "--catalog", "10000"}, io.Discard)
	if err != nil || cfg.Addr != ":0" || cfg.Data != "/tmp/x" || cfg.Catalog != 10000 {
		t.Errorf("flags = %+v, %v", cfg, err)
	}
	var help bytes.Buffer
	if _, err := parseFlags([]string{"--help"}, &help); !errors.Is(err, flag.ErrHelp) || !strings.Contains(help.String(), "--catalog") && !strings.Contains(help.String(), "-catalog") {
		t.Errorf("--help = %v, %q", err, help.String())
	}
	for _, args := range [][]string{{"--catalog", "-1"}, {"--catalog", "many"}, {"extra"}, {"--nope"}} {
		if _, err := parseFlags(args, io.Discard); err == nil {
			t.Errorf("parseFlags(%q) succeeded", args)
		}
	}
}

// syncBuffer is a bytes.Buffer safe for concurrent use.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// start runs run on a fresh port over dir and returns the URL, the
// output, and a function that stops it and returns run's error.
func start(t *testing.T, dir string, catalog int) (string, *syncBuffer, func() error) {
	return startWith(t, config{Data: dir, Catalog: catalog})
}

// startWith is start with more of the configuration.
func startWith(t *testing.T, cfg config) (string, *syncBuffer, func() error) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	out := new(syncBuffer)
	done := make(chan error, 1)
	go func() {
		cfg.Listener = ln
		cfg.Out = out
		cfg.Logger = slog.New(slog.NewTextHandler(t.Output(), nil))
		cfg.Ready = func(url string) { ready <- url }
		done <- run(ctx, cfg)
	}()
	var url string
	select {
	case url = <-ready:
	case err := <-done:
		cancel()
		t.Fatalf("run returned before serving: %v", err)
	case <-time.After(60 * time.Second):
		cancel()
		t.Fatal("run did not start in 60s")
	}
	stop := func() error {
		cancel()
		select {
		case err := <-done:
			return err
		case <-time.After(15 * time.Second):
			t.Fatal("run did not return 15s after its context ended")
			return nil
		}
	}
	return url, out, stop
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestRunSplit(t *testing.T) {
	_, out, stop := startWith(t, config{Data: t.TempDir(), Split: true})
	lines := map[string]string{}
	for _, l := range strings.Split(out.String(), "\n") {
		if k, v, ok := strings.Cut(l, ": "); ok {
			lines[k] = v
		}
	}
	spa, api := lines["Pet store single-page app"], lines["Pet store API gateway"]
	if spa == "" || api == "" || lines["AWS endpoint (Cognito, DynamoDB, Lambda)"] == "" {
		t.Fatalf("output lacks the split's URLs: %q", out.String())
	}
	if status, body := get(t, spa); status != 200 || !strings.Contains(body, "app.js") {
		t.Errorf("single-page app = %d %.200s", status, body)
	}
	if status, body := get(t, api); status != 200 || !strings.Contains(body, `"products"`) {
		t.Errorf("search through the gateway = %d %.300s", status, body)
	}
	checkAdminKey(t, lines["AWS endpoint (Cognito, DynamoDB, Lambda)"], lines["Administrator key for the AWS CLI"])
	if err := stop(); err != nil {
		t.Fatalf("run = %v, want a clean shutdown", err)
	}
	if _, err := http.Get(spa); err == nil {
		t.Errorf("the single-page app still answers after shutdown")
	}
}

func TestRun(t *testing.T) {
	dir := t.TempDir()
	url, out, stop := start(t, dir, 0)
	if !strings.Contains(out.String(), "Pet store monolith: "+url) || !strings.Contains(out.String(), "Seeding") {
		t.Errorf("output = %q", out.String())
	}
	status, body := get(t, url)
	if status != 200 || !strings.Contains(body, "Beagle Puppy") && !strings.Contains(body, "All pets") {
		t.Errorf("home = %d %.200s", status, body)
	}
	status, body = get(t, url+"search?q=goldfish")
	if status != 200 || !strings.Contains(body, "Fancy Goldfish") {
		t.Errorf("search = %d %.200s", status, body)
	}
	status, body = get(t, url+"api/products?category=fish")
	if status != 200 || !strings.Contains(body, `"total":12`) {
		t.Errorf("API = %d %.200s", status, body)
	}
	if err := stop(); err != nil {
		t.Fatalf("run = %v, want a clean shutdown", err)
	}
	if _, err := http.Get(url); err == nil {
		t.Errorf("the server still answers after shutdown")
	}

	// A second start on the same data keeps the catalog and does not seed.
	url, out, stop = start(t, dir, 500)
	if strings.Contains(out.String(), "Seeding") {
		t.Errorf("second start seeded again: %q", out.String())
	}
	if want := "--catalog 500 ignored: " + dir + " already holds a catalog"; !strings.Contains(out.String(), want) {
		t.Errorf("second start with --catalog: output %q does not say %q", out.String(), want)
	}
	if status, body := get(t, url+"api/products"); status != 200 || !strings.Contains(body, `"total":62`) {
		t.Errorf("after restart API = %d %.200s", status, body)
	}
	if err := stop(); err != nil {
		t.Fatalf("second run = %v", err)
	}
}

func TestRunGeneratedCatalog(t *testing.T) {
	url, _, stop := start(t, t.TempDir(), 300)
	defer stop()
	if status, body := get(t, url+"api/products"); status != 200 || !strings.Contains(body, `"total":300`) {
		t.Errorf("API = %d %.200s", status, body)
	}
}

func TestRunAddressInUse(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	err = run(context.Background(), config{Addr: ln.Addr().String(), Data: t.TempDir(), Out: io.Discard, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err == nil {
		t.Errorf("run on a taken address succeeded")
	}
}

// checkAdminKey checks the administrator key the split's output names
// (". path"): a file only its owner reads, whose key invokes functions
// over the AWS endpoint, where nobody else may invoke them, as on Lambda.
func checkAdminKey(t *testing.T, endpoint, source string) {
	t.Helper()
	path, ok := strings.CutPrefix(source, ". ")
	if !ok {
		t.Fatalf("output names no administrator key file: %q", source)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("%s has mode %v, want 0600", path, fi.Mode().Perm())
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	vars := map[string]string{}
	for _, kv := range strings.Fields(strings.TrimPrefix(strings.TrimSpace(string(b)), "export ")) {
		k, v, _ := strings.Cut(kv, "=")
		vars[k] = v
	}
	invoke := func(creds aws.CredentialsProvider, function string) string {
		c := lambda.New(lambda.Options{Region: vars["AWS_DEFAULT_REGION"], BaseEndpoint: aws.String(endpoint), Credentials: creds, Retryer: awstest.Retryer()})
		_, err := c.Invoke(context.Background(), &lambda.InvokeInput{FunctionName: aws.String(function), InvocationType: "DryRun"})
		var ae smithy.APIError
		if errors.As(err, &ae) {
			return ae.ErrorCode()
		}
		if err != nil {
			return err.Error()
		}
		return "ok"
	}
	key := credentials.NewStaticCredentialsProvider(vars["AWS_ACCESS_KEY_ID"], vars["AWS_SECRET_ACCESS_KEY"], "")
	got := []string{
		invoke(key, "search"),
		invoke(key, "purchase"),
		invoke(aws.AnonymousCredentials{}, "purchase"),
		invoke(credentials.NewStaticCredentialsProvider("x", "x", ""), "purchase"),
	}
	want := []string{"ok", "ok", "MissingAuthenticationTokenException", "UnrecognizedClientException"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Invoke as [admin: search, admin: purchase, anonymous: purchase, made-up key: purchase] (-want +got):\n%s", diff)
	}
}
