package ukdata

import "time"

// memberState is the United Kingdom, the Member State every decision of the source
// was taken by, and the last day it was one.
const memberState = "GB"

var leftEU = time.Date(2020, 1, 31, 0, 0, 0, 0, time.UTC)

// countryCodes maps each destination name that occurs in the source, in any of its
// stored versions, to its ISO 3166-1 alpha-2 code (the codes and names of the
// portal's reference list of countries, plus XK for Kosovo and AN for the Netherlands
// Antilles). The UK's spellings differ from ISO's in places ("Burma", "Surinam",
// "Svelbard Archipelago"); a few name a part of a country: Sarawak is Malaysian, an
// oil field on "Continental Shelf Norwegian Sector" is under Norway's jurisdiction,
// and the British Antarctic Territory is in ISO's Antarctica. A name that is not here
// stops the conversion: it is never guessed.
var countryCodes = map[string]string{
	"Afghanistan":                          "AF",
	"Aland Islands":                        "AX",
	"Albania":                              "AL",
	"Algeria":                              "DZ",
	"American Samoa":                       "AS",
	"Andorra":                              "AD",
	"Angola":                               "AO",
	"Antarctica":                           "AQ",
	"Antigua and Barbuda":                  "AG",
	"Argentina":                            "AR",
	"Armenia":                              "AM",
	"Aruba":                                "AW",
	"Australia":                            "AU",
	"Austria":                              "AT",
	"Azerbaijan":                           "AZ",
	"Bahamas":                              "BS",
	"Bahrain":                              "BH",
	"Bangladesh":                           "BD",
	"Barbados":                             "BB",
	"Belarus":                              "BY",
	"Belgium":                              "BE",
	"Belize":                               "BZ",
	"Benin":                                "BJ",
	"Bermuda":                              "BM",
	"Bhutan":                               "BT",
	"Bolivia":                              "BO",
	"Bosnia and Herzegovina":               "BA",
	"Botswana":                             "BW",
	"Brazil":                               "BR",
	"British Antarctic Territory":          "AQ",
	"British Indian Ocean Territory":       "IO",
	"British Virgin Islands":               "VG",
	"Brunei":                               "BN",
	"Bulgaria":                             "BG",
	"Burkina":                              "BF",
	"Burkina Faso":                         "BF",
	"Burma":                                "MM",
	"Burundi":                              "BI",
	"Cambodia":                             "KH",
	"Cameroon":                             "CM",
	"Canada":                               "CA",
	"Cape Verde":                           "CV",
	"Cayman Islands":                       "KY",
	"Central African Republic":             "CF",
	"Chad":                                 "TD",
	"Chile":                                "CL",
	"China":                                "CN",
	"Colombia":                             "CO",
	"Comoros":                              "KM",
	"Congo, Democratic Republic of":        "CD",
	"Continental Shelf Danish Sector":      "DK",
	"Continental Shelf Netherlands Sector": "NL",
	"Continental Shelf Norwegian Sector":   "NO",
	"Continental Shelf: United Kingdom sector": "GB",
	"Cook Islands":                 "CK",
	"Costa Rica":                   "CR",
	"Croatia":                      "HR",
	"Cuba":                         "CU",
	"Cyprus":                       "CY",
	"Czech Republic":               "CZ",
	"Democratic Republic of Congo": "CD",
	"Denmark":                      "DK",
	"Djibouti":                     "DJ",
	"Dominica":                     "DM",
	"Dominican Republic":           "DO",
	"East Timor":                   "TL",
	"Ecuador":                      "EC",
	"Egypt":                        "EG",
	"El Salvador":                  "SV",
	"Equatorial Guinea":            "GQ",
	"Eritrea":                      "ER",
	"Estonia":                      "EE",
	"Ethiopia":                     "ET",
	"Falkland Islands":             "FK",
	"Faroe Islands":                "FO",
	"Fiji":                         "FJ",
	"Finland":                      "FI",
	"France":                       "FR",
	"Gabon":                        "GA",
	"Gambia":                       "GM",
	"Georgia":                      "GE",
	"Germany":                      "DE",
	"Ghana":                        "GH",
	"Gibraltar":                    "GI",
	"Greece":                       "GR",
	"Greenland":                    "GL",
	"Grenada":                      "GD",
	"Guam":                         "GU",
	"Guatemala":                    "GT",
	"Guinea, Republic of":          "GN",
	"Guinea-Bissau":                "GW",
	"Guyana":                       "GY",
	"Haiti":                        "HT",
	"Honduras":                     "HN",
	"Hong Kong Special Administrative Region": "HK",
	"Hungary":                               "HU",
	"Iceland":                               "IS",
	"India":                                 "IN",
	"Indonesia":                             "ID",
	"Iran":                                  "IR",
	"Iraq":                                  "IQ",
	"Ireland":                               "IE",
	"Ireland, Republic of":                  "IE",
	"Israel":                                "IL",
	"Italy":                                 "IT",
	"Ivory Coast":                           "CI",
	"Jamaica":                               "JM",
	"Japan":                                 "JP",
	"Jordan":                                "JO",
	"Kazakhstan":                            "KZ",
	"Kenya":                                 "KE",
	"Kiribati":                              "KI",
	"Korea, North":                          "KP",
	"Korea, South":                          "KR",
	"Kosovo":                                "XK",
	"Kuwait":                                "KW",
	"Kyrgyzstan":                            "KG",
	"Laos":                                  "LA",
	"Latvia":                                "LV",
	"Lebanon":                               "LB",
	"Lesotho":                               "LS",
	"Liberia":                               "LR",
	"Libya":                                 "LY",
	"Liechtenstein":                         "LI",
	"Lithuania":                             "LT",
	"Luxembourg":                            "LU",
	"Macao":                                 "MO",
	"Macedonia":                             "MK",
	"Madagascar":                            "MG",
	"Malawi":                                "MW",
	"Malaysia":                              "MY",
	"Maldives":                              "MV",
	"Mali":                                  "ML",
	"Malta":                                 "MT",
	"Marshall Islands":                      "MH",
	"Mauritania":                            "MR",
	"Mauritius":                             "MU",
	"Mayotte (Grand Terre and Pamanzi)":     "YT",
	"Mexico":                                "MX",
	"Micronesia":                            "FM",
	"Moldova, Republic of":                  "MD",
	"Monaco":                                "MC",
	"Mongolia":                              "MN",
	"Montenegro":                            "ME",
	"Montserrat":                            "MS",
	"Morocco":                               "MA",
	"Mozambique":                            "MZ",
	"Myanmar":                               "MM",
	"Namibia":                               "NA",
	"Nepal":                                 "NP",
	"Netherlands":                           "NL",
	"New Zealand":                           "NZ",
	"Nicaragua":                             "NI",
	"Niger":                                 "NE",
	"Nigeria":                               "NG",
	"North Korea":                           "KP",
	"North Macedonia":                       "MK",
	"Norway":                                "NO",
	"Oman":                                  "OM",
	"Pakistan":                              "PK",
	"Palau":                                 "PW",
	"Panama":                                "PA",
	"Papua New Guinea":                      "PG",
	"Paraguay":                              "PY",
	"Peru":                                  "PE",
	"Philippines":                           "PH",
	"Poland":                                "PL",
	"Portugal":                              "PT",
	"Puerto Rico":                           "PR",
	"Qatar":                                 "QA",
	"Republic of Congo":                     "CG",
	"Republic of Guinea":                    "GN",
	"Republic of Moldova":                   "MD",
	"Romania":                               "RO",
	"Russia":                                "RU",
	"Rwanda":                                "RW",
	"Samoa":                                 "WS",
	"San Marino":                            "SM",
	"Sao Tome and Principe":                 "ST",
	"Sarawak":                               "MY",
	"Saudi Arabia":                          "SA",
	"Senegal":                               "SN",
	"Serbia":                                "RS",
	"Seychelles":                            "SC",
	"Sierra Leone":                          "SL",
	"Singapore":                             "SG",
	"Slovakia":                              "SK",
	"Slovenia":                              "SI",
	"Solomon Islands":                       "SB",
	"Somalia":                               "SO",
	"South Africa":                          "ZA",
	"South Korea":                           "KR",
	"South Sudan":                           "SS",
	"Spain":                                 "ES",
	"Sri Lanka":                             "LK",
	"St Helena":                             "SH",
	"St Lucia":                              "LC",
	"St Vincent (including the Grenadines)": "VC",
	"Sudan":                                 "SD",
	"Sudan, South":                          "SS",
	"Surinam":                               "SR",
	"Svelbard Archipelago":                  "SJ",
	"Swaziland":                             "SZ",
	"Sweden":                                "SE",
	"Switzerland":                           "CH",
	"Syria":                                 "SY",
	"Taiwan":                                "TW",
	"Tajikistan":                            "TJ",
	"Tanzania":                              "TZ",
	"Thailand":                              "TH",
	"Togo":                                  "TG",
	"Tonga":                                 "TO",
	"Trinidad and Tobago":                   "TT",
	"Tunisia":                               "TN",
	"Turkey":                                "TR",
	"Turkmenistan":                          "TM",
	"Turks and Caicos Islands":              "TC",
	"Tuvalu":                                "TV",
	"Uganda":                                "UG",
	"Ukraine":                               "UA",
	"United Arab Emirates":                  "AE",
	"United Kingdom":                        "GB",
	"United States of America":              "US",
	"Uruguay":                               "UY",
	"Uzbekistan":                            "UZ",
	"Vanuatu":                               "VU",
	"Venezuela":                             "VE",
	"Vietnam":                               "VN",
	"Yemen":                                 "YE",
	"Zambia":                                "ZM",
	"Zimbabwe":                              "ZW",
	"Netherlands Antilles":                  "AN",
}

