package release

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/dualuse-transparency/portal/internal/codes"
)

// The columns of licence_decisions.csv, in file order.
const (
	colDecisionID = iota
	colMemberState
	colDate
	colLicenceType
	colOutcome
	colDestination
	colEndUserType
	colControlEntry
	colValue
	colExporter
	colGrounds
	colCatchAll
	decisionColumnCount
)

// decisionColumns reads each column of a row on its own; rules that need two columns
// are in crossColumnRules.
var decisionColumns = [decisionColumnCount]struct {
	name  string
	parse func(r *decisionReader, d *Decision, s string) error
}{
	colDecisionID:   {"decision_id", (*decisionReader).decisionID},
	colMemberState:  {"member_state", (*decisionReader).memberState},
	colDate:         {"decision_date", (*decisionReader).date},
	colLicenceType:  {"licence_type", (*decisionReader).licenceType},
	colOutcome:      {"outcome", (*decisionReader).outcome},
	colDestination:  {"destination", (*decisionReader).destination},
	colEndUserType:  {"end_user_type", (*decisionReader).endUserType},
	colControlEntry: {"control_entry", (*decisionReader).controlEntry},
	colValue:        {"value_eur", (*decisionReader).value},
	colExporter:     {"exporter_id", (*decisionReader).exporter},
	colGrounds:      {"denial_grounds", (*decisionReader).grounds},
	colCatchAll:     {"catch_all", (*decisionReader).catchAll},
}

func decisionHeader() []string {
	names := make([]string, len(decisionColumns))
	for i, c := range decisionColumns {
		names[i] = c.name
	}
	return names
}

const (
	maxDecisionID = 64
	maxExporterID = 128
	// maxValueEUR is beyond any real licence and below 2^46 (7.0e13), up to which a
	// float64 still keeps every cent: above it 99999999999999.99 reads as ...98.
	maxValueEUR = 1e13
)

func (r *decisionReader) decisionID(d *Decision, s string) error {
	if err := checkLength(s, maxDecisionID); err != nil {
		return err
	}
	d.DecisionID = strings.Clone(s) // not a slice of the whole line, which can then go
	return nil
}

func (r *decisionReader) memberState(d *Decision, s string) (err error) {
	d.MemberState, err = r.state(s)
	return err
}

func (r *decisionReader) date(d *Decision, s string) error {
	t, err := r.dates.parse(s)
	if err != nil {
		return err
	}
	d.Date = t
	if r.hasPeriod && !r.period.contains(t) {
		return fmt.Errorf("%s is outside the release period %s", s, r.period)
	}
	return nil
}

func (r *decisionReader) licenceType(d *Decision, s string) (err error) {
	d.LicenceType, err = parseCode(codes.LicenceTypes, s)
	return err
}

func (r *decisionReader) outcome(d *Decision, s string) (err error) {
	d.Outcome, err = parseCode(codes.Outcomes, s)
	return err
}

func (r *decisionReader) endUserType(d *Decision, s string) (err error) {
	d.EndUserType, err = parseCode(codes.EndUserTypes, s)
	return err
}

func (r *decisionReader) destination(d *Decision, s string) (err error) {
	d.Destination, err = r.country(s)
	return err
}

// controlEntry accepts an empty entry here; whether one is needed depends on catch_all.
// A well-formed Annex I code that the reference data does not know is accepted with a
// warning: an authority's real file must not bounce because the portal's list is
// behind. A malformed code is refused.
func (r *decisionReader) controlEntry(d *Decision, s string) error {
	if s == "" {
		return nil
	}
	if code, err := r.entry(s); err == nil {
		d.ControlEntry = code
		return nil
	}
	if !annexCode.MatchString(s) {
		return fmt.Errorf("%q is not an Annex I code (such as 5A002 or 5A001.f.1)", s)
	}
	d.ControlEntry = r.unknownEntry(s, d.Line)
	return nil
}

