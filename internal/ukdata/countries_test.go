package ukdata

import (
	"testing"
	"time"
)

func TestLookUpDestination(t *testing.T) {
	tests := []struct {
		name, country string
		date          time.Time
		code          string
		place         place
	}{
		{"same as ISO", "Egypt", day(2012, 5, 1), "EG", oneCountry},
		{"UK spelling", "Burma", day(2012, 5, 1), "MM", oneCountry},
		{"older ISO name", "Swaziland", day(2012, 5, 1), "SZ", oneCountry},
		{"Kosovo", "Kosovo", day(2012, 5, 1), "XK", oneCountry},
		{"part of a country", "Sarawak", day(2010, 7, 8), "MY", oneCountry},
		{"a sector of a continental shelf", "Continental Shelf Norwegian Sector", day(2012, 2, 21), "NO", oneCountry},
		{"the UK's continental shelf is the UK", "Continental Shelf: United Kingdom sector", day(2012, 1, 1), "GB", oneCountry},
		{"Netherlands Antilles on its last day", "Netherlands Antilles", day(2010, 10, 9), "AN", oneCountry},
		{"Netherlands Antilles after it was dissolved", "Netherlands Antilles", day(2010, 10, 10), "", notOne},
		{"Channel Islands", "Channel Islands", day(2012, 1, 1), "", notOne},
		{"French Overseas Territory", "French Overseas Territory", day(2012, 1, 1), "", notOne},
		{"a name not in the table", "Atlantis", day(2012, 1, 1), "", unknownPlace},
		{"names are matched exactly", "egypt", day(2012, 1, 1), "", unknownPlace},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, place := lookUpDestination(tt.country, tt.date)
			if code != tt.code || place != tt.place {
				t.Errorf("lookUpDestination(%q, %s) = %q, %v; want %q, %v", tt.country, tt.date.Format(time.DateOnly), code, place, tt.code, tt.place)
			}
		})
	}
}

func TestInEU(t *testing.T) {
	tests := []struct {
		name, code string
		date       time.Time
		want       bool
	}{
		{"France", "FR", day(2008, 1, 17), true},
		{"Croatia before it joined", "HR", day(2013, 6, 30), false},
		{"Croatia the day it joined", "HR", day(2013, 7, 1), true},
		{"Norway", "NO", day(2012, 1, 1), false},
		{"the UK itself is not a destination in the Union", "GB", day(2012, 1, 1), false},
		{"Greece under its ISO code", "GR", day(2012, 1, 1), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := inEU(tt.code, tt.date); got != tt.want {
				t.Errorf("inEU(%q, %s) = %v, want %v", tt.code, tt.date.Format(time.DateOnly), got, tt.want)
			}
		})
	}
}

// The table's codes and Member States are the portal's reference data's.
func TestTablesMatchReference(t *testing.T) {
	ref := loadReference(t)
	for name, code := range countryCodes {
		if _, ok := ref.Countries[code]; !ok {
			t.Errorf("%q maps to %s, which is not in the reference list of countries", name, code)
		}
	}
	for code, joined := range euJoined {
		m, ok := ref.MemberStates[code]
		if !ok || !m.From.Equal(joined) || m.Until != nil {
			t.Errorf("Member State %s joined %s here; reference: %+v", code, joined.Format(time.DateOnly), m)
		}
	}
	if len(euJoined) != len(ref.MemberStates)-1 {
		t.Errorf("%d Member States here, %d in the reference with the UK", len(euJoined), len(ref.MemberStates))
	}
	uk := ref.MemberStates[memberState]
	if uk.Until == nil || !uk.Until.Equal(leftEU) {
		t.Errorf("the reference has the UK a Member State until %v, here until %s", uk.Until, leftEU.Format(time.DateOnly))
	}
	an := ref.Countries["AN"]
	if an.To == nil || !an.To.Equal(antillesDissolved.AddDate(0, 0, -1)) {
		t.Errorf("the reference has AN in use until %v, here until the day before %s", an.To, antillesDissolved.Format(time.DateOnly))
	}
}
