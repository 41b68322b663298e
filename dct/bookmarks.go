package dct

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"time"
)

// Bookmark types: a PUBLIC bookmark is shared with the accounts that may
// use compatible datasets; PRIVATE (DCT's default) is not.
const (
	BookmarkPublic  = "PUBLIC"
	BookmarkPrivate = "PRIVATE"
)

// Bookmark is a named point in one or more datasets' data.
type Bookmark struct {
	ID            string   `json:"id"`
	Name          string   `json:"name"`
	CreationDate  string   `json:"creation_date"`
	DataTimestamp string   `json:"data_timestamp"`
	TimeflowID    string   `json:"timeflow_id"`
	VDBIDs        []string `json:"vdb_ids"`
	VDBs          []struct {
		ID   string `json:"vdb_id"`
		Name string `json:"vdb_name"`
	} `json:"vdbs"`
	DSourceIDs   []string `json:"dsource_ids"`
	VDBGroupID   string   `json:"vdb_group_id"`
	VDBGroupName string   `json:"vdb_group_name"`
	Expiration   string   `json:"expiration"` // a date, YYYY-MM-DD; "" keeps it per policy
	// Retention is the deprecated retention in days; -1: retained forever
	// (created with retain_forever).
	Retention      *int64 `json:"retention"`
	BookmarkType   string `json:"bookmark_type"`
	BookmarkStatus string `json:"bookmark_status"` // ACTIVE or INACTIVE
	Tags           []Tag  `json:"tags"`
	// A self-service bookmark (bookmark_source ENGINE) names the engine's
	// data layout it is on (a VDB group of that layout shows the same
	// ss_data_layout_id) and its own engine reference.
	BookmarkSource      string `json:"bookmark_source"`
	SSDataLayoutID      string `json:"ss_data_layout_id"`
	SSBookmarkReference string `json:"ss_bookmark_reference"`
}

// BookmarkCreate describes a new bookmark: on fresh snapshots of VDBIDs,
// or of the VDB group VDBGroupID, or on existing SnapshotIDs (exactly one
// of the three). At most one of Expiration and RetainForever.
type BookmarkCreate struct {
	Name          string
	VDBIDs        []string
	VDBGroupID    string
	SnapshotIDs   []string
	Type          string // BookmarkPublic or BookmarkPrivate ("" is DCT's default, PRIVATE)
	Tags          []Tag
	Expiration    time.Time // the date it expires (only the date counts)
	RetainForever bool
	// MakeCurrentAccountOwner: nil leaves DCT's default (true).
	MakeCurrentAccountOwner *bool
}

type bookmarkCreateBody struct {
	Name                    string   `json:"name"`
	VDBIDs                  []string `json:"vdb_ids,omitempty"`
	VDBGroupID              string   `json:"vdb_group_id,omitempty"`
	SnapshotIDs             []string `json:"snapshot_ids,omitempty"`
	BookmarkType            string   `json:"bookmark_type,omitempty"`
	Tags                    []Tag    `json:"tags,omitempty"`
	Expiration              string   `json:"expiration,omitempty"`
	RetainForever           bool     `json:"retain_forever,omitempty"`
	MakeCurrentAccountOwner *bool    `json:"make_current_account_owner,omitempty"`
}

// BookmarkUpdate changes a bookmark; zero fields are left alone.
type BookmarkUpdate struct {
	Name          string
	Type          string // BookmarkPublic shares it, BookmarkPrivate unshares it
	Expiration    time.Time
	RetainForever *bool
}

// BookmarkQuery selects bookmarks; empty fields match any.
type BookmarkQuery struct {
	Name       string // exact name
	VDBID      string // the bookmark holds this VDB
	VDBGroupID string
	Type       string
}

// BookmarksService creates, finds, changes and deletes bookmarks.
type BookmarksService service

// Get returns GET /bookmarks/{id}.
func (s *BookmarksService) Get(ctx context.Context, id string) (*Bookmark, error) {
	var b Bookmark
	if err := s.client.get(ctx, pathOf("bookmarks", id), &b); err != nil {
		return nil, err
	}
	return &b, nil
}

