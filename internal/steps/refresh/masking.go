package refresh

import (
	"context"
	"fmt"

	"github.com/dxsteps/dxsteps/dct"
	"github.com/dxsteps/dxsteps/delphix"
	"github.com/dxsteps/dxsteps/internal/cli"
	"github.com/dxsteps/dxsteps/internal/platform"
	"github.com/dxsteps/dxsteps/internal/steps/stepkit"
)

// masking is where the platforms really differ in a refresh: the engine
// masks inside the refresh (a configure-clone hook, an attached masking
// job), DCT never does, so a compliance job runs after it.
type masking interface {
	// choose settles, before anything changes, what will mask the VDB.
	choose(ctx context.Context, o options, vdb *platform.Dataset) error
	// mask masks the VDB after the refresh job, or plans it, and fills in
	// res's masking evidence, masking job and masked snapshot.
	mask(ctx context.Context, o options, vdb *platform.Dataset, job platform.Job, res *Result) error
	// unmasked is --require-masked's refusal when nothing shows masking.
	unmasked(o options, job platform.Job) string
}

// maskedInRefresh is the engine: the refresh itself masks.
type maskedInRefresh struct{ s *cli.Session }

func (*maskedInRefresh) choose(context.Context, options, *platform.Dataset) error { return nil }

// mask reads the evidence the engine shows of the VDB after the refresh (in
// a plan: now, which is what a real run's refresh keeps), and the snapshot
// the refresh took of the masked data when the masking rule proves it.
func (m *maskedInRefresh) mask(ctx context.Context, o options, vdb *platform.Dataset, job platform.Job, res *Result) error {
	c := m.s.Client
	after, err := c.Databases.Get(ctx, vdb.Reference)
	if err != nil {
		return err
	}
	if res.MaskingEvidence, res.MaskingJob, err = stepkit.MaskingEvidence(ctx, c, after); err != nil {
		return err
	}
	if len(res.MaskingEvidence) > 0 && !job.Planned {
		res.MaskedSnapshot, err = maskedSnapshot(ctx, c, after)
	}
	return err
}

func (*maskedInRefresh) unmasked(o options, job platform.Job) string {
	return cameOut(o, job) + "without masking applied: the engine does not mark it masked, " +
		"and it has no configure-clone masking hook and no masking job; attach one before it is used"
}

// maskedSnapshot is the snapshot the refresh took of the VDB's new data
// (masking ran inside the refresh), when the masking rule proves it: the
// point data pods are to get.
func maskedSnapshot(ctx context.Context, c *delphix.Client, vdb *delphix.Database) (string, error) {
	snaps, err := c.Snapshots.List(ctx, vdb.Reference)
	if err != nil || len(snaps) == 0 || snaps[0].Timeflow != vdb.CurrentTimeflow {
		return "", err
	}
	_, why, err := stepkit.ProveMasked(ctx, c, vdb, &snaps[0])
	if err != nil || why != "" {
		return "", err
	}
	return snaps[0].Reference, nil
}

// maskedAfterRefresh is DCT: the VDB's compliance (masking) job runs after
// the refresh, then a snapshot of the masked data.
type maskedAfterRefresh struct {
	s   *cli.Session
	job *dct.ComplianceJob // the compliance job choose chose; nil: none
}

func (m *maskedAfterRefresh) choose(ctx context.Context, o options, vdb *platform.Dataset) error {
	var err error
	m.job, err = maskingJobDCT(ctx, m.s, o, vdb.DCT)
	return err
}

