package db

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/dualuse-transparency/portal/internal/apperr"
	"github.com/dualuse-transparency/portal/internal/codes"
	"github.com/dualuse-transparency/portal/internal/disclosure"
	"github.com/dualuse-transparency/portal/internal/release"
)

// ImportOptions control an import.
type ImportOptions struct {
	Replace      bool                  // replace a release with the same id instead of refusing
	Unchanged    UnchangedAction       // what to do when the same release (same checksum) is loaded
	PseudonymKey []byte                // the operator's key for exporter pseudonyms
	Progress     func(done, total int) // called every progressEvery rows; may be nil
	Log          *slog.Logger          // where the precomputation is reported; nil: slog.Default()
}

// UnchangedAction says what an import does when the release it loads is there already
// with the same checksum.
type UnchangedAction int

// The actions for an unchanged release.
const (
	Reload UnchangedAction = iota // import it again (with Replace), or refuse (without)
	Skip                          // leave it as it is: nothing to do
)

const progressEvery = 100_000

// Import loads a validated release in one transaction: its metadata, its decisions
// (by COPY, into a partition of their own) and its official figures. Exporter ids are
// replaced by keyed pseudonyms and each decision gets its record key (see
// release.RecordKey). On any error
// nothing is loaded; another release is never touched. skipped reports an unchanged
// release left as it was (ImportOptions.Unchanged).
//
// Once the release is committed, its standard tables are precomputed (Precompute) and
// reported to opts.Log; a release whose precomputation failed is loaded and correct,
// its tables computed on request. An unchanged release that was loaded without them
// gets them.
func (db *DB) Import(ctx context.Context, rel *release.Release, opts ImportOptions) (skipped bool, err error) {
	skipped, err = db.importRelease(ctx, rel, opts)
	if err != nil {
		return skipped, err
	}
	if skipped {
		if done, err := db.hasStoredCells(ctx, rel.Meta.ID); err != nil || done {
			return skipped, nil // a release loaded and unchanged: nothing more to do
		}
	}
	db.precomputeAfterImport(ctx, rel.Meta.ID, opts.Log)
	return skipped, nil
}

// importRelease loads the release in one transaction (see Import).
func (db *DB) importRelease(ctx context.Context, rel *release.Release, opts ImportOptions) (skipped bool, err error) {
	defer apperr.Wrap(&err, "db.Import(%s)", rel.Meta.ID)
	if !release.IDPattern.MatchString(rel.Meta.ID) { // it becomes part of a table's DDL
		return false, apperr.Errorf(apperr.Invalid, "release id %q is not of the form %s", rel.Meta.ID, release.IDPattern)
	}
	if len(opts.PseudonymKey) == 0 {
		return false, apperr.Errorf(apperr.Invalid, "no pseudonym key: the exporter ids cannot be pseudonymised")
	}
	derived, err := db.derivations(ctx)
	if err != nil {
		return false, err
	}
	return skipped, pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		if skipped, err = makeRoom(ctx, tx, rel, opts); err != nil || skipped {
			return err
		}
		if err := insertRelease(ctx, tx, rel); err != nil {
			return err
		}
		if err := copyDecisions(ctx, tx, rel, decisionRows(rel, derived, opts, db.protector)); err != nil {
			return err
		}
		return copySmallTables(ctx, tx, rel)
	})
}

// partitionName is the table that holds a release's decisions.
func partitionName(id string) string {
	sum := sha256.Sum256([]byte(id))
	return "decisions_" + hex.EncodeToString(sum[:8])
}

// makeRoom refuses an existing release, or drops it when replacing. done reports that
// the release is loaded already, unchanged, and is to be left as it is.
func makeRoom(ctx context.Context, tx pgx.Tx, rel *release.Release, opts ImportOptions) (done bool, err error) {
	id := rel.Meta.ID
	var checksum string
	err = tx.QueryRow(ctx, `SELECT checksum FROM releases WHERE id = $1 FOR UPDATE`, id).Scan(&checksum)
	switch {
	case err == pgx.ErrNoRows:
		return false, nil
	case err != nil:
		return false, err
	case checksum == rel.Checksum && opts.Unchanged == Skip:
		return true, nil
	case !opts.Replace:
		return false, apperr.Errorf(apperr.Invalid, "release %q exists already: import it with --replace to replace it", id)
	}
	if _, err := tx.Exec(ctx, "DROP TABLE IF EXISTS "+pgx.Identifier{partitionName(id)}.Sanitize()); err != nil {
		return false, err
	}
	_, err = tx.Exec(ctx, `DELETE FROM releases WHERE id = $1`, id)
	return false, err
}

