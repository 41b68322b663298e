package engine

import (
	"github.com/dxsteps/dxsteps/test/engine/internal/model"
	"sort"
)

// Catalog lists every bookmark, oldest first, with its captured contents.
func (e *State) Catalog() []model.CatalogEntry {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.catalog()
}

func (e *State) catalog() []model.CatalogEntry {
	out := []model.CatalogEntry{}
	for _, b := range e.bookmarks {
		c := model.CatalogEntry{Bookmark: b.name, Reference: b.ref, Shared: b.shared, Tags: append([]string{}, b.tags...)}
		if b.cont != nil {
			c.On, c.Kind = b.cont.name, "container"
		} else if b.tmpl != nil {
			c.On, c.Kind = b.tmpl.name, "template"
		}
		if b.user != nil {
			c.Owner = b.user.name
		}
		if b.contents != nil {
			c.DataVersion, c.Masked, c.SubsetPercent, c.Rows = b.contents.DataVersion, b.contents.Masked, b.contents.SubsetPercent, len(b.contents.Rows)
		}
		out = append(out, c)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Bookmark < out[j].Bookmark })
	return out
}
