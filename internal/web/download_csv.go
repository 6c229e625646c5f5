package web

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/dualuse-transparency/portal/db"
	"github.com/dualuse-transparency/portal/internal/apperr"
	"github.com/dualuse-transparency/portal/internal/disclosure"
	"github.com/dualuse-transparency/portal/internal/i18n"
)

// The CSV downloads are written for spreadsheets as much as for scripts:
//
//   - UTF-8 with a byte order mark, always: Excel reads a CSV without one in the
//     machine's legacy code page (Türkiye becomes TÃ¼rkiye); LibreOffice, pandas
//     (encoding="utf-8-sig"), R and Frictionless tools read the mark as such.
//   - Every text field is quoted and every number is not, as LibreOffice's own "quote
//     all text cells" export writes them: with "Format quoted field as text" ticked in
//     LibreOffice's import dialog, a code such as the region 002 stays 002 while the
//     figures stay numbers. Each code has a column of its name beside it, so a reader
//     who lets a spreadsheet turn 002 into 2 still sees "Africa".
//   - One attribute per column: no key=value strings, no lists of pairs.
//   - The header is in the language of ?lang= or Accept-Language (English by default):
//     in English it holds the field names of /download/datapackage.json, in German and
//     French the fields' titles; the name and label columns are in that language too.
//   - The file is named after its release (Content-Disposition) and X-Release says
//     which release answered.

// bom is the UTF-8 byte order mark every CSV download starts with.
const bom = "\ufeff"

// cell is one field of a CSV record: text is quoted, a number is written as it is.
type cell struct {
	s      string
	number bool
}

func text(s string) cell { return cell{s: s} }

func number(s string) cell { return cell{s: s, number: true} }

func integer(n int) cell { return number(strconv.Itoa(n)) }

// csvWriter writes RFC 4180 records after a byte order mark, quoting every text field.
type csvWriter struct {
	w   io.Writer
	b   strings.Builder
	err error
}

func newCSVWriter(w io.Writer) *csvWriter {
	c := &csvWriter{w: w}
	c.b.WriteString(bom)
	return c
}

// row writes a record.
func (c *csvWriter) row(cells ...cell) {
	for i, f := range cells {
		if i > 0 {
			c.b.WriteByte(',')
		}
		if f.number {
			c.b.WriteString(f.s)
			continue
		}
		c.b.WriteByte('"')
		c.b.WriteString(strings.ReplaceAll(f.s, `"`, `""`))
		c.b.WriteByte('"')
	}
	c.b.WriteByte('\n')
	if c.b.Len() > 64<<10 {
		c.flush()
	}
}

// header writes the header of fields in language l. Its fields are quoted only where
// they must be (none of the first ones needs it), so that the byte order mark is not
// followed by a quote: a reader that does not know the mark (Go's encoding/csv,
// Python's csv without utf-8-sig) then reads it as part of the first name, not as a
// broken quoted field.
func (c *csvWriter) header(l i18n.Lang, fields []field) {
	cells := make([]cell, len(fields))
	for i, f := range fields {
		h := f.header(l)
		cells[i] = number(h)
		if strings.ContainsAny(h, "\",\r\n") || strings.TrimSpace(h) != h {
			cells[i] = text(h)
		}
	}
	c.row(cells...)
}

func (c *csvWriter) flush() {
	if c.err == nil {
		_, c.err = io.WriteString(c.w, c.b.String())
	}
	c.b.Reset()
}

// tr is a text in the portal's three languages.
type tr struct{ EN, DE, FR string }

func (t tr) in(l i18n.Lang) string {
	switch {
	case l == i18n.DE && t.DE != "":
		return t.DE
	case l == i18n.FR && t.FR != "":
		return t.FR
	}
	return t.EN
}

