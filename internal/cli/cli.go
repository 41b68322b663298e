// Package cli is the contract every dxsteps step binary shares: flags that
// also read environment variables (DELPHIX_* for the connection,
// DXSTEPS_<STEP>_* for the step's own) and a YAML config, one JSON
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
	"strconv"
	"strings"
	"syscall"
	"time"

	ucli "github.com/urfave/cli/v2"
)

// Version is stamped at build time with -ldflags.
var Version = "dev"

// Runner does a step's work on a logged-in session and returns its result,
// which is printed as JSON.
type Runner func(ctx context.Context, s *Session) (any, error)

// Step describes one binary: its keys, the rules between them and its
// outputs are its contract (--contract prints it), and the same values
// build its flags and check them, so the two cannot disagree.
type Step struct {
	Name    string // binary name, e.g. "dx-sync"
	Jenkins string // the Jenkins library's step, e.g. "delphixSync"
	Usage   string // one line
	// Description says what it does, with an example.
	Description string
	// Operations are the words the command line may start with; the first
	// is the default. Empty for single-purpose steps. Each is a command
	// with its own --help.
	Operations []string
	// OperationUsage is one line per operation, for its --help and the
	// step's list of operations.
	OperationUsage map[string]string
	// Keys are the step's own settings, in --help order.
	Keys []*Key
	// Rules between keys that the keys do not say themselves.
	Rules []Rule
	// Outputs are the JSON results, by operation.
	Outputs []Output
	// Parse turns the checked input into the work to do. It must not
	// touch the engine.
	Parse func(in *Input) (Runner, error)
	// Platforms the step drives; empty: the engine only.
	Platforms []string
}

// platforms is the list of platforms the step drives.
func (s *Step) platforms() []string {
	if len(s.Platforms) == 0 {
		return []string{PlatformEngine}
	}
	return s.Platforms
}

// envPrefix starts the step's own variables: DXSTEPS_BOOKMARK_ for dx-bookmark.
func (s *Step) envPrefix() string {
	return StepEnvPrefix + envWord(strings.TrimPrefix(s.Name, "dx-")) + "_"
}

// env is the environment variable key k reads in this step.
func (s *Step) env(k *Key) string {
	if k.Env != "" {
		return k.Env
	}
	return s.envPrefix() + envWord(k.Flag)
}

// allKeys is the step's keys then the connection keys.
func (s *Step) allKeys() []*Key { return append(append([]*Key{}, s.Keys...), Connection...) }

// rules is every rule the step checks, the keys' own first.
func (s *Step) rules() []Rule { return append(keyRules(s.Keys), s.Rules...) }

// flags builds the urfave flags afresh for one run: every key's, for the
// step's own --help.
func (s *Step) flags() []ucli.Flag {
	var flags []ucli.Flag
	for _, k := range s.allKeys() {
		f := *k
		f.Env = s.env(k)
		flags = append(flags, f.flag("", false))
	}
	return append(flags, &ucli.BoolFlag{Name: contractFlag, Usage: "print this binary's contract (keys, rules, outputs, exit codes) as JSON and exit"})
}

// opFlags builds the flags of operation op afresh. Every key is a flag of
// every operation, so that a key given to an operation that does not take
// it is refused by its rule ("--tag goes with create and list only"), as
// from the environment or the config, rather than as an unknown flag; the
// operation's --help shows only the keys it takes, and says which it needs.
func (s *Step) opFlags(op string) []ucli.Flag {
	var flags []ucli.Flag
	for _, k := range s.allKeys() {
		f := *k
		f.Env = s.env(k)
		need := ""
		if k.needed(op) {
			need = " (required)"
		}
		flags = append(flags, f.flag(need, !k.accepts(op)))
	}
	return append(flags,
		&ucli.BoolFlag{Name: contractFlag, Usage: "print this binary's contract (keys, rules, outputs, exit codes) as JSON and exit"},
		&ucli.BoolFlag{Name: versionFlag, Hidden: true}) // dx-x op --version works as it always did
}

// contractFlag prints the contract.
const contractFlag = "contract"

// versionFlag is urfave's --version, which an operation's flags repeat.
const versionFlag = "version"

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
			cancel(&AbortError{Signal: sig.(syscall.Signal), At: time.Now()})
		}
	}()
	return Run(ctx, step, os.Args, os.Stdout, os.Stderr, os.Environ())
}

