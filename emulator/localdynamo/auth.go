package localdynamo

import (
	"context"
	"errors"
	"net/http"
	"strings"
)

// Access describes one access the store is about to perform, for an
// [Authorizer] to allow or deny. Batch and transaction requests produce one
// Access per item, with the action IAM evaluates for that item (a
// TransactWriteItems Put is "dynamodb:PutItem", a ConditionCheck is
// "dynamodb:ConditionCheckItem").
type Access struct {
	// Caller is the access key id from the request's SigV4 Authorization
	// header, or "" for an unsigned request.
	Caller string
	// Action is the IAM action, such as "dynamodb:GetItem".
	Action string
	// Resource is the ARN of the table, or of the index for index reads:
	// arn:aws:dynamodb:<region>:<account>:table/<name>[/index/<index>].
	Resource string
	// Table and Index name the resource; Index is "" for the table.
	Table, Index string
	// LeadingKeys holds the partition key values the access touches (the
	// dynamodb:LeadingKeys condition key): strings and numbers as text,
	// binaries in base64. Nil for Scan and for table-level operations.
	LeadingKeys []string
	// Attributes lists the top-level attributes the access reads, writes
	// or evaluates in a condition or filter (the dynamodb:Attributes
	// condition key). Nil means all attributes.
	Attributes []string
	// Select and ReturnValues are the dynamodb:Select and
	// dynamodb:ReturnValues condition keys: the request's parameters of
	// those names, or the values DynamoDB takes when they are absent, as
	// these keys always have a value for the operations that take them
	// (Select: SPECIFIC_ATTRIBUTES for a read with a projection,
	// ALL_ATTRIBUTES otherwise, ALL_PROJECTED_ATTRIBUTES for an index
	// read; ReturnValues: NONE). Empty for operations without them. A
	// transaction member's ReturnValues is its
	// ReturnValuesOnConditionCheckFailure, which the transactions guide
	// governs with dynamodb:ReturnValues.
	Select, ReturnValues string
	// ReturnConsumedCapacity is the dynamodb:ReturnConsumedCapacity
	// condition key: the request's parameter, NONE when absent. Empty for
	// operations without it.
	ReturnConsumedCapacity string
	// EnclosingOperation is the dynamodb:EnclosingOperation condition key:
	// "TransactWriteItems" or "TransactGetItems" for the items of a
	// transaction, empty otherwise.
	EnclosingOperation string
	// Request is the HTTP request being served, nil when there is none.
	Request *http.Request
}

// Authorizer decides whether an access may proceed: nil allows it, an
// error denies it with AccessDeniedException. Return an
// [*AccessDeniedError] to control the principal and reason in the message.
// An Authorizer is called concurrently and must not block for long: writes
// call it while holding the store's write lock.
type Authorizer func(ctx context.Context, a *Access) error

// AccessDeniedError is a denial in the words AWS uses: "User: <Principal>
// is not authorized to perform: <action> on resource: <resource> <Reason>".
type AccessDeniedError struct {
	// Principal is the ARN of the caller. Empty means an IAM user named
	// after the access key.
	Principal string
	// Reason completes the message. Empty means "because no
	// identity-based policy allows the <action> action".
	Reason string
}

func (e *AccessDeniedError) Error() string {
	return "localdynamo: access denied: " + e.Reason
}

// The condition keys below take, for a request without the parameter they
// stand for, the value DynamoDB takes: "the Select parameter always has a
// value (ALL_ATTRIBUTES, unless otherwise specified)" and "the
// ReturnValues parameter always has a value (NONE unless otherwise
// specified)" (DynamoDB developer guide, "Using IAM policy conditions for
// fine-grained access control"), so that a policy's StringEqualsIfExists
// cannot be sidestepped by leaving a parameter out.

// selectKey is the dynamodb:Select of a read: sel, the request's Select,
// if set; otherwise SPECIFIC_ATTRIBUTES for a read with a projection
// (ProjectionExpression or AttributesToGet), and else what the read
// returns, ALL_PROJECTED_ATTRIBUTES from an index and ALL_ATTRIBUTES from
// a table (API reference, Query and Scan: "If neither Select nor
// ProjectionExpression are specified, DynamoDB defaults to ALL_ATTRIBUTES
// when accessing a table, and ALL_PROJECTED_ATTRIBUTES when accessing an
// index").
func selectKey(sel string, projects, index bool) string {
	switch {
	case sel != "":
		return sel
	case projects:
		return "SPECIFIC_ATTRIBUTES"
	case index:
		return "ALL_PROJECTED_ATTRIBUTES"
	}
	return "ALL_ATTRIBUTES"
}

