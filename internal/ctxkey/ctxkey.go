// Package ctxkey learns the context key another package looks its values
// up by, so that a Context of our own can answer that key directly: an
// unexported key cannot be named, but the key a lookup function passes to
// Value can be recorded.
package ctxkey

import "context"

// Of returns the key lookup passes to ctx.Value (the last, if it asks for
// several), or nil if it asks for none. lookup is given a context whose
// Value records its key and answers nil.
func Of(lookup func(ctx context.Context)) any {
	p := &probe{Context: context.Background()}
	lookup(p)
	return p.key
}

// probe is a Context that records the key of the last Value call.
type probe struct {
	context.Context
	key any
}

func (p *probe) Value(key any) any {
	p.key = key
	return nil
}
