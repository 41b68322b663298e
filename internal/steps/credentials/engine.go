package credentials

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/dxsteps/dxsteps/delphix"
	"github.com/dxsteps/dxsteps/internal/cli"
	"github.com/dxsteps/dxsteps/internal/platform"
	"github.com/dxsteps/dxsteps/internal/steps/stepkit"
)

// engineVDB is the VDB on the engine API.
type engineVDB struct {
	s  *cli.Session
	db *delphix.Database
}

// findOnEngine finds the VDB named name, never a dSource, with the
// connection details the engine shows of it.
func findOnEngine(ctx context.Context, s *cli.Session, name string) (theVDB, error) {
	db, err := s.Client.Databases.FindByName(ctx, name)
	if err != nil {
		return theVDB{}, err
	}
	if !db.IsVDB() {
		return theVDB{}, cli.Usagef("%q is a dSource: dx-credentials changes accounts on VDBs only, never on production", name)
	}
	conn, ok, err := stepkit.ConnectionOf(ctx, s.Client, "", db.Reference)
	if err != nil {
		return theVDB{}, err
	}
	if !ok {
		s.Log.Printf("warning: the engine shows no connection details for %q; DX_DB_* are empty", name)
	}
	return theVDB{name: db.Name, ref: db.Reference, conn: conn, onPlatform: engineVDB{s, db}}, nil
}

func (e engineVDB) startSnapshot(ctx context.Context, j *platform.JobSpec) {
	j.Engine = func() (delphix.Operation, error) { return e.s.Client.Databases.Sync(ctx, e.db) }
}

func (e engineVDB) latestSnapshot(ctx context.Context) (string, string, error) {
	snaps, err := e.s.Client.Snapshots.List(ctx, e.db.Reference)
	if err != nil {
		return "", "", err
	}
	if len(snaps) == 0 {
		return "", "", errors.New("the engine lists no snapshot of it")
	}
	return snaps[0].Reference, snaps[0].CreationTime, nil
}

// installHooks sets the VDB's virtual source's configure-clone hooks: the
// ones dxsteps did not install, then one per account, a reset's password
// as engine credentials (API 1.11+). The passwords are made only as the
// hooks are sent, so a plan makes none.
func (e engineVDB) installHooks(ctx context.Context, o options, v theVDB) error {
	s := e.s
	ver := s.Client.APIVersion()
	for _, a := range o.policy.Accounts {
		if a.Action == "reset" && !ver.AtLeast(1, 11, 0) {
			return cli.Usagef("%s hands passwords to hooks as engine credentials, which needs API 1.11 (Delphix 6.0); this session speaks %s: use %s",
				o.name(installHook), ver, o.name(execKey))
		}
	}
	sources, err := s.Client.Sources.ListForDatabase(ctx, e.db.Reference)
	if err != nil {
		return err
	}
	var src *delphix.Source
	for i := range sources {
		if sources[i].Virtual {
			src = &sources[i]
		}
	}
	if src == nil {
		return fmt.Errorf("VDB %q has no virtual source to hold hooks", v.name)
	}
	kept, err := keptHooks(src)
	if err != nil {
		return err
	}
	var hooks []json.RawMessage      // what was sent: kept, then ours
	generated := map[string]string{} // account: password, kept once the hooks may be in
	job, err := platform.Of(s).Run(ctx, platform.JobSpec{Action: hookAction(o, v, len(kept)),
		What: fmt.Sprintf("installing configure-clone hooks on %q", v.name),
		Engine: func() (delphix.Operation, error) {
			ours, err := e.hooks(o, v, generated)
			if err != nil {
				return delphix.Operation{}, err
			}
			hooks = append(slices.Clone(kept), ours...)
			return s.Client.Sources.SetHooks(ctx, src, "configureClone", hooks)
		}})
	var unsure *delphix.MayHaveActedError
	if err != nil && !errors.As(err, &unsure) {
		return err // the engine refused the hooks, or provably never got them: no password is on it
	}
	// The hooks are in, or may be: every generated password is handed
	// over, so none is on the engine that nobody has.
	out := newPasswordSink(o, v.name)
	for _, a := range o.policy.Accounts {
		if a.Password != "generate" {
			continue
		}
		if aerr := out.add(ctx, s, a.Name, generated[a.Name]); aerr != nil {
			aerr = fmt.Errorf("account %q on %q: its password could not be kept: %w", a.Name, v.name, aerr)
			if rerr := removeAgain(ctx, s, v, src, hooks, kept); rerr != nil {
				return fmt.Errorf("%w; removing the hooks again failed too, so the engine may hold a password nobody has: run the step again: %v", aerr, rerr)
			}
			return fmt.Errorf("%w; the hooks were removed again, so the engine holds no password nobody has", aerr)
		}
	}
	if err != nil && len(generated) > 0 {
		return fmt.Errorf("%w (the %d generated passwords were handed over in case the hooks are in: run the step again, which replaces them)", err, len(generated))
	}
	if err != nil || job.Planned {
		return err
	}
	s.Log.Printf("installed %d configure-clone hooks on %q; every refresh applies them", len(o.policy.Accounts), v.name)
	return nil
}

