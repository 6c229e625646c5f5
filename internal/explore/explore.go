// Package explore serves /explore, a page that shows the portal's figures as a world
// map, a time series and tables, and the EU-wide list of cyber-surveillance items on a
// date, built only on the public GET API (GraphQL over GET and the CSV downloads), so
// that it doubles as a worked example of using the API from a browser.
//
// The page's script bundles Observable Plot and D3 (charts) and topojson-client; the
// country shapes are Natural Earth's (public domain) from the world-atlas package, served
// as a file of their own that the page fetches when it draws the map. Everything comes
// from the binary: no CDN, no request to a third party.
//
// dist/ is built from the npm packages pinned in package-lock.json by `go generate`
// (npm ci, then build.mjs with esbuild; Node.js 20 and npm are needed) and committed,
// like the gqlgen output: the same lockfile gives the same bytes, and CI fails when the
// committed files are not what the build makes. dist/manifest.json names the files with
// their SHA-256 and the version of every package used in them; dist/LICENSES.txt holds
// their licences and the credit for the map data.
package explore

//go:generate sh -c "npm ci --no-audit --no-fund --loglevel=error && npm run --silent build"

import (
	"embed"
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strings"

	"github.com/dualuse-transparency/portal/internal/bundle"
	"github.com/dualuse-transparency/portal/internal/i18n"
)

// PagePath is where the page is meant to be mounted.
const PagePath = "/explore"

// AssetsPath is where Handler serves the script, the stylesheet, the country shapes and
// the licences. Mount Handler there as well as at PagePath.
const AssetsPath = "/explore/assets/"

//go:embed dist
var dist embed.FS

//go:embed page.html
var pageSource string

// Manifest describes dist/ as build.mjs wrote it.
type Manifest struct {
	Script   string            `json:"script"`   // the bundled script's file name
	Style    string            `json:"style"`    // the stylesheet's file name
	Atlas    string            `json:"atlas"`    // the country shapes (TopoJSON) file name
	Packages map[string]string `json:"packages"` // package used (path under node_modules) → version
	Files    map[string]string `json:"files"`    // every file but the manifest → SHA-256, hex
}

var (
	manifest Manifest
	assets   bundle.Files
	page     = template.Must(template.New("page").Parse(pageSource))
)

func init() {
	b, err := dist.ReadFile("dist/manifest.json")
	if err != nil {
		panic("explore: dist/manifest.json is missing: run go generate ./internal/explore")
	}
	if err := json.Unmarshal(b, &manifest); err != nil {
		panic(fmt.Sprintf("explore: dist/manifest.json: %v", err))
	}
	if assets, err = bundle.Load(dist, "dist", manifest.Files, manifest.Script, manifest.Style, manifest.Atlas); err != nil {
		panic(fmt.Sprintf("explore: %v", err))
	}
}

// Bundle returns the manifest of the embedded build.
func Bundle() Manifest { return manifest }

