package clock_test

import (
	"context"
	"testing"
	"time"

	"github.com/faasport/faasport/emulator/clock"
	"github.com/google/go-cmp/cmp"
)

var epoch = time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)

func TestFakeNowAndSince(t *testing.T) {
	f := clock.NewFake(epoch)
	if got := f.Now(); !got.Equal(epoch) {
		t.Fatalf("Now() = %v, want %v", got, epoch)
	}
	f.Advance(1500 * time.Millisecond)
	if got, want := f.Since(epoch), 1500*time.Millisecond; got != want {
		t.Fatalf("Since(start) = %v, want %v", got, want)
	}
}

// fired reports which of timers have a value ready, without blocking.
func fired(timers map[string]clock.Timer) map[string]time.Time {
	out := map[string]time.Time{}
	for name, tm := range timers {
		select {
		case v := <-tm.C():
			out[name] = v
		default:
		}
	}
	return out
}

func TestFakeAdvanceFiresDueTimers(t *testing.T) {
	tests := []struct {
		name    string
		advance []time.Duration
		want    map[string]time.Time // timers fired, with the time each carries
	}{
		{"none due", []time.Duration{999 * time.Millisecond}, map[string]time.Time{}},
		{"exactly due", []time.Duration{time.Second}, map[string]time.Time{"1s": epoch.Add(time.Second)}},
		{"in steps", []time.Duration{time.Second, time.Second}, map[string]time.Time{
			"1s": epoch.Add(time.Second),
			"2s": epoch.Add(2 * time.Second),
		}},
		{"all at once carry their own deadlines", []time.Duration{time.Hour}, map[string]time.Time{
			"1s": epoch.Add(time.Second),
			"2s": epoch.Add(2 * time.Second),
			"1m": epoch.Add(time.Minute),
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := clock.NewFake(epoch)
			timers := map[string]clock.Timer{
				"1m": f.NewTimer(time.Minute),
				"1s": f.NewTimer(time.Second),
				"2s": f.NewTimer(2 * time.Second),
			}
			for _, d := range tc.advance {
				f.Advance(d)
			}
			if diff := cmp.Diff(tc.want, fired(timers)); diff != "" {
				t.Errorf("fired timers (-want +got):\n%s", diff)
			}
			if got, want := f.Pending(), len(timers)-len(tc.want); got != want {
				t.Errorf("Pending() = %d, want %d", got, want)
			}
		})
	}
}

func TestFakeTimerStopAndReset(t *testing.T) {
	f := clock.NewFake(epoch)
	tm := f.NewTimer(time.Second)
	if !tm.Stop() {
		t.Fatal("Stop() on an armed timer = false, want true")
	}
	if tm.Stop() {
		t.Fatal("second Stop() = true, want false")
	}
	f.Advance(time.Hour)
	if got := fired(map[string]clock.Timer{"t": tm}); len(got) != 0 {
		t.Fatalf("stopped timer fired: %v", got)
	}
	if tm.Reset(time.Second) {
		t.Fatal("Reset() of a stopped timer = true, want false")
	}
	f.Advance(time.Second)
	want := map[string]time.Time{"t": epoch.Add(time.Hour + time.Second)}
	if diff := cmp.Diff(want, fired(map[string]clock.Timer{"t": tm})); diff != "" {
		t.Fatalf("after Reset (-want +got):\n%s", diff)
	}
}

func TestFakeZeroTimerFiresAtOnce(t *testing.T) {
	f := clock.NewFake(epoch)
	tm := f.NewTimer(0)
	if got := fired(map[string]clock.Timer{"t": tm}); len(got) != 1 {
		t.Fatalf("NewTimer(0) did not fire at once")
	}
	if got := f.Pending(); got != 0 {
		t.Fatalf("Pending() = %d, want 0", got)
	}
}

func TestFakeBlockUntil(t *testing.T) {
	f := clock.NewFake(epoch)
	done := make(chan time.Time)
	go func() {
		tm := f.NewTimer(time.Minute)
		done <- <-tm.C()
	}()
	f.BlockUntil(1)
	f.Advance(time.Minute)
	if got, want := <-done, epoch.Add(time.Minute); !got.Equal(want) {
		t.Fatalf("timer fired with %v, want %v", got, want)
	}
}

func TestFakeBlockUntilContext(t *testing.T) {
	f := clock.NewFake(epoch)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := f.BlockUntilContext(ctx, 1); err != context.Canceled {
		t.Fatalf("BlockUntilContext(cancelled) = %v, want %v", err, context.Canceled)
	}
	f.NewTimer(time.Second)
	if err := f.BlockUntilContext(ctx, 1); err != nil {
		t.Fatalf("BlockUntilContext with 1 timer armed = %v, want nil", err)
	}
}

func TestReal(t *testing.T) {
	c := clock.Real()
	start := c.Now()
	tm := c.NewTimer(time.Millisecond)
	<-tm.C()
	if got := c.Since(start); got < time.Millisecond {
		t.Fatalf("Since(start) = %v after a 1ms timer, want >= 1ms", got)
	}
	if tm.Stop() {
		t.Fatal("Stop() after firing = true, want false")
	}
}

func TestFakeBlockUntilTimer(t *testing.T) {
	f := clock.NewFake(epoch)
	f.NewTimer(3 * time.Second)
	done := make(chan struct{})
	go func() {
		f.NewTimer(time.Minute)
		close(done)
	}()
	f.BlockUntilTimer(time.Minute)
	<-done
	f.Advance(30 * time.Second)
	f.BlockUntilTimer(30 * time.Second) // the same timer, half way
	if got := f.Pending(); got != 1 {
		t.Fatalf("Pending() = %d, want 1", got)
	}
}
