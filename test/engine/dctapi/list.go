package dctapi

import (
	"cmp"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/dxsteps/dxsteps/test/internal/dctfilter"
)

func (c *call) list(items []obj) (int, any, error) {
	if c.r.Method == http.MethodPost {
		var sb struct {
			Filter *string `json:"filter_expression"`
		}
		if err := c.decode(&sb); err != nil {
			return 0, nil, err
		}
		if sb.Filter != nil {
			f, err := dctfilter.Parse(*sb.Filter, c.op.filterable)
			if err != nil {
				return 0, nil, errorf(http.StatusBadRequest, "filter_expression: %v", err)
			}
			var kept []obj
			for _, it := range items {
				if f.Match(asJSON(it)) {
					kept = append(kept, it)
				}
			}
			items = kept
		}
	}
	q := c.r.URL.Query()
	if s := q.Get("sort"); s != "" {
		field, desc := strings.TrimPrefix(s, "-"), strings.HasPrefix(s, "-")
		sort.SliceStable(items, func(i, j int) bool {
			a, b := fmt.Sprint(items[i][field]), fmt.Sprint(items[j][field])
			if desc {
				return a > b
			}
			return a < b
		})
	}
	limit := 100
	if l := q.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > 1000 {
			return 0, nil, errorf(http.StatusBadRequest, "limit %q must be 1 to 1000", l)
		}
		limit = n
	}
	offset := 0
	if cur := q.Get("cursor"); cur != "" {
		raw, err := base64.RawURLEncoding.DecodeString(cur)
		n, err2 := strconv.Atoi(strings.TrimPrefix(string(raw), "offset:"))
		if err != nil || err2 != nil || !strings.HasPrefix(string(raw), "offset:") || n < 0 {
			return 0, nil, errorf(http.StatusBadRequest, "cursor %q is not one this server gave", cur)
		}
		offset = n
	}
	meta := obj{"total": len(items)}
	page := []obj{}
	if offset < len(items) {
		page = items[offset:min(offset+limit, len(items))]
	}
	if offset+limit < len(items) {
		meta["next_cursor"] = base64.RawURLEncoding.EncodeToString([]byte("offset:" + strconv.Itoa(offset+limit)))
	}
	if offset > 0 {
		meta["prev_cursor"] = base64.RawURLEncoding.EncodeToString([]byte("offset:" + strconv.Itoa(max(0, offset-limit))))
	}
	return http.StatusOK, obj{"items": page, "response_metadata": meta}, nil
}

// asJSON is an item as a client decodes it, which is what a filter compares.
func asJSON(o obj) map[string]any {
	b, _ := json.Marshal(o)
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	return m
}

// operation is what the spec declares of one operation (see operations).
type operation struct {
	query      map[string][]string // parameter: its enum, nil for any value of its type
	filterable dctfilter.Fields    // a search's fields; nil: not a search
}

// pageQuery are the parameters of a paged list: limit and cursor.
func pageQuery() map[string][]string { return map[string][]string{"limit": nil, "cursor": nil} }

// listQuery adds sort, by each field ascending or ("-") descending, and permission when given.
func listQuery(sorts []string, permission ...[]string) map[string][]string {
	q := pageQuery()
	for _, f := range sorts {
		q["sort"] = append(q["sort"], f, "-"+f)
	}
	if len(permission) > 0 {
		q["permission"] = permission[0]
	}
	return q
}

