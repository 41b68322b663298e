package credentials

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/dxsteps/dxsteps/dct"
	"github.com/dxsteps/dxsteps/internal/cli"
	"github.com/dxsteps/dxsteps/internal/steps/stepkit"
)

// retiredHook names a hook slot of ours that no account uses any more
// (where DCT merges hook lists and so cannot remove one); it does nothing.
const retiredHook = hookPrefix + "(no longer in the policy)"

// runDCT applies the policy to a VDB DCT shows: through the user's tool
// now, or as configure_clone hooks set with PATCH /vdbs/{id}.
func runDCT(ctx context.Context, s *cli.Session, o options) (any, error) {
	c := s.DCT
	vdb, err := stepkit.FindVDBDCT(ctx, c, o.vdb, cli.Usagef("%q is a dSource: dx-credentials changes accounts on VDBs only, never on production", o.vdb))
	if err != nil {
		return nil, err
	}
	conn := stepkit.DCTConnection(vdb)
	if conn == (stepkit.Connection{}) {
		s.Log.Printf("warning: DCT shows no connection details for %q; DX_DB_* are empty", o.vdb)
	}
	res := Result{VDB: vdb.Name, Accounts: o.policy.Accounts, PasswordFile: o.passwordOut}
	if o.hook {
		res.Mode, res.AppliesAt = "hook", "next refresh"
		return res, installHooksDCT(ctx, s, o, vdb, conn)
	}
	res.Mode, res.AppliesAt = "exec", "now"
	if err := execAll(ctx, s, o, vdb.Name, conn); err != nil {
		return res, err
	}
	// The accounts changed inside the VDB after its last snapshot: snapshot it, so that
	// the pods get exactly this point (dx-datapod --snapshot).
	what := fmt.Sprintf("snapshot of %q after the account changes", vdb.Name)
	if _, err := s.DoDCT(ctx, what, func() (*dct.Job, error) {
		// Someone else's job on the VDB (a busy answer) is waited for, as dx-refresh does.
		return stepkit.StartAfterAbandonedDCT(ctx, s, fmt.Sprintf("VDB %q", vdb.Name), time.Hour, []string{vdb.ID}, func() (*dct.Job, error) {
			return stepkit.StartDCT(ctx, s, vdb.ID, what, func() (*dct.Job, error) { return s.DCT.VDBs.Snapshot(ctx, vdb.ID) })
		})
	}); err != nil {
		return nil, fmt.Errorf("the accounts of %q changed, but %s failed, so pods would not get them: %w", vdb.Name, what, err)
	}
	snap, err := s.DCT.Snapshots.Latest(ctx, vdb.ID)
	if err != nil {
		return nil, fmt.Errorf("the accounts of %q changed and it was snapshotted, but the snapshot cannot be read: %w", vdb.Name, err)
	}
	res.Snapshot, res.SnapshotTime = snap.ID, snap.CreationTime
	return res, nil
}

// installHooksDCT makes the policy the VDB's configure_clone hooks named
// hookPrefix+account, keeping every other hook. Whether DCT replaces a hook
// list or merges into it is not documented, so the list sent works either
// way: the other hooks go back with their element ids, ours reuse the
// element ids of the ones they replace; where DCT merged and kept ours that
// the policy no longer has, they are turned into no-ops.
func installHooksDCT(ctx context.Context, s *cli.Session, o options, vdb *dct.VDB, conn stepkit.Connection) error {
	var current []dct.Hook
	if vdb.Hooks != nil {
		current = vdb.Hooks.ConfigureClone
	}
	var kept, old []dct.Hook
	for _, h := range current {
		if strings.HasPrefix(h.Name, hookPrefix) {
			old = append(old, h)
		} else {
			kept = append(kept, dct.Hook{Name: h.Name, Command: h.Command, Shell: h.Shell, ElementID: h.ElementID})
		}
	}
	list := kept
	for i, a := range o.policy.Accounts {
		h := dct.Hook{Name: hookPrefix + a.Name, Command: hookScript(a, vdb.Name, conn, o.hookCommand), Shell: "bash"}
		if i < len(old) {
			h.ElementID = old[i].ElementID
		}
		list = append(list, h)
	}
	what := fmt.Sprintf("installing configure_clone hooks on %q", vdb.Name)
	if err := setHooks(ctx, s, vdb.ID, what, list); err != nil {
		return err
	}
	after, err := s.DCT.VDBs.Get(ctx, vdb.ID)
	if err != nil {
		return err
	}
	if extra := leftOver(after, len(o.policy.Accounts), old[min(len(old), len(o.policy.Accounts)):]); len(extra) > 0 {
		for i := range extra {
			extra[i] = dct.Hook{Name: retiredHook, Command: "true", Shell: "bash", ElementID: extra[i].ElementID}
		}
		if err := setHooks(ctx, s, vdb.ID, fmt.Sprintf("retiring %d configure_clone hooks on %q", len(extra), vdb.Name), extra); err != nil {
			return err
		}
	}
	s.Log.Printf("installed %d configure_clone hooks on %q; every refresh applies them", len(o.policy.Accounts), vdb.Name)
	return nil
}

// leftOver returns the hooks of ours the VDB still has beyond the policy's:
// none when it has exactly one per account (DCT replaced the list);
// otherwise DCT merged the list, which keeps element ids, and the ones left
// are those at the element ids of gone, which no account reused.
func leftOver(v *dct.VDB, accounts int, gone []dct.Hook) []dct.Hook {
	if v.Hooks == nil || len(gone) == 0 {
		return nil
	}
	active := 0
	for _, h := range v.Hooks.ConfigureClone {
		if strings.HasPrefix(h.Name, hookPrefix) && h.Name != retiredHook {
			active++
		}
	}
	if active <= accounts {
		return nil
	}
	ids := map[string]bool{}
	for _, h := range gone {
		ids[h.ElementID] = true
	}
	var extra []dct.Hook
	for _, h := range v.Hooks.ConfigureClone {
		if h.ElementID != "" && ids[h.ElementID] && h.Name != retiredHook {
			extra = append(extra, h)
		}
	}
	return extra
}

// setHooks PATCHes the VDB's configure_clone hooks. After a lost answer,
// the one new job on the VDB is the PATCH's; when DCT shows none, the
// hooks are read back: holding those sent (by name and command), the PATCH
// took effect and there is no job to follow.
func setHooks(ctx context.Context, s *cli.Session, vdbID, what string, list []dct.Hook) error {
	byJob := stepkit.NewJobOn(ctx, s, vdbID)
	look := func(ctx context.Context) (*dct.Job, bool, error) {
		j, found, err := byJob(ctx)
		if err != nil || found {
			return j, found, err
		}
		v, err := s.DCT.VDBs.Get(ctx, vdbID)
		if err != nil {
			return nil, false, err
		}
		return nil, v.Hooks != nil && holds(v.Hooks.ConfigureClone, list), nil
	}
	_, err := s.DoDCT(ctx, what, func() (*dct.Job, error) {
		return stepkit.StartDCTLooking(ctx, s, what, look, func() (*dct.Job, error) {
			return s.DCT.VDBs.SetHooks(ctx, vdbID, dct.Hooks{ConfigureClone: list})
		})
	})
	return err
}

// holds reports whether hooks has each of sent's hooks, by name and
// command, in that order.
func holds(hooks, sent []dct.Hook) bool {
	i := 0
	for _, h := range hooks {
		if i < len(sent) && h.Name == sent[i].Name && h.Command == sent[i].Command {
			i++
		}
	}
	return i == len(sent)
}
