package localcognito

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/faasport/faasport/emulator/clock"
	"github.com/faasport/faasport/verify"
)

// Defaults of [Options].
const (
	DefaultRegion          = "us-east-1"
	DefaultAccountID       = "000000000000"
	DefaultTokenTTL        = time.Hour
	DefaultRefreshTokenTTL = 30 * 24 * time.Hour
	DefaultCredentialTTL   = time.Hour
	DefaultMaxFailures     = 5
	DefaultAddressFailures = 100
	signUpCodeTTL          = 24 * time.Hour
	resetCodeTTL           = time.Hour
	challengeTTL           = 3 * time.Minute
)

// Options configure a [Service]. The zero value is ready for use, and
// Open accepts nil for it.
type Options struct {
	// Region names the region in pool ids, issuers and identity ids.
	// Empty means DefaultRegion ("us-east-1").
	Region string

	// AccountID is the account in ARNs. Empty means DefaultAccountID.
	AccountID string

	// IssuerBase is the part of a token's iss before "/<poolId>". Empty
	// means AWS's own, https://cognito-idp.<Region>.amazonaws.com, so
	// that tokens look like real Cognito tokens; set it to the URL the
	// service is served at for verifiers that fetch keys by issuer.
	IssuerBase string

	// Pools are user pools (with their app clients and groups) to create
	// at Open, unless a pool with the same ID — or, for pools without
	// one, the same name — already exists in the database.
	Pools []PoolConfig

	// IdentityPools are identity pools to create or update at Open.
	IdentityPools []IdentityPoolConfig

	// Admin holds the keys that may call the administrative operations
	// (Admin*, CreateGroup, ListUsers), signed with SigV4 for the service
	// "cognito-idp" in any region. Nil means none may: those operations
	// are refused. The same keys are also found by [Service.Lookup].
	Admin verify.StaticCredentials

	// Clock tells the time. Nil means clock.Real().
	Clock clock.Clock

	// Logger logs codes and failures. Nil means slog.Default().
	Logger *slog.Logger

	// DeliverCode, when set, is called with every confirmation code,
	// password-reset code and temporary password, besides the log: tests
	// and tools read codes from it.
	DeliverCode func(ctx context.Context, d CodeDelivery)

	// IDTokenTTL and AccessTokenTTL are the lifetimes of ID and access
	// tokens; zero means DefaultTokenTTL (1 h). RefreshTokenTTL is the
	// refresh token's; zero means DefaultRefreshTokenTTL (30 days).
	IDTokenTTL      time.Duration
	AccessTokenTTL  time.Duration
	RefreshTokenTTL time.Duration

	// BcryptCost is the cost of password hashes. Zero means
	// bcrypt.DefaultCost; tests use bcrypt.MinCost to run fast.
	BcryptCost int

	// MaxFailedSignIns is how many failed sign-ins in a row a user may
	// have before being locked out. Zero means DefaultMaxFailures (5).
	MaxFailedSignIns int

	// MaxAddressFailures is how many failed sign-ins one client address
	// may have within a minute before its requests are refused with
	// TooManyRequestsException. Zero means DefaultAddressFailures (100).
	MaxAddressFailures int
}

// CodeDelivery is a code Cognito would send to a user.
type CodeDelivery struct {
	PoolID   string
	Username string
	// Purpose is "SignUp", "ForgotPassword" or "TemporaryPassword".
	Purpose string
	// Destination is the address the code would go to (the email
	// attribute), or "" when the user has none.
	Destination string
	Code        string
}

// PoolConfig configures a user pool.
type PoolConfig struct {
	// ID is the pool id, "<region>_<id>". Empty means a generated one.
	ID string

	// Name is the pool's name.
	Name string

	// PasswordPolicy is the rule passwords must follow. Nil means
	// Cognito's default policy (DefaultPasswordPolicy).
	PasswordPolicy *PasswordPolicy

	// AutoConfirm confirms users at SignUp, as a pre-sign-up trigger
	// setting autoConfirmUser does; no code is sent.
	AutoConfirm bool

	// Clients are the pool's app clients.
	Clients []ClientConfig

	// Groups are the pool's groups.
	Groups []GroupConfig
}

