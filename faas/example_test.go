package faas_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"time"

	"github.com/faasport/faasport/faas"
)

func ExampleFunctionFunc() {
	var upper faas.Function = faas.FunctionFunc(func(ctx context.Context, payload []byte) ([]byte, error) {
		return bytes.ToUpper(payload), nil
	})

	out, err := upper.Invoke(context.Background(), []byte("hello"))
	fmt.Println(string(out), err)
	// Output: HELLO <nil>
}

func ExampleJSON() {
	type In struct {
		Name string `json:"name"`
	}
	type Out struct {
		Greeting string `json:"greeting"`
	}
	greet := faas.JSON(func(ctx context.Context, in In) (Out, error) {
		if in.Name == "" {
			return Out{}, faas.Errorf(faas.Invalid, "name is required")
		}
		return Out{Greeting: "Hello, " + in.Name}, nil
	})

	out, err := greet.Invoke(context.Background(), []byte(`{"name":"Ada"}`))
	fmt.Println(string(out), err)

	_, err = greet.Invoke(context.Background(), []byte(`{}`))
	fmt.Println(faas.KindOf(err), err)

	_, err = greet.Invoke(context.Background(), []byte(`not json`))
	fmt.Println(faas.KindOf(err), err)
	// Output:
	// {"greeting":"Hello, Ada"} <nil>
	// invalid name is required
	// invalid faas: cannot decode payload
}

func ExampleNewContext() {
	// A runtime puts the invocation on the context before calling the
	// function, and cancels it when the invocation ends.
	inv := &faas.Invocation{
		RequestID:    "8f5e0c1a",
		FunctionName: "get-pet",
		Deadline:     time.Now().Add(3 * time.Second),
	}
	ctx, cancel := faas.NewContext(context.Background(), inv)
	defer cancel()

	deadline, ok := ctx.Deadline()
	fmt.Println(ok, deadline.Equal(inv.Deadline))
	// Output: true true
}

func ExampleFromContext() {
	f := faas.FunctionFunc(func(ctx context.Context, payload []byte) ([]byte, error) {
		inv, ok := faas.FromContext(ctx)
		if !ok {
			return []byte("not invoked by a runtime"), nil
		}
		return []byte(inv.FunctionName + " serving " + inv.RequestID), nil
	})

	ctx, cancel := faas.NewContext(context.Background(), &faas.Invocation{RequestID: "8f5e0c1a", FunctionName: "get-pet"})
	defer cancel()
	out, _ := f.Invoke(ctx, nil)
	fmt.Println(string(out))

	out, _ = f.Invoke(context.Background(), nil)
	fmt.Println(string(out))
	// Output:
	// get-pet serving 8f5e0c1a
	// not invoked by a runtime
}

func ExampleGetenv() {
	// The function reads its configuration with faas.Getenv: on Lambda
	// from the process's environment, in the emulator from its own
	// Config.Environment, which the runtime passes on the invocation.
	f := faas.FunctionFunc(func(ctx context.Context, payload []byte) ([]byte, error) {
		return []byte("orders in " + faas.Getenv(ctx, "ORDERS_TABLE")), nil
	})

	ctx, cancel := faas.NewContext(context.Background(), &faas.Invocation{
		FunctionName: "purchase",
		Environment:  map[string]string{"ORDERS_TABLE": "petstore-orders"},
	})
	defer cancel()
	out, _ := f.Invoke(ctx, nil)
	fmt.Println(string(out))
	// Output: orders in petstore-orders
}

func ExampleLogger() {
	// Drop the time so that the output is stable.
	noTime := func(groups []string, a slog.Attr) slog.Attr {
		if a.Key == slog.TimeKey && len(groups) == 0 {
			return slog.Attr{}
		}
		return a
	}
	logger := slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{ReplaceAttr: noTime}))

	ctx, cancel := faas.NewContext(context.Background(), &faas.Invocation{
		RequestID: "8f5e0c1a",
		Logger:    logger.With("request_id", "8f5e0c1a"),
	})
	defer cancel()

	faas.Logger(ctx).Info("pet fetched", "id", 7)
	// Output: level=INFO msg="pet fetched" request_id=8f5e0c1a id=7
}

