package cli

import (
	"fmt"
	"slices"
	"strings"
)

// Rule is a rule between keys that no single key says. The step's keys
// add their own rules (mandatory, needed by or only for some operations,
// a range); Step.Rules add the rest. Rules are checked before the step
// touches the engine, and printed in the contract.
type Rule struct {
	kind string
	keys []*Key
	then []*Key   // needs: the keys the first one needs
	ops  []string // the operations the rule is about; empty: all
	hint string   // what to do when the rule is broken, said after it
	// platforms the rule holds on; empty: every platform.
	platforms []string
}

// On returns the rule holding on platforms only, e.g. a key the engine
// needs and DCT does without.
func (r Rule) On(platforms ...string) Rule {
	r.platforms = platforms
	return r
}

// Hint returns the rule with what to do when it is broken, e.g. how to
// plug in a tool; the error line and the contract say it after the rule.
func (r Rule) Hint(hint string) Rule {
	r.hint = hint
	return r
}

// The kinds of rules, as the contract names them.
const (
	ruleRequired   = "required"   // keys[0] is needed (by ops)
	ruleOnly       = "only"       // keys[0] goes with ops only
	ruleRange      = "range"      // keys[0] is within [Min, Max]
	ruleOneOf      = "oneOf"      // at least one of keys (in ops)
	ruleExactlyOne = "exactlyOne" // exactly one of keys
	ruleNeeds      = "needs"      // keys[0] set needs every key of then
)

// OneOf says that operations ops need at least one of keys.
func OneOf(ops []string, keys ...*Key) Rule { return Rule{kind: ruleOneOf, keys: keys, ops: ops} }

// ExactlyOne says that exactly one of keys must be set.
func ExactlyOne(keys ...*Key) Rule { return Rule{kind: ruleExactlyOne, keys: keys} }

// Needs says that k, when set, needs every key of then.
func Needs(k *Key, then ...*Key) Rule { return Rule{kind: ruleNeeds, keys: []*Key{k}, then: then} }

// keyRules are the rules a step's keys carry themselves.
func keyRules(keys []*Key) []Rule {
	var rules []Rule
	for _, k := range keys {
		switch {
		case k.Mandatory:
			rules = append(rules, Rule{kind: ruleRequired, keys: []*Key{k}})
		case len(k.NeededBy) > 0:
			rules = append(rules, Rule{kind: ruleRequired, keys: []*Key{k}, ops: k.NeededBy})
		}
		if len(k.Only) > 0 {
			rules = append(rules, Rule{kind: ruleOnly, keys: []*Key{k}, ops: k.Only})
		}
		if k.Max > 0 {
			rules = append(rules, Rule{kind: ruleRange, keys: []*Key{k}})
		}
	}
	return rules
}

// applies says whether the rule is about operation op.
func (r Rule) applies(op string) bool {
	return len(r.ops) == 0 || r.kind == ruleOnly || slices.Contains(r.ops, op)
}

// broken returns what is wrong with in, naming keys as in.Name does, or "".
func (r Rule) broken(in *Input) string {
	if !r.applies(in.Op) || (len(r.platforms) > 0 && !slices.Contains(r.platforms, in.Platform)) {
		return ""
	}
	k := r.keys[0]
	switch r.kind {
	case ruleRequired:
		if !in.set(k) {
			return r.text(in.Name, in.Op)
		}
	case ruleOnly:
		if in.set(k) && !slices.Contains(r.ops, in.Op) {
			return r.text(in.Name, in.Op)
		}
	case ruleRange:
		if v := in.Int(k); v < k.Min || v > k.Max {
			return fmt.Sprintf("%s, got %d", r.text(in.Name, in.Op), v)
		}
	case ruleOneOf, ruleExactlyOne:
		n := 0
		for _, k := range r.keys {
			if in.set(k) {
				n++
			}
		}
		if n == 0 || (n > 1 && r.kind == ruleExactlyOne) {
			return r.text(in.Name, in.Op)
		}
	case ruleNeeds:
		if !in.set(k) {
			return ""
		}
		for _, t := range r.then {
			if !in.set(t) {
				return r.text(in.Name, in.Op)
			}
		}
	}
	return ""
}

// text says the rule in words, naming keys with name. op is the operation
// at hand, or "" to name every operation the rule is about.
func (r Rule) text(name func(*Key) string, op string) string {
	t := r.bare(name, op)
	if len(r.platforms) > 0 {
		words := make([]string, len(r.platforms))
		for i, p := range r.platforms {
			words[i] = map[string]string{PlatformEngine: "the engine", PlatformDCT: "DCT"}[p]
		}
		t += " on " + joinWords(words, "and")
	}
	if r.hint != "" {
		return t + ": " + r.hint
	}
	return t
}

// bare says the rule without its hint.
func (r Rule) bare(name func(*Key) string, op string) string {
	k := name(r.keys[0])
	ops := op
	if op == "" || r.kind == ruleOnly {
		ops = joinWords(r.ops, "and")
	}
	switch r.kind {
	case ruleRequired:
		if len(r.ops) == 0 {
			return k + " is required"
		}
		return ops + r.needs(op) + k
	case ruleOnly:
		return k + " goes with " + ops + " only"
	case ruleRange:
		return fmt.Sprintf("%s must be %d to %d", k, r.keys[0].Min, r.keys[0].Max)
	case ruleOneOf:
		return ops + r.needs(op) + joinWords(names(name, r.keys), "or")
	case ruleExactlyOne:
		return "give exactly one of " + joinWords(names(name, r.keys), "and")
	case ruleNeeds:
		return k + " needs " + joinWords(names(name, r.then), "and")
	}
	return r.kind
}

// needs is the verb after the operations: "create needs", "share and delete need".
func (r Rule) needs(op string) string {
	if op == "" && len(r.ops) > 1 {
		return " need "
	}
	return " needs "
}

func names(name func(*Key) string, keys []*Key) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = name(k)
	}
	return out
}

// joinWords joins ["a", "b", "c"] as "a, b and c".
func joinWords(words []string, conj string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " " + conj + " " + words[len(words)-1]
}
