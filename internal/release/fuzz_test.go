package release

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/dualuse-transparency/portal/internal/codes"
)

// The fuzz targets check properties the importer promises on any input, not just that
// it does not crash. Their seeds are in testdata/fuzz/<target>, so a plain go test
// runs them (and any failing input kept there) as regression tests.

var (
	// amountForm and decimalForm are the only spellings parseAmount may take, with at
	// most 2 decimals and with any number of them.
	amountForm  = regexp.MustCompile(`^[0-9]+(\.[0-9]{1,2})?$`)
	decimalForm = regexp.MustCompile(`^[0-9]+(\.[0-9]+)?$`)
)

func FuzzParseAmount(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		v, ok := parseAmount(s, 2)
		if !ok {
			if amountForm.MatchString(s) && !overflows(s) {
				t.Fatalf("parseAmount(%q, 2) refused a plain amount", s)
			}
		} else {
			checkAmount(t, s, v, amountForm)
			// The decision reader takes what is below maxValueEUR, so that much must be
			// kept to the cent: it is stored as numeric(17,2) and published as such.
			if got, want := strconv.FormatFloat(v, 'f', 2, 64), inCents(s); v < maxValueEUR && got != want {
				t.Fatalf("parseAmount(%q, 2) = %s to the cent, want %s", s, got, want)
			}
		}
		w, anyOK := parseAmount(s, -1)
		switch {
		case anyOK:
			checkAmount(t, s, w, decimalForm)
		case decimalForm.MatchString(s) && !overflows(s):
			t.Fatalf("parseAmount(%q, -1) refused a plain decimal number", s)
		case ok:
			t.Fatalf("parseAmount(%q, -1) refused what parseAmount(%q, 2) took", s, s)
		}
	})
}

// checkAmount checks an accepted amount: spelt in form, a finite number >= 0, the
// number strconv reads, and read back the same from its own shortest spelling.
func checkAmount(t *testing.T, s string, v float64, form *regexp.Regexp) {
	t.Helper()
	if !form.MatchString(s) {
		t.Fatalf("parseAmount accepted %q (= %v), which is not of the form %s", s, v, form)
	}
	if v < 0 || math.IsInf(v, 0) || math.IsNaN(v) {
		t.Fatalf("parseAmount(%q) = %v, want a finite number >= 0", s, v)
	}
	if want, _ := strconv.ParseFloat(s, 64); v != want {
		t.Fatalf("parseAmount(%q) = %v, want %v", s, v, want)
	}
	again := strconv.FormatFloat(v, 'f', -1, 64)
	if back, ok := parseAmount(again, -1); !ok || back != v {
		t.Fatalf("parseAmount(%q) = %v, but its spelling %q reads back as %v, %v", s, v, again, back, ok)
	}
}

// overflows reports whether s has too many digits for a float64, the one reason to
// refuse a well-formed amount.
func overflows(s string) bool {
	_, err := strconv.ParseFloat(s, 64)
	return errors.Is(err, strconv.ErrRange)
}

// inCents spells an amount of amountForm the way FormatFloat(v, 'f', 2, 64) does.
func inCents(s string) string {
	whole, frac, _ := strings.Cut(s, ".")
	whole = strings.TrimLeft(whole, "0")
	if whole == "" {
		whole = "0"
	}
	return whole + "." + frac + strings.Repeat("0", 2-len(frac))
}

func FuzzParseDate(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		d, err := parseDate(s)
		if err != nil {
			if isCalendarDate(s) {
				t.Fatalf("parseDate(%q) refused a calendar date: %v", s, err)
			}
			return
		}
		if got := d.Format("2006-01-02"); got != s {
			t.Fatalf("parseDate(%q) = %s, which formats as %q", s, d, got)
		}
		if d.Location() != time.UTC || !d.Equal(dayOf(d)) {
			t.Fatalf("parseDate(%q) = %s, want midnight UTC", s, d)
		}
		cache := dateCache{}
		for range 2 { // the second parse comes from the cache
			if c, err := cache.parse(s); err != nil || !c.Equal(d) {
				t.Fatalf("dateCache.parse(%q) = %s, %v; want %s", s, c, err, d)
			}
		}
	})
}

// isCalendarDate reports whether s is YYYY-MM-DD and names a day that exists.
func isCalendarDate(s string) bool {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' || !allDigits(s[:4]+s[5:7]+s[8:]) {
		return false
	}
	y, _ := strconv.Atoi(s[:4])
	m, _ := strconv.Atoi(s[5:7])
	d, _ := strconv.Atoi(s[8:])
	daysInMonth := time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
	return m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth
}

