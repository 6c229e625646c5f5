package web

import (
	"context"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/parser"
)

// Limits bound what one anonymous request can make the server do. A field left at
// zero takes its value from DefaultLimits, except in a Limits left wholly at zero,
// which is DefaultLimits itself.
type Limits struct {
	MaxDepth      int   // selections nested in selections: `{ regions { code } }` is 1 deep
	MaxAliases    int   // aliased fields in one operation, fragments expanded
	MaxComplexity int   // the cost of an operation: the work its fields will do (see complexity)
	MaxTokens     int   // tokens the parser reads
	MaxBodyBytes  int64 // request body

	MaxSelections int // fields, fragment spreads and inline fragments, every fragment expanded where it is spread
	MaxDuplicates int // times one response name may be selected in one selection set, fragments expanded
	MaxDirectives int // directives in one operation, fragments expanded

	// An operation that costs at least ExpensiveCost runs only while fewer than
	// MaxExpensive others do in the process; it waits up to ExpensiveWait for its turn,
	// then is refused with SERVER_BUSY (HTTP 503 with Retry-After).
	ExpensiveCost int
	MaxExpensive  int
	ExpensiveWait time.Duration
}

// DefaultLimits fit every query of the README, the annual report and the introspection
// queries of GraphiQL and graphql-js (14 deep, about 250 selections once their
// fragments are expanded) with room to spare.
func DefaultLimits() Limits {
	return Limits{
		MaxDepth: 15, MaxAliases: 30, MaxComplexity: 60_000, MaxTokens: 15_000, MaxBodyBytes: 1 << 20,
		MaxSelections: 2_000, MaxDuplicates: 10, MaxDirectives: 50,
		ExpensiveCost: 5_000, MaxExpensive: 4, ExpensiveWait: 2 * time.Second,
	}
}

// orDefaults fills the limits left at zero.
func (l Limits) orDefaults() Limits {
	d := DefaultLimits()
	fill := func(v *int, def int) {
		if *v <= 0 {
			*v = def
		}
	}
	fill(&l.MaxDepth, d.MaxDepth)
	fill(&l.MaxAliases, d.MaxAliases)
	fill(&l.MaxComplexity, d.MaxComplexity)
	fill(&l.MaxTokens, d.MaxTokens)
	fill(&l.MaxSelections, d.MaxSelections)
	fill(&l.MaxDuplicates, d.MaxDuplicates)
	fill(&l.MaxDirectives, d.MaxDirectives)
	fill(&l.ExpensiveCost, d.ExpensiveCost)
	fill(&l.MaxExpensive, d.MaxExpensive)
	if l.MaxBodyBytes <= 0 {
		l.MaxBodyBytes = d.MaxBodyBytes
	}
	if l.ExpensiveWait <= 0 {
		l.ExpensiveWait = d.ExpensiveWait
	}
	return l
}

// The error codes of the limits, in extensions.code.
const (
	codeDepth      = "DEPTH_LIMIT_EXCEEDED"
	codeAliases    = "ALIAS_LIMIT_EXCEEDED"
	codeSelections = "SELECTION_LIMIT_EXCEEDED"
	codeDuplicates = "DUPLICATE_FIELD_LIMIT_EXCEEDED"
	codeDirectives = "DIRECTIVE_LIMIT_EXCEEDED"
	codeBusy       = "SERVER_BUSY"
)

// shapeLimit bounds an operation before gqlgen validates it or weighs its cost, and
// holds expensive operations to a few at a time while they run:
//
//   - MutateOperationParameters parses the document and measures it (measureDocument):
//     every fragment once, so that nested spreads cost linear time. Validation (whose
//     check of overlapping fields is quadratic in the fields sharing a name) and
//     gqlgen's complexity walk (which walks a fragment again at every spread) then only
//     see documents whose expanded size is bounded.
//   - InterceptResponse runs an operation whose cost is ExpensiveCost or more through the
//     process's gate for expensive operations (see gate).
//
// It must be used before extension.ComplexityLimit, which computes the cost.
type shapeLimit struct{ limits Limits }

var _ interface {
	graphql.HandlerExtension
	graphql.OperationParameterMutator
	graphql.ResponseInterceptor
} = shapeLimit{}

func (shapeLimit) ExtensionName() string                          { return "ShapeLimit" }
func (shapeLimit) Validate(schema graphql.ExecutableSchema) error { return nil }

func (l shapeLimit) MutateOperationParameters(ctx context.Context, params *graphql.RawParams) *gqlerror.Error {
	limits := l.limits.orDefaults()
	doc, err := parser.ParseQueryWithTokenLimit(&ast.Source{Input: params.Query}, limits.MaxTokens)
	if err != nil {
		return nil // gqlgen parses it again and reports the error
	}
	return measureDocument(doc, limits)
}

// InterceptResponse runs an expensive operation when the gate lets it, and answers
// SERVER_BUSY when it does not within ExpensiveWait.
func (l shapeLimit) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	if !graphql.HasOperationContext(ctx) { // a request that never became an operation
		return next(ctx)
	}
	limits := l.limits.orDefaults()
	stats := extension.GetComplexityStats(ctx)
	if stats == nil || stats.Complexity < limits.ExpensiveCost { // not an operation, or a cheap one
		return next(ctx)
	}
	g := gateFor(limits)
	release, ok := g.enter(ctx, limits.ExpensiveWait)
	if !ok {
		err := limitError(codeBusy, "the server is running as many expensive queries as it can (%d); retry in a moment, or ask for less (this query costs %d)",
			limits.MaxExpensive, stats.Complexity)
		err.Extensions["retryAfterSeconds"] = retryAfter(limits.ExpensiveWait)
		markBusy(ctx, retryAfter(limits.ExpensiveWait))
		graphql.AddError(ctx, err)
		return &graphql.Response{Errors: graphql.GetErrors(ctx)}
	}
	defer release()
	return next(ctx)
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
