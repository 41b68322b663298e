package dctapi_test

import (
	"encoding/json"
	"io"
	"net/http"
	"sort"
	"strings"
	"testing"

	"github.com/dxsteps/dxsteps/dct"
	"github.com/dxsteps/dxsteps/test/engine"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// dctDo sends one request to the engine's DCT API as the admin and returns the status,
// the Content-Type and the body.
func dctDo(t *testing.T, e *engine.Engine, method, path, body string) (int, string, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, e.URL()+path, strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Authorization", "apk "+engine.DCTKey(1, "delphix_admin"))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, resp.Header.Get("Content-Type"), b
}

// errorMessage is the one message of a DCT error body {"errors":[{"message"}]}.
func errorMessage(t *testing.T, body []byte) string {
	t.Helper()
	var eb struct {
		Errors []struct {
			Message string `json:"message"`
		} `json:"errors"`
	}
	require.NoError(t, json.Unmarshal(body, &eb), string(body))
	require.Len(t, eb.Errors, 1, string(body))
	return eb.Errors[0].Message
}

// searchNames answers a search with a filter: the names found, sorted, or the error message.
func searchNames(t *testing.T, e *engine.Engine, path, filter string) ([]string, string) {
	t.Helper()
	b, _ := json.Marshal(map[string]string{"filter_expression": filter})
	status, _, body := dctDo(t, e, http.MethodPost, "/dct/v3"+path, string(b))
	var out struct {
		Items []struct {
			Name string `json:"name"`
		} `json:"items"`
		Errors []struct {
			Message string `json:"message"`
		} `json:"errors"`
	}
	require.NoError(t, json.Unmarshal(body, &out), string(body))
	if status != http.StatusOK {
		require.Equal(t, http.StatusBadRequest, status, string(body))
		require.Len(t, out.Errors, 1, string(body))
		return nil, out.Errors[0].Message
	}
	names := []string{}
	for _, it := range out.Items {
		names = append(names, it.Name)
	}
	sort.Strings(names)
	return names, ""
}

// Searches on the workshop's VDBs with the spec's operators, literals and grouping: each
// finds exactly the VDBs it describes.
func TestDCTSearchesFindWhatTheFilterDescribesAndNothingElse(t *testing.T) {
	e := start(t, engine.Options{})
	for filter, want := range map[string][]string{
		"name EQ 'prep1 DB'":                                              {"prep1 DB"},
		"name eq \"prep1 db\"":                                            {},
		"name IN ['prep2 DB', 'qa-pod DB', 'nosuch']":                     {"prep2 DB", "qa-pod DB"},
		"name CONTAINS 'pod' AND NOT name EQ 'qa-pod DB'":                 {"dev-pod DB"},
		"(name EQ 'prep1 DB' OR name EQ 'prep2 DB') AND masked EQ true":   {"prep1 DB", "prep2 DB"},
		"masked EQ false":                                                 {},
		"parent_id EQ nil AND name CONTAINS 'Master'":                     {},
		"parent_id NE nil AND name CONTAINS 'Master'":                     {"Patients Masked Master"},
		"SEARCH 'MASKED master'":                                          {"Patients Masked Master"},
		"creation_date GT 2000-01-01T00:00:00Z AND name CONTAINS 'prep6'": {"prep6 DB"},
		"creation_date LT 2000-01-01T00:00:00+01:00":                      {},
	} {
		got, msg := searchNames(t, e, "/vdbs/search", filter)
		require.Empty(t, msg, filter)
		assert.Equal(t, want, got, filter)
	}
}

// The nested form of the spec's example (repositories CONTAINS {version eq '19.0.0'}) is
// how tags are filtered: a bookmark's tag key and value together.
func TestDCTTagFiltersUseTheNestedContainsForm(t *testing.T) {
	e := start(t, engine.Options{})
	c := dctClient(t, dctServer(t, e, "/dct/v3"), "/dct/v3", 1, "delphix_admin")
	master, err := c.VDBs.FindByName(t.Context(), "Patients Masked Master")
	require.NoError(t, err)
	for name, build := range map[string]string{"build-7": "7", "build-8": "8"} {
		_, job, err := c.Bookmarks.Create(t.Context(), dct.BookmarkCreate{Name: name, VDBIDs: []string{master.ID},
			Tags: []dct.Tag{{Key: "BUILD_TAG", Value: build}, {Key: "team", Value: "qa"}}})
		waitOn(t, c)(job, err)
	}
	for filter, want := range map[string][]string{
		"tags CONTAINS {key EQ 'BUILD_TAG' AND value EQ '7'}":        {"build-7"},
		"tags CONTAINS {key EQ 'BUILD_TAG' AND value IN ['7', '8']}": {"build-7", "build-8"},
		"tags CONTAINS {key EQ 'team' AND value EQ '7'}":             {},
		"NOT tags CONTAINS {value EQ '8'} AND name CONTAINS 'build'": {"build-7"},
	} {
		got, msg := searchNames(t, e, "/bookmarks/search", filter)
		require.Empty(t, msg, filter)
		assert.Equal(t, want, got, filter)
	}
}

// What the spec's grammar and x-filterable do not allow is refused with 400 and the reason:
// a misspelt or non-filterable field (with the fields that are), a dotted path, more than 8
// identifiers, an unknown operator, an unquoted word.
func TestDCTSearchesRefuseWhatTheSpecDoesNotAllow(t *testing.T) {
	e := start(t, engine.Options{})
	nine := []string{}
	for _, f := range []string{"id", "name", "database_name", "status", "fqdn", "parent_id", "group_name", "masked", "size"} {
		nine = append(nine, f+" NE nil")
	}
	for filter, want := range map[string]string{
		"nosuch EQ 'x'":               `filter_expression: "nosuch" is not a filterable field here; filterable: appdata_source_params, cdb_id,`,
		"tags.key EQ 'BUILD'":         `"tags.key" is not a filterable field here`,
		"hooks EQ 'x'":                `"hooks" is not a filterable field here`,
		strings.Join(nine, " AND "):   "9 unique identifiers",
		"name LIKE 'x'":               "unknown operator 'LIKE'",
		"name EQ prep1":               "'prep1' is not a value",
		"tags CONTAINS {nosuch EQ 1}": `in tags CONTAINS {...}: "nosuch" is not a filterable field here; filterable: key, value`,
	} {
		_, msg := searchNames(t, e, "/vdbs/search", filter)
		assert.Contains(t, msg, want, filter)
	}
	_, msg := searchNames(t, e, "/bookmarks/search", "tags EQ 'x'")
	assert.Empty(t, msg, "tags is filterable on bookmarks, even if EQ on a list matches nothing")
}

// Query parameters are those the operation declares, with the values its enums allow.
func TestDCTQueryParametersAreChecked(t *testing.T) {
	e := start(t, engine.Options{})
	for path, want := range map[string]string{
		"/dct/v3/vdbs?sort=bogus":                `sort "bogus" is not a sort value here: give one of id, database_name,`,
		"/dct/v3/vdbs?page=2":                    `query parameter "page" is not one GET /vdbs takes: it takes only cursor, limit, permission, sort`,
		"/dct/v3/vdbs?permission=OWN":            `permission "OWN" is not one of: READ, UPDATE,`,
		"/dct/v3/vdbs?limit=0":                   `limit "0" must be 1 to 1000`,
		"/dct/v3/vdbs/VDB-1?sort=name":           `query parameter "sort" is not one GET /vdbs/{id} takes: it takes no query parameters`,
		"/dct/v3/vdbs/VDB-1/snapshots?sort=name": `query parameter "sort" is not one GET /vdbs/{id}/snapshots takes: it takes only cursor, limit`,
	} {
		status, ctype, body := dctDo(t, e, http.MethodGet, path, "")
		assert.Equal(t, http.StatusBadRequest, status, path)
		assert.Equal(t, "application/json", ctype, path)
		assert.Contains(t, errorMessage(t, body), want, path)
	}
	status, _, body := dctDo(t, e, http.MethodGet, "/dct/v3/vdbs?sort=-name&limit=2&permission=READ", "")
	require.Equal(t, http.StatusOK, status, string(body))
	var page struct {
		Items []struct{ Name string } `json:"items"`
	}
	require.NoError(t, json.Unmarshal(body, &page))
	require.Len(t, page.Items, 2)
	assert.Greater(t, page.Items[0].Name, page.Items[1].Name, "sorted by name, descending")
}

// Paths no operation serves are answered with a DCT error body, never the engine API's HTML.
func TestDCTAnswersUnknownPathsWithJSONErrors(t *testing.T) {
	e := start(t, engine.Options{DCT: engine.DCTOptions{BasePaths: []string{"/dct/v3"}}})
	for _, c := range []struct {
		method, path string
		status       int
		want         string
	}{
		{"GET", "/dct/v3/nosuch", 404, "no such path: GET /nosuch"},
		{"GET", "/dct/v3/vdbs/", 404, "no such path: GET /vdbs/ (without the trailing slash it is /vdbs)"},
		{"GET", "/dct/v3", 404, "no such path: GET /"},
		{"GET", "/v3/vdbs", 404, "no DCT API under /v3/vdbs: this server serves it under /dct/v3"},
		{"GET", "/dct/v2/vdbs", 404, "no DCT API under /dct/v2/vdbs: this server serves it under /dct/v3"},
		{"DELETE", "/dct/v3/vdbs", 405, "DELETE /vdbs: this path takes GET"},
		{"PUT", "/dct/v3/bookmarks/B-1", 405, "PUT /bookmarks/B-1: this path takes GET, PATCH, DELETE"},
	} {
		status, ctype, body := dctDo(t, e, c.method, c.path, "")
		assert.Equal(t, c.status, status, c.path)
		assert.Equal(t, "application/json", ctype, c.path)
		assert.Equal(t, c.want, errorMessage(t, body), c.path)
	}
	status, ctype, _ := dctDo(t, e, "GET", "/resources/json/delphix/nosuch", "")
	assert.Equal(t, http.StatusNotFound, status)
	assert.Contains(t, ctype, "text/html", "the engine API keeps its own error page")
}
