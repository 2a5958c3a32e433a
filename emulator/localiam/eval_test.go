package localiam_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/faasport/faasport/emulator/localiam"
)

// Policies from AWS's documentation, cited by page. Where the page's
// example is not a valid identity policy (an action without service
// prefix), the prefix is added.
var policies = map[string]string{
	// IAM User Guide, reference_policies_examples_dynamodb_items: "Allows
	// item-level access to DynamoDB based on an Amazon Cognito ID".
	"cognitoItems": `{
	    "Version": "2012-10-17",
	    "Statement": [
	        {
	            "Effect": "Allow",
	            "Action": [
	                "dynamodb:DeleteItem",
	                "dynamodb:GetItem",
	                "dynamodb:PutItem",
	                "dynamodb:Query",
	                "dynamodb:UpdateItem"
	            ],
	            "Resource": ["arn:aws:dynamodb:*:*:table/MyTable"],
	            "Condition": {
	                "ForAllValues:StringEquals": {
	                    "dynamodb:LeadingKeys": ["${cognito-identity.amazonaws.com:sub}"]
	                }
	            }
	        }
	    ]
	}`,
	// DynamoDB Developer Guide, specifying-conditions, "Overview".
	"gameRole": `{
	    "Version": "2012-10-17",
	    "Statement": [
	        {
	            "Sid": "AllowAccessToOnlyItemsMatchingUserID",
	            "Effect": "Allow",
	            "Action": [
	                "dynamodb:GetItem",
	                "dynamodb:BatchGetItem",
	                "dynamodb:Query",
	                "dynamodb:PutItem",
	                "dynamodb:UpdateItem",
	                "dynamodb:DeleteItem",
	                "dynamodb:BatchWriteItem"
	            ],
	            "Resource": [
	                "arn:aws:dynamodb:us-west-2:123456789012:table/GameScores"
	            ],
	            "Condition": {
	                "ForAllValues:StringEquals": {
	                    "dynamodb:LeadingKeys": [
	                        "${www.amazon.com:user_id}"
	                    ],
	                    "dynamodb:Attributes": [
	                        "UserId",
	                        "GameTitle",
	                        "Wins",
	                        "Losses",
	                        "TopScore",
	                        "TopScoreDateTime"
	                    ]
	                },
	                "StringEqualsIfExists": {
	                    "dynamodb:Select": "SPECIFIC_ATTRIBUTES"
	                }
	            }
	        }
	    ]
	}`,
	// specifying-conditions, example 2: "Grant Permissions That Limit
	// Access to Specific Attributes in a Table".
	"specificAttributes": `{
	    "Version": "2012-10-17",
	    "Statement": [
	        {
	            "Sid": "LimitAccessToSpecificAttributes",
	            "Effect": "Allow",
	            "Action": [
	                "dynamodb:UpdateItem",
	                "dynamodb:GetItem",
	                "dynamodb:Query",
	                "dynamodb:BatchGetItem",
	                "dynamodb:Scan"
	            ],
	            "Resource": [
	                "arn:aws:dynamodb:us-west-2:123456789012:table/GameScores"
	            ],
	            "Condition": {
	                "ForAllValues:StringEquals": {
	                    "dynamodb:Attributes": [
	                        "UserId",
	                        "TopScore"
	                    ]
	                },
	                "StringEqualsIfExists": {
	                    "dynamodb:Select": "SPECIFIC_ATTRIBUTES",
	                    "dynamodb:ReturnValues": [
	                        "NONE",
	                        "UPDATED_OLD",
	                        "UPDATED_NEW"
	                    ]
	                }
	            }
	        }
	    ]
	}`,
	// specifying-conditions, example 3: "Grant Permissions to Prevent
	// Updates on Certain Attributes".
	"preventUpdates": `{
	    "Version": "2012-10-17",
	    "Statement": [
	        {
	            "Sid": "PreventUpdatesOnCertainAttributes",
	            "Effect": "Allow",
	            "Action": [
	                "dynamodb:UpdateItem"
	            ],
	            "Resource": "arn:aws:dynamodb:us-west-2:123456789012:table/GameScores",
	            "Condition": {
	                "ForAllValues:StringNotLike": {
	                    "dynamodb:Attributes": [
	                        "FreeGamesAvailable",
	                        "BossLevelUnlocked"
	                    ]
	                },
	                "StringEquals": {
	                    "dynamodb:ReturnValues": [
	                        "NONE",
	                        "UPDATED_OLD",
	                        "UPDATED_NEW"
	                    ]
	                }
	            }
	        }
	    ]
	}`,
	// specifying-conditions, example 4: "Grant Permissions to Query Only
	// Projected Attributes in an Index", both policies.
	"projectedIndex": `{
	    "Version": "2012-10-17",
	    "Statement": [
	        {
	            "Sid": "QueryOnlyProjectedIndexAttributes",
	            "Effect": "Allow",
	            "Action": [
	                "dynamodb:Query"
	            ],
	            "Resource": [
	                "arn:aws:dynamodb:us-west-2:123456789012:table/GameScores/index/TopScoreDateTimeIndex"
	            ],
	            "Condition": {
	                "ForAllValues:StringEquals": {
	                    "dynamodb:Attributes": [
	                        "TopScoreDateTime",
	                        "GameTitle",
	                        "Wins",
	                        "Losses",
	                        "Attempts"
	                    ]
	                },
	                "StringEquals": {
	                    "dynamodb:Select": "SPECIFIC_ATTRIBUTES"
	                }
	            }
	        }
	    ]
	}`,
	"allIndexAttributes": `{
	    "Version": "2012-10-17",
	    "Statement": [
	        {
	            "Sid": "QueryAllIndexAttributes",
	            "Effect": "Allow",
	            "Action": [
	                "dynamodb:Query"
	            ],
	            "Resource": [
	                "arn:aws:dynamodb:us-west-2:123456789012:table/GameScores/index/TopScoreDateTimeIndex"
	            ],
	            "Condition": {
	                "StringEquals": {
	                    "dynamodb:Select": "ALL_PROJECTED_ATTRIBUTES"
	                }
	            }
	        }
	    ]
	}`,
	// specifying-conditions, example 5: "Grant Permissions to Limit Access
	// to Certain Attributes and Partition Key Values".
	"attributesAndKeys": `{
	    "Version": "2012-10-17",
	    "Statement": [
	        {
	            "Sid": "LimitAccessToCertainAttributesAndKeyValues",
	            "Effect": "Allow",
	            "Action": [
	                "dynamodb:UpdateItem",
	                "dynamodb:GetItem",
	                "dynamodb:Query",
	                "dynamodb:BatchGetItem"
	            ],
	            "Resource": [
	                "arn:aws:dynamodb:us-west-2:123456789012:table/GameScores",
	                "arn:aws:dynamodb:us-west-2:123456789012:table/GameScores/index/TopScoreDateTimeIndex"
	            ],
	            "Condition": {
	                "ForAllValues:StringEquals": {
	                    "dynamodb:LeadingKeys": [
	                        "${graph.facebook.com:id}"
	                    ],
	                    "dynamodb:Attributes": [
	                        "attribute-A",
	                        "attribute-B"
	                    ]
	                },
	                "StringEqualsIfExists": {
	                    "dynamodb:Select": "SPECIFIC_ATTRIBUTES",
	                    "dynamodb:ReturnValues": [
	                        "NONE",
	                        "UPDATED_OLD",
	                        "UPDATED_NEW"
	                    ]
	                }
	            }
	        }
	    ]
	}`,
	// IAM User Guide, reference_policies_multi-value-conditions: the
	// ForAllValues allow list and the ForAnyValue deny list.
	"threadReaders": `{
	  "Version": "2012-10-17",
	  "Statement": [{
	    "Effect": "Allow",
	    "Action": "dynamodb:GetItem",
	    "Resource": "arn:aws:dynamodb:us-east-1:123456789012:table/Thread",
	    "Condition": {"ForAllValues:StringLike": {"dynamodb:requestedAttributes": [
	      "PostDateTime",
	      "Message",
	      "Tags"
	    ]}}
	  }]
	}`,
	"threadWriters": `{
	  "Version": "2012-10-17",
	  "Statement": [{
	    "Sid": "AllowPut",
	    "Effect": "Allow",
	    "Action": "dynamodb:PutItem",
	    "Resource": "*"
	  }, {
	    "Sid": "DenyIdAndPostDate",
	    "Effect": "Deny",
	    "Action": "dynamodb:PutItem",
	    "Resource": "arn:aws:dynamodb:us-east-1:123456789012:table/Thread",
	    "Condition": {"ForAnyValue:StringLike": {"dynamodb:requestedAttributes": [
	      "ID",
	      "PostDateTime"
	    ]}}
	  }]
	}`,
	"wildcardActions": `{
	  "Version": "2012-10-17",
	  "Statement": [
	    {"Sid": "Reads", "Effect": "Allow", "Action": "dynamodb:Get*", "Resource": "arn:aws:dynamodb:us-east-1:123456789012:table/Products"},
	    {"Sid": "OneLetter", "Effect": "Allow", "Action": "dynamodb:?uery", "Resource": "arn:aws:dynamodb:us-east-1:123456789012:table/Products"},
	    {"Sid": "AllOfLambda", "Effect": "Allow", "Action": "lambda:*", "Resource": "*"}
	  ]
	}`,
	"everything": `{"Version": "2012-10-17", "Statement": {"Sid": "Admin", "Effect": "Allow", "Action": "*", "Resource": "*"}}`,
	"dynamoAll":  `{"Version": "2012-10-17", "Statement": {"Sid": "Dynamo", "Effect": "Allow", "Action": "dynamodb:*", "Resource": "arn:aws:dynamodb:us-east-1:123456789012:table/*"}}`,
	// reference_policies_evaluation-logic_AccessPolicyLanguage_Interplay:
	// an allow of Get* and List* with a deny of *Report*.
	"interplay": `{
	  "Version": "2012-10-17",
	  "Statement": [
	    {"Sid": "AllowGetList", "Effect": "Allow", "Action": ["iam:Get*", "iam:List*"], "Resource": "*"},
	    {"Sid": "DenyReports", "Effect": "Deny", "Action": "iam:*Report*", "Resource": "*"}
	  ]
	}`,
	"denyDeleteTable": `{"Version": "2012-10-17", "Statement": {"Sid": "NoDrops", "Effect": "Deny", "Action": "dynamodb:DeleteTable", "Resource": "*"}}`,
	"notAction": `{
	  "Version": "2012-10-17",
	  "Statement": {"Sid": "AllButDeletes", "Effect": "Allow", "NotAction": ["dynamodb:Delete*", "dynamodb:BatchWriteItem"], "Resource": "arn:aws:dynamodb:us-east-1:123456789012:table/Products"}
	}`,
	"notResource": `{
	  "Version": "2012-10-17",
	  "Statement": [
	    {"Sid": "Dynamo", "Effect": "Allow", "Action": "dynamodb:*", "Resource": "*"},
	    {"Sid": "OnlyProducts", "Effect": "Deny", "Action": "dynamodb:*", "NotResource": ["arn:aws:dynamodb:us-east-1:123456789012:table/Products", "arn:aws:dynamodb:us-east-1:123456789012:table/Products/index/*"]}
	  ]
	}`,
	// reference_policies_elements_condition_operators, "...IfExists".
	"instanceTypes": `{
	    "Version": "2012-10-17",
	    "Statement": [
	        {
	            "Sid": "RunInstance",
	            "Effect": "Allow",
	            "Action": "ec2:RunInstances",
	            "Resource": "*",
	            "Condition": {
	                "StringLikeIfExists": {
	                    "ec2:InstanceType": [
	                        "t1.*",
	                        "t2.*",
	                        "m3.*"
	             ]}}
	        }]
	}`,
	"instanceTypesNoIfExists": `{
	  "Version": "2012-10-17",
	  "Statement": {
	    "Sid": "THISPOLICYDOESNOTWORK",
	    "Effect": "Allow",
	    "Action": "ec2:RunInstances",
	    "Resource": "*",
	    "Condition": {"StringLike": {"ec2:InstanceType": [
	      "t1.*",
	      "t2.*",
	      "m3.*"
	    ]}}
	  }
	}`,
	// condition operators, "Condition operator to check existence of
	// condition keys".
	"noTemporaryCredentials": `{
	  "Version": "2012-10-17",
	  "Statement":{
	      "Action":"ec2:*",
	      "Effect":"Allow",
	      "Resource":"*",
	      "Condition":{"Null":{"aws:TokenIssueTime":"true"}}
	  }
	}`,
	"onlyTemporaryCredentials": `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "ec2:*", "Resource": "*", "Condition": {"Null": {"aws:TokenIssueTime": false}}}}`,
	// condition operators, "Boolean condition operators", with an allow.
	"secureTransport": `{
	  "Version": "2012-10-17",
	  "Statement": [
	    {"Sid": "AllowS3", "Effect": "Allow", "Action": "s3:*", "Resource": "*"},
	    {
	      "Sid": "BooleanExample",
	      "Action": "s3:*",
	      "Effect": "Deny",
	      "Resource": [
	        "arn:aws:s3:::DOC-EXAMPLE-BUCKET",
	        "arn:aws:s3:::DOC-EXAMPLE-BUCKET/*"
	      ],
	      "Condition": {
	        "Bool": {
	          "aws:SecureTransport": "false"
	        }
	      }
	    }
	  ]
	}`,
	// condition operators, "Numeric condition operators".
	"maxKeys": `{
	  "Version": "2012-10-17",
	  "Statement": {
	    "Effect": "Allow",
	    "Action": "s3:ListBucket",
	    "Resource": "arn:aws:s3:::example_bucket",
	    "Condition": {"NumericLessThanEquals": {"s3:max-keys": "10"}}
	  }
	}`,
	"numbers": `{
	  "Version": "2012-10-17",
	  "Statement": [
	    {"Sid": "Equals", "Effect": "Allow", "Action": "test:Equals", "Resource": "*", "Condition": {"NumericEquals": {"test:n": [5, "7.50"]}}},
	    {"Sid": "NotEquals", "Effect": "Allow", "Action": "test:NotEquals", "Resource": "*", "Condition": {"NumericNotEquals": {"test:n": ["5", "7"]}}},
	    {"Sid": "Less", "Effect": "Allow", "Action": "test:Less", "Resource": "*", "Condition": {"NumericLessThan": {"test:n": "10"}}},
	    {"Sid": "Greater", "Effect": "Allow", "Action": "test:Greater", "Resource": "*", "Condition": {"NumericGreaterThan": {"test:n": "-1.5e1"}}},
	    {"Sid": "GreaterEquals", "Effect": "Allow", "Action": "test:GreaterEquals", "Resource": "*", "Condition": {"NumericGreaterThanEquals": {"test:n": "10"}}}
	  ]
	}`,
	// condition operators, "Date condition operators".
	"tokenIssued2020": `{
	  "Version": "2012-10-17",
	  "Statement": {
	    "Effect": "Allow",
	    "Action": "iam:*AccessKey*",
	    "Resource": "arn:aws:iam::123456789012:user/*",
	    "Condition": {"DateGreaterThan": {"aws:TokenIssueTime": "2020-01-01T00:00:01Z"}}
	  }
	}`,
	"dates": `{
	  "Version": "2012-10-17",
	  "Statement": [
	    {"Sid": "Before2025", "Effect": "Allow", "Action": "test:Before", "Resource": "*", "Condition": {"DateLessThan": {"aws:CurrentTime": "2025-01-01T00:00:00Z"}}},
	    {"Sid": "OnDay", "Effect": "Allow", "Action": "test:OnDay", "Resource": "*", "Condition": {"DateEquals": {"aws:CurrentTime": "2024-06-01"}}},
	    {"Sid": "NotOnDay", "Effect": "Allow", "Action": "test:NotOnDay", "Resource": "*", "Condition": {"DateNotEquals": {"aws:CurrentTime": "2024-06-01"}}},
	    {"Sid": "EpochAtMost", "Effect": "Allow", "Action": "test:Epoch", "Resource": "*", "Condition": {"DateLessThanEquals": {"aws:EpochTime": "1717200000"}}},
	    {"Sid": "ZoneAtLeast", "Effect": "Allow", "Action": "test:Zone", "Resource": "*", "Condition": {"DateGreaterThanEquals": {"aws:CurrentTime": "2024-06-01T02:00:00+02:00"}}}
	  ]
	}`,
	// condition operators, "IP address condition operators".
	"sourceIP": `{
	  "Version": "2012-10-17",
	  "Statement": {
	    "Effect": "Allow",
	    "Action": "someservice:*",
	    "Resource": "*",
	    "Condition": {
	      "IpAddress": {
	        "aws:SourceIp": [
	          "203.0.113.0/24",
	          "2001:DB8:1234:5678::/64"
	        ]
	      }
	    }
	  }
	}`,
	"notFromOffice": `{
	  "Version": "2012-10-17",
	  "Statement": [
	    {"Sid": "All", "Effect": "Allow", "Action": "dynamodb:*", "Resource": "*"},
	    {"Sid": "OfficeOnly", "Effect": "Deny", "Action": "dynamodb:*", "Resource": "*", "Condition": {"NotIpAddress": {"aws:SourceIp": ["192.0.2.10", "198.51.100.0/24"]}}}
	  ]
	}`,
	// reference_policies_variables: a table named after the user.
	"ownTable": `{
	  "Version": "2012-10-17",
	  "Statement": {
	    "Effect": "Allow",
	    "Action": "dynamodb:*",
	    "Resource": "arn:aws:dynamodb:us-east-2:123456789012:table/${aws:username}"
	  }
	}`,
	// The same in the 2008-10-17 language, where ${aws:username} is text.
	"ownTable2008": `{
	  "Version": "2008-10-17",
	  "Statement": {
	    "Effect": "Allow",
	    "Action": "dynamodb:*",
	    "Resource": "arn:aws:dynamodb:us-east-2:123456789012:table/${aws:username}"
	  }
	}`,
	// reference_policies_variables, "Specifying default values".
	"defaultValue": `{
	  "Version": "2012-10-17",
	  "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/${aws:userid, 'anonymous'}/*"}
	}`,
	"homePrefix": `{
	  "Version": "2012-10-17",
	  "Statement": {
	    "Action": ["s3:ListBucket"],
	    "Effect": "Allow",
	    "Resource": ["arn:aws:s3:::mybucket"],
	    "Condition": {"StringLike": {"s3:prefix": ["${aws:username}/*"]}}
	  }
	}`,
	"escapes": `{
	  "Version": "2012-10-17",
	  "Statement": [
	    {"Sid": "Star", "Effect": "Allow", "Action": "test:Star", "Resource": "arn:aws:s3:::bucket/${*}", "Condition": {"StringLike": {"test:k": "a${*}b*"}}},
	    {"Sid": "Question", "Effect": "Allow", "Action": "test:Question", "Resource": "*", "Condition": {"StringLike": {"test:k": "why${?}"}}},
	    {"Sid": "Dollar", "Effect": "Allow", "Action": "test:Dollar", "Resource": "*", "Condition": {"StringEquals": {"test:k": "${$}{aws:username}"}}}
	  ]
	}`,
	"denyOtherUsers": `{
	  "Version": "2012-10-17",
	  "Statement": [
	    {"Sid": "All", "Effect": "Allow", "Action": "s3:*", "Resource": "*"},
	    {"Sid": "NotOwner", "Effect": "Deny", "Action": "s3:*", "Resource": "*", "Condition": {"StringNotEquals": {"s3:prefix": "${aws:username}"}}}
	  ]
	}`,
	"cases": `{
	  "Version": "2012-10-17",
	  "Statement": [
	    {"Sid": "Exact", "Effect": "Allow", "Action": "test:Exact", "Resource": "*", "Condition": {"StringEquals": {"aws:PrincipalTag/team": "Blue"}}},
	    {"Sid": "AnyCase", "Effect": "Allow", "Action": "test:AnyCase", "Resource": "*", "Condition": {"StringEqualsIgnoreCase": {"AWS:PRINCIPALTAG/TEAM": "blue"}}},
	    {"Sid": "NotAnyCase", "Effect": "Allow", "Action": "test:NotAnyCase", "Resource": "*", "Condition": {"StringNotEqualsIgnoreCase": {"aws:PrincipalTag/team": ["blue", "green"]}}}
	  ]
	}`,
	"tableOnly":       `{"Version": "2012-10-17", "Statement": {"Sid": "Table", "Effect": "Allow", "Action": "dynamodb:Query", "Resource": "arn:aws:dynamodb:us-east-1:123456789012:table/Products"}}`,
	"tableStar":       `{"Version": "2012-10-17", "Statement": {"Sid": "TableStar", "Effect": "Allow", "Action": "dynamodb:Query", "Resource": "arn:aws:dynamodb:us-east-1:123456789012:table/Products*"}}`,
	"indexesOnly":     `{"Version": "2012-10-17", "Statement": {"Sid": "Indexes", "Effect": "Allow", "Action": "dynamodb:Query", "Resource": "arn:aws:dynamodb:us-east-1:123456789012:table/Products/index/*"}}`,
	"anyRegion":       `{"Version": "2012-10-17", "Statement": {"Sid": "AnyRegion", "Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": "arn:aws:dynamodb:us-*-1:123456789012:table/Products"}}`,
	"shortResource":   `{"Version": "2012-10-17", "Statement": {"Sid": "AllDynamo", "Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": "arn:aws:dynamodb:*"}}`,
	"financeLike":     `{"Version": "2012-10-17", "Statement": [{"Sid": "String", "Effect": "Allow", "Action": "test:String", "Resource": "*", "Condition": {"StringLike": {"aws:SourceArn": "arn:aws:someservice:*:111122223333:finance/*"}}}, {"Sid": "Arn", "Effect": "Allow", "Action": "test:Arn", "Resource": "*", "Condition": {"ArnLike": {"aws:SourceArn": "arn:aws:someservice:*:111122223333:finance/*"}}}]}`,
	"financeResource": `{"Version": "2012-10-17", "Statement": {"Sid": "Finance", "Effect": "Allow", "Action": "someservice:Read", "Resource": "arn:aws:someservice:*:111122223333:finance/*"}}`,
	"arnOperators": `{
	  "Version": "2012-10-17",
	  "Statement": [
	    {"Sid": "FromTopic", "Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "*", "Condition": {"ArnEquals": {"aws:SourceArn": "arn:aws:sns:us-east-1:123456789012:${aws:username}"}}},
	    {"Sid": "NotFromDev", "Effect": "Allow", "Action": "sqs:ReceiveMessage", "Resource": "*", "Condition": {"ArnNotLike": {"aws:SourceArn": ["arn:aws:sns:*:*:dev-*", "arn:aws:sns:*:*:test-*"]}}}
	  ]
	}`,
	"multiNotEquals": `{
	  "Version": "2012-10-17",
	  "Statement": {"Sid": "NotAuditOrSecurity", "Effect": "Allow", "Action": "test:Act", "Resource": "*", "Condition": {"StringNotEquals": {"aws:PrincipalTag/role": ["audit", "security"]}}}
	}`,
	"anyNotEquals": `{
	  "Version": "2012-10-17",
	  "Statement": {"Sid": "SomeOtherTag", "Effect": "Allow", "Action": "test:Tag", "Resource": "*", "Condition": {"ForAnyValue:StringNotEquals": {"aws:TagKeys": ["DataClass", "Owner"]}}}
	}`,
	"allTagsNull": `{
	  "Version": "2012-10-17",
	  "Statement": {"Sid": "KnownTags", "Effect": "Allow", "Action": "test:Tag", "Resource": "*", "Condition": {
	    "ForAllValues:StringEquals": {"aws:TagKeys": ["DataClass", "Owner"]},
	    "Null": {"aws:TagKeys": "false"}
	  }}
	}`,
	"binary":           `{"Version": "2012-10-17", "Statement": {"Sid": "Bin", "Effect": "Allow", "Action": "test:Bin", "Resource": "*", "Condition": {"BinaryEquals": {"test:blob": "QmluYXJ5VmFsdWVJbkJhc2U2NA=="}}}}`,
	"anyValueIfExists": `{"Version": "2012-10-17", "Statement": {"Sid": "Maybe", "Effect": "Allow", "Action": "test:Act", "Resource": "*", "Condition": {"ForAnyValue:StringEqualsIfExists": {"test:k": ["a", "b"]}}}}`,
}

