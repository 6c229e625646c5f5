package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

// verdict is what an attack says of the portal's promise.
type verdict string

const (
	verdictHolds  verdict = "HOLDS"   // the attack stayed within its threshold
	verdictBroken verdict = "BROKEN"  // the attack succeeded beyond its threshold: the portal fails
	verdictNotRun verdict = "NOT RUN" // nothing to attack (no revised release)
	verdictInfo   verdict = "-"       // not an attack (reconnaissance)
)

// result is what an attack found.
type result struct {
	name      string
	targets   int
	summary   string // the figure the verdict rests on, against the threshold
	threshold string
	verdict   verdict
	figures   []figure
	notes     []string
	cnt       *counter
	elapsed   time.Duration
	err       error
}

type figure struct{ name, value string }

func (r *result) figuref(name, format string, args ...any) {
	r.figures = append(r.figures, figure{name, fmt.Sprintf(format, args...)})
}

func (r *result) notef(format string, args ...any) {
	r.notes = append(r.notes, fmt.Sprintf(format, args...))
}

// judge sets the verdict: broken when the attack succeeded beyond its threshold.
func (r *result) judge(broken bool, summary string) {
	r.verdict, r.summary = verdictHolds, summary
	if broken {
		r.verdict = verdictBroken
	}
}

func (r *result) verdictLine() string {
	if r.err != nil {
		return "ERROR: " + r.err.Error()
	}
	return fmt.Sprintf("%s: %s (queries %d, refused %d, targets %d, %s)", r.verdict, r.summary,
		r.cnt.sent.Load(), r.cnt.refused.Load(), r.targets, r.elapsed.Round(time.Second))
}

// report is a run of the suite.
type report struct {
	options  options
	target   *target
	results  []*result
	started  time.Time
	finished time.Time
}

// broken names the attacks that broke a promise.
func (r *report) broken() []string {
	var out []string
	for _, res := range r.results {
		if res.verdict == verdictBroken {
			out = append(out, res.name)
		}
	}
	return out
}

// failed joins the errors of attacks that could not run.
func (r *report) failed() error {
	var errs []error
	for _, res := range r.results {
		if res.err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", res.name, res.err))
		}
	}
	return errors.Join(errs...)
}

// print writes a verdict line and the figures of each attack.
func (r *report) print(w io.Writer) {
	for _, res := range r.results {
		if res.verdict == verdictInfo {
			fmt.Fprintf(w, "== %s: queries %d, refused %d\n", res.name, res.cnt.sent.Load(), res.cnt.refused.Load())
		} else {
			fmt.Fprintf(w, "== %s: %s\n", res.name, res.verdictLine())
			fmt.Fprintf(w, "   threshold: %s\n", res.threshold)
		}
		for _, f := range res.figures {
			fmt.Fprintf(w, "   %s: %s\n", f.name, f.value)
		}
		for _, n := range res.notes {
			fmt.Fprintf(w, "   note: %s\n", n)
		}
	}
	q, refused, http := r.totals()
	fmt.Fprintf(w, "== total: %d queries (%d HTTP requests), %d refused, %s\n", q, http, refused, r.finished.Sub(r.started).Round(time.Second))
}

func (r *report) totals() (queries, refused, http int64) {
	for _, res := range r.results {
		queries += res.cnt.sent.Load()
		refused += res.cnt.refused.Load()
		http += res.cnt.http.Load()
	}
	return queries, refused, http
}

// The markers of the generated section of the report file; a run replaces what is
// between them and keeps the rest of the file, written by hand.
const (
	beginMarker = "<!-- BEGIN GENERATED REPORT (attack/run rewrites this section; edit outside it) -->"
	endMarker   = "<!-- END GENERATED REPORT -->"
)

