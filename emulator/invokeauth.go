package emulator

import (
	"crypto/sha256"
	"encoding/base32"
	"errors"
	"net/http"
	"strings"

	"github.com/faasport/faasport/adapter"
	"github.com/faasport/faasport/emulator/localgateway"
	"github.com/faasport/faasport/emulator/localiam"
	"github.com/faasport/faasport/verify"
)

// authorizeInvoke is the Authorize function of the emulator's
// IAMAuthorizers: the request must be signed for execute-api with
// credentials the emulator issued (or an Admin key), and the caller's
// role policies must allow execute-api:Invoke on methodARN.
func (e *Emulator) authorizeInvoke(r *http.Request, methodARN string) (*adapter.IAMIdentity, error) {
	if r.Header.Get("Authorization") == "" {
		return nil, &localgateway.IAMDenial{Code: "MissingAuthenticationTokenException", Message: "Missing Authentication Token"}
	}
	v, err := e.invokeSigV4.Verify(r)
	if err != nil {
		var se *verify.SigV4Error
		if !errors.As(err, &se) || errors.Is(err, verify.ErrCredentialStore) {
			return nil, err
		}
		if errors.Is(err, verify.ErrUnsigned) {
			return nil, &localgateway.IAMDenial{Code: "MissingAuthenticationTokenException", Message: "Missing Authentication Token"}
		}
		return nil, &localgateway.IAMDenial{Code: se.Code, Message: se.Message}
	}
	c := callerOf(v)
	if !c.admin {
		denied := " is not authorized to perform: execute-api:Invoke on resource: " + methodARN
		if c.role == "" {
			return nil, &localgateway.IAMDenial{Code: "AccessDeniedException", Message: "User: anonymous" + denied}
		}
		d := localiam.Evaluate(localiam.Request{Action: "execute-api:Invoke", Resource: methodARN,
			Context: e.globalKeys(r, c), Variables: c.vars}, e.policies[c.role]...)
		if !d.Allowed {
			if d.ExplicitDeny() {
				denied += " with an explicit deny"
			}
			return nil, &localgateway.IAMDenial{Code: "AccessDeniedException", Message: "User: " + c.principal + denied}
		}
	}
	return e.identityOf(v, c), nil
}

// identityOf describes a verified caller as API Gateway does to the
// integration.
func (e *Emulator) identityOf(v *verify.Caller, c caller) *adapter.IAMIdentity {
	id := &adapter.IAMIdentity{AccessKey: v.AccessKeyID, AccountID: e.opts.AccountID}
	if c.admin {
		// The account itself: its id is its user id.
		id.UserID, id.UserARN = e.opts.AccountID, c.principal
		return id
	}
	id.UserID, id.UserARN = roleID(c.role)+":"+c.session, c.principal
	if p := c.cognito; p != nil {
		id.CognitoIdentityID, id.CognitoIdentityPoolID = p.IdentityID, p.IdentityPoolID
		id.CognitoAuthenticationType = "unauthenticated"
		if p.Authenticated {
			id.CognitoAuthenticationType = "authenticated"
		}
		id.CognitoAMR = []string{id.CognitoAuthenticationType}
	}
	return id
}

// roleID is a role's unique id, as IAM gives one to each role: "AROA" and
// 17 characters, here derived from the role's ARN so that it stays the
// same across runs.
func roleID(roleARN string) string {
	sum := sha256.Sum256([]byte(roleARN))
	return "AROA" + strings.ToUpper(base32.StdEncoding.EncodeToString(sum[:]))[:17]
}
