package ukdata

import (
	"regexp"
	"strings"
	"unicode"

	"github.com/dualuse-transparency/portal/internal/codes"
)

// kind is what a rating of the source is, and so whether it belongs in a release of
// dual-use decisions.
type kind int

const (
	dualUse          kind = iota // an Annex I code: kept as the control entry
	wmdEndUse                    // "End Use": a non-listed item under the WMD end-use control (catch-all)
	militaryEndUse               // "MEND": a non-listed item under the military end-use control (catch-all)
	militaryList                 // "ML…": the military list, not dual-use
	nationalList                 // "PL…": a UK national control entry, not in Annex I
	malformedDualUse             // looks like an Annex I code but cannot be read as one
	otherRating                  // anything else: sanctions and torture-regulation goods ("IRN", "HR AIII", …)
)

// kept says whether rows of the kind go into the release.
func (k kind) kept() bool { return k == dualUse || k == wmdEndUse || k == militaryEndUse }

// catchAll is the catch-all an item of the kind puts its licence under.
func (k kind) catchAll() codes.CatchAll {
	switch k {
	case wmdEndUse:
		return "WMD"
	case militaryEndUse:
		return "MILITARY_END_USE"
	}
	return codes.NoCatchAll
}

// kindNames are the kinds as the report names them, in the order it lists them.
var kindNames = [...]string{
	dualUse:          "Annex I dual-use code",
	wmdEndUse:        `WMD end-use catch-all ("End Use")`,
	militaryEndUse:   `military end-use catch-all ("MEND")`,
	militaryList:     "military list (ML...)",
	nationalList:     "UK national control list (PL...)",
	malformedDualUse: "malformed Annex I code",
	otherRating:      "other (sanctions, torture regulation, ...)",
}

func (k kind) String() string { return kindNames[k] }

var (
	// annexCode is the head of an Annex I code as the UK writes it: "5A002", "5a002a1".
	annexCode = regexp.MustCompile(`^([0-9])([A-Ea-e])([0-9]{3})(.*)$`)
	// entryPattern is the form the importer accepts for a control entry.
	entryPattern = regexp.MustCompile(`^[0-9][A-E][0-9]{3}(\.[a-z0-9]+)*$`)
	listPrefix   = regexp.MustCompile(`^(?i)(ML|PL)[0-9]`)
	// subItem is one level of an Annex I sub-item: a run of letters or a run of digits.
	subItem = regexp.MustCompile(`[a-z]+|[0-9]+`)
)

// classify tells what a rating is and, for an Annex I code, returns it in the
// portal's notation. The source's own words for the end-use controls are matched
// exactly: they are the only two the source uses (ratings.csv describes "End Use" as
// "May be intended for WMD purposes").
func classify(rating string) (kind, string) {
	r := strings.TrimSpace(rating)
	switch {
	case r == "End Use":
		return wmdEndUse, ""
	case r == "MEND":
		return militaryEndUse, ""
	case annexCode.MatchString(r):
		if code, ok := normaliseEntry(r); ok {
			return dualUse, code
		}
		return malformedDualUse, ""
	}
	if m := listPrefix.FindStringSubmatch(r); m != nil {
		if strings.EqualFold(m[1], "ML") {
			return militaryList, ""
		}
		return nationalList, ""
	}
	return otherRating, ""
}

// normaliseEntry writes an Annex I code in the portal's notation: the five-character
// entry in upper case, then each sub-item level in lower case after a dot. The UK
// writes sub-items run together ("5A002a1"), dotted ("5A002.a.1") or with brackets
// ("5A002.a(1)"); all three read the same.
func normaliseEntry(s string) (string, bool) {
	m := annexCode.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return "", false
	}
	rest := strings.ToLower(m[4])
	if strings.Trim(rest, ".()abcdefghijklmnopqrstuvwxyz0123456789") != "" {
		return "", false
	}
	parts := subItem.FindAllString(rest, -1)
	if len(parts) > 0 && !unicode.IsLetter(rune(parts[0][0])) {
		return "", false // the first level under an entry is always a letter: "5A0021" is a typo
	}
	code := m[1] + strings.ToUpper(m[2]) + m[3]
	for _, part := range parts {
		code += "." + part
	}
	if !entryPattern.MatchString(code) {
		return "", false
	}
	return code, true
}
