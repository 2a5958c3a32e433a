package localdynamo_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// upd is an UpdateItem request in short: the expressions, the names, the
// values in DynamoDB JSON and what to return.
type upd struct {
	expr, cond string
	names      map[string]string
	values     string
	rv         types.ReturnValue
	rvOnFail   types.ReturnValuesOnConditionCheckFailure
}

func (u upd) input(t *testing.T, tbl, key string) *dynamodb.UpdateItemInput {
	in := &dynamodb.UpdateItemInput{TableName: aws.String(tbl), Key: item(t, key), ExpressionAttributeNames: u.names,
		ReturnValues: u.rv, ReturnValuesOnConditionCheckFailure: u.rvOnFail}
	if u.expr != "" {
		in.UpdateExpression = aws.String(u.expr)
	}
	if u.cond != "" {
		in.ConditionExpression = aws.String(u.cond)
	}
	if u.values != "" {
		in.ExpressionAttributeValues = vals(t, u.values)
	}
	return in
}

// updateGet runs the updates on key in turn and answers the item after them.
func updateGet(key string, us ...upd) func(context.Context, *testing.T, *dynamodb.Client, string) (any, error) {
	return func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
		for _, u := range us {
			if _, err := c.UpdateItem(ctx, u.input(t, tbl, key)); err != nil {
				return nil, err
			}
		}
		return getJS(ctx, t, c, tbl, key)
	}
}

// updateAttrs runs one update and answers the Attributes it returned, or on
// a failed condition the Item of the ConditionalCheckFailedException.
func updateAttrs(key string, u upd) func(context.Context, *testing.T, *dynamodb.Client, string) (any, error) {
	return func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
		out, err := c.UpdateItem(ctx, u.input(t, tbl, key))
		var ccf *types.ConditionalCheckFailedException
		if asErr(err, &ccf) {
			return "failed: " + js(ccf.Item), nil
		}
		if err != nil {
			return nil, err
		}
		return js(out.Attributes), nil
	}
}

// panicTB lets item parse fixtures outside a test.
type panicTB struct{ testing.TB }

func (panicTB) Helper()                        {}
func (panicTB) Fatalf(format string, a ...any) { panic(fmt.Sprintf(format, a...)) }

// canon renders items written in DynamoDB JSON canonically, as js does, so
// that fixtures can serve as both seeds and expected results.
func canon(items ...string) []string {
	out := make([]string, len(items))
	for i, s := range items {
		out[i] = js(item(panicTB{}, s))
	}
	return out
}

// TestSemantics checks what successful calls return and leave in the table
// against the nubo-db/dynamodb-conformance suite, whose expectations were
// captured from DynamoDB (cited as file: test title). Like TestConformance,
// it can run against real DynamoDB with -dynamodb.endpoint.
func TestSemantics(t *testing.T) { runConformance(t, semanticsCases()) }

func semanticsCases() []conformanceCase {
	var all []conformanceCase
	for _, cs := range [][]conformanceCase{updateCases(), queryCases(), scanCases(), itemCases(), txCases(), batchCases(), capacityCases(), limitCases()} {
		all = append(all, cs...)
	}
	return all
}

// composite is the conformance suite's composite table: two local and two
// global secondary indexes over lsi1sk and lsi2sk.
var composite = tableSpec{key: "pk:S sk:S",
	lsis: []indexSpec{{name: "lsi1", key: "pk:S lsi1sk:S"}, {name: "lsi2", key: "pk:S lsi2sk:S", projection: "INCLUDE", include: []string{"lsi1sk"}}},
	gsis: []indexSpec{{name: "gsi1", key: "lsi1sk:S"}, {name: "gsi2", key: "lsi1sk:S lsi2sk:S", projection: "INCLUDE", include: []string{"data"}}}}

func updateCases() []conformanceCase {
	const k = `{"id":{"S":"k"}}`
	return []conformanceCase{
		// updateItem/basic.test.ts: creates an item when it does not exist (upsert)
		{name: "UpdateItem upserts a missing item", spec: hashOnly,
			run:  updateGet(k, upd{expr: "SET #d = :v", names: map[string]string{"#d": "data"}, values: `{":v":{"S":"new"}}`}),
			want: `{"data":{"S":"new"},"id":{"S":"k"}}`},
		// updateItem/basic.test.ts: supports SET with arithmetic; paths.test.ts: arithmetic on nested path
		{name: "UpdateItem SET arithmetic, top-level and nested", spec: hashOnly,
			seed: []string{`{"id":{"S":"k"},"c":{"N":"10"},"m":{"M":{"c":{"N":"10"}}}}`},
			run:  updateGet(k, upd{expr: "SET #c = #c + :i, m.c = m.c - :i", names: map[string]string{"#c": "c"}, values: `{":i":{"N":"5"}}`}),
			want: `{"c":{"N":"15"},"id":{"S":"k"},"m":{"M":{"c":{"N":"5"}}}}`},
		// updateItem/basic.test.ts: supports SET with if_not_exists; if_not_exists with cross-attribute reference
		{name: "UpdateItem if_not_exists keeps, creates and copies", spec: hashOnly,
			seed: []string{`{"id":{"S":"k"},"existing":{"S":"keep-me"},"myval":{"S":"original"}}`},
			run: updateGet(k, upd{expr: "SET existing = if_not_exists(existing, :d), newone = if_not_exists(newone, :d2), #bk = if_not_exists(#bk, #mv)",
				names: map[string]string{"#bk": "backup", "#mv": "myval"}, values: `{":d":{"S":"default"},":d2":{"S":"created"}}`}),
			want: `{"backup":{"S":"original"},"existing":{"S":"keep-me"},"id":{"S":"k"},"myval":{"S":"original"},"newone":{"S":"created"}}`},
		// updateItem/basic.test.ts: supports SET with list_append
		{name: "UpdateItem list_append", spec: hashOnly,
			seed: []string{`{"id":{"S":"k"},"vals":{"L":[{"S":"a"},{"S":"b"}]}}`},
			run:  updateGet(k, upd{expr: "SET vals = list_append(vals, :n)", values: `{":n":{"L":[{"S":"c"},{"S":"d"}]}}`}),
			want: `{"id":{"S":"k"},"vals":{"L":[{"S":"a"},{"S":"b"},{"S":"c"},{"S":"d"}]}}`},
		// updateItem/basic.test.ts: REMOVE on non-existent attribute / nested path succeeds silently; paths.test.ts: REMOVE nested map key removes just that key
		{name: "UpdateItem REMOVE of missing attributes and a nested key", spec: hashOnly,
			seed: []string{`{"id":{"S":"k"},"m":{"M":{"realKey":{"S":"v"},"gone":{"S":"x"}}},"drop":{"S":"no"}}`},
			run:  updateGet(k, upd{expr: "REMOVE #g, #m.#n, m.gone, #d", names: map[string]string{"#g": "ghost", "#m": "m", "#n": "nonexistent", "#d": "drop"}}),
			want: `{"id":{"S":"k"},"m":{"M":{"realKey":{"S":"v"}}}}`},
		// updateItem/basic.test.ts: adds a number ...; ADD on non-existent numeric attribute creates it; adds elements to a string set
		{name: "UpdateItem ADD numbers and set elements", spec: hashOnly,
			seed: []string{`{"id":{"S":"k"},"count":{"N":"10"},"tags":{"SS":["a","b"]}}`},
			run:  updateGet(k, upd{expr: "ADD #c :three, #n :ten, tags :ss", names: map[string]string{"#c": "count", "#n": "counter"}, values: `{":three":{"N":"3"},":ten":{"N":"10"},":ss":{"SS":["c","d"]}}`}),
			want: `{"count":{"N":"13"},"counter":{"N":"10"},"id":{"S":"k"},"tags":{"SS":["a","b","c","d"]}}`},
		// updateItem/basic.test.ts: DELETE all elements from set removes the attribute entirely; DELETE partial elements from set keeps remaining
		{name: "UpdateItem DELETE from sets", spec: hashOnly,
			seed: []string{`{"id":{"S":"k"},"all":{"SS":["a","b"]},"part":{"SS":["a","b","c"]}}`},
			run:  updateGet(k, upd{expr: "DELETE #a :ab, part :b", names: map[string]string{"#a": "all"}, values: `{":ab":{"SS":["a","b"]},":b":{"SS":["b"]}}`}),
			want: `{"id":{"S":"k"},"part":{"SS":["a","c"]}}`},
		// updateItem/basic.test.ts: returns ALL_NEW after update
		{name: "UpdateItem ReturnValues ALL_NEW", spec: hashOnly,
			seed: []string{`{"id":{"S":"k"},"x":{"N":"1"},"y":{"S":"keep"}}`},
			run:  updateAttrs(k, upd{expr: "SET x = :v", values: `{":v":{"N":"2"}}`, rv: types.ReturnValueAllNew}),
			want: `{"id":{"S":"k"},"x":{"N":"2"},"y":{"S":"keep"}}`},
		// updateItem/basic.test.ts: returns UPDATED_OLD for changed attributes
		{name: "UpdateItem ReturnValues UPDATED_OLD", spec: hashOnly,
			seed: []string{`{"id":{"S":"k"},"x":{"N":"1"},"y":{"S":"keep"}}`},
			run:  updateAttrs(k, upd{expr: "SET x = :v", values: `{":v":{"N":"2"}}`, rv: types.ReturnValueUpdatedOld}),
			want: `{"x":{"N":"1"}}`},
		// updateItem/basic.test.ts: returns UPDATED_NEW for changed attributes
		{name: "UpdateItem ReturnValues UPDATED_NEW", spec: hashOnly,
			seed: []string{`{"id":{"S":"k"},"x":{"N":"1"},"y":{"S":"keep"}}`},
			run:  updateAttrs(k, upd{expr: "SET x = :v", values: `{":v":{"N":"2"}}`, rv: types.ReturnValueUpdatedNew}),
			want: `{"x":{"N":"2"}}`},
		// updateItem/basic.test.ts: a second SET clause reads the pre-update value of another attribute
		{name: "UpdateItem SET reads the item before the update", spec: hashOnly,
			seed: []string{`{"id":{"S":"k"},"a":{"S":"OLD"}}`},
			run:  updateGet(k, upd{expr: "SET a = :v, b = a", values: `{":v":{"S":"NEW"}}`}),
			want: `{"a":{"S":"NEW"},"b":{"S":"OLD"},"id":{"S":"k"}}`},
		// updateItem/basic.test.ts: applies parenthesised arithmetic (SET c = (c - :v))
		{name: "UpdateItem parenthesized arithmetic", spec: hashOnly,
			seed: []string{`{"id":{"S":"k"},"c":{"N":"10"}}`},
			run:  updateGet(k, upd{expr: "SET c = (c - :v)", values: `{":v":{"N":"3"}}`}),
			want: `{"c":{"N":"7"},"id":{"S":"k"}}`},
		// updateItem/basic.test.ts: applies arithmetic around if_not_exists (SET v = if_not_exists(v, :d) - :amt)
		{name: "UpdateItem arithmetic on if_not_exists", spec: hashOnly,
			seed: []string{`{"id":{"S":"k"},"v":{"N":"10"}}`},
			run:  updateGet(k, upd{expr: "SET v = if_not_exists(v, :d) - :amt", values: `{":d":{"N":"0"},":amt":{"N":"3"}}`}),
			want: `{"id":{"S":"k"},"v":{"N":"7"}}`},
		// updateItem/basic.test.ts: composes nested functions: list_append(if_not_exists(list, :empty), :more) on a missing list
		{name: "UpdateItem list_append of if_not_exists", spec: hashOnly,
			seed: []string{`{"id":{"S":"k"}}`},
			run:  updateGet(k, upd{expr: "SET mylist = list_append(if_not_exists(mylist, :empty), :more)", values: `{":empty":{"L":[]},":more":{"L":[{"S":"x"}]}}`}),
			want: `{"id":{"S":"k"},"mylist":{"L":[{"S":"x"}]}}`},
		// updateItem/basic.test.ts: list_append argument order controls prepend vs append
		{name: "UpdateItem list_append prepends", spec: hashOnly,
			seed: []string{`{"id":{"S":"k"},"vals":{"L":[{"S":"b"},{"S":"c"}]}}`},
			run:  updateGet(k, upd{expr: "SET vals = list_append(:new, vals)", values: `{":new":{"L":[{"S":"a"}]}}`}),
			want: `{"id":{"S":"k"},"vals":{"L":[{"S":"a"},{"S":"b"},{"S":"c"}]}}`},
		// updateItem/conditions.test.ts: succeeds when ConditionExpression passes; AND — both conditions must be met; comparison operator
		{name: "UpdateItem with a passing condition", spec: hashOnly,
			seed: []string{`{"id":{"S":"k"},"status":{"S":"active"},"score":{"N":"75"}}`},
			run: updateGet(k, upd{expr: "SET #d = :v", cond: "#s = :st AND score > :min AND attribute_not_exists(locked)",
				names: map[string]string{"#d": "data", "#s": "status"}, values: `{":v":{"S":"updated"},":st":{"S":"active"},":min":{"N":"50"}}`}),
			want: `{"data":{"S":"updated"},"id":{"S":"k"},"score":{"N":"75"},"status":{"S":"active"}}`},
		// updateItem/conditions.test.ts: AND — both conditions must be met (failing half)
		{name: "UpdateItem with a failing condition", spec: hashOnly,
			seed: []string{`{"id":{"S":"k"},"status":{"S":"active"},"score":{"N":"75"}}`},
			run: updateGet(k, upd{expr: "SET extra = :v", cond: "#s = :st AND score > :min",
				names: map[string]string{"#s": "status"}, values: `{":v":{"BOOL":true},":st":{"S":"active"},":min":{"N":"100"}}`}),
			wantErr: "ConditionalCheckFailedException: The conditional request failed"},
		// updateItem/conditions.test.ts: ReturnValuesOnConditionCheckFailure ALL_OLD returns existing item on failure
		{name: "UpdateItem ReturnValuesOnConditionCheckFailure ALL_OLD", spec: hashOnly,
			seed: []string{`{"id":{"S":"k"},"status":{"S":"locked"},"data":{"S":"important"}}`},
			run: updateAttrs(k, upd{expr: "SET #d = :v", cond: "#s = :e", names: map[string]string{"#d": "data", "#s": "status"},
				values: `{":v":{"S":"changed"},":e":{"S":"active"}}`, rvOnFail: types.ReturnValuesOnConditionCheckFailureAllOld}),
			want: `failed: {"data":{"S":"important"},"id":{"S":"k"},"status":{"S":"locked"}}`},
		// updateItem/conditions.test.ts: attribute_exists rejects update on non-existent item (no upsert);
		// comparison condition rejects update on non-existent key; no ghost item; combined
		// attribute_exists + equality rejects update on non-existent key; no ghost item
		{name: "UpdateItem conditions on a missing item fail and create nothing", spec: hashOnly,
			run: func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
				var got []any
				for _, u := range []upd{
					{expr: "ADD hit_count :inc", cond: "attribute_exists(id)", values: `{":inc":{"N":"1"}}`},
					{expr: "SET #s = :new", cond: "#sc > :min", names: map[string]string{"#s": "status", "#sc": "score"}, values: `{":new":{"S":"should-not-apply"},":min":{"N":"0"}}`},
					{expr: "SET #s = :new", cond: "attribute_exists(id) AND #s = :expected", names: map[string]string{"#s": "status"}, values: `{":new":{"S":"should-not-apply"},":expected":{"S":"active"}}`},
				} {
					_, err := c.UpdateItem(ctx, u.input(t, tbl, k))
					got = append(got, apiErr(err))
				}
				left, err := scanAll(rd{})(ctx, t, c, tbl)
				if err != nil {
					return nil, err
				}
				return append(got, left), nil
			},
			want: []any{"ConditionalCheckFailedException: The conditional request failed", "ConditionalCheckFailedException: The conditional request failed",
				"ConditionalCheckFailedException: The conditional request failed", []string(nil)}},
		// updateItem/conditions.test.ts: attribute_not_exists upserts on non-existent key; attribute_not_exists
		// upsert with ReturnValues: ALL_NEW returns created attributes
		{name: "UpdateItem attribute_not_exists upserts", spec: hashOnly,
			run: updateAttrs(k, upd{expr: "SET #s = :new, #sc = :score", cond: "attribute_not_exists(id)", names: map[string]string{"#s": "status", "#sc": "score"},
				values: `{":new":{"S":"fresh"},":score":{"N":"42"}}`, rv: types.ReturnValueAllNew}),
			want: `{"id":{"S":"k"},"score":{"N":"42"},"status":{"S":"fresh"}}`},
		// updateItem/conditions.test.ts: attribute_not_exists — update only if attribute is missing
		{name: "UpdateItem attribute_not_exists holds once", spec: hashOnly,
			seed: []string{`{"id":{"S":"k"},"x":{"N":"1"}}`},
			run: func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
				u := upd{expr: "SET locked = :v", cond: "attribute_not_exists(locked)", values: `{":v":{"BOOL":true}}`}
				_, err1 := c.UpdateItem(ctx, u.input(t, tbl, k))
				_, err2 := c.UpdateItem(ctx, u.input(t, tbl, k))
				return []string{apiErr(err1), apiErr(err2)}, nil
			},
			want: []string{"", "ConditionalCheckFailedException: The conditional request failed"}},
		// updateItem/conditions.test.ts: accepts per-condition parens and updates; accepts full-expression wrap and updates;
		// accepts non-redundant nested parens and updates; rejects UpdateItem when parenthesised condition fails; item unchanged
		{name: "UpdateItem conditions with parentheses", spec: hashOnly,
			seed: []string{`{"id":{"S":"k"},"status":{"S":"active"},"score":{"N":"10"}}`},
			run: func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
				names := map[string]string{"#s": "status", "#sc": "score"}
				var got []any
				for _, u := range []upd{
					{expr: "SET #s = :next", cond: "(#s = :cur) AND (#sc > :min)", names: names, values: `{":cur":{"S":"active"},":next":{"S":"step-1"},":min":{"N":"5"}}`},
					{expr: "SET #s = :next", cond: "(#s = :cur AND #sc > :min)", names: names, values: `{":cur":{"S":"step-1"},":next":{"S":"step-2"},":min":{"N":"5"}}`},
					{expr: "SET #s = :next", cond: "(#s = :cur AND (#sc > :min))", names: names, values: `{":cur":{"S":"step-2"},":next":{"S":"step-3"},":min":{"N":"5"}}`},
					{expr: "SET #s = :next", cond: "(#s = :wrong) AND (#sc > :min)", names: names, values: `{":wrong":{"S":"inactive"},":next":{"S":"should-not-apply"},":min":{"N":"5"}}`},
				} {
					_, err := c.UpdateItem(ctx, u.input(t, tbl, k))
					got = append(got, apiErr(err))
				}
				it, err := getJS(ctx, t, c, tbl, k)
				return append(got, it), err
			},
			want: []any{"", "", "", "ConditionalCheckFailedException: The conditional request failed", `{"id":{"S":"k"},"score":{"N":"10"},"status":{"S":"step-3"}}`}},
		// updateItem/paths.test.ts: SET fails when intermediate map path does not exist
		{name: "UpdateItem SET below a missing map", spec: hashOnly,
			seed:    []string{`{"id":{"S":"k"},"topLevel":{"S":"val"}}`},
			run:     updateGet(k, upd{expr: "SET #a.#b.#c = :v", names: map[string]string{"#a": "missing", "#b": "nested", "#c": "deep"}, values: `{":v":{"S":"test"}}`}),
			wantErr: "ValidationException: The document path provided in the update expression is invalid for update"},
		// updateItem/paths.test.ts: SET succeeds on existing nested map path; SET deeply nested path a.b.c when all intermediates exist
		{name: "UpdateItem SET nested map paths", spec: hashOnly,
			seed: []string{`{"id":{"S":"k"},"mymap":{"M":{"nested":{"S":"old"}}},"a":{"M":{"b":{"M":{"c":{"S":"old"}}}}}}`},
			run:  updateGet(k, upd{expr: "SET #m.#n = :v, #a.#b.#c = :w", names: map[string]string{"#m": "mymap", "#n": "nested", "#a": "a", "#b": "b", "#c": "c"}, values: `{":v":{"S":"updated"},":w":{"S":"new"}}`}),
			want: `{"a":{"M":{"b":{"M":{"c":{"S":"new"}}}}},"id":{"S":"k"},"mymap":{"M":{"nested":{"S":"updated"}}}}`},
		// updateItem/paths.test.ts: SET on list index beyond bounds extends the list; SET on list index 0 of empty list succeeds
		{name: "UpdateItem SET past a list's end appends", spec: hashOnly,
			seed: []string{`{"id":{"S":"k"},"l":{"L":[{"S":"a"},{"S":"b"},{"S":"c"}]},"e":{"L":[]}}`},
			run:  updateGet(k, upd{expr: "SET l[5] = :v, e[0] = :f", values: `{":v":{"S":"inserted"},":f":{"S":"first"}}`}),
			want: `{"e":{"L":[{"S":"first"}]},"id":{"S":"k"},"l":{"L":[{"S":"a"},{"S":"b"},{"S":"c"},{"S":"inserted"}]}}`},
		// updateItem/paths.test.ts: REMOVE list element by index removes and shifts; REMOVE last list element
		{name: "UpdateItem REMOVE list elements shifts the rest", spec: hashOnly,
			seed: []string{`{"id":{"S":"k"},"l":{"L":[{"S":"a"},{"S":"b"},{"S":"c"},{"S":"d"}]},"two":{"L":[{"S":"x"},{"S":"y"}]}}`},
			run:  updateGet(k, upd{expr: "REMOVE #l[1], two[1]", names: map[string]string{"#l": "l"}}),
			want: `{"id":{"S":"k"},"l":{"L":[{"S":"a"},{"S":"c"},{"S":"d"}]},"two":{"L":[{"S":"x"}]}}`},
		// updateItem/paths.test.ts: SET on a document path nests under an existing map without flattening
		{name: "UpdateItem SET of a dotted path nests in the map", spec: hashOnly,
			seed: []string{`{"id":{"S":"k"},"parent":{"M":{"keep":{"S":"k"}}}}`},
			run:  updateGet(k, upd{expr: "SET parent.child = :v", values: `{":v":{"S":"nested"}}`}),
			want: `{"id":{"S":"k"},"parent":{"M":{"child":{"S":"nested"},"keep":{"S":"k"}}}}`},
		// updateItem/paths.test.ts: multiple SET on same attribute in one expression
		{name: "UpdateItem SET of one path twice", spec: hashOnly,
			seed:    []string{`{"id":{"S":"k"},"val":{"S":"original"}}`},
			run:     updateGet(k, upd{expr: "SET #v = :a, #v = :b", names: map[string]string{"#v": "val"}, values: `{":a":{"S":"first"},":b":{"S":"second"}}`}),
			wantErr: "ValidationException: Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [val], path two: [val]"},
		// updateItem/paths.test.ts: returns every subpath under UPDATED_NEW when one SET writes several
		{name: "UpdateItem UPDATED_NEW returns every subpath set", spec: hashOnly,
			seed: []string{`{"id":{"S":"k"},"a":{"M":{"existing":{"S":"e"}}}}`},
			run: updateAttrs(k, upd{expr: "SET #a.#b = :x, #a.#c = :y", names: map[string]string{"#a": "a", "#b": "b", "#c": "c"},
				values: `{":x":{"S":"x"},":y":{"S":"y"}}`, rv: types.ReturnValueUpdatedNew}),
			want: `{"a":{"M":{"b":{"S":"x"},"c":{"S":"y"}}}}`},
		// updateItem/basic.test.ts: SET creates a string set whose only member is the empty string;
		// SET on a document path creates a nested set with an empty member
		{name: "UpdateItem SET of a set with an empty member", spec: hashOnly,
			seed: []string{`{"id":{"S":"k"},"wrapper":{"M":{}}}`},
			run:  updateGet(k, upd{expr: "SET tags = :v, wrapper.tags = :v", values: `{":v":{"SS":[""]}}`}),
			want: `{"id":{"S":"k"},"tags":{"SS":[""]},"wrapper":{"M":{"tags":{"SS":[""]}}}}`},
		// updateItem/basic.test.ts: ADD of an empty string member onto an existing set adds it (sorted
		// first); ADD of an empty string member onto a missing attribute creates the set; ADD of an
		// already-present empty member leaves the set unchanged
		{name: "UpdateItem ADD of an empty set member", spec: hashOnly,
			seed: []string{`{"id":{"S":"k"},"tags":{"SS":["a"]},"dup":{"SS":[""]}}`},
			run:  updateGet(k, upd{expr: "ADD tags :e, fresh :e, dup :e", values: `{":e":{"SS":[""]}}`}),
			want: `{"dup":{"SS":[""]},"fresh":{"SS":[""]},"id":{"S":"k"},"tags":{"SS":["","a"]}}`},
		// updateItem/basic.test.ts: ADD of a zero-length binary member onto an existing binary set adds it
		{name: "UpdateItem ADD of a zero-length binary member", spec: hashOnly,
			seed: []string{`{"id":{"S":"k"},"bins":{"BS":["AQ=="]}}`},
			run:  updateGet(k, upd{expr: "ADD bins :e", values: `{":e":{"BS":[""]}}`}),
			want: `{"bins":{"BS":["","AQ=="]},"id":{"S":"k"}}`},
		// updateItem/basic.test.ts: DELETE of the empty member removes it and keeps the rest; DELETE of
		// the last remaining (empty) member removes the attribute entirely; DELETE of the non-empty
		// member leaves a set whose only member is empty
		{name: "UpdateItem DELETE with empty set members", spec: hashOnly,
			seed: []string{`{"id":{"S":"k"},"one":{"SS":["","a"]},"last":{"SS":[""]},"rest":{"SS":["","a"]}}`},
			run:  updateGet(k, upd{expr: "DELETE one :e, #l :e, rest :a", names: map[string]string{"#l": "last"}, values: `{":e":{"SS":[""]},":a":{"SS":["a"]}}`}),
			want: `{"id":{"S":"k"},"one":{"SS":["a"]},"rest":{"SS":[""]}}`},
		// updateItem/basic.test.ts: UPDATED_NEW on a create returns the newly set attributes
		{name: "UpdateItem UPDATED_NEW on a created item", spec: hashOnly,
			run:  updateAttrs(k, upd{expr: "SET a = :a", values: `{":a":{"S":"x"}}`, rv: types.ReturnValueUpdatedNew}),
			want: `{"a":{"S":"x"}}`},
		// updateItem/basic.test.ts: UPDATED_NEW on a nested SET returns only the changed fragment
		{name: "UpdateItem UPDATED_NEW of a nested SET", spec: hashOnly,
			seed: []string{`{"id":{"S":"k"},"parent":{"M":{"keep":{"S":"k"},"child":{"S":"old"}}}}`},
			run:  updateAttrs(k, upd{expr: "SET parent.child = :v", values: `{":v":{"S":"new"}}`, rv: types.ReturnValueUpdatedNew}),
			want: `{"parent":{"M":{"child":{"S":"new"}}}}`},
		// updateItem/basic.test.ts: REMOVE with UPDATED_NEW omits Attributes (nothing was set to a new value)
		{name: "UpdateItem UPDATED_NEW of a REMOVE", spec: hashOnly,
			seed: []string{`{"id":{"S":"k"},"x":{"S":"keep"},"y":{"S":"drop"}}`},
			run:  updateAttrs(k, upd{expr: "REMOVE y", rv: types.ReturnValueUpdatedNew}),
			want: "<nil>"},
		// updateItem/basic.test.ts: with only Key and no update actions creates the item
		{name: "UpdateItem with only a Key creates the item", spec: hashOnly,
			run: func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
				out, err := c.UpdateItem(ctx, upd{}.input(t, tbl, k))
				if err != nil {
					return nil, err
				}
				it, err := getJS(ctx, t, c, tbl, k)
				return []any{js(out.Attributes), it}, err
			},
			want: []any{"<nil>", k}},
	}
}

