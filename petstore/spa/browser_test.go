package spa_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/faasport/faasport/internal/chromiumtest"
)

// browser is a headless Chromium for one test.
type browser struct {
	ctx context.Context // a chromedp context: one tab

	mu      sync.Mutex
	console []string
}

// newBrowser starts headless Chromium for t, and stops it when t ends.
// Without Chromium the test is skipped, or fails under CI, whose
// .ci/run must install it.
func newBrowser(t *testing.T) *browser {
	t.Helper()
	ctx := chromiumtest.New(t, chromiumtest.Options{})
	b := &browser{ctx: ctx}
	messages := chromedp.Console(ctx) // starts the browser
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			b.mu.Lock()
			b.console = append(b.console, m.String())
			b.mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		if t.Failed() {
			b.mu.Lock()
			defer b.mu.Unlock()
			if len(b.console) > 0 {
				t.Logf("browser console:\n  %s", strings.Join(b.console, "\n  "))
			}
		}
	})
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starting %s: %v", chromiumtest.Path(), err)
	}
	return b
}

// consoleLines returns the console messages so far.
func (b *browser) consoleLines() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.console...)
}
