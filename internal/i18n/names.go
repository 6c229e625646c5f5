package i18n

import (
	"regexp"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

// Names of countries and regions come from the CLDR data that golang.org/x/text ships
// (package language/display); none is typed by hand here.

var (
	alpha2 = regexp.MustCompile(`^[A-Z]{2}$`)
	m49    = regexp.MustCompile(`^[0-9]{3}$`)
)

// CountryName returns the CLDR name, in language l, of an ISO 3166-1 alpha-2 code
// (upper case), including the user-assigned XK (Kosovo). The bool is false when CLDR
// has no name for the code in l, for example a former code it does not carry: the
// caller then keeps its own English name and says it is untranslated. English names
// are CLDR's too, which can differ from the portal's reference names (ISO short names).
func CountryName(l Lang, iso2 string) (string, bool) {
	if !alpha2.MatchString(iso2) {
		return "", false
	}
	return regionName(l, iso2)
}

// RegionName returns the CLDR name, in language l, of a UN M49 region or sub-region
// code of three digits ("002" Africa, "150" Europe, "419" Latin America and the
// Caribbean). The bool is false when CLDR has no name for the code.
func RegionName(l Lang, code string) (string, bool) {
	if !m49.MatchString(code) {
		return "", false
	}
	return regionName(l, code)
}

func regionName(l Lang, code string) (string, bool) {
	if !l.Valid() {
		return "", false
	}
	r, err := language.ParseRegion(code)
	if err != nil {
		return "", false
	}
	// ParseRegion canonicalises some codes (a deprecated code to its successor, an M49
	// country code to ISO); a name of another region would be wrong, so refuse it.
	if r.String() != code {
		return "", false
	}
	name := display.Regions(l.Tag()).Name(r)
	if name == "" {
		return "", false
	}
	return name, true
}
