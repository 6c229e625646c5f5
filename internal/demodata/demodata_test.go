package demodata

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dualuse-transparency/portal/internal/codes"
	"github.com/dualuse-transparency/portal/internal/release"
)

var testDir string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "demodata-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	testDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// The default release is written and read back once, for all the tests that judge it.
var defaultCache struct {
	sync.Mutex
	sum       Summary
	decisions []readDecision
}

func defaultRelease(t *testing.T) (Summary, []readDecision, reference) {
	t.Helper()
	ref := loadReference(t)
	defaultCache.Lock()
	defer defaultCache.Unlock()
	if defaultCache.decisions == nil {
		dir := filepath.Join(testDir, "default")
		sum, err := Write(dir, Options{Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		defaultCache.sum, defaultCache.decisions = sum, readDecisions(t, dir, ref)
	}
	return defaultCache.sum, defaultCache.decisions, ref
}

// pred selects decisions; the helpers below measure the release through them.
type pred func(readDecision) bool

func in(year int) pred                  { return func(d readDecision) bool { return d.year() == year } }
func is(col int, value string) pred     { return func(d readDecision) bool { return d.f[col] == value } }
func after(date string) pred            { return func(d readDecision) bool { return d.f[colDate] > date } }
func before(date string) pred           { return func(d readDecision) bool { return d.f[colDate] < date } }
func not(p pred) pred                   { return func(d readDecision) bool { return !p(d) } }
func entries(n int) pred                { return func(d readDecision) bool { return len(d.entries) == n } }
func all(readDecision) bool             { return true }
func denied(d readDecision) bool        { return is(colOutcome, "DENIED")(d) }
func issued(d readDecision) bool        { return is(colOutcome, "ISSUED")(d) }
func multiEntry(d readDecision) bool    { return len(d.entries) >= 2 }
func twoCategories(d readDecision) bool { return d.categories() >= 2 }
func transfer(d readDecision) bool      { return is(colLicence, string(codes.IntraEUTransfer))(d) }
func noValue(d readDecision) bool       { return d.f[colValue] == "" }
func underClause(d readDecision) bool   { return underCatchAll(d.f) }

func and(ps ...pred) pred {
	return func(d readDecision) bool {
		for _, p := range ps {
			if !p(d) {
				return false
			}
		}
		return true
	}
}

func count(ds []readDecision, p pred) float64 {
	n := 0
	for _, d := range ds {
		if p(d) {
			n++
		}
	}
	return float64(n)
}

func share(ds []readDecision, p, of pred) float64 { return count(ds, and(p, of)) / count(ds, of) }

func issuedValue(ds []readDecision, year int) float64 {
	v := 0.0
	for _, d := range ds {
		if d.year() == year && d.f[colOutcome] == "ISSUED" {
			v += d.value()
		}
	}
	return v
}

func distinct(ds []readDecision, col int, p pred) float64 {
	seen := map[string]bool{}
	for _, d := range ds {
		if p(d) {
			seen[d.f[col]] = true
		}
	}
	return float64(len(seen))
}

type rangeCase struct {
	name   string
	got    float64
	lo, hi float64
}

func checkRanges(t *testing.T, tests []rangeCase) {
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got < tt.lo || tt.got > tt.hi {
				t.Errorf("got %.4g, want %.4g to %.4g", tt.got, tt.lo, tt.hi)
			}
		})
	}
}

func near(want, tolerance float64) (float64, float64) {
	return want * (1 - tolerance), want * (1 + tolerance)
}

