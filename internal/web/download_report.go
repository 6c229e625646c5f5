package web

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/dualuse-transparency/portal/db"
	"github.com/dualuse-transparency/portal/graph"
	"github.com/dualuse-transparency/portal/internal/apperr"
	"github.com/dualuse-transparency/portal/internal/i18n"
)

// annualReportQuery asks for the whole report. The downloads run it on the GraphQL
// endpoint itself, so a file is exactly what the API answers.
//
//go:embed annual_report.graphql
var annualReportQuery string

// reportDownload serves GET /download/annual-report/{year}.json and .csv, and the
// year's list changes and catch-all notifications as {year}-list-changes.csv and
// {year}-notifications.csv.
func reportDownload(d *db.DB, api http.Handler, logger *slog.Logger) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		name, format, _ := strings.Cut(r.PathValue("file"), ".")
		name, part, _ := strings.Cut(name, "-")
		if (format != "json" && format != "csv") || (part != "" && (format != "csv" || (part != "list-changes" && part != "notifications"))) {
			writeHTTPError(w, r, logger, apperr.Errorf(apperr.NotFound, "no such file: want /download/annual-report/YEAR.json, YEAR.csv, YEAR-list-changes.csv or YEAR-notifications.csv"))
			return
		}
		known := releaseParams
		if format == "csv" {
			known = reportCSVParams
		}
		q, err := params(r, known)
		var year int
		if err == nil {
			year, err = parseYear(name)
		}
		var l i18n.Lang
		if err == nil {
			l, err = langOf(q)
		}
		var raw json.RawMessage
		if err == nil {
			raw, err = runReport(api, r, q, year)
		}
		var rep report
		if err == nil {
			err = json.Unmarshal(raw, &rep)
		}
		var n *names
		if err == nil && format == "csv" {
			n, err = loadNames(r.Context(), d, l)
		}
		if err != nil {
			writeHTTPError(w, r, logger, err)
			return
		}
		file := fmt.Sprintf("annual-report-%d", year)
		if part != "" {
			file += "-" + part
		}
		if format == "json" {
			inlineJSON(w, rep.Release.ID, file)
			_, _ = w.Write(raw)
			return
		}
		attachment(w, rep.Release.ID, file)
		switch part {
		case "":
			writeReportCSV(w, l, n, &rep)
		case "list-changes":
			writeListChangesCSV(w, l, n, &rep)
		case "notifications":
			writeNotificationsCSV(w, l, n, &rep)
		}
	}
}

// parseYear reads the year of a report's file name: a whole number that fits
// GraphQL's Int.
func parseYear(name string) (int, error) {
	year, err := strconv.ParseInt(name, 10, 32)
	if err != nil {
		return 0, apperr.Errorf(apperr.Invalid, "the year %s is not a whole number from %d to %d: want /download/annual-report/YEAR.json or .csv",
			apperr.Quote(name), math.MinInt32, math.MaxInt32)
	}
	return int(year), nil
}

// runReport runs the report query for the request's year and ?release=.
func runReport(api http.Handler, r *http.Request, q url.Values, year int) (json.RawMessage, error) {
	vars := map[string]any{"year": year}
	if rel := optional(q, "release"); rel != nil {
		vars["release"] = *rel
	}
	body, _ := json.Marshal(map[string]any{"query": annualReportQuery, "variables": vars})
	req, _ := http.NewRequestWithContext(r.Context(), http.MethodPost, "/graphql", strings.NewReader(string(body)))
	req.Header.Set("Content-Type", "application/json")
	out := &bufferedResponse{header: http.Header{}, status: http.StatusOK}
	api.ServeHTTP(out, req)
	var resp struct {
		Data struct {
			AnnualReport json.RawMessage `json:"annualReport"`
		} `json:"data"`
		Errors []struct {
			Message    string
			Extensions struct{ Code string }
		} `json:"errors"`
	}
	if err := json.Unmarshal(out.body.Bytes(), &resp); err != nil {
		return nil, fmt.Errorf("annual report %d: %w", year, err)
	}
	if len(resp.Errors) > 0 {
		code := apperr.Code(resp.Errors[0].Extensions.Code)
		switch code {
		case apperr.Invalid, apperr.NotFound, apperr.Limit, apperr.Unavailable, apperr.Internal:
		default: // the API refused the arguments before running (validation, coercion)
			code = apperr.Invalid
		}
		return nil, apperr.Errorf(code, "%s", resp.Errors[0].Message)
	}
	return resp.Data.AnnualReport, nil
}

