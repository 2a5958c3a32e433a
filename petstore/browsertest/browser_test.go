package browsertest_test

import (
	"bytes"
	"context"
	"fmt"
	"image/png"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/faasport/faasport/internal/chromiumtest"
)

const (
	// stepTimeout bounds every step of a test: an action, a wait, an
	// evaluation. A page that never comes fails the step, not CI. Steps
	// end as soon as they succeed; the bounds are wide because a loaded
	// two-core machine running the race-enabled suite beside Chromium
	// has taken over 30 s for a whole test.
	stepTimeout = 30 * time.Second
	// browserTimeout bounds a whole browser session: past it Chromium is
	// stopped, and every step still to come fails at once.
	browserTimeout = 4 * time.Minute

	// The viewport, and so the width of the screenshots.
	viewportWidth, viewportHeight = 1200, 800
)

// browser is headless Chromium driving one tab for one test. It records
// what the page wrote to the console and every request it made.
type browser struct {
	t   *testing.T
	ctx context.Context // a chromedp context: the tab

	mu       sync.Mutex
	console  []chromedp.ConsoleMessage
	requests []*exchange
	byID     map[network.RequestID]*exchange
}

// exchange is one request of the page and what came of it.
type exchange struct {
	Method, URL string
	Headers     network.Headers
	Body        string // the request body, when the browser reports it
	Status      int64  // 0 until answered
	Failed      string // why the request failed, if it did
}

func (x *exchange) String() string {
	s := x.Method + " " + x.URL
	if target := header(x.Headers, "X-Amz-Target"); target != "" {
		s += " (" + target + ")"
	}
	switch {
	case x.Failed != "":
		return s + ": " + x.Failed
	case x.Status == 0:
		return s + ": no answer"
	}
	return fmt.Sprintf("%s: %d", s, x.Status)
}

// header returns the value of the header name, whatever its case.
func header(h network.Headers, name string) string {
	for k, v := range h {
		if strings.EqualFold(k, name) {
			s, _ := v.(string)
			return s
		}
	}
	return ""
}

// newBrowser starts headless Chromium for t, and stops it when t ends.
// Without Chromium the test is skipped, or fails under CI, whose .ci/run
// must install it.
func newBrowser(t *testing.T) *browser {
	t.Helper()
	ctx := chromiumtest.New(t, chromiumtest.Options{
		Width:   viewportWidth,
		Height:  viewportHeight,
		Timeout: browserTimeout,
		Flags:   map[string]any{"hide-scrollbars": true}, // screenshots without a scrollbar
	})
	b := &browser{t: t, ctx: ctx, byID: map[network.RequestID]*exchange{}}
	// Listen's func runs on the loop that reads the browser's messages:
	// it only records, under the lock.
	err := chromedp.Listen(ctx, func(ev any) {
		b.mu.Lock()
		defer b.mu.Unlock()
		switch ev := ev.(type) {
		case *network.EventRequestWillBeSent:
			if ev.RedirectResponse != nil {
				if x := b.byID[ev.RequestID]; x != nil {
					x.Status = ev.RedirectResponse.Status
				}
			}
			x := &exchange{Method: ev.Request.Method, URL: ev.Request.URL, Headers: ev.Request.Headers}
			for _, e := range ev.Request.PostDataEntries {
				x.Body += string(e.Bytes)
			}
			b.requests = append(b.requests, x)
			b.byID[ev.RequestID] = x
		case *network.EventResponseReceived:
			if x := b.byID[ev.RequestID]; x != nil {
				x.Status = ev.Response.Status
			}
		case *network.EventLoadingFailed:
			if x := b.byID[ev.RequestID]; x != nil && !ev.Canceled {
				x.Failed = ev.ErrorText
				if ev.CorsErrorStatus != nil {
					x.Failed += fmt.Sprintf(" (CORS: %s %s)", ev.CorsErrorStatus.CorsError, ev.CorsErrorStatus.FailedParameter)
				}
			}
		}
	})
	if err != nil {
		t.Fatalf("starting %s: %v", chromiumtest.Path(), err)
	}
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			b.mu.Lock()
			b.console = append(b.console, m)
			b.mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		if !t.Failed() {
			return
		}
		b.mu.Lock()
		defer b.mu.Unlock()
		var lines []string
		for _, m := range b.console {
			lines = append(lines, m.String())
		}
		if len(lines) > 0 {
			t.Logf("browser console:\n  %s", strings.Join(lines, "\n  "))
		}
		lines = lines[:0]
		for _, x := range b.requests {
			lines = append(lines, x.String())
		}
		if len(lines) > 0 {
			t.Logf("requests of the page:\n  %s", strings.Join(lines, "\n  "))
		}
	})
	// The window's size leaves the page less than its height: set the
	// viewport itself.
	b.do("setting the viewport", chromedp.EmulateViewport(viewportWidth, viewportHeight))
	return b
}

// do runs the actions, failing the test if they fail or take longer than
// stepTimeout.
func (b *browser) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
}

// load runs actions that load a page (following a link, sending a form,
// with any redirects), waits until it has loaded, and checks that it is
// the page at path, served 200 OK.
func (b *browser) load(what, path string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, actions...)
	if err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
	if resp == nil {
		b.t.Fatalf("%s: no response", what)
	}
	u, err := url.Parse(resp.URL)
	if err != nil {
		b.t.Fatalf("%s: response URL %q: %v", what, resp.URL, err)
	}
	if u.Path != path || resp.Status != 200 {
		b.t.Fatalf("%s: got %s %d %s, want %s 200 OK\n%s", what, u.Path, resp.Status, resp.StatusText, path, b.text("main"))
	}
}

