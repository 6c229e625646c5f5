package i18n

import "fmt"

// Sprintf formats like fmt.Sprintf, with the format string looked up in the message
// catalog: format is the English text, and in DE or FR its translation is used when
// the catalog has one. A format the catalog lacks, or EN, is formatted as given.
func Sprintf(l Lang, format string, args ...any) string {
	return fmt.Sprintf(Translate(l, format), args...)
}

// Translate returns the catalog's translation of an English text or format into l,
// or the text itself when there is none (and for EN).
func Translate(l Lang, format string) string {
	if m, ok := messageIndex[format]; ok {
		switch l {
		case DE:
			if m.DE != "" {
				return m.DE
			}
		case FR:
			if m.FR != "" {
				return m.FR
			}
		}
	}
	return format
}

// Has reports whether the catalog holds a translation of format into l; for EN,
// whether the catalog holds format at all.
func Has(l Lang, format string) bool {
	m, ok := messageIndex[format]
	if !ok {
		return false
	}
	switch l {
	case EN:
		return true
	case DE:
		return m.DE != ""
	case FR:
		return m.FR != ""
	}
	return false
}

// Message is one entry of the message catalog: an English format and its translations.
type Message struct{ EN, DE, FR string }

// Messages returns a copy of the message catalog, in catalog order.
func Messages() []Message { return append([]Message(nil), messageCatalog...) }

var messageIndex = func() map[string]Message {
	m := make(map[string]Message, len(messageCatalog))
	for _, e := range messageCatalog {
		m[e.EN] = e
	}
	return m
}()
