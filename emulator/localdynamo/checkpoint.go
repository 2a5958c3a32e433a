package localdynamo

import (
	"context"
	"time"
)

// A file store copies its write-ahead log into the database file once
// writes pause. SQLite does so on its own only when the log passes
// walAutocheckpoint pages; until then every read looks its pages up in the
// log's index first, which made a key lookup after a bulk load cost about
// twice as much as on a checkpointed file. Once a checkpoint has copied the
// whole log, new read transactions read the file alone, so the idle
// readers, whose snapshots still point into the log, are given up. The
// checkpoint is PASSIVE: it waits for no reader or writer, and copies
// only what no open snapshot still needs.

// idleCheckpoint is how long writes must pause before the checkpoint.
const idleCheckpoint = 500 * time.Millisecond

// checkpointer runs the checkpoints of a file store until it closes.
func (s *Store) checkpointer() {
	defer close(s.ckptDone)
	for {
		select {
		case <-s.stop:
			return
		case <-s.wrote:
		}
		if !s.awaitWritePause() {
			return
		}
		s.checkpoint()
	}
}

// awaitWritePause waits until no write has signalled for idleCheckpoint;
// false if the store closes meanwhile.
func (s *Store) awaitWritePause() bool {
	t := time.NewTimer(idleCheckpoint)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return false
		case <-s.wrote:
			t.Reset(idleCheckpoint)
		case <-t.C:
			return true
		}
	}
}

// checkpoint copies the log into the database file as far as open
// snapshots allow.
func (s *Store) checkpoint() {
	ctx := context.Background()
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return
	}
	defer conn.Close()
	var busy, frames, copied int
	if err := conn.QueryRowContext(ctx, "PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &frames, &copied); err != nil {
		s.log.Warn("localdynamo: checkpoint", "err", err)
		return
	}
	if frames > 0 && copied == frames {
		s.dropReaders()
	}
}
