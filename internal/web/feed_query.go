package web

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/gorilla/feeds"

	"github.com/dualuse-transparency/portal/db"
	"github.com/dualuse-transparency/portal/graph"
	"github.com/dualuse-transparency/portal/internal/apperr"
	"github.com/dualuse-transparency/portal/internal/disclosure"
)

// A saved query's feed follows one statistics or denials table across releases: it
// takes exactly the parameters of the table's CSV download (the same parsing, as
// strict), answers the query in every release in publication order, and has an entry
// for each release whose published figures differ from the release before it (the
// first release has one too: the table was first published). An entry names the rows
// and figures that changed, old → new with their status, links to the download pinned
// to that release and cites it. It compares the tables the download publishes, so it
// publishes nothing the download does not: protected figures, listed rows only.
//
// ?release= pins the feed to the releases published up to that one.

// savedQuery is a table download a feed can follow.
type savedQuery struct {
	name   string   // the download's and the feed's file name, without extension
	title  string   // what the table is
	params []string // the download's parameters
	// answer parses the parameters and returns the function that publishes the table
	// in a release.
	answer func(d *db.DB, q url.Values) (func(context.Context, *db.Release) ([]tableRow, error), error)
}

// tableRow is one published row: its key in words and its figures by name.
type tableRow struct {
	key     string
	figures []namedFigure
}

type namedFigure struct {
	name string
	disclosure.Measure
}

var statisticsQuery = savedQuery{
	name: "licence-statistics", title: "Licence statistics", params: statisticsParams,
	answer: func(d *db.DB, q url.Values) (func(context.Context, *db.Release) ([]tableRow, error), error) {
		query, orderBy, err := statisticsArgs(q)
		if err != nil {
			return nil, err
		}
		return func(ctx context.Context, rel *db.Release) ([]tableRow, error) {
			query := query
			query.Release = rel
			rows, err := d.LicenceStatisticsRows(ctx, query, orderBy)
			if err != nil {
				return nil, err
			}
			out := make([]tableRow, 0, len(rows))
			for _, r := range rows {
				var key []string
				for k, v := range r.DimensionValues() {
					if v == "" {
						v = "none"
					}
					key = append(key, strings.ToLower(strings.ReplaceAll(string(query.GroupBy[k]), "_", " "))+" "+v)
				}
				if len(key) == 0 {
					key = []string{"total"}
				}
				out = append(out, tableRow{key: strings.Join(key, ", "), figures: []namedFigure{
					{"applications", r.Applications}, {"issued", r.Issued}, {"denials", r.Denials},
					{"value applied (EUR)", r.ValueApplied}, {"value issued (EUR)", r.ValueIssued},
				}})
			}
			return out, nil
		}, nil
	},
}

var denialsQuery = savedQuery{
	name: "denials-by-destination", title: "Denials by destination", params: denialsParams,
	answer: func(d *db.DB, q url.Values) (func(context.Context, *db.Release) ([]tableRow, error), error) {
		query, order, err := denialsArgs(q)
		if err != nil {
			return nil, err
		}
		var names map[string]string
		return func(ctx context.Context, rel *db.Release) ([]tableRow, error) {
			query := query
			query.Release = rel
			rows, _, err := d.DenialsRows(ctx, query, order)
			if err == nil && names == nil {
				names, err = d.DestinationNames(ctx, query.Level)
			}
			if err != nil {
				return nil, err
			}
			out := make([]tableRow, 0, len(rows))
			for _, r := range rows {
				key := r.Key()
				if n := names[key]; n != "" {
					key = fmt.Sprintf("%s (%s)", n, key)
				}
				figures := []namedFigure{
					{"denials", r.Denials}, {"applications", r.Applications}, {"denial rate", r.DenialRate},
					{"previous denials", r.Previous.Denials}, {"previous applications", r.Previous.Applications},
					{"previous denial rate", r.Previous.DenialRate},
					{"change in denials", r.Change.Denials}, {"change in denial rate", r.Change.DenialRate},
					{"cyber-surveillance denials", r.CyberSurveillance.Denials},
					{"cyber-surveillance applications", r.CyberSurveillance.Applications},
					{"cyber-surveillance denial rate", r.CyberSurveillance.DenialRate},
				}
				for _, g := range r.Grounds {
					figures = append(figures, namedFigure{"denials on ground " + string(g.Ground), g.Denials})
				}
				out = append(out, tableRow{key: key, figures: figures})
			}
			return out, nil
		}, nil
	},
}

