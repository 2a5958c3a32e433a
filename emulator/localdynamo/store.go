package localdynamo

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"reflect"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
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

// driverName is mattn/go-sqlite3's driver with the settings every
// connection of a store takes (see init).
const driverName = "sqlite3-localdynamo"

func init() {
	sql.Register(driverName, &sqlite3.SQLiteDriver{
		ConnectHook: func(c *sqlite3.SQLiteConn) error {
			// Read the database file through a memory map: a page that is
			// not in the connection's cache costs no system call, and the
			// operating system's cache of the file serves every
			// connection. (Pages still in the WAL are read as before.)
			if _, err := c.Exec("PRAGMA mmap_size=268435456", nil); err != nil {
				return err
			}
			// hashOf, for migrateHashes.
			return c.RegisterFunc("ddb_hash", hashOf, true)
		},
	})
}

// Store is a local DynamoDB: tables and items in one SQLite database. Its
// methods are safe for concurrent use. Callers must call [Store.Close].
type Store struct {
	db *sql.DB
	// wc runs the write transactions of a file store; nil in a memory
	// store, whose single connection db hands out in turn.
	wc     *writeConn
	opts   Options
	clock  clock.Clock
	log    *slog.Logger
	region string
	acct   string

	// Writers inside the process queue in wq and are run one after the
	// other by a single committer, so that SQLite never answers "busy" to
	// one of our own connections; other processes on the same file are
	// held off by the busy timeout. wqmu guards wq and committing.
	wqmu       sync.Mutex
	wq         []*writeJob
	committing bool
	// pending runs after the running job's transaction commits; used by
	// the committer only.
	pending []func()

	mu     sync.RWMutex
	tables map[string]*table
	// tablesVersion is the version of ddb_tables (ddb_tables_version,
	// counted by triggers) that tables holds; guarded by mu. See
	// shared.go.
	tablesVersion int64

	// gen counts write batches; readers holds idle read transactions of
	// a file store (nil for a memory store). See readers.go.
	gen     atomic.Uint64
	readers chan *reader
	// wrote signals each write batch to the checkpointer of a file store,
	// which closes ckptDone when it stops (see checkpoint.go).
	wrote    chan struct{}
	ckptDone chan struct{}
	// watchDone is closed when a file store's watchTables stops.
	watchDone chan struct{}

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
CREATE TABLE IF NOT EXISTS ddb_tables_version (v INTEGER NOT NULL);
INSERT INTO ddb_tables_version SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM ddb_tables_version);
CREATE TRIGGER IF NOT EXISTS ddb_tables_insert AFTER INSERT ON ddb_tables BEGIN UPDATE ddb_tables_version SET v = v + 1; END;
CREATE TRIGGER IF NOT EXISTS ddb_tables_update AFTER UPDATE ON ddb_tables BEGIN UPDATE ddb_tables_version SET v = v + 1; END;
CREATE TRIGGER IF NOT EXISTS ddb_tables_delete AFTER DELETE ON ddb_tables BEGIN UPDATE ddb_tables_version SET v = v + 1; END;
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
	// Every connection keeps its prepared statements: the store runs a
	// small, fixed set of SQL texts, with tables and keys as parameters.
	q.Set("_stmt_cache_size", "64")
	if memory {
		// Each connection to ":memory:" would be a database of its own, so
		// a memory store uses exactly one connection.
		dsn = "file::memory:?" + q.Encode()
	} else {
		q.Set("_journal_mode", "WAL")
		q.Set("_synchronous", "NORMAL")
		dsn = "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode()
	}
	db, err := sql.Open(driverName, dsn)
	if err != nil {
		return nil, fmt.Errorf("localdynamo: open %s: %w", path, err)
	}
	if memory {
		db.SetMaxOpenConns(1)
	} else {
		// Eight for reads, one for writes.
		db.SetMaxOpenConns(9)
		db.SetMaxIdleConns(9)
	}
	db.SetConnMaxLifetime(0)
	if _, err := db.Exec(schema); err != nil {
		db.Close()
		return nil, fmt.Errorf("localdynamo: create schema in %s: %w", path, err)
	}
	if err := migrateHashes(db); err != nil {
		db.Close()
		return nil, fmt.Errorf("localdynamo: open %s: %w", path, err)
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
	if !memory {
		s.readers = make(chan *reader, idleReaders)
		s.wrote = make(chan struct{}, 1)
		s.ckptDone = make(chan struct{})
	}
	if err := s.loadTables(); err != nil {
		db.Close()
		return nil, err
	}
	if !memory {
		if s.wc, err = openWriteConn(db); err != nil {
			db.Close()
			return nil, fmt.Errorf("localdynamo: open %s: %w", path, err)
		}
	}
	if s.wrote != nil {
		go s.checkpointer()
		s.watchDone = make(chan struct{})
		go s.watchTables()
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
	if s.ckptDone != nil {
		<-s.ckptDone
	}
	if s.watchDone != nil {
		<-s.watchDone
	}
	s.dropReaders()
	if s.wc != nil {
		s.wc.close()
	}
	return s.db.Close()
}

func (s *Store) loadTables() error {
	tables, v, err := readTables(context.Background(), s.db)
	if err != nil {
		return fmt.Errorf("localdynamo: load tables: %w", err)
	}
	s.tables, s.tablesVersion = tables, v
	return nil
}

// table looks up a table by name.
func (s *Store) table(name string) (*table, error) {
	s.mu.RLock()
	t := s.tables[name]
	s.mu.RUnlock()
	if t == nil && s.watchDone != nil && s.refreshTables(context.Background()) {
		// Another process may have created it.
		s.mu.RLock()
		t = s.tables[name]
		s.mu.RUnlock()
	}
	if t == nil {
		return nil, errNoTable()
	}
	return t, nil
}

// tableName returns the name of the table n names, by name or by ARN: as
// DynamoDB does, the store takes a table's ARN wherever a request names a
// table. Anything but the ARN of a table of the store's region and
// account is returned as it is: a table of another region or account is
// not here, and looking it up fails.
func (s *Store) tableName(n string) string {
	if !strings.HasPrefix(n, "arn:") {
		return n
	}
	name, ok := strings.CutPrefix(n, "arn:aws:dynamodb:"+s.region+":"+s.acct+":table/")
	if !ok || !validTableName(name) {
		return n
	}
	return name
}

// resolveTableARN replaces the ARN in the TableName member of a request
// (a pointer to its struct) by the table's name (see tableName).
func (s *Store) resolveTableARN(in any) {
	v := reflect.ValueOf(in).Elem()
	if v.Kind() != reflect.Struct {
		return
	}
	if f := v.FieldByName("TableName"); f.IsValid() && f.Kind() == reflect.String && f.CanSet() {
		f.SetString(s.tableName(f.String()))
	}
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

// writeConn is a connection of a store's pool set aside for its write
// transactions, with the statements beginning and ending them prepared:
// its page cache survives its own writes (SQLite drops a connection's
// cache when another one has written), and no transaction statement is
// parsed again.
type writeConn struct {
	conn                    *sql.Conn
	begin, commit, rollback *sql.Stmt
}

// walAutocheckpoint is the write connection's wal_autocheckpoint, in pages.
const walAutocheckpoint = 10_000

func openWriteConn(db *sql.DB) (*writeConn, error) {
	ctx := context.Background()
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	w := &writeConn{conn: conn}
	// SQLite checkpoints the log into the database file in the commit that
	// takes it past wal_autocheckpoint pages, and every writer waits for
	// that checkpoint's copying and syncs. At 10,000 pages (about 40 MB of
	// log at most, against the default 1,000) checkpoints come ten times
	// less often and each writes a hot page once for many commits: the
	// slowest writes take half as long under a steady stream of PutItems.
	if _, err := conn.ExecContext(ctx, "PRAGMA wal_autocheckpoint="+strconv.Itoa(walAutocheckpoint)); err != nil {
		conn.Close()
		return nil, err
	}
	for _, p := range []struct {
		stmt **sql.Stmt
		sql  string
	}{{&w.begin, "BEGIN IMMEDIATE"}, {&w.commit, "COMMIT"}, {&w.rollback, "ROLLBACK"}} {
		if *p.stmt, err = conn.PrepareContext(ctx, p.sql); err != nil {
			w.close()
			return nil, err
		}
	}
	return w, nil
}

func (w *writeConn) close() {
	for _, st := range []*sql.Stmt{w.begin, w.commit, w.rollback} {
		if st != nil {
			st.Close()
		}
	}
	w.conn.Close()
}

// beginWrite begins a write transaction: its statements run on q, and
// end commits it (or rolls it back, if commit is false).
func (s *Store) beginWrite() (q querier, end func(commit bool) error, err error) {
	if s.wc == nil {
		tx, err := s.db.BeginTx(context.Background(), nil)
		if err != nil {
			return nil, nil, err
		}
		return tx, func(commit bool) error {
			if commit {
				return tx.Commit()
			}
			return tx.Rollback()
		}, nil
	}
	w := s.wc
	if _, err := w.begin.Exec(); err != nil {
		return nil, nil, err
	}
	return w.conn, func(commit bool) error {
		if commit {
			_, err := w.commit.Exec()
			if err == nil {
				return nil
			}
			// A failed COMMIT may leave the transaction open.
			w.rollback.Exec()
			return err
		}
		_, err := w.rollback.Exec()
		return err
	}, nil
}

// writeJob is a transaction body waiting in Store.wq.
type writeJob struct {
	fn  func(q querier) error
	err error
	// lead tells the job's goroutine, when woken, to become the committer
	// rather than that the job is done.
	lead bool
	wake chan struct{}
}

// write runs fn in a SQLite transaction, serialized with every other
// writer of this store, and returns once the transaction has committed (or
// failed). Concurrent writers share transactions: whoever finds no
// committer at work becomes it, runs every queued fn in one transaction,
// each in a savepoint of its own so that a failing fn leaves no trace,
// commits them together, then hands over to the next waiting writer. Each
// fn sees the writes of those before it, as if run alone in that order.
func (s *Store) write(fn func(q querier) error) error {
	j := &writeJob{fn: fn, wake: make(chan struct{}, 1)}
	s.wqmu.Lock()
	s.wq = append(s.wq, j)
	lead := !s.committing
	s.committing = true
	s.wqmu.Unlock()
	if !lead {
		<-j.wake
		if !j.lead {
			return j.err
		}
	}
	s.wqmu.Lock()
	batch := s.wq
	s.wq = nil
	s.wqmu.Unlock()
	for rest := batch; len(rest) > 0; {
		rest = rest[s.commitGroup(rest):]
	}
	// Before any writer of the batch is answered: readers that begin
	// after that must not reuse an older snapshot.
	s.gen.Add(1)
	s.wqmu.Lock()
	if len(s.wq) > 0 {
		next := s.wq[0]
		next.lead = true
		next.wake <- struct{}{}
	} else {
		s.committing = false
	}
	s.wqmu.Unlock()
	for _, b := range batch {
		if b != j {
			b.wake <- struct{}{}
		}
	}
	s.dropReaders()
	if s.wrote != nil {
		select {
		case s.wrote <- struct{}{}:
		default:
		}
	}
	return j.err
}

// run runs the job's fn on q; a panic is its error, so that the jobs
// sharing the transaction still get their outcomes.
func (j *writeJob) run(q querier) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic in a write: %v\n%s", r, debug.Stack())
		}
	}()
	return j.fn(q)
}

