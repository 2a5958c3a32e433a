package locallambda

import (
	"context"
	"log/slog"
	"runtime/metrics"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// logging reports whether a platform line at level goes anywhere, so that
// it is formatted only then.
func (c *call) logging(level slog.Level) bool {
	return c.tail != nil || c.f.logger.Enabled(context.Background(), level)
}

// platform logs one of Lambda's own lines: to the Service's logger with
// the function and request id, and verbatim into the log tail.
func (c *call) platform(level slog.Level, msg string) {
	if c.tail != nil {
		c.tail.line(msg)
	}
	c.f.logger.LogAttrs(context.Background(), level, msg, slog.String("request_id", c.id))
}

// runtimeLog logs a line as aws-lambda-go's runtime does, through Go's
// log package: the date and time, then msg.
func (c *call) runtimeLog(msg string) {
	c.platform(slog.LevelError, c.s.clock.Now().UTC().Format("2006/01/02 15:04:05")+" "+msg)
}

// logEnd logs the END and REPORT lines of an invocation that ran for d,
// and copies the log tail into r if it was asked for. A timed-out
// invocation's REPORT ends with "Status: timeout".
func (c *call) logEnd(d time.Duration, r *InvokeResult, timedOut bool) {
	if !c.logging(slog.LevelInfo) {
		return
	}
	c.platform(slog.LevelInfo, "END RequestId: "+c.id)

	// REPORT RequestId: <id>\tDuration: 1.23 ms\tBilled Duration: 2 ms\t
	// Memory Size: 128 MB\tMax Memory Used: 20 MB\t[Init Duration: 4.56 ms\t]
	// [Status: timeout]
	b := make([]byte, 0, 192)
	b = append(b, "REPORT RequestId: "...)
	b = append(b, c.id...)
	b = append(b, "\tDuration: "...)
	b = appendMillis(b, d)
	b = append(b, " ms\tBilled Duration: "...)
	// Lambda bills the init phase too: for custom runtimes, such as Go's
	// provided.al2023, it always did, and for every runtime since August
	// 2025 ("AWS Lambda standardizes billing for INIT phase").
	billed := d
	cold := c.cold && c.initDone.Load()
	if cold {
		billed += time.Duration(c.initDur.Load())
	}
	ms := int64((billed + time.Millisecond - 1) / time.Millisecond)
	b = strconv.AppendInt(b, max(ms, 1), 10)
	b = append(b, " ms\tMemory Size: "...)
	b = strconv.AppendInt(b, int64(c.f.cfg.MemoryMB), 10)
	b = append(b, " MB\tMax Memory Used: "...)
	b = strconv.AppendInt(b, memoryUsedMB(c.f.cfg.MemoryMB), 10)
	b = append(b, " MB\t"...)
	if cold {
		b = append(b, "Init Duration: "...)
		b = appendMillis(b, time.Duration(c.initDur.Load()))
		b = append(b, " ms\t"...)
	}
	if timedOut {
		b = append(b, "Status: timeout"...)
	}
	c.platform(slog.LevelInfo, string(b))
	if c.tail != nil {
		r.LogResult = c.tail.String()
	}
}

func appendMillis(b []byte, d time.Duration) []byte {
	return strconv.AppendFloat(b, float64(d)/float64(time.Millisecond), 'f', 2, 64)
}

// memoryUsedMB is the Go runtime's memory in use (mapped and not released
// to the OS) in MB, rounded up and capped at limit. Reading the runtime's
// metrics costs about a microsecond, so a reading serves for
// memoryReadEvery.
func memoryUsedMB(limit int) int64 {
	now := time.Now().UnixNano()
	used := memUsed.Load()
	if last := memRead.Load(); used == 0 || now-last > int64(memoryReadEvery) {
		s := [2]metrics.Sample{
			{Name: "/memory/classes/total:bytes"},
			{Name: "/memory/classes/heap/released:bytes"},
		}
		metrics.Read(s[:])
		if s[0].Value.Kind() == metrics.KindUint64 && s[1].Value.Kind() == metrics.KindUint64 {
			used = int64(s[0].Value.Uint64() - s[1].Value.Uint64())
		}
		memUsed.Store(used)
		memRead.Store(now)
	}
	mb := (used + 1<<20 - 1) >> 20
	return min(mb, int64(limit))
}

const memoryReadEvery = 10 * time.Millisecond

var memUsed, memRead atomic.Int64 // bytes; when read, in Unix nanoseconds

// tailBuffer keeps the end of an invocation's log.
type tailBuffer struct {
	mu sync.Mutex
	b  []byte
}

// Write appends p, dropping all but the last LogTailSize bytes now and
// then so that a function logging after its invocation ended (timed out)
// cannot grow the buffer without bound.
func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.b = append(t.b, p...)
	if len(t.b) > 4*LogTailSize {
		n := copy(t.b, t.b[len(t.b)-LogTailSize:])
		t.b = t.b[:n]
	}
	return len(p), nil
}

