package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
)

// denialCase is a question of the attacker: was a licence for this destination denied
// in the period that starts on this day, and on which grounds?
type denialCase struct {
	day  time.Time
	dest string
	ms   string // the Member State of the denial the case was drawn from
}

// denialAnswer is what the published tables say of a period: the destinations with a
// denial and the grounds cited for each.
type denialAnswer map[string][]string

// denialsQuery is a denialsByDestination table of one release.
type denialsQuery struct {
	release string
	filter  filter
}

func (q denialsQuery) request(after string) request {
	args := fmt.Sprintf("release: %q, filter: %s, first: 200", q.release, q.filter.gql())
	if after != "" {
		args += fmt.Sprintf(", after: %q", after)
	}
	return request{field: "denialsByDestination", args: args,
		body: "{ pageInfo { hasNextPage endCursor } rows { destination { code } denials { value status } grounds { ground denials { value } } } }"}
}

// denialExistence (attack 3) first looks for rows that say a denial by being listed in
// the denials tables of whole months by Member State (monthRows); then it asks, for
// destinations and single days (or the shortest period the API allows, if shorter than
// a month), whether a denial was made and on which grounds: the denials table of the
// period, or else the statistics of the denials by destination and ground.
func denialExistence(ctx context.Context, e *env, r *result) error {
	r.threshold = "a row of a month's denials table listed with its denials or a ground withheld; or any answer for a period shorter than a month that is right more often than chance (exact binomial test against the base rate, one-sided, 5 %)"
	cases := pickDenialCases(e.truth, e.o.targets, e.rng(3))
	r.targets = len(cases)
	if len(cases) == 0 {
		r.judge(false, "no denial in the release to ask about")
		return nil
	}
	listed, exposed, example, err := monthRows(ctx, e, r.cnt, cases)
	if err != nil {
		return err
	}
	r.figuref("rows of whole months by Member State", "%d listed, %d of them saying a denial by being listed (denials or a ground withheld)", listed, exposed)
	if exposed > 0 {
		r.judge(true, "a denials table of one month and Member State lists a destination or ground whose count is withheld: "+example)
		return nil
	}
	for _, length := range []int{1, 7, 14} {
		answers, how, err := askDenials(ctx, e, r.cnt, cases, length)
		if err != nil {
			return err
		}
		if answers != nil {
			scoreDenials(r, e.truth, cases, answers, length, how)
			return nil
		}
		r.notef("periods of %s refused by both tables (%s)", plural(length, "day"), lastRefusal(r.cnt))
	}
	r.judge(false, "every period shorter than a month refused")
	return nil
}

// monthRows asks the denials table of each case's whole month and Member State, the
// finest the API allows, and counts what a row says by being listed: a destination
// listed with its denials withheld, or a ground listed with its count withheld, says
// "at least one denial" where no published figure does.
func monthRows(ctx context.Context, e *env, cnt *counter, cases []denialCase) (listed, exposed int, example string, err error) {
	var qs []pagedQuery
	seen := map[string]bool{}
	for _, c := range cases {
		start := time.Date(c.day.Year(), c.day.Month(), 1, 0, 0, 0, 0, time.UTC)
		if k := c.ms + start.Format("2006-01"); !seen[k] {
			seen[k] = true
			qs = append(qs, denialsQuery{release: e.release, filter: filter{}.period(start, start.AddDate(0, 1, -1)).with(dimMS, c.ms)})
		}
	}
	raws, _, err := fetchPages(ctx, e.api, cnt, qs)
	if err != nil {
		return 0, 0, "", err
	}
	for i, rows := range raws {
		for _, raw := range rows {
			var row struct {
				Destination struct{ Code string }
				Denials     struct{ Value *float64 }
				Grounds     []struct {
					Ground  string
					Denials struct{ Value *float64 }
				}
			}
			if err := json.Unmarshal(raw, &row); err != nil {
				return 0, 0, "", fmt.Errorf("a row of a denials table: %w", err)
			}
			listed++
			withheld := row.Denials.Value == nil
			for _, g := range row.Grounds {
				withheld = withheld || g.Denials.Value == nil
			}
			if withheld {
				exposed++
				if example == "" {
					example = fmt.Sprintf("%s in %s", row.Destination.Code, qs[i].(denialsQuery).filter.gql())
				}
			}
		}
	}
	return listed, exposed, example, nil
}

func lastRefusal(cnt *counter) string {
	if e := cnt.lastRefusal.Load(); e != nil {
		return e.Error()
	}
	return "no answer"
}

// pickDenialCases chooses n destinations and days with a denial (from random denials)
// and as many without one: a destination that had decisions that day but no denial,
// else any other destination. Half are yes: chance is 50 %.
func pickDenialCases(t *truth, n int, rng *rand.Rand) []denialCase {
	var denials []*decision
	byDay := map[time.Time][]*decision{}
	for _, d := range t.decisions {
		byDay[d.date] = append(byDay[d.date], d)
		if d.outcome == "DENIED" {
			denials = append(denials, d)
		}
	}
	var cases []denialCase
	for _, i := range rng.Perm(len(denials))[:min(n, len(denials))] {
		d := denials[i]
		cases = append(cases, denialCase{day: d.date, dest: d.dest, ms: d.ms})
		if dest, ok := undeniedDestination(byDay[d.date], rng); ok {
			cases = append(cases, denialCase{day: d.date, dest: dest, ms: d.ms})
		}
	}
	return cases
}

