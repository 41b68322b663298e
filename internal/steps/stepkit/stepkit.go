// Package stepkit holds what several steps do alike: finding objects by
// name, waiting for an object to be idle, connection details, and running
// the user's own tools.
package stepkit

import (
	"context"
	"fmt"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"github.com/dxsteps/dxsteps/delphix"
	"github.com/dxsteps/dxsteps/internal/cli"
)

// Connection is how the user's tools reach a dataset's database, as the
// engine gives it: a detail the engine does not give stays empty (Port 0).
type Connection struct {
	Platform, Host, Database, User, JDBC, Instance, Path, Version string
	Port                                                          int
}

// ConnectionOf returns the connection details of the data source backed
// by container (a VDB reference), or of the data layout (template or data
// pod) when layout is set. ok is false when the engine shows none.
func ConnectionOf(ctx context.Context, c *delphix.Client, layout, container string) (Connection, bool, error) {
	sources, err := c.DataSources.List(ctx, layout)
	if err != nil {
		return Connection{}, false, err
	}
	for _, ds := range sources {
		if layout != "" || ds.Container == container {
			rt := ds.Runtime
			port, _ := rt.PortNumber()
			return Connection{Platform: rt.Platform(), Host: rt.HostName(), Port: port, Database: rt.Database(),
				User: rt.User, JDBC: rt.JDBC(), Instance: rt.InstanceName, Path: rt.Path, Version: rt.Version}, rt.Type != "", nil
		}
	}
	return Connection{}, false, nil
}

// Env returns a DX_DB_* variable for each detail the engine gave. Any other
// is left out, never set empty or to 0, so a value from the agent's own
// environment (a user name the engine does not know) reaches the tool.
func (cn Connection) Env() []string {
	var env []string
	add := func(name, value string) {
		if value != "" {
			env = append(env, name+"="+value)
		}
	}
	add("DX_DB_PLATFORM", cn.Platform)
	add("DX_DB_HOST", cn.Host)
	if cn.Port > 0 {
		add("DX_DB_PORT", strconv.Itoa(cn.Port))
	}
	add("DX_DB_NAME", cn.Database)
	add("DX_DB_USER", cn.User)
	add("DX_DB_JDBC", cn.JDBC)
	add("DX_DB_INSTANCE", cn.Instance)
	add("DX_DB_PATH", cn.Path)
	add("DX_DB_VERSION", cn.Version)
	return env
}

// ToolEnv is the environment for a user's tool: the step's, minus the
// engine password and the DCT API key (the tool has no business with them),
// plus extra, which wins over anything of the same name (os/exec keeps the
// last value of a key).
func ToolEnv(s *cli.Session, extra ...string) []string {
	var env []string
	for _, kv := range s.Environ {
		if !strings.HasPrefix(kv, cli.PasswordEnv+"=") && !strings.HasPrefix(kv, cli.APIKeyEnv+"=") {
			env = append(env, kv)
		}
	}
	env = append(env, "DELPHIX_ENGINE="+s.BaseURL(), "DELPHIX_PLATFORM="+s.Platform())
	return append(env, extra...)
}

// RunTool runs command with sh -c, its output streamed into the log
// prefixed with label, and returns its exit code. Cancelling ctx stops the
// tool's whole process group.
func RunTool(ctx context.Context, log *cli.Log, label, command string, env []string) (int, error) {
	cmd := exec.Command("/bin/sh", "-c", command)
	cmd.Env = env
	out := log.Writer(label + ": ")
	cmd.Stdout, cmd.Stderr = out, out
	ownGroup(cmd)
	if err := cmd.Start(); err != nil {
		return -1, fmt.Errorf("cannot start %s: %w", label, err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var err error
	select {
	case err = <-done:
	case <-ctx.Done():
		stopGroup(cmd, false)
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			stopGroup(cmd, true)
			<-done
		}
		return -1, ctx.Err()
	}
	out.Flush()
	if err != nil {
		if exit, ok := err.(*exec.ExitError); ok {
			return exit.ExitCode(), nil
		}
		return -1, err
	}
	return 0, nil
}

// FindBookmark returns the one bookmark named name that the data pod can
// use: its own, or one on its template (shared ones included).
func FindBookmark(ctx context.Context, c *delphix.Client, pod *delphix.Container, name string) (*delphix.Bookmark, error) {
	all, err := c.Bookmarks.List(ctx, delphix.BookmarkListOptions{})
	if err != nil {
		return nil, err
	}
	var usable []delphix.Bookmark
	for _, b := range all {
		if b.Container == pod.Reference || b.Template == pod.Template {
			usable = append(usable, b)
		}
	}
	return delphix.FindByName("bookmark", name, usable, func(b *delphix.Bookmark) string { return b.Name }, func(b *delphix.Bookmark) string { return b.Reference })
}
