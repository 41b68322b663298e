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
	"syscall"

	"github.com/dxsteps/dxsteps/internal/cli"
	"github.com/dxsteps/dxsteps/test/engine"
)

const usage = `dx-engine runs a local Delphix engine (classic API 1.8 to 1.11) for tests and demos.

Usage:
  dx-engine [serve] [flags]      run the engine until SIGINT or SIGTERM (the default subcommand)
  dx-engine catalog [--engine URL]
                                 print a running engine's bookmarks and what their data holds
  dx-engine version              print the version (also --version)
  dx-engine help                 print this text (also --help)

Flags of serve:
`

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
	return refuse(stderr, fmt.Sprintf("unknown subcommand %q (want serve, catalog, version or help)", word))
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
}

// newServeFlags defines serve's flags; parsing prints nothing, the caller reports errors.
func newServeFlags() *serveOptions {
	fs := flag.NewFlagSet("dx-engine", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return &serveOptions{fs: fs,
		addr:       fs.String("addr", "127.0.0.1:0", "address to listen on"),
		seed:       fs.String("seed", "", "YAML seed file (default: the workshop estate)"),
		speed:      fs.Float64("speed", 1, "job duration multiplier (1 = realistic, 0.01 = fast)"),
		apiVersion: fs.String("api-version", "1.11.9", "highest API version served (1.8.0 to 1.11.x)"),
		urlF:       fs.String("url-file", "", "write the engine URL to this file once listening"),
		version:    fs.Bool("version", false, "print the version and exit"),
	}
}

// printUsage writes the usage text with serve's flags.
func printUsage(w io.Writer) {
	fmt.Fprint(w, usage)
	o := newServeFlags()
	o.fs.SetOutput(w)
	o.fs.PrintDefaults()
}

// run starts the engine and serves until ctx ends; it returns the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	o := newServeFlags()
	if err := o.fs.Parse(args); err != nil {
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
	opts := engine.Options{Addr: *o.addr, Speed: *o.speed, APIVersion: *o.apiVersion}
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
	if *o.urlF != "" {
		if err := os.WriteFile(*o.urlF, []byte(e.URL()+"\n"), 0o644); err != nil {
			fmt.Fprintln(stderr, "dx-engine:", err)
			return 1
		}
	}
	fmt.Fprintf(stderr, "dx-engine: listening on %s (test API %s)\n", e.URL(), e.TestAPIURL())
	<-ctx.Done()
	fmt.Fprintln(stderr, "dx-engine: stopping")
	return 0
}
