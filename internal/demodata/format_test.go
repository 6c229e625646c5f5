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
	"github.com/dualuse-transparency/portal/internal/qmv"
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
	for _, r := range readTable(t, "../../db/reference/control_entries.csv") {
		ref.entries[r["code"]] = validity{r["valid_from"], r["valid_to"]}
		ref.cyber[r["code"]] = r["cyber_surveillance"] == "true"
	}
	for _, r := range readTable(t, "../../db/reference/member_states.csv") {
		ref.members[r["iso2"]] = validity{r["member_from"], r["member_until"]}
	}
	for _, r := range readTable(t, "../../db/reference/countries.csv") {
		ref.countries[r["alpha2"]] = true
	}
	return ref
}

// releaseReference is the reference data release.Read checks against, read from the
// same files as the database loads.
func releaseReference(t testing.TB) release.Reference {
	t.Helper()
	ref := release.Reference{Countries: map[string]release.Validity{}, MemberStates: map[string]release.Membership{},
		ControlEntries: map[string]release.Validity{}, Population: qmvFigures(t)}
	for _, r := range readTable(t, "../../db/reference/countries.csv") {
		ref.Countries[r["alpha2"]] = release.Validity{} // in use at any date
	}
	for _, r := range readTable(t, "../../db/reference/member_states.csv") {
		ref.MemberStates[r["iso2"]] = release.Membership{EUCode: r["eu_code"], From: mustDate(r["member_from"]),
			Until: optionalDate(r["member_until"])}
	}
	for _, r := range readTable(t, "../../db/reference/control_entries.csv") {
		ref.ControlEntries[r["code"]] = release.Validity{From: optionalTime(r["valid_from"]), To: optionalDate(r["valid_to"])}
	}
	return ref
}

// qmvFigures are the population figures for qualified-majority voting, every row of
// the reference file as the database reads it: an empty population is a gap (0).
// Before that file existed the figures were the Council's shares of the EU
// population, which are read instead when it is absent.
func qmvFigures(t testing.TB) qmv.Figures {
	t.Helper()
	figures := qmv.Figures{}
	if _, err := os.Stat("../../db/reference/qmv_population.csv"); err == nil {
		for _, r := range readTable(t, "../../db/reference/qmv_population.csv") {
			year, err1 := strconv.Atoi(r["year"])
			pop, err2 := int64(0), error(nil)
			if r["population"] != "" {
				pop, err2 = strconv.ParseInt(r["population"], 10, 64)
			}
			if err1 != nil || err2 != nil {
				t.Fatalf("qmv_population.csv: %v", r)
			}
			figures.Add(year, r["iso2"], qmv.Figure{Population: pop, Publisher: qmv.Publisher(r["publisher"]), Source: r["act"]})
		}
		return figures
	}
	for _, r := range readTable(t, "../../db/reference/population_shares.csv") {
		year, _ := strconv.Atoi(r["year"])
		share, _ := strconv.ParseFloat(r["share_percent"], 64)
		total, _ := strconv.ParseFloat(r["eu_population"], 64)
		figures.Add(year, r["iso2"], qmv.Figure{Population: int64(total*share/100 + 0.5), Publisher: qmv.Council, Source: r["source"]})
	}
	return figures
}

// optionalTime is the date s, or the zero time for "" (no start: at any date before).
func optionalTime(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	return mustDate(s)
}

func optionalDate(s string) *time.Time {
	if s == "" {
		return nil
	}
	t := mustDate(s)
	return &t
}

