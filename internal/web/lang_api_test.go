package web_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/client"

	"github.com/dualuse-transparency/portal/internal/demodata"
	"github.com/dualuse-transparency/portal/internal/testdb"
)

// The API's three languages: every enum value has a label in each, every reference
// type a name, and notes and explanations come back in the language asked for.

type introspected struct {
	Schema struct {
		Types []struct {
			Kind, Name string
			EnumValues []struct{ Name string }
			Fields     []struct {
				Name string
				Args []struct{ Name string }
				Type typeRef
			}
		}
	} `json:"__schema"`
}

type typeRef struct {
	Kind   string
	Name   *string
	OfType *typeRef
}

// named is the type a reference wraps in NON_NULL and LIST.
func (t typeRef) named() (kind, name string) {
	for t.OfType != nil {
		t = *t.OfType
	}
	if t.Name != nil {
		name = *t.Name
	}
	return t.Kind, name
}

const introspectionQuery = `{ __schema { types { kind name enumValues { name }
	fields { name args { name } type { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } }`

func TestLangEveryEnumValueHasALabel(t *testing.T) {
	c := newClient(t)
	var schema introspected
	c.MustPost(introspectionQuery, &schema)
	type label struct{ Enum, Value, Label, Language string }
	labels := map[string]map[string]label{}
	for _, lang := range []string{"EN", "DE", "FR"} {
		var resp struct{ EnumLabels []label }
		c.MustPost(fmt.Sprintf(`{ enumLabels(lang: %s) { enum value label language } }`, lang), &resp)
		labels[lang] = map[string]label{}
		for _, l := range resp.EnumLabels {
			labels[lang][l.Enum+"."+l.Value] = l
		}
	}
	enums := 0
	for _, ty := range schema.Schema.Types {
		if ty.Kind != "ENUM" || strings.HasPrefix(ty.Name, "__") {
			continue
		}
		enums++
		for _, v := range ty.EnumValues {
			key := ty.Name + "." + v.Name
			en := labels["EN"][key]
			for _, lang := range []string{"EN", "DE", "FR"} {
				l, ok := labels[lang][key]
				if !ok || l.Label == "" || l.Language != lang {
					t.Errorf("%s: no %s label (%+v)", key, lang, l)
				}
			}
			if de, fr := labels["DE"][key].Label, labels["FR"][key].Label; de == fr && de == en.Label && en.Label != "" {
				t.Errorf("%s: the same label %q in English, German and French", key, de)
			}
		}
	}
	if enums < 18 {
		t.Fatalf("introspection found %d enums, want the schema's 18 or more", enums)
	}
	for key, want := range map[string][3]string{
		"Outcome.DENIED":         {"Denied", "Verweigert", "Refusée"},
		"MeasureStatus.OFFICIAL": {"Official", "Amtlich", "Officiel"},
		"Lang.DE":                {"German", "Deutsch", "Allemand"},
	} {
		for i, lang := range []string{"EN", "DE", "FR"} {
			if got := labels[lang][key].Label; got != want[i] {
				t.Errorf("%s in %s = %q, want %q", key, lang, got, want[i])
			}
		}
	}
	var bad struct{ EnumLabels []label }
	if err := c.Post(`{ enumLabels(enum: "NoSuchEnum") { value } }`, &bad); err == nil || !strings.Contains(err.Error(), "NoSuchEnum") {
		t.Errorf("enumLabels(enum: NoSuchEnum) = %v, want an error naming it", err)
	}
}

// Every enum value the API returns has a label field beside it, taking lang.
func TestLangEveryReturnedEnumHasALabelField(t *testing.T) {
	var schema introspected
	newClient(t).MustPost(introspectionQuery, &schema)
	checked := 0
	for _, ty := range schema.Schema.Types {
		if ty.Kind != "OBJECT" || strings.HasPrefix(ty.Name, "__") {
			continue
		}
		fields := map[string][]string{}
		for _, f := range ty.Fields {
			for _, a := range f.Args {
				fields[f.Name] = append(fields[f.Name], a.Name)
			}
			if _, ok := fields[f.Name]; !ok {
				fields[f.Name] = []string{}
			}
		}
		for _, f := range ty.Fields {
			kind, name := f.Type.named()
			if kind != "ENUM" || f.Name == "nameLanguage" || f.Name == "descriptionLanguage" || f.Name == "language" {
				continue // a Lang says which language a text is in
			}
			want := f.Name + "Label"
			if f.Name == "groupBy" {
				want = "groupByLabels"
			}
			args, ok := fields[want]
			if !ok || len(args) != 1 || args[0] != "lang" {
				t.Errorf("%s.%s (%s): no %s(lang:) beside it", ty.Name, f.Name, name, want)
			}
			checked++
		}
	}
	if checked < 15 {
		t.Errorf("checked %d enum fields, want the 15 or more the API returns", checked)
	}
}

