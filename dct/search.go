package dct

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/dxsteps/dxsteps/internal/httpapi"
)

// pageLimit is how many items a list or search asks for per page (the
// spec's maximum). Tests lower it to walk the local engine's pages.
var pageLimit = 1000

// page is every list and search answer: items and the cursor to the next page.
type page[T any] struct {
	Items            []T `json:"items"`
	ResponseMetadata struct {
		NextCursor string `json:"next_cursor"`
	} `json:"response_metadata"`
}

// searchBody is SearchBody.
type searchBody struct {
	FilterExpression string `json:"filter_expression,omitempty"`
}

// collect follows a list (GET, filter "") or a search (POST path with the
// filter) through every page, passing next_cursor back as cursor with the
// same limit and sort, until DCT gives no further cursor.
func collect[T any](ctx context.Context, c *Client, path, filter, sortBy string) ([]T, error) {
	var all []T
	seen := map[string]bool{}
	cursor := ""
	for {
		q := url.Values{"limit": {strconv.Itoa(pageLimit)}}
		if sortBy != "" {
			q.Set("sort", sortBy)
		}
		if cursor != "" {
			q.Set("cursor", cursor)
		}
		var p page[T]
		var err error
		if filter == "" {
			err = c.do(ctx, http.MethodGet, path, q, noBody, &p)
		} else {
			err = c.do(ctx, http.MethodPost, path+"/search", q, searchBody{filter}, &p)
		}
		if err != nil {
			return nil, err
		}
		all = append(all, p.Items...)
		cursor = p.ResponseMetadata.NextCursor
		if cursor == "" {
			return all, nil
		}
		if seen[cursor] {
			return nil, fmt.Errorf("dct: %s repeated the cursor %q", path, cursor)
		}
		seen[cursor] = true
	}
}

// first returns the first item of one search page of size 1, or nil.
func first[T any](ctx context.Context, c *Client, path, filter, sortBy string) (*T, error) {
	q := url.Values{"limit": {"1"}, "sort": {sortBy}}
	var p page[T]
	if err := c.do(ctx, http.MethodPost, path+"/search", q, searchBody{filter}, &p); err != nil {
		return nil, err
	}
	if len(p.Items) == 0 {
		return nil, nil
	}
	return &p.Items[0], nil
}

// quote returns s as a filter-expression string literal. The spec's
// filter grammar has single- and double-quoted strings and no escape
// sequence, so a value is quoted with a quote character it does not
// contain; ok is false when it contains both, or a backslash (which some
// lexers treat as an escape). A value that cannot be quoted is never put
// in a filter: the caller filters on a safe part and matches exactly itself.
func quote(s string) (lit string, ok bool) {
	switch {
	case strings.Contains(s, `\`):
		return "", false
	case !strings.Contains(s, "'"):
		return "'" + s + "'", true
	case !strings.Contains(s, `"`):
		return `"` + s + `"`, true
	}
	return "", false
}

// eq is "field EQ <value>", or the widest filter that is safe when value
// cannot be quoted: CONTAINS on its longest run without quotes or
// backslashes, else "" (no filter). Callers always match exactly.
func eq(field, value string) string {
	if lit, ok := quote(value); ok {
		return field + " EQ " + lit
	}
	runs := strings.FieldsFunc(value, func(r rune) bool { return r == '\'' || r == '"' || r == '\\' })
	best := ""
	for _, r := range runs {
		if len(r) > len(best) {
			best = r
		}
	}
	if best == "" {
		return ""
	}
	return field + " CONTAINS '" + best + "'"
}

// and joins the non-empty filter expressions with AND.
func and(exprs ...string) string {
	var parts []string
	for _, e := range exprs {
		if e != "" {
			parts = append(parts, e)
		}
	}
	return strings.Join(parts, " AND ")
}

// lookup describes a kind of object for findByName.
type lookup[T any] struct {
	kind   string // "VDB", "dSource", ...
	path   string // the collection, e.g. "/vdbs"
	nameOf func(*T) string
	idOf   func(*T) string
}

// findByName returns the one object whose name is exactly name. It searches
// with a name filter, then matches exactly. None is a *NameError with the
// closest existing names; several is a *NameError listing their ids.
func findByName[T any](ctx context.Context, c *Client, l lookup[T], name string) (*T, error) {
	if name == "" {
		return nil, fmt.Errorf("dct: a %s name is required", l.kind)
	}
	filter := eq("name", name)
	var items []T
	var err error
	if filter != "" {
		items, err = collect[T](ctx, c, l.path, filter, "")
	} else {
		items, err = collect[T](ctx, c, l.path, "", "")
	}
	if err != nil {
		return nil, err
	}
	var found []*T
	for i := range items {
		if l.nameOf(&items[i]) == name {
			found = append(found, &items[i])
		}
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		return nil, &NameError{Kind: l.kind, Name: name, Suggestions: suggest(ctx, c, l, name)}
	}
	ids := make([]string, len(found))
	for i, f := range found {
		ids[i] = l.idOf(f)
	}
	return nil, &NameError{Kind: l.kind, Name: name, Matches: ids, Precisely: "by id"}
}

// suggest lists the collection's first page and returns the
// three names nearest to name; none when that read fails.
func suggest[T any](ctx context.Context, c *Client, l lookup[T], name string) []string {
	q := url.Values{"limit": {strconv.Itoa(pageLimit)}}
	var p page[T]
	if err := c.do(ctx, http.MethodGet, l.path, q, noBody, &p); err != nil {
		return nil
	}
	names := make([]string, 0, len(p.Items))
	for i := range p.Items {
		if n := l.nameOf(&p.Items[i]); n != "" { // DCT objects may have no name: never suggest ""
			names = append(names, n)
		}
	}
	return httpapi.Closest(name, names, 3)
}

// NameError is a name that matched no object, or several (httpapi.NameError):
// on DCT, several are told apart by id.
type NameError = httpapi.NameError
