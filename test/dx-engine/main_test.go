package main

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

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
		done <- run(ctx, []string{"--seed", "../engine/testdata/workshop.yaml", "--speed", "0.01",
			"--api-version", "1.10.0", "--url-file", urlFile}, &stderr)
	}()
	var url string
	require.Eventually(t, func() bool {
		b, err := os.ReadFile(urlFile)
		url = strings.TrimSpace(string(b))
		return err == nil && url != ""
	}, 5*time.Second, 10*time.Millisecond)
	resp, err := http.Get(url + "/dxsteps-test/v1/datasets/prep1")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Contains(t, stderr.String(), url)
	cancel()
	assert.Equal(t, 0, <-done)
}

func TestRunRejectsABadSeed(t *testing.T) {
	var stderr syncBuffer
	assert.Equal(t, 2, run(context.Background(), []string{"--seed", "/nonexistent.yaml"}, &stderr))
	assert.Contains(t, stderr.String(), "nonexistent")
}
