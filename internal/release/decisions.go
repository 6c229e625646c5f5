package release

import (
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

// colSet is a set of columns of licence_decisions.csv, by index: the columns of a row
// that could not be read, so that rules needing them are skipped instead of
// reporting the same mistake again.
type colSet uint16

func (s colSet) has(cols ...int) bool {
	return slices.ContainsFunc(cols, func(c int) bool { return s&(1<<c) != 0 })
}

// decisionReader checks the rows of licence_decisions.csv one by one and then across
// the rows of each decision.
type decisionReader struct {
	*rules
	probs     *problems
	warnings  *warnings
	unknown   map[string]string // well-formed control entries the reference lacks, interned
	dates     dateCache
	exporters map[string]string // interned: a few thousand exporters over a million rows
	scratch   Decision          // the row being read: a local would escape through the column table
	rows      []Decision
	bad       []colSet
	first     map[string]int32 // decision id to its first row
	next      []int32          // row to the next row of the same decision, or -1
}

// readDecisions reads licence_decisions.csv. The file's shape, from the checksum's
// pass, sizes the slices and maps once (growing them row by row costs more than
// reading) and says whether the file can be read in parts (readInParts).
func readDecisions(dir string, files []string, shape fileShape, rules *rules, probs *problems, warns *warnings) ([]Decision, error) {
	if !slices.Contains(files, decisionsFile) {
		return nil, nil
	}
	r := newDecisionReader(rules, probs, warns)
	r.next, r.first = make([]int32, 0, shape.lines), make(map[string]int32, shape.lines)
	var n int
	var err error
	if parts := partsOf(shape); parts > 1 {
		n, err = r.readInParts(filepath.Join(dir, decisionsFile), shape, parts)
	} else {
		r.rows, r.bad = make([]Decision, 0, shape.lines), make([]colSet, 0, shape.lines)
		n, err = readCSV(dir, decisionsFile, decisionHeader(), probs, func(line int, rec []string) {
			d, bad := r.parseRow(line, rec)
			r.rows, r.bad = append(r.rows, d), append(r.bad, bad)
			r.link(int32(len(r.rows) - 1))
		})
	}
	if err != nil {
		return nil, err
	}
	if n == 0 && !probs.has(decisionsFile) {
		probs.add(decisionsFile, 0, "-", "no decisions")
	}
	return r.rows, nil
}

func newDecisionReader(rules *rules, probs *problems, warns *warnings) *decisionReader {
	return &decisionReader{rules: rules, probs: probs, warnings: warns, unknown: map[string]string{}, dates: dateCache{},
		exporters: map[string]string{}}
}

func (r *decisionReader) problem(line, col int, message string) {
	r.probs.add(decisionsFile, line, decisionColumns[col].name, message)
}

// warn notes something accepted on a column, named: naming it through
// decisionColumns would make the column table refer to itself.
func (r *decisionReader) warn(column, message string, line int) {
	r.warnings.add(decisionsFile, line, column, message)
}

// annexCode is the form of an Annex I code: category, product group, three digits,
// then dotted sub-items in lower case (5A001.f.1).
var annexCode = regexp.MustCompile(`^[0-9][A-E][0-9]{3}(\.[a-z0-9]+)*$`)

// unknownEntry keeps a well-formed code the reference data lacks, with a warning.
func (r *decisionReader) unknownEntry(s string, line int) string {
	code, ok := r.unknown[s]
	if !ok {
		code = strings.Clone(s)
		r.unknown[code] = code
	}
	r.warn("control_entry", fmt.Sprintf("%s is not in the portal's reference list of Annex I: imported with its code, its category and no description", code), line)
	return code
}

// parseRow reads one row: each column on its own, then the rules that tie columns
// together. It returns the row and the columns that could not be read; the rules
// across the rows of its decision are link's.
func (r *decisionReader) parseRow(line int, rec []string) (Decision, colSet) {
	r.scratch = Decision{Line: line}
	d := &r.scratch
	var bad colSet
	for i, c := range decisionColumns {
		if err := c.parse(r, d, rec[i]); err != nil {
			r.problem(line, i, err.Error())
			bad |= 1 << i
		}
	}
	for _, c := range crossColumnRules {
		if bad.has(c.needs...) {
			continue
		}
		if err := c.check(r, d); err != nil {
			r.problem(line, c.col, err.Error())
			bad |= 1 << c.col
		}
	}
	return *d, bad
}

// link checks row i, the last read, against the earlier rows of its decision. Rows
// share the decision id of the first, so a multi-row decision keeps one copy.
func (r *decisionReader) link(i int32) {
	d := &r.rows[i]
	first, seen := int32(-1), false
	if !r.bad[i].has(colDecisionID) {
		first, seen = r.first[d.DecisionID]
		if seen {
			d.DecisionID = r.rows[first].DecisionID
		} else {
			r.first[d.DecisionID] = i
		}
	}
	r.next = append(r.next, -1)
	if seen {
		r.compare(first, i)
		r.chain(first, i)
	}
}

// chain appends row i to the rows of its decision, reporting a control entry that one
// of them already has.
func (r *decisionReader) chain(first, i int32) {
	dup, j := int32(-1), first
	for ; ; j = r.next[j] {
		if dup < 0 && r.sameEntry(i, j) {
			dup = j
		}
		if r.next[j] < 0 {
			break
		}
	}
	r.next[j] = i
	if d := &r.rows[i]; dup >= 0 {
		r.problem(d.Line, colDecisionID, fmt.Sprintf("decision %q has control entry %q twice: first on line %d",
			d.DecisionID, d.ControlEntry, r.rows[dup].Line))
	}
}

func (r *decisionReader) sameEntry(i, j int32) bool {
	return r.rows[i].ControlEntry == r.rows[j].ControlEntry &&
		!r.bad[i].has(colControlEntry) && !r.bad[j].has(colControlEntry)
}

// compare reports each attribute of the decision that row i gives differently from
// its first row; attributes unreadable in either row were reported already.
func (r *decisionReader) compare(first, i int32) {
	a, b := &r.rows[first], &r.rows[i]
	for _, attr := range decisionAttributes {
		if attr.same(a, b) || r.bad[first].has(attr.col) || r.bad[i].has(attr.col) {
			continue
		}
		r.problem(b.Line, attr.col, fmt.Sprintf("%q here but %q on line %d, an earlier row of decision %q",
			attr.show(b), attr.show(a), a.Line, a.DecisionID))
	}
}