// Create creates a bookmark and returns it with the job that takes its
// snapshots; wait for the job before using the bookmark.
func (s *BookmarksService) Create(ctx context.Context, p BookmarkCreate) (*Bookmark, *Job, error) {
	if err := p.validate(); err != nil {
		return nil, nil, err
	}
	body := bookmarkCreateBody{Name: p.Name, VDBIDs: p.VDBIDs, VDBGroupID: p.VDBGroupID, SnapshotIDs: p.SnapshotIDs,
		BookmarkType: p.Type, Tags: p.Tags, RetainForever: p.RetainForever, MakeCurrentAccountOwner: p.MakeCurrentAccountOwner}
	if !p.Expiration.IsZero() {
		body.Expiration = p.Expiration.Format(time.DateOnly)
	}
	var r struct {
		Bookmark *Bookmark `json:"bookmark"`
		Job      *Job      `json:"job"`
	}
	if err := s.client.do(ctx, http.MethodPost, "/bookmarks", nil, body, &r); err != nil {
		return nil, nil, err
	}
	if r.Bookmark == nil || r.Job == nil {
		return nil, nil, errors.New("dct: POST /bookmarks answered without the bookmark and its job")
	}
	return r.Bookmark, r.Job, nil
}

func (p BookmarkCreate) validate() error {
	sources := 0
	for _, set := range []bool{len(p.VDBIDs) > 0, p.VDBGroupID != "", len(p.SnapshotIDs) > 0} {
		if set {
			sources++
		}
	}
	switch {
	case p.Name == "":
		return errors.New("dct: a bookmark needs a name")
	case sources != 1:
		return errors.New("dct: a bookmark is on VDBs, a VDB group or snapshots: exactly one of the three")
	case p.RetainForever && !p.Expiration.IsZero():
		return errors.New("dct: a bookmark either expires or is retained forever, not both")
	}
	return checkType(p.Type)
}

func checkType(t string) error {
	if t != "" && t != BookmarkPublic && t != BookmarkPrivate {
		return fmt.Errorf("dct: bookmark type %q is not PUBLIC or PRIVATE", t)
	}
	return nil
}

// Update changes a bookmark's name, type (share or unshare) or retention.
func (s *BookmarksService) Update(ctx context.Context, id string, u BookmarkUpdate) (*Job, error) {
	if err := checkType(u.Type); err != nil {
		return nil, err
	}
	body := struct {
		Name          string `json:"name,omitempty"`
		BookmarkType  string `json:"bookmark_type,omitempty"`
		Expiration    string `json:"expiration,omitempty"`
		RetainForever *bool  `json:"retain_forever,omitempty"`
	}{Name: u.Name, BookmarkType: u.Type, RetainForever: u.RetainForever}
	if !u.Expiration.IsZero() {
		body.Expiration = u.Expiration.Format(time.DateOnly)
	}
	start := func() (*Job, error) { return s.client.startJob(ctx, http.MethodPatch, pathOf("bookmarks", id), body) }
	if u.Type == "" || u.Name != "" || !u.Expiration.IsZero() || u.RetainForever != nil {
		return start()
	}
	// A share or unshare whose answer is lost: the bookmark of that type
	// now, or the one new job on it, is what it did.
	jobs := s.client.Jobs.NewOn(ctx, id)
	job, _, err := s.client.StartRecoverable(ctx, func(ctx context.Context) (*Job, bool, error) {
		if j, found, err := jobs(ctx); err != nil || found {
			return j, found, err
		}
		b, err := s.Get(ctx, id)
		if err != nil {
			return nil, false, err
		}
		return nil, b.BookmarkType == u.Type, nil
	}, start)
	return job, err
}

// Delete deletes a bookmark. DCT 3.18 answers 204 and the returned job is
// nil; later versions answer with a job to wait for. When the answer is
// lost, the bookmark gone, or the one new job on it, is what it did.
func (s *BookmarksService) Delete(ctx context.Context, id string) (*Job, error) {
	jobs := s.client.Jobs.NewOn(ctx, id)
	job, _, err := s.client.StartRecoverable(ctx, func(ctx context.Context) (*Job, bool, error) {
		_, err := s.Get(ctx, id)
		if errors.Is(err, ErrNotFound) {
			return nil, true, nil
		}
		if err != nil {
			return nil, false, err
		}
		return jobs(ctx)
	}, func() (*Job, error) {
		var r jobResponse
		if err := s.client.do(ctx, http.MethodDelete, pathOf("bookmarks", id), nil, noBody, &r); err != nil {
			return nil, err
		}
		return r.Job, nil
	})
	return job, err
}

