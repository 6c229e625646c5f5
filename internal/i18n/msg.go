package i18n

// Msg is a note or explanation kept as its English format and arguments, so that it can
// be written in any language when it is read rather than when it is computed. An
// argument that is itself a Msg is written in the same language. Msg is comparable
// (==) by content, so values that carry one stay comparable.
type Msg struct {
	Format string
	Args   [6]any
	N      int
}

// M returns the message format(args...). At most six arguments are kept.
func M(format string, args ...any) Msg {
	m := Msg{Format: format, N: min(len(args), 6)}
	copy(m.Args[:], args)
	return m
}

// Text returns a message that is the text itself in every language: data, such as a
// source or a reason an editor recorded, that is not the portal's wording.
func Text(s string) Msg { return M("%s", s) }

// Join returns the two messages joined by a semicolon ("a; b", French "a ; b").
func Join(a, b Msg) Msg { return M("%s; %s", a, b) }

// IsZero reports whether m holds no message.
func (m Msg) IsZero() bool { return m.Format == "" }

// String writes the message in language l: its format translated by the catalog, its
// Msg arguments written in l too.
func (m Msg) String(l Lang) string {
	if m.IsZero() {
		return ""
	}
	args := make([]any, m.N)
	for i, a := range m.Args[:m.N] {
		if inner, ok := a.(Msg); ok {
			a = inner.String(l)
		}
		args[i] = a
	}
	return Sprintf(l, m.Format, args...)
}
