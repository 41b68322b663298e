// Command chaos runs the workshop's Data Pipeline (Jenkinsfile.example, through the local
// pipeline runner, as make demo does) many times against a local engine that does random
// faults to a share of the API requests, and checks each run from outside: did it succeed,
// fail clearly, or hang; did any operation run twice; is every bookmark there once; does the
// runner's exit code say what happened; did a secret reach the console or the workspace.
// It exits 1 when a zero-goal is violated (a duplicate job, a duplicate or lost bookmark, a
// wrong exit code, a leak, a hang), 2 on bad usage. Run it with make chaos (RUNS=, RATE=);
// -platform dct (make chaos PLATFORM=dct) runs the same pipeline on the engine's DCT API, with
// the admin's API key, under the same faults, judged the same way.
package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/http/cookiejar"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// The sizes of the catalog's bookmarks ("<date> <size>"), one per parallel branch.
var sizes = []string{"FULL", "50", "25", "15", "10", "05", "01"}

const enginePassword = "landshark" // delphix_admin's password in the workshop estate

type config struct {
	platform string
	runs     int
	rate     float64
	seed     int64
	speed    string
	bound    time.Duration
	kinds    string
	verbose  bool
	root     string
	logs     string
	ctx      context.Context
}

func main() {
	var c config
	flag.StringVar(&c.platform, "platform", "engine", "engine (the engine API) or dct (Data Control Tower)")
	flag.IntVar(&c.runs, "runs", 50, "how many pipeline runs")
	flag.Float64Var(&c.rate, "rate", 0.10, "share of API requests that meet a fault (0 to 1)")
	flag.Int64Var(&c.seed, "seed", 1, "seed of run 1's faults; run i uses seed+i-1")
	flag.StringVar(&c.speed, "speed", "0.05", "the engine's job duration multiplier")
	flag.DurationVar(&c.bound, "bound", 2*time.Minute, "a run still going after this is a hang")
	flag.StringVar(&c.kinds, "kinds", "", "comma-separated fault kinds (default: all but jobFail)")
	flag.BoolVar(&c.verbose, "v", false, "print each failed run's console tail")
	flag.StringVar(&c.logs, "logs", "", "write each run's console to DIR/run-N.log and its faults to DIR/run-N.faults.json")
	flag.Parse()
	if c.runs < 1 || c.rate < 0 || c.rate > 1 || flag.NArg() > 0 || (c.platform != "engine" && c.platform != "dct") {
		fmt.Fprintln(os.Stderr, "chaos: want -platform engine or dct, -runs >= 1, -rate between 0 and 1, no arguments")
		os.Exit(2)
	}
	c.root, _ = os.Getwd()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	c.ctx = ctx
	for _, f := range []string{"bin/dx-engine", "bin/dx-example-accounts", "Jenkinsfile.example"} {
		if _, err := os.Stat(filepath.Join(c.root, f)); err != nil {
			fmt.Fprintf(os.Stderr, "chaos: %v (run from the repository root after make build)\n", err)
			os.Exit(2)
		}
	}
	code := run(c)
	stop()
	os.Exit(code)
}

// result is what one run did, seen from outside.
type result struct {
	n          int
	exit       int // the runner's exit code; -1 hung
	wall       time.Duration
	bookmarks  map[string]int // size -> how many bookmarks of this run's date
	dupJobs    []string       // "ACTION on TARGET xN"
	failedJobs []string
	faults     []faultRecord
	leaks      []string
	errLine    string
	errs       []string
	stepExits  []stepExit
	wrongExit  string
	wrongSteps []string
	err        error // the harness itself failed
	tail       string
}

type faultRecord struct {
	Method, Path string
	Fault        struct {
		Kind            string
		Status          int
		AfterProcessing bool
	}
}

func (f faultRecord) String() string {
	k := f.Fault.Kind
	if k == "status" {
		k = fmt.Sprint(f.Fault.Status)
		if f.Fault.AfterProcessing {
			k += " after acting"
		}
	}
	return k + " on " + f.Method + " " + shortPath(f.Path)
}

