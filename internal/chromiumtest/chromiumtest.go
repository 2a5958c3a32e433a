// Package chromiumtest starts headless Chromium for tests that drive a
// page through chromedp.
package chromiumtest

import (
	"context"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Path returns the Chromium to drive: /usr/bin/chromium, where Debian's
// package puts it, or the first chromium or chromium-browser on $PATH, or
// "" when there is none.
func Path() string {
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium"
	}
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// Options shape the browser [New] starts.
type Options struct {
	// Width and Height are the window's size; zero means 1280 by 900.
	Width, Height int

	// Timeout, when positive, bounds the whole browser session: past it
	// Chromium is stopped, and every step still to come fails at once.
	Timeout time.Duration

	// Flags are further command-line switches, name to value (true for
	// a switch that takes none).
	Flags map[string]any
}

// New starts headless Chromium for t and returns a chromedp context for
// one tab; the browser stops when t ends. Without Chromium t is skipped,
// or fails under CI (CI set in the environment), whose .ci/run must
// install it.
func New(t testing.TB, o Options) context.Context {
	t.Helper()
	path := Path()
	if path == "" {
		const msg = "no Chromium at /usr/bin/chromium or on $PATH: .ci/run must apt-get install chromium"
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	if o.Width == 0 || o.Height == 0 {
		o.Width, o.Height = 1280, 900
	}
	parent, cancelParent := context.Background(), context.CancelFunc(func() {})
	if o.Timeout > 0 {
		parent, cancelParent = context.WithTimeout(parent, o.Timeout)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true), // small /dev/shm in containers
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(o.Width, o.Height),
	}
	for name, value := range o.Flags {
		opts = append(opts, chromedp.Flag(name, value))
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(parent, opts...)
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(func() {
		cancel()
		cancelAlloc()
		cancelParent()
	})
	return ctx
}
