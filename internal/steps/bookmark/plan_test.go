package bookmark_test

import (
	"strings"
	"testing"
	"time"

	"github.com/dxsteps/dxsteps/internal/steps/bookmark"
	"github.com/dxsteps/dxsteps/internal/steps/datapod"
	"github.com/dxsteps/dxsteps/internal/steps/refresh"
	st "github.com/dxsteps/dxsteps/internal/steps/steptest"
	"github.com/dxsteps/dxsteps/test/engine"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// platform runs a step on one platform of the local engine e.
type platform struct {
	name string
	run  func(t *testing.T, args ...string) st.Result
}

// onBoth runs test on each platform, each with a local engine of its own.
func onBoth(t *testing.T, test func(t *testing.T, e *engine.Engine, p platform)) {
	t.Run("engine", func(t *testing.T) {
		e := st.Engine(t)
		test(t, e, platform{"engine", func(t *testing.T, args ...string) st.Result {
			t.Helper()
			return st.Run(t, bookmark.Step, e, nil, args...)
		}})
	})
	t.Run("dct", func(t *testing.T) {
		e := st.Engine(t)
		env := specChecked(t, e)
		test(t, e, platform{"dct", func(t *testing.T, args ...string) st.Result {
			t.Helper()
			return st.RunDCT(t, bookmark.Step, e, st.DCTAdmin, env, args...)
		}})
	})
}

func (p platform) ok(t *testing.T, args ...string) map[string]any {
	t.Helper()
	r := p.run(t, args...)
	require.Equal(t, 0, r.Code, r.Stderr)
	return r.JSON(t)
}

// planOf runs args with --dry-run on p, checks that the engine received
// requests and none that changes anything, and returns the result.
func planOf(t *testing.T, e *engine.Engine, p platform, code int, args ...string) st.Result {
	t.Helper()
	e.ClearRequests()
	r := p.run(t, append(args, "--dry-run")...)
	require.Equal(t, code, r.Code, r.Stderr)
	assert.NotEmpty(t, e.Requests(), "the plan asked the platform")
	assert.Empty(t, changing(e), "a plan sends nothing that changes anything")
	return r
}

// changing is every request in e's log other than a read (steptest.Changes).
func changing(e *engine.Engine) []string { return st.Changes(e) }

// actions is a plan's actions as "action reference name".
func actions(t *testing.T, out map[string]any) []string {
	t.Helper()
	assert.Equal(t, true, out["dryRun"])
	var as []string
	for _, a := range out["plan"].([]any) {
		m := a.(map[string]any)
		assert.Equal(t, "bookmark", m["object"])
		ref, _ := m["reference"].(string)
		as = append(as, strings.TrimSpace(m["action"].(string)+" "+ref)+" "+m["name"].(string))
	}
	return as
}

// shown is a bookmark as list shows it, nil when list does not.
func shown(t *testing.T, p platform, name string) map[string]any {
	t.Helper()
	for _, b := range p.ok(t, "list", "--name", name)["bookmarks"].([]any) {
		if b.(map[string]any)["bookmark"] == name {
			return b.(map[string]any)
		}
	}
	return nil
}

// Every operation's plan changes nothing, names the action and object a
// real run then takes, and describes the bookmark as the real run does.
func TestAPlanOfEachOperationChangesNothingAndNamesWhatARealRunDoes(t *testing.T) {
	onBoth(t, func(t *testing.T, e *engine.Engine, p platform) {
		create := []string{"create", "--container", "prep1", "--name", "2026-12-01 50", "--tag", "50%,build=7", "--shared",
			"--expires", "2027-01-31", "--source-snapshot", "SNAP-9", "--build", "jenkins-7"}
		plan := planOf(t, e, p, 0, create...).JSON(t)
		assert.Equal(t, []string{`create 2026-12-01 50`}, actions(t, plan))
		assert.Nil(t, shown(t, p, "2026-12-01 50"), "a plan makes no bookmark")
		assert.Equal(t, true, plan["created"])
		assert.Empty(t, plan["bookmarkReference"])

		made := p.ok(t, create...)
		assert.Equal(t, true, made["created"])
		for _, k := range []string{"bookmark", "container", "template", "shared", "tags", "expiration", "provenance"} {
			assert.Equal(t, made[k], plan[k], "the plan shows the bookmark's %s as the real run makes it", k)
		}
		ref := made["bookmarkReference"].(string)

		// A rerun reuses it: no action, the bookmark that is there.
		again := planOf(t, e, p, 0, create...).JSON(t)
		assert.Empty(t, actions(t, again))
		assert.Equal(t, false, again["created"])
		assert.Equal(t, ref, again["bookmarkReference"])

		unshare := planOf(t, e, p, 0, "unshare", "--name", "2026-12-01 50").JSON(t)
		assert.Equal(t, []string{"unshare " + ref + " 2026-12-01 50"}, actions(t, unshare))
		assert.Equal(t, true, shown(t, p, "2026-12-01 50")["shared"], "still shared after the plan")
		assert.Equal(t, false, p.ok(t, "unshare", "--name", "2026-12-01 50")["shared"])

		// create --shared of the bookmark there, unshared: a share, proven masked as the real run does.
		share := planOf(t, e, p, 0, create...)
		assert.Equal(t, []string{"share " + ref + " 2026-12-01 50"}, actions(t, share.JSON(t)))
		assert.Contains(t, share.Stderr, `the data bookmark "2026-12-01 50" publishes is proven masked`)
		assert.Equal(t, false, shown(t, p, "2026-12-01 50")["shared"])
		assert.Equal(t, true, p.ok(t, create...)["shared"])

		del := planOf(t, e, p, 0, "delete", "--container", "prep1", "--name", "2026-12-01 50").JSON(t)
		assert.Equal(t, []string{"delete " + ref + " 2026-12-01 50"}, actions(t, del))
		assert.NotNil(t, shown(t, p, "2026-12-01 50"), "a planned delete deletes nothing")
		assert.Equal(t, ref, p.ok(t, "delete", "--container", "prep1", "--name", "2026-12-01 50")["bookmarkReference"])
		assert.Nil(t, shown(t, p, "2026-12-01 50"))

		list := planOf(t, e, p, 0, "list").JSON(t)
		assert.Empty(t, actions(t, list))
	})
}

// prune's plan lists exactly the bookmarks a real prune then deletes, one
// delete action each, and keeps and skips the others with the real run's
// reasons; a bookmark retained forever is never in it.
func TestAPrunePlanDeletesExactlyWhatARealPruneDeletes(t *testing.T) {
	onBoth(t, func(t *testing.T, e *engine.Engine, p platform) {
		p.ok(t, "--container", "prep1", "--name", "golden", "--tag", "ci", "--retain-forever")
		require.True(t, e.BackdateBookmark("golden", 90*24*time.Hour))
		for i, n := range []string{"b1", "b2", "b3", "b4"} {
			p.ok(t, "--container", "prep1", "--name", n, "--tag", "ci")
			require.True(t, e.BackdateBookmark(n, time.Duration(10-i)*24*time.Hour))
		}
		for i, n := range []string{"restored", "newer"} {
			p.ok(t, "--container", "prep2", "--name", n, "--tag", "ci")
			require.True(t, e.BackdateBookmark(n, time.Duration(8-i)*24*time.Hour))
		}
		restore := []string{"restore", "--container", "prep2", "--bookmark", "restored"}
		if p.name == "dct" {
			require.Equal(t, 0, st.RunDCT(t, datapod.Step, e, st.DCTAdmin, nil, restore...).Code)
		} else {
			st.OK(t, datapod.Step, e, restore...)
		}

		args := []string{"prune", "--tag", "ci", "--keep", "1"}
		dry := planOf(t, e, p, 0, args...)
		wordsAgree(t, dry)
		plan := dry.JSON(t)
		real := p.ok(t, args...)
		assert.ElementsMatch(t, []string{"b1", "b2", "b3"}, field(t, real, "deleted"))
		assert.Equal(t, field(t, real, "deleted"), field(t, plan, "deleted"))
		var deleted []string
		for _, b := range real["deleted"].([]any) {
			deleted = append(deleted, "delete "+b.(map[string]any)["bookmarkReference"].(string)+" "+b.(map[string]any)["bookmark"].(string))
		}
		assert.Equal(t, deleted, actions(t, plan), "one delete action for each bookmark the real run deletes")
		assert.Equal(t, reasons(t, real, "kept"), reasons(t, plan, "kept"))
		assert.Equal(t, reasons(t, real, "skipped"), reasons(t, plan, "skipped"))
		assert.Equal(t, foreverReason, reasons(t, plan, "kept")["golden"])
		assert.Contains(t, reasons(t, plan, "skipped"), "restored")
		for _, b := range plan["deleted"].([]any) {
			assert.Nil(t, b.(map[string]any)["deleted"], "a plan says of no bookmark that it was deleted")
		}
		assert.NotNil(t, shown(t, p, "golden"))
		assert.Nil(t, shown(t, p, "b1"))
	})
}

// A plan stops where a real run stops, with the same exit code: data not
// proven masked (1), a name that matches nothing (2).
func TestAPlanFailsWhereARealRunFailsWithTheSameExitCode(t *testing.T) {
	onBoth(t, func(t *testing.T, e *engine.Engine, p platform) {
		// The master's masking fails; prep2 takes its production data (the opt-out) and
		// is bookmarked, unshared.
		e.FailNextJob(engine.JobFault{Target: "Patients Masked Master", ActionType: "MASKING_JOB_EXECUTE", Message: "Masking job 12 failed: table PATIENTS is locked."})
		require.Equal(t, 1, st.Run(t, refresh.Step, e, nil, "--vdb", "Patients Masked Master").Code)
		c := st.EngineClient(t, e)
		master, err := c.Databases.FindByName(t.Context(), "Patients Masked Master")
		require.NoError(t, err)
		op, err := c.Databases.Sync(t.Context(), master)
		require.NoError(t, err)
		_, err = c.Jobs.Wait(t.Context(), op.Job, nil)
		require.NoError(t, err)
		st.OK(t, datapod.Step, e, "--template", "Patients", "--container", "prep2", "--allow-unmasked")
		p.ok(t, "--container", "prep2", "--name", "unmasked")

		for _, tc := range []struct {
			code int
			args []string
			want string
		}{
			{1, []string{"create", "--container", "prep2", "--name", "new shared", "--shared"}, "not proven masked, nothing was changed"},
			{1, []string{"share", "--container", "prep2", "--name", "unmasked"}, "not proven masked, nothing was changed"},
			{1, []string{"create", "--container", "prep2", "--name", "unmasked", "--shared"}, "not proven masked, nothing was changed"},
			{2, []string{"share", "--name", "missing"}, `no bookmark is named "missing"`},
			{2, []string{"create", "--container", "nothing", "--name", "x"}, `"nothing"`},
		} {
			plan := planOf(t, e, p, tc.code, tc.args...)
			assert.Contains(t, plan.Stderr, tc.want, "%v", tc.args)
			r := p.run(t, tc.args...)
			assert.Equal(t, tc.code, r.Code, "%v: the real run too: %s", tc.args, r.Stderr)
			assert.Contains(t, r.Stderr, tc.want, "%v", tc.args)
		}
		assert.Nil(t, shown(t, p, "new shared"))
		assert.Equal(t, false, shown(t, p, "unmasked")["shared"])
	})
}
