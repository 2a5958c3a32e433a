package localdynamo

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var fuzzSeeds = []string{
	"a = :s", "a <> :s AND b < :n OR NOT c >= :n", "#n.kid[3].#a = :s", "a BETWEEN :n AND :m",
	"a IN (:s, :t)", "attribute_exists(a) AND begins_with(e, :s)", "size(a) > :n", "((a = :s))",
	"(a) = :s", "a = = :s", "foo(", "a[", "a[99999999999999999999] = :s", "NOT NOT a = :s", ":s = a",
	"SET a = :s, b.c[2] = :n REMOVE x ADD d :n DELETE e :ss", "SET a = if_not_exists(a, :n) + :n",
	"SET l = list_append(if_not_exists(l, :l), :l)", "a, b.c, d[0].e", "pk = :s AND sk BETWEEN :n AND :m",
	"\x00", "é = :s", "#", ":", "a.#", "SET", "REMOVE a[0], a[1]",
	"pk = :s AND begins_with(sk, :s)", "pk = :t AND sk >= :s", ":s = pk AND sk < :m", "sk <= :n AND pk = :s",
	"pk = :s AND :n BETWEEN sk AND :m", "pk = :s AND begins_with(:s, sk)",
	"SET a = :t REMOVE n", "ADD ss :ss, n :n", "DELETE ss :ss", "SET #a = :s, m.k = :n", "l[1], m.k, #a",
}

// FuzzExpressions feeds arbitrary text to every expression parser. Nothing
// may panic, and a condition that does not parse fails with a
// ValidationException. What parses is run twice, directly and through the
// store's API on a fixed item, and both must agree (see exprOracle): an
// update expression through UpdateItem, a projection through GetItem, a
// condition through a conditional PutItem, and a key condition through
// Query, whose key ranges over SQLite must select what the condition
// evaluator selects.
func FuzzExpressions(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	vals := testValues(f)
	it := mustItem(f, exprFuzzItem)
	ks := keySchema{hash: "pk", hashType: "S", rng: "sk", rngType: "N"}
	types := map[string]string{"pk": "S", "sk": "N"}
	o := newExprOracle(f)
	f.Fuzz(func(t *testing.T, expr string) {
		if n, err := parseCondition("ConditionExpression", expr, newExprContext(testNames, vals)); err == nil {
			test(n, it)
			o.checkCondition(t, expr)
		} else if asAPIError(err).code != codeValidation {
			t.Fatalf("parseCondition(%q): %v", expr, err)
		}
		if acts, err := parseUpdate(expr, newExprContext(testNames, vals)); err == nil {
			applyUpdate(acts, it, nil)
			o.checkUpdate(t, expr)
		}
		if paths, err := parseProjection(expr, newExprContext(testNames, vals)); err == nil {
			project(it, paths)
			o.checkProjection(t, expr)
		}
		parseKeyCondition(expr, newExprContext(testNames, vals), ks, types)
		o.checkKeyCondition(t, "keyN", expr)
		o.checkKeyCondition(t, "keyS", expr)
	})
}

// exprFuzzItem is the item expressions are evaluated against.
const exprFuzzItem = `{"a":{"S":"xylophone"},"n":{"N":"3"},"ss":{"SS":["a","b"]},"l":{"L":[{"S":"x"},{"N":"1"}]},"m":{"M":{"k":{"S":"v"}}}}`

// exprOracle runs parsed expressions through a store's API, to compare
// with their direct evaluation. Its tables: "upd" (pk S, sk N, with a
// global secondary index "byA" on a) holds the item under the key
// pk "x", sk 0; "keyN" (pk S, sk N) and "keyS" (pk S, sk S) hold key-only
// items in the partitions "x" and "y", for key conditions. The
// expressions use testNames and testValues; requests carry those the
// expression uses, as DynamoDB requires.
type exprOracle struct {
	s    *Store
	h    http.Handler
	vals map[string]*value
	base attrMap // the item of "upd"
	// keyItems holds the items of "keyN" and "keyS".
	keyItems map[string][]attrMap
}

