//go:build unix

package locallambda_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/google/go-cmp/cmp"

	"github.com/faasport/faasport/emulator/localgateway"
	"github.com/faasport/faasport/emulator/locallambda"
	"github.com/faasport/faasport/faas"
)

// builds holds the executables the tests build, once per run.
var builds struct {
	dir  string
	mu   sync.Mutex
	done map[string]error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if builds.dir != "" {
		os.RemoveAll(builds.dir)
	}
	os.Exit(code)
}

// build builds the package pkg (a path relative to this directory, or an
// import path) into an executable named bootstrap, once per test run, and
// returns its path.
func build(pkg string) (string, error) {
	builds.mu.Lock()
	defer builds.mu.Unlock()
	if builds.dir == "" {
		dir, err := os.MkdirTemp("", "locallambda-test")
		if err != nil {
			return "", err
		}
		builds.dir, builds.done = dir, map[string]error{}
	}
	out := filepath.Join(builds.dir, filepath.Base(pkg), "bootstrap")
	err, ok := builds.done[pkg]
	if !ok {
		cmd := exec.Command("go", "build", "-tags", "lambda.norpc", "-o", out, pkg)
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if b, cerr := cmd.CombinedOutput(); cerr != nil {
			err = fmt.Errorf("%s: %v\n%s", strings.Join(cmd.Args, " "), cerr, b)
		}
		builds.done[pkg] = err
	}
	return out, err
}

// bootstrap returns the test function's executable, testdata/bootstrap.
func bootstrap(t testing.TB) string {
	t.Helper()
	return mustBuild(t, "./testdata/bootstrap")
}

func mustBuild(t testing.TB, pkg string) string {
	t.Helper()
	if _, err := exec.LookPath("go"); err != nil {
		t.Skipf("skipping: building %s needs the go command: %v", pkg, err)
	}
	path, err := build(pkg)
	if err != nil {
		t.Fatal(err)
	}
	return path
}

// procInfo is what the test function's "info" op answers.
type procInfo struct {
	PID             int               `json:"pid"`
	Env             map[string]string `json:"env"`
	RequestID       string            `json:"requestId"`
	FunctionARN     string            `json:"functionArn"`
	DeadlineMs      int64             `json:"deadlineMs"`
	TraceID         string            `json:"traceId"`
	FunctionName    string            `json:"functionName"`
	MemoryLimitInMB int               `json:"memoryLimitInMB"`
	FunctionVersion string            `json:"functionVersion"`
	LogGroupName    string            `json:"logGroupName"`
	LogStreamName   string            `json:"logStreamName"`
	Cwd             string            `json:"cwd"`

	ClientContext *lambdacontext.ClientContext `json:"clientContext,omitempty"`
}

// registerProcess registers the test function as name with cfg.
func registerProcess(t testing.TB, s *locallambda.Service, cfg faas.Config, p locallambda.Process) {
	t.Helper()
	if p.Path == "" {
		p.Path = bootstrap(t)
	}
	if err := s.RegisterInit(cfg, p.Init); err != nil {
		t.Fatalf("RegisterInit(%v) = %v", cfg, err)
	}
}

// pid returns the process id of the environment that serves the next
// invocation of name.
func pid(t testing.TB, s *locallambda.Service, name string) int {
	t.Helper()
	res := invoke(t, s, name, `{"op":"info"}`)
	var info procInfo
	if res.FunctionError != "" || json.Unmarshal(res.Payload, &info) != nil {
		t.Fatalf("info = %s %s", res.FunctionError, res.Payload)
	}
	return info.PID
}

// alive reports whether process pid runs: it exists, and is not a zombie
// waiting for a parent (or an init process) that does not reap it.
func alive(pid int) bool {
	if syscall.Kill(pid, 0) != nil {
		return false
	}
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return true // no /proc: trust kill
	}
	// pid (comm) state …, where comm may hold anything.
	i := bytes.LastIndexByte(stat, ')')
	return i < 0 || !bytes.HasPrefix(stat[i+1:], []byte(" Z"))
}

