// Package i18n holds the portal's three languages (English, German, French): language
// negotiation, names of countries and regions from CLDR, labels of the API's enum
// values, titles of the Annex I control categories, and a catalog of the notes and
// explanations the portal writes. It is pure: no database, no network.
//
// English is the source language. Every lookup says whether it found a translation
// (the bool of CountryName, RegionName, Label, CategoryTitle; Has for messages), so a
// caller that gets false keeps its English text and can say so.
package i18n

import (
	"fmt"
	"strings"

	"golang.org/x/text/language"
)

// Lang is one of the portal's languages, as its lower-case ISO 639-1 code.
type Lang string

// The portal's languages. EN is the default and the source language.
const (
	EN Lang = "en"
	DE Lang = "de"
	FR Lang = "fr"
)

// Langs lists the portal's languages, EN first.
var Langs = []Lang{EN, DE, FR}

var tags = map[Lang]language.Tag{EN: language.English, DE: language.German, FR: language.French}

// Tag returns the BCP 47 tag of the language (EN for an unknown Lang).
func (l Lang) Tag() language.Tag {
	if t, ok := tags[l]; ok {
		return t
	}
	return language.English
}

// Valid reports whether l is one of EN, DE, FR.
func (l Lang) Valid() bool { _, ok := tags[l]; return ok }

// Parse reads a language code or BCP 47 tag in any case ("en", "DE", "fr-BE", "de_AT")
// and returns the portal language of its base language, or an error when that is not
// English, German or French.
func Parse(s string) (Lang, error) {
	t, err := language.Parse(strings.TrimSpace(s))
	if err != nil {
		return "", fmt.Errorf("language %q: %w", s, err)
	}
	base, conf := t.Base()
	if conf == language.No {
		return "", fmt.Errorf("language %q: no base language", s)
	}
	l := Lang(base.String())
	if !l.Valid() {
		return "", fmt.Errorf("language %q is not supported (supported: en, de, fr)", s)
	}
	return l, nil
}

var matcher = language.NewMatcher([]language.Tag{language.English, language.German, language.French})

// Negotiate picks the portal language that best serves an Accept-Language header
// ("de-CH, fr;q=0.8, en;q=0.5"), by the CLDR matcher of golang.org/x/text/language.
// An empty or unparsable header, or one naming none of the three, gives EN.
func Negotiate(acceptLanguage string) Lang {
	prefs, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil || len(prefs) == 0 {
		return EN
	}
	_, i, conf := matcher.Match(prefs...)
	if conf == language.No {
		return EN
	}
	return Langs[i]
}
