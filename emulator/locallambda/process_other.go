//go:build !unix

package locallambda

import "os/exec"

// setProcessGroup does nothing: process groups are a Unix notion.
func setProcessGroup(*exec.Cmd) {}

// killProcessGroup kills cmd's process; processes it started live on.
func killProcessGroup(cmd *exec.Cmd) {
	_ = cmd.Process.Kill()
}
