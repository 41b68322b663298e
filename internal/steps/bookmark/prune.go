package bookmark

import (
	"context"
	"errors"
	"time"

	"github.com/dxsteps/dxsteps/dct"
	"github.com/dxsteps/dxsteps/delphix"
	"github.com/dxsteps/dxsteps/internal/cli"
	"github.com/dxsteps/dxsteps/internal/platform"
)

// runPrune prunes among ms, the bookmarks the user sees on the layout
// asked for (all when none): a due bookmark is skipped while something
// still depends on it (store.dependents), and a delete the platform
// refuses (forbidden) is skipped, not fatal. In a plan each delete is a
// "delete" action and nothing is deleted.
func runPrune(ctx context.Context, s *cli.Session, o options, st store, ms []mark) (PruneResult, error) {
	deps, err := st.dependents(ctx, ms)
	if err != nil {
		return PruneResult{}, err
	}
	res, err := prune(o, ms, time.Now(), func(x mark) string { return joinReasons(deps[x.id]) },
		func(x mark) (bool, error) {
			_, err := platform.Of(s).Run(ctx, changeJob(ctx, st, "delete", x))
			return errors.Is(err, delphix.ErrForbidden) || errors.Is(err, dct.ErrForbidden), err
		})
	logPrune(s, res)
	return res, err
}

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
