package localdynamo

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"maps"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestWriteGroup checks the writes that share a transaction: one failing
// leaves no trace and no mark on the others, and one leaving work for
// after its commit is committed before the next runs.
func TestWriteGroup(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), "store.db"), &Options{TTLSweepInterval: -1, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	insert := func(token string) func(tx querier) error {
		return func(tx querier) error {
			_, err := tx.ExecContext(context.Background(), `INSERT INTO ddb_tokens (token, digest, result, at) VALUES (?, x'', x'', 0)`, token)
			return err
		}
	}
	errFailed := errors.New("failed")
	committed := false
	sawCommitted := false
	jobs := []func(tx querier) error{
		insert("a"),
		func(tx querier) error {
			if err := insert("b")(tx); err != nil {
				return err
			}
			return errFailed
		},
		insert("c"),
		func(tx querier) error {
			s.onCommit(func() { committed = true })
			return insert("d")(tx)
		},
		func(tx querier) error {
			sawCommitted = committed
			return insert("e")(tx)
		},
	}

	// A first write holds the committer while the others queue, so that
	// the next committer takes them all as one batch.
	release := make(chan struct{})
	first := make(chan error)
	go func() {
		first <- s.write(func(tx querier) error { <-release; return nil })
	}()
	queued := func(n int) func() bool {
		return func() bool {
			s.wqmu.Lock()
			defer s.wqmu.Unlock()
			return s.committing && len(s.wq) == n
		}
	}
	waitFor(t, queued(0))
	errs := make([]error, len(jobs))
	var wg sync.WaitGroup
	for i, fn := range jobs {
		wg.Go(func() { errs[i] = s.write(fn) })
		waitFor(t, queued(i+1))
	}
	close(release)
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	wg.Wait()

	for i, err := range errs {
		if want := error(nil); i == 1 {
			var ae *apiError
			if !errors.As(err, &ae) || ae.code != codeInternal {
				t.Errorf("job %d: %v, want an internal error", i, err)
			}
		} else if err != want {
			t.Errorf("job %d: %v", i, err)
		}
	}
	if !sawCommitted {
		t.Error("the job after one with work for after its commit ran before that commit")
	}
	rows, err := s.db.Query(`SELECT token FROM ddb_tokens ORDER BY token`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got string
	for rows.Next() {
		var tok string
		rows.Scan(&tok)
		got += tok
	}
	if got != "acde" {
		t.Errorf("rows written: %q, want %q", got, "acde")
	}
}

// waitFor waits up to 10 s for cond, failing t if it never holds.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("timed out")
		}
	}
}

// TestConnectionSettings checks the settings every connection of a file
// store takes, on its read connections and its write connection alike.
func TestConnectionSettings(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), "store.db"), &Options{TTLSweepInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	both := map[string]string{
		"journal_mode": "wal",
		"synchronous":  "1", // NORMAL
		"mmap_size":    "268435456",
	}
	for _, tc := range []struct {
		name string
		q    querier
		want map[string]string
	}{
		{"read", s.db, both},
		{"write", s.wc.conn, map[string]string{"wal_autocheckpoint": strconv.Itoa(walAutocheckpoint)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want := maps.Clone(tc.want)
			maps.Copy(want, both)
			got := map[string]string{}
			for pragma := range want {
				var v string
				if err := tc.q.QueryRowContext(ctx, "PRAGMA "+pragma).Scan(&v); err != nil {
					t.Fatalf("PRAGMA %s: %v", pragma, err)
				}
				got[pragma] = v
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("PRAGMA values (-want +got):\n%s", diff)
			}
		})
	}
}
