package adapter

import (
	"strings"
	"sync"

	"github.com/aws/aws-lambda-go/events"

	"github.com/faasport/faasport/faas"
	"github.com/faasport/faasport/internal/jsonx"
)

// field is one header or query parameter, in the order the event gave it.
type field struct{ k, v string }

// event is the adapter's view of an HTTP event of any format: what the
// request builder needs, read in one pass over the payload.
//
// An event is pooled (getEvent, putEvent): nothing may keep a pointer to
// it, or to its field slices, once its invocation has returned.
type event struct {
	format Format

	method    string
	path      string // as the event carries it (see requestPath)
	rawQuery  string // when the event carries the query string as sent
	useRaw    bool   // rawQuery is authoritative
	query     []field
	queryRaw  bool // query values are percent-encoded as sent (ALB)
	headers   []field
	cookies   []string
	body      string
	base64    bool
	sourceIP  string
	protocol  string
	domain    string
	stage     string
	requestID string

	// requestContext.authorizer, in one of three forms, or none: the
	// payload's JSON (a non-empty object, checked), a decoded map, or
	// aws-lambda-go's HTTP API description. See requestCtx.authorizer.
	authzJSON  string
	authorizer map[string]any
	authzV2    *events.APIGatewayV2HTTPRequestContextAuthorizerDescription
	identity   []field // requestContext.identity members (REST caller, Lattice principal)

	// The header maps of an aws-lambda-go event, which newRequest reads
	// instead of headers when either is set (see headerMaps).
	hsingle map[string]string
	hmulti  map[string][]string

	// Buffers kept from one pooled use to the next, for headers,
	// multi-value headers, query parameters (both kinds) and identity
	// members: their length is what the event used, which putEvent
	// clears; take them with [:0].
	hbuf, mbuf, qbuf, q2buf, ibuf []field
}

var eventPool = sync.Pool{New: func() any {
	return &event{hbuf: make([]field, 0, 24), ibuf: make([]field, 0, 16)}
}}

// getEvent returns an empty event from the pool.
func getEvent() *event { return eventPool.Get().(*event) }

// putEvent empties ev, keeping its buffers, and returns it to the pool.
func putEvent(ev *event) {
	bufs := [...][]field{ev.hbuf, ev.mbuf, ev.qbuf, ev.q2buf, ev.ibuf}
	for i, b := range bufs {
		if cap(b) > 256 {
			bufs[i] = nil // an outsized event: let it go
			continue
		}
		clear(b) // drop the event's strings
		bufs[i] = b[:0:cap(b)]
	}
	*ev = event{hbuf: bufs[0], mbuf: bufs[1], qbuf: bufs[2], q2buf: bufs[3], ibuf: bufs[4]}
	eventPool.Put(ev)
}

