package dctspec

import (
	"fmt"

	"github.com/dxsteps/dxsteps/test/internal/dctfilter"
)

// checkFilter checks a filter_expression the way the spec describes it
// (SearchBody), with the grammar the local engine evaluates
// (dctfilter.Parse): every field one the operation declares in
// x-filterable (inside CONTAINS {...} one of that list's object fields), at
// most 8 unique identifiers, 5 to 2000 characters.
func checkFilter(where, expr string, filterable map[string]any) []string {
	if _, err := dctfilter.Parse(expr, FilterFields(filterable)); err != nil {
		return []string{fmt.Sprintf("%s filter %q: %v", where, expr, err)}
	}
	return nil
}

// FilterFields turns an operation's x-filterable extension into the
// parser's fields.
func FilterFields(filterable map[string]any) dctfilter.Fields {
	fields, _ := filterable["fields"].(map[string]any)
	return filterFields(fields)
}

func filterFields(fields map[string]any) dctfilter.Fields {
	out := dctfilter.Fields{}
	for name, f := range fields {
		m, _ := f.(map[string]any)
		typ, _ := m["type"].(string)
		fd := dctfilter.Field{Type: typ}
		if sub, ok := m["fields"].(map[string]any); ok {
			fd.Fields = filterFields(sub)
		}
		out[name] = fd
	}
	return out
}
