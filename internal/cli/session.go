package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/dxsteps/dxsteps/dct"
	"github.com/dxsteps/dxsteps/delphix"
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
// it started was found and followed instead (on DCT, by stepkit.StartDCT).
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
	if user == "" {
		return nil, Usagef("no user: set --%s or %s", User.Flag, User.Env)
	}
	password, err := readPassword(in)
	if err != nil {
		return nil, err
	}
	opts := []delphix.Option{delphix.WithClientName("dxsteps/" + Version)}
	if n := in.Int(RetryMax); n >= 0 {
		opts = append(opts, delphix.WithRetryMax(n))
	} else {
		return nil, Usagef("--%s must be 0 or more", RetryMax.Flag)
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
	if path := in.String(CACert); path != "" {
		pem, err := os.ReadFile(path)
		if err != nil {
			return nil, Usagef("cannot read %s: %v", in.Name(CACert), err)
		}
		opts = append(opts, delphix.WithCACertPEM(pem))
	}
	if in.Bool(Insecure) {
		log.Printf("warning: %s: the engine's TLS certificate is not verified; anyone on the network path can read the password", in.Name(Insecure))
		opts = append(opts, delphix.WithInsecureSkipVerify())
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
	return &Session{Client: client, Log: log, Environ: in.environ, jobs: map[string]string{}}, nil
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
	opts := []dct.Option{dct.WithAPIKey(key), dct.WithClientName("dxsteps/" + Version), dct.WithWaitIntervals(250*time.Millisecond, 10*time.Second)}
	if n := in.Int(RetryMax); n >= 0 {
		opts = append(opts, dct.WithRetryMax(n))
	} else {
		return nil, Usagef("--%s must be 0 or more", RetryMax.Flag)
	}
	if p := in.String(DCTBasePath); p != "" {
		opts = append(opts, dct.WithBasePath(p))
	}
	if path := in.String(CACert); path != "" {
		pem, err := os.ReadFile(path)
		if err != nil {
			return nil, Usagef("cannot read %s: %v", in.Name(CACert), err)
		}
		opts = append(opts, dct.WithCACertPEM(pem))
	}
	if in.Bool(Insecure) {
		log.Printf("warning: %s: DCT's TLS certificate is not verified; anyone on the network path can read the API key", in.Name(Insecure))
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
		return nil, err
	}
	return &Session{DCT: client, Log: log, Environ: in.environ, jobs: map[string]string{}}, nil
}

// readAPIKey reads the DCT API key from --api-key-file or DELPHIX_API_KEY.
func readAPIKey(in *Input) (string, error) {
	if path := in.String(APIKeyFile); path != "" {
		b, err := os.ReadFile(path)
		if err != nil {
			return "", Usagef("cannot read --%s: %v", APIKeyFile.Flag, err)
		}
		k := strings.TrimSpace(string(b))
		if k == "" {
			return "", Usagef("--%s %s is empty: write the API key in it (one line)", APIKeyFile.Flag, path)
		}
		return k, nil
	}
	if k := strings.TrimSpace(in.Getenv(APIKeyEnv)); k != "" {
		return k, nil
	}
	return "", Usagef("no API key: set %s or --%s (there is no API key flag, so it never shows in a process list)", APIKeyEnv, APIKeyFile.Flag)
}

func readPassword(in *Input) (string, error) {
	if path := in.String(PasswordFile); path != "" {
		b, err := os.ReadFile(path)
		if err != nil {
			return "", Usagef("cannot read --%s: %v", PasswordFile.Flag, err)
		}
		p := strings.TrimRight(string(b), "\r\n")
		if p == "" {
			return "", Usagef("--password-file %s is empty: write the password in it (one line)", path)
		}
		return p, nil
	}
	if p := in.Getenv(PasswordEnv); p != "" {
		return p, nil
	}
	return "", Usagef("no password: set %s or --%s (there is no password flag, so it never shows in a process list)", PasswordEnv, PasswordFile.Flag)
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
// forgets the job, unless ctx ended: then cancelJobs still needs it.
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

// cancelJobs cancels (on DCT: abandons) the jobs still running, with a
// short deadline of its own, and says what it cancelled.
func (s *Session) cancelJobs() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var done []string
	for ref, what := range s.jobs {
		ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		var err error
		if s.DCT != nil {
			err = s.DCT.Jobs.Abandon(ctx, ref)
		} else {
			err = s.Client.Jobs.Cancel(ctx, ref)
		}
		cancel()
		if err != nil {
			s.Log.Printf("warning: could not cancel job %s (%s): %v", ref, what, err)
			continue
		}
		if s.DCT != nil {
			s.Log.Printf("abandoned DCT job %s (%s)", ref, what)
			done = append(done, fmt.Sprintf("job %s (%s, abandoned on DCT)", ref, what))
			continue
		}
		s.Log.Printf("cancelled job %s (%s)", ref, what)
		done = append(done, fmt.Sprintf("job %s (%s)", ref, what))
	}
	return done
}

func (s *Session) logout() {
	if s.Client == nil {
		return // DCT keeps no session
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = s.Client.Logout(ctx)
}
