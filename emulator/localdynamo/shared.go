package localdynamo

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Several processes may open one store file. Items need nothing more than
// SQLite's own locking, but each store holds its tables' metadata (key
// schemas, indexes, TTL settings) in memory, and another process may
// create, change or delete tables. Triggers count every change of
// ddb_tables in ddb_tables_version. Each write transaction reads that
// count first, with the write lock held: when another process has changed
// the tables, the store reloads them and the operations of that
// transaction run again on the new metadata (errTablesChanged), so no
// item is written by a stale key schema or index list. Reads learn of
// other processes' table changes within tablesPoll, or at once when they
// name a table the store does not know.

// tablesPoll is how often a file store checks for table changes by other
// processes, for its reads.
const tablesPoll = 250 * time.Millisecond

// errTablesChanged fails the operations of a write transaction that found
// the tables changed by another process; op runs them again.
var errTablesChanged = errors.New("localdynamo: another process changed the tables")

// readTables reads the tables' metadata and its version from q, which
// must give one snapshot for both (a transaction).
func readTables(ctx context.Context, q querier) (map[string]*table, int64, error) {
	var v int64
	if err := q.QueryRowContext(ctx, `SELECT v FROM ddb_tables_version`).Scan(&v); err != nil {
		return nil, 0, err
	}
	rows, err := q.QueryContext(ctx, `SELECT name, id, meta FROM ddb_tables`)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	tables := map[string]*table{}
	for rows.Next() {
		var name string
		var id int64
		var meta []byte
		if err := rows.Scan(&name, &id, &meta); err != nil {
			return nil, 0, err
		}
		t := &table{id: id}
		if err := json.Unmarshal(meta, &t.meta); err != nil {
			return nil, 0, fmt.Errorf("table %s: %w", name, err)
		}
		t.init()
		tables[name] = t
	}
	return tables, v, rows.Err()
}

// replaceTables makes tables, read at version v, the store's tables,
// keeping the objects of tables that did not change. It does nothing if
// the store already holds v or a later version.
func (s *Store) replaceTables(tables map[string]*table, v int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if v <= s.tablesVersion {
		return
	}
	for name, t := range tables {
		if old := s.tables[name]; old != nil && old.id == t.id && sameMeta(old, t) {
			tables[name] = old
		}
	}
	s.tables, s.tablesVersion = tables, v
}

func sameMeta(a, b *table) bool {
	ja, err1 := json.Marshal(a.meta)
	jb, err2 := json.Marshal(b.meta)
	return err1 == nil && err2 == nil && string(ja) == string(jb)
}

// syncTables is the first step of a file store's write transaction q: if
// another process has changed the tables, it reloads them and returns
// errTablesChanged.
func (s *Store) syncTables(ctx context.Context, q querier) error {
	changed, err := s.reloadIfChanged(ctx, q)
	if err == nil && changed {
		err = errTablesChanged
	}
	return err
}

// refreshTables reloads the tables if another process has changed them;
// it reports whether it did.
func (s *Store) refreshTables(ctx context.Context) bool {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return false
	}
	defer tx.Rollback()
	changed, err := s.reloadIfChanged(ctx, tx)
	return err == nil && changed
}

// reloadIfChanged reloads the tables from q, a transaction, if their
// version there is not the one the store holds, and reports whether it
// did.
func (s *Store) reloadIfChanged(ctx context.Context, q querier) (bool, error) {
	v, err := s.tablesVersionIn(ctx, q)
	if err != nil {
		return false, err
	}
	s.mu.RLock()
	cur := s.tablesVersion
	s.mu.RUnlock()
	if v == cur {
		return false, nil
	}
	tables, v, err := readTables(ctx, q)
	if err != nil {
		return false, err
	}
	s.replaceTables(tables, v)
	return true, nil
}

func (s *Store) tablesVersionIn(ctx context.Context, q querier) (int64, error) {
	var v int64
	err := q.QueryRowContext(ctx, `SELECT v FROM ddb_tables_version`).Scan(&v)
	return v, err
}

// setTablesVersion records that the store's tables are those of version
// v, after its own transaction changed them and published the changes.
func (s *Store) setTablesVersion(v int64) {
	s.mu.Lock()
	s.tablesVersion = max(s.tablesVersion, v)
	s.mu.Unlock()
}

// watchTables refreshes a file store's tables every tablesPoll until the
// store closes, then closes watchDone.
func (s *Store) watchTables() {
	defer close(s.watchDone)
	t := time.NewTicker(tablesPoll)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-t.C:
			s.refreshTables(context.Background())
		}
	}
}
