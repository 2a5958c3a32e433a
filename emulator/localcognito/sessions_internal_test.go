package localcognito

import (
	"strconv"
	"testing"
	"time"
)

// The challenges waiting for an answer are bounded, expired ones are
// dropped as new ones come, and live ones are answered.
func TestSessionsBounded(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	ss := newSessions()
	// Many challenges nobody answers, all expired a minute later.
	for i := range 1000 {
		ss.put(now, "stale-"+strconv.Itoa(i), &challenge{expires: now.Add(time.Minute)})
	}
	later := now.Add(2 * time.Minute)
	for i := range 10 {
		ss.put(later, "live-"+strconv.Itoa(i), &challenge{expires: later.Add(3 * time.Minute)})
	}
	for i := range 200 {
		ss.put(later, "more-"+strconv.Itoa(i), &challenge{expires: later.Add(3 * time.Minute)})
	}
	if n := len(ss.m); n > 210+64 {
		t.Errorf("%d challenges held after the stale ones expired, want at most %d", n, 210+64)
	}
	if c := ss.take(later, "live-3"); c == nil {
		t.Errorf("a live challenge was dropped")
	}
	if c := ss.take(later, "stale-3"); c != nil {
		t.Errorf("an expired challenge was answered")
	}

	// A flood of live challenges stays within maxSessions.
	for i := range maxSessions + 500 {
		ss.put(later, "flood-"+strconv.Itoa(i), &challenge{expires: later.Add(3 * time.Minute)})
	}
	if n := len(ss.m); n > maxSessions {
		t.Errorf("%d challenges held, want at most %d", n, maxSessions)
	}
}
