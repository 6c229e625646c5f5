package explore_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/dualuse-transparency/portal/internal/browsertest"
	"github.com/dualuse-transparency/portal/internal/demodata"
	"github.com/dualuse-transparency/portal/internal/explore"
	"github.com/dualuse-transparency/portal/internal/testdb"
	"github.com/dualuse-transparency/portal/internal/web"
)

func TestMain(m *testing.M) { os.Exit(testdb.Main(m)) }

// screenshotVariable names the variable that, set to a file path, makes the browser
// test write a screenshot of the page there (PNG); a relative path is relative to this
// package's folder, so EXPLORE_SCREENSHOT=testdata/explore.png writes
// internal/explore/testdata/explore.png.
const screenshotVariable = "EXPLORE_SCREENSHOT"

// newServer serves the portal's routes (web.NewHandler, which mounts the explore page)
// on a fresh database holding a synthetic release, big enough that many destinations
// have published figures and many are withheld.
func newServer(t *testing.T) *httptest.Server {
	d := testdb.New(t)
	testdb.ImportDemo(t, d, demodata.Options{Seed: 3, Decisions: 60_000})
	schema, err := os.ReadFile("../../schema.graphql")
	if err != nil {
		t.Fatal(err)
	}
	s := httptest.NewServer(web.NewHandler(d, web.Options{Schema: schema, Logger: slog.New(slog.DiscardHandler)}))
	t.Cleanup(s.Close)
	return s
}

// tableRow is a row of one of the page's tables: the header cell's text, then each
// figure's value and status as the cells' data attributes hold them.
type tableRow struct {
	Name     string   `json:"name"`
	Values   []string `json:"values"`
	Statuses []string `json:"statuses"`
}

// readTable is a script that returns the rows of the table with the given id.
func readTable(id string) string {
	return fmt.Sprintf(`[...document.querySelectorAll('#%s tbody tr')].map(tr => ({
		name: tr.querySelector('th').textContent,
		values: [...tr.querySelectorAll('td[data-status]')].map(td => td.dataset.value),
		statuses: [...tr.querySelectorAll('td[data-status]')].map(td => td.dataset.status),
	}))`, id)
}

