package dctfilter

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// The grammar, as the spec's SearchBody describes it (keywords in any case):
//
//	expr       = and { OR and }
//	and        = unary { AND unary }
//	unary      = NOT unary | "(" expr ")" | SEARCH literal | comparison
//	comparison = field ( EQ | NE | GT | GE | LT | LE ) literal
//	           | field IN "[" [ literal { "," literal } ] "]"     (at most 100 values)
//	           | field CONTAINS literal
//	           | field CONTAINS "{" expr "}"                      (an array of objects: some element matches)
//	literal    = nil | true | false | number | 'string' | "string" | RFC 3339 date-time
//
// Every field must be one the operation declares filterable (x-filterable); inside
// "{...}" the fields of that array's elements. At most 8 unique identifiers; the expression
// is 5 to 2000 characters (SearchBody.filter_expression).

// Field is a filterable field as x-filterable declares it: its type ("string", "integer",
// "boolean", "date", "date-time", "array[string]", "array[object]" ...) and, for an array
// of objects, the fields of its elements.
type Field struct {
	Type   string
	Fields Fields
}

// Fields are filterable fields by name.
type Fields map[string]Field

// Names are the fields' names, sorted.
func (f Fields) Names() []string {
	names := make([]string, 0, len(f))
	for n := range f {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Limits of the spec: identifiers in one expression, values in an IN list, and the
// expression's length in characters.
const (
	MaxIdentifiers = 8
	MaxListValues  = 100
	MinLength      = 5
	MaxLength      = 2000
)

// Expr is a parsed filter_expression.
type Expr struct {
	root   node
	fields Fields
}

// Match reports whether an object (as decoded from JSON: map[string]any, []any, float64,
// string, bool, nil) fits the expression.
func (e *Expr) Match(o map[string]any) bool { return e.root.match(o, e.fields) }

// Parse reads expr against the filterable fields of an operation.
func Parse(expr string, fields Fields) (*Expr, error) {
	if n := utf8.RuneCountInString(expr); n < MinLength || n > MaxLength {
		return nil, fmt.Errorf("%d characters; an expression has %d to %d", n, MinLength, MaxLength)
	}
	toks, err := Lex(expr)
	if err != nil {
		return nil, err
	}
	p := &parser{toks: toks, idents: map[string]bool{}}
	root, err := p.or(fields)
	if err != nil {
		return nil, err
	}
	if p.i < len(p.toks) {
		return nil, fmt.Errorf("unexpected %s", p.toks[p.i].show())
	}
	if len(p.idents) > MaxIdentifiers {
		return nil, fmt.Errorf("%d unique identifiers (%s); at most %d may be used", len(p.idents),
			strings.Join(sortedKeys(p.idents), ", "), MaxIdentifiers)
	}
	return &Expr{root: root, fields: fields}, nil
}

func sortedKeys(set map[string]bool) []string {
	out := make([]string, 0, len(set))
	for n := range set {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

func (t Token) show() string {
	if t.Quoted {
		return strconv.Quote(t.Text)
	}
	return "'" + t.Text + "'"
}

type parser struct {
	toks   []Token
	i      int
	idents map[string]bool
}

func (p *parser) word(w string) bool {
	return p.i < len(p.toks) && !p.toks[p.i].Quoted && strings.EqualFold(p.toks[p.i].Text, w)
}

func (p *parser) next() (Token, error) {
	if p.i >= len(p.toks) {
		return Token{}, fmt.Errorf("the expression ends too early")
	}
	p.i++
	return p.toks[p.i-1], nil
}

func (p *parser) expect(w string) error {
	if !p.word(w) {
		if p.i >= len(p.toks) {
			return fmt.Errorf("missing %s at the end", w)
		}
		return fmt.Errorf("expected %s, not %s", w, p.toks[p.i].show())
	}
	p.i++
	return nil
}

func (p *parser) or(fields Fields) (node, error) {
	var n orN
	for {
		x, err := p.and(fields)
		if err != nil {
			return nil, err
		}
		n = append(n, x)
		if !p.word("OR") {
			break
		}
		p.i++
	}
	if len(n) == 1 {
		return n[0], nil
	}
	return n, nil
}

func (p *parser) and(fields Fields) (node, error) {
	var n andN
	for {
		x, err := p.unary(fields)
		if err != nil {
			return nil, err
		}
		n = append(n, x)
		if !p.word("AND") {
			break
		}
		p.i++
	}
	if len(n) == 1 {
		return n[0], nil
	}
	return n, nil
}

var identRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_.]*$`)

func (p *parser) unary(fields Fields) (node, error) {
	switch {
	case p.word("NOT"):
		p.i++
		x, err := p.unary(fields)
		return notN{x}, err
	case p.word("("):
		p.i++
		x, err := p.or(fields)
		if err != nil {
			return nil, err
		}
		return x, p.expect(")")
	case p.word("SEARCH"):
		p.i++
		v, err := p.literal()
		if err != nil {
			return nil, err
		}
		s, ok := v.(string)
		if !ok {
			return nil, fmt.Errorf("SEARCH takes a string ('...')")
		}
		return searchN(strings.ToLower(s)), nil
	}
	t, err := p.next()
	if err != nil {
		return nil, err
	}
	if t.Quoted || !identRE.MatchString(t.Text) {
		return nil, fmt.Errorf("expected a field, NOT, SEARCH or (, not %s", t.show())
	}
	f, ok := fields[t.Text]
	if !ok {
		return nil, fmt.Errorf("%q is not a filterable field here; filterable: %s", t.Text, strings.Join(fields.Names(), ", "))
	}
	p.idents[t.Text] = true
	opTok, err := p.next()
	if err != nil {
		return nil, err
	}
	c := cmpN{field: t.Text, op: strings.ToUpper(opTok.Text)}
	if opTok.Quoted {
		c.op = ""
	}
	switch c.op {
	case "EQ", "NE", "GT", "GE", "LT", "LE":
		v, err := p.literal()
		c.vals = []any{v}
		return c, err
	case "CONTAINS":
		if p.word("{") {
			if f.Fields == nil {
				return nil, fmt.Errorf("%s is not a list of objects: CONTAINS {...} needs one", t.Text)
			}
			p.i++
			sub, err := p.or(f.Fields)
			if err != nil {
				return nil, fmt.Errorf("in %s CONTAINS {...}: %w", t.Text, err)
			}
			c.sub = sub
			c.subFields = f.Fields
			return c, p.expect("}")
		}
		v, err := p.literal()
		c.vals = []any{v}
		return c, err
	case "IN":
		if err := p.expect("["); err != nil {
			return nil, fmt.Errorf("IN takes a list [...]: %w", err)
		}
		for !p.word("]") {
			if len(c.vals) > 0 {
				if err := p.expect(","); err != nil {
					return nil, err
				}
			}
			v, err := p.literal()
			if err != nil {
				return nil, err
			}
			c.vals = append(c.vals, v)
		}
		p.i++
		if len(c.vals) > MaxListValues {
			return nil, fmt.Errorf("IN takes at most %d values, not %d", MaxListValues, len(c.vals))
		}
		return c, nil
	}
	return nil, fmt.Errorf("unknown operator %s after %s (EQ NE GT GE LT LE IN CONTAINS)", opTok.show(), t.Text)
}

var numberRE = regexp.MustCompile(`^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$`)

// literal reads one value: nil, a boolean, a number, a string or a date-time (time.Time).
func (p *parser) literal() (any, error) {
	t, err := p.next()
	if err != nil {
		return nil, fmt.Errorf("a value is missing at the end")
	}
	switch {
	case t.Quoted:
		return t.Text, nil
	case strings.EqualFold(t.Text, "nil"):
		return nil, nil
	case strings.EqualFold(t.Text, "true"):
		return true, nil
	case strings.EqualFold(t.Text, "false"):
		return false, nil
	case numberRE.MatchString(t.Text):
		f, err := strconv.ParseFloat(t.Text, 64)
		return f, err
	}
	if tm, err := time.Parse(time.RFC3339Nano, t.Text); err == nil {
		return tm, nil
	}
	return nil, fmt.Errorf("%s is not a value: quote strings, or give nil, true, false, a number or an RFC 3339 date-time", t.show())
}

type node interface {
	match(o map[string]any, fields Fields) bool
}

type (
	andN    []node
	orN     []node
	notN    struct{ x node }
	searchN string
	cmpN    struct {
		field, op string
		vals      []any
		sub       node // CONTAINS {...}
		subFields Fields
	}
)

func (n andN) match(o map[string]any, f Fields) bool {
	for _, x := range n {
		if !x.match(o, f) {
			return false
		}
	}
	return true
}

func (n orN) match(o map[string]any, f Fields) bool {
	for _, x := range n {
		if x.match(o, f) {
			return true
		}
	}
	return false
}

func (n notN) match(o map[string]any, f Fields) bool { return !n.x.match(o, f) }

// SEARCH: some filterable attribute holds the text, compared case-insensitively, whatever
// its type (SEARCH '12' finds 123); inside lists and the filterable fields of their objects.
func (n searchN) match(o map[string]any, f Fields) bool {
	for name, fd := range f {
		if searchValue(o[name], fd, string(n)) {
			return true
		}
	}
	return false
}

func searchValue(v any, fd Field, needle string) bool {
	switch x := v.(type) {
	case nil:
		return false
	case []any:
		for _, e := range x {
			if searchValue(e, fd, needle) {
				return true
			}
		}
		return false
	case map[string]any:
		return searchN(needle).match(x, fd.Fields)
	}
	return strings.Contains(strings.ToLower(text(v)), needle)
}

func text(v any) string {
	if f, ok := v.(float64); ok {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	return fmt.Sprint(v)
}

func (n cmpN) match(o map[string]any, _ Fields) bool {
	v := o[n.field]
	switch n.op {
	case "EQ":
		return same(v, n.vals[0])
	case "NE":
		return !same(v, n.vals[0])
	case "IN":
		for _, x := range n.vals {
			if same(v, x) {
				return true
			}
		}
		return false
	case "CONTAINS":
		switch l := v.(type) {
		case string:
			s, ok := n.vals[0].(string)
			return ok && strings.Contains(l, s)
		case []any:
			for _, e := range l {
				if m, ok := e.(map[string]any); ok && n.sub != nil && n.sub.match(m, n.subFields) {
					return true
				}
				if n.sub == nil && same(e, n.vals[0]) {
					return true
				}
			}
		}
		return false
	}
	c, ok := order(v, n.vals[0])
	if !ok {
		return false
	}
	switch n.op {
	case "GT":
		return c > 0
	case "GE":
		return c >= 0
	case "LT":
		return c < 0
	}
	return c <= 0
}

// same compares an object's value with a literal: strings exactly, numbers and booleans by
// value, a date-time as an instant, nil with nil (an absent field is nil).
func same(v, lit any) bool {
	if lit == nil || v == nil {
		return lit == nil && v == nil
	}
	if t, ok := lit.(time.Time); ok {
		vt, ok := asTime(v)
		return ok && vt.Equal(t)
	}
	return v == lit
}

// order compares an object's value with a literal of the same kind: numbers, date-times
// (the value an RFC 3339 string) or strings.
func order(v, lit any) (int, bool) {
	switch l := lit.(type) {
	case float64:
		x, ok := v.(float64)
		switch {
		case !ok:
			return 0, false
		case x < l:
			return -1, true
		case x > l:
			return 1, true
		}
		return 0, true
	case time.Time:
		t, ok := asTime(v)
		if !ok {
			return 0, false
		}
		return t.Compare(l), true
	case string:
		s, ok := v.(string)
		return strings.Compare(s, l), ok
	}
	return 0, false
}

func asTime(v any) (time.Time, bool) {
	s, ok := v.(string)
	if !ok {
		return time.Time{}, false
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}