// TestDefaultReleaseIsCalibrated judges the default release by the figures it is meant
// to reproduce, measured from the file, not from the Summary.
func TestDefaultReleaseIsCalibrated(t *testing.T) {
	_, ds, ref := defaultRelease(t)
	cyber := func(d readDecision) bool { return d.cyber(ref) }
	lo568, hi568 := near(568, 0.1)
	lo831, hi831 := near(831, 0.1)
	tests := []rangeCase{
		{name: "denials 2021 within 10 % of 568", got: count(ds, and(in(2021), denied)), lo: lo568, hi: hi568},
		{name: "denials 2022 within 10 % of 831", got: count(ds, and(in(2022), denied)), lo: lo831, hi: hi831},
		{name: "denial share overall", got: share(ds, denied, all), lo: 0.02, hi: 0.035},
		{name: "decisions about 290,000", got: float64(len(ds)), lo: 270_000, hi: 310_000},
		{name: "cyber-surveillance denial share", got: share(ds, denied, cyber), lo: 0.10, hi: 0.30},
		{name: "catch-all decisions mostly denied", got: share(ds, denied, underClause), lo: 0.6, hi: 0.9},
	}
	for year, want := range map[int]float64{2019: 31.0e9, 2020: 31.0e9, 2021: 38.5e9, 2022: 57.3e9} {
		tests = append(tests, rangeCase{name: fmt.Sprintf("issued value %d is %.1f bn to the cent", year, want/1e9),
			got: issuedValue(ds, year), lo: want - 0.005, hi: want + 0.005})
	}
	for year := 2015; year <= 2024; year++ {
		tests = append(tests, rangeCase{name: fmt.Sprintf("cyber-surveillance decisions %d", year),
			got: count(ds, and(in(year), cyber)), lo: 200, hi: 600})
		tests = append(tests, rangeCase{name: fmt.Sprintf("catch-all decisions %d", year),
			got: count(ds, and(in(year), underClause)), lo: 15, hi: 50})
		states := 27.0
		if year <= 2020 {
			states = 28 // the United Kingdom, up to January 2020
		}
		tests = append(tests, rangeCase{name: fmt.Sprintf("Member States %d", year),
			got: distinct(ds, colState, in(year)), lo: states, hi: states})
	}
	checkRanges(t, tests)
}

// TestDefaultReleaseLooksReal checks the shape a user of the demo sees: who licenses,
// where to, what, and how the years differ.
func TestDefaultReleaseLooksReal(t *testing.T) {
	_, ds, _ := defaultRelease(t)
	ru := func(year int) float64 { return count(ds, and(in(year), is(colDest, "RU"))) }
	checkRanges(t, []rangeCase{
		{name: "GB decisions in 2019", got: count(ds, and(in(2019), is(colState, "GB"))), lo: 1, hi: math.Inf(1)},
		{name: "GB decisions after 2020-01-31", got: count(ds, and(after("2020-01-31"), is(colState, "GB"))), lo: 0, hi: 0},
		{name: "GB share while a member", got: share(ds, is(colState, "GB"), in(2018)), lo: 0.06, hi: 0.10},
		{name: "Germany's share", got: share(ds, is(colState, "DE"), all), lo: 0.22, hi: 0.28},
		{name: "Malta's share", got: share(ds, is(colState, "MT"), all), lo: 0.0002, hi: 0.003},
		{name: "ISSUED share", got: share(ds, is(colOutcome, "ISSUED"), all), lo: 0.93, hi: 0.97},
		{name: "WITHDRAWN share", got: share(ds, is(colOutcome, "WITHDRAWN"), all), lo: 0.015, hi: 0.025},
		{name: "INDIVIDUAL share", got: share(ds, is(colLicence, "INDIVIDUAL"), all), lo: 0.65, hi: 0.75},
		{name: "GLOBAL share", got: share(ds, is(colLicence, "GLOBAL"), all), lo: 0.12, hi: 0.18},
		{name: "LARGE_PROJECT share", got: share(ds, is(colLicence, "LARGE_PROJECT"), all), lo: 0, hi: 0.01},
		{name: "COMMERCIAL end users", got: share(ds, is(colEndUser, "COMMERCIAL"), all), lo: 0.5, hi: 0.6},
		{name: "destinations outside the Union", got: distinct(ds, colDest, not(transfer)), lo: 130, hi: 170},
		{name: "transfers inside the Union", got: share(ds, transfer, all), lo: 0.001, hi: 0.004},
		{name: "exporters", got: distinct(ds, colExporter, all), lo: 3500, hi: 4500},
		{name: "multi-entry decisions", got: share(ds, multiEntry, all), lo: 0.28, hi: 0.40},
		{name: "two entries among multi-entry decisions", got: share(ds, entries(2), multiEntry), lo: 0.5, hi: 0.75},
		{name: "five entries among multi-entry decisions", got: share(ds, entries(5), multiEntry), lo: 0.02, hi: 0.1},
		{name: "decisions on two categories", got: count(ds, twoCategories), lo: 1, hi: math.Inf(1)},
		{name: "two categories among multi-entry decisions", got: share(ds, twoCategories, multiEntry), lo: 0.1, hi: 0.35},
		{name: "multi-entry share of global licences", got: share(ds, multiEntry, is(colLicence, "GLOBAL")), lo: 0.45, hi: 0.65},
		{name: "denials without a value", got: share(ds, noValue, denied), lo: 0.7, hi: 0.9},
		{name: "issued decisions without a value", got: share(ds, noValue, issued), lo: 0.002, hi: 0.03},
		{name: "5A002 share of all decisions", got: share(ds, is(colEntry, "5A002"), all), lo: 0.08, hi: 0.16},
		{name: "RU decisions 2023 against 2021", got: ru(2023) / ru(2021), lo: 0, hi: 0.2},
		{name: "RU share of denials before 2022", got: share(ds, is(colDest, "RU"), and(denied, in(2019))), lo: 0.05, hi: 0.2},
	})
}

