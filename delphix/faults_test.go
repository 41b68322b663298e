package delphix

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/dxsteps/dxsteps/test/engine"
	"github.com/dxsteps/dxsteps/test/engine/enginetest"
	"github.com/dxsteps/dxsteps/test/faultproxy"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// behindProxy is a local engine with a fault proxy in front and a client
// (not logged in) that talks to the proxy.
func behindProxy(t *testing.T) (*Client, *engine.Engine, *faultproxy.Proxy) {
	t.Helper()
	e := enginetest.Start(t)
	p := faultproxy.New(e.URL())
	t.Cleanup(p.Close)
	c, err := NewClient(p.URL(), WithBackoff(time.Millisecond, 5*time.Millisecond),
		WithWaitIntervals(5*time.Millisecond, 50*time.Millisecond, 5*time.Second))
	require.NoError(t, err)
	return c, e, p
}

const adminPassword = "landshark"

// jobsOfType counts the engine's jobs of one action type, read by a client
// of its own.
func jobsOfType(t *testing.T, e *engine.Engine, actionType string) int {
	t.Helper()
	c, err := NewClient(e.URL())
	require.NoError(t, err)
	require.NoError(t, c.Login(t.Context(), "delphix_admin", adminPassword))
	jobs, err := c.jobsOn(t.Context(), "", actionType, time.Time{})
	require.NoError(t, err)
	return len(jobs)
}

func TestLostLoginAnswerOpensANewSessionAndLogsInAgain(t *testing.T) {
	c, e, p := behindProxy(t)
	p.Add(faultproxy.Rule{Method: "POST", PathSuffix: "/login", Kind: faultproxy.DropAfter})
	require.NoError(t, c.Login(t.Context(), "delphix_admin", adminPassword))
	require.True(t, p.Exhausted())
	_, err := c.Databases.List(t.Context())
	require.NoError(t, err)
	assert.Equal(t, 2, countLines(requestLines(e), "POST /login"))
}

func TestSessionLostDuringTheFirstLoginIsNotAPasswordProblem(t *testing.T) {
	c, e, p := behindProxy(t)
	// The session expires between opening it at the chosen version and the login.
	p.Add(faultproxy.Rule{Method: "POST", PathSuffix: "/session", Skip: 1, Then: e.ExpireSessions})
	require.NoError(t, c.Login(t.Context(), "delphix_admin", adminPassword))
	require.True(t, p.Exhausted())
	_, err := c.Databases.List(t.Context())
	require.NoError(t, err)
}

func TestSessionLostAtEveryLoginIsSaidSoAndIsNotUnauthorized(t *testing.T) {
	c, e, p := behindProxy(t)
	p.Add(faultproxy.Rule{Method: "POST", PathSuffix: "/session", Count: 100, Then: e.ExpireSessions})
	err := c.Login(t.Context(), "delphix_admin", adminPassword)
	var lost *SessionLostError
	require.ErrorAs(t, err, &lost)
	assert.NotErrorIs(t, err, ErrUnauthorized)
	assert.Contains(t, err.Error(), "the credentials are not the problem")
	assert.NotContains(t, err.Error(), "password")
}

func TestWrongPasswordIsStillRefusedAtOnce(t *testing.T) {
	c, e, _ := behindProxy(t)
	err := c.Login(t.Context(), "delphix_admin", "wrong")
	require.ErrorIs(t, err, ErrUnauthorized)
	assert.Equal(t, 1, countLines(requestLines(e), "POST /login"), "a refused login is not tried again")
}

