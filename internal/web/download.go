package web

import (
	"context"
	"log/slog"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/dualuse-transparency/portal/db"
	"github.com/dualuse-transparency/portal/graph/scalars"
	"github.com/dualuse-transparency/portal/internal/apperr"
	"github.com/dualuse-transparency/portal/internal/codes"
	"github.com/dualuse-transparency/portal/internal/disclosure"
	"github.com/dualuse-transparency/portal/internal/i18n"
)

// The CSV downloads take the same arguments as their GraphQL queries, as URL
// parameters: lists comma-separated, enums by name, dates as YYYY-MM-DD, and orderBy as
// FIELD or FIELD:ASC. A download is the whole table, not a page.

// licenceStatisticsCSV serves GET /download/licence-statistics.csv.
func licenceStatisticsCSV(d *db.DB, logger *slog.Logger) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		q, err := params(r, statisticsCSVParams)
		var query db.StatisticsQuery
		var orderBy []db.StatisticsOrder
		var l i18n.Lang
		if err == nil {
			query, orderBy, err = statisticsArgs(q)
		}
		if err == nil {
			l, err = langOf(q)
		}
		if err == nil {
			query.Release, err = d.Release(r.Context(), optional(q, "release"))
		}
		var rows []db.StatisticsRow
		if err == nil {
			rows, err = d.LicenceStatisticsRows(r.Context(), query, orderBy)
		}
		var n *names
		if err == nil {
			n, err = loadNames(r.Context(), d, l)
		}
		if err == nil && slices.Contains(query.GroupBy, db.DimControlEntry) {
			err = n.loadEntries(r.Context(), d, rows, query.GroupBy)
		}
		if err != nil {
			writeHTTPError(w, r, logger, err)
			return
		}
		attachment(w, query.Release.ID, "licence-statistics")
		writeStatisticsCSV(w, l, n, query.GroupBy, rows)
	}
}

// statisticsArgs reads the licenceStatistics arguments from URL parameters.
func statisticsArgs(q url.Values) (db.StatisticsQuery, []db.StatisticsOrder, error) {
	var query db.StatisticsQuery
	var err error
	query.GroupBy, err = parseList[db.Dimension](q, "groupBy", err)
	query.Filter, err = parseFilter(q, err)
	orderBy, err := parseOrder(q, err)
	return query, orderBy, err
}

// parseFilter reads a StatisticsFilter from URL parameters.
func parseFilter(q url.Values, err error) (db.StatisticsFilter, error) {
	var f db.StatisticsFilter
	f.Years, err = parseInts(q, "years", err)
	f.From, err = parseDate(q, "from", err)
	f.To, err = parseDate(q, "to", err)
	f.MemberStates, f.Destinations = list(q, "memberStates"), list(q, "destinations")
	f.DestinationRegions, f.ControlEntries = list(q, "destinationRegions"), list(q, "controlEntries")
	f.ControlCategories, err = parseInts(q, "controlCategories", err)
	f.CyberSurveillance, err = parseBool(q, "cyberSurveillance", err)
	f.CatchAll, err = parseBool(q, "catchAll", err)
	f.CatchAlls, err = parseList[codes.CatchAll](q, "catchAlls", err)
	f.LicenceTypes, err = parseList[codes.LicenceType](q, "licenceTypes", err)
	f.Outcomes, err = parseList[codes.Outcome](q, "outcomes", err)
	f.EndUserTypes, err = parseList[codes.EndUserType](q, "endUserTypes", err)
	f.DenialGrounds, err = parseList[codes.DenialGround](q, "denialGrounds", err)
	return f, err
}

// denialsArgs reads the denialsByDestination arguments from URL parameters.
func denialsArgs(q url.Values) (db.DenialsQuery, db.DenialsOrder, error) {
	query := db.DenialsQuery{Level: db.LevelCountry}
	order := db.DenialsOrder{By: db.ByDenials, Direction: db.Descending}
	var err error
	query.Filter, err = parseFilter(q, nil)
	if err == nil && q.Has("level") {
		err = query.Level.UnmarshalGQL(q.Get("level"))
	}
	if err == nil && q.Has("orderBy") {
		by, dir, _ := strings.Cut(q.Get("orderBy"), ":")
		err = order.By.UnmarshalGQL(by)
		if err == nil && dir != "" {
			err = order.Direction.UnmarshalGQL(strings.ToUpper(dir))
		}
	}
	return query, order, err
}

