package e2e

import (
	"archive/tar"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/dxsteps/dxsteps/test/testbin"

	"github.com/dxsteps/dxsteps/test/engine/enginetest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// stepBinaries are what a make dist archive holds.
var stepBinaries = []string{"dx-bookmark", "dx-branch", "dx-credentials", "dx-datapod", "dx-refresh", "dx-subset", "dx-sync"}

// dist writes what make dist publishes for this machine's platform, from
// the binaries in bin: DIR/VERSION/dxsteps-VERSION-OS-ARCH.tar.gz, whose
// files are in a folder of the archive's name, and DIR/VERSION/SHA256SUMS.
// It returns DIR and the archive's name.
func dist(t *testing.T, bin string) (string, string) {
	t.Helper()
	version := testbin.Version()
	root := t.TempDir()
	folder := filepath.Join(root, version)
	require.NoError(t, os.MkdirAll(folder, 0o755))
	name := fmt.Sprintf("dxsteps-%s-%s-%s", version, runtime.GOOS, runtime.GOARCH)
	f, err := os.Create(filepath.Join(folder, name+".tar.gz"))
	require.NoError(t, err)
	gz := gzip.NewWriter(f)
	tw := tar.NewWriter(gz)
	require.NoError(t, tw.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: name + "/", Mode: 0o755}))
	for _, b := range stepBinaries {
		data, err := os.ReadFile(filepath.Join(bin, b))
		require.NoError(t, err)
		require.NoError(t, tw.WriteHeader(&tar.Header{Name: name + "/" + b, Mode: 0o755, Size: int64(len(data))}))
		_, err = tw.Write(data)
		require.NoError(t, err)
	}
	require.NoError(t, tw.Close())
	require.NoError(t, gz.Close())
	require.NoError(t, f.Close())
	writeSums(t, folder, name+".tar.gz")
	return root, name + ".tar.gz"
}

// writeSums writes folder/SHA256SUMS for archive, in sha256sum's format.
func writeSums(t *testing.T, folder, archive string) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(folder, archive))
	require.NoError(t, err)
	sum := sha256.Sum256(data)
	line := hex.EncodeToString(sum[:]) + "  " + archive + "\n"
	require.NoError(t, os.WriteFile(filepath.Join(folder, "SHA256SUMS"), []byte(line), 0o644))
}

// distServer serves root over HTTP and counts the requests for each path.
func distServer(t *testing.T, root string) (*httptest.Server, func(path string) int) {
	t.Helper()
	var mu sync.Mutex
	hits := map[string]int{}
	files := http.FileServer(http.Dir(root))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		hits[r.URL.Path]++
		mu.Unlock()
		files.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, func(path string) int {
		mu.Lock()
		defer mu.Unlock()
		return hits[path]
	}
}

// installParams runs Jenkinsfile.install with DXSTEPS_DIST_URL=distURL and
// DXSTEPS_HOME=home (empty: unset); DXSTEPS_TOOLS_DIR comes from the test's
// environment, as from an agent's.
func installParams(distURL, home string) func(string) []string {
	return func(string) []string {
		return []string{"--param", "DIST_URL=" + distURL, "--param", "HOME_DIR=" + home}
	}
}

const installJenkinsfile = "test/e2e/testdata/Jenkinsfile.install"

func TestJenkinsInstallsTheBinariesFromAnHTTPServerOnFirstUseAndReusesThem(t *testing.T) {
	e := enginetest.Start(t)
	root, archive := dist(t, binDir)
	srv, hits := distServer(t, root)
	version := testbin.Version()
	tools := t.TempDir()
	t.Setenv("DXSTEPS_TOOLS_DIR", tools)

	code, out, graph := jenkins(t, e, workshopCredentials, installJenkinsfile, installParams(srv.URL, ""))
	require.Equal(t, 0, code, out)
	assert.Equal(t, "SUCCESS", graph["result"])
	assert.Contains(t, out, "synced: ")
	home := filepath.Join(tools, version, runtime.GOOS+"-"+runtime.GOARCH)
	assert.Equal(t, 1, strings.Count(out, "dxsteps: installed dxsteps "+version), out)
	assert.Contains(t, out, "from "+srv.URL+"/"+version+" into "+home)
	for _, b := range stepBinaries {
		assert.FileExists(t, filepath.Join(home, b))
	}
	assert.Equal(t, 1, hits("/"+version+"/"+archive))
	assert.Equal(t, 1, hits("/"+version+"/SHA256SUMS"))

	// A later build on the same agent fetches nothing.
	code, out, _ = jenkins(t, e, workshopCredentials, installJenkinsfile, installParams(srv.URL, ""))
	require.Equal(t, 0, code, out)
	assert.NotContains(t, out, "dxsteps: installed")
	assert.Equal(t, 1, hits("/"+version+"/"+archive))
	assert.Equal(t, 1, hits("/"+version+"/SHA256SUMS"))
}

