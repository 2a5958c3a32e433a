package localdynamo

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"hash/crc32"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/faasport/faasport/internal/inproc"
)

const (
	targetPrefix = "DynamoDB_20120810."
	contentType  = "application/x-amz-json-1.0"
	// maxRequestBody bounds a request: DynamoDB's largest requests (25
	// items of 400 KB) stay well below it.
	maxRequestBody = 16 << 20
)

type opFunc func(s *Store, ctx context.Context, body []byte) (any, error)

// op makes the operation name, which runs f on its decoded request.
func op[I any, O any](name string, f func(*Store, context.Context, *I) (O, error)) opFunc {
	req := requestShapes[name]
	return func(s *Store, ctx context.Context, body []byte) (any, error) {
		for attempt := 1; ; attempt++ {
			in := new(I)
			if err := decodeRequest(body, in, req); err != nil {
				return nil, err
			}
			if bytes.Contains(body, []byte(`"arn:`)) {
				s.resolveTableARN(in)
			}
			out, err := f(s, ctx, in)
			if errors.Is(err, errTablesChanged) {
				// Its write transaction found the tables changed by
				// another process, and they are reloaded: run it again.
				if attempt < 3 {
					continue
				}
				err = internalError(err)
			}
			return out, err
		}
	}
}

// decodeRequest decodes a JSON request body, whose shape in DynamoDB's
// model is s. A member of the wrong JSON type is a SerializationException
// in DynamoDB's words, reported before anything invalid (see
// typeMismatch); an invalid AttributeValue is a ValidationException, and
// other malformed JSON a SerializationException of the store's wording.
func decodeRequest(body []byte, in any, s *shape) error {
	if len(bytes.TrimSpace(body)) == 0 {
		body = []byte("{}")
	}
	if err := json.Unmarshal(body, in); err != nil {
		if ae := typeMismatch(body, s); ae != nil {
			return ae
		}
		var ae *apiError
		if errors.As(err, &ae) {
			return ae
		}
		return serializationError("Start of structure or map found where not expected")
	}
	return nil
}

var ops map[string]opFunc

func init() {
	ops = map[string]opFunc{
		"CreateTable":        op("CreateTable", (*Store).createTable),
		"DescribeTable":      op("DescribeTable", (*Store).describeTable),
		"ListTables":         op("ListTables", (*Store).listTables),
		"DeleteTable":        op("DeleteTable", (*Store).deleteTable),
		"UpdateTable":        op("UpdateTable", (*Store).updateTable),
		"PutItem":            op("PutItem", (*Store).putItem),
		"GetItem":            op("GetItem", (*Store).getItemOp),
		"DeleteItem":         op("DeleteItem", (*Store).deleteItem),
		"UpdateItem":         op("UpdateItem", (*Store).updateItem),
		"Query":              op("Query", (*Store).query),
		"Scan":               op("Scan", (*Store).scan),
		"BatchGetItem":       op("BatchGetItem", (*Store).batchGetItem),
		"BatchWriteItem":     op("BatchWriteItem", (*Store).batchWriteItem),
		"TransactWriteItems": op("TransactWriteItems", (*Store).transactWriteItems),
		"TransactGetItems":   op("TransactGetItems", (*Store).transactGetItems),
		"UpdateTimeToLive":   op("UpdateTimeToLive", (*Store).updateTimeToLive),
		"DescribeTimeToLive": op("DescribeTimeToLive", (*Store).describeTimeToLive),
		"DescribeEndpoints":  op("DescribeEndpoints", (*Store).describeEndpoints),
		"TagResource":        op("TagResource", (*Store).tagResource),
		"UntagResource":      op("UntagResource", (*Store).untagResource),
		"ListTagsOfResource": op("ListTagsOfResource", (*Store).listTagsOfResource),
	}
}

// tableNamed lists the operations whose requests name a table in
// TableName.
var tableNamed = map[string]bool{
	"CreateTable": true, "DescribeTable": true, "DeleteTable": true, "UpdateTable": true,
	"PutItem": true, "GetItem": true, "DeleteItem": true, "UpdateItem": true, "Query": true, "Scan": true,
	"UpdateTimeToLive": true, "DescribeTimeToLive": true,
}

