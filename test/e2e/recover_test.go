package e2e

import (
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/dxsteps/dxsteps/dct"
	"github.com/dxsteps/dxsteps/test/engine"
	"github.com/dxsteps/dxsteps/test/engine/enginetest"
	"github.com/dxsteps/dxsteps/test/faultproxy"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"
)

// lostAnswer is a way a request's answer is lost: before the engine acts
// on it (it must be sent again) or after (it must not be).
type lostAnswer struct {
	name  string
	fault engine.HTTPFault
	acted bool
}

var lostAnswers = []lostAnswer{
	{name: "503 before acting", fault: engine.HTTPFault{Kind: "status", Status: http.StatusServiceUnavailable}},
	{name: "dropped before acting", fault: engine.HTTPFault{Kind: "dropBefore"}},
	{name: "502 after acting", fault: engine.HTTPFault{Kind: "status", Status: http.StatusBadGateway, AfterProcessing: true}, acted: true},
	{name: "dropped after acting", fault: engine.HTTPFault{Kind: "dropAfter"}, acted: true},
}

// ourHooks are the configure-clone hooks dx-credentials installed on the
// master VDB, by name.
func ourHooks(t *testing.T, e *engine.Engine) []string {
	t.Helper()
	c, ctx := adminClient(t, e), t.Context()
	db, err := c.Databases.FindByName(ctx, "Patients Masked Master")
	require.NoError(t, err)
	srcs, err := c.Sources.ListForDatabase(ctx, db.Reference)
	require.NoError(t, err)
	var names []string
	for _, s := range srcs {
		var hooks []struct{ Name string }
		if raw, ok := s.Operations["configureClone"]; ok {
			require.NoError(t, yaml.Unmarshal(raw, &hooks))
		}
		for _, h := range hooks {
			if strings.HasPrefix(h.Name, "dxsteps-credentials: ") {
				names = append(names, h.Name)
			}
		}
	}
	return names
}

// An install whose answer is lost, before or after the engine took the
// hooks, ends with the hooks in once and every generated password handed
// over: the next refresh sets the password the user kept.
func TestCredentialsHookInstallWhoseAnswerIsLostKeepsThePasswordItInstalled(t *testing.T) {
	for _, l := range lostAnswers {
		t.Run(l.name, func(t *testing.T) {
			e := enginetest.Start(t)
			f := l.fault
			f.Method, f.PathRegexp = "POST", `/source/[^/]+$`
			require.NoError(t, e.InjectHTTPError(f))
			pwFile := filepath.Join(t.TempDir(), "pw.yaml")
			r := step{t: t, e: e, bin: "dx-credentials", env: []string{"REPORT_RO_PASSWORD=report-hook-pw"}, args: []string{
				"--vdb", "Patients Masked Master", "--policy", writePolicy(t, policy), "--install-hook",
				"--hook-command", filepath.Join(binDir, "dx-example-accounts"), "--password-output", pwFile}}.run()
			require.Equal(t, 0, r.code, r.stderr)
			posts := 0
			for _, q := range e.Requests() {
				if q.Method == "POST" && strings.Contains(q.Path, "/source/") {
					posts++
				}
			}
			assert.Equal(t, map[bool]int{true: 1, false: 2}[l.acted], posts, "sent again only when the engine had not acted")
			assert.Len(t, ourHooks(t, e), 3, "one hook per account")
			raw, err := os.ReadFile(pwFile)
			require.NoError(t, err)
			var generated map[string]string
			require.NoError(t, yaml.Unmarshal(raw, &generated))
			ok(t, run(t, e, "dx-refresh", "--vdb", "Patients Masked Master"))
			assert.Equal(t, sha(generated["app_user"]), accountsOf(t, e, "Patients Masked Master")["app_user"].PasswordSha256,
				"the password the hook set is the one handed over")
		})
	}
}