// report is the annual report as annual_report.graphql asks for it.
type report struct {
	Year     int
	Release  struct{ ID string }
	Headline []struct {
		Kind, Metric, Label, Scope, Unit string
		Value, PreviousYear, Change      jsonMeasure
	}
	ByMemberState            []reportRow
	ByLicenceType            []reportRow
	ByDestinationRegion      []reportRow
	TopDestinationsByDenials []struct {
		Destination                       codeOnly
		Denials, Applications, DenialRate jsonMeasure
		Grounds                           []struct {
			Ground  string
			Denials jsonMeasure
		}
		Change struct{ Denials, DenialRate jsonMeasure }
	}
	CyberSurveillance struct {
		Total                              reportRow
		ByDestinationRegion, ByEndUserType []reportRow
	}
	ListChanges []struct {
		Date, Kind string
		Note       *string
		Item       struct {
			ID, Origin, Description string
		}
		Before, After *struct {
			ValidFrom, Description string
			ControlEntry           *codeOnly
			Destinations           []codeOnly
		}
	}
	Notifications []struct {
		ID, Procedure                             string
		Rule                                      struct{ Name, Rule, Source string }
		NotifyingState                            codeOnly
		NotifiedOn, Deadline, Status, Explanation string
		Tally                                     *struct {
			Eligible, Objecting, StatesThreshold, NotObjecting, BlockingMinimum, PopulationYear int
			PopulationShare                                                                     float64
			DeemedAttained, QualifiedMajority                                                   bool
			PopulationSource                                                                    string
			PopulationNote                                                                      *string
		}
		Agreement *struct {
			Eligible        int
			Agreed, Missing []string
			AllAgreed       bool
		}
	}
}

type codeOnly struct{ Code string }

type jsonMeasure struct {
	Value  *float64
	Status string
	Note   *string
}

// reportRow is a row of a statistics section of the report.
type reportRow struct {
	MemberState, DestinationRegion                           *codeOnly
	LicenceType, EndUserType                                 string
	Applications, Issued, Denials, ValueApplied, ValueIssued jsonMeasure
}

// reportFields are the columns of the report's tidy CSV: one published figure a row.
func reportFields() []field {
	fields := []field{
		{Name: "section", Type: "string", Title: tr{"Section", "Abschnitt", "Section"}, Enum: reportSectionNames(), EnumLabels: reportSectionMeanings(),
			Description: "The section of the report the figure is in."},
		{Name: "section_label", Type: "string", Title: with(tr{"Section", "Abschnitt", "Section"}, labelSuffix), Description: "The section's title in the file's language."},
		{Name: "year", Type: "integer", Title: tr{"Year", "Jahr", "Année"}, Description: "The year of the report."},
	}
	fields = append(fields, dimensionFields(db.DimMemberState)...)
	fields = append(fields, dimensionFields(db.DimLicenceType)...)
	fields = append(fields, dimensionFields(db.DimDestinationRegion)...)
	fields = append(fields, codeFields("destination", tr{"Destination", "Bestimmungsland", "Pays de destination"}, "The country of destination: ISO 3166-1 alpha-2.",
		"The name in the file's language: the portal's English name, CLDR's in German and French.", nil, "")...)
	fields = append(fields, dimensionFields(db.DimEndUserType)...)
	fields = append(fields, dimensionFields(db.DimDenialGround)...)
	fields = append(fields,
		field{Name: "metric", Type: "string", Title: tr{"Headline figure", "Eckzahl", "Chiffre clé"}, Description: "The headline figure's metric, such as denials or share_of_extra_eu_exports_authorised (section headline only)."},
		field{Name: "metric_label", Type: "string", Title: with(tr{"Headline figure", "Eckzahl", "Chiffre clé"}, labelSuffix), Description: "The metric's label in the file's language, with its unit, such as Share of extra-EU exports authorised (%)."},
		field{Name: "kind", Type: "string", Title: tr{"Kind", "Art", "Type"}, Enum: []string{"COMPUTED", "OFFICIAL"},
			EnumLabels:  map[string]string{"COMPUTED": "computed by the portal from licence decisions", "OFFICIAL": "published by an authority"},
			Description: "Whether a headline figure was computed by the portal or published by an authority (section headline only)."},
		field{Name: "scope", Type: "string", Title: tr{"Scope", "Umfang", "Champ"}, Description: "What a headline figure covers, such as EU-27 (section headline only)."},
		field{Name: "measure", Type: "string", Title: tr{"Measure", "Größe", "Mesure"}, Enum: reportMeasureNames(), EnumLabels: reportMeasureMeanings(),
			Description: "What the value counts: in the headline, the year's value, the previous year's or the change; elsewhere applications, issued, denials, value_applied, value_issued, denial_rate and the changes."},
		field{Name: "measure_label", Type: "string", Title: with(tr{"Measure", "Größe", "Mesure"}, labelSuffix), Description: "The measure's label in the file's language."},
		field{Name: "unit", Type: "string", Title: tr{"Unit", "Einheit", "Unité"}, Enum: []string{"count", "EUR", "share", "percent"},
			EnumLabels:  map[string]string{"count": "a number of decisions", "EUR": "euros", "share": "a share from 0 to 1", "percent": "per cent"},
			Description: "The unit of the value."},
		field{Name: "value", Type: "number", Title: tr{"Value", "Wert", "Valeur"}, Description: "The figure; empty when withheld or not applicable: see the status."},
		statusField("status", tr{"Status", "Status", "Statut"}),
		field{Name: "note", Type: "string", Title: tr{"Note", "Anmerkung", "Note"}, Description: "Why the figure is perturbed, withheld or not applicable, or the source of an official figure."},
	)
	return fields
}