// Run runs the step with args (args[0] is the program name), writing to
// stdout and stderr and reading environ, never the process's own. Cancelling
// ctx with an *AbortError as its cause acts as that signal. It is the
// binaries' whole entry point, so tests run a step in process.
//
// A step with operations is a urfave app with one command per operation,
// each with its own --help. A command line that does not start with an
// operation (nor with --help or --version) runs the default one, the
// first; there, an operation may also come last, after the flags
// (dx-datapod --datapod X reset).
func Run(ctx context.Context, step *Step, args []string, stdout, stderr io.Writer, environ []string) int {
	errorFile := lookupEnv(environ, ErrorFile.Env)
	jenkins := lookupEnv(environ, CallerEnv) == "jenkins"
	log := NewLog(stderr, step.Name)
	onUsageError := func(flags []ucli.Flag) ucli.OnUsageErrorFunc {
		return func(_ *ucli.Context, err error, _ bool) error {
			return &UsageError{Msg: flagProblem(err, flags, func(flag string) string {
				for _, k := range step.allKeys() {
					if k.Flag == flag {
						return keyRef(k, jenkins)
					}
				}
				return "--" + flag
			})}
		}
	}
	// action runs operation op ("" for a step without operations) with
	// flags; named says that the command line named it.
	action := func(op string, named bool, flags []ucli.Flag) ucli.ActionFunc {
		return func(c *ucli.Context) error {
			if c.Bool(contractFlag) {
				return writeResult(stdout, step.Contract())
			}
			if c.Bool(versionFlag) {
				ucli.ShowVersion(c)
				return nil
			}
			if a := c.Args(); a.Len() == 1 && !named && slices.Contains(step.Operations, a.First()) {
				op = a.First()
			} else if a.Len() > 1 && !named && slices.Contains(step.Operations, a.First()) {
				return Usagef("operation %s comes first or last, not between flags: %s %s [flags]", a.First(), step.Name, a.First())
			} else if a.Present() {
				return wordProblem(step, a.First(), named)
			}
			warnings, err := checkEnv(step, environ)
			for _, w := range warnings {
				log.Printf("warning: %s", w)
			}
			if err != nil {
				return err
			}
			in := &Input{Op: op, c: c, environ: environ, jenkins: jenkins, empty: map[string]string{}}
			in.emptyOnCommandLine(step.Keys)
			in.noteFrom(in.Name)
			if err := applyEnv(c, step, environ, in.empty); err != nil {
				return err
			}
			in.noteFrom(step.env)
			if err := applyConfig(c, flags, in.empty); err != nil {
				return err
			}
			in.noteFrom(func(k *Key) string { return fmt.Sprintf("--config %s key %s", c.Path(Config.Flag), k.Flag) })
			errorFile = c.Path(ErrorFile.Flag) // the config may name it too
			if err := choosePlatform(step, in); err != nil {
				return err
			}
			for _, r := range step.rules() {
				if msg := r.broken(in); msg != "" {
					return &UsageError{Msg: msg}
				}
			}
			run, err := step.Parse(in)
			if err != nil {
				return err
			}
			result, err := execute(ctx, in, log, run)
			var check *CheckError
			if err != nil && (!errors.As(err, &check) || result == nil) {
				return err
			}
			if werr := writeResult(stdout, result); werr != nil {
				return werr
			}
			return err // a failed check still prints what was done
		}
	}

	flags := step.flags()
	app := &ucli.App{
		Name: step.Name, Usage: step.Usage, Description: step.Description, Version: Version,
		Flags: flags, Writer: stdout, ErrWriter: stderr, HideHelpCommand: true,
		ExitErrHandler: func(*ucli.Context, error) {}, // exit codes are decided below
		OnUsageError:   onUsageError(flags),
	}
	if len(step.Operations) == 0 {
		app.Action = action("", false, flags)
	} else {
		def := step.Operations[0]
		app.Usage = fmt.Sprintf("%s (operations: %s; default %s)", step.Usage, strings.Join(step.Operations, ", "), def)
		app.UsageText = fmt.Sprintf("%s [%s] [flags]\n%s OPERATION --help   (that operation's flags)", step.Name, strings.Join(step.Operations, "|"), step.Name)
		named := true
		if len(args) < 2 || !startsCommand(step, args[1]) {
			args, named = append([]string{args[0], def}, args[1:]...), false
		}
		app.Action = action(def, false, flags) // a fallback: an operation is always inserted or named
		for _, op := range step.Operations {
			opFlags := step.opFlags(op)
			usage := step.OperationUsage[op]
			if op == def {
				usage += " (the default: the operation may be left out)"
			}
			app.Commands = append(app.Commands, &ucli.Command{
				Name: op, Usage: strings.TrimSpace(usage), UsageText: fmt.Sprintf("%s %s [flags]", step.Name, op),
				Flags: opFlags, OnUsageError: onUsageError(opFlags), HideHelpCommand: true,
				Action: action(op, named, opFlags),
			})
		}
	}
	err := app.RunContext(ctx, args)
	if err == nil {
		return ExitOK
	}
	return fail(log, step.Name, errorFile, jenkins, err)
}

// startsCommand says whether a command line whose first argument is word
// names its operation or asks for the step's own help or version; any
// other starts the default operation.
func startsCommand(step *Step, word string) bool {
	switch word {
	case "--help", "-help", "-h", "--version", "-version", "-v":
		return true
	}
	return slices.Contains(step.Operations, word)
}

