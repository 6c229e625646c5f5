package db

import (
	"slices"
	"time"

	"github.com/dualuse-transparency/portal/internal/i18n"
)

// An empty answer explains itself: a table for a period the release does not cover
// says so, with the release's period, as the annual report does for a year outside it.

// outsideRelease returns the note of a filter whose period lies wholly outside the
// release's, and false for a filter without a period or one that overlaps it.
func outsideRelease(f StatisticsFilter, r *Release) (i18n.Msg, bool) {
	if r == nil {
		return i18n.Msg{}, false
	}
	var start, end time.Time
	switch {
	case len(f.Years) > 0:
		inside := slices.ContainsFunc(f.Years, func(y int) bool {
			return y >= r.PeriodStart.Year() && y <= r.PeriodEnd.Year()
		})
		if inside {
			return i18n.Msg{}, false
		}
		start = time.Date(slices.Min(f.Years), 1, 1, 0, 0, 0, 0, time.UTC)
		end = time.Date(slices.Max(f.Years), 12, 31, 0, 0, 0, 0, time.UTC)
	case f.From != nil || f.To != nil:
		start, end = derefOr(f.From, r.PeriodStart), derefOr(f.To, r.PeriodEnd)
		if !start.After(r.PeriodEnd) && !end.Before(r.PeriodStart) {
			return i18n.Msg{}, false
		}
	default:
		return i18n.Msg{}, false
	}
	return i18n.M("release %s has no decisions from %s to %s: it covers %s to %s", r.ID,
		start.Format(time.DateOnly), end.Format(time.DateOnly),
		r.PeriodStart.Format(time.DateOnly), r.PeriodEnd.Format(time.DateOnly)), true
}

// emptyNote is the note of a table with no rows: why it is empty.
func emptyNote(f StatisticsFilter, r *Release) i18n.Msg {
	if m, ok := outsideRelease(f, r); ok {
		return m
	}
	id := ""
	if r != nil {
		id = r.ID
	}
	return i18n.M("no decision in release %s matches the filter", id)
}

// notesIn writes notes in language l: each from its message where one is kept (msgs
// lines up with notes), else translated by the catalog as it stands.
func notesIn(l i18n.Lang, notes []string, msgs []i18n.Msg) []string {
	out := make([]string, len(notes))
	for i, n := range notes {
		out[i] = i18n.Translate(l, n)
		if i < len(msgs) && !msgs[i].IsZero() {
			out[i] = msgs[i].String(l)
		}
	}
	return out
}
