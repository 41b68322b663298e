package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dxsteps/dxsteps/test/testapi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// syncBuffer is a bytes.Buffer safe for the engine goroutine and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestRunServesTheSeedWritesTheURLAndStopsWhenCanceled(t *testing.T) {
	dir := t.TempDir()
	urlFile := filepath.Join(dir, "url")
	ctx, cancel := context.WithCancel(context.Background())
	var stderr syncBuffer
	done := make(chan int)
	go func() {
		done <- dispatch(ctx, []string{"--seed", "../engine/testdata/workshop.yaml", "--speed", "0.01",
			"--api-version", "1.10.0", "--url-file", urlFile}, io.Discard, &stderr)
	}()
	var url string
	require.Eventually(t, func() bool {
		b, err := os.ReadFile(urlFile)
		url = strings.TrimSpace(string(b))
		return err == nil && url != ""
	}, 5*time.Second, 10*time.Millisecond)
	resp, err := http.Get(url + testapi.Path + "/datasets/prep1")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Contains(t, stderr.String(), url)
	cancel()
	assert.Equal(t, 0, <-done)
}

func TestRunRejectsABadSeed(t *testing.T) {
	var stderr syncBuffer
	assert.Equal(t, 2, dispatch(context.Background(), []string{"--seed", "/nonexistent.yaml"}, io.Discard, &stderr))
	assert.Contains(t, stderr.String(), "nonexistent")
}

func TestVersionAndHelpPrintToStdoutAndListEverySubcommand(t *testing.T) {
	for _, args := range [][]string{{"version"}, {"--version"}} {
		var stdout, stderr bytes.Buffer
		require.Equal(t, 0, dispatch(context.Background(), args, &stdout, &stderr), "%v", args)
		assert.Regexp(t, `^dx-engine version \S+\n$`, stdout.String(), "%v", args)
		assert.Empty(t, stderr.String())
	}
	for _, args := range [][]string{{"help"}, {"--help"}, {"-h"}} {
		var stdout, stderr bytes.Buffer
		require.Equal(t, 0, dispatch(context.Background(), args, &stdout, &stderr), "%v", args)
		for _, word := range []string{"serve", "catalog", "version", "help", "-addr", "-seed", "-speed", "-api-version", "-url-file"} {
			assert.Contains(t, stdout.String(), word, "%v", args)
		}
		assert.Empty(t, stderr.String())
	}
}

func TestUnknownWordsAreRefusedWithExitCode2(t *testing.T) {
	for _, args := range [][]string{{"frobnicate"}, {"--addr", "127.0.0.1:0", "extra"}, {"--nope"},
		{"catalog", "extra"}, {"catalog", "--nope"}, {"version", "extra"}} {
		var stdout, stderr bytes.Buffer
		assert.Equal(t, 2, dispatch(context.Background(), args, &stdout, &stderr), "%v", args)
		assert.Empty(t, stdout.String(), "%v", args)
		assert.Contains(t, stderr.String(), "dx-engine help", "%v", args)
	}
}

func TestFaultFlagsInjectFaultsAndBadOnesAreRefused(t *testing.T) {
	urlFile := filepath.Join(t.TempDir(), "url")
	ctx, cancel := context.WithCancel(context.Background())
	var stderr syncBuffer
	done := make(chan int)
	go func() {
		done <- dispatch(ctx, []string{"--speed", "0.01", "--url-file", urlFile,
			"--fault", "kind=status,method=GET,suffix=/about,status=503,count=2",
			"--fault-rate", "0.5", "--fault-seed", "3", "--fault-kinds", "delay", "--fault-path", "/nothing-matches$"}, io.Discard, &stderr)
	}()
	var url string
	require.Eventually(t, func() bool {
		b, err := os.ReadFile(urlFile)
		url = strings.TrimSpace(string(b))
		return err == nil && url != ""
	}, 5*time.Second, 10*time.Millisecond)
	var codes []int
	for range 3 {
		resp, err := http.Get(url + "/resources/json/delphix/about")
		require.NoError(t, err)
		resp.Body.Close()
		codes = append(codes, resp.StatusCode)
	}
	assert.Equal(t, []int{503, 503, 200}, codes)
	cancel()
	assert.Equal(t, 0, <-done)

	for _, args := range [][]string{
		{"--fault", "kind=explode"}, {"--fault", "status"}, {"--fault", "count=x"},
		{"--fault-rate", "0.1", "--fault-kinds", "nope"}, {"--fault-rate", "1.5"},
	} {
		var stderr bytes.Buffer
		assert.Equal(t, 2, dispatch(context.Background(), append([]string{"--url-file", ""}, args...), io.Discard, &stderr), "%v", args)
		assert.Contains(t, stderr.String(), "dx-engine:", "%v", args)
	}
}
