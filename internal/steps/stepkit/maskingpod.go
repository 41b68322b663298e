package stepkit

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/dxsteps/dxsteps/delphix"
)

// ProveBookmark applies the engine's rule to a bookmark's data: its
// branch's at its time. A shared bookmark whose lineage this account may
// not read (QA, a developer) counts as proven by its publication, which
// dx-bookmark create --shared checks; a private one gets the weaker
// evidence such an account can read (flaggedMasked).
func ProveBookmark(ctx context.Context, c *delphix.Client, bm *delphix.Bookmark) ([]string, string, error) {
	evidence, why, err := proveBranchData(ctx, c, bm.Branch, bm.Timestamp)
	unreadable := errors.Is(err, delphix.ErrNotFound) || errors.Is(err, delphix.ErrForbidden)
	switch {
	case unreadable && bm.Shared:
		return []string{publishedEvidence}, "", nil
	case unreadable:
		return flaggedMasked(ctx, c, bm.Branch, err)
	}
	return evidence, why, err
}

// flaggedMasked is the evidence left to an account that may not read the
// master's history (the full rule cannot be applied): the engine's masked
// flag on every data source of the branch's layout (JSDataSource.masked).
func flaggedMasked(ctx context.Context, c *delphix.Client, branchRef string, unreadable error) ([]string, string, error) {
	br, err := c.Branches.Get(ctx, branchRef)
	if err != nil {
		return nil, unreadableWhy(unreadable), nil
	}
	sources, err := c.DataSources.List(ctx, br.DataLayout)
	if err != nil || len(sources) == 0 {
		return nil, unreadableWhy(unreadable), nil
	}
	for _, ds := range sources {
		if !ds.Masked {
			return nil, fmt.Sprintf("the engine does not mark data source %q masked, and this account may not read where its data came from (%v)", ds.Name, unreadable), nil
		}
	}
	return []string{"the engine marks the data sources masked (this account may not read the master's history)"}, "", nil
}

// maxDescent bounds how many data operations ProveBranchData follows back.
const maxDescent = 16

// dataOps are the self-service operations that replace a branch's data;
// RESET returns to the one before it, the others leave the data alone.
var dataOps = map[string]bool{"CREATE_BRANCH": true, "REFRESH": true, "RESTORE": true, "UNDO": true}

// ProveBranchData applies the engine's rule to the data a self-service
// branch held at a time (at: ISO-8601; "" now): on a template's branch that
// is the newest snapshot of its master VDB at or before the time, proven by
// ProveMasked; on a container's branch it is traced back, through the
// data parent (JSTimestampDataParent, JSBookmarkDataParent) of the last data
// operation before the time, to a template's. It returns the evidence when
// proven, else why not.
func ProveBranchData(ctx context.Context, c *delphix.Client, branchRef, at string) ([]string, string, error) {
	evidence, why, err := proveBranchData(ctx, c, branchRef, at)
	if errors.Is(err, delphix.ErrNotFound) || errors.Is(err, delphix.ErrForbidden) {
		return flaggedMasked(ctx, c, branchRef, err)
	}
	return evidence, why, err
}

// unreadableWhy says that the account may not read the data's lineage.
func unreadableWhy(err error) string {
	return fmt.Sprintf("this account may not read where the data came from (%v), so masking cannot be proven by it", err)
}

func proveBranchData(ctx context.Context, c *delphix.Client, branchRef, at string) ([]string, string, error) {
	for depth := 0; depth < maxDescent; depth++ {
		br, err := c.Branches.Get(ctx, branchRef)
		if err != nil {
			return nil, "", err
		}
		if tmpl, err := c.Templates.Get(ctx, br.DataLayout); err == nil {
			return proveTemplateAt(ctx, c, tmpl, at)
		} else if !errors.Is(err, delphix.ErrNotFound) {
			return nil, "", err
		}
		ops, err := c.Operations.List(ctx, br.DataLayout)
		if err != nil {
			return nil, "", err
		}
		op := lastDataOp(ops, branchRef, at)
		switch {
		case op == nil:
			return nil, fmt.Sprintf("no data operation on branch %s shows where its data came from", branchRef), nil
		case op.DataParent == nil:
			return nil, fmt.Sprintf("its data comes from %s operation %s, which shows no data parent to trace to a proven snapshot", op.Operation, op.Reference), nil
		case op.DataParent.Type == "JSBookmarkDataParent":
			if op.DataParent.Bookmark == "" {
				return nil, fmt.Sprintf("its data comes from bookmark %q, deleted since", op.DataParent.BookmarkName), nil
			}
			bm, err := c.Bookmarks.Get(ctx, op.DataParent.Bookmark)
			if err != nil {
				return nil, "", err
			}
			branchRef, at = bm.Branch, bm.Timestamp
		default:
			if op.DataParent.Branch == "" {
				return nil, fmt.Sprintf("its data comes from branch %q, deleted since", op.DataParent.BranchName), nil
			}
			branchRef, at = op.DataParent.Branch, op.DataParent.Time
		}
	}
	return nil, fmt.Sprintf("its data descends through more than %d operations", maxDescent), nil
}

// lastDataOp is the newest data operation on the branch started at or
// before at ("" any).
func lastDataOp(ops []delphix.DataOperation, branchRef, at string) *delphix.DataOperation {
	limit, _ := time.Parse(time.RFC3339Nano, at)
	var last *delphix.DataOperation
	var lastStart time.Time
	for i, op := range ops {
		start, err := time.Parse(time.RFC3339Nano, op.StartTime)
		if err != nil || op.Branch != branchRef || !dataOps[op.Operation] || (at != "" && start.After(limit)) {
			continue
		}
		if last == nil || !start.Before(lastStart) {
			last, lastStart = &ops[i], start
		}
	}
	return last
}

// proveTemplateAt proves the newest snapshot of the template's master VDB
// whose data time is at or before at ("" its newest): the point a template's
// branch holds then.
func proveTemplateAt(ctx context.Context, c *delphix.Client, tmpl *delphix.Template, at string) ([]string, string, error) {
	sources, err := c.DataSources.List(ctx, tmpl.Reference)
	if err != nil {
		return nil, "", err
	}
	if len(sources) != 1 {
		return nil, fmt.Sprintf("template %q has %d data sources; dxsteps proves templates with one", tmpl.Name, len(sources)), nil
	}
	master, err := c.Databases.Get(ctx, sources[0].Container)
	if err != nil {
		return nil, "", err
	}
	snaps, err := c.Snapshots.List(ctx, master.Reference)
	if err != nil {
		return nil, "", err
	}
	limit, _ := time.Parse(time.RFC3339Nano, at)
	for i := range snaps {
		data, err := time.Parse(time.RFC3339Nano, snaps[i].LatestChangePoint.Timestamp)
		if err == nil && (at == "" || !data.After(limit)) {
			evidence, why, err := ProveMasked(ctx, c, master, &snaps[i])
			if why != "" {
				why = fmt.Sprintf("it descends from snapshot %s of %q: %s", snaps[i].Reference, master.Name, why)
			} else {
				evidence = append(evidence, fmt.Sprintf("descends from snapshot %s of %q", snaps[i].Reference, master.Name))
			}
			return evidence, why, err
		}
	}
	return nil, fmt.Sprintf("VDB %q, the master of template %q, has no snapshot at or before %s", master.Name, tmpl.Name, at), nil
}
