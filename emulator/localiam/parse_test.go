package localiam_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/faasport/faasport/emulator/localiam"
)

// stmt wraps statement JSON in a 2012-10-17 policy.
func stmt(s string) string {
	return `{"Version": "2012-10-17", "Statement": [` + s + `]}`
}

func TestParseErrors(t *testing.T) {
	const (
		syntax  = "Syntax errors in policy."
		legacy  = "The policy failed legacy parsing"
		actions = "Policy statement must contain actions."
		res     = "Policy statement must contain resources."
		vendor  = "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."
	)
	tests := []struct {
		name string
		doc  string
		want localiam.PolicyError // Detail is not compared
	}{
		{"not JSON", `{"Version": "2012-10-17",`, localiam.PolicyError{Message: syntax}},
		{"empty", ``, localiam.PolicyError{Message: syntax}},
		{"text after the document", `{"Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}} {}`, localiam.PolicyError{Message: syntax}},
		{"array document", `[]`, localiam.PolicyError{Message: syntax}},
		{"string document", `"policy"`, localiam.PolicyError{Message: syntax}},
		{"unknown top-level element", `{"Version": "2012-10-17", "Statements": []}`, localiam.PolicyError{Message: syntax, Path: "Statements"}},
		{"unknown version", `{"Version": "2012-10-18", "Statement": []}`, localiam.PolicyError{Message: syntax, Path: "Version"}},
		{"version as a number", `{"Version": 2012, "Statement": []}`, localiam.PolicyError{Message: syntax, Path: "Version"}},
		{"Id not a string", `{"Id": 7, "Statement": []}`, localiam.PolicyError{Message: syntax, Path: "Id"}},
		{"no Statement", `{"Version": "2012-10-17"}`, localiam.PolicyError{Message: syntax}},
		{"empty Statement", `{"Version": "2012-10-17", "Statement": []}`, localiam.PolicyError{Message: syntax, Path: "Statement"}},
		{"Statement a string", `{"Version": "2012-10-17", "Statement": "Allow"}`, localiam.PolicyError{Message: syntax, Path: "Statement"}},
		{"statement a string", stmt(`"Allow"`), localiam.PolicyError{Message: syntax, Path: "Statement[0]"}},
		{"no Effect", stmt(`{"Action": "s3:*", "Resource": "*"}`), localiam.PolicyError{Message: syntax, Path: "Statement[0]"}},
		{"Effect in lower case", stmt(`{"Effect": "allow", "Action": "s3:*", "Resource": "*"}`), localiam.PolicyError{Message: legacy, Path: "Statement[0].Effect"}},
		{"Effect unknown", stmt(`{"Effect": "Permit", "Action": "s3:*", "Resource": "*"}`), localiam.PolicyError{Message: syntax, Path: "Statement[0].Effect"}},
		{"Effect not a string", stmt(`{"Effect": true, "Action": "s3:*", "Resource": "*"}`), localiam.PolicyError{Message: syntax, Path: "Statement[0].Effect"}},
		{"Principal", stmt(`{"Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": "*"}`), localiam.PolicyError{Message: "Policy document should not specify a principal.", Path: "Statement[0].Principal"}},
		{"NotPrincipal", stmt(`{"Effect": "Deny", "NotPrincipal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": "s3:*", "Resource": "*"}`), localiam.PolicyError{Message: "Policy document should not specify a principal.", Path: "Statement[0].NotPrincipal"}},
		{"unknown statement element", stmt(`{"Effect": "Allow", "Actions": "s3:*", "Resource": "*"}`), localiam.PolicyError{Message: syntax, Path: "Statement[0].Actions"}},
		{"Action and NotAction", stmt(`{"Effect": "Allow", "Action": "s3:*", "NotAction": "s3:Delete*", "Resource": "*"}`), localiam.PolicyError{Message: syntax, Path: "Statement[0]"}},
		{"no Action", stmt(`{"Effect": "Allow", "Resource": "*"}`), localiam.PolicyError{Message: actions, Path: "Statement[0]"}},
		{"empty Action", stmt(`{"Effect": "Allow", "Action": [], "Resource": "*"}`), localiam.PolicyError{Message: actions, Path: "Statement[0].Action"}},
		{"empty NotAction", stmt(`{"Effect": "Allow", "NotAction": [], "Resource": "*"}`), localiam.PolicyError{Message: actions, Path: "Statement[0].NotAction"}},
		{"action without service", stmt(`{"Effect": "Allow", "Action": "GetItem", "Resource": "*"}`), localiam.PolicyError{Message: vendor, Path: "Statement[0].Action"}},
		{"second action without service", stmt(`{"Effect": "Allow", "Action": ["dynamodb:Query", "GetItem"], "Resource": "*"}`), localiam.PolicyError{Message: vendor, Path: "Statement[0].Action[1]"}},
		{"empty action", stmt(`{"Effect": "Allow", "Action": "", "Resource": "*"}`), localiam.PolicyError{Message: vendor, Path: "Statement[0].Action"}},
		{"NotAction without service", stmt(`{"Effect": "Allow", "NotAction": "Delete*", "Resource": "*"}`), localiam.PolicyError{Message: vendor, Path: "Statement[0].NotAction"}},
		{"action with two colons", stmt(`{"Effect": "Allow", "Action": "dynamodb:Get:Item", "Resource": "*"}`), localiam.PolicyError{Message: "Actions/Condition can contain only one colon.", Path: "Statement[0].Action"}},
		{"service with a space", stmt(`{"Effect": "Allow", "Action": "dynamo db:GetItem", "Resource": "*"}`), localiam.PolicyError{Message: "Vendor dynamo db is not valid", Path: "Statement[0].Action"}},
		{"service with a wildcard", stmt(`{"Effect": "Allow", "Action": "dynamo*:GetItem", "Resource": "*"}`), localiam.PolicyError{Message: "Vendor dynamo* is not valid", Path: "Statement[0].Action"}},
		{"action a number", stmt(`{"Effect": "Allow", "Action": 42, "Resource": "*"}`), localiam.PolicyError{Message: syntax, Path: "Statement[0].Action"}},
		{"action list with a number", stmt(`{"Effect": "Allow", "Action": ["s3:GetObject", 42], "Resource": "*"}`), localiam.PolicyError{Message: syntax, Path: "Statement[0].Action[1]"}},
		{"no Resource", stmt(`{"Effect": "Allow", "Action": "s3:*"}`), localiam.PolicyError{Message: res, Path: "Statement[0]"}},
		{"empty Resource", stmt(`{"Effect": "Allow", "Action": "s3:*", "Resource": []}`), localiam.PolicyError{Message: res, Path: "Statement[0].Resource"}},
		{"Resource and NotResource", stmt(`{"Effect": "Allow", "Action": "s3:*", "Resource": "*", "NotResource": "arn:aws:s3:::b"}`), localiam.PolicyError{Message: syntax, Path: "Statement[0]"}},
		{"resource not an ARN", stmt(`{"Effect": "Allow", "Action": "dynamodb:*", "Resource": "table/Products"}`), localiam.PolicyError{Message: `Resource table/Products must be in ARN format or "*".`, Path: "Statement[0].Resource"}},
		{"NotResource not an ARN", stmt(`{"Effect": "Deny", "Action": "dynamodb:*", "NotResource": ["*", "Products"]}`), localiam.PolicyError{Message: `Resource Products must be in ARN format or "*".`, Path: "Statement[0].NotResource[1]"}},
		// The cases below to the next comment are moto's, checked against
		// IAM (getmoto/moto#2269, tests/test_iam/test_iam_policies.py).
		{"resource without service", stmt(`{"Effect": "Allow", "Action": "dynamodb:*", "Resource": "arn:aws"}`), localiam.PolicyError{Message: "Resource vendor must be fully qualified and cannot contain regexes.", Path: "Statement[0].Resource"}},
		{"resource with an empty segment, short", stmt(`{"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3::example_bucket"}`), localiam.PolicyError{Message: legacy, Path: "Statement[0].Resource"}},
		{"NotResource with an empty segment, short", stmt(`{"Effect": "Allow", "Action": "dynamodb:*", "NotResource": ["arn:aws:dynamodb::table/T"]}`), localiam.PolicyError{Message: legacy, Path: "Statement[0].NotResource[0]"}},
		{"unknown partition", stmt(`{"Effect": "Allow", "Action": "s3:*", "Resource": "arn:error:s3:::example_bucket"}`), localiam.PolicyError{Message: `Partition "error" is not valid for resource "arn:error:s3:::example_bucket".`, Path: "Statement[0].Resource"}},
		{"not arn:", stmt(`{"Effect": "Allow", "Action": "s3:*", "Resource": "aws:s3:::example_bucket"}`), localiam.PolicyError{Message: `Partition "s3" is not valid for resource "arn:s3:::example_bucket:*".`, Path: "Statement[0].Resource"}},
		{"two parts", stmt(`{"Effect": "Allow", "Action": "s3:*", "Resource": "a:bsdfdsafsad"}`), localiam.PolicyError{Message: `Partition "bsdfdsafsad" is not valid for resource "arn:bsdfdsafsad:*:*:*:*".`, Path: "Statement[0].Resource"}},
		{"many parts", stmt(`{"Effect": "Allow", "Action": "s3:*", "Resource": "a:b:c:d:e:f:g:h"}`), localiam.PolicyError{Message: `Partition "b" is not valid for resource "arn:b:c:d:e:f:g:h".`, Path: "Statement[0].Resource"}},
		// IAM reports missing resources before bad actions, bad resource
		// shapes before missing actions, duplicate Sids before missing
		// actions, and resources not in ARN format before bad actions,
		// over all statements.
		{"bad action, no resource", stmt(`{"Effect": "Allow", "Action": "invalid"}`), localiam.PolicyError{Message: res, Path: "Statement[0]"}},
		{"no action, short resource", stmt(`{"Effect": "Allow", "Resource": "arn:aws:s3::example_bucket"}`), localiam.PolicyError{Message: legacy, Path: "Statement[0].Resource"}},
		{"duplicate Sid, then no action", stmt(`{"Sid": "sdf", "Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::example_bucket"}, {"Sid": "sdf", "Effect": "Allow"}`), localiam.PolicyError{Message: "Statement IDs (SID) in a single policy must be unique.", Path: "Statement[1].Sid"}},
		{"bad action, resource not an ARN", stmt(`{"Effect": "Allow", "Action": "invalid", "Resource": "invalid resource"}`), localiam.PolicyError{Message: `Resource invalid resource must be in ARN format or "*".`, Path: "Statement[0].Resource"}},
		{"bad action, then a syntax error", stmt(`{"Effect": "Allow", "Action": "invalid", "Resource": "*"}, {"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Nope": 1}`), localiam.PolicyError{Message: syntax, Path: "Statement[1].Nope"}},
		{"resource service wildcard", stmt(`{"Effect": "Allow", "Action": "dynamodb:*", "Resource": "arn:aws:dynamo*:us-east-1:123456789012:table/T"}`), localiam.PolicyError{Message: "Resource vendor must be fully qualified and cannot contain regexes.", Path: "Statement[0].Resource"}},
		{"resource an object", stmt(`{"Effect": "Allow", "Action": "dynamodb:*", "Resource": {"arn": "*"}}`), localiam.PolicyError{Message: syntax, Path: "Statement[0].Resource"}},
		{"Sid with a hyphen", stmt(`{"Sid": "allow-reads", "Effect": "Allow", "Action": "s3:Get*", "Resource": "*"}`), localiam.PolicyError{Message: "Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*", Path: "Statement[0].Sid"}},
		{"Sid a number", stmt(`{"Sid": 1, "Effect": "Allow", "Action": "s3:Get*", "Resource": "*"}`), localiam.PolicyError{Message: syntax, Path: "Statement[0].Sid"}},
		{"duplicate Sid", stmt(`{"Sid": "Reads", "Effect": "Allow", "Action": "s3:Get*", "Resource": "*"}, {"Sid": "Reads", "Effect": "Allow", "Action": "s3:List*", "Resource": "*"}`), localiam.PolicyError{Message: "Statement IDs (SID) in a single policy must be unique.", Path: "Statement[1].Sid"}},
		{"Condition not an object", stmt(`{"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": ["Bool"]}`), localiam.PolicyError{Message: syntax, Path: "Statement[0].Condition"}},
		{"unknown operator", stmt(`{"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"StringEqual": {"aws:username": "bob"}}}`), localiam.PolicyError{Message: syntax, Path: "Statement[0].Condition.StringEqual"}},
		{"operator in wrong case", stmt(`{"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"stringequals": {"aws:username": "bob"}}}`), localiam.PolicyError{Message: syntax, Path: "Statement[0].Condition.stringequals"}},
		{"NullIfExists", stmt(`{"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"NullIfExists": {"aws:TokenIssueTime": "true"}}}`), localiam.PolicyError{Message: syntax, Path: "Statement[0].Condition.NullIfExists"}},
		{"unknown set qualifier", stmt(`{"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"ForSomeValues:StringEquals": {"aws:TagKeys": "a"}}}`), localiam.PolicyError{Message: syntax, Path: "Statement[0].Condition.ForSomeValues:StringEquals"}},
		{"operator block not an object", stmt(`{"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"StringEquals": "aws:username"}}`), localiam.PolicyError{Message: syntax, Path: "Statement[0].Condition.StringEquals"}},
		{"condition value an object", stmt(`{"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"StringEquals": {"aws:username": {"is": "bob"}}}}`), localiam.PolicyError{Message: syntax, Path: "Statement[0].Condition.StringEquals.aws:username"}},
		{"condition value null", stmt(`{"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"StringEquals": {"aws:username": ["bob", null]}}}`), localiam.PolicyError{Message: syntax, Path: "Statement[0].Condition.StringEquals.aws:username[1]"}},
		{"date not a date", stmt(`{"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"DateLessThan": {"aws:CurrentTime": "tomorrow"}}}`), localiam.PolicyError{Message: legacy, Path: "Statement[0].Condition.DateLessThan.aws:CurrentTime"}},
		{"date month 13", stmt(`{"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"ForAnyValue:DateEqualsIfExists": {"aws:CurrentTime": ["2024-01-01", "2024-13-01"]}}}`), localiam.PolicyError{Message: legacy, Path: "Statement[0].Condition.ForAnyValue:DateEqualsIfExists.aws:CurrentTime"}},
		{"duplicate Effect", stmt(`{"Effect": "Allow", "Effect": "Deny", "Action": "s3:*", "Resource": "*"}`), localiam.PolicyError{Message: syntax, Path: "Statement[0].Effect"}},
		{"duplicate operator", stmt(`{"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"StringEquals": {"a:b": "1"}, "StringEquals": {"a:c": "2"}}}`), localiam.PolicyError{Message: syntax, Path: "Statement[0].Condition.StringEquals"}},
		{"duplicate Version", `{"Version": "2012-10-17", "Version": "2008-10-17", "Statement": []}`, localiam.PolicyError{Message: syntax, Path: "Version"}},
		{"single statement paths", `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "GetItem", "Resource": "*"}}`, localiam.PolicyError{Message: vendor, Path: "Statement.Action"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := localiam.Parse([]byte(tc.doc))
			if err == nil {
				t.Fatalf("Parse(%s) = %v, want error %q", tc.doc, p, tc.want.Message)
			}
			if !errors.Is(err, localiam.ErrMalformedPolicy) {
				t.Errorf("Parse error %v is not ErrMalformedPolicy", err)
			}
			var pe *localiam.PolicyError
			if !errors.As(err, &pe) {
				t.Fatalf("Parse error %T is not a *PolicyError", err)
			}
			if diff := cmp.Diff(&tc.want, pe, cmpopts.IgnoreFields(localiam.PolicyError{}, "Detail")); diff != "" {
				t.Errorf("Parse(%s) error mismatch (-want +got):\n%s", tc.doc, diff)
			}
			if pe.Detail == "" {
				t.Errorf("Parse(%s) error %v has no Detail", tc.doc, err)
			}
			if !strings.Contains(err.Error(), tc.want.Message) || !strings.Contains(err.Error(), tc.want.Path) {
				t.Errorf("Error() = %q, want it to name %q and %q", err, tc.want.Message, tc.want.Path)
			}
		})
	}
}

