package cli

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/dxsteps/dxsteps/internal/httpapi"
	ucli "github.com/urfave/cli/v2"
)

// flagProblem rewords urfave's parse errors and, for a mistyped flag,
// names the flag meant: "unknown flag --databse; did you mean --database?".
// ref names a flag as the error line does: --flag, or the Jenkins key.
func flagProblem(err error, flags []ucli.Flag, ref func(flag string) string) string {
	msg := err.Error()
	m := invalidValue.FindStringSubmatch(msg)
	if m == nil {
		m = invalidBool.FindStringSubmatch(msg)
	}
	if m != nil {
		for _, f := range flags {
			if f.Names()[0] == m[2] {
				if what := valueProblem(f, m[1]); what != "" {
					return fmt.Sprintf("%s %q %s", ref(m[2]), m[1], what)
				}
			}
		}
	}
	name, ok := strings.CutPrefix(msg, "flag provided but not defined: -")
	if !ok {
		return msg
	}
	name = strings.TrimLeft(name, "-")
	var known []string
	for _, f := range flags {
		known = append(known, f.Names()...)
	}
	known = append(known, "help", "version")
	msg = "unknown flag --" + name
	if s := suggest(name, known); s != "" {
		msg += "; did you mean --" + s + "?"
	}
	return msg
}

// invalidValue and invalidBool are the flag package's refusals of a value
// (value, flag name), which end in Go's own words ("parse error").
var (
	invalidValue = regexp.MustCompile(`^invalid value "(.*)" for flag -([a-z0-9-]+): `)
	invalidBool  = regexp.MustCompile(`^invalid boolean value "(.*)" for -([a-z0-9-]+): `)
)

// valueProblem says what is wrong with value v refused by f and what to
// give instead, as a predicate ("is not a whole number"); "" for a string
// flag, which takes any value.
func valueProblem(f ucli.Flag, v string) string {
	switch f.(type) {
	case *ucli.DurationFlag:
		if n := strings.TrimSpace(v); n != "" {
			if _, err := strconv.ParseFloat(n, 64); err == nil {
				return fmt.Sprintf("has no unit: write %[1]ss, %[1]sm or %[1]sh", n)
			}
		}
		return "is not a duration: give a number with a unit, e.g. 90s, 5m or 2h"
	case *ucli.IntFlag:
		return "is not a whole number"
	case *ucli.BoolFlag:
		return "is not true or false"
	}
	return ""
}

// wordProblem says what is wrong with a word on the command line that is
// not a flag.
func wordProblem(step *Step, word string, named bool) error {
	if len(step.Operations) == 0 {
		msg := fmt.Sprintf("unexpected argument %q: %s takes no operation, only flags", word, step.Name)
		if s := suggest(word, []string{"help", "version", contractFlag}); s != "" {
			msg += "; did you mean --" + s + "?"
		}
		return Usagef("%s", msg)
	}
	if named {
		return Usagef("unexpected argument %q after the operation: give one operation, then flags", word)
	}
	msg := fmt.Sprintf("unknown operation %q: the operations of %s are %s", word, step.Name, joinWords(step.Operations, "and"))
	if s := suggest(word, step.Operations); s != "" {
		msg += "; did you mean " + s + "?"
	} else if s := suggest(word, []string{"help", "version", contractFlag}); s != "" {
		msg += "; for the " + s + ", use --" + s
	}
	return Usagef("%s", msg)
}

// Suggest returns the candidate closest to word when it is close enough to
// be a typo of it, else "": the did-you-mean of every refused name. It is
// httpapi.Suggest, so that every suggestion dxsteps makes, of a flag or of
// an engine object, measures nearness the same way.
func Suggest(word string, candidates []string) string { return httpapi.Suggest(word, candidates) }

func suggest(word string, candidates []string) string { return httpapi.Suggest(word, candidates) }

// suggestWithin returns the candidate closest to word, at most max edits away.
func suggestWithin(word string, candidates []string, max int) string {
	return httpapi.Nearest(word, candidates, max)
}
