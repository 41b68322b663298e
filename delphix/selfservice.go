package delphix

import (
	"context"
	"maps"
	"net/url"
	"slices"
	"strings"
)

// selfService returns the self-service (Jet Stream) path prefix for the
// session's version: /jetstream before API 1.10, /selfservice from 1.10.
func (c *Client) selfService() string {
	if c.APIVersion().AtLeast(1, 10, 0) {
		return "/selfservice"
	}
	return "/jetstream"
}

// Template is a self-service data template (JSDataTemplate).
type Template struct {
	Type         string `json:"type"`
	Reference    string `json:"reference"`
	Name         string `json:"name"`
	ActiveBranch string `json:"activeBranch"`
	LastUpdated  string `json:"lastUpdated"`
}

// TemplatesService reads data templates.
type TemplatesService service

// List returns GET /{js}/template.
func (s *TemplatesService) List(ctx context.Context) ([]Template, error) {
	var ts []Template
	_, err := s.client.call(ctx, "GET", s.client.selfService()+"/template", nil, &ts)
	return ts, err
}

// FindByName returns the one template named exactly name, or a *NameError.
func (s *TemplatesService) FindByName(ctx context.Context, name string) (*Template, error) {
	ts, err := s.List(ctx)
	if err != nil {
		return nil, err
	}
	return FindByName("data template", name, ts, func(t *Template) string { return t.Name }, func(t *Template) string { return t.Reference })
}

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
	body := typed{"type": kind, "name": p.Name, "template": p.Template, "dataSources": sources,
		"timelinePointParameters": typed{"type": "JSTimelinePointLatestTimeInput", "sourceDataLayout": p.Template}}
	if len(p.Owners) > 0 {
		body["owners"] = p.Owners
	}
	return s.client.start(ctx, s.client.selfService()+"/container", body)
}

// Refresh refreshes the container from its template's latest data.
func (s *ContainersService) Refresh(ctx context.Context, ref string) (Operation, error) {
	return s.op(ctx, ref, "refresh", "JSDataContainerRefreshParameters", typed{"forceOption": false})
}

// Reset returns the container to its last data operation.
func (s *ContainersService) Reset(ctx context.Context, ref string) (Operation, error) {
	return s.op(ctx, ref, "reset", "JSDataContainerResetParameters", typed{"forceOption": false})
}

// Restore restores the container's active branch to a bookmark. API 1.8
// takes the timeline point itself as the body.
func (s *ContainersService) Restore(ctx context.Context, ref, bookmarkRef string) (Operation, error) {
	point := typed{"type": "JSTimelinePointBookmarkInput", "bookmark": bookmarkRef}
	path := s.client.selfService() + "/container/" + url.PathEscape(ref) + "/restore"
	if !s.client.APIVersion().AtLeast(1, 9, 0) {
		return s.client.start(ctx, path, point)
	}
	return s.client.start(ctx, path, typed{"type": "JSDataContainerRestoreParameters", "forceOption": false, "timelinePointParameters": point})
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
	return s.client.start(ctx, s.client.selfService()+"/container/"+url.PathEscape(ref)+"/lock",
		typed{"type": "JSDataContainerLockParameters", "lockUser": userRef})
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
	return s.client.start(ctx, s.client.selfService()+"/container/"+url.PathEscape(ref)+"/"+name, body)
}

// DataSource is a self-service data source: one VDB of a template or
// container, with its connection details in Runtime.
type DataSource struct {
	Type       string         `json:"type"`
	Reference  string         `json:"reference"`
	Name       string         `json:"name"`
	Container  string         `json:"container"` // the VDB or dSource behind it
	DataLayout string         `json:"dataLayout"`
	Priority   int            `json:"priority"`
	Masked     bool           `json:"masked"`
	Runtime    ConnectionInfo `json:"runtime"`
}

// ConnectionInfo is a SourceConnectionInfo of any platform; fields a
// platform does not have stay empty.
type ConnectionInfo struct {
	Type         string `json:"type"`
	Host         string `json:"host"`
	Port         int    `json:"port"`
	User         string `json:"user"`
	DatabaseName string `json:"databaseName"`
	JDBCString   string `json:"jdbcString"`
	Path         string `json:"path"`
	Version      string `json:"version"`
}

// Database returns the database name: databaseName where the platform has
// it, else the last part of the JDBC URL or path.
func (ci ConnectionInfo) Database() string {
	if ci.DatabaseName != "" {
		return ci.DatabaseName
	}
	s := ci.JDBCString
	if s == "" {
		s = ci.Path
	}
	if i := strings.LastIndexAny(s, "/:"); i >= 0 {
		s = s[i+1:]
	}
	if i := strings.IndexAny(s, "?;"); i >= 0 {
		s = s[:i]
	}
	return s
}

// DataSourcesService lists data sources.
type DataSourcesService service

// List returns the data sources of a template or container, or all visible
// ones when layoutRef is empty (GET /{js}/datasource?dataLayout=).
func (s *DataSourcesService) List(ctx context.Context, layoutRef string) ([]DataSource, error) {
	q := url.Values{}
	if layoutRef != "" {
		q.Set("dataLayout", layoutRef)
	}
	var ds []DataSource
	_, err := s.client.call(ctx, "GET", withQuery(s.client.selfService()+"/datasource", q), nil, &ds)
	return ds, err
}

// Get returns GET /{js}/template/{ref}.
func (s *TemplatesService) Get(ctx context.Context, ref string) (*Template, error) {
	var t Template
	if _, err := s.client.call(ctx, "GET", s.client.selfService()+"/template/"+url.PathEscape(ref), nil, &t); err != nil {
		return nil, err
	}
	return &t, nil
}