// rd is a Query or Scan request in short.
type rd struct {
	index, kce, filter, proj string
	names                    map[string]string
	values                   string
	sel                      types.Select
	limit                    int32
	back, consistent         bool
	segment, segments        int32
}

func (r rd) query(t *testing.T, tbl string, start map[string]types.AttributeValue) *dynamodb.QueryInput {
	in := &dynamodb.QueryInput{TableName: aws.String(tbl), ExpressionAttributeNames: r.names, Select: r.sel, ExclusiveStartKey: start}
	if r.index != "" {
		in.IndexName = aws.String(r.index)
	}
	if r.kce != "" {
		in.KeyConditionExpression = aws.String(r.kce)
	}
	if r.filter != "" {
		in.FilterExpression = aws.String(r.filter)
	}
	if r.proj != "" {
		in.ProjectionExpression = aws.String(r.proj)
	}
	if r.values != "" {
		in.ExpressionAttributeValues = vals(t, r.values)
	}
	if r.limit > 0 {
		in.Limit = aws.Int32(r.limit)
	}
	if r.back {
		in.ScanIndexForward = aws.Bool(false)
	}
	if r.consistent {
		in.ConsistentRead = aws.Bool(true)
	}
	return in
}

func (r rd) scan(t *testing.T, tbl string, start map[string]types.AttributeValue) *dynamodb.ScanInput {
	q := r.query(t, tbl, start)
	in := &dynamodb.ScanInput{TableName: q.TableName, IndexName: q.IndexName, FilterExpression: q.FilterExpression, ProjectionExpression: q.ProjectionExpression,
		ExpressionAttributeNames: q.ExpressionAttributeNames, ExpressionAttributeValues: q.ExpressionAttributeValues, Select: q.Select, Limit: q.Limit,
		ConsistentRead: q.ConsistentRead, ExclusiveStartKey: start}
	if r.segments > 0 {
		in.Segment, in.TotalSegments = aws.Int32(r.segment), aws.Int32(r.segments)
	}
	return in
}

// queryRun answers the first page of a Query.
func queryRun(r rd) func(context.Context, *testing.T, *dynamodb.Client, string) (any, error) {
	return func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
		out, err := c.Query(ctx, r.query(t, tbl, nil))
		if err != nil {
			return nil, err
		}
		return queryPage(out), nil
	}
}

// queryPages answers every page of a Query, following LastEvaluatedKey.
func queryPages(r rd) func(context.Context, *testing.T, *dynamodb.Client, string) (any, error) {
	return func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
		var pages []page
		var start map[string]types.AttributeValue
		for len(pages) < 20 {
			out, err := c.Query(ctx, r.query(t, tbl, start))
			if err != nil {
				return nil, err
			}
			pages = append(pages, queryPage(out))
			if start = out.LastEvaluatedKey; start == nil {
				break
			}
		}
		return pages, nil
	}
}

// tied is what a walk of pages of one item each shows: the attribute names
// of every LastEvaluatedKey, the items seen (by one attribute, sorted) and
// whether the walk took at most one page per item plus a final one.
type tied struct {
	LastKeyNames         []string
	Seen                 []string
	AtMostOnePagePerItem bool
}

// tiedPages follows the pages of a Query and answers what it saw as tied,
// naming each item by the string attribute attr.
func tiedPages(r rd, attr string) func(context.Context, *testing.T, *dynamodb.Client, string) (any, error) {
	return func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
		var got tied
		var start map[string]types.AttributeValue
		pages := 0
		for pages < 20 {
			out, err := c.Query(ctx, r.query(t, tbl, start))
			if err != nil {
				return nil, err
			}
			pages++
			for _, it := range out.Items {
				got.Seen = append(got.Seen, it[attr].(*types.AttributeValueMemberS).Value)
			}
			if start = out.LastEvaluatedKey; start == nil {
				break
			}
			names := slices.Sorted(maps.Keys(start))
			if got.LastKeyNames != nil && !slices.Equal(names, got.LastKeyNames) {
				return nil, fmt.Errorf("LastEvaluatedKey names %v, then %v", got.LastKeyNames, names)
			}
			got.LastKeyNames = names
		}
		slices.Sort(got.Seen)
		got.AtMostOnePagePerItem = pages <= len(got.Seen)+1
		return got, nil
	}
}

// scanRun answers the first page of a Scan.
func scanRun(r rd) func(context.Context, *testing.T, *dynamodb.Client, string) (any, error) {
	return func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
		out, err := c.Scan(ctx, r.scan(t, tbl, nil))
		if err != nil {
			return nil, err
		}
		return scanPage(out), nil
	}
}

// scanAll follows a Scan's pages and answers every item seen, sorted (Scan
// order is not DynamoDB's), with the number of pages.
func scanAll(r rd) func(context.Context, *testing.T, *dynamodb.Client, string) (any, error) {
	return func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
		var items []string
		var start map[string]types.AttributeValue
		for pages := 0; pages < 50; pages++ {
			out, err := c.Scan(ctx, r.scan(t, tbl, start))
			if err != nil {
				return nil, err
			}
			items = append(items, jsItems(out.Items)...)
			if start = out.LastEvaluatedKey; start == nil {
				break
			}
		}
		sortStrings(items)
		return items, nil
	}
}

