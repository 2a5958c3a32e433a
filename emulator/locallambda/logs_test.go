package locallambda_test

import (
	"context"
	"errors"
	"log/slog"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/lambda/messages"

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

// TestBilledDuration checks the REPORT line's durations: billed rounded up
// to the millisecond, and on a cold start counting the init phase, as
// Lambda bills it (always for custom runtimes such as Go's, and for every
// runtime since August 2025).
func TestBilledDuration(t *testing.T) {
	clk := fakeClock()
	var logs logBuffer
	s := newService(t, &locallambda.Options{Clock: clk, Logger: jsonLogger(&logs)})
	err := s.RegisterInit(faas.Config{Name: "f"}, func(context.Context) (faas.Function, error) {
		clk.Advance(200400 * 1000) // 200.4 ms
		return faas.FunctionFunc(func(_ context.Context, p []byte) ([]byte, error) {
			clk.Advance(1234567 * 1000) // 1234.567 ms
			return p, nil
		}), nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if _, err := s.Invoke(context.Background(), locallambda.InvokeRequest{FunctionName: "f"}); err != nil {
			t.Fatal(err)
		}
	}
	var reports []string
	for _, r := range logs.records(t) {
		if msg := r["msg"].(string); strings.HasPrefix(msg, "REPORT") {
			reports = append(reports, msg)
		}
	}
	want := []*regexp.Regexp{
		regexp.MustCompile(`\tDuration: 1234\.57 ms\tBilled Duration: 1435 ms\tMemory Size: 128 MB\tMax Memory Used: \d+ MB\tInit Duration: 200\.40 ms\t$`),
		regexp.MustCompile(`\tDuration: 1234\.57 ms\tBilled Duration: 1235 ms\tMemory Size: 128 MB\tMax Memory Used: \d+ MB\t$`),
	}
	if len(reports) != len(want) {
		t.Fatalf("REPORT lines %q, want %d", reports, len(want))
	}
	for i, re := range want {
		if !re.MatchString(reports[i]) {
			t.Errorf("REPORT line %q does not match %v", reports[i], re)
		}
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

// TestLogTailFunctionErrors checks the lines a failing function leaves in
// its log tail, as aws-lambda-go's runtime and Lambda write them: the error
// payload through Go's log package (lambda/invoke_loop.go reportFailure),
// and after a panic the runtime giving up and Lambda reporting its exit.
func TestLogTailFunctionErrors(t *testing.T) {
	s := newService(t, &locallambda.Options{Logger: discard})
	mustRegister(t, s, faas.Config{Name: "fails"}, faas.FunctionFunc(func(context.Context, []byte) ([]byte, error) {
		return nil, errors.New("boom")
	}))
	mustRegister(t, s, faas.Config{Name: "panics"}, faas.FunctionFunc(func(context.Context, []byte) ([]byte, error) {
		panic(messages.InvokeResponse_Error{Message: "oh no", Type: "Custom"})
	}))
	const (
		start  = `START RequestId: \S+ Version: \$LATEST\n`
		logged = `\d{4}/\d\d/\d\d \d\d:\d\d:\d\d `
		end    = `END RequestId: \S+\nREPORT RequestId: [^\n]*\n$`
	)
	tests := []struct {
		fn   string
		want string
	}{
		{"fails", `^` + start + logged + regexp.QuoteMeta(`{"errorMessage":"boom","errorType":"errorString"}`) + `\n` + end},
		{"panics", `^` + start + logged + regexp.QuoteMeta(`{"errorMessage":"oh no","errorType":"Custom"}`) + `\n` +
			logged + `calling the handler function resulted in a panic, the process should exit\n` +
			`RequestId: \S+ Error: Runtime exited with error: exit status 1\nRuntime.ExitError\n` + end},
	}
	for _, tc := range tests {
		t.Run(tc.fn, func(t *testing.T) {
			res, err := s.Invoke(context.Background(), locallambda.InvokeRequest{FunctionName: tc.fn, LogType: locallambda.LogTail})
			if err != nil {
				t.Fatal(err)
			}
			if re := regexp.MustCompile(tc.want); !re.MatchString(res.LogResult) {
				t.Errorf("LogResult =\n%s\nwant a match for\n%v", res.LogResult, re)
			}
		})
	}
}