// TestCatchAllClauses checks the clauses of the catch-all decisions year by year: the
// cyber-surveillance catch-all only from the day Regulation (EU) 2021/821 applied, the
// older clauses before it, and a mix after it.
func TestCatchAllClauses(t *testing.T) {
	_, ds, _ := defaultRelease(t)
	cyberClause := is(colCatchAll, string(codes.CyberSurveillanceCatchAll))
	until, since := before(cyberCatchAllFrom), not(before(cyberCatchAllFrom))
	tests := []rangeCase{
		{name: "cyber-surveillance catch-all before 2021-09-09", got: count(ds, and(until, cyberClause)), lo: 0, hi: 0},
		{name: "national measures before 2021-09-09",
			got: share(ds, is(colCatchAll, "NATIONAL_MEASURE"), and(until, underClause)), lo: 0.5, hi: 0.9},
		{name: "military end use before 2021-09-09",
			got: count(ds, and(until, is(colCatchAll, "MILITARY_END_USE"))), lo: 1, hi: math.Inf(1)},
		{name: "WMD before 2021-09-09", got: count(ds, and(until, is(colCatchAll, "WMD"))), lo: 1, hi: math.Inf(1)},
		{name: "cyber-surveillance share after 2021-09-09",
			got: share(ds, cyberClause, and(since, underClause)), lo: 0.55, hi: 0.9},
		{name: "older clauses after 2021-09-09",
			got: count(ds, and(since, underClause, not(cyberClause))), lo: 1, hi: math.Inf(1)},
	}
	for year := 2022; year <= 2024; year++ {
		tests = append(tests, rangeCase{name: fmt.Sprintf("cyber-surveillance catch-all %d", year),
			got: count(ds, and(in(year), cyberClause)), lo: 10, hi: 40})
	}
	checkRanges(t, tests)
	for year := 2015; year <= 2024; year++ {
		n := map[string]int{}
		for _, d := range ds {
			if d.year() == year && underClause(d) {
				n[d.f[colCatchAll]]++
			}
		}
		t.Logf("%d: %v", year, n)
	}
}

func TestTopControlEntryIs5A002(t *testing.T) {
	_, ds, _ := defaultRelease(t)
	n := map[string]int{}
	for _, d := range ds {
		for _, e := range d.entries {
			n[e]++
		}
	}
	for e, c := range n {
		if c > n["5A002"] {
			t.Errorf("entry %s has %d rows, more than 5A002 (%d)", e, c, n["5A002"])
		}
	}
}

func TestSummaryMatchesFile(t *testing.T) {
	sum, ds, ref := defaultRelease(t)
	got := map[int]YearSummary{}
	rows := 0
	for _, d := range ds {
		ys := got[d.year()]
		ys.Decisions++
		if denied(d) {
			ys.Denied++
		}
		if d.cyber(ref) {
			ys.CyberSurveillance++
		}
		if d.f[colOutcome] == "ISSUED" {
			ys.ValueIssued += d.value()
		}
		got[d.year()] = ys
		rows += len(d.entries)
	}
	if sum.Decisions != len(ds) || sum.Rows != rows {
		t.Errorf("Summary counts %d decisions, %d rows; file has %d, %d", sum.Decisions, sum.Rows, len(ds), rows)
	}
	for year, want := range got {
		s := sum.ByYear[year]
		if s.Decisions != want.Decisions || s.Denied != want.Denied || s.CyberSurveillance != want.CyberSurveillance ||
			math.Abs(s.ValueIssued-want.ValueIssued) > 0.01 {
			t.Errorf("Summary of %d = %+v, file says %+v", year, s, want)
		}
	}
}

