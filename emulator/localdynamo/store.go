package localdynamo

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"net/url"
	"sort"
	"sync"
	"time"

	"github.com/faasport/faasport/emulator/clock"
	sqlite3 "github.com/mattn/go-sqlite3"
)

// Options configure a [Store]. The zero value (and nil) is ready for use.
type Options struct {
	// Region is the AWS region in table ARNs. Empty means "us-east-1".
	Region string
	// AccountID is the account in table ARNs. Empty means "000000000000".
	AccountID string
	// Authorizer decides whether each access may proceed. Nil allows all.
	Authorizer Authorizer
	// Clock tells the time for TTL expiry and timestamps. Nil means
	// [clock.Real].
	Clock clock.Clock
	// TTLSweepInterval is how often expired items are deleted in the
	// background. Zero means one minute; negative disables the sweeper
	// (expired items stay invisible to reads either way).
	TTLSweepInterval time.Duration
	// BusyTimeout is how long a write waits for a lock held by another
	// process on the same file before failing with
	// TransactionConflictException. Zero means 5 seconds.
	BusyTimeout time.Duration
	// Logger receives internal errors. Nil means slog.Default().
	Logger *slog.Logger
}

// Store is a local DynamoDB: tables and items in one SQLite database. Its
// methods are safe for concurrent use. Callers must call [Store.Close].
type Store struct {
	db     *sql.DB
	opts   Options
	clock  clock.Clock
	log    *slog.Logger
	region string
	acct   string

	// wmu serializes writers inside the process, so that SQLite never
	// answers "busy" to one of our own connections; other processes on the
	// same file are held off by the busy timeout.
	wmu sync.Mutex
	// pending runs after the current write transaction commits; guarded
	// by wmu.
	pending []func()

	mu     sync.RWMutex
	tables map[string]*table

	stop chan struct{}
	done chan struct{}
}

const schema = `
CREATE TABLE IF NOT EXISTS ddb_tables (
	name TEXT PRIMARY KEY,
	id   INTEGER NOT NULL UNIQUE,
	meta BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS ddb_items (
	t   INTEGER NOT NULL,
	hh  INTEGER NOT NULL,
	h   BLOB NOT NULL,
	r   BLOB NOT NULL,
	exp INTEGER,
	doc BLOB NOT NULL,
	PRIMARY KEY (t, hh, h, r)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS ddb_index_items (
	t   INTEGER NOT NULL,
	i   TEXT NOT NULL,
	hh  INTEGER NOT NULL,
	h   BLOB NOT NULL,
	r   BLOB NOT NULL,
	ph  BLOB NOT NULL,
	pr  BLOB NOT NULL,
	exp INTEGER,
	doc BLOB NOT NULL,
	PRIMARY KEY (t, i, hh, h, r, ph, pr)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS ddb_items_exp ON ddb_items (exp) WHERE exp IS NOT NULL;
CREATE TABLE IF NOT EXISTS ddb_tokens (
	token  TEXT PRIMARY KEY,
	digest BLOB NOT NULL,
	result BLOB NOT NULL,
	at     INTEGER NOT NULL
);
`

