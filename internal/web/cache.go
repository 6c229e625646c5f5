package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"
	"github.com/hashicorp/golang-lru/v2/simplelru"
	"github.com/klauspost/compress/gzip"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/formatter"
	"github.com/vektah/gqlparser/v2/parser"

	"github.com/dualuse-transparency/portal/db"
)

// Releases are immutable, so an answer only changes when a release is imported (the
// data version), when the date changes (lists default to today), or when the request
// does. A request's key is the hash of the three: it is the ETag of a successful GET
// answer, answered 304 when the client has it, and the key of the in-process response
// cache. Errors are never cached, by anyone: they carry Cache-Control: no-store and no
// ETag.

// CacheOptions configure HTTP caching.
type CacheOptions struct {
	MaxAge   time.Duration // Cache-Control max-age of successful GET answers
	Entries  int           // answers the in-process cache keeps at most
	MaxBytes int64         // bytes of answers the in-process cache keeps at most; an answer over MaxBytes/16 is not kept
}

// Defaults of CacheOptions.
const (
	DefaultCacheMaxAge   = 5 * time.Minute
	DefaultCacheEntries  = 2000
	DefaultCacheMaxBytes = 64 << 20
)

// largestShare: an answer larger than MaxBytes/largestShare is not kept, so a few
// large answers cannot push out every other one.
const largestShare = 16

func (o CacheOptions) withDefaults() CacheOptions {
	if o.MaxAge == 0 && o.Entries == 0 {
		o.MaxAge = DefaultCacheMaxAge
	}
	if o.Entries <= 0 {
		o.Entries = DefaultCacheEntries
	}
	if o.MaxBytes <= 0 {
		o.MaxBytes = DefaultCacheMaxBytes
	}
	return o
}

// sharedDeadline bounds a computation that identical requests share: it no longer
// depends on the client that started it (see flights), so it gets a deadline of its own.
const sharedDeadline = 2 * time.Minute

// dataVersion keeps the database's data version in memory, so that neither a cached
// answer nor a request's key waits for a database connection. A version older than
// versionTTL/2 is refreshed in the background; a request that finds it older than
// versionTTL waits for the refresh briefly (staleWait) and otherwise goes on with the
// last known version. An import therefore shows within about a second, and a saturated
// or unreachable database delays nobody by more than staleWait.
type dataVersion struct {
	db         *db.DB
	mu         sync.Mutex
	value      string
	fetched    time.Time // zero: never fetched
	refreshing chan struct{}
}

const (
	versionTTL       = time.Second
	staleWait        = 50 * time.Millisecond
	firstWait        = 3 * time.Second // the first request of the process, which has no version yet
	versionQueryTime = 5 * time.Second
)

func (v *dataVersion) get(ctx context.Context) (string, bool) {
	v.mu.Lock()
	value, fetched := v.value, v.fetched
	age := time.Since(fetched)
	var done chan struct{}
	if fetched.IsZero() || age >= versionTTL/2 {
		done = v.refreshLocked()
	}
	v.mu.Unlock()
	if !fetched.IsZero() && age < versionTTL {
		return value, true
	}
	wait := staleWait
	if fetched.IsZero() {
		wait = firstWait
	}
	timer := time.NewTimer(wait)
	defer timer.Stop()
	select {
	case <-done:
	case <-timer.C:
	case <-ctx.Done():
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.value, !v.fetched.IsZero()
}

// refreshLocked starts a refresh unless one is under way; the channel closes when it ends.
func (v *dataVersion) refreshLocked() chan struct{} {
	if v.refreshing != nil {
		return v.refreshing
	}
	done := make(chan struct{})
	v.refreshing = done
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), versionQueryTime)
		value, err := v.db.DataVersion(ctx)
		cancel()
		v.mu.Lock()
		if err == nil {
			v.value, v.fetched = value, time.Now()
		}
		v.refreshing = nil
		v.mu.Unlock()
		close(done)
	}()
	return done
}

// responseCache is the in-process cache of answers, bounded in bytes and in entries,
// with the keys of the answers known to exist (for 304) and the computations in flight.
type responseCache struct {
	maxAge time.Duration
	m      *metrics

	mu       sync.Mutex
	answers  *simplelru.LRU[string, cachedResponse]
	bytes    int64
	maxBytes int64
	maxItem  int64

	known   *lru.Cache[string, struct{}] // keys of successful answers: If-None-Match may be honoured without work
	flights flights
}