// commitGroup runs the jobs at the start of batch in one transaction, up to
// and including the first that leaves work for after its commit (a change
// of table metadata, which the jobs after it must see), sets their
// outcomes, and returns how many it ran.
func (s *Store) commitGroup(batch []*writeJob) int {
	q, end, err := s.beginWrite()
	if err == nil && s.wc != nil {
		if err = s.syncTables(context.Background(), q); err != nil {
			end(false)
		}
	}
	if err != nil {
		err = s.dbError(err)
		for _, j := range batch {
			j.err = err
		}
		return len(batch)
	}
	if len(batch) == 1 {
		j := batch[0]
		s.pending = s.pending[:0]
		if err := j.run(q); err != nil {
			end(false)
			j.err = s.dbError(err)
			return 1
		}
		v, err := s.versionAfter(q, len(s.pending) > 0)
		if err == nil {
			err = end(true)
		} else {
			end(false)
		}
		if err != nil {
			j.err = s.dbError(err)
			return 1
		}
		s.runPending()
		s.setTablesVersion(v)
		return 1
	}
	ctx := context.Background()
	n := 0
	var after []func()
	for n < len(batch) && after == nil {
		j := batch[n]
		n++
		s.pending = s.pending[:0]
		if _, err := q.ExecContext(ctx, "SAVEPOINT job"); err != nil {
			return s.abortGroup(end, batch[:n], err)
		}
		if err := j.run(q); err != nil {
			j.err = s.dbError(err)
			// An error may have rolled back the whole transaction (SQLite
			// does so on some I/O errors and interrupted writes): then the
			// savepoint is gone, and so are the writes of the jobs before.
			if _, err := q.ExecContext(ctx, "ROLLBACK TO job; RELEASE job"); err != nil {
				return s.abortGroup(end, batch[:n], err)
			}
			continue
		}
		if _, err := q.ExecContext(ctx, "RELEASE job"); err != nil {
			return s.abortGroup(end, batch[:n], err)
		}
		if len(s.pending) > 0 {
			after = append(after, s.pending...)
		}
	}
	v, err := s.versionAfter(q, after != nil)
	if err != nil {
		return s.abortGroup(end, batch[:n], err)
	}
	if err := end(true); err != nil {
		err = s.dbError(err)
		for _, j := range batch[:n] {
			if j.err == nil {
				j.err = err
			}
		}
		return n
	}
	for _, f := range after {
		f()
	}
	s.setTablesVersion(v)
	return n
}