func ExamplePrincipalFromContext() {
	handler := func(ctx context.Context) string {
		p, ok := faas.PrincipalFromContext(ctx)
		if !ok {
			return "anonymous"
		}
		return fmt.Sprintf("%s (admin: %v)", p.Username, p.InGroup("admin"))
	}

	// The monolith's session middleware and a function runtime store the
	// caller differently; the handler reads it the same way.
	alice := &faas.Principal{Subject: "u-1", Username: "alice", Groups: []string{"admin"}}
	fmt.Println(handler(faas.NewPrincipalContext(context.Background(), alice)))

	ctx, cancel := faas.NewContext(context.Background(), &faas.Invocation{Principal: alice})
	defer cancel()
	fmt.Println(handler(ctx))

	fmt.Println(handler(context.Background()))
	// Output:
	// alice (admin: true)
	// alice (admin: true)
	// anonymous
}

func ExamplePrincipalFromClaims() {
	// Claims as an API Gateway HTTP API JWT authorizer forwards them: the
	// groups array has been turned into a string.
	p := faas.PrincipalFromClaims(map[string]any{
		"sub":              "0b6c5a3e",
		"cognito:username": "alice",
		"cognito:groups":   "[admin user]",
		"email_verified":   "true",
	})
	fmt.Println(p.Subject, p.Username, p.Groups, p.InGroup("admin"))
	email, _ := p.Claim("email_verified")
	fmt.Println(email)
	// Output:
	// 0b6c5a3e alice [admin user] true
	// true
}

func ExamplePrincipal_Claim() {
	p := &faas.Principal{Claims: map[string]any{
		"email":     "alice@example.com",
		"auth_time": float64(1700000000),
		"roles":     []any{"reader", "writer"},
	}}
	for _, name := range []string{"email", "auth_time", "roles", "phone_number"} {
		v, ok := p.Claim(name)
		fmt.Printf("%s: %q %v\n", name, v, ok)
	}
	// Output:
	// email: "alice@example.com" true
	// auth_time: "1700000000" true
	// roles: "[\"reader\",\"writer\"]" true
	// phone_number: "" false
}

func ExampleErrorf() {
	err := faas.Errorf(faas.NotFound, "pet %d: %w", 7, fs.ErrNotExist)

	fmt.Println(err)
	fmt.Println(faas.KindOf(err), faas.KindOf(err).HTTPStatus())
	fmt.Println(errors.Is(err, fs.ErrNotExist))
	// Output:
	// pet 7: file does not exist
	// not_found 404
	// true
}

func ExampleKindOf() {
	notFound := faas.Errorf(faas.NotFound, "no such pet")

	fmt.Println(faas.KindOf(notFound))
	fmt.Println(faas.KindOf(fmt.Errorf("get pet: %w", notFound)))
	fmt.Println(faas.KindOf(errors.New("disk on fire")))
	fmt.Println(faas.KindOf(nil))
	// Output:
	// not_found
	// not_found
	// internal
	// Kind(-1)
}

func ExampleMessage() {
	// The cause stays in the log; the client sees only the message.
	err := &faas.Error{Kind: faas.Conflict, Message: "pet already sold", Err: errors.New("UNIQUE constraint failed: orders.pet_id")}
	fmt.Println(faas.Message(err))
	fmt.Println(faas.Message(errors.New("open /var/db/pets.sqlite: permission denied")))
	// Output:
	// pet already sold
	// Internal Server Error
}

