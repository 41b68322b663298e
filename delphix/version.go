package delphix

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// APIVersion is an engine web-services version, e.g. 1.11.9.
type APIVersion struct {
	Major int `json:"major"`
	Minor int `json:"minor"`
	Micro int `json:"micro"`
}

// Versions the client knows. Engines 5.1 (1.8) to 6.0 (1.11) are supported.
var (
	MinAPIVersion = APIVersion{1, 8, 0}
	MaxAPIVersion = APIVersion{1, 11, 11}
	// probeVersion opens the first session, before the engine's own version is known.
	probeVersion = APIVersion{1, 3, 0}
)

// ParseAPIVersion parses "1.10.6" (a missing micro is 0).
func ParseAPIVersion(s string) (APIVersion, error) {
	parts := strings.Split(strings.TrimSpace(s), ".")
	if len(parts) < 2 || len(parts) > 3 {
		return APIVersion{}, fmt.Errorf("API version %q must look like 1.10.6", s)
	}
	var n [3]int
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil || v < 0 {
			return APIVersion{}, fmt.Errorf("API version %q must look like 1.10.6", s)
		}
		n[i] = v
	}
	return APIVersion{n[0], n[1], n[2]}, nil
}

// MarshalJSON writes the wire form, an APIVersion typed object.
func (v APIVersion) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Type  string `json:"type"`
		Major int    `json:"major"`
		Minor int    `json:"minor"`
		Micro int    `json:"micro"`
	}{"APIVersion", v.Major, v.Minor, v.Micro})
}

func (v APIVersion) String() string { return fmt.Sprintf("%d.%d.%d", v.Major, v.Minor, v.Micro) }

// Less reports whether v is older than w.
func (v APIVersion) Less(w APIVersion) bool {
	if v.Major != w.Major {
		return v.Major < w.Major
	}
	if v.Minor != w.Minor {
		return v.Minor < w.Minor
	}
	return v.Micro < w.Micro
}

// AtLeast reports whether v is w or newer.
func (v APIVersion) AtLeast(major, minor, micro int) bool {
	return !v.Less(APIVersion{major, minor, micro})
}

// IsZero reports whether no version is set.
func (v APIVersion) IsZero() bool { return v == APIVersion{} }
