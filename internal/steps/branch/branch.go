// Package branch is dx-branch: create a branch on one's data pod from a
// bookmark and make it active, activate another branch, delete one, list them.
package branch

import (
	"context"
	"fmt"

	"github.com/dxsteps/dxsteps/delphix"
	"github.com/dxsteps/dxsteps/internal/cli"
	"github.com/dxsteps/dxsteps/internal/platform"
	"github.com/dxsteps/dxsteps/internal/steps/stepkit"
)

var (
	container    = &cli.Key{Flag: "container", Type: cli.String, Mandatory: true, Usage: "data pod `NAME` (exact), e.g. 'dev-pod'"}
	name         = &cli.Key{Flag: "name", Type: cli.String, NeededBy: []string{"create", "activate", "delete"}, Usage: "branch `NAME` (exact)"}
	fromBookmark = &cli.Key{Flag: "from-bookmark", Type: cli.String, NeededBy: []string{"create"}, Only: []string{"create"}, Usage: "bookmark `NAME` the new branch starts from"}
	mode         = &cli.Key{Flag: "mode", Type: cli.String, Only: []string{"create"}, Platforms: []string{cli.PlatformDCT},
		Usage: "on DCT, `MODE` copy (the default: a private VDB provisioned from the bookmark, owned by you) or in-place (the pod restored from it on a new timeflow)"}
)

// Step is the dx-branch binary.
var Step = &cli.Step{
	Name:       "dx-branch",
	Jenkins:    "delphixBranch",
	Usage:      "create, activate, delete and list the branches of a data pod",
	Operations: []string{"create", "activate", "delete", "list"},
	OperationUsage: map[string]string{
		"create":   "make a branch from a bookmark and activate it",
		"activate": "switch the pod to another branch",
		"delete":   "remove an inactive branch",
		"list":     "show the pod's branches and which is active",
	},
	Description: `create (the default) makes a branch named --name on the data pod from a bookmark you can see
(--from-bookmark: your own, or a shared one on the pod's template) and makes it active: the pod
then holds exactly the bookmarked data, once that data is proven masked (exit 1, nothing
changed, when it is not; --allow-unmasked skips the check). If the pod already has a branch of
that name, it is reused and activated. activate switches the pod to another branch (its default one is
"default" or "master"); delete removes an inactive branch; list shows the branches and which
is active.

On DCT (--platform dct) a branch is a private copy or a timeflow of the pod. create --mode copy
(the default) provisions a VDB "<pod>-<name>" from the bookmark, owned by you and tagged with the
pod; --mode in-place restores the pod from the bookmark, which starts a new timeflow named --name.
activate switches the pod to the timeflow named (after a snapshot, so the timeflow it leaves
keeps its data); delete deletes a private copy, or a timeflow that is not active, never the pod;
list shows the pod's timeflows and your private copies of it.

--dry-run checks the bookmark's masking and every refusal as a real run does (same exit code),
changes nothing, and lists in "plan" the jobs a real run would start, in order.

Example: dx-branch create --container dev-pod --name bug-1234 --from-bookmark "Bug 1234 data"`,
	Platforms: []string{cli.PlatformEngine, cli.PlatformDCT},
	Keys:      []*cli.Key{container, name, fromBookmark, mode, allowUnmasked, cli.DryRun},
	Outputs:   []cli.Output{{Operations: []string{"create", "activate", "delete"}, Value: Result{}}, {Operations: []string{"list"}, Value: ListResult{}}},
	Parse: func(in *cli.Input) (cli.Runner, error) {
		o := options{op: in.Op, container: in.String(container), name: in.String(name), bookmark: in.String(fromBookmark), mode: in.String(mode),
			allowUnmasked: in.Bool(allowUnmasked)}
		if o.mode != "" && o.mode != modeCopy && o.mode != modeInPlace {
			return nil, cli.Usagef("%s %q must be %s or %s", in.Name(mode), o.mode, modeCopy, modeInPlace)
		}
		return func(ctx context.Context, s *cli.Session) (any, error) { return run(ctx, s, o) }, nil
	},
}

type options struct {
	op, container, name, bookmark, mode string
	allowUnmasked                       bool
}

// allowUnmasked skips the check that the bookmark a branch starts from is proven masked.
var allowUnmasked = stepkit.AllowUnmaskedKey("create")

// Result is the output of create, activate and delete.
type Result struct {
	Container       string `json:"container"`
	Branch          string `json:"branch"`
	BranchReference string `json:"branchReference"`
	Active          bool   `json:"active"`
	Created         *bool  `json:"created,omitempty"`
	Deleted         bool   `json:"deleted,omitempty"`
	FromBookmark    string `json:"fromBookmark,omitempty"`
	Recovered       bool   `json:"recovered,omitempty"` // a start's answer was lost; the job was found and followed
	// Mode (DCT only) is copy for a private copy, in-place for a timeflow of the pod.
	Mode string `json:"mode,omitempty"`
	// Copy (DCT only) is the private copy's VDB name; BranchReference is its id.
	Copy string `json:"copy,omitempty"`
}