func queryCases() []conformanceCase {
	abc := canon(`{"pk":{"S":"p"},"sk":{"S":"1"},"data":{"S":"a"}}`, `{"pk":{"S":"p"},"sk":{"S":"2"},"data":{"S":"b"}}`, `{"pk":{"S":"p"},"sk":{"S":"3"},"data":{"S":"c"}}`)
	people := []string{
		`{"pk":{"S":"p"},"sk":{"S":"1"},"name":{"S":"alice"},"age":{"N":"30"},"tags":{"SS":["admin","user"]},"m":{"M":{"nested":{"S":"deep"}}},"l":{"L":[{"S":"first"},{"S":"second"}]}}`,
		`{"pk":{"S":"p"},"sk":{"S":"2"},"name":{"S":"bob"},"age":{"N":"25"},"tags":{"SS":["user"]},"m":{"M":{"nested":{"S":"other"}}},"l":{"L":[{"S":"alpha"},{"S":"beta"}]}}`,
		`{"pk":{"S":"p"},"sk":{"S":"3"},"name":{"S":"carol"},"age":{"N":"35"},"tags":{"SS":["admin","manager"]},"m":{"M":{"nested":{"S":"deep"}}},"l":{"L":[{"S":"first"},{"S":"gamma"}]}}`,
		`{"pk":{"S":"p"},"sk":{"S":"4"},"name":{"S":"dave"},"age":{"N":"28"},"tags":{"SS":["viewer"]},"m":{"M":{"nested":{"S":"v0"},"k1":{"S":"v1"},"k2":{"S":"v2"}}},"l":{"L":[{"S":"x"},{"S":"y"},{"S":"z"},{"S":"w"}]},"bin":{"B":"AQIDBAU="}}`,
	}
	// filterSKs answers the sort keys a filter over people keeps.
	filterSKs := func(filter string, names map[string]string, values string) func(context.Context, *testing.T, *dynamodb.Client, string) (any, error) {
		return func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
			if values == "" {
				values = `{}`
			}
			v := vals(t, values)
			v[":pk"] = &types.AttributeValueMemberS{Value: "p"}
			in := rd{kce: "pk = :pk", filter: filter, names: names}.query(t, tbl, nil)
			in.ExpressionAttributeValues = v
			out, err := c.Query(ctx, in)
			if err != nil {
				return nil, err
			}
			sks := []string{}
			for _, it := range out.Items {
				sks = append(sks, it["sk"].(*types.AttributeValueMemberS).Value)
			}
			return sks, nil
		}
	}
	var ten, evenOdd []string
	for i := range 10 {
		ten = append(ten, `{"pk":{"S":"p"},"sk":{"S":"00`+itoa(i)+`"}}`)
		cat := "even"
		if i%2 == 1 {
			cat = "odd"
		}
		evenOdd = append(evenOdd, `{"cat":{"S":"`+cat+`"},"pk":{"S":"p"},"sk":{"S":"00`+itoa(i)+`"}}`)
	}
	idx := canon(
		`{"pk":{"S":"q1"},"sk":{"S":"a"},"lsi1sk":{"S":"alpha"},"lsi2sk":{"S":"x-100"},"data":{"S":"item1"},"extra":{"S":"e1"}}`,
		`{"pk":{"S":"q1"},"sk":{"S":"b"},"lsi1sk":{"S":"alpha-2"},"lsi2sk":{"S":"x-200"},"data":{"S":"item2"}}`,
		`{"pk":{"S":"q1"},"sk":{"S":"c"},"lsi1sk":{"S":"beta"},"lsi2sk":{"S":"x-150"},"data":{"S":"item3"}}`,
		`{"pk":{"S":"q2"},"sk":{"S":"a"},"lsi1sk":{"S":"alpha"},"lsi2sk":{"S":"x-300"},"data":{"S":"other"}}`,
		`{"pk":{"S":"sparse"},"sk":{"S":"x"}}`,
	)
	return []conformanceCase{
		// query/filterExpressionParens.test.ts: accepts per-condition parens; accepts full-expression wrap;
		// accepts non-redundant nested parens; combines parens with begins_with
		{name: "Query filters with parentheses", spec: composite,
			seed: []string{`{"pk":{"S":"feq-parens"},"sk":{"S":"1"},"type":{"S":"alpha"},"status":{"S":"active"},"name":{"S":"alice"}}`,
				`{"pk":{"S":"feq-parens"},"sk":{"S":"2"},"type":{"S":"beta"},"status":{"S":"inactive"},"name":{"S":"bob"}}`,
				`{"pk":{"S":"feq-parens"},"sk":{"S":"3"},"type":{"S":"gamma"},"status":{"S":"active"},"name":{"S":"alex"}}`,
				`{"pk":{"S":"feq-parens"},"sk":{"S":"4"},"type":{"S":"alpha"},"status":{"S":"active"},"name":{"S":"carol"}}`},
			run: func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
				got := map[string][]string{}
				for _, f := range []struct{ filter, values string }{
					{"(#t = :a) OR (#t = :b)", `{":pk":{"S":"feq-parens"},":a":{"S":"alpha"},":b":{"S":"beta"}}`},
					{"(#t = :a OR #t = :b)", `{":pk":{"S":"feq-parens"},":a":{"S":"alpha"},":b":{"S":"beta"}}`},
					{"(#t = :a OR (#t = :b))", `{":pk":{"S":"feq-parens"},":a":{"S":"alpha"},":b":{"S":"beta"}}`},
					{"(#s = :s) AND (begins_with(#n, :p))", `{":pk":{"S":"feq-parens"},":s":{"S":"active"},":p":{"S":"al"}}`},
				} {
					names := map[string]string{"#pk": "pk"}
					for k, v := range map[string]string{"#t": "type", "#s": "status", "#n": "name"} {
						if uses(f.filter, k) {
							names[k] = v
						}
					}
					out, err := c.Query(ctx, rd{kce: "#pk = :pk", filter: f.filter, names: names, values: f.values}.query(t, tbl, nil))
					if err != nil {
						return nil, fmt.Errorf("%s: %w", f.filter, err)
					}
					sks := []string{}
					for _, it := range out.Items {
						sks = append(sks, it["sk"].(*types.AttributeValueMemberS).Value)
					}
					got[f.filter] = sks
				}
				return got, nil
			},
			want: map[string][]string{"(#t = :a) OR (#t = :b)": {"1", "2", "4"}, "(#t = :a OR #t = :b)": {"1", "2", "4"},
				"(#t = :a OR (#t = :b))": {"1", "2", "4"}, "(#s = :s) AND (begins_with(#n, :p))": {"1", "3"}}},
		// query/keyConditionSemantics.test.ts: accepts a reversed-operand sort-key comparison
		{name: "Query value on the left of a sort key comparison", spec: composite, seed: []string{`{"pk":{"S":"p"},"sk":{"S":"m"}}`, `{"pk":{"S":"p"},"sk":{"S":"0"}}`},
			run:  queryRun(rd{kce: "#pk = :pk AND :lo <= #sk", names: map[string]string{"#pk": "pk", "#sk": "sk"}, values: `{":pk":{"S":"p"},":lo":{"S":"a"}}`}),
			want: page{Items: []string{`{"pk":{"S":"p"},"sk":{"S":"m"}}`}, Count: 1, ScannedCount: 1}},
		// query/keyConditionSemantics.test.ts: rejects a nested path on a key attribute
		{name: "Query nested path on a key attribute", spec: composite,
			run:     queryRun(rd{kce: "#pk = :pk AND #sk.foo = :v", names: map[string]string{"#pk": "pk", "#sk": "sk"}, values: `{":pk":{"S":"p"},":v":{"S":"x"}}`}),
			wantErr: "ValidationException: Invalid KeyConditionExpression: KeyConditionExpressions cannot have conditions on nested attributes"},
		// query/keyConditionParens.test.ts: accepts parenthesized sub-expressions
		{name: "Query key condition with parenthesized halves", spec: composite, seed: abc,
			run:  queryRun(rd{kce: "(#pk = :pk) AND (#sk = :sk)", names: map[string]string{"#pk": "pk", "#sk": "sk"}, values: `{":pk":{"S":"p"},":sk":{"S":"1"}}`}),
			want: page{Items: abc[:1], Count: 1, ScannedCount: 1}},
		// query/keyConditionParens.test.ts: accepts parentheses around the full KeyConditionExpression
		{name: "Query key condition in parentheses", spec: composite, seed: abc,
			run:  queryRun(rd{kce: "(#pk = :pk AND #sk = :sk)", names: map[string]string{"#pk": "pk", "#sk": "sk"}, values: `{":pk":{"S":"p"},":sk":{"S":"2"}}`}),
			want: page{Items: abc[1:2], Count: 1, ScannedCount: 1}},
		// query/keyConditionParens.test.ts: handles nested parentheses in KeyConditionExpression
		{name: "Query key condition with nested parentheses", spec: composite, seed: abc,
			run:  queryRun(rd{kce: "(#pk = :pk AND (#sk = :sk))", names: map[string]string{"#pk": "pk", "#sk": "sk"}, values: `{":pk":{"S":"p"},":sk":{"S":"3"}}`}),
			want: page{Items: abc[2:], Count: 1, ScannedCount: 1}},
		// query/select.test.ts: Select COUNT returns count without items; Select COUNT with FilterExpression
		{name: "Query Select COUNT with a filter", spec: composite,
			seed: []string{`{"pk":{"S":"p"},"sk":{"S":"a"},"st":{"S":"on"}}`, `{"pk":{"S":"p"},"sk":{"S":"b"},"st":{"S":"off"}}`, `{"pk":{"S":"p"},"sk":{"S":"c"},"st":{"S":"on"}}`},
			run: func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
				out, err := c.Query(ctx, rd{kce: "pk = :pk", filter: "st = :s", values: `{":pk":{"S":"p"},":s":{"S":"on"}}`, sel: types.SelectCount}.query(t, tbl, nil))
				if err != nil {
					return nil, err
				}
				return []any{out.Items == nil, out.Count, out.ScannedCount}, nil
			},
			want: []any{true, int32(2), int32(3)}},
		// query/select.test.ts: Select ALL_PROJECTED_ATTRIBUTES on GSI returns only projected attributes
		{name: "Query Select ALL_PROJECTED_ATTRIBUTES on an INCLUDE index", spec: composite, seed: idx[:1],
			run:  queryRun(rd{index: "gsi2", kce: "#hk = :hk", names: map[string]string{"#hk": "lsi1sk"}, values: `{":hk":{"S":"alpha"}}`, sel: types.SelectAllProjectedAttributes}),
			want: page{Items: []string{`{"data":{"S":"item1"},"lsi1sk":{"S":"alpha"},"lsi2sk":{"S":"x-100"},"pk":{"S":"q1"},"sk":{"S":"a"}}`}, Count: 1, ScannedCount: 1}},
		// query/select.test.ts: Select ALL_ATTRIBUTES on LSI returns all base table attributes
		{name: "Query Select ALL_ATTRIBUTES on an ALL local index", spec: composite, seed: idx[:1],
			run:  queryRun(rd{index: "lsi1", kce: "pk = :pk", values: `{":pk":{"S":"q1"}}`, sel: types.SelectAllAttributes, consistent: true}),
			want: page{Items: idx[:1], Count: 1, ScannedCount: 1}},
		// query/select.test.ts: Select SPECIFIC_ATTRIBUTES with ProjectionExpression succeeds
		{name: "Query Select SPECIFIC_ATTRIBUTES with a projection", spec: composite, seed: abc[:1],
			run:  queryRun(rd{kce: "#pk = :pk", names: map[string]string{"#pk": "pk", "#sk": "sk"}, values: `{":pk":{"S":"p"}}`, proj: "#pk, #sk", sel: types.SelectSpecificAttributes}),
			want: page{Items: []string{`{"pk":{"S":"p"},"sk":{"S":"1"}}`}, Count: 1, ScannedCount: 1}},
		// query/expressions.test.ts: every filter function and operator case
		{name: "Query filter functions and operators", spec: composite, seed: people,
			run: func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
				n := map[string]string{"#n": "name"}
				got := map[string]any{}
				for _, f := range []struct {
					name, filter string
					names        map[string]string
					values       string
				}{
					{"size>", "size(#n) > :v", n, `{":v":{"N":"3"}}`},
					{"contains substring", "contains(#n, :v)", n, `{":v":{"S":"lic"}}`},
					{"contains set", "contains(tags, :v)", nil, `{":v":{"S":"admin"}}`},
					{"attribute_type", "attribute_type(#n, :v)", n, `{":v":{"S":"S"}}`},
					{"begins_with", "begins_with(#n, :v)", n, `{":v":{"S":"car"}}`},
					{"IN", "#n IN (:a, :b)", n, `{":a":{"S":"alice"},":b":{"S":"carol"}}`},
					{"NOT contains", "NOT contains(tags, :v)", nil, `{":v":{"S":"admin"}}`},
					{"AND", "#n = :a AND age > :v", n, `{":a":{"S":"alice"},":v":{"N":"20"}}`},
					{"OR", "#n = :a OR #n = :b", n, `{":a":{"S":"alice"},":b":{"S":"bob"}}`},
					{"BETWEEN", "age BETWEEN :a AND :b", nil, `{":a":{"N":"26"},":b":{"N":"34"}}`},
					{"map path", "m.nested = :v", nil, `{":v":{"S":"deep"}}`},
					{"list index", "l[0] = :v", nil, `{":v":{"S":"first"}}`},
					{"size list", "size(l) = :v", nil, `{":v":{"N":"4"}}`},
					{"size set", "size(tags) = :v", nil, `{":v":{"N":"1"}}`},
					{"size map", "size(m) > :v", nil, `{":v":{"N":"2"}}`},
					{"size binary", "size(bin) > :v", nil, `{":v":{"N":"3"}}`},
				} {
					sks, err := filterSKs(f.filter, f.names, f.values)(ctx, t, c, tbl)
					if err != nil {
						return nil, err
					}
					got[f.name] = sks
				}
				return got, nil
			},
			want: map[string]any{
				"size>": []string{"1", "3", "4"}, "contains substring": []string{"1"}, "contains set": []string{"1", "3"},
				"attribute_type": []string{"1", "2", "3", "4"}, "begins_with": []string{"3"}, "IN": []string{"1", "3"},
				"NOT contains": []string{"2", "4"}, "AND": []string{"1"}, "OR": []string{"1", "2"}, "BETWEEN": []string{"1", "4"},
				"map path": []string{"1", "3"}, "list index": []string{"1", "3"}, "size list": []string{"4"}, "size set": []string{"2", "4"},
				"size map": []string{"4"}, "size binary": []string{"4"},
			}},
		// query/basic.test.ts: key conditions (begins_with, BETWEEN, <, >=) and ScanIndexForward=false
		{name: "Query sort key conditions on strings", spec: composite,
			seed: []string{`{"pk":{"S":"p"},"sk":{"S":"alpha"}}`, `{"pk":{"S":"p"},"sk":{"S":"beta"}}`, `{"pk":{"S":"p"},"sk":{"S":"gamma"}}`, `{"pk":{"S":"p"},"sk":{"S":"delta"}}`},
			run: func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
				got := map[string][]string{}
				for _, kc := range []string{"pk = :p AND begins_with(sk, :b)", "pk = :p AND sk BETWEEN :b AND :d", "pk = :p AND sk < :c", "pk = :p AND sk >= :d", "pk = :p"} {
					v := `{":p":{"S":"p"}`
					for _, w := range []string{"b", "c", "d"} {
						if strings.Contains(kc, ":"+w) {
							v += `,":` + w + `":{"S":"` + map[string]string{"b": "b", "c": "c", "d": "delta"}[w] + `"}`
						}
					}
					out, err := c.Query(ctx, rd{kce: kc, values: v + "}", back: kc == "pk = :p"}.query(t, tbl, nil))
					if err != nil {
						return nil, err
					}
					for _, it := range out.Items {
						got[kc] = append(got[kc], it["sk"].(*types.AttributeValueMemberS).Value)
					}
				}
				return got, nil
			},
			want: map[string][]string{"pk = :p AND begins_with(sk, :b)": {"beta"}, "pk = :p AND sk BETWEEN :b AND :d": {"beta", "delta"},
				"pk = :p AND sk < :c": {"alpha", "beta"}, "pk = :p AND sk >= :d": {"delta", "gamma"}, "pk = :p": {"gamma", "delta", "beta", "alpha"}}},
		// query/basic.test.ts: respects Limit parameter; paginates through all items; returns no LastEvaluatedKey when all items fit in one page
		{name: "Query pages with Limit", spec: composite, seed: ten,
			run: queryPages(rd{kce: "pk = :pk", values: `{":pk":{"S":"p"}}`, limit: 4}),
			want: []page{{Items: ten[:4], Count: 4, ScannedCount: 4, LastKey: `{"pk":{"S":"p"},"sk":{"S":"003"}}`},
				{Items: ten[4:8], Count: 4, ScannedCount: 4, LastKey: `{"pk":{"S":"p"},"sk":{"S":"007"}}`},
				{Items: ten[8:], Count: 2, ScannedCount: 2}}},
		// query/basic.test.ts: Limit applies to scanned items, not filtered items; Limit with filter may return fewer items than Limit
		{name: "Query Limit counts items before the filter", spec: composite, seed: evenOdd,
			run:  queryRun(rd{kce: "#pk = :pk", filter: "#cat = :cat", names: map[string]string{"#pk": "pk", "#cat": "cat"}, values: `{":pk":{"S":"p"},":cat":{"S":"even"}}`, limit: 2}),
			want: page{Items: evenOdd[:1], Count: 1, ScannedCount: 2, LastKey: `{"pk":{"S":"p"},"sk":{"S":"001"}}`}},
		// query/basic.test.ts: returns empty results for a non-existent partition key
		{name: "Query of an empty partition", spec: composite, seed: abc,
			run:  queryRun(rd{kce: "pk = :pk", values: `{":pk":{"S":"none"}}`}),
			want: page{Items: []string{}}},
		// query/numericKeys.test.ts: numeric sort key orders correctly across negative, zero, and positive; >= on negative; BETWEEN; Limit
		{name: "Query numeric sort keys", spec: hashRange,
			seed: []string{`{"pk":{"S":"n"},"sk":{"N":"100"}}`, `{"pk":{"S":"n"},"sk":{"N":"-5"}}`, `{"pk":{"S":"n"},"sk":{"N":"10"}}`, `{"pk":{"S":"n"},"sk":{"N":"0"}}`,
				`{"pk":{"S":"n"},"sk":{"N":"-100"}}`, `{"pk":{"S":"n"},"sk":{"N":"5"}}`, `{"pk":{"S":"n"},"sk":{"N":"-1"}}`, `{"pk":{"S":"n"},"sk":{"N":"1"}}`},
			run: func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
				got := map[string][]string{}
				for _, r := range []rd{
					{kce: "pk = :p", values: `{":p":{"S":"n"}}`},
					{kce: "pk = :p", values: `{":p":{"S":"n"}}`, back: true, limit: 3},
					{kce: "pk = :p AND sk >= :v", values: `{":p":{"S":"n"},":v":{"N":"-1"}}`},
					{kce: "pk = :p AND sk BETWEEN :a AND :b", values: `{":p":{"S":"n"},":a":{"N":"1"},":b":{"N":"10"}}`},
				} {
					out, err := c.Query(ctx, r.query(t, tbl, nil))
					if err != nil {
						return nil, err
					}
					key := r.kce
					if r.back {
						key += " backwards, Limit 3"
					}
					for _, it := range out.Items {
						got[key] = append(got[key], it["sk"].(*types.AttributeValueMemberN).Value)
					}
				}
				return got, nil
			},
			want: map[string][]string{"pk = :p": {"-100", "-5", "-1", "0", "1", "5", "10", "100"}, "pk = :p backwards, Limit 3": {"100", "10", "5"},
				"pk = :p AND sk >= :v": {"-1", "0", "1", "5", "10", "100"}, "pk = :p AND sk BETWEEN :a AND :b": {"1", "5", "10"}}},
		// query/binaryKeys.test.ts: supports > comparison on binary sort key (byte-wise); supports begins_with on binary sort key
		{name: "Query binary sort key comparisons", spec: tableSpec{key: "pk:S sk:B"},
			seed: []string{`{"pk":{"S":"b"},"sk":{"B":"AQ=="}}`, `{"pk":{"S":"b"},"sk":{"B":"AQI="}}`, `{"pk":{"S":"b"},"sk":{"B":"Ag=="}}`, `{"pk":{"S":"b"},"sk":{"B":"/w=="}}`},
			run: func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
				var got [][]string
				for _, r := range []rd{
					{kce: "pk = :p AND sk > :v", values: `{":p":{"S":"b"},":v":{"B":"AQI="}}`},
					{kce: "pk = :p AND begins_with(sk, :v)", values: `{":p":{"S":"b"},":v":{"B":"AQ=="}}`},
					{kce: "pk = :p", values: `{":p":{"S":"b"}}`, back: true},
				} {
					out, err := c.Query(ctx, r.query(t, tbl, nil))
					if err != nil {
						return nil, err
					}
					got = append(got, jsItems(out.Items))
				}
				return got, nil
			},
			want: [][]string{
				{`{"pk":{"S":"b"},"sk":{"B":"Ag=="}}`, `{"pk":{"S":"b"},"sk":{"B":"/w=="}}`},
				{`{"pk":{"S":"b"},"sk":{"B":"AQ=="}}`, `{"pk":{"S":"b"},"sk":{"B":"AQI="}}`},
				{`{"pk":{"S":"b"},"sk":{"B":"/w=="}}`, `{"pk":{"S":"b"},"sk":{"B":"Ag=="}}`, `{"pk":{"S":"b"},"sk":{"B":"AQI="}}`, `{"pk":{"S":"b"},"sk":{"B":"AQ=="}}`},
			}},
		// query/gsi.test.ts: queries a hash-only GSI; sparse GSI: items without GSI key attributes are excluded
		{name: "Query a hash-only global index", spec: composite, seed: idx,
			run: func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
				out, err := c.Query(ctx, rd{index: "gsi1", kce: "lsi1sk = :v", values: `{":v":{"S":"alpha"}}`}.query(t, tbl, nil))
				if err != nil {
					return nil, err
				}
				items := jsItems(out.Items)
				sortStrings(items) // items sharing a global index key come in no documented order
				return items, nil
			},
			want: []string{idx[0], idx[3]}},
		// query/gsi.test.ts: queries a composite GSI (gsi2) with hash and range
		{name: "Query a composite global index with an INCLUDE projection", spec: composite, seed: idx,
			run:  queryRun(rd{index: "gsi2", kce: "lsi1sk = :pk AND lsi2sk = :sk", values: `{":pk":{"S":"alpha"},":sk":{"S":"x-100"}}`}),
			want: page{Items: []string{`{"data":{"S":"item1"},"lsi1sk":{"S":"alpha"},"lsi2sk":{"S":"x-100"},"pk":{"S":"q1"},"sk":{"S":"a"}}`}, Count: 1, ScannedCount: 1}},
		// query/lsi.test.ts: queries LSI with equality / begins_with on sort key; ALL projection; returns items only from the queried partition
		{name: "Query a local index in index order", spec: composite, seed: idx,
			run:  queryRun(rd{index: "lsi1", kce: "pk = :pk AND begins_with(lsi1sk, :pre)", values: `{":pk":{"S":"q1"},":pre":{"S":"alpha"}}`, consistent: true}),
			want: page{Items: idx[:2], Count: 2, ScannedCount: 2}},
		// query/lsi.test.ts: queries LSI with BETWEEN on sort key; INCLUDE projection returns only specified non-key attributes plus keys
		{name: "Query an INCLUDE local index with BETWEEN", spec: composite, seed: idx,
			run: queryRun(rd{index: "lsi2", kce: "pk = :pk AND lsi2sk BETWEEN :lo AND :hi", values: `{":pk":{"S":"q1"},":lo":{"S":"x-100"},":hi":{"S":"x-200"}}`, consistent: true}),
			want: page{Items: []string{
				`{"lsi1sk":{"S":"alpha"},"lsi2sk":{"S":"x-100"},"pk":{"S":"q1"},"sk":{"S":"a"}}`,
				`{"lsi1sk":{"S":"beta"},"lsi2sk":{"S":"x-150"},"pk":{"S":"q1"},"sk":{"S":"c"}}`,
				`{"lsi1sk":{"S":"alpha-2"},"lsi2sk":{"S":"x-200"},"pk":{"S":"q1"},"sk":{"S":"b"}}`,
			}, Count: 3, ScannedCount: 3}},
		// query/gsi.test.ts: sparse composite GSI: an item with the GSI hash key but no range key is excluded
		{name: "Query a composite global index skips items without its range key", spec: composite,
			seed: []string{`{"pk":{"S":"gsi-sparse-range"},"sk":{"S":"x"},"lsi1sk":{"S":"h"}}`},
			run: func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
				got := map[string]int32{}
				for _, ix := range []string{"gsi1", "gsi2"} {
					out, err := c.Query(ctx, rd{index: ix, kce: "lsi1sk = :v", values: `{":v":{"S":"h"}}`}.query(t, tbl, nil))
					if err != nil {
						return nil, err
					}
					got[ix] = out.Count
				}
				return got, nil
			},
			want: map[string]int32{"gsi1": 1, "gsi2": 0}},
		// query/gsi.test.ts: composes LastEvaluatedKey from base and index keys and walks every tied item once
		{name: "Query pages of a global index across tied index keys", spec: composite,
			seed: []string{`{"pk":{"S":"gsi-tie-0"},"sk":{"S":"s-0"},"lsi1sk":{"S":"h"},"lsi2sk":{"S":"r"}}`, `{"pk":{"S":"gsi-tie-1"},"sk":{"S":"s-1"},"lsi1sk":{"S":"h"},"lsi2sk":{"S":"r"}}`,
				`{"pk":{"S":"gsi-tie-2"},"sk":{"S":"s-2"},"lsi1sk":{"S":"h"},"lsi2sk":{"S":"r"}}`, `{"pk":{"S":"gsi-tie-3"},"sk":{"S":"s-3"},"lsi1sk":{"S":"h"},"lsi2sk":{"S":"r"}}`},
			run:  tiedPages(rd{index: "gsi2", kce: "lsi1sk = :h AND lsi2sk = :r", values: `{":h":{"S":"h"},":r":{"S":"r"}}`, limit: 1}, "pk"),
			want: tied{LastKeyNames: []string{"lsi1sk", "lsi2sk", "pk", "sk"}, Seen: []string{"gsi-tie-0", "gsi-tie-1", "gsi-tie-2", "gsi-tie-3"}, AtMostOnePagePerItem: true}},
		// query/lsi.test.ts: composes LastEvaluatedKey from base and index keys and walks every tied item once
		{name: "Query pages of a local index across tied index keys", spec: composite,
			seed: []string{`{"pk":{"S":"lsi-tie"},"sk":{"S":"s-0"},"lsi1sk":{"S":"t"}}`, `{"pk":{"S":"lsi-tie"},"sk":{"S":"s-1"},"lsi1sk":{"S":"t"}}`,
				`{"pk":{"S":"lsi-tie"},"sk":{"S":"s-2"},"lsi1sk":{"S":"t"}}`, `{"pk":{"S":"lsi-tie"},"sk":{"S":"s-3"},"lsi1sk":{"S":"t"}}`},
			run:  tiedPages(rd{index: "lsi1", kce: "pk = :p AND lsi1sk = :v", values: `{":p":{"S":"lsi-tie"},":v":{"S":"t"}}`, limit: 1, consistent: true}, "sk"),
			want: tied{LastKeyNames: []string{"lsi1sk", "pk", "sk"}, Seen: []string{"s-0", "s-1", "s-2", "s-3"}, AtMostOnePagePerItem: true}},
		// query/expressions.test.ts: size() counts UTF-16 code units (3), not UTF-8 bytes (6); size() of a
		// missing attribute does not match (undefined, not 0)
		{name: "Query filter size() of a string counts UTF-16 code units", spec: composite,
			seed: []string{`{"pk":{"S":"p"},"sk":{"S":"1"},"s":{"S":"\u00e9\ud834\udd1e"}}`},
			run: func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
				got := map[string][]string{}
				for _, f := range []struct{ name, filter, n string }{{"3", "size(s) = :n", "3"}, {"6", "size(s) = :n", "6"}, {"missing", "size(no_such_attr) = :n", "0"}} {
					sks, err := filterSKs(f.filter, nil, `{":n":{"N":"`+f.n+`"}}`)(ctx, t, c, tbl)
					if err != nil {
						return nil, err
					}
					got[f.name] = sks.([]string)
				}
				return got, nil
			},
			want: map[string][]string{"3": {"1"}, "6": {}, "missing": {}}},
		// query/gsiHashOnlyPagination.test.ts: walks every item across pages when they share the GSI hash and base partition key
		{name: "Query pages of a hash-only global index over one partition", spec: tableSpec{key: "pk:S sk:S", gsis: []indexSpec{{name: "gho", key: "gh:S"}}},
			seed: []string{`{"pk":{"S":"p"},"sk":{"S":"s0"},"gh":{"S":"g"}}`, `{"pk":{"S":"p"},"sk":{"S":"s1"},"gh":{"S":"g"}}`, `{"pk":{"S":"p"},"sk":{"S":"s2"},"gh":{"S":"g"}}`,
				`{"pk":{"S":"p"},"sk":{"S":"s3"},"gh":{"S":"g"}}`, `{"pk":{"S":"p"},"sk":{"S":"s4"},"gh":{"S":"g"}}`},
			run: func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
				pages, err := queryPages(rd{index: "gho", kce: "#gh = :gh", names: map[string]string{"#gh": "gh"}, values: `{":gh":{"S":"g"}}`, limit: 2})(ctx, t, c, tbl)
				if err != nil {
					return nil, err
				}
				var items []string
				for _, p := range pages.([]page) {
					items = append(items, p.Items...)
				}
				sortStrings(items)
				return []any{len(pages.([]page)), items}, nil
			},
			want: []any{3, []string{`{"gh":{"S":"g"},"pk":{"S":"p"},"sk":{"S":"s0"}}`, `{"gh":{"S":"g"},"pk":{"S":"p"},"sk":{"S":"s1"}}`, `{"gh":{"S":"g"},"pk":{"S":"p"},"sk":{"S":"s2"}}`,
				`{"gh":{"S":"g"},"pk":{"S":"p"},"sk":{"S":"s3"}}`, `{"gh":{"S":"g"},"pk":{"S":"p"},"sk":{"S":"s4"}}`}}},
	}
}

