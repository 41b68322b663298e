package cli

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/dxsteps/dxsteps/dct"
	"github.com/dxsteps/dxsteps/delphix"
	"github.com/dxsteps/dxsteps/internal/httpapi"
)

// Session is what a step's Runner works with: a logged-in client and the
// log, and it remembers the jobs the step started so an abort cancels them.
// On the engine platform Client is set; on DCT, DCT is (and Client is nil).
type Session struct {
	Client *delphix.Client
	DCT    *dct.Client
	Log    *Log
	// Environ is the step's environment, for the tools it runs.
	Environ []string

	mu        sync.Mutex
	jobs      map[string]string // running job reference -> what it does
	recovered bool              // an operation's start answer was lost and its job found
	abortBy   time.Time         // after an abort: when the step must be gone by
	dryRun    bool              // --dry-run: plan, change nothing
	plan      []Action          // what a plan would do, in order
}

// Platform is the platform the session drives: PlatformEngine or PlatformDCT.
func (s *Session) Platform() string {
	if s.DCT != nil {
		return PlatformDCT
	}
	return PlatformEngine
}

// BaseURL is the engine's URL, or DCT's with its API base path.
func (s *Session) BaseURL() string {
	if s.DCT != nil {
		return s.DCT.BaseURL()
	}
	return s.Client.BaseURL()
}

// Recovered reports whether the answer that started an operation of this
// step was lost and the operation was found on the engine and followed
// instead; the step's output says so as "recovered": true.
func (s *Session) Recovered() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.recovered
}

// SetRecovered records that an operation's start answer was lost and what
// it started was found and followed instead (on DCT, by platform.StartDCTLooking).
func (s *Session) SetRecovered() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.recovered = true
}

// connect builds the client from the connection keys and logs in.
func connect(ctx context.Context, in *Input, log *Log) (*Session, error) {
	engine := in.String(Engine)
	if engine == "" {
		return nil, Usagef("no engine: set %s or %s", in.Name(Engine), Engine.Env)
	}
	if in.Platform == PlatformDCT {
		return connectDCT(ctx, in, log, engine)
	}
	user := in.String(User)
	if user == "" && in.Getenv(APIKeyEnv) != "" && !in.set(Platform) {
		return nil, Usagef("no user: %s is set, which only Data Control Tower reads: to drive DCT, set %s dct (or %s=dct); to drive the engine, set %s and %s",
			APIKeyEnv, in.Name(Platform), Platform.Env, in.Name(User), PasswordEnv)
	}
	if user == "" {
		return nil, Usagef("no user: set --%s or %s", User.Flag, User.Env)
	}
	password, err := readPassword(in)
	if err != nil {
		return nil, err
	}
	t, err := readTransport(in, log, "the engine's", "password")
	if err != nil {
		return nil, err
	}
	opts := []delphix.Option{delphix.WithClientName("dxsteps/" + Version), delphix.WithRetryMax(t.retryMax),
		delphix.WithNotify(logLines(log), slowAnswerAfter)}
	if in.Bool(DryRun) {
		opts = append(opts, delphix.WithRequestGuard(readOnly))
	}
	if t.caPEM != nil {
		opts = append(opts, delphix.WithCACertPEM(t.caPEM))
	}
	if t.insecure {
		opts = append(opts, delphix.WithInsecureSkipVerify())
	}
	if v := in.String(APIVersion); v != "" {
		parsed, err := delphix.ParseAPIVersion(v)
		if err != nil {
			return nil, Usagef("%s: %v", in.Name(APIVersion), err)
		}
		if parsed.Less(delphix.MinAPIVersion) || delphix.MaxAPIVersion.Less(parsed) {
			return nil, Usagef("--api-version %s is not supported: dxsteps speaks %s to %s; leave --api-version out to use the engine's own",
				parsed, delphix.MinAPIVersion, delphix.MaxAPIVersion)
		}
		opts = append(opts, delphix.WithAPIVersion(parsed))
	}
	// Unpinned, a step of a Jenkins build tries the version an earlier step
	// of the build settled on with this engine first (APIVersionsEnv).
	learnedIn := ""
	var learned delphix.APIVersion
	if in.String(APIVersion) == "" {
		learnedIn = in.Getenv(APIVersionsEnv)
	}
	if learnedIn != "" {
		if learned = learnedAPIVersion(learnedIn, engine); !learned.IsZero() {
			opts = append(opts, delphix.WithAPIVersionHint(learned))
		}
	}
	client, err := delphix.NewClient(engine, opts...)
	if err != nil {
		return nil, Usagef("%s: %v", in.Name(Engine), err)
	}
	if err := client.Login(ctx, user, password); err != nil {
		if errors.Is(err, delphix.ErrUnauthorized) {
			return nil, fmt.Errorf("credentials refused: %s refused the login of %q: %w", engine, user, err)
		}
		return nil, err
	}
	if learnedIn != "" && client.APIVersion() != learned {
		if err := recordAPIVersion(learnedIn, engine, client.APIVersion()); err != nil {
			log.Printf("warning: cannot record the engine's API version for the build's next steps (they will ask the engine again): %v", err)
		}
	}
	return &Session{Client: client, Log: log, Environ: in.environ, jobs: map[string]string{}, dryRun: in.Bool(DryRun)}, nil
}

