package dctspec

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// spec loads the OpenAPI file beside the repository; without it the test
// is skipped, except in CI where it must be there.
func spec(t *testing.T) *Spec {
	t.Helper()
	s, err := Default()
	if err == ErrNoSpec && os.Getenv("CI") != "true" {
		t.Skip(err)
	}
	require.NoError(t, err)
	return s
}

func joined(problems []string) string { return strings.Join(problems, "\n") }

func TestAValidRequestHasNoProblems(t *testing.T) {
	s := spec(t)
	body := `{"name":"pod-1 build 7","vdb_ids":["vdb-1"],"bookmark_type":"PUBLIC","expiration":"2026-12-31",
		"tags":[{"key":"build","value":"7"}]}`
	assert.Empty(t, s.CheckRequest("POST", "/bookmarks", nil, []byte(body)))
	assert.Empty(t, s.CheckRequest("POST", "/vdbs/search", url.Values{"limit": {"1000"}, "sort": {"-last_refreshed_date"}},
		[]byte(`{"filter_expression":"name EQ \"it's\""}`)))
	assert.Empty(t, s.CheckRequest("POST", "/vdbs/vdb-1/unlock", nil, nil))
}

func TestAWrongEnumValueIsAProblem(t *testing.T) {
	s := spec(t)
	p := s.CheckRequest("POST", "/bookmarks", nil, []byte(`{"name":"b","vdb_ids":["v"],"bookmark_type":"SHARED"}`))
	assert.Contains(t, joined(p), "bookmark_type: SHARED is not one of [PUBLIC PRIVATE]")
}

func TestAWrongFieldTypeIsAProblem(t *testing.T) {
	s := spec(t)
	p := s.CheckRequest("POST", "/bookmarks", nil, []byte(`{"name":"b","vdb_ids":"vdb-1","retain_forever":"yes"}`))
	assert.Contains(t, joined(p), `body.vdb_ids: "vdb-1" is not an array`)
	assert.Contains(t, joined(p), `body.retain_forever: "yes" is not a boolean`)
	p = s.CheckResponse("GET", "/jobs/j-1", 200, []byte(`{"id":"j-1","status":"COMPLETED","percent_complete":"100"}`))
	assert.Contains(t, joined(p), `percent_complete: "100" is not a number`)
	p = s.CheckResponse("GET", "/jobs/j-1", 200, []byte(`{"id":"j-1","percent_complete":50.5}`))
	assert.Contains(t, joined(p), "50.5 is not an integer")
}

func TestMissingRequiredAndUnknownFieldsAreProblems(t *testing.T) {
	s := spec(t)
	p := s.CheckRequest("POST", "/vdbs/vdb-1/refresh_from_bookmark", nil, []byte(`{"bookmark":"b-1"}`))
	assert.Contains(t, joined(p), "required field bookmark_id is missing")
	assert.Contains(t, joined(p), "field bookmark is not in the spec")
	// allOf: the provision body merges the base parameters and the bookmark's.
	p = s.CheckRequest("POST", "/vdbs/provision_from_bookmark", nil,
		[]byte(`{"bookmark_id":"b-1","name":"dev","auto_select_repository":true,"make_current_account_owner":true}`))
	assert.Empty(t, p)
}

func TestFormatsLengthsAndDatesAreChecked(t *testing.T) {
	s := spec(t)
	p := s.CheckRequest("POST", "/bookmarks", nil, []byte(`{"name":"","vdb_ids":["v"],"expiration":"2026-12-31T00:00:00Z"}`))
	assert.Contains(t, joined(p), `body.name: "" is shorter than 1`)
	assert.Contains(t, joined(p), `"2026-12-31T00:00:00Z" is not a date`)
}