// denialsCSV serves GET /download/denials-by-destination.csv.
func denialsCSV(d *db.DB, logger *slog.Logger) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		q, err := params(r, denialsCSVParams)
		var query db.DenialsQuery
		var order db.DenialsOrder
		var l i18n.Lang
		if err == nil {
			query, order, err = denialsArgs(q)
		}
		if err == nil {
			l, err = langOf(q)
		}
		if err == nil {
			query.Release, err = d.Release(r.Context(), optional(q, "release"))
		}
		var rows []db.DenialsRow
		if err == nil {
			rows, _, err = d.DenialsRows(r.Context(), query, order)
		}
		var n *names
		if err == nil {
			n, err = loadNames(r.Context(), d, l)
		}
		if err != nil {
			writeHTTPError(w, r, logger, err)
			return
		}
		attachment(w, query.Release.ID, "denials-by-destination")
		writeDenialsCSV(w, l, n, rows)
	}
}

var denialColumns = []struct {
	name, desc string
	title      tr
	unit       string
	measure    func(*db.DenialsRow) disclosure.Measure
}{
	{"denials", "Licences denied: distinct decisions with outcome DENIED.", tr{"Denials", "Ablehnungen", "Refus"}, "count", func(r *db.DenialsRow) disclosure.Measure { return r.Denials }},
	{"applications", "Licence applications: distinct decisions of any outcome.", tr{"Applications", "Anträge", "Demandes"}, "count", func(r *db.DenialsRow) disclosure.Measure { return r.Applications }},
	{"denial_rate", "Denials divided by applications, from the published counts: a share from 0 to 1.", tr{"Denial rate", "Ablehnungsquote", "Taux de refus"}, "share", func(r *db.DenialsRow) disclosure.Measure { return r.DenialRate }},
	{"previous_denials", "Denials in the previous period of the same length.", tr{"Denials, previous period", "Ablehnungen, Vorperiode", "Refus, période précédente"}, "count", func(r *db.DenialsRow) disclosure.Measure { return r.Previous.Denials }},
	{"previous_applications", "Applications in the previous period.", tr{"Applications, previous period", "Anträge, Vorperiode", "Demandes, période précédente"}, "count", func(r *db.DenialsRow) disclosure.Measure { return r.Previous.Applications }},
	{"previous_denial_rate", "Denial rate in the previous period: a share from 0 to 1.", tr{"Denial rate, previous period", "Ablehnungsquote, Vorperiode", "Taux de refus, période précédente"}, "share", func(r *db.DenialsRow) disclosure.Measure { return r.Previous.DenialRate }},
	{"change_denials", "Difference in denials against the previous period.", tr{"Change in denials", "Veränderung der Ablehnungen", "Variation des refus"}, "count", func(r *db.DenialsRow) disclosure.Measure { return r.Change.Denials }},
	{"change_denial_rate", "Difference in denial rate, as a share (0.01 is one percentage point).", tr{"Change in denial rate", "Veränderung der Ablehnungsquote", "Variation du taux de refus"}, "share", func(r *db.DenialsRow) disclosure.Measure { return r.Change.DenialRate }},
	{"cyber_surveillance_denials", "Denials of cyber-surveillance items.", tr{"Denials, cyber-surveillance items", "Ablehnungen, Güter für digitale Überwachung", "Refus, biens de cybersurveillance"}, "count", func(r *db.DenialsRow) disclosure.Measure { return r.CyberSurveillance.Denials }},
	{"cyber_surveillance_applications", "Applications for cyber-surveillance items.", tr{"Applications, cyber-surveillance items", "Anträge, Güter für digitale Überwachung", "Demandes, biens de cybersurveillance"}, "count", func(r *db.DenialsRow) disclosure.Measure { return r.CyberSurveillance.Applications }},
	{"cyber_surveillance_denial_rate", "Denial rate of cyber-surveillance items: a share from 0 to 1.", tr{"Denial rate, cyber-surveillance items", "Ablehnungsquote, Güter für digitale Überwachung", "Taux de refus, biens de cybersurveillance"}, "share", func(r *db.DenialsRow) disclosure.Measure { return r.CyberSurveillance.DenialRate }},
}

