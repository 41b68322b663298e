package credentials

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/dxsteps/dxsteps/internal/cli"
	"github.com/dxsteps/dxsteps/internal/steps/stepkit"
)

// passwordSink keeps each generated password where the user said: their
// command (a vault), run once per password with it in DX_NEW_PASSWORD,
// and/or a file only its owner can read, rewritten after every account so
// none is lost on a failure.
type passwordSink struct {
	path, command, vdb string
	name               func(*cli.Key) string // how errors name a key
	lines              []string
}

// newPasswordSink keeps the passwords generated on vdb as o says.
func newPasswordSink(o options, vdb string) *passwordSink {
	return &passwordSink{path: o.passwordOut, command: o.passwordCmd, vdb: vdb, name: o.name}
}

// add keeps account's password (in a plan: plans it, and keeps nothing).
func (f *passwordSink) add(ctx context.Context, s *cli.Session, account, password string) error {
	keep := cli.Action{Action: "keep", Object: "generated password", Name: account, Parameters: map[string]string{}}
	if f.command != "" {
		keep.Parameters["command"] = program(f.command)
	}
	if f.path != "" {
		keep.Parameters["file"] = f.path
	}
	return s.Act(keep, func() error { return f.keep(ctx, s, account, password) })
}

func (f *passwordSink) keep(ctx context.Context, s *cli.Session, account, password string) error {
	if f.command != "" {
		env := stepkit.ToolEnv(s, "DX_ACCOUNT="+account, "DX_VDB="+f.vdb, "DX_NEW_PASSWORD="+password)
		code, err := stepkit.RunTool(ctx, s.Log, "password "+account, f.command, env)
		if err == nil && code != 0 {
			err = fmt.Errorf("the %s tool exited %d", f.name(passwordCmd), code)
		}
		if err != nil {
			return err
		}
	}
	if f.path == "" {
		return nil
	}
	f.lines = append(f.lines, fmt.Sprintf("%s: %q", account, password))
	tmp := f.path + ".tmp"
	if err := os.WriteFile(tmp, []byte(strings.Join(f.lines, "\n")+"\n"), 0o600); err != nil {
		return fmt.Errorf("write %s: %w", f.name(passwordOutput), err)
	}
	if err := os.Chmod(tmp, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, f.path)
}
