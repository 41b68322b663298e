package cli

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
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

func TestOnlyANearMissOfAStepVariableIsReported(t *testing.T) {
	_, stderr := runTest([]string{"DXSTEPS_TEST_NAEM=x", "DXSTEPS_TEST_TOOL=mine", "DELPHIX_NAME=y", "DELPHIX_ENGNE=z"}, "list")
	assert.Contains(t, stderr, "warning: DXSTEPS_TEST_NAEM is set but no flag reads it; did you mean DXSTEPS_TEST_NAME?")
	assert.NotContains(t, stderr, "DXSTEPS_TEST_TOOL", "a variable of the user's own is left alone")
	assert.Contains(t, stderr, "warning: DELPHIX_NAME is set but --name reads DXSTEPS_TEST_NAME; ignored")
	assert.Contains(t, stderr, "warning: DELPHIX_ENGNE is set but no flag reads it (a typo?)")
}

func TestABadValueInTheEnvironmentNamesTheVariable(t *testing.T) {
	code, stderr := runTest([]string{"DELPHIX_TIMEOUT=soon"}, "list")
	assert.Equal(t, ExitUsage, code)
	assert.Contains(t, stderr, `error: DELPHIX_TIMEOUT="soon" is not a valid duration for --timeout`)
}