// Refused for good, the install hands over no password: none is on the engine.
func TestCredentialsHookInstallRefusedHandsOverNoPassword(t *testing.T) {
	e := enginetest.Start(t)
	require.NoError(t, e.InjectHTTPError(engine.HTTPFault{Kind: "status", Method: "POST", PathRegexp: `/source/[^/]+$`,
		Status: http.StatusServiceUnavailable, Count: 10}))
	pwFile := filepath.Join(t.TempDir(), "pw.yaml")
	r := step{t: t, e: e, bin: "dx-credentials", env: []string{"REPORT_RO_PASSWORD=report-hook-pw"}, args: []string{
		"--vdb", "Patients Masked Master", "--policy", writePolicy(t, policy), "--install-hook",
		"--hook-command", "true", "--password-output", pwFile}}.run()
	assert.Equal(t, 5, r.code, r.stderr)
	assert.Contains(t, r.stderr, "so nothing runs")
	assert.Empty(t, ourHooks(t, e))
	assert.NoFileExists(t, pwFile)
}

// lostThenLookupsFail loses the answer to the refresh after the engine
// started it, then fails the next n job look-ups (503).
func lostThenLookupsFail(t *testing.T, e *engine.Engine, n int) *faultproxy.Proxy {
	p := faultproxy.New(e.URL())
	t.Cleanup(p.Close)
	p.Add(faultproxy.Rule{Method: "POST", PathSuffix: "/refresh", Kind: faultproxy.DropAfter, Then: func() {
		require.NoError(t, e.InjectHTTPError(engine.HTTPFault{Kind: "status", Method: "GET", PathSuffix: "/job",
			Status: http.StatusServiceUnavailable, Count: n}))
	}})
	return p
}

// A lost start answer whose look-ups fail too is looked for again, within
// the step's deadline, until the engine answers: the job is found and
// followed, one job.
func TestLostStartAnswerThenFailedLookupsStillFindsTheOneJob(t *testing.T) {
	e := enginetest.Start(t)
	p := lostThenLookupsFail(t, e, 6)
	before := jobCount(t, e, "DB_REFRESH")
	r := step{t: t, e: e, bin: "dx-refresh", args: []string{"--vdb", "prep1 DB"}, env: []string{"DELPHIX_ENGINE=" + p.URL()}}.run()
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, true, r.json(t)["recovered"])
	assert.Equal(t, 1, jobCount(t, e, "DB_REFRESH")-before)
}

// Past the deadline, a lost start answer whose look-ups keep failing ends
// with exit 5 naming the request and saying the job may be running.
func TestLostStartAnswerWithLookupsFailingToTheDeadlineSaysTheJobMayRun(t *testing.T) {
	e := enginetest.Start(t)
	p := lostThenLookupsFail(t, e, 1000)
	r := step{t: t, e: e, bin: "dx-refresh", args: []string{"--vdb", "prep1 DB", "--timeout", "4s"}, env: []string{"DELPHIX_ENGINE=" + p.URL()}}.run()
	assert.Equal(t, 4, r.code, r.stderr)
	assert.Contains(t, r.stderr, "POST /database/")
	assert.Contains(t, r.stderr, "a job it started may be running, unwatched")
}

// dctStart is a binary run on DCT that makes one start, with how to count
// what it did.
type dctStart struct {
	name  string
	bin   string
	args  []string
	match engine.HTTPFault // the start request: Method and PathSuffix or PathRegexp
	count func(t *testing.T, c *dct.Client) int
	per   int // effects counted per run (one when 0): a refresh, its masking and its snapshot
}

func jobsOn(target func(t *testing.T, c *dct.Client) string) func(t *testing.T, c *dct.Client) int {
	return func(t *testing.T, c *dct.Client) int {
		jobs, err := c.Jobs.Recent(t.Context(), target(t, c), 100)
		require.NoError(t, err)
		return len(jobs)
	}
}

func vdbID(name string) func(t *testing.T, c *dct.Client) string {
	return func(t *testing.T, c *dct.Client) string {
		v, err := c.VDBs.FindByName(t.Context(), name)
		require.NoError(t, err)
		return v.ID
	}
}

