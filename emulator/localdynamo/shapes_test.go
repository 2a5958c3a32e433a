package localdynamo

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// TestRequestShapes checks requestShapes against the request types the
// store decodes: every member an operation decodes has a shape of the
// same kind, so that a request that fails to decode for a member's type
// is answered in DynamoDB's words.
func TestRequestShapes(t *testing.T) {
	inputs := map[string]reflect.Type{
		"CreateTable":        reflect.TypeFor[createTableInput](),
		"DescribeTable":      reflect.TypeFor[tableNameInput](),
		"ListTables":         reflect.TypeFor[listTablesInput](),
		"DeleteTable":        reflect.TypeFor[tableNameInput](),
		"UpdateTable":        reflect.TypeFor[updateTableInput](),
		"PutItem":            reflect.TypeFor[putItemInput](),
		"GetItem":            reflect.TypeFor[getItemInput](),
		"DeleteItem":         reflect.TypeFor[deleteItemInput](),
		"UpdateItem":         reflect.TypeFor[updateItemInput](),
		"Query":              reflect.TypeFor[queryInput](),
		"Scan":               reflect.TypeFor[queryInput](),
		"BatchGetItem":       reflect.TypeFor[batchGetInput](),
		"BatchWriteItem":     reflect.TypeFor[batchWriteInput](),
		"TransactWriteItems": reflect.TypeFor[transactWriteInput](),
		"TransactGetItems":   reflect.TypeFor[transactGetInput](),
		"UpdateTimeToLive":   reflect.TypeFor[updateTTLInput](),
		"DescribeTimeToLive": reflect.TypeFor[tableNameInput](),
		"DescribeEndpoints":  reflect.TypeFor[struct{}](),
		"TagResource":        reflect.TypeFor[tagResourceInput](),
		"UntagResource":      reflect.TypeFor[untagResourceInput](),
		"ListTagsOfResource": reflect.TypeFor[listTagsInput](),
	}
	// Members the store's types decode that DynamoDB's input has not
	// (the types are shared): DynamoDB ignores them.
	goOnly := map[string]bool{
		"GetItem.ExpressionAttributeValues":                       true,
		"Query.Segment":                                           true,
		"Query.TotalSegments":                                     true,
		"Scan.KeyConditionExpression":                             true,
		"Scan.ScanIndexForward":                                   true,
		"CreateTable.LocalSecondaryIndexes.ProvisionedThroughput": true,
		"CreateTable.LocalSecondaryIndexes.OnDemandThroughput":    true,
		"CreateTable.LocalSecondaryIndexes.WarmThroughput":        true,
		"TransactWriteItems.TransactItems.Put.Key":                true,
	}
	for name := range ops {
		in, ok := inputs[name]
		if !ok {
			t.Errorf("%s: no input type listed", name)
			continue
		}
		s := requestShapes[name]
		if s == nil {
			t.Errorf("%s: no request shape", name)
			continue
		}
		checkShape(t, name, in, s, goOnly)
	}
}

func checkShape(t *testing.T, path string, typ reflect.Type, s *shape, goOnly map[string]bool) {
	t.Helper()
	for typ.Kind() == reflect.Pointer {
		typ = typ.Elem()
	}
	switch typ {
	case reflect.TypeFor[json.RawMessage]():
		return // not decoded: the legacy and unsupported parameters
	case reflect.TypeFor[attrMap](), reflect.TypeFor[exprValues]():
		if s != shapeValues {
			t.Errorf("%s: shape is not a map of AttributeValues", path)
		}
		return
	}
	want := map[reflect.Kind]shapeKind{
		reflect.String: kindString, reflect.Bool: kindBoolean, reflect.Int: kindInteger, reflect.Int64: kindLong,
		reflect.Slice: kindList, reflect.Map: kindMap, reflect.Struct: kindStruct,
	}
	if k, ok := want[typ.Kind()]; !ok || k != s.kind {
		t.Errorf("%s: Go type %v has shape kind %d", path, typ, s.kind)
		return
	}
	switch typ.Kind() {
	case reflect.Slice, reflect.Map:
		checkShape(t, path, typ.Elem(), s.elem, goOnly)
	case reflect.Struct:
		for _, f := range reflect.VisibleFields(typ) {
			if f.Anonymous || !f.IsExported() {
				continue
			}
			name := f.Name
			if tag, _, _ := strings.Cut(f.Tag.Get("json"), ","); tag != "" {
				name = tag
			}
			m := s.members[name]
			if m == nil {
				if !goOnly[path+"."+name] && f.Type != reflect.TypeFor[json.RawMessage]() {
					t.Errorf("%s.%s: no shape", path, name)
				}
				continue
			}
			checkShape(t, path+"."+name, f.Type, m, goOnly)
		}
	}
}

// TestTypeMismatch covers what the message table does not: which values
// are looked at, and in what order.
func TestTypeMismatch(t *testing.T) {
	scan := requestShapes["Scan"]
	tests := []struct {
		name, body, want string
	}{
		{"well typed", `{"TableName":"t","Limit":5,"ExclusiveStartKey":{"k":{"N":"1"}}}`, ""},
		{"null is absent", `{"TableName":null,"Limit":null,"AttributesToGet":[null],"ExclusiveStartKey":{"k":{"S":null}}}`, ""},
		{"unknown members are skipped", `{"Other":5,"tablename":5,"Expected":{"a":1}}`, ""},
		{"exponent is a decimal", `{"TableName":1e3}`, "DECIMAL_VALUE cannot be converted to String"},
		{"negative integer", `{"IndexName":-2147483648}`, "NUMBER_VALUE cannot be converted to String"},
		{"decimal limit is left to the decoder", `{"Limit":5.5}`, ""},
		{"first in the body", `{"IndexName":5,"Limit":"5"}`, "NUMBER_VALUE cannot be converted to String"},
		{"before a syntax error", `{"IndexName":true,`, "TRUE_VALUE cannot be converted to String"},
		{"after a syntax error", `{"IndexName":,"Limit":"5"}`, ""},
		{"not an object", `[{"IndexName":5}]`, ""},
		{"nested value", `{"ExclusiveStartKey":{"k":{"L":[{"M":{"x":{"SS":["a",1]}}}]}}}`, "NUMBER_VALUE cannot be converted to String"},
		{"base64 of two pads", `{"ExclusiveStartKey":{"k":{"B":"YR=="}}}`, "Invalid last non-pad Base64 character dectected"},
		{"base64 canonical", `{"ExclusiveStartKey":{"k":{"BS":["YQ==","YWI=","YWJj",""]}}}`, ""},
		{"base64 outside the alphabet", `{"ExclusiveStartKey":{"k":{"B":"!!!!"}}}`, ""},
		{"base64 length in UTF-16 units", `{"ExclusiveStartKey":{"k":{"B":"YQ=\u00e9\ud83d\ude00"}}}`, "Base64 encoded length is expected a multiple of 4 bytes but found: 6"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := ""
			if ae := typeMismatch([]byte(tc.body), scan); ae != nil {
				got = ae.message
			}
			if got != tc.want {
				t.Errorf("typeMismatch(%s) = %q, want %q", tc.body, got, tc.want)
			}
		})
	}
}
