package db

import (
	"context"
	"strconv"

	"github.com/dualuse-transparency/portal/internal/apperr"
)

// ControlEntriesOrUnlisted is ControlEntriesByCode for the codes that decisions hold:
// a well-formed code the reference data lacks (the importer takes it with a warning,
// since an authority's list can be ahead of the portal's) is answered with its code,
// category and product group, and no description, dates or source.
func (db *DB) ControlEntriesOrUnlisted(ctx context.Context, codes []string) (_ map[string]ControlEntry, err error) {
	defer apperr.Wrap(&err, "db.ControlEntriesOrUnlisted(%d codes)", len(codes))
	entries, err := db.ControlEntriesByCode(ctx, codes)
	if err != nil {
		return nil, err
	}
	var categories map[string]ControlCategory
	var groups map[string]ProductGroup
	for _, code := range codes {
		if _, ok := entries[code]; ok || len(code) < 2 {
			continue
		}
		if categories == nil {
			if categories, groups, err = db.entryClasses(ctx); err != nil {
				return nil, err
			}
		}
		entries[code] = ControlEntry{Code: code, Category: categories[code[:1]], ProductGroup: groups[code[1:2]]}
	}
	return entries, nil
}

// entryClasses are the control categories and product groups by their codes.
func (db *DB) entryClasses(ctx context.Context) (map[string]ControlCategory, map[string]ProductGroup, error) {
	categories, err := db.ControlCategories(ctx)
	if err != nil {
		return nil, nil, err
	}
	groups, err := db.ProductGroups(ctx)
	return keyBy(categories, func(c ControlCategory) string { return strconv.Itoa(c.Code) }),
		keyBy(groups, func(g ProductGroup) string { return g.Code }), err
}
