package branch

import (
	"context"
	"errors"
	"fmt"

	"github.com/dxsteps/dxsteps/dct"
	"github.com/dxsteps/dxsteps/internal/cli"
	"github.com/dxsteps/dxsteps/internal/httpapi"
	"github.com/dxsteps/dxsteps/internal/platform"
	"github.com/dxsteps/dxsteps/internal/steps/stepkit"
)

// On DCT a branch of a data pod is either a timeflow of the pod's VDB (a
// restore in place, --mode in-place, renamed to the branch's name) or a
// private copy: a VDB provisioned from the bookmark, owned by the caller
// and tagged with the pod and the branch (--mode copy, the default).
const (
	modeCopy    = "copy"
	modeInPlace = "in-place"
	tagPod      = "dxsteps-branch-of"
	tagBranch   = "dxsteps-branch"
)

// orCopy is the mode asked, copy when none was.
func orCopy(mode string) string {
	if mode == "" {
		return modeCopy
	}
	return mode
}

// dctPod is the data pod: a VDB group of one VDB, or a VDB.
type dctPod struct {
	c      *dct.Client
	name   string // --container
	id     string // the group's id, or the VDB's
	vdb    *dct.VDB
	lock   string // the account holding the pod's lock, "" none
	lockID int64  // that account's number
}

// findDCTPod resolves --container: a VDB group of one VDB, else a VDB.
func findDCTPod(ctx context.Context, s *cli.Session, name string) (pod, error) {
	c := s.DCT
	g, gErr := c.VDBGroups.FindByName(ctx, name)
	if gErr == nil {
		if len(g.VDBIDs) != 1 {
			return nil, cli.Usagef("data pod %q is a VDB group of %d VDBs; dx-branch on DCT branches a pod of one VDB", name, len(g.VDBIDs))
		}
		v, err := c.VDBs.Get(ctx, g.VDBIDs[0])
		if err != nil {
			return nil, err
		}
		pod := dctPod{c: c, name: name, id: g.ID, vdb: v}
		if g.IsLocked {
			pod.lock, pod.lockID = g.LockedByName, g.LockedBy
		}
		return pod, nil
	}
	if !errors.Is(gErr, dct.ErrNotFound) {
		return nil, gErr
	}
	v, vErr := c.VDBs.FindByName(ctx, name)
	if vErr == nil {
		pod := dctPod{c: c, name: name, id: v.ID, vdb: v}
		if v.IsLocked {
			pod.lock, pod.lockID = v.LockedByName, v.LockedBy
		}
		return pod, nil
	}
	var ge, ve *dct.NameError
	if errors.As(gErr, &ge) && errors.As(vErr, &ve) && len(ve.Matches) == 0 {
		return nil, &dct.NameError{Kind: "VDB group or VDB", Name: name, Suggestions: append(ge.Suggestions, ve.Suggestions...)}
	}
	return nil, vErr
}

// branches lists the pod's timeflows, oldest first, then the caller's
// private copies of it.
func (p dctPod) branches(ctx context.Context) ([]branch, error) {
	tfs, err := p.c.Timeflows.OfDataset(ctx, p.vdb.ID)
	if err != nil {
		return nil, err
	}
	var out []branch
	for _, tf := range tfs {
		out = append(out, branch{name: tf.Name, ref: tf.ID, active: tf.ID == p.vdb.CurrentTimeflowID, mode: modeInPlace})
	}
	vdbs, err := p.c.VDBs.List(ctx)
	if err != nil {
		return nil, err
	}
	for _, v := range vdbs {
		if v.ID != p.vdb.ID && tag(v.Tags, tagPod) == p.id && tag(v.Tags, tagBranch) != "" {
			out = append(out, branch{name: tag(v.Tags, tagBranch), ref: v.ID, active: v.Enabled, mode: modeCopy, copy: v.Name})
		}
	}
	return out, nil
}

func tag(tags []dct.Tag, key string) string {
	for _, t := range tags {
		if t.Key == key {
			return t.Value
		}
	}
	return ""
}

