package localdynamo_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/google/go-cmp/cmp"
)

type product struct {
	ID    string   `dynamodbav:"id"`
	Name  string   `dynamodbav:"name"`
	Price float64  `dynamodbav:"price"`
	Tags  []string `dynamodbav:"tags,stringset"`
}

func TestPutGetDelete(t *testing.T) {
	eachTarget(t, func(t *testing.T, c *dynamodb.Client) {
		ctx := ctxT(t)
		tbl := newTable(t, c, tableSpec{key: "id:S"})
		want := product{ID: "p1", Name: "Fish", Price: 12.5, Tags: []string{"pet"}}
		item, err := attributevalue.MarshalMap(want)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(tbl), Item: item}); err != nil {
			t.Fatalf("PutItem: %v", err)
		}
		key, _ := attributevalue.MarshalMap(map[string]string{"id": "p1"})
		out, err := c.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(tbl), Key: key})
		if err != nil {
			t.Fatalf("GetItem: %v", err)
		}
		var got product
		if err := attributevalue.UnmarshalMap(out.Item, &got); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("GetItem (-want +got):\n%s", diff)
		}
		if _, err := c.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: aws.String(tbl), Key: key}); err != nil {
			t.Fatalf("DeleteItem: %v", err)
		}
		out, err = c.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(tbl), Key: key})
		if err != nil || out.Item != nil {
			t.Errorf("GetItem after delete = %v, %v; want no item", out.Item, err)
		}
	})
}
