package main

import (
	"os/exec"
	"syscall"
)

// setChildAttrs makes the kernel kill the child if this process dies
// without stopping it (a panic, SIGKILL), so that no cognito-local is left
// listening.
func setChildAttrs(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
