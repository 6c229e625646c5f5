package codes

import "io"

// Procedure is the procedure a human-rights catch-all notification follows. A release
// says it for each notification, and every tally names the rule it applied and where
// that rule is written (docs/catch-all-procedures.md quotes the texts).
type Procedure string

// The procedures.
const (
	// EPPosition2018 is the mechanism of the European Parliament's amendments of
	// 17 January 2018 to the recast proposal, never adopted: a national denial is
	// listed EU-wide unless a qualified majority of the other Member States objects.
	EPPosition2018 Procedure = "EP_POSITION_2018"
	// Article5 is Article 5 of Regulation (EU) 2021/821 as adopted: no vote; the
	// Commission publishes an item when all Member States agree.
	Article5 Procedure = "REGULATION_2021_821_ARTICLE_5"
)

// Procedures are the procedures in the order the API lists them.
var Procedures = []Procedure{EPPosition2018, Article5}

// ProcedureRule says what a procedure is and where its rule is written.
type ProcedureRule struct {
	Procedure Procedure
	Name      string // a short name
	Source    string // the legal text the procedure comes from
	Rule      string // the rule a tally applies, with its legal source
	Summary   string // the procedure in a few sentences
}

// Rules are the rules of the procedures.
var Rules = map[Procedure]ProcedureRule{
	EPPosition2018: {
		Procedure: EPPosition2018,
		Name:      "European Parliament position of 17 January 2018 (never adopted)",
		Source: "Amendments adopted by the European Parliament on 17 January 2018 on the proposal for a recast " +
			"of the dual-use regulation, P8_TA(2018)0006, OJ C 458, 19.12.2018, p. 187 (procedure 2016/0295(COD)); " +
			"not the law in force",
		Rule: "listed unless a qualified majority of the other Member States objects by the deadline; " +
			"qualified majority by Article 238(3)(a) TFEU, blocking-minority clause included",
		Summary: "A Member State that denies the export of a cyber-surveillance item on human-rights grounds notifies " +
			"the others, who may object until a deadline. Unless the objecting states are a qualified majority of " +
			"the others (Article 238(3)(a) TFEU: at least 55 % of them representing at least 65 % of their " +
			"population, a blocking minority needing at least the fewest of them holding more than 35 % of their " +
			"population plus one member), the item is placed on the EU-wide list. The Parliament proposed this " +
			"in 2018; the Regulation as adopted did not take it up.",
	},
	Article5: {
		Procedure: Article5,
		Name:      "Article 5 of Regulation (EU) 2021/821",
		Source:    "Article 5 of Regulation (EU) 2021/821 of 20 May 2021, OJ L 206, 11.6.2021, p. 1",
		Rule: "published when all Member States agree that the authorisation requirement should be imposed for " +
			"essentially identical transactions, by Article 5 of Regulation (EU) 2021/821",
		Summary: "A Member State that imposes an authorisation requirement for a non-listed cyber-surveillance item " +
			"provides the other Member States and the Commission with the relevant information. The others " +
			"consider and review it. Only where all Member States notify each other and the Commission that the " +
			"requirement should be imposed for essentially identical transactions does the Commission publish the " +
			"items, and where appropriate the destinations, in the C series of the Official Journal. There is no " +
			"vote: one Member State that does not agree is enough for nothing to be published.",
	},
}

// MarshalGQL writes the procedure as a GraphQL enum value.
func (c Procedure) MarshalGQL(w io.Writer) { marshal(w, string(c)) }

// UnmarshalGQL reads the procedure from a GraphQL enum value.
func (c *Procedure) UnmarshalGQL(v any) error { return unmarshal(Procedures, c, v) }
