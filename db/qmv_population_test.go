package db_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/dualuse-transparency/portal/db"
	"github.com/dualuse-transparency/portal/internal/qmv"
	"github.com/dualuse-transparency/portal/internal/testdb"
)

// TestQMVPopulationSeeded checks the seeded population figures: every QMV year 2015 to
// 2026, each year's Member States from Eurostat, the 2026 gaps kept as gaps (NULL, not
// estimated), and the Council's own figures where they were read.
func TestQMVPopulationSeeded(t *testing.T) {
	ctx := context.Background()
	url := testdb.NewURL(t)
	conn := sqlConn(t, url)

	var years []int16
	rows, err := conn.Query(ctx, `SELECT DISTINCT year FROM qmv_population ORDER BY year`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var y int16
		if err := rows.Scan(&y); err != nil {
			t.Fatal(err)
		}
		years = append(years, y)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if len(years) != 12 || years[0] != 2015 || years[11] != 2026 {
		t.Errorf("years %v, want the 12 years 2015 to 2026", years)
	}
	for _, tt := range []struct {
		year, states int
	}{{2015, 28}, {2020, 28}, {2021, 27}, {2026, 27}} {
		if n := count(t, conn, `SELECT count(*) FROM qmv_population WHERE year = $1 AND publisher = 'EUROSTAT'`, tt.year); n != tt.states {
			t.Errorf("%d: %d Eurostat rows, want %d", tt.year, n, tt.states)
		}
	}
	if n := count(t, conn, `SELECT count(*) FROM qmv_population WHERE member_state = 'GB' AND year > 2020`); n != 0 {
		t.Errorf("%d rows for the United Kingdom after 2020, want none", n)
	}
	gaps, err := conn.Query(ctx, `SELECT year, member_state FROM qmv_population WHERE population IS NULL ORDER BY year, member_state`)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for gaps.Next() {
		var y int16
		var s string
		if err := gaps.Scan(&y, &s); err != nil {
			t.Fatal(err)
		}
		got = append(got, s)
		if y != 2026 {
			t.Errorf("gap %d %s, want gaps only in 2026", y, s)
		}
	}
	if err := gaps.Err(); err != nil {
		t.Fatal(err)
	}
	if want := []string{"HU", "IE", "LU"}; !slices.Equal(got, want) {
		t.Errorf("gaps %v, want 2026 %v", got, want)
	}
	var pop int64
	var act string
	if err := conn.QueryRow(ctx, `SELECT population, act FROM qmv_population WHERE year = 2022 AND member_state = 'DE' AND publisher = 'COUNCIL'`).Scan(&pop, &act); err != nil {
		t.Fatalf("the Council's 2022 figure for DE: %v", err)
	}
	if pop != 83120520 || act != "Council Decision (EU, Euratom) 2021/2320" {
		t.Errorf("2022 DE Council = %d, %q; want 83120520, Council Decision (EU, Euratom) 2021/2320", pop, act)
	}

	// The serving process reads as portal_reader, which must be able to select the table.
	var readable bool
	if err := conn.QueryRow(ctx, `SELECT has_table_privilege('portal_reader', 'qmv_population', 'SELECT')`).Scan(&readable); err != nil || !readable {
		t.Errorf("portal_reader may select qmv_population: %v, %v", readable, err)
	}

	d, err := db.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(d.Close)
	figures, err := d.Populations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"HU", "IE", "LU"} {
		fig, ok := figures[2026][s][qmv.Eurostat]
		if !ok || fig.Population != 0 || fig.Publisher != qmv.Eurostat {
			t.Errorf("Populations 2026 %s = %+v, %v; want a Eurostat gap (population 0)", s, fig, ok)
		}
	}
	if fig := figures[2022]["DE"][qmv.Council]; fig.Population != 83120520 || !strings.Contains(fig.Source, "2021/2320") {
		t.Errorf("Populations 2022 DE Council = %+v, want 83120520 from Council Decision (EU, Euratom) 2021/2320", fig)
	}
	// A tally for 2026 says it uses the 2025 figures, and why.
	ref, err := d.ReleaseReference(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var members []string
	for code, m := range ref.MemberStates {
		if m.Until == nil {
			members = append(members, code)
		}
	}
	slices.Sort(members)
	w, err := ref.Population.For(2026, members)
	if err != nil {
		t.Fatal(err)
	}
	if w.Year != 2025 || !strings.Contains(w.Note, "HU, IE, LU") {
		t.Errorf("For(2026) = year %d, note %q; want 2025 and a note naming HU, IE, LU", w.Year, w.Note)
	}
}