func TestLangNamesOfEveryReferenceType(t *testing.T) {
	c := newClient(t)
	var schema introspected
	c.MustPost(introspectionQuery, &schema)
	withName := map[string]bool{}
	for _, ty := range schema.Schema.Types {
		for _, f := range ty.Fields {
			if f.Name == "name" && ty.Kind == "OBJECT" && !strings.HasPrefix(ty.Name, "__") {
				withName[ty.Name] = len(f.Args) == 1 && f.Args[0].Name == "lang"
			}
		}
	}
	// CatchAllProcedureRule's name is the procedure's short legal name, as published.
	want := map[string]bool{"Country": true, "Region": true, "MemberState": true, "ControlCategory": true, "ProductGroup": true, "CatchAllProcedureRule": false}
	for ty, hasLang := range withName {
		if w, ok := want[ty]; !ok || w != hasLang {
			t.Errorf("%s.name takes lang: %v; want it listed here and checked below", ty, hasLang)
		}
	}

	type name struct {
		Code                   any
		En, De, Fr             string
		DeLanguage, FrLanguage string
		DeNote, FrNote, EnNote *string
	}
	fields := `code en: name de: name(lang: DE) fr: name(lang: FR) deLanguage: nameLanguage(lang: DE)
		frLanguage: nameLanguage(lang: FR) enNote: nameNote deNote: nameNote(lang: DE) frNote: nameNote(lang: FR)`
	var resp struct{ Countries, Regions, MemberStates, ControlCategories, ProductGroups []name }
	for _, field := range []string{"countries", "regions", "memberStates", "controlCategories", "productGroups"} {
		c.MustPost(fmt.Sprintf(`{ %s { %s } }`, field, fields), &resp)
	}
	byCode := func(ns []name) map[string]name {
		m := map[string]name{}
		for _, n := range ns {
			m[fmt.Sprint(n.Code)] = n
		}
		return m
	}
	check := func(what string, ns []name, code, en, de, fr string) {
		t.Helper()
		n, ok := byCode(ns)[code]
		if !ok || n.En != en || n.De != de || n.Fr != fr {
			t.Errorf("%s %s: names %q, %q, %q; want %q, %q, %q", what, code, n.En, n.De, n.Fr, en, de, fr)
		}
	}
	check("country", resp.Countries, "TR", "Türkiye", "Türkei", "Turquie")
	check("country", resp.Countries, "EG", "Egypt", "Ägypten", "Égypte")
	check("region", resp.Regions, "002", "Africa", "Afrika", "Afrique")
	check("region", resp.Regions, "145", "Western Asia", "Westasien", "Asie occidentale")
	check("Member State", resp.MemberStates, "DE", "Germany", "Deutschland", "Allemagne")
	check("Member State", resp.MemberStates, "GR", "Greece", "Griechenland", "Grèce")
	check("control category", resp.ControlCategories, "9", "Aerospace and propulsion", "Luftfahrt, Raumfahrt und Antriebe", "Aérospatiale et propulsion")

	// Every country, region and Member State is translated (CLDR), but for the codes
	// CLDR lacks; a name left in English says so.
	for what, ns := range map[string][]name{"country": resp.Countries, "region": resp.Regions, "Member State": resp.MemberStates} {
		untranslated := 0
		for _, n := range ns {
			if n.EnNote != nil {
				t.Errorf("%s %v: a note in English: %q", what, n.Code, *n.EnNote)
			}
			if n.DeLanguage != "DE" || n.FrLanguage != "FR" {
				untranslated++
				if n.DeLanguage == "EN" && (n.De != n.En || n.DeNote == nil || !strings.Contains(*n.DeNote, "Englisch")) {
					t.Errorf("%s %v: German name %q in English without a note (%v)", what, n.Code, n.De, n.DeNote)
				}
			}
		}
		if len(ns) == 0 || untranslated > 3 {
			t.Errorf("%s: %d of %d names untranslated, want at most 3", what, untranslated, len(ns))
		}
	}
	// Control categories: translated where a published text of Annex I gives the title,
	// else English with a note; product groups are English with a note.
	for _, n := range resp.ControlCategories {
		if n.DeLanguage == "DE" {
			continue
		}
		if n.De != n.En || n.DeNote == nil || !strings.Contains(*n.DeNote, "keine amtliche Übersetzung") {
			t.Errorf("control category %v: German %q (%s), note %v; want English with a note", n.Code, n.De, n.DeLanguage, n.DeNote)
		}
	}
	if n := byCode(resp.ControlCategories)["0"]; n.DeLanguage != "EN" || n.FrLanguage != "EN" {
		t.Errorf("control category 0: languages %s, %s; want EN (no official title found)", n.DeLanguage, n.FrLanguage)
	}
	if len(resp.ProductGroups) != 5 {
		t.Fatalf("product groups = %d, want 5", len(resp.ProductGroups))
	}
	for _, n := range resp.ProductGroups {
		if n.De != n.En || n.DeLanguage != "EN" || n.FrNote == nil || !strings.Contains(*n.FrNote, "anglais") {
			t.Errorf("product group %v: %+v; want the English name with a note", n.Code, n)
		}
	}

	// Control entry descriptions stay English, and say so.
	var entry struct {
		ControlEntry struct {
			Description, DescriptionLanguage string
			En, De                           *string
			Category                         struct{ Name string }
		}
	}
	c.MustPost(`{ controlEntry(code: "5A001") { description descriptionLanguage en: descriptionNote de: descriptionNote(lang: DE) category { name(lang: FR) } } }`, &entry)
	e := entry.ControlEntry
	if e.DescriptionLanguage != "EN" || e.En != nil || e.De == nil || !strings.Contains(*e.De, "Englisch") || e.Category.Name != "Télécommunications et sécurité de l'information" {
		t.Errorf("controlEntry(5A001) = %+v; want description in EN, a German note saying so, category in French", e)
	}
}

