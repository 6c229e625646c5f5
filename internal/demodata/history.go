package demodata

// notice is a notification of the synthetic catch-all history (DESIGN section 2) and
// how it ends. The history is one story, told as it stood on each release's
// publication date: a release published earlier sees fewer notifications, and some of
// them still open.
type notice struct {
	id, state string // the notifying Member State
	notified  string
	item      string
	entry     string   // the closest Annex I entry, "" for none
	dests     []string // the destinations concerned, nil for all
	objectors []string
	// objected says the objectors form a qualified majority of the other 26 states
	// under the Council figures the deadline's year uses (2016 for 2021-2024, 2025 after):
	// the tests check it against internal/qmv.
	objected       bool
	withdrawnAfter int     // working days after the notification it was withdrawn; 0: never
	amend, remove  *change // of the item the notification listed
}

// change is a later change to a listed item.
type change struct {
	on    string
	text  string
	dests []string // the scope after an amendment
}

// The objecting coalitions, chosen on the Council's population figures so that the
// tallies land where the story needs them.
var (
	// 16 states, 94 % of the population: a clear qualified majority.
	againstDPI = []string{"DE", "FR", "IT", "ES", "PL", "RO", "BE", "CZ", "PT", "SE", "GR", "HU", "AT", "DK", "FI", "IE"}
	// 16 of 26 states (enough) but 63 % of their population (2016 figures): listed.
	againstCCTV = []string{"FR", "PL", "RO", "NL", "BE", "CZ", "PT", "SE", "GR", "HU", "AT", "BG", "DK", "FI", "SK", "IE"}
	// 79 % of the population but 14 of 26 states, one short: listed.
	againstSS7 = []string{"DE", "FR", "IT", "ES", "NL", "BE", "SE", "AT", "DK", "FI", "IE", "LU", "SI", "EE"}
	// 15 states, 88 %: a qualified majority.
	againstRAT = []string{"DE", "FR", "IT", "ES", "PL", "NL", "BE", "CZ", "PT", "GR", "AT", "BG", "SK", "HR", "LT"}
	// 13 states without Germany: too few whatever their population.
	againstVehicleIMSI = []string{"IT", "ES", "PL", "RO", "NL", "BE", "CZ", "PT", "GR", "HU", "AT", "BG", "DK"}
	// 16 states, 73 % in the 2025 figures, 72 % in 2016's: a qualified majority.
	againstInjection = []string{"DE", "FR", "ES", "PL", "NL", "BE", "CZ", "SE", "AT", "DK", "FI", "IE", "LU", "SI", "EE", "LV"}
)

// history is every notification of the demo, in the order notified. Each item and
// legal reference says it is synthetic: any of them can be quoted on its own.
var history = []notice{
	{id: "SYN-2021-01", state: "DE", notified: "2021-10-12", entry: "5A001.f", dests: []string{"EG", "SA", "AE"},
		item:      "Synthetic example: IMSI catcher (cell-site simulator) with a targeted call-interception add-on, for the surveillance unit of a national police force",
		objectors: []string{"HU", "MT"},
		amend: &change{on: "2023-03-14", dests: []string{"EG", "SA", "AE", "BH", "QA", "OM"},
			text: "Synthetic amendment: scope widened from EG, SA and AE to add BH, QA and OM after further synthetic denials"}},
	{id: "SYN-2022-01", state: "FR", notified: "2022-01-18", entry: "4A005",
		item:      "Synthetic example: spyware delivery platform (exploit-chain hosting and zero-click infection server for the remote intrusion of mobile handsets), for an intelligence end user",
		objectors: []string{"CY"}},
	{id: "SYN-2022-02", state: "NL", notified: "2022-03-22", entry: "5A001.j", dests: []string{"IR", "BY", "MM"},
		item:      "Synthetic example: deep packet inspection system sized for a national internet gateway, with application-layer blocking and subscriber-level logging",
		objectors: againstDPI, objected: true},
	{id: "SYN-2022-03", state: "IT", notified: "2022-05-10",
		item:      "Synthetic example: facial-recognition analytics for public CCTV networks, matching live feeds from city-wide cameras against watch lists",
		objectors: againstCCTV},
	{id: "SYN-2022-04", state: "SE", notified: "2022-09-13", entry: "5A004.b", dests: []string{"BY", "RU"},
		item:      "Synthetic example: mobile forensic extraction kit that bypasses handset screen locks, for a state security service",
		objectors: []string{"DE"}, withdrawnAfter: 15},
	{id: "SYN-2022-05", state: "ES", notified: "2022-11-08", dests: []string{"VE", "NI", "CU"},
		item:      "Synthetic example: social-media monitoring platform with bulk collection of public posts, sentiment analysis and identity resolution across accounts",
		objectors: []string{"PT", "IE", "LU", "MT"}},
	{id: "SYN-2023-01", state: "DE", notified: "2023-02-14", entry: "5D001.e",
		item: "Synthetic example: data-retention analytics suite for bulk call-detail records held by telecom operators, with co-location and contact-chaining queries"},
	{id: "SYN-2023-02", state: "PL", notified: "2023-04-18", entry: "5A001.f",
		item:      "Synthetic example: location-tracking tool that locates mobile subscribers through SS7 signalling queries across roaming networks",
		objectors: againstSS7},
	{id: "SYN-2023-03", state: "FI", notified: "2023-06-06", entry: "5A004.b", dests: []string{"AZ", "KZ", "UZ"},
		item:      "Synthetic example: cloud-account forensic extraction platform that collects data held by online services with credentials and tokens taken from seized handsets",
		objectors: []string{"EE", "LV"},
		remove: &change{on: "2024-12-03",
			text: "Synthetic removal: covered by Annex I entry 5A004.b as amended in the 2024 update of Annex I (synthetic), so every export already needs an authorisation"}},
	{id: "SYN-2024-01", state: "SE", notified: "2024-03-05", entry: "4D004",
		item:      "Synthetic example: remote-access trojan builder kit with a command-and-control console, for an intelligence end user",
		objectors: againstRAT, objected: true},
	{id: "SYN-2024-02", state: "FR", notified: "2024-06-11", entry: "5A001.f", dests: []string{"LY", "TN", "EG"},
		item:      "Synthetic example: vehicle-mounted IMSI catcher with a 4G-to-2G downgrade attack, for a border-police end user",
		objectors: againstVehicleIMSI},
	{id: "SYN-2025-01", state: "HU", notified: "2025-02-11", entry: "4A005",
		item:      "Synthetic example: network-injection appliance that redirects a target's unencrypted web traffic to an exploit server, for an operator's lawful-interception room",
		objectors: againstInjection, objected: true},
	{id: "SYN-2025-02", state: "DE", notified: "2025-06-03", dests: []string{"RS", "TR"},
		item:      "Synthetic example: social-media monitoring platform with covert account infiltration features, for a national police force",
		objectors: []string{"NL", "IE", "AT"}},
	{id: "SYN-2025-03", state: "IT", notified: "2025-06-24", entry: "5A001.j",
		item:      "Synthetic example: encrypted-traffic classification probe that flags VPN and Tor users on mobile networks",
		objectors: []string{"MT"}},
}
