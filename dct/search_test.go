package dct

import (
	"errors"
	"net/http"
	"testing"

	"github.com/dxsteps/dxsteps/test/engine"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAQuoteInANameNeverChangesTheFilter(t *testing.T) {
	for _, tc := range []struct{ name, filter string }{
		{"mm-master", "name EQ 'mm-master'"},
		{"it's", `name EQ "it's"`},
		{`say "hi"`, `name EQ 'say "hi"'`},
		{`x' OR name NE '`, `name EQ "x' OR name NE '"`},
		{`it's "quoted"`, "name CONTAINS 'quoted'"},
		{`a\' OR 1 EQ 1`, "name CONTAINS ' OR 1 EQ 1'"},
		{`'"\`, ""},
	} {
		assert.Equal(t, tc.filter, eq("name", tc.name), tc.name)
	}
}

// provisioned provisions a VDB of the masked master for each name, and returns their ids.
func provisioned(t *testing.T, c *Client, l *localDCT, names ...string) []string {
	t.Helper()
	snap, err := c.Snapshots.Latest(t.Context(), l.vdb("Patients Masked Master").ID)
	require.NoError(t, err)
	var ids []string
	for _, n := range names {
		id, j, err := c.VDBs.ProvisionBySnapshot(t.Context(), ProvisionBySnapshot{SnapshotID: snap.ID, Name: n})
		done(t, c)(j, err)
		ids = append(ids, id)
	}
	return ids
}

func TestFindByNameMatchesExactlyWhateverTheNameHolds(t *testing.T) {
	odd := `it's "quoted"`
	c, l := setup(t)
	ids := provisioned(t, c, l, "quoted", odd, "it's quoted")
	l.forget()
	v, err := c.VDBs.FindByName(t.Context(), odd)
	require.NoError(t, err)
	assert.Equal(t, ids[1], v.ID)
	assert.Equal(t, []string{"name CONTAINS 'quoted'"}, searchFilters(t, l.recorder))
}

// An empty page that names a next cursor is an answer the local engine never gives.
func TestFindByNameFollowsCursorPages(t *testing.T) {
	var cursors []string
	c, _ := odd(t, func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		cursors = append(cursors, q.Get("cursor"))
		assert.Equal(t, "1000", q.Get("limit"))
		switch q.Get("cursor") {
		case "":
			writeJSON(w, http.StatusOK, items("c2", obj{"id": "ds-9", "name": "prod-old"}))
		case "c2":
			writeJSON(w, http.StatusOK, items("c3"))
		default:
			writeJSON(w, http.StatusOK, items("", obj{"id": "ds-1", "name": "prod"}))
		}
	})
	d, err := c.DSources.FindByName(t.Context(), "prod")
	require.NoError(t, err)
	assert.Equal(t, "ds-1", d.ID)
	assert.Equal(t, []string{"", "c2", "c3"}, cursors, "an empty page with a cursor does not end the walk")
}

func TestPagesEndWhenDCTGivesNoCursor(t *testing.T) {
	odd := `it's "quoted"`
	c, l := setup(t)
	ids := provisioned(t, c, l, "quoted", odd)
	smallPages(t, 1)
	l.forget()
	v, err := c.VDBs.FindByName(t.Context(), odd)
	require.NoError(t, err)
	assert.Equal(t, ids[1], v.ID)
	rs := l.reqs()
	require.Len(t, rs, 2, "one VDB a page, and no third request")
	assert.NotContains(t, rs[0].Query, "cursor")
	assert.Contains(t, rs[1].Query, "cursor=")
}

// A cursor the server repeats is an answer the local engine never gives.
func TestARepeatedCursorIsAnErrorNotALoop(t *testing.T) {
	c, _ := odd(t, func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, items("same", obj{"id": "g-1", "name": "pod-1"}))
	})
	_, err := c.VDBGroups.FindByName(t.Context(), "pod-1")
	require.ErrorContains(t, err, `repeated the cursor "same"`)
}

func TestANameThatMatchesNothingSuggestsTheClosest(t *testing.T) {
	c, l := setup(t)
	provisioned(t, c, l, "mm-master", "mm-maser2")
	_, err := c.VDBs.FindByName(t.Context(), "mm-mastr")
	require.ErrorIs(t, err, ErrNotFound)
	var ne *NameError
	require.ErrorAs(t, err, &ne)
	assert.Equal(t, `no VDB is named "mm-mastr"; closest: "mm-master", "mm-maser2", "prep1 DB"`, err.Error())
}

func TestANameShownByTwoObjectsIsAnError(t *testing.T) {
	seed := engine.WorkshopSeed()
	again := seed.VDBs[0] // the masked master: a second VDB masked by a job of the same name
	again.Name, again.Connection.Port = "Patients Masked Master 2", 5499
	seed.VDBs = append(seed.VDBs, again)
	l := newLocal(t, DefaultBasePath, engine.Options{Seed: seed})
	c := l.client()
	_, err := c.ComplianceJobs.FindByName(t.Context(), "Patients masking")
	require.Error(t, err)
	assert.False(t, errors.Is(err, ErrNotFound))
	var ne *NameError
	require.ErrorAs(t, err, &ne)
	require.Len(t, ne.Matches, 2)
	assert.Equal(t, `2 compliance jobs are named "Patients masking" (`+ne.Matches[0]+", "+ne.Matches[1]+
		`): rename one, or name the object by id`, err.Error())
}

func TestAnEmptyNameIsRefusedWithoutARequest(t *testing.T) {
	c, l := setup(t)
	_, err := c.DSources.FindByName(t.Context(), "")
	require.Error(t, err)
	assert.Empty(t, l.reqs())
}

func TestEveryKindSuggestsFromItsOwnList(t *testing.T) {
	for _, tc := range []struct {
		path    string
		find    func(c *Client) error
		closest string
	}{
		{"/dsources", func(c *Client) error { _, err := c.DSources.FindByName(t.Context(), "Patients Prd"); return err }, "Patients Prod"},
		{"/vdb-groups", func(c *Client) error { _, err := c.VDBGroups.FindByName(t.Context(), "qa-pd"); return err }, "qa-pod"},
		{"/compliance-jobs", func(c *Client) error {
			_, err := c.ComplianceJobs.FindByName(t.Context(), "Patients maskin")
			return err
		},
			"Patients masking"},
	} {
		t.Run(tc.path, func(t *testing.T) {
			c, l := setup(t)
			err := tc.find(c)
			require.ErrorIs(t, err, ErrNotFound)
			assert.Contains(t, err.Error(), `closest: "`+tc.closest+`"`)
			assert.Equal(t, []string{"POST " + tc.path + "/search", "GET " + tc.path}, l.lines())
		})
	}
}
