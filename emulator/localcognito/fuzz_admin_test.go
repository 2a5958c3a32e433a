package localcognito_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/google/go-cmp/cmp"

	"github.com/faasport/faasport/emulator/clock"
	"github.com/faasport/faasport/emulator/localcognito"
	"github.com/faasport/faasport/verify"
)

// adminErrors are the administrative operations with the error types
// the Cognito API reference lists for each. Any of them may also answer
// SerializationException, the JSON protocol's error for a body it
// cannot read.
var adminErrors = map[string][]string{
	"AdminCreateUser": {"CodeDeliveryFailureException", "InvalidLambdaResponseException", "InvalidParameterException",
		"InvalidPasswordException", "InvalidSmsRoleAccessPolicyException", "InvalidSmsRoleTrustRelationshipException",
		"NotAuthorizedException", "PreconditionNotMetException", "ResourceNotFoundException", "TooManyRequestsException",
		"UnexpectedLambdaException", "UnsupportedUserStateException", "UserLambdaValidationException",
		"UsernameExistsException", "UserNotFoundException"},
	"AdminGetUser":    {"InvalidParameterException", "NotAuthorizedException", "ResourceNotFoundException", "TooManyRequestsException", "UserNotFoundException"},
	"AdminDeleteUser": {"InvalidParameterException", "NotAuthorizedException", "ResourceNotFoundException", "TooManyRequestsException", "UserNotFoundException"},
	"AdminConfirmSignUp": {"InvalidLambdaResponseException", "InvalidParameterException", "LimitExceededException",
		"NotAuthorizedException", "ResourceNotFoundException", "TooManyFailedAttemptsException", "TooManyRequestsException",
		"UnexpectedLambdaException", "UserLambdaValidationException", "UserNotFoundException"},
	"AdminSetUserPassword": {"InvalidParameterException", "InvalidPasswordException", "NotAuthorizedException",
		"PasswordHistoryPolicyViolationException", "ResourceNotFoundException", "TooManyRequestsException", "UserNotFoundException"},
	"AdminAddUserToGroup":      {"InvalidParameterException", "NotAuthorizedException", "ResourceNotFoundException", "TooManyRequestsException", "UserNotFoundException"},
	"AdminRemoveUserFromGroup": {"InvalidParameterException", "NotAuthorizedException", "ResourceNotFoundException", "TooManyRequestsException", "UserNotFoundException"},
	"CreateGroup":              {"GroupExistsException", "InvalidParameterException", "LimitExceededException", "NotAuthorizedException", "ResourceNotFoundException", "TooManyRequestsException"},
	"ListUsers":                {"InvalidParameterException", "NotAuthorizedException", "ResourceNotFoundException", "TooManyRequestsException"},
	"AdminInitiateAuth": {"InternalErrorException", "InvalidEmailRoleAccessPolicyException", "InvalidLambdaResponseException",
		"InvalidParameterException", "InvalidSmsRoleAccessPolicyException", "InvalidSmsRoleTrustRelationshipException",
		"InvalidUserPoolConfigurationException", "MFAMethodNotFoundException", "NotAuthorizedException", "PasswordResetRequiredException",
		"ResourceNotFoundException", "TooManyRequestsException", "UnexpectedLambdaException", "UnsupportedOperationException",
		"UserLambdaValidationException", "UserNotConfirmedException", "UserNotFoundException"},
	"AdminRespondToAuthChallenge": {"AliasExistsException", "CodeMismatchException", "ExpiredCodeException", "InternalErrorException",
		"InvalidEmailRoleAccessPolicyException", "InvalidLambdaResponseException", "InvalidParameterException", "InvalidPasswordException",
		"InvalidSmsRoleAccessPolicyException", "InvalidSmsRoleTrustRelationshipException", "InvalidUserPoolConfigurationException",
		"MFAMethodNotFoundException", "NotAuthorizedException", "PasswordHistoryPolicyViolationException", "PasswordResetRequiredException",
		"ResourceNotFoundException", "SoftwareTokenMFANotFoundException", "TooManyRequestsException", "UnexpectedLambdaException",
		"UserLambdaValidationException", "UserNotConfirmedException", "UserNotFoundException"},
	"AdminDisableUser": {"InvalidParameterException", "NotAuthorizedException", "ResourceNotFoundException", "TooManyRequestsException", "UserNotFoundException"},
	"AdminEnableUser":  {"InvalidParameterException", "NotAuthorizedException", "ResourceNotFoundException", "TooManyRequestsException", "UserNotFoundException"},
	"InitiateAuth": {"ForbiddenException", "InternalErrorException", "InvalidEmailRoleAccessPolicyException", "InvalidLambdaResponseException",
		"InvalidParameterException", "InvalidSmsRoleAccessPolicyException", "InvalidSmsRoleTrustRelationshipException",
		"InvalidUserPoolConfigurationException", "NotAuthorizedException", "PasswordResetRequiredException",
		"ResourceNotFoundException", "TooManyRequestsException", "UnexpectedLambdaException", "UnsupportedOperationException",
		"UserLambdaValidationException", "UserNotConfirmedException", "UserNotFoundException"},
}

