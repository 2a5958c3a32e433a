package emulator_test

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/faasport/faasport/adapter"
	"github.com/faasport/faasport/emulator"
	"github.com/faasport/faasport/emulator/clock"
	"github.com/faasport/faasport/emulator/localgateway"
	"github.com/faasport/faasport/faas"
)

// A fake clock drives a function's timeout without sleeping: start the
// request, wait until the emulator arms the function's timer, then move
// the clock past it.
func ExampleOptions_clock() {
	clk := clock.NewFake(time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC))
	quiet := slog.New(slog.DiscardHandler) // the START, END and REPORT lines, the access log
	e, err := emulator.New(&emulator.Options{Clock: clk, Logger: quiet})
	if err != nil {
		panic(err)
	}
	defer e.Close()

	stuck := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done() // the invocation's context ends at its timeout
	})
	if err := e.Register(faas.Config{Name: "stuck", Timeout: 3 * time.Second}, adapter.Wrap(stuck)); err != nil {
		panic(err)
	}
	api, err := e.NewAPI(localgateway.Config{Routes: []localgateway.Route{
		{Key: "GET /stuck", Integration: localgateway.Lambda{Function: "stuck"}},
	}})
	if err != nil {
		panic(err)
	}

	answer := make(chan string)
	go func() {
		resp, err := http.Get(api.URL + "/stuck")
		if err != nil {
			answer <- err.Error()
			return
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		answer <- fmt.Sprint(resp.StatusCode, " ", string(b))
	}()
	clk.BlockUntilTimer(3 * time.Second) // the function's timeout, armed
	clk.Advance(3 * time.Second)
	fmt.Println(<-answer)
	// Output:
	// 500 {"message":"Internal Server Error"}
}
