package delphix

import (
	"context"
	"net/url"
)

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

// Get returns GET /{js}/template/{ref}.
func (s *TemplatesService) Get(ctx context.Context, ref string) (*Template, error) {
	var t Template
	if _, err := s.client.call(ctx, "GET", s.client.selfService()+"/template/"+url.PathEscape(ref), nil, &t); err != nil {
		return nil, err
	}
	return &t, nil
}

// FindByName returns the one template named exactly name, or a *NameError.
func (s *TemplatesService) FindByName(ctx context.Context, name string) (*Template, error) {
	ts, err := s.List(ctx)
	if err != nil {
		return nil, err
	}
	return FindByName("data template", name, ts, func(t *Template) string { return t.Name }, func(t *Template) string { return t.Reference })
}
