// Command genpop writes db/reference/qmv_population.csv, the population figures of
// every year of qualified-majority voting, from the project's shared reference files:
// Eurostat's population of every Member State on 1 January of the year before each
// year, and the few figures of the Council's own (Annex III of its Rules of Procedure)
// that could be read verbatim.
//
// It is run by hand when the shared files change, never by go generate: its inputs are
// not part of this repository. db/reference/README.md says where they come from.
//
//	go run ./db/reference/genpop \
//	    -eurostat PATH/TO/shared/reference/qmv-population-eurostat.csv \
//	    -council PATH/TO/shared/reference/qmv-population-council-partial.csv
//
// One row per year, Member State and publisher; the EU totals of the inputs are not
// rows (they are checked and printed). A gap in the input (an empty population) stays a
// gap: nothing is estimated. The generator refuses a state that is not in
// member_states.csv (an EU code such as EL or UK is turned into its ISO code), a year
// whose Eurostat states are not exactly the Member States on 1 January of that year, a
// population that is not a positive integer, a gap whose source does not say MISSING,
// and a figure given twice.
package main

import (
	"cmp"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The publishers, as the table's CHECK and qmv.Publisher spell them; the Council's
// figures are preferred, so they sort first.
const (
	council  = "COUNCIL"
	eurostat = "EUROSTAT"
)

// total is the EU code of the totals rows, which are not written.
const total = "EU"

var (
	// eurostatDataset names the Eurostat dataset a row was read from.
	eurostatDataset = regexp.MustCompile(`^Eurostat (tps00001|demo_pjan)\b`)
	// councilDecision names the Council Decision that set a year's figures.
	councilDecision = regexp.MustCompile(`Decision \(EU, Euratom\) (\d{4}/\d+)`)
)

// row is one line of the output.
type row struct {
	year       int
	state      string
	population string // "" for a gap
	publisher  string
	act        string // short name of the act or dataset, shown in tallies
	source     string // the full provenance, as in the input
}

// member is when a state was a Member State.
type member struct {
	euCode      string
	from, until string // days, until "" while a member
}

func main() {
	eurostatPath := flag.String("eurostat", "", "Eurostat's figures (qmv-population-eurostat.csv)")
	councilPath := flag.String("council", "", "the Council's figures read verbatim (qmv-population-council-partial.csv)")
	membersPath := flag.String("members", "db/reference/member_states.csv", "the Member States with their dates of membership")
	out := flag.String("out", "db/reference/qmv_population.csv", "the file to write")
	flag.Parse()
	if err := run(*eurostatPath, *councilPath, *membersPath, *out); err != nil {
		fmt.Fprintln(os.Stderr, "genpop:", err)
		os.Exit(1)
	}
}

func run(eurostatPath, councilPath, membersPath, outPath string) error {
	if eurostatPath == "" || councilPath == "" {
		return errors.New("-eurostat and -council are required")
	}
	members, err := readMembers(membersPath)
	if err != nil {
		return err
	}
	iso := map[string]string{total: total}
	for code, m := range members {
		iso[code], iso[m.euCode] = code, code
	}
	est, err := readCSV(eurostatPath, "year", "member_state", "population", "source")
	if err != nil {
		return err
	}
	cou, err := readCSV(councilPath, "year", "member_state", "population", "source")
	if err != nil {
		return err
	}
	rows, totals, errs := eurostatRows(est, iso)
	crows, ctotals, cerrs := councilRows(cou, iso)
	rows = append(rows, crows...)
	errs = append(errs, cerrs...)
	errs = append(errs, check(rows, members)...)
	if err := errors.Join(errs...); err != nil {
		return err
	}
	slices.SortFunc(rows, func(a, b row) int {
		return cmp.Or(cmp.Compare(a.year, b.year), cmp.Compare(a.state, b.state), cmp.Compare(a.publisher, b.publisher))
	})
	report(os.Stderr, rows, totals, ctotals)
	return writeFile(outPath, rows)
}

// eurostatRows turns Eurostat's rows into output rows, the act being the dataset the
// year's figures were read from, and returns the EU totals by year apart.
func eurostatRows(records [][]string, iso map[string]string) ([]row, map[int]string, []error) {
	var rows []row
	var errs []error
	totals := map[int]string{}
	datasets := map[int]map[string]bool{}
	for i, r := range records {
		year, state, pop, source := r[0], r[1], r[2], r[3]
		y, err := parseRow(year, state, pop, source, iso)
		if err != nil {
			errs = append(errs, fmt.Errorf("eurostat row %d: %w", i+2, err))
			continue
		}
		if m := eurostatDataset.FindStringSubmatch(source); m != nil {
			if datasets[y] == nil {
				datasets[y] = map[string]bool{}
			}
			datasets[y][m[1]] = true
		}
		if iso[state] == total {
			totals[y] = pop
			continue
		}
		rows = append(rows, row{year: y, state: iso[state], population: pop, publisher: eurostat, source: source})
	}
	for i := range rows {
		ds := datasets[rows[i].year]
		if len(ds) != 1 {
			errs = append(errs, fmt.Errorf("eurostat %d: datasets %v, want exactly one", rows[i].year, slices.Sorted(maps.Keys(ds))))
			continue
		}
		rows[i].act = "Eurostat " + slices.Collect(maps.Keys(ds))[0]
	}
	return rows, totals, errs
}

// councilRows turns the Council's rows into output rows, the act being the Council
// Decision the source names, and returns the EU totals by year apart.
func councilRows(records [][]string, iso map[string]string) ([]row, map[int]string, []error) {
	var rows []row
	var errs []error
	totals := map[int]string{}
	for i, r := range records {
		year, state, pop, source := r[0], r[1], r[2], r[3]
		y, err := parseRow(year, state, pop, source, iso)
		switch {
		case err != nil:
		case pop == "":
			err = errors.New("a Council row without a figure")
		case iso[state] == total:
			totals[y] = pop
			continue
		}
		m := councilDecision.FindStringSubmatch(source)
		if err == nil && m == nil {
			err = errors.New("the source names no Council Decision (EU, Euratom)")
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("council row %d: %w", i+2, err))
			continue
		}
		rows = append(rows, row{year: y, state: iso[state], population: pop, publisher: council,
			act: "Council Decision (EU, Euratom) " + m[1], source: source})
	}
	return rows, totals, errs
}

