// Package codes holds the code lists of the dual-use regime (licence types, outcomes,
// denial grounds, end-user types) in one place: the importer validates release files
// against them, the data layer filters and groups by them, and the GraphQL schema
// exposes them as enums bound to these very types.
package codes

import (
	"fmt"
	"io"
	"slices"
	"strconv"

	"github.com/dualuse-transparency/portal/internal/apperr"
)

// LicenceType is the kind of export authorisation a decision is about.
type LicenceType string

// Outcome is what a licence decision decided. An application is a decision of any outcome.
type Outcome string

// DenialGround is a ground cited for refusing a licence.
type DenialGround string

// EndUserType is the kind of end user an application names.
type EndUserType string

// CatchAll is the catch-all clause a decision was made under: the provisions that
// bring an item under control although (or whatever) Annex I says of it.
type CatchAll string

// The code lists, in the order the API documents them.
var (
	LicenceTypes = []LicenceType{
		"INDIVIDUAL", "GLOBAL", "LARGE_PROJECT", "NATIONAL_GENERAL",
		"EU001", "EU002", "EU003", "EU004", "EU005", "EU006", "EU007", "EU008",
		IntraEUTransfer,
	}
	Outcomes      = []Outcome{Issued, Denied, "REVOKED", "ANNULLED", "SUSPENDED", "WITHDRAWN"}
	DenialGrounds = []DenialGround{
		"WMD", "MILITARY_END_USE", CyberSurveillance, "NATIONAL_MEASURE", "SANCTIONS",
		"CRITERION_1", "CRITERION_2", "CRITERION_3", "CRITERION_4",
		"CRITERION_5", "CRITERION_6", "CRITERION_7", "CRITERION_8",
	}
	EndUserTypes = []EndUserType{
		"GOVERNMENT", "MILITARY", "LAW_ENFORCEMENT", "INTELLIGENCE", "TELECOM_OPERATOR",
		"COMMERCIAL", "RESEARCH", "OTHER", "UNKNOWN",
	}
	// CatchAlls: the clauses of Regulation (EU) 2021/821 (and the same clauses of
	// Regulations 428/2009 and 1334/2000, Articles 4 and 8 and Articles 4 and 5):
	// Article 4(1)(a) weapons of mass destruction, 4(1)(b) military end use in a
	// destination under an arms embargo, 4(1)(c) parts of military items exported
	// in breach of an authorisation, Article 5 cyber-surveillance and human rights,
	// Articles 9 and 10 national measures.
	CatchAlls = []CatchAll{NoCatchAll, "WMD", "MILITARY_END_USE", "PREVIOUS_BREACH", CyberSurveillanceCatchAll, "NATIONAL_MEASURE"}
)

// The codes that the rules of the portal single out.
const (
	Issued            Outcome      = "ISSUED"
	Denied            Outcome      = "DENIED"
	CyberSurveillance DenialGround = "CYBER_SURVEILLANCE"

	// IntraEUTransfer is an authorisation to transfer an item within the Union
	// (Article 11 of Regulation (EU) 2021/821, items of its Annex IV): the one kind of
	// decision whose destination is a Member State.
	IntraEUTransfer LicenceType = "INTRA_EU_TRANSFER"

	NoCatchAll                CatchAll = "NONE"
	CyberSurveillanceCatchAll CatchAll = "CYBER_SURVEILLANCE"
)

// Parse returns the code s of list, or an error naming the allowed codes.
func Parse[T ~string](list []T, s string) (T, error) {
	if slices.Contains(list, T(s)) {
		return T(s), nil
	}
	return "", apperr.Errorf(apperr.Invalid, "unknown code %s (allowed: %v)", apperr.Quote(s), list)
}

func unmarshal[T ~string](list []T, dst *T, v any) error {
	s, ok := v.(string)
	if !ok {
		return fmt.Errorf("enum value must be a string, not %T", v)
	}
	c, err := Parse(list, s)
	*dst = c
	return err
}

func marshal(w io.Writer, s string) { _, _ = io.WriteString(w, strconv.Quote(s)) }

// MarshalGQL writes the code as a GraphQL enum value.
func (c LicenceType) MarshalGQL(w io.Writer) { marshal(w, string(c)) }

// UnmarshalGQL reads a GraphQL enum value, refusing unknown codes.
func (c *LicenceType) UnmarshalGQL(v any) error { return unmarshal(LicenceTypes, c, v) }

// MarshalGQL writes the code as a GraphQL enum value.
func (c Outcome) MarshalGQL(w io.Writer) { marshal(w, string(c)) }

// UnmarshalGQL reads a GraphQL enum value, refusing unknown codes.
func (c *Outcome) UnmarshalGQL(v any) error { return unmarshal(Outcomes, c, v) }

// MarshalGQL writes the code as a GraphQL enum value.
func (c DenialGround) MarshalGQL(w io.Writer) { marshal(w, string(c)) }

// UnmarshalGQL reads a GraphQL enum value, refusing unknown codes.
func (c *DenialGround) UnmarshalGQL(v any) error { return unmarshal(DenialGrounds, c, v) }

// MarshalGQL writes the code as a GraphQL enum value.
func (c EndUserType) MarshalGQL(w io.Writer) { marshal(w, string(c)) }

// UnmarshalGQL reads a GraphQL enum value, refusing unknown codes.
func (c *EndUserType) UnmarshalGQL(v any) error { return unmarshal(EndUserTypes, c, v) }

// MarshalGQL writes the code as a GraphQL enum value.
func (c CatchAll) MarshalGQL(w io.Writer) { marshal(w, string(c)) }

// UnmarshalGQL reads a GraphQL enum value, refusing unknown codes.
func (c *CatchAll) UnmarshalGQL(v any) error { return unmarshal(CatchAlls, c, v) }
