package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// The pipeline benchmark: the workshop's Data Pipeline (Jenkinsfile.example) through the local
// pipeline runner, as make demo runs it, and how much of its time the engine's jobs fill.

func benchPipeline(cfg config) error {
	speed := cfg.speed
	e, err := startEngine("--speed", speed)
	if err != nil {
		return err
	}
	defer e.stop()
	if err := e.testAPI("POST", "/prod/change", `{"database":"Patients Prod"}`, nil); err != nil {
		return err
	}
	root, _ := os.Getwd()
	work, err := os.MkdirTemp("", "dxsteps-bench-pipeline")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	creds := filepath.Join(work, "credentials.json")
	if err := os.WriteFile(creds, []byte(`{"delphix-engine": {"username": "delphix_admin", "password": "landshark"},
 "report-ro-password": {"secret": "bench-report-ro"}}`), 0o600); err != nil {
		return err
	}
	ws := filepath.Join(work, "workspace")
	if err := exec.Command("mkdir", "-p", ws).Run(); err != nil {
		return err
	}
	if out, err := exec.Command("cp", "-r", "examples", ws+"/").CombinedOutput(); err != nil {
		return fmt.Errorf("copy examples: %v: %s", err, out)
	}
	bin := filepath.Join(root, "bin")
	// The example's tools as its build parameters, as make demo gives them; the password store
	// stands for a vault: a file outside the workspace, removed with the rest.
	store := `umask 077; printf "%s %s\n" "$DX_ACCOUNT" "$DX_NEW_PASSWORD" >>'` + filepath.Join(work, "vault") + `'`
	cmd := exec.Command("bash", "-c", `. test/runner/groovy-env.sh && exec test/runner/jenkinsfile-runner "$@"`, "bench",
		"--library", root, "--credentials", creds, "--job-name", "data-pipeline", "--build-number", "1", "--workspace", ws,
		"--param", "ACCOUNT_TOOL="+filepath.Join(bin, "dx-example-accounts"),
		"--param", "SUBSET_TOOL="+filepath.Join(bin, "dx-example-subset"),
		"--param", "PASSWORD_STORE="+store, "Jenkinsfile.example")
	cmd.Env = append(os.Environ(), "DXSTEPS_HOME="+bin, "DELPHIX_ENGINE="+e.url)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	err = cmd.Run()
	wall := time.Since(start)
	if err != nil {
		return fmt.Errorf("the pipeline failed: %v\n%s", err, lastLines(out.String(), 60))
	}
	jobs, err := allJobs(e.url)
	if err != nil {
		return err
	}
	busy := jobTime(jobs, start, start.Add(wall))
	fmt.Printf("The Data Pipeline (Jenkinsfile.example through test/runner/jenkinsfile-runner, engine --speed %s)\n\n", speed)
	table([][]string{{"wall", "engine jobs", "time in engine jobs", "time not in engine jobs (runner, JVM, steps, waits)"},
		{fmt.Sprintf("%.1f s", wall.Seconds()), fmt.Sprint(len(jobs)), fmt.Sprintf("%.1f s", busy.Seconds()),
			fmt.Sprintf("%.1f s (%.0f%%)", (wall - busy).Seconds(), 100*float64(wall-busy)/float64(wall))}})
	return nil
}

type jobSpan struct{ StartTime, UpdateTime string }

// allJobs reads every job of the engine (pageSize=0 is the whole list).
func allJobs(url string) ([]jobSpan, error) {
	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Jar: jar, Timeout: time.Minute}
	base := url + "/resources/json/delphix"
	for _, p := range []struct{ path, body string }{
		{"/session", `{"type":"APISession","version":{"type":"APIVersion","major":1,"minor":11,"micro":9}}`},
		{"/login", `{"type":"LoginRequest","username":"delphix_admin","password":"landshark"}`},
	} {
		resp, err := hc.Post(base+p.path, "application/json", strings.NewReader(p.body))
		if err != nil {
			return nil, err
		}
		resp.Body.Close()
	}
	resp, err := hc.Get(base + "/job?pageSize=0")
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var list struct{ Result []jobSpan }
	return list.Result, json.NewDecoder(resp.Body).Decode(&list)
}

// jobTime is the time within [from, to] when at least one job ran.
func jobTime(jobs []jobSpan, from, to time.Time) time.Duration {
	type span struct{ a, b time.Time }
	var spans []span
	for _, j := range jobs {
		a, b := stamp(j.StartTime), stamp(j.UpdateTime)
		if a.Before(from) {
			a = from
		}
		if b.After(to) {
			b = to
		}
		if b.After(a) {
			spans = append(spans, span{a, b})
		}
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i].a.Before(spans[j].a) })
	var total time.Duration
	var cur span
	for i, s := range spans {
		switch {
		case i == 0:
			cur = s
		case !s.a.After(cur.b):
			if s.b.After(cur.b) {
				cur.b = s.b
			}
		default:
			total += cur.b.Sub(cur.a)
			cur = s
		}
	}
	if len(spans) > 0 {
		total += cur.b.Sub(cur.a)
	}
	return total
}

func lastLines(s string, n int) string {
	l := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.Join(l[max(0, len(l)-n):], "\n")
}
