package localdynamo_test

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go"
	"github.com/faasport/faasport/emulator/localdynamo"
	"github.com/faasport/faasport/emulator/localdynamo/localdynamotest"
)

// -dynamodb.endpoint points the conformance tests at a real DynamoDB (or
// any compatible endpoint, with credentials from the environment). The
// tests are skipped there otherwise.
var realEndpoint = flag.String("dynamodb.endpoint", "", "also run the conformance tests against this DynamoDB endpoint (e.g. https://dynamodb.us-east-1.amazonaws.com)")

// target is one deployment the conformance tests run against.
type target struct {
	name   string
	client func(t *testing.T) *dynamodb.Client
	real   bool
}

func targets() []target {
	return []target{
		{name: "inprocess", client: func(t *testing.T) *dynamodb.Client {
			_, cfg := localdynamotest.Open(t, nil)
			return dynamodb.NewFromConfig(cfg)
		}},
		{name: "loopback", client: func(t *testing.T) *dynamodb.Client {
			s, err := localdynamo.Open(":memory:", nil)
			if err != nil {
				t.Fatal(err)
			}
			srv := httptest.NewServer(s.Handler())
			t.Cleanup(func() { srv.Close(); s.Close() })
			return dynamodb.NewFromConfig(aws.Config{
				Region:       "us-east-1",
				Credentials:  credentials.NewStaticCredentialsProvider("AKIDLOOPBACK", "secret", ""),
				BaseEndpoint: aws.String(srv.URL),
			})
		}},
		{name: "aws", real: true, client: func(t *testing.T) *dynamodb.Client {
			if *realEndpoint == "" {
				t.Skip("set -dynamodb.endpoint to run against a real DynamoDB")
			}
			cfg, err := config.LoadDefaultConfig(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			cfg.BaseEndpoint = realEndpoint
			return dynamodb.NewFromConfig(cfg)
		}},
	}
}

// eachTarget runs f once per target.
func eachTarget(t *testing.T, f func(t *testing.T, c *dynamodb.Client)) {
	for _, tg := range targets() {
		t.Run(tg.name, func(t *testing.T) {
			f(t, tg.client(t))
		})
	}
}

// tableSpec describes a test table: "pk:S" or "pk:S sk:N", plus indexes.
type tableSpec struct {
	key  string
	gsis []indexSpec
	lsis []indexSpec
}

type indexSpec struct {
	name, key, projection string
	include               []string
}

func parseKey(spec string, defs map[string]types.ScalarAttributeType) []types.KeySchemaElement {
	var ks []types.KeySchemaElement
	for i, f := range strings.Fields(spec) {
		name, typ, _ := strings.Cut(f, ":")
		defs[name] = types.ScalarAttributeType(typ)
		kt := types.KeyTypeHash
		if i == 1 {
			kt = types.KeyTypeRange
		}
		ks = append(ks, types.KeySchemaElement{AttributeName: aws.String(name), KeyType: kt})
	}
	return ks
}

func projectionOf(ix indexSpec) *types.Projection {
	p := &types.Projection{ProjectionType: types.ProjectionTypeAll}
	if ix.projection != "" {
		p.ProjectionType = types.ProjectionType(ix.projection)
	}
	if len(ix.include) > 0 {
		p.NonKeyAttributes = ix.include
	}
	return p
}

var tableNameRE = regexp.MustCompile(`[^a-zA-Z0-9_.-]+`)

// newTable creates a uniquely named on-demand table and deletes it when
// the test ends.
func newTable(t *testing.T, c *dynamodb.Client, spec tableSpec) string {
	t.Helper()
	ctx := context.Background()
	name := fmt.Sprintf("ld-%s-%06d", tableNameRE.ReplaceAllString(t.Name(), "_"), rand.IntN(1000000))
	if len(name) > 200 {
		name = name[len(name)-200:]
	}
	defs := map[string]types.ScalarAttributeType{}
	in := &dynamodb.CreateTableInput{
		TableName:   aws.String(name),
		KeySchema:   parseKey(spec.key, defs),
		BillingMode: types.BillingModePayPerRequest,
	}
	for _, ix := range spec.gsis {
		in.GlobalSecondaryIndexes = append(in.GlobalSecondaryIndexes, types.GlobalSecondaryIndex{
			IndexName: aws.String(ix.name), KeySchema: parseKey(ix.key, defs), Projection: projectionOf(ix),
		})
	}
	for _, ix := range spec.lsis {
		in.LocalSecondaryIndexes = append(in.LocalSecondaryIndexes, types.LocalSecondaryIndex{
			IndexName: aws.String(ix.name), KeySchema: parseKey(ix.key, defs), Projection: projectionOf(ix),
		})
	}
	for n, typ := range defs {
		in.AttributeDefinitions = append(in.AttributeDefinitions, types.AttributeDefinition{AttributeName: aws.String(n), AttributeType: typ})
	}
	if _, err := c.CreateTable(ctx, in); err != nil {
		t.Fatalf("CreateTable(%s): %v", name, err)
	}
	w := dynamodb.NewTableExistsWaiter(c, func(o *dynamodb.TableExistsWaiterOptions) { o.MinDelay = 100 * time.Millisecond })
	if err := w.Wait(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(name)}, 5*time.Minute); err != nil {
		t.Fatalf("waiting for %s: %v", name, err)
	}
	t.Cleanup(func() {
		c.DeleteTable(context.Background(), &dynamodb.DeleteTableInput{TableName: aws.String(name)})
	})
	return name
}

// apiErr summarizes an SDK error as DynamoDB's code and message.
func apiErr(err error) string {
	if err == nil {
		return ""
	}
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode() + ": " + ae.ErrorMessage()
	}
	return "non-API error: " + err.Error()
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	return ctx
}
