package faas_test

import (
	"context"
	"log/slog"
	"math"
	"testing"
	"time"

	"github.com/faasport/faasport/faas"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestNewContext(t *testing.T) {
	now := time.Now()
	soon, later := now.Add(time.Minute), now.Add(time.Hour)
	alice := &faas.Principal{Subject: "alice"}
	bob := &faas.Principal{Subject: "bob"}

	tests := []struct {
		name          string
		parent        func() (context.Context, context.CancelFunc)
		inv           *faas.Invocation
		wantDeadline  time.Time // zero: none
		wantPrincipal *faas.Principal
	}{
		{
			name:   "no deadline",
			parent: background,
			inv:    &faas.Invocation{RequestID: "r1"},
		},
		{
			name:         "deadline applied",
			parent:       background,
			inv:          &faas.Invocation{RequestID: "r1", Deadline: later},
			wantDeadline: later,
		},
		{
			name:         "earlier than parent",
			parent:       func() (context.Context, context.CancelFunc) { return context.WithDeadline(context.Background(), later) },
			inv:          &faas.Invocation{Deadline: soon},
			wantDeadline: soon,
		},
		{
			name:         "parent earlier",
			parent:       func() (context.Context, context.CancelFunc) { return context.WithDeadline(context.Background(), soon) },
			inv:          &faas.Invocation{Deadline: later},
			wantDeadline: soon,
		},
		{
			name:          "principal",
			parent:        background,
			inv:           &faas.Invocation{Principal: alice},
			wantPrincipal: alice,
		},
		{
			name: "principal replaces outer one",
			parent: func() (context.Context, context.CancelFunc) {
				return faas.NewPrincipalContext(context.Background(), bob), func() {}
			},
			inv:           &faas.Invocation{Principal: alice},
			wantPrincipal: alice,
		},
		{
			name: "no principal keeps outer one",
			parent: func() (context.Context, context.CancelFunc) {
				return faas.NewPrincipalContext(context.Background(), bob), func() {}
			},
			inv:           &faas.Invocation{},
			wantPrincipal: bob,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			parent, cancelParent := tc.parent()
			defer cancelParent()
			ctx, cancel := faas.NewContext(parent, tc.inv)

			inv, ok := faas.FromContext(ctx)
			if !ok || inv != tc.inv {
				t.Errorf("FromContext = %p, %v, want %p, true", inv, ok, tc.inv)
			}

			d, ok := ctx.Deadline()
			if ok != !tc.wantDeadline.IsZero() || !d.Equal(tc.wantDeadline) {
				t.Errorf("Deadline() = %v, %v, want %v", d, ok, tc.wantDeadline)
			}

			p, ok := faas.PrincipalFromContext(ctx)
			if p != tc.wantPrincipal || ok != (tc.wantPrincipal != nil) {
				t.Errorf("PrincipalFromContext = %+v, %v, want %+v", p, ok, tc.wantPrincipal)
			}

			if err := ctx.Err(); err != nil {
				t.Fatalf("before cancel: Err() = %v, want nil", err)
			}
			cancel()
			if err := ctx.Err(); err != context.Canceled {
				t.Errorf("after cancel: Err() = %v, want %v", err, context.Canceled)
			}
			if err := parent.Err(); err != nil {
				t.Errorf("after cancel: parent Err() = %v, want nil", err)
			}
		})
	}
}

func background() (context.Context, context.CancelFunc) {
	return context.Background(), func() {}
}

func TestNewContextDeadlineExpires(t *testing.T) {
	ctx, cancel := faas.NewContext(context.Background(), &faas.Invocation{Deadline: time.Now().Add(time.Millisecond)})
	defer cancel()
	select {
	case <-ctx.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("context not done 10s after its 1ms deadline")
	}
	if err := ctx.Err(); err != context.DeadlineExceeded {
		t.Errorf("Err() = %v, want %v", err, context.DeadlineExceeded)
	}
}

