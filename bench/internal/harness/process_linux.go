package harness

import (
	"os/exec"
	"syscall"
)

// setSysProcAttr makes the kernel kill the child if this process dies
// without stopping it (a panic, SIGKILL), so that no server is left
// listening.
func setSysProcAttr(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
