// Package clock is the emulator's injectable source of time: the real
// clock for running, and a fake one that tests move by hand, so that
// timeouts and retry delays can be tested without sleeping.
//
// Emulator packages take a [Clock] in their options; nil means [Real].
// Tests pass a [Fake] from [NewFake], wait with [Fake.BlockUntil] until the
// code under test has started the timers they expect, and fire them with
// [Fake.Advance].
package clock

import (
	"context"
	"sort"
	"sync"
	"time"
)

// Clock tells the time and makes timers. Implementations are safe for
// concurrent use.
type Clock interface {
	// Now returns the current time.
	Now() time.Time
	// Since returns the time elapsed since t, as Now().Sub(t).
	Since(t time.Time) time.Duration
	// NewTimer returns a Timer that sends the time on its channel once
	// duration d has elapsed, as time.NewTimer does.
	NewTimer(d time.Duration) Timer
}

// Timer is a single event, as time.Timer is. Its channel has a buffer of
// one: a timer that fires while nobody receives does not block the clock.
type Timer interface {
	// C returns the channel on which the time is sent when the timer fires.
	C() <-chan time.Time
	// Stop prevents the timer from firing. It reports whether the call
	// stopped the timer, false if it had already fired or been stopped.
	Stop() bool
	// Reset changes the timer to fire after duration d. It reports whether
	// the timer had been active.
	Reset(d time.Duration) bool
}

// Real returns the Clock of the time package.
func Real() Clock { return realClock{} }

type realClock struct{}

func (realClock) Now() time.Time                  { return time.Now() }
func (realClock) Since(t time.Time) time.Duration { return time.Since(t) }
func (realClock) NewTimer(d time.Duration) Timer  { return realTimer{time.NewTimer(d)} }

type realTimer struct{ t *time.Timer }

func (t realTimer) C() <-chan time.Time        { return t.t.C }
func (t realTimer) Stop() bool                 { return t.t.Stop() }
func (t realTimer) Reset(d time.Duration) bool { return t.t.Reset(d) }

// Fake is a Clock whose time moves only when [Fake.Advance] is called.
// Its methods are safe for concurrent use.
type Fake struct {
	mu      sync.Mutex
	now     time.Time
	seq     uint64        // orders timers with equal deadlines by creation
	pending []*fakeTimer  // timers not yet fired nor stopped
	changed chan struct{} // closed and replaced whenever pending grows
}

var _ Clock = (*Fake)(nil)

// NewFake returns a fake clock reading start.
func NewFake(start time.Time) *Fake {
	return &Fake{now: start, changed: make(chan struct{})}
}

// Now returns the fake clock's time.
func (f *Fake) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

// Since returns f.Now().Sub(t).
func (f *Fake) Since(t time.Time) time.Duration { return f.Now().Sub(t) }

// NewTimer returns a timer that fires when the clock has been advanced by
// d or more. A timer with d <= 0 fires at once.
func (f *Fake) NewTimer(d time.Duration) Timer {
	t := &fakeTimer{f: f, c: make(chan time.Time, 1)}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.schedule(t, d)
	return t
}

// schedule arms t to fire d from now; f.mu is held.
func (f *Fake) schedule(t *fakeTimer, d time.Duration) {
	if d <= 0 {
		t.fire(f.now)
		return
	}
	f.seq++
	t.when, t.seq, t.active = f.now.Add(d), f.seq, true
	f.pending = append(f.pending, t)
	close(f.changed)
	f.changed = make(chan struct{})
}

// remove disarms t; f.mu is held. It reports whether t was pending.
func (f *Fake) remove(t *fakeTimer) bool {
	if !t.active {
		return false
	}
	t.active = false
	for i, p := range f.pending {
		if p == t {
			f.pending = append(f.pending[:i], f.pending[i+1:]...)
			break
		}
	}
	return true
}

// Advance moves the clock forward by d, firing in deadline order every
// timer that falls due. When Advance returns, each of those timers has
// its time in its channel; the goroutines receiving from them may not have
// run yet.
func (f *Fake) Advance(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	target := f.now.Add(d)
	sort.Slice(f.pending, func(i, j int) bool {
		a, b := f.pending[i], f.pending[j]
		if !a.when.Equal(b.when) {
			return a.when.Before(b.when)
		}
		return a.seq < b.seq
	})
	n := 0
	for _, t := range f.pending {
		if t.when.After(target) {
			break
		}
		n++
		t.active = false
		f.now = t.when
		t.fire(t.when)
	}
	f.pending = append(f.pending[:0], f.pending[n:]...)
	f.now = target
}

// Pending returns the number of timers that are armed: neither fired nor
// stopped.
func (f *Fake) Pending() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.pending)
}

// BlockUntil blocks until at least n timers are armed. Tests call it to
// wait until the code under test is waiting on the clock, then Advance it.
func (f *Fake) BlockUntil(n int) {
	_ = f.BlockUntilContext(context.Background(), n)
}

// BlockUntilContext is like BlockUntil but gives up when ctx is done,
// returning ctx.Err().
func (f *Fake) BlockUntilContext(ctx context.Context, n int) error {
	return f.waitFor(ctx, func() bool { return len(f.pending) >= n })
}

// BlockUntilTimer blocks until a timer is armed to fire exactly d from
// the clock's current time. Tests call it to tell one timer from another,
// such as a retry delay from an invocation timeout.
func (f *Fake) BlockUntilTimer(d time.Duration) {
	_ = f.waitFor(context.Background(), func() bool {
		for _, t := range f.pending {
			if t.when.Sub(f.now) == d {
				return true
			}
		}
		return false
	})
}

// waitFor blocks until cond, called with f.mu held, is true, re-checking
// whenever a timer is armed.
func (f *Fake) waitFor(ctx context.Context, cond func() bool) error {
	for {
		f.mu.Lock()
		if cond() {
			f.mu.Unlock()
			return nil
		}
		ch := f.changed
		f.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

type fakeTimer struct {
	f      *Fake
	c      chan time.Time
	when   time.Time // guarded by f.mu, as are seq and active
	seq    uint64
	active bool
}

func (t *fakeTimer) C() <-chan time.Time { return t.c }

// fire sends now without blocking, as the time package does for a
// timer whose channel already holds a value.
func (t *fakeTimer) fire(now time.Time) {
	select {
	case t.c <- now:
	default:
	}
}

func (t *fakeTimer) Stop() bool {
	t.f.mu.Lock()
	defer t.f.mu.Unlock()
	// Drain a value already sent, so that no stale time is received after
	// Stop, as with Go 1.23's timers.
	select {
	case <-t.c:
	default:
	}
	return t.f.remove(t)
}

func (t *fakeTimer) Reset(d time.Duration) bool {
	t.f.mu.Lock()
	defer t.f.mu.Unlock()
	was := t.f.remove(t)
	// Drain a stale value, as Go 1.23's timers do on Reset.
	select {
	case <-t.c:
	default:
	}
	t.f.schedule(t, d)
	return was
}
