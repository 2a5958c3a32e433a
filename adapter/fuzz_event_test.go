package adapter_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/faasport/faasport/adapter"
)

// eventTypes are the types FuzzEventJSON decodes events into: each event
// type a Serve or Stream method takes, and a generic map.
var eventTypes = []reflect.Type{
	reflect.TypeFor[events.APIGatewayProxyRequest](),
	reflect.TypeFor[events.APIGatewayV2HTTPRequest](),
	reflect.TypeFor[events.ALBTargetGroupRequest](),
	reflect.TypeFor[events.LambdaFunctionURLRequest](),
	reflect.TypeFor[map[string]any](),
}

// serveTyped calls the Serve method of h that takes an event of e's
// type, e a pointer to one of the first four eventTypes, or its Stream
// method, and reads the response whole.
func serveTyped(h *adapter.Handler, e any, stream bool) {
	ctx := context.Background()
	switch e := e.(type) {
	case *events.APIGatewayProxyRequest:
		if !stream {
			h.ServeAPIGatewayProxy(ctx, *e)
		} else if resp, err := h.StreamAPIGatewayProxy(ctx, e); err == nil {
			io.ReadAll(resp.Body) // till the handler has returned
			resp.Close()
		}
	case *events.APIGatewayV2HTTPRequest:
		h.ServeAPIGatewayV2HTTP(ctx, *e)
	case *events.ALBTargetGroupRequest:
		h.ServeALB(ctx, *e)
	case *events.LambdaFunctionURLRequest:
		if !stream {
			h.ServeFunctionURL(ctx, *e)
		} else if resp, err := h.StreamFunctionURL(ctx, e); err == nil {
			io.ReadAll(resp.Body)
			resp.Close()
		}
	}
}

// streams reports whether the event type typ has a Stream method.
func streams(typ reflect.Type) bool {
	return typ == reflect.TypeFor[events.APIGatewayProxyRequest]() || typ == reflect.TypeFor[events.LambdaFunctionURLRequest]()
}

// decoded is what Event.Decode or json.Unmarshal made of an event: the
// value, or the error.
type decoded struct {
	Value any
	Err   bool
}

// decodeInto decodes an event into a new value of type typ with decode.
func decodeInto(typ reflect.Type, decode func(v any) error) decoded {
	v := reflect.New(typ)
	err := decode(v.Interface())
	return decoded{v.Elem().Interface(), err != nil}
}

// mutate changes every map and slice reachable from v, a pointer, in
// place: what a handler might do to the event it decoded.
func mutate(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			mutate(v.Elem())
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				mutate(v.Field(i))
			}
		}
	case reflect.Map:
		if v.IsNil() {
			return
		}
		for _, k := range v.MapKeys() {
			e := reflect.New(v.Type().Elem()).Elem()
			e.Set(v.MapIndex(k))
			mutate(e)
			v.SetMapIndex(k, e)
		}
		if v.Type().Key().Kind() == reflect.String {
			v.SetMapIndex(reflect.ValueOf("x-mutated").Convert(v.Type().Key()), reflect.Zero(v.Type().Elem()))
		}
	case reflect.Slice:
		for i := range v.Len() {
			mutate(v.Index(i))
		}
	case reflect.String:
		if v.CanSet() && v.Len() > 0 {
			v.SetString("mutated")
		}
	}
}

