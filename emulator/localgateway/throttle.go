package localgateway

import (
	"sync"
	"time"

	"github.com/faasport/faasport/emulator/clock"
)

// bucket is a token bucket timed by a clock. A nil bucket never throttles.
type bucket struct {
	rate  float64
	burst float64
	clock clock.Clock

	mu     sync.Mutex
	tokens float64
	last   time.Time
}

func newBucket(t Throttle, c clock.Clock) *bucket {
	if t.isZero() {
		return nil
	}
	return &bucket{rate: t.Rate, burst: float64(t.Burst), clock: c, tokens: float64(t.Burst), last: c.Now()}
}

// take takes a token, reporting false when there is none.
func (b *bucket) take() bool {
	if b == nil {
		return true
	}
	now := b.clock.Now()
	b.mu.Lock()
	defer b.mu.Unlock()
	if el := now.Sub(b.last); el > 0 {
		b.tokens = min(b.burst, b.tokens+el.Seconds()*b.rate)
		b.last = now
	}
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}
