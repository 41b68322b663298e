package datapod

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/dxsteps/dxsteps/dct"
	"github.com/dxsteps/dxsteps/delphix"
	"github.com/dxsteps/dxsteps/internal/cli"
	"github.com/dxsteps/dxsteps/internal/steps/stepkit"
)

// masterPoint is the snapshot of the template's master VDB (the data source
// the template draws from) that a refresh or create takes the pod to.
type masterPoint struct {
	tmpl   *delphix.Template
	master *delphix.Database
	snap   *delphix.Snapshot
}

// timeline is the point as self-service takes it: the latest provisionable
// point at or before the snapshot's data time on the template's branch,
// which is that snapshot.
func (p *masterPoint) timeline() *delphix.TimelinePoint {
	if p == nil {
		return nil // the template's latest point (--allow-unmasked by an account that may not read the master)
	}
	return &delphix.TimelinePoint{Branch: p.tmpl.ActiveBranch, Time: p.snap.LatestChangePoint.Timestamp}
}

// pickPoint returns --snapshot, which must be a snapshot of the template's
// master VDB, or the master's newest snapshot, once the masking rule proves
// it masked (unless --allow-unmasked).
func pickPoint(ctx context.Context, s *cli.Session, o options, tmpl *delphix.Template) (*masterPoint, error) {
	c := s.Client
	sources, err := c.DataSources.List(ctx, tmpl.Reference)
	if err != nil {
		return nil, err
	}
	if len(sources) != 1 {
		return nil, cli.Usagef("template %q has %d data sources; dx-datapod refreshes pods of templates with one", tmpl.Name, len(sources))
	}
	master, err := c.Databases.Get(ctx, sources[0].Container)
	if errors.Is(err, delphix.ErrForbidden) || errors.Is(err, delphix.ErrNotFound) {
		// QA or a developer: no point can be picked, nor proven, by this account
		if o.allowUnmasked && o.snapshot == "" {
			s.Log.Printf("this account may not read the master of template %q: the pod goes to the template's latest point, unchecked (--%s)", tmpl.Name, allowUnmasked.Flag)
			return nil, nil
		}
		return nil, stepkit.NotMasked(fmt.Sprintf("the master of template %q", tmpl.Name), "the point data pod "+strconv.Quote(o.container)+" would get",
			fmt.Sprintf("this account may not read the master's snapshots and jobs (%v); refresh the pod with an account that can", err))
	}
	if err != nil {
		return nil, err
	}
	p := &masterPoint{tmpl: tmpl, master: master}
	if o.snapshot != "" {
		p.snap, err = c.Snapshots.Get(ctx, o.snapshot)
		if errors.Is(err, delphix.ErrNotFound) {
			return nil, cli.Usagef("no snapshot %q: pass the maskedSnapshot dx-refresh printed, or the snapshot dx-credentials printed", o.snapshot)
		}
		if err != nil {
			return nil, err
		}
		if p.snap.Container != master.Reference {
			other := p.snap.Container
			if db, err := c.Databases.Get(ctx, other); err == nil {
				other = fmt.Sprintf("%q", db.Name)
			}
			return nil, cli.Usagef("snapshot %s is of %s, not of %q, the master VDB of template %q: refusing to refresh data pod %q from it",
				p.snap.Reference, other, master.Name, tmpl.Name, o.container)
		}
	} else {
		snaps, err := c.Snapshots.List(ctx, master.Reference)
		if err != nil {
			return nil, err
		}
		if len(snaps) == 0 {
			return nil, fmt.Errorf("VDB %q, the master of template %q, has no snapshot to refresh data pod %q from: refresh it first", master.Name, tmpl.Name, o.container)
		}
		p.snap = &snaps[0]
	}
	if o.allowUnmasked {
		s.Log.Printf("data pod %q goes to snapshot %s of %q without the masking check (--%s)", o.container, p.snap.Reference, master.Name, allowUnmasked.Flag)
		return p, nil
	}
	evidence, why, err := stepkit.ProveMasked(ctx, c, master, p.snap)
	if err != nil {
		return nil, err
	}
	if why != "" {
		return nil, stepkit.NotMasked(fmt.Sprintf("VDB %q (the master of template %q)", master.Name, tmpl.Name), "snapshot "+p.snap.Reference, why)
	}
	s.Log.Printf("snapshot %s of %q is proven masked: %s", p.snap.Reference, master.Name, strings.Join(evidence, "; "))
	return p, nil
}

// errNoSnapshot: the account sees no snapshot of the parent.
var errNoSnapshot = errors.New("no snapshot of the parent is visible")

