package faas_test

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/faasport/faasport/faas"
	"github.com/google/go-cmp/cmp"
)

var errBoom = errors.New("boom")

type ctxKey struct{}

func TestFunctionFunc(t *testing.T) {
	tests := []struct {
		name    string
		ctx     context.Context
		fn      faas.FunctionFunc
		payload []byte
		want    []byte
		wantErr error
	}{
		{
			name: "echo",
			ctx:  context.Background(),
			fn: func(_ context.Context, p []byte) ([]byte, error) {
				return p, nil
			},
			payload: []byte(`{"a":1}`),
			want:    []byte(`{"a":1}`),
		},
		{
			name: "nil payload",
			ctx:  context.Background(),
			fn: func(_ context.Context, p []byte) ([]byte, error) {
				if p != nil {
					return nil, errors.New("payload not nil")
				}
				return []byte("empty"), nil
			},
			want: []byte("empty"),
		},
		{
			name: "context passed through",
			ctx:  context.WithValue(context.Background(), ctxKey{}, "v"),
			fn: func(ctx context.Context, _ []byte) ([]byte, error) {
				s, _ := ctx.Value(ctxKey{}).(string)
				return []byte(s), nil
			},
			want: []byte("v"),
		},
		{
			name: "error passed through",
			ctx:  context.Background(),
			fn: func(context.Context, []byte) ([]byte, error) {
				return nil, errBoom
			},
			payload: []byte("x"),
			wantErr: errBoom,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var f faas.Function = tc.fn
			got, err := f.Invoke(tc.ctx, tc.payload)
			if err != tc.wantErr {
				t.Fatalf("Invoke(%q) error = %v, want %v", tc.payload, err, tc.wantErr)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Invoke(%q) mismatch (-want +got):\n%s", tc.payload, diff)
			}
		})
	}
}

type greetIn struct {
	Name string `json:"name"`
}

type greetOut struct {
	Greeting string `json:"greeting"`
}

var errNotFound = &faas.Error{Kind: faas.NotFound, Message: "no such person"}

func greet(_ context.Context, in greetIn) (greetOut, error) {
	switch in.Name {
	case "fail":
		return greetOut{}, errBoom
	case "nobody":
		return greetOut{}, errNotFound
	}
	return greetOut{Greeting: "hello, " + in.Name}, nil
}

func TestJSON(t *testing.T) {
	tests := []struct {
		name     string
		payload  string
		want     string
		wantKind faas.Kind // -1: no error
		wantErr  error     // when set, the very error fn returned
	}{
		{
			name:     "good payload",
			payload:  `{"name":"Ada"}`,
			want:     `{"greeting":"hello, Ada"}`,
			wantKind: -1,
		},
		{
			name:     "unknown fields ignored",
			payload:  `{"name":"Ada","age":36}`,
			want:     `{"greeting":"hello, Ada"}`,
			wantKind: -1,
		},
		{
			name:     "syntax error",
			payload:  `{"name":`,
			wantKind: faas.Invalid,
		},
		{
			name:     "wrong type",
			payload:  `{"name":1}`,
			wantKind: faas.Invalid,
		},
		{
			name:     "empty payload",
			payload:  ``,
			wantKind: faas.Invalid,
		},
		{
			name:     "plain fn error unchanged",
			payload:  `{"name":"fail"}`,
			wantKind: faas.Internal,
			wantErr:  errBoom,
		},
		{
			name:     "kinded fn error unchanged",
			payload:  `{"name":"nobody"}`,
			wantKind: faas.NotFound,
			wantErr:  errNotFound,
		},
	}
	f := faas.JSON(greet)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := f.Invoke(context.Background(), []byte(tc.payload))
			if k := faas.KindOf(err); k != tc.wantKind {
				t.Fatalf("Invoke(%q) error = %v (kind %v), want kind %v", tc.payload, err, k, tc.wantKind)
			}
			if tc.wantErr != nil {
				if !errors.Is(err, tc.wantErr) {
					t.Errorf("Invoke(%q) error = %v, want errors.Is %v", tc.payload, err, tc.wantErr)
				}
				if err != tc.wantErr {
					t.Errorf("Invoke(%q) error = %#v, want %#v unchanged", tc.payload, err, tc.wantErr)
				}
			}
			if diff := cmp.Diff(tc.want, string(got)); diff != "" {
				t.Errorf("Invoke(%q) mismatch (-want +got):\n%s", tc.payload, diff)
			}
		})
	}
}