// parseRow checks the fields every input row has and returns its year.
func parseRow(year, state, pop, source string, iso map[string]string) (int, error) {
	y, err := strconv.Atoi(year)
	if err != nil || y < 2000 || y > 2100 {
		return 0, fmt.Errorf("year %q", year)
	}
	if iso[state] == "" {
		return 0, fmt.Errorf("%d: %q is not a Member State", y, state)
	}
	if source == "" {
		return 0, fmt.Errorf("%d %s: no source", y, state)
	}
	if pop == "" {
		if !strings.HasPrefix(source, "MISSING") {
			return 0, fmt.Errorf("%d %s: no population, and the source does not say MISSING", y, state)
		}
		return y, nil
	}
	if n, err := strconv.ParseInt(pop, 10, 64); err != nil || n <= 0 || strconv.FormatInt(n, 10) != pop {
		return 0, fmt.Errorf("%d %s: population %q is not a positive integer", y, state, pop)
	}
	return y, nil
}

// check refuses a figure given twice, and a year whose Eurostat rows are not exactly
// the Member States on 1 January of that year.
func check(rows []row, members map[string]member) []error {
	var errs []error
	seen := map[string]bool{}
	byYear := map[int][]string{}
	for _, r := range rows {
		key := fmt.Sprintf("%d %s %s", r.year, r.state, r.publisher)
		if seen[key] {
			errs = append(errs, fmt.Errorf("%s: twice", key))
		}
		seen[key] = true
		if r.publisher == eurostat {
			byYear[r.year] = append(byYear[r.year], r.state)
		}
	}
	for y, states := range byYear {
		jan1 := time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
		var want []string
		for code, m := range members {
			if m.from <= jan1 && (m.until == "" || m.until >= jan1) {
				want = append(want, code)
			}
		}
		slices.Sort(states)
		slices.Sort(want)
		if !slices.Equal(states, want) {
			errs = append(errs, fmt.Errorf("eurostat %d: states %v, want the members on %s %v", y, states, jan1, want))
		}
	}
	return errs
}

