package cli

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/dxsteps/dxsteps/internal/httpapi"
)

// DryRun is the key of every step that changes something: with it the step
// plans instead of acting. It resolves every name and checks every rule a
// real run would, sends no request that changes anything (the clients'
// request guard refuses one, should a step forget to plan it), and prints
// its usual JSON object with "dryRun": true and the "plan": the actions a
// real run would take. Its exit code is the one a real run would give for
// what it found.
var DryRun = &Key{Flag: "dry-run", Type: Bool, Usage: "plan: resolve every name and check every rule as a real run does, change nothing, " +
	"and print the actions a real run would take (\"plan\")"}

// Action is one change a step makes, as a plan lists it and the log names
// it: what it does to which object, with the parameters that decide it.
type Action struct {
	// Action is what is done, a verb: "sync", "refresh", "snapshot",
	// "create", "share", "delete", "lock", "run" ...
	Action string `json:"action"`
	// Object is the kind of object: "dSource", "VDB", "data pod",
	// "bookmark", "branch", "compliance job", "account tool" ...
	Object string `json:"object"`
	// Name is the object's name; Reference its engine reference or DCT id,
	// empty for an object the action creates.
	Name      string `json:"name"`
	Reference string `json:"reference,omitempty"`
	// Parameters are what decides the action ("snapshot": the point of a
	// refresh), each a string as the log shows it.
	Parameters map[string]string `json:"parameters,omitempty"`
}

// String is the action for people: `refresh VDB "Patients Masked Master" (APPDATA-5) from snapshot=SNAP-3`.
func (a Action) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s %q", a.Action, a.Object, a.Name)
	if a.Reference != "" {
		fmt.Fprintf(&b, " (%s)", a.Reference)
	}
	keys := make([]string, 0, len(a.Parameters))
	for k := range a.Parameters {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for i, k := range keys {
		sep := ", "
		if i == 0 {
			sep = " with "
		}
		fmt.Fprintf(&b, "%s%s %s", sep, k, a.Parameters[k])
	}
	return b.String()
}

// DryRun reports whether the step plans instead of acting (--dry-run).
func (s *Session) DryRun() bool { return s.dryRun }

// Plan records a in the plan and says in the log what a real run would
// do. Only a plan calls it (DryRun); Act and the platform's jobs call it
// for the step.
func (s *Session) Plan(a Action) {
	s.mu.Lock()
	s.plan = append(s.plan, a)
	s.mu.Unlock()
	s.Log.Printf("plan: would %s", a)
}

// Planned is the plan so far, in order.
func (s *Session) Planned() []Action {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Action{}, s.plan...)
}

// Act does a change that starts no job (a lock, a share, a tag): in a plan
// it records a and does nothing; otherwise it calls do.
func (s *Session) Act(a Action, do func() error) error {
	if s.dryRun {
		s.Plan(a)
		return nil
	}
	return do()
}

// planned is a plan's output: the step's own JSON object with "dryRun":
// true and "plan", the actions a real run would take ([] for none).
func planned(result any, plan []Action) (any, error) {
	out := map[string]any{}
	if result != nil {
		b, err := json.Marshal(result)
		if err != nil {
			return nil, fmt.Errorf("encode result: %w", err)
		}
		if string(b) != "null" {
			if err := json.Unmarshal(b, &out); err != nil {
				return nil, fmt.Errorf("a plan's result must be a JSON object: %w", err)
			}
		}
	}
	if plan == nil {
		plan = []Action{}
	}
	out["dryRun"], out["plan"] = true, plan
	return out, nil
}

// readOnly is the request guard of a plan: it lets through what only
// reads (httpapi.ChangesNothing) and refuses everything else.
func readOnly(method, path string) string {
	if httpapi.ChangesNothing(method, path) {
		return ""
	}
	return "a plan (--" + DryRun.Flag + ") sends nothing that changes anything; this step tried to, which is a bug in dxsteps: please report it"
}
