package engine

import (
	"fmt"
	"strconv"
	"strings"
)

// version is an API version major.minor.micro.
type version [3]int

// parseVersion parses "1.11.9"; a missing micro means 0.
func parseVersion(s string) (version, error) {
	parts := strings.Split(strings.TrimSpace(s), ".")
	if len(parts) < 2 || len(parts) > 3 {
		return version{}, fmt.Errorf("API version %q: want major.minor.micro", s)
	}
	var v version
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 {
			return version{}, fmt.Errorf("API version %q: %q is not a number", s, p)
		}
		v[i] = n
	}
	return v, nil
}

// mustVersion parses a version literal from the engine's own tables.
func mustVersion(s string) version {
	v, err := parseVersion(s)
	if err != nil {
		panic(err)
	}
	return v
}

func (v version) String() string { return fmt.Sprintf("%d.%d.%d", v[0], v[1], v[2]) }

func (v version) less(o version) bool {
	for i := range v {
		if v[i] != o[i] {
			return v[i] < o[i]
		}
	}
	return false
}

// atLeast reports whether v >= s (s a literal like "1.9.0").
func (v version) atLeast(s string) bool { return !v.less(mustVersion(s)) }

// object renders the version as an APIVersion object.
func (v version) object() obj {
	return obj{"type": "APIVersion", "major": v[0], "minor": v[1], "micro": v[2]}
}

// jsPrefix is the self-service path prefix at this API version.
func (v version) jsPrefix() string {
	if v.atLeast("1.10.0") {
		return "selfservice"
	}
	return "jetstream"
}
