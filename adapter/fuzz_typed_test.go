package adapter_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/faasport/faasport/adapter"
	"github.com/faasport/faasport/faas"
)

// echoRequest answers with what it saw of its request: a JSON view of it,
// then its body. The response's Content-Type and Content-Encoding are the
// request's (so that some bodies go out base64-encoded), its headers echo
// the request's, and its cookies are the request's. A request with an
// X-Panic header panics before writing; one with X-Flush flushes after
// the view.
func echoRequest(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("X-Panic") != "" {
		panic("X-Panic")
	}
	body, _ := io.ReadAll(r.Body)
	view := struct {
		Method, Path, RawPath, RawQuery, Host, RemoteAddr, Proto string
		ContentLength                                            int64
		Close                                                    bool
		Header                                                   http.Header
	}{
		Method: r.Method, Path: r.URL.Path, RawPath: r.URL.RawPath, RawQuery: r.URL.RawQuery, Host: r.Host,
		RemoteAddr: r.RemoteAddr, Proto: r.Proto, ContentLength: r.ContentLength, Close: r.Close, Header: r.Header,
	}
	for k, vs := range r.Header {
		w.Header()["X-Echo-"+k] = vs
	}
	if cs := r.Header["Cookie"]; len(cs) > 0 {
		w.Header()["Set-Cookie"] = cs
	}
	for _, k := range []string{"Content-Type", "Content-Encoding"} {
		if vs := r.Header[k]; len(vs) > 0 {
			w.Header()[k] = vs
		}
	}
	b, err := json.Marshal(view)
	if err != nil {
		panic(err)
	}
	w.Write(b)
	if r.Header.Get("X-Flush") != "" {
		w.(http.Flusher).Flush()
	}
	w.Write(body)
}

// streamView is a streamed response as the client gets it.
type streamView struct {
	Status            int
	Headers           map[string]string
	MultiValueHeaders map[string][]string
	Cookies           []string
	Body              string
}

// typedEntry is a Serve or Stream method, with the formats of the events
// it serves, called with the aws-lambda-go event decoded from a payload.
type typedEntry struct {
	name    string
	formats []adapter.Format
	event   func() any // a pointer to a new event of the method's type
	// call calls the method with the event, returning the response in the
	// form that fromInvoke returns Invoke's.
	call       func(h *adapter.Handler, ctx context.Context, e any) (any, error)
	fromInvoke func(out []byte) (any, error)
}

