package web

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/dualuse-transparency/portal/db"
	"github.com/dualuse-transparency/portal/internal/apperr"
	"github.com/dualuse-transparency/portal/internal/i18n"
)

// GET /download/datapackage.json is a Frictionless Data Package descriptor
// (https://specs.frictionlessdata.io/data-package/) of a release's CSV downloads: a
// resource per file, with its path relative to the descriptor (so the descriptor works
// at any base URL), the Table Schema of its columns (name, type, title, description,
// unit, the closed lists of codes as constraints.enum with their meanings as
// categories), and the CSV dialect. The statistics file's columns depend on groupBy,
// so the descriptor takes the same groupBy (YEAR by default); the annual report's
// files are described for ?year= (the release's last year by default). With ?lang=
// (or Accept-Language) it describes the files in that language: field names are then
// the German or French headers.

type dataPackage struct {
	Profile     string              `json:"profile"`
	Name        string              `json:"name"`
	ID          string              `json:"id"`
	Title       string              `json:"title"`
	Description string              `json:"description"`
	Version     string              `json:"version"`
	Created     string              `json:"created"`
	Licenses    []map[string]string `json:"licenses"`
	Sources     []map[string]string `json:"sources"`
	Resources   []dataResource      `json:"resources"`
}

type dataResource struct {
	Profile     string         `json:"profile"`
	Name        string         `json:"name"`
	Path        string         `json:"path"`
	Title       string         `json:"title"`
	Description string         `json:"description"`
	Format      string         `json:"format"`
	Mediatype   string         `json:"mediatype"`
	Encoding    string         `json:"encoding"`
	Dialect     map[string]any `json:"dialect"`
	Schema      tableSchema    `json:"schema"`
	// URLTemplate says which parameters the download takes besides the ones in path.
	URLTemplate string `json:"x-urlTemplate"`
}

type tableSchema struct {
	Fields        []schemaField `json:"fields"`
	MissingValues []string      `json:"missingValues"`
}

type schemaField struct {
	Name        string         `json:"name"`
	Type        string         `json:"type"`
	Title       string         `json:"title"`
	Description string         `json:"description"`
	Unit        string         `json:"unit,omitempty"`
	Constraints map[string]any `json:"constraints,omitempty"`
	Categories  []category     `json:"categories,omitempty"`
}

type category struct {
	Value string `json:"value"`
	Label string `json:"label"`
}

// datapackage serves GET /download/datapackage.json.
func datapackage(d *db.DB, logger *slog.Logger) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		q, err := params(r, datapackageParams)
		var l i18n.Lang
		if err == nil {
			l, err = langOf(q)
		}
		groupBy, err := parseList[db.Dimension](q, "groupBy", err)
		years, err := parseInts(q, "year", err)
		var rel *db.Release
		if err == nil {
			rel, err = d.Release(r.Context(), optional(q, "release"))
		}
		if err == nil && len(years) > 1 {
			err = apperr.Errorf(apperr.Invalid, "year: give one year")
		}
		if err != nil {
			writeHTTPError(w, r, logger, err)
			return
		}
		if !q.Has("groupBy") {
			groupBy = []db.Dimension{db.DimYear}
		}
		year := rel.PeriodEnd.Year()
		if len(years) == 1 {
			year = years[0]
		}
		inlineJSON(w, rel.ID, "datapackage")
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		_ = enc.Encode(newDataPackage(rel, l, groupBy, year))
	}
}

