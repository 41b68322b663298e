package httpapi

import (
	"sort"
	"strings"
)

// Closest returns up to n distinct names nearest to name by edit distance
// (case folded), nearest first; among equally near names, the order of
// names. It suggests what the user may have meant when a lookup by exact
// name finds nothing.
func Closest(name string, names []string, n int) []string {
	type scored struct {
		name string
		d    int
	}
	var all []scored
	seen := map[string]bool{}
	for _, c := range names {
		if seen[c] {
			continue
		}
		seen[c] = true
		all = append(all, scored{c, Distance(strings.ToLower(name), strings.ToLower(c))})
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].d < all[j].d })
	var out []string
	for i := 0; i < len(all) && i < n; i++ {
		out = append(out, all[i].name)
	}
	return out
}

// Distance is the Levenshtein distance between a and b, in runes.
func Distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
