// Package e2e runs the step binaries, built from this checkout, against the
// local engine: their flags, JSON outputs, exit codes, and the whole
// workshop Data Pipeline as a chain.
package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/dxsteps/dxsteps/test/testbin"

	"github.com/dxsteps/dxsteps/test/engine"
	"github.com/stretchr/testify/require"
)

// adminPassword is the local engine's workshop admin password.
const adminPassword = "landshark"

// binDir holds the binaries TestMain builds.
var binDir string

func TestMain(m *testing.M) {
	os.Exit(testbin.Main(m, &binDir, "./steps/...", "./test/tools/..."))
}

// step is one binary invocation.
type step struct {
	t    *testing.T
	e    *engine.Engine
	bin  string
	args []string
	env  []string // added to, or overriding, the default environment
	dir  string
}

// result is what a binary did.
type result struct {
	code           int
	stdout, stderr string
	// afterSignal is how long the process lived after signal sent it one.
	afterSignal time.Duration
}

func (r result) json(t *testing.T) map[string]any {
	t.Helper()
	var v map[string]any
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &v), "stdout: %s\nstderr: %s", r.stdout, r.stderr)
	return v
}

func run(t *testing.T, e *engine.Engine, bin string, args ...string) result {
	return step{t: t, e: e, bin: bin, args: args}.run()
}

// environ is the binaries' environment: the engine and the admin's
// credentials (on DCT, when env sets DELPHIX_PLATFORM=dct, only what env
// gives), the binaries on PATH, and nothing else of ours.
func (s step) environ() []string {
	env := []string{"PATH=" + binDir + ":/usr/bin:/bin", "HOME=" + os.TempDir(), "DELPHIX_RETRY_MAX=0"}
	if !slices.Contains(s.env, "DELPHIX_PLATFORM=dct") {
		env = append(env, "DELPHIX_USER=delphix_admin", "DELPHIX_PASSWORD="+adminPassword)
	}
	if s.e != nil {
		env = append(env, "DELPHIX_ENGINE="+s.e.URL())
	}
	return append(env, s.env...)
}

func (s step) command(ctx context.Context) (*exec.Cmd, *bytes.Buffer, *bytes.Buffer) {
	cmd := exec.CommandContext(ctx, filepath.Join(binDir, s.bin), s.args...)
	cmd.Env = s.environ()
	cmd.Dir = s.dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	return cmd, &stdout, &stderr
}

func (s step) run() result {
	s.t.Helper()
	ctx, cancel := context.WithTimeout(s.t.Context(), 2*time.Minute)
	defer cancel()
	cmd, stdout, stderr := s.command(ctx)
	err := cmd.Run()
	code := 0
	if err != nil {
		exit, ok := err.(*exec.ExitError)
		require.True(s.t, ok, "%s: %v", s.bin, err)
		code = exit.ExitCode()
	}
	return result{code: code, stdout: stdout.String(), stderr: stderr.String()}
}

// signal starts the binary, waits until its stderr shows marker, sends sig
// and returns what it did.
func (s step) signal(marker string, sig syscall.Signal) result {
	s.t.Helper()
	ctx, cancel := context.WithTimeout(s.t.Context(), 2*time.Minute)
	defer cancel()
	cmd, stdout, stderr := s.command(ctx)
	pr, pw, err := os.Pipe()
	require.NoError(s.t, err)
	cmd.Stderr = pw
	require.NoError(s.t, cmd.Start())
	pw.Close()
	seen, read := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(read)
		buf := make([]byte, 4096)
		signalled := false
		for {
			n, err := pr.Read(buf)
			stderr.Write(buf[:n])
			if !signalled && strings.Contains(stderr.String(), marker) {
				signalled = true
				close(seen)
			}
			if err != nil {
				if !signalled {
					close(seen)
				}
				return
			}
		}
	}()
	<-seen
	sent := time.Now()
	require.NoError(s.t, cmd.Process.Signal(sig))
	err = cmd.Wait()
	gone := time.Since(sent)
	<-read
	code := 0
	if exit, ok := err.(*exec.ExitError); ok {
		code = exit.ExitCode()
	}
	return result{code: code, stdout: stdout.String(), stderr: stderr.String(), afterSignal: gone}
}
