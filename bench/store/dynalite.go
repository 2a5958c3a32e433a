package main

import (
	"context"
	"fmt"
	"net"
	"os/exec"
	"strconv"
	"time"

	"github.com/faasport/faasport/bench/internal/harness"
)

// dynaliteVersion is the dynalite the benchmark installs: the newest on
// npm when this was written (it needs Node 20 or later). It stores tables
// in LevelDB through classic-level, whose npm package ships a prebuilt
// linux-x64 binary, so nothing is compiled.
const dynaliteVersion = "4.0.0"

// dynalitePackage is dynalite on npm, with its command-line script.
var dynalitePackage = harness.NPMPackage{
	Name:    "dynalite",
	Version: dynaliteVersion,
	Script:  "cli.js",
	MinNode: 20,
}

// startDynalite runs dynalite's cli.js on a free port of 127.0.0.1, with
// its LevelDB store in dbDir ("" for its in-memory store), and waits until
// it accepts connections. Callers must call Close.
func startDynalite(ctx context.Context, cli, dbDir string) (*harness.Process, error) {
	port, err := harness.FreePort()
	if err != nil {
		return nil, err
	}
	args := []string{cli, "--host", "127.0.0.1", "--port", strconv.Itoa(port),
		// Tables become ACTIVE at once, as in faasport's store.
		"--createTableMs", "0", "--deleteTableMs", "0", "--updateTableMs", "0"}
	if dbDir != "" {
		args = append(args, "--path", dbDir)
	}
	c, err := harness.Start("dynalite", exec.Command("node", args...), harness.Options{StopWait: 5 * time.Second})
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	c.URL = fmt.Sprintf("http://127.0.0.1:%d", port)
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	if err := c.WaitReady(ctx, "listening on "+addr, accepts(addr), 50*time.Millisecond, 20*time.Second); err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	return c, nil
}

// accepts returns a check that a TCP connection to addr can be made
// within a second.
func accepts(addr string) func(context.Context) bool {
	return func(context.Context) bool {
		conn, err := net.DialTimeout("tcp", addr, time.Second)
		if err != nil {
			return false
		}
		conn.Close()
		return true
	}
}