func newExprOracle(tb testing.TB) *exprOracle {
	s, err := Open(":memory:", &Options{TTLSweepInterval: -1})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	o := &exprOracle{s: s, h: s.Handler(), vals: testValues(tb), keyItems: map[string][]attrMap{}}
	o.base = mustItem(tb, exprFuzzItem)
	o.base["pk"], o.base["sk"] = &value{t: typeS, s: "x"}, mustItem(tb, `{"v":{"N":"0"}}`)["v"]
	tables := []string{
		`{"TableName":"upd","BillingMode":"PAY_PER_REQUEST",
			"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}],
			"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"sk","AttributeType":"N"},{"AttributeName":"a","AttributeType":"S"}],
			"GlobalSecondaryIndexes":[{"IndexName":"byA","KeySchema":[{"AttributeName":"a","KeyType":"HASH"}],"Projection":{"ProjectionType":"KEYS_ONLY"}}]}`,
		`{"TableName":"keyN","BillingMode":"PAY_PER_REQUEST",
			"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}],
			"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"sk","AttributeType":"N"}]}`,
		`{"TableName":"keyS","BillingMode":"PAY_PER_REQUEST",
			"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}],
			"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"sk","AttributeType":"S"}]}`,
	}
	for _, body := range tables {
		o.mustCall(tb, "CreateTable", json.RawMessage(body))
	}
	sortKeys := map[string][]string{
		"keyN": {`{"N":"-10"}`, `{"N":"0"}`, `{"N":"1"}`, `{"N":"1.5"}`, `{"N":"3"}`, `{"N":"5"}`, `{"N":"12"}`},
		"keyS": {`{"S":"a"}`, `{"S":"w"}`, `{"S":"x"}`, `{"S":"xa"}`, `{"S":"xy"}`, `{"S":"y"}`, `{"S":"yz"}`, `{"S":"\u00e9"}`},
	}
	for _, table := range sortedKeys(sortKeys) {
		for _, pk := range []string{"x", "y"} {
			for _, sk := range sortKeys[table] {
				it := mustItem(tb, `{"pk":{"S":"`+pk+`"},"sk":`+sk+`}`)
				o.keyItems[table] = append(o.keyItems[table], it)
				o.mustCall(tb, "PutItem", map[string]any{"TableName": table, "Item": json.RawMessage(appendItem(nil, it))})
			}
		}
	}
	o.reset(tb)
	return o
}

// call sends one request to the store and returns its status and the
// decoded body.
func (o *exprOracle) call(tb testing.TB, op string, body any) (int, map[string]json.RawMessage) {
	b, err := json.Marshal(body)
	if err != nil {
		tb.Fatal(err)
	}
	req := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(b))
	req.Header.Set("X-Amz-Target", targetPrefix+op)
	rec := httptest.NewRecorder()
	o.h.ServeHTTP(rec, req)
	var out map[string]json.RawMessage
	if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil || rec.Code >= 500 {
		tb.Fatalf("%s %s: %d %s", op, b, rec.Code, rec.Body)
	}
	return rec.Code, out
}

func (o *exprOracle) mustCall(tb testing.TB, op string, body any) map[string]json.RawMessage {
	code, out := o.call(tb, op, body)
	if code != http.StatusOK {
		tb.Fatalf("%s: %d %s", op, code, out)
	}
	return out
}

// params returns the ExpressionAttributeNames and Values an expression
// parsed with ctx used, as request fields.
func (o *exprOracle) params(ctx *exprContext) map[string]any {
	m := map[string]any{}
	if len(ctx.usedNames) > 0 {
		names := map[string]string{}
		for k := range ctx.usedNames {
			names[k] = ctx.names[k]
		}
		m["ExpressionAttributeNames"] = names
	}
	if len(ctx.usedValues) > 0 {
		vals := attrMap{}
		for k := range ctx.usedValues {
			vals[k] = ctx.values[k]
		}
		m["ExpressionAttributeValues"] = json.RawMessage(appendItem(nil, vals))
	}
	return m
}

