package localcognito

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
)

// epoch is a JSON 1.1 timestamp: seconds since the epoch.
func epoch(t time.Time) float64 { return float64(t.UnixMilli()) / 1000 }

// userType is a user as the admin operations answer with it.
type userType struct {
	Username             string
	Attributes           []attribute `json:",omitempty"`
	UserCreateDate       float64
	UserLastModifiedDate float64
	Enabled              bool
	UserStatus           string
}

func toUserType(u *user) userType {
	return userType{
		Username: u.Username, Attributes: attributeList(u),
		UserCreateDate: epoch(u.Created), UserLastModifiedDate: epoch(u.Modified),
		Enabled: u.Enabled, UserStatus: u.Status,
	}
}

// lookupPool finds a pool by the UserPoolId of a request.
func (s *Service) lookupPool(id string) (*pool, error) {
	if id == "" {
		return nil, errMissing("userPoolId")
	}
	if !poolIDPattern.MatchString(id) {
		return nil, errInvalidParam("1 validation error detected: Value '%s' at 'userPoolId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w-]+_[0-9a-zA-Z]+", id)
	}
	p := s.pool(id)
	if p == nil {
		return nil, &apiError{Type: "ResourceNotFoundException", Message: fmt.Sprintf("User pool %.60s does not exist.", id)}
	}
	return p, nil
}

// adminUser finds the pool and user of an admin request.
func (s *Service) adminUser(ctx context.Context, poolID, username string) (*pool, *user, error) {
	p, err := s.lookupPool(poolID)
	if err != nil {
		return nil, nil, err
	}
	if username == "" {
		return nil, nil, errMissing("username")
	}
	u, err := s.getUser(ctx, p.ID, username)
	if errors.Is(err, errNotFound) {
		return nil, nil, &apiError{Type: "UserNotFoundException", Message: msgUserNotExist}
	}
	return p, u, err
}

func opAdminCreateUser(ctx context.Context, s *Service, c *call) (any, error) {
	var in struct {
		UserPoolId        string
		Username          string
		UserAttributes    []attribute
		TemporaryPassword string
		MessageAction     string
	}
	if err := c.decode(&in); err != nil {
		return nil, err
	}
	p, err := s.lookupPool(in.UserPoolId)
	if err != nil {
		return nil, err
	}
	if err := checkUsername(in.Username); err != nil {
		return nil, err
	}
	attrs, err := attrsFrom(in.UserAttributes, true)
	if err != nil {
		return nil, err
	}
	switch in.MessageAction {
	case "", "SUPPRESS", "RESEND":
	default:
		return nil, errInvalidParam("1 validation error detected: Value '%.20s' at 'messageAction' failed to satisfy constraint: Member must satisfy enum value set: [RESEND, SUPPRESS]", in.MessageAction)
	}
	if in.MessageAction == "RESEND" {
		return nil, errInvalidParam("RESEND is not supported by this emulator (faasport localcognito): delete and create the user")
	}
	pw := in.TemporaryPassword
	if pw == "" {
		pw = tempPassword(p.policy())
	} else if err := checkPassword(p.policy(), pw); err != nil {
		return nil, err
	}
	now := s.clock.Now()
	u := &user{PoolID: p.ID, Username: in.Username, Sub: newUUID(), Attrs: attrs, Status: statusForceChange,
		Enabled: true, Created: now, Modified: now}
	if err := s.setPassword(p, u, pw); err != nil {
		return nil, err
	}
	if err := s.insertUser(ctx, u); errors.Is(err, errExists) {
		return nil, &apiError{Type: "UsernameExistsException", Message: "User account already exists"}
	} else if err != nil {
		return nil, err
	}
	if in.MessageAction != "SUPPRESS" {
		s.deliverCode(ctx, p, u, "TemporaryPassword", pw)
	}
	return struct{ User userType }{toUserType(u)}, nil
}

func opAdminGetUser(ctx context.Context, s *Service, c *call) (any, error) {
	var in struct{ UserPoolId, Username string }
	if err := c.decode(&in); err != nil {
		return nil, err
	}
	_, u, err := s.adminUser(ctx, in.UserPoolId, in.Username)
	if err != nil {
		return nil, err
	}
	ut := toUserType(u)
	return struct {
		Username             string
		UserAttributes       []attribute
		UserCreateDate       float64
		UserLastModifiedDate float64
		Enabled              bool
		UserStatus           string
	}{ut.Username, ut.Attributes, ut.UserCreateDate, ut.UserLastModifiedDate, ut.Enabled, ut.UserStatus}, nil
}