// knownKeys is how many keys of successful answers are remembered for 304s (about
// 100 bytes each).
const knownKeys = 20_000

func newResponseCache(opts CacheOptions, m *metrics) *responseCache {
	c := &responseCache{maxAge: opts.MaxAge, m: m, maxBytes: opts.MaxBytes, maxItem: opts.MaxBytes / largestShare}
	c.answers, _ = simplelru.NewLRU(opts.Entries, func(_ string, resp cachedResponse) { c.bytes -= resp.size() })
	c.known, _ = lru.New[string, struct{}](knownKeys)
	c.flights.m = map[string]*flight{}
	return c
}

// cachedResponse is a response kept by the in-process cache, with its gzip encoding
// when it is worth compressing: a repeated answer is compressed once, when it is kept,
// not on every request (compressing a 300 kB report took longer than serving it).
type cachedResponse struct {
	status int
	header http.Header
	body   []byte
	gzip   []byte // the body gzipped, nil when not kept or too small to compress
	// good: a successful answer (cacheable), worked out once when the answer is made,
	// since it reads the JSON body, which a hit must not do again.
	good bool
	// bodyLength and gzipLength are the Content-Length header of each encoding, made
	// when the answer is kept rather than at every hit (nil: not made).
	bodyLength, gzipLength []string
}

// withLengths returns the answer with its Content-Length headers made.
func (r cachedResponse) withLengths() cachedResponse {
	r.bodyLength = []string{strconv.Itoa(len(r.body))}
	if r.gzip != nil {
		r.gzipLength = []string{strconv.Itoa(len(r.gzip))}
	}
	return r
}

// gzipMinSize is the smallest body kept compressed: below it, compression saves less
// than its headers cost (gzhttp's own default minimum).
const gzipMinSize = 1024

// withGzip returns the answer with its gzip encoding.
func (r cachedResponse) withGzip() cachedResponse {
	if len(r.body) < gzipMinSize || r.header.Get("Content-Encoding") != "" {
		return r
	}
	var buf bytes.Buffer
	buf.Grow(len(r.body) / 4)
	zw := gzipWriters.Get().(*gzip.Writer)
	zw.Reset(&buf)
	_, _ = zw.Write(r.body)
	_ = zw.Close()
	gzipWriters.Put(zw)
	r.gzip = buf.Bytes()
	return r
}

// gzipWriters are reused: a new compressor allocates its tables afresh (hundreds of
// kilobytes), and an uncached answer is compressed as it is kept. Compressing a 9 kB
// list with a new standard-library compressor took a seventh of the server's time for
// an uncached request; the compressor is klauspost/compress's gzip, which gzhttp uses
// for the rest.
var gzipWriters = sync.Pool{New: func() any {
	zw, _ := gzip.NewWriterLevel(io.Discard, gzip.DefaultCompression)
	return zw
}}

// size is what an answer costs the cache: its body (both encodings), its header and
// the bookkeeping.
func (r cachedResponse) size() int64 {
	n := int64(len(r.body)) + int64(len(r.gzip)) + 200
	for k, vs := range r.header {
		n += int64(len(k))
		for _, v := range vs {
			n += int64(len(v))
		}
	}
	return n
}

// cacheable tells whether an answer may be kept and tagged: a 200 without GraphQL errors.
func (r cachedResponse) cacheable() bool {
	return r.status == http.StatusOK && !hasErrors(r.body)
}

func (c *responseCache) get(key string) (cachedResponse, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.answers.Get(key)
}

