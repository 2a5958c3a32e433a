package localcognito_test

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/google/go-cmp/cmp"

	"github.com/faasport/faasport/emulator/localcognito"
	"github.com/faasport/faasport/verify"
)

func TestAdminOperations(t *testing.T) {
	e := newEnv(t, "")
	ctx := context.Background()
	pool := aws.String(testPool)

	created, err := e.idp.AdminCreateUser(ctx, &cip.AdminCreateUserInput{
		UserPoolId: pool, Username: aws.String("lena"), TemporaryPassword: aws.String("Temp-Passw0rd"),
		UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String("lena@example.com")}},
		MessageAction:  types.MessageActionTypeSuppress,
	})
	if err != nil {
		t.Fatal(err)
	}
	if created.User.UserStatus != types.UserStatusTypeForceChangePassword || !created.User.Enabled || created.User.UserCreateDate == nil {
		t.Errorf("AdminCreateUser = %+v", created.User)
	}
	_, err = e.idp.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: pool, Username: aws.String("LENA")})
	if got, want := apiErr(err), "UsernameExistsException: User account already exists"; got != want {
		t.Errorf("AdminCreateUser(existing) = %q, want %q", got, want)
	}

	// The temporary password leads to NEW_PASSWORD_REQUIRED.
	init, err := e.idp.InitiateAuth(ctx, &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeUserPasswordAuth,
		ClientId: aws.String(testClient), AuthParameters: map[string]string{"USERNAME": "lena", "PASSWORD": "Temp-Passw0rd"}})
	if err != nil {
		t.Fatal(err)
	}
	if init.ChallengeName != types.ChallengeNameTypeNewPasswordRequired || aws.ToString(init.Session) == "" {
		t.Fatalf("InitiateAuth with a temporary password = %+v, want NEW_PASSWORD_REQUIRED", init)
	}
	_, err = e.idp.RespondToAuthChallenge(ctx, &cip.RespondToAuthChallengeInput{ChallengeName: types.ChallengeNameTypeNewPasswordRequired,
		ClientId: aws.String(testClient), Session: init.Session,
		ChallengeResponses: map[string]string{"USERNAME": "lena", "NEW_PASSWORD": "nouppercase-1"}})
	if got, want := apiErr(err), "InvalidPasswordException: Password did not conform with policy: Password must have uppercase characters"; got != want {
		t.Errorf("weak new password = %q, want %q", got, want)
	}
	// The session was spent; start again.
	init, err = e.idp.InitiateAuth(ctx, &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeUserPasswordAuth,
		ClientId: aws.String(testClient), AuthParameters: map[string]string{"USERNAME": "lena", "PASSWORD": "Temp-Passw0rd"}})
	if err != nil {
		t.Fatal(err)
	}
	done, err := e.idp.RespondToAuthChallenge(ctx, &cip.RespondToAuthChallengeInput{ChallengeName: types.ChallengeNameTypeNewPasswordRequired,
		ClientId: aws.String(testClient), Session: init.Session,
		ChallengeResponses: map[string]string{"USERNAME": "lena", "NEW_PASSWORD": "Lenas-Passw0rd"}})
	if err != nil {
		t.Fatal(err)
	}
	if done.AuthenticationResult == nil {
		t.Fatalf("RespondToAuthChallenge = %+v, want tokens", done)
	}

	// AdminSetUserPassword.
	if _, err := e.idp.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{UserPoolId: pool, Username: aws.String("lena"),
		Password: aws.String("Admin-Set-Passw0rd"), Permanent: true}); err != nil {
		t.Fatal(err)
	}
	e.signIn(t, "lena", "Admin-Set-Passw0rd")

	// Groups show in tokens, with the roles of groups that have one.
	_, err = e.idp.CreateGroup(ctx, &cip.CreateGroupInput{UserPoolId: pool, GroupName: aws.String("staff")})
	if got, want := apiErr(err), "GroupExistsException: A group with the name staff already exists."; got != want {
		t.Errorf("CreateGroup(existing) = %q, want %q", got, want)
	}
	if _, err := e.idp.CreateGroup(ctx, &cip.CreateGroupInput{UserPoolId: pool, GroupName: aws.String("volunteers"),
		Description: aws.String("helpers")}); err != nil {
		t.Fatal(err)
	}
	for _, g := range []string{"volunteers", "staff"} {
		if _, err := e.idp.AdminAddUserToGroup(ctx, &cip.AdminAddUserToGroupInput{UserPoolId: pool, Username: aws.String("lena"), GroupName: aws.String(g)}); err != nil {
			t.Fatal(err)
		}
	}
	_, err = e.idp.AdminAddUserToGroup(ctx, &cip.AdminAddUserToGroupInput{UserPoolId: pool, Username: aws.String("lena"), GroupName: aws.String("nope")})
	if got, want := apiErr(err), "ResourceNotFoundException: Group not found."; got != want {
		t.Errorf("AdminAddUserToGroup(unknown group) = %q, want %q", got, want)
	}
	_, err = e.idp.AdminAddUserToGroup(ctx, &cip.AdminAddUserToGroupInput{UserPoolId: pool, Username: aws.String("nobody"), GroupName: aws.String("staff")})
	if got, want := apiErr(err), "UserNotFoundException: User does not exist."; got != want {
		t.Errorf("AdminAddUserToGroup(unknown user) = %q, want %q", got, want)
	}
	res := e.signIn(t, "lena", "Admin-Set-Passw0rd")
	id, err := e.svc.Verifier(testPool, []string{testClient}, verify.TokenUseID).Verify(ctx, *res.IdToken)
	if err != nil {
		t.Fatal(err)
	}
	access, err := e.svc.Verifier(testPool, []string{testClient}, verify.TokenUseAccess).Verify(ctx, *res.AccessToken)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]any{
		"id groups": id.Raw["cognito:groups"], "access groups": access.Raw["cognito:groups"],
		"roles": id.Raw["cognito:roles"], "preferred": id.Raw["cognito:preferred_role"],
	}
	want := map[string]any{
		"id groups": []any{"staff", "volunteers"}, "access groups": []any{"staff", "volunteers"}, // by precedence
		"roles": []any{staffRole}, "preferred": staffRole,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("group claims (-want +got):\n%s", diff)
	}
	if _, err := e.idp.AdminRemoveUserFromGroup(ctx, &cip.AdminRemoveUserFromGroupInput{UserPoolId: pool, Username: aws.String("lena"), GroupName: aws.String("staff")}); err != nil {
		t.Fatal(err)
	}
	res = e.signIn(t, "lena", "Admin-Set-Passw0rd")
	id, _ = e.svc.Verifier(testPool, []string{testClient}, verify.TokenUseID).Verify(ctx, *res.IdToken)
	if diff := cmp.Diff([]any{"volunteers"}, id.Raw["cognito:groups"]); diff != "" {
		t.Errorf("groups after AdminRemoveUserFromGroup (-want +got):\n%s", diff)
	}

	// ListUsers, with a filter and pages.
	e.signUp(t, "mona", "mona@example.org")
	e.signUp(t, "max", "max@example.org")
	list := func(in *cip.ListUsersInput) ([]string, string) {
		in.UserPoolId = pool
		out, err := e.idp.ListUsers(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, u := range out.Users {
			names = append(names, *u.Username)
		}
		return names, aws.ToString(out.PaginationToken)
	}
	names, _ := list(&cip.ListUsersInput{})
	if diff := cmp.Diff([]string{"lena", "max", "mona"}, names); diff != "" {
		t.Errorf("ListUsers (-want +got):\n%s", diff)
	}
	names, _ = list(&cip.ListUsersInput{Filter: aws.String(`email ^= "m"`)})
	if diff := cmp.Diff([]string{"max", "mona"}, names); diff != "" {
		t.Errorf("ListUsers(email ^= m) (-want +got):\n%s", diff)
	}
	names, next := list(&cip.ListUsersInput{Limit: aws.Int32(2)})
	rest, last := list(&cip.ListUsersInput{Limit: aws.Int32(2), PaginationToken: aws.String(next)})
	if diff := cmp.Diff([]string{"lena", "max", "mona"}, append(names, rest...)); diff != "" || next == "" || last != "" {
		t.Errorf("ListUsers pages (-want +got):\n%s (tokens %q, %q)", diff, next, last)
	}
	_, err = e.idp.ListUsers(ctx, &cip.ListUsersInput{UserPoolId: pool, Filter: aws.String("email = unquoted")})
	if got, want := apiErr(err), "InvalidParameterException: Error while parsing filter."; got != want {
		t.Errorf("ListUsers(bad filter) = %q, want %q", got, want)
	}
	_, err = e.idp.ListUsers(ctx, &cip.ListUsersInput{UserPoolId: aws.String("us-east-1_Nope")})
	if got, want := apiErr(err), "ResourceNotFoundException: User pool us-east-1_Nope does not exist."; got != want {
		t.Errorf("ListUsers(unknown pool) = %q, want %q", got, want)
	}
	// An id outside the API's pattern is refused before any lookup
	// (aws/aws-sdk-js#3344 quotes Cognito's answer).
	_, err = e.idp.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: aws.String("foo"), Username: aws.String("lena")})
	if got, want := apiErr(err), `InvalidParameterException: 1 validation error detected: Value 'foo' at 'userPoolId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w-]+_[0-9a-zA-Z]+`; got != want {
		t.Errorf("AdminGetUser(malformed pool id) = %q, want %q", got, want)
	}
}

