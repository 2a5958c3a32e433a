package monolith

import (
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/faasport/faasport/petstore"
)

type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func lookup(st *sessions, id string) *session {
	r := httptest.NewRequest("GET", "/", nil)
	r.Header.Set("Cookie", sessionCookie+"="+id)
	return st.get(r)
}

func TestSessions(t *testing.T) {
	clk := &fakeClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	st := newSessions(time.Hour, 3, clk.now)
	a := st.create(nil)
	if a.id == a.csrf || len(a.id) != 43 {
		t.Errorf("session id %q, csrf %q", a.id, a.csrf)
	}
	if lookup(st, a.id) != a {
		t.Fatalf("get did not find the session")
	}
	if lookup(st, "forged") != nil || lookup(st, "") != nil {
		t.Errorf("get found a session for an unknown id")
	}
	// Use keeps a session alive; idleness ends it.
	clk.advance(50 * time.Minute)
	if lookup(st, a.id) == nil {
		t.Fatalf("session expired while in use")
	}
	clk.advance(50 * time.Minute)
	if lookup(st, a.id) == nil {
		t.Fatalf("session expired 50 minutes after its last use")
	}
	clk.advance(61 * time.Minute)
	if lookup(st, a.id) != nil {
		t.Errorf("session alive after an idle hour")
	}
	if st.len() != 0 {
		t.Errorf("expired session still stored")
	}

	// Rotation keeps the cart and kills the old id.
	b := st.create(nil)
	b.setCart([]petstore.LineItem{{ProductID: "x", Quantity: 2}})
	c := st.create(b)
	if lookup(st, b.id) != nil || c.id == b.id || c.csrf == b.csrf {
		t.Errorf("rotation left the old session usable")
	}
	if got := c.cartCount(); got != 2 {
		t.Errorf("rotated cart has %d items, want 2", got)
	}

	// The store is capped.
	for range 5 {
		clk.advance(time.Second)
		st.create(nil)
	}
	if st.len() != 3 {
		t.Errorf("store holds %d sessions, want its cap of 3", st.len())
	}

	if !c.checkCSRF(c.csrf) || c.checkCSRF("") || c.checkCSRF(c.csrf+"x") || c.checkCSRF(b.csrf) {
		t.Errorf("checkCSRF is wrong")
	}
}

func TestLocalPath(t *testing.T) {
	for in, want := range map[string]string{
		"/orders":              "/orders",
		"/search?q=cat":        "/search?q=cat",
		"":                     "/",
		"//evil.example":       "/",
		"/\\evil.example":      "/",
		"https://evil.example": "/",
		"orders":               "/",
		"javascript:alert(1)":  "/",
	} {
		if got := localPath(in); got != want {
			t.Errorf("localPath(%q) = %q, want %q", in, got, want)
		}
	}
}
