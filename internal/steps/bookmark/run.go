package bookmark

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/dxsteps/dxsteps/delphix"
	"github.com/dxsteps/dxsteps/internal/cli"
	"github.com/dxsteps/dxsteps/internal/platform"
)

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