// TestAdminSignature checks that admin operations need a signature by an
// administrator key, checked by verify.SigV4Verifier.
func TestAdminSignature(t *testing.T) {
	e := newEnv(t, "")
	ctx := context.Background()
	for _, tc := range []struct {
		name, akid, secret, want string
	}{
		{"admin key", adminKeyID, adminSecret, ""},
		{"wrong secret", adminKeyID, "guess", "InvalidSignatureException: The request signature we calculated does not match the signature you provided. " +
			"Check your AWS Secret Access Key and signing method. Consult the service documentation for details. (signature does not match)"},
		{"unknown key", "AKIDSOMEONEELSE", adminSecret, "UnrecognizedClientException: The security token included in the request is invalid. (unknown access key)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newIDPClient(e.srv, tc.akid, tc.secret)
			_, err := c.ListUsers(ctx, &cip.ListUsersInput{UserPoolId: aws.String(testPool)})
			if got := apiErr(err); got != tc.want {
				t.Errorf("ListUsers = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestAdminConfirmAndDelete(t *testing.T) {
	e := newEnv(t, "")
	ctx := context.Background()
	pool := aws.String(testPool)
	if _, err := e.idp.SignUp(ctx, &cip.SignUpInput{ClientId: aws.String(testClient), Username: aws.String("sam"),
		Password: aws.String(goodPassword)}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.idp.AdminConfirmSignUp(ctx, &cip.AdminConfirmSignUpInput{UserPoolId: pool, Username: aws.String("sam")}); err != nil {
		t.Fatal(err)
	}
	_, err := e.idp.AdminConfirmSignUp(ctx, &cip.AdminConfirmSignUpInput{UserPoolId: pool, Username: aws.String("sam")})
	if got, want := apiErr(err), "NotAuthorizedException: User cannot be confirmed. Current status is CONFIRMED"; got != want {
		t.Errorf("AdminConfirmSignUp(again) = %q, want %q", got, want)
	}
	res := e.signIn(t, "sam", goodPassword)
	got, err := e.idp.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: pool, Username: aws.String("SAM")})
	if err != nil {
		t.Fatal(err)
	}
	if *got.Username != "sam" || got.UserStatus != types.UserStatusTypeConfirmed || !got.Enabled {
		t.Errorf("AdminGetUser = %+v", got)
	}
	if _, err := e.idp.AdminDeleteUser(ctx, &cip.AdminDeleteUserInput{UserPoolId: pool, Username: aws.String("sam")}); err != nil {
		t.Fatal(err)
	}
	_, err = e.idp.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: pool, Username: aws.String("sam")})
	if got, want := apiErr(err), "UserNotFoundException: User does not exist."; got != want {
		t.Errorf("AdminGetUser(deleted) = %q, want %q", got, want)
	}
	_, err = e.idp.InitiateAuth(ctx, &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeRefreshTokenAuth, ClientId: aws.String(testClient),
		AuthParameters: map[string]string{"REFRESH_TOKEN": *res.RefreshToken}})
	if got, want := apiErr(err), "NotAuthorizedException: Refresh Token has been revoked"; got != want {
		t.Errorf("refresh of a deleted user = %q, want %q", got, want)
	}
}