// pickPointDCT returns --snapshot, which must be of the parent VDB (the
// master), or the parent's newest snapshot, once the masking rule proves it
// masked (unless --allow-unmasked). what names the VDB or pod it is for.
func pickPointDCT(ctx context.Context, s *cli.Session, o options, parentID, what string) (*dct.Snapshot, error) {
	c := s.DCT
	var snap *dct.Snapshot
	var err error
	if o.snapshot != "" {
		snap, err = c.Snapshots.Get(ctx, o.snapshot)
		if errors.Is(err, dct.ErrNotFound) {
			return nil, cli.Usagef("no snapshot %q: pass the maskedSnapshot dx-refresh printed, or the snapshot dx-credentials printed", o.snapshot)
		}
		if err != nil {
			return nil, err
		}
		if snap.DatasetID != parentID {
			return nil, cli.Usagef("snapshot %s is of %s, not of %s, the master VDB %s draws from: refusing to refresh from it", snap.ID, datasetName(ctx, c, snap.DatasetID), datasetName(ctx, c, parentID), what)
		}
	} else if snap, err = c.Snapshots.Latest(ctx, parentID); errors.Is(err, dct.ErrNotFound) {
		if o.allowUnmasked {
			return nil, errNoSnapshot
		}
		return nil, stepkit.NotMasked(datasetName(ctx, c, parentID), "the newest snapshot", "this account sees no snapshot of it, so masking cannot be proven")
	} else if err != nil {
		return nil, err
	}
	if o.allowUnmasked {
		s.Log.Printf("%s goes to snapshot %s of %s without the masking check (--%s)", what, snap.ID, datasetName(ctx, c, parentID), allowUnmasked.Flag)
		return snap, nil
	}
	master, err := c.VDBs.Get(ctx, parentID)
	if errors.Is(err, dct.ErrNotFound) {
		return nil, stepkit.NotMasked(datasetName(ctx, c, parentID), "snapshot "+snap.ID, "it is not a VDB this account sees, so masking cannot be proven")
	}
	if err != nil {
		return nil, err
	}
	evidence, why, err := stepkit.ProveMaskedDCT(ctx, c, master, snap)
	if err != nil {
		return nil, err
	}
	if why != "" {
		return nil, stepkit.NotMasked(fmt.Sprintf("VDB %q (the master %s draws from)", master.Name, what), "snapshot "+snap.ID, why)
	}
	s.Log.Printf("snapshot %s of %q is proven masked: %s", snap.ID, master.Name, strings.Join(evidence, "; "))
	return snap, nil
}

// datasetName is a VDB's or dSource's name, quoted, or its id when DCT
// shows neither to this account.
func datasetName(ctx context.Context, c *dct.Client, id string) string {
	if v, err := c.VDBs.Get(ctx, id); err == nil {
		return fmt.Sprintf("VDB %q", v.Name)
	}
	if d, err := c.DSources.Get(ctx, id); err == nil {
		return fmt.Sprintf("dSource %q", d.Name)
	}
	return id
}

// proveBookmark checks, unless --allow-unmasked, that the bookmark a pod is
// restored to holds data proven masked (stepkit.ProveBookmark).
func proveBookmark(ctx context.Context, s *cli.Session, o options, pod *delphix.Container, bm *delphix.Bookmark) error {
	if o.allowUnmasked {
		return nil
	}
	if bm.Container == pod.Reference {
		return ownBookmark(s, pod.Name, bm.Name)
	}
	evidence, why, err := stepkit.ProveBookmark(ctx, s.Client, bm)
	return settleBookmarkProof(s, pod.Name, bm.Name, evidence, why, err)
}

// proveBookmarkDCT checks, unless --allow-unmasked, that the bookmark a pod
// is restored to holds data proven masked (stepkit.ProveTimeflowDCT).
func proveBookmarkDCT(ctx context.Context, s *cli.Session, o options, pod *stepkit.DCTPod, bm *dct.Bookmark) error {
	if o.allowUnmasked {
		return nil
	}
	if (pod.Group != nil && bm.VDBGroupID == pod.ID) || (pod.Group == nil && len(bm.VDBIDs) == 1 && bm.VDBIDs[0] == pod.ID) {
		return ownBookmark(s, pod.Name, bm.Name)
	}
	evidence, why, err := stepkit.ProveBookmarkDCT(ctx, s.DCT, bm)
	return settleBookmarkProof(s, pod.Name, bm.Name, evidence, why, err)
}

// ownBookmark says why restoring a pod to its own bookmark needs no proof.
func ownBookmark(s *cli.Session, pod, bookmark string) error {
	s.Log.Printf("bookmark %q is data pod %q's own: its data never left the pod", bookmark, pod)
	return nil
}

// settleBookmarkProof turns a platform's proof of a bookmark (its evidence,
// or why it is not proven) into the step's refusal or a log line.
func settleBookmarkProof(s *cli.Session, pod, bookmark string, evidence []string, why string, err error) error {
	if err != nil {
		return err
	}
	if why != "" {
		return stepkit.NotMasked(fmt.Sprintf("data pod %q", pod), fmt.Sprintf("bookmark %q", bookmark), why)
	}
	s.Log.Printf("bookmark %q is proven masked: %s", bookmark, strings.Join(evidence, "; "))
	return nil
}
