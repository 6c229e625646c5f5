package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"time"
)

// querySpec is one benchmark query of DESIGN section 7.
type querySpec struct {
	id       string        // B1 ... B5
	name     string        // who asks
	body     string        // the fields of the query operation, without the braces
	limit    time.Duration // the target for the uncached median
	standIn  bool          // B3 before annualReport exists: the same work by other queries
	describe string        // one line for the report
}

// benchmarkQueries are the five queries for the release's latest year. B3 is the
// annual report when the served schema has it (annual is then its selection set, every
// field), otherwise a stand-in of the same shape.
func benchmarkQueries(year int, annual string) []querySpec {
	b3 := querySpec{id: "B3", name: "researcher", limit: 250 * time.Millisecond,
		describe: fmt.Sprintf("the annual report of %d, whole", year)}
	if annual != "" {
		b3.body = fmt.Sprintf("annualReport(year: %d) %s", year, annual)
		b3.describe += fmt.Sprintf(": every field of the report (%d leaves), found by introspection", leaves(annual))
	} else {
		b3.body, b3.standIn = annualStandIn(year), true
		b3.describe = fmt.Sprintf("stand-in for the annual report of %d: statistics by Member State, licence type and region, top 10 denials", year)
	}
	return []querySpec{
		{id: "B1", name: "journalist", limit: 100 * time.Millisecond, body: fmt.Sprintf(b1, year),
			describe: fmt.Sprintf("denials by destination in %d, top 50, with grounds", year)},
		{id: "B2", name: "NGO", limit: 100 * time.Millisecond, body: b2,
			describe: "statistics by year and destination region, cyber-surveillance, all years"},
		b3,
		{id: "B4", name: "list", limit: 100 * time.Millisecond, body: b4,
			describe: "the EU-wide list today, with origins and notification tallies"},
		{id: "B5", name: "heavy", limit: 500 * time.Millisecond, body: b5,
			describe: "statistics by year, Member State and control category, all years"},
	}
}

const b1 = `denialsByDestination(filter: {years: [%d]}, first: 50) {
  rows {
    destination { code name }
    denials { value status }
    applications { value status }
    denialRate { value status }
    grounds { ground denials { value status } }
  }
}`

const b2 = `licenceStatistics(groupBy: [YEAR, DESTINATION_REGION], filter: {cyberSurveillance: true}, first: 1000) {
  rows {
    year
    destinationRegion { name }
    applications { value status }
    denials { value status }
    valueIssued { value status }
  }
}`

const b4 = `surveillanceList {
  items {
    id
    origin
    description
    notification { id status tally { objecting eligible qualifiedMajority } explanation }
  }
}`

const b5 = `licenceStatistics(groupBy: [YEAR, MEMBER_STATE, CONTROL_CATEGORY], first: 1000) {
  rows {
    year
    memberState { code }
    controlCategory { code }
    applications { value status }
    issued { value status }
    denials { value status }
    valueApplied { value status }
    valueIssued { value status }
  }
}`

// measures is every figure of a statistics row, with its note.
const measures = `applications { value status note } issued { value status note } denials { value status note }
    valueApplied { value status note } valueIssued { value status note }`

// annualStandIn does the work of an annual report with the queries that exist: the
// year by Member State, by licence type and by destination region, with totals, and
// the ten destinations with most denials.
func annualStandIn(year int) string {
	stats := func(alias, dim, key string) string {
		return fmt.Sprintf(`%s: licenceStatistics(groupBy: [%s], filter: {years: [%d]}, first: 1000) {
  release { id title citation }
  rows { %s
    %s }
  total { %s }
}
`, alias, dim, year, key, measures, measures)
	}
	return stats("byMemberState", "MEMBER_STATE", "memberState { code name }") +
		stats("byLicenceType", "LICENCE_TYPE", "licenceType") +
		stats("byRegion", "DESTINATION_REGION", "destinationRegion { code name }") +
		fmt.Sprintf(`topDenials: denialsByDestination(filter: {years: [%d]}, first: 10) {
  rows {
    destination { code name }
    denials { value status note }
    applications { value status note }
    denialRate { value status note }
    grounds { ground denials { value status note } }
  }
}`, year)
}

// annualReportInSchema matches the annualReport field of type Query in the SDL.
var annualReportInSchema = regexp.MustCompile(`(?m)^\s*annualReport\s*\(`)

// fetchSchema reads the SDL the server serves.
func fetchSchema(ctx context.Context, base string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/schema.graphql", nil)
	if err != nil {
		return "", err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", fmt.Errorf("GET /schema.graphql: %w", err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err == nil && resp.StatusCode != http.StatusOK {
		err = fmt.Errorf("GET /schema.graphql: status %d", resp.StatusCode)
	}
	return string(data), err
}
