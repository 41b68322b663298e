// Package branch is dx-branch: create a branch on one's data pod from a
// bookmark and make it active, activate another branch, delete one, list them.
package branch

import (
	"context"
	"fmt"

	"github.com/dxsteps/dxsteps/delphix"
	"github.com/dxsteps/dxsteps/internal/cli"
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

Example: dx-branch create --container dev-pod --name bug-1234 --from-bookmark "Bug 1234 data"`,
	Platforms: []string{cli.PlatformEngine, cli.PlatformDCT},
	Keys:      []*cli.Key{container, name, fromBookmark, mode, allowUnmasked},
	Outputs:   []cli.Output{{Operations: []string{"create", "activate", "delete"}, Value: Result{}}, {Operations: []string{"list"}, Value: ListResult{}}},
	Parse: func(in *cli.Input) (cli.Runner, error) {
		o := options{op: in.Op, container: in.String(container), name: in.String(name), bookmark: in.String(fromBookmark), mode: in.String(mode),
			allowUnmasked: in.Bool(allowUnmasked)}
		if o.mode != "" && o.mode != modeCopy && o.mode != modeInPlace {
			return nil, cli.Usagef("%s %q must be %s or %s", in.Name(mode), o.mode, modeCopy, modeInPlace)
		}
		return func(ctx context.Context, s *cli.Session) (any, error) {
			if s.DCT != nil {
				return runDCT(ctx, s, o)
			}
			return run(ctx, s, o)
		}, nil
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

func run(ctx context.Context, s *cli.Session, o options) (any, error) {
	c := s.Client
	pod, err := c.Containers.FindByName(ctx, "", o.container)
	if err != nil {
		return nil, err
	}
	branches, err := c.Branches.List(ctx, pod.Reference)
	if err != nil {
		return nil, err
	}
	if o.op == "list" {
		out := ListResult{Container: pod.Name, Branches: []Result{}}
		for _, b := range branches {
			out.Branches = append(out.Branches, Result{Container: pod.Name, Branch: b.Name, BranchReference: b.Reference, Active: b.Reference == pod.ActiveBranch})
		}
		return out, nil
	}
	kind := fmt.Sprintf("branch of data pod %q", pod.Name)
	b, findErr := delphix.FindByName(kind, o.name, branches, func(b *delphix.Branch) string { return b.Name }, func(b *delphix.Branch) string { return b.Reference })
	label := fmt.Sprintf("branch %q of data pod %q", o.name, pod.Name)
	res := Result{Container: pod.Name, Branch: o.name}
	switch {
	case o.op == "create" && findErr != nil:
		bm, err := stepkit.FindBookmark(ctx, c, pod, o.bookmark)
		if err != nil {
			return nil, err
		}
		if !o.allowUnmasked {
			if _, why, err := stepkit.ProveBookmark(ctx, c, bm); err != nil || why != "" {
				return nil, unproven(err, pod.Name, bm.Name, why)
			}
		}
		what := fmt.Sprintf("creation of %s from bookmark %q", label, o.bookmark)
		op, err := s.Do(ctx, what, func() (delphix.Operation, error) { return c.Branches.Create(ctx, o.name, pod.Reference, bm.Reference) })
		if err != nil {
			return nil, err
		}
		created := true
		res.Created, res.BranchReference, res.FromBookmark = &created, op.Reference, bm.Name
	case findErr != nil:
		return nil, findErr
	case o.op == "delete":
		if b.Reference == pod.ActiveBranch {
			return nil, cli.Usagef("%s is active: activate another branch first", label)
		}
		if _, err := s.Do(ctx, "deletion of "+label, func() (delphix.Operation, error) { return c.Branches.Delete(ctx, b.Reference) }); err != nil {
			return nil, err
		}
		res.BranchReference, res.Deleted, res.Recovered = b.Reference, true, s.Recovered()
		return res, nil
	default:
		res.BranchReference = b.Reference
		if o.op == "create" {
			created := false
			res.Created = &created
			s.Log.Printf("%s already exists; activating it", label)
		}
	}
	return activate(ctx, s, pod.Reference, res, label)
}

func activate(ctx context.Context, s *cli.Session, podRef string, res Result, label string) (any, error) {
	pod, err := s.Client.Containers.Get(ctx, podRef)
	if err != nil {
		return nil, err
	}
	if pod.ActiveBranch != res.BranchReference {
		if _, err := s.Do(ctx, "activation of "+label, func() (delphix.Operation, error) {
			return s.Client.Branches.Activate(ctx, res.BranchReference)
		}); err != nil {
			return nil, err
		}
	}
	res.Active, res.Recovered = true, s.Recovered()
	return res, nil
}

// unproven is err, else the refusal of a bookmark not proven masked.
func unproven(err error, pod, bookmark, why string) error {
	if err != nil {
		return err
	}
	return stepkit.NotMasked(fmt.Sprintf("data pod %q", pod), fmt.Sprintf("bookmark %q", bookmark), why)
}