// In a real headless Chromium with no network but the loopback, against the portal's
// routes on a real database: the map draws one shape per destination with a published
// figure (and one per withheld destination, apart), as the API answers; the table holds
// the figures the CSV link downloads; a change of year with the keyboard fetches and
// draws the other year; a deep link restores its view in the controls, the tables and the
// list; the page fits a phone's screen; the console shows no error, warning or policy violation; and the browser asks for
// nothing but the portal's own addresses.
func TestExploreInBrowser(t *testing.T) {
	browsertest.Chromium(t) // first: a missing browser fails, or skips, before the database is made
	srv := newServer(t)
	shapes := atlasIDs(t)

	browser := browsertest.Start(t, 1280, 900, 120*time.Second)
	ctx, blog, stderr := browser.Ctx, browser.Log, browser.Stderr

	step := func(name string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, actions...); err != nil {
			errs, _ := blog.Snapshot()
			text, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText.slice(0, 3000) : ''`))
			t.Fatalf("%s: %v\nconsole: %q\npage text:\n%s", name, err, errs, text)
		}
	}
	wait := func(expr string) chromedp.Action[chromedp.Void] {
		return chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingTimeout(30*time.Second), chromedp.WithPollingInterval(100*time.Millisecond))
	}
	evaluate := func(expr string, v any) {
		t.Helper()
		raw, err := chromedp.Run(ctx, chromedp.Evaluate[json.RawMessage](expr))
		if err != nil {
			t.Fatalf("%s: %v", expr, err)
		}
		if err := json.Unmarshal(raw, v); err != nil {
			t.Fatalf("%s: %v\n%s", expr, err, raw)
		}
	}
	// Every section has drawn what its last request asked for.
	const settled = `document.body.dataset.ready === 'true' && [...document.querySelectorAll('main section')].every(s => s.getAttribute('aria-busy') === 'false')`

	// The page loads with the latest year of the release, denials, no filter.
	step("load the page",
		chromedp.Navigate(srv.URL+explore.PagePath),
		wait(settled),
	)
	var release string
	evaluate(`document.querySelector('#map .cite a').dataset.release`, &release)
	if !strings.HasPrefix(release, "demo-") {
		t.Fatalf("the page cites release %q", release)
	}
	var state map[string]string
	evaluate(`Object.fromEntries(new URLSearchParams(location.search))`, &state)
	if state["measure"] != "denials" || state["year"] != "2024" || state["release"] != release {
		t.Errorf("the page's URL holds %v, want the default view", state)
	}

	// Accessibility basics: every control has a label, every table a caption, updates are
	// announced, and each chart points at its table.
	var a11y map[string]bool
	evaluate(`({
		labelled: [...document.querySelectorAll('select, input')].every(e => e.labels.length > 0 && e.labels[0].textContent.trim() !== ''),
		captions: [...document.querySelectorAll('main table')].every(t => t.caption && t.caption.textContent.trim() !== ''),
		live: document.querySelector('[aria-live="polite"]') !== null && document.querySelector('[aria-live="polite"]').textContent !== '',
		described: document.querySelector('#map svg[aria-describedby="map-table-caption"]') !== null && document.querySelector('#series svg[aria-describedby="series-table-caption"]') !== null,
		tables: document.querySelectorAll('main table').length >= 3,
	})`, &a11y)
	for k, ok := range a11y {
		if !ok {
			t.Errorf("accessibility: %s fails", k)
		}
	}

	// The map draws a shape per destination with a published figure, and one per
	// withheld destination in the withheld colour; a destination too small for the
	// atlas is listed under the map instead. The denials table lists no destination
	// whose denials are withheld (a row would say "at least one denial"), so its map
	// draws none in the withheld colour.
	checkMap := func(year int, lang string) mapAnswer {
		t.Helper()
		want := denialsByDestination(t, srv.URL, release, year, lang)
		var drawn struct {
			Published []string `json:"published"`
			Withheld  []string `json:"withheld"`
			OffMap    []string `json:"offMap"`
		}
		evaluate(`({
			published: [...document.querySelectorAll('#map svg g.with-data path')].map(p => p.querySelector('title').textContent.split(':')[0].trim()),
			withheld: [...document.querySelectorAll('#map svg g.withheld path')].map(p => p.querySelector('title').textContent.split(':')[0].trim()),
			offMap: [...document.querySelectorAll('#map .off-map [data-code]')].map(s => s.dataset.code),
		})`, &drawn)
		var published, withheld, offMap []string
		for _, r := range want.rows {
			switch {
			case !shapes[r.numeric]:
				if r.denials != nil {
					offMap = append(offMap, r.code)
				}
			case r.denials != nil:
				published = append(published, r.name)
			default:
				withheld = append(withheld, r.name)
			}
		}
		if len(published) < 10 {
			t.Fatalf("%d: the release has %d destinations with published denials on the map: too few to test", year, len(published))
		}
		if len(withheld) > 0 {
			t.Errorf("%d: the API lists destinations with their denials withheld: %q", year, withheld)
		}
		for _, l := range [][]string{published, withheld, offMap, drawn.Published, drawn.Withheld, drawn.OffMap} {
			slices.Sort(l)
		}
		if !slices.Equal(drawn.Published, published) {
			t.Errorf("%d: the map draws %d shapes with data %q; the API publishes denials for %d destinations with a shape: %q", year, len(drawn.Published), drawn.Published, len(published), published)
		}
		if !slices.Equal(drawn.Withheld, withheld) {
			t.Errorf("%d: the map draws withheld shapes %q, the API withholds %q", year, drawn.Withheld, withheld)
		}
		if !slices.Equal(drawn.OffMap, offMap) {
			t.Errorf("%d: listed off the map %q, want %q", year, drawn.OffMap, offMap)
		}
		return want
	}
	first := checkMap(2024, "EN")

	// The table behind the map holds the figures of the CSV link, row by row. The link
	// carries the page's language; a German or French file has the fields' titles for a
	// header, so the same file in English (lang=en) gives the field names of its columns,
	// which are the same columns in the same order.
	checkCSV := func(table, link string, want url.Values, columns []string) []tableRow {
		t.Helper()
		var rows []tableRow
		evaluate(readTable(table), &rows)
		var href string
		evaluate(fmt.Sprintf(`document.querySelector(%q).href`, link), &href)
		u, err := url.Parse(href)
		if err != nil || !strings.HasPrefix(href, srv.URL+"/download/") {
			t.Fatalf("the CSV link is %q", href)
		}
		if got := u.Query(); !equalValues(got, want) {
			t.Errorf("the CSV link %s has parameters %v, want %v", href, got, want)
		}
		records := download(t, href)
		translated, records := records[0], records[1:]
		header := translated
		if lang := u.Query().Get("lang"); lang != "en" {
			en := *u
			q := en.Query()
			q.Set("lang", "en")
			en.RawQuery = q.Encode()
			english := download(t, en.String())
			header = english[0]
			if len(header) != len(translated) || len(english) != len(records)+1 {
				t.Fatalf("%s: the CSV in %s has %d columns and %d rows, in English %d and %d", table, lang, len(translated), len(records), len(header), len(english)-1)
			}
			if slices.Equal(header, translated) {
				t.Errorf("%s: the CSV in %s has the English header %q", table, lang, translated)
			}
		}
		if len(records) != len(rows) {
			t.Fatalf("%s: the table has %d rows, the CSV %d", table, len(rows), len(records))
		}
		col := func(name string) int {
			i := slices.Index(header, name)
			if i < 0 {
				t.Fatalf("the CSV has no column %s: %q", name, header)
			}
			return i
		}
		for i, rec := range records {
			row := rows[i]
			if len(row.Values) != len(columns) {
				t.Fatalf("%s row %d: %d figures, want %d", table, i, len(row.Values), len(columns))
			}
			for j, c := range columns {
				if !sameNumber(row.Values[j], rec[col(c)]) || row.Statuses[j] != rec[col(c+"_status")] {
					t.Errorf("%s row %d (%s) %s: the table shows %q %s, the CSV has %q %s", table, i, row.Name, c, row.Values[j], row.Statuses[j], rec[col(c)], rec[col(c+"_status")])
				}
			}
		}
		return rows
	}
	mapRows := checkCSV("map-table", "#map a.csv", url.Values{"release": {release}, "years": {"2024"}, "lang": {"en"}}, []string{"denials", "applications", "denial_rate"})
	for i, r := range mapRows {
		if first.rows[i].name != r.Name {
			t.Errorf("map table row %d is %s, the API's is %s", i, r.Name, first.rows[i].name)
		}
	}
	checkCSV("series-table", "#series a.csv", url.Values{"release": {release}, "groupBy": {"YEAR,DESTINATION_REGION"}, "lang": {"en"}}, []string{"applications", "issued", "denials"})
	var seriesLines int
	evaluate(`document.querySelectorAll('#series svg g.series path').length`, &seriesLines)
	if seriesLines < 5 {
		t.Errorf("the time series draws %d lines, want one per region", seriesLines)
	}

	// The year changes with the keyboard (the year's select, one down: 2023): the page
	// asks the API for that year, redraws the map and the table, and puts it in its URL.
	_, before := blog.Snapshot()
	step("change the year",
		chromedp.Focus("#year"),
		chromedp.KeyEvent(kb.ArrowDown),
		wait(`document.querySelector('#year').value === '2023'`),
		wait(settled+` && document.querySelector('#map-table caption').textContent.includes('2023')`),
	)
	_, after := blog.Snapshot()
	var asked bool
	for _, u := range after[len(before):] {
		if strings.Contains(u, "/graphql?") && strings.Contains(u, "denialsByDestination") {
			v, _ := url.Parse(u)
			asked = asked || strings.Contains(v.Query().Get("variables"), `"years":[2023]`)
		}
	}
	if !asked {
		t.Errorf("changing the year asked for %q", after[len(before):])
	}
	evaluate(`Object.fromEntries(new URLSearchParams(location.search))`, &state)
	if state["year"] != "2023" {
		t.Errorf("after the change, the URL holds %v", state)
	}
	checkMap(2023, "EN")
	newRows := checkCSV("map-table", "#map a.csv", url.Values{"release": {release}, "years": {"2023"}, "lang": {"en"}}, []string{"denials", "applications", "denial_rate"})
	if fmt.Sprint(newRows) == fmt.Sprint(mapRows) {
		t.Errorf("the table is the same for 2023 as for 2024")
	}

	if path := os.Getenv(screenshotVariable); path != "" {
		step("take a screenshot",
			chromedp.EmulateViewport(1280, 1180),
			chromedp.Evaluate[chromedp.Void](`document.activeElement.blur(); window.scrollTo(0, 0)`),
			chromedp.Sleep(500*time.Millisecond),
		)
		png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, png, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote a screenshot to %s", path)
	}

	// A deep link: applications in 2020 by Germany's authority, items other than
	// cyber-surveillance items, and the list on 30 June 2022.
	deep := srv.URL + explore.PagePath + "?measure=applications&year=2020&memberState=DE&items=other&asOf=2022-06-30"
	step("open a deep link", chromedp.Navigate(deep), wait(settled))
	var controls map[string]string
	evaluate(`Object.fromEntries([...document.querySelectorAll('#controls select, #asOf')].map(e => [e.id, e.value]))`, &controls)
	for k, v := range map[string]string{"measure": "applications", "year": "2020", "memberState": "DE", "items": "other", "catchAll": "", "asOf": "2022-06-30"} {
		if controls[k] != v {
			t.Errorf("the deep link sets %s to %q, want %q", k, controls[k], v)
		}
	}
	var caption string
	evaluate(`document.querySelector('#map-table caption').textContent`, &caption)
	if !strings.Contains(caption, "Applications") || !strings.Contains(caption, "2020") || !strings.Contains(caption, "Germany") || !strings.Contains(caption, "Other items") {
		t.Errorf("after the deep link, the map table's caption is %q", caption)
	}
	deepRows := checkCSV("map-table", "#map a.csv", url.Values{
		"release": {release}, "years": {"2020"}, "memberStates": {"DE"}, "cyberSurveillance": {"false"},
		"groupBy": {"DESTINATION"}, "orderBy": {"APPLICATIONS"}, "lang": {"en"},
	}, []string{"applications", "issued", "denials"})
	if len(deepRows) < 10 {
		t.Errorf("the deep link's table has %d rows", len(deepRows))
	}
	// A destination with applications but few denials: its denials show as withheld.
	withheldShown := slices.ContainsFunc(deepRows, func(r tableRow) bool { return r.Statuses[2] == "CONFIDENTIAL" })
	var withheldText []string
	evaluate(`[...document.querySelectorAll('#map-table td[data-status="CONFIDENTIAL"]')].map(td => td.textContent)`, &withheldText)
	if !withheldShown || len(withheldText) == 0 || slices.ContainsFunc(withheldText, func(s string) bool { return s != "withheld" }) {
		t.Errorf("withheld figures show as %q", withheldText)
	}
	wantList := surveillanceListCount(t, srv.URL, release, "2022-06-30")
	var listRows int
	evaluate(`document.querySelectorAll('#list-table tbody tr').length`, &listRows)
	if listRows != wantList || listRows == 0 {
		t.Errorf("the list on 2022-06-30 shows %d items, the API %d", listRows, wantList)
	}
	evaluate(`Object.fromEntries(new URLSearchParams(location.search))`, &state)
	if state["measure"] != "applications" || state["memberState"] != "DE" || state["asOf"] != "2022-06-30" || state["release"] != release {
		t.Errorf("after the deep link, the URL holds %v", state)
	}

	// In German (?lang=de): the page's words, the names of countries, regions and Member
	// States, the labels of the API's enum values and the CSV link are German, and
	// numbers are written the German way.
	step("open the page in German", chromedp.Navigate(srv.URL+explore.PagePath+"?lang=de"), wait(settled))
	var de pageText
	evaluate(pageTextScript, &de)
	for k, v := range map[string]string{
		"htmlLang": "de", "switcher": "de", "urlLang": "de",
		"title":         "Ausfuhrgenehmigungen für Güter mit doppeltem Verwendungszweck in der EU erkunden",
		"h1":            "Ausfuhrgenehmigungen für Güter mit doppeltem Verwendungszweck in der EU erkunden",
		"switcherLabel": "Sprache", "measureLabel": "Kennzahl", "yearLabel": "Jahr", "memberStateLabel": "Mitgliedstaat",
		"allMemberStates": "Alle Mitgliedstaaten", "mapHeading": "Nach Bestimmungsland",
	} {
		if de.Texts[k] != v {
			t.Errorf("in German, %s is %q, want %q", k, de.Texts[k], v)
		}
	}
	wantDE := denialsByDestination(t, srv.URL, release, 2024, "DE")
	var deNames []string
	evaluate(`[...document.querySelectorAll('#map-table tbody th')].map(th => th.textContent)`, &deNames)
	if len(deNames) != len(wantDE.rows) {
		t.Fatalf("in German, the map table has %d rows, the API %d", len(deNames), len(wantDE.rows))
	}
	for i, r := range wantDE.rows {
		if deNames[i] != r.name {
			t.Errorf("in German, map table row %d is %q, the API's German name is %q", i, deNames[i], r.name)
		}
	}
	if !slices.Contains(deNames, "Russland") && !slices.Contains(deNames, "Vereinigte Arabische Emirate") {
		t.Errorf("in German, the map table has neither Russland nor Vereinigte Arabische Emirate: %q", deNames)
	}
	if slices.Contains(deNames, "Russia") || slices.Contains(deNames, "United Arab Emirates") {
		t.Errorf("in German, the map table has English names: %q", deNames)
	}
	checkMap(2024, "DE")
	for _, want := range [][2]string{
		{"regions", "Afrika"}, {"regions", "Asien"},
		{"catchAlls", "Güter für digitale Überwachung (Artikel 5)"},
		{"origins", "Nummer in Anhang I"},
		{"withheld", "zurückgehalten"},
		{"memberStates", "Deutschland"},
	} {
		if !slices.Contains(de.Lists[want[0]], want[1]) {
			t.Errorf("in German, %s lack %q: %q", want[0], want[1], de.Lists[want[0]])
		}
	}
	for _, w := range de.Lists["withheld"] {
		if w != "zurückgehalten" {
			t.Errorf("in German, a withheld figure shows as %q", w)
		}
	}
	germanPercent := regexp.MustCompile(`^≈ \d+(,\d+)?[\x{a0}\x{202f} ]%$`)
	if len(de.Lists["rates"]) == 0 || !slices.ContainsFunc(de.Lists["rates"], germanPercent.MatchString) || slices.ContainsFunc(de.Lists["rates"], func(s string) bool { return strings.Contains(s, ".") }) {
		t.Errorf("in German, denial rates show as %q, want German numbers such as ≈ 12,5 %%", de.Lists["rates"])
	}
	checkCSV("map-table", "#map a.csv", url.Values{"release": {release}, "years": {"2024"}, "lang": {"de"}}, []string{"denials", "applications", "denial_rate"})
	checkCSV("series-table", "#series a.csv", url.Values{"release": {release}, "groupBy": {"YEAR,DESTINATION_REGION"}, "lang": {"de"}}, []string{"applications", "issued", "denials"})
	var listCSV string
	evaluate(`document.querySelector('#list a.csv').href`, &listCSV)
	if u, err := url.Parse(listCSV); err != nil || u.Query().Get("lang") != "de" {
		t.Errorf("in German, the list's CSV link is %s", listCSV)
	}

	// The switcher, with the keyboard (one down from Deutsch: Français), puts the
	// language in the URL, keeps the view, and loads the page in French.
	step("switch to French", chromedp.Focus("#lang"), chromedp.KeyEvent(kb.ArrowDown))
	// The page loads again: until the new document answers, a script may find no page.
	for deadline := time.Now().Add(30 * time.Second); ; {
		done, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.lang === 'fr' && document.body !== null && `+settled))
		if err == nil && done {
			break
		}
		if time.Now().After(deadline) {
			errs, _ := blog.Snapshot()
			t.Fatalf("switching to French: the page did not load in French (last error %v)\nconsole: %q", err, errs)
		}
		time.Sleep(100 * time.Millisecond)
	}
	var fr pageText
	evaluate(pageTextScript, &fr)
	evaluate(`Object.fromEntries(new URLSearchParams(location.search))`, &state)
	if state["lang"] != "fr" || state["release"] != release || state["measure"] != "denials" || state["year"] != "2024" {
		t.Errorf("after switching to French, the URL holds %v", state)
	}
	if fr.Texts["switcher"] != "fr" || fr.Texts["measureLabel"] != "Indicateur" || fr.Texts["memberStateLabel"] != "État membre" || !slices.Contains(fr.Lists["regions"], "Afrique") {
		t.Errorf("after switching to French, the page shows %v", fr)
	}

	// With no ?lang=, the page speaks the language of Accept-Language, and leaves the
	// URL without one.
	if _, err := chromedp.Call(ctx, network.SetExtraHTTPHeaders, network.SetExtraHTTPHeadersParams{Headers: network.Headers{"Accept-Language": "fr-BE, fr;q=0.9, en;q=0.5"}}); err != nil {
		t.Fatal(err)
	}
	step("open the page with Accept-Language: fr", chromedp.Navigate(srv.URL+explore.PagePath), wait(settled))
	fr = pageText{}
	evaluate(pageTextScript, &fr)
	for k, v := range map[string]string{
		"htmlLang": "fr", "switcher": "fr", "urlLang": "",
		"title":         "Explorer les autorisations d’exportation de biens à double usage dans l’UE",
		"h1":            "Explorer les autorisations d’exportation de biens à double usage dans l’UE",
		"switcherLabel": "Langue", "measureLabel": "Indicateur", "yearLabel": "Année", "memberStateLabel": "État membre",
		"allMemberStates": "Tous les États membres", "mapHeading": "Par pays de destination",
	} {
		if fr.Texts[k] != v {
			t.Errorf("with Accept-Language: fr, %s is %q, want %q", k, fr.Texts[k], v)
		}
	}
	for _, want := range [][2]string{
		{"regions", "Afrique"}, {"regions", "Asie"},
		{"catchAlls", "Biens de cybersurveillance (article 5)"},
		{"origins", "Rubrique de l'annexe I"},
		{"withheld", "non publié"},
		{"memberStates", "Allemagne"},
	} {
		if !slices.Contains(fr.Lists[want[0]], want[1]) {
			t.Errorf("with Accept-Language: fr, %s lack %q: %q", want[0], want[1], fr.Lists[want[0]])
		}
	}
	wantFR := denialsByDestination(t, srv.URL, release, 2024, "FR")
	var frNames []string
	evaluate(`[...document.querySelectorAll('#map-table tbody th')].map(th => th.textContent)`, &frNames)
	if len(frNames) != len(wantFR.rows) || !slices.Contains(frNames, "Russie") && !slices.Contains(frNames, "Émirats arabes unis") {
		t.Errorf("with Accept-Language: fr, the map table has %q", frNames)
	}
	checkMap(2024, "FR")
	checkCSV("map-table", "#map a.csv", url.Values{"release": {release}, "years": {"2024"}, "lang": {"fr"}}, []string{"denials", "applications", "denial_rate"})
	if _, err := chromedp.Call(ctx, network.SetExtraHTTPHeaders, network.SetExtraHTTPHeadersParams{Headers: network.Headers{}}); err != nil {
		t.Fatal(err)
	}

	// On a phone's screen the page fits its width, and the charts are redrawn to it.
	step("turn into a phone",
		chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2)),
		wait(`Number(document.querySelector('#map .chart').dataset.width) <= 390 && Number(document.querySelector('#series .chart').dataset.width) <= 390`),
	)
	var fits map[string]float64
	evaluate(`({page: document.documentElement.scrollWidth, window: window.innerWidth, map: document.querySelector('#map svg[aria-describedby]').getBoundingClientRect().width})`, &fits)
	if fits["page"] > fits["window"] || fits["map"] > fits["window"] || fits["window"] > 390 {
		t.Errorf("on a phone, the page is %v wide, the map %v, the window %v", fits["page"], fits["map"], fits["window"])
	}

	violations, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`window.__violations`))
	if err != nil {
		t.Fatal(err)
	}
	errs, requests := blog.Snapshot()
	if len(violations) > 0 {
		t.Errorf("Content-Security-Policy violations: %q", violations)
	}
	if len(errs) > 0 {
		t.Errorf("the console shows errors or warnings:\n%s", strings.Join(errs, "\n"))
	}
	for _, u := range requests {
		if !strings.HasPrefix(u, srv.URL+"/") && !strings.HasPrefix(u, "data:") {
			t.Errorf("the browser asked for %s", u)
		}
	}
	if t.Failed() {
		t.Logf("Chromium's output:\n%s", stderr.String())
	}
}