var reportSections = []struct {
	name  string
	title tr
}{
	{"headline", tr{"Headline figures", "Eckzahlen", "Chiffres clés"}},
	{"by_member_state", tr{"By Member State", "Nach Mitgliedstaat", "Par État membre"}},
	{"by_licence_type", tr{"By licence type", "Nach Genehmigungsart", "Par type d'autorisation"}},
	{"by_destination_region", tr{"By destination region", "Nach Region des Bestimmungslandes", "Par région de destination"}},
	{"top_destinations_by_denials", tr{"Top destinations by denials", "Bestimmungsländer mit den meisten Ablehnungen", "Principales destinations par nombre de refus"}},
	{"cyber_surveillance_total", tr{"Cyber-surveillance items: total", "Güter für digitale Überwachung: insgesamt", "Biens de cybersurveillance : total"}},
	{"cyber_surveillance_by_destination_region", tr{"Cyber-surveillance items by destination region", "Güter für digitale Überwachung nach Region des Bestimmungslandes", "Biens de cybersurveillance par région de destination"}},
	{"cyber_surveillance_by_end_user_type", tr{"Cyber-surveillance items by end-user type", "Güter für digitale Überwachung nach Art des Endverwenders", "Biens de cybersurveillance par type d'utilisateur final"}},
}

func reportSectionNames() []string {
	var out []string
	for _, s := range reportSections {
		out = append(out, s.name)
	}
	return out
}

func reportSectionMeanings() map[string]string {
	out := map[string]string{}
	for _, s := range reportSections {
		out[s.name] = s.title.EN
	}
	return out
}

var reportMeasures = []struct {
	name  string
	title tr
	unit  string
}{
	{"value", tr{"Value of the year", "Wert des Jahres", "Valeur de l'année"}, ""},
	{"previous_year", tr{"Value of the previous year", "Wert des Vorjahres", "Valeur de l'année précédente"}, ""},
	{"change", tr{"Change against the previous year", "Veränderung gegenüber dem Vorjahr", "Variation par rapport à l'année précédente"}, ""},
	{"applications", tr{"Applications", "Anträge", "Demandes"}, "count"},
	{"issued", tr{"Licences issued", "Erteilte Genehmigungen", "Autorisations octroyées"}, "count"},
	{"denials", tr{"Denials", "Ablehnungen", "Refus"}, "count"},
	{"value_applied", tr{"Value applied for", "Beantragter Wert", "Valeur demandée"}, "EUR"},
	{"value_issued", tr{"Value of licences issued", "Wert der erteilten Genehmigungen", "Valeur des autorisations octroyées"}, "EUR"},
	{"denial_rate", tr{"Denial rate", "Ablehnungsquote", "Taux de refus"}, "share"},
	{"change_denials", tr{"Change in denials against the previous year", "Veränderung der Ablehnungen gegenüber dem Vorjahr", "Variation des refus par rapport à l'année précédente"}, "count"},
	{"change_denial_rate", tr{"Change in denial rate against the previous year", "Veränderung der Ablehnungsquote gegenüber dem Vorjahr", "Variation du taux de refus par rapport à l'année précédente"}, "share"},
	{"denials_citing_ground", tr{"Denials citing the ground", "Ablehnungen mit diesem Grund", "Refus motivés par ce motif"}, "count"},
}