// uses reports whether expr mentions the placeholder k (#name or :value).
func uses(expr, k string) bool {
	for i := strings.Index(expr, k); i >= 0; {
		end := i + len(k)
		if end == len(expr) || !strings.ContainsRune("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_", rune(expr[end])) {
			return true
		}
		j := strings.Index(expr[end:], k)
		if j < 0 {
			break
		}
		i = end + j
	}
	return false
}

func scanCases() []conformanceCase {
	fo := canon(
		`{"id":{"S":"fo-1"},"str":{"S":"apple"},"num":{"N":"10"},"bin":{"B":"AQI="},"set":{"SS":["a","b"]}}`,
		`{"id":{"S":"fo-2"},"str":{"S":"banana"},"num":{"N":"20"},"bin":{"B":"AwQ="},"set":{"SS":["b","c"]}}`,
		`{"id":{"S":"fo-3"},"str":{"S":"cherry"},"num":{"N":"30"},"bin":{"B":"BQY="},"set":{"SS":["a","c"]}}`,
		`{"id":{"S":"other"}}`,
	)
	parens := canon(
		`{"pk":{"S":"p1"},"sk":{"S":"x"},"lsi1sk":{"S":"m"},"type":{"S":"alpha"},"status":{"S":"active"}}`,
		`{"pk":{"S":"p2"},"sk":{"S":"x"},"lsi1sk":{"S":"m"},"type":{"S":"beta"},"status":{"S":"inactive"}}`,
		`{"pk":{"S":"p3"},"sk":{"S":"x"},"lsi1sk":{"S":"m"},"type":{"S":"gamma"},"status":{"S":"active"}}`,
		`{"pk":{"S":"p4"},"sk":{"S":"x"},"lsi1sk":{"S":"m"},"type":{"S":"alpha"},"status":{"S":"active"}}`,
		`{"pk":{"S":"p5"},"sk":{"S":"x"},"type":{"S":"alpha"}}`,
	)
	var twenty, widgets, lsiWidgets, fifth, lsiFifth []string
	for i := range 50 {
		n := fmt.Sprintf("%03d", i)
		if i < 20 {
			twenty = append(twenty, `{"id":{"S":"par-`+n+`"},"val":{"N":"`+itoa(i)+`"}}`)
		}
		widgets = append(widgets, `{"ID":{"S":"item-`+n+`"},"Num":{"N":"`+itoa(i)+`"},"Type":{"S":"widget"}}`)
		lsiWidgets = append(lsiWidgets, `{"ID":{"S":"widget"},"Lsk":{"S":"group-`+itoa(i%5)+`"},"Num":{"N":"`+itoa(i)+`"},"SK":{"S":"item-`+n+`"}}`)
		if i%5 == 0 {
			fifth = append(fifth, widgets[i])
			lsiFifth = append(lsiFifth, lsiWidgets[i])
		}
	}
	sortStrings(lsiFifth)
	sortStrings(lsiWidgets)
	const fifths = `{":v0":{"N":"0"},":v1":{"N":"5"},":v2":{"N":"10"},":v3":{"N":"15"},":v4":{"N":"20"},":v5":{"N":"25"},":v6":{"N":"30"},":v7":{"N":"35"},":v8":{"N":"40"},":v9":{"N":"45"}}`
	const fifthsIn = "Num IN (:v0, :v1, :v2, :v3, :v4, :v5, :v6, :v7, :v8, :v9)"
	var ties []string
	for i := range 5 {
		ties = append(ties, `{"GSort":{"S":"same"},"GType":{"S":"tie"},"ID":{"S":"id-`+itoa(i)+`"}}`)
	}
	gsiPage := tableSpec{key: "ID:S", gsis: []indexSpec{{name: "TypeIndex", key: "Type:S ID:S"}}}
	lsiPage := tableSpec{key: "ID:S SK:S", lsis: []indexSpec{{name: "LsiIndex", key: "ID:S Lsk:S"}}}
	statuses := []string{`{"id":{"S":"scan-filter-0"},"status":{"S":"active"}}`, `{"id":{"S":"scan-filter-1"},"status":{"S":"inactive"}}`, `{"id":{"S":"scan-filter-2"},"status":{"S":"active"}}`}
	sesk := []string{`{"id":{"S":"sesk-0"},"val":{"N":"0"}}`, `{"id":{"S":"sesk-1"},"val":{"N":"1"}}`, `{"id":{"S":"sesk-2"},"val":{"N":"2"}}`, `{"id":{"S":"sesk-3"},"val":{"N":"3"}}`}
	scanGSI := []string{
		`{"pk":{"S":"scan-gsi-1"},"sk":{"S":"a"},"lsi1sk":{"S":"scan-gsi-hash-A"},"lsi2sk":{"S":"r1"},"data":{"S":"val1"},"extra":{"S":"should-not-appear-in-gsi2"}}`,
		`{"pk":{"S":"scan-gsi-2"},"sk":{"S":"b"},"lsi1sk":{"S":"scan-gsi-hash-A"},"lsi2sk":{"S":"r2"},"data":{"S":"val2"},"extra":{"S":"also-not-in-gsi2"}}`,
		`{"pk":{"S":"scan-gsi-3"},"sk":{"S":"c"},"lsi1sk":{"S":"scan-gsi-hash-B"},"lsi2sk":{"S":"r3"},"data":{"S":"val3"},"extra":{"S":"nope"}}`,
	}
	scanLSI := []string{
		`{"pk":{"S":"scan-lsi-1"},"sk":{"S":"a"},"lsi1sk":{"S":"sort-a"},"lsi2sk":{"S":"r-a"},"data":{"S":"val1"}}`,
		`{"pk":{"S":"scan-lsi-1"},"sk":{"S":"b"},"lsi1sk":{"S":"sort-b"},"lsi2sk":{"S":"r-b"},"data":{"S":"val2"}}`,
		`{"pk":{"S":"scan-lsi-2"},"sk":{"S":"a"},"lsi1sk":{"S":"sort-c"},"lsi2sk":{"S":"r-c"},"data":{"S":"val3"}}`,
	}
	// scanIDs answers the ids a filter keeps, sorted.
	scanIDs := func(filters map[string]string, names map[string]string, values string, index string) func(context.Context, *testing.T, *dynamodb.Client, string) (any, error) {
		return func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
			got := map[string][]string{}
			for name, f := range filters {
				// Only the names and values a filter uses may be sent.
				in := rd{index: index, filter: f}.scan(t, tbl, nil)
				for k, v := range names {
					if uses(f, k) {
						if in.ExpressionAttributeNames == nil {
							in.ExpressionAttributeNames = map[string]string{}
						}
						in.ExpressionAttributeNames[k] = v
					}
				}
				for k, v := range vals(t, values) {
					if uses(f, k) {
						if in.ExpressionAttributeValues == nil {
							in.ExpressionAttributeValues = map[string]types.AttributeValue{}
						}
						in.ExpressionAttributeValues[k] = v
					}
				}
				out, err := c.Scan(ctx, in)
				if err != nil {
					return nil, fmt.Errorf("%s: %w", f, err)
				}
				ids := []string{}
				for _, it := range out.Items {
					for _, k := range []string{"id", "pk"} {
						if v, ok := it[k].(*types.AttributeValueMemberS); ok {
							ids = append(ids, v.Value)
						}
					}
				}
				sortStrings(ids)
				got[name] = ids
			}
			return got, nil
		}
	}
	return []conformanceCase{
		// scan/filterOperators.test.ts: every operator on strings, numbers, binaries and sets
		{name: "Scan filter operators by type", spec: hashOnly, seed: fo,
			run: scanIDs(map[string]string{
				"EQ string": "#s = :banana", "NE number": "#n <> :twenty", "GT number": "#n > :fifteen", "LE string": "#s <= :banana",
				"contains string": "contains(#s, :an)", "attribute_exists": "attribute_exists(#s)",
				"GT binary": "#b > :b34", "begins_with binary": "begins_with(#b, :b3)", "BETWEEN binary": "#b BETWEEN :b12 AND :b34",
				"EQ set": "#set = :ba", "NE set": "#set <> :ab",
			}, map[string]string{"#s": "str", "#n": "num", "#b": "bin", "#set": "set"},
				`{":banana":{"S":"banana"},":twenty":{"N":"20"},":fifteen":{"N":"15"},":an":{"S":"an"},":b34":{"B":"AwQ="},":b3":{"B":"Aw=="},":b12":{"B":"AQI="},":ba":{"SS":["b","a"]},":ab":{"SS":["a","b"]}}`, ""),
			want: map[string][]string{
				"EQ string": {"fo-2"}, "NE number": {"fo-1", "fo-3", "other"}, "GT number": {"fo-2", "fo-3"}, "LE string": {"fo-1", "fo-2"},
				"contains string": {"fo-2"}, "attribute_exists": {"fo-1", "fo-2", "fo-3"},
				"GT binary": {"fo-3"}, "begins_with binary": {"fo-2"}, "BETWEEN binary": {"fo-1", "fo-2"},
				"EQ set": {"fo-1"}, "NE set": {"fo-2", "fo-3", "other"},
			}},
		// scan/filterExpressionParens.test.ts: per-condition parens; full-expression wrap; non-redundant nested parens; NOT inside parens
		{name: "Scan filters with parentheses", spec: composite, seed: parens,
			run: scanIDs(map[string]string{
				"per-condition": "(#m = :m) AND ((#t = :a) OR (#t = :b))", "wrapped": "(#m = :m) AND (#t = :a OR #t = :b)",
				"nested": "(#m = :m) AND (#t = :a OR (#t = :b))", "NOT": "(#m = :m) AND (NOT (#s = :s))",
			}, map[string]string{"#m": "lsi1sk", "#t": "type", "#s": "status"}, `{":m":{"S":"m"},":a":{"S":"alpha"},":b":{"S":"beta"},":s":{"S":"active"}}`, ""),
			want: map[string][]string{"per-condition": {"p1", "p2", "p4"}, "wrapped": {"p1", "p2", "p4"}, "nested": {"p1", "p2", "p4"}, "NOT": {"p2"}}},
		// scan/filterExpressionParens.test.ts: GSI scan — parens filter returns matching items
		{name: "Scan a global index with a parenthesized filter", spec: composite, seed: parens,
			run: scanIDs(map[string]string{"gsi": "(#m = :m) AND ((#t = :a) OR (#t = :b))"}, map[string]string{"#m": "lsi1sk", "#t": "type"},
				`{":m":{"S":"m"},":a":{"S":"alpha"},":b":{"S":"beta"}}`, "gsi1"),
			want: map[string][]string{"gsi": {"p1", "p2", "p4"}}},
		// The legacy AttributesToGet projects top-level attributes in Scan as
		// in GetItem (AWS API reference, Scan: AttributesToGet).
		{name: "Scan with AttributesToGet", spec: hashOnly, seed: []string{`{"id":{"S":"a"},"x":{"S":"1"},"y":{"S":"2"}}`},
			run: func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
				out, err := c.Scan(ctx, &dynamodb.ScanInput{TableName: aws.String(tbl), AttributesToGet: []string{"x", "id"}})
				if err != nil {
					return nil, err
				}
				return scanPage(out), nil
			},
			want: page{Items: []string{`{"id":{"S":"a"},"x":{"S":"1"}}`}, Count: 1, ScannedCount: 1}},
		// scan/select.test.ts: Select COUNT returns count without items on Scan; Select COUNT with FilterExpression on Scan
		{name: "Scan Select COUNT with a filter", spec: hashOnly,
			seed: []string{`{"id":{"S":"s0"},"cat":{"S":"alpha"}}`, `{"id":{"S":"s1"},"cat":{"S":"beta"}}`, `{"id":{"S":"s2"},"cat":{"S":"alpha"}}`},
			run: func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
				out, err := c.Scan(ctx, rd{filter: "#c = :cat", names: map[string]string{"#c": "cat"}, values: `{":cat":{"S":"alpha"}}`, sel: types.SelectCount}.scan(t, tbl, nil))
				if err != nil {
					return nil, err
				}
				return []any{out.Items == nil, out.Count, out.ScannedCount}, nil
			},
			want: []any{true, int32(2), int32(3)}},
		// scan/parallel.test.ts: parallel scan with segments returns disjoint results; union of all segments equals full table scan;
		// each segment returns valid items with no corruption
		{name: "Scan segments are disjoint and cover the table", spec: hashOnly, seed: twenty,
			run: func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
				var union []string
				seen := map[string]int{}
				for seg := range int32(4) {
					items, err := scanAll(rd{segment: seg, segments: 4, limit: 3})(ctx, t, c, tbl)
					if err != nil {
						return nil, err
					}
					for _, it := range items.([]string) {
						seen[it]++
						union = append(union, it)
					}
				}
				sortStrings(union)
				return union, nil
			},
			want: canon(twenty...)},
		// scan/gsiPagination.test.ts: returns all items across paginated GSI scan
		{name: "Scan pages of a global index sharing one hash key", spec: gsiPage, seed: widgets,
			run:  scanAll(rd{index: "TypeIndex", limit: 10}),
			want: canon(widgets...)},
		// scan/gsiPagination.test.ts: the first page ends at the tenth item of the index's one partition
		{name: "Scan a global index with Limit ends at the index and table key", spec: gsiPage, seed: widgets[:12],
			run:  scanRun(rd{index: "TypeIndex", limit: 10}),
			want: page{Items: canon(widgets[:10]...), Count: 10, ScannedCount: 10, LastKey: `{"ID":{"S":"item-009"},"Type":{"S":"widget"}}`}},
		// scan/gsiPagination.test.ts: returns all matching items with filter across paginated GSI scan
		{name: "Scan pages of a global index with a filter", spec: gsiPage, seed: widgets,
			run:  scanAll(rd{index: "TypeIndex", limit: 10, filter: fifthsIn, values: fifths}),
			want: canon(fifth...)},
		// scan/gsiPagination.test.ts: walks every item once across a paged GSI scan with tied sort keys
		// (each LastEvaluatedKey holds the index key and the table key)
		{name: "Scan pages of a global index with tied sort keys", spec: tableSpec{key: "ID:S", gsis: []indexSpec{{name: "TieIndex", key: "GType:S GSort:S"}}},
			seed: ties,
			run: func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
				var items, keys []string
				var start map[string]types.AttributeValue
				for pages := 0; pages <= len(ties); pages++ {
					out, err := c.Scan(ctx, rd{index: "TieIndex", limit: 1}.scan(t, tbl, start))
					if err != nil {
						return nil, err
					}
					items = append(items, jsItems(out.Items)...)
					if start = out.LastEvaluatedKey; start == nil {
						break
					}
					keys = append(keys, strings.Join(slices.Sorted(maps.Keys(start)), " "))
				}
				sortStrings(items)
				return []any{items, slices.Compact(keys)}, nil
			},
			want: []any{canon(ties...), []string{"GSort GType ID"}}},
		// scan/lsiPagination.test.ts: returns all items across paginated LSI scan
		{name: "Scan pages of a local index with duplicate sort keys", spec: lsiPage, seed: lsiWidgets,
			run:  scanAll(rd{index: "LsiIndex", limit: 10}),
			want: canon(lsiWidgets...)},
		// scan/lsiPagination.test.ts: returns all matching items with filter across paginated LSI scan
		{name: "Scan pages of a local index with a filter", spec: lsiPage, seed: lsiWidgets,
			run:  scanAll(rd{index: "LsiIndex", limit: 10, filter: fifthsIn, values: fifths}),
			want: canon(lsiFifth...)},

		// scan/validation.test.ts: rejects TotalSegments above the maximum (the suite records the
		// type only; 1000000 segments are allowed)
		{name: "Scan TotalSegments above the maximum", spec: hashOnly,
			run: func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
				var got []string
				for _, n := range []int32{1000001, 1000000} {
					_, err := c.Scan(ctx, rd{segment: 0, segments: n}.scan(t, tbl, nil))
					code, _, _ := strings.Cut(apiErr(err), ":")
					got = append(got, code)
				}
				return got, nil
			},
			want: []string{"ValidationException", ""}},

		// scan/basic.test.ts: filter that removes all items returns Count=0 with ScannedCount>0
		{name: "Scan with a filter matching nothing counts what it scanned", spec: hashOnly, seed: statuses,
			run:  scanRun(rd{filter: "id = :impossible", values: `{":impossible":{"S":"no-item-has-this-pk-value-xyz"}}`, consistent: true}),
			want: page{Items: []string{}, Count: 0, ScannedCount: 3}},
		// scan/basic.test.ts: filters scan results
		{name: "Scan with a filter on a reserved word", spec: hashOnly, seed: statuses,
			run: scanAll(rd{filter: "#s = :status AND begins_with(id, :prefix)", names: map[string]string{"#s": "status"},
				values: `{":status":{"S":"active"},":prefix":{"S":"scan-filter-"}}`, consistent: true}),
			want: sorted(canon(statuses[0], statuses[2]))},
		// scan/basic.test.ts: returns only projected attributes
		{name: "Scan projects without the key", spec: hashOnly, seed: []string{`{"id":{"S":"scan-proj"},"a":{"S":"alpha"},"b":{"S":"beta"}}`, `{"id":{"S":"other"},"a":{"S":"x"}}`},
			run:  scanAll(rd{proj: "a", filter: "id = :pk", values: `{":pk":{"S":"scan-proj"}}`, consistent: true}),
			want: []string{`{"a":{"S":"alpha"}}`}},
		// scan/basic.test.ts: does not repeat the item equal to ExclusiveStartKey
		{name: "Scan pages of one item never repeat the start key", spec: hashOnly, seed: sesk,
			run:  scanAll(rd{limit: 1, filter: "begins_with(id, :p)", values: `{":p":{"S":"sesk-"}}`, consistent: true}),
			want: sorted(canon(sesk...))},
		// scan/basic.test.ts: returns LastEvaluatedKey while items remain, counting scanned-not-matched against Limit
		{name: "Scan Limit counts items the filter drops", spec: hashOnly, seed: sesk,
			run: func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
				out, err := c.Scan(ctx, rd{limit: 1, filter: "val > :hi", values: `{":hi":{"N":"100"}}`, consistent: true}.scan(t, tbl, nil))
				if err != nil {
					return nil, err
				}
				return []any{out.ScannedCount, out.Count, out.LastEvaluatedKey != nil}, nil
			},
			want: []any{int32(1), int32(0), true}},

		// scan/gsi.test.ts: scans a GSI with ALL projection and returns all attributes
		{name: "Scan a global index with ALL projection", spec: composite, seed: scanGSI,
			run:  scanAll(rd{index: "gsi1", filter: "begins_with(lsi1sk, :prefix)", values: `{":prefix":{"S":"scan-gsi-hash-"}}`}),
			want: sorted(canon(scanGSI...))},
		// scan/gsi.test.ts: scans a GSI with INCLUDE projection and returns only projected attributes
		// (the table's key is projected into every index)
		{name: "Scan a global index with INCLUDE projection", spec: composite, seed: scanGSI,
			run: scanAll(rd{index: "gsi2", filter: "begins_with(lsi1sk, :prefix)", values: `{":prefix":{"S":"scan-gsi-hash-"}}`}),
			want: sorted(canon(
				`{"pk":{"S":"scan-gsi-1"},"sk":{"S":"a"},"lsi1sk":{"S":"scan-gsi-hash-A"},"lsi2sk":{"S":"r1"},"data":{"S":"val1"}}`,
				`{"pk":{"S":"scan-gsi-2"},"sk":{"S":"b"},"lsi1sk":{"S":"scan-gsi-hash-A"},"lsi2sk":{"S":"r2"},"data":{"S":"val2"}}`,
				`{"pk":{"S":"scan-gsi-3"},"sk":{"S":"c"},"lsi1sk":{"S":"scan-gsi-hash-B"},"lsi2sk":{"S":"r3"},"data":{"S":"val3"}}`))},
		// scan/gsi.test.ts: scans a GSI with FilterExpression
		{name: "Scan a global index with a filter", spec: composite, seed: scanGSI,
			run:  scanAll(rd{index: "gsi1", filter: "lsi1sk = :v AND #d = :data", names: map[string]string{"#d": "data"}, values: `{":v":{"S":"scan-gsi-hash-A"},":data":{"S":"val1"}}`}),
			want: canon(scanGSI[0])},

		// scan/lsi.test.ts: scans an LSI and returns items
		{name: "Scan a local index with ALL projection", spec: composite, seed: scanLSI,
			run:  scanAll(rd{index: "lsi1", filter: "begins_with(pk, :prefix)", values: `{":prefix":{"S":"scan-lsi-"}}`, consistent: true}),
			want: sorted(canon(scanLSI...))},
		// scan/lsi.test.ts: scans an LSI with FilterExpression
		{name: "Scan a local index with a filter", spec: composite, seed: scanLSI,
			run:  scanAll(rd{index: "lsi1", filter: "pk = :pk AND #d = :data", names: map[string]string{"#d": "data"}, values: `{":pk":{"S":"scan-lsi-1"},":data":{"S":"val1"}}`, consistent: true}),
			want: canon(scanLSI[0])},
		// scan/lsi.test.ts: supports ConsistentRead on LSI scan (lsi2 projects lsi1sk besides the keys)
		{name: "Scan a local index with INCLUDE projection, consistently", spec: composite, seed: scanLSI,
			run: scanAll(rd{index: "lsi2", filter: "begins_with(pk, :prefix)", values: `{":prefix":{"S":"scan-lsi-"}}`, consistent: true}),
			want: sorted(canon(
				`{"pk":{"S":"scan-lsi-1"},"sk":{"S":"a"},"lsi1sk":{"S":"sort-a"},"lsi2sk":{"S":"r-a"}}`,
				`{"pk":{"S":"scan-lsi-1"},"sk":{"S":"b"},"lsi1sk":{"S":"sort-b"},"lsi2sk":{"S":"r-b"}}`,
				`{"pk":{"S":"scan-lsi-2"},"sk":{"S":"a"},"lsi1sk":{"S":"sort-c"},"lsi2sk":{"S":"r-c"}}`))},
	}
}