var refRE = regexp.MustCompile(`[A-Z_]+-\d+`)

// shortPath is an API path below the API base (the engine API's or DCT's) with object
// references replaced by REF.
func shortPath(p string) string {
	for _, base := range []string{"/resources/json/delphix", "/dct/v3", "/v3"} {
		if strings.HasPrefix(p, base+"/") {
			p = strings.TrimPrefix(p, base)
			break
		}
	}
	return refRE.ReplaceAllString(p, "REF")
}

// platformName is how the report names a platform.
func platformName(p string) string {
	if p == "dct" {
		return "DCT (the local engine's Data Control Tower API)"
	}
	return "the engine API"
}

func run(c config) int {
	fmt.Printf("chaos: %d runs of the Data Pipeline (Jenkinsfile.example through test/runner/jenkinsfile-runner) on %s, "+
		"faults at rate %.2f (seeds %d..%d), engine --speed %s, hang bound %s\n",
		c.runs, platformName(c.platform), c.rate, c.seed, c.seed+int64(c.runs)-1, c.speed, c.bound)
	var results []result
	for i := 1; i <= c.runs && c.ctx.Err() == nil; i++ {
		r := c.one(i)
		if c.ctx.Err() != nil {
			fmt.Println("chaos: interrupted; the runs so far:")
			break
		}
		results = append(results, r)
		status := "ok"
		switch {
		case r.err != nil:
			status = "harness error: " + r.err.Error()
		case r.exit == -1:
			status = "HANG"
		case r.exit != 0:
			status = fmt.Sprintf("failed (exit %d): %s", r.exit, short(r.errLine))
		}
		fmt.Printf("run %2d: %5.1fs %2d faults  %s\n", i, r.wall.Seconds(), len(r.faults), status)
		for _, p := range append(append(append(append([]string{}, r.dupJobs...), r.leaks...), r.wrongSteps...), r.wrongExit) {
			if p != "" {
				fmt.Printf("        VIOLATION: %s\n", p)
			}
		}
		for size, n := range r.bookmarks {
			if n > 1 {
				fmt.Printf("        VIOLATION: %d bookmarks of size %s\n", n, size)
			}
		}
		if c.verbose && r.exit != 0 {
			fmt.Println(indent(r.tail))
		}
	}
	return report(c, results)
}

