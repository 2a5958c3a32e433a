// Package adapter runs net/http handlers as AWS Lambda functions, and
// turns HTTP requests into Lambda events and back, for gateways.
//
// [Wrap] takes any http.Handler — a gorilla/mux router of a monolith, say —
// and returns a [Handler], a faas.Function and an aws-lambda-go
// lambda.Handler. It accepts the events of every HTTP source of Lambda:
// API Gateway REST APIs, HTTP APIs (payload formats 1.0 and 2.0),
// Application Load Balancers (single- and multi-value headers), function
// URLs and VPC Lattice, detecting the format from the payload, and answers
// each in the shape its source expects. [Start] runs a handler on AWS
// Lambda in one call.
//
// # Fidelity
//
// The handler sees the request a net/http server would have given it:
// header values are never split on commas; repeated headers and query
// parameters keep their order; an encoded path keeps its RawPath; Host,
// RemoteAddr, Content-Length and the protocol are set; cookies of HTTP API
// 2.0 and function URL events arrive as a Cookie header. The response
// follows net/http's server: a handler that writes nothing answers 200,
// the first WriteHeader wins, headers are fixed when it is called (or at
// the first Write), an unset Content-Type is sniffed with
// http.DetectContentType, header names that are not tokens are dropped
// and CR and LF in values become spaces, and the answer to a HEAD request
// carries the Content-Length of the body the handler wrote.
//
// Response bodies are base64-encoded when their Content-Type is not
// textual or a Content-Encoding is set ([WithBinaryContentTypes] and
// [WithTextContentTypes] adjust the rule); the body's bytes are never
// sniffed to decide.
//
// A named HTTP API stage at the front of the path and configured
// custom-domain base paths ([WithBasePath]) are removed on segment
// boundaries before routing.
//
// # Identity
//
// The authorizer's result in the event — JWT claims, a Lambda
// authorizer's context, IAM caller — becomes the request's
// faas.Principal, read by handlers with faas.PrincipalFromContext exactly
// as they read the monolith's session user. Only the event can set it: no
// request header is consulted. [EventFromContext] gives the whole event.
//
// # Gateways
//
// [NewEvent] builds the event of a chosen format from an *http.Request, as
// API Gateway would, and [WriteResponse] writes a function's event-format
// response to an http.ResponseWriter; faasport's emulator gateway is built
// on them.
//
// # Differences from net/http
//
// The body is buffered (up to Lambda's 6 MB response limit) except through
// the streaming entry points; Flush commits the status and headers but
// cannot send the body early. Hijack and the connection deadlines of
// http.ResponseController are not supported. The gateway, not the adapter,
// adds Date and Content-Length to the response, but for the Content-Length
// of a HEAD request's answer, which has no body to measure.
package adapter
