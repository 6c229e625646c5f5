package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// request is one field of the Query type: a table the attacker asks for.
type request struct {
	field string // licenceStatistics, denialsByDestination, ...
	args  string // the arguments, without parentheses
	body  string // the selection set, with braces
	heavy bool   // a page of up to 1000 rows: sent alone, for the complexity limit
}

func (r request) key() string { return r.field + "(" + r.args + ")" + r.body }

// answer is the value of one request, or the API's refusal of it.
type answer struct {
	data    json.RawMessage
	refusal *apiError
}

// apiError is an error the API answered with: a refusal, for the attacker.
type apiError struct {
	Code    string
	Message string
}

func (e *apiError) Error() string { return e.Code + ": " + e.Message }

// counter counts what one attack sent and what was refused.
type counter struct {
	sent, refused, http atomic.Int64
	lastRefusal         atomic.Pointer[apiError]
}

// client sends requests to /graphql, several per HTTP request as aliases, a few HTTP
// requests at a time, and remembers every answer: the attacker never asks the same
// question twice, and a repeated request costs nothing.
type client struct {
	url     string
	http    *http.Client
	workers int
	batch   int // aliases per HTTP request; the API allows 30

	mu    sync.Mutex
	cache map[string]answer
}

func newClient(base string, workers int) *client {
	return &client{url: base + "/graphql", http: &http.Client{Timeout: 2 * time.Minute}, workers: workers, batch: 24,
		cache: map[string]answer{}}
}

// run answers every request, from the cache or the API. An error is a failure of the
// transport or the server (not a refusal): the attack cannot go on.
func (c *client) run(ctx context.Context, cnt *counter, reqs []request) ([]answer, error) {
	out := make([]answer, len(reqs))
	var todo []int
	c.mu.Lock()
	seen := map[string]int{}
	for i, r := range reqs {
		if a, ok := c.cache[r.key()]; ok {
			out[i] = a
		} else if _, dup := seen[r.key()]; !dup {
			seen[r.key()] = i
			todo = append(todo, i)
		}
	}
	c.mu.Unlock()
	if err := c.send(ctx, cnt, reqs, todo, out); err != nil {
		return nil, err
	}
	for i, r := range reqs {
		if j, ok := seen[r.key()]; ok && j != i {
			out[i] = out[j]
		}
	}
	return out, nil
}

// send runs the chunks of the requests todo concurrently and fills out and the cache.
func (c *client) send(ctx context.Context, cnt *counter, reqs []request, todo []int, out []answer) error {
	chunks := c.chunks(reqs, todo)
	sem := make(chan struct{}, c.workers)
	errs := make(chan error, len(chunks))
	var wg sync.WaitGroup
	for _, chunk := range chunks {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			errs <- c.sendChunk(ctx, cnt, reqs, chunk, out)
		}()
	}
	wg.Wait()
	close(errs)
	return errors.Join(collect(errs)...)
}

func collect(errs <-chan error) []error {
	var out []error
	for err := range errs {
		if err != nil {
			out = append(out, err)
		}
	}
	return out
}

// chunks splits the requests into HTTP requests: a heavy one alone, light ones by batch.
func (c *client) chunks(reqs []request, todo []int) [][]int {
	var chunks [][]int
	var light []int
	for _, i := range todo {
		if reqs[i].heavy {
			chunks = append(chunks, []int{i})
			continue
		}
		light = append(light, i)
		if len(light) == c.batch {
			chunks, light = append(chunks, light), nil
		}
	}
	if len(light) > 0 {
		chunks = append(chunks, light)
	}
	return chunks
}

// sendChunk sends one HTTP request. When the API refuses the request as a whole (a
// limit of the document, one invalid field), it splits the chunk to find the field
// refused, so that one refusal does not take the others with it.
func (c *client) sendChunk(ctx context.Context, cnt *counter, reqs []request, chunk []int, out []answer) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	cnt.sent.Add(int64(len(chunk)))
	cnt.http.Add(1)
	answers, whole, err := c.post(ctx, reqs, chunk)
	if err != nil {
		return err
	}
	if whole != nil && len(chunk) > 1 {
		cnt.sent.Add(-int64(len(chunk))) // sent again, split
		half := len(chunk) / 2
		return errors.Join(c.sendChunk(ctx, cnt, reqs, chunk[:half], out), c.sendChunk(ctx, cnt, reqs, chunk[half:], out))
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, i := range chunk {
		a := answer{refusal: whole}
		if whole == nil {
			a = answers[k]
		}
		if a.refusal != nil {
			cnt.refused.Add(1)
			cnt.lastRefusal.Store(a.refusal)
		}
		out[i] = a
		c.cache[reqs[i].key()] = a
	}
	return nil
}

