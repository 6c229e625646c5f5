package main

import (
	"cmp"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"time"
)

// revisionPlan is what a revision of the release changes: a denial removed, a value
// raised by 10 %, a destination changed. The test chooses them from the truth; the
// attacker only knows that a revised release exists.
type revisionPlan struct {
	removed  string // a denial, withdrawn from the data
	revalued string // a decision whose value was corrected upwards by 10 %
	moved    string // a decision whose destination was corrected
	newDest  string
}

func (p revisionPlan) String() string {
	return fmt.Sprintf("denial %s removed, value of %s +10 %%, destination of %s set to %s", p.removed, p.revalued, p.moved, p.newDest)
}

// planRevisions picks the three decisions in three different months of the year
// before the release's last: a random denial; a random decision among the 5 % of
// largest known values of its month but not the 1 % largest, so that 10 % of it can
// show in published values rounded to three figures without the decision dominating
// its cells; a random issued decision, moved to the most frequent other destination.
func planRevisions(t *truth, seed uint64) (revisionPlan, error) {
	rng := rand.New(rand.NewPCG(seed, 6))
	last := slices.MaxFunc(t.decisions, func(a, b *decision) int { return a.date.Compare(b.date) }).date.Year()
	year := func(m time.Month) []*decision {
		return slices.DeleteFunc(slices.Clone(t.decisions), func(d *decision) bool {
			return d.date.Year() != last-1 || d.date.Month() != m
		})
	}
	denials := slices.DeleteFunc(year(time.May), func(d *decision) bool { return d.outcome != "DENIED" })
	valued := largestValues(year(time.July), 0.01, 0.05)
	issued := slices.DeleteFunc(year(time.October), func(d *decision) bool { return d.outcome != "ISSUED" })
	if len(denials) == 0 || len(valued) == 0 || len(issued) == 0 {
		return revisionPlan{}, errors.New("the release is too small to revise: no denial in May, value in July or issued decision in October of its last full year")
	}
	p := revisionPlan{removed: pick(rng, denials).id, revalued: pick(rng, valued).id}
	moved := pick(rng, issued)
	p.moved, p.newDest = moved.id, mostFrequentDestination(t, moved.dest)
	return p, nil
}

func pick(rng *rand.Rand, ds []*decision) *decision { return ds[rng.IntN(len(ds))] }

// largestValues are the decisions with a known value among the share `to` of largest
// but not among the share `from`.
func largestValues(ds []*decision, from, to float64) []*decision {
	var known []*decision
	for _, d := range ds {
		if v, ok := d.value(); ok && v > 0 {
			known = append(known, d)
		}
	}
	slices.SortFunc(known, func(a, b *decision) int {
		va, _ := a.value()
		vb, _ := b.value()
		return cmp.Compare(vb, va)
	})
	n := float64(len(known))
	return known[min(len(known), int(n*from)):min(len(known), max(1, int(n*to)))]
}

func mostFrequentDestination(t *truth, not string) string {
	counts := map[string]int{}
	for _, d := range t.decisions {
		if d.dest != not {
			counts[d.dest]++
		}
	}
	best := ""
	for _, k := range sortedKeys(counts) {
		if best == "" || counts[k] > counts[best] {
			best = k
		}
	}
	return best
}

// writeRevision copies the release folder src to dst with the plan applied to its
// decisions and a new id in its release.json.
func writeRevision(src, dst, id string, plan revisionPlan) error {
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return err
	}
	entries, err := os.ReadDir(src)
	if err != nil {
		return err
	}
	for _, f := range entries {
		var err error
		switch f.Name() {
		case "licence_decisions.csv":
			err = reviseDecisions(filepath.Join(src, f.Name()), filepath.Join(dst, f.Name()), plan)
		case "release.json":
			err = reviseMeta(filepath.Join(src, f.Name()), filepath.Join(dst, f.Name()), id)
		default:
			err = copyFile(filepath.Join(src, f.Name()), filepath.Join(dst, f.Name()))
		}
		if err != nil {
			return fmt.Errorf("write the revision: %s: %w", f.Name(), err)
		}
	}
	return nil
}

// reviseDecisions rewrites the decisions file with the plan applied.
func reviseDecisions(src, dst string, plan revisionPlan) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer out.Close()
	r, w := csv.NewReader(in), csv.NewWriter(out)
	header, err := r.Read()
	if err != nil {
		return err
	}
	col := func(name string) int { return slices.Index(header, name) }
	id, value, dest := col("decision_id"), col("value_eur"), col("destination")
	if id < 0 || value < 0 || dest < 0 {
		return errors.New("no decision_id, value_eur or destination column")
	}
	if err := w.Write(header); err != nil {
		return err
	}
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		if keep := reviseRecord(rec, id, value, dest, plan); keep {
			if err := w.Write(rec); err != nil {
				return err
			}
		}
	}
	w.Flush()
	return w.Error()
}

// reviseRecord applies the plan to one line; false when the line is removed.
func reviseRecord(rec []string, id, value, dest int, plan revisionPlan) bool {
	switch rec[id] {
	case plan.removed:
		return false
	case plan.revalued:
		if v, err := strconv.ParseFloat(rec[value], 64); err == nil {
			rec[value] = strconv.FormatFloat(v*1.1, 'f', 2, 64)
		}
	case plan.moved:
		rec[dest] = plan.newDest
	}
	return true
}

// reviseMeta gives the release a new id and says, in its title and description, that
// it revises the other.
func reviseMeta(src, dst, id string) error {
	data, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	var meta map[string]any
	if err := json.Unmarshal(data, &meta); err != nil {
		return err
	}
	old, _ := meta["id"].(string)
	meta["id"] = id
	meta["title"] = fmt.Sprintf("%v (revision of %s: three decisions corrected)", meta["title"], old)
	meta["description"] = fmt.Sprintf("%v Revision of %s with three decisions corrected, for the attack suite.", meta["description"], old)
	out, err := json.MarshalIndent(meta, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(dst, append(out, '\n'), 0o644)
}

func copyFile(src, dst string) error {
	data, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	return os.WriteFile(dst, data, 0o644)
}
