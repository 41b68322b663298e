package delphix

import (
	"context"
	"net/url"
)

// Database is a container (dSource or VDB) as GET /database returns it.
// Type is the concrete platform type, e.g. "AppDataContainer" or
// "OracleDatabaseContainer"; the fields other platforms add are ignored.
type Database struct {
	Type               string `json:"type"`
	Reference          string `json:"reference"`
	Name               string `json:"name"`
	Group              string `json:"group"`
	ProvisionContainer string `json:"provisionContainer"` // parent; empty for a dSource
	Masked             bool   `json:"masked"`
	CurrentTimeflow    string `json:"currentTimeflow"`
}

// IsVDB reports whether the container was provisioned from another one.
func (d *Database) IsVDB() bool { return d.ProvisionContainer != "" }

// DatabasesService lists, syncs and refreshes containers.
type DatabasesService service

// List returns every container the user can see (GET /database).
func (s *DatabasesService) List(ctx context.Context) ([]Database, error) {
	var dbs []Database
	_, err := s.client.call(ctx, "GET", "/database", nil, &dbs)
	return dbs, err
}

// Get returns GET /database/{ref}.
func (s *DatabasesService) Get(ctx context.Context, ref string) (*Database, error) {
	var d Database
	if _, err := s.client.call(ctx, "GET", "/database/"+url.PathEscape(ref), nil, &d); err != nil {
		return nil, err
	}
	return &d, nil
}

// FindByName returns the one container named exactly name, or a *NameError.
func (s *DatabasesService) FindByName(ctx context.Context, name string) (*Database, error) {
	dbs, err := s.List(ctx)
	if err != nil {
		return nil, err
	}
	return FindByName("database", name, dbs, func(d *Database) string { return d.Name }, func(d *Database) string { return d.Reference })
}

// Sync snapshots a dSource with the sync parameters its platform needs at
// the session's API version (POST /database/{ref}/sync).
func (s *DatabasesService) Sync(ctx context.Context, db *Database) (Operation, error) {
	return s.client.startRecoverable(ctx, "/database/"+url.PathEscape(db.Reference)+"/sync", syncParameters(db.Type, s.client.APIVersion()),
		recovery{Target: db.Reference, ActionType: "DB_SYNC"})
}

// syncParameters returns the concrete SyncParameters object for a
// container type at API version v, or nil when the engine's default (no
// body) is right for it.
func syncParameters(containerType string, v APIVersion) any {
	switch containerType {
	case "OracleDatabaseContainer":
		// OracleSyncParameters became abstract in 1.11.8; its external-sync
		// subtype exists from 1.11.0.
		if v.AtLeast(1, 11, 0) {
			return typed{"type": "OracleSyncFromExternalParameters"}
		}
		return typed{"type": "OracleSyncParameters"}
	case "MSSqlDatabaseContainer":
		if v.AtLeast(1, 9, 0) {
			return typed{"type": "MSSqlExistingMostRecentBackupSyncParameters"}
		}
		return typed{"type": "MSSqlSyncParameters", "loadFromBackup": false}
	case "ASEDBContainer":
		return typed{"type": "ASELatestBackupSyncParameters"}
	case "AppDataContainer":
		if v.AtLeast(1, 11, 6) {
			return typed{"type": "AppDataSyncParameters", "parameters": typed{"resync": false}}
		}
		return typed{"type": "AppDataSyncParameters", "resync": false}
	case "PgSQLDatabaseContainer":
		return typed{"type": "PgSQLSyncParameters"}
	}
	return nil
}

// RefreshPoint says where a VDB refresh takes its data from: one snapshot,
// or the parent's latest snapshot when Snapshot is empty.
type RefreshPoint struct {
	Snapshot string
}

// Refresh refreshes a VDB from point (POST /database/{ref}/refresh), with
// OracleRefreshParameters for Oracle and RefreshParameters for the others.
func (s *DatabasesService) Refresh(ctx context.Context, vdb *Database, point RefreshPoint) (Operation, error) {
	var tp typed
	if point.Snapshot != "" {
		tp = typed{"type": "TimeflowPointSnapshot", "snapshot": point.Snapshot}
	} else {
		tp = typed{"type": "TimeflowPointSemantic", "container": vdb.ProvisionContainer, "location": "LATEST_SNAPSHOT"}
	}
	kind := "RefreshParameters"
	if vdb.Type == "OracleDatabaseContainer" {
		kind = "OracleRefreshParameters"
	}
	body := typed{"type": kind, "timeflowPointParameters": tp}
	return s.client.startRecoverable(ctx, "/database/"+url.PathEscape(vdb.Reference)+"/refresh", body,
		recovery{Target: vdb.Reference, ActionType: "DB_REFRESH"})
}
