package db

import (
	"context"
	"fmt"
	"math"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/dualuse-transparency/portal/internal/apperr"
	"github.com/dualuse-transparency/portal/internal/disclosure"
	"github.com/dualuse-transparency/portal/internal/i18n"
)

// HeadlineKind says whether a headline figure was computed by the portal or published
// by an authority.
type HeadlineKind string

// The kinds of headline figure.
const (
	Computed    HeadlineKind = "COMPUTED"
	OfficialFig HeadlineKind = "OFFICIAL"
)

// HeadlineFigure is one figure of a year with the same figure of the year before.
type HeadlineFigure struct {
	Kind         HeadlineKind
	Metric       string // applications, issued, denials, value_applied, value_issued; or the official metric
	Label        string
	Scope        string
	Unit         string
	Value        disclosure.Measure
	PreviousYear disclosure.Measure
	Change       disclosure.Measure
}

// AnnualReport is one year of a release, in the sections a researcher reports on.
type AnnualReport struct {
	Year                     int
	Release                  *Release
	Headline                 []HeadlineFigure
	ByMemberState            []StatisticsRow
	ByLicenceType            []StatisticsRow
	ByDestinationRegion      []StatisticsRow
	TopDestinationsByDenials []DenialsRow
	CyberSurveillance        CyberSurveillanceSection
	ListChanges              []ListChange
	Notifications            []CatchAllNotification
}

// CyberSurveillanceSection is the year's cyber-surveillance items: applications,
// licences issued and denials in all, by destination region and by end-user type.
type CyberSurveillanceSection struct {
	Total               StatisticsRow
	ByDestinationRegion []StatisticsRow
	ByEndUserType       []StatisticsRow
}

// topDestinations is how many destinations the report lists by denials.
const topDestinations = 10

// computedHeadline are the figures the portal computes for a year, with the official
// metric each stands beside, if any.
var computedHeadline = []struct {
	metric, label, unit, official string
	measure                       func(*StatisticsRow) disclosure.Measure
}{
	{"applications", "Licence applications (decisions of any outcome)", "count", "", func(r *StatisticsRow) disclosure.Measure { return r.Applications }},
	{"issued", "Licences issued", "count", "", func(r *StatisticsRow) disclosure.Measure { return r.Issued }},
	{"denials", "Licences denied", "count", "denials", func(r *StatisticsRow) disclosure.Measure { return r.Denials }},
	{"value_applied", "Value applied for", "EUR", "", func(r *StatisticsRow) disclosure.Measure { return r.ValueApplied }},
	{"value_issued", "Value of licences issued", "EUR", "value_authorised_exports", func(r *StatisticsRow) disclosure.Measure { return r.ValueIssued }},
}

// AnnualReport builds the report of a year. A year the release has no decisions for is
// a NotFound error, not an empty report. Procedure statuses are as of the release's
// publication, so the report of a release never changes.
func (db *DB) AnnualReport(ctx context.Context, r *Release, year int) (_ *AnnualReport, err error) {
	defer apperr.Wrap(&err, "db.AnnualReport(%s, %d)", r.ID, year)
	if err := checkYears("year", year); err != nil {
		return nil, err
	}
	rep := &AnnualReport{Year: year, Release: r}
	thisYear := StatisticsFilter{Years: []int{year}}
	if err := db.requireDecisions(ctx, r, year); err != nil {
		return nil, err
	}
	g, gctx := errgroup.WithContext(ctx)
	table := func(dst *[]StatisticsRow, f StatisticsFilter, dims ...Dimension) {
		g.Go(func() (err error) {
			*dst, err = db.LicenceStatisticsRows(gctx, StatisticsQuery{Release: r, Filter: f, GroupBy: dims}, nil)
			return err
		})
	}
	cyber := thisYear
	cyber.CyberSurveillance = ptrTo(true)
	table(&rep.ByMemberState, thisYear, DimMemberState)
	table(&rep.ByLicenceType, thisYear, DimLicenceType)
	table(&rep.ByDestinationRegion, thisYear, DimDestinationRegion)
	table(&rep.CyberSurveillance.ByDestinationRegion, cyber, DimDestinationRegion)
	table(&rep.CyberSurveillance.ByEndUserType, cyber, DimEndUserType)
	g.Go(func() error { return db.headline(gctx, rep) })
	g.Go(func() error { return db.reportProcedure(gctx, rep) })
	g.Go(func() error {
		rows, _, err := db.DenialsRows(gctx, DenialsQuery{Release: r, Filter: thisYear, Level: LevelCountry}, DenialsOrder{By: ByDenials, Direction: Descending})
		rep.TopDestinationsByDenials = rows[:min(topDestinations, len(rows))]
		return err
	})
	g.Go(func() error {
		total, err := db.LicenceStatisticsTotal(gctx, StatisticsQuery{Release: r, Filter: cyber})
		if total != nil {
			rep.CyberSurveillance.Total = *total
		}
		return err
	})
	return rep, g.Wait()
}

