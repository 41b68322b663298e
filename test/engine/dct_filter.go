package engine

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/dxsteps/dxsteps/test/internal/dctfilter"
)

// A DCT filter_expression (the spec's SearchBody): comparisons EQ NE GT GE LT LE, IN [..]
// and CONTAINS (substring of a string, member of a list), joined by NOT, AND, OR (in that
// precedence) and parentheses; keywords in any case; strings in ' or " without escapes;
// numbers, true, false and nil. SEARCH and filters on tags (whose syntax the spec leaves
// open) are refused. A field an object lacks is nil.
// String comparisons are exact (case-sensitive).

type filter interface{ match(o obj) bool }

type (
	andF []filter
	orF  []filter
	notF struct{ f filter }
	cmpF struct {
		field, op string
		vals      []any
	}
)

func (f andF) match(o obj) bool {
	for _, x := range f {
		if !x.match(o) {
			return false
		}
	}
	return true
}

func (f orF) match(o obj) bool {
	for _, x := range f {
		if x.match(o) {
			return true
		}
	}
	return false
}

func (f notF) match(o obj) bool { return !f.f.match(o) }

func (f cmpF) match(o obj) bool {
	v := o[f.field]
	switch f.op {
	case "EQ":
		return same(v, f.vals[0])
	case "NE":
		return !same(v, f.vals[0])
	case "IN":
		for _, x := range f.vals {
			if same(v, x) {
				return true
			}
		}
		return false
	case "CONTAINS":
		switch l := v.(type) {
		case string:
			s, ok := f.vals[0].(string)
			return ok && strings.Contains(l, s)
		case []string:
			for _, x := range l {
				if same(x, f.vals[0]) {
					return true
				}
			}
		}
		return false
	}
	if v == nil || f.vals[0] == nil {
		return false
	}
	a, b := fmt.Sprint(v), fmt.Sprint(f.vals[0])
	if x, err := strconv.ParseFloat(a, 64); err == nil {
		if y, err := strconv.ParseFloat(b, 64); err == nil {
			a, b = "", ""
			switch {
			case x < y:
				b = "1"
			case x > y:
				a = "1"
			}
		}
	}
	switch f.op {
	case "GT":
		return a > b
	case "GE":
		return a >= b
	case "LT":
		return a < b
	}
	return a <= b
}

// same compares an object's value with a literal: strings exactly, numbers and booleans by
// value, nil with nil.
func same(v, lit any) bool {
	if v == nil || lit == nil {
		return v == nil && lit == nil
	}
	if s, ok := lit.(string); ok {
		vs, ok := v.(string)
		return ok && vs == s
	}
	return fmt.Sprint(v) == fmt.Sprint(lit)
}

// parseFilter parses an expression.
func parseFilter(s string) (filter, error) {
	p := &filterParser{}
	if err := p.lex(s); err != nil {
		return nil, err
	}
	f, err := p.or()
	if err != nil {
		return nil, err
	}
	if p.i != len(p.toks) {
		return nil, fmt.Errorf("unexpected %q", p.toks[p.i].Text)
	}
	return f, nil
}

type filterParser struct {
	toks []dctfilter.Token
	i    int
}

func (p *filterParser) lex(s string) (err error) {
	p.toks, err = dctfilter.Lex(s)
	return err
}

func (p *filterParser) peekWord(w string) bool {
	return p.i < len(p.toks) && !p.toks[p.i].Quoted && strings.EqualFold(p.toks[p.i].Text, w)
}

func (p *filterParser) or() (filter, error) {
	var fs orF
	for {
		f, err := p.and()
		if err != nil {
			return nil, err
		}
		fs = append(fs, f)
		if !p.peekWord("OR") {
			break
		}
		p.i++
	}
	if len(fs) == 1 {
		return fs[0], nil
	}
	return fs, nil
}

func (p *filterParser) and() (filter, error) {
	var fs andF
	for {
		f, err := p.unary()
		if err != nil {
			return nil, err
		}
		fs = append(fs, f)
		if !p.peekWord("AND") {
			break
		}
		p.i++
	}
	if len(fs) == 1 {
		return fs[0], nil
	}
	return fs, nil
}

func (p *filterParser) unary() (filter, error) {
	switch {
	case p.peekWord("NOT"):
		p.i++
		f, err := p.unary()
		return notF{f}, err
	case p.peekWord("("):
		p.i++
		f, err := p.or()
		if err != nil {
			return nil, err
		}
		if !p.peekWord(")") {
			return nil, fmt.Errorf("missing )")
		}
		p.i++
		return f, nil
	}
	if p.i+2 > len(p.toks) || p.toks[p.i].Quoted {
		return nil, fmt.Errorf("expected a comparison at token %d", p.i+1)
	}
	field, op := p.toks[p.i].Text, strings.ToUpper(p.toks[p.i+1].Text)
	p.i += 2
	if field == "tags" {
		return nil, fmt.Errorf("filtering on tags is not supported here (its syntax is not documented): match tags in the answer")
	}
	switch op {
	case "EQ", "NE", "GT", "GE", "LT", "LE", "CONTAINS":
		v, err := p.literal()
		return cmpF{field: field, op: op, vals: []any{v}}, err
	case "IN":
		if !p.peekWord("[") {
			return nil, fmt.Errorf("IN needs a list [...]")
		}
		p.i++
		var vals []any
		for !p.peekWord("]") {
			v, err := p.literal()
			if err != nil {
				return nil, err
			}
			vals = append(vals, v)
			if p.peekWord(",") {
				p.i++
			}
		}
		p.i++
		if len(vals) > 100 {
			return nil, fmt.Errorf("IN takes at most 100 values")
		}
		return cmpF{field: field, op: op, vals: vals}, nil
	}
	return nil, fmt.Errorf("unknown operator %q", op)
}

func (p *filterParser) literal() (any, error) {
	if p.i >= len(p.toks) {
		return nil, fmt.Errorf("a value is missing at the end")
	}
	t := p.toks[p.i]
	p.i++
	switch {
	case t.Quoted:
		return t.Text, nil
	case strings.EqualFold(t.Text, "true"):
		return true, nil
	case strings.EqualFold(t.Text, "false"):
		return false, nil
	case strings.EqualFold(t.Text, "nil"):
		return nil, nil
	}
	if f, err := strconv.ParseFloat(t.Text, 64); err == nil {
		return f, nil
	}
	return nil, fmt.Errorf("%q is not a value (quote strings)", t.Text)
}
