package i18n

import (
	"encoding/csv"
	"os"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Lang
		ok   bool
	}{
		{"en", EN, true}, {"DE", DE, true}, {"fr-BE", FR, true}, {"de_AT", DE, true},
		{"en-GB", EN, true}, {" fr ", FR, true}, {"it", "", false}, {"", "", false}, {"xx-!!", "", false},
	} {
		got, err := Parse(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("Parse(%q) = %q, %v; want %q, ok=%v", tc.in, got, err, tc.want, tc.ok)
		}
	}
}

func TestNegotiate(t *testing.T) {
	for _, tc := range []struct {
		header string
		want   Lang
	}{
		{"", EN}, {"garbage;;q=", EN}, {"de-CH, fr;q=0.8, en;q=0.5", DE}, {"fr-BE,fr;q=0.9", FR},
		{"it, es;q=0.9", EN}, {"it, fr;q=0.5", FR}, {"en-US,en;q=0.9,de;q=0.8", EN}, {"*", EN},
		{"nl-BE, de;q=0.7, fr;q=0.6", DE},
	} {
		if got := Negotiate(tc.header); got != tc.want {
			t.Errorf("Negotiate(%q) = %q, want %q", tc.header, got, tc.want)
		}
	}
}

func TestCountryName(t *testing.T) {
	for _, tc := range []struct {
		l          Lang
		code, want string
		ok         bool
	}{
		{DE, "DE", "Deutschland", true}, {FR, "DE", "Allemagne", true}, {EN, "DE", "Germany", true},
		{DE, "TR", "Türkei", true}, {FR, "TR", "Turquie", true},
		{DE, "XK", "Kosovo", true}, {FR, "XK", "Kosovo", true},
		{FR, "CI", "Côte d’Ivoire", true},
		// Former codes: CLDR in golang.org/x/text carries no name, so the caller keeps English.
		{DE, "AN", "", false}, {FR, "CS", "", false}, {EN, "YU", "", false},
		{DE, "de", "", false}, {DE, "002", "", false}, {"it", "DE", "", false},
	} {
		got, ok := CountryName(tc.l, tc.code)
		if got != tc.want || ok != tc.ok {
			t.Errorf("CountryName(%s, %q) = %q, %v; want %q, %v", tc.l, tc.code, got, ok, tc.want, tc.ok)
		}
	}
}

func TestRegionName(t *testing.T) {
	for _, tc := range []struct {
		l          Lang
		code, want string
		ok         bool
	}{
		{DE, "002", "Afrika", true}, {FR, "002", "Afrique", true},
		{DE, "019", "Amerika", true}, {FR, "019", "Amériques", true},
		{DE, "150", "Europa", true}, {FR, "142", "Asie", true}, {DE, "009", "Ozeanien", true},
		{DE, "151", "Osteuropa", true}, {FR, "154", "Europe septentrionale", true},
		{DE, "419", "Lateinamerika", true}, {FR, "021", "Amérique septentrionale", true},
		// Sub-Saharan Africa: CLDR as shipped names it in English only.
		{EN, "202", "Sub-Saharan Africa", true}, {DE, "202", "", false}, {FR, "202", "", false},
		{DE, "DE", "", false}, {DE, "2", "", false},
	} {
		got, ok := RegionName(tc.l, tc.code)
		if got != tc.want || ok != tc.ok {
			t.Errorf("RegionName(%s, %q) = %q, %v; want %q, %v", tc.l, tc.code, got, ok, tc.want, tc.ok)
		}
	}
}

// knownGaps are the reference codes CLDR (as shipped in golang.org/x/text) does not
// name in German or French; the caller keeps the English name for them. README.md
// lists them with the reason.
var knownGaps = map[string]bool{"country AN": true, "country CS": true, "region 202": true}

