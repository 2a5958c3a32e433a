// Package localiam is a local evaluator of AWS IAM identity policies, as
// AWS evaluates them, for the emulator's services: a local DynamoDB checks
// each request of a Cognito identity against the policy of the identity
// pool's role, with the fine-grained access keys dynamodb:LeadingKeys,
// dynamodb:Attributes, dynamodb:Select and dynamodb:ReturnValues, and
// answers a denied request with AWS's AccessDeniedException text.
//
// [Parse] reads a JSON policy document and refuses, with a [*PolicyError]
// carrying IAM's MalformedPolicyDocument message, what IAM refuses.
// [Evaluate] decides a [Request] against one or more policies and says
// which statement decided. [AccessDeniedMessage] words the denial.
//
// It follows the IAM User Guide ("Policy evaluation logic", "IAM JSON
// policy elements", "Condition operators", "Conditions with multiple
// context keys or values", "IAM policy elements: Variables and tags") and
// the DynamoDB Developer Guide ("Using IAM policy conditions for
// fine-grained access control"):
//
//   - An explicit Deny wins over any Allow; without an applicable Allow a
//     request is denied.
//   - Actions match without regard to case, resources with regard to it;
//     both take the wildcards '*' (any run of characters) and '?' (one
//     character). In a resource ARN wildcards stay within a colon-separated
//     segment, except in the resource part and for a '*' that ends a
//     segment, as the guide describes; so table/Products* also matches the
//     indexes of table Products, and table/Products does not.
//   - Conditions: every operator and every key must hold (AND); the values
//     listed for one key are alternatives (OR), and for a negated operator
//     none may match (NOR). A missing key fails a condition, except for
//     negated operators, ...IfExists, ForAllValues (which holds for a
//     missing or empty key) and Null. ForAnyValue needs one matching value.
//   - In policies of version 2012-10-17, ${name} and ${name, 'default'} are
//     replaced by the request's values in Resource entries and in the
//     values of String, Arn and Bool conditions; ${*}, ${?} and ${$} stand
//     for the characters themselves. A variable without a value and without
//     a default matches nothing.
//
// # Differences from AWS
//
//   - Only identity-based policies are evaluated: there are no
//     resource-based policies, permissions boundaries, service control
//     policies or session policies, and no Principal element. The root
//     user has no special standing.
//   - Parse checks what IAM documents and what its errors are known to
//     say, not everything IAM checks: it does not know which services,
//     actions, resource types and condition keys exist, nor their types,
//     and it enforces no size limits. It accepts Version 2008-10-17 and a
//     missing Version (the language without policy variables); IAM's
//     CreatePolicy insists on 2012-10-17 for managed policies. Of a
//     document's problems it reports the one IAM does, as moto's validator
//     (checked against IAM) orders them: syntax, legacy parsing, statement
//     ids, missing actions, missing resources, resources out of ARN
//     format, action prefixes. Dates in conditions are checked as ISO 8601
//     or epoch times, which is stricter than IAM for some odd forms and
//     laxer for others; white space before the document is accepted.
//   - AWS knows which context keys are multivalued; here a key is
//     multivalued when the request gives it several values. AWS wants
//     ForAllValues or ForAnyValue for such keys; without one, a positive
//     operator here holds if any value matches and a negated one if none
//     does.
//   - Policy variables are replaced anywhere in a resource, where AWS
//     allows them only in the resource part, after the fifth colon. Their
//     values are matched literally, never as wildcards. A NotResource entry
//     or a negated condition whose variable has no value makes its
//     statement not apply, after AWS's "causes the entire statement to be
//     invalid".
//   - When several statements apply, the Decision names the first Deny or
//     Allow in document order; AWS does not say which one it would blame.
//     AWS may append the denying policy's ARN to an explicit-deny message;
//     AccessDeniedMessage does not.
package localiam
