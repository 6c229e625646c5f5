package demodata

import (
	"bufio"
	"encoding/csv"
	"hash/fnv"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/dualuse-transparency/portal/internal/codes"
	"github.com/dualuse-transparency/portal/internal/release"
)

// The files of the catch-all procedures, with their headers, and their indexes.
const (
	notificationsCSV = iota
	objectionsCSV
	agreementsCSV
	itemsCSV
)

var procedureFiles = [...]struct {
	name   string
	header []string
}{
	{"catch_all_notifications.csv", []string{"notification_id", "procedure", "notifying_state", "notified_on",
		"item_description", "control_entry", "destinations", "deadline", "withdrawn_on", "legal_reference"}},
	{"objections.csv", []string{"notification_id", "objecting_state", "objected_on"}},
	{"agreements.csv", []string{"notification_id", "member_state", "agreed_on"}},
	{"list_items.csv", []string{"item_id", "notification_id", "valid_from", "description", "control_entry",
		"destinations", "amendment", "removed_on", "removal_reason", "legal_reference"}},
}

// The demo gives the other Member States 30 working days under either procedure: to
// object under the European Parliament's position of 2018, to review the information
// and agree under Article 5 of Regulation (EU) 2021/821. An item is listed, or
// published, within two weeks of the deadline.
const (
	windowWorkingDays = 30
	maxListingDelay   = 10 // working days
)

// The legal references the demo writes. Only a notification under Article 5 cites
// that article: the Parliament's mechanism, with its objection vote, was never adopted.
const (
	epPosition = "the European Parliament's position of 17 January 2018 (P8_TA(2018)0006), not adopted"
	article5   = "Article 5 of Regulation (EU) 2021/821"
)

// procedure is the rows of the four files; sum counts the notifications by outcome.
type procedure struct {
	files [len(procedureFiles)][][]string // the rows of each file
	sum   *Summary
}

// response is an objection (EP_POSITION_2018) or an agreement (Article 5).
type response struct {
	state string
	on    time.Time
}

// timing is the dates of a notice. Chance decides when each state objected or agreed
// (on a working day while the notification was open), unless the story fixes the day,
// and when the item was listed; every notice is drawn from its own random stream
// whatever the publication date, so a notice reads the same in every release that
// shows it, and adding a notice moves no other.
type timing struct {
	notified, deadline time.Time
	withdrawn          *time.Time
	responses          []response // in the order made
	listed             time.Time
}

// planProcedure tells the history as it stood on published, counting it in sum.
func planProcedure(seed uint64, published time.Time, sum *Summary) procedure {
	p := procedure{sum: sum}
	for _, n := range history {
		t := n.draw(noticeRand(seed, n.id))
		if !t.notified.After(published) {
			p.add(n, t, published)
		}
	}
	return p
}

// noticeRand is the random stream of one notice of a seed.
func noticeRand(seed uint64, id string) *rand.Rand {
	h := fnv.New64a()
	h.Write([]byte(id))
	return rand.New(rand.NewPCG(seed, splitmix(splitmix(seed^purposeProcedure)^h.Sum64())))
}

func (n notice) draw(r *rand.Rand) timing {
	t := timing{notified: mustDate(n.notified)}
	t.deadline = addWorkingDays(t.notified, windowWorkingDays)
	open := windowWorkingDays
	if n.withdrawnAfter > 0 {
		w := addWorkingDays(t.notified, n.withdrawnAfter)
		t.withdrawn, open = &w, n.withdrawnAfter
	}
	for _, s := range n.responders(t.deadline) {
		on := addWorkingDays(t.notified, 1+r.IntN(open))
		if fixed, ok := n.objectedOn[s]; ok {
			on = mustDate(fixed)
		}
		t.responses = append(t.responses, response{s, on})
	}
	slices.SortStableFunc(t.responses, func(a, b response) int { return a.on.Compare(b.on) })
	t.listed = addWorkingDays(t.deadline, 1+r.IntN(maxListingDelay))
	return t
}

// responders are the states that objected (EP_POSITION_2018) or, under Article 5,
// agreed: every Member State on the deadline but the notifying one and those that
// withheld their agreement.
func (n notice) responders(deadline time.Time) []string {
	if n.procedure == codes.EPPosition2018 {
		return n.objectors
	}
	var out []string
	for _, m := range memberStates {
		if m.code != n.state && m.memberOn(format(deadline)) && !slices.Contains(n.withheld, m.code) {
			out = append(out, m.code)
		}
	}
	return out
}

