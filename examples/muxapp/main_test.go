package main

import (
	"debug/elf"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/faasport/faasport/adapter"
)

func fixedNow() time.Time { return time.Date(2025, time.March, 1, 12, 30, 45, 0, time.UTC) }

// exchange is a request and the response it should get.
type exchange struct {
	name       string
	method     string
	target     string
	wantStatus int
	wantType   string
	wantBody   string
}

var exchanges = []exchange{
	{
		name: "hello", method: http.MethodGet, target: "/hello/ann",
		wantStatus: http.StatusOK, wantType: "application/json",
		wantBody: `{"message":"Hello, ann!"}` + "\n",
	},
	{
		name: "hello with an escaped name", method: http.MethodGet, target: "/hello/J%C3%BCrgen%20K",
		wantStatus: http.StatusOK, wantType: "application/json",
		wantBody: `{"message":"Hello, Jürgen K!"}` + "\n",
	},
	{
		name: "time", method: http.MethodGet, target: "/time",
		wantStatus: http.StatusOK, wantType: "application/json",
		wantBody: `{"time":"2025-03-01T12:30:45Z"}` + "\n",
	},
	{
		name: "unknown path", method: http.MethodGet, target: "/nope",
		wantStatus: http.StatusNotFound, wantType: "application/json",
		wantBody: `{"message":"Not Found"}`,
	},
	{
		name: "wrong method", method: http.MethodPost, target: "/time",
		wantStatus: http.StatusMethodNotAllowed,
	},
}

type result struct {
	Status int
	Type   string
	Body   string
}

// TestNetHTTP serves the router as the local deployment does.
func TestNetHTTP(t *testing.T) {
	srv := httptest.NewServer(newRouter(fixedNow))
	defer srv.Close()
	for _, tc := range exchanges {
		t.Run(tc.name, func(t *testing.T) {
			req, err := http.NewRequestWithContext(t.Context(), tc.method, srv.URL+tc.target, nil)
			if err != nil {
				t.Fatal(err)
			}
			resp, err := srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body, err := io.ReadAll(resp.Body)
			if err != nil {
				t.Fatal(err)
			}
			got := result{resp.StatusCode, resp.Header.Get("Content-Type"), string(body)}
			want := result{tc.wantStatus, tc.wantType, tc.wantBody}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%s %s mismatch (-want +got):\n%s", tc.method, tc.target, diff)
			}
		})
	}
}

// TestLambda serves the router as the Lambda deployment does: an HTTP API
// (payload 2.0) event in, its response out.
func TestLambda(t *testing.T) {
	fn := adapter.Wrap(newRouter(fixedNow))
	for _, tc := range exchanges {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest(tc.method, "https://abc123.execute-api.us-east-1.amazonaws.com"+tc.target, nil)
			payload, err := adapter.NewEvent(r, &adapter.GatewayRequest{Format: adapter.FormatHTTPAPIV2})
			if err != nil {
				t.Fatal(err)
			}
			out, err := fn.Invoke(t.Context(), payload)
			if err != nil {
				t.Fatalf("Invoke: %v", err)
			}
			resp, err := adapter.DecodeResponse(adapter.FormatHTTPAPIV2, out)
			if err != nil {
				t.Fatalf("DecodeResponse(%s): %v", out, err)
			}
			got := result{resp.StatusCode, resp.Header.Get("Content-Type"), string(resp.Body)}
			want := result{tc.wantStatus, tc.wantType, tc.wantBody}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%s %s mismatch (-want +got):\n%s", tc.method, tc.target, diff)
			}
		})
	}
}

// TestBuildBootstrap proves the build instruction of the package doc: a
// static linux/arm64 executable named bootstrap, built with lambda.norpc.
func TestBuildBootstrap(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping the cross-compilation in -short mode")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("skipping: the go command is not on PATH: %v", err)
	}
	bootstrap := filepath.Join(t.TempDir(), "bootstrap")
	cmd := exec.CommandContext(t.Context(), goTool, "build", "-tags", "lambda.norpc", "-o", bootstrap, ".")
	cmd.Env = append(os.Environ(), "GOOS=linux", "GOARCH=arm64", "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", strings.Join(cmd.Args, " "), err, out)
	}

	f, err := elf.Open(bootstrap)
	if err != nil {
		t.Fatalf("bootstrap is not an ELF executable: %v", err)
	}
	defer f.Close()
	if f.Machine != elf.EM_AARCH64 || f.Class != elf.ELFCLASS64 || f.Type != elf.ET_EXEC {
		t.Errorf("bootstrap is %v %v %v, want a 64-bit arm64 executable", f.Class, f.Machine, f.Type)
	}
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			t.Error("bootstrap is dynamically linked, want a static binary (CGO_ENABLED=0)")
		}
	}
	syms, err := f.Symbols()
	if err != nil {
		t.Fatalf("reading bootstrap's symbols: %v", err)
	}
	for _, s := range syms {
		if strings.HasPrefix(s.Name, "net/rpc.") {
			t.Errorf("bootstrap links %s: the lambda.norpc tag should leave net/rpc out", s.Name)
			break
		}
	}
}