// adminOpNames are the keys of adminErrors that FuzzAdminRequest picks
// from, in a fixed order.
var adminOpNames = []string{
	"AdminCreateUser", "AdminGetUser", "AdminDeleteUser", "AdminConfirmSignUp", "AdminSetUserPassword",
	"AdminAddUserToGroup", "AdminRemoveUserFromGroup", "CreateGroup", "ListUsers",
	"AdminInitiateAuth", "AdminRespondToAuthChallenge", "AdminDisableUser", "AdminEnableUser",
}

// reply is a response of the service.
type reply struct {
	status int
	header http.Header
	body   []byte
}

// apiCaller sends JSON 1.1 requests to a service's handler in-process,
// signed with SigV4 by the administrator key at the clock's time.
type apiCaller struct {
	h     http.Handler
	clock *clock.Fake
}

func (c *apiCaller) call(t testing.TB, op string, body []byte) reply {
	t.Helper()
	return c.callTarget(t, "AWSCognitoIdentityProviderService."+op, body)
}

// callTarget is call with the whole X-Amz-Target.
func (c *apiCaller) callTarget(t testing.TB, target string, body []byte) reply {
	t.Helper()
	r := httptest.NewRequest(http.MethodPost, "http://cognito-idp.us-east-1.amazonaws.com/", bytes.NewReader(body))
	r.Header.Set("Content-Type", "application/x-amz-json-1.1")
	r.Header.Set("X-Amz-Target", target)
	sum := sha256.Sum256(body)
	creds := aws.Credentials{AccessKeyID: adminKeyID, SecretAccessKey: adminSecret}
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, r, hex.EncodeToString(sum[:]), "cognito-idp", "us-east-1", c.clock.Now()); err != nil {
		t.Fatal(err)
	}
	w := httptest.NewRecorder()
	c.h.ServeHTTP(w, r)
	return reply{status: w.Code, header: w.Header(), body: w.Body.Bytes()}
}

// callJSON marshals in, calls op, and fails the test unless the call
// succeeds; it decodes the answer into out, if not nil.
func (c *apiCaller) callJSON(t testing.TB, op string, in, out any) {
	t.Helper()
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	rep := c.call(t, op, b)
	if rep.status != http.StatusOK {
		t.Fatalf("%s %s: status %d: %s", op, b, rep.status, rep.body)
	}
	if out != nil {
		if err := json.Unmarshal(rep.body, out); err != nil {
			t.Fatalf("%s %s: answer %s: %v", op, b, rep.body, err)
		}
	}
}

// checkReply checks the form of a response: 200 with a JSON object, or
// 400 with __type (one of allowed or SerializationException) and message
// in the body and the same type in x-amzn-ErrorType. It returns the
// error type, "" for success.
func checkReply(t testing.TB, what string, rep reply, allowed []string) string {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(rep.body, &m); err != nil || m == nil {
		t.Fatalf("%s: status %d, body %q is not a JSON object", what, rep.status, rep.body)
	}
	switch rep.status {
	case http.StatusOK:
		return ""
	case http.StatusBadRequest:
	default:
		t.Fatalf("%s: status %d: %s", what, rep.status, rep.body)
	}
	typ, _ := m["__type"].(string)
	msg, _ := m["message"].(string)
	if typ == "" || msg == "" {
		t.Fatalf("%s: error without __type or message: %s", what, rep.body)
	}
	if h, _, _ := strings.Cut(rep.header.Get("X-Amzn-Errortype"), ":"); h != typ {
		t.Fatalf("%s: x-amzn-ErrorType %q, body's __type %q", what, rep.header.Get("X-Amzn-Errortype"), typ)
	}
	if typ != "SerializationException" && !slices.Contains(allowed, typ) {
		t.Fatalf("%s: error %s (%s) is not one AWS documents for the operation", what, typ, msg)
	}
	return typ
}

// wireUser is a user as ListUsers (Attributes) and AdminGetUser
// (UserAttributes) answer with it.
type wireUser struct {
	Username             string
	Attributes           []wireAttr
	UserAttributes       []wireAttr
	UserCreateDate       float64
	UserLastModifiedDate float64
	Enabled              bool
	UserStatus           string
}