// one runs the pipeline once against a fresh engine.
func (c config) one(n int) (r result) {
	r.n = n
	work, err := os.MkdirTemp("", "dxsteps-chaos")
	if err != nil {
		r.err = err
		return r
	}
	defer os.RemoveAll(work)
	e, err := startEngine(c.root, work, c.speed)
	if err != nil {
		r.err = err
		return r
	}
	defer e.stop()
	if err := e.testAPI("POST", "/prod/change", `{"database":"Patients Prod"}`, nil); err != nil {
		r.err = err
		return r
	}
	before, err := e.jobs()
	if err != nil {
		r.err = err
		return r
	}
	reportRO := "chaos-ro-" + randomHex()
	creds := filepath.Join(work, "credentials.json")
	// On DCT the pipeline logs in with the admin's API key, a Secret text credential, as
	// make demo PLATFORM=dct does: only the PLATFORM and CREDENTIALS_ID parameters change.
	var platformParams []string
	dctCredential := ""
	if c.platform == "dct" {
		platformParams = []string{"--param", "PLATFORM=dct", "--param", "CREDENTIALS_ID=delphix-dct-api-key"}
		dctCredential = fmt.Sprintf(`"delphix-dct-api-key": {"secret": %q},`, e.apiKey)
	}
	if err := os.WriteFile(creds, []byte(fmt.Sprintf(`{"delphix-engine": {"username": "delphix_admin", "password": %q}, %s
 "report-ro-password": {"secret": %q}}`, enginePassword, dctCredential, reportRO)), 0o600); err != nil {
		r.err = err
		return r
	}
	ws, arts, vault := filepath.Join(work, "workspace"), filepath.Join(work, "artifacts"), filepath.Join(work, "vault")
	if out, err := exec.Command("mkdir", "-p", ws).CombinedOutput(); err != nil {
		r.err = fmt.Errorf("%v: %s", err, out)
		return r
	}
	if out, err := exec.Command("cp", "-r", filepath.Join(c.root, "examples"), ws+"/").CombinedOutput(); err != nil {
		r.err = fmt.Errorf("copy examples: %v: %s", err, out)
		return r
	}
	random := map[string]any{"rate": c.rate, "seed": c.seed + int64(n) - 1}
	if c.kinds != "" {
		random["kinds"] = strings.Split(c.kinds, ",")
	}
	body, _ := json.Marshal(map[string]any{"random": random})
	if err := e.testAPI("POST", "/faults", string(body), nil); err != nil {
		r.err = err
		return r
	}

	bin := filepath.Join(c.root, "bin")
	store := `umask 077; printf "%s %s\n" "$DX_ACCOUNT" "$DX_NEW_PASSWORD" >>'` + vault + `'`
	ctx, cancel := context.WithTimeout(c.ctx, c.bound)
	defer cancel()
	args := append([]string{"-c", `. test/runner/groovy-env.sh && exec test/runner/jenkinsfile-runner "$@"`, "chaos",
		"--library", c.root, "--credentials", creds, "--job-name", "data-pipeline", "--build-number", fmt.Sprint(n),
		"--workspace", ws, "--artifacts", arts,
		"--param", "ACCOUNT_TOOL=" + filepath.Join(bin, "dx-example-accounts"),
		"--param", "SUBSET_TOOL=" + filepath.Join(bin, "dx-example-subset"),
		"--param", "PASSWORD_STORE=" + store}, platformParams...)
	cmd := exec.CommandContext(ctx, "bash", append(args, "Jenkinsfile.example")...)
	cmd.Dir = c.root
	cmd.Env = append(os.Environ(), "DXSTEPS_HOME="+bin, "DELPHIX_ENGINE="+e.url)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	err = cmd.Run()
	r.wall = time.Since(start)
	var xe *exec.ExitError
	switch {
	case c.ctx.Err() != nil:
		r.err = c.ctx.Err()
		return r
	case ctx.Err() != nil:
		r.exit = -1
	case errors.As(err, &xe):
		r.exit = xe.ExitCode()
	case err != nil:
		r.err = err
		return r
	}
	console := out.String()
	if c.logs != "" {
		_ = os.MkdirAll(c.logs, 0o755)
		_ = os.WriteFile(filepath.Join(c.logs, fmt.Sprintf("run-%d.log", n)), out.Bytes(), 0o644)
	}
	r.stepExits = stepExits(console)
	r.tail = lastLines(console, 25)
	r.errs = stepErrors(console)
	r.errLine = "(no step error on the console)"
	if len(r.errs) > 0 {
		r.errLine = r.errs[0]
	}

	// What happened, read with the faults off.
	if err := e.testAPI("POST", "/faults", `{"random":{"rate":0}}`, nil); err != nil {
		r.err = err
		return r
	}
	var faults json.RawMessage
	if err := e.testAPI("GET", "/faults", "", &faults); err != nil {
		r.err = err
		return r
	}
	if err := json.Unmarshal(faults, &r.faults); err != nil {
		r.err = err
		return r
	}
	if c.logs != "" {
		_ = os.WriteFile(filepath.Join(c.logs, fmt.Sprintf("run-%d.faults.json", n)), faults, 0o644)
	}
	after, err := e.jobs()
	if err != nil {
		r.err = err
		return r
	}
	r.dupJobs, r.failedJobs = judgeJobs(before, after, intended[c.platform])
	var catalog []struct {
		Bookmark string
		Tags     []string
	}
	if err := e.testAPI("GET", "/catalog", "", &catalog); err != nil {
		r.err = err
		return r
	}
	r.bookmarks = map[string]int{}
	tag := fmt.Sprintf("jenkins-data-pipeline-%d", n)
	for _, b := range catalog {
		for _, t := range b.Tags {
			if t == tag {
				parts := strings.Fields(b.Bookmark)
				r.bookmarks[parts[len(parts)-1]]++
			}
		}
	}
	complete := true
	for _, s := range sizes {
		if r.bookmarks[s] != 1 {
			complete = false
		}
	}
	switch {
	case r.exit == 0 && !complete:
		r.wrongExit = fmt.Sprintf("exit 0 but the catalog is incomplete: %v", r.bookmarks)
	case r.exit == 0 && len(r.failedJobs) > 0:
		r.wrongExit = fmt.Sprintf("exit 0 but jobs failed: %s", strings.Join(r.failedJobs, ", "))
	case r.exit > 0 && r.exit != 1 && r.exit != 2:
		r.wrongExit = fmt.Sprintf("runner exit %d (want 0, 1 unstable or 2 failure)", r.exit)
	}
	for _, x := range r.stepExits {
		if w := x.wrong(); w != "" {
			r.wrongSteps = append(r.wrongSteps, w)
		}
	}

	// Secrets: the engine password, the DCT API key, the report_ro secret and every
	// generated password.
	secrets := []string{enginePassword, e.apiKey, reportRO}
	if b, err := os.ReadFile(vault); err == nil {
		for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
			if f := strings.Fields(line); len(f) == 2 {
				secrets = append(secrets, f[1])
			}
		}
	}
	r.leaks = findSecrets(secrets, map[string]string{"console": console}, ws, arts)
	return r
}

