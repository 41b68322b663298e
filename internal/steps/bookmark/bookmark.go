// Package bookmark is dx-bookmark: bookmark a data pod's or template's
// latest data (without duplicating on rerun), share, unshare, delete, list
// and prune bookmarks. The step is written once (run.go, prune.go) over a
// store of bookmarks with the engine's implementation (engine.go) and DCT's
// (dct.go); every change goes through platform.Jobs.Run, so --dry-run plans it.
package bookmark

import (
	"context"
	"path"
	"slices"
	"time"

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
	OperationUsage: map[string]string{
		"create":  "bookmark the latest data of a data pod or a template",
		"share":   "share a bookmark with other users, once its data is proven masked",
		"unshare": "make a bookmark private again",
		"delete":  "delete a bookmark",
		"list":    "show the bookmarks you can see, filtered",
		"prune":   "delete the matching bookmarks beyond the newest N or older than a duration",
	},
	Platforms: []string{cli.PlatformEngine, cli.PlatformDCT},
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
