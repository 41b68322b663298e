package e2e

import (
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dxsteps/dxsteps/delphix"
	"github.com/dxsteps/dxsteps/test/engine"
	"github.com/dxsteps/dxsteps/test/engine/enginetest"
	"github.com/dxsteps/dxsteps/test/faultproxy"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// jobBinary is a binary run that starts one engine job.
type jobBinary struct {
	name       string
	bin        string
	args       []string
	post       string // path suffix of the job-starting POST
	actionType string
	onObject   bool                // the POST names an existing object, which someone else's job can hold
	seed       func() *engine.Seed // the engine's estate, when not the workshop's
	prepare    func(t *testing.T, e *engine.Engine)
	check      func(t *testing.T, e *engine.Engine, out map[string]any)
}

var jobBinaries = []jobBinary{
	{name: "sync", bin: "dx-sync", args: []string{"--database", "Patients Prod"}, post: "/sync", actionType: "DB_SYNC", onObject: true,
		check: func(t *testing.T, _ *engine.Engine, out map[string]any) {
			assert.NotEmpty(t, out["snapshot"])
		}},
	{name: "refresh", bin: "dx-refresh", args: []string{"--vdb", "prep1 DB"}, post: "/refresh", actionType: "DB_REFRESH", onObject: true,
		prepare: func(t *testing.T, e *engine.Engine) {
			testAPI(t, e, "DELETE", "/datasets/"+url.PathEscape("prep1 DB")+"/rows", nil)
		},
		check: func(t *testing.T, e *engine.Engine, _ map[string]any) {
			assert.Equal(t, rows(t, e, "Patients Masked Master"), rows(t, e, "prep1 DB"), "the VDB holds its source's data again")
		}},
	{name: "datapod refresh", bin: "dx-datapod", args: []string{"refresh", "--template", "Patients", "--container", "prep2"},
		post: "/restore", actionType: "JETSTREAM_USER_CONTAINER_RESTORE", onObject: true,
		prepare: func(t *testing.T, e *engine.Engine) { testAPI(t, e, "DELETE", "/datasets/prep2/rows", nil) },
		check: func(t *testing.T, e *engine.Engine, _ map[string]any) {
			assert.Equal(t, rows(t, e, "Patients"), rows(t, e, "prep2"), "the pod holds its template's data again")
		}},
	{name: "bookmark create", bin: "dx-bookmark", args: []string{"create", "--container", "prep3", "--name", "nightly"},
		post: "/bookmark", actionType: "JETSTREAM_USER_BOOKMARK_CREATE",
		check: func(t *testing.T, e *engine.Engine, out map[string]any) {
			n := 0
			for _, b := range e.Catalog() {
				if b.Bookmark == "nightly" {
					n++
					assert.Equal(t, "prep3", b.On)
				}
			}
			assert.Equal(t, 1, n, "exactly one bookmark")
			assert.Equal(t, true, out["created"])
		}},
	{name: "datapod create", bin: "dx-datapod", args: []string{"refresh", "--template", "Patients", "--container", "prep7", "--create", "--vdb", "prep7 DB"},
		post: "/container", actionType: "JETSTREAM_ADMIN_CONTAINER_CREATE", seed: withPrep7,
		check: func(t *testing.T, e *engine.Engine, out map[string]any) {
			assert.Equal(t, true, out["created"])
			c := adminClient(t, e)
			pods, err := c.Containers.List(t.Context(), "")
			require.NoError(t, err)
			n := 0
			for _, p := range pods {
				if p.Name == "prep7" {
					n++
					assert.Equal(t, "ONLINE", p.State)
				}
			}
			assert.Equal(t, 1, n, "exactly one pod")
		}},
	{name: "branch create", bin: "dx-branch", args: []string{"create", "--container", "prep4", "--name", "feature", "--from-bookmark", "base"},
		post: "/branch", actionType: "JETSTREAM_USER_BRANCH_CREATE",
		prepare: func(t *testing.T, e *engine.Engine) { branchSetup(t, e, false, false) },
		check: func(t *testing.T, e *engine.Engine, out map[string]any) {
			assert.Equal(t, true, out["created"])
			assert.Equal(t, []string{"feature"}, branchesOf(t, e, "prep4", "feature", true), "exactly one branch of that name, active")
		}},
	// The pod's "feature" branch is active; activate goes back to "default".
	{name: "branch activate", bin: "dx-branch", args: []string{"activate", "--container", "prep4", "--name", "default"},
		post: "/activate", actionType: "JETSTREAM_USER_BRANCH_ACTIVATE",
		prepare: func(t *testing.T, e *engine.Engine) { branchSetup(t, e, true, false) },
		check: func(t *testing.T, e *engine.Engine, _ map[string]any) {
			assert.Equal(t, []string{"default"}, branchesOf(t, e, "prep4", "default", true))
		}},
	{name: "branch delete", bin: "dx-branch", args: []string{"delete", "--container", "prep4", "--name", "feature"},
		post: "/delete", actionType: "JETSTREAM_USER_BRANCH_DELETE",
		prepare: func(t *testing.T, e *engine.Engine) { branchSetup(t, e, true, true) },
		check: func(t *testing.T, e *engine.Engine, out map[string]any) {
			assert.Equal(t, true, out["deleted"])
			assert.Empty(t, branchesOf(t, e, "prep4", "feature", false), "the branch is gone")
		}},
}

// withPrep7 is the workshop's estate with one more VDB, free for a new pod.
func withPrep7() *engine.Seed {
	seed := engine.WorkshopSeed()
	seed.VDBs = append(seed.VDBs, engine.SeedDatabase{Name: "prep7 DB", Platform: "appdata", Group: "Self-Service",
		Parent: "Patients Masked Master", Connection: engine.Connection{Host: "target-db.workshop.local", Port: 5499, Database: "prep7", User: "postgres"}})
	return seed
}

func adminClient(t *testing.T, e *engine.Engine) *delphix.Client {
	t.Helper()
	c, err := delphix.NewClient(e.URL())
	require.NoError(t, err)
	require.NoError(t, c.Login(t.Context(), "delphix_admin", adminPassword))
	return c
}

// branchSetup bookmarks prep4 as "base"; with withBranch, it makes a branch
// "feature" from it (which becomes active) and, with back, activates
// "default" again.
func branchSetup(t *testing.T, e *engine.Engine, withBranch, back bool) {
	t.Helper()
	c, ctx := adminClient(t, e), t.Context()
	pod, err := c.Containers.FindByName(ctx, "", "prep4")
	require.NoError(t, err)
	op, err := c.Bookmarks.Create(ctx, delphix.BookmarkCreate{Name: "base", Layout: pod.Reference, Branch: pod.ActiveBranch})
	require.NoError(t, err)
	_, err = c.Wait(ctx, op, nil)
	require.NoError(t, err)
	if !withBranch {
		return
	}
	op, err = c.Branches.Create(ctx, "feature", pod.Reference, op.Reference)
	require.NoError(t, err)
	_, err = c.Wait(ctx, op, nil)
	require.NoError(t, err)
	if !back {
		return
	}
	op, err = c.Branches.Activate(ctx, pod.ActiveBranch)
	require.NoError(t, err)
	_, err = c.Wait(ctx, op, nil)
	require.NoError(t, err)
}

// branchesOf lists the pod's branches called name (only the active one,
// with active).
func branchesOf(t *testing.T, e *engine.Engine, podName, name string, active bool) []string {
	t.Helper()
	c, ctx := adminClient(t, e), t.Context()
	pod, err := c.Containers.FindByName(ctx, "", podName)
	require.NoError(t, err)
	bs, err := c.Branches.List(ctx, pod.Reference)
	require.NoError(t, err)
	var names []string
	for _, b := range bs {
		if b.Name == name && (!active || b.Reference == pod.ActiveBranch) {
			names = append(names, b.Name)
		}
	}
	return names
}

// fault is one kind of fault, as proxy rules for a binary, and whether the
// binary must say it recovered a job whose start answer was lost.
type fault struct {
	name      string
	rules     func(e *engine.Engine, b jobBinary) []faultproxy.Rule
	engine    *engine.HTTPFault // a fault the engine does itself to the job-starting POST
	recovered bool
}

var faults = []fault{
	{name: "lost login answer", rules: func(_ *engine.Engine, _ jobBinary) []faultproxy.Rule {
		return []faultproxy.Rule{{Method: "POST", PathSuffix: "/login", Kind: faultproxy.DropAfter}}
	}},
	{name: "session lost twice while waiting", rules: func(e *engine.Engine, b jobBinary) []faultproxy.Rule {
		return []faultproxy.Rule{{Method: "POST", PathSuffix: b.post, Then: e.ExpireSessions},
			{Method: "GET", PathContains: "/job/JOB-", Then: e.ExpireSessions}}
	}},
	{name: "lost job-start answer", recovered: true, rules: func(_ *engine.Engine, b jobBinary) []faultproxy.Rule {
		return []faultproxy.Rule{{Method: "POST", PathSuffix: b.post, Kind: faultproxy.DropAfter}}
	}},
	{name: "start never reached the engine", rules: func(_ *engine.Engine, b jobBinary) []faultproxy.Rule {
		return []faultproxy.Rule{{Method: "POST", PathSuffix: b.post, Kind: faultproxy.ResetBefore}}
	}},
	{name: "429 with Retry-After", rules: func(_ *engine.Engine, b jobBinary) []faultproxy.Rule {
		return []faultproxy.Rule{{Method: "POST", PathSuffix: b.post, Kind: faultproxy.Status, Status: http.StatusTooManyRequests, RetryAfter: "1"},
			{Method: "GET", PathContains: "/job/JOB-", Kind: faultproxy.Status, Status: http.StatusTooManyRequests, RetryAfter: "1"}}
	}},
	{name: "502 503 504", rules: func(_ *engine.Engine, b jobBinary) []faultproxy.Rule {
		return []faultproxy.Rule{{Method: "POST", PathSuffix: b.post, Kind: faultproxy.Status, Status: http.StatusServiceUnavailable},
			{Method: "GET", PathContains: "/job/JOB-", Kind: faultproxy.Status, Status: http.StatusBadGateway},
			{Method: "GET", PathContains: "/job/JOB-", Kind: faultproxy.Status, Status: http.StatusGatewayTimeout}}
	}},
	// Someone else's job starts on the target between the step's idle check and its start.
	{name: "busy", engine: &engine.HTTPFault{Kind: "busy", Method: "POST"}, rules: func(*engine.Engine, jobBinary) []faultproxy.Rule { return nil }},
	{name: "connection reset", recovered: true, rules: func(_ *engine.Engine, b jobBinary) []faultproxy.Rule {
		return []faultproxy.Rule{{Method: "POST", PathSuffix: b.post, Kind: faultproxy.ResetAfter},
			{Method: "GET", PathContains: "/job/JOB-", Kind: faultproxy.ResetBefore}}
	}},
}

// TestEveryJobStartingBinarySurvivesEachFaultWithOneJob runs each binary
// that starts a job through a fault proxy, once per fault kind, and checks
// that it succeeded, the engine's data is right, and the engine ran exactly
// one job for it.
func TestEveryJobStartingBinarySurvivesEachFaultWithOneJob(t *testing.T) {
	for _, b := range jobBinaries {
		for _, f := range faults {
			t.Run(b.name+"/"+f.name, func(t *testing.T) {
				var opts engine.Options
				if b.seed != nil {
					opts.Seed = b.seed()
				}
				e := enginetest.Start(t, opts)
				if b.prepare != nil {
					b.prepare(t, e)
				}
				p := faultproxy.New(e.URL())
				t.Cleanup(p.Close)
				for _, r := range f.rules(e, b) {
					p.Add(r)
				}
				if f.engine != nil {
					in := *f.engine
					in.PathSuffix = b.post
					e.InjectHTTPError(in)
				}
				before := jobCount(t, e, b.actionType)
				r := step{t: t, e: e, bin: b.bin, args: b.args,
					env: []string{"DELPHIX_ENGINE=" + p.URL(), "DELPHIX_RETRY_MAX=4"}}.run()
				require.Equal(t, 0, r.code, r.stderr)
				assert.True(t, p.Exhausted(), "every fault happened: %v", p.Hits())
				out := r.json(t)
				assert.Equal(t, 1, jobCount(t, e, b.actionType)-before, "exactly one %s job", b.actionType)
				if f.recovered {
					assert.Equal(t, true, out["recovered"], r.stderr)
					assert.Contains(t, r.stderr, "answer to the start was lost")
				} else {
					assert.Nil(t, out["recovered"])
				}
				if f.engine != nil && b.onObject {
					starts := 0
					for _, q := range e.Requests() {
						if q.Method == "POST" && strings.HasSuffix(q.Path, b.post) {
							starts++
						}
					}
					assert.Equal(t, 2, starts, "the start refused as busy was sent again once")
				}
				assert.NotContains(t, r.stderr, adminPassword)
				b.check(t, e, out)
			})
		}
	}
}

// jobCount counts the engine's jobs of one action type run by delphix_admin
// (not someone else's, as a busy fault starts).
func jobCount(t *testing.T, e *engine.Engine, actionType string) int {
	t.Helper()
	c := adminClient(t, e)
	me, err := c.Users.Current(t.Context())
	require.NoError(t, err)
	jobs, err := c.Jobs.List(t.Context(), delphix.JobListOptions{ActionType: actionType})
	require.NoError(t, err)
	n := 0
	for _, j := range jobs {
		if j.User == me.Reference {
			n++
		}
	}
	return n
}

func TestSessionLostAtEveryLoginExitsWithoutAPasswordHint(t *testing.T) {
	e := enginetest.Start(t)
	p := faultproxy.New(e.URL())
	t.Cleanup(p.Close)
	p.Add(faultproxy.Rule{Method: "POST", PathSuffix: "/session", Count: 1000, Then: e.ExpireSessions})
	// A login opens as many sessions as a read is sent: --retry-max plus one, at least three.
	r := step{t: t, e: e, bin: "dx-sync", args: []string{"--database", "Patients Prod"},
		env: []string{"DELPHIX_ENGINE=" + p.URL(), "DELPHIX_RETRY_MAX=2"}}.run()
	assert.NotEqual(t, 3, r.code, r.stderr)
	assert.Equal(t, 1, r.code, r.stderr)
	assert.Contains(t, r.stderr, "ended the session 3 times in a row")
	assert.NotContains(t, r.stderr, "password")
}

func TestWrongPasswordThroughALostLoginAnswerStillExits3(t *testing.T) {
	e := enginetest.Start(t)
	p := faultproxy.New(e.URL())
	t.Cleanup(p.Close)
	p.Add(faultproxy.Rule{Method: "POST", PathSuffix: "/login", Kind: faultproxy.DropAfter})
	r := step{t: t, e: e, bin: "dx-sync", args: []string{"--database", "Patients Prod"},
		env: []string{"DELPHIX_ENGINE=" + p.URL(), "DELPHIX_PASSWORD=wrong"}}.run()
	assert.True(t, p.Exhausted())
	assert.Equal(t, 3, r.code, r.stderr)
	assert.Contains(t, r.stderr, "credentials refused")
}

func TestEmptyPasswordFileAndUnsupportedAPIVersionExit2BeforeAnyLogin(t *testing.T) {
	e := enginetest.Start(t)
	empty := filepath.Join(t.TempDir(), "pw")
	require.NoError(t, os.WriteFile(empty, []byte("\n"), 0o600))
	e.ClearRequests()
	r := step{t: t, e: e, bin: "dx-sync", args: []string{"--database", "Patients Prod", "--password-file", empty}}.run()
	assert.Equal(t, 2, r.code, r.stderr)
	assert.Contains(t, r.stderr, "is empty")
	r = run(t, e, "dx-sync", "--database", "Patients Prod", "--api-version", "2.0")
	assert.Equal(t, 2, r.code, r.stderr)
	assert.Contains(t, r.stderr, "--api-version 2.0.0 is not supported")
	assert.Empty(t, e.Requests(), "no login was tried")
}
