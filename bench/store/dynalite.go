package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// dynaliteVersion is the dynalite the benchmark installs: the newest on
// npm when this was written (it needs Node 20 or later). It stores tables
// in LevelDB through classic-level, whose npm package ships a prebuilt
// linux-x64 binary, so nothing is compiled.
const dynaliteVersion = "4.0.0"

// errNoNode is returned when node or npm cannot be found.
var errNoNode = errors.New("store: dynalite needs node (20 or later) and npm on PATH")

// installDynalite installs dynalite into dir with npm, unless that version
// is already there, and returns the path of its cli.js.
func installDynalite(ctx context.Context, dir string) (string, error) {
	if _, err := exec.LookPath("node"); err != nil {
		return "", errNoNode
	}
	if _, err := exec.LookPath("npm"); err != nil {
		return "", errNoNode
	}
	out, err := exec.CommandContext(ctx, "node", "-p", "process.versions.node").Output()
	if err != nil {
		return "", fmt.Errorf("store: node -p process.versions.node: %w", err)
	}
	nodeVersion := strings.TrimSpace(string(out))
	if major, _, _ := strings.Cut(nodeVersion, "."); atoi(major) < 20 {
		return "", fmt.Errorf("store: dynalite %s needs node 20 or later, found %s", dynaliteVersion, nodeVersion)
	}
	pkg := filepath.Join(dir, "node_modules", "dynalite")
	cli := filepath.Join(pkg, "cli.js")
	if installedVersion(pkg) == dynaliteVersion {
		return cli, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	fmt.Printf("installing dynalite@%s into %s (first run only) ...\n", dynaliteVersion, dir)
	ictx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ictx, "npm", "install", "--prefix", dir, "--no-audit", "--no-fund", "--loglevel=error",
		"dynalite@"+dynaliteVersion)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("store: npm install dynalite@%s: %w", dynaliteVersion, err)
	}
	if v := installedVersion(pkg); v != dynaliteVersion {
		return "", fmt.Errorf("store: npm installed dynalite %q, want %s", v, dynaliteVersion)
	}
	return cli, nil
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

func atoi(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		return -1
	}
	return n
}

// startDynalite runs dynalite's cli.js on a free port of 127.0.0.1, with
// its LevelDB store in dbDir ("" for its in-memory store), and waits until
// it accepts connections. Callers must call Close.
func startDynalite(ctx context.Context, cli, dbDir string) (*child, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	args := []string{cli, "--host", "127.0.0.1", "--port", strconv.Itoa(port),
		// Tables become ACTIVE at once, as in faasport's store.
		"--createTableMs", "0", "--deleteTableMs", "0", "--updateTableMs", "0"}
	if dbDir != "" {
		args = append(args, "--path", dbDir)
	}
	c, err := startChild("dynalite", exec.Command("node", args...), nil)
	if err != nil {
		return nil, err
	}
	c.URL = fmt.Sprintf("http://127.0.0.1:%d", port)

	addr := fmt.Sprintf("127.0.0.1:%d", port)
	deadline := time.Now().Add(20 * time.Second)
	for {
		conn, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			conn.Close()
			return c, nil
		}
		select {
		case <-c.done:
			return nil, fmt.Errorf("store: dynalite exited before listening: %v\n%s", c.cmd.ProcessState, c.out.String())
		case <-ctx.Done():
			c.Close()
			return nil, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			c.Close()
			return nil, fmt.Errorf("store: dynalite not listening on %s after 20s:\n%s", addr, c.out.String())
		}
	}
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

func execOutput(name string, args ...string) (string, error) {
	out, err := exec.Command(name, args...).Output()
	return string(out), err
}
