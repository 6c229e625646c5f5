package demodata

import "github.com/dualuse-transparency/portal/internal/codes"

// notice is a notification of the synthetic catch-all history (DESIGN section 2) and
// how it ends. The history is one story, told as it stood on each release's
// publication date: a release published earlier sees fewer notifications, and some of
// them still open.
//
// It follows one of two procedures. Under the European Parliament's position of 2018
// (EP_POSITION_2018), never adopted, the other Member States may object until the
// deadline, and the item is listed unless a qualified majority of them objects. Under
// Article 5 of Regulation (EU) 2021/821 as adopted (REGULATION_2021_821_ARTICLE_5),
// they review the information, and the item is published only when all of them agree.
type notice struct {
	id, state string // the notifying Member State
	procedure codes.Procedure
	notified  string
	scope     // of the notification, and of the item it listed until amended
	// EP_POSITION_2018: the states that objected, on the day objectedOn gives for a
	// state or else on a day drawn in the window, and whether they form a qualified
	// majority of the others under the population figures of the deadline's year (the
	// tests check it against internal/qmv).
	objectors  []string
	objectedOn map[string]string
	objected   bool
	// Article 5: the other Member States that did not agree; every other one did,
	// on a day drawn in the review period.
	withheld       []string
	withdrawnAfter int         // working days after the notification it was withdrawn; 0: never
	amends         []amendment // of the item the notification listed, in date order
	remove         *removal
}

// scope is what a notification, or a version of a list item, covers.
type scope struct {
	item  string
	entry string   // the closest Annex I entry, "" for none
	dests []string // the destinations concerned, nil for all
}

// amendment is a later version of a listed item: its scope from the day on.
type amendment struct {
	on   string
	text string
	to   scope
}

// removal takes a listed item off the list.
type removal struct {
	on   string
	text string
}

// The objecting coalitions, chosen on the population figures so that the tallies land
// where the story needs them.
var (
	// 16 states, 94 % of the population: a clear qualified majority.
	againstDPI = []string{"DE", "FR", "IT", "ES", "PL", "RO", "BE", "CZ", "PT", "SE", "GR", "HU", "AT", "DK", "FI", "IE"}
	// 16 of 26 states (enough) but 63 % of their population: listed.
	againstCCTV = []string{"FR", "PL", "RO", "NL", "BE", "CZ", "PT", "SE", "GR", "HU", "AT", "BG", "DK", "FI", "SK", "IE"}
	// 79 % of the population but 14 of 26 states, one short: listed.
	againstSS7 = []string{"DE", "FR", "IT", "ES", "NL", "BE", "SE", "AT", "DK", "FI", "IE", "LU", "SI", "EE"}
	// 15 states, 88 %: a qualified majority.
	againstRAT = []string{"DE", "FR", "IT", "ES", "PL", "NL", "BE", "CZ", "PT", "GR", "AT", "BG", "SK", "HR", "LT"}
	// 13 states without Germany: too few whatever their population.
	againstVehicleIMSI = []string{"IT", "ES", "PL", "RO", "NL", "BE", "CZ", "PT", "GR", "HU", "AT", "BG", "DK"}
	// 16 states, 72 % to 73 %: a qualified majority.
	againstInjection = []string{"DE", "FR", "ES", "PL", "NL", "BE", "CZ", "SE", "AT", "DK", "FI", "IE", "LU", "SI", "EE", "LV"}
	// 16 of the 27 others while the United Kingdom was a member, most of the population:
	// a qualified majority.
	againstExploitKit = []string{"DE", "FR", "IT", "ES", "PL", "RO", "NL", "BE", "CZ", "PT", "SE", "GR", "HU", "AT", "DK", "FI"}
	// The United Kingdom and 14 others, notified in January 2020: had the United
	// Kingdom still been a member on the deadline, 15 of 27 with most of the
	// population would have been a qualified majority; it had left, so its objection
	// does not count and 14 of 26 are one state short: listed.
	againstLIMS = []string{"GB", "DE", "FR", "IT", "ES", "PL", "RO", "NL", "BE", "CZ", "PT", "GR", "HU", "AT", "DK"}
	// Every other state but Germany, France and Italy: 23 of 26, yet only about half
	// the population, short of 65 %. But the three hold more than 35 % of it only
	// together, so a blocking minority needs four members: three cannot block, and the
	// qualified majority is deemed attained (Article 238(3)(a) TFEU).
	againstWiFi = []string{"ES", "PL", "RO", "NL", "BE", "CZ", "PT", "SE", "GR", "HU", "AT", "BG", "DK", "FI", "SK", "IE",
		"HR", "LT", "SI", "LV", "EE", "CY", "MT"}
)