// waitDead waits, a bounded time, for process pid to be gone.
func waitDead(t testing.TB, pid int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for alive(pid) {
		if time.Now().After(deadline) {
			t.Fatalf("process %d still runs", pid)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestProcessInvocations(t *testing.T) {
	s := newService(t, nil)
	// Moving 6 MB through the child's JSON encoder and the Runtime API
	// took over 3 s, Lambda's default timeout, on a loaded machine.
	registerProcess(t, s, faas.Config{Name: "f", Timeout: 30 * time.Second}, locallambda.Process{})
	tests := []struct {
		name        string
		payload     string
		wantFnError string
		want        string // the payload; a regexp when it starts with ^
		wantSamePID bool   // the environment survives the invocation
	}{
		{name: "echo", payload: `{"op":"echo","msg":"hi"}`, want: `{"op":"echo","msg":"hi"}`, wantSamePID: true},
		{
			name: "returned error", payload: `{"op":"error","msg":"no pet 7"}`, wantFnError: "Unhandled",
			want: `{"errorMessage":"no pet 7","errorType":"errorString"}`, wantSamePID: true,
		},
		{
			name: "panic", payload: `{"op":"panic","msg":"boom"}`, wantFnError: "Unhandled",
			want: `^\{"errorMessage":"boom","errorType":"string","stackTrace":\[\{"path":"[^"]*","line":\d+,"label":"[^"]*"\}`,
		},
		{
			name: "exit", payload: `{"op":"exit","code":42}`, wantFnError: "Unhandled",
			want: `^\{"errorType":"Runtime.ExitError","errorMessage":"RequestId: [0-9a-f-]{36} Error: Runtime exited with error: exit status 42"\}$`,
		},
		{
			name: "response too large", payload: fmt.Sprintf(`{"op":"big","size":%d}`, locallambda.MaxResponseSize), wantFnError: "Unhandled",
			want: `{"errorMessage":"Response payload size exceeded maximum allowed payload size (6291556 bytes).","errorType":"Function.ResponseSizeTooLarge"}`,
		},
		{
			name: "largest response", payload: fmt.Sprintf(`{"op":"big","size":%d}`, locallambda.MaxResponseSize-2),
			want: `"` + strings.Repeat("a", locallambda.MaxResponseSize-2) + `"`, wantSamePID: true,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := pid(t, s, "f")
			res := invoke(t, s, "f", tc.payload)
			if res.FunctionError != tc.wantFnError {
				t.Errorf("FunctionError = %q, want %q", res.FunctionError, tc.wantFnError)
			}
			if strings.HasPrefix(tc.want, "^") {
				if !regexp.MustCompile(tc.want).Match(res.Payload) {
					t.Errorf("Payload = %.300s, want a match for %.300s", res.Payload, tc.want)
				}
			} else if string(res.Payload) != tc.want {
				t.Errorf("Payload = %.300s (%d bytes), want %.300s (%d bytes)", res.Payload, len(res.Payload), tc.want, len(tc.want))
			}
			after := pid(t, s, "f")
			if same := after == before; same != tc.wantSamePID {
				t.Errorf("process before and after: %d, %d; want the same: %v", before, after, tc.wantSamePID)
			}
			if !tc.wantSamePID && alive(before) {
				waitDead(t, before)
			}
		})
	}
}

func TestProcessEnvironmentAndContext(t *testing.T) {
	s := newService(t, &locallambda.Options{Region: "eu-west-1", AccountID: "111122223333"})
	path := bootstrap(t)
	registerProcess(t, s, faas.Config{Name: "f", MemoryMB: 256, Timeout: 10 * time.Second,
		Environment: map[string]string{"TABLE": "pets", "TZ": "Europe/Paris"}},
		locallambda.Process{Path: path, Env: []string{"EXTRA=1", "TABLE=orders"}})
	start := time.Now()
	res := invoke(t, s, "f:$LATEST", `{"op":"info"}`)
	var got procInfo
	if err := json.Unmarshal(res.Payload, &got); err != nil {
		t.Fatalf("info = %s %s", res.FunctionError, res.Payload)
	}
	dir := filepath.Dir(path)
	want := procInfo{
		PID:       got.PID,
		RequestID: res.RequestID,
		Env: map[string]string{
			"AWS_LAMBDA_RUNTIME_API":          got.Env["AWS_LAMBDA_RUNTIME_API"],
			"AWS_LAMBDA_FUNCTION_NAME":        "f",
			"AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "256",
			"AWS_LAMBDA_FUNCTION_VERSION":     "$LATEST",
			"AWS_LAMBDA_INITIALIZATION_TYPE":  "on-demand",
			"AWS_LAMBDA_LOG_GROUP_NAME":       "/aws/lambda/f",
			"AWS_LAMBDA_LOG_STREAM_NAME":      got.LogStreamName,
			"AWS_REGION":                      "eu-west-1",
			"AWS_DEFAULT_REGION":              "eu-west-1",
			"_HANDLER":                        "bootstrap",
			"LAMBDA_TASK_ROOT":                dir,
			"TZ":                              ":UTC",
			"LANG":                            "en_US.UTF-8",
			"PATH":                            os.Getenv("PATH"),
			"TABLE":                           "orders",
			"EXTRA":                           "1",
			"_X_AMZN_TRACE_ID":                got.TraceID,
		},
		FunctionARN:     "arn:aws:lambda:eu-west-1:111122223333:function:f:$LATEST",
		DeadlineMs:      got.DeadlineMs,
		TraceID:         got.TraceID,
		FunctionName:    "f",
		MemoryLimitInMB: 256,
		FunctionVersion: "$LATEST",
		LogGroupName:    "/aws/lambda/f",
		LogStreamName:   got.LogStreamName,
		Cwd:             dir,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("what the function saw (-want +got):\n%s", diff)
	}
	checks := []struct{ what, value, pattern string }{
		{"AWS_LAMBDA_RUNTIME_API", got.Env["AWS_LAMBDA_RUNTIME_API"], `^127\.0\.0\.1:\d+$`},
		{"log stream", got.LogStreamName, `^\d{4}/\d\d/\d\d/\[\$LATEST\][0-9a-f]{32}$`},
		{"trace id", got.TraceID, `^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0$`},
	}
	for _, c := range checks {
		if !regexp.MustCompile(c.pattern).MatchString(c.value) {
			t.Errorf("%s = %q, want a match for %s", c.what, c.value, c.pattern)
		}
	}
	deadline := time.UnixMilli(got.DeadlineMs)
	if lo, hi := start.Add(10*time.Second-time.Second), time.Now().Add(10*time.Second); deadline.Before(lo) || deadline.After(hi) {
		t.Errorf("deadline %v, want about 10s after %v", deadline, start)
	}
}

func TestProcessColdStarts(t *testing.T) {
	s := newService(t, nil)
	registerProcess(t, s, faas.Config{Name: "f", Timeout: time.Second}, locallambda.Process{})

	first := pid(t, s, "f")
	if again := pid(t, s, "f"); again != first {
		t.Errorf("second invocation ran in process %d, want the warm %d", again, first)
	}

	res := invoke(t, s, "f", `{"op":"sleep","sleep":"1m"}`)
	const timedOut = `^\{"errorType":"Sandbox.Timedout","errorMessage":"RequestId: [0-9a-f-]{36} Error: Task timed out after 1.00 seconds"\}$`
	if res.FunctionError != "Unhandled" || !regexp.MustCompile(timedOut).Match(res.Payload) {
		t.Errorf("sleeping past the timeout = %s %s, want Unhandled and a match for %s", res.FunctionError, res.Payload, timedOut)
	}
	waitDead(t, first)
	if next := pid(t, s, "f"); next == first {
		t.Errorf("invocation after a timeout ran in the killed process %d", next)
	}
}

func TestProcessConcurrency(t *testing.T) {
	s := newService(t, nil)
	registerProcess(t, s, faas.Config{Name: "f"}, locallambda.Process{})
	var running []<-chan outcome
	for range 2 {
		running = append(running, invokeAsync(s, locallambda.InvokeRequest{FunctionName: "f", Payload: []byte(`{"op":"sleep","sleep":"200ms"}`)}))
	}
	var pids []int
	for _, ch := range running {
		o := <-ch
		var pid int
		if o.err != nil || json.Unmarshal(o.res.Payload, &pid) != nil {
			t.Fatalf("sleeping invocation = %+v, %v", o.res, o.err)
		}
		pids = append(pids, pid)
	}
	if pids[0] == pids[1] {
		t.Errorf("two concurrent invocations ran in one process, %d", pids[0])
	}
	// Both environments are idle now; the next invocations reuse one.
	next := []int{pid(t, s, "f"), pid(t, s, "f")}
	if next[0] != next[1] || !slices.Contains(pids, next[0]) {
		t.Errorf("sequential invocations after %v ran in processes %v, want one of them, twice", pids, next)
	}
}

func TestProcessInitFailures(t *testing.T) {
	tests := []struct {
		name string
		p    locallambda.Process
		want string // a regexp
	}{
		{
			name: "exit before next", p: locallambda.Process{Env: []string{"TEST_INIT=exit"}},
			want: `^\{"errorType":"Runtime.ExitError","errorMessage":"RequestId: [0-9a-f-]{36} Error: Runtime exited with error: exit status 3"\}$`,
		},
		{
			name: "init error", p: locallambda.Process{Env: []string{"TEST_INIT=error"}},
			want: `^\{"errorMessage":"no config","errorType":"InitError"\}$`,
		},
		{
			name: "no executable", p: locallambda.Process{Path: filepath.Join(t.TempDir(), "bootstrap")},
			want: `^\{"errorType":"Runtime.InvalidEntrypoint","errorMessage":"RequestId: [0-9a-f-]{36} Error: fork/exec .*/bootstrap: no such file or directory"\}$`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newService(t, nil)
			registerProcess(t, s, faas.Config{Name: "f"}, tc.p)
			for range 2 { // each invocation tries a new environment
				res := invoke(t, s, "f", `{"op":"echo"}`)
				if res.FunctionError != "Unhandled" || !regexp.MustCompile(tc.want).Match(res.Payload) {
					t.Errorf("Invoke = %s %s, want Unhandled and a match for %s", res.FunctionError, res.Payload, tc.want)
				}
			}
		})
	}
}

// TestProcessExitTail checks the lines Lambda adds to the log tail when a
// runtime process exits during an invocation: two plain lines, as Lambda
// writes them, not records of the emulator's logger.
func TestProcessExitTail(t *testing.T) {
	s := newService(t, &locallambda.Options{Logger: discard})
	registerProcess(t, s, faas.Config{Name: "f"}, locallambda.Process{})
	res, err := s.Invoke(context.Background(), locallambda.InvokeRequest{
		FunctionName: "f", Payload: []byte(`{"op":"exit","code":42}`), LogType: locallambda.LogTail,
	})
	if err != nil || res.FunctionError != "Unhandled" {
		t.Fatalf("Invoke = %+v, %v", res, err)
	}
	want := "\nRequestId: " + res.RequestID + " Error: Runtime exited with error: exit status 42\nRuntime.ExitError\nEND RequestId: " + res.RequestID + "\n"
	if !strings.Contains(res.LogResult, want) {
		t.Errorf("LogResult =\n%s\nwant it to hold\n%s", res.LogResult, want)
	}
}

func TestProcessLogs(t *testing.T) {
	var logs logBuffer
	s := newService(t, &locallambda.Options{Logger: jsonLogger(&logs)})
	registerProcess(t, s, faas.Config{Name: "f"}, locallambda.Process{})
	res, err := s.Invoke(context.Background(), locallambda.InvokeRequest{
		FunctionName: "f", Payload: []byte(`{"op":"log","msg":"hello"}`), LogType: locallambda.LogTail,
	})
	if err != nil || string(res.Payload) != `"logged"` {
		t.Fatalf("Invoke = %+v, %v", res, err)
	}
	want := []map[string]any{ // by message: the two streams race
		{"level": "INFO", "msg": "stderr: hello", "function": "f", "request_id": res.RequestID},
		{"level": "INFO", "msg": "stdout: hello", "function": "f", "request_id": res.RequestID},
	}
	// The lines are read from the process as it writes them, and may
	// reach the log after the invocation's result.
	deadline := time.Now().Add(10 * time.Second)
	for {
		var got []map[string]any
		for _, r := range logs.records(t) {
			if m, _ := r["msg"].(string); strings.HasSuffix(m, ": hello") {
				delete(r, "time")
				got = append(got, r)
			}
		}
		slices.SortFunc(got, func(a, b map[string]any) int { return strings.Compare(a["msg"].(string), b["msg"].(string)) })
		diff := cmp.Diff(want, got)
		if diff == "" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("function's log lines (-want +got):\n%s", diff)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestProcessCloseKillsProcesses(t *testing.T) {
	base := runtime.NumGoroutine()
	s := locallambda.New(&locallambda.Options{Logger: slog.New(slog.DiscardHandler)})
	registerProcess(t, s, faas.Config{Name: "f"}, locallambda.Process{})
	registerProcess(t, s, faas.Config{Name: "g"}, locallambda.Process{})
	pids := []int{pid(t, s, "f"), pid(t, s, "g")}
	var child int
	if res := invoke(t, s, "f", `{"op":"spawn"}`); json.Unmarshal(res.Payload, &child) != nil {
		t.Fatalf("spawn = %s %s", res.FunctionError, res.Payload)
	}
	pids = append(pids, child) // killed with its parent's process group
	s.Close()
	for _, p := range pids {
		waitDead(t, p)
	}
	waitGoroutines(t, base)
}

// TestProcessRuntimeAPIErrors checks the Runtime API's answers to a
// runtime that posts out of turn, during an invocation and between
// invocations.
func TestProcessRuntimeAPIErrors(t *testing.T) {
	s := newService(t, nil)
	registerProcess(t, s, faas.Config{Name: "f"}, locallambda.Process{})
	res := invoke(t, s, "f", `{"op":"info"}`)
	var info procInfo
	if err := json.Unmarshal(res.Payload, &info); err != nil {
		t.Fatal(err)
	}
	const (
		invalidID    = `400 {"errorMessage":"Invalid request ID","errorType":"InvalidRequestID"}`
		invalidState = `^403 \{"errorMessage":"[^"]+","errorType":"InvalidStateTransition"\}$`
	)
	tests := []struct {
		name, path string
		during     bool   // posted by the function during an invocation, else from outside
		want       string // status and body; a regexp when it starts with ^
	}{
		{name: "response for another id", path: "invocation/" + res.RequestID + "/response", during: true, want: invalidID},
		{name: "error for another id", path: "invocation/nope/error", during: true, want: invalidID},
		{name: "init error after init", path: "init/error", during: true, want: invalidState},
		{name: "response while idle", path: "invocation/" + res.RequestID + "/response", want: invalidState},
		{name: "error while idle", path: "invocation/" + res.RequestID + "/error", want: invalidState},
		{name: "unknown path", path: "invocation/x/other", want: "404 404 page not found\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got string
			if tc.during {
				res := invoke(t, s, "f", `{"op":"post","msg":"`+tc.path+`"}`)
				if res.FunctionError != "" || json.Unmarshal(res.Payload, &got) != nil {
					t.Fatalf("Invoke = %s %s", res.FunctionError, res.Payload)
				}
			} else {
				resp, err := http.Post("http://"+info.Env["AWS_LAMBDA_RUNTIME_API"]+"/2018-06-01/runtime/"+tc.path, "application/json", strings.NewReader(`{}`))
				if err != nil {
					t.Fatal(err)
				}
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				got = fmt.Sprintf("%d %s", resp.StatusCode, body)
			}
			if strings.HasPrefix(tc.want, "^") {
				if !regexp.MustCompile(tc.want).MatchString(got) {
					t.Errorf("POST %s = %s, want a match for %s", tc.path, got, tc.want)
				}
			} else if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("POST %s (-want +got):\n%s", tc.path, diff)
			}
		})
	}
	// The environment still serves, in the same process.
	if got := pid(t, s, "f"); got != info.PID {
		t.Errorf("after the stray posts the function ran in process %d, want %d", got, info.PID)
	}
}

// TestProcessBehindGateway serves examples/muxapp's bootstrap, unmodified,
// behind an HTTP API: the request reaches the mux router through the
// gateway, the Lambda Invoke path and aws-lambda-go's runtime client.
func TestProcessBehindGateway(t *testing.T) {
	path := mustBuild(t, "github.com/faasport/faasport/examples/muxapp")
	s := newService(t, nil)
	registerProcess(t, s, faas.Config{Name: "muxapp"}, locallambda.Process{Path: path})
	g, err := localgateway.New(localgateway.Config{
		Invoker: s,
		Logger:  slog.New(slog.DiscardHandler),
		Routes:  []localgateway.Route{{Key: "$default", Integration: localgateway.Lambda{Function: "muxapp"}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(g)
	defer srv.Close()

	tests := []struct {
		target     string
		wantStatus int
		wantBody   string
	}{
		{"/hello/ann", 200, `{"message":"Hello, ann!"}` + "\n"},
		{"/nope", 404, `{"message":"Not Found"}`},
	}
	for _, tc := range tests {
		resp, err := srv.Client().Get(srv.URL + tc.target)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		got := fmt.Sprint(resp.StatusCode, " ", string(body))
		if diff := cmp.Diff(fmt.Sprint(tc.wantStatus, " ", tc.wantBody), got); diff != "" {
			t.Errorf("GET %s (-want +got):\n%s", tc.target, diff)
		}
	}
}

// TestProcessClientContext checks that an executable's runtime gets the
// client context of a synchronous invocation in
// Lambda-Runtime-Client-Context, and that aws-lambda-go's runtime in the
// process answers one it cannot read as the emulator answers for an
// in-process function.
func TestProcessClientContext(t *testing.T) {
	s := newService(t, nil)
	registerProcess(t, s, faas.Config{Name: "f"}, locallambda.Process{})
	var mobile lambdacontext.ClientContext
	if err := json.Unmarshal([]byte(mobileClientContext), &mobile); err != nil {
		t.Fatal(err)
	}
	b64 := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	for _, tc := range []struct {
		name, clientContext string
		want                *lambdacontext.ClientContext
		wantError           string
	}{
		{"none", "", nil, ""},
		{"mobile", b64(mobileClientContext), &mobile, ""},
		{"unreadable", b64(unreadableClientContext), nil, unreadableClientContextError},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := s.Invoke(context.Background(), locallambda.InvokeRequest{FunctionName: "f", Payload: []byte(`{"op":"info"}`), ClientContext: tc.clientContext})
			if err != nil {
				t.Fatal(err)
			}
			if tc.wantError != "" {
				if res.FunctionError != "Unhandled" || string(res.Payload) != tc.wantError {
					t.Errorf("Invoke = %q %s, want Unhandled %s", res.FunctionError, res.Payload, tc.wantError)
				}
				return
			}
			var got procInfo
			if err := json.Unmarshal(res.Payload, &got); err != nil {
				t.Fatalf("info = %s %s", res.FunctionError, res.Payload)
			}
			if diff := cmp.Diff(tc.want, got.ClientContext); diff != "" {
				t.Errorf("client context (-want +got):\n%s", diff)
			}
		})
	}
}
