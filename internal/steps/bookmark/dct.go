package bookmark

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/dxsteps/dxsteps/dct"
	"github.com/dxsteps/dxsteps/internal/cli"
	"github.com/dxsteps/dxsteps/internal/steps/stepkit"
)

// On DCT a data pod is a VDB group (or a VDB when no group has its name), a
// template the VDB group of its master VDB(s). Tags: "key=value" is the DCT
// tag {key, value}; a plain tag, "50%", is {"tag", "50%"} (DCT tags need a
// non-empty key and value), and they read back the same way.

// dctLayout is the VDB group or VDB a bookmark is on.
type dctLayout struct {
	kind, name    string // "data pod" or "template"
	group, vdb    string // exactly one id is set
	template      bool
	bookmarkQuery dct.BookmarkQuery
}

func findDCTLayout(ctx context.Context, c *dct.Client, o options) (*dctLayout, error) {
	name, kind := o.container, "data pod"
	if name == "" {
		name, kind = o.template, "template"
	}
	if name == "" {
		return nil, nil
	}
	g, err := c.VDBGroups.FindByName(ctx, name)
	if err == nil {
		return &dctLayout{kind: kind, name: g.Name, group: g.ID, template: kind == "template",
			bookmarkQuery: dct.BookmarkQuery{VDBGroupID: g.ID}}, nil
	}
	var miss *dct.NameError
	if kind == "template" || !errors.As(err, &miss) || len(miss.Matches) > 0 {
		return nil, err
	}
	v, verr := c.VDBs.FindByName(ctx, name)
	if verr != nil {
		return nil, fmt.Errorf("no VDB group or VDB is named %q: %w", name, verr)
	}
	return &dctLayout{kind: kind, name: v.Name, vdb: v.ID, bookmarkQuery: dct.BookmarkQuery{VDBID: v.ID}}, nil
}

// on says whether b was made on l itself (a VDB's list also holds the
// bookmarks of groups that contain it).
func (l *dctLayout) on(b *dct.Bookmark) bool {
	if l == nil {
		return true
	}
	if l.group != "" {
		return b.VDBGroupID == l.group
	}
	return b.VDBGroupID == "" && len(b.VDBIDs) == 1 && b.VDBIDs[0] == l.vdb
}

func dctTags(tags []string) []dct.Tag {
	var out []dct.Tag
	for _, t := range tags {
		if k, v, ok := strings.Cut(t, "="); ok && k != "" && v != "" {
			out = append(out, dct.Tag{Key: k, Value: v})
		} else {
			out = append(out, dct.Tag{Key: "tag", Value: t})
		}
	}
	return out
}

func plainTags(tags []dct.Tag) []string {
	out := []string{}
	for _, t := range tags {
		switch {
		case t.Key == "tag":
			out = append(out, t.Value)
		case t.Value == "":
			out = append(out, t.Key)
		default:
			out = append(out, t.Key+"="+t.Value)
		}
	}
	return out
}

// describeDCT is the step's Result for a DCT bookmark; l, when known, says
// whether its group stands for a template.
func describeDCT(b *dct.Bookmark, l *dctLayout) Result {
	r := Result{Bookmark: b.Name, BookmarkReference: b.ID, Branch: b.TimeflowID, Shared: b.BookmarkType == dct.BookmarkPublic,
		Tags: plainTags(b.Tags), Timestamp: b.DataTimestamp, Expiration: b.Expiration, CreationTime: b.CreationDate}
	switch {
	case l != nil && l.template:
		r.Template = l.name
	case b.VDBGroupName != "":
		r.Container = b.VDBGroupName
	case len(b.VDBs) > 0:
		r.Container = b.VDBs[0].Name
	}
	return r
}

func runDCT(ctx context.Context, s *cli.Session, o options) (any, error) {
	c := s.DCT
	l, err := findDCTLayout(ctx, c, o)
	if err != nil {
		return nil, err
	}
	q := dct.BookmarkQuery{}
	if l != nil {
		q = l.bookmarkQuery
	}
	if o.op != "list" && o.op != "prune" {
		q.Name = o.name
	}
	found, err := c.Bookmarks.Find(ctx, q)
	if err != nil {
		return nil, err
	}
	var mine []dct.Bookmark
	for i := range found {
		if l.on(&found[i]) {
			mine = append(mine, found[i])
		}
	}
	switch o.op {
	case "list":
		out := ListResult{Bookmarks: []Result{}}
		for i := range mine {
			r := describeDCT(&mine[i], l)
			if strings.Contains(r.Bookmark, o.name) && hasAll(r.Tags, o.tags) {
				out.Bookmarks = append(out.Bookmarks, r)
			}
		}
		return out, nil
	case "prune":
		return pruneDCT(ctx, s, o, l, mine)
	}
	kind := "bookmark"
	if l != nil {
		kind = fmt.Sprintf("bookmark on %s %q", l.kind, l.name)
	}
	switch {
	case len(mine) == 0 && o.op == "create":
		return createDCT(ctx, s, o, l)
	case len(mine) == 0:
		return nil, cli.Usagef("no %s is named %q; dx-bookmark list shows the ones you can see", kind, o.name)
	case len(mine) > 1:
		ids := make([]string, len(mine))
		for i, b := range mine {
			ids[i] = b.ID
		}
		return nil, cli.Usagef("%d %ss are named %q (%s): name the data pod or template, or rename one", len(mine), kind, o.name, strings.Join(ids, ", "))
	}
	return changeDCT(ctx, s, o, l, &mine[0])
}