func TestFromContextEmpty(t *testing.T) {
	if inv, ok := faas.FromContext(context.Background()); inv != nil || ok {
		t.Errorf("FromContext(Background) = %v, %v, want nil, false", inv, ok)
	}
}

func TestPrincipalFromContext(t *testing.T) {
	alice := &faas.Principal{Subject: "alice"}
	bob := &faas.Principal{Subject: "bob"}
	tests := []struct {
		name   string
		ctx    context.Context
		want   *faas.Principal
		wantOK bool
	}{
		{name: "anonymous", ctx: context.Background()},
		{name: "set", ctx: faas.NewPrincipalContext(context.Background(), alice), want: alice, wantOK: true},
		{name: "nil principal", ctx: faas.NewPrincipalContext(context.Background(), nil)},
		{
			name:   "inner wins",
			ctx:    faas.NewPrincipalContext(faas.NewPrincipalContext(context.Background(), alice), bob),
			want:   bob,
			wantOK: true,
		},
		{
			name: "nil hides outer",
			ctx:  faas.NewPrincipalContext(faas.NewPrincipalContext(context.Background(), alice), nil),
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := faas.PrincipalFromContext(tc.ctx)
			if got != tc.want || ok != tc.wantOK {
				t.Errorf("PrincipalFromContext = %+v, %v, want %+v, %v", got, ok, tc.want, tc.wantOK)
			}
		})
	}
}

func TestPrincipalInGroup(t *testing.T) {
	tests := []struct {
		name  string
		p     *faas.Principal
		group string
		want  bool
	}{
		{name: "nil principal", p: nil, group: "admin", want: false},
		{name: "no groups", p: &faas.Principal{}, group: "admin", want: false},
		{name: "member", p: &faas.Principal{Groups: []string{"user", "admin"}}, group: "admin", want: true},
		{name: "not member", p: &faas.Principal{Groups: []string{"user"}}, group: "admin", want: false},
		{name: "case sensitive", p: &faas.Principal{Groups: []string{"Admin"}}, group: "admin", want: false},
		{name: "empty group", p: &faas.Principal{Groups: []string{"user"}}, group: "", want: false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.p.InGroup(tc.group); got != tc.want {
				t.Errorf("%+v.InGroup(%q) = %v, want %v", tc.p, tc.group, got, tc.want)
			}
		})
	}
}

func TestPrincipalClaim(t *testing.T) {
	p := &faas.Principal{Claims: map[string]any{
		"email":          "alice@example.com",
		"empty":          "",
		"auth_time":      float64(1700000000),
		"email_verified": true,
		"cognito:groups": []any{"admin", "user"},
		"address":        map[string]any{"country": "NZ"},
		"null":           nil,
		"nan":            math.NaN(),
	}}
	tests := []struct {
		name   string
		p      *faas.Principal
		claim  string
		want   string
		wantOK bool
	}{
		{name: "nil principal", p: nil, claim: "email"},
		{name: "no claims", p: &faas.Principal{}, claim: "email"},
		{name: "missing", p: p, claim: "phone_number"},
		{name: "string", p: p, claim: "email", want: "alice@example.com", wantOK: true},
		{name: "empty string", p: p, claim: "empty", want: "", wantOK: true},
		{name: "number", p: p, claim: "auth_time", want: "1700000000", wantOK: true},
		{name: "bool", p: p, claim: "email_verified", want: "true", wantOK: true},
		{name: "array", p: p, claim: "cognito:groups", want: `["admin","user"]`, wantOK: true},
		{name: "object", p: p, claim: "address", want: `{"country":"NZ"}`, wantOK: true},
		{name: "null", p: p, claim: "null", want: "null", wantOK: true},
		{name: "no JSON form", p: p, claim: "nan", want: "", wantOK: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := tc.p.Claim(tc.claim)
			if got != tc.want || ok != tc.wantOK {
				t.Errorf("Claim(%q) = %q, %v, want %q, %v", tc.claim, got, ok, tc.want, tc.wantOK)
			}
		})
	}
}

