package cli_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/dxsteps/dxsteps/internal/cli"
	"github.com/dxsteps/dxsteps/test/engine"
	"github.com/dxsteps/dxsteps/test/engine/enginetest"
	"github.com/stretchr/testify/assert"
)

// platformStep drives both platforms and prints which one its session drives.
func platformStep(platforms ...string) *cli.Step {
	onlyDCT := &cli.Key{Flag: "vdb-group", Type: cli.String, Platforms: []string{cli.PlatformDCT}, Usage: "a DCT-only `NAME`"}
	return &cli.Step{Name: "dx-try", Usage: "try", Platforms: platforms, Keys: []*cli.Key{onlyDCT},
		Parse: func(in *cli.Input) (cli.Runner, error) {
			return func(ctx context.Context, s *cli.Session) (any, error) {
				return map[string]string{"platform": s.Platform(), "input": in.Platform, "url": s.BaseURL()}, nil
			}, nil
		}}
}

func runStep(step *cli.Step, env []string, args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := cli.Run(context.Background(), step, append([]string{step.Name}, args...), &out, &errb,
		append([]string{"DELPHIX_RETRY_MAX=0"}, env...))
	return code, out.String(), errb.String()
}

func TestThePlatformIsChosenByFlagEnvironmentOrConfig(t *testing.T) {
	e := enginetest.Start(t)
	key := "DELPHIX_API_KEY=" + engine.DCTKey(1, "delphix_admin")
	step := platformStep(cli.PlatformEngine, cli.PlatformDCT)
	engineEnv := []string{"DELPHIX_ENGINE=" + e.URL(), "DELPHIX_USER=delphix_admin", "DELPHIX_PASSWORD=landshark"}

	code, out, errs := runStep(step, engineEnv)
	assert.Equal(t, 0, code, errs)
	assert.Contains(t, out, `"platform":"engine"`)

	code, out, errs = runStep(step, []string{"DELPHIX_ENGINE=" + e.URL(), key}, "--platform", "dct")
	assert.Equal(t, 0, code, errs)
	assert.Contains(t, out, `"platform":"dct"`)
	assert.Contains(t, out, e.URL()+"/dct/v3")

	code, out, errs = runStep(step, []string{"DELPHIX_ENGINE=" + e.URL(), key, "DELPHIX_PLATFORM=DCT"})
	assert.Equal(t, 0, code, errs)
	assert.Contains(t, out, `"input":"dct"`)

	cfg := filepath.Join(t.TempDir(), "c.yaml")
	assert.NoError(t, os.WriteFile(cfg, []byte("platform: dct\ndct-base-path: /v3\n"), 0o600))
	code, out, errs = runStep(step, []string{"DELPHIX_ENGINE=" + e.URL(), key}, "--config", cfg)
	assert.Equal(t, 0, code, errs)
	assert.Contains(t, out, e.URL()+"/v3")
}

func TestBadPlatformSettingsAreRefusedBeforeAnyRequest(t *testing.T) {
	e := enginetest.Start(t)
	env := []string{"DELPHIX_ENGINE=" + e.URL()}

	code, _, errs := runStep(platformStep(cli.PlatformEngine, cli.PlatformDCT), env, "--platform", "jetstream")
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, `--platform "jetstream" is not a platform: use "engine" or "dct"`)

	code, _, errs = runStep(platformStep(), env, "--platform", "dct")
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, "dx-try does not drive --platform dct yet: it drives engine")

	code, _, errs = runStep(platformStep(cli.PlatformEngine, cli.PlatformDCT), append(env, "DELPHIX_USER=delphix_admin", "DELPHIX_PASSWORD=landshark"), "--vdb-group", "g")
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, "--vdb-group applies to --platform dct only, not engine")

	code, _, errs = runStep(platformStep(cli.PlatformEngine, cli.PlatformDCT), env, "--platform", "dct")
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, "no API key: set DELPHIX_API_KEY or --api-key-file")

	empty := filepath.Join(t.TempDir(), "key")
	assert.NoError(t, os.WriteFile(empty, []byte("\n"), 0o600))
	code, _, errs = runStep(platformStep(cli.PlatformEngine, cli.PlatformDCT), env, "--platform", "dct", "--api-key-file", empty)
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, "is empty: write the API key in it")
}

func TestARefusedAPIKeyExits3WithoutShowingIt(t *testing.T) {
	e := enginetest.Start(t)
	code, out, errs := runStep(platformStep(cli.PlatformEngine, cli.PlatformDCT),
		[]string{"DELPHIX_ENGINE=" + e.URL(), "DELPHIX_API_KEY=1.not-a-real-key"}, "--platform", "dct")
	assert.Equal(t, 3, code, errs)
	assert.Empty(t, out)
	assert.Contains(t, errs, "credentials refused")
	assert.Contains(t, errs, "refused the API key")
	assert.NotContains(t, errs, "not-a-real-key")
}