// judgeJobs returns the operations that ran more often than the pipeline runs them (want: how
// many jobs of an action type on one target it runs by design; default once), counting our
// user's jobs started in the run, grouped by action and target (someone else's jobs, injected
// by busy faults, apart), and the jobs that did not complete. An operation is an action type on a target name (a
// bookmark's create job targets the bookmark it makes, so its name is what stays the same).
func judgeJobs(before, after []job, want map[string]int) (dups, failed []string) {
	seen := map[string]bool{}
	for _, j := range before {
		seen[j.Reference] = true
	}
	count := map[string]int{}
	for _, j := range after {
		if seen[j.Reference] || j.User == "USER-someone-else" {
			continue
		}
		// A bookmark's job targets the new bookmark: two of one name are one operation twice.
		on := j.TargetName
		if on == "" {
			on = j.Target
		}
		key := j.ActionType + " on " + on
		count[key]++
		if j.JobState != "COMPLETED" {
			failed = append(failed, fmt.Sprintf("%s %s", key, j.JobState))
		}
	}
	for k, n := range count {
		if n > max(1, want[strings.Fields(k)[0]]) {
			dups = append(dups, fmt.Sprintf("duplicate job: %s x%d", k, n))
		}
	}
	sort.Strings(dups)
	return dups, failed
}

// intended are, by platform, the action types the pipeline runs more than once on one target
// by design, with how many times. On DCT, dx-refresh snapshots the masked master after its
// compliance job and dx-credentials snapshots it again after the account changes: two
// DB_SNAPSHOT jobs on the master.
var intended = map[string]map[string]int{"engine": {}, "dct": {"DB_SNAPSHOT": 2}}

// findSecrets returns where any secret appears: the named texts and every file below dirs.
func findSecrets(secrets []string, texts map[string]string, dirs ...string) []string {
	var leaks []string
	check := func(where, text string) {
		for _, s := range secrets {
			if s != "" && strings.Contains(text, s) {
				leaks = append(leaks, fmt.Sprintf("secret leaked (%d chars) in %s", len(s), where))
			}
		}
	}
	for name, t := range texts {
		check(name, t)
	}
	for _, d := range dirs {
		_ = filepath.WalkDir(d, func(p string, de fs.DirEntry, err error) error {
			if err != nil || de.IsDir() {
				return nil
			}
			b, err := os.ReadFile(p)
			if err == nil {
				check(p[len(filepath.Dir(d))+1:], string(b))
			}
			return nil
		})
	}
	return leaks
}

