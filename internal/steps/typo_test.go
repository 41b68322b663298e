package steps_test

import (
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/dxsteps/dxsteps/internal/cli"
	"github.com/dxsteps/dxsteps/internal/steps"
	st "github.com/dxsteps/dxsteps/internal/steps/steptest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// changing is, for each step, a whole command line that runs on the seed
// engine, most of them changing it: the typo tests add one mistyped key or
// variable to it.
func changing(t *testing.T) map[string][]string {
	policy := filepath.Join(t.TempDir(), "accounts.yaml")
	require.NoError(t, os.WriteFile(policy, []byte("accounts:\n  - {name: dba_alice, action: drop}\n"), 0o600))
	return map[string][]string{
		"dx-sync":        {"--database", "Patients Prod"},
		"dx-refresh":     {"--vdb", "Patients Masked Master"},
		"dx-credentials": {"--vdb", "Patients Masked Master", "--policy", policy, "--exec", "true"},
		"dx-datapod":     {"refresh", "--container", "prep1"},
		"dx-subset":      {"--container", "prep1", "--percent", "50", "--simulate"},
		"dx-bookmark":    {"prune", "--template", "Patients", "--keep", "0"},
		"dx-branch":      {"activate", "--container", "prep1", "--name", "default"},
	}
}

// typos are one-character typos of word: every deletion and transposition,
// and n insertions and n substitutions drawn from alphabet.
func typos(word, alphabet string, rng *rand.Rand, n int) []string {
	set := map[string]bool{}
	for i := range word {
		set[word[:i]+word[i+1:]] = true
		if i+1 < len(word) {
			set[word[:i]+word[i+1:i+2]+word[i:i+1]+word[i+2:]] = true
		}
	}
	for range n {
		i, c := rng.Intn(len(word)+1), alphabet[rng.Intn(len(alphabet))]
		set[word[:i]+string(c)+word[i:]] = true
		j, d := rng.Intn(len(word)), alphabet[rng.Intn(len(alphabet))]
		set[word[:j]+string(d)+word[j+1:]] = true
	}
	delete(set, word)
	delete(set, "")
	out := make([]string, 0, len(set))
	for w := range set {
		out = append(out, w)
	}
	sort.Strings(out)
	return out
}

// TestAnyOneCharacterTypoInAConfigKeyOrAStepVariableIsRefusedBeforeAnyRequest
// is the property that no typo widens what a step does: for every step, any
// one-character typo (insertion, deletion, substitution, transposition) of
// any of its config keys or of any variable dxsteps owns for it, added to a
// command line that otherwise changes the engine, ends with exit 2, an
// error line that names the typo and the name meant, and no request at all.
// Every deletion and transposition is tried, and a seeded sample of
// insertions and substitutions (DXSTEPS_TYPO_SAMPLE=N tries more). A typo
// that is another key of the step is that key, and is not tried.
func TestAnyOneCharacterTypoInAConfigKeyOrAStepVariableIsRefusedBeforeAnyRequest(t *testing.T) {
	sample := 6
	if n, err := fmt.Sscan(os.Getenv("DXSTEPS_TYPO_SAMPLE"), &sample); n == 0 || err != nil {
		sample = 6
	}
	rng := rand.New(rand.NewSource(17))
	base := changing(t)
	dir := t.TempDir()
	for _, step := range steps.All {
		t.Run(step.Name, func(t *testing.T) {
			e := st.Engine(t)
			args := base[step.Name]
			require.NotNil(t, args, "a command line for %s", step.Name)
			c := step.Contract()

			// The command line itself runs on the engine: the typo is what stops it.
			e.ClearRequests()
			r := st.Run(t, step, e, nil, args...)
			require.Equal(t, 0, r.Code, r.Stderr)
			require.NotEmpty(t, e.Requests(), "%s %v asks the engine", step.Name, args)

			var flags []string
			owned := []string{cli.CallerEnv}
			for _, k := range append(c.Keys, c.Connection...) {
				if f := strings.TrimPrefix(k.Flag, "--"); f != cli.Config.Flag {
					flags = append(flags, f)
				}
			}
			for _, k := range c.Keys {
				owned = append(owned, k.Env)
			}
			known := map[string]bool{"password": true, "api-key": true, "apikey": true}
			for _, f := range flags {
				known[f] = true
			}
			tried := 0
			for _, flag := range flags {
				for _, typo := range typos(flag, "abcdefghijklmnopqrstuvwxyz-_0123456789", rng, sample) {
					if known[typo] {
						continue
					}
					path := filepath.Join(dir, "typo.yaml")
					require.NoError(t, os.WriteFile(path, []byte(fmt.Sprintf("%q: x\n", typo)), 0o600))
					e.ClearRequests()
					r := st.Run(t, step, e, nil, append(slices.Clone(args), "--config", path)...)
					tried++
					if !assert.Equal(t, cli.ExitUsage, r.Code, "config key %q (for %q): %s", typo, flag, r.Stderr) ||
						!assert.Contains(t, r.Stderr, fmt.Sprintf("unknown key %q; did you mean", typo)) ||
						!assert.Empty(t, e.Requests(), "config key %q: no request", typo) {
						return
					}
				}
			}
			for _, name := range owned {
				for _, typo := range typos(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZ_0123456789abcdefghijklmnopqrstuvwxyz", rng, sample) {
					if slices.Contains(owned, typo) {
						continue
					}
					e.ClearRequests()
					r := st.Run(t, step, e, []string{typo + "=x"}, args...)
					tried++
					if !assert.Equal(t, cli.ExitUsage, r.Code, "variable %s (for %s): %s", typo, name, r.Stderr) ||
						!assert.Contains(t, r.Stderr, "unknown variable "+typo) ||
						!assert.Contains(t, r.Stderr, "did you mean") ||
						!assert.Empty(t, e.Requests(), "variable %s: no request", typo) {
						return
					}
				}
			}
			t.Logf("%d typos refused", tried)
		})
	}
}

// TestNoStepsVariableIsATypoOfAnotherStepsVariable: a pipeline's environment
// may hold every step's variables at once; none is refused by another step
// as a near miss of its own.
func TestNoStepsVariableIsATypoOfAnotherStepsVariable(t *testing.T) {
	var env []string
	for _, s := range steps.All {
		for _, k := range s.Contract().Keys {
			env = append(env, k.Env+"=x")
		}
	}
	for _, s := range steps.All {
		var others []string
		for _, kv := range env {
			if !strings.HasPrefix(kv, strings.ToUpper("DXSTEPS_"+strings.ReplaceAll(strings.TrimPrefix(s.Name, "dx-"), "-", "_"))+"_") {
				others = append(others, kv)
			}
		}
		r := st.Run(t, s, nil, others, "--help")
		assert.NotContains(t, r.Stderr, "unknown variable", s.Name)
		r = st.Run(t, s, nil, others)
		assert.NotContains(t, r.Stderr, "unknown variable", s.Name)
	}
}
