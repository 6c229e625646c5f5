// Package bundle serves the pages the portal embeds (GraphiQL, the explore page): their
// built files, each with its type, ETag and caching, and the page itself, written from
// its template with a fresh nonce for its Content-Security-Policy. Each page's package
// keeps what is its own (its manifest, its template's data, its policy).
package bundle

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"slices"
	"time"
)

// Files are the built files of a page, ready to serve.
type Files map[string]file

type file struct {
	body         []byte
	contentType  string
	cacheControl string
	etag         string
}

// Load reads the files named in sums (name → SHA-256, hex, as a build's manifest lists
// them) from dir of fsys. The files named immutable are named by the hash of their
// content, so a new build is a new name: they may be kept for a year.
func Load(fsys fs.FS, dir string, sums map[string]string, immutable ...string) (Files, error) {
	files := Files{}
	for name, sum := range sums {
		body, err := fs.ReadFile(fsys, path.Join(dir, name))
		if err != nil {
			return nil, err
		}
		if len(sum) < 32 {
			return nil, fmt.Errorf("%s: checksum %q is too short", name, sum)
		}
		f := file{body: body, etag: `"` + sum[:32] + `"`, cacheControl: "public, max-age=3600"}
		switch path.Ext(name) {
		case ".js":
			f.contentType = "text/javascript; charset=utf-8"
		case ".css":
			f.contentType = "text/css; charset=utf-8"
		case ".json":
			f.contentType = "application/json"
		default:
			f.contentType = "text/plain; charset=utf-8"
		}
		if slices.Contains(immutable, name) {
			f.cacheControl = "public, max-age=31536000, immutable"
		}
		files[name] = f
	}
	return files, nil
}

// Serve answers a request for the file name, or 404.
func (fs Files) Serve(w http.ResponseWriter, r *http.Request, name string) {
	f, ok := fs[name]
	if !ok {
		w.Header().Set("Cache-Control", "no-store")
		http.Error(w, "not found", http.StatusNotFound)
		return
	}
	h := w.Header()
	h.Set("Content-Type", f.contentType)
	h.Set("Cache-Control", f.cacheControl)
	h.Set("ETag", f.etag)
	// A file loaded by another site's page is still ours to refuse.
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(f.body))
}

// WritePage writes the page from tmpl with data and a fresh "Nonce", under the
// Content-Security-Policy csp gives for that nonce, with no framing and no caching (the
// nonce is new with every answer: no cache may keep one).
func WritePage(w http.ResponseWriter, r *http.Request, tmpl *template.Template, data map[string]string, csp func(nonce string) string) {
	var n [18]byte
	_, _ = rand.Read(n[:])
	nonce := base64.RawURLEncoding.EncodeToString(n[:])
	data["Nonce"] = nonce
	var body bytes.Buffer
	if err := tmpl.Execute(&body, data); err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", csp(nonce))
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	h.Set("Cache-Control", "no-store")
	if r.Method == http.MethodHead {
		h.Set("Content-Length", fmt.Sprint(body.Len()))
		return
	}
	_, _ = w.Write(body.Bytes())
}
