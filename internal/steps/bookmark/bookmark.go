// Package bookmark is dx-bookmark: bookmark a data pod's or template's
// latest data (without duplicating on rerun), share, unshare, delete and
// list bookmarks.
package bookmark

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/dxsteps/dxsteps/delphix"
	"github.com/dxsteps/dxsteps/internal/cli"
)

var (
	container = &cli.Key{Flag: "container", Type: cli.String, Usage: "data pod `NAME` (exact), e.g. 'prep1'"}
	template  = &cli.Key{Flag: "template", Type: cli.String, Usage: "data template `NAME` (exact), e.g. 'Patients'"}
	name      = &cli.Key{Flag: "name", Type: cli.String, NeededBy: []string{"create", "share", "unshare", "delete"}, Usage: "bookmark `NAME` (exact; for list, part of the name)"}
	tags      = &cli.Key{Flag: "tag", Name: "tags", Type: cli.List, Only: []string{"create", "list"}, Usage: "`TAG` of the new bookmark (for list: bookmarks with all these tags), repeatable or comma-separated"}
	shared    = &cli.Key{Flag: "shared", Type: cli.Bool, Only: []string{"create"}, Usage: "share the new bookmark with other users"}
)

// Step is the dx-bookmark binary.
var Step = &cli.Step{
	Name:       "dx-bookmark",
	Jenkins:    "delphixBookmark",
	Usage:      "bookmark a data pod or template, and manage bookmarks",
	Operations: []string{"create", "share", "unshare", "delete", "list"},
	Description: `create (the default) bookmarks the latest data of a data pod's active branch (--container) or
of a template (--template), with --name, --tag and --shared. A bookmark of that name already
on that pod or template is reused: the output says "created": false. list shows the
bookmarks you can see (your own and shared ones), filtered by --container, --template,
--tag (all must match) and --name (part of the name).

Example: dx-bookmark create --container prep1 --name "2019-03-14 101502 50" --tag "2019-03-14 101502" --tag 50% --shared`,
	Keys:  []*cli.Key{container, template, name, tags, shared},
	Rules: []cli.Rule{cli.OneOf([]string{"create"}, container, template)},
	Outputs: []cli.Output{{Operations: []string{"create", "share", "unshare", "delete"}, Value: Result{}},
		{Operations: []string{"list"}, Value: ListResult{}}},
	Parse: func(in *cli.Input) (cli.Runner, error) {
		o := options{op: in.Op, container: in.String(container), template: in.String(template), name: in.String(name),
			tags: in.List(tags), shared: in.Bool(shared)}
		return func(ctx context.Context, s *cli.Session) (any, error) { return run(ctx, s, o) }, nil
	},
}

type options struct {
	op, container, template, name string
	tags                          []string
	shared                        bool
}

// Result describes one bookmark.
type Result struct {
	Bookmark          string   `json:"bookmark"`
	BookmarkReference string   `json:"bookmarkReference"`
	Container         string   `json:"container,omitempty"`
	Template          string   `json:"template"`
	Branch            string   `json:"branch"`
	Shared            bool     `json:"shared"`
	Tags              []string `json:"tags"`
	Timestamp         string   `json:"timestamp"`
	Created           *bool    `json:"created,omitempty"`
	Recovered         bool     `json:"recovered,omitempty"` // the create's answer was lost; the bookmark was found and followed
	Deleted           bool     `json:"deleted,omitempty"`
}

// ListResult is the output of list.
type ListResult struct {
	Bookmarks []Result `json:"bookmarks"`
}

func describe(b *delphix.Bookmark) Result {
	tags := b.Tags
	if tags == nil {
		tags = []string{}
	}
	return Result{Bookmark: b.Name, BookmarkReference: b.Reference, Container: b.ContainerName, Template: b.TemplateName,
		Branch: b.Branch, Shared: b.Shared, Tags: tags, Timestamp: b.Timestamp}
}

