// Package datapod is dx-datapod: make a self-service data container (a
// data pod) ready, or reset, restore, enable, disable, lock or unlock it.
package datapod

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/dxsteps/dxsteps/internal/cli"
	"github.com/dxsteps/dxsteps/internal/platform"
	"github.com/dxsteps/dxsteps/internal/steps/stepkit"
)

var (
	template      = &cli.Key{Flag: "template", Type: cli.String, Usage: "data template `NAME` (exact), e.g. 'Patients'; on DCT the VDB group of the master VDB(s)"}
	container     = &cli.Key{Flag: "container", Type: cli.String, Mandatory: true, Usage: "data pod `NAME` (exact), e.g. 'prep1'; on DCT a VDB group, or a VDB"}
	create        = &cli.Key{Flag: "create", Type: cli.Bool, Only: []string{"refresh"}, Usage: "create the pod from the template when it does not exist (on DCT: provision it as a VDB from the master's snapshot)"}
	vdb           = &cli.Key{Flag: "vdb", Type: cli.String, Platforms: []string{cli.PlatformEngine}, Usage: "the VDB `NAME` a pod that create makes adopts as its data source"}
	bookmark      = &cli.Key{Flag: "bookmark", Type: cli.String, NeededBy: []string{"restore"}, Only: []string{"restore"}, Usage: "bookmark `NAME` to restore to (the pod's own, or one on its template; on DCT one DCT shows as compatible with the pod)"}
	busyWait      = &cli.Key{Flag: "busy-wait", Type: cli.Duration, Default: 10 * time.Minute, Usage: "wait at most `DURATION` for a job already running on the pod"}
	snapshot      = &cli.Key{Flag: "snapshot", Type: cli.String, Only: []string{"refresh"}, Usage: "refresh the pod from exactly this snapshot `REFERENCE` of the template's master VDB, as dx-refresh printed maskedSnapshot or dx-credentials snapshot (default: the master's newest snapshot)"}
	allowUnmasked = stepkit.AllowUnmaskedKey("refresh", "restore")
)

// Step is the dx-datapod binary.
var Step = &cli.Step{
	Name:       "dx-datapod",
	Platforms:  []string{cli.PlatformEngine, cli.PlatformDCT},
	Jenkins:    "delphixDataPod",
	Usage:      "make a data pod ready, or operate on it",
	Operations: []string{"refresh", "reset", "restore", "enable", "disable", "lock", "unlock"},
	OperationUsage: map[string]string{
		"refresh": "refresh the pod from one proven-masked snapshot of its template's master (the one given, else the newest)",
		"reset":   "return the pod to its last data operation",
		"restore": "restore the pod to a bookmark",
		"enable":  "enable the pod",
		"disable": "disable the pod",
		"lock":    "lock the pod for the user",
		"unlock":  "unlock the pod",
	},
	Description: `refresh (the default) refreshes the data pod from exactly one snapshot of its template's master
VDB: --snapshot (the maskedSnapshot dx-refresh printed, or the snapshot dx-credentials printed), else the
master's newest; with --create it first creates the pod from the template (adopting --vdb) at that
point when it does not exist. Before it acts it checks that the snapshot is proven masked (the rule
dx-refresh --require-masked applies, on the snapshot itself) and fails (exit 1, nothing changed) when it
is not; --allow-unmasked skips the check, for estates without masking. An
INCONSISTENT pod is recovered and an OFFLINE one enabled first; a job already running on
the pod is waited for (at most --busy-wait). reset returns the pod to its last data
operation; restore --bookmark NAME restores it to a bookmark; lock locks it for the user.

On DCT (--platform dct) the pod is a VDB group (or a VDB) and --template the VDB group of
its master VDB(s): refresh goes to --snapshot or the master's newest snapshot, reset to the pod's own
newest snapshot, restore to a bookmark DCT shows as compatible with the pod; a disabled pod
is enabled first. --create provisions the pod as a VDB named --container from the template's
master snapshot (--vdb is the engine's only).

--dry-run plans: it checks the point's masking proof, the bookmark's and the pod's lock as a real
run does (same exit code), notes a busy pod instead of waiting, and lists each action (recover or
enable first, create or provision, the operation) without changing anything.

Example: dx-datapod refresh --template Patients --container prep1`,
	Keys: []*cli.Key{container, template, create, vdb, bookmark, snapshot, allowUnmasked, busyWait, cli.DryRun},
	Rules: []cli.Rule{cli.Needs(create, template), cli.Needs(vdb, create),
		cli.Needs(create, vdb).On(cli.PlatformEngine).Hint("the VDB the new pod adopts as its data source")},
	Outputs: []cli.Output{{Value: Result{}}},
	Parse: func(in *cli.Input) (cli.Runner, error) {
		o := options{op: in.Op, template: in.String(template), container: in.String(container), create: in.Bool(create),
			vdb: in.String(vdb), bookmark: in.String(bookmark), snapshot: in.String(snapshot), allowUnmasked: in.Bool(allowUnmasked),
			busyWait: in.Duration(busyWait)}
		return func(ctx context.Context, s *cli.Session) (any, error) { return run(ctx, s, o) }, nil
	},
}