// pageText is what the language checks read of the page: single texts by name, and
// lists of texts by name.
type pageText struct {
	Texts map[string]string   `json:"texts"`
	Lists map[string][]string `json:"lists"`
}

// pageTextScript reads the page's language, its first words, its controls' labels and
// what the API gave in the page's language: region, Member State and catch-all names,
// list origins, withheld cells (and the map legend's word for them) and denial rates
// (as shown).
const pageTextScript = `(() => {
	const label = (id) => document.querySelector('label[for="' + id + '"]').textContent;
	const texts = (sel) => [...document.querySelectorAll(sel)].map(e => e.textContent);
	return { texts: {
		htmlLang: document.documentElement.lang,
		urlLang: new URLSearchParams(location.search).get('lang') || '',
		title: document.title,
		h1: document.querySelector('h1').textContent,
		switcher: document.querySelector('#lang').value,
		switcherLabel: label('lang'),
		measureLabel: label('measure'),
		yearLabel: label('year'),
		memberStateLabel: label('memberState'),
		allMemberStates: document.querySelector('#memberState option[value=""]').textContent,
		mapHeading: document.querySelector('#map-heading').textContent,
	}, lists: {
			regions: texts('#series-table tbody td:nth-child(2)'),
			memberStates: texts('#memberState option'),
			catchAlls: texts('#catchAll option'),
			origins: texts('#list-table tbody td:nth-child(2)'),
			withheld: texts('main td[data-status="CONFIDENTIAL"], #map .swatches li:first-child'),
			rates: texts('#map-table tbody tr td:nth-child(4)[data-status="PERTURBED"]'),
	} };
})()`