// denialsFields are the columns of the denials download: the destination and its
// name, each figure's value, status and note, and the denials citing each ground, one
// ground a column (empty where no denial of the row cited it).
func denialsFields() []field {
	fields := codeFields("destination", tr{"Destination", "Bestimmungsziel", "Destination"},
		"The destination: an ISO 3166-1 alpha-2 country code, or a UN M49 region or sub-region code of three digits (text: 002 is Africa) at level REGION or SUB_REGION.",
		"The destination's name in the file's language (CLDR names in German and French).", nil, "")
	for _, c := range denialColumns {
		fields = append(fields, measureFields(c.name, c.title, c.desc, c.unit)...)
	}
	for _, g := range codes.DenialGrounds {
		label := tr{enumLabel(i18n.EN, "DenialGround", string(g)), enumLabel(i18n.DE, "DenialGround", string(g)), enumLabel(i18n.FR, "DenialGround", string(g))}
		title := tr{"Denials citing " + label.EN, "Ablehnungen mit Grund " + label.DE, "Refus motivés par " + label.FR}
		fields = append(fields, measureFields("denials_citing_"+strings.ToLower(string(g)), title,
			"Denials of the row that cited the ground "+string(g)+" ("+label.EN+"); a denial can cite several grounds. Empty, with an empty status, where no denial of the row cited it.", "count")...)
	}
	return fields
}

// writeDenialsCSV writes a row per destination.
func writeDenialsCSV(w http.ResponseWriter, l i18n.Lang, n *names, rows []db.DenialsRow) {
	out := newCSVWriter(w)
	out.header(l, denialsFields())
	for _, r := range rows {
		record := []cell{text(r.Key()), text(n.destination(r.Key()))}
		for _, c := range denialColumns {
			record = append(record, measureCells(l, c.measure(&r))...)
		}
		for _, g := range codes.DenialGrounds {
			i := slices.IndexFunc(r.Grounds, func(c db.GroundCount) bool { return c.Ground == g })
			if i < 0 {
				record = append(record, number(""), text(""), text(""))
				continue
			}
			record = append(record, measureCells(l, r.Grounds[i].Denials)...)
		}
		out.row(record...)
	}
	out.flush()
}

// unmarshaler is an enum type of the schema: it reads itself from a string.
type unmarshaler[T any] interface {
	*T
	UnmarshalGQL(v any) error
}

// parseList reads a comma-separated list of enum values; an earlier error passes through.
func parseList[T any, PT unmarshaler[T]](q url.Values, name string, err error) ([]T, error) {
	if err != nil || !q.Has(name) {
		return nil, err
	}
	out := []T{}
	for _, s := range list(q, name) {
		var v T
		if err := PT(&v).UnmarshalGQL(s); err != nil {
			return nil, apperr.Errorf(apperr.Invalid, "%s: %v", name, err)
		}
		out = append(out, v)
	}
	return out, nil
}

func parseInts(q url.Values, name string, err error) ([]int, error) {
	if err != nil || !q.Has(name) {
		return nil, err
	}
	out := []int{}
	for _, s := range list(q, name) {
		n, err := strconv.ParseInt(s, 10, 32) // GraphQL's Int: 32 bits
		if err != nil {
			return nil, apperr.Errorf(apperr.Invalid, "%s: %s is not a whole number from %d to %d", name, apperr.Quote(s), math.MinInt32, math.MaxInt32)
		}
		out = append(out, int(n))
	}
	return out, nil
}

func parseDate(q url.Values, name string, err error) (*time.Time, error) {
	if err != nil || !q.Has(name) {
		return nil, err
	}
	t, err := scalars.UnmarshalDate(q.Get(name))
	if err != nil {
		return nil, apperr.Errorf(apperr.Invalid, "%s: %v", name, err)
	}
	return &t, nil
}

func parseBool(q url.Values, name string, err error) (*bool, error) {
	if err != nil || !q.Has(name) {
		return nil, err
	}
	b, err := strconv.ParseBool(q.Get(name))
	if err != nil {
		return nil, apperr.Errorf(apperr.Invalid, "%s: %s is not true or false", name, apperr.Quote(q.Get(name)))
	}
	return &b, nil
}