// notOneCountry are the destinations the source names that are not one ISO country.
// A decision for one is left out and counted by name, since any code would be a guess.
var notOneCountry = map[string]string{
	"Channel Islands":           "Jersey (JE) and Guernsey (GG)",
	"Continental Shelf":         "a continental shelf with no sector named",
	"French Overseas Territory": "any of France's overseas territories",
	"Bonaire, Curacao, Saba, Sint Eustatius and Sint Maarten": "BQ, CW and SX",
}

// antillesDissolved is the day the Netherlands Antilles ceased to exist (10 October
// 2010): from then on the name covers Curaçao (CW), Sint Maarten (SX) and the
// Caribbean Netherlands (BQ), so it no longer names one country.
var antillesDissolved = time.Date(2010, 10, 10, 0, 0, 0, 0, time.UTC)

// euJoined is the day each Member State but the United Kingdom joined the Union, as
// in the portal's reference list of Member States; a destination that is one on the
// decision date makes the decision an intra-EU transfer.
var euJoined = map[string]time.Time{
	"AT": day(1995, 1, 1), "BE": day(1958, 1, 1), "BG": day(2007, 1, 1), "CY": day(2004, 5, 1),
	"CZ": day(2004, 5, 1), "DE": day(1958, 1, 1), "DK": day(1973, 1, 1), "EE": day(2004, 5, 1),
	"ES": day(1986, 1, 1), "FI": day(1995, 1, 1), "FR": day(1958, 1, 1), "GR": day(1981, 1, 1),
	"HR": day(2013, 7, 1), "HU": day(2004, 5, 1), "IE": day(1973, 1, 1), "IT": day(1958, 1, 1),
	"LT": day(2004, 5, 1), "LU": day(1958, 1, 1), "LV": day(2004, 5, 1), "MT": day(2004, 5, 1),
	"NL": day(1958, 1, 1), "PL": day(2004, 5, 1), "PT": day(1986, 1, 1), "RO": day(2007, 1, 1),
	"SE": day(1995, 1, 1), "SI": day(2004, 5, 1), "SK": day(2004, 5, 1),
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// place is what a destination name names on a date.
type place int

const (
	oneCountry   place = iota
	notOne             // a known name that is not one country on the date
	unknownPlace       // a name this package does not know
)

// lookUpDestination returns the ISO code of a destination name on a date.
func lookUpDestination(name string, date time.Time) (string, place) {
	if _, ok := notOneCountry[name]; ok {
		return "", notOne
	}
	code, ok := countryCodes[name]
	switch {
	case !ok:
		return "", unknownPlace
	case code == "AN" && !date.Before(antillesDissolved):
		return "", notOne
	}
	return code, oneCountry
}

// inEU says whether the destination was a Member State on the date.
func inEU(code string, date time.Time) bool {
	joined, ok := euJoined[code]
	return ok && !date.Before(joined)
}