// slowAnswerAfter is how long a request waits for an answer before the log
// says it still waits (and again after each as long); tests shorten it.
var slowAnswerAfter = httpapi.DefaultSlowAnswer

// logLines sends the clients' lines for people (a retry, a request still
// without an answer) to the log, on stderr.
func logLines(log *Log) func(string) {
	return func(line string) { log.Printf("%s", line) }
}

// transport is what the connection keys say of the HTTP transport, the
// same for both clients.
type transport struct {
	retryMax int
	caPEM    []byte // nil: the system's CAs
	insecure bool
}

// readTransport reads --retry-max, --ca-cert and --insecure; server and
// secret name, in the --insecure warning, whose certificate goes unchecked
// and what anyone on the path could then read.
func readTransport(in *Input, log *Log, server, secret string) (transport, error) {
	t := transport{retryMax: in.Int(RetryMax), insecure: in.Bool(Insecure)}
	if t.retryMax < 0 {
		return t, Usagef("--%s must be 0 or more", RetryMax.Flag)
	}
	if path := in.String(CACert); path != "" {
		pem, err := os.ReadFile(path)
		if err != nil {
			return t, Usagef("cannot read %s: %v", in.Name(CACert), err)
		}
		if err := checkCACert(in, path, pem, server); err != nil {
			return t, err
		}
		t.caPEM = pem
	}
	if t.insecure {
		log.Printf("warning: %s: %s TLS certificate is not verified; anyone on the network path can read the %s", in.Name(Insecure), server, secret)
	}
	return t, nil
}

// connectDCT builds the DCT client from the connection keys. DCT has no
// login: the API key goes with every request, so a first read checks it, and
// a refused key fails here as the engine's refused password does.
func connectDCT(ctx context.Context, in *Input, log *Log, url string) (*Session, error) {
	key, err := readAPIKey(in)
	if err != nil {
		return nil, err
	}
	// DCT has no notifications: a job is polled, first soon (most pipeline jobs
	// end in seconds), then backing off to every 10 s.
	t, err := readTransport(in, log, "DCT's", "API key")
	if err != nil {
		return nil, err
	}
	opts := []dct.Option{dct.WithAPIKey(key), dct.WithClientName("dxsteps/" + Version),
		dct.WithWaitIntervals(250*time.Millisecond, 10*time.Second), dct.WithRetryMax(t.retryMax),
		dct.WithNotify(logLines(log), slowAnswerAfter)}
	if in.Bool(DryRun) {
		opts = append(opts, dct.WithRequestGuard(readOnly))
	}
	if p := in.String(DCTBasePath); p != "" {
		opts = append(opts, dct.WithBasePath(p))
	}
	if t.caPEM != nil {
		opts = append(opts, dct.WithCACertPEM(t.caPEM))
	}
	if t.insecure {
		opts = append(opts, dct.WithInsecureSkipVerify())
	}
	client, err := dct.NewClient(url, opts...)
	if err != nil {
		return nil, Usagef("%s: %v", in.Name(Engine), err)
	}
	if err := client.Check(ctx); err != nil {
		if errors.Is(err, dct.ErrUnauthorized) {
			return nil, fmt.Errorf("credentials refused: %s refused the API key: %w", client.BaseURL(), err)
		}
		var apiErr *dct.APIError
		if errors.As(err, &apiErr) && apiErr.HTTPStatus == http.StatusNotFound {
			answer := "HTTP 404 Not Found"
			if apiErr.Message != "" {
				answer += ": " + apiErr.Message
			}
			return nil, Usagef("no DCT API at %s (%s %s answered %s): check %s (DCT serves API v3 under %s; older installations under /v3) and %s",
				client.BaseURL(), apiErr.Method, apiErr.Path, answer, in.Name(DCTBasePath), dct.DefaultBasePath, in.Name(Engine))
		}
		return nil, err
	}
	return &Session{DCT: client, Log: log, Environ: in.environ, jobs: map[string]string{}, dryRun: in.Bool(DryRun)}, nil
}

