package demodata

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dualuse-transparency/portal/internal/codes"
	"github.com/dualuse-transparency/portal/internal/release"
)

// The columns of licence_decisions.csv.
const (
	colID = iota
	colState
	colDate
	colLicence
	colOutcome
	colDest
	colEndUser
	colEntry
	colValue
	colExporter
	colGrounds
	colCatchAll
	nCols
)

// reference is the project's reference data, read from the files the database loads,
// so the generated rows are checked against the same facts as the importer's.
type reference struct {
	entries   map[string]validity // control entries
	cyber     map[string]bool     // cyber-surveillance entries
	members   map[string]validity // membership, until inclusive
	countries map[string]bool
}

// validity is a span of dates, both ends inclusive, "" for open.
type validity struct{ from, to string }

func (v validity) on(date string) bool { return v.from <= date && (v.to == "" || date <= v.to) }

func (ref reference) memberOn(code, date string) bool {
	v, ok := ref.members[code]
	return ok && v.on(date)
}

func loadReference(t testing.TB) reference {
	t.Helper()
	ref := reference{entries: map[string]validity{}, cyber: map[string]bool{}, members: map[string]validity{},
		countries: map[string]bool{}}
	for _, r := range readCSV(t, "../../db/reference/control_entries.csv") {
		ref.entries[r[0]] = validity{r[4], r[5]}
		ref.cyber[r[0]] = r[3] == "true"
	}
	for _, r := range readCSV(t, "../../db/reference/member_states.csv") {
		ref.members[r[0]] = validity{r[3], r[4]}
	}
	for _, r := range readCSV(t, "../../db/reference/countries.csv") {
		ref.countries[r[0]] = true
	}
	return ref
}

// releaseReference is the reference data release.Read checks against, read from the
// same files, with the Council population figures computed as the database does.
func releaseReference(t testing.TB) release.Reference {
	t.Helper()
	ref := release.Reference{Countries: map[string]bool{}, MemberStates: map[string]release.Membership{},
		ControlEntries: map[string]release.Validity{}, Population: map[int]map[string]int64{}}
	for _, r := range readCSV(t, "../../db/reference/countries.csv") {
		ref.Countries[r[0]] = true
	}
	for _, r := range readCSV(t, "../../db/reference/member_states.csv") {
		ref.MemberStates[r[0]] = release.Membership{EUCode: r[1], From: mustDate(r[3]), Until: optionalDate(r[4])}
	}
	for _, r := range readCSV(t, "../../db/reference/control_entries.csv") {
		ref.ControlEntries[r[0]] = release.Validity{From: mustDate(r[4]), To: optionalDate(r[5])}
	}
	for _, r := range readCSV(t, "../../db/reference/population_shares.csv") {
		year, _ := strconv.Atoi(r[0])
		share, _ := strconv.ParseFloat(r[2], 64)
		total, _ := strconv.ParseFloat(r[3], 64)
		if ref.Population[year] == nil {
			ref.Population[year] = map[string]int64{}
		}
		ref.Population[year][r[1]] = int64(total*share/100 + 0.5)
	}
	return ref
}

func optionalDate(s string) *time.Time {
	if s == "" {
		return nil
	}
	t := mustDate(s)
	return &t
}

// readCSV returns the records of path without its header.
func readCSV(t testing.TB, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return rows[1:]
}

var (
	idPattern       = regexp.MustCompile(`^D(\d{4})-\d{6,}$`)
	valuePattern    = regexp.MustCompile(`^\d+(\.\d{1,2})?$`)
	exporterPattern = regexp.MustCompile(`^([A-Z]{2})-\d{4,}$`)
	eu001           = []string{"AU", "CA", "IS", "JP", "NZ", "NO", "CH", "LI", "US"}
)

// checkRow returns what is wrong with a row of licence_decisions.csv, or nil.
func (ref reference) checkRow(f []string) error {
	if len(f) != nCols {
		return fmt.Errorf("%d columns, want %d", len(f), nCols)
	}
	date := f[colDate]
	if _, err := time.Parse(dateLayout, date); err != nil {
		return fmt.Errorf("decision_date: %v", err)
	}
	return errors.Join(
		ref.checkParties(f, date),
		checkCodes(f),
		ref.checkEntry(f, date),
		checkValue(f[colValue]),
		checkGrounds(f[colOutcome], f[colGrounds]),
	)
}

func (ref reference) checkParties(f []string, date string) error {
	var errs []error
	if m := idPattern.FindStringSubmatch(f[colID]); m == nil || m[1] != date[:4] {
		errs = append(errs, fmt.Errorf("decision_id %q: not D<year of the date>-<number>", f[colID]))
	}
	if !ref.memberOn(f[colState], date) {
		errs = append(errs, fmt.Errorf("member_state %s: not a member on %s", f[colState], date))
	}
	if d := f[colDest]; !ref.countries[d] || ref.memberOn(d, date) {
		errs = append(errs, fmt.Errorf("destination %s: unknown, or a Member State on %s", d, date))
	}
	if m := exporterPattern.FindStringSubmatch(f[colExporter]); m == nil || m[1] != f[colState] {
		errs = append(errs, fmt.Errorf("exporter_id %q: not <member state>-<number>", f[colExporter]))
	}
	isEU001 := slices.Contains(eu001, f[colDest]) || f[colDest] == "GB" && date >= "2021-01-01"
	if f[colLicence] == "EU001" && !isEU001 {
		errs = append(errs, fmt.Errorf("licence_type EU001 to %s, not one of its destinations", f[colDest]))
	}
	return errors.Join(errs...)
}