// demoClient is a client of the API on a fresh database holding a demo release.
func demoClient(t *testing.T) (*client.Client, string) {
	d := testdb.New(t)
	rel := testdb.ImportDemo(t, d, demodata.Options{Seed: 11, Decisions: 3000})
	return client.New(newHandler(t, d), client.Path("/graphql")), rel.Meta.ID
}

func TestLangNotesAndExplanations(t *testing.T) {
	c, _ := demoClient(t)
	type measure struct {
		Status, StatusLabel string
		Note, De, Fr        *string
	}
	var stats struct {
		LicenceStatistics struct {
			GroupByLabels []string
			Rows          []struct {
				Outcome, OutcomeLabel string
				Applications          measure
				ValueApplied          measure
			}
		}
	}
	m := `{ status statusLabel(lang: FR) note de: note(lang: DE) fr: note(lang: FR) }`
	c.MustPost(`{ licenceStatistics(groupBy: [MEMBER_STATE, OUTCOME], filter: {years: [2022]}, first: 1000) {
		groupByLabels(lang: DE) rows { outcome outcomeLabel(lang: DE) applications `+m+` valueApplied `+m+` } } }`, &stats)
	table := stats.LicenceStatistics
	if strings.Join(table.GroupByLabels, "|") != "Mitgliedstaat|Ergebnis" {
		t.Errorf("groupByLabels(lang: DE) = %v", table.GroupByLabels)
	}
	// Rows whose count is withheld are not listed, so the withheld figures here are
	// values (the small-count note is tested in internal/disclosure).
	var value, denied bool
	for _, r := range table.Rows {
		if r.Outcome == "DENIED" {
			denied = denied || r.OutcomeLabel == "Verweigert"
		}
		for _, x := range []measure{r.Applications, r.ValueApplied} {
			if x.Status != "CONFIDENTIAL" {
				continue
			}
			if x.Note == nil || x.De == nil || x.Fr == nil || x.StatusLabel != "Non publié" {
				t.Fatalf("withheld measure %+v: want a note in each language", x)
			}
			if !strings.HasPrefix(*x.De, "zurückgehalten: weniger als") || !strings.HasPrefix(*x.Fr, "non publié : moins de") {
				t.Errorf("withheld measure: note %q in German %q, in French %q", *x.Note, *x.De, *x.Fr)
			}
			value = value || strings.Contains(*x.De, "Ausführer") && strings.Contains(*x.Fr, "exportateurs")
		}
	}
	if !value || !denied {
		t.Errorf("translated: withheld value's note %v, outcome label %v; want both", value, denied)
	}

	var notes struct {
		CatchAllNotifications []struct {
			Explanation, En, De, Fr string
			Status, StatusLabel     string
			Tally                   *struct{ Explanation, Rule string }
		}
	}
	c.MustPost(`{ catchAllNotifications(asOf: "2025-06-30") { status explanation en: explanation(lang: EN) de: explanation(lang: DE)
		fr: explanation(lang: FR) statusLabel(lang: DE) tally { explanation(lang: DE) rule(lang: FR) } } }`, &notes)
	tallies := 0
	for _, n := range notes.CatchAllNotifications {
		if n.Explanation != n.En || n.De == n.En || n.Fr == n.En || n.StatusLabel == "" {
			t.Errorf("notification explanations %q / %q / %q: want English by default and German and French otherwise", n.En, n.De, n.Fr)
		}
		if n.Tally != nil {
			tallies++
			if !strings.Contains(n.Tally.Explanation, "Staaten erhoben Einwände") || !strings.Contains(n.Tally.Explanation, "AEUV") ||
				!strings.HasPrefix(n.Tally.Rule, "majorité qualifiée") || (n.Status != "WITHDRAWN" && !strings.HasPrefix(n.De, n.Tally.Explanation)) {
				t.Errorf("tally in German %q, rule in French %q, explanation %q", n.Tally.Explanation, n.Tally.Rule, n.De)
			}
		}
	}
	if tallies == 0 {
		t.Errorf("no notification with a tally among %d", len(notes.CatchAllNotifications))
	}
}