// emptyTableName reports whether body has a TableName that is the empty
// string, which DynamoDB refuses for its length where an absent TableName
// is null. Operations see both as "".
func emptyTableName(body []byte) bool {
	if !bytes.Contains(body, []byte(`""`)) {
		return false
	}
	var req struct{ TableName *string }
	return json.Unmarshal(body, &req) == nil && req.TableName != nil && *req.TableName == ""
}

// Handler returns the http.Handler speaking DynamoDB's JSON 1.0 protocol:
// POST / with X-Amz-Target: DynamoDB_20120810.<Operation>. It answers
// CORS preflight requests, so browser code can call it directly.
func (s *Store) Handler() http.Handler {
	return http.HandlerFunc(s.serveHTTP)
}

// corsAllowHeaders are the request headers the AWS SDKs send.
const corsAllowHeaders = "authorization, content-type, x-amz-target, x-amz-date, x-amz-security-token, x-amz-user-agent, x-amz-content-sha256, amz-sdk-invocation-id, amz-sdk-request, x-amz-client-context, x-amz-crc32"

func (s *Store) serveHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	if origin := r.Header.Get("Origin"); origin != "" {
		h.Set("Access-Control-Allow-Origin", origin)
		h.Add("Vary", "Origin")
		h.Set("Access-Control-Expose-Headers", "x-amzn-RequestId, x-amzn-ErrorType, x-amz-crc32, Date")
	}
	if r.Method == http.MethodOptions {
		h.Set("Access-Control-Allow-Methods", "POST, GET, OPTIONS")
		if req := r.Header.Get("Access-Control-Request-Headers"); req != "" {
			h.Set("Access-Control-Allow-Headers", req)
		} else {
			h.Set("Access-Control-Allow-Headers", corsAllowHeaders)
		}
		h.Set("Access-Control-Max-Age", "172800")
		w.WriteHeader(http.StatusOK)
		return
	}
	h[headerRequestID] = []string{requestID()}
	if r.Method == http.MethodGet && r.URL.Path == "/" {
		// DynamoDB's endpoints answer a plain GET with a health line.
		h.Set("Content-Type", "text/plain")
		io.WriteString(w, "healthy: dynamodb."+s.region+".amazonaws.com ")
		return
	}
	if r.Method != http.MethodPost {
		s.writeError(w, newError(codeUnknownOperation, http.StatusBadRequest, ""))
		return
	}
	target := r.Header.Get("X-Amz-Target")
	name, ok := strings.CutPrefix(target, targetPrefix)
	f := ops[name]
	if !ok || f == nil {
		s.writeError(w, newError(codeUnknownOperation, http.StatusBadRequest, ""))
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxRequestBody+1))
	if err != nil {
		s.writeError(w, serializationError("Unable to read request body"))
		return
	}
	if len(body) > maxRequestBody {
		s.writeError(w, newError("RequestEntityTooLarge", http.StatusRequestEntityTooLarge, "Request entity too large"))
		return
	}
	// An operation runs to its end even if the client goes away: SQLite
	// statements are not interrupted halfway, and the writes of other
	// requests sharing its transaction are not disturbed.
	if tableNamed[name] && emptyTableName(body) {
		// DynamoDB reads the whole body before it validates the name.
		if ae := typeMismatch(body, requestShapes[name]); ae != nil {
			s.writeError(w, ae)
			return
		}
		s.writeError(w, validationf("1 validation error detected: Value '' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 1"))
		return
	}
	ctx := context.WithValue(context.WithoutCancel(r.Context()), callKey{}, &call{caller: accessKeyID(r.Header.Get("Authorization")), req: r})
	out, err := f(s, ctx, body)
	if err != nil {
		s.writeError(w, asAPIError(s.hideMissingTable(ctx, name, body, err)))
		return
	}
	data, err := marshalOutput(out)
	if err != nil {
		s.log.Error("localdynamo: encode response", "op", name, "err", err)
		s.writeError(w, internalError(err))
		return
	}
	s.writeBody(w, http.StatusOK, data)
}

// jsonAppender is an operation's output that appends its own JSON
// encoding, byte for byte what encoding/json would produce for it apart
// from HTML escaping, without reflection or re-parsing of the items.
type jsonAppender interface {
	appendJSON(b []byte) ([]byte, error)
}