func TestJSONEncodeError(t *testing.T) {
	// NaN has no JSON form, so encoding the result fails: the function's
	// fault, not the caller's.
	f := faas.JSON(func(context.Context, float64) (float64, error) {
		return math.NaN(), nil
	})
	got, err := f.Invoke(context.Background(), []byte(`1`))
	if k := faas.KindOf(err); k != faas.Internal || err == nil {
		t.Errorf("Invoke(1) = %q, %v (kind %v), want kind %v", got, err, k, faas.Internal)
	}
	if got != nil {
		t.Errorf("Invoke(1) = %q, want nil", got)
	}
}

func TestConfigEffective(t *testing.T) {
	env := map[string]string{"K": "v"}
	tests := []struct {
		name string
		in   faas.Config
		want faas.Config
	}{
		{
			name: "zero",
			in:   faas.Config{},
			want: faas.Config{Timeout: faas.DefaultTimeout, MemoryMB: faas.DefaultMemoryMB},
		},
		{
			name: "name only",
			in:   faas.Config{Name: "fn"},
			want: faas.Config{Name: "fn", Timeout: 3 * time.Second, MemoryMB: 128},
		},
		{
			name: "set values kept",
			in: faas.Config{
				Name:                "fn",
				Timeout:             30 * time.Second,
				MemoryMB:            512,
				ReservedConcurrency: new(0),
				Environment:         env,
			},
			want: faas.Config{
				Name:                "fn",
				Timeout:             30 * time.Second,
				MemoryMB:            512,
				ReservedConcurrency: new(0),
				Environment:         env,
			},
		},
		{
			// Effective fills in defaults only; Validate judges the rest.
			name: "invalid values kept",
			in:   faas.Config{Timeout: -time.Second, MemoryMB: -1},
			want: faas.Config{Timeout: -time.Second, MemoryMB: -1},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.in.Effective()
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%+v.Effective() mismatch (-want +got):\n%s", tc.in, diff)
			}
		})
	}
}

