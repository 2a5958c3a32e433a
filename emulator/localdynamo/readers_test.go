package localdynamo

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// call sends one request in DynamoDB's JSON protocol to s and decodes the
// answer.
func storeCall(t *testing.T, s *Store, op, body string) map[string]json.RawMessage {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
	req.Header.Set("X-Amz-Target", "DynamoDB_20120810."+op)
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Errorf("%s %s: %d %s", op, body, rec.Code, rec.Body)
		return nil
	}
	var out map[string]json.RawMessage
	if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func openFileStore(t *testing.T, path string) *Store {
	t.Helper()
	s, err := Open(path, &Options{TTLSweepInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

const readersTable = `{"TableName":"counters","BillingMode":"PAY_PER_REQUEST",
	"AttributeDefinitions":[{"AttributeName":"k","AttributeType":"S"}],"KeySchema":[{"AttributeName":"k","KeyType":"HASH"}]}`

// TestReadsSeeAcknowledgedWrites checks that reads through reused read
// transactions see every write acknowledged before they began: writers
// bump counters and read them back at once, by GetItem, Query,
// BatchGetItem and TransactGetItems, while other readers keep
// transactions in use.
func TestReadsSeeAcknowledgedWrites(t *testing.T) {
	s := openFileStore(t, filepath.Join(t.TempDir(), "store.db"))
	storeCall(t, s, "CreateTable", readersTable)
	stop := make(chan struct{})
	var bg sync.WaitGroup
	for range 3 { // readers keeping snapshots busy
		bg.Add(1)
		go func() {
			defer bg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				storeCall(t, s, "GetItem", `{"TableName":"counters","Key":{"k":{"S":"w0"}}}`)
			}
		}()
	}
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			key := fmt.Sprintf(`{"k":{"S":"w%d"}}`, w)
			for n := 1; n <= 40 && !t.Failed(); n++ {
				storeCall(t, s, "PutItem", fmt.Sprintf(`{"TableName":"counters","Item":{"k":{"S":"w%d"},"n":{"N":"%d"}}}`, w, n))
				reads := map[string]json.RawMessage{
					"GetItem": storeCall(t, s, "GetItem", `{"TableName":"counters","Key":`+key+`}`)["Item"],
					"Query": firstItem(t, storeCall(t, s, "Query", fmt.Sprintf(
						`{"TableName":"counters","KeyConditionExpression":"k = :k","ExpressionAttributeValues":{":k":{"S":"w%d"}}}`, w))["Items"]),
					"BatchGetItem":     firstItem(t, responses(t, storeCall(t, s, "BatchGetItem", `{"RequestItems":{"counters":{"Keys":[`+key+`]}}}`))),
					"TransactGetItems": transactItem(t, storeCall(t, s, "TransactGetItems", `{"TransactItems":[{"Get":{"TableName":"counters","Key":`+key+`}}]}`)),
				}
				for op, it := range reads {
					if got := counter(t, it); got != n {
						t.Errorf("%s of w%d after writing %d: %d", op, w, n, got)
					}
				}
			}
		}()
	}
	wg.Wait()
	close(stop)
	bg.Wait()
}

func firstItem(t *testing.T, items json.RawMessage) json.RawMessage {
	t.Helper()
	var list []json.RawMessage
	if err := json.Unmarshal(items, &list); err != nil || len(list) != 1 {
		t.Errorf("items %s: want one", items)
		return nil
	}
	return list[0]
}

func transactItem(t *testing.T, out map[string]json.RawMessage) json.RawMessage {
	t.Helper()
	var r []struct{ Item json.RawMessage }
	if err := json.Unmarshal(out["Responses"], &r); err != nil || len(r) != 1 {
		t.Errorf("responses %s: want one", out["Responses"])
		return nil
	}
	return r[0].Item
}

func responses(t *testing.T, out map[string]json.RawMessage) json.RawMessage {
	t.Helper()
	var r map[string]json.RawMessage
	json.Unmarshal(out["Responses"], &r)
	return r["counters"]
}

