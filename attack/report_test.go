package main

import (
	"strings"
	"testing"
)

func TestReplaceSection(t *testing.T) {
	section := beginMarker + "\nnew\n" + endMarker + "\n"
	tests := []struct {
		name string
		doc  string
		want string
	}{
		{name: "no file", doc: "", want: "# Attack suite\n\n" + section},
		{name: "no section yet", doc: "# Title\n\nHand-written.\n", want: "# Title\n\nHand-written.\n\n" + section},
		{name: "a section replaced, the rest kept", doc: "# Title\n\n" + beginMarker + "\nold\n" + endMarker + "\n\n## Notes\n",
			want: "# Title\n\n" + section + "\n## Notes\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := replaceSection(tt.doc, section); got != tt.want {
				t.Fatalf("replaceSection:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
}

func TestBroken(t *testing.T) {
	cnt := &counter{}
	r := &report{results: []*result{
		{name: "1. A", verdict: verdictHolds, cnt: cnt},
		{name: "2. B", verdict: verdictBroken, cnt: cnt},
		{name: "6. C", verdict: verdictNotRun, cnt: cnt},
	}}
	if got := strings.Join(r.broken(), ","); got != "2. B" {
		t.Fatalf("broken = %q, want 2. B", got)
	}
	if r.failed() != nil {
		t.Fatalf("failed = %v, want nil", r.failed())
	}
}