func TestSessionKilledTwiceWhileWaitingIsReestablishedAndTheJobFollowed(t *testing.T) {
	c, e, p := behindProxy(t)
	require.NoError(t, c.Login(t.Context(), "delphix_admin", adminPassword))
	db, err := c.Databases.FindByName(t.Context(), "Patients Prod")
	require.NoError(t, err)
	p.Add(faultproxy.Rule{Method: "POST", PathSuffix: "/sync", Then: e.ExpireSessions})
	p.Add(faultproxy.Rule{Method: "GET", PathContains: "/job/JOB-", Then: e.ExpireSessions})
	op, err := c.Databases.Sync(t.Context(), db)
	require.NoError(t, err)
	p.Add(faultproxy.Rule{Method: "GET", Kind: faultproxy.Pass, Then: e.ExpireSessions})
	job, err := c.Wait(t.Context(), op, nil)
	require.NoError(t, err)
	assert.True(t, p.Exhausted())
	assert.Equal(t, JobCompleted, job.JobState)
	assert.Equal(t, 1, jobsOfType(t, e, "DB_SYNC"))
	assert.GreaterOrEqual(t, countLines(requestLines(e), "POST /login"), 3, "logged in again after each loss")
}

func TestJobStartWhoseAnswerIsLostOnAResetIsFollowed(t *testing.T) {
	c, e, p := behindProxy(t)
	require.NoError(t, c.Login(t.Context(), "delphix_admin", adminPassword))
	vdb, err := c.Databases.FindByName(t.Context(), "prep1 DB")
	require.NoError(t, err)
	p.Add(faultproxy.Rule{Method: "POST", PathSuffix: "/refresh", Kind: faultproxy.ResetAfter})
	op, err := c.Databases.Refresh(t.Context(), vdb, RefreshPoint{})
	require.NoError(t, err)
	assert.True(t, op.Recovered)
	wait(t, c, op, nil)
	assert.Equal(t, 1, jobsOfType(t, e, "DB_REFRESH"))
}

func TestJobStartThatNeverReachedTheEngineIsSentAgainOnce(t *testing.T) {
	for _, rule := range []faultproxy.Rule{
		{Method: "POST", PathSuffix: "/sync", Kind: faultproxy.DropBefore},
		{Method: "POST", PathSuffix: "/sync", Kind: faultproxy.Status, Status: http.StatusBadGateway},
		{Method: "POST", PathSuffix: "/sync", Kind: faultproxy.Status, Status: http.StatusGatewayTimeout},
	} {
		c, e, p := behindProxy(t)
		require.NoError(t, c.Login(t.Context(), "delphix_admin", adminPassword))
		db, err := c.Databases.FindByName(t.Context(), "Patients Prod")
		require.NoError(t, err)
		p.Add(rule)
		op, err := c.Databases.Sync(t.Context(), db)
		require.NoError(t, err)
		assert.False(t, op.Recovered)
		wait(t, c, op, nil)
		assert.True(t, p.Exhausted())
		assert.Equal(t, 1, jobsOfType(t, e, "DB_SYNC"))
		assert.Equal(t, 1, countLines(requestLines(e), "POST /database/"+db.Reference+"/sync"))
	}
}

func TestBookmarkWhoseCreateAnswerIsLostIsFoundByName(t *testing.T) {
	c, e, p := behindProxy(t)
	require.NoError(t, c.Login(t.Context(), "delphix_admin", adminPassword))
	pod := pod(t, c, "prep1")
	p.Add(faultproxy.Rule{Method: "POST", PathSuffix: "/bookmark", Kind: faultproxy.DropAfter})
	op, err := c.Bookmarks.Create(t.Context(), BookmarkCreate{Name: "after the lost answer", Layout: pod.Reference, Branch: pod.ActiveBranch})
	require.NoError(t, err)
	assert.True(t, op.Recovered)
	require.NotEmpty(t, op.Reference)
	wait(t, c, op, nil)
	n := 0
	for _, b := range e.Catalog() {
		if b.Bookmark == "after the lost answer" {
			n++
		}
	}
	assert.Equal(t, 1, n)
	assert.Equal(t, 1, jobsOfType(t, e, "JETSTREAM_USER_BOOKMARK_CREATE"))
}

