package delphix

import (
	"context"
	"net/url"
	"strings"
)

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
