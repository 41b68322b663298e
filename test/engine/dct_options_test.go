package engine

import (
	"net/http"
	"testing"

	"github.com/dxsteps/dxsteps/dct"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Each DCTOptions setting, tested both ways.

func TestDCTIsServedUnderBothBasePathsUnlessTold(t *testing.T) {
	for _, tc := range []struct {
		paths []string
		v3    int
	}{{nil, http.StatusOK}, {[]string{"/dct/v3"}, http.StatusNotFound}} {
		e := start(t, Options{DCT: DCTOptions{BasePaths: tc.paths}})
		req, _ := http.NewRequest(http.MethodGet, e.URL()+"/v3/vdbs", nil)
		req.Header.Set("Authorization", "apk "+DCTKey(1, "delphix_admin"))
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, tc.v3, resp.StatusCode, "base paths %v", tc.paths)
	}
}

func TestDCTAnswersAnOperationOnABusyVDBWithTheBusyStatus(t *testing.T) {
	for _, status := range []int{0, http.StatusBadRequest} {
		e := start(t, Options{Speed: 1, DCT: DCTOptions{BusyStatus: status}})
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
		e := start(t, Options{DCT: DCTOptions{StrictBookmarks: strict}})
		url := dctServer(t, e, "/dct/v3")
		c := dctClient(t, url, "/dct/v3", 1, "delphix_admin")
		ctx := t.Context()
		p3, err := c.VDBs.FindByName(ctx, "prep3 DB")
		require.NoError(t, err)
		p4, err := c.VDBs.FindByName(ctx, "prep4 DB")
		require.NoError(t, err)
		bm, j, err := c.Bookmarks.Create(ctx, dct.BookmarkCreate{Name: "p3", VDBIDs: []string{p3.ID}})
		waitOn(t, c)(j, err)
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
		e := start(t, Options{DCT: DCTOptions{MergeHooks: merge}})
		url := dctServer(t, e, "/dct/v3")
		c := dctClient(t, url, "/dct/v3", 1, "delphix_admin")
		ctx := t.Context()
		v, err := c.VDBs.FindByName(ctx, "prep5 DB")
		require.NoError(t, err)
		waitOn(t, c)(c.VDBs.SetHooks(ctx, v.ID, dct.Hooks{ConfigureClone: []dct.Hook{{Name: "a", Command: "true"}}}))
		waitOn(t, c)(c.VDBs.SetHooks(ctx, v.ID, dct.Hooks{ConfigureClone: []dct.Hook{{Name: "b", Command: "true", Shell: "bash"}}}))
		v, err = c.VDBs.Get(ctx, v.ID)
		require.NoError(t, err)
		var names []string
		for _, h := range v.Hooks.ConfigureClone {
			names = append(names, h.Name)
		}
		if merge {
			assert.Equal(t, []string{"a", "b"}, names)
		} else {
			assert.Equal(t, []string{"b"}, names)
		}
		// The hooks run: a refresh through DCT runs configure_clone on the engine.
		waitOn(t, c)(c.VDBs.RefreshBySnapshot(ctx, v.ID, ""))
	}
}
