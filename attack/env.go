package main

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
)

// env is what every attack shares: the API, what reconnaissance learnt of it, and
// (kept apart, for choosing targets and scoring only) the truth.
type env struct {
	o            options
	api          *client
	probes       *counter // reconnaissance queries, shared by the attacks
	release      string
	revised      string
	periodStart  time.Time
	periodEnd    time.Time
	grain        grain
	destinations []string // destinations with published decisions, the most first: public knowledge
	memberStates []string
	notes        []string // what reconnaissance found

	truth        *truth // scoring only
	revisedTruth *truth // scoring only
}

func (e *env) notef(format string, args ...any) {
	e.notes = append(e.notes, fmt.Sprintf(format, args...))
}

// rng is a source of the attacker's random choices, its own for each use, so that one
// attack's choices do not depend on another's.
func (e *env) rng(purpose uint64) *rand.Rand { return rand.New(rand.NewPCG(e.o.seed, purpose)) }

// attack is one attack family: it returns its result, or an error when the transport
// or the server failed (not when the API refused).
type attack struct {
	name   string
	weight float64 // its share of the time left
	run    func(ctx context.Context, e *env, r *result) error
}

var attacks = []attack{
	{"1. Reconstruction", 1, reconstruction},
	{"2. Averaging", 4, averaging},
	{"3. Denial existence", 1, denialExistence},
	{"4. Value differencing", 3, valueDifferencing},
	{"5. Exporter linkage", 1, exporterLinkage},
	{"6. Revisions", 2, revisions},
}

// runAttacks reconnoitres the API, then runs each attack in its share of the time left.
func runAttacks(ctx context.Context, o options, t *target) []*result {
	e, err := reconnoitre(ctx, o, t)
	if err != nil {
		return []*result{{name: "Reconnaissance", err: err, cnt: &counter{}}}
	}
	t.release, t.revised, t.attacked = e.release, e.revised, len(e.truth.decisions)
	var results []*result
	chosen := slices.DeleteFunc(slices.Clone(attacks), func(a attack) bool { return !o.runs(a) })
	weights := 0.0
	for _, a := range chosen {
		weights += a.weight
	}
	for _, a := range chosen {
		deadline, _ := ctx.Deadline()
		share := time.Duration(float64(time.Until(deadline)-15*time.Second) * a.weight / weights)
		weights -= a.weight
		results = append(results, runOne(ctx, e, a, share))
	}
	results = append(results, &result{name: "Reconnaissance", cnt: e.probes, notes: e.notes, verdict: verdictInfo})
	return results
}

// runs reports whether the command line asks for the attack (its number is the
// first field of its name).
func (o options) runs(a attack) bool {
	if o.only == "" {
		return true
	}
	number, _, _ := strings.Cut(a.name, ".")
	return slices.Contains(strings.Split(o.only, ","), number)
}

// runOne runs an attack within its time; running out of time ends it with what it has.
func runOne(ctx context.Context, e *env, a attack, share time.Duration) *result {
	logf("%s (at most %s)", a.name, share.Round(time.Second))
	ctx, cancel := context.WithTimeout(ctx, max(share, time.Second))
	defer cancel()
	r := &result{name: a.name, cnt: &counter{}}
	started := time.Now()
	err := runSafely(ctx, e, r, a.run)
	r.elapsed = time.Since(started)
	switch {
	case err != nil && stopped(err):
		r.notef("stopped by its share of --timeout after %s: scored on what it had", r.elapsed.Round(time.Second))
	case err != nil:
		r.err = err
	}
	if r.verdict == "" && r.err == nil {
		r.verdict = verdictHolds
	}
	logf("%s: %s", a.name, r.verdictLine())
	return r
}

// runSafely turns a panic of an attack into its error, so that the suite still
// reports the others and stops what it started.
func runSafely(ctx context.Context, e *env, r *result, run func(context.Context, *env, *result) error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("the attack failed: %v", p)
		}
	}()
	return run(ctx, e, r)
}

// stopped reports whether err is the end of the time an attack had.
func stopped(err error) bool {
	return errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled)
}

// reconnoitre learns what any user can: the release and its period, the shortest
// period the API accepts, and the destinations and Member States with decisions.
func reconnoitre(ctx context.Context, o options, t *target) (*env, error) {
	e := &env{o: o, api: newClient(t.base, o.workers), probes: &counter{}, release: t.release, revised: t.revised}
	if err := e.readRelease(ctx); err != nil {
		return nil, err
	}
	var err error
	if e.truth, err = readTruth(ctx, t.dbURL, e.release); err != nil {
		return nil, err
	}
	if e.revised != "" {
		if e.revisedTruth, err = readTruth(ctx, t.dbURL, e.revised); err != nil {
			return nil, err
		}
	}
	if e.grain, err = probeGrain(ctx, e); err != nil {
		return nil, err
	}
	e.notef("the shortest period the API accepts: a %s", e.grain)
	if e.destinations, err = e.publishedValues(ctx, dimDest); err != nil {
		return nil, err
	}
	e.memberStates, err = e.publishedValues(ctx, dimMS)
	return e, err
}

// readRelease finds the release (the latest when none is named) and its period.
func (e *env) readRelease(ctx context.Context) error {
	doc := request{field: "releases", body: "{ id periodStart periodEnd }"}
	answers, err := e.api.run(ctx, e.probes, []request{doc})
	if err != nil {
		return err
	}
	if answers[0].refusal != nil {
		return fmt.Errorf("releases: %w", answers[0].refusal)
	}
	var releases []struct{ ID, PeriodStart, PeriodEnd string }
	if err := json.Unmarshal(answers[0].data, &releases); err != nil || len(releases) == 0 {
		return fmt.Errorf("releases: no release (%v)", err)
	}
	i := slices.IndexFunc(releases, func(r struct{ ID, PeriodStart, PeriodEnd string }) bool { return r.ID == e.release })
	if e.release == "" {
		i = slices.IndexFunc(releases, func(r struct{ ID, PeriodStart, PeriodEnd string }) bool { return r.ID != e.revised })
	}
	if i < 0 {
		return fmt.Errorf("release %q is not served", e.release)
	}
	e.release = releases[i].ID
	e.periodStart, err = time.Parse(time.DateOnly, releases[i].PeriodStart)
	if err == nil {
		e.periodEnd, err = time.Parse(time.DateOnly, releases[i].PeriodEnd)
	}
	return err
}

// publishedValues are the values of a dimension in the release's published table by
// it, the largest published count first.
func (e *env) publishedValues(ctx context.Context, dim string) ([]string, error) {
	t, err := fetchTable(ctx, e.api, e.probes, tableQuery{release: e.release, groupBy: []string{dim}})
	if err != nil {
		return nil, err
	}
	if t.refusal != nil {
		return nil, fmt.Errorf("a table by %s: %w", dim, t.refusal)
	}
	rows := slices.Clone(t.rows)
	slices.SortStableFunc(rows, func(a, b row) int {
		x, _ := a.applications.num()
		y, _ := b.applications.num()
		return cmp.Compare(y, x)
	})
	var out []string
	for _, r := range rows {
		if v := r.dims[dim]; v != "" {
			out = append(out, v)
		}
	}
	return out, nil
}
