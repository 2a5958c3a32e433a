package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// cognitoLocalVersion is the cognito-local the benchmark installs: the
// newest on npm when this was written (`npm view cognito-local version`).
const cognitoLocalVersion = "5.3.0"

// confirmationCode is the code cognito-local gives every user: it uses
// the CODE environment variable, when set, instead of a random code, so
// that the benchmark can call ConfirmSignUp without reading its console.
const confirmationCode = "424242"

// errNoNode is returned when node or npm cannot be found.
var errNoNode = errors.New("auth: cognito-local needs node and npm on PATH")

// installCognitoLocal installs cognito-local into dir with npm, unless
// that version is already there, and returns the path of its start script.
func installCognitoLocal(ctx context.Context, dir string) (string, error) {
	if _, err := exec.LookPath("node"); err != nil {
		return "", errNoNode
	}
	if _, err := exec.LookPath("npm"); err != nil {
		return "", errNoNode
	}
	pkg := filepath.Join(dir, "node_modules", "cognito-local")
	start := filepath.Join(pkg, "lib", "bin", "start.js")
	if installedVersion(pkg) == cognitoLocalVersion {
		return start, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	fmt.Printf("installing cognito-local@%s into %s (first run only) ...\n", cognitoLocalVersion, dir)
	ictx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ictx, "npm", "install", "--prefix", dir, "--no-audit", "--no-fund", "--loglevel=error",
		"cognito-local@"+cognitoLocalVersion)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("auth: npm install cognito-local@%s: %w", cognitoLocalVersion, err)
	}
	if v := installedVersion(pkg); v != cognitoLocalVersion {
		return "", fmt.Errorf("auth: npm installed cognito-local %q, want %s", v, cognitoLocalVersion)
	}
	return start, nil
}

func installedVersion(pkg string) string {
	b, err := os.ReadFile(filepath.Join(pkg, "package.json"))
	if err != nil {
		return ""
	}
	var p struct{ Version string }
	if json.Unmarshal(b, &p) != nil {
		return ""
	}
	return p.Version
}

// cognitoLocal is a cognito-local server running as a child process.
type cognitoLocal struct {
	URL  string
	cmd  *exec.Cmd
	out  *lockedBuffer
	done chan struct{}
	once sync.Once
}

// startCognitoLocal runs cognito-local's start script on a free port of
// 127.0.0.1 with workDir as its working directory, where it keeps its
// configuration (.cognito/config.json, written here) and its pools
// (.cognito/db/*.json), and waits until it answers. Callers must call
// Close.
func startCognitoLocal(ctx context.Context, script, workDir string) (*cognitoLocal, error) {
	// Usernames are plain names, as in faasport's pool: cognito-local's
	// default makes pools take email addresses as usernames.
	cfg := `{"UserPoolDefaults": {"UsernameAttributes": []}}`
	if err := os.MkdirAll(filepath.Join(workDir, ".cognito"), 0o755); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(workDir, ".cognito", "config.json"), []byte(cfg), 0o644); err != nil {
		return nil, err
	}
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command("node", script)
	cmd.Dir = workDir
	// cognito-local reads its address from PORT and HOST (lib/server/config.js).
	cmd.Env = append(os.Environ(), "PORT="+strconv.Itoa(port), "HOST=127.0.0.1", "CODE="+confirmationCode)
	setChildAttrs(cmd)
	out := &lockedBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("auth: start cognito-local: %w", err)
	}
	c := &cognitoLocal{URL: fmt.Sprintf("http://127.0.0.1:%d", port), cmd: cmd, out: out, done: make(chan struct{})}
	go func() { cmd.Wait(); close(c.done) }()

	deadline := time.Now().Add(30 * time.Second)
	for {
		if healthy(ctx, c.URL+"/health") {
			return c, nil
		}
		select {
		case <-c.done:
			return nil, fmt.Errorf("auth: cognito-local exited before answering: %v\n%s", cmd.ProcessState, out.String())
		case <-ctx.Done():
			c.Close()
			return nil, ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			c.Close()
			return nil, fmt.Errorf("auth: cognito-local not answering at %s after 30s:\n%s", c.URL, out.String())
		}
	}
}

func healthy(ctx context.Context, url string) bool {
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

// Close stops cognito-local: SIGTERM, then SIGKILL if it has not exited
// within two seconds.
func (c *cognitoLocal) Close() {
	c.once.Do(func() {
		c.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-c.done:
		case <-time.After(2 * time.Second):
			c.cmd.Process.Kill()
			<-c.done
		}
	})
}

// Output returns what cognito-local has printed (the first 64 KiB).
func (c *cognitoLocal) Output() string { return c.out.String() }

// cpu returns the CPU time cognito-local has used so far, user and
// system, from /proc (zero where there is no /proc).
func (c *cognitoLocal) cpu() time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", c.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	// Fields after the parenthesised command name; utime and stime are
	// fields 14 and 15 of the whole line, in clock ticks of 1/100 s
	// (USER_HZ, 100 on Linux).
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

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// lockedBuffer collects a child's output, up to 64 KiB.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.b.Len() > 64<<10 {
		return len(p), nil
	}
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func execOutput(name string, args ...string) (string, error) {
	out, err := exec.Command(name, args...).Output()
	return string(out), err
}
