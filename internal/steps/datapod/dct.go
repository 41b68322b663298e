package datapod

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/dxsteps/dxsteps/dct"
	"github.com/dxsteps/dxsteps/internal/cli"
	"github.com/dxsteps/dxsteps/internal/httpapi"
	"github.com/dxsteps/dxsteps/internal/platform"
	"github.com/dxsteps/dxsteps/internal/steps/stepkit"
)

// dctPod is a data pod on Data Control Tower: a VDB group (or one VDB),
// its template the VDB group of the master VDB(s).
type dctPod struct {
	s        *cli.Session
	o        options
	tmpl     *dct.VDBGroup
	pod      *stepkit.DCTPod // nil until provisioned
	deadline time.Time       // of the busy wait
	// points are the master snapshots a refresh takes the pod's VDBs to
	// (nil: from each parent's latest, as DCT picks it), or the one a
	// create provisions from.
	points []dct.VDBSnapshot
	bm     *dct.Bookmark // the bookmark a restore goes to
}

func newDCTPod(s *cli.Session, o options) pod {
	return &dctPod{s: s, o: o, deadline: time.Now().Add(o.busyWait)}
}

func (p *dctPod) label() string     { return fmt.Sprintf("data pod %q", p.o.container) }
func (p *dctPod) targets() []string { return p.pod.Targets() }

// find resolves the pod and checks that each of its VDBs was provisioned
// from a VDB of the template's group, when --template is given.
func (p *dctPod) find(ctx context.Context) (bool, error) {
	c := p.s.DCT
	if p.o.template != "" {
		var err error
		if p.tmpl, err = c.VDBGroups.FindByName(ctx, p.o.template); err != nil {
			return false, fmt.Errorf("template: %w", err)
		}
	}
	var err error
	p.pod, err = stepkit.FindDCTPod(ctx, c, p.o.container)
	var miss *dct.NameError
	if p.o.create && errors.As(err, &miss) && len(miss.Matches) == 0 {
		if len(p.tmpl.VDBIDs) != 1 {
			return false, cli.Usagef("template group %q holds %d VDBs; --create on DCT makes pods of one VDB: provision the others and group them in DCT",
				p.tmpl.Name, len(p.tmpl.VDBIDs))
		}
		return true, nil
	}
	if err != nil {
		return false, err
	}
	for _, v := range p.pod.VDBs {
		if p.tmpl != nil && !slices.Contains(p.tmpl.VDBIDs, v.ParentID) {
			return false, cli.Usagef("%s: VDB %q was not provisioned from a VDB of the template's VDB group %q (its parent is %s)",
				p.label(), v.Name, p.tmpl.Name, v.ParentID)
		}
	}
	return false, nil
}

// point maps each VDB of the pod to the snapshot of its parent a refresh
// takes it to: --snapshot, which must be of that parent, or the parent's
// newest, once proven masked; for a create, the template's one master.
// points stays nil (a refresh from each parent's latest, as DCT picks it)
// when this account sees no snapshot of a parent, no --template says which
// the masters are, and --allow-unmasked says not to prove masking.
func (p *dctPod) point(ctx context.Context) error {
	if p.pod == nil {
		snap, err := pickPointDCT(ctx, p.s, p.o, p.tmpl.VDBIDs[0], p.label())
		if err != nil {
			return fmt.Errorf("template %q: %w", p.tmpl.Name, err)
		}
		p.points = []dct.VDBSnapshot{{SnapshotID: snap.ID}}
		return nil
	}
	for _, v := range p.pod.VDBs {
		sn, err := pickPointDCT(ctx, p.s, p.o, v.ParentID, fmt.Sprintf("VDB %q of %s", v.Name, p.label()))
		if errors.Is(err, errNoSnapshot) && p.tmpl == nil && p.o.allowUnmasked {
			p.s.Log.Printf("%s: this account sees no snapshot of the parent of VDB %q; DCT refreshes it from its parent's latest", p.label(), v.Name)
			p.points = nil
			return nil
		}
		if errors.Is(err, errNoSnapshot) {
			return fmt.Errorf("%s: the template's VDB %s has no snapshot this account can refresh from", p.label(), v.ParentID)
		}
		if err != nil {
			return err
		}
		p.points = append(p.points, dct.VDBSnapshot{VDBID: v.ID, SnapshotID: sn.ID})
	}
	return nil
}