// sorted sorts s in place and answers it.
func sorted(s []string) []string {
	sortStrings(s)
	return s
}

// cnd is a condition with its names and values.
type cnd struct {
	expr   string
	names  map[string]string
	values string
}

// putOutcomes puts it under each condition in turn and answers "ok" or the
// error code for each; the put writes the item it replaces, so the outcomes
// do not depend on one another.
func putOutcomes(it string, conds ...cnd) func(context.Context, *testing.T, *dynamodb.Client, string) (any, error) {
	return func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
		got := map[string]string{}
		for _, cd := range conds {
			in := &dynamodb.PutItemInput{TableName: aws.String(tbl), Item: item(t, it), ConditionExpression: aws.String(cd.expr), ExpressionAttributeNames: cd.names}
			if cd.values != "" {
				in.ExpressionAttributeValues = vals(t, cd.values)
			}
			_, err := c.PutItem(ctx, in)
			got[cd.expr] = "ok"
			if err != nil {
				got[cd.expr], _, _ = strings.Cut(apiErr(err), ":")
			}
		}
		return got, nil
	}
}

// deleteOutcomes deletes each seeded key under its condition and answers
// "ok" or the error code, the Attributes returned, and what is left.
func deleteOutcomes(keys []string, conds ...cnd) func(context.Context, *testing.T, *dynamodb.Client, string) (any, error) {
	return func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
		var got []string
		for i, k := range keys {
			in := &dynamodb.DeleteItemInput{TableName: aws.String(tbl), Key: item(t, k), ReturnValues: types.ReturnValueAllOld}
			if i < len(conds) && conds[i].expr != "" {
				in.ConditionExpression, in.ExpressionAttributeNames = aws.String(conds[i].expr), conds[i].names
				if conds[i].values != "" {
					in.ExpressionAttributeValues = vals(t, conds[i].values)
				}
			}
			out, err := c.DeleteItem(ctx, in)
			if err != nil {
				code, _, _ := strings.Cut(apiErr(err), ":")
				got = append(got, code)
				continue
			}
			got = append(got, "ok "+js(out.Attributes))
		}
		left, err := scanAll(rd{})(ctx, t, c, tbl)
		if err != nil {
			return nil, err
		}
		return append(got, left.([]string)...), nil
	}
}

