package codes

import (
	"bytes"
	"slices"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    Outcome
		wantErr bool
	}{
		{name: "known code", in: "DENIED", want: Denied},
		{name: "last code", in: "WITHDRAWN", want: "WITHDRAWN"},
		{name: "lower case is not a code", in: "denied", wantErr: true},
		{name: "empty", in: "", wantErr: true},
		{name: "unknown", in: "REFUSED", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(Outcomes, tt.in)
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Fatalf("Parse(%q) = %q, %v; want %q, error %v", tt.in, got, err, tt.want, tt.wantErr)
			}
		})
	}
}

func TestGraphQLRoundTrip(t *testing.T) {
	for _, g := range DenialGrounds {
		var buf bytes.Buffer
		g.MarshalGQL(&buf)
		if want := `"` + string(g) + `"`; buf.String() != want {
			t.Fatalf("MarshalGQL(%s) = %s, want %s", g, buf.String(), want)
		}
		var back DenialGround
		if err := back.UnmarshalGQL(string(g)); err != nil || back != g {
			t.Fatalf("UnmarshalGQL(%s) = %s, %v", g, back, err)
		}
	}
	var lt LicenceType
	if err := lt.UnmarshalGQL(42); err == nil {
		t.Fatal("UnmarshalGQL(42) succeeded, want an error")
	}
	if err := lt.UnmarshalGQL("EU009"); err == nil {
		t.Fatal("UnmarshalGQL(EU009) succeeded, want an error")
	}
}

func TestListsHaveNoDuplicates(t *testing.T) {
	seen := map[string]bool{}
	for _, list := range [][]string{
		toStrings(LicenceTypes), toStrings(Outcomes), toStrings(DenialGrounds), toStrings(EndUserTypes),
	} {
		for _, c := range list {
			if seen[c] {
				t.Fatalf("code %s appears twice", c)
			}
			seen[c] = true
		}
	}
	if len(seen) != 13+6+13+9 {
		t.Fatalf("got %d codes, want %d", len(seen), 13+6+13+9)
	}
	// A catch-all clause shares its code with the denial ground it leads to (WMD, say),
	// so its list is checked on its own.
	if c := slices.Compact(slices.Sorted(slices.Values(CatchAlls))); len(c) != 6 || !slices.Contains(c, NoCatchAll) {
		t.Fatalf("CatchAlls = %v, want 6 distinct clauses including NONE", CatchAlls)
	}
}

func toStrings[T ~string](list []T) []string {
	out := make([]string, len(list))
	for i, c := range list {
		out[i] = string(c)
	}
	return out
}