// TestReferenceCodesHaveNames reads db/reference/countries.csv and checks every
// country, region and sub-region code the portal uses has a German and a French name,
// except the known gaps (which must stay gaps, so the list is kept honest).
func TestReferenceCodesHaveNames(t *testing.T) {
	f, err := os.Open("../../db/reference/countries.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	codes := map[string]bool{}
	for _, r := range rows[1:] {
		codes["country "+r[col["alpha2"]]] = true
		for _, c := range []string{"region_code", "sub_region_code"} {
			if r[col[c]] != "" {
				codes["region "+r[col[c]]] = true
			}
		}
	}
	if len(codes) < 250 {
		t.Fatalf("read only %d codes", len(codes))
	}
	var missing []string
	for code := range codes {
		kind, c, _ := strings.Cut(code, " ")
		for _, l := range []Lang{DE, FR} {
			var ok bool
			if kind == "country" {
				_, ok = CountryName(l, c)
			} else {
				_, ok = RegionName(l, c)
			}
			if !ok && !knownGaps[code] {
				missing = append(missing, code+" "+string(l))
			}
			if ok && knownGaps[code] {
				t.Errorf("%s now has a %s name: take it off knownGaps and README.md", code, l)
			}
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("no CLDR name for: %v", missing)
	}
}

// schemaEnums reads every enum and its values from schema.graphql.
func schemaEnums(t *testing.T) map[string][]string {
	b, err := os.ReadFile("../../schema.graphql")
	if err != nil {
		t.Fatal(err)
	}
	enums := map[string][]string{}
	var cur string
	inBlock := false
	value := regexp.MustCompile(`^\s+([A-Z][A-Z0-9_]*)\s*(@.*)?$`)
	for _, line := range strings.Split(string(b), "\n") {
		trimmed := strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(line, "enum "):
			cur = strings.Fields(line)[1]
			enums[cur] = nil
		case cur != "" && strings.HasPrefix(trimmed, `"""`):
			if trimmed == `"""` || !strings.HasSuffix(trimmed[3:], `"""`) {
				inBlock = !inBlock
			}
		case cur != "" && inBlock:
		case cur != "" && trimmed == "}":
			cur = ""
		case cur != "":
			if m := value.FindStringSubmatch(line); m != nil {
				enums[cur] = append(enums[cur], m[1])
			}
		}
	}
	return enums
}

// TestEveryEnumValueHasLabels: no value of an enum of schema.graphql without a label in
// each language, and no label for a value the schema lacks.
func TestEveryEnumValueHasLabels(t *testing.T) {
	enums := schemaEnums(t)
	if len(enums) < 17 || len(enums["LicenceType"]) != 13 || len(enums["NotificationStatus"]) != 5 {
		t.Fatalf("schema parse looks wrong: %d enums, %v", len(enums), enums["NotificationStatus"])
	}
	for enum, values := range enums {
		for _, v := range values {
			for _, l := range Langs {
				if s, ok := Label(l, enum, v); !ok || strings.TrimSpace(s) == "" {
					t.Errorf("no %s label for %s.%s", l, enum, v)
				}
			}
		}
	}
	for enum, values := range Enums() {
		for _, v := range values {
			if !slices.Contains(enums[enum], v) {
				t.Errorf("label for %s.%s, which schema.graphql lacks", enum, v)
			}
		}
	}
}

func TestLabel(t *testing.T) {
	for _, tc := range []struct {
		l                 Lang
		enum, value, want string
		ok                bool
	}{
		{EN, "Outcome", "DENIED", "Denied", true},
		{DE, "Outcome", "DENIED", "Verweigert", true},
		{FR, "Outcome", "DENIED", "Refusée", true},
		{DE, "LicenceType", "INDIVIDUAL", "Einzelausfuhrgenehmigung", true},
		{FR, "LicenceType", "INDIVIDUAL", "Autorisation individuelle d'exportation", true},
		{DE, "LicenceType", "GLOBAL", "Globalausfuhrgenehmigung", true},
		{FR, "LicenceType", "GLOBAL", "Autorisation globale d'exportation", true},
		{DE, "LicenceType", "EU001", "Allgemeine Ausfuhrgenehmigung der Union Nr. EU001", true},
		{FR, "LicenceType", "EU008", "Autorisation générale d'exportation de l'Union n° EU008", true},
		{DE, "Outcome", "NOPE", "", false}, {DE, "Nope", "DENIED", "", false}, {"it", "Outcome", "DENIED", "", false},
	} {
		got, ok := Label(tc.l, tc.enum, tc.value)
		if got != tc.want || ok != tc.ok {
			t.Errorf("Label(%s, %s, %s) = %q, %v; want %q, %v", tc.l, tc.enum, tc.value, got, ok, tc.want, tc.ok)
		}
	}
	seen := map[string]bool{}
	for _, r := range labelCatalog {
		if seen[r.Enum+"."+r.Value] {
			t.Errorf("duplicate label row %s.%s", r.Enum, r.Value)
		}
		seen[r.Enum+"."+r.Value] = true
	}
}

func TestCategoryTitle(t *testing.T) {
	// English titles are the portal's (db/migrations/0001_reference.sql).
	b, err := os.ReadFile("../../db/migrations/0001_reference.sql")
	if err != nil {
		t.Fatal(err)
	}
	for c := 0; c <= 9; c++ {
		en, ok := CategoryTitle(EN, c)
		if !ok || !strings.Contains(string(b), "("+strconv.Itoa(c)+", '"+en+"')") {
			t.Errorf("English title of category %d = %q, not the portal's", c, en)
		}
	}
	for _, tc := range []struct {
		l    Lang
		c    int
		want string
		ok   bool
	}{
		{DE, 9, "Luftfahrt, Raumfahrt und Antriebe", true},
		{FR, 9, "Aérospatiale et propulsion", true},
		{FR, 1, "Matières spéciales et équipements apparentés", true},
		{FR, 5, "Télécommunications et sécurité de l'information", true},
		{DE, 0, "", false}, {FR, 0, "", false}, {DE, 10, "", false}, {EN, -1, "", false},
	} {
		got, ok := CategoryTitle(tc.l, tc.c)
		if got != tc.want || ok != tc.ok {
			t.Errorf("CategoryTitle(%s, %d) = %q, %v; want %q, %v", tc.l, tc.c, got, ok, tc.want, tc.ok)
		}
	}
}

func TestSprintf(t *testing.T) {
	const f = "no figure for %d to compare with"
	for _, tc := range []struct {
		l    Lang
		want string
	}{
		{EN, "no figure for 2021 to compare with"},
		{DE, "keine Zahl für 2021 zum Vergleich"},
		{FR, "aucun chiffre de 2021 pour comparer"},
		{"it", "no figure for 2021 to compare with"},
	} {
		if got := Sprintf(tc.l, f, 2021); got != tc.want {
			t.Errorf("Sprintf(%s) = %q, want %q", tc.l, got, tc.want)
		}
	}
	// Reordered arguments.
	if got := Sprintf(FR, "the figures for %d lack %s", 2024, "HU, MT"); got != "il manque HU, MT dans les chiffres de 2024" {
		t.Errorf("reordered: %q", got)
	}
	// Unknown formats fall back to English.
	if got := Sprintf(DE, "no such %s", "format"); got != "no such format" {
		t.Errorf("fallback: %q", got)
	}
	if !Has(DE, f) || !Has(EN, f) || Has(DE, "no such %s") || Has("it", f) {
		t.Error("Has")
	}
}

// verbs lists the verbs of a format as "argument index:verb", sorted, resolving
// explicit indexes ("%[2]s") as fmt does; "%%" is no verb.
func verbs(format string) []string {
	re := regexp.MustCompile(`%(\[(\d+)\])?[-+# 0]*(\d+|\*)?(\.(\d+|\*)?)?([a-zA-Z%])`)
	var out []string
	arg := 0
	for _, m := range re.FindAllStringSubmatch(format, -1) {
		if m[6] == "%" {
			continue
		}
		if m[2] != "" {
			n, _ := strconv.Atoi(m[2])
			arg = n - 1
		}
		out = append(out, strconv.Itoa(arg)+":"+m[3]+m[4]+m[6])
		arg++
	}
	sort.Strings(out)
	return out
}

func TestMessageVerbs(t *testing.T) {
	if got := verbs("%[2]s a %[1]d %%"); !slices.Equal(got, []string{"0:d", "1:s"}) {
		t.Fatalf("verbs parser: %v", got)
	}
	seen := map[string]bool{}
	for _, m := range messageCatalog {
		if seen[m.EN] {
			t.Errorf("duplicate message %q", m.EN)
		}
		seen[m.EN] = true
		want := verbs(m.EN)
		for l, tr := range map[Lang]string{DE: m.DE, FR: m.FR} {
			if tr == "" {
				t.Errorf("%q has no %s translation", m.EN, l)
				continue
			}
			if got := verbs(tr); !slices.Equal(got, want) {
				t.Errorf("%s translation of %q has verbs %v, want %v", l, m.EN, got, want)
			}
			if strings.Count(tr, "%%") != strings.Count(m.EN, "%%") {
				t.Errorf("%s translation of %q: %%%% count differs", l, m.EN)
			}
		}
	}
}