// apiMessage returns the message of an error answer.
func apiMessage(out map[string]json.RawMessage) string {
	var msg string
	json.Unmarshal(out["message"], &msg)
	return msg
}

// itemJSON decodes an item of an answer and encodes it canonically; ""
// when there is none.
func itemJSON(tb testing.TB, raw json.RawMessage) string {
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	var it attrMap
	if err := json.Unmarshal(raw, &it); err != nil {
		tb.Fatalf("item %s: %v", raw, err)
	}
	return string(appendItem(nil, it))
}

// reset puts the fuzzed item back in "upd".
func (o *exprOracle) reset(tb testing.TB) {
	o.mustCall(tb, "PutItem", map[string]any{"TableName": "upd", "Item": json.RawMessage(appendItem(nil, o.base))})
}

func (o *exprOracle) key() json.RawMessage {
	return json.RawMessage(appendItem(nil, attrMap{"pk": o.base["pk"], "sk": o.base["sk"]}))
}

// checkUpdate runs an update expression that parses through UpdateItem:
// the item the store answers (ALL_NEW) and then holds, and its index
// entry, must be what applyUpdate makes of the item, or the error the
// same.
func (o *exprOracle) checkUpdate(t *testing.T, expr string) {
	ctx := newExprContext(testNames, o.vals)
	acts, err := parseUpdate(expr, ctx)
	if err != nil {
		t.Fatalf("parseUpdate(%q) failed the second time: %v", expr, err)
	}
	tbl, err := o.s.table("upd")
	if err != nil {
		t.Fatal(err)
	}
	want, wantErr := "", ""
	if err := checkKeyUpdates(tbl, acts); err != nil {
		wantErr = asAPIError(err).message
	} else if n, err := applyUpdate(acts, o.base, tbl.keyOf(o.base)); err != nil {
		wantErr = asAPIError(err).message
	} else if err := tbl.checkItem(n); err != nil {
		wantErr = asAPIError(err).message
	} else {
		want = string(appendItem(nil, n))
	}
	o.reset(t)
	defer o.reset(t)
	req := o.params(ctx)
	req["TableName"], req["Key"], req["UpdateExpression"], req["ReturnValues"] = "upd", o.key(), expr, "ALL_NEW"
	code, out := o.call(t, "UpdateItem", req)
	if code != http.StatusOK {
		if got := apiMessage(out); got != wantErr || wantErr == "" {
			t.Fatalf("UpdateItem %q: error %q, applyUpdate: %q, error %q", expr, got, want, wantErr)
		}
		return
	}
	if wantErr != "" {
		t.Fatalf("UpdateItem %q succeeded, applyUpdate fails: %q", expr, wantErr)
	}
	if got := itemJSON(t, out["Attributes"]); got != want {
		t.Fatalf("UpdateItem %q ALL_NEW = %s, applyUpdate gives %s", expr, got, want)
	}
	stored := o.mustCall(t, "GetItem", map[string]any{"TableName": "upd", "Key": o.key(), "ConsistentRead": true})
	if got := itemJSON(t, stored["Item"]); got != want {
		t.Fatalf("after UpdateItem %q the item is %s, applyUpdate gives %s", expr, got, want)
	}
	// The index holds the item under its new value of a, and no longer
	// under the old one.
	newItem := mustItem(t, want)
	inIndex := func(a *value) bool {
		out := o.mustCall(t, "Query", map[string]any{"TableName": "upd", "IndexName": "byA", "KeyConditionExpression": "a = :a",
			"ExpressionAttributeValues": json.RawMessage(appendItem(nil, attrMap{":a": a}))})
		var n int
		json.Unmarshal(out["Count"], &n)
		return n == 1
	}
	if a := newItem["a"]; a != nil && !inIndex(a) {
		t.Fatalf("after UpdateItem %q the index byA does not hold the item under %s", expr, valueString(a))
	}
	if old := o.base["a"]; newItem["a"] == nil || !equal(newItem["a"], old) {
		if inIndex(old) {
			t.Fatalf("after UpdateItem %q the index byA still holds the item under %s", expr, valueString(old))
		}
	}
}

