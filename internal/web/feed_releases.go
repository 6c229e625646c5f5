package web

import (
	"context"
	"fmt"
	"html"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gorilla/feeds"

	"github.com/dualuse-transparency/portal/db"
	"github.com/dualuse-transparency/portal/graph"
	"github.com/dualuse-transparency/portal/internal/disclosure"
)

// Feeds of releases and of saved queries follow the releases in publication order.
// Their ?release= pins a feed to what was published up to that release (the latest
// by default), so a feed read today and one pinned to today's release are the same.

// maxFeedLines bounds the changes an entry lists; the rest is in the linked download.
const maxFeedLines = 40

// atomType is the Content-Type of every feed.
const atomType = "application/atom+xml; charset=utf-8"

// releasesUpTo returns the releases published up to pin (every release when pin is
// nil), oldest first, and the newest of them.
func releasesUpTo(ctx context.Context, d *db.DB, pin *string) ([]db.Release, *db.Release, error) {
	newest, err := d.Release(ctx, pin)
	if err != nil {
		return nil, nil, err
	}
	all, err := d.Releases(ctx) // latest first
	if err != nil {
		return nil, nil, err
	}
	var out []db.Release
	seen := false
	for k := len(all) - 1; k >= 0; k-- {
		if seen {
			break
		}
		out = append(out, all[k])
		seen = all[k].ID == newest.ID
	}
	return out, newest, nil
}

// releasesFeed serves GET /feeds/releases.atom: one entry per release, newest first,
// with its citation, permalink and what it changed against the release before it.
func releasesFeed(d *db.DB, citations graph.Citations, logger *slog.Logger) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		q, err := params(r, releaseParams)
		var releases []db.Release
		var newest *db.Release
		if err == nil {
			releases, newest, err = releasesUpTo(r.Context(), d, optional(q, "release"))
		}
		var f *feeds.Feed
		if err == nil {
			f, err = buildReleasesFeed(r.Context(), d, releases, citations)
		}
		writeFeed(w, r, logger, f, newest, err)
	}
}

func buildReleasesFeed(ctx context.Context, d *db.DB, releases []db.Release, c graph.Citations) (*feeds.Feed, error) {
	self := c.Base() + "/feeds/releases.atom"
	newest := releases[len(releases)-1]
	f := &feeds.Feed{
		Title:       "Releases of the dual-use export licensing data",
		Link:        &feeds.Link{Href: self, Rel: "self", Type: "application/atom+xml"},
		Id:          self,
		Description: "Every release of the data, with its citation and what it revised against the release before it.",
		Author:      &feeds.Author{Name: newest.Publisher},
		Copyright:   newest.Licence,
		Updated:     newest.PublishedOn,
	}
	for k := len(releases) - 1; k >= 0; k-- {
		rel := &releases[k]
		var lines []string
		if k == 0 {
			lines = []string{"The first release: nothing to compare with."}
		} else {
			changes, err := d.ReleaseChanges(ctx, &releases[k-1], rel)
			if err != nil {
				return nil, err
			}
			lines = releaseChangeLines(releases[k-1].ID, changes)
		}
		f.Items = append(f.Items, releaseItem(rel, lines, c))
	}
	return f, nil
}

// releaseChangeLines says in words what a release revised against the one before.
func releaseChangeLines(previous string, changes []db.ReleaseChange) []string {
	var lines []string
	for _, ch := range changes {
		line := fmt.Sprintf("%s (%s): %s", ch.Subject, strings.ToLower(strings.ReplaceAll(string(ch.Section), "_", " ")), ch.Description)
		if ch.Section == db.HeadlineChange && ch.Before != nil && ch.After != nil {
			if sameFigure(*ch.Before, *ch.After) {
				continue // only its note changed: the figure a reader sees did not
			}
			line += ", " + measureChange(*ch.Before, *ch.After)
		}
		lines = append(lines, line)
	}
	if len(lines) == 0 {
		return []string{fmt.Sprintf("No published figure or list item changed against release %s.", previous)}
	}
	return append([]string{fmt.Sprintf("%s against release %s:", plural(len(lines), "change"), previous)}, lines...)
}