// add keeps an answer unless it is over the largest share, then drops the least
// recently used answers until the cache is within its bytes.
func (c *responseCache) add(key string, resp cachedResponse) {
	size := resp.size()
	if size > c.maxItem {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.answers.Contains(key) {
		return
	}
	c.answers.Add(key, resp)
	c.bytes += size
	for c.bytes > c.maxBytes {
		if _, _, ok := c.answers.RemoveOldest(); !ok {
			break
		}
	}
}

// usage is the bytes and entries the cache holds.
func (c *responseCache) usage() (int64, int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.bytes, c.answers.Len()
}

// keyed keys the request (see above), refuses a body over the limit with 413, and
// answers a GET whose If-None-Match names the key of a successful answer with 304 Not
// Modified. Every answer is Cache-Control: no-store unless serve finds it cacheable.
func (c *responseCache) keyed(version *dataVersion, limits Limits, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		state := &keyedRequest{}
		r = r.WithContext(context.WithValue(r.Context(), keyedRequestKey{}, state))
		defer state.body.release()
		canonical, err := canonicalRequest(r, limits.MaxBodyBytes, limits.MaxTokens)
		if errors.As(err, new(*http.MaxBytesError)) {
			writeStatus(w, http.StatusRequestEntityTooLarge, "BODY_TOO_LARGE", fmt.Sprintf("the request body is over %d bytes", limits.MaxBodyBytes))
			return
		}
		v, ok := version.get(r.Context())
		if err != nil || !ok { // a request the handler will refuse, or no data version yet: no key
			next.ServeHTTP(w, r)
			return
		}
		key := requestKey(v, time.Now(), canonical)
		if isGet(r) && c.known.Contains(key) {
			if tag, ok := matchingTag(r.Header.Get("If-None-Match"), key); ok {
				c.m.cache.WithLabelValues("not_modified").Inc()
				c.notModified(w, tag)
				return
			}
		}
		state.key = key
		next.ServeHTTP(w, r)
	})
}

// keyedRequest is what keyed gives the rest of the chain, in the request's context
// (one value, so the request is copied once for it): the request's key, empty when it
// has none, and its pooled body buffer.
type keyedRequest struct {
	key    string
	body   bodyBuffer
	reader bytes.Reader // the body, put back for the handler
}

type keyedRequestKey struct{}

// keyedState is the request's keyedRequest, nil outside keyed.
func keyedState(r *http.Request) *keyedRequest {
	state, _ := r.Context().Value(keyedRequestKey{}).(*keyedRequest)
	return state
}

// requestKey is the key of a request: the first 16 bytes of the SHA-256 of the data
// version, the UTC date and the canonical request, in hex. The three are hashed from
// a pooled buffer: a key is computed for every request, cached answers included.
func requestKey(version string, now time.Time, canonical string) string {
	b := keyBuffers.Get().(*[]byte)
	buf := append((*b)[:0], version...)
	buf = append(buf, '\n')
	buf = now.UTC().AppendFormat(buf, time.DateOnly)
	buf = append(buf, '\n')
	buf = append(buf, canonical...)
	sum := sha256.Sum256(buf)
	if cap(buf) <= maxPooledBody {
		*b = buf
		keyBuffers.Put(b)
	}
	return hex.EncodeToString(sum[:16])
}

var keyBuffers = sync.Pool{New: func() any { return new([]byte) }}

func isGet(r *http.Request) bool { return r.Method == http.MethodGet || r.Method == http.MethodHead }

// acceptsGzip reports whether the client accepts gzip: the token is listed and not
// refused with q=0.
func acceptsGzip(r *http.Request) bool {
	for part := range strings.SplitSeq(r.Header.Get("Accept-Encoding"), ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(name), "gzip") {
			continue
		}
		q := strings.ReplaceAll(strings.TrimSpace(params), " ", "")
		return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
	}
	return false
}

func (c *responseCache) notModified(w http.ResponseWriter, tag string) {
	w.Header().Set("ETag", tag)
	w.Header().Set("Cache-Control", c.cacheControl())
	w.WriteHeader(http.StatusNotModified)
}

func (c *responseCache) cacheControl() string {
	return fmt.Sprintf("public, max-age=%d", int(c.maxAge.Seconds()))
}