type wireAttr struct {
	Name  string
	Value *string
}

// attrs returns the user's attributes by name.
func (u wireUser) attrs() map[string]string {
	m := map[string]string{}
	for _, a := range append(slices.Clone(u.Attributes), u.UserAttributes...) {
		m[a.Name] = aws.ToString(a.Value)
	}
	return m
}

// comparable returns the user with its attributes in one field, so that
// a ListUsers entry and an AdminGetUser answer compare equal.
func (u wireUser) comparable() wireUser {
	u.Attributes = append(slices.Clone(u.Attributes), u.UserAttributes...)
	u.UserAttributes = nil
	slices.SortFunc(u.Attributes, func(a, b wireAttr) int { return strings.Compare(a.Name, b.Name) })
	return u
}

type listUsersInput struct {
	UserPoolId      string
	Filter          string `json:",omitempty"`
	Limit           *int32 `json:",omitempty"`
	PaginationToken string `json:",omitempty"`
}

type listUsersOutput struct {
	Users           []wireUser
	PaginationToken *string
}

// listAll pages through ListUsers with filter and limit, failing the test
// on an error or a page larger than the limit, or when the pages do not
// end.
func (c *apiCaller) listAll(t testing.TB, filter string, limit int32, token string) []wireUser {
	t.Helper()
	var all []wireUser
	in := listUsersInput{UserPoolId: testPool, Filter: filter, PaginationToken: token}
	if limit != 0 {
		in.Limit = &limit
	}
	for range 1000 {
		var out listUsersOutput
		c.callJSON(t, "ListUsers", in, &out)
		if max := cmpOr(int(limit), 60); len(out.Users) > max {
			t.Fatalf("ListUsers(%+v) returned %d users, over the limit", in, len(out.Users))
		}
		all = append(all, out.Users...)
		if out.PaginationToken == nil {
			return all
		}
		if *out.PaginationToken == "" || *out.PaginationToken == in.PaginationToken {
			t.Fatalf("ListUsers(%+v) answered with pagination token %q", in, *out.PaginationToken)
		}
		in.PaginationToken = *out.PaginationToken
	}
	t.Fatalf("ListUsers(%q, %d) did not end after 1000 pages", filter, limit)
	return nil
}

func cmpOr(v, def int) int {
	if v == 0 {
		return def
	}
	return v
}

// getUser calls AdminGetUser; it returns the user, or the error type.
func (c *apiCaller) getUser(t testing.TB, username string) (wireUser, string) {
	t.Helper()
	b, _ := json.Marshal(map[string]string{"UserPoolId": testPool, "Username": username})
	rep := c.call(t, "AdminGetUser", b)
	if typ := checkReply(t, "AdminGetUser "+string(b), rep, adminErrors["AdminGetUser"]); typ != "" {
		return wireUser{}, typ
	}
	var u wireUser
	if err := json.Unmarshal(rep.body, &u); err != nil {
		t.Fatalf("AdminGetUser %s: %s: %v", b, rep.body, err)
	}
	return u, ""
}

// adminFixture is a service for FuzzAdminRequest with users and groups.
type adminFixture struct {
	svc *localcognito.Service
	c   *apiCaller

	groups  map[string]bool // the pool's groups
	current []wireUser      // every user, as ListUsers last answered
}

// fixtureUser is a user of the admin fixture.
type fixtureUser struct {
	name, email string
	groups      []string
	permanent   bool // a permanent password (CONFIRMED); else a temporary one
}

// fixtureUsers are the admin fixture's users, recreated when a request
// deletes them.
var fixtureUsers = []fixtureUser{
	{"alice", "alice@example.com", []string{"staff"}, true},
	{"bob", "bob@example.org", []string{"customers"}, true},
	{"carol", "", nil, false},
	{"Dave", "dave@example.com", []string{"staff", "customers"}, true},
}

const fixturePassword = "Fixture-Passw0rd"

// openFixtureService opens an in-memory service on a fake clock, closed
// with t.
func openFixtureService(t testing.TB) (*localcognito.Service, *clock.Fake) {
	fc := clock.NewFake(time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC))
	svc, err := localcognito.Open("", testOptions(t, fc, &codeBox{m: map[string]string{}}))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { svc.Close() })
	return svc, fc
}

func newAdminFixture(t testing.TB) *adminFixture {
	svc, fc := openFixtureService(t)
	fx := &adminFixture{svc: svc, c: &apiCaller{h: svc.Handler(), clock: fc}, groups: map[string]bool{"staff": true, "customers": true}}
	fx.restore(t)
	fx.current = fx.c.listAll(t, "", 0, "")
	return fx
}

