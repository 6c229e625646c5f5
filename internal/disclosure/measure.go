package disclosure

import (
	"fmt"
	"io"
	"slices"
	"strconv"

	"github.com/dualuse-transparency/portal/internal/i18n"
)

// Status says how a published figure relates to the confidential records behind it,
// so a user can tell an exact figure from a protected one and a withheld one.
type Status string

// The statuses of a Measure.
const (
	// Perturbed is a count or value with noise added (the normal case).
	Perturbed Status = "PERTURBED"
	// Confidential is a withheld figure; the Note says which rule withheld it.
	Confidential Status = "CONFIDENTIAL"
	// Official is an exact figure already published by an authority; the Note holds its source.
	Official Status = "OFFICIAL"
	// NotApplicable is where no figure makes sense (e.g. a rate with no applications).
	NotApplicable Status = "NOT_APPLICABLE"
)

var statuses = []Status{Perturbed, Confidential, Official, NotApplicable}

// MarshalGQL writes the status as a GraphQL enum value.
func (s Status) MarshalGQL(w io.Writer) { _, _ = io.WriteString(w, strconv.Quote(string(s))) }

// UnmarshalGQL reads a GraphQL enum value, refusing anything but the four statuses.
func (s *Status) UnmarshalGQL(v any) error {
	str, ok := v.(string)
	if !ok {
		return fmt.Errorf("enum value must be a string, not %T", v)
	}
	if !slices.Contains(statuses, Status(str)) {
		return fmt.Errorf("unknown status %q (allowed: %v)", str, statuses)
	}
	*s = Status(str)
	return nil
}

// Measure is every number the portal publishes: the value (nil when withheld or not
// applicable), its status, and an optional note for users. One type for all of them
// keeps "is this exact?" answerable the same way everywhere in the API.
//
// Note is the note in English. NoteMsg, when set, is the same note kept as its format
// and arguments, so that NoteIn can write it in German or French; a constant note needs
// none, since the catalog translates it as it stands.
type Measure struct {
	Value   *float64
	Status  Status
	Note    *string
	NoteMsg i18n.Msg `json:"-"`
}

// NoteIn returns the note in language l: from NoteMsg when set, else the English note
// translated by the catalog (kept as it stands where the catalog lacks it, such as the
// source of an official figure). Nil when the measure has no note.
func (m Measure) NoteIn(l i18n.Lang) *string {
	if m.Note == nil {
		return nil
	}
	s := i18n.Translate(l, *m.Note)
	if !m.NoteMsg.IsZero() {
		s = m.NoteMsg.String(l)
	}
	return &s
}

// WithNote returns m with the note msg (and its English text as Note).
func (m Measure) WithNote(msg i18n.Msg) Measure {
	note := msg.String(i18n.EN)
	m.Note, m.NoteMsg = &note, msg
	return m
}

// NotApplicableMsg is NotApplicableMeasure with a note of arguments.
func NotApplicableMsg(msg i18n.Msg) Measure {
	return Measure{Status: NotApplicable}.WithNote(msg)
}

// OfficialFigure returns an exact figure already published by an authority, with
// its source as the note. Such figures need no protection: they are public already.
func OfficialFigure(v float64, source string) Measure {
	return Measure{Value: &v, Status: Official, Note: &source}
}

// NotApplicableMeasure returns a measure with no value where none makes sense, with a
// note saying why, so a missing figure is never mistaken for a withheld one.
func NotApplicableMeasure(note string) Measure {
	return Measure{Status: NotApplicable, Note: &note}
}

func perturbed(v float64) Measure { return Measure{Value: &v, Status: Perturbed} }

func withheld(note string) Measure { return Measure{Status: Confidential, Note: &note} }

func withheldMsg(note i18n.Msg) Measure { return Measure{Status: Confidential}.WithNote(note) }