func itemCases() []conformanceCase {
	const alice = `{"id":{"S":"k"},"name":{"S":"alice"},"count":{"N":"5"},"status":{"S":"active"},"m":{"M":{"nested":{"S":"deep"}}}}`
	st := map[string]string{"#s": "status"}
	big := strings.Repeat("x", 100*1024)
	nines := strings.Repeat("9", 38) + strings.Repeat("0", 88)
	proj := `{"id":{"S":"k"},"mymap":{"M":{"nested":{"S":"deep"},"other":{"N":"42"}}},"mylist":{"L":[{"S":"l0"},{"S":"l1"},{"S":"l2"}]}}`
	getProj := func(expr string, names map[string]string) func(context.Context, *testing.T, *dynamodb.Client, string) (any, error) {
		return func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
			out, err := c.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(tbl), Key: item(t, `{"id":{"S":"k"}}`), ProjectionExpression: aws.String(expr), ExpressionAttributeNames: names})
			if err != nil {
				return nil, err
			}
			return js(out.Item), nil
		}
	}
	return []conformanceCase{
		// putItem/conditions.test.ts, putItem/expressions.test.ts, putItem/conditionExpressionParens.test.ts: conditions against an existing item
		{name: "PutItem conditions on an existing item", spec: hashOnly, seed: []string{alice},
			run: putOutcomes(alice,
				cnd{expr: "attribute_not_exists(id)"},
				cnd{expr: "attribute_exists(#s)", names: st},
				cnd{expr: "#c > :v", names: map[string]string{"#c": "count"}, values: `{":v":{"N":"3"}}`},
				cnd{expr: "#c > :w", names: map[string]string{"#c": "count"}, values: `{":w":{"N":"100"}}`},
				cnd{expr: "size(#n) < :v", names: map[string]string{"#n": "name"}, values: `{":v":{"N":"10"}}`},
				cnd{expr: "contains(#n, :v)", names: map[string]string{"#n": "name"}, values: `{":v":{"S":"lic"}}`},
				cnd{expr: "attribute_type(#s, :v)", names: st, values: `{":v":{"S":"S"}}`},
				cnd{expr: "NOT attribute_exists(id)"},
				cnd{expr: "#n = :a AND #c = :v", names: map[string]string{"#n": "name", "#c": "count"}, values: `{":a":{"S":"alice"},":v":{"N":"5"}}`},
				cnd{expr: "#n = :b OR #c = :v", names: map[string]string{"#n": "name", "#c": "count"}, values: `{":b":{"S":"nobody"},":v":{"N":"5"}}`},
				cnd{expr: "m.nested = :v", values: `{":v":{"S":"deep"}}`},
				cnd{expr: "attribute_exists(#m.#n)", names: map[string]string{"#m": "m", "#n": "nested"}},
				cnd{expr: "attribute_not_exists(#m.#x)", names: map[string]string{"#m": "m", "#x": "nonexistent"}},
				cnd{expr: "(attribute_not_exists(id)) AND (attribute_not_exists(#s))", names: st},
				cnd{expr: "(attribute_exists(id)) AND (#s = :v)", names: st, values: `{":v":{"S":"inactive"}}`},
				cnd{expr: "(attribute_exists(id) AND (#s = :v))", names: st, values: `{":v":{"S":"active"}}`},
			),
			want: map[string]string{
				"attribute_not_exists(id)": "ConditionalCheckFailedException", "attribute_exists(#s)": "ok", "#c > :v": "ok", "#c > :w": "ConditionalCheckFailedException",
				"size(#n) < :v": "ok", "contains(#n, :v)": "ok", "attribute_type(#s, :v)": "ok", "NOT attribute_exists(id)": "ConditionalCheckFailedException",
				"#n = :a AND #c = :v": "ok", "#n = :b OR #c = :v": "ok", "m.nested = :v": "ok", "attribute_exists(#m.#n)": "ok", "attribute_not_exists(#m.#x)": "ok",
				"(attribute_not_exists(id)) AND (attribute_not_exists(#s))": "ConditionalCheckFailedException",
				"(attribute_exists(id)) AND (#s = :v)":                      "ConditionalCheckFailedException", "(attribute_exists(id) AND (#s = :v))": "ok",
			}},
		// putItem/conditions.test.ts: succeeds when attribute_not_exists condition is met; putItem/conditionExpressionParens.test.ts: accepts per-condition parens, full-expression wrap, non-redundant nested parens
		{name: "PutItem conditions on a missing item", spec: hashOnly,
			run: func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
				got := map[string]string{}
				for i, e := range []string{"attribute_not_exists(id)", "NOT attribute_exists(id)", "(attribute_not_exists(id)) AND (attribute_not_exists(#s))",
					"(attribute_not_exists(id) AND attribute_not_exists(#s))", "(attribute_not_exists(id) AND (attribute_not_exists(#s)))"} {
					in := &dynamodb.PutItemInput{TableName: aws.String(tbl), Item: item(t, `{"id":{"S":"new`+itoa(i)+`"}}`), ConditionExpression: aws.String(e)}
					if strings.Contains(e, "#s") {
						in.ExpressionAttributeNames = st
					}
					if _, err := c.PutItem(ctx, in); err != nil {
						return nil, err
					}
					g, err := getJS(ctx, t, c, tbl, `{"id":{"S":"new`+itoa(i)+`"}}`)
					if err != nil {
						return nil, err
					}
					got[e] = g.(string)
				}
				return got, nil
			},
			want: map[string]string{"attribute_not_exists(id)": `{"id":{"S":"new0"}}`, "NOT attribute_exists(id)": `{"id":{"S":"new1"}}`,
				"(attribute_not_exists(id)) AND (attribute_not_exists(#s))": `{"id":{"S":"new2"}}`,
				"(attribute_not_exists(id) AND attribute_not_exists(#s))":   `{"id":{"S":"new3"}}`,
				"(attribute_not_exists(id) AND (attribute_not_exists(#s)))": `{"id":{"S":"new4"}}`}},
		// putItem/conditions.test.ts: not-equals on a missing attribute evaluates to true; OR with
		// not-equals and less-than on missing attributes succeeds; equals on a missing attribute evaluates to false
		{name: "PutItem comparisons with a missing attribute", spec: hashOnly,
			run: func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
				got := map[string]string{}
				for i, e := range []string{"#s <> :v", "#s <> :v OR #u < :t", "#s = :v"} {
					in := &dynamodb.PutItemInput{TableName: aws.String(tbl), Item: item(t, `{"id":{"S":"cmp`+itoa(i)+`"},"status":{"S":"idle"}}`), ConditionExpression: aws.String(e),
						ExpressionAttributeNames: map[string]string{"#s": "status"}, ExpressionAttributeValues: vals(t, `{":v":{"S":"working"}}`)}
					if uses(e, "#u") {
						in.ExpressionAttributeNames["#u"] = "updatedAt"
						in.ExpressionAttributeValues[":t"] = &types.AttributeValueMemberS{Value: "2099-01-01T00:00:00Z"}
					}
					got[e] = "ok"
					if _, err := c.PutItem(ctx, in); err != nil {
						got[e], _, _ = strings.Cut(apiErr(err), ":")
					}
				}
				return got, nil
			},
			want: map[string]string{"#s <> :v": "ok", "#s <> :v OR #u < :t": "ok", "#s = :v": "ConditionalCheckFailedException"}},
		// putItem/basic.test.ts: returns nothing with ALL_OLD when item does not exist
		{name: "PutItem ReturnValues ALL_OLD of a new item", spec: hashOnly,
			run: func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
				out, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(tbl), Item: item(t, `{"id":{"S":"put-return-nonexist"}}`), ReturnValues: types.ReturnValueAllOld})
				if err != nil {
					return nil, err
				}
				return out.Attributes == nil, nil
			},
			want: true},
		// putItem/dataTypes.test.ts: every round-trip case in one item
		{name: "PutItem round-trips nested, empty, large and extreme values", spec: hashOnly,
			seed: []string{`{"id":{"S":"k"},"nested":{"M":{"a":{"M":{"b":{"M":{"c":{"S":"deep"}}}}}}},"mixed":{"L":[{"S":"str"},{"N":"1"},{"BOOL":true},{"NULL":true},{"M":{"x":{"S":"y"}}}]},` +
				`"outer":{"M":{"items":{"L":[{"M":{"name":{"S":"first"},"value":{"N":"100"}}},{"M":{"name":{"S":"second"},"value":{"N":"200"}}}]}}},"empty":{"S":""},"big":{"S":"` + big + `"},` +
				`"precise":{"N":"12345678901234567890123456789012345678"},"max":{"N":"9.9999999999999999999999999999999999999E+125"},"min":{"N":"-9.9999999999999999999999999999999999999E+125"}}`},
			run: func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
				return getJS(ctx, t, c, tbl, `{"id":{"S":"k"}}`)
			},
			want: canon(`{"id":{"S":"k"},"nested":{"M":{"a":{"M":{"b":{"M":{"c":{"S":"deep"}}}}}}},"mixed":{"L":[{"S":"str"},{"N":"1"},{"BOOL":true},{"NULL":true},{"M":{"x":{"S":"y"}}}]},` +
				`"outer":{"M":{"items":{"L":[{"M":{"name":{"S":"first"},"value":{"N":"100"}}},{"M":{"name":{"S":"second"},"value":{"N":"200"}}}]}}},"empty":{"S":""},"big":{"S":"` + big + `"},` +
				`"precise":{"N":"12345678901234567890123456789012345678"},"max":{"N":"` + nines + `"},"min":{"N":"-` + nines + `"}}`)[0]},
		// tier3/error-messages/putItem.test.ts: rejects a { NULL: false } attribute value with a
		// ValidationException (every region since the 2026-07-17 sweep; the message is
		// the bare form 27 of 33 regions give, 2026-07-21)
		{name: "PutItem rejects NULL false", spec: hashOnly,
			run: func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
				return c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(tbl), Item: map[string]types.AttributeValue{
					"id": &types.AttributeValueMemberS{Value: "k"}, "attr1": &types.AttributeValueMemberNULL{Value: false}}})
			},
			wantErr: "ValidationException: One or more parameter values were invalid: Null attribute value types must have the value of true"},
		// putItem/numericKeys.test.ts: integer, decimal and negative numeric hash keys
		{name: "PutItem and GetItem with numeric hash keys", spec: tableSpec{key: "pk:N"},
			seed: []string{`{"pk":{"N":"42"},"d":{"S":"int"}}`, `{"pk":{"N":"3.14"},"d":{"S":"dec"}}`, `{"pk":{"N":"-100"},"d":{"S":"neg"}}`},
			run: func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
				var got []any
				for _, k := range []string{`{"pk":{"N":"42"}}`, `{"pk":{"N":"3.140"}}`, `{"pk":{"N":"-1E2"}}`} {
					g, err := getJS(ctx, t, c, tbl, k)
					if err != nil {
						return nil, err
					}
					got = append(got, g)
				}
				return got, nil
			},
			want: []any{`{"d":{"S":"int"},"pk":{"N":"42"}}`, `{"d":{"S":"dec"},"pk":{"N":"3.14"}}`, `{"d":{"S":"neg"},"pk":{"N":"-100"}}`}},
		// putItem/binaryKeys.test.ts: puts and retrieves an item with binary sort key; puts items with
		// different binary sort key values; binary key round-trip preserves exact bytes.
		// getItem/basic.test.ts: returns no Item when hash matches but sort key does not
		{name: "PutItem and GetItem with binary sort keys", spec: tableSpec{key: "pk:S sk:B"},
			seed: []string{`{"pk":{"S":"binput-1"},"sk":{"B":"AQID"},"payload":{"B":"AAF/gP7/"}}`, `{"pk":{"S":"binput-2"},"sk":{"B":"3q2+7w=="},"label":{"S":"deadbeef"}}`,
				`{"pk":{"S":"binput-2"},"sk":{"B":"/wB/gA=="},"label":{"S":"ff007f80"}}`},
			run: func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
				var got []any
				for _, k := range []string{`{"pk":{"S":"binput-1"},"sk":{"B":"AQID"}}`, `{"pk":{"S":"binput-2"},"sk":{"B":"3q2+7w=="}}`,
					`{"pk":{"S":"binput-2"},"sk":{"B":"/wB/gA=="}}`, `{"pk":{"S":"binput-2"},"sk":{"B":"/wB/"}}`} {
					g, err := getJS(ctx, t, c, tbl, k)
					if err != nil {
						return nil, err
					}
					got = append(got, g)
				}
				return got, nil
			},
			want: []any{`{"payload":{"B":"AAF/gP7/"},"pk":{"S":"binput-1"},"sk":{"B":"AQID"}}`, `{"label":{"S":"deadbeef"},"pk":{"S":"binput-2"},"sk":{"B":"3q2+7w=="}}`,
				`{"label":{"S":"ff007f80"},"pk":{"S":"binput-2"},"sk":{"B":"/wB/gA=="}}`, "<nil>"}},
		// getItem/basic.test.ts: returns only projected attributes; returns key attributes even when
		// not explicitly projected (SDK behaviour), which shows the key is not added
		{name: "GetItem projects top-level attributes without the key", spec: hashOnly,
			seed: []string{`{"id":{"S":"k"},"a":{"S":"alpha"},"b":{"S":"beta"},"c":{"N":"99"}}`},
			run:  getProj("a, c", nil),
			want: `{"a":{"S":"alpha"},"c":{"N":"99"}}`},
		// getItem/basic.test.ts: accepts ConsistentRead: false
		{name: "GetItem eventually consistent", spec: hashOnly, seed: []string{`{"id":{"S":"k"},"a":{"S":"alpha"}}`},
			run: func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
				var got []string
				for _, k := range []string{`{"id":{"S":"k"}}`, `{"id":{"S":"nonexistent-cr"}}`} {
					out, err := c.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(tbl), Key: item(t, k), ConsistentRead: aws.Bool(false)})
					if err != nil {
						return nil, err
					}
					got = append(got, js(out.Item))
				}
				return got, nil
			},
			want: []string{`{"a":{"S":"alpha"},"id":{"S":"k"}}`, "<nil>"}},
		// getItem/projection.test.ts: GetItem ProjectionExpression with nested map path returns only the nested value
		{name: "GetItem projects a nested map path", spec: hashOnly, seed: []string{proj},
			run:  getProj("#m.#n", map[string]string{"#m": "mymap", "#n": "nested"}),
			want: `{"mymap":{"M":{"nested":{"S":"deep"}}}}`},
		// getItem/projection.test.ts: GetItem ProjectionExpression with list index returns the element
		{name: "GetItem projects a list element", spec: hashOnly, seed: []string{proj},
			run:  getProj("#l[0]", map[string]string{"#l": "mylist"}),
			want: `{"mylist":{"L":[{"S":"l0"}]}}`},
		// getItem/projectionValidation.test.ts: projects multiple list indices compacted and index-ordered
		{name: "GetItem projects list elements compacted in index order", spec: hashOnly, seed: []string{proj},
			run:  getProj("#l[2], #l[0]", map[string]string{"#l": "mylist"}),
			want: `{"mylist":{"L":[{"S":"l0"},{"S":"l2"}]}}`},
		// getItem/projection.test.ts: Query ProjectionExpression with nested path and list index
		{name: "Query projects a nested path and a list element", spec: hashRange,
			seed: []string{`{"pk":{"S":"p"},"sk":{"N":"1"},"mymap":{"M":{"nested":{"S":"deep"},"other":{"N":"42"}}},"mylist":{"L":[{"S":"l0"},{"S":"l1"},{"S":"l2"}]}}`},
			run:  queryRun(rd{kce: "#pk = :pk", proj: "#m.#n, #l[1]", names: map[string]string{"#pk": "pk", "#m": "mymap", "#n": "nested", "#l": "mylist"}, values: `{":pk":{"S":"p"}}`}),
			want: page{Items: []string{`{"mylist":{"L":[{"S":"l1"}]},"mymap":{"M":{"nested":{"S":"deep"}}}}`}, Count: 1, ScannedCount: 1}},
		// getItem/projection.test.ts: BatchGetItem ProjectionExpression with nested path
		{name: "BatchGetItem projects a nested path", spec: hashOnly, seed: []string{proj},
			run: func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
				out, err := c.BatchGetItem(ctx, &dynamodb.BatchGetItemInput{RequestItems: map[string]types.KeysAndAttributes{tbl: {
					Keys: []map[string]types.AttributeValue{item(t, `{"id":{"S":"k"}}`)}, ProjectionExpression: aws.String("#m.#n"),
					ExpressionAttributeNames: map[string]string{"#m": "mymap", "#n": "nested"}, ConsistentRead: aws.Bool(true)}}})
				if err != nil {
					return nil, err
				}
				return jsItems(out.Responses[tbl]), nil
			},
			want: []string{`{"mymap":{"M":{"nested":{"S":"deep"}}}}`}},
		// deleteItem/basic.test.ts: deletes an existing item; succeeds silently when deleting a non-existent item; returns ALL_OLD; returns no Attributes with ALL_OLD when item does not exist
		{name: "DeleteItem of present and missing items", spec: hashOnly, seed: []string{`{"id":{"S":"a"},"data":{"S":"old"}}`, `{"id":{"S":"keep"}}`},
			run:  deleteOutcomes([]string{`{"id":{"S":"a"}}`, `{"id":{"S":"never"}}`}),
			want: []string{`ok {"data":{"S":"old"},"id":{"S":"a"}}`, "ok <nil>", `{"id":{"S":"keep"}}`}},
		// deleteItem/basic.test.ts: deletes an item from a composite key table
		{name: "DeleteItem with a composite key", spec: tableSpec{key: "pk:S sk:S"}, seed: []string{`{"pk":{"S":"p"},"sk":{"S":"s1"}}`, `{"pk":{"S":"p"},"sk":{"S":"s2"}}`},
			run:  deleteOutcomes([]string{`{"pk":{"S":"p"},"sk":{"S":"s1"}}`}),
			want: []string{`ok {"pk":{"S":"p"},"sk":{"S":"s1"}}`, `{"pk":{"S":"p"},"sk":{"S":"s2"}}`}},
		// deleteItem/basic.test.ts: deletes when condition is met; fails ... when condition is not met; deleteItem/conditionExpressionParens.test.ts: every case
		{name: "DeleteItem conditions", spec: hashOnly,
			seed: []string{`{"id":{"S":"c1"},"status":{"S":"active"}}`, `{"id":{"S":"c2"},"status":{"S":"active"}}`, `{"id":{"S":"c3"},"status":{"S":"active"}}`, `{"id":{"S":"c4"},"status":{"S":"active"}}`, `{"id":{"S":"c5"},"status":{"S":"active"}}`},
			run: deleteOutcomes([]string{`{"id":{"S":"c1"}}`, `{"id":{"S":"c2"}}`, `{"id":{"S":"c3"}}`, `{"id":{"S":"c4"}}`, `{"id":{"S":"c5"}}`},
				cnd{expr: "#s = :v", names: st, values: `{":v":{"S":"pending"}}`},
				cnd{expr: "(attribute_exists(id)) AND (#s = :v)", names: st, values: `{":v":{"S":"active"}}`},
				cnd{expr: "(attribute_exists(id) AND #s = :v)", names: st, values: `{":v":{"S":"active"}}`},
				cnd{expr: "(attribute_exists(id) AND (#s = :v))", names: st, values: `{":v":{"S":"active"}}`},
				cnd{expr: "(attribute_exists(id)) AND (#s = :v)", names: st, values: `{":v":{"S":"inactive"}}`}),
			want: []string{"ConditionalCheckFailedException", `ok {"id":{"S":"c2"},"status":{"S":"active"}}`, `ok {"id":{"S":"c3"},"status":{"S":"active"}}`,
				`ok {"id":{"S":"c4"},"status":{"S":"active"}}`, "ConditionalCheckFailedException", `{"id":{"S":"c1"},"status":{"S":"active"}}`, `{"id":{"S":"c5"},"status":{"S":"active"}}`}},
	}
}

// txOutcome runs a TransactWriteItems built by items on tbl and answers
// "ok" or the cancellation reasons (with the Item of each, if any), then the
// table's items.
func txOutcome(items func(t *testing.T, tbl string) []types.TransactWriteItem) func(context.Context, *testing.T, *dynamodb.Client, string) (any, error) {
	return func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
		got := []string{"ok"}
		_, err := c.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items(t, tbl)})
		var tce *types.TransactionCanceledException
		switch {
		case asErr(err, &tce):
			got = nil
			for _, r := range tce.CancellationReasons {
				s := aws.ToString(r.Code)
				if r.Item != nil {
					s += " " + js(r.Item)
				}
				got = append(got, s)
			}
		case err != nil:
			return nil, err
		}
		left, err := scanAll(rd{})(ctx, t, c, tbl)
		if err != nil {
			return nil, err
		}
		return append(got, left.([]string)...), nil
	}
}

func txCases() []conformanceCase {
	put := func(t *testing.T, tbl, it, cond string) types.TransactWriteItem {
		p := &types.Put{TableName: aws.String(tbl), Item: item(t, it)}
		if cond != "" {
			p.ConditionExpression = aws.String(cond)
		}
		return types.TransactWriteItem{Put: p}
	}
	st := map[string]string{"#s": "status"}
	return []conformanceCase{
		// transactions/transactWrite.test.ts: executes Put + Update + Delete atomically
		{name: "TransactWriteItems Put, Update and Delete", spec: hashOnly, seed: []string{`{"id":{"S":"b2"},"data":{"S":"before"}}`, `{"id":{"S":"b3"},"data":{"S":"gone"}}`},
			run: txOutcome(func(t *testing.T, tbl string) []types.TransactWriteItem {
				return []types.TransactWriteItem{put(t, tbl, `{"id":{"S":"b1"},"data":{"S":"created"}}`, ""),
					{Update: &types.Update{TableName: aws.String(tbl), Key: item(t, `{"id":{"S":"b2"}}`), UpdateExpression: aws.String("SET #d = :v"),
						ExpressionAttributeNames: map[string]string{"#d": "data"}, ExpressionAttributeValues: vals(t, `{":v":{"S":"after"}}`)}},
					{Delete: &types.Delete{TableName: aws.String(tbl), Key: item(t, `{"id":{"S":"b3"}}`)}}}
			}),
			want: []string{"ok", `{"data":{"S":"after"},"id":{"S":"b2"}}`, `{"data":{"S":"created"},"id":{"S":"b1"}}`}},
		// transactions/transactWrite.test.ts: succeeds when ConditionCheck condition is met
		{name: "TransactWriteItems passing ConditionCheck", spec: hashOnly, seed: []string{`{"id":{"S":"cc"},"status":{"S":"active"}}`},
			run: txOutcome(func(t *testing.T, tbl string) []types.TransactWriteItem {
				return []types.TransactWriteItem{{ConditionCheck: &types.ConditionCheck{TableName: aws.String(tbl), Key: item(t, `{"id":{"S":"cc"}}`),
					ConditionExpression: aws.String("#s = :v"), ExpressionAttributeNames: st, ExpressionAttributeValues: vals(t, `{":v":{"S":"active"}}`)}},
					put(t, tbl, `{"id":{"S":"pass"},"status":{"S":"processed"}}`, "")}
			}),
			want: []string{"ok", `{"id":{"S":"cc"},"status":{"S":"active"}}`, `{"id":{"S":"pass"},"status":{"S":"processed"}}`}},
		// transactions/transactWrite.test.ts: rolls back entire transaction when ConditionCheck fails; includes CancellationReasons in error when condition fails
		{name: "TransactWriteItems failing ConditionCheck rolls back", spec: hashOnly, seed: []string{`{"id":{"S":"cc"},"status":{"S":"inactive"}}`},
			run: txOutcome(func(t *testing.T, tbl string) []types.TransactWriteItem {
				return []types.TransactWriteItem{{ConditionCheck: &types.ConditionCheck{TableName: aws.String(tbl), Key: item(t, `{"id":{"S":"cc"}}`),
					ConditionExpression: aws.String("#s = :v"), ExpressionAttributeNames: st, ExpressionAttributeValues: vals(t, `{":v":{"S":"active"}}`)}},
					put(t, tbl, `{"id":{"S":"fail-put"}}`, "")}
			}),
			want: []string{"ConditionalCheckFailed", "None", `{"id":{"S":"cc"},"status":{"S":"inactive"}}`}},
		// tier3/error-messages/transactWriteItems.test.ts: unused value on the second action: nothing is written
		{name: "TransactWriteItems unused value on the second action writes nothing", spec: hashOnly,
			run: func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
				_, err := c.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{put(t, tbl, `{"id":{"S":"first"}}`, ""),
					{ConditionCheck: &types.ConditionCheck{TableName: aws.String(tbl), Key: item(t, `{"id":{"S":"cc"}}`),
						ConditionExpression: aws.String("attribute_not_exists(id)"), ExpressionAttributeValues: vals(t, `{":v":{"S":"x"}}`)}}}})
				left, serr := scanAll(rd{})(ctx, t, c, tbl)
				if serr != nil {
					return nil, serr
				}
				return []any{apiErr(err), left}, nil
			},
			want: []any{"ValidationException: Value provided in ExpressionAttributeValues unused in expressions: keys: {:v}", []string(nil)}},
		// transactions/transactWrite.test.ts: applies ConditionExpression on Put, Update and Delete actions
		{name: "TransactWriteItems conditions on Put, Update and Delete", spec: hashOnly,
			seed: []string{`{"id":{"S":"p"},"data":{"S":"existing"}}`, `{"id":{"S":"u"},"counter":{"N":"5"}}`, `{"id":{"S":"d"},"locked":{"BOOL":true}}`},
			run: func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
				var got []any
				for _, ti := range []types.TransactWriteItem{
					put(t, tbl, `{"id":{"S":"p"},"data":{"S":"replaced"}}`, "attribute_not_exists(id)"),
					{Update: &types.Update{TableName: aws.String(tbl), Key: item(t, `{"id":{"S":"u"}}`), UpdateExpression: aws.String("SET #c = :v"), ConditionExpression: aws.String("#c > :min"),
						ExpressionAttributeNames: map[string]string{"#c": "counter"}, ExpressionAttributeValues: vals(t, `{":v":{"N":"100"},":min":{"N":"10"}}`)}},
					{Delete: &types.Delete{TableName: aws.String(tbl), Key: item(t, `{"id":{"S":"d"}}`), ConditionExpression: aws.String("locked = :v"), ExpressionAttributeValues: vals(t, `{":v":{"BOOL":false}}`)}},
				} {
					_, err := c.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{ti}})
					got = append(got, apiErr(err))
				}
				left, err := scanAll(rd{})(ctx, t, c, tbl)
				return append(got, left), err
			},
			want: []any{
				"TransactionCanceledException: Transaction cancelled, please refer cancellation reasons for specific reasons [ConditionalCheckFailed]",
				"TransactionCanceledException: Transaction cancelled, please refer cancellation reasons for specific reasons [ConditionalCheckFailed]",
				"TransactionCanceledException: Transaction cancelled, please refer cancellation reasons for specific reasons [ConditionalCheckFailed]",
				[]string{`{"counter":{"N":"5"},"id":{"S":"u"}}`, `{"data":{"S":"existing"},"id":{"S":"p"}}`, `{"id":{"S":"d"},"locked":{"BOOL":true}}`},
			}},
		// transactions/transactWrite.test.ts: returns ALL_OLD item via ReturnValuesOnConditionCheckFailure
		{name: "TransactWriteItems ReturnValuesOnConditionCheckFailure ALL_OLD", spec: hashOnly, seed: []string{`{"id":{"S":"r"},"data":{"S":"original"}}`},
			run: txOutcome(func(t *testing.T, tbl string) []types.TransactWriteItem {
				ti := put(t, tbl, `{"id":{"S":"r"},"data":{"S":"new"}}`, "attribute_not_exists(id)")
				ti.Put.ReturnValuesOnConditionCheckFailure = types.ReturnValuesOnConditionCheckFailureAllOld
				return []types.TransactWriteItem{ti}
			}),
			want: []string{`ConditionalCheckFailed {"data":{"S":"original"},"id":{"S":"r"}}`, `{"data":{"S":"original"},"id":{"S":"r"}}`}},
		// transactions/transactWrite.test.ts: puts / updates / deletes multiple items in one transaction
		{name: "TransactWriteItems of several items of each kind", spec: hashOnly,
			seed: []string{`{"id":{"S":"u1"},"val":{"S":"before"}}`, `{"id":{"S":"u2"},"val":{"S":"before"}}`, `{"id":{"S":"d1"}}`, `{"id":{"S":"d2"}}`},
			run: txOutcome(func(t *testing.T, tbl string) []types.TransactWriteItem {
				var tis []types.TransactWriteItem
				for _, i := range []string{"1", "2"} {
					tis = append(tis, put(t, tbl, `{"id":{"S":"p`+i+`"},"idx":{"N":"`+i+`"}}`, ""),
						types.TransactWriteItem{Update: &types.Update{TableName: aws.String(tbl), Key: item(t, `{"id":{"S":"u`+i+`"}}`), UpdateExpression: aws.String("SET val = :v"),
							ExpressionAttributeValues: vals(t, `{":v":{"S":"after-`+i+`"}}`)}},
						types.TransactWriteItem{Delete: &types.Delete{TableName: aws.String(tbl), Key: item(t, `{"id":{"S":"d`+i+`"}}`)}})
				}
				return tis
			}),
			want: []string{"ok", `{"id":{"S":"p1"},"idx":{"N":"1"}}`, `{"id":{"S":"p2"},"idx":{"N":"2"}}`, `{"id":{"S":"u1"},"val":{"S":"after-1"}}`, `{"id":{"S":"u2"},"val":{"S":"after-2"}}`}},
		// transactions/transactWrite.test.ts: executes cross-table transaction; transactGet.test.ts: gets items across tables
		{name: "TransactWriteItems and TransactGetItems across tables", spec: hashOnly,
			run: func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
				other := newTable(t, c, tableSpec{key: "pk:S sk:S"})
				if _, err := c.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
					put(t, tbl, `{"id":{"S":"h"},"data":{"S":"from-hash"}}`, ""), put(t, other, `{"pk":{"S":"c"},"sk":{"S":"sk1"},"data":{"S":"from-composite"}}`, "")}}); err != nil {
					return nil, err
				}
				out, err := c.TransactGetItems(ctx, &dynamodb.TransactGetItemsInput{TransactItems: []types.TransactGetItem{
					{Get: &types.Get{TableName: aws.String(tbl), Key: item(t, `{"id":{"S":"h"}}`)}},
					{Get: &types.Get{TableName: aws.String(other), Key: item(t, `{"pk":{"S":"c"},"sk":{"S":"sk1"}}`)}},
					{Get: &types.Get{TableName: aws.String(tbl), Key: item(t, `{"id":{"S":"missing"}}`)}},
				}})
				if err != nil {
					return nil, err
				}
				var got []string
				for _, r := range out.Responses {
					got = append(got, js(r.Item))
				}
				return got, nil
			},
			want: []string{`{"data":{"S":"from-hash"},"id":{"S":"h"}}`, `{"data":{"S":"from-composite"},"pk":{"S":"c"},"sk":{"S":"sk1"}}`, "<nil>"}},
		// transactions/transactWrite.test.ts: supports idempotency via ClientRequestToken; rejects same ClientRequestToken with different payload
		{name: "TransactWriteItems ClientRequestToken", spec: hashOnly,
			run: func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
				token := aws.String("idem-" + tbl[len(tbl)-6:]) // at most 36 characters
				var got []string
				for _, it := range []string{`{"id":{"S":"i"},"attempt":{"N":"1"}}`, `{"id":{"S":"i"},"attempt":{"N":"1"}}`, `{"id":{"S":"i"},"attempt":{"N":"2"}}`} {
					_, err := c.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{ClientRequestToken: token, TransactItems: []types.TransactWriteItem{put(t, tbl, it, "")}})
					code, _, _ := strings.Cut(apiErr(err), ":")
					got = append(got, code)
				}
				g, err := getJS(ctx, t, c, tbl, `{"id":{"S":"i"}}`)
				return append(got, g.(string)), err
			},
			want: []string{"", "", "IdempotentParameterMismatchException", `{"attempt":{"N":"1"},"id":{"S":"i"}}`}},
		// ttl/basic.test.ts: enables TTL on a table; DescribeTimeToLive returns ENABLED ... after enabling; returns DISABLED on a table with no TTL configured; enables TTL with a different attribute name
		{name: "UpdateTimeToLive and DescribeTimeToLive", spec: hashOnly,
			run: func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
				status := func() (string, error) {
					d, err := c.DescribeTimeToLive(ctx, &dynamodb.DescribeTimeToLiveInput{TableName: aws.String(tbl)})
					if err != nil {
						return "", err
					}
					s := string(d.TimeToLiveDescription.TimeToLiveStatus)
					if s == "ENABLING" { // DynamoDB may still be enabling
						s = "ENABLED"
					}
					return s + " " + aws.ToString(d.TimeToLiveDescription.AttributeName), nil
				}
				before, err := status()
				if err != nil {
					return nil, err
				}
				out, err := c.UpdateTimeToLive(ctx, &dynamodb.UpdateTimeToLiveInput{TableName: aws.String(tbl),
					TimeToLiveSpecification: &types.TimeToLiveSpecification{Enabled: aws.Bool(true), AttributeName: aws.String("expiresAt")}})
				if err != nil {
					return nil, err
				}
				after, err := status()
				return []any{before, aws.ToBool(out.TimeToLiveSpecification.Enabled), aws.ToString(out.TimeToLiveSpecification.AttributeName), after}, err
			},
			want: []any{"DISABLED ", true, "expiresAt", "ENABLED expiresAt"}},
	}
}

