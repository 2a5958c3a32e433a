package monolith

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/faasport/faasport/petstore"
)

// sessionCookie names the cookie holding the session id.
const sessionCookie = "petstore_session"

// session is a visitor's server-side state. Visitors get one on their
// first page; signing in attaches the user to a fresh one.
type session struct {
	id   string // 32 random bytes, base64url
	csrf string // the token every form of this session must carry

	mu        sync.Mutex
	user      *user // nil until signed in
	cart      []petstore.LineItem
	flash     string    // shown on the next page, once
	expires   time.Time // pushed back on every request
	checkout  string    // the idempotency key of the last order placed
	lastOrder string    // and the order's id
}

func (s *session) signedIn() (user, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.user == nil {
		return user{}, false
	}
	return *s.user, true
}

func (s *session) setFlash(msg string) {
	s.mu.Lock()
	s.flash = msg
	s.mu.Unlock()
}

func (s *session) takeFlash() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	f := s.flash
	s.flash = ""
	return f
}

func (s *session) cartItems() []petstore.LineItem {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.cart)
}

func (s *session) setCart(items []petstore.LineItem) {
	s.mu.Lock()
	s.cart = items
	s.mu.Unlock()
}

func (s *session) cartCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, it := range s.cart {
		n += it.Quantity
	}
	return n
}

// checkCSRF reports, in constant time, whether token is the session's.
func (s *session) checkCSRF(token string) bool {
	return token != "" && subtle.ConstantTimeCompare([]byte(token), []byte(s.csrf)) == 1
}

// sessions is the in-memory session store. Sessions die with the process
// and are not shared between processes: a monolith of one instance is the
// point of this package.
type sessions struct {
	ttl time.Duration
	max int
	now func() time.Time

	mu        sync.Mutex
	m         map[string]*session
	lastSweep time.Time
}

func newSessions(ttl time.Duration, max int, now func() time.Time) *sessions {
	return &sessions{ttl: ttl, max: max, now: now, m: make(map[string]*session)}
}

func randomToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// get returns the live session named by r's cookie, extending its life.
func (st *sessions) get(r *http.Request) *session {
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return nil
	}
	st.mu.Lock()
	s := st.m[c.Value]
	st.mu.Unlock()
	if s == nil {
		return nil
	}
	now := st.now()
	s.mu.Lock()
	expired := now.After(s.expires)
	if !expired {
		s.expires = now.Add(st.ttl)
	}
	s.mu.Unlock()
	if expired {
		// Locks are taken store first, then session: never the other
		// way round.
		st.delete(s.id)
		return nil
	}
	return s
}

// create starts a session, carrying over the cart of old if not nil, and
// deletes old: signing in and out change the session id, so that an id
// planted before sign-in is worthless after.
func (st *sessions) create(old *session) *session {
	now := st.now()
	s := &session{id: randomToken(), csrf: randomToken(), expires: now.Add(st.ttl)}
	if old != nil {
		s.cart = old.cartItems()
		st.delete(old.id)
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	if now.Sub(st.lastSweep) > time.Minute || len(st.m) >= st.max {
		st.sweepLocked(now)
	}
	for len(st.m) >= st.max {
		// Still full of live sessions: drop the one closest to expiry.
		var victim *session
		for _, v := range st.m {
			if victim == nil || v.expiresAt().Before(victim.expiresAt()) {
				victim = v
			}
		}
		delete(st.m, victim.id)
	}
	st.m[s.id] = s
	return s
}

func (s *session) expiresAt() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.expires
}

func (st *sessions) sweepLocked(now time.Time) {
	st.lastSweep = now
	for id, s := range st.m {
		if now.After(s.expiresAt()) {
			delete(st.m, id)
		}
	}
}

func (st *sessions) delete(id string) {
	st.mu.Lock()
	delete(st.m, id)
	st.mu.Unlock()
}

func (st *sessions) len() int {
	st.mu.Lock()
	defer st.mu.Unlock()
	return len(st.m)
}

type sessionKey struct{}

func withSession(ctx context.Context, s *session) context.Context {
	return context.WithValue(ctx, sessionKey{}, s)
}

func sessionFrom(ctx context.Context) *session {
	s, _ := ctx.Value(sessionKey{}).(*session)
	return s
}