// write puts the report in its file: the generated section of docs/attack-suite.md,
// or a temp file for --smoke.
func (r *report) write(o options) error {
	section := beginMarker + "\n" + r.markdown() + endMarker + "\n"
	path := o.out
	if path == "" && o.smoke {
		f, err := os.CreateTemp("", "attack-suite-smoke-*.md")
		if err != nil {
			return err
		}
		defer f.Close()
		logf("report written to a temp file, %s", filepath.Base(f.Name()))
		_, err = f.WriteString("# Attack suite: smoke run\n\n" + section)
		return err
	}
	if path == "" {
		path = filepath.Join("docs", "attack-suite.md")
	}
	old, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	logf("report written to %s", path)
	return os.WriteFile(path, []byte(replaceSection(string(old), section)), 0o644)
}

// replaceSection puts the generated section in place of the one between the markers,
// or at the end when there is none.
func replaceSection(doc, section string) string {
	begin := strings.Index(doc, beginMarker)
	end := strings.Index(doc, endMarker)
	if begin < 0 || end < begin {
		if doc == "" {
			return "# Attack suite\n\n" + section
		}
		return strings.TrimRight(doc, "\n") + "\n\n" + section
	}
	rest := strings.TrimPrefix(doc[end+len(endMarker):], "\n")
	return doc[:begin] + section + rest
}

// markdown is the generated section.
func (r *report) markdown() string {
	var b strings.Builder
	q, refused, http := r.totals()
	fmt.Fprintf(&b, "Run of %s, `%s`: %s, %d CPUs. Setup: %s.\n\n", r.started.UTC().Format("2006-01-02 15:04 MST"),
		r.options.command, runtime.GOOS+"/"+runtime.GOARCH, runtime.NumCPU(), r.target.where)
	fmt.Fprintf(&b, "%s; %d queries (table requests; %d HTTP requests), %d refused by the API, %s in all.\n\n",
		r.size(), q, http, refused, r.finished.Sub(r.started).Round(time.Second))
	b.WriteString("| attack | verdict | figure | threshold (fails the portal) | queries | refused | targets | time |\n")
	b.WriteString("| --- | --- | --- | --- | ---: | ---: | ---: | ---: |\n")
	for _, res := range r.results {
		if res.verdict == verdictInfo {
			continue
		}
		v, summary := string(res.verdict), res.summary
		if res.err != nil {
			v, summary = "ERROR", res.err.Error()
		}
		fmt.Fprintf(&b, "| %s | **%s** | %s | %s | %d | %d | %d | %s |\n", res.name, v, mdCell(summary), mdCell(res.threshold),
			res.cnt.sent.Load(), res.cnt.refused.Load(), res.targets, res.elapsed.Round(time.Second))
	}
	for _, res := range r.results {
		r.markdownDetail(&b, res)
	}
	return b.String()
}

// size says what was attacked: the release, its size and its revision.
func (r *report) size() string {
	what := fmt.Sprintf("Release `%s` (%d decisions", r.target.release, r.target.attacked)
	switch {
	case r.options.portalURL != "":
		what += ", as served)"
	case r.target.decisions == 0:
		what += ", synthetic, the demo's calibrated size)"
	default:
		what += ", synthetic)"
	}
	if r.target.revised != "" {
		what += fmt.Sprintf(" and its revision `%s`", r.target.revised)
	}
	return what
}

func (r *report) markdownDetail(b *strings.Builder, res *result) {
	fmt.Fprintf(b, "\n### %s\n\n", res.name)
	for _, f := range res.figures {
		fmt.Fprintf(b, "- %s: %s\n", f.name, f.value)
	}
	for _, n := range res.notes {
		fmt.Fprintf(b, "- note: %s\n", n)
	}
	if res.err != nil {
		fmt.Fprintf(b, "- error: %s\n", mdCell(res.err.Error()))
	}
}

// mdCell keeps a text on one line of a markdown table.
func mdCell(s string) string {
	return strings.NewReplacer("|", "\\|", "\n", " ").Replace(s)
}
