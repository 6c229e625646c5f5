package i18n

// Label returns the label, in language l, of a value of one of the API's enums
// (enum and value as in schema.graphql: Label(DE, "Outcome", "DENIED")). The bool is
// false for an enum or value the catalog lacks, or a language it has no label in.
func Label(l Lang, enum, value string) (string, bool) {
	row, ok := labelIndex[enum+"."+value]
	if !ok {
		return "", false
	}
	s := row.pick(l)
	return s, s != ""
}

// Enums returns every enum the label catalog covers, each with its values in catalog
// order.
func Enums() map[string][]string {
	out := map[string][]string{}
	for _, r := range labelCatalog {
		out[r.Enum] = append(out[r.Enum], r.Value)
	}
	return out
}

// LabelRow is one row of the label catalog: an enum value and its label in each language.
type LabelRow struct {
	Enum, Value string
	EN, DE, FR  string
}

func (r LabelRow) pick(l Lang) string {
	switch l {
	case EN:
		return r.EN
	case DE:
		return r.DE
	case FR:
		return r.FR
	}
	return ""
}

var labelIndex = func() map[string]LabelRow {
	m := make(map[string]LabelRow, len(labelCatalog))
	for _, r := range labelCatalog {
		m[r.Enum+"."+r.Value] = r
	}
	return m
}()
