package web

import (
	"encoding/csv"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/dualuse-transparency/portal/db"
	"github.com/dualuse-transparency/portal/graph/scalars"
	"github.com/dualuse-transparency/portal/internal/apperr"
	"github.com/dualuse-transparency/portal/internal/codes"
	"github.com/dualuse-transparency/portal/internal/disclosure"
)

// The CSV downloads take the same arguments as their GraphQL queries, as URL
// parameters: lists comma-separated, enums by name, dates as YYYY-MM-DD, and orderBy as
// FIELD or FIELD:ASC. A download is the whole table, not a page.

// licenceStatisticsCSV serves GET /download/licence-statistics.csv.
func licenceStatisticsCSV(d *db.DB, logger *slog.Logger) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		q, err := params(r, statisticsParams)
		var query db.StatisticsQuery
		var orderBy []db.StatisticsOrder
		if err == nil {
			query, orderBy, err = statisticsArgs(q)
		}
		if err == nil {
			query.Release, err = d.Release(r.Context(), optional(q, "release"))
		}
		var rows []db.StatisticsRow
		if err == nil {
			rows, err = d.LicenceStatisticsRows(r.Context(), query, orderBy)
		}
		if err != nil {
			writeHTTPError(w, r, logger, err)
			return
		}
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="licence-statistics-%s.csv"`, query.Release.ID))
		w.Header().Set("X-Release", query.Release.ID)
		writeStatisticsCSV(w, query.GroupBy, rows)
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
		q, err := params(r, denialsParams)
		var query db.DenialsQuery
		var order db.DenialsOrder
		if err == nil {
			query, order, err = denialsArgs(q)
		}
		if err == nil {
			query.Release, err = d.Release(r.Context(), optional(q, "release"))
		}
		var rows []db.DenialsRow
		if err == nil {
			rows, _, err = d.DenialsRows(r.Context(), query, order)
		}
		var names map[string]string
		if err == nil {
			names, err = d.DestinationNames(r.Context(), query.Level)
		}
		if err != nil {
			writeHTTPError(w, r, logger, err)
			return
		}
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="denials-by-destination-%s.csv"`, query.Release.ID))
		w.Header().Set("X-Release", query.Release.ID)
		writeDenialsCSV(w, rows, names)
	}
}

var denialColumns = []struct {
	name    string
	measure func(*db.DenialsRow) disclosure.Measure
}{
	{"denials", func(r *db.DenialsRow) disclosure.Measure { return r.Denials }},
	{"applications", func(r *db.DenialsRow) disclosure.Measure { return r.Applications }},
	{"denial_rate", func(r *db.DenialsRow) disclosure.Measure { return r.DenialRate }},
	{"previous_denials", func(r *db.DenialsRow) disclosure.Measure { return r.Previous.Denials }},
	{"previous_applications", func(r *db.DenialsRow) disclosure.Measure { return r.Previous.Applications }},
	{"previous_denial_rate", func(r *db.DenialsRow) disclosure.Measure { return r.Previous.DenialRate }},
	{"change_denials", func(r *db.DenialsRow) disclosure.Measure { return r.Change.Denials }},
	{"change_denial_rate", func(r *db.DenialsRow) disclosure.Measure { return r.Change.DenialRate }},
	{"cyber_surveillance_denials", func(r *db.DenialsRow) disclosure.Measure { return r.CyberSurveillance.Denials }},
	{"cyber_surveillance_applications", func(r *db.DenialsRow) disclosure.Measure { return r.CyberSurveillance.Applications }},
	{"cyber_surveillance_denial_rate", func(r *db.DenialsRow) disclosure.Measure { return r.CyberSurveillance.DenialRate }},
}

// writeDenialsCSV writes a row per destination: code, name, each figure's value,
// status and note, and the grounds as GROUND:denials pairs.
func writeDenialsCSV(w http.ResponseWriter, rows []db.DenialsRow, names map[string]string) {
	out := csv.NewWriter(w)
	header := []string{"code", "name"}
	for _, c := range denialColumns {
		header = append(header, c.name, c.name+"_status", c.name+"_note")
	}
	_ = out.Write(append(header, "grounds"))
	for _, r := range rows {
		record := []string{r.Key(), names[r.Key()]}
		for _, c := range denialColumns {
			record = append(record, measureFields(c.measure(&r))...)
		}
		var grounds []string
		for _, g := range r.Grounds {
			grounds = append(grounds, fmt.Sprintf("%s:%s", g.Ground, measureFields(g.Denials)[0]))
		}
		_ = out.Write(append(record, strings.Join(grounds, ";")))
	}
	out.Flush()
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

// writeStatisticsCSV writes one column per dimension and, per measure, its value,
// status and note.
func writeStatisticsCSV(w http.ResponseWriter, groupBy []db.Dimension, rows []db.StatisticsRow) {
	out := csv.NewWriter(w)
	header := []string{}
	for _, d := range groupBy {
		header = append(header, strings.ToLower(string(d)))
	}
	for _, m := range measureColumns {
		header = append(header, m.name, m.name+"_status", m.name+"_note")
	}
	_ = out.Write(header)
	for _, r := range rows {
		record := r.DimensionValues()
		for _, m := range measureColumns {
			record = append(record, measureFields(m.measure(&r))...)
		}
		_ = out.Write(record)
	}
	out.Flush()
}

var measureColumns = []struct {
	name    string
	measure func(*db.StatisticsRow) disclosure.Measure
}{
	{"applications", func(r *db.StatisticsRow) disclosure.Measure { return r.Applications }},
	{"issued", func(r *db.StatisticsRow) disclosure.Measure { return r.Issued }},
	{"denials", func(r *db.StatisticsRow) disclosure.Measure { return r.Denials }},
	{"value_applied_eur", func(r *db.StatisticsRow) disclosure.Measure { return r.ValueApplied }},
	{"value_issued_eur", func(r *db.StatisticsRow) disclosure.Measure { return r.ValueIssued }},
}

func measureFields(m disclosure.Measure) []string {
	value, note := "", ""
	if m.Value != nil {
		value = strconv.FormatFloat(*m.Value, 'f', -1, 64)
	}
	if m.Note != nil {
		note = *m.Note
	}
	return []string{value, string(m.Status), note}
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
