package delphix

import (
	"context"
	"maps"
	"net/url"
	"slices"
)

// Container is a self-service data container, a data pod (JSDataContainer).
type Container struct {
	Type              string `json:"type"`
	Reference         string `json:"reference"`
	Name              string `json:"name"`
	Template          string `json:"template"`
	ActiveBranch      string `json:"activeBranch"`
	State             string `json:"state"` // ONLINE, OFFLINE or INCONSISTENT
	LastUpdated       string `json:"lastUpdated"`
	Owner             string `json:"owner"`
	LockUserReference string `json:"lockUserReference"`
	LockUserName      string `json:"lockUserName"`
}

// ContainersService manages data containers.
type ContainersService service

// List returns the containers of a template, or all visible ones when
// templateRef is empty (GET /{js}/container?template=).
func (s *ContainersService) List(ctx context.Context, templateRef string) ([]Container, error) {
	q := url.Values{}
	if templateRef != "" {
		q.Set("template", templateRef)
	}
	var cs []Container
	_, err := s.client.call(ctx, "GET", withQuery(s.client.selfService()+"/container", q), nil, &cs)
	return cs, err
}

// Get returns GET /{js}/container/{ref}.
func (s *ContainersService) Get(ctx context.Context, ref string) (*Container, error) {
	var c Container
	if _, err := s.client.call(ctx, "GET", s.client.selfService()+"/container/"+url.PathEscape(ref), nil, &c); err != nil {
		return nil, err
	}
	return &c, nil
}

// FindByName returns the one container named exactly name (among the
// template's when templateRef is set), or a *NameError.
func (s *ContainersService) FindByName(ctx context.Context, templateRef, name string) (*Container, error) {
	cs, err := s.List(ctx, templateRef)
	if err != nil {
		return nil, err
	}
	return FindByName("data container", name, cs, func(c *Container) string { return c.Name }, func(c *Container) string { return c.Reference })
}

// ContainerCreate describes a new data container: its data sources are
// existing VDBs, one per data source of the template, named as the
// template's sources are.
type ContainerCreate struct {
	Name        string
	Template    string            // template reference
	DataSources map[string]string // template data-source name -> VDB reference
	Owners      []string          // user references
	// Point is where the new container's data comes from; nil: the template's latest data.
	Point *TimelinePoint
}

// TimelinePoint is a self-service timeline point: a bookmark
// (JSTimelinePointBookmarkInput), or the latest provisionable point at or
// before Time on Branch (JSTimelinePointTimeInput); on a template's branch
// that is a snapshot of its data source.
type TimelinePoint struct {
	Bookmark     string // bookmark reference
	Branch, Time string // branch reference and ISO-8601 time
}

func (p TimelinePoint) input() typed {
	if p.Bookmark != "" {
		return typed{"type": "JSTimelinePointBookmarkInput", "bookmark": p.Bookmark}
	}
	return typed{"type": "JSTimelinePointTimeInput", "branch": p.Branch, "time": p.Time}
}

// Create creates a container from its template and refreshes it to the
// template's latest data (JSDataContainerCreateWithRefreshParameters; before
// API 1.8.2, JSDataContainerCreateParameters).
func (s *ContainersService) Create(ctx context.Context, p ContainerCreate) (Operation, error) {
	kind := "JSDataContainerCreateWithRefreshParameters"
	if !s.client.APIVersion().AtLeast(1, 8, 2) {
		kind = "JSDataContainerCreateParameters"
	}
	names := slices.Sorted(maps.Keys(p.DataSources))
	sources := make([]typed, 0, len(names))
	for i, name := range names {
		sources = append(sources, typed{"type": "JSDataSourceCreateParameters", "container": p.DataSources[name],
			"source": typed{"type": "JSDataSource", "name": name, "priority": i + 1}})
	}
	point := typed{"type": "JSTimelinePointLatestTimeInput", "sourceDataLayout": p.Template}
	if p.Point != nil {
		point = p.Point.input()
	}
	body := typed{"type": kind, "name": p.Name, "template": p.Template, "dataSources": sources, "timelinePointParameters": point}
	if len(p.Owners) > 0 {
		body["owners"] = p.Owners
	}
	// After a lost answer, the template's container of that name is what
	// the request created, and its job runs on it.
	created := func(ctx context.Context) (string, error) {
		cs, err := s.List(ctx, p.Template)
		for _, c := range cs {
			if c.Name == p.Name {
				return c.Reference, nil
			}
		}
		return "", err
	}
	return s.client.startRecoverable(ctx, s.client.selfService()+"/container", body,
		recovery{ActionType: "JETSTREAM_ADMIN_CONTAINER_CREATE", Created: created})
}