// undeniedDestination is a destination of the day's decisions without a denial that day.
func undeniedDestination(day []*decision, rng *rand.Rand) (string, bool) {
	denied := map[string]bool{}
	for _, d := range day {
		denied[d.dest] = denied[d.dest] || d.outcome == "DENIED"
	}
	var out []string
	for dest, den := range denied {
		if !den {
			out = append(out, dest)
		}
	}
	slices.Sort(out)
	if len(out) == 0 {
		return "", false
	}
	return out[rng.IntN(len(out))], true
}

// askDenials asks for the denials of the period of each case (length days from its
// day) and returns the answers by period start, nil when both tables are refused.
func askDenials(ctx context.Context, e *env, cnt *counter, cases []denialCase, length int) (map[time.Time]denialAnswer, string, error) {
	var starts []time.Time
	for _, c := range cases {
		if !containsTime(starts, c.day) {
			starts = append(starts, c.day)
		}
	}
	f := func(day time.Time) filter { return filter{}.period(day, day.AddDate(0, 0, length-1)) }
	answers, err := denialsTables(ctx, e, cnt, starts, f)
	if err != nil || answers != nil {
		return answers, "denialsByDestination", err
	}
	answers, err = deniedStatistics(ctx, e, cnt, starts, f)
	return answers, "licenceStatistics, outcome DENIED, by destination and ground", err
}

// denialsTables reads the denials tables of the periods; nil if any is refused.
func denialsTables(ctx context.Context, e *env, cnt *counter, starts []time.Time, f func(time.Time) filter) (map[time.Time]denialAnswer, error) {
	qs := make([]pagedQuery, len(starts))
	for i, s := range starts {
		qs[i] = denialsQuery{release: e.release, filter: f(s)}
	}
	raws, refusals, err := fetchPages(ctx, e.api, cnt, qs)
	if err != nil || slices.ContainsFunc(refusals, func(r *apiError) bool { return r != nil }) {
		return nil, err
	}
	out := map[time.Time]denialAnswer{}
	for i, s := range starts {
		out[s] = denialAnswer{}
		for _, raw := range raws[i] {
			var row struct {
				Destination struct{ Code string }
				Grounds     []struct{ Ground string }
			}
			if err := json.Unmarshal(raw, &row); err != nil {
				return nil, fmt.Errorf("a row of a denials table: %w", err)
			}
			for _, g := range row.Grounds {
				out[s][row.Destination.Code] = append(out[s][row.Destination.Code], g.Ground)
			}
			if _, ok := out[s][row.Destination.Code]; !ok {
				out[s][row.Destination.Code] = []string{}
			}
		}
	}
	return out, nil
}

// deniedStatistics reads the denials by destination and ground; nil if any is refused.
func deniedStatistics(ctx context.Context, e *env, cnt *counter, starts []time.Time, f func(time.Time) filter) (map[time.Time]denialAnswer, error) {
	qs := make([]tableQuery, len(starts))
	for i, s := range starts {
		qs[i] = tableQuery{release: e.release, filter: f(s).with(dimOutcome, "DENIED"), groupBy: []string{dimDest, dimGround}}
	}
	tables, err := fetchTables(ctx, e.api, cnt, qs)
	if err != nil {
		return nil, err
	}
	out := map[time.Time]denialAnswer{}
	for i, t := range tables {
		if t.refusal != nil {
			return nil, nil
		}
		out[starts[i]] = denialAnswer{}
		for _, row := range t.rows {
			dest := row.dims[dimDest]
			out[starts[i]][dest] = append(out[starts[i]][dest], row.dims[dimGround])
		}
	}
	return out, nil
}

// scoreDenials scores the answers: "denied" when the destination has a row in the
// period's table; the grounds are right when they are the grounds of its denials.
func scoreDenials(r *result, t *truth, cases []denialCase, answers map[time.Time]denialAnswer, length int, how string) {
	right, yes, groundsRight, denied := 0, 0, 0, 0
	for _, c := range cases {
		grounds, truthDenied := trueDenials(t, c, length)
		predicted, said := answers[c.day][c.dest]
		if truthDenied {
			yes++
		}
		if said == truthDenied {
			right++
		}
		if truthDenied && said {
			denied++
			if sameSet(predicted, grounds) {
				groundsRight++
			}
		}
	}
	n := len(cases)
	acc, base := float64(right)/float64(max(1, n)), bestConstant(yes, n)
	pValue := pAbove(right, n, base)
	lo, hi := wilson(right, n, 1.96)
	r.figuref("period asked", "%s, from %s", plural(length, "day"), how)
	r.figuref("questions", "%d (destination and period; %d with a denial)", n, yes)
	r.figuref("accuracy", "%.1f %% (95 %% CI %.1f to %.1f %%) against a base rate of %.1f %%; one-sided p = %.2g that chance does as well", acc*100, lo*100, hi*100, base*100, pValue)
	r.figuref("grounds right", "%d of %d denials found", groundsRight, denied)
	broken := finerThanMonth(cases[0].day, cases[0].day.AddDate(0, 0, length-1)) && acc > base && pValue < significance
	r.judge(broken, fmt.Sprintf("answered for periods of %s: %.1f %% right vs %.1f %% by chance", plural(length, "day"), acc*100, base*100))
}

// trueDenials are the grounds of the denials for the case's destination in its period.
func trueDenials(t *truth, c denialCase, length int) ([]string, bool) {
	var grounds []string
	denied := false
	for _, d := range t.between(c.day, c.day.AddDate(0, 0, length-1)) {
		if d.dest == c.dest && d.outcome == "DENIED" {
			denied = true
			for _, g := range d.grounds {
				if !slices.Contains(grounds, g) {
					grounds = append(grounds, g)
				}
			}
		}
	}
	return grounds, denied
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return strings.Join(slices.Compact(a), ",") == strings.Join(slices.Compact(b), ",")
}
