package adapter

import (
	"context"
	"slices"

	"github.com/aws/aws-lambda-go/events"
)

// The Serve methods take and return aws-lambda-go's event types, for code
// that already holds a decoded event (a router of several event sources,
// tests). [Handler.Invoke] is faster when the payload is still JSON.

// ServeAPIGatewayProxy serves an API Gateway REST API event, or an HTTP API
// event of payload format 1.0. The typed event does not carry the payload
// version, so the stage is never stripped from its path here; Invoke, which
// sees the version, strips it for HTTP APIs.
func (h *Handler) ServeAPIGatewayProxy(ctx context.Context, e events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
	ev := &event{
		format:    FormatRESTAPI,
		method:    e.HTTPMethod,
		path:      e.Path,
		body:      e.Body,
		base64:    e.IsBase64Encoded,
		sourceIP:  e.RequestContext.Identity.SourceIP,
		protocol:  e.RequestContext.Protocol,
		domain:    e.RequestContext.DomainName,
		stage:     e.RequestContext.Stage,
		requestID: e.RequestContext.RequestID,
	}
	ev.headers = appendFields(ev.hbuf[:0], e.Headers, e.MultiValueHeaders)
	ev.query = appendFields(nil, e.QueryStringParameters, e.MultiValueQueryStringParameters)
	if len(e.RequestContext.Authorizer) > 0 {
		ev.authorizer = e.RequestContext.Authorizer
	}
	id := e.RequestContext.Identity
	ids := [...]field{
		{"cognitoIdentityId", id.CognitoIdentityID}, {"cognitoIdentityPoolId", id.CognitoIdentityPoolID},
		{"accountId", id.AccountID}, {"caller", id.Caller}, {"accessKey", id.AccessKey},
		{"user", id.User}, {"userArn", id.UserArn},
		// The rest of the string members, which Invoke keeps as well.
		{"apiKey", id.APIKey}, {"apiKeyId", id.APIKeyID},
		{"cognitoAuthenticationType", id.CognitoAuthenticationType},
		{"cognitoAuthenticationProvider", id.CognitoAuthenticationProvider},
		{"userAgent", id.UserAgent},
	}
	for _, f := range ids {
		if f.v != "" {
			if ev.identity == nil {
				ev.identity = make([]field, 0, len(ids)) // one allocation, not one per doubling
			}
			ev.identity = append(ev.identity, f)
		}
	}
	ev.source = &Event{Format: ev.format, typed: &e}
	var out events.APIGatewayProxyResponse
	err := h.serve(ctx, ev, func(r *response) error {
		out = events.APIGatewayProxyResponse{
			StatusCode:        r.status,
			MultiValueHeaders: map[string][]string(r.header),
			Body:              r.bodyString(),
			IsBase64Encoded:   r.binary,
		}
		return nil
	})
	return out, err
}

// ServeAPIGatewayV2HTTP serves an API Gateway HTTP API event of payload
// format 2.0.
func (h *Handler) ServeAPIGatewayV2HTTP(ctx context.Context, e events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	ev := &event{
		format:    FormatHTTPAPIV2,
		method:    e.RequestContext.HTTP.Method,
		path:      e.RawPath,
		rawQuery:  e.RawQueryString,
		useRaw:    true,
		cookies:   e.Cookies,
		body:      e.Body,
		base64:    e.IsBase64Encoded,
		sourceIP:  e.RequestContext.HTTP.SourceIP,
		protocol:  e.RequestContext.HTTP.Protocol,
		domain:    e.RequestContext.DomainName,
		stage:     e.RequestContext.Stage,
		requestID: e.RequestContext.RequestID,
	}
	if ev.path == "" {
		ev.path = e.RequestContext.HTTP.Path
	}
	ev.headers = appendFields(ev.hbuf[:0], e.Headers, nil)
	if a := e.RequestContext.Authorizer; a != nil {
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
		if len(m) > 0 {
			ev.authorizer = m
		}
	}
	ev.source = &Event{Format: ev.format, typed: &e}
	var out events.APIGatewayV2HTTPResponse
	err := h.serve(ctx, ev, func(r *response) error {
		out.StatusCode = r.status
		out.Headers, out.Cookies = singleValue(r.header, true)
		out.Body = r.bodyString()
		out.IsBase64Encoded = r.binary
		return nil
	})
	return out, err
}

