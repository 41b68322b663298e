// Package cli is the contract every dxsteps step binary shares: flags that
// also read DELPHIX_* environment variables and a YAML config, one JSON
// object on stdout, progress and one error line on stderr, an optional
// error file, and exit codes decided in one place.
package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"

	ucli "github.com/urfave/cli/v2"
)

// Version is stamped at build time with -ldflags.
var Version = "dev"

// Runner does a step's work on a logged-in session and returns its result,
// which is printed as JSON.
type Runner func(ctx context.Context, s *Session) (any, error)

// Step describes one binary.
type Step struct {
	Name        string // binary name, e.g. "dx-sync"
	Usage       string // one line
	Description string // what it does, with an example
	// Operations are the words the command line may start with; the first
	// is the default. Empty for single-purpose steps.
	Operations []string
	// Flags builds the step's own flags (afresh for every run).
	Flags func() []ucli.Flag
	// Parse reads the flags for operation op into the step's options and
	// returns the work to do. It must not touch the engine.
	Parse func(c *ucli.Context, op string) (Runner, error)
}

// Main runs the step with the process's arguments and signals and returns
// the exit code; main passes it to os.Exit.
func Main(step *Step) int {
	ctx, cancel := context.WithCancelCause(context.Background())
	defer cancel(nil)
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)
	defer signal.Stop(sigs)
	go func() {
		if sig, ok := <-sigs; ok {
			cancel(&AbortError{Signal: sig.(syscall.Signal)})
		}
	}()
	return Run(ctx, step, os.Args, os.Stdout, os.Stderr, os.Environ())
}

// Run runs the step with args (args[0] is the program name). Cancelling
// ctx with an *AbortError as its cause acts as that signal.
func Run(ctx context.Context, step *Step, args []string, stdout, stderr io.Writer, environ []string) int {
	op, named := "", false
	if len(step.Operations) > 0 {
		op = step.Operations[0]
		if len(args) > 1 && slices.Contains(step.Operations, args[1]) {
			op, named, args = args[1], true, append([]string{args[0]}, args[2:]...)
		}
	}
	flags := append(step.Flags(), connectionFlags()...)
	withEnvVars(flags)
	errorFile := lookupEnv(environ, EnvName(ErrorFileFlag))
	log := NewLog(stderr, step.Name)

	app := &ucli.App{
		Name: step.Name, Usage: step.Usage, Description: step.Description, Version: Version,
		Flags: flags, Writer: stderr, ErrWriter: stderr, HideHelpCommand: true,
		ExitErrHandler: func(*ucli.Context, error) {}, // exit codes are decided below
		OnUsageError: func(_ *ucli.Context, err error, _ bool) error {
			return &UsageError{Msg: err.Error()}
		},
		Action: func(c *ucli.Context) error {
			// The operation may also come last, after the flags.
			if a := c.Args(); a.Len() == 1 && !named && slices.Contains(step.Operations, a.First()) {
				op = a.First()
			} else if a.Present() {
				return Usagef("unexpected argument %q; operations are: %s, and come first", a.First(), strings.Join(step.Operations, ", "))
			}
			for _, name := range unknownEnv(flags, environ) {
				log.Printf("warning: %s is set but no flag reads it (a typo?)", name)
			}
			unknown, err := applyConfig(c, flags)
			if err != nil {
				return err
			}
			for _, key := range unknown {
				log.Printf("warning: --config key %q is not a flag of %s; ignored", key, step.Name)
			}
			errorFile = c.Path(ErrorFileFlag) // the config may name it too
			run, err := step.Parse(c, op)
			if err != nil {
				return err
			}
			result, err := execute(ctx, c, log, environ, run)
			var check *CheckError
			if err != nil && (!errors.As(err, &check) || result == nil) {
				return err
			}
			if werr := writeResult(stdout, result); werr != nil {
				return werr
			}
			return err // a failed check still prints what was done
		},
	}
	if op != "" {
		app.Usage = fmt.Sprintf("%s (operations: %s; default %s)", step.Usage, strings.Join(step.Operations, ", "), step.Operations[0])
		app.UsageText = fmt.Sprintf("%s [%s] [flags]", step.Name, strings.Join(step.Operations, "|"))
	}
	err := app.RunContext(ctx, args)
	if err == nil {
		return ExitOK
	}
	return fail(log, step.Name, errorFile, err)
}

// fail prints the one error line, writes the error file, and returns the exit code.
func fail(log *Log, step, errorFile string, err error) int {
	code, category := classify(err)
	msg := err.Error()
	if h, ok := hint[category]; ok && !strings.Contains(msg, "(") {
		msg += " (" + h + ")"
	}
	log.Printf("error: %s", msg)
	if errorFile != "" {
		rec := errorRecord{Step: step, Category: category, ExitCode: code, Message: msg, EngineErrorID: engineErrorID(err)}
		if werr := writeErrorFile(errorFile, rec); werr != nil {
			log.Printf("warning: cannot write --error-file: %v", werr)
		}
	}
	return code
}

func writeResult(w io.Writer, result any) error {
	b, err := json.Marshal(result)
	if err != nil {
		return fmt.Errorf("encode result: %w", err)
	}
	_, err = fmt.Fprintf(w, "%s\n", b)
	return err
}

func lookupEnv(environ []string, name string) string {
	for _, kv := range environ {
		if k, v, ok := strings.Cut(kv, "="); ok && k == name {
			return v
		}
	}
	return ""
}

// execute connects, runs the step under the --timeout deadline and, when
// the step is aborted or times out, cancels the jobs it started.
func execute(parent context.Context, c *ucli.Context, log *Log, environ []string, run Runner) (any, error) {
	ctx, cancel := context.WithTimeout(parent, c.Duration(TimeoutFlag))
	defer cancel()
	sess, err := connect(ctx, c, log, environ)
	if err != nil {
		return nil, interrupted(parent, ctx, c, nil, err)
	}
	defer sess.logout()
	result, err := run(ctx, sess)
	if err != nil {
		return result, interrupted(parent, ctx, c, sess, err)
	}
	return result, nil
}

// interrupted turns an error caused by an abort or the deadline into an
// *AbortError or *DeadlineError, after cancelling the session's jobs.
func interrupted(parent, ctx context.Context, c *ucli.Context, sess *Session, err error) error {
	var abort *AbortError
	cause := context.Cause(parent)
	isAbort := errors.As(cause, &abort)
	isDeadline := !isAbort && errors.Is(ctx.Err(), context.DeadlineExceeded)
	if !isAbort && !isDeadline {
		return err
	}
	var cancelled []string
	if sess != nil && c.Bool(CancelFlag) {
		cancelled = sess.cancelJobs()
	}
	if isAbort {
		return &AbortError{Signal: abort.Signal, Cancelled: cancelled}
	}
	return &DeadlineError{Timeout: c.Duration(TimeoutFlag).String(), Cancelled: cancelled}
}
