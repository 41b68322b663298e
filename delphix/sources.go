package delphix

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"time"
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
//
// When the answer is lost, the source's hooks are read again: the list
// sent (compared by type, name and command, as the engine redacts
// passwords) means it took effect (Operation.Recovered); src's list from
// before means it did not yet, and after a few looks it is sent again;
// another list cannot be told apart, a *MayHaveActedError. A caller that
// changes only passwords must make the list differ from src's (a marker
// in a command) for the first two to be told apart.
func (s *SourcesService) SetHooks(ctx context.Context, src *Source, hook string, ops []json.RawMessage) (Operation, error) {
	if ops == nil {
		ops = []json.RawMessage{}
	}
	body := typed{"type": src.Type, "operations": typed{"type": "VirtualSourceOperations", hook: ops}}
	path := "/source/" + url.PathEscape(src.Reference)
	sent, err := hookKeys(ops)
	if err != nil {
		return Operation{}, err
	}
	var before []hookKey
	if raw, ok := src.Operations[hook]; ok && string(raw) != "null" {
		var list []json.RawMessage
		if err := json.Unmarshal(raw, &list); err != nil {
			return Operation{}, fmt.Errorf("delphix: read the %s hooks of %s: %w", hook, src.Reference, err)
		}
		if before, err = hookKeys(list); err != nil {
			return Operation{}, err
		}
	}
	return s.client.sendRecoverable(ctx, path, body, func(ctx context.Context, _ time.Time, _ bool) (*Operation, error) {
		var now Source
		if _, err := s.client.call(ctx, "GET", path, nil, &now); err != nil {
			return nil, err
		}
		var list []json.RawMessage
		if raw, ok := now.Operations[hook]; ok && string(raw) != "null" {
			if err := json.Unmarshal(raw, &list); err != nil {
				return nil, fmt.Errorf("read the %s hooks of %s: %w", hook, src.Reference, err)
			}
		}
		keys, err := hookKeys(list)
		switch {
		case err != nil:
			return nil, err
		case slices.Equal(keys, sent):
			return &Operation{Recovered: true}, nil
		case slices.Equal(keys, before):
			return nil, nil
		}
		return nil, fmt.Errorf("the %s hooks of %s are neither those sent nor those before: someone else changed them", hook, src.Reference)
	})
}

// hookKey is what tells hooks apart when the engine shows them back.
type hookKey struct{ Type, Name, Command string }

func hookKeys(list []json.RawMessage) ([]hookKey, error) {
	keys := make([]hookKey, 0, len(list))
	for _, raw := range list {
		var k hookKey
		if err := json.Unmarshal(raw, &k); err != nil {
			return nil, fmt.Errorf("delphix: read a hook: %w", err)
		}
		keys = append(keys, k)
	}
	return keys, nil
}
