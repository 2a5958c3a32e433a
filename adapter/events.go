package adapter

import (
	"context"
	"slices"
	"strings"

	"github.com/aws/aws-lambda-go/events"
)

// The Serve methods take and return aws-lambda-go's event types, for code
// that already holds a decoded event (a router of several event sources,
// tests). [Handler.Invoke] is faster when the payload is still JSON.

// serveTyped serves the typed event e of format f: fill copies it into a
// pooled event, and respond turns the handler's response into the
// event source's response type. e is taken by value, so that a caller's
// event whose address is not taken stays on the caller's stack when the
// Serve method is inlined.
func serveTyped[E, R any](ctx context.Context, h *Handler, f Format, e E, fill func(*event, *E), respond func(*response) R) (R, error) {
	ev := getEvent()
	defer putEvent(ev)
	c := newTypedCtx(f, &e)
	fill(ev, &c.typed)
	var out R
	err := h.serve(ctx, ev, &c.requestCtx, func(r *response) error {
		out = respond(r)
		return nil
	})
	return out, err
}

// ServeAPIGatewayProxy serves an API Gateway REST API event, or an HTTP API
// event of payload format 1.0. The typed event does not carry the payload
// version, so the stage is never stripped from its path here; Invoke, which
// sees the version, strips it for HTTP APIs.
func (h *Handler) ServeAPIGatewayProxy(ctx context.Context, e events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
	return serveTyped(ctx, h, FormatRESTAPI, e, proxyEvent, proxyResponse)
}

// proxyResponse is r as a REST API response.
func proxyResponse(r *response) events.APIGatewayProxyResponse {
	return events.APIGatewayProxyResponse{
		StatusCode:        r.status,
		MultiValueHeaders: map[string][]string(r.header),
		Body:              r.bodyString(),
		IsBase64Encoded:   r.binary,
	}
}

// proxyEvent fills ev from a REST API event, with the caller's identity
// when no authorizer ran.
func proxyEvent(ev *event, e *events.APIGatewayProxyRequest) {
	proxyRequest(ev, e)
	if len(e.RequestContext.Authorizer) > 0 {
		return // the caller is the authorizer's: principal does not read identity
	}
	id := &e.RequestContext.Identity
	ev.identity = ev.ibuf[:0]
	for _, f := range [...]field{
		{"cognitoIdentityId", id.CognitoIdentityID}, {"cognitoIdentityPoolId", id.CognitoIdentityPoolID},
		{"accountId", id.AccountID}, {"caller", id.Caller}, {"accessKey", id.AccessKey},
		{"user", id.User}, {"userArn", id.UserArn},
		// The rest of the string members, which Invoke keeps as well.
		{"apiKey", id.APIKey}, {"apiKeyId", id.APIKeyID},
		{"cognitoAuthenticationType", id.CognitoAuthenticationType},
		{"cognitoAuthenticationProvider", id.CognitoAuthenticationProvider},
		{"userAgent", id.UserAgent},
	} {
		if f.v != "" {
			ev.identity = append(ev.identity, f)
		}
	}
	ev.ibuf = ev.identity // kept for the next event, and cleared
}

// proxyRequest fills ev from a REST API event, but for the caller's
// identity: the request, and the authorizer's output when one ran.
func proxyRequest(ev *event, e *events.APIGatewayProxyRequest) {
	ev.format = FormatRESTAPI
	ev.method = e.HTTPMethod
	ev.path = e.Path
	ev.body = e.Body
	ev.base64 = e.IsBase64Encoded
	ev.sourceIP = e.RequestContext.Identity.SourceIP
	ev.protocol = e.RequestContext.Protocol
	ev.domain = e.RequestContext.DomainName
	ev.stage = e.RequestContext.Stage
	ev.requestID = e.RequestContext.RequestID
	ev.headerMaps(e.Headers, e.MultiValueHeaders)
	ev.setQuery(e.QueryStringParameters, e.MultiValueQueryStringParameters)
	if len(e.RequestContext.Authorizer) > 0 {
		ev.authorizer = e.RequestContext.Authorizer
	}
}

// ServeAPIGatewayV2HTTP serves an API Gateway HTTP API event of payload
// format 2.0.
func (h *Handler) ServeAPIGatewayV2HTTP(ctx context.Context, e events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	return serveTyped(ctx, h, FormatHTTPAPIV2, e, v2Event, v2Response)
}

