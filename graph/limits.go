package graph

import (
	"context"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/dualuse-transparency/portal/db"
	"github.com/dualuse-transparency/portal/graph/generated"
)

// Limits bound what one anonymous request can make the server do.
type Limits struct {
	MaxDepth      int   // nesting of selections
	MaxAliases    int   // aliased fields in one operation
	MaxComplexity int   // gqlgen's complexity, lists weighed by their page size
	MaxTokens     int   // tokens the parser reads
	MaxBodyBytes  int64 // request body
}

// DefaultLimits fit every query of the README and the annual report with room to spare.
func DefaultLimits() Limits {
	return Limits{MaxDepth: 12, MaxAliases: 30, MaxComplexity: 60_000, MaxTokens: 15_000, MaxBodyBytes: 1 << 20}
}

// The error codes of the limits, in extensions.code.
const (
	codeDepth   = "DEPTH_LIMIT_EXCEEDED"
	codeAliases = "ALIAS_LIMIT_EXCEEDED"
)

// shapeLimit refuses operations nested too deep or with too many aliases, before any
// resolver runs.
type shapeLimit struct{ limits Limits }

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = shapeLimit{}

func (shapeLimit) ExtensionName() string                          { return "ShapeLimit" }
func (shapeLimit) Validate(schema graphql.ExecutableSchema) error { return nil }

func (l shapeLimit) MutateOperationContext(ctx context.Context, opCtx *graphql.OperationContext) *gqlerror.Error {
	op := opCtx.Doc.Operations.ForName(opCtx.OperationName)
	if op == nil {
		return nil
	}
	depth, aliases := measure(op.SelectionSet, 1, l.limits.MaxDepth+1)
	switch {
	case depth > l.limits.MaxDepth:
		return limitError(codeDepth, "the query is nested %d levels deep; the limit is %d", depth, l.limits.MaxDepth)
	case aliases > l.limits.MaxAliases:
		return limitError(codeAliases, "the query has %d aliases; the limit is %d", aliases, l.limits.MaxAliases)
	}
	return nil
}

// measure returns the depth of a selection set and the aliases in it, following
// fragments; it stops descending at stop, so a deep or cyclic query costs little.
func measure(set ast.SelectionSet, level, stop int) (depth, aliases int) {
	if level >= stop {
		return level, 0
	}
	depth = level - 1
	for _, sel := range set {
		var d, a int
		switch s := sel.(type) {
		case *ast.Field:
			if s.Alias != "" && s.Alias != s.Name {
				a++
			}
			d, a2 := measure(s.SelectionSet, level+1, stop)
			a += a2
			depth = max(depth, d, level)
		case *ast.InlineFragment:
			d, a = measure(s.SelectionSet, level, stop)
		case *ast.FragmentSpread:
			if s.Definition != nil {
				d, a = measure(s.Definition.SelectionSet, level, stop)
			}
		}
		depth, aliases = max(depth, d), aliases+a
	}
	return depth, aliases
}

func limitError(code, format string, args ...any) *gqlerror.Error {
	err := gqlerror.Errorf(format, args...)
	errcode.Set(err, code)
	return err
}

// reportCost adds the operation's complexity and its limit to the response's
// extensions, so a client sees how close to the limit its query is.
func reportCost(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	resp := next(ctx)
	if !graphql.HasOperationContext(ctx) || resp == nil { // a request that never became an operation
		return resp
	}
	if stats := extension.GetComplexityStats(ctx); stats != nil {
		if resp.Extensions == nil {
			resp.Extensions = map[string]any{}
		}
		resp.Extensions["cost"] = map[string]int{"complexity": stats.Complexity, "limit": stats.ComplexityLimit}
	}
	return resp
}

// complexity weighs the lists by how long they can be (a page size asked for, or a
// typical length), so a query's cost grows with what it makes the server do.
func complexity() generated.ComplexityRoot {
	var c generated.ComplexityRoot
	page := func(child int, first *int, def int) int {
		if first != nil {
			def = *first
		}
		return child * max(1, def)
	}
	c.Query.LicenceStatistics = func(child int, _ *string, _ *db.StatisticsFilter, _ []db.Dimension, _ []db.StatisticsOrder, first *int, _ *string) int {
		return page(child, first, 100)
	}
	c.Query.DenialsByDestination = func(child int, _ *string, _ *db.StatisticsFilter, _ *db.DenialsLevel, _ *db.DenialsOrder, first *int, _ *string) int {
		return page(child, first, 100)
	}
	c.Query.ControlEntries = func(child int, _ *string, _ *int, _ *bool, _ *time.Time, first *int, _ *string) int {
		return page(child, first, 50)
	}
	c.Query.Countries = func(child int, _ *string) int { return child * 250 }
	return c
}
