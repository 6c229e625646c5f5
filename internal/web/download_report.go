package web

import (
	_ "embed"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/dualuse-transparency/portal/db"
	"github.com/dualuse-transparency/portal/graph"
	"github.com/dualuse-transparency/portal/internal/apperr"
)

// annualReportQuery asks for the whole report. The downloads run it on the GraphQL
// endpoint itself, so a file is exactly what the API answers.
//
//go:embed annual_report.graphql
var annualReportQuery string

// reportDownload serves GET /download/annual-report/{year}.json and .csv.
func reportDownload(api http.Handler, logger *slog.Logger) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		name, format, _ := strings.Cut(r.PathValue("file"), ".")
		if format != "json" && format != "csv" {
			writeHTTPError(w, r, logger, apperr.Errorf(apperr.NotFound, "no such file: want /download/annual-report/YEAR.json or .csv"))
			return
		}
		q, err := params(r, releaseParams)
		var year int
		if err == nil {
			year, err = parseYear(name)
		}
		if err != nil {
			writeHTTPError(w, r, logger, err)
			return
		}
		report, err := runReport(api, r, q, year)
		if err != nil {
			writeHTTPError(w, r, logger, err)
			return
		}
		if format == "json" {
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write(report)
			return
		}
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="annual-report-%d.csv"`, year))
		writeReportCSV(w, report)
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

// writeReportCSV writes the report in long form, one published number a line:
// section, row, measure, value, status, note. Spreadsheets pivot it as they need.
func writeReportCSV(w http.ResponseWriter, report json.RawMessage) {
	var doc map[string]any
	_ = json.Unmarshal(report, &doc)
	out := csv.NewWriter(w)
	_ = out.Write([]string{"section", "row", "measure", "value", "status", "note"})
	for _, section := range []string{"headline", "byMemberState", "byLicenceType", "byDestinationRegion", "topDestinationsByDenials", "cyberSurveillance"} {
		flatten(out, section, "", doc[section])
	}
	out.Flush()
}

// flatten writes every measure ({value, status, note}) under v, labelled by the
// section and the row's codes and names.
func flatten(out *csv.Writer, section, row string, v any) {
	switch v := v.(type) {
	case []any:
		for _, item := range v {
			flatten(out, section, row, item)
		}
	case map[string]any:
		if status, ok := v["status"].(string); ok {
			_ = out.Write([]string{section, strings.TrimPrefix(row, " "), "", text(v["value"]), status, text(v["note"])})
			return
		}
		label := row + rowLabel(v)
		for _, k := range sortedKeys(v) {
			if sub, ok := v[k].(map[string]any); ok && sub["status"] != nil {
				_ = out.Write([]string{section, strings.TrimSpace(label), k, text(sub["value"]), text(sub["status"]), text(sub["note"])})
			} else if _, nested := v[k].(map[string]any); nested || isList(v[k]) {
				flatten(out, section, label+" "+k, v[k])
			}
		}
	}
}

// rowLabel names a row by its scalar fields and the code of its objects.
func rowLabel(v map[string]any) string {
	var parts []string
	for _, k := range sortedKeys(v) {
		switch x := v[k].(type) {
		case string, float64, bool:
			parts = append(parts, fmt.Sprintf("%s=%v", k, x))
		case map[string]any:
			if code, ok := x["code"]; ok {
				parts = append(parts, fmt.Sprintf("%s=%v", k, code))
			}
		}
	}
	return " " + strings.Join(parts, " ")
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func isList(v any) bool { _, ok := v.([]any); return ok }

func text(v any) string {
	if v == nil {
		return ""
	}
	if f, ok := v.(float64); ok {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	return fmt.Sprint(v)
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
