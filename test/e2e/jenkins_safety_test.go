package e2e

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/dxsteps/dxsteps/delphix"
	"github.com/dxsteps/dxsteps/test/engine"
	"github.com/dxsteps/dxsteps/test/engine/enginetest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestJenkinsfileExamplePublishesTheCatalogItCreated runs the example and
// reads what a QA user reads: the build's description and the archived
// delphix-catalog.json list exactly the bookmarks the engine now holds.
func TestJenkinsfileExamplePublishesTheCatalogItCreated(t *testing.T) {
	e := enginetest.Start(t)
	var artifacts string
	code, out, graph := jenkins(t, e, workshopCredentials, "Jenkinsfile.example", exampleTools(filepath.Join(t.TempDir(), "vault")),
		func(ws string) []string { artifacts = filepath.Join(filepath.Dir(ws), "artifacts"); return nil })
	require.Equal(t, 0, code, out)
	assert.Equal(t, []any{"delphix-catalog.json"}, graph["artifacts"])
	raw, err := os.ReadFile(filepath.Join(artifacts, "delphix-catalog.json"))
	require.NoError(t, err)
	var catalog struct {
		Build     string
		Bookmarks []struct {
			Name, Pod, DataTime, Reference string
			Tags                           []string
			Shared                         bool
		}
	}
	require.NoError(t, json.Unmarshal(raw, &catalog))
	assert.Equal(t, "jenkins-data-pipeline-7", catalog.Build)

	date := datasetDate(t, e)
	var want, got []string
	for _, b := range e.Catalog() {
		if strings.HasPrefix(b.Bookmark, date) {
			tags := append([]string{}, b.Tags...)
			sort.Strings(tags)
			want = append(want, strings.Join([]string{b.Bookmark, b.On, strings.Join(tags, ","), b.Reference}, "|"))
		}
	}
	description, _ := graph["description"].(string)
	lines := strings.Split(description, "\n")
	require.Len(t, lines, 15, "a line for each bookmark and one for where its data came from: %s", description)
	assert.Equal(t, "Delphix bookmarks created: 7 (artifact delphix-catalog.json)", lines[0])
	for i, b := range catalog.Bookmarks {
		tags := append([]string{}, b.Tags...)
		sort.Strings(tags)
		got = append(got, strings.Join([]string{b.Name, b.Pod, strings.Join(tags, ","), b.Reference}, "|"))
		assert.True(t, b.Shared, b.Name)
		assert.NotEmpty(t, b.DataTime, b.Name)
		assert.Equal(t, b.Name+" | on "+b.Pod+" | tags "+strings.Join(b.Tags, ", ")+" | data "+b.DataTime+" | shared", lines[2*i+1])
		assert.Regexp(t, `^  from: production \S+ of \S+ \| masked \S+ \| masking: .+ \| subset .+ \| build jenkins-data-pipeline-7$`, lines[2*i+2])
	}
	sort.Strings(want)
	assert.Equal(t, want, got)
	assert.Len(t, got, 7)
}

// TestJenkinsfileExampleRefusesASimulatedSubsetUnlessAskedFor adapts the
// example as a new user would, without a subsetter: the subset stages fail
// and say how to plug one in, and only SIMULATE_SUBSET makes the build green.
func TestJenkinsfileExampleRefusesASimulatedSubsetUnlessAskedFor(t *testing.T) {
	e := enginetest.Start(t)
	noSubsetter := func(ws string) []string {
		return append(exampleTools(filepath.Join(t.TempDir(), "vault"))(ws), "--param", "SUBSET_TOOL=")
	}
	code, out, graph := jenkins(t, e, workshopCredentials, "Jenkinsfile.example", noSubsetter)
	assert.Equal(t, 2, code, out)
	assert.Equal(t, "FAILED", stageStatus(graph, "Create 50% dataset"))
	assert.Equal(t, "SKIPPED", stageStatus(graph, "Add 50% dataset to catalog"))
	assert.Equal(t, "SUCCESS", stageStatus(graph, "Add full dataset to catalog"))
	assert.Contains(t, out, "ERROR: delphixSubset: give exactly one of key 'exec' and key 'simulate': exec plugs in your subsetting tool")
	assert.Contains(t, out, "simulate changes nothing and says so (exit 2, usage)")

	e = enginetest.Start(t)
	simulated := func(ws string) []string { return append(noSubsetter(ws), "--param", "SIMULATE_SUBSET=true") }
	code, out, _ = jenkins(t, e, workshopCredentials, "Jenkinsfile.example", simulated)
	assert.Equal(t, 0, code, out)
	assert.Contains(t, out, "SIMULATED 50% subset")
}