// versionAfter returns the tables' version at the end of write
// transaction q, if its operations changed the tables (changed), for
// setTablesVersion once it has committed; 0 otherwise.
func (s *Store) versionAfter(q querier, changed bool) (int64, error) {
	if !changed || s.wc == nil {
		return 0, nil
	}
	return s.tablesVersionIn(context.Background(), q)
}

// abortGroup rolls back the transaction of a group, ended by end: the jobs
// that ran fail with err, unless already failed, and it returns how many
// they are.
func (s *Store) abortGroup(end func(commit bool) error, ran []*writeJob, err error) int {
	end(false)
	err = s.dbError(err)
	for _, j := range ran {
		if j.err == nil {
			j.err = err
		}
	}
	return len(ran)
}

// runPending runs the work the committed job left for after its commit.
func (s *Store) runPending() {
	for _, f := range s.pending {
		f()
	}
	s.pending = s.pending[:0]
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
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, errTablesChanged) {
		return err
	}
	s.log.Error("localdynamo: database error", "err", err)
	return internalError(err)
}

// hashOf spreads partition keys over the scan order and the scan segments,
// as DynamoDB's partitioning does. Rows keep it in their hh column; a
// change to it needs a new hashVersion, whose migrateHashes rewrites them.
func hashOf(h []byte) int64 {
	// FNV-1a, 32 bits, then MurmurHash3's finalizer: FNV-1a alone leaves
	// its high bits, which choose a scan segment, nearly the same for
	// short keys that differ in their last bytes (k0001, k0002, ...).
	x := uint32(2166136261)
	for _, c := range h {
		x ^= uint32(c)
		x *= 16777619
	}
	x ^= x >> 16
	x *= 0x85ebca6b
	x ^= x >> 13
	x *= 0xc2b2ae35
	x ^= x >> 16
	return int64(x)
}