// TestListUsersFilter checks ListUsers' filters against users with and
// without attributes and in each status.
func TestListUsersFilter(t *testing.T) {
	e := newEnv(t, "")
	ctx := context.Background()
	pool := aws.String(testPool)
	create := func(name string, attrs ...string) {
		t.Helper()
		var list []types.AttributeType
		for i := 0; i < len(attrs); i += 2 {
			list = append(list, types.AttributeType{Name: aws.String(attrs[i]), Value: aws.String(attrs[i+1])})
		}
		if _, err := e.idp.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: pool, Username: aws.String(name),
			UserAttributes: list, MessageAction: types.MessageActionTypeSuppress}); err != nil {
			t.Fatal(err)
		}
	}
	create("amy", "email", "amy@example.com", "given_name", "Amy")
	create("nomail", "given_name", "Nobody")
	create("blank", "email", "")
	create("quote", "given_name", `Say "hi"`)
	create("backslash", "given_name", "back\\\nslash")
	e.signUp(t, "ted", "testuser@example.com") // CONFIRMED
	if _, err := e.idp.SignUp(ctx, &cip.SignUpInput{ClientId: aws.String(testClient), Username: aws.String("una"),
		Password: aws.String(goodPassword)}); err != nil { // UNCONFIRMED
		t.Fatal(err)
	}

	for _, tc := range []struct {
		name, filter string
		want         []string
		err          string
	}{
		{name: "no filter", filter: "", want: []string{"amy", "backslash", "blank", "nomail", "quote", "ted", "una"}},
		{name: "exact", filter: `email = "amy@example.com"`, want: []string{"amy"}},
		{name: "prefix", filter: `given_name ^= "No"`, want: []string{"nomail"}},
		{name: "quoted attribute name, as in the API reference's example", filter: `"email"^="testuser"`, want: []string{"ted"}},
		{name: "status in another case", filter: `cognito:user_status = "unconfirmed"`, want: []string{"una"}},
		{name: "status prefix in another case", filter: `cognito:user_status ^= "Force"`, want: []string{"amy", "backslash", "blank", "nomail", "quote"}},
		{name: "enabled is case-sensitive", filter: `status = "enabled"`, want: nil},
		{name: "empty prefix selects users with the attribute", filter: `email ^= ""`, want: []string{"amy", "blank", "ted"}},
		{name: "empty value selects users whose attribute is empty", filter: `email = ""`, want: []string{"blank"}},
		{name: "escaped quote in the value", filter: `given_name = "Say \"hi\""`, want: []string{"quote"}},
		{name: "backslash before a line break", filter: "given_name = \"back\\\nslash\"", want: []string{"backslash"}},
		{name: "unknown attribute", filter: `custom:team = "x"`, err: "InvalidParameterException: Error while parsing filter."},
		{name: "unbalanced quotes around the name", filter: `"email = "x"`, err: "InvalidParameterException: Error while parsing filter."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, err := e.idp.ListUsers(ctx, &cip.ListUsersInput{UserPoolId: pool, Filter: aws.String(tc.filter)})
			if got := apiErr(err); got != tc.err {
				t.Fatalf("ListUsers(%q) = %q, want %q", tc.filter, got, tc.err)
			}
			if err != nil {
				return
			}
			var got []string
			for _, u := range out.Users {
				got = append(got, *u.Username)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("ListUsers(%q) (-want +got):\n%s", tc.filter, diff)
			}
		})
	}
}