func TestPrincipalFromClaims(t *testing.T) {
	tests := []struct {
		name   string
		claims map[string]any
		want   *faas.Principal // Claims is filled in from claims
	}{
		{name: "nil claims", claims: nil, want: &faas.Principal{}},
		{name: "empty claims", claims: map[string]any{}, want: &faas.Principal{}},
		{
			name:   "groups as array",
			claims: map[string]any{"sub": "s-1", "cognito:username": "alice", "cognito:groups": []any{"admin", "user"}},
			want:   &faas.Principal{Subject: "s-1", Username: "alice", Groups: []string{"admin", "user"}},
		},
		{
			name:   "array drops non-strings and empties",
			claims: map[string]any{"cognito:groups": []any{"admin", 7.0, "", nil, "user"}},
			want:   &faas.Principal{Groups: []string{"admin", "user"}},
		},
		{
			name:   "groups as string slice",
			claims: map[string]any{"cognito:groups": []string{"admin", "user"}},
			want:   &faas.Principal{Groups: []string{"admin", "user"}},
		},
		{
			name:   "groups as HTTP API string",
			claims: map[string]any{"cognito:groups": "[admin user]"},
			want:   &faas.Principal{Groups: []string{"admin", "user"}},
		},
		{
			name:   "one group as HTTP API string",
			claims: map[string]any{"cognito:groups": "[admin]"},
			want:   &faas.Principal{Groups: []string{"admin"}},
		},
		{
			name:   "groups as JSON array string",
			claims: map[string]any{"cognito:groups": `["a","b"]`},
			want:   &faas.Principal{Groups: []string{"a", "b"}},
		},
		{
			name:   "JSON array string keeps spaces",
			claims: map[string]any{"cognito:groups": `["pet owners", "staff"]`},
			want:   &faas.Principal{Groups: []string{"pet owners", "staff"}},
		},
		{
			name:   "JSON array string drops empty names",
			claims: map[string]any{"cognito:groups": `["", "staff", ""]`},
			want:   &faas.Principal{Groups: []string{"staff"}},
		},
		{
			name:   "bracketed null is a group named null",
			claims: map[string]any{"cognito:groups": "[null]"},
			want:   &faas.Principal{Groups: []string{"null"}},
		},
		{
			name:   "bracketed number is a group named by it",
			claims: map[string]any{"cognito:groups": "[2024]"},
			want:   &faas.Principal{Groups: []string{"2024"}},
		},
		{
			name:   "JSON array of strings and null is HTTP API's rendering",
			claims: map[string]any{"cognito:groups": `["",null]`},
			want:   &faas.Principal{Groups: []string{`"",null`}},
		},
		{
			name:   "empty array string",
			claims: map[string]any{"cognito:groups": "[]"},
			want:   &faas.Principal{},
		},
		{
			name:   "groups comma separated",
			claims: map[string]any{"cognito:groups": "a,b"},
			want:   &faas.Principal{Groups: []string{"a", "b"}},
		},
		{
			name:   "comma separated with blanks",
			claims: map[string]any{"cognito:groups": " a , b ,, "},
			want:   &faas.Principal{Groups: []string{"a", "b"}},
		},
		{
			name:   "single group",
			claims: map[string]any{"cognito:groups": "admin"},
			want:   &faas.Principal{Groups: []string{"admin"}},
		},
		{
			name:   "empty groups string",
			claims: map[string]any{"cognito:groups": "  "},
			want:   &faas.Principal{},
		},
		{
			name:   "groups of another type",
			claims: map[string]any{"cognito:groups": 3.0},
			want:   &faas.Principal{},
		},
		{
			name:   "groups missing",
			claims: map[string]any{"sub": "s-1", "cognito:username": "alice"},
			want:   &faas.Principal{Subject: "s-1", Username: "alice"},
		},
		{
			name:   "username claim",
			claims: map[string]any{"sub": "s-1", "username": "bob"},
			want:   &faas.Principal{Subject: "s-1", Username: "bob"},
		},
		{
			name:   "cognito:username preferred",
			claims: map[string]any{"cognito:username": "alice", "username": "bob"},
			want:   &faas.Principal{Username: "alice"},
		},
		{
			name:   "non-string cognito:username ignored",
			claims: map[string]any{"cognito:username": 1.0, "username": "bob"},
			want:   &faas.Principal{Username: "bob"},
		},
		{
			name:   "non-string sub ignored",
			claims: map[string]any{"sub": 1.0},
			want:   &faas.Principal{},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.want.Claims = tc.claims
			got := faas.PrincipalFromClaims(tc.claims)
			if diff := cmp.Diff(tc.want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("PrincipalFromClaims(%v) mismatch (-want +got):\n%s", tc.claims, diff)
			}
		})
	}
}