func ExampleKind_HTTPStatus() {
	for _, k := range []faas.Kind{faas.Invalid, faas.NotFound, faas.TooManyRequests, faas.Timeout, faas.Internal} {
		fmt.Println(k, k.HTTPStatus())
	}
	// Output:
	// invalid 400
	// not_found 404
	// too_many_requests 429
	// timeout 504
	// internal 500
}

func ExampleKindForStatus() {
	fmt.Println(faas.KindForStatus(404), faas.KindForStatus(418), faas.KindForStatus(502))
	// Output: not_found invalid internal
}

func ExampleConfig_Validate() {
	for _, c := range []faas.Config{
		{Name: "get-pet"},
		{Name: "get pet"},
		{Name: "get-pet", Timeout: 15 * time.Minute, MemoryMB: 1024},
		{Name: "get-pet", Timeout: time.Hour},
		{Name: "get-pet", MemoryMB: 64},
		{Name: "get-pet", Environment: map[string]string{"TABLE": "pets", "AWS_REGION": "eu-west-1"}},
		{Name: "get-pet", Environment: map[string]string{"table-name": "pets"}},
	} {
		fmt.Println(c.Validate())
	}
	// Output:
	// <nil>
	// faas: function name "get pet" may hold only letters, digits, hyphens and underscores
	// <nil>
	// faas: function get-pet: timeout 1h0m0s outside 1s to 15m0s
	// faas: function get-pet: memory 64 MB outside 128 to 10240 MB
	// faas: function get-pet: environment variables hold keys Lambda reserves; reserved keys used in this request: AWS_REGION
	// faas: function get-pet: environment variable name "table-name" must satisfy regular expression pattern: [a-zA-Z]([a-zA-Z0-9_])+
}

func ExampleConfig_Effective() {
	c := faas.Config{Name: "get-pet"}.Effective()
	fmt.Println(c.Timeout, c.MemoryMB)
	fmt.Println(c)
	// Output:
	// 3s 128
	// get-pet timeout=3s memory=128MB
}

// A session middleware, in a server that is not a function, puts the
// signed-in user on the request's context; handlers read it with
// PrincipalFromContext, as they would behind an authorizer.
func ExampleNewPrincipalContext() {
	sessions := map[string]*faas.Principal{
		"s-42": {Subject: "u-1", Username: "alice", Groups: []string{"staff"}},
	}
	withSession := func(ctx context.Context, cookie string) context.Context {
		if p, ok := sessions[cookie]; ok {
			return faas.NewPrincipalContext(ctx, p)
		}
		return ctx
	}

	for _, cookie := range []string{"s-42", "s-expired"} {
		ctx := withSession(context.Background(), cookie)
		if p, ok := faas.PrincipalFromContext(ctx); ok {
			fmt.Println(cookie, "->", p.Username, p.InGroup("staff"))
		} else {
			fmt.Println(cookie, "-> anonymous")
		}
	}
	// Output:
	// s-42 -> alice true
	// s-expired -> anonymous
}

// A layer under a runtime that already put the invocation's deadline on
// the context, such as an adapter under aws-lambda-go, adds the invocation
// with WithInvocation: the deadline stays the runtime's.
func ExampleWithInvocation() {
	runtimeCtx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	runtimeDeadline, _ := runtimeCtx.Deadline()

	inv := &faas.Invocation{
		RequestID:    "8f5e0c1a",
		FunctionName: "get-pet",
		Deadline:     runtimeDeadline.Add(time.Hour), // not applied
		Principal:    &faas.Principal{Subject: "u-1", Username: "alice"},
	}
	ctx := faas.WithInvocation(runtimeCtx, inv)

	got, _ := faas.FromContext(ctx)
	p, _ := faas.PrincipalFromContext(ctx)
	deadline, _ := ctx.Deadline()
	fmt.Println(got.FunctionName, got.RequestID, p.Username)
	fmt.Println(deadline.Equal(runtimeDeadline))
	// Output:
	// get-pet 8f5e0c1a alice
	// true
}
