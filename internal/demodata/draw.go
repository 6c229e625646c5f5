package demodata

import (
	"math"
	"math/rand/v2"
	"strings"

	"github.com/dualuse-transparency/portal/internal/codes"
)

// decision is one licence decision being drawn; generate reuses one for all.
type decision struct {
	seq      int // number within its year
	date     string
	stream   stream
	state    string
	exporter string
	licence  codes.LicenceType
	outcome  codes.Outcome
	dest     string
	endUser  codes.EndUserType
	entries  [2]string
	nEntries int     // 1, or 2 for a decision on two control entries
	value    float64 // EUR; before writing, scaled to the year's target
	grounds  string
}

// generate draws the decisions of a year in date order and hands each to emit. The same
// seed, plan and days give the same decisions on every call, which is what lets a first
// pass measure the year's value before a second pass writes it.
func generate(seed uint64, p yearPlan, days []day, emit func(*decision)) {
	r := newRand(seed, p.year, purposeDecisions)
	left := p.quotas
	d := decision{}
	for _, day := range days {
		for range day.n {
			d.seq++
			d.date = day.date
			s, denied := nextStream(r, &left)
			draw(r, &d, day.rules, s, denied)
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

// draw fills d. The outcome is known first, and the rest is drawn given it, so that
// denials go where denials go (destinations of concern, individual licences).
func draw(r *rand.Rand, d *decision, rs *rules, s stream, denied bool) {
	pool := rs.states.pick(r)
	d.stream, d.state, d.exporter = s, pool.state, pool.ids.pick(r)
	d.licence = drawLicence(r, rs, s, denied)
	d.outcome = codes.Denied
	if !denied {
		d.outcome = otherOutcomes.pick(r)
	}
	d.dest = rs.dest[destKindOf(s, d.licence, denied)].pick(r)
	d.endUser = endUsersOf(s, denied).pick(r)
	drawEntries(r, d, rs)
	d.value = drawValue(r, d.licence)
	d.grounds = ""
	if denied {
		d.grounds = drawGrounds(r, s, d.dest)
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
// cyber-surveillance items go to those who watch others.
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
)

func endUsersOf(s stream, denied bool) weighted[codes.EndUserType] {
	switch {
	case s != ordinary:
		return cyberEndUsers
	case denied:
		return deniedEndUsers
	}
	return endUsers
}

// twoEntryShare of the decisions cover two items on different control entries.
const twoEntryShare = 0.02

func drawEntries(r *rand.Rand, d *decision, rs *rules) {
	table := rs.entries
	switch d.stream {
	case cyberListed:
		table = rs.cyberEntries
	case catchAll:
		d.nEntries, d.entries[0] = 1, ""
		if r.Float64() < catchAllListedShare {
			d.entries[0] = rs.catchAllEntries.pick(r)
		}
		return
	}
	d.nEntries, d.entries[0] = 1, table.pick(r)
	if r.Float64() >= twoEntryShare {
		return
	}
	// A few tries find a second entry even in the short cyber-surveillance table.
	for range 20 {
		if e := table.pick(r); e != d.entries[0] {
			d.nEntries, d.entries[1] = 2, e
			return
		}
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

func drawValue(r *rand.Rand, l codes.LicenceType) float64 {
	median := 300e3 // general authorisations
	switch l {
	case "INDIVIDUAL":
		median = 120e3
	case "GLOBAL":
		median = 900e3
	case "LARGE_PROJECT":
		median = 5e6
	}
	return max(valueFloor, min(valueCap, median*math.Exp(valueSigma*r.NormFloat64())))
}

// groundRule is the grounds a denial can cite: all of always, and enough of optional
// to make one to three grounds.
type groundRule struct{ always, optional []codes.DenialGround }

var (
	catchAllGrounds = groundRule{[]codes.DenialGround{codes.CyberSurveillance}, []codes.DenialGround{"CRITERION_2"}}
	cyberGrounds    = groundRule{[]codes.DenialGround{"CRITERION_2"}, []codes.DenialGround{"CRITERION_7"}}
	wmdGrounds      = groundRule{[]codes.DenialGround{"WMD"}, []codes.DenialGround{"CRITERION_7"}}
	russiaGrounds   = groundRule{nil, []codes.DenialGround{"MILITARY_END_USE", "SANCTIONS", "CRITERION_1"}}
	chinaGrounds    = groundRule{nil, []codes.DenialGround{"CRITERION_7", "WMD", "NATIONAL_MEASURE"}}
	otherGrounds    = groundRule{nil, []codes.DenialGround{"CRITERION_7", "CRITERION_2", "CRITERION_4", "NATIONAL_MEASURE"}}
)

func groundsOf(s stream, dest string) groundRule {
	switch {
	case s == catchAll:
		return catchAllGrounds
	case s == cyberListed:
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
func drawGrounds(r *rand.Rand, s stream, dest string) string {
	rule := groundsOf(s, dest)
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
