package db_test

import (
	"context"
	"encoding/csv"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/dualuse-transparency/portal/db"
	"github.com/dualuse-transparency/portal/internal/apperr"
	"github.com/dualuse-transparency/portal/internal/testdb"
)

func entryCodes(entries []db.ControlEntry) []string {
	out := make([]string, len(entries))
	for i, e := range entries {
		out[i] = e.Code
	}
	return out
}

// Reading a list page by page gives the same entries, in the same order, as one big page.
func TestControlEntriesPagesAreStable(t *testing.T) {
	d := testdb.New(t)
	ctx := context.Background()
	category5 := db.ControlEntryFilter{Category: ptr(5)} // 177 rows: one page of 500 holds them all
	whole, err := d.ControlEntries(ctx, category5, ptr(500), nil)
	if err != nil {
		t.Fatal(err)
	}
	if whole.TotalCount < 100 || whole.TotalCount != len(whole.Nodes) {
		t.Fatalf("one page: %d nodes of %d, want all of at least 100", len(whole.Nodes), whole.TotalCount)
	}
	var paged []string
	var after *string
	for {
		p, err := d.ControlEntries(ctx, category5, ptr(7), after)
		if err != nil {
			t.Fatal(err)
		}
		if p.TotalCount != whole.TotalCount {
			t.Fatalf("page after %v: totalCount %d, want %d", after, p.TotalCount, whole.TotalCount)
		}
		paged = append(paged, entryCodes(p.Nodes)...)
		if !p.PageInfo.HasNextPage {
			break
		}
		after = p.PageInfo.EndCursor
	}
	if !slices.Equal(paged, entryCodes(whole.Nodes)) {
		t.Errorf("pages of 7 gave %d codes, one page %d: they differ", len(paged), len(whole.Nodes))
	}
	if !slices.IsSorted(paged) {
		t.Error("codes are not in order")
	}
}

func TestControlEntriesFilters(t *testing.T) {
	d := testdb.New(t)
	tests := []struct {
		name   string
		filter db.ControlEntryFilter
		check  func(e db.ControlEntry) bool
		want   []string // codes that must be in the answer
	}{
		{name: "code prefix", filter: db.ControlEntryFilter{Search: "5a001"},
			check: func(e db.ControlEntry) bool {
				return strings.HasPrefix(e.Code, "5A001") || strings.Contains(strings.ToLower(e.Description), "5a001")
			},
			want: []string{"5A001", "5A001.f", "5A001.j"}},
		{name: "description word", filter: db.ControlEntryFilter{Search: "intrusion software"},
			check: func(e db.ControlEntry) bool {
				return strings.Contains(strings.ToLower(e.Description), "intrusion software")
			},
			want: []string{"4A005", "4D004"}},
		{name: "category", filter: db.ControlEntryFilter{Category: ptr(9)},
			check: func(e db.ControlEntry) bool { return e.Category.Code == 9 && e.Code[0] == '9' },
			want:  []string{"9A012"}},
		{name: "cyber-surveillance and category", filter: db.ControlEntryFilter{Category: ptr(5), CyberSurveillance: ptr(true)},
			check: func(e db.ControlEntry) bool { return e.Category.Code == 5 && e.CyberSurveillance },
			want:  []string{"5A001.f", "5A001.j", "5D001.e"}},
		{name: "in force in 2012: no intrusion software yet", filter: db.ControlEntryFilter{AsOf: ptr(date("2012-01-01")), Search: "intrusion"},
			check: func(e db.ControlEntry) bool { return e.ValidFrom.Before(date("2012-01-02")) }},
		{name: "wildcards are literal", filter: db.ControlEntryFilter{Search: "%_%"},
			check: func(e db.ControlEntry) bool { return strings.Contains(e.Description, "%_%") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := d.ControlEntries(context.Background(), tt.filter, ptr(500), nil)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range p.Nodes {
				if !tt.check(e) {
					t.Errorf("entry %s (%s) does not match the filter", e.Code, e.Description)
				}
			}
			for _, code := range tt.want {
				if !slices.Contains(entryCodes(p.Nodes), code) {
					t.Errorf("entry %s missing from %v", code, entryCodes(p.Nodes))
				}
			}
		})
	}
}

func TestControlEntriesBadInput(t *testing.T) {
	d := testdb.New(t)
	other := "Y291bnRyeTpFRw" // a cursor of another list
	tests := []struct {
		name   string
		filter db.ControlEntryFilter
		first  *int
		after  *string
	}{
		{name: "page too large", first: ptr(501)},
		{name: "page of zero", first: ptr(0)},
		{name: "category out of range", filter: db.ControlEntryFilter{Category: ptr(12)}},
		{name: "garbage cursor", after: ptr("not a cursor")},
		{name: "cursor of another list", after: &other},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := d.ControlEntries(context.Background(), tt.filter, tt.first, tt.after)
			if apperr.CodeOf(err) != apperr.Invalid {
				t.Fatalf("error = %v, want code %s", err, apperr.Invalid)
			}
		})
	}
}

