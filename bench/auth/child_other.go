//go:build !linux

package main

import "os/exec"

// setChildAttrs does nothing here: only Linux offers Pdeathsig.
func setChildAttrs(cmd *exec.Cmd) {}
