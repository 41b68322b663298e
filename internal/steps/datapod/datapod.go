// Package datapod is dx-datapod: make a self-service data container (a
// data pod) ready, or reset, restore, enable, disable, lock or unlock it.
package datapod

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/dxsteps/dxsteps/delphix"
	"github.com/dxsteps/dxsteps/internal/cli"
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

Example: dx-datapod refresh --template Patients --container prep1`,
	Keys: []*cli.Key{container, template, create, vdb, bookmark, snapshot, allowUnmasked, busyWait},
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

func run(ctx context.Context, s *cli.Session, o options) (any, error) {
	if s.DCT != nil {
		return runDCT(ctx, s, o)
	}
	c := s.Client
	var tmpl *delphix.Template
	tmplRef := ""
	if o.template != "" {
		var err error
		if tmpl, err = c.Templates.FindByName(ctx, o.template); err != nil {
			return nil, err
		}
		tmplRef = tmpl.Reference
	}
	pod, err := c.Containers.FindByName(ctx, tmplRef, o.container)
	var nameErr *delphix.NameError
	missing := o.create && errors.As(err, &nameErr) && len(nameErr.Matches) == 0
	if err != nil && !missing {
		return nil, err
	}
	var point *masterPoint
	if o.op == "refresh" {
		if tmpl == nil {
			if tmpl, err = c.Templates.Get(ctx, pod.Template); err != nil {
				return nil, err
			}
		}
		if point, err = pickPoint(ctx, s, o, tmpl); err != nil {
			return nil, err
		}
	}
	var bm *delphix.Bookmark
	if o.op == "restore" {
		if bm, err = stepkit.FindBookmark(ctx, c, pod, o.bookmark); err != nil {
			return nil, err
		}
		if err := proveBookmark(ctx, s, o, pod, bm); err != nil {
			return nil, err
		}
	}
	job := ""
	if missing {
		if pod, job, err = createPod(ctx, s, o, tmpl, point); err != nil {
			return nil, err
		}
	} else {
		label := fmt.Sprintf("data pod %q", pod.Name)
		if err := stepkit.WaitIdle(ctx, s, pod.Reference, label, o.busyWait); err != nil {
			return nil, err
		}
		if err := ready(ctx, s, o.op, pod, label); err != nil {
			return nil, err
		}
		if job, err = operate(ctx, s, o, pod, label, point, bm); err != nil {
			return nil, err
		}
	}
	res, err := describe(ctx, c, o.op, pod.Reference, missing, job)
	if res != nil {
		res.Recovered = s.Recovered()
		if point != nil {
			res.Snapshot = point.snap.Reference
		}
	}
	return res, err
}

// createPod creates the pod from the template, adopting --vdb, with the
// data of the chosen point.
func createPod(ctx context.Context, s *cli.Session, o options, tmpl *delphix.Template, p *masterPoint) (*delphix.Container, string, error) {
	vdb, err := s.Client.Databases.FindByName(ctx, o.vdb)
	if err != nil {
		return nil, "", err
	}
	sources, err := s.Client.DataSources.List(ctx, tmpl.Reference)
	if err != nil {
		return nil, "", err
	}
	if len(sources) != 1 {
		return nil, "", cli.Usagef("template %q has %d data sources; --create handles templates with one", tmpl.Name, len(sources))
	}
	me, err := s.Client.Users.Current(ctx)
	if err != nil {
		return nil, "", err
	}
	what := fmt.Sprintf("creation of data pod %q from template %q", o.container, tmpl.Name)
	op, err := s.Do(ctx, what, func() (delphix.Operation, error) {
		return s.Client.Containers.Create(ctx, delphix.ContainerCreate{Name: o.container, Template: tmpl.Reference,
			DataSources: map[string]string{sources[0].Name: vdb.Reference}, Owners: []string{me.Reference}, Point: p.timeline()})
	})
	if err != nil {
		return nil, "", err
	}
	pod, err := s.Client.Containers.Get(ctx, op.Reference)
	return pod, op.Job, err
}

// ready recovers an INCONSISTENT pod and enables an OFFLINE one, unless
// the operation is about that state itself.
func ready(ctx context.Context, s *cli.Session, op string, pod *delphix.Container, label string) error {
	c := s.Client
	if pod.State == "INCONSISTENT" && op != "disable" {
		s.Log.Printf("%s is INCONSISTENT; recovering it first", label)
		if _, err := s.Do(ctx, "recovery of "+label, func() (delphix.Operation, error) { return c.Containers.Recover(ctx, pod.Reference) }); err != nil {
			return err
		}
		var err error
		if pod, err = c.Containers.Get(ctx, pod.Reference); err != nil {
			return err
		}
	}
	if pod.State == "OFFLINE" && op != "enable" && op != "disable" {
		s.Log.Printf("%s is OFFLINE; enabling it first", label)
		if _, err := s.Do(ctx, "enabling "+label, func() (delphix.Operation, error) { return c.Containers.Enable(ctx, pod.Reference) }); err != nil {
			return err
		}
	}
	return nil
}

func operate(ctx context.Context, s *cli.Session, o options, pod *delphix.Container, label string, point *masterPoint, bm *delphix.Bookmark) (string, error) {
	c, ref := s.Client, pod.Reference
	op, err := s.Do(ctx, fmt.Sprintf("%s of %s", o.op, label), stepkit.RetryBusy(ctx, s, ref, label, o.busyWait, func() (delphix.Operation, error) {
		switch o.op {
		case "reset":
			return c.Containers.Reset(ctx, ref)
		case "restore":
			return c.Containers.Restore(ctx, ref, bm.Reference)
		case "enable":
			return c.Containers.Enable(ctx, ref)
		case "disable":
			return c.Containers.Disable(ctx, ref)
		case "lock":
			me, err := c.Users.Current(ctx)
			if err != nil {
				return delphix.Operation{}, err
			}
			return c.Containers.Lock(ctx, ref, me.Reference)
		case "unlock":
			return c.Containers.Unlock(ctx, ref)
		}
		if point == nil { // --allow-unmasked by an account that may not read the master
			return c.Containers.Refresh(ctx, ref)
		}
		return c.Containers.RestoreTo(ctx, ref, *point.timeline())
	}))
	return op.Job, err
}

func describe(ctx context.Context, c *delphix.Client, op, ref string, created bool, job string) (*Result, error) {
	pod, err := c.Containers.Get(ctx, ref)
	if err != nil {
		return nil, err
	}
	res := &Result{Container: pod.Name, ContainerReference: pod.Reference, Operation: op, Created: created,
		State: pod.State, ActiveBranchReference: pod.ActiveBranch, DataTime: pod.LastUpdated, Job: job}
	if tmpl, err := c.Templates.Get(ctx, pod.Template); err == nil {
		res.Template = tmpl.Name
	}
	branches, err := c.Branches.List(ctx, pod.Reference)
	if err != nil {
		return nil, err
	}
	for _, b := range branches {
		if b.Reference == pod.ActiveBranch {
			res.ActiveBranch = b.Name
		}
	}
	return res, nil
}
