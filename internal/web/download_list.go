package web

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/dualuse-transparency/portal/db"
	"github.com/dualuse-transparency/portal/graph"
	"github.com/dualuse-transparency/portal/internal/i18n"
)

// listItem is an item of the EU-wide list as the downloads publish it: the version
// of its scope in force on the list's date.
type listItem struct {
	ID             string   `json:"id"`
	Origin         string   `json:"origin"`
	Description    string   `json:"description"`
	ControlEntry   string   `json:"controlEntry,omitempty"`
	Destinations   []string `json:"destinations"`
	NotificationID string   `json:"notificationId,omitempty"`
	Procedure      string   `json:"procedure,omitempty"`
	ListedOn       string   `json:"listedOn"`
	VersionFrom    string   `json:"versionFrom"`
	AmendedOn      string   `json:"amendedOn,omitempty"`
	Amendment      string   `json:"amendment,omitempty"`
	LegalReference string   `json:"legalReference"`
	Note           string   `json:"note,omitempty"`
}

// listDocument is the JSON download: the list on a date, and where it comes from.
type listDocument struct {
	Release  string     `json:"release"`
	Citation string     `json:"citation"`
	AsOf     string     `json:"asOf"`
	Version  string     `json:"version,omitempty"`
	Items    []listItem `json:"items"`
}

// surveillanceListDownload serves the list on a date (today by default) as CSV or
// JSON, at a stable URL, tagged for caching by withETag.
func surveillanceListDownload(d *db.DB, logger *slog.Logger, format string) http.HandlerFunc {
	known := listParams
	if format == "csv" {
		known = listCSVParams
	}
	return func(w http.ResponseWriter, r *http.Request) {
		q, err := params(r, known)
		asOf, err := parseDate(q, "asOf", err)
		var l i18n.Lang
		if err == nil {
			l, err = langOf(q)
		}
		var rel *db.Release
		if err == nil {
			rel, err = d.Release(r.Context(), optional(q, "release"))
		}
		var list *db.SurveillanceList
		if err == nil {
			list, err = d.SurveillanceListOn(r.Context(), rel, graph.DateOrToday(asOf))
		}
		var n *names
		if err == nil && format == "csv" {
			n, err = loadNames(r.Context(), d, l)
		}
		if err != nil {
			writeHTTPError(w, r, logger, err)
			return
		}
		doc := newListDocument(list)
		if format == "json" {
			inlineJSON(w, rel.ID, "surveillance-list-"+doc.AsOf)
			_ = json.NewEncoder(w).Encode(doc)
			return
		}
		attachment(w, rel.ID, "surveillance-list-"+doc.AsOf)
		writeListCSV(w, l, n, doc.Items)
	}
}

func newListDocument(list *db.SurveillanceList) listDocument {
	doc := listDocument{Release: list.Release.ID, Citation: list.Release.Citation, AsOf: list.AsOf.Format(time.DateOnly), Items: []listItem{}}
	if list.Version != nil {
		doc.Version = list.Version.Format(time.DateOnly)
	}
	for _, i := range list.Items {
		item := listItem{
			ID: i.ID, Origin: string(i.Origin), Description: i.Description, ControlEntry: derefOr(i.ControlEntryCode),
			Destinations: i.DestinationCodes, NotificationID: derefOr(i.NotificationID), ListedOn: i.ListedOn.Format(time.DateOnly),
			VersionFrom: i.ValidFrom.Format(time.DateOnly), AmendedOn: formatDate(i.AmendedOn()), Amendment: derefOr(i.Amendment),
			LegalReference: i.LegalReference, Note: derefOr(i.Note),
		}
		if i.Notification != nil {
			item.Procedure = string(i.Notification.Procedure)
		}
		doc.Items = append(doc.Items, item)
	}
	return doc
}

func formatDate(d *time.Time) string {
	if d == nil {
		return ""
	}
	return d.Format(time.DateOnly)
}

// listFields are the columns of the list download.
func listFields() []field {
	fields := []field{{Name: "id", Type: "string", Title: tr{"Item", "Eintrag", "Élément"}, Description: "A stable id: ANNEX_I: and the control entry code, or the catch-all item's id."}}
	fields = append(fields, codeFields("origin", tr{"Origin", "Herkunft", "Origine"}, "Where the item comes from.", "The origin's label in the file's language.", i18n.Enums()["ListOrigin"], "ListOrigin")...)
	fields = append(fields,
		field{Name: "description", Type: "string", Title: tr{"Description", "Beschreibung", "Description"}, Description: "The item's description, in English (no official translation is shipped)."},
		field{Name: "control_entry", Type: "string", Title: tr{"Control list entry", "Nummer der Kontrollliste", "Rubrique de la liste de contrôle"}, Description: "The entry of Annex I, where the item has one."},
		field{Name: "destinations", Type: "string", Title: tr{"Destinations", "Bestimmungsländer", "Destinations"}, Description: "The ISO 3166-1 alpha-2 codes of the destinations the item applies to, separated by semicolons; empty for every destination."},
		field{Name: "destination_names", Type: "string", Title: tr{"Destinations: names", "Bestimmungsländer: Namen", "Destinations : noms"}, Description: "The destinations' names in the file's language, in the same order, separated by semicolons."},
		field{Name: "notification_id", Type: "string", Title: tr{"Notification", "Notifizierung", "Notification"}, Description: "The catch-all notification that put the item on the list."})
	fields = append(fields, codeFields("procedure", tr{"Procedure", "Verfahren", "Procédure"}, "The catch-all procedure the notification followed.", "The procedure's label in the file's language.", i18n.Enums()["CatchAllProcedure"], "CatchAllProcedure")...)
	return append(fields,
		field{Name: "listed_on", Type: "date", Title: tr{"Listed on", "Gelistet am", "Inscrit le"}, Description: "The day the item was listed."},
		field{Name: "version_from", Type: "date", Title: tr{"Version from", "Fassung vom", "Version du"}, Description: "The first day of the version of the item's scope shown."},
		field{Name: "amended_on", Type: "date", Title: tr{"Amended on", "Geändert am", "Modifié le"}, Description: "The day of the item's last amendment on or before the list's date."},
		field{Name: "amendment", Type: "string", Title: tr{"Amendment", "Änderung", "Modification"}, Description: "What the amendment changed."},
		field{Name: "legal_reference", Type: "string", Title: tr{"Legal reference", "Rechtsgrundlage", "Référence juridique"}, Description: "The act or notice that listed the item."},
		field{Name: "note", Type: "string", Title: tr{"Note", "Anmerkung", "Note"}, Description: "A note on the item."})
}

func writeListCSV(w http.ResponseWriter, l i18n.Lang, n *names, items []listItem) {
	out := newCSVWriter(w)
	out.header(l, listFields())
	for _, i := range items {
		var destNames []string
		for _, c := range i.Destinations {
			destNames = append(destNames, n.country(c))
		}
		out.row(text(i.ID), text(i.Origin), text(enumLabel(l, "ListOrigin", i.Origin)), text(i.Description), text(i.ControlEntry),
			text(strings.Join(i.Destinations, ";")), text(strings.Join(destNames, ";")), text(i.NotificationID),
			text(i.Procedure), text(enumLabel(l, "CatchAllProcedure", i.Procedure)), number(i.ListedOn), number(i.VersionFrom),
			number(i.AmendedOn), text(i.Amendment), text(i.LegalReference), text(i.Note))
	}
	out.flush()
}

// derefOr returns *p, or the zero value for nil.
func derefOr[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}
