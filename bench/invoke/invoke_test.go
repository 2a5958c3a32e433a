package invoke

import (
	"bytes"
	"context"
	"embed"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/awslabs/aws-lambda-go-api-proxy/httpadapter"
	"github.com/gorilla/mux"

	"github.com/faasport/faasport/adapter"
)

// The sample events are aws-lambda-go's own (events/testdata), unchanged;
// each case sets the method, path and body on a copy.
//
//go:embed testdata/*.json
var testdata embed.FS

// Case is one benchmark case: an event of one format carrying one kind of
// request, and the request the floor serves directly.
type Case struct {
	Name       string // format/payload, as in the benchmark names
	V2         bool   // HTTP API payload 2.0, else REST API (payload 1.0)
	Payload    []byte // the event's JSON, as the Lambda runtime hands it over
	WantStatus int    // the handler's status
	WantBinary bool   // the response body travels base64-encoded

	method, target string
	header         http.Header
	body           []byte
}

// request is one kind of request served by the router.
type request struct {
	name        string
	method      string
	path        string
	body        []byte
	contentType string
	status      int // the handler's answer
	binary      bool
}

var (
	// pet is what GET /pets/{id} answers, ~100 bytes of JSON.
	pet = Pet{ID: "42", Name: "Rex", Species: "dog", Age: 3, Tags: []string{"good", "boy"}, Owner: "alice@example.com"}
	// bigJSON is the 64 KiB JSON body POSTed to /pets.
	bigJSON = makeBigJSON(64 << 10)
	// pngImage is the ~20 KiB PNG served by GET /images/{name}.
	pngImage = makePNG()
)

var requests = []request{
	{name: "small-json", method: http.MethodGet, path: "/pets/42", status: http.StatusOK},
	{name: "json-64k", method: http.MethodPost, path: "/pets", body: bigJSON, contentType: "application/json", status: http.StatusCreated},
	{name: "png", method: http.MethodGet, path: "/images/rex.png", status: http.StatusOK, binary: true},
}

// Pet is the small JSON object of the small-json case.
type Pet struct {
	ID      string   `json:"id"`
	Name    string   `json:"name"`
	Species string   `json:"species"`
	Age     int      `json:"age"`
	Tags    []string `json:"tags"`
	Owner   string   `json:"owner"`
}

// newRouter returns the gorilla/mux router every implementation serves:
// one route per kind of request.
func newRouter() *mux.Router {
	r := mux.NewRouter()
	r.HandleFunc("/pets/{id}", func(w http.ResponseWriter, r *http.Request) {
		p := pet
		p.ID = mux.Vars(r)["id"]
		b, err := json.Marshal(p)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(b)
	}).Methods(http.MethodGet)
	r.HandleFunc("/pets", func(w http.ResponseWriter, r *http.Request) {
		// Validate the batch and echo it back with a count, as an import
		// endpoint might.
		b, err := io.ReadAll(r.Body)
		if err != nil || !json.Valid(b) {
			http.Error(w, "bad JSON", http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		io.WriteString(w, `{"received":`+strconv.Itoa(len(b))+`,"pets":`)
		w.Write(b)
		io.WriteString(w, "}")
	}).Methods(http.MethodPost)
	r.HandleFunc("/images/{name}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/png")
		w.Header().Set("Cache-Control", "max-age=3600")
		w.Write(pngImage)
	}).Methods(http.MethodGet)
	return r
}

// makeBigJSON returns a JSON array of pets at least n bytes long.
func makeBigJSON(n int) []byte {
	var b bytes.Buffer
	b.WriteByte('[')
	for i := 0; b.Len() < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		p := pet
		p.ID = strconv.Itoa(i)
		p.Name = fmt.Sprintf("Pet \"%d\" <the %s>", i, []string{"brave", "calm", "curious"}[i%3])
		e, _ := json.Marshal(p)
		b.Write(e)
	}
	b.WriteByte(']')
	return b.Bytes()
}

