package agreement

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dualuse-transparency/portal/internal/qmv"
)

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func ptr(t time.Time) *time.Time { return &t }

// The day of the count in most cases, and a union of five: DE notifies, FR, IT and
// NL have been members all along, HR joins on 1 June 2025 and GB left on 31 January
// 2020 (synthetic dates where they are not the real ones).
var (
	countDay = date(2025, 6, 30)
	union    = map[string]qmv.Span{
		"DE": {From: date(1958, 1, 1)},
		"FR": {From: date(1958, 1, 1)},
		"IT": {From: date(1958, 1, 1)},
		"NL": {From: date(1958, 1, 1)},
		"HR": {From: date(2025, 6, 1)},
		"GB": {From: date(1973, 1, 1), Until: ptr(date(2020, 1, 31))},
	}
)

func agree(state string, on time.Time) Agreement { return Agreement{State: state, On: on} }

// procedure is DE's notification counted on countDay.
func procedure(agreements ...Agreement) Procedure {
	return Procedure{Notifying: "DE", On: countDay, Membership: union, Agreements: agreements}
}

func TestCount(t *testing.T) {
	early := date(2025, 6, 10)
	allFour := []Agreement{agree("FR", early), agree("IT", early), agree("NL", early), agree("HR", early)}
	// GB is still a member on 15 January 2020, and leaves before the count of 1 March 2020.
	gb2020 := Procedure{
		Notifying: "DE", On: date(2020, 3, 1), Membership: union,
		Agreements: []Agreement{agree("FR", date(2020, 1, 10)), agree("IT", date(2020, 1, 10)), agree("NL", date(2020, 1, 10)), agree("GB", date(2020, 1, 15))},
	}
	tests := []struct {
		name         string
		proc         Procedure
		wantEligible int
		wantAgreed   []string
		wantMissing  []string
		wantIgnored  []qmv.Ignored
	}{
		{
			name: "all the others agree", proc: procedure(allFour...),
			wantEligible: 4, wantAgreed: []string{"FR", "HR", "IT", "NL"},
		},
		{
			name: "one has not agreed", proc: procedure(allFour[:3]...),
			wantEligible: 4, wantAgreed: []string{"FR", "IT", "NL"}, wantMissing: []string{"HR"},
		},
		{
			name: "nobody has agreed", proc: procedure(),
			wantEligible: 4, wantMissing: []string{"FR", "HR", "IT", "NL"},
		},
		{
			name: "an agreement on the day of the count counts", proc: procedure(append(slices.Clone(allFour[:3]), agree("HR", countDay))...),
			wantEligible: 4, wantAgreed: []string{"FR", "HR", "IT", "NL"},
		},
		{
			// It is not made yet on the day of the count: not counted, and not an error either.
			name: "an agreement after the day of the count is not counted", proc: procedure(append(slices.Clone(allFour[:3]), agree("HR", countDay.AddDate(0, 0, 1)))...),
			wantEligible: 4, wantAgreed: []string{"FR", "IT", "NL"}, wantMissing: []string{"HR"},
		},
		{
			name: "the notifying state's agreement is ignored", proc: procedure(append(slices.Clone(allFour[:3]), agree("DE", early))...),
			wantEligible: 4, wantAgreed: []string{"FR", "IT", "NL"}, wantMissing: []string{"HR"},
			wantIgnored: []qmv.Ignored{{State: "DE", Reason: "the notifying state"}},
		},
		{
			name: "an agreement made twice counts once", proc: procedure(append(slices.Clone(allFour), agree("FR", date(2025, 6, 20)))...),
			wantEligible: 4, wantAgreed: []string{"FR", "HR", "IT", "NL"},
			wantIgnored: []qmv.Ignored{{State: "FR", Reason: "agreed twice"}},
		},
		{
			name:         "a state that joined after agreeing: its agreement does not count",
			proc:         procedure(append(slices.Clone(allFour[:3]), agree("HR", date(2025, 5, 31)))...),
			wantEligible: 4, wantAgreed: []string{"FR", "IT", "NL"}, wantMissing: []string{"HR"},
			wantIgnored: []qmv.Ignored{{State: "HR", Reason: "not a Member State on the day it agreed (2025-05-31)"}},
		},
		{
			name:         "a state that agreed before joining and again after: the second counts",
			proc:         procedure(append(slices.Clone(allFour[:3]), agree("HR", date(2025, 6, 1)), agree("HR", date(2025, 5, 20)))...),
			wantEligible: 4, wantAgreed: []string{"FR", "HR", "IT", "NL"},
			wantIgnored: []qmv.Ignored{{State: "HR", Reason: "not a Member State on the day it agreed (2025-05-20)"}},
		},
		{
			name: "a state that joins before the count and never agreed is missing",
			proc: procedure(allFour[:3]...), wantEligible: 4, wantAgreed: []string{"FR", "IT", "NL"}, wantMissing: []string{"HR"},
		},
		{
			name: "a state that joins after the day of the count is not one of the others",
			proc: Procedure{Notifying: "DE", On: date(2025, 5, 31), Membership: union, Agreements: []Agreement{
				agree("FR", date(2025, 5, 2)), agree("IT", date(2025, 5, 2)), agree("NL", date(2025, 5, 31)),
			}},
			wantEligible: 3, wantAgreed: []string{"FR", "IT", "NL"},
		},
		{
			name: "a state that left before the day of the count is not one of the others",
			proc: gb2020, wantEligible: 3, wantAgreed: []string{"FR", "IT", "NL"},
			wantIgnored: []qmv.Ignored{{State: "GB", Reason: "not a Member State on 2020-03-01"}},
		},
		{
			name:         "a state that left before the day of the count: without its agreement all the others agreed",
			proc:         Procedure{Notifying: "DE", On: date(2020, 3, 1), Membership: union, Agreements: gb2020.Agreements[:3]},
			wantEligible: 3, wantAgreed: []string{"FR", "IT", "NL"},
		},
		{
			name:         "a state that was a member on the day of the count and left later counts",
			proc:         Procedure{Notifying: "DE", On: date(2020, 1, 31), Membership: union, Agreements: gb2020.Agreements},
			wantEligible: 4, wantAgreed: []string{"FR", "GB", "IT", "NL"},
		},
		{
			name:         "an agreement by a state that never was a member",
			proc:         procedure(append(slices.Clone(allFour), agree("US", early))...),
			wantEligible: 4, wantAgreed: []string{"FR", "HR", "IT", "NL"},
			wantIgnored: []qmv.Ignored{{State: "US", Reason: "not a Member State on 2025-06-30"}},
		},
		{
			name:         "the order the agreements are given in does not matter",
			proc:         procedure(agree("NL", early), agree("HR", date(2025, 6, 20)), agree("IT", early), agree("FR", date(2025, 6, 2))),
			wantEligible: 4, wantAgreed: []string{"FR", "HR", "IT", "NL"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Count(tt.proc)
			if err != nil {
				t.Fatalf("Count: %v", err)
			}
			if got.Eligible != tt.wantEligible {
				t.Errorf("eligible %d, want %d", got.Eligible, tt.wantEligible)
			}
			if !slices.Equal(got.Agreed, tt.wantAgreed) || !slices.Equal(got.Missing, tt.wantMissing) {
				t.Errorf("agreed %v, missing %v; want %v, %v", got.Agreed, got.Missing, tt.wantAgreed, tt.wantMissing)
			}
			if !slices.Equal(got.Ignored, tt.wantIgnored) {
				t.Errorf("ignored %v, want %v", got.Ignored, tt.wantIgnored)
			}
			if want := len(tt.wantMissing) == 0; got.AllAgreed != want {
				t.Errorf("all agreed %v, want %v", got.AllAgreed, want)
			}
			if len(got.Agreed)+len(got.Missing) != got.Eligible {
				t.Errorf("%d agreed and %d missing of %d", len(got.Agreed), len(got.Missing), got.Eligible)
			}
		})
	}
}