func reportMeasureNames() []string {
	var out []string
	for _, m := range reportMeasures {
		out = append(out, m.name)
	}
	return out
}

func reportMeasureMeanings() map[string]string {
	out := map[string]string{}
	for _, m := range reportMeasures {
		out[m.name] = m.title.EN
	}
	return out
}

// reportLine is one row of the tidy report: a figure and the attributes it is of.
type reportLine struct {
	section                                                                  string
	memberState, licenceType, region, destination, endUserType, denialGround string
	metric, metricLabel, kind, scope                                         string
	measure, unit                                                            string
	m                                                                        jsonMeasure
}

// writeReportCSV writes the report in long form, one published figure a line, each
// attribute in a column of its own (empty where it does not apply): spreadsheets
// filter and pivot it as they need.
func writeReportCSV(w http.ResponseWriter, l i18n.Lang, n *names, rep *report) {
	out := newCSVWriter(w)
	out.header(l, reportFields())
	write := func(x reportLine) {
		section, measure := 0, 0
		for i, s := range reportSections {
			if s.name == x.section {
				section = i
			}
		}
		for i, m := range reportMeasures {
			if m.name == x.measure {
				measure = i
			}
		}
		unit := x.unit
		if unit == "" {
			unit = reportMeasures[measure].unit
		}
		note := ""
		if x.m.Note != nil {
			note = i18n.Translate(l, *x.m.Note)
		}
		value := ""
		if x.m.Value != nil {
			value = strconv.FormatFloat(*x.m.Value, 'f', -1, 64)
		}
		out.row(text(x.section), text(reportSections[section].title.in(l)), integer(rep.Year),
			text(x.memberState), text(n.country(x.memberState)),
			text(x.licenceType), text(enumLabel(l, "LicenceType", x.licenceType)),
			text(x.region), text(n.region(x.region)),
			text(x.destination), text(n.country(x.destination)),
			text(x.endUserType), text(enumLabel(l, "EndUserType", x.endUserType)),
			text(x.denialGround), text(enumLabel(l, "DenialGround", x.denialGround)),
			text(x.metric), text(x.metricLabel), text(x.kind), text(x.scope),
			text(x.measure), text(reportMeasures[measure].title.in(l)), text(unit),
			number(value), text(x.m.Status), text(note))
	}
	for _, h := range rep.Headline {
		label, ok := i18n.FigureLabel(l, h.Metric)
		if !ok {
			label = h.Label
		}
		unit := h.Unit
		for _, v := range []struct {
			measure string
			m       jsonMeasure
		}{{"value", h.Value}, {"previous_year", h.PreviousYear}, {"change", h.Change}} {
			write(reportLine{section: "headline", metric: h.Metric, metricLabel: label, kind: h.Kind, scope: h.Scope, measure: v.measure, unit: unit, m: v.m})
		}
	}
	rows := func(section string, rows []reportRow) {
		for _, r := range rows {
			x := reportLine{section: section, licenceType: r.LicenceType, endUserType: r.EndUserType}
			if r.MemberState != nil {
				x.memberState = r.MemberState.Code
			}
			if r.DestinationRegion != nil {
				x.region = r.DestinationRegion.Code
			}
			for _, m := range []struct {
				name string
				m    jsonMeasure
			}{{"applications", r.Applications}, {"issued", r.Issued}, {"denials", r.Denials}, {"value_applied", r.ValueApplied}, {"value_issued", r.ValueIssued}} {
				x.measure, x.m = m.name, m.m
				write(x)
			}
		}
	}
	rows("by_member_state", rep.ByMemberState)
	rows("by_licence_type", rep.ByLicenceType)
	rows("by_destination_region", rep.ByDestinationRegion)
	for _, t := range rep.TopDestinationsByDenials {
		x := reportLine{section: "top_destinations_by_denials", destination: t.Destination.Code}
		for _, m := range []struct {
			name string
			m    jsonMeasure
		}{{"denials", t.Denials}, {"applications", t.Applications}, {"denial_rate", t.DenialRate}, {"change_denials", t.Change.Denials}, {"change_denial_rate", t.Change.DenialRate}} {
			x.measure, x.m = m.name, m.m
			write(x)
		}
		for _, g := range t.Grounds {
			x.measure, x.denialGround, x.m = "denials_citing_ground", g.Ground, g.Denials
			write(x)
		}
	}
	rows("cyber_surveillance_total", []reportRow{rep.CyberSurveillance.Total})
	rows("cyber_surveillance_by_destination_region", rep.CyberSurveillance.ByDestinationRegion)
	rows("cyber_surveillance_by_end_user_type", rep.CyberSurveillance.ByEndUserType)
	out.flush()
}