// PasswordPolicy is a user pool's password policy.
type PasswordPolicy struct {
	MinimumLength    int
	RequireUppercase bool
	RequireLowercase bool
	RequireNumbers   bool
	RequireSymbols   bool
}

// DefaultPasswordPolicy is Cognito's default: at least 8 characters,
// with upper and lower case letters, numbers and symbols.
var DefaultPasswordPolicy = PasswordPolicy{
	MinimumLength: 8, RequireUppercase: true, RequireLowercase: true, RequireNumbers: true, RequireSymbols: true,
}

// Values of [ClientConfig.AuthFlows], as Cognito names them.
const (
	AllowUserPasswordAuth = "ALLOW_USER_PASSWORD_AUTH"
	AllowUserSRPAuth      = "ALLOW_USER_SRP_AUTH"
	AllowRefreshTokenAuth = "ALLOW_REFRESH_TOKEN_AUTH"
	// AllowAdminUserPasswordAuth lets AdminInitiateAuth sign users in with
	// ADMIN_USER_PASSWORD_AUTH.
	AllowAdminUserPasswordAuth = "ALLOW_ADMIN_USER_PASSWORD_AUTH"
)

// ClientConfig configures an app client.
type ClientConfig struct {
	// ID is the client id. Empty means a generated one (26 characters,
	// like Cognito's).
	ID string

	// Name is the client's name.
	Name string

	// Secret, when set, makes this a confidential client: requests must
	// carry SECRET_HASH (Base64(HMAC-SHA256(secret, username+clientId))).
	Secret string

	// AuthFlows are the explicit auth flows the client allows. Nil means
	// all of AllowUserPasswordAuth, AllowUserSRPAuth,
	// AllowRefreshTokenAuth and AllowAdminUserPasswordAuth.
	AuthFlows []string

	// PreventUserExistenceErrors makes sign-in and password reset of an
	// unknown user fail as a wrong password does, instead of with
	// UserNotFoundException.
	PreventUserExistenceErrors bool
}

// GroupConfig configures a group.
type GroupConfig struct {
	Name        string
	Description string
	Precedence  *int32 // nil: none
	RoleARN     string // the IAM role of the group's members, in cognito:roles
}

// Service is a local Cognito: user pools and identity pools over one
// SQLite database. Its methods are safe for concurrent use. Whoever calls
// [Open] must call [Service.Close].
type Service struct {
	db      *sql.DB
	region  string
	account string
	base    string // issuer base, without a trailing slash
	clock   clock.Clock
	log     *slog.Logger
	deliver func(context.Context, CodeDelivery)

	idTTL, accessTTL, refreshTTL time.Duration
	bcryptCost                   int
	admin                        *verify.SigV4Verifier

	mu       sync.RWMutex
	pools    map[string]*pool         // by id
	clients  map[string]*client       // by id
	idPools  map[string]*identityPool // by id
	keys     map[string][]*signingKey // by pool id, oldest first
	dummy    []byte                   // a bcrypt hash compared against for unknown users
	simKey   []byte                   // keys the simulated SRP salts of unknown users
	throttle *throttle
	sessions *sessions
}

var _ verify.CredentialStore = (*Service)(nil)

type pool struct {
	ID     string
	Name   string
	Config PoolConfig // without Clients and Groups
}

func (p *pool) policy() PasswordPolicy {
	if p.Config.PasswordPolicy != nil {
		return *p.Config.PasswordPolicy
	}
	return DefaultPasswordPolicy
}

// poolName is the part of the pool id after the underscore, which SRP
// hashes.
func (p *pool) poolName() string {
	_, name, _ := strings.Cut(p.ID, "_")
	return name
}

type client struct {
	PoolID string
	Config ClientConfig
}

