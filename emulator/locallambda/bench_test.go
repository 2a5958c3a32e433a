package locallambda_test

import (
	"context"
	"io"
	"log/slog"
	"slices"
	"testing"
	"time"

	"github.com/faasport/faasport/emulator/locallambda"
	"github.com/faasport/faasport/faas"
)

// BenchmarkInvoke measures the runtime's overhead per invocation of a
// function that returns its payload: warm environment, real clock. It
// reports the median and 99th percentile of the single invocations'
// latencies besides the mean (ns/op).
func BenchmarkInvoke(b *testing.B) {
	payload := []byte(`{"hello":"world"}`)
	benchmarks := []struct {
		name   string
		logger *slog.Logger
		req    locallambda.InvokeRequest
	}{
		{"logs discarded", slog.New(slog.DiscardHandler), locallambda.InvokeRequest{FunctionName: "f", Payload: payload}},
		{"text logs", slog.New(slog.NewTextHandler(io.Discard, nil)), locallambda.InvokeRequest{FunctionName: "f", Payload: payload}},
		{"log tail", slog.New(slog.DiscardHandler), locallambda.InvokeRequest{FunctionName: "f", Payload: payload, LogType: locallambda.LogTail}},
	}
	for _, bm := range benchmarks {
		b.Run(bm.name, func(b *testing.B) {
			s := locallambda.New(&locallambda.Options{Logger: bm.logger})
			defer s.Close()
			if err := s.Register(faas.Config{Name: "f"}, echo); err != nil {
				b.Fatal(err)
			}
			ctx := context.Background()
			if _, err := s.Invoke(ctx, bm.req); err != nil { // the cold start
				b.Fatal(err)
			}
			lat := make([]time.Duration, 0, 1<<16)
			b.ReportAllocs()
			for b.Loop() {
				t0 := time.Now()
				res, err := s.Invoke(ctx, bm.req)
				lat = append(lat, time.Since(t0))
				if err != nil || res.FunctionError != "" {
					b.Fatalf("Invoke = %+v, %v", res, err)
				}
			}
			reportPercentiles(b, lat)
		})
	}
}

// BenchmarkInvokeParallel measures invocations from many goroutines at
// once, against the account's shared concurrency.
func BenchmarkInvokeParallel(b *testing.B) {
	s := locallambda.New(&locallambda.Options{Logger: slog.New(slog.DiscardHandler)})
	defer s.Close()
	if err := s.Register(faas.Config{Name: "f"}, echo); err != nil {
		b.Fatal(err)
	}
	req := locallambda.InvokeRequest{FunctionName: "f", Payload: []byte(`{}`)}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := s.Invoke(context.Background(), req); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

func reportPercentiles(b *testing.B, lat []time.Duration) {
	if len(lat) == 0 {
		return
	}
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Nanoseconds()), "p50-ns")
	b.ReportMetric(float64(lat[len(lat)*99/100].Nanoseconds()), "p99-ns")
}
