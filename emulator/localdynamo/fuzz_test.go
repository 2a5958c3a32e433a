package localdynamo

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

var fuzzSeeds = []string{
	"a = :s", "a <> :s AND b < :n OR NOT c >= :n", "#n.kid[3].#a = :s", "a BETWEEN :n AND :m",
	"a IN (:s, :t)", "attribute_exists(a) AND begins_with(e, :s)", "size(a) > :n", "((a = :s))",
	"(a) = :s", "a = = :s", "foo(", "a[", "a[99999999999999999999] = :s", "NOT NOT a = :s", ":s = a",
	"SET a = :s, b.c[2] = :n REMOVE x ADD d :n DELETE e :ss", "SET a = if_not_exists(a, :n) + :n",
	"SET l = list_append(if_not_exists(l, :l), :l)", "a, b.c, d[0].e", "pk = :s AND sk BETWEEN :n AND :m",
	"\x00", "é = :s", "#", ":", "a.#", "SET", "REMOVE a[0], a[1]",
}

// FuzzExpressions feeds arbitrary text to every expression parser and
// evaluates whatever parses against a sample item: nothing may panic.
func FuzzExpressions(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	vals := testValues(f)
	it := mustItem(f, `{"a":{"S":"xylophone"},"n":{"N":"3"},"ss":{"SS":["a","b"]},"l":{"L":[{"S":"x"},{"N":"1"}]},"m":{"M":{"k":{"S":"v"}}}}`)
	ks := keySchema{hash: "pk", hashType: "S", rng: "sk", rngType: "N"}
	types := map[string]string{"pk": "S", "sk": "N"}
	f.Fuzz(func(t *testing.T, expr string) {
		if n, err := parseCondition("ConditionExpression", expr, newExprContext(testNames, vals)); err == nil {
			test(n, it)
		} else if asAPIError(err).code != codeValidation {
			t.Fatalf("parseCondition(%q): %v", expr, err)
		}
		if acts, err := parseUpdate(expr, newExprContext(testNames, vals)); err == nil {
			applyUpdate(acts, it, nil)
		}
		if paths, err := parseProjection(expr, newExprContext(testNames, vals)); err == nil {
			project(it, paths)
		}
		parseKeyCondition(expr, newExprContext(testNames, vals), ks, types)
	})
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
		{"CreateTable", `{"TableName":"other","KeySchema":[{"AttributeName":"k","KeyType":"HASH"}],"AttributeDefinitions":[{"AttributeName":"k","AttributeType":"N"}],"BillingMode":"PAY_PER_REQUEST"}`},
		{"PutItem", `{"TableName":"fuzz","Item":{"id":{"S":"a","N":"1"}}}`},
		{"PutItem", `{"TableName":"fuzz","Item":{"id":{"NS":[]}}}`},
		{"Query", `[1,2]`},
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
	})
}