// fail prints the one error line, writes the error file, and returns the
// exit code. Inside Jenkins the line names keys and ends without a
// command-line hint.
func fail(log *Log, step, errorFile string, jenkins bool, err error) int {
	code, category := classify(err)
	msg := err.Error()
	if cert, ok := certProblem(err, jenkins); ok {
		msg = cert
	}
	hints := hint
	if jenkins {
		hints = jenkinsHint
	}
	if h, ok := hints[category]; ok && !strings.Contains(msg, "(") {
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

// lookupEnv reads name from environ; the last value wins, as in os/exec.
func lookupEnv(environ []string, name string) string {
	v, _ := lookupEnvOK(environ, name)
	return v
}

func lookupEnvOK(environ []string, name string) (string, bool) {
	for i := len(environ) - 1; i >= 0; i-- {
		if k, v, ok := strings.Cut(environ[i], "="); ok && k == name {
			return v, true
		}
	}
	return "", false
}

// execute connects, runs the step under the --timeout deadline and, when
// the step is aborted or times out, cancels the jobs it started.
func execute(parent context.Context, in *Input, log *Log, run Runner) (any, error) {
	ctx, cancel := context.WithTimeout(parent, in.Duration(Timeout))
	defer cancel()
	sess, err := connect(ctx, in, log)
	if err != nil {
		return nil, interrupted(parent, ctx, in, nil, err)
	}
	defer sess.logout()
	result, err := run(ctx, sess)
	if sess.dryRun && (err == nil || result != nil) {
		var perr error
		if result, perr = planned(result, sess.Planned()); perr != nil {
			return nil, perr
		}
	}
	if err != nil {
		return result, interrupted(parent, ctx, in, sess, err)
	}
	return result, nil
}

// interrupted turns an error caused by an abort or the deadline into an
// *AbortError or *DeadlineError, after stopping the session's jobs within
// AbortBudget of the signal (or of now, for the deadline).
func interrupted(parent, ctx context.Context, in *Input, sess *Session, err error) error {
	var abort *AbortError
	cause := context.Cause(parent)
	isAbort := errors.As(cause, &abort)
	isDeadline := !isAbort && errors.Is(ctx.Err(), context.DeadlineExceeded)
	if !isAbort && !isDeadline {
		return err
	}
	since := time.Now()
	if isAbort && !abort.At.IsZero() {
		since = abort.At
	}
	var jobs []string
	if sess != nil && in.Bool(Cancel) {
		jobs = sess.stopJobs(since.Add(AbortBudget))
	}
	if isAbort {
		return &AbortError{Signal: abort.Signal, At: abort.At, Jobs: jobs}
	}
	return &DeadlineError{Timeout: in.Duration(Timeout).String(), Jobs: jobs, Lost: lostRequest(err)}
}

// choosePlatform reads --platform, refuses a platform the step does not
// drive, and refuses a key set for the other platform, a connection key
// (DELPHIX_USER on DCT) too, naming where its value came from. The Jenkins
// library binds only the platform's own credentials.
func choosePlatform(step *Step, in *Input) error {
	p := strings.ToLower(strings.TrimSpace(in.String(Platform)))
	if p == "" {
		p = PlatformEngine
	}
	if !slices.Contains(Platforms, p) {
		msg := fmt.Sprintf("%s %q is not a platform: use %s", platformFrom(in), in.String(Platform), joinWords(quoteAll(Platforms), "or"))
		if s := suggest(p, Platforms); s != "" {
			msg = fmt.Sprintf("%s %q is not a platform; did you mean %s?", platformFrom(in), in.String(Platform), s)
		}
		return Usagef("%s", msg)
	}
	if !slices.Contains(step.platforms(), p) {
		return Usagef("%s does not drive %s %s yet: it drives %s", step.Name, in.Name(Platform), p, strings.Join(step.platforms(), ", "))
	}
	in.Platform = p
	for _, k := range step.Keys {
		if in.set(k) && !k.appliesTo(p) {
			return Usagef("%s applies to %s %s only, not %s", in.Name(k), in.Name(Platform), strings.Join(k.Platforms, ", "), p)
		}
	}
	for _, k := range Connection {
		if !in.set(k) || k.appliesTo(p) {
			continue
		}
		only := fmt.Sprintf("%s applies to %s %s only, not %s", in.Name(k), in.Name(Platform), strings.Join(k.Platforms, ", "), p)
		switch from := in.from[k.Flag]; {
		case from == "" || from == in.Name(k):
			return Usagef("%s: leave it out", only)
		case strings.HasPrefix(from, "--config"):
			return Usagef("%s sets %s, which applies to %s %s only, not %s: remove the key", from, in.Name(k), in.Name(Platform), strings.Join(k.Platforms, ", "), p)
		default:
			return Usagef("%s is set, but it applies to %s %s only, not %s: unset %s", from, in.Name(Platform), strings.Join(k.Platforms, ", "), p, from)
		}
	}
	return nil
}

// platformFrom names where the platform was given: the flag (or key), or
// DELPHIX_PLATFORM when it came from there.
func platformFrom(in *Input) string {
	if from := in.from[Platform.Flag]; from != "" && from != in.Name(Platform) && !strings.HasPrefix(from, "--config") {
		return from
	}
	return in.Name(Platform)
}

func quoteAll(words []string) []string {
	out := make([]string, len(words))
	for i, w := range words {
		out[i] = strconv.Quote(w)
	}
	return out
}
