package web

import (
	"net/http"
	"strings"

	"github.com/klauspost/compress/gzhttp"
)

// Security headers. Every answer says nosniff (a CSV or a JSON answer is never run as
// a script or a page) and sends no Referer onwards; an HTML page also gets a Content
// Security Policy (its handler's own, or one that allows nothing) that forbids framing,
// and X-Frame-Options for browsers that predate frame-ancestors.

// defaultCSP is the policy of an HTML answer whose handler sets none: nothing loads.
const defaultCSP = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		next.ServeHTTP(&htmlHeaders{ResponseWriter: w}, r)
	})
}

// htmlHeaders adds the page headers when the answer turns out to be HTML.
type htmlHeaders struct {
	http.ResponseWriter
	wrote bool
}

func (h *htmlHeaders) WriteHeader(status int) {
	if !h.wrote {
		h.wrote = true
		header := h.Header()
		if ct := header.Get("Content-Type"); strings.HasPrefix(strings.ToLower(ct), "text/html") {
			switch csp := header.Get("Content-Security-Policy"); {
			case csp == "":
				header.Set("Content-Security-Policy", defaultCSP)
			case !strings.Contains(csp, "frame-ancestors"):
				header.Set("Content-Security-Policy", strings.TrimRight(csp, "; ")+"; frame-ancestors 'none'")
			}
			header.Set("X-Frame-Options", "DENY")
		}
	}
	h.ResponseWriter.WriteHeader(status)
}

func (h *htmlHeaders) Write(p []byte) (int, error) {
	if !h.wrote {
		if h.Header().Get("Content-Type") == "" && h.Header().Get("Content-Encoding") == "" {
			h.Header().Set("Content-Type", http.DetectContentType(p))
		}
		h.WriteHeader(http.StatusOK)
	}
	return h.ResponseWriter.Write(p)
}

func (h *htmlHeaders) Unwrap() http.ResponseWriter { return h.ResponseWriter }

func (h *htmlHeaders) Flush() {
	if f, ok := h.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// varyAccept says that the answer depends on Accept, as GraphQL over HTTP's does
// (application/graphql-response+json or application/json).
func varyAccept(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Add("Vary", "Accept")
		next.ServeHTTP(w, r)
	})
}

// compressed compresses answers (gzip, or zstd for a client that prefers it) with
// klauspost/compress's gzhttp, which negotiates Accept-Encoding, adds Vary:
// Accept-Encoding, leaves small answers and already-encoded ones alone, and gives a
// compressed answer an ETag of its own ("KEY-gzip", "KEY-zstd"): the variants differ
// byte for byte, so they must not share a strong ETag. matchingTag accepts the three.
func compressed(next http.Handler) http.Handler {
	wrap, err := gzhttp.NewWrapper(gzhttp.SuffixETag("-gzip"), gzhttp.PreferZstd(false))
	if err != nil {
		panic(err) // the options are constants
	}
	return wrap(next)
}