// stepExit is a failed step's exit code and category, as the library reports them
// ("<step>: <message> (exit N, <category>)").
type stepExit struct {
	step, category string
	code           int
}

var stepExitRE = regexp.MustCompile(`(?m)\b(delphix[A-Za-z]+): .*\(exit (\d+), ([A-Za-z_.-]+)\)\s*$`)

func stepExits(console string) []stepExit {
	var out []stepExit
	seen := map[string]bool{}
	for _, m := range stepExitRE.FindAllStringSubmatch(console, -1) {
		if seen[m[0]] {
			continue
		}
		seen[m[0]] = true
		code, _ := strconv.Atoi(m[2])
		out = append(out, stepExit{step: m[1], code: code, category: m[3]})
	}
	return out
}

// wrong says why a step's exit code cannot be right under chaos, where every input and
// credential is right and no job is made to fail: exit 2 (bad input) and 3 (credentials
// refused) never are, nor is a code the library does not document.
func (x stepExit) wrong() string {
	switch x.code {
	case 2:
		return fmt.Sprintf("%s exit 2 (%s): bad input, but every input was right", x.step, x.category)
	case 3:
		return fmt.Sprintf("%s exit 3 (%s): credentials refused, but they were right", x.step, x.category)
	case 1, 4, 5, 130, 143:
		return ""
	}
	return fmt.Sprintf("%s exit %d (%s): not a documented exit code", x.step, x.code, x.category)
}

var errorRE = regexp.MustCompile(`(?m)\berror: (.*)$`)

// stepErrors are the errors the steps reported on the console ("error: ..."), one per failed
// step, normalized so that runs can be counted by cause.
func stepErrors(console string) []string {
	var out []string
	for _, m := range errorRE.FindAllStringSubmatch(console, -1) {
		out = append(out, normalize(m[1]))
	}
	return out
}