// checkQuery refuses a query parameter the operation does not declare and a value outside
// a parameter's enum, as DCT validates requests against its spec (400).
func (op operation) checkQuery(route string, q url.Values) error {
	names := make([]string, 0, len(q))
	for k := range q {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		enum, ok := op.query[k]
		if !ok {
			takes := "no query parameters"
			if len(op.query) > 0 {
				declared := make([]string, 0, len(op.query))
				for d := range op.query {
					declared = append(declared, d)
				}
				sort.Strings(declared)
				takes = "only " + strings.Join(declared, ", ")
			}
			return errorf(http.StatusBadRequest, "query parameter %q is not one %s takes: it takes %s", k, route, takes)
		}
		for _, v := range q[k] {
			switch {
			case enum == nil || slices.Contains(enum, v):
			case k == "sort":
				var fields []string
				for _, f := range enum {
					if !strings.HasPrefix(f, "-") {
						fields = append(fields, f)
					}
				}
				return errorf(http.StatusBadRequest, "sort %q is not a sort value here: give one of %s, or - before it to sort descending",
					v, strings.Join(fields, ", "))
			default:
				return errorf(http.StatusBadRequest, "%s %q is not one of: %s", k, v, strings.Join(enum, ", "))
			}
		}
		if k == "cursor" && len(q[k][0]) > 4096 {
			return errorf(http.StatusBadRequest, "cursor is longer than 4096 characters")
		}
	}
	return nil
}

// fallbackPaths are the mux patterns below which an unmatched request still gets a DCT
// error body: each base path itself and its subtree, and the base paths DCT may be served
// under that this engine does not serve (/dct/... and /v3/...).
func fallbackPaths(bases []string) []string {
	var out []string
	for _, b := range bases {
		out = append(out, b, b+"/")
	}
	for _, p := range []string{"/dct/", "/v3/", "/v3"} {
		if !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out
}

// noRoute answers a request no DCT operation takes: 405 with Allow when the path is
// served with other methods, else 404, naming the base paths served and, for a trailing
// slash, the path without it.
func (s *Server) noRoute(w http.ResponseWriter, r *http.Request) {
	s.Mu.Lock()
	rec := s.LogRequest(r.Method, r.URL.Path, r.URL.RawQuery, nil)
	de := s.routeError(r)
	rec.Status = de.status
	body := s.errorBody(de.apiError)
	s.Mu.Unlock()
	if de.status == http.StatusMethodNotAllowed {
		w.Header().Set("Allow", de.allow)
	}
	if text, ok := body.(string); ok {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(de.status)
		_, _ = w.Write([]byte(text))
		return
	}
	b, _ := json.Marshal(body)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(de.status)
	_, _ = w.Write(b)
}

type routeErr struct {
	*apiError
	allow string
}

func (s *Server) routeError(r *http.Request) routeErr {
	served := s.opts.BasePaths
	var base string
	for _, b := range served {
		if r.URL.Path == b || strings.HasPrefix(r.URL.Path, b+"/") {
			base = b
		}
	}
	if base == "" {
		return routeErr{apiError: &apiError{status: http.StatusNotFound,
			msg: fmt.Sprintf("no DCT API under %s: this server serves it under %s", r.URL.Path, strings.Join(served, " and "))}}
	}
	var allow []string
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
		if m != r.Method && s.serves(m, r.URL.Path) {
			allow = append(allow, m)
		}
	}
	if len(allow) > 0 {
		return routeErr{apiError: &apiError{status: http.StatusMethodNotAllowed,
			msg: fmt.Sprintf("%s %s: this path takes %s", r.Method, strings.TrimPrefix(r.URL.Path, base), strings.Join(allow, ", "))},
			allow: strings.Join(allow, ", ")}
	}
	msg := fmt.Sprintf("no such path: %s %s", r.Method, cmp.Or(strings.TrimPrefix(r.URL.Path, base), "/"))
	if trimmed := strings.TrimRight(r.URL.Path, "/"); trimmed != r.URL.Path && s.serves(r.Method, trimmed) {
		msg += " (without the trailing slash it is " + strings.TrimPrefix(trimmed, base) + ")"
	}
	return routeErr{apiError: &apiError{status: http.StatusNotFound, msg: msg}}
}

// serves reports whether a DCT operation takes method on path.
func (s *Server) serves(method, path string) bool {
	probe, err := http.NewRequest(method, path, nil)
	if err != nil {
		return false
	}
	_, pattern := s.mux.Handler(probe)
	return pattern != "" && strings.HasPrefix(pattern, method+" ")
}