func (p *dctPod) bookmark(ctx context.Context) error {
	var err error
	if p.bm, err = p.findBookmark(ctx); err != nil {
		return err
	}
	return proveBookmarkDCT(ctx, p.s, p.o, p.pod, p.bm)
}

// lock: DCT names the account holding the lock, and the API key starts
// with its own account's number.
func (p *dctPod) lock(context.Context) (string, bool, bool, error) {
	holder := p.pod.LockedBy()
	me, ok := p.s.DCT.AccountID()
	if holder == "" || !ok {
		return holder, false, holder == "", nil
	}
	id := p.pod.VDBs[0].LockedBy
	if p.pod.Group != nil {
		id = p.pod.Group.LockedBy
	}
	return holder, id != me, true, nil
}

// create provisions the pod as one VDB named --container, owned by the
// key's account, from the template's master snapshot (DCT picks a
// compatible environment and repository).
func (p *dctPod) create(ctx context.Context) (platform.Job, error) {
	c, snap := p.s.DCT, p.points[0].SnapshotID
	var id string
	job, err := platform.Of(p.s).Run(ctx, platform.JobSpec{
		Action: action("provision", p.o.container, "", map[string]string{"template": p.tmpl.Name, "snapshot": snap}),
		What:   fmt.Sprintf("creation of data pod %q from template %q", p.o.container, p.tmpl.Name),
		// No VDB had the pod's name before the start: one that has it
		// after a lost answer is the one it made.
		Look: func(context.Context) dct.Look { return c.VDBs.NewNamed(p.o.container, nil, &id) },
		DCT: func() (*dct.Job, error) {
			var job *dct.Job
			var err error
			id, job, err = c.VDBs.ProvisionBySnapshot(ctx, dct.ProvisionBySnapshot{SnapshotID: snap, Name: p.o.container, AutoSelectRepository: true})
			return job, err
		},
	})
	if err != nil || job.Planned {
		return job, err
	}
	v, err := c.VDBs.Get(ctx, id)
	if err != nil {
		return job, err
	}
	p.pod = &stepkit.DCTPod{Name: v.Name, ID: v.ID, VDBs: []*dct.VDB{v}}
	return job, nil
}

// ready enables a disabled pod first, unless the operation is about that.
func (p *dctPod) ready(ctx context.Context) error {
	if p.pod.Enabled() || p.o.op == "enable" || p.o.op == "disable" {
		return nil
	}
	p.s.Log.Printf("%s is disabled; %s", p.label(), first(p.s, "enable"))
	_, err := p.run(ctx, "enable", nil, p.enable(true))
	return err
}

func (p *dctPod) operate(ctx context.Context) (platform.Job, error) {
	switch p.o.op {
	case "refresh":
		return p.run(ctx, "refresh", snapshotParam(p.points), p.refreshBySnapshot(p.points))
	case "reset":
		own, err := p.ownSnapshots(ctx)
		if err != nil {
			return platform.Job{}, err
		}
		return p.run(ctx, "reset", snapshotParam(own), p.refreshBySnapshot(own))
	case "restore":
		return p.run(ctx, "restore", map[string]string{"bookmark": p.bm.Name, "bookmarkReference": p.bm.ID}, p.refreshFromBookmark(p.bm.ID))
	case "enable", "disable":
		return p.run(ctx, p.o.op, nil, p.enable(p.o.op == "enable"))
	}
	// lock and unlock start no job; sent again, they change nothing, so
	// the client resends them itself
	return platform.Job{}, p.s.Act(action(p.o.op, p.pod.Name, p.pod.ID, nil), func() error {
		return p.insist(ctx, func() error {
			if err := p.lockCall(ctx, p.o.op == "lock"); err != nil {
				return fmt.Errorf("%s of %s: %w", p.o.op, p.label(), err)
			}
			return nil
		})
	})
}

func snapshotParam(m []dct.VDBSnapshot) map[string]string {
	if len(m) == 0 {
		return map[string]string{"snapshot": "each parent's latest"}
	}
	return map[string]string{"snapshot": joinSnapshots(m)}
}

