package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strings"

	"github.com/jackc/pgx/v5"
)

// Information loss: what disclosure control costs a user. For each table of the
// benchmark and of the README's recipes, the published cells (through the HTTP API, as
// a user gets them) are compared with the truth (counted in the database): how far the
// published figures are from the true ones, how many cells are withheld or not listed,
// and whether the table was refused.

// lossTable is one table to measure: a licenceStatistics request and the SQL of its
// truth, which groups the same decisions by the same dimensions.
type lossTable struct {
	name    string
	groupBy []string // GraphQL dimensions
	filter  string   // GraphQL filter object, "" for none
	columns []string // the decisions columns of the dimensions, in groupBy order
	where   string   // SQL condition of the filter, over decisions d
}

func lossTables(year int) []lossTable {
	y := fmt.Sprint(year)
	return []lossTable{
		{name: "B1 denials by destination, " + y, groupBy: []string{"DESTINATION"}, filter: "{years: [" + y + "], outcomes: [DENIED]}",
			columns: []string{"destination"}, where: "d.year = " + y + " AND d.outcome = 'DENIED'"},
		{name: "B2 cyber-surveillance by year and region", groupBy: []string{"YEAR", "DESTINATION_REGION"}, filter: "{cyberSurveillance: true}",
			columns: []string{"year", "destination_region"}, where: "d.cyber_surveillance"},
		{name: "B3 by Member State, " + y, groupBy: []string{"MEMBER_STATE"}, filter: "{years: [" + y + "]}",
			columns: []string{"member_state"}, where: "d.year = " + y},
		{name: "B5 by year, Member State and category", groupBy: []string{"YEAR", "MEMBER_STATE", "CONTROL_CATEGORY"},
			columns: []string{"year", "member_state", "control_category"}, where: "TRUE"},
		{name: "recipe: Egypt by year", groupBy: []string{"YEAR"}, filter: "{destinations: [\"EG\"]}",
			columns: []string{"year"}, where: "d.destination = 'EG'"},
		{name: "recipe: destination by control entry, " + y, groupBy: []string{"DESTINATION", "CONTROL_ENTRY"}, filter: "{years: [" + y + "]}",
			columns: []string{"destination", "control_entry"}, where: "d.year = " + y},
	}
}

// lossResult is the information loss of one table.
type lossResult struct {
	table              string
	refused            string // the API's refusal, "" when answered
	cells              int    // true non-empty cells
	countWithheld      int    // of them, counts withheld or not listed
	countAbs, countRel float64
	values             int // true cells with a positive known value
	valueWithheld      int
	valueAbs, valueRel float64
}

// measureLoss measures every table; a refusal is a result, not an error.
func measureLoss(ctx context.Context, base, dbURL string, year int) ([]lossResult, error) {
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		return nil, err
	}
	defer conn.Close(ctx)
	client := newClient(base)
	var out []lossResult
	for _, t := range lossTables(year) {
		truth, err := lossTruth(ctx, conn, t)
		if err != nil {
			return nil, fmt.Errorf("%s: truth: %w", t.name, err)
		}
		published, refused, err := lossPublished(ctx, client, t)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", t.name, err)
		}
		out = append(out, compareLoss(t.name, truth, published, refused))
	}
	return out, nil
}

// lossCell is a cell's count of decisions and value in EUR; a nil value is withheld.
type lossCell struct {
	count, value *float64
}

func lossTruth(ctx context.Context, conn *pgx.Conn, t lossTable) (map[string]lossCell, error) {
	keys := make([]string, len(t.columns))
	for i, c := range t.columns {
		keys[i] = "coalesce(d." + c + "::text, '')"
	}
	rows, err := conn.Query(ctx, `
		SELECT concat_ws('|', `+strings.Join(keys, ", ")+`), count(DISTINCT d.decision_id)::float8,
		       coalesce(sum(d.value_cents), 0)::float8 / 100
		FROM decisions d
		WHERE d.release_id = (SELECT id FROM releases ORDER BY published_on DESC, id LIMIT 1) AND `+t.where+`
		GROUP BY `+strings.Join(keys, ", "))
	if err != nil {
		return nil, err
	}
	cells := map[string]lossCell{}
	var key string
	var count, value float64
	_, err = pgx.ForEachRow(rows, []any{&key, &count, &value}, func() error {
		cells[key] = lossCell{count: ptr(count), value: ptr(value)}
		return nil
	})
	return cells, err
}

func ptr[T any](v T) *T { return &v }

