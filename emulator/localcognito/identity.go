package localcognito

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/faasport/faasport/verify"
)

// IdentityPoolConfig configures an identity pool.
type IdentityPoolConfig struct {
	// ID is the pool id, "<region>:<uuid>". Empty means a generated one;
	// pools without an ID are matched by Name at Open.
	ID   string
	Name string

	// AllowUnauthenticated lets GetId without Logins create guest
	// identities, with UnauthenticatedRole.
	AllowUnauthenticated bool

	// Providers are the user pool app clients whose ID tokens sign users
	// in.
	Providers []IdentityProvider

	// AuthenticatedRole and UnauthenticatedRole are the default role
	// ARNs of signed-in and guest identities.
	AuthenticatedRole   string
	UnauthenticatedRole string

	// RoleMappings choose the role of signed-in identities by provider
	// name (cognito-idp.<region>.amazonaws.com/<poolId>), as
	// SetIdentityPoolRoles' RoleMappings do.
	RoleMappings map[string]RoleMapping

	// CredentialTTL is how long credentials last. Zero means
	// DefaultCredentialTTL (1 h).
	CredentialTTL time.Duration
}

// IdentityProvider is a user pool app client trusted by an identity pool.
type IdentityProvider struct {
	UserPoolID string
	ClientID   string
}

// RoleMapping chooses a role from a provider's ID token.
type RoleMapping struct {
	// Type is "Token" (the token's cognito:preferred_role, or the
	// requested CustomRoleArn when it is among cognito:roles) or "Rules".
	Type string

	// AmbiguousRoleResolution is what happens when no role is chosen:
	// "AuthenticatedRole" (the default role) or "Deny".
	AmbiguousRoleResolution string

	// Rules, for Type "Rules", are tried in order; the first match wins.
	Rules []MappingRule
}

// MappingRule maps a claim's value to a role.
type MappingRule struct {
	Claim string
	// MatchType is "Equals", "Contains", "StartsWith" or "NotEqual".
	// For list claims (cognito:groups) they apply to each element.
	MatchType string
	Value     string
	RoleARN   string
}

type identityPool struct {
	Config IdentityPoolConfig
}

var identityPoolIDPattern = regexp.MustCompile(`^[\w-]+:[0-9a-f-]+$`)

func (s *Service) loadIdentityPools(ctx context.Context) error {
	rows, err := s.db.QueryContext(ctx, `SELECT id, config FROM identity_pools`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id, cfg string
		if err := rows.Scan(&id, &cfg); err != nil {
			return err
		}
		ip := &identityPool{}
		if err := json.Unmarshal([]byte(cfg), &ip.Config); err != nil {
			return fmt.Errorf("localcognito: identity pool %s: %w", id, err)
		}
		s.idPools[id] = ip
	}
	return rows.Err()
}

// CreateIdentityPool creates or updates an identity pool and returns its
// id. A config without ID updates the pool of the same name, if any.
func (s *Service) CreateIdentityPool(ctx context.Context, ic IdentityPoolConfig) (string, error) {
	if ic.ID == "" {
		s.mu.RLock()
		for id, p := range s.idPools {
			if p.Config.Name == ic.Name && ic.Name != "" {
				ic.ID = id
			}
		}
		s.mu.RUnlock()
	}
	if ic.ID == "" {
		ic.ID = s.region + ":" + newUUID()
	}
	if !identityPoolIDPattern.MatchString(ic.ID) {
		return "", fmt.Errorf("localcognito: identity pool id %q is not of the form <region>:<uuid>", ic.ID)
	}
	for _, pr := range ic.Providers {
		if s.pool(pr.UserPoolID) == nil {
			return "", fmt.Errorf("localcognito: identity pool %s: no user pool %s", ic.ID, pr.UserPoolID)
		}
	}
	b, _ := json.Marshal(ic)
	if _, err := s.db.ExecContext(ctx, `INSERT INTO identity_pools (id, name, config) VALUES (?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET name = excluded.name, config = excluded.config`, ic.ID, ic.Name, string(b)); err != nil {
		return "", fmt.Errorf("localcognito: creating identity pool: %w", err)
	}
	s.mu.Lock()
	s.idPools[ic.ID] = &identityPool{Config: ic}
	s.mu.Unlock()
	return ic.ID, nil
}

func (s *Service) identityPool(id string) (*identityPool, error) {
	if id == "" {
		return nil, errMissing("identityPoolId")
	}
	s.mu.RLock()
	ip := s.idPools[id]
	s.mu.RUnlock()
	if ip == nil {
		return nil, &apiError{Type: "ResourceNotFoundException", Message: fmt.Sprintf("IdentityPool '%.60s' not found.", id)}
	}
	return ip, nil
}

