package demodata

import "github.com/dualuse-transparency/portal/internal/codes"

// A transfer inside the Union needs an authorisation only for the most sensitive items,
// those of Annex IV (of Regulation (EU) 2021/821, and of 428/2009 before it): nuclear
// items of Category 0 and a few missile-technology and strategic items. The demo has a
// few such decisions (licence type INTRA_EU_TRANSFER, about 1 in 500 of those not
// denied), the one kind whose destination is a Member State, never the exporting one.
// Their values count in the year's issued value like any other's (a few per mille of it).

// transferShare is the weight of INTRA_EU_TRANSFER among the licence types.
const transferShare = 0.2

// annexIVEntries are the entries the demo's transfers are on: nuclear items, and
// guidance sets usable in missiles.
var annexIVEntries = []controlEntry{
	{"0A001", 1, ""}, {"0A001.a", 0.5, ""}, {"0B001", 1, ""}, {"0B001.b", 1, ""}, {"0B002", 0.5, ""},
	{"0B003", 0.5, ""}, {"0B004", 0.5, ""}, {"0B005", 0.3, ""}, {"0B006", 0.5, ""}, {"0B007", 0.3, ""},
	{"0C001", 3, ""}, {"0C002", 2, ""}, {"0C003", 0.5, ""}, {"0C004", 0.5, ""}, {"0C005", 0.3, ""},
	{"0D001", 0.5, ""}, {"0E001", 1, ""}, {"7A117", 0.5, ""},
}

// transferDestinations are, for each Member State on date, the others it can
// transfer to, weighted as exporters are: a busy exporting state also receives more.
func transferDestinations(date string) map[string]weighted[string] {
	out := map[string]weighted[string]{}
	for _, from := range memberStates {
		if !from.memberOn(date) {
			continue
		}
		var to []choice[string]
		for _, m := range memberStates {
			if m.memberOn(date) && m.code != from.code {
				to = append(to, choice[string]{m.code, m.weight})
			}
		}
		out[from.code] = newWeighted(to)
	}
	return out
}

func isTransfer(l codes.LicenceType) bool { return l == codes.IntraEUTransfer }
