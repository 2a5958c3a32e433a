package localdynamo

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func testValues(t testing.TB) map[string]*value {
	var it attrMap
	if err := json.Unmarshal([]byte(`{":s":{"S":"x"},":t":{"S":"y"},":n":{"N":"1"},":m":{"N":"5"},":l":{"L":[]},":ss":{"SS":["a"]},":type":{"S":"N"},":bad":{"S":"Q"}}`), &it); err != nil {
		t.Fatal(err)
	}
	return it
}

var testNames = map[string]string{"#n": "name", "#a": "a", "#dot": "a.b"}

func TestParseCondition(t *testing.T) {
	tests := []struct {
		name, expr string
		wantErr    string
	}{
		{name: "comparison", expr: "a = :s"},
		{name: "every comparator", expr: "a <> :s AND b < :n AND c <= :n AND d > :n AND e >= :n"},
		{name: "placeholders and nested paths", expr: "#n.kid[3].#a = :s"},
		{name: "between", expr: "a BETWEEN :n AND :m"},
		{name: "in", expr: "a IN (:s, :t)"},
		{name: "functions", expr: "attribute_exists(a) AND attribute_not_exists(b.c) AND attribute_type(d, :type) AND begins_with(e, :s) AND contains(f, :s)"},
		{name: "size", expr: "size(a) > :n"},
		{name: "not and parentheses", expr: "NOT (a = :s OR b = :t) AND c = :n"},
		{name: "parenthesized operand", expr: "(a) = :s"},
		{name: "keywords in any case", expr: "a = :s and not b = :t or c between :n and :m"},
		{name: "empty", expr: " ", wantErr: "Invalid ConditionExpression: The expression can not be empty;"},
		{name: "missing operand", expr: "a = ", wantErr: `Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "="`},
		{name: "doubled operator", expr: "a = = :s", wantErr: `Invalid ConditionExpression: Syntax error; token: "=", near: "= = :s"`},
		{name: "bare path", expr: "foo", wantErr: `Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "foo"`},
		{name: "literal number", expr: "a = 5", wantErr: `Invalid ConditionExpression: Syntax error; token: "5", near: "= 5"`},
		{name: "empty call", expr: "begins_with()", wantErr: `Invalid ConditionExpression: Syntax error; token: ")", near: "()"`},
		{name: "stray character", expr: "a = :s !", wantErr: `Invalid ConditionExpression: Syntax error; token: "!", near: ":s !"`},
		{name: "reserved word", expr: "name = :s", wantErr: "Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: name"},
		{name: "undefined name", expr: "#x = :s", wantErr: "Invalid ConditionExpression: An expression attribute name used in the document path is not defined; attribute name: #x"},
		{name: "undefined value", expr: "a = :zz", wantErr: "Invalid ConditionExpression: An expression attribute value used in expression is not defined; attribute value: :zz"},
		{name: "unknown function", expr: "foo(a)", wantErr: "Invalid ConditionExpression: Invalid function name; function: foo"},
		{name: "wrong arity", expr: "attribute_exists(a, b)", wantErr: "Invalid ConditionExpression: Incorrect number of operands for operator or function; operator or function: attribute_exists, number of operands: 2"},
		{name: "redundant parentheses", expr: "((a = :s))", wantErr: "Invalid ConditionExpression: The expression has redundant parentheses;"},
		{name: "same operand twice", expr: "a = a", wantErr: "Invalid ConditionExpression: The first operand must be distinct from the remaining operands for this operator or function; operator: =, first operand: [a]"},
		{name: "size as a condition", expr: "size(a)", wantErr: "Invalid ConditionExpression: The function is not allowed to be used this way in an expression; function: size"},
		{name: "boolean function as an operand", expr: "begins_with(a, :s) = :s", wantErr: "Invalid ConditionExpression: The function is not allowed to be used this way in an expression; function: begins_with"},
		{name: "update function in a condition", expr: "if_not_exists(a, :s) = :s", wantErr: "Invalid ConditionExpression: The function is not allowed in a condition expression; function: if_not_exists"},
		{name: "attribute_exists of a value", expr: "attribute_exists(:s)", wantErr: "Invalid ConditionExpression: Operator or function requires a document path; operator or function: attribute_exists"},
		{name: "attribute_type with an unknown type", expr: "attribute_type(a, :bad)", wantErr: "Invalid ConditionExpression: Invalid attribute type name found; type: Q, valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}"},
		{name: "begins_with a number", expr: "begins_with(a, :n)", wantErr: "Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N"},
		{name: "between bounds reversed", expr: "a BETWEEN :m AND :n", wantErr: "Invalid ConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {N:5}, upper bound operand: AttributeValue: {N:1}"},
		{name: "between mixed types", expr: "a BETWEEN :n AND :s", wantErr: "Invalid ConditionExpression: The BETWEEN operator requires same data type for lower and upper bounds; lower bound operand: AttributeValue: {N:1}, upper bound operand: AttributeValue: {S:x}"},
		{name: "error inside parentheses", expr: "(a = = :s)", wantErr: `Invalid ConditionExpression: Syntax error; token: "=", near: "= = :s"`},
		{name: "unclosed list index", expr: "a[1 = :s", wantErr: `Invalid ConditionExpression: Syntax error; token: "=", near: "1 = :s"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseCondition("ConditionExpression", tc.expr, newExprContext(testNames, testValues(t)))
			got := ""
			if err != nil {
				got = asAPIError(err).message
			}
			if got != tc.wantErr {
				t.Errorf("parseCondition(%q) error = %q, want %q", tc.expr, got, tc.wantErr)
			}
		})
	}
}

func mustItem(t testing.TB, js string) attrMap {
	t.Helper()
	var it attrMap
	if err := json.Unmarshal([]byte(js), &it); err != nil {
		t.Fatalf("item %s: %v", js, err)
	}
	return it
}

func TestEvalCondition(t *testing.T) {
	it := `{"a":{"S":"xylophone"},"n":{"N":"3"},"ss":{"SS":["a","b"]},"l":{"L":[{"S":"x"},{"N":"1"}]},"m":{"M":{"k":{"S":"v"}}},"b":{"B":"AAE="},"t":{"BOOL":true}}`
	tests := []struct {
		expr string
		want bool
	}{
		{"a = :s", false},
		{"a <> :s", true},
		{"absent <> :s", true},
		{"absent = :s", false},
		{"n > :n AND n < :m", true},
		{"n BETWEEN :n AND :m", true},
		{"n BETWEEN :m AND :big", false},
		{"a IN (:s, :t)", false},
		{"begins_with(a, :s)", true},
		{"contains(a, :lo)", true},
		{"contains(ss, :as)", true},
		{"contains(l, :s)", true},
		{"contains(n, :n)", false},
		{"size(a) = :nine", true},
		{"size(ss) = :two", true},
		{"size(m) = :one", true},
		{"attribute_type(n, :type)", true},
		{"attribute_exists(m.k) AND attribute_not_exists(m.z)", true},
		{"attribute_exists(l[1]) AND NOT attribute_exists(l[2])", true},
		{"n > :s", false},
		{"NOT n > :s", true},
		{"t = :true OR a = :s", true},
	}
	vals := mustItem(t, `{":s":{"S":"x"},":t":{"S":"y"},":n":{"N":"1"},":m":{"N":"5"},":big":{"N":"9"},":lo":{"S":"lop"},":as":{"S":"a"},":nine":{"N":"9"},":two":{"N":"2"},":one":{"N":"1"},":type":{"S":"N"},":true":{"BOOL":true}}`)
	item := mustItem(t, it)
	for _, tc := range tests {
		t.Run(tc.expr, func(t *testing.T) {
			n, err := parseCondition("ConditionExpression", tc.expr, newExprContext(nil, vals))
			if err != nil {
				t.Fatal(err)
			}
			if got := test(n, item); got != tc.want {
				t.Errorf("test(%q) = %v, want %v", tc.expr, got, tc.want)
			}
		})
	}
}

func TestParseUpdate(t *testing.T) {
	tests := []struct {
		name, expr string
		wantErr    string
	}{
		{name: "set", expr: "SET a = :s, b.c[2] = :n"},
		{name: "arithmetic", expr: "SET a = a + :n, b = :m - b"},
		{name: "functions", expr: "SET a = if_not_exists(a, :n), l = list_append(:l, l)"},
		{name: "nested function", expr: "SET l = list_append(if_not_exists(l, :l), :l)"},
		{name: "all clauses", expr: "SET a = :s REMOVE b, c[0] ADD d :n DELETE e :ss"},
		{name: "lowercase clauses", expr: "set a = :s remove b"},
		{name: "empty", expr: "", wantErr: "Invalid UpdateExpression: The expression can not be empty;"},
		{name: "missing value", expr: "SET a", wantErr: `Invalid UpdateExpression: Syntax error; token: "<EOF>", near: "a"`},
		{name: "literal", expr: "SET path = VALUE 1", wantErr: `Invalid UpdateExpression: Syntax error; token: "1", near: "VALUE 1"`},
		{name: "unknown clause", expr: "PUT a = :s", wantErr: `Invalid UpdateExpression: Syntax error; token: "PUT", near: "PUT a"`},
		{name: "clause twice", expr: "SET a = :s SET b = :s", wantErr: `Invalid UpdateExpression: The "SET" section can only be used once in an update expression;`},
		{name: "overlap", expr: "SET a = :s REMOVE a.b", wantErr: "Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a, b]"},
		{name: "conflict", expr: "SET a.b = :s REMOVE a[0]", wantErr: "Invalid UpdateExpression: Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [a, b], path two: [a, [0]]"},
		{name: "add a string", expr: "ADD a :s", wantErr: "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: STRING"},
		{name: "delete a number", expr: "DELETE a :n", wantErr: "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: DELETE, operand type: NUMBER"},
		{name: "condition function", expr: "SET a = size(b)", wantErr: "Invalid UpdateExpression: The function is not allowed in an update expression; function: size"},
		{name: "plus a string", expr: "SET a = b + :s", wantErr: "Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: +, operand type: S"},
		{name: "reserved", expr: "SET count = :n", wantErr: "Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: count"},
		{name: "if_not_exists of a value", expr: "SET a = if_not_exists(:n, :n)", wantErr: "Invalid UpdateExpression: Operator or function requires a document path; operator or function: if_not_exists"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseUpdate(tc.expr, newExprContext(testNames, testValues(t)))
			got := ""
			if err != nil {
				got = asAPIError(err).message
			}
			if got != tc.wantErr {
				t.Errorf("parseUpdate(%q) error = %q, want %q", tc.expr, got, tc.wantErr)
			}
		})
	}
}

func TestApplyUpdate(t *testing.T) {
	tests := []struct {
		name, old, expr, want, wantErr string
	}{
		{name: "set top and nested", old: `{"m":{"M":{}}}`, expr: "SET a = :s, m.k = :n", want: `{"a":{"S":"x"},"m":{"M":{"k":{"N":"1"}}}}`},
		{name: "list index past the end appends", old: `{"l":{"L":[{"S":"a"}]}}`, expr: "SET l[5] = :s", want: `{"l":{"L":[{"S":"a"},{"S":"x"}]}}`},
		{name: "remove list elements by their old indexes", old: `{"l":{"L":[{"S":"0"},{"S":"1"},{"S":"2"},{"S":"3"}]}}`, expr: "REMOVE l[1], l[3]", want: `{"l":{"L":[{"S":"0"},{"S":"2"}]}}`},
		{name: "operands read the old item", old: `{"a":{"N":"1"},"b":{"N":"2"}}`, expr: "SET a = b, b = a", want: `{"a":{"N":"2"},"b":{"N":"1"}}`},
		{name: "add to a missing number", old: `{}`, expr: "ADD c :n", want: `{"c":{"N":"1"}}`},
		{name: "add big numbers exactly", old: `{"c":{"N":"99999999999999999999999999999999999999"}}`, expr: "ADD c :neg", want: `{"c":{"N":"99999999999999999999999999999999999998"}}`},
		{name: "decimal arithmetic is exact", old: `{"c":{"N":"0.1"}}`, expr: "SET c = c + :point2", want: `{"c":{"N":"0.3"}}`},
		{name: "delete the last set member removes the set", old: `{"s":{"SS":["a"]}}`, expr: "DELETE s :ss", want: `{}`},
		{name: "nested set on a missing parent", old: `{}`, expr: "SET m.k = :s", wantErr: "The document path provided in the update expression is invalid for update"},
		{name: "add to a string", old: `{"a":{"S":"x"}}`, expr: "ADD a :n", wantErr: "An operand in the update expression has an incorrect data type"},
		{name: "list_append on a number", old: `{"a":{"N":"1"}}`, expr: "SET a = list_append(a, :l)", wantErr: "An operand in the update expression has an incorrect data type"},
		{name: "overflow", old: `{"a":{"N":"9.9999999999999999999999999999999999999E+125"}}`, expr: "SET a = a + a", wantErr: "Number overflow. Attempting to store a number with magnitude larger than supported range"},
	}
	vals := mustItem(t, `{":s":{"S":"x"},":n":{"N":"1"},":neg":{"N":"-1"},":point2":{"N":"0.2"},":l":{"L":[]},":ss":{"SS":["a"]}}`)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			acts, err := parseUpdate(tc.expr, newExprContext(nil, vals))
			if err != nil {
				t.Fatal(err)
			}
			got, err := applyUpdate(acts, mustItem(t, tc.old), nil)
			if tc.wantErr != "" {
				if err == nil || asAPIError(err).message != tc.wantErr {
					t.Fatalf("applyUpdate(%q) error = %v, want %q", tc.expr, err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, string(appendItem(nil, got))); diff != "" {
				t.Errorf("applyUpdate(%q) (-want +got):\n%s", tc.expr, diff)
			}
		})
	}
}

func TestParseProjection(t *testing.T) {
	tests := []struct {
		name, expr, wantErr string
	}{
		{name: "paths", expr: "a, b.c, d[0].e, #n"},
		{name: "overlap", expr: "a, a.b", wantErr: "Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a, b]"},
		{name: "trailing comma", expr: "a,", wantErr: `Invalid ProjectionExpression: Syntax error; token: "<EOF>", near: ","`},
		{name: "reserved", expr: "size", wantErr: "Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: size"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseProjection(tc.expr, newExprContext(testNames, nil))
			got := ""
			if err != nil {
				got = asAPIError(err).message
			}
			if got != tc.wantErr {
				t.Errorf("parseProjection(%q) error = %q, want %q", tc.expr, got, tc.wantErr)
			}
		})
	}
}

func TestParseKeyCondition(t *testing.T) {
	tests := []struct {
		name, expr, wantErr string
		wantOp              string
		// sortType is the type of the sort key; "" means N.
		sortType string
	}{
		{name: "hash only", expr: "pk = :s"},
		{name: "range", expr: "pk = :s AND sk <= :n", wantOp: "<="},
		{name: "reversed order", expr: "sk > :n AND pk = :s", wantOp: ">"},
		{name: "between", expr: "pk = :s AND sk BETWEEN :n AND :m", wantOp: "BETWEEN"},
		{name: "parentheses", expr: "(pk = :s) AND (sk = :n)", wantOp: "="},
		{name: "or", expr: "pk = :s OR sk = :n", wantErr: "Invalid operator used in KeyConditionExpression: OR"},
		{name: "hash inequality", expr: "pk > :s", wantErr: "Query key condition not supported"},
		{name: "missing hash", expr: "sk = :n", wantErr: "Query condition missed key schema element: pk"},
		{name: "non-key attribute", expr: "pk = :s AND extra = :n", wantErr: "Query condition missed key schema element: sk"},
		{name: "twice on one key", expr: "pk = :s AND pk = :t", wantErr: "KeyConditionExpressions must only contain one condition per key"},
		{name: "wrong value type", expr: "pk = :n", wantErr: "One or more parameter values were invalid: Condition parameter type does not match schema type"},
		{name: "two attributes", expr: "pk = sk", wantErr: "Invalid condition in KeyConditionExpression: multiple attribute names used in one condition"},
		{name: "contains", expr: "pk = :s AND contains(sk, :n)", wantErr: "Invalid operator used in KeyConditionExpression: contains"},
		{name: "value compared to the key", expr: ":s = pk AND :m > sk", wantOp: "<"},
		{name: "between with the key as lower bound", expr: "pk = :s AND :n BETWEEN sk AND :m", wantErr: "Invalid condition in KeyConditionExpression: the key attribute must be the first operand of BETWEEN"},
		{name: "between with the key as upper bound", expr: "pk = :s AND :n BETWEEN :n AND sk", wantErr: "Invalid condition in KeyConditionExpression: the key attribute must be the first operand of BETWEEN"},
		{name: "begins_with", expr: "pk = :s AND begins_with(sk, :s)", sortType: "S", wantOp: "begins_with"},
		{name: "begins_with with the key second", expr: "pk = :s AND begins_with(:s, sk)", sortType: "S", wantErr: "Invalid condition in KeyConditionExpression: the key attribute must be the first operand of begins_with"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sortType := tc.sortType
			if sortType == "" {
				sortType = "N"
			}
			ks := keySchema{hash: "pk", hashType: "S", rng: "sk", rngType: sortType}
			types := map[string]string{"pk": "S", "sk": sortType}
			kc, err := parseKeyCondition(tc.expr, newExprContext(testNames, testValues(t)), ks, types)
			got := ""
			if err != nil {
				got = asAPIError(err).message
			}
			if got != tc.wantErr {
				t.Fatalf("parseKeyCondition(%q) error = %q, want %q", tc.expr, got, tc.wantErr)
			}
			if err == nil && kc.rngOp != tc.wantOp {
				t.Errorf("parseKeyCondition(%q) range op = %q, want %q", tc.expr, kc.rngOp, tc.wantOp)
			}
		})
	}
}

func TestDecimal(t *testing.T) {
	tests := []struct {
		in, want, wantErr string
	}{
		{in: "0", want: "0"},
		{in: "-0.000", want: "0"},
		{in: "+7", want: "7"},
		{in: "1.50", want: "1.5"},
		{in: "1e3", want: "1000"},
		{in: "-1.25E-2", want: "-0.0125"},
		{in: "123456789012345678901234567890.12345678", want: "123456789012345678901234567890.12345678"},
		{in: "1.2.3", wantErr: "A value provided cannot be converted into a number"},
		{in: "abc", wantErr: "A value provided cannot be converted into a number"},
		{in: "", wantErr: "A value provided cannot be converted into a number"},
		{in: "1e126", wantErr: "Number overflow. Attempting to store a number with magnitude larger than supported range"},
		{in: "1e-131", wantErr: "Number underflow. Attempting to store a number with magnitude smaller than supported range"},
	}
	for _, tc := range tests {
		d, err := parseDecimal(tc.in)
		if tc.wantErr != "" {
			if err == nil || asAPIError(err).message != tc.wantErr {
				t.Errorf("parseDecimal(%q) error = %v, want %q", tc.in, err, tc.wantErr)
			}
			continue
		}
		if err != nil || d.String() != tc.want {
			t.Errorf("parseDecimal(%q) = %q, %v; want %q", tc.in, d.String(), err, tc.want)
		}
	}
	// Encoded keys sort numerically.
	ordered := []string{"-1e100", "-12", "-11.5", "-1", "-0.5", "-0.05", "0", "0.05", "0.5", "1", "1.5", "2", "10", "1e100"}
	for i := 1; i < len(ordered); i++ {
		a, _ := parseDecimal(ordered[i-1])
		b, _ := parseDecimal(ordered[i])
		if string(a.sortKey()) >= string(b.sortKey()) {
			t.Errorf("sortKey(%s) >= sortKey(%s)", ordered[i-1], ordered[i])
		}
		if a.cmp(b) >= 0 {
			t.Errorf("cmp(%s, %s) >= 0", ordered[i-1], ordered[i])
		}
	}
}
