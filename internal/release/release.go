// Package release reads and validates one release of the portal's data (a folder of
// release.json and CSV files, or a .tar.gz of one) before anything reaches the
// database. Releases are immutable once loaded and every figure the API publishes is
// cited from one, so an import must be all or nothing: this package finds every
// problem in one pass, names each by file, line and column so a data team can fix them
// all at once, and only hands back a Release when there is none. It is pure (the
// reference data comes from the caller) so the rules are table-tested without a
// database, and fast enough to check a million decisions in a few seconds.
package release

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"time"

	"github.com/dualuse-transparency/portal/internal/codes"
	"github.com/dualuse-transparency/portal/internal/qmv"
)

// The files of a release folder.
const (
	metaFile          = "release.json"
	decisionsFile     = "licence_decisions.csv"
	figuresFile       = "official_figures.csv"
	notificationsFile = "catch_all_notifications.csv"
	objectionsFile    = "objections.csv"
	agreementsFile    = "agreements.csv"
	listItemsFile     = "list_items.csv"
)

// requiredFiles must be in every release; optionalFiles, the catch-all procedure, come
// all three or none; agreements.csv, the responses under Article 5, may come with them.
var (
	requiredFiles = []string{metaFile, decisionsFile, figuresFile}
	optionalFiles = []string{notificationsFile, objectionsFile, listItemsFile}
)

// Meta is the provenance of a release, as given in release.json.
type Meta struct {
	ID, Title, Description              string
	PeriodStart, PeriodEnd, PublishedOn time.Time
	Publisher, Source, Licence          string
	MethodologyVersion, Citation        string
	Synthetic                           bool
	URL                                 string
}

// Decision is one row of licence_decisions.csv: one control entry of one decision.
type Decision struct {
	Line          int
	DecisionID    string
	MemberState   string // ISO
	Date          time.Time
	LicenceType   codes.LicenceType
	Outcome       codes.Outcome
	Destination   string
	EndUserType   codes.EndUserType
	ControlEntry  string // "" for a non-listed item (catch-all only)
	ValueEUR      float64
	ValueKnown    bool // false when value_eur is empty: the value is unknown, never 0
	ExporterID    string
	DenialGrounds []codes.DenialGround
	CatchAll      codes.CatchAll
}

// OfficialFigure is a figure already published by an authority, kept exact with its source.
type OfficialFigure struct {
	Line, Year                                int
	Scope, Metric                             string
	Value                                     float64
	Unit, SourceDocument, SourceURL, Verified string
}

// Release is a validated release, ready to load.
type Release struct {
	Meta            Meta
	Decisions       []Decision
	OfficialFigures []OfficialFigure
	Notifications   []Notification
	Objections      []Objection
	Agreements      []Agreement
	ListItems       []ListItem // one per version of an item's scope
	// Checksum is the hex SHA-256 over the input files: for each file in name order,
	// its name, a NUL, its length in decimal, a NUL, its bytes.
	Checksum string
	Files    []string // the input files, in name order
	// Warnings are what the import accepts but the operator should know: control
	// entries the reference data does not know, or knows as not in force on the date.
	Warnings Problems
	tallier  *tallier // for Tally
}

// Reference is the reference data a release is checked against; the caller loads it
// from the database, so this package stays pure.
type Reference struct {
	Countries      map[string]Validity   // by ISO alpha-2 code (XK for Kosovo): when it could be a destination
	MemberStates   map[string]Membership // by ISO code
	ControlEntries map[string]Validity   // by code
	// Population is the population figures for qualified-majority voting, by year and
	// ISO state, each with its publisher (the Council's own, else Eurostat's).
	Population qmv.Figures
}

// Membership is when a state was a Member State; Until is the last day, nil while it is one.
type Membership struct {
	EUCode string
	From   time.Time
	Until  *time.Time
}

// Validity is when a control entry was in force; To is the last day, nil while it is.
type Validity struct {
	From time.Time
	To   *time.Time
}

// Read validates the release folder dir against ref. When the data is bad the error
// is a Problems value listing every problem found; any other error means the folder
// or one of its files could not be read at all.
func Read(dir string, ref Reference) (*Release, error) {
	rel, err := read(dir, ref)
	if err != nil && !errors.As(err, new(Problems)) {
		return nil, fmt.Errorf("release.Read(%q): %w", dir, err)
	}
	return rel, err
}

func read(dir string, ref Reference) (*Release, error) {
	files, probs, err := listFiles(dir)
	if err != nil {
		return nil, err
	}
	rel := &Release{Files: files}
	var shapes map[string]fileShape
	if rel.Checksum, shapes, err = checksum(dir, files); err != nil {
		return nil, err
	}
	if rel.Meta, err = readMeta(dir, files, probs); err != nil {
		return nil, err
	}
	rules := newRules(ref, rel.Meta)
	warns := &warnings{}
	if rel.Decisions, err = readDecisions(dir, files, shapes[decisionsFile], rules, probs, warns); err != nil {
		return nil, err
	}
	rel.Warnings = warns.sorted()
	if rel.OfficialFigures, err = readFigures(dir, files, probs); err != nil {
		return nil, err
	}
	rel.tallier = newTallier(ref)
	proc, err := readProcedure(dir, files, rules, rel.tallier, probs)
	if err != nil {
		return nil, err
	}
	rel.Notifications, rel.Objections, rel.Agreements, rel.ListItems = proc.notifications, proc.objections, proc.agreements, proc.items
	if len(probs.list) > 0 {
		return nil, probs.sorted()
	}
	return rel, nil
}

// listFiles returns the release files present in dir, in name order, with a problem
// for each missing required file and each file that has no place in a release.
func listFiles(dir string) ([]string, *problems, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, nil, err
	}
	probs := &problems{}
	var files []string
	for _, e := range entries {
		known := slices.Contains(requiredFiles, e.Name()) || slices.Contains(optionalFiles, e.Name()) || e.Name() == agreementsFile
		switch {
		case !known:
			probs.add(e.Name(), 0, "-", "unexpected file")
		case !e.Type().IsRegular():
			probs.add(e.Name(), 0, "-", "not a regular file")
		default:
			files = append(files, e.Name())
		}
	}
	for _, name := range requiredFiles {
		if !slices.Contains(files, name) && !probs.has(name) {
			probs.add(name, 0, "-", "missing file")
		}
	}
	return files, probs, nil
}