func opAdminDeleteUser(ctx context.Context, s *Service, c *call) (any, error) {
	var in struct{ UserPoolId, Username string }
	if err := c.decode(&in); err != nil {
		return nil, err
	}
	p, u, err := s.adminUser(ctx, in.UserPoolId, in.Username)
	if err != nil {
		return nil, err
	}
	key := usernameKey(u.Username)
	for _, q := range []string{
		`DELETE FROM users WHERE pool_id = ? AND username_key = ?`,
		`DELETE FROM memberships WHERE pool_id = ? AND username_key = ?`,
		`UPDATE refresh_tokens SET revoked = 1 WHERE pool_id = ? AND username_key = ?`,
	} {
		if _, err := s.db.ExecContext(ctx, q, p.ID, key); err != nil {
			return nil, err
		}
	}
	return struct{}{}, nil
}

func opAdminConfirmSignUp(ctx context.Context, s *Service, c *call) (any, error) {
	var in struct{ UserPoolId, Username string }
	if err := c.decode(&in); err != nil {
		return nil, err
	}
	_, u, err := s.adminUser(ctx, in.UserPoolId, in.Username)
	if err != nil {
		return nil, err
	}
	if u.Status != statusUnconfirmed {
		return nil, notAuthorized("User cannot be confirmed. Current status is " + u.Status)
	}
	u.Status, u.ConfirmCode, u.Modified = statusConfirmed, "", s.clock.Now()
	return struct{}{}, s.updateUser(ctx, u)
}

func opAdminSetUserPassword(ctx context.Context, s *Service, c *call) (any, error) {
	var in struct {
		UserPoolId, Username, Password string
		Permanent                      bool
	}
	if err := c.decode(&in); err != nil {
		return nil, err
	}
	p, u, err := s.adminUser(ctx, in.UserPoolId, in.Username)
	if err != nil {
		return nil, err
	}
	if in.Password == "" {
		return nil, errMissing("password")
	}
	if err := checkPassword(p.policy(), in.Password); err != nil {
		return nil, err
	}
	if err := s.setPassword(p, u, in.Password); err != nil {
		return nil, err
	}
	u.Status = statusForceChange
	if in.Permanent {
		u.Status = statusConfirmed
	}
	u.Modified = s.clock.Now()
	return struct{}{}, s.updateUser(ctx, u)
}

func (s *Service) membership(ctx context.Context, c *call, add bool) (any, error) {
	var in struct{ UserPoolId, Username, GroupName string }
	if err := c.decode(&in); err != nil {
		return nil, err
	}
	p, u, err := s.adminUser(ctx, in.UserPoolId, in.Username)
	if err != nil {
		return nil, err
	}
	if err := checkGroupName("groupName", in.GroupName); err != nil {
		return nil, err
	}
	if _, err := s.getGroup(ctx, p.ID, in.GroupName); errors.Is(err, errNotFound) {
		return nil, &apiError{Type: "ResourceNotFoundException", Message: "Group not found."}
	} else if err != nil {
		return nil, err
	}
	q := `INSERT OR IGNORE INTO memberships (pool_id, username_key, group_name) VALUES (?, ?, ?)`
	if !add {
		q = `DELETE FROM memberships WHERE pool_id = ? AND username_key = ? AND group_name = ?`
	}
	_, err = s.db.ExecContext(ctx, q, p.ID, usernameKey(u.Username), in.GroupName)
	return struct{}{}, err
}

func opAdminAddUserToGroup(ctx context.Context, s *Service, c *call) (any, error) {
	return s.membership(ctx, c, true)
}

func opAdminRemoveUserFromGroup(ctx context.Context, s *Service, c *call) (any, error) {
	return s.membership(ctx, c, false)
}

