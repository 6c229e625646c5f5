package release

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// parseDate reads a calendar date written YYYY-MM-DD, refusing dates that do not exist.
func parseDate(s string) (time.Time, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not a date (YYYY-MM-DD)", s)
	}
	return t, nil
}

// day writes a date the way the files do.
func day(t time.Time) string { return t.Format(time.DateOnly) }

// dayOf is the calendar date of t at midnight UTC, the form parseDate gives, so dates
// from the database compare with dates from the files whatever their time zone.
func dayOf(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// hasPeriod reports whether the metadata gives both ends of the reference period.
func hasPeriod(m Meta) bool { return !m.PeriodStart.IsZero() && !m.PeriodEnd.IsZero() }

// dateCache parses each distinct date once: a release has a few thousand distinct
// dates over a million rows, and time.Parse is the slowest step of a row.
type dateCache map[string]time.Time

func (c dateCache) parse(s string) (time.Time, error) {
	if t, ok := c[s]; ok {
		return t, nil
	}
	t, err := parseDate(s)
	if err == nil {
		c[strings.Clone(s)] = t
	}
	return t, err
}

// parseAmount reads a number >= 0 in plain decimal notation with at most maxDecimals
// decimals (any number when negative). Signs, exponents, "NaN" and the like that
// strconv.ParseFloat would take are refused: a figure must read the same everywhere.
func parseAmount(s string, maxDecimals int) (float64, bool) {
	whole, frac, hasPoint := strings.Cut(s, ".")
	if !allDigits(whole) || hasPoint && (!allDigits(frac) || maxDecimals >= 0 && len(frac) > maxDecimals) {
		return 0, false
	}
	v, err := strconv.ParseFloat(s, 64)
	return v, err == nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// isWebURL reports whether s is an absolute http or https URL.
func isWebURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// hasWord reports whether s contains word, in any case, as a word of its own rather
// than inside a longer one ("Synthetic data" does, "synthetically" does not).
func hasWord(s, word string) bool {
	s, word = strings.ToLower(s), strings.ToLower(word)
	for i := 0; ; {
		j := strings.Index(s[i:], word)
		if j < 0 {
			return false
		}
		start, end := i+j, i+j+len(word)
		before, _ := utf8.DecodeLastRuneInString(s[:start])
		after, _ := utf8.DecodeRuneInString(s[end:])
		if !isWordRune(before) && !isWordRune(after) {
			return true
		}
		i = start + 1
	}
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// checkLength requires s to be given and at most max characters long.
func checkLength(s string, max int) error {
	if s != "" && len(s) <= max { // the common case, without counting runes
		return nil
	}
	switch n := utf8.RuneCountInString(s); {
	case n == 0:
		return errors.New("required")
	case n > max:
		return fmt.Errorf("%d characters, at most %d allowed", n, max)
	}
	return nil
}
