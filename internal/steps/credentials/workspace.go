package credentials

import (
	"errors"
	"os"
	"path/filepath"
	"strings"

	"github.com/dxsteps/dxsteps/internal/cli"
)

// workspaceEnv names the Jenkins workspace in the environment of every sh
// step (and so of a binary the library runs). Anyone with Workspace
// permission can browse it, so a generated password is never written there.
const workspaceEnv = "WORKSPACE"

// checkPasswordOutput refuses a --password-output file that would land in
// the Jenkins workspace. It resolves the file as the write will: relative
// to the current directory, through every symlink and "..", so neither a
// relative path, an absolute one nor a link into the workspace gets a
// password in. Outside Jenkins (no WORKSPACE) there is no workspace to
// protect and the file goes where the user says.
func checkPasswordOutput(in *cli.Input, path string) error {
	ws := in.Getenv(workspaceEnv)
	if path == "" || ws == "" {
		return nil
	}
	where, err := landsIn(path)
	if err != nil {
		return cli.Usagef("%s %s: %v; cannot make sure it is outside the Jenkins workspace: give %s COMMAND to keep generated passwords in your vault",
			in.Name(passwordOutput), path, err, in.Name(passwordCmd))
	}
	root := resolved(ws)
	for _, p := range where {
		if within(p, root) {
			return cli.Usagef("%s %s is inside the Jenkins workspace (%s), which anyone with Workspace permission can browse: "+
				"give %s COMMAND to keep generated passwords in your vault (or a FILE outside the workspace, such as $WORKSPACE_TMP/passwords.yaml)",
				in.Name(passwordOutput), path, ws, in.Name(passwordCmd))
		}
	}
	return nil
}

// landsIn returns the real paths a write to path touches: its directory
// (where the file and its temporary copy are made), with the file's name,
// and, when the name is already a symlink, wherever that leads (dangling
// or not).
func landsIn(path string) ([]string, error) {
	var where []string
	for hops := 0; hops < 40; hops++ {
		dir, base := ".", path
		if i := strings.LastIndexAny(path, `/`+string(os.PathSeparator)); i >= 0 {
			dir, base = path[:i], path[i+1:]
			if i == 0 {
				dir = string(os.PathSeparator)
			}
		}
		if base == "" || base == "." || base == ".." {
			return nil, errors.New("it names a directory, not a file")
		}
		if !filepath.IsAbs(dir) {
			// Not filepath.Join, which would clean "link/.." before the link is followed.
			wd, err := os.Getwd()
			if err != nil {
				return nil, err
			}
			dir = wd + string(os.PathSeparator) + dir
		}
		real, err := filepath.EvalSymlinks(dir)
		if err != nil {
			return nil, errors.New("its directory cannot be resolved (" + err.Error() + ")")
		}
		file := filepath.Join(real, base)
		where = append(where, file)
		target, err := os.Readlink(file)
		if err != nil {
			return where, nil // not a symlink (or not there yet)
		}
		if !filepath.IsAbs(target) {
			target = real + string(os.PathSeparator) + target
		}
		path = target
	}
	return nil, errors.New("too many symlinks")
}

// resolved is dir with its symlinks followed, or cleaned when it cannot be.
func resolved(dir string) string {
	if real, err := filepath.EvalSymlinks(dir); err == nil {
		return real
	}
	if abs, err := filepath.Abs(dir); err == nil {
		return abs
	}
	return filepath.Clean(dir)
}

// within says whether path is root or under it; ${root}@tmp, Jenkins'
// WORKSPACE_TMP, is beside the workspace, not in it.
func within(path, root string) bool {
	rel, err := filepath.Rel(root, path)
	if err != nil {
		return false
	}
	return rel == "." || (rel != ".." && !strings.HasPrefix(rel, ".."+string(os.PathSeparator)) && !filepath.IsAbs(rel))
}
