package dctapi

import "github.com/dxsteps/dxsteps/test/internal/dctfilter"

// operations are, for each operation the local DCT serves, the query parameters the DCT
// spec declares (each with the values it takes; nil: any of its type) and, for a search, the
// fields it declares filterable (x-filterable). Written from ../shared/reference/dct-openapi.yaml;
// TestTheDCTOperationsTableIsTheSpecs checks it against that file.
var operations = map[string]operation{
	"GET /dsources":                               {query: listQuery(dsourceSorts, permissionEnum)},
	"POST /dsources/search":                       {query: listQuery(dsourceSorts, permissionEnum), filterable: dsourcesFilterable},
	"GET /dsources/{id}":                          {},
	"GET /dsources/{id}/snapshots":                {query: pageQuery()},
	"POST /dsources/{id}/snapshots":               {},
	"GET /snapshots":                              {query: listQuery(snapshotSorts)},
	"POST /snapshots/search":                      {query: listQuery(snapshotSorts), filterable: snapshotsFilterable},
	"GET /snapshots/{id}":                         {},
	"GET /vdbs":                                   {query: listQuery(vdbSorts, permissionEnum)},
	"POST /vdbs/search":                           {query: listQuery(vdbSorts, permissionEnum), filterable: vdbsFilterable},
	"GET /vdbs/{id}":                              {},
	"PATCH /vdbs/{id}":                            {},
	"GET /vdbs/{id}/snapshots":                    {query: pageQuery()},
	"POST /vdbs/{id}/snapshots":                   {},
	"POST /vdbs/{id}/refresh_by_snapshot":         {},
	"POST /vdbs/{id}/refresh_from_bookmark":       {},
	"POST /vdbs/provision_from_bookmark":          {},
	"POST /vdbs/provision_by_snapshot":            {},
	"POST /vdbs/{id}/enable":                      {},
	"POST /vdbs/{id}/disable":                     {},
	"POST /vdbs/{id}/lock":                        {},
	"POST /vdbs/{id}/unlock":                      {},
	"POST /vdbs/{id}/delete":                      {},
	"POST /vdbs/{id}/switch_timeflow":             {},
	"GET /vdbs/{id}/bookmarks":                    {query: listQuery(bookmarkSorts)},
	"POST /vdbs/{id}/bookmarks/search":            {query: listQuery(bookmarkSorts), filterable: vdbBookmarksFilterable},
	"GET /vdb-groups/{id}/bookmarks":              {query: listQuery(bookmarkSorts)},
	"GET /vdb-groups":                             {query: listQuery(vdbGroupSorts)},
	"POST /vdb-groups/search":                     {query: listQuery(vdbGroupSorts), filterable: vdbGroupsFilterable},
	"GET /vdb-groups/{id}":                        {},
	"POST /vdb-groups/{id}/refresh_from_bookmark": {},
	"POST /vdb-groups/{id}/refresh_by_snapshot":   {},
	"POST /vdb-groups/{id}/enable":                {},
	"POST /vdb-groups/{id}/disable":               {},
	"POST /vdb-groups/{id}/lock":                  {},
	"POST /vdb-groups/{id}/unlock":                {},
	"GET /compliance-jobs":                        {query: listQuery(complianceJobSorts)},
	"POST /compliance-jobs/search":                {query: listQuery(complianceJobSorts), filterable: complianceJobsFilterable},
	"GET /compliance-jobs/{id}":                   {},
	"POST /compliance-jobs/{id}/execute":          {},
	"GET /bookmarks":                              {query: listQuery(bookmarkSorts)},
	"POST /bookmarks/search":                      {query: listQuery(bookmarkSorts), filterable: bookmarksFilterable},
	"POST /bookmarks":                             {},
	"GET /bookmarks/{id}":                         {},
	"PATCH /bookmarks/{id}":                       {},
	"DELETE /bookmarks/{id}":                      {},
	"GET /jobs":                                   {query: listQuery(jobSorts)},
	"POST /jobs/search":                           {query: listQuery(jobSorts), filterable: jobsFilterable},
	"GET /timeflows":                              {query: listQuery(timeflowSorts)},
	"POST /timeflows/search":                      {query: listQuery(timeflowSorts), filterable: timeflowsFilterable},
	"GET /timeflows/{id}":                         {},
	"PATCH /timeflows/{id}":                       {},
	"DELETE /timeflows/{id}":                      {},
	"GET /jobs/{id}":                              {},
	"POST /jobs/{id}/abandon":                     {},
}

