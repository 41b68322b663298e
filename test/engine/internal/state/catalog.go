package state

import (
	"sort"

	"github.com/dxsteps/dxsteps/test/engine/internal/model"
)

// Catalog lists every bookmark, oldest first, with its captured contents.
func (e *State) Catalog() []model.CatalogEntry {
	e.Mu.Lock()
	defer e.Mu.Unlock()
	return e.catalog()
}

func (e *State) catalog() []model.CatalogEntry {
	out := []model.CatalogEntry{}
	for _, b := range e.Bookmarks {
		c := model.CatalogEntry{Bookmark: b.Name, Reference: b.Ref, Shared: b.Shared, Tags: append([]string{}, b.Tags...)}
		if b.Cont != nil {
			c.On, c.Kind = b.Cont.Name, "container"
		} else if b.Tmpl != nil {
			c.On, c.Kind = b.Tmpl.Name, "template"
		}
		if b.User != nil {
			c.Owner = b.User.Name
		}
		if b.Contents != nil {
			c.DataVersion, c.Masked, c.SubsetPercent, c.Rows = b.Contents.DataVersion, b.Contents.Masked, b.Contents.SubsetPercent, len(b.Contents.Rows)
		}
		out = append(out, c)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Bookmark < out[j].Bookmark })
	return out
}
