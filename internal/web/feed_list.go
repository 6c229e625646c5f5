package web

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gorilla/feeds"

	"github.com/dualuse-transparency/portal/db"
	"github.com/dualuse-transparency/portal/graph"
)

// listFeedStart is the first day the feed looks from: before the first list.
var listFeedStart = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// surveillanceListFeed serves the changes to the EU-wide list as an Atom feed, one
// entry per listing, amendment and removal, newest first, so a newsroom can follow
// the list in a feed reader instead of polling the API. The entries are those the
// release knows (up to its publication date, or today); each entry's id is stable
// across releases, so a reader shows a change once.
func surveillanceListFeed(d *db.DB, citations graph.Citations, logger *slog.Logger) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		q, err := params(r, releaseParams)
		var rel *db.Release
		if err == nil {
			rel, err = d.Release(r.Context(), optional(q, "release"))
		}
		var changes []db.ListChange
		if err == nil {
			changes, err = d.SurveillanceListChanges(r.Context(), rel, listFeedStart, graph.DateOrToday(nil))
		}
		if err != nil {
			writeHTTPError(w, r, logger, err)
			return
		}
		atom, err := listFeed(rel, changes, citations).ToAtom()
		if err != nil {
			writeHTTPError(w, r, logger, err)
			return
		}
		w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
		w.Header().Set("X-Release", rel.ID)
		_, _ = w.Write([]byte(atom))
	}
}

// listFeed builds the feed of the changes, newest first.
func listFeed(rel *db.Release, changes []db.ListChange, c graph.Citations) *feeds.Feed {
	self := c.Base() + "/feeds/surveillance-list.atom"
	f := &feeds.Feed{
		Title: "EU-wide list of cyber-surveillance items: listings, amendments and removals",
		Link:  &feeds.Link{Href: self, Rel: "self", Type: "application/atom+xml"},
		Id:    self,
		Description: fmt.Sprintf("Changes to the EU-wide list as release %s records them. Cite: %s",
			rel.ID, rel.Citation),
		Author:    &feeds.Author{Name: rel.Publisher},
		Copyright: rel.Licence,
		Updated:   rel.PublishedOn,
	}
	for k := len(changes) - 1; k >= 0; k-- {
		f.Items = append(f.Items, listFeedItem(rel, changes[k], c))
	}
	if len(changes) > 0 && changes[len(changes)-1].Date.After(f.Updated) {
		f.Updated = changes[len(changes)-1].Date
	}
	return f
}

func listFeedItem(rel *db.Release, ch db.ListChange, c graph.Citations) *feeds.Item {
	day := ch.Date.Format(time.DateOnly)
	i := ch.Item
	verb := map[db.ListChangeKind]string{db.Added: "Listed", db.Amended: "Amended", db.Removed: "Removed"}[ch.Kind]
	var body strings.Builder
	fmt.Fprintf(&body, "%s on %s: %s (%s).", verb, day, i.Description, i.ID)
	if ch.Before != nil && ch.Kind == db.Amended {
		fmt.Fprintf(&body, " Scope before: %s.", scope(*ch.Before))
	}
	if ch.After != nil {
		fmt.Fprintf(&body, " Scope: %s.", scope(*ch.After))
	}
	if ch.Note != nil {
		fmt.Fprintf(&body, " %s.", strings.TrimSuffix(*ch.Note, "."))
	}
	if n := i.Notification; n != nil {
		rule := n.Rule()
		fmt.Fprintf(&body, " Notification %s by %s, procedure: %s; rule: %s.", n.ID, n.NotifyingStateCode, rule.Name, rule.Rule)
	}
	fmt.Fprintf(&body, " Legal reference: %s. Release %s.", i.LegalReference, rel.ID)
	if rel.Synthetic {
		body.WriteString(" Synthetic demo data, not real.")
	}
	link := fmt.Sprintf("%s/download/surveillance-list.json?asOf=%s&release=%s", c.Base(), day, url.QueryEscape(rel.ID))
	return &feeds.Item{
		Id:          fmt.Sprintf("%s/feeds/surveillance-list.atom#%s/%s/%s", c.Base(), url.PathEscape(i.ID), strings.ToLower(string(ch.Kind)), day),
		Title:       fmt.Sprintf("%s: %s", verb, i.Description),
		Link:        &feeds.Link{Href: link},
		Description: body.String(),
		Updated:     ch.Date,
		Created:     ch.Date,
	}
}

// scope describes a version's scope in words.
func scope(v db.ItemVersion) string {
	dest := "every destination"
	if len(v.DestinationCodes) > 0 {
		dest = strings.Join(v.DestinationCodes, ", ")
	}
	if v.ControlEntryCode != nil {
		return fmt.Sprintf("%s; control entry %s; %s", v.Description, *v.ControlEntryCode, dest)
	}
	return fmt.Sprintf("%s; %s", v.Description, dest)
}
