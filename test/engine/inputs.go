package engine

// inputTypes is the engine's own table of the request types it accepts: for each type its
// parent (for "derived from" checks), its fields, which are required, and the API versions
// each exists in. It is written by hand from the public reference; schema_test.go checks it
// against ../shared/reference/engine/schema-1.11.9.json so that names and required flags stay
// honest without copying the schema.
var inputTypes = map[string]*inputType{
	// Session and login.
	"APISession": {fields: map[string]field{
		"version": {kind: kObject, family: "APIVersion", required: true},
		"locale":  {kind: kString}, "client": {kind: kString},
	}},
	"APIVersion": {fields: map[string]field{
		"major": {kind: kInt, required: true}, "minor": {kind: kInt, required: true}, "micro": {kind: kInt, required: true},
	}},
	"LoginRequest": {fields: map[string]field{
		"username": {kind: kString, required: true}, "password": {kind: kString, required: true},
		"target":        {kind: kString, enum: []string{"DOMAIN", "SYSTEM"}},
		"keepAliveMode": {kind: kString, since: "1.11.0", enum: []string{"ALL_REQUESTS", "KEEP_ALIVE_HEADER_ONLY"}},
	}},

	// Sync parameters (engine-api.md §4.1).
	"SyncParameters": {abstract: true},
	"AppDataSyncParameters": {parent: "SyncParameters", fields: map[string]field{
		"resync":     {kind: kBool, until: "1.11.6"},
		"parameters": {kind: kJSON, required: true, since: "1.11.6"},
	}},
	"OracleSyncParameters": {parent: "SyncParameters", abstractSince: "1.11.8", fields: map[string]field{
		"forceFullBackup": {kind: kBool, until: "1.11.8"}, "doubleSync": {kind: kBool, until: "1.11.8"},
		"skipSpaceCheck": {kind: kBool, until: "1.11.8"},
	}},
	"OracleSyncFromExternalParameters": {parent: "OracleSyncParameters", since: "1.11.0", fields: map[string]field{
		"forceFullBackup": {kind: kBool}, "doubleSync": {kind: kBool}, "skipSpaceCheck": {kind: kBool},
		"doNotResume": {kind: kBool}, "filesForFullBackup": {kind: kInts},
	}},
	"MSSqlSyncParameters": {parent: "SyncParameters", abstractSince: "1.9.0", fields: map[string]field{
		"loadFromBackup": {kind: kBool, until: "1.9.0"},
	}},
	"MSSqlExistingBackupSyncParameters":           {parent: "MSSqlSyncParameters", abstract: true, since: "1.9.0"},
	"MSSqlExistingMostRecentBackupSyncParameters": {parent: "MSSqlExistingBackupSyncParameters", since: "1.9.0"},
	"MSSqlExistingSpecificBackupSyncParameters": {parent: "MSSqlExistingBackupSyncParameters", since: "1.9.0", fields: map[string]field{
		"backupUUID": {kind: kString, required: true},
	}},
	"MSSqlNewCopyOnlyFullBackupSyncParameters": {parent: "MSSqlSyncParameters", since: "1.9.0", fields: map[string]field{
		"compressionEnabled": {kind: kBool, required: true},
		"backupPolicy":       {kind: kString, enum: []string{"PRIMARY", "SECONDARY_ONLY", "PREFER_SECONDARY"}},
	}},
	"ASESyncParameters": {parent: "SyncParameters", abstract: true},
	"ASELatestBackupSyncParameters": {parent: "ASESyncParameters", fields: map[string]field{
		"dropAndRecreateDevices": {kind: kBool},
	}},
	"ASENewBackupSyncParameters": {parent: "ASESyncParameters", fields: map[string]field{
		"dropAndRecreateDevices": {kind: kBool},
	}},
	"ASESpecificBackupSyncParameters": {parent: "ASESyncParameters", fields: map[string]field{
		"backupFiles": {kind: kStrings, required: true}, "dropAndRecreateDevices": {kind: kBool},
	}},

	// Refresh (engine-api.md §5.1).
	"RefreshParameters": {fields: map[string]field{
		"timeflowPointParameters": {kind: kObject, family: "TimeflowPointParameters", required: true},
	}},
	"OracleRefreshParameters": {parent: "RefreshParameters", fields: map[string]field{
		"timeflowPointParameters": {kind: kObject, family: "TimeflowPointParameters", required: true},
		"username":                {kind: kString}, "credential": {kind: kObject, family: "Credential"},
	}},
	"TimeflowPointParameters": {abstract: true},
	"TimeflowPointSemantic": {parent: "TimeflowPointParameters", fields: map[string]field{
		"container": {kind: kString}, "location": {kind: kString, enum: []string{"LATEST_POINT", "LATEST_SNAPSHOT"}},
	}},
	"TimeflowPointSnapshot": {parent: "TimeflowPointParameters", fields: map[string]field{
		"snapshot": {kind: kString, required: true},
	}},
	"TimeflowPointTimestamp": {parent: "TimeflowPointParameters", fields: map[string]field{
		"timeflow": {kind: kString, required: true}, "timestamp": {kind: kString, required: true},
	}},
	"Credential": {abstract: true},
	"PasswordCredential": {parent: "Credential", fields: map[string]field{
		"password": {kind: kString, required: true},
	}},

	// Source updates: hooks (engine-api.md §7). Only the updatable fields are listed.
	"Source":                         {abstract: true},
	"AppDataVirtualSource":           {parent: "Source", fields: sourceUpdateFields("VirtualSourceOperations")},
	"AppDataLinkedDirectSource":      {parent: "Source", fields: sourceUpdateFields("LinkedSourceOperations")},
	"OracleVirtualSource":            {parent: "Source", fields: sourceUpdateFields("VirtualSourceOperations")},
	"OracleLinkedSource":             {parent: "Source", fields: sourceUpdateFields("LinkedSourceOperations")},
	"MSSqlVirtualSource":             {parent: "Source", fields: sourceUpdateFields("VirtualSourceOperations")},
	"MSSqlLinkedSource":              {parent: "Source", fields: sourceUpdateFields("LinkedSourceOperations")},
	"ASEVirtualSource":               {parent: "Source", fields: sourceUpdateFields("VirtualSourceOperations")},
	"ASELinkedSource":                {parent: "Source", fields: sourceUpdateFields("LinkedSourceOperations")},
	"VirtualSourceOperations":        {fields: hookLists(virtualHooks)},
	"LinkedSourceOperations":         {fields: hookLists(linkedHooks)},
	"SourceOperation":                {abstract: true},
	"RunBashOnSourceOperation":       {parent: "SourceOperation", fields: hookFields()},
	"RunCommandOnSourceOperation":    {parent: "SourceOperation", fields: hookFields()},
	"RunPowerShellOnSourceOperation": {parent: "SourceOperation", fields: hookFields()},
	// Recorded at API 1.9 in VDBs' configureClone lists, absent from the 1.11.9 schema: from
	// 1.11 such a hook is neither listed nor accepted, and a list sent keeps it (hookKnownAt).
	"RunMaskingJobOnSourceOperation": {parent: "SourceOperation", until: "1.11.0", fields: map[string]field{
		"name":          {kind: kString, requiredSince: "1.9.0"},
		"maskingJobId":  {kind: kString, required: true},
		"applicationId": {kind: kString},
	}},
	"CredentialsEnvVars": {since: "1.11.0", fields: map[string]field{
		"baseVarName": {kind: kString, required: true},
		"credentials": {kind: kObject, family: "Credential", required: true},
	}},
}

