package dctapi

import (
	"net/http"

	"github.com/dxsteps/dxsteps/test/engine/internal/state"
)

// Timeflows of the DCT API: the engine's timeflows of the datasets the caller sees. A VDB
// starts one at every refresh; switch_timeflow makes an earlier one current. Renaming and
// deleting one are jobs (202); the current timeflow, and one that a bookmark, a snapshot's
// child or another timeflow depends on, cannot be deleted.

func (s *Server) timeflowObject(tf *state.Timeflow) obj {
	o := obj{"id": tf.Ref, "engine_id": engineID, "name": tf.Name, "dataset_id": tf.DB.Ref,
		"creation_type": tf.CreationType, "is_active": tf.DB.Timeflow == tf.Ref, "is_replica": false,
		"creation_timestamp": state.Stamp(tf.Created), "tags": []obj{}}
	if tf.Parent != nil {
		o["parent_snapshot_id"], o["parent_point_timeflow_id"] = tf.Parent.Ref, tf.Parent.Timeflow
		o["parent_point_timestamp"] = state.Stamp(tf.Parent.DataTime)
		if tf.Parent.DB.Parent == nil {
			o["parent_dsource_id"] = tf.Parent.DB.Ref
		} else {
			o["parent_vdb_id"] = tf.Parent.DB.Ref
		}
	}
	return o
}

func (s *Server) listTimeflows(c *call) (int, any, error) {
	items := []obj{}
	for _, tf := range s.Timeflows {
		if c.canSeeDB(tf.DB) {
			items = append(items, s.timeflowObject(tf))
		}
	}
	return c.list(items)
}

// timeflow resolves the {id} path value to a timeflow of a dataset the caller sees.
func (c *call) timeflow() (*state.Timeflow, error) {
	tf, ok := state.Lookup[*state.Timeflow](c.s.State, c.r.PathValue("id"))
	if !ok || !c.canSeeDB(tf.DB) {
		return nil, notFound("timeflow", c.r.PathValue("id"))
	}
	return tf, nil
}

func (s *Server) getTimeflow(c *call) (int, any, error) {
	tf, err := c.timeflow()
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, s.timeflowObject(tf), nil
}

// operableTimeflow is a timeflow of a VDB the caller may operate on.
func (c *call) operableTimeflow() (*state.Timeflow, error) {
	tf, err := c.timeflow()
	if err != nil {
		return nil, err
	}
	if tf.DB.Parent == nil {
		return nil, errorf(http.StatusBadRequest, "timeflow %q is a dSource's", tf.Ref)
	}
	c.r.SetPathValue("id", tf.DB.Ref)
	if _, err := c.operable(); err != nil {
		return nil, err
	}
	return tf, nil
}

// renameTimeflow names a timeflow (UpdateTimeflowParameters: name, 1 to 1024 characters).
func (s *Server) renameTimeflow(c *call) (int, any, error) {
	tf, err := c.operableTimeflow()
	if err != nil {
		return 0, nil, err
	}
	var p struct {
		Name *string `json:"name"`
	}
	if err := c.decode(&p); err != nil {
		return 0, nil, err
	}
	if p.Name == nil || *p.Name == "" || len(*p.Name) > 1024 {
		return 0, nil, errorf(http.StatusBadRequest, "name must be 1 to 1024 characters")
	}
	name := *p.Name
	return s.timeflowJob(c, tf, "TIMEFLOW_UPDATE", "Update timeflow", func() { tf.Name = name })
}

// deleteTimeflow deletes a timeflow that is not current and that nothing depends on,
// with its snapshots.
func (s *Server) deleteTimeflow(c *call) (int, any, error) {
	tf, err := c.operableTimeflow()
	if err != nil {
		return 0, nil, err
	}
	if tf.DB.Timeflow == tf.Ref {
		return 0, nil, errorf(http.StatusBadRequest, "timeflow %q is the current timeflow of %q", tf.Name, tf.DB.Name)
	}
	if what := s.timeflowDependent(tf); what != "" {
		return 0, nil, errorf(http.StatusBadRequest, "timeflow %q cannot be deleted: %s depends on it", tf.Name, what)
	}
	return s.timeflowJob(c, tf, "TIMEFLOW_DELETE", "Delete timeflow", func() {
		s.Snapshots = dropAll(s.Snapshots, func(s *state.Snapshot) bool { return s.Timeflow == tf.Ref })
		s.Timeflows = dropAll(s.Timeflows, func(x *state.Timeflow) bool { return x == tf })
		for ref, o := range s.ByRef {
			if snap, ok := o.(*state.Snapshot); (ok && snap.Timeflow == tf.Ref) || o == any(tf) {
				delete(s.ByRef, ref)
			}
		}
		if tf.DB.PrevTimeflow == tf.Ref {
			tf.DB.PrevTimeflow = ""
		}
	})
}

// timeflowDependent names what depends on tf's data: a bookmark on one of its snapshots,
// or another timeflow (a refresh or provision) that started from one; "" when nothing does.
func (s *Server) timeflowDependent(tf *state.Timeflow) string {
	for ref, x := range s.meta {
		if x.snap != nil && x.snap.Timeflow == tf.Ref {
			if b, ok := state.Lookup[*state.Bookmark](s.State, ref); ok {
				return "bookmark \"" + b.Name + "\""
			}
		}
	}
	for _, x := range s.Timeflows {
		if x.Parent != nil && x.Parent.Timeflow == tf.Ref {
			return "timeflow \"" + x.Name + "\" of \"" + x.DB.Name + "\""
		}
	}
	return ""
}

func (s *Server) timeflowJob(c *call, tf *state.Timeflow, actionType, verb string, apply func()) (int, any, error) {
	d := tf.DB
	j, err := s.StartJob(c.user, state.JobSpec{ActionType: actionType, Title: verb + " \"" + tf.Name + "\".",
		Target: tf.Ref, TargetName: d.Group.Name + "/" + d.Name, TargetTy: "Timeflow", Busy: s.busyRefs(d),
		Duration: state.QuickDuration,
		Run: func(r *state.JobRun) error {
			if err := r.Step(1, 90, "event.dct."+actionType, verb+" \""+tf.Name+"\"."); err != nil {
				return err
			}
			return r.Locked(func() error { apply(); return nil })
		}})
	if err != nil {
		return 0, nil, err
	}
	return http.StatusAccepted, s.jobAnswer(j), nil
}

func dropAll[T any](l []T, drop func(T) bool) []T {
	var out []T
	for _, x := range l {
		if !drop(x) {
			out = append(out, x)
		}
	}
	return out
}