// makePNG returns a ~20 KiB PNG: noise barely compresses, so the size is
// that of the pixels.
func makePNG() []byte {
	rng := rand.New(rand.NewPCG(1, 2))
	img := image.NewNRGBA(image.Rect(0, 0, 96, 72))
	for y := range 72 {
		for x := range 96 {
			v := rng.Uint32()
			img.SetNRGBA(x, y, color.NRGBA{uint8(v), uint8(v >> 8), uint8(v >> 16), 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// cases returns every benchmark case, in benchmark order.
func cases(tb testing.TB) []*Case {
	tb.Helper()
	var out []*Case
	for _, v2 := range []bool{false, true} {
		for _, rq := range requests {
			c, err := newCase(v2, rq)
			if err != nil {
				tb.Fatal(err)
			}
			out = append(out, c)
		}
	}
	return out
}

func newCase(v2 bool, rq request) (*Case, error) {
	file, format := "testdata/apigw-request.json", "v1"
	if v2 {
		file, format = "testdata/apigw-v2-request-no-authorizer.json", "v2"
	}
	raw, err := testdata.ReadFile(file)
	if err != nil {
		return nil, err
	}
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	var e map[string]any
	if err := d.Decode(&e); err != nil {
		return nil, err
	}
	rc := e["requestContext"].(map[string]any)
	c := &Case{Name: format + "/" + rq.name, V2: v2, WantStatus: rq.status, WantBinary: rq.binary, method: rq.method, body: rq.body}
	var hdrs map[string]any
	if v2 {
		e["rawPath"] = rq.path
		e["routeKey"] = rq.method + " " + rq.path
		rc["routeKey"] = e["routeKey"]
		h := rc["http"].(map[string]any)
		h["method"], h["path"] = rq.method, rq.path
		hdrs = e["headers"].(map[string]any)
		hdrs["content-length"] = strconv.Itoa(len(rq.body))
		if rq.body != nil {
			e["body"] = string(rq.body)
		}
		c.target = rq.path
	} else {
		e["httpMethod"], e["path"] = rq.method, rq.path
		e["pathParameters"] = map[string]any{"proxy": rq.path[1:]}
		rc["httpMethod"] = rq.method
		rc["path"] = "/" + rc["stage"].(string) + rq.path
		e["body"] = nil // as API Gateway sends a request without a body
		if rq.body != nil {
			e["body"] = string(rq.body)
		}
		hdrs = e["headers"].(map[string]any)
		c.target = rq.path + "?name=me"
	}
	// The sample events are POSTs of JSON; a GET carries no Content-Type.
	for _, m := range []map[string]any{hdrs, mapOrNil(e["multiValueHeaders"])} {
		for k := range m {
			if strings.EqualFold(k, "Content-Type") {
				delete(m, k)
			}
		}
	}
	if rq.contentType != "" {
		if v2 {
			hdrs["content-type"] = rq.contentType
		} else {
			hdrs["Content-Type"] = rq.contentType
			e["multiValueHeaders"].(map[string]any)["Content-Type"] = []any{rq.contentType}
		}
	}
	c.header = http.Header{}
	for k, v := range hdrs {
		c.header.Add(k, v.(string))
	}
	if c.Payload, err = json.Marshal(e); err != nil {
		return nil, err
	}
	return c, nil
}

func mapOrNil(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

// ctx is the context the Lambda runtime hands a function, less the
// per-invocation deadline, which costs every implementation the same.
var ctx = lambdacontext.NewContext(context.Background(), &lambdacontext.LambdaContext{
	AwsRequestID:       "c6af9ac6-7b61-11e6-9a41-93e812345678",
	InvokedFunctionArn: "arn:aws:lambda:us-east-1:123456789012:function:petstore",
})

// Result is what the implementations must agree on.
type Result struct {
	Status      int
	ContentType string
	Binary      bool
	Body        string // decoded from base64 when Binary
}

// floor serves one prebuilt request again and again with a reused
// minimal recorder: the cost of the router and handler alone, with no
// request built per call (floor-reuse in the benchmarks).
type floor struct {
	h    http.Handler
	req  *http.Request
	body bytes.Reader
	w    recorder
}

func newFloor(h http.Handler, c *Case) *floor {
	f := &floor{h: h}
	req, err := http.NewRequestWithContext(ctx, c.method, "https://example.com"+c.target, io.NopCloser(&f.body))
	if err != nil {
		panic(err)
	}
	req.Header = c.header
	req.ContentLength = int64(len(c.body))
	req.RequestURI = c.target
	f.req = req
	f.w.header = http.Header{}
	return f
}

func (f *floor) serve(c *Case) {
	f.body.Reset(c.body)
	f.w.reset()
	f.h.ServeHTTP(&f.w, f.req)
}

func (f *floor) result() Result {
	return Result{Status: f.w.status, ContentType: f.w.header.Get("Content-Type"), Body: f.w.body.String()}
}

// floorAdapt is the floor: direct ServeHTTP on a request built
// from the case's prebuilt parts (method, target, headers and body, with
// no event to decode), "building the request and recording the
// response" on every call, as any adapter must. It builds the request
// with http.NewRequestWithContext and records into a new minimal
// recorder; the body is left unencoded. newFloor's reuse variant, which
// builds one request before the loop and serves it again and again, is
// measured beside it as floor-reuse.
func floorAdapt(h http.Handler, c *Case) adapt {
	var w *recorder
	return adapt{
		run: func() error {
			var body io.Reader = http.NoBody
			if len(c.body) > 0 {
				body = bytes.NewReader(c.body)
			}
			req, err := http.NewRequestWithContext(ctx, c.method, "https://example.com"+c.target, body)
			if err != nil {
				return err
			}
			req.Header = c.header.Clone()
			req.RequestURI = c.target
			w = &recorder{header: http.Header{}}
			h.ServeHTTP(w, req)
			return nil
		},
		result: func() (Result, error) {
			return Result{Status: w.status, ContentType: w.header.Get("Content-Type"), Binary: c.WantBinary, Body: w.body.String()}, nil
		},
	}
}

// recorder is a minimal http.ResponseWriter, reused across iterations.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (w *recorder) Header() http.Header { return w.header }

func (w *recorder) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
}

func (w *recorder) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.body.Write(p)
}

func (w *recorder) reset() {
	clear(w.header)
	w.status = 0
	w.body.Reset()
}

// apiproxyHandler runs httpadapter as the Lambda runtime runs a typed
// handler: lambda.NewHandler decodes the event and encodes the response
// with encoding/json.
func apiproxyHandler(router http.Handler, v2 bool) lambda.Handler {
	if v2 {
		a := httpadapter.NewV2(router)
		return lambda.NewHandler(func(ctx context.Context, e events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
			return a.ProxyWithContext(ctx, e)
		})
	}
	a := httpadapter.New(router)
	return lambda.NewHandler(func(ctx context.Context, e events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
		return a.ProxyWithContext(ctx, e)
	})
}

// An adapt serves a decoded event with one adapter: the adapter step
// alone, as BenchmarkAdapt measures it.
type adapt struct {
	run    func() error           // serves the event, keeping the response struct
	result func() (Result, error) // decodes the response kept by the last run
}

func apiproxyAdapt(router http.Handler, c *Case) adapt {
	if c.V2 {
		a, e := httpadapter.NewV2(router), decodeV2(c)
		var out events.APIGatewayV2HTTPResponse
		return adapt{
			run: func() (err error) { out, err = a.ProxyWithContext(ctx, e); return err },
			result: func() (Result, error) {
				return resultOf(out.StatusCode, single(out.Headers), out.Body, out.IsBase64Encoded)
			},
		}
	}
	a, e := httpadapter.New(router), decodeV1(c)
	var out events.APIGatewayProxyResponse
	return adapt{
		run: func() (err error) { out, err = a.ProxyWithContext(ctx, e); return err },
		result: func() (Result, error) {
			return resultOf(out.StatusCode, out.MultiValueHeaders, out.Body, out.IsBase64Encoded)
		},
	}
}

func faasportAdapt(router http.Handler, c *Case) adapt {
	h := adapter.Wrap(router)
	if c.V2 {
		e := decodeV2(c)
		var out events.APIGatewayV2HTTPResponse
		return adapt{
			run: func() (err error) { out, err = h.ServeAPIGatewayV2HTTP(ctx, e); return err },
			result: func() (Result, error) {
				return resultOf(out.StatusCode, single(out.Headers), out.Body, out.IsBase64Encoded)
			},
		}
	}
	e := decodeV1(c)
	var out events.APIGatewayProxyResponse
	return adapt{
		run: func() (err error) { out, err = h.ServeAPIGatewayProxy(ctx, e); return err },
		result: func() (Result, error) {
			return resultOf(out.StatusCode, out.MultiValueHeaders, out.Body, out.IsBase64Encoded)
		},
	}
}

func decodeV1(c *Case) events.APIGatewayProxyRequest {
	var e events.APIGatewayProxyRequest
	if err := json.Unmarshal(c.Payload, &e); err != nil {
		panic(err)
	}
	return e
}

func decodeV2(c *Case) events.APIGatewayV2HTTPRequest {
	var e events.APIGatewayV2HTTPRequest
	if err := json.Unmarshal(c.Payload, &e); err != nil {
		panic(err)
	}
	return e
}

// single is the http.Header view of a single-value header map.
func single(m map[string]string) http.Header {
	if m == nil {
		return nil
	}
	h := make(http.Header, len(m))
	for k, v := range m {
		h[k] = []string{v}
	}
	return h
}

// resultOf decodes an adapter's response.
func resultOf(status int, header http.Header, body string, binary bool) (Result, error) {
	r := Result{Status: status, ContentType: header.Get("Content-Type"), Binary: binary, Body: body}
	if binary {
		b, err := base64.StdEncoding.DecodeString(body)
		if err != nil {
			return Result{}, err
		}
		r.Body = string(b)
	}
	return r, nil
}

// resultOfJSON decodes the JSON response of either format.
func resultOfJSON(payload []byte) (Result, error) {
	var r struct {
		StatusCode        int                 `json:"statusCode"`
		Headers           map[string]string   `json:"headers"`
		MultiValueHeaders map[string][]string `json:"multiValueHeaders"`
		Body              string              `json:"body"`
		IsBase64Encoded   bool                `json:"isBase64Encoded"`
	}
	if err := json.Unmarshal(payload, &r); err != nil {
		return Result{}, err
	}
	h := http.Header(r.MultiValueHeaders)
	if h == nil {
		h = single(r.Headers)
	}
	return resultOf(r.StatusCode, h, r.Body, r.IsBase64Encoded)
}
