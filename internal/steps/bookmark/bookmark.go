// Package bookmark is dx-bookmark: bookmark a data pod's or template's
// latest data (without duplicating on rerun), share, unshare, delete and
// list bookmarks.
package bookmark

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/dxsteps/dxsteps/delphix"
	"github.com/dxsteps/dxsteps/internal/cli"
	"github.com/dxsteps/dxsteps/internal/platform"
)

var (
	container = &cli.Key{Flag: "container", Type: cli.String, Usage: "data pod `NAME` (exact), e.g. 'prep1'"}
	template  = &cli.Key{Flag: "template", Type: cli.String, Usage: "data template `NAME` (exact), e.g. 'Patients'"}
	name      = &cli.Key{Flag: "name", Type: cli.String, NeededBy: []string{"create", "share", "unshare", "delete"}, Only: []string{"create", "share", "unshare", "delete", "list"}, Usage: "bookmark `NAME` (exact; for list, part of the name)"}
	tags      = &cli.Key{Flag: "tag", Name: "tags", Type: cli.List, Only: []string{"create", "list", "prune"}, Usage: "`TAG` of the new bookmark (list, prune: bookmarks with all these tags; prune: a tag may be a glob, jenkins-myjob-*), repeatable or comma-separated; on DCT, key=value is that tag, a plain tag is key 'tag'"}
	shared    = &cli.Key{Flag: "shared", Type: cli.Bool, Only: []string{"create"}, Usage: "share the new bookmark with other users (DCT: PUBLIC, else PRIVATE)"}
	expires   = &cli.Key{Flag: "expires", Type: cli.String, Only: []string{"create"}, Usage: "when the new bookmark expires and the platform deletes it: a `DURATION` from now (30d, 2w, 720h) or a date or time (2027-01-31, 2027-01-31T18:00:00Z); DCT keeps only the date"}
	forever   = &cli.Key{Flag: "retain-forever", Type: cli.Bool, Only: []string{"create"}, Usage: "keep the new bookmark until it is deleted (no expiration); it is tagged retain-forever, and prune never deletes it"}
	pattern   = &cli.Key{Flag: "name-pattern", Type: cli.String, Only: []string{"prune"}, Usage: "prune bookmarks whose whole name matches this `GLOB` (* ? [..]), e.g. '2026-* 50'"}
	keep      = &cli.Key{Flag: "keep", Type: cli.Int, Only: []string{"prune"}, Usage: "prune keeps the newest `N` matching bookmarks of each data pod and template"}
	olderThan = &cli.Key{Flag: "older-than", Type: cli.String, Only: []string{"prune"}, Usage: "prune only bookmarks created more than `DURATION` ago (30d, 2w, 720h)"}
)

