package dctfilter

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// exampleFields are the fields the spec's examples filter on.
var exampleFields = Fields{
	"field1": {Type: "integer"}, "field2": {Type: "string"}, "field3": {Type: "string"},
	"field4": {Type: "array[boolean]"}, "string_field": {Type: "string"}, "string_field2": {Type: "string"},
	"numberic_field": {Type: "integer"}, "created": {Type: "date-time"}, "names": {Type: "array[string]"},
	"repositories": {Type: "array[object]", Fields: Fields{"version": {Type: "string"}, "name": {Type: "string"}}},
}

func object(t *testing.T, js string) map[string]any {
	t.Helper()
	var o map[string]any
	require.NoError(t, json.Unmarshal([]byte(js), &o), js)
	return o
}

// Every example of the spec's SearchBody (its operator, logical operator and literal tables,
// and its named examples), each with an object it matches and one it does not.
func TestTheSpecsExamplesMatchWhatTheySayAndNothingElse(t *testing.T) {
	cases := []struct{ expr, match, miss string }{
		// named examples
		{`repositories CONTAINS {version eq '19.0.0'}`, `{"repositories":[{"version":"12.2"},{"version":"19.0.0"}]}`, `{"repositories":[{"version":"12.2"}]}`},
		{`field1 LE 123`, `{"field1":123}`, `{"field1":124}`},
		{`field2 EQ NIL`, `{"field1":1}`, `{"field2":"x"}`},
		{`field2 NE NIL`, `{"field2":"x"}`, `{"field2":null}`},
		{`field2 CONTAINS 'foo'`, `{"field2":"a foo b"}`, `{"field2":"Foo"}`},
		{`names CONTAINS 'foo'`, `{"names":["bar","foo"]}`, `{"names":["foobar"]}`},
		{`field1 IN [1, 2, 3]`, `{"field1":2}`, `{"field1":4}`},
		{`SEARCH 'foo'`, `{"field3":"a FOO b"}`, `{"field3":"fo o","unlisted":"foo"}`},
		{`field1 LT 1234 AND (field2 CONTAINS 'foo' OR field3 CONTAINS 'bar')`, `{"field1":1,"field3":"bar"}`, `{"field1":1,"field2":"x","field3":"x"}`},
		{`string_field CONTAINS "over" AND numberic_field GT 9000 OR string_field2 EQ "Goku"`, `{"string_field":"x","string_field2":"Goku"}`, `{"string_field":"over","numberic_field":9000}`},
		// comparison operators
		{`field3 CONTAINS 'foobar'`, `{"field3":"xfoobarx"}`, `{"field3":"foo bar"}`},
		{`field4 CONTAINS TRUE`, `{"field4":[false,true]}`, `{"field4":[false]}`},
		{`field2 IN ['Goku', 'Vegeta']`, `{"field2":"Vegeta"}`, `{"field2":"goku"}`},
		{`field1 GE 1.2e-2`, `{"field1":0.012}`, `{"field1":0.011}`},
		{`field1 GT 1.2e-2`, `{"field1":0.013}`, `{"field1":0.012}`},
		{`field1 LE 9000`, `{"field1":9000}`, `{"field1":9001}`},
		{`field1 LT 9.02`, `{"field1":9.01}`, `{"field1":9.02}`},
		{`field1 NE 42`, `{"field1":41}`, `{"field1":42}`},
		{`field1 EQ 42`, `{"field1":42}`, `{"field1":"42"}`},
		// SEARCH is not restricted to strings
		{`SEARCH '12'`, `{"field1":123}`, `{"field1":213}`},
		{`SEARCH '19.0'`, `{"repositories":[{"version":"19.0.0"}]}`, `{"repositories":[{"version":"12.2"}]}`},
		// logical operators, precedence and grouping
		{`NOT field1 LE 9000`, `{"field1":9001}`, `{"field1":9000}`},
		{`field1 GT 9000 AND field2 EQ 'Goku'`, `{"field1":9001,"field2":"Goku"}`, `{"field1":9001,"field2":"Vegeta"}`},
		{`field1 GT 9000 OR field2 EQ 'Goku'`, `{"field1":1,"field2":"Goku"}`, `{"field1":1,"field2":"Vegeta"}`},
		{`NOT (field1 LT 1234 AND field2 CONTAINS 'foo')`, `{"field1":1,"field2":"bar"}`, `{"field1":1,"field2":"foo"}`},
		{`field1 EQ 1 OR field1 EQ 2 AND field2 EQ 'x'`, `{"field1":1,"field2":"y"}`, `{"field1":2,"field2":"y"}`},
		{`not field1 eq 1 and field2 contains 'a'`, `{"field1":2,"field2":"a"}`, `{"field1":1,"field2":"a"}`},
		// literals
		{`field2 EQ nIl`, `{}`, `{"field2":""}`},
		{`field4 CONTAINS False`, `{"field4":[false]}`, `{"field4":[true]}`},
		{`field1 IN [0, 1, -1, 1.2, 0.35, 1.2e-2, -1.2e+2]`, `{"field1":-120}`, `{"field1":120}`},
		{`field2 IN ['foo', "bar", "foo bar"]`, `{"field2":"foo bar"}`, `{"field2":"foobar"}`},
		{`created GT 2018-04-27T18:39:26.397237+00:00`, `{"created":"2018-04-27T19:00:00Z"}`, `{"created":"2018-04-27T18:39:26.397Z"}`},
		{`created EQ 2018-04-27T20:39:26+02:00`, `{"created":"2018-04-27T18:39:26.000Z"}`, `{"created":"2018-04-27T20:39:26Z"}`},
		// nested objects take a whole expression on one element
		{`repositories CONTAINS {version EQ '19.0.0' AND NOT name EQ 'old'}`, `{"repositories":[{"version":"19.0.0","name":"new"}]}`, `{"repositories":[{"version":"19.0.0","name":"old"},{"version":"12","name":"new"}]}`},
	}
	for _, c := range cases {
		e, err := Parse(c.expr, exampleFields)
		require.NoError(t, err, c.expr)
		assert.True(t, e.Match(object(t, c.match)), "%s should match %s", c.expr, c.match)
		assert.False(t, e.Match(object(t, c.miss)), "%s should not match %s", c.expr, c.miss)
	}
}

