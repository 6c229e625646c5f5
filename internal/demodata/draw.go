package demodata

import (
	"math"
	"math/rand/v2"
	"strings"

	"github.com/dualuse-transparency/portal/internal/codes"
)

// decision is one licence decision being drawn; generate reuses one for all.
type decision struct {
	seq        int // number within its year
	date       string
	stream     stream
	state      string
	exporter   string
	licence    codes.LicenceType
	outcome    codes.Outcome
	dest       string
	endUser    codes.EndUserType
	clause     codes.CatchAll // the catch-all the decision was made under
	entries    [maxEntries]string
	nEntries   int     // 1 to maxEntries; a decision on a non-listed item has one, ""
	value      float64 // EUR, as drawn
	cents      int64   // the value calibrated to the year's target, in cents
	valueKnown bool    // false: value_eur is left empty (unknown)
	grounds    string
}

// cyber reports whether d is a cyber-surveillance decision as the portal counts them:
// on a cyber-surveillance entry, or under the cyber-surveillance catch-all.
func (d *decision) cyber() bool {
	return d.stream == cyberListed || d.clause == codes.CyberSurveillanceCatchAll
}

// generate draws the decisions of a year in date order and hands each to emit. The same
// seed, plan and days give the same decisions on every call, which is what lets a first
// pass measure the year's value before a second pass writes it. What a decision is and
// is worth (stream, outcome, licence type, number of entries, value) comes from one
// random stream, and its particulars (who, where to, on what, why) from another, so a
// pass that needs only values skips the particulars (details false) at a fraction of
// the cost, and draws the same values.
func generate(seed uint64, p yearPlan, days []day, details bool, emit func(*decision)) {
	r, rd := newRand(seed, p.year, purposeDecisions), newRand(seed, p.year, purposeDetails)
	left := p.quotas
	d := decision{}
	for _, day := range days {
		for range day.n {
			d.seq++
			d.date = day.date
			s, denied := nextStream(r, &left)
			drawTerms(r, &d, day.rules, s, denied)
			if details {
				drawDetails(rd, &d, day.rules)
			}
			emit(&d)
		}
	}
}

// nextStream draws a stream, and whether the decision is a denial, from what is left of
// the year's quotas.
func nextStream(r *rand.Rand, left *[nStreams]quota) (stream, bool) {
	total := 0
	for _, q := range left {
		total += q.n
	}
	u, s := r.IntN(total), ordinary
	for u >= left[s].n {
		u -= left[s].n
		s++
	}
	denied := r.IntN(left[s].n) < left[s].denied
	left[s].n--
	if denied {
		left[s].denied--
	}
	return s, denied
}

// drawTerms fills what d is and is worth. The outcome is known first, and the rest is
// drawn given it, so that denials go where denials go (individual licences, and in
// drawDetails destinations of concern).
func drawTerms(r *rand.Rand, d *decision, rs *rules, s stream, denied bool) {
	d.stream = s
	d.licence = drawLicence(r, rs, s, denied)
	d.outcome = codes.Denied
	if !denied {
		d.outcome = otherOutcomes.pick(r)
	}
	d.nEntries = 1 // the number wanted, until drawDetails finds the entries
	if s != catchAll {
		d.nEntries = entryCount(r, d.licence)
	}
	d.value = drawValue(r, d.licence, d.nEntries)
	d.valueKnown = r.Float64() >= unknownValueShare(d.outcome)
}

// drawDetails fills the particulars of d given its terms.
func drawDetails(r *rand.Rand, d *decision, rs *rules) {
	pool := rs.states.pick(r)
	d.state, d.exporter = pool.state, pool.ids.pick(r)
	denied := d.outcome == codes.Denied
	if isTransfer(d.licence) {
		d.dest = rs.transferDest[d.state].pick(r)
	} else {
		d.dest = rs.dest[destKindOf(d.stream, d.licence, denied)].pick(r)
	}
	d.clause = codes.NoCatchAll
	if d.stream == catchAll {
		d.clause = drawClause(r, rs, d.dest, d.date)
	}
	d.endUser = endUsersOf(d.stream, d.clause, denied).pick(r)
	drawEntries(r, d, rs)
	d.grounds = ""
	if denied {
		d.grounds = drawGrounds(r, groundsOf(d.clause, d.stream, d.dest))
	}
}