// TestListUsersPagination pages through ListUsers while users are
// created and deleted between pages: every user that exists throughout
// is listed exactly once. Each case has its own users, selected by a
// username prefix.
func TestListUsersPagination(t *testing.T) {
	e := newEnv(t, "")
	for _, tc := range []struct {
		name    string
		between func(t *testing.T, e *env, prefix string) // runs after the first page
		want    []string
	}{
		{name: "no change", want: []string{"u1", "u2", "u3", "u4", "u5"}},
		{name: "delete a user of the first page", between: deleteUser("u1"), want: []string{"u1", "u2", "u3", "u4", "u5"}},
		{name: "delete the user the token follows", between: deleteUser("u2"), want: []string{"u1", "u2", "u3", "u4", "u5"}},
		{name: "create a user before the token", between: createUser("u0"), want: []string{"u1", "u2", "u3", "u4", "u5"}},
		{name: "create a user after the token", between: createUser("u31"), want: []string{"u1", "u2", "u3", "u31", "u4", "u5"}},
		{name: "delete a user after the token", between: deleteUser("u4"), want: []string{"u1", "u2", "u3", "u5"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			prefix := strings.ReplaceAll(tc.name, " ", "-") + "."
			for _, name := range []string{"u1", "u2", "u3", "u4", "u5"} {
				createUser(name)(t, e, prefix)
			}
			ctx := context.Background()
			in := &cip.ListUsersInput{UserPoolId: aws.String(testPool), Limit: aws.Int32(2),
				Filter: aws.String(`username ^= "` + prefix + `"`)}
			var got []string
			for page := 0; ; page++ {
				out, err := e.idp.ListUsers(ctx, in)
				if err != nil {
					t.Fatal(err)
				}
				for _, u := range out.Users {
					got = append(got, strings.TrimPrefix(*u.Username, prefix))
				}
				if out.PaginationToken == nil {
					break
				}
				if page == 0 && tc.between != nil {
					tc.between(t, e, prefix)
				}
				in.PaginationToken = out.PaginationToken
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("pages (-want +got):\n%s", diff)
			}
		})
	}
}

func createUser(name string) func(t *testing.T, e *env, prefix string) {
	return func(t *testing.T, e *env, prefix string) {
		t.Helper()
		if _, err := e.idp.AdminCreateUser(context.Background(), &cip.AdminCreateUserInput{UserPoolId: aws.String(testPool),
			Username: aws.String(prefix + name), MessageAction: types.MessageActionTypeSuppress}); err != nil {
			t.Fatal(err)
		}
	}
}