func checkCodes(f []string) error {
	_, err1 := codes.Parse(codes.LicenceTypes, f[colLicence])
	_, err2 := codes.Parse(codes.Outcomes, f[colOutcome])
	_, err3 := codes.Parse(codes.EndUserTypes, f[colEndUser])
	var err4, err5 error
	if f[colCatchAll] != "true" && f[colCatchAll] != "false" {
		err4 = fmt.Errorf("catch_all %q: not true or false", f[colCatchAll])
	}
	if f[colOutcome] == string(codes.Denied) && f[colLicence] != "INDIVIDUAL" && f[colLicence] != "GLOBAL" {
		err5 = fmt.Errorf("denial of a %s licence", f[colLicence])
	}
	return errors.Join(err1, err2, err3, err4, err5)
}

func (ref reference) checkEntry(f []string, date string) error {
	e := f[colEntry]
	if e == "" {
		if f[colCatchAll] != "true" {
			return errors.New("control_entry: empty on a decision without the catch-all")
		}
		return nil
	}
	if v, ok := ref.entries[e]; !ok || !v.on(date) {
		return fmt.Errorf("control_entry %s: unknown or not valid on %s", e, date)
	}
	if f[colCatchAll] == "true" && ref.cyber[e] {
		return fmt.Errorf("control_entry %s: catch-all on a listed cyber-surveillance entry", e)
	}
	return nil
}

func checkValue(s string) error {
	if !valuePattern.MatchString(s) {
		return fmt.Errorf("value_eur %q: not a number >= 0 with at most 2 decimals", s)
	}
	return nil
}

func checkGrounds(outcome, grounds string) error {
	if outcome != string(codes.Denied) {
		if grounds != "" {
			return fmt.Errorf("denial_grounds %q on a decision that is not a denial", grounds)
		}
		return nil
	}
	seen := map[string]bool{}
	for g := range strings.SplitSeq(grounds, ";") {
		if _, err := codes.Parse(codes.DenialGrounds, g); err != nil || seen[g] {
			return fmt.Errorf("denial_grounds %q: empty, unknown or repeated ground %q", grounds, g)
		}
		seen[g] = true
	}
	return nil
}

// readDecision is a decision read back: its first row and its control entries.
type readDecision struct {
	f       []string
	entries []string
}

// readDecisions reads licence_decisions.csv of dir, checking every row and that the
// rows of a decision differ in their control entry only. It stops the test after
// reporting the first few bad rows.
func readDecisions(t testing.TB, dir string, ref reference) []readDecision {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, "licence_decisions.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	header, err := r.Read()
	if want := strings.TrimSuffix(decisionsHeader, "\n"); err != nil || strings.Join(header, ",") != want {
		t.Fatalf("header = %q, %v; want %q", header, err, want)
	}
	var out []readDecision
	bad := 0
	for line := 2; ; line++ {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err == nil {
			err = ref.checkRow(rec)
		}
		if err == nil {
			out, err = appendRecord(out, rec)
		}
		if err != nil {
			t.Errorf("licence_decisions.csv:%d: %v", line, err)
			if bad++; bad == 10 {
				t.FailNow()
			}
		}
	}
	return out
}

// appendRecord adds rec to the decisions: a new one, or a second row of the last one,
// whose value adds to the decision's.
func appendRecord(out []readDecision, rec []string) ([]readDecision, error) {
	if len(out) == 0 || out[len(out)-1].f[colID] != rec[colID] {
		return append(out, readDecision{f: rec, entries: []string{rec[colEntry]}}), nil
	}
	last := &out[len(out)-1]
	first, _ := strconv.ParseFloat(last.f[colValue], 64)
	second, _ := strconv.ParseFloat(rec[colValue], 64)
	last.f[colValue] = strconv.FormatFloat(first+second, 'f', 2, 64)
	for i := range rec {
		if i != colEntry && i != colValue && rec[i] != last.f[i] {
			return out, fmt.Errorf("second row of %s: column %d differs", rec[colID], i+1)
		}
	}
	if len(last.entries) == 2 || slices.Contains(last.entries, rec[colEntry]) {
		return out, fmt.Errorf("decision %s: a third row, or the same entry twice", rec[colID])
	}
	last.entries = append(last.entries, rec[colEntry])
	return out, nil
}

func (d readDecision) year() int {
	y, _ := strconv.Atoi(d.f[colDate][:4])
	return y
}

func (d readDecision) value() float64 {
	v, _ := strconv.ParseFloat(d.f[colValue], 64)
	return v
}

func (d readDecision) cyber(ref reference) bool {
	return d.f[colCatchAll] == "true" || slices.ContainsFunc(d.entries, func(e string) bool { return ref.cyber[e] })
}
