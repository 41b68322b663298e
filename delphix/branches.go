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

// Get returns GET /{js}/branch/{ref}.
func (s *BranchesService) Get(ctx context.Context, ref string) (*Branch, error) {
	var b Branch
	if _, err := s.client.call(ctx, "GET", s.client.selfService()+"/branch/"+url.PathEscape(ref), nil, &b); err != nil {
		return nil, err
	}
	return &b, nil
}

// Create creates a branch on a container starting at a bookmark
// (JSBranchCreateParameters). The operation's Reference is the new branch.
func (s *BranchesService) Create(ctx context.Context, name, containerRef, bookmarkRef string) (Operation, error) {
	body := typed{"type": "JSBranchCreateParameters", "name": name, "dataContainer": containerRef,
		"timelinePointParameters": typed{"type": "JSTimelinePointBookmarkInput", "bookmark": bookmarkRef}}
	// After a lost answer, the branch of that name on the container is what
	// the request created; its job runs on the container.
	created := func(ctx context.Context) (string, error) {
		bs, err := s.List(ctx, containerRef)
		for _, b := range bs {
			if b.Name == name {
				return b.Reference, nil
			}
		}
		return "", err
	}
	return s.client.startRecoverable(ctx, s.client.selfService()+"/branch", body,
		recovery{Target: containerRef, ActionType: "JETSTREAM_USER_BRANCH_CREATE", Created: created, JobOnTarget: true})
}

// Activate makes a branch its container's active branch.
func (s *BranchesService) Activate(ctx context.Context, ref string) (Operation, error) {
	return s.op(ctx, ref, "activate", "JETSTREAM_USER_BRANCH_ACTIVATE")
}

// Delete deletes a branch.
func (s *BranchesService) Delete(ctx context.Context, ref string) (Operation, error) {
	return s.op(ctx, ref, "delete", "JETSTREAM_USER_BRANCH_DELETE")
}

// op POSTs a branch operation. Its job runs on the branch's container, so
// the branch is read first: after a lost answer, the job is looked for there.
func (s *BranchesService) op(ctx context.Context, ref, name, actionType string) (Operation, error) {
	b, err := s.Get(ctx, ref)
	if err != nil {
		return Operation{}, err
	}
	return s.client.startRecoverable(ctx, s.client.selfService()+"/branch/"+url.PathEscape(ref)+"/"+name, struct{}{},
		recovery{Target: b.DataLayout, ActionType: actionType})
}