// marshalOutput encodes an operation's output as json.Marshal does.
func marshalOutput(out any) ([]byte, error) {
	a, ok := out.(jsonAppender)
	if !ok {
		return json.Marshal(out)
	}
	b, err := a.appendJSON(make([]byte, 0, 1024))
	if err != nil {
		return nil, err
	}
	return appendHTMLEscaped(b), nil
}

// appendHTMLEscaped escapes <, >, &, U+2028 and U+2029 in the JSON b as
// json.Marshal does (they can only occur in strings); b itself is returned
// when there are none.
func appendHTMLEscaped(b []byte) []byte {
	var out []byte
	start := 0
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch {
		case c == '<' || c == '>' || c == '&':
			out = append(out, b[start:i]...)
			out = append(out, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			start = i + 1
		case c == 0xE2 && i+2 < len(b) && b[i+1] == 0x80 && b[i+2]&^1 == 0xA8:
			out = append(out, b[start:i]...)
			out = append(out, '\\', 'u', '2', '0', '2', hexDigits[b[i+2]&0xF])
			i += 2
			start = i + 1
		}
	}
	if out == nil {
		return b
	}
	return append(out, b[start:]...)
}

// The response headers the store sets, in canonical form (as http.Header's
// Set would store x-amzn-RequestId and x-amz-crc32).
const (
	headerRequestID = "X-Amzn-Requestid"
	headerCRC32     = "X-Amz-Crc32"
)

func (s *Store) writeBody(w http.ResponseWriter, status int, data []byte) {
	h := w.Header()
	// The SDK checks the body against the CRC32 when the header is there.
	vals := []string{contentType, strconv.Itoa(len(data)), strconv.FormatUint(uint64(crc32.ChecksumIEEE(data)), 10)}
	h["Content-Type"] = vals[0:1:1]
	h["Content-Length"] = vals[1:2:2]
	h[headerCRC32] = vals[2:3:3]
	w.WriteHeader(status)
	w.Write(data)
}

func (s *Store) writeError(w http.ResponseWriter, e *apiError) {
	m := map[string]any{"__type": e.typeName()}
	if e.message != "" || e.code != codeUnknownOperation {
		m[e.messageKey()] = e.message
	}
	if e.item != nil {
		m["Item"] = e.item
	}
	if e.reasons != nil {
		m["CancellationReasons"] = e.reasons
	}
	data, _ := json.Marshal(m)
	s.writeBody(w, e.status, data)
}

const idAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

// requestID makes an id shaped like DynamoDB's: 52 upper-case letters and
// digits.
func requestID() string {
	var b [52]byte
	rand.Read(b[:])
	for i := range b {
		b[i] = idAlphabet[int(b[i])%len(idAlphabet)]
	}
	return string(b[:])
}

// HTTPClient returns an http.Client whose transport calls the store's
// handler directly, without a network: point an SDK client at any URL
// (for example http://localdynamo) and give it this client.
func (s *Store) HTTPClient() *http.Client {
	return &http.Client{Transport: inproc.Transport{Handler: s.Handler()}}
}

// hideMissingTable turns err, an operation's ResourceNotFoundException
// for a table that does not exist, into the AccessDeniedException a
// caller without access to that table name gets, as DynamoDB decides
// access before it looks the table up: a caller cannot learn which
// tables exist from names it may not use. It covers the operations naming
// one table in TableName, the batch operations' RequestItems and the
// transactions' TransactItems; others keep err.
func (s *Store) hideMissingTable(ctx context.Context, op string, body []byte, err error) error {
	var ae *apiError
	if s.opts.Authorizer == nil || !errors.As(err, &ae) || ae.code != codeResourceNotFound {
		return err
	}
	for _, a := range namedTables(op, body) {
		if _, terr := s.table(a.Table); terr == nil {
			continue // the table exists: the operation decided access itself
		}
		if derr := s.authorize(ctx, &a); derr != nil {
			return derr
		}
	}
	return err
}

