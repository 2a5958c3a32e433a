package adapter

import (
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"reflect"
	"sync/atomic"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambdacontext"

	"github.com/faasport/faasport/faas"
	"github.com/faasport/faasport/internal/ctxkey"
	"github.com/faasport/faasport/internal/jsonx"
)

// Event is the original event of the request a handler is serving. Get it
// with [EventFromContext].
type Event struct {
	// Format is the event's format, as the adapter detected it.
	Format Format

	payload string // the event's JSON, when the adapter read it from JSON
	typed   any    // a pointer to the aws-lambda-go event, when given one
}

type eventKey struct{}

// EventFromContext returns the event that the request in ctx came from.
// It returns false for requests that did not come through the adapter.
func EventFromContext(ctx context.Context) (*Event, bool) {
	e, ok := ctx.Value(eventKey{}).(*Event)
	return e, ok && e != nil
}

// requestCtx is the context of the request a handler serves: its parent
// plus the values the adapter adds — the event, the invocation and the
// caller — in one allocation, where context.WithValue would take one per
// value (and the invocation and event another each). The invocation, and
// a caller read from an authorizer, are made only when first asked for.
// Value answers for faas's keys as faas.WithInvocation and
// faas.NewPrincipalContext would, so faas.FromContext and
// faas.PrincipalFromContext see the same values.
//
// It also holds what newRequest would otherwise allocate apiece for the
// request: its URL, the backing array of its header values when they are
// few, and the bytes of its short strings (target, RemoteAddr, canonical
// header names) while they fit.
type requestCtx struct {
	context.Context
	source Event

	// The invocation and the caller, nil until worked out from the
	// parent and the event when first asked for (see invocation and
	// principal): most handlers never ask, and decoding a JWT
	// authorizer's claims costs more than the rest of the request. p is
	// noCaller when the event names none. The caller is read from one of
	// authzJSON (Invoke's requestContext.authorizer, a non-empty object),
	// authzMap and authzV2, or else from the identity when c is made.
	// Both are worked out without a lock: they come out the same every
	// time, and the first one stored wins.
	inv       atomic.Pointer[faas.Invocation]
	p         atomic.Pointer[faas.Principal]
	authzJSON string
	authzMap  map[string]any
	authzV2   *events.APIGatewayV2HTTPRequestContextAuthorizerDescription

	url   url.URL
	vals  [8]string
	bytes [48]byte
}

// noCaller is requestCtx.p for a request whose event names no caller.
var noCaller = new(faas.Principal)

func (c *requestCtx) Value(key any) any {
	switch key {
	case eventKey{}:
		return &c.source
	case invocationKey:
		if inv := c.invocation(); inv != nil {
			return inv
		}
	case principalKey:
		if p := c.principal(); p != nil {
			return p
		}
	}
	return c.Context.Value(key)
}

// principal returns the caller, working it out the first time.
func (c *requestCtx) principal() *faas.Principal {
	p := c.p.Load()
	if p == nil {
		p = principalOf(c.authorizer(), nil)
		if p == nil {
			p = noCaller
		}
		if !c.p.CompareAndSwap(nil, p) {
			p = c.p.Load()
		}
	}
	if p == noCaller {
		return nil
	}
	return p
}

// setPrincipal records the caller; c is not yet shared.
func (c *requestCtx) setPrincipal(p *faas.Principal) {
	if p == nil {
		p = noCaller
	}
	c.p.Store(p)
}

