package localdynamo

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/faasport/faasport/emulator/localiam"
	"github.com/faasport/faasport/verify"
	"github.com/google/go-cmp/cmp"
)

// This file fuzzes requests under access rules: a store whose Authorizer
// evaluates IAM policies like the pet store's (anyone may read Products; a
// customer may read only the Orders whose partition key is their Cognito
// identity id; only the writer role may write), with requests signed by
// several principals.

const fuzzAccount = "123456789012"

// The policies of the fuzzed principals, in the shape of the emulator's
// pet store roles, with the customer's partition bound to
// ${cognito-identity.amazonaws.com:sub}.
const (
	fuzzReadProducts = `{"Version":"2012-10-17","Statement":[{"Sid":"ReadProducts","Effect":"Allow",
		"Action":["dynamodb:GetItem","dynamodb:Query","dynamodb:Scan","dynamodb:BatchGetItem"],
		"Resource":["arn:aws:dynamodb:us-east-1:123456789012:table/Products","arn:aws:dynamodb:us-east-1:123456789012:table/Products/index/*"]}]}`
	fuzzOwnOrders = `{"Version":"2012-10-17","Statement":[{"Sid":"OwnOrders","Effect":"Allow",
		"Action":["dynamodb:GetItem","dynamodb:Query","dynamodb:BatchGetItem"],
		"Resource":"arn:aws:dynamodb:us-east-1:123456789012:table/Orders",
		"Condition":{"ForAllValues:StringEquals":{"dynamodb:LeadingKeys":["${cognito-identity.amazonaws.com:sub}"]}}}]}`
	fuzzWriter = `{"Version":"2012-10-17","Statement":[
		{"Sid":"Write","Effect":"Allow","Action":["dynamodb:GetItem","dynamodb:BatchGetItem","dynamodb:Query",
			"dynamodb:PutItem","dynamodb:UpdateItem","dynamodb:DeleteItem","dynamodb:BatchWriteItem","dynamodb:ConditionCheckItem"],
		 "Resource":["arn:aws:dynamodb:us-east-1:123456789012:table/Orders","arn:aws:dynamodb:us-east-1:123456789012:table/Products"]},
		{"Sid":"KeepProducts","Effect":"Deny","Action":"dynamodb:DeleteItem","Resource":"arn:aws:dynamodb:us-east-1:123456789012:table/Products"}]}`
)

// Cognito identity ids of the customers, and of an owner of orders no
// principal stands for.
const (
	guestSub = "us-east-1:00000000-0000-4000-8000-00000000000a"
	aliceSub = "us-east-1:11111111-1111-4111-8111-111111111111"
	bobSub   = "us-east-1:22222222-2222-4222-8222-222222222222"
	carolSub = "us-east-1:33333333-3333-4333-8333-333333333333"
)

// fuzzAdmin is the access key of the fixture's own requests: the
// Authorizer allows it everything and does not record its accesses.
const fuzzAdmin = "AKIDFUZZADMIN"

// authPrincipal is a caller of the fuzzed requests.
type authPrincipal struct {
	name string
	// akid is the access key the request is signed with; "" sends it
	// unsigned.
	akid string
	// arn is the principal the Authorizer names in denials; "" leaves
	// the store's default (an IAM user named after the access key).
	arn string
	// sub is the caller's ${cognito-identity.amazonaws.com:sub}.
	sub string
	// policies are the caller's identity-based policies; nil means the
	// access key is unknown and every access is denied.
	policies []*localiam.Policy
	writer   bool
}

func authPrincipals() []*authPrincipal {
	read, own, write := localiam.MustParse(fuzzReadProducts), localiam.MustParse(fuzzOwnOrders), localiam.MustParse(fuzzWriter)
	role := func(name, session string) string {
		return "arn:aws:sts::" + fuzzAccount + ":assumed-role/" + name + "/" + session
	}
	return []*authPrincipal{
		{name: "guest", akid: "ASIAGUEST", arn: role("guest", "CognitoIdentityCredentials"), sub: guestSub, policies: []*localiam.Policy{read}},
		{name: "alice", akid: "ASIAALICE", arn: role("shopper", "CognitoIdentityCredentials"), sub: aliceSub, policies: []*localiam.Policy{read, own}},
		{name: "bob", akid: "ASIABOB", arn: role("shopper", "CognitoIdentityCredentials"), sub: bobSub, policies: []*localiam.Policy{read, own}},
		{name: "writer", akid: "AKIAWRITER", arn: role("purchase", "faasport"), policies: []*localiam.Policy{write}, writer: true},
		{name: "stranger", akid: "AKIASTRANGER"},
		{name: "anonymous"},
	}
}

// accessRecord is one decision of the fixture's Authorizer.
type accessRecord struct {
	caller, action, resource, table, index string
	leadingKeys                            []string
	allowed, explicit                      bool
	// problem says what was wrong with the Access itself, "" if nothing.
	problem string
}

// key renders what the store asked about, for comparison with what a
// request should make it ask.
func (r accessRecord) key() string {
	return r.action + " " + r.table + " " + r.index + " " + strings.Join(r.leadingKeys, "|")
}

// authFixture is a store under the policies above, with Products and
// Orders tables and a fixed set of items, restored after every request
// that changed them.
type authFixture struct {
	s          *Store
	h          http.Handler
	principals []*authPrincipal
	byKey      map[string]*authPrincipal

	mu  sync.Mutex
	log []accessRecord

	// seed holds the items of each table as seeded.
	seed map[string][]attrMap
	// baseline holds the rows of the store's SQLite tables as seeded.
	baseline map[string][][]any
}

