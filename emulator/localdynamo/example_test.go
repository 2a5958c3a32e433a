package localdynamo_test

import (
	"context"
	"fmt"
	"log"
	"net/http/httptest"
	"os"
	"path/filepath"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/faasport/faasport/emulator/localdynamo"
)

type pet struct {
	ID    string  `dynamodbav:"id"`
	Name  string  `dynamodbav:"name"`
	Price float64 `dynamodbav:"price"`
}

func createPets(ctx context.Context, c *dynamodb.Client) {
	_, err := c.CreateTable(ctx, &dynamodb.CreateTableInput{
		TableName:            aws.String("pets"),
		BillingMode:          types.BillingModePayPerRequest,
		AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String("id"), AttributeType: types.ScalarAttributeTypeS}},
		KeySchema:            []types.KeySchemaElement{{AttributeName: aws.String("id"), KeyType: types.KeyTypeHash}},
	})
	if err != nil {
		log.Fatal(err)
	}
}

// An in-memory store reached by an unmodified SDK client, in process.
func Example() {
	s, err := localdynamo.Open(":memory:", nil)
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()
	c := dynamodb.NewFromConfig(aws.Config{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", ""),
		BaseEndpoint: aws.String("http://localdynamo.invalid"),
		HTTPClient:   s.HTTPClient(),
	})
	ctx := context.Background()
	createPets(ctx, c)

	item, _ := attributevalue.MarshalMap(pet{ID: "p1", Name: "Goldfish", Price: 12.5})
	if _, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("pets"), Item: item}); err != nil {
		log.Fatal(err)
	}
	out, err := c.GetItem(ctx, &dynamodb.GetItemInput{
		TableName: aws.String("pets"),
		Key:       map[string]types.AttributeValue{"id": &types.AttributeValueMemberS{Value: "p1"}},
	})
	if err != nil {
		log.Fatal(err)
	}
	var got pet
	attributevalue.UnmarshalMap(out.Item, &got)
	fmt.Println(got.Name, got.Price)
	// Output: Goldfish 12.5
}

// A file-backed store survives a restart.
func ExampleOpen() {
	dir, _ := os.MkdirTemp("", "localdynamo")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "store.db")
	ctx := context.Background()
	client := func(s *localdynamo.Store) *dynamodb.Client {
		return dynamodb.NewFromConfig(aws.Config{Region: "us-east-1", BaseEndpoint: aws.String("http://localdynamo.invalid"),
			Credentials: credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", ""), HTTPClient: s.HTTPClient()})
	}

	s, err := localdynamo.Open(path, nil)
	if err != nil {
		log.Fatal(err)
	}
	c := client(s)
	createPets(ctx, c)
	item, _ := attributevalue.MarshalMap(pet{ID: "p1", Name: "Hamster", Price: 30})
	c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("pets"), Item: item})
	s.Close()

	s, err = localdynamo.Open(path, nil)
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()
	out, _ := client(s).Scan(ctx, &dynamodb.ScanInput{TableName: aws.String("pets")})
	fmt.Println(out.Count, "item after reopening")
	// Output: 1 item after reopening
}

// The handler served over HTTP, as the AWS CLI or a browser would reach it,
// with a conditional write built by the expression package.
func ExampleStore_Handler() {
	s, err := localdynamo.Open(":memory:", nil)
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	c := dynamodb.NewFromConfig(aws.Config{Region: "us-east-1", BaseEndpoint: aws.String(srv.URL),
		Credentials: credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", "")})
	ctx := context.Background()
	createPets(ctx, c)

	expr, _ := expression.NewBuilder().WithCondition(expression.AttributeNotExists(expression.Name("id"))).Build()
	for range 2 {
		item, _ := attributevalue.MarshalMap(pet{ID: "p1", Name: "Parrot", Price: 99})
		_, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("pets"), Item: item,
			ConditionExpression: expr.Condition(), ExpressionAttributeNames: expr.Names(), ExpressionAttributeValues: expr.Values()})
		var ccf *types.ConditionalCheckFailedException
		fmt.Println(err == nil, asErr(err, &ccf))
	}
	// Output:
	// true false
	// false true
}
