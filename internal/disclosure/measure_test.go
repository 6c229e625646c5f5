package disclosure

import (
	"bytes"
	"testing"
)

func TestStatusGraphQL(t *testing.T) {
	tests := []struct {
		name    string
		in      any
		want    Status
		wantErr bool
	}{
		{name: "perturbed", in: "PERTURBED", want: Perturbed},
		{name: "confidential", in: "CONFIDENTIAL", want: Confidential},
		{name: "official", in: "OFFICIAL", want: Official},
		{name: "not applicable", in: "NOT_APPLICABLE", want: NotApplicable},
		{name: "unknown", in: "SUPPRESSED", wantErr: true},
		{name: "lower case", in: "official", wantErr: true},
		{name: "empty", in: "", wantErr: true},
		{name: "not a string", in: 1, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got Status
			err := got.UnmarshalGQL(tt.in)
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Fatalf("UnmarshalGQL(%v) = %q, %v; want %q, error %v", tt.in, got, err, tt.want, tt.wantErr)
			}
			if err != nil {
				return
			}
			var buf bytes.Buffer
			got.MarshalGQL(&buf)
			if want := `"` + tt.in.(string) + `"`; buf.String() != want {
				t.Fatalf("MarshalGQL(%s) = %s, want %s", got, buf.String(), want)
			}
		})
	}
}

func TestMeasureConstructors(t *testing.T) {
	tests := []struct {
		name       string
		m          Measure
		wantStatus Status
		wantValue  *float64
		wantNote   string
	}{
		{name: "official", m: OfficialFigure(1234, "BAFA annual report 2023"),
			wantStatus: Official, wantValue: ptr(1234.0), wantNote: "BAFA annual report 2023"},
		{name: "not applicable", m: NotApplicableMeasure("no applications"),
			wantStatus: NotApplicable, wantNote: "no applications"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := tt.m
			if m.Status != tt.wantStatus || m.Note == nil || *m.Note != tt.wantNote ||
				(m.Value == nil) != (tt.wantValue == nil) || m.Value != nil && *m.Value != *tt.wantValue {
				t.Fatalf("got %+v, want %s %v %q", m, tt.wantStatus, tt.wantValue, tt.wantNote)
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }
