package localdynamo_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/google/go-cmp/cmp"
)

// conformanceCase is one request and what DynamoDB documents for it. The
// cases are written against the public API only, so that they can run
// against real DynamoDB with -dynamodb.endpoint.
type conformanceCase struct {
	name    string
	spec    tableSpec
	seed    []string // items in DynamoDB JSON
	run     func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error)
	want    any
	wantErr string // "Code: message", "" for success
}

// vals builds ExpressionAttributeValues from DynamoDB JSON.
func vals(t *testing.T, js string) map[string]types.AttributeValue { return item(t, js) }

func getJS(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl, key string) (any, error) {
	out, err := c.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(tbl), Key: item(t, key), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return nil, err
	}
	return js(out.Item), nil
}

type page struct {
	Items        []string
	Count        int32
	ScannedCount int32
	LastKey      string
}

func queryPage(out *dynamodb.QueryOutput) page {
	p := page{Items: jsItems(out.Items), Count: out.Count, ScannedCount: out.ScannedCount}
	if out.LastEvaluatedKey != nil {
		p.LastKey = js(out.LastEvaluatedKey)
	}
	return p
}

func scanPage(out *dynamodb.ScanOutput) page {
	p := page{Items: jsItems(out.Items), Count: out.Count, ScannedCount: out.ScannedCount}
	if out.LastEvaluatedKey != nil {
		p.LastKey = js(out.LastEvaluatedKey)
	}
	return p
}

var (
	hashOnly  = tableSpec{key: "id:S"}
	hashRange = tableSpec{key: "pk:S sk:N"}
	rangeSeed = []string{
		`{"pk":{"S":"a"},"sk":{"N":"1"},"v":{"S":"one"}}`,
		`{"pk":{"S":"a"},"sk":{"N":"2"},"v":{"S":"two"}}`,
		`{"pk":{"S":"a"},"sk":{"N":"10"},"v":{"S":"ten"}}`,
		`{"pk":{"S":"a"},"sk":{"N":"-3.5"},"v":{"S":"neg"}}`,
		`{"pk":{"S":"b"},"sk":{"N":"1"},"v":{"S":"other"}}`,
	}
)

