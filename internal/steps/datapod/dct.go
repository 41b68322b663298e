package datapod

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/dxsteps/dxsteps/dct"
	"github.com/dxsteps/dxsteps/internal/cli"
	"github.com/dxsteps/dxsteps/internal/httpapi"
	"github.com/dxsteps/dxsteps/internal/steps/stepkit"
)

// runDCT is dx-datapod on Data Control Tower: the pod is a VDB group (or a
// VDB), the template a VDB group of the master VDB(s).
func runDCT(ctx context.Context, s *cli.Session, o options) (any, error) {
	c := s.DCT
	var tmpl *dct.VDBGroup
	if o.template != "" {
		var err error
		if tmpl, err = c.VDBGroups.FindByName(ctx, o.template); err != nil {
			return nil, fmt.Errorf("template: %w", err)
		}
	}
	pod, err := stepkit.FindDCTPod(ctx, c, o.container)
	var miss *dct.NameError
	if o.create && errors.As(err, &miss) && len(miss.Matches) == 0 {
		return createDCT(ctx, s, o, tmpl)
	}
	if err != nil {
		return nil, err
	}
	r := &dctRun{s: s, o: o, pod: pod, tmpl: tmpl, label: fmt.Sprintf("data pod %q", pod.Name), deadline: time.Now().Add(o.busyWait)}
	for _, v := range pod.VDBs {
		if tmpl != nil && !slices.Contains(tmpl.VDBIDs, v.ParentID) {
			return nil, cli.Usagef("%s: VDB %q was not provisioned from a VDB of the template's VDB group %q (its parent is %s)",
				r.label, v.Name, tmpl.Name, v.ParentID)
		}
	}
	if o.op == "restore" {
		if r.bm, err = r.bookmark(ctx); err != nil {
			return nil, err
		}
		if err := proveBookmarkDCT(ctx, s, o, pod, r.bm); err != nil {
			return nil, err
		}
	}
	if err := stepkit.WaitPodIdleDCT(ctx, s, pod, r.label, r.deadline, o.busyWait); err != nil {
		return nil, err
	}
	if !pod.Enabled() && o.op != "enable" && o.op != "disable" {
		s.Log.Printf("%s is disabled; enabling it first", r.label)
		if _, err := r.do(ctx, "enabling "+r.label, r.enable(true)); err != nil {
			return nil, err
		}
	}
	job, err := r.operate(ctx)
	if err != nil {
		return nil, err
	}
	if pod, err = pod.Reload(ctx, c); err != nil {
		return nil, err
	}
	res := describeDCT(ctx, c, o, pod, tmpl, job)
	res.Recovered, res.Snapshot = s.Recovered(), strings.Join(r.points, ",")
	return res, nil
}

// createDCT provisions the pod as one VDB named --container, owned by the
// key's account, from the newest snapshot of the template group's master
// VDB (DCT picks a compatible environment and repository).
func createDCT(ctx context.Context, s *cli.Session, o options, tmpl *dct.VDBGroup) (any, error) {
	if len(tmpl.VDBIDs) != 1 {
		return nil, cli.Usagef("template group %q holds %d VDBs; --create on DCT makes pods of one VDB: provision the others and group them in DCT",
			tmpl.Name, len(tmpl.VDBIDs))
	}
	snap, err := pickPointDCT(ctx, s, o, tmpl.VDBIDs[0], fmt.Sprintf("data pod %q", o.container))
	if err != nil {
		return nil, fmt.Errorf("template %q: %w", tmpl.Name, err)
	}
	var id string
	what := fmt.Sprintf("creation of data pod %q from template %q", o.container, tmpl.Name)
	// No VDB had the pod's name before the start: one that has it after a
	// lost answer is the one it made.
	look := stepkit.NewVDBNamed(s, o.container, nil, &id)
	job, err := s.DoDCT(ctx, what, func() (*dct.Job, error) {
		j, err := stepkit.StartDCTLooking(ctx, s, what, look, func() (*dct.Job, error) {
			var job *dct.Job
			var err error
			id, job, err = s.DCT.VDBs.ProvisionBySnapshot(ctx, dct.ProvisionBySnapshot{SnapshotID: snap.ID, Name: o.container, AutoSelectRepository: true})
			return job, err
		})
		return j, err
	})
	if err != nil {
		return nil, err
	}
	jobID := ""
	if job != nil {
		jobID = job.ID
	}
	v, err := s.DCT.VDBs.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	res := describeDCT(ctx, s.DCT, o, &stepkit.DCTPod{Name: v.Name, ID: v.ID, VDBs: []*dct.VDB{v}}, tmpl, jobID)
	res.Created, res.Recovered, res.Snapshot = true, s.Recovered(), snap.ID
	return res, nil
}

