package docs

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/dxsteps/dxsteps/test/engine"
	"github.com/dxsteps/dxsteps/test/engine/enginetest"
	"github.com/dxsteps/dxsteps/test/testbin"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// binDir holds the binaries TestMain builds: the steps, the example tools and dx-engine.
var binDir string

func TestMain(m *testing.M) {
	os.Exit(testbin.Main(m, &binDir, "./steps/...", "./test/tools/...", "./test/dx-engine"))
}

// root is the repository root.
var root, _ = filepath.Abs(filepath.Join("..", ".."))

// pages are README.md and docs/*.md, from the repository root.
func pages(t *testing.T) []string {
	t.Helper()
	docs, err := filepath.Glob(filepath.Join(root, "docs", "*.md"))
	require.NoError(t, err)
	files := []string{"README.md"}
	for _, d := range docs {
		rel, _ := filepath.Rel(root, d)
		files = append(files, rel)
	}
	return files
}

// allBlocks reads every page's example blocks.
func allBlocks(t *testing.T) []block {
	t.Helper()
	var all []block
	for _, p := range pages(t) {
		blocks, err := readBlocks(root, p)
		require.NoError(t, err)
		all = append(all, blocks...)
	}
	return all
}

// adminPassword is the local engine's workshop admin password.
const adminPassword = "landshark"

// workdir is a directory that looks like the repository to a block (its files and folders are
// links to the checkout's, bin/ to the binaries built for the test) while what the block writes
// stays in it.
func workdir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	entries, err := os.ReadDir(root)
	require.NoError(t, err)
	for _, e := range entries {
		if e.Name() == "bin" || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		require.NoError(t, os.Symlink(filepath.Join(root, e.Name()), filepath.Join(dir, e.Name())))
	}
	require.NoError(t, os.Symlink(binDir, filepath.Join(dir, "bin")))
	return dir
}

// freeAddr is a loopback address no one listens on now.
func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer l.Close()
	return l.Addr().String()
}

// environ is a block's environment on platform: the tour's (bin/ on PATH, the engine, the
// admin's credentials for that platform), or with engineURL "" only PATH and HOME.
func environ(dir, platform, engineURL string) []string {
	env := []string{"PATH=" + filepath.Join(dir, "bin") + ":" + os.Getenv("PATH"), "HOME=" + dir, "LANG=C.UTF-8"}
	if engineURL == "" {
		return env
	}
	env = append(env, "DELPHIX_ENGINE="+engineURL)
	if platform == "dct" {
		return append(env, "DELPHIX_PLATFORM=dct", "DELPHIX_API_KEY="+engine.DCTKey(1, "delphix_admin"))
	}
	return append(env, "DELPHIX_USER=delphix_admin", "DELPHIX_PASSWORD="+adminPassword)
}

// runProcessGroup runs cmd in a process group of its own and kills what is left of the group
// when it ends (an engine a block started in the background), within limit.
func runProcessGroup(t *testing.T, cmd *exec.Cmd, limit time.Duration) (string, error) {
	t.Helper()
	// A file, not a pipe: a process the block left in the background must not hold Wait.
	out, err := os.CreateTemp(t.TempDir(), "output")
	require.NoError(t, err)
	defer out.Close()
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	require.NoError(t, cmd.Start())
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err = <-done:
	case <-time.After(limit):
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		err = fmt.Errorf("still running after %s: killed", limit)
		<-done
	}
	_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	log, readErr := os.ReadFile(out.Name())
	require.NoError(t, readErr)
	return string(log), err
}

// TestEveryExampleRuns runs each group of example blocks on each platform it names, against a
// fresh local engine (or the engine the group starts), and checks each console command's JSON
// output has the fields the page shows.
func TestEveryExampleRuns(t *testing.T) {
	runs, _, err := groups(allBlocks(t))
	require.NoError(t, err)
	for _, g := range runs {
		for _, platform := range g.platforms() {
			t.Run(fmt.Sprintf("%s/%s", g.first(), platform), func(t *testing.T) {
				t.Parallel()
				if g.first().isGroovy() {
					runJenkinsfile(t, g, platform)
					return
				}
				runShell(t, g, platform)
			})
		}
	}
}

