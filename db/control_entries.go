package db

import (
	"context"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/dualuse-transparency/portal/internal/apperr"
	"github.com/dualuse-transparency/portal/internal/page"
)

// ControlCategory is a category of the EU control list, 0 to 9.
type ControlCategory struct {
	Code int
	Name string
}

// ProductGroup is a product group of the EU control list, A to E.
type ProductGroup struct {
	Code string
	Name string
}

// ControlEntry is an entry of the EU control list (Annex I), valid for a period.
type ControlEntry struct {
	Code              string
	ParentCode        *string
	Category          ControlCategory
	ProductGroup      ProductGroup
	Description       string
	CyberSurveillance bool
	ValidFrom         time.Time
	ValidTo           *time.Time
	Source            string
	ValidFromBasis    string // why ValidFrom is that day: the act that added the entry, or the regime start, unverified
}

// ControlEntryFilter restricts a list of control entries; zero fields do not filter.
type ControlEntryFilter struct {
	Search            string
	Category          *int
	CyberSurveillance *bool
	AsOf              *time.Time
}

// ControlEntryConnection is one page of control entries.
type ControlEntryConnection struct {
	Nodes      []ControlEntry
	PageInfo   PageInfo
	TotalCount int
}

// The page sizes of control entry lists.
const (
	controlEntryPageDefault = 50
	controlEntryPageMax     = 500
	controlEntryCursor      = "controlEntry"
)

// ControlEntries returns a page of the entries that match the filter, ordered by code.
func (db *DB) ControlEntries(ctx context.Context, f ControlEntryFilter, first *int, after *string) (_ *ControlEntryConnection, err error) {
	defer apperr.Wrap(&err, "db.ControlEntries(%+v)", f)
	size, err := page.Size(first, controlEntryPageDefault, controlEntryPageMax)
	if err != nil {
		return nil, err
	}
	if err := checkText("search", f.Search); err != nil {
		return nil, err
	}
	if after != nil {
		if err := checkText("after", *after); err != nil {
			return nil, err
		}
	}
	afterCode, err := page.Decode(controlEntryCursor, after)
	if err != nil {
		return nil, err
	}
	if f.Category != nil {
		if err := checkCategories("category", *f.Category); err != nil {
			return nil, err
		}
	}
	search := escapeLike(strings.TrimSpace(f.Search))
	rows, err := db.pool.Query(ctx, `
		WITH matching AS (
		    SELECT ce.code, ce.parent_code, ce.category, cc.name AS category_name, ce.product_group,
		           pg.name AS product_group_name, ce.description, ce.cyber_surveillance,
		           ce.valid_from, ce.valid_to, ce.source, coalesce(ce.valid_from_basis, '') AS valid_from_basis
		    FROM control_entries ce
		    JOIN control_categories cc ON cc.code = ce.category
		    JOIN product_groups pg ON pg.code = ce.product_group
		    WHERE ($1 = '' OR ce.code ILIKE $1 || '%' OR ce.description ILIKE '%' || $1 || '%')
		      AND ($2::smallint IS NULL OR ce.category = $2)
		      AND ($3::boolean IS NULL OR ce.cyber_surveillance = $3)
		      AND ($4::date IS NULL OR (ce.valid_from <= $4 AND (ce.valid_to IS NULL OR ce.valid_to >= $4)))
		)
		SELECT m.*, (SELECT count(*) FROM matching)
		FROM matching m
		WHERE m.code > $5
		ORDER BY m.code
		LIMIT $6`,
		search, f.Category, f.CyberSurveillance, f.AsOf, afterCode, size+1)
	if err != nil {
		return nil, err
	}
	var total int
	nodes, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (ControlEntry, error) {
		return scanControlEntry(row, &total)
	})
	if err != nil {
		return nil, err
	}
	return &ControlEntryConnection{Nodes: nodes[:min(size, len(nodes))], PageInfo: pageInfo(nodes, size, controlEntryCursor, func(e ControlEntry) string { return e.Code }), TotalCount: total}, nil
}

