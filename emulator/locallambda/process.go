package locallambda

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"io"
	"log/slog"
	"maps"
	mrand "math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/faasport/faasport/emulator/clock"
	"github.com/faasport/faasport/faas"
)

// Process runs a function executable, such as the bootstrap of a
// provided.al2023 function built with aws-lambda-go, as Lambda runs it:
// each execution environment is one child process, which receives its
// invocations through the Lambda Runtime API. Register it with
//
//	svc.RegisterInit(cfg, locallambda.Process{Path: "./bootstrap"}.Init)
//
// The executable must be built for the host's operating system and
// architecture.
type Process struct {
	// Path is the executable. A relative path is relative to the current
	// directory, not to Dir.
	Path string

	// Args are the executable's arguments, without its name.
	Args []string

	// Dir is the process's working directory, and LAMBDA_TASK_ROOT. Empty
	// means the directory of Path, as Lambda runs a function in the
	// directory its code is in (/var/task).
	Dir string

	// Env holds environment variables ("KEY=value") added after the
	// function's configured Environment, which they override. The
	// variables Lambda reserves, such as AWS_LAMBDA_RUNTIME_API, cannot
	// be overridden.
	Env []string
}

// Runtime API paths, under http://$AWS_LAMBDA_RUNTIME_API.
const (
	runtimeAPIPrefix  = "/2018-06-01/runtime/"
	invocationPrefix  = runtimeAPIPrefix + "invocation/"
	invocationNext    = invocationPrefix + "next"
	runtimeInitError  = runtimeAPIPrefix + "init/error"
	headerErrorType   = "Lambda-Runtime-Function-Error-Type"
	trailerErrorBody  = "Lambda-Runtime-Function-Error-Body"
	headerRequestID   = "Lambda-Runtime-Aws-Request-Id"
	headerDeadline    = "Lambda-Runtime-Deadline-Ms"
	headerFunctionARN = "Lambda-Runtime-Invoked-Function-Arn"
	headerTraceID     = "Lambda-Runtime-Trace-Id"
	headerClientCtx   = "Lambda-Runtime-Client-Context"
)

