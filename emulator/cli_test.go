package emulator_test

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// TestAWSCLIAccessRules drives the product store with the AWS CLI while
// the emulator enforces IAM: the CLI's SigV4 signatures verify, role
// credentials with their session token work, and the policies decide.
func TestAWSCLIAccessRules(t *testing.T) {
	awsPath, err := exec.LookPath("aws")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("the AWS CLI is required in CI: %v", err)
		}
		t.Skipf("aws CLI not installed (%v); install it (apt-get install awscli) to run this test", err)
	}
	e, _ := newIAMEmulator(t)
	purchase, err := e.RoleCredentials(purchaseRole)
	if err != nil {
		t.Fatal(err)
	}
	guest, err := e.RoleCredentials(guestRole)
	if err != nil {
		t.Fatal(err)
	}
	admin := aws.Credentials{AccessKeyID: "AKIAADMIN", SecretAccessKey: "admin-secret"}
	wrongSecret := aws.Credentials{AccessKeyID: "AKIAADMIN", SecretAccessKey: "guessed"}

	home := t.TempDir()
	tests := []struct {
		name  string
		creds aws.Credentials
		args  []string
		want  []string // in the CLI's output; an error's name its code
	}{
		{name: "admin writes a product", creds: admin,
			args: []string{"put-item", "--table-name", "Products", "--item", `{"id":{"S":"p1"},"stock":{"N":"3"}}`}, want: nil},
		{name: "purchase role writes an order", creds: purchase,
			args: []string{"put-item", "--table-name", "Orders", "--item", `{"userId":{"S":"u1"},"orderId":{"S":"o1"}}`}, want: nil},
		{name: "guest role scans the products", creds: guest,
			args: []string{"scan", "--table-name", "Products"}, want: []string{`"S": "p1"`}},
		{name: "guest role may not write a product", creds: guest,
			args: []string{"put-item", "--table-name", "Products", "--item", `{"id":{"S":"p2"}}`},
			want: []string{"(AccessDeniedException) when calling the PutItem operation",
				"User: arn:aws:sts::123456789012:assumed-role/guest/", "is not authorized to perform: dynamodb:PutItem on resource: arn:aws:dynamodb:us-east-1:123456789012:table/Products"}},
		{name: "guest role may not read orders", creds: guest,
			args: []string{"get-item", "--table-name", "Orders", "--key", `{"userId":{"S":"u1"},"orderId":{"S":"o1"}}`},
			want: []string{"(AccessDeniedException) when calling the GetItem operation"}},
		{name: "purchase role may not delete", creds: purchase,
			args: []string{"delete-item", "--table-name", "Orders", "--key", `{"userId":{"S":"u1"},"orderId":{"S":"o1"}}`},
			want: []string{"(AccessDeniedException) when calling the DeleteItem operation", "with an explicit deny in an identity-based policy"}},
		{name: "a wrong secret", creds: wrongSecret,
			args: []string{"scan", "--table-name", "Products"},
			want: []string{"(InvalidSignatureException) when calling the Scan operation", "The request signature we calculated does not match"}},
		{name: "an unknown key", creds: aws.Credentials{AccessKeyID: "AKIAUNKNOWN", SecretAccessKey: "x"},
			args: []string{"scan", "--table-name", "Products"},
			want: []string{"(UnrecognizedClientException) when calling the Scan operation", "The security token included in the request is invalid."}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cmd := exec.Command(awsPath, append([]string{"dynamodb", "--endpoint-url", e.URL, "--output", "json"}, tc.args...)...)
			cmd.Env = append(os.Environ(),
				"AWS_ACCESS_KEY_ID="+tc.creds.AccessKeyID, "AWS_SECRET_ACCESS_KEY="+tc.creds.SecretAccessKey,
				"AWS_SESSION_TOKEN="+tc.creds.SessionToken, "AWS_DEFAULT_REGION=us-east-1",
				"AWS_CONFIG_FILE="+home+"/config", "AWS_SHARED_CREDENTIALS_FILE="+home+"/credentials",
				"AWS_MAX_ATTEMPTS=1", "AWS_RETRY_MODE=standard", "HOME="+home)
			out, err := cmd.CombinedOutput()
			refused := len(tc.want) > 0 && strings.Contains(tc.want[0], "Exception")
			switch {
			case refused && err == nil:
				t.Fatalf("aws dynamodb %s succeeded, want %q:\n%s", tc.args[0], tc.want[0], out)
			case !refused && err != nil:
				t.Fatalf("aws dynamodb %s: %v\n%s", tc.args[0], err, out)
			}
			for _, w := range tc.want {
				if !strings.Contains(string(out), w) {
					t.Errorf("aws dynamodb %s output does not contain %q:\n%s", tc.args[0], w, out)
				}
			}
		})
	}
}
