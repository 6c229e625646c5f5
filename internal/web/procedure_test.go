package web_test

import (
	"encoding/csv"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/client"
	"github.com/mmcdole/gofeed"

	"github.com/dualuse-transparency/portal/internal/demodata"
	"github.com/dualuse-transparency/portal/internal/testdb"
)

// procedureHandler serves the demo of the default publication date, whose history has
// both procedures, the blocking-minority case, a two-version item and a member that
// left inside an objection window.
func procedureHandler(t *testing.T) http.Handler {
	t.Helper()
	d := testdb.New(t)
	testdb.ImportDemo(t, d, demodata.Options{Seed: 5, Decisions: 500})
	return newHandler(t, d)
}

type notification struct {
	ID, Procedure, Status, Explanation, LegalReference string
	NotifyingState                                     struct{ Code string }
	Rule                                               struct{ Name, Rule, Source string }
	Tally                                              *struct {
		Rule                              string
		Eligible, Objecting, NotObjecting int
		BlockingMinimum                   int
		DeemedAttained, QualifiedMajority bool
		PopulationShare                   float64
		PopulationYear                    int
		PopulationSource                  string
		PopulationNote                    *string
		Ignored                           []struct{ State, Reason string }
	}
	Agreement *struct {
		Rule      string
		Eligible  int
		Missing   []string
		AllAgreed bool
	}
	ListItem *struct{ LegalReference string }
}

const notificationFields = `id procedure status explanation legalReference notifyingState { code }
	rule { name rule source }
	tally { rule eligible objecting notObjecting blockingMinimum deemedAttained qualifiedMajority populationShare
	        populationYear populationSource populationNote ignored { state reason } }
	agreement { rule eligible missing allAgreed }
	listItem { legalReference }`

func notifications(t *testing.T, h http.Handler) map[string]notification {
	t.Helper()
	var resp struct{ CatchAllNotifications []notification }
	client.New(h, client.Path("/graphql")).MustPost(`{ catchAllNotifications(asOf: "2025-06-30") { `+notificationFields+` } }`, &resp)
	byID := map[string]notification{}
	for _, n := range resp.CatchAllNotifications {
		byID[n.ID] = n
	}
	return byID
}

// Luxembourg notifies; every other Member State objects but Germany, France and Italy,
// who hold more than 35 % of the others' population: three members cannot block (the
// fewest holding more than 35 % are those three, plus one makes four), so under
// Article 238(3)(a) TFEU the qualified majority is deemed attained and nothing is listed.
func TestBlockingMinorityClauseThroughTheAPI(t *testing.T) {
	h := procedureHandler(t)
	n, ok := notifications(t, h)["SYN-2024-03"]
	if !ok {
		t.Fatal("the demo has no SYN-2024-03")
	}
	tl := n.Tally
	if n.Procedure != "EP_POSITION_2018" || n.NotifyingState.Code != "LU" || tl == nil {
		t.Fatalf("SYN-2024-03: %+v; want Luxembourg's notification under the 2018 position, with a tally", n)
	}
	if n.Status != "OBJECTED" || !tl.DeemedAttained || !tl.QualifiedMajority || tl.Objecting != 23 || tl.NotObjecting != 3 ||
		tl.BlockingMinimum != 4 || tl.PopulationShare >= 0.65 {
		t.Errorf("SYN-2024-03: status %s, tally %+v; want OBJECTED, 23 objecting at under 65 %% of the population, 3 not objecting against 4 needed: deemed attained",
			n.Status, tl)
	}
	for _, text := range []string{n.Explanation, tl.Rule} {
		if !strings.Contains(text, "Article 238(3)(a) TFEU") {
			t.Errorf("%q does not name Article 238(3)(a) TFEU", text)
		}
	}
	if !strings.Contains(n.Explanation, "deemed attained") || !strings.Contains(n.Explanation, "fewer than the 4 members a blocking minority needs") {
		t.Errorf("explanation %q does not say why the qualified majority is deemed attained", n.Explanation)
	}
	if tl.PopulationYear != 2024 || !strings.Contains(tl.PopulationSource, "Council") || tl.PopulationNote != nil {
		t.Errorf("population figures: %d, %q, note %v; want 2024's, the Council's where known, no note", tl.PopulationYear, tl.PopulationSource, tl.PopulationNote)
	}
}

// The United Kingdom objected to a notification whose deadline came after it left the
// Union: it was not one of the others on the deadline, so its objection is shown and
// does not count.
func TestMemberLeavingInsideTheWindow(t *testing.T) {
	n := notifications(t, procedureHandler(t))["SYN-2020-01"]
	if n.Tally == nil || n.Tally.Eligible != 26 {
		t.Fatalf("SYN-2020-01: %+v; want a tally of the 26 members on the deadline", n)
	}
	ignored := false
	for _, i := range n.Tally.Ignored {
		ignored = ignored || i.State == "GB" && i.Reason == "not a Member State on the deadline"
	}
	if !ignored {
		t.Errorf("SYN-2020-01 ignored %+v; want GB's objection ignored: not a Member State on the deadline", n.Tally.Ignored)
	}
}

