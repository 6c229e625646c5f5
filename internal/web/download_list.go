package web

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/dualuse-transparency/portal/db"
	"github.com/dualuse-transparency/portal/graph"
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
	return func(w http.ResponseWriter, r *http.Request) {
		q, err := params(r, listParams)
		asOf, err := parseDate(q, "asOf", err)
		var rel *db.Release
		if err == nil {
			rel, err = d.Release(r.Context(), optional(q, "release"))
		}
		var list *db.SurveillanceList
		if err == nil {
			list, err = d.SurveillanceListOn(r.Context(), rel, graph.DateOrToday(asOf))
		}
		if err != nil {
			writeHTTPError(w, r, logger, err)
			return
		}
		w.Header().Set("X-Release", rel.ID)
		doc := newListDocument(list)
		if format == "json" {
			w.Header().Set("Content-Type", "application/json")
			_ = json.NewEncoder(w).Encode(doc)
			return
		}
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="surveillance-list-%s.csv"`, doc.AsOf))
		writeListCSV(w, doc.Items)
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

func writeListCSV(w http.ResponseWriter, items []listItem) {
	out := csv.NewWriter(w)
	_ = out.Write([]string{"id", "origin", "description", "control_entry", "destinations", "notification_id", "procedure",
		"listed_on", "version_from", "amended_on", "amendment", "legal_reference", "note"})
	for _, i := range items {
		_ = out.Write([]string{i.ID, i.Origin, i.Description, i.ControlEntry, strings.Join(i.Destinations, ";"),
			i.NotificationID, i.Procedure, i.ListedOn, i.VersionFrom, i.AmendedOn, i.Amendment, i.LegalReference, i.Note})
	}
	out.Flush()
}

// derefOr returns *p, or the zero value for nil.
func derefOr[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}