// restore creates the fixture's users that fx.current lacks, and
// reports whether it created any.
func (fx *adminFixture) restore(t testing.TB) bool {
	t.Helper()
	created := false
	for _, fu := range fixtureUsers {
		if slices.ContainsFunc(fx.current, func(u wireUser) bool { return strings.EqualFold(u.Username, fu.name) }) {
			continue
		}
		created = true
		in := map[string]any{"UserPoolId": testPool, "Username": fu.name, "MessageAction": "SUPPRESS", "TemporaryPassword": fixturePassword}
		if fu.email != "" {
			in["UserAttributes"] = []map[string]string{{"Name": "email", "Value": fu.email}}
		}
		fx.c.callJSON(t, "AdminCreateUser", in, nil)
		if fu.permanent {
			fx.c.callJSON(t, "AdminSetUserPassword", map[string]any{"UserPoolId": testPool, "Username": fu.name,
				"Password": fixturePassword, "Permanent": true}, nil)
		}
		for _, g := range fu.groups {
			fx.c.callJSON(t, "AdminAddUserToGroup", map[string]any{"UserPoolId": testPool, "Username": fu.name, "GroupName": g}, nil)
		}
	}
	return created
}

// checkUsers checks that ListUsers and AdminGetUser agree: every user
// listed once, as AdminGetUser describes them, and every user that
// AdminGetUser finds by one of names or a fixture user's name listed. It
// leaves the listing in fx.current.
func (fx *adminFixture) checkUsers(t testing.TB, names ...string) {
	t.Helper()
	listed := fx.c.listAll(t, "", 0, "")
	byName := map[string]wireUser{}
	for _, u := range listed {
		if _, dup := byName[strings.ToLower(u.Username)]; dup {
			t.Fatalf("ListUsers lists %q twice", u.Username)
		}
		byName[strings.ToLower(u.Username)] = u
		got, typ := fx.c.getUser(t, u.Username)
		if typ != "" {
			t.Fatalf("ListUsers lists %q, AdminGetUser answers %s", u.Username, typ)
		}
		if diff := cmp.Diff(u.comparable(), got.comparable()); diff != "" {
			t.Fatalf("ListUsers and AdminGetUser differ on %q (-list +get):\n%s", u.Username, diff)
		}
	}
	for _, fu := range fixtureUsers {
		names = append(names, fu.name)
	}
	for _, name := range names {
		if name == "" {
			continue
		}
		got, typ := fx.c.getUser(t, name)
		switch typ {
		case "":
			if _, ok := byName[strings.ToLower(got.Username)]; !ok {
				t.Fatalf("AdminGetUser(%q) finds %q, which ListUsers does not list", name, got.Username)
			}
		case "UserNotFoundException", "InvalidParameterException":
		default:
			t.Fatalf("AdminGetUser(%q) = %s", name, typ)
		}
	}
	fx.current = listed
}

// checkSignIn signs in with a password set by AdminSetUserPassword and
// checks the ID token's claims against AdminGetUser.
func (fx *adminFixture) checkSignIn(t testing.TB, username, password string) {
	t.Helper()
	b, _ := json.Marshal(map[string]any{"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": testClient,
		"AuthParameters": map[string]string{"USERNAME": username, "PASSWORD": password}})
	rep := fx.c.call(t, "InitiateAuth", b)
	if typ := checkReply(t, "InitiateAuth "+string(b), rep, adminErrors["InitiateAuth"]); typ != "" {
		t.Fatalf("InitiateAuth after AdminSetUserPassword(%q, Permanent): %s", username, rep.body)
	}
	var out struct {
		AuthenticationResult *struct{ IdToken string }
		ChallengeName        string
	}
	if err := json.Unmarshal(rep.body, &out); err != nil || out.AuthenticationResult == nil {
		t.Fatalf("InitiateAuth after AdminSetUserPassword(%q, Permanent) = %s, want tokens", username, rep.body)
	}
	ctx := context.Background()
	claims, err := fx.svc.Verifier(testPool, []string{testClient}, verify.TokenUseID).Verify(ctx, out.AuthenticationResult.IdToken)
	if err != nil {
		t.Fatalf("ID token of %q does not verify: %v", username, err)
	}
	u, typ := fx.c.getUser(t, username)
	if typ != "" {
		t.Fatalf("AdminGetUser(%q) after sign-in: %s", username, typ)
	}
	want := map[string]any{
		"cognito:username": u.Username, "aud": testClient, "iss": fx.svc.Issuer(testPool), "token_use": "id",
	}
	for name, v := range u.attrs() {
		switch name {
		case "email_verified", "phone_number_verified":
			want[name] = v == "true"
		default:
			want[name] = v
		}
	}
	got := map[string]any{}
	for name := range want {
		got[name] = claims.Raw[name]
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("ID token of %q does not match AdminGetUser (-want +got):\n%s", username, diff)
	}
	if g, ok := claims.Raw["cognito:groups"]; ok {
		list, ok := g.([]any)
		if !ok || len(list) == 0 {
			t.Fatalf("ID token of %q: cognito:groups = %#v, want a list of groups", username, g)
		}
		for _, name := range list {
			if s, ok := name.(string); !ok || !fx.groups[s] {
				t.Fatalf("ID token of %q: cognito:groups holds %#v, not a group of the pool", username, name)
			}
		}
	}
}

