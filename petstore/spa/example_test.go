package spa_test

import (
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"

	"github.com/faasport/faasport/petstore/spa"
)

// Serve the app next to an emulator: the configuration names the
// emulator's AWS endpoint, the API gateway and the pools.
func ExampleHandler() {
	srv := httptest.NewServer(spa.Handler(spa.Config{
		Region:         "us-east-1",
		AWSEndpoint:    "http://127.0.0.1:4566",
		APIURL:         "http://127.0.0.1:3000",
		UserPoolID:     "us-east-1_PetStore1",
		ClientID:       "petstorespaclient000000001",
		IdentityPoolID: "us-east-1:00000000-0000-4000-8000-000000000001",
	}))
	defer srv.Close()

	res, err := http.Get(srv.URL + "/config.json")
	if err != nil {
		panic(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	fmt.Println(res.Header.Get("Cache-Control"))
	fmt.Print(string(body))
	// Output:
	// no-store
	// {
	//   "region": "us-east-1",
	//   "awsEndpoint": "http://127.0.0.1:4566",
	//   "apiURL": "http://127.0.0.1:3000",
	//   "userPoolId": "us-east-1_PetStore1",
	//   "clientId": "petstorespaclient000000001",
	//   "identityPoolId": "us-east-1:00000000-0000-4000-8000-000000000001",
	//   "productsTable": "Products",
	//   "ordersTable": "Orders"
	// }
}

// FS is the site itself, for hosts that serve static files their own way.
func ExampleFS() {
	files, err := fs.Glob(spa.FS, "*")
	if err != nil {
		panic(err)
	}
	fmt.Println(files)
	// Output:
	// [app.js aws.js index.html logo.svg sigv4.js style.css]
}