// v2Response is r as an HTTP API payload 2.0 response.
func v2Response(r *response) events.APIGatewayV2HTTPResponse {
	out := events.APIGatewayV2HTTPResponse{StatusCode: r.status, Body: r.bodyString(), IsBase64Encoded: r.binary}
	out.Headers, out.Cookies = singleValue(r.header, true)
	return out
}

// v2Event fills ev from an HTTP API payload 2.0 event.
func v2Event(ev *event, e *events.APIGatewayV2HTTPRequest) {
	ev.format = FormatHTTPAPIV2
	ev.method = e.RequestContext.HTTP.Method
	ev.path = e.RawPath
	ev.rawQuery = e.RawQueryString
	ev.useRaw = true
	ev.cookies = e.Cookies
	ev.body = e.Body
	ev.base64 = e.IsBase64Encoded
	ev.sourceIP = e.RequestContext.HTTP.SourceIP
	ev.protocol = e.RequestContext.HTTP.Protocol
	ev.domain = e.RequestContext.DomainName
	ev.stage = e.RequestContext.Stage
	ev.requestID = e.RequestContext.RequestID
	if ev.path == "" {
		ev.path = e.RequestContext.HTTP.Path
	}
	ev.headerMaps(e.Headers, nil)
	// Turned into the map principalOf reads only if the handler asks for
	// the caller (see v2Authorizer).
	if a := e.RequestContext.Authorizer; a != nil && (a.JWT != nil || a.Lambda != nil || a.IAM != nil) {
		ev.authzV2 = a
	}
}

// v2Authorizer is an HTTP API authorizer's output as the payload carries
// it in requestContext.authorizer, as principalOf reads it.
func v2Authorizer(a *events.APIGatewayV2HTTPRequestContextAuthorizerDescription) map[string]any {
	m := map[string]any{}
	if a.JWT != nil {
		claims := make(map[string]any, len(a.JWT.Claims))
		for k, v := range a.JWT.Claims {
			claims[k] = v
		}
		jwt := map[string]any{"claims": claims}
		if a.JWT.Scopes != nil {
			jwt["scopes"] = stringsToAny(a.JWT.Scopes)
		}
		m["jwt"] = jwt
	}
	if a.Lambda != nil {
		m["lambda"] = a.Lambda
	}
	if a.IAM != nil {
		// API Gateway sends null for the optional members an IAM
		// caller lacks; the typed event has zero values for them.
		iam := map[string]any{
			"accessKey": a.IAM.AccessKey, "accountId": a.IAM.AccountID, "callerId": a.IAM.CallerID,
			"principalOrgId": nil, "userArn": a.IAM.UserARN, "userId": a.IAM.UserID,
			"cognitoIdentity": nil,
		}
		if a.IAM.PrincipalOrgID != "" {
			iam["principalOrgId"] = a.IAM.PrincipalOrgID
		}
		if ci := a.IAM.CognitoIdentity; ci.IdentityID != "" || ci.IdentityPoolID != "" || len(ci.AMR) > 0 {
			iam["cognitoIdentity"] = map[string]any{
				"amr":            stringsToAny(ci.AMR),
				"identityId":     ci.IdentityID,
				"identityPoolId": ci.IdentityPoolID,
			}
		}
		m["iam"] = iam
	}
	return m
}

// ServeALB serves an Application Load Balancer target event, answering in
// the header mode of the request.
func (h *Handler) ServeALB(ctx context.Context, e events.ALBTargetGroupRequest) (events.ALBTargetGroupResponse, error) {
	format := albFormat(&e)
	return serveTyped(ctx, h, format, e, albEvent, func(r *response) events.ALBTargetGroupResponse {
		return albResponse(r, format)
	})
}

// albFormat is the header mode of an ALB target event: multi-value when
// it carries multi-value headers or query parameters.
func albFormat(e *events.ALBTargetGroupRequest) Format {
	if e.MultiValueHeaders != nil || e.MultiValueQueryStringParameters != nil {
		return FormatALBMultiValue
	}
	return FormatALB
}

// albEvent fills ev from an ALB target event.
func albEvent(ev *event, e *events.ALBTargetGroupRequest) {
	ev.format = albFormat(e)
	ev.method = e.HTTPMethod
	ev.path = e.Path
	ev.body = e.Body
	ev.base64 = e.IsBase64Encoded
	ev.queryRaw = true
	ev.setHeaders(e.Headers, e.MultiValueHeaders)
	ev.setQuery(e.QueryStringParameters, e.MultiValueQueryStringParameters)
	ev.sourceIP = forwardedFor(ev.headers)
}

