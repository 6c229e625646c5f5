package scalars

import (
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/dualuse-transparency/portal/internal/apperr"
)

func TestUnmarshalInt(t *testing.T) {
	ok := []struct {
		in   any
		want int
	}{
		{int64(2022), 2022},
		{json.Number("2147483647"), math.MaxInt32},
		{int64(math.MinInt32), math.MinInt32},
	}
	for _, tt := range ok {
		if got, err := UnmarshalInt(tt.in); err != nil || got != tt.want {
			t.Errorf("UnmarshalInt(%#v) = %d, %v; want %d", tt.in, got, err, tt.want)
		}
	}
	for _, in := range []any{int64(math.MaxInt32 + 1), int64(math.MinInt32 - 1), json.Number("99999999999999999999"), json.Number("2022.5"), "x", "42", 1.5, true} {
		if got, err := UnmarshalInt(in); apperr.CodeOf(err) != apperr.Invalid {
			t.Errorf("UnmarshalInt(%#v) = %d, %v; want INVALID_INPUT", in, got, err)
		}
	}
}

func TestUnmarshalText(t *testing.T) {
	for name, read := range map[string]func(any) (string, error){"String": UnmarshalString, "ID": UnmarshalID} {
		for _, in := range []string{"", "5A001.j", "Ελλάδα", strings.Repeat("é", MaxStringLength/2)} {
			if got, err := read(in); err != nil || got != in {
				t.Errorf("Unmarshal%s(%.40q) = %.40q, %v; want it back", name, in, got, err)
			}
		}
		for _, in := range []string{"\x00", "G\x00R", "\xff", strings.Repeat("A", MaxStringLength+1), strings.Repeat("A", 666_000)} {
			_, err := read(in)
			if apperr.CodeOf(err) != apperr.Invalid {
				t.Errorf("Unmarshal%s(%.40q): %v, want INVALID_INPUT", name, in, err)
			} else if len(err.Error()) > 200 {
				t.Errorf("Unmarshal%s of %d bytes: a %d-byte message", name, len(in), len(err.Error()))
			}
		}
	}
}
