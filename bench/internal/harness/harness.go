// Package harness holds what the benchmark programs share to compare
// faasport's emulators with their peers: installing a peer from npm,
// running servers under test as child processes, and reading the CPU time
// and load figures the programs print.
package harness

import (
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"time"
)

// CacheDir returns the directory name beside the Go source file of its
// caller, when that file is still where it was compiled (as under go run
// in the module), or else name under fallback, relative to the working
// directory.
func CacheDir(name, fallback string) string {
	if _, file, _, ok := runtime.Caller(1); ok {
		if _, err := os.Stat(file); err == nil {
			return filepath.Join(filepath.Dir(file), name)
		}
	}
	return filepath.Join(fallback, name)
}

// NodeVersion returns what node --version prints, such as "v20.11.1", or
// "?" if node cannot be run.
func NodeVersion() string {
	out, err := exec.Command("node", "--version").Output()
	if err != nil {
		return "?"
	}
	return strings.TrimSpace(string(out))
}

// LoadAvg returns the machine's 1, 5 and 15 minute load averages, as in
// "0.52 0.48 0.41", or "?" where there is no /proc/loadavg.
func LoadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	return parseLoadAvg(string(b))
}

// parseLoadAvg returns the first three fields of the contents of
// /proc/loadavg, or "?".
func parseLoadAvg(s string) string {
	f := strings.Fields(s)
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}

// CPUTime returns the CPU time this process has used so far, user and
// system.
func CPUTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// FreePort returns a TCP port of 127.0.0.1 that was free a moment ago.
func FreePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}
