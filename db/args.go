package db

import (
	"strings"

	"github.com/dualuse-transparency/portal/internal/apperr"
)

// The calendar years an argument may name. A year outside them cannot be one the
// portal has figures for, and refusing it up front keeps it from reaching PostgreSQL,
// where years are small integers and dates have bounds.
const (
	MinYear = 1900
	MaxYear = 2100
)

// checkYears refuses a year outside MinYear..MaxYear, naming the argument.
func checkYears(name string, years ...int) error {
	for _, y := range years {
		if y < MinYear || y > MaxYear {
			return apperr.Errorf(apperr.Invalid, "%s: %d is not a year from %d to %d", name, y, MinYear, MaxYear)
		}
	}
	return nil
}

// checkCategories refuses a control list category other than 0 to 9, naming the argument.
func checkCategories(name string, categories ...int) error {
	for _, c := range categories {
		if c < 0 || c > 9 {
			return apperr.Errorf(apperr.Invalid, "%s must be a digit from 0 to 9, got %d", name, c)
		}
	}
	return nil
}

// maxText is the longest text argument, in bytes: longer than any code, id, search or
// cursor the portal reads.
const maxText = 1000

// checkText refuses text no argument can mean before it reaches PostgreSQL, which
// refuses NUL characters in text: a NUL character, or more than maxText bytes. The
// API refuses both already (graph/scalars); this guards the other callers.
func checkText(name, s string) error {
	switch {
	case len(s) > maxText:
		return apperr.Errorf(apperr.Invalid, "%s is at most %d bytes; got %d bytes beginning %s", name, maxText, len(s), apperr.Quote(s))
	case strings.ContainsRune(s, 0):
		return apperr.Errorf(apperr.Invalid, "%s: %s cannot contain a NUL character", name, apperr.Quote(s))
	}
	return nil
}
