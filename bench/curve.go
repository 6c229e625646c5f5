package main

import (
	"fmt"
	"strings"
	"time"
)

// writeCurve writes the curve: each figure at every size, a table per measure, so
// that a reader sees how cost grows with the data; and the targets of the largest
// size (issue 16): each query within twice its figure at the reference size, the
// import within 30 s per million decisions, the serving process within 200 MB.
func (r *report) writeCurve(b *strings.Builder) {
	ref, top := r.sizeResult, r.top()
	refN, topN := thousands(float64(ref.decisions)), thousands(float64(top.decisions))
	header := func(first string, extra ...string) {
		fmt.Fprintf(b, "| %s |", first)
		for _, s := range r.curve {
			fmt.Fprintf(b, " %s |", thousands(float64(s.decisions)))
		}
		for _, e := range extra {
			fmt.Fprintf(b, " %s |", e)
		}
		fmt.Fprintf(b, "\n| --- |%s%s\n", strings.Repeat(" ---: |", len(r.curve)), strings.Repeat(" --- |", len(extra)))
	}
	perQuery := func(title, intro string, cell func(q queryResult) string, extra []string, tail func(id string) []string) {
		fmt.Fprintf(b, "\n### %s\n\n%s\n\n", title, intro)
		header("query", extra...)
		for _, q := range ref.results {
			fmt.Fprintf(b, "| %s |", q.label())
			for _, s := range r.curve {
				at, ok := r.resultOf(s, q.spec.id)
				switch {
				case !ok:
					fmt.Fprintf(b, " – |")
				case at.failure != "":
					fmt.Fprintf(b, " **failed** |")
				default:
					fmt.Fprintf(b, " %s |", cell(at))
				}
			}
			if tail != nil {
				for _, t := range tail(q.spec.id) {
					fmt.Fprintf(b, " %s |", t)
				}
			}
			fmt.Fprintf(b, "\n")
		}
	}

	fmt.Fprintf(b, "\n## The curve\n\n")
	fmt.Fprintf(b, "The same benchmark at every size, each on a database of its own, one after the other on this\n")
	fmt.Fprintf(b, "machine. The targets of DESIGN section 7 are checked at %s above; here, at %s: each query's\n", refN, topN)
	fmt.Fprintf(b, "uncached median at most %.0f × its median at %s, the import within %s per %s decisions\n",
		maxGrowth, refN, seconds(importTarget), thousands(importTargetN))
	fmt.Fprintf(b, "(%s at %s), and the serving process within %s at every size.\n", seconds(topImportTarget(top)), topN, mb(maxRSSBytes))

	fmt.Fprintf(b, "\n### Import and database size\n\n")
	fmt.Fprintf(b, "`portal import` end to end; the database after it (`pg_database_size`), the decisions (every\n")
	fmt.Fprintf(b, "partition: table, then indexes), the precomputed cells (`release_cells`, when the import\n")
	fmt.Fprintf(b, "fills one) and every other table.\n\n")
	fmt.Fprintf(b, "| decisions | import | target | met? | database | decisions: table | decisions: indexes | release_cells | other tables |\n")
	fmt.Fprintf(b, "| ---: | ---: | --- | --- | ---: | ---: | ---: | ---: | ---: |\n")
	for _, s := range r.curve {
		target, verdictText := "", ""
		if s.decisions == ref.decisions || s.decisions == top.decisions {
			t, what := s.importTarget()
			target, verdictText = what, verdict(s.importMisses(t), "")
		}
		decisions, _ := s.dbSize.relation("decisions")
		cells, hasCells := s.dbSize.relation("release_cells")
		cellsText := "–"
		if hasCells {
			cellsText = mb(cells.total())
		}
		var other int64
		for _, rel := range s.dbSize.relations {
			if rel.name != "decisions" && rel.name != "release_cells" {
				other += rel.total()
			}
		}
		fmt.Fprintf(b, "| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", thousands(float64(s.decisions)), seconds(s.data.imported),
			target, verdictText, mb(s.dbSize.total), mb(decisions.table), mb(decisions.indexes), cellsText, mb(other))
	}

	perQuery("Uncached: server median",
		fmt.Sprintf("Sequential distinct documents, as in \"Uncached\" above; the target at %s is at most %.0f × the median at %s.", topN, maxGrowth, refN),
		func(q queryResult) string { return ms(q.uncached.median()) },
		[]string{fmt.Sprintf("%s ÷ %s", topN, refN), "target", "met?"},
		func(id string) []string {
			q, ok1 := r.resultOf(top, id)
			rq, ok2 := r.resultOf(ref, id)
			if !ok1 || !ok2 || q.failure != "" || rq.failure != "" || rq.uncached.median() == 0 {
				return []string{"–", "", ""}
			}
			growth := float64(q.uncached.median()) / float64(rq.uncached.median())
			return []string{fmt.Sprintf("%.2f", growth), fmt.Sprintf("≤ %.0f × (%s)", maxGrowth,
				ms(time.Duration(maxGrowth*float64(rq.uncached.median())))), verdict(r.growthMisses(q), "")}
		})

	perQuery("SQL median",
		"The captured SQL replayed, as in \"Uncached\" above; for a precomputed answer, the lookup and then, in\n"+
			"brackets, the SQL without precomputation (the aggregation a user would have to write).",
		func(q queryResult) string {
			if q.source == precomputed {
				return fmt.Sprintf("%s (%s)", ms(q.sql.median()), ms(q.aggSQL.median()))
			}
			return ms(q.sql.median())
		}, nil, nil)

	perQuery("Uncached: server over SQL",
		fmt.Sprintf("The ratio of \"Uncached\" above (against the SQL without precomputation where the answer is precomputed); target ≤ %.1f.", maxRatio),
		func(q queryResult) string { return q.ratioText() }, nil, nil)

	for _, l := range []struct {
		title string
		get   func(q queryResult) loadResult
	}{{"Repeated identical query, uncompressed: requests/s and median", func(q queryResult) loadResult { return q.load }},
		{"Repeated identical query, gzip: requests/s and median", func(q queryResult) loadResult { return q.loadGzip }}} {
		perQuery(l.title, fmt.Sprintf("As in \"Repeated identical query\" above; target ≥ %s req/s, median < %s.", thousands(minRate), ms(maxCachedP50)),
			func(q queryResult) string {
				lr := l.get(q)
				return fmt.Sprintf("%s req/s, %s", thousands(lr.rate), ms(lr.median))
			}, nil, nil)
	}

	fmt.Fprintf(b, "\n### Serving memory\n\n")
	fmt.Fprintf(b, "`portal serve` at each size: the peak (VmHWM, the target), the largest VmRSS sampled every 100 ms,\n")
	fmt.Fprintf(b, "VmRSS when ready and after the measurements.\n\n")
	fmt.Fprintf(b, "| decisions | peak (VmHWM) | largest sampled | when ready | after | target | met? |\n")
	fmt.Fprintf(b, "| ---: | ---: | ---: | ---: | ---: | --- | --- |\n")
	for _, s := range r.curve {
		fmt.Fprintf(b, "| %s | %s | %s | %s | %s | ≤ %s | %s |\n", thousands(float64(s.decisions)), s.memoryText(s.mem.hwm),
			s.memoryText(s.mem.maxRSS), s.memoryText(s.mem.ready), s.memoryText(s.mem.after), mb(maxRSSBytes), verdict(s.memoryMisses(), ""))
	}

	fmt.Fprintf(b, "\n### The explore page's first view, cold\n\n")
	fmt.Fprintf(b, "As in \"The explore page's first view\" above, at each size: its requests, their total one after\n")
	fmt.Fprintf(b, "the other and as the page makes them, and the bytes on the wire.\n\n")
	fmt.Fprintf(b, "| decisions | requests | sequential | concurrent | size |\n| ---: | ---: | ---: | ---: | ---: |\n")
	for _, s := range r.curve {
		if s.firstViewErr != nil {
			fmt.Fprintf(b, "| %s | **failed** | | | |\n", thousands(float64(s.decisions)))
			continue
		}
		wire, decoded := 0, 0
		for _, q := range s.firstView.sequential {
			wire, decoded = wire+q.wire, decoded+q.decoded
		}
		fmt.Fprintf(b, "| %s | %d | %s | %s | %s |\n", thousands(float64(s.decisions)), len(s.firstView.sequential),
			ms(s.firstView.seqTotal.median()), ms(s.firstView.wallTotal.median()), sizeText(wire, decoded))
	}
}

// topImportTarget is the import target at the largest size.
func topImportTarget(top sizeResult) time.Duration {
	t, _ := top.importTarget()
	return t
}
