package credentials

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/dxsteps/dxsteps/dct"
	"github.com/dxsteps/dxsteps/internal/cli"
	"github.com/dxsteps/dxsteps/internal/platform"
	"github.com/dxsteps/dxsteps/internal/steps/stepkit"
)

// retiredHook names a hook slot of ours that no account uses any more
// (where DCT merges hook lists and so cannot remove one); it does nothing.
const retiredHook = hookPrefix + "(no longer in the policy)"

// dctVDB is the VDB on Data Control Tower.
type dctVDB struct {
	s *cli.Session
	v *dct.VDB
}

// findOnDCT finds the VDB named name, never a dSource, with the connection
// details DCT shows of it.
func findOnDCT(ctx context.Context, s *cli.Session, name string) (theVDB, error) {
	vdb, err := platform.Of(s).FindVDB(ctx, name, cli.Usagef("%q is a dSource: dx-credentials changes accounts on VDBs only, never on production", name))
	if err != nil {
		return theVDB{}, err
	}
	v := vdb.DCT
	conn := stepkit.DCTConnection(v)
	if conn == (stepkit.Connection{}) {
		s.Log.Printf("warning: DCT shows no connection details for %q; DX_DB_* are empty", name)
	}
	return theVDB{name: v.Name, ref: v.ID, conn: conn, onPlatform: dctVDB{s, v}}, nil
}

func (d dctVDB) startSnapshot(ctx context.Context, j *platform.JobSpec) {
	j.DCT = func() (*dct.Job, error) { return d.s.DCT.VDBs.Snapshot(ctx, d.v.ID) }
}

func (d dctVDB) latestSnapshot(ctx context.Context) (string, string, error) {
	snap, err := d.s.DCT.Snapshots.Latest(ctx, d.v.ID)
	if err != nil {
		return "", "", err
	}
	return snap.ID, snap.CreationTime, nil
}

// installHooks makes the policy the VDB's configure_clone hooks named
// hookPrefix+account, keeping every other hook, with PATCH /vdbs/{id}.
// Whether DCT replaces a hook list or merges into it is not documented, so
// the list sent works either way: the other hooks go back with their
// element ids, ours reuse the element ids of the ones they replace; where
// DCT merged and kept ours that the policy no longer has, they are turned
// into no-ops (which only the hooks read back after the PATCH can tell, so
// a plan says it may happen).
func (d dctVDB) installHooks(ctx context.Context, o options, v theVDB) error {
	s, vdb := d.s, d.v
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
		h := dct.Hook{Name: hookPrefix + a.Name, Command: hookScript(a, v.name, v.conn, o.hookCommand), Shell: "bash"}
		if i < len(old) {
			h.ElementID = old[i].ElementID
		}
		list = append(list, h)
	}
	what := fmt.Sprintf("installing configure_clone hooks on %q", vdb.Name)
	job, err := setHooks(ctx, s, hookAction(o, v, len(kept)), vdb.ID, what, list)
	if err != nil {
		return err
	}
	if job.Planned { // no hooks to read back
		if n := len(old) - len(o.policy.Accounts); n > 0 {
			s.Log.Printf("plan: where DCT merges hook lists, a real run then turns the hooks of ours that no account uses any more (%d) into no-ops", n)
		}
		return nil
	}
	after, err := s.DCT.VDBs.Get(ctx, vdb.ID)
	if err != nil {
		return err
	}
	if extra := leftOver(after, len(o.policy.Accounts), old[min(len(old), len(o.policy.Accounts)):]); len(extra) > 0 {
		for i := range extra {
			extra[i] = dct.Hook{Name: retiredHook, Command: "true", Shell: "bash", ElementID: extra[i].ElementID}
		}
		retire := cli.Action{Action: "retire", Object: "configure-clone hooks of VDB", Name: vdb.Name, Reference: vdb.ID,
			Parameters: map[string]string{"hooks": strconv.Itoa(len(extra))}}
		if _, err := setHooks(ctx, s, retire, vdb.ID, fmt.Sprintf("retiring %d configure_clone hooks on %q", len(extra), vdb.Name), extra); err != nil {
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

// setHooks PATCHes the VDB's configure_clone hooks (a, in a plan). After a
// lost answer, the one new job on the VDB is the PATCH's; when DCT shows
// none, the hooks are read back: holding those sent (by name and command),
// the PATCH took effect and there is no job to follow.
func setHooks(ctx context.Context, s *cli.Session, a cli.Action, vdbID, what string, list []dct.Hook) (platform.Job, error) {
	look := func(ctx context.Context) dct.Look {
		byJob := s.DCT.Jobs.NewOn(ctx, vdbID)
		return func(ctx context.Context) (*dct.Job, bool, error) {
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
	}
	return platform.Of(s).Run(ctx, platform.JobSpec{Action: a, What: what, Look: look,
		DCT: func() (*dct.Job, error) { return s.DCT.VDBs.SetHooks(ctx, vdbID, dct.Hooks{ConfigureClone: list}) }})
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
