package i18n

import "slices"

// FigureLabel returns the human label, in language l, of a headline figure's metric:
// the portal's computed figures (applications, issued, denials, value_applied,
// value_issued) and the metrics of the official figures releases carry
// (official_figures.csv), with the unit in brackets: FigureLabel(EN,
// "share_of_extra_eu_exports_authorised") is "Share of extra-EU exports authorised
// (%)". The bool is false for a metric the table lacks: the caller then keeps the
// metric's name. The wording is the portal's own, after the Commission's reports on
// the implementation of Regulation (EU) 2021/821.
func FigureLabel(l Lang, metric string) (string, bool) {
	row, ok := figureLabels[metric]
	if !ok {
		return "", false
	}
	s := row.pick(l)
	return s, s != ""
}

// FigureMetrics returns the metrics FigureLabel knows, sorted.
func FigureMetrics() []string {
	out := make([]string, 0, len(figureLabels))
	for m := range figureLabels {
		out = append(out, m)
	}
	slices.Sort(out)
	return out
}

var figureLabels = map[string]LabelRow{
	// Computed by the portal from licence decisions.
	"applications":  {EN: "Licence applications (count)", DE: "Genehmigungsanträge (Anzahl)", FR: "Demandes d'autorisation (nombre)"},
	"issued":        {EN: "Licences issued (count)", DE: "Erteilte Genehmigungen (Anzahl)", FR: "Autorisations octroyées (nombre)"},
	"denials":       {EN: "Licences denied (count)", DE: "Abgelehnte Genehmigungen (Anzahl)", FR: "Autorisations refusées (nombre)"},
	"value_applied": {EN: "Value applied for (EUR)", DE: "Beantragter Wert (EUR)", FR: "Valeur demandée (EUR)"},
	"value_issued":  {EN: "Value of licences issued (EUR)", DE: "Wert der erteilten Genehmigungen (EUR)", FR: "Valeur des autorisations octroyées (EUR)"},

	// Official figures (metric names of official_figures.csv).
	"value_authorised_exports":             {EN: "Value of exports authorised (EUR)", DE: "Wert der genehmigten Ausfuhren (EUR)", FR: "Valeur des exportations autorisées (EUR)"},
	"value_authorised_individual":          {EN: "Value authorised under individual licences (EUR)", DE: "Genehmigter Wert, Einzelgenehmigungen (EUR)", FR: "Valeur autorisée, autorisations individuelles (EUR)"},
	"value_authorised_global":              {EN: "Value authorised under global licences (EUR)", DE: "Genehmigter Wert, Globalgenehmigungen (EUR)", FR: "Valeur autorisée, autorisations globales (EUR)"},
	"value_authorised_general":             {EN: "Value authorised under general licences (EUR)", DE: "Genehmigter Wert, Allgemeine Genehmigungen (EUR)", FR: "Valeur autorisée, autorisations générales (EUR)"},
	"value_applications":                   {EN: "Value of licence applications (EUR)", DE: "Wert der Genehmigungsanträge (EUR)", FR: "Valeur des demandes d'autorisation (EUR)"},
	"value_denied":                         {EN: "Value of licences denied (EUR)", DE: "Wert der abgelehnten Genehmigungen (EUR)", FR: "Valeur des autorisations refusées (EUR)"},
	"share_of_extra_eu_exports_authorised": {EN: "Share of extra-EU exports authorised (%)", DE: "Anteil genehmigter Ausfuhren an den Ausfuhren aus der EU (%)", FR: "Part des exportations hors UE autorisées (%)"},
	"share_of_extra_eu_exports_applied":    {EN: "Share of extra-EU exports applied for (%)", DE: "Anteil beantragter Ausfuhren an den Ausfuhren aus der EU (%)", FR: "Part des exportations hors UE ayant fait l'objet d'une demande (%)"},
	"individual_licences_issued":           {EN: "Individual licences issued (count)", DE: "Erteilte Einzelgenehmigungen (Anzahl)", FR: "Autorisations individuelles octroyées (nombre)"},
}