// value reads value_eur; empty means unknown, which is never read as 0.
func (r *decisionReader) value(d *Decision, s string) error {
	if s == "" {
		return nil
	}
	v, ok := parseAmount(s, 2)
	switch {
	case !ok:
		return fmt.Errorf("%q is not an amount (a number >= 0 with at most 2 decimals)", s)
	case v >= maxValueEUR:
		return fmt.Errorf("%s is too large (must be below 1e13)", s)
	}
	d.ValueEUR, d.ValueKnown = v, true
	return nil
}

func (r *decisionReader) exporter(d *Decision, s string) error {
	if err := checkLength(s, maxExporterID); err != nil {
		return err
	}
	id, ok := r.exporters[s]
	if !ok {
		id = strings.Clone(s)
		r.exporters[id] = id
	}
	d.ExporterID = id
	return nil
}

// grounds reads the ';'-separated denial grounds; whether there must be any depends
// on the outcome.
func (r *decisionReader) grounds(d *Decision, s string) error {
	var err error
	d.DenialGrounds, err = parseList(s, func(part string) (codes.DenialGround, error) {
		return parseCode(codes.DenialGrounds, part)
	})
	return err
}

// catchAll reads the catch-all clause of the decision. The format's first version had
// true (the human-rights catch-all) and false (none); both are still read.
func (r *decisionReader) catchAll(d *Decision, s string) error {
	switch s {
	case "true":
		d.CatchAll = codes.CyberSurveillanceCatchAll
	case "false":
		d.CatchAll = codes.NoCatchAll
	default:
		var err error
		d.CatchAll, err = parseCode(codes.CatchAlls, s)
		return err
	}
	return nil
}

// crossColumnRules tie two columns of a row together. Each runs only when the
// columns it needs were readable, and its problem is reported on column col.
var crossColumnRules = []struct {
	col   int
	needs []int
	check func(r *decisionReader, d *Decision) error
}{
	{colMemberState, []int{colMemberState, colDate}, (*decisionReader).memberOnDate},
	{colDestination, []int{colDestination, colDate}, (*decisionReader).destinationOnDate},
	{colDestination, []int{colDestination, colMemberState, colDate, colLicenceType}, (*decisionReader).intraEU},
	{colControlEntry, []int{colControlEntry, colCatchAll}, (*decisionReader).entryNeeded},
	{colControlEntry, []int{colControlEntry, colDate}, (*decisionReader).entryInForce},
	{colCatchAll, []int{colCatchAll, colDate}, (*decisionReader).catchAllInForce},
	{colGrounds, []int{colGrounds, colOutcome}, (*decisionReader).groundsMatchOutcome},
}

func (r *decisionReader) memberOnDate(d *Decision) error {
	return r.memberOn(d.MemberState, d.Date)
}

func (r *decisionReader) destinationOnDate(d *Decision) error {
	return r.countryOn(d.Destination, d.Date)
}

// intraEU refuses an export to the exporting Member State itself, and accepts a
// destination inside the Union only as an intra-EU transfer (licence type
// INTRA_EU_TRANSFER), which in turn needs one.
func (r *decisionReader) intraEU(d *Decision) error {
	inside := r.isMemberOn(d.Destination, d.Date)
	transfer := d.LicenceType == codes.IntraEUTransfer
	switch {
	case d.Destination == d.MemberState:
		return fmt.Errorf("%s is the exporting Member State itself", d.Destination)
	case inside && !transfer:
		return fmt.Errorf("%s was a Member State on %s: a decision inside the Union must have licence_type %s", d.Destination, day(d.Date), codes.IntraEUTransfer)
	case !inside && transfer:
		return fmt.Errorf("licence_type %s needs a Member State as destination; %s was not one on %s", codes.IntraEUTransfer, d.Destination, day(d.Date))
	}
	return nil
}

// entryNeeded allows a decision without a control entry only for a non-listed item,
// which only a catch-all can bring under control.
func (r *decisionReader) entryNeeded(d *Decision) error {
	if d.ControlEntry == "" && d.CatchAll == codes.NoCatchAll {
		return errors.New("required unless the decision was made under a catch-all (catch_all other than NONE)")
	}
	return nil
}