func releaseItem(rel *db.Release, lines []string, c graph.Citations) *feeds.Item {
	permalink := c.ReleasePermalink(rel)
	head := []string{
		rel.Description,
		fmt.Sprintf("Period %s to %s; published %s by %s; licence %s; methodology %s.",
			rel.PeriodStart.Format(time.DateOnly), rel.PeriodEnd.Format(time.DateOnly), rel.PublishedOn.Format(time.DateOnly),
			rel.Publisher, rel.Licence, rel.MethodologyVersion),
		"Cite: " + rel.Citation,
	}
	if rel.Synthetic {
		head = append(head, "Synthetic demo data, not real.")
	}
	return &feeds.Item{
		Id:          permalink,
		Title:       fmt.Sprintf("Release %s: %s", rel.ID, rel.Title),
		Link:        &feeds.Link{Href: permalink},
		Description: textSummary(head, lines),
		Content:     htmlParagraphs(head, lines),
		Author:      &feeds.Author{Name: rel.Publisher},
		Updated:     rel.PublishedOn,
		Created:     rel.PublishedOn,
	}
}

// htmlParagraphs renders paragraphs and then a list (its first line as a heading),
// cut at maxFeedLines, as escaped HTML for an entry's content.
func htmlParagraphs(paragraphs, list []string) string {
	var b strings.Builder
	for _, p := range paragraphs {
		fmt.Fprintf(&b, "<p>%s</p>", html.EscapeString(p))
	}
	if len(list) > 0 {
		fmt.Fprintf(&b, "<p>%s</p>", html.EscapeString(list[0]))
	}
	if len(list) > 1 {
		b.WriteString("<ul>")
		for k, l := range list[1:] {
			if k == maxFeedLines {
				fmt.Fprintf(&b, "<li>… and %d more</li>", len(list)-1-maxFeedLines)
				break
			}
			fmt.Fprintf(&b, "<li>%s</li>", html.EscapeString(l))
		}
		b.WriteString("</ul>")
	}
	return b.String()
}

// textSummary is an entry's summary: the paragraphs, then the list cut at
// maxFeedLines, as escaped text (an Atom summary of gorilla/feeds is HTML).
func textSummary(paragraphs, list []string) string {
	if len(list) > maxFeedLines+1 {
		list = append(slices.Clip(list[:maxFeedLines+1]), fmt.Sprintf("… and %d more.", len(list)-1-maxFeedLines))
	}
	return html.EscapeString(strings.Join(append(slices.Clip(paragraphs), list...), " "))
}

// plural is "1 row", "2 rows".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// measureChange is "old (STATUS) → new (STATUS)".
func measureChange(before, after disclosure.Measure) string {
	return fmt.Sprintf("%s → %s", measureText(before), measureText(after))
}

// measureText is a published figure with its status: "18 (PERTURBED)", "withheld (CONFIDENTIAL)".
func measureText(m disclosure.Measure) string {
	if m.Value == nil {
		if m.Status == disclosure.Confidential {
			return "withheld (CONFIDENTIAL)"
		}
		return fmt.Sprintf("none (%s)", m.Status)
	}
	return fmt.Sprintf("%s (%s)", strconv.FormatFloat(*m.Value, 'f', -1, 64), m.Status)
}

// writeFeed answers a feed, or the error as the downloads do.
func writeFeed(w http.ResponseWriter, r *http.Request, logger *slog.Logger, f *feeds.Feed, rel *db.Release, err error) {
	var atom string
	if err == nil {
		atom, err = f.ToAtom()
	}
	if err != nil {
		writeHTTPError(w, r, logger, err)
		return
	}
	w.Header().Set("Content-Type", atomType)
	w.Header().Set("X-Release", rel.ID)
	_, _ = w.Write([]byte(atom))
}
