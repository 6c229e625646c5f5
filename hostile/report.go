package main

import (
	"fmt"
	"runtime"
	"strings"
	"time"
)

// check is one measured claim of an item.
type check struct {
	what    string // what was tried and what HOLDS means
	holds   bool
	measure string // what was measured
	notRun  string // why it could not be tried; then it counts neither way
}

// result is one item of the issue: its checks.
type result struct {
	n      int
	name   string
	checks []check
	notes  []string
	err    error // the suite failed (not the server): no verdict
	took   time.Duration
}

func (r *result) add(what string, holds bool, format string, args ...any) {
	r.checks = append(r.checks, check{what: what, holds: holds, measure: fmt.Sprintf(format, args...)})
}

func (r *result) skip(what, why string) {
	r.checks = append(r.checks, check{what: what, notRun: why})
}

func (r *result) notef(format string, args ...any) {
	r.notes = append(r.notes, fmt.Sprintf(format, args...))
}

func (r *result) broken() bool {
	for _, c := range r.checks {
		if c.notRun == "" && !c.holds {
			return true
		}
	}
	return false
}

func (r *result) verdict() string {
	switch {
	case r.err != nil:
		return "FAILED TO RUN"
	case r.broken():
		return "**BROKEN**"
	}
	for _, c := range r.checks {
		if c.notRun == "" {
			return "HOLDS"
		}
	}
	return "NOT RUN"
}

type report struct {
	o                 options
	results           []*result
	started, finished time.Time
}

func cell(s string) string { return strings.ReplaceAll(strings.ReplaceAll(s, "|", `\|`), "\n", " ") }

func (r report) markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Run of %s, `%s`: %s/%s, %d CPUs, %s in all.\n\n", r.started.UTC().Format("2006-01-02 15:04 UTC"),
		r.o.command, runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), r.finished.Sub(r.started).Round(time.Second))
	b.WriteString("| item | verdict | time |\n| --- | --- | ---: |\n")
	for _, res := range r.results {
		fmt.Fprintf(&b, "| %s | %s | %s |\n", res.name, res.verdict(), res.took.Round(100*time.Millisecond))
	}
	for _, res := range r.results {
		fmt.Fprintf(&b, "\n### %s: %s\n\n", res.name, res.verdict())
		if res.err != nil {
			fmt.Fprintf(&b, "- the suite failed: %s\n", cell(res.err.Error()))
		}
		if len(res.checks) > 0 {
			b.WriteString("| check | verdict | measured |\n| --- | --- | --- |\n")
		}
		for _, c := range res.checks {
			v := "HOLDS"
			switch {
			case c.notRun != "":
				v, c.measure = "NOT RUN", c.notRun
			case !c.holds:
				v = "**BROKEN**"
			}
			fmt.Fprintf(&b, "| %s | %s | %s |\n", cell(c.what), v, cell(c.measure))
		}
		for _, n := range res.notes {
			fmt.Fprintf(&b, "- %s\n", cell(n))
		}
	}
	return b.String()
}