type dctRun struct {
	s        *cli.Session
	o        options
	pod      *stepkit.DCTPod
	tmpl     *dct.VDBGroup
	label    string
	deadline time.Time     // of the busy wait
	points   []string      // the master snapshots a refresh took the pod's VDBs to
	bm       *dct.Bookmark // the bookmark a restore goes to
}

// start is what begins one DCT operation: a job, or nil for lock and unlock.
type start func(ctx context.Context) (*dct.Job, error)

func (r *dctRun) operate(ctx context.Context) (string, error) {
	var op start
	switch r.o.op {
	case "refresh", "reset":
		mappings, err := r.snapshots(ctx)
		if err != nil {
			return "", err
		}
		if r.o.op == "refresh" {
			for _, m := range mappings {
				r.points = append(r.points, m.SnapshotID)
			}
		}
		op = r.refreshBySnapshot(mappings)
	case "restore":
		op = r.refreshFromBookmark(r.bm.ID)
	case "enable", "disable":
		op = r.enable(r.o.op == "enable")
	case "lock", "unlock":
		op = r.lock(r.o.op == "lock")
	}
	job, err := r.do(ctx, fmt.Sprintf("%s of %s", r.o.op, r.label), op)
	if job == nil {
		return "", err
	}
	return job.ID, err
}

// do runs op as DoDCT does; an answer that the pod is busy (a job DCT shows
// on it) waits for that job and tries again until the busy wait ends, and
// one while another account holds the pod's lock is refused as on the engine.
// A lost answer to a start is not sent again: the one new job on the pod's
// group or VDBs is its job (stepkit.StartDCTLooking). Lock and unlock start
// no job and change nothing when sent again; the client resends them itself.
func (r *dctRun) do(ctx context.Context, what string, op start) (*dct.Job, error) {
	return r.s.DoDCT(ctx, what, func() (*dct.Job, error) {
		for pause := time.Second; ; pause = min(2*pause, 10*time.Second) {
			job, err := stepkit.StartDCTLooking(ctx, r.s, what, stepkit.NewJobOn(ctx, r.s, r.pod.Targets()...),
				func() (*dct.Job, error) { return op(ctx) })
			var api *dct.APIError
			if err == nil || !errors.As(err, &api) || (api.HTTPStatus != 409 && api.HTTPStatus != 400) {
				return job, err
			}
			running, _ := r.s.DCT.Jobs.Active(ctx, r.pod.Targets()...)
			if len(running) == 0 {
				if now, rerr := r.pod.Reload(ctx, r.s.DCT); rerr == nil && now.LockedBy() != "" {
					return nil, lockedError{pod: r.label, by: now.LockedBy(), err: err}
				}
				if api.HTTPStatus != 409 {
					return nil, err
				}
			}
			if time.Until(r.deadline) <= 0 {
				return nil, fmt.Errorf("%s is still busy after waiting %v; try again later or raise the busy wait: %w", r.label, r.o.busyWait, err)
			}
			if len(running) > 0 {
				if err := stepkit.WaitPodIdleDCT(ctx, r.s, r.pod, r.label, r.deadline, r.o.busyWait); err != nil {
					return nil, err
				}
				continue
			}
			if j := stepkit.AbandonedJob(ctx, r.s, r.pod.Targets()...); j != nil {
				r.s.Log.Printf("%s is busy with the engine work of job %s (%s), which DCT abandoned and no longer follows; "+
					"waiting for the engine to end it (trying again in %v)", r.label, j.ID, strings.TrimSpace(j.LocalizedType), pause)
			} else {
				r.s.Log.Printf("%s is busy (%v); trying again in %v", r.label, api.Message, pause)
			}
			t := time.NewTimer(min(pause, time.Until(r.deadline)))
			select {
			case <-ctx.Done():
				t.Stop()
				return nil, ctx.Err()
			case <-t.C:
			}
		}
	})
}

