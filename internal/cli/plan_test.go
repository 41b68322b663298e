package cli_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/dxsteps/dxsteps/internal/cli"
	st "github.com/dxsteps/dxsteps/internal/steps/steptest"
	"github.com/dxsteps/dxsteps/test/engine"
	"github.com/dxsteps/dxsteps/test/engine/enginetest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// careless changes something without planning it: a plan must refuse the
// request before it leaves, and fail loudly.
func careless() *cli.Step {
	return &cli.Step{Name: "dx-try", Usage: "try", Platforms: []string{cli.PlatformEngine, cli.PlatformDCT}, Keys: []*cli.Key{cli.DryRun},
		Parse: func(in *cli.Input) (cli.Runner, error) {
			return func(ctx context.Context, s *cli.Session) (any, error) {
				if err := s.Act(cli.Action{Action: "lock", Object: "data pod", Name: "dp", Parameters: map[string]string{"by": "qa"}}, func() error {
					return nil
				}); err != nil {
					return nil, err
				}
				if s.DCT != nil {
					_, err := s.DCT.VDBs.Snapshot(ctx, "1-VDB-1")
					return map[string]string{"done": "yes"}, err
				}
				db, err := s.Client.Databases.FindByName(ctx, "Patients Masked Master")
				if err != nil {
					return nil, err
				}
				_, err = s.Client.Databases.Sync(ctx, db)
				return map[string]string{"done": "yes"}, err
			}, nil
		}}
}

func TestAPlanRefusesAnUnplannedChangeBeforeItIsSent(t *testing.T) {
	e := enginetest.Start(t)
	for _, env := range [][]string{
		{"DELPHIX_ENGINE=" + e.URL(), "DELPHIX_USER=delphix_admin", "DELPHIX_PASSWORD=landshark"},
		{"DELPHIX_ENGINE=" + e.URL(), "DELPHIX_PLATFORM=dct", "DELPHIX_API_KEY=" + engine.DCTKey(1, "delphix_admin")},
	} {
		e.ClearRequests()
		code, out, errs := runStep(careless(), env, "--dry-run")
		assert.Equal(t, cli.ExitFailed, code, errs)
		assert.Contains(t, errs, "plan: would lock data pod \"dp\" with by qa")
		assert.Contains(t, errs, "was not sent: a plan (--dry-run) sends nothing that changes anything")
		assert.Empty(t, out)
		assert.Empty(t, st.Changes(e), "nothing that changes anything reached the engine")
	}
}

func TestAPlanPrintsTheResultWithTheActions(t *testing.T) {
	e := enginetest.Start(t)
	step := &cli.Step{Name: "dx-try", Usage: "try", Keys: []*cli.Key{cli.DryRun},
		Parse: func(in *cli.Input) (cli.Runner, error) {
			return func(ctx context.Context, s *cli.Session) (any, error) {
				err := s.Act(cli.Action{Action: "share", Object: "bookmark", Name: "b", Reference: "BM-1"}, func() error {
					t.Error("a plan must not act")
					return nil
				})
				return struct {
					Bookmark string `json:"bookmark"`
				}{"b"}, err
			}, nil
		}}
	code, out, errs := runStep(step, []string{"DELPHIX_ENGINE=" + e.URL(), "DELPHIX_USER=delphix_admin", "DELPHIX_PASSWORD=landshark"}, "--dry-run")
	require.Equal(t, 0, code, errs)
	var got map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	assert.Equal(t, map[string]any{"bookmark": "b", "dryRun": true,
		"plan": []any{map[string]any{"action": "share", "object": "bookmark", "name": "b", "reference": "BM-1"}}}, got)
}
