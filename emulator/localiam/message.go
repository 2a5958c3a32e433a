package localiam

// AccessDeniedMessage returns the message of the AccessDeniedException (or
// AccessDenied) error that an AWS service gives when identity-based
// policies deny principalARN the action on resource:
//
//	User: arn:aws:sts::123456789012:assumed-role/R/session is not authorized to perform: dynamodb:GetItem on resource: arn:aws:dynamodb:us-east-1:123456789012:table/Products because no identity-based policy allows the dynamodb:GetItem action
//
// when no statement allows it (an implicit deny), and, when a Deny
// statement applies (explicit, as [Decision.ExplicitDeny] reports):
//
//	User: … is not authorized to perform: dynamodb:GetItem on resource: … with an explicit deny in an identity-based policy
//
// These are the formats the IAM User Guide documents ("User user is not
// authorized to perform action on resource because context") and that
// DynamoDB's AccessDeniedException carries. An empty resource leaves out
// " on resource: …", as AWS does for actions on no particular resource.
func AccessDeniedMessage(principalARN, action, resource string, explicit bool) string {
	msg := "User: " + principalARN + " is not authorized to perform: " + action
	if resource != "" {
		msg += " on resource: " + resource
	}
	if explicit {
		return msg + " with an explicit deny in an identity-based policy"
	}
	return msg + " because no identity-based policy allows the " + action + " action"
}
