package dct

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func quickLooks(t *testing.T) {
	p, m := lookPause, lookPauseMax
	lookPause, lookPauseMax = time.Millisecond, 4*time.Millisecond
	t.Cleanup(func() { lookPause, lookPauseMax = p, m })
}

// lostStart is a start whose first lost answers are lost (a 503 that may
// have reached DCT), then answered with job; sends counts its calls.
func lostStart(lost int, sends *int) func() (*Job, error) {
	return func() (*Job, error) {
		if *sends++; *sends <= lost {
			return nil, &UnreachableError{Method: "POST", Path: "/vdbs/v/refresh_by_snapshot", Status: 503, MayHaveStarted: true}
		}
		return &Job{ID: "job-new"}, nil
	}
}

func TestALostStartThatDCTShowsNothingOfIsSentAgain(t *testing.T) {
	quickLooks(t)
	sends, looks := 0, 0
	job, rec, err := (&Client{}).StartRecoverable(t.Context(), func(context.Context) (*Job, bool, error) {
		looks++
		return nil, false, nil
	}, lostStart(1, &sends))
	require.NoError(t, err)
	assert.Equal(t, "job-new", job.ID)
	assert.Equal(t, Recovery{Sends: 2}, rec)
	assert.Equal(t, emptyLooks, looks, "sent again only after several looks showed nothing")
}

func TestALostStartIsLookedForPastFailedLookupsAndNotSentAgain(t *testing.T) {
	quickLooks(t)
	sends, looks := 0, 0
	job, rec, err := (&Client{}).StartRecoverable(t.Context(), func(context.Context) (*Job, bool, error) {
		if looks++; looks <= 5 {
			return nil, false, &UnreachableError{Method: "POST", Path: "/jobs/search", Status: 502}
		}
		return &Job{ID: "job-made"}, true, nil
	}, lostStart(1, &sends))
	require.NoError(t, err)
	assert.Equal(t, "job-made", job.ID)
	assert.Equal(t, Recovery{Found: true, Sends: 1}, rec)
	assert.Equal(t, 1, sends)
}

func TestALostStartWhoseLookupsFailToTheDeadlineMayHaveActed(t *testing.T) {
	quickLooks(t)
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	sends := 0
	_, _, err := (&Client{}).StartRecoverable(ctx, func(context.Context) (*Job, bool, error) {
		return nil, false, &UnreachableError{Method: "POST", Path: "/jobs/search", Status: 502}
	}, lostStart(1, &sends))
	var may *MayHaveActedError
	require.ErrorAs(t, err, &may)
	assert.Equal(t, "POST /vdbs/v/refresh_by_snapshot", may.Method+" "+may.Path)
	assert.Contains(t, err.Error(), "deadline passed")
	assert.Equal(t, 1, sends)
}

func TestALostStartThatCannotBeToldIsNotSentAgain(t *testing.T) {
	quickLooks(t)
	sends := 0
	_, _, err := (&Client{}).StartRecoverable(t.Context(), func(context.Context) (*Job, bool, error) {
		return nil, false, errors.New("DCT shows 2 new jobs")
	}, lostStart(1, &sends))
	var may *MayHaveActedError
	require.ErrorAs(t, err, &may)
	assert.Contains(t, err.Error(), "DCT shows 2 new jobs")
	assert.Equal(t, 1, sends)
}

func TestALostStartIsSentAtMostMaxSendsTimes(t *testing.T) {
	quickLooks(t)
	sends := 0
	_, rec, err := (&Client{}).StartRecoverable(t.Context(), func(context.Context) (*Job, bool, error) {
		return nil, false, nil
	}, lostStart(100, &sends))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "so nothing runs")
	assert.Equal(t, maxSends, sends)
	assert.Equal(t, maxSends, rec.Sends)
}
