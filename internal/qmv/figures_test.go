package qmv

import (
	"maps"
	"strings"
	"testing"
)

// figure rows for building Figures in tests.
type figureRow struct {
	year  int
	state string
	fig   Figure
}

func eurostatFig(pop int64) Figure {
	return Figure{Population: pop, Publisher: Eurostat, Source: "Eurostat demo_pjan (synthetic)"}
}

func councilFig(pop int64, act string) Figure {
	return Figure{Population: pop, Publisher: Council, Source: act}
}

// figuresOf builds Figures from rows, as the caller does from its reference data.
func figuresOf(rows ...figureRow) Figures {
	f := Figures{}
	for _, r := range rows {
		f.Add(r.year, r.state, r.fig)
	}
	return f
}

// complete returns Eurostat rows for DE, FR and MT in year, the population of
// each being year*1000 plus 1, 2 and 3, so the year used shows in the figures.
func complete(year int) []figureRow {
	base := int64(year) * 1000
	return []figureRow{
		{year, "DE", eurostatFig(base + 1)},
		{year, "FR", eurostatFig(base + 2)},
		{year, "MT", eurostatFig(base + 3)},
	}
}

// without returns rows less those of state.
func without(rows []figureRow, state string) []figureRow {
	var out []figureRow
	for _, r := range rows {
		if r.state != state {
			out = append(out, r)
		}
	}
	return out
}

func rowsOf(groups ...[]figureRow) []figureRow {
	var out []figureRow
	for _, g := range groups {
		out = append(out, g...)
	}
	return out
}

// figuresOfYear is what complete(year) gives for states.
func figuresOfYear(year int, states ...string) map[string]int64 {
	all := map[string]int64{"DE": int64(year)*1000 + 1, "FR": int64(year)*1000 + 2, "MT": int64(year)*1000 + 3}
	out := map[string]int64{}
	for _, s := range states {
		out[s] = all[s]
	}
	return out
}

func TestFiguresFor(t *testing.T) {
	dfm := []string{"DE", "FR", "MT"}
	const act2025, act2025b = "Council Decision (EU) 2024/1 (synthetic)", "Council Decision (EU) 2024/2 (synthetic)"
	tests := []struct {
		name       string
		figures    Figures
		year       int
		states     []string
		wantYear   int
		wantPop    map[string]int64
		wantSource string
		wantNote   string
	}{
		{
			name: "the year asked for, Eurostat's figures", figures: figuresOf(complete(2025)...),
			year: 2025, states: dfm, wantYear: 2025, wantPop: figuresOfYear(2025, dfm...),
			wantSource: "Eurostat population on 1 January 2024",
		},
		{
			name:    "only the states asked for",
			figures: figuresOf(complete(2025)...), year: 2025, states: []string{"FR"},
			wantYear: 2025, wantPop: figuresOfYear(2025, "FR"), wantSource: "Eurostat population on 1 January 2024",
		},
		{
			name: "the Council's figure is preferred to Eurostat's, state by state",
			figures: figuresOf(rowsOf(complete(2025), []figureRow{
				{2025, "DE", councilFig(83_000_000, act2025)},
				{2025, "FR", councilFig(68_000_000, act2025)},
			})...),
			year: 2025, states: dfm, wantYear: 2025,
			wantPop:    map[string]int64{"DE": 83_000_000, "FR": 68_000_000, "MT": 2025_003},
			wantSource: "Eurostat population on 1 January 2024; the Council's own figures for 2025 for DE, FR (" + act2025 + ")",
		},
		{
			name: "all the Council's, from two acts",
			figures: figuresOf(
				figureRow{2025, "DE", councilFig(83_000_000, act2025b)},
				figureRow{2025, "FR", councilFig(68_000_000, act2025)},
				figureRow{2025, "FR", eurostatFig(1)},
			),
			year: 2025, states: []string{"DE", "FR"}, wantYear: 2025,
			wantPop:    map[string]int64{"DE": 83_000_000, "FR": 68_000_000},
			wantSource: "the Council's own figures for 2025 (" + act2025 + "; " + act2025b + ")",
		},
		{
			name: "a gap in the Council's figure falls back to Eurostat's of the same year",
			figures: figuresOf(rowsOf(complete(2025), []figureRow{
				{2025, "DE", councilFig(83_000_000, act2025)},
				{2025, "MT", councilFig(0, act2025)},
			})...),
			year: 2025, states: dfm, wantYear: 2025,
			wantPop:    map[string]int64{"DE": 83_000_000, "FR": 2025_002, "MT": 2025_003},
			wantSource: "Eurostat population on 1 January 2024; the Council's own figures for 2025 for DE (" + act2025 + ")",
		},
		{
			name:    "a year with a gap falls back to the latest earlier complete year",
			figures: figuresOf(rowsOf(complete(2023), complete(2024), without(complete(2025), "MT"), complete(2026))...),
			year:    2025, states: dfm, wantYear: 2024, wantPop: figuresOfYear(2024, dfm...),
			wantSource: "Eurostat population on 1 January 2023",
			wantNote:   "the figures for 2025 lack MT, so the figures for 2024 are used",
		},
		{
			name: "a figure of 0 is a gap, never an estimate",
			figures: figuresOf(rowsOf(complete(2024), without(complete(2025), "MT"),
				[]figureRow{{2025, "MT", eurostatFig(0)}})...),
			year: 2025, states: dfm, wantYear: 2024, wantPop: figuresOfYear(2024, dfm...),
			wantSource: "Eurostat population on 1 January 2023",
			wantNote:   "the figures for 2025 lack MT, so the figures for 2024 are used",
		},
		{
			name: "the note names every missing state, in the order asked",
			figures: figuresOf(rowsOf(complete(2024),
				[]figureRow{{2025, "DE", eurostatFig(1)}})...),
			year: 2025, states: []string{"MT", "DE", "FR"}, wantYear: 2024, wantPop: figuresOfYear(2024, dfm...),
			wantSource: "Eurostat population on 1 January 2023",
			wantNote:   "the figures for 2025 lack MT, FR, so the figures for 2024 are used",
		},
		{
			name:    "an incomplete earlier year is skipped, and the note says why",
			figures: figuresOf(rowsOf(complete(2022), without(complete(2023), "FR"), without(complete(2025), "MT"))...),
			year:    2025, states: dfm, wantYear: 2022, wantPop: figuresOfYear(2022, dfm...),
			wantSource: "Eurostat population on 1 January 2021",
			wantNote:   "the figures for 2025 lack MT, the figures for 2023 lack FR, so the figures for 2022 are used",
		},
		{
			name:    "a gap for a state not asked for does not matter",
			figures: figuresOf(rowsOf(complete(2024), without(complete(2025), "MT"))...),
			year:    2025, states: []string{"DE", "FR"}, wantYear: 2025, wantPop: figuresOfYear(2025, "DE", "FR"),
			wantSource: "Eurostat population on 1 January 2024",
		},
		{
			name:    "no complete earlier year: the earliest complete later one",
			figures: figuresOf(rowsOf(without(complete(2023), "DE"), without(complete(2024), "MT"), complete(2025), complete(2026))...),
			year:    2024, states: dfm, wantYear: 2025, wantPop: figuresOfYear(2025, dfm...),
			wantSource: "Eurostat population on 1 January 2024",
			wantNote:   "the figures for 2024 lack MT, the figures for 2023 lack DE, so the figures for 2025 are used",
		},
		{
			name:    "a year before the first falls back to the earliest",
			figures: figuresOf(rowsOf(complete(2015), complete(2025))...),
			year:    2010, states: dfm, wantYear: 2015, wantPop: figuresOfYear(2015, dfm...),
			wantSource: "Eurostat population on 1 January 2014",
			wantNote:   "there are no population figures before 2015, so the figures for 2015 are used",
		},
		{
			name:    "a year after the last falls back to the latest",
			figures: figuresOf(rowsOf(complete(2015), complete(2025))...),
			year:    2030, states: dfm, wantYear: 2025, wantPop: figuresOfYear(2025, dfm...),
			wantSource: "Eurostat population on 1 January 2024",
			wantNote:   "there are no population figures after 2025, so the figures for 2025 are used",
		},
		{
			name:    "a year between two without figures falls back to the earlier",
			figures: figuresOf(rowsOf(complete(2015), complete(2025))...),
			year:    2019, states: dfm, wantYear: 2015, wantPop: figuresOfYear(2015, dfm...),
			wantSource: "Eurostat population on 1 January 2014",
			wantNote:   "there are no population figures for 2019, so the figures for 2015 are used",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.figures.For(tt.year, tt.states)
			if err != nil {
				t.Fatalf("For(%d): %v", tt.year, err)
			}
			if got.Year != tt.wantYear || !maps.Equal(got.Population, tt.wantPop) {
				t.Errorf("For(%d) = %d %v, want %d %v", tt.year, got.Year, got.Population, tt.wantYear, tt.wantPop)
			}
			if got.Source != tt.wantSource {
				t.Errorf("source %q, want %q", got.Source, tt.wantSource)
			}
			if got.Note != tt.wantNote {
				t.Errorf("note %q, want %q", got.Note, tt.wantNote)
			}
		})
	}
}