// field is a column of a CSV download, as datapackage.json describes it.
type field struct {
	Name        string   // the English header and the Table Schema field name
	Type        string   // Table Schema type: string, integer, number, boolean, date
	Title       tr       // the header in German and French
	Description string   // English
	Unit        string   // EUR, count, share, percent; "" where none applies
	Enum        []string // the values a code column takes, where they are a closed list
	EnumLabels  map[string]string
}

func (f field) header(l i18n.Lang) string {
	if l == i18n.EN || l == "" {
		return f.Name
	}
	return f.Title.in(l)
}

// Suffixes of the columns that go with a code or a measure.
var (
	nameSuffix   = tr{"name", "Name", "nom"}
	labelSuffix  = tr{"label", "Bezeichnung", "libellé"}
	statusSuffix = tr{"status", "Status", "statut"}
	noteSuffix   = tr{"note", "Anmerkung", "note"}
)

// with titles a column that goes with another: "Denials: status", "Refus : statut".
func with(t, suffix tr) tr {
	return tr{t.EN + ": " + suffix.EN, t.DE + ": " + suffix.DE, t.FR + " : " + suffix.FR}
}

// codeFields are a code column and the column of its name or label beside it.
func codeFields(name string, title tr, desc, nameDesc string, enum []string, enumName string) []field {
	code := field{Name: name, Type: "string", Title: title, Description: desc}
	suffix, nameCol := nameSuffix, name+"_name"
	if enumName != "" {
		suffix, nameCol = labelSuffix, name+"_label"
		code.Enum, code.EnumLabels = enum, map[string]string{}
		for _, v := range enum {
			code.EnumLabels[v] = enumLabel(i18n.EN, enumName, v)
		}
	}
	return []field{code, {Name: nameCol, Type: "string", Title: with(title, suffix), Description: nameDesc}}
}

// measureFields are a published figure's value, status and note.
func measureFields(name string, title tr, desc, unit string) []field {
	typ := "integer"
	if unit != "count" {
		typ = "number"
	}
	return []field{
		{Name: name, Type: typ, Title: title, Description: desc + " Empty when withheld or not applicable: see the status.", Unit: unit},
		statusField(name+"_status", with(title, statusSuffix)),
		{Name: name + "_note", Type: "string", Title: with(title, noteSuffix), Description: "Why the figure is perturbed, withheld or not applicable, or the source of an official figure."},
	}
}

// statuses are the values of a status column, with their meaning.
var statuses = []string{string(disclosure.Perturbed), string(disclosure.Confidential), string(disclosure.Official), string(disclosure.NotApplicable)}

var statusMeanings = map[string]string{
	string(disclosure.Perturbed):     "computed by the portal from licence decisions and protected by disclosure control: close to the true figure, not equal to it",
	string(disclosure.Confidential):  "withheld: too few decisions to publish; the value is empty",
	string(disclosure.Official):      "published by an authority, exact, with its source in the note",
	string(disclosure.NotApplicable): "no figure applies (for example no previous period to compare with); the value is empty",
}

func statusField(name string, title tr) field {
	return field{Name: name, Type: "string", Title: title, Enum: statuses, EnumLabels: statusMeanings,
		Description: "How the figure was published: PERTURBED, CONFIDENTIAL (withheld), OFFICIAL or NOT_APPLICABLE."}
}

// measureCells are a measure's value, status and note in language l.
func measureCells(l i18n.Lang, m disclosure.Measure) []cell {
	value, note := "", ""
	if m.Value != nil {
		value = strconv.FormatFloat(*m.Value, 'f', -1, 64)
	}
	if n := m.NoteIn(l); n != nil {
		note = *n
	}
	return []cell{number(value), text(string(m.Status)), text(note)}
}

// enumLabel is the label of an enum value in l, else in English, else the value.
func enumLabel(l i18n.Lang, enum, value string) string {
	if value == "" {
		return ""
	}
	if s, ok := i18n.Label(l, enum, value); ok {
		return s
	}
	if s, ok := i18n.Label(i18n.EN, enum, value); ok {
		return s
	}
	return value
}

