package stepkit

import (
	"context"
	"time"

	"github.com/dxsteps/dxsteps/dct"
	"github.com/dxsteps/dxsteps/internal/cli"
	"github.com/dxsteps/dxsteps/internal/platform"
)

// The DCT job helpers of the steps not yet on platform.Jobs: each is the
// platform package's function of the same name.

// Look finds what a start whose answer was lost made (dct.Look).
type Look = dct.Look

// WaitIdleDCT is platform.WaitIdleDCT for one target, waiting at most max.
func WaitIdleDCT(ctx context.Context, s *cli.Session, target, name string, max time.Duration) error {
	return platform.WaitIdleDCT(ctx, s, name, time.Now().Add(max), max, target)
}

// StartDCT is platform.StartDCT.
func StartDCT(ctx context.Context, s *cli.Session, target, what string, start func() (*dct.Job, error)) (*dct.Job, error) {
	return platform.StartDCT(ctx, s, target, what, start)
}

// NewJobOn is platform.NewJobOn.
func NewJobOn(ctx context.Context, s *cli.Session, targets ...string) Look {
	return platform.NewJobOn(ctx, s, targets...)
}

// FirstJobOn is platform.FirstJobOn.
func FirstJobOn(ctx context.Context, s *cli.Session, target string) (*dct.Job, error) {
	return platform.FirstJobOn(ctx, s, target)
}

// NewVDBNamed is platform.NewVDBNamed.
func NewVDBNamed(s *cli.Session, name string, match func(*dct.VDB) bool, id *string) Look {
	return platform.NewVDBNamed(s, name, match, id)
}

// StartDCTLooking is platform.StartDCTLooking.
func StartDCTLooking(ctx context.Context, s *cli.Session, what string, look Look, start func() (*dct.Job, error)) (*dct.Job, error) {
	return platform.StartDCTLooking(ctx, s, what, look, start)
}

// StartAfterAbandonedDCT is platform.StartAfterAbandonedDCT.
func StartAfterAbandonedDCT(ctx context.Context, s *cli.Session, name string, max time.Duration, targets []string,
	start func() (*dct.Job, error)) (*dct.Job, error) {
	return platform.StartAfterAbandonedDCT(ctx, s, name, max, targets, start)
}

// AbandonedJob is platform.AbandonedJob.
func AbandonedJob(ctx context.Context, s *cli.Session, targets ...string) *dct.Job {
	return platform.AbandonedJob(ctx, s, targets...)
}
