package adapter_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/gorilla/mux"

	"github.com/faasport/faasport/adapter"
)

// newMonolithRouter returns a monolith's router: named routes with path
// variables, an unnamed route, a subrouter under a PathPrefix, and
// middleware on both routers. Each handler answers with its route's name
// and variables.
func newMonolithRouter() *mux.Router {
	show := func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "%s %v", mux.CurrentRoute(r).GetName(), mux.Vars(r))
	}
	r := mux.NewRouter()
	r.Use(setHeaderMiddleware("X-Middleware", "root"))
	r.HandleFunc("/pets", show).Methods(http.MethodGet).Name("listPets")
	r.HandleFunc("/pets", show).Methods(http.MethodPost).Name("createPet")
	r.HandleFunc("/pets/{id:[0-9]+}", show).Methods(http.MethodGet).Name("getPet")
	r.HandleFunc("/health", show) // unnamed

	admin := r.PathPrefix("/admin").Subrouter()
	admin.Use(setHeaderMiddleware("X-Admin-Middleware", "admin"))
	admin.HandleFunc("/users/{user}", show).Methods(http.MethodGet).Name("getUser")
	admin.HandleFunc("/stats", show).Name("stats")
	return r
}

func setHeaderMiddleware(k, v string) mux.MiddlewareFunc {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set(k, v)
			next.ServeHTTP(w, r)
		})
	}
}

func TestRoutes(t *testing.T) {
	h, err := adapter.Routes(newMonolithRouter(), "getPet", "getUser")
	if err != nil {
		t.Fatalf("Routes: %v", err)
	}
	notFound := routeResponse{
		Status: http.StatusNotFound,
		Header: http.Header{"Content-Type": {"application/json"}},
		Body:   `{"message":"Not Found"}`,
	}
	tests := []struct {
		name   string
		method string
		target string
		want   routeResponse
	}{
		{
			name: "selected route with a path variable", method: http.MethodGet, target: "/pets/7",
			want: routeResponse{
				Status: http.StatusOK,
				Header: http.Header{"X-Middleware": {"root"}, "Content-Type": {"text/plain; charset=utf-8"}},
				Body:   "getPet map[id:7]",
			},
		},
		{
			name: "selected route of a subrouter", method: http.MethodGet, target: "/admin/users/ann",
			want: routeResponse{
				Status: http.StatusOK,
				Header: http.Header{
					"X-Middleware": {"root"}, "X-Admin-Middleware": {"admin"},
					"Content-Type": {"text/plain; charset=utf-8"},
				},
				Body: "getUser map[user:ann]",
			},
		},
		{name: "another named route", method: http.MethodGet, target: "/pets", want: notFound},
		{name: "another named route on the same path", method: http.MethodPost, target: "/pets", want: notFound},
		{name: "another named route of the subrouter", method: http.MethodGet, target: "/admin/stats", want: notFound},
		{name: "an unnamed route", method: http.MethodGet, target: "/health", want: notFound},
		{name: "a method the route does not take", method: http.MethodDelete, target: "/pets/7", want: notFound},
		{name: "a variable its pattern refuses", method: http.MethodGet, target: "/pets/rex", want: notFound},
		{name: "an unknown path", method: http.MethodGet, target: "/nowhere", want: notFound},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(tc.method, tc.target, nil))
			got := routeResponse{Status: rec.Code, Header: rec.Header(), Body: rec.Body.String()}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%s %s mismatch (-want +got):\n%s", tc.method, tc.target, diff)
			}
		})
	}
}

// routeResponse is an HTTP response as the routes tests compare it.
type routeResponse struct {
	Status int
	Header http.Header
	Body   string
}

// TestRoutesFunction serves selected routes as a function would: through
// the adapter, from a gateway's event.
func TestRoutesFunction(t *testing.T) {
	h, err := adapter.Routes(newMonolithRouter(), "getUser")
	if err != nil {
		t.Fatal(err)
	}
	fn := adapter.Wrap(h)
	tests := []struct {
		target string
		want   routeResponse
	}{
		{
			target: "/admin/users/b%C3%B8b",
			want: routeResponse{
				Status: http.StatusOK,
				Header: http.Header{
					"X-Middleware": {"root"}, "X-Admin-Middleware": {"admin"},
					"Content-Type": {"text/plain; charset=utf-8"},
				},
				Body: "getUser map[user:bøb]",
			},
		},
		{
			target: "/pets/7",
			want: routeResponse{
				Status: http.StatusNotFound,
				Header: http.Header{"Content-Type": {"application/json"}},
				Body:   `{"message":"Not Found"}`,
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.target, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, tc.target, nil)
			payload, err := adapter.NewEvent(r, &adapter.GatewayRequest{Format: adapter.FormatHTTPAPIV2})
			if err != nil {
				t.Fatal(err)
			}
			out, err := fn.Invoke(t.Context(), payload)
			if err != nil {
				t.Fatal(err)
			}
			resp, err := adapter.DecodeResponse(adapter.FormatHTTPAPIV2, out)
			if err != nil {
				t.Fatal(err)
			}
			got := routeResponse{Status: resp.StatusCode, Header: resp.Header, Body: string(resp.Body)}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("GET %s mismatch (-want +got):\n%s", tc.target, diff)
			}
		})
	}
}

func TestRoutesErrors(t *testing.T) {
	tests := []struct {
		name      string
		names     []string
		wantInErr []string // each must appear in the error
	}{
		{
			name:      "unknown names",
			names:     []string{"getPet", "deletePet", "getOrder"},
			wantInErr: []string{`"deletePet"`, `"getOrder"`, `"getPet"`, `"stats"`},
		},
		{
			name:      "a path is not a name",
			names:     []string{"/pets"},
			wantInErr: []string{`"/pets"`},
		},
		{
			name:      "no names",
			wantInErr: []string{"at least one"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h, err := adapter.Routes(newMonolithRouter(), tc.names...)
			if err == nil {
				t.Fatalf("Routes(%q) = %v, nil; want an error", tc.names, h)
			}
			if h != nil {
				t.Errorf("Routes(%q) returned a handler with its error", tc.names)
			}
			for _, s := range tc.wantInErr {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("Routes(%q) error %q does not mention %s", tc.names, err, s)
				}
			}
		})
	}
}

func TestRouteNames(t *testing.T) {
	tests := []struct {
		name   string
		router *mux.Router
		want   []string
	}{
		{
			name:   "sorted, subrouters included, unnamed left out",
			router: newMonolithRouter(),
			want:   []string{"createPet", "getPet", "getUser", "listPets", "stats"},
		},
		{
			name:   "no routes",
			router: mux.NewRouter(),
			want:   nil,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, adapter.RouteNames(tc.router)); diff != "" {
				t.Errorf("RouteNames mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestNotFound(t *testing.T) {
	rec := httptest.NewRecorder()
	adapter.NotFound(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	body, _ := io.ReadAll(rec.Result().Body)
	got := routeResponse{Status: rec.Code, Header: rec.Header(), Body: string(body)}
	want := routeResponse{
		Status: http.StatusNotFound,
		Header: http.Header{"Content-Type": {"application/json"}},
		Body:   `{"message":"Not Found"}`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("NotFound mismatch (-want +got):\n%s", diff)
	}
}
