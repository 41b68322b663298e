package datapod

import (
	"context"
	"errors"
	"fmt"

	"github.com/dxsteps/dxsteps/delphix"
	"github.com/dxsteps/dxsteps/internal/cli"
	"github.com/dxsteps/dxsteps/internal/platform"
	"github.com/dxsteps/dxsteps/internal/steps/stepkit"
)

// enginePod is a data pod on the engine API: a self-service container of a
// template whose one data source is the master VDB.
type enginePod struct {
	s    *cli.Session
	o    options
	tmpl *delphix.Template  // --template, or the pod's own for a refresh
	pod  *delphix.Container // nil until created
	at   *masterPoint       // the point a refresh or create goes to; nil: the template's latest
	bm   *delphix.Bookmark  // the bookmark a restore goes to
}

func newEnginePod(s *cli.Session, o options) pod { return &enginePod{s: s, o: o} }

func (p *enginePod) label() string     { return fmt.Sprintf("data pod %q", p.o.container) }
func (p *enginePod) targets() []string { return []string{p.pod.Reference} }

func (p *enginePod) find(ctx context.Context) (bool, error) {
	c := p.s.Client
	tmplRef := ""
	if p.o.template != "" {
		var err error
		if p.tmpl, err = c.Templates.FindByName(ctx, p.o.template); err != nil {
			return false, err
		}
		tmplRef = p.tmpl.Reference
	}
	var err error
	p.pod, err = c.Containers.FindByName(ctx, tmplRef, p.o.container)
	var nameErr *delphix.NameError
	if p.o.create && errors.As(err, &nameErr) && len(nameErr.Matches) == 0 {
		return true, nil
	}
	return false, err
}

func (p *enginePod) point(ctx context.Context) error {
	if p.tmpl == nil {
		var err error
		if p.tmpl, err = p.s.Client.Templates.Get(ctx, p.pod.Template); err != nil {
			return err
		}
	}
	var err error
	p.at, err = pickPoint(ctx, p.s, p.o, p.tmpl)
	return err
}

func (p *enginePod) bookmark(ctx context.Context) error {
	var err error
	if p.bm, err = stepkit.FindBookmark(ctx, p.s.Client, p.pod, p.o.bookmark); err != nil {
		return err
	}
	return proveBookmark(ctx, p.s, p.o, p.pod, p.bm)
}

func (p *enginePod) lock(ctx context.Context) (string, bool, bool, error) {
	if p.pod.LockUserReference == "" {
		return "", false, true, nil
	}
	me, err := p.s.Client.Users.Current(ctx)
	if err != nil {
		return "", false, false, err
	}
	return p.pod.LockUserName, p.pod.LockUserReference != me.Reference, true, nil
}

// create creates the pod from the template, adopting --vdb, with the data
// of the chosen point.
func (p *enginePod) create(ctx context.Context) (platform.Job, error) {
	c, tmpl := p.s.Client, p.tmpl
	vdb, err := c.Databases.FindByName(ctx, p.o.vdb)
	if err != nil {
		return platform.Job{}, err
	}
	sources, err := c.DataSources.List(ctx, tmpl.Reference)
	if err != nil {
		return platform.Job{}, err
	}
	if len(sources) != 1 {
		return platform.Job{}, cli.Usagef("template %q has %d data sources; --create handles templates with one", tmpl.Name, len(sources))
	}
	me, err := c.Users.Current(ctx)
	if err != nil {
		return platform.Job{}, err
	}
	params := map[string]string{"template": tmpl.Name, "vdb": vdb.Name}
	if p.at != nil {
		params["snapshot"] = p.at.snap.Reference
	}
	job, err := platform.Of(p.s).Run(ctx, platform.JobSpec{
		Action: action("create", p.o.container, "", params),
		What:   fmt.Sprintf("creation of data pod %q from template %q", p.o.container, tmpl.Name),
		Engine: func() (delphix.Operation, error) {
			return c.Containers.Create(ctx, delphix.ContainerCreate{Name: p.o.container, Template: tmpl.Reference,
				DataSources: map[string]string{sources[0].Name: vdb.Reference}, Owners: []string{me.Reference}, Point: p.at.timeline()})
		},
	})
	if err == nil && !job.Planned {
		p.pod, err = c.Containers.Get(ctx, job.Reference)
	}
	return job, err
}

