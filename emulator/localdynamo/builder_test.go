package localdynamo_test

import (
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/google/go-cmp/cmp"
)

type record struct {
	PK    string           `dynamodbav:"pk"`
	SK    string           `dynamodbav:"sk"`
	N     int              `dynamodbav:"n"`
	C     *int             `dynamodbav:"c,omitempty"`
	Tags  []string         `dynamodbav:"tags,stringset"`
	L     []int            `dynamodbav:"l"`
	M     map[string][]int `dynamodbav:"m"`
	B     []byte           `dynamodbav:"b"`
	F     float64          `dynamodbav:"f"`
	NS    []float64        `dynamodbav:"ns,numberset"`
	Valid bool             `dynamodbav:"valid"`
}

// The expression package of aws-sdk-go-v2 builds every kind of
// expression (update, condition, key condition, filter, projection) with
// generated names and values; the store reads them as DynamoDB does.
func TestExpressionBuilder(t *testing.T) {
	eachTarget(t, func(t *testing.T, c *dynamodb.Client) {
		ctx := ctxT(t)
		tbl := newTable(t, c, tableSpec{key: "pk:S sk:S"})
		for i, sk := range []string{"a#1", "a#2", "b#1"} {
			it, err := attributevalue.MarshalMap(record{PK: "p", SK: sk, N: i, Tags: []string{"x", "y"}, L: []int{1, 2},
				M: map[string][]int{"k": {7}}, B: []byte{0, 1}, F: 0.1, NS: []float64{1.5, 2}, Valid: true})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(tbl), Item: it}); err != nil {
				t.Fatal(err)
			}
		}

		// SET with arithmetic, if_not_exists and list_append; ADD and DELETE
		// on sets; REMOVE of a list element; under a condition using every
		// function.
		update := expression.Set(expression.Name("n"), expression.Name("n").Plus(expression.Value(10))).
			Set(expression.Name("c"), expression.IfNotExists(expression.Name("c"), expression.Value(0))).
			Set(expression.Name("l"), expression.ListAppend(expression.Name("l"), expression.Value([]int{3}))).
			Add(expression.Name("tags"), expression.Value(&types.AttributeValueMemberSS{Value: []string{"z"}})).
			Delete(expression.Name("ns"), expression.Value(&types.AttributeValueMemberNS{Value: []string{"1.5"}})).
			Remove(expression.Name("m.k[0]"))
		cond := expression.And(
			expression.AttributeExists(expression.Name("n")),
			expression.Name("n").LessThan(expression.Value(5)),
			expression.Size(expression.Name("tags")).Equal(expression.Value(2)),
			expression.Name("f").Between(expression.Value(0), expression.Value(1)),
			expression.Name("valid").In(expression.Value(true), expression.Value(false)),
			expression.AttributeType(expression.Name("b"), expression.Binary),
			expression.Contains(expression.Name("tags"), "x"),
			expression.Name("sk").BeginsWith("a#"),
			expression.Not(expression.AttributeNotExists(expression.Name("m"))))
		ex, err := expression.NewBuilder().WithUpdate(update).WithCondition(cond).Build()
		if err != nil {
			t.Fatal(err)
		}
		key := map[string]types.AttributeValue{"pk": &types.AttributeValueMemberS{Value: "p"}, "sk": &types.AttributeValueMemberS{Value: "a#1"}}
		in := &dynamodb.UpdateItemInput{TableName: aws.String(tbl), Key: key, UpdateExpression: ex.Update(), ConditionExpression: ex.Condition(),
			ExpressionAttributeNames: ex.Names(), ExpressionAttributeValues: ex.Values(), ReturnValues: types.ReturnValueAllNew}
		out, err := c.UpdateItem(ctx, in)
		if err != nil {
			t.Fatalf("UpdateItem: %v", err)
		}
		var got record
		if err := attributevalue.UnmarshalMap(out.Attributes, &got); err != nil {
			t.Fatal(err)
		}
		zero := 0
		want := record{PK: "p", SK: "a#1", N: 10, C: &zero, Tags: []string{"x", "y", "z"}, L: []int{1, 2, 3},
			M: map[string][]int{"k": {}}, B: []byte{0, 1}, F: 0.1, NS: []float64{2}, Valid: true}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("updated item (-want +got):\n%s", diff)
		}
		// n is 10 now: the condition fails.
		_, err = c.UpdateItem(ctx, in)
		var ccf *types.ConditionalCheckFailedException
		if !errors.As(err, &ccf) {
			t.Errorf("UpdateItem again = %v, want ConditionalCheckFailedException", err)
		}

		// A key condition, a filter and a projection with nested paths,
		// read backwards one item a page.
		kc := expression.Key("pk").Equal(expression.Value("p")).And(expression.Key("sk").BeginsWith("a#"))
		proj := expression.NamesList(expression.Name("sk"), expression.Name("m.k[0]"), expression.Name("l[1]"))
		filter := expression.Name("n").GreaterThanEqual(expression.Value(0))
		qx, err := expression.NewBuilder().WithKeyCondition(kc).WithProjection(proj).WithFilter(filter).Build()
		if err != nil {
			t.Fatal(err)
		}
		pages := dynamodb.NewQueryPaginator(c, &dynamodb.QueryInput{TableName: aws.String(tbl), KeyConditionExpression: qx.KeyCondition(),
			FilterExpression: qx.Filter(), ProjectionExpression: qx.Projection(), ExpressionAttributeNames: qx.Names(),
			ExpressionAttributeValues: qx.Values(), Limit: aws.Int32(1), ScanIndexForward: aws.Bool(false)})
		var items []map[string]any
		for pages.HasMorePages() {
			page, err := pages.NextPage(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var rs []map[string]any
			if err := attributevalue.UnmarshalListOfMaps(page.Items, &rs); err != nil {
				t.Fatal(err)
			}
			items = append(items, rs...)
		}
		wantItems := []map[string]any{
			{"sk": "a#2", "m": map[string]any{"k": []any{7.0}}, "l": []any{2.0}},
			{"sk": "a#1", "l": []any{2.0}},
		}
		if diff := cmp.Diff(wantItems, items); diff != "" {
			t.Errorf("Query pages (-want +got):\n%s", diff)
		}
	})
}