// history is every notification of the demo, in the order notified. Each item and
// legal reference says it is synthetic: any of them can be quoted on its own.
// Notifications before 9 September 2021, when Regulation (EU) 2021/821 applied, follow
// the Parliament's mechanism only; later ones follow either.
var history = []notice{
	{id: "SYN-2018-01", state: "NL", procedure: ep, notified: "2018-06-12", scope: scope{entry: "5A001.j", dests: []string{"EG"},
		item: "Synthetic example: internet monitoring centre that records and indexes the web and e-mail traffic of a whole country, for a telecom regulator"},
		objectors: []string{"HU", "PL"}},
	{id: "SYN-2019-01", state: "GB", procedure: ep, notified: "2019-03-12", scope: scope{entry: "4A005",
		item: "Synthetic example: exploit kit with a year of zero-day updates and an intrusion-software training range, for an intelligence end user"},
		objectors: againstExploitKit, objected: true},
	{id: "SYN-2019-02", state: "IT", procedure: ep, notified: "2019-10-08", scope: scope{entry: "5A001.f", dests: []string{"ET", "SD"},
		item: "Synthetic example: off-air GSM interception system that monitors calls and text messages passively, for a national intelligence service"},
		objectors: []string{"MT"},
		amends: []amendment{
			{on: "2020-06-16", text: "Synthetic amendment: scope widened from ET and SD to add SS and ER after further synthetic denials",
				to: scope{entry: "5A001.f", dests: []string{"ET", "SD", "SS", "ER"},
					item: "Synthetic example: off-air GSM interception system that monitors calls and text messages passively, for a national intelligence service"}},
			{on: "2022-02-08", text: "Synthetic amendment: description extended to the 3G and 4G successors of the system, destinations unchanged",
				to: scope{entry: "5A001.f", dests: []string{"ET", "SD", "SS", "ER"},
					item: "Synthetic example: off-air GSM, 3G and 4G interception system that monitors calls and text messages passively, for a national intelligence service"}},
		}},
	{id: "SYN-2020-01", state: "SE", procedure: ep, notified: "2020-01-14", scope: scope{entry: "5A001.j", dests: []string{"BH", "EG"},
		item: "Synthetic example: lawful-interception management system that collects the traffic of several operators in one monitoring centre, for a state security service"},
		objectors: againstLIMS, objectedOn: map[string]string{"GB": "2020-01-22"}},
	{id: "SYN-2021-01", state: "DE", procedure: ep, notified: "2021-10-12", scope: scope{entry: "5A001.f", dests: []string{"EG", "SA", "AE"},
		item: "Synthetic example: IMSI catcher (cell-site simulator) with a targeted call-interception add-on, for the surveillance unit of a national police force"},
		objectors: []string{"HU", "MT"},
		amends: []amendment{{on: "2023-03-14", text: "Synthetic amendment: scope widened from EG, SA and AE to add BH, QA and OM after further synthetic denials",
			to: scope{entry: "5A001.f", dests: []string{"EG", "SA", "AE", "BH", "QA", "OM"},
				item: "Synthetic example: IMSI catcher (cell-site simulator) with a targeted call-interception add-on, for the surveillance unit of a national police force"}}}},
	{id: "SYN-2022-01", state: "FR", procedure: ep, notified: "2022-01-18", scope: scope{entry: "4A005",
		item: "Synthetic example: spyware delivery platform (exploit-chain hosting and zero-click infection server for the remote intrusion of mobile handsets), for an intelligence end user"},
		objectors: []string{"CY"}},
	{id: "SYN-2022-02", state: "NL", procedure: ep, notified: "2022-03-22", scope: scope{entry: "5A001.j", dests: []string{"IR", "BY", "MM"},
		item: "Synthetic example: deep packet inspection system sized for a national internet gateway, with application-layer blocking and subscriber-level logging"},
		objectors: againstDPI, objected: true},
	{id: "SYN-2022-03", state: "IT", procedure: ep, notified: "2022-05-10", scope: scope{
		item: "Synthetic example: facial-recognition analytics for public CCTV networks, matching live feeds from city-wide cameras against watch lists"},
		objectors: againstCCTV},
	{id: "SYN-2022-04", state: "SE", procedure: ep, notified: "2022-09-13", scope: scope{entry: "5A004.b", dests: []string{"BY", "RU"},
		item: "Synthetic example: mobile forensic extraction kit that bypasses handset screen locks, for a state security service"},
		objectors: []string{"DE"}, withdrawnAfter: 15},
	{id: "SYN-2022-05", state: "ES", procedure: ep, notified: "2022-11-08", scope: scope{dests: []string{"VE", "NI", "CU"},
		item: "Synthetic example: social-media monitoring platform with bulk collection of public posts, sentiment analysis and identity resolution across accounts"},
		objectors: []string{"PT", "IE", "LU", "MT"}},
	{id: "SYN-2022-06", state: "BE", procedure: art5, notified: "2022-11-29", scope: scope{entry: "5D001.e", dests: []string{"AZ", "TJ"},
		item: "Synthetic example: lawful-interception mediation software that hands over the call records and traffic of every operator to a single monitoring centre"}},
	{id: "SYN-2023-01", state: "DE", procedure: ep, notified: "2023-02-14", scope: scope{entry: "5D001.e",
		item: "Synthetic example: data-retention analytics suite for bulk call-detail records held by telecom operators, with co-location and contact-chaining queries"}},
	{id: "SYN-2023-02", state: "PL", procedure: ep, notified: "2023-04-18", scope: scope{entry: "5A001.f",
		item: "Synthetic example: location-tracking tool that locates mobile subscribers through SS7 signalling queries across roaming networks"},
		objectors: againstSS7},
	{id: "SYN-2023-03", state: "FI", procedure: ep, notified: "2023-06-06", scope: scope{entry: "5A004.b", dests: []string{"AZ", "KZ", "UZ"},
		item: "Synthetic example: cloud-account forensic extraction platform that collects data held by online services with credentials and tokens taken from seized handsets"},
		objectors: []string{"EE", "LV"},
		remove: &removal{on: "2024-12-03",
			text: "Synthetic removal: covered by Annex I entry 5A004.b as amended in the 2024 update of Annex I (synthetic), so every export already needs an authorisation"}},
	{id: "SYN-2023-04", state: "CZ", procedure: art5, notified: "2023-09-12", scope: scope{entry: "4A005", dests: []string{"RU", "BY"},
		item: "Synthetic example: command-and-control servers for intrusion software, hosted and operated for a foreign intelligence end user"},
		withheld: []string{"MT"}},
	{id: "SYN-2023-05", state: "AT", procedure: art5, notified: "2023-11-14", scope: scope{entry: "5A001.j", dests: []string{"RU", "BY"},
		item: "Synthetic example: internet traffic blocking and throttling appliance with subscriber-level logging, for a telecom regulator"},
		amends: []amendment{{on: "2024-05-21", text: "Synthetic amendment: IR added to the destinations after further synthetic denials",
			to: scope{entry: "5A001.j", dests: []string{"RU", "BY", "IR"},
				item: "Synthetic example: internet traffic blocking and throttling appliance with subscriber-level logging, for a telecom regulator"}}}},
	{id: "SYN-2024-01", state: "SE", procedure: ep, notified: "2024-03-05", scope: scope{entry: "4D004",
		item: "Synthetic example: remote-access trojan builder kit with a command-and-control console, for an intelligence end user"},
		objectors: againstRAT, objected: true},
	{id: "SYN-2024-02", state: "FR", procedure: ep, notified: "2024-06-11", scope: scope{entry: "5A001.f", dests: []string{"LY", "TN", "EG"},
		item: "Synthetic example: vehicle-mounted IMSI catcher with a 4G-to-2G downgrade attack, for a border-police end user"},
		objectors: againstVehicleIMSI},
	{id: "SYN-2024-03", state: "LU", procedure: ep, notified: "2024-09-17", scope: scope{entry: "5A001.f", dests: []string{"SA", "AE"},
		item: "Synthetic example: Wi-Fi interception kit that captures and decrypts the traffic of nearby handsets, for a royal guard"},
		objectors: againstWiFi, objected: true},
	{id: "SYN-2024-04", state: "DK", procedure: art5, notified: "2024-10-15", scope: scope{dests: []string{"CN"},
		item: "Synthetic example: emotion-recognition video analytics for interrogation rooms, for a public security bureau"},
		withheld: []string{"FR", "IT", "GR", "HU", "CY"}},
	{id: "SYN-2025-01", state: "HU", procedure: ep, notified: "2025-02-11", scope: scope{entry: "4A005",
		item: "Synthetic example: network-injection appliance that redirects a target's unencrypted web traffic to an exploit server, for an operator's lawful-interception room"},
		objectors: againstInjection, objected: true},
	{id: "SYN-2025-02", state: "DE", procedure: ep, notified: "2025-06-03", scope: scope{dests: []string{"RS", "TR"},
		item: "Synthetic example: social-media monitoring platform with covert account infiltration features, for a national police force"},
		objectors: []string{"NL", "IE", "AT"}},
	{id: "SYN-2025-03", state: "IT", procedure: ep, notified: "2025-06-24", scope: scope{entry: "5A001.j",
		item: "Synthetic example: encrypted-traffic classification probe that flags VPN and Tor users on mobile networks"},
		objectors: []string{"MT"}},
	{id: "SYN-2025-04", state: "PT", procedure: art5, notified: "2025-06-26", scope: scope{entry: "5A004.b", dests: []string{"MM", "KH"},
		item: "Synthetic example: forensic kiosk that copies the contents of handsets at border checkpoints, for an immigration police"}},
}

// The procedures, for short.
const (
	ep   = codes.EPPosition2018
	art5 = codes.Article5
)