func TestParseAccepts(t *testing.T) {
	tests := []struct {
		name, doc, version string
	}{
		{"no Version", `{"Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}}`, localiam.Version2008},
		{"Version 2008-10-17", `{"Version": "2008-10-17", "Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}}`, localiam.Version2008},
		{"Id and elements in any order", `{"Statement": [{"Resource": "*", "Action": "s3:*", "Effect": "Deny", "Sid": "A1"}], "Id": "cd3ad3d9-2776-4ef1-a904-4c229d1642ee", "Version": "2012-10-17"}`, localiam.Version2012},
		{"action *", stmt(`{"Effect": "Allow", "Action": "*", "Resource": "*"}`), localiam.Version2012},
		{"action any service", stmt(`{"Effect": "Allow", "Action": "*:Describe*", "Resource": "*"}`), localiam.Version2012},
		{"numbers and Booleans as values", stmt(`{"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"NumericLessThan": {"s3:max-keys": 10}, "Bool": {"aws:SecureTransport": [true]}}}`), localiam.Version2012},
		{"unknown operator without keys", stmt(`{"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"StringEqual": {}}}`), localiam.Version2012},
		{"empty Sid", stmt(`{"Sid": "", "Effect": "Allow", "Action": "s3:*", "Resource": "*"}, {"Sid": "", "Effect": "Allow", "Action": "s3:*", "Resource": "*"}`), localiam.Version2012},
		{"short resource ARN", stmt(`{"Effect": "Allow", "Action": "dynamodb:*", "Resource": "arn:aws:dynamodb:*"}`), localiam.Version2012},
		{"other partitions", stmt(`{"Effect": "Allow", "Action": "dynamodb:*", "Resource": ["arn:aws-cn:dynamodb:cn-north-1:123456789012:table/T", "arn:aws-us-gov:dynamodb:*:*:table/T"]}`), localiam.Version2012},
		{"ARN without a colon after its service", stmt(`{"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:fdsasf"}`), localiam.Version2012},
		{"dates", stmt(`{"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"DateGreaterThan": {"aws:CurrentTime": ["2024", "2024-06", "2024-06-01", "2024-06-01T10:00Z", "2024-06-01T10:00:00.123+02:00", "2024-06-01t10:00:00z", "1717200000"]}}}`), localiam.Version2012},
		{"every operator", stmt(`{"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {
			"StringEquals": {"a:a": "x"}, "StringNotEquals": {"a:a": "x"}, "StringEqualsIgnoreCase": {"a:a": "x"}, "StringNotEqualsIgnoreCase": {"a:a": "x"},
			"StringLike": {"a:a": "x*"}, "StringNotLike": {"a:a": "x*"},
			"NumericEquals": {"a:n": "1"}, "NumericNotEquals": {"a:n": "1"}, "NumericLessThan": {"a:n": "1"}, "NumericLessThanEquals": {"a:n": "1"}, "NumericGreaterThan": {"a:n": "1"}, "NumericGreaterThanEquals": {"a:n": "1"},
			"DateEquals": {"a:d": "2024-01-01"}, "DateNotEquals": {"a:d": "2024-01-01"}, "DateLessThan": {"a:d": "2024-01-01"}, "DateLessThanEquals": {"a:d": "2024-01-01"}, "DateGreaterThan": {"a:d": "2024-01-01"}, "DateGreaterThanEquals": {"a:d": "2024-01-01"},
			"Bool": {"a:b": "true"}, "BinaryEquals": {"a:x": "AA=="}, "IpAddress": {"a:ip": "10.0.0.0/8"}, "NotIpAddress": {"a:ip": "10.0.0.1"},
			"ArnEquals": {"a:r": "arn:aws:s3:::b"}, "ArnLike": {"a:r": "arn:aws:s3:::b*"}, "ArnNotEquals": {"a:r": "arn:aws:s3:::b"}, "ArnNotLike": {"a:r": "arn:aws:s3:::b*"},
			"Null": {"a:z": "true"},
			"ForAllValues:StringLikeIfExists": {"a:a": "x*"}, "ForAnyValue:NumericEqualsIfExists": {"a:n": "1"}
		}}`), localiam.Version2012},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := localiam.Parse([]byte(tc.doc))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if got := p.Version(); got != tc.version {
				t.Errorf("Version() = %q, want %q", got, tc.version)
			}
		})
	}
}

func TestMustParsePanics(t *testing.T) {
	defer func() {
		r := recover()
		err, ok := r.(error)
		if !ok || !errors.Is(err, localiam.ErrMalformedPolicy) {
			t.Errorf("MustParse panicked with %v, want a malformed policy error", r)
		}
	}()
	localiam.MustParse(`{"Statement": []}`)
}
