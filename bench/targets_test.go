package main

import (
	"fmt"
	"slices"
	"testing"
	"time"
)

// TestLoadMisses checks what a missed load phase says, and that it says the bare server
// missed too exactly when the bare server's own figures are under a target.
func TestLoadMisses(t *testing.T) {
	bare := func(rate float64, median time.Duration) *bareResult {
		return &bareResult{rate: rate, runs: []float64{rate}, median: median, portal: 9000, portalRuns: []float64{9000}}
	}
	const (
		short     = "9,000 req/s, 1,000 short of 10,000 (90.0 % of it)"
		bareLine  = "a bare Go HTTP server sending the same 318.6 kB under the same load, its runs alternated with as many more of the portal: %s req/s (runs: %s), median %s; the portal in those runs 9,000 req/s (runs: 9,000), %s %% of the bare server's rate"
		slowBare  = "the bare server missed the target too (6,000 req/s): this machine's ceiling for this answer under this load"
		lateBare  = "the bare server missed the target too (a median of 2.50 ms): this machine's ceiling for this answer under this load"
		bothBare  = "the bare server missed the target too (6,000 req/s, a median of 2.50 ms): this machine's ceiling for this answer under this load"
		fastBareM = 300 * time.Microsecond
	)
	for _, tc := range []struct {
		name string
		load loadResult
		want []string
	}{
		{"met", loadResult{encoding: "identity", rate: 12000, median: fastBareM, bytes: 318600}, nil},
		{"met, a bare result ignored", loadResult{encoding: "identity", rate: 12000, median: fastBareM, bytes: 318600, bare: bare(6000, fastBareM)}, nil},
		{"missed, no bare server run", loadResult{encoding: "identity", rate: 9000, median: fastBareM, bytes: 318600}, []string{short}},
		{"missed, the bare server over the target", loadResult{encoding: "identity", rate: 9000, median: fastBareM, bytes: 318600, bare: bare(11000, fastBareM)},
			[]string{short, fmt.Sprintf(bareLine, "11,000", "11,000", "0.30 ms", "82")}},
		{"missed, the bare server under the rate", loadResult{encoding: "identity", rate: 9000, median: fastBareM, bytes: 318600, bare: bare(6000, fastBareM)},
			[]string{short, fmt.Sprintf(bareLine, "6,000", "6,000", "0.30 ms", "150"), slowBare}},
		{"missed, the bare server's median too long", loadResult{encoding: "identity", rate: 9000, median: fastBareM, bytes: 318600, bare: bare(11000, 2500*time.Microsecond)},
			[]string{short, fmt.Sprintf(bareLine, "11,000", "11,000", "2.50 ms", "82"), lateBare}},
		{"missed, the bare server under both", loadResult{encoding: "identity", rate: 9000, median: fastBareM, bytes: 318600, bare: bare(6000, 2500*time.Microsecond)},
			[]string{short, fmt.Sprintf(bareLine, "6,000", "6,000", "2.50 ms", "150"), bothBare}},
		{"no load phase", loadResult{}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.load.misses(); !slices.Equal(got, tc.want) {
				t.Errorf("misses:\n got %q\nwant %q", got, tc.want)
			}
		})
	}
}
