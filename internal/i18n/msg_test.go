package i18n

import (
	"fmt"
	"testing"
)

func TestMsg(t *testing.T) {
	inner := M("fewer than %d", 3)
	m := Join(M("withheld: fewer than %d (perturbed count)", 3),
		M("sum of the known values only: %s decisions in this cell (perturbed count) have no value, in whole or in part", inner))
	want := map[Lang]string{
		EN: "withheld: fewer than 3 (perturbed count); sum of the known values only: fewer than 3 decisions in this cell (perturbed count) have no value, in whole or in part",
		DE: "zurückgehalten: weniger als 3 (verrauschte Zahl); nur Summe der bekannten Werte: weniger als 3 Entscheidungen in dieser Zelle (verrauschte Zahl) haben ganz oder teilweise keinen Wert",
		FR: "non publié : moins de 3 (nombre perturbé) ; somme des seules valeurs connues : moins de 3 décisions de cette cellule (nombre perturbé) n'ont pas de valeur, en tout ou en partie",
	}
	for l, w := range want {
		if got := m.String(l); got != w {
			t.Errorf("%s: %q\nwant %q", l, got, w)
		}
	}
	// English is fmt.Sprintf of the format, so the English notes are unchanged.
	if got, w := M("no figure for %d to compare with", 2014).String(EN), fmt.Sprintf("no figure for %d to compare with", 2014); got != w {
		t.Errorf("EN = %q, want %q", got, w)
	}
	// Text is data: the same in every language, even when it reads like a format.
	if got := Text("published").String(DE); got != "published" {
		t.Errorf("Text(published) in DE = %q, want it as recorded", got)
	}
	// French reorders arguments by index.
	if got := M("the figures for %d lack %s", 2024, "MT").String(FR); got != "il manque MT dans les chiffres de 2024" {
		t.Errorf("reordered FR = %q", got)
	}
	// Comparable by content, so measures carrying one stay comparable.
	if M("fewer than %d", 3) != inner || M("fewer than %d", 4) == inner || !(Msg{}).IsZero() {
		t.Error("Msg equality is not by content")
	}
	if (Msg{}).String(DE) != "" {
		t.Error("the zero Msg is not empty")
	}
}
