package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// answer is one HTTP exchange as the client saw it.
type answer struct {
	status int
	header http.Header
	body   []byte
	took   time.Duration
	err    error
}

var httpClient = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 16, DisableCompression: true}}

func fetch(ctx context.Context, method, url string, body []byte, header map[string]string) answer {
	started := time.Now()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, rd)
	if err != nil {
		return answer{err: err}
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := httpClient.Do(req)
	if err != nil {
		return answer{err: err, took: time.Since(started)}
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	return answer{status: resp.StatusCode, header: resp.Header, body: data, took: time.Since(started), err: err}
}

func get(ctx context.Context, url string) answer { return fetch(ctx, http.MethodGet, url, nil, nil) }

// gql POSTs a GraphQL query.
func gql(ctx context.Context, base, query string) answer {
	body, _ := json.Marshal(map[string]any{"query": query})
	return fetch(ctx, http.MethodPost, base+"/graphql", body, nil)
}

// gqlBody is the decoded answer of a GraphQL request.
type gqlBody struct {
	Data   map[string]json.RawMessage `json:"data"`
	Errors []struct {
		Message    string         `json:"message"`
		Extensions map[string]any `json:"extensions"`
	} `json:"errors"`
}

func (a answer) gql() gqlBody {
	var b gqlBody
	_ = json.Unmarshal(a.body, &b)
	return b
}

// code is the first error code of the answer (GraphQL or JSON error), "" for none.
func (a answer) code() string {
	for _, e := range a.gql().Errors {
		if c, ok := e.Extensions["code"].(string); ok {
			return c
		}
	}
	return ""
}

// hasData reports whether a GraphQL answer has a non-null value for every field asked.
func (a answer) hasData() bool {
	b := a.gql()
	if len(b.Data) == 0 || len(b.Errors) > 0 {
		return false
	}
	for _, v := range b.Data {
		if string(v) == "null" {
			return false
		}
	}
	return true
}

// describe is a short account of an answer for the report.
func (a answer) describe() string {
	if a.err != nil {
		return "transport error: " + short(a.err.Error(), 120)
	}
	s := strings.TrimSpace(http.StatusText(a.status))
	out := a.status
	msg := ""
	if c := a.code(); c != "" {
		msg = " " + c
	}
	return strings.TrimSpace(strings.Join([]string{itoa(out), s + msg}, " "))
}

func itoa(n int) string { return strconv.Itoa(n) }

func short(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

// size is a byte count for the report.
func size(n int) string {
	if n >= 1<<20 {
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%.1f KB", float64(n)/1024)
}
