package dct

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// miniDCT is a small stateful DCT for the workshop pipeline: a production
// dSource, a masked master VDB, a pod VDB and a masking job. Every job
// completes on its second read and then applies its effect.
type miniDCT struct {
	*fakeDCT
	mu        sync.Mutex
	snapshots []obj             // every snapshot, oldest first
	vdbs      map[string]obj    // by id
	dataOf    map[string]string // VDB id -> snapshot id its data comes from
	bookmarks []obj
	jobs      map[string]*miniJob
	clock     time.Time
}

type miniJob struct {
	reads  int
	effect func()
	target string
}

func newMiniDCT(t *testing.T) *miniDCT {
	m := &miniDCT{fakeDCT: newFake(t, DefaultBasePath), vdbs: map[string]obj{}, dataOf: map[string]string{},
		jobs: map[string]*miniJob{}, clock: time.Date(2026, 11, 30, 5, 0, 0, 0, time.UTC)}
	m.snapshots = []obj{{"id": "snap-0", "dataset_id": "ds-1", "timestamp": "2026-11-29T05:00:00Z", "temporary": false}}
	m.vdbs["vdb-m"] = vdb("vdb-m", "mm-master")
	m.vdbs["vdb-p"] = vdb("vdb-p", "pod-1")
	m.routes()
	return m
}

func (m *miniDCT) tick() string {
	m.clock = m.clock.Add(time.Minute)
	return m.clock.Format(time.RFC3339)
}

// start records a job that applies effect when it completes.
func (m *miniDCT) start(w http.ResponseWriter, target string, status int, extra obj, effect func()) {
	id := fmt.Sprintf("job-%d", len(m.jobs)+1)
	m.jobs[id] = &miniJob{effect: effect, target: target}
	answer := obj{"job": obj{"id": id, "status": JobPending, "target_id": target}}
	for k, v := range extra {
		answer[k] = v
	}
	writeJSON(w, status, answer)
}

func (m *miniDCT) routes() {
	lock := func(h func(http.ResponseWriter, *http.Request)) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) { m.mu.Lock(); defer m.mu.Unlock(); h(w, r) }
	}
	m.on("POST /dsources/search", lock(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, items("", obj{"id": "ds-1", "name": "Patients Prod"}))
	}))
	m.on("POST /dsources/{id}/snapshots", lock(func(w http.ResponseWriter, r *http.Request) {
		m.start(w, "ds-1", http.StatusOK, nil, func() {
			m.snapshots = append(m.snapshots, obj{"id": fmt.Sprintf("snap-%d", len(m.snapshots)), "dataset_id": "ds-1",
				"timestamp": m.tick(), "temporary": false})
		})
	}))
	datasetEQ := regexp.MustCompile(`dataset_id EQ '([^']*)'`)
	m.on("POST /snapshots/search", lock(func(w http.ResponseWriter, r *http.Request) {
		var b searchBody
		_ = json.NewDecoder(r.Body).Decode(&b)
		want := datasetEQ.FindStringSubmatch(b.FilterExpression)
		var found []obj
		for _, s := range m.snapshots {
			if want != nil && s["dataset_id"] == want[1] {
				found = append(found, s)
			}
		}
		sort.Slice(found, func(i, j int) bool { return found[i]["timestamp"].(string) > found[j]["timestamp"].(string) })
		writeJSON(w, http.StatusOK, items("", found[:min(1, len(found))]...))
	}))
	m.on("POST /vdbs/search", lock(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, items("", m.vdbs["vdb-m"], m.vdbs["vdb-p"]))
	}))
	m.on("GET /vdbs/{id}", lock(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, m.vdbs[r.PathValue("id")])
	}))
	m.on("POST /vdbs/{id}/refresh_by_snapshot", lock(func(w http.ResponseWriter, r *http.Request) {
		var b struct {
			SnapshotID string `json:"snapshot_id"`
		}
		_ = json.NewDecoder(r.Body).Decode(&b)
		id := r.PathValue("id")
		m.start(w, id, http.StatusOK, nil, func() { m.dataOf[id] = b.SnapshotID; m.vdbs[id]["masked"] = false })
	}))
	m.on("POST /vdbs/{id}/refresh_from_bookmark", lock(func(w http.ResponseWriter, r *http.Request) {
		var b bookmarkRef
		_ = json.NewDecoder(r.Body).Decode(&b)
		id := r.PathValue("id")
		if m.vdbs[id]["is_locked"] != true {
			writeJSON(w, http.StatusConflict, obj{"message": "the pipeline locks pods before it refreshes them"})
			return
		}
		m.start(w, id, http.StatusOK, nil, func() {
			for _, bm := range m.bookmarks {
				if bm["id"] == b.BookmarkID {
					m.dataOf[id] = bm["snapshot"].(string)
				}
			}
		})
	}))
	m.on("POST /vdbs/{id}/lock", lock(func(w http.ResponseWriter, r *http.Request) {
		m.vdbs[r.PathValue("id")]["is_locked"] = true
		writeJSON(w, http.StatusOK, m.vdbs[r.PathValue("id")])
	}))
	m.on("POST /vdbs/{id}/unlock", lock(func(w http.ResponseWriter, r *http.Request) {
		m.vdbs[r.PathValue("id")]["is_locked"] = false
		writeJSON(w, http.StatusOK, m.vdbs[r.PathValue("id")])
	}))
	m.on("POST /compliance-jobs/search", lock(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, items("", obj{"id": "cj-1", "name": "mask-mm", "type": "MASKING"}))
	}))
	m.on("POST /compliance-jobs/{id}/execute", lock(func(w http.ResponseWriter, r *http.Request) {
		m.start(w, "vdb-m", http.StatusOK, nil, func() { m.vdbs["vdb-m"]["masked"] = true })
	}))
	m.on("POST /bookmarks", lock(func(w http.ResponseWriter, r *http.Request) {
		var b bookmarkCreateBody
		_ = json.NewDecoder(r.Body).Decode(&b)
		bm := obj{"id": fmt.Sprintf("bm-%d", len(m.bookmarks)+1), "name": b.Name, "vdb_ids": b.VDBIDs,
			"bookmark_type": b.BookmarkType, "tags": append([]Tag{}, b.Tags...), "creation_date": m.tick()}
		if b.Expiration != "" {
			bm["expiration"] = b.Expiration
		}
		m.bookmarks = append(m.bookmarks, bm)
		public := obj{}
		for k, v := range bm {
			public[k] = v
		}
		m.start(w, b.VDBIDs[0], http.StatusCreated, obj{"bookmark": public}, func() { bm["snapshot"] = m.dataOf[b.VDBIDs[0]] })
	}))
	m.on("GET /jobs/{id}", lock(func(w http.ResponseWriter, r *http.Request) {
		j, ok := m.jobs[r.PathValue("id")]
		if !ok {
			writeJSON(w, http.StatusNotFound, obj{"message": "no such job"})
			return
		}
		j.reads++
		status := JobRunning
		if j.reads >= 2 {
			if j.effect != nil {
				j.effect()
				j.effect = nil
			}
			status = JobCompleted
		}
		writeJSON(w, http.StatusOK, obj{"id": r.PathValue("id"), "status": status, "target_id": j.target})
	}))
}