func TestUnknownPathsMethodsAndBodiesAreProblems(t *testing.T) {
	s := spec(t)
	assert.Contains(t, joined(s.CheckRequest("POST", "/vdbs/vdb-1/refresh_by_bookmark", nil, []byte(`{}`))), "no such path")
	assert.Contains(t, joined(s.CheckRequest("DELETE", "/vdbs/vdb-1", nil, nil)), "not this method")
	assert.Contains(t, joined(s.CheckRequest("POST", "/vdbs/vdb-1/unlock", nil, []byte(`{}`))), "declares no request body")
	assert.Contains(t, joined(s.CheckRequest("POST", "/vdbs/vdb-1/lock", nil, nil)), "request body is required")
	assert.Contains(t, joined(s.CheckRequest("GET", "/vdbs", url.Values{"limit": {"5000"}}, nil)), "5000 is more than 1000")
	assert.Contains(t, joined(s.CheckRequest("GET", "/vdbs", url.Values{"sort": {"-color"}}, nil)), "-color is not one of")
	assert.Contains(t, joined(s.CheckRequest("GET", "/vdbs", url.Values{"page": {"2"}}, nil)), "page is not in the spec")
}

func TestFiltersUseOnlyFilterableFieldsAndWellFormedStrings(t *testing.T) {
	s := spec(t)
	check := func(path, f string) string {
		return joined(s.CheckRequest("POST", path, nil, []byte(`{"filter_expression":`+quoteJSON(f)+`}`)))
	}
	assert.Empty(t, check("/snapshots/search", "dataset_id EQ 'ds-1' AND temporary EQ false"))
	assert.Empty(t, check("/bookmarks/search", "tags CONTAINS {key EQ 'BUILD_TAG' AND value EQ '7'}"))
	assert.Contains(t, check("/vdbs/search", "colour EQ 'red'"), `"colour" is not a filterable field here`)
	assert.Contains(t, check("/bookmarks/search", "tags.key EQ 'BUILD_TAG'"), `"tags.key" is not a filterable field here`)
	assert.Contains(t, check("/vdbs/search", "name EQ 'it's'"), "unterminated string")
	assert.Contains(t, check("/vdbs/search", "name EQ 'a' AND (id EQ 'b'"), "missing ) at the end")
}

func quoteJSON(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

func TestAnswersAreCheckedAgainstTheirDeclaredStatus(t *testing.T) {
	s := spec(t)
	assert.Empty(t, s.CheckResponse("DELETE", "/bookmarks/b-1", 204, nil))
	assert.Contains(t, joined(s.CheckResponse("DELETE", "/bookmarks/b-1", 200, []byte(`{}`))), "declares no such status")
	assert.Empty(t, s.CheckResponse("POST", "/vdbs/v/lock", 409, []byte(`{"message":"locked"}`)), "errors may be undeclared")
	assert.Contains(t, joined(s.CheckResponse("GET", "/jobs/j", 200, []byte(`{"id":"j","status":"DONE"}`))), "DONE is not one of")
	assert.Contains(t, joined(s.CheckResponse("GET", "/vdb-groups/g", 200, []byte(`{"id":"g"}`))), "required field name is missing")
}

func TestHandlerReportsBadRequestsAndAnswers(t *testing.T) {
	s := spec(t)
	var reports []string
	h := s.Handler("/dct/v3", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"id":"j-1","status":"FINISHED"}`))
	}), func(f string, a ...any) { reports = append(reports, fmt.Sprintf(f, a...)) })
	srv := httptest.NewServer(h)
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/dct/v3/jobs/j-1?verbose=1")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 200, resp.StatusCode)
	require.Len(t, reports, 2)
	assert.Contains(t, reports[0], "query parameter verbose is not in the spec")
	assert.Contains(t, reports[1], "FINISHED is not one of")
}

func TestDeprecatedOperationsAndFieldsAreProblems(t *testing.T) {
	s := spec(t)
	assert.Contains(t, joined(s.CheckRequest("POST", "/vdbs/vdb-1/rollback_from_bookmark", nil, []byte(`{"bookmark_id":"b"}`))),
		"the operation is deprecated")
	assert.Contains(t, joined(s.CheckRequest("POST", "/masking-jobs/mj-1/execute", nil, []byte(`{}`))), "the operation is deprecated")
	assert.Contains(t, joined(s.CheckRequest("POST", "/bookmarks", nil, []byte(`{"name":"b","vdb_ids":["v"],"retention":7}`))),
		"field retention is deprecated")
	assert.Empty(t, s.CheckResponse("GET", "/snapshots/s", 200, []byte(`{"id":"s","retention":7}`)), "answers may carry them")
}