var (
	// Denials are of applications for individual or global licences: a general
	// authorisation is used, not applied for.
	deniedLicences = newWeighted([]choice[codes.LicenceType]{{"INDIVIDUAL", 88}, {"GLOBAL", 12}})
	cyberLicences  = newWeighted([]choice[codes.LicenceType]{{"INDIVIDUAL", 85}, {"GLOBAL", 15}})
	// otherOutcomes: about 95 % of all decisions issue a licence, 2 % are withdrawn by
	// the applicant, a few end otherwise.
	otherOutcomes = newWeighted([]choice[codes.Outcome]{
		{codes.Issued, 95.1}, {"WITHDRAWN", 2}, {"REVOKED", 0.2}, {"ANNULLED", 0.1}, {"SUSPENDED", 0.1},
	})
)

func drawLicence(r *rand.Rand, rs *rules, s stream, denied bool) codes.LicenceType {
	switch {
	case denied:
		return deniedLicences.pick(r)
	case s == catchAll:
		return "INDIVIDUAL"
	case s == cyberListed:
		return cyberLicences.pick(r)
	}
	return rs.licences.pick(r)
}

func destKindOf(s stream, l codes.LicenceType, denied bool) destKind {
	switch {
	case s != ordinary && denied:
		return destCyberDenied
	case s != ordinary:
		return destCyber
	case denied:
		return destDenied
	case l == "EU001":
		return destEU001
	case l == "INDIVIDUAL" || l == "GLOBAL" || l == "LARGE_PROJECT":
		return destAny
	}
	return destGeneral
}

// End users: mostly commercial; denials lean to military and unknown end users;
// cyber-surveillance items go to those who watch others, and the military end-use
// catch-all to armed forces.
var (
	endUsers = newWeighted([]choice[codes.EndUserType]{
		{"COMMERCIAL", 55}, {"GOVERNMENT", 10}, {"RESEARCH", 10}, {"MILITARY", 6}, {"OTHER", 6},
		{"UNKNOWN", 5.5}, {"TELECOM_OPERATOR", 5}, {"LAW_ENFORCEMENT", 2}, {"INTELLIGENCE", 0.5},
	})
	deniedEndUsers = newWeighted([]choice[codes.EndUserType]{
		{"COMMERCIAL", 35}, {"MILITARY", 20}, {"GOVERNMENT", 15}, {"UNKNOWN", 12}, {"RESEARCH", 8},
		{"OTHER", 5}, {"LAW_ENFORCEMENT", 3}, {"INTELLIGENCE", 1}, {"TELECOM_OPERATOR", 1},
	})
	cyberEndUsers = newWeighted([]choice[codes.EndUserType]{
		{"LAW_ENFORCEMENT", 30}, {"TELECOM_OPERATOR", 22}, {"INTELLIGENCE", 15}, {"GOVERNMENT", 15},
		{"COMMERCIAL", 10}, {"MILITARY", 5}, {"OTHER", 2}, {"UNKNOWN", 1},
	})
	militaryEndUsers = newWeighted([]choice[codes.EndUserType]{
		{"MILITARY", 60}, {"GOVERNMENT", 20}, {"INTELLIGENCE", 10}, {"UNKNOWN", 10},
	})
)

func endUsersOf(s stream, clause codes.CatchAll, denied bool) weighted[codes.EndUserType] {
	switch {
	case clause == "MILITARY_END_USE":
		return militaryEndUsers
	case s != ordinary:
		return cyberEndUsers
	case denied:
		return deniedEndUsers
	}
	return endUsers
}

// drawEntries fills d's control entries. A catch-all decision is on one item, most
// often one no entry covers (an empty control_entry).
func drawEntries(r *rand.Rand, d *decision, rs *rules) {
	switch {
	case d.stream == catchAll:
		d.nEntries, d.entries[0] = 1, ""
		if r.Float64() < catchAllListedShare {
			d.entries[0] = rs.catchAllEntries.pick(r)
		}
	case d.stream == cyberListed:
		d.drawItems(r, rs.cyberEntries, rs.entries)
	case isTransfer(d.licence):
		d.drawItems(r, rs.annexIVEntries, rs.annexIVEntries)
	default:
		d.drawItems(r, rs.entries, rs.entries)
	}
}