// start resolves the one bookmark named name that can refresh the pod.
func (p dctPod) start(ctx context.Context, name string, prove bool) (start, error) {
	found, err := p.c.Bookmarks.CompatibleWith(ctx, p.vdb.ID, name)
	if err != nil {
		return start{}, err
	}
	switch len(found) {
	case 0:
		var names []string
		if all, err := p.c.Bookmarks.CompatibleWith(ctx, p.vdb.ID, ""); err == nil {
			for _, b := range all {
				names = append(names, b.Name)
			}
		}
		return start{}, &dct.NameError{Kind: "bookmark", Name: name, Suggestions: httpapi.Closest(name, names, 3)}
	case 1:
	default:
		ids := make([]string, len(found))
		for i, b := range found {
			ids[i] = b.ID
		}
		return start{}, &dct.NameError{Kind: "bookmark", Name: name, Matches: ids}
	}
	bm := &found[0]
	st := start{name: bm.Name, ref: bm.ID, vdbs: len(bm.VDBIDs)}
	if prove {
		_, st.why, err = stepkit.ProveBookmarkDCT(ctx, p.c, bm)
	}
	return st, err
}

// copyName is the private copy's VDB name: the pod's and the branch's.
func copyName(pod, branch string) string { return pod + "-" + branch }

func (p dctPod) create(ctx context.Context, s *cli.Session, name, mode string, st start, label string) (branch, error) {
	if orCopy(mode) == modeInPlace {
		return p.restore(ctx, s, name, st, label)
	}
	if st.vdbs != 1 {
		return branch{}, cli.Usagef("bookmark %q holds %d VDBs; a private copy is provisioned from a bookmark of one VDB", st.name, st.vdbs)
	}
	owner := true
	pr := dct.ProvisionFromBookmark{BookmarkID: st.ref, Name: copyName(p.name, name), AutoSelectRepository: true,
		MakeCurrentAccountOwner: &owner, Tags: []dct.Tag{{Key: tagPod, Value: p.id}, {Key: tagBranch, Value: name}}}
	var id string
	// The branch had no copy before the start: a VDB of the copy's name
	// and tags after a lost answer is the one it made.
	mine := func(v *dct.VDB) bool { return tag(v.Tags, tagPod) == p.id && tag(v.Tags, tagBranch) == name }
	_, err := platform.Of(s).Run(ctx, platform.JobSpec{
		Action: cli.Action{Action: "provision", Object: "VDB", Name: pr.Name,
			Parameters: map[string]string{"bookmark": st.ref, "owner": "this account", "tags": tagPod + "=" + p.id + ", " + tagBranch + "=" + name}},
		What: fmt.Sprintf("provision of %s as the private copy %q from bookmark %q", label, pr.Name, st.name),
		Look: func(context.Context) dct.Look { return p.c.VDBs.NewNamed(pr.Name, mine, &id) },
		DCT: func() (*dct.Job, error) {
			var job *dct.Job
			var err error
			id, job, err = p.c.VDBs.ProvisionFromBookmark(ctx, pr)
			return job, err
		},
	})
	return branch{name: name, ref: id, active: true, mode: modeCopy, copy: pr.Name}, err
}

// restore restores the pod from the bookmark, after a snapshot that keeps
// the data of the timeflow it leaves, and names the new timeflow.
func (p dctPod) restore(ctx context.Context, s *cli.Session, name string, st start, label string) (branch, error) {
	jobs := platform.Of(s)
	if err := p.refuseLock(s); err != nil {
		return branch{}, err
	}
	if err := p.keepCurrent(ctx, s); err != nil {
		return branch{}, err
	}
	j, err := jobs.Run(ctx, platform.JobSpec{
		Action:  cli.Action{Action: "restore", Object: "VDB", Name: p.vdb.Name, Reference: p.vdb.ID, Parameters: map[string]string{"bookmark": st.ref}},
		What:    fmt.Sprintf("restore of data pod %q from bookmark %q", p.name, st.name),
		Targets: []string{p.vdb.ID},
		DCT:     func() (*dct.Job, error) { return p.c.VDBs.RefreshFromBookmark(ctx, p.vdb.ID, st.ref) },
	})
	if err != nil {
		return branch{}, err
	}
	b := branch{name: name, active: true, mode: modeInPlace}
	if !j.Planned {
		v, err := p.c.VDBs.Get(ctx, p.vdb.ID)
		if err != nil {
			return branch{}, err
		}
		b.ref = v.CurrentTimeflowID
	}
	_, err = jobs.Run(ctx, platform.JobSpec{
		// The timeflow is the restore's: in a plan it has no id yet.
		Action:  cli.Action{Action: "rename", Object: "timeflow", Name: name, Reference: b.ref, Parameters: map[string]string{"vdb": p.vdb.ID}},
		What:    "naming the new timeflow of " + label,
		Targets: []string{b.ref},
		DCT:     func() (*dct.Job, error) { return p.c.Timeflows.Rename(ctx, b.ref, name) },
	})
	return b, err
}

