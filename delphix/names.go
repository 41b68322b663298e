package delphix

import (
	"fmt"
	"strings"

	"github.com/dxsteps/dxsteps/internal/httpapi"
)

// NameError is a lookup by exact name that found no object, or more than one.
type NameError struct {
	Kind        string   // "database", "data container", ...
	Name        string   // the name asked for
	Matches     []string // references of the objects with that name, when more than one
	Suggestions []string // the closest existing names, when none matched
}

func (e *NameError) Error() string {
	if len(e.Matches) > 1 {
		return fmt.Sprintf("%d %ss are named %q (%s): rename one, or name the object more precisely",
			len(e.Matches), e.Kind, e.Name, strings.Join(e.Matches, ", "))
	}
	msg := fmt.Sprintf("no %s is named %q", e.Kind, e.Name)
	if len(e.Suggestions) > 0 {
		quoted := make([]string, len(e.Suggestions))
		for i, s := range e.Suggestions {
			quoted[i] = fmt.Sprintf("%q", s)
		}
		msg += "; closest: " + strings.Join(quoted, ", ")
	}
	return msg
}

// Is makes a NameError with no match an ErrNotFound.
func (e *NameError) Is(target error) bool { return target == ErrNotFound && len(e.Matches) == 0 }

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
