package ukdata

import (
	"slices"

	"github.com/dualuse-transparency/portal/internal/codes"
)

// criterionGrounds maps the refusal criteria of the source, the numbers of the
// Consolidated EU and National Arms Export Licensing Criteria (2000, and the same
// numbering in the 2014 revision), to the portal's grounds. The UK criteria are the
// eight criteria of Common Position 2008/944/CFSP in the same order, as the source's
// own descriptions show: 1 international obligations (non-proliferation, embargoes),
// 2 internal repression, 3 internal tensions or conflict, 4 regional stability,
// 5 national security of the UK and of allies, 6 behaviour of the buyer country,
// 7 diversion or re-export, 8 technical and economic capacity of the recipient.
var criterionGrounds = map[int]codes.DenialGround{
	1: "CRITERION_1",
	2: "CRITERION_2",
	3: "CRITERION_3",
	4: "CRITERION_4",
	5: "CRITERION_5",
	6: "CRITERION_6",
	7: "CRITERION_7",
	8: "CRITERION_8",
}

// catchAllGround is the ground a denial under an end-use control also rests on: the
// control is only applied where the authority suspects the end use, so its refusal is
// a refusal on that end use, whatever criteria the source lists with it.
var catchAllGround = map[codes.CatchAll]codes.DenialGround{
	"WMD":              "WMD",
	"MILITARY_END_USE": "MILITARY_END_USE",
}

// grounds are the denial grounds of a refused licence, each once, in the order of the
// portal's code list.
func grounds(criteria []int, catchAlls []codes.CatchAll) []codes.DenialGround {
	var gs []codes.DenialGround
	for _, c := range criteria {
		gs = append(gs, criterionGrounds[c])
	}
	for _, c := range catchAlls {
		if g, ok := catchAllGround[c]; ok {
			gs = append(gs, g)
		}
	}
	slices.SortFunc(gs, func(a, b codes.DenialGround) int {
		return slices.Index(codes.DenialGrounds, a) - slices.Index(codes.DenialGrounds, b)
	})
	return slices.Compact(gs)
}
