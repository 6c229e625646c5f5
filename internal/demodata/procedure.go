package demodata

import (
	"bufio"
	"encoding/csv"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/dualuse-transparency/portal/internal/release"
)

// The files of the catch-all procedure, with their headers, and their indexes.
const (
	notificationsCSV = iota
	objectionsCSV
	itemsCSV
)

var procedureFiles = [...]struct {
	name   string
	header []string
}{
	{"catch_all_notifications.csv", []string{"notification_id", "notifying_state", "notified_on", "item_description",
		"control_entry", "destinations", "objection_deadline", "withdrawn_on", "legal_reference"}},
	{"objections.csv", []string{"notification_id", "objecting_state", "objected_on"}},
	{"list_items.csv", []string{"item_id", "notification_id", "description", "destinations", "listed_on", "amended_on",
		"amendment", "removed_on", "removal_reason", "legal_reference"}},
}

// The procedure gives the other Member States 30 working days to object (Article 5 of
// Regulation (EU) 2021/821), and an item is listed within two weeks of the deadline.
const (
	objectionWorkingDays = 30
	maxListingDelay      = 10 // working days
	legalBasis           = "Article 5 of Regulation (EU) 2021/821"
)

// procedure is the rows of the three files; sum counts the notifications by outcome.
type procedure struct {
	files [len(procedureFiles)][][]string // the rows of each file
	sum   *Summary
}

// timing is the dates of a notice. Chance decides when each state objected (on a
// working day while the notification was open) and when the item was listed; every
// notice is drawn whatever the publication date, so a notice reads the same in every
// release that shows it.
type timing struct {
	notified, deadline time.Time
	withdrawn          *time.Time
	objected           []time.Time // by objector
	listed             time.Time
}

// planProcedure tells the history as it stood on published, counting it in sum.
func planProcedure(seed uint64, published time.Time, sum *Summary) procedure {
	r := newRand(seed, 0, purposeProcedure)
	p := procedure{sum: sum}
	for _, n := range history {
		t := n.draw(r)
		if !t.notified.After(published) {
			p.add(n, t, published)
		}
	}
	return p
}

func (n notice) draw(r *rand.Rand) timing {
	t := timing{notified: mustDate(n.notified)}
	t.deadline = addWorkingDays(t.notified, objectionWorkingDays)
	open := objectionWorkingDays
	if n.withdrawnAfter > 0 {
		w := addWorkingDays(t.notified, n.withdrawnAfter)
		t.withdrawn, open = &w, n.withdrawnAfter
	}
	for range n.objectors {
		t.objected = append(t.objected, addWorkingDays(t.notified, 1+r.IntN(open)))
	}
	t.listed = addWorkingDays(t.deadline, 1+r.IntN(maxListingDelay))
	return t
}

// add writes the notice as it stood on published and counts its outcome then.
func (p *procedure) add(n notice, t timing, published time.Time) {
	if t.withdrawn != nil && t.withdrawn.After(published) {
		t.withdrawn = nil // not withdrawn yet
	}
	p.files[notificationsCSV] = append(p.files[notificationsCSV], []string{n.id, n.state, n.notified, n.item, n.entry,
		strings.Join(n.dests, ";"), format(t.deadline), formatOptional(t.withdrawn), legalBasis + "; synthetic notification " + n.id})
	p.addObjections(n, t, published)
	p.sum.Notifications++
	switch {
	case t.withdrawn != nil:
		p.sum.Withdrawn++
	case !t.deadline.Before(published):
		p.sum.Pending++
	case n.objected:
		p.sum.Objected++
	default:
		p.sum.Listed++
		p.files[itemsCSV] = append(p.files[itemsCSV], n.listItem(t.listed, published))
	}
}

// addObjections adds the objections made by published, in the order made.
func (p *procedure) addObjections(n notice, t timing, published time.Time) {
	order := make([]int, len(n.objectors))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return t.objected[a].Compare(t.objected[b]) })
	for _, i := range order {
		if !t.objected[i].After(published) {
			p.files[objectionsCSV] = append(p.files[objectionsCSV], []string{n.id, n.objectors[i], format(t.objected[i])})
		}
	}
}

// listItem is the row of the item the notice listed, with the changes made to it by
// published. A release published soon after the deadline lists the item on its
// publication date at the latest.
func (n notice) listItem(listed, published time.Time) []string {
	if listed.After(published) {
		listed = published
	}
	id := "EUL-" + strings.TrimPrefix(n.id, "SYN-")
	dests := n.dests
	var amended, amendment, removed, reason string
	if c := n.amend; c != nil && c.on > format(listed) && c.on <= format(published) {
		amended, amendment, dests = c.on, c.text, c.dests
	}
	if c := n.remove; c != nil && c.on > format(listed) && c.on > amended && c.on <= format(published) {
		removed, reason = c.on, c.text
	}
	return []string{id, n.id, n.item, strings.Join(dests, ";"), format(listed), amended, amendment, removed, reason,
		legalBasis + "; synthetic listing " + id + " after synthetic notification " + n.id}
}

// writeProcedure writes the three files into dir.
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
