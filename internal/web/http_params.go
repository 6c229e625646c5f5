package web

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/dualuse-transparency/portal/internal/apperr"
)

// Downloads are as strict as the API: a misspelled parameter (year for years) would
// otherwise be ignored silently and the file would hold every year. A download refuses
// a query string that does not parse, a parameter it does not know, a parameter given
// twice, and a value with a NUL byte, invalid UTF-8 or over maxParamLength, each with
// INVALID_INPUT (HTTP 400) and a message that names the parameters that exist.

// maxParamLength bounds a parameter's value (a list of every country code is ~750).
const maxParamLength = 2000

// filterParams are the StatisticsFilter's parameters, shared by the table downloads.
var filterParams = []string{"years", "from", "to", "memberStates", "destinations", "destinationRegions",
	"controlEntries", "controlCategories", "cyberSurveillance", "catchAll", "catchAlls", "licenceTypes",
	"outcomes", "endUserTypes", "denialGrounds"}

var (
	statisticsParams = append([]string{"groupBy", "orderBy", "release"}, filterParams...)
	denialsParams    = append([]string{"level", "orderBy", "release"}, filterParams...)
	listParams       = []string{"asOf", "release"}
	releaseParams    = []string{"release"}
	// A CSV download also takes lang (en, de, fr): the language of its header and of
	// its name and label columns. JSON downloads are in the API's terms and take none.
	statisticsCSVParams = append(slices.Clone(statisticsParams), "lang")
	denialsCSVParams    = append(slices.Clone(denialsParams), "lang")
	listCSVParams       = []string{"asOf", "release", "lang"}
	reportCSVParams     = []string{"release", "lang"}
	datapackageParams   = []string{"release", "groupBy", "year", "lang"}
)

// params reads a download's URL parameters, refusing anything but the known ones.
func params(r *http.Request, known []string) (url.Values, error) {
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return nil, apperr.Errorf(apperr.Invalid, "the query string does not parse (%s); %s", parseProblem(err), knownParams(known))
	}
	var unknown []string
	for name, values := range q {
		if !slices.Contains(known, name) {
			unknown = append(unknown, apperr.Quote(name))
			continue
		}
		if len(values) > 1 {
			return nil, apperr.Errorf(apperr.Invalid, "%s is given %d times: give it once (a list is comma-separated)", name, len(values))
		}
		if err := checkText(name, values[0]); err != nil {
			return nil, err
		}
	}
	if len(unknown) > 0 {
		slices.Sort(unknown)
		if len(unknown) > 5 {
			unknown = append(unknown[:5], "…")
		}
		return nil, apperr.Errorf(apperr.Invalid, "unknown parameter %s; %s", strings.Join(unknown, ", "), knownParams(known))
	}
	return q, nil
}

// checkText refuses a value that no text column can hold: a NUL byte, invalid UTF-8,
// or more than maxParamLength bytes.
func checkText(name, v string) error {
	switch {
	case strings.IndexByte(v, 0) >= 0:
		return apperr.Errorf(apperr.Invalid, "%s: a NUL byte is not allowed", name)
	case !utf8.ValidString(v):
		return apperr.Errorf(apperr.Invalid, "%s: not valid UTF-8", name)
	case len(v) > maxParamLength:
		return apperr.Errorf(apperr.Invalid, "%s: longer than %d bytes", name, maxParamLength)
	}
	return nil
}

func knownParams(known []string) string {
	if len(known) == 0 {
		return "this address takes no parameters"
	}
	return "the parameters are: " + strings.Join(known, ", ")
}

// parseProblem says what is wrong with a query string without repeating it whole.
func parseProblem(err error) string {
	if esc, ok := err.(url.EscapeError); ok {
		return "bad percent escape " + apperr.Quote(string(esc))
	}
	return "it is not name=value pairs joined by &"
}
