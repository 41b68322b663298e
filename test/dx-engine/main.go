// Command dx-engine runs the local Delphix engine (package test/engine) and reads a running one.
// See usage below, or run dx-engine help.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"

	"github.com/dxsteps/dxsteps/internal/cli"
	"github.com/dxsteps/dxsteps/test/engine"
)

const usage = `dx-engine runs a local Delphix engine for tests and demos. It serves, over one estate:
  the classic engine API (1.8 to 1.11)  under /resources/json/delphix (--api-version: the highest)
  Data Control Tower API v3 (3.18.0)   under /dct/v3 and /v3 (--dct-base-paths), "Authorization: apk <key>"
                                       (printed at start; --dct-* settle what the DCT spec leaves open)
  the test API                         under /dxsteps-test/v1: datasets, prod changes, faults, requests

At start it prints each DCT account's API key; a step drives DCT with them, e.g.
  DELPHIX_PLATFORM=dct DELPHIX_ENGINE=<URL printed> DELPHIX_API_KEY=<key printed> dx-sync --database "Patients Prod"

Usage:
  dx-engine [serve] [flags]      run the engine until SIGINT or SIGTERM (the default subcommand)
  dx-engine catalog [--engine URL]
                                 print a running engine's bookmarks and what their data holds
  dx-engine version              print the version (also --version)
  dx-engine help                 print this text (also --help)

Flags of serve:
`