var parsed = func() map[string]*localiam.Policy {
	m := map[string]*localiam.Policy{}
	for name, doc := range policies {
		m[name] = localiam.MustParse(doc)
	}
	return m
}()

func allowedBy(stmt string) localiam.Decision {
	return localiam.Decision{Allowed: true, Reason: "allowed by statement " + stmt, Statement: stmt}
}

func deniedBy(stmt string) localiam.Decision {
	return localiam.Decision{Reason: "explicitly denied by statement " + stmt, Statement: stmt}
}

var implicitDeny = localiam.Decision{Reason: "no statement allows"}

const (
	sub        = "us-east-1:0e6d7f3a-1c2b-4d5e-8f90-123456789abc"
	myTable    = "arn:aws:dynamodb:us-east-1:123456789012:table/MyTable"
	gameScores = "arn:aws:dynamodb:us-west-2:123456789012:table/GameScores"
	topIndex   = "arn:aws:dynamodb:us-west-2:123456789012:table/GameScores/index/TopScoreDateTimeIndex"
	products   = "arn:aws:dynamodb:us-east-1:123456789012:table/Products"
	thread     = "arn:aws:dynamodb:us-east-1:123456789012:table/Thread"
)

func ctx(kv ...any) map[string][]string {
	m := map[string][]string{}
	for i := 0; i < len(kv); i += 2 {
		switch v := kv[i+1].(type) {
		case string:
			m[kv[i].(string)] = []string{v}
		case []string:
			m[kv[i].(string)] = v
		}
	}
	return m
}

