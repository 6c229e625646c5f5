package disclosure

import (
	"testing"

	"github.com/dualuse-transparency/portal/internal/i18n"
)

func TestNoteIn(t *testing.T) {
	p, err := New(DefaultPolicy())
	if err != nil {
		t.Fatal(err)
	}
	small := p.Count(0, 12345)
	if small.Status != Confidential || *small.Note != "withheld: fewer than 3 (perturbed count)" {
		t.Fatalf("Count(0) = %+v %q, want withheld with the English note", small, *small.Note)
	}
	for l, want := range map[i18n.Lang]string{
		i18n.EN: "withheld: fewer than 3 (perturbed count)",
		i18n.DE: "zurückgehalten: weniger als 3 (verrauschte Zahl)",
		i18n.FR: "non publié : moins de 3 (nombre perturbé)",
	} {
		if got := small.NoteIn(l); got == nil || *got != want {
			t.Errorf("NoteIn(%s) = %v, want %q", l, got, want)
		}
	}
	// A withheld value: the policy's parameters are the arguments.
	v := p.Value(ValueCell{Count: perturbed(1)})
	if got := *v.NoteIn(i18n.DE); got != "zurückgehalten: weniger als 6 Entscheidungen oder 3 Ausführer in dieser Zelle, oder ein Ausführer macht mehr als 85 % davon aus" {
		t.Errorf("withheld value in DE = %q", got)
	}
	// A constant note (a rate's) is translated as it stands; an official figure's
	// source is data and stays as recorded.
	rate := p.Rate(perturbed(5), perturbed(10))
	if got := *rate.NoteIn(i18n.FR); got != "calculé à partir de nombres perturbés" {
		t.Errorf("rate note in FR = %q", got)
	}
	official := OfficialFigure(10, "Commission report, table 2")
	if got := *official.NoteIn(i18n.DE); got != "Commission report, table 2" {
		t.Errorf("official source in DE = %q", got)
	}
	if (Measure{Status: Perturbed}).NoteIn(i18n.DE) != nil {
		t.Error("a measure without a note has one in DE")
	}
	// The kept message compares by content.
	if again := p.Count(0, 12345); again.NoteMsg != small.NoteMsg || again.NoteMsg.IsZero() {
		t.Error("two equal notes compare unequal")
	}
}
