package stepkit

import "os/exec"

// ownGroup does nothing on Windows: the tool is stopped on its own.
func ownGroup(*exec.Cmd) {}

// stopGroup kills the tool (Windows has no SIGTERM to send).
func stopGroup(cmd *exec.Cmd, _ bool) { _ = cmd.Process.Kill() }