// subcommands are the words dispatch knows.
var subcommands = []string{"serve", "catalog", "version", "help"}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	code := dispatch(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// dispatch runs the subcommand named by args[0] (serve when args start with a flag or are
// empty) and returns the exit code: 0 done, 1 failed, 2 bad usage.
func dispatch(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	word := "serve"
	if len(args) > 0 && (len(args[0]) == 0 || args[0][0] != '-') {
		word, args = args[0], args[1:]
	}
	switch word {
	case "serve":
		return run(ctx, args, stdout, stderr)
	case "catalog":
		return catalog(args, stdout, stderr)
	case "version":
		if len(args) > 0 {
			return refuse(stderr, fmt.Sprintf("version takes no arguments, got %q", args))
		}
		printVersion(stdout)
		return 0
	case "help":
		printUsage(stdout)
		return 0
	}
	msg := fmt.Sprintf("unknown subcommand %q (want serve, catalog, version or help)", word)
	if near := cli.Suggest(word, subcommands); near != "" {
		msg += "; did you mean " + near + "?"
	}
	return refuse(stderr, msg)
}

func printVersion(w io.Writer) { fmt.Fprintln(w, "dx-engine version", cli.Version) }

// refuse reports a usage error on one line and returns exit code 2.
func refuse(stderr io.Writer, msg string) int {
	fmt.Fprintf(stderr, "dx-engine: %s (see dx-engine help)\n", msg)
	return 2
}

// serveOptions are the flags of serve.
type serveOptions struct {
	fs                           *flag.FlagSet
	addr, seed, apiVersion, urlF *string
	speed                        *float64
	version                      *bool
	faults                       faultFlags
	faultRate                    *float64
	faultSeed                    *int64
	faultKinds, faultPath        *string
	dctBasePaths, dctErrorBody   *string
	dctBusyStatus                *int
	dctStrictBookmarks           *bool
	dctMergeHooks                *bool
}

// newServeFlags defines serve's flags; parsing prints nothing, the caller reports errors.
func newServeFlags() *serveOptions {
	fs := flag.NewFlagSet("dx-engine", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	o := &serveOptions{fs: fs,
		addr:          fs.String("addr", "127.0.0.1:0", "address to listen on"),
		seed:          fs.String("seed", "", "YAML seed file (default: the workshop estate)"),
		speed:         fs.Float64("speed", 1, "job duration multiplier (1 = realistic, 0.01 = fast)"),
		apiVersion:    fs.String("api-version", "1.11.9", "highest API version served (1.8.0 to 1.11.x)"),
		urlF:          fs.String("url-file", "", "write the engine URL to this file once listening"),
		version:       fs.Bool("version", false, "print the version and exit"),
		faultRate:     fs.Float64("fault-rate", 0, "do a random fault to this share of API requests (0 to 1)"),
		faultSeed:     fs.Int64("fault-seed", 1, "seed of the random faults (same seed, same requests: same faults)"),
		faultKinds:    fs.String("fault-kinds", "", "comma-separated kinds of random fault (default: all but jobFail):\n"+strings.Join(engine.FaultKinds, ", ")),
		faultPath:     fs.String("fault-path", "", "random faults only on API paths matching this regexp"),
		dctBasePaths:  fs.String("dct-base-paths", "/dct/v3,/v3", "comma-separated base paths the DCT API is served under"),
		dctBusyStatus: fs.Int("dct-busy-status", 409, "DCT status for an operation on a VDB a job runs on or another account locked (e.g. 400)"),
		dctStrictBookmarks: fs.Bool("dct-strict-bookmarks", false, "DCT refresh_from_bookmark takes only the VDB's own or its parent's bookmarks\n"+
			"(default: any bookmark of the VDB's lineage)"),
		dctMergeHooks: fs.Bool("dct-merge-hooks", false, "DCT PATCH /vdbs/{id} adds to each hook list it sends (an element_id replaces one)\n"+
			"(default: it replaces the list)"),
		dctErrorBody: fs.String("dct-error-body", "errors", "shape of DCT error answers: errors {\"errors\":[{\"message\"}]}, message {\"message\"},\n"+
			"oauth {\"error\",\"error_description\"} or text (plain text)"),
	}
	fs.Var(&o.faults, "fault", "a fault for matching requests, repeatable: comma-separated key=value of\n"+
		"kind, method, suffix, regexp, status, retryAfter, delayMs, percent, after, skip, count\n"+
		"(e.g. kind=dropAfter,method=POST,suffix=/refresh: the first POST .../refresh loses its answer)")
	return o
}

// faultFlags are the --fault flags, each an HTTP fault.
type faultFlags []engine.HTTPFault

func (f *faultFlags) String() string { return "" }

// Set parses one --fault value: key=value pairs separated by commas.
func (f *faultFlags) Set(v string) error {
	var h engine.HTTPFault
	for _, kv := range strings.Split(v, ",") {
		k, val, ok := strings.Cut(kv, "=")
		if !ok {
			return fmt.Errorf("--fault %q: want key=value, got %q", v, kv)
		}
		var err error
		switch k {
		case "kind":
			h.Kind = val
		case "method":
			h.Method = val
		case "suffix":
			h.PathSuffix = val
		case "regexp":
			h.PathRegexp = val
		case "status":
			h.Status, err = strconv.Atoi(val)
		case "retryAfter":
			h.RetryAfter, err = strconv.Atoi(val)
		case "delayMs":
			h.Delay, err = strconv.Atoi(val)
		case "percent":
			h.Percent, err = strconv.Atoi(val)
		case "after":
			h.AfterProcessing, err = strconv.ParseBool(val)
		case "skip":
			h.Skip, err = strconv.Atoi(val)
		case "count":
			h.Count, err = strconv.Atoi(val)
		default:
			return fmt.Errorf("--fault %q: unknown key %q", v, k)
		}
		if err != nil {
			return fmt.Errorf("--fault %q: %s: %v", v, k, err)
		}
	}
	*f = append(*f, h)
	return nil
}

// printUsage writes the usage text with serve's flags.
func printUsage(w io.Writer) {
	fmt.Fprint(w, usage)
	printFlags(w, newServeFlags().fs)
}

// printFlags lists a flag set's flags as the steps' help does: two dashes, the usage, the
// default.
func printFlags(w io.Writer, fs *flag.FlagSet) {
	fs.VisitAll(func(f *flag.Flag) {
		kind, text := flag.UnquoteUsage(f)
		fmt.Fprintf(w, "  --%s", f.Name)
		if kind != "" {
			fmt.Fprintf(w, " %s", kind)
		}
		fmt.Fprintf(w, "\n    \t%s", strings.ReplaceAll(text, "\n", "\n    \t"))
		if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "0" {
			fmt.Fprintf(w, " (default %s)", f.DefValue)
		}
		fmt.Fprintln(w)
	})
}

// parseFlags parses args as the steps do: flags with two dashes (or -h), a mistyped one
// answered with the flag meant. It returns a usage problem, or flag.ErrHelp.
func parseFlags(fs *flag.FlagSet, args []string) error {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" || !strings.HasPrefix(a, "-") || a == "-" {
			if a == "--" {
				break
			}
			continue
		}
		name, hasValue := strings.TrimPrefix(a, "--"), strings.Contains(a, "=")
		name, _, _ = strings.Cut(name, "=")
		if !strings.HasPrefix(a, "--") && a != "-h" {
			return fmt.Errorf("flag %s has one dash: flags take two (--%s)", a, strings.TrimLeft(name, "-"))
		}
		if f := fs.Lookup(name); f != nil && !hasValue && !isBoolFlag(f) {
			i++ // its value, which may start with a dash
		}
	}
	err := fs.Parse(args)
	if err == nil || errors.Is(err, flag.ErrHelp) {
		return err
	}
	unknown, ok := strings.CutPrefix(err.Error(), "flag provided but not defined: -")
	if !ok {
		return err
	}
	unknown = strings.TrimLeft(unknown, "-")
	known := []string{"help", "version"}
	fs.VisitAll(func(f *flag.Flag) { known = append(known, f.Name) })
	msg := "unknown flag --" + unknown
	if near := cli.Suggest(unknown, known); near != "" {
		msg += "; did you mean --" + near + "?"
	}
	return errors.New(msg)
}

