package subset

import (
	"context"
	"fmt"
	"slices"

	"github.com/dxsteps/dxsteps/internal/cli"
	"github.com/dxsteps/dxsteps/internal/steps/stepkit"
)

// runDCT is dx-subset on Data Control Tower: the pod is a VDB group (or a
// VDB) and the subsetter reaches its first VDB as DCT shows it.
func runDCT(ctx context.Context, s *cli.Session, o options) (any, error) {
	pod, err := stepkit.FindDCTPod(ctx, s.DCT, o.container)
	if err != nil {
		return nil, err
	}
	if o.template != "" {
		tmpl, err := s.DCT.VDBGroups.FindByName(ctx, o.template)
		if err != nil {
			return nil, fmt.Errorf("template: %w", err)
		}
		if !slices.Contains(tmpl.VDBIDs, pod.VDBs[0].ParentID) {
			return nil, cli.Usagef("data pod %q is not from template %q: its VDB %q was not provisioned from a VDB of that group",
				pod.Name, tmpl.Name, pod.VDBs[0].Name)
		}
	}
	res := Result{Container: pod.Name, Percent: o.percent, Mode: "simulated"}
	if o.simulate {
		s.Log.Printf("--simulate: SIMULATED %d%% subset of %q, its data is unchanged", o.percent, pod.Name)
		return res, nil
	}
	if len(pod.VDBs) > 1 {
		s.Log.Printf("data pod %q has %d VDBs; DX_DB_* describe the first, %q", pod.Name, len(pod.VDBs), pod.VDBs[0].Name)
	}
	return subset(ctx, s, o, res, stepkit.DCTConnection(pod.VDBs[0]))
}