func report(c config, rs []result) int {
	var wrongSteps int
	exits := map[string]int{}
	var ok, failed, unclear, hangs, harness, dupJobs, dupBM, lostBM, wrong, leaks int
	failKinds, okKinds := map[string]int{}, map[string]int{}
	reasons, unhealed := map[string]int{}, map[string]int{}
	var total time.Duration
	for _, r := range rs {
		total += r.wall
		kinds := map[string]bool{}
		for _, f := range r.faults {
			kinds[f.Fault.Kind] = true
		}
		switch {
		case r.err != nil:
			harness++
			continue
		case r.exit == -1:
			hangs++
		case r.exit == 0:
			ok++
			for k := range kinds {
				okKinds[k]++
			}
		default:
			failed++
			for _, e := range r.errs {
				reasons[e]++
				unhealed[faultOf(e)]++
			}
			if len(r.errs) == 0 {
				reasons[r.errLine]++
				unclear++
			}
			for k := range kinds {
				failKinds[k]++
			}
		}
		dupJobs += len(r.dupJobs)
		leaks += len(r.leaks)
		if r.wrongExit != "" {
			wrong++
		}
		wrongSteps += len(r.wrongSteps)
		for _, x := range r.stepExits {
			exits[fmt.Sprintf("exit %d (%s)", x.code, x.category)]++
		}
		for _, s := range sizes {
			if r.bookmarks[s] > 1 {
				dupBM++
			}
			if r.exit == 0 && r.bookmarks[s] == 0 {
				lostBM++
			}
		}
	}
	n := len(rs)
	fmt.Printf("\nchaos: %d runs on %s at fault rate %.2f, engine --speed %s, %s total, on %s (%d CPUs, %s/%s)\n",
		n, platformName(c.platform), c.rate, c.speed, total.Round(time.Second), hostname(), runtime.NumCPU(), runtime.GOOS, runtime.GOARCH)
	rows := [][2]string{
		{"runs", fmt.Sprint(n)},
		{"succeeded", fmt.Sprintf("%d (%.0f%%; goal 99%% at 10%%)", ok, 100*float64(ok)/float64(n))},
		{"failed clearly (exit 1 or 2, a step's error on the console)", fmt.Sprint(failed - unclear)},
		{"failed without a step error on the console", fmt.Sprint(unclear)},
		{"hangs (longer than " + c.bound.String() + ")", fmt.Sprint(hangs)},
		{"duplicate jobs (an operation run twice)", fmt.Sprint(dupJobs)},
		{"duplicate bookmarks", fmt.Sprint(dupBM)},
		{"missing bookmarks after a successful run", fmt.Sprint(lostBM)},
		{"wrong runner exit codes (exit vs. the catalog and jobs)", fmt.Sprint(wrong)},
		{"wrong step exit codes (2 or 3 with right inputs)", fmt.Sprint(wrongSteps)},
		{"secrets found in the console or the workspace", fmt.Sprint(leaks)},
	}
	if harness > 0 {
		rows = append(rows, [2]string{"harness errors (not counted)", fmt.Sprint(harness)})
	}
	for _, row := range rows {
		fmt.Printf("  %-50s %s\n", row[0], row[1])
	}
	if failed > 0 {
		fmt.Println("\nwhy steps failed in failed runs (each step's error line, references, addresses and times elided):")
		for _, k := range sortedKeys(reasons) {
			fmt.Printf("  %3d  %s\n", reasons[k], short(k))
		}
		fmt.Println("\nthe faults that did not heal, as the step errors name them (a step may fail on one, a run on several):")
		for _, k := range sortedKeys(unhealed) {
			fmt.Printf("  %3d  %s\n", unhealed[k], k)
		}
		fmt.Println("\nfailed steps' exit codes (category):")
		for _, k := range sortedKeys(exits) {
			fmt.Printf("  %3d  %s\n", exits[k], k)
		}
		fmt.Println("\nfault kinds met by failed and by succeeded runs:")
		for _, k := range sortedKeys(merge(failKinds, okKinds)) {
			fmt.Printf("  %-15s failed %3d  succeeded %3d\n", k, failKinds[k], okKinds[k])
		}
	}
	if hangs+dupJobs+dupBM+lostBM+wrong+wrongSteps+leaks > 0 {
		fmt.Println("\nchaos: a zero-goal is violated")
		return 1
	}
	return 0
}

// faultOf names the fault a step error shows.
func faultOf(msg string) string {
	switch {
	case regexp.MustCompile(`HTTP (429|502|503|504)\b|Bad Gateway|Service Unavailable|Gateway Timeout|Too Many Requests`).MatchString(msg):
		return "an error answer (429, 502, 503, 504)"
	case strings.Contains(msg, "session lost") || strings.Contains(msg, "refused the session") || strings.Contains(msg, "not logged in") ||
		strings.Contains(msg, "ended the session"):
		return "a lost session (expireSessions, restart) or a lost login answer"
	case strings.Contains(msg, "unreachable") || strings.Contains(msg, "EOF") || strings.Contains(msg, "connection reset"):
		return "a dropped connection (dropBefore, dropAfter, restart)"
	case strings.Contains(msg, "busy"):
		return "someone else's job on the target (busy)"
	case strings.Contains(msg, "timed out") || strings.Contains(msg, "deadline"):
		return "a slow answer (delay)"
	}
	return "other: " + short(msg)
}