var dctStarts = []dctStart{
	{name: "sync", bin: "dx-sync", args: []string{"--database", "Patients Prod"},
		match: engine.HTTPFault{Method: "POST", PathSuffix: "/snapshots"},
		count: jobsOn(func(t *testing.T, c *dct.Client) string {
			d, err := c.DSources.FindByName(t.Context(), "Patients Prod")
			require.NoError(t, err)
			return d.ID
		})},
	{name: "refresh", bin: "dx-refresh", args: []string{"--vdb", "prep1 DB"},
		match: engine.HTTPFault{Method: "POST", PathSuffix: "/refresh_by_snapshot"}, count: jobsOn(vdbID("prep1 DB"))},
	// The refresh of the masked master runs its compliance job after it, then snapshots it.
	{name: "masking", bin: "dx-refresh", args: []string{"--vdb", "Patients Masked Master"},
		match: engine.HTTPFault{Method: "POST", PathSuffix: "/execute"}, count: jobsOn(vdbID("Patients Masked Master")), per: 3},
	{name: "masked snapshot", bin: "dx-refresh", args: []string{"--vdb", "Patients Masked Master"},
		match: engine.HTTPFault{Method: "POST", PathRegexp: `/vdbs/[^/]+/snapshots$`}, count: jobsOn(vdbID("Patients Masked Master")), per: 3},
	{name: "datapod refresh", bin: "dx-datapod", args: []string{"refresh", "--container", "prep3"},
		match: engine.HTTPFault{Method: "POST", PathSuffix: "/refresh_by_snapshot"},
		count: jobsOn(func(t *testing.T, c *dct.Client) string {
			g, err := c.VDBGroups.FindByName(t.Context(), "prep3")
			require.NoError(t, err)
			return g.VDBIDs[0]
		})},
	{name: "datapod disable", bin: "dx-datapod", args: []string{"disable", "--container", "prep3"},
		match: engine.HTTPFault{Method: "POST", PathSuffix: "/disable"},
		count: jobsOn(func(t *testing.T, c *dct.Client) string {
			g, err := c.VDBGroups.FindByName(t.Context(), "prep3")
			require.NoError(t, err)
			return g.VDBIDs[0]
		})},
	{name: "datapod create", bin: "dx-datapod", args: []string{"refresh", "--template", "Patients", "--container", "prep9", "--create"},
		match: engine.HTTPFault{Method: "POST", PathSuffix: "/provision_by_snapshot"},
		count: func(t *testing.T, c *dct.Client) int {
			_, err := c.VDBs.FindByName(t.Context(), "prep9")
			if errors.Is(err, dct.ErrNotFound) {
				return 0
			}
			require.NoError(t, err, "one VDB named prep9")
			return 1
		}},
	{name: "bookmark create", bin: "dx-bookmark", args: []string{"create", "--container", "prep3", "--name", "nightly"},
		match: engine.HTTPFault{Method: "POST", PathSuffix: "/dct/v3/bookmarks"},
		count: func(t *testing.T, c *dct.Client) int {
			bs, err := c.Bookmarks.Find(t.Context(), dct.BookmarkQuery{Name: "nightly"})
			require.NoError(t, err)
			return len(bs)
		}},
	{name: "credentials hook", bin: "dx-credentials", args: []string{"--vdb", "Patients Masked Master", "--install-hook", "--hook-command", "true"},
		match: engine.HTTPFault{Method: "PATCH", PathRegexp: `/vdbs/[^/]+$`}, count: jobsOn(vdbID("Patients Masked Master"))},
}

