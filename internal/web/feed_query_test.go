package web_test

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mmcdole/gofeed"

	"github.com/dualuse-transparency/portal/db"
	"github.com/dualuse-transparency/portal/internal/testdb"
)

// feedRelease writes a small release folder: Egypt and China in 2023 and 2024, with
// extraEgypt more denials to Egypt in 2024 (new decisions, so the others keep their
// record keys and their published figures).
func feedRelease(t *testing.T, dir, id, publishedOn string, extraEgypt int) {
	t.Helper()
	meta := fmt.Sprintf(`{
  "id": %q,
  "title": "Synthetic feed test release %s",
  "description": "Made-up decisions to Egypt and China, for the tests of the feeds.",
  "periodStart": "2023-01-01",
  "periodEnd": "2024-12-31",
  "publishedOn": %q,
  "publisher": "Dual-use transparency portal",
  "source": "Synthetic data made for the tests",
  "methodologyVersion": "1.0",
  "synthetic": true
}
`, id, id, publishedOn)
	var b strings.Builder
	b.WriteString("decision_id,member_state,decision_date,licence_type,outcome,destination,end_user_type,control_entry,value_eur,exporter_id,denial_grounds,catch_all\n")
	n := 0
	add := func(year int, dest string, issued, denied int) {
		for k := 0; k < issued+denied; k++ {
			n++
			state := []string{"DE", "FR", "IT", "NL"}[n%4]
			date := fmt.Sprintf("%d-%02d-%02d", year, 1+n%12, 1+n%28)
			if k < issued {
				fmt.Fprintf(&b, "D%04d,%s,%s,INDIVIDUAL,ISSUED,%s,COMMERCIAL,5A002,%d,E%d,,NONE\n", n, state, date, dest, 1000+n*37, n%9)
			} else {
				fmt.Fprintf(&b, "D%04d,%s,%s,INDIVIDUAL,DENIED,%s,GOVERNMENT,5A002,,E%d,CRITERION_7,NONE\n", n, state, date, dest, n%9)
			}
		}
	}
	add(2023, "EG", 15, 6)
	add(2023, "CN", 20, 5)
	add(2024, "EG", 20, 10)
	add(2024, "CN", 18, 6)
	for k := 0; k < extraEgypt; k++ {
		fmt.Fprintf(&b, "X%04d,DE,2024-11-%02d,INDIVIDUAL,DENIED,EG,GOVERNMENT,5A002,,E%d,CRITERION_2,NONE\n", k, 1+k, k%9)
	}
	for name, text := range map[string]string{
		"release.json":          meta,
		"licence_decisions.csv": b.String(),
		"official_figures.csv":  "year,scope,metric,value,unit,source_document,source_url,verified\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// importFeedRelease imports a feedRelease.
func importFeedRelease(t *testing.T, d *db.DB, id, publishedOn string, extraEgypt int) {
	t.Helper()
	dir := t.TempDir()
	feedRelease(t, dir, id, publishedOn, extraEgypt)
	testdb.ImportFolder(t, d, dir)
}

// getFeed fetches a feed and parses it, failing unless it is Atom served as Atom.
func getFeed(t *testing.T, h http.Handler, path string) (*gofeed.Feed, http.Header) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
	if rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/atom+xml") {
		t.Fatalf("GET %s: status %d, type %q: %s", path, rec.Code, rec.Header().Get("Content-Type"), rec.Body.String())
	}
	feed, err := gofeed.NewParser().ParseString(rec.Body.String())
	if err != nil {
		t.Fatalf("GET %s: the feed does not parse: %v", path, err)
	}
	if feed.FeedType != "atom" {
		t.Fatalf("GET %s: a %s feed, want Atom", path, feed.FeedType)
	}
	ids := map[string]bool{}
	for k, it := range feed.Items {
		if it.GUID == "" || ids[it.GUID] || it.UpdatedParsed == nil || it.Link == "" || it.Title == "" {
			t.Errorf("GET %s: entry %q: id %q missing or repeated, updated %v, link %q", path, it.Title, it.GUID, it.UpdatedParsed, it.Link)
		}
		ids[it.GUID] = true
		if k > 0 && it.UpdatedParsed != nil && feed.Items[k-1].UpdatedParsed != nil && it.UpdatedParsed.After(*feed.Items[k-1].UpdatedParsed) {
			t.Errorf("GET %s: entries not newest first at %d", path, k)
		}
	}
	return feed, rec.Header()
}