func TestControlEntryFamily(t *testing.T) {
	d := testdb.New(t)
	ctx := context.Background()
	e, err := d.ControlEntry(ctx, "5A001.j")
	if err != nil {
		t.Fatal(err)
	}
	if e.ParentCode == nil || *e.ParentCode != "5A001" || e.Category.Code != 5 || e.ProductGroup.Code != "A" || !e.CyberSurveillance {
		t.Fatalf("5A001.j = %+v, want parent 5A001, category 5, group A, cyber-surveillance", e)
	}
	children, err := d.ControlEntryChildren(ctx, []string{"5A001", "5D001"})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(entryCodes(children["5A001"]), "5A001.j") || !slices.Contains(entryCodes(children["5D001"]), "5D001.e") {
		t.Errorf("children = %v, want 5A001.j under 5A001 and 5D001.e under 5D001", children)
	}
	if _, err := d.ControlEntry(ctx, "9Z999"); apperr.CodeOf(err) != apperr.NotFound {
		t.Errorf("ControlEntry(9Z999) error = %v, want NOT_FOUND", err)
	}
}

// annexCodes reads the codes of Annex I as consolidated on 2025-11-15, with their
// parents, as the generator in db/reference/gen wrote them from the Annex file.
func annexCodes(t *testing.T) map[string]string {
	t.Helper()
	records := readCSV(t, "testdata/annex-i-2025-11-codes.csv")
	parents := make(map[string]string, len(records))
	for _, r := range records[1:] {
		parents[r[0]] = r[1]
	}
	return parents
}

// The control list is the whole Annex: every code of the 2025-11-15 consolidation, each
// under its parent, and nothing else (no code of the earlier list was dropped from it).
func TestControlEntriesAreTheAnnex(t *testing.T) {
	d := testdb.New(t)
	ctx := context.Background()
	annex := annexCodes(t)
	if len(annex) != 3443 {
		t.Fatalf("testdata has %d Annex I codes, want 3443", len(annex))
	}
	codes := make([]string, 0, len(annex))
	for code := range annex {
		codes = append(codes, code)
	}
	loaded, err := d.ControlEntriesByCode(ctx, codes)
	if err != nil {
		t.Fatal(err)
	}
	for code, parent := range annex {
		e, ok := loaded[code]
		switch {
		case !ok:
			t.Errorf("%s: not loaded", code)
		case derefString(e.ParentCode) != parent:
			t.Errorf("%s: parent %q, want %q", code, derefString(e.ParentCode), parent)
		case e.Description == "":
			t.Errorf("%s: no description", code)
		}
	}
	all, err := d.ControlEntries(ctx, db.ControlEntryFilter{}, ptr(1), nil)
	if err != nil {
		t.Fatal(err)
	}
	if all.TotalCount != len(annex) {
		t.Errorf("%d control entries loaded, want the %d of the Annex", all.TotalCount, len(annex))
	}
}

func derefString(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// An entry is in force from the day its introduction is known, or from the start of the
// regime (Regulation 1334/2000, 2000-09-28) when none later is; a sub-item is never
// older than its entry.
func TestControlEntryValidity(t *testing.T) {
	d := testdb.New(t)
	tests := []struct {
		name  string
		code  string
		asOf  string
		valid bool
	}{
		{name: "encryption in the first year of real releases", code: "5A002", asOf: "2008-01-02", valid: true},
		{name: "an entry on the regime's first day", code: "1C350", asOf: "2000-09-28", valid: true},
		{name: "no entry before the regime", code: "1C350", asOf: "2000-09-27", valid: false},
		{name: "intrusion software not yet listed", code: "4A005", asOf: "2014-12-30", valid: false},
		{name: "intrusion software from the 2014 update", code: "4A005", asOf: "2014-12-31", valid: true},
		{name: "IP network surveillance sub-item follows its entry", code: "5A001.j.1", asOf: "2014-12-30", valid: false},
		{name: "forensic tools sub-item, later than 5A004", code: "5A004.b.1", asOf: "2018-01-01", valid: false},
		{name: "5A004.a from 2016", code: "5A004.a", asOf: "2018-01-01", valid: true},
		{name: "EU-wide quantum control before 2025/2003", code: "4A506", asOf: "2025-11-14", valid: false},
		{name: "EU-wide quantum control from 2025/2003", code: "4A506", asOf: "2025-11-15", valid: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := d.ControlEntries(context.Background(), db.ControlEntryFilter{Search: tt.code, AsOf: ptr(date(tt.asOf))}, ptr(500), nil)
			if err != nil {
				t.Fatal(err)
			}
			if got := slices.Contains(entryCodes(p.Nodes), tt.code); got != tt.valid {
				t.Errorf("%s in force on %s: %t, want %t", tt.code, tt.asOf, got, tt.valid)
			}
			e, err := d.ControlEntry(context.Background(), tt.code)
			if err != nil {
				t.Fatal(err)
			}
			if e.ValidFromBasis == "" {
				t.Errorf("%s: no valid_from basis", tt.code)
			}
		})
	}
}

// readCSV reads every record of a test data file, its header first.
func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	records, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return records
}
