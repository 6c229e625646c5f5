package ukdata

import "testing"

func TestNormaliseEntry(t *testing.T) {
	tests := []struct {
		name, in, want string
		ok             bool
	}{
		{"entry", "5A002", "5A002", true},
		{"run together", "5A002a1", "5A002.a.1", true},
		{"dotted", "5A002.a.1", "5A002.a.1", true},
		{"upper-case sub-items", "5A002.A.1", "5A002.a.1", true},
		{"lower-case entry", "5a002a1", "5A002.a.1", true},
		{"brackets", "5A002.a(1)", "5A002.a.1", true},
		{"deep", "6A005d1d1d", "6A005.d.1.d.1.d", true},
		{"two-digit level", "3A001a12", "3A001.a.12", true},
		{"trailing dot", "1C010.b.", "1C010.b", true},
		{"spaces around", " 0C002 ", "0C002", true},
		{"hyphen", "5A002-a", "", false},
		{"inner space", "5A002 a", "", false},
		{"four digits", "5A0021", "", false},
		{"short", "5A02", "", false},
		{"product group F", "5F002", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := normaliseEntry(tt.in)
			if got != tt.want || ok != tt.ok {
				t.Errorf("normaliseEntry(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestClassify(t *testing.T) {
	tests := []struct {
		name, rating string
		kind         kind
		code         string
	}{
		{"Annex I entry", "5A002", dualUse, "5A002"},
		{"Annex I sub-item", "5A002a1", dualUse, "5A002.a.1"},
		{"WMD end-use control", "End Use", wmdEndUse, ""},
		{"military end-use control", "MEND", militaryEndUse, ""},
		{"military list", "ML10", militaryList, ""},
		{"military list in lower case", "ml16", militaryList, ""},
		{"UK national military", "PL5017", nationalList, ""},
		{"UK national dual-use", "PL9009", nationalList, ""},
		{"Iran sanctions", "IRN", otherRating, ""},
		{"torture regulation", "HR AIII", otherRating, ""},
		{"Libyan bank notes", "Art 4B", otherRating, ""},
		{"military technical assistance", "MILTA", otherRating, ""},
		{"malformed Annex I code", "5A002-a", malformedDualUse, ""},
		{"empty", "", otherRating, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k, code := classify(tt.rating)
			if k != tt.kind || code != tt.code {
				t.Errorf("classify(%q) = %v, %q; want %v, %q", tt.rating, k, code, tt.kind, tt.code)
			}
		})
	}
}
