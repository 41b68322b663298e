package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/dxsteps/dxsteps/test/engine"
	"github.com/dxsteps/dxsteps/test/engine/enginetest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDataPodIsCreatedFromItsTemplateOnceAndRefreshedAfter(t *testing.T) {
	seed := engine.WorkshopSeed()
	seed.VDBs = append(seed.VDBs, engine.SeedDatabase{Name: "prep7 DB", Platform: "appdata", Group: "Self-Service",
		Parent: "Patients Masked Master", Connection: engine.Connection{Host: "target-db.workshop.local", Port: 5499, Database: "prep7", User: "postgres"}})
	e := enginetest.Start(t, engine.Options{Seed: seed})

	r := run(t, e, "dx-datapod", "refresh", "--template", "Patients", "--container", "prep7")
	assert.Equal(t, 2, r.code, "without --create a missing pod is an error")
	assert.Contains(t, r.stderr, `no data container is named "prep7"`)

	out := ok(t, run(t, e, "dx-datapod", "refresh", "--template", "Patients", "--container", "prep7", "--create", "--vdb", "prep7 DB"))
	assert.Equal(t, true, out["created"])
	assert.Equal(t, "Patients", out["template"])
	assert.Equal(t, "ONLINE", out["state"])
	tmpl, _ := e.Dataset("Patients")
	assert.Equal(t, tmpl.Contents.Rows, rows(t, e, "prep7"))

	out = ok(t, run(t, e, "dx-datapod", "refresh", "--template", "Patients", "--container", "prep7", "--create", "--vdb", "prep7 DB"))
	assert.Equal(t, false, out["created"], "a rerun refreshes the pod it created")
}

func TestInconsistentPodIsRecoveredAndOfflinePodEnabledBeforeRefresh(t *testing.T) {
	e := enginetest.Start(t)
	testAPI(t, e, "POST", "/faults", map[string]any{"containerState": map[string]any{"container": "prep2", "state": "INCONSISTENT"}})
	r := run(t, e, "dx-datapod", "--container", "prep2")
	out := ok(t, r)
	assert.Contains(t, r.stderr, "INCONSISTENT; recovering it first")
	assert.Equal(t, "ONLINE", out["state"])

	ok(t, run(t, e, "dx-datapod", "disable", "--container", "prep2"))
	r = run(t, e, "dx-datapod", "refresh", "--container", "prep2")
	out = ok(t, r)
	assert.Contains(t, r.stderr, "OFFLINE; enabling it first")
	assert.Equal(t, "ONLINE", out["state"])
}

func TestDataPodStepWaitsForAJobAlreadyRunningOnThePod(t *testing.T) {
	e := enginetest.Start(t, engine.Options{Speed: 1})
	first := make(chan result, 1)
	go func() { first <- run(t, e, "dx-datapod", "--container", "prep4") }()
	// The second run finds the first one's job running and waits for it
	// instead of failing on a busy pod or starting a second job at once.
	var second result
	require.Eventually(t, func() bool {
		for _, req := range e.Requests() {
			if req.Method == "POST" && req.Status == 200 && strings.HasSuffix(req.Path, "/restore") {
				return true
			}
		}
		return false
	}, 10*time.Second, 5*time.Millisecond)
	second = run(t, e, "dx-datapod", "--container", "prep4")
	ok(t, <-first)
	ok(t, second)
	assert.Contains(t, second.stderr, "is busy with job")
}

func TestSubsetWithoutASubsetterIsRefusedUnlessSimulateIsAskedFor(t *testing.T) {
	e := enginetest.Start(t)
	before := rows(t, e, "prep5")
	r := run(t, e, "dx-subset", "--container", "prep5", "--percent", "5")
	assert.Equal(t, 2, r.code, r.stderr)
	assert.Contains(t, r.stderr, "give exactly one of --exec and --simulate: exec plugs in your subsetting tool")
	assert.Equal(t, 1, strings.Count(strings.TrimSpace(r.stderr), "\n")+1, r.stderr)
	assert.Empty(t, r.stdout)

	r = run(t, e, "dx-subset", "--container", "prep5", "--percent", "5", "--simulate", "--exec", "true")
	assert.Equal(t, 2, r.code, r.stderr)

	r = run(t, e, "dx-subset", "--container", "prep5", "--percent", "5", "--simulate")
	out := ok(t, r)
	assert.Equal(t, "simulated", out["mode"])
	assert.Contains(t, r.stderr, "SIMULATED")
	assert.Equal(t, before, rows(t, e, "prep5"))
}

func TestSubsetterFailureFailsTheStep(t *testing.T) {
	e := enginetest.Start(t)
	r := run(t, e, "dx-subset", "--container", "prep5", "--percent", "5", "--exec", "echo cannot reach $DX_DB_HOST:$DX_DB_PORT/$DX_DB_NAME >&2; exit 3")
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stderr, "cannot reach target-db.workshop.local:5438/prep5")
	assert.Contains(t, r.stderr, "exited 3")
}

func TestSubsetPercentIsChecked(t *testing.T) {
	r := run(t, nil, "dx-subset", "--container", "prep5", "--percent", "0")
	assert.Equal(t, 2, r.code)
	assert.Contains(t, r.stderr, "--percent must be 1 to 100")
}
