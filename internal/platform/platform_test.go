package platform_test

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/dxsteps/dxsteps/internal/cli"
	"github.com/dxsteps/dxsteps/internal/platform"
	st "github.com/dxsteps/dxsteps/internal/steps/steptest"
	"github.com/dxsteps/dxsteps/test/engine"
	"github.com/dxsteps/dxsteps/test/engine/enginetest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// syncStep syncs Patients Prod through platform.Of: the same code on both platforms.
func syncStep(got *platform.Job) *cli.Step {
	return &cli.Step{Name: "dx-try", Usage: "try", Platforms: []string{cli.PlatformEngine, cli.PlatformDCT}, Keys: []*cli.Key{cli.DryRun},
		Parse: func(in *cli.Input) (cli.Runner, error) {
			return func(ctx context.Context, s *cli.Session) (any, error) {
				p := platform.Of(s)
				ds, err := p.FindSource(ctx, "Patients Prod")
				if err != nil {
					return nil, err
				}
				if err := p.WaitIdle(ctx, "dSource", time.Minute, ds.Reference); err != nil {
					return nil, err
				}
				job, err := p.Sync(ctx, ds, platform.JobSpec{Label: "dSource", Targets: []string{ds.Reference}, BusyWait: time.Minute,
					Action: cli.Action{Action: "sync", Object: "dSource", Name: ds.Name, Reference: ds.Reference}})
				*got = job
				return map[string]string{"platform": p.Name()}, err
			}, nil
		}}
}

func run(t *testing.T, e *engine.Engine, platformName string, args ...string) (int, map[string]any, string) {
	env := []string{"DELPHIX_ENGINE=" + e.URL(), "DELPHIX_RETRY_MAX=0"}
	if platformName == cli.PlatformDCT {
		env = append(env, "DELPHIX_PLATFORM=dct", "DELPHIX_API_KEY="+engine.DCTKey(1, "delphix_admin"))
	} else {
		env = append(env, "DELPHIX_USER=delphix_admin", "DELPHIX_PASSWORD=landshark")
	}
	var got platform.Job
	var out, errb bytes.Buffer
	code := cli.Run(context.Background(), syncStep(&got), append([]string{"dx-try"}, args...), &out, &errb, env)
	var res map[string]any
	if out.Len() > 0 {
		require.NoError(t, json.Unmarshal(out.Bytes(), &res))
	}
	res["job"] = got
	return code, res, errb.String()
}

// Jobs.Run runs the job to its end on either platform, and in a plan records the action and
// starts nothing: the same step code, two platforms.
func TestRunFollowsTheJobOrInAPlanRecordsIt(t *testing.T) {
	for _, p := range []string{cli.PlatformEngine, cli.PlatformDCT} {
		t.Run(p, func(t *testing.T) {
			e := enginetest.Start(t)
			e.ClearRequests()
			code, res, errs := run(t, e, p, "--dry-run")
			require.Equal(t, 0, code, errs)
			assert.Empty(t, st.Changes(e))
			assert.Equal(t, platform.Job{Planned: true}, res["job"])
			plan := res["plan"].([]any)
			require.Len(t, plan, 1)
			assert.Equal(t, "sync", plan[0].(map[string]any)["action"])

			code, res, errs = run(t, e, p)
			require.Equal(t, 0, code, errs)
			job := res["job"].(platform.Job)
			assert.NotEmpty(t, job.ID)
			assert.Equal(t, "COMPLETED", job.State)
			assert.False(t, job.Planned)
			assert.Equal(t, p, res["platform"])
			assert.Contains(t, errs, "job "+job.ID+" COMPLETED")
		})
	}
}
