package dct

import (
	"encoding/json"
	"errors"
)

// Hook is a script a VDB runs on its target host at a hook point.
type Hook struct {
	Name    string `json:"name,omitempty"`
	Command string `json:"command"`
	// Shell is bash, shell, expect, ps or psd (DCT's default when empty).
	Shell string `json:"shell,omitempty"`
	// ElementID names an existing hook to change; empty adds a new one.
	ElementID      string `json:"element_id,omitempty"`
	HasCredentials bool   `json:"has_credentials,omitempty"`
}

// Hooks are a VDB's hook points (VirtualDatasetHooks). ConfigureClone runs
// when the VDB is created or refreshed: the place to reset database users
// after a refresh of the masked master. A nil point is left out of the
// JSON; an empty, non-nil one is sent as [] (it clears the point).
type Hooks struct {
	PreRefresh      []Hook
	PostRefresh     []Hook
	PreSelfRefresh  []Hook
	PostSelfRefresh []Hook
	ConfigureClone  []Hook
	PreSnapshot     []Hook
	PostSnapshot    []Hook
	PreStart        []Hook
	PostStart       []Hook
	PreStop         []Hook
	PostStop        []Hook
}

func (h *Hooks) points() []struct {
	name string
	list *[]Hook
} {
	return []struct {
		name string
		list *[]Hook
	}{
		{"pre_refresh", &h.PreRefresh}, {"post_refresh", &h.PostRefresh},
		{"pre_self_refresh", &h.PreSelfRefresh}, {"post_self_refresh", &h.PostSelfRefresh},
		{"configure_clone", &h.ConfigureClone},
		{"pre_snapshot", &h.PreSnapshot}, {"post_snapshot", &h.PostSnapshot},
		{"pre_start", &h.PreStart}, {"post_start", &h.PostStart},
		{"pre_stop", &h.PreStop}, {"post_stop", &h.PostStop},
	}
}

// MarshalJSON writes the non-nil hook points.
func (h Hooks) MarshalJSON() ([]byte, error) {
	m := map[string][]Hook{}
	for _, p := range h.points() {
		if *p.list != nil {
			for _, hk := range *p.list {
				if hk.Command == "" {
					return nil, errors.New("dct: a hook needs a command")
				}
			}
			m[p.name] = *p.list
		}
	}
	return json.Marshal(m)
}

// UnmarshalJSON reads the hook points DCT reports (deprecated rollback
// points are ignored).
func (h *Hooks) UnmarshalJSON(b []byte) error {
	var m map[string][]Hook
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	for _, p := range h.points() {
		if l, ok := m[p.name]; ok {
			*p.list = l
		}
	}
	return nil
}
