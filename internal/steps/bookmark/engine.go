package bookmark

import (
	"cmp"
	"context"
	"fmt"
	"time"

	"github.com/dxsteps/dxsteps/delphix"
	"github.com/dxsteps/dxsteps/internal/cli"
	"github.com/dxsteps/dxsteps/internal/platform"
	"github.com/dxsteps/dxsteps/internal/steps/stepkit"
)

// engineStore is the engine's self-service bookmarks (store): a data pod
// is a data container, a template a data template; a bookmark is made on
// its active branch.
type engineStore struct {
	s *cli.Session
	l *layout // what load resolved; nil: no --container nor --template
}

func describe(b *delphix.Bookmark) Result {
	prov, tags := engineProvenance(b.Description, b.Tags)
	return Result{Bookmark: b.Name, BookmarkReference: b.Reference, Container: b.ContainerName, Template: b.TemplateName,
		Branch: b.Branch, Shared: b.Shared, Tags: tags, Timestamp: b.Timestamp, Expiration: b.Expiration, CreationTime: b.CreationTime,
		Provenance: prov}
}

// layout is the data pod or template a bookmark belongs to.
type layout struct {
	kind, name, ref, branch string
	template                string // a data pod's template reference
	filter                  delphix.BookmarkListOptions
}

func findLayout(ctx context.Context, c *delphix.Client, o options) (*layout, error) {
	var tmplRef string
	if o.template != "" {
		t, err := c.Templates.FindByName(ctx, o.template)
		if err != nil {
			return nil, err
		}
		if o.container == "" {
			return &layout{kind: "template", name: t.Name, ref: t.Reference, branch: t.ActiveBranch,
				filter: delphix.BookmarkListOptions{Template: t.Reference}}, nil
		}
		tmplRef = t.Reference
	}
	if o.container == "" {
		return nil, nil
	}
	pod, err := c.Containers.FindByName(ctx, tmplRef, o.container)
	if err != nil {
		return nil, err
	}
	return &layout{kind: "data pod", name: pod.Name, ref: pod.Reference, branch: pod.ActiveBranch, template: pod.Template,
		filter: delphix.BookmarkListOptions{Container: pod.Reference}}, nil
}

// onLayout keeps the bookmarks made on l itself (a template's list also
// holds its pods' bookmarks).
func onLayout(bs []delphix.Bookmark, l *layout) []delphix.Bookmark {
	if l == nil {
		return bs
	}
	var out []delphix.Bookmark
	for _, b := range bs {
		if (l.filter.Container != "" && b.Container == l.ref) || (l.filter.Template != "" && b.Container == "") {
			out = append(out, b)
		}
	}
	return out
}

func (e *engineStore) load(ctx context.Context, o options) (*place, []mark, error) {
	c := e.s.Client
	l, err := findLayout(ctx, c, o)
	if err != nil {
		return nil, nil, err
	}
	var filter delphix.BookmarkListOptions
	var where *place
	if l != nil {
		filter, where = l.filter, &place{kind: l.kind, name: l.name}
	}
	e.l = l
	all, err := c.Bookmarks.List(ctx, filter)
	if err != nil {
		return nil, nil, err
	}
	var ms []mark
	for _, b := range onLayout(all, l) {
		created, _ := time.Parse(time.RFC3339Nano, b.CreationTime)
		ms = append(ms, mark{res: describe(&b), id: b.Reference, layout: cmp.Or(b.Container, b.Template), created: created})
	}
	return where, ms, nil
}

// publishes applies the engine's rule (stepkit.ProveBranchData) to the
// layout's current data, or to bookmark b's point.
func (e *engineStore) publishes(ctx context.Context, b *mark) ([]string, string, error) {
	if b != nil {
		return stepkit.ProveBranchData(ctx, e.s.Client, b.res.Branch, b.res.Timestamp)
	}
	return stepkit.ProveBranchData(ctx, e.s.Client, e.l.branch, "")
}

