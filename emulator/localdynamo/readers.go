package localdynamo

import (
	"context"
	"database/sql"
	"time"
)

// A file store reads through transactions it keeps open between requests:
// beginning a read transaction in WAL mode (taking a read mark in the
// shared WAL index and reading its header) costs about as much as the
// lookup itself, and a store is often read far more than written. A
// transaction is reused only while it sees everything a reader may expect:
//
//   - Store.gen counts the store's write batches and goes up after a batch
//     commits and before any of its writers is answered. A reader records
//     gen before it begins its transaction (SQLite takes the snapshot at
//     the first read, later still), and gives the transaction up once gen
//     has moved: a write acknowledged before a read began is always seen.
//   - A transaction older than maxSnapshotAge is given up too, so that
//     writes by other processes on the same file show within that time.
//   - Idle readers are given up after each write batch, so that a store
//     that stops reading does not keep old snapshots, which would keep
//     checkpoints from emptying the WAL.
//
// A memory store has one connection, which readers must not hold: it
// reads without them.

// maxSnapshotAge bounds how long a reader keeps one snapshot.
const maxSnapshotAge = 250 * time.Millisecond

// idleReaders is how many readers wait for reuse: fewer than the read
// connections, so that statements outside them (DescribeTable's counts)
// always find one.
const idleReaders = 6

// reader is a read transaction kept for reuse.
type reader struct {
	tx    *sql.Tx
	gen   uint64 // Store.gen when tx began
	began time.Time
}

// read runs fn on a read transaction of a file store (its statements see
// one snapshot, which includes every acknowledged write), or on the
// database of a memory store.
func (s *Store) read(fn func(q querier) error) error {
	if s.readers == nil {
		return fn(s.db)
	}
	r, err := s.takeReader()
	if err != nil {
		return err
	}
	err = fn(r.tx)
	if err != nil {
		// The statement may have ended the transaction (an interrupted
		// query); do not reuse it.
		r.tx.Rollback()
		return err
	}
	select {
	case <-s.stop:
		r.tx.Rollback() // closing
		return nil
	default:
	}
	select {
	case s.readers <- r:
	default:
		r.tx.Rollback()
	}
	return nil
}

// takeReader returns an idle reader that is still current, or a new one.
func (s *Store) takeReader() (*reader, error) {
	gen := s.gen.Load()
	for {
		select {
		case r := <-s.readers:
			if r.gen == gen && time.Since(r.began) < maxSnapshotAge {
				return r, nil
			}
			r.tx.Rollback()
		default:
			// Not the request's context: canceling it would roll the
			// transaction back under a later request. Statements get the
			// request's context.
			tx, err := s.db.BeginTx(context.Background(), nil)
			if err != nil {
				return nil, err
			}
			return &reader{tx: tx, gen: gen, began: time.Now()}, nil
		}
	}
}

// dropReaders gives up the idle readers.
func (s *Store) dropReaders() {
	if s.readers == nil {
		return
	}
	for {
		select {
		case r := <-s.readers:
			r.tx.Rollback()
		default:
			return
		}
	}
}
