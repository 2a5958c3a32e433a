package harness

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// announcePrefix starts the line a child prints to announce where it
// serves; see Announce.
const announcePrefix = "LISTENING "

// maxOutput is how much of a child's output a Process keeps.
const maxOutput = 64 << 10

// Options tune how Start runs a child.
type Options struct {
	// StopWait is how long Close waits for the child to exit after
	// SIGTERM before it kills it; zero kills it at once.
	StopWait time.Duration
	// Announces says that the child prints its URL with Announce once
	// it serves, for WaitAnnounced.
	Announces bool
}

// A Process is a server under test running as a child process: beside
// the client's process, each server gets its own scheduler share and
// garbage collector, so that comparisons do not depend on how busy the
// machine is.
type Process struct {
	// URL is where the child serves: set by WaitAnnounced, or by the
	// caller for a child that does not announce it.
	URL string

	name     string
	cmd      *exec.Cmd
	out      *output
	stdin    io.Closer
	done     chan struct{}
	stopWait time.Duration
	once     sync.Once
}

// Start starts cmd, the server named name, collecting its output (the
// first 64 KiB) for error messages. The child's standard input is a pipe
// that Close closes, so that a child reading it to its end learns that it
// must stop; on Linux the kernel also kills the child if this process dies
// without stopping it. Callers must call Close.
func Start(name string, cmd *exec.Cmd, opts Options) (*Process, error) {
	out := &output{}
	if opts.Announces {
		out.announced = make(chan struct{})
	}
	cmd.Stdout, cmd.Stderr = out, out
	setSysProcAttr(cmd)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	p := &Process{name: name, cmd: cmd, out: out, stdin: stdin, done: make(chan struct{}), stopWait: opts.StopWait}
	go func() { cmd.Wait(); close(p.done) }()
	return p, nil
}

// WaitReady calls ready, then again every interval, until it reports
// true. It fails, and stops the child, if the child exits first, if ctx
// is done, or after timeout. Errors describe the readiness that ready
// checks, such as "answering at http://127.0.0.1:8000".
func (p *Process) WaitReady(ctx context.Context, readiness string, ready func(context.Context) bool, interval, timeout time.Duration) error {
	return p.await(ctx, readiness, timeout, func() bool { return ready(ctx) }, interval, nil)
}

// WaitAnnounced waits until the child, started with Options.Announces,
// prints the URL where it serves with Announce, and sets p.URL to it. It
// fails, and stops the child, if the child exits first, if ctx is done,
// or after timeout.
func (p *Process) WaitAnnounced(ctx context.Context, timeout time.Duration) error {
	if p.out.announced == nil {
		return fmt.Errorf("%s was not started to announce its URL", p.name)
	}
	return p.await(ctx, "listening", timeout, func() bool {
		p.URL = p.out.url()
		return p.URL != ""
	}, 0, p.out.announced)
}

// await calls ready until it reports true: at once, then every interval
// (if not zero) and once wake (if not nil) is closed. It fails, and stops
// the child, if the child exits first, if ctx is done, or after timeout.
func (p *Process) await(ctx context.Context, readiness string, timeout time.Duration, ready func() bool, interval time.Duration, wake <-chan struct{}) error {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for !ready() {
		var tick <-chan time.Time
		if interval > 0 {
			tick = time.After(interval)
		}
		select {
		case <-tick:
		case <-wake:
		case <-p.done:
			p.Close()
			return fmt.Errorf("%s exited before %s: %v\n%s", p.name, readiness, p.cmd.ProcessState, p.Output())
		case <-ctx.Done():
			p.Close()
			return ctx.Err()
		case <-deadline.C:
			p.Close()
			return fmt.Errorf("%s not %s after %v:\n%s", p.name, readiness, timeout, p.Output())
		}
	}
	return nil
}

// Close stops the child: its standard input closed and SIGTERM, then
// SIGKILL if it has not exited within Options.StopWait.
func (p *Process) Close() {
	p.once.Do(func() {
		p.stdin.Close()
		p.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-p.done:
		case <-time.After(p.stopWait):
			p.cmd.Process.Kill()
			<-p.done
		}
	})
}

// Done returns a channel closed once the child has exited.
func (p *Process) Done() <-chan struct{} { return p.done }

// ProcessState returns how the child exited, or nil until Done is
// closed.
func (p *Process) ProcessState() *os.ProcessState {
	select {
	case <-p.done:
		return p.cmd.ProcessState
	default:
		return nil
	}
}

// Output returns what the child has printed (the first 64 KiB).
func (p *Process) Output() string { return p.out.String() }

// CPUTime returns the CPU time the child has used so far, user and
// system, from /proc (zero where there is no /proc).
func (p *Process) CPUTime() time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", p.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	return statCPUTime(b)
}

// statCPUTime returns the user and system CPU time in b, the contents of
// a /proc/<pid>/stat file, or zero if b cannot be read as one.
func statCPUTime(b []byte) time.Duration {
	// The fields after the parenthesised command name, which may hold
	// spaces and parentheses, start with field 3 of the line; utime and
	// stime are fields 14 and 15, in clock ticks of 1/100 s (USER_HZ,
	// 100 on Linux).
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 13 {
		return 0
	}
	u, err1 := strconv.Atoi(f[11])
	s, err2 := strconv.Atoi(f[12])
	if err1 != nil || err2 != nil {
		return 0
	}
	return time.Duration(u+s) * 10 * time.Millisecond
}

// Announce prints to standard output the line, "LISTENING <url>", with
// which a child tells WaitAnnounced in its parent that it serves at url.
func Announce(url string) {
	fmt.Printf("%s%s\n", announcePrefix, url)
}

// output collects a child's output, up to maxOutput bytes, and, if
// announced is not nil, watches it for the first line printed by
// Announce: it keeps that line's URL and closes announced.
type output struct {
	mu        sync.Mutex
	b         bytes.Buffer
	announced chan struct{}
	first     string // the announced URL, once seen
}

func (o *output) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.b.Len() < maxOutput {
		o.b.Write(p)
	}
	if o.announced != nil && o.first == "" {
		if u, ok := announcedURL(o.b.String()); ok {
			o.first = u
			close(o.announced)
		}
	}
	return len(p), nil
}

// url returns the announced URL, or "" if none was seen yet.
func (o *output) url() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.first
}

func (o *output) String() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.b.String()
}

// announcedURL returns the URL in the first complete announcement line in
// s, if there is one.
func announcedURL(s string) (string, bool) {
	_, rest, ok := strings.Cut(s, announcePrefix)
	if !ok {
		return "", false
	}
	u, _, ok := strings.Cut(rest, "\n")
	return u, ok
}
