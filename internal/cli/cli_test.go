package cli

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var (
	testName = &Key{Flag: "name", Type: String, NeededBy: []string{"make"}, Usage: "`NAME`"}
	testTag  = &Key{Flag: "tag", Name: "tags", Type: List, Only: []string{"make"}, Usage: "`TAG`"}
)

// testStep stops before the engine: its Parse reports what it was given.
var testStep = &Step{Name: "dx-test", Operations: []string{"make", "list"}, Keys: []*Key{testName, testTag},
	Parse: func(in *Input) (Runner, error) {
		return nil, Usagef("parsed %s name=%q tags=%q", in.Op, in.String(testName), in.List(testTag))
	}}

func runTest(environ []string, args ...string) (int, string) {
	var out, errs bytes.Buffer
	code := Run(context.Background(), testStep, append([]string{"dx-test"}, args...), &out, &errs, environ)
	return code, errs.String()
}

func TestTheEnvironmentIsTheInjectedOneNeverTheProcesss(t *testing.T) {
	t.Setenv("DXSTEPS_TEST_NAME", "from the process")
	_, stderr := runTest(nil, "list")
	assert.Contains(t, stderr, `parsed list name="" tags=[]`)
	_, stderr = runTest([]string{"DXSTEPS_TEST_NAME=injected", "DXSTEPS_TEST_TAG=a,b"})
	assert.Contains(t, stderr, `parsed make name="injected" tags=["a" "b"]`)
	_, stderr = runTest([]string{"DXSTEPS_TEST_NAME=injected"}, "--name", "flag")
	assert.Contains(t, stderr, `name="flag"`, "a flag beats the environment")
}

func TestRulesNameFlagsOrKeys(t *testing.T) {
	code, stderr := runTest(nil, "make")
	assert.Equal(t, ExitUsage, code)
	assert.Equal(t, "dx-test: error: make needs --name (see --help)\n", stderr)
	_, stderr = runTest([]string{CallerEnv + "=jenkins"}, "list", "--tag", "x")
	assert.Equal(t, "dx-test: error: key 'tags' goes with make only\n", stderr)
}

func TestRuleTextsInTheContract(t *testing.T) {
	a := &Key{Flag: "a", Type: String}
	b := &Key{Flag: "b-c", Type: Bool}
	s := &Step{Name: "dx-x", Operations: []string{"p", "q"}, Keys: []*Key{a, b},
		Rules: []Rule{OneOf([]string{"p", "q"}, a, b), ExactlyOne(a, b), Needs(b, a)}}
	var texts, keyTexts []string
	for _, r := range s.Contract().Rules {
		texts, keyTexts = append(texts, r.Text), append(keyTexts, r.KeyText)
	}
	assert.Equal(t, []string{"p and q need --a or --b-c", "give exactly one of --a and --b-c", "--b-c needs --a"}, texts)
	assert.Equal(t, []string{"p and q need a or bC", "give exactly one of a and bC", "bC needs a"}, keyTexts)
}

func TestSuggestOnlyWhatIsClose(t *testing.T) {
	assert.Equal(t, "database", suggest("databse", []string{"database", "engine"}))
	assert.Equal(t, "list", suggest("lsit", []string{"create", "list"}))
	assert.Equal(t, "", suggest("password", []string{"password-file", "engine"}))
	assert.Equal(t, "", suggest("zzz", []string{"create", "list"}))
}

func TestExitCodesListEveryCodeClassifyReturns(t *testing.T) {
	listed := map[int]string{}
	for _, e := range ExitCodes {
		listed[e.Code] = e.Category
	}
	for _, err := range []error{Usagef("x"), &CheckError{}, &AbortError{}, &DeadlineError{}, errors.New("x")} {
		code, category := classify(err)
		assert.Equal(t, category, listed[code], "%T", err)
	}
}