func TestFiguresForRefuses(t *testing.T) {
	tests := []struct {
		name    string
		figures Figures
		year    int
		states  []string
		want    string
	}{
		{
			name: "no year has every state", figures: figuresOf(rowsOf(without(complete(2024), "DE"), without(complete(2025), "MT"))...),
			year: 2025, states: []string{"DE", "MT"},
			want: "the figures for 2025 lack MT, the figures for 2024 lack DE, and no year has figures for all of DE, MT",
		},
		{
			name: "a state no year has", figures: figuresOf(rowsOf(complete(2024), complete(2025))...),
			year: 2030, states: []string{"DE", "HR"},
			want: "there are no population figures after 2025, the figures for 2025 lack HR, the figures for 2024 lack HR, and no year has figures for all of DE, HR",
		},
		{name: "no figures at all", figures: Figures{}, year: 2025, states: []string{"DE"}, want: "no population figures at all"},
		{name: "nil figures", figures: nil, year: 2025, states: []string{"DE"}, want: "no population figures at all"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.figures.For(tt.year, tt.states)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("For(%d) = %+v, %v; want an error containing %q", tt.year, got, err, tt.want)
			}
		})
	}
}

func TestFiguresAdd(t *testing.T) {
	f := Figures{}
	f.Add(2025, "DE", eurostatFig(1))
	f.Add(2025, "DE", eurostatFig(2)) // the later figure of one publisher replaces the earlier
	f.Add(2025, "DE", councilFig(3, "act"))
	f.Add(2024, "FR", eurostatFig(4))
	if got := f[2025]["DE"][Eurostat].Population; got != 2 {
		t.Errorf("Eurostat DE 2025 = %d, want 2", got)
	}
	if got := f[2025]["DE"][Council]; got.Population != 3 || got.Source != "act" {
		t.Errorf("Council DE 2025 = %+v, want 3 from act", got)
	}
	if len(f) != 2 || len(f[2024]) != 1 || f[2024]["FR"][Eurostat].Population != 4 {
		t.Errorf("figures %v", f)
	}
}