// readAPIKey reads the DCT API key from --api-key-file or DELPHIX_API_KEY.
func readAPIKey(in *Input) (string, error) {
	return readSecret(in, APIKeyFile, APIKeyEnv, "API key", strings.TrimSpace)
}

// readPassword reads the engine password from --password-file or
// DELPHIX_PASSWORD; spaces are part of a password, a line end is not.
func readPassword(in *Input) (string, error) {
	return readSecret(in, PasswordFile, PasswordEnv, "password", func(p string) string { return strings.TrimRight(p, "\r\n") })
}

// readSecret reads a secret from the file key file names, else from the
// environment variable env, each trimmed with trim; an empty or missing
// one is a usage error naming both ways to give it.
func readSecret(in *Input, file *Key, env, what string, trim func(string) string) (string, error) {
	if path := in.String(file); path != "" {
		b, err := os.ReadFile(path)
		if err != nil {
			return "", Usagef("cannot read --%s: %v", file.Flag, err)
		}
		v := trim(string(b))
		if v == "" {
			return "", Usagef("--%s %s is empty: write the %s in it (one line)", file.Flag, path, what)
		}
		return v, nil
	}
	if v := trim(in.Getenv(env)); v != "" {
		return v, nil
	}
	return "", Usagef("no %s: set %s or --%s (there is no %s flag, so it never shows in a process list)", what, env, file.Flag, what)
}

// wait follows an operation to its end, printing progress. what says what
// the job does, for people ("refresh of VDB \"x\"").
func (s *Session) wait(ctx context.Context, op delphix.Operation, what string) (*delphix.Job, error) {
	if op.Job != "" {
		defer s.track(ctx, op.Job, what)()
	}
	job, err := s.Client.Wait(ctx, op, s.Log.Progress(op.Job))
	if err == nil && job != nil {
		s.Log.Printf("%s: job %s %s", what, job.Reference, job.JobState)
	}
	return job, err
}

// Do starts an engine operation and follows it to its end. The error says
// what failed: "<what>: ..." when it could not start, "<what> failed: ..."
// when it ended badly.
func (s *Session) Do(ctx context.Context, what string, start func() (delphix.Operation, error)) (delphix.Operation, error) {
	op, err := start()
	if err != nil {
		return op, fmt.Errorf("%s: %w", what, err)
	}
	if op.Recovered {
		s.mu.Lock()
		s.recovered = true
		s.mu.Unlock()
		s.Log.Printf("%s: the engine's answer to the start was lost; found what it started on the engine (job %s) and following it, not starting it again", what, op.Job)
	}
	if _, err := s.wait(ctx, op, what); err != nil {
		return op, fmt.Errorf("%s failed: %w", what, err)
	}
	return op, nil
}

// DoDCT starts a DCT operation and follows its job to the end, as Do does
// on the engine; an abort or the deadline abandons the job. A start that
// returns no job (DCT did the work at once) is done.
func (s *Session) DoDCT(ctx context.Context, what string, start func() (*dct.Job, error)) (*dct.Job, error) {
	job, err := start()
	if err != nil {
		return job, fmt.Errorf("%s: %w", what, err)
	}
	if job == nil || job.ID == "" {
		return job, nil
	}
	untrack := s.track(ctx, job.ID, what)
	done, err := s.DCT.Jobs.Wait(ctx, job.ID, s.Log.DCTProgress(job.ID))
	untrack()
	if err != nil {
		return job, fmt.Errorf("%s failed: %w", what, err)
	}
	s.Log.Printf("%s: job %s %s", what, done.ID, done.Status)
	return done, nil
}

// track remembers the running job id, which does what, so that an abort
// or the deadline cancels it, and says it started. The func it returns
// forgets the job, unless ctx ended: then stopJobs still needs it.
func (s *Session) track(ctx context.Context, id, what string) func() {
	s.mu.Lock()
	s.jobs[id] = what
	s.mu.Unlock()
	s.Log.Printf("%s: job %s started", what, id)
	return func() {
		if ctx.Err() == nil {
			s.mu.Lock()
			delete(s.jobs, id)
			s.mu.Unlock()
		}
	}
}

// logout ends the engine session, within 5 s, and within the abort budget
// after an abort.
func (s *Session) logout() {
	if s.Client == nil {
		return // DCT keeps no session
	}
	deadline := time.Now().Add(5 * time.Second)
	s.mu.Lock()
	if !s.abortBy.IsZero() && s.abortBy.Before(deadline) {
		deadline = s.abortBy
	}
	s.mu.Unlock()
	ctx, cancel := context.WithDeadline(context.Background(), deadline)
	defer cancel()
	_ = s.Client.Logout(ctx)
}