// hashVersion is the version of hashOf that a store file's hh columns
// hold, kept in its user_version: 0 for files of plain FNV-1a.
const hashVersion = 1

// migrateHashes rewrites the hh column of every row of a file written by
// an earlier hashOf, in one transaction, so that keys are found by the
// current one.
func migrateHashes(db *sql.DB) error {
	ctx := context.Background()
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	version := func() (int, error) {
		var v int
		err := conn.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v)
		return v, err
	}
	switch v, err := version(); {
	case err != nil:
		return err
	case v > hashVersion:
		return fmt.Errorf("the file's store format is %d, and this faasport reads up to %d: it was written by a newer one", v, hashVersion)
	case v == hashVersion:
		return nil
	}
	// Another process may be migrating too: the second to take the
	// write lock finds it done.
	if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		return err
	}
	v, err := version()
	if err == nil && v < hashVersion {
		for _, q := range []string{
			"UPDATE ddb_items SET hh = ddb_hash(h)",
			"UPDATE ddb_index_items SET hh = ddb_hash(h)",
			"PRAGMA user_version = " + strconv.Itoa(hashVersion),
		} {
			if _, err = conn.ExecContext(ctx, q); err != nil {
				break
			}
		}
	}
	if err != nil {
		conn.ExecContext(ctx, "ROLLBACK")
		return fmt.Errorf("rewriting key hashes: %w", err)
	}
	_, err = conn.ExecContext(ctx, "COMMIT")
	return err
}

// newID returns a random (version 4) UUID, the form of DynamoDB's table
// ids.
func newID() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
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