// login is a verified entry of a Logins map.
type login struct {
	provider string // canonical provider name
	subject  string
	claims   *verify.Claims
}

func (l *login) key() string { return l.provider + "|" + l.subject }

// checkLogins verifies the ID tokens of a Logins map against the pool's
// providers. It returns nil when logins is empty.
func (s *Service) checkLogins(ctx context.Context, ip *identityPool, logins map[string]string) (*login, error) {
	if len(logins) == 0 {
		return nil, nil
	}
	if len(logins) > 1 {
		return nil, errInvalidParam("This emulator accepts one login per request (faasport localcognito).")
	}
	var name, token string
	for name, token = range logins {
	}
	// The provider may be named as on AWS or by the issuer without its
	// scheme (for a local IssuerBase).
	var poolID string
	for _, pr := range ip.Config.Providers {
		iss := s.Issuer(pr.UserPoolID)
		if name == s.ProviderName(pr.UserPoolID) || name == strings.TrimPrefix(strings.TrimPrefix(iss, "https://"), "http://") {
			poolID = pr.UserPoolID
		}
	}
	if poolID == "" {
		return nil, notAuthorized("Token is not from a supported provider of this identity pool.")
	}
	var clients []string
	for _, pr := range ip.Config.Providers {
		if pr.UserPoolID == poolID {
			clients = append(clients, pr.ClientID)
		}
	}
	claims, err := s.Verifier(poolID, clients, verify.TokenUseID).Verify(ctx, token)
	switch {
	case errors.Is(err, verify.ErrExpired):
		exp, _ := peekExp(token)
		return nil, notAuthorized(fmt.Sprintf("Invalid login token. Token expired: %d >= %d", s.clock.Now().Unix(), exp))
	case errors.Is(err, verify.ErrIssuer):
		return nil, notAuthorized("Invalid login token. Issuer doesn't match providerName")
	case errors.Is(err, verify.ErrAudience):
		return nil, notAuthorized("Token is not from a supported provider of this identity pool.")
	case errors.Is(err, verify.ErrTokenUse):
		// An access token has no aud; Cognito Identity says so.
		return nil, notAuthorized("Invalid login token. Missing a required claim: aud")
	case err != nil:
		return nil, notAuthorized("Invalid login token. Couldn't verify signed token.")
	}
	// A signed-out session's ID token is refused, as its access token is.
	if origin, _ := claims.Raw["origin_jti"].(string); origin != "" {
		if revoked, err := s.originRevoked(ctx, origin); err != nil {
			return nil, err
		} else if revoked {
			return nil, notAuthorized("Invalid login token. Token has been revoked.")
		}
	}
	return &login{provider: s.ProviderName(poolID), subject: claims.Subject, claims: claims}, nil
}

// peekExp reads a token's exp without verifying it, for the message of
// an expired token.
func peekExp(token string) (int64, bool) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return 0, false
	}
	b, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return 0, false
	}
	var c struct{ Exp int64 }
	return c.Exp, json.Unmarshal(b, &c) == nil
}

func opGetID(ctx context.Context, s *Service, c *call) (any, error) {
	var in struct {
		IdentityPoolId string
		AccountId      string
		Logins         map[string]string
	}
	if err := c.decode(&in); err != nil {
		return nil, err
	}
	ip, err := s.identityPool(in.IdentityPoolId)
	if err != nil {
		return nil, err
	}
	l, err := s.checkLogins(ctx, ip, in.Logins)
	if err != nil {
		return nil, err
	}
	if l == nil {
		if !ip.Config.AllowUnauthenticated {
			return nil, notAuthorized("Unauthenticated access is not supported for this identity pool.")
		}
		id := s.region + ":" + newUUID()
		if _, err := s.db.ExecContext(ctx, `INSERT INTO identities (id, pool_id, login, created) VALUES (?, ?, '', ?)`,
			id, ip.Config.ID, s.clock.Now().UnixMilli()); err != nil {
			return nil, err
		}
		return struct{ IdentityId string }{id}, nil
	}
	id, err := s.identityFor(ctx, ip.Config.ID, l.key())
	if err != nil {
		return nil, err
	}
	return struct{ IdentityId string }{id}, nil
}