// listChangesFields are the columns of {year}-list-changes.csv: a change to the
// EU-wide list a row, with the item's scope before and after.
func listChangesFields() []field {
	fields := []field{
		{Name: "year", Type: "integer", Title: tr{"Year", "Jahr", "Année"}, Description: "The year of the report."},
		{Name: "date", Type: "date", Title: tr{"Date", "Datum", "Date"}, Description: "The day of the change."},
	}
	fields = append(fields, codeFields("kind", tr{"Change", "Änderung", "Modification"}, "What happened to the item.", "The change's label in the file's language.", i18n.Enums()["ListChangeKind"], "ListChangeKind")...)
	fields = append(fields, field{Name: "item_id", Type: "string", Title: tr{"Item", "Eintrag", "Élément"}, Description: "The item's stable id."})
	fields = append(fields, codeFields("origin", tr{"Origin", "Herkunft", "Origine"}, "Where the item comes from.", "The origin's label in the file's language.", i18n.Enums()["ListOrigin"], "ListOrigin")...)
	fields = append(fields,
		field{Name: "description", Type: "string", Title: tr{"Description", "Beschreibung", "Description"}, Description: "The item's description, in English (no official translation is shipped)."},
		field{Name: "note", Type: "string", Title: tr{"Note", "Anmerkung", "Note"}, Description: "What the change was, in English."})
	for _, side := range []struct {
		name  string
		title tr
	}{{"before", tr{"Before", "Vorher", "Avant"}}, {"after", tr{"After", "Nachher", "Après"}}} {
		fields = append(fields,
			field{Name: side.name + "_valid_from", Type: "date", Title: with(side.title, tr{"valid from", "gültig ab", "valable à partir du"}), Description: "The first day of the item's scope " + side.name + " the change; empty for an addition (before) or a removal (after)."},
			field{Name: side.name + "_description", Type: "string", Title: with(side.title, tr{"description", "Beschreibung", "description"}), Description: "The item's description " + side.name + " the change, in English."},
			field{Name: side.name + "_control_entry", Type: "string", Title: with(side.title, tr{"control list entry", "Nummer der Kontrollliste", "rubrique de la liste de contrôle"}), Description: "The item's entry of Annex I " + side.name + " the change."},
			field{Name: side.name + "_destinations", Type: "string", Title: with(side.title, tr{"destinations", "Bestimmungsländer", "destinations"}), Description: "The destinations' ISO 3166-1 alpha-2 codes " + side.name + " the change, separated by semicolons; empty for every destination."},
			field{Name: side.name + "_destination_names", Type: "string", Title: with(side.title, tr{"destinations: names", "Bestimmungsländer: Namen", "destinations : noms"}), Description: "The destinations' names in the file's language, in the same order."})
	}
	return fields
}

func writeListChangesCSV(w http.ResponseWriter, l i18n.Lang, n *names, rep *report) {
	out := newCSVWriter(w)
	out.header(l, listChangesFields())
	for _, c := range rep.ListChanges {
		record := []cell{integer(rep.Year), number(c.Date), text(c.Kind), text(enumLabel(l, "ListChangeKind", c.Kind)), text(c.Item.ID),
			text(c.Item.Origin), text(enumLabel(l, "ListOrigin", c.Item.Origin)), text(c.Item.Description), text(derefOr(c.Note))}
		for _, v := range []*struct {
			ValidFrom, Description string
			ControlEntry           *codeOnly
			Destinations           []codeOnly
		}{c.Before, c.After} {
			if v == nil {
				record = append(record, number(""), text(""), text(""), text(""), text(""))
				continue
			}
			var dest, destNames []string
			for _, d := range v.Destinations {
				dest, destNames = append(dest, d.Code), append(destNames, n.country(d.Code))
			}
			entry := ""
			if v.ControlEntry != nil {
				entry = v.ControlEntry.Code
			}
			record = append(record, number(v.ValidFrom), text(v.Description), text(entry), text(strings.Join(dest, ";")), text(strings.Join(destNames, ";")))
		}
		out.row(record...)
	}
	out.flush()
}

