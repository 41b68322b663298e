package subset

import (
	"context"
	"fmt"
	"slices"

	"github.com/dxsteps/dxsteps/internal/cli"
	"github.com/dxsteps/dxsteps/internal/steps/stepkit"
)

// findDCTPod is the pod on DCT: a VDB group (or a VDB), which the
// subsetter reaches through its first VDB as DCT shows it.
func findDCTPod(ctx context.Context, s *cli.Session, o options) (pod, error) {
	p, err := stepkit.FindDCTPod(ctx, s.DCT, o.container)
	if err != nil {
		return pod{}, err
	}
	if o.template != "" {
		tmpl, err := s.DCT.VDBGroups.FindByName(ctx, o.template)
		if err != nil {
			return pod{}, fmt.Errorf("template: %w", err)
		}
		if !slices.Contains(tmpl.VDBIDs, p.VDBs[0].ParentID) {
			return pod{}, cli.Usagef("data pod %q is not from template %q: its VDB %q was not provisioned from a VDB of that group",
				p.Name, tmpl.Name, p.VDBs[0].Name)
		}
	}
	if len(p.VDBs) > 1 && !o.simulate {
		s.Log.Printf("data pod %q has %d VDBs; DX_DB_* describe the first, %q", p.Name, len(p.VDBs), p.VDBs[0].Name)
	}
	return pod{name: p.Name, conn: stepkit.DCTConnection(p.VDBs[0]), connected: true}, nil
}
