package adapter

import (
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/gorilla/mux"
)

// Routes returns a handler that serves only the named routes of router, so
// that one monolith's router becomes several functions without a change to
// its code: each function wraps Routes(router, "its", "routes").
//
// A request that matches another route, or none, is answered as a gateway
// with no such route answers: 404 with {"message":"Not Found"}. Matched
// requests go through router.ServeHTTP, with its middleware and path
// variables, exactly as in the monolith.
//
// Routes reports an error naming any route the router does not have.
func Routes(router *mux.Router, names ...string) (http.Handler, error) {
	if len(names) == 0 {
		return nil, fmt.Errorf("adapter: Routes needs at least one route name")
	}
	allowed := make(map[string]bool, len(names))
	var missing []string
	for _, n := range names {
		if router.Get(n) == nil {
			missing = append(missing, n)
		}
		allowed[n] = true
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("adapter: the router has no route named %s (it has %s)",
			strings.Join(quoteAll(missing), ", "), strings.Join(quoteAll(RouteNames(router)), ", "))
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var m mux.RouteMatch
		if router.Match(r, &m) && m.MatchErr == nil && m.Route != nil && allowed[m.Route.GetName()] {
			router.ServeHTTP(w, r)
			return
		}
		NotFound(w, r)
	}), nil
}

// NotFound answers as an API Gateway HTTP API with no matching route:
// 404 with the body {"message":"Not Found"}.
func NotFound(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusNotFound)
	_, _ = w.Write([]byte(`{"message":"Not Found"}`))
}

// RouteNames returns the names of router's named routes, sorted.
func RouteNames(router *mux.Router) []string {
	var names []string
	_ = router.Walk(func(rt *mux.Route, _ *mux.Router, _ []*mux.Route) error {
		if n := rt.GetName(); n != "" {
			names = append(names, n)
		}
		return nil
	})
	slices.Sort(names)
	return slices.Compact(names)
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = fmt.Sprintf("%q", s)
	}
	return out
}
