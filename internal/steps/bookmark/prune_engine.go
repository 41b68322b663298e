package bookmark

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/dxsteps/dxsteps/delphix"
	"github.com/dxsteps/dxsteps/internal/cli"
)

// pruneEngine prunes among bs, the bookmarks the user sees on the layout
// asked for (all when none). A due bookmark is skipped while a branch created from
// it still exists, or while a data pod's active branch holds data restored
// from it: the engine's operation log (JSOperation.dataParent) says both.
func pruneEngine(ctx context.Context, s *cli.Session, o options, bs []delphix.Bookmark) (any, error) {
	c := s.Client
	var cs []candidate
	for i := range bs {
		b := &bs[i]
		created, _ := time.Parse(time.RFC3339Nano, b.CreationTime)
		layout := b.Container
		if layout == "" {
			layout = b.Template
		}
		cs = append(cs, candidate{res: describe(b), id: b.Reference, layout: layout, created: created})
	}
	deps, err := engineDependents(ctx, c)
	if err != nil {
		return nil, err
	}
	res, err := prune(o, cs, time.Now(), func(x candidate) string { return joinReasons(deps[x.id]) },
		func(x candidate) (bool, error) {
			_, err := s.Do(ctx, fmt.Sprintf("delete of bookmark %q", x.res.Bookmark), func() (delphix.Operation, error) {
				return c.Bookmarks.Delete(ctx, x.id)
			})
			return errors.Is(err, delphix.ErrForbidden), err
		})
	logPrune(s, res)
	return res, err
}

// engineDependents maps a bookmark reference to what depends on it: the
// branches created from it that still exist, and the data pods whose active
// branch's latest data came from it.
func engineDependents(ctx context.Context, c *delphix.Client) (map[string][]string, error) {
	pods, err := c.Containers.List(ctx, "")
	if err != nil {
		return nil, err
	}
	deps := map[string][]string{}
	for _, pod := range pods {
		branches, err := c.Branches.List(ctx, pod.Reference)
		if err != nil {
			return nil, err
		}
		names := map[string]string{}
		for _, b := range branches {
			names[b.Reference] = b.Name
		}
		ops, err := c.Operations.List(ctx, pod.Reference)
		if err != nil {
			return nil, err
		}
		current := false // the newest data operation on the active branch is seen
		for _, op := range ops {
			from := ""
			if op.DataParent != nil {
				from = op.DataParent.Bookmark
			}
			if op.Branch == pod.ActiveBranch && dataOperations[op.Operation] && !current {
				current = true
				if from != "" {
					deps[from] = append(deps[from], fmt.Sprintf("data pod %q holds its data (%s)", pod.Name, op.Operation))
					continue
				}
			}
			if op.Operation == "CREATE_BRANCH" && from != "" && names[op.Branch] != "" {
				deps[from] = append(deps[from], fmt.Sprintf("branch %q of data pod %q was created from it", names[op.Branch], pod.Name))
			}
		}
	}
	return deps, nil
}

// dataOperations are the operations that change a branch's data.
var dataOperations = map[string]bool{"REFRESH": true, "RESET": true, "RESTORE": true, "CREATE_BRANCH": true, "UNDO": true}

// logPrune says what prune did, one line per bookmark, for people.
func logPrune(s *cli.Session, r PruneResult) {
	verb := "deleted"
	if r.DryRun {
		verb = "would delete (dry run)"
	}
	for _, b := range r.Deleted {
		s.Log.Printf("prune: %s bookmark %q (%s)", verb, b.Bookmark, b.BookmarkReference)
	}
	for _, b := range r.Kept {
		s.Log.Printf("prune: kept bookmark %q, not due for deletion: %s", b.Bookmark, b.Reason)
	}
	for _, b := range r.Skipped {
		s.Log.Printf("prune: skipped bookmark %q, due for deletion but not deleted: %s", b.Bookmark, b.Reason)
	}
	s.Log.Printf("prune: %d %s, %d kept (not due), %d skipped (due, but in use or refused)", len(r.Deleted), verb, len(r.Kept), len(r.Skipped))
}
