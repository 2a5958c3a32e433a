package invoke

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/awslabs/aws-lambda-go-api-proxy/httpadapter"
	"github.com/google/go-cmp/cmp"

	"github.com/faasport/faasport/adapter"
)

// reportCPU reports the process's CPU time per iteration as cpu-ns/op
// when the function it returns is called after the loop. On a shared,
// busy machine wall-clock ns/op includes time spent waiting for a core;
// CPU time does not, so it is the steadier figure for comparing
// implementations. It counts every thread, so the garbage collector's
// background work is included, as it should be.
func reportCPU(b *testing.B) func() {
	start := cpuTime()
	return func() {
		if b.N > 0 && start > 0 {
			b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
		}
	}
}

// TestImplsAgree checks that every implementation answers each case alike,
// so that the benchmarks compare like with like, and that faasport's
// Invoke gives the same bytes directly and through lambda.NewHandler.
func TestImplsAgree(t *testing.T) {
	for _, c := range cases(t) {
		t.Run(c.Name, func(t *testing.T) {
			router := newRouter()
			fl := newFloor(router, c)
			fl.serve(c)
			want := fl.result()
			if want.Status != c.WantStatus || want.Body == "" {
				t.Fatalf("floor-reuse: status %d, %d-byte body; want status %d and a body", want.Status, len(want.Body), c.WantStatus)
			}
			want.Binary = c.WantBinary

			faasport := adapter.Wrap(router)
			direct, err := faasport.Invoke(ctx, c.Payload)
			if err != nil {
				t.Fatalf("faasport Invoke: %v", err)
			}
			viaLambda, err := lambda.NewHandler(faasport).Invoke(ctx, c.Payload)
			if err != nil {
				t.Fatalf("lambda.NewHandler(faasport).Invoke: %v", err)
			}
			if !bytes.Equal(direct, viaLambda) {
				t.Errorf("lambda.NewHandler(faasport).Invoke = %.200s, want Invoke's %.200s", viaLambda, direct)
			}
			// lambda.NewHandler's result aliases a pooled buffer: copy it.
			proxied, err := apiproxyHandler(router, c.V2).Invoke(ctx, c.Payload)
			if err != nil {
				t.Fatalf("apiproxy Invoke: %v", err)
			}
			proxied = bytes.Clone(proxied)

			got := map[string]Result{}
			for name, payload := range map[string][]byte{"Invoke/faasport": direct, "Invoke/apiproxy": proxied} {
				r, err := resultOfJSON(payload)
				if err != nil {
					t.Fatalf("%s: decoding %.200s: %v", name, payload, err)
				}
				got[name] = r
			}
			for name, a := range map[string]adapt{
				"Adapt/faasport": faasportAdapt(router, c),
				"Adapt/apiproxy": apiproxyAdapt(router, c),
				"Adapt/minimal":  minimalAdapt(router, c),
				"floor":          floorAdapt(router, c),
			} {
				if err := a.run(); err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				if got[name], err = a.result(); err != nil {
					t.Fatalf("%s: %v", name, err)
				}
			}
			for name, r := range got {
				if diff := cmp.Diff(want, r); diff != "" {
					t.Errorf("%s differs from floor-reuse (-want +got):\n%.2000s", name, diff)
				}
			}
		})
	}
}

// TestSizes checks that the payloads are the sizes the benchmark names
// promise.
func TestSizes(t *testing.T) {
	for _, c := range cases(t) {
		fl := newFloor(newRouter(), c)
		fl.serve(c)
		n := fl.w.body.Len()
		var lo, hi int
		switch {
		case strings.HasSuffix(c.Name, "/small-json"):
			lo, hi = 80, 140
		case strings.HasSuffix(c.Name, "/json-64k"):
			lo, hi = 64<<10, 66<<10
			if len(c.body) < 64<<10 || len(c.body) > 65<<10 {
				t.Errorf("%s: request body is %d bytes, want ~64 KiB", c.Name, len(c.body))
			}
		case strings.HasSuffix(c.Name, "/png"):
			lo, hi = 19<<10, 22<<10
		}
		if n < lo || n > hi {
			t.Errorf("%s: response body is %d bytes, want %d to %d", c.Name, n, lo, hi)
		}
	}
}