// lockedError is an operation refused because another account holds the
// pod's lock: a permission refused (exit 3), as on the engine.
type lockedError struct {
	pod, by string
	err     error
}

func (e lockedError) Error() string {
	return fmt.Sprintf("%s is locked by account %q; that account (or an admin) can unlock it: %v", e.pod, e.by, e.err)
}

func (e lockedError) Is(target error) bool { return target == dct.ErrForbidden }
func (e lockedError) Unwrap() error        { return e.err }

// snapshots maps each VDB of the pod to the snapshot it goes to: for reset
// its own newest; for refresh --snapshot, which must be of its parent (a
// VDB of the template's group when --template is given), or else the
// parent's newest, once proven masked. nil: refresh without mappings, from
// each parent's latest as DCT picks it, when this account cannot read a
// parent's snapshots and --allow-unmasked says not to prove masking.
func (r *dctRun) snapshots(ctx context.Context) ([]dct.VDBSnapshot, error) {
	c := r.s.DCT
	var out []dct.VDBSnapshot
	for _, v := range r.pod.VDBs {
		if r.o.op == "refresh" {
			sn, err := pickPointDCT(ctx, r.s, r.o, v.ParentID, fmt.Sprintf("VDB %q of %s", v.Name, r.label))
			if errors.Is(err, errNoSnapshot) && r.tmpl == nil && r.o.allowUnmasked {
				r.s.Log.Printf("%s: this account sees no snapshot of the parent of VDB %q; DCT refreshes it from its parent's latest", r.label, v.Name)
				return nil, nil
			}
			if errors.Is(err, errNoSnapshot) {
				return nil, fmt.Errorf("%s: the template's VDB %s has no snapshot this account can refresh from", r.label, v.ParentID)
			}
			if err != nil {
				return nil, err
			}
			out = append(out, dct.VDBSnapshot{VDBID: v.ID, SnapshotID: sn.ID})
			continue
		}
		sn, err := c.Snapshots.Latest(ctx, v.ID)
		switch {
		case err == nil:
			out = append(out, dct.VDBSnapshot{VDBID: v.ID, SnapshotID: sn.ID})
		case !errors.Is(err, dct.ErrNotFound):
			return nil, err
		default:
			return nil, fmt.Errorf("%s: VDB %q has no snapshot of its own to reset to; refresh it first", r.label, v.Name)
		}
	}
	return out, nil
}

func (r *dctRun) refreshBySnapshot(mappings []dct.VDBSnapshot) start {
	return func(ctx context.Context) (*dct.Job, error) {
		if r.pod.Group != nil {
			return r.s.DCT.VDBGroups.RefreshBySnapshot(ctx, r.pod.ID, mappings)
		}
		snap := ""
		if len(mappings) == 1 {
			snap = mappings[0].SnapshotID
		}
		return r.s.DCT.VDBs.RefreshBySnapshot(ctx, r.pod.ID, snap)
	}
}