func opCreateGroup(ctx context.Context, s *Service, c *call) (any, error) {
	var in struct {
		GroupName, UserPoolId, Description, RoleArn string
		Precedence                                  *int32
	}
	if err := c.decode(&in); err != nil {
		return nil, err
	}
	p, err := s.lookupPool(in.UserPoolId)
	if err != nil {
		return nil, err
	}
	if err := checkGroup(in.GroupName, in.Description, in.RoleArn, in.Precedence); err != nil {
		return nil, err
	}
	g := &group{Name: in.GroupName, Description: in.Description, Precedence: in.Precedence, RoleARN: in.RoleArn, Created: s.clock.Now()}
	if err := s.insertGroup(ctx, p.ID, g); errors.Is(err, errExists) {
		return nil, &apiError{Type: "GroupExistsException", Message: fmt.Sprintf("A group with the name %s already exists.", in.GroupName)}
	} else if err != nil {
		return nil, err
	}
	type groupType struct {
		GroupName        string
		UserPoolId       string
		Description      string `json:",omitempty"`
		RoleArn          string `json:",omitempty"`
		Precedence       *int32 `json:",omitempty"`
		CreationDate     float64
		LastModifiedDate float64
	}
	return struct{ Group groupType }{groupType{g.Name, p.ID, g.Description, g.RoleARN, g.Precedence, epoch(g.Created), epoch(g.Created)}}, nil
}

// filterPattern is ListUsers' filter: attribute = "value" or ^= "value".
// The attribute may be quoted too, as in the API reference's example
// "email"^="testuser". In the value, \" and \\ stand for " and \; a
// backslash before any other character, a line break included (flag s),
// stands for itself.
var filterPattern = regexp.MustCompile(`(?s)^\s*(?:"([\w:]+)"|([\w:]+))\s*(\^?=)\s*"((?:[^"\\]|\\.)*)"\s*$`)

var filterable = map[string]bool{
	"username": true, "email": true, "phone_number": true, "name": true, "given_name": true, "family_name": true,
	"preferred_username": true, "cognito:user_status": true, "status": true, "sub": true,
}

