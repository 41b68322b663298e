package stepkit

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/dxsteps/dxsteps/delphix"
	"github.com/dxsteps/dxsteps/internal/cli"
)

// The one rule, per platform, that decides whether a data point may fan
// out (be copied into a data pod or a branch, or published as a shared
// bookmark): the point is a snapshot of a VDB (the template's master), and
//
//   - engine: the VDB shows masking evidence (MaskingEvidence), and the data
//     job that made the snapshot's data (the VDB's last refresh, provision,
//     rollback or undo job started before the snapshot was taken) COMPLETED;
//     none shown counts as a VDB provisioned masked before the engine's job
//     history. A refresh that failed (its masking with it) leaves its data
//     unproven, and so does one still running.
//   - DCT (ProveMaskedDCT): the data job before the snapshot COMPLETED, and
//     a masking (compliance) job on the VDB COMPLETED after that data job
//     started and before the snapshot was taken; or, when no compliance job
//     is configured for the VDB (the engine masks inside the refresh), DCT
//     marks the VDB masked.
//
// A pod's or a branch's own data is proven when it descends, through the
// self-service operations that put it there (engine) or its timeflows'
// parent snapshots (DCT), from a proven snapshot. An account that may not
// read the master's history relies, for a shared bookmark, on the check
// made when it was published, and otherwise on the platform's masked flag
// on the data it holds (flaggedMasked, flaggedMaskedDCT).

// AllowUnmaskedKey is the opt-out of the masking check, the same on every
// step that fans data out, for the operations that check; each step gets
// its own copy.
func AllowUnmaskedKey(ops ...string) *cli.Key {
	return &cli.Key{Flag: "allow-unmasked", Type: cli.Bool, Only: ops,
		Usage: "do not check that the data is proven masked before it is copied or published (for estates without masking)"}
}

// NotMasked is the error a step returns when the data it would copy or
// publish is not proven masked: exit 1, one line naming the dataset, the
// point and why, and the opt-out.
func NotMasked(dataset, point, why string) error {
	return &cli.CheckError{Msg: fmt.Sprintf("not proven masked, nothing was changed: %s of %s: %s; fan out only data proven masked "+
		"(dx-refresh --require-masked proves the master's snapshot, maskedSnapshot), or pass allowUnmasked (--allow-unmasked) for an estate without masking",
		point, dataset, why)}
}

// dataJobs are the engine job types that replace a VDB's data.
var dataJobs = []string{"DB_REFRESH", "DB_PROVISION", "DB_ROLLBACK", "DB_UNDO"}

// ProveMasked applies the engine's rule to snapshot snap of VDB vdb. It
// returns the evidence when the snapshot is proven masked, else why it is
// not ("" with evidence means proven).
func ProveMasked(ctx context.Context, c *delphix.Client, vdb *delphix.Database, snap *delphix.Snapshot) ([]string, string, error) {
	evidence, _, err := MaskingEvidence(ctx, c, vdb)
	if err != nil {
		return nil, "", err
	}
	if len(evidence) == 0 {
		return nil, fmt.Sprintf("the engine shows no masking on VDB %q (it does not mark it masked, and it has no configure-clone masking hook and no masking job)", vdb.Name), nil
	}
	taken, err := time.Parse(time.RFC3339Nano, snap.CreationTime)
	if err != nil {
		return nil, "", fmt.Errorf("snapshot %s has no creation time the engine can be read by: %q", snap.Reference, snap.CreationTime)
	}
	var jobs []delphix.Job
	for _, kind := range dataJobs {
		some, err := c.Jobs.List(ctx, delphix.JobListOptions{Target: vdb.Reference, ActionType: kind, PageSize: 1000})
		if err != nil {
			return nil, "", err
		}
		jobs = append(jobs, some...)
	}
	var last *delphix.Job
	var lastStart time.Time
	for i, j := range jobs {
		start, err := time.Parse(time.RFC3339Nano, j.StartTime)
		if err != nil || !slices.Contains(dataJobs, j.ActionType) || start.After(taken) || (last != nil && !start.After(lastStart)) {
			continue
		}
		last, lastStart = &jobs[i], start
	}
	if last != nil && last.JobState != delphix.JobCompleted {
		return nil, fmt.Sprintf("its data comes from %s job %s on VDB %q, which is %s, so its masking did not complete", last.ActionType, last.Reference, vdb.Name, last.JobState), nil
	}
	if last != nil {
		evidence = append(evidence, fmt.Sprintf("%s job %s that made the data COMPLETED", last.ActionType, last.Reference))
	}
	return evidence, "", nil
}

// MaskingEvidence returns what the engine shows of masking on the VDB: its
// masked flag, configure-clone hooks that run a masking job (how many
// engines mask on refresh), masking jobs attached to it; and the first
// attached masking job's name.
func MaskingEvidence(ctx context.Context, c *delphix.Client, vdb *delphix.Database) ([]string, string, error) {
	evidence := []string{}
	if vdb.Masked {
		evidence = append(evidence, "the engine marks the VDB masked")
	}
	sources, err := c.Sources.ListForDatabase(ctx, vdb.Reference)
	if err != nil && !errors.Is(err, delphix.ErrNotFound) {
		return nil, "", err
	}
	for _, src := range sources {
		var hooks []struct {
			Type, Name   string
			MaskingJobID json.RawMessage `json:"maskingJobId"`
		}
		if raw := src.Operations["configureClone"]; len(raw) > 0 && json.Unmarshal(raw, &hooks) != nil {
			return nil, "", fmt.Errorf("the configure-clone hooks of %s are not a list of hooks: %.80s", src.Reference, raw)
		}
		for _, h := range hooks {
			if h.Type == "RunMaskingJobOnSourceOperation" {
				evidence = append(evidence, fmt.Sprintf("configure-clone hook %q runs masking job %s", h.Name, strings.Trim(string(h.MaskingJobID), `"`)))
			}
		}
	}
	jobs, err := c.MaskingJobs.ListForContainer(ctx, vdb.Reference)
	if err != nil && !errors.Is(err, delphix.ErrNotFound) {
		return nil, "", err
	}
	first := ""
	for _, j := range jobs {
		evidence = append(evidence, fmt.Sprintf("masking job %q is attached", j.Name))
		if first == "" {
			first = j.Name
		}
	}
	return evidence, first, nil
}
