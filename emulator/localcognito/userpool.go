package localcognito

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf16"
)

// Messages Cognito answers with.
const (
	msgIncorrect      = "Incorrect username or password."
	msgUserNotExist   = "User does not exist."
	msgComboNotFound  = "Username/client id combination not found."
	msgCodeMismatch   = "Invalid verification code provided, please try again."
	msgCodeExpired    = "Invalid code provided, please request a code again."
	msgNotConfirmed   = "User is not confirmed."
	msgDisabled       = "User is disabled."
	msgAttemptLimit   = "Attempt limit exceeded, please try after some time."
	msgInvalidSession = "Invalid session for the user, session is expired."
)

func notAuthorized(msg string) *apiError {
	return &apiError{Type: "NotAuthorizedException", Message: msg}
}

type attribute struct {
	Name  string  `json:"Name"`
	Value *string `json:"Value,omitempty"`
}

type codeDeliveryDetails struct {
	AttributeName  string `json:"AttributeName,omitempty"`
	DeliveryMedium string `json:"DeliveryMedium,omitempty"`
	Destination    string `json:"Destination,omitempty"`
}

// usernamePattern is Cognito's pattern for usernames: no whitespace.
var usernamePattern = regexp.MustCompile(`^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$`)

// awsLen is the length of s as the API's length constraints count it: in
// UTF-16 code units, so that "é" counts 1 and an emoji 2, not their UTF-8
// bytes.
func awsLen(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r) // ranging yields no surrogates, for which it is -1: bad UTF-8 comes as U+FFFD
	}
	return n
}

// checkGroupName applies CreateGroup's constraints on a group's name to
// name, the value of the member field.
func checkGroupName(field, name string) error {
	switch {
	case name == "":
		return errMissing(field)
	case awsLen(name) > 128:
		return errInvalidParam("1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must have length less than or equal to 128", name, field)
	case !usernamePattern.MatchString(name):
		return errInvalidParam("1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+", name, field)
	}
	return nil
}

// roleARNPattern is CreateGroup's pattern for RoleArn.
var roleARNPattern = regexp.MustCompile(`^arn:[\w+=/,.@-]+:[\w+=/,.@-]+:([\w+=/,.@-]*)?:[0-9]+:[\w+=/,.@-]+(:[\w+=/,.@-]+)?(:[\w+=/,.@-]+)?$`)

// checkGroup applies CreateGroup's constraints to a group's fields.
func checkGroup(name, description, roleARN string, precedence *int32) error {
	if err := checkGroupName("groupName", name); err != nil {
		return err
	}
	if awsLen(description) > 2048 {
		return errInvalidParam("1 validation error detected: Value '%s' at 'description' failed to satisfy constraint: Member must have length less than or equal to 2048", description)
	}
	if roleARN != "" {
		switch n := awsLen(roleARN); {
		case n < 20:
			return errInvalidParam("1 validation error detected: Value '%s' at 'roleArn' failed to satisfy constraint: Member must have length greater than or equal to 20", roleARN)
		case n > 2048:
			return errInvalidParam("1 validation error detected: Value '%s' at 'roleArn' failed to satisfy constraint: Member must have length less than or equal to 2048", roleARN)
		case !roleARNPattern.MatchString(roleARN):
			return errInvalidParam("1 validation error detected: Value '%s' at 'roleArn' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:[\\w+=/,.@-]+:[\\w+=/,.@-]+:([\\w+=/,.@-]*)?:[0-9]+:[\\w+=/,.@-]+(:[\\w+=/,.@-]+)?(:[\\w+=/,.@-]+)?", roleARN)
		}
	}
	if precedence != nil && *precedence < 0 {
		return errInvalidParam("1 validation error detected: Value '%d' at 'precedence' failed to satisfy constraint: Member must have value greater than or equal to 0", *precedence)
	}
	return nil
}

func checkUsername(name string) error {
	switch {
	case name == "":
		return errMissing("username")
	case awsLen(name) > 128:
		return errInvalidParam("1 validation error detected: Value at 'username' failed to satisfy constraint: Member must have length less than or equal to 128")
	case !usernamePattern.MatchString(name):
		return errInvalidParam("1 validation error detected: Value at 'username' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+")
	}
	return nil
}

// standardAttributes are the attributes of every user pool's schema
// (OpenID Connect's standard claims), which app clients may write.
var standardAttributes = map[string]bool{
	"address": true, "birthdate": true, "email": true, "family_name": true, "gender": true, "given_name": true,
	"locale": true, "middle_name": true, "name": true, "nickname": true, "phone_number": true, "picture": true,
	"preferred_username": true, "profile": true, "updated_at": true, "website": true, "zoneinfo": true,
}

// verifiedAttributes are in the schema too, but only administrators may
// set them: an app client's default write permissions leave them out, so
// that no user can claim an address they have not verified.
var verifiedAttributes = map[string]bool{"email_verified": true, "phone_number_verified": true}