// TestTheWorkshopPipelineRunsOnDCT runs the pipeline's calls in order and
// checks where every dataset's data came from.
func TestTheWorkshopPipelineRunsOnDCT(t *testing.T) {
	m := newMiniDCT(t)
	c := m.client()
	ctx := t.Context()
	wait := func(j *Job, err error) {
		t.Helper()
		require.NoError(t, err)
		_, err = c.Jobs.Wait(ctx, j.ID, nil)
		require.NoError(t, err)
	}

	prod, err := c.DSources.FindByName(ctx, "Patients Prod")
	require.NoError(t, err)
	wait(c.DSources.Snapshot(ctx, prod.ID, DSourceSnapshotParameters{}))
	snap, err := c.Snapshots.Latest(ctx, prod.ID)
	require.NoError(t, err)
	assert.Equal(t, "snap-1", snap.ID, "the snapshot just taken, not the older one")

	master, err := c.VDBs.FindByName(ctx, "mm-master")
	require.NoError(t, err)
	wait(c.VDBs.RefreshBySnapshot(ctx, master.ID, snap.ID))
	mask, err := c.ComplianceJobs.FindByName(ctx, "mask-mm")
	require.NoError(t, err)
	wait(c.ComplianceJobs.Execute(ctx, mask.ID))
	master, err = c.VDBs.Get(ctx, master.ID)
	require.NoError(t, err)
	assert.True(t, master.Masked)

	expires := time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC)
	bm, j, err := c.Bookmarks.Create(ctx, BookmarkCreate{Name: "masked build 7", VDBIDs: []string{master.ID},
		Type: BookmarkPublic, Expiration: expires, Tags: []Tag{{"build", "7"}}})
	wait(j, err)

	pod, err := c.VDBs.FindByName(ctx, "pod-1")
	require.NoError(t, err)
	_, err = c.VDBs.RefreshFromBookmark(ctx, pod.ID, bm.ID)
	require.ErrorIs(t, err, ErrConflict, "the fake refuses an unlocked pod")
	_, err = c.VDBs.Lock(ctx, pod.ID)
	require.NoError(t, err)
	wait(c.VDBs.RefreshFromBookmark(ctx, pod.ID, bm.ID))
	_, j, err = c.Bookmarks.Create(ctx, BookmarkCreate{Name: "pod-1 build 7", VDBIDs: []string{pod.ID}, Type: BookmarkPublic})
	wait(j, err)
	_, err = c.VDBs.Unlock(ctx, pod.ID)
	require.NoError(t, err)

	m.mu.Lock()
	defer m.mu.Unlock()
	assert.Equal(t, map[string]string{"vdb-m": "snap-1", "vdb-p": "snap-1"}, m.dataOf)
	require.Len(t, m.bookmarks, 2)
	assert.Equal(t, "2026-12-07", m.bookmarks[0]["expiration"])
	assert.Equal(t, "snap-1", m.bookmarks[1]["snapshot"], "the pod's bookmark holds the masked data")
	assert.Equal(t, false, m.vdbs["vdb-p"]["is_locked"])
}
