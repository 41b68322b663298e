package steps_test

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dxsteps/dxsteps/internal/cli"
	"github.com/dxsteps/dxsteps/internal/steps/bookmark"
	"github.com/dxsteps/dxsteps/internal/steps/credentials"
	"github.com/dxsteps/dxsteps/internal/steps/datapod"
	"github.com/dxsteps/dxsteps/internal/steps/dbsync"
	"github.com/dxsteps/dxsteps/internal/steps/refresh"
	st "github.com/dxsteps/dxsteps/internal/steps/steptest"
	"github.com/dxsteps/dxsteps/internal/steps/subset"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// documented is a difference between the platforms' outputs that docs/dct.md's platform table
// ("Engine and DCT: what each step calls") states: the row whose first cell is row says says.
type documented struct{ row, says string }

var (
	branchIsATimeflow = documented{"`dx-bookmark list`", "`branch` is the bookmark's timeflow"}
	podHasNoBranch    = documented{"`dx-datapod refresh`", "`activeBranch` is empty"}
	noDatabaseUser    = documented{"`dx-credentials` (`--exec`)", "`DX_DB_USER` is unset"}
	templateIsAdmins  = documented{"`dx-bookmark list`", "`template` is empty for an account that cannot see the template's VDB group"}
)

// paritySteps is the pipeline, in order, as both platforms run it from the same seed. Each
// step's output is compared field by field (its tool's DX_DB_* environment too, for a step
// given env): a field may differ only as allowed, each allowance a row of docs/dct.md's table. An
// allowance names a field by its dotted path ("*" for any list index) and covers what is under it.
// "{snapshot}" in an argument is the platform's own dx-sync snapshot.
var paritySteps = []struct {
	step    *cli.Step
	qa      bool // run as the qa account, else as the admin
	args    []string
	env     string // the --exec tool writes its DX_DB_* here (in the platform's directory)
	allowed map[string]documented
}{
	{step: dbsync.Step, args: []string{"--database", "Patients Prod"}},
	{step: refresh.Step, args: []string{"--vdb", "Patients Masked Master", "--snapshot", "{snapshot}", "--require-masked"},
		allowed: map[string]documented{"maskingEvidence": {"`dx-refresh`", "DCT never masks in a refresh"}}},
	{step: credentials.Step, args: []string{"--vdb", "Patients Masked Master", "--policy", "{policy}", "--exec", "env | grep ^DX_DB_ > {env}"},
		env: "credentials.env", allowed: map[string]documented{"DX_DB_USER": noDatabaseUser}},
	{step: datapod.Step, args: []string{"refresh", "--container", "prep1", "--template", "Patients"},
		allowed: map[string]documented{"activeBranch": podHasNoBranch}},
	{step: subset.Step, args: []string{"--container", "prep1", "--percent", "50", "--exec", "env | grep ^DX_DB_ > {env}"},
		env: "subset.env", allowed: map[string]documented{"DX_DB_USER": {"`dx-subset`", "no `DX_DB_USER`"}}},
	{step: bookmark.Step, args: []string{"create", "--container", "prep1", "--name", "2026-12-01 50", "--tag", "50%", "--tag", "build=7", "--source-snapshot", "{snapshot}"},
		allowed: map[string]documented{"branch": branchIsATimeflow}},
	{step: bookmark.Step, args: []string{"create", "--template", "Patients", "--name", "golden", "--retain-forever"},
		allowed: map[string]documented{"branch": branchIsATimeflow}},
	{step: bookmark.Step, args: []string{"list"}, allowed: map[string]documented{"bookmarks.*.branch": branchIsATimeflow}},
	{step: bookmark.Step, args: []string{"list", "--container", "prep1"}, allowed: map[string]documented{"bookmarks.*.branch": branchIsATimeflow}},
	{step: bookmark.Step, args: []string{"list", "--template", "Patients"}, allowed: map[string]documented{"bookmarks.*.branch": branchIsATimeflow}},
	{step: bookmark.Step, args: []string{"share", "--container", "prep1", "--name", "2026-12-01 50"}, allowed: map[string]documented{"branch": branchIsATimeflow}},
	{step: bookmark.Step, args: []string{"unshare", "--container", "prep1", "--name", "2026-12-01 50"}, allowed: map[string]documented{"branch": branchIsATimeflow}},
	{step: bookmark.Step, args: []string{"share", "--container", "prep1", "--name", "2026-12-01 50"}, allowed: map[string]documented{"branch": branchIsATimeflow}},
	{step: datapod.Step, args: []string{"restore", "--container", "prep1", "--bookmark", "2026-12-01 50"}, allowed: map[string]documented{"activeBranch": podHasNoBranch}},
	{step: datapod.Step, args: []string{"reset", "--container", "prep1"}, allowed: map[string]documented{"activeBranch": podHasNoBranch}},
	{step: datapod.Step, args: []string{"lock", "--container", "prep1"}, allowed: map[string]documented{"activeBranch": podHasNoBranch}},
	{step: datapod.Step, args: []string{"unlock", "--container", "prep1"}, allowed: map[string]documented{"activeBranch": podHasNoBranch}},
	{step: datapod.Step, args: []string{"disable", "--container", "prep1"}, allowed: map[string]documented{"activeBranch": podHasNoBranch}},
	{step: datapod.Step, args: []string{"enable", "--container", "prep1"}, allowed: map[string]documented{"activeBranch": podHasNoBranch}},
	{step: bookmark.Step, args: []string{"prune", "--container", "prep1", "--keep", "0", "--dry-run"}, allowed: map[string]documented{"deleted.*.branch": branchIsATimeflow}},
	{step: bookmark.Step, args: []string{"delete", "--container", "prep1", "--name", "2026-12-01 50"}, allowed: map[string]documented{"branch": branchIsATimeflow}},
	{step: bookmark.Step, args: []string{"list"}, allowed: map[string]documented{"bookmarks.*.branch": branchIsATimeflow}},
	{step: datapod.Step, qa: true, args: []string{"lock", "--container", "qa-pod"}, allowed: map[string]documented{"activeBranch": podHasNoBranch,
		"template": {"`dx-datapod refresh`", "`template` is empty for an account that cannot see the template's VDB group"}}},
	{step: datapod.Step, qa: true, args: []string{"unlock", "--container", "qa-pod"}, allowed: map[string]documented{"activeBranch": podHasNoBranch,
		"template": {"`dx-datapod refresh`", "`template` is empty for an account that cannot see the template's VDB group"}}},
	{step: bookmark.Step, qa: true, args: []string{"create", "--container", "qa-pod", "--name", "qa run 7", "--tag", "qa"},
		allowed: map[string]documented{"branch": branchIsATimeflow, "template": templateIsAdmins}},
	{step: bookmark.Step, qa: true, args: []string{"list", "--tag", "qa"},
		allowed: map[string]documented{"bookmarks.*.branch": branchIsATimeflow, "bookmarks.*.template": templateIsAdmins}},
}

