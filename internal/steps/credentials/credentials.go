// Package credentials is dx-credentials: the Users/Passwords stage. It
// resets, locks or drops the production accounts on a VDB, as a policy file
// says, through the user's own tool or a configure-clone hook.
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
	"time"

	"github.com/dxsteps/dxsteps/delphix"
	"github.com/dxsteps/dxsteps/internal/cli"
	"github.com/dxsteps/dxsteps/internal/steps/stepkit"
)

const hookPrefix = "dxsteps-credentials: "

var (
	vdb            = &cli.Key{Flag: "vdb", Type: cli.String, Mandatory: true, Usage: "VDB `NAME` (exact; never a dSource)"}
	policy         = &cli.Key{Flag: "policy", Type: cli.Path, Mandatory: true, Usage: "accounts policy YAML `FILE`"}
	execKey        = &cli.Key{Flag: "exec", Type: cli.String, Usage: "`COMMAND` run with sh -c once per account, now"}
	installHook    = &cli.Key{Flag: "install-hook", Type: cli.Bool, Usage: "install the policy as configure-clone hooks, applied on every refresh, instead"}
	hookCommand    = &cli.Key{Flag: "hook-command", Type: cli.String, Usage: "`COMMAND` the hooks run on the VDB's host"}
	passwordOutput = &cli.Key{Flag: "password-output", Type: cli.Path, Usage: "write generated passwords to `FILE` (mode 0600), never inside the Jenkins workspace (refused there: use the password command)"}
	passwordCmd    = &cli.Key{Flag: "password-command", Type: cli.String, Usage: "`COMMAND` run with sh -c once per generated password, which it gets in DX_NEW_PASSWORD (store it in your vault)"}
)

// Step is the dx-credentials binary.
var Step = &cli.Step{
	Name:    "dx-credentials",
	Jenkins: "delphixCredentials",
	Usage:   "reset, lock or drop database accounts on a VDB, as a policy file says",
	Description: `Applies an accounts policy to a VDB. With --exec, runs your tool once per account now, with
DX_ACCOUNT, DX_ACTION, DX_NEW_PASSWORD, DX_VDB and each connection detail the engine gives
(DX_DB_PLATFORM, HOST, PORT, NAME, USER, JDBC, INSTANCE, PATH, VERSION; one it does not give is
unset) in its environment (never on a command line), then snapshots the VDB and prints that
snapshot (snapshot, snapshotTime): the point dx-datapod --snapshot takes to the pods. With --install-hook, installs the same as configure-clone hooks on
the VDB so every refresh repeats it (passwords travel as engine credentials, API 1.11+).
On DCT (--platform dct) DX_DB_* come from what DCT shows of the VDB (no DX_DB_USER), and the hooks
are set with PATCH /vdbs/{id}; they cannot carry a password there, so reset accounts need --exec.
Generated passwords go only where you say: --password-command runs your command once per
generated password, with DX_ACCOUNT, DX_VDB and DX_NEW_PASSWORD in its environment, to store it
in your vault; --password-output writes them to a file (mode 0600) instead. In Jenkins (WORKSPACE
set) a --password-output inside the workspace, by a relative path, an absolute one or a symlink,
is refused (exit 2): anyone with Workspace permission could read it. Outside Jenkins the file
goes where you say.

Example: dx-credentials --vdb "Patients Masked Master" --policy accounts.yaml --exec ./reset-account.sh --password-command ./vault-store.sh`,
	Platforms: []string{cli.PlatformEngine, cli.PlatformDCT},
	Keys:      []*cli.Key{vdb, policy, execKey, installHook, hookCommand, passwordOutput, passwordCmd},
	Rules:     []cli.Rule{cli.ExactlyOne(execKey, installHook), cli.Needs(installHook, hookCommand), cli.Needs(hookCommand, installHook)},
	Outputs:   []cli.Output{{Value: Result{}}},
	Parse:     parse,
}

type options struct {
	vdb, exec, hookCommand, passwordOut string
	passwordCmd                         string
	hook                                bool
	policy                              *Policy
	environ                             func(string) string
	name                                func(*cli.Key) string // how errors name a key
}

