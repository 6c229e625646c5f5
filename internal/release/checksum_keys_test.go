package release

import (
	"fmt"
	"strings"
	"testing"
)

// Keys derived in a row with one RecordKeys are the keys RecordKey derives one by one.
func TestRecordKeysReused(t *testing.T) {
	key := []byte("operator key, 32 bytes or more.....")
	r := NewRecordKeys(key)
	for i := range 50 {
		content := fmt.Sprintf("decision %d|DE|2024-01-0%d", i, i%9+1)
		if got, want := r.Of(content), RecordKey(key, content); got != want {
			t.Fatalf("%q: %d in a row, %d alone", content, got, want)
		}
	}
	if NewRecordKeys([]byte("another key......................")).Of("x") == r.Of("x") {
		t.Error("two operator keys give one record key")
	}
}

// DecisionContent writes each line's entry as fmt's "%s=%t:%.2f" did, so record keys
// derived before stay as they were.
func TestDecisionContentLineFormat(t *testing.T) {
	for _, v := range []float64{0, 0.005, 1.5, 12345.675, 1e9 + 0.01, 99.999} {
		for _, known := range []bool{true, false} {
			lines := []Decision{{DecisionID: "D1", ControlEntry: "5A001.j", ValueKnown: known, ValueEUR: v}}
			got := DecisionContent(lines)
			want := fmt.Sprintf("%s=%t:%.2f", "5A001.j", known, v)
			if !strings.HasSuffix(got, "\x1f"+want) {
				t.Errorf("%v %v: %q; want it to end with %q", known, v, got, want)
			}
		}
	}
}