func TestCountRefuses(t *testing.T) {
	tests := []struct {
		name string
		proc Procedure
	}{
		{name: "no other member", proc: Procedure{Notifying: "DE", On: countDay, Membership: map[string]qmv.Span{"DE": {From: date(1958, 1, 1)}}}},
		{name: "no members at all", proc: Procedure{Notifying: "DE", On: countDay}},
		{
			name: "the only other member left before the day of the count",
			proc: Procedure{Notifying: "DE", On: countDay, Membership: map[string]qmv.Span{
				"DE": {From: date(1958, 1, 1)}, "GB": union["GB"],
			}, Agreements: []Agreement{agree("GB", date(2019, 1, 1))}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Count(tt.proc)
			if err == nil || !strings.Contains(err.Error(), "no other Member States") {
				t.Fatalf("Count = %+v, %v; want an error saying there are no other Member States", got, err)
			}
		})
	}
}

func TestExplanation(t *testing.T) {
	const rule = " (Article 5 of Regulation (EU) 2021/821)"
	early := date(2025, 6, 10)
	// Eight others, of whom only FR agrees: more than five missing are not listed.
	eight := map[string]qmv.Span{}
	for _, s := range []string{"DE", "FR", "IT", "NL", "BE", "LU", "AT", "PT", "ES"} {
		eight[s] = qmv.Span{From: date(1958, 1, 1)}
	}
	tests := []struct {
		name string
		proc Procedure
		want string
	}{
		{
			name: "all agree",
			proc: procedure(agree("FR", early), agree("IT", early), agree("NL", early), agree("HR", early)),
			want: "4 of the 4 other Member States agreed that the requirement should apply to essentially identical transactions: all Member States agree, so the Commission publishes the item" + rule,
		},
		{
			name: "two missing are named",
			proc: procedure(agree("FR", early), agree("IT", early)),
			want: "2 of the 4 other Member States agreed that the requirement should apply to essentially identical transactions; not yet HR, NL: publication needs every Member State" + rule,
		},
		{
			name: "nobody yet, four named",
			proc: procedure(),
			want: "0 of the 4 other Member States agreed that the requirement should apply to essentially identical transactions; not yet FR, HR, IT, NL: publication needs every Member State" + rule,
		},
		{
			name: "seven missing are too many to name",
			proc: Procedure{Notifying: "DE", On: countDay, Membership: eight, Agreements: []Agreement{agree("FR", early)}},
			want: "1 of the 8 other Member States agreed that the requirement should apply to essentially identical transactions: publication needs every Member State" + rule,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tally, err := Count(tt.proc)
			if err != nil {
				t.Fatalf("Count: %v", err)
			}
			got := tally.Explanation()
			if got != tt.want {
				t.Fatalf("Explanation() =\n%s\nwant\n%s", got, tt.want)
			}
			if !strings.Contains(got, "Article 5 of Regulation (EU) 2021/821") {
				t.Errorf("Explanation() does not name the rule: %s", got)
			}
		})
	}
	if !strings.Contains(Rule, "Article 5 of Regulation (EU) 2021/821") {
		t.Errorf("Rule = %q", Rule)
	}
}
