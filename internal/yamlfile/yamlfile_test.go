package yamlfile

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"
)

type job struct {
	Name    string        `yaml:"name"`
	Retries int           `yaml:"retries"`
	Wait    time.Duration `yaml:"wait"`
	Tags    []string      `yaml:"tags"`
	Steps   []step        `yaml:"steps"`
}

type step struct {
	Run  string `yaml:"run"`
	Safe bool   `yaml:"safe"`
}

func TestAGoodFileDecodes(t *testing.T) {
	var j job
	require.NoError(t, Decode("job.yml", []byte("name: a\nretries: 2\nwait: 5m\ntags: [x]\nsteps:\n  - {run: ls, safe: true}\n"), &j, nil))
	assert.Equal(t, job{Name: "a", Retries: 2, Wait: 5 * time.Minute, Tags: []string{"x"}, Steps: []step{{Run: "ls", Safe: true}}}, j)
}

func TestEveryProblemNamesTheFileTheLineAndTheKeyAndNoGoType(t *testing.T) {
	for body, want := range map[string]string{
		"nmae: a\n":                     `job.yml: line 1: unknown key "nmae"; did you mean "name"?`,
		"name: a\nzzzzzz: b\n":          `job.yml: line 2: unknown key "zzzzzz"; the keys are name, retries, wait, tags, steps`,
		"steps:\n  - {rnu: ls}\n":       `job.yml: line 2: unknown key "rnu" in step 1; did you mean "run"?`,
		"wait: 5\n":                     `job.yml: line 1: key "wait": 5 has no unit: write 5s, 5m or 5h`,
		"wait: soon\n":                  `job.yml: line 1: key "wait": "soon" is not a duration`,
		"retries: two\n":                `job.yml: line 1: key "retries": "two" is not a whole number`,
		"steps:\n  - {safe: maybe}\n":   `job.yml: line 2: key "safe" in step 1: "maybe" is not true or false`,
		"tags: x\n":                     `job.yml: line 1: key "tags" takes a list, not "x"`,
		"name: [a]\n":                   `job.yml: line 1: key "name" takes one value, not a list`,
		"steps: [ls]\n":                 `job.yml: line 1: step 1 takes a map of keys (run, safe), not "ls"`,
		"name: a\nname: b\n":            `job.yml: line 2: key "name" is given twice (first on line 1)`,
		"- a\n":                         `job.yml: line 1: the file takes a map of keys (name, retries, wait, tags, steps), not a list`,
		"":                              ``, // nothing to set
		"# only a comment\n":            ``,
		"name: [\n":                     `job.yml: line 1: did not find expected node content`,
		"steps:\n\t- {run: ls}\n":       `YAML indents with spaces, not tabs`,
		"name: a\n---\nname: [b]\n":     ``, // only the first document is read
		"x: &a {run: 1}\nsteps: [*a]\n": `unknown key "x"`,
	} {
		var j job
		err := Decode("job.yml", []byte(body), &j, nil)
		if want == "" {
			assert.NoError(t, err, body)
			continue
		}
		var e *Error
		if assert.True(t, errors.As(err, &e), "%q: %v", body, err) {
			assert.Contains(t, e.Error(), want, body)
			assert.NotContains(t, e.Error(), "yamlfile.", body)
			assert.NotContains(t, e.Error(), "\n", body)
		}
	}
}

func TestAMapTakesTheKeysItIsGiven(t *testing.T) {
	keys := &Keys{Names: []string{"engine", "timeout"}, Hint: ": its keys are the flags"}
	var m map[string]yaml.Node
	require.NoError(t, Decode("c.yml", []byte("engine: x\ntimeout: [1]\n"), &m, keys))
	assert.Equal(t, 2, m["timeout"].Line)
	err := Decode("c.yml", []byte("engine: x\nengien: y\n"), &m, keys)
	assert.EqualError(t, err, `c.yml: line 2: unknown key "engien"; did you mean "engine"?`)
	err = Decode("c.yml", []byte("zzzzzzzz: y\n"), &m, keys)
	assert.EqualError(t, err, `c.yml: line 1: unknown key "zzzzzzzz": its keys are the flags`)
	assert.True(t, strings.HasPrefix(Decode("c.yml", []byte("engine: a\nengine: b\n"), &m, keys).Error(), "c.yml: line 2: key \"engine\" is given twice"))
}
