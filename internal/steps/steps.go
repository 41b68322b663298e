// Package steps lists the step binaries, in the order of a data pipeline:
// the generator of the Jenkins library's contract files walks this list.
package steps

import (
	"github.com/dxsteps/dxsteps/internal/cli"
	"github.com/dxsteps/dxsteps/internal/steps/bookmark"
	"github.com/dxsteps/dxsteps/internal/steps/branch"
	"github.com/dxsteps/dxsteps/internal/steps/credentials"
	"github.com/dxsteps/dxsteps/internal/steps/datapod"
	"github.com/dxsteps/dxsteps/internal/steps/dbsync"
	"github.com/dxsteps/dxsteps/internal/steps/refresh"
	"github.com/dxsteps/dxsteps/internal/steps/subset"
)

// All is every step binary.
var All = []*cli.Step{dbsync.Step, refresh.Step, credentials.Step, datapod.Step, subset.Step, bookmark.Step, branch.Step}
