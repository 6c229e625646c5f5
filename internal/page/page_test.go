package page

import (
	"testing"

	"github.com/dualuse-transparency/portal/internal/apperr"
)

func ptr[T any](v T) *T { return &v }

func TestSize(t *testing.T) {
	tests := []struct {
		name    string
		first   *int
		want    int
		wantErr bool
	}{
		{name: "default", first: nil, want: 50},
		{name: "one", first: ptr(1), want: 1},
		{name: "at the limit", first: ptr(500), want: 500},
		{name: "over the limit", first: ptr(501), wantErr: true},
		{name: "zero", first: ptr(0), wantErr: true},
		{name: "negative", first: ptr(-3), wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Size(tt.first, 50, 500)
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Fatalf("Size = %d, %v; want %d, error %v", got, err, tt.want, tt.wantErr)
			}
			if err != nil && apperr.CodeOf(err) != apperr.Invalid {
				t.Fatalf("error code %s, want %s", apperr.CodeOf(err), apperr.Invalid)
			}
		})
	}
}

func TestCursorRoundTrip(t *testing.T) {
	tests := []struct {
		name    string
		kind    string
		cursor  *string
		want    string
		wantErr bool
	}{
		{name: "no cursor is the first page", kind: "ce", cursor: nil, want: ""},
		{name: "round trip", kind: "ce", cursor: ptr(Encode("ce", "5A001.j")), want: "5A001.j"},
		{name: "key with colon", kind: "ce", cursor: ptr(Encode("ce", "a:b")), want: "a:b"},
		{name: "other list's cursor", kind: "ce", cursor: ptr(Encode("country", "EG")), wantErr: true},
		{name: "not base64", kind: "ce", cursor: ptr("%%%"), wantErr: true},
		{name: "empty string", kind: "ce", cursor: ptr(""), wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Decode(tt.kind, tt.cursor)
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Fatalf("Decode = %q, %v; want %q, error %v", got, err, tt.want, tt.wantErr)
			}
		})
	}
}
