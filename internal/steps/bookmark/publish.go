package bookmark

import (
	"context"
	"fmt"
	"strings"

	"github.com/dxsteps/dxsteps/dct"
	"github.com/dxsteps/dxsteps/delphix"
	"github.com/dxsteps/dxsteps/internal/cli"
	"github.com/dxsteps/dxsteps/internal/steps/stepkit"
)

// allowUnmasked skips the check that the data a shared bookmark publishes
// is proven masked.
var allowUnmasked = stepkit.AllowUnmaskedKey("create", "share")

// provePublish checks, before a bookmark is shared (create --shared, or
// share), that the data it publishes is proven masked: the layout's current
// data (branch, "") for a new bookmark, the bookmark's own (b) for an
// existing one (stepkit.ProveBranchData).
func provePublish(ctx context.Context, s *cli.Session, o options, what, branch string, b *delphix.Bookmark) error {
	if o.allowUnmasked {
		return nil
	}
	at := ""
	if b != nil {
		branch, at = b.Branch, b.Timestamp
	}
	evidence, why, err := stepkit.ProveBranchData(ctx, s.Client, branch, at)
	if err != nil {
		return err
	}
	if why != "" {
		return stepkit.NotMasked(what, fmt.Sprintf("the data shared bookmark %q would publish", o.name), why)
	}
	s.Log.Printf("the data bookmark %q publishes is proven masked: %s", o.name, strings.Join(evidence, "; "))
	return nil
}

// provePublishDCT checks, before a bookmark is made PUBLIC, that the data it
// publishes is proven masked: the current data of each VDB of the layout
// (stepkit.ProveCurrentDCT), or the existing bookmark's (b).
func provePublishDCT(ctx context.Context, s *cli.Session, o options, l *dctLayout, b *dct.Bookmark) error {
	if o.allowUnmasked {
		return nil
	}
	point := fmt.Sprintf("the data shared bookmark %q would publish", o.name)
	if b != nil {
		what := fmt.Sprintf("bookmark %q", b.Name)
		evidence, why, err := stepkit.ProveBookmarkDCT(ctx, s.DCT, b)
		if err != nil {
			return err
		}
		if why != "" {
			return stepkit.NotMasked(what, point, why)
		}
		s.Log.Printf("the data bookmark %q publishes is proven masked: %s", o.name, strings.Join(evidence, "; "))
		return nil
	}
	what := fmt.Sprintf("%s %q", l.kind, l.name)
	ids := []string{l.vdb}
	if l.group != "" {
		g, err := s.DCT.VDBGroups.Get(ctx, l.group)
		if err != nil {
			return err
		}
		ids = g.VDBIDs
	}
	for _, id := range ids {
		v, err := s.DCT.VDBs.Get(ctx, id)
		if err != nil {
			return err
		}
		evidence, why, err := stepkit.ProveCurrentDCT(ctx, s.DCT, v)
		if err != nil {
			return err
		}
		if why != "" {
			return stepkit.NotMasked(what, point, why)
		}
		s.Log.Printf("the data of VDB %q that bookmark %q publishes is proven masked: %s", v.Name, o.name, strings.Join(evidence, "; "))
	}
	return nil
}
