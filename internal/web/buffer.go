package web

import (
	"bytes"
	"net/http"
	"strings"
)

// matchingTag returns the entity tag of If-None-Match that names the answer of key
// (or *), in any of its encodings ("KEY", "KEY-gzip", "KEY-zstd": a compressed variant
// has a tag of its own, see compressed).
func matchingTag(ifNoneMatch, key string) (string, bool) {
	if ifNoneMatch == "" {
		return "", false
	}
	for _, candidate := range strings.Split(ifNoneMatch, ",") {
		candidate = strings.TrimPrefix(strings.TrimSpace(candidate), "W/")
		if candidate == "*" {
			return `"` + key + `"`, true
		}
		inner, ok := strings.CutPrefix(candidate, `"`+key)
		if !ok {
			continue
		}
		switch inner {
		case `"`, `-gzip"`, `-zstd"`:
			return candidate, true
		}
	}
	return "", false
}

// bufferedResponse holds a response until its ETag is known.
type bufferedResponse struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (b *bufferedResponse) Header() http.Header         { return b.header }
func (b *bufferedResponse) WriteHeader(status int)      { b.status = status }
func (b *bufferedResponse) Write(p []byte) (int, error) { return b.body.Write(p) }