// TestWriteIsDeterministic hashes the release files of two runs.
func TestWriteIsDeterministic(t *testing.T) {
	tests := []struct {
		name     string
		a, b     Options
		wantSame bool
	}{
		{name: "same seed", a: Options{Seed: 7, Decisions: 20_000}, b: Options{Seed: 7, Decisions: 20_000}, wantSame: true},
		{name: "different seed", a: Options{Seed: 7, Decisions: 20_000}, b: Options{Seed: 8, Decisions: 20_000}},
		{name: "different size", a: Options{Seed: 7, Decisions: 20_000}, b: Options{Seed: 7, Decisions: 20_001}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b := hashRelease(t, tt.a), hashRelease(t, tt.b)
			if (a == b) != tt.wantSame {
				t.Errorf("hashes %x and %x: same = %v, want %v", a[:8], b[:8], a == b, tt.wantSame)
			}
		})
	}
}

func hashRelease(t *testing.T, opts Options) [32]byte {
	t.Helper()
	dir := t.TempDir()
	if _, err := Write(dir, opts); err != nil {
		t.Fatal(err)
	}
	h := sha256.New()
	for _, name := range []string{"release.json", "licence_decisions.csv", "official_figures.csv",
		"catch_all_notifications.csv", "objections.csv", "agreements.csv", "list_items.csv"} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(h, "%s %d\n", name, len(b))
		h.Write(b)
	}
	return [32]byte(h.Sum(nil))
}

// TestSmallReleases writes releases of other sizes and periods and checks every row.
func TestSmallReleases(t *testing.T) {
	ref := loadReference(t)
	tests := []struct {
		name          string
		opts          Options
		wantDecisions int
		wantYears     int
	}{
		{name: "2000 decisions", opts: Options{Seed: 3, Decisions: 2000}, wantDecisions: 2000, wantYears: 10},
		{name: "one year, default size", opts: Options{Seed: 3, FromYear: 2022, ToYear: 2022}, wantDecisions: 33_240, wantYears: 1},
		{name: "one decision", opts: Options{Seed: 3, Decisions: 1, FromYear: 2020, ToYear: 2020}, wantDecisions: 1, wantYears: 1},
		{name: "before Croatia joined", opts: Options{Seed: 3, Decisions: 5000, FromYear: 2012, ToYear: 2014}, wantDecisions: 5000, wantYears: 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			sum, err := Write(dir, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			ds := readDecisions(t, dir, ref)
			readRelease(t, dir)
			if sum.Decisions != tt.wantDecisions || len(ds) != tt.wantDecisions || len(sum.ByYear) != tt.wantYears {
				t.Errorf("Summary: %d decisions, %d years; file: %d decisions; want %d decisions, %d years",
					sum.Decisions, len(sum.ByYear), len(ds), tt.wantDecisions, tt.wantYears)
			}
		})
	}
}

