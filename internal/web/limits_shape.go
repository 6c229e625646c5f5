package web

import (
	"strconv"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/dualuse-transparency/portal/internal/apperr"
)

// The shape of a document, measured before it is validated. Validation has not yet
// tied spreads to fragments or refused cycles, so fragments are looked up by name here,
// and a spread of a fragment being measured (a cycle) or of one that does not exist
// counts as empty: validation refuses both afterwards.
//
// Each fragment is measured once and its shape reused at every spread, so a document
// costs time linear in its length however its fragments nest; the counts it returns are
// those of the operation with every fragment expanded, saturating rather than
// overflowing (2^60 and above all read as 2^60).

// shape is what the limits need to know of a selection set.
type shape struct {
	depth      int            // selection sets nested below this one
	selections int            // fields, spreads and inline fragments, fragments expanded
	aliases    int            // aliased fields, fragments expanded
	directives int            // directives, fragments expanded
	names      map[string]int // response names selected at this level, through fragments, and how often
}

const saturated = 1 << 60

func satAdd(a, b int) int { return min(a+b, saturated) }

// measurer measures the selection sets of one document, each fragment once.
type measurer struct {
	fragments map[string]*ast.FragmentDefinition
	memo      map[string]*shape
	open      map[string]bool // fragments being measured: a spread of one is a cycle
	limits    Limits
	err       *gqlerror.Error // the first duplicate found
	calls     int             // selection sets measured, for tests: linear in the document
}

// measureDocument refuses a document whose operations or fragments go over the limits.
// Every operation and every fragment is measured, used or not, since validation looks
// at them all.
func measureDocument(doc *ast.QueryDocument, limits Limits) *gqlerror.Error {
	m := newMeasurer(doc, limits)
	total := 0
	for _, op := range doc.Operations {
		s := m.set(op.SelectionSet)
		if m.err != nil {
			return m.err
		}
		s.directives = satAdd(s.directives, len(op.Directives))
		if err := checkShape(s, limits, "the query"); err != nil {
			return err
		}
		total = satAdd(total, s.selections)
	}
	if total > limits.MaxSelections {
		return limitError(codeSelections, "the document selects %s fields once its fragments are expanded; the limit is %d", count(total), limits.MaxSelections)
	}
	for _, f := range doc.Fragments {
		s := m.fragment(f.Name)
		if m.err != nil {
			return m.err
		}
		if err := checkShape(s, limits, "fragment "+f.Name); err != nil {
			return err
		}
	}
	return nil
}

func newMeasurer(doc *ast.QueryDocument, limits Limits) *measurer {
	m := &measurer{fragments: map[string]*ast.FragmentDefinition{}, memo: map[string]*shape{}, open: map[string]bool{}, limits: limits}
	for _, f := range doc.Fragments {
		if _, seen := m.fragments[f.Name]; !seen { // a second definition is a validation error
			m.fragments[f.Name] = f
		}
	}
	return m
}

// checkShape compares a measured operation (or fragment) with the limits.
func checkShape(s *shape, limits Limits, what string) *gqlerror.Error {
	switch {
	case s.depth > limits.MaxDepth:
		return limitError(codeDepth, "%s is nested %d levels deep; the limit is %d", what, s.depth, limits.MaxDepth)
	case s.selections > limits.MaxSelections:
		return limitError(codeSelections, "%s selects %s fields once its fragments are expanded; the limit is %d", what, count(s.selections), limits.MaxSelections)
	case s.aliases > limits.MaxAliases:
		return limitError(codeAliases, "%s has %s aliases; the limit is %d", what, count(s.aliases), limits.MaxAliases)
	case s.directives > limits.MaxDirectives:
		return limitError(codeDirectives, "%s has %s directives; the limit is %d", what, count(s.directives), limits.MaxDirectives)
	}
	return nil
}

// count prints a saturated count as what it is: more than anyone could mean.
func count(n int) string {
	if n >= saturated {
		return "more than 10^18"
	}
	return strconv.Itoa(n)
}

// set measures a selection set. Its names are those of its own level, with those of
// its inline fragments and spread fragments, which validation merges with it.
func (m *measurer) set(set ast.SelectionSet) *shape {
	m.calls++
	s := &shape{names: map[string]int{}}
	for _, sel := range set {
		if m.err != nil {
			return s
		}
		s.selections = satAdd(s.selections, 1)
		switch sel := sel.(type) {
		case *ast.Field:
			s.directives = satAdd(s.directives, len(sel.Directives))
			name := sel.Name
			if sel.Alias != "" && sel.Alias != sel.Name {
				s.aliases = satAdd(s.aliases, 1)
				name = sel.Alias
			}
			m.name(s, name, 1)
			if len(sel.SelectionSet) > 0 {
				sub := m.set(sel.SelectionSet)
				s.depth = max(s.depth, sub.depth+1)
				s.add(sub)
			}
		case *ast.InlineFragment:
			s.directives = satAdd(s.directives, len(sel.Directives))
			m.merge(s, m.set(sel.SelectionSet))
		case *ast.FragmentSpread:
			s.directives = satAdd(s.directives, len(sel.Directives))
			m.merge(s, m.fragment(sel.Name))
		}
	}
	return s
}

// fragment is the shape of a fragment's selection set, measured the first time only.
func (m *measurer) fragment(name string) *shape {
	if s, ok := m.memo[name]; ok {
		return s
	}
	f := m.fragments[name]
	if f == nil || m.open[name] {
		return &shape{}
	}
	m.open[name] = true
	s := m.set(f.SelectionSet)
	s.directives = satAdd(s.directives, len(f.Directives))
	delete(m.open, name)
	if m.err == nil {
		m.memo[name] = s
	}
	return s
}

// add counts a nested selection set's selections in s (its names stay at its level).
func (s *shape) add(sub *shape) {
	s.selections = satAdd(s.selections, sub.selections)
	s.aliases = satAdd(s.aliases, sub.aliases)
	s.directives = satAdd(s.directives, sub.directives)
}

// merge adds the shape of a fragment at the level of s: its names join those of s.
func (m *measurer) merge(s, frag *shape) {
	s.depth = max(s.depth, frag.depth)
	s.add(frag)
	for name, n := range frag.names {
		if m.err != nil {
			return
		}
		m.name(s, name, n)
	}
}

// name counts n more selections of a response name in s, and refuses too many.
func (m *measurer) name(s *shape, name string, n int) {
	s.names[name] = satAdd(s.names[name], n)
	if s.names[name] > m.limits.MaxDuplicates {
		m.err = limitError(codeDuplicates, "the query selects %s more than %d times in one selection set (fragments included); the limit is %d",
			apperr.Quote(name), m.limits.MaxDuplicates, m.limits.MaxDuplicates)
	}
}
