package release

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// writeDecisions writes a release of n decision rows shaped like the demo data: ten
// years, about 1.3 rows a decision, 1 in 40 denied, a few catch-all denials.
func writeDecisions(tb testing.TB, dir string, n int) {
	tb.Helper()
	data, err := os.ReadFile("testdata/good/release.json")
	if err != nil {
		tb.Fatal(err)
	}
	putFile(tb, dir, metaFile, string(data))
	putFile(tb, dir, figuresFile, "year,scope,metric,value,unit,source_document,source_url,verified\n")
	f, err := os.Create(filepath.Join(dir, decisionsFile))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	w := bufio.NewWriter(f)
	fmt.Fprintln(w, strings.Join(decisionHeader(), ","))
	rnd := rand.New(rand.NewPCG(1, 2))
	for id := 0; n > 0; id++ {
		n -= writeDecision(w, rnd, id, min(n, 1+rnd.IntN(4)/3))
	}
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
}

// writeDecision writes the rows of decision id, one per control entry.
func writeDecision(w *bufio.Writer, rnd *rand.Rand, id, rows int) int {
	states := []string{"DE", "FR", "EL", "SE"}
	dests := []string{"AE", "CN", "EG", "RU", "US"}
	entries := []string{"4A005", "5A001.f", "5A001.j", "5D001.e"}
	day := date("2021-01-01").AddDate(0, 0, rnd.IntN(1400))
	outcome, grounds, catchAll, entry := "ISSUED", "", "false", rnd.IntN(len(entries))
	switch rnd.IntN(40) {
	case 0:
		outcome, grounds = "DENIED", "CRITERION_2;CRITERION_7"
	case 1:
		outcome, grounds, catchAll = "DENIED", "CYBER_SURVEILLANCE", "true"
	}
	state, dest := states[rnd.IntN(len(states))], dests[rnd.IntN(len(dests))]
	for r := range rows {
		fmt.Fprintf(w, "D-%07d,%s,%s,INDIVIDUAL,%s,%s,COMMERCIAL,%s,%d.%02d,EXP-%04d,%s,%s\n",
			id, state, day.Format(time.DateOnly), outcome, dest, entries[(entry+r)%len(entries)],
			rnd.IntN(5_000_000), rnd.IntN(100), id%3000, grounds, catchAll)
	}
	return rows
}

// BenchmarkRead reads a release of 100,000 rows in one piece and in parts (one per
// core, as Read does from partsMinBytes on).
func BenchmarkRead(b *testing.B) {
	const rows = 100_000
	dir := b.TempDir()
	writeDecisions(b, dir, rows)
	ref := testRef()
	defer func(min int64) { partsMinBytes = min }(partsMinBytes)
	for _, bc := range []struct {
		name string
		min  int64
	}{{"one-piece", 1 << 62}, {"in-parts", 0}} {
		b.Run(bc.name, func(b *testing.B) {
			partsMinBytes = bc.min
			for b.Loop() {
				rel, err := Read(dir, ref)
				if err != nil {
					b.Fatal(err)
				}
				if len(rel.Decisions) != rows {
					b.Fatalf("%d decisions, want %d", len(rel.Decisions), rows)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*rows), "ns/row")
		})
	}
}