func (c *client) allows(flow string) bool {
	return c.Config.AuthFlows == nil || slices.Contains(c.Config.AuthFlows, flow)
}

// Open opens the service's database at path, creating it if need be, and
// applies opts. A path of "" or ":memory:" keeps everything in memory.
func Open(path string, opts *Options) (*Service, error) {
	if opts == nil {
		opts = &Options{}
	}
	db, err := openDB(path)
	if err != nil {
		return nil, fmt.Errorf("localcognito: opening %s: %w", path, err)
	}
	s := &Service{
		db:         db,
		region:     cmpOr(opts.Region, DefaultRegion),
		account:    cmpOr(opts.AccountID, DefaultAccountID),
		clock:      opts.Clock,
		log:        opts.Logger,
		deliver:    opts.DeliverCode,
		idTTL:      cmpOr(opts.IDTokenTTL, DefaultTokenTTL),
		accessTTL:  cmpOr(opts.AccessTokenTTL, DefaultTokenTTL),
		refreshTTL: cmpOr(opts.RefreshTokenTTL, DefaultRefreshTokenTTL),
		bcryptCost: cmpOr(opts.BcryptCost, bcrypt.DefaultCost),
		pools:      map[string]*pool{},
		clients:    map[string]*client{},
		idPools:    map[string]*identityPool{},
		keys:       map[string][]*signingKey{},
	}
	if s.clock == nil {
		s.clock = clock.Real()
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	s.base = strings.TrimSuffix(opts.IssuerBase, "/")
	if s.base == "" {
		s.base = "https://cognito-idp." + s.region + ".amazonaws.com"
	}
	s.throttle = newThrottle(cmpOr(opts.MaxFailedSignIns, DefaultMaxFailures), cmpOr(opts.MaxAddressFailures, DefaultAddressFailures))
	s.sessions = newSessions()
	if len(opts.Admin) > 0 {
		s.admin = &verify.SigV4Verifier{Credentials: opts.Admin, Clock: s.clock, Service: "cognito-idp"}
	}
	s.simKey = randomBytes(32)
	s.dummy, err = bcrypt.GenerateFromPassword([]byte("localcognito dummy password"), s.bcryptCost)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("localcognito: %w", err)
	}

	ctx := context.Background()
	if err := s.load(ctx); err != nil {
		db.Close()
		return nil, err
	}
	for _, pc := range opts.Pools {
		if _, err := s.ensurePool(ctx, pc); err != nil {
			db.Close()
			return nil, err
		}
	}
	for _, ic := range opts.IdentityPools {
		if _, err := s.CreateIdentityPool(ctx, ic); err != nil {
			db.Close()
			return nil, err
		}
	}
	return s, nil
}

func cmpOr[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}

// Close closes the database. Requests in flight may fail.
func (s *Service) Close() error { return s.db.Close() }

// Region returns the service's region.
func (s *Service) Region() string { return s.region }

// Issuer returns the iss of poolID's tokens.
func (s *Service) Issuer(poolID string) string { return s.base + "/" + poolID }

// ProviderName returns the name of poolID as an identity provider, the
// key of its tokens in Cognito Identity's Logins map:
// cognito-idp.<region>.amazonaws.com/<poolId>.
func (s *Service) ProviderName(poolID string) string {
	return "cognito-idp." + s.region + ".amazonaws.com/" + poolID
}

