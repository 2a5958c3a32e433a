package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// small is the tests' dataset: enough for every operation, quick to seed.
var small = dataset{products: 200, customers: 5}

// TestWorkload runs every operation of the workload, and the Scan, against
// faasport's store on a file, over loopback and in process. It needs
// neither npm nor node.
func TestWorkload(t *testing.T) {
	ctx := context.Background()
	o, err := startOurs(filepath.Join(t.TempDir(), "store.db"), false)
	if err != nil {
		t.Fatal(err)
	}
	defer o.Close()
	seq := new(atomic.Int64)
	clients := []struct {
		name string
		c    *dynamodb.Client
	}{
		{"loopback", newClient(o.URL, loopbackHTTP(4))},
		{"inproc", newClient("http://localdynamo.invalid", o.store.HTTPClient())},
	}
	if err := createTables(ctx, clients[0].c); err != nil {
		t.Fatal(err)
	}
	if err := seed(ctx, clients[0].c, small); err != nil {
		t.Fatal(err)
	}
	for _, c := range clients {
		for _, op := range ops {
			t.Run(c.name+"/"+op.name, func(t *testing.T) {
				const calls = 40
				s := drive(ctx, c.c, op, small, seq, 4, 20*time.Second, calls, nil)
				if s.err != nil {
					t.Fatal(s.err)
				}
				if s.ops != calls || len(s.lat) != calls {
					t.Errorf("drive made %d calls (%d latencies), want %d", s.ops, len(s.lat), calls)
				}
				if s.rate() <= 0 || s.percentile(0.5) <= 0 {
					t.Errorf("rate %v, p50 %v; want both > 0", s.rate(), s.percentile(0.5))
				}
			})
		}
		t.Run(c.name+"/Scan", func(t *testing.T) {
			n, err := scanAll(ctx, c.c)
			if err != nil {
				t.Fatal(err)
			}
			if want := small.scanMatches(); n != want {
				t.Errorf("scan matched %d, want %d", n, want)
			}
		})
	}

	// The transactions placed orders; the query partitions are untouched.
	out, err := clients[0].c.Query(ctx, &dynamodb.QueryInput{
		TableName:                 aws.String(ordersTable),
		KeyConditionExpression:    aws.String("customer = :c"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":c": &types.AttributeValueMemberS{Value: "tx-0"}},
		Select:                    types.SelectCount,
	})
	if err != nil {
		t.Fatal(err)
	}
	if out.Count == 0 {
		t.Errorf("no orders placed by TransactWriteItems for worker 0")
	}
}

// TestStoreChild serves a store from a child process, as the program does,
// runs one call against it, and stops it.
func TestStoreChild(t *testing.T) {
	ctx := context.Background()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), serveEnv+"="+filepath.Join(t.TempDir(), "store.db"))
	c, err := startStoreChild(ctx, cmd)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	client := newClient(c.URL, loopbackHTTP(1))
	if err := createTables(ctx, client); err != nil {
		t.Fatal(err)
	}
	d := dataset{products: 10, customers: 1}
	if err := seed(ctx, client, d); err != nil {
		t.Fatal(err)
	}
	if s := drive(ctx, client, ops[0], d, new(atomic.Int64), 1, 10*time.Second, 5, c.CPUTime); s.err != nil || s.ops != 5 || s.srvCPU < 0 {
		t.Errorf("drive: %d calls, error %v; want 5 calls", s.ops, s.err)
	}
	if c.CPUTime() <= 0 {
		t.Logf("no CPU time read for the child (no /proc?)")
	}
	c.Close()
	select {
	case <-c.Done():
	default:
		t.Errorf("child still running after Close")
	}
	if st := c.ProcessState(); st == nil || !st.Success() {
		t.Errorf("child exited with %v, want success:\n%s", st, c.Output())
	}
}

func TestScanMatches(t *testing.T) {
	// docs/benchmarks.md says 300 of the 10,000 products match.
	if got := full.scanMatches(); got != 300 {
		t.Errorf("full.scanMatches() = %d, want 300", got)
	}
}

func TestIsUnsupported(t *testing.T) {
	tests := []struct {
		name   string
		status int
		body   string
		want   bool
	}{
		// What dynalite answers for TransactWriteItems.
		{"unknown operation", 400, `{"__type":"com.amazon.coral.service#UnknownOperationException"}`, true},
		{"missing table", 400, `{"__type":"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException","message":"Requested resource not found"}`, false},
		{"server error", 500, `{"__type":"com.amazonaws.dynamodb.v20120810#InternalServerError"}`, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				io.Copy(io.Discard, r.Body)
				w.Header().Set("Content-Type", "application/x-amz-json-1.0")
				w.WriteHeader(tc.status)
				io.WriteString(w, tc.body)
			}))
			defer srv.Close()
			w := &worker{rng: newRand(1), d: small, seq: new(atomic.Int64)}
			err := transact2(context.Background(), newClient(srv.URL, loopbackHTTP(1)), w)
			if err == nil {
				t.Fatal("transact2 succeeded, want an error")
			}
			if got := isUnsupported(err); got != tc.want {
				t.Errorf("isUnsupported(%v) = %v, want %v", err, got, tc.want)
			}
		})
	}
}