// eval evaluates a JavaScript expression and decodes its value.
func eval[T any](b *browser, expr string) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("evaluating %s: %v", expr, err)
	}
	return v
}

// waitFor waits until the JavaScript expression is true. It polls from
// Go, each evaluation bounded, so that a page being replaced meanwhile
// (which destroys the evaluation's context) is just another try.
func (b *browser) waitFor(what, expr string) {
	b.t.Helper()
	deadline := time.Now().Add(stepTimeout)
	var last error
	for time.Now().Before(deadline) {
		ctx, cancel := context.WithTimeout(b.ctx, 2*time.Second)
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](expr))
		cancel()
		if err == nil && ok {
			return
		}
		if b.ctx.Err() != nil {
			b.t.Fatalf("waiting for %s: the browser is gone: %v", what, context.Cause(b.ctx))
		}
		last = err
		time.Sleep(50 * time.Millisecond)
	}
	b.t.Fatalf("waiting for %s (%s): timed out after %v (last error: %v)", what, expr, stepTimeout, last)
}

// click clicks the first element matching the CSS selector, once it is
// visible.
func click(sel string) chromedp.Action[chromedp.Void] {
	return chromedp.Click(chromedp.CSS(sel))
}

// fill types value into the input sel, replacing what it held.
func fill(sel, value string) chromedp.Action[chromedp.Void] {
	clear := chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := chromedp.Evaluate[string](fmt.Sprintf(`document.querySelector(%q).value = ''`, sel))(ctx, t)
		return err
	})
	return chromedp.Steps(clear, chromedp.SendKeys(chromedp.CSS(sel), value))
}

// text returns the trimmed text of the first element matching sel, or
// "<no sel>".
func (b *browser) text(sel string) string {
	b.t.Helper()
	return eval[string](b, fmt.Sprintf(`(document.querySelector(%q) || {textContent: %q}).textContent.trim().replace(/\s+/g, ' ')`, sel, "<no "+sel+">"))
}

// texts returns the trimmed texts of the elements matching sel.
func (b *browser) texts(sel string) []string {
	b.t.Helper()
	return eval[[]string](b, fmt.Sprintf(`[...document.querySelectorAll(%q)].map((e) => e.textContent.trim().replace(/\s+/g, ' '))`, sel))
}

func (b *browser) count(sel string) int {
	b.t.Helper()
	return eval[int](b, fmt.Sprintf(`document.querySelectorAll(%q).length`, sel))
}

func (b *browser) wantText(sel, want string) {
	b.t.Helper()
	if got := b.text(sel); got != want {
		b.t.Errorf("%s = %q, want %q", sel, got, want)
	}
}

func (b *browser) wantContains(sel, want string) {
	b.t.Helper()
	if got := b.text(sel); !strings.Contains(got, want) {
		b.t.Errorf("%s = %q, want it to contain %q", sel, got, want)
	}
}

// imagesLoaded is true when every image of the page has loaded.
const imagesLoaded = `[...document.images].every((i) => i.complete && i.naturalWidth > 0)`

// screenshot saves a full-page PNG of the page as <name>.png in the
// directory $PETSTORE_SCREENSHOTS, if it is set. It waits for the page's
// images first, and compresses the PNG harder than Chromium does.
func (b *browser) screenshot(name string) {
	b.t.Helper()
	dir := os.Getenv("PETSTORE_SCREENSHOTS")
	if dir == "" {
		return
	}
	// Lazy images load as they come near the viewport: bring them all in.
	eval[bool](b, `(() => { for (const i of document.images) i.loading = 'eager'; return true; })()`)
	b.waitFor("the images of the page", imagesLoaded)
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)) // 100 means PNG
	if err != nil {
		b.t.Fatalf("screenshot %s: %v", name, err)
	}
	if img, err := png.Decode(bytes.NewReader(shot)); err == nil {
		var buf bytes.Buffer
		enc := png.Encoder{CompressionLevel: png.BestCompression}
		if enc.Encode(&buf, img) == nil && buf.Len() < len(shot) {
			shot = buf.Bytes()
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.t.Fatalf("screenshot %s: %v", name, err)
	}
	file := filepath.Join(dir, name+".png")
	if err := os.WriteFile(file, shot, 0o644); err != nil {
		b.t.Fatalf("screenshot %s: %v", name, err)
	}
	b.t.Logf("screenshot: %s (%d KB)", file, len(shot)/1024)
}

// consoleErrors returns the errors and uncaught exceptions of the console
// so far.
func (b *browser) consoleErrors() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []string
	for _, m := range b.console {
		if m.Type == chromedp.ConsoleError || m.IsException() {
			out = append(out, fmt.Sprintf("%s (%s:%d)", m.String(), m.URL, m.Line))
		}
	}
	return out
}

// exchanges returns a copy of the requests of the page so far.
func (b *browser) exchanges() []exchange {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := make([]exchange, len(b.requests))
	for i, x := range b.requests {
		out[i] = *x
	}
	return out
}

// checkClean fails the test for every console error and every request of
// the page that failed or was answered with an error status.
//
// Chromium asks a site for /favicon.ico unless its pages name an icon;
// the monolith's pages name none, so that one 404 (and the console line
// Chromium writes for it) is let pass.
func (b *browser) checkClean() {
	b.t.Helper()
	for _, line := range b.consoleErrors() {
		if strings.Contains(line, "/favicon.ico:") {
			continue
		}
		b.t.Errorf("browser console: %s", line)
	}
	for _, x := range b.exchanges() {
		if u, err := url.Parse(x.URL); err == nil && u.Path == "/favicon.ico" && x.Status == 404 {
			continue
		}
		if x.Failed != "" || x.Status >= 400 {
			b.t.Errorf("request failed: %s", x.String())
		}
	}
}