// Sort values (each also with "-", descending).
var (
	dsourceSorts       = []string{"id", "content_type", "database_type", "name", "database_version", "data_uuid", "storage_size", "plugin_version", "creation_date", "group_name", "enabled", "engine_id", "source_id", "status", "engine_name", "primary_object_id", "primary_engine_id", "primary_engine_name", "sync_policy_id", "retention_policy_id", "replica_retention_policy_id", "quota_policy_id", "logsync_enabled", "exported_data_directory", "template_id", "allow_auto_staging_restart_on_host_reboot", "physical_standby", "validate_by_opening_db_in_read_only_mode"}
	snapshotSorts      = []string{"id", "engine_id", "namespace", "name", "consistency", "missing_non_logged_data", "dataset_id", "creation_time", "start_timestamp", "start_location", "timestamp", "location", "expiration", "retain_forever", "effective_expiration", "effective_retain_forever", "timeflow_id", "timezone", "version", "temporary", "appdata_toolkit", "appdata_metadata", "ase_db_encryption_key", "mssql_internal_version", "mssql_backup_set_uuid", "mssql_backup_software_type", "mssql_backup_location_type", "mssql_empty_snapshot", "oracle_from_physical_standby_vdb", "oracle_redo_log_size_in_bytes"}
	vdbSorts           = []string{"id", "database_name", "database_type", "name", "database_version", "size", "engine_id", "status", "environment_id", "ip_address", "fqdn", "parent_id", "parent_dsource_id", "group_name", "creation_date", "last_refreshed_date", "engine_name", "storage_size", "locked_by", "locked_by_name", "primary_object_id", "primary_engine_id", "primary_engine_name", "content_type", "exported_data_directory", "vcdb_exported_data_directory", "invoke_datapatch", "instance_name", "instance_number", "repository_id"}
	bookmarkSorts      = []string{"id", "name", "creation_date", "vdb_ids", "retention", "expiration", "data_timestamp", "timeflow_id", "location", "vdb_group_name"}
	vdbGroupSorts      = []string{"id", "name", "locked_by", "locked_by_name", "database_type", "status", "last_successful_refresh_to_bookmark_id", "last_successful_refresh_time"}
	complianceJobSorts = []string{"id", "name", "is_on_the_fly_masking", "type", "execution_type", "engine_job_id", "creation_date", "engine_id", "engine_name", "last_completed_execution_date", "last_execution_status", "last_execution_id", "last_execution_start_time", "last_execution_run_time", "rule_set_id", "rule_set_name", "connector_type", "description", "dataset_id", "retain_execution_data", "parallelism_degree", "max_concurrent_target_connections", "max_concurrent_source_connections", "num_input_streams", "stream_row_limit", "feedback_size", "min_memory", "max_memory", "discovery_policy_id", "discovery_policy_name"}
	jobSorts           = []string{"id", "status", "type", "localized_type", "target_id", "target_name", "start_time", "update_time", "error_details", "trace_id", "account_id", "account_name"}
	timeflowSorts      = []string{"id", "engine_id", "namespace", "name", "dataset_id", "creation_type", "parent_snapshot_id", "parent_point_location", "parent_point_timestamp", "parent_point_timeflow_id", "source_data_timestamp", "oracle_incarnation_id", "oracle_cdb_timeflow_id", "oracle_tde_uuid", "mssql_database_guid", "creation_timestamp", "activation_timestamp", "parent_vdb_id", "parent_dsource_id", "source_vdb_id", "source_dsource_id"}
)