// graphQLResponse is the body of an answer of /graphql.
type graphQLResponse struct {
	Data   map[string]json.RawMessage `json:"data"`
	Errors []struct {
		Message    string `json:"message"`
		Path       []any  `json:"path"`
		Extensions struct {
			Code string `json:"code"`
		} `json:"extensions"`
	} `json:"errors"`
}

// post sends the chunk as one document of aliases a0, a1, ... and returns each alias's
// answer, or the refusal of the document as a whole.
func (c *client) post(ctx context.Context, reqs []request, chunk []int) ([]answer, *apiError, error) {
	var doc strings.Builder
	doc.WriteString("query {\n")
	for k, i := range chunk {
		args := ""
		if reqs[i].args != "" {
			args = "(" + reqs[i].args + ")"
		}
		fmt.Fprintf(&doc, "  a%d: %s%s %s\n", k, reqs[i].field, args, reqs[i].body)
	}
	doc.WriteString("}")
	body, err := c.postDocument(ctx, doc.String())
	if err != nil {
		return nil, nil, err
	}
	var resp graphQLResponse
	if err := json.Unmarshal(body, &resp); err != nil {
		return nil, nil, fmt.Errorf("POST /graphql: the answer is not JSON: %w: %s", err, clip(body))
	}
	answers := make([]answer, len(chunk))
	for _, e := range resp.Errors {
		refusal := &apiError{Code: e.Extensions.Code, Message: e.Message}
		alias, _ := firstString(e.Path)
		k, err := strconv.Atoi(strings.TrimPrefix(alias, "a"))
		if alias == "" || err != nil || k < 0 || k >= len(chunk) {
			return nil, refusal, nil
		}
		answers[k].refusal = refusal
	}
	for k := range chunk {
		data := resp.Data["a"+strconv.Itoa(k)]
		if answers[k].refusal == nil && (len(data) == 0 || string(data) == "null") {
			answers[k].refusal = &apiError{Code: "NULL", Message: "no answer"}
		}
		answers[k].data = data
	}
	return answers, nil, nil
}

func firstString(path []any) (string, bool) {
	if len(path) == 0 {
		return "", false
	}
	s, ok := path[0].(string)
	return s, ok
}

// postDocument posts a GraphQL document and returns the body of the answer. A 429 is
// waited out a few times; any other status but 200 and 400 is a failure.
func (c *client) postDocument(ctx context.Context, document string) ([]byte, error) {
	payload, _ := json.Marshal(map[string]string{"query": document})
	for attempt := 0; ; attempt++ {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url, bytes.NewReader(payload))
		if err != nil {
			return nil, err
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json")
		resp, err := c.http.Do(req)
		if err != nil {
			return nil, fmt.Errorf("POST /graphql: %w", err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		switch {
		case err != nil:
			return nil, fmt.Errorf("POST /graphql: %w", err)
		case resp.StatusCode == http.StatusTooManyRequests && attempt < 5:
			if err := sleep(ctx, retryAfter(resp.Header.Get("Retry-After"))); err != nil {
				return nil, err
			}
			continue
		case resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusBadRequest:
			return nil, fmt.Errorf("POST /graphql: status %d: %s", resp.StatusCode, clip(body))
		}
		return body, nil
	}
}

// retryAfter reads a Retry-After of seconds, at most 5.
func retryAfter(h string) time.Duration {
	s, err := strconv.Atoi(h)
	if err != nil || s < 1 {
		s = 1
	}
	return time.Duration(min(s, 5)) * time.Second
}

func sleep(ctx context.Context, d time.Duration) error {
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(d):
		return nil
	}
}

// clip shortens a body for an error message.
func clip(b []byte) string {
	const n = 300
	if len(b) > n {
		return string(b[:n]) + "..."
	}
	return string(b)
}