// Init starts an execution environment: a Runtime API server on
// 127.0.0.1, on a port the system picks, and the process, whose
// environment holds the variables Lambda defines (AWS_LAMBDA_RUNTIME_API,
// AWS_LAMBDA_FUNCTION_NAME, AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
// AWS_LAMBDA_FUNCTION_VERSION, AWS_REGION, _HANDLER, LAMBDA_TASK_ROOT,
// TZ, …), PATH, the function's configured Environment and p.Env. Init
// returns when the runtime asks for its first invocation; it fails, with
// Lambda's error payload in a [*PayloadError], when the executable cannot
// be started, the runtime reports an init error, or the process exits
// first.
//
// Init is meant to be passed to [Service.RegisterInit], whose context
// tells it the function's configuration; the process lives until that
// context is cancelled (the environment is discarded, or the Service
// closed), when it is killed with its process group. The returned
// function's Done channel is closed when the process has exited.
//
// The process's standard output and error go, line by line, to the
// function's log, with the request id of the invocation in progress.
func (p Process) Init(ctx context.Context) (faas.Function, error) {
	set, _ := ctx.Value(settingsKey{}).(*settings)
	if set == nil {
		set = &settings{region: DefaultRegion, clock: clock.Real()}
	}
	cfg := set.cfg.Effective()
	envInv, _ := faas.FromContext(ctx)
	if envInv == nil {
		envInv = &faas.Invocation{}
	}
	if cfg.Name == "" {
		cfg.Name = envInv.FunctionName
	}
	logger := faas.Logger(ctx)

	path, err := filepath.Abs(p.Path)
	if err != nil {
		return nil, &PayloadError{Payload: runtimeError("Runtime.InvalidEntrypoint", envInv.RequestID, err.Error())}
	}
	dir := filepath.Dir(path)
	if p.Dir != "" {
		if dir, err = filepath.Abs(p.Dir); err != nil {
			return nil, err
		}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	rt := newRuntimeProcess(logger)
	srv := &http.Server{Handler: rt, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)

	cmd := exec.Command(path, p.Args...)
	cmd.Dir = dir
	cmd.Env = p.environ(cfg, set, ln.Addr().String(), dir)
	stdout, stderr := &lineWriter{rt: rt}, &lineWriter{rt: rt}
	cmd.Stdout, cmd.Stderr = stdout, stderr
	// Killing the process group ends the output of every process in
	// it; WaitDelay bounds the wait for any that escaped the group.
	cmd.WaitDelay = time.Second
	setProcessGroup(cmd)
	if err := cmd.Start(); err != nil {
		srv.Close()
		return nil, &PayloadError{Payload: runtimeError("Runtime.InvalidEntrypoint", envInv.RequestID, err.Error())}
	}
	go func() {
		rt.exitErr = cmd.Wait() // after the output is copied
		stdout.flush()
		stderr.flush()
		close(rt.exited)
	}()
	// The environment's end: kill the process group when the environment
	// is discarded, and close the server once the process is gone.
	go func() {
		select {
		case <-ctx.Done():
		case <-rt.exited:
		}
		killProcessGroup(cmd)
		<-rt.exited
		srv.Close()
	}()

	select {
	case <-rt.ready:
		return rt, nil
	case body := <-rt.initErr:
		return nil, &PayloadError{Payload: body}
	case <-rt.exited:
		return nil, &PayloadError{Payload: rt.exitPayload(envInv.RequestID)}
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// environ returns the process's environment: PATH and LANG, the
// function's Environment, p.Env, then the variables Lambda reserves.
func (p Process) environ(cfg faas.Config, set *settings, api, dir string) []string {
	env := []string{"PATH=" + os.Getenv("PATH"), "LANG=en_US.UTF-8"}
	for _, k := range slices.Sorted(maps.Keys(cfg.Environment)) {
		env = append(env, k+"="+cfg.Environment[k])
	}
	env = append(env, p.Env...)
	var stream [16]byte
	rand.Read(stream[:])
	return append(env,
		"AWS_LAMBDA_RUNTIME_API="+api,
		"AWS_LAMBDA_FUNCTION_NAME="+cfg.Name,
		"AWS_LAMBDA_FUNCTION_MEMORY_SIZE="+strconv.Itoa(cfg.MemoryMB),
		"AWS_LAMBDA_FUNCTION_VERSION=$LATEST",
		"AWS_LAMBDA_INITIALIZATION_TYPE=on-demand",
		"AWS_LAMBDA_LOG_GROUP_NAME=/aws/lambda/"+cfg.Name,
		"AWS_LAMBDA_LOG_STREAM_NAME="+set.clock.Now().UTC().Format("2006/01/02")+"/[$LATEST]"+hex.EncodeToString(stream[:]),
		"AWS_REGION="+set.region,
		"AWS_DEFAULT_REGION="+set.region,
		"_HANDLER="+filepath.Base(p.Path),
		"LAMBDA_TASK_ROOT="+dir,
		"TZ=:UTC",
	)
}

// runtimeError is the payload of an error Lambda reports about the
// runtime, such as Runtime.ExitError.
func runtimeError(typ, requestID, msg string) []byte {
	if requestID != "" {
		msg = "RequestId: " + requestID + " Error: " + msg
	}
	return mustJSON(platformError{Type: typ, Message: msg})
}

// A runtimeProcess is an execution environment of a [Process]: the
// child process and the Runtime API server it talks to. It serves the
// Runtime API and, as a faas.Function, hands it invocations.
type runtimeProcess struct {
	events  chan *event                 // an invocation, to the runtime's pending /next
	ready   chan struct{}               // a token for each /next: the runtime awaits an event
	initErr chan []byte                 // the body of /init/error
	exited  chan struct{}               // closed when the process has exited
	exitErr error                       // cmd.Wait's error; set before exited is closed
	initted atomic.Bool                 // set by the first /next
	logger  atomic.Pointer[slog.Logger] // the logger of the invocation in progress, or of the environment

	mu  sync.Mutex
	cur *event // the invocation the runtime is working on
}

var _ faas.Function = (*runtimeProcess)(nil)

// newRuntimeProcess returns the Runtime API side of a new environment,
// which logs through logger until an invocation brings its own. Whoever
// starts its process closes exited once the process has exited.
func newRuntimeProcess(logger *slog.Logger) *runtimeProcess {
	rt := &runtimeProcess{
		events:  make(chan *event),
		ready:   make(chan struct{}, 1),
		initErr: make(chan []byte, 1),
		exited:  make(chan struct{}),
	}
	rt.logger.Store(logger)
	return rt
}

// An event is an invocation handed to the runtime.
type event struct {
	id      string
	payload []byte
	header  http.Header
	done    chan result // receives the runtime's answer; buffered
}

type result struct {
	out []byte
	err error
}

// Done returns a channel that is closed when the process has exited.
func (rt *runtimeProcess) Done() <-chan struct{} { return rt.exited }

// Invoke hands payload to the runtime's pending /next and returns what the
// runtime posts to /response, or to /error as a [*PayloadError]. It
// returns when the runtime asks for the next invocation, or exits: an
// invocation lasts, as on Lambda, until the runtime is ready for the
// next.
func (rt *runtimeProcess) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	inv, ok := faas.FromContext(ctx)
	if !ok {
		inv = &faas.Invocation{RequestID: newRequestID()}
	}
	ev := &event{id: inv.RequestID, payload: payload, header: make(http.Header, 6), done: make(chan result, 1)}
	ev.header.Set(headerRequestID, inv.RequestID)
	if d, ok := ctx.Deadline(); ok {
		ev.header.Set(headerDeadline, strconv.FormatInt(d.UnixMilli(), 10))
	}
	if inv.FunctionARN != "" {
		ev.header.Set(headerFunctionARN, inv.FunctionARN)
	}
	trace, _ := ctx.Value(traceKey).(string)
	if trace == "" {
		trace = newTraceID(time.Now())
	}
	ev.header.Set(headerTraceID, trace)
	if cc, ok := ctx.Value(clientContextKey{}).([]byte); ok {
		ev.header.Set(headerClientCtx, string(cc))
	}
	ev.header.Set("Content-Type", "application/json")
	if inv.Logger != nil {
		rt.logger.Store(inv.Logger)
	}

	select {
	case rt.events <- ev:
	case <-rt.exited:
		return nil, &PayloadError{Payload: rt.exitPayload(inv.RequestID)}
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	var res result
	select {
	case res = <-ev.done:
	case <-rt.exited:
		return nil, &PayloadError{Payload: rt.exitPayload(inv.RequestID)}
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	select {
	case <-rt.ready:
	case <-rt.exited:
		rt.logExit(inv.RequestID)
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	return res.out, res.err
}

// exitPayload logs the exit of the process and returns Lambda's
// Runtime.ExitError payload for it. The process must have exited.
func (rt *runtimeProcess) exitPayload(requestID string) []byte {
	return runtimeError("Runtime.ExitError", requestID, rt.logExit(requestID))
}

// logExit logs the exit of the process as Lambda does, and returns the
// message it logged. The process must have exited.
func (rt *runtimeProcess) logExit(requestID string) string {
	msg := "Runtime exited without providing a reason"
	if rt.exitErr != nil {
		msg = "Runtime exited with error: " + rt.exitErr.Error() // "exit status 1", "signal: killed"
	}
	line := msg
	if requestID != "" {
		line = "RequestId: " + requestID + " Error: " + msg
	}
	lg := rt.logger.Load()
	logRaw(lg, slog.LevelError, line)
	logRaw(lg, slog.LevelError, "Runtime.ExitError")
	return msg
}

// ServeHTTP serves the Runtime API.
func (rt *runtimeProcess) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	path := r.URL.Path
	switch {
	case path == invocationNext && r.Method == http.MethodGet:
		rt.next(w, r)
	case path == runtimeInitError && r.Method == http.MethodPost:
		rt.initError(w, r)
	case strings.HasPrefix(path, invocationPrefix) && r.Method == http.MethodPost:
		id, kind, ok := strings.Cut(strings.TrimPrefix(path, invocationPrefix), "/")
		if !ok || (kind != "response" && kind != "error") {
			http.NotFound(w, r)
			return
		}
		rt.answer(w, r, id, kind == "error")
	default:
		http.NotFound(w, r)
	}
}

// next answers GET /runtime/invocation/next with the next invocation.
func (rt *runtimeProcess) next(w http.ResponseWriter, r *http.Request) {
	rt.initted.Store(true)
	select {
	case rt.ready <- struct{}{}:
	default:
	}
	var ev *event
	select {
	case ev = <-rt.events:
	case <-r.Context().Done():
		return
	case <-rt.exited:
		return
	}
	rt.mu.Lock()
	rt.cur = ev
	rt.mu.Unlock()
	maps.Copy(w.Header(), ev.header)
	w.WriteHeader(http.StatusOK)
	w.Write(ev.payload)
}

// initError answers POST /runtime/init/error: the body is the init
// failure's payload.
func (rt *runtimeProcess) initError(w http.ResponseWriter, r *http.Request) {
	if rt.initted.Load() {
		invalidState(w, "init/error")
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, MaxResponseSize))
	if err != nil {
		truncated(w)
		return
	}
	select {
	case rt.initErr <- body:
	default:
	}
	accepted(w)
}

// answer answers POST /runtime/invocation/{id}/response and /error.
func (rt *runtimeProcess) answer(w http.ResponseWriter, r *http.Request, id string, isError bool) {
	rt.mu.Lock()
	ev := rt.cur
	rt.mu.Unlock()
	kind := "response"
	if isError {
		kind = "error"
	}
	switch {
	case ev == nil:
		invalidState(w, kind)
		return
	case ev.id != id:
		writeRuntimeError(w, http.StatusBadRequest, "InvalidRequestID", "Invalid request ID")
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, MaxResponseSize+1))
	if err != nil {
		// The invocation is still the runtime's to answer; a runtime
		// that went away ends it by its exit.
		truncated(w)
		return
	}
	rt.mu.Lock()
	if rt.cur != ev {
		rt.mu.Unlock()
		writeRuntimeError(w, http.StatusBadRequest, "InvalidRequestID", "Invalid request ID")
		return
	}
	rt.cur = nil
	rt.mu.Unlock()

	var res result
	switch {
	case len(body) > MaxResponseSize:
		res.err = &PayloadError{Payload: bytes.Clone(responseTooLarge)}
		ev.done <- res
		writeRuntimeError(w, http.StatusRequestEntityTooLarge, "RequestEntityTooLarge",
			"Exceeded maximum allowed payload size ("+strconv.Itoa(MaxResponseSize)+" bytes).")
		return
	case isError:
		res.err = &PayloadError{Payload: body}
	case r.Trailer.Get(headerErrorType) != "":
		// A runtime that failed while streaming its response reports
		// the error in trailers (aws-lambda-go does, for a reader that
		// fails).
		b, err := base64.StdEncoding.DecodeString(r.Trailer.Get(trailerErrorBody))
		if err != nil || len(b) == 0 {
			b = mustJSON(platformError{Type: r.Trailer.Get(headerErrorType)})
		}
		res.err = &PayloadError{Payload: b}
	default:
		res.out = body
	}
	ev.done <- res
	accepted(w)
}

// accepted answers a post the Runtime API accepted.
func accepted(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusAccepted)
	io.WriteString(w, `{"status":"OK"}`)
}

// invalidState answers a post that the runtime's state does not allow.
func invalidState(w http.ResponseWriter, what string) {
	writeRuntimeError(w, http.StatusForbidden, "InvalidStateTransition",
		"State transition is not allowed: the runtime cannot post "+what+" now")
}

// truncated answers a post whose body could not be read: it ends early
// or its chunked framing is malformed.
func truncated(w http.ResponseWriter) {
	writeRuntimeError(w, http.StatusBadRequest, "TruncatedHTTPRequest", "HTTP request detected as truncated")
}

// writeRuntimeError answers with the Runtime API's error body.
func writeRuntimeError(w http.ResponseWriter, status int, typ, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(mustJSON(struct {
		Message string `json:"errorMessage"`
		Type    string `json:"errorType"`
	}{msg, typ}))
}

// continueTrace returns the trace header of an invocation at now whose
// caller sent trace: the caller's Root, with a fresh Parent (the caller's
// segment, as Lambda records it) and the caller's sampling decision, or a
// fresh trace when trace names no Root.
func continueTrace(trace string, now time.Time) string {
	root, sampled := "", "0"
	for part := range strings.SplitSeq(trace, ";") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch k {
		case "Root":
			root = v
		case "Sampled":
			if v == "1" {
				sampled = "1"
			}
		}
	}
	if !isTraceRoot(root) {
		return newTraceID(now)
	}
	// Trace ids must be unique, not secret: the runtime's generator serves
	// without a system call.
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], mrand.Uint64())
	return "Root=" + root + ";Parent=" + hex.EncodeToString(b[:]) + ";Sampled=" + sampled
}

