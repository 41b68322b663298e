package dctapi_test

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/dxsteps/dxsteps/dct"
	"github.com/dxsteps/dxsteps/test/engine"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Each engine.DCTOptions setting, tested both ways.

func TestDCTIsServedUnderBothBasePathsUnlessTold(t *testing.T) {
	for _, tc := range []struct {
		paths []string
		v3    int
	}{{nil, http.StatusOK}, {[]string{"/dct/v3"}, http.StatusNotFound}} {
		e := start(t, engine.Options{DCT: engine.DCTOptions{BasePaths: tc.paths}})
		assert.Equal(t, e.URL()+"/dct/v3", e.DCTURL())
		req, _ := http.NewRequest(http.MethodGet, e.URL()+"/v3/vdbs", nil)
		req.Header.Set("Authorization", "apk "+engine.DCTKey(1, "delphix_admin"))
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, tc.v3, resp.StatusCode, "base paths %v", tc.paths)
	}
}

func TestDCTAnswersAnOperationOnABusyVDBWithTheBusyStatus(t *testing.T) {
	for _, status := range []int{0, http.StatusBadRequest} {
		e := start(t, engine.Options{Speed: 1, DCT: engine.DCTOptions{BusyStatus: status}})
		url := dctServer(t, e, "/dct/v3")
		c := dctClient(t, url, "/dct/v3", 1, "delphix_admin")
		pod, err := c.VDBs.FindByName(t.Context(), "prep2 DB")
		require.NoError(t, err)
		j, err := c.VDBs.RefreshBySnapshot(t.Context(), pod.ID, "")
		require.NoError(t, err)
		_, err = c.VDBs.RefreshBySnapshot(t.Context(), pod.ID, "")
		var ae *dct.APIError
		require.ErrorAs(t, err, &ae)
		want := map[int]int{0: http.StatusConflict}[status]
		if status != 0 {
			want = status
		}
		assert.Equal(t, want, ae.HTTPStatus)
		require.NoError(t, c.Jobs.Abandon(t.Context(), j.ID))
		got, err := c.Jobs.Get(t.Context(), j.ID)
		require.NoError(t, err)
		assert.Equal(t, dct.JobAbandoned, got.Status)
	}
}

func TestDCTBookmarkCompatibilityIsLineageUnlessStrict(t *testing.T) {
	for _, strict := range []bool{false, true} {
		e := start(t, engine.Options{DCT: engine.DCTOptions{StrictBookmarks: strict}})
		url := dctServer(t, e, "/dct/v3")
		c := dctClient(t, url, "/dct/v3", 1, "delphix_admin")
		ctx := t.Context()
		p3, err := c.VDBs.FindByName(ctx, "prep3 DB")
		require.NoError(t, err)
		p4, err := c.VDBs.FindByName(ctx, "prep4 DB")
		require.NoError(t, err)
		bm, j, err := c.Bookmarks.Create(ctx, dct.BookmarkCreate{Name: "p3", VDBIDs: []string{p3.ID}})
		waitOn(t, c)(j, err)
		var listed struct {
			Items []struct {
				ID string `json:"id"`
			} `json:"items"`
		}
		getJSON(t, url+"/dct/v3/vdbs/"+p4.ID+"/bookmarks", &listed)
		var ids []string
		for _, it := range listed.Items {
			ids = append(ids, it.ID)
		}
		assert.Equal(t, !strict, slices.Contains(ids, bm.ID), "GET /vdbs/{id}/bookmarks lists the compatible ones")
		_, err = c.VDBs.RefreshFromBookmark(ctx, p4.ID, bm.ID)
		if strict {
			var ae *dct.APIError
			require.ErrorAs(t, err, &ae, "a sibling's bookmark is not the VDB's own nor its parent's")
			assert.Equal(t, http.StatusBadRequest, ae.HTTPStatus)
		} else {
			require.NoError(t, err, "a sibling shares the origin dSource")
		}
	}
}

func TestDCTPatchHooksReplacesListsUnlessMerging(t *testing.T) {
	for _, merge := range []bool{false, true} {
		e := start(t, engine.Options{DCT: engine.DCTOptions{MergeHooks: merge}})
		url := dctServer(t, e, "/dct/v3")
		c := dctClient(t, url, "/dct/v3", 1, "delphix_admin")
		ctx := t.Context()
		ran := filepath.Join(t.TempDir(), "ran")
		hook := func(name string) dct.Hook {
			return dct.Hook{Name: name, Command: "echo " + name + " >> '" + ran + "'", Shell: "bash"}
		}
		v, err := c.VDBs.FindByName(ctx, "prep5 DB")
		require.NoError(t, err)
		waitOn(t, c)(c.VDBs.SetHooks(ctx, v.ID, dct.Hooks{ConfigureClone: []dct.Hook{hook("a")}}))
		waitOn(t, c)(c.VDBs.SetHooks(ctx, v.ID, dct.Hooks{ConfigureClone: []dct.Hook{hook("b")}, PostRefresh: []dct.Hook{hook("c")}}))
		v, err = c.VDBs.Get(ctx, v.ID)
		require.NoError(t, err)
		var names []string
		for _, h := range v.Hooks.ConfigureClone {
			names = append(names, h.Name)
		}
		want := "b\nc\n"
		if merge {
			assert.Equal(t, []string{"a", "b"}, names)
			want = "a\nb\nc\n"
		} else {
			assert.Equal(t, []string{"b"}, names)
		}
		// A refresh through DCT runs configure_clone, then post_refresh, on the engine.
		waitOn(t, c)(c.VDBs.RefreshBySnapshot(ctx, v.ID, ""))
		out, err := os.ReadFile(ran)
		require.NoError(t, err)
		assert.Equal(t, want, string(out))
	}
}

func TestEveryDCTErrorBodyShapeReachesTheClientAsOneMessage(t *testing.T) {
	for _, shape := range []string{"", "message", "oauth", "text"} {
		e := start(t, engine.Options{DCT: engine.DCTOptions{ErrorBody: shape}})
		url := dctServer(t, e, "/dct/v3")
		c := dctClient(t, url, "/dct/v3", 1, "delphix_admin")
		_, err := c.VDBs.Get(t.Context(), "VDB-NONE")
		var ae *dct.APIError
		require.ErrorAs(t, err, &ae, shape)
		assert.Equal(t, http.StatusNotFound, ae.HTTPStatus, shape)
		assert.Equal(t, `VDB "VDB-NONE" does not exist`, ae.Message, shape)
	}
}

func getJSON(t *testing.T, url string, out any) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	req.Header.Set("Authorization", "apk "+engine.DCTKey(1, "delphix_admin"))
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.NoError(t, json.NewDecoder(resp.Body).Decode(out))
}