// Find returns the bookmarks that match q, newest first, following every
// page. The filter sent to DCT narrows the search; the match itself is
// exact and done here.
func (s *BookmarksService) Find(ctx context.Context, q BookmarkQuery) ([]Bookmark, error) {
	if err := checkType(q.Type); err != nil {
		return nil, err
	}
	var filter string
	if q.Name != "" {
		filter = and(filter, eq("name", q.Name))
	}
	if q.VDBGroupID != "" {
		filter = and(filter, eq("vdb_group_id", q.VDBGroupID))
	}
	if lit, ok := quote(q.VDBID); ok && q.VDBID != "" {
		filter = and(filter, "vdb_ids CONTAINS "+lit)
	}
	if q.Type != "" {
		filter = and(filter, "bookmark_type EQ '"+q.Type+"'")
	}
	all, err := collect[Bookmark](ctx, s.client, "/bookmarks", filter, "-creation_date")
	if err != nil {
		return nil, err
	}
	var out []Bookmark
	for _, b := range all {
		if (q.Name == "" || b.Name == q.Name) && (q.VDBGroupID == "" || b.VDBGroupID == q.VDBGroupID) &&
			(q.VDBID == "" || slices.Contains(b.VDBIDs, q.VDBID)) && (q.Type == "" || b.BookmarkType == q.Type) {
			out = append(out, b)
		}
	}
	return out, nil
}

// CompatibleWith returns the bookmarks the key's account sees that can
// refresh the VDB (its own, its parent's, a relative's, as DCT decides),
// newest first; with a name, only those named exactly name.
func (s *BookmarksService) CompatibleWith(ctx context.Context, vdbID, name string) ([]Bookmark, error) {
	if vdbID == "" {
		return nil, errors.New("dct: compatible bookmarks need a VDB id")
	}
	var filter string
	if name != "" {
		filter = eq("name", name)
	}
	all, err := collect[Bookmark](ctx, s.client, pathOf("vdbs", vdbID, "bookmarks"), filter, "-creation_date")
	if err != nil {
		return nil, err
	}
	var out []Bookmark
	for _, b := range all {
		if name == "" || b.Name == name {
			out = append(out, b)
		}
	}
	return out, nil
}

// Dependents says, for each of bs, what still depends on it, as sentences:
// a VDB group whose last refresh was to the bookmark
// (last_successful_refresh_to_bookmark_id), and a VDB provisioned from it (its
// parent is the bookmark's dataset and its parent_timeflow_timestamp the
// bookmark's data_timestamp). DCT itself lets such a bookmark be deleted; the
// caller decides. Only the groups and VDBs the key can see are found.
func (s *BookmarksService) Dependents(ctx context.Context, bs []Bookmark) (map[string][]string, error) {
	deps := map[string][]string{}
	if len(bs) == 0 {
		return deps, nil
	}
	groups, err := collect[VDBGroup](ctx, s.client, "/vdb-groups", "", "")
	if err != nil {
		return nil, err
	}
	for _, g := range groups {
		if id := g.LastSuccessfulRefreshToBookmarkID; id != "" {
			deps[id] = append(deps[id], fmt.Sprintf("VDB group %q was last refreshed to it", g.Name))
		}
	}
	type vdbLink struct {
		Name                    string `json:"name"`
		ParentID                string `json:"parent_id"`
		ParentTimeflowTimestamp string `json:"parent_timeflow_timestamp"`
	}
	vdbs, err := collect[vdbLink](ctx, s.client, "/vdbs", "", "")
	if err != nil {
		return nil, err
	}
	for _, b := range bs {
		at, err := time.Parse(time.RFC3339Nano, b.DataTimestamp)
		if err != nil {
			continue
		}
		for _, v := range vdbs {
			from, err := time.Parse(time.RFC3339Nano, v.ParentTimeflowTimestamp)
			if err == nil && from.Equal(at) && (slices.Contains(b.VDBIDs, v.ParentID) || slices.Contains(b.DSourceIDs, v.ParentID)) {
				deps[b.ID] = append(deps[b.ID], fmt.Sprintf("VDB %q was provisioned from it", v.Name))
			}
		}
	}
	return deps, nil
}
