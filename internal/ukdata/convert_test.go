package ukdata

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dualuse-transparency/portal/internal/release"
)

var publishedOn = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)

// convertFixture converts the real rows of testdata into a temporary folder.
func convertFixture(t *testing.T) (string, Report) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "release")
	rep, err := Convert(Options{Values: "testdata/values.csv", Out: dir, ReleaseID: "uk-fixture", PublishedOn: publishedOn})
	if err != nil {
		t.Fatal(err)
	}
	return dir, rep
}

// yearCounts are decisions and denials per year.
type yearCounts map[int][2]int

// expectedCounts counts what the fixture should give with nothing but the CSV reader
// and the rules in their plainest form: a licence group with a dual-use rating (an
// Annex I code or an end-use control) gives as many decisions as its most counted
// such rating, unless it goes to the UK, to a place that is not one country, or is
// refused with no ground.
func expectedCounts(t *testing.T) yearCounts {
	t.Helper()
	values := readTable(t, "testdata/values.csv")
	refusedOn := map[string]bool{}
	for _, r := range readTable(t, "testdata/refusal-criteria.csv") {
		refusedOn[r["licence_group"]] = true
	}
	dualUse := regexp.MustCompile(`^[0-9][A-E][0-9]{3}`)
	leftOut := map[string]bool{"United Kingdom": true, "Continental Shelf: United Kingdom sector": true,
		"Channel Islands": true, "Continental Shelf": true, "French Overseas Territory": true}
	most := map[string]int{}
	endUse := map[string]bool{}
	first := map[string]map[string]string{}
	for _, r := range values {
		if !dualUse.MatchString(r["rating"]) && r["rating"] != "End Use" && r["rating"] != "MEND" {
			continue
		}
		n, _ := strconv.Atoi(r["count"])
		most[r["licence_group"]] = max(most[r["licence_group"]], n)
		endUse[r["licence_group"]] = endUse[r["licence_group"]] || !dualUse.MatchString(r["rating"])
		first[r["licence_group"]] = r
	}
	counts := yearCounts{}
	for g, n := range most {
		r := first[g]
		antillesGone := r["country"] == "Netherlands Antilles" && r["date"] >= "2010-10-10"
		refused := r["refused"] == "1"
		if leftOut[r["country"]] || antillesGone || (refused && !refusedOn[g] && !endUse[g]) {
			continue
		}
		year, _ := strconv.Atoi(r["date"][:4])
		c := counts[year]
		c[0] += n
		if refused {
			c[1] += n
		}
		counts[year] = c
	}
	return counts
}

func TestFixtureCounts(t *testing.T) {
	dir, rep := convertFixture(t)
	want := expectedCounts(t)
	written := writtenCounts(t, dir)
	for year := 2008; year <= 2015; year++ {
		t.Run(strconv.Itoa(year), func(t *testing.T) {
			var reported [2]int
			if y := rep.Years[year]; y != nil {
				reported = [2]int{y.Decisions, y.Denied}
			}
			if want[year][0] == 0 {
				t.Errorf("the fixture has no decision in %d", year)
			}
			if reported != want[year] || written[year] != want[year] {
				t.Errorf("decisions, denials: reported %v, written %v, want %v", reported, written[year], want[year])
			}
		})
	}
}

// writtenCounts counts distinct decisions and denials per year in the file written.
func writtenCounts(t *testing.T, dir string) yearCounts {
	t.Helper()
	seen := map[string]bool{}
	counts := yearCounts{}
	for _, r := range readTable(t, filepath.Join(dir, "licence_decisions.csv")) {
		if seen[r["decision_id"]] {
			continue
		}
		seen[r["decision_id"]] = true
		year, _ := strconv.Atoi(r["decision_date"][:4])
		c := counts[year]
		c[0]++
		if r["outcome"] == "DENIED" {
			c[1]++
		}
		counts[year] = c
	}
	return counts
}