// namedTables lists, in the request's order, the tables a request body
// names and the action it asks of each: TableName for the single-table
// operations, RequestItems' names for BatchGetItem and BatchWriteItem,
// and each TransactItems member's TableName with the item action IAM
// checks for it. Each Access carries the condition keys the operation
// would send but for its attributes and leading keys, which depend on
// the table (a Query or Scan names its index too). A body that does not
// decode names none.
func namedTables(op string, body []byte) []Access {
	var req struct {
		TableName     string
		RequestItems  jsonObject
		TransactItems []map[string]struct{ TableName string }
	}
	if json.Unmarshal(body, &req) != nil {
		return nil
	}
	// The parameters behind the condition keys are decoded apart, as
	// well as they decode: one of an unexpected shape is taken as absent
	// rather than hiding the tables.
	type member struct {
		ProjectionExpression                *string
		ReturnValuesOnConditionCheckFailure string
	}
	var keys struct {
		IndexName              *string
		Select                 string
		ReturnValues           string
		ReturnConsumedCapacity string
		ProjectionExpression   *string
		AttributesToGet        []string
		RequestItems           map[string]struct {
			ProjectionExpression *string
			AttributesToGet      []string
		}
		TransactItems []map[string]member
	}
	_ = json.Unmarshal(body, &keys)
	capacity := orNone(keys.ReturnConsumedCapacity)
	var out []Access
	switch op {
	case "BatchGetItem", "BatchWriteItem":
		for _, name := range req.RequestItems {
			a := Access{Action: "dynamodb:" + op, Table: name, ReturnConsumedCapacity: capacity}
			if op == "BatchGetItem" {
				ka := keys.RequestItems[name]
				a.Select = selectKey("", ka.ProjectionExpression != nil || len(ka.AttributesToGet) > 0, false)
			}
			out = append(out, a)
		}
	case "TransactGetItems", "TransactWriteItems":
		for i, it := range req.TransactItems {
			for kind, target := range it {
				action, ok := transactActions[kind]
				if !ok || target.TableName == "" {
					continue
				}
				a := Access{Action: action, Table: target.TableName, ReturnConsumedCapacity: capacity, EnclosingOperation: op}
				var m member
				if i < len(keys.TransactItems) {
					m = keys.TransactItems[i][kind]
				}
				if kind == "Get" {
					a.Select = selectKey("", m.ProjectionExpression != nil, false)
				} else {
					a.ReturnValues = orNone(m.ReturnValuesOnConditionCheckFailure)
				}
				out = append(out, a)
			}
		}
	default:
		if req.TableName == "" {
			break
		}
		a := Access{Action: "dynamodb:" + op, Table: req.TableName}
		switch op {
		case "Query", "Scan":
			if keys.IndexName != nil {
				a.Index = *keys.IndexName
			}
			a.Select = selectKey(keys.Select, keys.ProjectionExpression != nil || len(keys.AttributesToGet) > 0, a.Index != "")
			a.ReturnConsumedCapacity = capacity
		case "GetItem":
			a.Select = selectKey("", keys.ProjectionExpression != nil || len(keys.AttributesToGet) > 0, false)
			a.ReturnConsumedCapacity = capacity
		case "PutItem", "UpdateItem", "DeleteItem":
			a.ReturnValues = orNone(keys.ReturnValues)
			a.ReturnConsumedCapacity = capacity
		}
		out = append(out, a)
	}
	return out
}

// transactActions is the action IAM checks for each kind of transaction
// member.
var transactActions = map[string]string{
	"Get":            "dynamodb:GetItem",
	"Put":            "dynamodb:PutItem",
	"Update":         "dynamodb:UpdateItem",
	"Delete":         "dynamodb:DeleteItem",
	"ConditionCheck": "dynamodb:ConditionCheckItem",
}

// jsonObject decodes a JSON object's member names in order, skipping
// their values.
type jsonObject []string

func (o *jsonObject) UnmarshalJSON(b []byte) error {
	d := json.NewDecoder(bytes.NewReader(b))
	tok, err := d.Token()
	if err != nil {
		return err
	}
	if tok == nil {
		return nil
	}
	if tok != json.Delim('{') {
		return errors.New("not an object")
	}
	for d.More() {
		tok, err := d.Token()
		if err != nil {
			return err
		}
		*o = append(*o, tok.(string))
		var skip json.RawMessage
		if err := d.Decode(&skip); err != nil {
			return err
		}
	}
	return nil
}