// invocation returns the invocation faas.FromContext gives, working it
// out the first time, or nil where the parent's answer stands: a copy of
// the parent's with the caller as Principal, when the event names a
// caller; or one made from aws-lambda-go's lambdacontext, with the caller
// as Principal.
func (c *requestCtx) invocation() *faas.Invocation {
	if inv := c.inv.Load(); inv != nil {
		return inv
	}
	p := c.principal()
	var inv faas.Invocation
	if parent, ok := faas.FromContext(c.Context); ok {
		if p == nil {
			return nil
		}
		inv = *parent
	} else if lc, ok := lambdacontext.FromContext(c.Context); ok {
		inv = faas.Invocation{
			RequestID:    lc.AwsRequestID,
			FunctionName: lambdacontext.FunctionName,
			FunctionARN:  lc.InvokedFunctionArn,
		}
		if d, ok := c.Context.Deadline(); ok {
			inv.Deadline = d
		}
	} else {
		return nil
	}
	inv.Principal = p
	if !c.inv.CompareAndSwap(nil, &inv) {
		return c.inv.Load()
	}
	return &inv
}

// authorizer returns the event's authorizer output as principalOf reads
// it.
func (c *requestCtx) authorizer() map[string]any {
	switch {
	case c.authzJSON != "":
		// Checked by decodeEvent (jsonx.Reader.Raw): it decodes.
		m, _ := jsonx.NewReader(c.authzJSON).Value().(map[string]any)
		return m
	case c.authzV2 != nil:
		return v2Authorizer(c.authzV2)
	}
	return c.authzMap
}

func (c *requestCtx) String() string { return "adapter.requestContext" }

// typedCtx is a requestCtx that also holds the aws-lambda-go event a Serve
// method was given, which [Event.Decode] and [Event.JSON] read: one
// allocation for both.
type typedCtx[T any] struct {
	requestCtx
	typed T
}

func newTypedCtx[T any](f Format, e *T) *typedCtx[T] {
	c := &typedCtx[T]{typed: *e}
	c.source = Event{Format: f, typed: &c.typed}
	return c
}

// invocationKey and principalKey are the keys faas stores an
// *faas.Invocation and a *faas.Principal under. faas does not export them
// (and this package may not change faas), so they are read once from the
// Value calls of faas.FromContext and faas.PrincipalFromContext on a
// context that records them. If faas ever looks values up otherwise, they
// come out nil or equal, and requestContext falls back to
// context.WithValue layers (TestRequestContextKeys checks both ways agree).
var invocationKey, principalKey = faasKeys()

func faasKeys() (inv, principal any) {
	inv = ctxkey.Of(func(ctx context.Context) { faas.FromContext(ctx) })
	principal = ctxkey.Of(func(ctx context.Context) { faas.PrincipalFromContext(ctx) })
	if inv == nil || principal == nil || inv == principal {
		return nil, nil
	}
	return inv, principal
}

// JSON returns the event's JSON payload.
func (e *Event) JSON() ([]byte, error) {
	if e.typed != nil {
		return json.Marshal(e.typed)
	}
	return []byte(e.payload), nil
}

// Decode decodes the event into v, typically a pointer to one of
// aws-lambda-go's event types such as *events.APIGatewayV2HTTPRequest.
// What it decodes is v's own, as json.Unmarshal's would be: changing it
// changes neither the event nor what a later Decode gives.
func (e *Event) Decode(v any) error {
	if e.typed != nil {
		dst := reflect.ValueOf(v)
		src := reflect.ValueOf(e.typed)
		if dst.Kind() == reflect.Pointer && !dst.IsNil() && src.Type() == dst.Type() {
			// The event given to a Serve method, copied whole: a copy
			// of the struct alone would share its maps and slices.
			deepCopy(dst.Elem(), src.Elem())
			return nil
		}
	}
	b, err := e.JSON()
	if err != nil {
		return err
	}
	if len(b) == 0 {
		return errors.New("adapter: the event has no payload")
	}
	return json.Unmarshal(b, v)
}