func TestOfficialFiguresAreCopied(t *testing.T) {
	_, _, _ = defaultRelease(t)
	got, err := os.ReadFile(filepath.Join(testDir, "default", "official_figures.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, officialFigures) {
		t.Error("official_figures.csv differs from the embedded copy")
	}
	const header = "year,scope,metric,value,unit,source_document,source_url,verified\n"
	if !bytes.HasPrefix(officialFigures, []byte(header)) {
		t.Errorf("embedded official figures do not start with %q", header)
	}
}

func TestReleaseJSON(t *testing.T) {
	tests := []struct {
		name string
		opts Options
		want release.MetaJSON // the fields checked: id, periods, publication date
	}{
		{name: "defaults", opts: Options{Decisions: 100},
			want: release.MetaJSON{ID: "demo-2015-2024", PeriodStart: "2015-01-01", PeriodEnd: "2024-12-31", PublishedOn: "2025-06-30"}},
		{name: "other period", opts: Options{Decisions: 100, FromYear: 2019, ToYear: 2021},
			want: release.MetaJSON{ID: "demo-2019-2021", PeriodStart: "2019-01-01", PeriodEnd: "2021-12-31", PublishedOn: "2022-06-30"}},
		{name: "given id and date", opts: Options{Decisions: 100, ReleaseID: "bench-1m",
			PublishedOn: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)},
			want: release.MetaJSON{ID: "bench-1m", PeriodStart: "2015-01-01", PeriodEnd: "2024-12-31", PublishedOn: "2026-03-01"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := writeAndReadRelease(t, tt.opts)
			if got.ID != tt.want.ID || got.PeriodStart != tt.want.PeriodStart || got.PeriodEnd != tt.want.PeriodEnd ||
				got.PublishedOn != tt.want.PublishedOn {
				t.Errorf("release = %+v, want %+v", got, tt.want)
			}
			checkLabelledSynthetic(t, got)
		})
	}
}

func writeAndReadRelease(t *testing.T, opts Options) release.MetaJSON {
	t.Helper()
	dir := t.TempDir()
	if _, err := Write(dir, opts); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "release.json"))
	if err != nil {
		t.Fatal(err)
	}
	var r release.MetaJSON
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		t.Fatal(err)
	}
	return r
}

func checkLabelledSynthetic(t *testing.T, r release.MetaJSON) {
	t.Helper()
	for field, text := range map[string]string{"title": r.Title, "description": r.Description, "citation": r.Citation} {
		lower := strings.ToLower(text)
		if !strings.Contains(lower, "synthetic") || !strings.Contains(lower, "not real") {
			t.Errorf("%s %q does not say it is synthetic and not real", field, text)
		}
	}
	if !r.Synthetic || r.Licence != "CC-BY-4.0" || r.MethodologyVersion != "1.0" || r.Publisher == "" || r.Source == "" {
		t.Errorf("release = %+v: want synthetic, CC-BY-4.0, methodology 1.0, a publisher and a source", r)
	}
	if !strings.Contains(r.Description, "generated") || !strings.Contains(r.Description, "calibrated") {
		t.Errorf("description %q does not say it is generated and calibrated", r.Description)
	}
}

func TestWriteRefusesBadOptions(t *testing.T) {
	tests := []struct {
		name string
		opts Options
	}{
		{name: "negative decisions", opts: Options{Decisions: -1}},
		{name: "years reversed", opts: Options{FromYear: 2020, ToYear: 2019}},
		{name: "before the control list", opts: Options{FromYear: 2005, ToYear: 2010}},
		{name: "from year after the default to year", opts: Options{FromYear: 2030}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "release")
			if _, err := Write(dir, tt.opts); err == nil {
				t.Fatal("Write succeeded, want an error")
			}
			if _, err := os.Stat(dir); !os.IsNotExist(err) {
				t.Errorf("Write created %s before refusing the options", dir)
			}
		})
	}
}

func TestApportion(t *testing.T) {
	tests := []struct {
		name    string
		total   int
		weights []int
		want    []int
	}{
		{name: "exact", total: 10, weights: []int{1, 1}, want: []int{5, 5}},
		{name: "largest remainder gets the rest", total: 10, weights: []int{1, 2}, want: []int{3, 7}},
		{name: "ties go to the earlier", total: 1, weights: []int{1, 1, 1}, want: []int{1, 0, 0}},
		{name: "scaled up", total: 1000, weights: []int{22720, 33240}, want: []int{406, 594}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := apportion(tt.total, tt.weights); fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("apportion(%d, %v) = %v, want %v", tt.total, tt.weights, got, tt.want)
			}
		})
	}
}

// BenchmarkWrite writes a release of 100,000 decisions; ns/decision is the figure to
// watch (a million decisions take a million times it).
func BenchmarkWrite(b *testing.B) {
	const n = 100_000
	dir := b.TempDir()
	for b.Loop() {
		if _, err := Write(dir, Options{Seed: 1, Decisions: n}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/decision")
}
