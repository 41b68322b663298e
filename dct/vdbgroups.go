package dct

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
)

// VDBGroup is a set of VDBs refreshed, bookmarked and locked together: a
// data pod with several sources.
type VDBGroup struct {
	ID                                string   `json:"id"`
	Name                              string   `json:"name"`
	VDBIDs                            []string `json:"vdb_ids"`
	Status                            string   `json:"status"`
	DatabaseType                      string   `json:"database_type"`
	IsLocked                          bool     `json:"is_locked"`
	LockedBy                          int64    `json:"locked_by"`
	LockedByName                      string   `json:"locked_by_name"`
	LastSuccessfulRefreshToBookmarkID string   `json:"last_successful_refresh_to_bookmark_id"`
	LastSuccessfulRefreshTime         string   `json:"last_successful_refresh_time"`
	Tags                              []Tag    `json:"tags"`
	// SSDataLayoutID is the engine's data layout (a Self-Service container
	// or template) the group was imported from; "" for a group made in DCT.
	SSDataLayoutID string `json:"ss_data_layout_id"`
}

// VDBSnapshot maps one VDB of a group to the snapshot it is refreshed from.
type VDBSnapshot struct {
	VDBID      string `json:"vdb_id"`
	SnapshotID string `json:"snapshot_id"`
}

// VDBGroupsService reads and operates VDB groups.
type VDBGroupsService service

var vdbGroupLookup = lookup[VDBGroup]{kind: "VDB group", path: "/vdb-groups",
	nameOf: func(g *VDBGroup) string { return g.Name }, idOf: func(g *VDBGroup) string { return g.ID }}

// Get returns GET /vdb-groups/{id}.
func (s *VDBGroupsService) Get(ctx context.Context, id string) (*VDBGroup, error) {
	var g VDBGroup
	if err := s.client.get(ctx, pathOf("vdb-groups", id), &g); err != nil {
		return nil, err
	}
	return &g, nil
}

// List returns every VDB group the key's account can see, following every page.
func (s *VDBGroupsService) List(ctx context.Context) ([]VDBGroup, error) {
	return collect[VDBGroup](ctx, s.client, "/vdb-groups", "", "")
}

// FindByName returns the one VDB group named exactly name, or a *NameError.
func (s *VDBGroupsService) FindByName(ctx context.Context, name string) (*VDBGroup, error) {
	return findByName(ctx, s.client, vdbGroupLookup, name)
}

// Holding returns the VDB groups the key's account sees that hold the VDB
// vdbID (POST /vdb-groups/search on vdb_ids).
func (s *VDBGroupsService) Holding(ctx context.Context, vdbID string) ([]VDBGroup, error) {
	lit, ok := quote(vdbID)
	if !ok || vdbID == "" {
		return nil, fmt.Errorf("dct: VDB id %q cannot be searched for", vdbID)
	}
	all, err := collect[VDBGroup](ctx, s.client, "/vdb-groups", "vdb_ids CONTAINS "+lit, "")
	if err != nil {
		return nil, err
	}
	var out []VDBGroup
	for _, g := range all {
		if slices.Contains(g.VDBIDs, vdbID) {
			out = append(out, g)
		}
	}
	return out, nil
}

// Bookmarks returns the bookmarks the key's account sees that are
// compatible with the group (GET /vdb-groups/{id}/bookmarks).
func (s *VDBGroupsService) Bookmarks(ctx context.Context, id string) ([]Bookmark, error) {
	return collect[Bookmark](ctx, s.client, pathOf("vdb-groups", id, "bookmarks"), "", "")
}

// RefreshFromBookmark refreshes every VDB of the group from a bookmark (of
// the group itself to restore it, or a compatible shared one).
func (s *VDBGroupsService) RefreshFromBookmark(ctx context.Context, id, bookmarkID string) (*Job, error) {
	if bookmarkID == "" {
		return nil, errors.New("dct: refresh from bookmark needs a bookmark id")
	}
	return s.client.startJob(ctx, http.MethodPost, pathOf("vdb-groups", id, "refresh_from_bookmark"), bookmarkRef{bookmarkID})
}

// RefreshBySnapshot refreshes the group's VDBs from the given snapshots;
// with no mappings every VDB goes to the latest snapshot of its own parent.
func (s *VDBGroupsService) RefreshBySnapshot(ctx context.Context, id string, mappings []VDBSnapshot) (*Job, error) {
	body := struct {
		Mappings []VDBSnapshot `json:"vdb_snapshot_mappings,omitempty"`
	}{mappings}
	return s.client.startJob(ctx, http.MethodPost, pathOf("vdb-groups", id, "refresh_by_snapshot"), body)
}

// Lock locks the group for the key's account and returns it (synchronous).
func (s *VDBGroupsService) Lock(ctx context.Context, id string) (*VDBGroup, error) {
	var g VDBGroup
	if err := s.client.do(ctx, http.MethodPost, pathOf("vdb-groups", id, "lock"), nil, emptyBody, &g); err != nil {
		return nil, err
	}
	return &g, nil
}

// Unlock unlocks the group and returns it.
func (s *VDBGroupsService) Unlock(ctx context.Context, id string) (*VDBGroup, error) {
	var g VDBGroup
	if err := s.client.do(ctx, http.MethodPost, pathOf("vdb-groups", id, "unlock"), nil, noBody, &g); err != nil {
		return nil, err
	}
	return &g, nil
}

// Enable enables every VDB of the group with DCT's defaults.
func (s *VDBGroupsService) Enable(ctx context.Context, id string) (*Job, error) {
	return s.client.startJob(ctx, http.MethodPost, pathOf("vdb-groups", id, "enable"), emptyBody)
}

// Disable disables every VDB of the group with DCT's defaults.
func (s *VDBGroupsService) Disable(ctx context.Context, id string) (*Job, error) {
	return s.client.startJob(ctx, http.MethodPost, pathOf("vdb-groups", id, "disable"), emptyBody)
}
