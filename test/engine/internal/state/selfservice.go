package state

import (
	"fmt"
	"time"

	"github.com/dxsteps/dxsteps/test/engine/internal/model"
)

// What both APIs do to the self-service objects when they change a dataset's data, each
// call with the lock held.

// RecordOp records a data operation (JSOperation) op of u on a layout and branch.
func (e *State) RecordOp(layout string, log *OpLog, br *Branch, op string, u *User, bookmark string, start time.Time) *Operation {
	o := &Operation{Ref: e.NextRef("JS_OPERATION"), Name: op, Op: op, Layout: layout, Branch: br.Ref,
		Bookmark: bookmark, User: u, Start: start, End: e.Now()}
	e.Operations = append(e.Operations, o)
	e.Register(o.Ref, o)
	log.Add(o.Ref)
	br.Ops.Add(o.Ref)
	return o
}

// DataFrom records on o the bookmark its data came from (nil: none).
func (o *Operation) DataFrom(b *Bookmark) {
	if b != nil {
		o.DataParent, o.DataParentName = b.Ref, b.Name
	}
}

// SetContainerData makes data (copied) the container's live data and the active branch's
// baseline, and records a checkpoint.
func (e *State) SetContainerData(jc *Container, data *model.Contents) {
	jc.DS.DB.Contents = data.Clone()
	jc.Active.Baseline = data.Clone()
	jc.Active.History = append(jc.Active.History, Checkpoint{At: e.Now(), Contents: data.Clone()})
}

// DropBookmark forgets a self-service bookmark.
func (e *State) DropBookmark(b *Bookmark) {
	var kept []*Bookmark
	for _, x := range e.Bookmarks {
		if x != b {
			kept = append(kept, x)
		}
	}
	e.Bookmarks = kept
	delete(e.ByRef, b.Ref)
}

// FinishRefresh is the end of a refresh job, on either API: the clone hooks (none when
// clone is ""), the provision's success taking the share step of the job, the post hooks,
// then a snapshot of the new data, which the templates over d also record.
func (r *JobRun) FinishRefresh(d *DB, clone, post string, step float64) error {
	if clone != "" {
		if err := r.Hooks(d.Src, clone, 75); err != nil {
			return err
		}
	}
	if err := r.Step(step, 90, "event.jobs.genericvdb.provision.success",
		fmt.Sprintf("The virtual database %q was successfully provisioned.", d.Name)); err != nil {
		return err
	}
	if err := r.Hooks(d.Src, post, 95); err != nil {
		return err
	}
	return r.Locked(func() error {
		e := r.e
		e.TakeSnapshot(d, time.Time{})
		for _, t := range e.TemplatesUsing(d) {
			t.Branch.History = append(t.Branch.History, Checkpoint{At: e.Now(), Contents: d.Contents.Clone()})
		}
		return nil
	})
}
