package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"runtime/pprof"
	"strings"
	"sync"
	"syscall"
	"time"
)

// A child is a server under test running in a process of its own, as
// dynalite must, and as faasport's store does here too, so that both
// servers get a process of their own beside the client's (scheduler share,
// garbage collector) and the comparison does not depend on how busy the
// machine is.
type child struct {
	URL   string
	name  string
	cmd   *exec.Cmd
	out   *lockedBuffer
	stdin io.Closer
	done  chan struct{}
	once  sync.Once
}

// startChild starts cmd, collecting its output for error messages. If
// first is not nil, the rest of the first line cmd prints that starts with
// "LISTENING " is sent to it. Callers must call Close.
func startChild(name string, cmd *exec.Cmd, first chan<- string) (*child, error) {
	out := &lockedBuffer{first: first}
	cmd.Stdout, cmd.Stderr = out, out
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("store: start %s: %w", name, err)
	}
	c := &child{name: name, cmd: cmd, out: out, stdin: stdin, done: make(chan struct{})}
	go func() { cmd.Wait(); close(c.done) }()
	return c, nil
}

// Close stops the child: its standard input closed and SIGTERM, then
// SIGKILL if it has not exited within five seconds.
func (c *child) Close() {
	c.once.Do(func() {
		c.stdin.Close()
		c.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-c.done:
		case <-time.After(5 * time.Second):
			c.cmd.Process.Kill()
			<-c.done
		}
	})
}

// cpu returns the CPU time the child has used so far, user and system,
// from /proc (zero where there is no /proc).
func (c *child) cpu() time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", c.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	// The fields after the parenthesised command name start with field 3
	// of the line; utime and stime are fields 14 and 15, in clock ticks of
	// 1/100 s (USER_HZ, 100 on Linux).
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 13 {
		return 0
	}
	return time.Duration(atoi(f[11])+atoi(f[12])) * 10 * time.Millisecond
}

// storeCommand is the command startStoreChild runs: this program with
// -serve path, and with -server-cpuprofile profile if profile is not "".
func storeCommand(path, profile string) (*exec.Cmd, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	args := []string{"-serve", path}
	if profile != "" {
		args = append(args, "-server-cpuprofile", profile)
	}
	return exec.Command(exe, args...), nil
}

// startStoreChild runs cmd, which calls serveStore: faasport's store served
// by net/http on 127.0.0.1, in a process of its own. It returns once the
// child has said where it listens. Callers must call Close.
func startStoreChild(ctx context.Context, cmd *exec.Cmd) (*child, error) {
	first := make(chan string, 1)
	c, err := startChild("store", cmd, first)
	if err != nil {
		return nil, err
	}
	select {
	case u := <-first:
		c.URL = u
		return c, nil
	case <-c.done:
		return nil, fmt.Errorf("store: server child exited: %v\n%s", c.cmd.ProcessState, c.out.String())
	case <-ctx.Done():
		c.Close()
		return nil, ctx.Err()
	case <-time.After(20 * time.Second):
		c.Close()
		return nil, fmt.Errorf("store: server child not listening after 20s:\n%s", c.out.String())
	}
}

// serveStore is the child's side of startStoreChild: it serves a store on
// path, prints "LISTENING <url>", and stops on SIGTERM, SIGINT or the end
// of its standard input (the parent closed it, or died). If profile is not
// "", it writes a CPU profile of its whole run there.
func serveStore(path, profile string) error {
	if profile != "" {
		f, err := os.Create(profile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	o, err := startOurs(path)
	if err != nil {
		return err
	}
	// The signals stay caught until the end: the parent closes the
	// standard input and then sends SIGTERM, which must not kill the
	// process while it shuts down.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	eof := make(chan struct{})
	go func() {
		io.Copy(io.Discard, os.Stdin)
		close(eof)
	}()
	fmt.Printf("LISTENING %s\n", o.URL)
	select {
	case <-ctx.Done():
	case <-eof:
	}
	// The profile is complete before the shutdown, which may outlast the
	// parent's patience (it waits 5 s).
	pprof.StopCPUProfile()
	return o.Close()
}

// lockedBuffer collects a child's output, up to 64 KiB, and sends the
// address in its first "LISTENING <url>" line to first, if not nil.
type lockedBuffer struct {
	mu    sync.Mutex
	b     bytes.Buffer
	first chan<- string
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.b.Len() < 64<<10 {
		l.b.Write(p)
	}
	if l.first != nil {
		if _, rest, ok := strings.Cut(l.b.String(), "LISTENING "); ok {
			if u, _, ok := strings.Cut(rest, "\n"); ok {
				l.first <- u
				l.first = nil
			}
		}
	}
	return len(p), nil
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
