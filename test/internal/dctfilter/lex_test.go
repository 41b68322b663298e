package dctfilter

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLexSplitsWordsStringsAndPunctuation(t *testing.T) {
	toks, err := Lex(`name EQ "it's" AND id IN ['a','b c'] OR NOT(x GT 3)`)
	require.NoError(t, err)
	var got []string
	for _, tk := range toks {
		if tk.Quoted {
			got = append(got, "<"+tk.Text+">")
		} else {
			got = append(got, tk.Text)
		}
	}
	assert.Equal(t, []string{"name", "EQ", "<it's>", "AND", "id", "IN", "[", "<a>", ",", "<b c>", "]", "OR", "NOT", "(", "x", "GT", "3", ")"}, got)
	_, err = Lex(`name EQ 'open`)
	assert.ErrorContains(t, err, "unterminated string starting at 8")
}
