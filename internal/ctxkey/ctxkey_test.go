package ctxkey_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/faasport/faasport/internal/ctxkey"
)

type privateKey struct{}

func lookup(ctx context.Context) (string, bool) {
	s, ok := ctx.Value(privateKey{}).(string)
	return s, ok
}

func TestOf(t *testing.T) {
	tests := []struct {
		name   string
		lookup func(context.Context)
		want   any
	}{
		{"one key", func(ctx context.Context) { lookup(ctx) }, privateKey{}},
		{"the last of two", func(ctx context.Context) { ctx.Value("first"); ctx.Value("second") }, "second"},
		{"none", func(context.Context) {}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := ctxkey.Of(tc.lookup); got != tc.want {
				t.Errorf("Of = %v, want %v", got, tc.want)
			}
		})
	}
	// A context answering the learnt key serves the lookup.
	key := ctxkey.Of(func(ctx context.Context) { lookup(ctx) })
	if s, ok := lookup(answer{context.Background(), key}); !ok || s != "answered" {
		t.Errorf("lookup through a context answering the learnt key = %q, %v", s, ok)
	}
}

type answer struct {
	context.Context
	key any
}

func (a answer) Value(key any) any {
	if key == a.key {
		return "answered"
	}
	return a.Context.Value(key)
}

func ExampleOf() {
	key := ctxkey.Of(func(ctx context.Context) { lookup(ctx) })
	_, isPrivate := key.(privateKey)
	fmt.Println(isPrivate)
	// Output: true
}
