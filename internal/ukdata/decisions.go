package ukdata

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/dualuse-transparency/portal/internal/codes"
)

// Decision is one licence of the source as a decision of the release.
type Decision struct {
	ID          string // "uk-<licence group>-<licence in the group>"
	ExporterID  string // one pseudonym per licence: the source names no exporters
	Date        time.Time
	LicenceType codes.LicenceType
	Outcome     codes.Outcome
	Destination string // ISO alpha-2
	Grounds     []codes.DenialGround
	CatchAll    codes.CatchAll
	Entries     []Entry // by code, each code once
}

// Entry is a control entry of a decision and the licence's value for it. The code is
// empty for the non-listed items an end-use control (a catch-all) brought under control.
type Entry struct {
	Code       string
	Cents      int64 // EUR cents; meaningful only when ValueKnown
	ValueKnown bool
}

// group is the rows of one licence group, in file order.
type group struct {
	id   string
	rows []sourceRow
}

// groupRows gathers the rows of each licence group and checks that they agree on what
// belongs to the licence rather than to a rating: date, destination, refusal.
func groupRows(rows []sourceRow, name string) ([]group, error) {
	index := map[string]int{}
	var groups []group
	var probs problems
	for _, r := range rows {
		i, seen := index[r.group]
		if !seen {
			index[r.group] = len(groups)
			groups = append(groups, group{id: r.group, rows: []sourceRow{r}})
			continue
		}
		first := groups[i].rows[0]
		switch {
		case !r.date.Equal(first.date):
			probs.add(name, r.line, "date", "%s differs from line %d of licence group %s", r.date.Format(time.DateOnly), first.line, r.group)
		case r.country != first.country:
			probs.add(name, r.line, "country", "%q differs from line %d of licence group %s", r.country, first.line, r.group)
		case r.refused != first.refused:
			probs.add(name, r.line, "refused", "differs from line %d of licence group %s", first.line, r.group)
		}
		groups[i].rows = append(groups[i].rows, r)
	}
	return groups, probs.err()
}

// keptRow is a rating that goes into the release, with its value shared out between
// the licences of the group that carry it.
type keptRow struct {
	kind   kind
	code   string
	count  int
	shares []int64 // EUR cents per licence carrying it; nil when the value is unknown
}

// licences turns a licence group into its decisions. The source gives, per rating,
// how many of the group's licences carry it and their total value, not which
// licences: the group is taken to hold as many licences as its most counted kept
// rating, licence i carrying every rating whose count is at least i, and a rating's
// value is shared evenly between the licences carrying it. Counts per rating and
// values per rating are then exact; which ratings share a licence is not known.
func licences(g group, dest string, criteria []int) ([]Decision, error) {
	first := g.rows[0]
	var kept []keptRow
	n := 0
	for _, r := range g.rows {
		k, code := classify(r.rating)
		if !k.kept() {
			continue
		}
		kr := keptRow{kind: k, code: code, count: r.count}
		if r.valueKnown {
			cents, err := eurCents(r.pence, first.date.Year())
			if err != nil {
				return nil, fmt.Errorf("line %d: %w", r.line, err)
			}
			kr.shares = shares(cents, r.count)
		}
		kept = append(kept, kr)
		n = max(n, r.count)
	}
	decisions := make([]Decision, n)
	for i := range decisions {
		decisions[i] = licence(g, i, kept, dest, criteria)
	}
	return decisions, nil
}

// licence is the i-th licence (from 0) of a group.
func licence(g group, i int, kept []keptRow, dest string, criteria []int) Decision {
	first := g.rows[0]
	id := g.id + "-" + strconv.Itoa(i+1)
	d := Decision{
		ID:          "uk-" + id,
		ExporterID:  "uk-licence-" + id,
		Date:        first.date,
		LicenceType: "INDIVIDUAL",
		Outcome:     codes.Issued,
		Destination: dest,
		CatchAll:    codes.NoCatchAll,
	}
	if inEU(dest, first.date) {
		d.LicenceType = codes.IntraEUTransfer
	}
	var catchAlls []codes.CatchAll
	byCode := map[string]Entry{}
	for _, k := range kept {
		if i >= k.count {
			continue
		}
		if c := k.kind.catchAll(); c != codes.NoCatchAll {
			catchAlls = append(catchAlls, c)
		}
		part := k.share(i)
		if e, ok := byCode[k.code]; ok {
			part = e.plus(part)
		}
		byCode[k.code] = part
	}
	d.Entries = slices.SortedFunc(maps.Values(byCode), func(a, b Entry) int { return strings.Compare(a.Code, b.Code) })
	if len(catchAlls) > 0 {
		// WMD comes first in the Regulation (Article 4(1) before 4(2)) and in the
		// portal's list: a licence under both controls is recorded under WMD.
		d.CatchAll = slices.MinFunc(catchAlls, func(a, b codes.CatchAll) int {
			return slices.Index(codes.CatchAlls, a) - slices.Index(codes.CatchAlls, b)
		})
	}
	if first.refused {
		d.Outcome = codes.Denied
		d.Grounds = grounds(criteria, catchAlls)
	}
	return d
}

// share is the i-th licence's part of a kept row.
func (k keptRow) share(i int) Entry {
	if k.shares == nil {
		return Entry{Code: k.code}
	}
	return Entry{Code: k.code, Cents: k.shares[i], ValueKnown: true}
}

// plus merges two parts of one code (two spellings of it, or both end-use controls)
// into one entry: its value is the sum, unknown if either part is.
func (e Entry) plus(o Entry) Entry {
	return Entry{Code: e.Code, Cents: e.Cents + o.Cents, ValueKnown: e.ValueKnown && o.ValueKnown}
}

// sortDecisions puts decisions in date order, then by licence group as numbered in
// the source, then by licence in the group, so a release reads like the source.
func sortDecisions(ds []Decision) {
	slices.SortStableFunc(ds, func(a, b Decision) int {
		return cmp.Or(a.Date.Compare(b.Date), compareIDs(a.ID, b.ID))
	})
}

// compareIDs orders "uk-<group>-<i>" ids by their numbers where they are numbers.
func compareIDs(a, b string) int {
	pa, pb := strings.Split(a, "-"), strings.Split(b, "-")
	for k := range min(len(pa), len(pb)) {
		na, ea := strconv.Atoi(pa[k])
		nb, eb := strconv.Atoi(pb[k])
		if ea == nil && eb == nil {
			if c := cmp.Compare(na, nb); c != 0 {
				return c
			}
			continue
		}
		if c := strings.Compare(pa[k], pb[k]); c != 0 {
			return c
		}
	}
	return cmp.Compare(len(pa), len(pb))
}
