package dct

import (
	"context"
	"errors"
	"net/http"
)

// VDB is a virtual database: the masked master or a data pod.
type VDB struct {
	ID                 string `json:"id"`
	Name               string `json:"name"`
	DatabaseName       string `json:"database_name"`
	DatabaseType       string `json:"database_type"`
	EngineID           string `json:"engine_id"`
	EngineName         string `json:"engine_name"`
	EnvironmentID      string `json:"environment_id"`
	ParentID           string `json:"parent_id"`
	ParentDSourceID    string `json:"parent_dsource_id"`
	RootParentID       string `json:"root_parent_id"`
	Status             string `json:"status"`
	Enabled            bool   `json:"enabled"`
	Masked             bool   `json:"masked"`
	IsLocked           bool   `json:"is_locked"`
	LockedBy           int64  `json:"locked_by"`
	LockedByName       string `json:"locked_by_name"`
	CurrentTimeflowID  string `json:"current_timeflow_id"`
	PreviousTimeflowID string `json:"previous_timeflow_id"`
	LastRefreshedDate  string `json:"last_refreshed_date"`
	Hooks              *Hooks `json:"hooks"`
	Tags               []Tag  `json:"tags"`
	// Where the VDB's database runs, as far as DCT shows it (each may be empty).
	FQDN                 string         `json:"fqdn"`
	IPAddress            string         `json:"ip_address"`
	DatabaseVersion      string         `json:"database_version"`
	InstanceName         string         `json:"instance_name"`
	MountPoint           string         `json:"mount_point"`
	JDBCConnectionString string         `json:"jdbc_connection_string"` // deprecated in the spec, still sent
	AppDataSourceParams  map[string]any `json:"appdata_source_params"`  // the toolkit's own parameters (AppData)
}

// VDBsService reads and operates VDBs.
type VDBsService service

var vdbLookup = lookup[VDB]{kind: "VDB", path: "/vdbs",
	nameOf: func(v *VDB) string { return v.Name }, idOf: func(v *VDB) string { return v.ID }}

// Get returns GET /vdbs/{id}.
func (s *VDBsService) Get(ctx context.Context, id string) (*VDB, error) {
	var v VDB
	if err := s.client.get(ctx, pathOf("vdbs", id), &v); err != nil {
		return nil, err
	}
	return &v, nil
}

// List returns every VDB the key's account can see, following every page.
func (s *VDBsService) List(ctx context.Context) ([]VDB, error) {
	return collect[VDB](ctx, s.client, "/vdbs", "", "")
}

// FindByName returns the one VDB named exactly name, or a *NameError (VDB
// names are unique only per engine and group).
func (s *VDBsService) FindByName(ctx context.Context, name string) (*VDB, error) {
	return findByName(ctx, s.client, vdbLookup, name)
}

// RefreshBySnapshot refreshes the VDB from a snapshot of its parent (or a
// relative); snapshotID "" asks DCT for the latest snapshot.
func (s *VDBsService) RefreshBySnapshot(ctx context.Context, id, snapshotID string) (*Job, error) {
	body := struct {
		SnapshotID string `json:"snapshot_id,omitempty"`
	}{snapshotID}
	return s.client.startJob(ctx, http.MethodPost, pathOf("vdbs", id, "refresh_by_snapshot"), body)
}

// RefreshFromBookmark refreshes the VDB from a bookmark that holds exactly
// one VDB: its own (a restore), its parent's or a relative's (shared).
func (s *VDBsService) RefreshFromBookmark(ctx context.Context, id, bookmarkID string) (*Job, error) {
	if bookmarkID == "" {
		return nil, errors.New("dct: refresh from bookmark needs a bookmark id")
	}
	return s.client.startJob(ctx, http.MethodPost, pathOf("vdbs", id, "refresh_from_bookmark"), bookmarkRef{bookmarkID})
}

type bookmarkRef struct {
	BookmarkID string `json:"bookmark_id"`
}

// ProvisionFromBookmark describes a new VDB provisioned from a one-VDB
// bookmark (a private copy, "a branch" in Jet Stream terms). Either
// AutoSelectRepository or EnvironmentID with RepositoryID places it.
type ProvisionFromBookmark struct {
	BookmarkID           string `json:"bookmark_id"`
	Name                 string `json:"name,omitempty"`
	DatabaseName         string `json:"database_name,omitempty"`
	TargetGroupID        string `json:"target_group_id,omitempty"`
	EnvironmentID        string `json:"environment_id,omitempty"`
	RepositoryID         string `json:"repository_id,omitempty"`
	AutoSelectRepository bool   `json:"auto_select_repository,omitempty"`
	Tags                 []Tag  `json:"tags,omitempty"`
	// MakeCurrentAccountOwner makes the key's account the owner (DCT's
	// default when nil).
	MakeCurrentAccountOwner *bool `json:"make_current_account_owner,omitempty"`
}

