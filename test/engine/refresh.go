package engine

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/dxsteps/dxsteps/test/engine/internal/state"
)

// refresh refreshes a VDB from a point of its parent (DB_REFRESH): the VDB's contents become
// the chosen snapshot's, a masking job attached to the VDB masks them, and the source's
// preRefresh, configureClone and postRefresh hooks run.
func (e *Engine) refresh(c *call) (any, error) {
	d, err := adminLookup[*state.DB](c)
	if err != nil {
		return nil, err
	}
	if d.Parent == nil {
		return nil, errNotVDB(d)
	}
	in, err := c.parse("RefreshParameters", d.Platform.RefreshParams)
	if err != nil {
		return nil, err
	}
	snap, err := e.resolvePoint(d, in.sub("timeflowPointParameters"))
	if err != nil {
		return nil, err
	}
	busy := []string{d.Ref}
	if jc := e.ContainerUsing(d); jc != nil {
		busy = append(busy, jc.Ref)
	}
	j, err := e.StartJob(c.user, state.JobSpec{ActionType: "DB_REFRESH", Title: "Refresh database \"" + d.Name + "\".",
		Target: d.Ref, TargetName: d.Group.Name + "/" + d.Name, TargetTy: d.Platform.Container, Busy: busy, Duration: state.RefreshDuration,
		Run: func(r *state.JobRun) error { return e.runRefresh(r, d, snap) }})
	if err != nil {
		return nil, err
	}
	return okResult("", j.Ref, j.Act.Ref), nil
}

// resolvePoint finds the parent snapshot a TimeflowPoint* selects.
func (e *Engine) resolvePoint(d *state.DB, p input) (*state.Snapshot, error) {
	snaps := e.SnapshotsOf(d.Parent)
	switch p.str("type") {
	case "TimeflowPointSnapshot":
		s, ok := state.Lookup[*state.Snapshot](e.State, p.str("snapshot"))
		if !ok {
			return nil, errNotFound(p.str("snapshot"))
		}
		if s.DB != d.Parent {
			return nil, errValue("timeflowPointParameters.snapshot",
				"The snapshot %q does not belong to %q, the parent of %q.", s.Ref, d.Parent.Name, d.Name)
		}
		return s, nil
	case "TimeflowPointSemantic":
		if ct := p.str("container"); ct != "" && ct != d.Parent.Ref {
			return nil, errValue("timeflowPointParameters.container",
				"The container %q is not the parent of %q (%s).", ct, d.Name, d.Parent.Ref)
		}
	case "TimeflowPointTimestamp":
		at, err := time.Parse(time.RFC3339Nano, p.str("timestamp"))
		if err != nil {
			return nil, errValue("timeflowPointParameters.timestamp", "The timestamp %q is not an ISO-8601 time.", p.str("timestamp"))
		}
		var kept []*state.Snapshot
		for _, s := range snaps {
			if s.Timeflow == p.str("timeflow") && !s.Created.After(at) {
				kept = append(kept, s)
			}
		}
		snaps = kept
	}
	if len(snaps) == 0 {
		return nil, errValue("timeflowPointParameters", "No provisionable snapshot of %q matches the point.", d.Parent.Name)
	}
	return snaps[0], nil
}

func (e *Engine) runRefresh(r *state.JobRun, d *state.DB, snap *state.Snapshot) error {
	if err := r.Hooks(d.Src, "preRefresh", 5); err != nil {
		return err
	}
	if err := r.Step(0.2, 10, "event.jobs.genericvdb.deprovision.starting",
		fmt.Sprintf("Starting deprovision of virtual database %q.", d.Name)); err != nil {
		return err
	}
	if err := r.Step(0.2, 25, "event.jobs.genericvdb.deprovision.success",
		fmt.Sprintf("Virtual database %q deprovisioned successfully.", d.Name)); err != nil {
		return err
	}
	if err := r.Step(0.2, 40, "event.jobs.genericvdb.provision.starting",
		fmt.Sprintf("Starting provision of the virtual database %q.", d.Name)); err != nil {
		return err
	}
	var masking *state.MaskingJob
	_ = r.Locked(func() error {
		d.Contents = snap.Contents.Clone()
		kind := "REFRESH"
		if d.Masking != nil || d.Src.HasMaskingHook() {
			kind = "TRANSFORMATION"
		}
		e.NewTimeflow(d, kind, "DB_REFRESH", snap)
		d.LastRefreshed, masking = snap, d.Masking
		return nil
	})
	if masking != nil {
		if err := r.Step(0.2, 60, "event.jobs.maskingjob.execute",
			fmt.Sprintf("Running masking job %q on virtual database %q.", masking.Name, d.Name)); err != nil {
			return err
		}
		if err := r.MaskingFault(d); err != nil {
			return err
		}
		_ = r.Locked(func() error { d.Contents.Mask(); return nil })
	}
	return r.FinishRefresh(d, "configureClone", "postRefresh", 0.2)
}

// rawList turns a decoded JSON list back into raw elements (nil or non-list: empty).
func rawList(v any) []json.RawMessage {
	l, _ := v.([]any)
	out := []json.RawMessage{}
	for _, x := range l {
		b, _ := json.Marshal(x)
		out = append(out, b)
	}
	return out
}
