package web

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/parser"
)

// gqlgen's GET and POST transports do most of GraphQL over HTTP
// (https://graphql.github.io/graphql-over-http/draft/): they negotiate
// application/graphql-response+json or application/json from Accept, refuse a body
// that is not application/json, and answer 400 to a body, variables or extensions that
// do not decode. What they do differently from the specification is corrected here,
// around them rather than in a transport of our own; test/graphql-http audits the result.

// codeBadRequest marks a request that is not a GraphQL request at all (no query), as
// opposed to a query that fails to parse or validate. Apollo Server uses the same code.
const codeBadRequest = "BAD_REQUEST"

// gqlgen answers an error of a protocol kind with 400, or 422 under application/json.
func init() { errcode.RegisterErrorType(codeBadRequest, errcode.KindProtocol) }

// conformance wraps the GraphQL endpoint: it refuses mutations over GET, and corrects
// the status and body of gqlgen's error responses (see errorWriter).
func conformance(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet && mutationRequested(r) {
			w.Header().Set("Allow", http.MethodPost)
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusMethodNotAllowed)
			_ = json.NewEncoder(w).Encode(map[string]any{"errors": gqlerror.List{{Message: "mutations are not allowed over GET: use POST"}}})
			return
		}
		switch r.Method {
		case http.MethodGet, http.MethodPost, http.MethodHead, http.MethodOptions:
		default:
			w.Header().Set("Allow", "GET, POST")
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusMethodNotAllowed)
			_ = json.NewEncoder(w).Encode(map[string]any{"errors": gqlerror.List{badRequest(r.Method + " is not a method of /graphql, which takes GET or POST")}})
			return
		}
		ctx, busy := withBusySignal(r.Context())
		next.ServeHTTP(&errorWriter{ResponseWriter: w, busy: busy}, r.WithContext(ctx))
	})
}

// mutationRequested tells whether a GET request's query and operationName select a
// mutation, which the specification refuses with 405 before anything else. The schema
// has no mutations, so it is a client's mistake either way, but a 405 says so plainly.
func mutationRequested(r *http.Request) bool {
	params := r.URL.Query()
	query := params.Get("query")
	if !strings.Contains(query, string(ast.Mutation)) { // no need to parse most queries twice
		return false
	}
	doc, err := parser.ParseQuery(&ast.Source{Input: query})
	if err != nil {
		return false // gqlgen reports it
	}
	op := doc.Operations.ForName(params.Get("operationName"))
	return op != nil && op.Operation == ast.Mutation
}

// requireQuery refuses a request without a query (once a persisted query has been
// looked up) as a bad request, rather than as a document that fails to validate.
type requireQuery struct{}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationParameterMutator
} = requireQuery{}

func (requireQuery) ExtensionName() string                          { return "RequireQuery" }
func (requireQuery) Validate(schema graphql.ExecutableSchema) error { return nil }

func (requireQuery) MutateOperationParameters(ctx context.Context, params *graphql.RawParams) *gqlerror.Error {
	if strings.TrimSpace(params.Query) != "" {
		return nil
	}
	return badRequest("GraphQL operations must contain a non-empty query or a persistedQuery extension")
}

// errorWriter corrects the error responses of gqlgen's transports, which write their
// status and then the whole JSON body in one Write:
//   - a request that failed before execution gets no "data" entry (gqlgen writes
//     "data": null), as the GraphQL specification asks;
//   - under application/json, gqlgen's 422 becomes 200 when the query failed to parse
//     or validate (the request itself was well-formed), and 400 otherwise;
//   - an error without a content type is application/json;
//   - an operation the gate for expensive operations refused (SERVER_BUSY), which
//     gqlgen answers with 200 like any operation it dispatched, gets 503 with
//     Retry-After, and no "data".
//
// Successful responses pass through untouched.
type errorWriter struct {
	http.ResponseWriter
	status int         // an error status held until the body shows what failed
	busy   *busySignal // set when the gate refused the operation
}

func (w *errorWriter) WriteHeader(status int) {
	if status < http.StatusBadRequest {
		w.ResponseWriter.WriteHeader(status)
		return
	}
	w.status = status
}

