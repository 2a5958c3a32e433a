package localcognito_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/faasport/faasport/emulator/clock"
	"github.com/faasport/faasport/emulator/localcognito"
)

// aws runs the AWS CLI against e with the admin key. It skips the test
// when the CLI is absent, unless CI is set.
func awsCLI(t *testing.T, e *env, args ...string) (map[string]any, string, error) {
	t.Helper()
	bin, err := exec.LookPath("aws")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("the AWS CLI is needed in CI: %v", err)
		}
		t.Skipf("aws CLI not installed (%v); install it (apt-get install awscli) to run this test", err)
	}
	cmd := exec.Command(bin, append(args, "--endpoint-url", e.srv.URL, "--region", "us-east-1", "--output", "json")...)
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "AWS_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, "AWS_ACCESS_KEY_ID="+adminKeyID, "AWS_SECRET_ACCESS_KEY="+adminSecret,
		"AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null", "AWS_MAX_ATTEMPTS=1", "AWS_PAGER=")
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err = cmd.Run()
	var out map[string]any
	if s := strings.TrimSpace(stdout.String()); s != "" {
		if jerr := json.Unmarshal([]byte(s), &out); jerr != nil {
			t.Fatalf("aws %s: output %q is not JSON", args[1], s)
		}
	}
	return out, stderr.String(), err
}

func TestAWSCLI(t *testing.T) {
	e := newEnv(t, "", func(o *localcognito.Options) { o.Clock = clock.Real() })
	out, stderr, err := awsCLI(t, e, "cognito-idp", "sign-up", "--client-id", testClient, "--username", "rita",
		"--password", goodPassword, "--user-attributes", "Name=email,Value=rita@example.com")
	if err != nil {
		t.Fatalf("sign-up: %v\n%s", err, stderr)
	}
	if out["UserConfirmed"] != false || out["UserSub"] == "" {
		t.Errorf("sign-up = %v", out)
	}
	if _, stderr, err := awsCLI(t, e, "cognito-idp", "confirm-sign-up", "--client-id", testClient, "--username", "rita",
		"--confirmation-code", e.codes.get("SignUp", "rita")); err != nil {
		t.Fatalf("confirm-sign-up: %v\n%s", err, stderr)
	}
	out, stderr, err = awsCLI(t, e, "cognito-idp", "initiate-auth", "--client-id", testClient, "--auth-flow", "USER_PASSWORD_AUTH",
		"--auth-parameters", "USERNAME=rita,PASSWORD="+goodPassword)
	if err != nil {
		t.Fatalf("initiate-auth: %v\n%s", err, stderr)
	}
	if res, _ := out["AuthenticationResult"].(map[string]any); res["IdToken"] == nil {
		t.Errorf("initiate-auth = %v", out)
	}

	// An admin operation, signed by the CLI (botocore) with SigV4.
	out, stderr, err = awsCLI(t, e, "cognito-idp", "admin-get-user", "--user-pool-id", testPool, "--username", "rita")
	if err != nil {
		t.Fatalf("admin-get-user: %v\n%s", err, stderr)
	}
	if out["UserStatus"] != "CONFIRMED" {
		t.Errorf("admin-get-user = %v", out)
	}

	// Errors come back as the CLI shows Cognito's.
	_, stderr, err = awsCLI(t, e, "cognito-idp", "sign-up", "--client-id", testClient, "--username", "rita", "--password", goodPassword)
	if err == nil || !strings.Contains(stderr, "An error occurred (UsernameExistsException) when calling the SignUp operation: User already exists") {
		t.Errorf("sign-up again: %v\n%s", err, stderr)
	}
}
