package dct

import (
	"encoding/json"
	"errors"
	"net/http"
	"sync/atomic"
	"testing"

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

// searchFake answers POST {path}/search with all of list (a superset of
// any filter, as DCT may) and GET {path} with the same list, and records
// the filters it was sent.
func searchFake(t *testing.T, path string, list ...obj) (*Client, *fakeDCT, *[]string) {
	c, f := setup(t)
	var filters []string
	f.on("POST "+path+"/search", func(w http.ResponseWriter, r *http.Request) {
		var b searchBody
		_ = json.NewDecoder(r.Body).Decode(&b)
		filters = append(filters, b.FilterExpression)
		writeJSON(w, http.StatusOK, items("", list...))
	})
	f.answer("GET "+path, http.StatusOK, items("", list...))
	return c, f, &filters
}

func TestFindByNameMatchesExactlyWhateverTheNameHolds(t *testing.T) {
	odd := `it's "quoted"`
	c, _, filters := searchFake(t, "/vdbs", vdb("vdb-1", "quoted"), vdb("vdb-2", odd), vdb("vdb-3", "it's quoted"))
	v, err := c.VDBs.FindByName(t.Context(), odd)
	require.NoError(t, err)
	assert.Equal(t, "vdb-2", v.ID)
	assert.Equal(t, []string{"name CONTAINS 'quoted'"}, *filters)
}

func TestFindByNameFollowsCursorPages(t *testing.T) {
	c, f := setup(t)
	var cursors []string
	f.on("POST /dsources/search", func(w http.ResponseWriter, r *http.Request) {
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
	c, f := setup(t)
	var n atomic.Int32
	f.on("POST /dsources/search", func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			writeJSON(w, http.StatusOK, items("c2", obj{"id": "ds-9", "name": "prod-old"}))
			return
		}
		assert.Equal(t, "c2", r.URL.Query().Get("cursor"))
		writeJSON(w, http.StatusOK, items("", obj{"id": "ds-1", "name": "prod"}))
	})
	d, err := c.DSources.FindByName(t.Context(), "prod")
	require.NoError(t, err)
	assert.Equal(t, "ds-1", d.ID)
	assert.Equal(t, int32(2), n.Load())
}

func TestARepeatedCursorIsAnErrorNotALoop(t *testing.T) {
	c, f := setup(t)
	f.answer("POST /vdb-groups/search", http.StatusOK, items("same", obj{"id": "g-1", "name": "pod-1"}))
	_, err := c.VDBGroups.FindByName(t.Context(), "pod-1")
	require.ErrorContains(t, err, `repeated the cursor "same"`)
}

func TestANameThatMatchesNothingSuggestsTheClosest(t *testing.T) {
	c, f := setup(t)
	f.answer("POST /vdbs/search", http.StatusOK, items(""))
	f.answer("GET /vdbs", http.StatusOK, items("", vdb("v1", "mm-master"), vdb("v2", "pod-1"), vdb("v3", "pod-2"), vdb("v4", "mm-maser2")))
	_, err := c.VDBs.FindByName(t.Context(), "mm-mastr")
	require.ErrorIs(t, err, ErrNotFound)
	var ne *NameError
	require.ErrorAs(t, err, &ne)
	assert.Equal(t, `no VDB is named "mm-mastr"; closest: "mm-master", "mm-maser2", "pod-1"`, err.Error())
}

func TestANameShownByTwoObjectsIsAnError(t *testing.T) {
	c, _, _ := searchFake(t, "/compliance-jobs", obj{"id": "cj-1", "name": "mask-mm"}, obj{"id": "cj-2", "name": "mask-mm"})
	_, err := c.ComplianceJobs.FindByName(t.Context(), "mask-mm")
	require.Error(t, err)
	assert.False(t, errors.Is(err, ErrNotFound))
	assert.Equal(t, `2 compliance jobs are named "mask-mm" (cj-1, cj-2): rename one, or name the object by id`, err.Error())
}

func TestAnEmptyNameIsRefusedWithoutARequest(t *testing.T) {
	c, f := setup(t)
	_, err := c.DSources.FindByName(t.Context(), "")
	require.Error(t, err)
	assert.Empty(t, f.reqs())
}

func TestEveryKindSuggestsFromItsOwnList(t *testing.T) {
	for _, tc := range []struct {
		path string
		find func(c *Client) error
	}{
		{"/dsources", func(c *Client) error { _, err := c.DSources.FindByName(t.Context(), "prd"); return err }},
		{"/vdb-groups", func(c *Client) error { _, err := c.VDBGroups.FindByName(t.Context(), "prd"); return err }},
		{"/compliance-jobs", func(c *Client) error { _, err := c.ComplianceJobs.FindByName(t.Context(), "prd"); return err }},
	} {
		t.Run(tc.path, func(t *testing.T) {
			c, f := setup(t)
			f.answer("POST "+tc.path+"/search", http.StatusOK, items(""))
			f.answer("GET "+tc.path, http.StatusOK, items("", obj{"id": "x-1", "name": "prod"}))
			err := tc.find(c)
			require.ErrorIs(t, err, ErrNotFound)
			assert.Contains(t, err.Error(), `closest: "prod"`)
			assert.Equal(t, []string{"POST " + tc.path + "/search", "GET " + tc.path}, f.lines())
		})
	}
}
