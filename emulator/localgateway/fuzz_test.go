package localgateway_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/faasport/faasport/emulator/localgateway"
)

// FuzzRequestPath sends arbitrary paths and methods through a gateway:
// it never panics and answers only with statuses the gateway may give.
func FuzzRequestPath(f *testing.F) {
	for _, s := range []string{"/", "/pets/1", "/v1/pets/1/toys", "/pets//x", "/%2F", "/v1", "/v1/", "/a/b/c/d", "/pets/%00"} {
		f.Add("GET", s)
		f.Add("POST", s)
	}
	ok := localgateway.Lambda{Function: "f"}
	inv := invokerFunc(func(string, []byte) ([]byte, error) { return []byte(`{"statusCode":200,"body":"ok"}`), nil })
	g, err := localgateway.New(localgateway.Config{
		Invoker: inv, Logger: discardLogger(),
		Stages: []localgateway.Stage{{Name: "$default"}, {Name: "v1"}},
		Routes: []localgateway.Route{
			{Key: "GET /pets/{id}", Integration: ok}, {Key: "ANY /pets/{id}/{rest+}", Integration: ok},
			{Key: "POST /pets", Integration: ok}, {Key: "GET /{proxy+}", Integration: ok},
		},
	})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, method, path string) {
		if !strings.HasPrefix(path, "/") || strings.ContainsAny(path, " \r\n#?") || method == "" || strings.ContainsAny(method, " \r\n/") {
			return
		}
		req, err := http.NewRequest(method, "http://gw.local"+path, nil)
		if err != nil {
			return
		}
		w := httptest.NewRecorder()
		g.ServeHTTP(w, req)
		switch w.Code {
		case 200, 404, 500:
		default:
			t.Fatalf("%s %s = %d %s", method, path, w.Code, w.Body)
		}
		if w.Header().Get("Apigw-Requestid") == "" {
			t.Fatalf("%s %s: no apigw-requestid", method, path)
		}
	})
}