// checkAttrName refuses, as Cognito does, the attribute names outside the
// pool's schema: the standard attributes and custom:* ones (any, as pools
// here declare none). Every token claim the service sets itself (aud,
// cognito:groups, scope, ...) is outside it, so that no user can put it
// into their token. Only an administrator (admin) may set
// email_verified and phone_number_verified.
func checkAttrName(name string, admin bool) error {
	switch {
	case standardAttributes[name], len(name) > len("custom:") && strings.HasPrefix(name, "custom:"):
		return nil
	case verifiedAttributes[name]:
		if admin {
			return nil
		}
		return notAuthorized("A client attempted to write unauthorized attribute")
	}
	return errInvalidParam("Attributes did not conform to the schema: %.32s: Attribute does not exist in the schema.\n", name)
}

// attrsFrom turns an attribute list into a map, refusing sub and names
// outside the schema; admin tells an administrator's request.
func attrsFrom(list []attribute, admin bool) (map[string]string, error) {
	m := map[string]string{}
	for _, a := range list {
		switch {
		case a.Name == "":
			return nil, errMissing("userAttributes.member.name")
		case a.Name == "sub":
			return nil, errInvalidParam("Cannot modify the non-mutable attribute sub")
		case awsLen(a.Name) > 32:
			return nil, errInvalidParam("1 validation error detected: Value at 'userAttributes.member.name' failed to satisfy constraint: Member must have length less than or equal to 32")
		}
		if err := checkAttrName(a.Name, admin); err != nil {
			return nil, err
		}
		v := ""
		if a.Value != nil {
			v = *a.Value
		}
		if awsLen(v) > 2048 {
			return nil, errInvalidParam("1 validation error detected: Value at 'userAttributes.member.value' failed to satisfy constraint: Member must have length less than or equal to 2048")
		}
		m[a.Name] = v
	}
	return m, nil
}

// attributeList is u's attributes as Cognito lists them: sub first.
func attributeList(u *user) []attribute {
	out := []attribute{{Name: "sub", Value: &u.Sub}}
	for _, k := range slices.Sorted(maps.Keys(u.Attrs)) {
		v := u.Attrs[k]
		out = append(out, attribute{Name: k, Value: &v})
	}
	return out
}

// lookupClient finds an app client and its pool.
func (s *Service) lookupClient(clientID string) (*pool, *client, error) {
	if clientID == "" {
		return nil, nil, errMissing("clientId")
	}
	c := s.client(clientID)
	if c == nil {
		return nil, nil, &apiError{Type: "ResourceNotFoundException", Message: fmt.Sprintf("User pool client %.128s does not exist.", clientID)}
	}
	p := s.pool(c.PoolID)
	if p == nil {
		return nil, nil, &apiError{Type: "ResourceNotFoundException", Message: fmt.Sprintf("User pool %s does not exist.", c.PoolID)}
	}
	return p, c, nil
}

