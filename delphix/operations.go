package delphix

import (
	"context"
	"net/url"
)

// DataOperation is a self-service data operation on a template or
// container (JSOperation): a refresh, restore, branch creation ...
type DataOperation struct {
	Reference  string      `json:"reference"`
	Operation  string      `json:"operation"` // REFRESH, RESTORE, CREATE_BRANCH, CREATE_BOOKMARK ...
	DataLayout string      `json:"dataLayout"`
	Branch     string      `json:"branch"`
	StartTime  string      `json:"startTime"`
	DataParent *DataParent `json:"dataParent"`
}

// DataParent is where an operation's data came from: a bookmark
// (JSBookmarkDataParent) or a point on a branch (JSTimestampDataParent).
// The reference is empty once that bookmark or branch is deleted; the name stays.
type DataParent struct {
	Type         string `json:"type"`
	Bookmark     string `json:"bookmark"`
	BookmarkName string `json:"bookmarkName"`
	Branch       string `json:"branch"`
	BranchName   string `json:"branchName"`
	Time         string `json:"time"` // JSTimestampDataParent: the data time on Branch
}

// DataOperationsService reads the self-service operation log.
type DataOperationsService service

// List returns the operations on a data layout (GET /{js}/operation?dataLayout=),
// newest first; layoutRef "" lists every operation the user can see.
func (s *DataOperationsService) List(ctx context.Context, layoutRef string) ([]DataOperation, error) {
	q := url.Values{}
	if layoutRef != "" {
		q.Set("dataLayout", layoutRef)
	}
	var ops []DataOperation
	_, err := s.client.call(ctx, "GET", withQuery(s.client.selfService()+"/operation", q), nil, &ops)
	return ops, err
}