// listable says whether the notice placed an item on the list once its deadline passed.
func (n notice) listable() bool {
	if n.procedure == codes.EPPosition2018 {
		return !n.objected
	}
	return len(n.withheld) == 0
}

// add writes the notice as it stood on published and counts its outcome then.
func (p *procedure) add(n notice, t timing, published time.Time) {
	if t.withdrawn != nil && t.withdrawn.After(published) {
		t.withdrawn = nil // not withdrawn yet
	}
	p.files[notificationsCSV] = append(p.files[notificationsCSV], []string{n.id, string(n.procedure), n.state, n.notified,
		n.item, n.entry, strings.Join(n.dests, ";"), format(t.deadline), formatOptional(t.withdrawn), n.reference()})
	file := objectionsCSV
	if n.procedure == codes.Article5 {
		file = agreementsCSV
	}
	for _, r := range t.responses {
		if !r.on.After(published) {
			p.files[file] = append(p.files[file], []string{n.id, r.state, format(r.on)})
		}
	}
	p.sum.Notifications++
	switch {
	case t.withdrawn != nil:
		p.sum.Withdrawn++
	case !t.deadline.Before(published):
		p.sum.Pending++
	case n.listable():
		p.sum.Listed++
		p.files[itemsCSV] = append(p.files[itemsCSV], n.versions(t.listed, published)...)
	case n.procedure == codes.Article5:
		p.sum.NotAgreed++
	default:
		p.sum.Objected++
	}
}

// reference is the legal reference of the notification.
func (n notice) reference() string {
	if n.procedure == codes.Article5 {
		return article5 + "; synthetic notification " + n.id
	}
	return "Synthetic notification " + n.id + " under " + epPosition
}

// itemReference is the legal reference of the item the notice listed.
func (n notice) itemReference(id string) string {
	if n.procedure == codes.Article5 {
		return "Synthetic publication of " + id + " in the C series of the Official Journal (OJ C, synthetic), " +
			"all Member States having agreed under " + article5 + " on synthetic notification " + n.id
	}
	return "Synthetic listing " + id + " after synthetic notification " + n.id +
		", no qualified majority of the other Member States having objected under " + epPosition
}

// versions are the rows of the item the notice listed: its listing and the amendments
// made to it by published, the removal on the latest. A release published soon after
// the deadline lists the item on its publication date at the latest.
func (n notice) versions(listed, published time.Time) [][]string {
	if listed.After(published) {
		listed = published
	}
	id := "EUL-" + strings.TrimPrefix(n.id, "SYN-")
	ref := n.itemReference(id)
	rows := [][]string{n.scope.row(id, n.id, format(listed), "", ref)}
	last := format(listed)
	for _, a := range n.amends {
		if a.on > last && a.on <= format(published) {
			rows = append(rows, a.to.row(id, n.id, a.on, a.text, ref+"; synthetic amendment of "+a.on))
			last = a.on
		}
	}
	if c := n.remove; c != nil && c.on > last && c.on <= format(published) {
		latest := rows[len(rows)-1]
		latest[7], latest[8] = c.on, c.text
	}
	return rows
}

// row is a row of list_items.csv with the scope s.
func (s scope) row(id, notification, validFrom, amendment, ref string) []string {
	return []string{id, notification, validFrom, s.item, s.entry, strings.Join(s.dests, ";"), amendment, "", "", ref}
}

// writeProcedure writes the four files into dir, each with its header even when empty.
func writeProcedure(dir string, p procedure) error {
	for i, f := range procedureFiles {
		err := release.WriteFile(filepath.Join(dir, f.name), func(w *bufio.Writer) error {
			cw := csv.NewWriter(w)
			if err := cw.Write(f.header); err != nil {
				return err
			}
			return cw.WriteAll(p.files[i])
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// addWorkingDays returns the working day n working days after t.
func addWorkingDays(t time.Time, n int) time.Time {
	for n > 0 {
		t = t.AddDate(0, 0, 1)
		if isWorkingDay(t) {
			n--
		}
	}
	return t
}

func mustDate(s string) time.Time {
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		panic(err)
	}
	return t
}

func format(t time.Time) string { return t.Format(dateLayout) }

func formatOptional(t *time.Time) string {
	if t == nil {
		return ""
	}
	return format(*t)
}
