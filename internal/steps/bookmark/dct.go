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
	ssLayout      string // the group's ss_data_layout_id: an imported Self-Service container or template
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
		// The group's bookmarks hold its VDBs: those made on the group in DCT, and the
		// self-service ones made through the engine (which name its ss_data_layout_id).
		q := dct.BookmarkQuery{VDBGroupID: g.ID}
		if len(g.VDBIDs) > 0 {
			q = dct.BookmarkQuery{VDBID: g.VDBIDs[0]}
		}
		return &dctLayout{kind: kind, name: g.Name, group: g.ID, ssLayout: g.SSDataLayoutID, bookmarkQuery: q}, nil
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
// bookmarks of groups that contain it): in DCT on the group or the VDB, or
// through the engine on the Self-Service container or template the group
// was imported from.
func (l *dctLayout) on(b *dct.Bookmark) bool {
	switch {
	case l == nil:
		return true
	case l.group != "" && b.VDBGroupID == "" && b.SSDataLayoutID != "":
		return b.SSDataLayoutID == l.ssLayout
	case l.group != "":
		return b.VDBGroupID == l.group
	}
	return b.VDBGroupID == "" && b.SSDataLayoutID == "" && len(b.VDBIDs) == 1 && b.VDBIDs[0] == l.vdb
}

// dctNames names, for a DCT bookmark, the data pod and template it is on, as
// the engine does: its layout is the VDB group it was made on (vdb_group_id),
// or the group imported from the Self-Service container or template that a
// bookmark made through the engine names (ss_data_layout_id), or else its one
// VDB. That layout is a data pod of template T when T is the one VDB group
// holding its (first) VDB's parent, as dx-datapod says; else a group whose
// VDB was provisioned straight from a dSource (a masked master) is a
// template; and so is the group --template names. Only the groups and VDBs
// the key's account sees count.
type dctNames struct {
	groups   []dct.VDBGroup
	vdbs     map[string]*dct.VDB
	template string // the id of the group --template names
}

func loadDCTNames(ctx context.Context, c *dct.Client) (*dctNames, error) {
	gs, err := c.VDBGroups.List(ctx)
	if err != nil {
		return nil, err
	}
	vs, err := c.VDBs.List(ctx)
	if err != nil {
		return nil, err
	}
	n := &dctNames{groups: gs, vdbs: map[string]*dct.VDB{}}
	for i := range vs {
		n.vdbs[vs[i].ID] = &vs[i]
	}
	return n, nil
}

// layoutOf returns the id and name of b's layout, whether it is a group,
// and the VDBs it holds.
func (n *dctNames) layoutOf(b *dct.Bookmark) (id, name string, group bool, vdbs []string) {
	for i := range n.groups {
		g := &n.groups[i]
		if (b.VDBGroupID != "" && g.ID == b.VDBGroupID) || (b.VDBGroupID == "" && b.SSDataLayoutID != "" && g.SSDataLayoutID == b.SSDataLayoutID) {
			return g.ID, g.Name, true, g.VDBIDs
		}
	}
	switch {
	case b.VDBGroupID != "":
		return b.VDBGroupID, b.VDBGroupName, true, b.VDBIDs
	case len(b.VDBs) > 0:
		return b.VDBs[0].ID, b.VDBs[0].Name, false, b.VDBIDs
	}
	return strings.Join(append(slices.Clone(b.VDBIDs), b.DSourceIDs...), ","), "", false, b.VDBIDs
}

// podAndTemplate returns the data pod (empty for a template) and template
// (empty when none is known) b is on.
func (n *dctNames) podAndTemplate(b *dct.Bookmark) (pod, template string) {
	id, name, group, vdbs := n.layoutOf(b)
	if group && id == n.template {
		return "", name
	}
	v := n.vdbs[first(vdbs)]
	if v == nil || v.ParentID == "" {
		return name, ""
	}
	var holders []string
	for _, g := range n.groups {
		if g.ID != id && slices.Contains(g.VDBIDs, v.ParentID) {
			holders = append(holders, g.Name)
		}
	}
	switch {
	case len(holders) == 1:
		return name, holders[0]
	case group && v.ParentID == v.ParentDSourceID:
		return "", name
	}
	return name, ""
}