// Step is the dx-bookmark binary.
var Step = &cli.Step{
	Name:       "dx-bookmark",
	Jenkins:    "delphixBookmark",
	Usage:      "bookmark a data pod or template, and manage bookmarks",
	Operations: []string{"create", "share", "unshare", "delete", "list", "prune"},
	Platforms:  []string{cli.PlatformEngine, cli.PlatformDCT},
	Description: `create (the default) bookmarks the latest data of a data pod's active branch (--container) or
of a template (--template), with --name, --tag and --shared. A bookmark of that name already
on that pod or template is reused: the output says "created": false. --shared (and share)
publishes data only once it is proven masked (exit 1, nothing changed, when it is not;
--allow-unmasked skips the check). list shows the
bookmarks you can see (your own and shared ones), filtered by --container, --template,
--tag (all must match) and --name (part of the name). --expires or --retain-forever set the
new bookmark's retention. The provenance keys (--source-snapshot ... --build-url) record on the
new bookmark where its data came from (engine: its description; DCT: provenance.* tags), and
the output's provenance shows it, on list too; with --subset-mode simulated each N% tag
becomes "N% simulated".

prune deletes the bookmarks that match every filter given (--tag, --name-pattern,
--container, --template) beyond the newest --keep N of each data pod and template and/or
created more than --older-than ago (both: beyond the newest N and that old), but never one
that something still depends on (engine: a branch created from it, a data pod whose
current data was restored from it; DCT: a VDB provisioned from it, a VDB group last
refreshed to it), nor one retained forever (tagged retain-forever, or on DCT retained forever by
DCT); an empty filter (--container "") is refused. The output lists deleted, kept and skipped
bookmarks, each kept or skipped one with its reason.

--dry-run changes nothing and plans: create lists the bookmark it would make (none when one of
that name is there: created false), share and create --shared check the masking proof as a real
run does (exit 1 unproven), and prune's deleted are exactly the bookmarks it would delete, one
"delete" action each in the plan. The output describes the bookmarks as they are.

Example: dx-bookmark create --container prep1 --name "2019-03-14 101502 50" --tag "2019-03-14 101502" --tag 50% --shared --expires 90d
Example: dx-bookmark prune --tag 'jenkins-data-pipeline-*' --keep 30 --dry-run`,
	Keys: append([]*cli.Key{container, template, name, tags, shared, expires, forever, pattern, keep, olderThan, cli.DryRun, allowUnmasked}, provenanceKeys...),
	Rules: []cli.Rule{cli.OneOf([]string{"create"}, container, template),
		cli.OneOf([]string{"prune"}, tags, pattern, container, template).Hint("prune deletes only what matches"),
		cli.OneOf([]string{"prune"}, keep, olderThan)},
	Outputs: []cli.Output{{Operations: []string{"create", "share", "unshare", "delete"}, Value: Result{}},
		{Operations: []string{"list"}, Value: ListResult{}}, {Operations: []string{"prune"}, Value: PruneResult{}}},
	Parse: func(in *cli.Input) (cli.Runner, error) {
		o := options{op: in.Op, container: in.String(container), template: in.String(template), name: in.String(name),
			tags: in.List(tags), shared: in.Bool(shared), forever: in.Bool(forever), dryRun: in.Bool(cli.DryRun),
			filter: pruneFilter{tags: in.List(tags), namePattern: in.String(pattern), keep: in.Int(keep)}}
		if o.op == "prune" {
			if err := emptyFilter(in); err != nil {
				return nil, err
			}
		}
		if o.forever && !slices.Contains(o.tags, RetainTag) {
			o.tags = append(o.tags, RetainTag)
		}
		o.allowUnmasked = in.Bool(allowUnmasked)
		if v := in.String(expires); v != "" {
			if o.forever {
				return nil, cli.Usagef("give %s or %s, not both", in.Name(expires), in.Name(forever))
			}
			at, err := parseExpires(v, time.Now())
			if err != nil {
				return nil, cli.Usagef("%s: %v", in.Name(expires), err)
			}
			o.expires = at
		}
		if v := in.String(olderThan); v != "" {
			d, err := parseAge(v)
			if err != nil {
				return nil, cli.Usagef("%s: %v", in.Name(olderThan), err)
			}
			o.filter.olderThan = d
		}
		prov, err := parseProvenance(in)
		if err != nil {
			return nil, err
		}
		o.provenance, o.tags = prov, subsetTags(o.tags, prov)
		if o.filter.keep < 0 {
			return nil, cli.Usagef("%s must be 0 or more", in.Name(keep))
		}
		if _, err := path.Match(o.filter.namePattern, ""); err != nil {
			return nil, cli.Usagef("%s: %q is not a glob: %v", in.Name(pattern), o.filter.namePattern, err)
		}
		return func(ctx context.Context, s *cli.Session) (any, error) {
			return run(ctx, s, o, platform.Pick[store](s, &engineStore{s: s}, &dctStore{s: s}))
		}, nil
	},
}

type options struct {
	op, container, template, name string
	tags                          []string
	shared, forever, dryRun       bool
	allowUnmasked                 bool
	expires                       time.Time
	filter                        pruneFilter
	provenance                    *Provenance // create: where the data came from; nil: not given
}