func deleteUser(name string) func(t *testing.T, e *env, prefix string) {
	return func(t *testing.T, e *env, prefix string) {
		t.Helper()
		if _, err := e.idp.AdminDeleteUser(context.Background(), &cip.AdminDeleteUserInput{UserPoolId: aws.String(testPool),
			Username: aws.String(prefix + name)}); err != nil {
			t.Fatal(err)
		}
	}
}

// TestListUsersInvalid checks ListUsers' answers to malformed limits and
// pagination tokens.
func TestListUsersInvalid(t *testing.T) {
	e := newEnv(t, "")
	ctx := context.Background()
	for _, tc := range []struct {
		name  string
		limit *int32
		token *string
		want  string
	}{
		{name: "negative limit", limit: aws.Int32(-1),
			want: "InvalidParameterException: 1 validation error detected: Value '-1' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 0"},
		{name: "limit over 60", limit: aws.Int32(61),
			want: "InvalidParameterException: 1 validation error detected: Value '61' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 60"},
		{name: "a token the service did not issue", token: aws.String("3"), want: "InvalidParameterException: Invalid pagination token."},
		{name: "a token that is not base64url", token: aws.String("dXNlcnMtYWZ0ZXI6Ym9i=="), want: "InvalidParameterException: Invalid pagination token."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.idp.ListUsers(ctx, &cip.ListUsersInput{UserPoolId: aws.String(testPool), Limit: tc.limit, PaginationToken: tc.token})
			if got := apiErr(err); got != tc.want {
				t.Errorf("ListUsers = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestGroupInvalid(t *testing.T) {
	e := newEnv(t, "")
	e.signUp(t, "gina", "gina@example.com")
	ctx := context.Background()
	pool := aws.String(testPool)
	const prefix = "InvalidParameterException: 1 validation error detected: "
	create := func(in cip.CreateGroupInput) error {
		in.UserPoolId = pool
		_, err := e.idp.CreateGroup(ctx, &in)
		return err
	}
	long := strings.Repeat("g", 129)
	for _, tc := range []struct {
		name string
		call func() error
		want string
	}{
		{"name with a space", func() error { return create(cip.CreateGroupInput{GroupName: aws.String("night shift")}) },
			prefix + `Value 'night shift' at 'groupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\p{L}\p{M}\p{S}\p{N}\p{P}]+`},
		{"name of 129 characters", func() error { return create(cip.CreateGroupInput{GroupName: aws.String(long)}) },
			prefix + "Value '" + long + "' at 'groupName' failed to satisfy constraint: Member must have length less than or equal to 128"},
		{"description of 2049 characters", func() error {
			return create(cip.CreateGroupInput{GroupName: aws.String("g1"), Description: aws.String(strings.Repeat("d", 2049))})
		}, prefix + "Value '" + strings.Repeat("d", 2049) + "' at 'description' failed to satisfy constraint: Member must have length less than or equal to 2048"},
		{"role that is not an ARN", func() error {
			return create(cip.CreateGroupInput{GroupName: aws.String("g2"), RoleArn: aws.String("role/volunteers-are-great")})
		}, prefix + `Value 'role/volunteers-are-great' at 'roleArn' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:[\w+=/,.@-]+:[\w+=/,.@-]+:([\w+=/,.@-]*)?:[0-9]+:[\w+=/,.@-]+(:[\w+=/,.@-]+)?(:[\w+=/,.@-]+)?`},
		{"role ARN too short", func() error {
			return create(cip.CreateGroupInput{GroupName: aws.String("g3"), RoleArn: aws.String("arn:a:b::1:c")})
		},
			prefix + "Value 'arn:a:b::1:c' at 'roleArn' failed to satisfy constraint: Member must have length greater than or equal to 20"},
		{"negative precedence", func() error {
			return create(cip.CreateGroupInput{GroupName: aws.String("g4"), Precedence: aws.Int32(-1)})
		},
			prefix + "Value '-1' at 'precedence' failed to satisfy constraint: Member must have value greater than or equal to 0"},
		{"valid group", func() error {
			return create(cip.CreateGroupInput{GroupName: aws.String("nuit-équipe"), Description: aws.String(strings.Repeat("ü", 2048)),
				RoleArn: aws.String("arn:aws:iam::000000000000:role/night")})
		}, ""},
		{"add to a group named with a space", func() error {
			_, err := e.idp.AdminAddUserToGroup(ctx, &cip.AdminAddUserToGroupInput{UserPoolId: pool, Username: aws.String("gina"), GroupName: aws.String("a b")})
			return err
		}, prefix + `Value 'a b' at 'groupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\p{L}\p{M}\p{S}\p{N}\p{P}]+`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := apiErr(tc.call()); got != tc.want {
				t.Errorf("got %q,\nwant %q", got, tc.want)
			}
		})
	}
	// The Go API and the configuration refuse what the operation refuses.
	if err := e.svc.CreateGroup(ctx, testPool, localcognito.GroupConfig{Name: "night shift"}); err == nil {
		t.Error(`Service.CreateGroup(name "night shift") = nil, want an error`)
	}
	opts := &localcognito.Options{Pools: []localcognito.PoolConfig{{ID: "us-east-1_Groups",
		Groups: []localcognito.GroupConfig{{Name: "ops", RoleARN: "ops-role"}}}}}
	if svc, err := localcognito.Open("", opts); err == nil {
		svc.Close()
		t.Error(`Open with group RoleARN "ops-role" = nil error, want one`)
	} else if !strings.Contains(err.Error(), `group "ops"`) {
		t.Errorf("Open with a bad group: %v, want the group named", err)
	}
}

// TestCreatePool creates a pool with a client and a group through the Go
// API, signs a user up and in through it, and checks that a configuration
// with a part that cannot be created creates nothing.
func TestCreatePool(t *testing.T) {
	e := newEnv(t, "")
	ctx := context.Background()
	before := e.svc.PoolIDs()
	for _, tc := range []struct {
		name string
		pc   localcognito.PoolConfig
		want string // in the error
	}{
		{"bad group", localcognito.PoolConfig{Name: "shelter", Clients: []localcognito.ClientConfig{{Name: "web"}},
			Groups: []localcognito.GroupConfig{{Name: "ok"}, {Name: "night shift"}}}, `group "night shift"`},
		{"bad client id", localcognito.PoolConfig{Name: "shelter", Clients: []localcognito.ClientConfig{{ID: "web-app"}}}, `client id "web-app"`},
		{"bad pool id", localcognito.PoolConfig{ID: "shelter"}, `pool id "shelter"`},
		{"short passwords", localcognito.PoolConfig{Name: "shelter", PasswordPolicy: &localcognito.PasswordPolicy{MinimumLength: 4}}, "password minimum length"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.svc.CreatePool(ctx, tc.pc)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("CreatePool = %v, want an error naming %s", err, tc.want)
			}
			if diff := cmp.Diff(before, e.svc.PoolIDs()); diff != "" {
				t.Errorf("pools after a failed CreatePool (-want +got):\n%s", diff)
			}
		})
	}

	id, err := e.svc.CreatePool(ctx, localcognito.PoolConfig{ID: "us-east-1_Shelter", Name: "shelter",
		Clients: []localcognito.ClientConfig{{ID: "shelterweb", Name: "web", AuthFlows: []string{localcognito.AllowUserPasswordAuth}}},
		Groups:  []localcognito.GroupConfig{{Name: "volunteers", RoleARN: "arn:aws:iam::000000000000:role/volunteers"}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.CreatePool(ctx, localcognito.PoolConfig{ID: id}); err == nil {
		t.Errorf("CreatePool(%s) again = nil error, want one", id)
	}
	if got := e.svc.ClientIDs(id); !cmp.Equal(got, []string{"shelterweb"}) {
		t.Errorf("ClientIDs = %v, want [shelterweb]", got)
	}
	if _, err := e.idp.SignUp(ctx, &cip.SignUpInput{ClientId: aws.String("shelterweb"), Username: aws.String("hana"), Password: aws.String(goodPassword)}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.idp.AdminConfirmSignUp(ctx, &cip.AdminConfirmSignUpInput{UserPoolId: aws.String(id), Username: aws.String("hana")}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.idp.AdminAddUserToGroup(ctx, &cip.AdminAddUserToGroupInput{UserPoolId: aws.String(id), Username: aws.String("hana"), GroupName: aws.String("volunteers")}); err != nil {
		t.Fatal(err)
	}
	out, err := e.idp.InitiateAuth(ctx, &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeUserPasswordAuth, ClientId: aws.String("shelterweb"),
		AuthParameters: map[string]string{"USERNAME": "hana", "PASSWORD": goodPassword}})
	if err != nil {
		t.Fatal(err)
	}
	claims, err := e.svc.Verifier(id, []string{"shelterweb"}, verify.TokenUseID).Verify(ctx, *out.AuthenticationResult.IdToken)
	if err != nil {
		t.Fatal(err)
	}
	if got := claims.Raw["cognito:groups"]; !cmp.Equal(got, []any{"volunteers"}) {
		t.Errorf("cognito:groups = %v, want [volunteers]", got)
	}
}

// TestAdminAuth checks the back-end sign-in of AdminInitiateAuth and
// AdminRespondToAuthChallenge, and AdminDisableUser and AdminEnableUser,
// which also revokes the user's tokens (the API reference).
func TestAdminAuth(t *testing.T) {
	e := newEnv(t, "")
	ctx := context.Background()
	pool := aws.String(testPool)
	if _, err := e.idp.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: pool, Username: aws.String("adam"),
		TemporaryPassword: aws.String("Temp-Passw0rd"), MessageAction: types.MessageActionTypeSuppress}); err != nil {
		t.Fatal(err)
	}
	auth := func(client, flow string, params map[string]string) (*cip.AdminInitiateAuthOutput, error) {
		return e.idp.AdminInitiateAuth(ctx, &cip.AdminInitiateAuthInput{UserPoolId: pool, ClientId: aws.String(client),
			AuthFlow: types.AuthFlowType(flow), AuthParameters: params})
	}
	first, err := auth(testClient, "ADMIN_USER_PASSWORD_AUTH", map[string]string{"USERNAME": "adam", "PASSWORD": "Temp-Passw0rd"})
	if err != nil {
		t.Fatal(err)
	}
	if first.ChallengeName != types.ChallengeNameTypeNewPasswordRequired || aws.ToString(first.Session) == "" {
		t.Fatalf("AdminInitiateAuth with the temporary password = %s, session %q; want NEW_PASSWORD_REQUIRED", first.ChallengeName, aws.ToString(first.Session))
	}
	done, err := e.idp.AdminRespondToAuthChallenge(ctx, &cip.AdminRespondToAuthChallengeInput{UserPoolId: pool, ClientId: aws.String(testClient),
		ChallengeName: types.ChallengeNameTypeNewPasswordRequired, Session: first.Session,
		ChallengeResponses: map[string]string{"USERNAME": "adam", "NEW_PASSWORD": goodPassword}})
	if err != nil {
		t.Fatal(err)
	}
	if done.AuthenticationResult == nil || aws.ToString(done.AuthenticationResult.AccessToken) == "" {
		t.Fatalf("AdminRespondToAuthChallenge = %+v, want tokens", done)
	}
	signedIn, err := auth(testClient, "ADMIN_NO_SRP_AUTH", map[string]string{"USERNAME": "adam", "PASSWORD": goodPassword})
	if err != nil || signedIn.AuthenticationResult == nil {
		t.Fatalf("AdminInitiateAuth(ADMIN_NO_SRP_AUTH) = %+v, %v", signedIn, err)
	}
	refreshed, err := auth(testClient, "REFRESH_TOKEN_AUTH", map[string]string{"REFRESH_TOKEN": aws.ToString(signedIn.AuthenticationResult.RefreshToken)})
	if err != nil || refreshed.AuthenticationResult == nil {
		t.Fatalf("AdminInitiateAuth(REFRESH_TOKEN_AUTH) = %+v, %v", refreshed, err)
	}

	errs := []struct {
		name, client, flow string
		params             map[string]string
		want               string
	}{
		{"wrong password", testClient, "ADMIN_USER_PASSWORD_AUTH", map[string]string{"USERNAME": "adam", "PASSWORD": "Wrong-Passw0rd"},
			"NotAuthorizedException: Incorrect username or password."},
		{"flow not allowed", otherClient, "ADMIN_USER_PASSWORD_AUTH", map[string]string{"USERNAME": "adam", "PASSWORD": goodPassword},
			"InvalidParameterException: ADMIN_USER_PASSWORD_AUTH flow not enabled for this client"},
		{"unknown client", "nosuchclient", "ADMIN_USER_PASSWORD_AUTH", map[string]string{"USERNAME": "adam", "PASSWORD": goodPassword},
			"ResourceNotFoundException: User pool client nosuchclient does not exist."},
		{"missing password", testClient, "ADMIN_USER_PASSWORD_AUTH", map[string]string{"USERNAME": "adam"},
			"InvalidParameterException: Missing required parameter PASSWORD"},
		{"unknown flow", testClient, "FOO", nil,
			"InvalidParameterException: 1 validation error detected: Value 'FOO' at 'authFlow' failed to satisfy constraint: Member must satisfy enum value set: " +
				"[USER_SRP_AUTH, REFRESH_TOKEN_AUTH, REFRESH_TOKEN, CUSTOM_AUTH, ADMIN_NO_SRP_AUTH, USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH, USER_AUTH]"},
	}
	for _, tc := range errs {
		if _, err := auth(tc.client, tc.flow, tc.params); apiErr(err) != tc.want {
			t.Errorf("%s: AdminInitiateAuth = %q, want %q", tc.name, apiErr(err), tc.want)
		}
	}

	// Disabling the user refuses sign-in and revokes their tokens;
	// enabling lets them sign in again.
	if _, err := e.idp.AdminDisableUser(ctx, &cip.AdminDisableUserInput{UserPoolId: pool, Username: aws.String("adam")}); err != nil {
		t.Fatal(err)
	}
	if _, err := auth(testClient, "ADMIN_USER_PASSWORD_AUTH", map[string]string{"USERNAME": "adam", "PASSWORD": goodPassword}); apiErr(err) != "NotAuthorizedException: User is disabled." {
		t.Errorf("AdminInitiateAuth of a disabled user = %q", apiErr(err))
	}
	if _, err := e.idp.GetUser(ctx, &cip.GetUserInput{AccessToken: signedIn.AuthenticationResult.AccessToken}); apiErr(err) != "NotAuthorizedException: Access Token has been revoked" {
		t.Errorf("GetUser with a disabled user's token = %q", apiErr(err))
	}
	got, err := e.idp.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: pool, Username: aws.String("adam")})
	if err != nil || got.Enabled {
		t.Errorf("AdminGetUser of a disabled user = %+v, %v; want Enabled false", got, err)
	}
	if _, err := e.idp.AdminEnableUser(ctx, &cip.AdminEnableUserInput{UserPoolId: pool, Username: aws.String("adam")}); err != nil {
		t.Fatal(err)
	}
	if out, err := auth(testClient, "ADMIN_USER_PASSWORD_AUTH", map[string]string{"USERNAME": "adam", "PASSWORD": goodPassword}); err != nil || out.AuthenticationResult == nil {
		t.Errorf("AdminInitiateAuth after AdminEnableUser = %+v, %v", out, err)
	}
	if _, err := e.idp.AdminDisableUser(ctx, &cip.AdminDisableUserInput{UserPoolId: pool, Username: aws.String("nobody")}); apiErr(err) != "UserNotFoundException: User does not exist." {
		t.Errorf("AdminDisableUser(unknown) = %q", apiErr(err))
	}
}

// cognito:preferred_role is the role of the group of lowest precedence
// that has one, and is not set when groups of that precedence have
// different roles (CreateGroup's Precedence, in the Cognito API
// reference); cognito:roles lists every group's role.
func TestPreferredRole(t *testing.T) {
	const (
		roleA = "arn:aws:iam::000000000000:role/a"
		roleB = "arn:aws:iam::000000000000:role/b"
	)
	type group struct {
		name       string
		precedence *int32
		role       string
	}
	prec := func(n int32) *int32 { return &n }
	tests := []struct {
		name          string
		groups        []group
		wantPreferred any // nil when the claim is absent
	}{
		{"one group", []group{{"g1", prec(1), roleA}}, roleA},
		{"the lowest precedence wins", []group{{"g1", prec(2), roleA}, {"g2", prec(1), roleB}}, roleB},
		{"a tie with the same role", []group{{"g1", prec(1), roleA}, {"g2", prec(1), roleA}}, roleA},
		{"a tie with different roles", []group{{"a-admins", prec(1), roleA}, {"b-readers", prec(1), roleB}}, nil},
		{"a tie hides a later group", []group{{"g1", prec(1), roleA}, {"g2", prec(1), roleB}, {"g3", prec(5), roleA}}, nil},
		{"no precedence", []group{{"g1", nil, roleA}}, nil},
		{"a group without a role does not tie", []group{{"g1", prec(1), ""}, {"g2", prec(1), roleB}}, roleB},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, "")
			ctx := context.Background()
			e.signUp(t, "ana", "ana@example.org")
			for _, g := range tt.groups {
				in := &cip.CreateGroupInput{UserPoolId: aws.String(testPool), GroupName: aws.String(g.name), Precedence: g.precedence}
				if g.role != "" {
					in.RoleArn = aws.String(g.role)
				}
				if _, err := e.idp.CreateGroup(ctx, in); err != nil {
					t.Fatal(err)
				}
				if _, err := e.idp.AdminAddUserToGroup(ctx, &cip.AdminAddUserToGroupInput{UserPoolId: aws.String(testPool),
					Username: aws.String("ana"), GroupName: aws.String(g.name)}); err != nil {
					t.Fatal(err)
				}
			}
			res := e.signIn(t, "ana", goodPassword)
			id, err := e.svc.Verifier(testPool, []string{testClient}, verify.TokenUseID).Verify(ctx, *res.IdToken)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.wantPreferred, id.Raw["cognito:preferred_role"]); diff != "" {
				t.Errorf("cognito:preferred_role (-want +got):\n%s", diff)
			}
		})
	}
}
