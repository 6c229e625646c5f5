package demodata

// memberState is a licensing Member State: its weight is its share of the EU's dual-use
// decisions (percent; Germany issues about a quarter, the smallest states a handful a
// month), and its membership runs from `from` (empty: before minYear) up to the day
// before `left` (empty: still a member).
type memberState struct {
	code   string
	weight float64
	from   string
	left   string
}

var memberStates = []memberState{
	{"DE", 25, "", ""}, {"FR", 12, "", ""}, {"IT", 12, "", ""}, {"NL", 9, "", ""},
	{"ES", 6, "", ""}, {"SE", 5, "", ""}, {"BE", 4.5, "", ""}, {"AT", 4, "", ""},
	{"FI", 3.5, "", ""}, {"DK", 3, "", ""}, {"CZ", 3, "", ""}, {"PL", 3, "", ""},
	{"IE", 2, "", ""}, {"PT", 1.3, "", ""}, {"HU", 1.2, "", ""}, {"RO", 1, "", ""},
	{"SK", 0.9, "", ""}, {"BG", 0.8, "", ""}, {"SI", 0.6, "", ""}, {"GR", 0.6, "", ""},
	{"HR", 0.4, "2013-07-01", ""}, {"LT", 0.4, "", ""}, {"LV", 0.25, "", ""},
	{"EE", 0.2, "", ""}, {"LU", 0.2, "", ""}, {"CY", 0.15, "", ""}, {"MT", 0.1, "", ""},
	// About 8 % of the decisions while the United Kingdom was a member.
	{"GB", 8.7, "", "2020-02-01"},
}

func (m memberState) memberOn(date string) bool {
	return m.from <= date && (m.left == "" || date < m.left)
}

func isMemberOn(code, date string) bool {
	for _, m := range memberStates {
		if m.code == code {
			return m.memberOn(date)
		}
	}
	return false
}

// Dates on which destinations change. The United Kingdom stayed in the EU's customs and
// export-control area through the transition period, so it becomes a destination only
// in 2021. Exports to Russia and Belarus collapsed with the sanctions of February 2022:
// what is still asked for is mostly denied.
const (
	gbDestinationFrom = "2021-01-01"
	sanctionsFrom     = "2022-02-24"
)

// destKind is the kind of decision a destination table serves.
type destKind int

const (
	destAny         destKind = iota // individual and global licences, not denied
	destGeneral                     // general authorisations: never to embargoed destinations
	destEU001                       // EU001: only its listed destinations
	destDenied                      // denials
	destCyber                       // cyber-surveillance items, not denied
	destCyberDenied                 // cyber-surveillance items, denied
	nDestKinds
)

// destination weights a country for each kind of decision (relative weights): a few
// big markets, a long tail, denials concentrated on destinations of concern.
type destination struct {
	code                            string
	all, denied, cyber, cyberDenied float64
}

