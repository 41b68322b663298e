package dctspec

import (
	"fmt"
	"sort"
	"strings"
	"unicode"

	"github.com/dxsteps/dxsteps/test/internal/dctfilter"
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
		switch t.Text {
		case "(", "[":
			depth[t.Text]++
		case ")":
			depth["("]--
		case "]":
			depth["["]--
		}
		if depth["("] < 0 || depth["["] < 0 {
			return append(problems, where+": unbalanced brackets")
		}
		if t.Quoted || !comparisons[strings.ToUpper(t.Text)] {
			continue
		}
		if i == 0 || toks[i-1].Quoted || !isIdent(toks[i-1].Text) {
			problems = append(problems, fmt.Sprintf("%s: %s has no field on its left", where, t.Text))
			continue
		}
		name := toks[i-1].Text
		used[name] = true
		if _, ok := fields[name]; !ok {
			problems = append(problems, fmt.Sprintf("%s: %s is not a filterable field here", where, name))
		}
		if i+1 == len(toks) {
			problems = append(problems, fmt.Sprintf("%s: %s has no value on its right", where, t.Text))
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

// tokenize is the expression's tokens without the commas, which only
// separate the values of a list.
func tokenize(expr string) ([]dctfilter.Token, error) {
	all, err := dctfilter.Lex(expr)
	if err != nil {
		return nil, err
	}
	var toks []dctfilter.Token
	for _, t := range all {
		if t.Quoted || t.Text != "," {
			toks = append(toks, t)
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
