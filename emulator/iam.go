package emulator

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"

	"github.com/faasport/faasport/emulator/localcognito"
	"github.com/faasport/faasport/emulator/localdynamo"
	"github.com/faasport/faasport/emulator/localiam"
	"github.com/faasport/faasport/emulator/locallambda"
	"github.com/faasport/faasport/verify"
)

type callerKey struct{}

// parseRoles parses the policies of Options.Roles.
func parseRoles(roles map[string][]string) (map[string][]*localiam.Policy, error) {
	out := make(map[string][]*localiam.Policy, len(roles))
	for arn, docs := range roles {
		if !strings.HasPrefix(arn, "arn:aws:iam::") || !strings.Contains(arn, ":role/") {
			return nil, fmt.Errorf("emulator: role %q is not a role ARN (arn:aws:iam::<account>:role/<name>)", arn)
		}
		for i, doc := range docs {
			p, err := localiam.Parse([]byte(doc))
			if err != nil {
				return nil, fmt.Errorf("emulator: role %s, policy %d: %w", arn, i, err)
			}
			out[arn] = append(out[arn], p)
		}
	}
	return out, nil
}

// enforceIAM reports whether the product store checks signatures and
// policies.
func (e *Emulator) enforceIAM() bool { return e.opts.Roles != nil }

// verifyStoreRequest checks a DynamoDB request's SigV4 signature and puts
// its caller on the request's context. On failure it answers with the
// error DynamoDB gives and returns nil.
func (e *Emulator) verifyStoreRequest(w http.ResponseWriter, r *http.Request) *http.Request {
	caller, err := e.sigv4.Verify(r)
	if err != nil {
		code, msg := "AccessDeniedException", err.Error()
		if se := (*verify.SigV4Error)(nil); errors.As(err, &se) && se.Code != "" {
			code, msg = se.Code, se.Message
		}
		allowOrigin(w, r) // as the store's own answers: a browser may read the error
		w.Header().Set("Content-Type", "application/x-amz-json-1.0")
		w.Header().Set("x-amzn-ErrorType", code)
		w.WriteHeader(http.StatusBadRequest)
		body, _ := json.Marshal(map[string]string{"__type": "com.amazon.coral.service#" + code, "message": msg})
		_, _ = w.Write(body)
		return nil
	}
	return r.WithContext(context.WithValue(r.Context(), callerKey{}, caller))
}

// authorizeLambda decides a request to the Lambda Invoke API, naming the
// function resource, by its SigV4 signature and the caller's role's
// policies (lambda:InvokeFunction), with the errors Lambda answers.
func (e *Emulator) authorizeLambda(r *http.Request, resource string) *locallambda.InvokeError {
	denied := func(code, msg string) *locallambda.InvokeError {
		return &locallambda.InvokeError{StatusCode: http.StatusForbidden, Type: code, Message: msg}
	}
	if r.Header.Get("Authorization") == "" {
		return denied("MissingAuthenticationTokenException", "Missing Authentication Token")
	}
	v, err := e.lambdaSigV4.Verify(r)
	if err != nil {
		var se *verify.SigV4Error
		switch {
		case !errors.As(err, &se) || errors.Is(err, verify.ErrCredentialStore):
			return &locallambda.InvokeError{StatusCode: http.StatusInternalServerError, Type: locallambda.ServiceException, Message: err.Error()}
		case errors.Is(err, verify.ErrUnsigned):
			return denied("MissingAuthenticationTokenException", "Missing Authentication Token")
		}
		return denied(se.Code, se.Message)
	}
	c := callerOf(v)
	if c.admin {
		return nil
	}
	const action = "lambda:InvokeFunction"
	principal, reason := "anonymous", "because no identity-based policy allows the "+action+" action"
	if c.role != "" {
		principal = c.principal
		d := localiam.Evaluate(localiam.Request{
			Action:    action,
			Resource:  resource,
			Context:   e.globalKeys(r, c),
			Variables: c.vars,
		}, e.policies[c.role]...)
		if d.Allowed {
			return nil
		}
		if d.ExplicitDeny() {
			reason = "with an explicit deny in an identity-based policy"
		}
	}
	return denied(locallambda.AccessDeniedException,
		"User: "+principal+" is not authorized to perform: "+action+" on resource: "+resource+" "+reason)
}