func TestEvaluate(t *testing.T) {
	cognito := map[string]string{"cognito-identity.amazonaws.com:sub": sub}
	amazon := map[string]string{"www.amazon.com:user_id": "amzn1.account.AF6RHYYNEOJYPQPKCT3SRZAAA"}
	facebook := map[string]string{"graph.facebook.com:id": "10157"}

	tests := []struct {
		name     string
		policies []string // keys of policies
		req      localiam.Request
		want     localiam.Decision
	}{
		// DynamoDB fine-grained access control with a Cognito identity.
		{"cognito own item", []string{"cognitoItems"}, localiam.Request{Action: "dynamodb:GetItem", Resource: myTable, Context: ctx("dynamodb:LeadingKeys", sub), Variables: cognito}, allowedBy("Statement[0]")},
		{"cognito other's item", []string{"cognitoItems"}, localiam.Request{Action: "dynamodb:GetItem", Resource: myTable, Context: ctx("dynamodb:LeadingKeys", "us-east-1:someone-else"), Variables: cognito}, implicitDeny},
		{"cognito batch all own", []string{"cognitoItems"}, localiam.Request{Action: "dynamodb:Query", Resource: myTable, Context: ctx("dynamodb:LeadingKeys", []string{sub, sub}), Variables: cognito}, allowedBy("Statement[0]")},
		{"cognito batch one foreign key", []string{"cognitoItems"}, localiam.Request{Action: "dynamodb:PutItem", Resource: myTable, Context: ctx("dynamodb:LeadingKeys", []string{sub, "us-east-1:other"}), Variables: cognito}, implicitDeny},
		{"cognito sub missing: variable unresolved", []string{"cognitoItems"}, localiam.Request{Action: "dynamodb:GetItem", Resource: myTable, Context: ctx("dynamodb:LeadingKeys", sub)}, implicitDeny},
		{"cognito sub from single-valued context key", []string{"cognitoItems"}, localiam.Request{Action: "dynamodb:GetItem", Resource: myTable, Context: ctx("dynamodb:LeadingKeys", sub, "cognito-identity.amazonaws.com:sub", sub)}, allowedBy("Statement[0]")},
		{"cognito no leading keys: ForAllValues on a missing key holds", []string{"cognitoItems"}, localiam.Request{Action: "dynamodb:Query", Resource: myTable, Variables: cognito}, allowedBy("Statement[0]")},
		{"cognito empty leading keys", []string{"cognitoItems"}, localiam.Request{Action: "dynamodb:Query", Resource: myTable, Context: ctx("dynamodb:LeadingKeys", []string{}), Variables: cognito}, allowedBy("Statement[0]")},
		{"cognito scan not listed", []string{"cognitoItems"}, localiam.Request{Action: "dynamodb:Scan", Resource: myTable, Variables: cognito}, implicitDeny},
		{"cognito any region and account", []string{"cognitoItems"}, localiam.Request{Action: "dynamodb:GetItem", Resource: "arn:aws:dynamodb:eu-west-1:999999999999:table/MyTable", Context: ctx("dynamodb:LeadingKeys", sub), Variables: cognito}, allowedBy("Statement[0]")},
		{"cognito other table", []string{"cognitoItems"}, localiam.Request{Action: "dynamodb:GetItem", Resource: "arn:aws:dynamodb:us-east-1:123456789012:table/MyTable2", Context: ctx("dynamodb:LeadingKeys", sub), Variables: cognito}, implicitDeny},
		{"cognito index not the table", []string{"cognitoItems"}, localiam.Request{Action: "dynamodb:Query", Resource: myTable + "/index/ByDate", Context: ctx("dynamodb:LeadingKeys", sub), Variables: cognito}, implicitDeny},
		{"cognito key is case-sensitive", []string{"cognitoItems"}, localiam.Request{Action: "dynamodb:GetItem", Resource: myTable, Context: ctx("dynamodb:LeadingKeys", "US-EAST-1:0E6D7F3A-1C2B-4D5E-8F90-123456789ABC"), Variables: cognito}, implicitDeny},

		// The GameRole policy: leading keys, attributes and Select.
		{"game specific attributes", []string{"gameRole"}, localiam.Request{Action: "dynamodb:GetItem", Resource: gameScores, Context: ctx("dynamodb:LeadingKeys", amazon["www.amazon.com:user_id"], "dynamodb:Attributes", []string{"UserId", "GameTitle", "TopScore"}, "dynamodb:Select", "SPECIFIC_ATTRIBUTES"), Variables: amazon}, allowedBy("AllowAccessToOnlyItemsMatchingUserID")},
		{"game attribute not listed", []string{"gameRole"}, localiam.Request{Action: "dynamodb:GetItem", Resource: gameScores, Context: ctx("dynamodb:LeadingKeys", amazon["www.amazon.com:user_id"], "dynamodb:Attributes", []string{"UserId", "SecretNotes"}, "dynamodb:Select", "SPECIFIC_ATTRIBUTES"), Variables: amazon}, implicitDeny},
		{"game select all attributes", []string{"gameRole"}, localiam.Request{Action: "dynamodb:Query", Resource: gameScores, Context: ctx("dynamodb:LeadingKeys", amazon["www.amazon.com:user_id"], "dynamodb:Select", "ALL_ATTRIBUTES"), Variables: amazon}, implicitDeny},
		{"game no Select: IfExists holds", []string{"gameRole"}, localiam.Request{Action: "dynamodb:PutItem", Resource: gameScores, Context: ctx("dynamodb:LeadingKeys", amazon["www.amazon.com:user_id"], "dynamodb:Attributes", []string{"UserId", "GameTitle", "Wins"}), Variables: amazon}, allowedBy("AllowAccessToOnlyItemsMatchingUserID")},

		// Example 2: specific attributes, Select and ReturnValues.
		{"attributes allowed", []string{"specificAttributes"}, localiam.Request{Action: "dynamodb:GetItem", Resource: gameScores, Context: ctx("dynamodb:Attributes", []string{"UserId", "TopScore"}, "dynamodb:Select", "SPECIFIC_ATTRIBUTES")}, allowedBy("LimitAccessToSpecificAttributes")},
		{"attributes extra one", []string{"specificAttributes"}, localiam.Request{Action: "dynamodb:GetItem", Resource: gameScores, Context: ctx("dynamodb:Attributes", []string{"UserId", "TopScore", "Wins"}, "dynamodb:Select", "SPECIFIC_ATTRIBUTES")}, implicitDeny},
		{"attributes select count", []string{"specificAttributes"}, localiam.Request{Action: "dynamodb:Scan", Resource: gameScores, Context: ctx("dynamodb:Select", "COUNT")}, implicitDeny},
		{"update returns NONE", []string{"specificAttributes"}, localiam.Request{Action: "dynamodb:UpdateItem", Resource: gameScores, Context: ctx("dynamodb:Attributes", "TopScore", "dynamodb:ReturnValues", "NONE")}, allowedBy("LimitAccessToSpecificAttributes")},
		{"update returns UPDATED_OLD", []string{"specificAttributes"}, localiam.Request{Action: "dynamodb:UpdateItem", Resource: gameScores, Context: ctx("dynamodb:Attributes", "TopScore", "dynamodb:ReturnValues", "UPDATED_OLD")}, allowedBy("LimitAccessToSpecificAttributes")},
		{"update returns ALL_OLD", []string{"specificAttributes"}, localiam.Request{Action: "dynamodb:UpdateItem", Resource: gameScores, Context: ctx("dynamodb:Attributes", "TopScore", "dynamodb:ReturnValues", "ALL_OLD")}, implicitDeny},
		{"put item not listed", []string{"specificAttributes"}, localiam.Request{Action: "dynamodb:PutItem", Resource: gameScores, Context: ctx("dynamodb:Attributes", "TopScore")}, implicitDeny},

		// Example 3: ForAllValues:StringNotLike.
		{"update allowed attribute", []string{"preventUpdates"}, localiam.Request{Action: "dynamodb:UpdateItem", Resource: gameScores, Context: ctx("dynamodb:Attributes", []string{"TopScore", "Wins"}, "dynamodb:ReturnValues", "UPDATED_NEW")}, allowedBy("PreventUpdatesOnCertainAttributes")},
		{"update protected attribute", []string{"preventUpdates"}, localiam.Request{Action: "dynamodb:UpdateItem", Resource: gameScores, Context: ctx("dynamodb:Attributes", []string{"TopScore", "BossLevelUnlocked"}, "dynamodb:ReturnValues", "NONE")}, implicitDeny},
		{"update without ReturnValues: StringEquals needs the key", []string{"preventUpdates"}, localiam.Request{Action: "dynamodb:UpdateItem", Resource: gameScores, Context: ctx("dynamodb:Attributes", "TopScore")}, implicitDeny},

		// Example 4: queries on an index.
		{"index projected attributes", []string{"projectedIndex"}, localiam.Request{Action: "dynamodb:Query", Resource: topIndex, Context: ctx("dynamodb:Attributes", []string{"TopScoreDateTime", "Wins"}, "dynamodb:Select", "SPECIFIC_ATTRIBUTES")}, allowedBy("QueryOnlyProjectedIndexAttributes")},
		{"index all projected with first policy", []string{"projectedIndex"}, localiam.Request{Action: "dynamodb:Query", Resource: topIndex, Context: ctx("dynamodb:Select", "ALL_PROJECTED_ATTRIBUTES")}, implicitDeny},
		{"index all projected with second policy", []string{"allIndexAttributes"}, localiam.Request{Action: "dynamodb:Query", Resource: topIndex, Context: ctx("dynamodb:Select", "ALL_PROJECTED_ATTRIBUTES")}, allowedBy("QueryAllIndexAttributes")},
		{"index policy does not cover the table", []string{"projectedIndex"}, localiam.Request{Action: "dynamodb:Query", Resource: gameScores, Context: ctx("dynamodb:Attributes", "Wins", "dynamodb:Select", "SPECIFIC_ATTRIBUTES")}, implicitDeny},

		// Example 5: attributes and keys on a table and an index.
		{"facebook user on index", []string{"attributesAndKeys"}, localiam.Request{Action: "dynamodb:Query", Resource: topIndex, Context: ctx("dynamodb:LeadingKeys", "10157", "dynamodb:Attributes", "attribute-A", "dynamodb:Select", "SPECIFIC_ATTRIBUTES"), Variables: facebook}, allowedBy("LimitAccessToCertainAttributesAndKeyValues")},
		{"facebook user returns ALL_NEW", []string{"attributesAndKeys"}, localiam.Request{Action: "dynamodb:UpdateItem", Resource: gameScores, Context: ctx("dynamodb:LeadingKeys", "10157", "dynamodb:Attributes", "attribute-B", "dynamodb:ReturnValues", "ALL_NEW"), Variables: facebook}, implicitDeny},

		// ForAllValues and ForAnyValue, from the multivalued-keys page.
		{"thread allowed attributes", []string{"threadReaders"}, localiam.Request{Action: "dynamodb:GetItem", Resource: thread, Context: ctx("dynamodb:requestedAttributes", []string{"PostDateTime", "Message"})}, allowedBy("Statement[0]")},
		{"thread UserName not allowed", []string{"threadReaders"}, localiam.Request{Action: "dynamodb:GetItem", Resource: thread, Context: ctx("dynamodb:requestedAttributes", []string{"PostDateTime", "UserName"})}, implicitDeny},
		{"thread put touching PostDateTime", []string{"threadWriters"}, localiam.Request{Action: "dynamodb:PutItem", Resource: thread, Context: ctx("dynamodb:requestedAttributes", []string{"UserName", "Message", "PostDateTime"})}, deniedBy("DenyIdAndPostDate")},
		{"thread put only UserName", []string{"threadWriters"}, localiam.Request{Action: "dynamodb:PutItem", Resource: thread, Context: ctx("dynamodb:requestedAttributes", "UserName")}, allowedBy("AllowPut")},
		{"thread put no attributes: ForAnyValue fails", []string{"threadWriters"}, localiam.Request{Action: "dynamodb:PutItem", Resource: thread}, allowedBy("AllowPut")},
		{"ForAnyValue IfExists on missing key", []string{"anyValueIfExists"}, localiam.Request{Action: "test:Act", Resource: "*"}, allowedBy("Maybe")},
		{"ForAnyValue IfExists with no match", []string{"anyValueIfExists"}, localiam.Request{Action: "test:Act", Resource: "*", Context: ctx("test:k", []string{"c", "d"})}, implicitDeny},
		{"ForAnyValue IfExists with a match", []string{"anyValueIfExists"}, localiam.Request{Action: "test:Act", Resource: "*", Context: ctx("test:k", []string{"c", "b"})}, allowedBy("Maybe")},
		{"ForAnyValue:StringNotEquals missing key", []string{"anyNotEquals"}, localiam.Request{Action: "test:Tag", Resource: "*"}, implicitDeny},
		{"ForAnyValue:StringNotEquals only listed tags", []string{"anyNotEquals"}, localiam.Request{Action: "test:Tag", Resource: "*", Context: ctx("aws:TagKeys", []string{"DataClass", "Owner"})}, implicitDeny},
		{"ForAnyValue:StringNotEquals one other tag", []string{"anyNotEquals"}, localiam.Request{Action: "test:Tag", Resource: "*", Context: ctx("aws:TagKeys", []string{"Dept", "DataClass"})}, allowedBy("SomeOtherTag")},
		{"ForAllValues with Null guard: no tags", []string{"allTagsNull"}, localiam.Request{Action: "test:Tag", Resource: "*"}, implicitDeny},
		{"ForAllValues with Null guard: known tags", []string{"allTagsNull"}, localiam.Request{Action: "test:Tag", Resource: "*", Context: ctx("aws:TagKeys", "Owner")}, allowedBy("KnownTags")},

		// Wildcard actions; action names are case-insensitive.
		{"Get* matches GetItem", []string{"wildcardActions"}, localiam.Request{Action: "dynamodb:GetItem", Resource: products}, allowedBy("Reads")},
		{"Get* matches BatchGetItem? no", []string{"wildcardActions"}, localiam.Request{Action: "dynamodb:BatchGetItem", Resource: products}, implicitDeny},
		{"action case-insensitive", []string{"wildcardActions"}, localiam.Request{Action: "DynamoDB:getitem", Resource: products}, allowedBy("Reads")},
		{"? matches one character", []string{"wildcardActions"}, localiam.Request{Action: "dynamodb:Query", Resource: products}, allowedBy("OneLetter")},
		{"? matches no more than one", []string{"wildcardActions"}, localiam.Request{Action: "dynamodb:QQuery", Resource: products}, implicitDeny},
		{"service wildcard", []string{"wildcardActions"}, localiam.Request{Action: "lambda:InvokeFunction", Resource: "arn:aws:lambda:us-east-1:123456789012:function:f"}, allowedBy("AllOfLambda")},
		{"service prefix must match", []string{"wildcardActions"}, localiam.Request{Action: "dynamodbx:GetItem", Resource: products}, implicitDeny},
		{"dynamodb:* on tables", []string{"dynamoAll"}, localiam.Request{Action: "dynamodb:DeleteTable", Resource: products}, allowedBy("Dynamo")},
		{"dynamodb:* on an index", []string{"dynamoAll"}, localiam.Request{Action: "dynamodb:Query", Resource: products + "/index/ByName"}, allowedBy("Dynamo")},
		{"dynamodb:* not other services", []string{"dynamoAll"}, localiam.Request{Action: "s3:GetObject", Resource: products}, implicitDeny},
		{"* allows all", []string{"everything"}, localiam.Request{Action: "iam:CreateUser", Resource: "arn:aws:iam::123456789012:user/bob"}, allowedBy("Admin")},

		// Explicit deny overrides allow.
		{"interplay allows Get", []string{"interplay"}, localiam.Request{Action: "iam:GetUser", Resource: "*"}, allowedBy("AllowGetList")},
		{"interplay denies report", []string{"interplay"}, localiam.Request{Action: "iam:GetOrganizationsAccessReport", Resource: "*"}, deniedBy("DenyReports")},
		{"interplay implicit for Create", []string{"interplay"}, localiam.Request{Action: "iam:CreatePolicy", Resource: "*"}, implicitDeny},
		{"deny in another policy wins", []string{"everything", "denyDeleteTable"}, localiam.Request{Action: "dynamodb:DeleteTable", Resource: products}, deniedBy("NoDrops")},
		{"deny policy alone allows nothing", []string{"denyDeleteTable"}, localiam.Request{Action: "dynamodb:GetItem", Resource: products}, implicitDeny},
		{"no policies", nil, localiam.Request{Action: "dynamodb:GetItem", Resource: products}, implicitDeny},
		{"unnamed statement in second policy", []string{"denyDeleteTable", "cognitoItems"}, localiam.Request{Action: "dynamodb:GetItem", Resource: myTable, Context: ctx("dynamodb:LeadingKeys", sub), Variables: cognito}, allowedBy("Policy[1].Statement[0]")},

		// NotAction and NotResource.
		{"NotAction allows others", []string{"notAction"}, localiam.Request{Action: "dynamodb:PutItem", Resource: products}, allowedBy("AllButDeletes")},
		{"NotAction excludes listed", []string{"notAction"}, localiam.Request{Action: "dynamodb:DeleteItem", Resource: products}, implicitDeny},
		{"NotAction excludes listed, any case", []string{"notAction"}, localiam.Request{Action: "DYNAMODB:BATCHWRITEITEM", Resource: products}, implicitDeny},
		{"NotResource deny spares listed", []string{"notResource"}, localiam.Request{Action: "dynamodb:GetItem", Resource: products}, allowedBy("Dynamo")},
		{"NotResource deny spares index", []string{"notResource"}, localiam.Request{Action: "dynamodb:Query", Resource: products + "/index/ByName"}, allowedBy("Dynamo")},
		{"NotResource deny hits others", []string{"notResource"}, localiam.Request{Action: "dynamodb:GetItem", Resource: "arn:aws:dynamodb:us-east-1:123456789012:table/Orders"}, deniedBy("OnlyProducts")},

		// IfExists.
		{"IfExists key present and matching", []string{"instanceTypes"}, localiam.Request{Action: "ec2:RunInstances", Resource: "arn:aws:ec2:us-east-1:123456789012:instance/*", Context: ctx("ec2:InstanceType", "t2.micro")}, allowedBy("RunInstance")},
		{"IfExists key present, not matching", []string{"instanceTypes"}, localiam.Request{Action: "ec2:RunInstances", Resource: "arn:aws:ec2:us-east-1:123456789012:instance/*", Context: ctx("ec2:InstanceType", "c5.large")}, implicitDeny},
		{"IfExists key missing", []string{"instanceTypes"}, localiam.Request{Action: "ec2:RunInstances", Resource: "arn:aws:ec2:us-east-1::image/ami-1"}, allowedBy("RunInstance")},
		{"without IfExists key missing", []string{"instanceTypesNoIfExists"}, localiam.Request{Action: "ec2:RunInstances", Resource: "arn:aws:ec2:us-east-1::image/ami-1"}, implicitDeny},

		// Null.
		{"Null true, key absent", []string{"noTemporaryCredentials"}, localiam.Request{Action: "ec2:DescribeInstances", Resource: "*"}, allowedBy("Statement[0]")},
		{"Null true, key present", []string{"noTemporaryCredentials"}, localiam.Request{Action: "ec2:DescribeInstances", Resource: "*", Context: ctx("aws:TokenIssueTime", "2024-01-01T00:00:00Z")}, implicitDeny},
		{"Null false, key present", []string{"onlyTemporaryCredentials"}, localiam.Request{Action: "ec2:DescribeInstances", Resource: "*", Context: ctx("aws:TokenIssueTime", "2024-01-01T00:00:00Z")}, allowedBy("Statement[0]")},
		{"Null false, key absent", []string{"onlyTemporaryCredentials"}, localiam.Request{Action: "ec2:DescribeInstances", Resource: "*"}, implicitDeny},

		// Bool.
		{"Bool deny over plain HTTP", []string{"secureTransport"}, localiam.Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::DOC-EXAMPLE-BUCKET/a.txt", Context: ctx("aws:SecureTransport", "false")}, deniedBy("BooleanExample")},
		{"Bool TLS allowed", []string{"secureTransport"}, localiam.Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::DOC-EXAMPLE-BUCKET/a.txt", Context: ctx("aws:SecureTransport", "true")}, allowedBy("AllowS3")},
		{"Bool is case-insensitive", []string{"secureTransport"}, localiam.Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::DOC-EXAMPLE-BUCKET", Context: ctx("aws:SecureTransport", "False")}, deniedBy("BooleanExample")},
		{"Bool key missing", []string{"secureTransport"}, localiam.Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::DOC-EXAMPLE-BUCKET/a.txt"}, allowedBy("AllowS3")},

		// Numeric.
		{"max-keys 10", []string{"maxKeys"}, localiam.Request{Action: "s3:ListBucket", Resource: "arn:aws:s3:::example_bucket", Context: ctx("s3:max-keys", "10")}, allowedBy("Statement[0]")},
		{"max-keys 11", []string{"maxKeys"}, localiam.Request{Action: "s3:ListBucket", Resource: "arn:aws:s3:::example_bucket", Context: ctx("s3:max-keys", "11")}, implicitDeny},
		{"max-keys missing", []string{"maxKeys"}, localiam.Request{Action: "s3:ListBucket", Resource: "arn:aws:s3:::example_bucket"}, implicitDeny},
		{"max-keys not a number", []string{"maxKeys"}, localiam.Request{Action: "s3:ListBucket", Resource: "arn:aws:s3:::example_bucket", Context: ctx("s3:max-keys", "ten")}, implicitDeny},
		{"NumericEquals decimal", []string{"numbers"}, localiam.Request{Action: "test:Equals", Resource: "*", Context: ctx("test:n", "7.5")}, allowedBy("Equals")},
		{"NumericEquals JSON number", []string{"numbers"}, localiam.Request{Action: "test:Equals", Resource: "*", Context: ctx("test:n", "5.0")}, allowedBy("Equals")},
		{"NumericNotEquals listed", []string{"numbers"}, localiam.Request{Action: "test:NotEquals", Resource: "*", Context: ctx("test:n", "7")}, implicitDeny},
		{"NumericNotEquals other", []string{"numbers"}, localiam.Request{Action: "test:NotEquals", Resource: "*", Context: ctx("test:n", "6")}, allowedBy("NotEquals")},
		{"NumericLessThan", []string{"numbers"}, localiam.Request{Action: "test:Less", Resource: "*", Context: ctx("test:n", "9.99")}, allowedBy("Less")},
		{"NumericLessThan equal", []string{"numbers"}, localiam.Request{Action: "test:Less", Resource: "*", Context: ctx("test:n", "10")}, implicitDeny},
		{"NumericGreaterThan exponent", []string{"numbers"}, localiam.Request{Action: "test:Greater", Resource: "*", Context: ctx("test:n", "-14")}, allowedBy("Greater")},
		{"NumericGreaterThanEquals", []string{"numbers"}, localiam.Request{Action: "test:GreaterEquals", Resource: "*", Context: ctx("test:n", "10")}, allowedBy("GreaterEquals")},

		// Date.
		{"token issued after 2020", []string{"tokenIssued2020"}, localiam.Request{Action: "iam:CreateAccessKey", Resource: "arn:aws:iam::123456789012:user/bob", Context: ctx("aws:TokenIssueTime", "2024-03-01T10:00:00Z")}, allowedBy("Statement[0]")},
		{"token issued before 2020", []string{"tokenIssued2020"}, localiam.Request{Action: "iam:CreateAccessKey", Resource: "arn:aws:iam::123456789012:user/bob", Context: ctx("aws:TokenIssueTime", "2019-12-31T23:59:59Z")}, implicitDeny},
		{"no token issue time", []string{"tokenIssued2020"}, localiam.Request{Action: "iam:CreateAccessKey", Resource: "arn:aws:iam::123456789012:user/bob"}, implicitDeny},
		{"DateLessThan", []string{"dates"}, localiam.Request{Action: "test:Before", Resource: "*", Context: ctx("aws:CurrentTime", "2024-12-31T23:59:59Z")}, allowedBy("Before2025")},
		{"DateLessThan at the instant", []string{"dates"}, localiam.Request{Action: "test:Before", Resource: "*", Context: ctx("aws:CurrentTime", "2025-01-01T00:00:00Z")}, implicitDeny},
		{"DateLessThan epoch request value", []string{"dates"}, localiam.Request{Action: "test:Before", Resource: "*", Context: ctx("aws:CurrentTime", "1735689599")}, allowedBy("Before2025")},
		{"DateEquals date only is midnight UTC", []string{"dates"}, localiam.Request{Action: "test:OnDay", Resource: "*", Context: ctx("aws:CurrentTime", "2024-06-01T00:00:00Z")}, allowedBy("OnDay")},
		{"DateNotEquals", []string{"dates"}, localiam.Request{Action: "test:NotOnDay", Resource: "*", Context: ctx("aws:CurrentTime", "2024-06-01T00:00:01Z")}, allowedBy("NotOnDay")},
		{"DateLessThanEquals epoch", []string{"dates"}, localiam.Request{Action: "test:Epoch", Resource: "*", Context: ctx("aws:EpochTime", "1717200000")}, allowedBy("EpochAtMost")},
		{"DateLessThanEquals epoch later", []string{"dates"}, localiam.Request{Action: "test:Epoch", Resource: "*", Context: ctx("aws:EpochTime", "1717200001")}, implicitDeny},
		{"DateGreaterThanEquals across zones", []string{"dates"}, localiam.Request{Action: "test:Zone", Resource: "*", Context: ctx("aws:CurrentTime", "2024-06-01T00:00:00Z")}, allowedBy("ZoneAtLeast")},
		{"date not a date", []string{"dates"}, localiam.Request{Action: "test:Before", Resource: "*", Context: ctx("aws:CurrentTime", "yesterday")}, implicitDeny},

		// IP addresses.
		{"IPv4 in range", []string{"sourceIP"}, localiam.Request{Action: "someservice:Do", Resource: "*", Context: ctx("aws:SourceIp", "203.0.113.77")}, allowedBy("Statement[0]")},
		{"IPv4 out of range", []string{"sourceIP"}, localiam.Request{Action: "someservice:Do", Resource: "*", Context: ctx("aws:SourceIp", "203.0.114.1")}, implicitDeny},
		{"IPv6 in range", []string{"sourceIP"}, localiam.Request{Action: "someservice:Do", Resource: "*", Context: ctx("aws:SourceIp", "2001:db8:1234:5678::42")}, allowedBy("Statement[0]")},
		{"IPv4-mapped IPv6", []string{"sourceIP"}, localiam.Request{Action: "someservice:Do", Resource: "*", Context: ctx("aws:SourceIp", "::ffff:203.0.113.9")}, allowedBy("Statement[0]")},
		{"no source IP", []string{"sourceIP"}, localiam.Request{Action: "someservice:Do", Resource: "*"}, implicitDeny},
		{"NotIpAddress from office", []string{"notFromOffice"}, localiam.Request{Action: "dynamodb:GetItem", Resource: products, Context: ctx("aws:SourceIp", "198.51.100.200")}, allowedBy("All")},
		{"NotIpAddress bare address is /32", []string{"notFromOffice"}, localiam.Request{Action: "dynamodb:GetItem", Resource: products, Context: ctx("aws:SourceIp", "192.0.2.10")}, allowedBy("All")},
		{"NotIpAddress elsewhere", []string{"notFromOffice"}, localiam.Request{Action: "dynamodb:GetItem", Resource: products, Context: ctx("aws:SourceIp", "192.0.2.11")}, deniedBy("OfficeOnly")},
		{"NotIpAddress key missing is true", []string{"notFromOffice"}, localiam.Request{Action: "dynamodb:GetItem", Resource: products}, deniedBy("OfficeOnly")},

		// Policy variables.
		{"own table", []string{"ownTable"}, localiam.Request{Action: "dynamodb:GetItem", Resource: "arn:aws:dynamodb:us-east-2:123456789012:table/bob", Variables: map[string]string{"aws:username": "bob"}}, allowedBy("Statement[0]")},
		{"variable names are case-insensitive", []string{"ownTable"}, localiam.Request{Action: "dynamodb:GetItem", Resource: "arn:aws:dynamodb:us-east-2:123456789012:table/bob", Variables: map[string]string{"AWS:UserName": "bob"}}, allowedBy("Statement[0]")},
		{"someone else's table", []string{"ownTable"}, localiam.Request{Action: "dynamodb:GetItem", Resource: "arn:aws:dynamodb:us-east-2:123456789012:table/alice", Variables: map[string]string{"aws:username": "bob"}}, implicitDeny},
		{"variable missing: statement does not match", []string{"ownTable"}, localiam.Request{Action: "dynamodb:GetItem", Resource: "arn:aws:dynamodb:us-east-2:123456789012:table/bob"}, implicitDeny},
		{"variable value is not a wildcard", []string{"ownTable"}, localiam.Request{Action: "dynamodb:GetItem", Resource: "arn:aws:dynamodb:us-east-2:123456789012:table/bob", Variables: map[string]string{"aws:username": "*"}}, implicitDeny},
		{"2008 policy: variable is text", []string{"ownTable2008"}, localiam.Request{Action: "dynamodb:GetItem", Resource: "arn:aws:dynamodb:us-east-2:123456789012:table/${aws:username}", Variables: map[string]string{"aws:username": "bob"}}, allowedBy("Statement[0]")},
		{"2008 policy: not substituted", []string{"ownTable2008"}, localiam.Request{Action: "dynamodb:GetItem", Resource: "arn:aws:dynamodb:us-east-2:123456789012:table/bob", Variables: map[string]string{"aws:username": "bob"}}, implicitDeny},
		{"default value used", []string{"defaultValue"}, localiam.Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::bucket/anonymous/readme"}, allowedBy("Statement[0]")},
		{"default value not used", []string{"defaultValue"}, localiam.Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::bucket/AIDAEXAMPLE/readme", Variables: map[string]string{"aws:userid": "AIDAEXAMPLE"}}, allowedBy("Statement[0]")},
		{"variable in StringLike", []string{"homePrefix"}, localiam.Request{Action: "s3:ListBucket", Resource: "arn:aws:s3:::mybucket", Context: ctx("s3:prefix", "david/photos/"), Variables: map[string]string{"aws:username": "david"}}, allowedBy("Statement[0]")},
		{"variable in StringLike, other prefix", []string{"homePrefix"}, localiam.Request{Action: "s3:ListBucket", Resource: "arn:aws:s3:::mybucket", Context: ctx("s3:prefix", "adele/"), Variables: map[string]string{"aws:username": "david"}}, implicitDeny},
		{"variable from context in negated condition", []string{"denyOtherUsers"}, localiam.Request{Action: "s3:ListBucket", Resource: "*", Context: ctx("s3:prefix", "dave", "aws:username", "dave")}, allowedBy("All")},
		{"negated condition denies others", []string{"denyOtherUsers"}, localiam.Request{Action: "s3:ListBucket", Resource: "*", Context: ctx("s3:prefix", "eve", "aws:username", "dave")}, deniedBy("NotOwner")},
		{"negated condition with missing variable does not apply", []string{"denyOtherUsers"}, localiam.Request{Action: "s3:ListBucket", Resource: "*", Context: ctx("s3:prefix", "eve")}, allowedBy("All")},
		{"multivalued context key is no variable", []string{"ownTable"}, localiam.Request{Action: "dynamodb:GetItem", Resource: "arn:aws:dynamodb:us-east-2:123456789012:table/bob", Context: ctx("aws:username", []string{"bob", "eve"})}, implicitDeny},

		// Escapes.
		{"${*} is a literal star in a resource", []string{"escapes"}, localiam.Request{Action: "test:Star", Resource: "arn:aws:s3:::bucket/*", Context: ctx("test:k", "a*bc")}, allowedBy("Star")},
		{"${*} is no wildcard in a resource", []string{"escapes"}, localiam.Request{Action: "test:Star", Resource: "arn:aws:s3:::bucket/x", Context: ctx("test:k", "a*bc")}, implicitDeny},
		{"${*} is no wildcard in StringLike", []string{"escapes"}, localiam.Request{Action: "test:Star", Resource: "arn:aws:s3:::bucket/*", Context: ctx("test:k", "axbc")}, implicitDeny},
		{"${?} literal", []string{"escapes"}, localiam.Request{Action: "test:Question", Resource: "*", Context: ctx("test:k", "why?")}, allowedBy("Question")},
		{"${?} is no wildcard", []string{"escapes"}, localiam.Request{Action: "test:Question", Resource: "*", Context: ctx("test:k", "whyX")}, implicitDeny},
		{"${$} makes a literal ${", []string{"escapes"}, localiam.Request{Action: "test:Dollar", Resource: "*", Context: ctx("test:k", "${aws:username}"), Variables: map[string]string{"aws:username": "bob"}}, allowedBy("Dollar")},

		// Case: condition key names are case-insensitive, values are not.
		{"StringEquals exact", []string{"cases"}, localiam.Request{Action: "test:Exact", Resource: "*", Context: ctx("aws:PrincipalTag/team", "Blue")}, allowedBy("Exact")},
		{"StringEquals other case", []string{"cases"}, localiam.Request{Action: "test:Exact", Resource: "*", Context: ctx("aws:PrincipalTag/team", "blue")}, implicitDeny},
		{"key name in other case", []string{"cases"}, localiam.Request{Action: "test:Exact", Resource: "*", Context: ctx("AWS:principaltag/TEAM", "Blue")}, allowedBy("Exact")},
		{"StringEqualsIgnoreCase", []string{"cases"}, localiam.Request{Action: "test:AnyCase", Resource: "*", Context: ctx("aws:PrincipalTag/team", "BLUE")}, allowedBy("AnyCase")},
		{"StringNotEqualsIgnoreCase listed", []string{"cases"}, localiam.Request{Action: "test:NotAnyCase", Resource: "*", Context: ctx("aws:PrincipalTag/team", "Green")}, implicitDeny},
		{"StringNotEqualsIgnoreCase other", []string{"cases"}, localiam.Request{Action: "test:NotAnyCase", Resource: "*", Context: ctx("aws:PrincipalTag/team", "Red")}, allowedBy("NotAnyCase")},
		{"resource is case-sensitive", []string{"tableOnly"}, localiam.Request{Action: "dynamodb:Query", Resource: "arn:aws:dynamodb:us-east-1:123456789012:table/products"}, implicitDeny},

		// Negated operators with several values are a NOR.
		{"StringNotEquals neither value", []string{"multiNotEquals"}, localiam.Request{Action: "test:Act", Resource: "*", Context: ctx("aws:PrincipalTag/role", "dev")}, allowedBy("NotAuditOrSecurity")},
		{"StringNotEquals second value", []string{"multiNotEquals"}, localiam.Request{Action: "test:Act", Resource: "*", Context: ctx("aws:PrincipalTag/role", "security")}, implicitDeny},
		{"StringNotEquals missing key", []string{"multiNotEquals"}, localiam.Request{Action: "test:Act", Resource: "*"}, allowedBy("NotAuditOrSecurity")},

		// Index ARNs.
		{"table/T matches the table", []string{"tableOnly"}, localiam.Request{Action: "dynamodb:Query", Resource: products}, allowedBy("Table")},
		{"table/T does not match its index", []string{"tableOnly"}, localiam.Request{Action: "dynamodb:Query", Resource: products + "/index/ByName"}, implicitDeny},
		{"table/T* matches its index", []string{"tableStar"}, localiam.Request{Action: "dynamodb:Query", Resource: products + "/index/ByName"}, allowedBy("TableStar")},
		{"table/T* matches the table", []string{"tableStar"}, localiam.Request{Action: "dynamodb:Query", Resource: products}, allowedBy("TableStar")},
		{"table/T* matches a longer name", []string{"tableStar"}, localiam.Request{Action: "dynamodb:Query", Resource: products + "Archive"}, allowedBy("TableStar")},
		{"table/T/index/* matches an index", []string{"indexesOnly"}, localiam.Request{Action: "dynamodb:Query", Resource: products + "/index/ByName"}, allowedBy("Indexes")},
		{"table/T/index/* does not match the table", []string{"indexesOnly"}, localiam.Request{Action: "dynamodb:Query", Resource: products}, implicitDeny},
		{"table/T/index/* does not match a stream", []string{"indexesOnly"}, localiam.Request{Action: "dynamodb:Query", Resource: products + "/stream/2024-01-01T00:00:00.000"}, implicitDeny},

		// Wildcards within ARN segments.
		{"wildcard inside region", []string{"anyRegion"}, localiam.Request{Action: "dynamodb:GetItem", Resource: products}, allowedBy("AnyRegion")},
		{"wildcard inside region stays in it", []string{"anyRegion"}, localiam.Request{Action: "dynamodb:GetItem", Resource: "arn:aws:dynamodb:us-east-1:x:1:123456789012:table/Products"}, implicitDeny},
		{"trailing * crosses colons", []string{"shortResource"}, localiam.Request{Action: "dynamodb:GetItem", Resource: products}, allowedBy("AllDynamo")},
		{"Resource * at segment end crosses colons", []string{"financeResource"}, localiam.Request{Action: "someservice:Read", Resource: "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt"}, allowedBy("Finance")},
		{"StringLike on an ARN spans colons", []string{"financeLike"}, localiam.Request{Action: "test:String", Resource: "*", Context: ctx("aws:SourceArn", "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt")}, allowedBy("String")},
		{"ArnLike checks each component", []string{"financeLike"}, localiam.Request{Action: "test:Arn", Resource: "*", Context: ctx("aws:SourceArn", "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt")}, implicitDeny},
		{"ArnLike matching", []string{"financeLike"}, localiam.Request{Action: "test:Arn", Resource: "*", Context: ctx("aws:SourceArn", "arn:aws:someservice:us-east-2:111122223333:finance/q3/report.txt")}, allowedBy("Arn")},
		{"ArnEquals with variable", []string{"arnOperators"}, localiam.Request{Action: "sqs:SendMessage", Resource: "*", Context: ctx("aws:SourceArn", "arn:aws:sns:us-east-1:123456789012:orders"), Variables: map[string]string{"aws:username": "orders"}}, allowedBy("FromTopic")},
		{"ArnEquals not an ARN", []string{"arnOperators"}, localiam.Request{Action: "sqs:SendMessage", Resource: "*", Context: ctx("aws:SourceArn", "orders"), Variables: map[string]string{"aws:username": "orders"}}, implicitDeny},
		{"ArnNotLike other topic", []string{"arnOperators"}, localiam.Request{Action: "sqs:ReceiveMessage", Resource: "*", Context: ctx("aws:SourceArn", "arn:aws:sns:us-east-1:123456789012:prod-orders")}, allowedBy("NotFromDev")},
		{"ArnNotLike listed topic", []string{"arnOperators"}, localiam.Request{Action: "sqs:ReceiveMessage", Resource: "*", Context: ctx("aws:SourceArn", "arn:aws:sns:us-east-1:123456789012:test-orders")}, implicitDeny},

		// Binary.
		{"BinaryEquals", []string{"binary"}, localiam.Request{Action: "test:Bin", Resource: "*", Context: ctx("test:blob", "BinaryValueInBase64")}, allowedBy("Bin")},
		{"BinaryEquals other bytes", []string{"binary"}, localiam.Request{Action: "test:Bin", Resource: "*", Context: ctx("test:blob", "QmluYXJ5VmFsdWVJbkJhc2U2NA==")}, implicitDeny},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var ps []*localiam.Policy
			for _, name := range tc.policies {
				p, ok := parsed[name]
				if !ok {
					t.Fatalf("no policy %q", name)
				}
				ps = append(ps, p)
			}
			got := localiam.Evaluate(tc.req, ps...)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Evaluate(%+v) mismatch (-want +got):\n%s", tc.req, diff)
			}
		})
	}
}

func TestDecisionExplicitDeny(t *testing.T) {
	for _, tc := range []struct {
		d    localiam.Decision
		want bool
	}{
		{allowedBy("A"), false},
		{deniedBy("D"), true},
		{implicitDeny, false},
	} {
		if got := tc.d.ExplicitDeny(); got != tc.want {
			t.Errorf("%+v.ExplicitDeny() = %v, want %v", tc.d, got, tc.want)
		}
	}
}

func TestEvaluateSkipsNilPolicies(t *testing.T) {
	got := localiam.Evaluate(localiam.Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k"}, nil, parsed["everything"])
	if diff := cmp.Diff(allowedBy("Admin"), got); diff != "" {
		t.Errorf("Evaluate(nil, everything) mismatch (-want +got):\n%s", diff)
	}
}

func TestAccessDeniedMessage(t *testing.T) {
	const role = "arn:aws:sts::123456789012:assumed-role/R/session"
	tests := []struct {
		name                        string
		principal, action, resource string
		explicit                    bool
		want                        string
	}{
		{"implicit", role, "dynamodb:GetItem", "arn:aws:dynamodb:us-east-1:123456789012:table/Products", false,
			"User: arn:aws:sts::123456789012:assumed-role/R/session is not authorized to perform: dynamodb:GetItem on resource: arn:aws:dynamodb:us-east-1:123456789012:table/Products because no identity-based policy allows the dynamodb:GetItem action"},
		{"explicit", role, "dynamodb:DeleteTable", "arn:aws:dynamodb:us-east-1:123456789012:table/Products", true,
			"User: arn:aws:sts::123456789012:assumed-role/R/session is not authorized to perform: dynamodb:DeleteTable on resource: arn:aws:dynamodb:us-east-1:123456789012:table/Products with an explicit deny in an identity-based policy"},
		{"index", "arn:aws:sts::1234567890:assumed-role/NodeRole/i-085482f0c0bae4f88", "dynamodb:Query", "arn:aws:dynamodb:us-east-1:1234567890:table/eks-workshop-carts/index/idx_global_customerId", false,
			"User: arn:aws:sts::1234567890:assumed-role/NodeRole/i-085482f0c0bae4f88 is not authorized to perform: dynamodb:Query on resource: arn:aws:dynamodb:us-east-1:1234567890:table/eks-workshop-carts/index/idx_global_customerId because no identity-based policy allows the dynamodb:Query action"},
		{"no resource", "arn:aws:iam::123456789012:user/MaryMajor", "codecommit:ListRepositories", "", false,
			"User: arn:aws:iam::123456789012:user/MaryMajor is not authorized to perform: codecommit:ListRepositories because no identity-based policy allows the codecommit:ListRepositories action"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := localiam.AccessDeniedMessage(tc.principal, tc.action, tc.resource, tc.explicit)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("AccessDeniedMessage mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestEvaluateConcurrent shares one Policy among goroutines, as a service
// does; run with -race.
func TestEvaluateConcurrent(t *testing.T) {
	p := parsed["cognitoItems"]
	done := make(chan localiam.Decision)
	for i := range 8 {
		go func() {
			id := sub
			if i%2 == 1 {
				id = "us-east-1:other"
			}
			var d localiam.Decision
			for range 100 {
				d = localiam.Evaluate(localiam.Request{
					Action:    "dynamodb:GetItem",
					Resource:  myTable,
					Context:   ctx("dynamodb:LeadingKeys", id),
					Variables: map[string]string{"cognito-identity.amazonaws.com:sub": id},
				}, p)
			}
			done <- d
		}()
	}
	for range 8 {
		if d := <-done; !d.Allowed {
			t.Errorf("Evaluate = %+v, want allowed", d)
		}
	}
}
