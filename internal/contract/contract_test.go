package contract

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/dxsteps/dxsteps/internal/cli"
	"github.com/dxsteps/dxsteps/internal/steps"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCommittedFilesAreWhatTheContractsGenerate fails when a generated
// file was edited by hand or a Go definition changed without make contract.
func TestCommittedFilesAreWhatTheContractsGenerate(t *testing.T) {
	files, err := Generate(filepath.Join("..", ".."))
	require.NoError(t, err)
	for _, f := range files {
		have, err := os.ReadFile(filepath.Join("..", "..", f.Path))
		require.NoError(t, err)
		assert.Equal(t, string(f.Content), string(have), "%s differs from what the contracts generate: run make contract", f.Path)
	}
}

// TestAKeyIsTheSameFlagInEveryStep: the library turns a key into its flag
// without knowing the step, so a key name must mean one flag everywhere.
func TestAKeyIsTheSameFlagInEveryStep(t *testing.T) {
	flags := map[string]string{}
	for _, s := range steps.All {
		c := s.Contract()
		for _, k := range append(c.Keys, c.Connection...) {
			if f, ok := flags[k.Key]; ok {
				assert.Equal(t, f, k.Flag, "%s: key %s", s.Name, k.Key)
			}
			flags[k.Key] = k.Flag
		}
		assert.NotContains(t, flags, "operation", "operation is the binary's first argument, not a key")
	}
}

// TestEveryStepHasAJenkinsNameAndAnOutput: the generator needs both.
func TestEveryStepHasAJenkinsNameAndAnOutput(t *testing.T) {
	for _, s := range steps.All {
		c := s.Contract()
		assert.NotEmpty(t, c.Jenkins, s.Name)
		assert.NotEmpty(t, c.Outputs, s.Name)
		covered := map[string]bool{}
		for _, o := range c.Outputs {
			for _, op := range o.Operations {
				covered[op] = true
			}
			if len(o.Operations) == 0 {
				covered["*"] = true
			}
		}
		for _, op := range c.Operations {
			assert.True(t, covered[op.Name] || covered["*"], "%s: no output for %s", s.Name, op.Name)
		}
		assert.Equal(t, cli.ExitCodes, c.ExitCodes)
	}
}
