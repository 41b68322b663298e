package delphix

import (
	"github.com/dxsteps/dxsteps/internal/httpapi"
)

// NameError is a name that matched no object, or several (httpapi.NameError).
type NameError = httpapi.NameError

// FindByName returns the one item whose name is exactly name, or a
// *NameError listing the closest names (none matched) or the references
// (several matched).
func FindByName[T any](kind, name string, items []T, nameOf func(*T) string, refOf func(*T) string) (*T, error) {
	var found []*T
	for i := range items {
		if nameOf(&items[i]) == name {
			found = append(found, &items[i])
		}
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		names := make([]string, len(items))
		for i := range items {
			names[i] = nameOf(&items[i])
		}
		return nil, &NameError{Kind: kind, Name: name, Suggestions: httpapi.Closest(name, names, 3)}
	}
	refs := make([]string, len(found))
	for i, f := range found {
		refs[i] = refOf(f)
	}
	return nil, &NameError{Kind: kind, Name: name, Matches: refs}
}
