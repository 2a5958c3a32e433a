package localiam

import "fmt"

// A Request is what a service asks IAM about: may the caller perform
// Action on Resource, given the request's context?
type Request struct {
	// Action is the IAM action, service prefix and name, such as
	// "dynamodb:GetItem". It is matched without regard to case.
	Action string
	// Resource is the ARN of the resource acted upon, such as
	// "arn:aws:dynamodb:us-east-1:123456789012:table/Products/index/ByName".
	// It is matched with regard to case. Actions that act on no particular
	// resource use "*".
	Resource string
	// Context holds the request's condition keys and their values, such
	// as "dynamodb:LeadingKeys": {"us-east-1:0e6d…"}, "dynamodb:Attributes":
	// {"Name", "Price"}, "dynamodb:Select": {"SPECIFIC_ATTRIBUTES"} or
	// "aws:SourceIp": {"203.0.113.7"}. Key names are case-insensitive, as
	// in AWS. A key that is absent, or present with no values, is missing;
	// a key with several values is what AWS calls multivalued.
	Context map[string][]string
	// Variables holds the values of policy variables, such as
	// "aws:username" or "cognito-identity.amazonaws.com:sub", without the
	// ${ }. Names are case-insensitive. Variables and Context share one
	// namespace, as in AWS: a variable may also come from a Context key
	// with one value, and a condition key may also come from Variables.
	Variables map[string]string
}

// A Decision is the outcome of [Evaluate].
type Decision struct {
	// Allowed reports whether the request may proceed.
	Allowed bool
	// Reason explains the decision: "explicitly denied by statement X",
	// "allowed by statement X" or "no statement allows".
	Reason string
	// Statement names the statement that decided: its Sid, or its place,
	// such as "Statement[2]", or "Policy[1].Statement[0]" when Evaluate was
	// given several policies. It is empty when no statement allows.
	Statement string
}

// ExplicitDeny reports whether a Deny statement decided, which is what
// [AccessDeniedMessage] needs to know.
func (d Decision) ExplicitDeny() bool { return !d.Allowed && d.Statement != "" }

// Evaluate decides req against the identity-based policies of the
// caller, as AWS does: by default a request is denied; a statement that
// applies with Effect Allow allows it; a statement that applies with
// Effect Deny denies it whatever else allows it. A statement applies when
// its Action (or NotAction), its Resource (or NotResource) and every one of
// its conditions match the request. Nil policies are skipped.
//
// When several statements apply, the Decision names the first Deny, or
// else the first Allow, in the order of policies and statements.
func Evaluate(req Request, policies ...*Policy) Decision {
	var allow *statement
	allowPolicy := 0
	for pi, p := range policies {
		if p == nil {
			continue
		}
		for si := range p.statements {
			st := &p.statements[si]
			if !st.applies(&req) {
				continue
			}
			if st.deny {
				return st.decide(pi, len(policies))
			}
			if allow == nil {
				allow, allowPolicy = st, pi
			}
		}
	}
	if allow == nil {
		return Decision{Reason: "no statement allows"}
	}
	return allow.decide(allowPolicy, len(policies))
}

// decide is the Decision of a statement that applies, the policy-th of
// policies.
func (st *statement) decide(policy, policies int) Decision {
	d := Decision{Allowed: !st.deny, Reason: st.reason, Statement: st.label}
	if st.sid == "" && policies > 1 {
		// Name the policy too: "Statement[0]" alone would be ambiguous.
		d.Statement = fmt.Sprintf("Policy[%d].%s", policy, st.label)
		d.Reason = "allowed by statement " + d.Statement
		if st.deny {
			d.Reason = "explicitly denied by statement " + d.Statement
		}
	}
	return d
}

func (st *statement) applies(req *Request) bool {
	return st.matchAction(req.Action) && st.matchResource(req) && st.matchConditions(req)
}

func (st *statement) matchAction(action string) bool {
	for i := range st.actions {
		if st.actions[i].match(action, true) {
			return !st.notAction
		}
	}
	return st.notAction
}

// matchResource matches Resource or NotResource. An entry that names a
// policy variable the request lacks matches no resource; in NotResource it
// makes the statement not apply, as such a variable "causes the statement
// to be invalid".
func (st *statement) matchResource(req *Request) bool {
	for i := range st.resources {
		r := &st.resources[i]
		if r.all {
			return !st.notRes
		}
		g := &r.glob
		if r.vars {
			p, ok := r.tmpl.pattern(req)
			if !ok {
				if st.notRes {
					return false
				}
				continue
			}
			resolved := p.resourceARN().compile()
			g = &resolved
		}
		if g.match(req.Resource, false) {
			return !st.notRes
		}
	}
	return st.notRes
}

// matchConditions ANDs the conditions: "If your policy statement has
// multiple condition operators, the condition operators are evaluated using
// a logical AND", and so are several keys under one operator.
func (st *statement) matchConditions(req *Request) bool {
	for i := range st.conditions {
		if !st.conditions[i].eval(req) {
			return false
		}
	}
	return true
}