var destinations = append(append([]destination{
	{"US", 14, 2, 10, 0}, {"CN", 11, 14, 0, 4}, {"GB", 7, 0.5, 4, 0}, {"RU", 6, 15, 2, 3},
	{"CH", 5, 0.2, 4, 0}, {"JP", 5, 0.3, 2, 0}, {"KR", 4, 0.5, 2, 0}, {"IN", 4, 3, 4, 0.5},
	{"TR", 4, 3, 3, 3}, {"NO", 3.5, 0.1, 2, 0}, {"SG", 3, 1.5, 4, 0.5}, {"AE", 3, 5, 6, 5},
	{"BR", 3, 0.8, 3, 0.3}, {"CA", 2.5, 0.2, 2, 0}, {"TW", 2.5, 1, 1, 0}, {"AU", 2, 0.1, 2, 0},
	{"MX", 2, 0.5, 4, 0.3}, {"SA", 2, 3, 4, 4}, {"HK", 2, 3, 1, 1}, {"IL", 1.5, 3, 2, 0.5},
	{"MY", 1.5, 1, 3, 1}, {"TH", 1.5, 0.5, 2, 1}, {"UA", 1.5, 0.5, 0.5, 0}, {"ID", 1.2, 0.5, 3, 1},
	{"ZA", 1.2, 0.3, 1, 0}, {"VN", 1, 1, 1.5, 2}, {"EG", 1, 3, 2, 5}, {"RS", 1, 0.5, 0.5, 0.3},
	{"BY", 0.8, 3, 0.5, 1}, {"KZ", 0.8, 1, 1.5, 1.5}, {"QA", 0.8, 1, 2, 1}, {"AR", 0.8, 0.2, 1, 0},
	{"PK", 0.6, 5, 1, 2}, {"CL", 0.6, 0.1, 0.5, 0}, {"MA", 0.6, 0.5, 2, 1}, {"CO", 0.5, 0.2, 2, 0.5},
	{"PH", 0.5, 0.2, 1, 0.3}, {"KW", 0.5, 0.3, 0.5, 0.3}, {"IR", 0.4, 8, 0, 1}, {"NZ", 0.4, 0, 0.5, 0},
	{"DZ", 0.4, 1, 0.5, 1}, {"NG", 0.4, 0.5, 1, 0.5}, {"OM", 0.4, 0.5, 1, 0.5}, {"JO", 0.4, 0.5, 1, 0.5},
	{"IQ", 0.3, 1, 0.5, 0.5}, {"PE", 0.3, 0.1, 0.5, 0}, {"TN", 0.3, 0.2, 0.5, 0.3}, {"KE", 0.3, 0.1, 1, 0.3},
	{"BD", 0.3, 0.5, 1, 2}, {"AZ", 0.3, 0.5, 0.5, 1}, {"UZ", 0.3, 0.5, 0.5, 1}, {"GE", 0.3, 0.3, 0.3, 0},
	{"MK", 0.3, 0.1, 0, 0}, {"BA", 0.3, 0.1, 0, 0}, {"VE", 0.2, 2, 0.3, 1}, {"BH", 0.2, 0.3, 0.8, 1},
	{"AM", 0.2, 0.5, 0.3, 0}, {"AL", 0.2, 0.1, 0, 0}, {"MD", 0.2, 0.2, 0, 0}, {"LK", 0.2, 0.1, 0.5, 0.3},
	{"IS", 0.15, 0, 0.1, 0}, {"MM", 0.1, 1.5, 0, 1}, {"ET", 0.1, 0.3, 0.5, 1}, {"LB", 0.1, 0.5, 0.3, 0.3},
	{"ME", 0.1, 0, 0, 0}, {"LI", 0.1, 0, 0, 0}, {"SY", 0.05, 2, 0, 0.3}, {"LY", 0.05, 0.8, 0, 0.3},
	{"CU", 0.05, 0.5, 0, 0}, {"SD", 0.03, 0.5, 0, 0.2}, {"AF", 0.02, 0.3, 0, 0}, {"YE", 0.02, 0.3, 0, 0},
	{"KP", 0.01, 0.5, 0, 0},
}, tail(0.12, 0.02,
	"EC", "UY", "PY", "BO", "CR", "PA", "DO", "GT", "HN", "SV", "NI", "JM", "TT", "GH", "CI", "SN",
	"CM", "AO", "MZ", "TZ", "UG", "ZM", "ZW", "BW", "NA", "MU", "RW", "GA", "CD", "SC", "MV", "BN",
	"KH", "LA", "MN", "KG", "TJ", "TM", "MO", "NP", "FJ", "PG", "NC", "PF", "BB", "BS", "BM", "AD", "MC",
)...), tail(0.02, 0,
	"SM", "GI", "CW", "GL", "FO", "HT", "GY", "SR", "BZ", "ML", "BF", "NE", "TD", "MR", "GN", "SL",
	"TG", "BJ", "MG", "MW", "DJ", "SO", "SS", "LS", "SZ", "BT", "TL", "WS", "VU", "SB",
)...)

// tail gives the same small weights to each of codes.
func tail(all, denied float64, codes ...string) []destination {
	out := make([]destination, len(codes))
	for i, c := range codes {
		out[i] = destination{code: c, all: all, denied: denied}
	}
	return out
}

// General authorisations never cover embargoed destinations; EU001 covers a fixed list.
var (
	embargoed = set("RU", "BY", "IR", "KP", "SY", "MM", "VE", "CU", "SD", "SS", "LY", "IQ", "AF", "YE",
		"SO", "CF", "CD", "ZW", "LB", "ER")
	eu001Destinations = set("AU", "CA", "IS", "JP", "NZ", "NO", "CH", "LI", "US", "GB")
)

func set(codes ...string) map[string]bool {
	m := make(map[string]bool, len(codes))
	for _, c := range codes {
		m[c] = true
	}
	return m
}

// weight is d's weight for a kind of decision on date: zero where the kind never goes,
// and changed by the dates above.
func (d destination) weight(k destKind, date string) float64 {
	if isMemberOn(d.code, date) || d.code == "GB" && date < gbDestinationFrom {
		return 0
	}
	w := d.base(k)
	if (d.code == "RU" || d.code == "BY") && date >= sanctionsFrom {
		w *= sanctionsFactor[k]
	}
	return w
}

// sanctionsFactor: applications to Russia and Belarus fall to a trickle after the
// sanctions; their denials fall less, since what is still asked for is refused.
var sanctionsFactor = [nDestKinds]float64{0.08, 0, 0, 0.5, 0.05, 0.5}

func (d destination) base(k destKind) float64 {
	switch k {
	case destGeneral:
		if embargoed[d.code] {
			return 0
		}
	case destEU001:
		if !eu001Destinations[d.code] {
			return 0
		}
	case destDenied:
		return d.denied
	case destCyber:
		return d.cyber
	case destCyberDenied:
		return d.cyberDenied
	}
	return d.all
}