// metricsJS renders ItemCollectionMetrics, "<nil>" if absent.
func metricsJS(m *types.ItemCollectionMetrics) string {
	if m == nil {
		return "<nil>"
	}
	return fmt.Sprintf("%s %v", js(m.ItemCollectionKey), m.SizeEstimateRangeGB)
}

func batchCases() []conformanceCase {
	five := []string{}
	for i := range 5 {
		five = append(five, `{"id":{"S":"bg-`+itoa(i)+`"},"val":{"N":"`+itoa(i*10)+`"}}`)
	}
	return []conformanceCase{
		// batchGetItem/basic.test.ts: retrieves multiple items in a single batch; handles a mix of
		// existing and non-existing keys; retrieves items from multiple tables in one batch; handles
		// mix of found and not-found across multiple tables (the table is in Responses, with no
		// items); returns UnprocessedKeys as an empty object on full success
		{name: "BatchGetItem across tables with found and missing keys", spec: hashOnly, seed: five,
			run: func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
				other := newTable(t, c, tableSpec{key: "pk:S sk:S"})
				out, err := c.BatchGetItem(ctx, &dynamodb.BatchGetItemInput{RequestItems: map[string]types.KeysAndAttributes{
					tbl:   {Keys: []map[string]types.AttributeValue{item(t, `{"id":{"S":"bg-0"}}`), item(t, `{"id":{"S":"does-not-exist-123"}}`), item(t, `{"id":{"S":"bg-1"}}`)}, ConsistentRead: aws.Bool(true)},
					other: {Keys: []map[string]types.AttributeValue{item(t, `{"pk":{"S":"bg-multi-missing"},"sk":{"S":"nope"}}`)}, ConsistentRead: aws.Bool(true)},
				}})
				if err != nil {
					return nil, err
				}
				got := jsItems(out.Responses[tbl])
				sortStrings(got)
				others, listed := out.Responses[other]
				return map[string]any{"table": got, "other listed": listed, "other": len(others),
					"UnprocessedKeys": fmt.Sprintf("nil=%t len=%d", out.UnprocessedKeys == nil, len(out.UnprocessedKeys))}, nil
			},
			want: map[string]any{"table": []string{`{"id":{"S":"bg-0"},"val":{"N":"0"}}`, `{"id":{"S":"bg-1"},"val":{"N":"10"}}`},
				"other listed": true, "other": 0, "UnprocessedKeys": "nil=false len=0"}},
		// batchGetItem/basic.test.ts: returns only projected attributes (BatchGetItem does not add
		// the key); keeps an empty {} entry when the projection matches no attribute on a present item
		{name: "BatchGetItem projections leave out the key and keep empty items", spec: hashOnly,
			seed: []string{`{"id":{"S":"bg-proj"},"a":{"S":"alpha"},"b":{"S":"beta"},"c":{"N":"99"}}`},
			run: func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
				var got []string
				for _, p := range []string{"a, c", "nonexistent"} {
					out, err := c.BatchGetItem(ctx, &dynamodb.BatchGetItemInput{RequestItems: map[string]types.KeysAndAttributes{tbl: {
						Keys: []map[string]types.AttributeValue{item(t, `{"id":{"S":"bg-proj"}}`)}, ProjectionExpression: aws.String(p), ConsistentRead: aws.Bool(true)}}})
					if err != nil {
						return nil, err
					}
					got = append(got, jsItems(out.Responses[tbl])...)
				}
				return got, nil
			},
			want: []string{`{"a":{"S":"alpha"},"c":{"N":"99"}}`, `{}`}},
		// batchWriteItem/basic.test.ts: supports mixed puts and deletes in one batch; writes items to
		// multiple tables in one batch; deletes items from multiple tables in one batch; returns
		// UnprocessedItems as an empty object on full success
		{name: "BatchWriteItem puts and deletes across tables", spec: hashOnly, seed: []string{`{"id":{"S":"bw-mix-del"},"val":{"S":"delete-me"}}`},
			run: func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
				other := newTable(t, c, tableSpec{key: "pk:S sk:S"})
				if _, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(other), Item: item(t, `{"pk":{"S":"bw-multi-c2"},"sk":{"S":"b"}}`)}); err != nil {
					return nil, err
				}
				out, err := c.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{RequestItems: map[string][]types.WriteRequest{
					tbl: {
						{PutRequest: &types.PutRequest{Item: item(t, `{"id":{"S":"bw-mix-put"},"val":{"S":"new"}}`)}},
						{DeleteRequest: &types.DeleteRequest{Key: item(t, `{"id":{"S":"bw-mix-del"}}`)}},
					},
					other: {
						{PutRequest: &types.PutRequest{Item: item(t, `{"pk":{"S":"bw-multi-c1"},"sk":{"S":"a"},"val":{"S":"c1"}}`)}},
						{DeleteRequest: &types.DeleteRequest{Key: item(t, `{"pk":{"S":"bw-multi-c2"},"sk":{"S":"b"}}`)}},
					},
				}})
				if err != nil {
					return nil, err
				}
				var got []any
				for _, g := range [][2]string{{tbl, `{"id":{"S":"bw-mix-put"}}`}, {tbl, `{"id":{"S":"bw-mix-del"}}`},
					{other, `{"pk":{"S":"bw-multi-c1"},"sk":{"S":"a"}}`}, {other, `{"pk":{"S":"bw-multi-c2"},"sk":{"S":"b"}}`}} {
					v, err := getJS(ctx, t, c, g[0], g[1])
					if err != nil {
						return nil, err
					}
					got = append(got, v)
				}
				return append(got, fmt.Sprintf("UnprocessedItems nil=%t len=%d", out.UnprocessedItems == nil, len(out.UnprocessedItems))), nil
			},
			want: []any{`{"id":{"S":"bw-mix-put"},"val":{"S":"new"}}`, "<nil>", `{"pk":{"S":"bw-multi-c1"},"sk":{"S":"a"},"val":{"S":"c1"}}`, "<nil>", "UnprocessedItems nil=false len=0"}},
		// putItem/itemCollectionMetrics.test.ts: PutItem, DeleteItem and UpdateItem with SIZE return
		// ItemCollectionMetrics; PutItem with NONE does not. The AWS API reference, PutItem:
		// ItemCollectionMetrics is returned only for tables with local secondary indexes.
		{name: "ReturnItemCollectionMetrics SIZE on a table with local indexes", spec: composite,
			seed: []string{`{"pk":{"S":"icm-del-1"},"sk":{"S":"a"},"lsi1sk":{"S":"lval"},"data":{"S":"to-delete"}}`, `{"pk":{"S":"icm-upd-1"},"sk":{"S":"a"},"lsi1sk":{"S":"lval"},"data":{"S":"original"}}`},
			run: func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
				var got []string
				for _, rm := range []types.ReturnItemCollectionMetrics{"SIZE", "NONE"} {
					out, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(tbl), ReturnItemCollectionMetrics: rm,
						Item: item(t, `{"pk":{"S":"icm-put-1"},"sk":{"S":"a"},"lsi1sk":{"S":"lval"},"data":{"S":"hello"}}`)})
					if err != nil {
						return nil, err
					}
					got = append(got, metricsJS(out.ItemCollectionMetrics))
				}
				del, err := c.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: aws.String(tbl), ReturnItemCollectionMetrics: "SIZE",
					Key: item(t, `{"pk":{"S":"icm-del-1"},"sk":{"S":"a"}}`)})
				if err != nil {
					return nil, err
				}
				upd, err := c.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: aws.String(tbl), ReturnItemCollectionMetrics: "SIZE",
					Key: item(t, `{"pk":{"S":"icm-upd-1"},"sk":{"S":"a"}}`), UpdateExpression: aws.String("SET #d = :v"),
					ExpressionAttributeNames: map[string]string{"#d": "data"}, ExpressionAttributeValues: vals(t, `{":v":{"S":"updated"}}`)})
				if err != nil {
					return nil, err
				}
				return append(got, metricsJS(del.ItemCollectionMetrics), metricsJS(upd.ItemCollectionMetrics)), nil
			},
			want: []string{`{"pk":{"S":"icm-put-1"}} [0 1]`, "<nil>", `{"pk":{"S":"icm-del-1"}} [0 1]`, `{"pk":{"S":"icm-upd-1"}} [0 1]`}},
		{name: "ReturnItemCollectionMetrics SIZE on a table without local indexes", spec: hashOnly,
			run: func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
				out, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(tbl), ReturnItemCollectionMetrics: "SIZE", Item: item(t, `{"id":{"S":"x"}}`)})
				if err != nil {
					return nil, err
				}
				return metricsJS(out.ItemCollectionMetrics), nil
			},
			want: "<nil>"},
		// The AWS API reference, BatchWriteItem and TransactWriteItems: ItemCollectionMetrics lists,
		// per table, the item collections the writes affected, for tables with local secondary
		// indexes only; a ConditionCheck writes nothing.
		{name: "BatchWriteItem and TransactWriteItems ReturnItemCollectionMetrics SIZE", spec: composite,
			seed: []string{`{"pk":{"S":"icm-b"},"sk":{"S":"a"}}`, `{"pk":{"S":"icm-cc"},"sk":{"S":"a"}}`},
			run: func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
				plain := newTable(t, c, hashOnly)
				render := func(m map[string][]types.ItemCollectionMetrics) []string {
					if m == nil {
						return []string{"<nil>"}
					}
					var got []string
					for _, name := range []string{tbl, plain} {
						for _, icm := range m[name] {
							got = append(got, metricsJS(&icm))
						}
						if _, ok := m[name]; ok && name == plain {
							got = append(got, "plain table listed")
						}
					}
					return got
				}
				var got []string
				for _, rm := range []types.ReturnItemCollectionMetrics{"SIZE", "NONE"} {
					out, err := c.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{ReturnItemCollectionMetrics: rm, RequestItems: map[string][]types.WriteRequest{
						tbl: {
							{PutRequest: &types.PutRequest{Item: item(t, `{"pk":{"S":"icm-a"},"sk":{"S":"1`+string(rm)+`"}}`)}},
							{PutRequest: &types.PutRequest{Item: item(t, `{"pk":{"S":"icm-a"},"sk":{"S":"2`+string(rm)+`"}}`)}},
							{DeleteRequest: &types.DeleteRequest{Key: item(t, `{"pk":{"S":"icm-b"},"sk":{"S":"a"}}`)}},
						},
						plain: {{PutRequest: &types.PutRequest{Item: item(t, `{"id":{"S":"icm-p`+string(rm)+`"}}`)}}},
					}})
					if err != nil {
						return nil, err
					}
					got = append(got, render(out.ItemCollectionMetrics)...)
				}
				out, err := c.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{ReturnItemCollectionMetrics: "SIZE", TransactItems: []types.TransactWriteItem{
					{ConditionCheck: &types.ConditionCheck{TableName: aws.String(tbl), Key: item(t, `{"pk":{"S":"icm-cc"},"sk":{"S":"a"}}`),
						ConditionExpression: aws.String("attribute_exists(pk)")}},
					{Update: &types.Update{TableName: aws.String(tbl), Key: item(t, `{"pk":{"S":"icm-u"},"sk":{"S":"a"}}`),
						UpdateExpression: aws.String("SET #d = :v"), ExpressionAttributeNames: map[string]string{"#d": "data"}, ExpressionAttributeValues: vals(t, `{":v":{"S":"x"}}`)}},
					{Put: &types.Put{TableName: aws.String(plain), Item: item(t, `{"id":{"S":"icm-tx"}}`)}},
				}})
				if err != nil {
					return nil, err
				}
				return append(got, render(out.ItemCollectionMetrics)...), nil
			},
			want: []string{`{"pk":{"S":"icm-a"}} [0 1]`, `{"pk":{"S":"icm-b"}} [0 1]`, "<nil>", `{"pk":{"S":"icm-u"}} [0 1]`}},
	}
}

// capJS renders a ConsumedCapacity in short: the total, "split" if read
// or write units are reported beside it, and with INDEXES the table's and
// each index's units.
func capJS(c *types.ConsumedCapacity) string {
	if c == nil {
		return "<nil>"
	}
	split := func(r, w *float64) string {
		if r != nil || w != nil {
			return " split"
		}
		return ""
	}
	s := fmt.Sprintf("%g", aws.ToFloat64(c.CapacityUnits)) + split(c.ReadCapacityUnits, c.WriteCapacityUnits)
	if c.Table != nil {
		s += fmt.Sprintf(" table=%g", aws.ToFloat64(c.Table.CapacityUnits)) + split(c.Table.ReadCapacityUnits, c.Table.WriteCapacityUnits)
	}
	for _, arm := range []struct {
		kind string
		m    map[string]types.Capacity
	}{{"gsi", c.GlobalSecondaryIndexes}, {"lsi", c.LocalSecondaryIndexes}} {
		for _, name := range slices.Sorted(maps.Keys(arm.m)) {
			u := arm.m[name]
			s += fmt.Sprintf(" %s:%s=%g", arm.kind, name, aws.ToFloat64(u.CapacityUnits)) + split(u.ReadCapacityUnits, u.WriteCapacityUnits)
		}
	}
	return s
}

// indexed is the table of putItem/indexConsumedCapacity.test.ts: a GSI
// projecting one attribute and an LSI projecting all.
var indexed = tableSpec{key: "pk:S sk:S",
	gsis: []indexSpec{{name: "gsi-inc", key: "gsiPk:S", projection: "INCLUDE", include: []string{"proj"}}},
	lsis: []indexSpec{{name: "lsi1", key: "pk:S lsiSk:S"}}}

