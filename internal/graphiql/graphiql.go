// Package graphiql serves GraphiQL, the in-browser GraphQL IDE, entirely from the binary:
// the page, and GraphiQL with React and its stylesheet bundled into one script and one
// stylesheet (dist/), so that it works offline and no visitor's browser calls a third
// party.
//
// dist/ is built from the npm packages pinned in package-lock.json by `go generate`
// (npm ci, then build.mjs with esbuild; Node.js 20 and npm are needed) and committed,
// like the gqlgen output: the same lockfile gives the same bytes, and CI fails when the
// committed files are not what the build makes. dist/manifest.json names the files with
// their SHA-256 and the version of every package bundled in them.
package graphiql

//go:generate sh -c "npm ci --no-audit --no-fund --loglevel=error && npm run --silent build"

import (
	"bytes"
	"crypto/rand"
	"embed"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"
)

// AssetsPath is where Handler serves the script, the stylesheet and the licences of the
// bundled packages. Mount Handler there as well as at the page's own path.
const AssetsPath = "/graphiql/assets/"

//go:embed dist
var dist embed.FS

//go:embed page.html
var pageSource string

// Manifest describes dist/ as build.mjs wrote it.
type Manifest struct {
	Script   string            `json:"script"`   // the bundled script's file name
	Style    string            `json:"style"`    // the stylesheet's file name
	Packages map[string]string `json:"packages"` // bundled package (path under node_modules) → version
	Files    map[string]string `json:"files"`    // every file but the manifest → SHA-256, hex
}

var (
	manifest Manifest
	assets   = map[string]asset{}
	page     = template.Must(template.New("page").Parse(pageSource))
)

type asset struct {
	body         []byte
	contentType  string
	cacheControl string
	etag         string
}

func init() {
	b, err := dist.ReadFile("dist/manifest.json")
	if err != nil {
		panic("graphiql: dist/manifest.json is missing: run go generate ./internal/graphiql")
	}
	if err := json.Unmarshal(b, &manifest); err != nil {
		panic(fmt.Sprintf("graphiql: dist/manifest.json: %v", err))
	}
	for name, sum := range manifest.Files {
		body, err := dist.ReadFile("dist/" + name)
		if err != nil {
			panic(fmt.Sprintf("graphiql: %v", err))
		}
		a := asset{body: body, etag: `"` + sum[:32] + `"`, cacheControl: "public, max-age=3600"}
		switch path.Ext(name) {
		case ".js":
			a.contentType = "text/javascript; charset=utf-8"
		case ".css":
			a.contentType = "text/css; charset=utf-8"
		default:
			a.contentType = "text/plain; charset=utf-8"
		}
		if name == manifest.Script || name == manifest.Style {
			// Named by the hash of their content: a new build is a new name.
			a.cacheControl = "public, max-age=31536000, immutable"
		}
		assets[name] = a
	}
}

// Bundle returns the manifest of the embedded build.
func Bundle() Manifest { return manifest }

// Handler serves GraphiQL querying the GraphQL endpoint at endpoint (a path on the same
// origin, such as "/graphql", or an absolute URL). Requests under AssetsPath get the
// bundled files; any other request gets the page. Mount it at the page's path and at
// AssetsPath:
//
//	h := graphiql.Handler("/graphql")
//	mux.Handle("GET /{$}", h)
//	mux.Handle("GET "+graphiql.AssetsPath, h)
//
// The page's Content-Security-Policy allows scripts, styles, fonts, images and
// connections from its own origin only (and data: fonts and images, which GraphiQL's
// stylesheet holds), styles from a per-response nonce (the <style> elements that
// GraphiQL's dialogs add at run time), and no framing.
func Handler(endpoint string) http.Handler {
	connect := "'self'"
	if u, err := url.Parse(endpoint); err == nil && u.Scheme != "" && u.Host != "" {
		connect += " " + u.Scheme + "://" + u.Host
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			h.Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed: GraphiQL is read with GET", http.StatusMethodNotAllowed)
			return
		}
		if name, ok := strings.CutPrefix(r.URL.Path, AssetsPath); ok {
			serveAsset(w, r, name)
			return
		}
		servePage(w, r, endpoint, connect)
	})
}

func serveAsset(w http.ResponseWriter, r *http.Request, name string) {
	a, ok := assets[name]
	if !ok {
		w.Header().Set("Cache-Control", "no-store")
		http.Error(w, "not found", http.StatusNotFound)
		return
	}
	h := w.Header()
	h.Set("Content-Type", a.contentType)
	h.Set("Cache-Control", a.cacheControl)
	h.Set("ETag", a.etag)
	// An asset loaded by another site's page is still ours to refuse.
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(a.body))
}

func servePage(w http.ResponseWriter, r *http.Request, endpoint, connect string) {
	var n [18]byte
	_, _ = rand.Read(n[:])
	nonce := base64.RawURLEncoding.EncodeToString(n[:])
	var body bytes.Buffer
	err := page.Execute(&body, map[string]string{
		"Title":    "GraphiQL: dual-use export transparency portal",
		"Script":   AssetsPath + manifest.Script,
		"Style":    AssetsPath + manifest.Style,
		"Endpoint": endpoint,
		"Nonce":    nonce,
	})
	if err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", CSP(nonce, connect))
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	// The nonce is new with every answer: no cache may keep one.
	h.Set("Cache-Control", "no-store")
	if r.Method == http.MethodHead {
		h.Set("Content-Length", fmt.Sprint(body.Len()))
		return
	}
	_, _ = w.Write(body.Bytes())
}

// CSP returns the page's Content-Security-Policy for a nonce and the sources that
// connect-src allows.
func CSP(nonce, connect string) string {
	return strings.Join([]string{
		"default-src 'none'",
		"script-src 'self'",
		"style-src 'self' 'nonce-" + nonce + "'",
		"connect-src " + connect,
		"img-src 'self' data:",
		"font-src 'self' data:",
		"base-uri 'none'",
		"form-action 'none'",
		"frame-ancestors 'none'",
	}, "; ")
}