func joinSnapshots(m []dct.VDBSnapshot) string {
	ids := make([]string, len(m))
	for i, v := range m {
		ids[i] = v.SnapshotID
	}
	return strings.Join(ids, ",")
}

// run runs one job on the pod as Jobs.Run does, insisting while the pod is
// busy. A lost answer to a start is not sent again: the one new job on the
// pod's group or VDBs is its job.
func (p *dctPod) run(ctx context.Context, verb string, params map[string]string, start func(context.Context) (*dct.Job, error)) (platform.Job, error) {
	var job platform.Job
	err := p.insist(ctx, func() error {
		var err error
		job, err = platform.Of(p.s).Run(ctx, platform.JobSpec{Action: action(verb, p.pod.Name, p.pod.ID, params),
			What: fmt.Sprintf("%s of %s", verb, p.label()), Label: p.label(), Targets: p.targets(),
			DCT: func() (*dct.Job, error) { return start(ctx) }})
		return err
	})
	return job, err
}

// insist calls try until DCT no longer refuses it as busy (409, or 400 on
// some installations), at most until the busy wait ends: it waits for the
// jobs DCT shows on the pod, and tries again with backoff when DCT shows
// none (the engine work of a job DCT abandoned, or a job of an account
// this key cannot see). A refusal while another account holds the pod's
// lock is that, as on the engine (exit 3): DCT answers it alike, and
// waiting does not end it. A refused start changed nothing.
func (p *dctPod) insist(ctx context.Context, try func() error) error {
	for pause := time.Second; ; pause = min(2*pause, 10*time.Second) {
		err := try()
		var api *dct.APIError
		if err == nil || !errors.As(err, &api) || (api.HTTPStatus != http.StatusConflict && api.HTTPStatus != http.StatusBadRequest) {
			return err
		}
		running, _ := p.s.DCT.Jobs.Active(ctx, p.targets()...)
		if len(running) == 0 {
			if now, rerr := p.pod.Reload(ctx, p.s.DCT); rerr == nil && now.LockedBy() != "" {
				return stepkit.LockedError{Pod: p.o.container, By: now.LockedBy(), Holder: "account", Err: err}
			}
			if api.HTTPStatus != http.StatusConflict {
				return err
			}
		}
		if time.Until(p.deadline) <= 0 {
			return fmt.Errorf("%s is still busy after waiting %v; try again later or raise the busy wait: %w", p.label(), p.o.busyWait, err)
		}
		if len(running) > 0 {
			if err := platform.WaitIdleDCT(ctx, p.s, p.label(), p.deadline, p.o.busyWait, p.targets()...); err != nil {
				return err
			}
			continue
		}
		if j := platform.AbandonedJob(ctx, p.s, p.targets()...); j != nil {
			p.s.Log.Printf("%s is busy with the engine work of job %s (%s), which DCT abandoned and no longer follows; "+
				"waiting for the engine to end it (trying again in %v)", p.label(), j.ID, strings.TrimSpace(j.LocalizedType), pause)
		} else {
			p.s.Log.Printf("%s is busy (%v); trying again in %v", p.label(), api.Message, pause)
		}
		t := time.NewTimer(min(pause, time.Until(p.deadline)))
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
}

// ownSnapshots maps each VDB of the pod to its own newest snapshot, where
// a reset takes it.
func (p *dctPod) ownSnapshots(ctx context.Context) ([]dct.VDBSnapshot, error) {
	var out []dct.VDBSnapshot
	for _, v := range p.pod.VDBs {
		sn, err := p.s.DCT.Snapshots.Latest(ctx, v.ID)
		switch {
		case err == nil:
			out = append(out, dct.VDBSnapshot{VDBID: v.ID, SnapshotID: sn.ID})
		case !errors.Is(err, dct.ErrNotFound):
			return nil, err
		default:
			return nil, fmt.Errorf("%s: VDB %q has no snapshot of its own to reset to; refresh it first", p.label(), v.Name)
		}
	}
	return out, nil
}

func (p *dctPod) refreshBySnapshot(mappings []dct.VDBSnapshot) func(context.Context) (*dct.Job, error) {
	return func(ctx context.Context) (*dct.Job, error) {
		if p.pod.Group != nil {
			return p.s.DCT.VDBGroups.RefreshBySnapshot(ctx, p.pod.ID, mappings)
		}
		snap := ""
		if len(mappings) == 1 {
			snap = mappings[0].SnapshotID
		}
		return p.s.DCT.VDBs.RefreshBySnapshot(ctx, p.pod.ID, snap)
	}
}

// findBookmark finds --bookmark by exact name among the bookmarks DCT
// shows as compatible with the pod (its own, and shared ones of its
// lineage).
func (p *dctPod) findBookmark(ctx context.Context) (*dct.Bookmark, error) {
	var all []dct.Bookmark
	var err error
	if p.pod.Group != nil {
		all, err = p.s.DCT.VDBGroups.Bookmarks(ctx, p.pod.ID)
	} else {
		all, err = p.s.DCT.VDBs.Bookmarks(ctx, p.pod.ID)
	}
	if err != nil {
		return nil, err
	}
	var found []*dct.Bookmark
	var names []string
	for i := range all {
		if all[i].Name == p.o.bookmark {
			found = append(found, &all[i])
		}
		names = append(names, all[i].Name)
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		return nil, &dct.NameError{Kind: "bookmark usable by " + p.label(), Name: p.o.bookmark, Suggestions: httpapi.Closest(p.o.bookmark, names, 3)}
	}
	ids := make([]string, len(found))
	for i, b := range found {
		ids[i] = b.ID
	}
	return nil, &dct.NameError{Kind: "bookmark", Name: p.o.bookmark, Matches: ids}
}

func (p *dctPod) refreshFromBookmark(id string) func(context.Context) (*dct.Job, error) {
	return func(ctx context.Context) (*dct.Job, error) {
		if p.pod.Group != nil {
			return p.s.DCT.VDBGroups.RefreshFromBookmark(ctx, p.pod.ID, id)
		}
		return p.s.DCT.VDBs.RefreshFromBookmark(ctx, p.pod.ID, id)
	}
}

func (p *dctPod) enable(on bool) func(context.Context) (*dct.Job, error) {
	return func(ctx context.Context) (*dct.Job, error) {
		c, id := p.s.DCT, p.pod.ID
		switch {
		case p.pod.Group != nil && on:
			return c.VDBGroups.Enable(ctx, id)
		case p.pod.Group != nil:
			return c.VDBGroups.Disable(ctx, id)
		case on:
			return c.VDBs.Enable(ctx, id, true)
		}
		return c.VDBs.Disable(ctx, id, true)
	}
}

// lockCall locks or unlocks the pod for the key's account; DCT does it at
// once.
func (p *dctPod) lockCall(ctx context.Context, on bool) error {
	c, id := p.s.DCT, p.pod.ID
	var err error
	switch {
	case p.pod.Group != nil && on:
		_, err = c.VDBGroups.Lock(ctx, id)
	case p.pod.Group != nil:
		_, err = c.VDBGroups.Unlock(ctx, id)
	case on:
		_, err = c.VDBs.Lock(ctx, id)
	default:
		_, err = c.VDBs.Unlock(ctx, id)
	}
	return err
}

// describe is the Result of the engine from what DCT shows: state ONLINE
// or OFFLINE (enabled), the template as the one VDB group holding the
// pod's parent (when --template does not say), the active branch as the
// VDBs' current timeflow ids, the data time as the last refresh.
func (p *dctPod) describe(ctx context.Context, job platform.Job, created bool) (*Result, error) {
	c := p.s.DCT
	res := &Result{Container: p.o.container, Operation: p.o.op, Created: created, Job: job.ID, Recovered: p.s.Recovered(),
		Snapshot: joinSnapshots(p.points)}
	if p.tmpl != nil {
		res.Template = p.tmpl.Name
	}
	if p.pod == nil { // a plan's create
		return res, nil
	}
	pod, err := p.pod.Reload(ctx, c)
	if err != nil {
		return nil, err
	}
	res.Container, res.ContainerReference, res.State = pod.Name, pod.ID, "ONLINE"
	if !pod.Enabled() {
		res.State = "OFFLINE"
	}
	if p.tmpl == nil {
		if gs, err := c.VDBGroups.Holding(ctx, pod.VDBs[0].ParentID); err == nil && len(gs) == 1 {
			res.Template = gs[0].Name
		}
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
	return res, nil
}
