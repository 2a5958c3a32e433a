//go:build !unix

package invoke

import "time"

// cpuTime returns 0: the process's CPU time is read on Unix only, and
// cpu-ns/op is not reported elsewhere.
func cpuTime() time.Duration { return 0 }
