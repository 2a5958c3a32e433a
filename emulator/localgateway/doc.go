// Package localgateway is an in-process stand-in for Amazon API Gateway:
// an http.Handler that serves an HTTP API or a REST API in front of Lambda
// functions (through package locallambda, or any [Invoker]) and HTTP
// backends, with API Gateway's routing, stages, authorizers, CORS,
// throttling, limits, events and error responses.
//
// Programs and tests describe the API with a [Config] and get a [Gateway]
// from [New], which refuses any configuration API Gateway would refuse or
// that the gateway does not implement, naming it. Serve the Gateway with
// net/http or httptest.NewServer. Named routes can go to functions while a
// $default route proxies everything else to the running monolith: the
// strangler-fig migration, one route at a time.
//
// # Requests
//
// A request goes through these steps, each of which may answer it:
//
//  1. Stage: the first path segment names a stage; otherwise an HTTP API's
//     $default stage serves the whole path. No stage: 404
//     {"message":"Not Found"} (HTTP API) or 403 {"message": "Forbidden"}
//     (REST API).
//  2. Account throttle (token bucket, 10,000 rps, burst 5,000 by default): 429.
//  3. CORS preflight (HTTP APIs with CORS): OPTIONS with Origin and
//     Access-Control-Request-Method is answered 204 by the gateway when
//     no route takes it (step 5). One that an OPTIONS route, an ANY route
//     or $default takes goes on like any request, through the route's
//     authorizer, and its answer gets the preflight's CORS headers: on
//     AWS too, a $default route behind an authorizer refuses unsigned
//     preflights unless an OPTIONS /{proxy+} route without one is added.
//  4. Body over 10 MB: 413.
//  5. Route: exact method and path; then, among routes of the request's
//     method, the one whose path is most specific — at the first segment
//     where two differ, a literal beats {param} and {param} beats
//     {proxy+}, and a longer path beats its prefix; then routes with a
//     greedy variable; then ANY routes, in the same order; then $default.
//     A REST API resolves the pair of resource and method instead: among
//     the routes of the request's method or ANY, the most specific path,
//     and on one path the method before ANY; a literal resource without
//     the request's method yields to a {param} sibling that has it, as on
//     AWS. No route: 404 {"message":"Not Found"} (HTTP API) or 403
//     {"message":"Missing Authentication Token"} (REST API).
//  6. Route throttle (the stage's Throttle, or its RouteThrottle entry): 429.
//  7. Authorizer. JWT: the token from the identity source (bare or
//     "Bearer "), checked by package verify; failure is 401
//     {"message":"Unauthorized"} with a WWW-Authenticate challenge naming
//     the reason; a token holding none of the route's scopes is 403
//     {"message":"Forbidden"}. Lambda (REQUEST): a missing identity source
//     is 401 without calling the function; a deny is 403; a crash, an
//     error, a malformed answer or a timeout is 500.
//  8. Integration. Lambda: the event of the route's payload format (HTTP
//     API 2.0 or 1.0, or REST), built by adapter.NewEvent, within the
//     integration timeout; a function error or a malformed response is 500
//     {"message":"Internal Server Error"} (HTTP API) or 502 {"message":
//     "Internal server error"} (REST API); the integration timeout is 503
//     {"message":"Service Unavailable"} or 504 {"message": "Endpoint
//     request timed out"}; Lambda throttling is 429 (HTTP API) or 500
//     (REST API). Functions of either kind may give statusCode as a
//     numeric string and header values as any scalar. A REST API's
//     function may omit statusCode (200), but any member besides
//     statusCode, headers, multiValueHeaders, body and isBase64Encoded
//     (cookies too) is malformed; an answer without a Content-Type is sent
//     as application/json. An HTTP API's payload 2.0 function that answers
//     JSON without a statusCode gets a 200 application/json response whose
//     body is that JSON, or the value of a JSON string, unless it is an
//     object with an errorMessage (a failure: 500); payload 1.0 needs a
//     statusCode and has no cookies. When the
//     integration times out, the access log still names the invocation,
//     which runs on. HTTP proxy: the request is forwarded with its query,
//     headers and body, and the answer is read whole within the
//     integration timeout, as API Gateway buffers it (a body over 10 MB is
//     an integration failure);
//     an HTTP API turns the client's X-Forwarded-* headers into a Forwarded
//     header and appends the client, its host and scheme; a REST API
//     appends the client to X-Forwarded-For and adds X-Forwarded-Proto,
//     X-Forwarded-Port and x-amzn-apigateway-api-id. A REST API renames
//     the Authorization, Connection, Content-Length, Date, Server,
//     WWW-Authenticate and x-amzn-RequestId headers of an HTTP backend's
//     response, and the Authorization and WWW-Authenticate headers of a
//     function's, to x-amzn-Remapped-<name>.
//
// A request body reaches a function as text or base64-encoded
// (isBase64Encoded) as API Gateway sends it: an HTTP API sends as text
// only bodies of type text/*, application/json, application/xml and
// application/javascript, and base64-encodes the rest, form posts and
// bodies without a Content-Type too; a REST API base64-encodes the bodies
// whose Content-Type matches one of its BinaryMediaTypes and sends every
// other as text, its bytes that are not UTF-8 replaced by U+FFFD. A
// handler behind the adapter reads the bytes sent either way, save for
// that replacement. HTTP API 2.0 events carry a content-length header,
// "0" for no body.
//
// A function's answer flagged isBase64Encoded reaches an HTTP API's client
// decoded. A REST API decodes it only when the first media type of the
// request's Accept header matches one of its BinaryMediaTypes ("*/*"
// matches any), and otherwise sends the base64 text as the function gave
// it: a browser's Accept header starts with text/html or image/avif, so
// an API serving images to browsers needs "*/*", as AWS advises. A body
// to decode that is not base64 gets 500 {"message": "Internal server
// error"} (see adapter.DecodeRESTResponse).
//
// Functions see the headers AWS front ends add (X-Forwarded-For,
// X-Forwarded-Proto, X-Forwarded-Port, and X-Amzn-Trace-Id unless the
// client sent one); the Lambda invocation continues that trace, and an
// HTTP proxy integration gets it too.
//
// Every response carries apigw-requestid (HTTP API), or x-amzn-RequestId
// and x-amz-apigw-id, the event's extendedRequestId (REST API). With CORS configured, the integration's Access-Control-*
// headers are dropped and the gateway's are set.
//
// Each request is logged through the Config's Logger, at level Info, with
// its request id, stage, method, path, route key, authorizer decision,
// Lambda request id, status and latency.
//
// # Differences from AWS
//
//   - The integration timeout may be set from 50 ms, as on AWS, and is
//     timed by the Config's Clock, so tests need not wait. When it passes,
//     the function goes on running (as on Lambda) but the client is
//     answered.
//   - Route priority between a greedy route of the request's method and an
//     ANY route of a more specific path is not documented by AWS; the
//     gateway prefers the method (step 5). HTTP APIs'
//     routes match the decoded path, so an encoded slash (%2F) separates
//     segments; REST APIs' match the path as sent, as their events carry
//     it, with leading slashes (before and after the stage) made one and
//     a trailing slash ignored.
//   - Which request bodies an HTTP API base64-encodes was measured on AWS
//     by a third party (ministack#766), not documented; a text type that
//     is not valid UTF-8 is base64-encoded here.
//   - Throttling is a token bucket per route of each stage and one for the
//     account; AWS's buckets are approximate and distributed.
//   - JWT claims reach functions stringified: numbers as their JSON text,
//     arrays as "[a b]", objects as "map[k:v]" (as reported of AWS in
//     aws/aws-lambda-go#570; the order of an object's keys is not
//     documented, and here they are sorted). requestContext.authorizer.jwt.scopes holds the
//     token's scopes, null when it has none. For payload format 1.0 the
//     authorizer's output is {"claims", "scopes"} without the "jwt" level.
//   - The 401 for a missing token carries no WWW-Authenticate header; the
//     error_description texts other than the audience one are faasport's.
//     A 403 for missing scopes carries no challenge.
//   - Lambda authorizers: the function gets the request's event with
//     type REQUEST, routeArn and identitySource (2.0), or methodArn,
//     identitySource and authorizationToken (1.0); the output reaches the
//     integration as {"lambda": context}, with "principalId" beside
//     "lambda" for IAM policy answers. Policies are evaluated on their Allow and Deny statements
//     for execute-api:Invoke with * and ? wildcards; conditions are
//     ignored. The cache keys on the identity source values only, and
//     holds at most 4,096 answers per authorizer: when full, it drops the
//     expired ones, or all of them when most are still live.
//   - REST API Lambda authorizers (TOKEN and REQUEST): the REQUEST event
//     is the REST proxy event without its body, with type and methodArn.
//     Their context members reach the integration beside principalId and
//     integrationLatency, as strings. A function failing with the message
//     "Unauthorized" gets 401; other failures, answers that are not IAM
//     policies and context values that are not strings, numbers or
//     booleans get 500 {"message":null} (AuthorizerConfigurationException);
//     a policy that does not allow the method gets 403 with API Gateway's
//     "User is not authorized to access this resource" messages. Cached
//     answers, as on AWS, are checked against each request's methodArn.
//     usageIdentifierKey is ignored.
//   - A REST API's own error answers are {"message":"..."} ({"message":null}
//     for an authorizer's configuration error), but for its integration
//     failures (502, 504), which AWS spaces as {"message": "..."}. They carry x-amzn-ErrorType where AWS's
//     recorded answers show one (MissingAuthenticationTokenException,
//     UnauthorizedException, AccessDeniedException,
//     AuthorizerConfigurationException, TooManyRequestsException); gateway
//     responses cannot be customised.
//   - REST API Cognito user pool authorizers take the token with or
//     without a "Bearer " prefix, and check it as API Gateway does (an ID
//     token on a route without Scopes, an access token holding one of
//     them on a route with Scopes; any app client). The claims reach the
//     integration in requestContext.authorizer.claims, stringified as for
//     JWT authorizers. Every refusal is 401: "The incoming token has
//     expired" for an expired token, "Unauthorized" otherwise. Answers are
//     not cached: the token is checked on every request.
//   - IAM authorization (IAMAuthorizer) answers an HTTP API's refusals,
//     whatever their cause, 403 {"message":"Forbidden"}; AWS's own HTTP
//     API answers to a bad signature are not recorded. Resource policies
//     do not apply.
//   - REST APIs: no API keys, usage plans, resource policies, request
//     validation, mapping templates, or CORS; those settings are refused. Neither kind has custom domains,
//     mTLS, access log formats, or WebSocket APIs.
//   - HTTP proxy integrations: errors reaching the backend answer as a
//     function error does (500 / 502). The Host header is the backend's.
//     An HTTP API's Forwarded header names the client and the gateway's
//     host but not the gateway itself (no by=). A REST API's lists of
//     remapped response headers are those AWS's recorded answers show;
//     AWS's own lists may be longer.
//   - Header names reach functions in Go's canonical form (a client's
//     "tEsT-HEADeR" arrives as "Test-Header"; API Gateway keeps the
//     client's case). REST events carry the headers of a regional
//     endpoint: none of the CloudFront-*, Via and X-Amz-Cf-Id headers an
//     edge-optimized endpoint adds. Their requestContext.deploymentId and
//     resourceId are "local".
//   - The 413 body is {"message":"Request Entity Too Large"} for both
//     kinds; AWS's exact REST text is not documented.
//   - Lambda invocation errors other than throttling (unknown function,
//     oversize payload) answer 500.
package localgateway