// checkProjection runs a projection that parses through GetItem: the
// store must answer what project makes of the item.
func (o *exprOracle) checkProjection(t *testing.T, expr string) {
	ctx := newExprContext(testNames, o.vals)
	paths, err := parseProjection(expr, ctx)
	if err != nil {
		t.Fatalf("parseProjection(%q) failed the second time: %v", expr, err)
	}
	want := string(appendItem(nil, project(o.base, paths)))
	req := o.params(ctx)
	req["TableName"], req["Key"], req["ProjectionExpression"] = "upd", o.key(), expr
	code, out := o.call(t, "GetItem", req)
	if code != http.StatusOK {
		t.Fatalf("GetItem with ProjectionExpression %q: %d %s, project gives %s", expr, code, apiMessage(out), want)
	}
	if got := itemJSON(t, out["Item"]); got != want {
		t.Fatalf("GetItem with ProjectionExpression %q = %s, project gives %s", expr, got, want)
	}
}

// checkCondition runs a condition that parses as the condition of a
// PutItem of the item over itself: it succeeds exactly when test holds
// on the item.
func (o *exprOracle) checkCondition(t *testing.T, expr string) {
	ctx := newExprContext(testNames, o.vals)
	n, err := parseCondition("ConditionExpression", expr, ctx)
	if err != nil {
		t.Fatalf("parseCondition(%q) failed the second time: %v", expr, err)
	}
	want := test(n, o.base)
	req := o.params(ctx)
	req["TableName"], req["Item"], req["ConditionExpression"] = "upd", json.RawMessage(appendItem(nil, o.base)), expr
	code, out := o.call(t, "PutItem", req)
	switch {
	case code == http.StatusOK && !want:
		t.Fatalf("PutItem with ConditionExpression %q succeeded, test gives false", expr)
	case code != http.StatusOK && (want || !strings.HasSuffix(string(out["__type"]), codeConditionalCheck+`"`)):
		t.Fatalf("PutItem with ConditionExpression %q: %d %s, test gives %v", expr, code, out["__type"], want)
	}
}

// checkKeyCondition runs a key condition that parses for table through
// Query: the store must answer, in sort key order, the items of the table
// on which the condition holds.
func (o *exprOracle) checkKeyCondition(t *testing.T, table, expr string) {
	tbl, err := o.s.table(table)
	if err != nil {
		t.Fatal(err)
	}
	ctx := newExprContext(testNames, o.vals)
	if _, err := parseKeyCondition(expr, ctx, tbl.key, tbl.types); err != nil {
		return
	}
	n, err := parseCondition("KeyConditionExpression", expr, newExprContext(testNames, o.vals))
	if err != nil {
		t.Fatalf("parseKeyCondition(%q) succeeds, parseCondition fails: %v", expr, err)
	}
	var want []string
	for _, it := range o.keyItems[table] {
		if test(n, it) {
			want = append(want, string(appendItem(nil, it)))
		}
	}
	slices.SortFunc(want, func(a, b string) int {
		x, y := mustItem(t, a), mustItem(t, b)
		if c := bytes.Compare(keyBytes(x["pk"]), keyBytes(y["pk"])); c != 0 {
			return c
		}
		return bytes.Compare(keyBytes(x["sk"]), keyBytes(y["sk"]))
	})
	req := o.params(ctx)
	req["TableName"], req["KeyConditionExpression"] = table, expr
	code, out := o.call(t, "Query", req)
	if code != http.StatusOK {
		t.Fatalf("Query %s with KeyConditionExpression %q: %d %s", table, expr, code, apiMessage(out))
	}
	var items []json.RawMessage
	json.Unmarshal(out["Items"], &items)
	got := []string{}
	for _, it := range items {
		got = append(got, itemJSON(t, it))
	}
	if want == nil {
		want = []string{}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("Query %s with KeyConditionExpression %q, items (-condition +query):\n%s", table, expr, diff)
	}
}

