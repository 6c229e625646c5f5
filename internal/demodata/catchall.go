package demodata

import (
	"math/rand/v2"

	"github.com/dualuse-transparency/portal/internal/codes"
)

// The catch-all stream is the decisions on items that a catch-all clause, not Annex I,
// brings under control: mostly surveillance items no entry covers, for police and
// security services. The clause they are made under depends on the date.
//
// The cyber-surveillance catch-all (Article 5 of Regulation (EU) 2021/821) exists only
// since that Regulation applied, on 9 September 2021; no decision is made under it
// before. Before that date, Member States caught such items with the clauses they had
// under Regulation 428/2009: above all a national measure on human-rights grounds
// (Article 8 of Regulation 428/2009 let a Member State impose an authorisation on
// non-listed items "for reasons of public security or human rights considerations";
// Article 9 of Regulation 2021/821 carries it on; code NATIONAL_MEASURE), the military
// end-use catch-all where the destination is under an arms embargo (Article 4(2) of
// 428/2009, 4(1)(b) of 2021/821), and the catch-all for weapons of mass destruction
// (Article 4(1) of 428/2009, 4(1)(a) of 2021/821). After it, most such decisions are
// under the new clause, the rest still under the older ones. The demo makes no
// decision under PREVIOUS_BREACH (Article 4(1)(c)), a clause for parts of military
// items exported in breach of an authorisation, not for surveillance.
var (
	clausesBefore = [2]weighted[codes.CatchAll]{
		newWeighted([]choice[codes.CatchAll]{{"NATIONAL_MEASURE", 80}, {"WMD", 20}}),
		newWeighted([]choice[codes.CatchAll]{{"NATIONAL_MEASURE", 55}, {"MILITARY_END_USE", 30}, {"WMD", 15}}),
	}
	clausesSince = [2]weighted[codes.CatchAll]{
		newWeighted([]choice[codes.CatchAll]{{codes.CyberSurveillanceCatchAll, 80}, {"NATIONAL_MEASURE", 12}, {"WMD", 8}}),
		newWeighted([]choice[codes.CatchAll]{{codes.CyberSurveillanceCatchAll, 60}, {"MILITARY_END_USE", 25},
			{"NATIONAL_MEASURE", 8}, {"WMD", 7}}),
	}
)

// clausesOn is the clause tables in force on date, indexed by whether the destination
// is under an arms embargo.
func clausesOn(date string) [2]weighted[codes.CatchAll] {
	if date >= recastInForce {
		return clausesSince
	}
	return clausesBefore
}

// armsEmbargoes are the destinations under an EU arms embargo, with the date of the
// Council decision that imposed it ("": before minYear), for the military end-use
// catch-all, which applies only to them.
var armsEmbargoes = map[string]string{
	"CN": "", "MM": "", "IR": "", "KP": "", "SD": "", "ZW": "", "SO": "", "CD": "", "IQ": "", "AF": "", "LB": "",
	"BY": "2011-06-20", "SY": "2011-05-09", "LY": "2011-02-28", "SS": "2011-07-18", "CF": "2013-12-23",
	"RU": "2014-07-31", "YE": "2015-06-08", "VE": "2017-11-13",
}

func armsEmbargoOn(dest, date string) bool {
	from, ok := armsEmbargoes[dest]
	return ok && from <= date
}

// drawClause draws the catch-all a decision of the catch-all stream is made under.
func drawClause(r *rand.Rand, rs *rules, dest, date string) codes.CatchAll {
	i := 0
	if armsEmbargoOn(dest, date) {
		i = 1
	}
	return rs.clauses[i].pick(r)
}