// parseOrder reads orderBy=FIELD[:ASC|:DESC],...; descending by default, as in GraphQL.
func parseOrder(q url.Values, err error) ([]db.StatisticsOrder, error) {
	if err != nil || !q.Has("orderBy") {
		return nil, err
	}
	var out []db.StatisticsOrder
	for _, s := range list(q, "orderBy") {
		field, dir, _ := strings.Cut(s, ":")
		o := db.StatisticsOrder{Direction: db.Descending}
		if err := o.By.UnmarshalGQL(field); err != nil {
			return nil, apperr.Errorf(apperr.Invalid, "orderBy: %v", err)
		}
		if dir != "" {
			if err := o.Direction.UnmarshalGQL(strings.ToUpper(dir)); err != nil {
				return nil, apperr.Errorf(apperr.Invalid, "orderBy: %v", err)
			}
		}
		out = append(out, o)
	}
	return out, nil
}

// list splits a comma-separated parameter; nil when absent.
func list(q url.Values, name string) []string {
	if !q.Has(name) {
		return nil
	}
	out := []string{}
	for _, s := range strings.Split(q.Get(name), ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func optional(q url.Values, name string) *string {
	if !q.Has(name) {
		return nil
	}
	v := q.Get(name)
	return &v
}

// dimensionFields are the columns of a statistics dimension: its code, and the name or
// label of the code beside it.
func dimensionFields(d db.Dimension) []field {
	name := strings.ToLower(string(d))
	title := tr{enumLabel(i18n.EN, "StatisticsDimension", string(d)), enumLabel(i18n.DE, "StatisticsDimension", string(d)), enumLabel(i18n.FR, "StatisticsDimension", string(d))}
	country := "The name in the file's language: the portal's English name, CLDR's in German and French."
	switch d {
	case db.DimYear:
		return []field{{Name: name, Type: "integer", Title: title, Description: "The calendar year of the decisions."}}
	case db.DimQuarter:
		return []field{{Name: name, Type: "string", Title: title, Description: "The quarter of the decisions, as YYYY-Qn."}}
	case db.DimMemberState:
		return codeFields(name, title, "The Member State that decided: ISO 3166-1 alpha-2 (GR for Greece).", country, nil, "")
	case db.DimDestination:
		return codeFields(name, title, "The country of destination: ISO 3166-1 alpha-2.", country, nil, "")
	case db.DimDestinationRegion, db.DimDestinationSubRegion:
		return codeFields(name, title, "The UN M49 code of three digits, as text (002 is Africa, 019 the Americas).", country, nil, "")
	case db.DimControlCategory:
		return []field{{Name: name, Type: "integer", Title: title, Description: "The category of Annex I to Regulation (EU) 2021/821, 0 to 9."},
			{Name: name + "_name", Type: "string", Title: with(title, nameSuffix), Description: "The category's title; in English where no official translation is known."}}
	case db.DimControlEntry:
		return []field{{Name: name, Type: "string", Title: title, Description: "The entry of Annex I, such as 5A001.j; empty for an item not listed in Annex I."},
			{Name: name + "_description", Type: "string", Title: with(title, tr{"description", "Beschreibung", "description"}), Description: "The entry's description, in English (no official translation is shipped)."}}
	case db.DimCyberSurveillance:
		return []field{{Name: name, Type: "boolean", Title: title, Description: "Whether the items are cyber-surveillance items: true or false."}}
	}
	enum := map[db.Dimension]string{db.DimCatchAll: "CatchAll", db.DimLicenceType: "LicenceType", db.DimOutcome: "Outcome",
		db.DimEndUserType: "EndUserType", db.DimDenialGround: "DenialGround"}[d]
	return codeFields(name, title, "The code of the "+strings.ToLower(title.EN)+", as the API names it.", "The code's label in the file's language.", i18n.Enums()[enum], enum)
}

// statisticsFields are the columns of a statistics download grouped by groupBy.
func statisticsFields(groupBy []db.Dimension) []field {
	var fields []field
	for _, d := range groupBy {
		fields = append(fields, dimensionFields(d)...)
	}
	for _, m := range measureColumns {
		fields = append(fields, measureFields(m.name, m.title, m.desc, m.unit)...)
	}
	return fields
}

// writeStatisticsCSV writes the dimensions' codes with their names, and each
// measure's value, status and note.
func writeStatisticsCSV(w http.ResponseWriter, l i18n.Lang, n *names, groupBy []db.Dimension, rows []db.StatisticsRow) {
	out := newCSVWriter(w)
	out.header(l, statisticsFields(groupBy))
	for _, r := range rows {
		var record []cell
		for i, v := range r.DimensionValues() {
			record = append(record, n.dimensionCells(groupBy[i], v)...)
		}
		for _, m := range measureColumns {
			record = append(record, measureCells(l, m.measure(&r))...)
		}
		out.row(record...)
	}
	out.flush()
}

// dimensionCells are a dimension value and its name, as dimensionFields describes them.
func (n *names) dimensionCells(d db.Dimension, v string) []cell {
	switch d {
	case db.DimYear, db.DimCyberSurveillance:
		return []cell{number(v)}
	case db.DimQuarter:
		return []cell{text(v)}
	case db.DimMemberState, db.DimDestination:
		return []cell{text(v), text(n.country(v))}
	case db.DimDestinationRegion, db.DimDestinationSubRegion:
		return []cell{text(v), text(n.region(v))}
	case db.DimControlCategory:
		return []cell{number(v), text(n.category(v))}
	case db.DimControlEntry:
		return []cell{text(v), text(n.entries[v])}
	}
	enum := map[db.Dimension]string{db.DimCatchAll: "CatchAll", db.DimLicenceType: "LicenceType", db.DimOutcome: "Outcome",
		db.DimEndUserType: "EndUserType", db.DimDenialGround: "DenialGround"}[d]
	return []cell{text(v), text(enumLabel(n.l, enum, v))}
}

// loadEntries looks up the descriptions of the control entries of the rows.
func (n *names) loadEntries(ctx context.Context, d *db.DB, rows []db.StatisticsRow, groupBy []db.Dimension) error {
	i := slices.Index(groupBy, db.DimControlEntry)
	var list []string
	for _, r := range rows {
		if v := r.DimensionValues()[i]; v != "" {
			list = append(list, v)
		}
	}
	entries, err := d.ControlEntriesOrUnlisted(ctx, list)
	for code, e := range entries {
		n.entries[code] = e.Description
	}
	return err
}

var measureColumns = []struct {
	name, desc string
	title      tr
	unit       string
	measure    func(*db.StatisticsRow) disclosure.Measure
}{
	{"applications", "Licence applications: distinct decisions of any outcome.", tr{"Applications", "Anträge", "Demandes"}, "count", func(r *db.StatisticsRow) disclosure.Measure { return r.Applications }},
	{"issued", "Licences issued: decisions with outcome ISSUED.", tr{"Licences issued", "Erteilte Genehmigungen", "Autorisations octroyées"}, "count", func(r *db.StatisticsRow) disclosure.Measure { return r.Issued }},
	{"denials", "Licences denied: decisions with outcome DENIED.", tr{"Denials", "Ablehnungen", "Refus"}, "count", func(r *db.StatisticsRow) disclosure.Measure { return r.Denials }},
	{"value_applied_eur", "Value applied for, in euros.", tr{"Value applied for (EUR)", "Beantragter Wert (EUR)", "Valeur demandée (EUR)"}, "EUR", func(r *db.StatisticsRow) disclosure.Measure { return r.ValueApplied }},
	{"value_issued_eur", "Value of the licences issued, in euros.", tr{"Value of licences issued (EUR)", "Wert der erteilten Genehmigungen (EUR)", "Valeur des autorisations octroyées (EUR)"}, "EUR", func(r *db.StatisticsRow) disclosure.Measure { return r.ValueIssued }},
}

// writeHTTPError answers a download with the error's public code and message.
func writeHTTPError(w http.ResponseWriter, r *http.Request, logger *slog.Logger, err error) {
	code, msg := publicError(err)
	status := map[apperr.Code]int{
		apperr.Invalid: http.StatusBadRequest, apperr.NotFound: http.StatusNotFound,
		apperr.Limit: http.StatusUnprocessableEntity, apperr.Unavailable: http.StatusServiceUnavailable,
	}[code]
	if status == 0 {
		status = http.StatusInternalServerError
	}
	if status >= 500 {
		logger.ErrorContext(r.Context(), "download failed", "path", r.URL.Path, "code", code, "error", err)
	}
	writeStatus(w, status, string(code), msg)
}