// downloadFigure is one figure of a CSV download (first data row), with its status.
func downloadFigure(t *testing.T, h http.Handler, link, column string) string {
	t.Helper()
	u, err := url.Parse(link)
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", u.RequestURI(), nil))
	if rec.Code != 200 {
		t.Fatalf("GET %s: %d %s", u.RequestURI(), rec.Code, rec.Body.String())
	}
	records, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(rec.Body.String(), "\ufeff"))).ReadAll()
	if err != nil || len(records) < 2 {
		t.Fatalf("GET %s: %d records, %v", u.RequestURI(), len(records), err)
	}
	value, status := -1, -1
	for k, name := range records[0] {
		switch name {
		case column:
			value = k
		case column + "_status":
			status = k
		}
	}
	if value < 0 || status < 0 {
		t.Fatalf("GET %s: no column %s and %s_status in %v", u.RequestURI(), column, column, records[0])
	}
	return fmt.Sprintf("%s (%s)", records[1][value], records[1][status])
}

// The saved query "denials to Egypt in 2024" gains an entry when a second release
// changes its figures, with the figures old → new as the downloads publish them, and
// the query for 2023, whose decisions did not change, does not.
func TestQueryFeedGainsAnEntryWhenFiguresChange(t *testing.T) {
	d := testdb.New(t)
	importFeedRelease(t, d, "feed-r1", "2025-03-31", 0)
	h := newHandler(t, d)
	const egypt2024 = "/feeds/denials-by-destination.atom?destinations=EG&years=2024"
	feed, header := getFeed(t, h, egypt2024)
	if header.Get("X-Release") != "feed-r1" || len(feed.Items) != 1 {
		t.Fatalf("X-Release %q, %d entries; want feed-r1 and one entry, first published", header.Get("X-Release"), len(feed.Items))
	}
	first := feed.Items[0]
	if !strings.Contains(first.Title, "First published") || !strings.Contains(first.Link, "/download/denials-by-destination.csv?") ||
		!strings.Contains(first.Link, "release=feed-r1") {
		t.Errorf("first entry %q links to %q; want the table first published, linked to the download pinned to feed-r1", first.Title, first.Link)
	}
	before := downloadFigure(t, h, first.Link, "denials")
	if !strings.Contains(first.Content, "Egypt (EG): denials "+before) {
		t.Errorf("first entry does not publish Egypt's denials as the download does (%s): %s", before, first.Content)
	}

	importFeedRelease(t, d, "feed-r2", "2025-09-30", 8)
	h = newHandler(t, d)
	feed, header = getFeed(t, h, egypt2024)
	if header.Get("X-Release") != "feed-r2" || len(feed.Items) != 2 {
		t.Fatalf("X-Release %q, %d entries; want feed-r2 and an entry per release", header.Get("X-Release"), len(feed.Items))
	}
	latest := feed.Items[0]
	if feed.Items[1].GUID != first.GUID || latest.GUID == first.GUID {
		t.Errorf("entry ids %q, %q; want the first release's entry to keep its id %q", latest.GUID, feed.Items[1].GUID, first.GUID)
	}
	if !strings.Contains(latest.Link, "release=feed-r2") || !strings.Contains(latest.Link, "destinations=EG") || !strings.Contains(latest.Link, "years=2024") {
		t.Errorf("latest entry links to %q; want the same query pinned to feed-r2", latest.Link)
	}
	after := downloadFigure(t, h, latest.Link, "denials")
	if after == before {
		t.Fatalf("eight more denials, and the download still publishes %s", after)
	}
	if want := "Egypt (EG): denials " + before + " → " + after; !strings.Contains(latest.Content, want) {
		t.Errorf("latest entry does not say %q: %s", want, latest.Content)
	}
	if !strings.Contains(latest.Content, "release feed-r1") || !strings.Contains(latest.Content, "Synthetic feed test release feed-r2") {
		t.Errorf("latest entry does not name the release it compares with and cite its own: %s", latest.Content)
	}
	if !strings.Contains(latest.Content, "CRITERION_2") {
		t.Errorf("the new ground is not among the changes: %s", latest.Content)
	}

	// Egypt in 2023: the same decisions in both releases, the same figures, one entry.
	feed, _ = getFeed(t, h, "/feeds/denials-by-destination.atom?destinations=EG&years=2023")
	if len(feed.Items) != 1 || !strings.Contains(feed.Items[0].Link, "release=feed-r1") {
		t.Errorf("2023 feed: %d entries; want only the first release's, the second changed nothing", len(feed.Items))
	}
	// Pinned to the first release, the 2024 feed is as it was.
	feed, header = getFeed(t, h, egypt2024+"&release=feed-r1")
	if header.Get("X-Release") != "feed-r1" || len(feed.Items) != 1 || feed.Items[0].GUID != first.GUID {
		t.Errorf("pinned to feed-r1: X-Release %q, %d entries; want feed-r1's entry alone", header.Get("X-Release"), len(feed.Items))
	}

	// The statistics table by destination: only Egypt's row changed.
	feed, _ = getFeed(t, h, "/feeds/licence-statistics.atom?groupBy=DESTINATION&years=2024")
	if len(feed.Items) != 2 {
		t.Fatalf("statistics feed: %d entries, want 2", len(feed.Items))
	}
	changed := feed.Items[0].Content
	if !strings.Contains(changed, "destination EG: applications ") || strings.Contains(changed, "destination CN") {
		t.Errorf("statistics feed's latest entry: want Egypt's row changed and China's not: %s", changed)
	}
	if !strings.Contains(feed.Items[1].Content, "destination CN: applications ") {
		t.Errorf("statistics feed's first entry does not list China's row: %s", feed.Items[1].Content)
	}
}