// deepCopy sets dst to a copy of src, of the same type, that shares no
// map, slice or pointer with it. (The event types hold no channels,
// functions or cycles.)
func deepCopy(dst, src reflect.Value) {
	switch src.Kind() {
	case reflect.Pointer:
		if src.IsNil() {
			dst.SetZero()
			return
		}
		p := reflect.New(src.Type().Elem())
		deepCopy(p.Elem(), src.Elem())
		dst.Set(p)
	case reflect.Interface:
		if src.IsNil() {
			dst.SetZero()
			return
		}
		v := reflect.New(src.Elem().Type()).Elem()
		deepCopy(v, src.Elem())
		dst.Set(v)
	case reflect.Map:
		if src.IsNil() {
			dst.SetZero()
			return
		}
		m := reflect.MakeMapWithSize(src.Type(), src.Len())
		for it := src.MapRange(); it.Next(); {
			v := reflect.New(src.Type().Elem()).Elem()
			deepCopy(v, it.Value())
			m.SetMapIndex(it.Key(), v)
		}
		dst.Set(m)
	case reflect.Slice:
		if src.IsNil() {
			dst.SetZero()
			return
		}
		s := reflect.MakeSlice(src.Type(), src.Len(), src.Len())
		for i := range src.Len() {
			deepCopy(s.Index(i), src.Index(i))
		}
		dst.Set(s)
	case reflect.Struct:
		dst.Set(src)
		for i := range src.NumField() {
			if dst.Field(i).CanSet() {
				deepCopy(dst.Field(i), src.Field(i))
			}
		}
	default:
		dst.Set(src)
	}
}

// principalOf returns the caller as an event's authorizer output (a) or,
// without one, its requestContext.identity established it, or nil. It
// reads the event only: no request header can set it.
func principalOf(a map[string]any, identity []field) *faas.Principal {
	var claims map[string]any
	fallbackSub := ""
	if a != nil {
		switch {
		case isMap(a["jwt"]):
			claims, _ = a["jwt"].(map[string]any)["claims"].(map[string]any)
			if claims == nil {
				claims = map[string]any{}
			}
			if sc, ok := a["jwt"].(map[string]any)["scopes"]; ok && sc != nil {
				if _, has := claims["scope"]; !has {
					claims = cloneWith(claims, "scopes", sc)
				}
			}
		case isMap(a["claims"]):
			claims = a["claims"].(map[string]any)
		case isMap(a["lambda"]):
			claims = a["lambda"].(map[string]any)
		case isMap(a["iam"]):
			claims = a["iam"].(map[string]any)
			fallbackSub, _ = claims["userId"].(string)
			if ci, ok := claims["cognitoIdentity"].(map[string]any); ok {
				if id, ok := ci["identityId"].(string); ok && id != "" {
					fallbackSub = id
				}
			}
		default:
			// A REST API Lambda authorizer's context, flattened beside
			// principalId.
			claims = a
		}
		if fallbackSub == "" {
			fallbackSub, _ = a["principalId"].(string)
		}
	} else if namesCaller(identity) {
		// IAM-authorised REST requests and VPC Lattice name the caller in
		// requestContext.identity.
		id := make(map[string]any, len(identity))
		for _, f := range identity {
			id[f.k] = f.v
		}
		switch {
		case id["cognitoIdentityId"] != nil:
			fallbackSub = id["cognitoIdentityId"].(string)
		case id["principal"] != nil:
			fallbackSub = id["principal"].(string)
		case id["userArn"] != nil:
			fallbackSub, _ = id["user"].(string)
		}
		claims = id
	}
	if claims == nil {
		return nil
	}
	p := faas.PrincipalFromClaims(claims)
	if p.Subject == "" {
		p.Subject = fallbackSub
	}
	return p
}

// namesCaller reports whether an identity has a member that names the
// caller: every REST event has an identity, but only IAM-authorised
// requests (and VPC Lattice ones) carry one of these.
func namesCaller(identity []field) bool {
	for _, f := range identity {
		switch f.k {
		case "cognitoIdentityId", "principal", "userArn":
			return true
		}
	}
	return false
}

func isMap(v any) bool {
	_, ok := v.(map[string]any)
	return ok
}

func cloneWith(m map[string]any, k string, v any) map[string]any {
	c := make(map[string]any, len(m)+1)
	for k, v := range m {
		c[k] = v
	}
	c[k] = v
	return c
}
