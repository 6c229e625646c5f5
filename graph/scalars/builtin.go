package scalars

import (
	"math"
	"strings"
	"unicode/utf8"

	"github.com/99designs/gqlgen/graphql"

	"github.com/dualuse-transparency/portal/internal/apperr"
)

// The built-in scalars Int, String and ID, read strictly. Every argument and input
// field of the API passes through these, whether written in the query or sent as a
// variable, so this is the one place where a value no argument can mean is refused
// with INVALID_INPUT before a resolver (or PostgreSQL) sees it:
//
//   - an Int outside the 32 bits the GraphQL specification gives it, or sent as a
//     string of digits;
//   - a String or ID holding a NUL character, which no code, name or cursor contains
//     and which PostgreSQL refuses in text;
//   - a String or ID longer than MaxStringLength, which no code, search or cursor
//     needs; the error repeats only its beginning.
//
// Values are written out as gqlgen writes them.

// MaxStringLength is the longest String or ID argument, in bytes.
const MaxStringLength = 1000

// MarshalInt writes an Int.
func MarshalInt(i int) graphql.Marshaler { return graphql.MarshalInt(i) }

// UnmarshalInt reads an Int, refusing anything but a whole number of 32 bits: a
// string of digits too ("2022" sent as a variable), which the GraphQL specification
// says must raise an error ("Int", Input Coercion) and gqlgen's own Int would read.
func UnmarshalInt(v any) (int, error) {
	_, text := v.(string)
	i, err := graphql.UnmarshalInt64(v)
	if text || err != nil || i < math.MinInt32 || i > math.MaxInt32 {
		return 0, apperr.Errorf(apperr.Invalid, "%s is not an Int: a whole number from %d to %d", apperr.Quote(v), math.MinInt32, math.MaxInt32)
	}
	return int(i), nil
}

// MarshalString writes a String.
func MarshalString(s string) graphql.Marshaler { return graphql.MarshalString(s) }

// UnmarshalString reads a String argument, refusing NUL characters and overlong text.
func UnmarshalString(v any) (string, error) {
	s, err := graphql.UnmarshalString(v)
	if err != nil {
		return "", apperr.Errorf(apperr.Invalid, "%s is not a String", apperr.Quote(v))
	}
	return s, checkText("String", s)
}

// MarshalID writes an ID.
func MarshalID(s string) graphql.Marshaler { return graphql.MarshalID(s) }

// UnmarshalID reads an ID argument, with the checks of a String.
func UnmarshalID(v any) (string, error) {
	s, err := graphql.UnmarshalID(v)
	if err != nil {
		return "", apperr.Errorf(apperr.Invalid, "%s is not an ID", apperr.Quote(v))
	}
	return s, checkText("ID", s)
}

// checkText refuses text that no argument of the API can mean.
func checkText(kind, s string) error {
	switch {
	case len(s) > MaxStringLength:
		return apperr.Errorf(apperr.Invalid, "%s argument is at most %d bytes; got %d bytes beginning %s", article(kind), MaxStringLength, len(s), apperr.Quote(s))
	case strings.ContainsRune(s, 0):
		return apperr.Errorf(apperr.Invalid, "%s: %s argument cannot contain a NUL character", apperr.Quote(s), article(kind))
	case !utf8.ValidString(s):
		return apperr.Errorf(apperr.Invalid, "%s: %s argument must be UTF-8 text", apperr.Quote(s), article(kind))
	}
	return nil
}

// article is the kind of argument with its indefinite article: "a String", "an ID".
func article(kind string) string {
	if kind == "ID" {
		return "an ID"
	}
	return "a " + kind
}
