package localcognito

import (
	"sync"
	"time"
)

// Lockout figures Cognito documents: after the allowed failures a user is
// locked out for one second, doubling with each further failure up to
// about 15 minutes; a user with no failure for 15 minutes starts afresh.
const (
	lockoutFirst  = time.Second
	lockoutMax    = 15 * time.Minute
	failureMemory = 15 * time.Minute
	addressWindow = time.Minute
)

// throttle counts failed sign-ins per user and per client address.
type throttle struct {
	maxUser, maxAddr int

	mu    sync.Mutex
	users map[string]*userFailures
	addrs map[string]*addrFailures
}

type userFailures struct {
	count       int
	last        time.Time
	lockedUntil time.Time
}

type addrFailures struct {
	start time.Time
	count int
}

func newThrottle(maxUser, maxAddr int) *throttle {
	return &throttle{maxUser: maxUser, maxAddr: maxAddr, users: map[string]*userFailures{}, addrs: map[string]*addrFailures{}}
}

// check returns the error for a sign-in attempt by user key from addr
// that is refused before its password is looked at, or nil.
func (t *throttle) check(now time.Time, key, addr string) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if a := t.addrs[addr]; a != nil && now.Sub(a.start) < addressWindow && a.count >= t.maxAddr {
		return &apiError{Type: "TooManyRequestsException", Message: "Rate exceeded"}
	}
	if u := t.users[key]; u != nil && now.Before(u.lockedUntil) {
		return &apiError{Type: "NotAuthorizedException", Message: "Password attempts exceeded"}
	}
	return nil
}

// fail records a failed sign-in.
func (t *throttle) fail(now time.Time, key, addr string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	u := t.users[key]
	if u == nil || now.Sub(u.last) > failureMemory {
		u = &userFailures{}
		t.users[key] = u
	}
	u.count++
	u.last = now
	if over := u.count - t.maxUser; over >= 0 {
		d := lockoutFirst << min(over, 20)
		u.lockedUntil = now.Add(min(d, lockoutMax))
	}
	a := t.addrs[addr]
	if a == nil || now.Sub(a.start) >= addressWindow {
		a = &addrFailures{start: now}
		t.addrs[addr] = a
	}
	a.count++
	// Forget stale entries now and then, so that the maps stay small.
	if len(t.users) > 10000 {
		for k, v := range t.users {
			if now.Sub(v.last) > failureMemory {
				delete(t.users, k)
			}
		}
	}
	if len(t.addrs) > 10000 {
		for k, v := range t.addrs {
			if now.Sub(v.start) >= addressWindow {
				delete(t.addrs, k)
			}
		}
	}
}

// succeed clears the user's failures.
func (t *throttle) succeed(key string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.users, key)
}

// sessions are pending authentication challenges, by session string.
type sessions struct {
	mu sync.Mutex
	m  map[string]*challenge
	// sweepAt is the size at which put next drops expired challenges:
	// twice the size the last sweep left, so that sweeping costs O(1) a
	// put however many challenges are waiting.
	sweepAt int
}

// maxSessions bounds the challenges waiting for an answer: a flood of
// InitiateAuth calls that never answer their challenges costs bounded
// memory. Beyond it, an arbitrary waiting challenge is dropped (its
// answer then fails as an invalid session, as an expired one does).
const maxSessions = 100_000

type challenge struct {
	name     string // PASSWORD_VERIFIER or NEW_PASSWORD_REQUIRED
	poolID   string
	clientID string
	username string
	expires  time.Time
	srp      *srpServer // PASSWORD_VERIFIER only
	session  string     // the Session handed out with it
}

func newSessions() *sessions { return &sessions{m: map[string]*challenge{}} }

func (ss *sessions) put(now time.Time, key string, c *challenge) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if len(ss.m) >= ss.sweepAt {
		for k, v := range ss.m {
			if now.After(v.expires) {
				delete(ss.m, k)
			}
		}
		ss.sweepAt = max(2*len(ss.m), 64)
	}
	for k := range ss.m {
		if len(ss.m) < maxSessions {
			break
		}
		delete(ss.m, k)
	}
	ss.m[key] = c
}

// take removes and returns the live challenge of key.
func (ss *sessions) take(now time.Time, key string) *challenge {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	c := ss.m[key]
	delete(ss.m, key)
	if c == nil || now.After(c.expires) {
		return nil
	}
	return c
}
