package engine

// Self-service request types (engine-api.md §6, engine/README.md §3); see inputTypes.
func init() {
	for name, t := range map[string]*inputType{
		// Self-service (engine-api.md §6, engine/README.md §3).
		"JSDataContainerRefreshParameters": {since: "1.9.0", fields: map[string]field{
			"forceOption": {kind: kBool, required: true},
		}},
		"JSDataContainerResetParameters": {since: "1.9.0", fields: map[string]field{
			"forceOption": {kind: kBool, required: true},
		}},
		"JSDataContainerRestoreParameters": {since: "1.9.0", fields: map[string]field{
			"forceOption":             {kind: kBool, required: true},
			"timelinePointParameters": {kind: kObject, family: "JSTimelinePointParameters", required: true},
		}},
		"JSDataContainerLockParameters": {fields: map[string]field{
			"lockUser": {kind: kString, required: true},
		}},
		"JSTimelinePointParameters":     {abstract: true},
		"JSTimelinePointTimeParameters": {parent: "JSTimelinePointParameters", abstract: true},
		"JSTimelinePointLatestTimeInput": {parent: "JSTimelinePointTimeParameters", fields: map[string]field{
			"sourceDataLayout": {kind: kString, required: true},
		}},
		"JSTimelinePointTimeInput": {parent: "JSTimelinePointTimeParameters", fields: map[string]field{
			"branch": {kind: kString, required: true}, "time": {kind: kString, required: true},
		}},
		"JSTimelinePointBookmarkInput": {parent: "JSTimelinePointParameters", fields: map[string]field{
			"bookmark": {kind: kString, required: true},
		}},
		"JSDataContainerCreateParameters": {abstractSince: "1.8.2", fields: containerCreateFields(true)},
		"JSDataContainerCreateWithRefreshParameters": {parent: "JSDataContainerCreateParameters", since: "1.8.2",
			fields: containerCreateFields(true)},
		"JSDataContainerCreateWithoutRefreshParameters": {parent: "JSDataContainerCreateParameters", since: "1.8.2",
			fields: containerCreateFields(false)},
		"JSDataSourceCreateParameters": {fields: map[string]field{
			"container":  {kind: kString, required: true},
			"source":     {kind: kObject, family: "JSDataSource", required: true},
			"properties": {kind: kJSON},
		}},
		"JSDataSource": {fields: map[string]field{
			"name": {kind: kString, required: true}, "priority": {kind: kInt},
			"description": {kind: kString}, "properties": {kind: kJSON},
		}},
		"JSBookmarkCreateParameters": {fields: map[string]field{
			"bookmark":                {kind: kObject, family: "JSBookmark", required: true},
			"timelinePointParameters": {kind: kObject, family: "JSTimelinePointTimeParameters", required: true},
		}},
		"JSBookmark": {fields: map[string]field{
			"name": {kind: kString, required: true}, "branch": {kind: kString, required: true},
			"tags": {kind: kStrings}, "shared": {kind: kBool}, "description": {kind: kString},
			"expiration": {kind: kString},
		}},
		"JSBranchCreateParameters": {fields: map[string]field{
			"name":                    {kind: kString, required: true},
			"dataContainer":           {kind: kString, required: true},
			"timelinePointParameters": {kind: kObject, family: "JSTimelinePointParameters", required: true},
		}},
	} {
		inputTypes[name] = t
	}
}