// Result describes one bookmark.
type Result struct {
	Bookmark          string   `json:"bookmark"`
	BookmarkReference string   `json:"bookmarkReference"`
	Container         string   `json:"container,omitempty"`
	Template          string   `json:"template"`
	Branch            string   `json:"branch"`
	Shared            bool     `json:"shared"`
	Tags              []string `json:"tags"`
	Timestamp         string   `json:"timestamp"`
	Created           *bool    `json:"created,omitempty"`
	Recovered         bool     `json:"recovered,omitempty"` // the create's answer was lost; the bookmark was found and followed
	Deleted           bool     `json:"deleted,omitempty"`
	// Expiration is when the platform deletes the bookmark (engine: a time,
	// DCT: a date); absent: kept until deleted.
	Expiration   string `json:"expiration,omitempty"`
	CreationTime string `json:"creationTime,omitempty"`
	Reason       string `json:"reason,omitempty"` // prune: why it was kept or skipped
	// Provenance is where the data came from, as stored on the bookmark
	// when it was made; absent: not recorded.
	Provenance *Provenance `json:"provenance,omitempty"`
}

// ListResult is the output of list.
type ListResult struct {
	Bookmarks []Result `json:"bookmarks"`
}

// store is a platform's bookmarks as the step uses them: the engine's
// self-service bookmarks (engine.go) or DCT's (dct.go). The step's logic,
// run below, is written once over it.
type store interface {
	// load resolves --container and --template (nil: neither given) and
	// returns the bookmarks made on that data pod or template itself, or
	// every one the user sees; for create, share, unshare and delete at
	// least those named --name.
	load(ctx context.Context, o options) (*place, []mark, error)
	// publishes proves masked, or says why not, the data a shared bookmark
	// publishes: the layout's current data (b nil), or bookmark b's.
	publishes(ctx context.Context, b *mark) (evidence []string, why string, err error)
	// create is the job that makes the bookmark o describes on the layout;
	// a start that answers the new bookmark's reference sets *ref.
	create(ctx context.Context, o options, ref *string) platform.JobSpec
	// change is the job that shares, unshares or deletes (op) b.
	change(ctx context.Context, op string, b mark) platform.JobSpec
	// get reads a bookmark.
	get(ctx context.Context, ref string) (Result, error)
	// planned is the bookmark create would make on the layout, as far as
	// it is known before it exists.
	planned(ctx context.Context, o options) (Result, error)
	// dependents says, by reference, what still depends on each of ms.
	dependents(ctx context.Context, ms []mark) (map[string][]string, error)
}

// place is the data pod or template --container or --template names.
type place struct{ kind, name string }

func (p *place) String() string { return fmt.Sprintf("%s %q", p.kind, p.name) }

// mark is a bookmark as the step sees it on either platform.
type mark struct {
	res     Result
	id      string
	layout  string // the pod or template it is on: prune's --keep counts per layout
	created time.Time
	forever bool // the platform retains it forever (DCT: retention -1)
}

func run(ctx context.Context, s *cli.Session, o options, st store) (any, error) {
	where, ms, err := st.load(ctx, o)
	if err != nil {
		return nil, err
	}
	switch o.op {
	case "list":
		return list(ms, o), nil
	case "prune":
		return runPrune(ctx, s, o, st, ms)
	}
	kind := "bookmark"
	if where != nil {
		kind = "bookmark on " + where.String()
	}
	b, err := delphix.FindByName(kind, o.name, ms, func(m *mark) string { return m.res.Bookmark }, func(m *mark) string { return m.id })
	var miss *delphix.NameError
	switch {
	case errors.As(err, &miss) && len(miss.Matches) == 0 && o.op == "create":
		return create(ctx, s, o, st, where)
	case errors.As(err, &miss) && len(miss.Matches) == 0:
		return nil, cli.Usagef("%v; dx-bookmark list shows the ones you can see", err)
	case errors.As(err, &miss):
		return nil, cli.Usagef("%d %ss are named %q (%s): name the data pod or template, or rename one", len(miss.Matches), kind, o.name,
			strings.Join(miss.Matches, ", "))
	case err != nil:
		return nil, err
	}
	return change(ctx, s, o, st, b)
}

func list(ms []mark, o options) ListResult {
	out := ListResult{Bookmarks: []Result{}}
	for _, m := range ms {
		if strings.Contains(m.res.Bookmark, o.name) && hasAll(m.res.Tags, o.tags) {
			out.Bookmarks = append(out.Bookmarks, m.res)
		}
	}
	sortByCreation(out.Bookmarks)
	return out
}

