package graph

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"
	"golang.org/x/sync/singleflight"

	"github.com/dualuse-transparency/portal/db"
)

// Releases are immutable, so an answer only changes when a release is imported (the
// data version), when the date changes (lists default to today), or when the request
// does. A request's key is the hash of the three: it is the ETag of a GET response,
// answered 304 when the client has it, and the key of the in-process response cache.

// CacheOptions configure HTTP caching.
type CacheOptions struct {
	MaxAge  time.Duration // Cache-Control max-age of GET responses
	Entries int           // responses the in-process cache keeps
}

type keyContext struct{}

// dataVersion caches the database's data version for a second, so a burst of
// requests costs one query a second, and an import shows within a second.
type dataVersion struct {
	db      *db.DB
	mu      sync.Mutex
	value   string
	fetched time.Time
}

func (v *dataVersion) get(ctx context.Context) (string, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if time.Since(v.fetched) < time.Second {
		return v.value, nil
	}
	value, err := v.db.DataVersion(ctx)
	if err != nil {
		return "", err
	}
	v.value, v.fetched = value, time.Now()
	return value, nil
}

// requestKey keys the request (see above), refuses a body over the limit with 413,
// and answers a GET whose If-None-Match holds the key with 304 Not Modified.
func requestKey(version *dataVersion, maxAge time.Duration, maxBody int64, m *metrics, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		canonical, err := canonicalRequest(r, maxBody)
		if errors.As(err, new(*http.MaxBytesError)) {
			writeStatus(w, http.StatusRequestEntityTooLarge, "BODY_TOO_LARGE", fmt.Sprintf("the request body is over %d bytes", maxBody))
			return
		}
		v, verr := version.get(r.Context())
		if err != nil || verr != nil { // a request the handler will refuse, or no database: no key
			next.ServeHTTP(w, r)
			return
		}
		sum := sha256.Sum256([]byte(v + "\n" + time.Now().UTC().Format(time.DateOnly) + "\n" + canonical))
		key := hex.EncodeToString(sum[:16])
		if r.Method == http.MethodGet || r.Method == http.MethodHead {
			etag := `"` + key + `"`
			w.Header().Set("ETag", etag)
			w.Header().Set("Cache-Control", fmt.Sprintf("public, max-age=%d", int(maxAge.Seconds())))
			if matches(r.Header.Get("If-None-Match"), etag) {
				m.cache.WithLabelValues("not_modified").Inc()
				w.WriteHeader(http.StatusNotModified)
				return
			}
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), keyContext{}, key)))
	})
}

// canonicalRequest is what identifies a request's answer: the method, the path, the
// Accept and Content-Type headers (they change the answer), and the GraphQL request (query with white space folded, operation, variables,
// extensions) or, for a download, the sorted URL parameters. A POST body is read
// (up to maxBody) and put back for the handler.
func canonicalRequest(r *http.Request, maxBody int64) (string, error) {
	head := strings.Join([]string{r.Method, r.URL.Path, r.Header.Get("Accept"), r.Header.Get("Content-Type")}, "\n") + "\n"
	if r.Method != http.MethodPost {
		return head + canonicalQuery(r.URL.Query()), nil
	}
	body, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, maxBody))
	r.Body = io.NopCloser(bytes.NewReader(body)) // the handler reads it again, whole or not
	if err != nil {
		return "", err
	}
	var req struct {
		Query         string          `json:"query"`
		OperationName string          `json:"operationName"`
		Variables     json.RawMessage `json:"variables"`
		Extensions    json.RawMessage `json:"extensions"`
	}
	if err := json.Unmarshal(body, &req); err != nil {
		return "", err
	}
	return head + strings.Join([]string{strings.Join(strings.Fields(req.Query), " "), req.OperationName,
		canonicalJSON(req.Variables), canonicalJSON(req.Extensions)}, "\n"), nil
}

// canonicalQuery folds the white space of a GET query and sorts the parameters.
func canonicalQuery(q url.Values) string {
	if query := q.Get("query"); query != "" {
		q = cloneValues(q)
		q.Set("query", strings.Join(strings.Fields(query), " "))
	}
	return q.Encode()
}

func cloneValues(q url.Values) url.Values {
	c := url.Values{}
	for k, v := range q {
		c[k] = append([]string(nil), v...)
	}
	return c
}

// canonicalJSON re-encodes a JSON value with sorted keys, so key order does not matter.
func canonicalJSON(raw json.RawMessage) string {
	var v any
	if len(raw) == 0 || json.Unmarshal(raw, &v) != nil {
		return string(raw)
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// cachedResponse is a response kept by the in-process cache.
type cachedResponse struct {
	status int
	header http.Header
	body   []byte
}

// maxCachedBody is the largest response the cache keeps.
const maxCachedBody = 2 << 20

// responseCache answers a request whose key it holds from memory, and keeps the
// successful answers (200, no GraphQL errors) of the others, up to entries of them.
//
// Identical requests that arrive while the first is being answered wait for its answer
// (singleflight) instead of computing it again: a news-day spike on one query costs one
// computation.
func responseCache(entries int, m *metrics, next http.Handler) http.Handler {
	cache, _ := lru.New[string, cachedResponse](max(entries, 1))
	var inFlight singleflight.Group
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key, _ := r.Context().Value(keyContext{}).(string)
		if key == "" {
			next.ServeHTTP(w, r)
			return
		}
		if hit, ok := cache.Get(key); ok {
			m.cache.WithLabelValues("hit").Inc()
			writeCached(w, hit)
			return
		}
		m.cache.WithLabelValues("miss").Inc()
		v, _, _ := inFlight.Do(key, func() (any, error) {
			buf := &bufferedResponse{header: http.Header{}, status: http.StatusOK}
			next.ServeHTTP(buf, r)
			resp := cachedResponse{status: buf.status, header: buf.header.Clone(), body: buf.body.Bytes()}
			if resp.status == http.StatusOK && len(resp.body) <= maxCachedBody && !hasErrors(resp.body) {
				cache.Add(key, resp)
			}
			return resp, nil
		})
		writeCached(w, v.(cachedResponse))
	})
}

func writeCached(w http.ResponseWriter, resp cachedResponse) {
	for k, v := range resp.header {
		w.Header()[k] = v
	}
	w.WriteHeader(resp.status)
	_, _ = w.Write(resp.body)
}

// hasErrors reports whether a JSON response carries GraphQL errors (a CSV never does).
func hasErrors(body []byte) bool {
	if len(body) == 0 || body[0] != '{' {
		return false
	}
	var top map[string]json.RawMessage
	if json.Unmarshal(body, &top) != nil {
		return true
	}
	_, has := top["errors"]
	return has
}

// writeStatus answers with an HTTP error status and a coded GraphQL-style error body.
func writeStatus(w http.ResponseWriter, status int, code, message string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{
		"errors": []any{map[string]any{"message": message, "extensions": map[string]any{"code": code}}},
	})
}
