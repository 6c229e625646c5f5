package db

import (
	"sync"
	"time"
)

// procedureMemo keeps the EU-wide list's procedure (every item with its versions and
// every notification with its tally) as worked out for a release on a day. It depends
// on nothing else: a release never changes, and the reference data only with a
// migration (read through ReleaseReference, which a migration's restart renews). So
// the list, an item, the changes and the notifications of a day are worked out once per
// process, not at every request. The answers handed out share it: they are read, never
// written.
type procedureMemo struct {
	mu      sync.Mutex
	entries map[procedureKey]procedureState
}

// procedureKey names a release by its id and import time (a release replaced under
// the same id is another release) and the day.
type procedureKey struct {
	release  string
	imported time.Time
	day      time.Time
}

type procedureState struct {
	items         []SurveillanceItem
	notifications []CatchAllNotification
}

// maxProcedureDays bounds the memo: a day is a few kilobytes, and clients ask about a
// few days (today, and the dates they compare).
const maxProcedureDays = 512

func (m *procedureMemo) get(r *Release, day time.Time) (procedureState, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, ok := m.entries[procedureKey{r.ID, r.ImportedAt, day}]
	return s, ok
}

func (m *procedureMemo) put(r *Release, day time.Time, s procedureState) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.entries == nil || len(m.entries) >= maxProcedureDays {
		m.entries = map[procedureKey]procedureState{} // start again rather than track use
	}
	m.entries[procedureKey{r.ID, r.ImportedAt, day}] = s
}