// authorizeStore decides each access to the product store by the
// caller's role's policies.
func (e *Emulator) authorizeStore(ctx context.Context, a *localdynamo.Access) error {
	var caller *verify.Caller
	if a.Request != nil {
		caller, _ = a.Request.Context().Value(callerKey{}).(*verify.Caller)
	}
	if caller == nil {
		caller, _ = ctx.Value(callerKey{}).(*verify.Caller)
	}
	if caller == nil {
		return &localdynamo.AccessDeniedError{
			Principal: "anonymous",
			Reason:    "because the request was not signed with credentials the emulator issued",
		}
	}
	c := callerOf(caller)
	switch {
	case c.admin:
		return nil
	case c.role == "":
		return &localdynamo.AccessDeniedError{Reason: "because the caller has no role"}
	}
	role, principal, vars := c.role, c.principal, c.vars
	keys := e.globalKeys(a.Request, c)
	keys["dynamodb:LeadingKeys"] = a.LeadingKeys
	keys["dynamodb:Attributes"] = a.Attributes
	keys["dynamodb:Select"] = nonEmpty(a.Select)
	keys["dynamodb:ReturnValues"] = nonEmpty(a.ReturnValues)
	keys["dynamodb:ReturnConsumedCapacity"] = nonEmpty(a.ReturnConsumedCapacity)
	keys["dynamodb:EnclosingOperation"] = nonEmpty(a.EnclosingOperation)
	d := localiam.Evaluate(localiam.Request{
		Action:    a.Action,
		Resource:  a.Resource,
		Context:   keys,
		Variables: vars,
	}, e.policies[role]...)
	if d.Allowed {
		return nil
	}
	reason := "because no identity-based policy allows the " + a.Action + " action"
	if d.ExplicitDeny() {
		reason = "with an explicit deny in an identity-based policy"
	}
	return &localdynamo.AccessDeniedError{Principal: principal, Reason: reason}
}

// caller is who signed a request, as IAM decides about it.
type caller struct {
	admin     bool              // an administrator key: allowed everything
	role      string            // the role the caller acts in; "" for none
	principal string            // the caller's ARN in AWS's messages
	vars      map[string]string // the policy variables of the caller
	session   string            // the role session's name
	cognito   *localcognito.Principal
}

// callerOf resolves the principal of a verified request.
func callerOf(v *verify.Caller) caller {
	switch p := v.Principal.(type) {
	case *localcognito.Principal:
		if p.Admin {
			return caller{admin: true, principal: p.RoleARN, cognito: p}
		}
		vars := p.PolicyVariables()
		// aws:userid of a role session is the role's unique id and the
		// session's name, as IAM gives it.
		vars["aws:userid"] = roleID(p.RoleARN) + ":CognitoIdentityCredentials"
		return caller{role: p.RoleARN, principal: assumedRole(p.RoleARN, "CognitoIdentityCredentials"),
			vars: vars, session: "CognitoIdentityCredentials", cognito: p}
	case *RoleCaller:
		return caller{role: p.RoleARN, principal: assumedRole(p.RoleARN, "faasport"),
			vars: map[string]string{"aws:userid": roleID(p.RoleARN) + ":faasport"}, session: "faasport"}
	}
	return caller{}
}

// globalKeys returns the global condition keys IAM puts in the context
// of every request ("AWS global condition context keys": those the IAM
// guide says are always present, and the principal's), for a request r
// (nil when there is none) by caller c.
func (e *Emulator) globalKeys(r *http.Request, c caller) map[string][]string {
	now := e.opts.Clock.Now().UTC()
	keys := map[string][]string{
		"aws:CurrentTime":      {now.Format("2006-01-02T15:04:05Z")},
		"aws:EpochTime":        {strconv.FormatInt(now.Unix(), 10)},
		"aws:PrincipalAccount": {e.opts.AccountID},
		"aws:PrincipalArn":     {c.role},
		"aws:PrincipalType":    {"AssumedRole"},
		"aws:userid":           {roleID(c.role) + ":" + c.session},
	}
	if r != nil {
		keys["aws:SecureTransport"] = []string{strconv.FormatBool(r.TLS != nil)}
		if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
			keys["aws:SourceIp"] = []string{host}
		}
	}
	return keys
}

func nonEmpty(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}

// assumedRole is the STS ARN of a session of role.
func assumedRole(roleARN, session string) string {
	acct, name := "", roleARN
	if rest, ok := strings.CutPrefix(roleARN, "arn:aws:iam::"); ok {
		acct, name, _ = strings.Cut(rest, ":role/")
	}
	if i := strings.LastIndexByte(name, '/'); i >= 0 {
		name = name[i+1:]
	}
	return "arn:aws:sts::" + acct + ":assumed-role/" + name + "/" + session
}
