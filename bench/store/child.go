package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"runtime/pprof"
	"strconv"
	"syscall"
	"time"

	"github.com/faasport/faasport/bench/internal/harness"
)

// storeCommand is the command startStoreChild runs: this program with
// -serve path and -server-procs procs, with -server-cpuprofile profile if
// profile is not "", and with -serve-memo if memo is set.
func storeCommand(path, profile string, procs int, memo bool) (*exec.Cmd, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	args := []string{"-serve", path, "-server-procs", strconv.Itoa(procs)}
	if profile != "" {
		args = append(args, "-server-cpuprofile", profile)
	}
	if memo {
		args = append(args, "-serve-memo")
	}
	return exec.Command(exe, args...), nil
}

// startStoreChild runs cmd, which calls serveStore: faasport's store served
// by net/http on 127.0.0.1, in a process of its own, as dynalite must be
// (so that both servers get a process of their own beside the client's).
// It returns once the child has said where it listens. Callers must call
// Close.
func startStoreChild(ctx context.Context, cmd *exec.Cmd) (*harness.Process, error) {
	c, err := harness.Start("server child", cmd, harness.Options{StopWait: 5 * time.Second, Announces: true})
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	if err := c.WaitAnnounced(ctx, 20*time.Second); err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	return c, nil
}

// serveStore is the child's side of startStoreChild: it serves a store on
// path, announces its URL with harness.Announce, and stops on SIGTERM,
// SIGINT or the end of its standard input (the parent closed it, or
// died). If profile is not "", it writes a CPU profile of its whole run
// there. With memo set, GetItem answers go through memoGetItem.
func serveStore(path, profile string, memo bool) error {
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
	o, err := startOurs(path, memo)
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
	harness.Announce(o.URL)
	select {
	case <-ctx.Done():
	case <-eof:
	}
	// The profile is complete before the shutdown, which may outlast the
	// parent's patience (it waits 5 s).
	pprof.StopCPUProfile()
	return o.Close()
}