type options struct {
	op, template, container, vdb, bookmark, snapshot string
	create, allowUnmasked                            bool
	busyWait                                         time.Duration
}

// Result is dx-datapod's output.
type Result struct {
	Container             string `json:"container"`
	ContainerReference    string `json:"containerReference"`
	Template              string `json:"template"`
	Operation             string `json:"operation"`
	Created               bool   `json:"created"`
	State                 string `json:"state"`
	ActiveBranch          string `json:"activeBranch"`
	ActiveBranchReference string `json:"activeBranchReference"`
	DataTime              string `json:"dataTime"`
	// Snapshot is the snapshot of the template's master VDB the pod now holds (refresh and
	// create; on DCT the master's snapshot each VDB of the pod went to, comma-separated).
	Snapshot  string `json:"snapshot,omitempty"`
	Job       string `json:"job,omitempty"`
	Recovered bool   `json:"recovered,omitempty"` // a start's answer was lost; the job was found and followed
}

// pod is one data pod on one platform, as a run of dx-datapod finds,
// checks and changes it: the engine's self-service container (enginePod),
// or DCT's VDB group or VDB (dctPod). run is written once over it.
type pod interface {
	// find resolves --template and --container. missing: no pod has the
	// name and --create makes it.
	find(ctx context.Context) (missing bool, err error)
	// point picks the snapshot of the template's master a refresh or a
	// create takes the pod to, and proves it masked (unless
	// --allow-unmasked).
	point(ctx context.Context) error
	// bookmark finds --bookmark for a restore and proves it masked.
	bookmark(ctx context.Context) error
	// lock is the pod's lock as the platform shows it: who holds it, and
	// whether that is another account than this one (known: whether the
	// credentials tell; a DCT key that is not "<account>.<secret>" does
	// not).
	lock(ctx context.Context) (holder string, other, known bool, err error)
	// label names the pod for people; targets are what its jobs run on.
	label() string
	targets() []string
	// ready makes the pod fit for the operation first: the engine recovers
	// an INCONSISTENT pod and enables an OFFLINE one, DCT enables a
	// disabled one.
	ready(ctx context.Context) error
	// create makes the missing pod at the point; operate does the operation.
	create(ctx context.Context) (platform.Job, error)
	operate(ctx context.Context) (platform.Job, error)
	// describe is the result once done; in a plan, what is known.
	describe(ctx context.Context, job platform.Job, created bool) (*Result, error)
}

func run(ctx context.Context, s *cli.Session, o options) (any, error) {
	p := platform.Pick[func(*cli.Session, options) pod](s, newEnginePod, newDCTPod)(s, o)
	missing, err := p.find(ctx)
	if err != nil {
		return nil, err
	}
	if o.op == "refresh" {
		if err := p.point(ctx); err != nil {
			return nil, err
		}
	}
	if o.op == "restore" {
		if err := p.bookmark(ctx); err != nil {
			return nil, err
		}
	}
	var job platform.Job
	if missing {
		if job, err = p.create(ctx); err != nil {
			return nil, err
		}
		return p.describe(ctx, job, true)
	}
	if s.DryRun() {
		if err := checkLock(ctx, s, o, p); err != nil {
			return nil, err
		}
	}
	if err := platform.Of(s).WaitIdle(ctx, p.label(), o.busyWait, p.targets()...); err != nil {
		return nil, err
	}
	if err := p.ready(ctx); err != nil {
		return nil, err
	}
	if job, err = p.operate(ctx); err != nil {
		return nil, err
	}
	return p.describe(ctx, job, false)
}

// checkLock is, in a plan, what a real run learns from the refused start:
// a pod another account locked is refused (exit 3), except an unlock,
// which an admin may do.
func checkLock(ctx context.Context, s *cli.Session, o options, p pod) error {
	holder, other, known, err := p.lock(ctx)
	switch {
	case err != nil:
		return err
	case holder == "":
		return nil
	case !known:
		s.Log.Printf("plan: %s is locked by account %q; a real run by any other account is refused (exit 3), and the API key "+
			"does not say which account it is, so the plan goes on", p.label(), holder)
		return nil
	case !other:
		return nil
	case o.op == "unlock":
		s.Log.Printf("plan: %s is locked by account %q; a real run unlocks it only for an admin", p.label(), holder)
		return nil
	}
	return stepkit.LockedError{Pod: o.container, By: holder, Holder: "account", Err: errors.New("a real run is refused")}
}

// first says that the pod is made ready first: "enabling it first", or in
// a plan "a real run enables it first".
func first(s *cli.Session, verb string) string {
	if s.DryRun() {
		return "a real run " + verb + "s it first"
	}
	return strings.TrimSuffix(verb, "e") + "ing it first"
}

// action is one change to the pod, for the plan and the log.
func action(verb, name, ref string, params map[string]string) cli.Action {
	return cli.Action{Action: verb, Object: "data pod", Name: name, Reference: ref, Parameters: params}
}