// envOfSize returns an environment whose keys and values total n bytes.
func envOfSize(n int) map[string]string {
	return map[string]string{"AA": strings.Repeat("a", 10), "BB": strings.Repeat("b", n-14)}
}

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		name    string
		cfg     faas.Config
		wantErr string // substring of the error; "" means valid
	}{
		// Valid.
		{name: "defaults", cfg: faas.Config{Name: "fn"}},
		{name: "one character name", cfg: faas.Config{Name: "f"}},
		{name: "64 character name", cfg: faas.Config{Name: strings.Repeat("a", 64)}},
		{name: "every allowed character", cfg: faas.Config{Name: "Get-Pet_by-ID_0123456789-abcxyzABCXYZ"}},
		{name: "minimum timeout", cfg: faas.Config{Name: "fn", Timeout: time.Second}},
		{name: "maximum timeout", cfg: faas.Config{Name: "fn", Timeout: faas.MaxTimeout}},
		{name: "minimum memory", cfg: faas.Config{Name: "fn", MemoryMB: faas.MinMemoryMB}},
		{name: "maximum memory", cfg: faas.Config{Name: "fn", MemoryMB: faas.MaxMemoryMB}},
		{name: "reserved concurrency zero", cfg: faas.Config{Name: "fn", ReservedConcurrency: new(0)}},
		{name: "reserved concurrency", cfg: faas.Config{Name: "fn", ReservedConcurrency: new(100)}},
		{name: "empty environment", cfg: faas.Config{Name: "fn", Environment: map[string]string{}}},
		{name: "empty environment value", cfg: faas.Config{Name: "fn", Environment: map[string]string{"KEY": ""}}},
		{name: "environment at limit", cfg: faas.Config{Name: "fn", Environment: envOfSize(faas.MaxEnvironmentLen)}},
		{
			name: "everything set",
			cfg: faas.Config{
				Name:                "petstore-orders",
				Timeout:             29 * time.Second,
				MemoryMB:            1024,
				ReservedConcurrency: new(5),
				Environment:         map[string]string{"TABLE": "orders", "LOG_LEVEL": "debug"},
			},
		},

		// Rejected.
		{name: "empty name", cfg: faas.Config{}, wantErr: "must be 1 to 64 characters"},
		{name: "65 character name", cfg: faas.Config{Name: strings.Repeat("a", 65)}, wantErr: "must be 1 to 64 characters"},
		{name: "name with space", cfg: faas.Config{Name: "my fn"}, wantErr: "may hold only"},
		{name: "name with dot", cfg: faas.Config{Name: "fn.v1"}, wantErr: "may hold only"},
		{name: "name with qualifier", cfg: faas.Config{Name: "fn:live"}, wantErr: "may hold only"},
		{name: "name with slash", cfg: faas.Config{Name: "a/b"}, wantErr: "may hold only"},
		{name: "name with non-ASCII letter", cfg: faas.Config{Name: "fünf"}, wantErr: "may hold only"},
		{name: "timeout under 1s", cfg: faas.Config{Name: "fn", Timeout: 999 * time.Millisecond}, wantErr: "timeout"},
		{name: "negative timeout", cfg: faas.Config{Name: "fn", Timeout: -time.Second}, wantErr: "timeout"},
		{name: "timeout over 900s", cfg: faas.Config{Name: "fn", Timeout: faas.MaxTimeout + time.Millisecond}, wantErr: "timeout"},
		{name: "memory under minimum", cfg: faas.Config{Name: "fn", MemoryMB: faas.MinMemoryMB - 1}, wantErr: "memory"},
		{name: "negative memory", cfg: faas.Config{Name: "fn", MemoryMB: -128}, wantErr: "memory"},
		{name: "memory over maximum", cfg: faas.Config{Name: "fn", MemoryMB: faas.MaxMemoryMB + 1}, wantErr: "memory"},
		{name: "negative reserved concurrency", cfg: faas.Config{Name: "fn", ReservedConcurrency: new(-1)}, wantErr: "reserved concurrency -1 is negative"},
		{name: "environment over limit", cfg: faas.Config{Name: "fn", Environment: envOfSize(faas.MaxEnvironmentLen + 1)}, wantErr: "environment is 4097 bytes"},
		{name: "empty environment name", cfg: faas.Config{Name: "fn", Environment: map[string]string{"": "v"}}, wantErr: "empty environment variable name"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.cfg.Validate()
			if tc.wantErr == "" {
				if err != nil {
					t.Errorf("%v.Validate() = %v, want nil", tc.cfg, err)
				}
				return
			}
			if err == nil {
				t.Fatalf("%v.Validate() = nil, want error containing %q", tc.cfg, tc.wantErr)
			}
			if !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("%v.Validate() = %q, want it to contain %q", tc.cfg, err, tc.wantErr)
			}
			if k := faas.KindOf(err); k != faas.Invalid {
				t.Errorf("KindOf(%v.Validate()) = %v, want %v", tc.cfg, k, faas.Invalid)
			}
		})
	}
}