// names gives the names of countries, regions and control categories in a language:
// the portal's English names (the reference data), CLDR's in German and French where
// it has one, else the English name.
type names struct {
	l          i18n.Lang
	countries  map[string]string
	regions    map[string]string
	categories map[int]string
	entries    map[string]string
}

func loadNames(ctx context.Context, d *db.DB, l i18n.Lang) (*names, error) {
	n := &names{l: l, entries: map[string]string{}, categories: map[int]string{}}
	var err error
	if n.countries, err = d.DestinationNames(ctx, db.LevelCountry); err != nil {
		return nil, err
	}
	if n.regions, err = d.DestinationNames(ctx, db.LevelRegion); err != nil {
		return nil, err
	}
	return n, nil
}

// country names an ISO 3166-1 alpha-2 code (a destination or a Member State).
func (n *names) country(code string) string {
	if code == "" {
		return ""
	}
	if n.l != i18n.EN {
		if s, ok := i18n.CountryName(n.l, code); ok {
			return s
		}
	}
	return n.countries[code]
}

// region names a UN M49 region or sub-region.
func (n *names) region(code string) string {
	if code == "" {
		return ""
	}
	if n.l != i18n.EN {
		if s, ok := i18n.RegionName(n.l, code); ok {
			return s
		}
	}
	return n.regions[code]
}

// destination names a country or a region code.
func (n *names) destination(code string) string {
	if _, err := strconv.Atoi(code); err == nil {
		return n.region(code)
	}
	return n.country(code)
}

// category is the title of an Annex I category, in English where no official
// translation is known.
func (n *names) category(code string) string {
	c, err := strconv.Atoi(code)
	if err != nil {
		return ""
	}
	if s, ok := i18n.CategoryTitle(n.l, c); ok {
		return s
	}
	s, _ := i18n.CategoryTitle(i18n.EN, c)
	return s
}

// langOf reads ?lang= (en, de, fr; a BCP 47 tag of one of them).
func langOf(q url.Values) (i18n.Lang, error) {
	if !q.Has("lang") {
		return i18n.EN, nil
	}
	l, err := i18n.Parse(q.Get("lang"))
	if err != nil {
		return "", apperr.Errorf(apperr.Invalid, "lang: %s is not en, de or fr", apperr.Quote(q.Get("lang")))
	}
	return l, nil
}

// negotiated sets ?lang= from Accept-Language on a CSV or descriptor request that has
// none, before the request is keyed for caching, so that a cached answer in one
// language is never served to a client asking for another; the answer varies by
// Accept-Language.
func negotiated(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasSuffix(r.URL.Path, ".csv") && !strings.HasSuffix(r.URL.Path, "/datapackage.json") {
			next.ServeHTTP(w, r)
			return
		}
		if q, err := url.ParseQuery(r.URL.RawQuery); err == nil && !q.Has("lang") {
			w.Header().Add("Vary", "Accept-Language")
			if l := i18n.Negotiate(r.Header.Get("Accept-Language")); l != i18n.EN {
				r = r.Clone(r.Context())
				if r.URL.RawQuery != "" {
					r.URL.RawQuery += "&"
				}
				r.URL.RawQuery += "lang=" + string(l)
			}
		}
		next.ServeHTTP(w, r)
	})
}

// attachment sets the headers of a CSV download: its type, its file name (which
// includes the release id) and X-Release.
func attachment(w http.ResponseWriter, release, name string) {
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s_%s.csv"`, fileSafe(name), fileSafe(release)))
	w.Header().Set("X-Release", release)
}

// inlineJSON sets the headers of a JSON download: shown in a browser, saved under a
// name that includes the release id.
func inlineJSON(w http.ResponseWriter, release, name string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`inline; filename="%s_%s.json"`, fileSafe(name), fileSafe(release)))
	w.Header().Set("X-Release", release)
}

// fileSafe keeps letters, digits, '-' and '.' of a file name part.
func fileSafe(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '.':
			return r
		}
		return '-'
	}, s)
}
