// Package page implements the cursor pagination every list of the API shares: a page
// size with a default and a hard limit, and opaque cursors that carry the sort key of
// the last row, so the next page is a keyset query that stays stable as pages are read.
package page

import (
	"encoding/base64"
	"strings"

	"github.com/dualuse-transparency/portal/internal/apperr"
)

// Size returns the page size asked for by first, or def when first is nil.
// It refuses sizes outside 1..max with an Invalid error.
func Size(first *int, def, max int) (int, error) {
	if first == nil {
		return def, nil
	}
	if *first < 1 || *first > max {
		return 0, apperr.Errorf(apperr.Invalid, "first must be between 1 and %d, got %d", max, *first)
	}
	return *first, nil
}

// Encode makes an opaque cursor from a list's kind and the sort key of a row.
func Encode(kind, key string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(kind + ":" + key))
}

// Decode returns the sort key in cursor, or an Invalid error when the cursor was not
// made by Encode for this kind of list. A nil cursor decodes to "" (the first page).
func Decode(kind string, cursor *string) (string, error) {
	if cursor == nil {
		return "", nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(*cursor)
	key, ok := strings.CutPrefix(string(raw), kind+":")
	if err != nil || !ok {
		return "", apperr.Errorf(apperr.Invalid, "after: %q is not a cursor of this list", *cursor)
	}
	return key, nil
}