// notificationsFields are the columns of {year}-notifications.csv: a catch-all
// notification of the year a row, with its tally as it stood when the release was
// published.
func notificationsFields() []field {
	fields := []field{
		{Name: "year", Type: "integer", Title: tr{"Year", "Jahr", "Année"}, Description: "The year of the report."},
		{Name: "id", Type: "string", Title: tr{"Notification", "Notifizierung", "Notification"}, Description: "The notification's id."},
	}
	fields = append(fields, codeFields("procedure", tr{"Procedure", "Verfahren", "Procédure"}, "The catch-all procedure the notification followed.", "The procedure's label in the file's language.", i18n.Enums()["CatchAllProcedure"], "CatchAllProcedure")...)
	fields = append(fields, field{Name: "rule", Type: "string", Title: tr{"Rule", "Regel", "Règle"}, Description: "The rule the procedure applies, in English."})
	fields = append(fields, codeFields("notifying_state", tr{"Notifying Member State", "Notifizierender Mitgliedstaat", "État membre notifiant"}, "The Member State that notified its denial: ISO 3166-1 alpha-2.",
		"The name in the file's language: the portal's English name, CLDR's in German and French.", nil, "")...)
	fields = append(fields,
		field{Name: "notified_on", Type: "date", Title: tr{"Notified on", "Notifiziert am", "Notifiée le"}, Description: "The day of the notification."},
		field{Name: "deadline", Type: "date", Title: tr{"Deadline", "Frist", "Délai"}, Description: "The last day for the other Member States to answer."})
	fields = append(fields, codeFields("status", tr{"Status", "Status", "Statut"}, "Where the procedure stood when the release was published.", "The status's label in the file's language.", i18n.Enums()["NotificationStatus"], "NotificationStatus")...)
	fields = append(fields,
		field{Name: "explanation", Type: "string", Title: tr{"Explanation", "Erläuterung", "Explication"}, Description: "The tally in one line, with the outcome and the rule applied, in English."},
		field{Name: "tally_eligible", Type: "integer", Title: tr{"Member States eligible to object", "Einwandsberechtigte Mitgliedstaaten", "États membres pouvant objecter"}, Description: "The other Member States that could object (objection procedures only)."},
		field{Name: "tally_objecting", Type: "integer", Title: tr{"Member States objecting", "Einwendende Mitgliedstaaten", "États membres objectant"}, Description: "The Member States whose objections count."},
		field{Name: "tally_states_threshold", Type: "integer", Title: tr{"Objections needed (states)", "Erforderliche Einwände (Staaten)", "Objections requises (États)"}, Description: "The number of objecting states a qualified majority needs."},
		field{Name: "tally_population_share", Type: "number", Unit: "share", Title: tr{"Population share of the objecting states", "Bevölkerungsanteil der einwendenden Staaten", "Part de la population des États objectant"}, Description: "The objecting states' share of the eligible states' population, from 0 to 1."},
		field{Name: "tally_not_objecting", Type: "integer", Title: tr{"Member States not objecting", "Nicht einwendende Mitgliedstaaten", "États membres n'objectant pas"}, Description: "The eligible states that did not object."},
		field{Name: "tally_blocking_minimum", Type: "integer", Title: tr{"Blocking minority (states)", "Sperrminorität (Staaten)", "Minorité de blocage (États)"}, Description: "The fewest states that can block a qualified majority."},
		field{Name: "tally_deemed_attained", Type: "boolean", Title: tr{"Qualified majority deemed attained", "Qualifizierte Mehrheit gilt als erreicht", "Majorité qualifiée réputée atteinte"}, Description: "Whether the blocking-minority clause deemed a qualified majority attained."},
		field{Name: "tally_population_year", Type: "integer", Title: tr{"Population year", "Bevölkerungsjahr", "Année de population"}, Description: "The year of the population figures applied."},
		field{Name: "tally_population_source", Type: "string", Title: tr{"Population source", "Bevölkerungsquelle", "Source de la population"}, Description: "Where the population figures come from."},
		field{Name: "tally_qualified_majority", Type: "boolean", Title: tr{"Qualified majority objected", "Qualifizierte Mehrheit erhob Einwand", "Majorité qualifiée d'objection"}, Description: "Whether a qualified majority objected."},
		field{Name: "agreement_eligible", Type: "integer", Title: tr{"Member States asked to agree", "Zur Zustimmung aufgeforderte Mitgliedstaaten", "États membres appelés à donner leur accord"}, Description: "The Member States whose agreement is needed (agreement procedures only)."},
		field{Name: "agreement_agreed", Type: "string", Title: tr{"Member States that agreed", "Zustimmende Mitgliedstaaten", "États membres ayant donné leur accord"}, Description: "Their ISO 3166-1 alpha-2 codes, separated by semicolons."},
		field{Name: "agreement_missing", Type: "string", Title: tr{"Member States that did not agree", "Nicht zustimmende Mitgliedstaaten", "États membres n'ayant pas donné leur accord"}, Description: "Their ISO 3166-1 alpha-2 codes, separated by semicolons."},
		field{Name: "agreement_all_agreed", Type: "boolean", Title: tr{"All Member States agreed", "Alle Mitgliedstaaten stimmten zu", "Tous les États membres ont donné leur accord"}, Description: "Whether every Member State asked agreed."},
	)
	return fields
}