// serve answers a keyed request from memory, or computes its answer once for all the
// identical requests in flight, keeps it when it is successful and small enough, and
// tags it (ETag, Cache-Control: public) when it is a successful GET answer.
func (c *responseCache) serve(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		state := keyedState(r)
		if state == nil || state.key == "" {
			next.ServeHTTP(w, r)
			return
		}
		key := state.key
		resp, hit := c.get(key)
		if hit {
			c.m.cache.WithLabelValues("hit").Inc()
			state.body.unread = true // the answer is from memory: nothing reads the body
		} else {
			c.m.cache.WithLabelValues("miss").Inc()
			var err error
			resp, err = c.flights.do(r.Context(), key, func(ctx context.Context) cachedResponse {
				buf := &bufferedResponse{header: http.Header{}, status: http.StatusOK}
				next.ServeHTTP(buf, r.WithContext(ctx))
				resp := cachedResponse{status: buf.status, header: buf.header.Clone(), body: buf.body.Bytes()}
				resp.good = resp.cacheable()
				if resp.good {
					resp = resp.withGzip().withLengths()
					c.known.Add(key, struct{}{})
					c.add(key, resp)
				}
				return resp
			})
			if err != nil { // this client left; the others still get the answer
				return
			}
		}
		if isGet(r) && resp.good {
			tag := `"` + key + `"`
			if match, ok := matchingTag(r.Header.Get("If-None-Match"), key); ok {
				c.m.cache.WithLabelValues("not_modified").Inc()
				c.notModified(w, match)
				return
			}
			w.Header().Set("ETag", tag)
			w.Header().Set("Cache-Control", c.cacheControl())
		}
		if resp.gzip != nil && resp.good && acceptsGzip(r) {
			// Already compressed: the compression wrapper leaves an encoded answer alone.
			if w.Header().Get("ETag") != "" {
				w.Header().Set("ETag", `"`+key+`-gzip"`)
			}
			w.Header().Set("Content-Encoding", "gzip")
			addVary(w.Header(), "Accept-Encoding") // the compression wrapper lists it already
			resp.body, resp.bodyLength = resp.gzip, resp.gzipLength
		}
		writeCached(w, resp)
	})
}

// flights runs one computation per key at a time for every identical request in
// flight. The computation runs on a context of its own, detached from the client that
// started it, with sharedDeadline: when that client leaves, the others still get the
// answer. Each client waits on its own context; when the last one has left, the
// computation is cancelled. (golang.org/x/sync/singleflight runs the function on the
// caller's goroutine and context, so the first caller's departure would cancel it for
// all, and nothing cancels it when all have left.)
type flights struct {
	mu sync.Mutex
	m  map[string]*flight
}

type flight struct {
	done    chan struct{}
	resp    cachedResponse
	waiters int
	cancel  context.CancelFunc
}

func (f *flights) do(ctx context.Context, key string, compute func(context.Context) cachedResponse) (cachedResponse, error) {
	f.mu.Lock()
	call, ok := f.m[key]
	if !ok {
		shared, cancel := context.WithTimeout(context.WithoutCancel(ctx), sharedDeadline)
		call = &flight{done: make(chan struct{}), cancel: cancel}
		f.m[key] = call
		go f.run(shared, key, call, compute)
	}
	call.waiters++
	f.mu.Unlock()
	select {
	case <-call.done:
		return call.resp, nil
	case <-ctx.Done():
		f.mu.Lock()
		call.waiters--
		if call.waiters == 0 {
			call.cancel()
			if f.m[key] == call {
				delete(f.m, key) // a request arriving now starts afresh
			}
		}
		f.mu.Unlock()
		return cachedResponse{}, ctx.Err()
	}
}

func (f *flights) run(ctx context.Context, key string, call *flight, compute func(context.Context) cachedResponse) {
	defer func() {
		if p := recover(); p != nil {
			loggerFrom(ctx, slog.Default()).ErrorContext(ctx, "panic in a shared computation", "panic", p)
			call.resp = internalErrorResponse()
		}
		call.cancel()
		f.mu.Lock()
		if f.m[key] == call {
			delete(f.m, key)
		}
		f.mu.Unlock()
		close(call.done)
	}()
	call.resp = compute(ctx)
}

func internalErrorResponse() cachedResponse {
	buf := &bufferedResponse{header: http.Header{}, status: http.StatusOK}
	writeStatus(buf, http.StatusInternalServerError, "INTERNAL", "internal error")
	return cachedResponse{status: buf.status, header: buf.header, body: buf.body.Bytes()}
}

// canonicalRequest is what identifies a request's answer: the method, the path, the
// Accept and Content-Type headers (they change the answer), and the GraphQL request
// (the query as printed from its parsed document, operation, variables, extensions) or,
// for a download, the sorted URL parameters. A POST body is read (up to maxBody) and
// put back for the handler.
func canonicalRequest(r *http.Request, maxBody int64, maxTokens int) (string, error) {
	head := func(rest string) string {
		return r.Method + "\n" + r.URL.Path + "\n" + r.Header.Get("Accept") + "\n" + r.Header.Get("Content-Type") + "\n" + rest
	}
	if r.Method != http.MethodPost {
		q, err := url.ParseQuery(r.URL.RawQuery)
		if err != nil {
			return "", err
		}
		return head(canonicalQuery(q, maxTokens)), nil
	}
	body, err := readBody(r, maxBody)
	// The handler reads it again, whole or not.
	if state := keyedState(r); state != nil {
		state.reader.Reset(body)
		r.Body = io.NopCloser(&state.reader)
	} else {
		r.Body = io.NopCloser(bytes.NewReader(body))
	}
	if err != nil {
		return "", err
	}
	digest, err := canonicalBody(body, maxTokens)
	if err != nil {
		return "", err
	}
	return head(digest), nil
}