// TestTheSamePipelineGivesTheSameOutputsOnBothPlatforms runs paritySteps on the engine API and
// on DCT, each from a fresh local engine, and compares every output field by field. What each
// platform answers on its own is compared by kind only: ids (a *Reference, a snapshot, a job:
// each platform's own, docs/dct.md) are set on both or neither, times (each run's own) are times on
// both or neither.
func TestTheSamePipelineGivesTheSameOutputsOnBothPlatforms(t *testing.T) {
	table := platformTable(t)
	outputs := map[string][]map[string]any{}
	for _, platform := range []string{"engine", "dct"} {
		e := st.Engine(t)
		require.NoError(t, e.ChangeProd("Patients Prod"))
		dir := t.TempDir()
		policy := filepath.Join(dir, "accounts.yaml")
		require.NoError(t, os.WriteFile(policy, []byte("accounts:\n  - {name: dba_alice, action: drop}\n"), 0o600))
		var spec []string
		if platform == "dct" {
			spec = st.DCTSpecEnv(t, e)
		}
		snapshot := ""
		for _, s := range paritySteps {
			args := slices.Clone(s.args)
			for i := range args {
				args[i] = strings.NewReplacer("{snapshot}", snapshot, "{policy}", policy, "{env}", filepath.Join(dir, s.env)).Replace(args[i])
			}
			var r st.Result
			switch {
			case platform == "dct" && s.qa:
				r = st.RunDCT(t, s.step, e, st.DCTQA, spec, args...)
			case platform == "dct":
				r = st.RunDCT(t, s.step, e, st.DCTAdmin, spec, args...)
			case s.qa:
				r = st.Run(t, s.step, e, []string{"DELPHIX_USER=qa", "DELPHIX_PASSWORD=qa-local-pw"}, args...)
			default:
				r = st.Run(t, s.step, e, nil, args...)
			}
			require.Equal(t, 0, r.Code, "%s %s %q: %s", platform, s.step.Name, args, r.Stderr)
			checkProgress(t, platform, r.Stderr)
			out := r.JSON(t)
			if s.step == dbsync.Step {
				snapshot = out["snapshot"].(string)
			}
			if s.env != "" {
				raw, err := os.ReadFile(filepath.Join(dir, s.env))
				require.NoError(t, err)
				for _, kv := range strings.Fields(string(raw)) {
					k, v, _ := strings.Cut(kv, "=")
					out[k] = v
				}
			}
			outputs[platform] = append(outputs[platform], out)
		}
	}
	for i, s := range paritySteps {
		name := s.step.Name + " " + strings.Join(s.args, " ")
		differ := map[string]bool{}
		compare("", outputs["engine"][i], outputs["dct"][i], func(field string, engine, dct any) {
			var why documented
			ok := false
			for pattern, w := range s.allowed {
				if covers(pattern, field) {
					why, ok, differ[pattern] = w, true, true
				}
			}
			assert.True(t, ok, "%s: %s is %v on the engine, %v on DCT, and docs/dct.md's platform table does not say why", name, field, engine, dct)
			if ok {
				assert.Contains(t, table[why.row], why.says, "%s: the platform table's row %s must say why %s differs", name, why.row, field)
			}
		})
		for field := range s.allowed {
			assert.True(t, differ[field], "%s: %s is allowed to differ but is the same on both: drop the allowance", name, field)
		}
	}
}