func newDataPackage(rel *db.Release, l i18n.Lang, groupBy []db.Dimension, year int) dataPackage {
	pin := url.Values{"release": {rel.ID}}
	if l != i18n.EN {
		pin.Set("lang", string(l))
	}
	stats := url.Values{"groupBy": {joinDims(groupBy)}}
	path := func(file string, extra url.Values) string {
		v := url.Values{}
		for k, x := range pin {
			v[k] = x
		}
		for k, x := range extra {
			v[k] = x
		}
		return file + "?" + v.Encode()
	}
	res := func(name, file string, extra url.Values, title, desc, template string, fields []field) dataResource {
		return dataResource{Profile: "tabular-data-resource", Name: name, Path: path(file, extra), Title: title, Description: desc,
			Format: "csv", Mediatype: "text/csv", Encoding: "utf-8",
			Dialect:     map[string]any{"delimiter": ",", "quoteChar": `"`, "doubleQuote": true, "header": true, "lineTerminator": "\n"},
			Schema:      schemaOf(l, fields),
			URLTemplate: template}
	}
	const bomNote = " The file starts with a UTF-8 byte order mark (for Excel); every text field is quoted and no number is."
	return dataPackage{
		Profile: "tabular-data-package",
		Name:    "dualuse-transparency-" + strings.ToLower(fileSafe(rel.ID)),
		ID:      rel.ID,
		Title:   rel.Title,
		Description: "The CSV downloads of release " + rel.ID + ". Figures computed from licence decisions are protected by disclosure control " +
			"(status PERTURBED or CONFIDENTIAL); official figures are exact (status OFFICIAL). Cite: " + rel.Citation,
		Version:  rel.ID,
		Created:  rel.PublishedOn.Format(time.DateOnly),
		Licenses: []map[string]string{{"name": rel.Licence}},
		Sources:  []map[string]string{{"title": rel.Source}},
		Resources: []dataResource{
			res("licence-statistics", "licence-statistics.csv", stats, "Licence statistics",
				"Applications, licences issued, denials and values, grouped by "+joinDims(groupBy)+"."+bomNote,
				"licence-statistics.csv{?groupBy,orderBy,release,lang,years,from,to,memberStates,destinations,destinationRegions,controlEntries,controlCategories,cyberSurveillance,catchAll,catchAlls,licenceTypes,outcomes,endUserTypes,denialGrounds}",
				statisticsFields(groupBy)),
			res("denials-by-destination", "denials-by-destination.csv", nil, "Denials by destination",
				"Denials, applications and the denial rate per destination, with the previous period, cyber-surveillance items and the grounds cited."+bomNote,
				"denials-by-destination.csv{?level,orderBy,release,lang,years,from,to,memberStates,destinations,destinationRegions,controlEntries,controlCategories,cyberSurveillance,catchAll,catchAlls,licenceTypes,outcomes,endUserTypes,denialGrounds}",
				denialsFields()),
			res("surveillance-list", "surveillance-list.csv", nil, "EU-wide list of cyber-surveillance items",
				"The items on the list on a date (today by default)."+bomNote, "surveillance-list.csv{?asOf,release,lang}", listFields()),
			res("annual-report", fmt.Sprintf("annual-report/%d.csv", year), nil, fmt.Sprintf("Annual report %d", year),
				"The annual report in long form: one published figure a row, each attribute in a column of its own (empty where it does not apply)."+bomNote,
				"annual-report/{year}.csv{?release,lang}", reportFields()),
			res("annual-report-list-changes", fmt.Sprintf("annual-report/%d-list-changes.csv", year), nil, fmt.Sprintf("Changes to the EU-wide list in %d", year),
				"Additions, amendments and removals of the year, with the item's scope before and after."+bomNote,
				"annual-report/{year}-list-changes.csv{?release,lang}", listChangesFields()),
			res("annual-report-notifications", fmt.Sprintf("annual-report/%d-notifications.csv", year), nil, fmt.Sprintf("Catch-all notifications of %d", year),
				"The year's catch-all notifications and their tallies as they stood when the release was published."+bomNote,
				"annual-report/{year}-notifications.csv{?release,lang}", notificationsFields()),
		},
	}
}

// schemaOf is the Table Schema of fields, named as the headers of a file in l.
func schemaOf(l i18n.Lang, fields []field) tableSchema {
	s := tableSchema{MissingValues: []string{""}}
	for _, f := range fields {
		sf := schemaField{Name: f.header(l), Type: f.Type, Title: f.Title.in(l), Description: f.Description, Unit: f.Unit}
		if len(f.Enum) > 0 {
			sf.Constraints = map[string]any{"enum": f.Enum}
			for _, v := range f.Enum {
				sf.Categories = append(sf.Categories, category{Value: v, Label: f.EnumLabels[v]})
			}
		}
		s.Fields = append(s.Fields, sf)
	}
	return s
}

func joinDims(dims []db.Dimension) string {
	s := make([]string, len(dims))
	for i, d := range dims {
		s[i] = string(d)
	}
	return strings.Join(s, ",")
}