func TestAVariableMeantForTheStepThatNoKeyReadsIsRefused(t *testing.T) {
	for env, want := range map[string]string{
		"DXSTEPS_TEST_NAEM=x":  "unknown variable DXSTEPS_TEST_NAEM: dx-test reads no such variable; did you mean DXSTEPS_TEST_NAME?",
		"DXSTEP_TEST_NAME=x":   "unknown variable DXSTEP_TEST_NAME: dx-test reads no such variable; did you mean DXSTEPS_TEST_NAME?",
		"DXSTEPS_TEST_name=x":  "did you mean DXSTEPS_TEST_NAME?",
		"DXSTEPS_TEST_TOOL=x":  "unknown variable DXSTEPS_TEST_TOOL: dx-test reads no such variable (its own are DXSTEPS_TEST_<FLAG>, see --help)",
		"DXSTEPS_CALLEr=x":     "did you mean DXSTEPS_CALLER?",
		"DELPHIX_NAME=y":       "DELPHIX_NAME is set, but --name reads DXSTEPS_TEST_NAME: set that, or unset DELPHIX_NAME",
		"DXSTEPS_TEST_TAGS=a,": "did you mean DXSTEPS_TEST_TAG?",
	} {
		code, stderr := runTest([]string{env}, "list")
		assert.Equal(t, ExitUsage, code, env)
		assert.Contains(t, stderr, want, env)
		assert.NotContains(t, stderr, "parsed", env)
	}
	code, stderr := runTest([]string{"DXSTEPS_TEST_NAEM=x", "DXSTEPS_TEST_TOOL=y"}, "list")
	assert.Equal(t, ExitUsage, code)
	assert.Contains(t, stderr, "(and 1 more such variable)")
}

func TestOtherVariablesAreLeftAloneOrOnlyWarnedAbout(t *testing.T) {
	code, stderr := runTest([]string{"DELPHIX_ENGNE=z", "DELPHIX_SOMETHING=x", "DXSTEPS_OTHER_NAME=x", "DXSTEPS_HOME=/opt", "DXSTEPS_KEEP_OUTPUT=true", APIVersionsEnv + "=.dxsteps/7/api-versions"}, "list")
	assert.Equal(t, ExitUsage, code)
	assert.Contains(t, stderr, `parsed list`, "the step runs")
	assert.Contains(t, stderr, "warning: DELPHIX_ENGNE is set but no flag reads it; did you mean DELPHIX_ENGINE?")
	assert.Contains(t, stderr, "warning: DELPHIX_SOMETHING is set but no flag reads it (a typo?)")
	assert.NotContains(t, stderr, "DXSTEPS_", "another step's variables and the library's are not this step's business")
}

func TestAnUnknownConfigKeyIsRefusedWithTheOneMeant(t *testing.T) {
	dir := t.TempDir()
	for body, want := range map[string]string{
		"nmae: x\n":           `unknown key "nmae"; did you mean "name"?`,
		"tags: [a]\n":         `unknown key "tags"; did you mean "tag"?`,
		"zzzzzzzzzz: x\n":     `unknown key "zzzzzzzzzz": its keys are the flag names of --help`,
		"config: other.yml\n": `unknown key "config"`,
	} {
		path := filepath.Join(dir, "c.yml")
		require.NoError(t, os.WriteFile(path, []byte(body), 0o600))
		code, stderr := runTest(nil, "list", "--config", path)
		assert.Equal(t, ExitUsage, code, body)
		assert.Contains(t, stderr, "error: --config "+path+": line 1: "+want, body)
	}
}