// No answer names a legal basis that does not contain the rule applied: a notification
// under the 2018 position never cites Article 5 of Regulation (EU) 2021/821 (which has no
// objection vote), and one under Article 5 never cites the qualified majority.
func TestEveryTallyNamesTheRuleItApplied(t *testing.T) {
	byID := notifications(t, procedureHandler(t))
	seen := map[string]int{}
	for id, n := range byID {
		seen[n.Procedure]++
		texts := []string{n.Explanation, n.LegalReference, n.Rule.Rule, n.Rule.Source, n.Rule.Name}
		if n.ListItem != nil {
			texts = append(texts, n.ListItem.LegalReference)
		}
		switch n.Procedure {
		case "EP_POSITION_2018":
			if n.Tally == nil || n.Agreement != nil {
				t.Errorf("%s: tally %v, agreement %v; want a qualified-majority tally only", id, n.Tally, n.Agreement)
				continue
			}
			texts = append(texts, n.Tally.Rule)
			for _, text := range texts {
				if strings.Contains(text, "2021/821") && strings.Contains(text, "Article 5") {
					t.Errorf("%s (2018 position): %q cites Article 5 of Regulation (EU) 2021/821", id, text)
				}
			}
			if !strings.Contains(n.Rule.Source, "17 January 2018") || !strings.Contains(n.Tally.Rule, "238(3)(a)") {
				t.Errorf("%s: rule %+v, tally rule %q", id, n.Rule, n.Tally.Rule)
			}
		case "REGULATION_2021_821_ARTICLE_5":
			if n.Agreement == nil || n.Tally != nil {
				t.Errorf("%s: tally %v, agreement %v; want an agreement tally only", id, n.Tally, n.Agreement)
				continue
			}
			texts = append(texts, n.Agreement.Rule)
			for _, text := range texts {
				if strings.Contains(text, "238") || strings.Contains(strings.ToLower(text), "qualified majority") {
					t.Errorf("%s (Article 5): %q cites a qualified majority", id, text)
				}
			}
			if !strings.Contains(n.Agreement.Rule, "Article 5 of Regulation (EU) 2021/821") {
				t.Errorf("%s: agreement rule %q", id, n.Agreement.Rule)
			}
			if n.Status == "OBJECTED" {
				t.Errorf("%s: OBJECTED under Article 5, which has no objection", id)
			}
		default:
			t.Errorf("%s: procedure %q", id, n.Procedure)
		}
	}
	if seen["EP_POSITION_2018"] == 0 || seen["REGULATION_2021_821_ARTICLE_5"] == 0 {
		t.Errorf("procedures in the demo: %v; want both", seen)
	}
	var resp struct {
		CatchAllProcedures []struct{ Procedure, Rule, Summary string }
	}
	client.New(procedureHandler(t), client.Path("/graphql")).MustPost(`{ catchAllProcedures { procedure rule summary } }`, &resp)
	if len(resp.CatchAllProcedures) != 2 {
		t.Errorf("catchAllProcedures: %+v", resp.CatchAllProcedures)
	}
}

type listedItem struct {
	ID           string
	Description  string
	Destinations []struct{ Code string }
	AmendedOn    *string
	Amendment    *string
	Versions     []struct{ ValidFrom string }
}

func codesOf(cs []struct{ Code string }) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Code)
	}
	slices.Sort(out)
	return out
}

