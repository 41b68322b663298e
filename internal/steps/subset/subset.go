// Package subset is dx-subset: run the subset step for a data pod, through
// the user's subsetter, or simulated (and said so) only when asked for.
package subset

import (
	"context"
	"fmt"
	"path"
	"strconv"
	"strings"

	"github.com/dxsteps/dxsteps/internal/cli"
	"github.com/dxsteps/dxsteps/internal/platform"
	"github.com/dxsteps/dxsteps/internal/steps/stepkit"
)

var (
	container = &cli.Key{Flag: "container", Type: cli.String, Mandatory: true, Usage: "data pod `NAME` (exact), e.g. 'prep1'; on DCT a VDB group, or a VDB"}
	template  = &cli.Key{Flag: "template", Type: cli.String, Usage: "data template `NAME` the pod belongs to (optional; on DCT the VDB group of its master)"}
	percent   = &cli.Key{Flag: "percent", Type: cli.Int, Mandatory: true, Min: 1, Max: 100, Usage: "keep `N` percent of the data (1-100)"}
	execKey   = &cli.Key{Flag: "exec", Type: cli.String, Usage: "subsetter `COMMAND` run with sh -c"}
	simulate  = &cli.Key{Flag: "simulate", Type: cli.Bool, Usage: "change nothing and report a simulated subset (instead of --exec)"}
)

// Step is the dx-subset binary.
var Step = &cli.Step{
	Name:      "dx-subset",
	Platforms: []string{cli.PlatformEngine, cli.PlatformDCT},
	Jenkins:   "delphixSubset",
	Usage:     "subset a data pod's data to a percentage",
	Description: `Runs your subsetter (--exec, with sh -c) against the data pod, with DX_CONTAINER,
DX_SUBSET_PERCENT and each connection detail the engine gives (DX_DB_PLATFORM, HOST, PORT, NAME,
USER, JDBC, INSTANCE, PATH, VERSION; one it does not give is unset) in its environment; its output is streamed
and a non-zero exit fails the step. --simulate instead changes nothing and the output says
"mode":"simulated"; one of the two is required, so a missing subsetter never passes for a subset.

On DCT (--platform dct) the pod is a VDB group (or a VDB) and DX_DB_* come from what DCT
shows of its (first) VDB: type, host (fqdn, else ip_address), the port in its JDBC URL,
database name, JDBC URL, instance, mount point and version; DCT shows no user.

With --dry-run it finds the pod and plans the subsetter's run without running it (its program's name,
never its arguments, is in the plan).

Example: dx-subset --container prep1 --percent 50 --exec ./my-subsetter.sh (your own tool; on the local engine: --exec dx-example-subset)`,
	Keys: []*cli.Key{container, template, percent, execKey, simulate, cli.DryRun},
	Rules: []cli.Rule{cli.ExactlyOne(execKey, simulate).Hint(
		"exec plugs in your subsetting tool (it gets DX_CONTAINER, DX_SUBSET_PERCENT and DX_DB_*); simulate changes nothing and says so")},
	Outputs: []cli.Output{{Value: Result{}}},
	Parse: func(in *cli.Input) (cli.Runner, error) {
		o := options{container: in.String(container), template: in.String(template), percent: in.Int(percent),
			exec: in.String(execKey), simulate: in.Bool(simulate)}
		return func(ctx context.Context, s *cli.Session) (any, error) { return run(ctx, s, o) }, nil
	},
}

type options struct {
	container, template, exec string
	percent                   int
	simulate                  bool
}

// Result is dx-subset's output.
type Result struct {
	Container string `json:"container"`
	Percent   int    `json:"percent"`
	Mode      string `json:"mode"` // exec or simulated
	// Tool is the subsetter's program (exec): the base name of the command's
	// first word after any VAR=value, e.g. "jailer-subset.sh".
	Tool string `json:"tool,omitempty"`
}

// toolName is the program a subsetter command runs, by its base name; the
// VAR=value words before it (which may hold secrets) are left out. A
// quoted first word ("/opt/my tools/subset") is read whole.
func toolName(command string) string {
	rest := strings.TrimSpace(command)
	for rest != "" {
		word := rest
		if q := rest[0]; q == '"' || q == '\'' {
			if end := strings.IndexByte(rest[1:], q); end >= 0 {
				word = rest[1 : end+1]
			}
			return path.Base(word)
		}
		if i := strings.IndexAny(rest, " \t\n"); i >= 0 {
			word = rest[:i]
		}
		rest = strings.TrimSpace(rest[len(word):])
		if k, _, ok := strings.Cut(word, "="); ok && k != "" && strings.Trim(k, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_") == "" {
			continue
		}
		return path.Base(word)
	}
	return ""
}

func run(ctx context.Context, s *cli.Session, o options) (any, error) {
	pod, err := platform.Pick[findPod](s, findEnginePod, findDCTPod)(ctx, s, o)
	if err != nil {
		return nil, err
	}
	res := Result{Container: pod.name, Percent: o.percent, Mode: "simulated"}
	if o.simulate {
		s.Log.Printf("--simulate: SIMULATED %d%% subset of %q, its data is unchanged", o.percent, pod.name)
		return res, nil
	}
	if !pod.connected {
		s.Log.Printf("warning: the engine shows no connection details for %q; DX_DB_* are empty", pod.name)
	}
	return subset(ctx, s, o, res, pod.conn)
}

// pod is the data pod to subset, and how the subsetter reaches its data.
type pod struct {
	name      string
	conn      stepkit.Connection
	connected bool // the platform shows connection details
}

// findPod finds the data pod --container names (of --template, when
// given): where the platforms differ, a Jet Stream container on the
// engine, a VDB group (or a VDB) on DCT.
type findPod func(ctx context.Context, s *cli.Session, o options) (pod, error)

func findEnginePod(ctx context.Context, s *cli.Session, o options) (pod, error) {
	tmplRef := ""
	if o.template != "" {
		tmpl, err := s.Client.Templates.FindByName(ctx, o.template)
		if err != nil {
			return pod{}, err
		}
		tmplRef = tmpl.Reference
	}
	c, err := s.Client.Containers.FindByName(ctx, tmplRef, o.container)
	if err != nil {
		return pod{}, err
	}
	p := pod{name: c.Name}
	if o.simulate {
		return p, nil
	}
	p.conn, p.connected, err = stepkit.ConnectionOf(ctx, s.Client, c.Reference, "")
	return p, err
}

// subset runs the subsetter on the pod with its connection details.
func subset(ctx context.Context, s *cli.Session, o options, res Result, conn stepkit.Connection) (any, error) {
	env := append(conn.Env(), "DX_CONTAINER="+res.Container, "DX_SUBSET_PERCENT="+strconv.Itoa(o.percent))
	if s.DryRun() {
		s.Plan(cli.Action{Action: "run", Object: "subsetter", Name: toolName(o.exec),
			Parameters: map[string]string{"container": res.Container, "percent": strconv.Itoa(o.percent)}})
		res.Mode, res.Tool = "exec", toolName(o.exec)
		return res, nil
	}
	s.Log.Printf("subsetting %q to %d%%", res.Container, o.percent)
	code, err := stepkit.RunTool(ctx, s.Log, "subset", o.exec, stepkit.ToolEnv(s, env...))
	if err != nil {
		return nil, err
	}
	if code != 0 {
		return nil, &cli.CheckError{Msg: fmt.Sprintf("the subsetter for %q exited %d; see its output above", res.Container, code)}
	}
	res.Mode, res.Tool = "exec", toolName(o.exec)
	return res, nil
}