func opListUsers(ctx context.Context, s *Service, c *call) (any, error) {
	var in struct {
		UserPoolId      string
		Limit           *int32
		PaginationToken string
		Filter          string
		AttributesToGet []string
	}
	if err := c.decode(&in); err != nil {
		return nil, err
	}
	p, err := s.lookupPool(in.UserPoolId)
	if err != nil {
		return nil, err
	}
	limit := 60
	if in.Limit != nil {
		if *in.Limit < 0 {
			return nil, errInvalidParam("1 validation error detected: Value '%d' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 0", *in.Limit)
		}
		if *in.Limit > 60 {
			return nil, errInvalidParam("1 validation error detected: Value '%d' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 60", *in.Limit)
		}
		if *in.Limit > 0 {
			limit = int(*in.Limit)
		}
	}
	// A page starts after the username key its token names, so that users
	// created or deleted between pages do not shift the others.
	after := ""
	if in.PaginationToken != "" {
		key, ok := parseUsersToken(in.PaginationToken)
		if !ok {
			return nil, errInvalidParam("Invalid pagination token.")
		}
		after = key
	}
	var attr, op, val string
	if strings.TrimSpace(in.Filter) != "" {
		m := filterPattern.FindStringSubmatch(in.Filter)
		if m == nil || !filterable[m[1]+m[2]] {
			return nil, errInvalidParam("Error while parsing filter.")
		}
		attr, op, val = m[1]+m[2], m[3], strings.NewReplacer(`\"`, `"`, `\\`, `\`).Replace(m[4])
		if attr == "cognito:user_status" {
			// Cognito compares the status case-insensitively; statuses
			// are upper case.
			val = strings.ToUpper(val)
		}
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+userColumns+` FROM users WHERE pool_id = ? AND username_key > ?
		ORDER BY username_key`, p.ID, after)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var users []userType
	more := false
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		if attr != "" {
			have, present := "", true
			switch attr {
			case "username":
				have = u.Username
			case "sub":
				have = u.Sub
			case "cognito:user_status":
				have = u.Status
			case "status":
				have = map[bool]string{true: "Enabled", false: "Disabled"}[u.Enabled]
			default:
				// A user without the attribute matches no value of it.
				have, present = u.Attrs[attr]
			}
			if !present || (op == "=" && have != val) || (op == "^=" && !strings.HasPrefix(have, val)) {
				continue
			}
		}
		if len(users) == limit {
			more = true
			break
		}
		ut := toUserType(u)
		if in.AttributesToGet != nil {
			var keep []attribute
			for _, a := range ut.Attributes {
				for _, want := range in.AttributesToGet {
					if a.Name == want {
						keep = append(keep, a)
					}
				}
			}
			ut.Attributes = keep
		}
		users = append(users, ut)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := struct {
		Users           []userType
		PaginationToken string `json:",omitempty"`
	}{Users: users}
	if out.Users == nil {
		out.Users = []userType{}
	}
	if more {
		out.PaginationToken = usersToken(users[len(users)-1].Username)
	}
	return out, nil
}

// usersTokenPrefix marks ListUsers pagination tokens.
const usersTokenPrefix = "users-after:"

// usersToken returns the ListUsers pagination token of the page that
// follows the user named username.
func usersToken(username string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(usersTokenPrefix + usernameKey(username)))
}

// parseUsersToken returns the username key a ListUsers pagination token
// names.
func parseUsersToken(token string) (string, bool) {
	b, err := base64.RawURLEncoding.Strict().DecodeString(token)
	if err != nil {
		return "", false
	}
	return strings.CutPrefix(string(b), usersTokenPrefix)
}

// adminClient finds the pool and the client of an admin authentication
// request; the client must be the pool's.
func (s *Service) adminClient(poolID, clientID string) (*pool, *client, error) {
	p, err := s.lookupPool(poolID)
	if err != nil {
		return nil, nil, err
	}
	cp, cl, err := s.lookupClient(clientID)
	if err != nil {
		return nil, nil, err
	}
	if cp.ID != p.ID {
		return nil, nil, &apiError{Type: "ResourceNotFoundException", Message: fmt.Sprintf("User pool client %.60s does not exist.", clientID)}
	}
	return p, cl, nil
}

// opAdminInitiateAuth signs a user in for a trusted back end: with
// ADMIN_USER_PASSWORD_AUTH (or its older name ADMIN_NO_SRP_AUTH), or a
// refresh token.
func opAdminInitiateAuth(ctx context.Context, s *Service, c *call) (any, error) {
	var in struct {
		UserPoolId     string
		ClientId       string
		AuthFlow       string
		AuthParameters map[string]string
	}
	if err := c.decode(&in); err != nil {
		return nil, err
	}
	if in.AuthFlow == "" {
		return nil, errMissing("authFlow")
	}
	p, cl, err := s.adminClient(in.UserPoolId, in.ClientId)
	if err != nil {
		return nil, err
	}
	params := in.AuthParameters
	switch in.AuthFlow {
	case "ADMIN_USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH":
		if !cl.allows(AllowAdminUserPasswordAuth) {
			return nil, errInvalidParam("%s flow not enabled for this client", in.AuthFlow)
		}
		if err := requireParams(params, []string{"USERNAME", "PASSWORD"}); err != nil {
			return nil, err
		}
		return s.passwordAuth(ctx, c, p, cl, params["USERNAME"], params["PASSWORD"], params["SECRET_HASH"])
	case "REFRESH_TOKEN_AUTH", "REFRESH_TOKEN":
		return s.refreshFlow(ctx, p, cl, in.AuthFlow, params)
	case "USER_SRP_AUTH", "USER_PASSWORD_AUTH", "CUSTOM_AUTH", "USER_AUTH":
		return nil, errInvalidParam("%s flow is not supported by AdminInitiateAuth in this emulator (faasport localcognito)", in.AuthFlow)
	}
	return nil, errAuthFlow(in.AuthFlow)
}

func opAdminRespondToAuthChallenge(ctx context.Context, s *Service, c *call) (any, error) {
	var in challengeInput
	if err := c.decode(&in); err != nil {
		return nil, err
	}
	if in.ChallengeName == "" {
		return nil, errMissing("challengeName")
	}
	p, cl, err := s.adminClient(in.UserPoolId, in.ClientId)
	if err != nil {
		return nil, err
	}
	return s.respondToChallenge(ctx, c, p, cl, &in)
}

// opAdminSetEnabled returns AdminEnableUser (enabled) or AdminDisableUser.
// Disabling a user also revokes their tokens, as Cognito's API reference
// has it: "Deactivates a user and revokes all access tokens for the user."
func opAdminSetEnabled(enabled bool) opFunc {
	return func(ctx context.Context, s *Service, c *call) (any, error) {
		var in struct{ UserPoolId, Username string }
		if err := c.decode(&in); err != nil {
			return nil, err
		}
		p, u, err := s.adminUser(ctx, in.UserPoolId, in.Username)
		if err != nil {
			return nil, err
		}
		u.Enabled, u.Modified = enabled, s.clock.Now()
		if err := s.updateUser(ctx, u); err != nil {
			return nil, err
		}
		if !enabled {
			if _, err := s.db.ExecContext(ctx, `UPDATE refresh_tokens SET revoked = 1 WHERE pool_id = ? AND username_key = ?`,
				p.ID, usernameKey(u.Username)); err != nil {
				return nil, err
			}
		}
		return struct{}{}, nil
	}
}
