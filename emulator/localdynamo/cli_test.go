package localdynamo_test

import (
	"encoding/json"
	"net/http/httptest"
	"os"
	"os/exec"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/faasport/faasport/emulator/localdynamo"
	"github.com/google/go-cmp/cmp"
)

// TestAWSCLI drives the store with the AWS CLI over loopback HTTP.
func TestAWSCLI(t *testing.T) {
	awsPath, err := exec.LookPath("aws")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("the AWS CLI is required in CI: %v", err)
		}
		t.Skipf("aws CLI not installed (%v); install it (apt-get install awscli) to run this test", err)
	}
	s, err := localdynamo.Open(":memory:", nil)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(func() { srv.Close(); s.Close() })
	c := dynamodb.NewFromConfig(aws.Config{Region: "us-east-1", BaseEndpoint: aws.String(srv.URL),
		Credentials: credentials.NewStaticCredentialsProvider("AKIDSDK", "secret", "")})
	tbl := newTable(t, c, hashRange)

	home := t.TempDir()
	run := func(args ...string) (map[string]any, error) {
		cmd := exec.Command(awsPath, append([]string{"dynamodb", "--endpoint-url", srv.URL, "--output", "json"}, args...)...)
		cmd.Env = append(os.Environ(),
			"AWS_ACCESS_KEY_ID=AKIDCLI", "AWS_SECRET_ACCESS_KEY=dummy", "AWS_DEFAULT_REGION=us-east-1",
			"AWS_CONFIG_FILE="+home+"/config", "AWS_SHARED_CREDENTIALS_FILE="+home+"/credentials", "HOME="+home, "AWS_PAGER=")
		out, err := cmd.CombinedOutput()
		if err != nil {
			return nil, &cliError{string(out)}
		}
		var m map[string]any
		if len(out) > 0 {
			if err := json.Unmarshal(out, &m); err != nil {
				return nil, &cliError{string(out)}
			}
		}
		return m, nil
	}
	if _, err := run("put-item", "--table-name", tbl, "--item", `{"pk":{"S":"cli"},"sk":{"N":"1"},"msg":{"S":"hello"}}`); err != nil {
		t.Fatalf("put-item: %v", err)
	}
	got, err := run("get-item", "--table-name", tbl, "--key", `{"pk":{"S":"cli"},"sk":{"N":"1"}}`)
	if err != nil {
		t.Fatalf("get-item: %v", err)
	}
	want := map[string]any{"Item": map[string]any{"pk": map[string]any{"S": "cli"}, "sk": map[string]any{"N": "1"}, "msg": map[string]any{"S": "hello"}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("get-item (-want +got):\n%s", diff)
	}
	got, err = run("query", "--table-name", tbl, "--key-condition-expression", "pk = :p", "--expression-attribute-values", `{":p":{"S":"cli"}}`, "--select", "COUNT")
	if err != nil {
		t.Fatalf("query: %v", err)
	}
	if got["Count"] != float64(1) {
		t.Errorf("query Count = %v, want 1", got["Count"])
	}
	_, err = run("put-item", "--table-name", tbl, "--item", `{"pk":{"S":"cli"},"sk":{"N":"1"}}`, "--condition-expression", "attribute_not_exists(pk)")
	if err == nil {
		t.Fatalf("conditional put-item succeeded, want ConditionalCheckFailedException")
	}
	if want := "An error occurred (ConditionalCheckFailedException) when calling the PutItem operation: The conditional request failed"; !containsLine(err.Error(), want) {
		t.Errorf("conditional put-item error = %q, want %q", err, want)
	}
}

type cliError struct{ out string }

func (e *cliError) Error() string { return e.out }

func containsLine(s, line string) bool {
	for len(s) > 0 {
		i := 0
		for i < len(s) && s[i] != '\n' {
			i++
		}
		if s[:i] == line {
			return true
		}
		if i == len(s) {
			break
		}
		s = s[i+1:]
	}
	return false
}