func parse(in *cli.Input) (cli.Runner, error) {
	o := options{vdb: in.String(vdb), exec: in.String(execKey), hook: in.Bool(installHook),
		hookCommand: in.String(hookCommand), passwordOut: in.String(passwordOutput), passwordCmd: in.String(passwordCmd), environ: in.Getenv, name: in.Name}
	if err := checkPasswordOutput(in, o.passwordOut); err != nil {
		return nil, err
	}
	p, err := loadPolicy(in.String(policy), in.Name(policy), in.Getenv)
	if err != nil {
		return nil, err
	}
	o.policy = p
	for _, a := range p.Accounts {
		if a.Action == "reset" && o.hook && in.Platform == cli.PlatformDCT {
			return nil, cli.Usagef("account %q resets a password, which %s cannot do on DCT: DCT's hooks carry no credentials, and a password in a hook's command "+
				"is readable by whoever can read the VDB; use %s for accounts that reset", a.Name, in.Name(installHook), in.Name(execKey))
		}
		if a.Password == "generate" && o.passwordOut == "" && o.passwordCmd == "" {
			return nil, cli.Usagef("account %q gets a generated password: give %s COMMAND (stores it in your vault) or %s FILE to keep it",
				a.Name, in.Name(passwordCmd), in.Name(passwordOutput))
		}
	}
	return func(ctx context.Context, s *cli.Session) (any, error) { return run(ctx, s, o) }, nil
}

// Result is dx-credentials' output; it never holds a secret.
type Result struct {
	VDB          string    `json:"vdb"`
	Mode         string    `json:"mode"` // exec or hook
	Accounts     []Account `json:"accounts"`
	PasswordFile string    `json:"passwordFile,omitempty"`
	AppliesAt    string    `json:"appliesAt"` // now, or next refresh
	// Snapshot (with --exec) is the VDB's snapshot taken after the accounts changed: the
	// master's data point the data pods are to get (dx-datapod --snapshot).
	Snapshot     string `json:"snapshot,omitempty"`
	SnapshotTime string `json:"snapshotTime,omitempty"`
}

func run(ctx context.Context, s *cli.Session, o options) (any, error) {
	if s.DCT != nil {
		return runDCT(ctx, s, o)
	}
	vdb, err := s.Client.Databases.FindByName(ctx, o.vdb)
	if err != nil {
		return nil, err
	}
	if !vdb.IsVDB() {
		return nil, cli.Usagef("%q is a dSource: dx-credentials changes accounts on VDBs only, never on production", o.vdb)
	}
	conn, ok, err := stepkit.ConnectionOf(ctx, s.Client, "", vdb.Reference)
	if err != nil {
		return nil, err
	}
	if !ok {
		s.Log.Printf("warning: the engine shows no connection details for %q; DX_DB_* are empty", o.vdb)
	}
	res := Result{VDB: vdb.Name, Accounts: o.policy.Accounts, PasswordFile: o.passwordOut}
	if o.hook {
		res.Mode, res.AppliesAt = "hook", "next refresh"
		return res, installHooks(ctx, s, o, vdb, conn)
	}
	res.Mode, res.AppliesAt = "exec", "now"
	if err := execAll(ctx, s, o, vdb.Name, conn); err != nil {
		return res, err
	}
	// The accounts changed inside the VDB after its last snapshot: snapshot it, so that
	// the pods get exactly this point (dx-datapod --snapshot).
	what := fmt.Sprintf("snapshot of %q after the account changes", vdb.Name)
	// Someone else's job on the VDB (the engine refuses the sync as busy) is waited for, as the refresh does.
	sync := stepkit.RetryBusy(ctx, s, vdb.Reference, fmt.Sprintf("VDB %q", vdb.Name), time.Hour, func() (delphix.Operation, error) {
		return s.Client.Databases.Sync(ctx, vdb)
	})
	if _, err := s.Do(ctx, what, sync); err != nil {
		return nil, fmt.Errorf("the accounts of %q changed, but %s failed, so pods would not get them: %w", vdb.Name, what, err)
	}
	snaps, err := s.Client.Snapshots.List(ctx, vdb.Reference)
	if err != nil || len(snaps) == 0 {
		return nil, fmt.Errorf("the accounts of %q changed and it was snapshotted, but the snapshot cannot be read: %v", vdb.Name, err)
	}
	res.Snapshot, res.SnapshotTime = snaps[0].Reference, snaps[0].CreationTime
	return res, nil
}

func execAll(ctx context.Context, s *cli.Session, o options, vdbName string, conn stepkit.Connection) error {
	out := newPasswordSink(o, vdbName)
	var done []string
	for _, a := range o.policy.Accounts {
		env := append(conn.Env(), "DX_ACCOUNT="+a.Name, "DX_ACTION="+a.Action, "DX_VDB="+vdbName)
		var pw string
		if a.Action == "reset" {
			var err error
			if pw, err = newPassword(a, o.environ); err != nil {
				return err
			}
			env = append(env, "DX_NEW_PASSWORD="+pw)
		}
		s.Log.Printf("account %s: %s", a.Name, a.Action)
		code, err := stepkit.RunTool(ctx, s.Log, a.Name, o.exec, stepkit.ToolEnv(s, env...))
		if err == nil && code != 0 {
			err = fmt.Errorf("the tool (%s) exited %d", o.name(execKey), code)
		}
		if err != nil {
			return fmt.Errorf("account %q (%s) on %q: %w; done before it: [%s]", a.Name, a.Action, vdbName, err, strings.Join(done, ", "))
		}
		if a.Password == "generate" {
			if err := out.add(ctx, s, a.Name, pw); err != nil {
				return fmt.Errorf("account %q on %q: its password is reset but not kept: %w", a.Name, vdbName, err)
			}
		}
		done = append(done, a.Name)
	}
	return nil
}

