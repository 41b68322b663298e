package bookmark

import (
	"fmt"
	"path"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/dxsteps/dxsteps/internal/cli"
)

// parseAge reads a duration: Go's (90m, 720h) or whole days and weeks (30d, 2w).
func parseAge(s string) (time.Duration, error) {
	unit := map[byte]time.Duration{'d': 24 * time.Hour, 'w': 7 * 24 * time.Hour}
	var d time.Duration
	var err error
	if n := len(s); n > 1 && unit[s[n-1]] != 0 {
		var k int
		k, err = strconv.Atoi(s[:n-1])
		d = time.Duration(k) * unit[s[n-1]]
	} else {
		d, err = time.ParseDuration(s)
	}
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("%q is not a duration such as 30d, 2w or 720h", s)
	}
	return d, nil
}

// parseExpires reads --expires: a duration from now, a date (the start of
// that day, UTC) or an RFC 3339 time, which must be in the future.
func parseExpires(s string, now time.Time) (time.Time, error) {
	var at time.Time
	if d, err := parseAge(s); err == nil {
		at = now.Add(d)
	} else if day, err := time.Parse(time.DateOnly, s); err == nil {
		if day.Before(now.UTC().Truncate(24 * time.Hour)) {
			return time.Time{}, fmt.Errorf("%s is in the past", s)
		}
		return day, nil
	} else if at, err = time.Parse(time.RFC3339, s); err != nil {
		return time.Time{}, fmt.Errorf("%q is not a duration (30d, 720h), a date (2027-01-31) or a time (2027-01-31T18:00:00Z)", s)
	}
	if !at.After(now) {
		return time.Time{}, fmt.Errorf("%s is in the past", s)
	}
	return at.UTC(), nil
}

// RetainTag marks a bookmark prune never deletes: --retain-forever adds it,
// and a user may add it to any bookmark to keep it.
const RetainTag = "retain-forever"

// emptyFilter refuses a prune filter that was given but is empty (--container
// "", a variable or config key set to nothing, a tag list with a blank tag):
// run without it, prune would delete more than asked.
func emptyFilter(in *cli.Input) error {
	for _, k := range []*cli.Key{container, template, tags, pattern} {
		from, ok := in.Empty(k)
		if !ok {
			continue
		}
		where := ""
		if from != in.Name(k) {
			where = " (set by " + from + ")"
		}
		return cli.Usagef("%s is empty%s: prune refuses an empty filter, which would widen what it deletes; give it a value or leave it out", in.Name(k), where)
	}
	return nil
}

// pruneFilter is what prune matches and keeps.
type pruneFilter struct {
	tags        []string      // every one must be a tag of the bookmark (a pattern matches any tag)
	namePattern string        // glob the whole name matches; "" any
	keep        int           // the newest N matching bookmarks of each pod or template stay
	olderThan   time.Duration // only bookmarks created longer ago go; 0: any age
}

// matches says whether a bookmark's name and tags pass every filter.
func (f pruneFilter) matches(name string, tags []string) bool {
	if f.namePattern != "" {
		if ok, _ := path.Match(f.namePattern, name); !ok {
			return false
		}
	}
	for _, want := range f.tags {
		if !slices.ContainsFunc(tags, func(t string) bool { ok, _ := path.Match(want, t); return ok || t == want }) {
			return false
		}
	}
	return true
}

// choose splits matching bookmarks into those to delete and those kept
// (with why). The newest --keep of each layout stay; with --older-than
// only the ones created before now minus it go. Both: a bookmark goes when
// it is beyond the newest N and old enough.
func (f pruneFilter) choose(cs []mark, now time.Time) (gone, kept []mark) {
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].created.After(cs[j].created) })
	rank := map[string]int{}
	cutoff := now.Add(-f.olderThan)
	for _, c := range cs {
		rank[c.layout]++
		switch {
		case rank[c.layout] <= f.keep:
			c.res.Reason = fmt.Sprintf("one of the newest %d on %s", f.keep, layoutName(c.res))
			kept = append(kept, c)
		case f.olderThan > 0 && !c.created.Before(cutoff):
			c.res.Reason = "created less than " + f.olderThanText() + " ago"
			kept = append(kept, c)
		default:
			gone = append(gone, c)
		}
	}
	return gone, kept
}

func (f pruneFilter) olderThanText() string {
	if f.olderThan%(24*time.Hour) == 0 {
		return strconv.Itoa(int(f.olderThan/(24*time.Hour))) + "d"
	}
	return f.olderThan.String()
}

func layoutName(r Result) string {
	if r.Container != "" {
		return "data pod " + strconv.Quote(r.Container)
	}
	return "template " + strconv.Quote(r.Template)
}

// PruneResult is the output of prune. In a plan (--dry-run), deleted lists
// what prune would delete and nothing is deleted.
type PruneResult struct {
	DryRun  bool     `json:"dryRun"`
	Deleted []Result `json:"deleted"`
	// Kept are matching bookmarks prune keeps: retained forever (tagged
	// retain-forever; they do not count toward --keep), among the newest
	// --keep, or younger than --older-than.
	Kept []Result `json:"kept"`
	// Skipped are bookmarks prune would delete but does not: another object
	// still depends on them, or the platform refused; reason says which.
	Skipped []Result `json:"skipped"`
}

// prune deletes the bookmarks chosen by o's filter, except those that
// dependsOn gives a reason for; del deletes one bookmark (in a plan: plans
// its delete) and may refuse (refused true: skipped with the error as
// reason, not fatal).
func prune(o options, cs []mark, now time.Time, dependsOn func(mark) string,
	del func(mark) (refused bool, err error)) (PruneResult, error) {
	out := PruneResult{DryRun: o.dryRun, Deleted: []Result{}, Kept: []Result{}, Skipped: []Result{}}
	var matching []mark
	for _, c := range cs {
		switch {
		case !o.filter.matches(c.res.Bookmark, c.res.Tags):
		case slices.Contains(c.res.Tags, RetainTag):
			c.res.Reason = "retained forever (tag " + RetainTag + ", set by --retain-forever)"
			out.Kept = append(out.Kept, c.res)
		case c.forever:
			c.res.Reason = "retained forever (the platform keeps it until it is deleted)"
			out.Kept = append(out.Kept, c.res)
		default:
			matching = append(matching, c)
		}
	}
	gone, kept := o.filter.choose(matching, now)
	for _, c := range kept {
		out.Kept = append(out.Kept, c.res)
	}
	for _, c := range gone {
		if why := dependsOn(c); why != "" {
			c.res.Reason = why
			out.Skipped = append(out.Skipped, c.res)
			continue
		}
		refused, err := del(c)
		if refused {
			c.res.Reason = err.Error()
			out.Skipped = append(out.Skipped, c.res)
			continue
		}
		if err != nil {
			return out, err
		}
		c.res.Deleted = !o.dryRun
		out.Deleted = append(out.Deleted, c.res)
	}
	return out, nil
}

// joinReasons says every reason, or "".
func joinReasons(rs []string) string { return strings.Join(rs, "; ") }