// ListResult is the output of list.
type ListResult struct {
	Container string   `json:"container"`
	Branches  []Result `json:"branches"`
}

// pod is a data pod and its branches on one platform: self-service branches
// on the engine; on DCT the timeflows of the pod's VDB and the caller's
// private copies of it.
type pod interface {
	// branches lists the pod's branches, the engine's in its order, DCT's
	// timeflows oldest first then the copies.
	branches(ctx context.Context) ([]branch, error)
	// start resolves the bookmark named name that a branch of the pod can
	// start from and, when prove, says why its data is not proven masked.
	start(ctx context.Context, name string, prove bool) (start, error)
	// create makes the branch named name from st, active on the pod (a
	// copy: enabled) once it ends, in mode (DCT; "": the default).
	create(ctx context.Context, s *cli.Session, name, mode string, st start, label string) (branch, error)
	// activate makes b, a branch of the pod itself, the active one.
	activate(ctx context.Context, s *cli.Session, b branch, label string) error
	// remove deletes b, which is not the pod's active branch.
	remove(ctx context.Context, s *cli.Session, b branch, label string) error
}

// findPod resolves --container on the session's platform.
func findPod(ctx context.Context, s *cli.Session, name string) (pod, error) {
	return platform.Pick(s, findEnginePod, findDCTPod)(ctx, s, name)
}

// branch is one branch of a pod.
type branch struct {
	name   string
	ref    string // the engine's branch, DCT's timeflow id or the copy's VDB id
	active bool
	mode   string // DCT: modeCopy or modeInPlace; "" on the engine
	copy   string // DCT: the private copy's VDB name
}

func (b branch) result(pod string) Result {
	return Result{Container: pod, Branch: b.name, BranchReference: b.ref, Active: b.active, Mode: b.mode, Copy: b.copy}
}

// start is the bookmark a new branch starts from.
type start struct {
	name, ref string
	vdbs      int    // DCT: how many VDBs it holds
	why       string // why its data is not proven masked; "" proven or not asked
}

func run(ctx context.Context, s *cli.Session, o options) (any, error) {
	p, err := findPod(ctx, s, o.container)
	if err != nil {
		return nil, err
	}
	branches, err := p.branches(ctx)
	if err != nil {
		return nil, err
	}
	if o.op == "list" {
		out := ListResult{Container: o.container, Branches: []Result{}}
		for _, b := range branches {
			out.Branches = append(out.Branches, b.result(o.container))
		}
		return out, nil
	}
	label := fmt.Sprintf("branch %q of data pod %q", o.name, o.container)
	kind := fmt.Sprintf("branch of data pod %q", o.container)
	b, findErr := delphix.FindByName(kind, o.name, branches, func(b *branch) string { return b.name }, func(b *branch) string { return b.ref })
	switch {
	case o.op == "create" && findErr != nil:
		return create(ctx, s, p, o, label)
	case findErr != nil:
		return nil, findErr
	case o.op == "delete" && b.active && b.copy == "":
		return nil, cli.Usagef("%s is active: activate another branch first", label)
	case o.op == "delete":
		if err := p.remove(ctx, s, *b, label); err != nil {
			return nil, err
		}
		res := b.result(o.container)
		res.Active, res.Deleted, res.Recovered = false, true, s.Recovered()
		return res, nil
	case o.op == "create" && b.mode != "" && b.mode != orCopy(o.mode):
		return nil, cli.Usagef("%s exists as %s: create it with --mode %s, or choose another name", label, describe(*b), b.mode)
	case o.op == "create" && b.copy != "":
		s.Log.Printf("%s already exists as the private copy %q; reusing it", label, b.copy)
		res := b.result(o.container)
		res.Created = new(bool)
		return res, nil
	case b.copy != "":
		return nil, cli.Usagef("%s is the private copy %q, a VDB of its own: use it directly; activate switches the pod between its timeflows", label, b.copy)
	}
	res := b.result(o.container)
	if o.op == "create" {
		res.Created = new(bool)
		s.Log.Printf("%s already exists; activating it", label)
	}
	if !b.active {
		if err := p.activate(ctx, s, *b, label); err != nil {
			return nil, err
		}
	}
	res.Active, res.Recovered = true, s.Recovered()
	return res, nil
}

// create makes the branch from the bookmark once its data is proven masked.
func create(ctx context.Context, s *cli.Session, p pod, o options, label string) (any, error) {
	st, err := p.start(ctx, o.bookmark, !o.allowUnmasked)
	if err != nil {
		return nil, err
	}
	if st.why != "" {
		return nil, stepkit.NotMasked(fmt.Sprintf("data pod %q", o.container), fmt.Sprintf("bookmark %q", st.name), st.why)
	}
	b, err := p.create(ctx, s, o.name, o.mode, st, label)
	if err != nil {
		return nil, err
	}
	created := true
	res := b.result(o.container)
	res.Active, res.Created, res.FromBookmark, res.Recovered = true, &created, st.name, s.Recovered()
	return res, nil
}

func describe(b branch) string {
	if b.copy != "" {
		return fmt.Sprintf("the private copy %q", b.copy)
	}
	return "a timeflow of the pod"
}