var dsourcesFilterable = dctfilter.Fields{
	"id": {Type: "string"}, "data_uuid": {Type: "string"}, "database_type": {Type: "string"},
	"name": {Type: "string"}, "database_version": {Type: "string"}, "content_type": {Type: "string"},
	"storage_size": {Type: "integer"}, "plugin_version": {Type: "string"},
	"creation_date": {Type: "string"}, "group_name": {Type: "string"}, "enabled": {Type: "boolean"},
	"is_detached": {Type: "boolean"}, "logsync_enabled": {Type: "boolean"},
	"exported_data_directory": {Type: "string"}, "engine_id": {Type: "string"},
	"source_id": {Type: "string"}, "status": {Type: "string"}, "engine_name": {Type: "string"},
	"cdb_id": {Type: "string"}, "current_timeflow_id": {Type: "string"},
	"previous_timeflow_id": {Type: "string"}, "namespace_id": {Type: "string"},
	"namespace_name": {Type: "string"}, "is_replica": {Type: "boolean"},
	"primary_object_id": {Type: "string"}, "primary_engine_id": {Type: "string"},
	"primary_engine_name": {Type: "string"},
	"replicas": {Type: "array[object]", Fields: dctfilter.Fields{
		"replica_id": {Type: "string"}, "replica_engine_id": {Type: "string"},
		"replica_engine_name": {Type: "string"},
	}},
	"hooks": {Type: "array[object]", Fields: dctfilter.Fields{
		"ops_pre_sync": {Type: "string"}, "ops_pre_log_sync": {Type: "string"},
		"ops_post_sync": {Type: "string"}, "pre_validated_sync": {Type: "string"},
		"post_validated_sync": {Type: "string"},
	}},
	"sync_policy_id": {Type: "string"}, "retention_policy_id": {Type: "string"},
	"replica_retention_policy_id": {Type: "string"}, "quota_policy_id": {Type: "string"},
	"template_id": {Type: "string"}, "allow_auto_staging_restart_on_host_reboot": {Type: "boolean"},
	"physical_standby":                         {Type: "boolean"},
	"validate_by_opening_db_in_read_only_mode": {Type: "boolean"},
}

var snapshotsFilterable = dctfilter.Fields{
	"id": {Type: "string"}, "engine_id": {Type: "string"}, "namespace": {Type: "string"},
	"name": {Type: "string"}, "namespace_id": {Type: "string"}, "namespace_name": {Type: "string"},
	"is_replica": {Type: "boolean"}, "consistency": {Type: "string"},
	"missing_non_logged_data": {Type: "boolean"}, "dataset_id": {Type: "string"},
	"creation_time": {Type: "string"}, "start_timestamp": {Type: "string"},
	"start_location": {Type: "string"}, "timestamp": {Type: "string"}, "location": {Type: "string"},
	"expiration": {Type: "date"}, "retain_forever": {Type: "boolean"},
	"effective_expiration": {Type: "date"}, "effective_retain_forever": {Type: "boolean"},
	"timeflow_id": {Type: "string"}, "timezone": {Type: "string"}, "version": {Type: "string"},
	"temporary": {Type: "boolean"}, "appdata_toolkit": {Type: "string"},
	"appdata_metadata": {Type: "string"}, "ase_db_encryption_key": {Type: "string"},
	"mssql_internal_version": {Type: "integer"}, "mssql_backup_set_uuid": {Type: "string"},
	"mssql_backup_software_type": {Type: "string"}, "mssql_backup_location_type": {Type: "string"},
	"mssql_empty_snapshot": {Type: "boolean"}, "oracle_from_physical_standby_vdb": {Type: "boolean"},
	"oracle_redo_log_size_in_bytes": {Type: "integer"},
}

var vdbsFilterable = dctfilter.Fields{
	"id": {Type: "string"}, "database_type": {Type: "string"}, "name": {Type: "string"},
	"database_name": {Type: "string"}, "database_version": {Type: "string"},
	"jdbc_connection_string": {Type: "string"}, "size": {Type: "integer"},
	"storage_size": {Type: "integer"}, "engine_id": {Type: "string"}, "status": {Type: "string"},
	"environment_id": {Type: "string"}, "ip_address": {Type: "string"}, "fqdn": {Type: "string"},
	"parent_id": {Type: "string"}, "parent_dsource_id": {Type: "string"},
	"group_name": {Type: "string"}, "creation_date": {Type: "string"},
	"last_refreshed_date": {Type: "string"}, "current_timeflow_id": {Type: "string"},
	"previous_timeflow_id": {Type: "string"}, "masked": {Type: "boolean"},
	"namespace_id": {Type: "string"}, "namespace_name": {Type: "string"},
	"is_replica": {Type: "boolean"}, "is_locked": {Type: "boolean"},
	"exported_data_directory": {Type: "string"}, "vcdb_exported_data_directory": {Type: "string"},
	"locked_by": {Type: "integer"}, "locked_by_name": {Type: "string"},
	"content_type": {Type: "string"},
	"tags": {Type: "array[object]", Fields: dctfilter.Fields{
		"key": {Type: "string"}, "value": {Type: "string"},
	}},
	"engine_name": {Type: "string"}, "cdb_id": {Type: "string"},
	"appdata_source_params": {Type: "string"}, "config_params": {Type: "string"},
	"primary_object_id": {Type: "string"}, "primary_engine_id": {Type: "string"},
	"primary_engine_name": {Type: "string"},
	"replicas": {Type: "array[object]", Fields: dctfilter.Fields{
		"replica_id": {Type: "string"}, "replica_engine_id": {Type: "string"},
		"replica_engine_name": {Type: "string"},
	}},
	"invoke_datapatch": {Type: "boolean"}, "node_listeners": {Type: "array[string]"},
	"instance_name": {Type: "string"}, "instance_number": {Type: "integer"},
	"repository_id": {Type: "string"},
}