var typedEntries = []typedEntry{
	{
		name:    "ServeAPIGatewayProxy",
		formats: []adapter.Format{adapter.FormatRESTAPI, adapter.FormatHTTPAPIV1},
		event:   func() any { return new(events.APIGatewayProxyRequest) },
		call: func(h *adapter.Handler, ctx context.Context, e any) (any, error) {
			resp, err := h.ServeAPIGatewayProxy(ctx, *e.(*events.APIGatewayProxyRequest))
			return &resp, err
		},
		fromInvoke: decodeInvoke[events.APIGatewayProxyResponse],
	},
	{
		name:    "StreamAPIGatewayProxy",
		formats: []adapter.Format{adapter.FormatRESTAPI, adapter.FormatHTTPAPIV1},
		event:   func() any { return new(events.APIGatewayProxyRequest) },
		call: func(h *adapter.Handler, ctx context.Context, e any) (any, error) {
			resp, err := h.StreamAPIGatewayProxy(ctx, e.(*events.APIGatewayProxyRequest))
			if err != nil {
				return nil, err
			}
			defer resp.Close()
			body, err := io.ReadAll(resp.Body)
			return &streamView{Status: resp.StatusCode, MultiValueHeaders: resp.MultiValueHeaders, Body: string(body)}, err
		},
		fromInvoke: func(out []byte) (any, error) {
			var r events.APIGatewayProxyResponse
			if err := json.Unmarshal(out, &r); err != nil {
				return nil, err
			}
			body, err := invokeBody(r.Body, r.IsBase64Encoded)
			return &streamView{Status: r.StatusCode, MultiValueHeaders: r.MultiValueHeaders, Body: body}, err
		},
	},
	{
		name:       "ServeAPIGatewayV2HTTP",
		formats:    []adapter.Format{adapter.FormatHTTPAPIV2},
		event:      func() any { return new(events.APIGatewayV2HTTPRequest) },
		fromInvoke: decodeInvoke[events.APIGatewayV2HTTPResponse],
		call: func(h *adapter.Handler, ctx context.Context, e any) (any, error) {
			resp, err := h.ServeAPIGatewayV2HTTP(ctx, *e.(*events.APIGatewayV2HTTPRequest))
			return &resp, err
		},
	},
	{
		name:       "ServeALB",
		formats:    []adapter.Format{adapter.FormatALB, adapter.FormatALBMultiValue},
		event:      func() any { return new(events.ALBTargetGroupRequest) },
		fromInvoke: decodeInvoke[events.ALBTargetGroupResponse],
		call: func(h *adapter.Handler, ctx context.Context, e any) (any, error) {
			resp, err := h.ServeALB(ctx, *e.(*events.ALBTargetGroupRequest))
			return &resp, err
		},
	},
	{
		name:       "ServeFunctionURL",
		formats:    []adapter.Format{adapter.FormatFunctionURL},
		event:      func() any { return new(events.LambdaFunctionURLRequest) },
		fromInvoke: decodeInvoke[events.LambdaFunctionURLResponse],
		call: func(h *adapter.Handler, ctx context.Context, e any) (any, error) {
			resp, err := h.ServeFunctionURL(ctx, *e.(*events.LambdaFunctionURLRequest))
			return &resp, err
		},
	},
	{
		name:    "StreamFunctionURL",
		formats: []adapter.Format{adapter.FormatFunctionURL},
		event:   func() any { return new(events.LambdaFunctionURLRequest) },
		call: func(h *adapter.Handler, ctx context.Context, e any) (any, error) {
			resp, err := h.StreamFunctionURL(ctx, e.(*events.LambdaFunctionURLRequest))
			if err != nil {
				return nil, err
			}
			defer resp.Close()
			body, err := io.ReadAll(resp.Body)
			return &streamView{Status: resp.StatusCode, Headers: resp.Headers, Cookies: resp.Cookies, Body: string(body)}, err
		},
		fromInvoke: func(out []byte) (any, error) {
			var r events.LambdaFunctionURLResponse
			if err := json.Unmarshal(out, &r); err != nil {
				return nil, err
			}
			body, err := invokeBody(r.Body, r.IsBase64Encoded)
			return &streamView{Status: r.StatusCode, Headers: r.Headers, Cookies: r.Cookies, Body: body}, err
		},
	},
}

func decodeInvoke[R any](out []byte) (any, error) {
	r := new(R)
	return r, json.Unmarshal(out, r)
}

// invokeBody is the body of a buffered response as the client gets it.
func invokeBody(body string, isBase64 bool) (string, error) {
	if !isBase64 {
		return body, nil
	}
	b, err := base64.StdEncoding.DecodeString(body)
	return string(b), err
}

// typedOptions are the options of both Handlers an entry's response is
// compared between. The typed event for HTTP API 1.0 does not carry the
// payload version, so that its Serve method cannot strip the stage as
// Invoke does: for it, neither strips.
func typedOptions(t *testing.T, format adapter.Format) []adapter.Option {
	opts := []adapter.Option{testLogger(t), adapter.WithBasePath("/base")}
	if format == adapter.FormatHTTPAPIV1 {
		opts = append(opts, adapter.WithStageInPath())
	}
	return opts
}