func (w *errorWriter) Write(b []byte) (int, error) {
	if w.status == 0 && w.busy != nil {
		if seconds := w.busy.refused(); seconds > 0 {
			w.busy = nil // the body is written once; the status is set once
			w.Header().Set("Retry-After", strconv.Itoa(seconds))
			w.status = http.StatusServiceUnavailable
		}
	}
	if w.status == 0 {
		return w.ResponseWriter.Write(b)
	}
	status, body := correctError(w.status, b)
	w.status = 0
	if w.Header().Get("Content-Type") == "" { // gqlgen's "transport not supported" sets none
		w.Header().Set("Content-Type", "application/json")
	}
	w.ResponseWriter.WriteHeader(status)
	if _, err := w.ResponseWriter.Write(body); err != nil {
		return 0, err
	}
	return len(b), nil
}

// correctError is the status and body an error response of gqlgen should have. A
// request its transports refused as no GraphQL request at all (400: not JSON, not
// application/json) gets the code BAD_REQUEST and a message that says what to send,
// instead of gqlgen's, which has no code and echoes the body back.
func correctError(status int, body []byte) (int, []byte) {
	var resp map[string]json.RawMessage
	if err := json.Unmarshal(body, &resp); err != nil {
		return status, body
	}
	changed := false
	if bytes.Equal(resp["data"], []byte("null")) {
		delete(resp, "data")
		changed = true
	}
	if status == http.StatusUnprocessableEntity {
		status = http.StatusBadRequest
		if documentErrors(resp["errors"]) {
			status = http.StatusOK
		}
	}
	if status == http.StatusBadRequest {
		if errs, ok := transportErrors(resp["errors"]); ok {
			resp["errors"], changed = errs, true
		}
	}
	if changed {
		if b, err := json.Marshal(resp); err == nil {
			body = b
		}
	}
	return status, body
}

// transportErrors rewrites the errors of gqlgen's transports, which carry no code:
// "transport not supported" (no GET with a query, no POST of application/json) and
// "json request body could not be decoded: ERR body:BODY".
func transportErrors(raw json.RawMessage) (json.RawMessage, bool) {
	var errs []struct {
		Message    string
		Extensions map[string]any
	}
	if err := json.Unmarshal(raw, &errs); err != nil || len(errs) == 0 {
		return nil, false
	}
	out := make(gqlerror.List, len(errs))
	for i, e := range errs {
		if e.Extensions["code"] != nil {
			return nil, false // an error of the GraphQL layer, coded already
		}
		msg := e.Message
		switch {
		case msg == "transport not supported":
			msg = "not a GraphQL request: send a GET with the query in ?query=, or a POST with Content-Type: application/json and a body such as {\"query\": \"{ releases { id } }\"}"
		case strings.HasPrefix(msg, decodeFailed):
			why, _, _ := strings.Cut(strings.TrimPrefix(msg, decodeFailed), " body:")
			why = strings.ReplaceAll(why, "Go struct field RawParams.", "field ")
			msg = "the request body is not a JSON object with a query (a string), and optionally variables (an object), operationName (a string) and extensions (an object): " + why
		}
		out[i] = badRequest(msg)
	}
	b, err := json.Marshal(out)
	return b, err == nil
}

// decodeFailed begins the message of gqlgen's transports for a body that does not decode.
const decodeFailed = "json request body could not be decoded: "

// badRequest is an error coded BAD_REQUEST.
func badRequest(message string) *gqlerror.Error {
	err := gqlerror.Errorf("%s", message)
	errcode.Set(err, codeBadRequest)
	return err
}

// documentErrors tells whether every error is one of the query document: it failed to
// parse, to validate, or its variables to coerce.
func documentErrors(raw json.RawMessage) bool {
	var errs []struct {
		Extensions struct{ Code any }
	}
	if err := json.Unmarshal(raw, &errs); err != nil || len(errs) == 0 {
		return false
	}
	for _, e := range errs {
		if e.Extensions.Code != errcode.ParseFailed && e.Extensions.Code != errcode.ValidationFailed {
			return false
		}
	}
	return true
}