// authSchemas are the key attributes of the fixture's tables and indexes:
// hash, then range ("" if none).
var authSchemas = map[string][2]string{
	"Products":            {"id", ""},
	"Products/byCategory": {"cat", ""},
	"Orders":              {"userId", "orderId"},
	"Orders/byStatus":     {"userId", "status"},
	"Orders/byProduct":    {"productId", "orderId"},
}

func authSchema(table, index string) (hash, rng string) {
	k := table
	if index != "" {
		k += "/" + index
	}
	s, ok := authSchemas[k]
	if !ok {
		return "id", ""
	}
	return s[0], s[1]
}

func newAuthFixture(tb testing.TB) *authFixture {
	fx := &authFixture{principals: authPrincipals(), byKey: map[string]*authPrincipal{}}
	for _, p := range fx.principals {
		fx.byKey[p.akid] = p
	}
	s, err := Open(":memory:", &Options{Authorizer: fx.authorize, AccountID: fuzzAccount, TTLSweepInterval: -1})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	fx.s, fx.h = s, s.Handler()
	admin := &authPrincipal{name: "admin", akid: fuzzAdmin}
	setup := []struct{ op, body string }{
		{"CreateTable", `{"TableName":"Products","BillingMode":"PAY_PER_REQUEST",
			"KeySchema":[{"AttributeName":"id","KeyType":"HASH"}],
			"AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"},{"AttributeName":"cat","AttributeType":"S"}],
			"GlobalSecondaryIndexes":[{"IndexName":"byCategory","KeySchema":[{"AttributeName":"cat","KeyType":"HASH"}],"Projection":{"ProjectionType":"ALL"}}]}`},
		{"CreateTable", `{"TableName":"Orders","BillingMode":"PAY_PER_REQUEST",
			"KeySchema":[{"AttributeName":"userId","KeyType":"HASH"},{"AttributeName":"orderId","KeyType":"RANGE"}],
			"AttributeDefinitions":[{"AttributeName":"userId","AttributeType":"S"},{"AttributeName":"orderId","AttributeType":"S"},
				{"AttributeName":"status","AttributeType":"S"},{"AttributeName":"productId","AttributeType":"S"}],
			"LocalSecondaryIndexes":[{"IndexName":"byStatus","KeySchema":[{"AttributeName":"userId","KeyType":"HASH"},{"AttributeName":"status","KeyType":"RANGE"}],"Projection":{"ProjectionType":"KEYS_ONLY"}}],
			"GlobalSecondaryIndexes":[{"IndexName":"byProduct","KeySchema":[{"AttributeName":"productId","KeyType":"HASH"},{"AttributeName":"orderId","KeyType":"RANGE"}],"Projection":{"ProjectionType":"ALL"}}]}`},
	}
	seed := map[string][]string{
		"Products": {
			`{"id":{"S":"p1"},"cat":{"S":"fish"},"name":{"S":"Goldfish"},"price":{"N":"3"}}`,
			`{"id":{"S":"p2"},"cat":{"S":"bird"},"name":{"S":"Parrot"},"stock":{"N":"5"},"tags":{"SS":["green","loud"]}}`,
		},
		"Orders": {
			`{"userId":{"S":"` + aliceSub + `"},"orderId":{"S":"a-1"},"status":{"S":"open"},"productId":{"S":"p1"},"note":{"S":"alice 1"},"qty":{"N":"1"}}`,
			`{"userId":{"S":"` + aliceSub + `"},"orderId":{"S":"a-2"},"status":{"S":"shipped"},"productId":{"S":"p2"},"lines":{"L":[{"M":{"sku":{"S":"alice-sku"}}}]},"addr":{"M":{"city":{"S":"Alicetown"}}}}`,
			`{"userId":{"S":"` + bobSub + `"},"orderId":{"S":"b-1"},"status":{"S":"open"},"productId":{"S":"p1"},"note":{"S":"bob 1"},"qty":{"N":"2"}}`,
			`{"userId":{"S":"` + carolSub + `"},"orderId":{"S":"c-1"},"status":{"S":"paid"},"productId":{"S":"p2"},"note":{"S":"carol 1"}}`,
		},
	}
	fx.seed = map[string][]attrMap{}
	for _, table := range sortedKeys(seed) {
		for _, it := range seed[table] {
			setup = append(setup, struct{ op, body string }{"PutItem", `{"TableName":"` + table + `","Item":` + it + `}`})
			fx.seed[table] = append(fx.seed[table], mustItem(tb, it))
		}
	}
	for _, c := range setup {
		if code, body := fx.do(tb, admin, c.op, []byte(c.body)); code != http.StatusOK {
			tb.Fatalf("%s: %d %s", c.op, code, body)
		}
	}
	fx.baseline = fx.rows(tb)
	return fx
}