// FuzzAdminRequest sends signed administrative requests with arbitrary
// bodies to a pool with users and groups. Every answer is 200 or an
// error AWS documents for the operation, in Cognito's error form. A user
// listing paged through across the request returns each user that exists
// before and after it exactly once; afterwards ListUsers and AdminGetUser
// agree, and a password set with Permanent (or, for a user just created,
// by the test) signs the user in, with an ID token that matches
// AdminGetUser.
func FuzzAdminRequest(f *testing.F) {
	seeds := []struct {
		op   string
		body string
	}{
		{"AdminCreateUser", `{"UserPoolId":"us-east-1_TestPool1","Username":"erin","UserAttributes":[{"Name":"email","Value":"erin@example.com"},{"Name":"email_verified","Value":"true"}],"MessageAction":"SUPPRESS"}`},
		{"AdminCreateUser", `{"UserPoolId":"us-east-1_TestPool1","Username":"Aaron","TemporaryPassword":"Temp-Passw0rd","UserAttributes":[{"Name":"given_name","Value":"Aaron"},{"Name":"custom:team","Value":"blue"}]}`},
		{"AdminCreateUser", `{"UserPoolId":"us-east-1_TestPool1","Username":"ALICE"}`},
		{"AdminCreateUser", `{"UserPoolId":"us-east-1_TestPool1","Username":"gus","UserAttributes":[{"Name":"cognito:groups","Value":"staff"}]}`},
		{"AdminCreateUser", `{"UserPoolId":"us-east-1_TestPool1","Username":"hal","UserAttributes":[{"Name":"aud","Value":"someone-else"}]}`},
		{"AdminCreateUser", `{"UserPoolId":"us-east-1_Nope","Username":"x"}`},
		{"AdminGetUser", `{"UserPoolId":"us-east-1_TestPool1","Username":"alice"}`},
		{"AdminGetUser", `{"UserPoolId":"us-east-1_TestPool1","Username":"DAVE"}`},
		{"AdminDeleteUser", `{"UserPoolId":"us-east-1_TestPool1","Username":"bob"}`},
		{"AdminDeleteUser", `{"UserPoolId":"us-east-1_TestPool1","Username":"alice"}`},
		{"AdminConfirmSignUp", `{"UserPoolId":"us-east-1_TestPool1","Username":"carol"}`},
		{"AdminSetUserPassword", `{"UserPoolId":"us-east-1_TestPool1","Username":"carol","Password":"Carols-Passw0rd","Permanent":true}`},
		{"AdminSetUserPassword", `{"UserPoolId":"us-east-1_TestPool1","Username":"ALICE","Password":"Another-Passw0rd!","Permanent":true}`},
		{"AdminSetUserPassword", `{"UserPoolId":"us-east-1_TestPool1","Username":"bob","Password":"weak","Permanent":false}`},
		{"AdminAddUserToGroup", `{"UserPoolId":"us-east-1_TestPool1","Username":"carol","GroupName":"staff"}`},
		{"AdminAddUserToGroup", `{"UserPoolId":"us-east-1_TestPool1","Username":"carol","GroupName":"nope"}`},
		{"AdminRemoveUserFromGroup", `{"UserPoolId":"us-east-1_TestPool1","Username":"Dave","GroupName":"staff"}`},
		{"CreateGroup", `{"UserPoolId":"us-east-1_TestPool1","GroupName":"volunteers","Description":"helpers","Precedence":2,"RoleArn":"arn:aws:iam::000000000000:role/v"}`},
		{"CreateGroup", `{"UserPoolId":"us-east-1_TestPool1","GroupName":"staff"}`},
		{"ListUsers", `{"UserPoolId":"us-east-1_TestPool1","Limit":2}`},
		{"ListUsers", `{"UserPoolId":"us-east-1_TestPool1","Filter":"email ^= \"a\"","AttributesToGet":["email"]}`},
		{"ListUsers", `{"UserPoolId":"us-east-1_TestPool1","PaginationToken":"x"}`},
		{"AdminGetUser", ``},
		{"AdminGetUser", `[]`},
		{"AdminCreateUser", `{"UserPoolId":5}`},
	}
	for _, s := range seeds {
		f.Add(uint8(slices.Index(adminOpNames, s.op)), s.body, uint8(1))
	}
	fx := newAdminFixture(f)
	f.Fuzz(func(t *testing.T, opIndex uint8, body string, page uint8) {
		op := adminOpNames[int(opIndex)%len(adminOpNames)]
		var in struct {
			UserPoolId, Username, Password, GroupName string
			Permanent                                 bool
		}
		decoded := json.Unmarshal([]byte(body), &in) == nil

		// Start a listing, send the request, and finish the listing.
		before := fx.current
		limit := int32(1 + page%4)
		var first listUsersOutput
		fx.c.callJSON(t, "ListUsers", listUsersInput{UserPoolId: testPool, Limit: &limit}, &first)
		listing := first.Users

		what := fmt.Sprintf("%s %q", op, body)
		rep := fx.c.call(t, op, []byte(body))
		typ := checkReply(t, what, rep, adminErrors[op])

		if first.PaginationToken != nil {
			listing = append(listing, fx.c.listAll(t, "", limit, *first.PaginationToken)...)
		}
		fx.checkUsers(t, in.Username)
		after := map[string]bool{}
		for _, u := range fx.current {
			after[u.Username] = true
		}
		seen := map[string]int{}
		for _, u := range listing {
			seen[u.Username]++
		}
		for _, u := range before {
			if after[u.Username] && seen[u.Username] != 1 {
				t.Fatalf("%s: a listing paged across the request returned %q %d times, want once (listing %v)",
					what, u.Username, seen[u.Username], usernames(listing))
			}
		}

		if typ == "" && decoded && in.UserPoolId == testPool {
			switch op {
			case "AdminSetUserPassword":
				if in.Permanent {
					// An earlier request may have disabled the user.
					fx.c.callJSON(t, "AdminEnableUser", map[string]any{"UserPoolId": testPool, "Username": in.Username}, nil)
					fx.checkSignIn(t, in.Username, in.Password)
				}
			case "AdminCreateUser":
				// The new user's attributes show in its ID token.
				fx.c.callJSON(t, "AdminSetUserPassword", map[string]any{"UserPoolId": testPool, "Username": in.Username,
					"Password": fixturePassword, "Permanent": true}, nil)
				fx.checkSignIn(t, in.Username, fixturePassword)
			case "CreateGroup":
				fx.groups[in.GroupName] = true
			}
		}

		// Keep the pool small, so that each run stays fast.
		if len(fx.current) > 12 {
			fx.current = slices.DeleteFunc(fx.current, func(u wireUser) bool {
				if slices.ContainsFunc(fixtureUsers, func(fu fixtureUser) bool { return fu.name == u.Username }) {
					return false
				}
				fx.c.callJSON(t, "AdminDeleteUser", map[string]string{"UserPoolId": testPool, "Username": u.Username}, nil)
				return true
			})
		}
		if fx.restore(t) {
			fx.current = fx.c.listAll(t, "", 0, "")
		}
	})
}