// A feed is as strict as its download: a parameter it does not know, one given twice,
// a value that does not parse, an unknown release answer 400 or 404 with the reason.
func TestQueryFeedsAreStrict(t *testing.T) {
	d := testdb.New(t)
	importFeedRelease(t, d, "feed-r1", "2025-03-31", 0)
	h := newHandler(t, d)
	for path, want := range map[string]int{
		"/feeds/denials-by-destination.atom?destination=EG":                  400,
		"/feeds/denials-by-destination.atom?years=2024&years=2023":           400,
		"/feeds/denials-by-destination.atom?level=CONTINENT":                 400,
		"/feeds/denials-by-destination.atom?groupBy=DESTINATION":             400,
		"/feeds/licence-statistics.atom?year=2024":                           400,
		"/feeds/licence-statistics.atom?groupBy=PLANET":                      400,
		"/feeds/licence-statistics.atom?level=COUNTRY":                       400,
		"/feeds/licence-statistics.atom?years=2024&release=no-such-one":      404,
		"/feeds/releases.atom?since=2024-01-01":                              400,
		"/feeds/notifications.atom?status=LISTED":                            400,
		"/feeds/denials-by-destination.atom?destinations=EG&years=2024":      200,
		"/feeds/licence-statistics.atom?groupBy=DESTINATION&orderBy=DENIALS": 200,
	} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		if rec.Code != want {
			t.Errorf("GET %s: %d, want %d: %s", path, rec.Code, want, rec.Body.String())
		}
		if want == 400 && !strings.Contains(rec.Body.String(), "INVALID_INPUT") {
			t.Errorf("GET %s: %s; want INVALID_INPUT", path, rec.Body.String())
		}
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/feeds/denials-by-destination.atom?destination=EG", nil))
	if !strings.Contains(rec.Body.String(), "destinations") {
		t.Errorf("the refusal does not name the parameters that exist: %s", rec.Body.String())
	}
}

// The releases feed has an entry per release, newest first, each citing its release,
// linking to its permalink and saying what it revised against the one before.
func TestReleasesFeed(t *testing.T) {
	d := testdb.New(t)
	importFeedRelease(t, d, "feed-r1", "2025-03-31", 0)
	importFeedRelease(t, d, "feed-r2", "2025-09-30", 8)
	h := newHandler(t, d)
	feed, header := getFeed(t, h, "/feeds/releases.atom")
	if header.Get("X-Release") != "feed-r2" || len(feed.Items) != 2 {
		t.Fatalf("X-Release %q, %d entries; want feed-r2 and one entry per release", header.Get("X-Release"), len(feed.Items))
	}
	newer, older := feed.Items[0], feed.Items[1]
	if !strings.HasPrefix(newer.Title, "Release feed-r2: ") || !strings.HasPrefix(older.Title, "Release feed-r1: ") {
		t.Errorf("titles %q, %q; want feed-r2, then feed-r1", newer.Title, older.Title)
	}
	if newer.PublishedParsed == nil || newer.PublishedParsed.Format("2006-01-02") != "2025-09-30" {
		t.Errorf("feed-r2 published %v, want 2025-09-30", newer.PublishedParsed)
	}
	if !strings.HasSuffix(newer.Link, "/releases/feed-r2") || newer.GUID != newer.Link {
		t.Errorf("feed-r2's link %q, id %q; want its permalink for both", newer.Link, newer.GUID)
	}
	u, _ := url.Parse(newer.Link)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", u.RequestURI(), nil))
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"id":"feed-r2"`) {
		t.Errorf("the permalink answers %d: %s", rec.Code, rec.Body.String())
	}
	if !strings.Contains(newer.Content, "Cite: ") || !strings.Contains(newer.Content, "changes against release feed-r1") ||
		!strings.Contains(newer.Content, "2024 ") || strings.Contains(newer.Content, "2023 ") {
		t.Errorf("feed-r2's entry: want its citation and 2024's headline figures revised, 2023's not: %s", newer.Content)
	}
	if !strings.Contains(older.Content, "The first release") {
		t.Errorf("feed-r1's entry: %s", older.Content)
	}
	pinned, header := getFeed(t, h, "/feeds/releases.atom?release=feed-r1")
	if header.Get("X-Release") != "feed-r1" || len(pinned.Items) != 1 || pinned.Items[0].GUID != older.GUID {
		t.Errorf("pinned to feed-r1: X-Release %q, %d entries; want feed-r1's alone", header.Get("X-Release"), len(pinned.Items))
	}
}