var vdbBookmarksFilterable = dctfilter.Fields{
	"id": {Type: "string"}, "name": {Type: "string"}, "creation_date": {Type: "date-time"},
	"vdb_ids": {Type: "array[string]"}, "retention": {Type: "integer"}, "expiration": {Type: "date"},
	"ss_data_layout_id": {Type: "string"}, "ss_bookmark_reference": {Type: "string"},
	"ss_bookmark_errors": {Type: "array[string]"},
	"vdbs": {Type: "array[object]", Fields: dctfilter.Fields{
		"vdb_id": {Type: "string"}, "vdb_name": {Type: "string"},
	}},
	"tags": {Type: "array[object]", Fields: dctfilter.Fields{
		"key": {Type: "string"}, "value": {Type: "string"},
	}},
}

var vdbGroupsFilterable = dctfilter.Fields{
	"id": {Type: "string"}, "name": {Type: "string"}, "is_locked": {Type: "boolean"},
	"locked_by": {Type: "integer"}, "locked_by_name": {Type: "string"},
	"vdb_group_source": {Type: "string"}, "ss_data_layout_id": {Type: "string"},
	"vdb_ids": {Type: "array[string]"},
}

var complianceJobsFilterable = dctfilter.Fields{
	"id": {Type: "string"}, "name": {Type: "string"}, "engine_id": {Type: "string"},
	"engine_name": {Type: "string"}, "engine_job_id": {Type: "integer"}, "type": {Type: "string"},
	"execution_type": {Type: "string"}, "is_on_the_fly_masking": {Type: "boolean"},
	"creation_date": {Type: "string"}, "last_completed_execution_date": {Type: "string"},
	"last_execution_status": {Type: "string"}, "last_execution_id": {Type: "string"},
	"last_execution_start_time": {Type: "string"}, "last_execution_run_time": {Type: "integer"},
	"connector_username": {Type: "string"}, "on_the_fly_source_connector_username": {Type: "string"},
	"rule_set_id": {Type: "string"}, "rule_set_name": {Type: "string"},
	"hyperscale_instance_id": {Type: "string"}, "description": {Type: "string"},
	"dataset_id": {Type: "string"}, "retain_execution_data": {Type: "string"},
	"max_memory": {Type: "integer"}, "min_memory": {Type: "integer"},
	"feedback_size": {Type: "integer"}, "stream_row_limit": {Type: "integer"},
	"num_input_streams": {Type: "integer"}, "max_concurrent_source_connections": {Type: "integer"},
	"max_concurrent_target_connections": {Type: "integer"}, "parallelism_degree": {Type: "integer"},
	"discovery_policy_id": {Type: "string"}, "discovery_policy_name": {Type: "string"},
	"tags": {Type: "array[object]", Fields: dctfilter.Fields{
		"key": {Type: "string"}, "value": {Type: "string"},
	}},
}

var bookmarksFilterable = dctfilter.Fields{
	"id": {Type: "string"}, "name": {Type: "string"}, "creation_date": {Type: "date-time"},
	"data_timestamp": {Type: "date-time"}, "vdb_ids": {Type: "array[string]"},
	"dsource_ids": {Type: "array[string]"}, "retention": {Type: "integer"},
	"expiration": {Type: "date"}, "bookmark_source": {Type: "string"},
	"bookmark_status": {Type: "string"}, "ss_data_layout_id": {Type: "string"},
	"ss_bookmark_reference": {Type: "string"}, "ss_bookmark_errors": {Type: "array[string]"},
	"bookmark_type": {Type: "string"}, "timeflow_id": {Type: "date-time"},
	"location": {Type: "string"}, "vdb_group_id": {Type: "string"},
	"vdb_group_name": {Type: "string"},
	"vdbs": {Type: "array[object]", Fields: dctfilter.Fields{
		"vdb_id": {Type: "string"}, "vdb_name": {Type: "string"},
	}},
	"dsources": {Type: "array[object]", Fields: dctfilter.Fields{
		"dsource_id": {Type: "string"}, "dsource_name": {Type: "string"},
	}},
	"tags": {Type: "array[object]", Fields: dctfilter.Fields{
		"key": {Type: "string"}, "value": {Type: "string"},
	}},
}

