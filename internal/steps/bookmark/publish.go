package bookmark

import (
	"context"
	"fmt"
	"strings"

	"github.com/dxsteps/dxsteps/internal/cli"
	"github.com/dxsteps/dxsteps/internal/steps/stepkit"
)

// allowUnmasked skips the check that the data a shared bookmark publishes
// is proven masked.
var allowUnmasked = stepkit.AllowUnmaskedKey("create", "share")

// provePublish checks, before a bookmark is shared (create --shared, or
// share), and in a plan the same way, that the data it publishes is
// proven masked (store.publishes): the current data of what (the layout)
// for a new bookmark, the bookmark's own (b) for an existing one.
func provePublish(ctx context.Context, s *cli.Session, o options, st store, what string, b *mark) error {
	if o.allowUnmasked {
		return nil
	}
	evidence, why, err := st.publishes(ctx, b)
	if err != nil {
		return err
	}
	if why != "" {
		return stepkit.NotMasked(what, fmt.Sprintf("the data shared bookmark %q would publish", o.name), why)
	}
	s.Log.Printf("the data bookmark %q publishes is proven masked: %s", o.name, strings.Join(evidence, "; "))
	return nil
}
