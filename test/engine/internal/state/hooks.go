package state

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"time"

	"github.com/dxsteps/dxsteps/test/engine/internal/model"
)

// hookOp is one element of a hook list as the engine runs it.
type hookOp struct {
	Type        string `json:"type"`
	Name        string `json:"name"`
	Command     string `json:"command"`
	MaskingJob  string `json:"maskingJobId"`
	Credentials []struct {
		BaseVarName string `json:"baseVarName"`
		Credentials struct {
			Type     string `json:"type"`
			Password string `json:"password"`
		} `json:"credentials"`
	} `json:"credentialsEnvVarsList"`
}

// maxHookOutput bounds the command output kept in a failed job's messageCommandOutput.
const maxHookOutput = 64 << 10

// Hooks runs a source's hook list on this machine, the way a real engine runs them on the
// target host: RunBashOnSourceOperation with bash -c, RunCommandOnSourceOperation with sh -c.
// The environment carries DX_ENGINE_TEST_API and, per credentialsEnvVarsList entry,
// <base>_USER and <base>_PASSWORD. A non-zero exit fails the job with the output.
func (r *JobRun) Hooks(src *Source, list string, pct int) error {
	var raw []json.RawMessage
	_ = r.Locked(func() error { raw = append(raw, src.Ops[list]...); return nil })
	for _, m := range raw {
		var op hookOp
		if err := json.Unmarshal(m, &op); err != nil {
			return &jobFailure{code: "exception.jobs.hook.invalid", details: "Invalid hook: " + err.Error()}
		}
		if op.Type == MaskingHook {
			if err := r.maskingHook(src, op, list, pct); err != nil {
				return err
			}
			continue
		}
		shell := map[string]string{"RunBashOnSourceOperation": "bash", "RunCommandOnSourceOperation": "sh"}[op.Type]
		if shell == "" {
			if err := r.event("WARNING", pct, "event.jobs.hook.skipped",
				fmt.Sprintf("Hook %q of type %s is not run by this engine.", op.Name, op.Type)); err != nil {
				return err
			}
			continue
		}
		if err := r.event("INFO", pct, "event.jobs.hook.run", fmt.Sprintf("Running %s hook %q.", list, op.Name)); err != nil {
			return err
		}
		if err := r.runHook(shell, op, list); err != nil {
			return err
		}
	}
	return nil
}

// MaskingHook is the hook type API 1.9 engines show in a VDB's configureClone list when they
// mask it on every provision and refresh (not in the 1.11.9 schema).
const MaskingHook = "RunMaskingJobOnSourceOperation"

// IsMaskingHook reports whether a hook list element runs a masking job.
func IsMaskingHook(raw json.RawMessage) bool {
	var op hookOp
	return json.Unmarshal(raw, &op) == nil && op.Type == MaskingHook
}

// HasMaskingHook reports whether a source's configureClone list runs a masking job.
func (s *Source) HasMaskingHook() bool {
	for _, m := range s.Ops["configureClone"] {
		var op hookOp
		if json.Unmarshal(m, &op) == nil && op.Type == MaskingHook {
			return true
		}
	}
	return false
}

// MaskingFault consumes an injected failure of the masking job on d (a JobFault whose
// action type is MASKING_JOB_EXECUTE, the DCT masking job's) where masking runs inside
// another job, a refresh: that job fails at its masking step, the data already copied and
// left unmasked.
func (r *JobRun) MaskingFault(d *DB) error {
	var f model.JobFault
	var ok bool
	_ = r.Locked(func() error {
		f, ok = r.e.takeJobFault(&Job{ActionType: "MASKING_JOB_EXECUTE", Target: d.Ref, TargetName: d.Group.Name + "/" + d.Name})
		return nil
	})
	if !ok {
		return nil
	}
	return &jobFailure{code: "exception.jobs.maskingjob.failed", details: f.Message,
		action: "Check the masking job on the masking engine, then refresh the database again."}
}

// maskingHook runs a RunMaskingJobOnSourceOperation: the masking job masks the VDB's data.
func (r *JobRun) maskingHook(src *Source, op hookOp, list string, pct int) error {
	if err := r.event("INFO", pct, "event.jobs.maskingjob.execute",
		fmt.Sprintf("Running %s hook %q: masking job %s on %q.", list, op.Name, op.MaskingJob, src.DB.Name)); err != nil {
		return err
	}
	if err := r.MaskingFault(src.DB); err != nil {
		return err
	}
	return r.Locked(func() error {
		if !src.DB.Contents.Masked {
			src.DB.Contents.Mask()
		}
		return nil
	})
}

// event records an event without waiting.
func (r *JobRun) event(typ string, pct int, code, details string) error {
	return r.Locked(func() error {
		select {
		case <-r.j.Cancel:
			return errCanceled
		default:
		}
		r.e.addEvent(r.j, typ, pct, code, details, "", "")
		return nil
	})
}

func (r *JobRun) runHook(shell string, op hookOp, list string) error {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		select {
		case <-r.j.Cancel:
		case <-r.e.Closing:
		case <-ctx.Done():
		}
		cancel()
	}()
	cmd := exec.CommandContext(ctx, shell, "-c", op.Command)
	cmd.WaitDelay = 2 * time.Second
	cmd.Env = append(os.Environ(), r.e.HookEnv...)
	for _, c := range op.Credentials {
		cmd.Env = append(cmd.Env, c.BaseVarName+"_USER="+hookUser, c.BaseVarName+"_PASSWORD="+c.Credentials.Password)
	}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	if ctx.Err() != nil && err != nil {
		return errCanceled
	}
	if err == nil {
		return nil
	}
	text := out.String()
	if len(text) > maxHookOutput {
		text = text[len(text)-maxHookOutput:]
	}
	code := -1
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	}
	return &jobFailure{code: "exception.jobs.hook.failed",
		details: fmt.Sprintf("The %s hook %q failed with exit code %d.", list, op.Name, code),
		action:  "Check the hook's command and its output, then run the operation again.",
		output:  text}
}

// hookUser is the OS user a PasswordCredential stands for (the credential has no user name).
const hookUser = "delphix"