// orNone is v, or NONE if v is empty: the dynamodb:ReturnValues and
// dynamodb:ReturnConsumedCapacity of a request without ReturnValues (or,
// in a transaction, ReturnValuesOnConditionCheckFailure) or
// ReturnConsumedCapacity.
func orNone(v string) string {
	if v == "" {
		return "NONE"
	}
	return v
}

// readAttrs is the dynamodb:Attributes of a read that projects paths (nil:
// all attributes) and evaluates the attributes of evaluated in a key
// condition or a filter. A read of all attributes stays nil, all of them:
// those it evaluates are among them.
func readAttrs(paths []docPath, evaluated ...[]docPath) []string {
	if paths == nil {
		return nil
	}
	return attrNames(nil, append([][]docPath{paths}, evaluated...)...)
}

// attrNames lists, sorted and each once, the attributes of names and the
// top-level attributes of paths. It is never nil: nil would mean all
// attributes.
func attrNames(names []string, paths ...[]docPath) []string {
	var all []docPath
	for _, n := range names {
		all = append(all, docPath{{name: n}})
	}
	for _, ps := range paths {
		all = append(all, ps...)
	}
	if out := topNames(all); out != nil {
		return out
	}
	return []string{}
}

// callKey is the context key of a request's *call.
type callKey struct{}

// call is what the handler tells the operations about the HTTP request
// they serve.
type call struct {
	// caller is the access key id of the request's signature, "" if
	// unsigned.
	caller string
	req    *http.Request
}

// authorize asks the Authorizer about a, filling in the caller and the
// resource ARN.
func (s *Store) authorize(ctx context.Context, a *Access) error {
	if s.opts.Authorizer == nil {
		return nil
	}
	if c, _ := ctx.Value(callKey{}).(*call); c != nil {
		a.Caller, a.Request = c.caller, c.req
		// The Authorizer sees the request's own context, cancellation
		// included.
		ctx = context.WithValue(c.req.Context(), callKey{}, c)
	}
	if a.Resource == "" {
		a.Resource = s.tableARN(a.Table)
		if a.Index != "" {
			a.Resource += "/index/" + a.Index
		}
	}
	err := s.opts.Authorizer(ctx, a)
	if err == nil {
		return nil
	}
	principal, reason := "", ""
	var de *AccessDeniedError
	if errors.As(err, &de) {
		principal, reason = de.Principal, de.Reason
	}
	if principal == "" {
		principal = s.userARN(a.Caller)
	}
	if reason == "" {
		reason = "because no identity-based policy allows the " + a.Action + " action"
	}
	return newError(codeAccessDenied, http.StatusBadRequest, "User: %s is not authorized to perform: %s on resource: %s %s", principal, a.Action, a.Resource, reason)
}

// userARN names caller ("" for anonymous) as AccessDeniedException
// messages do.
func (s *Store) userARN(caller string) string {
	if caller == "" {
		caller = "anonymous"
	}
	return "arn:aws:iam::" + s.acct + ":user/" + caller
}

// callerOf returns the caller of the request ctx belongs to, "" if none
// is known.
func callerOf(ctx context.Context) string {
	if c, _ := ctx.Value(callKey{}).(*call); c != nil {
		return c.caller
	}
	return ""
}

// accessKeyID extracts the access key id from a SigV4 Authorization header:
// "AWS4-HMAC-SHA256 Credential=AKID/20250101/us-east-1/dynamodb/aws4_request, ...".
// It reads the comma-separated name=value elements after the algorithm as
// package verify's ParseSigV4Authorization does, white space around names
// and values being no part of them, so that on every header that parser
// accepts it names the same key. It is laxer than that parser: the store
// checks no signature, so any algorithm will do and the other elements are
// not looked at.
func accessKeyID(h string) string {
	_, rest, ok := strings.Cut(strings.TrimSpace(h), " ")
	if !ok {
		return ""
	}
	for part := range strings.SplitSeq(rest, ",") {
		name, v, ok := strings.Cut(part, "=")
		if ok && strings.TrimSpace(name) == "Credential" {
			id, _, _ := strings.Cut(strings.TrimSpace(v), "/")
			return id
		}
	}
	return ""
}
