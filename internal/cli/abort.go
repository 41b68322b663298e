package cli

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/dxsteps/dxsteps/dct"
	"github.com/dxsteps/dxsteps/delphix"
)

// AbortBudget is how long a step may spend, from the signal (or the
// --timeout deadline), stopping the jobs it started before it exits.
// Jenkins kills an aborted sh step 5 s after its SIGTERM
// (ProcessTree.SoftKillWaitSeconds): the cancel, its retries and the last
// look at the job must end well inside that, with time left to write the
// error file, end the session and exit.
const AbortBudget = 4 * time.Second

// cancelPause is the first wait between two tries to stop a job; it
// doubles up to cancelPauseMax.
const (
	cancelPause    = 100 * time.Millisecond
	cancelPauseMax = time.Second
)

// stopJobs stops the jobs still running, by deadline: on the engine it
// cancels each one and follows it to its end, resending the cancel after a
// transient error or a lost answer; on DCT, which cannot cancel (3.18), it
// abandons each one. It returns, per job, one phrase that says what became
// of it, for the abort's message.
func (s *Session) stopJobs(deadline time.Time) []string {
	s.mu.Lock()
	s.abortBy = deadline.Add(time.Second / 2)
	refs := make([]string, 0, len(s.jobs))
	for ref := range s.jobs {
		refs = append(refs, ref)
	}
	slices.Sort(refs)
	whats := make([]string, len(refs))
	for i, ref := range refs {
		whats[i] = s.jobs[ref]
	}
	s.mu.Unlock()

	ctx, cancel := context.WithDeadline(context.Background(), deadline)
	defer cancel()
	out := make([]string, len(refs))
	var wg sync.WaitGroup
	for i, ref := range refs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if s.DCT != nil {
				out[i] = s.abandonDCTJob(ctx, ref, whats[i])
			} else {
				out[i] = s.cancelEngineJob(ctx, ref, whats[i])
			}
		}()
	}
	wg.Wait()
	for _, line := range out {
		s.Log.Printf("%s", line)
	}
	return out
}

// cancelEngineJob cancels job ref until the engine shows it ended, or ctx
// ends, and says which. A cancel whose answer is lost or that meets a
// transient error is sent again (a cancel of a job that ended does
// nothing); between tries the job's state is read, and an ended job
// (CANCELED, or COMPLETED or FAILED first) ends the tries.
func (s *Session) cancelEngineJob(ctx context.Context, ref, what string) string {
	state, asked, refused := "", false, error(nil)
	var last error
	for pause := cancelPause; ; pause = min(2*pause, cancelPauseMax) {
		if !asked && refused == nil {
			err := s.Client.Jobs.Cancel(ctx, ref)
			var api *delphix.APIError
			switch {
			case err == nil:
				asked = true
			case errors.As(err, &api):
				refused = err // the engine answered no: sending it again changes nothing
			default:
				last = err
			}
		}
		j, err := s.Client.Jobs.Get(ctx, ref)
		if err == nil {
			state = j.JobState
		} else if last == nil {
			last = err
		}
		switch state {
		case delphix.JobCanceled:
			return fmt.Sprintf("cancelled job %s (%s): it is %s on the engine", ref, what, state)
		case delphix.JobCompleted, delphix.JobFailed:
			return fmt.Sprintf("could not cancel job %s (%s) in time: it ended %s on the engine first", ref, what, state)
		}
		if refused != nil || !sleepCtx(ctx, pause) {
			break
		}
	}
	if state == "" {
		state = "in an unknown state"
	}
	why := fmt.Sprintf("the engine did not confirm the cancel within %v of the abort", AbortBudget)
	switch {
	case refused != nil:
		why = "the engine refused the cancel: " + refused.Error()
	case !asked && last != nil:
		why = fmt.Sprintf("the cancel did not reach the engine within %v: %v", AbortBudget, last)
	}
	return fmt.Sprintf("could not cancel job %s (%s): it is still %s on the engine (%s); cancel it there", ref, what, state, why)
}

// abandonDCTJob abandons DCT job id, resending after a transient error or
// a lost answer until DCT shows it ABANDONED (or ended), or ctx ends, and
// says plainly that the engine work may go on: DCT 3.18 has no cancel.
func (s *Session) abandonDCTJob(ctx context.Context, id, what string) string {
	status := ""
	var last error
	for pause := cancelPause; ; pause = min(2*pause, cancelPauseMax) {
		err := s.DCT.Jobs.Abandon(ctx, id)
		var api *dct.APIError
		if err != nil && !errors.As(err, &api) {
			last = err
		}
		j, gerr := s.DCT.Jobs.Get(ctx, id)
		if gerr == nil {
			status = j.Status
		} else if last == nil {
			last = gerr
		}
		switch status {
		case dct.JobAbandoned:
			return fmt.Sprintf("abandoned DCT job %s (%s): DCT cannot cancel a job, so it only stopped following it; "+
				"the engine work may go on: see job %s on DCT and its engine", id, what, id)
		case dct.JobCompleted, dct.JobFailed, dct.JobTimedOut, dct.JobCanceled:
			return fmt.Sprintf("DCT job %s (%s) ended %s before it could be abandoned", id, what, status)
		}
		if err == nil && gerr == nil { // abandoned, and DCT does not show it yet
			last = nil
		}
		if !sleepCtx(ctx, pause) {
			break
		}
	}
	if status == "" {
		status = "in an unknown state"
	}
	why := ""
	if last != nil {
		why = ": " + last.Error()
	}
	return fmt.Sprintf("could not abandon DCT job %s (%s) within %v of the abort%s; it is still %s and its engine work goes on: see job %s on DCT",
		id, what, AbortBudget, why, status, id)
}

// sleepCtx waits d, or less when ctx ends first; it says whether ctx is
// still live.
func sleepCtx(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return ctx.Err() == nil
	}
}
