package web_test

import (
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/client"

	"github.com/dualuse-transparency/portal/internal/demodata"
	"github.com/dualuse-transparency/portal/internal/testdb"
)

func TestSurveillanceList(t *testing.T) {
	d := testdb.New(t)
	testdb.ImportDemo(t, d, demodata.Options{Seed: 5, Decisions: 500})
	h := newHandler(t, d)
	var resp struct {
		Today struct {
			Version string
			Items   []struct {
				ID           string
				Origin       string
				ControlEntry *struct{ Code string }
				Notification *struct {
					ID        string
					Procedure string
					Status    string
					Tally     *struct {
						Eligible, Objecting, StatesThreshold int
						QualifiedMajority                    bool
					}
					Agreement *struct {
						Eligible  int
						AllAgreed bool
					}
					NotifyingState struct{ Name string }
				}
			}
		}
		Notifications []struct {
			ID, Status, Explanation string
			Objections              []struct{ MemberState struct{ Code string } }
		}
	}
	client.New(h, client.Path("/graphql")).MustPost(`{
		today: surveillanceList(asOf: "2025-06-30") {
			version
			items { id origin controlEntry { code } notification { id procedure status tally { eligible objecting statesThreshold qualifiedMajority } agreement { eligible allAgreed } notifyingState { name } } }
		}
		notifications: catchAllNotifications(asOf: "2025-06-30") { id status explanation objections { memberState { code } } }
	}`, &resp)
	annex, catchAll := 0, 0
	for _, i := range resp.Today.Items {
		switch i.Origin {
		case "ANNEX_I":
			annex++
		case "CATCH_ALL":
			catchAll++
			n := i.Notification
			switch {
			case n == nil || n.Status != "LISTED" || n.NotifyingState.Name == "":
				t.Errorf("catch-all item %s: notification %+v; want a LISTED procedure", i.ID, n)
			case n.Procedure == "EP_POSITION_2018" && (n.Tally == nil || n.Agreement != nil || n.Tally.QualifiedMajority ||
				n.Tally.Eligible < 26 || n.Tally.StatesThreshold != (55*n.Tally.Eligible+99)/100):
				t.Errorf("catch-all item %s: tally %+v, agreement %+v; want no qualified majority of 26 or 27 others", i.ID, n.Tally, n.Agreement)
			case n.Procedure == "REGULATION_2021_821_ARTICLE_5" && (n.Tally != nil || n.Agreement == nil || !n.Agreement.AllAgreed || n.Agreement.Eligible != 26):
				t.Errorf("catch-all item %s: tally %+v, agreement %+v; want all 26 others agreed", i.ID, n.Tally, n.Agreement)
			}
		}
	}
	if annex != 8 || catchAll < 5 || resp.Today.Version == "" {
		t.Errorf("%d Annex I and %d catch-all items, version %q; want the 8 Annex I entries, several catch-all items and a version", annex, catchAll, resp.Today.Version)
	}
	for _, n := range resp.Notifications {
		if n.Status == "" || !strings.Contains(n.Explanation, "states objected") && !strings.Contains(n.Explanation, "Member States agreed") && n.Status != "WITHDRAWN" {
			t.Errorf("notification %+v: want a status and an explanation with the tally", n)
		}
	}

	for _, format := range []string{"csv", "json"} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", "/download/surveillance-list."+format+"?asOf=2025-06-30", nil))
		etag := rec.Header().Get("ETag")
		if rec.Code != 200 || etag == "" || !strings.Contains(rec.Body.String(), "ANNEX_I:5A001.j") {
			t.Fatalf("%s: status %d, ETag %q, body %.200s", format, rec.Code, etag, rec.Body.String())
		}
		if format == "json" {
			var doc struct {
				Items []struct{ ID string }
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil || len(doc.Items) != len(resp.Today.Items) {
				t.Errorf("JSON: %d items, %v; want the %d of the query", len(doc.Items), err, len(resp.Today.Items))
			}
		}
		again := httptest.NewRequest("GET", "/download/surveillance-list."+format+"?asOf=2025-06-30", nil)
		again.Header.Set("If-None-Match", etag)
		rec = httptest.NewRecorder()
		h.ServeHTTP(rec, again)
		if rec.Code != 304 || rec.Body.Len() != 0 {
			t.Errorf("%s with If-None-Match: status %d, %d bytes; want 304 and no body", format, rec.Code, rec.Body.Len())
		}
	}
}