func TestJenkinsInstallsTheBinariesFromASharedFolderBesideTheWorkspace(t *testing.T) {
	e := enginetest.Start(t)
	root, _ := dist(t, binDir)
	version := testbin.Version()
	var ws string
	code, out, graph := jenkins(t, e, workshopCredentials, installJenkinsfile, installParams(root, ""),
		func(w string) []string { ws = w; return nil })
	require.Equal(t, 0, code, out)
	assert.Equal(t, "SUCCESS", graph["result"])
	home := filepath.Join(filepath.Dir(ws), "dxsteps-tools", version, runtime.GOOS+"-"+runtime.GOARCH)
	assert.Contains(t, out, "from "+root+"/"+version+" into "+home)
	version2, err := os.ReadFile(filepath.Join(home, ".version"))
	require.NoError(t, err)
	assert.Equal(t, version+"\n", string(version2))
}

func TestJenkinsRefusesAnArchiveThatDoesNotMatchItsChecksum(t *testing.T) {
	e := enginetest.Start(t)
	root, archive := dist(t, binDir)
	version := testbin.Version()
	path := filepath.Join(root, version, archive)
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	require.NoError(t, err)
	_, err = f.WriteString("tampered")
	require.NoError(t, err)
	require.NoError(t, f.Close())
	srv, _ := distServer(t, root)
	tools := t.TempDir()
	t.Setenv("DXSTEPS_TOOLS_DIR", tools)

	code, out, graph := jenkins(t, e, workshopCredentials, installJenkinsfile, installParams(srv.URL, ""))
	assert.Equal(t, 2, code, out)
	assert.Equal(t, "FAILURE", graph["result"])
	assert.Equal(t, "FAILED", stageStatus(graph, "Sync"))
	line := "ERROR: delphixSync: " + srv.URL + "/" + version + "/" + archive + " does not match SHA256SUMS (sha256 "
	assert.Contains(t, out, line)
	assert.Contains(t, out, "not installed; publish the archives and SHA256SUMS of one make dist together\n")
	assert.NoFileExists(t, filepath.Join(tools, version, runtime.GOOS+"-"+runtime.GOARCH, "dx-sync"))
	assert.Empty(t, e.Requests(), "no step ran")
}

func TestJenkinsRefusesAMissingArchiveWithOneLine(t *testing.T) {
	e := enginetest.Start(t)
	root := t.TempDir()
	srv, _ := distServer(t, root)
	t.Setenv("DXSTEPS_TOOLS_DIR", t.TempDir())
	code, out, _ := jenkins(t, e, workshopCredentials, installJenkinsfile, installParams(srv.URL+"/{version}", ""))
	assert.Equal(t, 2, code, out)
	assert.Contains(t, out, "ERROR: delphixSync: cannot fetch "+srv.URL+"/"+testbin.Version()+"/SHA256SUMS: curl: (22) ")
}

func TestJenkinsRefusesBinariesOfAnotherVersion(t *testing.T) {
	e := enginetest.Start(t)
	other := t.TempDir()
	build := exec.Command("go", "build", "-ldflags", "-X github.com/dxsteps/dxsteps/internal/cli.Version=0.0.1-other",
		"-o", other+string(os.PathSeparator), "./steps/dx-sync")
	build.Dir = filepath.Join("..", "..")
	out, err := build.CombinedOutput()
	require.NoError(t, err, "%s", out)
	version := testbin.Version()

	code, console, graph := jenkins(t, e, workshopCredentials, installJenkinsfile, installParams("", other))
	assert.Equal(t, 2, code, console)
	assert.Equal(t, "FAILED", stageStatus(graph, "Sync"))
	assert.Contains(t, console, "ERROR: delphixSync: "+filepath.Join(other, "dx-sync")+" is dxsteps 0.0.1-other but this library is dxsteps "+
		version+": put the dxsteps "+version+" binaries in "+other+", or unset dxstepsHome and DXSTEPS_HOME so the library installs its own")

	// The archive of another version is refused too, before anything is installed.
	// dist packs every step binary: give it the others from binDir.
	for _, b := range stepBinaries {
		if b != "dx-sync" {
			data, err := os.ReadFile(filepath.Join(binDir, b))
			require.NoError(t, err)
			require.NoError(t, os.WriteFile(filepath.Join(other, b), data, 0o755))
		}
	}
	root, archive := dist(t, other)
	t.Setenv("DXSTEPS_TOOLS_DIR", t.TempDir())
	code, console, _ = jenkins(t, e, workshopCredentials, installJenkinsfile, installParams(root, ""))
	assert.Equal(t, 2, code, console)
	assert.Contains(t, console, "ERROR: delphixSync: "+root+"/"+version+"/"+archive+" holds dxsteps 0.0.1-other but this library is dxsteps "+
		version+": publish the make dist archives of dxsteps "+version+" there")
}