// sortByCreation orders a list oldest first (then by name), the same on
// both platforms: the engine lists in its own order, DCT newest first.
func sortByCreation(rs []Result) {
	slices.SortStableFunc(rs, func(a, b Result) int {
		return cmp.Or(cmp.Compare(a.CreationTime, b.CreationTime), cmp.Compare(a.Bookmark, b.Bookmark))
	})
}

func hasAll(have, want []string) bool {
	for _, t := range want {
		if !slices.Contains(have, t) {
			return false
		}
	}
	return true
}

// create makes the bookmark o describes on where; in a plan, the output
// is the bookmark it would make.
func create(ctx context.Context, s *cli.Session, o options, st store, where *place) (any, error) {
	if o.shared {
		if err := provePublish(ctx, s, o, st, where.String(), nil); err != nil {
			return nil, err
		}
	}
	var ref string
	j := st.create(ctx, o, &ref)
	j.Action, j.What = createAction(o, where), fmt.Sprintf("bookmark %q on %s", o.name, where)
	job, err := platform.Of(s).Run(ctx, j)
	if err != nil {
		return nil, err
	}
	var res Result
	if job.Planned {
		res, err = st.planned(ctx, o)
	} else {
		res, err = st.get(ctx, cmp.Or(ref, job.Reference))
	}
	if err != nil {
		return nil, err
	}
	created := true
	res.Created, res.Recovered = &created, job.Recovered || s.Recovered()
	return res, nil
}

// createAction is a create as the plan lists it.
func createAction(o options, where *place) cli.Action {
	p := map[string]string{"on": where.String(), "shared": strconv.FormatBool(o.shared)}
	if len(o.tags) > 0 {
		p["tags"] = strings.Join(o.tags, ",")
	}
	if !o.expires.IsZero() {
		p["expires"] = o.expires.Format(time.RFC3339)
	}
	if o.forever {
		p["retainForever"] = "true"
	}
	if o.provenance != nil {
		p["provenance"] = strings.ReplaceAll(strings.TrimPrefix(o.provenance.description(), descriptionHead+"\n"), "\n", "; ")
	}
	return cli.Action{Action: "create", Object: "bookmark", Name: o.name, Parameters: p}
}

// change shares, unshares or deletes b; for create it is the existing
// bookmark, reused, and shared when --shared asks for it. In a plan the
// output is b as it is.
func change(ctx context.Context, s *cli.Session, o options, st store, b *mark) (any, error) {
	op := o.op
	if op == "create" {
		s.Log.Printf("bookmark %q already exists (%s); reusing it", b.res.Bookmark, b.id)
		if have := b.res.Tags; len(o.tags) > 0 && !slices.Equal(have, o.tags) {
			s.Log.Printf("note: its tags %q differ from --tag %q and were left as they are", have, o.tags)
		}
		if !o.expires.IsZero() || o.forever {
			s.Log.Printf("note: its expiration (%q) was left as it is", b.res.Expiration)
		}
		noteProvenance(s, b.res.Provenance, o.provenance)
		if !o.shared || b.res.Shared {
			res := b.res
			created := false
			res.Created = &created
			return res, nil
		}
		op = "share"
	}
	if op == "share" {
		if err := provePublish(ctx, s, o, st, fmt.Sprintf("bookmark %q", b.res.Bookmark), b); err != nil {
			return nil, err
		}
	}
	job, err := platform.Of(s).Run(ctx, changeJob(ctx, st, op, *b))
	if err != nil {
		return nil, err
	}
	res := b.res
	switch {
	case job.Planned:
	case op == "delete":
		res.Deleted = true
	default:
		if res, err = st.get(ctx, b.id); err != nil {
			return nil, err
		}
	}
	if o.op == "create" {
		created := false
		res.Created = &created
	}
	return res, nil
}

// changeJob is the job that shares, unshares or deletes b.
func changeJob(ctx context.Context, st store, op string, b mark) platform.JobSpec {
	j := st.change(ctx, op, b)
	j.Action = cli.Action{Action: op, Object: "bookmark", Name: b.res.Bookmark, Reference: b.id}
	j.What = fmt.Sprintf("%s of bookmark %q", op, b.res.Bookmark)
	return j
}