func TestLogger(t *testing.T) {
	logger := slog.New(slog.NewTextHandler(t.Output(), nil)).With("request_id", "r1")
	withInv := func(inv *faas.Invocation) context.Context {
		ctx, cancel := faas.NewContext(context.Background(), inv)
		t.Cleanup(cancel)
		return ctx
	}
	tests := []struct {
		name string
		ctx  context.Context
		want *slog.Logger
	}{
		{name: "no invocation", ctx: context.Background(), want: slog.Default()},
		{name: "invocation without logger", ctx: withInv(&faas.Invocation{RequestID: "r1"}), want: slog.Default()},
		{name: "invocation logger", ctx: withInv(&faas.Invocation{RequestID: "r1", Logger: logger}), want: logger},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := faas.Logger(tc.ctx); got != tc.want {
				t.Errorf("Logger(ctx) = %p, want %p", got, tc.want)
			}
		})
	}
}

func TestLookupEnv(t *testing.T) {
	t.Setenv("FAASPORT_TEST_PROCESS", "from the process")
	t.Setenv("FAASPORT_TEST_BOTH", "the process's")
	withEnv := func(env map[string]string) context.Context {
		return faas.WithInvocation(context.Background(), &faas.Invocation{FunctionName: "f", Environment: env})
	}
	type result struct {
		Value string
		Set   bool
	}
	tests := []struct {
		name string
		ctx  context.Context
		key  string
		want result
	}{
		{"no invocation: the process's", context.Background(), "FAASPORT_TEST_PROCESS", result{"from the process", true}},
		{"no invocation, unset", context.Background(), "FAASPORT_TEST_UNSET", result{"", false}},
		{"invocation without environment: the process's", withEnv(nil), "FAASPORT_TEST_BOTH", result{"the process's", true}},
		{"the function's own", withEnv(map[string]string{"TABLE": "orders"}), "TABLE", result{"orders", true}},
		{"the function's own wins", withEnv(map[string]string{"FAASPORT_TEST_BOTH": "the function's"}), "FAASPORT_TEST_BOTH", result{"the function's", true}},
		{"set empty by the function", withEnv(map[string]string{"EMPTY": ""}), "EMPTY", result{"", true}},
		{"not the function's: the process's", withEnv(map[string]string{"TABLE": "orders"}), "FAASPORT_TEST_PROCESS", result{"from the process", true}},
		{"set nowhere", withEnv(map[string]string{}), "FAASPORT_TEST_UNSET", result{"", false}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, ok := faas.LookupEnv(tt.ctx, tt.key)
			if diff := cmp.Diff(tt.want, result{v, ok}); diff != "" {
				t.Errorf("LookupEnv(%q) mismatch (-want +got):\n%s", tt.key, diff)
			}
			if got := faas.Getenv(tt.ctx, tt.key); got != tt.want.Value {
				t.Errorf("Getenv(%q) = %q, want %q", tt.key, got, tt.want.Value)
			}
		})
	}
}