// ControlEntry returns the entry with the code, or a NotFound error.
func (db *DB) ControlEntry(ctx context.Context, code string) (_ *ControlEntry, err error) {
	defer apperr.Wrap(&err, "db.ControlEntry(%q)", code)
	byCode, err := db.ControlEntriesByCode(ctx, []string{strings.TrimSpace(code)})
	if err != nil {
		return nil, err
	}
	e, ok := byCode[strings.TrimSpace(code)]
	if !ok {
		return nil, apperr.Errorf(apperr.NotFound, "no control list entry with code %q", code)
	}
	return &e, nil
}

// ControlEntriesByCode returns the entries with the given codes, by code.
func (db *DB) ControlEntriesByCode(ctx context.Context, codes []string) (_ map[string]ControlEntry, err error) {
	defer apperr.Wrap(&err, "db.ControlEntriesByCode(%d codes)", len(codes))
	entries, err := db.queryControlEntries(ctx, `ce.code = ANY($1)`, codes)
	return keyBy(entries, func(e ControlEntry) string { return e.Code }), err
}

// ControlEntryChildren returns the sub-items of the given entries, by parent code,
// each list ordered by code.
func (db *DB) ControlEntryChildren(ctx context.Context, parents []string) (_ map[string][]ControlEntry, err error) {
	defer apperr.Wrap(&err, "db.ControlEntryChildren(%d parents)", len(parents))
	entries, err := db.queryControlEntries(ctx, `ce.parent_code = ANY($1)`, parents)
	byParent := make(map[string][]ControlEntry, len(parents))
	for _, e := range entries {
		byParent[*e.ParentCode] = append(byParent[*e.ParentCode], e)
	}
	return byParent, err
}

// queryControlEntries selects entries by a fixed condition on the codes in $1.
func (db *DB) queryControlEntries(ctx context.Context, where string, codes []string) ([]ControlEntry, error) {
	rows, err := db.pool.Query(ctx, `
		SELECT ce.code, ce.parent_code, ce.category, cc.name, ce.product_group, pg.name,
		       ce.description, ce.cyber_surveillance, ce.valid_from, ce.valid_to, ce.source,
		       coalesce(ce.valid_from_basis, '')
		FROM control_entries ce
		JOIN control_categories cc ON cc.code = ce.category
		JOIN product_groups pg ON pg.code = ce.product_group
		WHERE `+where+`
		ORDER BY ce.code`, codes)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (ControlEntry, error) {
		return scanControlEntry(row)
	})
}

// ControlCategories returns the ten categories of the control list.
func (db *DB) ControlCategories(ctx context.Context) (_ []ControlCategory, err error) {
	defer apperr.Wrap(&err, "db.ControlCategories")
	rows, err := db.pool.Query(ctx, `SELECT code, name FROM control_categories ORDER BY code`)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[ControlCategory])
}

// ProductGroups returns the five product groups of the control list.
func (db *DB) ProductGroups(ctx context.Context) (_ []ProductGroup, err error) {
	defer apperr.Wrap(&err, "db.ProductGroups")
	rows, err := db.pool.Query(ctx, `SELECT code, name FROM product_groups ORDER BY code`)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[ProductGroup])
}

// scanControlEntry scans the entry columns, then any extra columns into extra.
func scanControlEntry(row pgx.CollectableRow, extra ...any) (ControlEntry, error) {
	var e ControlEntry
	dest := append([]any{&e.Code, &e.ParentCode, &e.Category.Code, &e.Category.Name,
		&e.ProductGroup.Code, &e.ProductGroup.Name, &e.Description, &e.CyberSurveillance,
		&e.ValidFrom, &e.ValidTo, &e.Source, &e.ValidFromBasis}, extra...)
	return e, row.Scan(dest...)
}

// escapeLike makes s match itself in a LIKE pattern.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
