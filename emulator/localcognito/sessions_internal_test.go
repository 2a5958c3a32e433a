package localcognito

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/go-cmp/cmp"
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

// Attributes a user stored before the service refused names outside the
// schema do not become claims of their ID token.
func TestLegacyAttributesAreNotClaims(t *testing.T) {
	s, err := Open("", &Options{
		Pools:      []PoolConfig{{ID: "us-east-1_Legacy1", Name: "legacy", AutoConfirm: true, Clients: []ClientConfig{{ID: "legacyclient", Name: "web"}}}},
		BcryptCost: 4,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	p, cl, err := s.lookupClient("legacyclient")
	if err != nil {
		t.Fatal(err)
	}
	email := "ana@example.org"
	if _, err := opSignUp(ctx, s, &call{body: []byte(`{"ClientId":"legacyclient","Username":"ana","Password":"Corr3ct-Horse!","UserAttributes":[{"Name":"email","Value":"` + email + `"}]}`)}); err != nil {
		t.Fatal(err)
	}
	u, err := s.getUser(ctx, p.ID, "ana")
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range map[string]string{"scope": "admin", "client_id": "other", "cognito:groups": "staff", "custom:team": "blue"} {
		u.Attrs[k] = v // as an earlier version let SignUp store them
	}
	if err := s.updateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	tok, err := s.mint(&session{pool: p, client: cl, user: u, authTime: s.clock.Now()})
	if err != nil {
		t.Fatal(err)
	}
	claims := jwt.MapClaims{}
	if _, _, err := jwt.NewParser().ParseUnverified(tok.ID, claims); err != nil {
		t.Fatal(err)
	}
	got := map[string]any{}
	for _, k := range []string{"scope", "client_id", "cognito:groups", "custom:team", "email"} {
		got[k] = claims[k]
	}
	want := map[string]any{"scope": nil, "client_id": nil, "cognito:groups": nil, "custom:team": "blue", "email": email}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ID token claims (-want +got):\n%s", diff)
	}
}