func TestReadsSurviveRetryAfterAndProxyErrors(t *testing.T) {
	c, e, p := behindProxy(t)
	require.NoError(t, c.Login(t.Context(), "delphix_admin", adminPassword))
	p.Add(faultproxy.Rule{Method: "GET", PathSuffix: "/database", Kind: faultproxy.Status, Status: http.StatusTooManyRequests, RetryAfter: "0"})
	p.Add(faultproxy.Rule{Method: "GET", PathSuffix: "/database", Kind: faultproxy.Status, Status: http.StatusServiceUnavailable})
	p.Add(faultproxy.Rule{Method: "GET", PathSuffix: "/database", Kind: faultproxy.ResetBefore})
	e.ClearRequests()
	dbs, err := c.Databases.List(t.Context())
	require.NoError(t, err)
	assert.NotEmpty(t, dbs)
	assert.True(t, p.Exhausted())
	assert.Equal(t, []string{"GET /database"}, requestLines(e), "the engine saw the one request that got through")
}

func TestSlowAnswersAreRetriedOrTheirJobFound(t *testing.T) {
	e := enginetest.Start(t)
	p := faultproxy.New(e.URL())
	t.Cleanup(p.Close)
	// The client gives up on an answer after a second; the proxy holds two answers for a minute.
	c, err := NewClient(p.URL(), WithHTTPClient(&http.Client{Timeout: time.Second}),
		WithBackoff(time.Millisecond, 5*time.Millisecond), WithWaitIntervals(5*time.Millisecond, 50*time.Millisecond, 0))
	require.NoError(t, err)
	require.NoError(t, c.Login(t.Context(), "delphix_admin", adminPassword))
	p.Add(faultproxy.Rule{Method: "GET", PathSuffix: "/database", Kind: faultproxy.Slow, Delay: time.Minute})
	db, err := c.Databases.FindByName(t.Context(), "Patients Prod")
	require.NoError(t, err, "the slow read was sent again")
	p.Add(faultproxy.Rule{Method: "POST", PathSuffix: "/sync", Kind: faultproxy.Slow, Delay: time.Minute})
	op, err := c.Databases.Sync(t.Context(), db)
	require.NoError(t, err)
	assert.True(t, op.Recovered, "the sync whose answer never came in time was found, not sent again")
	wait(t, c, op, nil)
	assert.True(t, p.Exhausted())
	assert.Equal(t, 1, jobsOfType(t, e, "DB_SYNC"))
}

func TestJobEndLostWithALongPollsAnswerIsStillRead(t *testing.T) {
	e := enginetest.Start(t)
	p := faultproxy.New(e.URL())
	t.Cleanup(p.Close)
	// Ten-minute long polls: a job end the client missed would hold Wait for fifty minutes.
	c, err := NewClient(p.URL(), WithBackoff(time.Millisecond, 5*time.Millisecond),
		WithWaitIntervals(5*time.Millisecond, 50*time.Millisecond, 10*time.Minute))
	require.NoError(t, err)
	require.NoError(t, c.Login(t.Context(), "delphix_admin", adminPassword))
	db, err := c.Databases.FindByName(t.Context(), "Patients Prod")
	require.NoError(t, err)
	op, err := c.Databases.Sync(t.Context(), db)
	require.NoError(t, err)
	// The first read of the job answers RUNNING, and is held until the job has ended; the
	// long poll after it then takes the job's end off the channel, and its answer is lost.
	p.Add(faultproxy.Rule{Method: "GET", PathSuffix: "/job/" + op.Job, Then: func() { untilJobEnds(t, e, op.Job) }})
	p.Add(faultproxy.Rule{Method: "GET", PathSuffix: "/notification", Skip: 1, Kind: faultproxy.DropAfter})
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	job, err := c.Wait(ctx, op, nil)
	require.NoError(t, err, "the job's end was read after the poll that carried it was lost")
	assert.True(t, p.Exhausted())
	assert.Equal(t, JobCompleted, job.JobState)
	longPolls := 0
	for _, r := range e.Requests() {
		if longPoll(strings.TrimPrefix(r.Path, BasePath) + "?" + r.Query) {
			longPolls++
		}
	}
	assert.Equal(t, 1, longPolls, "the lost long poll was not sent again")
}

