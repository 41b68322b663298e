package delphix

import (
	"context"
	"errors"
	"net/url"
	"time"
)

// Bookmark is a named point in a template's or container's data (JSBookmark).
type Bookmark struct {
	Type          string   `json:"type"`
	Reference     string   `json:"reference"`
	Name          string   `json:"name"`
	Branch        string   `json:"branch"`
	Template      string   `json:"template"`
	TemplateName  string   `json:"templateName"`
	Container     string   `json:"container"`
	ContainerName string   `json:"containerName"`
	BookmarkType  string   `json:"bookmarkType"` // DATA_CONTAINER or DATA_TEMPLATE
	Timestamp     string   `json:"timestamp"`
	CreationTime  string   `json:"creationTime"`
	Shared        bool     `json:"shared"`
	Tags          []string `json:"tags"`
	Description   string   `json:"description"`
	// Expiration is when a policy deletes the bookmark; "": kept until deleted.
	Expiration string `json:"expiration"`
	Usable     bool   `json:"usable"`
}

// BookmarkListOptions filters List: at most one of Container and Template.
type BookmarkListOptions struct {
	Container string
	Template  string
}

// BookmarkCreate describes a bookmark at the latest point of a data
// layout's active branch.
type BookmarkCreate struct {
	Name        string
	Layout      string // template or container reference
	Branch      string // the layout's active branch
	Tags        []string
	Shared      bool
	Description string
	// Expiration, when set, is when the engine's policy deletes the bookmark
	// (API 1.6 and later); zero: kept until deleted.
	Expiration time.Time
}

// BookmarksService manages bookmarks.
type BookmarksService service

// List returns the bookmarks the user can see (GET /{js}/bookmark).
func (s *BookmarksService) List(ctx context.Context, opts BookmarkListOptions) ([]Bookmark, error) {
	q := url.Values{}
	if opts.Container != "" {
		q.Set("container", opts.Container)
	}
	if opts.Template != "" {
		q.Set("template", opts.Template)
	}
	var bs []Bookmark
	_, err := s.client.call(ctx, "GET", withQuery(s.client.selfService()+"/bookmark", q), nil, &bs)
	return bs, err
}

// Get returns GET /{js}/bookmark/{ref}.
func (s *BookmarksService) Get(ctx context.Context, ref string) (*Bookmark, error) {
	var b Bookmark
	if _, err := s.client.call(ctx, "GET", s.client.selfService()+"/bookmark/"+url.PathEscape(ref), nil, &b); err != nil {
		return nil, err
	}
	return &b, nil
}

// Create bookmarks the latest point of p.Layout's active branch
// (JSBookmarkCreateParameters). The operation's Reference is the new bookmark.
func (s *BookmarksService) Create(ctx context.Context, p BookmarkCreate) (Operation, error) {
	bm := typed{"type": "JSBookmark", "name": p.Name, "branch": p.Branch, "shared": p.Shared}
	if p.Tags != nil {
		bm["tags"] = p.Tags
	}
	if p.Description != "" {
		bm["description"] = p.Description
	}
	if !p.Expiration.IsZero() {
		bm["expiration"] = p.Expiration.UTC().Format("2006-01-02T15:04:05.000Z")
	}
	body := typed{"type": "JSBookmarkCreateParameters", "bookmark": bm,
		"timelinePointParameters": typed{"type": "JSTimelinePointLatestTimeInput", "sourceDataLayout": p.Layout}}
	// The bookmark's job runs on the new bookmark: after a lost answer, the
	// bookmark of that name on that branch is what the request created.
	created := func(ctx context.Context) (string, error) {
		bs, err := s.List(ctx, BookmarkListOptions{})
		for _, b := range bs {
			if b.Name == p.Name && b.Branch == p.Branch {
				return b.Reference, nil
			}
		}
		return "", err
	}
	return s.client.startRecoverable(ctx, s.client.selfService()+"/bookmark", body,
		recovery{ActionType: "JETSTREAM_USER_BOOKMARK_CREATE", Created: created})
}

// Share makes a bookmark visible to other users. After a lost answer the
// bookmark is read: shared, it took effect; else it is sent again (sharing
// twice is sharing once).
func (s *BookmarksService) Share(ctx context.Context, ref string) (Operation, error) {
	return s.setShared(ctx, ref, "share", true)
}

// Unshare makes a bookmark private again, recovered as Share is.
func (s *BookmarksService) Unshare(ctx context.Context, ref string) (Operation, error) {
	return s.setShared(ctx, ref, "unshare", false)
}

func (s *BookmarksService) setShared(ctx context.Context, ref, op string, shared bool) (Operation, error) {
	return s.client.sendRecoverable(ctx, s.client.selfService()+"/bookmark/"+url.PathEscape(ref)+"/"+op, struct{}{},
		func(ctx context.Context, _ time.Time, _ bool) (*Operation, error) {
			b, err := s.Get(ctx, ref)
			if err != nil || b.Shared != shared {
				return nil, err
			}
			return &Operation{Recovered: true}, nil
		})
}

// Delete deletes a bookmark. After a lost answer the bookmark is read:
// gone, it took effect; else the delete job on it started since just before
// the request is followed; neither, it is sent again once the looks agree.
func (s *BookmarksService) Delete(ctx context.Context, ref string) (Operation, error) {
	return s.client.sendRecoverable(ctx, s.client.selfService()+"/bookmark/"+url.PathEscape(ref)+"/delete", struct{}{},
		func(ctx context.Context, since time.Time, known bool) (*Operation, error) {
			_, err := s.Get(ctx, ref)
			switch {
			case errors.Is(err, ErrNotFound):
				return &Operation{Recovered: true}, nil
			case err != nil:
				return nil, err
			}
			return s.client.findStarted(ctx, recovery{Target: ref, ActionType: "JETSTREAM_USER_BOOKMARK_DELETE"}, since.Add(-clockSlack), known)
		})
}