func createDCT(ctx context.Context, s *cli.Session, o options, l *dctLayout) (any, error) {
	c := s.DCT
	p := dct.BookmarkCreate{Name: o.name, VDBGroupID: l.group, Type: dct.BookmarkPrivate, Tags: dctTags(o.tags),
		Expiration: o.expires, RetainForever: o.forever}
	if l.vdb != "" {
		p.VDBIDs = []string{l.vdb}
	}
	if o.shared {
		p.Type = dct.BookmarkPublic
	}
	var id string
	// No bookmark of that name was on the pod before the start: the one
	// there after a lost answer is the one it made; its job, if DCT shows
	// one on it, is followed.
	look := func(ctx context.Context) (*dct.Job, bool, error) {
		q := l.bookmarkQuery
		q.Name = o.name
		found, err := c.Bookmarks.Find(ctx, q)
		if err != nil {
			return nil, false, err
		}
		var mine []dct.Bookmark
		for i := range found {
			if l.on(&found[i]) {
				mine = append(mine, found[i])
			}
		}
		switch {
		case len(mine) == 0:
			return nil, false, nil
		case len(mine) > 1:
			return nil, false, fmt.Errorf("DCT shows %d bookmarks named %q on %s %q", len(mine), o.name, l.kind, l.name)
		}
		j, err := stepkit.FirstJobOn(ctx, s, mine[0].ID)
		if err != nil {
			return nil, false, err
		}
		id = mine[0].ID
		return j, true, nil
	}
	what := fmt.Sprintf("bookmark %q on %s %q", o.name, l.kind, l.name)
	if _, err := s.DoDCT(ctx, what, func() (*dct.Job, error) {
		j, err := stepkit.StartDCTLooking(ctx, s, what, look, func() (*dct.Job, error) {
			b, j, err := c.Bookmarks.Create(ctx, p)
			if b != nil {
				id = b.ID
			}
			return j, err
		})
		return j, err
	}); err != nil {
		return nil, err
	}
	b, err := c.Bookmarks.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	res := describeDCT(b, l)
	created := true
	res.Created, res.Recovered = &created, s.Recovered()
	return res, nil
}

// changeDCT shares, unshares or deletes b; for create it is the existing
// bookmark, reused, and shared when --shared asks for it.
func changeDCT(ctx context.Context, s *cli.Session, o options, l *dctLayout, b *dct.Bookmark) (any, error) {
	c := s.DCT
	op := o.op
	if op == "create" {
		s.Log.Printf("bookmark %q already exists (%s); reusing it", b.Name, b.ID)
		if have := plainTags(b.Tags); len(o.tags) > 0 && !slices.Equal(have, o.tags) {
			s.Log.Printf("note: its tags %q differ from --tag %q and were left as they are", have, o.tags)
		}
		if !o.expires.IsZero() || o.forever {
			s.Log.Printf("note: its expiration (%q) was left as it is", b.Expiration)
		}
		if !o.shared || b.BookmarkType == dct.BookmarkPublic {
			res := describeDCT(b, l)
			created := false
			res.Created = &created
			return res, nil
		}
		op = "share"
	}
	if _, err := s.DoDCT(ctx, fmt.Sprintf("%s of bookmark %q", op, b.Name), func() (*dct.Job, error) {
		switch op {
		case "delete":
			return c.Bookmarks.Delete(ctx, b.ID)
		case "unshare":
			return c.Bookmarks.Update(ctx, b.ID, dct.BookmarkUpdate{Type: dct.BookmarkPrivate})
		}
		return c.Bookmarks.Update(ctx, b.ID, dct.BookmarkUpdate{Type: dct.BookmarkPublic})
	}); err != nil {
		return nil, err
	}
	if op == "delete" {
		res := describeDCT(b, l)
		res.Deleted = true
		return res, nil
	}
	after, err := c.Bookmarks.Get(ctx, b.ID)
	if err != nil {
		return nil, err
	}
	res := describeDCT(after, l)
	if o.op == "create" {
		created := false
		res.Created = &created
	}
	return res, nil
}

// pruneDCT prunes among bs; --keep counts per VDB group, or per VDB for a
// bookmark made on VDBs. What depends on a bookmark: see dct.BookmarksService.Dependents.
func pruneDCT(ctx context.Context, s *cli.Session, o options, l *dctLayout, bs []dct.Bookmark) (any, error) {
	c := s.DCT
	var cs []candidate
	for i := range bs {
		b := &bs[i]
		created, _ := time.Parse(time.RFC3339Nano, b.CreationDate)
		layout := b.VDBGroupID
		if layout == "" {
			layout = strings.Join(append(slices.Clone(b.VDBIDs), b.DSourceIDs...), ",")
		}
		cs = append(cs, candidate{res: describeDCT(b, l), id: b.ID, layout: layout, created: created})
	}
	deps, err := c.Bookmarks.Dependents(ctx, bs)
	if err != nil {
		return nil, err
	}
	res, err := prune(o, cs, time.Now(), func(x candidate) string { return joinReasons(deps[x.id]) },
		func(x candidate) (bool, error) {
			_, err := s.DoDCT(ctx, fmt.Sprintf("delete of bookmark %q", x.res.Bookmark), func() (*dct.Job, error) {
				return c.Bookmarks.Delete(ctx, x.id)
			})
			return errors.Is(err, dct.ErrForbidden), err
		})
	logPrune(s, res)
	return res, err
}
