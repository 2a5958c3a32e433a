package parity_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/faasport/faasport/faas"
	"github.com/faasport/faasport/petstore/parity"
)

// store is a tiny domain for testing the harness: a key-value store.
type store interface {
	Put(ctx context.Context, k, v string) error
	Get(ctx context.Context, k string) (string, error)
}

// memStore is the reference deployment.
type memStore struct {
	mu sync.Mutex
	m  map[string]string
}

func (s *memStore) Put(_ context.Context, k, v string) error {
	if k == "" {
		return faas.Errorf(faas.Invalid, "empty key")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m == nil {
		s.m = map[string]string{}
	}
	s.m[k] = v
	return nil
}

func (s *memStore) Get(_ context.Context, k string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.m[k]
	if !ok {
		return "", faas.Errorf(faas.NotFound, "no key %q", k)
	}
	return v, nil
}

// portedStore is a port with two bugs: it upper-cases values, and a
// missing key is a plain error (Internal) instead of NotFound.
type portedStore struct{ memStore }

func (s *portedStore) Put(ctx context.Context, k, v string) error {
	return s.memStore.Put(ctx, k, strings.ToUpper(v))
}

func (s *portedStore) Get(ctx context.Context, k string) (string, error) {
	v, err := s.memStore.Get(ctx, k)
	if err != nil {
		return "", errors.New("lookup failed")
	}
	return v, nil
}

func put(k, v string) parity.Step[store] {
	return parity.Step[store]{Name: "put " + k, Do: func(ctx context.Context, d store, _ *parity.State) (any, error) {
		return nil, d.Put(ctx, k, v)
	}, Want: parity.Succeeds()}
}

func get(k string, want parity.Want) parity.Step[store] {
	return parity.Step[store]{Name: "get " + k, Do: func(ctx context.Context, d store, _ *parity.State) (any, error) {
		return d.Get(ctx, k)
	}, Want: want}
}

var scenarios = []parity.Scenario[store]{
	{Name: "round trip", Steps: []parity.Step[store]{put("a", "apple"), get("a", nil)}},
	{Name: "missing", Steps: []parity.Step[store]{get("nothing", parity.Fails(faas.NotFound))}},
	{Name: "invalid", Steps: []parity.Step[store]{{Name: "put empty key", Do: func(ctx context.Context, d store, _ *parity.State) (any, error) {
		return nil, d.Put(ctx, "", "x")
	}, Want: parity.Fails(faas.Invalid)}}},
}

func TestPlayFindsDifferences(t *testing.T) {
	outcomes, err := parity.Play(context.Background(), map[string]store{"mem": &memStore{}, "ported": &portedStore{}}, scenarios, nil)
	if err != nil {
		t.Fatal(err)
	}
	type diff struct {
		step  string
		diffs int
	}
	var got []diff
	for _, o := range outcomes {
		got = append(got, diff{o.Scenario + "/" + o.StepName, len(o.Diffs)})
	}
	want := []diff{
		{"round trip/put a", 0},
		{"round trip/get a", 1},    // APPLE vs apple
		{"missing/get nothing", 2}, // internal vs not_found, and the Want
		{"invalid/put empty key", 0},
	}
	if d := cmp.Diff(want, got, cmp.AllowUnexported(diff{})); d != "" {
		t.Errorf("diffs per step (-want +got):\n%s", d)
	}
	// The reference is the first deployment by name: "mem" < "ported".
	if d := outcomes[1].Diffs[0]; !strings.Contains(d, "mem and ported differ") || !strings.Contains(d, `"APPLE"`) {
		t.Errorf("diff of get a = %q, want mem against ported, naming APPLE", d)
	}
	if r := outcomes[2].Results["ported"]; r.Kind != "internal" || r.Detail != "lookup failed" {
		t.Errorf("ported get nothing = %+v, want internal: lookup failed", r)
	}
}

func TestRunAgreeingDeployments(t *testing.T) {
	parity.Run(t, map[string]store{"one": &memStore{}, "two": &memStore{}}, scenarios, nil)
}

func TestResultOf(t *testing.T) {
	tests := []struct {
		name string
		v    any
		err  error
		want parity.Result
	}{
		{"value", 3, nil, parity.OK(3)},
		{"kind", nil, faas.Errorf(faas.Conflict, "sold out"), parity.Result{Kind: "conflict", Detail: "sold out"}},
		{"plain error", "ignored", errors.New("boom"), parity.Result{Kind: "internal", Detail: "boom"}},
	}
	for _, tc := range tests {
		if got := parity.ResultOf(tc.v, tc.err); !cmp.Equal(got, tc.want) {
			t.Errorf("%s: ResultOf(%v, %v) = %+v, want %+v", tc.name, tc.v, tc.err, got, tc.want)
		}
	}
}

func TestWants(t *testing.T) {
	type page struct{ IDs []string }
	tests := []struct {
		name string
		want parity.Want
		got  parity.Result
		ok   bool
	}{
		{"is", parity.Is(page{IDs: []string{"a"}}), parity.OK(page{IDs: []string{"a"}}), true},
		{"is differs", parity.Is(page{IDs: []string{"a"}}), parity.OK(page{IDs: []string{"b"}}), false},
		{"is ignores detail", parity.Equals(parity.Failed(faas.NotFound)), parity.Result{Kind: "not_found", Detail: "no"}, true},
		{"succeeds", parity.Succeeds(), parity.OK(nil), true},
		{"succeeds on error", parity.Succeeds(), parity.Failed(faas.Internal), false},
		{"fails", parity.Fails(faas.Forbidden), parity.Failed(faas.Forbidden), true},
		{"fails with another kind", parity.Fails(faas.Forbidden), parity.Failed(faas.Unauthenticated), false},
		{"fails but succeeded", parity.Fails(faas.Forbidden), parity.OK(1), false},
		{"satisfies", parity.Satisfies("two ids", func(p page) bool { return len(p.IDs) == 2 }), parity.OK(page{IDs: []string{"a", "b"}}), true},
		{"satisfies not", parity.Satisfies("two ids", func(p page) bool { return len(p.IDs) == 2 }), parity.OK(page{}), false},
		{"satisfies wrong type", parity.Satisfies("two ids", func(p page) bool { return true }), parity.OK(3), false},
	}
	for _, tc := range tests {
		d := tc.want(tc.got, cmp.AllowUnexported(page{}))
		if (d == "") != tc.ok {
			t.Errorf("%s: want(%v) = %q, want ok=%v", tc.name, tc.got, d, tc.ok)
		}
	}
}

func TestStateName(t *testing.T) {
	st := &parity.State{Scenario: 3}
	if got := st.Name("alice"); got != "alice-s3" {
		t.Errorf("Name(alice) = %q, want alice-s3", got)
	}
	st.Set("k", 1)
	if st.Get("k") != 1 || st.Get("other") != nil {
		t.Errorf("Get after Set = %v, %v; want 1, nil", st.Get("k"), st.Get("other"))
	}
}
