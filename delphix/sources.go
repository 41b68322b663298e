package delphix

import (
	"context"
	"encoding/json"
	"net/url"
)

// Source is the source object behind a container; it carries the hooks.
type Source struct {
	Type       string                     `json:"type"`
	Reference  string                     `json:"reference"`
	Name       string                     `json:"name"`
	Container  string                     `json:"container"`
	Virtual    bool                       `json:"virtual"`
	Operations map[string]json.RawMessage `json:"operations"` // hook lists by hook name, raw
}

// HookOperation is one hook command, e.g. a RunBashOnSourceOperation.
type HookOperation struct {
	Type    string `json:"type"`
	Name    string `json:"name,omitempty"`
	Command string `json:"command"`
	// CredentialsEnvVarsList hands secrets to the hook as environment
	// variables (API 1.11 and newer), never on its command line.
	CredentialsEnvVarsList []CredentialsEnvVars `json:"credentialsEnvVarsList,omitempty"`
}

// CredentialsEnvVars exposes Credentials to a hook as <BaseVarName>_USER
// and <BaseVarName>_PASSWORD.
type CredentialsEnvVars struct {
	Type        string             `json:"type"`
	BaseVarName string             `json:"baseVarName"`
	Credentials PasswordCredential `json:"credentials"`
}

// PasswordCredential is a password the engine stores and redacts.
type PasswordCredential struct {
	Type     string `json:"type"`
	Password string `json:"password"`
}

// SourcesService reads sources and changes their hooks.
type SourcesService service

// ListForDatabase returns the sources of a container (GET /source?database=).
func (s *SourcesService) ListForDatabase(ctx context.Context, dbRef string) ([]Source, error) {
	var srcs []Source
	_, err := s.client.call(ctx, "GET", withQuery("/source", url.Values{"database": {dbRef}}), nil, &srcs)
	return srcs, err
}

// SetHooks replaces one hook list (e.g. "configureClone") of a virtual
// source with ops (POST /source/{ref}). The engine takes the whole list,
// so callers pass what they want kept too. Hook names are required from
// API 1.9; credentials in env vars need API 1.11.
func (s *SourcesService) SetHooks(ctx context.Context, src *Source, hook string, ops []json.RawMessage) (Operation, error) {
	if ops == nil {
		ops = []json.RawMessage{}
	}
	body := typed{"type": src.Type, "operations": typed{"type": "VirtualSourceOperations", hook: ops}}
	return s.client.start(ctx, "/source/"+url.PathEscape(src.Reference), body)
}