// authorize is the fixture's Authorizer: it evaluates the caller's
// policies as the emulator does, and records the decision.
func (fx *authFixture) authorize(ctx context.Context, a *Access) error {
	if a.Caller == fuzzAdmin {
		return nil
	}
	rec := accessRecord{caller: a.Caller, action: a.Action, resource: a.Resource, table: a.Table, index: a.Index, leadingKeys: a.LeadingKeys}
	want := "arn:aws:dynamodb:us-east-1:" + fuzzAccount + ":table/" + a.Table
	if a.Index != "" {
		want += "/index/" + a.Index
	}
	switch {
	case a.Resource != want:
		rec.problem = fmt.Sprintf("Resource %q, want %q", a.Resource, want)
	case a.Request == nil:
		rec.problem = "no Request"
	case a.Request.Header.Get("Authorization") == "" && a.Caller != "":
		rec.problem = fmt.Sprintf("unsigned request has Caller %q", a.Caller)
	}
	p := fx.byKey[a.Caller]
	var err error
	if p == nil || p.policies == nil {
		err = errors.New("localdynamo fuzz: unknown access key")
	} else {
		var vars map[string]string
		if p.sub != "" {
			vars = map[string]string{"cognito-identity.amazonaws.com:sub": p.sub}
		}
		d := localiam.Evaluate(localiam.Request{
			Action:   a.Action,
			Resource: a.Resource,
			Context: map[string][]string{
				"dynamodb:LeadingKeys":            a.LeadingKeys,
				"dynamodb:Attributes":             a.Attributes,
				"dynamodb:Select":                 optional(a.Select),
				"dynamodb:ReturnValues":           optional(a.ReturnValues),
				"dynamodb:ReturnConsumedCapacity": optional(a.ReturnConsumedCapacity),
				"dynamodb:EnclosingOperation":     optional(a.EnclosingOperation),
			},
			Variables: vars,
		}, p.policies...)
		rec.allowed, rec.explicit = d.Allowed, d.ExplicitDeny()
		if !d.Allowed {
			reason := "because no identity-based policy allows the " + a.Action + " action"
			if d.ExplicitDeny() {
				reason = "with an explicit deny in an identity-based policy"
			}
			err = &AccessDeniedError{Principal: p.arn, Reason: reason}
		}
	}
	fx.mu.Lock()
	fx.log = append(fx.log, rec)
	fx.mu.Unlock()
	return err
}

func optional(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}

// fuzzSigner signs requests as the AWS SDK does.
var fuzzSigner = v4.NewSigner()

// do sends one request as p, signed if p has an access key, and returns the
// status and body of the answer.
func (fx *authFixture) do(tb testing.TB, p *authPrincipal, op string, body []byte) (int, []byte) {
	req := httptest.NewRequest(http.MethodPost, "http://localhost:8000/", bytes.NewReader(body))
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("X-Amz-Target", targetPrefix+op)
	if p.akid != "" {
		sum := sha256.Sum256(body)
		creds := aws.Credentials{AccessKeyID: p.akid, SecretAccessKey: "fuzz-secret"}
		if err := fuzzSigner.SignHTTP(context.Background(), creds, req, hex.EncodeToString(sum[:]), "dynamodb", "us-east-1", time.Unix(1_750_000_000, 0)); err != nil {
			tb.Fatal(err)
		}
	}
	rec := httptest.NewRecorder()
	fx.h.ServeHTTP(rec, req)
	return rec.Code, rec.Body.Bytes()
}

// fuzzRowTables are the store's SQLite tables. restore rewrites all but
// the first, the table definitions, which no data request changes.
var fuzzRowTables = []string{"ddb_tables", "ddb_items", "ddb_index_items", "ddb_tokens"}

// rows reads every row of the store's SQLite tables.
func (fx *authFixture) rows(tb testing.TB) map[string][][]any {
	out := map[string][][]any{}
	for _, name := range fuzzRowTables {
		rs, err := fx.s.db.Query("SELECT * FROM " + name)
		if err != nil {
			tb.Fatal(err)
		}
		cols, _ := rs.Columns()
		for rs.Next() {
			row := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range row {
				ptrs[i] = &row[i]
			}
			if err := rs.Scan(ptrs...); err != nil {
				tb.Fatal(err)
			}
			out[name] = append(out[name], row)
		}
		if err := rs.Err(); err != nil {
			tb.Fatal(err)
		}
		rs.Close()
	}
	return out
}

// rowSet renders rows as text, one string per row.
func rowSet(rows map[string][][]any) map[string]bool {
	set := map[string]bool{}
	for name, rs := range rows {
		for _, r := range rs {
			set[fmt.Sprintf("%s %#v", name, r)] = true
		}
	}
	return set
}

// restore puts the store's rows back as they were seeded.
func (fx *authFixture) restore(tb testing.TB) {
	tx, err := fx.s.db.Begin()
	if err != nil {
		tb.Fatal(err)
	}
	defer tx.Rollback()
	for _, name := range fuzzRowTables[1:] {
		if _, err := tx.Exec("DELETE FROM " + name); err != nil {
			tb.Fatal(err)
		}
		for _, r := range fx.baseline[name] {
			q := "INSERT INTO " + name + " VALUES (?" + strings.Repeat(",?", len(r)-1) + ")"
			if _, err := tx.Exec(q, r...); err != nil {
				tb.Fatal(err)
			}
		}
	}
	if err := tx.Commit(); err != nil {
		tb.Fatal(err)
	}
}

