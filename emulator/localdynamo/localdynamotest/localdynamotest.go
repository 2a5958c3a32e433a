// Package localdynamotest is test support for code that talks to DynamoDB
// through aws-sdk-go-v2: it points an SDK client at a [localdynamo.Store]
// in the same process, with no network and no real credentials.
package localdynamotest

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/faasport/faasport/emulator/localdynamo"
)

// Endpoint is the base endpoint the in-process configuration uses. No
// request to it leaves the process.
const Endpoint = "http://localdynamo.invalid"

// Config returns an aws.Config whose clients reach s in process: static
// dummy credentials, region us-east-1, [Endpoint] as the base endpoint and
// s's in-process HTTP client. Use it as
//
//	client := dynamodb.NewFromConfig(localdynamotest.Config(t, s))
func Config(t testing.TB, s *localdynamo.Store) aws.Config {
	t.Helper()
	return aws.Config{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("AKIDLOCALDYNAMO", "secret", ""),
		BaseEndpoint: aws.String(Endpoint),
		HTTPClient:   s.HTTPClient(),
		Retryer: func() aws.Retryer {
			return aws.NopRetryer{}
		},
	}
}

// Open opens an in-memory store closed when the test ends, and returns it
// with a configuration for reaching it.
func Open(t testing.TB, opts *localdynamo.Options) (*localdynamo.Store, aws.Config) {
	t.Helper()
	s, err := localdynamo.Open(":memory:", opts)
	if err != nil {
		t.Fatalf("localdynamo.Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s, Config(t, s)
}
