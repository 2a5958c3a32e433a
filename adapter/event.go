package adapter

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"

	"github.com/faasport/faasport/faas"
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

// JSON returns the event's JSON payload.
func (e *Event) JSON() ([]byte, error) {
	if e.typed != nil {
		return json.Marshal(e.typed)
	}
	return []byte(e.payload), nil
}

// Decode decodes the event into v, typically a pointer to one of
// aws-lambda-go's event types such as *events.APIGatewayV2HTTPRequest.
func (e *Event) Decode(v any) error {
	if e.typed != nil {
		dst := reflect.ValueOf(v)
		src := reflect.ValueOf(e.typed)
		if dst.Kind() == reflect.Pointer && !dst.IsNil() && src.Type() == dst.Type() {
			dst.Elem().Set(src.Elem())
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

// principal returns the caller as the event's authorizer established it,
// or nil. It reads the event only: no request header can set it.
func (ev *event) principal() *faas.Principal {
	var claims map[string]any
	fallbackSub := ""
	if a := ev.authorizer; a != nil {
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
	} else if len(ev.identity) > 0 {
		// IAM-authorised REST requests and VPC Lattice name the caller in
		// requestContext.identity.
		id := map[string]any{}
		for _, f := range ev.identity {
			id[f.k] = f.v
		}
		switch {
		case id["cognitoIdentityId"] != nil:
			fallbackSub = id["cognitoIdentityId"].(string)
		case id["principal"] != nil:
			fallbackSub = id["principal"].(string)
		case id["userArn"] != nil:
			fallbackSub, _ = id["user"].(string)
		default:
			return nil
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
