package main

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The dimensions of the table builder the attacks use, by their GraphQL names.
const (
	dimYear     = "YEAR"
	dimQuarter  = "QUARTER"
	dimMS       = "MEMBER_STATE"
	dimDest     = "DESTINATION"
	dimEntry    = "CONTROL_ENTRY"
	dimLT       = "LICENCE_TYPE"
	dimEUT      = "END_USER_TYPE"
	dimOutcome  = "OUTCOME"
	dimCatchAll = "CATCH_ALL"
	dimGround   = "DENIAL_GROUND"
)

// fineDims are the attributes that, crossed over a short period, list decisions.
var fineDims = []string{dimMS, dimDest, dimEntry, dimLT, dimEUT, dimOutcome}

// dimField is how a row answers each dimension: its field and the selection under it.
var dimField = map[string]struct{ name, sub string }{
	dimYear:     {"year", ""},
	dimQuarter:  {"quarter", ""},
	dimMS:       {"memberState", "{ code }"},
	dimDest:     {"destination", "{ code }"},
	dimEntry:    {"controlEntry", "{ code }"},
	dimLT:       {"licenceType", ""},
	dimEUT:      {"endUserType", ""},
	dimOutcome:  {"outcome", ""},
	dimCatchAll: {"catchAll", ""},
	dimGround:   {"denialGround", ""},
}

// smallDims have a few dozen values at most, so one page of 100 holds a table by one of them.
var smallDims = []string{dimYear, dimQuarter, dimMS, dimLT, dimEUT, dimOutcome, dimCatchAll}

// The licence types, outcomes and end-user types, from the API's enums: public knowledge.
var (
	licenceTypes = []string{"INDIVIDUAL", "GLOBAL", "LARGE_PROJECT", "NATIONAL_GENERAL", "EU001", "EU002",
		"EU003", "EU004", "EU005", "EU006", "EU007", "EU008"}
	endUserTypes = []string{"GOVERNMENT", "MILITARY", "LAW_ENFORCEMENT", "INTELLIGENCE", "TELECOM_OPERATOR",
		"COMMERCIAL", "RESEARCH", "OTHER", "UNKNOWN"}
)

// filter is the StatisticsFilter of a request. Zero fields do not filter.
type filter struct {
	from, to time.Time
	lists    map[string][]string // by dimension: the values any of which a decision must have
}

// listArg is the filter argument of each dimension a filter can list.
var listArg = map[string]struct {
	name string
	enum bool
}{
	dimMS:       {"memberStates", false},
	dimDest:     {"destinations", false},
	dimEntry:    {"controlEntries", false},
	dimLT:       {"licenceTypes", true},
	dimEUT:      {"endUserTypes", true},
	dimOutcome:  {"outcomes", true},
	dimCatchAll: {"catchAlls", true},
	dimYear:     {"years", true}, // numbers: unquoted, like enums
}

// period returns the filter restricted to the days from..to.
func (f filter) period(from, to time.Time) filter {
	f.from, f.to = from, to
	return f
}

// with returns the filter with the values of a dimension set (nil: no condition).
func (f filter) with(dim string, values ...string) filter {
	lists := make(map[string][]string, len(f.lists)+1)
	for k, v := range f.lists {
		lists[k] = v
	}
	if values == nil {
		delete(lists, dim)
	} else {
		lists[dim] = slices.Sorted(slices.Values(values))
	}
	f.lists = lists
	return f
}

// dims are the dimensions the filter lists, in a fixed order.
func (f filter) dims() []string {
	return slices.Sorted(func(yield func(string) bool) {
		for d := range f.lists {
			if !yield(d) {
				return
			}
		}
	})
}

