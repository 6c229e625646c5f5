package ukdata

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
)

// sourceRow is one line of values.csv: one rating of one licence group (see the
// package comment for what a group, count and value are).
type sourceRow struct {
	line       int
	group      string
	date       time.Time
	rating     string
	count      int
	pence      int64
	valueKnown bool
	country    string
	refused    bool
}

// valuesColumns are the columns of values.csv this package reads, found by name.
var valuesColumns = []string{"licence_group", "date", "rating", "count", "value", "country", "refused"}

// problems collects what is wrong with the input, one line per problem, as the
// importer reports them: file:line: column: what is wrong.
type problems struct{ list []string }

func (p *problems) add(file string, line int, column, format string, args ...any) {
	p.list = append(p.list, fmt.Sprintf("%s:%d: %s: %s", file, line, column, fmt.Sprintf(format, args...)))
}

// maxListed keeps an error readable when a whole file is wrong.
const maxListed = 20

func (p *problems) err() error {
	if len(p.list) == 0 {
		return nil
	}
	shown := p.list[:min(len(p.list), maxListed)]
	msg := strings.Join(shown, "; ")
	if len(p.list) > maxListed {
		msg += fmt.Sprintf("; and %d more", len(p.list)-maxListed)
	}
	return fmt.Errorf("%d problems: %s", len(p.list), msg)
}

// readValues reads values.csv; a file with a bad row is refused whole.
func readValues(r io.Reader, name string) ([]sourceRow, error) {
	cr := csv.NewReader(r)
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: reading the header: %w", name, err)
	}
	cols, err := columnIndex(header, valuesColumns, nil)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	var rows []sourceRow
	var probs problems
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		line, _ := cr.FieldPos(0)
		if row, ok := parseRow(rec, cols, line, name, &probs); ok {
			rows = append(rows, row)
		}
	}
	return rows, probs.err()
}

func parseRow(rec []string, cols map[string]int, line int, name string, probs *problems) (sourceRow, bool) {
	field := func(c string) string { return strings.TrimSpace(rec[cols[c]]) }
	row := sourceRow{line: line, group: field("licence_group"), rating: field("rating"), country: field("country")}
	n := len(probs.list)
	if row.group == "" {
		probs.add(name, line, "licence_group", "empty")
	}
	var err error
	if row.date, err = time.Parse(time.DateOnly, field("date")); err != nil {
		probs.add(name, line, "date", "%q is not a date YYYY-MM-DD", field("date"))
	}
	if row.count, err = strconv.Atoi(field("count")); err != nil || row.count < 1 {
		probs.add(name, line, "count", "%q is not a count of licences (a whole number, 1 or more)", field("count"))
	}
	if v := field("value"); v != "" {
		row.valueKnown = true
		if row.pence, err = parsePence(v); err != nil {
			probs.add(name, line, "value", "%v", err)
		}
	}
	switch field("refused") {
	case "1":
		row.refused = true
	case "0":
	default:
		probs.add(name, line, "refused", "want 0 or 1, got %q", field("refused"))
	}
	return row, len(probs.list) == n
}

// parsePence reads an amount in pounds with at most two decimals.
func parsePence(s string) (int64, error) {
	pounds, frac, _ := strings.Cut(s, ".")
	p, err := strconv.ParseInt(pounds, 10, 64)
	if err != nil || p < 0 || len(frac) > 2 || p > maxPence/100 {
		return 0, fmt.Errorf("%q is not an amount in pounds", s)
	}
	pence := p * 100
	if frac != "" {
		f, err := strconv.Atoi((frac + "0")[:2])
		if err != nil || strings.ContainsAny(frac, "+-") {
			return 0, fmt.Errorf("%q is not an amount in pounds", s)
		}
		pence += int64(f)
	}
	return pence, nil
}

// criteriaAliases are the other names the source has used for the columns of
// refusal-criteria.csv: it called the group a licence cohort from 2023.
var criteriaAliases = map[string][]string{
	"licence_group": {"licence_cohort_id"},
	"criteria":      {"criterion"},
}

// readCriteria reads refusal-criteria.csv: the criteria each refused licence group
// was refused on, each number once, in increasing order.
func readCriteria(r io.Reader, name string) (map[string][]int, error) {
	cr := csv.NewReader(r)
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: reading the header: %w", name, err)
	}
	cols, err := columnIndex(header, []string{"licence_group", "criteria"}, criteriaAliases)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	byGroup := map[string][]int{}
	var probs problems
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		line, _ := cr.FieldPos(0)
		group, c := strings.TrimSpace(rec[cols["licence_group"]]), strings.TrimSpace(rec[cols["criteria"]])
		n, err := strconv.Atoi(c)
		if _, known := criterionGrounds[n]; err != nil || !known {
			probs.add(name, line, "criteria", "%q is not a criterion 1 to 8", c)
			continue
		}
		if !slices.Contains(byGroup[group], n) {
			byGroup[group] = append(byGroup[group], n)
		}
	}
	for _, cs := range byGroup {
		slices.Sort(cs)
	}
	return byGroup, probs.err()
}

// columnIndex finds each wanted column in the header, under its name or an alias.
func columnIndex(header, want []string, aliases map[string][]string) (map[string]int, error) {
	cols := map[string]int{}
	for _, w := range want {
		for _, name := range append([]string{w}, aliases[w]...) {
			if i := slices.Index(header, name); i >= 0 {
				cols[w] = i
				break
			}
		}
		if _, ok := cols[w]; !ok {
			return nil, fmt.Errorf("no column %q in the header %q", w, strings.Join(header, ","))
		}
	}
	return cols, nil
}
