// Package testbin builds the dxsteps binaries once for a test package that
// runs them as processes, stamped with the library's version as make build
// stamps them.
package testbin

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// root is the repository root, from this file's place in it.
func root() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// Version is the library's version (resources/io/dxsteps/version.txt).
func Version() string {
	raw, err := os.ReadFile(filepath.Join(root(), "resources", "io", "dxsteps", "version.txt"))
	if err != nil {
		panic(err)
	}
	return strings.TrimSpace(string(raw))
}

// Main builds the packages pkgs (paths from the repository root, e.g.
// "./steps/...") into a temporary directory, sets *dir to it, runs the
// tests and removes it. It returns the code TestMain exits with.
func Main(m *testing.M, dir *string, pkgs ...string) int {
	tmp, err := os.MkdirTemp("", "dxsteps-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(tmp)
	args := append([]string{"build", "-ldflags", "-X github.com/dxsteps/dxsteps/internal/cli.Version=" + Version(),
		"-o", tmp + string(os.PathSeparator)}, pkgs...)
	build := exec.Command("go", args...)
	build.Dir = root()
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "building the binaries: %v\n%s", err, out)
		return 1
	}
	*dir = tmp
	return m.Run()
}
