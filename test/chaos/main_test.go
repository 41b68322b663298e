package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestJudgeJobsCountsAnOperationRunTwiceButNotSomeoneElsesOrEarlierJobs(t *testing.T) {
	before := []job{{Reference: "JOB-1", ActionType: "DB_SYNC", Target: "DB-1", JobState: "COMPLETED", User: "USER-2"}}
	after := append(before,
		job{Reference: "JOB-2", ActionType: "DB_SYNC", Target: "DB-1", JobState: "COMPLETED", User: "USER-2"},
		job{Reference: "JOB-3", ActionType: "DB_SYNC", Target: "DB-1", JobState: "COMPLETED", User: "USER-someone-else"},
		job{Reference: "JOB-4", ActionType: "DB_REFRESH", Target: "DB-2", JobState: "COMPLETED", User: "USER-2"},
		job{Reference: "JOB-5", ActionType: "DB_REFRESH", Target: "DB-2", JobState: "FAILED", User: "USER-2"},
		job{Reference: "JOB-6", ActionType: "BOOKMARK_CREATE", Target: "BM-1", TargetName: "x 15", JobState: "COMPLETED", User: "USER-2"},
		job{Reference: "JOB-7", ActionType: "BOOKMARK_CREATE", Target: "BM-2", TargetName: "x 15", JobState: "COMPLETED", User: "USER-2"},
	)
	dups, failed := judgeJobs(before, after, nil)
	assert.Equal(t, []string{"duplicate job: BOOKMARK_CREATE on x 15 x2", "duplicate job: DB_REFRESH on DB-2 x2"}, dups)
	assert.Equal(t, []string{"DB_REFRESH on DB-2 FAILED"}, failed)
}

func TestJudgeJobsAllowsWhatThePipelineRunsTwiceByDesignButNoMore(t *testing.T) {
	snap := func(ref string) job {
		return job{Reference: ref, ActionType: "DB_SNAPSHOT", Target: "DB-1", TargetName: "Masked/Patients Masked Master",
			JobState: "COMPLETED", User: "USER-2"}
	}
	dups, _ := judgeJobs(nil, []job{snap("JOB-1"), snap("JOB-2")}, intended["dct"])
	assert.Empty(t, dups)
	dups, _ = judgeJobs(nil, []job{snap("JOB-1"), snap("JOB-2"), snap("JOB-3")}, intended["dct"])
	assert.Equal(t, []string{"duplicate job: DB_SNAPSHOT on Masked/Patients Masked Master x3"}, dups)
	dups, _ = judgeJobs(nil, []job{snap("JOB-1"), snap("JOB-2")}, intended["engine"])
	assert.Len(t, dups, 1)
}

func TestFindSecretsLooksInTextsAndEveryFileBelowTheDirectories(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "ws", "a"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "ws", "a", "out.json"), []byte(`{"p":"s3cret-gen"}`), 0o600))
	leaks := findSecrets([]string{"landshark", "s3cret-gen", ""}, map[string]string{"console": "login ok landshark"}, filepath.Join(dir, "ws"))
	assert.ElementsMatch(t, []string{"secret leaked (9 chars) in console", "secret leaked (10 chars) in ws/a/out.json"}, leaks)
	assert.Empty(t, findSecrets([]string{"landshark"}, map[string]string{"console": "********"}, filepath.Join(dir, "ws")))
}

func TestShortPathElidesEitherAPIsBaseAndReferences(t *testing.T) {
	assert.Equal(t, "/selfservice/container/REF/refresh", shortPath("/resources/json/delphix/selfservice/container/JS_DATA_CONTAINER-3/refresh"))
	assert.Equal(t, "/vdbs/REF/refresh_by_snapshot", shortPath("/dct/v3/vdbs/APPDATA_CONTAINER-4/refresh_by_snapshot"))
}

func TestFaultOfNamesTheFaultAStepErrorShows(t *testing.T) {
	assert.Contains(t, faultOf("refresh of data pod \"prep3\": delphix: session lost"), "lost session")
	assert.Contains(t, faultOf(`engine unreachable: POST /selfservice/bookmark: read tcp: connection reset by peer`), "dropped connection")
	assert.Contains(t, faultOf("GET /database: HTTP 503 Service Unavailable"), "error answer")
	assert.Contains(t, faultOf("engine unreachable: POST /x: HTTP 504 Gateway Timeout (check the engine)"), "error answer")
	assert.Contains(t, faultOf("the object is busy"), "busy")
	assert.Equal(t, "other: no such pod", faultOf("no such pod"))
}

func TestStepExitsReadsTheLibrarysFailureLinesAndJudgesThem(t *testing.T) {
	console := `[x] delphixSync: login as "a" refused (check the user and password) (exit 3, auth)
[y] delphixRefresh: engine unreachable: POST /x (exit 5, unreachable)
[y] delphixRefresh: engine unreachable: POST /x (exit 5, unreachable)
[z] delphixBookmark: odd (exit 9, other)
`
	xs := stepExits(console)
	require.Len(t, xs, 3)
	assert.Equal(t, stepExit{step: "delphixSync", code: 3, category: "auth"}, xs[0])
	assert.Contains(t, xs[0].wrong(), "credentials refused")
	assert.Empty(t, xs[1].wrong())
	assert.Contains(t, xs[2].wrong(), "not a documented exit code")
}
