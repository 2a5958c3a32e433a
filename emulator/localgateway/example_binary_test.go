package localgateway_test

import (
	"fmt"
	"net/http"

	"github.com/faasport/faasport/adapter"
	"github.com/faasport/faasport/emulator/localgateway"
	"github.com/faasport/faasport/faas"
)

// A REST API sends the image a function serves as bytes only to clients
// whose Accept header starts with one of its binary media types, and as
// base64 text to others, as on AWS. "*/*" covers browsers, which start
// their Accept headers with text/html.
func ExampleConfig_binaryMediaTypes() {
	lam := newLambdaForExample()
	defer lam.Close()
	png := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/png")
		w.Write([]byte("\x89PNG\r\n\x1a\n")) // the adapter sends it base64-encoded
	})
	_ = lam.Register(faas.Config{Name: "logo"}, adapter.Wrap(png))
	for _, types := range [][]string{{"image/png"}, {"*/*"}} {
		g, err := localgateway.New(localgateway.Config{
			Kind:             localgateway.RESTAPI,
			BinaryMediaTypes: types,
			Routes:           []localgateway.Route{{Key: "GET /logo.png", Integration: localgateway.Lambda{Function: "logo"}}},
			Invoker:          lam,
			Logger:           discardLogger(),
		})
		if err != nil {
			fmt.Println(err)
			return
		}
		srv := newServerForExample(g)
		for _, accept := range []string{"image/png", "text/html,image/avif,*/*;q=0.8"} {
			req, _ := http.NewRequest(http.MethodGet, srv.URL+"/prod/logo.png", nil)
			req.Header.Set("Accept", accept)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				fmt.Println(err)
				return
			}
			fmt.Printf("types %s, Accept %s: %q\n", types, accept, readAll(resp.Body))
			resp.Body.Close()
		}
		srv.Close()
	}
	// Output:
	// types [image/png], Accept image/png: "\x89PNG\r\n\x1a\n"
	// types [image/png], Accept text/html,image/avif,*/*;q=0.8: "iVBORw0KGgo="
	// types [*/*], Accept image/png: "\x89PNG\r\n\x1a\n"
	// types [*/*], Accept text/html,image/avif,*/*;q=0.8: "\x89PNG\r\n\x1a\n"
}