// FuzzEventJSON holds Event.JSON and Event.Decode to encoding/json:
//
//   - through Invoke, JSON returns the payload, and Decode into each of
//     eventTypes gives what json.Unmarshal of the payload gives, value or
//     error;
//   - through a Serve or Stream method given the event e, JSON returns
//     json.Marshal(e), Decode into e's type gives e, and Decode into any
//     of eventTypes gives what json.Unmarshal of JSON's bytes gives (the
//     round trip through encoding/json);
//   - a value Decode gives is the caller's own, as json.Unmarshal's is:
//     changing it changes neither a later Decode nor JSON.
func FuzzEventJSON(f *testing.F) {
	for _, b := range sampleEvents(f) {
		f.Add(b)
		f.Add(bytes.Replace(b, []byte(`"headers": {`), []byte(`"headers": {"x": null, "X": "1", `), 1))
	}
	for _, base := range []string{restBase, httpV1Base, httpV2Base, albBase, albMultiBase, urlBase, latticeBase} {
		f.Add([]byte(base))
	}
	f.Add([]byte(`{"httpMethod":"GET","path":"/","HTTPMETHOD":"POST","requestContext":{"authorizer":{"n":1e400}}}`))
	f.Add([]byte(`{"version":"2.0","rawPath":"/","requestContext":{"http":{"method":"GET"},"timeEpoch":1.5},"cookies":[]}`))

	f.Fuzz(func(t *testing.T, payload []byte) {
		// What the handler saw of its event. The handler of a Stream
		// method runs on a goroutine of its own, so it records what it
		// finds wrong for the test to report.
		type seenEvent struct {
			json    []byte
			jsonErr error
			decodes []decoded // into each of eventTypes
			// Of an event given to a Serve or Stream method: how Decode
			// into its own type differs from the event given (notGiven),
			// from the round trip through encoding/json (notRoundTrip),
			// and from a later Decode (notOwn) and JSON (jsonThen) once
			// changed.
			notGiven, notRoundTrip, notOwn string
			jsonThen                       []byte
		}
		var (
			seen  *seenEvent
			given any // the event given to a Serve or Stream method
		)
		h := adapter.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ev, ok := adapter.EventFromContext(r.Context())
			if !ok {
				t.Error("EventFromContext: no event")
				return
			}
			s := &seenEvent{}
			s.json, s.jsonErr = ev.JSON()
			for _, typ := range eventTypes {
				s.decodes = append(s.decodes, decodeInto(typ, ev.Decode))
			}
			if given != nil {
				typ := reflect.TypeOf(given)
				first := reflect.New(typ)
				err := ev.Decode(first.Interface())
				s.notGiven = cmp.Diff(decoded{Value: given}, decoded{first.Elem().Interface(), err != nil})
				roundTrip := decodeInto(typ, func(v any) error { return json.Unmarshal(s.json, v) })
				s.notRoundTrip = cmp.Diff(roundTrip, decoded{first.Elem().Interface(), err != nil}, cmpopts.EquateEmpty())
				before, _ := json.Marshal(first.Interface())
				mutate(first)
				later, _ := json.Marshal(decodeInto(typ, ev.Decode).Value)
				if !bytes.Equal(before, later) {
					s.notOwn = fmt.Sprintf("%s, then %s", before, later)
				}
				s.jsonThen, _ = ev.JSON()
			}
			seen = s
		}), testLogger(t))

		check := func(entry string, wantJSON []byte) {
			t.Helper()
			if seen == nil {
				return // a bad request: no handler ran
			}
			if seen.jsonErr != nil || !bytes.Equal(seen.json, wantJSON) {
				t.Fatalf("%s: Event.JSON() = %s, %v; want %s", entry, seen.json, seen.jsonErr, wantJSON)
			}
			// Decoding into the type of the event given keeps the empty
			// maps and lists that its JSON leaves out (omitempty).
			var opts []cmp.Option
			if given != nil {
				opts = append(opts, cmpopts.EquateEmpty())
			}
			for i, typ := range eventTypes {
				want := decodeInto(typ, func(v any) error { return json.Unmarshal(wantJSON, v) })
				if diff := cmp.Diff(want, seen.decodes[i], opts...); diff != "" {
					t.Errorf("%s: Event.Decode into %v differs from json.Unmarshal of %s (-want +got):\n%s", entry, typ, wantJSON, diff)
				}
			}
			if given == nil {
				return
			}
			if seen.notGiven != "" {
				t.Errorf("%s: Event.Decode into %T is not the event given (-want +got):\n%s", entry, given, seen.notGiven)
			}
			if seen.notRoundTrip != "" {
				t.Errorf("%s: Event.Decode into %T differs from the round trip through encoding/json (-round trip +Decode):\n%s", entry, given, seen.notRoundTrip)
			}
			if seen.notOwn != "" {
				t.Errorf("%s: changing what Event.Decode gave changed a later Decode: %s", entry, seen.notOwn)
			}
			if !bytes.Equal(seen.jsonThen, wantJSON) {
				t.Errorf("%s: changing what Event.Decode gave changed Event.JSON() from %s to %s", entry, wantJSON, seen.jsonThen)
			}
		}

		if _, err := h.Invoke(context.Background(), payload); err == nil {
			check("Invoke", payload)
		}

		for _, typ := range eventTypes[:4] {
			for _, stream := range []bool{false, true} {
				if stream && !streams(typ) {
					continue
				}
				e := reflect.New(typ)
				if json.Unmarshal(payload, e.Interface()) != nil {
					break
				}
				want, err := json.Marshal(e.Interface())
				if err != nil {
					t.Fatalf("json.Marshal(%#v): %v", e.Interface(), err)
				}
				// The event as given, apart from the one given, which
				// the test must not share with the adapter.
				pristine := reflect.New(typ)
				json.Unmarshal(payload, pristine.Interface())
				seen, given = nil, pristine.Elem().Interface()
				serveTyped(h, e.Interface(), stream)
				entry := "Serve"
				if stream {
					entry = "Stream"
				}
				check(entry+"("+typ.String()+")", want)
				given = nil
			}
		}
	})
}

