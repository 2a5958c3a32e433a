package localcognito

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/faasport/faasport/verify"
)

const (
	alnum      = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	lowerAlnum = "abcdefghijklmnopqrstuvwxyz0123456789"
	upperAlnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	keyBits    = 2048
)

// randomString returns n characters drawn uniformly from chars.
func randomString(n int, chars string) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = chars[randIntn(len(chars))]
	}
	return string(b)
}

// randIntn returns a uniform random int in [0, n).
func randIntn(n int) int {
	var b [1]byte
	limit := 256 - 256%n
	for {
		if _, err := rand.Read(b[:]); err != nil {
			panic("localcognito: crypto/rand: " + err.Error())
		}
		if int(b[0]) < limit {
			return int(b[0]) % n
		}
	}
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic("localcognito: crypto/rand: " + err.Error())
	}
	return b
}

// newUUID returns a random (version 4) UUID.
func newUUID() string {
	b := randomBytes(16)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

func sha256Hex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// Key uses: a pool signs ID tokens and access tokens with different keys,
// as Cognito does.
const (
	useID     = "id"
	useAccess = "access"
)

// signingKey is one of a pool's RSA keys.
type signingKey struct {
	Kid     string
	PoolID  string
	Use     string
	Priv    *rsa.PrivateKey
	Created time.Time
	Retired time.Time // zero while current
}

// kidOf names a key as Cognito's kids look: base64 of a SHA-256.
func kidOf(pub *rsa.PublicKey) string {
	der, _ := x509.MarshalPKIXPublicKey(pub)
	sum := sha256.Sum256(der)
	return base64.StdEncoding.EncodeToString(sum[:])
}

func (s *Service) loadKeys(ctx context.Context) error {
	rows, err := s.db.QueryContext(ctx, `SELECT kid, pool_id, use, der, created, retired FROM signing_keys ORDER BY created, rowid`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var k signingKey
		var der []byte
		var created, retired int64
		if err := rows.Scan(&k.Kid, &k.PoolID, &k.Use, &der, &created, &retired); err != nil {
			return err
		}
		priv, err := x509.ParsePKCS1PrivateKey(der)
		if err != nil {
			return fmt.Errorf("localcognito: key %s: %w", k.Kid, err)
		}
		k.Priv, k.Created = priv, time.UnixMilli(created)
		if retired != 0 {
			k.Retired = time.UnixMilli(retired)
		}
		s.keys[k.PoolID] = append(s.keys[k.PoolID], &k)
	}
	return rows.Err()
}

// newKeys makes new current ID and access keys for poolID and retires
// the old ones.
func (s *Service) newKeys(ctx context.Context, poolID string) error {
	now := s.clock.Now()
	var fresh []*signingKey
	for _, use := range [...]string{useID, useAccess} {
		priv, err := rsa.GenerateKey(rand.Reader, keyBits)
		if err != nil {
			return fmt.Errorf("localcognito: generating key: %w", err)
		}
		fresh = append(fresh, &signingKey{Kid: kidOf(&priv.PublicKey), PoolID: poolID, Use: use, Priv: priv, Created: now})
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `UPDATE signing_keys SET retired = ? WHERE pool_id = ? AND retired = 0`, now.UnixMilli(), poolID); err != nil {
		return err
	}
	for _, k := range fresh {
		if _, err := tx.ExecContext(ctx, `INSERT INTO signing_keys (kid, pool_id, use, der, created) VALUES (?, ?, ?, ?, ?)`,
			k.Kid, poolID, k.Use, x509.MarshalPKCS1PrivateKey(k.Priv), now.UnixMilli()); err != nil {
			return err
		}
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, k := range s.keys[poolID] {
		if k.Retired.IsZero() {
			k.Retired = now
		}
	}
	s.keys[poolID] = append(s.keys[poolID], fresh...)
	return nil
}

// RotateKeys gives every user pool new signing keys for ID and access
// tokens. The retired keys stay in the pools' JWKS until the tokens they
// signed have expired, so that those tokens keep verifying.
func (s *Service) RotateKeys(ctx context.Context) error {
	for _, id := range s.PoolIDs() {
		if err := s.newKeys(ctx, id); err != nil {
			return err
		}
	}
	return nil
}

// currentKey returns poolID's current key for use.
func (s *Service) currentKey(poolID, use string) *signingKey {
	s.mu.RLock()
	defer s.mu.RUnlock()
	keys := s.keys[poolID]
	for i := len(keys) - 1; i >= 0; i-- {
		if keys[i].Use == use && keys[i].Retired.IsZero() {
			return keys[i]
		}
	}
	return nil
}

// publishedKeys returns poolID's keys that may still have live tokens:
// the current ones and those retired less than a token lifetime ago.
func (s *Service) publishedKeys(poolID string) []*signingKey {
	now := s.clock.Now()
	keep := max(s.idTTL, s.accessTTL)
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []*signingKey
	for _, k := range s.keys[poolID] {
		if k.Retired.IsZero() || now.Before(k.Retired.Add(keep)) {
			out = append(out, k)
		}
	}
	return out
}

// JWKS returns poolID's published JSON Web Key Set.
func (s *Service) JWKS(poolID string) verify.JWKS {
	set := verify.JWKS{Keys: []verify.JWK{}}
	for _, k := range s.publishedKeys(poolID) {
		set.Keys = append(set.Keys, verify.NewJWK(k.Kid, &k.Priv.PublicKey))
	}
	return set
}

// KeySource returns the service's published keys as a
// [verify.KeySource], for verifiers in the same process: it serves every
// pool's keys by issuer, without HTTP.
func (s *Service) KeySource() verify.KeySource { return keySource{s} }

type keySource struct{ s *Service }

func (ks keySource) Key(_ context.Context, issuer, kid string) (*rsa.PublicKey, error) {
	poolID, ok := strings.CutPrefix(issuer, ks.s.base+"/")
	if ok {
		for _, k := range ks.s.publishedKeys(poolID) {
			if k.Kid == kid {
				return &k.Priv.PublicKey, nil
			}
		}
	}
	return verify.KeySet(nil).Key(context.Background(), issuer, kid) // the package's unknown-key error
}

// Verifier returns a verifier of poolID's tokens for the given app
// clients and token use ("id", "access" or "" for either), with the
// service's keys and clock.
func (s *Service) Verifier(poolID string, clientIDs []string, tokenUse string) *verify.Verifier {
	return &verify.Verifier{
		Issuer:    s.Issuer(poolID),
		Audiences: clientIDs,
		TokenUse:  tokenUse,
		Keys:      s.KeySource(),
		Clock:     s.clock,
	}
}

// session is what the tokens of one sign-in share.
type session struct {
	pool      *pool
	client    *client
	user      *user
	groups    []group
	originJTI string
	authTime  time.Time
}

// tokens are the result of a successful authentication.
type tokens struct {
	ID, Access, Refresh string
}

// mint signs an ID token and an access token for ss.
func (s *Service) mint(ss *session) (*tokens, error) {
	now := s.clock.Now()
	idKey, accessKey := s.currentKey(ss.pool.ID, useID), s.currentKey(ss.pool.ID, useAccess)
	if idKey == nil || accessKey == nil {
		return nil, errors.New("localcognito: pool has no signing keys")
	}
	eventID := newUUID()
	iss := s.Issuer(ss.pool.ID)
	var groupNames, roles []string
	var preferred string
	var preferredBy *int32 // the precedence of the group preferred was taken from
	for _, g := range ss.groups {
		groupNames = append(groupNames, g.Name)
		if g.RoleARN == "" {
			continue
		}
		if !slices.Contains(roles, g.RoleARN) {
			roles = append(roles, g.RoleARN)
		}
		if g.Precedence == nil {
			continue
		}
		// Groups are sorted by precedence: the role of the first with a
		// precedence and a role is preferred, unless a group of the same
		// precedence has another role; then, as in Cognito, none is.
		switch {
		case preferredBy == nil:
			preferred, preferredBy = g.RoleARN, g.Precedence
		case *g.Precedence == *preferredBy && g.RoleARN != preferred:
			preferred = ""
		}
	}

	idc := jwt.MapClaims{}
	for name, v := range ss.user.Attrs {
		switch {
		case checkAttrName(name, true) != nil:
			// Outside the schema: stored before the service refused such
			// names, it must not become a claim (scope, client_id, ...).
		case name == "email_verified", name == "phone_number_verified":
			idc[name] = v == "true"
		default:
			idc[name] = v
		}
	}
	idc["sub"] = ss.user.Sub
	idc["aud"] = ss.client.Config.ID
	idc["iss"] = iss
	idc["cognito:username"] = ss.user.Username
	idc["token_use"] = "id"
	idc["auth_time"] = ss.authTime.Unix()
	idc["iat"] = now.Unix()
	idc["exp"] = now.Add(s.idTTL).Unix()
	idc["jti"] = newUUID()
	idc["origin_jti"] = ss.originJTI
	idc["event_id"] = eventID
	if len(groupNames) > 0 {
		idc["cognito:groups"] = groupNames
	}
	if len(roles) > 0 {
		idc["cognito:roles"] = roles
	}
	if preferred != "" {
		idc["cognito:preferred_role"] = preferred
	}

	ac := jwt.MapClaims{
		"sub":        ss.user.Sub,
		"iss":        iss,
		"client_id":  ss.client.Config.ID,
		"origin_jti": ss.originJTI,
		"event_id":   eventID,
		"token_use":  "access",
		"scope":      "aws.cognito.signin.user.admin",
		"auth_time":  ss.authTime.Unix(),
		"exp":        now.Add(s.accessTTL).Unix(),
		"iat":        now.Unix(),
		"jti":        newUUID(),
		"username":   ss.user.Username,
		"version":    2,
	}
	if len(groupNames) > 0 {
		ac["cognito:groups"] = groupNames
	}

	idTok, err := sign(idKey, idc)
	if err != nil {
		return nil, err
	}
	accessTok, err := sign(accessKey, ac)
	if err != nil {
		return nil, err
	}
	return &tokens{ID: idTok, Access: accessTok}, nil
}

func sign(k *signingKey, c jwt.MapClaims) (string, error) {
	t := jwt.NewWithClaims(jwt.SigningMethodRS256, c)
	// Cognito's headers hold kid and alg only (the developer guide's
	// token pages).
	delete(t.Header, "typ")
	t.Header["kid"] = k.Kid
	return t.SignedString(k.Priv)
}

// newRefreshToken stores and returns a refresh token for ss.
func (s *Service) newRefreshToken(ctx context.Context, ss *session) (string, error) {
	tok := base64.RawURLEncoding.EncodeToString(randomBytes(48))
	err := s.insertRefresh(ctx, sha256Hex(tok), &refreshToken{
		PoolID: ss.pool.ID, ClientID: ss.client.Config.ID, UsernameKey: usernameKey(ss.user.Username),
		OriginJTI: ss.originJTI, AuthTime: ss.authTime, Expires: s.clock.Now().Add(s.refreshTTL),
	})
	return tok, err
}

// signIn completes an authentication: it mints tokens and a refresh
// token for user u of client c.
func (s *Service) signIn(ctx context.Context, p *pool, c *client, u *user) (*authenticationResult, error) {
	groups, err := s.userGroups(ctx, p.ID, u.Username)
	if err != nil {
		return nil, err
	}
	ss := &session{pool: p, client: c, user: u, groups: groups, originJTI: newUUID(), authTime: s.clock.Now()}
	t, err := s.mint(ss)
	if err != nil {
		return nil, err
	}
	if t.Refresh, err = s.newRefreshToken(ctx, ss); err != nil {
		return nil, err
	}
	return s.result(t), nil
}

type authenticationResult struct {
	AccessToken  string `json:"AccessToken"`
	ExpiresIn    int64  `json:"ExpiresIn"`
	IdToken      string `json:"IdToken"`
	RefreshToken string `json:"RefreshToken,omitempty"`
	TokenType    string `json:"TokenType"`
}

func (s *Service) result(t *tokens) *authenticationResult {
	return &authenticationResult{
		AccessToken: t.Access, IdToken: t.ID, RefreshToken: t.Refresh,
		ExpiresIn: int64(s.accessTTL / time.Second), TokenType: "Bearer",
	}
}

// accessClaims verifies an access token of any of the service's pools
// for the operations that take one (GetUser, ChangePassword,
// GlobalSignOut), and returns its pool, client and user. It fails with
// Cognito's NotAuthorizedException messages.
func (s *Service) checkAccessToken(ctx context.Context, token string) (*pool, *client, *user, error) {
	invalid := &apiError{Type: "NotAuthorizedException", Message: "Invalid Access Token"}
	if token == "" {
		return nil, nil, nil, errMissing("accessToken")
	}
	// Read the unverified claims only to find the pool; the verifier
	// checks them all.
	var peek jwt.MapClaims
	if _, _, err := jwt.NewParser().ParseUnverified(token, &peek); err != nil {
		return nil, nil, nil, invalid
	}
	iss, _ := peek["iss"].(string)
	poolID, ok := strings.CutPrefix(iss, s.base+"/")
	p := s.pool(poolID)
	if !ok || p == nil {
		return nil, nil, nil, invalid
	}
	clientIDs := s.ClientIDs(poolID)
	if len(clientIDs) == 0 {
		return nil, nil, nil, invalid
	}
	claims, err := s.Verifier(poolID, clientIDs, verify.TokenUseAccess).Verify(ctx, token)
	if errors.Is(err, verify.ErrExpired) {
		return nil, nil, nil, &apiError{Type: "NotAuthorizedException", Message: "Access Token has expired"}
	}
	if err != nil {
		return nil, nil, nil, invalid
	}
	origin, _ := claims.Raw["origin_jti"].(string)
	if revoked, err := s.originRevoked(ctx, origin); err != nil {
		return nil, nil, nil, err
	} else if revoked {
		return nil, nil, nil, &apiError{Type: "NotAuthorizedException", Message: "Access Token has been revoked"}
	}
	username, _ := claims.Raw["username"].(string)
	u, err := s.getUser(ctx, poolID, username)
	if errors.Is(err, errNotFound) {
		return nil, nil, nil, &apiError{Type: "UserNotFoundException", Message: "User does not exist."}
	}
	if err != nil {
		return nil, nil, nil, err
	}
	if u.Sub != claims.Subject {
		return nil, nil, nil, invalid
	}
	if !u.Enabled {
		return nil, nil, nil, &apiError{Type: "NotAuthorizedException", Message: "User is disabled."}
	}
	return p, s.client(claims.ClientID), u, nil
}
