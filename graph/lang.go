package graph

import (
	"maps"
	"slices"
	"strings"

	"github.com/dualuse-transparency/portal/graph/model"
	"github.com/dualuse-transparency/portal/internal/apperr"
	"github.com/dualuse-transparency/portal/internal/i18n"
)

// The API's languages: every field whose text the portal writes takes a `lang`
// argument (English when left out), and its resolver passes it on as an i18n.Lang.
// Names come from internal/i18n (CLDR for countries and regions); where it has none in
// the language asked for, the English name is kept and nameLanguage/nameNote say so.

// langOf is the language a `lang` argument asks for: English when left out.
func langOf(l *model.Lang) i18n.Lang {
	if l == nil {
		return i18n.EN
	}
	if v, err := i18n.Parse(string(*l)); err == nil {
		return v
	}
	return i18n.EN
}

// apiLang is the API's value of a language.
func apiLang(l i18n.Lang) model.Lang { return model.Lang(strings.ToUpper(string(l))) }

// untranslatedNote is the note of a name given in English in another language.
const untranslatedNote = "no official translation of this name is shipped: it is given in English"

// localName is a name in the language asked for, or the English one where the portal
// has none in that language.
type localName struct {
	asked, lang i18n.Lang
	text        string
}

// named picks the translation when found (and the language is not English, whose
// names are the portal's own reference names), else the English name.
func named(l i18n.Lang, english string, translated string, found bool) localName {
	if l == i18n.EN || !found {
		return localName{asked: l, lang: i18n.EN, text: english}
	}
	return localName{asked: l, lang: l, text: translated}
}

func (n localName) language() model.Lang { return apiLang(n.lang) }

// note is nil when the name is in the language asked for, else why it is not.
func (n localName) note() *string {
	if n.lang == n.asked {
		return nil
	}
	s := i18n.Translate(n.asked, untranslatedNote)
	return &s
}

func countryName(l *model.Lang, code, english string) localName {
	t, ok := i18n.CountryName(langOf(l), code)
	return named(langOf(l), english, t, ok)
}

func regionName(l *model.Lang, code, english string) localName {
	t, ok := i18n.RegionName(langOf(l), code)
	return named(langOf(l), english, t, ok)
}

func categoryName(l *model.Lang, code int, english string) localName {
	t, ok := i18n.CategoryTitle(langOf(l), code)
	return named(langOf(l), english, t, ok)
}

// productGroupName: no official translation of the product groups is shipped.
func productGroupName(l *model.Lang, english string) localName {
	return named(langOf(l), english, "", false)
}

// descriptionNote is nil in English, else that control entry descriptions are the
// English wording of Annex I.
func descriptionNote(l *model.Lang) *string {
	if langOf(l) == i18n.EN {
		return nil
	}
	s := i18n.Translate(langOf(l), "the wording of Annex I is given in English: no official translation is shipped")
	return &s
}

// label is the label of an enum value in language l (the value itself, should the
// catalog lack it: a test checks that it does not).
func label[T ~string](l *model.Lang, enum string, v T) string {
	if s, ok := i18n.Label(langOf(l), enum, string(v)); ok {
		return s
	}
	return string(v)
}

// optLabel is label for an optional value: nil for nil.
func optLabel[T ~string](l *model.Lang, enum string, v *T) *string {
	if v == nil {
		return nil
	}
	s := label(l, enum, *v)
	return &s
}

// translate is a constant text of the portal in language l.
func translate(l *model.Lang, s string) string { return i18n.Translate(langOf(l), s) }

// enumLabels lists the labels of every enum (or one), enums by name, values in
// catalog order.
func enumLabels(enum *string, l *model.Lang) ([]model.EnumLabel, error) {
	all := i18n.Enums()
	names := slices.Sorted(maps.Keys(all))
	if enum != nil {
		if _, ok := all[*enum]; !ok {
			return nil, apperr.Errorf(apperr.Invalid, "enum: %q is not an enum of the schema", *enum)
		}
		names = []string{*enum}
	}
	out := []model.EnumLabel{}
	for _, e := range names {
		for _, v := range all[e] {
			out = append(out, model.EnumLabel{Enum: e, Value: v, Label: label(l, e, v), Language: apiLang(langOf(l))})
		}
	}
	return out, nil
}
