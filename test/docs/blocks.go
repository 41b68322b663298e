// Package docs runs the examples of README.md and docs/*.md against the local engine, and checks
// the pages' links and contents lists, so that what a reader copies works as written.
//
// Every ```sh, ```bash, ```console and ```groovy block carries a marker on the line just before
// its fence, which says how it is tested (a block without one fails the test):
//
//	<!-- example: engine dct -->            run on each platform named, against a fresh local engine
//	<!-- example: engine continues -->      run after the block before it, in the same shell
//	<!-- example: engine dct own-engine --> the block starts its own engine: nothing is started for it
//	<!-- example: engine fails -->          the block must fail (a refusal the page shows)
//	<!-- example: serves -->                each line starts a server: it must come up, then is stopped
//	<!-- example: user-tool -->             needs the reader's own tool: syntax checked only
//	<!-- example: fragment -->              part of a larger file: syntax checked only
//	<!-- example: not-run: REASON -->       cannot be run here, for the reason given
//
// Blocks run with the environment of the README's tour: bin/ on PATH, DELPHIX_ENGINE the local
// engine's URL, and the platform's credentials (the admin's). 127.0.0.1:8080 in a block stands for
// that engine's address (for an own-engine or serves block, a free port).
package docs

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

// block is one fenced example.
type block struct {
	file      string // path from the repository root
	line      int    // the fence's line, from 1
	lang      string
	text      string
	marker    string   // the marker's text after "example:"
	platforms []string // engine, dct
	continues bool
	ownEngine bool
	fails     bool
	serves    bool
	syntax    bool   // user-tool or fragment: checked, not run
	notRun    string // the reason, for not-run
}

func (b block) String() string { return fmt.Sprintf("%s:%d", b.file, b.line) }

// exampleLangs are the fence languages whose blocks are examples.
var exampleLangs = []string{"sh", "bash", "console", "groovy", "jenkinsfile"}

var (
	fenceOpen  = regexp.MustCompile("^\\s*```(\\w*)\\s*$")
	fenceClose = regexp.MustCompile("^\\s*```\\s*$")
	markerLine = regexp.MustCompile(`^\s*<!-- example: (.*) -->\s*$`)
)

// readBlocks returns the example blocks of one Markdown file, in order.
func readBlocks(root, file string) ([]block, error) {
	f, err := os.Open(filepath.Join(root, file))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var blocks []block
	var prev string
	var cur *block
	var body []string
	indent := ""
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if cur != nil {
			if fenceClose.MatchString(line) {
				cur.text = strings.Join(body, "\n") + "\n"
				if slices.Contains(exampleLangs, cur.lang) {
					blocks = append(blocks, *cur)
				}
				cur, body = nil, nil
			} else {
				body = append(body, strings.TrimPrefix(line, indent))
			}
			continue
		}
		if m := fenceOpen.FindStringSubmatch(line); m != nil {
			cur = &block{file: file, line: n, lang: m[1]}
			indent = line[:len(line)-len(strings.TrimLeft(line, " "))]
			if mm := markerLine.FindStringSubmatch(prev); mm != nil {
				cur.marker = mm[1]
				if err := cur.parseMarker(); err != nil {
					return nil, fmt.Errorf("%s: %w", cur, err)
				}
			}
		}
		prev = line
	}
	return blocks, sc.Err()
}

// parseMarker reads b.marker.
func (b *block) parseMarker() error {
	if reason, ok := strings.CutPrefix(b.marker, "not-run:"); ok {
		if b.notRun = strings.TrimSpace(reason); b.notRun == "" {
			return fmt.Errorf("not-run needs a reason")
		}
		return nil
	}
	for _, w := range strings.Fields(b.marker) {
		switch w {
		case "engine", "dct":
			b.platforms = append(b.platforms, w)
		case "continues":
			b.continues = true
		case "own-engine":
			b.ownEngine = true
		case "fails":
			b.fails = true
		case "serves":
			b.serves = true
		case "user-tool", "fragment":
			b.syntax = true
		default:
			return fmt.Errorf("example marker %q: unknown word %q", b.marker, w)
		}
	}
	switch {
	case b.syntax && (len(b.platforms) > 0 || b.continues):
		return fmt.Errorf("example marker %q: a syntax-checked block runs on no platform", b.marker)
	case !b.syntax && !b.serves && len(b.platforms) == 0:
		return fmt.Errorf("example marker %q names no platform (engine, dct), nor user-tool, fragment, serves or not-run", b.marker)
	case b.isGroovy() && !b.syntax && (b.continues || b.fails || b.ownEngine):
		return fmt.Errorf("example marker %q: a Jenkinsfile runs alone, through the local runner", b.marker)
	}
	return nil
}

func (b block) isGroovy() bool { return b.lang == "groovy" || b.lang == "jenkinsfile" }

// command is one "$ ..." command of a console block and the output shown after it.
type command struct{ cmd, output string }

// commands splits a console block into its commands (a line ending in \ goes on) and outputs.
func (b block) commands() []command {
	var cmds []command
	more := false
	for _, line := range strings.Split(strings.TrimRight(b.text, "\n"), "\n") {
		switch c, ok := strings.CutPrefix(line, "$ "); {
		case more:
			cmds[len(cmds)-1].cmd += "\n" + line
		case ok:
			cmds = append(cmds, command{cmd: c})
		case len(cmds) > 0:
			cmds[len(cmds)-1].output += line + "\n"
		}
		more = strings.HasSuffix(line, `\`)
	}
	return cmds
}

// shell is the block as shell text: a console block's commands, each one's stdout kept in
// out/N.json (N counting from start) and shown.
func (b block) shell(start int) string {
	if b.lang != "console" {
		return b.text
	}
	var s strings.Builder
	for i, c := range b.commands() {
		fmt.Fprintf(&s, "%s >\"$DXSTEPS_EXAMPLE_OUT/%d.json\"\ncat \"$DXSTEPS_EXAMPLE_OUT/%d.json\"\n", c.cmd, start+i, start+i)
	}
	return s.String()
}

// group is a block and the blocks that continue it: one shell session per platform.
type group struct{ blocks []block }

func (g group) first() block { return g.blocks[0] }

// platforms are those of any of its blocks, in the order engine, dct.
func (g group) platforms() []string {
	var ps []string
	for _, p := range []string{"engine", "dct"} {
		for _, b := range g.blocks {
			if slices.Contains(b.platforms, p) && !slices.Contains(ps, p) {
				ps = append(ps, p)
			}
		}
	}
	return ps
}

// groups gathers the blocks that run into groups; blocks that only parse, serve or do not run
// are returned apart.
func groups(blocks []block) (runs []group, others []block, err error) {
	for _, b := range blocks {
		switch {
		case b.marker == "":
			return nil, nil, fmt.Errorf("%s: a ```%s block without an <!-- example: ... --> marker on the line before its fence (see test/docs/blocks.go)", b, b.lang)
		case b.notRun != "" || b.syntax || b.serves:
			others = append(others, b)
		case b.continues:
			if len(runs) == 0 || runs[len(runs)-1].first().file != b.file {
				return nil, nil, fmt.Errorf("%s: continues, but no block before it on this page runs", b)
			}
			runs[len(runs)-1].blocks = append(runs[len(runs)-1].blocks, b)
		default:
			runs = append(runs, group{blocks: []block{b}})
		}
	}
	return runs, others, nil
}
