package engine

import (
	"encoding/json"
	"fmt"
	"time"
)

// refresh refreshes a VDB from a point of its parent (DB_REFRESH): the VDB's contents become
// the chosen snapshot's, a masking job attached to the VDB masks them, and the source's
// preRefresh, configureClone and postRefresh hooks run.
func (e *Engine) refresh(c *call) (any, error) {
	d, err := adminLookup[*dbContainer](c)
	if err != nil {
		return nil, err
	}
	if d.parent == nil {
		return nil, errNotVDB(d)
	}
	in, err := c.parse("RefreshParameters", d.plat.refreshParams)
	if err != nil {
		return nil, err
	}
	snap, err := e.resolvePoint(d, in.sub("timeflowPointParameters"))
	if err != nil {
		return nil, err
	}
	busy := []string{d.ref}
	if jc := e.containerUsing(d); jc != nil {
		busy = append(busy, jc.ref)
	}
	j, err := e.startJob(c.user, jobSpec{actionType: "DB_REFRESH", title: "Refresh database \"" + d.name + "\".",
		target: d.ref, targetName: d.name, targetTy: d.plat.container, busy: busy, duration: refreshDuration,
		run: func(r *jobRun) error { return e.runRefresh(r, d, snap) }})
	if err != nil {
		return nil, err
	}
	return okResult("", j.ref, j.act.ref), nil
}

// resolvePoint finds the parent snapshot a TimeflowPoint* selects.
func (e *Engine) resolvePoint(d *dbContainer, p input) (*snapshot, error) {
	snaps := e.snapshotsOf(d.parent)
	switch p.str("type") {
	case "TimeflowPointSnapshot":
		s, ok := lookup[*snapshot](e.State, p.str("snapshot"))
		if !ok {
			return nil, errNotFound(p.str("snapshot"))
		}
		if s.db != d.parent {
			return nil, errValue("timeflowPointParameters.snapshot",
				"The snapshot %q does not belong to %q, the parent of %q.", s.ref, d.parent.name, d.name)
		}
		return s, nil
	case "TimeflowPointSemantic":
		if ct := p.str("container"); ct != "" && ct != d.parent.ref {
			return nil, errValue("timeflowPointParameters.container",
				"The container %q is not the parent of %q (%s).", ct, d.name, d.parent.ref)
		}
	case "TimeflowPointTimestamp":
		at, err := time.Parse(time.RFC3339Nano, p.str("timestamp"))
		if err != nil {
			return nil, errValue("timeflowPointParameters.timestamp", "The timestamp %q is not an ISO-8601 time.", p.str("timestamp"))
		}
		var kept []*snapshot
		for _, s := range snaps {
			if s.timeflow == p.str("timeflow") && !s.created.After(at) {
				kept = append(kept, s)
			}
		}
		snaps = kept
	}
	if len(snaps) == 0 {
		return nil, errValue("timeflowPointParameters", "No provisionable snapshot of %q matches the point.", d.parent.name)
	}
	return snaps[0], nil
}

func (e *Engine) runRefresh(r *jobRun, d *dbContainer, snap *snapshot) error {
	if err := r.hooks(d.src, "preRefresh", 5); err != nil {
		return err
	}
	if err := r.step(0.2, 10, "event.jobs.genericvdb.deprovision.starting",
		fmt.Sprintf("Starting deprovision of virtual database %q.", d.name)); err != nil {
		return err
	}
	if err := r.step(0.2, 25, "event.jobs.genericvdb.deprovision.success",
		fmt.Sprintf("Virtual database %q deprovisioned successfully.", d.name)); err != nil {
		return err
	}
	if err := r.step(0.2, 40, "event.jobs.genericvdb.provision.starting",
		fmt.Sprintf("Starting provision of the virtual database %q.", d.name)); err != nil {
		return err
	}
	var masking *maskingJob
	_ = r.locked(func() error {
		d.contents = snap.contents.Clone()
		d.prevTimeflow, d.timeflow = d.timeflow, e.nextRef(d.plat.timeflowRef)
		d.lastRefreshed, masking = snap, d.masking
		return nil
	})
	if masking != nil {
		if err := r.step(0.2, 60, "event.jobs.maskingjob.execute",
			fmt.Sprintf("Running masking job %q on virtual database %q.", masking.name, d.name)); err != nil {
			return err
		}
		_ = r.locked(func() error { d.contents.Mask(); return nil })
	}
	if err := r.hooks(d.src, "configureClone", 75); err != nil {
		return err
	}
	if err := r.step(0.2, 90, "event.jobs.genericvdb.provision.success",
		fmt.Sprintf("The virtual database %q was successfully provisioned.", d.name)); err != nil {
		return err
	}
	if err := r.hooks(d.src, "postRefresh", 95); err != nil {
		return err
	}
	return r.locked(func() error {
		e.takeSnapshot(d)
		for _, t := range e.templatesUsing(d) {
			t.branch.history = append(t.branch.history, checkpoint{at: e.now(), contents: d.contents.Clone()})
		}
		return nil
	})
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
