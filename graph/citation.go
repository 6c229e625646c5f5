package graph

import (
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/dualuse-transparency/portal/db"
)

// Citations makes the texts and stable URLs users cite: every URL pins a release, so a
// citation keeps pointing at the figures it quotes after newer releases come out.
type Citations struct {
	BaseURL string // where users reach the portal, without a trailing slash
}

// ReleasePermalink is the stable URL of a release's metadata.
func (c Citations) ReleasePermalink(r *db.Release) string {
	return c.Base() + "/releases/" + url.PathEscape(r.ID)
}

// ReportPermalink is the stable URL of an annual report's JSON, pinned to its release.
func (c Citations) ReportPermalink(r *db.Release, year int) string {
	return fmt.Sprintf("%s/download/annual-report/%d.json?release=%s", c.Base(), year, url.QueryEscape(r.ID))
}

// Report is the citation text of an annual report.
func (c Citations) Report(rep *db.AnnualReport) string {
	r := rep.Release
	return fmt.Sprintf("%s (%d). %s: annual report %d [data set]. Release %s, published %s. %s. %s",
		r.Publisher, r.PublishedOn.Year(), r.Title, rep.Year, r.ID, r.PublishedOn.Format(time.DateOnly),
		r.Licence, c.ReportPermalink(r, rep.Year))
}

// Base is the portal's address without a trailing slash, the root of every URL it
// makes.
func (c Citations) Base() string { return strings.TrimSuffix(c.BaseURL, "/") }