// Values are log-normal around a median that depends on the licence type (a global or
// large-project licence covers many shipments), with a heavy tail: most decisions are
// worth tens of thousands to a few million euros, some 10 % less than 10,000, and a
// few hundreds of millions. The year's calibration scales them afterwards.
const (
	valueSigma = 2.0
	valueFloor = 100
	valueCap   = 450e6
)

func drawValue(r *rand.Rand, l codes.LicenceType, entries int) float64 {
	median := 300e3 // general authorisations
	switch l {
	case "INDIVIDUAL":
		median = 120e3
	case "GLOBAL":
		median = 900e3
	case "LARGE_PROJECT":
		median = 5e6
	}
	median *= float64(entries+1) / 2 // more items, more value: 1.5 times for two, 3 times for five
	return max(valueFloor, min(valueCap, median*math.Exp(valueSigma*r.NormFloat64())))
}

// unknownValueShare is the share of decisions of an outcome whose value is not known.
// Authorities record the value of a licence they issue (the official value of
// authorised exports is its sum) but often not that of an application they refuse, or
// one withdrawn before a decision.
func unknownValueShare(o codes.Outcome) float64 {
	switch o {
	case codes.Issued:
		return 0.01
	case codes.Denied:
		return 0.8
	case "WITHDRAWN":
		return 0.3
	}
	return 0.05 // revoked, annulled, suspended
}

// groundRule is the grounds a denial can cite: all of always, and enough of optional
// to make one to three grounds.
type groundRule struct{ always, optional []codes.DenialGround }

var (
	cyberGrounds  = groundRule{[]codes.DenialGround{"CRITERION_2"}, []codes.DenialGround{"CRITERION_7"}}
	wmdGrounds    = groundRule{[]codes.DenialGround{"WMD"}, []codes.DenialGround{"CRITERION_7"}}
	russiaGrounds = groundRule{nil, []codes.DenialGround{"MILITARY_END_USE", "SANCTIONS", "CRITERION_1"}}
	chinaGrounds  = groundRule{nil, []codes.DenialGround{"CRITERION_7", "WMD", "NATIONAL_MEASURE"}}
	otherGrounds  = groundRule{nil, []codes.DenialGround{"CRITERION_7", "CRITERION_2", "CRITERION_4", "NATIONAL_MEASURE"}}

	// A denial under a catch-all cites the clause's own ground.
	humanRightsGrounds = groundRule{[]codes.DenialGround{codes.CyberSurveillance}, []codes.DenialGround{"CRITERION_2"}}
	militaryGrounds    = groundRule{[]codes.DenialGround{"MILITARY_END_USE"}, []codes.DenialGround{"CRITERION_1", "CRITERION_7"}}
	nationalGrounds    = groundRule{[]codes.DenialGround{"NATIONAL_MEASURE"}, []codes.DenialGround{"CRITERION_2"}}
	clauseGrounds      = map[codes.CatchAll]groundRule{codes.CyberSurveillanceCatchAll: humanRightsGrounds,
		"WMD": wmdGrounds, "MILITARY_END_USE": militaryGrounds, "NATIONAL_MEASURE": nationalGrounds}
)

func groundsOf(clause codes.CatchAll, s stream, dest string) groundRule {
	if rule, ok := clauseGrounds[clause]; ok {
		return rule
	}
	if s == cyberListed {
		return cyberGrounds
	}
	switch dest {
	case "RU", "BY":
		return russiaGrounds
	case "IR", "KP", "SY", "PK":
		return wmdGrounds
	case "CN":
		return chinaGrounds
	}
	return otherGrounds
}

// groundCounts: most denials cite one ground, some two, a few three.
var groundCounts = newWeighted([]choice[int]{{1, 60}, {2, 30}, {3, 10}})

// drawGrounds returns the grounds of a denial joined by ';', in the order of
// codes.DenialGrounds, so equal sets are written alike.
func drawGrounds(r *rand.Rand, rule groundRule) string {
	chosen := map[codes.DenialGround]bool{}
	for _, g := range rule.always {
		chosen[g] = true
	}
	n := groundCounts.pick(r)
	for _, i := range r.Perm(len(rule.optional)) {
		if len(chosen) >= n {
			break
		}
		chosen[rule.optional[i]] = true
	}
	var out []string
	for _, g := range codes.DenialGrounds {
		if chosen[g] {
			out = append(out, string(g))
		}
	}
	return strings.Join(out, ";")
}