// albResponse is r as an ALB target response in the header mode of
// format.
func albResponse(r *response, format Format) events.ALBTargetGroupResponse {
	out := events.ALBTargetGroupResponse{
		StatusCode:        r.status,
		StatusDescription: statusDescription(r.status),
		Body:              r.bodyString(),
		IsBase64Encoded:   r.binary,
	}
	if format == FormatALBMultiValue {
		out.MultiValueHeaders = map[string][]string(r.header)
	} else {
		out.Headers, _ = singleValue(r.header, false)
	}
	return out
}

// ServeFunctionURL serves a Lambda function URL event (invoke mode
// BUFFERED; see [Handler.StreamFunctionURL] for RESPONSE_STREAM).
func (h *Handler) ServeFunctionURL(ctx context.Context, e events.LambdaFunctionURLRequest) (events.LambdaFunctionURLResponse, error) {
	return serveTyped(ctx, h, FormatFunctionURL, e, functionURLEvent, functionURLResponse)
}

// functionURLResponse is r as a buffered function URL response.
func functionURLResponse(r *response) events.LambdaFunctionURLResponse {
	out := events.LambdaFunctionURLResponse{StatusCode: r.status, Body: r.bodyString(), IsBase64Encoded: r.binary}
	out.Headers, out.Cookies = singleValue(r.header, true)
	return out
}

// functionURLEvent fills ev from a function URL event.
func functionURLEvent(ev *event, e *events.LambdaFunctionURLRequest) {
	ev.format = FormatFunctionURL
	ev.method = e.RequestContext.HTTP.Method
	ev.path = e.RawPath
	ev.rawQuery = e.RawQueryString
	ev.useRaw = true
	ev.cookies = e.Cookies
	ev.body = e.Body
	ev.base64 = e.IsBase64Encoded
	ev.sourceIP = e.RequestContext.HTTP.SourceIP
	ev.protocol = e.RequestContext.HTTP.Protocol
	ev.domain = e.RequestContext.DomainName
	ev.requestID = e.RequestContext.RequestID
	if ev.path == "" {
		ev.path = e.RequestContext.HTTP.Path
	}
	ev.headerMaps(e.Headers, nil)
	if a := e.RequestContext.Authorizer; a != nil && a.IAM != nil {
		ev.authorizer = map[string]any{"iam": map[string]any{
			"accessKey": a.IAM.AccessKey, "accountId": a.IAM.AccountID, "callerId": a.IAM.CallerID,
			"userArn": a.IAM.UserARN, "userId": a.IAM.UserID,
		}}
	}
}

// headerMaps makes single and multi the event's headers: the members of
// multi when it is set, else those of single. newRequest reads them
// without listing them in ev.headers first.
func (ev *event) headerMaps(single map[string]string, multi map[string][]string) {
	ev.hsingle, ev.hmulti = single, multi
	if multi == nil && single == nil {
		ev.headers = nil
	}
}

// setHeaders sets ev.headers to the members of a single-value and a
// multi-value header map, preferring the multi-value one when present,
// sorted by name, each name's values in their order. Sorted, because Go
// maps are not: when two names differ only in case, which Host wins and
// the order of the values merged under one name must not change from one
// invocation to the next.
func (ev *event) setHeaders(single map[string]string, multi map[string][]string) {
	ev.headers = appendFields(ev.hbuf[:0], single, multi)
	sortFields(ev.headers)
	ev.hbuf = ev.headers // kept for the next event, and cleared
}

// setQuery sets ev.query as setHeaders does ev.headers, so that the query
// string the handler sees does not change from one invocation to the
// next.
func (ev *event) setQuery(single map[string]string, multi map[string][]string) {
	ev.query = appendFields(ev.qbuf[:0], single, multi)
	sortFields(ev.query)
	ev.qbuf = ev.query
}

// appendFields appends the members of a single-value and a multi-value
// map, preferring the multi-value one when present, in map order: each
// name's values are together and in order.
func appendFields(dst []field, single map[string]string, multi map[string][]string) []field {
	if multi != nil {
		for k, vs := range multi {
			for _, v := range vs {
				dst = append(dst, field{k, v})
			}
		}
		return dst
	}
	for k, v := range single {
		dst = append(dst, field{k, v})
	}
	return dst
}

// sortFields sorts fields by name, keeping the order of each name's
// values.
func sortFields(fs []field) {
	if len(fs) < 2 {
		return
	}
	slices.SortStableFunc(fs, func(a, b field) int { return strings.Compare(a.k, b.k) })
}

func stringsToAny(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}
