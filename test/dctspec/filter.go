package dctspec

import (
	"fmt"
	"sort"
	"strings"
	"unicode"
)

var comparisons = map[string]bool{"EQ": true, "NE": true, "GT": true, "GE": true, "LT": true, "LE": true, "IN": true, "CONTAINS": true}

// checkFilter checks a filter_expression the way the spec describes it
// (SearchBody): 5 to 2000 characters; strings single- or double-quoted
// with no escapes; every comparison has a field the endpoint declares in
// x-filterable on its left; at most 8 distinct fields; brackets and
// parentheses balance.
func checkFilter(where, expr string, filterable map[string]any) []string {
	fields, _ := filterable["fields"].(map[string]any)
	where += " filter " + fmt.Sprintf("%q", expr)
	toks, err := tokenize(expr)
	if err != nil {
		return []string{where + ": " + err.Error()}
	}
	var problems []string
	used := map[string]bool{}
	depth := map[string]int{"(": 0, "[": 0}
	for i, t := range toks {
		switch t.text {
		case "(", "[":
			depth[t.text]++
		case ")":
			depth["("]--
		case "]":
			depth["["]--
		}
		if depth["("] < 0 || depth["["] < 0 {
			return append(problems, where+": unbalanced brackets")
		}
		if t.quoted || !comparisons[strings.ToUpper(t.text)] {
			continue
		}
		if i == 0 || toks[i-1].quoted || !isIdent(toks[i-1].text) {
			problems = append(problems, fmt.Sprintf("%s: %s has no field on its left", where, t.text))
			continue
		}
		name := toks[i-1].text
		used[name] = true
		if _, ok := fields[name]; !ok {
			problems = append(problems, fmt.Sprintf("%s: %s is not a filterable field here", where, name))
		}
		if i+1 == len(toks) {
			problems = append(problems, fmt.Sprintf("%s: %s has no value on its right", where, t.text))
		}
	}
	if depth["("] != 0 || depth["["] != 0 {
		problems = append(problems, where+": unbalanced brackets")
	}
	if len(used) > 8 {
		names := make([]string, 0, len(used))
		for n := range used {
			names = append(names, n)
		}
		sort.Strings(names)
		problems = append(problems, fmt.Sprintf("%s: %d fields (%s), more than 8", where, len(used), strings.Join(names, ", ")))
	}
	if n := len([]rune(expr)); n < 5 || n > 2000 {
		problems = append(problems, fmt.Sprintf("%s: %d characters, not 5 to 2000", where, n))
	}
	return problems
}

type token struct {
	text   string
	quoted bool
}

func tokenize(expr string) ([]token, error) {
	var toks []token
	rs := []rune(expr)
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case unicode.IsSpace(r) || r == ',':
			i++
		case r == '(' || r == ')' || r == '[' || r == ']':
			toks = append(toks, token{text: string(r)})
			i++
		case r == '\'' || r == '"':
			j := i + 1
			for j < len(rs) && rs[j] != r {
				j++
			}
			if j == len(rs) {
				return nil, fmt.Errorf("unterminated string starting at %d", i)
			}
			toks = append(toks, token{text: string(rs[i+1 : j]), quoted: true})
			i = j + 1
		default:
			j := i
			for j < len(rs) && !unicode.IsSpace(rs[j]) && !strings.ContainsRune("()[],'\"", rs[j]) {
				j++
			}
			toks = append(toks, token{text: string(rs[i:j])})
			i = j
		}
	}
	return toks, nil
}

func isIdent(s string) bool {
	if s == "" || !(unicode.IsLetter(rune(s[0])) || s[0] == '_') {
		return false
	}
	for _, r := range s {
		if !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' || r == '.') {
			return false
		}
	}
	return true
}