// mask runs the chosen compliance job on the VDB, then snapshots the masked
// data (in a plan: plans both), and reads DCT's masked flag.
func (m *maskedAfterRefresh) mask(ctx context.Context, o options, vdb *platform.Dataset, job platform.Job, res *Result) error {
	s, p := m.s, platform.Of(m.s)
	label := fmt.Sprintf("VDB %q", o.vdb)
	if m.job != nil {
		mask := m.job
		mwhat := fmt.Sprintf("masking job %q on VDB %q", mask.Name, o.vdb)
		mjob, err := p.Run(ctx, platform.JobSpec{What: mwhat, Label: label, Targets: []string{vdb.Reference}, BusyWait: busyWait,
			Action: cli.Action{Action: "run", Object: "compliance job", Name: mask.Name, Reference: mask.ID, Parameters: map[string]string{"on": vdb.Name}},
			DCT:    func() (*dct.Job, error) { return s.DCT.ComplianceJobs.Execute(ctx, mask.ID) }})
		if err != nil {
			return fmt.Errorf("VDB %q was refreshed (job %s) but NOT masked: %w", o.vdb, job.ID, err)
		}
		res.MaskingJob = mask.Name
		if mjob.Planned {
			res.MaskingEvidence = append(res.MaskingEvidence, fmt.Sprintf("compliance job %q runs after the refresh", mask.Name))
		} else {
			res.MaskingEvidence = append(res.MaskingEvidence, fmt.Sprintf("compliance job %q ran after the refresh and %s (job %s)", mask.Name, mjob.State, mjob.ID))
		}
		// The masking job changed the VDB in place, after the refresh's own snapshot: without a
		// snapshot now, a pod refreshed from this VDB's latest snapshot gets the unmasked data.
		swhat := fmt.Sprintf("snapshot of masked VDB %q", o.vdb)
		sjob, err := p.TakeSnapshot(ctx, vdb, platform.JobSpec{What: swhat, Label: label, Targets: []string{vdb.Reference}, BusyWait: busyWait,
			Action: cli.Action{Action: "snapshot", Object: "VDB", Name: vdb.Name, Reference: vdb.Reference}})
		if err != nil {
			return fmt.Errorf("VDB %q was refreshed and masked, but its masked data could not be snapshotted, so pods would get unmasked data: %w", o.vdb, err)
		}
		if !sjob.Planned {
			latest, err := p.LatestSnapshot(ctx, vdb.Reference)
			if err != nil {
				return err
			}
			if latest != nil {
				res.MaskedSnapshot = latest.Reference
				s.Log.Printf("masked data of VDB %q is snapshot %s", o.vdb, latest.Reference)
			}
		}
	}
	after, err := s.DCT.VDBs.Get(ctx, vdb.Reference)
	if err != nil {
		return err
	}
	if after.Masked {
		res.MaskingEvidence = append(res.MaskingEvidence, "DCT marks the VDB masked")
	}
	return nil
}

func (*maskedAfterRefresh) unmasked(o options, job platform.Job) string {
	return cameOut(o, job) + fmt.Sprintf("without masking applied: DCT does not mark it masked, "+
		"and no compliance job is configured for it; name one with --%s before it is used", maskingJob.Flag)
}

// cameOut starts --require-masked's refusal: the VDB came out of the
// refresh job, or in a plan would come out of the refresh.
func cameOut(o options, job platform.Job) string {
	if job.Planned {
		return fmt.Sprintf("VDB %q would come out of the refresh ", o.vdb)
	}
	return fmt.Sprintf("VDB %q came out of the refresh (job %s) ", o.vdb, job.ID)
}

// maskingJobDCT is the compliance job to run after the refresh: the one
// --masking-job names, else the one DCT relates to the VDB (its
// dataset_id), else none.
func maskingJobDCT(ctx context.Context, s *cli.Session, o options, vdb *dct.VDB) (*dct.ComplianceJob, error) {
	c := s.DCT
	if o.maskingJob != "" {
		j, err := c.ComplianceJobs.FindByName(ctx, o.maskingJob)
		if err != nil {
			return nil, err
		}
		if j.Type != "" && j.Type != "MASKING" && j.Type != "TOKENIZATION" {
			return nil, cli.Usagef("compliance job %q is a %s job, which does not mask: name a masking job with --%s", j.Name, j.Type, maskingJob.Flag)
		}
		return j, nil
	}
	all, err := c.ComplianceJobs.ForDataset(ctx, vdb.ID)
	if err != nil {
		return nil, err
	}
	var masking []dct.ComplianceJob
	for _, j := range all {
		if j.Type == "" || j.Type == "MASKING" {
			masking = append(masking, j)
		}
	}
	switch len(masking) {
	case 0:
		return nil, nil
	case 1:
		s.Log.Printf("compliance job %q masks VDB %q: it runs after the refresh", masking[0].Name, vdb.Name)
		return &masking[0], nil
	}
	return nil, cli.Usagef("%d masking jobs are configured for VDB %q: name the one to run with --%s", len(masking), vdb.Name, maskingJob.Flag)
}
