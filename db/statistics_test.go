package db_test

import (
	"context"
	"fmt"
	"math"
	"reflect"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/dualuse-transparency/portal/db"
	"github.com/dualuse-transparency/portal/internal/apperr"
	"github.com/dualuse-transparency/portal/internal/codes"
	"github.com/dualuse-transparency/portal/internal/demodata"
	"github.com/dualuse-transparency/portal/internal/disclosure"
	"github.com/dualuse-transparency/portal/internal/release"
	"github.com/dualuse-transparency/portal/internal/testdb"
)

// A statistics fixture: a generated release, loaded once for the tests that only read
// it, with the decisions as read, the known truth.
var fixture struct {
	once  sync.Once
	url   string
	db    *db.DB
	rel   *release.Release
	query db.StatisticsQuery
	cyber map[string]bool
	world map[string]db.Country
	keys  map[string]uint32 // record keys by decision id
}

func loadFixture(t *testing.T) {
	t.Helper()
	fixture.once.Do(func() {
		ctx := context.Background()
		fixture.url = testdb.NewURL(t)
		d, err := db.Open(ctx, fixture.url) // shared by the tests: closed with the process
		if err != nil {
			t.Fatal(err)
		}
		fixture.rel = testdb.ImportDemo(t, d, demodata.Options{Seed: 7, Decisions: 40000})
		r, err := d.Release(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		fixture.db, fixture.query = d, db.StatisticsQuery{Release: r}
		fixture.keys = recordKeys(fixture.rel.Decisions, []byte("test key"))
		entries, err := d.ControlEntries(ctx, db.ControlEntryFilter{CyberSurveillance: ptr(true)}, ptr(500), nil)
		if err != nil {
			t.Fatal(err)
		}
		fixture.cyber = map[string]bool{}
		for _, e := range entries.Nodes {
			fixture.cyber[e.Code] = true
		}
		countries, err := d.Countries(ctx, "")
		if err != nil {
			t.Fatal(err)
		}
		fixture.world = map[string]db.Country{}
		for _, c := range countries {
			fixture.world[c.Code] = c
		}
	})
	if fixture.db == nil {
		t.Fatal("the statistics fixture failed to load")
	}
}

// recordKeys are the record keys of the decisions of lines, as the import derives them.
func recordKeys(lines []release.Decision, key []byte) map[string]uint32 {
	byDecision := map[string][]release.Decision{}
	for _, l := range lines {
		byDecision[l.DecisionID] = append(byDecision[l.DecisionID], l)
	}
	keys := make(map[string]uint32, len(byDecision))
	for id, ls := range byDecision {
		keys[id] = release.RecordKey(key, release.DecisionContent(ls))
	}
	return keys
}

// truthCell is a cell's confidential truth, computed from the decisions in Go: counts
// of distinct decisions, values summed over their lines.
type truthCell struct {
	applications, issued, denials int64
	valueApplied, valueIssued     map[string]float64       // by exporter
	noisyApplied, noisyIssued     float64                  // the sums of the perturbed decision values
	counted                       map[string]bool          // the decisions counted
	unknown                       map[string]codes.Outcome // those with a line of unknown value, with their outcome
}

// dimensionValues are a decision's values for a dimension, as the API prints them:
// several for denial grounds, "" for none.
func dimensionValues(d release.Decision, dim db.Dimension) []string {
	switch dim {
	case db.DimYear:
		return []string{fmt.Sprint(d.Date.Year())}
	case db.DimQuarter:
		return []string{fmt.Sprintf("%d-Q%d", d.Date.Year(), (d.Date.Month()-1)/3+1)}
	case db.DimMemberState:
		return []string{d.MemberState}
	case db.DimDestination:
		return []string{d.Destination}
	case db.DimDestinationRegion:
		if r := fixture.world[d.Destination].Region; r != nil {
			return []string{r.Code}
		}
		return []string{""}
	case db.DimControlEntry:
		return []string{d.ControlEntry}
	case db.DimControlCategory:
		if d.ControlEntry == "" {
			return []string{""}
		}
		return []string{d.ControlEntry[:1]}
	case db.DimCyberSurveillance:
		return []string{fmt.Sprint(isCyber(d))}
	case db.DimCatchAll:
		return []string{string(d.CatchAll)}
	case db.DimOutcome:
		return []string{string(d.Outcome)}
	case db.DimLicenceType:
		return []string{string(d.LicenceType)}
	case db.DimEndUserType:
		return []string{string(d.EndUserType)}
	case db.DimDenialGround:
		out := []string{}
		for _, g := range d.DenialGrounds {
			out = append(out, string(g))
		}
		return out
	}
	panic("no truth for dimension " + dim)
}

// truth computes every cell of a grouping from the decisions.
func truth(groupBy []db.Dimension, keep func(release.Decision) bool) map[string]*truthCell {
	cells := map[string]*truthCell{}
	for _, d := range fixture.rel.Decisions {
		if keep != nil && !keep(d) {
			continue
		}
		for _, key := range keys(d, groupBy) {
			c := cells[key]
			if c == nil {
				c = &truthCell{valueApplied: map[string]float64{}, valueIssued: map[string]float64{}, counted: map[string]bool{}, unknown: map[string]codes.Outcome{}}
				cells[key] = c
			}
			c.add(d)
		}
	}
	return cells
}

// add adds a line: its value, and its decision unless the cell counts it already.
func (c *truthCell) add(d release.Decision) {
	noisy := float64(fixture.db.Disclosure().DecisionValue(int64(math.Round(d.ValueEUR*100)), fixture.keys[d.DecisionID])) / 100
	c.valueApplied[d.ExporterID] += d.ValueEUR
	c.noisyApplied += noisy
	if d.Outcome == codes.Issued {
		c.valueIssued[d.ExporterID] += d.ValueEUR
		c.noisyIssued += noisy
	}
	if !d.ValueKnown {
		c.unknown[d.DecisionID] = d.Outcome
	}
	if c.counted[d.DecisionID] {
		return
	}
	c.counted[d.DecisionID] = true
	c.applications++
	switch d.Outcome {
	case codes.Issued:
		c.issued++
	case codes.Denied:
		c.denials++
	}
}

// isCyber is whether a line is on a cyber-surveillance item.
func isCyber(d release.Decision) bool {
	return d.CatchAll == codes.CyberSurveillanceCatchAll || fixture.cyber[d.ControlEntry]
}

// keys are the cell keys a decision counts in: one, or one per denial ground.
func keys(d release.Decision, groupBy []db.Dimension) []string {
	out := []string{""}
	for _, dim := range groupBy {
		var next []string
		for _, prefix := range out {
			for _, v := range dimensionValues(d, dim) {
				next = append(next, prefix+"|"+v)
			}
		}
		out = next
	}
	return out
}

func rowKey(r db.StatisticsRow) string {
	return "|" + strings.Join(r.DimensionValues(), "|")
}

// valueRule says whether the rules withhold a cell's value: fewer than 6 decisions
// published, fewer than 3 exporters, or one exporter over 85 %.
func valueRule(byExporter map[string]float64, count disclosure.Measure) (total, largest float64, withheld bool) {
	contributors := 0
	for _, v := range byExporter {
		total += v
		largest = max(largest, v)
		if v > 0 {
			contributors++
		}
	}
	return total, largest, count.Value == nil || *count.Value < 6 || total > 0 && (contributors < 3 || largest/total > 0.85)
}

func TestStatisticsAgainstTruth(t *testing.T) {
	loadFixture(t)
	groupings := [][]db.Dimension{
		{db.DimYear},
		{db.DimMemberState, db.DimYear},
		{db.DimDestination},
		{db.DimDestinationRegion, db.DimQuarter},
		{db.DimYear, db.DimOutcome},
		{db.DimDenialGround},
		{db.DimControlEntry},
		{db.DimCyberSurveillance, db.DimLicenceType, db.DimEndUserType},
	}
	maxNoise := float64(fixture.db.Disclosure().Policy().MaxNoise)
	for _, groupBy := range groupings {
		t.Run(fmt.Sprint(groupBy), func(t *testing.T) {
			q := fixture.query
			q.GroupBy = groupBy
			rows, err := fixture.db.LicenceStatisticsRows(context.Background(), q, nil)
			if err != nil {
				t.Fatal(err)
			}
			want := truth(groupBy, nil)
			checkRowsListed(t, rows, want)
			for _, r := range rows {
				c, ok := want[rowKey(r)]
				if !ok {
					t.Fatalf("row %s is not a combination in the data", rowKey(r))
				}
				checkCount(t, rowKey(r)+" applications", r.Applications, c.applications, maxNoise)
				checkCount(t, rowKey(r)+" issued", r.Issued, c.issued, maxNoise)
				checkCount(t, rowKey(r)+" denials", r.Denials, c.denials, maxNoise)
				checkValue(t, rowKey(r)+" valueApplied", r.ValueApplied, r.Applications, c.valueApplied, c.noisyApplied, c.allUnknown(nil))
				checkValue(t, rowKey(r)+" valueIssued", r.ValueIssued, r.Issued, c.valueIssued, c.noisyIssued, c.allUnknown(ptr(codes.Issued)))
			}
		})
	}
}

// checkRowsListed: every row is a combination in the data, and every combination of
// at least 5 decisions is a row (below 3 published, a row is left out; noise is at
// most 2, so a true 5 always shows).
func checkRowsListed(t *testing.T, rows []db.StatisticsRow, want map[string]*truthCell) {
	t.Helper()
	listed := map[string]bool{}
	for _, r := range rows {
		listed[rowKey(r)] = true
		if _, ok := want[rowKey(r)]; !ok {
			t.Errorf("row %s is not a combination in the data", rowKey(r))
		}
		if *r.Applications.Value < 3 {
			t.Errorf("row %s is listed with a published count of %v, below 3", rowKey(r), *r.Applications.Value)
		}
	}
	for k, c := range want {
		if c.applications >= 5 && !listed[k] {
			t.Errorf("combination %s of %d decisions is not listed", k, c.applications)
		}
	}
}

// checkCount: withheld below 3, where the truth is at most 2 + D; otherwise
// perturbed, at least 3, within D of the truth.
func checkCount(t *testing.T, name string, m disclosure.Measure, truth int64, maxNoise float64) {
	t.Helper()
	if m.Status == disclosure.Confidential && m.Value == nil {
		if m.Note == nil || !strings.Contains(*m.Note, "fewer than 3") || float64(truth) > 2+maxNoise {
			t.Errorf("%s: withheld (%v), truth %d: want withheld only below 3, with a note saying so", name, m.Note, truth)
		}
		return
	}
	if m.Status != disclosure.Perturbed || m.Value == nil || *m.Value < 3 {
		t.Fatalf("%s: %+v, want a perturbed count", name, m)
	}
	v := *m.Value
	if math.Abs(v-float64(truth)) > maxNoise || v < 0 || (truth == 0 && v != 0) || v != math.Trunc(v) {
		t.Errorf("%s: published %v, truth %d: want a whole number within %v, never negative, zero for zero", name, v, truth, maxNoise)
	}
}

// allUnknown reports whether every decision of the cell (of the outcome, if given)
// lacks a value, so that the cell can have none.
func (c *truthCell) allUnknown(outcome *codes.Outcome) bool {
	n := c.applications
	if outcome != nil {
		n = c.issued
	}
	unknown := 0
	for _, o := range c.unknown {
		if outcome == nil || o == *outcome {
			unknown++
		}
	}
	return n > 0 && int64(unknown) == n
}

// checkValue: withheld exactly when a rule says so, otherwise the sum of the cell's
// perturbed decision values, rounded; no value at all where no decision has one.
func checkValue(t *testing.T, name string, m, count disclosure.Measure, byExporter map[string]float64, noisy float64, allUnknown bool) {
	t.Helper()
	total, largest, withheld := valueRule(byExporter, count)
	switch {
	case allUnknown && total == 0 && !withheld:
		if m.Status != disclosure.NotApplicable || m.Value != nil {
			t.Errorf("%s: %+v, want no value: no decision in the cell has one", name, m)
		}
	case withheld != (m.Status == disclosure.Confidential):
		t.Errorf("%s: status %s, but the rules say withheld = %t (total %.0f, largest %.0f, %d exporters)", name, m.Status, withheld, total, largest, len(byExporter))
	case withheld && (m.Value != nil || m.Note == nil):
		t.Errorf("%s: withheld with value %v and note %v; want no value and a reason", name, m.Value, m.Note)
	case !withheld && math.Abs(*m.Value-noisy) > 0.005*noisy+1000:
		t.Errorf("%s: published %.0f, the perturbed sum %.0f (truth %.0f): further than rounding allows", name, *m.Value, noisy, total)
	}
}

// The same cell gets the same published figures whatever query it appears in.
func TestSameCellSameFigures(t *testing.T) {
	loadFixture(t)
	ctx := context.Background()
	find := func(t *testing.T, q db.StatisticsQuery, orderBy []db.StatisticsOrder, key string) db.StatisticsRow {
		t.Helper()
		rows, err := fixture.db.LicenceStatisticsRows(ctx, q, orderBy)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			if rowKey(r) == key {
				return r
			}
		}
		t.Fatalf("no row %s", key)
		return db.StatisticsRow{}
	}
	q := fixture.query
	q.GroupBy = []db.Dimension{db.DimYear, db.DimMemberState}
	want := measures(find(t, q, nil, "|2022|DE"))

	variants := map[string]func(t *testing.T) []disclosure.Measure{
		"other column order": func(t *testing.T) []disclosure.Measure {
			q := fixture.query
			q.GroupBy = []db.Dimension{db.DimMemberState, db.DimYear}
			return measures(find(t, q, nil, "|DE|2022"))
		},
		"ordered by denials": func(t *testing.T) []disclosure.Measure {
			q := fixture.query
			q.GroupBy = []db.Dimension{db.DimYear, db.DimMemberState}
			return measures(find(t, q, []db.StatisticsOrder{{By: db.OrderDenials, Direction: db.Descending}}, "|2022|DE"))
		},
		"a filter that keeps the cell whole": func(t *testing.T) []disclosure.Measure {
			q := fixture.query
			q.GroupBy = []db.Dimension{db.DimYear, db.DimMemberState}
			q.Filter = db.StatisticsFilter{Years: []int{2021, 2022}, MemberStates: []string{"DE", "FR"}}
			return measures(find(t, q, nil, "|2022|DE"))
		},
		"the total of a filter that selects just the cell": func(t *testing.T) []disclosure.Measure {
			q := fixture.query
			q.Filter = db.StatisticsFilter{Years: []int{2022}, MemberStates: []string{"de"}}
			total, err := fixture.db.LicenceStatisticsTotal(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			return measures(*total)
		},
		"read page by page": func(t *testing.T) []disclosure.Measure {
			q := fixture.query
			q.GroupBy = []db.Dimension{db.DimYear, db.DimMemberState}
			var after *string
			for {
				table, err := fixture.db.LicenceStatistics(ctx, q, nil, ptr(7), after)
				if err != nil {
					t.Fatal(err)
				}
				for _, r := range table.Rows {
					if rowKey(r) == "|2022|DE" {
						return measures(r)
					}
				}
				if !table.PageInfo.HasNextPage {
					t.Fatal("row not found on any page")
				}
				after = table.PageInfo.EndCursor
			}
		},
	}
	for name, get := range variants {
		t.Run(name, func(t *testing.T) {
			if got := get(t); !reflect.DeepEqual(got, want) {
				t.Errorf("figures %s, want %s", show(got), show(want))
			}
		})
	}
	// A cell's issued licences are the applications of its ISSUED cell.
	q.GroupBy = []db.Dimension{db.DimYear, db.DimMemberState, db.DimOutcome}
	issued := find(t, q, nil, "|2022|DE|ISSUED")
	if !reflect.DeepEqual(issued.Applications, want[1]) || !reflect.DeepEqual(issued.ValueApplied, want[4]) {
		t.Errorf("issued %s / %s, but the ISSUED cell has %s / %s", show(want[1:2]), show(want[4:5]), show([]disclosure.Measure{issued.Applications}), show([]disclosure.Measure{issued.ValueApplied}))
	}
}

func measures(r db.StatisticsRow) []disclosure.Measure {
	return []disclosure.Measure{r.Applications, r.Issued, r.Denials, r.ValueApplied, r.ValueIssued}
}

func show(ms []disclosure.Measure) string {
	var parts []string
	for _, m := range ms {
		v := "null"
		if m.Value != nil {
			v = fmt.Sprint(*m.Value)
		}
		parts = append(parts, v+" "+string(m.Status))
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// An empty cell is published like a small one, withheld: a published 0 beside
// withheld small counts would tell whether a combination has decisions at all.
func TestEmptyLooksSmall(t *testing.T) {
	loadFixture(t)
	q := fixture.query
	q.Filter = db.StatisticsFilter{Destinations: []string{"AQ"}} // no exports to Antarctica
	total, err := fixture.db.LicenceStatisticsTotal(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range measures(*total) {
		if m.Value != nil || m.Status != disclosure.Confidential {
			t.Errorf("measure %s, want it withheld", show([]disclosure.Measure{m}))
		}
	}
	q.GroupBy = []db.Dimension{db.DimYear}
	rows, err := fixture.db.LicenceStatisticsRows(context.Background(), q, nil)
	if err != nil || len(rows) != 0 {
		t.Errorf("grouped rows %d, %v; want none: only combinations in the data are rows", len(rows), err)
	}
}

// The classic attack on a table builder: a group's published total minus its other
// published cells. With every cell perturbed on its own, it does not give back a
// single-exporter cell in most cases.
func TestDifferencingDoesNotRevealSingleExporterCells(t *testing.T) {
	loadFixture(t)
	ctx := context.Background()
	q := fixture.query
	q.GroupBy = []db.Dimension{db.DimYear, db.DimMemberState}
	groups, err := fixture.db.LicenceStatisticsRows(ctx, q, nil)
	if err != nil {
		t.Fatal(err)
	}
	q.GroupBy = []db.Dimension{db.DimYear, db.DimMemberState, db.DimDestination}
	cells, err := fixture.db.LicenceStatisticsRows(ctx, q, nil)
	if apperr.CodeOf(err) == apperr.Invalid && strings.Contains(err.Error(), "too sparse") {
		t.Logf("the table of single-exporter cells is refused as too sparse: %v", err)
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	want := truth(q.GroupBy, nil)
	attempts, revealed := 0, 0
	for _, g := range groups {
		prefix := rowKey(g) + "|"
		var inGroup []db.StatisticsRow
		for _, c := range cells {
			if strings.HasPrefix(rowKey(c), prefix) {
				inGroup = append(inGroup, c)
			}
		}
		for i, target := range inGroup {
			truthCell := want[rowKey(target)]
			if len(truthCell.valueApplied) != 1 {
				continue
			}
			estimate := *g.Applications.Value
			for j, other := range inGroup {
				if j != i {
					estimate -= *other.Applications.Value
				}
			}
			attempts++
			if estimate == float64(truthCell.applications) {
				revealed++
			}
		}
	}
	if attempts < 20 {
		t.Fatalf("only %d single-exporter cells to attack; the fixture is too small to tell", attempts)
	}
	if revealed*2 >= attempts {
		t.Errorf("differencing gave back %d of %d single-exporter cells, want fewer than half", revealed, attempts)
	}
	t.Logf("differencing gave back %d of %d single-exporter cells", revealed, attempts)
}

func TestStatisticsOrderAndPages(t *testing.T) {
	loadFixture(t)
	ctx := context.Background()
	q := fixture.query
	q.GroupBy = []db.Dimension{db.DimDestination}
	orderBy := []db.StatisticsOrder{{By: db.OrderDenials, Direction: db.Descending}}
	whole, err := fixture.db.LicenceStatisticsRows(ctx, q, orderBy)
	if err != nil {
		t.Fatal(err)
	}
	if !sort.SliceIsSorted(whole, func(i, j int) bool {
		a, b := whole[i].Denials.Value, whole[j].Denials.Value
		return a != nil && (b == nil || *a > *b)
	}) {
		t.Error("rows are not in descending order of published denials")
	}
	var paged []string
	var after *string
	for {
		table, err := fixture.db.LicenceStatistics(ctx, q, orderBy, ptr(9), after)
		if err != nil {
			t.Fatal(err)
		}
		if table.TotalCount != len(whole) || table.Release.ID != fixture.query.Release.ID {
			t.Fatalf("page: totalCount %d, release %s; want %d, %s", table.TotalCount, table.Release.ID, len(whole), fixture.query.Release.ID)
		}
		for _, r := range table.Rows {
			paged = append(paged, rowKey(r))
		}
		if !table.PageInfo.HasNextPage {
			break
		}
		after = table.PageInfo.EndCursor
	}
	var all []string
	for _, r := range whole {
		all = append(all, rowKey(r))
	}
	if !slices.Equal(paged, all) {
		t.Error("pages of 9 do not give the rows of the whole table, in its order")
	}
}

func TestStatisticsFilters(t *testing.T) {
	loadFixture(t)
	tests := []struct {
		name   string
		filter db.StatisticsFilter
		keep   func(release.Decision) bool
		parts  int // a filter of several values sums as many protected parts
	}{
		{name: "years", filter: db.StatisticsFilter{Years: []int{2016, 2023}},
			keep: func(d release.Decision) bool { y := d.Date.Year(); return y == 2016 || y == 2023 }},
		{name: "EU code for Greece and a region", parts: 2, filter: db.StatisticsFilter{MemberStates: []string{"EL", "IT"}, DestinationRegions: []string{"Asia"}},
			keep: func(d release.Decision) bool {
				return (d.MemberState == "GR" || d.MemberState == "IT") && fixture.world[d.Destination].Region != nil && fixture.world[d.Destination].Region.Name == "Asia"
			}},
		{name: "an entry includes its sub-items", filter: db.StatisticsFilter{ControlEntries: []string{"5A001"}},
			keep: func(d release.Decision) bool {
				return d.ControlEntry == "5A001" || strings.HasPrefix(d.ControlEntry, "5A001.")
			}},
		{name: "cyber-surveillance denials citing a ground", filter: db.StatisticsFilter{CyberSurveillance: ptr(true), DenialGrounds: []codes.DenialGround{"CRITERION_2"}},
			keep: func(d release.Decision) bool {
				return isCyber(d) && slices.Contains(d.DenialGrounds, "CRITERION_2")
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := fixture.query
			q.Filter, q.GroupBy = tt.filter, []db.Dimension{db.DimYear}
			rows, err := fixture.db.LicenceStatisticsRows(context.Background(), q, nil)
			if err != nil {
				t.Fatal(err)
			}
			want := truth(q.GroupBy, tt.keep)
			checkRowsListed(t, rows, want)
			if len(rows) == 0 {
				t.Fatalf("no rows: the case tests nothing")
			}
			// Each part is within 2 of its truth, or left out below 3 (a truth of at most 4).
			maxError := 2.0
			if tt.parts > 1 {
				maxError = 4 * float64(tt.parts)
			}
			for _, r := range rows {
				checkCount(t, rowKey(r), r.Applications, want[rowKey(r)].applications, maxError)
			}
		})
	}
}

func TestStatisticsBadInput(t *testing.T) {
	loadFixture(t)
	tests := []struct {
		name    string
		groupBy []db.Dimension
		filter  db.StatisticsFilter
		orderBy []db.StatisticsOrder
		code    apperr.Code
	}{
		{name: "dimension twice", groupBy: []db.Dimension{db.DimYear, db.DimYear}, code: apperr.Invalid},
		{name: "order by a dimension not grouped", groupBy: []db.Dimension{db.DimYear}, orderBy: []db.StatisticsOrder{{By: "DESTINATION"}}, code: apperr.Invalid},
		{name: "unknown member state", filter: db.StatisticsFilter{MemberStates: []string{"XX"}}, code: apperr.Invalid},
		{name: "unknown destination", filter: db.StatisticsFilter{Destinations: []string{"ZZ"}}, code: apperr.Invalid},
		{name: "unknown control entry", filter: db.StatisticsFilter{ControlEntries: []string{"9Z999"}}, code: apperr.Invalid},
		{name: "from after to", filter: db.StatisticsFilter{From: ptr(date("2022-02-01")), To: ptr(date("2022-01-01"))}, code: apperr.Invalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := fixture.query
			q.GroupBy, q.Filter = tt.groupBy, tt.filter
			_, err := fixture.db.LicenceStatisticsRows(context.Background(), q, tt.orderBy)
			if apperr.CodeOf(err) != tt.code {
				t.Errorf("error %v, want code %s", err, tt.code)
			}
		})
	}
}