func counter(t *testing.T, item json.RawMessage) int {
	t.Helper()
	var it struct{ N struct{ N string } }
	if err := json.Unmarshal(item, &it); err != nil {
		t.Errorf("item %s: %v", item, err)
		return -1
	}
	n, _ := strconv.Atoi(it.N.N)
	return n
}

// TestReadsSeeOtherWriters checks that a write made through another
// connection to the file (here another Store, as another process would)
// becomes visible to a store whose readers are kept open.
func TestReadsSeeOtherWriters(t *testing.T) {
	path := filepath.Join(t.TempDir(), "store.db")
	a := openFileStore(t, path)
	storeCall(t, a, "CreateTable", readersTable)
	b := openFileStore(t, path)
	get := `{"TableName":"counters","Key":{"k":{"S":"x"}}}`
	if it := storeCall(t, a, "GetItem", get)["Item"]; it != nil {
		t.Fatalf("item before the write: %s", it)
	}
	storeCall(t, b, "PutItem", `{"TableName":"counters","Item":{"k":{"S":"x"},"n":{"N":"7"}}}`)
	deadline := time.Now().Add(10 * time.Second)
	for {
		it := storeCall(t, a, "GetItem", get)["Item"]
		if it != nil {
			if n := counter(t, it); n != 7 {
				t.Fatalf("n = %d, want 7", n)
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("the other store's write never became visible")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestReadersDroppedAfterWrites checks that a read leaves its transaction
// for reuse, and that a write gives the idle ones up, so that a store
// that stops reading keeps no old snapshot open.
func TestReadersDroppedAfterWrites(t *testing.T) {
	s := openFileStore(t, filepath.Join(t.TempDir(), "store.db"))
	storeCall(t, s, "CreateTable", readersTable)
	storeCall(t, s, "GetItem", `{"TableName":"counters","Key":{"k":{"S":"x"}}}`)
	if n := len(s.readers); n != 1 {
		t.Fatalf("idle readers after a read: %d, want 1", n)
	}
	storeCall(t, s, "PutItem", `{"TableName":"counters","Item":{"k":{"S":"x"}}}`)
	if n := len(s.readers); n != 0 {
		t.Fatalf("idle readers after a write: %d, want 0", n)
	}
	mem, err := Open(":memory:", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer mem.Close()
	if mem.readers != nil {
		t.Error("a memory store keeps readers; its single connection would be held")
	}
}

// TestCheckpointAfterWritesPause checks that a file store copies its log
// into the database file once writes pause, without waiting for SQLite's
// automatic checkpoint: after a bulk load the database file grows to hold
// the items, which until then only the log held.
func TestCheckpointAfterWritesPause(t *testing.T) {
	path := filepath.Join(t.TempDir(), "store.db")
	s := openFileStore(t, path)
	storeCall(t, s, "CreateTable", readersTable)
	before := fileSize(t, path)
	for b := range 20 {
		var reqs []string
		for i := range 25 {
			reqs = append(reqs, fmt.Sprintf(`{"PutRequest":{"Item":{"k":{"S":"k%03d-%02d"},"pad":{"S":"%s"}}}}`, b, i, strings.Repeat("x", 400)))
		}
		storeCall(t, s, "BatchWriteItem", `{"RequestItems":{"counters":[`+strings.Join(reqs, ",")+`]}}`)
	}
	if size := fileSize(t, path); size > before+64<<10 {
		t.Fatalf("the database file grew from %d to %d bytes during the writes: the log was checkpointed already", before, size)
	}
	deadline := time.Now().Add(10 * time.Second)
	for fileSize(t, path) < before+200<<10 {
		if time.Now().After(deadline) {
			t.Fatalf("the database file is still %d bytes (was %d) after writes paused: no checkpoint", fileSize(t, path), before)
		}
		time.Sleep(50 * time.Millisecond)
	}
	// Reads after the checkpoint see the items.
	out := storeCall(t, s, "Scan", `{"TableName":"counters","Select":"COUNT"}`)
	if string(out["Count"]) != "500" {
		t.Errorf("Scan counted %s items, want 500", out["Count"])
	}
}

func fileSize(t *testing.T, path string) int64 {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}
