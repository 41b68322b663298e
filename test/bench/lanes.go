package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// The lanes benchmark: N data pods, and for each a lane of three step processes run one after
// another (dx-datapod refresh, dx-subset, dx-bookmark create), all lanes at once. What it
// reports per lane is the engine's: its CPU time, its memory, and the requests it answered.

const laneSpeed = 0.01 // a pod refresh takes 20 ms, a bookmark 10 ms

// maxProcs bounds the step processes alive at once, so 600 lanes fit in the machine's memory.
const maxProcs = 96

func benchLanes(cfg config) error {
	fmt.Printf("Lanes: each a data pod refresh, a subset (simulated) and a bookmark, as step processes; all lanes at once (at most %d processes alive), engine --speed %g\n\n", maxProcs, laneSpeed)
	rows := [][]string{{"lanes", "succeeded", "wall", "requests per lane", "engine CPU per lane", "engine memory per lane (RSS growth)", "engine peak RSS"}}
	var base float64
	for _, n := range cfg.lanes {
		r, err := runLanes(n)
		if err != nil {
			return err
		}
		if base == 0 {
			base = r.cpuPerLane
		}
		rows = append(rows, []string{fmt.Sprint(n), fmt.Sprintf("%d/%d", r.ok, n), fmt.Sprintf("%.1f s", r.wall.Seconds()),
			fmt.Sprintf("%.1f", float64(r.requests)/float64(n)), fmt.Sprintf("%.1f ms (%.2fx)", r.cpuPerLane, r.cpuPerLane/base),
			fmt.Sprintf("%.0f KiB", r.memPerLane*1024), fmt.Sprintf("%.0f MiB", r.peak)})
	}
	table(rows)
	return nil
}

type laneResult struct {
	ok                     int
	wall                   time.Duration
	requests               int
	cpuPerLane, memPerLane float64 // ms, MiB
	peak                   float64 // MiB
}

func runLanes(n int) (laneResult, error) {
	dir, err := os.MkdirTemp("", "dxsteps-bench-lanes")
	if err != nil {
		return laneResult{}, err
	}
	defer os.RemoveAll(dir)
	seed := filepath.Join(dir, "lanes.yaml")
	if err := os.WriteFile(seed, []byte(laneSeed(n)), 0o600); err != nil {
		return laneResult{}, err
	}
	e, err := startEngine("--speed", fmt.Sprint(laneSpeed), "--seed", seed)
	if err != nil {
		return laneResult{}, err
	}
	defer e.stop()
	time.Sleep(200 * time.Millisecond) // let the engine settle after loading the seed
	cpu0 := e.cpu()
	rss0, _ := e.memory()
	sem := make(chan struct{}, maxProcs)
	var mu sync.Mutex
	var wg sync.WaitGroup
	var firstErr string
	ok := 0
	start := time.Now()
	for i := 1; i <= n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			pod := fmt.Sprintf("lane%d", i)
			for _, args := range [][]string{
				{"dx-datapod", "refresh", "--container", pod},
				{"dx-subset", "--container", pod, "--percent", "10", "--simulate"},
				{"dx-bookmark", "create", "--container", pod, "--name", pod + "-bookmark"},
			} {
				sem <- struct{}{}
				cmd := exec.Command(filepath.Join(binDir, args[0]), args[1:]...)
				cmd.Env = append(os.Environ(), "DELPHIX_ENGINE="+e.url, "DELPHIX_USER=delphix_admin", "DELPHIX_PASSWORD=landshark")
				out, err := cmd.CombinedOutput()
				<-sem
				if err != nil {
					mu.Lock()
					if firstErr == "" {
						firstErr = fmt.Sprintf("%v: %v: %s", args, err, lastLine(string(out)))
					}
					mu.Unlock()
					return
				}
			}
			mu.Lock()
			ok++
			mu.Unlock()
		}()
	}
	wg.Wait()
	r := laneResult{ok: ok, wall: time.Since(start)}
	cpu := e.cpu() - cpu0
	rss, peak := e.memory()
	r.cpuPerLane = float64(cpu) / float64(time.Millisecond) / float64(n)
	r.memPerLane = max(rss-rss0, 0) / float64(n)
	r.peak = peak
	r.requests = e.requests()
	if firstErr != "" {
		// Figures over lanes that did not run are not figures: the part fails.
		return r, fmt.Errorf("%d of %d lanes failed; the first: %s", n-ok, n, firstErr)
	}
	return r, nil
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}

// laneSeed is the workshop's source, master and template with n data pods lane1..laneN.
func laneSeed(n int) string {
	var b strings.Builder
	b.WriteString(`users:
  - {name: delphix_admin, password: landshark, admin: true}
dsources:
  - name: Patients Prod
    platform: appdata
    group: Sources
    connection: {host: prod-db.workshop.local, port: 5432, database: patients, user: postgres}
    data: {rows: 200, dataVersion: 1, accounts: [{name: app_user, password: app-prod-secret}]}
vdbs:
  - {name: Patients Masked Master, platform: appdata, group: Masked, parent: Patients Prod, maskingJob: Patients masking,
     connection: {host: target-db.workshop.local, port: 5433, database: patients_master, user: postgres}}
`)
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "  - {name: lane%d DB, platform: appdata, group: Self-Service, parent: Patients Masked Master, connection: {host: target-db.workshop.local, port: %d, database: lane%d, user: postgres}}\n", i, 6000+i, i)
	}
	b.WriteString("templates:\n  - {name: Patients, source: Patients Masked Master, dataSource: patients}\ncontainers:\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "  - {name: lane%d, template: Patients, owner: delphix_admin, vdb: lane%d DB}\n", i, i)
	}
	return b.String()
}