// snapshot is a table as one release publishes it, or why that release does not.
type snapshot struct {
	rel     *db.Release
	rows    []tableRow
	refused string // the release refuses the query (such as a table too sparse to publish)
}

// queryFeed serves a saved query's feed.
func queryFeed(d *db.DB, sq savedQuery, citations graph.Citations, logger *slog.Logger) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		q, err := params(r, sq.params)
		var answer func(context.Context, *db.Release) ([]tableRow, error)
		if err == nil {
			answer, err = sq.answer(d, q)
		}
		var releases []db.Release
		var newest *db.Release
		if err == nil {
			releases, newest, err = releasesUpTo(r.Context(), d, optional(q, "release"))
		}
		var snaps []snapshot
		if err == nil {
			snaps, err = snapshots(r.Context(), releases, answer)
		}
		var f *feeds.Feed
		if err == nil {
			f = buildQueryFeed(sq, q, snaps, citations)
		}
		writeFeed(w, r, logger, f, newest, err)
	}
}

// snapshots answers the query in each release, oldest first. The newest release's
// refusal is the feed's error, as it is the download's; an older release's refusal
// (invalid or over a limit there) is part of the table's history.
func snapshots(ctx context.Context, releases []db.Release, answer func(context.Context, *db.Release) ([]tableRow, error)) ([]snapshot, error) {
	out := make([]snapshot, len(releases))
	for k := len(releases) - 1; k >= 0; k-- {
		rel := &releases[k]
		rows, err := answer(ctx, rel)
		if code, msg := apperr.Public(err); err != nil && k < len(releases)-1 && (code == apperr.Invalid || code == apperr.Limit) {
			out[k] = snapshot{rel: rel, refused: msg}
			continue
		}
		if err != nil {
			return nil, err
		}
		out[k] = snapshot{rel: rel, rows: rows}
	}
	return out, nil
}

// canonical is the query without release, its parameters sorted: the feed's identity.
func canonical(q url.Values) string {
	c := url.Values{}
	for name, v := range q {
		if name != "release" {
			c[name] = v
		}
	}
	return c.Encode()
}

func buildQueryFeed(sq savedQuery, q url.Values, snaps []snapshot, c graph.Citations) *feeds.Feed {
	query := canonical(q)
	self := c.Base() + "/feeds/" + sq.name + ".atom"
	described := "the whole table"
	if query != "" {
		self += "?" + query
		var parts []string
		for _, name := range slices.Sorted(func(yield func(string) bool) {
			for name := range q {
				if name != "release" && !yield(name) {
					return
				}
			}
		}) {
			parts = append(parts, name+"="+q.Get(name))
		}
		described = strings.Join(parts, ", ")
	}
	newest := snaps[len(snaps)-1].rel
	f := &feeds.Feed{
		Title: fmt.Sprintf("%s (%s): changes across releases", sq.title, described),
		Link:  &feeds.Link{Href: self, Rel: "self", Type: "application/atom+xml"},
		Id:    self,
		Description: fmt.Sprintf("An entry for each release whose published figures for %s (%s) differ from the release before it. Figures are protected as in the download: perturbed, withheld or official.",
			strings.ToLower(sq.title), described),
		Author:    &feeds.Author{Name: newest.Publisher},
		Copyright: newest.Licence,
		Updated:   newest.PublishedOn,
	}
	for k := len(snaps) - 1; k >= 0; k-- {
		var before *snapshot
		if k > 0 {
			before = &snaps[k-1]
		}
		lines := tableChanges(before, snaps[k])
		if len(lines) == 0 {
			continue
		}
		f.Items = append(f.Items, queryItem(sq, self, query, snaps[k], before, lines, c))
	}
	return f
}