// bookmark finds --bookmark by exact name among the bookmarks DCT shows as
// compatible with the pod (its own, and shared ones of its lineage).
func (r *dctRun) bookmark(ctx context.Context) (*dct.Bookmark, error) {
	var all []dct.Bookmark
	var err error
	if r.pod.Group != nil {
		all, err = r.s.DCT.VDBGroups.Bookmarks(ctx, r.pod.ID)
	} else {
		all, err = r.s.DCT.VDBs.Bookmarks(ctx, r.pod.ID)
	}
	if err != nil {
		return nil, err
	}
	var found []*dct.Bookmark
	var names []string
	for i := range all {
		if all[i].Name == r.o.bookmark {
			found = append(found, &all[i])
		}
		names = append(names, all[i].Name)
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		return nil, &dct.NameError{Kind: "bookmark usable by " + r.label, Name: r.o.bookmark, Suggestions: httpapi.Closest(r.o.bookmark, names, 3)}
	}
	ids := make([]string, len(found))
	for i, b := range found {
		ids[i] = b.ID
	}
	return nil, &dct.NameError{Kind: "bookmark", Name: r.o.bookmark, Matches: ids}
}

func (r *dctRun) refreshFromBookmark(id string) start {
	return func(ctx context.Context) (*dct.Job, error) {
		if r.pod.Group != nil {
			return r.s.DCT.VDBGroups.RefreshFromBookmark(ctx, r.pod.ID, id)
		}
		return r.s.DCT.VDBs.RefreshFromBookmark(ctx, r.pod.ID, id)
	}
}

func (r *dctRun) enable(on bool) start {
	return func(ctx context.Context) (*dct.Job, error) {
		c, id := r.s.DCT, r.pod.ID
		switch {
		case r.pod.Group != nil && on:
			return c.VDBGroups.Enable(ctx, id)
		case r.pod.Group != nil:
			return c.VDBGroups.Disable(ctx, id)
		case on:
			return c.VDBs.Enable(ctx, id, true)
		}
		return c.VDBs.Disable(ctx, id, true)
	}
}

// lock locks or unlocks the pod for the key's account; DCT does it at once.
func (r *dctRun) lock(on bool) start {
	return func(ctx context.Context) (*dct.Job, error) {
		c, id := r.s.DCT, r.pod.ID
		var err error
		switch {
		case r.pod.Group != nil && on:
			_, err = c.VDBGroups.Lock(ctx, id)
		case r.pod.Group != nil:
			_, err = c.VDBGroups.Unlock(ctx, id)
		case on:
			_, err = c.VDBs.Lock(ctx, id)
		default:
			_, err = c.VDBs.Unlock(ctx, id)
		}
		return nil, err
	}
}

// describeDCT is the Result of the engine path from what DCT shows: state
// ONLINE or OFFLINE (enabled), the template as the one VDB group holding
// the pod's parent (when --template does not say), the active branch as the
// VDBs' current timeflow ids, the data time as the last refresh.
func describeDCT(ctx context.Context, c *dct.Client, o options, pod *stepkit.DCTPod, tmpl *dct.VDBGroup, job string) *Result {
	res := &Result{Container: pod.Name, ContainerReference: pod.ID, Operation: o.op, State: "ONLINE", Job: job}
	if !pod.Enabled() {
		res.State = "OFFLINE"
	}
	if tmpl != nil {
		res.Template = tmpl.Name
	} else if gs, err := c.VDBGroups.Holding(ctx, pod.VDBs[0].ParentID); err == nil && len(gs) == 1 {
		res.Template = gs[0].Name
	}
	var timeflows []string
	for _, v := range pod.VDBs {
		timeflows = append(timeflows, v.CurrentTimeflowID)
		res.DataTime = max(res.DataTime, v.LastRefreshedDate)
	}
	res.ActiveBranchReference = strings.Join(timeflows, ",")
	if pod.Group != nil && pod.Group.LastSuccessfulRefreshTime != "" {
		res.DataTime = pod.Group.LastSuccessfulRefreshTime
	}
	return res
}