// changedItems lists the items a request added, replaced or removed, as
// "table leading-key".
func (fx *authFixture) changedItems(tb testing.TB, before, after map[string][][]any) []string {
	names := map[int64]string{}
	fx.s.mu.RLock()
	for name, t := range fx.s.tables {
		names[t.id] = name
	}
	fx.s.mu.RUnlock()
	count := map[string]int{}
	for _, rs := range [][][]any{before["ddb_items"], after["ddb_items"]} {
		for _, r := range rs {
			count[fmt.Sprintf("%#v", r)]++
		}
	}
	var out []string
	for _, rs := range [][][]any{before["ddb_items"], after["ddb_items"]} {
		for _, r := range rs {
			if count[fmt.Sprintf("%#v", r)] == 2 {
				continue
			}
			// Columns: t, hh, h, r, exp, doc.
			id, _ := r[0].(int64)
			doc, _ := r[5].([]byte)
			it, err := decodeItem(doc)
			if err != nil {
				tb.Fatalf("stored item %q: %v", doc, err)
			}
			name := names[id]
			hash, _ := authSchema(name, "")
			lead := "?"
			if v := it[hash]; v != nil {
				lead = keyString(v)
			}
			out = append(out, name+" "+lead)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// authGen builds a request from the fuzzer's input: choices steers the
// shape, and name, key and expr are free text put in places where
// the shape allows.
type authGen struct {
	choices         []byte
	name, key, expr string
	// wantKnown is false once the request holds something whose accesses
	// cannot be predicted (a fuzzed key condition).
	wantKnown bool
	want      []string
}

func (g *authGen) pick(n int) int {
	if len(g.choices) == 0 {
		return 0
	}
	c := g.choices[0]
	g.choices = g.choices[1:]
	return int(c) % n
}

func (g *authGen) table() string {
	return [...]string{"Orders", "Products", g.name}[g.pick(3)]
}

func (g *authGen) index(table string) string {
	switch g.pick(4) {
	case 1:
		if table == "Products" {
			return "byCategory"
		}
		return "byStatus"
	case 2:
		return "byProduct"
	case 3:
		return g.name
	}
	return ""
}

func (g *authGen) partition() string {
	return [...]string{aliceSub, bobSub, carolSub, guestSub, "p1", "p2", g.key}[g.pick(7)]
}

func (g *authGen) sortKey() string {
	return [...]string{"a-1", "a-2", "b-1", "c-1", g.key}[g.pick(5)]
}

// scalar is s as an AttributeValue, mostly a string.
func (g *authGen) scalar(s string) map[string]any {
	switch g.pick(16) {
	case 14:
		return map[string]any{"N": s}
	case 15:
		return map[string]any{"B": base64.StdEncoding.EncodeToString([]byte(s))}
	}
	return map[string]any{"S": s}
}

func str(s string) map[string]any { return map[string]any{"S": s} }

// itemKey makes a key of table, sometimes malformed.
func (g *authGen) itemKey(table string) map[string]any {
	hash, rng := authSchema(table, "")
	k := map[string]any{hash: g.scalar(g.partition())}
	if rng != "" && g.pick(8) != 7 {
		k[rng] = g.scalar(g.sortKey())
	}
	if g.pick(16) == 15 {
		k["extra"] = str("x")
	}
	return k
}

// item makes an item of table: a key and some attributes.
func (g *authGen) item(table string) map[string]any {
	it := g.itemKey(table)
	attrs := []struct {
		name string
		val  func() map[string]any
	}{
		{"status", func() map[string]any { return str([...]string{"open", "shipped", g.key}[g.pick(3)]) }},
		{"productId", func() map[string]any { return str([...]string{"p1", "p2", g.key}[g.pick(3)]) }},
		{"cat", func() map[string]any { return g.scalar("fish") }},
		{"note", func() map[string]any { return str(g.key) }},
		{"qty", func() map[string]any { return map[string]any{"N": "1"} }},
	}
	for _, a := range attrs {
		if g.pick(2) == 1 {
			it[a.name] = a.val()
		}
	}
	return it
}

// expression fills a slot: nothing (when optional), one of the usual
// expressions, or the fuzzer's.
func (g *authGen) expression(optional bool, usual ...string) *string {
	n := g.pick(4)
	switch {
	case n == 0 && optional:
		return nil
	case n == 3:
		return &g.expr
	}
	return &usual[g.pick(len(usual))]
}

var exprRefs = regexp.MustCompile(`[#:][A-Za-z0-9_]+`)

// exprAttrs adds to m the ExpressionAttributeNames and Values the
// expressions refer to, from a fixed vocabulary: #pk and #sk name the key
// of the table or index, :pk and :sk hold a partition and a sort key.
func (g *authGen) exprAttrs(m map[string]any, table, index string, exprs ...*string) (pk map[string]any) {
	hash, rng := authSchema(table, index)
	if rng == "" {
		rng = "orderId"
	}
	names := map[string]string{"#pk": hash, "#sk": rng, "#s": "status", "#n": "note", "#k": g.key}
	pk = g.scalar(g.partition())
	values := map[string]any{
		":pk": pk, ":sk": str(g.sortKey()), ":v": str(g.key), ":one": map[string]any{"N": "1"},
		":open": str("open"), ":lo": str("a"), ":hi": str("z"),
	}
	usedNames, usedValues := map[string]any{}, map[string]any{}
	for _, e := range exprs {
		if e == nil {
			continue
		}
		for _, ref := range exprRefs.FindAllString(*e, -1) {
			if n, ok := names[ref]; ok {
				usedNames[ref] = n
			}
			if v, ok := values[ref]; ok {
				usedValues[ref] = v
			}
		}
	}
	if len(usedNames) > 0 {
		m["ExpressionAttributeNames"] = usedNames
	}
	if len(usedValues) > 0 {
		m["ExpressionAttributeValues"] = usedValues
	}
	return pk
}

func setExpr(m map[string]any, field string, e *string) {
	if e != nil {
		m[field] = *e
	}
}

// expect records an access the request should make the store ask about.
func (g *authGen) expect(action, table, index string, key map[string]any) {
	hash, _ := authSchema(table, index)
	v, _ := key[hash].(map[string]any)
	g.want = append(g.want, action+" "+table+" "+index+" "+leadOf(v))
}

var authOps = []string{"GetItem", "Query", "Scan", "PutItem", "UpdateItem", "DeleteItem", "BatchGetItem", "BatchWriteItem", "TransactWriteItems", "TransactGetItems"}

var (
	usualKeyConds    = []string{"#pk = :pk", "#pk = :pk AND #sk BETWEEN :lo AND :hi", ":pk = #pk", "#pk = :pk AND begins_with(#sk, :lo)"}
	usualFilters     = []string{"attribute_exists(#s)", "#s = :open", "contains(note, :v)"}
	usualProjections = []string{"#s, note", "orderId, lines[0].sku, addr.city", "id, cat, tags", "#pk"}
	usualConditions  = []string{"attribute_exists(#pk)", "attribute_not_exists(#pk)", "#s = :open"}
	usualUpdates     = []string{"SET #s = :open", "ADD qty :one", "REMOVE note", "SET note = :v"}
)

// request builds the body of op. It also returns, for reads, where the
// items of the answer come from: the table (and index) of GetItem, Query
// and Scan, and the table of each TransactGetItems item.
func (g *authGen) request(op string) (body map[string]any, table, index string, getTables []string) {
	g.wantKnown = true
	m := map[string]any{}
	switch op {
	case "GetItem":
		table = g.table()
		key := g.itemKey(table)
		m["TableName"], m["Key"] = table, key
		proj := g.expression(true, usualProjections...)
		setExpr(m, "ProjectionExpression", proj)
		g.exprAttrs(m, table, "", proj)
		g.expect("dynamodb:GetItem", table, "", key)
	case "Query", "Scan":
		table = g.table()
		index = g.index(table)
		m["TableName"] = table
		if index != "" {
			m["IndexName"] = index
		}
		var kc *string
		if op == "Query" {
			kc = g.expression(false, usualKeyConds...)
			setExpr(m, "KeyConditionExpression", kc)
		}
		filter := g.expression(true, usualFilters...)
		proj := g.expression(true, usualProjections...)
		setExpr(m, "FilterExpression", filter)
		setExpr(m, "ProjectionExpression", proj)
		if g.pick(4) == 3 {
			m["Limit"] = 1 + g.pick(3)
		}
		if g.pick(4) == 3 {
			m["Select"] = [...]string{"COUNT", "ALL_ATTRIBUTES", "ALL_PROJECTED_ATTRIBUTES", "SPECIFIC_ATTRIBUTES"}[g.pick(4)]
		}
		if g.pick(8) == 7 {
			esk := g.itemKey(table)
			if h, r := authSchema(table, index); index != "" {
				esk[h] = g.scalar(g.partition())
				if r != "" {
					esk[r] = g.scalar(g.sortKey())
				}
			}
			m["ExclusiveStartKey"] = esk
		}
		if op == "Scan" && g.pick(4) == 3 {
			m["TotalSegments"] = 1 + g.pick(3)
			m["Segment"] = g.pick(3)
		}
		pk := g.exprAttrs(m, table, index, kc, filter, proj)
		if op == "Scan" {
			g.want = append(g.want, "dynamodb:Scan "+table+" "+index+" ")
		} else if kc != &g.expr {
			g.want = append(g.want, "dynamodb:Query "+table+" "+index+" "+leadOf(pk))
		} else {
			g.wantKnown = false
		}
	case "PutItem", "UpdateItem", "DeleteItem":
		table = g.table()
		m["TableName"] = table
		var key map[string]any
		var update *string
		if op == "PutItem" {
			key = g.item(table)
			m["Item"] = key
		} else {
			key = g.itemKey(table)
			m["Key"] = key
		}
		if op == "UpdateItem" {
			update = g.expression(false, usualUpdates...)
			setExpr(m, "UpdateExpression", update)
		}
		cond := g.expression(true, usualConditions...)
		setExpr(m, "ConditionExpression", cond)
		if g.pick(4) == 3 {
			m["ReturnValues"] = [...]string{"ALL_OLD", "ALL_NEW", "UPDATED_OLD", "UPDATED_NEW", "NONE"}[g.pick(5)]
		}
		if g.pick(4) == 3 {
			m["ReturnValuesOnConditionCheckFailure"] = "ALL_OLD"
		}
		g.exprAttrs(m, table, "", update, cond)
		g.expect("dynamodb:"+op, table, "", key)
	case "BatchGetItem":
		items := map[string]any{}
		for range 1 + g.pick(2) {
			table := g.table()
			ka, _ := items[table].(map[string]any)
			if ka == nil {
				ka = map[string]any{}
				items[table] = ka
			}
			keys, _ := ka["Keys"].([]any)
			for range 1 + g.pick(3) {
				k := g.itemKey(table)
				keys = append(keys, k)
				g.expect("dynamodb:BatchGetItem", table, "", k)
			}
			ka["Keys"] = keys
			if _, ok := ka["ProjectionExpression"]; !ok {
				proj := g.expression(true, usualProjections...)
				setExpr(ka, "ProjectionExpression", proj)
				g.exprAttrs(ka, table, "", proj)
			}
		}
		m["RequestItems"] = items
	case "BatchWriteItem":
		items := map[string]any{}
		for range 1 + g.pick(2) {
			table := g.table()
			reqs, _ := items[table].([]any)
			for range 1 + g.pick(3) {
				if g.pick(2) == 0 {
					it := g.item(table)
					reqs = append(reqs, map[string]any{"PutRequest": map[string]any{"Item": it}})
					g.expect("dynamodb:BatchWriteItem", table, "", it)
				} else {
					k := g.itemKey(table)
					reqs = append(reqs, map[string]any{"DeleteRequest": map[string]any{"Key": k}})
					g.expect("dynamodb:BatchWriteItem", table, "", k)
				}
			}
			items[table] = reqs
		}
		m["RequestItems"] = items
	case "TransactWriteItems":
		var list []any
		for range 1 + g.pick(4) {
			table := g.table()
			x := map[string]any{"TableName": table}
			kind := [...]string{"ConditionCheck", "Put", "Delete", "Update"}[g.pick(4)]
			action := map[string]string{"ConditionCheck": "dynamodb:ConditionCheckItem", "Put": "dynamodb:PutItem", "Delete": "dynamodb:DeleteItem", "Update": "dynamodb:UpdateItem"}[kind]
			var key map[string]any
			if kind == "Put" {
				key = g.item(table)
				x["Item"] = key
			} else {
				key = g.itemKey(table)
				x["Key"] = key
			}
			var update *string
			if kind == "Update" {
				update = g.expression(false, usualUpdates...)
				setExpr(x, "UpdateExpression", update)
			}
			cond := g.expression(kind != "ConditionCheck", usualConditions...)
			setExpr(x, "ConditionExpression", cond)
			if g.pick(4) == 3 {
				x["ReturnValuesOnConditionCheckFailure"] = "ALL_OLD"
			}
			g.exprAttrs(x, table, "", update, cond)
			g.expect(action, table, "", key)
			list = append(list, map[string]any{kind: x})
		}
		m["TransactItems"] = list
		if g.pick(4) == 3 {
			m["ClientRequestToken"] = "token-" + g.name
		}
	case "TransactGetItems":
		var list []any
		for range 1 + g.pick(3) {
			table := g.table()
			key := g.itemKey(table)
			x := map[string]any{"TableName": table, "Key": key}
			proj := g.expression(true, usualProjections...)
			setExpr(x, "ProjectionExpression", proj)
			g.exprAttrs(x, table, "", proj)
			g.expect("dynamodb:GetItem", table, "", key)
			getTables = append(getTables, table)
			list = append(list, map[string]any{"Get": x})
		}
		m["TransactItems"] = list
	}
	return m, table, index, getTables
}

// leadOf renders an AttributeValue as dynamodb:LeadingKeys holds it.
func leadOf(v map[string]any) string {
	b, _ := json.Marshal(map[string]any{"k": v})
	var it attrMap
	if json.Unmarshal(b, &it) != nil || it["k"] == nil {
		return "?"
	}
	return keyString(it["k"])
}

// subsumes reports whether got could be a projection of stored: the same
// scalars, the maps' members, the lists' elements in order.
func subsumes(stored, got *value) bool {
	if stored == nil || got == nil || stored.t != got.t {
		return false
	}
	switch got.t {
	case typeM:
		return subsumesItem(stored.m, got.m)
	case typeL:
		j := 0
		for _, e := range got.l {
			for j < len(stored.l) && !subsumes(stored.l[j], e) {
				j++
			}
			if j == len(stored.l) {
				return false
			}
			j++
		}
		return true
	}
	return bytes.Equal(appendValue(nil, stored), appendValue(nil, got))
}

func subsumesItem(stored, got attrMap) bool {
	for k, v := range got {
		if !subsumes(stored[k], v) {
			return false
		}
	}
	return true
}

// authOutput holds the items of any read operation's answer.
type authOutput struct {
	Item      attrMap         `json:"Item"`
	Items     []attrMap       `json:"Items"`
	Responses json.RawMessage `json:"Responses"`
}

// authSeeds are the seed inputs: every operation as every principal,
// with the usual choices (the first of each: Orders, alice's order a-1),
// with a customer's key swapped for another's, and with pseudo-random
// choices.
func authSeeds() []authSeed {
	exprs := []string{"orderId, note", "userId = :pk AND orderId BETWEEN :lo AND :hi", "attribute_exists(#s)", "SET note = :v REMOVE qty", "ADD qty :one", "begins_with(orderId, :lo)"}
	rng := rand.New(rand.NewPCG(1, 2))
	var seeds []authSeed
	for op := range len(authOps) {
		for who := range len(authPrincipals()) {
			for i := range 4 {
				s := authSeed{who: uint8(who), op: uint8(op), name: "Products", key: "p1", expr: exprs[(op+i)%len(exprs)]}
				switch i {
				case 1:
					s.choices = []byte{0, 1, 0, 0, 1}
				case 2, 3:
					s.choices = make([]byte, 32)
					for j := range s.choices {
						s.choices[j] = byte(rng.UintN(256))
					}
				}
				seeds = append(seeds, s)
			}
		}
	}
	return seeds
}

type authSeed struct {
	who, op         uint8
	choices         []byte
	name, key, expr string
}

// FuzzAuthorizedRequest sends fuzzed data-plane requests as several
// principals to a store under access rules. Whatever the request: no
// panic and no 5xx; the store asks about an access exactly when the
// request touches it, and a denial (of any item of a batch or transaction)
// answers AccessDeniedException in AWS's words and changes nothing; a
// failed request, or a request by anyone but the writer, changes nothing;
// a write changes only items it was allowed to write; and a read returns
// only items from the partitions it was allowed to read, so a customer
// never sees another customer's order.
func FuzzAuthorizedRequest(f *testing.F) {
	for _, s := range authSeeds() {
		f.Add(s.who, s.op, s.choices, s.name, s.key, s.expr)
	}
	fx := newAuthFixture(f)
	f.Fuzz(func(t *testing.T, who, opn uint8, choices []byte, name, key, expr string) {
		p := fx.principals[int(who)%len(fx.principals)]
		op := authOps[int(opn)%len(authOps)]
		g := &authGen{choices: choices, name: name, key: key, expr: expr}
		m, table, index, getTables := g.request(op)
		body, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		fx.mu.Lock()
		fx.log = nil
		fx.mu.Unlock()
		code, resp := fx.do(t, p, op, body)
		after := fx.rows(t)
		fx.mu.Lock()
		log := fx.log
		fx.mu.Unlock()
		changed := fx.changedItems(t, fx.baseline, after)
		before, now := rowSet(fx.baseline), rowSet(after)
		stateChanged := !maps.Equal(before, now)
		if stateChanged {
			defer fx.restore(t)
		}
		if !slices.EqualFunc(fx.baseline["ddb_tables"], after["ddb_tables"], func(a, b []any) bool { return fmt.Sprintf("%#v", a) == fmt.Sprintf("%#v", b) }) {
			t.Fatalf("%s as %s changed table definitions", op, p.name)
		}
		desc := fmt.Sprintf("%s as %s: %s\n", op, p.name, body)

		var out map[string]json.RawMessage
		if err := json.Unmarshal(resp, &out); err != nil {
			t.Fatalf("%sanswer %d %q is not a JSON object", desc, code, resp)
		}
		if code >= 500 {
			t.Fatalf("%sanswer %d %s", desc, code, resp)
		}
		for _, r := range log {
			if r.problem != "" {
				t.Fatalf("%saccess %s: %s", desc, r.key(), r.problem)
			}
			if r.caller != p.akid {
				t.Fatalf("%saccess %s by caller %q, want %q", desc, r.key(), r.caller, p.akid)
			}
		}

		// A denial stops the request: it is the last access asked about,
		// and the answer is AccessDeniedException naming it.
		denied := -1
		for i, r := range log {
			if !r.allowed {
				denied = i
				break
			}
		}
		var apiErr struct {
			Type    string `json:"__type"`
			Message string `json:"message"`
		}
		json.Unmarshal(resp, &apiErr)
		if isDenied := apiErr.Type == "com.amazon.coral.service#AccessDeniedException"; isDenied != (denied >= 0) {
			t.Fatalf("%sanswer %d %s after accesses %v", desc, code, resp, logKeys(log))
		}
		if denied >= 0 {
			if denied != len(log)-1 {
				t.Fatalf("%saccesses %v asked about after the denial of %s", desc, logKeys(log[denied+1:]), log[denied].key())
			}
			r := log[denied]
			principal := p.arn
			if principal == "" {
				who := p.akid
				if who == "" {
					who = "anonymous"
				}
				principal = "arn:aws:iam::" + fuzzAccount + ":user/" + who
			}
			want := localiam.AccessDeniedMessage(principal, r.action, r.resource, r.explicit)
			if code != http.StatusBadRequest || apiErr.Message != want {
				t.Fatalf("%sdenial = %d %q, want 400 %q", desc, code, apiErr.Message, want)
			}
		}

		// Only a successful write by the writer changes anything, and only
		// the items it was allowed to write.
		if stateChanged {
			switch {
			case code != http.StatusOK:
				t.Fatalf("%sanswer %d %s, yet items changed: %v", desc, code, resp, changed)
			case !p.writer:
				t.Fatalf("%s%s is no writer, yet items changed: %v", desc, p.name, changed)
			}
			writable := map[string]bool{}
			for _, r := range log {
				switch r.action {
				case "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem":
					if r.allowed && len(r.leadingKeys) == 1 {
						writable[r.table+" "+r.leadingKeys[0]] = true
					}
				}
			}
			for _, c := range changed {
				if !writable[c] {
					t.Fatalf("%sitem %s changed, but the writes allowed were %v", desc, c, sortedKeys(writable))
				}
			}
		}
		if code != http.StatusOK {
			return
		}

		// A successful request asked about exactly the items it touches.
		if g.wantKnown {
			got := logKeys(log)
			slices.Sort(got)
			want := slices.Clone(g.want)
			slices.Sort(want)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Fatalf("%saccesses (-want +got):\n%s", desc, diff)
			}
		}

		// Every item read comes from a partition the request was allowed
		// to read, and a customer's orders are their own.
		var o authOutput
		if err := json.Unmarshal(resp, &o); err != nil {
			t.Fatalf("%sanswer %s: %v", desc, resp, err)
		}
		type read struct {
			table, index string
			item         attrMap
		}
		var reads []read
		if o.Item != nil {
			reads = append(reads, read{table, "", o.Item})
		}
		for _, it := range o.Items {
			reads = append(reads, read{table, index, it})
		}
		switch op {
		case "BatchGetItem":
			var r map[string][]attrMap
			if err := json.Unmarshal(o.Responses, &r); err != nil {
				t.Fatalf("%sResponses %s: %v", desc, o.Responses, err)
			}
			for tbl, items := range r {
				for _, it := range items {
					reads = append(reads, read{tbl, "", it})
				}
			}
		case "TransactGetItems":
			var r []struct {
				Item attrMap `json:"Item"`
			}
			if err := json.Unmarshal(o.Responses, &r); err != nil || len(r) != len(getTables) {
				t.Fatalf("%sResponses %s for %d items: %v", desc, o.Responses, len(getTables), err)
			}
			for i, x := range r {
				if x.Item != nil {
					reads = append(reads, read{getTables[i], "", x.Item})
				}
			}
		}
		for _, rd := range reads {
			if len(rd.item) == 0 {
				continue
			}
			var allowed map[string]bool // nil: any partition
			for _, r := range log {
				if r.table == rd.table && r.leadingKeys != nil {
					if allowed == nil {
						allowed = map[string]bool{}
					}
					allowed[r.leadingKeys[0]] = true
				}
			}
			hash, _ := authSchema(rd.table, rd.index)
			found := false
			for _, stored := range fx.seed[rd.table] {
				if !subsumesItem(stored, rd.item) {
					continue
				}
				if allowed != nil && (stored[hash] == nil || !allowed[keyString(stored[hash])]) {
					continue
				}
				if p.sub != "" && rd.table == "Orders" && keyString(stored["userId"]) != p.sub {
					continue
				}
				found = true
				break
			}
			if !found {
				t.Fatalf("%sread %s from %s: no item of an allowed partition (%v) gives it", desc, appendItem(nil, rd.item), rd.table, sortedKeys(allowed))
			}
		}
	})
}

func logKeys(log []accessRecord) []string {
	out := make([]string, len(log))
	for i, r := range log {
		out[i] = r.key()
	}
	return out
}

// accessKeyIDSeeds are Authorization headers: as the SDK writes them, and
// malformed.
var accessKeyIDSeeds = []string{
	"AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20250601/us-east-1/dynamodb/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=" + strings.Repeat("0f", 32),
	"AWS4-HMAC-SHA256 Credential=a/20250601/r/s/aws4_request,SignedHeaders=host,Signature=" + strings.Repeat("ab", 32),
	"AWS4-HMAC-SHA256 SignedHeaders=host, Signature=" + strings.Repeat("ab", 32) + ", Credential=AKID/20250601/us-east-1/dynamodb/aws4_request",
	"AWS4-HMAC-SHA256 Credential=", "AWS4-HMAC-SHA256 Credential=AKID", "Credential=AKID/x", "Bearer x", "",
	"AWS4-HMAC-SHA256 Credential==/=/=/=/=", "AWS4-HMAC-SHA256 ,,,",
	"AWS4-HMAC-SHA256 Credential = AK ID/20250601/r/s/aws4_request, SignedHeaders=host, Signature=" + strings.Repeat("0f", 32),
	"AWS4-HMAC-SHA256 Credential=\u00a0AKID/20250601/r/s/aws4_request, SignedHeaders=host, Signature=" + strings.Repeat("0f", 32),
}

// FuzzAccessKeyID feeds arbitrary Authorization headers to accessKeyID: it
// never panics, and names the access key verify.ParseSigV4Authorization
// finds in every header that parser accepts, so that the caller an
// Authorizer sees is the one a verifier in front of the store checked.
func FuzzAccessKeyID(f *testing.F) {
	for _, s := range accessKeyIDSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, header string) {
		got := accessKeyID(header)
		a, err := verify.ParseSigV4Authorization(header)
		if err != nil {
			return
		}
		if got != a.AccessKeyID {
			t.Fatalf("accessKeyID(%q) = %q, verify.ParseSigV4Authorization finds %q", header, got, a.AccessKeyID)
		}
	})
}

