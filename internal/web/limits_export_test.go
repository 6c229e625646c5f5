package web

import (
	"context"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
)

// OccupyGate takes every slot of the gate for expensive operations that handlers built
// with limits share, as that many expensive operations in flight would; the returned
// function gives them back.
func OccupyGate(limits Limits) (release func()) {
	limits = limits.orDefaults()
	g := gateFor(limits)
	var releases []func()
	for range limits.MaxExpensive {
		r, ok := g.enter(context.Background(), 0)
		if !ok {
			panic("the gate is already taken")
		}
		releases = append(releases, r)
	}
	return func() {
		for _, r := range releases {
			r()
		}
	}
}

// Shape is what the limits measure of a document: the first operation's shape, the
// error they refuse it with (nil if none), and how many selection sets were measured.
type Shape struct {
	Depth, Selections, Aliases, Directives int
	Err                                    error
	Calls                                  int
}

// MeasureQuery measures a query as the limits do before validation.
func MeasureQuery(query string, limits Limits) Shape {
	limits = limits.orDefaults()
	doc, err := parser.ParseQueryWithTokenLimit(&ast.Source{Input: query}, limits.MaxTokens)
	if err != nil {
		return Shape{Err: err}
	}
	m := newMeasurer(doc, limits)
	s := m.set(doc.Operations[0].SelectionSet)
	out := Shape{Depth: s.depth, Selections: s.selections, Aliases: s.aliases, Directives: s.directives, Calls: m.calls}
	if gqlErr := measureDocument(doc, limits); gqlErr != nil {
		out.Err = gqlErr
	}
	return out
}
