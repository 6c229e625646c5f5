package release

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/dualuse-transparency/portal/internal/codes"
	"github.com/dualuse-transparency/portal/internal/qmv"
)

// Notification is a row of catch_all_notifications.csv: a Member State denied the
// export of a (possibly non-listed) cyber-surveillance item under the human-rights
// catch-all and notified the others. Under the Parliament's 2018 position they may
// object until the deadline; under Article 5 of Regulation (EU) 2021/821 they review
// it, and the item is published only when all agree.
type Notification struct {
	Line            int
	ID              string
	Procedure       codes.Procedure
	NotifyingState  string // ISO
	NotifiedOn      time.Time
	Deadline        time.Time // the objection deadline, or the end of the review period; a response on it is in time
	ItemDescription string
	ControlEntry    string   // the Annex I entry closest to the item, "" when none is given
	Destinations    []string // the destinations the notification concerns; nil for all
	WithdrawnOn     *time.Time
	LegalReference  string
}

// Objection is a row of objections.csv: a Member State objected to a notification.
type Objection struct {
	Line           int
	NotificationID string
	State          string // ISO
	On             time.Time
}

// Agreement is a row of agreements.csv: under Article 5 of Regulation (EU) 2021/821, a
// Member State notified the others and the Commission that the requirement should be
// imposed for essentially identical transactions.
type Agreement struct {
	Line           int
	NotificationID string
	State          string // ISO
	On             time.Time
}

// ListItem is a row of list_items.csv: one version of the scope of an item a
// notification placed on the EU-wide list. The earliest version of an item is its
// listing; each later one is an amendment from its ValidFrom. Items that come from
// Annex I are not in the file: the portal derives them from its control list.
type ListItem struct {
	Line           int
	ID             string
	NotificationID string
	ValidFrom      time.Time
	Description    string
	ControlEntry   string   // the Annex I entry closest to the item, "" for none
	Destinations   []string // the scope of the version; nil for all destinations
	Amendment      string   // what this version changed; "" for the listing
	RemovedOn      *time.Time
	RemovalReason  string // given with RemovedOn
	LegalReference string
}

// article5Start is the day Regulation (EU) 2021/821, and so its Article 5, began to
// apply (Article 32 of the Regulation; db/reference/README.md gives the source).
var article5Start = time.Date(2021, time.September, 9, 0, 0, 0, 0, time.UTC)

const maxProcedureID = 64

// procedureReader reads the three files of the procedure, each checked against the
// ones read before it: objections and list items name a notification.
type procedureReader struct {
	*rules
	probs          *problems
	tallier        *tallier
	notifications  rows[Notification]
	objections     rows[Objection]
	agreements     rows[Agreement]
	items          rows[ListItem]
	notified       bool           // catch_all_notifications.csv could be read, so ids can be looked up
	agreementsRead bool           // agreements.csv is absent or could be read: publications can be checked against it
	byID           map[string]int // notification id to its first row
	tallies        map[int]*qmv.Tally
}

// procedure is what readProcedure gives back for the Release.
type procedure struct {
	notifications []Notification
	objections    []Objection
	agreements    []Agreement
	items         []ListItem
}

// readProcedure reads the files of the catch-all procedure, when the release has them.
func readProcedure(dir string, files []string, rules *rules, t *tallier, probs *problems) (procedure, error) {
	if !procedureFiles(files, probs) {
		return procedure{}, nil
	}
	r := &procedureReader{rules: rules, probs: probs, tallier: t, tallies: map[int]*qmv.Tally{}}
	var err error
	if r.notifications, r.notified, err = notificationTable.read(dir, r); err != nil {
		return procedure{}, err
	}
	r.byID = r.uniqueNotifications()
	if r.objections, _, err = objectionTable.read(dir, r); err != nil {
		return procedure{}, err
	}
	r.uniqueObjections()
	r.agreementsRead = true
	if slices.Contains(files, agreementsFile) {
		if r.agreements, r.agreementsRead, err = agreementTable.read(dir, r); err != nil {
			return procedure{}, err
		}
		r.uniqueAgreements()
	}
	if r.items, _, err = itemTable.read(dir, r); err != nil {
		return procedure{}, err
	}
	r.checkVersions()
	r.requireItems()
	return procedure{r.notifications.list, r.objections.list, r.agreements.list, r.items.list}, nil
}

// procedureFiles reports whether the release has the procedure's files. They come
// all three or none: each refers to the others, so a part of them cannot be checked.
func procedureFiles(files []string, probs *problems) bool {
	if !slices.Contains(files, notificationsFile) && slices.Contains(files, agreementsFile) {
		probs.addf(agreementsFile, 0, "-", "agreements without %s: each names a notification", notificationsFile)
	}
	var missing []string
	for _, name := range optionalFiles {
		if !slices.Contains(files, name) {
			missing = append(missing, name)
		}
	}
	if len(missing) < len(optionalFiles) {
		for _, name := range missing {
			probs.addf(name, 0, "-", "missing file: the catch-all procedure needs %s, all three or none",
				strings.Join(optionalFiles, ", "))
		}
	}
	return len(missing) == 0
}

// procedureID reads the id of a notification or a list item.
func procedureID(s string) (string, error) {
	return s, checkLength(s, maxProcedureID)
}

// date reads a date of the procedure, which cannot be later than the release.
func (r *procedureReader) date(s string) (time.Time, error) {
	t, err := parseDate(s)
	if err == nil && !r.published.IsZero() && t.After(r.published) {
		err = fmt.Errorf("%s is after the release's publication date %s", s, day(r.published))
	}
	return t, err
}

// optionalDate reads a date that may be left empty.
func (r *procedureReader) optionalDate(s string) (*time.Time, error) {
	if s == "" {
		return nil, nil
	}
	t, err := r.date(s)
	return &t, err
}

func (r *procedureReader) destinations(s string) ([]string, error) {
	return parseList(s, r.country)
}

// known requires a notification of catch_all_notifications.csv. When that file could
// not be read at all, its header was reported and nothing is looked up in it.
func (r *procedureReader) known(id string) error {
	if _, ok := r.byID[id]; !ok && r.notified {
		return fmt.Errorf("no notification %q in %s", id, notificationsFile)
	}
	return nil
}

// notification returns the notification id names when its columns cols could be
// read, nil otherwise: the rules that need it are then skipped, the problem having
// been reported on the notification's own line.
func (r *procedureReader) notification(id string, cols ...int) *Notification {
	i, ok := r.byID[id]
	if !ok || r.notifications.bad[i].has(cols...) {
		return nil
	}
	return &r.notifications.list[i]
}

// decided reports whether a notification's procedure ended before the release was
// published: not withdrawn, and its deadline a day or more before publication, so an
// item could be listed on the day after the deadline at the earliest. Only the
// Parliament's 2018 procedure ends at its deadline; under Article 5 a publication
// may come whenever all Member States have agreed.
func (r *procedureReader) decided(n *Notification) bool {
	return n.WithdrawnOn == nil && !r.published.IsZero() && n.Deadline.Before(r.published)
}

// after requires a date of a row to come after an earlier one of the procedure.
func after(t time.Time, what string, earlier time.Time, earlierWhat string) error {
	if !t.After(earlier) {
		return fmt.Errorf("%s %s is not after %s %s", what, day(t), earlierWhat, day(earlier))
	}
	return nil
}
