package release

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// figureColumns reads each column of official_figures.csv, in file order.
var figureColumns = []struct {
	name  string
	parse func(f *OfficialFigure, s string) error
}{
	{"year", func(f *OfficialFigure, s string) (err error) { f.Year, err = parseYear(s); return err }},
	{"scope", func(f *OfficialFigure, s string) error { f.Scope = s; return required(s) }},
	{"metric", func(f *OfficialFigure, s string) error { f.Metric = s; return required(s) }},
	{"value", parseFigureValue},
	{"unit", func(f *OfficialFigure, s string) (err error) {
		f.Unit, err = oneOf(s, "EUR", "count", "percent")
		return err
	}},
	{"source_document", func(f *OfficialFigure, s string) error { f.SourceDocument = s; return required(s) }},
	{"source_url", parseSourceURL},
	{"verified", func(f *OfficialFigure, s string) (err error) {
		f.Verified, err = oneOf(s, "source", "secondary")
		return err
	}},
}

// figureReader checks official_figures.csv row by row.
type figureReader struct {
	probs   *problems
	figures []OfficialFigure
	lines   map[string]int // (year, scope, metric) to the line that gives it
}

func readFigures(dir string, files []string, probs *problems) ([]OfficialFigure, error) {
	if !slices.Contains(files, figuresFile) {
		return nil, nil
	}
	header := make([]string, len(figureColumns))
	for i, c := range figureColumns {
		header[i] = c.name
	}
	r := &figureReader{probs: probs, lines: map[string]int{}}
	if _, err := readCSV(dir, figuresFile, header, probs, r.row); err != nil {
		return nil, err
	}
	return r.figures, nil
}

func (r *figureReader) row(line int, rec []string) {
	f := OfficialFigure{Line: line}
	ok := true
	for i, c := range figureColumns {
		if err := c.parse(&f, rec[i]); err != nil {
			r.probs.add(figuresFile, line, c.name, err.Error())
			ok = false
		}
	}
	if ok && f.Unit == "count" && f.Value != math.Trunc(f.Value) {
		r.probs.addf(figuresFile, line, "value", "a count must be a whole number, got %g", f.Value)
	}
	r.unique(f)
	r.figures = append(r.figures, f)
}

// unique reports a (year, scope, metric) given twice: a figure must have one value.
// A row whose key is unreadable was reported already.
func (r *figureReader) unique(f OfficialFigure) {
	if f.Year == 0 || required(f.Scope) != nil || required(f.Metric) != nil {
		return
	}
	key := strings.Join([]string{strconv.Itoa(f.Year), f.Scope, f.Metric}, "\x00")
	if first, dup := r.lines[key]; dup {
		r.probs.addf(figuresFile, f.Line, "year", "%d %s %s given twice: first on line %d", f.Year, f.Scope, f.Metric, first)
		return
	}
	r.lines[key] = f.Line
}

func parseYear(s string) (int, error) {
	if len(s) != 4 || !allDigits(s) {
		return 0, fmt.Errorf("%q is not a year (YYYY)", s)
	}
	return strconv.Atoi(s)
}

func parseFigureValue(f *OfficialFigure, s string) error {
	v, ok := parseAmount(s, -1)
	if !ok {
		return fmt.Errorf("%q is not a number >= 0", s)
	}
	f.Value = v
	return nil
}

func parseSourceURL(f *OfficialFigure, s string) error {
	if s != "" && !isWebURL(s) {
		return fmt.Errorf("%q is not an http(s) URL", s)
	}
	f.SourceURL = s
	return nil
}

func required(s string) error {
	if strings.TrimSpace(s) == "" {
		return errors.New("required")
	}
	return nil
}

// oneOf returns s when it is one of the allowed values, or an error naming them.
func oneOf(s string, allowed ...string) (string, error) {
	if i := slices.Index(allowed, s); i >= 0 {
		return allowed[i], nil
	}
	return "", fmt.Errorf("unknown value %q (allowed: %s)", s, strings.Join(allowed, ", "))
}
