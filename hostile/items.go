package main

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"
)

// runItems runs the items asked for, each group on a fresh server process; the
// connections item runs beside the others, as it mostly waits.
func (s *suite) runItems(ctx context.Context) []*result {
	type item struct {
		n    int
		name string
		run  func(context.Context, *result) error
	}
	items := []item{
		{1, "1. Exponential fragments", s.fragments},
		{2, "2. Cost that is not the work", s.cost},
		{3, "3. Memory", s.memory},
		{4, "4. Connections", s.connections},
		{5, "5. Wrong or cached errors", s.wrongErrors},
		{6, "6. Private database", s.privateDB},
		{7, "7. Silent downloads", s.downloads},
		{8, "8. GraphiQL", s.graphiql},
		{9, "9. Headers", s.headers},
		{10, "10. Shutdown", s.shutdownItem},
	}
	results := make([]*result, len(items))
	var wg sync.WaitGroup
	one := func(i int) {
		it := items[i]
		r := &result{n: it.n, name: it.name}
		results[i] = r
		if !s.o.runs(it.n) {
			r.skip("the whole item", "not asked for (--items)")
			return
		}
		logf("%s", it.name)
		started := time.Now()
		r.err = safely(func() error { return it.run(ctx, r) })
		r.took = time.Since(started)
		logf("%s: %s", it.name, r.verdict())
	}
	for i, it := range items {
		if it.n == 4 {
			wg.Add(1)
			go func() { defer wg.Done(); one(i) }()
		}
	}
	for i, it := range items {
		if it.n != 4 {
			one(i)
		}
	}
	wg.Wait()
	return results
}

func safely(f func() error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("the item failed: %v", p)
		}
	}()
	return f()
}

// withServer runs f against a fresh `portal serve` on the suite's database and stops it.
func (s *suite) withServer(ctx context.Context, name string, f func(*server) error, extra ...string) error {
	srv, err := s.startServer(ctx, name, s.dbURL, "", extra...)
	if err != nil {
		return err
	}
	defer srv.Terminate(s.o.shutdown + 5*time.Second)
	return f(srv)
}

// fragmentBomb is a query of levels nested fragments, each spreading the one below
// twice: 2^levels fields once expanded, in about 2 KB.
func fragmentBomb(levels int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "query Bomb { ...NestedFragmentLevel%02d }\n", levels)
	b.WriteString("fragment NestedFragmentLevel00 on Query { __typename }\n")
	for i := 1; i <= levels; i++ {
		fmt.Fprintf(&b, "fragment NestedFragmentLevel%02d on Query { __typename ...NestedFragmentLevel%02d ...NestedFragmentLevel%02d }\n", i, i-1, i-1)
	}
	return b.String()
}

// fragments: item 1. The bomb must get a coded error within a second and cost the
// server less than a second of CPU; and the server must still shut down cleanly.
func (s *suite) fragments(ctx context.Context, r *result) error {
	return s.withServer(ctx, "fragments", func(srv *server) error {
		q := fragmentBomb(26)
		before, err := cpuTime(srv.Pid())
		if err != nil {
			return err
		}
		actx, cancel := context.WithTimeout(ctx, s.o.heavyWait)
		a := gql(actx, srv.Base, q)
		cancel()
		time.Sleep(200 * time.Millisecond) // what it goes on burning after the answer or the client's departure
		after, err := cpuTime(srv.Pid())
		if err != nil {
			return err
		}
		used := after - before
		fast := a.err == nil && a.code() != "" && a.took < time.Second
		r.add(fmt.Sprintf("a %s query of 26 nested fragment levels: a coded error within 1 s", size(len(q))), fast,
			"%s after %s (the client waits %s at most)", a.describe(), a.took.Round(time.Millisecond), s.o.heavyWait)
		r.add("the server's CPU time (utime+stime) for it: under 1 s", used < time.Second, "%s of CPU", used.Round(10*time.Millisecond))
		code, took, exited := srv.Terminate(s.o.shutdown + 5*time.Second)
		if !fast { // a request still burning: does it block the shutdown?
			r.add(fmt.Sprintf("SIGTERM with the bomb sent: exit 0 within SHUTDOWN_TIMEOUT (%s)", s.o.shutdown),
				exited && code == 0 && took <= s.o.shutdown+time.Second, "%s", exitLine(code, took, exited))
		} else {
			r.add("SIGTERM after the bomb: exit 0 within SHUTDOWN_TIMEOUT", exited && code == 0, "%s", exitLine(code, took, exited))
		}
		return nil
	})
}

