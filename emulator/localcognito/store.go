package localcognito

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	_ "github.com/mattn/go-sqlite3" // registers the "sqlite3" driver
)

const schema = `
CREATE TABLE IF NOT EXISTS pools (
	id      TEXT PRIMARY KEY,
	name    TEXT NOT NULL,
	config  TEXT NOT NULL,
	created INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS clients (
	id      TEXT PRIMARY KEY,
	pool_id TEXT NOT NULL,
	name    TEXT NOT NULL,
	config  TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS users (
	pool_id        TEXT NOT NULL,
	username_key   TEXT NOT NULL,
	username       TEXT NOT NULL,
	sub            TEXT NOT NULL,
	attrs          TEXT NOT NULL,
	status         TEXT NOT NULL,
	enabled        INTEGER NOT NULL,
	password_hash  BLOB,
	srp_salt       TEXT NOT NULL DEFAULT '',
	srp_verifier   TEXT NOT NULL DEFAULT '',
	created        INTEGER NOT NULL,
	modified       INTEGER NOT NULL,
	confirm_code   TEXT NOT NULL DEFAULT '',
	confirm_expires INTEGER NOT NULL DEFAULT 0,
	reset_code     TEXT NOT NULL DEFAULT '',
	reset_expires  INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (pool_id, username_key)
);
CREATE UNIQUE INDEX IF NOT EXISTS users_sub ON users (pool_id, sub);
CREATE TABLE IF NOT EXISTS groups (
	pool_id     TEXT NOT NULL,
	name        TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT '',
	precedence  INTEGER,
	role_arn    TEXT NOT NULL DEFAULT '',
	created     INTEGER NOT NULL,
	PRIMARY KEY (pool_id, name)
);
CREATE TABLE IF NOT EXISTS memberships (
	pool_id      TEXT NOT NULL,
	username_key TEXT NOT NULL,
	group_name   TEXT NOT NULL,
	PRIMARY KEY (pool_id, username_key, group_name)
);
CREATE TABLE IF NOT EXISTS refresh_tokens (
	hash         TEXT PRIMARY KEY,
	pool_id      TEXT NOT NULL,
	client_id    TEXT NOT NULL,
	username_key TEXT NOT NULL,
	origin_jti   TEXT NOT NULL,
	auth_time    INTEGER NOT NULL,
	expires      INTEGER NOT NULL,
	revoked      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS refresh_origin ON refresh_tokens (origin_jti);
CREATE INDEX IF NOT EXISTS refresh_user ON refresh_tokens (pool_id, username_key);
CREATE TABLE IF NOT EXISTS signing_keys (
	kid     TEXT PRIMARY KEY,
	pool_id TEXT NOT NULL,
	use     TEXT NOT NULL,
	der     BLOB NOT NULL,
	created INTEGER NOT NULL,
	retired INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS identity_pools (
	id     TEXT PRIMARY KEY,
	name   TEXT NOT NULL,
	config TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS identities (
	id      TEXT PRIMARY KEY,
	pool_id TEXT NOT NULL,
	login   TEXT NOT NULL,
	created INTEGER NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS identities_login ON identities (pool_id, login) WHERE login != '';
CREATE TABLE IF NOT EXISTS credentials (
	access_key_id TEXT PRIMARY KEY,
	secret        TEXT NOT NULL,
	session_token TEXT NOT NULL,
	identity_id   TEXT NOT NULL,
	pool_id       TEXT NOT NULL,
	role_arn      TEXT NOT NULL,
	subject       TEXT NOT NULL DEFAULT '',
	authenticated INTEGER NOT NULL,
	expires       INTEGER NOT NULL
);
`