// inYear is the condition that a decision is of the year y (an SQL expression of type
// int). The year's dates are named beside it for the date index: the import writes the
// decisions in date order, so without them finding the first decision of a late year
// may read every decision of the years before. At 1,000,000 decisions, whether 2024 has
// any took 0.6 to 427 ms by year alone (depending on where the table's last sequential
// scan stopped), 0.6 to 2.7 ms with its dates.
func inYear(y string) string {
	return fmt.Sprintf("year = %[1]s AND decision_date >= make_date(%[1]s, 1, 1) AND decision_date < make_date(%[1]s + 1, 1, 1)", y)
}

// requireDecisions fails with NotFound when the release has no decision in the year.
func (db *DB) requireDecisions(ctx context.Context, r *Release, year int) error {
	var any bool
	if err := db.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM decisions WHERE release_id = $1 AND `+inYear("$2")+`)`, r.ID, year).Scan(&any); err != nil {
		return err
	}
	if !any {
		return apperr.Errorf(apperr.NotFound, "release %s has no decisions in %d: it covers %s to %s",
			r.ID, year, r.PeriodStart.Format(time.DateOnly), r.PeriodEnd.Format(time.DateOnly))
	}
	return nil
}

// headline computes the year's totals and the year before's, and sets the official
// figures of both years beside them.
func (db *DB) headline(ctx context.Context, rep *AnnualReport) error {
	now, err := db.LicenceStatisticsTotal(ctx, StatisticsQuery{Release: rep.Release, Filter: StatisticsFilter{Years: []int{rep.Year}}})
	if err != nil {
		return err
	}
	before, err := db.LicenceStatisticsTotal(ctx, StatisticsQuery{Release: rep.Release, Filter: StatisticsFilter{Years: []int{rep.Year - 1}}})
	if err != nil {
		return err
	}
	hasBefore := !rep.Release.PeriodStart.After(time.Date(rep.Year-1, 1, 1, 0, 0, 0, 0, time.UTC))
	for _, h := range computedHeadline {
		f := HeadlineFigure{Kind: Computed, Metric: h.metric, Label: h.label, Scope: "decisions in this release", Unit: h.unit, Value: h.measure(now)}
		f.PreviousYear, f.Change = noPreviousYear(rep.Year)
		if hasBefore {
			f.PreviousYear = h.measure(before)
			f.Change = db.protector.Difference(f.Value, f.PreviousYear)
		}
		rep.Headline = append(rep.Headline, f)
	}
	return db.officialHeadline(ctx, rep)
}

// officialHeadline adds the official figures of the year, each with the same metric
// and scope of the year before where published, and the exact change.
func (db *DB) officialHeadline(ctx context.Context, rep *AnnualReport) error {
	figures, err := db.OfficialFigures(ctx, rep.Release.ID, OfficialFigureFilter{Year: &rep.Year})
	if err != nil {
		return err
	}
	previous, err := db.OfficialFigures(ctx, rep.Release.ID, OfficialFigureFilter{Year: ptrTo(rep.Year - 1)})
	if err != nil {
		return err
	}
	for _, o := range figures {
		f := HeadlineFigure{Kind: OfficialFig, Metric: o.Metric, Label: o.Metric, Scope: o.Scope, Unit: o.Unit, Value: o.Measure()}
		f.PreviousYear, f.Change = noPreviousYear(rep.Year)
		for _, p := range previous {
			if p.Metric == o.Metric && p.Scope == o.Scope {
				f.PreviousYear = p.Measure()
				note := "exact difference of two official figures"
				f.Change = disclosure.Measure{Value: ptrTo(math.Round((o.Value-p.Value)*1e6) / 1e6), Status: disclosure.Official, Note: &note}
			}
		}
		rep.Headline = append(rep.Headline, f)
	}
	return nil
}

func noPreviousYear(year int) (disclosure.Measure, disclosure.Measure) {
	na := disclosure.NotApplicableMsg(i18n.M("no figure for %d to compare with", year-1))
	return na, na
}

// reportProcedure adds the list changes and the catch-all notifications of the year,
// as they stood when the release was published.
func (db *DB) reportProcedure(ctx context.Context, rep *AnnualReport) error {
	from, to := time.Date(rep.Year, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(rep.Year, 12, 31, 0, 0, 0, 0, time.UTC)
	var err error
	if rep.ListChanges, err = db.SurveillanceListChanges(ctx, rep.Release, from, to); err != nil {
		return err
	}
	rep.Notifications, err = db.CatchAllNotifications(ctx, rep.Release, NotificationFilter{From: &from, To: &to}, rep.Release.PublishedOn)
	return err
}
