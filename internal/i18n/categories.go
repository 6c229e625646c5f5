package i18n

// CategoryTitle returns the title, in language l, of control category 0 to 9 of
// Annex I to Regulation (EU) 2021/821, in sentence case. English titles are the
// portal's (db/migrations/0001_reference.sql). A German or French title is given only
// where its words were found in a published text of the Annex (see README.md); for the
// other categories the bool is false and the caller keeps the English title and says so.
func CategoryTitle(l Lang, category int) (string, bool) {
	if category < 0 || category >= len(categoryTitles) {
		return "", false
	}
	s := categoryTitles[category].pick(l)
	return s, s != ""
}

type categoryTitle struct{ EN, DE, FR string }

func (c categoryTitle) pick(l Lang) string {
	return LabelRow{EN: c.EN, DE: c.DE, FR: c.FR}.pick(l)
}

// categoryTitles: an empty DE or FR means no official wording was found to check it
// against, so none is given.
var categoryTitles = [10]categoryTitle{
	0: {EN: "Nuclear materials, facilities and equipment"},
	1: {EN: "Special materials and related equipment", FR: "Matières spéciales et équipements apparentés"},
	2: {EN: "Materials processing"},
	3: {EN: "Electronics"},
	4: {EN: "Computers"},
	5: {EN: "Telecommunications and information security", FR: "Télécommunications et sécurité de l'information"},
	6: {EN: "Sensors and lasers"},
	7: {EN: "Navigation and avionics"},
	8: {EN: "Marine"},
	9: {EN: "Aerospace and propulsion", DE: "Luftfahrt, Raumfahrt und Antriebe", FR: "Aérospatiale et propulsion"},
}
