// Package dctfilter splits a DCT filter_expression (the spec's SearchBody)
// into tokens, the one reading of its grammar that the local engine's
// evaluator and the OpenAPI checker share: strings in ' or " without
// escapes, the punctuation ( ) [ ] { } and ",", and words between them.
// Parse reads the tokens as the spec's grammar and Match evaluates the
// result on an object.
package dctfilter

import (
	"fmt"
	"strings"
	"unicode"
)

// Token is one word, string or punctuation mark.
type Token struct {
	Text   string
	Quoted bool // a string literal; Text is without its quotes
}

// Lex returns expr's tokens, or an error for an unterminated string.
func Lex(expr string) ([]Token, error) {
	var toks []Token
	rs := []rune(expr)
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case unicode.IsSpace(r):
			i++
		case strings.ContainsRune("()[]{},", r):
			toks = append(toks, Token{Text: string(r)})
			i++
		case r == '\'' || r == '"':
			j := i + 1
			for j < len(rs) && rs[j] != r {
				j++
			}
			if j == len(rs) {
				return nil, fmt.Errorf("unterminated string starting at %d", i)
			}
			toks = append(toks, Token{Text: string(rs[i+1 : j]), Quoted: true})
			i = j + 1
		default:
			j := i
			for j < len(rs) && !unicode.IsSpace(rs[j]) && !strings.ContainsRune("()[]{},'\"", rs[j]) {
				j++
			}
			toks = append(toks, Token{Text: string(rs[i:j])})
			i = j
		}
	}
	return toks, nil
}