func insertRelease(ctx context.Context, tx pgx.Tx, rel *release.Release) error {
	m := rel.Meta
	var url *string
	if m.URL != "" {
		url = &m.URL
	}
	_, err := tx.Exec(ctx, `
		INSERT INTO releases (id, title, description, period_start, period_end, published_on, publisher,
		                      source, licence, methodology_version, citation, synthetic, url, checksum)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
		m.ID, m.Title, m.Description, m.PeriodStart, m.PeriodEnd, m.PublishedOn, m.Publisher,
		m.Source, m.Licence, m.MethodologyVersion, m.CitationText(), m.Synthetic, url, rel.Checksum)
	return err
}

// derivations are the reference facts stored beside each decision, so statistics need
// no joins: a country's M49 region and sub-region, an entry's category and flag.
type derivations struct {
	region, subRegion map[string]*string
	category          map[string]int16
	cyber             map[string]bool
}

// categoryOf is the category of an entry: the first digit of its code, so that an
// entry the reference data lacks still falls in its category.
func (d derivations) categoryOf(entry string) int16 {
	if c, ok := d.category[entry]; ok || entry == "" {
		return c
	}
	return int16(entry[0] - '0')
}

// isCyber says whether a line is on a cyber-surveillance item: a cyber-surveillance
// entry of Annex I, or any item under the cyber-surveillance catch-all.
func (d derivations) isCyber(l release.Decision) bool {
	return l.CatchAll == codes.CyberSurveillanceCatchAll || d.cyber[l.ControlEntry]
}

func (db *DB) derivations(ctx context.Context) (derivations, error) {
	d := derivations{region: map[string]*string{}, subRegion: map[string]*string{}, category: map[string]int16{}, cyber: map[string]bool{}}
	countries, err := db.Countries(ctx, "")
	for _, c := range countries {
		if c.Region != nil {
			d.region[c.Code], d.subRegion[c.Code] = &c.Region.Code, &c.SubRegion.Code
		}
	}
	if err != nil {
		return d, err
	}
	rows, err := db.pool.Query(ctx, `SELECT code, category, cyber_surveillance FROM control_entries ORDER BY code`)
	if err != nil {
		return d, err
	}
	var code string
	var category int16
	var cyber bool
	_, err = pgx.ForEachRow(rows, []any{&code, &category, &cyber}, func() error {
		d.category[code], d.cyber[code] = category, cyber
		return nil
	})
	return d, err
}

var decisionColumns = []string{
	"release_id", "decision_id", "member_state", "decision_date", "licence_type", "outcome",
	"destination", "end_user_type", "control_entry", "value_cents", "exporter", "denial_grounds",
	"catch_all", "record_key", "year", "quarter", "destination_region", "destination_sub_region",
	"control_category", "cyber_surveillance", "exporter_no", "decision_no",
	"unit_decision", "unit_category", "unit_cyber", "unknown_decision", "unknown_category", "unknown_cyber",
	"noisy_value_cents",
}

// copyDecisions creates the release's partition and fills it with COPY.
//
// The partition is filled as a table of its own, without indexes, and attached to
// decisions afterwards: PostgreSQL then builds the parent's indexes on it in one pass
// each, which is faster than keeping three indexes up to date row by row during the
// COPY, and its CHECK constraint lets ATTACH PARTITION skip the scan that would prove
// every row belongs to the release. ATTACH locks decisions only against other schema
// changes (SHARE UPDATE EXCLUSIVE), so the portal goes on answering meanwhile.
func copyDecisions(ctx context.Context, tx pgx.Tx, rel *release.Release, rows *decisionSource) error {
	table := pgx.Identifier{partitionName(rel.Meta.ID)}.Sanitize()
	id := strings.ReplaceAll(rel.Meta.ID, "'", "''")
	if _, err := tx.Exec(ctx, fmt.Sprintf("CREATE TABLE %s (LIKE decisions INCLUDING DEFAULTS INCLUDING CONSTRAINTS, CHECK (release_id = '%s'))", table, id)); err != nil {
		return err
	}
	// In date order, a year's decisions sit together on disk, where the date index
	// finds them; by decision within a day, so the lines of a decision are adjacent.
	slices.SortStableFunc(rel.Decisions, func(a, b release.Decision) int {
		return cmp.Or(a.Date.Compare(b.Date), strings.Compare(a.DecisionID, b.DecisionID))
	})
	// FREEZE: the table is new in this transaction, so its rows can be written frozen,
	// and the first scans after the import need not set their hint bits.
	copySQL := fmt.Sprintf("COPY %s (%s) FROM STDIN (FORMAT binary, FREEZE)", table, strings.Join(decisionColumns, ", "))
	if _, err := copyBinary(ctx, tx.Conn().PgConn(), copySQL, rows.next); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, fmt.Sprintf("ALTER TABLE decisions ATTACH PARTITION %s FOR VALUES IN ('%s')", table, id)); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, "ANALYZE "+table)
	return err
}

// decisionSource feeds COPY one line at a time, pseudonymising as it goes.
type decisionSource struct {
	rel        *release.Release
	derived    derivations
	opts       ImportOptions
	protector  *disclosure.Protector // for the decisions' perturbed values
	i          int
	pseudonyms map[string][]byte // by exporter id: HMAC once per exporter
	numbers    map[string]int32  // by exporter id: the release's number of the exporter
	decisionNo int32             // the number of the decision of line i
	first      int               // the index of that decision's first line
	units      []lineUnits       // the counts each line of that decision carries
	recordKey  uint32            // that decision's record key
	recordKeys *release.RecordKeys
	grounds    []string // scratch for a line's denial grounds
}

func decisionRows(rel *release.Release, derived derivations, opts ImportOptions, p *disclosure.Protector) *decisionSource {
	return &decisionSource{rel: rel, derived: derived, opts: opts, protector: p, i: -1, pseudonyms: map[string][]byte{}, numbers: map[string]int32{}}
}

// next appends the next line to b as a COPY tuple; false when there is none.
func (s *decisionSource) next(b []byte) ([]byte, bool) {
	if !s.advance() {
		return b, false
	}
	return s.appendTuple(b), true
}

// advance moves to the next line, and to its decision's units and record key when it
// starts a decision; false after the last line.
func (s *decisionSource) advance() bool {
	s.i++
	if s.opts.Progress != nil && s.i > 0 && (s.i%progressEvery == 0 || s.i == len(s.rel.Decisions)) {
		s.opts.Progress(s.i, len(s.rel.Decisions))
	}
	if s.i >= len(s.rel.Decisions) {
		return false
	}
	if s.i == 0 || s.rel.Decisions[s.i-1].DecisionID != s.rel.Decisions[s.i].DecisionID {
		s.decisionNo, s.first = s.decisionNo+1, s.i
		s.units = s.decisionUnits(s.i)
	}
	return true
}

// decisionUnits marks the lines of the decision starting at line first.
func (s *decisionSource) decisionUnits(first int) []lineUnits {
	end := first + 1
	for end < len(s.rel.Decisions) && s.rel.Decisions[end].DecisionID == s.rel.Decisions[first].DecisionID {
		end++
	}
	if s.recordKeys == nil {
		s.recordKeys = release.NewRecordKeys(s.opts.PseudonymKey)
	}
	s.recordKey = s.recordKeys.Of(release.DecisionContent(s.rel.Decisions[first:end]))
	lines := make([]unitLine, end-first)
	for i, d := range s.rel.Decisions[first:end] {
		lines[i] = unitLine{category: s.derived.categoryOf(d.ControlEntry), cyber: s.derived.isCyber(d), unknown: !d.ValueKnown}
	}
	return markUnits(lines)
}

// appendTuple appends line i as a tuple of COPY's binary format, its fields in the
// order of decisionColumns.
func (s *decisionSource) appendTuple(b []byte) []byte {
	d := &s.rel.Decisions[s.i]
	t := copyTuple(b)
	t.start(len(decisionColumns))
	t.text(s.rel.Meta.ID)
	t.text(d.DecisionID)
	t.text(d.MemberState)
	t.date(d.Date)
	t.text(string(d.LicenceType))
	t.text(string(d.Outcome))
	t.text(d.Destination)
	t.text(string(d.EndUserType))
	listed := d.ControlEntry != "" // else a non-listed item: no entry, no category
	if listed {
		t.text(d.ControlEntry)
	} else {
		t.null()
	}
	var value, noisy *int64
	if d.ValueKnown {
		value = ptrTo(int64(math.Round(d.ValueEUR * 100)))
		noisy = ptrTo(s.protector.DecisionValue(*value, s.recordKey))
	}
	t.int64OrNull(value)
	t.bytes(s.pseudonym(d.ExporterID))
	s.grounds = s.grounds[:0]
	for _, g := range d.DenialGrounds {
		s.grounds = append(s.grounds, string(g))
	}
	t.textArray(s.grounds)
	t.text(string(d.CatchAll))
	t.int64(int64(s.recordKey))
	t.int16(int16(d.Date.Year()))
	t.int16(int16((d.Date.Month()-1)/3 + 1))
	t.textOrNull(s.derived.region[d.Destination])
	t.textOrNull(s.derived.subRegion[d.Destination])
	if listed {
		t.int16(s.derived.categoryOf(d.ControlEntry))
	} else {
		t.null()
	}
	t.bool(s.derived.isCyber(*d))
	t.int32(s.number(d.ExporterID))
	t.int32(s.decisionNo)
	u := s.units[s.i-s.first]
	for _, v := range []bool{u.decision, u.category, u.cyber, u.unknownDecision, u.unknownCategory, u.unknownCyber} {
		t.bool(v)
	}
	t.int64OrNull(noisy)
	return t
}

// number is the exporter's number in the release, in order of first appearance.
func (s *decisionSource) number(exporterID string) int32 {
	n, ok := s.numbers[exporterID]
	if !ok {
		n = int32(len(s.numbers) + 1)
		s.numbers[exporterID] = n
	}
	return n
}

func (s *decisionSource) pseudonym(exporterID string) []byte {
	p, ok := s.pseudonyms[exporterID]
	if !ok {
		p = release.Pseudonym(s.opts.PseudonymKey, exporterID)
		s.pseudonyms[exporterID] = p
	}
	return p
}

// copySmallTables loads the official figures and the catch-all procedure: the
// notifications, objections, agreements, list items and the versions of their scope.
func copySmallTables(ctx context.Context, tx pgx.Tx, rel *release.Release) error {
	id := rel.Meta.ID
	figures := make([][]any, len(rel.OfficialFigures))
	for i, f := range rel.OfficialFigures {
		figures[i] = []any{id, int16(f.Year), f.Scope, f.Metric, f.Value, f.Unit, f.SourceDocument, nilIfEmpty(strings.TrimSpace(f.SourceURL)), f.Verified}
	}
	notifications := make([][]any, len(rel.Notifications))
	for i, n := range rel.Notifications {
		notifications[i] = []any{id, n.ID, string(n.Procedure), n.NotifyingState, n.NotifiedOn, n.ItemDescription, nilIfEmpty(n.ControlEntry),
			orEmpty(n.Destinations), n.Deadline, n.WithdrawnOn, n.LegalReference}
	}
	agreements := make([][]any, len(rel.Agreements))
	for i, a := range rel.Agreements {
		agreements[i] = []any{id, a.NotificationID, a.State, a.On}
	}
	objections := make([][]any, len(rel.Objections))
	for i, o := range rel.Objections {
		objections[i] = []any{id, o.NotificationID, o.State, o.On}
	}
	items, versions := listItemRows(id, rel.ListItems)
	tables := []struct {
		name    string
		columns []string
		rows    [][]any
	}{
		{"official_figures", []string{"release_id", "year", "scope", "metric", "value", "unit", "source_document",
			"source_url", "verified"}, figures},
		{"catch_all_notifications", []string{"release_id", "id", "procedure", "notifying_state", "notified_on", "item_description",
			"control_entry", "destinations", "deadline", "withdrawn_on", "legal_reference"}, notifications},
		{"objections", []string{"release_id", "notification_id", "objecting_state", "objected_on"}, objections},
		{"agreements", []string{"release_id", "notification_id", "member_state", "agreed_on"}, agreements},
		{"list_items", []string{"release_id", "id", "notification_id", "listed_on", "removed_on", "removal_reason"}, items},
		{"list_item_versions", []string{"release_id", "item_id", "valid_from", "description", "control_entry", "destinations",
			"amendment", "legal_reference"}, versions},
	}
	for _, t := range tables {
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{t.name}, t.columns, pgx.CopyFromRows(t.rows)); err != nil {
			return fmt.Errorf("%s: %w", t.name, err)
		}
	}
	return nil
}

// listItemRows splits the versions of the release's list items into a row per item
// (its listing: the earliest version, and its removal: on the latest) and a row per
// version.
func listItemRows(id string, versions []release.ListItem) (items, rows [][]any) {
	first := map[string]int{}
	for _, v := range versions {
		rows = append(rows, []any{id, v.ID, v.ValidFrom, v.Description, nilIfEmpty(v.ControlEntry), orEmpty(v.Destinations),
			nilIfEmpty(v.Amendment), v.LegalReference})
		i, seen := first[v.ID]
		if !seen {
			first[v.ID] = len(items)
			items = append(items, []any{id, v.ID, v.NotificationID, v.ValidFrom, v.RemovedOn, nilIfEmpty(v.RemovalReason)})
			continue
		}
		if v.ValidFrom.Before(items[i][3].(time.Time)) {
			items[i][3] = v.ValidFrom
		}
		if v.RemovedOn != nil {
			items[i][4], items[i][5] = v.RemovedOn, nilIfEmpty(v.RemovalReason)
		}
	}
	return items, rows
}

func nilIfEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// orEmpty stores "every destination" as an empty list, never NULL.
func orEmpty(codes []string) []string {
	if codes == nil {
		return []string{}
	}
	return codes
}