// report prints, for whoever runs the generator, the gaps, the EU totals against the
// sum of the rows, and how the Council's figures differ from Eurostat's.
func report(w io.Writer, rows []row, totals, councilTotals map[int]string) {
	sums := map[int]int64{}
	gaps := map[int][]string{}
	est := map[string]int64{}
	for _, r := range rows {
		if r.publisher != eurostat {
			continue
		}
		if r.population == "" {
			gaps[r.year] = append(gaps[r.year], r.state)
			continue
		}
		n, _ := strconv.ParseInt(r.population, 10, 64)
		sums[r.year] += n
		est[fmt.Sprintf("%d %s", r.year, r.state)] = n
	}
	for _, y := range slices.Sorted(maps.Keys(sums)) {
		line := fmt.Sprintf("%d: Eurostat rows sum to %d", y, sums[y])
		if t := totals[y]; t != "" {
			n, _ := strconv.ParseInt(t, 10, 64)
			line += fmt.Sprintf(", stated EU total %d (sum minus total %d)", n, sums[y]-n)
		} else {
			line += ", no EU total"
		}
		if t := councilTotals[y]; t != "" {
			line += ", Council EU total " + t
		}
		if len(gaps[y]) > 0 {
			line += ", gaps " + strings.Join(gaps[y], " ")
		}
		fmt.Fprintln(w, line)
	}
	for _, r := range rows {
		if r.publisher != council {
			continue
		}
		n, _ := strconv.ParseInt(r.population, 10, 64)
		fmt.Fprintf(w, "%d %s: Council %d, Eurostat %d, Council minus Eurostat %d\n",
			r.year, r.state, n, est[fmt.Sprintf("%d %s", r.year, r.state)], n-est[fmt.Sprintf("%d %s", r.year, r.state)])
	}
}

// readMembers reads the Member States, by ISO code.
func readMembers(path string) (map[string]member, error) {
	records, err := readCSV(path, "iso2", "eu_code", "member_from", "member_until")
	if err != nil {
		return nil, err
	}
	members := make(map[string]member, len(records))
	for _, r := range records {
		members[r[0]] = member{euCode: r[1], from: r[2], until: r[3]}
	}
	return members, nil
}

// readCSV returns the named columns of every record of the file, in that order.
func readCSV(path string, columns ...string) ([][]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	records, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(records) == 0 {
		return nil, fmt.Errorf("%s: empty", path)
	}
	index := make([]int, len(columns))
	for i, c := range columns {
		if index[i] = slices.Index(records[0], c); index[i] < 0 {
			return nil, fmt.Errorf("%s: no column %q", path, c)
		}
	}
	out := make([][]string, 0, len(records)-1)
	for _, rec := range records[1:] {
		r := make([]string, len(index))
		for i, j := range index {
			r[i] = strings.TrimSpace(rec[j])
		}
		out = append(out, r)
	}
	return out, nil
}

// writeFile writes the rows whole or, on any error, leaves the old file in place.
func writeFile(path string, rows []row) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".genpop-*.csv")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return err
	}
	w := csv.NewWriter(tmp)
	w.Write([]string{"year", "iso2", "population", "publisher", "act", "source"})
	for _, r := range rows {
		w.Write([]string{strconv.Itoa(r.year), r.state, r.population, r.publisher, r.act, r.source})
	}
	w.Flush()
	if err := errors.Join(w.Error(), tmp.Close()); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return os.Rename(tmp.Name(), path)
}