// FuzzRequest feeds arbitrary bodies to every operation through the HTTP
// handler: each must answer with a DynamoDB-shaped JSON body, never panic
// or fail with an internal error.
func FuzzRequest(f *testing.F) {
	seeds := []struct{ op, body string }{
		{"PutItem", `{"TableName":"fuzz","Item":{"id":{"S":"a"},"n":{"N":"1.5"},"l":{"L":[{"M":{"x":{"BS":["AA=="]}}}]}}}`},
		{"GetItem", `{"TableName":"fuzz","Key":{"id":{"S":"a"}},"ProjectionExpression":"l[0].x"}`},
		{"UpdateItem", `{"TableName":"fuzz","Key":{"id":{"S":"a"}},"UpdateExpression":"SET n = n + :v","ExpressionAttributeValues":{":v":{"N":"1"}}}`},
		{"Query", `{"TableName":"fuzz","KeyConditionExpression":"id = :v","ExpressionAttributeValues":{":v":{"S":"a"}},"Limit":1}`},
		{"Scan", `{"TableName":"fuzz","FilterExpression":"n > :v","ExpressionAttributeValues":{":v":{"N":"0"}},"Segment":0,"TotalSegments":2}`},
		{"TransactWriteItems", `{"TransactItems":[{"Put":{"TableName":"fuzz","Item":{"id":{"S":"b"}}}}],"ClientRequestToken":"t"}`},
		{"BatchWriteItem", `{"RequestItems":{"fuzz":[{"PutRequest":{"Item":{"id":{"S":"c"}}}}]}}`},
		{"CreateTable", `{"TableName":"lsi","KeySchema":[{"AttributeName":"h","KeyType":"HASH"},{"AttributeName":"r","KeyType":"RANGE"}],"AttributeDefinitions":[{"AttributeName":"h","AttributeType":"S"},{"AttributeName":"r","AttributeType":"S"},{"AttributeName":"l","AttributeType":"N"}],"LocalSecondaryIndexes":[{"IndexName":"byL","KeySchema":[{"AttributeName":"h","KeyType":"HASH"},{"AttributeName":"l","KeyType":"RANGE"}],"Projection":{"ProjectionType":"ALL"}}],"BillingMode":"PAY_PER_REQUEST"}`},
		{"BatchWriteItem", `{"RequestItems":{"lsi":[{"PutRequest":{"Item":{"h":{"S":"a"},"r":{"S":"1"},"l":{"N":"2"}}}},{"DeleteRequest":{"Key":{"h":{"S":"b"},"r":{"S":"1"}}}}],"fuzz":[{"PutRequest":{"Item":{"id":{"S":"c"}}}}]},"ReturnItemCollectionMetrics":"SIZE"}`},
		{"TransactWriteItems", `{"TransactItems":[{"Update":{"TableName":"lsi","Key":{"h":{"S":"a"},"r":{"S":"2"}},"UpdateExpression":"SET l = :v","ExpressionAttributeValues":{":v":{"N":"1"}}}},{"ConditionCheck":{"TableName":"fuzz","Key":{"id":{"S":"c"}},"ConditionExpression":"attribute_exists(id)"}}],"ReturnItemCollectionMetrics":"SIZE"}`},
		{"CreateTable", `{"TableName":"other","KeySchema":[{"AttributeName":"k","KeyType":"HASH"}],"AttributeDefinitions":[{"AttributeName":"k","AttributeType":"N"}],"BillingMode":"PAY_PER_REQUEST"}`},
		{"PutItem", `{"TableName":"fuzz","Item":{"id":{"S":"a","N":"1"}}}`},
		{"PutItem", `{"TableName":"fuzz","Item":{"id":{"NS":[]}}}`},
		{"Query", `[1,2]`},
		{"TagResource", `{"ResourceArn":"arn:aws:dynamodb:us-east-1:000000000000:table/fuzz","Tags":[{"Key":"k","Value":"v"}]}`},
		{"UntagResource", `{"ResourceArn":"arn:aws:dynamodb:us-east-1:000000000000:table/fuzz","TagKeys":["k"]}`},
		{"ListTagsOfResource", `{"ResourceArn":"arn:aws:dynamodb:us-east-1:000000000000:table/fuzz/index/x"}`},
		{"UpdateTable", `{"TableName":"fuzz","AttributeDefinitions":[{"AttributeName":"g","AttributeType":"S"}],"GlobalSecondaryIndexUpdates":[{"Create":{"IndexName":"byG","KeySchema":[{"AttributeName":"g","KeyType":"HASH"}],"Projection":{"ProjectionType":"ALL"}}}]}`},
		{"UpdateTable", `{"TableName":"fuzz","GlobalSecondaryIndexUpdates":[{"Update":{"IndexName":"byG","OnDemandThroughput":{"MaxReadRequestUnits":5}}},{"Delete":{"IndexName":"byG"}}]}`},
		{"UpdateTable", `{"TableName":"fuzz","BillingMode":"PROVISIONED","ProvisionedThroughput":{"ReadCapacityUnits":1,"WriteCapacityUnits":1},"GlobalSecondaryIndexUpdates":[{"Update":{"IndexName":"byG","ProvisionedThroughput":{"ReadCapacityUnits":1,"WriteCapacityUnits":1}}}]}`},
		{"UpdateTable", `{"TableName":"fuzz","SSESpecification":{"Enabled":true,"SSEType":"KMS","KMSMasterKeyId":"k"}}`},
		{"UpdateTable", `{"TableName":"fuzz","WarmThroughput":{"ReadUnitsPerSecond":13000},"GlobalSecondaryIndexUpdates":[{"Update":{"IndexName":"byG","WarmThroughput":{"WriteUnitsPerSecond":5000}}}]}`},
		{"UpdateTable", `{"TableName":"fuzz","StreamSpecification":{"StreamEnabled":true,"StreamViewType":"KEYS_ONLY"},"OnDemandThroughput":{"MaxWriteRequestUnits":-1}}`},
		// Limits: key sizes, expression size, operators, IN operands, path
		// depth, nesting, invalid values and an empty token.
		{"PutItem", `{"TableName":"fuzz","Item":{"id":{"S":"` + strings.Repeat("k", 2049) + `"}}}`},
		{"Query", `{"TableName":"lsi","KeyConditionExpression":"h = :h AND r = :r","ExpressionAttributeValues":{":h":{"S":"a"},":r":{"S":"` + strings.Repeat("r", 1025) + `"}}}`},
		{"PutItem", `{"TableName":"lsi","Item":{"h":{"S":"a"},"r":{"S":"b"},"l":{"N":"1"},"d":{"M":{"a":{"L":[{"M":{"b":{"L":[{"S":"x"}]}}}]}}}}}`},
		{"Scan", `{"TableName":"fuzz","FilterExpression":"a IN (:v, :v, :v) OR NOT (b < :v AND size(c) > :v)","ExpressionAttributeValues":{":v":{"N":"1"}}}`},
		{"GetItem", `{"TableName":"fuzz","Key":{"id":{"S":"a"}},"ProjectionExpression":"a.b.c[0].d[1][2].e"}`},
		{"UpdateItem", `{"TableName":"fuzz","Key":{"id":{"S":"a"}},"UpdateExpression":"SET a = :v","ExpressionAttributeValues":{":v":{"M":{"a":{}}},"b":{"SS":[]}}}`},
		{"TransactWriteItems", `{"TransactItems":[{"Update":{"TableName":"fuzz","Key":{"id":{"S":"a"}},"UpdateExpression":"SET a = :v","ExpressionAttributeValues":{":v":{"NS":[]}}}}],"ClientRequestToken":""}`},
		{"Query", `{"TableName":"fuzz","KeyConditionExpression":"id = :v AND x = :v","ExpressionAttributeValues":{":v":{"S":"a"}}}`},
		{"CreateTable", `{"TableName":"long","KeySchema":[{"AttributeName":"` + strings.Repeat("n", 256) + `","KeyType":"HASH"}],"AttributeDefinitions":[{"AttributeName":"n","AttributeType":"S"}],"BillingMode":"PAY_PER_REQUEST"}`},
		// Members of the wrong JSON type, and base64 DynamoDB refuses.
		{"PutItem", `{"TableName":"fuzz","Item":{"id":{"S":"a"},"n":{"N":1},"b":{"B":"+/+="},"l":{"L":[5]}}}`},
		{"Query", `{"TableName":"","Limit":"5","ExclusiveStartKey":[],"ConsistentRead":"true"}`},
		{"BatchWriteItem", `{"RequestItems":{"fuzz":"put"}}`},
		{"BatchGetItem", `{"RequestItems":{"fuzz":{"Keys":[{"id":{"BS":["YR==",5]}}]}}}`},
		{"UpdateItem", `{"TableName":"fuzz","Key":{"id":{"S":"a"}},"UpdateExpression":"SET a = :v","ExpressionAttributeValues":{":v":{"M":{"x":{"NULL":false},"y":{"SS":"a"}}}}}`},
		{"UpdateTable", `{"TableName":"fuzz","ProvisionedThroughput":{"ReadCapacityUnits":"1","WriteCapacityUnits":1.5},"GlobalSecondaryIndexUpdates":[5]}`},
	}
	for _, s := range seeds {
		f.Add(s.op, s.body)
	}
	s, err := Open(":memory:", &Options{TTLSweepInterval: -1})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { s.Close() })
	h := s.Handler()
	create := `{"TableName":"fuzz","KeySchema":[{"AttributeName":"id","KeyType":"HASH"}],"AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"}],"BillingMode":"PAY_PER_REQUEST"}`
	call := func(op, body string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
		req.Header.Set("X-Amz-Target", "DynamoDB_20120810."+op)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	call("CreateTable", create)
	f.Fuzz(func(t *testing.T, op, body string) {
		if _, ok := ops[op]; !ok || op == "DeleteTable" {
			op = "PutItem"
		}
		rec := call(op, body)
		var m map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &m); err != nil {
			t.Fatalf("%s %q: response %q is not a JSON object", op, body, rec.Body)
		}
		if rec.Code >= 500 {
			t.Fatalf("%s %q: %d %s", op, body, rec.Code, rec.Body)
		}
		_ = context.Background()
	})
}