// FuzzParseCodes checks the readers of one code: each takes exactly the codes of its
// list or of the reference data, and gives back the code itself.
func FuzzParseCodes(f *testing.F) {
	ref := testRef()
	r := newRules(ref, Meta{})
	f.Fuzz(func(t *testing.T, s string) {
		checkCode(t, codes.LicenceTypes, s)
		checkCode(t, codes.Outcomes, s)
		checkCode(t, codes.EndUserTypes, s)
		checkCode(t, codes.DenialGrounds, s)
		iso, err := r.state(s)
		if known := isMemberState(ref, s); (err == nil) != known {
			t.Fatalf("state(%q) = %q, %v; known %v", s, iso, err, known)
		}
		if m, ok := ref.MemberStates[iso]; err == nil && (!ok || iso != s && m.EUCode != s) {
			t.Fatalf("state(%q) = %q, which is not its ISO code", s, iso)
		}
		if c, err := r.country(s); (err == nil) != known(ref.Countries, s) || err == nil && c != s {
			t.Fatalf("country(%q) = %q, %v; known %v", s, c, err, ref.Countries[s])
		}
		_, listed := ref.ControlEntries[s]
		if e, err := r.entry(s); (err == nil) != listed || err == nil && e != s {
			t.Fatalf("entry(%q) = %q, %v; listed %v", s, e, err, listed)
		}
	})
}

func checkCode[T ~string](t *testing.T, list []T, s string) {
	t.Helper()
	c, err := parseCode(list, s)
	known := slices.Contains(list, T(s))
	if (err == nil) != known || err == nil && string(c) != s || err != nil && c != "" {
		t.Fatalf("parseCode(%q) = %q, %v; known %v", s, c, err, known)
	}
}

func isMemberState(ref Reference, s string) bool {
	for iso, m := range ref.MemberStates {
		if s == iso || s == m.EUCode {
			return true
		}
	}
	return false
}

// FuzzParseList checks the ';'-separated lists (denial grounds, destinations): a list
// is taken when every element is a known code given once, and then the codes read are
// the list as written.
func FuzzParseList(f *testing.F) {
	ref := testRef()
	r := newRules(ref, Meta{})
	f.Fuzz(func(t *testing.T, s string) {
		grounds, err := parseList(s, func(part string) (codes.DenialGround, error) {
			return parseCode(codes.DenialGrounds, part)
		})
		checkList(t, s, grounds, err, func(c codes.DenialGround) bool { return slices.Contains(codes.DenialGrounds, c) })
		dests, err := parseList(s, r.country)
		checkList(t, s, dests, err, func(c string) bool { return known(ref.Countries, c) })
	})
}

func checkList[T ~string](t *testing.T, s string, got []T, err error, known func(T) bool) {
	t.Helper()
	want := s == ""
	if !want {
		parts := strings.Split(s, ";")
		want = !slices.ContainsFunc(parts, func(p string) bool { return !known(T(p)) }) &&
			len(slices.Compact(slices.Sorted(slices.Values(parts)))) == len(parts)
	}
	if (err == nil) != want {
		t.Fatalf("parseList(%q) = %q, %v; want accepted %v", s, got, err, want)
	}
	if err != nil {
		if got != nil || err.Error() == "" {
			t.Fatalf("parseList(%q) = %q, %q; want no codes and a message", s, got, err)
		}
		return
	}
	if joined := strings.Join(toStrings(got), ";"); joined != s || s == "" && got != nil {
		t.Fatalf("parseList(%q) = %q, want the codes as written", s, got)
	}
}

func toStrings[T ~string](list []T) []string {
	out := make([]string, len(list))
	for i, c := range list {
		out[i] = string(c)
	}
	return out
}

