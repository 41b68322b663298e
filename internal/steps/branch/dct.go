package branch

import (
	"context"
	"errors"
	"fmt"

	"github.com/dxsteps/dxsteps/dct"
	"github.com/dxsteps/dxsteps/internal/cli"
	"github.com/dxsteps/dxsteps/internal/httpapi"
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

// branchDCT is one branch of a pod on DCT: a timeflow or a private copy.
type branchDCT struct {
	name   string
	ref    string // timeflow id, or the copy's VDB id
	active bool
	copy   *dct.VDB // nil for a timeflow
}

func (b branchDCT) result(pod string) Result {
	r := Result{Container: pod, Branch: b.name, BranchReference: b.ref, Active: b.active, Mode: modeInPlace}
	if b.copy != nil {
		r.Mode, r.Copy = modeCopy, b.copy.Name
	}
	return r
}

// podDCT is the data pod: a VDB group of one VDB, or a VDB.
type podDCT struct {
	id  string // the group's id, or the VDB's
	vdb *dct.VDB
}

func runDCT(ctx context.Context, s *cli.Session, o options) (any, error) {
	c := s.DCT
	pod, err := findPod(ctx, c, o.container)
	if err != nil {
		return nil, err
	}
	branches, err := listDCT(ctx, c, pod)
	if err != nil {
		return nil, err
	}
	if o.op == "list" {
		out := ListResult{Container: o.container, Branches: []Result{}}
		for _, b := range branches {
			out.Branches = append(out.Branches, b.result(o.container))
		}
		return out, nil
	}
	label := fmt.Sprintf("branch %q of data pod %q", o.name, o.container)
	b, findErr := findBranch(branches, o.container, o.name)
	mode := o.mode
	if mode == "" {
		mode = modeCopy
	}
	switch {
	case o.op == "create" && findErr != nil:
		return createDCT(ctx, s, pod, o, mode, label)
	case findErr != nil:
		return nil, findErr
	case o.op == "create" && (b.copy != nil) != (mode == modeCopy):
		return nil, cli.Usagef("%s exists as %s: create it with --mode %s, or choose another name", label, describe(b), b.result("").Mode)
	case o.op == "create" && b.copy != nil:
		s.Log.Printf("%s already exists as the private copy %q; reusing it", label, b.copy.Name)
		res := b.result(o.container)
		res.Created = new(bool)
		return res, nil
	case o.op == "delete":
		return deleteDCT(ctx, s, b, o.container, label)
	case b.copy != nil:
		return nil, cli.Usagef("%s is the private copy %q, a VDB of its own: use it directly; activate switches the pod between its timeflows", label, b.copy.Name)
	}
	res := b.result(o.container)
	if o.op == "create" {
		res.Created = new(bool)
		s.Log.Printf("%s already exists; activating it", label)
	}
	return activateDCT(ctx, s, pod, res, label)
}

func describe(b branchDCT) string {
	if b.copy != nil {
		return fmt.Sprintf("the private copy %q", b.copy.Name)
	}
	return "a timeflow of the pod"
}

// findPod resolves --container: a VDB group of one VDB, else a VDB.
func findPod(ctx context.Context, c *dct.Client, name string) (podDCT, error) {
	g, gErr := c.VDBGroups.FindByName(ctx, name)
	if gErr == nil {
		if len(g.VDBIDs) != 1 {
			return podDCT{}, cli.Usagef("data pod %q is a VDB group of %d VDBs; dx-branch on DCT branches a pod of one VDB", name, len(g.VDBIDs))
		}
		v, err := c.VDBs.Get(ctx, g.VDBIDs[0])
		return podDCT{id: g.ID, vdb: v}, err
	}
	if !errors.Is(gErr, dct.ErrNotFound) {
		return podDCT{}, gErr
	}
	v, vErr := c.VDBs.FindByName(ctx, name)
	if vErr == nil {
		return podDCT{id: v.ID, vdb: v}, nil
	}
	var ge, ve *dct.NameError
	if errors.As(gErr, &ge) && errors.As(vErr, &ve) && len(ve.Matches) == 0 {
		return podDCT{}, &dct.NameError{Kind: "VDB group or VDB", Name: name, Suggestions: append(ge.Suggestions, ve.Suggestions...)}
	}
	return podDCT{}, vErr
}

// listDCT lists the pod's timeflows, oldest first, then the caller's
// private copies of it.
func listDCT(ctx context.Context, c *dct.Client, pod podDCT) ([]branchDCT, error) {
	tfs, err := c.Timeflows.OfDataset(ctx, pod.vdb.ID)
	if err != nil {
		return nil, err
	}
	var out []branchDCT
	for _, tf := range tfs {
		out = append(out, branchDCT{name: tf.Name, ref: tf.ID, active: tf.ID == pod.vdb.CurrentTimeflowID})
	}
	vdbs, err := c.VDBs.List(ctx)
	if err != nil {
		return nil, err
	}
	for i := range vdbs {
		v := &vdbs[i]
		if v.ID != pod.vdb.ID && tag(v.Tags, tagPod) == pod.id && tag(v.Tags, tagBranch) != "" {
			out = append(out, branchDCT{name: tag(v.Tags, tagBranch), ref: v.ID, active: v.Enabled, copy: v})
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

func findBranch(branches []branchDCT, pod, name string) (branchDCT, error) {
	var names, matches []string
	var found branchDCT
	for _, b := range branches {
		names = append(names, b.name)
		if b.name == name {
			found, matches = b, append(matches, b.ref)
		}
	}
	kind := fmt.Sprintf("branch of data pod %q", pod)
	switch len(matches) {
	case 1:
		return found, nil
	case 0:
		return found, &dct.NameError{Kind: kind, Name: name, Suggestions: httpapi.Closest(name, names, 3)}
	}
	return found, &dct.NameError{Kind: kind, Name: name, Matches: matches}
}

// findBookmark returns the one bookmark named name that can refresh the pod.
func findBookmark(ctx context.Context, c *dct.Client, pod podDCT, name string) (*dct.Bookmark, error) {
	found, err := c.Bookmarks.CompatibleWith(ctx, pod.vdb.ID, name)
	if err != nil {
		return nil, err
	}
	switch len(found) {
	case 1:
		return &found[0], nil
	case 0:
		var names []string
		if all, err := c.Bookmarks.CompatibleWith(ctx, pod.vdb.ID, ""); err == nil {
			for _, b := range all {
				names = append(names, b.Name)
			}
		}
		return nil, &dct.NameError{Kind: "bookmark", Name: name, Suggestions: httpapi.Closest(name, names, 3)}
	}
	ids := make([]string, len(found))
	for i, b := range found {
		ids[i] = b.ID
	}
	return nil, &dct.NameError{Kind: "bookmark", Name: name, Matches: ids}
}

// copyName is the private copy's VDB name: the pod's and the branch's.
func copyName(pod, branch string) string { return pod + "-" + branch }

func createDCT(ctx context.Context, s *cli.Session, pod podDCT, o options, mode, label string) (any, error) {
	c := s.DCT
	bm, err := findBookmark(ctx, c, pod, o.bookmark)
	if err != nil {
		return nil, err
	}
	if !o.allowUnmasked {
		if _, why, err := stepkit.ProveBookmarkDCT(ctx, c, bm); err != nil || why != "" {
			return nil, unproven(err, o.container, bm.Name, why)
		}
	}
	created := true
	res := Result{Container: o.container, Branch: o.name, Active: true, Created: &created, FromBookmark: bm.Name, Mode: mode}
	if mode == modeCopy {
		if len(bm.VDBIDs) != 1 {
			return nil, cli.Usagef("bookmark %q holds %d VDBs; a private copy is provisioned from a bookmark of one VDB", bm.Name, len(bm.VDBIDs))
		}
		owner := true
		p := dct.ProvisionFromBookmark{BookmarkID: bm.ID, Name: copyName(o.container, o.name), AutoSelectRepository: true,
			MakeCurrentAccountOwner: &owner, Tags: []dct.Tag{{Key: tagPod, Value: pod.id}, {Key: tagBranch, Value: o.name}}}
		what := fmt.Sprintf("provision of %s as the private copy %q from bookmark %q", label, p.Name, bm.Name)
		var id string
		// The branch had no copy before the start: a VDB of the copy's name
		// and tags after a lost answer is the one it made.
		look := stepkit.NewVDBNamed(s, p.Name, func(v *dct.VDB) bool {
			return tag(v.Tags, tagPod) == pod.id && tag(v.Tags, tagBranch) == o.name
		}, &id)
		if _, err := s.DoDCT(ctx, what, func() (*dct.Job, error) {
			j, err := stepkit.StartDCTLooking(ctx, s, what, look, func() (*dct.Job, error) {
				var job *dct.Job
				var err error
				id, job, err = c.VDBs.ProvisionFromBookmark(ctx, p)
				return job, err
			})
			return j, err
		}); err != nil {
			return nil, err
		}
		res.BranchReference, res.Copy, res.Recovered = id, p.Name, s.Recovered()
		return res, nil
	}
	if err := keepCurrent(ctx, s, pod, o.container); err != nil {
		return nil, err
	}
	what := fmt.Sprintf("restore of data pod %q from bookmark %q", o.container, bm.Name)
	if _, err := doDCT(ctx, s, pod, what, func() (*dct.Job, error) { return c.VDBs.RefreshFromBookmark(ctx, pod.vdb.ID, bm.ID) }); err != nil {
		return nil, err
	}
	v, err := c.VDBs.Get(ctx, pod.vdb.ID)
	if err != nil {
		return nil, err
	}
	nwhat := "naming the new timeflow of " + label
	if _, err := s.DoDCT(ctx, nwhat, func() (*dct.Job, error) {
		return stepkit.StartDCT(ctx, s, v.CurrentTimeflowID, nwhat, func() (*dct.Job, error) { return c.Timeflows.Rename(ctx, v.CurrentTimeflowID, o.name) })
	}); err != nil {
		return nil, err
	}
	res.BranchReference, res.Recovered = v.CurrentTimeflowID, s.Recovered()
	return res, nil
}

// doDCT is s.DoDCT for a job on the pod's VDB; a lost answer to its start
// is not sent again: the one new job on the VDB is its job.
func doDCT(ctx context.Context, s *cli.Session, pod podDCT, what string, start func() (*dct.Job, error)) (*dct.Job, error) {
	return s.DoDCT(ctx, what, func() (*dct.Job, error) {
		return stepkit.StartDCT(ctx, s, pod.vdb.ID, what, start)
	})
}

// keepCurrent snapshots the pod, so that the timeflow it leaves keeps its
// latest data for a later switch back.
func keepCurrent(ctx context.Context, s *cli.Session, pod podDCT, name string) error {
	_, err := doDCT(ctx, s, pod, fmt.Sprintf("snapshot of data pod %q before it leaves its timeflow", name), func() (*dct.Job, error) {
		return s.DCT.VDBs.Snapshot(ctx, pod.vdb.ID)
	})
	return err
}

func activateDCT(ctx context.Context, s *cli.Session, pod podDCT, res Result, label string) (any, error) {
	if !res.Active {
		if err := keepCurrent(ctx, s, pod, res.Container); err != nil {
			return nil, err
		}
		if _, err := doDCT(ctx, s, pod, "activation of "+label, func() (*dct.Job, error) {
			return s.DCT.VDBs.SwitchTimeflow(ctx, pod.vdb.ID, res.BranchReference)
		}); err != nil {
			return nil, err
		}
	}
	res.Active, res.Recovered = true, s.Recovered()
	return res, nil
}

func deleteDCT(ctx context.Context, s *cli.Session, b branchDCT, pod, label string) (any, error) {
	res := b.result(pod)
	switch {
	case b.copy != nil:
		what := fmt.Sprintf("deletion of the private copy %q (%s)", b.copy.Name, label)
		if _, err := s.DoDCT(ctx, what, func() (*dct.Job, error) {
			return stepkit.StartDCT(ctx, s, b.ref, what, func() (*dct.Job, error) { return s.DCT.VDBs.Delete(ctx, b.ref, false) })
		}); err != nil {
			return nil, err
		}
	case b.active:
		return nil, cli.Usagef("%s is active: activate another branch first", label)
	default:
		what := "deletion of " + label
		if _, err := s.DoDCT(ctx, what, func() (*dct.Job, error) {
			return stepkit.StartDCT(ctx, s, b.ref, what, func() (*dct.Job, error) { return s.DCT.Timeflows.Delete(ctx, b.ref) })
		}); err != nil {
			return nil, err
		}
	}
	res.Active, res.Deleted = false, true
	return res, nil
}
