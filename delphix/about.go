package delphix

import (
	"context"
)

// SystemInfo is the engine's PublicSystemInfo.
type SystemInfo struct {
	Type         string     `json:"type"`
	ProductName  string     `json:"productName"`
	BuildTitle   string     `json:"buildTitle"`
	APIVersion   APIVersion `json:"apiVersion"`
	EngineType   string     `json:"engineType"`
	BuildVersion struct {
		Major int `json:"major"`
		Minor int `json:"minor"`
		Micro int `json:"micro"`
		Patch int `json:"patch"`
	} `json:"buildVersion"`
}

// AboutService reads the engine's public system information.
type AboutService service

// Get returns GET /about, which the engine answers before login.
func (s *AboutService) Get(ctx context.Context) (*SystemInfo, error) {
	var info SystemInfo
	if _, err := s.client.call(ctx, "GET", "/about", nil, &info); err != nil {
		return nil, err
	}
	return &info, nil
}
