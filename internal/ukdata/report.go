package ukdata

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/dualuse-transparency/portal/internal/codes"
)

// Report says what a conversion read, wrote and left out, and why.
type Report struct {
	Input     string // the source file and its SHA-256
	Out       string // the release folder written
	ReleaseID string
	From, To  time.Time

	RowsRead    int
	RowsOutside int            // dated outside the period
	RowsByKind  map[string]int // rows in the period by kind of rating, kept or left out
	// OtherRatings are the rows of the kinds "other" and "malformed", by rating as written.
	OtherRatings map[string]int

	Groups          int // licence groups in the period
	GroupsNoDualUse int // of them, with no dual-use rating: not decisions of this release
	GroupsSplit     int // of them, taken as several licences
	CriteriaIgnored int // groups not refused that the criteria file lists anyway

	Licences      int            // licences with a dual-use rating
	Dropped       map[string]int // of them, not written, by reason
	DroppedPlaces map[string]int // those dropped as not one country, by destination name

	Decisions int // written
	Rows      int // lines of licence_decisions.csv written
	Years     map[int]*YearCounts
}

// YearCounts are the decisions written for one year.
type YearCounts struct {
	Decisions, Denied, IntraEU, CatchAll int
	IssuedCents                          int64 // the known values of the issued decisions
}

func newReport(p period) Report {
	return Report{From: p.from, To: p.to, RowsByKind: map[string]int{}, OtherRatings: map[string]int{},
		Dropped: map[string]int{}, DroppedPlaces: map[string]int{}, Years: map[int]*YearCounts{}}
}

// count adds a decision written to the report.
func (rep *Report) count(d Decision) {
	y := rep.Years[d.Date.Year()]
	if y == nil {
		y = &YearCounts{}
		rep.Years[d.Date.Year()] = y
	}
	rep.Decisions++
	rep.Rows += len(d.Entries)
	y.Decisions++
	switch {
	case d.Outcome == codes.Denied:
		y.Denied++
	case d.Outcome == codes.Issued:
		for _, e := range d.Entries {
			if e.ValueKnown {
				y.IssuedCents += e.Cents
			}
		}
	}
	if d.LicenceType == codes.IntraEUTransfer {
		y.IntraEU++
	}
	if d.CatchAll != codes.NoCatchAll {
		y.CatchAll++
	}
}

// String is the report as the command prints it.
func (rep Report) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "source   %s\n", rep.Input)
	if rep.Out != "" {
		fmt.Fprintf(&b, "release  %s, written to %s\n", rep.ReleaseID, rep.Out)
	}
	fmt.Fprintf(&b, "period   %s to %s\n", rep.From.Format(time.DateOnly), rep.To.Format(time.DateOnly))
	w := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	line := func(label string, n int) { fmt.Fprintf(w, "%s\t%8d\n", label, n) }
	line("rows read", rep.RowsRead)
	line("  outside the period", rep.RowsOutside)
	for k := range kind(len(kindNames)) {
		verb := "left out"
		if k.kept() {
			verb = "kept"
		}
		line(fmt.Sprintf("  rating: %s, %s", k, verb), rep.RowsByKind[k.String()])
	}
	for _, r := range slices.Sorted(maps.Keys(rep.OtherRatings)) {
		line(fmt.Sprintf("    %q", r), rep.OtherRatings[r])
	}
	line("licence groups in the period", rep.Groups)
	line("  with no dual-use rating (not decisions of this release)", rep.GroupsNoDualUse)
	line("  taken as several licences (a rating counted more than once)", rep.GroupsSplit)
	line("  refusal criteria listed for a group not refused (ignored)", rep.CriteriaIgnored)
	line("licences with a dual-use rating", rep.Licences)
	for _, reason := range []string{DropDestinationGB, DropNotOneCountry, DropNoCriterion} {
		line("  dropped: "+reason, rep.Dropped[reason])
		if reason == DropNotOneCountry {
			for _, n := range slices.Sorted(maps.Keys(rep.DroppedPlaces)) {
				line(fmt.Sprintf("    %q", n), rep.DroppedPlaces[n])
			}
		}
	}
	line("decisions written", rep.Decisions)
	line("rows written (one per decision and control entry)", rep.Rows)
	w.Flush()
	rep.writeYears(&b)
	return b.String()
}

func (rep Report) writeYears(b *strings.Builder) {
	w := tabwriter.NewWriter(b, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(w, "year\tdecisions\tdenied\tintra-EU\tcatch-all\tissued value EUR\t")
	for _, y := range slices.Sorted(maps.Keys(rep.Years)) {
		c := rep.Years[y]
		fmt.Fprintf(w, "%d\t%d\t%d\t%d\t%d\t%s\t\n", y, c.Decisions, c.Denied, c.IntraEU, c.CatchAll, formatCents(c.IssuedCents))
	}
	w.Flush()
}