func TestEmptyValuesAreNothingAndSayWhereTheyCameFrom(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.yml")
	require.NoError(t, os.WriteFile(path, []byte("name:\ntag: ['', ' ']\n"), 0o600))
	var got map[string]string
	probe := &Step{Name: "dx-test", Operations: []string{"make", "list"}, Keys: []*Key{testName, testTag},
		Parse: func(in *Input) (Runner, error) {
			got = map[string]string{}
			for _, k := range []*Key{testName, testTag} {
				if from, ok := in.Empty(k); ok {
					got[k.Flag] = from
				}
			}
			return nil, Usagef("parsed")
		}}
	run := func(environ []string, args ...string) {
		var out, errs bytes.Buffer
		Run(context.Background(), probe, append([]string{"dx-test"}, args...), &out, &errs, environ)
	}
	run(nil, "list", "--config", path)
	assert.Equal(t, map[string]string{"name": "--config " + path + " key name", "tag": "--config " + path + " key tag"}, got)
	run([]string{"DXSTEPS_TEST_NAME= ", "DXSTEPS_TEST_TAG=,"}, "list")
	assert.Equal(t, map[string]string{"name": "DXSTEPS_TEST_NAME", "tag": "--tag"}, got)
	run(nil, "list", "--name", "", "--tag", "")
	assert.Equal(t, map[string]string{"name": "--name", "tag": "--tag"}, got)
	run(nil, "make", "--name", "x", "--tag", "a,")
	assert.Equal(t, map[string]string{"tag": "--tag"}, got, "a blank item counts")
	run(nil, "make", "--name", "x", "--tag", "a,b")
	assert.Empty(t, got)
}

func TestABadValueInTheEnvironmentNamesTheVariable(t *testing.T) {
	code, stderr := runTest([]string{"DELPHIX_TIMEOUT=soon"}, "list")
	assert.Equal(t, ExitUsage, code)
	assert.Contains(t, stderr, `error: DELPHIX_TIMEOUT="soon" (for --timeout) is not a duration: give a number with a unit`)
}

func TestEachOperationHasItsOwnHelpWithTheKeysItTakes(t *testing.T) {
	run := func(args ...string) (int, string, string) {
		var out, errs bytes.Buffer
		code := Run(context.Background(), testStep, append([]string{"dx-test"}, args...), &out, &errs, nil)
		return code, out.String(), errs.String()
	}
	code, out, errs := run("make", "--help")
	assert.Equal(t, ExitOK, code, errs)
	assert.Contains(t, out, "dx-test make [flags]")
	assert.Contains(t, out, "--name NAME")
	assert.Contains(t, out, "(required) [$DXSTEPS_TEST_NAME]")
	assert.Contains(t, out, "--tag TAG")
	code, out, _ = run("list", "--help")
	assert.Equal(t, ExitOK, code)
	assert.Contains(t, out, "--name NAME")
	assert.NotContains(t, out, "--tag", "list takes no --tag: its help does not show it")
	code, out, _ = run("--help")
	assert.Equal(t, ExitOK, code)
	assert.Contains(t, out, "make")
	assert.Contains(t, out, "--tag TAG", "the step's own help lists every key")
	code, out, _ = run("list", "--version")
	assert.Equal(t, ExitOK, code)
	assert.Equal(t, "dx-test version dev\n", out)
}

func TestTheOperationMayBeLeftOutOrComeFirstOrLast(t *testing.T) {
	for _, args := range [][]string{
		{"--name", "x"},
		{"make", "--name", "x"},
		{"--name", "x", "make"},
	} {
		_, stderr := runTest(nil, args...)
		assert.Contains(t, stderr, `parsed make name="x"`, args)
	}
	_, stderr := runTest(nil, "--name", "x", "list")
	assert.Contains(t, stderr, `parsed list name="x"`)
	code, stderr := runTest(nil, "--name", "x", "list", "--tag", "y")
	assert.Equal(t, ExitUsage, code)
	assert.Contains(t, stderr, "error: operation list comes first or last, not between flags: dx-test list [flags]")
	code, stderr = runTest(nil, "lsit", "--name", "x")
	assert.Equal(t, ExitUsage, code)
	assert.Contains(t, stderr, `error: unknown operation "lsit": the operations of dx-test are make and list; did you mean list?`)
	code, stderr = runTest(nil, "list", "--nmae", "x")
	assert.Equal(t, ExitUsage, code)
	assert.Contains(t, stderr, "error: unknown flag --nmae; did you mean --name?")
}