// ProvisionFromBookmark provisions a VDB from a bookmark and returns the
// new VDB's id with the job that creates it.
func (s *VDBsService) ProvisionFromBookmark(ctx context.Context, p ProvisionFromBookmark) (string, *Job, error) {
	if p.BookmarkID == "" {
		return "", nil, errors.New("dct: provision from bookmark needs a bookmark id")
	}
	var r struct {
		VDBID string `json:"vdb_id"`
		Job   *Job   `json:"job"`
	}
	if err := s.client.do(ctx, http.MethodPost, "/vdbs/provision_from_bookmark", nil, p, &r); err != nil {
		return "", nil, err
	}
	if r.Job == nil || r.VDBID == "" {
		return "", nil, errors.New("dct: POST /vdbs/provision_from_bookmark answered without a VDB id and job")
	}
	return r.VDBID, r.Job, nil
}

// Enable enables the VDB, starting it when attemptStart is set.
func (s *VDBsService) Enable(ctx context.Context, id string, attemptStart bool) (*Job, error) {
	body := struct {
		AttemptStart bool `json:"attempt_start"`
	}{attemptStart}
	return s.client.startJob(ctx, http.MethodPost, pathOf("vdbs", id, "enable"), body)
}

// Disable disables the VDB, cleaning up on its host when attemptCleanup is set.
func (s *VDBsService) Disable(ctx context.Context, id string, attemptCleanup bool) (*Job, error) {
	body := struct {
		AttemptCleanup bool `json:"attempt_cleanup"`
	}{attemptCleanup}
	return s.client.startJob(ctx, http.MethodPost, pathOf("vdbs", id, "disable"), body)
}

// Lock locks the VDB for the key's account, so that other accounts cannot
// operate it. It is synchronous and returns the VDB.
func (s *VDBsService) Lock(ctx context.Context, id string) (*VDB, error) {
	var v VDB
	if err := s.client.do(ctx, http.MethodPost, pathOf("vdbs", id, "lock"), nil, emptyBody, &v); err != nil {
		return nil, err
	}
	return &v, nil
}

// Unlock unlocks the VDB and returns it.
func (s *VDBsService) Unlock(ctx context.Context, id string) (*VDB, error) {
	var v VDB
	if err := s.client.do(ctx, http.MethodPost, pathOf("vdbs", id, "unlock"), nil, noBody, &v); err != nil {
		return nil, err
	}
	return &v, nil
}

// Delete deletes the VDB; force deletes it even when the engine cannot
// clean up on its host.
func (s *VDBsService) Delete(ctx context.Context, id string, force bool) (*Job, error) {
	body := struct {
		Force bool `json:"force"`
	}{force}
	return s.client.startJob(ctx, http.MethodPost, pathOf("vdbs", id, "delete"), body)
}

// Snapshot takes a snapshot of the VDB.
func (s *VDBsService) Snapshot(ctx context.Context, id string) (*Job, error) {
	return s.client.startJob(ctx, http.MethodPost, pathOf("vdbs", id, "snapshots"), noBody)
}

// SwitchTimeflow makes an earlier timeflow of the VDB current again.
func (s *VDBsService) SwitchTimeflow(ctx context.Context, id, timeflowID string) (*Job, error) {
	if timeflowID == "" {
		return nil, errors.New("dct: switch timeflow needs a timeflow id")
	}
	body := struct {
		TimeflowID string `json:"timeflow_id"`
	}{timeflowID}
	return s.client.startJob(ctx, http.MethodPost, pathOf("vdbs", id, "switch_timeflow"), body)
}

// SetHooks sets the VDB's hook points with PATCH /vdbs/{id}. Every hook
// point that is non-nil in h is sent whole and replaces the VDB's list for
// that point (an empty, non-nil list clears it); nil points are not sent.
// Whether DCT leaves unsent points alone is not documented.
func (s *VDBsService) SetHooks(ctx context.Context, id string, h Hooks) (*Job, error) {
	body := struct {
		Hooks Hooks `json:"hooks"`
	}{h}
	return s.client.startJob(ctx, http.MethodPatch, pathOf("vdbs", id), body)
}
