package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dxsteps/dxsteps/test/testbin"

	"github.com/dxsteps/dxsteps/internal/cli"
	"github.com/dxsteps/dxsteps/internal/steps"
	"github.com/dxsteps/dxsteps/test/engine/enginetest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// binaries names, for each step binary, the flag that names the object it
// acts on and the other arguments a valid call needs.
var binaries = []struct {
	bin, nameFlag string
	args          []string
}{
	{"dx-sync", "database", nil},
	{"dx-refresh", "vdb", nil},
	{"dx-credentials", "vdb", []string{"--exec", "true"}}, // --policy is added by the test
	{"dx-datapod", "container", nil},
	{"dx-subset", "container", []string{"--percent", "10", "--simulate"}},
	{"dx-bookmark", "container", []string{"--name", "x"}},
	{"dx-branch", "container", []string{"list"}},
}

// TestEveryBinaryReadsItsFlagsFromFlagsEnvironmentAndConfig proves the
// layering on each binary: the object's name comes from the config file,
// the environment beats it, and the flag beats both. A name that matches
// nothing exits 2 and names what it looked for.
func TestEveryBinaryReadsItsFlagsFromFlagsEnvironmentAndConfig(t *testing.T) {
	e := enginetest.Start(t)
	dir := t.TempDir()
	policy := writePolicy(t, "accounts:\n  - {name: dba_alice, action: drop}\n")
	for _, b := range binaries {
		t.Run(b.bin, func(t *testing.T) {
			cfg := filepath.Join(dir, b.bin+".yaml")
			require.NoError(t, os.WriteFile(cfg, []byte(fmt.Sprintf("%s: from-config\n", b.nameFlag)), 0o644))
			args := []string{"--config", cfg}
			if b.bin == "dx-credentials" {
				args = append(args, "--policy", policy)
			}
			envName := "DXSTEPS_" + strings.ToUpper(strings.TrimPrefix(b.bin, "dx-")) + "_" + strings.ToUpper(b.nameFlag)
			for _, tc := range []struct {
				env  []string
				flag []string
				want string
			}{
				{nil, nil, "from-config"},
				{[]string{envName + "=from-env"}, nil, "from-env"},
				{[]string{envName + "=from-env"}, []string{"--" + b.nameFlag, "from-flag"}, "from-flag"},
			} {
				r := step{t: t, e: e, bin: b.bin, env: tc.env, args: append(append(append([]string{}, args...), tc.flag...), b.args...)}.run()
				assert.Equal(t, 2, r.code, r.stderr)
				assert.Contains(t, r.stderr, fmt.Sprintf("%q", tc.want))
				assert.Empty(t, r.stdout)
			}
		})
	}
}

// TestEveryBinaryExits3OnAWrongPassword and writes the error file.
func TestEveryBinaryExits3OnAWrongPassword(t *testing.T) {
	e := enginetest.Start(t)
	policy := writePolicy(t, "accounts:\n  - {name: dba_alice, action: drop}\n")
	for _, b := range binaries {
		t.Run(b.bin, func(t *testing.T) {
			ef := filepath.Join(t.TempDir(), "err.json")
			args := []string{"--" + b.nameFlag, "anything", "--error-file", ef}
			if b.bin == "dx-credentials" {
				args = append(args, "--policy", policy)
			}
			args = append(args, b.args...)
			r := step{t: t, e: e, bin: b.bin, env: []string{"DELPHIX_PASSWORD=wrong-pw"}, args: args}.run()
			assert.Equal(t, 3, r.code, r.stderr)
			assert.Equal(t, "auth", errorFile(t, ef)["category"])
			assert.NotContains(t, r.stderr, "wrong-pw")
		})
	}
}

// TestEveryBinaryPrintsTheContractOfItsDefinitions: what --contract
// prints is what the Go definitions say, and it names every key's flag and
// environment variable as --help does.
func TestEveryBinaryPrintsTheContractOfItsDefinitions(t *testing.T) {
	for _, s := range steps.All {
		t.Run(s.Name, func(t *testing.T) {
			r := run(t, nil, s.Name, "--contract")
			require.Equal(t, 0, r.code, r.stderr)
			c := s.Contract()
			c.Version = testbin.Version() // the binaries are built with the library's version
			want, err := json.Marshal(c)
			require.NoError(t, err)
			assert.JSONEq(t, string(want), r.stdout)
			var got cli.Contract
			require.NoError(t, json.Unmarshal([]byte(r.stdout), &got))
			assert.Equal(t, s.Name, got.Name)
			help := run(t, nil, s.Name, "--help")
			for _, k := range append(got.Keys, got.Connection...) {
				assert.Contains(t, help.stdout, k.Flag+" ")
				assert.Contains(t, help.stdout, "[$"+k.Env+"]")
			}
		})
	}
}