// load reads pools, clients, identity pools and keys from the database.
func (s *Service) load(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	rows, err := s.db.QueryContext(ctx, `SELECT id, name, config FROM pools`)
	if err != nil {
		return err
	}
	for rows.Next() {
		p := &pool{}
		var cfg string
		if err := rows.Scan(&p.ID, &p.Name, &cfg); err != nil {
			rows.Close()
			return err
		}
		if err := json.Unmarshal([]byte(cfg), &p.Config); err != nil {
			rows.Close()
			return fmt.Errorf("localcognito: pool %s: %w", p.ID, err)
		}
		s.pools[p.ID] = p
	}
	rows.Close()
	rows, err = s.db.QueryContext(ctx, `SELECT id, pool_id, config FROM clients`)
	if err != nil {
		return err
	}
	for rows.Next() {
		c := &client{}
		var id, cfg string
		if err := rows.Scan(&id, &c.PoolID, &cfg); err != nil {
			rows.Close()
			return err
		}
		if err := json.Unmarshal([]byte(cfg), &c.Config); err != nil {
			rows.Close()
			return fmt.Errorf("localcognito: client %s: %w", id, err)
		}
		s.clients[id] = c
	}
	rows.Close()
	if err := s.loadIdentityPools(ctx); err != nil {
		return err
	}
	return s.loadKeys(ctx)
}

var (
	poolIDPattern   = regexp.MustCompile(`^[\w-]+_[0-9a-zA-Z]+$`)
	clientIDPattern = regexp.MustCompile(`^[\w+]+$`)
)

// checkPoolConfig refuses, before any of it is created, a pool
// configuration that creating the pool, its clients or its groups would
// refuse part of the way through.
func checkPoolConfig(pc PoolConfig) error {
	name := pc.ID
	if name == "" {
		name = pc.Name
	}
	if pc.ID != "" && !poolIDPattern.MatchString(pc.ID) {
		return fmt.Errorf("localcognito: pool id %q is not of the form <region>_<id>", pc.ID)
	}
	if pc.PasswordPolicy != nil && (pc.PasswordPolicy.MinimumLength < 6 || pc.PasswordPolicy.MinimumLength > 99) {
		return fmt.Errorf("localcognito: pool %s: password minimum length must be 6 to 99", name)
	}
	for _, cc := range pc.Clients {
		if cc.ID != "" && !clientIDPattern.MatchString(cc.ID) {
			return fmt.Errorf("localcognito: pool %s: client id %q has characters other than letters, digits, _ and +", name, cc.ID)
		}
	}
	for _, gc := range pc.Groups {
		if err := checkGroup(gc.Name, gc.Description, gc.RoleARN, gc.Precedence); err != nil {
			return fmt.Errorf("localcognito: pool %s: group %q: %w", name, gc.Name, err)
		}
	}
	return nil
}

// ensurePool creates the pool of pc unless it exists, then adds the
// clients and groups it lacks. A configuration that cannot be created
// whole creates nothing.
func (s *Service) ensurePool(ctx context.Context, pc PoolConfig) (string, error) {
	if err := checkPoolConfig(pc); err != nil {
		return "", err
	}
	id := pc.ID
	if id == "" {
		s.mu.RLock()
		for _, p := range s.pools {
			if p.Name == pc.Name && pc.Name != "" {
				id = p.ID
			}
		}
		s.mu.RUnlock()
	}
	s.mu.RLock()
	_, exists := s.pools[id]
	s.mu.RUnlock()
	if !exists {
		var err error
		if id, err = s.createPool(ctx, pc, id); err != nil {
			return "", err
		}
	}
	for _, cc := range pc.Clients {
		s.mu.RLock()
		_, have := s.clients[cc.ID]
		if !have && cc.ID == "" {
			for _, c := range s.clients {
				if c.PoolID == id && c.Config.Name == cc.Name {
					have = true
				}
			}
		}
		s.mu.RUnlock()
		if !have {
			if _, err := s.CreateClient(ctx, id, cc); err != nil {
				return "", err
			}
		}
	}
	for _, gc := range pc.Groups {
		err := s.insertGroup(ctx, id, &group{Name: gc.Name, Description: gc.Description, Precedence: gc.Precedence,
			RoleARN: gc.RoleARN, Created: s.clock.Now()})
		if err != nil && !errors.Is(err, errExists) {
			return "", err
		}
	}
	return id, nil
}