func (t *tailBuffer) line(s string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.b = append(t.b, s...)
	t.b = append(t.b, '\n')
}

// String returns the last LogTailSize bytes written.
func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	b := t.b
	if len(b) > LogTailSize {
		b = b[len(b)-LogTailSize:]
	}
	return string(b)
}

// invHandler is the slog.Handler of an invocation's Logger: it adds the
// request id to every record and copies records into the log tail, in
// text form, when there is one.
type invHandler struct {
	inner slog.Handler // the function's handler, which adds "function"
	id    string
	tail  slog.Handler // nil when no tail was asked for
	raw   *tailBuffer  // the tail that handler writes to, for logRaw
	// grouped is set once a group is open: the request id was added to
	// inner (and tail) before the group, and is not added again.
	grouped bool
}

func (h *invHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return h.inner.Enabled(ctx, l) || h.tail != nil && h.tail.Enabled(ctx, l)
}

func (h *invHandler) Handle(ctx context.Context, r slog.Record) error {
	if !h.grouped {
		r.AddAttrs(slog.String("request_id", h.id))
	}
	var err error
	if h.inner.Enabled(ctx, r.Level) {
		err = h.inner.Handle(ctx, r)
	}
	if h.tail != nil && h.tail.Enabled(ctx, r.Level) {
		_ = h.tail.Handle(ctx, r) // a tailBuffer never fails
	}
	return err
}

// logRaw logs a line a runtime process wrote, as Lambda keeps it: verbatim
// in the log tail, and as a record of the function's logger.
func (h *invHandler) logRaw(level slog.Level, line string) {
	if h.raw != nil {
		h.raw.line(line)
	}
	if !h.inner.Enabled(context.Background(), level) {
		return
	}
	r := slog.NewRecord(time.Now(), level, line, 0)
	if !h.grouped {
		r.AddAttrs(slog.String("request_id", h.id))
	}
	_ = h.inner.Handle(context.Background(), r)
}

// logRaw logs line through lg: verbatim into the log tail if lg is an
// invocation's logger.
func logRaw(lg *slog.Logger, level slog.Level, line string) {
	if h, ok := lg.Handler().(*invHandler); ok {
		h.logRaw(level, line)
		return
	}
	lg.LogAttrs(context.Background(), level, line)
}

func (h *invHandler) WithAttrs(as []slog.Attr) slog.Handler {
	h2 := *h
	h2.inner = h.inner.WithAttrs(as)
	if h.tail != nil {
		h2.tail = h.tail.WithAttrs(as)
	}
	return &h2
}

func (h *invHandler) WithGroup(name string) slog.Handler {
	h2 := *h
	if !h.grouped {
		// Keep request_id at the top level, outside the group.
		id := []slog.Attr{slog.String("request_id", h.id)}
		h2.inner = h2.inner.WithAttrs(id)
		if h2.tail != nil {
			h2.tail = h2.tail.WithAttrs(id)
		}
		h2.grouped = true
	}
	h2.inner = h2.inner.WithGroup(name)
	if h2.tail != nil {
		h2.tail = h2.tail.WithGroup(name)
	}
	return &h2
}