// SecretHash computes the SECRET_HASH of username for a client with a
// secret: Base64(HMAC-SHA256(secret, username + clientId)).
func SecretHash(clientID, clientSecret, username string) string {
	m := hmac.New(sha256.New, []byte(clientSecret))
	m.Write([]byte(username + clientID))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// checkSecretHash checks the SECRET_HASH of a confidential client against
// any of the names the user may be known by.
func checkSecretHash(c *client, hash string, usernames ...string) error {
	if c.Config.Secret == "" {
		return nil
	}
	if hash == "" {
		return notAuthorized(fmt.Sprintf("Client %s is configured for secret but secret was not received", c.Config.ID))
	}
	for _, name := range usernames {
		want := SecretHash(c.Config.ID, c.Config.Secret, name)
		if name != "" && subtle.ConstantTimeCompare([]byte(want), []byte(hash)) == 1 {
			return nil
		}
	}
	return notAuthorized(fmt.Sprintf("Unable to verify secret hash for client %s", c.Config.ID))
}

// setPassword sets u's password hash and SRP verifier.
func (s *Service) setPassword(p *pool, u *user, password string) error {
	h, err := hashPassword(password, s.bcryptCost)
	if err != nil {
		return err
	}
	u.PasswordHash = h
	u.SRPSalt, u.SRPVerifier = newSRPVerifier(p.poolName(), u.Username, password)
	return nil
}

// newCode returns a six-digit code.
func newCode() string { return randomString(6, "0123456789") }

// deliver logs a code and hands it to Options.DeliverCode; it returns
// the CodeDeliveryDetails Cognito would answer with.
func (s *Service) deliverCode(ctx context.Context, p *pool, u *user, purpose, code string) *codeDeliveryDetails {
	email := u.Attrs["email"]
	s.log.InfoContext(ctx, "localcognito: code for user", "pool", p.ID, "username", u.Username, "purpose", purpose,
		"destination", email, "code", code)
	if s.deliver != nil {
		s.deliver(ctx, CodeDelivery{PoolID: p.ID, Username: u.Username, Purpose: purpose, Destination: email, Code: code})
	}
	switch {
	case email != "":
		return &codeDeliveryDetails{AttributeName: "email", DeliveryMedium: "EMAIL", Destination: maskEmail(email)}
	case u.Attrs["phone_number"] != "":
		ph := u.Attrs["phone_number"]
		return &codeDeliveryDetails{AttributeName: "phone_number", DeliveryMedium: "SMS", Destination: "+*******" + ph[max(0, len(ph)-4):]}
	}
	return nil
}

// maskEmail hides an address as Cognito does: "a***@e***".
func maskEmail(e string) string {
	local, domain, ok := strings.Cut(e, "@")
	if !ok || local == "" || domain == "" {
		return "***"
	}
	return local[:1] + "***@" + domain[:1] + "***"
}

// codeAttempt limits guesses at codes the way sign-ins are limited.
func (s *Service) codeAttempt(key, addr string) error {
	if err := s.throttle.check(s.clock.Now(), "code|"+key, addr); err != nil {
		var ae *apiError
		if errors.As(err, &ae) && ae.Type == "NotAuthorizedException" {
			return &apiError{Type: "LimitExceededException", Message: msgAttemptLimit}
		}
		return err
	}
	return nil
}

// checkCode compares a code in constant time and tells mismatch from
// expiry.
func (s *Service) checkCode(key, addr, want string, expires time.Time, got string) error {
	if err := s.codeAttempt(key, addr); err != nil {
		return err
	}
	if want == "" || subtle.ConstantTimeCompare([]byte(want), []byte(got)) != 1 {
		s.throttle.fail(s.clock.Now(), "code|"+key, addr)
		return &apiError{Type: "CodeMismatchException", Message: msgCodeMismatch}
	}
	if !s.clock.Now().Before(expires) {
		return &apiError{Type: "ExpiredCodeException", Message: msgCodeExpired}
	}
	s.throttle.succeed("code|" + key)
	return nil
}

func opSignUp(ctx context.Context, s *Service, c *call) (any, error) {
	var in struct {
		ClientId       string
		Username       string
		Password       string
		SecretHash     string
		UserAttributes []attribute
	}
	if err := c.decode(&in); err != nil {
		return nil, err
	}
	p, cl, err := s.lookupClient(in.ClientId)
	if err != nil {
		return nil, err
	}
	if err := checkUsername(in.Username); err != nil {
		return nil, err
	}
	if in.Password == "" {
		return nil, errMissing("password")
	}
	if err := checkSecretHash(cl, in.SecretHash, in.Username); err != nil {
		return nil, err
	}
	attrs, err := attrsFrom(in.UserAttributes, false)
	if err != nil {
		return nil, err
	}
	if err := checkPassword(p.policy(), in.Password); err != nil {
		return nil, err
	}
	now := s.clock.Now()
	u := &user{PoolID: p.ID, Username: in.Username, Sub: newUUID(), Attrs: attrs, Status: statusUnconfirmed,
		Enabled: true, Created: now, Modified: now}
	if p.Config.AutoConfirm {
		u.Status = statusConfirmed
	} else {
		u.ConfirmCode, u.ConfirmExpires = newCode(), now.Add(signUpCodeTTL)
	}
	if err := s.setPassword(p, u, in.Password); err != nil {
		return nil, err
	}
	if err := s.insertUser(ctx, u); errors.Is(err, errExists) {
		return nil, &apiError{Type: "UsernameExistsException", Message: "User already exists"}
	} else if err != nil {
		return nil, err
	}
	out := struct {
		UserConfirmed       bool
		UserSub             string
		CodeDeliveryDetails *codeDeliveryDetails `json:",omitempty"`
	}{UserConfirmed: u.Status == statusConfirmed, UserSub: u.Sub}
	if !p.Config.AutoConfirm {
		out.CodeDeliveryDetails = s.deliverCode(ctx, p, u, "SignUp", u.ConfirmCode)
	}
	return out, nil
}

func opConfirmSignUp(ctx context.Context, s *Service, c *call) (any, error) {
	var in struct {
		ClientId, Username, ConfirmationCode, SecretHash string
	}
	if err := c.decode(&in); err != nil {
		return nil, err
	}
	p, cl, err := s.lookupClient(in.ClientId)
	if err != nil {
		return nil, err
	}
	if in.Username == "" {
		return nil, errMissing("username")
	}
	if in.ConfirmationCode == "" {
		return nil, errMissing("confirmationCode")
	}
	u, err := s.getUser(ctx, p.ID, in.Username)
	if errors.Is(err, errNotFound) {
		return nil, &apiError{Type: "UserNotFoundException", Message: msgComboNotFound}
	} else if err != nil {
		return nil, err
	}
	if err := checkSecretHash(cl, in.SecretHash, u.Username, in.Username); err != nil {
		return nil, err
	}
	if u.Status != statusUnconfirmed {
		return nil, notAuthorized("User cannot be confirmed. Current status is " + u.Status)
	}
	if err := s.checkCode(p.ID+"|"+usernameKey(u.Username), c.addr, u.ConfirmCode, u.ConfirmExpires, in.ConfirmationCode); err != nil {
		return nil, err
	}
	u.Status, u.ConfirmCode, u.Modified = statusConfirmed, "", s.clock.Now()
	if u.Attrs["email"] != "" {
		u.Attrs["email_verified"] = "true"
	}
	return struct{}{}, s.updateUser(ctx, u)
}

type initiateAuthOutput struct {
	AuthenticationResult *authenticationResult `json:",omitempty"`
	ChallengeName        string                `json:",omitempty"`
	ChallengeParameters  map[string]string
	Session              string `json:",omitempty"`
}

// requireParams returns Cognito's error for the first of names that params
// (AuthParameters or ChallengeResponses) lacks or leaves empty.
func requireParams(params map[string]string, names []string) error {
	for _, n := range names {
		if params[n] == "" {
			return errInvalidParam("Missing required parameter %s", n)
		}
	}
	return nil
}

func opInitiateAuth(ctx context.Context, s *Service, c *call) (any, error) {
	var in struct {
		AuthFlow       string
		ClientId       string
		AuthParameters map[string]string
	}
	if err := c.decode(&in); err != nil {
		return nil, err
	}
	if in.AuthFlow == "" {
		return nil, errMissing("authFlow")
	}
	p, cl, err := s.lookupClient(in.ClientId)
	if err != nil {
		return nil, err
	}
	params := in.AuthParameters
	need := func(names ...string) error { return requireParams(params, names) }
	notEnabled := func() error { return errInvalidParam("%s flow not enabled for this client", in.AuthFlow) }

	switch in.AuthFlow {
	case "USER_PASSWORD_AUTH":
		if !cl.allows(AllowUserPasswordAuth) {
			return nil, notEnabled()
		}
		if err := need("USERNAME", "PASSWORD"); err != nil {
			return nil, err
		}
		return s.passwordAuth(ctx, c, p, cl, params["USERNAME"], params["PASSWORD"], params["SECRET_HASH"])
	case "USER_SRP_AUTH":
		if !cl.allows(AllowUserSRPAuth) {
			return nil, notEnabled()
		}
		if err := need("USERNAME", "SRP_A"); err != nil {
			return nil, err
		}
		return s.startSRP(ctx, c, p, cl, params["USERNAME"], params["SRP_A"], params["SECRET_HASH"])
	case "REFRESH_TOKEN_AUTH", "REFRESH_TOKEN":
		return s.refreshFlow(ctx, p, cl, in.AuthFlow, params)
	case "CUSTOM_AUTH", "USER_AUTH":
		return nil, errInvalidParam("%s flow is not supported by this emulator (faasport localcognito)", in.AuthFlow)
	case "ADMIN_NO_SRP_AUTH", "ADMIN_USER_PASSWORD_AUTH":
		return nil, errInvalidParam("Initiate Auth method not supported.")
	}
	return nil, errAuthFlow(in.AuthFlow)
}

// refreshFlow runs the REFRESH_TOKEN_AUTH flow (named flow) of
// InitiateAuth or AdminInitiateAuth for client cl of pool p.
func (s *Service) refreshFlow(ctx context.Context, p *pool, cl *client, flow string, params map[string]string) (any, error) {
	if !cl.allows(AllowRefreshTokenAuth) {
		return nil, errInvalidParam("%s flow not enabled for this client", flow)
	}
	if err := requireParams(params, []string{"REFRESH_TOKEN"}); err != nil {
		return nil, err
	}
	return s.refreshAuth(ctx, p, cl, params["REFRESH_TOKEN"], params["SECRET_HASH"], params["USERNAME"])
}

// errAuthFlow refuses an AuthFlow outside the API's enum, which it lists
// whole, admin flows included (as moto's tests, checked against Cognito,
// have it).
func errAuthFlow(flow string) error {
	return errInvalidParam("1 validation error detected: Value '%.40s' at 'authFlow' failed to satisfy constraint: "+
		"Member must satisfy enum value set: [USER_SRP_AUTH, REFRESH_TOKEN_AUTH, REFRESH_TOKEN, CUSTOM_AUTH, ADMIN_NO_SRP_AUTH, USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH, USER_AUTH]", flow)
}

// findForSignIn looks a user up for a sign-in, applying the throttle
// first. A missing user counts as a failure.
func (s *Service) findForSignIn(ctx context.Context, c *call, p *pool, cl *client, username string) (*user, string, error) {
	key := p.ID + "|" + usernameKey(username)
	if err := s.throttle.check(s.clock.Now(), key, c.addr); err != nil {
		return nil, key, err
	}
	u, err := s.getUser(ctx, p.ID, username)
	if errors.Is(err, errNotFound) {
		s.throttle.fail(s.clock.Now(), key, c.addr)
		if cl.Config.PreventUserExistenceErrors {
			return nil, key, notAuthorized(msgIncorrect)
		}
		return nil, key, &apiError{Type: "UserNotFoundException", Message: msgUserNotExist}
	}
	return u, key, err
}

func (s *Service) passwordAuth(ctx context.Context, c *call, p *pool, cl *client, username, password, secretHash string) (any, error) {
	u, key, err := s.findForSignIn(ctx, c, p, cl, username)
	if err != nil {
		if u == nil {
			// Spend the time a password comparison takes, so that timing
			// does not tell unknown users apart.
			passwordMatches(s.dummy, password)
		}
		return nil, err
	}
	if err := checkSecretHash(cl, secretHash, u.Username, username); err != nil {
		return nil, err
	}
	if !passwordMatches(u.PasswordHash, password) {
		s.throttle.fail(s.clock.Now(), key, c.addr)
		return nil, notAuthorized(msgIncorrect)
	}
	s.throttle.succeed(key)
	return s.afterPassword(ctx, p, cl, u)
}

// afterPassword finishes a sign-in whose password was right: it checks
// the user's state and answers with tokens or the next challenge.
func (s *Service) afterPassword(ctx context.Context, p *pool, cl *client, u *user) (any, error) {
	switch {
	case !u.Enabled:
		return nil, notAuthorized(msgDisabled)
	case u.Status == statusUnconfirmed:
		return nil, &apiError{Type: "UserNotConfirmedException", Message: msgNotConfirmed}
	case u.Status == statusResetRequired:
		return nil, &apiError{Type: "PasswordResetRequiredException", Message: "Password reset required for the user"}
	case u.Status == statusForceChange:
		session := base64.RawURLEncoding.EncodeToString(randomBytes(96))
		s.sessions.put(s.clock.Now(), "np:"+session, &challenge{name: "NEW_PASSWORD_REQUIRED", poolID: p.ID,
			clientID: cl.Config.ID, username: u.Username, expires: s.clock.Now().Add(challengeTTL)})
		attrs, _ := json.Marshal(u.Attrs)
		return &initiateAuthOutput{
			ChallengeName: "NEW_PASSWORD_REQUIRED",
			ChallengeParameters: map[string]string{
				"USER_ID_FOR_SRP": u.Username, "requiredAttributes": "[]", "userAttributes": string(attrs),
			},
			Session: session,
		}, nil
	}
	res, err := s.signIn(ctx, p, cl, u)
	if err != nil {
		return nil, err
	}
	return &initiateAuthOutput{AuthenticationResult: res, ChallengeParameters: map[string]string{}}, nil
}

func (s *Service) startSRP(ctx context.Context, c *call, p *pool, cl *client, username, aHex, secretHash string) (any, error) {
	u, _, err := s.findForSignIn(ctx, c, p, cl, username)
	var ae *apiError
	if u == nil && cl.Config.PreventUserExistenceErrors && errors.As(err, &ae) && ae.Message == msgIncorrect {
		// A client that hides which users exist answers an unknown user
		// a challenge as for a known one, with the same salt every time,
		// and refuses the answer (the developer guide's "Managing user
		// existence error responses").
		return s.srpChallenge(p, cl, username, s.simulatedSalt(p, username), s.simulatedSalt(p, "v|"+username), aHex)
	}
	if err != nil {
		return nil, err
	}
	if err := checkSecretHash(cl, secretHash, u.Username, username); err != nil {
		return nil, err
	}
	if u.SRPVerifier == "" {
		return nil, notAuthorized(msgIncorrect)
	}
	return s.srpChallenge(p, cl, u.Username, u.SRPSalt, u.SRPVerifier, aHex)
}

// simulatedSalt is the salt an unknown user's simulated SRP challenge
// carries: the same for one name and pool while the service runs.
func (s *Service) simulatedSalt(p *pool, username string) string {
	m := hmac.New(sha256.New, s.simKey)
	m.Write([]byte(p.ID + "|" + usernameKey(username)))
	return hex.EncodeToString(m.Sum(nil)[:16])
}

// srpChallenge starts the PASSWORD_VERIFIER challenge of username, whose
// SRP salt and verifier are saltHex and verifierHex, for the client's A.
func (s *Service) srpChallenge(p *pool, cl *client, username, saltHex, verifierHex, aHex string) (any, error) {
	srv := newSRPServer(p.poolName(), username, saltHex, verifierHex, aHex)
	if srv == nil {
		return nil, errInvalidParam("SRP_A must be a hexadecimal number that is not 0 modulo N")
	}
	block := base64.StdEncoding.EncodeToString(srv.secretBlock)
	session := base64.RawURLEncoding.EncodeToString(randomBytes(96))
	s.sessions.put(s.clock.Now(), "srp:"+block, &challenge{name: "PASSWORD_VERIFIER", poolID: p.ID, clientID: cl.Config.ID,
		username: username, expires: s.clock.Now().Add(challengeTTL), srp: srv, session: session})
	return &initiateAuthOutput{
		ChallengeName: "PASSWORD_VERIFIER",
		ChallengeParameters: map[string]string{
			"SALT":            saltHex,
			"SECRET_BLOCK":    block,
			"SRP_B":           srv.bigB.Text(16),
			"USERNAME":        username,
			"USER_ID_FOR_SRP": username,
		},
		Session: session,
	}, nil
}

func (s *Service) refreshAuth(ctx context.Context, p *pool, cl *client, token, secretHash, username string) (any, error) {
	invalid := notAuthorized("Invalid Refresh Token.")
	rt, err := s.getRefresh(ctx, sha256Hex(token))
	if errors.Is(err, errNotFound) {
		return nil, invalid
	} else if err != nil {
		return nil, err
	}
	if rt.ClientID != cl.Config.ID || rt.PoolID != p.ID {
		// A refresh token works only for the client it was issued to.
		return nil, invalid
	}
	if rt.Revoked {
		return nil, notAuthorized("Refresh Token has been revoked")
	}
	if !s.clock.Now().Before(rt.Expires) {
		return nil, notAuthorized("Refresh Token has expired")
	}
	u, err := s.getUser(ctx, p.ID, rt.UsernameKey)
	if errors.Is(err, errNotFound) {
		return nil, invalid
	} else if err != nil {
		return nil, err
	}
	if err := checkSecretHash(cl, secretHash, u.Username, u.Sub, username); err != nil {
		return nil, err
	}
	if !u.Enabled {
		return nil, notAuthorized(msgDisabled)
	}
	groups, err := s.userGroups(ctx, p.ID, u.Username)
	if err != nil {
		return nil, err
	}
	t, err := s.mint(&session{pool: p, client: cl, user: u, groups: groups, originJTI: rt.OriginJTI, authTime: rt.AuthTime})
	if err != nil {
		return nil, err
	}
	return &initiateAuthOutput{AuthenticationResult: s.result(t), ChallengeParameters: map[string]string{}}, nil
}

// challengeInput is a RespondToAuthChallenge or
// AdminRespondToAuthChallenge request.
type challengeInput struct {
	UserPoolId         string // AdminRespondToAuthChallenge only
	ChallengeName      string
	ClientId           string
	ChallengeResponses map[string]string
	Session            string
}

func opRespondToAuthChallenge(ctx context.Context, s *Service, c *call) (any, error) {
	var in challengeInput
	if err := c.decode(&in); err != nil {
		return nil, err
	}
	if in.ChallengeName == "" {
		return nil, errMissing("challengeName")
	}
	p, cl, err := s.lookupClient(in.ClientId)
	if err != nil {
		return nil, err
	}
	return s.respondToChallenge(ctx, c, p, cl, &in)
}

// respondToChallenge answers the challenge of in for client cl of pool p.
func (s *Service) respondToChallenge(ctx context.Context, c *call, p *pool, cl *client, in *challengeInput) (any, error) {
	resp := in.ChallengeResponses
	need := func(names ...string) error { return requireParams(resp, names) }
	now := s.clock.Now()
	switch in.ChallengeName {
	case "PASSWORD_VERIFIER":
		if err := need("USERNAME", "PASSWORD_CLAIM_SECRET_BLOCK", "PASSWORD_CLAIM_SIGNATURE", "TIMESTAMP"); err != nil {
			return nil, err
		}
		ch := s.sessions.take(now, "srp:"+resp["PASSWORD_CLAIM_SECRET_BLOCK"])
		if ch == nil || ch.clientID != cl.Config.ID || (in.Session != "" && in.Session != ch.session) ||
			usernameKey(ch.username) != usernameKey(resp["USERNAME"]) {
			return nil, notAuthorized(msgInvalidSession)
		}
		if _, err := time.Parse(SRPTimestampFormat, resp["TIMESTAMP"]); err != nil {
			return nil, errInvalidParam("TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english.")
		}
		key := p.ID + "|" + usernameKey(ch.username)
		if err := s.throttle.check(now, key, c.addr); err != nil {
			return nil, err
		}
		u, err := s.getUser(ctx, p.ID, ch.username)
		if errors.Is(err, errNotFound) {
			return nil, notAuthorized(msgIncorrect)
		} else if err != nil {
			return nil, err
		}
		if err := checkSecretHash(cl, resp["SECRET_HASH"], u.Username, resp["USERNAME"]); err != nil {
			return nil, err
		}
		claim, err := base64.StdEncoding.DecodeString(resp["PASSWORD_CLAIM_SIGNATURE"])
		k := ch.srp.key()
		if err != nil || k == nil || u.SRPVerifier != ch.srp.v.Text(16) ||
			!hmac.Equal(claim, claimSignature(k, p.poolName(), ch.username, ch.srp.secretBlock, resp["TIMESTAMP"])) {
			s.throttle.fail(now, key, c.addr)
			return nil, notAuthorized(msgIncorrect)
		}
		s.throttle.succeed(key)
		return s.afterPassword(ctx, p, cl, u)

	case "NEW_PASSWORD_REQUIRED":
		if in.Session == "" {
			return nil, errMissing("session")
		}
		if err := need("USERNAME", "NEW_PASSWORD"); err != nil {
			return nil, err
		}
		ch := s.sessions.take(now, "np:"+in.Session)
		if ch == nil || ch.clientID != cl.Config.ID || usernameKey(ch.username) != usernameKey(resp["USERNAME"]) {
			return nil, notAuthorized(msgInvalidSession)
		}
		u, err := s.getUser(ctx, p.ID, ch.username)
		if err != nil {
			return nil, notAuthorized(msgInvalidSession)
		}
		if err := checkSecretHash(cl, resp["SECRET_HASH"], u.Username, resp["USERNAME"]); err != nil {
			return nil, err
		}
		if err := checkPassword(p.policy(), resp["NEW_PASSWORD"]); err != nil {
			return nil, err
		}
		for k, v := range resp {
			if name, ok := strings.CutPrefix(k, "userAttributes."); ok && name != "sub" && name != "" {
				if err := checkAttrName(name, false); err != nil {
					return nil, err
				}
				u.Attrs[name] = v
			}
		}
		if err := s.setPassword(p, u, resp["NEW_PASSWORD"]); err != nil {
			return nil, err
		}
		u.Status, u.Modified = statusConfirmed, now
		if err := s.updateUser(ctx, u); err != nil {
			return nil, err
		}
		return s.afterPassword(ctx, p, cl, u)
	}
	return nil, errInvalidParam("%.40s challenge is not supported by this emulator (faasport localcognito)", in.ChallengeName)
}

func opGetUser(ctx context.Context, s *Service, c *call) (any, error) {
	var in struct{ AccessToken string }
	if err := c.decode(&in); err != nil {
		return nil, err
	}
	_, _, u, err := s.checkAccessToken(ctx, in.AccessToken)
	if err != nil {
		return nil, err
	}
	return struct {
		Username       string
		UserAttributes []attribute
	}{u.Username, attributeList(u)}, nil
}

func opGlobalSignOut(ctx context.Context, s *Service, c *call) (any, error) {
	var in struct{ AccessToken string }
	if err := c.decode(&in); err != nil {
		return nil, err
	}
	p, _, u, err := s.checkAccessToken(ctx, in.AccessToken)
	if err != nil {
		return nil, err
	}
	return struct{}{}, s.signOut(ctx, p.ID, u.Username)
}

// signOut revokes all of a user's refresh tokens, and with them the ID
// and access tokens of the same sign-ins.
func (s *Service) signOut(ctx context.Context, poolID, username string) error {
	_, err := s.db.ExecContext(ctx, `UPDATE refresh_tokens SET revoked = 1 WHERE pool_id = ? AND username_key = ?`,
		poolID, usernameKey(username))
	return err
}

func opRevokeToken(ctx context.Context, s *Service, c *call) (any, error) {
	var in struct{ Token, ClientId, ClientSecret string }
	if err := c.decode(&in); err != nil {
		return nil, err
	}
	if in.Token == "" {
		return nil, errMissing("token")
	}
	_, cl, err := s.lookupClient(in.ClientId)
	if err != nil {
		return nil, err
	}
	if cl.Config.Secret != "" && subtle.ConstantTimeCompare([]byte(cl.Config.Secret), []byte(in.ClientSecret)) != 1 {
		return nil, &apiError{Type: "UnauthorizedException", Message: "Client secret is missing or invalid."}
	}
	if strings.Count(in.Token, ".") == 2 {
		return nil, &apiError{Type: "UnsupportedTokenTypeException", Message: "Only refresh tokens can be revoked."}
	}
	rt, err := s.getRefresh(ctx, sha256Hex(in.Token))
	if errors.Is(err, errNotFound) {
		// As RFC 7009 asks: an invalid token is not an error.
		return struct{}{}, nil
	} else if err != nil {
		return nil, err
	}
	if rt.ClientID != cl.Config.ID {
		return nil, &apiError{Type: "UnauthorizedException", Message: "The refresh token was not issued to this client."}
	}
	_, err = s.db.ExecContext(ctx, `UPDATE refresh_tokens SET revoked = 1 WHERE hash = ?`, sha256Hex(in.Token))
	return struct{}{}, err
}

func opChangePassword(ctx context.Context, s *Service, c *call) (any, error) {
	var in struct{ PreviousPassword, ProposedPassword, AccessToken string }
	if err := c.decode(&in); err != nil {
		return nil, err
	}
	if in.ProposedPassword == "" {
		return nil, errMissing("proposedPassword")
	}
	p, _, u, err := s.checkAccessToken(ctx, in.AccessToken)
	if err != nil {
		return nil, err
	}
	key := p.ID + "|" + usernameKey(u.Username)
	if err := s.throttle.check(s.clock.Now(), key, c.addr); err != nil {
		var ae *apiError
		if errors.As(err, &ae) && ae.Type == "NotAuthorizedException" {
			return nil, &apiError{Type: "LimitExceededException", Message: msgAttemptLimit}
		}
		return nil, err
	}
	if !passwordMatches(u.PasswordHash, in.PreviousPassword) {
		s.throttle.fail(s.clock.Now(), key, c.addr)
		return nil, notAuthorized(msgIncorrect)
	}
	s.throttle.succeed(key)
	if err := checkPassword(p.policy(), in.ProposedPassword); err != nil {
		return nil, err
	}
	if err := s.setPassword(p, u, in.ProposedPassword); err != nil {
		return nil, err
	}
	u.Modified = s.clock.Now()
	return struct{}{}, s.updateUser(ctx, u)
}

func opForgotPassword(ctx context.Context, s *Service, c *call) (any, error) {
	var in struct{ ClientId, Username, SecretHash string }
	if err := c.decode(&in); err != nil {
		return nil, err
	}
	p, cl, err := s.lookupClient(in.ClientId)
	if err != nil {
		return nil, err
	}
	if in.Username == "" {
		return nil, errMissing("username")
	}
	// With user existence errors prevented, a user who does not exist,
	// is disabled or has nowhere verified to send a code gets a simulated
	// delivery (the developer guide's "Managing user existence error
	// responses").
	simulated := struct{ CodeDeliveryDetails *codeDeliveryDetails }{&codeDeliveryDetails{
		AttributeName: "email", DeliveryMedium: "EMAIL", Destination: "***@***"}}
	prevent := cl.Config.PreventUserExistenceErrors
	u, err := s.getUser(ctx, p.ID, in.Username)
	if errors.Is(err, errNotFound) {
		if prevent {
			return simulated, nil
		}
		return nil, &apiError{Type: "UserNotFoundException", Message: msgComboNotFound}
	} else if err != nil {
		return nil, err
	}
	if err := checkSecretHash(cl, in.SecretHash, u.Username, in.Username); err != nil {
		return nil, err
	}
	verified := u.Attrs["email"] != "" && u.Attrs["email_verified"] == "true" ||
		u.Attrs["phone_number"] != "" && u.Attrs["phone_number_verified"] == "true"
	switch {
	case prevent && (!u.Enabled || !verified):
		return simulated, nil
	case u.Status == statusForceChange:
		// A user who never set a password (as reported from Cognito in
		// aws-amplify/amplify-js#11270).
		return nil, notAuthorized("User password cannot be reset in the current state.")
	case !verified:
		// A code goes only to a verified email or phone
		// (aws-amplify/aws-sdk-android#142).
		return nil, errInvalidParam("Cannot reset password for the user as there is no registered/verified email or phone_number")
	case !u.Enabled:
		return nil, notAuthorized(msgDisabled)
	}
	u.ResetCode, u.ResetExpires, u.Modified = newCode(), s.clock.Now().Add(resetCodeTTL), s.clock.Now()
	if err := s.updateUser(ctx, u); err != nil {
		return nil, err
	}
	return struct{ CodeDeliveryDetails *codeDeliveryDetails }{s.deliverCode(ctx, p, u, "ForgotPassword", u.ResetCode)}, nil
}

func opConfirmForgotPassword(ctx context.Context, s *Service, c *call) (any, error) {
	var in struct{ ClientId, Username, ConfirmationCode, Password, SecretHash string }
	if err := c.decode(&in); err != nil {
		return nil, err
	}
	p, cl, err := s.lookupClient(in.ClientId)
	if err != nil {
		return nil, err
	}
	switch {
	case in.Username == "":
		return nil, errMissing("username")
	case in.ConfirmationCode == "":
		return nil, errMissing("confirmationCode")
	case in.Password == "":
		return nil, errMissing("password")
	}
	u, err := s.getUser(ctx, p.ID, in.Username)
	if errors.Is(err, errNotFound) {
		if cl.Config.PreventUserExistenceErrors {
			// As for a wrong code (the developer guide's "Managing user
			// existence error responses").
			return nil, &apiError{Type: "CodeMismatchException", Message: msgCodeMismatch}
		}
		return nil, &apiError{Type: "UserNotFoundException", Message: msgComboNotFound}
	} else if err != nil {
		return nil, err
	}
	if err := checkSecretHash(cl, in.SecretHash, u.Username, in.Username); err != nil {
		return nil, err
	}
	if !u.Enabled {
		// A code sent before an administrator disabled the user resets
		// nothing.
		if cl.Config.PreventUserExistenceErrors {
			return nil, &apiError{Type: "CodeMismatchException", Message: msgCodeMismatch}
		}
		return nil, notAuthorized(msgDisabled)
	}
	if err := s.checkCode(p.ID+"|"+usernameKey(u.Username), c.addr, u.ResetCode, u.ResetExpires, in.ConfirmationCode); err != nil {
		return nil, err
	}
	if err := checkPassword(p.policy(), in.Password); err != nil {
		return nil, err
	}
	if err := s.setPassword(p, u, in.Password); err != nil {
		return nil, err
	}
	u.ResetCode, u.Modified = "", s.clock.Now()
	if u.Status == statusResetRequired || u.Status == statusForceChange {
		u.Status = statusConfirmed
	}
	return struct{}{}, s.updateUser(ctx, u)
}
