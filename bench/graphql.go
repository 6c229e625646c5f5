package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"
)

// gqlClient posts GraphQL requests to the server over one kept-alive connection.
type gqlClient struct {
	url  string
	http *http.Client
}

func newClient(base string) *gqlClient {
	return &gqlClient{url: base + "/graphql", http: &http.Client{Timeout: time.Minute}}
}

// operation is the GraphQL document of a query: its fields under an operation name,
// plus, when nonce is set, an alias of __typename named after it. The alias changes
// the answer, so no response cache can reuse another request's, but not the work.
func (q querySpec) operation(name, nonce string) string {
	alias := ""
	if nonce != "" {
		alias = nonce + ": __typename\n"
	}
	return fmt.Sprintf("query %s {\n%s%s\n}", name, alias, q.body)
}

// requestBody is the JSON body of a POST to /graphql.
func requestBody(document, operationName string) []byte {
	body, _ := json.Marshal(map[string]string{"query": document, "operationName": operationName})
	return body
}

// post sends one request and returns the answer, or an error when the query failed.
func (c *gqlClient) post(ctx context.Context, body []byte) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	setGraphQLHeaders(req.Header)
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	return data, checkAnswer(resp.StatusCode, data)
}

// setGraphQLHeaders asks for the GraphQL-over-HTTP media type, under which a query that
// does not validate is a 400, not a 200 with errors.
func setGraphQLHeaders(h http.Header) {
	h.Set("Content-Type", "application/json")
	h.Set("Accept", "application/graphql-response+json")
}

// checkAnswer fails an answer that is not a 200, carries errors, or lacks a field.
func checkAnswer(status int, body []byte) error {
	if status != http.StatusOK {
		return fmt.Errorf("status %d: %s", status, clip(body))
	}
	var answer struct {
		Data   map[string]json.RawMessage `json:"data"`
		Errors []json.RawMessage          `json:"errors"`
	}
	if err := json.Unmarshal(body, &answer); err != nil {
		return fmt.Errorf("answer is not JSON: %w: %s", err, clip(body))
	}
	if len(answer.Errors) > 0 {
		return fmt.Errorf("%d errors, the first: %s", len(answer.Errors), clip(answer.Errors[0]))
	}
	if len(answer.Data) == 0 {
		return fmt.Errorf("no data: %s", clip(body))
	}
	for field, value := range answer.Data {
		if string(value) == "null" {
			return fmt.Errorf("%s is null", field)
		}
	}
	return nil
}

// clip shortens a body for an error message.
func clip(b []byte) string {
	const n = 300
	if len(b) > n {
		return string(b[:n]) + "..."
	}
	return string(b)
}