func TestWhatTheGrammarRefusesIsRefusedWithTheReason(t *testing.T) {
	nine := make([]string, 9)
	fields := Fields{}
	for i := range nine {
		nine[i] = fmt.Sprintf("f%d EQ 1", i)
		fields[fmt.Sprintf("f%d", i)] = Field{Type: "integer"}
	}
	var hundredOne []string
	for i := 0; i <= MaxListValues; i++ {
		hundredOne = append(hundredOne, fmt.Sprint(i))
	}
	cases := []struct{ expr, fields, want string }{
		{`nosuch EQ 'x'`, "", `"nosuch" is not a filterable field here; filterable: created, field1, field2, field3, field4, names, numberic_field, repositories, string_field, string_field2`},
		{`repositories.version EQ '19.0.0'`, "", `"repositories.version" is not a filterable field here`},
		{`repositories CONTAINS {nosuch EQ 1}`, "", `in repositories CONTAINS {...}: "nosuch" is not a filterable field here; filterable: name, version`},
		{`names CONTAINS {version EQ 1}`, "", "names is not a list of objects"},
		{strings.Join(nine, " AND "), "nine", "9 unique identifiers (f0, f1, f2, f3, f4, f5, f6, f7, f8); at most 8 may be used"},
		{`field1 IN [` + strings.Join(hundredOne, ", ") + `]`, "", "IN takes at most 100 values, not 101"},
		{`field1 IN [1 2]`, "", "expected ,"},
		{`field1 IN 1`, "", "IN takes a list"},
		{`field2 EQ foo`, "", `'foo' is not a value`},
		{`field1 EQ 0x10`, "", `'0x10' is not a value`},
		{`field1 LIKE 1`, "", "unknown operator 'LIKE' after field1"},
		{`SEARCH 12`, "", "SEARCH takes a string"},
		{`(field1 EQ 1`, "", "missing ) at the end"},
		{`field1 EQ 1)`, "", "unexpected ')'"},
		{`field2 EQ 'open`, "", "unterminated string"},
		{`field1 EQ`, "", "a value is missing at the end"},
		{`a EQ`, "", "4 characters; an expression has 5 to 2000"},
		{`field2 EQ '` + strings.Repeat("x", 2000) + `'`, "", "characters; an expression has 5 to 2000"},
	}
	for _, c := range cases {
		f := exampleFields
		if c.fields == "nine" {
			f = fields
		}
		_, err := Parse(c.expr, f)
		require.Error(t, err, c.expr)
		assert.Contains(t, err.Error(), c.want, c.expr)
	}
	_, err := Parse(strings.Join(nine[:8], " OR ")+" OR f0 EQ 2", fields)
	assert.NoError(t, err, "8 unique identifiers, one of them twice")
}