func TestAccessKeyID(t *testing.T) {
	sig := strings.Repeat("0f", 32)
	tests := []struct {
		name, header, want string
	}{
		{"as the SDK signs", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20250601/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=" + sig, "AKIDEXAMPLE"},
		{"no spaces after commas", "AWS4-HMAC-SHA256 Credential=AKID/20250601/us-east-1/dynamodb/aws4_request,SignedHeaders=host,Signature=" + sig, "AKID"},
		{"credential last", "AWS4-HMAC-SHA256 SignedHeaders=host, Signature=" + sig + ", Credential=AKID/20250601/us-east-1/dynamodb/aws4_request", "AKID"},
		{"space after the equals sign", "AWS4-HMAC-SHA256 Credential= AKID/20250601/r/s/aws4_request, SignedHeaders=host, Signature=" + sig, "AKID"},
		{"space before the equals sign", "AWS4-HMAC-SHA256 Credential =AKID/20250601/r/s/aws4_request, SignedHeaders=host, Signature=" + sig, "AKID"},
		{"space inside the key", "AWS4-HMAC-SHA256 Credential=AK ID/20250601/r/s/aws4_request, SignedHeaders=host, Signature=" + sig, "AK ID"},
		{"no-break space before the key", "AWS4-HMAC-SHA256 Credential=\u00a0AKID/20250601/r/s/aws4_request, SignedHeaders=host, Signature=" + sig, "AKID"},
		{"other algorithm", "AWS4-ECDSA-P256-SHA256 Credential=AKID/20250601/dynamodb/aws4_request, SignedHeaders=host, Signature=" + sig, "AKID"},
		{"credential without scope", "AWS4-HMAC-SHA256 Credential=AKID", "AKID"},
		{"credential inside another element", "AWS4-HMAC-SHA256 SignedHeaders=hostCredential=AKID/x", ""},
		{"no algorithm", "Credential=AKID/20250601/r/s/aws4_request", ""},
		{"bearer token", "Bearer AKID", ""},
		{"unsigned", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := accessKeyID(tc.header); got != tc.want {
				t.Errorf("accessKeyID(%q) = %q, want %q", tc.header, got, tc.want)
			}
			if a, err := verify.ParseSigV4Authorization(tc.header); err == nil && a.AccessKeyID != tc.want {
				t.Errorf("verify.ParseSigV4Authorization(%q) finds %q, want %q", tc.header, a.AccessKeyID, tc.want)
			}
		})
	}
}