var jobsFilterable = dctfilter.Fields{
	"id": {Type: "string"}, "status": {Type: "string"}, "type": {Type: "string"},
	"localized_type": {Type: "string"}, "target_id": {Type: "string"},
	"target_name": {Type: "string"}, "start_time": {Type: "string"}, "update_time": {Type: "string"},
	"error_details": {Type: "string"}, "trace_id": {Type: "string"},
	"engine_ids": {Type: "array[string]"},
	"engines": {Type: "array[object]", Fields: dctfilter.Fields{
		"engine_id": {Type: "string"}, "engine_name": {Type: "string"},
	}},
	"account_id": {Type: "int"}, "account_name": {Type: "string"},
}

var timeflowsFilterable = dctfilter.Fields{
	"id": {Type: "string"}, "engine_id": {Type: "string"}, "namespace": {Type: "string"},
	"name": {Type: "string"}, "namespace_id": {Type: "string"}, "namespace_name": {Type: "string"},
	"is_replica": {Type: "boolean"}, "dataset_id": {Type: "string"},
	"creation_type": {Type: "string"}, "parent_snapshot_id": {Type: "string"},
	"parent_point_location": {Type: "string"}, "parent_point_timestamp": {Type: "string"},
	"parent_point_timeflow_id": {Type: "string"}, "source_data_timestamp": {Type: "string"},
	"oracle_incarnation_id": {Type: "string"}, "oracle_cdb_timeflow_id": {Type: "string"},
	"oracle_tde_uuid": {Type: "integer"}, "mssql_database_guid": {Type: "string"},
	"is_active": {Type: "boolean"}, "creation_timestamp": {Type: "string"},
	"activation_timestamp": {Type: "string"}, "parent_vdb_id": {Type: "string"},
	"parent_dsource_id": {Type: "string"}, "source_vdb_id": {Type: "string"},
	"source_dsource_id": {Type: "string"},
}

// permissionEnum are the values of the permission parameter (PermissionEnum).
var permissionEnum = []string{"READ", "UPDATE", "DELETE", "EXECUTE", "CANCEL", "MIGRATE", "REFRESH", "DISABLE", "ENABLE", "ABANDON", "VALIDATE", "START", "STOP", "SNAPSHOT", "COPY", "REMOVE_JOB", "PASSWORD_RESET", "UNDO_IMPORT", "IMPORT", "PROVISION_FROM_BOOKMARK", "PROVISION", "REFRESH_FROM_BOOKMARK", "REFRESH_FROM_SNAPSHOT", "REFRESH_FROM_TIMESTAMP", "REFRESH_FROM_LOCATION", "CREATE_ENVIRONMENT", "CREATE_BOOKMARK", "CREATE_VDBGROUP", "MANAGE_TAGS", "LINK", "REPLICATE", "REPLICATE_TO", "CONVERT_AND_DROP", "IMPORT_BOOKMARKS", "FAILOVER", "COMMIT_FAILOVER", "FAILBACK", "DISCARD", "LOCK", "UNLOCK", "FORCE_UNLOCK", "LOCK_FOR_OTHER_ACCOUNT", "UPDATE_TIMEFLOW", "SNAPSHOT_DELETE", "SWITCH_TIMEFLOW", "DELETE_TIMEFLOW", "SNAPSHOT_UPDATE", "IMPORT_ACCOUNTS", "DETACH_SOURCE", "ATTACH_SOURCE", "RESOLVE", "RESOLVE_ALL", "RESOLVE_OR_IGNORE", "API_KEY_RESET", "API_KEY_DELETE", "DELETE_BOOKMARK", "UPDATE_BOOKMARK", "READ_BOOKMARK", "UPLOAD_MASKING_FILE", "GLOBAL_SYNC_ENGINES", "ADD_ENGINE_TO_HYPERSCALE", "CONFIGURE_CUSTOM_AUTO_TAGGING", "CONFIGURE_PREDEFINED_AUTO_TAGGING", "APPLY", "UNAPPLY", "UNDO_REFRESH", "CONVERT"}
