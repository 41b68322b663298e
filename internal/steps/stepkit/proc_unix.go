//go:build !windows

package stepkit

import (
	"os/exec"
	"syscall"
)

// ownGroup starts the tool in a process group of its own, so stopping it
// also stops what it started.
func ownGroup(cmd *exec.Cmd) { cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} }

// stopGroup sends SIGTERM (or SIGKILL when hard) to the tool's group.
func stopGroup(cmd *exec.Cmd, hard bool) {
	sig := syscall.SIGTERM
	if hard {
		sig = syscall.SIGKILL
	}
	_ = syscall.Kill(-cmd.Process.Pid, sig)
}
