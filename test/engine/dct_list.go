package engine

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
)

func (c *dctCall) list(items []obj) (int, any, error) {
	if c.r.Method == http.MethodPost {
		var sb struct {
			Filter string `json:"filter_expression"`
		}
		if err := c.decode(&sb); err != nil {
			return 0, nil, err
		}
		if sb.Filter != "" {
			f, err := parseFilter(sb.Filter)
			if err != nil {
				return 0, nil, dctErrorf(http.StatusBadRequest, "filter_expression: %v", err)
			}
			var kept []obj
			for _, it := range items {
				if f.match(it) {
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
			return 0, nil, dctErrorf(http.StatusBadRequest, "limit %q must be 1 to 1000", l)
		}
		limit = n
	}
	offset := 0
	if cur := q.Get("cursor"); cur != "" {
		raw, err := base64.RawURLEncoding.DecodeString(cur)
		n, err2 := strconv.Atoi(strings.TrimPrefix(string(raw), "offset:"))
		if err != nil || err2 != nil || !strings.HasPrefix(string(raw), "offset:") || n < 0 {
			return 0, nil, dctErrorf(http.StatusBadRequest, "cursor %q is not one this server gave", cur)
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