func exitLine(code int, took time.Duration, exited bool) string {
	if !exited {
		return fmt.Sprintf("still running %s after SIGTERM: killed", took.Round(100*time.Millisecond))
	}
	return fmt.Sprintf("exit status %d after %s", code, took.Round(100*time.Millisecond))
}

// heavyStatistics is 30 aliased five-dimension statistics tables of one row each.
func heavyStatistics() string {
	var b strings.Builder
	b.WriteString("{")
	for i := range 30 {
		fmt.Fprintf(&b, " t%02d: licenceStatistics(groupBy: [YEAR, MEMBER_STATE, DESTINATION, CONTROL_ENTRY, OUTCOME], filter: {years: [%d]}, first: 1) { rows { applications { value } } }",
			i, 2015+i%10)
	}
	b.WriteString(" }")
	return b.String()
}

// cost: item 2.
func (s *suite) cost(ctx context.Context, r *result) error {
	return s.withServer(ctx, "cost", func(srv *server) error {
		cachedURL := srv.Base + `/graphql?query=%7Breleases%7Bid%7D%7D`
		if a := get(ctx, cachedURL); a.status != 200 {
			return fmt.Errorf("the cached GET: %s", a.describe())
		}
		base, _ := rss(srv.Pid())
		sampler := sampleRSS(srv.Pid())
		heavy := make(chan answer, 1)
		actx, cancel := context.WithTimeout(ctx, s.o.heavyWait)
		defer cancel()
		go func() { heavy <- gql(actx, srv.Base, heavyStatistics()) }()
		time.Sleep(300 * time.Millisecond)
		var worst time.Duration
		for range 5 {
			a := get(ctx, cachedURL)
			if a.status != 200 {
				worst = max(worst, time.Hour)
			}
			worst = max(worst, a.took)
			time.Sleep(100 * time.Millisecond)
		}
		a := <-heavy
		peak := sampler.finish()
		answered := a.err == nil && a.took < time.Second
		r.add("30 aliased five-dimension licenceStatistics, first: 1: refused or answered within 1 s", answered,
			"%s after %s (the client waits %s at most)", a.describe(), a.took.Round(time.Millisecond), s.o.heavyWait)
		r.add("its memory: peak RSS under 200 MB", peak < 200<<20, "RSS %s before, peak %s", mb(base), mb(peak))
		r.add("meanwhile an unrelated cached GET: under 100 ms", worst < 100*time.Millisecond, "slowest of 5: %s", fmtWorst(worst))
		time.Sleep(200 * time.Millisecond)
		q := "{" + strings.Repeat(" __typename", 14000) + " }"
		b := gql(ctx, srv.Base, q)
		r.add(fmt.Sprintf("14,000 repeated __typename (%s): refused with a coded error", size(len(q))),
			b.err == nil && b.code() != "" && !b.hasData(), "%s after %s", b.describe(), b.took.Round(time.Millisecond))
		return nil
	})
}

func fmtWorst(d time.Duration) string {
	if d >= time.Hour {
		return "an error answer"
	}
	return d.Round(time.Millisecond).String()
}

// bigAnswer is a query of about 2 MB of answer (8 pages of 500 control list entries),
// made distinct from every other by its aliases.
func bigAnswer(n int) string {
	var b strings.Builder
	b.WriteString("{")
	for i := range 8 {
		fmt.Fprintf(&b, " r%d_%d: controlEntries(first: 500) { nodes { code description validFrom validTo source cyberSurveillance category { name } productGroup { name } children { code description } } }", n, i)
	}
	b.WriteString(" }")
	return b.String()
}

// memory: item 3.
func (s *suite) memory(ctx context.Context, r *result) error {
	return s.withServer(ctx, "memory", func(srv *server) error {
		base, _ := rss(srv.Pid())
		sampler := sampleRSS(srv.Pid())
		total, smallest := 0, 1<<62
		for i := range s.o.answers {
			a := gql(ctx, srv.Base, bigAnswer(i))
			if a.err != nil || a.status != 200 {
				sampler.finish()
				return fmt.Errorf("a large answer: %s", a.describe())
			}
			total += len(a.body)
			smallest = min(smallest, len(a.body))
		}
		time.Sleep(500 * time.Millisecond)
		peak := sampler.finish()
		end, _ := rss(srv.Pid())
		what := fmt.Sprintf("%d distinct answers of about 2 MB: peak RSS under 200 MB", s.o.answers)
		if smallest < 1<<20 {
			r.skip(what, fmt.Sprintf("the answers were refused or small (smallest %s): no large answer to hold", size(smallest)))
			return nil
		}
		r.add(what, peak < 200<<20, "%s served (each %s or more); RSS %s before, peak %s, %s after", size(total), size(smallest), mb(base), mb(peak), mb(end))
		return nil
	})
}