// isTraceRoot reports whether s is an X-Ray trace id:
// 1-<8 hex digits>-<24 hex digits>.
func isTraceRoot(s string) bool {
	if len(s) != 35 || s[:2] != "1-" || s[10] != '-' {
		return false
	}
	for i := 2; i < len(s); i++ {
		if c := s[i]; i != 10 && !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// newTraceID returns an X-Ray trace header as Lambda passes it to
// runtimes: a new root trace id, a parent segment id, not sampled.
func newTraceID(now time.Time) string {
	var b [24]byte
	binary.LittleEndian.PutUint64(b[0:], mrand.Uint64())
	binary.LittleEndian.PutUint64(b[8:], mrand.Uint64())
	binary.LittleEndian.PutUint64(b[16:], mrand.Uint64())
	binary.BigEndian.PutUint32(b[20:], uint32(now.Unix())) // 8 hex digits, as X-Ray's
	return "Root=1-" + hex.EncodeToString(b[20:]) + "-" + hex.EncodeToString(b[:12]) +
		";Parent=" + hex.EncodeToString(b[12:20]) + ";Sampled=0"
}

// maxLogLine bounds the lines of a process's output: a longer line is
// logged in pieces.
const maxLogLine = 64 << 10

// A lineWriter logs a process's output line by line, through the logger
// of the invocation in progress.
type lineWriter struct {
	rt  *runtimeProcess
	buf []byte
}

func (lw *lineWriter) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		i := bytes.IndexByte(p, '\n')
		if i < 0 {
			lw.buf = append(lw.buf, p...)
			for len(lw.buf) >= maxLogLine {
				lw.log(lw.buf[:maxLogLine])
				lw.buf = append(lw.buf[:0], lw.buf[maxLogLine:]...)
			}
			break
		}
		if len(lw.buf) > 0 {
			lw.buf = append(lw.buf, p[:i]...)
			lw.log(lw.buf)
			lw.buf = lw.buf[:0]
		} else {
			lw.log(p[:i])
		}
		p = p[i+1:]
	}
	return n, nil
}

// flush logs the last line, if it has no newline.
func (lw *lineWriter) flush() {
	if len(lw.buf) > 0 {
		lw.log(lw.buf)
		lw.buf = nil
	}
}

func (lw *lineWriter) log(line []byte) {
	line = bytes.TrimSuffix(line, []byte("\r"))
	logRaw(lw.rt.logger.Load(), slog.LevelInfo, string(line))
}