func normalize(s string) string {
	s = refRE.ReplaceAllString(s, "REF")
	s = regexp.MustCompile(`127\.0\.0\.1:\d+`).ReplaceAllString(s, "ENGINE")
	s = regexp.MustCompile(`\d{4}-\d\d-\d\d[ T][\d:.]+Z?`).ReplaceAllString(s, "TIME")
	return s
}

// short cuts a step error for the report; faultOf reads the whole of it, as the request and
// the fault may come after a long explanation.
func short(s string) string {
	if len(s) > 240 {
		s = s[:240] + "..."
	}
	return s
}

func merge(a, b map[string]int) map[string]int {
	out := map[string]int{}
	for k := range a {
		out[k] = 1
	}
	for k := range b {
		out[k] = 1
	}
	return out
}

func sortedKeys(m map[string]int) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Slice(ks, func(i, j int) bool {
		if m[ks[i]] != m[ks[j]] {
			return m[ks[i]] > m[ks[j]]
		}
		return ks[i] < ks[j]
	})
	return ks
}

func hostname() string { h, _ := os.Hostname(); return h }

func randomHex() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

func indent(s string) string { return "        | " + strings.ReplaceAll(s, "\n", "\n        | ") }

// engineProc is a dx-engine process on a free loopback port.
type engineProc struct {
	cmd    *exec.Cmd
	url    string
	apiKey string // delphix_admin's DCT API key, as dx-engine printed it
}

var apiKeyRE = regexp.MustCompile(`(?m)^dx-engine: DCT API key of delphix_admin \(admin\): (\S+)$`)

func startEngine(root, work, speed string) (*engineProc, error) {
	urlFile, logFile := filepath.Join(work, "engine-url"), filepath.Join(work, "engine.log")
	log, err := os.Create(logFile)
	if err != nil {
		return nil, err
	}
	defer log.Close()
	cmd := exec.Command(filepath.Join(root, "bin", "dx-engine"), "--addr", "127.0.0.1:0", "--speed", speed, "--url-file", urlFile)
	cmd.Stderr = log
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	e := &engineProc{cmd: cmd}
	for range 200 {
		b, _ := os.ReadFile(urlFile)
		said, _ := os.ReadFile(logFile)
		if m := apiKeyRE.FindSubmatch(said); len(bytes.TrimSpace(b)) > 0 && m != nil {
			e.url, e.apiKey = strings.TrimSpace(string(b)), string(m[1])
			return e, nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	e.stop()
	return nil, errors.New("dx-engine did not start (or printed no DCT API key for delphix_admin)")
}

func (e *engineProc) stop() {
	_ = e.cmd.Process.Signal(os.Interrupt)
	_ = e.cmd.Wait()
}

func (e *engineProc) testAPI(method, path, body string, out any) error {
	req, err := http.NewRequest(method, e.url+"/dxsteps-test/v1"+path, strings.NewReader(body))
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("test API %s %s: %d %s", method, path, resp.StatusCode, b)
	}
	if out != nil {
		return json.Unmarshal(b, out)
	}
	return nil
}

type job struct {
	Reference, ActionType, Target, TargetName, JobState, User string
}

// jobs reads every job of the engine through its API (pageSize=0 is the whole list).
func (e *engineProc) jobs() ([]job, error) {
	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Jar: jar, Timeout: time.Minute}
	base := e.url + "/resources/json/delphix"
	for _, p := range []struct{ path, body string }{
		{"/session", `{"type":"APISession","version":{"type":"APIVersion","major":1,"minor":11,"micro":9}}`},
		{"/login", fmt.Sprintf(`{"type":"LoginRequest","username":"delphix_admin","password":%q}`, enginePassword)},
	} {
		resp, err := hc.Post(base+p.path, "application/json", strings.NewReader(p.body))
		if err != nil {
			return nil, err
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("engine %s: %d", p.path, resp.StatusCode)
		}
	}
	resp, err := hc.Get(base + "/job?pageSize=0")
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var list struct{ Result []job }
	return list.Result, json.NewDecoder(resp.Body).Decode(&list)
}
