package branch

import (
	"context"
	"fmt"

	"github.com/dxsteps/dxsteps/delphix"
	"github.com/dxsteps/dxsteps/internal/cli"
	"github.com/dxsteps/dxsteps/internal/platform"
	"github.com/dxsteps/dxsteps/internal/steps/stepkit"
)

// enginePod is a self-service data container; its branches are the
// engine's, one of them active.
type enginePod struct {
	c   *delphix.Client
	pod *delphix.Container
}

func findEnginePod(ctx context.Context, s *cli.Session, name string) (pod, error) {
	c, err := s.Client.Containers.FindByName(ctx, "", name)
	if err != nil {
		return nil, err
	}
	return enginePod{c: s.Client, pod: c}, nil
}

func (p enginePod) branches(ctx context.Context) ([]branch, error) {
	bs, err := p.c.Branches.List(ctx, p.pod.Reference)
	if err != nil {
		return nil, err
	}
	out := make([]branch, len(bs))
	for i, b := range bs {
		out[i] = branch{name: b.Name, ref: b.Reference, active: b.Reference == p.pod.ActiveBranch}
	}
	return out, nil
}

func (p enginePod) start(ctx context.Context, name string, prove bool) (start, error) {
	bm, err := stepkit.FindBookmark(ctx, p.c, p.pod, name)
	if err != nil {
		return start{}, err
	}
	st := start{name: bm.Name, ref: bm.Reference}
	if prove {
		_, st.why, err = stepkit.ProveBookmark(ctx, p.c, bm)
	}
	return st, err
}

// ready refuses, before the first change to the pod, what the engine would
// refuse at the start, so that a plan exits as the real run does: another
// user's lock (exit 3), a pod that is not ONLINE (exit 1).
func (p enginePod) ready(ctx context.Context) error {
	if p.pod.LockUserReference != "" {
		me, err := p.c.Users.Current(ctx)
		if err != nil {
			return err
		}
		if me.Reference != p.pod.LockUserReference {
			return stepkit.LockedError{Pod: p.pod.Name, By: p.pod.LockUserName, Holder: "user"}
		}
	}
	if p.pod.State != "" && p.pod.State != "ONLINE" {
		return fmt.Errorf("data pod %q is %s; enable it first (dx-datapod enable)", p.pod.Name, p.pod.State)
	}
	return nil
}

// create makes the branch, which the engine makes active when its job ends.
func (p enginePod) create(ctx context.Context, s *cli.Session, name, _ string, st start, label string) (branch, error) {
	if err := p.ready(ctx); err != nil {
		return branch{}, err
	}
	j, err := platform.Of(s).Run(ctx, platform.JobSpec{
		Action: cli.Action{Action: "create", Object: "branch", Name: name,
			Parameters: map[string]string{"dataPod": p.pod.Reference, "bookmark": st.ref}},
		What:   fmt.Sprintf("creation of %s from bookmark %q", label, st.name),
		Engine: func() (delphix.Operation, error) { return p.c.Branches.Create(ctx, name, p.pod.Reference, st.ref) },
	})
	b := branch{name: name, ref: j.Reference, active: true}
	if err != nil || j.Planned {
		return b, err
	}
	now, err := p.c.Containers.Get(ctx, p.pod.Reference)
	if err != nil || now.ActiveBranch == b.ref {
		return b, err
	}
	return b, p.activate(ctx, s, branch{name: name, ref: b.ref}, label)
}

func (p enginePod) activate(ctx context.Context, s *cli.Session, b branch, label string) error {
	if err := p.ready(ctx); err != nil {
		return err
	}
	_, err := platform.Of(s).Run(ctx, platform.JobSpec{
		Action: cli.Action{Action: "activate", Object: "branch", Name: b.name, Reference: b.ref, Parameters: map[string]string{"dataPod": p.pod.Reference}},
		What:   "activation of " + label,
		Engine: func() (delphix.Operation, error) { return p.c.Branches.Activate(ctx, b.ref) },
	})
	return err
}

func (p enginePod) remove(ctx context.Context, s *cli.Session, b branch, label string) error {
	if err := p.ready(ctx); err != nil {
		return err
	}
	_, err := platform.Of(s).Run(ctx, platform.JobSpec{
		Action: cli.Action{Action: "delete", Object: "branch", Name: b.name, Reference: b.ref, Parameters: map[string]string{"dataPod": p.pod.Reference}},
		What:   "deletion of " + label,
		Engine: func() (delphix.Operation, error) { return p.c.Branches.Delete(ctx, b.ref) },
	})
	return err
}