func capacityCases() []conformanceCase {
	const ladder = `,"sk":{"S":"1"},"gsiPk":{"S":"g-ladder"},"lsiSk":{"S":"L1"},"proj":{"S":"p"},"other":{"S":"o"}}`
	put := func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl, it string, mode types.ReturnConsumedCapacity) (string, error) {
		out, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(tbl), Item: item(t, it), ReturnConsumedCapacity: mode})
		if err != nil {
			return "", err
		}
		return capJS(out.ConsumedCapacity), nil
	}
	return []conformanceCase{
		// getItem/consumedCapacity.test.ts: a strongly-consistent GetItem reports 1 CapacityUnit and no
		// read/write split; an eventually-consistent GetItem reports 0.5; a Query under INDEXES omits the
		// split at the top level and on Table; an UpdateItem / a DeleteItem reports 1 CapacityUnit and no
		// read/write split. putItem/consumedCapacity.test.ts: PutItem with TOTAL / with INDEXES reports
		// only the aggregate; PutItem with NONE does not return ConsumedCapacity.
		{name: "ConsumedCapacity of single-item operations has no read/write split", spec: composite,
			seed: []string{`{"pk":{"S":"cc"},"sk":{"S":"a"},"lsi1sk":{"S":"l"},"data":{"S":"x"}}`, `{"pk":{"S":"cc"},"sk":{"S":"del"},"data":{"S":"x"}}`, `{"pk":{"S":"cc"},"sk":{"S":"upd"},"data":{"S":"x"}}`},
			run: func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
				var got []string
				key := item(t, `{"pk":{"S":"cc"},"sk":{"S":"a"}}`)
				for _, strong := range []bool{true, false} {
					out, err := c.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(tbl), Key: key, ConsistentRead: aws.Bool(strong), ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal})
					if err != nil {
						return nil, err
					}
					got = append(got, capJS(out.ConsumedCapacity))
				}
				q, err := c.Query(ctx, &dynamodb.QueryInput{TableName: aws.String(tbl), KeyConditionExpression: aws.String("pk = :p"), ExpressionAttributeValues: vals(t, `{":p":{"S":"cc"}}`),
					ConsistentRead: aws.Bool(true), ReturnConsumedCapacity: types.ReturnConsumedCapacityIndexes})
				if err != nil {
					return nil, err
				}
				got = append(got, capJS(q.ConsumedCapacity))
				u, err := c.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: aws.String(tbl), Key: item(t, `{"pk":{"S":"cc"},"sk":{"S":"upd"}}`), UpdateExpression: aws.String("SET #d = :v"),
					ExpressionAttributeNames: map[string]string{"#d": "data"}, ExpressionAttributeValues: vals(t, `{":v":{"S":"y"}}`), ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal})
				if err != nil {
					return nil, err
				}
				got = append(got, capJS(u.ConsumedCapacity))
				d, err := c.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: aws.String(tbl), Key: item(t, `{"pk":{"S":"cc"},"sk":{"S":"del"}}`), ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal})
				if err != nil {
					return nil, err
				}
				got = append(got, capJS(d.ConsumedCapacity))
				for _, mode := range []types.ReturnConsumedCapacity{"TOTAL", "INDEXES", "NONE"} {
					p, err := put(ctx, t, c, tbl, `{"pk":{"S":"cc"},"sk":{"S":"put"},"data":{"S":"x"}}`, mode)
					if err != nil {
						return nil, err
					}
					got = append(got, p)
				}
				return got, nil
			},
			want: []string{"1", "0.5", "1 table=1", "1", "1", "1", "1 table=1", "<nil>"}},
		// putItem/indexConsumedCapacity.test.ts: reports the GSI write beside the table write and sums
		// them; folds the index cost into TOTAL with no breakdown arms; charges a sparse write nothing for
		// the indexes it misses; reports the LSI write and folds it into the total; reports both arms
		// when a write touches both index kinds; charges an identical overwrite no index writes at all.
		{name: "PutItem reports the index writes it causes", spec: indexed,
			run: func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
				var got []string
				for _, w := range []struct {
					it   string
					mode types.ReturnConsumedCapacity
				}{
					{`{"pk":{"S":"i0"},"sk":{"S":"1"},"gsiPk":{"S":"g1"},"proj":{"S":"p"}}`, "INDEXES"},
					{`{"pk":{"S":"i1"},"sk":{"S":"1"},"gsiPk":{"S":"g2"},"proj":{"S":"p"}}`, "TOTAL"},
					{`{"pk":{"S":"i2"},"sk":{"S":"1"},"other":{"S":"o"}}`, "INDEXES"},
					{`{"pk":{"S":"i3"},"sk":{"S":"1"},"lsiSk":{"S":"L1"}}`, "INDEXES"},
					{`{"pk":{"S":"i4"},"sk":{"S":"1"},"gsiPk":{"S":"g3"},"lsiSk":{"S":"L1"},"proj":{"S":"p"}}`, "INDEXES"},
					{`{"pk":{"S":"i4"},"sk":{"S":"1"},"gsiPk":{"S":"g3"},"lsiSk":{"S":"L1"},"proj":{"S":"p"}}`, "INDEXES"},
				} {
					p, err := put(ctx, t, c, tbl, w.it, w.mode)
					if err != nil {
						return nil, err
					}
					got = append(got, p)
				}
				return got, nil
			},
			want: []string{"2 table=1 gsi:gsi-inc=1", "2", "1 table=1", "2 table=1 lsi:lsi1=1", "3 table=1 gsi:gsi-inc=1 lsi:lsi1=1", "1 table=1"}},
		// The API reference's ConsumedCapacity: Table is "the amount of throughput consumed on the
		// table affected by the operation", each index arm that of the index. A Query or Scan of an
		// index (projecting what it returns) reads the index alone, so INDEXES reports its units under
		// the index and 0 under Table, as tests of DynamoDB tools model it.
		{name: "A read of an index reports its units under the index", spec: indexed,
			seed: []string{`{"pk":{"S":"r0"},"sk":{"S":"1"},"gsiPk":{"S":"g-read"},"lsiSk":{"S":"L1"},"proj":{"S":"p"}}`},
			run: func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
				var got []string
				for _, q := range []*dynamodb.QueryInput{
					{IndexName: aws.String("gsi-inc"), KeyConditionExpression: aws.String("gsiPk = :k"), ExpressionAttributeValues: vals(t, `{":k":{"S":"g-read"}}`)},
					{IndexName: aws.String("lsi1"), KeyConditionExpression: aws.String("pk = :k"), ExpressionAttributeValues: vals(t, `{":k":{"S":"r0"}}`), ConsistentRead: aws.Bool(true)},
					{KeyConditionExpression: aws.String("pk = :k"), ExpressionAttributeValues: vals(t, `{":k":{"S":"r0"}}`), ConsistentRead: aws.Bool(true)},
				} {
					q.TableName, q.ReturnConsumedCapacity = aws.String(tbl), types.ReturnConsumedCapacityIndexes
					out, err := c.Query(ctx, q)
					if err != nil {
						return nil, err
					}
					got = append(got, capJS(out.ConsumedCapacity))
				}
				sc, err := c.Scan(ctx, &dynamodb.ScanInput{TableName: aws.String(tbl), IndexName: aws.String("gsi-inc"), ReturnConsumedCapacity: types.ReturnConsumedCapacityIndexes})
				if err != nil {
					return nil, err
				}
				return append(got, capJS(sc.ConsumedCapacity)), nil
			},
			want: []string{"0.5 table=0 gsi:gsi-inc=0.5", "1 table=0 lsi:lsi1=1", "1 table=1", "0.5 table=0 gsi:gsi-inc=0.5"}},
		// putItem/indexConsumedCapacity.test.ts: UpdateItem charges nothing on the index for a
		// non-projected attribute; one index write for a projected non-key attribute; two index writes
		// for a key change; one index write to remove the key; walks the same ladder on the LSI key.
		// DeleteItem charges one write per index the item occupied; only the table write for a sparse item.
		{name: "UpdateItem and DeleteItem report the index writes they cause", spec: indexed,
			seed: []string{`{"pk":{"S":"u0"}` + ladder, `{"pk":{"S":"u1"}` + ladder, `{"pk":{"S":"u2"}` + ladder, `{"pk":{"S":"u3"}` + ladder, `{"pk":{"S":"u4"}` + ladder,
				`{"pk":{"S":"d0"},"sk":{"S":"1"},"gsiPk":{"S":"g-del"},"lsiSk":{"S":"L1"},"proj":{"S":"p"}}`, `{"pk":{"S":"d1"},"sk":{"S":"1"},"other":{"S":"o"}}`},
			run: func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
				var got []string
				for i, u := range []struct{ expr, values string }{
					{"SET #o = :v", `{":v":{"S":"o2"}}`},
					{"SET proj = :v", `{":v":{"S":"p2"}}`},
					{"SET gsiPk = :v", `{":v":{"S":"g-moved"}}`},
					{"REMOVE gsiPk", ""},
					{"SET lsiSk = :v", `{":v":{"S":"L2"}}`},
				} {
					in := &dynamodb.UpdateItemInput{TableName: aws.String(tbl), Key: item(t, fmt.Sprintf(`{"pk":{"S":"u%d"},"sk":{"S":"1"}}`, i)),
						UpdateExpression: aws.String(u.expr), ReturnConsumedCapacity: types.ReturnConsumedCapacityIndexes}
					if strings.Contains(u.expr, "#o") {
						in.ExpressionAttributeNames = map[string]string{"#o": "other"}
					}
					if u.values != "" {
						in.ExpressionAttributeValues = vals(t, u.values)
					}
					out, err := c.UpdateItem(ctx, in)
					if err != nil {
						return nil, err
					}
					got = append(got, capJS(out.ConsumedCapacity))
				}
				for _, pk := range []string{"d0", "d1"} {
					out, err := c.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: aws.String(tbl), Key: item(t, `{"pk":{"S":"`+pk+`"},"sk":{"S":"1"}}`),
						ReturnConsumedCapacity: types.ReturnConsumedCapacityIndexes})
					if err != nil {
						return nil, err
					}
					got = append(got, capJS(out.ConsumedCapacity))
				}
				return got, nil
			},
			want: []string{"2 table=1 lsi:lsi1=1", "3 table=1 gsi:gsi-inc=1 lsi:lsi1=1", "4 table=1 gsi:gsi-inc=2 lsi:lsi1=1", "3 table=1 gsi:gsi-inc=1 lsi:lsi1=1", "3 table=1 lsi:lsi1=2",
				"3 table=1 gsi:gsi-inc=1 lsi:lsi1=1", "1 table=1"}},
		// putItem/indexConsumedCapacity.test.ts: BatchWriteItem reports the per-table entry with the
		// arms the batch actually touched
		{name: "BatchWriteItem reports the index writes of the batch", spec: indexed,
			run: func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
				out, err := c.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{ReturnConsumedCapacity: types.ReturnConsumedCapacityIndexes,
					RequestItems: map[string][]types.WriteRequest{tbl: {
						{PutRequest: &types.PutRequest{Item: item(t, `{"pk":{"S":"b0"},"sk":{"S":"1"},"gsiPk":{"S":"g-batch"},"proj":{"S":"p"}}`)}},
						{PutRequest: &types.PutRequest{Item: item(t, `{"pk":{"S":"b1"},"sk":{"S":"1"},"other":{"S":"o"}}`)}},
					}}})
				if err != nil {
					return nil, err
				}
				var got []string
				for _, cc := range out.ConsumedCapacity {
					got = append(got, capJS(&cc))
				}
				return got, nil
			},
			want: []string{"3 table=2 gsi:gsi-inc=1"}},
		// scan/consumedCapacity.test.ts: a filter matching one row / nothing, a narrow projection, and a
		// filter and a projection together cost what the unfiltered scan costs.
		// query/consumedCapacity.test.ts: the same for a Query's filter and projection.
		{name: "Scan and Query capacity is sized before the filter and the projection", spec: composite,
			seed: func() []string {
				var items []string
				for i := range 6 {
					keep := "no"
					if i == 0 {
						keep = "yes"
					}
					items = append(items, fmt.Sprintf(`{"pk":{"S":"cc"},"sk":{"S":"s%d"},"keep":{"S":%q},"filler":{"S":%q}}`, i, keep, strings.Repeat("x", 200)))
				}
				return items
			}(),
			run: func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
				var got []string
				for _, query := range []bool{false, true} {
					var plain float64
					for i, v := range []struct{ filter, keep, proj string }{{}, {"keep = :k", "yes", ""}, {"keep = :k", "no-such-value", ""}, {"", "", "sk"}, {"keep = :k", "yes", "pk"}} {
						ev := map[string]types.AttributeValue{}
						var filter, proj *string
						if v.filter != "" {
							filter, ev[":k"] = aws.String(v.filter), &types.AttributeValueMemberS{Value: v.keep}
						}
						if v.proj != "" {
							proj = aws.String(v.proj)
						}
						var count int32
						var cc *types.ConsumedCapacity
						if query {
							ev[":p"] = &types.AttributeValueMemberS{Value: "cc"}
							out, err := c.Query(ctx, &dynamodb.QueryInput{TableName: aws.String(tbl), KeyConditionExpression: aws.String("pk = :p"), FilterExpression: filter,
								ProjectionExpression: proj, ExpressionAttributeValues: ev, ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal})
							if err != nil {
								return nil, err
							}
							count, cc = out.Count, out.ConsumedCapacity
						} else {
							if len(ev) == 0 {
								ev = nil
							}
							out, err := c.Scan(ctx, &dynamodb.ScanInput{TableName: aws.String(tbl), FilterExpression: filter, ProjectionExpression: proj,
								ExpressionAttributeValues: ev, ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal})
							if err != nil {
								return nil, err
							}
							count, cc = out.Count, out.ConsumedCapacity
						}
						units := aws.ToFloat64(cc.CapacityUnits)
						if i == 0 {
							plain = units
						}
						got = append(got, fmt.Sprintf("%d same=%t", count, units == plain))
					}
				}
				return got, nil
			},
			want: []string{"6 same=true", "1 same=true", "0 same=true", "6 same=true", "1 same=true",
				"6 same=true", "1 same=true", "0 same=true", "6 same=true", "1 same=true"}},
	}
}

// limitCases checks DynamoDB's limits from the side of what they allow:
// each is inclusive (developer guide, Constraints).
func limitCases() []conformanceCase {
	// hundredKB is a binary of 100 KB, which DynamoDB counts as 102,400
	// bytes and its JSON takes 136,536 to carry.
	hundredKB := base64.StdEncoding.EncodeToString([]byte(strings.Repeat("b", 100*1024)))
	var big []string
	for i := range 12 {
		big = append(big, fmt.Sprintf(`{"pk":{"S":"p"},"sk":{"N":"%d"},"b":{"B":"%s"}}`, i, hundredKB))
	}
	return []conformanceCase{
		// Key values of 2048 and 1024 bytes, an expression of 4096 bytes
		// (scylladb test/alternator/test_limits.py: test_limit_expression_len),
		// 300 operators, 100 operands of IN, a path of 32 levels and a value
		// nested 32 levels deep are all accepted.
		{name: "Limits are inclusive", spec: tableSpec{key: "pk:S sk:S"},
			run: func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
				key := item(t, `{"pk":{"S":"`+strings.Repeat("a", 2048)+`"},"sk":{"S":"`+strings.Repeat("b", 1024)+`"}}`)
				var got []string
				_, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(tbl), Item: key})
				got = append(got, apiErr(err))
				_, err = c.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: aws.String(tbl), Key: key,
					UpdateExpression: aws.String("SET" + strings.Repeat(" ", 4085) + "a = :v"), ExpressionAttributeValues: vals(t, `{":v":{"N":"1"}}`)})
				got = append(got, apiErr(err))
				// NOT, 150 comparisons and 149 ORs.
				_, err = c.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: aws.String(tbl), Key: key, UpdateExpression: aws.String("SET z = :one"),
					ConditionExpression:       aws.String("NOT a < :one" + strings.Repeat(" OR a < :two", 149)),
					ExpressionAttributeValues: vals(t, `{":one":{"N":"1"},":two":{"N":"2"}}`)})
				got = append(got, apiErr(err))
				sc, err := c.Scan(ctx, &dynamodb.ScanInput{TableName: aws.String(tbl), FilterExpression: aws.String("a IN (" + strings.Repeat(":v, ", 99) + ":v)"),
					ExpressionAttributeValues: vals(t, `{":v":{"N":"1"}}`)})
				got = append(got, apiErr(err))
				if err == nil {
					got = append(got, fmt.Sprint(sc.Count))
				}
				_, err = c.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(tbl), Key: key, ProjectionExpression: aws.String("a" + strings.Repeat(".b", 31))})
				got = append(got, apiErr(err))
				deep := item(t, `{"pk":{"S":"deep"},"sk":{"S":"s"},"data":`+deepMap(31)+`}`)
				_, err = c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(tbl), Item: deep})
				got = append(got, apiErr(err))
				return got, nil
			},
			want: []string{"", "", "", "", "1", "", ""}},
		// The 1 MB a Query or Scan page reads and the capacity it consumes
		// count items by DynamoDB's item size, as GetItem's capacity does
		// (developer guide, Query: "the result set for a Query is limited to
		// 1 MB per call", read capacity units per 4 KB of item size): twelve
		// items of 102,408 bytes fill a page with eleven, 276 units read
		// strongly consistent.
		{name: "Query and Scan pages count item sizes", spec: hashRange, seed: big,
			run: func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
				q, err := c.Query(ctx, &dynamodb.QueryInput{TableName: aws.String(tbl), KeyConditionExpression: aws.String("pk = :p"), ExpressionAttributeValues: vals(t, `{":p":{"S":"p"}}`),
					ConsistentRead: aws.Bool(true), ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal})
				if err != nil {
					return nil, err
				}
				sc, err := c.Scan(ctx, &dynamodb.ScanInput{TableName: aws.String(tbl), ConsistentRead: aws.Bool(true), ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal})
				if err != nil {
					return nil, err
				}
				return []string{
					fmt.Sprintf("%d more=%t %s", q.Count, q.LastEvaluatedKey != nil, capJS(q.ConsumedCapacity)),
					fmt.Sprintf("%d more=%t %s", sc.Count, sc.LastEvaluatedKey != nil, capJS(sc.ConsumedCapacity)),
				}, nil
			},
			want: []string{"11 more=true 276", "11 more=true 276"}},
		// A replayed transaction reports the read units of reading its items,
		// not the write units of the first call (API reference,
		// TransactWriteItems: ClientRequestToken), read as a transaction
		// reads them.
		{name: "TransactWriteItems replay reports read units", spec: hashOnly,
			run: func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
				token := aws.String("replay-" + tbl[len(tbl)-6:])
				it := item(t, `{"id":{"S":"r"},"pad":{"S":"`+strings.Repeat("p", 1500)+`"}}`)
				var got []string
				for range 2 {
					out, err := c.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{ClientRequestToken: token, ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal,
						TransactItems: []types.TransactWriteItem{{Put: &types.Put{TableName: aws.String(tbl), Item: it}}}})
					if err != nil {
						return nil, err
					}
					for _, cc := range out.ConsumedCapacity {
						got = append(got, fmt.Sprintf("%g read=%g write=%g", aws.ToFloat64(cc.CapacityUnits), aws.ToFloat64(cc.ReadCapacityUnits), aws.ToFloat64(cc.WriteCapacityUnits)))
					}
				}
				return got, nil
			},
			want: []string{"4 read=0 write=4", "2 read=2 write=0"}},
	}
}
