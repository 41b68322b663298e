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
	"github.com/dxsteps/dxsteps/internal/platform"
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

// dctStore is DCT's bookmarks (store).
type dctStore struct {
	s   *cli.Session
	l   *dctLayout // what load resolved; nil: no --container nor --template
	n   *dctNames
	raw map[string]*dct.Bookmark // the bookmarks load found, by id
}

func (d *dctStore) load(ctx context.Context, o options) (*place, []mark, error) {
	c := d.s.DCT
	l, err := findDCTLayout(ctx, c, o)
	if err != nil {
		return nil, nil, err
	}
	q := dct.BookmarkQuery{}
	var where *place
	if l != nil {
		q, where = l.bookmarkQuery, &place{kind: l.kind, name: l.name}
	}
	if o.op != "list" && o.op != "prune" {
		q.Name = o.name
	}
	found, err := c.Bookmarks.Find(ctx, q)
	if err != nil {
		return nil, nil, err
	}
	n, err := loadDCTNames(ctx, c)
	if err != nil {
		return nil, nil, err
	}
	if l != nil && l.kind == "template" {
		n.template = l.group
	}
	d.l, d.n, d.raw = l, n, map[string]*dct.Bookmark{}
	var ms []mark
	for i := range found {
		b := &found[i]
		if !l.on(b) {
			continue
		}
		created, _ := time.Parse(time.RFC3339Nano, b.CreationDate)
		layout, _, _, _ := n.layoutOf(b)
		d.raw[b.ID] = b
		ms = append(ms, mark{res: describeDCT(b, n), id: b.ID, layout: layout, created: created,
			forever: b.Retention != nil && *b.Retention == -1})
	}
	return where, ms, nil
}

// publishes proves the existing bookmark b's data (stepkit.ProveBookmarkDCT),
// or the current data of each VDB of the layout (stepkit.ProveCurrentDCT).
func (d *dctStore) publishes(ctx context.Context, b *mark) ([]string, string, error) {
	c := d.s.DCT
	if b != nil {
		return stepkit.ProveBookmarkDCT(ctx, c, d.raw[b.id])
	}
	ids := []string{d.l.vdb}
	if d.l.group != "" {
		g, err := c.VDBGroups.Get(ctx, d.l.group)
		if err != nil {
			return nil, "", err
		}
		ids = g.VDBIDs
	}
	var all []string
	for _, id := range ids {
		v, err := c.VDBs.Get(ctx, id)
		if err != nil {
			return nil, "", err
		}
		evidence, why, err := stepkit.ProveCurrentDCT(ctx, c, v)
		if err != nil || why != "" {
			return nil, why, err
		}
		all = append(all, fmt.Sprintf("VDB %q: %s", v.Name, strings.Join(evidence, "; ")))
	}
	return all, "", nil
}

// newBookmark is the bookmark create asks DCT for.
func (d *dctStore) newBookmark(o options) dct.BookmarkCreate {
	p := dct.BookmarkCreate{Name: o.name, VDBGroupID: d.l.group, Type: dct.BookmarkPrivate,
		Tags: dctTags(slices.Concat(o.tags, provenanceTags(o.provenance))), Expiration: o.expires, RetainForever: o.forever}
	if d.l.vdb != "" {
		p.VDBIDs = []string{d.l.vdb}
	}
	if o.shared {
		p.Type = dct.BookmarkPublic
	}
	return p
}

// create makes the bookmark on the layout's VDB group or VDB. No bookmark
// of that name was on it before the start: after a lost answer, the one
// there is the one it made, and its job, if DCT shows one on it, is
// followed.
func (d *dctStore) create(ctx context.Context, o options, ref *string) platform.JobSpec {
	c, l := d.s.DCT, d.l
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
		j, err := platform.FirstJobOn(ctx, d.s, mine[0].ID)
		if err != nil {
			return nil, false, err
		}
		*ref = mine[0].ID
		return j, true, nil
	}
	return platform.JobSpec{Look: func(context.Context) dct.Look { return look }, DCT: func() (*dct.Job, error) {
		b, j, err := c.Bookmarks.Create(ctx, d.newBookmark(o))
		if b != nil {
			*ref = b.ID
		}
		return j, err
	}}
}

// change shares or unshares b (its type, PUBLIC or PRIVATE) or deletes it;
// the client recovers a lost answer itself.
func (d *dctStore) change(ctx context.Context, op string, b mark) platform.JobSpec {
	c := d.s.DCT
	return platform.JobSpec{DCT: func() (*dct.Job, error) {
		switch op {
		case "delete":
			return c.Bookmarks.Delete(ctx, b.id)
		case "unshare":
			return c.Bookmarks.Update(ctx, b.id, dct.BookmarkUpdate{Type: dct.BookmarkPrivate})
		}
		return c.Bookmarks.Update(ctx, b.id, dct.BookmarkUpdate{Type: dct.BookmarkPublic})
	}}
}

func (d *dctStore) get(ctx context.Context, id string) (Result, error) {
	b, err := d.s.DCT.Bookmarks.Get(ctx, id)
	if err != nil {
		return Result{}, err
	}
	return describeDCT(b, d.n), nil
}

// planned is the bookmark create would make, described as DCT would show
// it: the one it asks for, on the layout's VDB group or VDB.
func (d *dctStore) planned(_ context.Context, o options) (Result, error) {
	p := d.newBookmark(o)
	b := &dct.Bookmark{Name: p.Name, VDBGroupID: p.VDBGroupID, VDBIDs: p.VDBIDs, BookmarkType: p.Type, Tags: p.Tags}
	if d.l.vdb != "" {
		b.VDBs = append(b.VDBs, struct {
			ID   string `json:"vdb_id"`
			Name string `json:"vdb_name"`
		}{d.l.vdb, d.l.name})
	}
	if !o.expires.IsZero() {
		b.Expiration = o.expires.Format(time.DateOnly)
	}
	return describeDCT(b, d.n), nil
}

// dependents: what DCT shows depending on a bookmark
// (dct.BookmarksService.Dependents).
func (d *dctStore) dependents(ctx context.Context, ms []mark) (map[string][]string, error) {
	bs := make([]dct.Bookmark, 0, len(ms))
	for _, m := range ms {
		bs = append(bs, *d.raw[m.id])
	}
	return d.s.DCT.Bookmarks.Dependents(ctx, bs)
}