// ServeALB serves an Application Load Balancer target event, answering in
// the header mode of the request.
func (h *Handler) ServeALB(ctx context.Context, e events.ALBTargetGroupRequest) (events.ALBTargetGroupResponse, error) {
	ev := &event{
		format:   FormatALB,
		method:   e.HTTPMethod,
		path:     e.Path,
		body:     e.Body,
		base64:   e.IsBase64Encoded,
		queryRaw: true,
	}
	if e.MultiValueHeaders != nil || e.MultiValueQueryStringParameters != nil {
		ev.format = FormatALBMultiValue
	}
	ev.headers = appendFields(ev.hbuf[:0], e.Headers, e.MultiValueHeaders)
	ev.query = appendFields(nil, e.QueryStringParameters, e.MultiValueQueryStringParameters)
	ev.sourceIP = forwardedFor(ev.headers)
	ev.source = &Event{Format: ev.format, typed: &e}
	var out events.ALBTargetGroupResponse
	err := h.serve(ctx, ev, func(r *response) error {
		out.StatusCode = r.status
		out.StatusDescription = statusDescription(r.status)
		if ev.format == FormatALBMultiValue {
			out.MultiValueHeaders = map[string][]string(r.header.Clone())
		} else {
			out.Headers, _ = singleValue(r.header, false)
		}
		out.Body = r.bodyString()
		out.IsBase64Encoded = r.binary
		return nil
	})
	return out, err
}

// ServeFunctionURL serves a Lambda function URL event (invoke mode
// BUFFERED; see [Handler.StreamFunctionURL] for RESPONSE_STREAM).
func (h *Handler) ServeFunctionURL(ctx context.Context, e events.LambdaFunctionURLRequest) (events.LambdaFunctionURLResponse, error) {
	ev := functionURLEvent(&e)
	var out events.LambdaFunctionURLResponse
	err := h.serve(ctx, ev, func(r *response) error {
		out.StatusCode = r.status
		out.Headers, out.Cookies = singleValue(r.header, true)
		out.Body = r.bodyString()
		out.IsBase64Encoded = r.binary
		return nil
	})
	return out, err
}

func functionURLEvent(e *events.LambdaFunctionURLRequest) *event {
	ev := &event{
		format:    FormatFunctionURL,
		method:    e.RequestContext.HTTP.Method,
		path:      e.RawPath,
		rawQuery:  e.RawQueryString,
		useRaw:    true,
		cookies:   e.Cookies,
		body:      e.Body,
		base64:    e.IsBase64Encoded,
		sourceIP:  e.RequestContext.HTTP.SourceIP,
		protocol:  e.RequestContext.HTTP.Protocol,
		domain:    e.RequestContext.DomainName,
		requestID: e.RequestContext.RequestID,
	}
	if ev.path == "" {
		ev.path = e.RequestContext.HTTP.Path
	}
	ev.headers = appendFields(ev.hbuf[:0], e.Headers, nil)
	if a := e.RequestContext.Authorizer; a != nil && a.IAM != nil {
		ev.authorizer = map[string]any{"iam": map[string]any{
			"accessKey": a.IAM.AccessKey, "accountId": a.IAM.AccountID, "callerId": a.IAM.CallerID,
			"userArn": a.IAM.UserARN, "userId": a.IAM.UserID,
		}}
	}
	ev.source = &Event{Format: ev.format, typed: e}
	return ev
}

// appendFields appends the members of a single-value and a multi-value
// map, preferring the multi-value one when present, in key order.
func appendFields(dst []field, single map[string]string, multi map[string][]string) []field {
	if multi != nil {
		keys := make([]string, 0, len(multi))
		for k := range multi {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			for _, v := range multi[k] {
				dst = append(dst, field{k, v})
			}
		}
		return dst
	}
	keys := make([]string, 0, len(single))
	for k := range single {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		dst = append(dst, field{k, single[k]})
	}
	return dst
}

func stringsToAny(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}
