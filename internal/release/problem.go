package release

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Problem is one thing wrong in a release. Line is the CSV line (the header is line 1),
// 0 for release.json and for the file as a whole; Column is the CSV column or JSON
// field, "-" when the problem is not about one.
type Problem struct {
	File    string
	Line    int
	Column  string
	Message string
}

// String gives the problem as file:line: column: message, the form editors and
// grep already understand.
func (p Problem) String() string {
	return fmt.Sprintf("%s:%d: %s: %s", p.File, p.Line, p.Column, p.Message)
}

// Problems is every problem found in a release, sorted by file then line. It is the
// error Read returns for bad data, so the whole list reaches the operator at once.
type Problems []Problem

// Error says how many problems there are, then gives one per line.
func (p Problems) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d problem", len(p))
	if len(p) != 1 {
		b.WriteByte('s')
	}
	b.WriteString(" in the release:")
	for _, q := range p {
		b.WriteString("\n" + q.String())
	}
	return b.String()
}

// problems collects Problems while the files are read, in the order found.
type problems struct{ list Problems }

func (ps *problems) add(file string, line int, column, message string) {
	ps.list = append(ps.list, Problem{File: file, Line: line, Column: column, Message: message})
}

func (ps *problems) addf(file string, line int, column, format string, args ...any) {
	ps.add(file, line, column, fmt.Sprintf(format, args...))
}

// has reports whether a problem was already found about the file.
func (ps *problems) has(file string) bool {
	return slices.ContainsFunc(ps.list, func(p Problem) bool { return p.File == file })
}

// hasLine reports whether a problem was already found on the line of the file.
func (ps *problems) hasLine(file string, line int) bool {
	return slices.ContainsFunc(ps.list, func(p Problem) bool { return p.File == file && p.Line == line })
}

// sorted returns the problems by file then line; the sort is stable so the problems of
// one line keep the order of the columns.
func (ps *problems) sorted() Problems {
	slices.SortStableFunc(ps.list, func(a, b Problem) int {
		return cmp.Or(strings.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line))
	})
	return ps.list
}

// warnings collects what a release may hold but its operator should know about, one
// Problem per file, column and message, with how many rows it concerns: a real file
// can repeat the same unknown code on a thousand rows.
type warnings struct {
	list  Problems
	count []int
	index map[[3]string]int
}

func (w *warnings) add(file string, line int, column, message string) {
	key := [3]string{file, column, message}
	if i, ok := w.index[key]; ok {
		w.count[i]++
		return
	}
	if w.index == nil {
		w.index = map[[3]string]int{}
	}
	w.index[key] = len(w.list)
	w.list = append(w.list, Problem{File: file, Line: line, Column: column, Message: message})
	w.count = append(w.count, 1)
}

// merge adds the warnings of o, found after w's: a warning both found keeps w's first
// line and counts the rows of both.
func (w *warnings) merge(o *warnings) {
	for i, p := range o.list {
		w.add(p.File, p.Line, p.Column, p.Message)
		w.count[w.index[[3]string{p.File, p.Column, p.Message}]] += o.count[i] - 1
	}
}

// sorted returns the warnings by file then first line, each message saying on how
// many rows it was found when more than one.
func (w *warnings) sorted() Problems {
	out := make(Problems, len(w.list))
	for i, p := range w.list {
		if w.count[i] > 1 {
			p.Message = fmt.Sprintf("%s (%d rows; the first is this line)", p.Message, w.count[i])
		}
		out[i] = p
	}
	ps := problems{list: out}
	return ps.sorted()
}