// readBody reads a request's body, up to maxBody bytes (more is an
// *http.MaxBytesError). A body whose length is declared is read into one buffer of that
// length: io.ReadAll grows its buffer from 512 bytes, which for the annual report's
// request allocated twice its size on every request.
func readBody(r *http.Request, maxBody int64) ([]byte, error) {
	limited := http.MaxBytesReader(nil, r.Body, maxBody)
	if r.ContentLength <= 0 || r.ContentLength > maxBody {
		return io.ReadAll(limited)
	}
	var body []byte
	if state := keyedState(r); state != nil && r.ContentLength <= maxPooledBody {
		body = state.body.take(int(r.ContentLength))
	} else {
		body = make([]byte, r.ContentLength)
	}
	n, err := io.ReadFull(limited, body)
	if err != nil {
		return body[:n], err
	}
	// The length declared is checked by net/http; a byte more would be an error there.
	return body, nil
}

// bodyBuffers keeps the buffers of POST bodies answered from the cache of answers for
// the next request: a repeated annual report request is 15 to 40 kB, and allocating it
// afresh each time made most of the garbage a cached answer leaves, so the collector
// ran twice as often. A buffer goes back only when the answer came from memory: then
// nothing has read the body or holds it (a computed answer may outlive the request
// that started it, and reads the body meanwhile). Bodies over maxPooledBody are not
// pooled.
var bodyBuffers = sync.Pool{New: func() any { return new([]byte) }}

const maxPooledBody = 64 << 10

// bodyBuffer is a request's pooled body buffer, if it took one.
type bodyBuffer struct {
	b      *[]byte
	unread bool // the answer came from the cache: the body was read only to key it
}

// take returns a buffer of n bytes from the pool.
func (p *bodyBuffer) take(n int) []byte {
	p.b = bodyBuffers.Get().(*[]byte)
	if cap(*p.b) < n {
		*p.b = make([]byte, n)
	}
	return (*p.b)[:n]
}

// release gives the buffer back when the body was never read but to key the request.
func (p *bodyBuffer) release() {
	if p.b != nil && p.unread {
		bodyBuffers.Put(p.b)
	}
}

