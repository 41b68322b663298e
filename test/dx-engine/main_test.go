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

	"github.com/dxsteps/dxsteps/test/engine"
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
	// The DCT API and each account's key, enough to run a step by hand against it.
	var said string
	require.Eventually(t, func() bool {
		said = stderr.String()
		return strings.Contains(said, "DCT API key of dev")
	}, 5*time.Second, 10*time.Millisecond)
	assert.Contains(t, said, "Data Control Tower API at "+url+"/dct/v3 (steps: --platform dct --engine "+url+")")
	for _, key := range []string{"delphix_admin (admin): 1.delphix_admin-local-key", "qa: 2.qa-local-key", "dev: 3.dev-local-key"} {
		assert.Contains(t, said, "DCT API key of "+key+"\n")
	}
	req, err := http.NewRequest(http.MethodGet, url+"/dct/v3/vdbs", nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "apk 2.qa-local-key")
	resp, err = http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode, "the printed key is one the DCT API accepts")
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

func TestHelpDescribesBothAPIsAndEveryFlagWithTwoDashes(t *testing.T) {
	var stdout, stderr bytes.Buffer
	require.Equal(t, 0, dispatch(context.Background(), []string{"--help"}, &stdout, &stderr))
	help := stdout.String()
	for _, want := range []string{"classic engine API (1.8 to 1.11)", "/resources/json/delphix", "Data Control Tower API v3",
		"/dct/v3", "Authorization: apk <key>", "--dct-base-paths", "--dct-busy-status", "--dct-strict-bookmarks",
		"--dct-merge-hooks", "--dct-error-body", "--addr string", "--fault value"} {
		assert.Contains(t, help, want)
	}
	assert.NotRegexp(t, `(?m)^  -[a-z]`, help, "no flag is shown with one dash")
	stdout.Reset()
	require.Equal(t, 0, dispatch(context.Background(), []string{"catalog", "--help"}, &stdout, &stderr))
	assert.Contains(t, stdout.String(), "--engine string")
	assert.Empty(t, stderr.String())
}

func TestCatalogWithoutAnEngineURLSaysWhereToFindIt(t *testing.T) {
	t.Setenv("DELPHIX_ENGINE", "")
	for args, want := range map[string]string{
		"catalog":                         "dx-engine: catalog: no engine URL: give --engine URL, the URL dx-engine printed when it started (dx-engine: listening on http://...), or set DELPHIX_ENGINE (see dx-engine help)\n",
		"catalog --engine 127.0.0.1:8080": `dx-engine: catalog: --engine "127.0.0.1:8080" is not a URL: give it as dx-engine printed it, e.g. http://127.0.0.1:8080 (see dx-engine help)` + "\n",
	} {
		var stdout, stderr bytes.Buffer
		assert.Equal(t, 2, dispatch(context.Background(), strings.Fields(args), &stdout, &stderr), args)
		assert.Empty(t, stdout.String(), args)
		assert.Equal(t, want, stderr.String(), args)
	}
}

func TestMistypedWordsAreRefusedNamingTheOneMeant(t *testing.T) {
	for args, want := range map[string]string{
		"serv":                                `unknown subcommand "serv" (want serve, catalog, version or help); did you mean serve?`,
		"--adr 127.0.0.1:0":                   "unknown flag --adr; did you mean --addr?",
		"--dct-eror-body text":                "unknown flag --dct-eror-body; did you mean --dct-error-body?",
		"-addr 127.0.0.1:0":                   "flag -addr has one dash: flags take two (--addr)",
		"catalog --engin http://x":            "unknown flag --engin; did you mean --engine?",
		"--dct-error-body xml":                `DCT error body "xml": want one of errors, message, oauth, text`,
		"--dct-busy-status 200":               "DCT busy status 200: want an error status, 400 to 599",
		"--dct-base-paths dct/v3":             `DCT base path "dct/v3": want a path such as /dct/v3`,
		"--dct-base-paths ,":                  "--dct-base-paths: give at least one base path",
		"--fault-path -x --dct-busy-status 9": "DCT busy status 9",
	} {
		var stdout, stderr bytes.Buffer
		assert.Equal(t, 2, dispatch(context.Background(), strings.Fields(args), &stdout, &stderr), args)
		assert.Empty(t, stdout.String(), args)
		assert.Contains(t, stderr.String(), want, args)
		assert.Contains(t, stderr.String(), "(see dx-engine help)", args)
	}
}

func TestDCTFlagsSetTheEnginesDCTOptions(t *testing.T) {
	o := newServeFlags()
	require.NoError(t, parseFlags(o.fs, []string{"--dct-base-paths", "/v3, /api/v3", "--dct-busy-status", "400",
		"--dct-strict-bookmarks", "--dct-merge-hooks", "--dct-error-body", "oauth"}))
	got, err := o.dctOptions()
	require.NoError(t, err)
	assert.Equal(t, engine.DCTOptions{BasePaths: []string{"/v3", "/api/v3"}, BusyStatus: 400, StrictBookmarks: true,
		MergeHooks: true, ErrorBody: "oauth"}, got)
	o = newServeFlags()
	require.NoError(t, parseFlags(o.fs, nil))
	got, err = o.dctOptions()
	require.NoError(t, err)
	assert.Equal(t, engine.DCTOptions{BasePaths: []string{"/dct/v3", "/v3"}, BusyStatus: 409}, got, "the engine's defaults")

	// Served: the base path and the error body given.
	urlFile := filepath.Join(t.TempDir(), "url")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int)
	go func() {
		done <- dispatch(ctx, []string{"--speed", "0.01", "--url-file", urlFile, "--dct-base-paths", "/api/v3",
			"--dct-error-body", "message"}, io.Discard, io.Discard)
	}()
	var url string
	require.Eventually(t, func() bool {
		b, err := os.ReadFile(urlFile)
		url = strings.TrimSpace(string(b))
		return err == nil && url != ""
	}, 5*time.Second, 10*time.Millisecond)
	for path, want := range map[string]string{
		"/api/v3/vdbs/VDB-NONE": `{"message":"VDB \"VDB-NONE\" does not exist"}`,
		"/dct/v3/vdbs":          `{"message":"no DCT API under /dct/v3/vdbs: this server serves it under /api/v3"}`,
	} {
		req, err := http.NewRequest(http.MethodGet, url+path, nil)
		require.NoError(t, err)
		req.Header.Set("Authorization", "apk 1.delphix_admin-local-key")
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		assert.Equal(t, http.StatusNotFound, resp.StatusCode, path)
		assert.JSONEq(t, want, string(body), path)
	}
	cancel()
	assert.Equal(t, 0, <-done)
}