func installHooks(ctx context.Context, s *cli.Session, o options, vdb *delphix.Database, conn stepkit.Connection) error {
	v := s.Client.APIVersion()
	for _, a := range o.policy.Accounts {
		if a.Action == "reset" && !v.AtLeast(1, 11, 0) {
			return cli.Usagef("%s hands passwords to hooks as engine credentials, which needs API 1.11 (Delphix 6.0); this session speaks %s: use %s", o.name(installHook), v, o.name(execKey))
		}
	}
	sources, err := s.Client.Sources.ListForDatabase(ctx, vdb.Reference)
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
		return fmt.Errorf("VDB %q has no virtual source to hold hooks", vdb.Name)
	}
	hooks, err := keptHooks(src)
	if err != nil {
		return err
	}
	kept := slices.Clone(hooks)
	// The marker makes this install's hooks differ from any before it, so
	// that after a lost answer the client can tell whether they are in.
	marker, err := installMarker()
	if err != nil {
		return err
	}
	var generated [][2]string // account, password: kept once the hooks may be in
	for _, a := range o.policy.Accounts {
		h := delphix.HookOperation{Type: "RunBashOnSourceOperation", Name: hookPrefix + a.Name,
			Command: marker + hookScript(a, vdb.Name, conn, o.hookCommand)}
		if a.Action == "reset" {
			pw, err := newPassword(a, o.environ)
			if err != nil {
				return err
			}
			h.CredentialsEnvVarsList = []delphix.CredentialsEnvVars{{Type: "CredentialsEnvVars", BaseVarName: "DX_NEW",
				Credentials: delphix.PasswordCredential{Type: "PasswordCredential", Password: pw}}}
			if a.Password == "generate" {
				generated = append(generated, [2]string{a.Name, pw})
			}
		}
		raw, err := json.Marshal(h)
		if err != nil {
			return err
		}
		hooks = append(hooks, raw)
	}
	_, err = s.Do(ctx, fmt.Sprintf("installing configure-clone hooks on %q", vdb.Name), func() (delphix.Operation, error) {
		return s.Client.Sources.SetHooks(ctx, src, "configureClone", hooks)
	})
	var unsure *delphix.MayHaveActedError
	if err != nil && !errors.As(err, &unsure) {
		return err // the engine refused the hooks, or provably never got them: no password is on it
	}
	// The hooks are in, or may be: every generated password is handed
	// over, so none is on the engine that nobody has.
	out := newPasswordSink(o, vdb.Name)
	for _, g := range generated {
		if aerr := out.add(ctx, s, g[0], g[1]); aerr != nil {
			aerr = fmt.Errorf("account %q on %q: its password could not be kept: %w", g[0], vdb.Name, aerr)
			if rerr := removeAgain(ctx, s, src, hooks, kept); rerr != nil {
				return fmt.Errorf("%w; removing the hooks again failed too, so the engine may hold a password nobody has: run the step again: %v", aerr, rerr)
			}
			return fmt.Errorf("%w; the hooks were removed again, so the engine holds no password nobody has", aerr)
		}
	}
	if err != nil && len(generated) > 0 {
		return fmt.Errorf("%w (the %d generated passwords were handed over in case the hooks are in: run the step again, which replaces them)", err, len(generated))
	}
	if err != nil {
		return err
	}
	s.Log.Printf("installed %d configure-clone hooks on %q; every refresh applies them", len(o.policy.Accounts), vdb.Name)
	return nil
}

// removeAgain puts back the hooks kept, without this install's, after a
// generated password could not be handed over.
func removeAgain(ctx context.Context, s *cli.Session, src *delphix.Source, installed, kept []json.RawMessage) error {
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
	_, err = s.Do(ctx, "removing the configure-clone hooks just installed", func() (delphix.Operation, error) {
		return s.Client.Sources.SetHooks(ctx, &now, "configureClone", kept)
	})
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

// hookScript is the hook's shell text: the account's settings exported,
// then the user's tool. It holds no secret.
func hookScript(a Account, vdb string, conn stepkit.Connection, tool string) string {
	vars := append(conn.Env(), "DX_ACCOUNT="+a.Name, "DX_ACTION="+a.Action, "DX_VDB="+vdb)
	var b strings.Builder
	b.WriteString("export")
	for _, kv := range vars {
		k, v, _ := strings.Cut(kv, "=")
		fmt.Fprintf(&b, " %s=%s", k, shellQuote(v))
	}
	b.WriteString("\n")
	b.WriteString(tool)
	return b.String()
}

func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