// canonicalBody is the SHA-256, in hex, of a POST body's GraphQL request in canonical
// form: the printed document, the operation, the variables and extensions with sorted
// keys. Two bodies that differ only in layout, comments or key order have the same
// digest. It is remembered for the body (recentBodies), so a request sent again is
// neither decoded nor printed nor hashed again: decoding the annual report's 15 to 40 kB
// request took longer than serving its cached answer, and hashing it with SHA-256 was
// still the largest single cost of the cached answer. A body that is not JSON is an
// error, and is not remembered.
func canonicalBody(body []byte, maxTokens int) (string, error) {
	digest, h, ok := recentBodies.get(body)
	if ok {
		return digest, nil
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
	sum := sha256.Sum256([]byte(strings.Join([]string{canonicalDocument(req.Query, maxTokens), req.OperationName,
		canonicalJSON(req.Variables), canonicalJSON(req.Extensions)}, "\n")))
	digest = "post:" + hex.EncodeToString(sum[:])
	recentBodies.add(h, bytes.Clone(body), digest) // body's buffer may go back to bodyBuffers
	return digest, nil
}

// bodyMemo remembers the canonicalBody digests of the POST bodies sent most recently,
// found by a seeded hash of the body (hash/maphash, about ten times faster than SHA-256)
// and confirmed by comparing the body kept with the body sent, byte for byte: two bodies
// with the same hash are told apart, so no crafted body can take another's key. It is
// bounded in entries and in the bytes of the bodies it keeps; a body over
// maxRememberedDocument is not kept.
type bodyMemo struct {
	seed     maphash.Seed
	maxBytes int

	mu    sync.Mutex
	lru   *simplelru.LRU[uint64, bodyEntry]
	bytes int
}

type bodyEntry struct {
	body   []byte // the request's own buffer, never written after it is read
	digest string
}

func newBodyMemo(entries, maxBytes int) *bodyMemo {
	m := &bodyMemo{seed: maphash.MakeSeed(), maxBytes: maxBytes}
	m.lru, _ = simplelru.NewLRU(entries, func(_ uint64, e bodyEntry) { m.bytes -= len(e.body) })
	return m
}

// get returns the digest remembered for body, and body's hash for add.
func (m *bodyMemo) get(body []byte) (digest string, h uint64, ok bool) {
	h = maphash.Bytes(m.seed, body)
	digest, ok = m.lookup(h, body)
	return digest, h, ok
}

// lookup finds the digest of body under its hash h.
func (m *bodyMemo) lookup(h uint64, body []byte) (string, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if e, found := m.lru.Get(h); found && bytes.Equal(e.body, body) {
		return e.digest, true
	}
	return "", false
}

func (m *bodyMemo) add(h uint64, body []byte, digest string) {
	if len(body) > maxRememberedDocument {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.lru.Remove(h) // a body with the same hash gives way
	m.lru.Add(h, bodyEntry{body: body, digest: digest})
	m.bytes += len(body)
	for m.bytes > m.maxBytes {
		m.lru.RemoveOldest()
	}
}

// recentBodies: 4,096 bodies, at most 8 MiB of them.
var recentBodies = newBodyMemo(4096, 8<<20)

// canonicalQuery prints the GraphQL document of a GET query canonically and sorts the
// parameters.
func canonicalQuery(q url.Values, maxTokens int) string {
	if query := q.Get("query"); query != "" {
		q = cloneValues(q)
		q.Set("query", canonicalDocument(query, maxTokens))
	}
	return q.Encode()
}

// canonicalDocument prints a query from its parsed document, so that two queries that
// differ only in layout or comments share a key while any two different documents do
// not (string literals are printed exactly). A query that does not parse is its own key:
// its bytes.
//
// The printed form of a document is remembered (canonicalDocuments), so a query asked
// again is not parsed again to find its key: parsing and printing the annual report's
// 1,200-field document took longer than serving its cached answer.
func canonicalDocument(query string, maxTokens int) string {
	id := sha256.Sum256([]byte(query))
	if c, ok := canonicalDocuments.Get(id); ok {
		return c
	}
	c := "raw:" + query
	if doc, err := parser.ParseQueryWithTokenLimit(&ast.Source{Input: query}, maxTokens); err == nil {
		var b strings.Builder
		formatter.NewFormatter(&b).FormatQueryDocument(doc)
		c = "doc:" + b.String()
	}
	if len(query) <= maxRememberedDocument {
		canonicalDocuments.Add(id, c)
	}
	return c
}

// canonicalDocuments maps the SHA-256 of a query's text to its printed form, for the 256
// documents asked most recently (at most 16 MiB); a document over
// maxRememberedDocument bytes is printed each time. (The token limit is the same for
// every request of a process, so it is not part of the key.)
var canonicalDocuments, _ = lru.New[[32]byte, string](256)

const maxRememberedDocument = 64 << 10

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

// addVary lists name in the Vary header unless it is listed already.
func addVary(h http.Header, name string) {
	for _, v := range h.Values("Vary") {
		for listed := range strings.SplitSeq(v, ",") {
			if strings.EqualFold(strings.TrimSpace(listed), name) {
				return
			}
		}
	}
	h.Add("Vary", name)
}

func writeCached(w http.ResponseWriter, resp cachedResponse) {
	for k, v := range resp.header {
		if k == "Vary" {
			for _, x := range v {
				for name := range strings.SplitSeq(x, ",") {
					addVary(w.Header(), strings.TrimSpace(name))
				}
			}
			continue
		}
		w.Header()[k] = v
	}
	// With its length known, the answer goes out without chunked framing.
	if resp.bodyLength != nil {
		w.Header()["Content-Length"] = resp.bodyLength // shared by every hit: never written to
	} else {
		w.Header().Set("Content-Length", strconv.Itoa(len(resp.body)))
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
// An error is never cached.
func writeStatus(w http.ResponseWriter, status int, code, message string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Del("ETag")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{
		"errors": []any{map[string]any{"message": message, "extensions": map[string]any{"code": code}}},
	})
}