// openDB opens the SQLite database at path; "" or ":memory:" is a
// private in-memory database.
func openDB(path string) (*sql.DB, error) {
	dsn := "file:" + path + "?_busy_timeout=5000&_journal_mode=WAL&_foreign_keys=on"
	if path == "" || path == ":memory:" {
		dsn = "file::memory:?_busy_timeout=5000"
	}
	db, err := sql.Open("sqlite3", dsn)
	if err != nil {
		return nil, err
	}
	// One connection: SQLite allows one writer at a time anyway, and an
	// in-memory database exists per connection.
	db.SetMaxOpenConns(1)
	if _, err := db.Exec(schema); err != nil {
		db.Close()
		return nil, fmt.Errorf("localcognito: creating schema: %w", err)
	}
	return db, nil
}

// user is a user pool user.
type user struct {
	PoolID       string
	Username     string
	Sub          string
	Attrs        map[string]string // without sub
	Status       string
	Enabled      bool
	PasswordHash []byte
	SRPSalt      string
	SRPVerifier  string
	Created      time.Time
	Modified     time.Time

	ConfirmCode    string
	ConfirmExpires time.Time
	ResetCode      string
	ResetExpires   time.Time
}

// User statuses, as Cognito names them.
const (
	statusUnconfirmed   = "UNCONFIRMED"
	statusConfirmed     = "CONFIRMED"
	statusForceChange   = "FORCE_CHANGE_PASSWORD"
	statusResetRequired = "RESET_REQUIRED"
)

func usernameKey(s string) string { return strings.ToLower(s) }

var errNotFound = errors.New("localcognito: not found")

const userColumns = `pool_id, username, sub, attrs, status, enabled, password_hash, srp_salt, srp_verifier,
	created, modified, confirm_code, confirm_expires, reset_code, reset_expires`

func scanUser(row interface{ Scan(...any) error }) (*user, error) {
	var u user
	var attrs string
	var created, modified, cexp, rexp int64
	err := row.Scan(&u.PoolID, &u.Username, &u.Sub, &attrs, &u.Status, &u.Enabled, &u.PasswordHash,
		&u.SRPSalt, &u.SRPVerifier, &created, &modified, &u.ConfirmCode, &cexp, &u.ResetCode, &rexp)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNotFound
	}
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(attrs), &u.Attrs); err != nil {
		return nil, err
	}
	if u.Attrs == nil {
		u.Attrs = map[string]string{}
	}
	u.Created, u.Modified = time.UnixMilli(created), time.UnixMilli(modified)
	u.ConfirmExpires, u.ResetExpires = time.UnixMilli(cexp), time.UnixMilli(rexp)
	return &u, nil
}

func (s *Service) getUser(ctx context.Context, poolID, username string) (*user, error) {
	row := s.db.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE pool_id = ? AND username_key = ?`,
		poolID, usernameKey(username))
	return scanUser(row)
}

func (s *Service) insertUser(ctx context.Context, u *user) error {
	attrs, _ := json.Marshal(u.Attrs)
	_, err := s.db.ExecContext(ctx, `INSERT INTO users (pool_id, username_key, username, sub, attrs, status, enabled,
		password_hash, srp_salt, srp_verifier, created, modified, confirm_code, confirm_expires, reset_code, reset_expires)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		u.PoolID, usernameKey(u.Username), u.Username, u.Sub, string(attrs), u.Status, u.Enabled, u.PasswordHash,
		u.SRPSalt, u.SRPVerifier, u.Created.UnixMilli(), u.Modified.UnixMilli(), u.ConfirmCode, u.ConfirmExpires.UnixMilli(),
		u.ResetCode, u.ResetExpires.UnixMilli())
	if err != nil && strings.Contains(err.Error(), "UNIQUE constraint failed") {
		return errExists
	}
	return err
}

var errExists = errors.New("localcognito: already exists")

func (s *Service) updateUser(ctx context.Context, u *user) error {
	attrs, _ := json.Marshal(u.Attrs)
	_, err := s.db.ExecContext(ctx, `UPDATE users SET attrs = ?, status = ?, enabled = ?, password_hash = ?,
		srp_salt = ?, srp_verifier = ?, modified = ?, confirm_code = ?, confirm_expires = ?, reset_code = ?, reset_expires = ?
		WHERE pool_id = ? AND username_key = ?`,
		string(attrs), u.Status, u.Enabled, u.PasswordHash, u.SRPSalt, u.SRPVerifier, u.Modified.UnixMilli(),
		u.ConfirmCode, u.ConfirmExpires.UnixMilli(), u.ResetCode, u.ResetExpires.UnixMilli(),
		u.PoolID, usernameKey(u.Username))
	return err
}