// Handler serves the explore page reading the GraphQL endpoint at graphqlPath (a path on
// the same origin, such as "/graphql", or an absolute URL); the page finds the downloads
// under /download/ and the list's feed under /feeds/ of the same origin as the endpoint.
// Requests under AssetsPath get the built files; any other request gets the page. Mount
// it at the page's path and at AssetsPath:
//
//	h := explore.Handler("/graphql")
//	mux.Handle("GET "+explore.PagePath, h)
//	mux.Handle("GET "+explore.AssetsPath, h)
//
// The page is in English, German or French: the language of ?lang= (en, de, fr, or a
// BCP 47 tag of one of them), or else the one Accept-Language asks for
// (i18n.Negotiate), English by default. The server writes the page's first words (the
// title, the <html lang>) in that language and passes it to the script as <main
// data-lang>; the script asks the API for names, labels and notes in it. The answer
// varies by Accept-Language.
//
// The page's Content-Security-Policy allows scripts, styles, images and connections from
// its own origin only (and the endpoint's, if elsewhere), styles also from a
// per-response nonce (the <style> element Observable Plot puts in each chart), and no
// framing.
func Handler(graphqlPath string) http.Handler {
	connect := "'self'"
	downloads, feed := "/download/", "/feeds/surveillance-list.atom"
	if u, err := url.Parse(graphqlPath); err == nil && u.Scheme != "" && u.Host != "" {
		origin := u.Scheme + "://" + u.Host
		connect += " " + origin
		downloads, feed = origin+downloads, origin+feed
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			h.Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed: the explore page is read with GET", http.StatusMethodNotAllowed)
			return
		}
		if name, ok := strings.CutPrefix(r.URL.Path, AssetsPath); ok {
			assets.Serve(w, r, name)
			return
		}
		l := pageLang(r)
		words := pageWords[l]
		servePage(w, r, map[string]string{
			"Lang":        string(l),
			"Title":       words.title,
			"Skip":        words.skip,
			"Loading":     words.loading,
			"FeedTitle":   words.feedTitle,
			"NoScriptAPI": words.noScriptAPI,
			"NoScriptCSV": words.noScriptCSV,
			"Script":      AssetsPath + manifest.Script,
			"Style":       AssetsPath + manifest.Style,
			"Atlas":       AssetsPath + manifest.Atlas,
			"Licences":    AssetsPath + "LICENSES.txt",
			"Endpoint":    graphqlPath,
			"Downloads":   downloads,
			"Feed":        feed,
		}, connect)
	})
}

// pageLang is the language of the page a request asks for: ?lang= if it names one of
// the portal's languages, else the best match of Accept-Language.
func pageLang(r *http.Request) i18n.Lang {
	if q := r.URL.Query(); q.Has("lang") {
		if l, err := i18n.Parse(q.Get("lang")); err == nil {
			return l
		}
	}
	return i18n.Negotiate(r.Header.Get("Accept-Language"))
}

// pageWords are the words of the page the server writes before the script runs (the
// script's STRINGS hold the same title, skip link and loading line).
var pageWords = map[i18n.Lang]struct{ title, skip, loading, feedTitle, noScriptAPI, noScriptCSV string }{
	i18n.EN: {
		title:       "Explore dual-use export licensing in the EU",
		skip:        "Skip to the figures",
		loading:     "Loading the release…",
		feedTitle:   "EU-wide list of cyber-surveillance items",
		noScriptAPI: "This page draws its maps and tables with JavaScript. Without it, read the same figures from the API at",
		noScriptCSV: "or download them as CSV under",
	},
	i18n.DE: {
		title:       "Ausfuhrgenehmigungen für Güter mit doppeltem Verwendungszweck in der EU erkunden",
		skip:        "Zu den Zahlen springen",
		loading:     "Die Ausgabe wird geladen…",
		feedTitle:   "EU-weite Liste der Güter für digitale Überwachung",
		noScriptAPI: "Diese Seite zeichnet ihre Karten und Tabellen mit JavaScript. Ohne JavaScript finden Sie dieselben Zahlen in der API unter",
		noScriptCSV: "oder als CSV-Dateien unter",
	},
	i18n.FR: {
		title:       "Explorer les autorisations d’exportation de biens à double usage dans l’UE",
		skip:        "Aller aux chiffres",
		loading:     "Chargement de la version…",
		feedTitle:   "Liste de l’Union des biens de cybersurveillance",
		noScriptAPI: "Cette page dessine ses cartes et ses tableaux avec JavaScript. Sans JavaScript, lisez les mêmes chiffres dans l’API à l’adresse",
		noScriptCSV: "ou téléchargez-les au format CSV sous",
	},
}

func servePage(w http.ResponseWriter, r *http.Request, data map[string]string, connect string) {
	// Without ?lang=, the language is Accept-Language's.
	w.Header().Add("Vary", "Accept-Language")
	bundle.WritePage(w, r, page, data, func(nonce string) string { return CSP(nonce, connect) })
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
		"base-uri 'none'",
		"form-action 'none'",
		"frame-ancestors 'none'",
	}, "; ")
}
