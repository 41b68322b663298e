// Package dct is a client for Delphix Data Control Tower, REST API v3
// (written against the DCT 3.18.0 OpenAPI file), the successor of the
// engine's Self-Service (Jet Stream) that package delphix drives.
//
// A Client is built without network I/O. Every request carries
// "Authorization: apk <key>" (WithAPIKey adds the prefix when the key lacks
// it; the key never appears in an error). The base path is /dct/v3 unless
// WithBasePath says /v3. Every call takes a context first and returns typed
// values or an error that works with errors.Is (ErrNotFound,
// ErrUnauthorized, ErrForbidden, ErrConflict) and errors.As (*APIError,
// *NameError, *JobError, *UnreachableError). Reads and searches are retried
// on connection errors, 429 and 502-504 (Retry-After honoured); a request
// that may start a job is sent again only when it never reached DCT or DCT
// refused it with 429.
//
// Work is asynchronous: operations return the *Job they started, and
// Jobs.Wait follows it to COMPLETED, or to FAILED, TIMEDOUT, CANCELED or
// ABANDONED as a *JobError (PENDING, STARTED, RUNNING, WAITING and
// SUSPENDED go on), reading it again near the end its rising
// percent_complete predicts and never more than the maximum wait interval
// apart. Lock and unlock are synchronous and return the object.
// Jobs.Active lists the jobs still running on an object, to wait for
// before operating on it; Jobs.Recent lists its newest jobs, to find the
// one a start whose answer was lost did start.
//
// # From Jet Stream to DCT
//
//	Jet Stream                      DCT (this package)
//	data template                   no object: the parent datasets, the prod dSource
//	                                (DSources) and the masked master VDB (VDBs)
//	data container (one source)     a VDB
//	data container (several)        a VDB group (VDBGroups)
//	sync the source                 DSources.Snapshot, then Snapshots.Latest
//	refresh with masking            VDBs.RefreshBySnapshot, then ComplianceJobs.Execute
//	refresh a container             VDBs/VDBGroups.RefreshBySnapshot or RefreshFromBookmark
//	restore to a bookmark           RefreshFromBookmark on the pod itself (rollback is deprecated)
//	reset                           a refresh to the pod's own newest snapshot
//	bookmark, shared or not         Bookmarks.Create with Type PUBLIC or PRIVATE; Update shares
//	branch from a bookmark          VDBs.ProvisionFromBookmark (a private copy owned by the
//	                                caller) or a restore in place (Bookmarks.CompatibleWith
//	                                finds a bookmark the VDB can use)
//	branches of a container         Timeflows.OfDataset; Rename names one, Delete drops one
//	activate a branch               VDBs.SwitchTimeflow (a branch is a timeflow)
//	lock a container                Lock and Unlock on the VDB or group
//	enable / disable a container    Enable / Disable on the VDB or group
//	hooks on the template           VDBs.SetHooks (configure_clone runs after every refresh)
//
// What differs from Jet Stream: there is no template object and no
// container owner list (DCT accounts and access groups decide who may act);
// masking is a separate compliance job run after the refresh, never part
// of it; a bookmark is shared by its type, not a share call; bookmark
// names are not unique; a bookmark keeps its snapshots until its
// expiration date, so pipeline bookmarks should expire; DCT answers HTTP
// 200 for started work and the job says how it ends.
//
// Lookups by name search with filter_expression and then match the name
// exactly here. The filter grammar quotes strings with ' or " and has no
// escape, so a name is quoted with the quote it does not contain; a name
// holding both (or a backslash) is searched by its longest plain part and
// never spliced into the filter. A miss lists the closest names; two
// matches are an error, as on the engine.
//
// Open questions the spec leaves and what this package
// does: error bodies are read as ErrorResponse, Error or "errors" lists,
// else as text; the meaning of 409 is taken as "locked or busy"; whether
// PATCH hooks merges arrays is unknown, so SetHooks sends whole lists and
// only for the points given; a bookmark delete may answer 204 or a job;
// whether an empty refresh_by_snapshot body means the parent's latest
// snapshot is unverified, so the pipeline passes the snapshot id.
//
// The package never reads the environment and never prints.
package dct