// The list on a day between two versions of an item shows the earlier scope, and no
// sign of the later amendment, in GraphQL and in both downloads; the changes report the
// amendment with the scope before and after.
func TestListHistoryBetweenVersions(t *testing.T) {
	h := procedureHandler(t)
	c := client.New(h, client.Path("/graphql"))
	const item = "EUL-2021-01"
	var resp struct {
		Before, After struct{ Items []listedItem }
		Item          listedItem
		Changes       []struct {
			Kind          string
			Item          struct{ ID string }
			Before, After *struct{ Destinations []struct{ Code string } }
		}
	}
	fields := `id description destinations { code } amendedOn amendment versions { validFrom }`
	c.MustPost(`{
		before: surveillanceList(asOf: "2022-06-01") { items { `+fields+` } }
		after: surveillanceList(asOf: "2023-06-01") { items { `+fields+` } }
		item: surveillanceItem(id: "`+item+`", asOf: "2022-06-01") { `+fields+` }
		changes: surveillanceListChanges(from: "2023-01-01", to: "2023-12-31") {
			kind item { id } before { destinations { code } } after { destinations { code } }
		}
	}`, &resp)
	find := func(items []listedItem) listedItem {
		for _, i := range items {
			if i.ID == item {
				return i
			}
		}
		t.Fatalf("%s is not on the list", item)
		return listedItem{}
	}
	earlier, later := []string{"AE", "EG", "SA"}, []string{"AE", "BH", "EG", "OM", "QA", "SA"}
	for name, got := range map[string]listedItem{"list of 2022-06-01": find(resp.Before.Items), "item as of 2022-06-01": resp.Item} {
		if !slices.Equal(codesOf(got.Destinations), earlier) || got.AmendedOn != nil || got.Amendment != nil || len(got.Versions) != 1 {
			t.Errorf("%s: %+v; want EG, SA and AE, no amendment, one version", name, got)
		}
	}
	if got := find(resp.After.Items); !slices.Equal(codesOf(got.Destinations), later) || got.AmendedOn == nil || *got.AmendedOn != "2023-03-14" || len(got.Versions) != 2 {
		t.Errorf("list of 2023-06-01: %+v; want the six destinations, amended on 2023-03-14, two versions", got)
	}
	amended := false
	for _, ch := range resp.Changes {
		if ch.Kind == "AMENDED" && ch.Item.ID == item {
			amended = ch.Before != nil && ch.After != nil &&
				slices.Equal(codesOf(ch.Before.Destinations), earlier) && slices.Equal(codesOf(ch.After.Destinations), later)
		}
	}
	if !amended {
		t.Errorf("changes of 2023: %+v; want %s AMENDED with the scope before and after", resp.Changes, item)
	}

	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/download/surveillance-list.csv?asOf=2022-06-01", nil))
	rows, err := csv.NewReader(rec.Body).ReadAll()
	if err != nil || len(rows) < 2 {
		t.Fatalf("CSV: %v, %d rows", err, len(rows))
	}
	col := map[string]int{}
	for i, name := range rows[0] {
		col[name] = i
	}
	found := false
	for _, r := range rows[1:] {
		if r[col["id"]] == item {
			found = true
			if r[col["destinations"]] != "EG;SA;AE" || r[col["amended_on"]] != "" || r[col["amendment"]] != "" {
				t.Errorf("CSV row %v; want destinations EG;SA;AE and no amendment", r)
			}
		}
	}
	if !found {
		t.Errorf("CSV of 2022-06-01 lacks %s", item)
	}
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/download/surveillance-list.json?asOf=2022-06-01", nil))
	var doc struct {
		Items []struct {
			ID           string
			Destinations []string
			AmendedOn    string
		}
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	for _, i := range doc.Items {
		if i.ID == item && (!slices.Equal(i.Destinations, []string{"EG", "SA", "AE"}) || i.AmendedOn != "") {
			t.Errorf("JSON item %+v; want EG, SA, AE and no amendment", i)
		}
	}
}

// The Atom feed of the list has one entry per listing, amendment and removal, each with
// a stable id, and parses as Atom.
func TestListFeed(t *testing.T) {
	h := procedureHandler(t)
	var resp struct {
		SurveillanceListChanges []struct{ Kind string }
	}
	client.New(h, client.Path("/graphql")).MustPost(`{ surveillanceListChanges(from: "2000-01-01", to: "2025-06-30") { kind } }`, &resp)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/feeds/surveillance-list.atom", nil))
	if rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/atom+xml") {
		t.Fatalf("status %d, type %q", rec.Code, rec.Header().Get("Content-Type"))
	}
	feed, err := gofeed.NewParser().ParseString(rec.Body.String())
	if err != nil {
		t.Fatalf("the feed does not parse: %v", err)
	}
	if feed.FeedType != "atom" || len(feed.Items) != len(resp.SurveillanceListChanges) {
		t.Fatalf("%s feed with %d entries; want Atom with one per change, %d", feed.FeedType, len(feed.Items), len(resp.SurveillanceListChanges))
	}
	ids := map[string]bool{}
	kinds := map[string]int{}
	for _, it := range feed.Items {
		if ids[it.GUID] || it.GUID == "" || it.UpdatedParsed == nil || it.Link == "" {
			t.Errorf("entry %q: id %q repeated or missing, updated %v, link %q", it.Title, it.GUID, it.UpdatedParsed, it.Link)
		}
		ids[it.GUID] = true
		kinds[strings.SplitN(it.Title, ":", 2)[0]]++
	}
	for _, k := range []string{"Listed", "Amended", "Removed"} {
		if kinds[k] == 0 {
			t.Errorf("no %s entry in the feed: %v", k, kinds)
		}
	}
	for i := 1; i < len(feed.Items); i++ {
		if feed.Items[i].UpdatedParsed.After(*feed.Items[i-1].UpdatedParsed) {
			t.Errorf("entries not newest first at %d", i)
			break
		}
	}
}
