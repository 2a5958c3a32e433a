package emulator_test

import (
	"fmt"
	"io"
	"net/http"

	"github.com/faasport/faasport/adapter"
	"github.com/faasport/faasport/emulator"
	"github.com/faasport/faasport/emulator/localgateway"
	"github.com/faasport/faasport/faas"
)

// Start the local cloud, register a handler as a function, and put an HTTP
// API in front of it.
func Example() {
	e, err := emulator.New(nil)
	if err != nil {
		panic(err)
	}
	defer e.Close()

	hello := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "hello from %s", r.URL.Path)
	})
	if err := e.Register(faas.Config{Name: "hello"}, adapter.Wrap(hello)); err != nil {
		panic(err)
	}
	api, err := e.NewAPI(localgateway.Config{Routes: []localgateway.Route{
		{Key: "GET /hello/{name}", Integration: localgateway.Lambda{Function: "hello"}},
	}})
	if err != nil {
		panic(err)
	}

	for _, path := range []string{"/hello/gopher", "/nowhere"} {
		resp, err := http.Get(api.URL + path)
		if err != nil {
			panic(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		fmt.Println(resp.StatusCode, string(b))
	}
	// Output:
	// 200 hello from /hello/gopher
	// 404 {"message":"Not Found"}
}
