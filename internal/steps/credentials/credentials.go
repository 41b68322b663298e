// Package credentials is dx-credentials: the Users/Passwords stage. It
// resets, locks or drops the production accounts on a VDB, as a policy file
// says, through the user's own tool or a configure-clone hook.
package credentials

import (
	"context"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/dxsteps/dxsteps/internal/cli"
	"github.com/dxsteps/dxsteps/internal/platform"
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
With --dry-run it checks the VDB, the policy and the password file as a real run does, but runs no
tool, makes no password and changes nothing: the plan lists each run of your tool (by its program
name only) and each password it would keep, then the snapshot; or the hook install, naming the accounts.

Example: dx-credentials --vdb "Patients Masked Master" --policy accounts.yaml --exec ./reset-account.sh --password-command ./vault-store.sh`,
	Platforms: []string{cli.PlatformEngine, cli.PlatformDCT},
	Keys:      []*cli.Key{vdb, policy, execKey, installHook, hookCommand, passwordOutput, passwordCmd, cli.DryRun},
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
	v, err := platform.Pick(s, findOnEngine, findOnDCT)(ctx, s, o.vdb)
	if err != nil {
		return nil, err
	}
	res := Result{VDB: v.name, Accounts: o.policy.Accounts, PasswordFile: o.passwordOut}
	if o.hook {
		res.Mode, res.AppliesAt = "hook", "next refresh"
		return res, v.installHooks(ctx, o, v)
	}
	res.Mode, res.AppliesAt = "exec", "now"
	jobs := platform.Of(s)
	label := fmt.Sprintf("VDB %q", v.name)
	// The accounts change inside the database, which a job on the VDB (a refresh, a rewind) may be replacing.
	if err := jobs.WaitIdle(ctx, label, busyWait, v.ref); err != nil {
		return nil, err
	}
	if err := execAll(ctx, s, o, v); err != nil {
		return res, err
	}
	// The accounts changed inside the VDB after its last snapshot: snapshot it, so that
	// the pods get exactly this point (dx-datapod --snapshot).
	what := fmt.Sprintf("snapshot of %q after the account changes", v.name)
	snap := platform.JobSpec{Action: cli.Action{Action: "snapshot", Object: "VDB", Name: v.name, Reference: v.ref},
		What: what, Label: label, Targets: []string{v.ref},
		// Someone else's job started on the VDB since (a busy answer) is waited for, as dx-refresh does.
		BusyWait: busyWait}
	v.startSnapshot(ctx, &snap)
	job, err := jobs.Run(ctx, snap)
	if err != nil {
		return nil, fmt.Errorf("the accounts of %q changed, but %s failed, so pods would not get them: %w", v.name, what, err)
	}
	if job.Planned {
		return res, nil // no snapshot to name yet
	}
	if res.Snapshot, res.SnapshotTime, err = v.latestSnapshot(ctx); err != nil {
		return nil, fmt.Errorf("the accounts of %q changed and it was snapshotted, but the snapshot cannot be read: %w", v.name, err)
	}
	return res, nil
}

// busyWait is how long the step waits for someone else's job on the VDB.
const busyWait = time.Hour

// theVDB is the VDB whose accounts change, as its platform shows it.
type theVDB struct {
	name, ref string // ref: the engine's reference, or DCT's id
	conn      stepkit.Connection
	onPlatform
}

// onPlatform is what the platforms do differently with the VDB: how its
// snapshot starts and is read back, and how its hooks are held.
type onPlatform interface {
	// startSnapshot sets j's start of the VDB's snapshot.
	startSnapshot(ctx context.Context, j *platform.JobSpec)
	// latestSnapshot is the VDB's newest snapshot: its reference or id,
	// and when it was taken.
	latestSnapshot(ctx context.Context) (ref, created string, err error)
	// installHooks makes the policy the VDB's configure-clone hooks named
	// hookPrefix+account, keeping every other hook (in a plan: plans it).
	installHooks(ctx context.Context, o options, v theVDB) error
}

// execAll runs the user's tool once per account, with the account's new
// password made just before (in a plan: plans each run, and makes and
// keeps no password).
func execAll(ctx context.Context, s *cli.Session, o options, v theVDB) error {
	out := newPasswordSink(o, v.name)
	var done []string
	for _, a := range o.policy.Accounts {
		run := cli.Action{Action: "run", Object: "account tool", Name: program(o.exec),
			Parameters: map[string]string{"account": a.Name, "action": a.Action}}
		if a.Action == "reset" {
			run.Parameters["password"] = a.Password // generate or env:NAME, never the password
		}
		var pw string
		err := s.Act(run, func() error {
			env := append(v.conn.Env(), "DX_ACCOUNT="+a.Name, "DX_ACTION="+a.Action, "DX_VDB="+v.name)
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
			return err
		})
		if err != nil {
			return fmt.Errorf("account %q (%s) on %q: %w; done before it: [%s]", a.Name, a.Action, v.name, err, strings.Join(done, ", "))
		}
		if a.Password == "generate" {
			if err := out.add(ctx, s, a.Name, pw); err != nil {
				return fmt.Errorf("account %q on %q: its password is reset but not kept: %w", a.Name, v.name, err)
			}
		}
		done = append(done, a.Name)
	}
	return nil
}

// hookAction is the install of the policy's hooks on v, as a plan lists
// it: it names the accounts and the hooks' program, never a password.
func hookAction(o options, v theVDB, others int) cli.Action {
	names := make([]string, len(o.policy.Accounts))
	for i, a := range o.policy.Accounts {
		names[i] = a.Name
	}
	return cli.Action{Action: "install", Object: "configure-clone hooks of VDB", Name: v.name, Reference: v.ref,
		Parameters: map[string]string{"accounts": strings.Join(names, ", "), "command": program(o.hookCommand),
			"keeps": fmt.Sprintf("%d other hooks", others)}}
}

// program is the program a shell command runs, for a plan to name: the
// first word that is not a variable assignment, without its directory.
// Nothing else of the command is named: its arguments and assignments may
// hold a secret. A word that quotes or escapes (where the shell's words
// are not the fields seen here) names no program.
func program(command string) string {
	for _, w := range strings.Fields(command) {
		if strings.ContainsAny(w, "'\"\\`$") {
			break
		}
		if assignment.MatchString(w) {
			continue
		}
		if plainPath.MatchString(w) {
			if name := filepath.Base(w); name != "." && name != "/" {
				return name
			}
		}
		break
	}
	return "a shell command"
}

var (
	assignment = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*=`)
	plainPath  = regexp.MustCompile(`^[A-Za-z0-9_./+-]+$`)
)

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
