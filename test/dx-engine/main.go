// Command dx-engine runs the local Delphix engine (package test/engine) until SIGINT or
// SIGTERM: dx-engine [--addr 127.0.0.1:8080] [--seed FILE] [--speed 0.1] [--api-version 1.11.9]
// [--url-file PATH]. It prints the engine's URL on stderr and, with --url-file, writes it there.
// dx-engine catalog [--engine URL] prints a running engine's bookmarks and what their data holds.
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

	"github.com/dxsteps/dxsteps/test/engine"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if len(os.Args) > 1 && os.Args[1] == "catalog" {
		os.Exit(catalog(os.Args[2:], os.Stdout, os.Stderr))
	}
	os.Exit(run(ctx, os.Args[1:], os.Stderr))
}

// run starts the engine and serves until ctx ends; it returns the exit code.
func run(ctx context.Context, args []string, stderr io.Writer) int {
	fs := flag.NewFlagSet("dx-engine", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:0", "address to listen on")
	seed := fs.String("seed", "", "YAML seed file (default: the workshop estate)")
	speed := fs.Float64("speed", 1, "job duration multiplier (1 = realistic, 0.01 = fast)")
	apiVersion := fs.String("api-version", "1.11.9", "highest API version served (1.8.0 to 1.11.x)")
	urlFile := fs.String("url-file", "", "write the engine URL to this file once listening")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	opts := engine.Options{Addr: *addr, Speed: *speed, APIVersion: *apiVersion}
	if *seed != "" {
		s, err := engine.LoadSeed(*seed)
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
	if *urlFile != "" {
		if err := os.WriteFile(*urlFile, []byte(e.URL()+"\n"), 0o644); err != nil {
			fmt.Fprintln(stderr, "dx-engine:", err)
			return 1
		}
	}
	fmt.Fprintf(stderr, "dx-engine: listening on %s (test API %s)\n", e.URL(), e.TestAPIURL())
	<-ctx.Done()
	fmt.Fprintln(stderr, "dx-engine: stopping")
	return 0
}