// readTable returns the records of path without its header, each by column name, so
// that a reference file may gain columns without breaking the tests. A column the
// file lacks reads as "".
func readTable(t testing.TB, path string) []map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil || len(rows) == 0 {
		t.Fatalf("%s: %v, %d rows", path, err, len(rows))
	}
	out := make([]map[string]string, 0, len(rows)-1)
	for _, row := range rows[1:] {
		m := make(map[string]string, len(row))
		for i, name := range rows[0] {
			m[name] = row[i]
		}
		out = append(out, m)
	}
	return out
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
		checkGrounds(f),
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
	d, transfer := f[colDest], f[colLicence] == string(codes.IntraEUTransfer)
	switch {
	case !ref.countries[d] || d == f[colState]:
		errs = append(errs, fmt.Errorf("destination %s: unknown, or the exporting Member State", d))
	case ref.memberOn(d, date) != transfer:
		errs = append(errs, fmt.Errorf("destination %s with licence_type %s: a Member State on %s only with %s, and only then",
			d, f[colLicence], date, codes.IntraEUTransfer))
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

// cyberCatchAllFrom is the day Regulation (EU) 2021/821 applied, and with it the
// cyber-surveillance catch-all of its Article 5.
const cyberCatchAllFrom = "2021-09-09"

func checkCodes(f []string) error {
	_, err1 := codes.Parse(codes.LicenceTypes, f[colLicence])
	_, err2 := codes.Parse(codes.Outcomes, f[colOutcome])
	_, err3 := codes.Parse(codes.EndUserTypes, f[colEndUser])
	_, err4 := codes.Parse(codes.CatchAlls, f[colCatchAll])
	var err5, err6 error
	if f[colOutcome] == string(codes.Denied) && f[colLicence] != "INDIVIDUAL" && f[colLicence] != "GLOBAL" {
		err5 = fmt.Errorf("denial of a %s licence", f[colLicence])
	}
	if f[colCatchAll] == string(codes.CyberSurveillanceCatchAll) && f[colDate] < cyberCatchAllFrom {
		err6 = fmt.Errorf("catch_all %s on %s, before the clause existed", f[colCatchAll], f[colDate])
	}
	return errors.Join(err1, err2, err3, err4, err5, err6)
}

func underCatchAll(f []string) bool { return f[colCatchAll] != string(codes.NoCatchAll) }

func (ref reference) checkEntry(f []string, date string) error {
	e := f[colEntry]
	if e == "" {
		if !underCatchAll(f) {
			return errors.New("control_entry: empty on a decision under no catch-all")
		}
		return nil
	}
	if v, ok := ref.entries[e]; !ok || !v.on(date) {
		return fmt.Errorf("control_entry %s: unknown or not valid on %s", e, date)
	}
	if underCatchAll(f) && ref.cyber[e] {
		return fmt.Errorf("control_entry %s: catch-all on a listed cyber-surveillance entry", e)
	}
	return nil
}

// checkValue allows an empty value (unknown), never a zero one.
func checkValue(s string) error {
	if s != "" && (!valuePattern.MatchString(s) || strings.Trim(s, "0.") == "") {
		return fmt.Errorf("value_eur %q: not empty or a number > 0 with at most 2 decimals", s)
	}
	return nil
}

// checkGrounds requires grounds on a denial only, and a denial under a catch-all to
// cite the clause's own ground (they share their codes).
func checkGrounds(f []string) error {
	outcome, grounds := f[colOutcome], f[colGrounds]
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
	if underCatchAll(f) && !seen[f[colCatchAll]] {
		return fmt.Errorf("denial_grounds %q: a denial under catch-all %s without its ground", grounds, f[colCatchAll])
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

// appendRecord adds rec to the decisions: a new one, or another row of the last one,
// whose value adds to the decision's. The value is unknown (empty) on all rows of a
// decision or on none.
func appendRecord(out []readDecision, rec []string) ([]readDecision, error) {
	if len(out) == 0 || out[len(out)-1].f[colID] != rec[colID] {
		return append(out, readDecision{f: rec, entries: []string{rec[colEntry]}}), nil
	}
	last := &out[len(out)-1]
	for i := range rec {
		if i != colEntry && i != colValue && rec[i] != last.f[i] {
			return out, fmt.Errorf("row %d of %s: column %d differs", len(last.entries)+1, rec[colID], i+1)
		}
	}
	if (last.f[colValue] == "") != (rec[colValue] == "") {
		return out, fmt.Errorf("decision %s: value_eur empty on some rows only", rec[colID])
	}
	if last.f[colValue] != "" {
		sum, _ := strconv.ParseFloat(last.f[colValue], 64)
		v, _ := strconv.ParseFloat(rec[colValue], 64)
		last.f[colValue] = strconv.FormatFloat(sum+v, 'f', 2, 64)
	}
	if len(last.entries) == maxEntries || rec[colEntry] == "" || slices.ContainsFunc(last.entries, func(e string) bool {
		return e == "" || nested(e, rec[colEntry])
	}) {
		return out, fmt.Errorf("decision %s: more than %d rows, an empty entry on one of several, "+
			"or entry %s with itself, its parent or its sub-item", rec[colID], maxEntries, rec[colEntry])
	}
	last.entries = append(last.entries, rec[colEntry])
	return out, nil
}

// nested reports whether a and b are the same entry, or one is a sub-item of the other.
func nested(a, b string) bool {
	return a == b || strings.HasPrefix(a, b+".") || strings.HasPrefix(b, a+".")
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
	return d.f[colCatchAll] == string(codes.CyberSurveillanceCatchAll) ||
		slices.ContainsFunc(d.entries, func(e string) bool { return ref.cyber[e] })
}

// categories is the number of control categories d's entries span.
func (d readDecision) categories() int {
	var seen [10]bool
	n := 0
	for _, e := range d.entries {
		if e != "" && !seen[e[0]-'0'] {
			seen[e[0]-'0'] = true
			n++
		}
	}
	return n
}
