package dbsync_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/dxsteps/dxsteps/internal/steps/dbsync"
	"github.com/dxsteps/dxsteps/internal/steps/refresh"
	st "github.com/dxsteps/dxsteps/internal/steps/steptest"
	"github.com/dxsteps/dxsteps/test/engine"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestEachSyncPrintsANewSnapshot(t *testing.T) {
	e := st.Engine(t)
	first := st.OK(t, dbsync.Step, e, "--database", "Patients Prod")
	second := st.OK(t, dbsync.Step, e, "--database", "Patients Prod")
	assert.Equal(t, "Patients Prod", first["database"])
	assert.NotEmpty(t, first["snapshot"])
	assert.NotEqual(t, first["snapshot"], second["snapshot"])
}

func TestTheDatabaseComesFromItsOwnVariableOnly(t *testing.T) {
	e := st.Engine(t)
	r := st.Run(t, dbsync.Step, e, []string{"DXSTEPS_SYNC_DATABASE=Patients Prod"})
	require.Equal(t, 0, r.Code, r.Stderr)
	r = st.Run(t, dbsync.Step, e, []string{"DELPHIX_DATABASE=Patients Prod"})
	assert.Equal(t, 2, r.Code)
	assert.Contains(t, r.Stderr, "error: DELPHIX_DATABASE is set, but --database reads DXSTEPS_SYNC_DATABASE: set that, or unset DELPHIX_DATABASE")
}

func TestWordsThatAreNotFlagsAreExplained(t *testing.T) {
	r := st.Run(t, dbsync.Step, nil, nil, "version")
	assert.Equal(t, 2, r.Code)
	assert.Contains(t, r.Stderr, `unexpected argument "version": dx-sync takes no operation, only flags; did you mean --version?`)
	r = st.Run(t, dbsync.Step, nil, nil, "--databse", "x")
	assert.Equal(t, 2, r.Code)
	assert.Contains(t, r.Stderr, "unknown flag --databse; did you mean --database?")
	r = st.Run(t, dbsync.Step, nil, nil, "--version")
	assert.Equal(t, 0, r.Code)
	assert.Contains(t, r.Stdout, "dx-sync version")
	assert.Empty(t, r.Stderr)
}

func TestAWrongPasswordExits3(t *testing.T) {
	e := st.Engine(t)
	r := st.Run(t, dbsync.Step, e, []string{"DELPHIX_PASSWORD=wrong"}, "--database", "Patients Prod")
	assert.Equal(t, 3, r.Code)
	assert.NotContains(t, r.Stderr, "wrong")
}

func TestOnDCTEachSyncPrintsANewSnapshotOfTheDSource(t *testing.T) {
	e := st.Engine(t)
	spec := st.DCTSpecEnv(t, e)
	require.NoError(t, e.ChangeProd("Patients Prod"))
	first := st.RunDCT(t, dbsync.Step, e, st.DCTAdmin, spec, "--database", "Patients Prod")
	require.Equal(t, 0, first.Code, first.Stderr)
	second := st.RunDCT(t, dbsync.Step, e, st.DCTAdmin, spec, "--database", "Patients Prod")
	require.Equal(t, 0, second.Code, second.Stderr)
	a, b := first.JSON(t), second.JSON(t)
	assert.Equal(t, "Patients Prod", a["database"])
	assert.NotEqual(t, a["snapshot"], b["snapshot"])
	assert.NotEmpty(t, a["job"])
	assert.Nil(t, a["recovered"])

	c := st.DCTClient(t, e, st.DCTAdmin)
	prod, err := c.DSources.FindByName(t.Context(), "Patients Prod")
	require.NoError(t, err)
	assert.Equal(t, prod.ID, b["databaseReference"])
	latest, err := c.Snapshots.Latest(t.Context(), prod.ID)
	require.NoError(t, err)
	assert.Equal(t, latest.ID, b["snapshot"], "the new snapshot is the dSource's newest")
	assert.Equal(t, latest.Name, b["snapshotName"])
	assert.Equal(t, latest.CreationTime, b["snapshotTime"])
	assert.Equal(t, latest.DataTime(), b["snapshotDataTime"])
	assert.NotEmpty(t, b["snapshotDataTime"])
	assert.Equal(t, b["snapshot"], st.OK(t, refresh.Step, e, "--vdb", "Patients Masked Master")["snapshot"],
		"the engine API sees it as the dSource's latest snapshot")
}

func TestOnDCTAWrongNameExits2WithTheClosestNamesAndAQuoteStaysInsideTheFilter(t *testing.T) {
	e := st.Engine(t)
	spec := st.DCTSpecEnv(t, e)
	r := st.RunDCT(t, dbsync.Step, e, st.DCTAdmin, spec, "--database", "Patients Prd")
	assert.Equal(t, 2, r.Code)
	assert.Contains(t, r.Stderr, `no dSource is named "Patients Prd"; closest: "Patients Prod"`)

	sneaky := `Patients Prod' OR name NE 'x`
	r = st.RunDCT(t, dbsync.Step, e, st.DCTAdmin, spec, "--database", sneaky)
	assert.Equal(t, 2, r.Code, "the name is one string literal: it matches no dSource")
	assert.Contains(t, r.Stderr, "no dSource is named")
	var filters []string
	for _, rec := range e.Requests() {
		if rec.Method == "POST" && strings.HasSuffix(rec.Path, "/dsources/search") {
			var b struct {
				Filter string `json:"filter_expression"`
			}
			require.NoError(t, json.Unmarshal(rec.Body, &b))
			filters = append(filters, b.Filter)
		}
	}
	assert.Equal(t, []string{`name EQ 'Patients Prd'`, `name EQ "` + sneaky + `"`}, filters)
}

// A start whose answer is lost after DCT started the job is not sent again: the step finds
// the job on the dSource, follows it and says so.
func TestOnDCTALostStartAnswerIsFoundNotStartedTwice(t *testing.T) {
	e := st.Engine(t)
	c := st.DCTClient(t, e, st.DCTAdmin)
	prod, err := c.DSources.FindByName(t.Context(), "Patients Prod")
	require.NoError(t, err)
	before, err := c.Jobs.Recent(t.Context(), prod.ID, 100)
	require.NoError(t, err)
	require.NoError(t, e.InjectHTTPError(engine.HTTPFault{Method: "POST", PathSuffix: "/dsources/" + prod.ID + "/snapshots",
		Status: http.StatusBadGateway, AfterProcessing: true}))
	r := st.RunDCT(t, dbsync.Step, e, st.DCTAdmin, nil, "--database", "Patients Prod")
	require.Equal(t, 0, r.Code, r.Stderr)
	out := r.JSON(t)
	assert.Equal(t, true, out["recovered"])
	assert.Contains(t, r.Stderr, "answer to the start was lost")
	after, err := c.Jobs.Recent(t.Context(), prod.ID, 100)
	require.NoError(t, err)
	assert.Len(t, after, len(before)+1, "one sync started")
	assert.Equal(t, after[0].ID, out["job"])
	latest, err := c.Snapshots.Latest(t.Context(), prod.ID)
	require.NoError(t, err)
	assert.Equal(t, latest.ID, out["snapshot"])
}