// FuzzTypedEntryPoints decodes each payload into the aws-lambda-go event
// type of each Serve and Stream method with encoding/json, as a caller
// of the method would, and holds the method's response to Invoke's for
// the same payload (status, headers, cookies, body, and base64 flag or
// the bytes it stands for), where Invoke reads the payload as an event of
// a format the method serves. The handler echoes its whole request, so
// that the request each built must agree too.
//
// The types' maps of headers and query parameters keep no order, which
// the Serve methods make name order (so that two spellings of a header
// name merge, and the query string reads, the same every time): the
// payload Invoke is given has those maps' members in name order (see
// inNameOrder), which leaves a payload whose members are in that order
// already as it is.
//
// Payloads that the type cannot carry as Invoke reads them are skipped
// (see typedDomain), as are bad requests to the HTTP API 1.0 format
// (whose 400 body says so, where the typed event cannot tell its
// version).
func FuzzTypedEntryPoints(f *testing.F) {
	for _, b := range sampleEvents(f) {
		f.Add(b)
		f.Add(bytes.Replace(b, []byte(`"isBase64Encoded": false`), []byte(`"isBase64Encoded": true`), 1))
		f.Add(bytes.Replace(b, []byte(`"headers": {`), []byte(`"headers": {"Content-Type": "image/png", "X-Flush": "1", `), 1))
		f.Add(bytes.Replace(b, []byte(`"headers": {`), []byte(`"headers": {"Accept": "a", "accept": "b", `), 1))
		f.Add(bytes.Replace(b, []byte(`"headers": {`), []byte(`"headers": {"X-Panic": "1", `), 1))
	}
	for _, base := range []string{restBase, httpV1Base, httpV2Base, albBase, albMultiBase, urlBase} {
		f.Add([]byte(base))
	}
	f.Add(buildEvent(f, httpV1Base, `{"path":"/prod/base/x","requestContext":{"stage":"prod"}}`))
	f.Add(buildEvent(f, httpV2Base, `{"rawPath":"/prod/base/a%2Fb","rawQueryString":"b=2&a=1&a=%zz","cookies":["a=1","b=2"],"requestContext":{"stage":"prod"}}`))
	f.Add(buildEvent(f, restBase, `{"httpMethod":"HEAD","path":"/base","queryStringParameters":{"b":"2","a":"1"},"multiValueQueryStringParameters":{"b":["2"],"a":["1","3"]}}`))
	f.Add(buildEvent(f, restBase, `{"body":"%","isBase64Encoded":true}`))
	f.Add(buildEvent(f, albBase, `{"path":"/x%2Fy","queryStringParameters":{"q":"a%20b","r":"%zz"},"headers":{"content-encoding":"gzip"},"body":"aGk=","isBase64Encoded":true}`))
	f.Add(buildEvent(f, urlBase, `{"headers":{"host":"h","connection":"close","x-flush":"1"},"body":"`+strings.Repeat("x", 600)+`"}`))

	f.Fuzz(func(t *testing.T, payload []byte) {
		var seenFormat adapter.Format
		detect := adapter.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ev, _ := adapter.EventFromContext(r.Context())
			seenFormat = ev.Format
		}), testLogger(t))
		if _, err := detect.Invoke(context.Background(), payload); err != nil {
			if k := faas.KindOf(err); k != faas.Invalid {
				t.Fatalf("Invoke(%q) error %v of kind %v, want %v", payload, err, k, faas.Invalid)
			}
			return
		}
		format, ran := seenFormat, seenFormat != adapter.FormatUnknown
		if !ran {
			// A bad request: the handler did not run to say.
			format = invokeFormat(payload)
		}
		for _, entry := range typedEntries {
			if !slices.Contains(entry.formats, format) || !ran && format == adapter.FormatHTTPAPIV1 {
				continue
			}
			e := entry.event()
			if json.Unmarshal(payload, e) != nil {
				continue
			}
			if why := typedDomain(payload, reflect.TypeOf(e).Elem(), format); why != "" {
				continue
			}
			opts := typedOptions(t, format)
			ordered := inNameOrder(payload)
			out, err := adapter.Wrap(http.HandlerFunc(echoRequest), opts...).Invoke(context.Background(), ordered)
			if err != nil {
				t.Fatalf("Invoke(%s): %v", ordered, err)
			}
			want, err := entry.fromInvoke(out)
			if err != nil {
				t.Fatalf("Invoke(%s) = %s: %v", ordered, out, err)
			}
			got, err := entry.call(adapter.Wrap(http.HandlerFunc(echoRequest), opts...), context.Background(), e)
			if err != nil {
				t.Fatalf("%s(%s): %v; Invoke = %s", entry.name, payload, err, out)
			}
			if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("%s(%s) differs from Invoke(%s), as %v (-Invoke +%s):\n%s", entry.name, payload, ordered, format, entry.name, diff)
			}
		}
	})
}

