package release

import (
	"strings"
	"testing"
)

func TestCitationText(t *testing.T) {
	base := Meta{
		ID: "demo-2015-2024", Title: "Synthetic demo release", Publisher: "Dual-use transparency portal",
		PublishedOn: date("2025-06-30"), Licence: "CC-BY-4.0",
	}
	withURL, given := base, base
	withURL.URL = "https://example.org/releases/demo-2015-2024"
	given.Citation = "Cite me like this."
	tests := []struct {
		name string
		meta Meta
		want string
	}{
		{name: "made", meta: base, want: "Dual-use transparency portal (2025). Synthetic demo release [data set], " +
			"release demo-2015-2024, published 2025-06-30. CC-BY-4.0."},
		{name: "made with a URL", meta: withURL, want: "Dual-use transparency portal (2025). Synthetic demo release [data set], " +
			"release demo-2015-2024, published 2025-06-30. CC-BY-4.0. https://example.org/releases/demo-2015-2024"},
		{name: "given", meta: given, want: "Cite me like this."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.meta.CitationText(); got != tt.want {
				t.Fatalf("CitationText() =\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

func TestProblemsError(t *testing.T) {
	tests := []struct {
		name string
		ps   Problems
		want string
	}{
		{name: "one", ps: Problems{{File: "release.json", Line: 0, Column: "id", Message: "required"}},
			want: "1 problem in the release:\nrelease.json:0: id: required"},
		{name: "two", ps: Problems{
			{File: "licence_decisions.csv", Line: 12, Column: "destination", Message: `unknown country "XX"`},
			{File: "release.json", Line: 0, Column: "-", Message: "missing file"},
		}, want: "2 problems in the release:\n" +
			"licence_decisions.csv:12: destination: unknown country \"XX\"\nrelease.json:0: -: missing file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.ps.Error(); got != tt.want {
				t.Fatalf("Error() =\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

func TestProblemsSorted(t *testing.T) {
	ps := &problems{}
	ps.add("release.json", 0, "id", "b")
	ps.add("licence_decisions.csv", 9, "outcome", "c")
	ps.add("licence_decisions.csv", 3, "member_state", "d")
	ps.add("licence_decisions.csv", 3, "destination", "e")
	var got []string
	for _, p := range ps.sorted() {
		got = append(got, p.Message)
	}
	if strings.Join(got, "") != "decb" {
		t.Fatalf("order = %v, want d e c b (file, line, then as found)", got)
	}
}