// runShell runs a group's blocks for platform as one bash script.
func runShell(t *testing.T, g group, platform string) {
	dir := workdir(t)
	out := filepath.Join(t.TempDir(), "out")
	require.NoError(t, os.Mkdir(out, 0o755))
	engineURL, addr := "", ""
	if g.first().ownEngine {
		addr = freeAddr(t)
	} else {
		e := enginetest.Start(t)
		engineURL = e.URL()
		u, err := url.Parse(engineURL)
		require.NoError(t, err)
		addr = u.Host
	}
	var script strings.Builder
	script.WriteString("set -eo pipefail\n")
	var cmds []command
	for _, b := range g.blocks {
		if !slices.Contains(b.platforms, platform) {
			continue
		}
		text := strings.ReplaceAll(b.shell(len(cmds)), "127.0.0.1:8080", addr)
		if b.lang == "console" {
			cmds = append(cmds, b.commands()...)
		}
		fmt.Fprintf(&script, "echo '### %s' >&2\n", b)
		if b.fails {
			fmt.Fprintf(&script, "if (\n%s\n); then echo '%s: the example should fail, and it succeeded' >&2; exit 99; fi\n", text, b)
		} else {
			script.WriteString(text + "\n")
		}
	}
	cmd := exec.Command("bash", "-c", script.String())
	cmd.Dir = dir
	cmd.Env = append(environ(dir, platform, engineURL), "DXSTEPS_EXAMPLE_OUT="+out)
	log, err := runProcessGroup(t, cmd, 2*time.Minute)
	require.NoError(t, err, "%s\n%s", log, script.String())
	for i, c := range cmds {
		var shown map[string]any
		if json.Unmarshal([]byte(c.output), &shown) != nil {
			continue // no output shown, or an abridged one ("...")
		}
		raw, err := os.ReadFile(filepath.Join(out, fmt.Sprintf("%d.json", i)))
		require.NoError(t, err)
		var got map[string]any
		require.NoError(t, json.Unmarshal(raw, &got), "%s: %s", c.cmd, raw)
		for field := range shown {
			assert.Contains(t, got, field, "%s: the page shows %s, the output has none: %s", c.cmd, field, raw)
		}
	}
}

// runJenkinsfile runs a complete Jenkinsfile through the local pipeline runner with the library of
// this checkout, its credential delphix-engine the admin's (on DCT, the API key as secret text).
func runJenkinsfile(t *testing.T, g group, platform string) {
	skipWithoutGroovy(t)
	require.Len(t, g.blocks, 1, "%s: a Jenkinsfile runs alone", g.first())
	dir := workdir(t)
	e := enginetest.Start(t)
	creds := `{"delphix-engine": {"username": "delphix_admin", "password": "` + adminPassword + `"}}`
	if platform == "dct" {
		creds = `{"delphix-engine": {"secret": "` + engine.DCTKey(1, "delphix_admin") + `"}}`
	}
	require.NoError(t, os.WriteFile(filepath.Join(dir, "credentials.json"), []byte(creds), 0o600))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "Jenkinsfile.example-block"), []byte(g.first().text), 0o644))
	cmd := exec.Command(filepath.Join(dir, "test", "runner", "jenkinsfile-runner"), "--library", dir,
		"--credentials", "credentials.json", "Jenkinsfile.example-block")
	cmd.Dir = dir
	cmd.Env = append(environ(dir, platform, e.URL()), "DXSTEPS_HOME="+binDir)
	log, err := runProcessGroup(t, cmd, 2*time.Minute)
	require.NoError(t, err, "%s", log)
	assert.Contains(t, log, "Finished: SUCCESS")
}