// Refresh refreshes the container from its template's latest data.
func (s *ContainersService) Refresh(ctx context.Context, ref string) (Operation, error) {
	return s.op(ctx, ref, "refresh", "JSDataContainerRefreshParameters", typed{"forceOption": false})
}

// Reset returns the container to its last data operation.
func (s *ContainersService) Reset(ctx context.Context, ref string) (Operation, error) {
	return s.op(ctx, ref, "reset", "JSDataContainerResetParameters", typed{"forceOption": false})
}

// Restore restores the container's active branch to a bookmark.
func (s *ContainersService) Restore(ctx context.Context, ref, bookmarkRef string) (Operation, error) {
	return s.RestoreTo(ctx, ref, TimelinePoint{Bookmark: bookmarkRef})
}

// RestoreTo restores the container's active branch to a timeline point,
// e.g. a time on its template's branch. API 1.8 takes the point itself as
// the body.
func (s *ContainersService) RestoreTo(ctx context.Context, ref string, p TimelinePoint) (Operation, error) {
	point := p.input()
	path := s.client.selfService() + "/container/" + url.PathEscape(ref) + "/restore"
	if !s.client.APIVersion().AtLeast(1, 9, 0) {
		return s.client.startRecoverable(ctx, path, point, recovery{Target: ref})
	}
	return s.client.startRecoverable(ctx, path, typed{"type": "JSDataContainerRestoreParameters", "forceOption": false, "timelinePointParameters": point},
		recovery{Target: ref})
}

// Enable starts the container's data sources.
func (s *ContainersService) Enable(ctx context.Context, ref string) (Operation, error) {
	return s.op(ctx, ref, "enable", "", nil)
}

// Disable stops the container's data sources.
func (s *ContainersService) Disable(ctx context.Context, ref string) (Operation, error) {
	return s.op(ctx, ref, "disable", "", nil)
}

// Recover brings an INCONSISTENT container back.
func (s *ContainersService) Recover(ctx context.Context, ref string) (Operation, error) {
	return s.op(ctx, ref, "recover", "", nil)
}

// Lock locks the container for one user.
func (s *ContainersService) Lock(ctx context.Context, ref, userRef string) (Operation, error) {
	return s.client.startRecoverable(ctx, s.client.selfService()+"/container/"+url.PathEscape(ref)+"/lock",
		typed{"type": "JSDataContainerLockParameters", "lockUser": userRef}, recovery{Target: ref})
}

// Unlock unlocks the container.
func (s *ContainersService) Unlock(ctx context.Context, ref string) (Operation, error) {
	return s.op(ctx, ref, "unlock", "", nil)
}

// op POSTs a container operation: an empty object on API 1.8, or the typed
// parameters (with fields) from 1.9 when the operation has any.
func (s *ContainersService) op(ctx context.Context, ref, name, kind string, fields typed) (Operation, error) {
	body := typed{}
	if kind != "" && s.client.APIVersion().AtLeast(1, 9, 0) {
		body["type"] = kind
		for k, v := range fields {
			body[k] = v
		}
	}
	return s.client.startRecoverable(ctx, s.client.selfService()+"/container/"+url.PathEscape(ref)+"/"+name, body, recovery{Target: ref})
}