// atlasIDs returns the ISO numeric codes that the served country shapes have.
func atlasIDs(t *testing.T) map[string]bool {
	b, err := os.ReadFile("dist/" + explore.Bundle().Atlas)
	if err != nil {
		t.Fatal(err)
	}
	var topology struct {
		Objects struct {
			Countries struct {
				Geometries []struct {
					ID string `json:"id"`
				} `json:"geometries"`
			} `json:"countries"`
		} `json:"objects"`
	}
	if err := json.Unmarshal(b, &topology); err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, g := range topology.Objects.Countries.Geometries {
		if g.ID != "" {
			ids[g.ID] = true
		}
	}
	if len(ids) < 150 {
		t.Fatalf("the atlas has %d countries", len(ids))
	}
	return ids
}

type mapRow struct {
	code, name, numeric string
	denials             *float64
}

type mapAnswer struct{ rows []mapRow }

// denialsByDestination asks the API, as any client would, for a year's denials, with
// the destinations' names in a language (EN, DE, FR).
func denialsByDestination(t *testing.T, base, release string, year int, lang string) mapAnswer {
	var data struct {
		DenialsByDestination struct {
			Rows []struct {
				Destination struct{ Code, Name, NumericCode string }
				Denials     struct{ Value *float64 }
			}
			PageInfo struct{ HasNextPage bool }
		}
	}
	query(t, base, `query($r: ID, $y: Int!, $l: Lang) { denialsByDestination(release: $r, filter: {years: [$y]}, first: 1000) {
		rows { destination { code name(lang: $l) numericCode } denials { value } } pageInfo { hasNextPage } } }`,
		map[string]any{"r": release, "y": year, "l": lang}, &data)
	if data.DenialsByDestination.PageInfo.HasNextPage {
		t.Fatal("more than 1000 destinations")
	}
	var out mapAnswer
	for _, r := range data.DenialsByDestination.Rows {
		out.rows = append(out.rows, mapRow{r.Destination.Code, r.Destination.Name, r.Destination.NumericCode, r.Denials.Value})
	}
	return out
}