// tableChanges lists what a release's table changed against the one before, nil when
// nothing did; against no release, the table as first published.
func tableChanges(before *snapshot, after snapshot) []string {
	switch {
	case after.refused != "" && before != nil && before.refused == after.refused:
		return nil
	case after.refused != "":
		return []string{"This release does not publish the table: " + after.refused}
	case before == nil || before.refused != "":
		lines := []string{fmt.Sprintf("First published in this release: %s.", plural(len(after.rows), "row"))}
		if before != nil {
			lines[0] = fmt.Sprintf("Published again in this release (release %s did not publish it): %s.", before.rel.ID, plural(len(after.rows), "row"))
		}
		for _, r := range after.rows {
			lines = append(lines, r.key+": "+figuresText(r.figures))
		}
		return lines
	}
	old := map[string]tableRow{}
	for _, r := range before.rows {
		old[r.key] = r
	}
	var lines []string
	kept := map[string]bool{}
	for _, r := range after.rows {
		kept[r.key] = true
		o, had := old[r.key]
		if !had {
			lines = append(lines, fmt.Sprintf("%s: new row: %s", r.key, figuresText(r.figures)))
			continue
		}
		if d := figureChanges(o.figures, r.figures); d != "" {
			lines = append(lines, r.key+": "+d)
		}
	}
	for _, o := range before.rows {
		if !kept[o.key] {
			lines = append(lines, fmt.Sprintf("%s: no longer listed (was %s)", o.key, figuresText(o.figures)))
		}
	}
	if len(lines) == 0 {
		return nil
	}
	return append([]string{fmt.Sprintf("%s changed against release %s:", plural(len(lines), "row"), before.rel.ID)}, lines...)
}

func figuresText(fs []namedFigure) string {
	var parts []string
	for _, f := range fs {
		parts = append(parts, f.name+" "+measureText(f.Measure))
	}
	return strings.Join(parts, "; ")
}

// figureChanges names the figures whose value or status changed, old → new.
func figureChanges(before, after []namedFigure) string {
	old := map[string]disclosure.Measure{}
	for _, f := range before {
		old[f.name] = f.Measure
	}
	var parts []string
	for _, f := range after {
		o, had := old[f.name]
		switch {
		case !had:
			parts = append(parts, fmt.Sprintf("%s new: %s", f.name, measureText(f.Measure)))
		case !sameFigure(o, f.Measure):
			parts = append(parts, fmt.Sprintf("%s %s", f.name, measureChange(o, f.Measure)))
		}
		delete(old, f.name)
	}
	for _, f := range before {
		if o, left := old[f.name]; left {
			parts = append(parts, fmt.Sprintf("%s gone (was %s)", f.name, measureText(o)))
		}
	}
	return strings.Join(parts, "; ")
}

// sameFigure compares what a reader sees of a figure: its value and status.
func sameFigure(a, b disclosure.Measure) bool {
	if a.Status != b.Status || (a.Value == nil) != (b.Value == nil) {
		return false
	}
	return a.Value == nil || *a.Value == *b.Value
}

// changeTitle sums up the changed rows: the one row and its first figure, or the rows.
func changeTitle(rows []string) string {
	if len(rows) == 1 {
		figures := strings.Split(rows[0], "; ")
		if len(figures) == 1 {
			return figures[0]
		}
		return fmt.Sprintf("%s and %s more", figures[0], plural(len(figures)-1, "figure"))
	}
	var keys []string
	for _, r := range rows {
		key, _, _ := strings.Cut(r, ": ")
		keys = append(keys, key)
	}
	if len(keys) > 5 {
		keys = append(keys[:5], fmt.Sprintf("%d more", len(keys)-5))
	}
	return fmt.Sprintf("%s changed: %s", plural(len(rows), "row"), strings.Join(keys, ", "))
}

func queryItem(sq savedQuery, self, query string, s snapshot, before *snapshot, lines []string, c graph.Citations) *feeds.Item {
	rel := s.rel
	download := c.Base() + "/download/" + sq.name + ".csv?"
	if query != "" {
		download += query + "&"
	}
	download += "release=" + url.QueryEscape(rel.ID)
	title := fmt.Sprintf("Release %s: %s", rel.ID, strings.TrimSuffix(lines[0], ":"))
	if before != nil && s.refused == "" && before.refused == "" {
		title = fmt.Sprintf("Release %s: %s", rel.ID, changeTitle(lines[1:]))
	}
	head := []string{fmt.Sprintf("Release %s, published %s. Cite: %s", rel.ID, rel.PublishedOn.Format("2006-01-02"), rel.Citation)}
	if rel.Synthetic {
		head = append(head, "Synthetic demo data, not real.")
	}
	return &feeds.Item{
		Id:          self + "#" + url.PathEscape(rel.ID),
		Title:       title,
		Link:        &feeds.Link{Href: download},
		Description: textSummary(head, lines),
		Content:     htmlParagraphs(head, lines),
		Author:      &feeds.Author{Name: rel.Publisher},
		Updated:     rel.PublishedOn,
		Created:     rel.PublishedOn,
	}
}