// untilJobEnds returns when the engine's job ref has ended, read by a client
// of its own.
func untilJobEnds(t *testing.T, e *engine.Engine, ref string) {
	c, err := NewClient(e.URL(), WithWaitIntervals(5*time.Millisecond, 50*time.Millisecond, 0))
	require.NoError(t, err)
	require.NoError(t, c.Login(t.Context(), "delphix_admin", adminPassword))
	_, err = c.Jobs.Wait(t.Context(), ref, nil)
	require.NoError(t, err)
}

func TestLockWhoseAnswerIsLostIsSentAgainAndHolds(t *testing.T) {
	c, e, p := behindProxy(t)
	require.NoError(t, c.Login(t.Context(), "delphix_admin", adminPassword))
	pod := pod(t, c, "prep1")
	me, err := c.Users.Current(t.Context())
	require.NoError(t, err)
	p.Add(faultproxy.Rule{Method: "POST", PathSuffix: "/lock", Kind: faultproxy.DropAfter})
	_, err = c.Containers.Lock(t.Context(), pod.Reference, me.Reference)
	require.NoError(t, err, "a lock starts no job: after the looks find none it is sent again")
	assert.True(t, p.Exhausted())
	after, err := c.Containers.Get(t.Context(), pod.Reference)
	require.NoError(t, err)
	assert.Equal(t, me.Reference, after.LockUserReference)
	assert.Equal(t, 2, countLines(requestLines(e), "POST /selfservice/container/"+pod.Reference+"/lock"))
}

// masterSource is the master VDB's virtual source.
func masterSource(t *testing.T, c *Client) *Source {
	t.Helper()
	db, err := c.Databases.FindByName(t.Context(), "Patients Masked Master")
	require.NoError(t, err)
	srcs, err := c.Sources.ListForDatabase(t.Context(), db.Reference)
	require.NoError(t, err)
	require.Len(t, srcs, 1)
	return &srcs[0]
}

// A hook list whose answer is lost is read back: when the engine took it
// (lost after), it is not sent again; when it never reached the engine
// (lost before), it is sent again once. Either way the engine took it once.
func TestHooksWhoseAnswerIsLostAreReadBackAndSetOnce(t *testing.T) {
	for _, tc := range []struct {
		kind      faultproxy.Kind
		recovered bool
	}{{faultproxy.DropAfter, true}, {faultproxy.ResetBefore, false}, {faultproxy.Status, false}} {
		c, e, p := behindProxy(t)
		require.NoError(t, c.Login(t.Context(), "delphix_admin", adminPassword))
		src := masterSource(t, c)
		p.Add(faultproxy.Rule{Method: "POST", PathSuffix: "/source/" + src.Reference, Kind: tc.kind, Status: http.StatusBadGateway})
		hook := []byte(`{"type":"RunBashOnSourceOperation","name":"n","command":"# install 1\necho hi"}`)
		op, err := c.Sources.SetHooks(t.Context(), src, "configureClone", []json.RawMessage{hook})
		require.NoError(t, err)
		assert.Equal(t, tc.recovered, op.Recovered)
		assert.True(t, p.Exhausted())
		assert.Equal(t, 1, countLines(requestLines(e), "POST /source/"+src.Reference), "the engine took the list once")
		var now []json.RawMessage
		require.NoError(t, json.Unmarshal(masterSource(t, c).Operations["configureClone"], &now))
		keys, err := hookKeys(now)
		require.NoError(t, err)
		assert.Equal(t, []hookKey{{Type: "RunBashOnSourceOperation", Name: "n", Command: "# install 1\necho hi"}}, keys)
	}
}