// BenchmarkInvoke measures a whole invocation: the event's JSON in, the
// response's JSON out, as the Lambda runtime calls a function.
func BenchmarkInvoke(b *testing.B) {
	for _, c := range cases(b) {
		router := newRouter()
		b.Run(c.Name+"/floor", func(b *testing.B) {
			benchAdapt(b, floorAdapt(router, c))
		})
		b.Run(c.Name+"/floor-reuse", func(b *testing.B) {
			benchFloor(b, router, c)
		})
		b.Run(c.Name+"/apiproxy", func(b *testing.B) {
			benchInvoke(b, apiproxyHandler(router, c.V2), c)
		})
		b.Run(c.Name+"/faasport", func(b *testing.B) {
			benchInvoke(b, adapter.Wrap(router), c)
		})
	}
}

// BenchmarkAdapt measures the adapter step alone: a decoded event struct
// in, a response struct out.
func BenchmarkAdapt(b *testing.B) {
	for _, c := range cases(b) {
		router := newRouter()
		b.Run(c.Name+"/floor", func(b *testing.B) {
			benchAdapt(b, floorAdapt(router, c))
		})
		b.Run(c.Name+"/floor-reuse", func(b *testing.B) {
			benchFloor(b, router, c)
		})
		b.Run(c.Name+"/apiproxy", func(b *testing.B) {
			benchAdapt(b, apiproxyAdapt(router, c))
		})
		b.Run(c.Name+"/faasport", func(b *testing.B) {
			benchAdapt(b, faasportAdapt(router, c))
		})
		b.Run(c.Name+"/minimal", func(b *testing.B) {
			benchAdapt(b, minimalAdapt(router, c))
		})
	}
}

// BenchmarkCodec measures, for reference, what lambda.NewHandler spends
// on a typed handler's JSON: encoding/json decoding the event into
// aws-lambda-go's type and encoding the response, as its reflection
// handler does (a json.Decoder, and a json.Encoder without HTML escaping
// into a reused buffer).
func BenchmarkCodec(b *testing.B) {
	for _, c := range cases(b) {
		b.Run(c.Name, func(b *testing.B) {
			// The response is httpadapter's, as in BenchmarkInvoke.
			router := newRouter()
			var (
				resp any
				err  error
			)
			if c.V2 {
				resp, err = httpadapter.NewV2(router).ProxyWithContext(ctx, decodeV2(c))
			} else {
				resp, err = httpadapter.New(router).ProxyWithContext(ctx, decodeV1(c))
			}
			if err != nil {
				b.Fatal(err)
			}
			if c.V2 {
				benchCodec[events.APIGatewayV2HTTPRequest](b, c, resp)
			} else {
				benchCodec[events.APIGatewayProxyRequest](b, c, resp)
			}
		})
	}
}

func benchFloor(b *testing.B, router http.Handler, c *Case) {
	fl := newFloor(router, c)
	b.ReportAllocs()
	defer reportCPU(b)()
	for b.Loop() {
		fl.serve(c)
	}
}

func benchInvoke(b *testing.B, h lambda.Handler, c *Case) {
	b.ReportAllocs()
	defer reportCPU(b)()
	for b.Loop() {
		if _, err := h.Invoke(ctx, c.Payload); err != nil {
			b.Fatal(err)
		}
	}
}

func benchAdapt(b *testing.B, a adapt) {
	b.ReportAllocs()
	defer reportCPU(b)()
	for b.Loop() {
		if err := a.run(); err != nil {
			b.Fatal(err)
		}
	}
}

func benchCodec[E any](b *testing.B, c *Case, resp any) {
	var out bytes.Buffer
	b.ReportAllocs()
	defer reportCPU(b)()
	for b.Loop() {
		var e E
		if err := json.NewDecoder(bytes.NewReader(c.Payload)).Decode(&e); err != nil {
			b.Fatal(err)
		}
		out.Reset()
		enc := json.NewEncoder(&out)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(resp); err != nil {
			b.Fatal(err)
		}
	}
}
