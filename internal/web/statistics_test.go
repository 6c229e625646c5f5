package web_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/99designs/gqlgen/client"
	"github.com/jackc/pgx/v5"

	"github.com/dualuse-transparency/portal/db"
	"github.com/dualuse-transparency/portal/internal/demodata"
	"github.com/dualuse-transparency/portal/internal/testdb"
)

type measure struct {
	Value  *float64
	Status string
	Note   *string
}

// queryCounter counts the queries that reach PostgreSQL.
type queryCounter struct{ n atomic.Int64 }

func (c *queryCounter) TraceQueryStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryStartData) context.Context {
	c.n.Add(1)
	return ctx
}

func (c *queryCounter) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

func TestLicenceStatistics(t *testing.T) {
	counter := &queryCounter{}
	d := testdb.New(t, db.WithTracer(counter))
	rel := testdb.ImportDemo(t, d, demodata.Options{Seed: 11, Decisions: 30000})
	h := newHandler(t, d)
	c := client.New(h, client.Path("/graphql"))

	var resp struct {
		LicenceStatistics struct {
			Release    struct{ ID, Citation string }
			GroupBy    []string
			TotalCount int
			Rows       []struct {
				Year        int
				Destination struct {
					Name   string
					Region *struct{ Name string }
				}
				MemberState  struct{ Name string }
				Applications measure
				Denials      measure
				ValueIssued  measure
			}
			Total struct{ Applications measure }
		}
	}
	counter.n.Store(0)
	c.MustPost(`{
		licenceStatistics(groupBy: [DESTINATION, MEMBER_STATE], orderBy: [{by: APPLICATIONS}], first: 300) {
			release { id citation } groupBy totalCount
			rows { year destination { name region { name } } memberState { name } applications { value status note } denials { value status } valueIssued { value status note } }
			total { applications { value status } }
		}
	}`, &resp)
	got := resp.LicenceStatistics
	if got.Release.ID != rel.Meta.ID || !strings.Contains(strings.ToLower(got.Release.Citation), "synthetic") {
		t.Errorf("release %+v, want %s with a citation that says synthetic", got.Release, rel.Meta.ID)
	}
	if len(got.Rows) != 300 || got.TotalCount <= 300 || strings.Join(got.GroupBy, ",") != "DESTINATION,MEMBER_STATE" {
		t.Fatalf("%d rows of %d, groupBy %v; want a full page of 300 from a larger table", len(got.Rows), got.TotalCount, got.GroupBy)
	}
	for _, r := range got.Rows {
		if r.Destination.Name == "" || r.MemberState.Name == "" || r.Applications.Status != "PERTURBED" || r.ValueIssued.Status == "" {
			t.Fatalf("row %+v: want its destination and Member State resolved and every measure with a status", r)
		}
	}
	if *got.Rows[0].Applications.Value < *got.Rows[299].Applications.Value {
		t.Error("rows not in descending order of applications")
	}
	// Three hundred rows: the table, the total, and one batch per kind of object.
	if n := counter.n.Load(); n > 8 {
		t.Errorf("the query took %d database queries; want a fixed few, not one per row", n)
	}
}

func TestLicenceStatisticsErrors(t *testing.T) {
	empty := newClient(t)
	d := testdb.New(t)
	testdb.ImportDemo(t, d, demodata.Options{Seed: 11, Decisions: 300})
	loaded := client.New(newHandler(t, d), client.Path("/graphql"))
	tests := []struct {
		name   string
		client *client.Client
		query  string
		code   string
	}{
		{name: "no release imported yet", client: empty, query: `{ licenceStatistics(groupBy: [YEAR]) { totalCount } }`, code: "NOT_FOUND"},
		{name: "unknown release", client: loaded, query: `{ licenceStatistics(release: "nope", groupBy: [YEAR]) { totalCount } }`, code: "NOT_FOUND"},
		{name: "dimension twice", client: loaded, query: `{ licenceStatistics(groupBy: [YEAR, YEAR]) { totalCount } }`, code: "INVALID_INPUT"},
		{name: "unknown Member State", client: loaded, query: `{ licenceStatistics(groupBy: [YEAR], filter: {memberStates: ["XX"]}) { totalCount } }`, code: "INVALID_INPUT"},
		{name: "order by a dimension not grouped", client: loaded, query: `{ licenceStatistics(groupBy: [YEAR], orderBy: [{by: DESTINATION}]) { totalCount } }`, code: "INVALID_INPUT"},
		{name: "page too large", client: loaded, query: `{ licenceStatistics(groupBy: [YEAR], first: 5000) { totalCount } }`, code: "INVALID_INPUT"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := tt.client.RawPost(tt.query)
			if err != nil {
				t.Fatal(err)
			}
			var errs []gqlError
			if err := json.Unmarshal(resp.Errors, &errs); err != nil || len(errs) != 1 || errs[0].Extensions.Code != tt.code {
				t.Errorf("errors %s, want one with code %s", resp.Errors, tt.code)
			}
		})
	}
}