var groovyCheck struct {
	sync.Once
	why string
}

// skipWithoutGroovy skips (fails on CI) when Groovy cannot start with the Java the runner's
// groovy-env.sh finds.
func skipWithoutGroovy(t *testing.T) {
	t.Helper()
	groovyCheck.Do(func() {
		cmd := exec.Command("bash", "-c", `. test/runner/groovy-env.sh && groovy -e 'print "ok"'`)
		cmd.Dir = root
		out, err := cmd.CombinedOutput()
		if err != nil || !strings.HasSuffix(strings.TrimSpace(string(out)), "ok") {
			groovyCheck.why = strings.TrimSpace(string(out)) + fmt.Sprint(err)
		}
	})
	if groovyCheck.why == "" {
		return
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("Groovy cannot start: %s (CI must run make deps)", groovyCheck.why)
	}
	t.Skipf("Groovy cannot start: %s (make deps installs it)", groovyCheck.why)
}

// TestEveryExampleThatIsNotRunParses: a user-tool or fragment block is checked as far as it can
// be without the reader's tools: bash -n for shell, a Groovy 2.4 parse for Groovy. A not-run block
// must say why.
func TestEveryExampleThatIsNotRunParses(t *testing.T) {
	_, others, err := groups(allBlocks(t))
	require.NoError(t, err)
	groovyRoot := t.TempDir()
	var groovy []block
	for _, b := range others {
		switch {
		case b.notRun != "":
			t.Logf("%s: not run: %s", b, b.notRun)
		case !b.syntax:
		case b.isGroovy():
			groovy = append(groovy, b)
			require.NoError(t, os.WriteFile(filepath.Join(groovyRoot, fmt.Sprintf("Jenkinsfile.%d", len(groovy))), []byte(b.text), 0o644))
		default:
			cmd := exec.Command("bash", "-n")
			cmd.Stdin = strings.NewReader(b.shell(0))
			out, err := cmd.CombinedOutput()
			assert.NoError(t, err, "%s: bash -n: %s", b, out)
		}
	}
	if len(groovy) == 0 {
		return
	}
	skipWithoutGroovy(t)
	cmd := exec.Command(filepath.Join(root, "test", "runner", "check-syntax"), groovyRoot)
	out, err := cmd.CombinedOutput()
	assert.NoError(t, err, "%s (Jenkinsfile.N is the Nth of %v)", out, groovy)
}

// TestEveryServerExampleComesUp: each line of a serves block starts dx-engine (127.0.0.1:8080
// becomes a free port); it must say it listens, then it is stopped.
func TestEveryServerExampleComesUp(t *testing.T) {
	_, others, err := groups(allBlocks(t))
	require.NoError(t, err)
	for _, b := range others {
		if !b.serves {
			continue
		}
		for i, line := range strings.Split(strings.TrimSpace(b.text), "\n") {
			t.Run(fmt.Sprintf("%s/%d", b, i+1), func(t *testing.T) {
				t.Parallel()
				dir := workdir(t)
				ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
				defer cancel()
				line = strings.ReplaceAll(line, "127.0.0.1:8080", freeAddr(t))
				cmd := exec.CommandContext(ctx, "bash", "-c", "exec "+line)
				cmd.Dir = dir
				cmd.Env = environ(dir, "engine", "")
				pr, pw, err := os.Pipe()
				require.NoError(t, err)
				cmd.Stdout, cmd.Stderr = pw, pw
				require.NoError(t, cmd.Start())
				pw.Close()
				var seen bytes.Buffer
				buf := make([]byte, 4096)
				for !strings.Contains(seen.String(), "dx-engine: listening on ") {
					n, err := pr.Read(buf)
					seen.Write(buf[:n])
					if err != nil {
						break
					}
				}
				_ = cmd.Process.Kill()
				_ = cmd.Wait()
				assert.Contains(t, seen.String(), "dx-engine: listening on ", "%s", line)
			})
		}
	}
}
