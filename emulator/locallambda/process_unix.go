//go:build unix

package locallambda

import (
	"os/exec"
	"syscall"
)

// setProcessGroup makes cmd's process the leader of a new process group,
// so that killProcessGroup reaches the processes it starts too.
func setProcessGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
}

// killProcessGroup kills cmd's process and its process group.
func killProcessGroup(cmd *exec.Cmd) {
	_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	_ = cmd.Process.Kill()
}