// inNameOrder returns payload with the members of its maps of headers and
// query parameters in name order, values of one name in their order.
func inNameOrder(payload []byte) []byte {
	var ev map[string]json.RawMessage
	if json.Unmarshal(payload, &ev) != nil {
		return payload
	}
	for _, k := range []string{"headers", "multiValueHeaders", "queryStringParameters", "multiValueQueryStringParameters"} {
		var m map[string]json.RawMessage
		if json.Unmarshal(ev[k], &m) == nil && m != nil {
			ev[k], _ = json.Marshal(m) // in name order, as encoding/json writes maps
		}
	}
	out, err := json.Marshal(ev)
	if err != nil {
		return payload
	}
	return out
}

// invokeFormat is the format Invoke reads payload, an event it accepts,
// as: the outline of its detection, for requests that do not reach a
// handler to say.
func invokeFormat(payload []byte) adapter.Format {
	var ev map[string]any
	if json.Unmarshal(payload, &ev) != nil {
		return adapter.FormatUnknown
	}
	str := func(m map[string]any, k string) string {
		s, _ := m[k].(string)
		return s
	}
	rc, _ := ev["requestContext"].(map[string]any)
	_, hasHTTP := rc["http"].(map[string]any)
	_, elb := rc["elb"]
	_, multiH := ev["multiValueHeaders"].(map[string]any)
	_, multiQ := ev["multiValueQueryStringParameters"].(map[string]any)
	version := str(ev, "version")
	switch {
	case elb && (multiH || multiQ):
		return adapter.FormatALBMultiValue
	case elb:
		return adapter.FormatALB
	case version == "2.0" && hasHTTP && strings.Contains(str(rc, "domainName"), ".lambda-url."):
		return adapter.FormatFunctionURL
	case version == "2.0" && hasHTTP:
		return adapter.FormatHTTPAPIV2
	case version == "2.0":
		return adapter.FormatVPCLatticeV2
	case str(ev, "httpMethod") != "" && version == "1.0":
		return adapter.FormatHTTPAPIV1
	case str(ev, "httpMethod") != "":
		return adapter.FormatRESTAPI
	}
	return adapter.FormatUnknown
}

// invokeReads are the members of an event, by path, that shape the
// request Invoke builds, but for those that only decide its format
// (version, requestContext.elb, ...), which FuzzTypedEntryPoints checks
// apart, and those that name the caller, which FuzzPrincipal checks.
var invokeReads = map[string]bool{
	"httpMethod": true, "method": true, "path": true, "rawPath": true, "rawQueryString": true,
	"headers": true, "multiValueHeaders": true, "queryStringParameters": true,
	"multiValueQueryStringParameters": true, "cookies": true, "body": true, "isBase64Encoded": true,
	"requestContext": true, "requestContext.stage": true, "requestContext.requestId": true,
	"requestContext.domainName": true, "requestContext.protocol": true, "requestContext.path": true,
	"requestContext.identity": true, "requestContext.identity.sourceIp": true, "requestContext.http": true,
	"requestContext.http.method": true, "requestContext.http.path": true, "requestContext.http.protocol": true,
	"requestContext.http.sourceIp": true,
}

