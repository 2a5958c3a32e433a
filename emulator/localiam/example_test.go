package localiam_test

import (
	"errors"
	"fmt"

	"github.com/faasport/faasport/emulator/localiam"
)

// The role of a Cognito identity pool's signed-in users may touch only the
// items whose partition key is the user's identity ID, as in the IAM User
// Guide's "Allows item-level access to DynamoDB based on an Amazon Cognito
// ID".
func ExampleEvaluate() {
	role := localiam.MustParse(`{
	    "Version": "2012-10-17",
	    "Statement": [{
	        "Sid": "OwnItems",
	        "Effect": "Allow",
	        "Action": ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"],
	        "Resource": "arn:aws:dynamodb:*:*:table/Carts",
	        "Condition": {
	            "ForAllValues:StringEquals": {"dynamodb:LeadingKeys": ["${cognito-identity.amazonaws.com:sub}"]}
	        }
	    }]
	}`)
	caller := map[string]string{"cognito-identity.amazonaws.com:sub": "us-east-1:0e6d7f3a"}
	const carts = "arn:aws:dynamodb:us-east-1:123456789012:table/Carts"

	own := localiam.Evaluate(localiam.Request{
		Action:    "dynamodb:GetItem",
		Resource:  carts,
		Context:   map[string][]string{"dynamodb:LeadingKeys": {"us-east-1:0e6d7f3a"}},
		Variables: caller,
	}, role)
	fmt.Println(own.Allowed, own.Reason)

	other := localiam.Evaluate(localiam.Request{
		Action:    "dynamodb:GetItem",
		Resource:  carts,
		Context:   map[string][]string{"dynamodb:LeadingKeys": {"us-east-1:99999999"}},
		Variables: caller,
	}, role)
	fmt.Println(other.Allowed, other.Reason)
	// Output:
	// true allowed by statement OwnItems
	// false no statement allows
}

// A Deny statement wins over any Allow, in the same policy or another.
func ExampleEvaluate_explicitDeny() {
	admin := localiam.MustParse(`{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}`)
	guard := localiam.MustParse(`{"Version": "2012-10-17", "Statement": {"Sid": "KeepTables", "Effect": "Deny", "Action": "dynamodb:Delete*", "Resource": "arn:aws:dynamodb:*:*:table/*"}}`)

	d := localiam.Evaluate(localiam.Request{
		Action:   "dynamodb:DeleteTable",
		Resource: "arn:aws:dynamodb:us-east-1:123456789012:table/Products",
	}, admin, guard)
	fmt.Println(d.Allowed, d.Reason)
	// Output: false explicitly denied by statement KeepTables
}

func ExampleParse() {
	_, err := localiam.Parse([]byte(`{
	    "Version": "2012-10-17",
	    "Statement": {"Effect": "Allow", "Action": "GetItem", "Resource": "*"}
	}`))
	var pe *localiam.PolicyError
	if errors.As(err, &pe) {
		fmt.Println(pe.Message)
		fmt.Println(pe.Path)
	}
	fmt.Println(errors.Is(err, localiam.ErrMalformedPolicy))
	// Output:
	// Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.
	// Statement.Action
	// true
}

func ExampleMustParse() {
	p := localiam.MustParse(`{"Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::public/*"}}`)
	fmt.Println(p.Version())
	// Output: 2008-10-17
}

// A service answers a denied request with AWS's words, telling an
// explicit deny from a missing allow.
func ExampleAccessDeniedMessage() {
	const principal = "arn:aws:sts::123456789012:assumed-role/Cognito_ShopAuth_Role/CognitoIdentityCredentials"
	req := localiam.Request{Action: "dynamodb:Scan", Resource: "arn:aws:dynamodb:us-east-1:123456789012:table/Carts"}
	d := localiam.Evaluate(req) // no policies: nothing allows
	if !d.Allowed {
		fmt.Println(localiam.AccessDeniedMessage(principal, req.Action, req.Resource, d.ExplicitDeny()))
	}
	fmt.Println(localiam.AccessDeniedMessage(principal, "dynamodb:DeleteTable", req.Resource, true))
	// Output:
	// User: arn:aws:sts::123456789012:assumed-role/Cognito_ShopAuth_Role/CognitoIdentityCredentials is not authorized to perform: dynamodb:Scan on resource: arn:aws:dynamodb:us-east-1:123456789012:table/Carts because no identity-based policy allows the dynamodb:Scan action
	// User: arn:aws:sts::123456789012:assumed-role/Cognito_ShopAuth_Role/CognitoIdentityCredentials is not authorized to perform: dynamodb:DeleteTable on resource: arn:aws:dynamodb:us-east-1:123456789012:table/Carts with an explicit deny in an identity-based policy
}

func ExampleDecision_ExplicitDeny() {
	p := localiam.MustParse(`{"Version": "2012-10-17", "Statement": [
	    {"Effect": "Allow", "Action": "dynamodb:*", "Resource": "*"},
	    {"Effect": "Deny", "Action": "dynamodb:DeleteTable", "Resource": "*"}
	]}`)
	for _, action := range []string{"dynamodb:GetItem", "dynamodb:DeleteTable", "s3:GetObject"} {
		d := localiam.Evaluate(localiam.Request{Action: action, Resource: "*"}, p)
		fmt.Printf("%s: allowed=%v explicit=%v (%s)\n", action, d.Allowed, d.ExplicitDeny(), d.Reason)
	}
	// Output:
	// dynamodb:GetItem: allowed=true explicit=false (allowed by statement Statement[0])
	// dynamodb:DeleteTable: allowed=false explicit=true (explicitly denied by statement Statement[1])
	// s3:GetObject: allowed=false explicit=false (no statement allows)
}