// fixture is faasport's store as the benchmark program runs it (a SQLite
// file, net/http on 127.0.0.1) holding the full dataset, built once for
// all benchmarks and removed by TestMain. The file is filled by a child
// process, so that a CPU profile of the benchmarks (-cpuprofile) shows the
// operations measured, not the seeding; the benchmarks then serve it from
// this process, so that the profile covers client and server.
var fixture struct {
	once sync.Once
	dir  string
	srv  *ours
	err  error
	seq  atomic.Int64
	ids  atomic.Int64
}

func openFixture(b *testing.B) *ours {
	b.Helper()
	fixture.once.Do(func() {
		fixture.dir, fixture.err = os.MkdirTemp("", "faasport-store-bench-")
		if fixture.err != nil {
			return
		}
		path := filepath.Join(fixture.dir, "store.db")
		fixture.err = seedInChild(path)
		if fixture.err != nil {
			return
		}
		fixture.srv, fixture.err = startOurs(path, false)
	})
	if fixture.err != nil {
		b.Fatal(fixture.err)
	}
	return fixture.srv
}

// seedInChild creates the tables and the full dataset in a store file at
// path, served by a child process for the time it takes.
func seedInChild(path string) error {
	ctx := context.Background()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), serveEnv+"="+path)
	c, err := startStoreChild(ctx, cmd)
	if err != nil {
		return err
	}
	defer c.Close()
	client := newClient(c.URL, loopbackHTTP(8))
	if err := createTables(ctx, client); err != nil {
		return err
	}
	return seed(ctx, client, full)
}

// serveEnv, set in a child's environment, makes the test binary serve a
// store on the path it names, as the program does with -serve.
const serveEnv = "FAASPORT_STORE_BENCH_SERVE"

func TestMain(m *testing.M) {
	if path := os.Getenv(serveEnv); path != "" {
		if err := serveStore(path, "", false); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	code := m.Run()
	if fixture.srv != nil {
		fixture.srv.Close()
	}
	if fixture.dir != "" {
		os.RemoveAll(fixture.dir)
	}
	os.Exit(code)
}

// fixtureClients returns an SDK client reaching the fixture over loopback
// and one reaching it in process.
func fixtureClients(b *testing.B) map[string]*dynamodb.Client {
	o := openFixture(b)
	return map[string]*dynamodb.Client{
		"loopback": newClient(o.URL, loopbackHTTP(8)),
		"inproc":   newClient("http://localdynamo.invalid", o.store.HTTPClient()),
	}
}

// BenchmarkScanFilter scans the 10,000 products with a filter matching
// 300 of them (about 2.7 MB read, in 1 MB pages) and reports the median
// time of one whole scan as p50-ms.
func BenchmarkScanFilter(b *testing.B) {
	clients := fixtureClients(b)
	for _, via := range []string{"loopback", "inproc"} {
		b.Run(via, func(b *testing.B) {
			c := clients[via]
			ctx := context.Background()
			var lat []time.Duration
			for b.Loop() {
				t0 := time.Now()
				n, err := scanAll(ctx, c)
				if err != nil {
					b.Fatal(err)
				}
				lat = append(lat, time.Since(t0))
				if n != 300 {
					b.Fatalf("scan matched %d, want 300", n)
				}
			}
			slices.Sort(lat)
			b.ReportMetric(float64(lat[len(lat)/2])/1e6, "p50-ms")
		})
	}
}

// BenchmarkOp runs each operation of the workload against the fixture from
// 8 concurrent clients (as the program does), over loopback or in process:
// the benchmark to profile with -cpuprofile.
func BenchmarkOp(b *testing.B) {
	clients := fixtureClients(b)
	for _, op := range ops {
		for _, via := range []string{"loopback", "inproc"} {
			b.Run(op.name+"/"+via, func(b *testing.B) {
				c := clients[via]
				ctx := context.Background()
				b.SetParallelism(max(1, 8/runtime.GOMAXPROCS(0)))
				b.RunParallel(func(pb *testing.PB) {
					id := fixture.ids.Add(1)
					w := &worker{id: int(id), rng: newRand(uint64(id)), d: full, seq: &fixture.seq}
					for pb.Next() {
						if err := op.do(ctx, c, w); err != nil {
							b.Error(err)
							return
						}
					}
				})
			})
		}
	}
}
