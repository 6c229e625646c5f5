package db_test

import (
	"context"
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
	whole, err := d.ControlEntries(ctx, db.ControlEntryFilter{}, ptr(500), nil)
	if err != nil {
		t.Fatal(err)
	}
	if whole.TotalCount < 100 || whole.TotalCount != len(whole.Nodes) {
		t.Fatalf("one page: %d nodes of %d, want all of at least 100", len(whole.Nodes), whole.TotalCount)
	}
	var paged []string
	var after *string
	for {
		p, err := d.ControlEntries(ctx, db.ControlEntryFilter{}, ptr(7), after)
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