func writeNotificationsCSV(w http.ResponseWriter, l i18n.Lang, n *names, rep *report) {
	out := newCSVWriter(w)
	out.header(l, notificationsFields())
	for _, x := range rep.Notifications {
		record := []cell{integer(rep.Year), text(x.ID), text(x.Procedure), text(enumLabel(l, "CatchAllProcedure", x.Procedure)), text(x.Rule.Rule),
			text(x.NotifyingState.Code), text(n.country(x.NotifyingState.Code)), number(x.NotifiedOn), number(x.Deadline),
			text(x.Status), text(enumLabel(l, "NotificationStatus", x.Status)), text(x.Explanation)}
		if t := x.Tally; t != nil {
			record = append(record, integer(t.Eligible), integer(t.Objecting), integer(t.StatesThreshold),
				number(strconv.FormatFloat(t.PopulationShare, 'f', -1, 64)), integer(t.NotObjecting), integer(t.BlockingMinimum),
				number(strconv.FormatBool(t.DeemedAttained)), integer(t.PopulationYear), text(t.PopulationSource), number(strconv.FormatBool(t.QualifiedMajority)))
		} else {
			record = append(record, number(""), number(""), number(""), number(""), number(""), number(""), number(""), number(""), text(""), number(""))
		}
		if a := x.Agreement; a != nil {
			record = append(record, integer(a.Eligible), text(strings.Join(a.Agreed, ";")), text(strings.Join(a.Missing, ";")), number(strconv.FormatBool(a.AllAgreed)))
		} else {
			record = append(record, number(""), text(""), text(""), number(""))
		}
		out.row(record...)
	}
	out.flush()
}

// releaseDocument serves GET /releases/{id}: a release's metadata and citation, the
// target of its permalink.
func releaseDocument(d *db.DB, c graph.Citations, logger *slog.Logger) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id := r.PathValue("id")
		_, err := params(r, nil)
		if err == nil {
			err = checkText("the release id", id)
		}
		var rel *db.Release
		if err == nil {
			rel, err = d.Release(r.Context(), &id)
		}
		if err != nil {
			writeHTTPError(w, r, logger, err)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{
			"id": rel.ID, "title": rel.Title, "description": rel.Description, "publisher": rel.Publisher,
			"source": rel.Source, "licence": rel.Licence, "methodologyVersion": rel.MethodologyVersion,
			"periodStart": rel.PeriodStart.Format("2006-01-02"), "periodEnd": rel.PeriodEnd.Format("2006-01-02"),
			"publishedOn": rel.PublishedOn.Format("2006-01-02"), "synthetic": rel.Synthetic, "checksum": rel.Checksum,
			"citation": rel.Citation, "permalink": c.ReleasePermalink(rel),
		})
	}
}