// Every DCT start whose answer is lost, before DCT acted (it is sent again)
// or after (it is not), ends well with exactly one effect.
func TestEveryDCTStartWhoseAnswerIsLostHasExactlyOneEffect(t *testing.T) {
	for _, s := range dctStarts {
		for _, l := range lostAnswers {
			t.Run(s.name+"/"+l.name, func(t *testing.T) {
				d := newDCTStory(t)
				admin := d.client("delphix_admin")
				args := s.args
				if s.bin == "dx-credentials" {
					args = append(args, "--policy", writePolicy(t, "accounts:\n  - {name: dba_alice, action: drop}\n"))
				}
				before := s.count(t, admin)
				f := l.fault
				f.Method, f.PathSuffix, f.PathRegexp = s.match.Method, s.match.PathSuffix, s.match.PathRegexp
				require.NoError(t, d.e.InjectHTTPError(f))
				r := d.as("delphix_admin", s.bin, args...)
				require.Equal(t, 0, r.code, r.stderr)
				assert.Equal(t, max(s.per, 1), s.count(t, admin)-before, "exactly one effect")
				if l.acted {
					assert.Contains(t, r.stderr, "answer to the start was lost")
				}
				require.Len(t, d.e.Faults(), 1, "the fault was done")
				re := regexp.MustCompile(s.match.PathRegexp)
				sent := 0
				for _, q := range d.e.Requests() {
					if q.Method == s.match.Method && strings.HasSuffix(q.Path, s.match.PathSuffix) && re.MatchString(q.Path) {
						sent++
					}
				}
				assert.Equal(t, map[bool]int{true: 1, false: 2}[l.acted], sent, "sent again only when DCT had not acted")
			})
		}
	}
}

// On DCT too, a lost start answer whose look-ups fail is looked for again
// until DCT answers: the one job is found and followed.
func TestOnDCTLostStartAnswerThenFailedLookupsStillFindsTheOneJob(t *testing.T) {
	d := newDCTStory(t)
	admin := d.client("delphix_admin")
	count := jobsOn(vdbID("prep1 DB"))
	before := count(t, admin)
	p := faultproxy.New(d.url)
	t.Cleanup(p.Close)
	p.Add(faultproxy.Rule{Method: "POST", PathSuffix: "/refresh_by_snapshot", Kind: faultproxy.DropAfter, Then: func() {
		require.NoError(t, d.e.InjectHTTPError(engine.HTTPFault{Kind: "status", Method: "POST", PathSuffix: "/jobs/search",
			Status: http.StatusServiceUnavailable, Count: 3}))
	}})
	r := step{t: t, e: d.e, bin: "dx-refresh", args: []string{"--vdb", "prep1 DB"}, env: []string{"DELPHIX_PLATFORM=dct",
		"DELPHIX_ENGINE=" + p.URL(), "DELPHIX_API_KEY=" + engine.DCTKey(dctAccounts["delphix_admin"], "delphix_admin")}}.run()
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, true, r.json(t)["recovered"])
	assert.Equal(t, 1, count(t, admin)-before)
}

// A generated password that cannot be handed over (the user's command
// fails) takes this install's hooks off again, keeping the others: the
// engine holds no password that nobody has.
func TestCredentialsHookWhosePasswordCannotBeKeptIsRemovedAgain(t *testing.T) {
	e := enginetest.Start(t)
	c, ctx := adminClient(t, e), t.Context()
	db, err := c.Databases.FindByName(ctx, "Patients Masked Master")
	require.NoError(t, err)
	srcs, err := c.Sources.ListForDatabase(ctx, db.Reference)
	require.NoError(t, err)
	notify := []byte(`{"type":"RunBashOnSourceOperation","name":"notify","command":"echo refreshed"}`)
	op, err := c.Sources.SetHooks(ctx, &srcs[0], "configureClone", []json.RawMessage{notify})
	require.NoError(t, err)
	_, err = c.Wait(ctx, op, nil)
	require.NoError(t, err)

	r := step{t: t, e: e, bin: "dx-credentials", env: []string{"REPORT_RO_PASSWORD=report-hook-pw"}, args: []string{
		"--vdb", "Patients Masked Master", "--policy", writePolicy(t, policy), "--install-hook",
		"--hook-command", "true", "--password-command", "exit 3"}}.run()
	assert.Equal(t, 1, r.code, r.stderr)
	assert.Contains(t, r.stderr, `account "app_user" on "Patients Masked Master": its password could not be kept`)
	assert.Contains(t, r.stderr, "the hooks were removed again")
	assert.Empty(t, ourHooks(t, e), "none of this install's hooks is left")
	srcs, err = c.Sources.ListForDatabase(ctx, db.Reference)
	require.NoError(t, err)
	var left []struct{ Name string }
	require.NoError(t, json.Unmarshal(srcs[0].Operations["configureClone"], &left))
	assert.Equal(t, []struct{ Name string }{{"notify"}}, left, "the other hooks are kept")
}

