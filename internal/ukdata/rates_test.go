package ukdata

import (
	"slices"
	"testing"
)

func TestEURCents(t *testing.T) {
	tests := []struct {
		name    string
		pence   int64
		year    int
		want    int64
		wantErr bool
	}{
		{"one pound in 2008", 100, 2008, 126, false}, // 1 / 0.79628 = 1.2558
		{"a row of the source", 354000, 2008, 444567, false},
		{"rounds half up", 72584, 2015, 100000, false},
		{"zero stays zero", 0, 2013, 0, false},
		{"January 2020", 100000, 2020, 112397, false},
		{"the largest value of the source", 776787500000, 2013, 914663942727, false},
		{"no rate before 2008", 100, 2007, 0, true},
		{"no rate after the UK left", 100, 2021, 0, true},
		{"out of range", 2e12, 2010, 0, true},
		{"negative", -1, 2010, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := eurCents(tt.pence, tt.year)
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Errorf("eurCents(%d, %d) = %d, %v; want %d (error: %v)", tt.pence, tt.year, got, err, tt.want, tt.wantErr)
			}
		})
	}
}

func TestShares(t *testing.T) {
	tests := []struct {
		name  string
		cents int64
		n     int
		want  []int64
	}{
		{"one licence", 500, 1, []int64{500}},
		{"even", 600, 3, []int64{200, 200, 200}},
		{"first ones take the cents left", 7, 3, []int64{3, 2, 2}},
		{"zero", 0, 2, []int64{0, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := shares(tt.cents, tt.n); !slices.Equal(got, tt.want) {
				t.Errorf("shares(%d, %d) = %v, want %v", tt.cents, tt.n, got, tt.want)
			}
		})
	}
}

func TestParsePence(t *testing.T) {
	tests := []struct {
		name, in string
		want     int64
		wantErr  bool
	}{
		{"pounds", "3540", 354000, false},
		{"zero", "0", 0, false},
		{"one decimal", "12.5", 1250, false},
		{"two decimals", "12.05", 1205, false},
		{"three decimals", "1.234", 0, true},
		{"negative", "-1", 0, true},
		{"signed decimals", "1.-5", 0, true},
		{"text", "n/a", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parsePence(tt.in)
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Errorf("parsePence(%q) = %d, %v; want %d (error: %v)", tt.in, got, err, tt.want, tt.wantErr)
			}
		})
	}
}

func TestFormatCents(t *testing.T) {
	tests := []struct {
		name  string
		cents int64
		want  string
	}{
		{"zero", 0, "0.00"},
		{"cents only", 7, "0.07"},
		{"euros", 444567, "4445.67"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := formatCents(tt.cents); got != tt.want {
				t.Errorf("formatCents(%d) = %q, want %q", tt.cents, got, tt.want)
			}
		})
	}
}