// hooks are the policy's hooks for one install, each account's new
// password made now and, when generated, put in generated.
func (e engineVDB) hooks(o options, v theVDB, generated map[string]string) ([]json.RawMessage, error) {
	// The marker makes this install's hooks differ from any before it, so
	// that after a lost answer the client can tell whether they are in.
	marker, err := installMarker()
	if err != nil {
		return nil, err
	}
	var ours []json.RawMessage
	for _, a := range o.policy.Accounts {
		h := delphix.HookOperation{Type: "RunBashOnSourceOperation", Name: hookPrefix + a.Name,
			Command: marker + hookScript(a, v.name, v.conn, o.hookCommand)}
		if a.Action == "reset" {
			pw, err := newPassword(a, o.environ)
			if err != nil {
				return nil, err
			}
			h.CredentialsEnvVarsList = []delphix.CredentialsEnvVars{{Type: "CredentialsEnvVars", BaseVarName: "DX_NEW",
				Credentials: delphix.PasswordCredential{Type: "PasswordCredential", Password: pw}}}
			if a.Password == "generate" {
				generated[a.Name] = pw
			}
		}
		raw, err := json.Marshal(h)
		if err != nil {
			return nil, err
		}
		ours = append(ours, raw)
	}
	return ours, nil
}

// removeAgain puts back the hooks kept, without this install's, after a
// generated password could not be handed over.
func removeAgain(ctx context.Context, s *cli.Session, v theVDB, src *delphix.Source, installed, kept []json.RawMessage) error {
	now := *src
	now.Operations = maps.Clone(src.Operations)
	raw, err := json.Marshal(installed)
	if err != nil {
		return err
	}
	if now.Operations == nil {
		now.Operations = map[string]json.RawMessage{}
	}
	now.Operations["configureClone"] = raw
	_, err = platform.Of(s).Run(ctx, platform.JobSpec{
		Action: cli.Action{Action: "remove", Object: "configure-clone hooks of VDB", Name: v.name, Reference: v.ref},
		What:   "removing the configure-clone hooks just installed",
		Engine: func() (delphix.Operation, error) { return s.Client.Sources.SetHooks(ctx, &now, "configureClone", kept) }})
	return err
}

// installMarker is a shell comment naming one install, the first line of
// its hooks' commands.
func installMarker() (string, error) {
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return "# dxsteps install " + hex.EncodeToString(b) + "\n", nil
}

// keptHooks returns the VDB's configure-clone hooks that dxsteps did not
// install, so a rerun replaces ours and leaves the others alone.
func keptHooks(src *delphix.Source) ([]json.RawMessage, error) {
	var current []json.RawMessage
	if raw, ok := src.Operations["configureClone"]; ok && string(raw) != "null" {
		if err := json.Unmarshal(raw, &current); err != nil {
			return nil, fmt.Errorf("read the configure-clone hooks: %w", err)
		}
	}
	kept := []json.RawMessage{}
	for _, h := range current {
		var named struct{ Name string }
		_ = json.Unmarshal(h, &named)
		if !strings.HasPrefix(named.Name, hookPrefix) {
			kept = append(kept, h)
		}
	}
	return kept, nil
}
