package clock_test

import (
	"fmt"
	"time"

	"github.com/faasport/faasport/emulator/clock"
)

func ExampleFake() {
	clk := clock.NewFake(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC))

	fired := make(chan time.Time)
	go func() {
		// Code under test waits on the clock it was given.
		t := clk.NewTimer(time.Minute)
		fired <- <-t.C()
	}()

	clk.BlockUntil(1)        // wait until the timer is armed…
	clk.Advance(time.Minute) // …then fire it, without sleeping
	fmt.Println(<-fired)
	// Output:
	// 2024-01-01 00:01:00 +0000 UTC
}