// typedDomain says why the aws-lambda-go event type typ, decoded from
// payload, cannot carry the request as Invoke reads payload as an event
// of format f, or "" if it can. AWS's events have none of these traits.
//
//   - A member appears twice in an object: encoding/json keeps the last,
//     where Invoke reads every header and parameter.
//   - A member spelt otherwise than the type's field, which encoding/json
//     matches regardless of case and Invoke does not.
//   - A member Invoke reads (see invokeReads) that the type lacks, such as
//     requestContext.path in an HTTP API 2.0 event.
//   - A null in a map or list of strings: encoding/json makes it "", where
//     Invoke leaves it out.
//   - An HTTP API 2.0 or function URL event without rawQueryString but
//     with queryStringParameters: Invoke builds the query from them; the
//     type cannot tell a missing raw query string from an empty one.
func typedDomain(payload []byte, typ reflect.Type, f adapter.Format) string {
	if dup, ok := duplicateMember(payload); ok {
		return fmt.Sprintf("member %q appears twice", dup)
	}
	var ev map[string]any
	if err := json.Unmarshal(payload, &ev); err != nil {
		return "not an object"
	}
	if why := typedCarriesMembers(typ, ev, ""); why != "" {
		return why
	}
	if f == adapter.FormatHTTPAPIV2 || f == adapter.FormatFunctionURL {
		if _, ok := ev["rawQueryString"]; !ok {
			if q, _ := ev["queryStringParameters"].(map[string]any); len(q) > 0 {
				return "queryStringParameters without rawQueryString"
			}
		}
	}
	return ""
}

// typedCarriesMembers walks v, a JSON value decoded into typ's field at
// path, for typedDomain.
func typedCarriesMembers(typ reflect.Type, v any, path string) string {
	for typ.Kind() == reflect.Pointer {
		typ = typ.Elem()
	}
	switch typ.Kind() {
	case reflect.Struct:
		obj, _ := v.(map[string]any)
		fields := jsonFields(typ)
		for k, member := range obj {
			p := k
			if path != "" {
				p = path + "." + k
			}
			if ft, ok := fields[k]; ok {
				if why := typedCarriesMembers(ft, member, p); why != "" {
					return why
				}
				continue
			}
			for name := range fields {
				if strings.EqualFold(name, k) {
					return fmt.Sprintf("member %s, which %v reads as %q", p, typ, name)
				}
			}
			if invokeReads[p] {
				return fmt.Sprintf("member %s, which Invoke reads, has no field in %v", p, typ)
			}
		}
	case reflect.Map:
		obj, _ := v.(map[string]any)
		for k, member := range obj {
			if why := typedCarriesMembers(typ.Elem(), member, path+"."+k); why != "" {
				return why
			}
			if member == nil && typ.Elem().Kind() == reflect.String {
				return fmt.Sprintf("null member %s.%s", path, k)
			}
		}
	case reflect.Slice:
		list, _ := v.([]any)
		for _, e := range list {
			if e == nil && typ.Elem().Kind() == reflect.String {
				return fmt.Sprintf("null in %s", path)
			}
		}
	}
	return ""
}

// jsonFields are the fields of the struct type typ by the member names
// encoding/json gives them.
func jsonFields(typ reflect.Type) map[string]reflect.Type {
	fields := map[string]reflect.Type{}
	for i := range typ.NumField() {
		sf := typ.Field(i)
		if !sf.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
		switch name {
		case "-":
			continue
		case "":
			name = sf.Name
		}
		fields[name] = sf.Type
	}
	return fields
}

// duplicateMember returns a member name that appears twice in one object
// of the JSON text b, if any.
func duplicateMember(b []byte) (string, bool) {
	type frame struct {
		keys      map[string]bool // nil for an array
		expectKey bool
	}
	var stack []*frame
	dec := json.NewDecoder(bytes.NewReader(b))
	for {
		tok, err := dec.Token()
		if err != nil {
			return "", false
		}
		var top *frame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		switch tok := tok.(type) {
		case json.Delim:
			switch tok {
			case '{', '[':
				if top != nil && top.keys != nil {
					top.expectKey = true // once this value ends
				}
				fr := &frame{}
				if tok == '{' {
					fr.keys, fr.expectKey = map[string]bool{}, true
				}
				stack = append(stack, fr)
			default:
				stack = stack[:len(stack)-1]
			}
		case string:
			if top != nil && top.keys != nil && top.expectKey {
				if top.keys[tok] {
					return tok, true
				}
				top.keys[tok], top.expectKey = true, false
				continue
			}
			if top != nil && top.keys != nil {
				top.expectKey = true
			}
		default:
			if top != nil && top.keys != nil {
				top.expectKey = true
			}
		}
	}
}
