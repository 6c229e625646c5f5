package web_test

import (
	"html"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/client"
)

// The notifications feed has an entry per notification and one per procedure that
// ended (listed, objected, not agreed, withdrawn), as the catchAllNotifications query
// answers today, each with the rule its procedure applies and the tally in words.
func TestNotificationsFeed(t *testing.T) {
	h := procedureHandler(t)
	var resp struct {
		CatchAllNotifications []struct {
			ID, Status, Explanation, NotifiedOn, Deadline string
			WithdrawnOn                                   *string
			Rule                                          struct{ Name, Rule string }
			ListItem                                      *struct{ ListedOn string }
		}
		Releases []struct{ ID string }
	}
	client.New(h, client.Path("/graphql")).MustPost(`{ catchAllNotifications { id status explanation notifiedOn deadline withdrawnOn
		rule { name rule } listItem { listedOn } } releases { id } }`, &resp)
	feed, header := getFeed(t, h, "/feeds/notifications.atom")
	if header.Get("X-Release") != resp.Releases[0].ID {
		t.Errorf("X-Release %q, want %q", header.Get("X-Release"), resp.Releases[0].ID)
	}
	byID := map[string]int{}
	for k, it := range feed.Items {
		byID[it.GUID] = k
	}
	ended := map[string]string{"LISTED": "listed", "OBJECTED": "objected", "NOT_AGREED": "not-agreed", "WITHDRAWN": "withdrawn"}
	statuses := map[string]int{}
	want := 0
	for _, n := range resp.CatchAllNotifications {
		statuses[n.Status]++
		want++
		k, ok := byID["/feeds/notifications.atom#"+n.ID+"/notified"]
		if !ok {
			t.Errorf("no entry for notification %s", n.ID)
			continue
		}
		it := feed.Items[k]
		text := html.UnescapeString(it.Description)
		if !strings.HasPrefix(it.Title, "Notified: ") || it.UpdatedParsed.Format("2006-01-02") != n.NotifiedOn ||
			!strings.Contains(text, "Procedure: "+n.Rule.Name) || !strings.Contains(text, "Status today: "+n.Status+": "+n.Explanation) {
			t.Errorf("notification %s: entry %q of %v, %s; want Notified on %s with the rule %q and the explanation %q",
				n.ID, it.Title, it.UpdatedParsed, text, n.NotifiedOn, n.Rule.Name, n.Explanation)
		}
		kind, done := ended[n.Status]
		if !done {
			continue
		}
		want++
		k, ok = byID["/feeds/notifications.atom#"+n.ID+"/"+kind]
		if !ok {
			t.Errorf("notification %s is %s and the feed does not say so", n.ID, n.Status)
			continue
		}
		it = feed.Items[k]
		text = html.UnescapeString(it.Description)
		on := n.Deadline
		switch {
		case n.Status == "WITHDRAWN":
			on = *n.WithdrawnOn
		case n.Status == "LISTED" && n.ListItem != nil:
			on = n.ListItem.ListedOn
		}
		if it.UpdatedParsed.Format("2006-01-02") != on || !strings.Contains(text, n.Explanation[1:]) ||
			!strings.Contains(text, "Rule: "+strings.TrimSuffix(n.Rule.Rule, ".")) {
			t.Errorf("notification %s, %s: entry %q of %v: %s; want it dated %s with the explanation %q and the rule",
				n.ID, n.Status, it.Title, it.UpdatedParsed, text, on, n.Explanation)
		}
		if n.Status != "WITHDRAWN" && !strings.Contains(text, "states objected") && !strings.Contains(text, "Member States agreed") {
			t.Errorf("notification %s, %s: no tally in %s", n.ID, n.Status, text)
		}
	}
	// An entry links to its notification in the API, a GET anyone can open.
	link, err := url.Parse(feed.Items[0].Link)
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", link.RequestURI(), nil))
	id := strings.TrimSuffix(strings.TrimPrefix(feed.Items[0].GUID, "/feeds/notifications.atom#"), "/notified")
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"id":"`+strings.Split(id, "/")[0]+`"`) || strings.Contains(rec.Body.String(), `"errors"`) {
		t.Errorf("GET %s: %d %s; want the notification %s", link.RequestURI(), rec.Code, rec.Body.String(), id)
	}
	if len(feed.Items) != want {
		t.Errorf("%d entries, want %d: one per notification and one per procedure that ended", len(feed.Items), want)
	}
	for _, s := range []string{"LISTED", "OBJECTED", "NOT_AGREED", "WITHDRAWN"} {
		if statuses[s] == 0 {
			t.Errorf("the demo has no %s notification to show in the feed: %v", s, statuses)
		}
	}
}