// ready recovers an INCONSISTENT pod and enables an OFFLINE one, unless
// the operation is about that state itself.
func (p *enginePod) ready(ctx context.Context) error {
	c, ref := p.s.Client, p.pod.Reference
	if p.pod.State == "INCONSISTENT" && p.o.op != "disable" {
		p.s.Log.Printf("%s is INCONSISTENT; %s", p.label(), first(p.s, "recover"))
		if _, err := p.run(ctx, "recover", nil, func() (delphix.Operation, error) { return c.Containers.Recover(ctx, ref) }); err != nil {
			return err
		}
		if p.s.DryRun() {
			return nil // a recovered pod is ONLINE
		}
		var err error
		if p.pod, err = c.Containers.Get(ctx, ref); err != nil {
			return err
		}
	}
	if p.pod.State == "OFFLINE" && p.o.op != "enable" && p.o.op != "disable" {
		p.s.Log.Printf("%s is OFFLINE; %s", p.label(), first(p.s, "enable"))
		if _, err := p.run(ctx, "enable", nil, func() (delphix.Operation, error) { return c.Containers.Enable(ctx, ref) }); err != nil {
			return err
		}
	}
	return nil
}

func (p *enginePod) operate(ctx context.Context) (platform.Job, error) {
	c, ref := p.s.Client, p.pod.Reference
	switch p.o.op {
	case "reset":
		return p.run(ctx, "reset", nil, func() (delphix.Operation, error) { return c.Containers.Reset(ctx, ref) })
	case "restore":
		return p.run(ctx, "restore", map[string]string{"bookmark": p.bm.Name, "bookmarkReference": p.bm.Reference},
			func() (delphix.Operation, error) { return c.Containers.Restore(ctx, ref, p.bm.Reference) })
	case "enable":
		return p.run(ctx, "enable", nil, func() (delphix.Operation, error) { return c.Containers.Enable(ctx, ref) })
	case "disable":
		return p.run(ctx, "disable", nil, func() (delphix.Operation, error) { return c.Containers.Disable(ctx, ref) })
	case "lock", "unlock":
		return platform.Job{}, p.s.Act(action(p.o.op, p.pod.Name, ref, nil), func() error {
			_, err := platform.RetryBusy(ctx, p.s, ref, p.label(), p.o.busyWait, func() (delphix.Operation, error) {
				if p.o.op == "unlock" {
					return c.Containers.Unlock(ctx, ref)
				}
				me, err := c.Users.Current(ctx)
				if err != nil {
					return delphix.Operation{}, err
				}
				return c.Containers.Lock(ctx, ref, me.Reference)
			})()
			if err != nil {
				return fmt.Errorf("%s of %s: %w", p.o.op, p.label(), err)
			}
			return nil
		})
	}
	if p.at == nil { // --allow-unmasked by an account that may not read the master
		return p.run(ctx, "refresh", map[string]string{"snapshot": "the template's latest"},
			func() (delphix.Operation, error) { return c.Containers.Refresh(ctx, ref) })
	}
	return p.run(ctx, "refresh", map[string]string{"snapshot": p.at.snap.Reference},
		func() (delphix.Operation, error) { return c.Containers.RestoreTo(ctx, ref, *p.at.timeline()) })
}

// run runs one job on the pod, waiting (at most --busy-wait) when the
// engine answers that the pod is busy.
func (p *enginePod) run(ctx context.Context, verb string, params map[string]string, start func() (delphix.Operation, error)) (platform.Job, error) {
	return platform.Of(p.s).Run(ctx, platform.JobSpec{Action: action(verb, p.pod.Name, p.pod.Reference, params),
		What: fmt.Sprintf("%s of %s", verb, p.label()), Label: p.label(), Targets: p.targets(), BusyWait: p.o.busyWait, Engine: start})
}

func (p *enginePod) describe(ctx context.Context, job platform.Job, created bool) (*Result, error) {
	res := &Result{Container: p.o.container, Operation: p.o.op, Created: created, Job: job.ID, Recovered: p.s.Recovered()}
	if p.at != nil {
		res.Snapshot = p.at.snap.Reference
	}
	if p.pod == nil { // a plan's create
		res.Template = p.tmpl.Name
		return res, nil
	}
	c := p.s.Client
	pod, err := c.Containers.Get(ctx, p.pod.Reference)
	if err != nil {
		return nil, err
	}
	res.Container, res.ContainerReference, res.State, res.ActiveBranchReference, res.DataTime =
		pod.Name, pod.Reference, pod.State, pod.ActiveBranch, pod.LastUpdated
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