// entryInForce warns about an entry the reference data knows as not in force on the
// date: the reference's dates of older entries are not all verified (see
// db/reference/README.md), so this is the operator's to check, not a reason to refuse.
func (r *decisionReader) entryInForce(d *Decision) error {
	e, listed := r.entries[d.ControlEntry]
	if listed && !e.contains(d.Date) {
		r.warn("control_entry", fmt.Sprintf("%s: the reference data has it in force %s", e.code, e.span), d.Line)
	}
	return nil
}

// cyberCatchAllFrom is the day Regulation (EU) 2021/821 applied (its Article 32;
// CELEX 32021R0821), and with it the cyber-surveillance catch-all of its Article 5.
var cyberCatchAllFrom = time.Date(2021, 9, 9, 0, 0, 0, 0, time.UTC)

// catchAllInForce warns about a decision under the cyber-surveillance catch-all dated
// before that clause existed: most likely a national measure (Article 8 of Regulation
// 428/2009) recorded under the newer clause. The authority's record is kept as it is.
func (r *decisionReader) catchAllInForce(d *Decision) error {
	if d.CatchAll == codes.CyberSurveillanceCatchAll && d.Date.Before(cyberCatchAllFrom) {
		r.warn("catch_all", fmt.Sprintf("CYBER_SURVEILLANCE before %s, when the cyber-surveillance catch-all (Article 5 of Regulation (EU) 2021/821) began to apply: check whether NATIONAL_MEASURE is meant", day(cyberCatchAllFrom)), d.Line)
	}
	return nil
}

func (r *decisionReader) groundsMatchOutcome(d *Decision) error {
	denied := d.Outcome == codes.Denied
	switch {
	case denied && len(d.DenialGrounds) == 0:
		return errors.New("required when the outcome is DENIED")
	case !denied && len(d.DenialGrounds) > 0:
		return fmt.Errorf("denial grounds on a non-denial (outcome %s)", d.Outcome)
	}
	return nil
}

// decisionAttributes are the columns that belong to the decision rather than to one
// of its control entries, so all its rows must agree on them.
var decisionAttributes = []decisionAttribute{
	textAttribute(colMemberState, func(d *Decision) string { return d.MemberState }),
	{colDate, func(a, b *Decision) bool { return a.Date.Equal(b.Date) }, func(d *Decision) string { return day(d.Date) }},
	textAttribute(colLicenceType, func(d *Decision) string { return string(d.LicenceType) }),
	textAttribute(colOutcome, func(d *Decision) string { return string(d.Outcome) }),
	textAttribute(colDestination, func(d *Decision) string { return d.Destination }),
	textAttribute(colEndUserType, func(d *Decision) string { return string(d.EndUserType) }),
	textAttribute(colExporter, func(d *Decision) string { return d.ExporterID }),
	{colGrounds, sameGrounds, showGrounds},
	textAttribute(colCatchAll, func(d *Decision) string { return string(d.CatchAll) }),
}

type decisionAttribute struct {
	col  int
	same func(a, b *Decision) bool
	show func(d *Decision) string
}

// textAttribute compares an attribute by its text, which costs nothing for these:
// the strings are shared and the codes are strings already.
func textAttribute(col int, show func(*Decision) string) decisionAttribute {
	return decisionAttribute{col, func(a, b *Decision) bool { return show(a) == show(b) }, show}
}

// sameGrounds compares the grounds as sets: their order in the file carries no meaning.
func sameGrounds(a, b *Decision) bool {
	return len(a.DenialGrounds) == len(b.DenialGrounds) &&
		!slices.ContainsFunc(a.DenialGrounds, func(g codes.DenialGround) bool { return !slices.Contains(b.DenialGrounds, g) })
}

func showGrounds(d *Decision) string {
	parts := make([]string, len(d.DenialGrounds))
	for i, g := range d.DenialGrounds {
		parts[i] = string(g)
	}
	return strings.Join(parts, ";")
}
