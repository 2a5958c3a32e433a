package localdynamo_test

import (
	"context"
	"fmt"
	"strconv"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/faasport/faasport/emulator/localdynamo"
	"github.com/faasport/faasport/emulator/localdynamo/localdynamotest"
)

// benchClient opens an in-memory store with a table "bench" (pk S, sk N)
// and an SDK client reaching it in process.
func benchClient(b *testing.B) *dynamodb.Client {
	b.Helper()
	s, err := localdynamo.Open(":memory:", &localdynamo.Options{TTLSweepInterval: -1})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	c := dynamodb.NewFromConfig(localdynamotest.Config(b, s))
	_, err = c.CreateTable(context.Background(), &dynamodb.CreateTableInput{
		TableName:   aws.String("bench"),
		BillingMode: types.BillingModePayPerRequest,
		AttributeDefinitions: []types.AttributeDefinition{
			{AttributeName: aws.String("pk"), AttributeType: types.ScalarAttributeTypeS},
			{AttributeName: aws.String("sk"), AttributeType: types.ScalarAttributeTypeN},
		},
		KeySchema: []types.KeySchemaElement{
			{AttributeName: aws.String("pk"), KeyType: types.KeyTypeHash},
			{AttributeName: aws.String("sk"), KeyType: types.KeyTypeRange},
		},
	})
	if err != nil {
		b.Fatal(err)
	}
	return c
}

func benchItem(pk string, sk int) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{
		"pk":    &types.AttributeValueMemberS{Value: pk},
		"sk":    &types.AttributeValueMemberN{Value: strconv.Itoa(sk)},
		"name":  &types.AttributeValueMemberS{Value: "Goldfish " + strconv.Itoa(sk)},
		"price": &types.AttributeValueMemberN{Value: strconv.Itoa(sk%100) + ".99"},
		"tags":  &types.AttributeValueMemberSS{Value: []string{"fish", "water"}},
	}
}

func seedBench(b *testing.B, c *dynamodb.Client, pk string, n int) {
	b.Helper()
	ctx := context.Background()
	for i := 0; i < n; i += 25 {
		var reqs []types.WriteRequest
		for j := i; j < i+25 && j < n; j++ {
			reqs = append(reqs, types.WriteRequest{PutRequest: &types.PutRequest{Item: benchItem(pk, j)}})
		}
		if _, err := c.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{RequestItems: map[string][]types.WriteRequest{"bench": reqs}}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkGetItem(b *testing.B) {
	c := benchClient(b)
	seedBench(b, c, "p", 100)
	ctx := context.Background()
	key := map[string]types.AttributeValue{"pk": &types.AttributeValueMemberS{Value: "p"}, "sk": &types.AttributeValueMemberN{Value: "42"}}
	b.ResetTimer()
	for b.Loop() {
		out, err := c.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String("bench"), Key: key})
		if err != nil || out.Item == nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPutItem(b *testing.B) {
	c := benchClient(b)
	ctx := context.Background()
	i := 0
	for b.Loop() {
		if _, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("bench"), Item: benchItem("p", i)}); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

func BenchmarkQuery20(b *testing.B) {
	c := benchClient(b)
	seedBench(b, c, "p", 200)
	ctx := context.Background()
	in := &dynamodb.QueryInput{TableName: aws.String("bench"),
		KeyConditionExpression:    aws.String("pk = :p AND sk BETWEEN :lo AND :hi"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":p": &types.AttributeValueMemberS{Value: "p"}, ":lo": &types.AttributeValueMemberN{Value: "100"}, ":hi": &types.AttributeValueMemberN{Value: "119"}}}
	b.ResetTimer()
	for b.Loop() {
		out, err := c.Query(ctx, in)
		if err != nil || out.Count != 20 {
			b.Fatal(err, out.Count)
		}
	}
}

func BenchmarkTransactWriteItems2(b *testing.B) {
	c := benchClient(b)
	ctx := context.Background()
	i := 0
	for b.Loop() {
		_, err := c.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
			{Put: &types.Put{TableName: aws.String("bench"), Item: benchItem("order", i), ConditionExpression: aws.String("attribute_not_exists(pk)")}},
			{Update: &types.Update{TableName: aws.String("bench"), Key: map[string]types.AttributeValue{"pk": &types.AttributeValueMemberS{Value: "stock"}, "sk": &types.AttributeValueMemberN{Value: "0"}},
				UpdateExpression: aws.String("ADD n :one"), ExpressionAttributeValues: map[string]types.AttributeValue{":one": &types.AttributeValueMemberN{Value: "1"}}}},
		}})
		if err != nil {
			b.Fatal(err)
		}
		i++
	}
}

func BenchmarkScanFilter10k(b *testing.B) {
	c := benchClient(b)
	for p := range 100 {
		seedBench(b, c, fmt.Sprintf("p%d", p), 100)
	}
	ctx := context.Background()
	b.ResetTimer()
	for b.Loop() {
		n := 0
		p := dynamodb.NewScanPaginator(c, &dynamodb.ScanInput{TableName: aws.String("bench"),
			FilterExpression:          aws.String("price < :p AND contains(tags, :t)"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":p": &types.AttributeValueMemberN{Value: "10"}, ":t": &types.AttributeValueMemberS{Value: "fish"}}})
		for p.HasMorePages() {
			out, err := p.NextPage(ctx)
			if err != nil {
				b.Fatal(err)
			}
			n += int(out.Count)
		}
		if n != 1000 {
			b.Fatalf("matched %d, want 1000", n)
		}
	}
}
