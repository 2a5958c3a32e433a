//go:build !linux

package harness

import "os/exec"

// setSysProcAttr does nothing here: only Linux offers Pdeathsig.
func setSysProcAttr(cmd *exec.Cmd) {}