func first(ids []string) string {
	if len(ids) == 0 {
		return ""
	}
	return ids[0]
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

// describeDCT is the step's Result for a DCT bookmark, its data pod and
// template named by n.
func describeDCT(b *dct.Bookmark, n *dctNames) Result {
	prov, tags := engineProvenance("", plainTags(b.Tags))
	r := Result{Bookmark: b.Name, BookmarkReference: b.ID, Branch: b.TimeflowID, Shared: b.BookmarkType == dct.BookmarkPublic,
		Tags: tags, Timestamp: b.DataTimestamp, Expiration: b.Expiration, CreationTime: b.CreationDate, Provenance: prov}
	r.Container, r.Template = n.podAndTemplate(b)
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
	n, err := loadDCTNames(ctx, c)
	if err != nil {
		return nil, err
	}
	if l != nil && l.kind == "template" {
		n.template = l.group
	}
	switch o.op {
	case "list":
		out := ListResult{Bookmarks: []Result{}}
		for i := range mine {
			r := describeDCT(&mine[i], n)
			if strings.Contains(r.Bookmark, o.name) && hasAll(r.Tags, o.tags) {
				out.Bookmarks = append(out.Bookmarks, r)
			}
		}
		sortByCreation(out.Bookmarks)
		return out, nil
	case "prune":
		return pruneDCT(ctx, s, o, l, n, mine)
	}
	kind := "bookmark"
	if l != nil {
		kind = fmt.Sprintf("bookmark on %s %q", l.kind, l.name)
	}
	switch {
	case len(mine) == 0 && o.op == "create":
		return createDCT(ctx, s, o, l, n)
	case len(mine) == 0:
		return nil, cli.Usagef("no %s is named %q; dx-bookmark list shows the ones you can see", kind, o.name)
	case len(mine) > 1:
		ids := make([]string, len(mine))
		for i, b := range mine {
			ids[i] = b.ID
		}
		return nil, cli.Usagef("%d %ss are named %q (%s): name the data pod or template, or rename one", len(mine), kind, o.name, strings.Join(ids, ", "))
	}
	return changeDCT(ctx, s, o, l, n, &mine[0])
}

func createDCT(ctx context.Context, s *cli.Session, o options, l *dctLayout, n *dctNames) (any, error) {
	c := s.DCT
	p := dct.BookmarkCreate{Name: o.name, VDBGroupID: l.group, Type: dct.BookmarkPrivate, Tags: dctTags(slices.Concat(o.tags, provenanceTags(o.provenance))),
		Expiration: o.expires, RetainForever: o.forever}
	if l.vdb != "" {
		p.VDBIDs = []string{l.vdb}
	}
	if o.shared {
		p.Type = dct.BookmarkPublic
		if err := provePublishDCT(ctx, s, o, l, nil); err != nil {
			return nil, err
		}
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
	res := describeDCT(b, n)
	created := true
	res.Created, res.Recovered = &created, s.Recovered()
	return res, nil
}

// changeDCT shares, unshares or deletes b; for create it is the existing
// bookmark, reused, and shared when --shared asks for it.
func changeDCT(ctx context.Context, s *cli.Session, o options, l *dctLayout, n *dctNames, b *dct.Bookmark) (any, error) {
	c := s.DCT
	op := o.op
	if op == "create" {
		s.Log.Printf("bookmark %q already exists (%s); reusing it", b.Name, b.ID)
		if have := describeDCT(b, n).Tags; len(o.tags) > 0 && !slices.Equal(have, o.tags) {
			s.Log.Printf("note: its tags %q differ from --tag %q and were left as they are", have, o.tags)
		}
		if !o.expires.IsZero() || o.forever {
			s.Log.Printf("note: its expiration (%q) was left as it is", b.Expiration)
		}
		noteProvenance(s, describeDCT(b, n).Provenance, o.provenance)
		if !o.shared || b.BookmarkType == dct.BookmarkPublic {
			res := describeDCT(b, n)
			created := false
			res.Created = &created
			return res, nil
		}
		op = "share"
	}
	if op == "share" {
		if err := provePublishDCT(ctx, s, o, l, b); err != nil {
			return nil, err
		}
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
		res := describeDCT(b, n)
		res.Deleted = true
		return res, nil
	}
	after, err := c.Bookmarks.Get(ctx, b.ID)
	if err != nil {
		return nil, err
	}
	res := describeDCT(after, n)
	if o.op == "create" {
		created := false
		res.Created = &created
	}
	return res, nil
}

// pruneDCT prunes among bs; --keep counts per VDB group, or per VDB for a
// bookmark made on VDBs. What depends on a bookmark: see dct.BookmarksService.Dependents.
func pruneDCT(ctx context.Context, s *cli.Session, o options, l *dctLayout, n *dctNames, bs []dct.Bookmark) (any, error) {
	c := s.DCT
	var cs []candidate
	for i := range bs {
		b := &bs[i]
		created, _ := time.Parse(time.RFC3339Nano, b.CreationDate)
		layout, _, _, _ := n.layoutOf(b)
		forever := b.Retention != nil && *b.Retention == -1
		cs = append(cs, candidate{res: describeDCT(b, n), id: b.ID, layout: layout, created: created, forever: forever})
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
