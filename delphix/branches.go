package delphix

import (
	"context"
	"net/url"
)

// Branch is a line of a data layout's timeline (JSBranch).
type Branch struct {
	Type       string `json:"type"`
	Reference  string `json:"reference"`
	Name       string `json:"name"`
	DataLayout string `json:"dataLayout"`
}

// BranchesService manages branches.
type BranchesService service

// List returns the branches of a template or container (GET /{js}/branch?dataLayout=).
func (s *BranchesService) List(ctx context.Context, layoutRef string) ([]Branch, error) {
	var bs []Branch
	_, err := s.client.call(ctx, "GET", withQuery(s.client.selfService()+"/branch", url.Values{"dataLayout": {layoutRef}}), nil, &bs)
	return bs, err
}

// Create creates a branch on a container starting at a bookmark
// (JSBranchCreateParameters). The operation's Reference is the new branch.
func (s *BranchesService) Create(ctx context.Context, name, containerRef, bookmarkRef string) (Operation, error) {
	body := typed{"type": "JSBranchCreateParameters", "name": name, "dataContainer": containerRef,
		"timelinePointParameters": typed{"type": "JSTimelinePointBookmarkInput", "bookmark": bookmarkRef}}
	return s.client.start(ctx, s.client.selfService()+"/branch", body)
}

// Activate makes a branch its container's active branch.
func (s *BranchesService) Activate(ctx context.Context, ref string) (Operation, error) {
	return s.client.start(ctx, s.client.selfService()+"/branch/"+url.PathEscape(ref)+"/activate", struct{}{})
}

// Delete deletes a branch.
func (s *BranchesService) Delete(ctx context.Context, ref string) (Operation, error) {
	return s.client.start(ctx, s.client.selfService()+"/branch/"+url.PathEscape(ref)+"/delete", struct{}{})
}