// A lock whose request never reached the engine is sent again and holds.
func TestLockThatNeverReachedTheEngineIsSentAgainAndHolds(t *testing.T) {
	c, e, p := behindProxy(t)
	require.NoError(t, c.Login(t.Context(), "delphix_admin", adminPassword))
	pod := pod(t, c, "prep1")
	me, err := c.Users.Current(t.Context())
	require.NoError(t, err)
	p.Add(faultproxy.Rule{Method: "POST", PathSuffix: "/lock", Kind: faultproxy.ResetBefore})
	_, err = c.Containers.Lock(t.Context(), pod.Reference, me.Reference)
	require.NoError(t, err)
	assert.True(t, p.Exhausted())
	after, err := c.Containers.Get(t.Context(), pod.Reference)
	require.NoError(t, err)
	assert.Equal(t, me.Reference, after.LockUserReference)
	assert.Equal(t, 1, countLines(requestLines(e), "POST /selfservice/container/"+pod.Reference+"/lock"))
}

// Sharing and deleting a bookmark whose answer is lost, after or before the
// engine acted, ends shared (deleted) with the request taken once by the
// engine.
func TestBookmarkShareAndDeleteWhoseAnswerIsLostTakeEffectOnce(t *testing.T) {
	for _, kind := range []faultproxy.Kind{faultproxy.DropAfter, faultproxy.ResetBefore} {
		c, e, p := behindProxy(t)
		require.NoError(t, c.Login(t.Context(), "delphix_admin", adminPassword))
		pod := pod(t, c, "prep1")
		op, err := c.Bookmarks.Create(t.Context(), BookmarkCreate{Name: "b", Layout: pod.Reference, Branch: pod.ActiveBranch})
		require.NoError(t, err)
		wait(t, c, op, nil)
		ref := op.Reference

		p.Add(faultproxy.Rule{Method: "POST", PathSuffix: "/share", Kind: kind})
		_, err = c.Bookmarks.Share(t.Context(), ref)
		require.NoError(t, err)
		b, err := c.Bookmarks.Get(t.Context(), ref)
		require.NoError(t, err)
		assert.True(t, b.Shared)
		assert.Equal(t, 1, countLines(requestLines(e), "POST /selfservice/bookmark/"+ref+"/share"))

		p.Add(faultproxy.Rule{Method: "POST", PathSuffix: "/delete", Kind: kind})
		op, err = c.Bookmarks.Delete(t.Context(), ref)
		require.NoError(t, err)
		wait(t, c, op, nil)
		_, err = c.Bookmarks.Get(t.Context(), ref)
		require.ErrorIs(t, err, ErrNotFound)
		assert.True(t, p.Exhausted())
		assert.Equal(t, 1, countLines(requestLines(e), "POST /selfservice/bookmark/"+ref+"/delete"))
		assert.Equal(t, 1, jobsOfType(t, e, "JETSTREAM_USER_BOOKMARK_DELETE"))
	}
}

// A lost start answer whose first look-ups meet an engine that keeps ending
// sessions is looked for again, within the deadline, until the engine keeps
// a session: the one job is found and followed, not left running unwatched.
func TestLostStartAnswerIsFoundPastSessionsEndedAgainAndAgain(t *testing.T) {
	c, e, p := behindProxy(t)
	require.NoError(t, c.Login(t.Context(), "delphix_admin", adminPassword))
	vdb, err := c.Databases.FindByName(t.Context(), "prep1 DB")
	require.NoError(t, err)
	p.Add(faultproxy.Rule{Method: "POST", PathSuffix: "/refresh", Kind: faultproxy.ResetAfter, Then: e.ExpireSessions})
	p.Add(faultproxy.Rule{Method: "POST", PathSuffix: "/session", Count: 6, Then: e.ExpireSessions})
	op, err := c.Databases.Refresh(t.Context(), vdb, RefreshPoint{})
	require.NoError(t, err)
	assert.True(t, op.Recovered)
	assert.True(t, p.Exhausted())
	wait(t, c, op, nil)
	assert.Equal(t, 1, jobsOfType(t, e, "DB_REFRESH"))
}
