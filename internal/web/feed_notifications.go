package web

import (
	"fmt"
	"html"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gorilla/feeds"

	"github.com/dualuse-transparency/portal/db"
	"github.com/dualuse-transparency/portal/graph"
)

// notificationsFeed serves GET /feeds/notifications.atom: the procedures of the
// human-rights catch-all as an Atom feed, newest first, one entry when a Member State
// notifies and one when the procedure comes to an end (listed, objected, not agreed,
// withdrawn), each with the rule its procedure applies and the tally in words. The
// statuses are those of the catchAllNotifications query today; a procedure still
// pending has its notification entry only. Entry ids are stable across releases.
func notificationsFeed(d *db.DB, citations graph.Citations, logger *slog.Logger) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		q, err := params(r, releaseParams)
		var rel *db.Release
		if err == nil {
			rel, err = d.Release(r.Context(), optional(q, "release"))
		}
		var ns []db.CatchAllNotification
		if err == nil {
			ns, err = d.CatchAllNotifications(r.Context(), rel, db.NotificationFilter{}, graph.DateOrToday(nil))
		}
		var states map[string]db.MemberState
		if err == nil {
			var codes []string
			for _, n := range ns {
				codes = append(codes, n.NotifyingStateCode)
			}
			states, err = d.MemberStatesByCode(r.Context(), codes)
		}
		var f *feeds.Feed
		if err == nil {
			f = buildNotificationsFeed(rel, ns, states, citations)
		}
		writeFeed(w, r, logger, f, rel, err)
	}
}

// notificationEvent is one entry of the feed: a notification, or the end of its procedure.
type notificationEvent struct {
	n    *db.CatchAllNotification
	kind string // notified, listed, objected, not-agreed, withdrawn
	on   time.Time
}

// notificationEvents are the entries of the notifications, oldest first.
func notificationEvents(ns []db.CatchAllNotification) []notificationEvent {
	var out []notificationEvent
	for k := range ns {
		n := &ns[k]
		out = append(out, notificationEvent{n, "notified", n.NotifiedOn})
		switch n.Status {
		case db.Listed:
			on := n.Deadline // the item is to be listed: the procedure ended with its deadline
			if n.ListedOn != nil {
				on = *n.ListedOn
			}
			out = append(out, notificationEvent{n, "listed", on})
		case db.Objected:
			out = append(out, notificationEvent{n, "objected", n.Deadline})
		case db.NotAgreed:
			out = append(out, notificationEvent{n, "not-agreed", n.Deadline})
		case db.Withdrawn:
			out = append(out, notificationEvent{n, "withdrawn", *n.WithdrawnOn})
		}
	}
	// Stable by date: a notification's own entries keep their order.
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].on.Before(out[j-1].on); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

func buildNotificationsFeed(rel *db.Release, ns []db.CatchAllNotification, states map[string]db.MemberState, c graph.Citations) *feeds.Feed {
	self := c.Base() + "/feeds/notifications.atom"
	f := &feeds.Feed{
		Title: "Human-rights catch-all notifications: notified, listed, objected, not agreed, withdrawn",
		Link:  &feeds.Link{Href: self, Rel: "self", Type: "application/atom+xml"},
		Id:    self,
		Description: fmt.Sprintf("The catch-all procedures as release %s records them, with the rule each applies and its tally. Cite: %s",
			rel.ID, rel.Citation),
		Author:    &feeds.Author{Name: rel.Publisher},
		Copyright: rel.Licence,
		Updated:   rel.PublishedOn,
	}
	events := notificationEvents(ns)
	for k := len(events) - 1; k >= 0; k-- {
		f.Items = append(f.Items, notificationItem(rel, events[k], states, c))
	}
	if len(events) > 0 && events[len(events)-1].on.After(f.Updated) {
		f.Updated = events[len(events)-1].on
	}
	return f
}

var eventVerbs = map[string]string{
	"notified": "Notified", "listed": "Listed", "objected": "Objected to",
	"not-agreed": "Not agreed", "withdrawn": "Withdrawn",
}

func notificationItem(rel *db.Release, e notificationEvent, states map[string]db.MemberState, c graph.Citations) *feeds.Item {
	n := e.n
	day := e.on.Format(time.DateOnly)
	state := n.NotifyingStateCode
	if s, ok := states[state]; ok {
		state = fmt.Sprintf("%s (%s)", s.Name, s.Code)
	}
	rule := n.Rule()
	dest := "every destination"
	if len(n.DestinationCodes) > 0 {
		dest = strings.Join(n.DestinationCodes, ", ")
	}
	var body []string
	switch e.kind {
	case "notified":
		body = append(body, fmt.Sprintf("%s notified %s on %s: %s; destinations: %s.",
			state, n.ID, day, n.ItemDescription, dest))
		if n.ControlEntryCode != nil {
			body = append(body, fmt.Sprintf("Control entry %s.", *n.ControlEntryCode))
		}
		body = append(body, fmt.Sprintf("Deadline: %s. Status today: %s: %s.", n.Deadline.Format(time.DateOnly), n.Status, n.Explanation()))
	default:
		body = append(body, fmt.Sprintf("%s on %s: notification %s by %s (%s; destinations: %s), notified on %s. %s.",
			eventVerbs[e.kind], day, n.ID, state, n.ItemDescription, dest, n.NotifiedOn.Format(time.DateOnly), upperFirst(n.Explanation())))
	}
	body = append(body, fmt.Sprintf("Procedure: %s (%s). Rule: %s.", rule.Name, rule.Source, strings.TrimSuffix(rule.Rule, ".")))
	if tally := n.TallyExplanation(); !strings.Contains(n.Explanation(), tally) {
		body = append(body, fmt.Sprintf("Tally: %s.", tally))
	}
	body = append(body, fmt.Sprintf("Legal reference: %s. Release %s; cite: %s", n.LegalReference, rel.ID, rel.Citation))
	if rel.Synthetic {
		body = append(body, "Synthetic demo data, not real.")
	}
	query := fmt.Sprintf(`{ catchAllNotifications(release: %q, memberState: %q, from: %q, to: %q) { id procedure status explanation notifiedOn deadline legalReference rule { name rule source } } }`,
		rel.ID, n.NotifyingStateCode, n.NotifiedOn.Format(time.DateOnly), n.NotifiedOn.Format(time.DateOnly))
	return &feeds.Item{
		Id:          fmt.Sprintf("%s/feeds/notifications.atom#%s/%s", c.Base(), url.PathEscape(n.ID), e.kind),
		Title:       fmt.Sprintf("%s: %s (%s, %s)", eventVerbs[e.kind], n.ItemDescription, n.ID, n.NotifyingStateCode),
		Link:        &feeds.Link{Href: c.Base() + "/graphql?query=" + url.QueryEscape(query)},
		Description: html.EscapeString(strings.Join(body, " ")),
		Updated:     e.on,
		Created:     e.on,
	}
}

// upperFirst capitalises a sentence's first letter.
func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