// Open opens the store in the SQLite database at path, creating it if
// needed. path ":memory:" (or "") keeps everything in memory, gone at Close.
// A file store uses write-ahead logging: a write acknowledged to a client
// is in the log before the answer leaves, so it survives the process being
// killed (kill -9) and a restart. The log is synced to the disk at
// checkpoints rather than at every commit (SQLite's synchronous=NORMAL in
// WAL mode), so a power loss may lose the last moments of writes. opts
// may be nil.
func Open(path string, opts *Options) (*Store, error) {
	var o Options
	if opts != nil {
		o = *opts
	}
	if o.Region == "" {
		o.Region = "us-east-1"
	}
	if o.AccountID == "" {
		o.AccountID = "000000000000"
	}
	if o.Clock == nil {
		o.Clock = clock.Real()
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.BusyTimeout == 0 {
		o.BusyTimeout = 5 * time.Second
	}
	if o.TTLSweepInterval == 0 {
		o.TTLSweepInterval = time.Minute
	}
	memory := path == "" || path == ":memory:"
	var dsn string
	q := url.Values{}
	q.Set("_busy_timeout", fmt.Sprint(o.BusyTimeout.Milliseconds()))
	q.Set("_foreign_keys", "0")
	if memory {
		// Each connection to ":memory:" would be a database of its own, so
		// a memory store uses exactly one connection.
		dsn = "file::memory:?" + q.Encode()
	} else {
		q.Set("_journal_mode", "WAL")
		q.Set("_synchronous", "NORMAL")
		q.Set("_txlock", "immediate")
		dsn = "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode()
	}
	db, err := sql.Open("sqlite3", dsn)
	if err != nil {
		return nil, fmt.Errorf("localdynamo: open %s: %w", path, err)
	}
	if memory {
		db.SetMaxOpenConns(1)
	} else {
		db.SetMaxOpenConns(8)
		db.SetMaxIdleConns(8)
	}
	db.SetConnMaxLifetime(0)
	if _, err := db.Exec(schema); err != nil {
		db.Close()
		return nil, fmt.Errorf("localdynamo: create schema in %s: %w", path, err)
	}
	s := &Store{
		db:     db,
		opts:   o,
		clock:  o.Clock,
		log:    o.Logger,
		region: o.Region,
		acct:   o.AccountID,
		tables: map[string]*table{},
		stop:   make(chan struct{}),
		done:   make(chan struct{}),
	}
	if err := s.loadTables(); err != nil {
		db.Close()
		return nil, err
	}
	if o.TTLSweepInterval > 0 {
		go s.sweeper(o.TTLSweepInterval)
	} else {
		close(s.done)
	}
	return s, nil
}

// Close stops background work and closes the database.
func (s *Store) Close() error {
	select {
	case <-s.stop:
		return nil
	default:
	}
	close(s.stop)
	<-s.done
	return s.db.Close()
}

func (s *Store) loadTables() error {
	rows, err := s.db.Query(`SELECT name, id, meta FROM ddb_tables`)
	if err != nil {
		return fmt.Errorf("localdynamo: load tables: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		var id int64
		var meta []byte
		if err := rows.Scan(&name, &id, &meta); err != nil {
			return err
		}
		t := &table{id: id}
		if err := json.Unmarshal(meta, &t.meta); err != nil {
			return fmt.Errorf("localdynamo: table %s: %w", name, err)
		}
		t.init()
		s.tables[name] = t
	}
	return rows.Err()
}

// table looks up a table by name.
func (s *Store) table(name string) (*table, error) {
	s.mu.RLock()
	t := s.tables[name]
	s.mu.RUnlock()
	if t == nil {
		return nil, errNoTable()
	}
	return t, nil
}

func (s *Store) tableARN(name string) string {
	return fmt.Sprintf("arn:aws:dynamodb:%s:%s:table/%s", s.region, s.acct, name)
}

func (s *Store) now() time.Time { return s.clock.Now() }

// ttlCutoff returns the bounds within which an item's TTL attribute means
// "expired": at or before now, but not more than five years in the past
// (DynamoDB ignores such values).
func (s *Store) ttlBounds() (now, floor int64) {
	n := s.now().Unix()
	return n, n - 5*365*24*3600
}

// errBusy is SQLite's "database is locked", surfaced as a transaction
// conflict.
func isBusy(err error) bool {
	var se sqlite3.Error
	if errors.As(err, &se) {
		return se.Code == sqlite3.ErrBusy || se.Code == sqlite3.ErrLocked
	}
	return false
}

// write runs fn in one SQLite transaction, serialized with every other
// writer of this store.
func (s *Store) write(ctx context.Context, fn func(tx *sql.Tx) error) error {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return s.dbError(err)
	}
	s.pending = s.pending[:0]
	if err := fn(tx); err != nil {
		tx.Rollback()
		return s.dbError(err)
	}
	if err := tx.Commit(); err != nil {
		return s.dbError(err)
	}
	for _, f := range s.pending {
		f()
	}
	s.pending = s.pending[:0]
	return nil
}

// onCommit defers f until the running write transaction commits. Only
// callable inside [Store.write].
func (s *Store) onCommit(f func()) { s.pending = append(s.pending, f) }

func (s *Store) dbError(err error) error {
	var ae *apiError
	if errors.As(err, &ae) {
		return ae
	}
	if isBusy(err) {
		return newError(codeTransactionConflict, 400, "Transaction is ongoing for the item")
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	s.log.Error("localdynamo: database error", "err", err)
	return internalError(err)
}

// hashOf spreads partition keys over the scan order and the scan segments,
// as DynamoDB's partitioning does.
func hashOf(h []byte) int64 {
	f := fnv.New32a()
	f.Write(h)
	return int64(f.Sum32())
}

func newID() string {
	var b [16]byte
	rand.Read(b[:])
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

func sortedKeys[M ~map[string]V, V any](m M) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