func usernames(users []wireUser) []string {
	var out []string
	for _, u := range users {
		out = append(out, u.Username)
	}
	return out
}

// filterAttrs are the attributes ListUsers can filter on, as the Cognito
// API reference lists them.
var filterAttrs = []string{"username", "email", "phone_number", "name", "given_name", "family_name",
	"preferred_username", "cognito:user_status", "status", "sub"}

// userFilter is a parsed ListUsers filter.
type userFilter struct {
	attr, op, value string
}

// parseUserFilter parses a ListUsers filter as the Cognito API reference
// describes it: AttributeName Filter-Type "AttributeValue", the name one
// of filterAttrs (bare, or quoted as in the reference's example
// "email"^="testuser"), the type = or ^=, and quotation marks within the
// value escaped with a backslash. It returns nil, true for a filter of
// only white space (no filter), and nil, false for a malformed one.
func parseUserFilter(f string) (*userFilter, bool) {
	if strings.TrimSpace(f) == "" {
		return nil, true
	}
	s := f
	space := func() { s = strings.TrimLeft(s, " \t\n\r\f") }
	space()
	quoted := strings.HasPrefix(s, `"`)
	if quoted {
		s = s[1:]
	}
	n := strings.IndexFunc(s, func(r rune) bool {
		return !(r == '_' || r == ':' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
	})
	if n < 0 {
		return nil, false
	}
	flt := &userFilter{attr: s[:n]}
	s = s[n:]
	if quoted {
		if !strings.HasPrefix(s, `"`) {
			return nil, false
		}
		s = s[1:]
	}
	if !slices.Contains(filterAttrs, flt.attr) {
		return nil, false
	}
	space()
	switch {
	case strings.HasPrefix(s, "^="):
		flt.op, s = "^=", s[2:]
	case strings.HasPrefix(s, "="):
		flt.op, s = "=", s[1:]
	default:
		return nil, false
	}
	space()
	if !strings.HasPrefix(s, `"`) {
		return nil, false
	}
	s = s[1:]
	var v strings.Builder
	for {
		if s == "" {
			return nil, false
		}
		c := s[0]
		s = s[1:]
		if c == '"' {
			break
		}
		if c == '\\' && s != "" && (s[0] == '"' || s[0] == '\\') {
			c, s = s[0], s[1:]
		}
		v.WriteByte(c)
	}
	flt.value = v.String()
	space()
	if s != "" {
		return nil, false
	}
	return flt, true
}

// matches reports whether u, as AdminGetUser describes it, passes the
// filter: username and status compare case-sensitively and
// cognito:user_status case-insensitively, as the API reference says; an
// attribute the user does not have matches nothing.
func (flt *userFilter) matches(u wireUser) bool {
	if flt == nil {
		return true
	}
	var have string
	fold := false
	switch flt.attr {
	case "username":
		have = u.Username
	case "cognito:user_status":
		have, fold = u.UserStatus, true
	case "status":
		have = "Disabled"
		if u.Enabled {
			have = "Enabled"
		}
	default:
		v, ok := u.attrs()[flt.attr]
		if !ok {
			return false
		}
		have = v
	}
	want := flt.value
	if fold {
		have, want = strings.ToUpper(have), strings.ToUpper(want)
	}
	if flt.op == "^=" {
		return strings.HasPrefix(have, want)
	}
	return have == want
}

// filterFixture is a pool with users for FuzzListUsersFilter, and the
// users as AdminGetUser describes them.
type filterFixture struct {
	c     *apiCaller
	users []wireUser
}

func newFilterFixture(t testing.TB) *filterFixture {
	svc, fc := openFixtureService(t)
	fx := &filterFixture{c: &apiCaller{h: svc.Handler(), clock: fc}}
	type u struct {
		name      string
		attrs     []string // name, value, …
		permanent bool
		signUp    bool // UNCONFIRMED, by SignUp
	}
	for _, x := range []u{
		{"alice", []string{"email", "alice@example.com", "given_name", "Alice", "family_name", "Liddell", "name", "Alice Liddell"}, true, false},
		{"Bob", []string{"email", "bob@example.org", "phone_number", "+15555550100", "preferred_username", "bobby"}, false, false},
		{"carol", []string{"preferred_username", "caz"}, false, true},
		{"dave", []string{"email", "dave@example.com", "given_name", `Quote "Q" and \ back`}, true, false},
		{"émile", []string{"email", "emile@exämple.com", "name", "Émile Zola"}, true, false},
		{"eve", []string{"email", "", "family_name", "alice"}, false, false},
		{"frank", []string{"email", "ALICE@example.com", "given_name", "Frank"}, true, false},
		{"zed", []string{"email", "z@x", "given_name", "Ze d", "custom:team", "blue"}, false, true},
		{"user1", []string{"email", "user1@example.com"}, true, false},
		{"user2", []string{"email", "user2@example.com"}, true, false},
		{"user3", []string{"email", "user3@example.com"}, false, false},
		{"USER4", []string{"email", "user4@example.com", "phone_number", "+15555550104"}, true, false},
	} {
		var attrs []map[string]string
		for i := 0; i < len(x.attrs); i += 2 {
			attrs = append(attrs, map[string]string{"Name": x.attrs[i], "Value": x.attrs[i+1]})
		}
		if x.signUp {
			fx.c.callJSON(t, "SignUp", map[string]any{"ClientId": testClient, "Username": x.name, "Password": fixturePassword,
				"UserAttributes": attrs}, nil)
		} else {
			fx.c.callJSON(t, "AdminCreateUser", map[string]any{"UserPoolId": testPool, "Username": x.name,
				"MessageAction": "SUPPRESS", "UserAttributes": attrs}, nil)
		}
		if x.permanent {
			fx.c.callJSON(t, "AdminSetUserPassword", map[string]any{"UserPoolId": testPool, "Username": x.name,
				"Password": fixturePassword, "Permanent": true}, nil)
		}
		got, typ := fx.c.getUser(t, x.name)
		if typ != "" {
			t.Fatalf("AdminGetUser(%q) = %s", x.name, typ)
		}
		fx.users = append(fx.users, got)
	}
	return fx
}

// FuzzListUsersFilter lists users with arbitrary filters, pagination
// tokens and limits. A malformed filter, token or limit is refused with
// InvalidParameterException; otherwise paging through the list returns
// exactly the users that parseUserFilter's filter selects from
// AdminGetUser's answers, each once, as AdminGetUser describes them.
func FuzzListUsersFilter(f *testing.F) {
	for _, s := range []struct {
		filter, token string
		limit         int8
	}{
		{``, ``, 0},
		{`email = "alice@example.com"`, ``, 0},
		{`email ^= "user"`, ``, 2},
		{`family_name = "Reddy"`, ``, 0},
		{`given_name ^= "Jon"`, ``, 1},
		{`"email"^="testuser"`, ``, 3},
		{`username = "Bob"`, ``, 0},
		{`username ^= "user"`, ``, 1},
		{`cognito:user_status = "UNCONFIRMED"`, ``, 0},
		{`cognito:user_status = "Unconfirmed"`, ``, 0},
		{`cognito:user_status ^= "force"`, ``, 0},
		{`status = "Enabled"`, ``, 0},
		{`status = "enabled"`, ``, 0},
		{`phone_number ^= "+1555"`, ``, 0},
		{`preferred_username = "caz"`, ``, 0},
		{`given_name = "Quote \"Q\" and \\ back"`, ``, 0},
		{`name ^= "Émile"`, ``, 0},
		{`email = ""`, ``, 0},
		{`sub ^= "0"`, ``, 0},
		{`custom:team = "blue"`, ``, 0},
		{"given_name = \"a\\\nb\"", ``, 0},
		{`email = unquoted`, ``, 0},
		{`email == "x"`, ``, 0},
		{`email = "x" and name = "y"`, ``, 0},
		{`  `, ``, 60},
		{``, `x`, 0},
		{``, `dXNlcnMtYWZ0ZXI6Ym9i`, 2},
		{``, `3`, 0},
		{``, ``, 61},
		{``, ``, -1},
	} {
		f.Add(s.filter, s.token, s.limit)
	}
	fx := newFilterFixture(f)
	f.Fuzz(func(t *testing.T, filter, token string, limit int8) {
		// The service reads the filter after a JSON round trip, which
		// turns invalid UTF-8 into U+FFFD; so does the reference.
		b, _ := json.Marshal(filter)
		var seen string
		json.Unmarshal(b, &seen)
		flt, wellFormed := parseUserFilter(seen)

		in := listUsersInput{UserPoolId: testPool, Filter: filter, PaginationToken: token}
		lim := int32(limit)
		in.Limit = &lim
		body, _ := json.Marshal(in)
		rep := fx.c.call(t, "ListUsers", body)
		what := fmt.Sprintf("ListUsers %s", body)
		typ := checkReply(t, what, rep, adminErrors["ListUsers"])
		switch {
		case !wellFormed || lim < 0 || lim > 60:
			if typ != "InvalidParameterException" {
				t.Fatalf("%s: %s, want InvalidParameterException (filter well formed: %v)", what, rep.body, wellFormed)
			}
			return
		case typ == "InvalidParameterException" && token != "":
			return // a token the service does not recognise
		case typ != "":
			t.Fatalf("%s: %s, want success", what, rep.body)
		}

		var want []string
		for _, u := range fx.users {
			if flt.matches(u) {
				want = append(want, u.Username)
			}
		}
		got := fx.c.listAll(t, filter, lim, token)
		count := map[string]int{}
		for _, u := range got {
			count[u.Username]++
			if count[u.Username] > 1 {
				t.Fatalf("%s: paging returns %q twice", what, u.Username)
			}
			i := slices.IndexFunc(fx.users, func(v wireUser) bool { return v.Username == u.Username })
			if i < 0 {
				t.Fatalf("%s: lists unknown user %q", what, u.Username)
			}
			if diff := cmp.Diff(fx.users[i].comparable(), u.comparable()); diff != "" {
				t.Fatalf("%s: user %q differs from AdminGetUser's (-want +got):\n%s", what, u.Username, diff)
			}
		}
		gotNames := usernames(got)
		slices.Sort(gotNames)
		slices.Sort(want)
		if token != "" {
			// Paging from a token of the caller's returns some of the users.
			for _, name := range gotNames {
				if !slices.Contains(want, name) {
					t.Fatalf("%s: lists %q, which the filter %+v does not select", what, name, flt)
				}
			}
			return
		}
		if diff := cmp.Diff(want, gotNames); diff != "" {
			t.Fatalf("%s: filter %+v selects other users (-want +got):\n%s", what, flt, diff)
		}
	})
}