// An empty answer explains itself: a table for a year outside the release says so.
func TestLangEmptyTableExplainsItself(t *testing.T) {
	c, id := demoClient(t)
	var resp struct {
		Release struct{ PeriodStart, PeriodEnd string }
		Stats   struct {
			Rows      []struct{ Year int }
			Notes, De []string
		}
		Denials struct {
			Rows      []struct{ Denials struct{ Value *float64 } }
			Notes, Fr []string
		}
		Inside struct{ Notes []string }
	}
	c.MustPost(`{ release: release(id: "`+id+`") { periodStart periodEnd }
		stats: licenceStatistics(groupBy: [YEAR], filter: {years: [2031]}) { rows { year } notes de: notes(lang: DE) }
		denials: denialsByDestination(filter: {years: [2031]}) { rows { denials { value } } notes fr: notes(lang: FR) }
		inside: denialsByDestination(filter: {years: [2022]}) { notes } }`, &resp)
	covers := fmt.Sprintf("it covers %s to %s", resp.Release.PeriodStart, resp.Release.PeriodEnd)
	if len(resp.Stats.Rows) != 0 || !contains(resp.Stats.Notes, "release "+id+" has no decisions from 2031-01-01 to 2031-12-31: "+covers) ||
		!contains(resp.Stats.De, "Ausgabe "+id+" enthält keine Entscheidungen vom 2031-01-01 bis 2031-12-31: sie umfasst "+resp.Release.PeriodStart+" bis "+resp.Release.PeriodEnd) {
		t.Errorf("licenceStatistics for 2031: %+v; want no rows and a note saying why, in English and German", resp.Stats)
	}
	if len(resp.Denials.Rows) != 0 || len(resp.Denials.Notes) != 2 || !strings.HasSuffix(resp.Denials.Notes[1], covers) ||
		len(resp.Denials.Fr) != 2 || !strings.Contains(resp.Denials.Fr[1], "ne contient aucune décision du 2031-01-01 au 2031-12-31") {
		t.Errorf("denialsByDestination for 2031: %+v; want no rows, the table's note and a note saying why, in English and French", resp.Denials)
	}
	const sparse = "Destinations (or regions) with a published count of denials below 3 are not listed, nor grounds cited by a published count below 3."
	if len(resp.Inside.Notes) != 1 || resp.Inside.Notes[0] != sparse || resp.Denials.Notes[0] != sparse ||
		!strings.HasPrefix(resp.Denials.Fr[0], "Les destinations (ou régions) dont le nombre publié de refus est inférieur à 3") {
		t.Errorf("denialsByDestination for 2022: notes %q, want only the note of what a denials table leaves out", resp.Inside.Notes)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
