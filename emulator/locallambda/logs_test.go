package locallambda_test

import (
	"context"
	"log/slog"
	"regexp"
	"strings"
	"testing"

	"github.com/faasport/faasport/emulator/locallambda"
	"github.com/faasport/faasport/faas"
	"github.com/google/go-cmp/cmp"
)

var discard = slog.New(slog.DiscardHandler)

// logging is a function that logs through its invocation's logger.
var logging = faas.FunctionFunc(func(ctx context.Context, p []byte) ([]byte, error) {
	log := faas.Logger(ctx)
	log.Info("hello", "n", 1)
	log.WithGroup("g").Warn("grouped", "k", "v")
	return p, nil
})

func TestLogLines(t *testing.T) {
	var logs logBuffer
	s := newService(t, &locallambda.Options{Logger: jsonLogger(&logs)})
	mustRegister(t, s, faas.Config{Name: "f", MemoryMB: 256}, logging)
	var ids []string
	for range 2 {
		res, err := s.Invoke(context.Background(), locallambda.InvokeRequest{FunctionName: "f"})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, res.RequestID)
	}

	const report = `^REPORT RequestId: ID\tDuration: \d+\.\d\d ms\tBilled Duration: \d+ ms\tMemory Size: 256 MB\tMax Memory Used: \d+ MB\t`
	patterns := func(id string, cold bool) []string {
		r := report
		if cold {
			r += `Init Duration: \d+\.\d\d ms\t`
		}
		return []string{
			`^START RequestId: ID Version: \$LATEST$`,
			`^hello$`,
			`^grouped$`,
			`^END RequestId: ID$`,
			r + `$`,
		}
	}
	var want []string
	want = append(want, patterns(ids[0], true)...)
	want = append(want, patterns(ids[1], false)...)

	recs := logs.records(t)
	if len(recs) != len(want) {
		t.Fatalf("got %d log lines, want %d: %v", len(recs), len(want), recs)
	}
	for i, r := range recs {
		id := ids[i/5]
		re := regexp.MustCompile(strings.ReplaceAll(want[i], "ID", id))
		if msg, _ := r["msg"].(string); !re.MatchString(msg) {
			t.Errorf("line %d: msg %q does not match %v", i, msg, re)
		}
		if r["function"] != "f" || r["request_id"] != id {
			t.Errorf("line %d: function, request_id = %v, %v; want f, %s", i, r["function"], r["request_id"], id)
		}
	}
	// Attributes of the function's own lines.
	if diff := cmp.Diff(float64(1), recs[1]["n"]); diff != "" {
		t.Errorf("hello line attr n (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(map[string]any{"k": "v"}, recs[2]["g"]); diff != "" {
		t.Errorf("grouped line group g (-want +got):\n%s", diff)
	}
}

func TestBilledDuration(t *testing.T) {
	clk := fakeClock()
	var logs logBuffer
	s := newService(t, &locallambda.Options{Clock: clk, Logger: jsonLogger(&logs)})
	mustRegister(t, s, faas.Config{Name: "f"}, faas.FunctionFunc(func(_ context.Context, p []byte) ([]byte, error) {
		clk.Advance(1234567 * 1000) // 1234.567 ms
		return p, nil
	}))
	if _, err := s.Invoke(context.Background(), locallambda.InvokeRequest{FunctionName: "f"}); err != nil {
		t.Fatal(err)
	}
	var report string
	for _, r := range logs.records(t) {
		if msg := r["msg"].(string); strings.HasPrefix(msg, "REPORT") {
			report = msg
		}
	}
	re := regexp.MustCompile(`\tDuration: 1234\.57 ms\tBilled Duration: 1235 ms\tMemory Size: 128 MB\tMax Memory Used: \d+ MB\tInit Duration: 0\.00 ms\t$`)
	if !re.MatchString(report) {
		t.Errorf("REPORT line %q does not match %v", report, re)
	}
}

func TestLogTail(t *testing.T) {
	s := newService(t, nil)
	mustRegister(t, s, faas.Config{Name: "f"}, logging)
	mustRegister(t, s, faas.Config{Name: "chatty"}, faas.FunctionFunc(func(ctx context.Context, p []byte) ([]byte, error) {
		for range 100 {
			faas.Logger(ctx).Info(strings.Repeat("x", 100))
		}
		return p, nil
	}))

	res, err := s.Invoke(context.Background(), locallambda.InvokeRequest{FunctionName: "f"})
	if err != nil || res.LogResult != "" {
		t.Fatalf("Invoke without Tail = LogResult %q, %v; want none", res.LogResult, err)
	}

	res, err = s.Invoke(context.Background(), locallambda.InvokeRequest{FunctionName: "f", LogType: locallambda.LogTail})
	if err != nil {
		t.Fatal(err)
	}
	id := regexp.QuoteMeta(res.RequestID)
	re := regexp.MustCompile(`^START RequestId: ` + id + ` Version: \$LATEST
time=\S+ level=INFO msg=hello n=1 request_id=` + id + `
time=\S+ level=WARN msg=grouped request_id=` + id + ` g.k=v
END RequestId: ` + id + `
REPORT RequestId: ` + id + `\tDuration: [0-9.]+ ms\tBilled Duration: \d+ ms\tMemory Size: 128 MB\tMax Memory Used: \d+ MB\t
$`)
	if !re.MatchString(res.LogResult) {
		t.Errorf("LogResult =\n%s\nwant a match for\n%v", res.LogResult, re)
	}

	res, err = s.Invoke(context.Background(), locallambda.InvokeRequest{FunctionName: "chatty", LogType: locallambda.LogTail})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(res.LogResult); n != locallambda.LogTailSize {
		t.Errorf("len(LogResult) = %d, want %d", n, locallambda.LogTailSize)
	}
	if !strings.HasPrefix(strings.Split(strings.TrimSuffix(res.LogResult, "\n"), "\n")[len(strings.Split(strings.TrimSuffix(res.LogResult, "\n"), "\n"))-1], "REPORT RequestId: "+res.RequestID) {
		t.Errorf("LogResult does not end with the REPORT line:\n%s", res.LogResult)
	}
}