// decodeEvent reads an HTTP event of any supported format from payload,
// detecting the format as it goes.
func decodeEvent(payload string, ev *event) error {
	if strings.TrimSpace(payload) == "" {
		return faas.Errorf(faas.Invalid, "adapter: empty payload: expected an HTTP event (API Gateway, ALB, function URL or VPC Lattice)")
	}
	var (
		r                     = jsonx.NewReader(payload)
		version, httpMethod   string
		rawPath, ctxPath      string
		single, multi         []field
		qSingle, qMulti       []field
		sawMultiH, sawMultiQ  bool
		sawHTTP, sawELB, sawL bool
		sawRawQuery           bool
		notRequest            string // what the payload is instead, if known
	)
	single, multi = ev.hbuf[:0], ev.mbuf[:0]
	qSingle, qMulti = ev.qbuf[:0], ev.q2buf[:0]
	ev.identity = ev.ibuf[:0]
	// Keep whatever the buffers grew to for the next event.
	defer func() {
		ev.hbuf, ev.mbuf, ev.qbuf, ev.q2buf, ev.ibuf = single, multi, qSingle, qMulti, ev.identity
	}()
	if !r.Object() {
		if r.Err() == nil {
			r.Fail(&jsonx.SyntaxError{Msg: "expected an object"})
		}
		return invalidPayload(r.Err())
	}
	for k, ok := r.Next(); ok; k, ok = r.Next() {
		switch k {
		case "version":
			version = nullableString(r)
		case "type", "methodArn", "routeArn":
			// An API Gateway Lambda authorizer's event (REST TOKEN or
			// REQUEST, HTTP API REQUEST) carries the request it is asked
			// about in the shape of a request event, but is none.
			if authorizerMember(r, k) {
				notRequest = "an API Gateway Lambda authorizer event, not a request"
			}
		case "httpMethod":
			httpMethod = nullableString(r)
		case "method":
			ev.method = nullableString(r)
		case "path":
			ev.path = nullableString(r)
		case "rawPath":
			rawPath = nullableString(r)
		case "rawQueryString":
			ev.rawQuery = nullableString(r)
			sawRawQuery = true
		case "headers":
			r.StringOrArrayMap(func(k, v string) { single = append(single, field{k, v}) })
		case "multiValueHeaders":
			sawMultiH = sawMultiH || r.Kind() == '{'
			if cap(multi) == 0 {
				// API Gateway sends every header in both maps, usually
				// headers first: size for as many, not by doubling.
				multi = make([]field, 0, max(len(single), 8))
			}
			r.StringOrArrayMap(func(k, v string) { multi = append(multi, field{k, v}) })
		case "queryStringParameters":
			r.StringOrArrayMap(func(k, v string) { qSingle = append(qSingle, field{k, v}) })
		case "multiValueQueryStringParameters":
			sawMultiQ = sawMultiQ || r.Kind() == '{'
			r.StringOrArrayMap(func(k, v string) { qMulti = append(qMulti, field{k, v}) })
		case "cookies":
			if r.Array() {
				for r.More() {
					ev.cookies = append(ev.cookies, r.String())
				}
			}
		case "body":
			ev.body = nullableString(r)
		case "isBase64Encoded":
			if !r.Null() {
				ev.base64 = r.Bool()
			}
		case "requestContext":
			if !r.Object() {
				continue
			}
			for k, ok := r.Next(); ok; k, ok = r.Next() {
				switch k {
				case "stage":
					ev.stage = nullableString(r)
				case "requestId":
					ev.requestID = nullableString(r)
				case "domainName":
					ev.domain = nullableString(r)
				case "protocol":
					ev.protocol = nullableString(r)
				case "path":
					ctxPath = nullableString(r)
				case "identity":
					if !r.Object() {
						continue
					}
					for k, ok := r.Next(); ok; k, ok = r.Next() {
						if r.Kind() != '"' {
							r.Skip()
							continue
						}
						v := r.String()
						if k == "sourceIp" {
							ev.sourceIP = v
						} else if v != "" {
							ev.identity = append(ev.identity, field{k, v})
						}
					}
				case "http":
					sawHTTP = r.Kind() == '{'
					if !r.Object() {
						continue
					}
					for k, ok := r.Next(); ok; k, ok = r.Next() {
						switch k {
						case "method":
							ev.method = nullableString(r)
						case "path":
							ctxPath = nullableString(r)
						case "protocol":
							ev.protocol = nullableString(r)
						case "sourceIp":
							ev.sourceIP = nullableString(r)
						default:
							r.Skip()
						}
					}
				case "elb":
					sawELB = true
					r.Skip()
				case "serviceNetworkArn", "serviceArn", "targetGroupArn":
					sawL = true
					r.Skip()
				case "connectionId", "eventType":
					// A WebSocket API's message or connection event,
					// which may carry httpMethod and headers too.
					if !r.Null() {
						notRequest = "an API Gateway WebSocket event, not an HTTP request"
						r.Skip()
					}
				case "authorizer":
					// Decoded only if the handler asks for the caller.
					if raw := r.Raw(); nonEmptyObject(raw) {
						ev.authzJSON = raw
					}
				default:
					r.Skip()
				}
			}
		default:
			r.Skip()
		}
	}
	r.End()
	if err := r.Err(); err != nil {
		return invalidPayload(err)
	}

	switch {
	case notRequest != "":
		return faas.Errorf(faas.Invalid, "adapter: payload is not an HTTP event: it is %s", notRequest)
	case sawELB:
		ev.format = FormatALB
		if sawMultiH || sawMultiQ {
			ev.format = FormatALBMultiValue
		}
		ev.method = httpMethod
		ev.queryRaw = true
	case version == "2.0" && sawHTTP:
		ev.format = FormatHTTPAPIV2
		if strings.Contains(ev.domain, ".lambda-url.") {
			ev.format = FormatFunctionURL
		}
		ev.path = rawPath
		if ev.path == "" {
			ev.path = ctxPath
		}
		ev.useRaw = sawRawQuery
	case version == "2.0" && (sawL || ev.method != ""):
		ev.format = FormatVPCLatticeV2
	case httpMethod != "":
		ev.format = FormatRESTAPI
		if version == "1.0" {
			ev.format = FormatHTTPAPIV1
		}
		ev.method = httpMethod
	default:
		return faas.Errorf(faas.Invalid, "adapter: payload is not an HTTP event: expected an API Gateway, ALB, function URL or VPC Lattice event")
	}
	if sawMultiH {
		ev.headers = multi
	} else {
		ev.headers = single
	}
	if sawMultiQ {
		ev.query = qMulti
	} else {
		ev.query = qSingle
	}
	if ev.format == FormatALB || ev.format == FormatALBMultiValue || ev.format == FormatVPCLatticeV2 {
		ev.sourceIP = forwardedFor(ev.headers)
	}
	return nil
}

// authorizerMember reads the member k of an event's top level, one of
// "type", "methodArn" and "routeArn", and reports whether it marks a
// Lambda authorizer's event: an ARN (of the method or route authorized),
// or a type of "TOKEN" or "REQUEST".
func authorizerMember(r *jsonx.Reader, k string) bool {
	if r.Kind() != '"' {
		r.Skip()
		return false
	}
	v := r.String()
	if k == "type" {
		return v == "TOKEN" || v == "REQUEST"
	}
	return v != ""
}

// nonEmptyObject reports whether raw, a JSON value, is an object with a
// member.
func nonEmptyObject(raw string) bool {
	if raw == "" || raw[0] != '{' {
		return false
	}
	return strings.TrimLeft(raw[1:], " \t\r\n")[0] != '}'
}

func nullableString(r *jsonx.Reader) string {
	if r.Null() {
		return ""
	}
	return r.String()
}

func invalidPayload(err error) error {
	return &faas.Error{Kind: faas.Invalid, Message: "adapter: payload is not a valid JSON event", Err: err}
}

// forwardedFor returns the client address a load balancer appended to
// X-Forwarded-For: the last element.
func forwardedFor(h []field) string {
	for i := len(h) - 1; i >= 0; i-- {
		if strings.EqualFold(h[i].k, "X-Forwarded-For") {
			v := h[i].v
			if j := strings.LastIndexByte(v, ','); j >= 0 {
				v = v[j+1:]
			}
			return strings.TrimSpace(v)
		}
	}
	return ""
}
