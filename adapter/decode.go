package adapter

import (
	"strings"

	"github.com/faasport/faasport/faas"
	"github.com/faasport/faasport/internal/jsonx"
)

// field is one header or query parameter, in the order the event gave it.
type field struct{ k, v string }

// event is the adapter's view of an HTTP event of any format: what the
// request builder needs, read in one pass over the payload.
type event struct {
	format Format
	source *Event // what EventFromContext returns

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

	authorizer map[string]any // requestContext.authorizer, nil if none
	identity   []field        // requestContext.identity members (REST caller, Lattice principal)

	hbuf [24]field // backing store for headers
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
	)
	single = ev.hbuf[:0]
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
			if multi == nil {
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
					if ev.identity == nil {
						// A REST API identity has a dozen members.
						ev.identity = make([]field, 0, 16)
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
				case "authorizer":
					if m, ok := r.Value().(map[string]any); ok && len(m) > 0 {
						ev.authorizer = m
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
