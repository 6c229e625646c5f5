package web

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dualuse-transparency/portal/db"
	"github.com/dualuse-transparency/portal/internal/apperr"
	"github.com/dualuse-transparency/portal/internal/codes"
)

// The fuzz targets read arbitrary query strings as the CSV downloads do. Their seeds are
// in testdata/fuzz/<target>, so a plain go test runs them as regression tests.

// maxErrorLen bounds the message of a refused argument: the parameter's name and its
// allowed values (a few hundred bytes at most) and up to about 300 bytes of the input,
// so that a huge query string cannot make a huge error.
const maxErrorLen = 1000

func FuzzStatisticsArgs(f *testing.F) {
	f.Fuzz(func(t *testing.T, raw string) {
		q, _ := url.ParseQuery(raw) // as r.URL.Query(), which keeps what parses
		query, orderBy, err := statisticsArgs(q)
		if err != nil {
			checkArgsError(t, raw, err)
			return
		}
		// A dimension given twice passes as given; db.LicenceStatisticsRows reports it.
		checkEnums(t, q, "groupBy", query.GroupBy, knownEnum[db.Dimension])
		checkFilter(t, q, query.Filter)
		checkStatisticsOrder(t, q, orderBy)
	})
}

func FuzzDenialsArgs(f *testing.F) {
	f.Fuzz(func(t *testing.T, raw string) {
		q, _ := url.ParseQuery(raw)
		query, order, err := denialsArgs(q)
		if err != nil {
			checkArgsError(t, raw, err)
			return
		}
		checkFilter(t, q, query.Filter)
		if want := param(q, "level", string(db.LevelCountry)); string(query.Level) != want || !knownEnum(query.Level) {
			t.Fatalf("level = %q, want %q, a known level", query.Level, want)
		}
		by, dir, _ := strings.Cut(param(q, "orderBy", string(db.ByDenials)), ":")
		if string(order.By) != by || !knownEnum(order.By) || !knownDirection(order.Direction, dir) {
			t.Fatalf("orderBy = %+v, want %q in direction %q", order, by, dir)
		}
	})
}

// checkArgsError requires a refused argument to be invalid input, told in a message of
// bounded size.
func checkArgsError(t *testing.T, raw string, err error) {
	t.Helper()
	code, msg := apperr.Public(err)
	if code != apperr.Invalid || msg == "" {
		t.Fatalf("error %v has code %s, want %s with a message", err, code, apperr.Invalid)
	}
	if len(msg) > maxErrorLen {
		t.Fatalf("a %d-byte query string gives a %d-byte error message: %.120s...", len(raw), len(msg), msg)
	}
}

// checkFilter requires each filter field to be exactly what its parameter says: nil
// when absent, otherwise every value of the list read and valid.
func checkFilter(t *testing.T, q url.Values, f db.StatisticsFilter) {
	t.Helper()
	checkInts(t, q, "years", f.Years)
	checkInts(t, q, "controlCategories", f.ControlCategories)
	checkDate(t, q, "from", f.From)
	checkDate(t, q, "to", f.To)
	checkBool(t, q, "cyberSurveillance", f.CyberSurveillance)
	checkBool(t, q, "catchAll", f.CatchAll)
	anyCode := func(string) bool { return true } // checked against the reference data in db
	checkEnums(t, q, "memberStates", f.MemberStates, anyCode)
	checkEnums(t, q, "destinations", f.Destinations, anyCode)
	checkEnums(t, q, "destinationRegions", f.DestinationRegions, anyCode)
	checkEnums(t, q, "controlEntries", f.ControlEntries, anyCode)
	checkEnums(t, q, "licenceTypes", f.LicenceTypes, inList(codes.LicenceTypes))
	checkEnums(t, q, "outcomes", f.Outcomes, inList(codes.Outcomes))
	checkEnums(t, q, "endUserTypes", f.EndUserTypes, inList(codes.EndUserTypes))
	checkEnums(t, q, "denialGrounds", f.DenialGrounds, inList(codes.DenialGrounds))
}

// items is the comma-separated list of a parameter, trimmed, without empty items;
// nil when the parameter is absent.
func items(q url.Values, name string) []string {
	if !q.Has(name) {
		return nil
	}
	out := []string{}
	for _, s := range strings.Split(q.Get(name), ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func checkEnums[T ~string](t *testing.T, q url.Values, name string, got []T, known func(T) bool) {
	t.Helper()
	want := items(q, name)
	if len(got) != len(want) || (got == nil) != (want == nil) {
		t.Fatalf("%s = %q, want %q", name, got, want)
	}
	for i, v := range got {
		if string(v) != want[i] || !known(v) {
			t.Fatalf("%s = %q, want %q, each a known value", name, got, want)
		}
	}
}

func checkInts(t *testing.T, q url.Values, name string, got []int) {
	t.Helper()
	want := items(q, name)
	if len(got) != len(want) || (got == nil) != (want == nil) {
		t.Fatalf("%s = %v, want %q", name, got, want)
	}
	for i, n := range got {
		if w, err := strconv.Atoi(want[i]); err != nil || n != w {
			t.Fatalf("%s = %v, want %q read as whole numbers", name, got, want)
		}
	}
}

func checkDate(t *testing.T, q url.Values, name string, got *time.Time) {
	t.Helper()
	if (got == nil) == q.Has(name) || got != nil && got.Format(time.DateOnly) != q.Get(name) {
		t.Fatalf("%s = %v, want %q", name, got, q.Get(name))
	}
}

func checkBool(t *testing.T, q url.Values, name string, got *bool) {
	t.Helper()
	want, err := strconv.ParseBool(q.Get(name))
	if (got == nil) == q.Has(name) || got != nil && (err != nil || *got != want) {
		t.Fatalf("%s = %v, want %q", name, got, q.Get(name))
	}
}

func checkStatisticsOrder(t *testing.T, q url.Values, got []db.StatisticsOrder) {
	t.Helper()
	want := items(q, "orderBy")
	if len(got) != len(want) {
		t.Fatalf("orderBy = %+v, want %q", got, want)
	}
	for i, o := range got {
		by, dir, _ := strings.Cut(want[i], ":")
		if string(o.By) != by || !knownEnum(o.By) || !knownDirection(o.Direction, dir) {
			t.Fatalf("orderBy = %+v, want %q", got, want)
		}
	}
}

// knownDirection requires the direction asked for, in any case, or descending by default.
func knownDirection(got db.OrderDirection, asked string) bool {
	want := db.Descending
	if asked != "" {
		want = db.OrderDirection(strings.ToUpper(asked))
	}
	return got == want && knownEnum(got)
}

// param is the parameter's value, or def when it is absent.
func param(q url.Values, name, def string) string {
	if !q.Has(name) {
		return def
	}
	return q.Get(name)
}

// knownEnum reports whether v is one of its enum's values, as the schema reads them.
func knownEnum[T ~string, PT unmarshaler[T]](v T) bool {
	var back T
	return PT(&back).UnmarshalGQL(string(v)) == nil && back == v
}

func inList[T comparable](list []T) func(T) bool {
	return func(v T) bool { return slices.Contains(list, v) }
}
