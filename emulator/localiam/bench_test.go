package localiam_test

import (
	"testing"

	"github.com/faasport/faasport/emulator/localiam"
)

// shopRole is a typical role for a Cognito identity pool's users: item
// access by leading key with a Select restriction, queries on the table's
// indexes, and a guard against schema changes.
var shopRole = localiam.MustParse(`{
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "OwnCartItems",
            "Effect": "Allow",
            "Action": ["dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"],
            "Resource": "arn:aws:dynamodb:us-east-1:123456789012:table/Carts",
            "Condition": {
                "ForAllValues:StringEquals": {"dynamodb:LeadingKeys": ["${cognito-identity.amazonaws.com:sub}"]},
                "StringEqualsIfExists": {"dynamodb:Select": ["SPECIFIC_ATTRIBUTES", "ALL_ATTRIBUTES"]}
            }
        },
        {
            "Sid": "BrowseCatalog",
            "Effect": "Allow",
            "Action": ["dynamodb:Get*", "dynamodb:Query", "dynamodb:Scan"],
            "Resource": ["arn:aws:dynamodb:us-east-1:123456789012:table/Products", "arn:aws:dynamodb:us-east-1:123456789012:table/Products/index/*"]
        },
        {
            "Sid": "NoSchemaChanges",
            "Effect": "Deny",
            "Action": ["dynamodb:CreateTable", "dynamodb:DeleteTable", "dynamodb:UpdateTable"],
            "Resource": "*"
        }
    ]
}`)

func BenchmarkEvaluate(b *testing.B) {
	caller := map[string]string{"cognito-identity.amazonaws.com:sub": "us-east-1:0e6d7f3a-1c2b-4d5e-8f90-123456789abc"}
	cases := []struct {
		name string
		req  localiam.Request
		want bool
	}{
		{"own item", localiam.Request{
			Action:    "dynamodb:GetItem",
			Resource:  "arn:aws:dynamodb:us-east-1:123456789012:table/Carts",
			Context:   map[string][]string{"dynamodb:LeadingKeys": {"us-east-1:0e6d7f3a-1c2b-4d5e-8f90-123456789abc"}, "dynamodb:Select": {"ALL_ATTRIBUTES"}},
			Variables: caller,
		}, true},
		{"catalog index", localiam.Request{
			Action:    "dynamodb:Query",
			Resource:  "arn:aws:dynamodb:us-east-1:123456789012:table/Products/index/ByCategory",
			Context:   map[string][]string{"dynamodb:Select": {"ALL_PROJECTED_ATTRIBUTES"}},
			Variables: caller,
		}, true},
		{"denied", localiam.Request{
			Action:    "dynamodb:DeleteTable",
			Resource:  "arn:aws:dynamodb:us-east-1:123456789012:table/Carts",
			Variables: caller,
		}, false},
	}
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if d := localiam.Evaluate(tc.req, shopRole); d.Allowed != tc.want {
					b.Fatalf("Evaluate = %+v, want Allowed %v", d, tc.want)
				}
			}
		})
	}
}