// FuzzDecodeItem checks the stored-item decoder against encoding/json on
// anything encoding/json accepts.
func FuzzDecodeItem(f *testing.F) {
	f.Add(`{"a":{"S":"x\"y\\u00e9"},"n":{"N":"-1.5"},"b":{"B":"AAE="},"l":{"L":[{"NULL":true},{"BOOL":false}]},"m":{"M":{"s":{"SS":["a","b"]},"ns":{"NS":["1","2"]},"bs":{"BS":["AA=="]}}}}`)
	f.Add(`{}`)
	f.Add(`{"n":{"N":"-0.00120"},"z":{"N":"0"},"e":{"S":"tab\there \u00e9 \u20ac"},"m":{"M":{}},"l":{"L":[]},"b":{"B":""},"b2":{"B":"AQI="},"ns":{"NS":["1000","0.5"]}}`)
	f.Fuzz(func(t *testing.T, data string) {
		var want attrMap
		if err := json.Unmarshal([]byte(data), &want); err != nil {
			return
		}
		got, err := decodeItem(appendItem(nil, want))
		if err != nil {
			t.Fatalf("decodeItem(appendItem(%s)): %v", data, err)
		}
		if a, b := string(appendItem(nil, got)), string(appendItem(nil, want)); a != b {
			t.Fatalf("round trip of %s = %s, want %s", data, a, b)
		}
		// The size read off the stored document is the decoded item's.
		if n, ok := docSize(appendItem(nil, want)); ok && n != want.size() {
			t.Fatalf("docSize(%s) = %d, want %d", data, n, want.size())
		}
	})
}