// TestEventDecodeOwnValue checks that the event a handler decodes, through
// each Serve and Stream method, is its own: Event.Decode used to hand out
// a copy of the event that shared its maps, so that a handler changing
// its headers changed the event's JSON, later Decodes, and the caller's
// event.
func TestEventDecodeOwnValue(t *testing.T) {
	tests := []struct {
		name    string
		payload []byte
		typ     reflect.Type
		stream  bool
	}{
		{"ServeAPIGatewayProxy", sampleEvent(t, "apigw-request.json"), reflect.TypeFor[events.APIGatewayProxyRequest](), false},
		{"StreamAPIGatewayProxy", sampleEvent(t, "apigw-request.json"), reflect.TypeFor[events.APIGatewayProxyRequest](), true},
		{"ServeAPIGatewayV2HTTP", sampleEvent(t, "apigw-v2-request-jwt-authorizer.json"), reflect.TypeFor[events.APIGatewayV2HTTPRequest](), false},
		{"ServeALB", sampleEvent(t, "alb-lambda-target-request-multivalue-headers.json"), reflect.TypeFor[events.ALBTargetGroupRequest](), false},
		{"ServeFunctionURL", sampleEvent(t, "lambda-urls-request.json"), reflect.TypeFor[events.LambdaFunctionURLRequest](), false},
		{"StreamFunctionURL", sampleEvent(t, "lambda-urls-request.json"), reflect.TypeFor[events.LambdaFunctionURLRequest](), true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := reflect.New(tc.typ)
			if err := json.Unmarshal(tc.payload, e.Interface()); err != nil {
				t.Fatal(err)
			}
			want := reflect.New(tc.typ)
			json.Unmarshal(tc.payload, want.Interface())
			wantJSON, _ := json.Marshal(want.Interface())
			var later reflect.Value
			var laterJSON []byte
			h := adapter.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				ev, _ := adapter.EventFromContext(r.Context())
				first := reflect.New(tc.typ)
				if err := ev.Decode(first.Interface()); err != nil {
					t.Errorf("Decode: %v", err)
				}
				mutate(first)
				later = reflect.New(tc.typ)
				if err := ev.Decode(later.Interface()); err != nil {
					t.Errorf("Decode: %v", err)
				}
				laterJSON, _ = ev.JSON()
			}), testLogger(t))
			serveTyped(h, e.Interface(), tc.stream)
			if !later.IsValid() {
				t.Fatal("the handler did not run")
			}
			if diff := cmp.Diff(want.Elem().Interface(), later.Elem().Interface()); diff != "" {
				t.Errorf("Decode after changing what an earlier Decode gave (-want +got):\n%s", diff)
			}
			if !bytes.Equal(laterJSON, wantJSON) {
				t.Errorf("JSON after changing what Decode gave = %s, want %s", laterJSON, wantJSON)
			}
			if diff := cmp.Diff(want.Elem().Interface(), e.Elem().Interface()); diff != "" {
				t.Errorf("the caller's event after the handler changed what Decode gave (-want +got):\n%s", diff)
			}
		})
	}
}
