package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/dxsteps/dxsteps/delphix"
)

// engineProc is a dx-engine process: the engine's CPU and memory are its own.
type engineProc struct {
	cmd *exec.Cmd
	url string
	dir string
}

// startEngine runs bin/dx-engine with args and waits until it listens.
func startEngine(args ...string) (*engineProc, error) {
	dir, err := os.MkdirTemp("", "dxsteps-bench")
	if err != nil {
		return nil, err
	}
	urlFile := filepath.Join(dir, "url")
	cmd := exec.Command(filepath.Join("bin", "dx-engine"), append([]string{"--addr", "127.0.0.1:0", "--url-file", urlFile}, args...)...)
	if cmd.Stderr, err = os.Create(filepath.Join(dir, "engine.log")); err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	e := &engineProc{cmd: cmd, dir: dir}
	for range 200 {
		if b, err := os.ReadFile(urlFile); err == nil && len(b) > 0 {
			e.url = strings.TrimSpace(string(b))
			return e, nil
		}
		time.Sleep(25 * time.Millisecond)
	}
	e.stop()
	return nil, fmt.Errorf("dx-engine did not start")
}

func (e *engineProc) stop() {
	_ = e.cmd.Process.Kill()
	_ = e.cmd.Wait()
	_ = os.RemoveAll(e.dir)
}

// cpu is the engine's CPU time so far (user and system).
func (e *engineProc) cpu() time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", e.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+2:]))
	ut, _ := strconv.Atoi(f[11])
	st, _ := strconv.Atoi(f[12])
	return time.Duration(ut+st) * time.Second / 100 // USER_HZ is 100 on Linux
}

// memory is the engine's resident and peak resident memory in MiB.
func (e *engineProc) memory() (rss, peak float64) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", e.cmd.Process.Pid))
	if err != nil {
		return 0, 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		f := strings.Fields(l)
		if len(f) < 2 {
			continue
		}
		kb, _ := strconv.ParseFloat(f[1], 64)
		switch f[0] {
		case "VmRSS:":
			rss = kb / 1024
		case "VmHWM:":
			peak = kb / 1024
		}
	}
	return rss, peak
}

// testAPI calls the engine's test API.
func (e *engineProc) testAPI(method, path, body string, out any) error {
	req, _ := http.NewRequest(method, e.url+"/dxsteps-test/v1"+path, strings.NewReader(body))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		return fmt.Errorf("%s %s: HTTP %d", method, path, resp.StatusCode)
	}
	if out != nil {
		return json.NewDecoder(resp.Body).Decode(out)
	}
	return nil
}

// requests is how many API requests the engine logged since the last clear.
func (e *engineProc) requests() int {
	var log []json.RawMessage
	_ = e.testAPI("GET", "/requests", "", &log)
	return len(log)
}

// counter counts the requests a client sends.
type counter struct {
	next http.RoundTripper
	n    atomic.Int64
}

func (c *counter) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return c.next.RoundTrip(r)
}

// client is a logged-in admin client whose requests are counted.
func (e *engineProc) client(ctx context.Context, opts ...delphix.Option) (*delphix.Client, *counter, error) {
	cnt := &counter{next: http.DefaultTransport}
	c, err := delphix.NewClient(e.url, append([]delphix.Option{delphix.WithHTTPClient(&http.Client{Transport: cnt, Timeout: 2 * time.Minute})}, opts...)...)
	if err != nil {
		return nil, nil, err
	}
	return c, cnt, c.Login(ctx, "delphix_admin", "landshark")
}

// stamp parses the engine's timestamps.
func stamp(s string) time.Time {
	t, _ := time.Parse("2006-01-02T15:04:05.000Z", s)
	return t
}

func numCPU() int { return runtime.NumCPU() }

func goVersion() string { return runtime.Version() }
