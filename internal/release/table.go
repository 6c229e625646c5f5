package release

import "strings"

// table describes a CSV file of the catch-all procedure the way decisionColumns and
// crossColumnRules describe licence_decisions.csv: each column is read on its own,
// then the rules that tie columns (or another file) together run on what could be
// read. The files are small, so a plain generic reader does.
type table[T any] struct {
	file    string
	columns []column[T]
	rules   []rule[T]
	newRow  func(line int) T
}

type column[T any] struct {
	name  string
	parse func(r *procedureReader, v *T, s string) error
}

// rule checks a row once the columns it needs were readable; its problem is reported
// on column col, which is then unreadable for the rules after it.
type rule[T any] struct {
	col   int
	needs []int
	check func(r *procedureReader, v *T) error
}

// rows are the rows of a file as read, each with the columns that could not be.
type rows[T any] struct {
	list []T
	bad  []colSet
}

func (t table[T]) header() []string {
	names := make([]string, len(t.columns))
	for i, c := range t.columns {
		names[i] = c.name
	}
	return names
}

func (t table[T]) problem(probs *problems, line, col int, message string) {
	probs.add(t.file, line, t.columns[col].name, message)
}

// read reads the file of dir; a file with a bad header gives no rows (the problem is
// reported) and ok false, so the files that refer to it are not checked against nothing.
func (t table[T]) read(dir string, r *procedureReader) (out rows[T], ok bool, err error) {
	_, err = readCSV(dir, t.file, t.header(), r.probs, func(line int, rec []string) {
		v, bad := t.row(r, line, rec)
		out.list, out.bad = append(out.list, v), append(out.bad, bad)
	})
	return out, !r.probs.hasLine(t.file, 1), err
}

func (t table[T]) row(r *procedureReader, line int, rec []string) (T, colSet) {
	v := t.newRow(line)
	var bad colSet
	for i, c := range t.columns {
		if err := c.parse(r, &v, rec[i]); err != nil {
			t.problem(r.probs, line, i, err.Error())
			bad |= 1 << i
		}
	}
	for _, c := range t.rules {
		if bad.has(c.needs...) {
			continue
		}
		if err := c.check(r, &v); err != nil {
			t.problem(r.probs, line, c.col, err.Error())
			bad |= 1 << c.col
		}
	}
	return v, bad
}

// firsts maps the key of each row to its first row and calls repeated for each later
// row with the same key. key gives false for a row whose key could not be read.
func firsts(n int, key func(i int) (string, bool), repeated func(i, first int)) map[string]int {
	m := make(map[string]int, n)
	for i := range n {
		k, ok := key(i)
		if !ok {
			continue
		}
		if first, dup := m[k]; dup {
			repeated(i, first)
			continue
		}
		m[k] = i
	}
	return m
}

// pair is a key of two parts that cannot run into each other.
func pair(a, b string) string { return strings.Join([]string{a, b}, "\x00") }
