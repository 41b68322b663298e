package httpapi

import (
	"math/rand/v2"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestClosestNamesComeNearestFirstDistinctAndAtMostN(t *testing.T) {
	names := []string{"Billing", "Patients Prod", "Patients Masked Master", "Patients Prod", "HR"}
	assert.Equal(t, []string{"Patients Masked Master", "Patients Prod"}, Closest("patients mask master", names, 2))
	assert.Equal(t, []string{"HR", "Billing", "Patients Prod"}, Closest("hr", names, 3))
	assert.Empty(t, Closest("x", nil, 3))
}

func TestDistanceCountsRuneEditsAndSwaps(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		d    int
	}{
		{"", "", 0},
		{"abc", "", 3},
		{"kitten", "sitting", 3},
		{"mm-mastr", "mm-master", 1},
		{"café", "cafe", 1},
		{"lsit", "list", 1},
		{"databsae", "database", 1},
		{"ca", "abc", 3}, // no rune is edited twice: the swap then an insertion does not count as 2
	} {
		assert.Equal(t, tc.d, Distance(tc.a, tc.b), "%q %q", tc.a, tc.b)
		assert.Equal(t, tc.d, Distance(tc.b, tc.a), "%q %q", tc.b, tc.a)
	}
}

// closestByFullSort is Closest as it was before the bounded distance: every
// name scored in full, then sorted. The fast one must agree with it.
func closestByFullSort(name string, names []string, n int) []string {
	type scored struct {
		name string
		d    int
	}
	var all []scored
	seen := map[string]bool{}
	for _, c := range names {
		if !seen[c] {
			seen[c] = true
			all = append(all, scored{c, fullDistance([]rune(strings.ToLower(name)), []rune(strings.ToLower(c)))})
		}
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].d < all[j].d })
	var out []string
	for i := 0; i < len(all) && i < n; i++ {
		out = append(out, all[i].name)
	}
	return out
}

// fullDistance is the optimal string alignment distance, every cell filled.
func fullDistance(a, b []rune) int {
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev = prev, cur
	}
	return prev[len(b)]
}

func TestClosestAgreesWithScoringEveryNameInFull(t *testing.T) {
	rng := rand.New(rand.NewPCG(17, 17))
	letters := []rune("aAbBcdeé -_01")
	word := func() string {
		w := make([]rune, rng.IntN(30))
		for i := range w {
			w[i] = letters[rng.IntN(len(letters))]
		}
		return string(w)
	}
	for range 2000 {
		names := make([]string, rng.IntN(12))
		for i := range names {
			names[i] = word()
		}
		name, n := word(), rng.IntN(5)
		if len(names) > 0 && rng.IntN(2) == 0 {
			name = names[0] + "x"
		}
		if !assert.Equal(t, closestByFullSort(name, names, n), Closest(name, names, n), "%q in %q (n=%d)", name, names, n) {
			return
		}
		if len(names) > 0 {
			assert.Equal(t, fullDistance([]rune(name), []rune(names[0])), Distance(name, names[0]))
		}
	}
}

// Found by FuzzClosestNames: a few hundred runes made every run cost a full
// table, and the fuzzer's minimizing of such inputs stalled for minutes.
// Names are at most 256 characters on both platforms; beyond that only the
// first MaxCompared runes count, so the work has a ceiling.
func TestAPathologicallyLongNameCostsABoundedTable(t *testing.T) {
	long := strings.Repeat("%", 100_000)
	assert.Equal(t, 0, Distance(long, long))
	assert.Equal(t, MaxCompared, Distance(long, strings.Repeat("0", 100_000)))
	assert.Equal(t, 214, Distance(strings.Repeat("%", 214), "00:00000")) // the fuzzer's input
	names := []string{"Patients Masked Master", strings.Repeat("x", 50_000), "Patients Prod"}
	assert.Equal(t, []string{"Patients Masked Master", "Patients Prod"}, Closest("Patients Masked Mastr", names, 2))
	assert.Equal(t, []string{strings.Repeat("x", 50_000)}, Closest(strings.Repeat("x", 70_000), names, 1))
}

func TestNearestIsTheFirstNearestWithinTheBound(t *testing.T) {
	assert.Equal(t, "list", Nearest("LSIT", []string{"create", "list"}, 1))
	assert.Equal(t, "", Nearest("lsit", []string{"create", "list"}, 0))
	assert.Equal(t, "ab", Nearest("a", []string{"ab", "ac", "a-"}, 2), "the first of equally near ones")
	assert.Equal(t, "ac", Nearest("acc", []string{"ab", "ac", "acc"}[:2], 2))
	assert.Equal(t, "", Nearest("x", nil, 5))
	assert.Equal(t, "database", Suggest("databse", []string{"database", "engine"}))
	assert.Equal(t, "", Suggest("password", []string{"password-file", "engine"}))
}

func TestNearestAgreesWithScoringEveryCandidateInFull(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	letters := []rune("abAB-é")
	word := func() string {
		w := make([]rune, rng.IntN(8))
		for i := range w {
			w[i] = letters[rng.IntN(len(letters))]
		}
		return string(w)
	}
	for range 3000 {
		cands := make([]string, rng.IntN(6))
		for i := range cands {
			cands[i] = word()
		}
		w, max := word(), rng.IntN(4)
		want, wantD := "", max+1
		for _, c := range cands {
			if d := fullDistance([]rune(strings.ToLower(w)), []rune(strings.ToLower(c))); d < wantD {
				want, wantD = c, d
			}
		}
		if !assert.Equal(t, want, Nearest(w, cands, max), "%q in %q within %d", w, cands, max) {
			return
		}
	}
}
