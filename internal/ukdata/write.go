package ukdata

import (
	"bufio"
	"cmp"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/dualuse-transparency/portal/internal/codes"
	"github.com/dualuse-transparency/portal/internal/release"
)

var decisionsHeader = []string{"decision_id", "member_state", "decision_date", "licence_type", "outcome",
	"destination", "end_user_type", "control_entry", "value_eur", "exporter_id", "denial_grounds", "catch_all"}

const figuresHeader = "year,scope,metric,value,unit,source_document,source_url,verified\n"

// endUserUnknown is every decision's end-user type: the source does not give one.
const endUserUnknown codes.EndUserType = "UNKNOWN"

// sourceURL is where the source is published.
const sourceURL = "https://github.com/caatdata/uk-arms-export-data"

// writeRelease writes the release folder: its metadata, the decisions and an empty
// table of official figures (the UK's own totals are not part of this source).
func writeRelease(dir string, meta release.MetaJSON, ds []Decision) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := release.WriteFile(filepath.Join(dir, "release.json"), func(w *bufio.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(meta)
	}); err != nil {
		return err
	}
	if err := release.WriteFile(filepath.Join(dir, "official_figures.csv"), func(w *bufio.Writer) error {
		_, err := w.WriteString(figuresHeader)
		return err
	}); err != nil {
		return err
	}
	return release.WriteFile(filepath.Join(dir, "licence_decisions.csv"), func(w *bufio.Writer) error {
		return writeDecisions(w, ds)
	})
}

// writeDecisions writes one row per decision and control entry.
func writeDecisions(w *bufio.Writer, ds []Decision) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(decisionsHeader); err != nil {
		return err
	}
	for _, d := range ds {
		for _, e := range d.Entries {
			if err := cw.Write(decisionRow(d, e)); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

func decisionRow(d Decision, e Entry) []string {
	value := ""
	if e.ValueKnown {
		value = formatCents(e.Cents)
	}
	grounds := make([]string, len(d.Grounds))
	for i, g := range d.Grounds {
		grounds[i] = string(g)
	}
	return []string{d.ID, memberState, d.Date.Format(time.DateOnly), string(d.LicenceType), string(d.Outcome),
		d.Destination, string(endUserUnknown), e.Code, value, d.ExporterID,
		strings.Join(grounds, ";"), string(d.CatchAll)}
}

// releaseMeta is release.json. Every text a user may quote on its own says where the
// data come from and what was done to them, since any of them can be cited alone.
func releaseMeta(opts Options, p period, rep Report) release.MetaJSON {
	years := fmt.Sprintf("%d-%d", p.from.Year(), p.to.Year())
	published := cmp.Or(opts.PublishedOn, time.Now().UTC())
	id := cmp.Or(opts.ReleaseID, "uk-dual-use-"+years)
	return release.MetaJSON{
		ID:    id,
		Title: "United Kingdom: dual-use export licence decisions (SIELs) " + years,
		Description: fmt.Sprintf("The United Kingdom's standard individual export licences (SIELs) issued "+
			"and refused from %s to %s that carry a dual-use rating (an Annex I entry, or the WMD or "+
			"military end-use catch-all), %d decisions, converted from the UK's published licensing data "+
			"as compiled by CAAT. Military-list, UK-national and sanctions ratings are "+
			"left out. Values are converted from GBP at the ECB's annual average rate for the year. A "+
			"licence group of the source that counts a rating more than once is split into that many "+
			"decisions, its value shared evenly. The source names no exporters and no end users: each "+
			"decision has its own exporter pseudonym, and every end-user type is UNKNOWN.",
			p.from.Format(time.DateOnly), p.to.Format(time.DateOnly), rep.Decisions),
		PeriodStart: p.from.Format(time.DateOnly),
		PeriodEnd:   p.to.Format(time.DateOnly),
		PublishedOn: published.Format(time.DateOnly),
		Publisher:   "Dual-use transparency portal (conversion of the UK's published export licensing data)",
		Source: "UK Strategic Export Controls licensing data (Export Control Organisation, Department for " +
			"Business, Innovation and Skills), compiled by Campaign Against Arms Trade (CAAT): " + sourceURL +
			", converted from " + rep.Input + " and refusal-criteria.csv. Contains public sector " +
			"information licensed under the Open Government Licence v3.0.",
		Licence:            "OGL-UK-3.0",
		MethodologyVersion: "uk-1.0",
		Citation: fmt.Sprintf("UK Strategic Export Controls licensing data, compiled by CAAT (%s), converted by "+
			"the Dual-use transparency portal: release %s, United Kingdom dual-use export licence decisions "+
			"%s, published %s. Contains public sector information licensed under the Open Government "+
			"Licence v3.0.", sourceURL, id, years, published.Format(time.DateOnly)),
		Synthetic: false,
		URL:       sourceURL,
	}
}