// gql is the filter as a GraphQL input value, in a fixed order so that the same
// filter is the same request.
func (f filter) gql() string {
	var parts []string
	if !f.from.IsZero() {
		parts = append(parts, fmt.Sprintf("from: %q", f.from.Format(time.DateOnly)))
	}
	if !f.to.IsZero() {
		parts = append(parts, fmt.Sprintf("to: %q", f.to.Format(time.DateOnly)))
	}
	for _, d := range f.dims() {
		arg := listArg[d]
		values := make([]string, len(f.lists[d]))
		for i, v := range f.lists[d] {
			values[i] = v
			if !arg.enum {
				values[i] = strconv.Quote(v)
			}
		}
		parts = append(parts, arg.name+": ["+strings.Join(values, ", ")+"]")
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

// measures says which measures a table asks for.
type measures int

const (
	countsOnly  measures = iota // applications
	withValues                  // applications and the values applied for and issued
	allMeasures                 // the five
)

var measureSelection = map[measures]string{
	countsOnly:  "applications { value status }",
	withValues:  "applications { value status } valueApplied { value status note } valueIssued { value status note }",
	allMeasures: "applications { value status } issued { value status } denials { value status } valueApplied { value status note } valueIssued { value status note }",
}

// tableQuery is a licenceStatistics table of one release.
type tableQuery struct {
	release  string
	filter   filter
	groupBy  []string
	measures measures
}

// pageSize is 1 for a total, 100 for a table by one small dimension, else 1000.
func (q tableQuery) pageSize() int {
	switch {
	case len(q.groupBy) == 0:
		return 1
	case len(q.groupBy) == 1 && slices.Contains(smallDims, q.groupBy[0]):
		return 100
	}
	return 1000
}

func (q tableQuery) request(after string) request {
	var dims []string
	for _, d := range q.groupBy {
		f := dimField[d]
		dims = append(dims, strings.TrimSpace(f.name+" "+f.sub))
	}
	args := fmt.Sprintf("release: %q, filter: %s, groupBy: [%s], first: %d", q.release, q.filter.gql(), strings.Join(q.groupBy, ", "), q.pageSize())
	if after != "" {
		args += fmt.Sprintf(", after: %q", after)
	}
	body := fmt.Sprintf("{ pageInfo { hasNextPage endCursor } rows { %s %s } }", strings.Join(dims, " "), measureSelection[q.measures])
	return request{field: "licenceStatistics", args: args, body: body, heavy: q.pageSize() > 100}
}

// measure is a published figure.
type measure struct {
	Value  *float64 `json:"value"`
	Status string   `json:"status"`
	Note   *string  `json:"note"`
}

// num is the published value, if there is one.
func (m measure) num() (float64, bool) {
	if m.Value == nil {
		return 0, false
	}
	return *m.Value, true
}

func (m measure) note() string {
	if m.Note == nil {
		return ""
	}
	return *m.Note
}

// row is one row of a statistics table: its dimension values (codes; "" for none) and measures.
type row struct {
	dims                          map[string]string
	applications, issued, denials measure
	valueApplied, valueIssued     measure
}

// table is a whole statistics table, or the API's refusal of it.
type table struct {
	query   tableQuery
	rows    []row
	refusal *apiError
}

// parseRow reads a row of a table grouped by groupBy.
func parseRow(raw json.RawMessage, groupBy []string) (row, error) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil {
		return row{}, err
	}
	r := row{dims: make(map[string]string, len(groupBy))}
	for _, d := range groupBy {
		r.dims[d] = dimValue(fields[dimField[d].name])
	}
	for name, m := range map[string]*measure{"applications": &r.applications, "issued": &r.issued, "denials": &r.denials,
		"valueApplied": &r.valueApplied, "valueIssued": &r.valueIssued} {
		if v, ok := fields[name]; ok {
			if err := json.Unmarshal(v, m); err != nil {
				return row{}, err
			}
		}
	}
	return r, nil
}

// dimValue reads a dimension's value: a number, a string, an object with a code, or null.
func dimValue(raw json.RawMessage) string {
	var code struct {
		Code string `json:"code"`
	}
	var s string
	switch {
	case len(raw) == 0 || string(raw) == "null":
		return ""
	case json.Unmarshal(raw, &s) == nil:
		return s
	case json.Unmarshal(raw, &code) == nil && code.Code != "":
		return code.Code
	}
	return string(raw) // a number, such as a year
}

// maxPages bounds the pages of one table.
const maxPages = 200

// pagedQuery is a table that comes in pages.
type pagedQuery interface{ request(after string) request }

// page is the part of a paged answer every table has.
type page struct {
	Rows     []json.RawMessage `json:"rows"`
	PageInfo struct {
		HasNextPage bool    `json:"hasNextPage"`
		EndCursor   *string `json:"endCursor"`
	} `json:"pageInfo"`
}

// fetchPages asks for every page of every query, the first pages together, and
// returns the rows of each query, or its refusal.
func fetchPages(ctx context.Context, api *client, cnt *counter, qs []pagedQuery) ([][]json.RawMessage, []*apiError, error) {
	rows := make([][]json.RawMessage, len(qs))
	refusals := make([]*apiError, len(qs))
	cursor := make([]string, len(qs))
	pending := make([]int, len(qs))
	for i := range pending {
		pending[i] = i
	}
	for round := 0; len(pending) > 0 && round < maxPages; round++ {
		reqs := make([]request, len(pending))
		for k, i := range pending {
			reqs[k] = qs[i].request(cursor[i])
		}
		answers, err := api.run(ctx, cnt, reqs)
		if err != nil {
			return nil, nil, err
		}
		var next []int
		for k, i := range pending {
			more, err := takePage(answers[k], &rows[i], &refusals[i], &cursor[i])
			if err != nil {
				return nil, nil, err
			}
			if more {
				next = append(next, i)
			}
		}
		pending = next
	}
	return rows, refusals, nil
}

// takePage adds a page's rows and says whether another page follows.
func takePage(a answer, rows *[]json.RawMessage, refusal **apiError, cursor *string) (bool, error) {
	if a.refusal != nil {
		*refusal, *rows = a.refusal, nil
		return false, nil
	}
	var p page
	if err := json.Unmarshal(a.data, &p); err != nil {
		return false, fmt.Errorf("a table's answer: %w: %s", err, clip(a.data))
	}
	*rows = append(*rows, p.Rows...)
	if !p.PageInfo.HasNextPage || p.PageInfo.EndCursor == nil {
		return false, nil
	}
	*cursor = *p.PageInfo.EndCursor
	return true, nil
}

// fetchTables asks for whole statistics tables.
func fetchTables(ctx context.Context, api *client, cnt *counter, qs []tableQuery) ([]table, error) {
	paged := make([]pagedQuery, len(qs))
	for i, q := range qs {
		paged[i] = q
	}
	raws, refusals, err := fetchPages(ctx, api, cnt, paged)
	if err != nil {
		return nil, err
	}
	out := make([]table, len(qs))
	for i, q := range qs {
		out[i] = table{query: q, refusal: refusals[i]}
		for _, raw := range raws[i] {
			r, err := parseRow(raw, q.groupBy)
			if err != nil {
				return nil, fmt.Errorf("a row of a table: %w", err)
			}
			out[i].rows = append(out[i].rows, r)
		}
	}
	return out, nil
}

// fetchTable asks for one whole table.
func fetchTable(ctx context.Context, api *client, cnt *counter, q tableQuery) (table, error) {
	ts, err := fetchTables(ctx, api, cnt, []tableQuery{q})
	if err != nil {
		return table{}, err
	}
	return ts[0], nil
}

// sumApplications is the sum of the published applications of a table's rows, and
// whether every row had a published count. A table with no row sums to 0.
func (t table) sumApplications() (float64, bool) {
	sum := 0.0
	for _, r := range t.rows {
		v, ok := r.applications.num()
		if !ok {
			return 0, false
		}
		sum += v
	}
	return sum, true
}
