package httpapi

import (
	"strings"
)

// MaxCompared is how many runes of each string Distance compares. Object
// names are at most 256 characters on the engine and on DCT, so this never
// changes a suggestion among real names; it bounds the work a pathological
// name (a pasted log, a fuzzer's input) can cause to 256×256 cells.
const MaxCompared = 256

// Closest returns up to n distinct names nearest to name by Distance (case
// folded), nearest first; among equally near names, the order of
// names. It suggests what the user may have meant when a lookup by exact
// name finds nothing.
func Closest(name string, names []string, n int) []string {
	if n <= 0 {
		return nil
	}
	type scored struct {
		name string
		d    int
	}
	target := prefix([]rune(strings.ToLower(name)))
	best := make([]scored, 0, n) // nearest first; a later name never displaces an equal one
	seen := map[string]bool{}
	for _, c := range names {
		if seen[c] {
			continue
		}
		seen[c] = true
		limit := MaxCompared // no name is farther than this
		if len(best) == n {
			limit = best[n-1].d - 1 // only a nearer name gets in
			if limit < 0 {
				break
			}
		}
		d := distanceAtMost(target, prefix([]rune(strings.ToLower(c))), limit)
		if d > limit {
			continue
		}
		i := len(best)
		for i > 0 && best[i-1].d > d {
			i--
		}
		if len(best) < n {
			best = append(best, scored{})
		}
		copy(best[i+1:], best[i:len(best)-1])
		best[i] = scored{c, d}
	}
	var out []string
	for _, s := range best {
		out = append(out, s.name)
	}
	return out
}

// Distance is the edit distance between a and b that every dxsteps
// suggestion uses: the fewest insertions, deletions, substitutions and
// swaps of two adjacent runes that turn a into b, no rune edited twice
// (the optimal string alignment distance; "lsit" is 1 from "list"). It
// counts runes, compares case as given, and looks at the first
// MaxCompared runes of each.
func Distance(a, b string) int {
	return distanceAtMost(prefix([]rune(a)), prefix([]rune(b)), MaxCompared)
}

// Nearest returns the candidate nearest to word by Distance (case folded)
// when it is at most max away, else "": the did-you-mean of a mistyped
// flag, key, operation or variable. Among equally near candidates, the
// first wins.
func Nearest(word string, candidates []string, max int) string {
	if max < 0 {
		return ""
	}
	target := prefix([]rune(strings.ToLower(word)))
	best, limit := "", max
	for _, c := range candidates {
		d := distanceAtMost(target, prefix([]rune(strings.ToLower(c))), limit)
		if d > limit {
			continue
		}
		best = c
		if d == 0 {
			break
		}
		limit = d - 1 // only a nearer one replaces it
	}
	return best
}

// Suggest returns the candidate nearest to word when it is close enough to
// be a typo of it (at most a third of its length, plus one, edits away),
// else "".
func Suggest(word string, candidates []string) string {
	return Nearest(word, candidates, len([]rune(word))/3+1)
}

func prefix(r []rune) []rune {
	if len(r) > MaxCompared {
		return r[:MaxCompared]
	}
	return r
}

// distanceAtMost is Distance when it is at most limit, else limit+1, found
// without filling the rest of the table once every cell of a row is beyond
// limit: a cell is at most one more than the cell above-left, so a row all
// beyond limit leaves no cell of the next rows, swaps included, within it.
// A common prefix and suffix cost nothing and are cut first.
func distanceAtMost(a, b []rune, limit int) int {
	for len(a) > 0 && len(b) > 0 && a[0] == b[0] {
		a, b = a[1:], b[1:]
	}
	for len(a) > 0 && len(b) > 0 && a[len(a)-1] == b[len(b)-1] {
		a, b = a[:len(a)-1], b[:len(b)-1]
	}
	if d := len(a) - len(b); d > limit || -d > limit {
		return limit + 1
	}
	if len(a) < len(b) {
		a, b = b, a // the shorter one spans the rows
	}
	if len(b) == 0 {
		return len(a)
	}
	prev2 := make([]int, len(b)+1) // the row before prev, for swaps
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		lowest := i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
			lowest = min(lowest, cur[j])
		}
		if lowest > limit {
			return limit + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}