// lossPublished reads every row of the table through the API, page by page.
func lossPublished(ctx context.Context, c *gqlClient, t lossTable) (map[string]lossCell, string, error) {
	filter := ""
	if t.filter != "" {
		filter = ", filter: " + t.filter
	}
	cells := map[string]lossCell{}
	after := ""
	for page := 0; page < 200; page++ {
		document := fmt.Sprintf(`{ licenceStatistics(groupBy: [%s]%s, first: 1000%s) {
			rows { year memberState { code } destination { code } destinationRegion { code } controlCategory { code } controlEntry { code }
			       applications { value } valueApplied { value } }
			pageInfo { hasNextPage endCursor } } }`, strings.Join(t.groupBy, ", "), filter, after)
		body, err := c.post(ctx, requestBody(document, ""))
		if err != nil {
			if strings.Contains(string(body), `"errors"`) {
				return nil, refusal(body), nil
			}
			return nil, "", err
		}
		var answer lossAnswer
		if err := json.Unmarshal(body, &answer); err != nil {
			return nil, "", err
		}
		for _, r := range answer.Data.LicenceStatistics.Rows {
			cells[r.key(t.groupBy)] = lossCell{count: r.Applications.Value, value: r.ValueApplied.Value}
		}
		p := answer.Data.LicenceStatistics.PageInfo
		if !p.HasNextPage {
			return cells, "", nil
		}
		after = fmt.Sprintf(", after: %q", p.EndCursor)
	}
	return nil, "", fmt.Errorf("more than 200 pages")
}

func refusal(body []byte) string {
	var e struct{ Errors []struct{ Message string } }
	if json.Unmarshal(body, &e) == nil && len(e.Errors) > 0 {
		return e.Errors[0].Message
	}
	return clip(body)
}

type lossAnswer struct {
	Data struct {
		LicenceStatistics struct {
			Rows     []lossRow
			PageInfo struct {
				HasNextPage bool
				EndCursor   string
			}
		}
	}
}

type code struct{ Code any }

type lossRow struct {
	Year                                                                       *int
	MemberState, Destination, DestinationRegion, ControlCategory, ControlEntry *code
	Applications, ValueApplied                                                 struct{ Value *float64 }
}

// key is the row's dimension values in the truth's form.
func (r lossRow) key(groupBy []string) string {
	parts := make([]string, len(groupBy))
	for i, d := range groupBy {
		var c *code
		switch d {
		case "YEAR":
			if r.Year != nil {
				parts[i] = fmt.Sprint(*r.Year)
			}
			continue
		case "MEMBER_STATE":
			c = r.MemberState
		case "DESTINATION":
			c = r.Destination
		case "DESTINATION_REGION":
			c = r.DestinationRegion
		case "CONTROL_CATEGORY":
			c = r.ControlCategory
		case "CONTROL_ENTRY":
			c = r.ControlEntry
		}
		if c != nil {
			parts[i] = fmt.Sprint(c.Code)
		}
	}
	return strings.Join(parts, "|")
}

// compareLoss compares the published cells with the true ones: every true cell counts,
// a cell not listed or withheld as withheld.
func compareLoss(name string, truth, published map[string]lossCell, refused string) lossResult {
	res := lossResult{table: name, refused: refused, cells: len(truth)}
	var countAbs, countRel, valueAbs, valueRel float64
	var counted, valued int
	for k, tc := range truth {
		pc := published[k]
		if pc.count == nil {
			res.countWithheld++
		} else {
			countAbs += math.Abs(*pc.count - *tc.count)
			countRel += math.Abs(*pc.count-*tc.count) / *tc.count
			counted++
		}
		if *tc.value <= 0 {
			continue
		}
		res.values++
		if pc.value == nil {
			res.valueWithheld++
			continue
		}
		valueAbs += math.Abs(*pc.value - *tc.value)
		valueRel += math.Abs(*pc.value-*tc.value) / *tc.value
		valued++
	}
	if counted > 0 {
		res.countAbs, res.countRel = countAbs/float64(counted), countRel/float64(counted)
	}
	if valued > 0 {
		res.valueAbs, res.valueRel = valueAbs/float64(valued), valueRel/float64(valued)
	}
	return res
}

// writeLoss writes the information-loss section of the report.
func writeLoss(b *strings.Builder, results []lossResult, err error) {
	b.WriteString("\n## Information loss\n\n")
	b.WriteString("What disclosure control costs a user, for the benchmark's tables and the README's recipes: every\n" +
		"row through the API (as a user gets it) against the truth counted in the database. A true cell\n" +
		"not listed, or listed with a withheld figure, counts as withheld; deviations are over the\n" +
		"published cells (mean absolute, and mean relative to the true figure). Values: cells with a\n" +
		"positive known value.\n\n")
	if err != nil {
		fmt.Fprintf(b, "Not measured: %v\n", err)
		return
	}
	b.WriteString("| table | cells | counts withheld | count deviation (abs / rel) | values | values withheld | value deviation (rel) |\n")
	b.WriteString("| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n")
	refused := 0
	for _, r := range results {
		if r.refused != "" {
			refused++
			fmt.Fprintf(b, "| %s | %d | refused: %s | | | | |\n", r.table, r.cells, strings.ReplaceAll(r.refused, "|", "/"))
			continue
		}
		fmt.Fprintf(b, "| %s | %d | %s | %.2f / %s | %d | %s | %s |\n", r.table, r.cells, share(r.countWithheld, r.cells),
			r.countAbs, percent(r.countRel), r.values, share(r.valueWithheld, r.values), percent(r.valueRel))
	}
	fmt.Fprintf(b, "\nTables refused: %d of %d.\n", refused, len(results))
}

func share(n, of int) string {
	if of == 0 {
		return "-"
	}
	return fmt.Sprintf("%d (%.1f %%)", n, 100*float64(n)/float64(of))
}

func percent(x float64) string { return fmt.Sprintf("%.2f %%", 100*x) }