// create bookmarks the latest data of the layout's active branch; the
// operation's reference is the new bookmark.
func (e *engineStore) create(ctx context.Context, o options, _ *string) platform.JobSpec {
	return platform.JobSpec{Engine: func() (delphix.Operation, error) {
		return e.s.Client.Bookmarks.Create(ctx, delphix.BookmarkCreate{Name: o.name, Layout: e.l.ref, Branch: e.l.branch, Tags: o.tags,
			Shared: o.shared, Expiration: o.expires, Description: o.provenance.description()})
	}}
}

func (e *engineStore) change(ctx context.Context, op string, b mark) platform.JobSpec {
	c := e.s.Client
	return platform.JobSpec{Engine: func() (delphix.Operation, error) {
		switch op {
		case "unshare":
			return c.Bookmarks.Unshare(ctx, b.id)
		case "delete":
			return c.Bookmarks.Delete(ctx, b.id)
		}
		return c.Bookmarks.Share(ctx, b.id)
	}}
}

func (e *engineStore) get(ctx context.Context, ref string) (Result, error) {
	b, err := e.s.Client.Bookmarks.Get(ctx, ref)
	if err != nil {
		return Result{}, err
	}
	return describe(b), nil
}

// planned is the bookmark create would make: its name, tags, provenance
// and sharing as create sends them, on the layout's pod and template.
func (e *engineStore) planned(ctx context.Context, o options) (Result, error) {
	prov, tags := engineProvenance(o.provenance.description(), o.tags)
	r := Result{Bookmark: o.name, Branch: e.l.branch, Shared: o.shared, Tags: tags, Provenance: prov}
	if !o.expires.IsZero() {
		r.Expiration = o.expires.UTC().Format("2006-01-02T15:04:05.000Z")
	}
	if e.l.kind == "template" {
		r.Template = e.l.name
		return r, nil
	}
	r.Container = e.l.name
	if e.l.template != "" {
		t, err := e.s.Client.Templates.Get(ctx, e.l.template)
		if err != nil {
			return Result{}, err
		}
		r.Template = t.Name
	}
	return r, nil
}

// dependents maps a bookmark reference to what depends on it: the
// branches created from it that still exist, and the data pods whose active
// branch's latest data came from it (the engine's operation log,
// JSOperation.dataParent, says both).
func (e *engineStore) dependents(ctx context.Context, _ []mark) (map[string][]string, error) {
	c := e.s.Client
	pods, err := c.Containers.List(ctx, "")
	if err != nil {
		return nil, err
	}
	deps := map[string][]string{}
	for _, pod := range pods {
		branches, err := c.Branches.List(ctx, pod.Reference)
		if err != nil {
			return nil, err
		}
		names := map[string]string{}
		for _, b := range branches {
			names[b.Reference] = b.Name
		}
		ops, err := c.Operations.List(ctx, pod.Reference)
		if err != nil {
			return nil, err
		}
		current := false // the newest data operation on the active branch is seen
		for _, op := range ops {
			from := ""
			if op.DataParent != nil {
				from = op.DataParent.Bookmark
			}
			if op.Branch == pod.ActiveBranch && dataOperations[op.Operation] && !current {
				current = true
				if from != "" {
					deps[from] = append(deps[from], fmt.Sprintf("data pod %q holds its data (%s)", pod.Name, op.Operation))
					continue
				}
			}
			if op.Operation == "CREATE_BRANCH" && from != "" && names[op.Branch] != "" {
				deps[from] = append(deps[from], fmt.Sprintf("branch %q of data pod %q was created from it", names[op.Branch], pod.Name))
			}
		}
	}
	return deps, nil
}

// dataOperations are the operations that change a branch's data.
var dataOperations = map[string]bool{"REFRESH": true, "RESET": true, "RESTORE": true, "CREATE_BRANCH": true, "UNDO": true}