// layout is the data pod or template a bookmark belongs to.
type layout struct {
	kind, name, ref, branch string
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
	return &layout{kind: "data pod", name: pod.Name, ref: pod.Reference, branch: pod.ActiveBranch,
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

func run(ctx context.Context, s *cli.Session, o options) (any, error) {
	c := s.Client
	l, err := findLayout(ctx, c, o)
	if err != nil {
		return nil, err
	}
	var filter delphix.BookmarkListOptions
	if l != nil {
		filter = l.filter
	}
	all, err := c.Bookmarks.List(ctx, filter)
	if err != nil {
		return nil, err
	}
	mine := onLayout(all, l)
	if o.op == "list" {
		return list(mine, o), nil
	}
	kind := "bookmark"
	if l != nil {
		kind = fmt.Sprintf("bookmark on %s %q", l.kind, l.name)
	}
	b, err := delphix.FindByName(kind, o.name, mine, func(b *delphix.Bookmark) string { return b.Name }, func(b *delphix.Bookmark) string { return b.Reference })
	var miss *delphix.NameError
	if errors.As(err, &miss) && len(miss.Matches) == 0 {
		if o.op == "create" {
			return create(ctx, s, o, l)
		}
		return nil, cli.Usagef("%v; dx-bookmark list shows the ones you can see", err)
	}
	if err != nil {
		return nil, err
	}
	return change(ctx, s, o, b)
}

func list(bs []delphix.Bookmark, o options) ListResult {
	out := ListResult{Bookmarks: []Result{}}
	for i := range bs {
		b := &bs[i]
		if o.name != "" && !strings.Contains(b.Name, o.name) {
			continue
		}
		if !hasAll(b.Tags, o.tags) {
			continue
		}
		out.Bookmarks = append(out.Bookmarks, describe(b))
	}
	return out
}

func hasAll(have, want []string) bool {
	for _, t := range want {
		if !slices.Contains(have, t) {
			return false
		}
	}
	return true
}

func create(ctx context.Context, s *cli.Session, o options, l *layout) (any, error) {
	c := s.Client
	what := fmt.Sprintf("bookmark %q on %s %q", o.name, l.kind, l.name)
	op, err := s.Do(ctx, what, func() (delphix.Operation, error) {
		return c.Bookmarks.Create(ctx, delphix.BookmarkCreate{Name: o.name, Layout: l.ref, Branch: l.branch, Tags: o.tags, Shared: o.shared})
	})
	if err != nil {
		return nil, err
	}
	b, err := c.Bookmarks.Get(ctx, op.Reference)
	if err != nil {
		return nil, err
	}
	res := describe(b)
	created := true
	res.Created, res.Recovered = &created, s.Recovered()
	return res, nil
}

// change shares, unshares or deletes b; for create it is the existing
// bookmark, reused, and shared when --shared asks for it.
func change(ctx context.Context, s *cli.Session, o options, b *delphix.Bookmark) (any, error) {
	c := s.Client
	op := o.op
	if op == "create" {
		s.Log.Printf("bookmark %q already exists (%s); reusing it", b.Name, b.Reference)
		if !slices.Equal(b.Tags, o.tags) && len(o.tags) > 0 {
			s.Log.Printf("note: its tags %q differ from --tag %q and were left as they are", b.Tags, o.tags)
		}
		if !o.shared || b.Shared {
			res := describe(b)
			created := false
			res.Created = &created
			return res, nil
		}
		op = "share"
	}
	if _, err := s.Do(ctx, fmt.Sprintf("%s of bookmark %q", op, b.Name), func() (delphix.Operation, error) {
		switch op {
		case "unshare":
			return c.Bookmarks.Unshare(ctx, b.Reference)
		case "delete":
			return c.Bookmarks.Delete(ctx, b.Reference)
		}
		return c.Bookmarks.Share(ctx, b.Reference)
	}); err != nil {
		return nil, err
	}
	if o.op == "delete" {
		res := describe(b)
		res.Deleted = true
		return res, nil
	}
	after, err := c.Bookmarks.Get(ctx, b.Reference)
	if err != nil {
		return nil, err
	}
	res := describe(after)
	if o.op == "create" {
		created := false
		res.Created = &created
	}
	return res, nil
}