// The importer accepts the release as written.
func TestFixtureImports(t *testing.T) {
	dir, rep := convertFixture(t)
	rel, err := release.Read(dir, loadReference(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(rel.Decisions) != rep.Rows {
		t.Errorf("the importer read %d rows, the report says %d", len(rel.Decisions), rep.Rows)
	}
	if rel.Meta.ID != "uk-fixture" || rel.Meta.Synthetic || rel.Meta.PeriodEnd.Format(time.DateOnly) != "2015-03-02" {
		t.Errorf("metadata %+v", rel.Meta)
	}
	for _, w := range rel.Warnings {
		t.Logf("importer warning: %v", w)
	}
}

// The rules of the format, checked on the file itself.
func TestFixtureFormat(t *testing.T) {
	dir, _ := convertFixture(t)
	f, err := os.Open(filepath.Join(dir, "licence_decisions.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(recs[0], ",") != strings.Join(decisionsHeader, ",") {
		t.Fatalf("header %v", recs[0])
	}
	value := regexp.MustCompile(`^(|[0-9]+\.[0-9]{2})$`)
	byID := map[string][]string{}
	entries := map[string]bool{}
	for i, rec := range recs[1:] {
		line := i + 2
		id, entry := rec[0], rec[7]
		if len(id) > 64 || len(rec[9]) > 128 {
			t.Errorf("line %d: id or exporter too long", line)
		}
		if entry != "" && !entryPattern.MatchString(entry) {
			t.Errorf("line %d: control entry %q", line, entry)
		}
		if !value.MatchString(rec[8]) {
			t.Errorf("line %d: value %q", line, rec[8])
		}
		if (rec[4] == "DENIED") != (rec[10] != "") || (rec[4] == "DENIED" && rec[8] != "") {
			t.Errorf("line %d: outcome %s with grounds %q and value %q", line, rec[4], rec[10], rec[8])
		}
		if entries[id+"|"+entry] {
			t.Errorf("line %d: %s lists %q twice", line, id, entry)
		}
		entries[id+"|"+entry] = true
		attrs := append(append([]string{}, rec[:7]...), rec[9:]...)
		if prev, ok := byID[id]; ok && strings.Join(prev, ",") != strings.Join(attrs, ",") {
			t.Errorf("line %d: %s disagrees with its other rows: %v, %v", line, id, attrs, prev)
		}
		byID[id] = attrs
	}
	figures, err := os.ReadFile(filepath.Join(dir, "official_figures.csv"))
	if err != nil || string(figures) != figuresHeader {
		t.Errorf("official_figures.csv: %q, %v", figures, err)
	}
	var meta map[string]any
	data, _ := os.ReadFile(filepath.Join(dir, "release.json"))
	if err := json.Unmarshal(data, &meta); err != nil || meta["synthetic"] != false || meta["publishedOn"] != "2026-11-01" {
		t.Errorf("release.json: %v, %v", meta, err)
	}
}

func TestPeriodOf(t *testing.T) {
	data := append(rows("1", "2012-03-04", "Peru", false, "ML1,1,1"), rows("2", "2015-03-31", "Peru", false, "ML1,1,1")...)
	late := append(data, rows("3", "2021-06-01", "Peru", false, "ML1,1,1")...)
	tests := []struct {
		name     string
		rows     []sourceRow
		from, to string
		want     string // the period, or the error
	}{
		{"the data's own", data, "", "", "2012-01-01 to 2015-03-31"},
		{"as asked", data, "2013-01-01", "2013-12-31", "2013-01-01 to 2013-12-31"},
		{"to the last day", late, "", "2020-01-31", "2012-01-01 to 2020-01-31"},
		{"data after the UK left", late, "", "", "the data run to 2021-06-01, after the United Kingdom left the Union on 31 January 2020"},
		{"a period after the UK left", data, "", "2020-02-01", "--to 2020-02-01 is after 31 January 2020"},
		{"backwards", data, "2014-01-01", "2013-01-01", "--to 2013-01-01 is before --from 2014-01-01"},
		{"not a date", data, "2014", "", `--from "2014" is not a date YYYY-MM-DD`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := periodOf(Options{From: tt.from, To: tt.to}, tt.rows)
			got := p.from.Format(time.DateOnly) + " to " + p.to.Format(time.DateOnly)
			if err != nil {
				got = err.Error()
			}
			if !strings.HasPrefix(got, tt.want) {
				t.Errorf("periodOf = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestConvertWritesNothingOnAProblem(t *testing.T) {
	in := t.TempDir()
	values := "licence_group,date,rating,count,value,country,refused\n1,2012-01,ML1,1,5,Peru,0\n2,2012-01-02,5A002,x,5,Peru,2\n"
	if err := os.WriteFile(filepath.Join(in, "values.csv"), []byte(values), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(in, "refusal-criteria.csv"), []byte("licence_group,criteria,description\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "release")
	_, err := Convert(Options{Values: filepath.Join(in, "values.csv"), Out: out})
	for _, want := range []string{
		`values.csv:2: date: "2012-01" is not a date YYYY-MM-DD`,
		`values.csv:3: count: "x" is not a count`,
		`values.csv:3: refused: want 0 or 1, got "2"`,
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v, want one with %q", err, want)
		}
	}
	if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the output folder was written: %v", err)
	}
}