// FuzzReadMeta checks the reader of release.json: whatever the bytes, every problem is
// about release.json, and metadata without problems has a valid id and period and is
// read back the same once written out again.
func FuzzReadMeta(f *testing.F) {
	dir := f.TempDir() // one folder for the inputs, which run one at a time
	f.Fuzz(func(t *testing.T, data []byte) {
		meta, probs := readMetaBytes(t, dir, data)
		for _, p := range probs {
			if p.File != metaFile || p.Line != 0 || p.Column == "" || p.Message == "" || strings.Contains(p.String(), "\n") {
				t.Fatalf("problem %q: want release.json, line 0, a field and a message, on one line", p)
			}
		}
		if len(probs) > 0 {
			return
		}
		if !IDPattern.MatchString(meta.ID) {
			t.Fatalf("accepted id %q, which is not a release id", meta.ID)
		}
		if !hasPeriod(meta) || meta.PeriodEnd.Before(meta.PeriodStart) || meta.PublishedOn.IsZero() {
			t.Fatalf("accepted the period %s to %s, published %s", day(meta.PeriodStart), day(meta.PeriodEnd), day(meta.PublishedOn))
		}
		if meta.Licence == "" || strings.TrimSpace(meta.Title) == "" || strings.TrimSpace(meta.Publisher) == "" {
			t.Fatalf("accepted metadata without a licence, title or publisher: %+v", meta)
		}
		again, probs := readMetaBytes(t, dir, metaJSON(t, meta))
		if len(probs) > 0 || again != meta {
			t.Fatalf("metadata written out again reads as %+v, %v; want %+v", again, probs, meta)
		}
	})
}

// readMetaBytes reads data as the release.json of dir.
func readMetaBytes(t *testing.T, dir string, data []byte) (Meta, Problems) {
	t.Helper()
	putFile(t, dir, metaFile, string(data))
	probs := &problems{}
	meta, err := readMeta(dir, []string{metaFile}, probs)
	if err != nil {
		t.Fatalf("readMeta: %v", err)
	}
	return meta, probs.list
}

