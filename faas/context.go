package faas

import (
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"strings"
	"time"
)

// Invocation describes the invocation a function is serving. The runtime
// that calls a function puts it on the context with [NewContext]; the
// function reads it with [FromContext].
type Invocation struct {
	RequestID    string    // the invocation's request id
	Deadline     time.Time // when the invocation times out; also the context's deadline
	FunctionName string
	FunctionARN  string // the ARN the function was invoked by, with its qualifier if any

	// Principal is the caller, when the invocation came through an
	// authorizer or a signed request; nil otherwise.
	Principal *Principal

	// Logger, when set, is the runtime's logger for this invocation: what
	// a function logs through it is attributed to the invocation (its
	// request id on every line, and in the emulator, in the invocation's
	// log tail). Functions get it with [Logger].
	Logger *slog.Logger

	// Environment, when non-nil, holds the function's environment
	// variables where the runtime cannot make them the process's: the
	// emulator's in-process functions share one process, so it passes
	// each function's Config.Environment, and the variables Lambda sets
	// per function, here. On Lambda it is nil: the variables are the
	// process's. Functions read them with [Getenv]. Runtimes share one
	// map between invocations: it must not be modified.
	Environment map[string]string
}

// LookupEnv returns the function's environment variable named key, and
// whether it is set: from the Environment of the invocation in ctx when
// it has one and the variable is there, otherwise from the process's
// environment (os.LookupEnv), which is where Lambda puts them. Code that
// reads its configuration this way runs unchanged on Lambda and as an
// in-process function of the emulator.
func LookupEnv(ctx context.Context, key string) (string, bool) {
	if inv, ok := FromContext(ctx); ok && inv.Environment != nil {
		if v, ok := inv.Environment[key]; ok {
			return v, true
		}
	}
	return os.LookupEnv(key)
}

// Getenv is [LookupEnv] without the second result: "" when key is not set.
func Getenv(ctx context.Context, key string) string {
	v, _ := LookupEnv(ctx, key)
	return v
}

// Logger returns the logger of the invocation in ctx, or slog.Default()
// when ctx carries none.
func Logger(ctx context.Context) *slog.Logger {
	if inv, ok := FromContext(ctx); ok && inv.Logger != nil {
		return inv.Logger
	}
	return slog.Default()
}

// Principal is the authenticated caller of a request, as the monolith's
// session middleware or a gateway authorizer established it. Handlers read
// it with [PrincipalFromContext] and need not know which of the two ran.
type Principal struct {
	Subject  string   // the stable user id ("sub")
	Username string   // the sign-in name ("cognito:username" or "username")
	Groups   []string // group memberships ("cognito:groups")

	// Claims holds every claim the authorizer passed on, by name. Values
	// are as the token carried them after decoding: string, float64, bool,
	// []any or map[string]any; claims that a gateway stringified arrive as
	// strings.
	Claims map[string]any
}

// InGroup reports whether p is a member of group. A nil Principal is in no
// group.
func (p *Principal) InGroup(group string) bool {
	if p == nil {
		return false
	}
	for _, g := range p.Groups {
		if g == group {
			return true
		}
	}
	return false
}

// Claim returns the named claim as a string: strings as they are, other
// values in their JSON form. The second result reports whether the claim
// was present.
func (p *Principal) Claim(name string) (string, bool) {
	if p == nil {
		return "", false
	}
	v, ok := p.Claims[name]
	if !ok {
		return "", false
	}
	if s, ok := v.(string); ok {
		return s, true
	}
	b, err := json.Marshal(v)
	if err != nil {
		return "", true
	}
	return string(b), true
}

// PrincipalFromClaims builds a Principal from token claims as Cognito
// issues them and gateways forward them: "sub"; "cognito:username", else
// "username"; and "cognito:groups" as a list, as a string holding a JSON
// array of strings, as API Gateway HTTP APIs render a list ("[admin
// user]"), or as a comma-separated list. A JSON list loses its empty
// names.
func PrincipalFromClaims(claims map[string]any) *Principal {
	p := &Principal{Claims: claims}
	p.Subject, _ = claims["sub"].(string)
	if u, ok := claims["cognito:username"].(string); ok {
		p.Username = u
	} else {
		p.Username, _ = claims["username"].(string)
	}
	p.Groups = parseGroups(claims["cognito:groups"])
	return p
}

func parseGroups(v any) []string {
	switch v := v.(type) {
	case []any:
		var out []string
		for _, g := range v {
			if s, ok := g.(string); ok && s != "" {
				out = append(out, s)
			}
		}
		return out
	case []string:
		return append([]string(nil), v...)
	case string:
		s := strings.TrimSpace(v)
		if s == "" {
			return nil
		}
		if strings.HasPrefix(s, "[") && strings.HasSuffix(s, "]") {
			// A JSON array of strings is read as the array is. Any other
			// bracketed string is an array HTTP APIs stringified Go-style,
			// "[admin user]", even where that is JSON too: "[2024]" and
			// "[null]" are the groups "2024" and "null".
			var arr []any
			if json.Unmarshal([]byte(s), &arr) == nil && allStrings(arr) {
				return parseGroups(arr)
			}
			return strings.Fields(s[1 : len(s)-1])
		}
		var out []string
		for _, g := range strings.Split(s, ",") {
			if g = strings.TrimSpace(g); g != "" {
				out = append(out, g)
			}
		}
		return out
	}
	return nil
}

func allStrings(vs []any) bool {
	for _, v := range vs {
		if _, ok := v.(string); !ok {
			return false
		}
	}
	return true
}

type invocationKey struct{}
type principalKey struct{}

// NewContext returns a copy of ctx carrying inv. When inv has a Deadline
// earlier than ctx's, the returned context has that deadline too; call
// the returned cancel function when the invocation ends.
//
// When inv.Principal is set, [PrincipalFromContext] returns it.
func NewContext(ctx context.Context, inv *Invocation) (context.Context, context.CancelFunc) {
	ctx = WithInvocation(ctx, inv)
	if !inv.Deadline.IsZero() {
		return context.WithDeadline(ctx, inv.Deadline)
	}
	return context.WithCancel(ctx)
}

// WithInvocation returns a copy of ctx carrying inv, and inv.Principal when
// set, without touching ctx's deadline. It is for layers whose context
// already carries the invocation's deadline, such as an adapter running
// under aws-lambda-go; runtimes use [NewContext].
func WithInvocation(ctx context.Context, inv *Invocation) context.Context {
	ctx = context.WithValue(ctx, invocationKey{}, inv)
	if inv.Principal != nil {
		ctx = context.WithValue(ctx, principalKey{}, inv.Principal)
	}
	return ctx
}

// FromContext returns the Invocation stored in ctx by [NewContext].
func FromContext(ctx context.Context) (*Invocation, bool) {
	inv, ok := ctx.Value(invocationKey{}).(*Invocation)
	return inv, ok
}

// NewPrincipalContext returns a copy of ctx carrying p. The monolith's
// session middleware calls it; functions get the same through
// [NewContext].
func NewPrincipalContext(ctx context.Context, p *Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// PrincipalFromContext returns the caller stored in ctx, whichever layer
// stored it. It returns nil, false for an anonymous request.
func PrincipalFromContext(ctx context.Context) (*Principal, bool) {
	p, ok := ctx.Value(principalKey{}).(*Principal)
	return p, ok && p != nil
}