// TestConfigValidateEnvironment checks environment variable names as
// Lambda does: the pattern [a-zA-Z]([a-zA-Z0-9_])+ first, then the keys
// Lambda reserves for itself.
func TestConfigValidateEnvironment(t *testing.T) {
	const pattern = "must satisfy regular expression pattern: [a-zA-Z]([a-zA-Z0-9_])+"
	tests := []struct {
		name string
		env  map[string]string
		want string // the error; "" means valid
	}{
		{name: "two letters", env: map[string]string{"DB": "x"}},
		{name: "letters, digits and underscores", env: map[string]string{"Table_Name2": "x", "a_": "", "z9": "x"}},
		{name: "unreserved Lambda variables", env: map[string]string{
			"LANG": "C", "PATH": "/bin", "TZ": "Europe/Paris", "LD_LIBRARY_PATH": "/opt/lib",
			"AWS_XRAY_CONTEXT_MISSING": "IGNORE_ERROR", "AWS_XRAY_DAEMON_ADDRESS": "127.0.0.1:2000",
		}},
		{name: "AWS_ prefix not reserved", env: map[string]string{"AWS_PROFILE_NAME": "x", "AWS_LAMBDA_EXEC_WRAPPER": "/opt/w"}},

		{name: "one letter", env: map[string]string{"K": "v"}, want: `faas: function fn: environment variable name "K" ` + pattern},
		{name: "leading digit", env: map[string]string{"1DB": "v"}, want: `faas: function fn: environment variable name "1DB" ` + pattern},
		{name: "leading underscore", env: map[string]string{"_DB": "v"}, want: `faas: function fn: environment variable name "_DB" ` + pattern},
		{name: "hyphen", env: map[string]string{"DB-HOST": "v"}, want: `faas: function fn: environment variable name "DB-HOST" ` + pattern},
		{name: "dot", env: map[string]string{"db.host": "v"}, want: `faas: function fn: environment variable name "db.host" ` + pattern},
		{name: "space", env: map[string]string{"DB HOST": "v"}, want: `faas: function fn: environment variable name "DB HOST" ` + pattern},
		{name: "non-ASCII letter", env: map[string]string{"CAFÉ": "v"}, want: `faas: function fn: environment variable name "CAFÉ" ` + pattern},
		{name: "_HANDLER fails the pattern first", env: map[string]string{"_HANDLER": "x"}, want: `faas: function fn: environment variable name "_HANDLER" ` + pattern},
		{name: "first bad name in order", env: map[string]string{"b-2": "v", "a-1": "v", "AWS_REGION": "x"}, want: `faas: function fn: environment variable name "a-1" ` + pattern},

		{name: "AWS_REGION", env: map[string]string{"AWS_REGION": "eu-west-1"}, want: "faas: function fn: environment variables hold keys Lambda reserves; reserved keys used in this request: AWS_REGION"},
		{name: "credentials", env: map[string]string{"TABLE": "x", "AWS_SESSION_TOKEN": "t", "AWS_ACCESS_KEY_ID": "k", "AWS_SECRET_ACCESS_KEY": "s"},
			want: "faas: function fn: environment variables hold keys Lambda reserves; reserved keys used in this request: AWS_ACCESS_KEY_ID,AWS_SECRET_ACCESS_KEY,AWS_SESSION_TOKEN"},
	}
	reserved := []string{
		"AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ACCESS_KEY", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
		"AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_VERSION",
		"AWS_LAMBDA_INITIALIZATION_TYPE", "AWS_LAMBDA_LOG_GROUP_NAME", "AWS_LAMBDA_LOG_STREAM_NAME",
		"AWS_LAMBDA_RUNTIME_API", "AWS_EXECUTION_ENV", "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR",
	}
	for _, k := range reserved {
		tests = append(tests, struct {
			name string
			env  map[string]string
			want string
		}{name: "reserved " + k, env: map[string]string{k: "x"}, want: "faas: function fn: environment variables hold keys Lambda reserves; reserved keys used in this request: " + k})
	}
	for _, k := range []string{"_HANDLER", "_X_AMZN_TRACE_ID"} {
		tests = append(tests, struct {
			name string
			env  map[string]string
			want string
		}{name: "reserved " + k, env: map[string]string{k: "x"}, want: `faas: function fn: environment variable name "` + k + `" ` + pattern})
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := faas.Config{Name: "fn", Environment: tc.env}.Validate()
			got := ""
			if err != nil {
				got = err.Error()
				if k := faas.KindOf(err); k != faas.Invalid {
					t.Errorf("KindOf(Validate()) = %v, want %v", k, faas.Invalid)
				}
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Validate() of environment %v (-want +got):\n%s", tc.env, diff)
			}
		})
	}
}

func TestConfigString(t *testing.T) {
	tests := []struct {
		name string
		cfg  faas.Config
		want string
	}{
		{name: "defaults", cfg: faas.Config{Name: "fn"}, want: "fn timeout=3s memory=128MB"},
		{
			name: "reserved",
			cfg:  faas.Config{Name: "fn", Timeout: time.Minute, MemoryMB: 256, ReservedConcurrency: new(2)},
			want: "fn timeout=1m0s memory=256MB reserved=2",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.cfg.String(); got != tc.want {
				t.Errorf("String() = %q, want %q", got, tc.want)
			}
		})
	}
}