func conformanceCases() []conformanceCase {
	return []conformanceCase{
		{
			// DynamoDB compares values by type and value: numbers
			// numerically, sets and maps without regard to order, lists
			// in order, all of them deeply.
			name: "equality in conditions compares every type by value",
			spec: hashOnly,
			seed: []string{`{"id":{"S":"x"},"n":{"N":"1"},"s":{"S":"1"},"b":{"B":"AAEC"},"t":{"BOOL":true},"z":{"NULL":true},` +
				`"ss":{"SS":["a","b"]},"ns":{"NS":["1","2"]},"bs":{"BS":["AQ==","Ag=="]},` +
				`"l":{"L":[{"N":"1"},{"S":"x"},{"M":{"k":{"SS":["p","q"]}}}]},"m":{"M":{"a":{"N":"1"},"b":{"L":[{"S":"x"}]}}}}`},
			run: func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
				values := vals(t, `{":n1":{"N":"1.0"},":n2":{"N":"2"},":s1":{"S":"1"},":b":{"B":"AAEC"},":t":{"BOOL":true},":f":{"BOOL":false},":z":{"NULL":true},`+
					`":ssr":{"SS":["b","a"]},":ss1":{"SS":["a"]},":nsr":{"NS":["2.0","1"]},":bsr":{"BS":["Ag==","AQ=="]},`+
					`":l":{"L":[{"N":"1.00"},{"S":"x"},{"M":{"k":{"SS":["q","p"]}}}]},":lr":{"L":[{"S":"x"},{"N":"1"},{"M":{"k":{"SS":["p","q"]}}}]},`+
					`":m":{"M":{"b":{"L":[{"S":"x"}]},"a":{"N":"1"}}},":mx":{"M":{"a":{"N":"1"},"b":{"L":[{"S":"x"}]},"c":{"NULL":true}}},`+
					`":el":{"M":{"k":{"SS":["p","q"]}}},":x":{"S":"x"}}`)
				exprs := []string{
					"n = :n1", "n = :s1", "s = :s1", "n <> :n2", "b = :b", "t = :t", "t = :f", "z = :z",
					"ss = :ssr", "ss = :ss1", "ns = :nsr", "bs = :bsr",
					"l = :l", "l = :lr", "m = :m", "m = :mx", "m.b = :lr", "m.a = :n1", "l[2] = :el",
					"m IN (:mx, :m)", "l IN (:lr, :el)", "contains(l, :el)", "contains(l, :x)", "contains(ss, :s1)",
				}
				got := map[string]bool{}
				for _, e := range exprs {
					// Only the names and values an expression uses may be sent.
					used := map[string]types.AttributeValue{}
					for k, v := range values {
						if strings.Contains(e+" ", k+" ") || strings.Contains(e+",", k+",") || strings.Contains(e+")", k+")") {
							used[k] = v
						}
					}
					out, err := c.Scan(ctx, &dynamodb.ScanInput{TableName: aws.String(tbl), FilterExpression: aws.String(e), ExpressionAttributeValues: used})
					if err != nil {
						return nil, fmt.Errorf("%s: %w", e, err)
					}
					got[e] = out.Count == 1
				}
				return got, nil
			},
			want: map[string]bool{
				"n = :n1": true, "n = :s1": false, "s = :s1": true, "n <> :n2": true, "b = :b": true, "t = :t": true, "t = :f": false, "z = :z": true,
				"ss = :ssr": true, "ss = :ss1": false, "ns = :nsr": true, "bs = :bsr": true,
				"l = :l": true, "l = :lr": false, "m = :m": true, "m = :mx": false, "m.b = :lr": false, "m.a = :n1": true, "l[2] = :el": true,
				"m IN (:mx, :m)": true, "l IN (:lr, :el)": false, "contains(l, :el)": true, "contains(l, :x)": true, "contains(ss, :s1)": false,
			},
		},
		{
			name: "PutItem then GetItem returns the item with numbers normalized",
			spec: hashOnly,
			run: func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
				_, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(tbl), Item: item(t,
					`{"id":{"S":"x"},"n":{"N":"01.50"},"big":{"N":"12345678901234567890123456789012345678"},"tiny":{"N":"1E-130"},"b":{"B":"AAEC"},"ok":{"BOOL":true},"nil":{"NULL":true},"l":{"L":[{"S":"a"},{"N":"1"}]},"m":{"M":{"k":{"S":"v"}}},"ss":{"SS":["b","a"]},"ns":{"NS":["2","1"]},"bs":{"BS":["AQ=="]}}`)})
				if err != nil {
					return nil, err
				}
				return getJS(ctx, t, c, tbl, `{"id":{"S":"x"}}`)
			},
			want: `{"b":{"B":"AAEC"},"big":{"N":"12345678901234567890123456789012345678"},"bs":{"BS":["AQ=="]},"id":{"S":"x"},"l":{"L":[{"S":"a"},{"N":"1"}]},"m":{"M":{"k":{"S":"v"}}},"n":{"N":"1.5"},"nil":{"NULL":true},"ns":{"NS":["1","2"]},"ok":{"BOOL":true},"ss":{"SS":["a","b"]},"tiny":{"N":"0.` + strings.Repeat("0", 129) + `1"}}`,
		},
		{
			name: "GetItem of a missing item has no Item",
			spec: hashOnly,
			run: func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
				return getJS(ctx, t, c, tbl, `{"id":{"S":"nope"}}`)
			},
			want: "<nil>",
		},
		{
			name: "GetItem on a missing table",
			spec: hashOnly,
			run: func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
				return getJS(ctx, t, c, tbl+"-missing", `{"id":{"S":"x"}}`)
			},
			wantErr: "ResourceNotFoundException: Requested resource not found",
		},
		{
			name: "GetItem with a wrong key",
			spec: hashOnly,
			run: func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
				return getJS(ctx, t, c, tbl, `{"id":{"N":"1"}}`)
			},
			wantErr: "ValidationException: The provided key element does not match the schema",
		},
		{
			name: "PutItem without the key",
			spec: hashOnly,
			run: func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
				return c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(tbl), Item: item(t, `{"x":{"S":"y"}}`)})
			},
			wantErr: "ValidationException: One or more parameter values were invalid: Missing the key id in the item",
		},
		{
			name: "PutItem with a key of the wrong type",
			spec: hashOnly,
			run: func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
				return c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(tbl), Item: item(t, `{"id":{"N":"1"}}`)})
			},
			wantErr: "ValidationException: One or more parameter values were invalid: Type mismatch for key id expected: S actual: N",
		},
		{
			name: "PutItem with more than 38 digits",
			spec: hashOnly,
			run: func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
				return c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(tbl), Item: item(t, `{"id":{"S":"a"},"n":{"N":"123456789012345678901234567890123456789"}}`)})
			},
			wantErr: "ValidationException: Attempting to store more than 38 significant digits in a Number",
		},
		{
			name: "PutItem over 400 KB",
			spec: hashOnly,
			run: func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
				big := make([]byte, 410*1024)
				return c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(tbl), Item: map[string]types.AttributeValue{
					"id": &types.AttributeValueMemberS{Value: "a"}, "blob": &types.AttributeValueMemberB{Value: big}}})
			},
			wantErr: "ValidationException: Item size has exceeded the maximum allowed size",
		},
		{
			name: "PutItem condition attribute_not_exists fails on an existing item",
			spec: hashOnly,
			seed: []string{`{"id":{"S":"a"},"v":{"N":"1"}}`},
			run: func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
				return c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(tbl), Item: item(t, `{"id":{"S":"a"}}`),
					ConditionExpression: aws.String("attribute_not_exists(id)")})
			},
			wantErr: "ConditionalCheckFailedException: The conditional request failed",
		},
		{
			name: "ReturnValuesOnConditionCheckFailure returns the item",
			spec: hashOnly,
			seed: []string{`{"id":{"S":"a"},"v":{"N":"1"}}`},
			run: func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
				_, err := c.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: aws.String(tbl), Key: item(t, `{"id":{"S":"a"}}`),
					ConditionExpression:                 aws.String("v = :two"),
					ExpressionAttributeValues:           vals(t, `{":two":{"N":"2"}}`),
					ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld})
				var ccf *types.ConditionalCheckFailedException
				if !asErr(err, &ccf) {
					return nil, err
				}
				return js(ccf.Item), nil
			},
			want: `{"id":{"S":"a"},"v":{"N":"1"}}`,
		},
		{
			name: "PutItem ReturnValues ALL_OLD",
			spec: hashOnly,
			seed: []string{`{"id":{"S":"a"},"v":{"N":"1"}}`},
			run: func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
				out, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(tbl), Item: item(t, `{"id":{"S":"a"},"v":{"N":"2"}}`), ReturnValues: types.ReturnValueAllOld})
				if err != nil {
					return nil, err
				}
				return js(out.Attributes), nil
			},
			want: `{"id":{"S":"a"},"v":{"N":"1"}}`,
		},
		{
			name: "PutItem ReturnValues ALL_NEW is rejected",
			spec: hashOnly,
			run: func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
				return c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(tbl), Item: item(t, `{"id":{"S":"a"}}`), ReturnValues: types.ReturnValueAllNew})
			},
			wantErr: "ValidationException: ReturnValues can only be ALL_OLD or NONE",
		},
		{
			name: "unused ExpressionAttributeValues",
			spec: hashOnly,
			run: func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
				return c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(tbl), Item: item(t, `{"id":{"S":"a"}}`),
					ConditionExpression: aws.String("attribute_not_exists(id)"), ExpressionAttributeValues: vals(t, `{":x":{"S":"y"}}`)})
			},
			wantErr: "ValidationException: Value provided in ExpressionAttributeValues unused in expressions: keys: {:x}",
		},
		{
			name: "unused ExpressionAttributeNames",
			spec: hashOnly,
			run: func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
				return c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(tbl), Item: item(t, `{"id":{"S":"a"}}`),
					ConditionExpression: aws.String("attribute_not_exists(id)"), ExpressionAttributeNames: map[string]string{"#n": "name"}})
			},
			wantErr: "ValidationException: Value provided in ExpressionAttributeNames unused in expressions: keys: {#n}",
		},
		{
			name: "undefined expression attribute value",
			spec: hashOnly,
			run: func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
				return c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(tbl), Item: item(t, `{"id":{"S":"a"}}`),
					ConditionExpression: aws.String("v = :v")})
			},
			wantErr: "ValidationException: Invalid ConditionExpression: An expression attribute value used in expression is not defined; attribute value: :v",
		},
		{
			name: "reserved word in a condition",
			spec: hashOnly,
			run: func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
				return c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(tbl), Item: item(t, `{"id":{"S":"a"}}`),
					ConditionExpression: aws.String("attribute_not_exists(name)")})
			},
			wantErr: "ValidationException: Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: name",
		},
		{
			name: "syntax error in a condition",
			spec: hashOnly,
			run: func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
				return c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(tbl), Item: item(t, `{"id":{"S":"a"}}`),
					ConditionExpression: aws.String("foo")})
			},
			wantErr: `ValidationException: Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "foo"`,
		},
		{
			name: "UpdateItem paths that overlap",
			spec: hashOnly,
			seed: []string{`{"id":{"S":"a"},"n":{"N":"10"},"l":{"L":[{"S":"x"},{"S":"y"},{"S":"z"}]},"s":{"SS":["p","q"]},"gone":{"S":"bye"},"m":{"M":{"deep":{"N":"1"}}}}`},
			run: func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
				out, err := c.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: aws.String(tbl), Key: item(t, `{"id":{"S":"a"}}`),
					UpdateExpression:          aws.String("SET n = n - :one, fresh = if_not_exists(fresh, :zero), l = list_append(l, :more), m.deep = m.deep + :one REMOVE gone, l[0] ADD #c :one, s :more_s DELETE s :p"),
					ExpressionAttributeNames:  map[string]string{"#c": "counter"},
					ExpressionAttributeValues: vals(t, `{":one":{"N":"1"},":zero":{"N":"0"},":more":{"L":[{"S":"w"}]},":more_s":{"SS":["r"]},":p":{"SS":["p"]}}`),
					ReturnValues:              types.ReturnValueAllNew})
				if err != nil {
					return nil, err
				}
				return js(out.Attributes), nil
			},
			wantErr: "ValidationException: Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [l], path two: [l, [0]]",
		},
		{
			name: "UpdateItem with every clause",
			spec: hashOnly,
			seed: []string{`{"id":{"S":"a"},"n":{"N":"10"},"l":{"L":[{"S":"x"},{"S":"y"},{"S":"z"}]},"s":{"SS":["p","q"]},"s2":{"SS":["p","q"]},"gone":{"S":"bye"},"m":{"M":{"deep":{"N":"1"}}}}`},
			run: func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
				out, err := c.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: aws.String(tbl), Key: item(t, `{"id":{"S":"a"}}`),
					UpdateExpression:          aws.String("SET n = n - :one, fresh = if_not_exists(fresh, :zero), m.deep = m.deep + :one REMOVE gone, l[0] ADD #c :one, s :more_s DELETE s2 :p"),
					ExpressionAttributeNames:  map[string]string{"#c": "counter"},
					ExpressionAttributeValues: vals(t, `{":one":{"N":"1"},":zero":{"N":"0"},":more_s":{"SS":["r"]},":p":{"SS":["p"]}}`),
					ReturnValues:              types.ReturnValueAllNew})
				if err != nil {
					return nil, err
				}
				return js(out.Attributes), nil
			},
			want: `{"counter":{"N":"1"},"fresh":{"N":"0"},"id":{"S":"a"},"l":{"L":[{"S":"y"},{"S":"z"}]},"m":{"M":{"deep":{"N":"2"}}},"n":{"N":"9"},"s":{"SS":["p","q","r"]},"s2":{"SS":["q"]}}`,
		},
		{
			name: "UpdateItem UPDATED_OLD and UPDATED_NEW",
			spec: hashOnly,
			seed: []string{`{"id":{"S":"a"},"n":{"N":"1"},"keep":{"S":"k"}}`},
			run: func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
				var got []string
				for _, rv := range []types.ReturnValue{types.ReturnValueUpdatedOld, types.ReturnValueUpdatedNew} {
					out, err := c.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: aws.String(tbl), Key: item(t, `{"id":{"S":"a"}}`),
						UpdateExpression: aws.String("ADD n :one"), ExpressionAttributeValues: vals(t, `{":one":{"N":"1"}}`), ReturnValues: rv})
					if err != nil {
						return nil, err
					}
					got = append(got, js(out.Attributes))
				}
				return got, nil
			},
			want: []string{`{"n":{"N":"1"}}`, `{"n":{"N":"3"}}`},
		},
		{
			name: "UpdateItem creates a missing item",
			spec: hashOnly,
			run: func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
				_, err := c.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: aws.String(tbl), Key: item(t, `{"id":{"S":"new"}}`),
					UpdateExpression: aws.String("SET #c = :v"), ExpressionAttributeNames: map[string]string{"#c": "count"}, ExpressionAttributeValues: vals(t, `{":v":{"N":"5"}}`)})
				if err != nil {
					return nil, err
				}
				return getJS(ctx, t, c, tbl, `{"id":{"S":"new"}}`)
			},
			want: `{"count":{"N":"5"},"id":{"S":"new"}}`,
		},
		{
			name: "UpdateItem on the key",
			spec: hashOnly,
			run: func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
				return c.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: aws.String(tbl), Key: item(t, `{"id":{"S":"a"}}`),
					UpdateExpression: aws.String("SET id = :v"), ExpressionAttributeValues: vals(t, `{":v":{"S":"b"}}`)})
			},
			wantErr: "ValidationException: One or more parameter values were invalid: Cannot update attribute id. This attribute is part of the key",
		},
		{
			name: "UpdateItem arithmetic on a missing attribute",
			spec: hashOnly,
			run: func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
				return c.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: aws.String(tbl), Key: item(t, `{"id":{"S":"a"}}`),
					UpdateExpression: aws.String("SET n = n + :v"), ExpressionAttributeValues: vals(t, `{":v":{"N":"1"}}`)})
			},
			wantErr: "ValidationException: The provided expression refers to an attribute that does not exist in the item",
		},
		{
			name: "GetItem ProjectionExpression with nested paths and list indexes",
			spec: hashOnly,
			seed: []string{`{"id":{"S":"a"},"m":{"M":{"x":{"N":"1"},"y":{"N":"2"}}},"l":{"L":[{"S":"0"},{"S":"1"},{"S":"2"}]},"other":{"S":"o"}}`},
			run: func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
				out, err := c.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(tbl), Key: item(t, `{"id":{"S":"a"}}`),
					ProjectionExpression: aws.String("m.y, l[2], #l[0]"), ExpressionAttributeNames: map[string]string{"#l": "l"}})
				if err != nil {
					return nil, err
				}
				return js(out.Item), nil
			},
			want: `{"l":{"L":[{"S":"0"},{"S":"2"}]},"m":{"M":{"y":{"N":"2"}}}}`,
		},
		{
			name: "Query ascending with a sort key range",
			spec: hashRange,
			seed: rangeSeed,
			run: func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
				out, err := c.Query(ctx, &dynamodb.QueryInput{TableName: aws.String(tbl),
					KeyConditionExpression:    aws.String("pk = :p AND sk BETWEEN :lo AND :hi"),
					ExpressionAttributeValues: vals(t, `{":p":{"S":"a"},":lo":{"N":"-4"},":hi":{"N":"2"}}`)})
				if err != nil {
					return nil, err
				}
				return queryPage(out), nil
			},
			want: page{Items: []string{
				`{"pk":{"S":"a"},"sk":{"N":"-3.5"},"v":{"S":"neg"}}`,
				`{"pk":{"S":"a"},"sk":{"N":"1"},"v":{"S":"one"}}`,
				`{"pk":{"S":"a"},"sk":{"N":"2"},"v":{"S":"two"}}`,
			}, Count: 3, ScannedCount: 3},
		},
		{
			name: "Query descending with Limit returns LastEvaluatedKey",
			spec: hashRange,
			seed: rangeSeed,
			run: func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
				out, err := c.Query(ctx, &dynamodb.QueryInput{TableName: aws.String(tbl),
					KeyConditionExpression:    aws.String("pk = :p"),
					ExpressionAttributeValues: vals(t, `{":p":{"S":"a"}}`),
					ScanIndexForward:          aws.Bool(false), Limit: aws.Int32(2)})
				if err != nil {
					return nil, err
				}
				return queryPage(out), nil
			},
			want: page{Items: []string{
				`{"pk":{"S":"a"},"sk":{"N":"10"},"v":{"S":"ten"}}`,
				`{"pk":{"S":"a"},"sk":{"N":"2"},"v":{"S":"two"}}`,
			}, Count: 2, ScannedCount: 2, LastKey: `{"pk":{"S":"a"},"sk":{"N":"2"}}`},
		},
		{
			name: "Query with a filter counts scanned items",
			spec: hashRange,
			seed: rangeSeed,
			run: func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
				out, err := c.Query(ctx, &dynamodb.QueryInput{TableName: aws.String(tbl),
					KeyConditionExpression:    aws.String("pk = :p AND sk > :z"),
					FilterExpression:          aws.String("begins_with(v, :t) OR v IN (:one)"),
					ExpressionAttributeValues: vals(t, `{":p":{"S":"a"},":z":{"N":"0"},":t":{"S":"t"},":one":{"S":"one"}}`),
					Select:                    types.SelectCount})
				if err != nil {
					return nil, err
				}
				return queryPage(out), nil
			},
			want: page{Items: []string{}, Count: 3, ScannedCount: 3},
		},
		{
			name: "Query without the partition key",
			spec: hashRange,
			run: func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
				return c.Query(ctx, &dynamodb.QueryInput{TableName: aws.String(tbl),
					KeyConditionExpression: aws.String("sk = :s"), ExpressionAttributeValues: vals(t, `{":s":{"N":"1"}}`)})
			},
			wantErr: "ValidationException: Query condition missed key schema element: pk",
		},
		{
			name: "Query key condition syntax error",
			spec: hashRange,
			run: func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
				return c.Query(ctx, &dynamodb.QueryInput{TableName: aws.String(tbl),
					KeyConditionExpression: aws.String("pk = :p x"), ExpressionAttributeValues: vals(t, `{":p":{"S":"a"}}`)})
			},
			wantErr: `ValidationException: Invalid KeyConditionExpression: Syntax error; token: "x", near: ":p x"`,
		},
		{
			name: "Query a global secondary index",
			spec: tableSpec{key: "id:S", gsis: []indexSpec{{name: "byCat", key: "cat:S price:N", projection: "INCLUDE", include: []string{"name"}}}},
			seed: []string{
				`{"id":{"S":"1"},"cat":{"S":"fish"},"price":{"N":"5"},"name":{"S":"Goldfish"},"secret":{"S":"s"}}`,
				`{"id":{"S":"2"},"cat":{"S":"fish"},"price":{"N":"3"},"name":{"S":"Guppy"}}`,
				`{"id":{"S":"3"},"cat":{"S":"dog"},"price":{"N":"300"},"name":{"S":"Rex"}}`,
				`{"id":{"S":"4"},"name":{"S":"not indexed"}}`,
			},
			run: func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
				out, err := c.Query(ctx, &dynamodb.QueryInput{TableName: aws.String(tbl), IndexName: aws.String("byCat"),
					KeyConditionExpression: aws.String("cat = :c"), ExpressionAttributeValues: vals(t, `{":c":{"S":"fish"}}`)})
				if err != nil {
					return nil, err
				}
				return queryPage(out), nil
			},
			want: page{Items: []string{
				`{"cat":{"S":"fish"},"id":{"S":"2"},"name":{"S":"Guppy"},"price":{"N":"3"}}`,
				`{"cat":{"S":"fish"},"id":{"S":"1"},"name":{"S":"Goldfish"},"price":{"N":"5"}}`,
			}, Count: 2, ScannedCount: 2},
		},
		{
			name: "Query a local secondary index",
			spec: tableSpec{key: "pk:S sk:S", lsis: []indexSpec{{name: "byDate", key: "pk:S date:S", projection: "KEYS_ONLY"}}},
			seed: []string{
				`{"pk":{"S":"u"},"sk":{"S":"o1"},"date":{"S":"2024-03"},"x":{"N":"1"}}`,
				`{"pk":{"S":"u"},"sk":{"S":"o2"},"date":{"S":"2024-01"},"x":{"N":"2"}}`,
			},
			run: func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
				out, err := c.Query(ctx, &dynamodb.QueryInput{TableName: aws.String(tbl), IndexName: aws.String("byDate"),
					KeyConditionExpression: aws.String("pk = :p AND begins_with(#d, :y)"), ExpressionAttributeNames: map[string]string{"#d": "date"},
					ExpressionAttributeValues: vals(t, `{":p":{"S":"u"},":y":{"S":"2024"}}`)})
				if err != nil {
					return nil, err
				}
				return queryPage(out), nil
			},
			want: page{Items: []string{
				`{"date":{"S":"2024-01"},"pk":{"S":"u"},"sk":{"S":"o2"}}`,
				`{"date":{"S":"2024-03"},"pk":{"S":"u"},"sk":{"S":"o1"}}`,
			}, Count: 2, ScannedCount: 2},
		},
		{
			name: "Scan with a filter",
			spec: hashRange,
			seed: rangeSeed,
			run: func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
				out, err := c.Scan(ctx, &dynamodb.ScanInput{TableName: aws.String(tbl),
					FilterExpression: aws.String("sk >= :one AND NOT contains(v, :e)"), ExpressionAttributeValues: vals(t, `{":one":{"N":"1"},":e":{"S":"e"}}`)})
				if err != nil {
					return nil, err
				}
				return scanPage(out), nil
			},
			want: page{Items: []string{`{"pk":{"S":"a"},"sk":{"N":"2"},"v":{"S":"two"}}`}, Count: 1, ScannedCount: 5},
		},
		{
			name: "Scan segments partition the table",
			spec: hashRange,
			seed: rangeSeed,
			run: func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
				total := 0
				for seg := int32(0); seg < 4; seg++ {
					out, err := c.Scan(ctx, &dynamodb.ScanInput{TableName: aws.String(tbl), Segment: aws.Int32(seg), TotalSegments: aws.Int32(4)})
					if err != nil {
						return nil, err
					}
					total += len(out.Items)
				}
				return total, nil
			},
			want: 5,
		},
		{
			name: "Scan pages with Limit, within segments",
			spec: hashRange,
			seed: rangeSeed,
			run: func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
				var got []string
				for seg := int32(0); seg < 2; seg++ {
					p := dynamodb.NewScanPaginator(c, &dynamodb.ScanInput{TableName: aws.String(tbl), Limit: aws.Int32(2), Segment: aws.Int32(seg), TotalSegments: aws.Int32(2)})
					for p.HasMorePages() {
						out, err := p.NextPage(ctx)
						if err != nil {
							return nil, err
						}
						got = append(got, jsItems(out.Items)...)
					}
				}
				sortStrings(got)
				return got, nil
			},
			want: func() []string {
				s := append([]string(nil), rangeSeed...)
				sortStrings(s)
				return s
			}(),
		},
		{
			name: "BatchWriteItem then BatchGetItem",
			spec: hashOnly,
			seed: []string{`{"id":{"S":"old"}}`},
			run: func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
				_, err := c.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{RequestItems: map[string][]types.WriteRequest{tbl: {
					{PutRequest: &types.PutRequest{Item: item(t, `{"id":{"S":"a"},"v":{"N":"1"}}`)}},
					{PutRequest: &types.PutRequest{Item: item(t, `{"id":{"S":"b"},"v":{"N":"2"}}`)}},
					{DeleteRequest: &types.DeleteRequest{Key: item(t, `{"id":{"S":"old"}}`)}},
				}}})
				if err != nil {
					return nil, err
				}
				out, err := c.BatchGetItem(ctx, &dynamodb.BatchGetItemInput{RequestItems: map[string]types.KeysAndAttributes{tbl: {
					Keys: []map[string]types.AttributeValue{item(t, `{"id":{"S":"a"}}`), item(t, `{"id":{"S":"b"}}`), item(t, `{"id":{"S":"old"}}`)},
				}}})
				if err != nil {
					return nil, err
				}
				got := jsItems(out.Responses[tbl])
				sortStrings(got)
				return append(got, "unprocessed:"+itoa(len(out.UnprocessedKeys))), nil
			},
			want: []string{`{"id":{"S":"a"},"v":{"N":"1"}}`, `{"id":{"S":"b"},"v":{"N":"2"}}`, "unprocessed:0"},
		},
		{
			name: "BatchWriteItem with duplicate keys",
			spec: hashOnly,
			run: func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
				return c.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{RequestItems: map[string][]types.WriteRequest{tbl: {
					{PutRequest: &types.PutRequest{Item: item(t, `{"id":{"S":"a"}}`)}},
					{DeleteRequest: &types.DeleteRequest{Key: item(t, `{"id":{"S":"a"}}`)}},
				}}})
			},
			wantErr: "ValidationException: Provided list of item keys contains duplicates",
		},
		{
			name: "TransactWriteItems cancelled by a condition",
			spec: hashOnly,
			seed: []string{`{"id":{"S":"stock"},"n":{"N":"1"}}`},
			run: func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
				_, err := c.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
					{Put: &types.Put{TableName: aws.String(tbl), Item: item(t, `{"id":{"S":"order"}}`)}},
					{Update: &types.Update{TableName: aws.String(tbl), Key: item(t, `{"id":{"S":"stock"}}`),
						UpdateExpression: aws.String("SET n = n - :q"), ConditionExpression: aws.String("n >= :q"),
						ExpressionAttributeValues: vals(t, `{":q":{"N":"2"}}`)}},
				}})
				var tce *types.TransactionCanceledException
				if !asErr(err, &tce) {
					return nil, err
				}
				var codes []string
				for _, r := range tce.CancellationReasons {
					codes = append(codes, aws.ToString(r.Code))
				}
				order, err := getJS(ctx, t, c, tbl, `{"id":{"S":"order"}}`)
				return []any{tce.ErrorMessage(), codes, order}, err
			},
			want: []any{"Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed]", []string{"None", "ConditionalCheckFailed"}, "<nil>"},
		},
		{
			name: "TransactWriteItems on one item twice",
			spec: hashOnly,
			run: func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
				return c.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
					{Put: &types.Put{TableName: aws.String(tbl), Item: item(t, `{"id":{"S":"a"}}`)}},
					{Delete: &types.Delete{TableName: aws.String(tbl), Key: item(t, `{"id":{"S":"a"}}`)}},
				}})
			},
			wantErr: "ValidationException: Transaction request cannot include multiple operations on one item",
		},
		{
			name: "TransactWriteItems idempotency",
			spec: hashOnly,
			seed: []string{`{"id":{"S":"c"},"n":{"N":"0"}}`},
			run: func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
				inc := func(by string) error {
					_, err := c.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{ClientRequestToken: aws.String("token-1"),
						TransactItems: []types.TransactWriteItem{{Update: &types.Update{TableName: aws.String(tbl), Key: item(t, `{"id":{"S":"c"}}`),
							UpdateExpression: aws.String("ADD n :one"), ExpressionAttributeValues: vals(t, `{":one":{"N":"`+by+`"}}`)}}}})
					return err
				}
				if err := inc("1"); err != nil {
					return nil, err
				}
				if err := inc("1"); err != nil {
					return nil, err
				}
				got, err := getJS(ctx, t, c, tbl, `{"id":{"S":"c"}}`)
				return []any{got, apiErr(inc("2"))}, err
			},
			want: []any{`{"id":{"S":"c"},"n":{"N":"1"}}`, "IdempotentParameterMismatchException: The request uses the same client token as a previous, but non-identical request."},
		},
		{
			name: "TransactGetItems",
			spec: hashOnly,
			seed: []string{`{"id":{"S":"a"},"v":{"S":"x"}}`},
			run: func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
				out, err := c.TransactGetItems(ctx, &dynamodb.TransactGetItemsInput{TransactItems: []types.TransactGetItem{
					{Get: &types.Get{TableName: aws.String(tbl), Key: item(t, `{"id":{"S":"a"}}`)}},
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
			want: []string{`{"id":{"S":"a"},"v":{"S":"x"}}`, "<nil>"},
		},
		{
			name: "ReturnConsumedCapacity reports capacity units",
			spec: hashOnly,
			seed: []string{`{"id":{"S":"a"}}`},
			run: func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
				put, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(tbl), Item: item(t, `{"id":{"S":"b"}}`), ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal})
				if err != nil {
					return nil, err
				}
				get, err := c.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(tbl), Key: item(t, `{"id":{"S":"a"}}`), ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal})
				if err != nil {
					return nil, err
				}
				strong, err := c.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(tbl), Key: item(t, `{"id":{"S":"a"}}`), ConsistentRead: aws.Bool(true), ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal})
				if err != nil {
					return nil, err
				}
				return []float64{aws.ToFloat64(put.ConsumedCapacity.CapacityUnits), aws.ToFloat64(get.ConsumedCapacity.CapacityUnits), aws.ToFloat64(strong.ConsumedCapacity.CapacityUnits)}, nil
			},
			want: []float64{1, 0.5, 1},
		},
		{
			// The API reference: "You can also provide the Amazon Resource
			// Name (ARN) of the table in this parameter."
			name: "a table's ARN names it",
			spec: hashOnly,
			seed: []string{`{"id":{"S":"a"},"v":{"S":"x"}}`},
			run: func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
				d, err := c.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(tbl)})
				if err != nil {
					return nil, err
				}
				arn := d.Table.TableArn
				byARN, err := c.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: arn})
				if err != nil {
					return nil, err
				}
				if _, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: arn, Item: item(t, `{"id":{"S":"b"},"v":{"S":"y"}}`)}); err != nil {
					return nil, err
				}
				get, err := c.GetItem(ctx, &dynamodb.GetItemInput{TableName: arn, Key: item(t, `{"id":{"S":"b"}}`)})
				if err != nil {
					return nil, err
				}
				q, err := c.Query(ctx, &dynamodb.QueryInput{TableName: arn, KeyConditionExpression: aws.String("id = :a"), ExpressionAttributeValues: vals(t, `{":a":{"S":"a"}}`)})
				if err != nil {
					return nil, err
				}
				if _, err := c.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
					{Update: &types.Update{TableName: arn, Key: item(t, `{"id":{"S":"a"}}`), UpdateExpression: aws.String("SET v = :v"), ExpressionAttributeValues: vals(t, `{":v":{"S":"z"}}`)}},
				}}); err != nil {
					return nil, err
				}
				batch, err := c.BatchGetItem(ctx, &dynamodb.BatchGetItemInput{RequestItems: map[string]types.KeysAndAttributes{
					aws.ToString(arn): {Keys: []map[string]types.AttributeValue{item(t, `{"id":{"S":"a"}}`)}},
				}})
				if err != nil {
					return nil, err
				}
				var keyedBy []string
				for k, items := range batch.Responses {
					keyedBy = append(keyedBy, fmt.Sprintf("%v %d", k == aws.ToString(arn), len(items)))
				}
				return []string{
					fmt.Sprint(aws.ToString(byARN.Table.TableName) == tbl),
					js(get.Item), strings.Join(queryPage(q).Items, ","), fmt.Sprint(keyedBy),
				}, nil
			},
			want: []string{
				"true",
				`{"id":{"S":"b"},"v":{"S":"y"}}`,
				`{"id":{"S":"a"},"v":{"S":"x"}}`,
				"[true 1]",
			},
		},
		{
			// The developer guide's "Read and write operations": BatchGetItem
			// reads each key as a GetItem, so 1.5 KB and 6.5 KB items take 4
			// and 8 KB, not 8 KB together, and a missing item still a unit.
			name: "BatchGetItem rounds each item up to 4 KB",
			spec: hashOnly,
			seed: []string{
				`{"id":{"S":"a"},"v":{"S":"` + strings.Repeat("x", 1500) + `"}}`,
				`{"id":{"S":"b"},"v":{"S":"` + strings.Repeat("y", 6500) + `"}}`,
			},
			run: func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
				var units []float64
				for _, consistent := range []bool{true, false} {
					out, err := c.BatchGetItem(ctx, &dynamodb.BatchGetItemInput{
						RequestItems: map[string]types.KeysAndAttributes{tbl: {
							Keys: []map[string]types.AttributeValue{
								item(t, `{"id":{"S":"a"}}`), item(t, `{"id":{"S":"b"}}`), item(t, `{"id":{"S":"missing"}}`),
							},
							ConsistentRead: aws.Bool(consistent),
						}},
						ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal,
					})
					if err != nil {
						return nil, err
					}
					for _, cc := range out.ConsumedCapacity {
						units = append(units, aws.ToFloat64(cc.CapacityUnits))
					}
				}
				return units, nil
			},
			want: []float64{4, 2},
		},
		{
			name: "binary sort keys order bytewise",
			spec: tableSpec{key: "pk:S sk:B"},
			seed: []string{
				`{"pk":{"S":"a"},"sk":{"B":"/w=="}}`,
				`{"pk":{"S":"a"},"sk":{"B":"AAE="}}`,
				`{"pk":{"S":"a"},"sk":{"B":"AA=="}}`,
				`{"pk":{"S":"a"},"sk":{"B":"fw=="}}`,
			},
			run: func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
				out, err := c.Query(ctx, &dynamodb.QueryInput{TableName: aws.String(tbl),
					KeyConditionExpression: aws.String("pk = :p"), ExpressionAttributeValues: vals(t, `{":p":{"S":"a"}}`)})
				if err != nil {
					return nil, err
				}
				return queryPage(out).Items, nil
			},
			want: []string{
				`{"pk":{"S":"a"},"sk":{"B":"AA=="}}`,
				`{"pk":{"S":"a"},"sk":{"B":"AAE="}}`,
				`{"pk":{"S":"a"},"sk":{"B":"fw=="}}`,
				`{"pk":{"S":"a"},"sk":{"B":"/w=="}}`,
			},
		},
		{
			name: "string sort keys order by UTF-8 bytes",
			spec: tableSpec{key: "pk:S sk:S"},
			seed: []string{
				`{"pk":{"S":"a"},"sk":{"S":"é"}}`,
				`{"pk":{"S":"a"},"sk":{"S":"Z"}}`,
				`{"pk":{"S":"a"},"sk":{"S":"a"}}`,
				`{"pk":{"S":"a"},"sk":{"S":"ab"}}`,
			},
			run: func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
				out, err := c.Query(ctx, &dynamodb.QueryInput{TableName: aws.String(tbl),
					KeyConditionExpression: aws.String("pk = :p AND sk > :z"), ExpressionAttributeValues: vals(t, `{":p":{"S":"a"},":z":{"S":"Z"}}`)})
				if err != nil {
					return nil, err
				}
				return queryPage(out).Items, nil
			},
			want: []string{
				`{"pk":{"S":"a"},"sk":{"S":"a"}}`,
				`{"pk":{"S":"a"},"sk":{"S":"ab"}}`,
				`{"pk":{"S":"a"},"sk":{"S":"é"}}`,
			},
		},
		{
			name: "Scan a global secondary index skips items without its key",
			spec: tableSpec{key: "id:S", gsis: []indexSpec{{name: "byCat", key: "cat:S", projection: "KEYS_ONLY"}}},
			seed: []string{`{"id":{"S":"1"},"cat":{"S":"fish"},"x":{"N":"1"}}`, `{"id":{"S":"2"}}`},
			run: func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
				out, err := c.Scan(ctx, &dynamodb.ScanInput{TableName: aws.String(tbl), IndexName: aws.String("byCat")})
				if err != nil {
					return nil, err
				}
				return scanPage(out), nil
			},
			want: page{Items: []string{`{"cat":{"S":"fish"},"id":{"S":"1"}}`}, Count: 1, ScannedCount: 1},
		},
		{
			name: "Query a global secondary index with ConsistentRead",
			spec: tableSpec{key: "id:S", gsis: []indexSpec{{name: "byCat", key: "cat:S"}}},
			run: func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
				return c.Query(ctx, &dynamodb.QueryInput{TableName: aws.String(tbl), IndexName: aws.String("byCat"), ConsistentRead: aws.Bool(true),
					KeyConditionExpression: aws.String("cat = :c"), ExpressionAttributeValues: vals(t, `{":c":{"S":"fish"}}`)})
			},
			wantErr: "ValidationException: Consistent reads are not supported on global secondary indexes",
		},
		{
			name: "DeleteItem ReturnValues ALL_OLD",
			spec: hashOnly,
			seed: []string{`{"id":{"S":"a"},"v":{"BOOL":false}}`},
			run: func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
				out, err := c.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: aws.String(tbl), Key: item(t, `{"id":{"S":"a"}}`), ReturnValues: types.ReturnValueAllOld})
				if err != nil {
					return nil, err
				}
				return js(out.Attributes), nil
			},
			want: `{"id":{"S":"a"},"v":{"BOOL":false}}`,
		},
		{
			name: "DescribeTable of a missing table",
			spec: hashOnly,
			run: func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
				return c.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(tbl + "-missing")})
			},
			wantErr: "ResourceNotFoundException: Requested resource not found: Table: {TABLE}-missing not found",
		},
		{
			name: "CreateTable of an existing table",
			spec: hashOnly,
			run: func(ctx context.Context, t *testing.T, c *dynamodb.Client, tbl string) (any, error) {
				return c.CreateTable(ctx, &dynamodb.CreateTableInput{TableName: aws.String(tbl), BillingMode: types.BillingModePayPerRequest,
					AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String("id"), AttributeType: types.ScalarAttributeTypeS}},
					KeySchema:            []types.KeySchemaElement{{AttributeName: aws.String("id"), KeyType: types.KeyTypeHash}}})
			},
			wantErr: "ResourceInUseException: Table already exists: {TABLE}",
		},
	}
}

func TestConformance(t *testing.T) { runConformance(t, conformanceCases()) }

// runConformance runs cases against every target, each on a table of its own.
func runConformance(t *testing.T, cases []conformanceCase) {
	eachTarget(t, func(t *testing.T, c *dynamodb.Client) {
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				ctx := ctxT(t)
				tbl := newTable(t, c, tc.spec)
				for _, s := range tc.seed {
					if _, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(tbl), Item: item(t, s)}); err != nil {
						t.Fatalf("seeding %s: %v", s, err)
					}
				}
				got, err := tc.run(ctx, t, c, tbl)
				wantErr := replaceTable(tc.wantErr, tbl)
				if gotErr := apiErr(err); gotErr != wantErr {
					t.Fatalf("error = %q, want %q", gotErr, wantErr)
				}
				if wantErr != "" {
					return
				}
				if diff := cmp.Diff(tc.want, got); diff != "" {
					t.Errorf("result (-want +got):\n%s", diff)
				}
			})
		}
	})
}