// TestAbortingTheBuildDuringARefreshCancelsTheEngineJob stops the runner as
// Jenkins aborts a build (SIGTERM) while the masked master refreshes through
// delphixRefresh, with the first cancel request lost before it reaches the
// engine: the step gets SIGTERM before any SIGKILL, sends the cancel again,
// and ends within Jenkins' 5 s with its engine job CANCELED.
func TestAbortingTheBuildDuringARefreshCancelsTheEngineJob(t *testing.T) {
	e := enginetest.Start(t, engine.Options{Speed: 3}) // a 15 s refresh: time to abort it
	require.NoError(t, e.InjectHTTPError(engine.HTTPFault{Kind: "dropBefore", Method: "POST", PathSuffix: "/cancel"}))
	r := jenkinsCommand(t, e, workshopCredentials, "Jenkinsfile.example", exampleTools(filepath.Join(t.TempDir(), "vault")))
	pr, pw, err := os.Pipe()
	require.NoError(t, err)
	r.cmd.Stdout, r.cmd.Stderr = pw, pw
	require.NoError(t, r.cmd.Start())
	pw.Close()
	started := regexp.MustCompile(`^\[Refresh Secure Pipeline Master\] .*job (JOB-\d+) started`)
	var out strings.Builder
	job := ""
	var signalled time.Time
	stepGone := time.Duration(-1)
	lines := bufio.NewScanner(pr)
	for lines.Scan() {
		out.WriteString(lines.Text() + "\n")
		if m := started.FindStringSubmatch(lines.Text()); m != nil && job == "" {
			job = m[1]
			signalled = time.Now()
			require.NoError(t, r.cmd.Process.Signal(syscall.SIGTERM))
		}
		if job != "" && stepGone < 0 && strings.HasPrefix(lines.Text(), "[Refresh Secure Pipeline Master] ERROR:") {
			stepGone = time.Since(signalled) // the sh step ended: its processes are gone
		}
	}
	err = r.cmd.Wait()
	require.NotEmpty(t, job, "no refresh job started:\n%s", out.String())
	exit, ok := err.(*exec.ExitError)
	require.True(t, ok, "the runner was stopped: %v\n%s", err, out.String())
	assert.Equal(t, 143, exit.ExitCode(), out.String())
	assert.Contains(t, out.String(), "cancelled job "+job)
	assert.Contains(t, out.String(), "it is CANCELED on the engine")
	assert.Contains(t, out.String(), "Finished: ABORTED")
	require.GreaterOrEqual(t, stepGone, time.Duration(0), "the stage ended:\n%s", out.String())
	assert.Less(t, stepGone, jenkinsKillWait, "the step ended before Jenkins would kill it")

	c, err := delphix.NewClient(e.URL())
	require.NoError(t, err)
	require.NoError(t, c.Login(context.Background(), "delphix_admin", adminPassword))
	j, err := c.Jobs.Get(context.Background(), job)
	require.NoError(t, err)
	assert.Equal(t, delphix.JobCanceled, j.JobState)
	var cancels int
	for _, req := range e.Requests() {
		if req.Method == "POST" && strings.HasSuffix(req.Path, "/job/"+job+"/cancel") {
			cancels++
		}
	}
	assert.GreaterOrEqual(t, cancels, 2, "the lost cancel was sent again")
}