// CreatePool creates a user pool with its clients and groups, and its
// signing keys, and returns its id.
func (s *Service) CreatePool(ctx context.Context, pc PoolConfig) (string, error) {
	if pc.ID != "" {
		s.mu.RLock()
		_, exists := s.pools[pc.ID]
		s.mu.RUnlock()
		if exists {
			return "", fmt.Errorf("localcognito: pool %s already exists", pc.ID)
		}
	}
	return s.ensurePool(ctx, pc)
}

func (s *Service) createPool(ctx context.Context, pc PoolConfig, id string) (string, error) {
	if id == "" {
		id = s.region + "_" + randomString(9, alnum)
	}
	if !poolIDPattern.MatchString(id) {
		return "", fmt.Errorf("localcognito: pool id %q is not of the form <region>_<id>", id)
	}
	if pc.PasswordPolicy != nil && (pc.PasswordPolicy.MinimumLength < 6 || pc.PasswordPolicy.MinimumLength > 99) {
		return "", fmt.Errorf("localcognito: pool %s: password minimum length must be 6 to 99", id)
	}
	cfg := pc
	cfg.ID, cfg.Clients, cfg.Groups = id, nil, nil
	b, _ := json.Marshal(cfg)
	if _, err := s.db.ExecContext(ctx, `INSERT INTO pools (id, name, config, created) VALUES (?, ?, ?, ?)`,
		id, pc.Name, string(b), s.clock.Now().UnixMilli()); err != nil {
		return "", fmt.Errorf("localcognito: creating pool %s: %w", id, err)
	}
	p := &pool{ID: id, Name: pc.Name, Config: cfg}
	s.mu.Lock()
	s.pools[id] = p
	s.mu.Unlock()
	if err := s.newKeys(ctx, id); err != nil {
		return "", err
	}
	return id, nil
}

// CreateClient adds an app client to poolID and returns its id.
func (s *Service) CreateClient(ctx context.Context, poolID string, cc ClientConfig) (string, error) {
	s.mu.RLock()
	_, ok := s.pools[poolID]
	s.mu.RUnlock()
	if !ok {
		return "", fmt.Errorf("localcognito: no user pool %s", poolID)
	}
	if cc.ID == "" {
		cc.ID = randomString(26, lowerAlnum)
	}
	if !clientIDPattern.MatchString(cc.ID) {
		return "", fmt.Errorf("localcognito: client id %q has characters other than letters, digits, _ and +", cc.ID)
	}
	b, _ := json.Marshal(cc)
	if _, err := s.db.ExecContext(ctx, `INSERT INTO clients (id, pool_id, name, config) VALUES (?, ?, ?, ?)`,
		cc.ID, poolID, cc.Name, string(b)); err != nil {
		return "", fmt.Errorf("localcognito: creating client %s: %w", cc.ID, err)
	}
	s.mu.Lock()
	s.clients[cc.ID] = &client{PoolID: poolID, Config: cc}
	s.mu.Unlock()
	return cc.ID, nil
}

// CreateGroup adds a group to poolID, as the CreateGroup operation does.
func (s *Service) CreateGroup(ctx context.Context, poolID string, gc GroupConfig) error {
	if s.pool(poolID) == nil {
		return fmt.Errorf("localcognito: no user pool %s", poolID)
	}
	if err := checkGroup(gc.Name, gc.Description, gc.RoleARN, gc.Precedence); err != nil {
		return fmt.Errorf("localcognito: group %q: %w", gc.Name, err)
	}
	return s.insertGroup(ctx, poolID, &group{Name: gc.Name, Description: gc.Description, Precedence: gc.Precedence,
		RoleARN: gc.RoleARN, Created: s.clock.Now()})
}

// PoolIDs returns the ids of the user pools.
func (s *Service) PoolIDs() []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var ids []string
	for id := range s.pools {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// ClientIDs returns the ids of poolID's app clients.
func (s *Service) ClientIDs(poolID string) []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var ids []string
	for id, c := range s.clients {
		if c.PoolID == poolID {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids
}

func (s *Service) pool(id string) *pool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.pools[id]
}

func (s *Service) client(id string) *client {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.clients[id]
}