// identityFor returns the identity of a login, creating it the first
// time: one user has one identity id per identity pool.
func (s *Service) identityFor(ctx context.Context, poolID, loginKey string) (string, error) {
	var id string
	err := s.db.QueryRowContext(ctx, `SELECT id FROM identities WHERE pool_id = ? AND login = ?`, poolID, loginKey).Scan(&id)
	if err == nil {
		return id, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return "", err
	}
	id = s.region + ":" + newUUID()
	_, err = s.db.ExecContext(ctx, `INSERT INTO identities (id, pool_id, login, created) VALUES (?, ?, ?, ?)
		ON CONFLICT DO NOTHING`, id, poolID, loginKey, s.clock.Now().UnixMilli())
	if err != nil {
		return "", err
	}
	err = s.db.QueryRowContext(ctx, `SELECT id FROM identities WHERE pool_id = ? AND login = ?`, poolID, loginKey).Scan(&id)
	return id, err
}

func opGetCredentialsForIdentity(ctx context.Context, s *Service, c *call) (any, error) {
	var in struct {
		IdentityId    string
		Logins        map[string]string
		CustomRoleArn string
	}
	if err := c.decode(&in); err != nil {
		return nil, err
	}
	if in.IdentityId == "" {
		return nil, errMissing("identityId")
	}
	var poolID, loginKey string
	err := s.db.QueryRowContext(ctx, `SELECT pool_id, login FROM identities WHERE id = ?`, in.IdentityId).Scan(&poolID, &loginKey)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, &apiError{Type: "ResourceNotFoundException", Message: fmt.Sprintf("Identity '%.80s' not found.", in.IdentityId)}
	} else if err != nil {
		return nil, err
	}
	ip, err := s.identityPool(poolID)
	if err != nil {
		return nil, err
	}
	l, err := s.checkLogins(ctx, ip, in.Logins)
	if err != nil {
		return nil, err
	}
	var role, subject string
	authenticated := loginKey != ""
	switch {
	case !authenticated && l != nil:
		return nil, notAuthorized("Logins don't match. Please include at least one valid login for this identity or identity pool.")
	case !authenticated:
		if !ip.Config.AllowUnauthenticated {
			return nil, notAuthorized("Unauthenticated access is not supported for this identity pool.")
		}
		role = ip.Config.UnauthenticatedRole
	case l == nil || l.key() != loginKey:
		return nil, notAuthorized("Logins don't match. Please include at least one valid login for this identity or identity pool.")
	default:
		subject = l.subject
		if role, err = chooseRole(ip, l, in.CustomRoleArn); err != nil {
			return nil, err
		}
	}
	if role == "" {
		return nil, &apiError{Type: "InvalidIdentityPoolConfigurationException",
			Message: "Invalid identity pool configuration. Check assigned IAM roles for this pool."}
	}
	ttl := cmpOr(ip.Config.CredentialTTL, DefaultCredentialTTL)
	cr := verify.Credentials{
		AccessKeyID:     "ASIA" + randomString(16, upperAlnum),
		SecretAccessKey: base64.StdEncoding.EncodeToString(randomBytes(30)),
		SessionToken:    base64.StdEncoding.EncodeToString(randomBytes(120)),
		Expires:         s.clock.Now().Add(ttl).Truncate(time.Second),
	}
	if _, err := s.db.ExecContext(ctx, `INSERT INTO credentials (access_key_id, secret, session_token, identity_id, pool_id,
		role_arn, subject, authenticated, expires) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		cr.AccessKeyID, cr.SecretAccessKey, cr.SessionToken, in.IdentityId, poolID, role, subject, authenticated,
		cr.Expires.UnixMilli()); err != nil {
		return nil, err
	}
	type credentials struct {
		AccessKeyId  string
		SecretKey    string
		SessionToken string
		Expiration   float64
	}
	return struct {
		IdentityId  string
		Credentials credentials
	}{in.IdentityId, credentials{cr.AccessKeyID, cr.SecretAccessKey, cr.SessionToken, epoch(cr.Expires)}}, nil
}

// chooseRole picks the role of a signed-in identity.
func chooseRole(ip *identityPool, l *login, custom string) (string, error) {
	m, ok := ip.Config.RoleMappings[l.provider]
	if !ok {
		return ip.Config.AuthenticatedRole, nil
	}
	var role string
	switch m.Type {
	case "Token":
		roles := stringList(l.claims.Raw["cognito:roles"])
		if custom != "" && slices.Contains(roles, custom) {
			role = custom
		} else if pref, _ := l.claims.Raw["cognito:preferred_role"].(string); pref != "" {
			role = pref
		} else if len(roles) == 1 {
			role = roles[0]
		}
	case "Rules":
		for _, r := range m.Rules {
			if ruleMatches(r, l.claims.Raw[r.Claim]) {
				role = r.RoleARN
				break
			}
		}
	}
	if role != "" {
		return role, nil
	}
	if m.AmbiguousRoleResolution == "Deny" {
		return "", notAuthorized("Unable to determine a role for this identity: the role mapping denies ambiguous roles.")
	}
	return ip.Config.AuthenticatedRole, nil
}

func stringList(v any) []string {
	switch v := v.(type) {
	case string:
		return []string{v}
	case []any:
		var out []string
		for _, e := range v {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

func ruleMatches(r MappingRule, claim any) bool {
	values := stringList(claim)
	if r.MatchType == "NotEqual" {
		return len(values) > 0 && !slices.Contains(values, r.Value)
	}
	for _, v := range values {
		switch r.MatchType {
		case "Equals":
			if v == r.Value {
				return true
			}
		case "Contains":
			if strings.Contains(v, r.Value) {
				return true
			}
		case "StartsWith":
			if strings.HasPrefix(v, r.Value) {
				return true
			}
		}
	}
	return false
}

// Principal is who a request signed with this service's credentials
// comes from: the Principal of the [verify.Credentials] that
// [Service.Lookup] returns.
type Principal struct {
	// AccessKeyID is the key the request was signed with.
	AccessKeyID string

	// Admin is true for the keys of Options.Admin, which stand for the
	// account itself rather than an identity.
	Admin bool

	// RoleARN is the role the identity assumed.
	RoleARN string

	// IdentityID and IdentityPoolID name the identity
	// (cognito-identity.amazonaws.com:sub and :aud in IAM policies).
	IdentityID     string
	IdentityPoolID string

	// Authenticated tells signed-in identities from guests.
	Authenticated bool

	// Subject is the user pool sub of a signed-in identity.
	Subject string
}

// PolicyVariables returns the IAM policy variables of the principal, by
// name: cognito-identity.amazonaws.com:sub, :aud and :amr, aws:userid,
// and for signed-in identities aws:PrincipalTag/username (the user pool
// sub, as the identity pool's default attribute mapping tags it).
func (p *Principal) PolicyVariables() map[string]string {
	if p.Admin {
		return map[string]string{"aws:userid": p.AccessKeyID}
	}
	amr := "unauthenticated"
	if p.Authenticated {
		amr = "authenticated"
	}
	v := map[string]string{
		"cognito-identity.amazonaws.com:sub": p.IdentityID,
		"cognito-identity.amazonaws.com:aud": p.IdentityPoolID,
		"cognito-identity.amazonaws.com:amr": amr,
		"aws:userid":                         p.AccessKeyID + ":CognitoIdentityCredentials",
	}
	if p.Authenticated && p.Subject != "" {
		// Attributes for access control with the identity pool's default
		// mapping for user pools: the principal tag "username" holds the
		// token's sub, so policies can key rows on the user pool's user.
		v["aws:PrincipalTag/username"] = p.Subject
	}
	return v
}

// Lookup finds the credentials of an access key handed out by
// GetCredentialsForIdentity, or of an administrator key of Options.Admin,
// so that a [verify.SigV4Verifier] can check requests signed with them.
// The credentials' Principal is a [*Principal].
func (s *Service) Lookup(ctx context.Context, accessKeyID string) (verify.Credentials, error) {
	if s.admin != nil {
		if c, err := s.admin.Credentials.Lookup(ctx, accessKeyID); err == nil {
			c.Principal = &Principal{AccessKeyID: accessKeyID, Admin: true, RoleARN: "arn:aws:iam::" + s.account + ":root"}
			return c, nil
		}
	}
	var c verify.Credentials
	p := &Principal{AccessKeyID: accessKeyID}
	var expires int64
	err := s.db.QueryRowContext(ctx, `SELECT secret, session_token, identity_id, pool_id, role_arn, subject, authenticated, expires
		FROM credentials WHERE access_key_id = ?`, accessKeyID).Scan(&c.SecretAccessKey, &c.SessionToken,
		&p.IdentityID, &p.IdentityPoolID, &p.RoleARN, &p.Subject, &p.Authenticated, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return verify.Credentials{}, verify.ErrAccessKey
	}
	if err != nil {
		return verify.Credentials{}, err
	}
	c.AccessKeyID, c.Expires, c.Principal = accessKeyID, time.UnixMilli(expires), p
	return c, nil
}

// IdentityPoolIDs returns the ids of the identity pools.
func (s *Service) IdentityPoolIDs() []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var ids []string
	for id := range s.idPools {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}