func metaJSON(t *testing.T, m Meta) []byte {
	t.Helper()
	data, err := json.Marshal(MetaJSON{
		ID: m.ID, Title: m.Title, Description: m.Description, PeriodStart: day(m.PeriodStart),
		PeriodEnd: day(m.PeriodEnd), PublishedOn: day(m.PublishedOn), Publisher: m.Publisher, Source: m.Source,
		Licence: m.Licence, MethodologyVersion: m.MethodologyVersion, Citation: m.Citation,
		Synthetic: m.Synthetic, URL: m.URL,
	})
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// FuzzReadDecisions reads the fuzzed bytes as licence_decisions.csv of an otherwise
// good release. Read gives a release or problems, never both; every problem is placed
// in the file, and every decision of a release keeps the rules of its columns.
func FuzzReadDecisions(f *testing.F) {
	meta, err := os.ReadFile("testdata/good/release.json")
	if err != nil {
		f.Fatal(err)
	}
	figures, err := os.ReadFile("testdata/good/official_figures.csv")
	if err != nil {
		f.Fatal(err)
	}
	ref := testRef()
	dir := f.TempDir() // one folder for the inputs, which run one at a time
	putFile(f, dir, metaFile, string(meta))
	putFile(f, dir, figuresFile, string(figures))
	f.Fuzz(func(t *testing.T, data []byte) {
		putFile(t, dir, decisionsFile, string(data))
		rel, err := readBothWays(t, dir, ref)
		switch {
		case (rel == nil) == (err == nil):
			t.Fatalf("Read = %v, %v; want a release or an error", rel, err)
		case err != nil:
			checkDecisionProblems(t, data, err)
		default:
			checkDecisions(t, ref, rel)
		}
	})
}

func checkDecisionProblems(t *testing.T, data []byte, err error) {
	t.Helper()
	var probs Problems
	if !errors.As(err, &probs) || len(probs) == 0 {
		t.Fatalf("Read error = %v, want Problems", err)
	}
	lines := bytes.Count(data, []byte("\n")) + 1
	for _, p := range probs {
		if p.File != decisionsFile || p.Line < 0 || p.Line > lines || p.Column == "" || p.Message == "" ||
			strings.Contains(p.String(), "\n") {
			t.Fatalf("problem %q: want a line 0..%d of %s, a column and a message, on one line", p, lines, decisionsFile)
		}
	}
}

// checkDecisions checks each decision against the rules on its own, then the rows of
// each decision against each other.
func checkDecisions(t *testing.T, ref Reference, rel *Release) {
	t.Helper()
	if len(rel.Decisions) == 0 {
		t.Fatal("Read accepted a release without decisions")
	}
	first := map[string]Decision{}
	entries := map[[2]string]bool{}
	for i, d := range rel.Decisions {
		if err := decisionError(ref, rel.Meta, d); err != "" {
			t.Fatalf("decision %+v: %s", d, err)
		}
		if i > 0 && d.Line <= rel.Decisions[i-1].Line {
			t.Fatalf("decision on line %d after one on line %d", d.Line, rel.Decisions[i-1].Line)
		}
		key := [2]string{d.DecisionID, d.ControlEntry}
		if entries[key] {
			t.Fatalf("decision %q has control entry %q twice", d.DecisionID, d.ControlEntry)
		}
		entries[key] = true
		if f, seen := first[d.DecisionID]; !seen {
			first[d.DecisionID] = d
		} else if !sameDecision(f, d) {
			t.Fatalf("rows of decision %q differ: %+v and %+v", d.DecisionID, f, d)
		}
	}
}

// sameDecision compares two rows apart from their line, control entry and value.
func sameDecision(a, b Decision) bool {
	return a.Date.Equal(b.Date) && slices.Equal(sortedGrounds(a), sortedGrounds(b)) &&
		a.MemberState == b.MemberState && a.LicenceType == b.LicenceType && a.Outcome == b.Outcome &&
		a.Destination == b.Destination && a.EndUserType == b.EndUserType && a.ExporterID == b.ExporterID &&
		a.CatchAll == b.CatchAll
}

func sortedGrounds(d Decision) []codes.DenialGround {
	return slices.Sorted(slices.Values(d.DenialGrounds))
}

// decisionError restates the rules of licence_decisions.csv, apart from the code that
// applies them, and says which one d breaks.
func decisionError(ref Reference, meta Meta, d Decision) string {
	m, member := ref.MemberStates[d.MemberState]
	_, listed := ref.ControlEntries[d.ControlEntry]
	for _, rule := range []struct {
		ok   bool
		says string
	}{
		{d.Line >= 2, "line before the first row"},
		{validText(d.DecisionID, maxDecisionID), "decision id"},
		{validText(d.ExporterID, maxExporterID), "exporter id"},
		{member && newSpan(m.From, m.Until).contains(d.Date), "not a Member State on its date"},
		{!d.Date.Before(meta.PeriodStart) && !d.Date.After(meta.PeriodEnd), "date outside the period"},
		{slices.Contains(codes.LicenceTypes, d.LicenceType), "licence type"},
		{slices.Contains(codes.Outcomes, d.Outcome), "outcome"},
		{slices.Contains(codes.EndUserTypes, d.EndUserType), "end-user type"},
		{known(ref.Countries, d.Destination) && newSpan(ref.Countries[d.Destination].From, ref.Countries[d.Destination].To).contains(d.Date), "destination"},
		{d.Destination != d.MemberState, "destination is the exporting state"},
		{d.ControlEntry == "" && d.CatchAll != codes.NoCatchAll || listed || annexCode.MatchString(d.ControlEntry), "control entry"},
		{slices.Contains(codes.CatchAlls, d.CatchAll), "catch-all"},
		{d.ValueEUR >= 0 && d.ValueEUR < maxValueEUR && (d.ValueKnown || d.ValueEUR == 0), "value"},
		{(d.Outcome == codes.Denied) == (len(d.DenialGrounds) > 0), "denial grounds and outcome"},
		{!slices.ContainsFunc(d.DenialGrounds, func(g codes.DenialGround) bool {
			return !slices.Contains(codes.DenialGrounds, g)
		}), "denial ground"},
		{len(slices.Compact(sortedGrounds(d))) == len(d.DenialGrounds), "ground twice"},
	} {
		if !rule.ok {
			return rule.says
		}
	}
	return ""
}

func validText(s string, max int) bool {
	return s != "" && utf8.RuneCountInString(s) <= max
}

// FuzzEntryName checks that an archive entry whose name is accepted lands inside the
// folder the archive is extracted to.
func FuzzEntryName(f *testing.F) {
	dst := filepath.FromSlash("/tmp/release-x")
	f.Fuzz(func(t *testing.T, name string) {
		clean, err := entryName(name)
		if err != nil {
			if err.Error() == "" {
				t.Fatalf("entryName(%q) refused without a message", name)
			}
			return
		}
		if slices.Contains(strings.Split(clean, "/"), "..") || strings.HasPrefix(clean, "/") {
			t.Fatalf("entryName(%q) = %q, which climbs out", name, clean)
		}
		rel, err := filepath.Rel(dst, filepath.Join(dst, filepath.FromSlash(clean)))
		if err != nil || !filepath.IsLocal(rel) && rel != "." {
			t.Fatalf("entryName(%q) = %q, which lands at %q from the folder", name, clean, rel)
		}
	})
}

func known[V any](m map[string]V, k string) bool {
	_, ok := m[k]
	return ok
}