func surveillanceListCount(t *testing.T, base, release, asOf string) int {
	var data struct {
		SurveillanceList struct{ Items []struct{ ID string } }
	}
	query(t, base, `query($r: ID, $d: Date) { surveillanceList(release: $r, asOf: $d) { items { id } } }`, map[string]any{"r": release, "d": asOf}, &data)
	return len(data.SurveillanceList.Items)
}

// query runs a GraphQL query over GET and decodes its data.
func query(t *testing.T, base, q string, variables map[string]any, data any) {
	t.Helper()
	vars, _ := json.Marshal(variables)
	resp, err := http.Get(base + "/graphql?" + url.Values{"query": {q}, "variables": {string(vars)}}.Encode())
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct {
		Data   json.RawMessage
		Errors []struct{ Message string }
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	if len(body.Errors) > 0 {
		t.Fatalf("%s: %v", q, body.Errors)
	}
	if err := json.Unmarshal(body.Data, data); err != nil {
		t.Fatal(err)
	}
}

func download(t *testing.T, href string) [][]string {
	t.Helper()
	resp, err := http.Get(href)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s", href, resp.Status)
	}
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	// A byte order mark, for spreadsheets, is not part of the first column's name.
	body = bytes.TrimPrefix(body, []byte("\ufeff"))
	records, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
	if err != nil || len(records) == 0 {
		t.Fatalf("GET %s: %v, %d records", href, err, len(records))
	}
	return records
}

// sameNumber compares a figure as the page holds it (JavaScript's String of a number)
// with the CSV's (Go's shortest form); empty is withheld in both.
func sameNumber(a, b string) bool {
	if a == "" || b == "" {
		return a == b
	}
	x, err1 := strconv.ParseFloat(a, 64)
	y, err2 := strconv.ParseFloat(b, 64)
	return err1 == nil && err2 == nil && x == y
}

func equalValues(a, b url.Values) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if !slices.Equal(v, b[k]) {
			return false
		}
	}
	return true
}