// refuseLock refuses a change to a pod another account locked, before any
// change (exit 3, as on the engine): DCT names the account holding the
// lock, and an API key starts with its own account's number. With a key
// that does not, a plan notes the lock, and a real run leaves the refusal
// to DCT (409 on the first job).
func (p dctPod) refuseLock(s *cli.Session) error {
	if p.lock == "" {
		return nil
	}
	if me, ok := p.c.AccountID(); ok {
		if me == p.lockID {
			return nil
		}
		return stepkit.LockedError{Pod: p.name, By: p.lock, Holder: "account"}
	}
	if s.DryRun() {
		s.Log.Printf("plan: data pod %q is locked by account %q; a real run is refused unless that is this account", p.name, p.lock)
	}
	return nil
}

// keepCurrent snapshots the pod, so that the timeflow it leaves keeps its
// latest data for a later switch back.
func (p dctPod) keepCurrent(ctx context.Context, s *cli.Session) error {
	_, err := platform.Of(s).Run(ctx, platform.JobSpec{
		Action:  cli.Action{Action: "snapshot", Object: "VDB", Name: p.vdb.Name, Reference: p.vdb.ID},
		What:    fmt.Sprintf("snapshot of data pod %q before it leaves its timeflow", p.name),
		Targets: []string{p.vdb.ID},
		DCT:     func() (*dct.Job, error) { return p.c.VDBs.Snapshot(ctx, p.vdb.ID) },
	})
	return err
}

// activate switches the pod to the timeflow, after a snapshot of the one
// it leaves.
func (p dctPod) activate(ctx context.Context, s *cli.Session, b branch, label string) error {
	if err := p.refuseLock(s); err != nil {
		return err
	}
	if err := p.keepCurrent(ctx, s); err != nil {
		return err
	}
	_, err := platform.Of(s).Run(ctx, platform.JobSpec{
		Action:  cli.Action{Action: "switch", Object: "VDB", Name: p.vdb.Name, Reference: p.vdb.ID, Parameters: map[string]string{"timeflow": b.ref}},
		What:    "activation of " + label,
		Targets: []string{p.vdb.ID},
		DCT:     func() (*dct.Job, error) { return p.c.VDBs.SwitchTimeflow(ctx, p.vdb.ID, b.ref) },
	})
	return err
}

// remove deletes a private copy, or a timeflow of the pod.
func (p dctPod) remove(ctx context.Context, s *cli.Session, b branch, label string) error {
	a := cli.Action{Action: "delete", Object: "timeflow", Name: b.name, Reference: b.ref, Parameters: map[string]string{"vdb": p.vdb.ID}}
	what, del := "deletion of "+label, func() (*dct.Job, error) { return p.c.Timeflows.Delete(ctx, b.ref) }
	if b.copy == "" {
		if err := p.refuseLock(s); err != nil {
			return err
		}
	} else {
		a = cli.Action{Action: "delete", Object: "VDB", Name: b.copy, Reference: b.ref}
		what = fmt.Sprintf("deletion of the private copy %q (%s)", b.copy, label)
		del = func() (*dct.Job, error) { return p.c.VDBs.Delete(ctx, b.ref, false) }
	}
	_, err := platform.Of(s).Run(ctx, platform.JobSpec{Action: a, What: what, Targets: []string{b.ref}, DCT: del})
	return err
}