func isBoolFlag(f *flag.Flag) bool {
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

// dctOptions are the --dct-* flags as engine options, checked.
func (o *serveOptions) dctOptions() (engine.DCTOptions, error) {
	d := engine.DCTOptions{BusyStatus: *o.dctBusyStatus, StrictBookmarks: *o.dctStrictBookmarks,
		MergeHooks: *o.dctMergeHooks, ErrorBody: *o.dctErrorBody}
	for _, p := range strings.Split(*o.dctBasePaths, ",") {
		if p = strings.TrimSpace(p); p != "" {
			d.BasePaths = append(d.BasePaths, p)
		}
	}
	if len(d.BasePaths) == 0 {
		return d, errors.New("--dct-base-paths: give at least one base path, such as /dct/v3")
	}
	if d.ErrorBody == "errors" {
		d.ErrorBody = ""
	}
	if err := d.Validate(); err != nil {
		return d, fmt.Errorf("--dct-*: %w", err)
	}
	return d, nil
}

// run starts the engine and serves until ctx ends; it returns the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	o := newServeFlags()
	if err := parseFlags(o.fs, args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			printUsage(stdout)
			return 0
		}
		return refuse(stderr, err.Error())
	}
	if o.fs.NArg() > 0 {
		return refuse(stderr, fmt.Sprintf("unexpected argument %q", o.fs.Arg(0)))
	}
	if *o.version {
		printVersion(stdout)
		return 0
	}
	dct, err := o.dctOptions()
	if err != nil {
		return refuse(stderr, err.Error())
	}
	opts := engine.Options{Addr: *o.addr, Speed: *o.speed, APIVersion: *o.apiVersion, DCT: dct}
	if *o.seed != "" {
		s, err := engine.LoadSeed(*o.seed)
		if err != nil {
			fmt.Fprintln(stderr, "dx-engine:", err)
			return 2
		}
		opts.Seed = s
	}
	e, err := engine.New(opts)
	if err != nil {
		fmt.Fprintln(stderr, "dx-engine:", err)
		return 1
	}
	defer e.Close()
	for _, f := range o.faults {
		if err := e.InjectHTTPError(f); err != nil {
			fmt.Fprintln(stderr, "dx-engine: --fault:", err)
			return 2
		}
	}
	if *o.faultRate > 0 {
		r := engine.RandomFaults{Rate: *o.faultRate, Seed: *o.faultSeed, PathRegexp: *o.faultPath}
		if *o.faultKinds != "" {
			r.Kinds = strings.Split(*o.faultKinds, ",")
		}
		if err := e.SetRandomFaults(r); err != nil {
			fmt.Fprintln(stderr, "dx-engine:", err)
			return 2
		}
	}
	if *o.urlF != "" {
		if err := os.WriteFile(*o.urlF, []byte(e.URL()+"\n"), 0o644); err != nil {
			fmt.Fprintln(stderr, "dx-engine:", err)
			return 1
		}
	}
	fmt.Fprintf(stderr, "dx-engine: listening on %s (test API %s)\n", e.URL(), e.TestAPIURL())
	printDCT(stderr, e)
	<-ctx.Done()
	fmt.Fprintln(stderr, "dx-engine: stopping")
	return 0
}

// printDCT says where the DCT API is and each account's API key, so that a user can run the
// steps against it by hand: DELPHIX_PLATFORM=dct DELPHIX_ENGINE=URL DELPHIX_API_KEY=KEY.
func printDCT(w io.Writer, e *engine.Engine) {
	fmt.Fprintf(w, "dx-engine: Data Control Tower API at %s (steps: --platform dct --engine %s)\n", e.DCTURL(), e.URL())
	for _, a := range e.DCTAccounts() {
		role := ""
		if a.Admin {
			role = " (admin)"
		}
		fmt.Fprintf(w, "dx-engine: DCT API key of %s%s: %s\n", a.Name, role, a.Key)
	}
}