// A job whose reads fail for a while, after the retries a read allows, is
// still followed to its end, on both platforms: it is not left running
// unwatched.
func TestAJobWhoseReadsFailForAWhileIsStillFollowed(t *testing.T) {
	t.Run("engine", func(t *testing.T) {
		e := enginetest.Start(t)
		require.NoError(t, e.InjectHTTPError(engine.HTTPFault{Kind: "status", Method: "GET", PathRegexp: `/job/JOB-[0-9]+$`,
			Status: http.StatusBadGateway, Count: 3}))
		before := jobCount(t, e, "DB_REFRESH")
		r := run(t, e, "dx-refresh", "--vdb", "prep1 DB")
		require.Equal(t, 0, r.code, r.stderr)
		assert.Len(t, e.Faults(), 3)
		assert.Equal(t, 1, jobCount(t, e, "DB_REFRESH")-before)
	})
	t.Run("dct", func(t *testing.T) {
		d := newDCTStory(t)
		count := jobsOn(vdbID("prep1 DB"))
		admin := d.client("delphix_admin")
		before := count(t, admin)
		require.NoError(t, d.e.InjectHTTPError(engine.HTTPFault{Kind: "status", Method: "GET", PathRegexp: `/jobs/[^/]+$`,
			Status: http.StatusBadGateway, Count: 3}))
		r := d.as("delphix_admin", "dx-refresh", "--vdb", "prep1 DB")
		require.Equal(t, 0, r.code, r.stderr)
		assert.Len(t, d.e.Faults(), 3)
		assert.Equal(t, 1, count(t, admin)-before)
	})
}

// On DCT, sharing and deleting a bookmark whose answer is lost, before or
// after DCT acted, ends shared (deleted), each request done once.
func TestOnDCTBookmarkShareAndDeleteWhoseAnswerIsLostAreDoneOnce(t *testing.T) {
	for _, l := range lostAnswers {
		t.Run(l.name, func(t *testing.T) {
			d := newDCTStory(t)
			name := d.bookmark("nightly", false)
			share := l.fault
			share.Method, share.PathRegexp = "PATCH", `/bookmarks/[^/]+$`
			require.NoError(t, d.e.InjectHTTPError(share))
			out := ok(t, d.as("qa", "dx-bookmark", "share", "--container", "qa-pod", "--name", name))
			assert.Equal(t, true, out["shared"])
			del := l.fault
			del.Method, del.PathRegexp = "DELETE", `/bookmarks/[^/]+$`
			require.NoError(t, d.e.InjectHTTPError(del))
			ok(t, d.as("qa", "dx-bookmark", "delete", "--container", "qa-pod", "--name", name))
			bs, err := d.client("delphix_admin").Bookmarks.Find(t.Context(), dct.BookmarkQuery{Name: name})
			require.NoError(t, err)
			assert.Empty(t, bs)
			assert.Len(t, d.e.Faults(), 2)
			for _, m := range []string{"PATCH", "DELETE"} {
				sent := 0
				for _, q := range d.e.Requests() {
					if q.Method == m && strings.Contains(q.Path, "/bookmarks/") {
						sent++
					}
				}
				assert.Equal(t, map[bool]int{true: 1, false: 2}[l.acted], sent, "%s sent again only when DCT had not acted", m)
			}
		})
	}
}