var (
	virtualHooks = []string{"configureClone", "preRefresh", "postRefresh", "preRollback", "postRollback",
		"preSnapshot", "postSnapshot", "preStart", "postStart", "preStop", "postStop"}
	linkedHooks = []string{"preSync", "postSync"}
)

func sourceUpdateFields(ops string) map[string]field {
	return map[string]field{
		"operations":  {kind: kObject, family: ops},
		"description": {kind: kString},
	}
}

func hookLists(names []string) map[string]field {
	f := map[string]field{}
	for _, n := range names {
		f[n] = field{kind: kObjects, family: "SourceOperation"}
	}
	return f
}

// hookFields: name is required from API 1.9, credentialsEnvVarsList exists from 1.11.
func hookFields() map[string]field {
	return map[string]field{
		"command":                {kind: kString, required: true},
		"name":                   {kind: kString, requiredSince: "1.9.0"},
		"credentialsEnvVarsList": {kind: kObjects, family: "CredentialsEnvVars", since: "1.11.0"},
	}
}

func containerCreateFields(withPoint bool) map[string]field {
	f := map[string]field{
		"name":        {kind: kString, required: true},
		"template":    {kind: kString, required: true},
		"dataSources": {kind: kObjects, family: "JSDataSourceCreateParameters", required: true},
		"owners":      {kind: kStrings}, "notes": {kind: kString}, "properties": {kind: kJSON},
	}
	if withPoint {
		f["timelinePointParameters"] = field{kind: kObject, family: "JSTimelinePointParameters", required: true}
	}
	return f
}