// group is a user pool group.
type group struct {
	Name        string
	Description string
	Precedence  *int32
	RoleARN     string
	Created     time.Time
}

func (s *Service) userGroups(ctx context.Context, poolID, username string) ([]group, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT g.name, g.description, g.precedence, g.role_arn, g.created
		FROM memberships m JOIN groups g ON g.pool_id = m.pool_id AND g.name = m.group_name
		WHERE m.pool_id = ? AND m.username_key = ?
		ORDER BY g.precedence IS NULL, g.precedence, g.name`, poolID, usernameKey(username))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []group
	for rows.Next() {
		g, err := scanGroup(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *g)
	}
	return out, rows.Err()
}

func scanGroup(row interface{ Scan(...any) error }) (*group, error) {
	var g group
	var prec sql.NullInt32
	var created int64
	err := row.Scan(&g.Name, &g.Description, &prec, &g.RoleARN, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNotFound
	}
	if err != nil {
		return nil, err
	}
	if prec.Valid {
		p := prec.Int32
		g.Precedence = &p
	}
	g.Created = time.UnixMilli(created)
	return &g, nil
}

func (s *Service) getGroup(ctx context.Context, poolID, name string) (*group, error) {
	return scanGroup(s.db.QueryRowContext(ctx, `SELECT name, description, precedence, role_arn, created
		FROM groups WHERE pool_id = ? AND name = ?`, poolID, name))
}

func (s *Service) insertGroup(ctx context.Context, poolID string, g *group) error {
	var prec any
	if g.Precedence != nil {
		prec = *g.Precedence
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO groups (pool_id, name, description, precedence, role_arn, created)
		VALUES (?, ?, ?, ?, ?, ?)`, poolID, g.Name, g.Description, prec, g.RoleARN, g.Created.UnixMilli())
	if err != nil && strings.Contains(err.Error(), "UNIQUE constraint failed") {
		return errExists
	}
	return err
}

// refreshToken is a stored refresh token.
type refreshToken struct {
	PoolID, ClientID, UsernameKey, OriginJTI string
	AuthTime, Expires                        time.Time
	Revoked                                  bool
}

func (s *Service) insertRefresh(ctx context.Context, hash string, t *refreshToken) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO refresh_tokens (hash, pool_id, client_id, username_key, origin_jti, auth_time, expires)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, hash, t.PoolID, t.ClientID, t.UsernameKey, t.OriginJTI, t.AuthTime.Unix(), t.Expires.UnixMilli())
	return err
}

func (s *Service) getRefresh(ctx context.Context, hash string) (*refreshToken, error) {
	var t refreshToken
	var auth, exp int64
	err := s.db.QueryRowContext(ctx, `SELECT pool_id, client_id, username_key, origin_jti, auth_time, expires, revoked
		FROM refresh_tokens WHERE hash = ?`, hash).Scan(&t.PoolID, &t.ClientID, &t.UsernameKey, &t.OriginJTI, &auth, &exp, &t.Revoked)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNotFound
	}
	if err != nil {
		return nil, err
	}
	t.AuthTime, t.Expires = time.Unix(auth, 0), time.UnixMilli(exp)
	return &t, nil
}

// originRevoked reports whether the sign-in that originJTI names has been
// revoked (by GlobalSignOut or RevokeToken).
func (s *Service) originRevoked(ctx context.Context, originJTI string) (bool, error) {
	var revoked bool
	err := s.db.QueryRowContext(ctx, `SELECT revoked FROM refresh_tokens WHERE origin_jti = ?`, originJTI).Scan(&revoked)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return revoked, err
}