// covers says whether the allowance pattern names field or a field above it.
func covers(pattern, field string) bool {
	p, f := strings.Split(pattern, "."), strings.Split(field, ".")
	if len(p) > len(f) {
		return false
	}
	for i := range p {
		if p[i] != "*" && p[i] != f[i] {
			return false
		}
	}
	return true
}

var progressLine = regexp.MustCompile(`^\S+:   (\S+) +(\d+)%(?: (.*))?$`)

// checkProgress checks a run's job progress lines: each says something (a percent alone only
// when it moved since the job's last line), and no task title is glued to a message.
func checkProgress(t *testing.T, platform, stderr string) {
	t.Helper()
	last := map[string]string{}
	for _, line := range strings.Split(stderr, "\n") {
		m := progressLine.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		if m[3] == "" {
			assert.NotEqual(t, m[2], last[m[1]], "%s: a percent line that says nothing new: %q\n%s", platform, line, stderr)
		}
		assert.NotContains(t, m[3], ".: ", "%s: %q", platform, line)
		last[m[1]] = m[2]
	}
}

var (
	idField   = regexp.MustCompile(`(Reference|^snapshot|\.snapshot|[Ss]napshot$|^job|\.job)$`)
	timeField = regexp.MustCompile(`(Time|[Tt]imestamp|snapshotName|expiration)$`)
)

// compare calls differ for each field (a dotted path, list items by index) whose values differ
// beyond what the comment on the test allows.
func compare(path string, engine, dct any, differ func(field string, engine, dct any)) {
	em, eok := engine.(map[string]any)
	dm, dok := dct.(map[string]any)
	if eok && dok {
		keys := map[string]bool{}
		for k := range em {
			keys[k] = true
		}
		for k := range dm {
			keys[k] = true
		}
		for k := range keys {
			compare(strings.TrimPrefix(path+"."+k, "."), em[k], dm[k], differ)
		}
		return
	}
	el, eok := engine.([]any)
	dl, dok := dct.([]any)
	if eok && dok && len(el) == len(dl) {
		for i := range el {
			compare(fmt.Sprintf("%s.%d", path, i), el[i], dl[i], differ)
		}
		return
	}
	es, eok := engine.(string)
	ds, dok := dct.(string)
	switch {
	case eok && dok && idField.MatchString(path):
		if (es == "") != (ds == "") {
			differ(path, engine, dct)
		}
	case eok && dok && timeField.MatchString(path):
		if isTime(es) != isTime(ds) || (es == "") != (ds == "") {
			differ(path, engine, dct)
		}
	case !reflect.DeepEqual(engine, dct):
		differ(path, engine, dct)
	}
}

func isTime(s string) bool {
	s = strings.TrimPrefix(s, "@")
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.000", time.DateOnly} {
		if _, err := time.Parse(layout, s); err == nil {
			return true
		}
	}
	return false
}

// platformTable is docs/dct.md's "Engine and DCT: what each step calls" table: each row by its
// first cell.
func platformTable(t *testing.T) map[string]string {
	t.Helper()
	raw, err := os.ReadFile("../../docs/dct.md")
	require.NoError(t, err)
	_, section, ok := strings.Cut(string(raw), "\n## Engine and DCT: what each step calls\n")
	require.True(t, ok, "docs/dct.md: no platform table")
	section, _, _ = strings.Cut(section, "\n## ")
	rows := map[string]string{}
	for _, line := range strings.Split(section, "\n") {
		if cells := strings.Split(line, " | "); strings.HasPrefix(line, "| `") && len(cells) == 4 {
			rows[strings.TrimPrefix(cells[0], "| ")] = line
		}
	}
	require.NotEmpty(t, rows)
	return rows
}