// No field of the schema may publish a decision, an exporter, a pseudonym, a record key
// or an exporter count.
func TestSchemaExposesNoConfidentialData(t *testing.T) {
	c := newClient(t)
	var resp struct {
		Schema struct {
			Types []struct {
				Name        string
				Fields      []struct{ Name string }
				InputFields []struct{ Name string }
			}
		} `json:"__schema"`
	}
	c.MustPost(`{ __schema { types { name fields { name } inputFields { name } } } }`, &resp)
	forbidden := regexp.MustCompile(`(?i)exporter|pseudonym|recordkey|cellkey|decisionid|contributor|^decisions?$`)
	parameters := map[string]bool{"DisclosurePolicy.minExporters": true} // a rule's threshold, not data
	checked := 0
	for _, typ := range resp.Schema.Types {
		if strings.HasPrefix(typ.Name, "__") {
			continue
		}
		if forbidden.MatchString(typ.Name) {
			t.Errorf("type %s exposes confidential data", typ.Name)
		}
		for _, f := range append(typ.Fields, typ.InputFields...) {
			checked++
			if forbidden.MatchString(f.Name) && !parameters[typ.Name+"."+f.Name] {
				t.Errorf("field %s.%s exposes confidential data", typ.Name, f.Name)
			}
		}
	}
	if checked < 100 {
		t.Fatalf("only %d fields seen; the introspection query did not work", checked)
	}
}

// The CSV download is the same table as the query.
func TestLicenceStatisticsCSV(t *testing.T) {
	d := testdb.New(t)
	testdb.ImportDemo(t, d, demodata.Options{Seed: 11, Decisions: 2000})
	h := newHandler(t, d)
	var resp struct {
		LicenceStatistics struct {
			Rows []struct {
				Year         int
				Outcome      string
				Applications measure
				ValueApplied measure
			}
		}
	}
	client.New(h, client.Path("/graphql")).MustPost(`{
		licenceStatistics(groupBy: [YEAR, OUTCOME], filter: {cyberSurveillance: true}, orderBy: [{by: YEAR, direction: ASC}], first: 1000) {
			rows { year outcome applications { value status note } valueApplied { value status note } }
		}
	}`, &resp)

	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/download/licence-statistics.csv?groupBy=YEAR,OUTCOME&cyberSurveillance=true&orderBy=YEAR:ASC", nil))
	if rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/csv") {
		t.Fatalf("status %d, type %q: %s", rec.Code, rec.Header().Get("Content-Type"), rec.Body.String())
	}
	records, err := csv.NewReader(rec.Body).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	// The file starts with a UTF-8 byte order mark (for Excel), and the outcome has its
	// label beside it.
	if want := "\ufeffyear,outcome,outcome_label,applications,applications_status,applications_note"; !strings.HasPrefix(strings.Join(records[0], ","), want) {
		t.Errorf("header %v, want it to start with %s", records[0], want)
	}
	rows := resp.LicenceStatistics.Rows
	if len(records)-1 != len(rows) || len(rows) == 0 {
		t.Fatalf("%d CSV rows, %d GraphQL rows; want the same, and some", len(records)-1, len(rows))
	}
	for i, r := range rows {
		want := []string{fmt.Sprint(r.Year), r.Outcome, fmt.Sprint(*r.Applications.Value), r.Applications.Status}
		if got := append(records[i+1][:2:2], records[i+1][3:5]...); strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("CSV row %d = %v, want %v", i+1, got, want)
		}
	}

	bad := httptest.NewRecorder()
	h.ServeHTTP(bad, httptest.NewRequest("GET", "/download/licence-statistics.csv?groupBy=YEAR&outcomes=MAYBE", nil))
	if bad.Code != 400 || !strings.Contains(bad.Body.String(), "INVALID_INPUT") {
		t.Errorf("bad parameter: status %d, body %s; want 400 with INVALID_INPUT", bad.Code, bad.Body.String())
	}
}

func TestDisclosurePolicy(t *testing.T) {
	c := newClient(t)
	var resp struct {
		DisclosurePolicy struct {
			MaxNoise          int
			MinExporters      int
			DominanceShare    float64
			PerturbationTable []struct {
				Count    int
				AndAbove bool
				Noise    []struct {
					Noise       int
					Probability float64
				}
			}
		}
	}
	c.MustPost(`{ disclosurePolicy { maxNoise minExporters dominanceShare perturbationTable { count andAbove noise { noise probability } } } }`, &resp)
	p := resp.DisclosurePolicy
	if p.MaxNoise != 2 || p.MinExporters != 3 || p.DominanceShare != 0.85 || len(p.PerturbationTable) != 3 || !p.PerturbationTable[2].AndAbove {
		t.Fatalf("policy %+v, want D=2, 3 exporters, 85 %%, rows for 0, 1 and 2 and above", p)
	}
	for _, row := range p.PerturbationTable {
		sum, mean := 0.0, 0.0
		for _, n := range row.Noise {
			sum += n.Probability
			mean += float64(n.Noise) * n.Probability
		}
		if sum < 0.999999 || sum > 1.000001 || mean > 1e-9 || mean < -1e-9 {
			t.Errorf("row %d: probabilities sum to %v with mean %v; want 1 and 0", row.Count, sum, mean)
		}
	}
}
